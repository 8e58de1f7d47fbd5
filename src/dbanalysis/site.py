"""Build the offline HTML report site from ``notebooks/*.ipynb``.

Every notebook whose inputs changed since its outputs were made (or every one,
``execute="always"``) is executed by :mod:`dbanalysis.execute`, in parallel, with
the notebooks folder as working directory and ``MPLBACKEND=Agg``; the others
keep their committed outputs. The notebooks are exported to HTML with the
package's own nbconvert template (``templates/dbsite``: the JupyterLab look
without require.js, MathJax, mermaid or any CDN link) and never written back to
``notebooks/``.

The site is built in a temporary folder beside the target and swapped into
place only when every notebook succeeded (see :mod:`dbanalysis._atomic`).
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import logging
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from dbanalysis import __version__
from dbanalysis._atomic import OutputError, atomic_dir
from dbanalysis.execute import MODES, ExecutionError, environment_hash, prepare

TEMPLATES = Path(__file__).parent / "templates"
NB_TEMPLATE = "dbsite"

SITE_TITLE = "Điện Biên district emulation report 2015-2020: analysis"
SOURCE = {
    "title": (
        "Kết quả phong trào thi đua và công tác khen thưởng huyện Điện Biên giai đoạn 2015-2020"
    ),
    "author": "Phạm Minh Châu - Phòng VH&TT huyện",
    "publisher": "Điện Biên district web portal",
    "publisher_vi": "Cổng thông tin điện tử huyện Điện Biên",
    "published": "29/09/2020",
    "note": (
        "All figures analysed here come from this one article; the snapshot of its "
        "text is kept in data/raw/ of the dbanalysis repository."
    ),
}

# Fonts copied from matplotlib's bundled mpl-data into assets/fonts/.
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "LICENSE_DEJAVU")


class BuildError(Exception):
    """A build failed; ``str(err)`` is a one-line message for the user."""


@dataclass
class Page:
    """One notebook of the site."""

    path: Path
    title: str
    headline_md: str
    href: str = ""
    headline_html: str = ""
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return self.path.name


# --------------------------------------------------------------------------- notebooks


def find_notebooks(notebooks_dir: str | os.PathLike[str]) -> list[Path]:
    """Sorted ``*.ipynb`` of a folder; a clear :class:`BuildError` if there are none."""
    nb_dir = Path(notebooks_dir)
    if not nb_dir.exists():
        raise BuildError(f"notebook folder not found: {nb_dir}")
    if not nb_dir.is_dir():
        raise BuildError(f"notebook folder is not a folder: {nb_dir}")
    paths = sorted(p for p in nb_dir.glob("*.ipynb") if p.is_file())
    if not paths:
        raise BuildError(f"no notebooks (*.ipynb) in {nb_dir}")
    return paths


_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")


def _blocks(markdown: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", markdown) if b.strip()]


def _is_headline_block(block: str) -> bool:
    first = block.lstrip()
    return not (first.startswith(("#", "```", "~~~", "<", "|", "---", "***")))


def summarise(nb: Any, fallback_title: str) -> tuple[str, str]:
    """(title, headline markdown) of a notebook.

    The title is the first ``# Heading`` of the first markdown cell that has one;
    the headline is the first paragraph or blockquote after it (in the same cell
    or the following markdown cells).
    """
    title = None
    after: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        source = cell.source
        if title is None:
            lines = source.splitlines()
            for i, line in enumerate(lines):
                m = _H1.match(line)
                if m:
                    title = m.group(1).strip()
                    after.extend(_blocks("\n".join(lines[i + 1 :])))
                    break
        else:
            after.extend(_blocks(source))
        if title is not None:
            for block in after:
                if _is_headline_block(block):
                    return title, block
    return (title or fallback_title), ""


def _md_to_html(markdown: str) -> str:
    if not markdown:
        return ""
    import mistune  # an nbconvert dependency

    return mistune.html(markdown)


# --------------------------------------------------------------------------- execution
# Notebooks are executed by dbanalysis.execute (the executor `make notebooks` uses too).


_FIGURE_REPR = re.compile(r"^<(Figure|Axes)\b.*>$")


def figures_shown_as_text(nb: Any) -> int:
    """Outputs that are a matplotlib figure's text repr with no image beside it.

    With ``MPLBACKEND=Agg`` a figure is only rendered into the notebook after
    ``%matplotlib inline``; without it the page would silently lack the chart.
    """
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = data.get("text/plain", "")
            if (
                "image/png" not in data
                and "image/svg+xml" not in data
                and _FIGURE_REPR.match(text.strip())
            ):
                count += 1
    return count


def read_notebook(path: Path) -> Any:
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BuildError(f"{path.name}: not a readable notebook: {msg}") from exc


# --------------------------------------------------------------------------- HTML


class _NoAltTextWarning(logging.Filter):
    """Drop nbconvert's per-page "Alternative text is missing" warning.

    Every matplotlib image triggers it (nbconvert then adds a generic alt text);
    it would drown the one-line-per-notebook progress output.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "Alternative text is missing" not in record.getMessage()


