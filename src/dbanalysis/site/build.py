"""Build the offline HTML report site from ``notebooks/*.ipynb``.

Every notebook whose inputs changed since its outputs were made (or every one,
``execute="always"``) is executed by :mod:`dbanalysis.notebook.execute`, in parallel, with
the notebooks folder as working directory and ``MPLBACKEND=Agg``; the others
keep their committed outputs. The notebooks are exported to HTML with the
package's own nbconvert template (``templates/dbsite``: the JupyterLab look
without require.js, MathJax, mermaid or any CDN link) and never written back to
``notebooks/``.

The site is built in a temporary folder beside the target and swapped into
place only when every notebook succeeded (see :mod:`dbanalysis.core.atomic`).
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from dbanalysis.core.atomic import (
    OutputError,
    atomic_dir,
    check_target,
    deferred_signals,
    result,
)
from dbanalysis.core.cache import one_reading
from dbanalysis.core.language import LANGS
from dbanalysis.core.links import INDEX_PAGE, SOURCE_PAGE
from dbanalysis.core.paths import report_notebooks
from dbanalysis.core.typography import typeset_html
from dbanalysis.core.version import __version__
from dbanalysis.notebook import execute
from dbanalysis.notebook.execute import (
    MODES,
    ExecutionError,
    environment_hash,
    prepare,
    stop_all,
)
from dbanalysis.site.pages import (
    TEMPLATES,
    Page,
    chrome,
    edition_dir,
    font_dir,
    make_page,
    ui,
)

NB_TEMPLATE = "dbsite"

# Fonts copied from matplotlib's bundled mpl-data into assets/fonts/.
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "LICENSE_DEJAVU")


class BuildError(Exception):
    """A build failed; ``str(err)`` is a one-line message for the user.

    ``status`` is the exit status the command reports: 1 for a failed notebook,
    2 for an output folder that cannot or must not be written.
    """

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------- notebooks


def find_notebooks(notebooks_dir: str | os.PathLike[str]) -> list[Path]:
    """The report's notebooks of a folder, sorted (``NN-<topic>.ipynb``: an
    ``Untitled.ipynb`` or a scratch notebook beside them is not published); a clear
    :class:`BuildError` if there are none."""
    nb_dir = Path(notebooks_dir)
    if not nb_dir.exists():
        raise BuildError(f"notebook folder not found: {nb_dir}")
    if not nb_dir.is_dir():
        raise BuildError(f"notebook folder is not a folder: {nb_dir}")
    found = report_notebooks(nb_dir)
    if not found:
        raise BuildError(f"no notebooks (NN-<topic>.ipynb) in {nb_dir}")
    return found


# --------------------------------------------------------------------------- execution
# Notebooks are executed by dbanalysis.notebook.execute (the executor `make notebooks` uses too).


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
    """Read a notebook (nbformat 4); BuildError naming the file if unreadable."""
    try:
        return execute.read_notebook(path)
    except ExecutionError as exc:
        raise BuildError(str(exc)) from exc


# --------------------------------------------------------------------------- HTML


def copy_assets(dest: Path) -> None:
    """Copy the stylesheet and the DejaVu fonts into ``dest/assets``, and write there the
    lab template's CSS that every notebook page links (:data:`htmlexport.LAB_CSS`)."""
    from dbanalysis.site.htmlexport import LAB_CSS, lab_css

    assets = dest / "assets"
    fonts = assets / "fonts"
    fonts.mkdir(parents=True)
    shutil.copy2(TEMPLATES / NB_TEMPLATE / "static" / "site.css", assets / "site.css")
    (assets / LAB_CSS).write_text(lab_css(), encoding="utf-8")
    mpl_fonts = font_dir()
    for name in FONT_FILES:
        shutil.copy2(mpl_fonts / name, fonts / name)


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




def footer_lines(lang: str, build_date: str, with_input: bool) -> list[str]:
    """The build line of every page of an edition."""
    if lang == "vi":  # 2026-11-26 -> 26/11/2026, as Vietnamese writes a date
        build_date = "/".join(reversed(build_date.split("-")))
    built = ui("site.footer.built", lang, date=build_date, version=__version__)
    mode = ui("site.footer.with_input" if with_input else "site.footer.reader", lang)
    return [f"{built} ({mode})."]


def write_edition(tmp: Path, lang: str, langs: tuple[str, ...], pages: list[Page],
                  executed: list[Any], build_date: str, with_input: bool) -> None:
    """Write one edition's pages, front page and source page under ``tmp``, typeset
    (:func:`dbanalysis.core.typography.typeset_html`)."""
    from dbanalysis.audit.run import run_audit
    from dbanalysis.site.frontpage import audit_page, render_index
    from dbanalysis.site.htmlexport import export_page, page_number
    from dbanalysis.site.sourcepage import render_source

    root = edition_dir(tmp, lang)
    root.mkdir(parents=True, exist_ok=True)
    foot = footer_lines(lang, build_date, with_input)
    audit = audit_page(pages)
    for i, (page, nb) in enumerate(zip(pages, executed, strict=True)):
        anchors = {c: c for c in run_audit()["check_id"]} if page is audit else None
        html = export_page(nb, page.title(lang), chrome(lang, langs, page.href, pages, i, foot),
                           with_input=with_input, anchors=anchors,
                           content_lang=page.content_lang(lang),
                           figure_prefix=page_number(page.path.stem))
        (root / page.href).write_text(typeset_html(html, lang), encoding="utf-8")
    index_foot = [*foot, ui("site.footer.offline", lang)]
    (root / INDEX_PAGE).write_text(typeset_html(
        render_index(pages, chrome(lang, langs, INDEX_PAGE, None, None, index_foot)), lang),
        encoding="utf-8")
    (root / SOURCE_PAGE).write_text(typeset_html(
        render_source(chrome(lang, langs, SOURCE_PAGE, None, None, foot)), lang),
        encoding="utf-8")


