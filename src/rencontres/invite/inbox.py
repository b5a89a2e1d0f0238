"""Reading the organiser's mailbox for replies: IMAP, a Maildir, an mbox, or files.

IMAP goes through IMAPClient (imported only here, only when a mailbox is read): the
standard `imaplib` verifies no certificate unless given a context, fails on a folder named
`Réponses` (modified UTF-7) and does not quote names with spaces. TLS from the first byte
(`imaps://`, port 993) or STARTTLS (`imap://`, port 143), certificates verified by
`ssl.create_default_context()` (a private CA through SSL_CERT_FILE); plain IMAP only to a
loopback address that offers no STARTTLS.

The mailbox is only read unless the caller moves messages: the folder is EXAMINEd
(read-only) and messages fetched with BODY.PEEK[] (no \\Seen set). `move` needs a mailbox
opened writable: it MOVEs the given messages (RFC 6851), or without MOVE on the server
COPYs them, flags them \\Deleted and expunges those only (UID EXPUNGE, RFC 4315). Dovecot
2.3 carries out a UID MOVE even in an EXAMINE session: MOVE is never sent otherwise.

Only messages that could hold a calendar (a `text/calendar` or `application/ics` part, an
`.ics` file: BODYSTRUCTURE on IMAP, a look at the bytes elsewhere) are fetched and parsed.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rencontres.core.errors import RencontresError, UsageError, reason
from rencontres.core.i18n import _, ngettext
from rencontres.invite.replies import Read, maybe_reply, read_file_bytes, read_message

DEFAULT_PORTS = {"imaps": 993, "imap": 143}
DEFAULT_TIMEOUT = 30.0
_CHUNK = 200
TIMED_OUT_WORDS = "timed out"  # i18n: the words of Python's exception (any locale), matched


class MailboxUnreachable(RencontresError):
    """The mail server could not be reached, spoke no TLS, or refused the login."""

    exit_code = 5


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    tls: bool  # TLS from the first byte (imaps://); else STARTTLS (plain only on loopback)
    user: str
    folder: str = "INBOX"
    password: str = field(default="", repr=False)  # never shown, never logged
    timeout: float = DEFAULT_TIMEOUT

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def parse_url(url: str) -> tuple[bool, str, str, int, str]:
    """`imaps://user@host:993/Folder` → (tls, user, host, port, folder). A password in the
    URL is refused (it would show in the process list and the shell's history)."""
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UsageError(_("IMAP URL {url}: {why}").format(url=repr(url), why=exc),
                         _("write it as imaps://user@host:993/INBOX")) from None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        raise UsageError(_("IMAP URL {url} is not imaps://… or imap://…").format(url=repr(url)),
                         _("write it as imaps://user@host:993/INBOX (imap:// for STARTTLS)"))
    if parts.password is not None:
        raise UsageError(_("the IMAP URL holds a password: a password is never written there"),
                         _("remove it from the URL; set RENCONTRES_IMAP_PASSWORD, or name a "
                           "password_file in the configuration, or use the keyring"))
    scheme = parts.scheme.lower()
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return (scheme == "imaps", unquote(parts.username or ""), parts.hostname,
            port or DEFAULT_PORTS[scheme], folder)


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# -- files ----------------------------------------------------------------------------------------
def read_paths(paths: Iterable[Path]) -> list[Read]:
    """Each path: a Maildir (a folder with cur/ and new/), an mbox (a file starting with
    "From "), an .eml message or an .ics calendar."""
    out: list[Read] = []
    for path in paths:
        if path.is_dir():
            if not ((path / "cur").is_dir() or (path / "new").is_dir()):
                raise UsageError(
                    _("{path}: a folder that is no Maildir (no cur/ nor new/)").format(path=path),
                    _("give a Maildir, an mbox file, .eml or .ics files"))
            out += list(read_maildir(path))
            continue
        try:
            with path.open("rb") as f:
                head = f.read(5)
        except OSError as exc:
            raise UsageError(_("{path}: cannot be read ({why})").format(
                path=path, why=reason(exc))) from None
        if head == b"From ":
            out += list(read_mbox(path))
        else:
            out.append(read_file_bytes(path.read_bytes(), str(path)))
    return out


def read_maildir(path: Path) -> Iterator[Read]:
    import mailbox

    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.iterkeys()):
        try:
            data = box.get_bytes(key)
        except (OSError, KeyError):  # removed meanwhile by a mail client
            continue
        if maybe_reply(data):
            yield read_message(data, f"{path} ({key})", key)


