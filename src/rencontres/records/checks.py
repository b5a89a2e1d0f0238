"""Checks that need more than one table of a record: owners, numbering.

Type and format checks (dates, e-mails, control characters, duplicates) happen
while parsing, in `parse.py`; these run on the model, with the group or the
whole group's meetings at hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rencontres.core.model import Group, Meeting, Problem
from rencontres.core.text import name_key


def check_owners(meeting: Meeting, group: Group, path: str) -> list[Problem]:
    """An action's owner should be someone at the meeting or on the roster."""
    known = {name_key(p.name) for p in meeting.participants}
    known |= {name_key(m.name) for m in group.members}
    if group.organizer:
        known.add(name_key(group.organizer.name))
    problems = []
    for t, topic in enumerate(meeting.topics):
        for a, action in enumerate(topic.actions):
            if action.owner and name_key(action.owner) not in known:
                problems.append(Problem(
                    path, None, "warning",
                    f"action owner '{action.owner}' is neither a participant nor a member "
                    "of the group (check the spelling)",
                    ("topics", t, "actions", a, "owner")))
    return problems


def ranks(meetings: Sequence[Meeting]) -> dict[str, int]:
    """Each meeting's rank in date order (articles that are no meeting are not counted)."""
    return ranks_of((m.stem, m.kind) for m in meetings)


def ranks_of(records: Iterable[tuple[str, str]]) -> dict[str, int]:
    """The same from each record's (stem, kind), in date order."""
    out: dict[str, int] = {}
    for stem, kind in records:
        if kind == "meeting":
            out[stem] = len(out) + 1
    return out


def check_numbers(meetings: Sequence[Meeting], rank: dict[str, int],
                  paths: dict[str, str]) -> list[Problem]:
    """An explicit `number` that disagrees with date order (a forgotten record, a typo)."""
    problems = []
    for m in meetings:
        if m.number is not None and m.kind == "meeting" and rank.get(m.stem) != m.number:
            problems.append(Problem(
                paths[m.stem], None, "warning",
                f"number = {m.number}, but this is meeting {rank.get(m.stem)} of the group in "
                "date order (a record missing or misdated? remove `number` to derive it)",
                ("number",)))
        elif m.number is not None and m.kind != "meeting":
            problems.append(Problem(paths[m.stem], None, "warning",
                                    f"number = {m.number} on a record of kind '{m.kind}', "
                                    "which is not counted", ("number",)))
    return problems


def check_local_times(meeting: Meeting, group: Group, path: str) -> list[Problem]:
    """A local time the group's zone skips (clocks go forward) is an error; one it has
    twice (clocks go back) a warning, saying which instant is meant: the first."""
    import datetime as dt

    from rencontres.core import localtime

    try:
        tz = localtime.zone(group.timezone)
    except (ValueError, KeyError, OSError):
        return []  # an unknown zone is group.toml's own error
    times: list[tuple[tuple, dt.datetime]] = []
    if meeting.start is not None:
        times.append((("date",), meeting.start))
    if isinstance(meeting.end, dt.datetime):
        times.append((("end",), meeting.end))
    elif isinstance(meeting.end, dt.time) and meeting.start is not None:
        times.append((("end",), dt.datetime.combine(meeting.day, meeting.end)))
    if meeting.next is not None and meeting.next.date is not None:
        times.append((("next", "date"), meeting.next.date))
        end = meeting.next.end
        if isinstance(end, dt.datetime):
            times.append((("next", "end"), end))
        elif isinstance(end, dt.time):
            times.append((("next", "end"), dt.datetime.combine(meeting.next.date.date(), end)))
    problems = []
    for key, local in times:
        state = localtime.status(local, tz)
        shown = local.isoformat(timespec="minutes")
        if state == "missing":
            problems.append(Problem(path, None, "error", f"{shown} does not exist in "
                                    f"{group.timezone}: {localtime.change(local, tz)} that "
                                    "night (an hour is skipped; give a time before or after it)",
                                    key))
        elif state == "twice":
            first = localtime.instant(local, tz)
            problems.append(Problem(path, None, "warning", f"{shown} happens twice in "
                                    f"{group.timezone} ({localtime.change(local, tz)}): the "
                                    f"first is meant, {first.astimezone(dt.UTC):%H:%M} UTC",
                                    key))
    return problems
