"""The entry package as a library: input read into values or errors carrying fields (never a
flag), what the archive proposes, and compose: one draft, one text, its problems."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from rencontres.core.errors import (
    BadAction,
    BadPerson,
    MissingHour,
    NotADate,
    NotATime,
    RecordExists,
    UsageError,
)
from rencontres.entry.compose import compose, target
from rencontres.entry.defaults import announced, defaults
from rencontres.entry.draft import Draft
from rencontres.entry.input import parse_action, parse_participant, parse_time, parse_when
from rencontres.records.archive import Archive
from rencontres.records.parse import read_group
from rencontres.records.store import Store
from rencontres.records.write import group_toml


@pytest.mark.parametrize(("call", "kind", "fields"), [
    (lambda: parse_when("2026-02-30"), NotADate, {"value": "2026-02-30", "need_time": False}),
    (lambda: parse_when("", need_time=True), NotADate, {"value": "", "need_time": True}),
    (lambda: parse_when("2026-03-01", need_time=True), MissingHour, {"value": "2026-03-01"}),
    (lambda: parse_time("25h"), NotATime, {"value": "25h"}),
    (lambda: parse_participant(" / Org"), BadPerson, {"value": " / Org", "email": ""}),
    (lambda: parse_participant("Zoé <z@@x>"), BadPerson, {"email": "z@@x"}),
    (lambda: parse_action("Zoé : "), BadAction, {"value": "Zoé : "}),
    (lambda: parse_action("Zoé : écrire [demain]"), NotADate, {"value": "demain"}),
])
def test_input_errors_carry_their_fields_and_no_flag(call, kind, fields):
    with pytest.raises(kind) as caught:
        call()
    assert isinstance(caught.value, UsageError) and caught.value.exit_code == 2
    assert {k: getattr(caught.value, k) for k in fields} == fields
    assert "--" not in str(caught.value)


def _group(root: Path, **records: str) -> Store:
    folder = root / "g"
    folder.mkdir(parents=True)
    (folder / "group.toml").write_text(group_toml("g", "Groupe G"), encoding="utf-8")
    for stem, text in records.items():
        (folder / f"{stem}.toml").write_text(text, encoding="utf-8")
    return Store(root)


PREVIOUS = '''\
date = 2026-01-15T14:00:00

[[topics]]
title = "Budget"
[[topics.actions]]
owner = "Zoé"
task = "Écrire le budget"

[next]
date = 2026-03-05T18:30:00
end = 2026-03-05T20:00:00
venue = "Maison des associations"
agenda = ["Le budget", " "]
'''


def test_defaults_are_what_the_announcing_record_planned(tmp_path):
    store = _group(tmp_path, **{"2026-01-15": PREVIOUS})
    archive = Archive.load(store, group="g")
    when = announced(archive.meetings["g"])
    assert when == dt.datetime(2026, 3, 5, 18, 30)
    asked = []
    proposed = defaults(archive, "g", when, uid_for=lambda stem: asked.append(stem) or "uid-1")
    assert asked == ["2026-01-15"] and proposed.uid == "uid-1"
    assert proposed.end == dt.datetime(2026, 3, 5, 20, 0)
    assert (proposed.venue, proposed.address) == ("Maison des associations", "")
    assert [a["follows"] for a in proposed.review] == ["2026-01-15#1"]
    assert [t["title"] for t in proposed.topics][1:] == ["Le budget"]
    assert proposed.topics[0]["actions"] is proposed.review
    other = defaults(archive, "g", dt.date(2026, 3, 6), uid_for=lambda stem: 1 / 0)
    assert (other.uid, other.venue, other.end) == ("", "", None)  # nothing announced that day


def test_compose_writes_a_draft_and_reads_it_back(tmp_path):
    store = _group(tmp_path, **{"2026-01-15": PREVIOUS})
    rules, _ = read_group(group_toml("g", "Groupe G"), tmp_path / "g" / "group.toml", "g")
    place = target(store, "g", dt.date(2026, 3, 5))
    draft = Draft(date=dt.datetime(2026, 3, 5, 18, 30), venue="Ici",
                  participants=[(parse_participant("Zoé / Org <z@example.org>"), "present")],
                  topics=[{"title": "Budget", "actions": [parse_action("Zoé : écrire")]}])
    text, problems = compose(draft, place.path, "g", rules=rules)
    assert problems == []
    assert text.startswith("# Groupe G: the meeting of 2026-03-05\n\n")
    assert tomllib.loads(text)["topics"][0]["actions"] == [{"owner": "Zoé", "task": "écrire"}]
    with pytest.raises(RecordExists) as caught:
        target(store, "g", dt.date(2026, 1, 15))
    assert caught.value.path == tmp_path / "g" / "2026-01-15.toml"
    assert target(store, "g", dt.date(2026, 1, 15), replace=True).stub is None
    assert target(store, "g", dt.date(2026, 1, 15), same_day=True).path.name == "2026-01-15-2.toml"


def test_compose_checks_local_times_against_the_group_zone(tmp_path):
    rules, _ = read_group(group_toml("g", "G"), tmp_path / "group.toml", "g")
    draft = Draft(date=dt.datetime(2026, 3, 29, 2, 30))  # clocks go forward in Paris
    _, problems = compose(draft, tmp_path / "g" / "2026-03-29.toml", "g", rules=rules)
    assert [p.severity for p in problems] == ["error"]
    _, problems = compose(draft, tmp_path / "g" / "2026-03-29.toml", "g")
    assert problems == []
