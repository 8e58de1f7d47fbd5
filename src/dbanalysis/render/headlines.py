"""The report's headline findings, declared as data and computed from the catalogue.

``data/findings.csv`` has one row per finding: ``finding_id``, the ``figure_ids``
it uses (``;``-joined catalogued and derived ids) and one sentence template per
language (``template_en``, ``template_vi``). A field ``{id}`` is the figure's value
with unit at the precision its source supports (:func:`dbanalysis.render.tables.value_text`),
``{id:n}`` the number alone; any other spec (``{id:label}``, …) is filled by
:func:`dbanalysis.views.text.sentence`. Catalogued values link to their highlight
on the source page.

How far a finding can be trusted is computed, never typed (the order is the
``precedence`` of data/vocab/statuses.csv, :func:`dbanalysis.catalogue.vocab.status_of`):

* ``corrected`` when a figure it uses (or a derived figure's input) has an
  accepted correction in ``data/corrections.csv``;
* else ``inconsistent`` / ``ambiguous`` when an audit check with that verdict
  tests only figures of the finding (the check is about this claim) or questions one
  of its figures itself (:func:`dbanalysis.render.tables.questioned`);
* else ``derived`` when it shows a derived figure; else ``stated``.

Layer: above derive, corrections, audit and tables; below the site.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from ..audit.run import run_audit
from ..catalogue import vocab
from ..catalogue.corrections import apply_corrections
from ..catalogue.figures import figure_ids, load_figures
from ..core import cache, labels, paths, schema, validation
from ..core.cache import memo, one_reading
from ..core.inputs import InputError, Problem
from ..core.language import LANGS, resolve
from ..derive.lookup import derived_frame
from ..views import translations
from ..views.formulas import input_text
from ..views.text import figure_number, figure_text, sentence
from . import tables

#: The file's schema (data/schemas/input/findings.json).
SCHEMA = "input/findings"


class FindingsError(InputError):
    """``findings.csv`` is malformed; the message names the file and every bad line."""

    what = "findings table"


@dataclass(frozen=True)
class Finding:
    """One headline finding."""

    finding_id: str
    figure_ids: tuple[str, ...]
    templates: dict[str, str]
    trust: str
    #: Audit checks about this finding: (check_id, verdict), most severe first.
    checks: tuple[tuple[str, str], ...]

    def html(self, lang: str | None = None) -> Markup:
        """The sentence in ``lang``, escaped, numbers linked to the source page."""
        return render(self.templates[resolve(lang)], resolve(lang))


def findings_path() -> Path:
    """The headline findings table (``data/findings.csv``)."""
    return paths.data_dir() / "findings.csv"


def _fields(template: str) -> list[tuple[str, str]]:
    return [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template)
            if name is not None]


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def render(template: str, lang: str) -> Markup:
    """Fill a finding template: escaped text, values linked to their source highlight."""
    catalogued = figure_ids()
    out = Markup()
    for literal, name, spec, _ in string.Formatter().parse(template):
        out += escape(literal)
        if name is None:
            continue
        if spec == "":
            text = tables.value_text(name, lang)
        elif spec == "n":
            text = figure_number(name, lang)
        else:
            text = sentence("{" + name + ":" + (spec or "") + "}", lang, links=False)
        if spec in ("printed", "to_date"):  # the report's words, not the figure's value:
            # no link (a second link beside the value's)
            out += escape(text)
        elif name in catalogued:
            out += tables.figure_link(name, escape(text), lang)
        else:
            out += derived_mark(name, escape(text), lang)
    return out


def derived_tip(figure_id: str, lang: str | None) -> str:
    """A derived figure's tooltip, plain text (labels, never ids): its value, how it is
    computed in words, then each figure it uses with its value, a line each (labels
    ``derived.tip``, ``derived.tip.input``): "14.8% = (Buffalo and cattle herd ÷ … − 1)
    × 100", "Buffalo and cattle herd: 42,998 head", … (QA-1945 R4: the phone's tooltip
    bar, far from the number tapped, says which number it explains and with what); last,
    the assumption it rests on, if any (QA-2130 S4: "29.06% = 12.85% + 16.21%" is right
    only with the fall read in percentage points).

    Made once per figure, language and version of the data (:func:`_derived_tip`): a
    page marks the same derived number in its prose, its tables and its audit (the real
    site: 598 marks of 192 tips, a quarter of its build's CPU time). All of them kept:
    the derived figures in both languages are more than a memo's default 256 results,
    and a pass over every figure in both (a test, a build of both editions) then made
    each tip again on every pass."""
    return _derived_tip(figure_id, resolve(lang))


@memo("", keep_args=8192)
def _derived_tip(figure_id: str, lang: str) -> str:
    # kept on disk too, per version of the data and of the code (core.cache.kept_text):
    # every process (a `dbanalysis build`, each worker and kernel of a test run) made each
    # tip again, ~1 ms apiece, 0.3 s of a build of both editions (a third of its CPU once
    # the sanitiser's results are kept)
    return cache.kept_text("derived-tip", _tip_version(), f"{figure_id}\0{lang}",
                           lambda _key: _made_tip(figure_id, lang))


def _tip_version() -> str:
    """What a tip depends on besides its figure and language: the data, the package's code,
    babel's numbers and markupsafe's stripped tags."""
    return cache.data_code_version("babel", "markupsafe")


def _made_tip(figure_id: str, lang: str) -> str:
    row = derived_frame().loc[figure_id]
    formula = Markup(tables.formula_text(_derived_formulas()[figure_id], lang)).striptags()
    catalogued = figure_ids()
    # every input with its value, a reference constant's too (its label says it is outside
    # knowledge): "1 = national criteria − 18" left a reader without the 19
    inputs = "".join(
        labels.text("derived.tip.input", lang, value=value, label=label)
        for i in dict.fromkeys(row["inputs"])
        for label, value in [input_text(i, lang, catalogued)])
    assumed = translations.text("derived", figure_id, "assumption", row["assumption"], lang)
    assumption = labels.text("derived.tip.assumption", lang, assumption=assumed) \
        if assumed else ""
    return labels.text("derived.tip", lang, value=figure_text(figure_id, lang),
                       formula=formula, inputs=inputs, assumption=assumption)


def derived_mark(figure_id: str, text: Markup, lang: str, classes: str = "db-derived") -> Markup:
    """A derived number as a reader sees it anywhere on the site: ``text`` (already
    escaped) in a dashed span whose tooltip says how it is computed, in the title on
    hover and as data-tip shown on focus, so that a tap (a phone has no hover) or the Tab
    key reveals it too (site.css ``.db-derived:focus::after``)."""
    how = derived_tip(figure_id, lang)
    return Markup('<span class="{}" data-fig="{}" tabindex="0" title="{}" '
                  'data-tip="{}">{}</span>').format(classes, figure_id, how, how, text)


def _value(figure_id: str) -> float:
    figs = load_figures().set_index("figure_id")
    if figure_id in figs.index:
        return float(figs.loc[figure_id, "value"])
    return float(derived_frame().loc[figure_id, "value"])


@memo("")
def _derived_formulas() -> dict[str, str]:
    d = derived_frame()
    return dict(zip(d.index, d["formula"], strict=True))


def _catalogued_inputs(figure_id: str, inputs: dict[str, list[str]]) -> set[str]:
    """The catalogued figures a figure rests on (itself, or a derived figure's inputs)."""
    if figure_id not in inputs:
        return {figure_id}
    found: set[str] = set()
    for i in inputs[figure_id]:
        found |= _catalogued_inputs(i, inputs)
    return found


def read_rows(path: Path | None = None) -> list[dict[str, str]]:
    """The rows of ``findings.csv``, checked; :class:`FindingsError` lists every problem."""
    path = Path(path or findings_path())
    known = figure_ids() | set(derived_frame().index)
    rows, problems = validation.read_rows(SCHEMA, path)
    out: list[dict[str, str]] = []
    for row in rows:
        def wrong(message: str, row: dict = row) -> None:
            problems.append(Problem(row["line"], row["finding_id"], message))

        ids = [i.strip() for i in row["figure_ids"].split(";") if i.strip()]
        unknown = [i for i in ids if i not in known]
        if unknown:
            wrong(f"unknown figure id(s) {', '.join(unknown)}")
        for lang in LANGS:
            used = {name for name, _ in _fields(row[f"template_{lang}"])}
            extra = ", ".join(sorted(used - set(ids)))
            if extra:
                wrong(f"template_{lang} uses {extra} not listed in figure_ids")
            if row[f"template_{lang}"] and set(ids) - used:
                wrong(f"template_{lang} does not show {', '.join(sorted(set(ids) - used))}")
        out.append({**{c: row[c] for c in schema.load(SCHEMA).columns},
                    "figure_ids": ";".join(ids)})
    if problems:
        raise FindingsError(path, problems)
    return out


@one_reading()
def headline_findings(path: Path | None = None) -> list[Finding]:
    """Every finding of ``findings.csv`` with its computed trust and the checks about it."""
    d = derived_frame()
    inputs = dict(zip(d.index, d["inputs"], strict=True))
    fixed = apply_corrections()
    corrected = set(fixed.loc[fixed["corrected"], "figure_id"])
    catalogued = figure_ids()
    audit = run_audit()
    order = vocab.verdict_severity()
    doubtful = set(vocab.doubtful_verdicts())
    out = []
    for row in read_rows(path):
        ids = tuple(row["figure_ids"].split(";"))
        base: set[str] = set()
        for i in ids:
            base |= _catalogued_inputs(i, inputs)
        checks = []
        for c in audit.itertuples():
            used = {i for i in str(c.figure_ids).split(";") if i in catalogued}
            # a check about the finding's figures alone, or one that casts doubt on one of
            # them itself (as the figure's status in the tables says:
            # dbanalysis.render.tables.figure_status and tables.questioned)
            doubts = set(tables.questioned(c.category, c.figure_ids)) & base
            if used and (used <= base or (doubts and c.verdict in doubtful)):
                checks.append((c.check_id, c.verdict))
        checks.sort(key=lambda cv: order[cv[1]])
        verdicts = {v for _, v in checks}
        trust = vocab.status_of(({"corrected"} if base & corrected else set())
                                | (verdicts & doubtful)
                                | ({"derived"} if any(i not in catalogued for i in ids)
                                   else set()))
        out.append(Finding(row["finding_id"], ids,
                           {lang: row[f"template_{lang}"] for lang in LANGS}, trust,
                           tuple(checks)))
    return out
