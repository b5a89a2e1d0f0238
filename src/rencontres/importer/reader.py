"""A published synthesis read back into a record: the page as copied from the browser, or the
SPIP source of its Texte. Pure text → `Imported`; nothing here reads or writes files.

Both inputs become one list of lines (`lines.py`), each with its plain text (to recognise
labels, dates, names) and its Markdown (for the free text kept verbatim); then one reader
walks them in the article's order — hierarchy, title, "mis en ligne le", subtitle, "Synthèse
de la rencontre du …", participants, "Repère", the summary of the topics, the numbered
sections (with the next-meeting sentence and the objectives annex), the index of the
section, the keywords. What the record then holds is `plan.py`'s (`record`, `stub`).

Every judgement call (a corrected year, a guessed organisation, a skipped line) is a `Note`:
written as a comment beside the value in the record, and listed on stderr.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rencontres.core.errors import UsageError
from rencontres.core.model import Person
from rencontres.importer.dates import after_day
from rencontres.importer.lines import NBSP, Line, detect, md_escape, page_lines, spip_lines

_ROMAN = r"[IVXLC]+"
_HEADING = re.compile(rf"^({_ROMAN})\s*[-–.]\s*(.+)$")
_SLASHED = re.compile(r"(\d{4})/(\d{2})/(\d{2,4})\.\s+(.+)$")
_LABEL = r"\s*[:：]\s*"


def _label(words: str) -> re.Pattern:
    return re.compile(rf"^(?:{words}){_LABEL}(.*)$", re.IGNORECASE)


PARTICIPANTS = _label("Participants?|Présents?|Present")
EXCUSED = _label("Excusée?s?|Excused")
ABSENT = _label("Absente?s?|Absent")
CONTEXT = _label("Repère|Background|Context")
PUBLISHED = re.compile(r"^(?:mis en ligne le|published(?: on)?)\s+(.+?)\.?$", re.IGNORECASE)
MINUTES_OF = re.compile(r"^(?:Synthèse de la rencontre du|Compte-rendu de la rencontre du|"
                        r"Minutes of the meeting of)\s+(.+?)\.?$", re.IGNORECASE)
HIERARCHY = _label("Hiérarchie|Hierarchy")
NEXT = re.compile(r"^(?:Le prochain atelier de travail est fixé|La prochaine rencontre "
                  r"(?:aura lieu|est fixée)|La prochaine réunion (?:aura lieu|est fixée)|"
                  r"The next meeting will (?:take place|be held))\s+(?:au|le|à|on)?\s*(.+)$",
                  re.IGNORECASE)
NEXT_HEADING = re.compile(r"^(?:Prochaine rencontre|Next meeting)$", re.IGNORECASE)
OBJECTIVES = re.compile(r"(?:Rappel des objectifs|Reminder of the group's objectives)",
                        re.IGNORECASE)
DECISIONS = re.compile(r"^(?:Décisions?|Decisions?)$", re.IGNORECASE)
ACTIONS = re.compile(r"^(?:Actions?)$", re.IGNORECASE)
AGENDA = re.compile(r"^(?:Ordre du jour|Agenda)$", re.IGNORECASE)
INDEX = re.compile(r"^(?:Articles dans la même rubrique|In the same section)$", re.IGNORECASE)
KEYWORDS = re.compile(r"^(?:Mots clefs de l['’]article|Mots-clés|Article keywords|Keywords)"
                      r"(?:\s*:\s*(.*))?$", re.IGNORECASE)
FOOTER = re.compile(r"visiteurs par jour|Plan du site|Répondre à cet article|^Forum$|"
                    r"^spip$|^trefle$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Note:
    """A judgement call: where it applies (a key of the record, or "" for the file) and why."""

    key: tuple
    text: str


@dataclass(frozen=True, slots=True)
class Listed:
    """An entry of "Articles dans la même rubrique"."""

    day: dt.date | None
    title: str
    note: str = ""


@dataclass
class Imported:
    date: dt.date | None = None
    title: str = ""
    number: int | None = None
    published: dt.date | None = None
    subtitle: str = ""
    context: str = ""
    participants: list[tuple[Person, str]] = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    next: dict = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    objectives: str = ""
    section: list[str] = field(default_factory=list)
    index: list[Listed] = field(default_factory=list)
    language: str = "fr"
    notes: list[Note] = field(default_factory=list)

    def note(self, key: tuple, text: str) -> None:
        self.notes.append(Note(key, text))


# -- reading ------------------------------------------------------------------------------

def read(text: str, fmt: str = "auto", members=(), name: str = "the file") -> Imported:
    """An article's text → what the record will hold, with its notes."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UsageError(f"{name}: empty", "give the text of a published article")
    if fmt == "auto":
        fmt = detect(text)
    lines = spip_lines(text) if fmt == "spip" else page_lines(text)
    out = Imported()
    _Reader(out, lines, list(members)).run()
    if out.date is None or not (out.participants or out.topics or out.next):
        raise UsageError(f"{name}: not an article of a meeting (no " + (
            "date found)" if out.date is None else "participants, sections or next meeting)"),
                         'expected "Synthèse de la rencontre du 22 novembre 2007" or a title '
                         "like 2007/11/22. …")
    return out


