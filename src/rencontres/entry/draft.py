"""A new meeting's draft: what the secretary gave, as the record's TOML data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rencontres.core.model import Person
from rencontres.records.schema import PERSON


@dataclass
class Draft:
    """What the secretary gave for a new meeting, before it becomes TOML."""

    date: dt.date | dt.datetime
    end: dt.time | dt.datetime | None = None
    venue: str = ""
    address: str = ""
    uid: str = ""
    context: str = ""  # Markdown: the "Repère"
    participants: list[tuple[Person, str]] = field(default_factory=list)  # (person, attendance)
    topics: list[dict] = field(default_factory=list)  # title, body, decisions, actions
    next: dict = field(default_factory=dict)  # date, end, venue, address, agenda
    # comment lines written above keys, ("participants", i) → lines (an invitation's answer)
    comments: dict = field(default_factory=dict)

    def data(self) -> dict:
        """The record as TOML data, keys in the format's order."""
        out: dict = {"date": self.date}
        if self.end is not None:
            out["end"] = self.end
        if self.venue:
            out["venue"] = self.venue
        if self.address:
            out["address"] = self.address
        if self.context.strip():
            out["context"] = self.context.strip() + "\n" if "\n" in self.context.strip() \
                else self.context.strip()
        if self.uid:
            out["uid"] = self.uid
        people = []
        for person, attendance in self.participants:
            entry = {k: getattr(person, k) for k in PERSON.keys}
            entry = {k: v for k, v in entry.items() if v}
            if attendance != "present":
                entry["attendance"] = attendance
            people.append(entry)
        if people:
            out["participants"] = people
        if self.topics:
            out["topics"] = [{k: ([{a: x for a, x in act.items() if x not in ("", None, False)}
                                   for act in v] if k == "actions" else v)
                              for k, v in t.items() if v} for t in self.topics]
        if self.next:
            out["next"] = {k: v for k, v in self.next.items() if v}
        return out



def follow_ups(open_actions) -> list[dict]:
    """The open actions, to be reviewed at the new meeting: each a follow-up naming it,
    as it stands (the secretary marks it done or dropped)."""
    out = []
    for t in open_actions:
        a = t.action
        out.append({k: v for k, v in (("owner", a.owner), ("task", a.task), ("due", a.due),
                                      ("follows", t.ref)) if v})
    return out



