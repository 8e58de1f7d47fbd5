"""The project's own corpus (tests/corpus/) is well-formed; the extractor meets issue #13 on it."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from dbanalysis.catalogue import units as unitlex
from dbanalysis.textaudit import KINDS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
_spec = importlib.util.spec_from_file_location(
    "extract_corpus", ROOT / "bench" / "extract_corpus.py"
)
bench = importlib.util.module_from_spec(_spec)
sys.modules["extract_corpus"] = bench  # dataclasses look their module up there
_spec.loader.exec_module(bench)

SLUGS = sorted(p.name.removesuffix(".meta.json") for p in CORPUS.glob("*.meta.json"))


def test_texts_are_the_projects_own_and_cite_their_models():
    metas = [json.loads((CORPUS / f"{s}.meta.json").read_text(encoding="utf-8")) for s in SLUGS]
    assert len(metas) >= 10
    assert len({m["place"] for m in metas}) == len(metas)
    for m in metas:
        for key in ("title", "place", "publisher", "authorship", "date_note", "licence_note",
                    "sha256", "set"):
            assert m.get(key), (m["file"], key)
        assert m["licence"] == "MIT", m["file"]
        assert m["publisher"].startswith("dbanalysis project"), m["file"]
        assert m["set"] in {"development", "held-out", "hard"}, m["file"]
        model = m["modelled_on"]
        assert model["what"], m["file"]
        assert (model["url"] is None) == (m["set"] == "hard"), m["file"]
    models = [m["modelled_on"]["url"] for m in metas if m["set"] != "hard"]
    assert len(models) == len(set(models)) >= 10  # one own text per published model
    assert sum(m["set"] == "hard" for m in metas) >= 1


@pytest.mark.parametrize("slug", SLUGS)
def test_annotations_are_well_formed(slug):
    text, items, problems = bench.load_text(CORPUS, slug)
    assert problems == []
    assert items, slug
    for e in items:
        assert text[e.start : e.end] == e.number
        unitlex.unit_info(e.unit)  # every expected unit is a known or composed unit id


def test_bad_annotation_is_reported_with_file_and_line(tmp_path):
    for suffix in (".txt", ".meta.json"):
        name = SLUGS[0] + suffix
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    (tmp_path / f"{SLUGS[0]}.expected.csv").write_text(
        "quote,number,value,unit\nkhông có câu này,5,5,year\n", encoding="utf-8"
    )
    _, _, problems = bench.load_text(tmp_path, SLUGS[0])
    assert len(problems) == 1
    assert ".expected.csv:2" in problems[0] and "occurs 0 times" in problems[0]
    assert bench.main(["--corpus", str(tmp_path)]) == 2


def test_extractor_meets_the_issue_13_thresholds():
    found = unit_ok = expected = returned = extra = 0
    for slug in SLUGS:
        text, items, _ = bench.load_text(CORPUS, slug)
        s = bench.score(slug, text, items)
        found, unit_ok, expected = found + s.found, unit_ok + s.unit_ok, expected + s.expected
        returned, extra = returned + s.returned, extra + s.extra
    assert found / expected >= 0.99
    assert unit_ok / found >= 0.95
    assert extra / returned <= 0.01


_spec2 = importlib.util.spec_from_file_location(
    "audit_corpus", ROOT / "bench" / "audit_corpus.py"
)
audit_bench = importlib.util.module_from_spec(_spec2)
sys.modules["audit_corpus"] = audit_bench
_spec2.loader.exec_module(audit_bench)


def test_every_text_has_its_expected_checks_well_formed():
    for slug in SLUGS:
        meta = json.loads((CORPUS / f"{slug}.meta.json").read_text(encoding="utf-8"))
        assert meta["checks"] == f"{slug}.checks.csv"
        _, items, problems = audit_bench.load(CORPUS, slug)
        assert problems == [], problems
        assert all(e.check in KINDS for e in items)
    assert sum(len(audit_bench.load(CORPUS, s)[1]) for s in SLUGS) >= 50


def test_audit_text_on_the_corpus_no_false_inconsistent():
    scores = [audit_bench.score(s, *audit_bench.load(CORPUS, s)[:2]) for s in SLUGS]
    assert sum(s.false_inconsistent for s in scores) == 0
    found, expected = sum(s.found for s in scores), sum(s.expected for s in scores)
    assert found / expected >= 0.85
    assert sum(s.agreed for s in scores) == found  # every check found has the reader's verdict
