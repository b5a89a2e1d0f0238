"""Word accounting, the import's contract: every word of the article's body (the page
between its chrome, or the whole SPIP source) is in the record — in a value (`kept`), in a
comment that quotes it (`quoted`), or among the words the synthesis writes itself around
them (`labels`: "Participants :", "Synthèse de la rencontre du …" with the date it holds).
What is none of these is `unaccounted`, and should be nothing.

Words are counted as a multiset (a word twice in the body must be twice in the record).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field

from rencontres.importer import reader

WORD = re.compile(r"[^\W_]+")


def words(text: str) -> Counter:
    return Counter(w.casefold() for w in WORD.findall(text))


@dataclass
class Accounting:
    body: int = 0
    kept: int = 0
    quoted: int = 0
    labels: int = 0
    unaccounted: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        missing = sum(self.unaccounted.values())
        return (  # i18n: a measure the tests print (the import's contract), not the tool's voice
            f"{self.body} words in the article: {self.kept} kept, {self.quoted} quoted in "
            f"notes, {self.labels} written by the synthesis itself, {missing} unaccounted"
            + (f" ({', '.join(sorted(self.unaccounted))})" if missing else ""))


def account(text: str, records: list[str], imported: reader.Imported,
            fmt: str = "auto", links=None) -> Accounting:
    """The article's words against the records' it gave (their TOML texts: the meeting's,
    and group.toml when the import made it), values and comments; `links`: what a site's
    backup says of the articles and documents the text points to."""
    found = reader.parts(text, fmt, links=links)
    body = Counter[str]()
    for line in found.body:
        body += words(line.plain)
    values, comments = Counter[str](), Counter[str]()
    for record_text in records:
        v, c = _record_words(record_text)
        values += v
        comments += c
    labels = Counter[str]()
    for label in imported.labels:
        labels += words(label)
    out = Accounting(body=sum(body.values()))
    for word, n in body.items():
        for bag, attr in ((values, "kept"), (comments, "quoted"), (labels, "labels")):
            took = min(n, bag[word])
            n -= took
            setattr(out, attr, getattr(out, attr) + took)
        if n:
            out.unaccounted[word] = n
    return out


def _record_words(record_text: str) -> tuple[Counter, Counter]:
    values = Counter[str]()

    def walk(v) -> None:
        nonlocal values
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, (dt.date, dt.time)):
            values += words(" ".join(_date_words(v)))
        else:
            values += words(str(v))

    walk(tomllib.loads(record_text))
    comments = Counter[str]()
    for line in record_text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comments += words(stripped)
        elif "  # " in line:
            comments += words(line[line.index("  # "):])
    return values, comments


_MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]
_DAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def _date_words(v: dt.date | dt.time) -> list[str]:
    """The ways an article writes a date value: "mardi 22 novembre 2007", "22/11/2007",
    "14h00", "Tuesday 22 November 2007"."""
    out: list[str] = []
    if isinstance(v, dt.date):
        day = v.date() if isinstance(v, dt.datetime) else v
        out += [_DAYS_FR[day.weekday()], day.strftime("%A"), str(day.day), f"{day.day:02}",
                _MONTHS_FR[day.month - 1], day.strftime("%B"), str(day.year),
                f"{day.month:02}", str(day.month), "1er" if day.day == 1 else ""]
    if isinstance(v, (dt.datetime, dt.time)):
        out += [f"{v.hour}h{v.minute:02}", f"{v.hour}h", f"{v.hour}h{v.minute}" if v.minute
                else "", f"{v.hour}", f"{v.minute:02}", str(v.hour % 12 or 12)]
    return out