def read_mbox(path: Path) -> Iterator[Read]:
    import mailbox

    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for i, key in enumerate(box.iterkeys(), 1):
            data = box.get_bytes(key)
            if maybe_reply(data):
                yield read_message(data, f"{path} (message {i})")
    finally:
        box.close()


def move_in_maildir(path: Path, keys: list[str], folder: str) -> int:
    """Move messages of a Maildir into its sub-folder `folder` (Maildir++, made if needed),
    their flags kept."""
    import mailbox

    box = mailbox.Maildir(path, factory=None, create=False)
    target = box.add_folder(folder) if folder not in box.list_folders() \
        else box.get_folder(folder)
    moved = 0
    for key in keys:
        try:
            msg = box.get_message(key)
        except KeyError:
            continue
        target.add(msg)
        box.discard(key)
        moved += 1
    return moved


# -- IMAP -----------------------------------------------------------------------------------------
def _failure(settings: ImapSettings, exc: BaseException) -> MailboxUnreachable:
    """One line naming the server, and the hint that fixes it (never the password)."""
    import socket

    server = settings.server
    text = " ".join(str(exc).split())
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailboxUnreachable(
            _("IMAP server {server}: its certificate is not trusted ({why})").format(
                server=server, why=exc.verify_message or text),
            _("if it is your own server's certificate, give its CA file through SSL_CERT_FILE"))
    if isinstance(exc, ssl.SSLError) and "WRONG_VERSION_NUMBER" in text:
        return MailboxUnreachable(
            _("IMAP server {server} does not speak TLS on this port").format(server=server),
            _("use imap:// (STARTTLS, port 143) for this port, or imaps:// with port 993"))
    if isinstance(exc, socket.gaierror):
        return MailboxUnreachable(
            _("IMAP server {host}: unknown host").format(host=settings.host),
            _("check the host name in the IMAP URL"))
    if isinstance(exc, ConnectionRefusedError):
        return MailboxUnreachable(
            _("IMAP server {server} refused the connection").format(server=server),
            _("check the port: 993 for imaps://, 143 for imap://"))
    if isinstance(exc, TimeoutError) or TIMED_OUT_WORDS in text:
        return MailboxUnreachable(
            _("IMAP server {server}: no answer in time ({seconds} s)").format(
                server=server, seconds=f"{settings.timeout:g}"),
            _("imaps:// expects TLS at once (port 993), imap:// a plain greeting (port 143); "
              "or raise [imap] timeout"))
    if isinstance(exc, ssl.SSLError):
        return MailboxUnreachable(
            _("IMAP server {server}: TLS failed ({why})").format(server=server, why=text),
            _("check the port and imaps:// or imap://"))
    return MailboxUnreachable(_("IMAP server {server}: {error}").format(
        server=server, error=f"{type(exc).__name__}: {text}"))


