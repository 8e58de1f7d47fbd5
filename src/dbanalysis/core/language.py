"""The two languages of the package and the current one.

Labels, units, number notation, chart text and narrative read the current
language from here; :func:`using` switches it for a block and restores it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

#: The languages every page, table and chart exists in, in edition order.
LANGS: tuple[str, ...] = ("en", "vi")

_state = {"lang": "en"}


def check(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else a :class:`ValueError` naming both."""
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, not {lang!r}")
    return lang


def set_language(lang: str) -> None:
    """Make ``lang`` the current language."""
    _state["lang"] = check(lang)


def get_language() -> str:
    """The current language (``"en"`` until :func:`set_language` says otherwise)."""
    return _state["lang"]


def resolve(lang: str | None) -> str:
    """``lang``, or the current language when ``lang`` is None."""
    return check(lang or get_language())


@contextlib.contextmanager
def using(lang: str) -> Iterator[str]:
    """Make ``lang`` current inside the ``with`` block; restore the previous one after."""
    previous = get_language()
    set_language(lang)
    try:
        yield lang
    finally:
        _state["lang"] = previous
