"""Modules stay small: none of the package's modules is over 500 lines."""

from __future__ import annotations

from pathlib import Path

import dbanalysis

LIMIT = 500


def test_no_module_is_over_the_limit():
    src = Path(dbanalysis.__file__).parent
    sizes = {p.relative_to(src).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in src.rglob("*.py")}
    assert sizes and max(sizes.values()) > 0
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}
