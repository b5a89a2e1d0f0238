"""People's input for a record: dates as they write them, people, actions."""

from __future__ import annotations

import datetime as dt
import re

from rencontres.core.errors import (
    BadAction,
    BadDecision,
    BadPerson,
    BadReview,
    BadVote,
    MissingHour,
    NotADate,
    NotATime,
)
from rencontres.core.i18n import _
from rencontres.core.model import Person
from rencontres.core.text import EMAIL as EMAIL_RE

_PARTICIPANT_RE = re.compile(r"^\s*(?P<name>[^/<>]+?)\s*(?:/\s*(?P<org>[^<>]*?)\s*)?"
                             r"(?:<(?P<email>[^<>]*)>)?\s*$")


def parse_participant(spec: str) -> Person:
    """"Name / Organisation <email>" (organisation and e-mail optional) → Person;
    BadPerson without a name or with a bad e-mail address."""
    m = _PARTICIPANT_RE.match(spec)
    if not m or not m["name"].strip():
        raise BadPerson(spec)
    email = (m["email"] or "").strip()
    if email and not EMAIL_RE.match(email):
        raise BadPerson(spec, email)
    return Person(name=m["name"].strip(), organization=(m["org"] or "").strip(), email=email)


_TIME = r"(?P<h>\d{1,2})\s*(?:[h:]\s*(?P<m>\d{2})?)?"
_NUMERIC = re.compile(rf"^(?P<d>\d{{1,2}})/(?P<mo>\d{{1,2}})/(?P<y>\d{{4}})"
                      rf"(?:[\sT,]+(?:à\s*|at\s*)?{_TIME})?$", re.IGNORECASE)
_WORDS = re.compile(rf"^(?:\w+\s+)??(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<mo>[^\W\d]+)\.?\s+"
                    rf"(?P<y>\d{{4}})(?:[\s,]+(?:à\s*|at\s*)?{_TIME}\s*(?P<ampm>am|pm)?)?$",
                    re.IGNORECASE)


def _month(name: str) -> int | None:
    from rencontres.core.words import MONTHS, sort_key

    key = sort_key(name)
    for months in MONTHS.values():
        for i, month in enumerate(months, start=1):
            full = sort_key(month)
            if key == full or (len(key) >= 3 and full.startswith(key)):
                return i
    return None


class _NoSuchDay(ValueError):
    """Numbers that make no date or time; its text says why."""


def _why(year: int | None, month: int, day: int, hour: int | None = None,
         minute: int | None = None) -> str:
    """Why these numbers make no date or time, in people's words ("" when they do)."""
    from rencontres.core.words import no_such_date

    return no_such_date(year, month, day, hour, minute)


def _loose(text: str) -> dt.date | dt.datetime | None:
    """"16/01/2008", "16/01/2008 14h", "12 mai 2009 14h", "mercredi 16 janvier 2008 à 14h00",
    "16 January 2008 2:30 pm": the ways people write a date, day first. ValueError with why,
    in people's words, for numbers that make no date ("31/02/2009")."""
    m = _NUMERIC.match(text) or _WORDS.match(text)
    if not m:
        return None
    month = int(m["mo"]) if m["mo"].isdigit() else _month(m["mo"])
    if month is None:
        return None
    hour = None if m["h"] is None else int(m["h"])
    if hour is not None and m.groupdict().get("ampm"):
        hour = hour % 12 + (12 if m["ampm"].lower() == "pm" else 0)
    why = _why(int(m["y"]), month, int(m["d"]), hour, None if m["m"] is None else int(m["m"]))
    if why:
        raise _NoSuchDay(why)
    day = dt.date(int(m["y"]), month, int(m["d"]))
    if hour is None:
        return day
    return dt.datetime.combine(day, dt.time(hour, int(m["m"] or 0)))


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:T(\d{1,2}):(\d{1,2}))?")


def parse_when(value: str, *, need_time: bool = False) -> dt.date | dt.datetime:
    """A date, or a local date-time: YYYY-MM-DD[THH:MM] (a space works too), or as people
    write one, day first ("16/01/2008 14h", "12 mai 2009 à 14h30"). NotADate (with the
    reason when the numbers make no date: "February 2009 has no 31st"), or MissingHour when
    `need_time` and only a day is given."""
    text = " ".join(value.split())
    try:
        if not text:
            raise ValueError
        when = _loose(text)
        if when is None:
            iso = text.replace(" ", "T")
            m = _ISO.match(iso)
            if m and (why := _why(int(m[1]), int(m[2]), int(m[3]),
                                  *(int(g) if g else None for g in m.groups()[3:]))):
                raise _NoSuchDay(why)
            when = dt.datetime.fromisoformat(iso) if "T" in iso else dt.date.fromisoformat(iso)
            if isinstance(when, dt.datetime) and when.tzinfo is not None:
                raise ValueError
    except ValueError as exc:
        reason = str(exc) if isinstance(exc, _NoSuchDay) else ""
        raise NotADate(value, need_time=need_time, reason=reason) from None
    if need_time and not isinstance(when, dt.datetime):
        raise MissingHour(value)
    if isinstance(when, dt.datetime):
        when = when.replace(microsecond=0)
    return when


