"""The source page (``source.html``): the article's full text with every figure anchored.

Each catalogued figure's number (``number_start:number_end`` of
:func:`dbanalysis.catalogue.figures.load_figures`) is wrapped in
``<mark class="db-fig" id="f-<figure_id>">``; when several figures share one
number (a count and its total in ``84/96``), the first id is on the ``mark`` and
each other id on a ``span.db-fig-alias`` inside it, so every id is an anchor.
The mark shows each figure's label, value and period on hover and on keyboard
focus (``data-tip``, a CSS tooltip; the ids stay in ``id`` and ``data-ids``, never
in what a reader sees). Each figure's quote gets a lighter highlight.
The text is HTML-escaped; its line breaks become paragraphs.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict

from markupsafe import Markup, escape

from ..catalogue import figure_labels
from ..catalogue.figures import load_figures, number_span
from ..catalogue.source import AUTHOR_MARKER, body_end, citation, report_text
from ..core.cache import data_code_version, kept_text, memo, one_reading
from ..core.links import figure_anchor
from ..derive import ids
from ..render import tables
from .frontpage import source_url
from .pages import Chrome, jinja_env, ui

#: A line of the stored page that is only an image's file name, where the portal had a
#: photo (" • T-YN-1.jpg", "-H-B-XX.jpg"): not the report's words.
IMAGE_LINE = re.compile(r"^\s*(?:•\s*)?(\S+\.(?:jpe?g|png|gif|webp))\s*$", re.IGNORECASE)


def article_end(text: str) -> int:
    """End of the article: the end of its author line (the portal's navigation follows)."""
    start = body_end(text) + len(AUTHOR_MARKER)
    end = text.find("\n", start)
    return len(text) if end < 0 else end


@one_reading()
def tip(figure_ids: list[str], lang: str) -> str:
    """The hover text of a highlighted number: one line per figure (ended by a semicolon
    when another follows), its label, value and period in the page's language
    (``Buffalo and cattle herd: 42,998 head (2019)``), and for a corrected figure the value
    it is read as."""
    figs = tables.catalogue_by_id()
    lines = []
    for fid in figure_ids:
        f = figs.loc[fid]
        period = ui("chart.period.unstated", lang) if f["period"] in ("unstated", "", None) \
            else tables.period_text(f["period"], lang, fid)
        line = f"{f[f'label_{lang}']}: {tables.value_text(fid, lang)}"
        if not figure_labels.names_its_period(f[f"label_{lang}"], f["period"], lang):
            line += f" ({period})"
        if tables.figure_status(fid) == "corrected":  # never an impossible value alone
            line += "\n" + ui("source.tip.corrected", lang,
                               value=tables.value_text(ids.corrected(fid), lang))
        lines.append(line)
    # one line per figure; the semicolon keeps them apart where the line break is lost
    # (text read aloud or copied: "…: 342 … (2019); Tổng số thôn, bản: 465 … (2019)")
    return ";\n".join(lines)


def article_html(lang: str, text: str | None = None) -> Markup:
    """The article as escaped paragraphs, numbers marked and quotes lightly highlighted.

    The stored article's (``text`` None) is made once per language and version of the
    data and the code (:func:`_stored_article`): every build wrote it again (a test process
    builds several sites from the same data; each source page's ~100 tooltips and cuts
    were ~40 ms of CPU per edition)."""
    return _stored_article(lang) if text is None else _article(lang, text)


@memo("")
def _stored_article(lang: str) -> Markup:
    # kept on disk too, per version of the data and the code (core.cache.kept_text): every
    # process that builds a site made it again (~40 ms of CPU an edition)
    return Markup(kept_text("source-article", data_code_version("babel", "markupsafe"), lang,
                            lambda _lang: str(_article(lang, report_text()))))


@one_reading()
def _article(lang: str, text: str) -> Markup:
    end = article_end(text)
    figs = load_figures()
    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    for r in figs.itertuples():
        if (span := number_span(r))[1] <= end:
            groups[span].append(r.figure_id)
    starts = {s: (s, e) for s, e in groups}
    ends = {e for _, e in groups}
    spans = sorted(groups)
    for (_, e1), (s2, _) in itertools.pairwise(spans):
        if s2 < e1:
            raise ValueError(f"figure numbers overlap partly at offset {s2}")
    quotes = [(int(r.start), int(r.end)) for r in figs.itertuples()]

    paragraphs = []
    pos = 0
    for line in text[:end].split("\n"):
        ls, le = pos, pos + len(line)
        pos = le + 1
        if not line.strip():
            continue
        image = IMAGE_LINE.match(line)
        if image and not any(ls <= s < le for s, _ in [*quotes, *groups]):
            # kept as written (the file name), marked as a placeholder for the photo
            paragraphs.append(Markup('<p class="db-image">{}</p>').format(
                ui("source.image", lang, name=image.group(1))))
            continue
        cuts = {ls, le}
        for s, e in [*quotes, *groups]:
            cuts.update(x for x in (s, e) if ls < x < le)
        cuts_sorted = sorted(cuts)
        out = Markup()
        in_mark = False
        for a, b in itertools.pairwise(cuts_sorted):
            if a in starts:
                ids = groups[starts[a]]
                if starts[a][1] > le:
                    raise ValueError(f"figure {ids[0]} crosses a line break")
                out += Markup('<mark class="db-fig" id="{}" tabindex="0" data-tip="{}" '
                              'data-ids="{}">').format(figure_anchor(ids[0]), tip(ids, lang),
                                                       " ".join(ids))
                for alias in ids[1:]:
                    out += Markup('<span class="db-fig-alias" id="{}">').format(
                        figure_anchor(alias))
                in_mark = True
            piece = escape(text[a:b])
            if not in_mark and any(s <= a and b <= e for s, e in quotes):
                piece = Markup('<span class="db-quote">{}</span>').format(piece)
            out += piece
            if b in ends and in_mark:
                ids = groups[next(k for k in groups if k[1] == b)]
                out += Markup("</span>") * (len(ids) - 1) + Markup("</mark>")
                in_mark = False
        paragraphs.append(Markup("<p>{}</p>").format(out))
    return Markup("\n").join(paragraphs)


def render_source(chrome: Chrome) -> str:
    """The source page of ``chrome.lang``'s edition."""
    lang = chrome.lang
    c = citation()
    cite = c.reference(lang)
    return jinja_env().get_template("source.html.j2").render(
        chrome=chrome, lang=lang, title=ui("source.title", lang),
        intro=ui("source.intro", lang, n=len(load_figures())),
        citation=cite, source_url=source_url(c.url, lang), article=article_html(lang),
    )
