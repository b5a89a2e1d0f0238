"""From a draft to a record's text, checked: the one path for prompts, flags, edit and import.

`target` decides where a new record goes (a stub of that date is completed; any other record
there is refused unless it is to be replaced); `compose` writes the draft's text (a new
record, or the stub's own lines and what the draft adds) and reads it back as `check` would;
`read_back` is that reading, for a text a person wrote (`edit`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rencontres.core.model import Group, Meeting, Problem
from rencontres.entry.draft import Draft

Check = Callable[[Meeting, Group, str], list[Problem]]


@dataclass(frozen=True)
class Target:
    """Where a new record goes: its path, and the stub there to complete (its text, data)."""

    path: Path
    stub: tuple[str, dict] | None = None


def target(store, group: str, day: dt.date, *, same_day: bool = False,
           replace: bool = False) -> Target:
    """The record of `group`'s meeting on `day` (`same_day`: the day's first free name,
    `2008-01-16-2`…). A stub there is to be completed; any other record raises RecordExists,
    unless `replace` (the caller keeps its text before writing over it)."""
    from rencontres.core.errors import RecordExists
    from rencontres.core.model import is_stub
    from rencontres.records.parse import loads
    from rencontres.records.store import read_text

    stem = store.free_stem(group, day.isoformat()) if same_day else day.isoformat()
    path = store.meeting_path(group, stem)
    if not path.exists():
        return Target(path)
    text = read_text(path)
    data, _ = loads(text, str(path))
    if data is not None and is_stub(data) and not replace:
        return Target(path, (text, data))
    if not replace:
        raise RecordExists(path)
    return Target(path)


def compose(draft: Draft | dict, path: Path, group: str, *, rules: Group | None = None,
            header: str | None = None, comments: dict | None = None,
            stub: tuple[str, dict] | None = None,
            checks: Sequence[Check] | None = None) -> tuple[str, list[Problem]]:
    """The record's text and its problems, as `check` would find them.

    `draft`: a Draft, or the record's data already in the format's order (`import`).
    `rules`: the group, whose zone the local times are checked against (a new group's
    first import has none yet). `header`: the comment lines on top of a new record
    (default: the group's name and the day). `comments`: lines written above keys.
    `stub`: the text and data of the stub to complete, its lines and comments kept.
    `checks`: those that need the group (default: its local times)."""
    from rencontres.records.checks import check_local_times
    from rencontres.records.write import complete_stub, to_toml

    data = draft.data() if isinstance(draft, Draft) else draft
    if comments is None and isinstance(draft, Draft):
        comments = draft.comments or None
    if stub is not None:
        text = complete_stub(stub[0], stub[1], data, comments)
    else:
        if header is None:
            day = data["date"].date() if isinstance(data["date"], dt.datetime) else data["date"]
            header = f"# {rules.name if rules else group}: the meeting of {day.isoformat()}\n\n"
        text = to_toml(data, header, comments)
    if checks is None:
        checks = (check_local_times,)
    _, problems = read_back(text, path, group, rules, checks if rules else ())
    return text, problems


def read_back(text: str, path: Path, group: str, rules: Group | None = None,
              checks: Sequence[Check] = ()) -> tuple[Meeting | None, list[Problem]]:
    """A record's text read as `check` reads it, then the `checks` that need its group."""
    from rencontres.records.parse import read_meeting

    meeting, problems = read_meeting(text, path, group)
    if meeting is not None and rules is not None:
        for check in checks:
            problems += check(meeting, rules, str(path))
    return meeting, problems

