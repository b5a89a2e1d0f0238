"""Hostile records: whatever a person (or a broken editor) writes, no traceback.

Hypothesis writes records with our key names and any TOML values at any place;
reading, checking, rendering and publishing them must either work or report
problems, never raise anything but a `RencontresError`.
"""

from __future__ import annotations

import datetime as dt

import tomli_w
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rencontres.core.errors import RencontresError
from rencontres.invite import ics as calendar
from rencontres.invite import state as invitations
from rencontres.records.archive import Archive
from rencontres.records.parse import read_meeting
from rencontres.records.store import Store
from rencontres.render import FORMATS, Context, render

texts = st.text(max_size=30)
scalars = st.one_of(
    texts,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31)),
    st.times(),
)


# Text a person might type, and worse: markup of every kind we write, accents,
# quotes, and now and then a control character.
_MARKUP = st.sampled_from([*"*_[]()<>#-+|{}~\\`&;:!?\"'«» ÉéœŒ’", "->", "{{", "[[", "1. ",
                           "-5 °C", "<script>", "&amp;", "BEGIN:VEVENT", "\n", "\n\n- ", "[/bold]",
                           "[red]", "[/]"])
_CONTROL = st.sampled_from(["\r", "\x00", "\u2028", "\x1b", "\t", "\x85"])
_PIECES = st.one_of(_MARKUP, _MARKUP, st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")))
# Mostly text with markup in it; one time in ten, with a control character too.
_TEXT = st.lists(_PIECES, max_size=12).map("".join)
_DIRTY = st.tuples(st.lists(_PIECES, max_size=6), _CONTROL).map(lambda t: "".join(t[0]) + t[1])
hostile = st.integers(0, 9).flatmap(lambda i: _DIRTY if i == 0 else _TEXT)


def kind(strategy):
    """Mostly a value of the right type, sometimes any value at all."""
    return st.integers(0, 19).flatmap(lambda i: scalars if i == 0 else strategy)


def table(fields: dict, required: tuple[str, ...] = ()):
    """A table with its required fields and some of the others."""
    return st.fixed_dictionaries({k: kind(fields[k]) for k in required},
                                 optional={k: kind(v) for k, v in fields.items()
                                           if k not in required})


day = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31))
moment = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31))
hostile_list = st.lists(hostile, max_size=3)
person = {"name": hostile, "organization": hostile, "role": hostile,
          "email": st.one_of(hostile, st.emails())}
action = table({"owner": hostile, "task": hostile, "due": day, "done": st.booleans()})
topic = table({"title": hostile, "body": hostile, "decisions": hostile_list,
               "actions": st.lists(action, max_size=2)})
participant = table({**person, "attendance": st.sampled_from(
    ["present", "excused", "absent", "late"])})
nxt = table({"date": moment, "end": st.times(), "venue": hostile, "address": hostile,
             "phone": hostile, "note": hostile, "agenda": hostile_list})
meeting = table({
    "date": st.sampled_from([dt.date(2026, 1, 15), dt.datetime(2026, 1, 15, 14)]),
    "end": st.times(), "title": hostile, "number": st.integers(0, 5),
    "kind": st.sampled_from(["meeting", "article", "party"]), "published": day,
    "subtitle": hostile, "venue": hostile, "address": hostile, "context": hostile,
    "keywords": hostile_list, "spip_article": st.integers(-1, 999), "url": hostile,
    "uid": hostile, "participants": st.lists(participant, max_size=3),
    "topics": st.lists(topic, max_size=3), "next": nxt,
}, required=("date",))
group = table({
    "name": hostile, "section": hostile_list, "language": st.sampled_from(["fr", "en", "de"]),
    "timezone": st.sampled_from(["Europe/Paris", "America/New_York", "Nowhere/Else", "", "UTC"]),
    "duration_minutes": st.integers(-5, 2000), "ordinals": st.sampled_from(["long", "short"]),
    "keywords": hostile_list, "url": hostile, "objectives": hostile,
    "organizer": table(person), "members": st.lists(table(person), max_size=3),
}, required=("name",))


def _dump(data: dict) -> str | None:
    try:
        return tomli_w.dumps(data)
    except (TypeError, ValueError):  # e.g. an array mixing tables and values: not TOML
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meeting)
def test_any_meeting_table_parses_to_a_meeting_or_problems(data):
    text = _dump(data)
    if text is None:
        return
    m, problems = read_meeting(text, _Name("2026-01-15.toml"), "g")
    assert m is not None or any(p.severity == "error" for p in problems)
    for p in problems:
        assert p.message and "\n" not in p.message


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(group_data=group, meetings=st.lists(meeting, min_size=1, max_size=2))
def test_any_archive_checks_renders_and_publishes_without_a_traceback(tmp_path_factory,
                                                                      group_data, meetings):
    root = tmp_path_factory.mktemp("records")
    folder = root / "g"
    folder.mkdir()
    text = _dump(group_data)
    if text is None:
        return
    (folder / "group.toml").write_text(text, encoding="utf-8")
    for i, data in enumerate(meetings):
        text = _dump(data)
        if text is not None:
            (folder / f"2026-01-{15 + i}.toml").write_text(text, encoding="utf-8")
    archive = Archive.load(Store(root))
    g = archive.groups["g"]
    for m in archive.meetings["g"]:
        if any(p.severity == "error" for p in archive.problems_of(archive.path(m))):
            continue
        event("rendered")
        for fmt in FORMATS:
            assert render(Context(m, g, archive.number(m)), fmt).endswith("\n")
    if archive.errors:
        return
    event("published")
    try:
        entries = calendar.feed_entries(g, archive.meetings["g"], archive.number, {})
        calendar.Calendar.from_ical(calendar.feed(g, entries))
        last = archive.meetings["g"][-1]
        if last.next is not None:
            calendar.prepare(g, archive.meetings["g"], archive.number, last, {}, cancel=False,
                             now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                             new_uid=invitations.random_uid)
    except RencontresError:
        pass  # a clear user error (no organizer, say) is the right answer


class _Name(str):
    @property
    def stem(self):
        return self.removesuffix(".toml")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(name=hostile, title=hostile, venue=hostile, person=hostile)
def test_terminal_commands_show_any_text_without_a_traceback(tmp_path_factory, name, title,
                                                             venue, person):
    """`list`, `show` and `check` print what people wrote as text, never as rich markup."""
    from typer.testing import CliRunner

    from rencontres.cli import app

    root = tmp_path_factory.mktemp("records")
    (root / "g").mkdir()
    (root / "g" / "group.toml").write_text(tomli_w.dumps({"name": name or "x"}), "utf-8")
    record = {"date": dt.date(2026, 1, 15), "title": title, "venue": venue,
              "participants": [{"name": person or "p"}],
              "topics": [{"title": title or "t", "body": venue, "decisions": [person]}],
              "next": {"date": dt.datetime(2026, 2, 1, 10), "venue": venue}}
    (root / "g" / "2026-01-15.toml").write_text(tomli_w.dumps(record), "utf-8")
    runner = CliRunner()
    for args in (["list"], ["show", "g/2026-01-15"], ["check"], ["list", "--json"]):
        result = runner.invoke(app, ["--records", str(root), *args], catch_exceptions=False,
                               env={"NO_COLOR": "1", "COLUMNS": "100"})
        assert result.exit_code in (0, 1), (args, result.stdout, result.stderr)
