import pytest
from helpers_quotes import quote_number as q

from dbanalysis.catalogue.figures import load_figures
from dbanalysis.views import glance

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


@pytest.fixture(scope="module")
def changes():
    return glance.changes_since_2015("en").set_index("level_id")


def test_cattle_growth_readings_become_a_range(changes):
    cattle = changes.loc["agri_cattle"]
    assert cattle["status"] == glance.READINGS
    assert cattle["readings"] == ["as_written", "growth_4y", "growth_5y"]
    # the level and rise give one change; the stated 3.74 % a year over 4 and 5 years others
    assert cattle["low"] == pytest.approx(
        q("agri_cattle_change") / (q("agri_cattle") - q("agri_cattle_change")) * 100)
    assert cattle["high"] == pytest.approx(((1 + q("agri_cattle_growth") / 100) ** 5 - 1) * 100)
    assert "agri_cattle_growth" in cattle["figure_ids"]


def test_reading_ids_split_derived_from_stated(changes):
    derived, stated = glance.reading_ids(True), glance.reading_ids(False)
    assert all(i.startswith("d_") for i in derived) and "d_agri_cattle_change_pct" in derived
    assert stated == ["budget_revenue_change"]
    # every derived value the chart draws, and no percent change of a rate (drawn apart,
    # in percentage points)
    rows = glance.change_rows()
    assert len(derived) == sum(i.startswith("d_") for ids in rows["ids"] for i in ids)
    assert "d_labour_poverty_fall_relative_points" in derived
    assert "d_labour_poverty_rate_change_pct_pp" not in derived


def test_level_only_figures_exclude_changes_and_achievements():
    ids = glance.level_only_ids()
    figs = load_figures().set_index("figure_id")
    assert "agri_cattle" not in ids and "budget_revenue_vs_plan" not in ids
    assert "labour_poverty_rate" not in ids
    assert "agri_sown_area" in ids and "edu_schools_standard" in ids
    kinds = set(glance.LEVEL_KINDS) | set(glance.PART_KINDS) | set(glance.RANGE_KINDS)
    assert set(figs.loc[ids, "kind"]) <= kinds
    assert "awards" not in set(figs.loc[ids, "sector"])
    assert "award_gov_flag" in glance.level_only_ids(exclude_sectors=())


def test_level_only_figures_include_a_total_with_parts_and_a_range_alone():
    """Review vi6 V4: the 2019 industrial output (a total with three parts) and the
    30,500-31,500 people exercising (a range, the indicator's only level) state a level
    with no 2015 level; a denominator (a total beside its count) and a range qualifying a
    count (the criteria met by the communes near the standard) do not."""
    ids = glance.level_only_ids()
    parts = ["ind_output_total", "ind_output_enterprises", "ind_output_households",
             "ind_output_processing"]
    assert [i for i in ids if i in parts] == parts
    assert {"culture_sport_people_low", "culture_sport_people_high"} <= set(ids)
    assert "nr_communes_near" in ids
    assert not {"nr_criteria_low", "nr_criteria_high", "health_communes_total",
                "culture_villages_total"} & set(ids)


def test_change_rows_put_the_assumed_values_after_the_others():
    """Figure 0.1's title names the largest change resting on no assumption (aquatic
    output): the chart opens with it, and every value resting on an assumption (the
    turnover compounded over years the report does not give) comes after every other in
    its panel, however large; within each group of levels the largest first. A rate's
    readings keep their declared order (REVIEW-vi5 N8): the usual reading, in percentage
    points, first, as every text of the site gives it."""
    rows = glance.change_rows("en")
    for panel, p in rows.groupby("panel", sort=False):
        assumed = list(p["status"] == "assumed")
        assert assumed == sorted(assumed), list(p["indicator"])  # False… then True…
        plain = p[p["status"] != "assumed"]
        if panel == "level":
            assert plain["value"].iloc[0] == plain["value"].max()
    rate = rows[rows["panel"] == "rate"]
    assert list(rate["reading"]) == ["pp", "relative"]
    assert list(rate["value_id"]) == ["d_labour_poverty_fall_pp_points",
                                      "d_labour_poverty_fall_relative_points"]
    # the usual reading rests on the stated change; the data table lists both readings
    assert "labour_poverty_change" in rate["ids"].iloc[0]
    level = rows[rows["panel"] == "level"]
    assert level["value_id"].iloc[0] == "d_agri_fish_output_change_pct"
    assert level[level["status"] == "assumed"]["value"].max() > level["value"].iloc[0]


