"""What sector notebooks need, so that their cells stay one-liners.

Everything here is built from the catalogue (:func:`dbanalysis.catalog.load_figures`):
display tables, count/total pairs, 2015 baselines derived as *level - change*,
the award hierarchy, number formatting and Markdown sentences whose numbers come
from the catalogue (notebooks never retype a catalogued number).

Import direction: catalog/vocab -> sectorview -> plotting.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from babel.numbers import format_decimal

from . import vocab
from .catalog import figure, load_figures

LANGS = ("en", "vi")
_state = {"lang": "en"}

#: Stated in the report's header and metadata (data/raw/*.meta.json).
SOURCE_TITLE = ("Kết quả phong trào thi đua và công tác khen thưởng huyện Điện Biên "
                "giai đoạn 2015-2020")
SOURCE_DATE = "29/09/2020"

DERIVED_LABEL = {"en": "derived (level − change)", "vi": "suy ra (mức − thay đổi)"}
STATED_LABEL = {"en": "stated", "vi": "báo cáo nêu"}


# --------------------------------------------------------------------------- language
def set_language(lang: str) -> None:
    """Switch labels, units and number notation between English and Vietnamese."""
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, not {lang!r}")
    _state["lang"] = lang


def get_language() -> str:
    return _state["lang"]


def _lang(lang: str | None) -> str:
    lang = lang or get_language()
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, not {lang!r}")
    return lang


def label(figure_id: str, lang: str | None = None) -> str:
    """The figure's label in the current (or given) language."""
    return str(figure(figure_id)[f"label_{_lang(lang)}"])


def unit_label(unit: str, lang: str | None = None) -> str:
    return vocab.unit_label(unit, _lang(lang))


def sector_label(sector: str, lang: str | None = None) -> str:
    return vocab.sector_label(sector, _lang(lang))


def qualifier_label(qualifier: str | None, lang: str | None = None) -> str:
    if not qualifier:
        return ""
    en, vi = vocab.QUALIFIERS[qualifier]
    return vi if _lang(lang) == "vi" else en


# --------------------------------------------------------------------------- formatting
def fmt_number(value: float, lang: str | None = None) -> str:
    """``42998`` -> ``42,998`` (en) or ``42.998`` (vi); up to three decimals kept."""
    return format_decimal(value, locale="vi" if _lang(lang) == "vi" else "en")


def fmt(value: float, unit: str, lang: str | None = None, qualifier: str | None = None) -> str:
    """A number with its unit for narrative text: ``42,998 head``, ``3.74%``,
    ``over 500 visits`` (Vietnamese notation and labels when ``lang='vi'``)."""
    lang = _lang(lang)
    num = fmt_number(value, lang)
    u = unit_label(unit, lang)
    text = f"{num}{u}" if unit == "percent" else f"{num} {u}"
    q = qualifier_label(qualifier, lang)
    return f"{q} {text}" if q else text


def fmt_figure(figure_id: str, lang: str | None = None, qualifier: bool = True) -> str:
    """A catalogued figure formatted with its unit and (by default) its qualifier."""
    f = figure(figure_id)
    return fmt(f["value"], f["unit"], lang, f["qualifier"] if qualifier else None)


class _Fig:
    """A figure inside :func:`md` templates: ``{id}``, ``{id:n}``, ``{id:label}``."""

    def __init__(self, figure_id: str, lang: str):
        self.figure_id, self.lang = figure_id, lang

    def __format__(self, spec: str) -> str:
        if spec == "":
            return fmt_figure(self.figure_id, self.lang)
        if spec == "n":
            return fmt_number(figure(self.figure_id)["value"], self.lang)
        if spec == "bare":
            return fmt_figure(self.figure_id, self.lang, qualifier=False)
        if spec == "label":
            return label(self.figure_id, self.lang)
        if spec == "unit":
            return unit_label(figure(self.figure_id)["unit"], self.lang)
        if spec == "period":
            return str(figure(self.figure_id)["period"])
        if spec in ("base", "growth", "cagr"):
            sd = slope_data([self.figure_id], self.lang)
            base = float(sd.loc[sd["status"] == "derived", "value"].iloc[0])
            end = sd[sd["status"] == "stated"].iloc[0]
            if spec == "base":
                return fmt(base, end["unit"], self.lang)
            if base <= 0:
                return "n/a"
            if spec == "growth":
                return fmt(round(100 * (end["value"] / base - 1), 1), "percent", self.lang)
            years = int(end["year"]) - 2015
            rate = 100 * ((end["value"] / base) ** (1 / years) - 1)
            return fmt(round(rate, 2), "percent", self.lang)
        raise ValueError(f"unknown figure format {spec!r} (use '', n, bare, label, unit, "
                         "period, base, growth, cagr)")


