"""Atomic writes, record resolution, the text `new` writes, and line numbers."""

from __future__ import annotations

import datetime as dt
import os
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rencontres.core.errors import NotFound, Refused, UsageError
from rencontres.entry.draft import Draft
from rencontres.entry.input import parse_participant
from rencontres.records.parse import read_meeting
from rencontres.records.store import Store, write_atomic
from rencontres.records.toml_lines import line_map
from rencontres.records.write import to_toml


def test_write_atomic_refuses_an_existing_file(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text("mine\n")
    with pytest.raises(Refused):
        write_atomic(path, "theirs\n")
    assert path.read_text() == "mine\n"
    assert os.listdir(tmp_path) == ["a.toml"]  # no temporary file left behind


def test_write_atomic_replaces_only_when_asked_and_keeps_the_mode(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, "new", overwrite=True)
    assert path.read_text() == "new"
    assert path.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["a.txt"]


def test_write_atomic_leaves_nothing_when_the_write_fails(tmp_path):
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "x", 3)  # type: ignore[arg-type]
    assert os.listdir(tmp_path) == []


def test_resolve(tmp_path):
    for g in ("a", "b"):
        (tmp_path / g).mkdir()
        (tmp_path / g / "group.toml").write_text('name = "x"\n')
    (tmp_path / "a" / "2026-01-15.toml").write_text("date = 2026-01-15\n")
    (tmp_path / "a" / "2026-02-01.toml").write_text("date = 2026-02-01\n")
    (tmp_path / "b" / "2026-02-01.toml").write_text("date = 2026-02-01\n")
    store = Store(tmp_path)
    assert store.resolve("2026-01-15") == tmp_path / "a" / "2026-01-15.toml"
    assert store.resolve("b/2026-02-01") == tmp_path / "b" / "2026-02-01.toml"
    with pytest.raises(UsageError, match="several groups met that day"):
        store.resolve("2026-02-01")
    with pytest.raises(NotFound):
        store.resolve("a/2030-01-01")
    with pytest.raises(UsageError):
        store.resolve("../a/2026-01-15")
    assert store.free_stem("a", "2026-01-15") == "2026-01-15-2"


def test_participant_notation():
    p = parse_participant("Benjamin Borgue / stagiaire Intermade <ben@example.org>")
    assert (p.name, p.organization, p.email) == ("Benjamin Borgue", "stagiaire Intermade",
                                                 "ben@example.org")
    assert parse_participant("  Hélène Laude ").name == "Hélène Laude"
    with pytest.raises(UsageError):
        parse_participant(" / Org")


def test_line_map_follows_tables_and_skips_multiline_strings():
    text = '''date = 2026-01-15
context = """
[[participants]]
name = "not a key"
"""
[[participants]]
name = "A"
[[participants]]
name = "B"  # comment
[[topics]]
title = "T"
agenda = [
  "x = 1",
]
[[topics.actions]]
task = "t"
[next]
"date" = 2026-02-01T10:00:00
'''
    lines = line_map(text)
    assert lines[("context",)] == 2
    assert lines[("participants", 0, "name")] == 7
    assert lines[("participants", 1, "name")] == 9
    assert lines[("topics", 0, "actions", 0, "task")] == 16
    assert lines[("next", "date")] == 18


single_line = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                      max_size=40).filter(lambda s: s.strip() == s and s)
free_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r\x85"
                                  "\u2028\u2029" + "".join(map(chr, range(0x7f, 0xa0)))
                                  + "".join(chr(c) for c in range(32) if c not in (9, 10))),
                    max_size=200)


@given(venue=single_line, name=single_line, title=single_line, body=free_text,
       decision=single_line)
def test_new_record_text_reads_back_exactly(venue, name, title, body, decision):
    draft = Draft(date=dt.datetime(2026, 1, 15, 14, 0), venue=venue,
                  participants=[(parse_participant_safe(name), "excused")],
                  topics=[{"title": title, "body": body, "decisions": [decision]}],
                  next={"date": dt.datetime(2026, 3, 1, 9, 30), "venue": venue})
    text = to_toml(draft.data(), header="# header\n\n")
    data = tomllib.loads(text)
    assert data["venue"] == venue
    assert data["participants"][0] == {"name": name, "attendance": "excused"}
    assert data["topics"][0].get("body", "") == body
    assert data["topics"][0]["decisions"] == [decision]
    meeting, problems = read_meeting(text, _Path("2026-01-15.toml"), "g")
    assert [p for p in problems if p.severity == "error"] == []
    assert meeting.topics[0].title == title


def parse_participant_safe(name):
    from rencontres.core.model import Person

    return Person(name=name)


class _Path(str):
    @property
    def stem(self):
        return self.removesuffix(".toml")
