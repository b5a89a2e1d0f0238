"""Answers matched to invitations, and who is coming: pure functions over what was read
(`replies.py`) and the groups' states (`state.py`).

A reply is matched by its UID to the invitation that gave it (`state.invitation_of`), in
any of the groups read; its attendee by address, casefolded. A reply to an earlier
SEQUENCE is kept as an answer to that version, and said; a reply to a cancelled meeting is
recorded, and said; a COUNTER is shown, never applied (nor recorded). A message whose
answers match no invitation is returned with the reason, never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from rencontres.core.i18n import _
from rencontres.core.model import Group, Meeting, Person
from rencontres.core.values import frozen
from rencontres.invite.replies import Answer, Read
from rencontres.invite.state import CANCELLED, Invitation, answers, invitation_of, reply

ORDER = ("accepted", "tentative", "declined", "delegated", "")  # "": no answer


@frozen
class Matched:
    """A message's answers to one group's invitation, as entries of its state."""

    read: Read
    group: str
    invitation: Invitation
    entries: tuple[dict, ...]  # REPLYs, to record
    counters: tuple[Answer, ...]  # COUNTERs, to show
    notes: tuple[str, ...]  # an earlier SEQUENCE, a cancelled meeting


def match(reads: Iterable[Read], states: Mapping[str, dict], now: dt.datetime
          ) -> tuple[list[Matched], list[tuple[Read, str]]]:
    """(matched, unmatched with the reason) of what was read, against each group's state."""
    matched: list[Matched] = []
    unmatched: list[tuple[Read, str]] = []
    for read in reads:
        if not read.answers:
            unmatched.append((read, read.problem or _("no answer in it")))
            continue
        by_uid: dict[str, list[Answer]] = {}
        for a in read.answers:
            by_uid.setdefault(a.uid, []).append(a)
        for uid, found in by_uid.items():
            hit = next(((g, inv) for g, st in states.items()
                        if (inv := invitation_of(st, uid)) is not None), None)
            if hit is None:
                unmatched.append((read, (_(
                    "UID {uid} is no invitation of {groups} (another organiser's meeting, or "
                    "one never sent)") if states else _(
                    "UID {uid} is no invitation of any group (another organiser's meeting, or "
                    "one never sent)")).format(uid=uid, groups=", ".join(sorted(states)))))
                continue
            group, inv = hit
            notes = []
            for a in found:
                if a.sequence < inv.sequence:
                    notes.append(_("{attendee} answers SEQUENCE {sequence}, an earlier version "
                                   "(the invitation is now at {current}): kept as an answer to "
                                   "that version").format(attendee=a.attendee,
                                                          sequence=a.sequence,
                                                          current=inv.sequence))
                elif a.sequence > inv.sequence:
                    notes.append(_("{attendee} answers SEQUENCE {sequence}, which was never sent "
                                   "(the invitation is at {current})").format(
                                       attendee=a.attendee, sequence=a.sequence,
                                       current=inv.sequence))
            if inv.status == CANCELLED:
                notes.append(_("answers a meeting since cancelled"))
            entries = tuple(
                reply(uid, a.attendee, a.answer, a.sequence, a.stamp, "mail", now, a.comment,
                      a.delegated_to, a.name) for a in found if a.method == "REPLY")
            counters = tuple(a for a in found if a.method == "COUNTER")
            matched.append(Matched(read, group, inv, entries, counters, tuple(notes)))
    return matched, unmatched


@frozen
class Row:
    """One person and their answer to a meeting."""

    person: Person
    answer: str = ""  # accepted, tentative, declined, delegated, "" (no answer)
    comment: str = ""
    stamp: dt.datetime | None = None  # when they answered
    via: str = ""  # mail | rsvp
    sequence: int | None = None  # the SEQUENCE answered
    earlier: bool = False  # an answer to an earlier version
    delegated_to: str = ""
    invited: bool = True  # False: an answer from someone not among the invitees


@frozen
class Coming:
    """Who is coming to one invited meeting."""

    group: str
    key: str  # the stem of the record whose [next] it is
    invitation: Invitation
    rows: tuple[Row, ...]

    def of(self, answer: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.answer == answer)


