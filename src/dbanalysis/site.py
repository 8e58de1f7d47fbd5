"""Build the offline HTML report site from ``notebooks/*.ipynb``.

Every notebook is executed in its own kernel (the *current* interpreter with
ipykernel, whatever kernelspecs the user has installed), in parallel, with the
notebooks folder as working directory and ``MPLBACKEND=Agg``. The executed
copies are exported to HTML with the package's own nbconvert template
(``templates/dbsite``: the JupyterLab look without require.js, MathJax,
mermaid or any CDN link) and never written back to ``notebooks/``.

The site is built in a temporary folder beside the target and swapped into
place only when every notebook succeeded (see :mod:`dbanalysis._atomic`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import contextlib
import datetime as dt
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from dbanalysis import __version__
from dbanalysis._atomic import OutputError, atomic_dir, check_target, deferred_signals

TEMPLATES = Path(__file__).parent / "templates"
NB_TEMPLATE = "dbsite"
KERNEL_NAME = "dbanalysis-current-python"
CELL_TIMEOUT = 600  # seconds per cell

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
    """A build failed; ``str(err)`` is a one-line message for the user.

    ``status`` is the exit status the command reports: 1 for a failed notebook,
    2 for an output folder that cannot or must not be written.
    """

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


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

    # escape=True: raw HTML in a headline is shown as text, never becomes an element
    return mistune.create_markdown(escape=True)(markdown)


# --------------------------------------------------------------------------- execution


def _kernel_manager(nb_dir: Path, ipc_prefix: str) -> Any:
    """A KernelManager that runs ipykernel on *this* interpreter, whatever kernelspecs exist."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    spec = KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} (dbanalysis)",
        language="python",
        env={
            "MPLBACKEND": "Agg",
            # debugpy otherwise prints a frozen-modules warning on every kernel start
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        },
        resource_dir=str(nb_dir),
    )

    class _CurrentPythonSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return spec

    # IPC sockets in a private folder: loopback-only by construction, and ipykernel
    # does not log its "running over TCP without encryption" warning for them.
    return AsyncKernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=_CurrentPythonSpecs(),
        transport="ipc",
        ip=ipc_prefix,
    )


#: Kernel managers of the notebooks being executed, so that an interrupt can stop them.
_RUNNING: set[Any] = set()
_RUNNING_LOCK = threading.Lock()


