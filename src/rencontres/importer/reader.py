"""A published synthesis read back into a record: the page as copied from the browser, or the
SPIP source of its Texte. Pure text → `Imported`; nothing here reads or writes files.

Both inputs become one list of lines (`lines.py`), each with its plain text (to recognise
labels, dates, names) and its Markdown (for the free text kept verbatim). `chrome.py` sets a
page's chrome apart (the hierarchy above; the index and keywords below); one reader walks
the article in its order — title, "mis en ligne le", subtitle, "Synthèse de la rencontre du
…", participants, "Repère", the summary of the topics, the sections (`sections.py`: their
numbering; the next-meeting sentence and the objectives annex within). What the record then
holds is `plan.py`'s (`record`, `stub`).

Every judgement call (a corrected year, a guessed organisation, a skipped line) is a `Note`:
written as a comment beside the value in the record, and listed on stderr.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rencontres.core.errors import UsageError
from rencontres.core.i18n import N_, _
from rencontres.core.model import Person
from rencontres.importer import chrome, people
from rencontres.importer.lines import NBSP, Line, Links, detect, md_escape, page_lines, spip_lines
from rencontres.importer.nextmeeting import next_meeting
from rencontres.importer.said import Said
from rencontres.importer.sections import (
    MINUTES_OF,
    action,
    after_label,
    heading,
    paragraphs,
    plain_next,
    rank,
)

_LABEL = r"\s*[:：]\s*"


def _label(words: str) -> re.Pattern:
    return re.compile(rf"^(?:{words}){_LABEL}(.*)$", re.IGNORECASE)


PARTICIPANTS = _label("Participants?|Présente?s?|Present")
EXCUSED = _label("Excusée?s?|Excused")
ABSENT = _label("Absente?s?|Absent")
CONTEXT = _label("Repère|Background|Context")
NEXT = re.compile(r"^(?:Le prochain atelier de travail est fixé|La prochaine rencontre "
                  r"(?:aura lieu|est fixée)|La prochaine réunion (?:aura lieu|est fixée)|"
                  r"Prochaine (?:rencontre|réunion)\s*:|"
                  r"The next meeting will (?:take place|be held))\s+(?:au|le|à|on)?\s*(.+)$",
                  re.IGNORECASE)
NEXT_HEADING = re.compile(r"^(?:Prochaine rencontre|Next meeting)$", re.IGNORECASE)
OBJECTIVES = re.compile(r"(?:Rappel des objectifs|Reminder of the group's objectives)",
                        re.IGNORECASE)
DECISIONS = re.compile(r"^(?:Décisions?|Decisions?)$", re.IGNORECASE)
ACTIONS = re.compile(r"^(?:Actions?)$", re.IGNORECASE)
AGENDA = re.compile(r"^(?:Ordre du jour|Agenda)$", re.IGNORECASE)


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
    spip_article: int | None = None  # its number on the site (an import from a backup)
    url: str = ""  # its page on the site (a backup's)
    section_url: str = ""  # the page of its rubrique (a backup's)
    documents: list[dict] = field(default_factory=list)  # {title, url}: files on the site
    notes: list[Note] = field(default_factory=list)
    # the words the synthesis writes itself (labels, the heading with its date): `accounting`
    labels: list[str] = field(default_factory=list)

    def note(self, key: tuple, text: str) -> None:
        self.notes.append(Note(key, text))


# -- reading ------------------------------------------------------------------------------

def parts(text: str, fmt: str = "auto", site: str = "", links: Links | None = None) -> chrome.Parts:
    """The article's lines, its chrome apart (see `chrome`); `site` the site's address,
    `links` what a backup tells of its articles and documents."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "auto":
        fmt = detect(text)
    lines = spip_lines(text, site, links) if fmt == "spip" else page_lines(text)
    return chrome.split(lines, page=fmt != "spip")