class _Reader:
    def __init__(self, out: Imported, lines: list[Line], members: list[Person]):
        self.out, self.lines, self.members, self.i = out, lines, members, 0

    # the article's parts, in order; each consumes its lines
    def run(self) -> None:
        out = self.out
        self._head()
        topic: dict | None = None
        block: str = "body"
        while self.i < len(self.lines):
            line = self.lines[self.i]
            p = line.plain
            self.i += 1
            if INDEX.match(p):
                self._index()
                continue
            if (m := KEYWORDS.match(p)) and not line.heading:
                self._keywords(m[1])
                continue
            if FOOTER.search(p) and not line.heading:
                topic = None
                block = "skip"
                continue
            heading = _HEADING.match(p) if line.heading or not line.item else None
            if heading and (line.heading or self._looks_like_heading(p)):
                title = heading[2].strip()
                if OBJECTIVES.search(title):
                    topic, block = None, "objectives"
                else:
                    topic, block = {"title": title, "body": []}, "body"
                    out.topics.append(topic)
                continue
            if line.heading and NEXT_HEADING.match(p):
                topic, block = None, "next"
                continue
            if line.heading and OBJECTIVES.search(p):
                topic, block = None, "objectives"
                continue
            if topic is not None and not line.item and DECISIONS.match(p):
                block = "decisions"
                continue
            if topic is not None and not line.item and ACTIONS.match(p):
                block = "actions"
                continue
            if block == "next" and not line.item and AGENDA.match(p):
                block = "agenda"
                continue
            if (m := NEXT.match(p)) and block in ("body", "next", "skip"):
                self._next(m[1], p)
                continue
            if block == "skip":
                continue
            if block == "objectives":
                out.objectives += line.md + "\n" if p else "\n"
            elif block in ("decisions", "actions") and line.item:
                assert topic is not None  # these blocks open only under a topic
                topic.setdefault(block, []).append(
                    p if block == "decisions" else _action(p, out.language))
            elif block == "agenda" and line.item:
                out.next.setdefault("agenda", []).append(p)
            elif topic is not None:
                if block in ("decisions", "actions") and p:
                    block = "body"
                topic["body"].append(line.md if p else "")
            elif p:
                out.note(("topics",), f"not placed (before the first section): {p[:80]}")
        for t in out.topics:
            t["body"] = _paragraphs(t["body"])
        out.objectives = _paragraphs(out.objectives.split("\n"))

    def _looks_like_heading(self, p: str) -> bool:
        """"I - Title" alone on its line, not a sentence of the text."""
        return len(p) < 300 and not p.endswith((".", ";", ","))

    def _head(self) -> None:
        """Everything up to the first section: hierarchy, title, dates, subtitle, people,
        Repère, the summary of the topics."""
        out, lines = self.out, self.lines
        subtitle: list[str] = []
        after_published = False
        while self.i < len(lines):
            line = lines[self.i]
            p = line.plain
            if line.heading and not _is_label(p) or (_HEADING.match(p) and not line.item
                                                      and self._looks_like_heading(p)):
                return
            self.i += 1
            if not p:
                continue
            if (m := HIERARCHY.match(p)) and not out.section:
                out.section = [s.strip() for s in
                               re.split(r"(?<=[a-zà-ÿ0-9])(?=[A-ZÀ-Ý])", m[1]) if s.strip()]
                if len(out.section) > 1 and "" not in out.section:
                    out.note(("section",), f"the hierarchy line runs its names together "
                                           f"(\"{m[1]}\"): read as {' / '.join(out.section)}")
            elif (m := _SLASHED.search(p)) and not out.title and not after_published:
                day = _slashed(m)
                if day is not None and out.date is None:
                    out.date = day
                out.title = m[4].strip()
                out.number = rank(out.title)
            elif m := PUBLISHED.match(p):
                out.published = _day(m[1])
                after_published = True
            elif m := MINUTES_OF.match(p):
                day = _day(m[1])
                if p.startswith("Minutes"):
                    out.language = "en"
                if day is not None:
                    if out.date is not None and out.date != day:
                        out.note(("date",), f"the title says {out.date.isoformat()}, the text "
                                            f"\"{p}\": the text is taken")
                    out.date = day
                if subtitle:
                    out.subtitle = "\n".join(subtitle)
                    subtitle = []
                after_published = False
            elif m := PARTICIPANTS.match(p):
                self._people(m[1], "present")
            elif m := EXCUSED.match(p):
                self._people(m[1], "excused")
            elif m := ABSENT.match(p):
                self._people(m[1], "absent")
            elif m := CONTEXT.match(p):
                context = [md_escape(m[1].strip()) if not line.md.startswith("**")
                           else _after_label(line.md)]
                while self.i < len(lines) and lines[self.i].plain and not lines[self.i].item \
                        and not _HEADING.match(lines[self.i].plain):
                    context.append(lines[self.i].md)
                    self.i += 1
                out.context = "\n".join(context)
            elif line.item and re.match(rf"^({_ROMAN})\b", p):
                out.note(("topics",), f"summary of the topics not imported (the synthesis "
                                      f"makes its own): {p[:60]}")
            elif after_published and not out.participants:
                subtitle.append(p)
            elif out.participants or out.context:
                out.note(("topics",), f"not placed (before the first section): {p[:80]}")

    def _people(self, text: str, attendance: str) -> None:
        for entry in (e.strip(" " + NBSP) for e in text.split(";")):
            if not entry:
                continue
            person, note = _person(entry, self.members)
            n = len(self.out.participants)
            self.out.participants.append((person, attendance))
            if note:
                self.out.note(("participants", n), note)

    def _next(self, rest: str, sentence: str) -> None:
        out = self.out
        nxt, notes = _next_meeting(rest, out.date)
        if nxt is None:
            out.note(("next",), f"next meeting not understood: \"{sentence}\"")
            return
        out.next.update(nxt)
        for note in notes:
            out.note(("next", "date"), note)
        out.note(("next",), f"the article says: \"{sentence}\"")

    def _index(self) -> None:
        lines = self.lines
        while self.i < len(lines):
            p = re.sub(r"^(?:fleche|flèche|→|»)\s*", "", lines[self.i].plain).strip()
            if KEYWORDS.match(p) or FOOTER.search(p) or (lines[self.i].heading):
                return
            self.i += 1
            if not p:
                continue
            m = _SLASHED.match(p)
            if not m:
                self.out.index.append(Listed(None, p, "listed without a date: not imported"))
                continue
            day = _slashed(m)
            if day is None:
                self.out.index.append(Listed(None, m[4].strip(),
                                             f"listed as {m[1]}/{m[2]}/{m[3]}: no such date"))
            elif len(m[3]) == 4:
                self.out.index.append(Listed(day, m[4].strip(),
                                             f"listed as {m[1]}/{m[2]}/{m[3]}: the day is "
                                             f"unknown, the month's last day stands in"))
            else:
                self.out.index.append(Listed(day, m[4].strip()))

    def _keywords(self, inline: str | None) -> None:
        words = [w for w in re.split(r"\s+-\s*$|\s*;\s*|\s+-\s+", inline or "") if w.strip()]
        while self.i < len(self.lines):
            line = self.lines[self.i]
            p = line.plain
            if FOOTER.search(p) or line.heading:
                break
            self.i += 1
            if p:
                words.append(re.sub(r"\s*-$", "", p).strip())
        self.out.keywords += [w.strip() for w in words if w.strip()]


