"""``dbanalysis draft``: a new data folder whose ``figures.csv`` is a draft to curate.

Every quantity of the report becomes one row of the catalogue's schema
(``data/schemas/input/figures.json``): a quote that occurs once in the text, the
``pick`` of the number inside it, the unit and qualifier the extractor read, the period
when the sentence names one, a first guess at the kind, and empty labels and sector for
the researcher to write.  The ``note`` says where the number is (character offsets) and
what was guessed.  The folder also holds the text (``raw/<name>.txt``) with a metadata
sidecar, the project's vocabularies and schemas, and empty curated tables, so that
``DBANALYSIS_DATA=DIR dbanalysis check`` validates it: until the labels and sectors are
written it lists every row that lacks them (file, line, id, problem).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from ..catalogue.extract import find_quantities
from ..catalogue.figures import number_span
from ..core import labels, paths, schema
from ..derive.ids import BASE_YEAR
from .spans import Doc, Quantity, plan_after

__all__ = ["DraftError", "draft_folder", "draft_rows"]

_PERIOD = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*[-–]\s*((?:19|20)[0-9]{2})(?![0-9])")
_YEAR = re.compile(r"(?<![0-9/.])((?:19|20)[0-9]{2})(?![0-9])")
# Curated tables of the Điện Biên report that a new report starts without (they name its
# figure ids or its checks); the vocabularies and the derivation rules (data/derived.csv,
# which apply to any catalogue) are copied as they are, but award_levels and derived_ids,
# which name figure ids too.
_EMPTY_TABLES = ("corrections", "coverage_exclusions", "reference", "findings", "i18n/vi",
                 "vocab/award_levels", "derived_ids", "other_readings")

#: The language of a draft row's ``note`` (the catalogue's note column is English; its
#: Vietnamese is data/i18n/vi.csv's): the words are the labels ``textaudit.draft.note*``.
NOTE_LANG = "en"


class DraftError(Exception):
    """The output folder cannot be written (it exists and is not empty, …)."""


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")
    return slug if slug[:1].isalpha() else f"r_{slug}" if slug else "report"


def _unique_quote(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) word by word (left first) until it occurs once in ``text``."""
    for _ in range(12):
        if text.count(text[start:end]) == 1:
            break
        left = re.search(r"\S+\s*$", text[max(0, start - 40):start])
        right = re.match(r"\s*\S+", text[end:end + 40])
        if left:
            start -= len(left.group(0))
        elif right:
            end += len(right.group(0))
        else:
            break
    return start, end


def _period(sentence: str) -> str:
    m = _PERIOD.search(sentence)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    years = sorted(set(_YEAR.findall(sentence)))
    return years[0] if len(years) == 1 else "unstated"


def _kind(doc: Doc, q: Quantity, row, text: str) -> str:
    if row.form in ("range_low", "range_high"):
        return str(row.form)
    if row.form == "fraction_numerator":
        return "count"
    if row.form == "fraction_denominator":
        return "total"
    before = text[max(0, row.start - 40):row.start]
    if row.unit == "percent_per_year" or (row.unit == "percent" and "bình quân" in before):
        return "growth_rate"
    if row.unit == "percent" and plan_after(text, row.end):
        return "achievement_vs_plan"
    if doc.against_year(q):  # any year: another report's base year is its own
        return "change_vs_2015"
    return "share" if row.unit == "percent" else "level"


