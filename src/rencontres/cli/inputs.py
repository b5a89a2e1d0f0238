"""People's input read by `entry.input`, its errors worded with the flag or the question
it answered: `--date '…': not a date`, `date '…': not a date` at a prompt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn, TypeVar

from rencontres.core.errors import BadAction, BadInput, NotADate, UsageError

if TYPE_CHECKING:
    from rencontres.core.model import Person

T = TypeVar("T")


@dataclass
class DateStyle:
    """How the dates of the hints are written: the group's language, and the day the
    examples show (the meeting's; also what a due date without its year follows)."""

    lang: str = "fr"
    day: dt.date | None = None


STYLE = DateStyle()


def day_of(when: dt.date | dt.datetime) -> dt.date:
    return when.date() if isinstance(when, dt.datetime) else when


def date_forms(*, with_time: bool = True) -> str:
    """The ways a date may be written, each with an example in the group's style:
    "write it as 24/03/2009 14h, 24 mars 2009 à 14h30 or 2009-03-24T14:00"."""
    from rencontres.core.words import MONTHS

    day = STYLE.day or dt.date.today()
    lang = STYLE.lang if STYLE.lang in MONTHS else "fr"
    words = f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"
    numeric = f"{day.day:02d}/{day.month:02d}/{day.year}"
    if not with_time:
        year = " (without the year, the next such day after the meeting)" if STYLE.day else ""
        return f"write it as {numeric}, {words} or {day.isoformat()}{year}"
    elif lang == "en":
        forms = [f"{numeric} 14:00", f"{words} 2:30 pm", f"{day.isoformat()}T14:00"]
    else:
        forms = [f"{numeric} 14h", f"{words} à 14h30", f"{day.isoformat()}T14:00"]
    return f"write it as {forms[0]}, {forms[1]} or {forms[2]}"


def worded(exc: BadInput, label: str) -> NoReturn:
    """Raise `exc` again as a UsageError that names `label` (a flag, or what was asked); a
    date's hint lists the ways to write one, in the group's style."""
    hint = exc.hint
    if isinstance(exc, NotADate):
        hint = date_forms(with_time=not exc.day_only)
    raise UsageError(f"{label} {exc.value!r}: {exc.problem}", hint) from None


def _read(parse: Callable[[], T], label: str) -> T:
    """What `parse()` reads; its BadInput worded with `label`."""
    try:
        return parse()
    except BadInput as exc:
        worded(exc, label)


def when(value: str, label: str, *, need_time: bool = False) -> dt.date | dt.datetime:
    from rencontres.entry.input import parse_when

    return _read(lambda: parse_when(value, need_time=need_time), label)


def day(value: str, label: str) -> dt.date:
    """A day (a due date: without its year, the next such day after the meeting's)."""
    from rencontres.entry.input import parse_day

    return _read(lambda: parse_day(value, STYLE.day), label)


def time(value: str, label: str) -> dt.time:
    from rencontres.entry.input import parse_time

    return _read(lambda: parse_time(value), label)


def person(value: str, label: str) -> Person:
    from rencontres.entry.input import parse_participant

    return _read(lambda: parse_participant(value), label)


def action(value: str, label: str = "--action") -> dict:
    from rencontres.entry.input import parse_action

    try:
        return parse_action(value, STYLE.day)
    except BadAction as exc:
        worded(exc, label)
    except NotADate as exc:  # its due date
        worded(exc, f"{label} due date")


def decision(value: str, label: str = "--decision") -> str | dict:
    from rencontres.entry.input import parse_decision

    return _read(lambda: parse_decision(value), label)


def vote(value: str, label: str = "vote") -> dict:
    """A vote answered at the prompt: "u", "4 0 1", or in words."""
    from rencontres.entry.input import parse_vote

    try:
        return parse_vote(value)
    except BadInput as exc:
        raise UsageError(f"{label} {exc.value!r}: {exc.problem}",
                         "type u (unanimous), or the votes for, against and abstentions, "
                         "e.g. 4 0 1, or pour 4, contre 0, abstention 1") from None


def review(value: str, label: str = "--review") -> tuple[str, dict]:
    from rencontres.entry.input import parse_review

    return _read(lambda: parse_review(value), label)
