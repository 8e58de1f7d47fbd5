"""JupyterLab, driven as a researcher drives it: `make lab` serves the project kernel,
which imports the package and draws inline; the editor, markdown edit mode and text
outputs draw Vietnamese in the lab's code font (the user's own font still wins); the
lab's HTML export is offline; a cell re-run and saved is undone by `make normalise`;
and none of it writes into the home folder (every program runs under a fresh HOME).

One lab serves the module, and one page of it in Chromium (a tab a researcher keeps
open) shows every notebook the tests open: the lab's front end loads once."""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import nbformat
import pytest
from browser_helpers import ARTIFACTS, SCREENSHOTS, home_contents, private_env
from nbformat import v4

from dbanalysis.notebook import lab
from dbanalysis.notebook.normalise import KERNEL_DISPLAY_NAME, KERNEL_NAME, normalise

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 180  # seconds: the machine may be shared
#: Words the lab drew wrongly in DejaVu Sans Mono ("nuôi trông", "kê´hoạch", "Hâù hêt́").
VIETNAMESE = "nuôi trồng thủy sản, kế hoạch, Hầu hết, ồ ở ữ ẩ ẫ ắ ỷ"
VIETNAMESE_NB = "vietnamese-code.ipynb"
#: The report's notebook the tests open, export and re-run (it has charts and links).
NOTEBOOK = "11-awards.ipynb"


def vietnamese_notebook() -> nbformat.NotebookNode:
    """Vietnamese in a code cell, its printed output and a markdown cell."""
    code = v4.new_code_cell(f'TEXT = "{VIETNAMESE}"\nprint(TEXT)', execution_count=1)
    code.outputs = [v4.new_output("stream", name="stdout", text=VIETNAMESE + "\n")]
    return normalise(v4.new_notebook(cells=[
        v4.new_markdown_cell(f"## {VIETNAMESE}\n\nMarkdown: *{VIETNAMESE}*"), code]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, port: int, token: str, root: Path, env: dict[str, str]):
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.root = root
        self.env = env  # a fresh HOME, the Jupyter/IPython state folders in a temp folder
        self.stop = lambda: None  # stops the lab and waits for its processes (idempotent)
        self.page: Any = None  # the lab's one page in Chromium (:func:`lab_page`)
        self.requests: list[str] = []  # every request that page made

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"{self.base}{path}", data=data, method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def json(self, method: str, path: str, body: dict | None = None):
        status, raw = self.request(method, path, body)
        assert 200 <= status < 300, (method, path, status, raw[:300])
        return json.loads(raw) if raw else None


@pytest.fixture(scope="module")
def running_lab(tmp_path_factory):
    port, token = free_port(), secrets.token_hex(16)
    # a copy (the browser test saves a notebook) of the report's notebook the tests open:
    # the lab builds the site of its folder's report notebooks on the first number clicked
    root = tmp_path_factory.mktemp("notebooks")
    shutil.copy2(REPO / "notebooks" / NOTEBOOK, root / NOTEBOOK)
    nbformat.write(vietnamese_notebook(), root / VIETNAMESE_NB)
    # --expose-app-in-browser: the lab's front end as window.jupyterapp, whose commands
    # the code-font test runs (the lab's own test harness, galata, sets it)
    args = (f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
            f"--ServerApp.port_retries=0 --IdentityProvider.token={token} "
            "--expose-app-in-browser")
    # MPLBACKEND: what `make test` exports (the lab must not care); a fresh HOME and every
    # Jupyter/IPython state folder (settings, workspaces, runtime, history) in a temp folder
    env = private_env(tmp_path_factory.mktemp("lab-state"), {**os.environ, "MPLBACKEND": "Agg"})
    log = tmp_path_factory.mktemp("lab") / "lab.log"
    with log.open("wb") as out:
        cmd = ["make", "--no-print-directory", "lab", f"ARGS={args}", f"LAB_ROOT={root}"]
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = Lab(port, token, root, env)
    stopped: list[bool] = []

    def stop() -> None:
        if stopped:
            return
        stopped.append(True)
        if server.page is not None:  # (Chromium may have stopped already: -k, a failure)
            with contextlib.suppress(Exception):
                server.page.context.close()
        # make, jupyter and the kernels share the process group whose id is make's pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        deadline = time.monotonic() + 60  # the server stops its kernels first
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("the lab's processes outlived SIGTERM by 60 s")

    server.stop = stop
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"make lab exited {proc.returncode}: "
                            f"{log.read_text(errors='replace')[-2000:]}")
            try:
                if server.request("GET", "/api/status")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the lab did not answer on port {port} in {START_TIMEOUT} s")
            time.sleep(0.5)
        yield server
    finally:
        stop()


