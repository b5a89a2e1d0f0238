"""Delivery of iMIP messages over SMTP."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage

SECURITIES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
DEFAULT_TIMEOUT = 30.0
TIMED_OUT = "no answer from the server in time"


# -- delivery -----------------------------------------------------------------
@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)  # from the environment only; never shown
    timeout: float = 30.0  # seconds, for the connection and for each answer


@dataclass(frozen=True, slots=True)
class Failure:
    to: str
    reason: str


def _text(answer: bytes | str) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else answer


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return f"refused by the server: {code} {_text(text)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"refused by the server: {exc.smtp_code} {_text(exc.smtp_error)}"
    # smtplib turns a read that timed out into SMTPServerDisconnected("…: timed out")
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return TIMED_OUT
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
    smtp: smtplib.SMTP
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
