"""People's input read by `entry.input`, its errors worded with the flag or the question
it answered: `--date '…': not a date`, `date '…': not a date` at a prompt; and the yes/no
question in the user's language (`confirm`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

from rencontres.core.errors import BadAction, BadInput, NotADate, UsageError
from rencontres.core.i18n import N_, _

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


class Label(str):
    """A question as it is shown, in the user's language, that knows its words in English
    (`key`): a draft of `new` keeps the key, so that it resumes whatever the locale."""

    key: str

    def __new__(cls, shown: str, key: str) -> Label:
        label = super().__new__(cls, shown)
        label.key = key
        return label


def label(message: str, **values: object) -> Label:
    """The question `message` (marked with N_), its `{name}`s filled: shown translated,
    keyed in English."""
    return Label(_(message).format(**values), message.format(**values))


def key_of(question: str) -> str:
    """The words a draft keeps for a question: its English (a plain string: itself)."""
    return getattr(question, "key", question)


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
        forms = [numeric, words, day.isoformat()]
        if STYLE.day:
            return _("write it as {first}, {second} or {third} (without the year, the next such "
                     "day after the meeting)").format(first=forms[0], second=forms[1],
                                                      third=forms[2])
    elif lang == "en":  # the examples in the group's language: what `new` reads
        forms = [f"{numeric} 14:00", f"{words} 2:30 pm", f"{day.isoformat()}T14:00"]
    else:
        forms = [f"{numeric} 14h", f"{words} à 14h30", f"{day.isoformat()}T14:00"]
    return _("write it as {first}, {second} or {third}").format(first=forms[0], second=forms[1],
                                                                third=forms[2])


def worded(exc: BadInput, label: str) -> NoReturn:
    """Raise `exc` again as a UsageError that names `label` (a flag, or what was asked); a
    date's hint lists the ways to write one, in the group's style."""
    hint = exc.hint
    if isinstance(exc, NotADate):
        hint = date_forms(with_time=not exc.day_only)
    raise UsageError(_("{what} {value}: {problem}").format(
        what=label, value=repr(exc.value), problem=exc.problem), hint) from None


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
        worded(exc, _("{flag} due date").format(flag=label))


def decision(value: str, label: str = "--decision") -> str | dict:
    from rencontres.entry.input import parse_decision

    return _read(lambda: parse_decision(value), label)


def vote(value: str, label: str | None = None) -> dict:
    """A vote answered at the prompt: "u", "4 0 1", or in words."""
    from rencontres.entry.input import parse_vote

    try:
        return parse_vote(value)
    except BadInput as exc:
        raise UsageError(_("{what} {value}: {problem}").format(
            what=label or _("vote"), value=repr(exc.value), problem=exc.problem),
            _("type u (unanimous), or the votes for, against and abstentions, e.g. 4 0 1, or "
              "pour 4, contre 0, abstention 1")) from None


def review(value: str, label: str = "--review") -> tuple[str, dict]:
    from rencontres.entry.input import parse_review

    return _read(lambda: parse_review(value), label)


SUFFIX = N_(": ")  # after a question (and its default), before the answer: "Venue [Salle A]: "
YES, NO = N_("y"), N_("n")  # the letters a yes/no question shows: [Y/n], in French [O/n]
ANSWERS = {"y": True, "yes": True, "o": True, "oui": True, "n": False, "no": False,
           "non": False}


def confirm(text: str, default: bool | None = False) -> bool:
    """A yes/no question in the user's language ("[O/n]" in French, where typer's own shows
    "[Y/n]" and says "Error: invalid input" in English): y, yes, o, oui, n, no, non are
    taken whatever the language, an empty answer is the default."""
    yes, no = _(YES), _(NO)
    choices = f"{yes.upper()}/{no}" if default else f"{yes}/{no.upper()}" \
        if default is False else f"{yes}/{no}"
    while True:
        answer = typer.prompt(f"{text} [{choices}]", default="", show_default=False,
                              prompt_suffix=_(SUFFIX)).strip().lower()
        if not answer and default is not None:
            return default
        if answer in ANSWERS or answer in (yes, no):
            return ANSWERS.get(answer, answer == yes)
        typer.echo(_("answer {yes} or {no}").format(yes=yes, no=no))
