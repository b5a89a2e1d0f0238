"""iMIP messages (RFC 6047) and their delivery over SMTP.

One message per attendee:

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8                       what and where, in words
        text/calendar; method=REQUEST; charset=UTF-8    the invitation (base64: CRLF kept)
      application/ics; name=invitation.ics             the same, as an attachment

The `method` parameter is always the calendar's own METHOD. Headers are built
from `email.headerregistry.Address`, so a name with commas or quotes is quoted,
and `email.policy.SMTP` refuses any header value holding CR or LF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from rencontres.core import localtime, words
from rencontres.core.model import Group, Person

SUBJECTS = {
    "fr": {"REQUEST": "Invitation", "UPDATE": "Mise à jour", "CANCEL": "Annulée"},
    "en": {"REQUEST": "Invitation", "UPDATE": "Updated", "CANCEL": "Cancelled"},
}
BODY = {
    "fr": {"when": "Quand", "where": "Où", "agenda": "Ordre du jour", "cancel":
           "Cette rencontre est annulée.", "attached": "L’invitation est jointe (invitation.ics).",
           "attached_cancel": "L’annulation est jointe (invitation.ics) : votre agenda la "
                              "retire."},
    "en": {"when": "When", "where": "Where", "agenda": "Agenda", "cancel":
           "This meeting is cancelled.", "attached": "The invitation is attached (invitation.ics).",
           "attached_cancel": "The cancellation is attached (invitation.ics): your calendar "
                              "removes the meeting."},
}


def _address(person: Person) -> Address:
    username, _, domain = person.email.partition("@")
    return Address(display_name=person.name, username=username, domain=domain)


def when_text(start: dt.datetime, end: dt.datetime, lang: str) -> str:
    """"jeudi 15 janvier 2026, 14h00–16h00" / "Thursday 15 January 2026, 2:00 pm–4:00 pm"."""
    day = words.date_long(start.date(), lang, weekday=True)
    span = f"{words.time_of_day(start.time(), lang)}–{words.time_of_day(end.time(), lang)}"
    if end.date() != start.date():
        span = (f"{words.time_of_day(start.time(), lang)} – "
                f"{words.date_long(end.date(), lang, weekday=True)} "
                f"{words.time_of_day(end.time(), lang)}")
    return f"{day}, {span}"


def subject(method: str, sequence: int, summary: str, start: dt.datetime, lang: str) -> str:
    s = SUBJECTS.get(lang, SUBJECTS["fr"])
    kind = "CANCEL" if method == "CANCEL" else ("UPDATE" if sequence > 0 else "REQUEST")
    sep = " : " if lang == "fr" else ": "
    day = words.date_long(start.date(), lang)
    return f"{s[kind]}{sep}{summary}, {day}, {words.time_of_day(start.time(), lang)}"


def body(group: Group, agenda: Sequence[str], method: str, summary: str, where: str,
         start: dt.datetime, end: dt.datetime) -> str:
    """The mail's text: what, when, where, and the agenda (as the invitation has it)."""
    b = BODY.get(group.language, BODY["fr"])
    lines = [summary, ""]
    if method == "CANCEL":
        lines += [b["cancel"], ""]
    colon = " : " if group.language == "fr" else ": "
    zone = localtime.label(group.timezone, start, group.language)
    lines.append(f"{b['when']}{colon}{when_text(start, end, group.language)} ({zone})")
    if where:
        lines.append(f"{b['where']}{colon}{where}")
    if agenda and method != "CANCEL":
        lines += ["", f"{b['agenda']}{colon.rstrip()}", *agenda]
    lines += ["", b["attached_cancel" if method == "CANCEL" else "attached"]]
    return "\n".join(lines) + "\n"


_SPECIALS = set('()<>[]:;@\\,."')


def _set_address(msg: EmailMessage, field: str, person: Person) -> None:
    """An address header that decodes to exactly that one address, read either way.

    A display name with non-ASCII letters *and* a comma (or another special), like
    "Zoë Lefèvre, née Martin", would be encoded by the email package as encoded words
    holding the bare comma: a client that decodes before splitting sees two addresses.
    It is written instead as encoded words of the *quoted* name, so the comma stays
    inside quotes once decoded."""
    import base64

    name = person.name
    if name.isascii() or not (_SPECIALS & set(name)):
        msg[field] = _address(person)
        return
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    words, chunk = [], ""
    for char in quoted:  # encoded words of at most 45 bytes each: lines under 78
        if len((chunk + char).encode("utf-8")) > 45:
            words.append(chunk)
            chunk = ""
        chunk += char
    words.append(chunk)
    encoded = "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w.encode()).decode()}?=" for w in words)
    msg.set_raw(field, f"{encoded} <{person.email}>")


def imip_message(*, ics: bytes, method: str, organizer: Person,
                 attendee: Person, subject: str, text: str, now: dt.datetime) -> EmailMessage:
    """One attendee's iMIP message. Date and Message-ID come from the arguments only."""
    msg = EmailMessage(policy=SMTP.clone(refold_source="none"))
    msg["MIME-Version"] = "1.0"
    _set_address(msg, "From", organizer)
    _set_address(msg, "To", attendee)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now.astimezone(dt.UTC))
    # The same version to the same person always has the same Message-ID (a resend
    # after a failure is recognisably the same message); another version does not.
    token = hashlib.sha256(ics + b"\0" + attendee.email.lower().encode()).hexdigest()[:32]
    msg["Message-ID"] = f"<{token}@{organizer.email.partition('@')[2]}>"
    msg.make_mixed()
    msg.set_boundary(f"=_mixed_{token}")  # fixed boundaries: the same bytes every run
    alternative = EmailMessage(policy=SMTP)
    alternative.set_content(text, cte="quoted-printable")
    calendar_part = EmailMessage(policy=SMTP)
    calendar_part.set_content(ics, maintype="text", subtype="calendar", cte="base64",
                              params={"method": method, "charset": "UTF-8"})
    alternative.make_alternative()
    alternative.set_boundary(f"=_alternative_{token}")
    alternative.attach(calendar_part)
    msg.attach(alternative)
    msg.add_attachment(ics, maintype="application", subtype="ics", filename="invitation.ics")
    return msg


