"""audit-text's HTML page: the article with each checked number marked, and the checks.

One self-contained page per report (the site's stylesheet inlined, no script, no
network), rendered from the site's templates (``templates/site/base.html.j2`` and
``textaudit.html.j2``) with autoescape on, so every piece of the report's text is escaped.
Both languages are on the page: headings, verdicts and explanations in English and
Vietnamese, the article as written.
"""

from __future__ import annotations

import itertools
from importlib.resources import files

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..catalogue import vocab
from ..core import labels
from ..core.language import LANGS
from ..core.version import __version__
from .model import Check

__all__ = ["render_page"]

_TEMPLATES = files("dbanalysis") / "templates"
_CSS = """
.db-textaudit main { max-width: 60rem; margin: 0 auto; padding: 0 1rem 3rem; }
.ta-lead { font-size: 1.05rem; }
.ta-checks { padding-left: 1.6rem; }
.ta-check { margin: 0 0 1rem; padding: 0.4rem 0.6rem; border-left: 4px solid #888; }
.ta-check p { margin: 0.2rem 0; }
.ta-head { font-weight: bold; display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; }
.ta-quotes a { color: inherit; }
.ta-consistent { border-color: #2e7d32; }
.ta-inconsistent { border-color: #b00020; }
.ta-ambiguous { border-color: #b26a00; }
.ta-unverifiable { border-color: #666; }
.ta-article { white-space: pre-wrap; line-height: 1.6; overflow-wrap: anywhere; }
mark.ta-consistent { background: #dcefdc; }
mark.ta-inconsistent { background: #f8d0d4; }
mark.ta-ambiguous { background: #fde7c0; }
mark.ta-unverifiable { background: #e6e6e6; }
.ta-ref { font-size: 0.7em; vertical-align: super; margin-left: 0.1em; color: #333; }
"""


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(_TEMPLATES / "site")),
                       autoescape=select_autoescape(default=True, default_for_string=True))


def _pieces(text: str, checks: list[Check]) -> tuple[list[dict], dict[int, int]]:
    """The text cut at every quote boundary; each piece with the checks covering it."""
    cuts = sorted({0, len(text), *(x for c in checks for s in c.spans for x in s)})
    severity = vocab.verdict_severity()
    pieces: list[dict] = []
    first_mark: dict[int, int] = {}
    for a, b in itertools.pairwise(cuts):
        covering = [i + 1 for i, c in enumerate(checks) if any(s <= a and b <= e
                                                                for s, e in c.spans)]
        piece: dict = {"text": text[a:b], "checks": covering}
        if covering:
            worst = min((checks[n - 1].verdict for n in covering), key=lambda v: severity[v])
            # (a mark's title, in English as its verdict words: one language per title)
            piece.update(mark=len(pieces), verdict=worst, title=labels.joined(
                (f"{n}: {vocab.verdict_label(checks[n - 1].verdict, 'en')}"
                 for n in covering), "en"))
            for n in covering:
                first_mark.setdefault(n, len(pieces))
        pieces.append(piece)
    return pieces, first_mark


def render_page(name: str, text: str, checks: list[Check]) -> str:
    """The HTML page of one report."""
    pieces, first_mark = _pieces(text, checks)
    counts: dict[str, int] = {}
    for c in checks:
        counts[c.verdict] = counts.get(c.verdict, 0) + 1

    def both(key: str, **fields: object) -> dict[str, str]:
        return {lang: labels.text(f"textaudit.{key}", lang, **fields) for lang in LANGS}

    def summary(lang: str) -> str:
        return ", ".join(f"{n} {vocab.verdict_counted(v, lang)}" for v, n in sorted(
            counts.items(), key=lambda kv: vocab.verdict_severity()[kv[0]]))

    lead = {lang: labels.text("textaudit.page.lead", lang, n=len(checks), summary=summary(lang))
            for lang in LANGS} if checks else both("page.none")
    rows = [{"verdict": c.verdict, "verdict_en": vocab.verdict_label(c.verdict, "en"),
             "verdict_vi": vocab.verdict_label(c.verdict, "vi"),
             "kind_en": labels.text(f"textaudit.kind.{c.check}", "en"),
             "kind_vi": labels.text(f"textaudit.kind.{c.check}", "vi"),
             "quotes": c.quotes, "explanation": c.explanation,
             "first_mark": first_mark.get(i + 1, 0)} for i, c in enumerate(checks)]
    css = (_TEMPLATES / "dbsite" / "static" / "site.css").read_text(encoding="utf-8")
    footer = "".join(f"<p>{escape(line)}</p>" for line in
                     (*both("page.source", name=name).values(),
                      *both("page.generated", version=__version__).values()))
    chrome = {"lang": "vi", "head": Markup("<style>{}{}</style>").format(Markup(css),
                                                                        Markup(_CSS)),
              "nav_top": "", "nav_bottom": "",
              "footer": Markup('<footer class="db-footer">{}</footer>').format(Markup(footer))}
    ui = {k: both(f"page.{k}") for k in ("checks", "text", "none")}
    return _env().get_template("textaudit.html.j2").render(
        chrome=chrome, title=both("page.title", name=name), lead=lead, checks=rows,
        pieces=pieces, ui=ui)
