"""Which Chromium the browser tests start, and its flags (tests/browser_helpers.py re-exports
them; conftest.py's ``_Chromium`` starts it with them)."""

from __future__ import annotations

from pathlib import Path

#: Debian's chromium-headless-shell: the Blink and V8 of /usr/bin/chromium without the
#: desktop browser around them (playwright's own choice for headless runs), about half
#: the CPU per page load (the browser process, ~90 -> ~20 ms a page); /usr/bin/chromium
#: where it is not installed. With the hinting flag below both lay out every page of the
#: site to the same pixel (heights and line breaks compared on all 64 page loads).
HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
CHROMIUM = HEADLESS_SHELL if HEADLESS_SHELL.exists() else Path("/usr/bin/chromium")
#: The features playwright (1.65) disables in the Chromium it starts: its own
#: ``--disable-features``, which the one of :data:`CHROMIUM_ARGS` must carry.
PLAYWRIGHT_DISABLED = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
    "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin", "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled",
    "PreconnectToSearch", "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion")
CHROMIUM_ARGS = [
    "--headless",
    # text metrics as the desktop browser's (the shell hints glyphs fully by default:
    # narrower lines, other line breaks)
    "--font-render-hinting=none",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # no name resolves but the loopback's: a page that asks another host fails to load it
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    # RenderDocument: a tab's next page reuses its frame and compositor (~12 ms of CPU a
    # load, reads the same). Chromium applies only the last --disable-features of its
    # command line (and the last --enable-features): this one, after playwright's, carries
    # playwright's list too (alone, it dropped all of it but PaintHolding, which the headless
    # shell turns off itself); test_site_browser checks the features Chromium applied
    "--disable-features=" + ",".join([*PLAYWRIGHT_DISABLED, "RenderDocument"]),
]