def execute_over_websocket(server: Lab, kernel_id: str, code: str) -> list[dict]:
    """Messages on iopub for one execute_request, until the kernel is idle again."""
    import websocket

    ws = websocket.create_connection(
        f"ws://127.0.0.1:{server.base.rsplit(':', 1)[1]}/api/kernels/{kernel_id}/channels"
        f"?token={server.token}", timeout=120)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                       "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))
        replies: list[dict] = []
        while True:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            replies.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return replies
    finally:
        ws.close()


@pytest.mark.slow
def test_the_lab_serves_its_vietnamese_code_font(running_lab):
    server = running_lab
    status, css = server.request("GET", "/custom/custom.css")
    assert status == 200 and f"font-family: '{lab.CODE_FONT}'" in css.decode()
    assert f"--jp-code-font-family-default: '{lab.CODE_FONT}'" in css.decode()
    status, font = server.request("GET", f"/custom/{lab.CODE_FONT_FILE}")
    assert status == 200 and font[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    status, page = server.request("GET", "/lab")
    assert status == 200 and b"custom/custom.css" in page
    # offline: the lab asks for no news feed and no update check (defaults; yours win)
    notification = server.json(
        "GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification")
    defaults = notification["schema"]["properties"]
    assert defaults["fetchNews"]["default"] == "false"
    assert defaults["checkForUpdates"]["default"] is False


#: The computed font of the code editor, markdown editor and text output, and whether the
#: code font has loaded (document.fonts) and draws every letter of ``VIETNAMESE``.
FONTS_JS = """async ([family, text, shown]) => {
    await document.fonts.ready;
    const font = sel => {
        const el = document.querySelector(sel);
        return el ? getComputedStyle(el).fontFamily : null;
    };
    return {
        code: font(`${shown} .jp-CodeCell .jp-InputArea-editor .cm-content`),
        markdown: font(`${shown} .jp-MarkdownCell .jp-InputArea-editor .cm-content`),
        output: font(`${shown} .jp-OutputArea-output pre`),
        loaded: Array.from(document.fonts).filter(f => f.status === 'loaded')
            .map(f => f.family.replace(/["']/g, '')),
        covers: document.fonts.check(`16px "${family}"`, text),
    };
}"""


def screenshot(page: Any, name: str) -> None:
    """``page`` as shown, into ``ARTIFACTS/name`` (JPEG), for people to look at, with
    ``DBANALYSIS_SCREENSHOTS=1`` (:data:`browser_helpers.SCREENSHOTS`): no test reads
    their pixels (the three cost ~0.4 s of CPU a run)."""
    if SCREENSHOTS:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / name), type="jpeg", quality=85)


#: The notebook on show (the lab restores the tabs of earlier tests behind it).
SHOWN = ".jp-NotebookPanel:not(.lm-mod-hidden)"


@pytest.fixture
def lab_page(running_lab: Lab, browser):
    """The lab's one page in Chromium: opened by the first browser test, shown to the
    next ones, closed when the lab stops."""
    server = running_lab
    if server.page is None or not server.page.context.browser.is_connected():
        server.page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        server.page.on("request", lambda req: server.requests.append(req.url))
    return server.page


def open_in_lab(server: Lab, page, name: str, kernel: bool = True) -> None:
    """Show notebook ``name`` as a researcher opens it: the lab at its address the first
    time, then a double click on its name in the lab's file browser (an open notebook's
    tab comes to the front). ``kernel=False``: opened with no kernel, by the lab's own
    command (``docmanager:open``, ``kernelPreference.shouldStart`` false: what "No
    Kernel" gives), for a test of what the page draws, not of what a kernel runs (a
    kernel started for it cost ~0.7 s of CPU: its process, the server's and the page's
    part; the report notebook's kernel is the one the lab is tested with)."""
    if not kernel:
        if not page.url.startswith(f"{server.base}/lab"):
            page.goto(f"{server.base}/lab?token={server.token}")
        page.wait_for_function("() => window.jupyterapp !== undefined", timeout=120_000)
        page.evaluate("""async name => {
            await window.jupyterapp.restored;
            await window.jupyterapp.commands.execute('docmanager:open',
                {path: name, kernelPreference: {shouldStart: false}});
        }""", name)
    elif page.url.startswith(f"{server.base}/lab"):
        page.locator(f'.jp-DirListing-item[title^="Name: {name}"]').dblclick()
    else:
        page.goto(f"{server.base}/lab/tree/{name}?token={server.token}")
    page.wait_for_selector(
        f'.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current[title^="Name: {name}"]',
        timeout=120_000)
    # a code cell's editor (a rendered markdown cell's is hidden)
    page.wait_for_selector(f"{SHOWN} .jp-CodeCell .cm-content", timeout=120_000)


