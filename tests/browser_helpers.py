"""What the browser tests share: the system Chromium, its flags, a loopback file server.

Kept out of conftest.py so test modules import them by name (as site_helpers).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
REAL_NOTEBOOKS = REPO / "notebooks"


def require_chromium() -> None:
    """Skip without Chromium, except on CI (``CI=true``), where that fails."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install it with `apt-get install -y chromium`"
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot be skipped on CI: {message}")
    pytest.skip(message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser dropped a connection it no longer needed


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) from a thread; the server and its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
