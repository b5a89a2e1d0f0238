"""Pages about a whole group: the section index and the keyword page.

"Articles dans la même rubrique" lists the group's records newest first, one
line each in the seed's style, `2007/11/22. Synthèse de la 3ème rencontre`,
with the date always written the same way (the seed's own list has a
`2007/10/2007`). A line links to the article: in SPIP by its number
(`[…->art123]`), else by its `url`.
"""

from __future__ import annotations

from collections.abc import Iterable

from rencontres import words
from rencontres.model import Meeting
from rencontres.render import LABELS, Document
from rencontres.render.text import Block, Heading, Link, List, Para, Text


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


def keywords_document(archive, group: str, lang: str, fmt: str) -> Document:
    """Each keyword, then the articles that carry it, newest first."""
    body: list[Block] = []
    for keyword, meetings in archive.keywords(group).items():
        body.append(Heading(2, (Text(keyword),)))
        body.append(_entries(archive, meetings, lang, fmt))
    title = f"{LABELS[lang]['keywords_page']}{LABELS[lang]['sep']}{archive.groups[group].name}"
    return Document(lang, (), (Text(title),), tuple(body), ())


def page_text(doc: Document, fmt: str) -> str:
    """A group page in one format: a whole page in Markdown and HTML; in SPIP, the Texte to
    paste, its title as the first intertitle."""
    from rencontres.render import write

    if fmt == "spip":
        import dataclasses

        doc = dataclasses.replace(doc, body=(Heading(2, doc.title), *doc.body))
        return write(doc, "spip", text_only=True)
    return write(doc, fmt)