def _is_label(p: str) -> bool:
    return bool(PARTICIPANTS.match(p) or EXCUSED.match(p) or ABSENT.match(p)
                or CONTEXT.match(p) or MINUTES_OF.match(p))


def _after_label(md: str) -> str:
    return re.sub(r"^\*\*[^*]+\*\*\s*[:：]\s*", "", md)


def _paragraphs(lines: list[str]) -> str:
    """Lines as Markdown: blank runs become one paragraph break; a list after a paragraph
    line stays where it is."""
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else ""


def _slashed(m: re.Match) -> dt.date | None:
    import calendar

    year, month, day = int(m[1]), int(m[2]), m[3]
    try:
        if len(day) == 4:  # "2007/10/2007": the day is missing
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, month, int(day))
    except ValueError:
        return None


def _day(text: str) -> dt.date | None:
    from rencontres.core.errors import NotADate
    from rencontres.entry.input import parse_when

    try:
        when = parse_when(text.strip(" ." + NBSP))
    except NotADate:
        return None
    return when.date() if isinstance(when, dt.datetime) else when


def rank(title: str) -> int | None:
    """The rank a title gives ("Synthèse de la 3ème rencontre" → 3), if any."""
    m = re.search(r"\b(\d{1,3})\s*(?:ème|eme|e|ère|re|er|st|nd|rd|th)\s+(?:rencontre|meeting)",
                  title, re.IGNORECASE)
    return int(m[1]) if m else None


