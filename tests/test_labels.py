"""The label table: every key used in the package exists, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dbanalysis.core import labels, schema

SRC = Path(labels.__file__).parents[1]  # the package (labels is in dbanalysis/core)
KEY_USE = re.compile(r"""labels\.text\(\s*["']([\w.]+)["']""")


def test_every_key_used_in_the_package_is_defined() -> None:
    used = {k for p in SRC.rglob("*.py") for k in KEY_USE.findall(p.read_text("utf-8"))}
    assert used, "no labels.text() call found"
    assert used <= labels.keys(), sorted(used - labels.keys())
    # and kept by `check`: deleting the row is an input error, not a failure of `build`
    required = set(schema.load(labels.SCHEMA).required_keys)
    where = "requiredKeys of data/schemas/input/vocab/labels.json"
    assert used <= required, f"add to the {where}: {sorted(used - required)}"
    assert required <= labels.keys(), f"not in labels.csv; put back or drop from the " \
                                      f"{where}: {sorted(required - labels.keys())}"


def test_text_in_both_languages_with_fields() -> None:
    assert labels.text("citation.figures", "en", ids="a, b") == "figures: a, b"
    assert labels.text("citation.figures", "vi", ids="a, b") == "số liệu: a, b"


def test_unknown_key_and_language_fail_clearly() -> None:
    with pytest.raises(labels.UnknownLabelError,
                       match=r"(?s)labels\.csv.*unknown label key 'no\.such\.key'"):
        labels.text("no.such.key")
    with pytest.raises(ValueError, match="language"):
        labels.text("site.title", "fr")
    with pytest.raises(ValueError, match="'ids'"):
        labels.text("citation.figures", "en", other="x")


def test_bad_table_names_every_bad_line(data_copy) -> None:
    with (data_copy / "vocab" / "labels.csv").open("a", encoding="utf-8") as fh:
        fh.write("site.title,again,lại,dup\nx.empty,,trống,\nx.fields,{a},{b},\n")
    with pytest.raises(labels.LabelTableError) as err:
        labels.table()
    msg = str(err.value)
    assert "labels.csv" in msg and "duplicate key" in msg
    assert "(x.empty): empty en" in msg and "(x.fields): placeholders differ" in msg