_NO_YEAR = re.compile(r"^(?:[^\W\d]+\s+)?(?P<d>\d{1,2})(?:er|st|nd|rd|th)?(?:\s+(?P<mo>[^\W\d]+)\.?"
                      r"|/(?P<num>\d{1,2}))$", re.IGNORECASE)


def parse_day(value: str, after: dt.date | None = None) -> dt.date:
    """A day, written as `parse_when` reads dates (an hour given is left out). With `after`
    (the meeting's day), a day without its year ("15 avril", "15/04") is the first such day
    after it. NotADate, for a day only (`day_only`)."""
    text = " ".join(value.split())
    m = _NO_YEAR.match(text) if after is not None else None
    if m and after is not None:
        month = int(m["num"]) if m["num"] else _month(m["mo"])
        if month is not None:
            if why := _why(None, month, int(m["d"])):
                raise NotADate(value, day_only=True, reason=why)
            for year in range(after.year, after.year + 9):  # a 29 February: the next leap year
                try:
                    day = dt.date(year, month, int(m["d"]))
                except ValueError:
                    continue
                if day > after:
                    return day
    try:
        when = parse_when(value)
    except NotADate as exc:
        raise NotADate(value, day_only=True, reason=exc.reason) from None
    return when.date() if isinstance(when, dt.datetime) else when


def parse_time(value: str) -> dt.time:
    """"16:00", "16h", "16h30" → a local time (NotATime)."""
    m = re.fullmatch(_TIME, value.strip())
    try:
        if not m:
            raise ValueError
        return dt.time(int(m["h"]), int(m["m"] or 0))
    except ValueError:
        raise NotATime(value) from None


_ACTION_RE = re.compile(r"^(?:(?P<owner>[^:]+?)\s*:\s*)?(?P<task>.*?)"
                        r"(?:\s*\[(?P<due>[^\[\]]+)\])?\s*$")


def parse_action(spec: str, after: dt.date | None = None) -> dict:
    """"Owner : task [YYYY-MM-DD]" (owner and due date optional) → an action's table.
    BadAction without a task; NotADate (of the due date alone) for a bad due date. `after`:
    the meeting's day, for a due date without its year."""
    m = _ACTION_RE.match(spec)
    if not m or not m["task"].strip():
        raise BadAction(spec)
    action = {"owner": (m["owner"] or "").strip(), "task": m["task"].strip()}
    if m["due"]:
        action["due"] = parse_day(m["due"], after)
    return {k: v for k, v in action.items() if v}




# -- decisions and their votes -------------------------------------------------------------

# The words of a vote, French and English, compared without case or accents.
_COUNTS = {  # i18n: the words people type in a vote, read in both languages whatever the locale
    "for": ("pour", "for", "voix pour", "votes for", "vote for"),
    "against": ("contre", "against"),
    "abstain": ("abstention", "abstentions", "abstain", "abstains", "abstained",
                "abstaining"),
}
_UNANIMOUS = ("u", "unanimous", "unanimously", "unanimite", "a l'unanimite", "a l’unanimite",
              "unanime", "unanimity")
_WORD = {w: key for key, words in _COUNTS.items() for w in words}
_PART = re.compile(r"^(?:(?P<word>[^\W\d][\w’' ]*?)(?:\s*:\s*|\s+)(?P<n>\S+)|(?P<n2>\d\S*)\s+"
                   r"(?P<word2>[^\W\d][\w’' ]*))$")
_DECISION_RE = re.compile(r"^(?P<text>.*?)\s*\[(?P<vote>[^\[\]]*)\]\s*$", re.DOTALL)


def _count(number: str, value: str) -> int:
    from rencontres.records.schema import MAX_NUMBER

    if not number.isdigit() or not number.isascii():
        raise BadVote(value, _("{number!r} is not a number of votes").format(number=number))
    if int(number) > MAX_NUMBER:
        raise BadVote(value, _("{number} votes: more than anyone counts").format(number=number))
    return int(number)


