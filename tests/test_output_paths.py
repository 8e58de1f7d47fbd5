"""Output paths and what the tool may remove (issue 22, items 4 and 5).

Any output path the OS accepts works, or is refused with the documented error (exit 2)
before anything is written. Only what dbanalysis wrote is ever removed: the marker must
be a regular file inside the folder listing names inside it, each file there unchanged
since it was written; a file or folder the user made (even an empty one) makes the
target refused like any user file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from dbanalysis.cli import main as cli
from dbanalysis.core.atomic import MARKER, OutputRefused, atomic_dir, check_target

#: A test that writes a whole export or site is in the slow tier; the others (refusals,
#: what atomic_dir may remove) run in this process in a few ms and stay in test-quick.
WRITES_OUTPUT = pytest.mark.slow


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under ``root`` (links not followed) with a hash of a file's bytes."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_symlink():
            out[rel] = f"link to {os.readlink(p)}"
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[rel] = "dir" if p.is_dir() else "other"
    return out


def run_here(cwd: Path, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = cli.main(list(args))
    return code, err.getvalue()


# ----------------------------------------------------------------- output paths


#: Names the OS accepts and the commands must write to: one with every character a glob,
#: a shell or frictionless gives a meaning (frictionless refuses a descriptor path with any
#: of '#', '*', '?', '[', '$', '~'; a name with all of them fails if one of them does),
#: and the longest names, whose temporary folders beside them must still fit.
ACCEPTED = ["a#b*c?d[e f $HOME~x", "x" * 255, "ệ" * 85]
#: Names the OS cannot hold as a folder beside a temporary one, or that are not UTF-8.
REFUSED = {
    "not UTF-8": ("a\udcffb", "the path is not valid UTF-8 (byte 0xff)"),
    "256-byte name": ("x" * 256, "is longer than 255 bytes"),
    "256-byte name in UTF-8": ("ệ" * 86, "is longer than 255 bytes"),
    "path past PATH_MAX": ("/".join(["y" * 200] * 21), "the path is longer than"),
}


@WRITES_OUTPUT
@pytest.mark.parametrize("name", ACCEPTED, ids=lambda n: n if len(n) < 20 else f"{len(n)}")
def test_export_writes_to_any_name_the_os_accepts(name, tmp_path):
    code, err = run_here(tmp_path, "export", "--out", name)
    assert code == 0, err
    assert "Traceback" not in err
    out = tmp_path / name
    assert {"datapackage.json", "figures.csv", MARKER} <= {p.name for p in out.iterdir()}
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert marker["command"] == "dbanalysis export" and "figures.csv" in marker["files"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary folder left
    code, err = run_here(tmp_path, "export", "--out", name)  # and replaces its own output
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nor the old one


@pytest.mark.parametrize("case", REFUSED)
@pytest.mark.parametrize("command", ["export", "build"])
def test_paths_no_folder_can_have_are_refused_before_anything_is_written(
        case, command, tmp_path, fixture_notebooks):
    name, problem = REFUSED[case]
    before = snapshot(tmp_path)
    extra = ["--notebooks", str(fixture_notebooks), "--execute", "never"] \
        if command == "build" else []
    code, err = run_here(tmp_path, command, "--out", name, *extra)
    assert code == 2, err
    assert f"dbanalysis {command}: error: refusing to write to {tmp_path}" in err
    assert problem in err and "Traceback" not in err
    assert snapshot(tmp_path) == before


@WRITES_OUTPUT
def test_build_writes_to_a_name_with_glob_characters(tmp_path, fixture_notebooks):
    name = "site #1 [draft]?*"
    code, err = run_here(tmp_path, "build", "--out", name, "--execute", "never",
                         "--notebooks", str(fixture_notebooks))
    assert code == 0, err
    assert (tmp_path / name / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


# ----------------------------------------------------------------- only what the tool wrote


@pytest.fixture
def owned(tmp_path: Path) -> Path:
    """A folder dbanalysis wrote: two files, one in a sub-folder, and its marker."""
    target = tmp_path / "out"
    with atomic_dir(target, "export") as tmp:
        (tmp / "a.csv").write_text("x")
        (tmp / "sub").mkdir()
        (tmp / "sub" / "b.csv").write_text("y")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "thesis.docx").write_text("the user's thesis")
    return target


def _edit_marker(target: Path, edit: Callable[[dict], None]) -> None:
    path = target / MARKER
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _list(data: dict, name: str) -> None:
    """Add ``name`` to the marker's files, in whichever form it lists them."""
    if isinstance(data["files"], list):
        data["files"].append(name)
    else:
        data["files"][name] = {"bytes": 0, "mtime_ns": 0}


