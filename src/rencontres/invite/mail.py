"""The minutes and the reminders of actions as e-mail: one message per person, that person's
own open actions first.

    multipart/alternative
      text/plain; charset=utf-8      the document as Markdown (what a mail reader shows as is)
      text/html; charset=utf-8       the same through the HTML writer

Pure: the messages are made from the records, the person and the clock given; who is sent
what, and when, is the log's (`state.py`) and the command's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from rencontres.core import words
from rencontres.core.model import Group, Person
from rencontres.core.values import replace
from rencontres.followup import Tracked
from rencontres.invite.imip import _set_address
from rencontres.render.synthesis import Document, write
from rencontres.render.text import Heading, List, Para, Text, plain

LABELS = {
    "fr": {"minutes": "Synthèse", "remind": "Rappel", "yours": "Vos actions en cours",
           "due": "pour le {date}", "overdue": "en retard", "from": "décidée le {date}",
           "online": "En ligne : {url}", "before": "vos actions avant la rencontre du {date}",
           "actions": "vos actions", "sep": " : ", "next": "Prochaine rencontre"},
    "en": {"minutes": "Minutes", "remind": "Reminder", "yours": "Your open actions",
           "due": "by {date}", "overdue": "overdue", "from": "decided on {date}",
           "online": "Online: {url}", "before": "your actions before the meeting of {date}",
           "actions": "your actions", "sep": ": ", "next": "Next meeting"},
}


def action_line(t: Tracked, lang: str, today: dt.date | None = None) -> str:
    """"Task (pour le 16 janvier 2008, décidée le 22 novembre 2007)"."""
    label = LABELS.get(lang, LABELS["fr"])
    notes = []
    if t.action.due is not None:
        notes.append(label["due"].format(date=words.date_long(t.action.due, lang)))
        if today is not None and t.overdue(today):
            notes.append(label["overdue"])
    notes.append(label["from"].format(date=words.date_long(t.origin.day, lang)))
    return f"{' '.join(t.action.task.split())} ({', '.join(notes)})"


def yours(actions: Sequence[Tracked], lang: str, today: dt.date | None = None) -> tuple:
    """The person's own open actions, as blocks to put first (none: nothing)."""
    if not actions:
        return ()
    label = LABELS.get(lang, LABELS["fr"])
    return (Heading(2, (Text(label["yours"]),)),
            List(tuple((Para(plain(action_line(t, lang, today))),) for t in actions)))


def minutes_subject(group: Group, title: str, day: dt.date) -> str:
    """"Entreprendre au collectif — Synthèse de la 3ème rencontre (22 novembre 2007)"."""
    return f"{group.name} — {title} ({words.date_long(day, group.language)})"


def reminder_subject(group: Group, next_day: dt.date | None) -> str:
    label = LABELS.get(group.language, LABELS["fr"])
    what = label["before"].format(date=words.date_long(next_day, group.language)) \
        if next_day else label["actions"]
    return f"{label['remind']}{label['sep']}{group.name} — {what}"


def with_actions(doc: Document, actions: Sequence[Tracked], lang: str,
                 today: dt.date | None = None, url: str = "") -> Document:
    """The document with the person's own open actions first (and the address where it is
    published, when known)."""
    label = LABELS.get(lang, LABELS["fr"])
    online = (Para(plain(label["online"].format(url=url))),) if url else ()
    return replace(doc, body=(*yours(actions, lang, today), *online, *doc.body))


def message(*, organizer: Person, person: Person, subject: str, doc: Document,
            key: str, now: dt.datetime) -> EmailMessage:
    """One person's message: `doc` as text and as HTML. `key` names what it is (the same
    key and person always give the same Message-ID: a resend is recognisably the same)."""
    msg = EmailMessage(policy=SMTP.clone(refold_source="none"))
    msg["MIME-Version"] = "1.0"
    _set_address(msg, "From", organizer)
    _set_address(msg, "To", person)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now.astimezone(dt.UTC))
    token = hashlib.sha256(f"{key}\0{person.email.lower()}".encode()).hexdigest()[:32]
    msg["Message-ID"] = f"<{token}@{organizer.email.partition('@')[2]}>"
    msg.set_content(write(doc, "markdown"), cte="quoted-printable")
    msg.add_alternative(write(doc, "html"), subtype="html", cte="quoted-printable")
    msg.set_boundary(f"=_alternative_{token}")  # fixed: the same bytes every run
    return msg