def build_site(
    out: str | os.PathLike[str] = "site",
    notebooks: str | os.PathLike[str] = "notebooks",
    jobs: int | None = None,
    with_input: bool = False,
    log: Callable[[str], None] | None = None,
    execute: str | bool = "auto",
    langs: Sequence[str] = ("en",),
) -> list[Page]:
    """Execute every notebook once, export each edition of ``langs``, swap the site into ``out``.

    English goes to ``out/``, Vietnamese to ``out/vi/`` (:data:`dbanalysis.site.pages.EDITION_DIR`);
    every page links to the same page of the other editions built.

    ``execute``: ``"auto"`` executes a notebook only when its inputs changed since
    its committed outputs were made (:func:`dbanalysis.notebook.execute.is_current`; the
    test suite's nbval run proves unchanged outputs equal a re-execution),
    ``"always"`` executes every notebook, ``"never"`` exports the committed outputs.
    ``True``/``False`` mean ``"always"``/``"never"``. One execution serves every edition.

    Returns the pages. Raises :class:`BuildError` (with a one-line message) when
    any notebook fails or ``out`` cannot be written; ``out`` is then unchanged.
    """
    log = log or _stderr_logger()
    mode = "always" if execute is True else "never" if execute is False else execute
    if mode not in MODES:
        raise BuildError(f"execute must be one of {', '.join(MODES)}, not {execute!r}")
    langs = tuple(lang for lang in LANGS if lang in set(langs))
    if not langs:
        raise BuildError(f"no edition to build: languages must be among {LANGS}")
    paths = find_notebooks(notebooks)
    environment = environment_hash() if mode == "auto" else None
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    build_date = build_date_today()

    nbs = [read_notebook(p) for p in paths]
    executed: list[Any] = list(nbs)
    n = len(paths)
    t_all = time.perf_counter()
    seconds = [0.0] * n
    protect = [Path(notebooks)]
    try:
        check_target(out, protect)  # refuse before executing anything
        with atomic_dir(out, "build", protect) as tmp:
            log(f"building {n} notebook(s) from {Path(notebooks)} with {jobs} job(s), "
                f"edition(s): {', '.join(langs)}")
            stop = threading.Event()

            def work(i: int) -> None:
                if stop.is_set():
                    return
                name = paths[i].name
                log(f"[{i + 1}/{n}] start {name}")
                t0 = time.perf_counter()
                try:
                    try:
                        executed[i], ran = prepare(paths[i], nbs[i], mode, environment, tmp)
                    except ExecutionError as exc:
                        raise BuildError(str(exc)) from exc
                    if stop.is_set():
                        return
                    if figures_shown_as_text(executed[i]):
                        log(
                            f"[{i + 1}/{n}] note: {name} shows matplotlib figures "
                            "as text only; add `%matplotlib inline` (kernels run with "
                            "MPLBACKEND=Agg)"
                        )
                except Exception as exc:
                    if stop.is_set():
                        return  # stopped by an interrupt or an earlier failure
                    stop.set()
                    log(f"[{i + 1}/{n}] FAILED {name} ({time.perf_counter() - t0:.1f} s)")
                    if isinstance(exc, BuildError):
                        raise
                    raise BuildError(f"{name}: {type(exc).__name__}: {exc}") from exc
                seconds[i] = time.perf_counter() - t0
                if not ran:
                    log(f"[{i + 1}/{n}] {name}: committed outputs (not executed: "
                        f"{'inputs unchanged' if mode == 'auto' else '--execute never'})")
                log(f"[{i + 1}/{n}] done  {name} ({seconds[i]:.1f} s)")

            errors: list[BuildError] = []
            pool = cf.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="nb")
            futures: list[cf.Future[None]] = []
            try:
                # a signal while the workers start is raised once every notebook is
                # queued, here, where stop_all stops them all (raised in the midst of
                # submit, the build said "interrupted" and then ran the notebooks)
                with deferred_signals():
                    futures += [pool.submit(work, i) for i in range(n)]
                for fut in futures:  # in notebook order, so the first failure is reported
                    try:
                        result(fut)  # (woken for a signal another thread received)
                    except BuildError as exc:
                        errors.append(exc)
            except KeyboardInterrupt:
                stop_all(futures, stop, log)
                raise
            finally:
                pool.shutdown(wait=True)
            if errors:
                raise errors[0]
            pages = [make_page(p, nb, langs) for p, nb in zip(paths, executed, strict=True)]
            for page, s in zip(pages, seconds, strict=True):
                page.seconds = s
            try:
                with one_reading():  # the data read as one version (its files stat-ed once)
                    for lang in langs:
                        write_edition(tmp, lang, langs, pages, executed, build_date,
                                      with_input)
            except BuildError:
                raise
            except Exception as exc:
                raise BuildError(f"export: {type(exc).__name__}: {exc}") from exc
            copy_assets(tmp)
    except OutputError as exc:
        raise BuildError(str(exc), status=2) from exc
    log(f"site written to {Path(out)} ({n} page(s) x {len(langs)} edition(s), "
        f"{time.perf_counter() - t_all:.1f} s)")
    return pages
