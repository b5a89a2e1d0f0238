"""A meeting's synthesis, built once as a document tree, written as Markdown, SPIP or HTML.

`build(ctx)` lays the synthesis out in the order of the published article
(see the seed): subtitle and title, the date line, participants, "Repère",
the summary of the topics, each topic as a Roman-numbered section with its
decisions and actions, the next meeting, the objectives annex, the keywords.
The writers (`markdown.py`, `spip.py`, `html.py`) only decide how each node
is spelled. Everything here is a pure function of the model: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt

from rencontres.core import words
from rencontres.core.model import Group, Meeting, NextMeeting, Person, transcribed
from rencontres.core.values import frozen, replace
from rencontres.render.labels import LABELS
from rencontres.render.text import (
    Block,
    Emph,
    Heading,
    Inline,
    Link,
    List,
    Para,
    Strong,
    Text,
    parse,
    plain,
    plain_text,
)

FORMATS = ("markdown", "spip", "html")

_VOWELS = set("aeiouyhàâäéèêëîïôöùûüœæAEIOUYHÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")


@frozen
class Context:
    """What a synthesis is made of: the meeting, its group, its rank, the language."""

    meeting: Meeting
    group: Group
    number: int | None = None  # rank among the group's meetings (archive.py derives it)
    lang: str = ""  # default: the group's language

    @property
    def language(self) -> str:
        return self.lang or self.group.language

    @property
    def title(self) -> str:
        """The record's title, else the derived one ("Synthèse de la 3ème rencontre")."""
        return self.meeting.title or words.meeting_title(
            self.number, self.language, self.group.ordinals
        )


@frozen
class Document:
    lang: str
    surtitle: tuple[Inline, ...]  # above the title (the record's subtitle)
    title: tuple[Inline, ...]
    body: tuple[Block, ...]  # what goes in SPIP's Texte
    keywords: tuple[str, ...]

    @property
    def title_text(self) -> str:
        return plain_text(self.title)

    def keywords_para(self) -> Para | None:
        if not self.keywords:
            return None
        labels = LABELS[self.lang]
        return _labelled(labels["keywords"], labels["list_sep"].join(self.keywords), self.lang)

    def page(self) -> tuple[Block, ...]:
        """The whole article as blocks, for the formats that are one page (Markdown, HTML)."""
        head: list[Block] = [Para(self.surtitle)] if self.surtitle else []
        head.append(Heading(1, self.title))
        tail = [b for b in (self.keywords_para(),) if b]
        return (*head, *self.body, *tail)


def render(ctx: Context, fmt: str = "markdown", text_only: bool = False,
           appendix: tuple[Block, ...] = ()) -> str:
    """The synthesis in one format, as text ending with a newline.

    `appendix` is added at the end of the Texte (the section index, say)."""
    doc = build(ctx)
    if appendix:
        doc = replace(doc, body=(*doc.body, *appendix))
    return write(doc, fmt, text_only)


def write(doc: Document, fmt: str = "markdown", text_only: bool = False) -> str:
    """A document in one format: markdown, spip (`text_only`: the Texte alone) or html."""
    if fmt == "markdown":
        from rencontres.render import markdown

        return markdown.write(doc)
    if fmt == "spip":
        from rencontres.render import spip

        return spip.write(doc, text_only=text_only)
    if fmt == "html":
        from rencontres.render import html

        return html.write(doc)
    raise ValueError(f"unknown format {fmt!r}")  # i18n: a bug's (cli/ checks the format)


# -- the synthesis, in the seed's order ------------------------------------------


def build(ctx: Context) -> Document:
    m, g, lang = ctx.meeting, ctx.group, ctx.language
    labels = LABELS[lang]
    article = m.kind != "meeting"
    heading = (words.date_long(m.day, lang, weekday=True) if article
               else labels["minutes_of"].format(date=words.date_long(m.day, lang)))
    body: list[Block] = [Para((Strong((Text(heading),)),))]
    if not transcribed(m):
        # a stub known from the section index: what it is, and no more
        body.append(Para((Emph((Text(labels["stub"]),)),)))
        keywords = tuple(dict.fromkeys(k.strip() for k in (*g.keywords, *m.keywords)
                                       if k.strip()))
        return Document(lang, plain(m.subtitle), plain(ctx.title), tuple(body), keywords)

    for attendance, key in (("present", "participants"), ("excused", "excused"),
                            ("absent", "absent")):
        people = [person_text(p.person) for p in m.attending(attendance)]
        if people:
            body.append(_labelled(labels[key], labels["list_sep"].join(people), lang))

    if m.context.strip():
        body.extend(_labelled_blocks(labels["context"], parse(m.context, shift=2), lang))

    topics = m.topics
    if topics:
        body.append(_bullets(f"{words.roman(n)} - {t.title}" for n, t in enumerate(topics, 1)))
    for n, topic in enumerate(topics, 1):
        body.append(Heading(2, plain(f"{words.roman(n)} - {topic.title}")))
        body.extend(parse(topic.body, shift=2))
        if topic.decisions:
            body.append(Heading(3, (Text(labels["decisions"]),)))
            body.append(_bullets(decision_text(d, lang) for d in topic.decisions))
        if topic.actions:
            body.append(Heading(3, (Text(labels["actions"]),)))
            body.append(_bullets(action_text(a, lang) for a in topic.actions))

    if m.next is not None:
        body.append(Heading(2, (Text(labels["next"]),)))
        body.append(Para(plain(next_sentence(m.next, lang))))
        body.extend(parse(m.next.note, shift=2))
        if m.next.agenda:
            body.append(Heading(3, (Text(labels["agenda"]),)))
            body.append(_bullets(m.next.agenda))

    if m.documents:  # the files of its article on the site
        body.append(Heading(2, (Text(labels["documents"]),)))
        body.append(List(tuple((Para((Link(d.url, (Text(d.title),)),)),)
                               for d in m.documents)))

    objectives = m.objectives if m.objectives.strip() else g.objectives
    if objectives.strip() and not article:
        n = len(topics) + 1
        annex = f"{words.roman(n)} - {labels['annex']}{labels['sep']}{labels['objectives']}"
        body.append(Heading(2, (Text(annex),)))
        body.extend(parse(objectives, shift=2))

    keywords = tuple(dict.fromkeys(k.strip() for k in (*g.keywords, *m.keywords) if k.strip()))
    return Document(lang, plain(m.subtitle), plain(ctx.title), tuple(body), keywords)


