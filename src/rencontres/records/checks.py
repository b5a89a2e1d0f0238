"""Checks that need more than one table of a record: owners, numbering.

Type and format checks (dates, e-mails, control characters, duplicates) happen
while parsing, in `parse.py`; these run on the model, with the group or the
whole group's meetings at hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rencontres.core.i18n import _
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
                    _("action owner '{owner}' is neither a participant nor a member of the "
                      "group (check the spelling)").format(owner=action.owner),
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
                _("number = {number}, but this is meeting {rank} of the group in date order "
                  "(a record missing or misdated? remove `number` to derive it)")
                .format(number=m.number, rank=rank.get(m.stem)),
                ("number",)))
        elif m.number is not None and m.kind != "meeting":
            problems.append(Problem(paths[m.stem], None, "warning",
                                    _("number = {number} on a record of kind '{kind}', which "
                                      "is not counted").format(number=m.number, kind=m.kind),
                                    ("number",)))
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
            problems.append(Problem(path, None, "error", _(
                "{time} does not exist in {zone}: {change} that night (an hour is skipped; "
                "give a time before or after it)").format(
                time=shown, zone=group.timezone, change=localtime.change(local, tz)), key))
        elif state == "twice":
            first = localtime.instant(local, tz)
            problems.append(Problem(path, None, "warning", _(
                "{time} happens twice in {zone} ({change}): the first is meant, {utc} UTC")
                .format(time=shown, zone=group.timezone, change=localtime.change(local, tz),
                        utc=f"{first.astimezone(dt.UTC):%H:%M}"), key))
    return problems


def check_near_names(group: Group, meetings: Sequence[Meeting], paths: dict[str, str],
                     group_path: str) -> list[Problem]:
    """A name spelled close to an earlier one of the group (members first, then each record's
    participants and action owners, in date order): a warning at its first appearance,
    naming both spellings and where each was written (`text.is_near`: accents, case and
    spacing aside, one or two letters apart)."""
    from rencontres.core.text import is_near, name_fold

    spellings: list[tuple[str, str, tuple]] = [  # name, path, key
        (m.name, group_path, ("members", i, "name")) for i, m in enumerate(group.members)]
    for meeting in meetings:
        path = paths[meeting.stem]
        spellings += [(p.name, path, ("participants", i, "name"))
                      for i, p in enumerate(meeting.participants)]
        spellings += [(a.owner, path, ("topics", t, "actions", n, "owner"))
                      for t, topic in enumerate(meeting.topics)
                      for n, a in enumerate(topic.actions) if a.owner]
    seen: set[str] = set()
    index: dict[str, list[int]] = {}  # each spelling's folded form less 0–2 letters → spellings
    problems = []
    for i, (name, path, key) in enumerate(spellings):
        if name_key(name) in seen:
            continue
        seen.add(name_key(name))
        variants = _deletions(name_fold(name))
        candidates = sorted({j for v in variants for j in index.get(v, ())})
        earlier = next((spellings[j] for j in candidates if is_near(name, spellings[j][0])),
                       None)
        if earlier is not None:
            said = _("'{name}' is spelled close to '{earlier}': the same person? (check the "
                     "spelling)") if earlier[1] == path else \
                _("'{name}' is spelled close to '{earlier}' in {path}: the same person? (check "
                  "the spelling)")
            problems.append(Problem(path, None, "warning",
                                    said.format(name=name, earlier=earlier[0], path=earlier[1]),
                                    key))
        for v in variants:
            index.setdefault(v, []).append(i)
    return problems


def _deletions(word: str, depth: int = 2) -> set[str]:
    """`word` and every string made from it by deleting up to `depth` characters: two words
    within `depth` edits of each other always share one of these."""
    out, frontier = {word}, {word}
    for _step in range(depth):
        frontier = {w[:k] + w[k + 1:] for w in frontier for k in range(len(w))}
        out |= frontier
    return out
