"""Timings for the dbanalysis site (a script, not a test).

(a) ``dbanalysis build`` of notebooks/ against a floor measured in the same run:
    as many trivial notebooks (one cell ``1``), executed and exported the same
    way with the same number of jobs. The difference is the notebooks' own work.
(b) wall time of ``make test`` (skip with --skip-make-test).
(c) import time, each in a fresh interpreter, median of 5: the modules the
    notebooks import vs ``import pandas, matplotlib.pyplot, seaborn``.

Usage: .venv/bin/python bench/bench.py [--jobs N] [--notebooks DIR] [--skip-make-test]
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat import v4

from dbanalysis.site import build_site

REPO = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.3
BASELINE_IMPORTS = ["pandas", "matplotlib.pyplot", "seaborn"]


def sample_notebooks(folder: Path, n: int = 3) -> Path:
    """Stand-in notebooks (pandas + a matplotlib chart) while notebooks/ is empty."""
    folder.mkdir(parents=True)
    for i in range(n):
        nb = v4.new_notebook()
        nb.cells = [
            v4.new_markdown_cell(f"# Sample {i}\n\nSample notebook for the benchmark."),
            v4.new_code_cell(
                "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport pandas as pd\n"
                "import seaborn as sns"
            ),
            v4.new_code_cell(
                "df = pd.DataFrame({'năm': range(2015, 2021), 'giá trị': range(6)})\ndf"
            ),
            v4.new_code_cell("ax = sns.barplot(data=df, x='năm', y='giá trị')\nplt.show()"),
        ]
        nbformat.write(nb, folder / f"{i:02d}-sample.ipynb")
    return folder


def trivial_notebooks(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True)
    for i in range(n):
        nb = v4.new_notebook()
        nb.cells = [v4.new_markdown_cell(f"# Trivial {i}\n\nfloor"), v4.new_code_cell("1")]
        nbformat.write(nb, folder / f"{i:02d}-trivial.ipynb")
    return folder


def timed_build(notebooks: Path, out: Path, jobs: int) -> float:
    t0 = time.perf_counter()
    build_site(out=out, notebooks=notebooks, jobs=jobs, log=lambda _msg: None)
    return time.perf_counter() - t0


def notebook_imports(notebooks: list[Path]) -> list[str]:
    """Top-level modules imported by the notebooks' code cells (IPython magics skipped)."""
    mods: set[str] = set()
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            lines = cell.source.splitlines()
            src = "\n".join(ln for ln in lines if not ln.lstrip().startswith(("%", "!")))
            try:
                tree = ast.parse(src)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    mods.update(a.name for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    mods.add(node.module)
                    # `from dbanalysis import plotting` imports the submodule too
                    for alias in node.names:
                        name = f"{node.module}.{alias.name}"
                        if importlib.util.find_spec(node.module) and _is_module(name):
                            mods.add(name)
    return sorted(mods)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def import_time(modules: list[str], runs: int = 5) -> float:
    code = "import " + ", ".join(modules)
    env = {**os.environ, "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)  # warm the OS cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--notebooks", type=Path, default=REPO / "notebooks")
    parser.add_argument("--skip-make-test", action="store_true")
    args = parser.parse_args()

    print(
        f"machine: {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
        f"{platform.platform()}"
    )
    real = sorted(args.notebooks.glob("*.ipynb")) if args.notebooks.is_dir() else []
    with tempfile.TemporaryDirectory(prefix="dbanalysis-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if real:
            notebooks, label = args.notebooks, f"{args.notebooks} ({len(real)} notebooks)"
        else:
            notebooks = sample_notebooks(tmp / "sample")
            label = f"{args.notebooks} is empty: 3 sample pandas/seaborn notebooks instead"
            real = sorted(notebooks.glob("*.ipynb"))
        n = len(real)
        floor_nbs = trivial_notebooks(tmp / "trivial", n)
        timed_build(floor_nbs, tmp / "warmup", args.jobs)  # warm caches (fonts, bytecode)
        floor = timed_build(floor_nbs, tmp / "floor", args.jobs)
        site = timed_build(notebooks, tmp / "site", args.jobs)
        ratio = site / floor
        verdict = "ok" if ratio <= TARGET_RATIO else f"above target {TARGET_RATIO}x"
        print(f"(a) build {label}, jobs={args.jobs}")
        print(f"    site build      {site:6.2f} s")
        print(f"    floor ({n} trivial notebooks, same pipeline) {floor:6.2f} s")
        print(f"    ratio           {ratio:6.2f}x  (target <= {TARGET_RATIO}x: {verdict})")
        nb_mods = notebook_imports(real)

    if args.skip_make_test:
        print("(b) make test     skipped (--skip-make-test)")
    else:
        t0 = time.perf_counter()
        proc = subprocess.run(["make", "test"], cwd=REPO, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        print(f"(b) make test     {wall:6.2f} s (exit code {proc.returncode})")

    ours = sorted({"dbanalysis", *nb_mods})
    t_ours = import_time(ours)
    t_base = import_time(BASELINE_IMPORTS)
    print("(c) import time, fresh interpreter, median of 5")
    print(f"    notebooks' imports ({', '.join(ours)}): {t_ours:6.3f} s")
    print(f"    import {', '.join(BASELINE_IMPORTS)}: {t_base:6.3f} s")
    print(f"    ratio           {t_ours / t_base:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