def coming(group: Group, meeting: Meeting, state: dict, invitees: Sequence[Person]
           ) -> Coming | None:
    """Who answered what to the invitation of `meeting`'s [next] (None: never invited).
    `invitees`: the people invited (`ics.invitees`), in the group's order; an answer from
    anyone else (a delegate, a forwarded invitation) is listed too, not invited."""
    from rencontres.invite.state import current

    inv = current(state, meeting.stem)
    if inv is None:
        return None
    latest = answers(state, inv.uid)
    rows = []
    for person in invitees:
        entry = latest.pop(person.email.casefold(), None)
        rows.append(_row(person, entry, inv))
    for address, entry in latest.items():
        rows.append(_row(Person(entry.get("name", ""), email=address), entry, inv, False))
    return Coming(group.slug, meeting.stem, inv, tuple(rows))


def _row(person: Person, entry: dict | None, inv: Invitation, invited: bool = True) -> Row:
    if entry is None:
        return Row(person, invited=invited)
    stamp = entry["stamp"].astimezone(dt.UTC)
    return Row(person, entry["answer"], entry.get("comment", ""), stamp, entry["via"],
               entry["sequence"], entry["sequence"] < inv.sequence,
               entry.get("delegated_to", ""), invited)


def attendance(rows: Iterable[Row]) -> dict[str, tuple[str, str]]:
    """What a new record's attendance starts from (address → (attendance, note)):
    accepted → present; declined or delegated → excused, with the comment; the others
    (tentative, no answer) are asked."""
    out = {}
    for r in rows:
        if not r.person.email:
            continue
        if r.answer == "accepted":
            out[r.person.email.casefold()] = ("present", r.comment)
        elif r.answer in ("declined", "delegated"):
            note = r.comment
            if r.answer == "delegated" and r.delegated_to:
                note = f"delegated to {r.delegated_to}" + (  # i18n: written into the record
                    f"; {note}" if note else "")
            out[r.person.email.casefold()] = ("excused", note)
    return out


def proposals(rows: Sequence[Row]) -> list[tuple[Person, str, str]]:
    """For `new`: (person, attendance proposed — "" to ask —, a note of their answer) per
    invitee; none when nobody answered."""
    if not any(r.answer for r in rows):
        return []
    proposed = attendance(rows)
    out = []
    for r in rows:
        attending, comment = proposed.get(r.person.email.casefold(), ("", ""))
        note = f"replied {r.answer}" if r.answer else "no answer"  # i18n: written into the record
        if r.stamp is not None:
            note += f" on {r.stamp:%Y-%m-%d}"
        if comment:
            note += f": {comment}"
        out.append((r.person, attending, note))
    return out


def invitee(spec: str, invitees: Sequence[Person]) -> tuple[Person, bool]:
    """(the invitee named by address, name, or the unique start of a name — case and
    accents aside —, True); an address of someone not invited is taken as it is (False)."""
    from rencontres.core.errors import UsageError
    from rencontres.core.text import name_key, valid_email

    key = name_key(spec)
    for p in invitees:
        if p.email.casefold() == spec.strip().casefold() or name_key(p.name) == key:
            return p, True
    starts = [p for p in invitees if key and any(
        w.startswith(key) for w in (name_key(p.name), *name_key(p.name).split()))]
    if len(starts) == 1:
        return starts[0], True
    if valid_email(spec.strip()):
        return Person("", email=spec.strip()), False
    if starts:
        raise UsageError(_("{spec} names several invitees: {names}").format(
            spec=repr(spec), names=", ".join(p.name for p in starts)),
            _("give more of the name"))
    names = ", ".join(p.name or p.email for p in invitees)
    raise UsageError(_("{spec} is none of the invitees").format(spec=repr(spec)),
                     _("name one of: {names}, or give an e-mail address").format(names=names))


def as_json(c: Coming, start: dt.datetime | None) -> dict:
    """One meeting's answers as `replies --json` prints them."""
    def person(r: Row) -> dict:
        out: dict = {"name": r.person.name, "organization": r.person.organization,
               "email": r.person.email}
        if r.answer:
            out.update(answered=r.stamp.isoformat().replace("+00:00", "Z") if r.stamp
                       else None, via=r.via, sequence=r.sequence, earlier_version=r.earlier,
                       comment=r.comment)
            if r.delegated_to:
                out["delegated_to"] = r.delegated_to
        if not r.invited:
            out["invited"] = False
        return out

    return {"group": c.group, "record": c.key, "uid": c.invitation.uid,
            "sequence": c.invitation.sequence,
            "cancelled": c.invitation.status == CANCELLED,
            "start": start.isoformat() if start else None,
            **{(a or "no_answer"): [person(r) for r in c.of(a)] for a in ORDER}}