def _action(text: str, lang: str) -> dict:
    """"Owner : task (pour le 16 janvier 2008)" as our synthesis writes an action."""
    m = re.match(r"^(?:(?P<owner>[^:]{1,60}?)\s*:\s+)?(?P<task>.+?)"
                 r"(?:\s*\((?:pour le|by)\s+(?P<due>[^)]+?)(?:,\s*[^)]*)?\))?$", text)
    assert m is not None  # any item's text is at least a task
    action = {"owner": (m["owner"] or "").strip(), "task": m["task"].strip()}
    if m["due"] and (due := _day(m["due"])):
        action["due"] = due
    return {k: v for k, v in action.items() if v}


def _person(entry: str, members: list[Person]) -> tuple[Person, str]:
    """"Name / Organisation", "Name / role Organisation", "Name Organisation" (no slash)."""
    entry = " ".join(entry.replace(NBSP, " ").split())
    if "/" in entry:
        name, rest = (s.strip() for s in entry.split("/", 1))
        words = rest.split()
        lead = []
        while words[:-1] and words[0][:1].islower():
            lead.append(words.pop(0))
        return Person(name=name, organization=" ".join(words), role=" ".join(lead)), ""
    for member in members:
        if entry.casefold().startswith(member.name.casefold()):
            org = entry[len(member.name):].strip()
            return (Person(member.name, org or member.organization, member.role), (
                f"\"{entry}\": no \"/\" between name and organisation; the member "
                f"{member.name} matched" if org else ""))
    words = entry.split()
    if len(words) >= 3:
        return (Person(" ".join(words[:2]), " ".join(words[2:])),
                f"\"{entry}\": no \"/\" between name and organisation; read as "
                f"{' '.join(words[:2])} / {' '.join(words[2:])}")
    return Person(entry), ""


_PHONE = re.compile(r"\(?\s*((?:\+\d{2}\s?)?\d{2}(?:[\s.-]?\d{2}){4})\s*\)?")
_WHEN = re.compile(r"^(?P<when>(?:\w+\s+)??\d{1,2}(?:er)?\s+[^\W\d]+\.?\s+\d{4}"
                   r"(?:\s*(?:à|at|,)?\s*\d{1,2}\s*[h:]\s*\d{0,2}\s*(?:am|pm)?)?)"
                   r"\s*[,]?\s*(?P<rest>.*)$", re.IGNORECASE)


def _next_meeting(rest: str, meeting_day: dt.date | None) -> tuple[dict | None, list[str]]:
    """"16 Janvier 2007 à 14h00 dans les locaux d’Energie Alternative , 52, La Cannebière
    (05 91 33 65 77)" → date, venue, address, phone (and the notes of what was corrected)."""
    from rencontres.core.errors import NotADate
    from rencontres.entry.input import parse_when

    rest = " ".join(rest.replace(NBSP, " ").split()).rstrip(".")
    m = _WHEN.match(rest)
    if not m:
        return None, []
    try:
        when = parse_when(m["when"])
    except NotADate:
        return None, []
    notes = []
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time(14, 0))
        notes.append("no hour given: 14:00 stands in")
    out: dict = {"date": when}
    if meeting_day is not None and when.date() <= meeting_day:
        printed = m["when"].strip()
        fixed = after_day(when, meeting_day)
        notes.append(f"the article prints \"{printed}\", before the meeting itself "
                     f"({meeting_day.isoformat()}): " + (
                         "no change of year makes it a date after it: kept as written "
                         "here, the date left to be set"
                         if fixed is None else f"read as {fixed.date().isoformat()}, the "
                         "first such date after it"))
        out = {"date": fixed} if fixed else {}
    place = m["rest"]
    phone = _PHONE.search(place)
    if phone:
        out["phone"] = phone[1].strip()
        place = (place[:phone.start()] + place[phone.end():]).strip(" ,")
    place = re.sub(r"^(?:dans les locaux|chez|at|in|à|au|aux)\s+", "", place, flags=re.I)
    place = re.sub(r"^(?:d['’]|de la |de l['’]|du |des |de )", "", place, flags=re.I)
    venue, _, address = (s.strip() for s in place.partition(","))
    if venue:
        out["venue"] = venue
    if address:
        out["address"] = address
    return out, notes
