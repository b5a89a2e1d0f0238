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
import smtplib
import ssl
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from rencontres import localtime, words
from rencontres.errors import UsageError
from rencontres.model import Group, Person

SECURITIES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
DEFAULT_TIMEOUT = 30.0

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


# -- delivery -----------------------------------------------------------------
@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)  # from the environment only; never shown
    timeout: float = 30.0  # seconds, for the connection and for each answer

    @classmethod
    def from_options(cls, host: str | None, port: int | None, security: str | None,
                     user: str | None, env: dict[str, str],
                     timeout: float | None = None) -> SmtpSettings:
        """Flags first, then RENCONTRES_SMTP_*; the password comes from the environment only."""
        host = host or env.get("RENCONTRES_SMTP_HOST", "")
        if not host:
            raise UsageError("no SMTP server", "set RENCONTRES_SMTP_HOST or --smtp-host, "
                             "or write the messages with --dry-run DIR")
        security = (security or env.get("RENCONTRES_SMTP_SECURITY") or "starttls").lower()
        if security not in SECURITIES:
            raise UsageError(f"SMTP security {security!r} is not one of {', '.join(SECURITIES)}")
        raw_port = port if port is not None else env.get("RENCONTRES_SMTP_PORT")
        try:
            port = int(raw_port) if raw_port not in (None, "") else DEFAULT_PORTS[security]
        except ValueError:
            raise UsageError(f"SMTP port {raw_port!r} is not a number") from None
        if not 0 < port < 65536:
            raise UsageError(f"SMTP port {port} is out of range")
        user = user or env.get("RENCONTRES_SMTP_USER", "")
        password = env.get("RENCONTRES_SMTP_PASSWORD", "")
        if user and not password:
            raise UsageError(f"no password for SMTP user {user!r}",
                             "set RENCONTRES_SMTP_PASSWORD in the environment")
        if user and security == "none":
            raise UsageError("refusing to send an SMTP password over an unencrypted connection",
                             "use RENCONTRES_SMTP_SECURITY=starttls or ssl")
        raw_timeout = timeout if timeout is not None else env.get("RENCONTRES_SMTP_TIMEOUT")
        try:
            timeout = float(raw_timeout) if raw_timeout not in (None, "") else DEFAULT_TIMEOUT
        except ValueError:
            raise UsageError(f"SMTP timeout {raw_timeout!r} is not a number of seconds") from None
        if not 0 < timeout <= 3600:
            raise UsageError(f"SMTP timeout {timeout:g} s is out of range",
                             "give a number of seconds above 0, at most 3600")
        return cls(host, port, security, user, password, timeout)


@dataclass(frozen=True, slots=True)
class Failure:
    to: str
    reason: str


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return f"refused by the server: {code} {text.decode(errors='replace')}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"refused by the server: {exc.smtp_code} {exc.smtp_error.decode(errors='replace')}"
    # smtplib turns a read that timed out into SMTPServerDisconnected("…: timed out")
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "no answer from the server in time (see --smtp-timeout)"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    return f"{type(exc).__name__}: {exc}"


def deliver(settings: SmtpSettings, messages: Iterable[tuple[str, str, EmailMessage]],
            on_sent: Callable[[str], None]) -> list[Failure]:
    """Send each (sender, recipient, message) over one connection.

    `on_sent(recipient)` is called as soon as the server accepted a message (the
    caller logs it there, so the log is exact whatever happens next). A refused
    recipient does not stop the round; a lost connection does: that recipient
    and all the following ones are returned as failures, never retried here.
    """
    pending = list(messages)
    failures: list[Failure] = []
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                    context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        reason = f"cannot connect to {settings.host}:{settings.port} ({_reason(exc)})"
        return [Failure(to, reason) for _, to, _ in pending]
    try:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.user:
            smtp.login(settings.user, settings.password)
    except smtplib.SMTPAuthenticationError:
        smtp.close()
        return [Failure(to, "the server refused the SMTP user and password")
                for _, to, _ in pending]
    except (OSError, smtplib.SMTPException) as exc:
        smtp.close()
        return [Failure(to, _reason(exc)) for _, to, _ in pending]
    for i, (sender, to, msg) in enumerate(pending):
        try:
            smtp.send_message(msg, from_addr=sender, to_addrs=[to])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                smtplib.SMTPSenderRefused) as exc:
            failures.append(Failure(to, _reason(exc)))
            continue
        except (OSError, smtplib.SMTPException) as exc:
            failures += [Failure(t, _reason(exc)) for _, t, _ in pending[i:]]
            smtp.close()
            return failures
        on_sent(to)
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
    return failures
