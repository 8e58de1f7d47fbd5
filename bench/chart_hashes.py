"""Every chart the notebooks draw, drawn as a kernel draws it: a hash of each PNG and
the CPU it took (issue 21 item 8: make charts cheaper without changing one byte).

    .venv/bin/python bench/chart_hashes.py [--out FILE] [--check FILE] [--rounds N]

Runs the code cells of every report notebook in this process, with
:func:`dbanalysis.notebook.bilingual.show` as the notebooks call it (each chart built in
both languages, wide and for a phone, and encoded by :func:`dbanalysis.plotting.png_bytes`);
then the chart functions the tests call but no notebook does (``EXTRA``), in both
languages and both layouts. Prints, per chart, the SHA-256 (first 16 hex digits) of the
PNG bytes (pixels and text chunks: title, alt text, ids) and of its text chunks alone,
and the CPU seconds of building the figure and of encoding its PNG. A notebook chart
is also compared with the PNG committed in the notebook's outputs.

``--out`` writes the hashes (one line per PNG); ``--check`` compares them with such a file
and exits 1 on any difference. ``--rounds N`` draws everything N times and reports the
fastest CPU of each chart (less noise on a shared machine).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _extra() -> dict:
    """Chart calls of the tests that no notebook makes: every chart function, as the tests
    call it (``OTHER_CHARTS`` of tests/helpers_charts.py, declared there once)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers_charts import OTHER_CHARTS

    return OTHER_CHARTS


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _chunks_digest(data: bytes) -> str:
    from dbanalysis import plotting as pl

    return _digest(json.dumps(pl.png_text(data), sort_keys=True).encode())


class Recorder:
    """Wraps ``bilingual._show`` and ``bilingual._bundle`` to time and keep each chart."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.where = ""

    def install(self) -> None:
        from matplotlib.figure import Figure

        from dbanalysis.notebook import bilingual

        show, bundle = bilingual._show, bilingual._bundle
        rec = self

        def timed_show(build, langs):
            def timed_build(lang):
                t0 = time.process_time()
                obj = build(lang)
                if isinstance(obj, Figure):
                    from dbanalysis.plotting.style import is_narrow

                    rec.pending.append({"lang": lang, "layout": "phone" if is_narrow()
                                        else "wide", "build": time.process_time() - t0})
                return obj

            return show(timed_build, langs)

        def timed_bundle(obj, narrow=None):
            if not isinstance(obj, Figure):
                return bundle(obj, narrow)
            from dbanalysis import plotting as pl

            # show builds every language's two drawings first (their value axes then
            # shared: plotting.ticks.same_value_axes), then bundles them in that order
            rows, rec.pending[:2] = rec.pending[:2], []
            for fig, row in zip((obj, narrow), rows, strict=True):
                t0 = time.process_time()
                data = pl.png_bytes(fig)
                row["png"] = time.process_time() - t0
                row["bytes"] = data
                row["name"] = rec.where
                rec.rows.append(row)
            return bundle(obj, narrow)

        self.pending: list[dict] = []
        bilingual._show, bilingual._bundle = timed_show, timed_bundle
        bilingual._publish = lambda data, metadata: None  # no shell: nothing to show


def notebook_charts(rec: Recorder) -> dict[str, list[bytes]]:
    """Run every report notebook's code cells; the committed chart PNGs, per chart name."""
    import os

    from dbanalysis.core.paths import is_report_notebook

    committed: dict[str, list[bytes]] = {}
    here = os.getcwd()
    os.chdir(ROOT / "notebooks")
    try:
        for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
            if not is_report_notebook(path):
                continue
            nb = json.loads(path.read_text("utf-8"))
            ns: dict = {"__name__": "__main__"}
            for k, cell in enumerate(nb["cells"]):
                if cell["cell_type"] != "code":
                    continue
                rec.where = f"{path.stem}[{k}]"
                before = len(rec.rows)
                exec(compile("".join(cell["source"]), f"{path.name}[{k}]", "exec"), ns)
                if len(rec.rows) > before:
                    pngs = []
                    for out in cell.get("outputs", []):
                        data = out.get("data", {})
                        if "image/png" in data:
                            pngs.append(base64.b64decode(data["image/png"]))
                            narrow = data.get("image/x-dbanalysis-narrow+png")
                            if narrow:
                                pngs.append(base64.b64decode(narrow))
                    committed[rec.where] = pngs
    finally:
        os.chdir(here)
    return committed


def extra_charts(rec: Recorder) -> None:
    from dbanalysis import plotting as pl
    from dbanalysis.core.language import using
    from dbanalysis.plotting.style import narrow

    for name, build in _extra().items():
        for lang in ("en", "vi"):
            for layout in ("wide", "phone"):
                with using(lang):
                    t0 = time.process_time()
                    if layout == "phone":
                        with narrow():
                            fig = build()
                    else:
                        fig = build()
                    t1 = time.process_time()
                    data = pl.png_bytes(fig)
                    t2 = time.process_time()
                fig.clf()
                rec.rows.append({"name": f"extra {name}", "lang": lang, "layout": layout,
                                 "build": t1 - t0, "png": t2 - t1, "bytes": data})


def run_once() -> tuple[list[dict], dict[str, list[bytes]]]:
    rec = Recorder()
    rec.install()
    from dbanalysis import plotting as pl

    pl.use_house_style()
    committed = notebook_charts(rec)
    extra_charts(rec)
    return rec.rows, committed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--check")
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    cpu0 = time.process_time()
    rows, committed = run_once()
    best = [dict(r) for r in rows]
    for _ in range(args.rounds - 1):
        again, _ = run_once()
        for b, r in zip(best, again, strict=True):
            assert b["bytes"] == r["bytes"], ("not deterministic", b["name"])
            b["build"], b["png"] = min(b["build"], r["build"]), min(b["png"], r["png"])
    lines = []
    total_build = total_png = 0.0
    print(f"{'chart':44} {'lang':4} {'layout':6} {'png sha256':16} {'chunks':16} "
          f"{'build s':>7} {'png s':>6} committed")
    by_name: dict[str, int] = {}
    for r in best:
        k = by_name.get(r["name"], 0)
        by_name[r["name"]] = k + 1
        same = ""
        if r["name"] in committed:
            pngs = committed[r["name"]]
            same = "same" if k < len(pngs) and pngs[k] == r["bytes"] else "DIFFERS"
        key = f"{r['name']} {r['lang']} {r['layout']}"
        line = f"{key} {_digest(r['bytes'])} {_chunks_digest(r['bytes'])}"
        lines.append(line)
        total_build += r["build"]
        total_png += r["png"]
        print(f"{r['name']:44} {r['lang']:4} {r['layout']:6} {_digest(r['bytes'])} "
              f"{_chunks_digest(r['bytes'])} {r['build']:7.3f} {r['png']:6.3f} {same}")
    print(f"{len(best)} PNGs; CPU: build {total_build:.2f} s, png {total_png:.2f} s "
          f"(fastest of {args.rounds}); whole script {time.process_time() - cpu0:.1f} s")
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n", "utf-8")
    if args.check:
        want = Path(args.check).read_text("utf-8").splitlines()
        diff = [f"- {a}\n+ {b}" for a, b in zip(want, lines, strict=False) if a != b]
        if len(want) != len(lines):
            diff.append(f"{len(want)} PNGs expected, {len(lines)} drawn")
        print("hash check:", "IDENTICAL" if not diff else "DIFFERENT\n" + "\n".join(diff))
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