class Imap:
    """One IMAP session on one folder: `with Imap(settings, writable) as box: box.read()`."""

    def __init__(self, settings: ImapSettings, writable: bool = False):
        self.settings, self.writable = settings, writable
        self.client = None

    def __enter__(self) -> Imap:
        from imapclient import IMAPClient
        from imapclient.exceptions import IMAPClientError, LoginError

        s = self.settings
        context = ssl.create_default_context()
        try:
            client = IMAPClient(s.host, s.port, ssl=s.tls, ssl_context=context,
                                timeout=s.timeout)
        except (OSError, IMAPClientError) as exc:
            raise _failure(s, exc) from None
        self.client = client
        try:
            if not s.tls:
                if client.has_capability("STARTTLS"):
                    client.starttls(context)
                elif not is_loopback(s.host):
                    raise MailboxUnreachable(
                        _("IMAP server {server} offers no STARTTLS: the password would travel "
                          "in clear").format(server=s.server), _("use imaps:// (port 993)"))
            if client.has_capability("AUTH=PLAIN"):  # UTF-8 (LOGIN takes ASCII only)
                client.plain_login(s.user, s.password)
            else:
                client.login(s.user, s.password)
        except LoginError:
            self._close()
            raise MailboxUnreachable(
                _("IMAP server {server} refused the login of {user}").format(
                    server=s.server, user=repr(s.user)),
                _("check the user (the IMAP URL or [imap] user) and its password "
                  "(RENCONTRES_IMAP_PASSWORD, the password_file or the keyring)")) from None
        except MailboxUnreachable:
            self._close()
            raise
        except (OSError, IMAPClientError) as exc:
            self._close()
            raise _failure(s, exc) from None
        self._select(s.folder)
        return self

    def _select(self, folder: str) -> None:
        from imapclient.exceptions import IMAPClientError

        assert self.client is not None
        try:
            self.client.select_folder(folder, readonly=not self.writable)
        except IMAPClientError:
            names = self._folders()
            self._close()
            raise UsageError(
                _("IMAP server {server}: no folder {folder}").format(
                    server=self.settings.server, folder=repr(folder)),
                _("its folders: {folders}").format(
                    folders=", ".join(names[:12]) + ("…" if len(names) > 12 else ""))) from None
        except OSError as exc:
            self._close()
            raise _failure(self.settings, exc) from None

    def _folders(self) -> list[str]:
        try:
            return [str(name) for __, ___, name in self.client.list_folders()]  # type: ignore
        except Exception:  # noqa: BLE001 — only the hint of an error already being raised
            return []

    def __exit__(self, *exc) -> None:
        self._close()

    def _close(self) -> None:
        if self.client is not None:
            from contextlib import suppress

            try:
                self.client.logout()
            except Exception:  # noqa: BLE001 — a session ending badly changes nothing read
                with suppress(Exception):
                    self.client.shutdown()
            self.client = None

    def read(self, progress: Callable[[int, int], None] | None = None) -> list[Read]:
        """Every message of the folder that holds a calendar, read (BODY.PEEK[])."""
        from imapclient.exceptions import IMAPClientError

        assert self.client is not None
        try:
            uids = self.client.search("ALL")
            wanted = []
            for i in range(0, len(uids), _CHUNK * 5):
                chunk = uids[i:i + _CHUNK * 5]
                for uid, data in self.client.fetch(chunk, ["BODYSTRUCTURE"]).items():
                    if _may_hold_calendar(data.get(b"BODYSTRUCTURE")):
                        wanted.append(uid)
            out = []
            for i in range(0, len(wanted), _CHUNK):
                chunk = sorted(wanted[i:i + _CHUNK])
                got = self.client.fetch(chunk, ["BODY.PEEK[]", "INTERNALDATE"])
                for uid in chunk:
                    data = got.get(uid, {})
                    body = data.get(b"BODY[]")
                    if body is None:
                        continue
                    when = data.get(b"INTERNALDATE")
                    received = when.astimezone(dt.UTC) if isinstance(when, dt.datetime) \
                        and when.tzinfo else None
                    out.append(read_message(body, f"{self.settings.folder}, UID {uid}",
                                            str(uid), received))
                if progress:
                    progress(min(i + _CHUNK, len(wanted)), len(wanted))
            return out
        except (OSError, IMAPClientError) as exc:
            raise _failure(self.settings, exc) from None

    def move(self, refs: list[str], folder: str) -> str:
        """Move these messages (by UID) into `folder` (made if missing); what was done."""
        from imapclient.exceptions import IMAPClientError

        assert self.client is not None and self.writable
        uids = [int(r) for r in refs]
        if not uids:
            return _("nothing to move")
        c = self.client
        try:
            if not c.folder_exists(folder):
                c.create_folder(folder)
            if c.has_capability("MOVE"):
                c.move(uids, folder)
                return ngettext("moved {n} message(s) to {folder}",
                                "moved {n} message(s) to {folder}", len(uids)).format(
                    n=len(uids), folder=folder)
            c.copy(uids, folder)
            c.delete_messages(uids)
            if c.has_capability("UIDPLUS"):
                c.uid_expunge(uids)
                return ngettext("moved {n} message(s) to {folder} (COPY, then expunged)",
                                "moved {n} message(s) to {folder} (COPY, then expunged)",
                                len(uids)).format(n=len(uids), folder=folder)
            return ngettext("copied {n} message(s) to {folder} and flagged them \\Deleted (the "
                            "server cannot expunge them alone: your mail client will)",
                            "copied {n} message(s) to {folder} and flagged them \\Deleted (the "
                            "server cannot expunge them alone: your mail client will)",
                            len(uids)).format(n=len(uids), folder=folder)
        except (OSError, IMAPClientError) as exc:
            raise _failure(self.settings, exc) from None


def _may_hold_calendar(structure) -> bool:
    """A BODYSTRUCTURE naming a calendar type (text/calendar, application/ics) or an .ics
    file anywhere in it."""
    if structure is None:
        return True  # the server said nothing: look at the message itself
    stack = [structure]
    while stack:
        item = stack.pop()
        if isinstance(item, (tuple, list)):
            stack.extend(item)
        elif isinstance(item, (bytes, str)):
            value = item.lower() if isinstance(item, bytes) else item.lower().encode()
            if value in (b"calendar", b"ics") or value.endswith(b".ics"):
                return True
    return False
