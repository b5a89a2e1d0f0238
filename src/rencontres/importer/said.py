"""A note of the import, said twice: written into the record (a comment beside the value)
in English whatever the user's locale — records are compared byte for byte, between runs and
between worker processes and one —, and printed on stderr in the user's language.

`Said` is that English text (its value as a string: what every string operation, f-string
and comment sees) with the marked message and values it was made from; `shown` says it in
the user's language, where it is printed. A plain string is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from rencontres.core.i18n import _


class Said(str):
    """`Said(N_("the article says: \\"{said}\\""), said=…)`: the English text, and how to
    say it in the user's language (`shown`); a value may be a `Said` itself."""

    msgid: str
    args: dict[str, object]

    def __new__(cls, msgid: str, /, **args: object) -> Said:
        self = super().__new__(cls, msgid.format(**args))
        self.msgid, self.args = msgid, args
        return self

    def __reduce__(self):  # to and from worker processes, with what it was made from
        return (_remade, (self.msgid, self.args))

    def shown(self) -> str:
        return _(self.msgid).format(**{k: v.shown() if isinstance(v, Said) else v
                                       for k, v in self.args.items()})


class Joined(Said):
    """Parts joined by a separator (`joined`): each part shown in the user's language."""

    parts: tuple[str, ...]
    sep: str

    def __new__(cls, sep: str, parts: Iterable[str]) -> Joined:
        parts = tuple(parts)
        self = str.__new__(cls, sep.join(parts))
        self.msgid, self.args, self.sep, self.parts = "", {}, sep, parts
        return self

    def __reduce__(self):
        return (Joined, (self.sep, self.parts))

    def shown(self) -> str:
        return self.sep.join(shown(p) for p in self.parts)


def _remade(msgid: str, args: dict) -> Said:
    return Said(msgid, **args)


def joined(sep: str, parts: Iterable[str]) -> str:
    """The parts that are not empty, joined (`sep.join`), each shown in the user's language
    where it is printed."""
    return Joined(sep, (p for p in parts if p))


def shown(text: str) -> str:
    """A note in the user's language (a plain string as it is)."""
    return text.shown() if isinstance(text, Said) else text
