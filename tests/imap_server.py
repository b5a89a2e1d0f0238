"""A real IMAP server for the tests: Dovecot 2.3, started by the test on 127.0.0.1.

`dovecot-imapd` (Debian; it brings `openssl`) must be installed, `dovecot` found on PATH or
in /usr/sbin; otherwise the tests that need it are skipped, naming what is missing (under
CI=true they fail: `.ci/readers.sh` installs it).

Each server: a self-signed certificate made by `openssl` for 127.0.0.1, a plain port
offering STARTTLS and an IMAPS port, one user in a passwd-file, a Maildir, everything in a
`tempfile.mkdtemp()` folder (not pytest's tmp_path: its 0700 parent would stop the login
process when run as root). It runs as the current user; as root, as `nobody` (Dovecot
refuses uid 0 for mail processes whatever first_valid_uid says), the folder chowned.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

USER, PASSWORD = "secretariat", "pass word ünïcode"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (under CI=true: run .ci/readers.sh)")
    pytest.skip(reason)


def dovecot_binary() -> str:
    found = shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)),
        None)
    if not found:
        _missing("Dovecot is not installed (apt-get install dovecot-imapd)")
    if not shutil.which("openssl"):
        _missing("openssl is not installed (it makes the test server's certificate)")
    return found  # type: ignore[return-value]


class Dovecot:
    """One running server; `client()` logs in with imapclient (certificate trusted)."""

    def __init__(self, extra: str = "", tls: bool = True):
        binary = dovecot_binary()
        self.root = Path(tempfile.mkdtemp(prefix="rencontres-dovecot-"))
        self.port, self.ssl_port = _free_port(), _free_port()
        self.cert = self.root / "cert.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                        "2", "-keyout", str(self.root / "key.pem"), "-out", str(self.cert),
                        "-subj", "/CN=127.0.0.1", "-addext",
                        "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                       check=True, capture_output=True)
        for sub in ("run", "state", "mail", "home"):
            (self.root / sub).mkdir()
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n",
                                          encoding="utf-8")
        run_as = {}
        if os.name == "posix" and os.geteuid() == 0:
            import grp
            import pwd

            nobody = pwd.getpwnam("nobody")
            user, group = "nobody", grp.getgrgid(nobody.pw_gid).gr_name
            run_as = {"user": "nobody", "group": group}
        else:
            import grp
            import pwd

            user = pwd.getpwuid(os.getuid()).pw_name
            group = grp.getgrgid(os.getgid()).gr_name
        r = self.root
        (r / "dovecot.conf").write_text(f"""
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
info_log_path = {r}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = {"yes" if tls else "no"}
ssl_cert = <{r}/cert.pem
ssl_key = <{r}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{r}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {r}/passwd
}}
userdb {{
  driver = static
  args = home={r}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.ssl_port if tls else 0}
    ssl = {"yes" if tls else "no"}
  }}
}}
service anvil {{
  chroot =
}}
{extra}
""", encoding="utf-8")
        if run_as:
            for path in [r, *r.rglob("*")]:
                shutil.chown(path, run_as["user"], run_as["group"])
        self.process = subprocess.Popen([binary, "-F", "-c", str(r / "dovecot.conf")],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        start_new_session=True,  # its children stopped with it
                                        **run_as)  # type: ignore[call-overload]
        self.tls = tls
        self.started = self._wait()

    def _wait(self) -> float:
        began = time.monotonic()
        while time.monotonic() - began < 10:
            if self.process.poll() is not None:
                break
            try:
                for port in (self.port, self.ssl_port) if self.tls else (self.port,):
                    socket.create_connection(("127.0.0.1", port), 0.2).close()
                return time.monotonic() - began
            except OSError:
                time.sleep(0.02)
        out = self.process.stdout.read().decode(errors="replace") if self.process.stdout \
            and self.process.poll() is not None else ""
        self.stop()
        pytest.fail(f"Dovecot did not start: {out} {self.log()}")

    def log(self) -> str:
        try:
            return (self.root / "dovecot.log").read_text(errors="replace")
        except OSError:
            return ""

    def url(self, folder: str = "INBOX", tls: bool = False) -> str:
        from urllib.parse import quote

        if tls:
            return f"imaps://{USER}@127.0.0.1:{self.ssl_port}/{quote(folder)}"
        return f"imap://{USER}@127.0.0.1:{self.port}/{quote(folder)}"

    def client(self):
        from imapclient import IMAPClient

        context = ssl.create_default_context(cafile=str(self.cert))
        c = IMAPClient("127.0.0.1", self.ssl_port if self.tls else self.port, ssl=self.tls,
                       ssl_context=context, timeout=10)
        c.plain_login(USER, PASSWORD)  # LOGIN takes ASCII only
        return c

    def append(self, folder: str, *messages: bytes) -> None:
        c = self.client()
        try:
            if not c.folder_exists(folder):
                c.create_folder(folder)
            for m in messages:
                c.append(folder, m)
        finally:
            c.logout()

    def flags(self, folder: str = "INBOX") -> dict[str, tuple]:
        """Message-ID → flags of every message in `folder` (read-only)."""
        c = self.client()
        try:
            c.select_folder(folder, readonly=True)
            got = c.fetch(c.search("ALL"), ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
            return {v[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[1].strip(): tuple(
                f for f in v[b"FLAGS"] if f != b"\\Recent") for v in got.values()}
        finally:
            c.logout()

    def stop(self) -> None:
        if self.process.poll() is None:
            import signal

            self.process.terminate()
            try:  # it waits for its login processes, a TLS handshake left half-done included
                self.process.wait(1)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def dovecot(monkeypatch):
    """start(extra_conf="", tls=True) → a running Dovecot (tls=False: no TLS at all); the
    environment points `replies` at it (STARTTLS, its certificate trusted through
    SSL_CERT_FILE, the password)."""
    import importlib.util

    if importlib.util.find_spec("imapclient") is None:
        _missing("imapclient is not installed")
    servers: list[Dovecot] = []

    def start(extra: str = "", tls: bool = True) -> Dovecot:
        server = Dovecot(extra, tls)
        servers.append(server)
        monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))
        monkeypatch.setenv("RENCONTRES_IMAP_URL", server.url())
        monkeypatch.setenv("RENCONTRES_IMAP_PASSWORD", PASSWORD)
        return server

    yield start
    for s in servers:
        s.stop()
