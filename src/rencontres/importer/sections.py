"""The shapes of an article's parts: its section headings ("I - …", "1 - …", "1. …", "A) …",
or intertitles alone), the wordings of its heading ("Synthèse de la rencontre du …",
"Compte rendu de la réunion du …"), a rank in words ("sixième réunion"), and the
next-meeting sentence made plain for `nextmeeting.next_meeting` (a time range, no year,
"16/01/2008", a following sentence split off).
"""

from __future__ import annotations

import re

from rencontres.core.i18n import N_
from rencontres.importer.said import Said

_STYLES = {
    "roman": r"(?P<n>[IVXLC]+)\s*(?:[-–.)]|:)",
    "digit": r"(?P<n>\d{1,2})\s*(?:[-–)]|\.(?!\d))",
    "letter": r"(?P<n>[A-H])\s*[-–)]",
}
_PATTERNS = {style: re.compile(rf"^{p}\s*(?P<title>\S.*)$") for style, p in _STYLES.items()}


def heading(p: str, style: str | None = None) -> tuple[str, str] | None:
    """(style, title) when `p` reads as a numbered heading; of `style` only, once known."""
    if len(p) >= 300 or p.endswith((".", ";", ",")):
        return None
    order = [style] if style else ["roman", "digit", "letter"]
    for s in order:
        if m := _PATTERNS[s].match(p):
            return s, m["title"].strip()
    return None


MINUTES_OF = re.compile(
    r"^(?:(?:Synthèse|Compte[- ]rendu|Relevé de décisions|Notes?)\s+de\s+la\s+"
    r"(?:rencontre|réunion|séance)\s+du|Réunion du|Rencontre du|"
    r"Minutes of the meeting of)\s+(.+?)\.?$", re.IGNORECASE)

_ORDINALS = {
    "première": 1, "premier": 1, "deuxième": 2, "seconde": 2, "second": 2, "troisième": 3,
    "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8,
    "neuvième": 9, "dixième": 10, "onzième": 11, "douzième": 12, "first": 1, "third": 3,
    "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}


def rank(text: str) -> int | None:
    """The rank a text gives ("Synthèse de la 3ème rencontre", "sixième réunion")."""
    m = re.search(r"\b(\d{1,3})\s*(?:ème|eme|e|ère|re|er|st|nd|rd|th)\s+"
                  r"(?:rencontre|réunion|meeting)", text, re.IGNORECASE)
    if m:
        return int(m[1])
    m = re.search(rf"\b({'|'.join(_ORDINALS)})\s+(?:\w+\s+)?(?:rencontre|réunion|meeting)\b",
                  text, re.IGNORECASE)
    return _ORDINALS[m[1].lower()] if m else None


_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"]
_MONTH = "|".join(_MONTHS) + r"|fevrier|aout|decembre|January|February|March|April|May|June|" \
    r"July|August|September|October|November|December"


def plain_next(rest: str, year: int | None) -> tuple[str, str, dict, list[str]]:
    """The next-meeting sentence's rest → (what `nextmeeting.next_meeting` reads, a following sentence
    to keep in the text, values it does not read (end), notes)."""
    rest = " ".join(rest.split())
    following = ""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«])", rest, maxsplit=1)
    if len(parts) == 2:
        rest, following = parts
    extra: dict = {}
    notes: list[str] = []
    if m := re.search(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\b", rest):
        month = int(m[2])
        if 1 <= month <= 12:
            word = f"{int(m[1])} {_MONTHS[month - 1]}" + (f" {m[3]}" if m[3] else "")
            rest = rest[:m.start()] + word + rest[m.end():]
    if m := re.search(r"\bde\s+(\d{1,2})\s*h\s*(\d{0,2})\s*(?:à|-)\s*(\d{1,2})\s*h\s*(\d{0,2})",
                      rest):
        import datetime as dt

        end = (int(m[3]), int(m[4] or 0))
        if end[0] < 24 and end[1] < 60:
            extra["end"] = dt.time(*end)
        rest = rest[:m.start()] + f"à {m[1]}h{m[2]}" + rest[m.end():]
    if year is not None and (m := re.search(rf"\b(\d{{1,2}}(?:er)?\s+(?:{_MONTH}))\b(?!\s+\d{{4}})",
                                            rest, re.IGNORECASE)):
        rest = rest[:m.end()] + f" {year}" + rest[m.end():]
        notes.append(Said(N_("no year in the article (\"{day}\"): the meeting's year, or the "
                             "next one if that puts it after the meeting"), day=m[1]))
    return rest, following, extra, notes


def after_label(md: str) -> str:
    return re.sub(r"^\*\*[^*]+\*\*\s*[:：]\s*", "", md)


def paragraphs(lines: list[str]) -> str:
    """Lines as Markdown: blank runs become one paragraph break; a list after a paragraph
    line stays where it is."""
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else ""


def action(text: str, lang: str) -> dict:
    """"Owner : task (pour le 16 janvier 2008)" as our synthesis writes an action."""
    m = re.match(r"^(?:(?P<owner>[^:]{1,60}?)\s*:\s+)?(?P<task>.+?)"
                 r"(?:\s*\((?:pour le|by)\s+(?P<due>[^)]+?)(?:,\s*[^)]*)?\))?$", text)
    assert m is not None  # any item's text is at least a task
    action = {"owner": (m["owner"] or "").strip(), "task": m["task"].strip()}
    from rencontres.importer.reader import _day

    if m["due"] and (due := _day(m["due"])):
        action["due"] = due
    return {k: v for k, v in action.items() if v}