def make_exporter(no_input: bool = False) -> Any:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=NB_TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=no_input,
        exclude_input_prompt=no_input,
        exclude_output_prompt=no_input,
        embed_images=True,
    )
    if not any(isinstance(f, _NoAltTextWarning) for f in exporter.log.filters):
        exporter.log.addFilter(_NoAltTextWarning())
    return exporter


def export_html(nb: Any, page: Page, nav: dict[str, Any], no_input: bool = False) -> str:
    exporter = make_exporter(no_input)
    resources = {"metadata": {"name": page.title}, "dbsite": nav}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _nav(pages: Sequence[Page], i: int, build_date: str) -> dict[str, Any]:
    prev = pages[i - 1] if i > 0 else None
    nxt = pages[i + 1] if i + 1 < len(pages) else None
    return {
        "prev": {"href": prev.href, "title": prev.title} if prev else None,
        "next": {"href": nxt.href, "title": nxt.title} if nxt else None,
        "index_label": "Index",
        "footer": (
            f"{SITE_TITLE} · {pages[i].filename} · built {build_date} with dbanalysis {__version__}"
        ),
    }


def copy_assets(dest: Path) -> None:
    import matplotlib

    assets = dest / "assets"
    fonts = assets / "fonts"
    fonts.mkdir(parents=True)
    shutil.copy2(TEMPLATES / NB_TEMPLATE / "static" / "site.css", assets / "site.css")
    mpl_fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in FONT_FILES:
        shutil.copy2(mpl_fonts / name, fonts / name)


def render_index(pages: Sequence[Page], build_date: str, no_input: bool) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / "site")),
        autoescape=False,  # the template escapes explicitly with |e
        keep_trailing_newline=True,
    )
    return env.get_template("index.html.j2").render(
        site_title=SITE_TITLE,
        subtitle=(
            "Notebooks that check, derive and chart the figures of one Vietnamese district report."
        ),
        source=SOURCE,
        pages=pages,
        build_date=build_date,
        version=__version__,
        no_input=no_input,
    )


