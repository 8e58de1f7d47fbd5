"""JupyterLab for the project, set up inside the environment (never in the user's home).

``python -m dbanalysis.notebook.lab install`` (run by ``make env``) writes, under ``sys.prefix``:

- ``share/jupyter/kernels/dbanalysis/``: the project's kernelspec (this interpreter,
  display name :data:`~dbanalysis.notebook.normalise.KERNEL_DISPLAY_NAME`, inline plots);
- ``share/jupyter/lab/settings/overrides.json``: defaults of the lab's settings (no news
  feed or update check from another host);
- ``share/dbanalysis/lab/custom/``: ``custom.css`` and the font file, served at
  ``/custom/`` by the server extension below: the lab's code font (editor, markdown
  edit mode, text outputs) is JetBrains Mono, which has every Vietnamese letter
  (DejaVu Sans Mono lacks 46, e.g. ồ ở ữ). The CSS sets the theme's *default* code font
  (``--jp-code-font-family-default``, with a selector that outranks the theme's), so a
  code font the user picks in Settings (an inline ``--jp-code-font-family`` on the page)
  still wins. (A code-font default in ``overrides.json``, as earlier versions wrote, does
  not work: the lab applies CSS overrides from the *user's* settings only.)
- ``share/jupyter/labextensions/dbanalysis-lab/``: a small prebuilt lab extension
  (``templates/labextension``, plain JavaScript) that opens a click on a number or an
  audit link in a notebook output (``source.html#f-…``, ``12-audit.html#…``) in a lab
  tab at its sentence, served by the server extension :mod:`dbanalysis.site.labpages`,
  and stores a kernel's ``language_info`` as the normaliser writes it, without the
  Python version (:data:`~dbanalysis.notebook.normalise.LANGUAGE_INFO_UNSTORED`, which the
  server extension below puts in the page config): opening a notebook on another Python
  does not mark it modified;
- ``etc/jupyter/jupyter_server_config.d/dbanalysis.json``: enables both server extensions;
- ``etc/jupyter/labconfig/page_config.json``: the lab's build check off (:data:`PAGE_CONFIG`;
  other keys there, such as extensions disabled with ``jupyter labextension disable``, kept);
- ``etc/jupyter/jupyter_server_config.json``: the lab's custom CSS on, the project
  kernel the default, the ``dbsite`` template for the lab's HTML export, no scan for
  language servers at start (this environment's config is read after ``~/.jupyter``'s,
  so it wins there: a setting of one's own goes on the command line, ``make lab
  ARGS="--LabApp.custom_css=False"``, or in ``JUPYTER_CONFIG_PATH``);
- ``share/jupyter/nbconvert/templates/dbsite``: the offline HTML template, so that
  ``jupyter nbconvert --to html --template dbsite`` finds it by name;
- ``etc/jupyter/jupyter_nbconvert_config.json``: that template is the default, so a
  plain ``jupyter nbconvert --to html`` export is offline and renders Vietnamese too,
  and its ``safe_html`` filter (every output shown, data text never run) is known.

The server extension (``_load_jupyter_server_extension``) adds the ``custom`` folder
to the paths the server serves ``/custom/`` from, after the user's own, and the keys of
``language_info`` a notebook does not keep to the lab's page config.
"""

from __future__ import annotations

import json
import shutil
import sys
import unicodedata
from pathlib import Path
from typing import Any

from .normalise import KERNEL_DISPLAY_NAME, KERNEL_NAME, LANGUAGE_INFO_UNSTORED

