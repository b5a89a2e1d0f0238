"""Delivery of iMIP messages over SMTP."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage

from rencontres.core.errors import UsageError

SECURITIES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
DEFAULT_TIMEOUT = 30.0


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
