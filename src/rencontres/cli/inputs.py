"""People's input read by `entry.input`, its errors worded with the flag or the question
it answered: `--date '…': not a date`, `date '…': not a date` at a prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from rencontres.core.errors import BadAction, BadInput, NotADate, UsageError

if TYPE_CHECKING:
    import datetime as dt

    from rencontres.core.model import Person


def worded(exc: BadInput, label: str) -> NoReturn:
    """Raise `exc` again as a UsageError that names `label` (a flag, or what was asked)."""
    raise UsageError(f"{label} {exc.value!r}: {exc.problem}", exc.hint) from None


def when(value: str, label: str, *, need_time: bool = False) -> dt.date | dt.datetime:
    from rencontres.entry.input import parse_when

    try:
        return parse_when(value, need_time=need_time)
    except BadInput as exc:
        worded(exc, label)


def day(value: str, label: str) -> dt.date:
    from rencontres.entry.input import parse_day

    try:
        return parse_day(value)
    except BadInput as exc:
        worded(exc, label)


def time(value: str, label: str) -> dt.time:
    from rencontres.entry.input import parse_time

    try:
        return parse_time(value)
    except BadInput as exc:
        worded(exc, label)


def person(value: str, label: str) -> Person:
    from rencontres.entry.input import parse_participant

    try:
        return parse_participant(value)
    except BadInput as exc:
        worded(exc, label)


def action(value: str, label: str = "--action") -> dict:
    from rencontres.entry.input import parse_action

    try:
        return parse_action(value)
    except BadAction as exc:
        worded(exc, label)
    except NotADate as exc:  # its due date
        worded(exc, f"{label} due date")


def decision(value: str, label: str = "--decision") -> str | dict:
    from rencontres.entry.input import parse_decision

    try:
        return parse_decision(value)
    except BadInput as exc:
        worded(exc, label)


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

    try:
        return parse_review(value)
    except BadInput as exc:
        worded(exc, label)
