"""Addresses on the built site: one builder per page kind, one place for page names.

A catalogued figure is highlighted on the source page under the anchor ``f-<figure id>``;
an audit check is anchored on the audit page by its id. Every page, table, chart source
and the front page link through these functions (the caller escapes for its context).

>>> source_link("agri_cattle"), audit_link("growth_cattle")
('source.html#f-agri_cattle', '12-audit.html#growth_cattle')
>>> audit_link("growth_cattle", page="vi/12-audit.html")
'vi/12-audit.html#growth_cattle'
>>> section_link("07-health", "What the audit finds")
'07-health.html#What-the-audit-finds'
>>> heading_anchor("Kết quả kiểm tra")
'K%E1%BA%BFt-qu%E1%BA%A3-ki%E1%BB%83m-tra'
"""

from __future__ import annotations

from urllib.parse import quote

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


def heading_anchor(heading: str) -> str:
    """The id the site's pages give a Markdown heading of text ``heading``: nbconvert's
    rule (``nbconvert.filters.strings._convert_header_id``, private there): spaces as
    hyphens, then URL-quoted but for the characters a fragment may hold."""
    return quote(heading.replace(" ", "-"), safe="?/:@!$&'()*+,;=")


def section_link(page: str, heading: str) -> str:
    """The address of the section headed ``heading`` on a notebook's page."""
    return f"{page_link(page)}#{heading_anchor(heading)}"


def check_anchor(check_id: str) -> str:
    """The id of an audit check's paragraph or table row on the audit page."""
    return check_id


def audit_link(check_id: str, page: str = AUDIT_PAGE) -> str:
    """The address of one check on the audit page (``page``: its address as seen from
    the linking page, e.g. from the front page of an edition)."""
    return f"{page}#{check_anchor(check_id)}"