CODE_FONT = "JetBrains Mono"
CODE_FONT_FILE = "JetBrainsMono-wght.ttf"
CODE_FONT_STACK = f"'{CODE_FONT}', 'DejaVu Sans Mono', monospace"
#: How lab kernels draw: inline, whatever MPLBACKEND the lab was started with.
KERNEL_ENV = {
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
TEMPLATE = Path(__file__).parents[1] / "templates" / "dbsite"
LAB_EXTENSION = Path(__file__).parents[1] / "templates" / "labextension"
LAB_EXTENSION_NAME = "dbanalysis-lab"
#: The page-config key (``jupyter-config-data``) that hands the lab extension the keys of a
#: kernel's ``language_info`` a notebook does not keep (:data:`LANGUAGE_INFO_UNSTORED`).
UNSTORED_PAGE_CONFIG = "dbanalysisLanguageInfoUnstored"
#: Defaults of the lab's settings (``share/jupyter/lab/settings/overrides.json``; your own
#: settings win): the lab offline, as the project is: no "official Jupyter news?" prompt,
#: no news feed or update check fetched from another host.
SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
#: The lab's page settings (``etc/jupyter/labconfig/page_config.json``, merged into what is
#: there). Every extension the project uses is prebuilt (JupyterLab's own, this package's
#: ``templates/labextension``), so a rebuild of JupyterLab with Node.js is never needed:
#: no "Build recommended" prompt or Build command, and no build check on each page load (it
#: ran ``node yarn.js config`` and ``npm prefix`` in the server, ~1 s of CPU a page load).
PAGE_CONFIG = {"buildCheck": False, "buildAvailable": False}
#: What earlier versions wrote there (a code-font default the lab never applies).
STALE_SETTINGS = {
    "@jupyterlab/apputils-extension:themes": {
        "overrides": {"code-font-family": CODE_FONT_STACK},
    },
}
#: jupyter_server_config.d/ only enables extensions; other settings go to the main file.
EXTENSION_CONFIG = {"ServerApp": {"jpserver_extensions": {
    "dbanalysis.notebook.lab": True,
    "dbanalysis.site.labpages": True,  # named, not imported: the site layer is above this one
}}}
#: A plain ``jupyter nbconvert --to html`` (and the lab's "Export as HTML") uses the
#: offline template, whose fonts have every Vietnamese letter and which loads nothing
#: from other hosts; ``--template lab`` still selects nbconvert's own.
#: The template's every notebook output passes dbanalysis.core.markup.safe_html (a filter
#: the site's own exporter registers too).
NBCONVERT_CONFIG = {"HTMLExporter": {"template_name": "dbsite",
                                     "filters": {"safe_html": "dbanalysis.core.markup.safe_html"}}}
SERVER_CONFIG = {
    "LabApp": {"custom_css": True},
    "MultiKernelManager": {"default_kernel_name": KERNEL_NAME},
    # no language-server scan at each start: the environment holds no language server
    # (uv.lock) and the lab's LSP front end is off by default, yet jupyter_lsp looked for
    # ~20 of them and ran `npm prefix -g` (~0.3 s of CPU a start, npm's log in ~/.npm);
    # one you install and configure yourself (`language_servers`) still runs, and
    # `make lab ARGS="--LanguageServerManager.autodetect=True"` scans again
    "LanguageServerManager": {"autodetect": False},
    # the server's /nbconvert/ endpoint (File > Save and Export Notebook As > HTML) builds
    # its exporter from the server's config, not from jupyter_nbconvert_config.json
    **NBCONVERT_CONFIG,
}


def vietnamese_letters() -> set[str]:
    """Every letter of the Vietnamese alphabet with every tone, both cases (NFC)."""
    vowels = "aăâeêioôơuưy"
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones}
    letters |= set("bcdđghklmnpqrstvx")
    return letters | {c.upper() for c in letters}


def font_source() -> Path:
    """The variable-weight JetBrains Mono shipped by the ``fontpkg-jetbrains-mono`` wheel."""
    import fontpkg_jetbrains_mono  # type: ignore[import-untyped]

    return Path(fontpkg_jetbrains_mono.ROOT) / "files" / "JetBrainsMono[wght].ttf"