def parse_vote(text: str, value: str | None = None) -> dict:
    """A vote as people write it → the keys of a decision's table (`for`, `against`,
    `abstain`, or `unanimous`): "pour 4, contre 0, abstention 1", "for 4, against 0,
    abstain 1", "4 pour, 1 contre", "unanimité", "unanimous", "u", or the counts alone in
    that order, "4 0 1". BadVote (carrying `value`, the whole of what was written) names
    the part that does not read."""
    from rencontres.core.words import sort_key

    value = text if value is None else value
    spoken = " ".join(sort_key(text).split()).strip(" .")
    if not spoken:
        raise BadVote(value, _("an empty vote"))
    if spoken in _UNANIMOUS:
        return {"unanimous": True}
    numbers = spoken.replace(",", " ").replace(";", " ").split()
    if all(n.isdigit() for n in numbers):
        if len(numbers) > 3:
            raise BadVote(value, _("{count} numbers: a vote has three at most "
                                   "(for, against, abstentions)").format(count=len(numbers)))
        return {k: _count(n, value) for k, n in zip(("for", "against", "abstain"), numbers,
                                                      strict=False)}
    out: dict = {}
    for part in re.split(r"\s*[,;]\s*|\s+(?:et|and)\s+", spoken):
        if part in _UNANIMOUS:
            raise BadVote(value, _("unanimous goes alone, without counts"))
        m = _PART.match(part)
        word = (m["word"] or m["word2"] or "").strip() if m else ""
        if m is None and part in _WORD:
            raise BadVote(value, _("{word!r} without its number of votes").format(word=part))
        if word not in _WORD:
            shown = word or part
            raise BadVote(value, _("{word!r} is not a word of a vote").format(word=shown)
                          if shown else _("a part of the vote is empty"))
        key = _WORD[word]
        if key in out:
            raise BadVote(value, _("{word!r} is given twice").format(word=word))
        out[key] = _count(m["n"] or m["n2"], value)  # type: ignore[index]
    return out


def parse_decision(spec: str) -> str | dict:
    """"Adopter le budget [pour 4, contre 0, abstention 1]" → the decision's table;
    without a bracket, the decision's text alone (no vote). BadDecision without a text;
    BadVote for a vote that does not read."""
    m = _DECISION_RE.match(spec)
    if m is None:
        if not spec.strip():
            raise BadDecision(spec)
        return spec.strip()
    text = m["text"].strip()
    if not text:
        raise BadDecision(spec)
    return {"text": text, **parse_vote(m["vote"], spec)}


# -- an open action reviewed ------------------------------------------------------------------

_REVIEW_RE = re.compile(r"^\s*(?P<ref>\S+?)\s*:\s*(?P<status>[^\W\d]+)\s*"
                        r"(?:\[(?P<due>[^\[\]]+)\])?\s*(?P<note>.*?)\s*$", re.DOTALL)
_STATUS = {"open": {}, "ouverte": {}, "ouvert": {},
           "done": {"done": True}, "fait": {"done": True}, "faite": {"done": True},
           "dropped": {"dropped": True}, "abandonne": {"dropped": True},
           "abandonnee": {"dropped": True}}


def parse_review(spec: str) -> tuple[str, dict]:
    """"2009-02-17#1 : open [2009-04-30] maquette à moitié faite" → the action's reference
    ("2009-02-17#1": that record's 1st action) and what the review changes: `done` or
    `dropped`, or for one kept open a new `due` date and a progress `note`. French words
    too (ouverte, fait, abandonnée). BadReview, or NotADate for the due date."""
    from rencontres.core.words import sort_key
    from rencontres.records.parse import ACTION_REF_RE

    m = _REVIEW_RE.match(spec)
    if m is None:
        raise BadReview(spec)
    if not ACTION_REF_RE.match(m["ref"]):
        raise BadReview(spec, _("{ref!r} names no action (write YYYY-MM-DD#N: the record's "
                                "date and the action's number in it)").format(ref=m["ref"]))
    status = sort_key(m["status"])
    if status not in _STATUS:
        raise BadReview(spec, _("{status!r} is not open, done or dropped")
                        .format(status=m["status"]))
    out: dict = dict(_STATUS[status])
    if m["due"]:
        if out:
            raise BadReview(spec, _("a new due date is for an action kept open"))
        out["due"] = parse_day(m["due"])
    if m["note"]:
        out["note"] = " ".join(m["note"].split())
    return m["ref"], out