@pytest.mark.slow
@pytest.mark.browser
def test_the_lab_draws_vietnamese_code_in_its_code_font(running_lab, lab_page):
    server, page = running_lab, lab_page
    themes = "/lab/api/settings/@jupyterlab/apputils-extension:themes"
    try:
        open_in_lab(server, page, VIETNAMESE_NB, kernel=False)
        page.locator(f"{SHOWN} .jp-MarkdownCell").first.dblclick()  # markdown edit mode
        page.wait_for_selector(f"{SHOWN} .jp-MarkdownCell .jp-InputArea-editor .cm-content")
        page.locator(f"{SHOWN} .jp-CodeCell .cm-content").first.click()
        page.wait_for_selector(f"{SHOWN} .jp-OutputArea-output pre")
        seen = page.evaluate(FONTS_JS, [lab.CODE_FONT, VIETNAMESE, SHOWN])
        assert not [s for s in server.json("GET", "/api/sessions")
                    if s["path"].endswith(VIETNAMESE_NB)]  # (opened with no kernel)
        screenshot(page, "lab-editor-vietnamese.jpg")
        for where in ("code", "markdown", "output"):
            assert seen[where] and seen[where].startswith(f'"{lab.CODE_FONT}"'), (where, seen)
        assert lab.CODE_FONT in seen["loaded"], seen["loaded"]
        assert seen["covers"], seen
        # the user's own code font (Settings > Theme > code-font-family) still wins: set
        # in the open lab by its theme manager's command (the setting saved as the user's,
        # the font applied on the page as the lab applies a user's setting, an inline
        # --jp-code-font-family on <html>, whether on a change or on a load; a reload to
        # read it from the server, as before, loaded the lab's front end again: ~1.4 s)
        mine = "monospace"
        page.evaluate("""mine => window.jupyterapp.commands.execute('apputils:change-font',
            {enabled: true, font: mine, key: 'code-font-family'})""", mine)
        # (a timeout here: the editor never took the user's font)
        page.wait_for_function("""([shown, mine]) => {
            const code = `${shown} .jp-CodeCell .jp-InputArea-editor .cm-content`;
            const el = document.querySelector(code);
            return el !== null && getComputedStyle(el).fontFamily === mine;
        }""", arg=[SHOWN, mine], timeout=120_000)
        # saved as the user's setting (what the old reload read back from the server)
        saved = server.json("GET", themes)["settings"]
        assert saved.get("overrides", {}).get("code-font-family") == mine, saved
    finally:
        server.json("PUT", themes, {"raw": "{}"})
    # the page's load did not ask the server for a build check (lab.PAGE_CONFIG: every
    # extension is prebuilt; it ran Node.js in the server each time)
    assert server.requests and not [u for u in server.requests if "/lab/api/build" in u]