def read(text: str, fmt: str = "auto", members=(), name: str | None = None,
         site: str = "", links: Links | None = None, head: Imported | None = None) -> Imported:
    """An article's text → what the record will hold, with its notes (`site`: the site's
    address, for links to its articles; `links`: what a backup says of them; `head`: what
    the backup's columns already say — title, date, subtitle…: the text completes it)."""
    if name is None:
        name = _("the file")
    if not text.strip():
        raise UsageError(_("{name}: empty").format(name=name),
                         _("give the text of a published article"))
    found = parts(text, fmt, site, links)
    out = head if head is not None else Imported()
    out.notes += [Note(("topics",), r) for ln in found.body for r in ln.notes]
    _hierarchy(out, found.head)
    _Reader(out, found.body, list(members), intro=head is not None).run()
    _tail(out, found.tail)
    if out.date is None or not (out.participants or out.topics or out.next):
        raise UsageError((_("{name}: not an article of a meeting (no date found)")
                          if out.date is None else
                          _("{name}: not an article of a meeting (no participants, sections or "
                            "next meeting)")).format(name=name),
                         _('expected "Synthèse de la rencontre du 22 novembre 2007" or a title '
                           "like 2007/11/22. …"))
    if out.number is None and not out.title:
        out.number = rank(" ".join([out.subtitle, out.context]))
    return out


def _hierarchy(out: Imported, head: list[Line]) -> None:
    for line in head:
        if m := chrome.HIERARCHY.match(line.plain):
            out.section = [s.strip() for s in
                           re.split(r"(?<=[a-zà-ÿ0-9])(?=[A-ZÀ-Ý])", m[1]) if s.strip()]
            if len(out.section) > 1 and "" not in out.section:
                out.note(("section",), Said(N_("the hierarchy line runs its names together "
                                               "(\"{line}\"): read as {names}"),
                                            line=m[1], names=" / ".join(out.section)))
            return


def _tail(out: Imported, tail: list[Line]) -> None:
    """The index of the section and the keywords, below the article."""
    block = ""
    for line in tail:
        p = chrome.ENTRY.sub("", line.plain).strip()
        if chrome.INDEX.match(p):
            block = "index"
        elif (m := chrome.KEYWORDS.match(p)) and not line.item:
            block = "keywords"
            out.keywords += [w.strip() for w in
                             re.split(r"\s+-\s*$|\s*;\s*|\s+-\s+", m[1] or "") if w.strip()]
        elif not p or chrome.FOOTER.search(p):
            continue
        elif block == "index":
            out.index.append(_listed(p))
        elif block == "keywords":
            out.keywords.append(re.sub(r"\s*-$", "", p).strip())


def _listed(p: str) -> Listed:
    m = chrome.SLASHED.match(p)
    if not m:
        return Listed(None, p, Said(N_("listed without a date: not imported")))
    day = _slashed(m)
    if day is None:
        return Listed(None, m[4].strip(), Said(N_("listed as {date}: no such date"),
                                               date=f"{m[1]}/{m[2]}/{m[3]}"))
    if len(m[3]) == 4:
        return Listed(day, m[4].strip(), Said(N_("listed as {date}: the day is unknown, the "
                                                 "month's last day stands in"),
                                              date=f"{m[1]}/{m[2]}/{m[3]}"))
    return Listed(day, m[4].strip())