def stop_kernels() -> int:
    """Kill the process group of every running notebook kernel; how many were running."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for km in running:
        provisioner = getattr(km, "provisioner", None)
        pgid = getattr(provisioner, "pgid", None)
        process = getattr(provisioner, "process", None)
        with contextlib.suppress(OSError):
            if pgid:
                os.killpg(pgid, signal.SIGKILL)
            elif process is not None:
                process.kill()
    return len(running)


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:77] + "..."
    return "(empty cell)"


def execute_notebook(path: Path, nb: Any | None = None) -> Any:
    """Execute a notebook in a fresh kernel; return the executed copy (the file is not changed).

    Raises :class:`BuildError` naming the file, the cell (index and first source
    line) and the error.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if nb is None:
        nb = read_notebook(path)
    current: dict[str, Any] = {}

    def on_cell_start(cell: Any, cell_index: int) -> None:
        current["index"], current["cell"] = cell_index, cell

    sockets = tempfile.mkdtemp(prefix="dbanalysis-kernel-")
    if len(sockets) > 80:  # a Unix socket path has at most 107 bytes; kernel-N-ports are added
        os.rmdir(sockets)
        sockets = tempfile.mkdtemp(prefix="dbk-", dir="/tmp")
    km = _kernel_manager(path.parent, os.path.join(sockets, "kernel"))
    with _RUNNING_LOCK:
        _RUNNING.add(km)
    client = NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=on_cell_start,
    )
    try:
        # We pass our own KernelManager, so nbclient would by default leave the kernel and
        # its client running; cleanup_kc=True makes it stop the channels and the kernel.
        # asyncio.run: one event loop per execution, closed afterwards (the sync
        # wrapper would leave an unclosed loop behind in every worker thread).
        asyncio.run(client.async_execute(cleanup_kc=True))
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        where = ""
        if "index" in current:
            where = f" cell {current['index']} ({_first_line(current['cell'].source)!r})"
        if isinstance(exc, CellExecutionError):
            what = f"{exc.ename}: {exc.evalue}"
        elif isinstance(exc, CellTimeoutError):
            what = f"timed out after {CELL_TIMEOUT} s"
        else:
            what = f"kernel died: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        raise BuildError(f"{path.name}:{where} raised {what}") from exc
    except Exception as exc:  # kernel failed to start, etc.
        msg = str(exc).splitlines()[0] if str(exc) else ""
        raise BuildError(f"{path.name}: {type(exc).__name__}: {msg}") from exc
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(km)
        shutil.rmtree(sockets, ignore_errors=True)
    return nb  # the executed copy stays in memory; the .ipynb file is untouched


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
    execute: bool = True,
) -> list[Page]:
    """Execute and export every notebook, write the index, swap the site into ``out``.

    ``execute=False`` exports the committed outputs as they are (a quick preview: the
    test suite's nbval run proves they are what a re-execution gives).

    Returns the pages. Raises :class:`BuildError` (with a one-line message) when
    any notebook fails or ``out`` cannot be written; ``out`` is then unchanged.
    """
    log = log or _stderr_logger()
    paths = find_notebooks(notebooks)
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
    protect = [Path(notebooks)]
    try:
        check_target(out, protect)  # refuse before executing anything
        with atomic_dir(out, "build", protect) as tmp:
            log(f"building {n} notebook(s) from {Path(notebooks)} with {jobs} job(s)")
            stop = threading.Event()

            def work(i: int) -> None:
                if stop.is_set():
                    return
                page = pages[i]
                log(f"[{i + 1}/{n}] start {page.filename}")
                t0 = time.perf_counter()
                try:
                    executed = execute_notebook(page.path, nbs[i]) if execute else nbs[i]
                    if stop.is_set():
                        return
                    if figures_shown_as_text(executed):
                        log(
                            f"[{i + 1}/{n}] note: {page.filename} shows matplotlib figures "
                            "as text only; add `%matplotlib inline` (kernels run with "
                            "MPLBACKEND=Agg)"
                        )
                    html = export_html(executed, page, _nav(pages, i, build_date), no_input)
                    (tmp / page.href).write_text(html, encoding="utf-8")
                except Exception as exc:
                    if stop.is_set():
                        return  # stopped by an interrupt or an earlier failure
                    stop.set()
                    log(f"[{i + 1}/{n}] FAILED {page.filename} ({time.perf_counter() - t0:.1f} s)")
                    if isinstance(exc, BuildError):
                        raise
                    raise BuildError(f"{page.filename}: {type(exc).__name__}: {exc}") from exc
                page.seconds = time.perf_counter() - t0
                log(f"[{i + 1}/{n}] done  {page.filename} ({page.seconds:.1f} s)")

            errors: list[BuildError] = []
            pool = cf.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="nb")
            futures = [pool.submit(work, i) for i in range(n)]
            try:
                for fut in futures:  # in notebook order, so the first failure is reported
                    try:
                        fut.result()
                    except BuildError as exc:
                        errors.append(exc)
            except KeyboardInterrupt:
                with deferred_signals():  # a second Ctrl-C must not cut the clean-up short
                    stop.set()
                    waiting = sum(f.cancel() for f in futures)
                    stopped = 0
                    while not all(f.done() for f in futures):
                        stopped = max(stopped, stop_kernels())
                        cf.wait(futures, timeout=0.2)
                    log(f"interrupted: {waiting} waiting notebook(s) cancelled, "
                        f"{stopped} running kernel(s) stopped")
                raise
            finally:
                pool.shutdown(wait=True)
            if errors:
                raise errors[0]
            copy_assets(tmp)
            (tmp / "index.html").write_text(
                render_index(pages, build_date, no_input), encoding="utf-8"
            )
    except OutputError as exc:
        raise BuildError(str(exc), status=2) from exc
    log(f"site written to {Path(out)} ({n} page(s), {time.perf_counter() - t_all:.1f} s)")
    return pages
