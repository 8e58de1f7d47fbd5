"""The label table: every key used in the package exists, in both languages."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from helpers_sources import parsed

from dbanalysis.core import labels, schema

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


SRC = Path(labels.__file__).parents[1]  # the package (labels is in dbanalysis/core)
#: A key named as a literal where the package asks for a label: ``labels.text("…")``, and
#: also ``text("…")`` imported from core.labels, site.pages' ``ui("…", lang)`` and a
#: counted label's stem ``counted("…", n)`` (its ``.many`` form always exists); not a
#: method of another object (``ax.text``). A key built by code (an f-string) is invisible
#: here, so the package names each key whole (REREAD-0620A 7: ``year_span.assumed``).
KEY_USE = re.compile(r"""(?:\blabels\.|(?<![.\w]))(text|ui|counted)\(\s*["']([\w.]+)["']""")


def _used_keys(source: str) -> set[str]:
    return {f"{k}.many" if call == "counted" else k for call, k in KEY_USE.findall(source)}


def _key_literals(source: str, keys: frozenset[str]) -> set[str]:
    """The string literals of ``source`` that are label keys (or a counted key's stem, as
    its ``.many`` form): a key chosen in a conditional or kept in a table
    (``"share.sum.agrees" if … else "share.sum.below"``) is one too."""
    found = {n.value for n in ast.walk(parsed(source))
             if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return {k for k in found if k in keys} | {f"{k}.many" for k in found
                                              if f"{k}.many" in keys}


def test_every_key_used_in_the_package_is_defined() -> None:
    sources = [p.read_text("utf-8") for p in SRC.rglob("*.py")]
    called = set().union(*map(_used_keys, sources))
    assert {"chart.mark.other_reading", "audit.noun.many", "site.figure.number"} <= called
    assert called <= labels.keys(), sorted(called - labels.keys())
    used = called.union(*(_key_literals(s, labels.keys()) for s in sources))
    assert {"year_span.assumed", "share.sum.below", "chart.glance.row_nominal"} <= used
    # and kept by `check`: deleting the row is an input error, not a failure of `build`
    required = set(schema.load(labels.SCHEMA).required_keys)
    where = "requiredKeys of data/schemas/input/vocab/labels.json"
    assert used <= required, f"add to the {where}: {sorted(used - required)}"
    assert required <= labels.keys(), f"not in labels.csv; put back or drop from the " \
                                      f"{where}: {sorted(required - labels.keys())}"


def test_keys_are_found_however_the_package_asks_for_them() -> None:
    source = ('''labels.text("a.b", lang); text("c.d"); ui("e.f", lang); '''
              '''labels.counted("g.h", n); ax.text(0, 1, "x"); ax.text("no.key")''')
    assert _used_keys(source) == {"a.b", "c.d", "e.f", "g.h.many"}


def test_text_in_both_languages_with_fields() -> None:
    assert labels.text("citation.figures", "en", ids="a, b") == "figures: a, b"
    assert labels.text("citation.figures", "vi", ids="a, b") == "số liệu: a, b"


def test_a_brace_reads_one_way_with_fields_or_without(data_copy) -> None:
    """One rule for a label's text (NOTE-session8 leftover): the template as str.format
    reads it, with its fields or without, so a literal brace written "{{" is "{" either
    way (asked without fields, text() gave the template as written: "{{"). A template
    asked for as text without its fields fails naming the field; a caller that fills the
    fields itself asks for labels.template, where "{{" is still the template's."""
    with (data_copy / "vocab" / "labels.csv").open("a", encoding="utf-8") as fh:
        fh.write('x.brace,"a {{b}} c","a {{b}} c",test\n'
                 'x.brace_field,"{n} {{b}}","{n} {{b}}",test\n')
    assert labels.text("x.brace", "en") == "a {b} c"
    assert labels.text("x.brace_field", "vi", n=2) == "2 {b}"
    assert labels.template("x.brace", "en") == "a {{b}} c"
    assert labels.template("x.brace_field", "en").format(n=3) == "3 {b}"
    with pytest.raises(ValueError, match=r"label 'x\.brace_field' needs the field 'n'"):
        labels.text("x.brace_field", "en")


def test_unknown_key_and_language_fail_clearly() -> None:
    with pytest.raises(labels.UnknownLabelError,
                       match=r"(?s)labels\.csv.*unknown label key 'no\.such\.key'"):
        labels.text("no.such.key")
    with pytest.raises(labels.UnknownLabelError, match=r"'no\.such\.key'"):
        labels.template("no.such.key")
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


def test_the_data_guide_documents_what_a_template_and_a_label_may_hold() -> None:
    """docs/data.md tells an editor of data/ every form a template or a label takes
    (REREAD-0620A 13): each format of a reference constant, the label phrases and the list
    separator, as the code names them."""
    from dbanalysis.catalogue.sentences import REFERENCE_SPECS
    from dbanalysis.core.paths import REPO_ROOT

    guide = (REPO_ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    forms = [f"`{{ref_<name>{':' + s if s else ''}}}`" for s in REFERENCE_SPECS]
    forms += [f"`{{{labels.PHRASE}<name>}}`", "`list.join`", "`requiredKeys`"]
    assert [f for f in forms if f not in guide] == []
