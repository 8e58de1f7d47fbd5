"""One form of the outside-knowledge tag everywhere (review vi6 V15).

Where a sentence leans on something the report does not say, a bracket tells the reader:
"(thông tin ngoài báo cáo, chưa kiểm chứng)" / "(outside knowledge, not checked here)",
possibly followed by "; …" or ": …" with more (where to read about it, what it rests on).
The review found the tag bare ("…; thông tin ngoài báo cáo)"), replaced ("thông tin ngoài
báo cáo, nêu ở trang phương pháp") and varied ("chưa đối chiếu điều khoản"). The rule is
checked on every data table cell and every notebook's prose, in both languages.
"""

from __future__ import annotations

import csv
import json
import re

from dbanalysis.core.paths import REPO_ROOT, data_dir, report_notebooks

#: The tag as written in data (the glossary term) or in words, either language.
_TAG = re.compile(r"\{term:outside knowledge\}|thông tin ngoài báo cáo|outside knowledge",
                  re.IGNORECASE)
#: What must follow a tag that opens a bracket or a clause inside one.
_SUFFIX = re.compile(r", (?:chưa kiểm chứng|not checked here)(?=[;:,).]|$)")


def tag_problems(text: str) -> list[str]:
    """Each tag of ``text`` that is a bracketed tag (inside a bracket, right after "(",
    "; ", ", " or ": ") without the one suffix."""
    out = []
    for m in _TAG.finditer(text):
        before = text[:m.start()]
        inside = before.count("(") > before.count(")")
        if not inside or not re.search(r"(?:\(|; |, |: )$", before):
            continue  # prose naming the thing ("bảng thông tin ngoài báo cáo"), not a tag
        if not _SUFFIX.match(text, m.end()):
            out.append(text[max(0, m.start() - 60): m.end() + 40])
    return out


def test_the_rule_finds_the_forms_the_review_found():
    assert tag_problems("(ngưỡng đã cộng khoảng dự phòng; thông tin ngoài báo cáo)")
    assert tag_problems("(thông tin ngoài báo cáo, nêu ở trang phương pháp)")
    assert tag_problems("({term:outside knowledge}, chưa đối chiếu điều khoản)")
    assert tag_problems("(not stated in the report: {term:outside knowledge})")
    assert not tag_problems("(thông tin ngoài báo cáo, chưa kiểm chứng; xem trang Số liệu)")
    assert not tag_problems("({term:outside knowledge}, not checked here)")
    assert not tag_problems("(outside knowledge, not checked here: how statistics count)")
    assert not tag_problems("một dòng trong bảng thông tin ngoài báo cáo (dưới đây)")


def _data_cells():
    for path in sorted(data_dir().rglob("*.csv")):
        if "raw" in path.parts:
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.reader(f), start=1):
                for cell in row:
                    yield f"{path.name}:{line}", cell


def _notebook_prose():
    found = report_notebooks(REPO_ROOT / "notebooks")  # not beside data_dir(): elsewhere
    assert found, f"no report notebook in {REPO_ROOT / 'notebooks'}"
    for path in found:
        nb = json.loads(path.read_text("utf-8"))
        for i, cell in enumerate(nb["cells"]):
            # a code cell's prose is split over string literals: join them first
            src = "".join(cell["source"])
            if cell["cell_type"] == "code":
                src = re.sub(r'"\s*\n\s*"', "", src)
            yield f"{path.name} cell {i}", src.replace("\n", " ")


def test_every_outside_knowledge_tag_has_the_one_form():
    found = [f"{where}: …{p}…" for where, text in [*_data_cells(), *_notebook_prose()]
             for p in tag_problems(text)]
    assert not found, "\n".join(found)
