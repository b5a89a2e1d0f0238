"""A backup's article (`backup.Article`) read as what it is: a meeting's synthesis (through the
SPIP source reader, with what the backup's columns say — title, date prefix, surtitle and
subtitle, publication date, keywords, documents, number), an announcement of the next
meeting (an invitation, or an article without a date prefix that gives the next meeting),
or neither (named in the plan, not imported). Pure: no file is read or written here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rencontres.core.errors import UsageError
from rencontres.core.i18n import N_
from rencontres.importer import backup, chrome, reader
from rencontres.importer.lines import Links, md_escape, spip_lines
from rencontres.importer.nextmeeting import next_meeting
from rencontres.importer.said import Said, joined
from rencontres.importer.sections import paragraphs, plain_next

INVITATION = re.compile(r"\s*[-–—]\s*Invitation\s*\.?\s*$", re.IGNORECASE)


@dataclass
class Announced:
    """An announcement of a meeting: `next`'s values (date, venue…, agenda, note)."""

    article: int
    title: str
    day: dt.date | None  # the meeting announced
    next: dict
    notes: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    into: str = ""  # the day of the meeting whose [next] it completed


@dataclass(frozen=True)
class Skipped:
    article: int
    title: str
    why: str


def title_parts(title: str) -> tuple[dt.date | None, str, str]:
    """"2007/11/22. Synthèse…" → its day, the title after the prefix, the prefix itself."""
    m = chrome.SLASHED.match(title)
    if not m:
        return None, title, ""
    return reader._slashed(m), m[4].strip(), title[:m.start(4)]


