"""Addresses on the built site: one builder per page kind, one place for page names.

A catalogued figure is highlighted on the source page under the anchor ``f-<figure id>``;
an audit check is anchored on the audit page by its id. Every page, table, chart source
and the front page link through these functions (the caller escapes for its context).

>>> source_link("agri_cattle"), audit_link("growth_cattle")
('source.html#f-agri_cattle', '12-audit.html#growth_cattle')
>>> audit_link("growth_cattle", page="vi/12-audit.html")
'vi/12-audit.html#growth_cattle'
"""

from __future__ import annotations

#: The site's front page.
INDEX_PAGE = "index.html"
#: The source page: the report's text with every catalogued figure highlighted.
SOURCE_PAGE = "source.html"
#: The audit page (the notebook 12-audit); each check is anchored there by its id.
AUDIT_PAGE = "12-audit.html"
#: Prefix of a figure's anchor on the source page.
FIGURE_ANCHOR_PREFIX = "f-"


def figure_anchor(figure_id: str) -> str:
    """The id of a catalogued figure's highlight on the source page."""
    return f"{FIGURE_ANCHOR_PREFIX}{figure_id}"


def source_link(figure_id: str) -> str:
    """The address of a catalogued figure's highlight on the source page."""
    return f"{SOURCE_PAGE}#{figure_anchor(figure_id)}"


def page_link(page: str) -> str:
    """The address of a notebook's page (``08-security-defence`` → ``08-security-defence.html``),
    as seen from any page of the same edition."""
    return f"{page}.html"


def check_anchor(check_id: str) -> str:
    """The id of an audit check's paragraph or table row on the audit page."""
    return check_id


def audit_link(check_id: str, page: str = AUDIT_PAGE) -> str:
    """The address of one check on the audit page (``page``: its address as seen from
    the linking page, e.g. from the front page of an edition)."""
    return f"{page}#{check_anchor(check_id)}"