@pytest.mark.slow
@pytest.mark.browser
def test_the_labs_html_export_is_offline_and_draws_vietnamese(running_lab, lab_page):
    """File > Save and Export Notebook As > HTML: the server's /nbconvert/html/ endpoint,
    whose page opens in a new tab of the lab's browser."""
    server, name = running_lab, NOTEBOOK
    requests: list[str] = []
    page = lab_page.context.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.on("request", lambda req: requests.append(req.url))
        resp = page.goto(f"{server.base}/nbconvert/html/{name}?download=false"
                         f"&token={server.token}", wait_until="load")
        assert resp is not None and resp.status == 200
        seen = page.evaluate("""async () => {
            await document.fonts.ready;
            return {title: document.title,
                    loaded: Array.from(document.fonts).filter(f => f.status === 'loaded')
                        .map(f => f.family.replace(/["']/g, '')),
                    links: Array.from(document.querySelectorAll('a[href]'))
                        .map(a => a.getAttribute('href')),
                    images: Array.from(document.images).map(i => i.naturalWidth)};
        }""")
        screenshot(page, "lab-export.jpg")
    finally:
        page.close()
    others = [u for u in requests if not u.startswith((server.base + "/", "data:"))]
    assert not others, others[:5]
    assert seen["title"] == "Awards and titles"
    assert {"DB Sans", "DB Mono"} <= set(seen["loaded"]), seen["loaded"]
    assert seen["images"] and all(seen["images"])
    # no site beside the export: its links to site pages (source.html#f-…,
    # 12-audit.html#…) are plain text, not dead links
    assert not [h for h in seen["links"] if ".html" in h], seen["links"][:5]


def dbanalysis_version() -> str:
    import dbanalysis

    return dbanalysis.__version__


def test_code_font_has_every_vietnamese_letter_that_dejavu_sans_mono_lacks(tmp_path):
    import matplotlib

    letters = lab.vietnamese_letters()
    assert len(letters) == 2 * (12 * 6 + 17)
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSansMono.ttf"
    assert "ồ" in lab.missing_glyphs(dejavu, letters)  # why the lab needs another font
    assert lab.missing_glyphs(lab.font_source(), letters) == set()
    stale = tmp_path / "share/jupyter/lab/settings/overrides.json"  # an earlier install's
    stale.parent.mkdir(parents=True)
    stale.write_text(json.dumps(lab.STALE_SETTINGS), encoding="utf-8")
    page_config = tmp_path / "etc/jupyter/labconfig/page_config.json"  # a user's disabled one
    page_config.parent.mkdir(parents=True)
    page_config.write_text(json.dumps({"disabledExtensions": {"x-ext": True}}), encoding="utf-8")
    lab.install(tmp_path)
    assert lab.CODE_FONT not in stale.read_text(encoding="utf-8")
    assert json.loads(page_config.read_text(encoding="utf-8")) == {
        "disabledExtensions": {"x-ext": True}, "buildCheck": False, "buildAvailable": False}
    kernel = json.loads((tmp_path / "share/jupyter/kernels/dbanalysis/kernel.json").read_text())
    assert kernel["display_name"] == KERNEL_DISPLAY_NAME
    assert Path(kernel["argv"][0]).resolve() == Path(sys.executable).resolve()
    assert kernel["env"]["MPLBACKEND"] == "module://matplotlib_inline.backend_inline"
    assert (tmp_path / "share/jupyter/nbconvert/templates/dbsite/index.html.j2").is_file()
    for name in ("jupyter_nbconvert_config.json", "jupyter_server_config.json"):
        config = json.loads((tmp_path / "etc/jupyter" / name).read_text())
        assert config["HTMLExporter"]["template_name"] == "dbsite", name
        assert config["HTMLExporter"]["filters"] == {
            "safe_html": "dbanalysis.core.markup.safe_html"}, name
    ext = tmp_path / "share/jupyter/labextensions" / lab.LAB_EXTENSION_NAME
    assert json.loads((ext / "package.json").read_text())["jupyterlab"]["_build"]["load"] == \
        "static/remoteEntry.js" and (ext / "static/remoteEntry.js").is_file()
    enabled = json.loads(
        (tmp_path / "etc/jupyter/jupyter_server_config.d/dbanalysis.json").read_text())
    assert set(enabled["ServerApp"]["jpserver_extensions"]) == {
        "dbanalysis.notebook.lab", "dbanalysis.site.labpages"}
    served = tmp_path / "share" / "dbanalysis" / "lab" / "custom" / lab.CODE_FONT_FILE
    assert lab.missing_glyphs(served, letters) == set()
    assert lab.missing_glyphs(served, "nuôi trồng đều ở mức") == set()