class _FigureFormatter(string.Formatter):
    def __init__(self, lang: str, ids: set[str]):
        self.lang, self.ids = lang, ids

    def get_value(self, key, args, kwargs):
        if isinstance(key, str) and key not in kwargs and key in self.ids:
            return _Fig(key, self.lang)
        return super().get_value(key, args, kwargs)


def sentence(template: str, lang: str | None = None, **values) -> str:
    """Fill ``{figure_id}`` fields from the catalogue (see :func:`md`); returns a string."""
    ids = set(load_figures()["figure_id"])
    return _FigureFormatter(_lang(lang), ids).format(template, **values)


def md(template: str, lang: str | None = None, **values):
    """Markdown built from the catalogue, for narrative cells.

    ``md("The herd reached {agri_cattle} in 2019, up {agri_cattle_change:n} head.")``.
    Fields naming a figure id become the formatted figure (``{id}`` with unit and
    qualifier, ``{id:n}`` number only, ``{id:bare}`` without qualifier, ``{id:label}``,
    ``{id:unit}``, ``{id:period}``; for a level with a stated change since 2015:
    ``{id:base}`` the 2015 baseline derived as level - change, ``{id:growth}`` the
    percent change on that baseline, ``{id:cagr}`` the implied compound annual rate);
    other fields come from keyword arguments.
    """
    from IPython.display import Markdown

    return Markdown(sentence(template, lang, **values))


# --------------------------------------------------------------------------- tables
def _figures(sectors: str | Iterable[str] | None = None) -> pd.DataFrame:
    figs = load_figures()
    if sectors is None:
        return figs
    sectors = [sectors] if isinstance(sectors, str) else list(sectors)
    unknown = set(sectors) - set(vocab.sectors().index)
    if unknown:
        raise KeyError(f"unknown sector(s) {sorted(unknown)}")
    return figs[figs["sector"].isin(sectors)]


def figure_ids_for(sectors: str | Iterable[str]) -> list[str]:
    """Every catalogued id of the given sector(s), in catalogue order."""
    return list(_figures(sectors)["figure_id"])


