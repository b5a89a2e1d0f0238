"""Delivery of iMIP messages over SMTP."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage

from rencontres.core.i18n import N_, _

SECURITIES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
DEFAULT_TIMEOUT = 30.0
TIMED_OUT = N_("no answer from the server in time")
TIMED_OUT_WORDS = "timed out"  # i18n: the words of Python's exception (any locale), matched


# -- delivery -----------------------------------------------------------------
@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)  # from the environment only; never shown
    timeout: float = 30.0  # seconds, for the connection and for each answer


# Faults of the connection (every recipient not yet reached shares one); a refused
# recipient has none. The command line words each with the setting that fixes it.
REFUSED, UNKNOWN_HOST, NO_STARTTLS, NOT_TLS, NO_GREETING, CERTIFICATE, LOGIN, DROPPED, \
    TIMEOUT, OTHER = ("refused", "unknown host", "no starttls", "not tls", "no greeting",
                      "certificate", "login", "dropped", "timeout", "other")  # i18n: names, unseen


@dataclass(frozen=True, slots=True)
class Failure:
    to: str
    reason: str
    fault: str = ""  # the connection's (one of the constants above), "" for a recipient's


def _fault(exc: BaseException, connecting: bool) -> tuple[str, str]:
    """(fault, what happened) of a connection that failed (`connecting`: before the
    server's greeting was read)."""
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return NO_STARTTLS, _("it offers no STARTTLS")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return CERTIFICATE, _("its certificate is not trusted ({why})").format(
            why=exc.verify_message)
    if isinstance(exc, ssl.SSLError) and "WRONG_VERSION_NUMBER" in str(exc):
        return NOT_TLS, _("it does not speak TLS on this port")
    if isinstance(exc, ConnectionRefusedError):
        return REFUSED, _("connection refused")
    if isinstance(exc, OSError) and exc.__class__.__name__ == "gaierror":
        return UNKNOWN_HOST, _("no such host")
    if isinstance(exc, TimeoutError) or TIMED_OUT_WORDS in str(exc):
        return (NO_GREETING, _("no greeting from the server in time")) if connecting else \
            (TIMEOUT, _(TIMED_OUT))
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return DROPPED, _("it closed the connection")
    return OTHER, _reason(exc)


def _text(answer: bytes | str) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else answer


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return _("refused by the server: {code} {answer}").format(code=code, answer=_text(text))
    if isinstance(exc, smtplib.SMTPResponseException):
        return _("refused by the server: {code} {answer}").format(
            code=exc.smtp_code, answer=_text(exc.smtp_error))
    # smtplib turns a read that timed out into SMTPServerDisconnected("…: timed out")
    if isinstance(exc, TimeoutError) or TIMED_OUT_WORDS in str(exc):
        return _(TIMED_OUT)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return _("the server closed the connection")
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
        fault, what = _fault(exc, connecting=True)
        return [Failure(to, what, fault) for __, to, ___ in pending]
    try:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.user:
            smtp.login(settings.user, settings.password)
    except smtplib.SMTPAuthenticationError:
        smtp.close()
        return [Failure(to, _("it refused the user and password"), LOGIN)
                for __, to, ___ in pending]
    except (OSError, smtplib.SMTPException) as exc:
        smtp.close()
        fault, what = _fault(exc, connecting=False)
        return [Failure(to, what, fault) for __, to, ___ in pending]
    for i, (sender, to, msg) in enumerate(pending):
        try:
            smtp.send_message(msg, from_addr=sender, to_addrs=[to])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                smtplib.SMTPSenderRefused) as exc:
            failures.append(Failure(to, _reason(exc)))
            continue
        except (OSError, smtplib.SMTPException) as exc:
            fault, what = _fault(exc, connecting=False)
            failures += [Failure(t, what, fault) for __, t, ___ in pending[i:]]
            smtp.close()
            return failures
        on_sent(to)
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
    return failures
