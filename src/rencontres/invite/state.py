"""Invitation identities and the delivery log: pure functions over the state dict.

The state lives in `records/<group>/state.toml` (see `read_state`), written
by the tool only, so the hand-written records are never rewritten. Its shape:

    [invitations."2007-11-22"]        # the stem of the record whose [next] is invited
    uid = "6f1c…"                     # random UUID, created on the first invitation
    sequence = 1                      # RFC 5545 SEQUENCE of the last invitation produced
    status = "CONFIRMED"              # or "CANCELLED"
    stamp = 2026-01-10T09:00:00Z      # DTSTAMP of this version (kept while nothing changes)
    start = "2008-01-16T14:00"        # the terms SEQUENCE depends on: local start and end,
    end = "2008-01-16T16:00"          #   venue and address, as last invited
    venue = "Energie Alternative"
    address = "52, La Cannebière"
    digest = "…"                      # hash of the rest (summary, description)

    [[deliveries]]                    # one entry per message accepted by the SMTP server
    uid = "6f1c…"
    sequence = 1
    method = "REQUEST"
    stamp = 2026-01-10T09:00:00Z
    to = "marie@example.org"
    at = 2026-01-10T09:00:00Z

    [[replies]]                       # one entry per answer read (`replies`) or given (`rsvp`)
    uid = "6f1c…"                     # the invitation it answers
    attendee = "marie@example.org"    # casefolded
    answer = "declined"               # accepted, declined, tentative or delegated
    sequence = 1                      # the SEQUENCE it answers (an earlier one is kept, and said)
    stamp = 2026-01-11T08:12:00Z      # its DTSTAMP (e-mail), or when it was given (rsvp)
    via = "mail"                      # or "rsvp"
    at = 2026-01-12T09:00:00Z         # when the tool recorded it
    comment = "En congé ce jour-là"   # optional, as are delegated_to and name (the CN)

Rules:
- SEQUENCE starts at 0 and goes up by one when the start, end, venue or address
  changes, or when the meeting is cancelled (or invited again after a
  cancellation). Anything else that changes (agenda, note, summary) keeps the
  SEQUENCE but takes a new DTSTAMP; nothing changed keeps both, so the same
  invitation is produced byte for byte.
- A recipient counts as reached for the current version when the log holds an
  entry with its UID, SEQUENCE, method and DTSTAMP: `send` sends only to the
  others, so a re-run after a failure completes the round and an unchanged
  invitation is never sent twice.
- An attendee's answer is the latest of theirs by `stamp` (the earlier ones stay, as history);
  an answer already recorded (same UID, attendee, answer, SEQUENCE, stamp, comment) is never
  recorded twice, so reading the same mailbox again counts nothing twice.
- The UID is kept for good: `uid_for_next` hands it to `rencontres new` for the
  meeting's own record, and the feed reads it from here. A meeting never invited
  gets a stable name-based UID instead (`stable_uid`).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import uuid
from collections.abc import Callable

from rencontres.core.errors import UsageError
from rencontres.core.i18n import N_, _
from rencontres.core.values import frozen

CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"
TERMS = ("start", "end", "venue", "address")

# uuid5 namespace of the UIDs of meetings never invited (fixed for good: changing
# it would change every such UID in every subscriber's calendar).
FEED_NAMESPACE = uuid.UUID("0b6f3c1e-6d0a-5c1b-9a57-3f1e2d4c5b6a")


@frozen
class Invitation:
    """One version of the invitation to a record's next meeting."""

    key: str  # the stem of the record holding [next]
    uid: str
    sequence: int
    status: str  # CONFIRMED | CANCELLED
    stamp: dt.datetime  # DTSTAMP, UTC

    @property
    def method(self) -> str:
        return "CANCEL" if self.status == CANCELLED else "REQUEST"


def random_uid() -> str:
    """A new UID: a random UUID, as RFC 7986 recommends."""
    return str(uuid.uuid4())


