"""The front page (``index.html``) of one edition: source, findings, audit line, page cards.

Everything on it is computed: the citation from the metadata sidecar, the
headline findings from ``data/findings.csv`` (:mod:`dbanalysis.render.headlines`), the
audit line from :func:`dbanalysis.audit.run.run_audit` (these two kept on disk per version
of the data and the code, :func:`kept_findings_and_audit`), and each card's lede from its
notebook (the ``lede`` cell's output, else the first paragraph with every
sentence that another card repeats left out).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from babel.numbers import format_decimal
from markupsafe import Markup, escape

from ..audit.run import run_audit
from ..audit.titles import check_title
from ..catalogue import vocab
from ..catalogue.figures import load_figures
from ..catalogue.source import citation
from ..core import labels
from ..core.cache import data_code_version, kept_text
from ..core.links import audit_link
from ..render import tables
from ..render.headlines import Finding, headline_findings
from .pages import Chrome, Page, jinja_env, md_to_html, ui

#: Two sentences of different cards this similar (difflib ratio) are boilerplate.
BOILERPLATE_SIMILARITY = 0.75
#: Two sentences of different cards that open with this many equal words are boilerplate.
OPENING_WORDS = 5
#: A fallback lede keeps at most this many sentences.
FALLBACK_SENTENCES = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ỹ“\"(*_])")


@dataclass(frozen=True)
class Card:
    """One page card of the front page: link, title, lede, language."""

    href: str
    title: str
    lede_html: Markup
    lang: str


def sentences(markdown: str) -> list[str]:
    """The sentences of a paragraph (lines joined)."""
    text = " ".join(markdown.split())
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def _same_opening(a: str, b: str) -> bool:
    wa, wb = a.split(), b.split()
    return len(wa) >= OPENING_WORDS and wa[:OPENING_WORDS] == wb[:OPENING_WORDS]


def without_boilerplate(texts: Sequence[str], owners: Sequence[int] | None = None) -> list[str]:
    """Each text without the sentences that (nearly) repeat a sentence of another owner's
    text: similar as a whole, or opening with the same words."""
    owners = list(range(len(texts))) if owners is None else list(owners)
    split = [sentences(t) for t in texts]
    kept = []
    for i, own in enumerate(split):
        others = [s for j, ss in enumerate(split) if owners[j] != owners[i] for s in ss]
        keep = [s for s in own
                if not any(_same_opening(s, o)
                           or difflib.SequenceMatcher(None, s, o).ratio() >= BOILERPLATE_SIMILARITY
                           for o in others)]
        kept.append(" ".join(keep))
    return kept


def fallback_ledes(texts: Sequence[str], max_sentences: int = FALLBACK_SENTENCES) -> list[str]:
    """For each page's first paragraphs (blank-line separated): the first paragraph that
    keeps something once the sentences other pages repeat are left out, shortened to
    ``max_sentences`` sentences."""
    paragraphs = [[p for p in re.split(r"\n\s*\n", t) if p.strip()] for t in texts]
    flat = [(i, p) for i, ps in enumerate(paragraphs) for p in ps]
    cleaned = without_boilerplate([p for _, p in flat], owners=[i for i, _ in flat])
    out = [""] * len(texts)
    for (i, _), kept in zip(flat, cleaned, strict=True):
        if not out[i] and kept:
            out[i] = " ".join(sentences(kept)[:max_sentences])
    return out


def cards(pages: Sequence[Page], lang: str) -> list[Card]:
    """One card per page; a fallback lede loses what other cards repeat."""
    fallback = [i for i, p in enumerate(pages) if not p.lede_from_cell.get(lang)]
    cleaned = dict(zip(fallback, fallback_ledes([pages[i].ledes[lang] for i in fallback]),
                       strict=True))
    return [Card(p.href, p.title(lang), Markup(md_to_html(cleaned.get(i, p.ledes[lang]), lang)),
                 p.content_lang(lang))
            for i, p in enumerate(pages)]


def audit_page(pages: Sequence[Page]) -> Page | None:
    """The page that explains the audit (its file name ends in ``audit``)."""
    found = [p for p in pages if p.path.stem.endswith("audit")]
    return found[0] if found else None


def audit_line(lang: str, audit_href: str | None) -> dict:
    """What the one-line audit summary shows: counts per verdict, named checks."""
    audit = run_audit()
    counts = audit["verdict"].value_counts()
    parts = []
    for verdict in vocab.verdicts_by_severity():
        n = int(counts.get(verdict, 0))
        named = []
        if verdict in vocab.doubtful_verdicts():
            for c in audit[audit["verdict"] == verdict].itertuples():
                named.append({"check_id": c.check_id,
                              "name": check_title(c.check_id, c.category, c.figure_ids, lang),
                              "href": audit_link(c.check_id, audit_href) if audit_href else None})
        parts.append({"n": format_decimal(n, locale=lang), "verdict": verdict,
                      "label": vocab.verdict_counted(verdict, lang), "named": named})
    return {"run": ui("index.audit_run", lang, n=format_decimal(len(audit), locale=lang)),
            "parts": parts, "href": audit_href}


def _nested(title: str) -> str:
    """A check's name as the front page quotes it (inside “…”): its own double quotes become
    single ones, so no “” or ““ is doubled (“‘Số hộ nghèo’: …”)."""
    return title.replace("“", "‘").replace("”", "’")


def finding_items(findings: Sequence[Finding], lang: str, audit_href: str | None) -> list[dict]:
    """The headline findings as template items, each with its trust and its audit checks."""
    items = []
    categories = run_audit().set_index("check_id")[["category", "figure_ids"]]
    for f in findings:
        checks = [{"check_id": c, "verdict": vocab.verdict_label(v, lang),
                   "title": _nested(check_title(c, str(categories.loc[c, "category"]),
                                                str(categories.loc[c, "figure_ids"]), lang)),
                   "href": audit_link(c, audit_href) if audit_href else None}
                  for c, v in f.checks if v in vocab.explained_verdicts()]
        items.append({"id": f.finding_id, "html": f.html(lang), "trust": f.trust,
                      "trust_label": tables.status_label(f.trust, lang),
                      "trust_help": str(tables.statuses().loc[f.trust, f"description_{lang}"]),
                      "checks": checks})
    return items


def _markup_paths(value: object, path: tuple = ()) -> list[tuple]:
    """Where ``value`` (made of dicts, lists and JSON's scalars) holds a Markup: JSON gives
    a Markup back as a plain text, which the page would escape again. Anything else JSON
    would give back as another type (a tuple as a list, a number key as a text) is refused,
    so that what is kept is given back as it was made."""
    if isinstance(value, Markup):
        return [path]
    if type(value) is dict and all(type(k) is str for k in value):
        return [p for k, v in value.items() for p in _markup_paths(v, (*path, k))]
    if type(value) is list:
        return [p for i, v in enumerate(value) for p in _markup_paths(v, (*path, i))]
    if type(value) in (str, int, float, bool, type(None)):
        return []
    raise TypeError(f"{path}: a {type(value).__name__} is not kept as it is by JSON")


def kept_findings_and_audit(lang: str, audit_href: str | None) -> tuple[list[dict], dict]:
    """:func:`finding_items` of the headline findings and the :func:`audit_line`, kept on
    disk per version of the data and the code (core.cache.kept_text), as the source page's
    article is: every process that builds a site computed them again (the findings' trust,
    checks and sentences, the audit's counts: ~0.09 s of CPU a process, half of a small
    build in a fresh one). The places of their Markup are kept with them, and made Markup
    again when read (:func:`_markup_paths`)."""
    def make(_key: str) -> str:
        made = [finding_items(headline_findings(), lang, audit_href),
                audit_line(lang, audit_href)]
        return json.dumps([made, _markup_paths(made)], ensure_ascii=False)
    # the key a JSON list: no audit page (None) is not an audit page named "" (its "href")
    (items, audit), markup = json.loads(kept_text(
        "front-findings", data_code_version("babel", "markupsafe"),
        json.dumps([lang, audit_href]), make))
    for *parents, last in markup:
        holder = [items, audit]
        for step in parents:
            holder = holder[step]
        holder[last] = Markup(holder[last])
    return items, audit


def source_url(url: str | None, lang: str) -> Markup:
    """The article's web address and how it was found, or how to find the article when
    it is not known. The address is text in ``<code>``, not a link (the site links to
    no other host), and typography leaves it as it is (a hyphen stays a hyphen)."""
    if not url:
        return escape(ui("index.source_no_url", lang))
    return Markup(str(escape(ui("index.source_url", lang, url="\x00"))).replace(
        "\x00", str(Markup('<code class="db-url">{}</code>').format(url))))


def render_index(pages: Sequence[Page], chrome: Chrome) -> str:
    """The front page of ``chrome.lang``'s edition."""
    lang = chrome.lang
    c = citation()
    # the article's title as printed (<cite>: typography leaves it as it is)
    cite = Markup(escape(labels.template("citation.reference", lang))).format(
        **{**c.reference_fields(lang),
           "title": Markup('“<cite lang="vi">{}</cite>”').format(c.title)})
    source_text = escape(ui("index.source_text", lang, citation="\x00",
                            n=format_decimal(len(load_figures()), locale=lang)))
    audit = audit_page(pages)
    findings, audit_summary = kept_findings_and_audit(lang, audit.href if audit else None)
    return jinja_env().get_template("index.html.j2").render(
        chrome=chrome, lang=lang,
        title=ui("site.title", lang), subtitle=ui("site.subtitle", lang),
        source_text=Markup(str(source_text).replace("\x00", str(cite))),
        source_url=source_url(c.url, lang),
        findings=findings,
        audit=audit_summary,
        cards=cards(pages, lang),
    )