def person_text(p: Person) -> str:
    """"Benjamin Borgue / stagiaire Intermade": the name, then role and organisation."""
    detail = " ".join(x.strip() for x in (p.role, p.organization) if x.strip())
    return f"{p.name.strip()} / {detail}" if detail else p.name.strip()


def next_sentence(nxt: NextMeeting, lang: str) -> str:
    """"Le prochain atelier de travail est fixé au mercredi 16 janvier 2008 à 14h00, …";
    without a date, "Prochaine rencontre : date à fixer, …"."""
    labels = LABELS[lang]
    if nxt.date is None:
        text = f"{labels['next']}{labels['sep']}{labels['to_be_set']}"
    else:
        text = labels["next_when"].format(when=when_text(nxt.date, lang))
    venue = nxt.venue.strip()
    if venue:
        of = ("d’" if venue[0] in _VOWELS else "de ") + venue
        text += ", " + labels["next_venue"].format(of=of, venue=venue)
    if nxt.address.strip():
        text += ", " + nxt.address.strip()
    if nxt.phone.strip():
        text += f" ({nxt.phone.strip()})"
    return text + "."


def when_text(d: dt.date | dt.datetime, lang: str) -> str:
    """"mercredi 16 janvier 2008 à 14h00" / "Wednesday 16 January 2008 at 2:00 pm"."""
    if not isinstance(d, dt.datetime):
        return words.date_long(d, lang, weekday=True)
    return LABELS[lang]["at_time"].format(
        date=words.date_long(d.date(), lang, weekday=True), time=words.time_of_day(d.time(), lang)
    )


def decision_text(d, lang: str) -> str:
    """The decision, with its vote in words when there was one."""
    if not d.voted:
        return d.text
    return f"{d.text} ({words.vote_result(d.votes_for, d.against, d.abstain, d.unanimous, lang)})"


def action_text(a, lang: str) -> str:
    """"Sandrine Delrieu : Travailler sur … (pour le 16 janvier 2008, fait le …)"."""
    labels = LABELS[lang]
    text = f"{a.owner.strip()}{labels['sep']}{a.task.strip()}" if a.owner.strip() else a.task
    extra = [labels["due"].format(date=words.date_long(a.due, lang))] if a.due else []
    if a.done:
        on = f" {labels['on'].format(date=words.date_long(a.done_on, lang))}" if a.done_on else ""
        extra.append(labels["done"] + on)
    elif a.dropped:
        extra.append(labels["dropped"])
    text = f"{text} ({', '.join(extra)})" if extra else text
    return f"{text} — {labels['progress'].format(note=a.note.strip())}" if a.note.strip() else text


def _bullets(texts) -> List:
    return List(tuple((Para(plain(t)),) for t in texts))


def _labelled(label: str, text: str, lang: str) -> Para:
    """"**Participants** : Marie-ange Favre / Energie Alternative ; …"."""
    return Para((Strong((Text(label),)), Text(LABELS[lang]["sep"].rstrip()), *_lead(plain(text))))


def _labelled_blocks(label: str, blocks: tuple[Block, ...], lang: str) -> list[Block]:
    """A label run into the first paragraph of free text, or standing alone before it."""
    head = (Strong((Text(label),)), Text(LABELS[lang]["sep"].rstrip()))
    if blocks and isinstance(blocks[0], Para):
        return [Para((*head, *_lead(blocks[0].children))), *blocks[1:]]
    return [Para(head), *blocks]


def _lead(children: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Inline runs that follow a label: one space first."""
    if children and isinstance(children[0], Text):
        return (Text(" " + children[0].text), *children[1:])
    return (Text(" "), *children)