def build_date_today() -> str:
    """UTC date of the build; ``SOURCE_DATE_EPOCH`` makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return when.strftime("%Y-%m-%d")


# --------------------------------------------------------------------------- build


def _stderr_logger(stream: TextIO | None = None) -> Callable[[str], None]:
    lock = threading.Lock()

    def log(msg: str) -> None:
        out = stream if stream is not None else sys.stderr
        with lock:
            print(msg, file=out, flush=True)

    return log


def build_site(
    out: str | os.PathLike[str] = "site",
    notebooks: str | os.PathLike[str] = "notebooks",
    jobs: int | None = None,
    no_input: bool = False,
    log: Callable[[str], None] | None = None,
    execute: str | bool = "auto",
) -> list[Page]:
    """Execute and export every notebook, write the index, swap the site into ``out``.

    ``execute``: ``"auto"`` executes a notebook only when its inputs changed since
    its committed outputs were made (:func:`dbanalysis.execute.is_current`; the
    test suite's nbval run proves unchanged outputs equal a re-execution),
    ``"always"`` executes every notebook, ``"never"`` exports the committed outputs.
    ``True``/``False`` mean ``"always"``/``"never"``.

    Returns the pages. Raises :class:`BuildError` (with a one-line message) when
    any notebook fails or ``out`` cannot be written; ``out`` is then unchanged.
    """
    log = log or _stderr_logger()
    mode = {True: "always", False: "never"}.get(execute, execute)  # type: ignore[call-overload]
    if mode not in MODES:
        raise BuildError(f"execute must be one of {', '.join(MODES)}, not {execute!r}")
    paths = find_notebooks(notebooks)
    environment = environment_hash() if mode == "auto" else None
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    build_date = build_date_today()

    nbs = [read_notebook(p) for p in paths]
    pages = []
    for path, nb in zip(paths, nbs, strict=True):
        title, headline = summarise(nb, fallback_title=path.stem)
        pages.append(Page(path=path, title=title, headline_md=headline, href=f"{path.stem}.html"))
    for page in pages:
        page.headline_html = _md_to_html(page.headline_md)

    n = len(pages)
    t_all = time.perf_counter()
    try:
        with atomic_dir(out) as tmp:
            log(f"building {n} notebook(s) from {Path(notebooks)} with {jobs} job(s)")
            stop = threading.Event()

            def work(i: int) -> None:
                if stop.is_set():
                    return
                page = pages[i]
                log(f"[{i + 1}/{n}] start {page.filename}")
                t0 = time.perf_counter()
                try:
                    try:
                        executed, ran = prepare(page.path, nbs[i], mode, environment)
                    except ExecutionError as exc:
                        raise BuildError(str(exc)) from exc
                    page.extra["executed"] = ran
                    if figures_shown_as_text(executed):
                        log(
                            f"[{i + 1}/{n}] note: {page.filename} shows matplotlib figures "
                            "as text only; add `%matplotlib inline` (kernels run with "
                            "MPLBACKEND=Agg)"
                        )
                    html = export_html(executed, page, _nav(pages, i, build_date), no_input)
                    (tmp / page.href).write_text(html, encoding="utf-8")
                except Exception as exc:
                    stop.set()
                    log(f"[{i + 1}/{n}] FAILED {page.filename} ({time.perf_counter() - t0:.1f} s)")
                    if isinstance(exc, BuildError):
                        raise
                    raise BuildError(f"{page.filename}: {type(exc).__name__}: {exc}") from exc
                page.seconds = time.perf_counter() - t0
                if not ran:
                    log(f"[{i + 1}/{n}] {page.filename}: committed outputs (not executed: "
                        f"{'inputs unchanged' if mode == 'auto' else '--execute never'})")
                log(f"[{i + 1}/{n}] done  {page.filename} ({page.seconds:.1f} s)")

            errors: list[BuildError] = []
            with cf.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="nb") as pool:
                futures = [pool.submit(work, i) for i in range(n)]
                for fut in futures:  # in notebook order, so the first failure is reported
                    try:
                        fut.result()
                    except BuildError as exc:
                        errors.append(exc)
            if errors:
                raise errors[0]
            copy_assets(tmp)
            (tmp / "index.html").write_text(
                render_index(pages, build_date, no_input), encoding="utf-8"
            )
    except OutputError as exc:
        raise BuildError(str(exc)) from exc
    log(f"site written to {Path(out)} ({n} page(s), {time.perf_counter() - t_all:.1f} s)")
    return pages