def test_plan_achievements_name_the_reports_word_for_what_they_are_measured_against():
    """``report_words`` holds the benchmark words each quote holds, read independently
    here: page 00 counts the results that read "đạt 100% NQ" from it, not by hand."""
    import re

    from dbanalysis.catalogue.figures import figure
    from dbanalysis.views.glance import plan_achievements

    table = plan_achievements("en")
    for fid, words in zip(table["figure_id"], table["report_words"], strict=True):
        quote = str(figure(fid)["quote"])
        assert ("nq" in words) == bool(re.search(r"\bNQ\b", quote)), (fid, quote, words)
        assert ("kế hoạch" in words) == ("kế hoạch" in quote.lower()), (fid, quote, words)
    nq = plan_achievements("en", word="nq")
    assert list(nq["figure_id"]) == [f for f, w in zip(table["figure_id"], table["report_words"],
                                                       strict=True) if "nq" in w]


def test_a_corrected_row_among_those_without_an_assumption_is_said_to_be_a_correction():
    """QA-2130 S3: Figure 0.1 draws the poultry flock (corrected: read in millions) among
    the changes "drawn without an assumption", while the table under it gives that row
    "Assumption: Flock read in millions". The chart's subtitle says, in both languages,
    that the corrected row is a correction and where the corrections are listed."""
    from dbanalysis.core import labels

    for lang in ("en", "vi"):
        rows = glance.change_rows(lang)
        corrected = rows[(rows["status"] == "corrected") & rows["assumption"].isna()]
        assert not corrected.empty
        subtitle = labels.text("chart.subtitle.change_since_2015", lang)
        assert labels.text("xref.corrections", lang) in subtitle, (lang, subtitle)


def _glance_sources() -> list[str]:
    """The at-a-glance notebook's cell sources (markdown and code), as written."""
    import json

    from dbanalysis.core import paths
    nb = paths.data_dir().parent / "notebooks" / "00-at-a-glance.ipynb"
    return ["".join(c["source"]) for c in json.loads(nb.read_text("utf-8"))["cells"]]


def test_the_level_only_intro_names_every_kind_of_figure_its_table_holds():
    """QA-0000 R5: the intro said the table holds levels of 2019, 2020 or an unstated year,
    and that period totals are on the awards page; the table also holds totals over
    2015–2020 (attendances, workers given jobs, trainees) and yearly figures."""
    import re

    from dbanalysis.catalogue.figures import figure

    periods = {str(figure(i)["period"]) for i in glance.level_only_ids()}
    spans, yearly = any(re.fullmatch(r"\d{4}-\d{4}", p) for p in periods), "annual" in periods
    assert spans and yearly  # what the table holds today
    for heading, total, year in (("## Figures with a level only", "total over", "yearly"),
                                 ("## Số liệu chỉ nêu mức đạt", "tổng cả giai đoạn",
                                  "hàng năm")):
        intro = next(s for s in _glance_sources() if s.startswith(heading))
        intro = " ".join(intro.split())
        assert (total in intro) == spans and (year in intro) == yearly, intro


def test_a_change_is_not_called_open_to_one_reading_and_then_given_two():
    """QA-0000 R4: "only the 20% rise … is … open to one reading; … The total itself has
    two readings, though" in one paragraph: the reader is told both of one figure."""
    import re

    both = [s[:120] for s in _glance_sources()
            if re.search(r"open to one reading|chỉ có một cách hiểu;", s)
            and re.search(r"itself has two readings|bản thân tổng thu có hai cách hiểu", s)]
    assert not both, both