def figure_table(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """A display table of a sector's figures: id, label, formatted value, unit, period,
    kind, qualifier and the verbatim quote it was read from."""
    lang = _lang(lang)
    figs = _figures(sectors)
    out = pd.DataFrame({
        "id": figs["figure_id"],
        "label": figs[f"label_{lang}"],
        "value": [fmt_number(v, lang) for v in figs["value"]],
        "unit": [unit_label(u, lang) for u in figs["unit"]],
        "period": figs["period"],
        "kind": figs["kind"],
        "qualifier": [qualifier_label(q, lang) for q in figs["qualifier"]],
        "quote": figs["quote"],
    })
    return out.reset_index(drop=True)


def notes(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """The catalogue's notes for a sector's figures (caveats and suspect values)."""
    lang = _lang(lang)
    figs = _figures(sectors)
    figs = figs[figs["note"].notna()]
    return pd.DataFrame({
        "id": figs["figure_id"],
        "label": figs[f"label_{lang}"],
        "value": [fmt_figure(i, lang) for i in figs["figure_id"]],
        "note": figs["note"],
    }).reset_index(drop=True)


def narrative(figure_ids: Iterable[str], lang: str | None = None):
    """A Markdown bullet list: label, formatted value, period and id for each figure."""
    from IPython.display import Markdown

    lang = _lang(lang)
    lines = []
    for fid in figure_ids:
        f = figure(fid)
        lines.append(f"- {f[f'label_{lang}']}: **{fmt_figure(fid, lang)}** "
                     f"({f['period']}; `{fid}`)")
    return Markdown("\n".join(lines))


# --------------------------------------------------------------------------- slopes
def _resolve_levels(ids_or_indicators: Iterable[str], figs: pd.DataFrame) -> list[pd.Series]:
    levels = []
    for key in ids_or_indicators:
        hit = figs[figs["figure_id"] == key]
        if hit.empty:
            hit = figs[(figs["indicator"] == key) & (figs["kind"] == "level")]
        if hit.empty:
            raise KeyError(f"{key!r} is neither a figure id nor an indicator with a level")
        row = hit.iloc[0]
        if row["kind"] != "level":
            raise ValueError(f"{key!r} is a {row['kind']}, not a level")
        levels.append(row)
    return levels


def slope_candidates(sectors: str | Iterable[str] | None = None) -> list[str]:
    """Level figure ids that have a stated absolute change since 2015 (same unit)."""
    figs = _figures(sectors)
    out = []
    for _, lv in figs[figs["kind"] == "level"].iterrows():
        ch = figs[(figs["indicator"] == lv["indicator"]) & (figs["kind"] == "change_vs_2015")
                  & (figs["unit"] == lv["unit"])]
        if not ch.empty:
            out.append(lv["figure_id"])
    return out


def slope_data(ids_or_indicators: Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """2015 and end-year points for each level with a stated change since 2015.

    One row per point: the stated level (``status='stated'``, year from its period)
    and the 2015 baseline derived as stated level minus stated change
    (``status='derived'``, ``formula='level − change'``). A negative baseline is
    impossible and is flagged in ``problem`` (e.g. the poultry flock).
    """
    lang = _lang(lang)
    figs = load_figures()
    rows = []
    for lv in _resolve_levels(ids_or_indicators, figs):
        ch = figs[(figs["indicator"] == lv["indicator"]) & (figs["kind"] == "change_vs_2015")
                  & (figs["unit"] == lv["unit"])]
        if ch.empty:
            raise ValueError(f"{lv['figure_id']!r} has no stated change since 2015 in its unit")
        ch = ch.iloc[0]
        year = int(str(lv["period"])[:4]) if str(lv["period"])[:4].isdigit() else None
        base = lv["value"] - ch["value"]
        common = {"indicator": lv["indicator"], "label": lv[f"label_{lang}"],
                  "unit": lv["unit"], "unit_label": unit_label(lv["unit"], lang)}
        rows.append({**common, "year": 2015, "value": base, "status": "derived",
                     "figure_ids": f"{lv['figure_id']} − {ch['figure_id']}",
                     "formula": "level − change",
                     "problem": "negative baseline: level or change misprinted"
                                if base < 0 else None})
        rows.append({**common, "year": year, "value": lv["value"], "status": "stated",
                     "figure_ids": lv["figure_id"], "formula": None, "problem": None})
    return pd.DataFrame(rows)


def knowledge_table(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """Stated / derived / unknown, per indicator of the sector(s).

    *stated*: a catalogued figure; *derived*: a 2015 baseline computed as level - change;
    *unknown*: a level whose 2015 value cannot be derived (no stated change), or a
    figure whose period the report does not state.
    """
    lang = _lang(lang)
    figs = _figures(sectors)
    rows = []
    derivable = slope_candidates(sectors)
    sd = slope_data(derivable, lang) if derivable else pd.DataFrame()
    for _, f in figs.iterrows():
        rows.append({"indicator": f["indicator"], "quantity": f[f"label_{lang}"],
                     "period": f["period"], "status": "stated",
                     "value": fmt_figure(f["figure_id"], lang), "from": f["figure_id"]})
        if f["period"] == "unstated":
            rows.append({"indicator": f["indicator"], "quantity": f[f"label_{lang}"],
                         "period": "?", "status": "unknown", "value": "",
                         "from": f"{f['figure_id']}: period not stated"})
        if f["kind"] == "level" and f["figure_id"] not in derivable \
                and str(f["period"]).isdigit():
            rows.append({"indicator": f["indicator"],
                         "quantity": f"{f[f'label_{lang}']} (2015)", "period": "2015",
                         "status": "unknown", "value": "",
                         "from": "no stated change since 2015"})
    for _, d in sd[sd["status"] == "derived"].iterrows() if len(sd) else []:
        value = fmt(d["value"], d["unit"], lang) if d["value"] >= 0 else \
            "−" + fmt(-d["value"], d["unit"], lang)
        rows.append({"indicator": d["indicator"], "quantity": f"{d['label']} (2015)",
                     "period": "2015", "status": "derived", "value": value,
                     "from": d["figure_ids"] + (f" ({d['problem']})" if pd.notna(d["problem"])
                                                   else "")})
    out = pd.DataFrame(rows)
    order = {"stated": 0, "derived": 1, "unknown": 2}
    out = out.sort_values(["status"], key=lambda s: s.map(order), kind="stable")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- pairs
def pairs(sectors: str | Iterable[str] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Count/total pairs (a/b) of the same indicator and unit, with the share in percent."""
    lang = _lang(lang)
    figs = _figures(sectors)
    rows = []
    for _, c in figs[figs["kind"] == "count"].iterrows():
        tot = figs[(figs["indicator"] == c["indicator"]) & (figs["kind"] == "total")
                   & (figs["unit"] == c["unit"])]
        if tot.empty:
            continue
        t = tot.iloc[0]
        rows.append({"indicator": c["indicator"], "count_id": c["figure_id"],
                     "total_id": t["figure_id"], "label": c[f"label_{lang}"],
                     "count": c["value"], "total": t["value"],
                     "share": 100 * c["value"] / t["value"], "unit": c["unit"],
                     "unit_label": unit_label(c["unit"], lang), "sector": c["sector"]})
    return pd.DataFrame(rows, columns=["indicator", "count_id", "total_id", "label", "count",
                                       "total", "share", "unit", "unit_label", "sector"])


# --------------------------------------------------------------------------- awards
#: Conferring level of each award indicator. ``stated``: the report names the issuer
#: (Chính phủ, Thủ tướng, UBND tỉnh/huyện/xã); ``by law``: the report does not, and
#: the level is the one the 2013 Law on Emulation and Commendation assigns.
AWARD_LEVELS = {
    "emulation_flags": None,  # two issuers: split by figure below
    "resistance_medals": ("national", "by law"),
    "heroic_mothers": ("national", "by law"),
    "labour_order": ("national", "by law"),
    "pm_certificate": ("national", "stated"),
    "excellent_labour_collective": ("provincial", "by law"),
    "provincial_certificate": ("provincial", "stated"),
    "district_certificate": ("district", "stated"),
    "grassroots_emulation_fighter": ("district", "stated"),
    "advanced_labour": ("district", "stated"),
    "commune_certificate": ("commune", "stated"),
}
_FLAG_LEVELS = {"award_gov_flag": ("national", "stated"),
                "award_prov_flag": ("provincial", "stated")}
LEVELS = ["national", "provincial", "district", "commune"]
LEVEL_LABELS = {"en": {"national": "National", "provincial": "Provincial",
                       "district": "District", "commune": "Commune"},
                "vi": {"national": "Trung ương", "provincial": "Tỉnh",
                       "district": "Huyện", "commune": "Xã"}}
RECIPIENT_LABELS = {"en": {"collective": "collectives", "individual": "individuals"},
                    "vi": {"collective": "tập thể", "individual": "cá nhân"}}

_SUFFIX_RE = re.compile(r"\s*\((collectives|individuals|tập thể|cá nhân)\)\s*$")


def award_table(lang: str | None = None) -> pd.DataFrame:
    """The awards of the ``awards`` sector with conferring level and recipient type."""
    lang = _lang(lang)
    figs = _figures("awards")
    figs = figs[figs["unit"].isin(["collective", "individual"])]
    rows = []
    for _, f in figs.iterrows():
        level = _FLAG_LEVELS.get(f["figure_id"]) or AWARD_LEVELS[f["indicator"]]
        rows.append({"figure_id": f["figure_id"], "indicator": f["indicator"],
                     "award": _SUFFIX_RE.sub("", f[f"label_{lang}"]),
                     "level": level[0], "level_basis": level[1],
                     "recipient": f["unit"], "count": f["value"]})
    out = pd.DataFrame(rows)
    out["level_rank"] = out["level"].map(LEVELS.index)
    return out.sort_values("level_rank", kind="stable").drop(columns="level_rank") \
        .reset_index(drop=True)


# --------------------------------------------------------------------------- notebooks
def figures_used(nb_path: str | Path) -> set[str]:
    """Catalogued ids that appear in a notebook's sources or outputs."""
    ids = set(load_figures()["figure_id"])
    nb = json.loads(Path(nb_path).read_text("utf-8"))
    text = json.dumps(nb, ensure_ascii=False)
    return {tok for tok in re.findall(r"[a-z][a-z0-9_]*", text) if tok in ids}


def award_totals(lang: str | None = None) -> pd.DataFrame:
    """Awards summed by conferring level (rows, national first) and recipient (columns).

    Sums of stated counts, i.e. derived numbers; a person or collective honoured
    twice is counted twice.
    """
    lang = _lang(lang)
    t = award_table(lang)
    out = t.pivot_table(index="level", columns="recipient", values="count", aggfunc="sum",
                        fill_value=0).reindex(LEVELS)
    out["total"] = out.sum(axis=1)
    out.index = [LEVEL_LABELS[lang][lv] for lv in out.index]
    out.columns = [RECIPIENT_LABELS[lang].get(c, c) for c in out.columns]
    return out.astype(int)


# --------------------------------------------------------------------------- derived (nb-b)
# Quantities computed from catalogued figures for the education, health, security,
# defence, administration, mass-organisation and new-rural notebooks. Nothing here is
# typed from the report: every input is read from the catalogue by id.

#: Domain knowledge, not stated in the report: the national set of new-rural criteria
#: (Bộ tiêu chí quốc gia về xã nông thôn mới, Decision 1980/QĐ-TTg of 17/10/2016 for
#: 2016-2020) has nineteen criteria.
NEW_RURAL_CRITERIA_NATIONAL = 19

#: Money units in dong; 1 tỷ = 1 000 triệu (see data/vocab/units.csv).
MONEY_IN_VND = {"vnd": 1.0, "million_vnd": 1e6, "billion_vnd": 1e9}

#: People per 'vạn' (the base of the unit doctors_per_10k).
PER_VAN = 10_000


def convert(value: float, unit: str, target: str) -> float:
    """Convert a money amount between VND, million VND and billion VND."""
    if unit == target:
        return float(value)
    if unit not in MONEY_IN_VND or target not in MONEY_IN_VND:
        raise ValueError(f"cannot convert {unit!r} to {target!r}")
    return float(value) * MONEY_IN_VND[unit] / MONEY_IN_VND[target]


def _v(figure_id: str) -> float:
    return float(figure(figure_id)["value"])


def _half_step(figure_id: str) -> float:
    """Half a unit of the last printed decimal of a figure (its rounding interval)."""
    f = figure(figure_id)
    printed = str(f["quote"])[int(f["number_start"]) - int(f["start"]):
                              int(f["number_end"]) - int(f["start"])]
    decimals = len(printed.split(",")[1]) if "," in printed else 0
    return 0.5 * 10 ** -decimals


def _share(count: float, total: float) -> float:
    return round(100 * count / total, 1)


def _implied_population(density_id: str, bound: str | None = None) -> float:
    density = _v(density_id)
    if bound == "low":  # the highest density the rounded figure allows
        density += _half_step(density_id)
    elif bound == "high":
        density -= _half_step(density_id)
    return _v("health_doctors") / density * PER_VAN


def _d(sector, did, en, vi, fn, unit, formula, inputs, qualifier=None, caveat=""):
    return {"sector": sector, "derived_id": did, "label_en": en, "label_vi": vi, "fn": fn,
            "unit": unit, "formula": formula, "inputs": inputs, "qualifier": qualifier,
            "caveat": caveat}


#: Registry of derived quantities (computed lazily from the catalogue).
DERIVED = [
    _d("education", "edu_schools_below_standard", "Schools not (yet) at the national standard",
       "Trường chưa đạt chuẩn quốc gia",
       lambda: _v("edu_schools_total") - _v("edu_schools_standard"), "school",
       "edu_schools_total − edu_schools_standard",
       ["edu_schools_total", "edu_schools_standard"]),
    _d("education", "edu_schools_standard_share", "Share of schools at the national standard",
       "Tỷ lệ trường đạt chuẩn quốc gia",
       lambda: _share(_v("edu_schools_standard"), _v("edu_schools_total")), "percent",
       "100 × edu_schools_standard / edu_schools_total",
       ["edu_schools_standard", "edu_schools_total"]),
    _d("health", "health_implied_population", "Population implied by the doctor density",
       "Dân số suy ra từ tỷ lệ bác sỹ/vạn dân",
       lambda: round(_implied_population("health_doctor_density")), "person",
       "health_doctors / health_doctor_density × 10 000",
       ["health_doctors", "health_doctor_density"], "about",
       "The density is printed with one decimal, so the population is known only to "
       "within the range below; the report never states it."),
    _d("health", "health_implied_population_low", "Implied population, lower end",
       "Dân số suy ra, cận dưới",
       lambda: round(_implied_population("health_doctor_density", "low"), -2), "person",
       "health_doctors / (health_doctor_density + half a decimal step) × 10 000",
       ["health_doctors", "health_doctor_density"]),
    _d("health", "health_implied_population_high", "Implied population, upper end",
       "Dân số suy ra, cận trên",
       lambda: round(_implied_population("health_doctor_density", "high"), -2), "person",
       "health_doctors / (health_doctor_density − half a decimal step) × 10 000",
       ["health_doctors", "health_doctor_density"]),
    _d("health", "health_communes_accounted",
       "Communes with a station building plus communes still building one",
       "Xã có nhà trạm y tế cộng xã đang xây dựng",
       lambda: _v("health_communes_with_station") + _v("health_communes_station_pending"),
       "commune", "health_communes_with_station + health_communes_station_pending",
       ["health_communes_with_station", "health_communes_station_pending"],
       caveat="Equals health_communes_total: the two clauses are consistent."),
    _d("health", "health_stations_without_doctor", "Commune health stations without a doctor",
       "Trạm y tế xã chưa có bác sỹ",
       lambda: _v("health_stations_total") - _v("health_stations_with_doctor"),
       "health_station", "health_stations_total − health_stations_with_doctor",
       ["health_stations_total", "health_stations_with_doctor"]),
    _d("security", "sec_forum_share_stated", "Forum communes as a share of the stated total",
       "Tỷ lệ xã tổ chức diễn đàn (theo tổng trong câu)",
       lambda: _share(_v("sec_forum_communes"), _v("sec_forum_communes_total")), "percent",
       "100 × sec_forum_communes / sec_forum_communes_total",
       ["sec_forum_communes", "sec_forum_communes_total"]),
    _d("security", "sec_forum_share_of_district",
       "Forum communes as a share of the district's communes",
       "Tỷ lệ xã tổ chức diễn đàn (trên số xã của huyện)",
       lambda: _share(_v("sec_forum_communes"), _v("award_communes")), "percent",
       "100 × sec_forum_communes / award_communes",
       ["sec_forum_communes", "award_communes"],
       caveat="Assumes the forum count refers to today's communes; not verified."),
    _d("security", "sec_participants_per_forum_commune", "Participants per forum commune",
       "Số người tham gia bình quân mỗi xã",
       lambda: round(_v("sec_forum_participants") / _v("sec_forum_communes"), 1), "person",
       "sec_forum_participants / sec_forum_communes",
       ["sec_forum_participants", "sec_forum_communes"],
       caveat="An average; assumes one forum per commune."),
    _d("defence", "def_units_good_share", "Share of militia units rated good",
       "Tỷ lệ đơn vị đạt kết quả khá",
       lambda: _share(_v("def_units_good"), _v("def_units_total")), "percent",
       "100 × def_units_good / def_units_total", ["def_units_good", "def_units_total"]),
    _d("defence", "def_units_passed_not_good",
       "Units that met requirements but were not rated good",
       "Đơn vị đạt yêu cầu nhưng chưa đạt khá",
       lambda: _v("def_units_total") - _v("def_units_good"), "militia_unit",
       "def_units_total − def_units_good", ["def_units_total", "def_units_good"],
       caveat="All units met requirements (def_militia_passed), so the rest passed."),
    _d("defence", "def_units_beyond_communes", "Militia units beyond one per commune",
       "Số đơn vị ngoài các xã",
       lambda: _v("def_units_total") - _v("award_communes"), "militia_unit",
       "def_units_total − award_communes", ["def_units_total", "award_communes"],
       caveat="Assumes one militia unit per commune; agencies' self-defence units are a "
              "guess, the report does not say."),
    _d("administration", "admin_one_stop_share", "Share of communes running a one-stop shop",
       "Tỷ lệ xã thực hiện cơ chế một cửa",
       lambda: _share(_v("admin_one_stop_communes"), _v("admin_one_stop_communes_total")),
       "percent", "100 × admin_one_stop_communes / admin_one_stop_communes_total",
       ["admin_one_stop_communes", "admin_one_stop_communes_total"]),
    _d("mass_organisations", "mass_value_per_house", "Value per great-solidarity house",
       "Trị giá bình quân mỗi nhà đại đoàn kết",
       lambda: round(convert(_v("mass_solidarity_houses_value"), "billion_vnd", "million_vnd")
                     / _v("mass_solidarity_houses"), 1), "million_vnd",
       "mass_solidarity_houses_value (in million VND) / mass_solidarity_houses",
       ["mass_solidarity_houses_value", "mass_solidarity_houses"], "over",
       "A lower bound, because the total is 'trên' (over)."),
    _d("mass_organisations", "mass_union_fund_per_household",
       "Union housing contributions per household helped",
       "Đóng góp Mái ấm Công đoàn bình quân mỗi hộ",
       lambda: round(_v("mass_union_housing_fund") / _v("mass_union_houses_supported"), 1),
       "million_vnd", "mass_union_housing_fund / mass_union_houses_supported",
       ["mass_union_housing_fund", "mass_union_houses_supported"], "over",
       "A lower bound; assumes the whole fund went to those households (not stated)."),
    _d("new_rural", "nr_communes_met_share", "Share of the district's communes meeting the "
       "new-rural standard", "Tỷ lệ xã đạt chuẩn nông thôn mới",
       lambda: _share(_v("nr_communes_met"), _v("award_communes")), "percent",
       "100 × nr_communes_met / award_communes", ["nr_communes_met", "award_communes"]),
    _d("new_rural", "nr_communes_met_or_near", "Communes meeting or basically meeting the standard",
       "Xã đạt chuẩn hoặc cơ bản đạt tiêu chí",
       lambda: _v("nr_communes_met") + _v("nr_communes_near"), "commune",
       "nr_communes_met + nr_communes_near", ["nr_communes_met", "nr_communes_near"],
       caveat="The basically-meeting communes were still being appraised."),
    _d("new_rural", "nr_communes_met_or_near_share",
       "Share of communes meeting or basically meeting the standard",
       "Tỷ lệ xã đạt chuẩn hoặc cơ bản đạt",
       lambda: _share(_v("nr_communes_met") + _v("nr_communes_near"), _v("award_communes")),
       "percent", "100 × (nr_communes_met + nr_communes_near) / award_communes",
       ["nr_communes_met", "nr_communes_near", "award_communes"]),
    _d("new_rural", "nr_communes_remaining", "Communes neither meeting nor basically meeting",
       "Xã chưa đạt và chưa cơ bản đạt",
       lambda: _v("award_communes") - _v("nr_communes_met") - _v("nr_communes_near"),
       "commune", "award_communes − nr_communes_met − nr_communes_near",
       ["award_communes", "nr_communes_met", "nr_communes_near"],
       caveat="How many criteria these communes meet is not stated."),
    _d("new_rural", "nr_criteria_short_min", "Criteria still missing, fewest",
       "Số tiêu chí còn thiếu, ít nhất",
       lambda: NEW_RURAL_CRITERIA_NATIONAL - _v("nr_criteria_high"), "criterion",
       "national set (domain knowledge) − nr_criteria_high", ["nr_criteria_high"],
       caveat="Uses the national set of criteria, which the report does not state."),
    _d("new_rural", "nr_criteria_short_max", "Criteria still missing, most",
       "Số tiêu chí còn thiếu, nhiều nhất",
       lambda: NEW_RURAL_CRITERIA_NATIONAL - _v("nr_criteria_low"), "criterion",
       "national set (domain knowledge) − nr_criteria_low", ["nr_criteria_low"],
       caveat="Uses the national set of criteria, which the report does not state."),
]


def _derived_entries(sectors: str | Iterable[str] | None = None) -> list[dict]:
    if sectors is None:
        return DERIVED
    sectors = [sectors] if isinstance(sectors, str) else list(sectors)
    unknown = set(sectors) - set(vocab.sectors().index)
    if unknown:
        raise KeyError(f"unknown sector(s) {sorted(unknown)}")
    return [d for d in DERIVED if d["sector"] in sectors]


def derived_value(derived_id: str) -> float:
    """The number of one derived quantity (see :data:`DERIVED`)."""
    for d in DERIVED:
        if d["derived_id"] == derived_id:
            return float(d["fn"]())
    raise KeyError(f"no derived quantity {derived_id!r}")


def derived_table(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """Quantities derived from catalogued figures: id, label, formatted value, formula,
    the catalogued inputs and a caveat. Every row is *derived*, never stated."""
    lang = _lang(lang)
    catalogued = set(load_figures()["figure_id"])
    rows = []
    for d in _derived_entries(sectors):
        if d["derived_id"] in catalogued:
            raise ValueError(f"derived id {d['derived_id']!r} clashes with a catalogued id")
        missing = [i for i in d["inputs"] if i not in catalogued]
        if missing:
            raise KeyError(f"{d['derived_id']}: inputs not catalogued: {missing}")
        v = float(d["fn"]())
        rows.append({"id": d["derived_id"], "label": d[f"label_{lang}"], "value": v,
                     "formatted": fmt(v, d["unit"], lang, d["qualifier"]), "unit": d["unit"],
                     "formula": d["formula"], "inputs": ", ".join(d["inputs"]),
                     "caveat": d["caveat"]})
    return pd.DataFrame(rows, columns=["id", "label", "value", "formatted", "unit", "formula",
                                       "inputs", "caveat"])


def derived_values(sectors: str | Iterable[str], lang: str | None = None) -> dict[str, str]:
    """Formatted derived quantities by id, as keyword arguments for :func:`md`:
    ``md("... {edu_schools_below_standard} ...", **derived_values("education"))``.
    Also ``<id>_n`` (number only)."""
    lang = _lang(lang)
    out = {}
    for d in _derived_entries(sectors):
        v = float(d["fn"]())
        out[d["derived_id"]] = fmt(v, d["unit"], lang, d["qualifier"])
        out[f"{d['derived_id']}_n"] = fmt_number(v, lang)
    return out


#: Unknowns the report leaves open, per sector (declared, not computed).
UNKNOWNS = {
    "education": ["Which of the three rates (promotion, primary completion, lower-secondary "
                  "graduation) the single 'over' figure describes, and their separate values",
                  "The 2015 count of standard schools (no change is stated)",
                  "The exact rates: 'trên' gives only a lower bound"],
    "health": ["The district population (only implied by the doctor density)",
               "The resolution's targets behind '100% NQ'",
               "Whether the two pending stations opened at the end of 2020"],
    "security": ["Why the forum sentence counts 25 communes against 21 elsewhere",
                 "The years of the pledges and the forums"],
    "defence": ["What the militia units beyond the communes are",
                "The conscription quota in people"],
    "administration": ["Processing times or case counts of the one-stop shops"],
    "mass_organisations": ["The number of gift packages ('hàng nghìn', thousands)",
                           "The exact amounts behind every 'trên' (over)"],
    "new_rural": ["Which communes meet the standard and which three are being appraised",
                  "How many criteria each of the other communes meets",
                  "The year each commune was recognised"],
}


def knowledge_table_plus(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """:func:`knowledge_table` plus the sector's derived quantities (:data:`DERIVED`) and the
    unknowns the report leaves open (:data:`UNKNOWNS`); stated, derived, unknown order."""
    lang = _lang(lang)
    base = knowledge_table(sectors, lang)
    secs = [sectors] if isinstance(sectors, str) else list(sectors)
    d = derived_table(secs, lang)
    extra = [{"indicator": "", "quantity": r["label"], "period": "", "status": "derived",
              "value": r["formatted"], "from": r["formula"]} for _, r in d.iterrows()]
    extra += [{"indicator": "", "quantity": text, "period": "", "status": "unknown",
               "value": "", "from": "not in the report"}
              for s in secs for text in UNKNOWNS.get(s, [])]
    out = pd.concat([base, pd.DataFrame(extra, columns=base.columns)], ignore_index=True)
    order = {"stated": 0, "derived": 1, "unknown": 2}
    out = out.sort_values(["status"], key=lambda s: s.map(order), kind="stable")
    return out.reset_index(drop=True)


def pairs_of(pairs_: Iterable[tuple[str, str]], lang: str | None = None) -> pd.DataFrame:
    """A :func:`pairs` frame for explicit (count, total) ids, across indicators or sectors
    (e.g. new-rural communes over the district's communes). The count may be a derived id.
    ``derived`` is True when the count is derived or the pairing is ours (a count over a
    total from another indicator: the report never states that share). Units must match.
    Adds ``qualifier`` and ``derived``."""
    lang = _lang(lang)
    derived_ids = {d["derived_id"]: d for d in DERIVED}
    rows = []
    for count_id, total_id in pairs_:
        t = figure(total_id)
        if count_id in derived_ids:
            d = derived_ids[count_id]
            c_label, c_value, c_unit = d[f"label_{lang}"], float(d["fn"]()), d["unit"]
            c_qual, c_derived, c_indicator, c_sector = d["qualifier"], True, "", d["sector"]
        else:
            c = figure(count_id)
            c_label, c_value, c_unit = c[f"label_{lang}"], float(c["value"]), c["unit"]
            c_qual, c_derived, c_indicator, c_sector = (c["qualifier"], False, c["indicator"],
                                                        c["sector"])
        if c_unit != t["unit"]:
            raise ValueError(f"{count_id} ({c_unit}) and {total_id} ({t['unit']}) differ in unit")
        own = not c_derived and c_indicator == t["indicator"]
        lbl = c_label if own else f"{c_label} / {t[f'label_{lang}']}"
        rows.append({"indicator": c_indicator, "count_id": count_id, "total_id": total_id,
                     "label": lbl, "count": c_value, "total": float(t["value"]),
                     "share": 100 * c_value / float(t["value"]), "unit": c_unit,
                     "unit_label": unit_label(c_unit, lang), "sector": c_sector,
                     "qualifier": c_qual, "derived": c_derived or not own})
    return pd.DataFrame(rows, columns=["indicator", "count_id", "total_id", "label", "count",
                                       "total", "share", "unit", "unit_label", "sector",
                                       "qualifier", "derived"])


def parts_of_total(total_id: str, part_ids: Iterable[str],
                   lang: str | None = None) -> pd.DataFrame:
    """The stated parts of a stated total and the remainder (total − parts, *derived*).

    A negative remainder (parts exceeding the total) is kept and flagged in ``problem``.
    """
    lang = _lang(lang)
    tot = figure(total_id)
    rows = []
    for pid in part_ids:
        p = figure(pid)
        if p["unit"] != tot["unit"]:
            raise ValueError(f"{pid} ({p['unit']}) and {total_id} ({tot['unit']}) differ in unit")
        rows.append({"figure_id": pid, "label": p[f"label_{lang}"], "value": float(p["value"]),
                     "status": "stated", "qualifier": p["qualifier"], "problem": None})
    rest = float(tot["value"]) - sum(r["value"] for r in rows)
    rows.append({"figure_id": f"{total_id} − " + " − ".join(part_ids),
                 "label": {"en": "rest (total − parts)", "vi": "còn lại (tổng − các phần)"}[lang],
                 "value": rest, "status": "derived", "qualifier": None,
                 "problem": "parts exceed the total" if rest < 0 else None})
    out = pd.DataFrame(rows)
    out["unit"] = tot["unit"]
    out["total"] = float(tot["value"])
    return out