def terms(start: dt.datetime, end: dt.datetime, venue: str, address: str) -> dict[str, str]:
    """What SEQUENCE depends on, as stored: local times to the minute, venue, address."""
    return {
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": end.strftime("%Y-%m-%dT%H:%M"),
        "venue": venue,
        "address": address,
    }


def digest(*texts: str) -> str:
    """A short hash of the content that does not change SEQUENCE."""
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


def _utc(stamp: dt.datetime) -> dt.datetime:
    if stamp.tzinfo is None:
        raise ValueError("a DTSTAMP needs a time zone")  # i18n: a bug's message
    return stamp.astimezone(dt.UTC).replace(microsecond=0)


def _aware(v) -> bool:
    return isinstance(v, dt.datetime) and v.tzinfo is not None and 1900 <= v.year <= 2200


def _count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**31


def _word(v) -> bool:
    return isinstance(v, str) and bool(v.strip())


# what each key must be (`_(expected)` where a problem says it)
_INVITATION_SHAPE = {"uid": (_word, N_("a UID string")),
                     "sequence": (_count, N_("a whole number")),
                     "status": (lambda v: v in (CONFIRMED, CANCELLED), N_("CONFIRMED or CANCELLED")),
                     "stamp": (_aware, N_("a date-time in UTC"))}
_OPTIONAL_TEXT = (*TERMS, "digest")
_DELIVERY_SHAPE = {"uid": _INVITATION_SHAPE["uid"], "sequence": _INVITATION_SHAPE["sequence"],
                   "method": (lambda v: v in ("REQUEST", "CANCEL"), N_("REQUEST or CANCEL")),
                   "stamp": _INVITATION_SHAPE["stamp"], "to": (_word, N_("an e-mail address")),
                   "at": _INVITATION_SHAPE["stamp"]}
ANSWERS = ("accepted", "declined", "tentative", "delegated")
_REPLY_SHAPE = {"uid": _INVITATION_SHAPE["uid"], "attendee": (_word, N_("an e-mail address")),
                "answer": (lambda v: v in ANSWERS, N_("one of {answers}")),
                "sequence": _INVITATION_SHAPE["sequence"], "stamp": _INVITATION_SHAPE["stamp"],
                "via": (lambda v: v in ("mail", "rsvp"), N_("mail or rsvp")),
                "at": _INVITATION_SHAPE["stamp"]}
_REPLY_TEXT = ("comment", "delegated_to", "name")


def state_problems(state: dict) -> list[tuple[tuple, str]]:
    """What is wrong in a state read back from disk, as (key, message): the tool wrote it,
    so anything off (a hand edit, a bad merge) is damage to report, never to guess around."""
    problems: list[tuple[tuple, str]] = []

    def fields(table, key: tuple, shape: dict) -> None:
        for name, (ok, expected) in shape.items():
            if name not in table:
                problems.append((key, _("'{key}' is missing").format(key=name)))
            elif not ok(table[name]):
                problems.append(((*key, name), must_be(name, expected)))

    invs = state.get("invitations", {})
    if not isinstance(invs, dict):
        problems.append((("invitations",), _("'{key}' must be a table").format(
            key="invitations")))
        invs = {}
    for stem, entry in invs.items():
        key = ("invitations", stem)
        if not isinstance(entry, dict):
            problems.append((key, _("invitation '{stem}' must be a table").format(stem=stem)))
            continue
        fields(entry, key, _INVITATION_SHAPE)
        for name in _OPTIONAL_TEXT:
            if name in entry and not isinstance(entry[name], str):
                problems.append(((*key, name), _("'{key}' must be a string").format(key=name)))
    deliveries = state.get("deliveries", [])
    if not isinstance(deliveries, list):
        problems.append((("deliveries",), _("'{key}' must be an array of tables").format(
            key="deliveries")))
        deliveries = []
    for i, entry in enumerate(deliveries):
        key = ("deliveries", i)
        if not isinstance(entry, dict):
            problems.append((key, _("delivery {n} must be a table").format(n=i + 1)))
        else:
            fields(entry, key, _DELIVERY_SHAPE)
    replies = state.get("replies", [])
    if not isinstance(replies, list):
        problems.append((("replies",), _("'{key}' must be an array of tables").format(
            key="replies")))
        replies = []
    for i, entry in enumerate(replies):
        key = ("replies", i)
        if not isinstance(entry, dict):
            problems.append((key, _("reply {n} must be a table").format(n=i + 1)))
            continue
        fields(entry, key, _REPLY_SHAPE)
        for name in _REPLY_TEXT:
            if name in entry and not isinstance(entry[name], str):
                problems.append(((*key, name), _("'{key}' must be a string").format(key=name)))
    from rencontres.invite import sentlog

    return problems + sentlog.problems(state)


