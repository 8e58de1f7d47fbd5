import json
import re

import pytest

from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core import paths
from dbanalysis.notebook import sectorview as sv


@pytest.fixture(autouse=True)
def english():
    sv.set_language("en")
    yield
    sv.set_language("en")


def _vn_number(quote: str) -> float:
    """Independent parse of the single Vietnamese-notation number of a quote."""
    tok = re.search(r"\d[\d.,]*", quote).group()
    return float(tok.replace(".", "").replace(",", "."))


def test_fmt_english_and_vietnamese_notation():
    f = load_figures().set_index("figure_id").loc["agri_sown_area"]
    assert _vn_number(f["quote"].split("là")[1]) == f["value"]
    en = sv.fmt(f["value"], "ha")
    vi = sv.fmt(f["value"], "ha", lang="vi")
    whole, frac = str(f["value"]).split(".")
    assert en == f"{int(whole):,}.{frac} ha"
    assert vi == f"{int(whole):,}".replace(",", ".") + f",{frac} ha"
    assert sv.fmt(3.5, "percent") == "3.5%"
    assert sv.fmt(3.5, "percent", lang="vi") == "3,5%"
    assert sv.fmt(5, "visit", qualifier="over") == "over 5 visits"


def test_figure_table_has_every_sector_figure_and_quote():
    t = sv.figure_table("agriculture")
    figs = load_figures()
    assert list(t["id"]) == list(figs.loc[figs["sector"] == "agriculture", "figure_id"])
    assert list(t.columns) == ["id", "label", "value", "unit", "period", "kind", "qualifier",
                               "quote"]
    vi = sv.figure_table("agriculture", lang="vi")
    assert (vi["label"] != t["label"]).all()
    with pytest.raises(KeyError):
        sv.figure_table("farming")


def test_slope_data_derives_baseline_as_level_minus_change():
    d = sv.slope_data(["agri_cattle", "fish_output"])
    assert set(d["status"]) == {"stated", "derived"}
    figs = load_figures().set_index("figure_id")
    cattle = d[d["indicator"] == "cattle_herd"].set_index("status")
    expected = _vn_number(figs.loc["agri_cattle", "quote"].split("đạt")[1]) \
        - _vn_number(figs.loc["agri_cattle_change", "quote"])
    assert cattle.loc["derived", "value"] == pytest.approx(expected)
    assert cattle.loc["derived", "year"] == 2015 and cattle.loc["stated", "year"] == 2019
    assert cattle.loc["derived", "formula"] == "agri_cattle - agri_cattle_change"
    assert cattle.loc["derived", "derived_id"] == "d_agri_cattle_2015"
    with pytest.raises(ValueError):
        sv.slope_data(["agri_sown_area"])  # no stated change


def test_poultry_baseline_is_flagged():
    d = sv.slope_data(["agri_poultry"])
    der = d[d["status"] == "derived"].iloc[0]
    assert der["value"] < 0 and "negative" in der["problem"]


def test_pairs_match_units_and_indicators():
    p = sv.pairs()
    assert (p["share"] <= 100).all()
    assert "award_commune_certificate_collective" not in set(p["count_id"])  # unit differs
    row = p[p["count_id"] == "edu_schools_standard"].iloc[0]
    assert row["total_id"] == "edu_schools_total"


def test_md_fills_figures_from_the_catalogue():
    s = sv.plain("{agri_cattle} ({agri_cattle:period}); {emul_training_attendances}")
    f = load_figures().set_index("figure_id")
    assert s.startswith(f"{int(f.loc['agri_cattle', 'value']):,} head "
                        "(2019; report: “tính đến nay”, i.e. to date)")
    assert s.endswith("attendances") and "over " in s
    label = f.loc["agri_cattle", "label_en"]
    assert sv.sentence("{x} {agri_cattle:label}", x="y") == f"y {label}"
    assert "con" in sv.sentence("{agri_cattle}", lang="vi")
    assert sv.md("{agri_cattle:n}").data == sv.sentence("{agri_cattle:n}")


def test_sentence_links_catalogued_numbers_to_the_source_page():
    cattle = int(load_figures().set_index("figure_id").loc["agri_cattle", "value"])
    assert sv.sentence("{agri_cattle}") == f"[{cattle:,} head](source.html#f-agri_cattle)"
    assert sv.sentence("{agri_cattle:n}") == f"[{cattle:,}](source.html#f-agri_cattle)"
    # labels, periods and derived figures are not links
    assert "](" not in sv.sentence("{agri_cattle:label} {agri_cattle:period} {d_agri_cattle_2015}")
    assert sv.unlink(sv.sentence("{agri_cattle}")) == sv.plain("{agri_cattle}")


def test_million_vnd_of_a_thousand_or_more_is_written_in_billions():
    assert sv.fmt(4000, "million_vnd", lang="vi", qualifier="over") == "trên 4 tỷ đồng"
    assert sv.fmt(4000, "million_vnd", lang="en") == "4 billion VND"
    assert sv.fmt(675, "million_vnd", lang="vi", qualifier="over") == "trên 675 triệu đồng"
    assert sv.fmt(1500, "million_vnd", lang="vi") == "1,5 tỷ đồng"