@pytest.mark.slow
@pytest.mark.browser
def test_a_number_in_an_output_opens_its_sentence_in_the_lab(running_lab, lab_page):
    """A click on a number links to source.html#f-<id>: the lab shows the source page in
    a tab, at that figure's sentence (not a 404 for /api/contents/source.html)."""
    server, page, name = running_lab, lab_page, NOTEBOOK
    first = len(server.requests)
    open_in_lab(server, page, name)
    # the lab rewrites source.html#f-<id> to the file's address beside the notebook
    link = page.locator(f'{SHOWN} .jp-OutputArea a[href*="source.html"][href*="#f-"]').first
    link.scroll_into_view_if_needed()
    figure_id = link.get_attribute("href").split("#f-", 1)[1]
    link.click()
    frame_el = page.wait_for_selector(".jp-IFrame iframe, iframe[src*='dbanalysis/site']",
                                      timeout=120_000)
    frame = frame_el.content_frame()
    frame.wait_for_load_state("load")
    seen = frame.evaluate("""() => {
        const el = document.getElementById(location.hash.slice(1));
        const box = el ? el.getBoundingClientRect() : null;
        return {hash: location.hash, path: location.pathname,
                text: el ? el.closest('p, li, td, blockquote, div').innerText : null,
                inView: box ? box.bottom > 0 && box.top < innerHeight : false,
                target: el ? el.matches(':target') : false};
    }""")
    screenshot(page, "lab-number-link.jpg")
    assert seen["path"].endswith("/dbanalysis/site/_site/source.html"), seen
    assert seen["hash"] == f"#f-{figure_id}" and seen["target"] and seen["inView"], seen
    from dbanalysis.catalogue.figures import figure

    quote = str(figure(figure_id)["quote"])
    assert quote[:20] in " ".join(seen["text"].split()), (quote, seen["text"][:300])
    assert not [u for u in server.requests[first:] if "/api/contents/source.html" in u]


