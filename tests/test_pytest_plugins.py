"""``make test`` names its pytest plugins (the Makefile's PYTEST_ARGS, with
``--disable-plugin-autoload``) instead of loading every installed one: each installed
plugin is either named there or declared here as left out, with why, so that a plugin
added to the environment is not silently missing from ``make test`` while a plain
``pytest`` loads it."""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path

MAKEFILE = Path(__file__).parents[1] / "Makefile"

#: Installed plugins ``make test`` does not load (entry-point names), and why. A test
#: that came to need one fails loudly without it: fixture not found, a mark unknown
#: under ``--strict-markers``, an ``async def`` test not supported.
LEFT_OUT = {
    "anyio": "no test uses its fixtures (free_tcp_port, anyio_backend) or its mark",
    "platformdirs": "no test uses its fixture (platformdirs_isolated)",
    "xdist.looponfail": "pytest-xdist's deprecated --looponfail, not used",
}


def make_variable(name: str) -> str:
    """A ``NAME := value`` variable of the Makefile, its continued lines joined."""
    text = MAKEFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    found = re.search(rf"^{name}\s*:=(.*)$", text, re.M)
    assert found, f"{name} not in the Makefile"
    return found.group(1)


def test_make_test_names_every_installed_pytest_plugin_or_says_why_not() -> None:
    args = make_variable("PYTEST_ARGS").split()
    assert "--disable-plugin-autoload" in args
    named = {args[i + 1] for i, arg in enumerate(args[:-1]) if arg == "-p"}
    installed = {ep.name for ep in entry_points(group="pytest11")}
    assert installed - named - LEFT_OUT.keys() == set(), "installed, neither named nor left out"
    assert named & LEFT_OUT.keys() == set()
    assert LEFT_OUT.keys() <= installed, "left out, no longer installed"
    assert {"xdist", "nbval", "hypothesispytest"} <= named
