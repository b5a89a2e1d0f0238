"""Each answer of `new` checked when it is given, by the rules `check` applies.

After an answer, the draft so far (with that answer) is composed and read back as `check`
reads a record, with the checks that need the group (local times, owners); the problems of
the part just answered are that answer's. One rule set: nothing here decides what is wrong,
only which problems belong to which answer, and how to say the few that `check` words in
TOML's terms ("also participants[3]"). Names close to a known one (`core.text.is_near`)
are found here too, for the question to offer the known spelling.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from rencontres.core.i18n import _
from rencontres.core.model import Group, Meeting, Person, Problem
from rencontres.core.text import name_key, nearest
from rencontres.core.values import replace
from rencontres.entry.draft import Draft

People = list[tuple[Person, str]]  # (person, attendance), as a Draft holds them


def _day(when: dt.date | dt.datetime) -> dt.date:
    return when.date() if isinstance(when, dt.datetime) else when


@dataclasses.dataclass
class Checker:
    """The group a draft is checked against, and the people it already knows."""

    group: Group
    slug: str
    folder: Path
    known: tuple[Person, ...] = ()  # members, earlier participants, earlier owners

    @classmethod
    def of(cls, group: Group, folder: Path, meetings: Sequence[Meeting]) -> Checker:
        """For a new record of `group` (whose records are `meetings`, in `folder`)."""
        people: dict[str, Person] = {}
        for person in group.members:
            people.setdefault(name_key(person.name), person)
        for m in meetings:
            for p in m.participants:
                people.setdefault(name_key(p.name), p.person)
        for m in meetings:
            for t in m.topics:
                for a in t.actions:
                    if a.owner:
                        people.setdefault(name_key(a.owner), Person(name=a.owner))
        return cls(group, group.slug, folder, tuple(people.values()))

    def problems(self, draft: Draft, part: tuple) -> list[Problem]:
        """The problems `check` would find in `draft` that lie in `part` (a key's start:
        `("next",)`, `("participants", 3)`)."""
        from rencontres.entry.compose import compose
        from rencontres.records.checks import check_local_times, check_owners

        path = self.folder / f"{_day(draft.date).isoformat()}.toml"
        _, found = compose(draft, path, self.slug, rules=self.group,
                           checks=(check_local_times, check_owners))
        return [p for p in found if p.key[:len(part)] == part]

    # -- each question's answer, in its draft ---------------------------------------------
    def date(self, when: dt.date | dt.datetime) -> list[Problem]:
        return self.problems(Draft(date=when), ("date",))

    def end(self, draft: Draft, end: dt.time | None) -> list[Problem]:
        return self.problems(dataclasses.replace(draft, end=end), ("end",))

    def participant(self, draft: Draft, people: People, person: Person) -> list[Problem]:
        """`person` added to `people` (see `added`): a second listing of someone present is
        refused, said in people's words."""
        after, at = added(people, person)
        found = self.problems(dataclasses.replace(draft, participants=after),
                              ("participants", at))
        from rencontres.records.parse import LISTED_TWICE

        out = []
        for p in found:
            if p.key[2:] == ("name",) and _said(_(LISTED_TWICE["participant"]), p.message):
                first = next((q for q, _attendance in after[:at] if _same(q, person)), None)
                shown = first.name if first else person.name
                p = replace(p, message=_("{name} is already listed (present)").format(name=shown))
            out.append(p)
        return out

    def owner(self, draft: Draft, owner: str) -> list[Problem]:
        """An action's owner, in a topic of its own: one who is neither a participant nor
        a member is a warning, as in `check`."""
        probe = dataclasses.replace(draft, topics=[{"title": "?", "actions": [
            {"owner": owner, "task": "?"}]}], next={})
        return self.problems(probe, ("topics", 0, "actions", 0, "owner"))

    def next(self, draft: Draft, when: dt.datetime) -> list[Problem]:
        return self.problems(dataclasses.replace(draft, next={**draft.next, "date": when}),
                             ("next",))

    # -- names close to known ones ---------------------------------------------------------
    def near(self, name: str, also: Sequence[Person] = ()) -> Person | None:
        """The known person (`also` first: the draft's own) whose name `name` is a near
        spelling of, if any; None when `name` is one of them or near none."""
        people = {name_key(p.name): p for p in (*self.known, *also)}
        found = nearest(name, [p.name for p in (*also, *self.known)])
        return people[name_key(found)] if found is not None else None


def _said(template: str, message: str) -> bool:
    """Whether `message` is `template` (a message of the catalog, in the user's language)
    with its placeholders filled in."""
    import re

    pattern = "".join(".*" if re.fullmatch(r"\{\w+\}", part) else re.escape(part)
                      for part in re.split(r"(\{\w+\})", template))
    return re.fullmatch(pattern, message, re.DOTALL) is not None


def _same(a: Person, b: Person) -> bool:
    return name_key(a.name) == name_key(b.name) or bool(
        a.email and a.email.casefold() == b.email.casefold())


def added(people: People, person: Person) -> tuple[People, int]:
    """`people` with `person` among those present, and where: someone listed as excused or
    absent (from the roster) is marked present, with what is known of them; anyone else is
    added at the end."""
    for i, (p, attendance) in enumerate(people):
        if _same(p, person) and attendance != "present":
            merged = replace(p, organization=p.organization or person.organization,
                             email=p.email or person.email)
            return [*people[:i], (merged, "present"), *people[i + 1:]], i
    return [*people, (person, "present")], len(people)