def missing_glyphs(font: Path, text: str | set[str]) -> set[str]:
    """Characters of ``text`` that ``font`` has no glyph for."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    cmap = TTFont(font)["cmap"].getBestCmap()
    return {c for c in text if not c.isspace() and ord(c) not in cmap}


def custom_dir(prefix: str | Path = sys.prefix) -> Path:
    """The folder served at ``/custom/``: ``custom.css`` and the font."""
    return Path(prefix) / "share" / "dbanalysis" / "lab" / "custom"


def custom_css() -> str:
    """The ``@font-face`` of the code font and the theme's default code font set to it.

    ``:root:root`` outranks the theme's ``:root`` (whichever stylesheet comes last); the
    user's own code font, which the lab sets inline on ``<html>``, outranks both.
    """
    return (
        "/* dbanalysis: a code font with every Vietnamese letter (see dbanalysis.notebook.lab) */\n"
        "@font-face {\n"
        f"  font-family: '{CODE_FONT}';\n"
        f"  src: url('{CODE_FONT_FILE}') format('truetype');\n"
        "  font-weight: 100 800;\n"
        "  font-style: normal;\n"
        "}\n"
        ":root:root {\n"
        f"  --jp-code-font-family-default: {CODE_FONT_STACK};\n"
        "}\n"
    )


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def install(prefix: str | Path = sys.prefix) -> list[Path]:
    """Install the kernelspec, lab settings, font, server config and template; the paths."""
    from ipykernel.kernelspec import install as install_kernelspec

    prefix = Path(prefix)
    page_config = prefix / "etc" / "jupyter" / "labconfig" / "page_config.json"
    kept = _kept_page_config(page_config)  # read first: a bad one stops before any write
    kernel = Path(install_kernelspec(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME,
                                     prefix=str(prefix), env=dict(KERNEL_ENV)))
    settings = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    _write_json(settings, SETTINGS)
    custom = custom_dir(prefix)
    custom.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(font_source(), custom / CODE_FONT_FILE)
    shutil.copyfile(font_source().parents[1] / "LICENSE", custom / "LICENSE-JetBrainsMono.txt")
    (custom / "custom.css").write_text(custom_css(), encoding="utf-8")
    extension = prefix / "etc" / "jupyter" / "jupyter_server_config.d" / "dbanalysis.json"
    _write_json(extension, EXTENSION_CONFIG)
    _write_json(page_config, {**kept, **PAGE_CONFIG})
    config = prefix / "etc" / "jupyter" / "jupyter_server_config.json"
    _write_json(config, SERVER_CONFIG)
    nbconvert_config = prefix / "etc" / "jupyter" / "jupyter_nbconvert_config.json"
    _write_json(nbconvert_config, NBCONVERT_CONFIG)
    labextension = prefix / "share" / "jupyter" / "labextensions" / LAB_EXTENSION_NAME
    if labextension.exists():
        shutil.rmtree(labextension)
    shutil.copytree(LAB_EXTENSION, labextension)
    template = prefix / "share" / "jupyter" / "nbconvert" / "templates" / "dbsite"
    template.parent.mkdir(parents=True, exist_ok=True)
    if template.is_symlink() or template.is_file():
        template.unlink()
    elif template.is_dir():
        shutil.rmtree(template)
    template.symlink_to(TEMPLATE.resolve(), target_is_directory=True)
    return [kernel, settings, custom, labextension, extension, page_config, config,
            nbconvert_config, template]


# --------------------------------------------------------------------------- server extension


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "dbanalysis.notebook.lab"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Serve ``custom.css`` and the font at ``/custom/`` (after the user's own folder);
    tell the lab extension which keys of ``language_info`` a notebook does not keep."""
    settings = serverapp.web_app.settings
    search = settings.setdefault("static_custom_path", [])
    ours = str(custom_dir())
    if ours not in search:
        search.insert(min(1, len(search)), ours)  # the same list the lab's handler reads
    # (the dict LabApp fills and serves as the page's jupyter-config-data, whichever of
    # the two extensions loads first)
    settings.setdefault("page_config_data", {})[UNSTORED_PAGE_CONFIG] = list(
        LANGUAGE_INFO_UNSTORED)


def _kept_page_config(path: Path) -> dict:
    """What the lab's ``page_config.json`` at ``path`` holds already (e.g. a user's
    disabled extensions), to keep beside :data:`PAGE_CONFIG`; {} when there is none. A file
    that is not a JSON object is an :class:`~dbanalysis.core.inputs.InputError` naming it
    (REREAD-0200 Q10: it raised a bare JSONDecodeError or TypeError)."""
    from ..core.inputs import InputError, Problem

    if not path.is_file():
        return {}
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, [Problem(getattr(exc, "lineno", 0), "",
                                        f"not JSON the lab can read ({exc})")]) from None
    if not isinstance(kept, dict):
        raise InputError(path, [Problem(0, "", "not a JSON object of page settings")])
    return kept


def main(argv: list[str] | None = None) -> int:
    """``python -m dbanalysis.notebook.lab install``: the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if args != ["install"]:
        print("usage: python -m dbanalysis.notebook.lab install", file=sys.stderr)
        return 2
    from ..core.inputs import InputError

    try:
        paths = install()
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"installed {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
