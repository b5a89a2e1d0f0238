"""Pages about a whole group: the section index, the keyword page, the next meeting's
agenda and the register of decisions.

"Articles dans la même rubrique" lists the group's records newest first, one
line each in the seed's style, `2007/11/22. Synthèse de la 3ème rencontre`,
with the date always written the same way (the seed's own list has a
`2007/10/2007`). A line links to the article: in SPIP by its number
(`[…->art123]`), else by its `url`.
"""

from __future__ import annotations

from collections.abc import Iterable

from rencontres.core import words
from rencontres.core.model import Meeting
from rencontres.core.values import replace
from rencontres.render.labels import LABELS
from rencontres.render.synthesis import Document, action_text, decision_text, next_sentence
from rencontres.render.text import Block, Heading, Link, List, Para, Text, plain


def entry(archive, m: Meeting, lang: str, fmt: str) -> Para:
    """One line of the index, linked where the record says where it is published."""
    text = f"{words.date_slashed(m.day)}. {archive.title(m, lang)}"
    target = f"art{m.spip_article}" if fmt == "spip" and m.spip_article else m.url
    run = (Text(text),)
    return Para((Link(target, run),) if target else run)


def _entries(archive, meetings: Iterable[Meeting], lang: str, fmt: str) -> List:
    return List(tuple((entry(archive, m, lang, fmt),) for m in meetings))


def index_meetings(archive, group: str, exclude: Meeting | None = None,
                   limit: int | None = None) -> list[Meeting]:
    chosen = [m for m in archive.newest_first(group)
              if exclude is None or m.stem != exclude.stem]
    return chosen if limit is None else chosen[:limit]


def index_blocks(archive, group: str, lang: str, fmt: str, exclude: Meeting | None = None,
                 limit: int | None = None) -> tuple[Block, ...]:
    """The index as a section to append to a synthesis (`render --with-index`)."""
    meetings = index_meetings(archive, group, exclude, limit)
    if not meetings:
        return ()
    heading = Heading(2, (Text(LABELS[lang]["index"]),))
    return (heading, _entries(archive, meetings, lang, fmt))


def index_document(archive, group: str, lang: str, fmt: str, exclude: Meeting | None = None,
                   limit: int | None = None) -> Document:
    meetings = index_meetings(archive, group, exclude, limit)
    body = (_entries(archive, meetings, lang, fmt),) if meetings else ()
    return Document(lang, (), (Text(LABELS[lang]["index"]),), body, ())


def site_map_document(archive, lang: str, fmt: str, limit: int | None = None) -> Document:
    """Every group (SPIP: every section) under its name, its articles newest first: the
    index of a whole archive, as SPIP's own "Plan du site" lists the sections."""
    body: list[Block] = []
    for slug in sorted(archive.groups):
        meetings = index_meetings(archive, slug, limit=limit)
        body.append(Heading(2, (Text(archive.groups[slug].name),)))
        if meetings:
            body.append(_entries(archive, meetings, lang, fmt))
    return Document(lang, (), (Text(LABELS[lang]["site_map"]),), tuple(body), ())


def keywords_document(archive, group: str, lang: str, fmt: str) -> Document:
    """Each keyword, then the articles that carry it, newest first."""
    body: list[Block] = []
    for keyword, meetings in archive.keywords(group).items():
        body.append(Heading(2, (Text(keyword),)))
        body.append(_entries(archive, meetings, lang, fmt))
    title = f"{LABELS[lang]['keywords_page']}{LABELS[lang]['sep']}{archive.groups[group].name}"
    return Document(lang, (), (Text(title),), tuple(body), ())


def _review_text(t, lang: str) -> str:
    """An open action under its owner: the task, its due date, the meeting it dates from."""
    action = replace(t.action, owner="")
    decided = LABELS[lang]["decided_on"].format(date=words.date_long(t.origin.day, lang))
    return f"{action_text(action, lang)} — {decided}"


def agenda_items(agenda, lang: str) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """The agenda as (item, [(owner, [actions])]): the shape both the page and the
    invitation's text are written from."""
    labels = LABELS[lang]
    items: list[tuple[str, list]] = []
    if agenda.approve:
        items.append((labels["approve"].format(date=words.date_long(agenda.approve, lang)), []))
    items += [(item, []) for item in agenda.items]
    if agenda.actions:
        items.append((labels["review"], [(owner or labels["no_owner"],
                                          [_review_text(t, lang) for t in actions])
                                         for owner, actions in agenda.actions]))
    return items


def agenda_lines(agenda, lang: str) -> list[str]:
    """The agenda as plain text lines ("- item", "  - owner", "    - action"), for the
    invitation's DESCRIPTION and the mail's text."""
    lines = []
    for item, owners in agenda_items(agenda, lang):
        lines.append(f"- {item}")
        for owner, actions in owners:
            lines.append(f"  - {owner}")
            lines += [f"    - {a}" for a in actions]
    return lines


def agenda_document(agenda, group, lang: str) -> Document:
    """"Ordre du jour de la 4ème rencontre": when and where, then the numbered items."""
    labels = LABELS[lang]
    label = words.meeting_label(agenda.number, lang, group.ordinals)
    body: list[Block] = [Para(plain(next_sentence(agenda.next, lang)))]
    entries = []
    for item, owners in agenda_items(agenda, lang):
        blocks: list[Block] = [Para(plain(item))]
        if owners:
            blocks.append(List(tuple(
                (Para(plain(owner)), List(tuple((Para(plain(a)),) for a in actions)))
                for owner, actions in owners)))
        entries.append(tuple(blocks))
    if entries:
        body.append(List(tuple(entries), ordered=True))
    title = labels["agenda_of"].format(label=label)
    return Document(lang, plain(group.name), plain(title), tuple(body), ())


def register_document(entries, group, lang: str) -> Document:
    """The register of decisions, oldest first: a section per meeting, a heading per topic,
    each decision with its vote in words."""
    labels = LABELS[lang]
    body: list[Block] = []
    meeting = topic = None
    for e in entries:
        if e.meeting is not meeting:
            meeting, topic = e.meeting, None
            body.append(Heading(2, plain(labels["register_of"].format(
                date=words.date_long(e.meeting.day, lang)))))
        if e.topic != topic:
            topic = e.topic
            body += [Heading(3, plain(topic)), List(())]
        last = body[-1]
        assert isinstance(last, List)  # the topic's list, just opened
        body[-1] = List((*last.items, (Para(plain(decision_text(e.decision, lang))),)))
    title = f"{labels['register']}{labels['sep']}{group.name}"
    return Document(lang, (), plain(title), tuple(body), ())


def page_text(doc: Document, fmt: str) -> str:
    """A group page in one format: a whole page in Markdown and HTML; in SPIP, the Texte to
    paste, its title as the first intertitle."""
    from rencontres.render.synthesis import write

    if fmt == "spip":
        doc = replace(doc, body=(Heading(2, doc.title), *doc.body))
        return write(doc, "spip", text_only=True)
    return write(doc, fmt)
