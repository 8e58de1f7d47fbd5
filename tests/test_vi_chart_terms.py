"""One name for one thing around the charts (REVIEW-vi10 Z3, Z9): a chart subtitle that
names the grey band calls it what the legend does, and the changes since 2015 worked out
from a stated growth rate are named one way, with their span of years."""

from __future__ import annotations

import csv
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r[next(iter(r))]: r for r in csv.DictReader(fh)}


def test_a_subtitle_names_the_grey_band_as_the_legend_does():
    labels = _rows(DATA / "vocab" / "labels.csv")
    room = labels["chart.legend.room"]
    grey = {"en": re.compile(r"\bgr[ae]y\b", re.I), "vi": re.compile(r"\bxám\b", re.I)}
    naming = [(k, lang) for k, r in labels.items() if k.startswith("chart.subtitle.")
              for lang in ("en", "vi") if grey[lang].search(r[lang])]
    assert ("chart.subtitle.health", "vi") in naming  # Figure 7.1 names its grey band
    for key, lang in naming:
        assert room[lang] in labels[key][lang], (key, lang, labels[key][lang], room[lang])


def test_changes_from_a_stated_growth_rate_are_named_one_way():
    """(The labels as shown: data/templates/derived.csv writes the span as {span} ({n}
    năm), filled from the figure's reading, FINAL-A 4.)"""
    from dbanalysis.derive.compute import fixed_specs

    derived = _rows(DATA / "templates" / "derived.csv")
    ids = [k.removesuffix(".label") for k in derived
           if re.fullmatch(r"d_\w*change_pct\w*_[45]y\.label", k)]
    assert len(ids) >= 4, ids  # turnover and cattle, 4 and 5 years
    shown = {s.figure_id: s.label_vi for s in fixed_specs()}
    for fid in ids:
        vi = shown[fid]
        span = "2015–2019 (4 năm)" if fid.endswith("4y") else "2015–2020 (5 năm)"
        # the span once, after "thay đổi giai đoạn", not "so với năm 2015 …, giai đoạn
        # 2015–2019", the start year twice (REVIEW-24A 8)
        assert re.fullmatch(rf".+: thay đổi giai đoạn {re.escape(span)} theo tốc độ tăng "
                            r"(hàng năm|bình quân) báo cáo nêu", vi), (fid, vi)
        assert "đã nêu" not in vi, (fid, vi)  # the report's word: "báo cáo nêu"