def must_be(key: str, expected: str) -> str:
    """"'sequence' must be a whole number": `expected` a message of a shape (marked `N_`)."""
    return _("'{key}' must be {expected}").format(
        key=key, expected=_(expected).format(answers=", ".join(ANSWERS)))


def current(state: dict, key: str) -> Invitation | None:
    """The last invitation produced for record `key`'s next meeting, if any."""
    entry = state.get("invitations", {}).get(key)
    if entry is None:
        return None
    return Invitation(key, entry["uid"], entry["sequence"], entry["status"], _utc(entry["stamp"]))


def produce(
    state: dict,
    key: str,
    new_terms: dict[str, str],
    new_digest: str,
    *,
    cancel: bool,
    now: dt.datetime,
    new_uid: Callable[[], str] | None = None,
) -> tuple[dict, Invitation]:
    """The invitation (or cancellation) to produce now, and the state that records it.

    `state` is not modified; the returned one is to be written back. `new_uid`
    makes the UID of a first invitation (default: `random_uid`).
    """
    state = copy.deepcopy(state)
    invitations = state.setdefault("invitations", {})
    entry = invitations.get(key)
    status = CANCELLED if cancel else CONFIRMED
    if entry is None:
        if cancel:
            raise UsageError(
                _("{key}: its next meeting was never invited, so there is nothing to "
                  "cancel").format(key=key),
                _("edit or remove [next] in the record instead"),
            )
        entry = {"uid": (new_uid or random_uid)(), "sequence": 0}
        bump, restamp = False, True
    else:
        bump = entry["status"] != status or any(entry.get(k) != new_terms[k] for k in TERMS)
        restamp = bump or entry.get("digest") != new_digest
    if bump:
        entry["sequence"] += 1
    if restamp:
        entry["stamp"] = _utc(now)
    entry.update(status=status, **new_terms, digest=new_digest)
    invitations[key] = entry
    made = current(state, key)
    assert made is not None  # just put there
    return state, made


def reached(state: dict, invitation: Invitation) -> set[str]:
    """The addresses (lowercased) that already received this very version."""
    stamp = invitation.stamp
    return {
        d["to"].lower()
        for d in state.get("deliveries", [])
        if d["uid"] == invitation.uid
        and d["sequence"] == invitation.sequence
        and d["method"] == invitation.method
        and _utc(d["stamp"]) == stamp
    }


def log_delivery(state: dict, invitation: Invitation, to: str, at: dt.datetime) -> dict:
    """The state with one more delivery in its log."""
    state = copy.deepcopy(state)
    state.setdefault("deliveries", []).append({
        "uid": invitation.uid,
        "sequence": invitation.sequence,
        "method": invitation.method,
        "stamp": invitation.stamp,
        "to": to,
        "at": _utc(at),
    })
    return state


# -- replies ------------------------------------------------------------------------------------
def invitation_of(state: dict, uid: str) -> Invitation | None:
    """The invitation (its record's stem as `key`) that gave a meeting this UID, if any."""
    for key, entry in state.get("invitations", {}).items():
        if entry.get("uid") == uid:
            return current(state, key)
    return None