def draft_rows(text: str, name: str) -> list[dict[str, str]]:
    """The draft catalogue rows of ``text`` (``name``: the report's file stem)."""
    doc = Doc(text)
    quantities = find_quantities(text)
    slug = _slug(name)[:40]
    rows = []
    spans = [number_span(r) for r in quantities.itertuples()]
    for n, (r, q) in enumerate(zip(quantities.itertuples(), doc.quantities, strict=True),
                               start=1):
        qs, qe = doc.quote(q)
        qs, qe = _unique_quote(text, qs, r.end)
        inside = [i for i, (a, b) in enumerate(spans) if a >= qs and b <= qe]
        pick = inside.index(n - 1) + 1
        s, e = doc.sentence_of(int(r.start))
        at, to = number_span(r)
        notes = [labels.text("textaudit.draft.note", NOTE_LANG, start=at, end=to)]
        if r.unit is None:
            notes.append(labels.text("textaudit.draft.note.no_unit", NOTE_LANG,
                                     words=str(r.unit_text or "")))
        year = doc.against_year(q)
        if year and year != str(BASE_YEAR):
            notes.append(labels.text("textaudit.draft.note.other_base_year", NOTE_LANG,
                                     year=year, base=BASE_YEAR))
        note = labels.joined(notes, NOTE_LANG)
        rows.append({
            "figure_id": f"{slug}_{n:03d}", "sector": "", "indicator": f"q{n:03d}",
            "label_vi": "", "label_en": "", "quote": text[qs:qe], "pick": str(pick),
            "period": _period(text[s:e]), "kind": _kind(doc, q, r, text),
            "qualifier": r.qualifier or "", "unit": r.unit or "", "note": note})
    return rows


def _csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def draft_folder(text: str, source: Path, out: Path) -> Path:
    """Write the draft data folder ``out`` for the report ``text`` read from ``source``.

    ``out`` must not exist or be an empty folder; it is written beside itself first and
    moved into place only when complete.
    """
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DraftError(f"{out}: exists and is not an empty folder (nothing written)")
    stem = _slug(source.stem)
    data = paths.data_dir()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        shutil.copytree(data / "vocab", tmp / "vocab")
        shutil.copytree(data / "schemas", tmp / "schemas")
        shutil.copytree(data / "templates", tmp / "templates")  # the audit's sentences
        shutil.copy2(data / "derived.csv", tmp / "derived.csv")
        (tmp / "raw").mkdir()
        body = text.encode("utf-8")
        (tmp / "raw" / f"{stem}.txt").write_bytes(body)
        title = next((ln.strip() for ln in text.splitlines() if ln.strip()), stem)[:200]
        meta = {
            "file": f"{stem}.txt", "title": title, "title_en": "", "publisher": "",
            "publisher_vi": "", "publisher_en": "", "author_as_printed": "", "author_name": "",
            "short_title_en": "", "short_title_vi": "",
            "date_published": dt.datetime.fromtimestamp(source.stat().st_mtime, dt.UTC)
            .replace(microsecond=0).isoformat(),
            "date_published_as_printed": "", "language": "vi",
            "sha256": hashlib.sha256(body).hexdigest(), "size_bytes": len(body),
            "url": None, "licence": None,
            "draft_note": f"Drafted by dbanalysis draft from {source.name}; date_published is "
                          "the file's modification time until the researcher writes the "
                          "report's date. Fill in the empty fields.",
        }
        (tmp / "raw" / f"{stem}.meta.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        figures = schema.load("input/figures").columns
        (tmp / "figures.csv").write_text(_csv(list(figures), draft_rows(text, stem)),
                                         encoding="utf-8")
        (tmp / "i18n").mkdir()
        for name in _EMPTY_TABLES:
            cols = list(schema.load(f"input/{name}").columns)
            (tmp / f"{name}.csv").write_text(_csv(cols, []), encoding="utf-8")
            # the new report has none of these rows yet: its copy of the schema allows that
            spec_path = tmp / "schemas" / "input" / f"{name}.json"
            spec = json.loads(spec_path.read_text(encoding="utf-8"))
            spec["minRows"] = 0
            spec_path.write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n",
                                 encoding="utf-8")
        _keep_named_references(data, tmp)
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _keep_named_references(data: Path, tmp: Path) -> None:
    """The rows of ``reference.csv`` that the copied templates name (``{ref_<name>}``):
    the templates are copied as they are, so the constants they say must be there too
    (the rest of the table names the Điện Biên report's figures and starts empty)."""
    named = {m for p in (tmp / "templates").glob("*.csv")
             for m in re.findall(r"\{ref_([a-z0-9_]+)", p.read_text(encoding="utf-8"))}
    with (data / "reference.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if r["name"] in named]
        columns = list(reader.fieldnames or [])
    if rows:
        (tmp / "reference.csv").write_text(_csv(columns, rows), encoding="utf-8")

