"""The site's pages inside JupyterLab, for the links in notebook outputs.

Every number in an output links to its sentence on the source page
(``source.html#f-<figure id>``), every audit finding to the audit page
(``12-audit.html#<check id>``). In the lab those files do not exist beside the notebook.
This server extension (enabled by :mod:`dbanalysis.notebook.lab`) serves them at
``<base url>dbanalysis/site/<folder>/_site/<page>``: the site of the report's notebooks in
``<folder>`` of the lab's root, built on the first request (English edition, from the
committed outputs, nothing executed: a few seconds) into a temporary folder, and built
again when a notebook there has changed since. The lab extension ``dbanalysis-lab``
(``templates/labextension``) opens a click on such a link in a lab tab at that address,
so the reader lands on the sentence the number comes from.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..core.paths import report_notebooks

ROUTE = "dbanalysis/site"
_LOCK = threading.Lock()


class SiteCache:
    """Sites built from the notebook folders of one lab, in one temporary folder."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="dbanalysis-lab-site-"))
        self.built: dict[Path, tuple[tuple[str, int], ...]] = {}
        atexit.register(shutil.rmtree, self.root, ignore_errors=True)

    def site_for(self, folder: Path) -> Path | None:
        """The site of the report's notebooks in ``folder`` (None if it has none)."""
        from .build import build_site

        notebooks = report_notebooks(folder)
        if not notebooks:
            return None
        stamp = tuple((p.name, p.stat().st_mtime_ns) for p in notebooks)
        out = self.root / str(abs(hash(folder)))
        with _LOCK:
            if self.built.get(folder) != stamp:
                build_site(out=out / "site", notebooks=folder, jobs=1, log=lambda _m: None,
                           execute="never", langs=("en",))
                self.built[folder] = stamp
        return out / "site"


def page_path(site: Path, page: str) -> Path | None:
    """The file of ``page`` (relative) inside ``site``; None if absent or outside it."""
    target = (site / page).resolve()
    if not target.is_relative_to(site.resolve()) or not target.is_file():
        return None
    return target


def _handler(cache: SiteCache, root_dir: Path) -> Any:
    import mimetypes

    from jupyter_server.base.handlers import JupyterHandler
    from tornado import web
    from tornado.ioloop import IOLoop

    class SitePageHandler(JupyterHandler):
        @web.authenticated
        async def get(self, folder_part: str, page: str) -> None:
            folder = (root_dir / folder_part).resolve()
            if not folder.is_relative_to(root_dir.resolve()) or not folder.is_dir():
                raise web.HTTPError(404)
            site = await IOLoop.current().run_in_executor(None, cache.site_for, folder)
            found = page_path(site, page or "index.html") if site else None
            if found is None:
                raise web.HTTPError(404)
            kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            self.set_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/")
                                                    else ""))
            self.finish(found.read_bytes())

    return SitePageHandler


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "dbanalysis.site.labpages"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Route ``<base url>dbanalysis/site/<folder>/_site/<page>`` to the site pages of the
    notebooks in ``<folder>`` of the lab's root (``dbanalysis/site/_site/<page>`` for the
    root itself)."""
    from jupyter_server.utils import url_path_join

    root_dir = Path(serverapp.root_dir)
    route = url_path_join(serverapp.base_url, ROUTE, "((?:[^/]+/)*?)_site/(.*)")
    serverapp.web_app.add_handlers(".*$", [(route, _handler(SiteCache(), root_dir))])