def _marker_symlink(target: Path) -> None:
    real = target.parent / "elsewhere" / "marker.json"
    os.replace(target / MARKER, real)
    (target / MARKER).symlink_to(real)
    (target / "notes.txt").write_text("mine")
    _edit_marker(target, lambda d: _list(d, "notes.txt"))  # through the link


def _forged_notes(target: Path) -> None:
    (target / "notes.txt").write_text("mine")
    _edit_marker(target, lambda d: _list(d, "notes.txt"))


def _changed(target: Path) -> None:
    (target / "a.csv").write_text("the user's edit, kept")
    os.utime(target / "a.csv", ns=(0, 0))


#: What a user (or a careless script) did inside an owned folder: each must make the
#: next run refuse and keep everything.
DAMAGE: dict[str, Callable[[Path], None]] = {
    "an empty folder": lambda t: (t / "mine").mkdir(),
    "a tree of empty folders": lambda t: (t / "mine" / "a" / "b").mkdir(parents=True),
    "an empty folder inside the tool's folder": lambda t: (t / "sub" / "mine").mkdir(),
    "a file the marker lists although the tool did not write it": _forged_notes,
    "a marker that is a symbolic link to a JSON elsewhere": _marker_symlink,
    "a marker that lists ../ (a file outside)": lambda t: _edit_marker(
        t, lambda d: _list(d, "../elsewhere/thesis.docx")),
    "a marker that lists an absolute path": lambda t: _edit_marker(
        t, lambda d: _list(d, str(t.parent / "elsewhere" / "thesis.docx"))),
    "a marker that is a folder": lambda t: ((t / MARKER).unlink(), (t / MARKER).mkdir()),
    "a marker of names only (an older version's)": lambda t: _edit_marker(
        t, lambda d: d.update(files=sorted(d["files"]))),
    "a file the tool wrote, changed since": _changed,
    "a symbolic link to a folder elsewhere": lambda t: (t / "docs").symlink_to(
        t.parent / "elsewhere"),
    "a symbolic link to a file elsewhere": lambda t: (t / "t.docx").symlink_to(
        t.parent / "elsewhere" / "thesis.docx"),
    "a FIFO": lambda t: os.mkfifo(t / "pipe"),
    "a file of the user's inside the tool's folder": lambda t: (t / "sub" / "c.docx").write_text(
        "user"),
    "a marker that is not JSON": lambda t: (t / MARKER).write_text("{not json"),
}
#: What the refusal names, where the case says which file is the user's or the marker's.
NAMED = {"a file of the user's inside the tool's folder": r"sub/c\.docx",
         "a marker that is not JSON": r"no \.dbanalysis-output\.json marker"}


@pytest.mark.parametrize("case", DAMAGE)
def test_only_what_the_tool_wrote_is_removed(case, owned):
    check_target(owned)  # owned before the damage
    DAMAGE[case](owned)
    before = snapshot(owned.parent)
    with pytest.raises(OutputRefused, match="refusing to replace") as refused:
        with atomic_dir(owned, "export") as tmp:
            (tmp / "a.csv").write_text("new")
    assert re.search(NAMED.get(case, ""), str(refused.value))
    assert snapshot(owned.parent) == before


@WRITES_OUTPUT
def test_the_command_refuses_a_folder_with_a_users_empty_folder(tmp_path):
    assert run_here(tmp_path, "export", "--out", "pkg")[0] == 0
    (tmp_path / "pkg" / "my plots").mkdir()
    before = snapshot(tmp_path)
    code, err = run_here(tmp_path, "export", "--out", "pkg")
    assert code == 2, err
    assert "refusing to replace" in err and "my plots/" in err and "Traceback" not in err
    assert snapshot(tmp_path) == before


def test_a_folder_it_wrote_is_still_replaced(owned):
    with atomic_dir(owned, "export") as tmp:
        (tmp / "c.csv").write_text("z")
    assert sorted(p.name for p in owned.iterdir()) == [MARKER, "c.csv"]
    marker = json.loads((owned / MARKER).read_text(encoding="utf-8"))
    assert marker["files"]["c.csv"]["bytes"] == 1