def _day(stamp: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(stamp[:10])
    except ValueError:  # SPIP's "0000-00-00 00:00:00": not set
        return None
    return day if day.year > 1 else None


def read_article(a: backup.Article, site: backup.Backup | backup.SiteInfo, links: Links, members=(),
                 name: str = "") -> reader.Imported | Announced | Skipped:
    shown = backup.shown(a.titre, a.lang or site.lang)
    day, title, prefix = title_parts(shown)
    text = "\n\n".join(t for t in (a.chapo, a.texte) if t.strip())
    if INVITATION.search(title):
        return announcement(a.id, INVITATION.sub("", title), day, text, site.address, links)
    if not text.strip():
        return Skipped(a.id, shown, Said(N_("no text")))
    if day is None and _announces(text, site.address, links):
        return announcement(a.id, title, None, text, site.address, links)
    head = reader.Imported(date=day, title=title, number=reader.rank(title) if title else None,
                           spip_article=a.id, keywords=list(a.keywords),
                           section=site.path_of(a.rubrique))
    if prefix:
        head.labels.append(prefix)  # the index writes the date back in front of the title
    if a.statut == backup.PUBLISHED:
        head.published = _day(a.date)
    head.subtitle = "\n".join(s for s in (backup.shown(a.surtitre, a.lang or site.lang),
                                          backup.shown(a.soustitre, a.lang or site.lang)) if s)
    head.documents = [{"title": d.title, "url": d.url} for d in a.documents]
    head.url = links.articles.get(a.id, ("", ""))[0]
    try:
        imp = reader.read(text, "spip", members, name=name or f"article {a.id}",
                          site=site.address, links=links, head=head)
    except UsageError as exc:
        return Skipped(a.id, shown, exc.message.split(": ", 1)[-1])
    if a.ps.strip():
        imp.note(("header",), Said(N_("the article's PS, not a part of the record: \"{ps}\""),
                                   ps=" ".join(a.ps.split())))
    return imp


def _announces(text: str, site: str, links: Links) -> bool:
    """An article without a synthesis's parts that gives the next meeting."""
    lines = spip_lines(text, site, links)
    return any(reader.NEXT.match(ln.plain) for ln in lines) and not any(
        reader.PARTICIPANTS.match(ln.plain) or reader.MINUTES_OF.match(ln.plain) for ln in lines)


def announcement(aid: int, title: str, day: dt.date | None, text: str, site: str,
                 links: Links) -> Announced:
    """The meeting an article announces: the date its sentence gives (else its title's), its
    venue, the list items as the agenda, every other paragraph as `[next]`'s note."""
    out = Announced(aid, title, day, {})
    kept: list[str] = []
    for line in spip_lines(text, site, links):
        p = line.plain
        m = reader.NEXT.match(p)
        if m and "date" not in out.next:
            rest, following, extra, pre = plain_next(m[1], day.year if day else None)
            found, notes = next_meeting(rest, None)
            if found:
                out.next.update(found | extra)
                said = p[:len(p) - len(following)].strip() if following else p
                out.notes += pre + notes + [Said(N_("the article says: \"{said}\""), said=said)]
                if following:
                    kept.append(md_escape(following))
                continue
        if line.item:
            out.next.setdefault("agenda", []).append(p)
        elif reader.AGENDA.match(p):
            out.labels.append(p)  # the synthesis writes this heading
        else:
            kept.append(line.md if p else "")
    note = paragraphs(kept)
    if note:
        out.next["note"] = note
    when = out.next.get("date")
    if isinstance(when, dt.datetime):
        if day is not None and when.date() != day:
            out.notes.append(Said(N_("the title says {date}, the text {day}: the text is taken"),
                                  date=day.isoformat(), day=when.date().isoformat()))
        out.day = when.date()
    elif day is not None:
        out.next["date"] = dt.datetime.combine(day, dt.time(14, 0))
        out.notes.append(Said(N_("no hour given: 14:00 stands in")))
    return out


def complete(meetings: list[reader.Imported], ann: Announced, source: str) -> bool:
    """Complete the `[next]` of the last meeting before the one `ann` announces (the same
    date, or none yet): its agenda, venue, note. False when no meeting of the batch precedes
    it, or the one that does announces another date."""
    if ann.day is None:
        return False
    before = [m for m in meetings if m.date is not None and m.date < ann.day]
    if not before:
        return False
    m = max(before, key=lambda x: x.date or dt.date.min)
    when = m.next.get("date")
    if isinstance(when, dt.datetime) and when.date() != ann.day:
        return False
    said = Said(N_("{source} (\"{title}\")"), source=source, title=ann.title)
    for key, value in ann.next.items():
        if key == "note" and m.next.get("note"):
            m.next["note"] = m.next["note"].rstrip("\n") + "\n\n" + value
        elif key not in m.next or not m.next[key]:
            m.next[key] = value
    m.note(("next",), Said(N_("completed from {source}"), source=said))
    for text in ann.notes:
        m.note(("next",), Said(N_("{source}: {note}"), source=said, note=text))
    m.labels += ann.labels
    ann.into = m.date.isoformat() if m.date else ""
    return True


def listed(ann: Announced) -> reader.Listed:
    """A stub for an announced meeting no synthesis of the batch precedes: its date and the
    article's title, what the announcement says quoted in the stub's note."""
    said = joined("; ", [*ann.notes, Said(N_("agenda: {items}"),
                                          items="; ".join(ann.next["agenda"]))
                         if ann.next.get("agenda") else "",
                         Said(N_("note: \"{note}\""), note=" ".join(ann.next["note"].split()))
                         if ann.next.get("note") else ""])
    when = ann.next.get("date")
    if ann.day is None:
        return reader.Listed(None, ann.title, Said(
            N_("announced by article {number} (\"{title}\"): no date found, not imported; "
               "{said}"), number=ann.article, title=ann.title, said=said))
    what = Said(N_("announced by article {number} (\"{title}\")"), number=ann.article,
                title=ann.title)
    venue = ", ".join(ann.next[k] for k in ("venue", "address") if ann.next.get(k))
    at = when.strftime("%H:%M") if isinstance(when, dt.datetime) else ""
    return reader.Listed(ann.day, ann.title, joined("; ", [
        what, Said(N_("at {time}"), time=at) if at else "", venue, said]))