def test_an_assumed_rows_end_year_counts_from_the_one_base_year(monkeypatch):
    """A row resting on a stated rate held for n years ends at ``BASE_YEAR + n``
    (derive.ids.BASE_YEAR, the one base year), not at a typed ``2015 + n``: with the one
    definition moved to 2016 while views.glance is imported (reloaded here), the assumed
    rows end a year later. A base year glance types itself (``BASE_YEAR = 2015``, or
    ``2015 + n``) keeps them where they were: red (REREAD-0620B F5: patching the name in
    glance, ``raising=False``, passed with such a copy). The rows are read while the
    definition is moved (FINAL-B 3: read after it was put back, a glance that reads
    ``ids.BASE_YEAR`` when it runs, the most direct one definition, went red), and glance
    is reloaded once more afterwards."""
    import importlib

    from dbanalysis.derive import ids

    ends = {r.reading: r.end for r in glance.change_rows("en").itertuples()
            if r.status == "assumed"}
    assert ends and all(ends[k] == 2015 + glance.ASSUMED_YEARS[k] for k in ends)
    try:
        with monkeypatch.context() as patch:
            patch.setattr(ids, "BASE_YEAR", 2016)
            importlib.reload(glance)
            moved = {r.reading: r.end for r in glance.change_rows("en").itertuples()
                     if r.status == "assumed"}
    finally:
        importlib.reload(glance)
    assert moved == {k: 2016 + glance.ASSUMED_YEARS[k] for k in ends}


def test_a_results_other_reading_is_the_declared_one_of_its_own_sentence():
    """NOTE-session7 A5: Figure 0.2's hollow marker was "the first derived percentage of
    the check that finds the result ambiguous", right only by the order of that check's
    figures. It is declared (data/other_readings.csv), and the declared figure is the
    result's other reading: a percentage computed from the figures of the result's own
    sentence ("19/21 Trạm y tế xã có bác sỹ, đạt 100% NQ"), which the declared check
    uses and finds ambiguous."""
    import re

    from dbanalysis.catalogue import formula
    from dbanalysis.catalogue.source import report_text
    from dbanalysis.derive.lookup import derived_frame

    others = glance.other_readings()
    assert others == {"health_stations_doctor_vs_resolution": "d_health_stations_doctor_share"}
    figs = load_figures().set_index("figure_id")
    for fid, other in others.items():
        inputs = formula.names(str(derived_frame().loc[other, "formula"]))
        assert inputs and all(i in figs.index for i in inputs), inputs
        spans = [(int(figs.loc[i, "start"]), int(figs.loc[i, "end"])) for i in [fid, *inputs]]
        between = report_text()[min(s for s, _ in spans):max(e for _, e in spans)]
        assert not re.search(r"[.!?]\s", between), between  # one sentence


def test_the_other_reading_does_not_follow_the_order_of_the_checks_figures(monkeypatch):
    """A check that lists another derived percentage before the other reading (here the
    poultry flock's change, read in millions) leaves the marker on the declared one."""
    from dbanalysis.audit.run import run_audit

    audit = run_audit().copy()
    row = audit["check_id"] == "claim_stations_doctor_resolution"
    audit.loc[row, "figure_ids"] = "d_agri_poultry_change_pct_million;" + \
        audit.loc[row, "figure_ids"]
    monkeypatch.setattr(glance, "run_audit", lambda: audit)
    assert glance.other_readings() == {
        "health_stations_doctor_vs_resolution": "d_health_stations_doctor_share"}


def test_a_declared_other_reading_that_is_no_derived_percentage_names_its_file(data_copy):
    from dbanalysis.core.inputs import InputError

    path = data_copy / "other_readings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "d_health_stations_doctor_share", "d_no_such_figure"), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        glance.other_readings()
    assert "other_readings.csv" in str(exc.value) and "d_no_such_figure" in str(exc.value)


def test_figure_0_1_subtitle_does_not_repeat_the_paragraph_above_it():
    """REVIEW-vi25 B15: the subtitle said again what the paragraph just above the figure
    says, that the poverty rate's change is drawn apart in percentage points (its panel's
    axis says it too, and its rows). The subtitle keeps what only it says: the price basis
    and the poultry correction."""
    from dbanalysis.core import labels

    for lang, points in (("en", "percentage points"), ("vi", "điểm phần trăm")):
        subtitle = labels.text("chart.subtitle.change_since_2015", lang)
        assert points not in subtitle, (lang, subtitle)
        assert labels.text("xref.corrections", lang) in subtitle, (lang, subtitle)
        paragraph = [s for s in _glance_sources() if points in s and s.startswith("## ")]
        assert paragraph, lang  # the paragraph above the figure says it