def test_the_labs_site_pages_stay_inside_the_site(tmp_path):
    from dbanalysis.site.labpages import page_path

    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "source.html").write_text("source", encoding="utf-8")
    (site / "assets" / "site.css").write_text("css", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    assert page_path(site, "source.html") == (site / "source.html").resolve()
    assert page_path(site, "assets/site.css") == (site / "assets" / "site.css").resolve()
    for outside in ("../secret.txt", "/etc/passwd", "missing.html", "assets"):
        assert page_path(site, outside) is None, outside


def css_urls(html: str) -> list[str]:
    """Every ``url(...)`` of a page's inlined CSS and style attributes."""
    import re

    return [m.group(2) for m in re.finditer(r"""url\(\s*(["']?)(.*?)\1\s*\)""", html)]


@pytest.mark.slow
def test_nbconvert_writes_a_self_contained_dbsite_page(tmp_path):
    """A plain `jupyter nbconvert --to html` uses the `dbsite` template (the environment's
    default: the value `--template dbsite` gives the same setting, found by name the same
    way), here into a folder that holds one page of a built site. (The lab's export test
    sees the same template's page with no site beside it, made by the lab's server: a
    process of its own, which imports the template's filter afresh.)

    The command's own function (``nbconvert.nbconvertapp.main``, which the
    ``jupyter-nbconvert`` script calls) runs here, from the repository's folder, with the
    command's arguments: the application as the global instance (the template's
    preprocessor reads the command's output folder from it), the same configuration
    files found the same way (the environment's ``etc/jupyter``, where ``make env`` writes
    the template setting), the same exporter; the global instance is cleared after it
    (another test's exporter in this process runs outside a command). A process of its
    own cost ~1 s more of CPU: an interpreter and nbconvert's imports."""
    import base64
    import concurrent.futures
    import re

    from fontTools.ttLib import TTFont
    from nbconvert.nbconvertapp import NbConvertApp, main
    from traitlets.config import Application

    from dbanalysis.site import standalone

    before = sorted(p.name for p in (REPO / "notebooks").iterdir())
    out = tmp_path / "html"
    out.mkdir()
    (out / "source.html").write_text("the site's source page", encoding="utf-8")
    assert not Application.initialized()  # (no other command's instance in this process)

    def command() -> None:
        with contextlib.chdir(REPO):
            main(["--to", "html", "--output-dir", str(out), f"notebooks/{NOTEBOOK}"])

    # in a thread of its own: jupyter_core's launch sets an event loop and closes it,
    # and in this thread playwright's (the lab's browser) is running
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(command).result(timeout=300)
    finally:
        NbConvertApp.clear_instance()
    assert not Application.initialized()
    html = (out / "11-awards.html").read_text("utf-8")
    # one file written, nothing else beside it
    assert sorted(p.name for p in out.iterdir()) == ["11-awards.html", "source.html"]
    assert "<title>Awards and titles" in html, re.findall("<title>.*?</title>", html)
    assert "<style>" in html and "db-page" in html  # the site's stylesheet, inlined
    assert "assets/site.css" not in html and "index.html" not in html  # no site links
    assert "<img" in html and "data:image/png;base64," in html
    external = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//[^"' >]+""", html, re.I)
    assert not external, external[:3]
    assert not re.search(r"require\.js|mathjax", html, re.I)
    # every url() resolves: data: URIs that decode, or files beside the page
    urls = css_urls(html)
    fonts = [u for u in urls if u.startswith("data:font/")]
    assert len(fonts) == 4, [u[:40] for u in urls if not u.startswith("data:image/")]
    for url in urls:
        if url.startswith("data:"):
            head, _, data = url.partition(",")
            assert head.endswith(";base64") and base64.b64decode(data, validate=True), url[:60]
        else:
            assert (out / url.split("#")[0]).is_file(), url
    # DB Sans and DB Mono draw every Vietnamese letter (DB Mono takes them, U+1EA0-1EF9,
    # from DejaVu Sans: DejaVu Sans Mono lacks some)
    for face in re.findall(r"@font-face\s*{[^}]*}", html):
        if "U+1EFA-10FFFF" in face:
            continue
        url = css_urls(face)[0]
        cmap = TTFont(io.BytesIO(base64.b64decode(url.partition(",")[2])))["cmap"].getBestCmap()
        assert not {c for c in lab.vietnamese_letters() if ord(c) not in cmap}, face[:60]
    # each font file of the stylesheet embedded as its own cut (the cuts are kept on disk
    # per face: a key without the face would hand one face's cut to the others)
    faces = {TTFont(io.BytesIO(base64.b64decode(u.partition(",")[2])))["name"].getDebugName(4)
             for u in fonts}
    assert len(faces) == len(set(standalone._FONT_URL.findall(
        standalone.SITE_CSS.read_text(encoding="utf-8")))), faces
    # a link to a site page works where that page is beside it, else it is plain text
    assert 'href="source.html#f-' in html
    assert "12-audit.html#" in (REPO / "notebooks" / NOTEBOOK).read_text("utf-8")
    assert 'href="12-audit.html' not in html
    assert sorted(p.name for p in (REPO / "notebooks").iterdir()) == before


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def run_cell(page, index: int) -> None:
    """Select the ``index``-th cell of the open notebook and run it (Shift+Enter)."""
    cell = page.locator(f"{SHOWN} .jp-Cell").nth(index)
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")


@pytest.mark.slow
@pytest.mark.browser
def test_re_running_a_cell_and_saving_is_undone_by_make_normalise(running_lab, lab_page):
    """Opening and saving changes nothing; re-running cells (their output unchanged) and
    saving changes only execution counts, which `make normalise` numbers back."""
    server, page, name = running_lab, lab_page, NOTEBOOK
    path = server.root / name
    before = path.read_bytes()
    nb = nbformat.reads(before.decode(), as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    open_in_lab(server, page, name)
    deadline = time.monotonic() + 120
    while True:  # the kernel connected: the lab has written its metadata by now
        sessions = server.json("GET", "/api/sessions")
        if any(s["path"].endswith(name) and s["kernel"]["execution_state"] == "idle"
               for s in sessions):
            break
        assert time.monotonic() < deadline, "the notebook's kernel never became idle"
        time.sleep(0.5)
    assert [s["kernel"]["name"] for s in sessions if s["path"].endswith(name)] == [
        KERNEL_NAME]  # the kernel the lab started for the notebook
    # and the notebook's own status: its kernel connected, idle
    page.wait_for_selector(
        f'{SHOWN} .jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=120_000)
    assert page.locator(".jp-mod-dirty").count() == 0, "opening marked it modified"

    def save() -> None:
        mtime = path.stat().st_mtime_ns
        page.locator(SHOWN).click()
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 60
        while path.stat().st_mtime_ns == mtime:
            assert time.monotonic() < deadline, "the lab did not save the notebook"
            time.sleep(0.2)
        # the server truncates, then writes: wait until the file is whole and settled
        # (a read in between saw it empty under load)
        while True:
            stamp, data = path.stat().st_mtime_ns, path.read_bytes()
            time.sleep(0.3)
            if data and path.stat().st_mtime_ns == stamp and _is_json(data):
                break
            assert time.monotonic() < deadline, "the saved notebook never settled"

    save()
    assert path.read_bytes() == before
    # the imports twice, then the first cell with an output: counts 1, 2, 3
    for index in (code[0], code[0], code[1]):
        run_cell(page, index)
    prompt = page.locator(f"{SHOWN} .jp-Cell").nth(code[1]).locator(
        ".jp-InputPrompt")
    prompt.filter(has_text="[3]").wait_for(timeout=120_000)
    save()
    saved = nbformat.reads(path.read_text("utf-8"), as_version=4)
    assert saved.cells[code[1]].execution_count == 3 != nb.cells[code[1]].execution_count
    assert [c.get("outputs") for c in saved.cells] == [c.get("outputs") for c in nb.cells]
    proc = subprocess.run(["make", "--no-print-directory", "normalise", f"NB={path}"],
                          cwd=REPO, env=server.env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert path.read_bytes() == before


@pytest.mark.slow
def test_make_lab_runs_the_project_kernel_which_plots_inline(running_lab):
    server = running_lab
    assert "started" in server.json("GET", "/api/status")
    specs = server.json("GET", "/api/kernelspecs")
    assert specs["default"] == KERNEL_NAME
    assert specs["kernelspecs"][KERNEL_NAME]["spec"]["display_name"] == KERNEL_DISPLAY_NAME

    # the kernel of the report notebook's session: the one the lab started when the
    # browser tests opened the notebook (else one started here: no kernel named, the
    # default), which has run the notebook's imports
    session = server.json("POST", "/api/sessions",
                          {"path": NOTEBOOK, "name": NOTEBOOK, "type": "notebook"})
    assert session["kernel"]["name"] == KERNEL_NAME
    replies = execute_over_websocket(server, session["kernel"]["id"], (
        "import dbanalysis, matplotlib.pyplot as plt\n"
        "print(dbanalysis.__version__)\n"
        "plt.plot([2015, 2020], [1, 2])\n"
        "plt.show()\n"
    ))
    errors = [m["content"] for m in replies if m["msg_type"] == "error"]
    assert not errors, errors
    printed = "".join(m["content"]["text"] for m in replies if m["msg_type"] == "stream")
    assert printed.strip() == dbanalysis_version()
    images = [m for m in replies
              if m["msg_type"] == "display_data" and "image/png" in m["content"]["data"]]
    assert len(images) == 1, [m["msg_type"] for m in replies]


@pytest.mark.slow
def test_the_lab_and_its_browser_leave_the_home_alone(running_lab, chromium_env):
    """The last test of the module: `make lab`, its kernels and `make normalise` ran
    under a fresh HOME (Chromium too, under its own), which must still be empty once
    the lab has stopped; the lab's own state stayed in its temp folders."""
    server = running_lab
    server.stop()
    assert home_contents(server.env) == []
    # no npm ran (npm logs each run in its cache folder): no build check on page loads
    # (lab.PAGE_CONFIG), no language-server scan at start (lab.SERVER_CONFIG)
    npm = Path(server.env["npm_config_cache"])
    assert sorted(str(p.relative_to(npm)) for p in npm.rglob("*")) == []
    state = Path(server.env["JUPYTERLAB_WORKSPACES_DIR"])
    assert list(state.glob("*.jupyterlab-workspace")) or not chromium_env
    if chromium_env is not None:
        assert home_contents(chromium_env) == []


@pytest.mark.parametrize("content", ['{"disabledExtensions": ', "[1, 2]"])
def test_a_broken_page_config_is_named_and_nothing_is_installed(tmp_path, capsys, content):
    """REREAD-0200 Q10: a page_config.json that is not a JSON object stops the install
    with an error naming the file (exit 2, no traceback), before anything is written."""
    page_config = tmp_path / "etc/jupyter/labconfig/page_config.json"
    page_config.parent.mkdir(parents=True)
    page_config.write_text(content, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "prefix", str(tmp_path))
        mp.setattr(lab.install, "__defaults__", (str(tmp_path),))
        assert lab.main(["install"]) == 2
    err = capsys.readouterr().err
    assert str(page_config) in err and "Traceback" not in err, err
    assert page_config.read_text(encoding="utf-8") == content
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                  if p.is_file()) == ["etc/jupyter/labconfig/page_config.json"]
