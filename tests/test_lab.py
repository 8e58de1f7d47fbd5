"""JupyterLab smoke test: `make lab` serves the project kernel, which imports the
package and draws inline; the lab's Vietnamese code font is configured and served."""

from __future__ import annotations

import contextlib
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

import pytest

from dbanalysis.notebook import lab
from dbanalysis.notebook.normalise import KERNEL_DISPLAY_NAME, KERNEL_NAME

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 180  # seconds: the machine may be shared


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, port: int, token: str, root: Path):
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.root = root

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
    root = tmp_path_factory.mktemp("notebooks")  # a copy: the browser test saves a notebook
    for nb in (REPO / "notebooks").glob("*.ipynb"):
        shutil.copy2(nb, root / nb.name)
    args = (f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
            f"--ServerApp.port_retries=0 --IdentityProvider.token={token}")
    env = {**os.environ, "MPLBACKEND": "Agg"}  # what `make test` exports; the lab must not care
    log = tmp_path_factory.mktemp("lab") / "lab.log"
    with log.open("wb") as out:
        cmd = ["make", "--no-print-directory", "lab", f"ARGS={args}", f"LAB_ROOT={root}"]
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = Lab(port, token, root)
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
def test_make_lab_runs_the_project_kernel_which_plots_inline(running_lab):
    server = running_lab
    assert "started" in server.json("GET", "/api/status")
    specs = server.json("GET", "/api/kernelspecs")
    assert specs["default"] == KERNEL_NAME
    assert specs["kernelspecs"][KERNEL_NAME]["spec"]["display_name"] == KERNEL_DISPLAY_NAME

    kernel = server.json("POST", "/api/kernels", {"name": KERNEL_NAME})
    try:
        replies = execute_over_websocket(server, kernel["id"], (
            "import dbanalysis, matplotlib.pyplot as plt\n"
            "print(dbanalysis.__version__)\n"
            "plt.plot([2015, 2020], [1, 2])\n"
            "plt.show()\n"
        ))
    finally:
        server.request("DELETE", f"/api/kernels/{kernel['id']}")
    errors = [m["content"] for m in replies if m["msg_type"] == "error"]
    assert not errors, errors
    printed = "".join(m["content"]["text"] for m in replies if m["msg_type"] == "stream")
    assert printed.strip() == dbanalysis_version()
    images = [m for m in replies
              if m["msg_type"] == "display_data" and "image/png" in m["content"]["data"]]
    assert len(images) == 1, [m["msg_type"] for m in replies]


@pytest.mark.slow
def test_the_lab_serves_its_vietnamese_code_font(running_lab):
    server = running_lab
    themes = server.json("GET", "/lab/api/settings/@jupyterlab/apputils-extension:themes")
    # overrides.json changes the defaults the lab's settings schema declares
    family = themes["schema"]["properties"]["overrides"]["default"]["code-font-family"]
    assert family.startswith(f"'{lab.CODE_FONT}'")
    status, css = server.request("GET", "/custom/custom.css")
    assert status == 200 and f"font-family: '{lab.CODE_FONT}'" in css.decode()
    status, font = server.request("GET", f"/custom/{lab.CODE_FONT_FILE}")
    assert status == 200 and font[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    status, page = server.request("GET", "/lab")
    assert status == 200 and b"custom/custom.css" in page


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
    lab.install(tmp_path)
    kernel = json.loads((tmp_path / "share/jupyter/kernels/dbanalysis/kernel.json").read_text())
    assert kernel["display_name"] == KERNEL_DISPLAY_NAME
    assert Path(kernel["argv"][0]).resolve() == Path(sys.executable).resolve()
    assert kernel["env"]["MPLBACKEND"] == "module://matplotlib_inline.backend_inline"
    overrides = json.loads((tmp_path / "share/jupyter/lab/settings/overrides.json").read_text())
    assert lab.CODE_FONT in json.dumps(overrides)
    assert (tmp_path / "share/jupyter/nbconvert/templates/dbsite/index.html.j2").is_file()
    nbconvert = json.loads((tmp_path / "etc/jupyter/jupyter_nbconvert_config.json").read_text())
    assert nbconvert["HTMLExporter"]["template_name"] == "dbsite"
    assert nbconvert["HTMLExporter"]["filters"] == {"safe_html": "dbanalysis.core.markup.safe_html"}
    served = tmp_path / "share" / "dbanalysis" / "lab" / "custom" / lab.CODE_FONT_FILE
    assert lab.missing_glyphs(served, letters) == set()
    assert lab.missing_glyphs(served, "nuôi trồng đều ở mức") == set()


@pytest.mark.slow
@pytest.mark.parametrize("template", [["--template", "dbsite"], []], ids=["by-name", "default"])
def test_nbconvert_finds_the_offline_template_by_name(tmp_path, template):
    import re

    before = sorted(p.name for p in (REPO / "notebooks").iterdir())
    out = tmp_path / "html"
    proc = subprocess.run(
        [str(REPO / ".venv" / "bin" / "jupyter"), "nbconvert", "--to", "html",
         *template, "--output-dir", str(out), "notebooks/11-awards.ipynb"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    html = (out / "11-awards.html").read_text("utf-8")
    assert "<style>" in html and "db-page" in html  # the site's stylesheet, inlined
    assert "assets/site.css" not in html and "index.html" not in html  # no site links
    assert "<img" in html and "data:image/png;base64," in html
    external = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//[^"' >]+""", html, re.I)
    assert not external, external[:3]
    assert not re.search(r"require\.js|mathjax", html, re.I)
    assert sorted(p.name for p in (REPO / "notebooks").iterdir()) == before


@pytest.mark.slow
@pytest.mark.browser
def test_opening_and_saving_a_notebook_in_the_lab_changes_nothing(running_lab, browser):
    server, name = running_lab, "11-awards.ipynb"
    path = server.root / name
    before = path.read_bytes()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server.base}/lab/tree/{name}?token={server.token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
        deadline = time.monotonic() + 120
        while True:  # the kernel connected: the lab has written its metadata by now
            sessions = server.json("GET", "/api/sessions")
            if any(s["path"].endswith(name) and s["kernel"]["execution_state"] == "idle"
                   for s in sessions):
                break
            assert time.monotonic() < deadline, "the notebook's kernel never became idle"
            time.sleep(0.5)
        assert sessions[0]["kernel"]["name"] == KERNEL_NAME
        page.wait_for_timeout(2000)
        assert page.locator(".jp-mod-dirty").count() == 0, "opening marked it modified"
        mtime = path.stat().st_mtime_ns
        page.locator(".jp-NotebookPanel").first.click()
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 60
        while path.stat().st_mtime_ns == mtime:
            assert time.monotonic() < deadline, "the lab did not save the notebook"
            time.sleep(0.2)
    finally:
        context.close()
    assert path.read_bytes() == before
