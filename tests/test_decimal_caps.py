"""A unit may cap the decimals a derived figure is shown with (``decimals_at_most`` in
data/vocab/units.csv): percentages and percentage points show at most two, the most the
report prints for any percentage (REVIEW-vi2/vi3/vi4: "0,621 điểm phần trăm").
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from dbanalysis.catalogue import units
from dbanalysis.cli import main as cli
from dbanalysis.derive import precision
from dbanalysis.derive.lookup import derived_frame

SHARED_DATA = True


def _decimals(text: str, lang: str) -> int:
    """Decimals of a number written in ``lang``'s notation (``0,62`` / ``0.62``)."""
    mark = "," if lang == "vi" else "."
    number = re.search(r"[\d.,]*\d", text)
    assert number is not None, text
    digits = number.group(0)
    return len(digits.rsplit(mark, 1)[1]) if mark in digits else 0


def test_no_derived_figure_is_shown_with_more_decimals_than_its_unit_allows() -> None:
    capped = [(fid, unit, units.decimals_at_most(unit))
              for fid, unit in derived_frame()["unit"].items()
              if units.decimals_at_most(unit) is not None]
    assert len(capped) > 40  # every derived percentage, point and growth rate
    for fid, unit, cap in capped:
        for lang in ("en", "vi"):
            shown = precision.display_text(fid, lang=lang)
            assert _decimals(shown, lang) <= cap, (fid, unit, shown)
    # the two figures the reviewers named, shown as the statistics office writes them
    assert precision.display_text("d_labour_poverty_fall_relative_per_year", lang="vi") \
        .startswith("0,62")
    # (0.152 % of all awards, capped at 0.15 alone, takes the one decimal of the other shares
    # of all awards: test_shares_of_one_whole_are_shown_with_one_number_of_decimals)
    assert precision.display_text("d_awards_national_share", lang="en") == "0.2"


def test_a_cap_below_what_the_report_prints_is_an_input_error(
        data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "vocab" / "units.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    col = rows[0].index("decimals_at_most")
    for row in rows[1:]:
        if row[0] == "percent":
            row[col] = "1"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "figures.csv" in err and "decimals_at_most" in err, err
    # every percentage printed with two decimals is named, each with its line
    assert len(re.findall(r"with 2 decimals, more than the 1", err)) >= 5, err


def test_shares_of_one_whole_are_shown_with_one_number_of_decimals():
    """Every derived ``part / whole * 100`` of one whole: one number of decimals (the
    fewest any gets alone, never so few that a share reads as zero)."""
    import re

    from dbanalysis.derive import precision
    from dbanalysis.derive.lookup import derived_frame

    by_whole: dict[str, list[str]] = {}
    for fid, row in derived_frame().iterrows():
        m = re.fullmatch(r"(\w+) / (\w+) \* 100", row["formula"])
        if m and row["unit"] == "percent" and not precision.bound(fid):
            by_whole.setdefault(m.group(2), []).append(fid)
    groups = {w: g for w, g in by_whole.items() if len(g) > 1}
    assert "d_awards_total" in groups and len(groups["d_awards_total"]) >= 4
    for whole, group in groups.items():
        texts = [precision.display_text(f, "en") for f in group]
        places = {len(t.split(".")[1]) if "." in t else 0 for t in texts}
        assert len(places) == 1, (whole, dict(zip(group, texts, strict=True)))
        assert all(float(t.replace(",", "")) != 0 for t in texts), (whole, texts)


def test_a_share_is_found_by_the_formula_parser_not_by_its_spacing():
    """REREAD A3: the display rule finds a share (``part / whole * 100``) in the formula as
    :func:`dbanalysis.catalogue.formula.parse` reads it; a regex over the text missed the
    same share written with brackets or other spacing (the formula language allows both).
    REREAD-0340 R7: the hundred on either side, of the part or of the quotient, is the
    same share of one whole; a product or quotient of anything else is not a share."""
    from dbanalysis.derive.precision import share_of

    for written in ("a / b * 100", "(a) / (b) * 100", "a/b*100", "(a / b) * 100",
                    "100 * a / b", "a * 100 / b", "100 * (a / b)", "(100 * a) / (b)"):
        assert share_of(written) == ("a", "b"), written
    for other in ("a / b * 1000", "a / (b * 100)", "100 / a * b", "(a - c) / b * 100",
                  "a / b", "a * b / 100", "100 * a * b", "a * 100 / b / c", "b / 100 * a"):
        assert share_of(other) is None, other
