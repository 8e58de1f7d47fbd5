import hashlib
import json
import shutil

import pytest

from dbanalysis.catalogue.source import (
    SourceIntegrityError,
    SourceMetaError,
    body_end,
    citation,
    citation_line,
    load_meta,
    load_report,
)
from dbanalysis.core import paths

SHA = "b716e7fd8ab60dd7331d89947a6b704c5dd07319d2c285b52da744fc291c2e56"


def test_raw_report_matches_published_checksum():
    data = paths.raw_report_path().read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA
    assert load_meta().sha256 == SHA


def test_raw_report_is_byte_identical_to_shared_source():
    shared = paths.REPO_ROOT.parent / "shared" / "source" / paths.raw_report_path().name
    if not shared.exists():
        pytest.skip(f"{shared} not present beside this checkout")
    assert shared.read_bytes() == paths.raw_report_path().read_bytes()


def test_sidecar_records_provenance():
    meta = load_meta()
    assert meta.author_as_printed == "Phạm Minh Châu - Phòng VH&TT huyện"
    assert meta.date_published_as_printed == "29/09/2020 03:47:15 PM"
    assert meta.language == "vi"
    assert meta.size_bytes == paths.raw_report_path().stat().st_size
    assert "licence_note" in meta.raw and "url_note" in meta.raw


def test_report_keeps_nbsp_and_typos():
    text = load_report()
    assert "\xa0" in text
    assert "tỉ đồngđạt" in text  # missing space, kept verbatim


def test_modified_report_is_refused(tmp_path):
    raw = tmp_path / "report.txt"
    shutil.copy(paths.raw_report_path(), raw)
    raw.write_bytes(raw.read_bytes().replace(b"42.998", b"42.999"))
    with pytest.raises(SourceIntegrityError, match=r"report\.txt: checksum mismatch"):
        load_report(raw)


def test_missing_report_is_refused(tmp_path):
    with pytest.raises(SourceIntegrityError, match="not found"):
        load_report(tmp_path / "absent.txt")


def test_body_ends_at_author_line():
    text = load_report()
    end = body_end(text)
    assert text[end:].lstrip().startswith("• Tác giả")
    assert "Bản đồ hành chính" not in text[:end]


def test_meta_is_valid_json():
    json.loads(paths.raw_meta_path().read_text(encoding="utf-8"))


def test_citation_comes_from_the_sidecar(tmp_path):
    raw = json.loads(paths.raw_meta_path().read_text(encoding="utf-8"))
    c = citation()
    assert (c.title, c.author, c.publisher("vi")) == (
        raw["title"], raw["author_as_printed"], raw["publisher_vi"])
    assert c.date_text == raw["date_published_as_printed"].split()[0]
    assert citation_line("en") == f"Source: {raw['short_title_en']}, {c.date_text}"
    assert citation_line("vi") == f"Nguồn: {raw['short_title_vi']}, {c.date_text}"
    # an edited sidecar changes the citation: nothing is typed in code
    raw["short_title_en"] = "Another report"
    edited = tmp_path / "meta.json"
    edited.write_text(json.dumps(raw), encoding="utf-8")
    assert citation_line("en", edited).startswith("Source: Another report, ")
    del raw["publisher_en"], raw["author_name"]
    edited.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(SourceMetaError) as err:  # the sidecar's own error contract
        citation(edited)
    assert str(edited) in str(err.value)
    assert "(author_name): missing key 'author_name'" in str(err.value)
    assert "(publisher_en): missing key 'publisher_en'" in str(err.value)
