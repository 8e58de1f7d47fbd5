"""One notebook, two languages: display helpers and the edition filter.

A notebook page carries English and Vietnamese side by side, so that a
researcher edits one file and the two editions cannot drift apart:

* **Markdown cells** come in pairs: a cell tagged ``lang-en`` immediately
  followed by its translation tagged ``lang-vi`` (cell metadata ``tags``).
* **Code cells** that show text, tables or charts display one output per
  language with :func:`say` or :func:`show`. Each output carries
  ``{"dbanalysis": {"lang": "en" | "vi", ...}}`` in its metadata; charts add
  ``"alt"`` (alt text) and ``"figure_ids"``.

:func:`edition` keeps one language's cells and outputs (what ``dbanalysis
build --lang`` exports); :func:`problems` lists every cell that breaks the
pairing (what the tests check). Cells and outputs without a language tag
belong to both editions.

Layer: above text, tables and charts (it displays what they make), below the
notebooks and the site.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from ..core.cache import one_reading
from ..core.language import LANGS, using

#: Key of this package's entry in an output's or a cell's metadata.
META_KEY = "dbanalysis"
#: Mimetype of a chart's phone layout (a base64 PNG drawn 2x, shown at half its pixels),
#: published beside its ``image/png``: the site offers it to narrow screens.
NARROW_MIME = "image/x-dbanalysis-narrow+png"
#: Keys of ``fig.dbanalysis`` an output keeps in its metadata (the site's caption and
#: data table are made from them).
CHART_KEYS = ("alt", "figure_ids", "title", "subtitle", "source", "rows")
#: Cell tag that marks a markdown cell's language, per language.
TAG = {lang: f"lang-{lang}" for lang in LANGS}


# --------------------------------------------------------------------------- display


def _publish(data: dict[str, Any], metadata: dict[str, Any]) -> None:
    from IPython.display import publish_display_data

    publish_display_data(data=data, metadata=metadata)


def _bundle(obj: Any, narrow: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The display mimebundle of ``obj``: a chart as deterministic PNG (and ``narrow``,
    its phone layout, as :data:`NARROW_MIME`), else IPython's."""
    import base64

    from IPython import get_ipython
    from matplotlib.figure import Figure

    if isinstance(obj, Figure):
        from ..plotting import png_bytes

        data: dict[str, Any] = {"image/png": png_bytes(obj),
                                "text/plain": f"<chart: {_title(obj)}>"}
        if isinstance(narrow, Figure):
            data[NARROW_MIME] = base64.b64encode(png_bytes(narrow)).decode("ascii")
        return data, {}
    ip = get_ipython()
    if ip is None:
        return {"text/plain": repr(obj)}, {}
    data, md = ip.display_formatter.format(obj)
    return dict(data), dict(md)


def _title(fig: Any) -> str:
    meta = getattr(fig, META_KEY, None) or {}
    return str(meta.get("title") or "untitled")


