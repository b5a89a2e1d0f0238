"""The logs of the minutes and the reminders sent, in the group's state (`state.toml`):

    [[minutes]]                     # one per message the SMTP server accepted
    record = "2007-11-22"           # the record whose synthesis was sent
    to = "marie@example.org"
    at = 2008-01-20T09:00:00Z

    [[reminders]]
    to = "marie@example.org"
    about = "meeting 2008-01-16"    # or "due 2008-01-10 2007-11-22#3": what it reminded of
    at = 2008-01-09T07:00:00Z

Pure functions over the state dict, as `state.py`'s: a message is never sent twice for the
same record (minutes) or the same meeting or due date (reminders).
"""

from __future__ import annotations

import copy
import datetime as dt

from rencontres.core.i18n import N_, _
from rencontres.invite.state import _aware, _word, must_be

SHAPES = {  # what each key must be (`state.must_be` says it)
    "minutes": {"record": (_word, N_("a record's name")), "to": (_word, N_("an e-mail address")),
                "at": (_aware, N_("a date-time in UTC"))},
    "reminders": {"to": (_word, N_("an e-mail address")),
                  "about": (_word, N_("what it reminded of")),
                  "at": (_aware, N_("a date-time in UTC"))},
}


def problems(state: dict) -> list[tuple[tuple, str]]:
    """What is wrong with the logs of a state read back (see `state.state_problems`)."""
    out: list[tuple[tuple, str]] = []
    for name, shape in SHAPES.items():
        entries = state.get(name, [])
        if not isinstance(entries, list):
            out.append(((name,), _("'{key}' must be an array of tables").format(key=name)))
            continue
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                out.append(((name, i), _("{log} entry {n} must be a table").format(
                    log=name, n=i + 1)))
                continue
            for key, (ok, expected) in shape.items():
                if key not in entry:
                    out.append(((name, i), _("'{key}' is missing").format(key=key)))
                elif not ok(entry[key]):
                    out.append(((name, i, key), must_be(key, expected)))
    return out + published_problems(state)


_PUBLISHED = {"article": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
                          N_("an article's number")),
              "site": (_word, N_("the site's address")), "digest": (lambda v: isinstance(v, str),
                                                                    N_("a digest")),
              "sent": (lambda v: isinstance(v, str), N_("a digest")),
              "status": (lambda v: isinstance(v, str), N_("a status"))}


def published_problems(state: dict) -> list[tuple[tuple, str]]:
    """What is wrong with `[published]` (see `publish/plan.py`)."""
    table = state.get("published", {})
    if not isinstance(table, dict):
        return [(("published",), _("'{key}' must be a table").format(key="published"))]
    out: list[tuple[tuple, str]] = []
    for key, entry in table.items():
        if not isinstance(entry, dict):
            out.append((("published", key), _("published '{key}' must be a table").format(
                key=key)))
            continue
        for name, (ok, expected) in _PUBLISHED.items():
            if name not in entry:
                out.append((("published", key), _("'{key}' is missing").format(key=name)))
            elif not ok(entry[name]):
                out.append((("published", key, name), must_be(name, expected)))
    return out


def minutes_sent(state: dict, stem: str) -> set[str]:
    """The addresses (casefolded) that received record `stem`'s minutes."""
    return {e["to"].casefold() for e in state.get("minutes", []) if e["record"] == stem}


def log_minutes(state: dict, stem: str, to: str, at: dt.datetime) -> dict:
    state = copy.deepcopy(state)
    state.setdefault("minutes", []).append(
        {"record": stem, "to": to, "at": at.astimezone(dt.UTC).replace(microsecond=0)})
    return state


def reminded(state: dict) -> set[tuple[str, str]]:
    """(address casefolded, what) of every reminder sent."""
    return {(e["to"].casefold(), e["about"]) for e in state.get("reminders", [])}


def log_reminder(state: dict, to: str, about: list[str], at: dt.datetime) -> dict:
    state = copy.deepcopy(state)
    stamp = at.astimezone(dt.UTC).replace(microsecond=0)
    state.setdefault("reminders", []).extend({"to": to, "about": a, "at": stamp} for a in about)
    return state