class _Reader:
    def __init__(self, out: Imported, lines: list[Line], members: list[Person],
                 intro: bool = False):
        self.out, self.lines, self.members, self.i = out, lines, members, 0
        # a whole Texte (a backup's): its paragraphs before the first section are its context
        self.intro = intro
        self.style: str | None = None
        self.alone = not any(line.heading or not line.item and heading(line.plain)
                             for line in lines)

    def _heading(self, line: Line, k: int) -> str | None:
        """The title when line `k` opens a section: an intertitle, a numbered heading of the
        article's style, or (in an article without either) a short line alone."""
        if line.heading and not _is_label(line.plain):
            found = heading(line.plain.rstrip(".;,"), self.style)
            return found[1] if found else line.plain
        if line.item or not line.plain:
            return None
        if found := heading(line.plain, self.style):
            self.style = found[0]
            return found[1]
        if self.alone and self._alone(k):
            return line.plain
        return None

    def _alone(self, k: int) -> bool:
        p = self.lines[k].plain
        blank = (k == 0 or not self.lines[k - 1].plain) and \
            (k + 1 >= len(self.lines) or not self.lines[k + 1].plain)
        return blank and len(p) < 160 and p[:1].isupper() and \
            not p.endswith((".", ":", ";", ",", "?", "!")) and \
            not (_is_label(p) or NEXT.match(p) or chrome.PUBLISHED.match(p))

    # the article's parts, in order; each consumes its lines
    def run(self) -> None:
        out = self.out
        self._head()
        topic: dict | None = None
        block: str = "body"
        while self.i < len(self.lines):
            line = self.lines[self.i]
            p = line.plain
            title = self._heading(line, self.i)
            self.i += 1
            if title is not None and p.endswith(title):
                out.labels.append(p[:len(p) - len(title)])  # the numbering
            if title is not None and OBJECTIVES.search(title):
                out.labels.append(title)  # the synthesis prints the annex's own heading
                topic, block = None, "objectives"
                continue
            if line.heading and NEXT_HEADING.match(p):
                topic, block = None, "next"
                out.labels.append(p)  # the synthesis writes this heading
                continue
            if title is not None:
                topic, block = {"title": title, "body": []}, "body"
                out.topics.append(topic)
                continue
            if topic is not None and not line.item and DECISIONS.match(p):
                block = "decisions"
                out.labels.append(p)  # the synthesis writes this heading
                continue
            if topic is not None and not line.item and ACTIONS.match(p):
                block = "actions"
                out.labels.append(p)  # the synthesis writes this heading
                continue
            if block == "next" and not line.item and AGENDA.match(p):
                block = "agenda"
                out.labels.append(p)  # the synthesis writes this heading
                continue
            if (m := NEXT.match(p)) and block in ("body", "next"):
                following = self._next(m[1], p)
                if not following:
                    continue
                line = Line(following, md_escape(following))
                p = following
            if block == "objectives":
                out.objectives += line.md + "\n" if p else "\n"
            elif block in ("decisions", "actions") and line.item:
                assert topic is not None  # these blocks open only under a topic
                topic.setdefault(block, []).append(
                    p if block == "decisions" else action(p, out.language))
                if block == "actions" and topic[block][-1].get("due") and \
                        (due := re.search(r"\((pour le|by)\s", p)):
                    out.labels.append(due[1])  # the synthesis writes it before the date
            elif block == "agenda" and line.item:
                out.next.setdefault("agenda", []).append(p)
            elif topic is not None:
                if block in ("decisions", "actions") and p:
                    block = "body"
                topic["body"].append(line.md if p else "")
            elif p:
                out.note(("topics",), Said(N_("not placed (before the first section): "
                                              "\"{line}\""), line=p))
        for t in out.topics:
            t["body"] = paragraphs(t["body"])
        out.objectives = paragraphs(out.objectives.split("\n"))

    def _head(self) -> None:
        """Everything up to the first section: title, dates, subtitle, people, Repère, the
        summary of the topics."""
        out, lines = self.out, self.lines
        subtitle: list[str] = []
        after_published = False
        first = not out.title and out.date is None  # a backup's title is read already
        while self.i < len(lines):
            line = lines[self.i]
            p = line.plain
            if not p:
                self.i += 1
                continue
            if (out.participants or out.context or line.heading or not self.alone) \
                    and self._heading(line, self.i) is not None:
                return
            self.i += 1
            title = chrome.SLASHED.match(p) if first else None
            first = False
            if title:
                if (day := _slashed(title)) is not None:
                    out.date = day
                    out.labels.append(p[:p.index(title[4])])
                out.title = title[4].strip()
                out.number = rank(out.title)
            elif m := chrome.PUBLISHED.match(p):
                out.published = _day(m[1])
                out.labels.append(p)
                after_published = True
            elif m := MINUTES_OF.match(p):
                self._minutes_of(p, m[1])
                if subtitle:
                    out.subtitle = "\n".join(subtitle)
                    subtitle = []
                after_published = False
            elif m := PARTICIPANTS.match(p) or EXCUSED.match(p) or ABSENT.match(p):
                attendance = ("present" if m.re is PARTICIPANTS else
                              "excused" if m.re is EXCUSED else "absent")
                out.labels.append(p[:m.start(1)])
                self._people(m[1], attendance)
            elif m := CONTEXT.match(p):
                out.labels.append(p[:m.start(1)])
                self._context(line, m[1])
            elif line.item and heading(p.replace(" ", " - ", 1), self.style):
                out.note(("topics",), Said(N_("summary of the topics not imported (the "
                                              "synthesis makes its own): \"{line}\""), line=p))
            elif after_published and not out.participants:
                subtitle.append(p)
            elif self.intro and not line.heading:
                out.context = f"{out.context}\n\n{line.md}" if out.context else line.md
            else:
                out.note(("topics",), Said(N_("not placed (before the first section): "
                                              "\"{line}\""), line=p))
        if subtitle:
            out.note(("topics",), Said(N_("not placed: \"{lines}\""),
                                       lines=" / ".join(subtitle)))

    def _minutes_of(self, p: str, rest: str) -> None:
        out = self.out
        day = _day(rest)
        if p.startswith("Minutes"):
            out.language = "en"
        if day is None:
            out.note(("date",), Said(N_("the heading \"{heading}\" gives no date"), heading=p))
            return
        out.labels.append(p)
        if out.date is not None and out.date != day:
            out.note(("date",), Said(N_("the title says {date}, the text \"{heading}\": the "
                                        "text is taken"), date=out.date.isoformat(), heading=p))
        out.date = day

    def _context(self, line: Line, rest: str) -> None:
        lines = self.lines
        context = [md_escape(rest.strip()) if not line.md.startswith("**")
                   else after_label(line.md)]
        while self.i < len(lines) and lines[self.i].plain and not lines[self.i].item \
                and self._heading(lines[self.i], self.i) is None \
                and not _is_label(lines[self.i].plain):
            context.append(lines[self.i].md)
            self.i += 1
        text = "\n".join(c for c in context if c)
        self.out.context = f"{self.out.context}\n\n{text}" if self.out.context else text

    def _people(self, text: str, attendance: str) -> None:
        found = [(e, "") for e in people.entries(text)]
        if not text.strip():  # one per line, below the label
            while self.i < len(self.lines) and self.lines[self.i].plain and \
                    not _is_label(self.lines[self.i].plain):
                found.append((self.lines[self.i].plain, ""))
                self.i += 1
        for entry, __ in found:
            person, note = people.person(entry, self.members)
            n = len(self.out.participants)
            self.out.participants.append((person, attendance))
            if note:
                self.out.note(("participants", n), note)

    def _next(self, rest: str, sentence: str) -> str:
        """The next meeting's values; the sentence that follows it on its line, if any."""
        out = self.out
        rest, following, extra, pre = plain_next(rest, out.date.year if out.date else None)
        said = sentence[:len(sentence) - len(following)].strip() if following else sentence
        nxt, notes = next_meeting(rest, out.date)
        if nxt is None:
            out.note(("next",), Said(N_("next meeting not understood: \"{said}\""), said=said))
            return following
        out.next.update(nxt | extra)
        for note in pre + notes:
            out.note(("next", "date"), note)
        out.note(("next",), Said(N_("the article says: \"{said}\""), said=said))
        return following


def _is_label(p: str) -> bool:
    return bool(PARTICIPANTS.match(p) or EXCUSED.match(p) or ABSENT.match(p)
                or CONTEXT.match(p) or MINUTES_OF.match(p))


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