def test_a_derived_figure_reads_the_same_in_prose_and_tables():
    """One display rule: a sentence cannot round a figure its own way."""
    from dbanalysis.render import tables

    for fid in ("d_health_population_low", "d_agri_cattle_cagr_5y",
                "d_culture_families_target_district", "d_edu_schools_share"):
        for lang in ("en", "vi"):
            assert sv.plain("{" + fid + "}", lang) == tables.value_text(fid, lang)
            marked = sv.sentence("{" + fid + "}", lang)
            assert marked.endswith(f">{tables.value_text(fid, lang)}</span>")
    # 118,919 people, the low end of a range: rounded down to the place both its ends
    # are shown to, as every page shows it
    assert sv.plain("{d_health_population_low}") == "118,900 people"  # a low end: down
    assert sv.plain("{d_health_population_low:n}", "vi") == "118.900"
    with pytest.raises(ValueError, match="display rule"):
        sv.sentence("{d_agri_cattle_cagr_5y:r1}")


def test_display_rounds_half_up():
    from dbanalysis.derive import precision

    assert precision.shown(26.25, 1) == 26.3  # round() gives 26.2
    assert precision.shown(0.125, 2) == 0.13
    assert precision.shown(118950, -2) == 119000
    assert sv.fmt(precision.shown(26.25, 1), "percent", "vi") == "26,3%"


def test_knowledge_table_statuses():
    k = sv.knowledge_table("agriculture")
    assert set(k["status"]) == {"stated", "derived", "unknown"}
    assert (k["status"] == "derived").sum() == len(sv.slope_candidates("agriculture"))


def test_award_table_levels_and_totals():
    t = sv.award_table()
    assert t["level"].iloc[0] == "national" and t["level"].iloc[-1] == "commune"
    tot = sv.award_totals()
    assert tot["total"].sum() == t["count"].sum()


def test_every_sector_figure_appears_in_a_notebook():
    used = set()
    for nb in paths.report_notebooks(paths.REPO_ROOT / "notebooks"):
        used |= sv.figures_used(nb)
        json.loads(nb.read_text("utf-8"))
    for sector in ("agriculture", "awards", "emulation"):
        assert set(sv.figure_ids_for(sector)) <= used


def test_audit_findings_concern_the_sector_and_put_problems_first():
    from dbanalysis.audit.run import run_audit

    found = sv.audit_findings("agriculture")
    audit = run_audit().set_index("check_id")
    ids = set(sv.figure_ids_for("agriculture"))
    for cid in found["check_id"]:
        row = audit.loc[cid]
        assert row["sector"] == "agriculture" or ids & set(row["figure_ids"].split(";"))
    assert "baseline_poultry_flock" in set(found["check_id"])
    order = found["verdict"].map({"inconsistent": 0, "ambiguous": 1, "unverifiable": 2,
                                  "consistent": 3})
    assert order.is_monotonic_increasing
    assert "communes_sec_forum_communes_total" not in set(found["check_id"])


def test_audit_counts_count_each_check_once_under_its_own_sector():
    """A page's count of checks is the checks filed under its sectors (as the audit page's
    table by sector counts them), each once; checks of other sectors that read the page's
    figures are counted apart, so the pages' counts add up to the audit's total."""
    from dbanalysis.audit.run import run_audit, summary_by_sector

    audit = run_audit()
    by_sector = summary_by_sector(audit).sum(axis=1)
    pages = [["agriculture"], ["industry", "infrastructure", "trade"], ["budget"], ["labour"],
             ["culture", "tourism"], ["health"], ["awards"]]
    for lang in ("en", "vi"):
        for secs in pages:
            text = str(sv.audit_counts(secs, lang))
            own = int(re.search(r"\d+", text).group())  # "8 checks: …", "[Cả 6 nội dung …"
            assert own == int(by_sector.reindex(secs).fillna(0).sum()), (secs, text)
            # the verdict counts add up to the page's own count
            assert sum(int(n) for n in re.findall(r"\[\D*?(\d+) ", text)) == own
            others = len(sv.audit_findings(secs)) - own
            # the others' count follows the own count: after '; ' in English, as a sentence
            # of its own in Vietnamese ('. Ngoài ra, 1 nội dung …', review vi6 V19)
            tail = re.search({"en": r"; \D*(\d+) ", "vi": r"\. Ngoài ra, (\d+) "}[lang], text)
            assert (int(tail.group(1)) if tail else 0) == others, (secs, text)
    assert int(by_sector.sum()) == len(audit) == audit["check_id"].nunique()
    # the industry page reads a figure that the budget's plausibility check uses
    assert "; 1 more check" in str(sv.audit_counts(["industry", "infrastructure", "trade"]))
    # a page whose checks all have one verdict says so once, not "6 checks: 6 consistent"
    for secs in [*pages, ["education"], ["new_rural"]]:
        verdicts = sv.audit_findings(secs)
        own = verdicts[verdicts["check_id"].map(audit.set_index("check_id")["sector"])
                       .isin(secs)]
        if own["check_id"].nunique() > 1 and own["verdict"].nunique() == 1:
            vi = str(sv.audit_counts(secs, "vi"))
            assert vi.startswith(f"[Cả {own['check_id'].nunique()} nội dung kiểm tra đều "), vi
            assert ":" not in vi.split("](")[0], vi


def test_figures_per_sector_counts_every_figure_once():
    t = sv.figures_per_sector()
    assert t["figures"].sum() == len(load_figures())
    assert t.index[0] == sv.sector_label("emulation")