def lab_caption(fig: Any, lang: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The caption a chart has in the lab: its title, subtitle and source line as Markdown
    (data text escaped), shown above the image, which carries none of them; the site and
    the ``dbsite`` page write the same words as the chart's ``<figcaption>`` and drop this
    output (:func:`edition`, the template). None for a chart without a title."""
    from ..core.markup import md_text

    meta = getattr(fig, META_KEY, None) or {}
    if not meta.get("title"):
        return None
    lines = [f"**{md_text(meta['title'])}**"]
    lines += [str(md_text(meta[k])) for k in ("subtitle",) if meta.get(k)]
    lines += [f"*{md_text(meta['source'])}*"] if meta.get("source") else []
    text = "  \n".join(lines)
    plain = " | ".join(str(meta[k]) for k in ("title", "subtitle", "source") if meta.get(k))
    return ({"text/markdown": text, "text/plain": plain},
            {META_KEY: {"lang": lang, "lab_caption": True}})


def is_lab_caption(output: Any) -> bool:
    """Whether ``output`` is a chart's caption for the lab (:func:`lab_caption`)."""
    meta = output.get("metadata", {}).get(META_KEY, {})
    return isinstance(meta, dict) and bool(meta.get("lab_caption"))


def output_metadata(lang: str, obj: Any = None) -> dict[str, Any]:
    """The metadata of one language's output: its language and, for a chart, alt text and ids.

    A chart states them as ``fig.dbanalysis = {"alt": ..., "figure_ids": [...]}``.
    """
    meta: dict[str, Any] = {"lang": lang}
    extra = getattr(obj, META_KEY, None)
    if isinstance(extra, dict):
        meta.update({k: v for k, v in extra.items() if k in CHART_KEYS})
    return meta


def show(build: Callable[[str], Any], langs: Iterable[str] = LANGS) -> None:
    """Display ``build(lang)`` once per language, each output tagged with its language.

    ``build`` is called with that language current (labels, units and number
    notation follow it) and may return anything IPython displays: a chart
    (matplotlib ``Figure``), a table (``DataFrame``/``Styler``), Markdown.
    ``show(lambda lang: charts.slope(ids, title=TITLE[lang]))``.

    A chart is drawn in both layouts (wide and for a phone), and its drawings in every
    language share their value axes, layout by layout (:func:`editions`, which builds
    them: :func:`dbanalysis.plotting.ticks.same_value_axes`, the same limits and ticks,
    whatever the length of each language's labels).

    Both languages read the data files as one version (:func:`~dbanalysis.core.cache.one_reading`:
    their status is checked once per call, not on every figure looked up).
    """
    with one_reading():
        _show(build, langs)


#: The layouts a chart is drawn in: for a wide screen, and for a phone (the layout of
#: :func:`dbanalysis.plotting.style.narrow`, published as :data:`NARROW_MIME`).
LAYOUTS = ("wide", "phone")


def editions(build: Callable[[str], Any], langs: Iterable[str] = LANGS,
             layouts: Iterable[str] = LAYOUTS) -> dict[str, dict[str, Any]]:
    """``build(lang)`` in every language of ``langs`` and every layout of ``layouts``, as
    :func:`show` displays them: {lang: {layout: drawing}}. Each is built with its language
    current, a phone drawing inside :func:`dbanalysis.plotting.style.narrow`; a layout
    after the first is drawn only for a chart (a matplotlib ``Figure``: a table or text
    has one layout). A chart's drawings of one layout share their value axes in every
    language (:func:`dbanalysis.plotting.ticks.same_value_axes`: the same limits and
    ticks, whatever the length of each language's labels)."""
    from matplotlib.figure import Figure

    layouts = tuple(layouts)
    built: dict[str, dict[str, Any]] = {}
    for lang in langs:
        drawn: dict[str, Any] = {}
        with using(lang):
            for layout in layouts:
                if drawn and not isinstance(drawn[layouts[0]], Figure):
                    break  # not a chart: one drawing
                if layout == "phone":
                    from ..plotting.style import narrow as narrow_layout

                    with narrow_layout():
                        drawn[layout] = build(lang)
                else:
                    drawn[layout] = build(lang)
        built[lang] = drawn
    for layout in layouts:  # one chart, one value axis per layout in every language
        figs = [drawn.get(layout) for drawn in built.values()]
        if len(figs) > 1 and all(isinstance(f, Figure) for f in figs):
            from ..plotting.ticks import same_value_axes

            same_value_axes(figs)
    return built


def _show(build: Callable[[str], Any], langs: Iterable[str]) -> None:
    from matplotlib.figure import Figure

    for lang, drawn in editions(build, langs).items():
        obj, narrow = drawn["wide"], drawn.get("phone")
        with using(lang):
            data, md = _bundle(obj, narrow)
            caption = lab_caption(obj, lang) if isinstance(obj, Figure) else None
        md[META_KEY] = output_metadata(lang, obj)
        if caption is not None:
            _publish(*caption)
        _publish(data, md)
        # (a chart shown is not cleared: dropped here, it is freed by Python's collector,
        # test_chart_drawing_cost.test_a_chart_no_longer_referenced_is_freed; Figure.clf
        # cleared each axes, which makes its ticks anew: 4 % of a chart's CPU)


def say(en: str, vi: str, **values: Any) -> None:
    """Narrative in both languages: each template filled from the catalogue, shown as Markdown.

    Fields are those of :func:`dbanalysis.views.text.sentence` (``{figure_id}``,
    ``{figure_id:n}``, ``{d_derived_id}``, …), formatted in each language's notation.
    """
    from ..views.text import sentence

    with one_reading():  # both languages from one version of the data (as :func:`show`)
        texts = [(lang, sentence(template, lang=lang, **values))
                 for lang, template in (("en", en), ("vi", vi))]
    for lang, text in texts:
        _publish({"text/markdown": text, "text/plain": text}, {META_KEY: {"lang": lang}})


# --------------------------------------------------------------------------- editions


def cell_lang(cell: Any) -> str | None:
    """The language a cell is tagged with, or None."""
    tags = cell.get("metadata", {}).get("tags", [])
    found = [lang for lang in LANGS if TAG[lang] in tags]
    return found[0] if len(found) == 1 else None


def output_lang(output: Any) -> str | None:
    """The language an output is tagged with, or None."""
    meta = output.get("metadata", {}).get(META_KEY, {})
    lang = meta.get("lang") if isinstance(meta, dict) else None
    return lang if lang in LANGS else None


def edition(nb: Any, lang: str) -> Any:
    """A copy of ``nb`` with only the cells and outputs of ``lang`` (and untagged ones)."""
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, not {lang!r}")
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        if cell_lang(cell) not in (None, lang):
            continue
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs
                            if output_lang(o) in (None, lang) and not is_lab_caption(o)]
        cells.append(cell)
    out.cells = cells
    out.metadata.setdefault(META_KEY, {})["lang"] = lang
    return out


def problems(nb: Any) -> list[str]:
    """Every place where a notebook has one language and not the other.

    * a markdown cell without exactly one language tag;
    * a ``lang-en`` markdown cell not immediately followed by a ``lang-vi`` one,
      or a ``lang-vi`` cell not immediately preceded by a ``lang-en`` one;
    * a code cell whose tagged outputs are not one per language in each language
      (as many English outputs as Vietnamese ones).
    """
    found: list[str] = []
    cells = list(nb.cells)
    for i, cell in enumerate(cells):
        where = f"cell {i} ({cell.get('id', '?')})"
        if cell.cell_type == "markdown":
            lang = cell_lang(cell)
            if lang is None:
                found.append(f"{where}: markdown cell without a lang-en or lang-vi tag")
            elif lang == "en":
                nxt = cells[i + 1] if i + 1 < len(cells) else None
                if nxt is None or nxt.cell_type != "markdown" or cell_lang(nxt) != "vi":
                    found.append(f"{where}: English cell not followed by its Vietnamese cell")
            elif lang == "vi":
                prev = cells[i - 1] if i > 0 else None
                if prev is None or prev.cell_type != "markdown" or cell_lang(prev) != "en":
                    found.append(f"{where}: Vietnamese cell not preceded by its English cell")
        elif cell.cell_type == "code":
            counts = {lang: 0 for lang in LANGS}
            for output in cell.get("outputs", []):
                lang = output_lang(output)
                if lang is not None:
                    counts[lang] += 1
            if len(set(counts.values())) > 1:
                shown = ", ".join(f"{n} {lang}" for lang, n in counts.items())
                found.append(f"{where}: outputs are not one per language ({shown})")
    return found