def reply(uid: str, attendee: str, answer: str, sequence: int, stamp: dt.datetime, via: str,
          at: dt.datetime, comment: str = "", delegated_to: str = "", name: str = "") -> dict:
    """One answer as the state keeps it."""
    if answer not in ANSWERS:
        raise ValueError(f"not an answer: {answer!r}")  # i18n: a bug's message
    entry: dict = {"uid": uid, "attendee": attendee.strip().casefold(), "answer": answer,
                   "sequence": sequence, "stamp": _utc(stamp), "via": via, "at": _utc(at)}
    for key, value in (("comment", comment), ("delegated_to", delegated_to), ("name", name)):
        if value:
            entry[key] = value
    return entry


def _same(entry: dict) -> tuple:
    return (entry["uid"], entry["attendee"], entry["answer"], entry["sequence"],
            _utc(entry["stamp"]), entry.get("comment", ""), entry.get("delegated_to", ""))


def record_replies(state: dict, entries: list[dict]) -> tuple[dict, list[dict]]:
    """The state with these answers in its log, and those that were new (an answer already
    there, from an earlier run or twice in this one, is not recorded again)."""
    seen = {_same(e) for e in state.get("replies", [])}
    added = []
    for entry in entries:
        if _same(entry) not in seen:
            seen.add(_same(entry))
            added.append(entry)
    if not added:
        return state, []
    state = copy.deepcopy(state)
    state.setdefault("replies", []).extend(added)
    return state, added


def answers(state: dict, uid: str) -> dict[str, dict]:
    """Each attendee's answer to a meeting (address → entry): their latest by `stamp`
    (recorded later wins a tie)."""
    out: dict[str, dict] = {}
    for entry in state.get("replies", []):
        if entry["uid"] == uid:
            known = out.get(entry["attendee"])
            if known is None or _utc(entry["stamp"]) >= _utc(known["stamp"]):
                out[entry["attendee"]] = entry
    return out


def history(state: dict, uid: str, attendee: str) -> list[dict]:
    """Every answer of an attendee to a meeting, oldest first."""
    who = attendee.casefold()
    return sorted((e for e in state.get("replies", []) if e["uid"] == uid
                   and e["attendee"] == who), key=lambda e: _utc(e["stamp"]))


def uid_for_next(state: dict, record_stem: str) -> str | None:
    """The UID given to record `record_stem`'s [next] meeting, for the record `new` creates."""
    entry = state.get("invitations", {}).get(record_stem)
    return entry["uid"] if entry else None


def stable_uid(group: str, stem: str, upcoming: bool = False) -> str:
    """The UID of a meeting that was never invited: a uuid5 of its group and record.

    `stem` is the meeting's own record, or (upcoming) the record whose [next] it is.
    """
    name = f"{group}/{stem}" + ("#next" if upcoming else "")
    return str(uuid.uuid5(FEED_NAMESPACE, name))


def read_state(store, group: str) -> dict:
    """The tool's state for a group (an empty dict when there is none yet).

    A damaged state (bad TOML, a wrong shape, a file that is no file) is refused with
    its line, never guessed around: it decides what is sent to whom."""
    from rencontres.core.errors import Unreadable
    from rencontres.core.model import Problem
    from rencontres.records import parse
    from rencontres.records.store import read_text
    from rencontres.records.toml_lines import locate

    path = store.state_path(group)
    if not path.exists() and not path.is_symlink():
        return {}
    text = read_text(path)
    data, problems = parse.loads(text, str(path))
    if data is not None:
        found = state_problems(data)
        problems = locate([Problem(str(path), None, "error", message, key)
                           for key, message in found], text)
    if problems:
        raise Unreadable(path, _("damaged state file: {problem}").format(
            problem=problems[0].message), problems[0].line,
            _("restore it from version control (the tool writes it; never edit it by hand)"))
    assert data is not None  # no data comes with its syntax problem
    return data

