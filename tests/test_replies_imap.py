"""replies against a real IMAP server (Dovecot 2.3, tests/imap_server.py) and invitations
sent to a real SMTP server (aiosmtpd): the acceptance session of issue 25, --move, and the
failures of connection, TLS and login."""

from __future__ import annotations

import email
import tomllib
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from imap_server import PASSWORD
from replies_helpers import (
    EXPECTED,
    MAIL,
    RECORD,
    SECOND,
    UID,
    change_address,
    emails,
    parsed,
)

REPLIES = sorted(MAIL.glob("*.eml"))  # 7: five clients' shapes, a COUNTER, a stranger's
ORDINARY = [  # mail around the replies, never fetched whole (BODYSTRUCTURE says no calendar)
    b"From: a@example.org\r\nTo: secretariat@asso.example\r\nSubject: Bonjour\r\n"
    b"Message-ID: <plain-1@example.org>\r\n\r\nRien \xc3\xa0 voir.\r\n",
    b"From: b@example.org\r\nSubject: Compte rendu\r\nMessage-ID: <pdf-2@example.org>\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
    b"Content-Type: text/plain\r\n\r\nVoir la piece jointe.\r\n--b\r\n"
    b"Content-Type: application/pdf; name=cr.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    b"JVBERi0xLjQK\r\n--b--\r\n",
]


class Inbox:
    """aiosmtpd's handler: what it receives."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=default)
        self.received.append((list(envelope.rcpt_tos), msg))
        return "250 OK"


@pytest.fixture
def smtp_server(monkeypatch):
    from test_send import free_port

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("RENCONTRES_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RENCONTRES_SMTP_PORT", str(port))
    monkeypatch.setenv("RENCONTRES_SMTP_SECURITY", "none")
    yield inbox
    controller.stop()


def _send_twice(cli, asso, monkeypatch, inbox: Inbox, readers) -> None:
    """Invitations e-mailed to the ten invitees, then (the address changed) again."""
    for i, when in enumerate(("2026-01-09T09:00:00Z", SECOND)):
        monkeypatch.setenv("RENCONTRES_NOW", when)
        if i:
            change_address(asso)
        run = cli("--records", asso, "send", RECORD)
        assert run.exit_code == 0, run.stderr
        batch = inbox.received[10 * i:]
        assert len(batch) == 10 and len({tuple(r) for r, _ in batch}) == 10
        for _, msg in batch:
            [cal] = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
            for name in ("icalendar", "vobject"):  # read back by readers that did not write it
                [event] = readers.read(name, cal.get_payload(decode=True))["events"]
                assert (event["uid"], event["sequence"]) == (UID, i)
    monkeypatch.setenv("RENCONTRES_NOW", "2026-01-15T09:00:00Z")


def test_the_acceptance_session(cli, asso, monkeypatch, dovecot, smtp_server, readers):
    server = dovecot()
    assert server.started < 2  # well under a second on an idle machine
    _send_twice(cli, asso, monkeypatch, smtp_server, readers)
    server.append("INBOX", *ORDINARY, *(p.read_bytes() for p in REPLIES))
    flags = server.flags()
    assert len(flags) == 9 and all(f == () for f in flags.values())

    first = cli("--records", asso, "replies", "--json")
    report = parsed(first)
    for answer, who in EXPECTED.items():
        assert emails(report, answer) == who, answer
    assert [c["attendee"] for c in report["counters"]] == ["georges@outlook.example"]
    assert [u["from"] for u in report["unmatched"]] == ["ines@example.org"]  # only that one
    assert first.stderr.endswith("7 message(s) with a calendar read; 5 answer(s) in them, "
                                 "5 new recorded\n")
    state = (asso / "asso" / "state.toml").read_bytes()
    assert server.flags() == flags  # read-only: nothing flagged, \Seen included

    again = cli("--records", asso, "replies", "--json")
    assert again.stdout == first.stdout
    assert again.stderr.endswith("0 new recorded (all were already recorded)\n")
    assert (asso / "asso" / "state.toml").read_bytes() == state
    assert server.flags() == flags

    monkeypatch.setenv("RENCONTRES_NOW", "2026-02-06T09:00:00Z")
    assert cli("--records", asso, "new", "asso", "--no-input").exit_code == 0
    record = tomllib.loads((asso / "asso" / "2026-02-05.toml").read_text(encoding="utf-8"))
    assert [(p["email"], p.get("attendance", "present")) for p in record["participants"]] == [
        ("alice@atelier-velo.example", "present"), ("chloe.bernard@gmail.example", "excused"),
        ("david@icloud.example", "present"), ("emma@evolution.example", "excused")]


def test_move_moves_only_the_matched_replies(cli, asso, monkeypatch, dovecot, smtp_server,
                                             readers):
    server = dovecot()
    _send_twice(cli, asso, monkeypatch, smtp_server, readers)
    server.append("INBOX", *ORDINARY, *(p.read_bytes() for p in REPLIES))
    run = cli("--records", asso, "replies", "--move", "Réponses traitées")
    assert run.exit_code == 0, run.stderr
    assert run.stderr.endswith("moved 5 message(s) to Réponses traitées\n")
    moved = server.flags("Réponses traitées")
    assert len(moved) == 5 and all(f == () for f in moved.values())  # not even \Seen
    left = server.flags("INBOX")
    assert sorted(left) == sorted(["<plain-1@example.org>", "<pdf-2@example.org>",
                                   "<AM0PR01MB7654321BADC0DE@AM0PR01MB7654.eurprd01.prod."
                                   "outlook.example>", "<reply-ines-0002@google.com>"])
    assert all("\\Deleted" not in str(f) for f in left.values())
    # the folder holding them reads the same answers, by its name with a space and an accent
    monkeypatch.setenv("RENCONTRES_IMAP_URL", server.url("Réponses traitées"))
    report = parsed(cli("--records", asso, "replies", "--json"))
    for answer, who in EXPECTED.items():
        assert emails(report, answer) == who


def test_without_move_on_the_server_copy_then_expunge_those_only(cli, asso, monkeypatch,
                                                                 dovecot, tmp_path):
    server = dovecot("imap_capability = IMAP4rev1 LITERAL+ SASL-IR UIDPLUS IDLE NAMESPACE")
    from replies_helpers import invite_twice

    invite_twice(cli, asso, monkeypatch, tmp_path)
    server.append("INBOX", *ORDINARY, *(p.read_bytes() for p in REPLIES))
    c = server.client()
    c.select_folder("INBOX")
    stranger = c.search(["HEADER", "Message-ID", "reply-ines-0002"])
    c.add_flags(stranger, [b"\\Deleted"])  # the user's own: it must stay
    c.logout()
    run = cli("--records", asso, "replies", "--move", "Archives")
    assert run.exit_code == 0, run.stderr
    assert run.stderr.endswith("moved 5 message(s) to Archives (COPY, then expunged)\n")
    assert len(server.flags("Archives")) == 5
    left = server.flags("INBOX")
    assert len(left) == 4 and left["<reply-ines-0002@google.com>"] == (b"\\Deleted",)


def test_a_folder_named_with_spaces_and_accents(cli, asso, monkeypatch, dovecot, tmp_path):
    from replies_helpers import invite_twice

    server = dovecot()
    invite_twice(cli, asso, monkeypatch, tmp_path)
    server.append("Réponses 2026", (MAIL / "google-declined.eml").read_bytes())
    monkeypatch.setenv("RENCONTRES_IMAP_URL", server.url("Réponses 2026", tls=True))
    report = parsed(cli("--records", asso, "replies", "--json"))
    assert emails(report, "declined") == ["chloe.bernard@gmail.example"]


def test_the_imap_url_from_the_configuration(cli, asso, monkeypatch, dovecot, tmp_path,
                                             user_config):
    from replies_helpers import invite_twice

    server = dovecot()
    invite_twice(cli, asso, monkeypatch, tmp_path)
    server.append("INBOX", (MAIL / "thunderbird-accepted.eml").read_bytes())
    monkeypatch.delenv("RENCONTRES_IMAP_URL")
    monkeypatch.delenv("RENCONTRES_IMAP_PASSWORD")
    secret = tmp_path / "imap-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    secret.chmod(0o600)
    user_config.write_text(f'[imap]\nurl = "imaps://127.0.0.1:{server.ssl_port}/INBOX"\n'
                           f'user = "secretariat"\npassword_file = "{secret}"\n',
                           encoding="utf-8")
    report = parsed(cli("--records", asso, "replies", "--json"))
    assert emails(report, "accepted") == ["alice@atelier-velo.example"]


# -- failures: one line naming the server and the fix, never a traceback, never the password --
def _fails(cli, asso, exit_code: int = 5) -> str:
    run = cli("--records", asso, "replies")
    assert run.exit_code == exit_code, run.stderr
    assert len(run.stderr.splitlines()) == 1 and run.stdout == ""
    assert PASSWORD not in run.stderr
    return run.stderr


def test_a_wrong_password(cli, asso, monkeypatch, dovecot, tmp_path):
    server = dovecot()
    monkeypatch.setenv("RENCONTRES_IMAP_PASSWORD", "not-it")
    err = _fails(cli, asso)
    assert err.startswith(f"error: IMAP server 127.0.0.1:{server.port} refused the login of "
                          "'secretariat'; check the user")
    assert "not-it" not in err


def test_tls_spoken_to_the_plain_port(cli, asso, monkeypatch, dovecot):
    server = dovecot()
    monkeypatch.setenv("RENCONTRES_IMAP_URL",
                       f"imaps://secretariat@127.0.0.1:{server.port}/INBOX")
    assert _fails(cli, asso) == (f"error: IMAP server 127.0.0.1:{server.port} does not speak "
                                 "TLS on this port; use imap:// (STARTTLS, port 143) for this "
                                 "port, or imaps:// with port 993\n")


def test_an_untrusted_certificate(cli, asso, monkeypatch, dovecot):
    server = dovecot()
    monkeypatch.delenv("SSL_CERT_FILE")
    err = _fails(cli, asso)
    assert err.startswith(f"error: IMAP server 127.0.0.1:{server.port}: its certificate is "
                          "not trusted (self-signed certificate)")
    assert err.endswith("give its CA file through SSL_CERT_FILE\n")


def test_starttls_against_the_imaps_port_waits_only_the_timeout(cli, asso, monkeypatch,
                                                                dovecot, user_config):
    import time

    server = dovecot()
    user_config.write_text("[imap]\ntimeout = 1\n", encoding="utf-8")
    monkeypatch.setenv("RENCONTRES_IMAP_URL",
                       f"imap://secretariat@127.0.0.1:{server.ssl_port}/INBOX")
    began = time.monotonic()
    err = _fails(cli, asso)
    assert time.monotonic() - began < 5
    assert err.startswith(f"error: IMAP server 127.0.0.1:{server.ssl_port}: no answer in time "
                          "(1 s); imaps:// expects TLS at once")


def test_a_refused_connection_and_a_missing_folder(cli, asso, monkeypatch, dovecot):
    from test_send import free_port

    server = dovecot()
    port = free_port()
    monkeypatch.setenv("RENCONTRES_IMAP_URL", f"imap://secretariat@127.0.0.1:{port}/INBOX")
    assert _fails(cli, asso) == (f"error: IMAP server 127.0.0.1:{port} refused the connection;"
                                 " check the port: 993 for imaps://, 143 for imap://\n")
    monkeypatch.setenv("RENCONTRES_IMAP_URL", server.url("Nulle part"))
    assert _fails(cli, asso, 2) == (f"error: IMAP server 127.0.0.1:{server.port}: no folder "
                                    "'Nulle part'; its folders: INBOX\n")


def test_plain_imap_to_a_loopback_server_without_tls(cli, asso, monkeypatch, dovecot,
                                                      tmp_path):
    from replies_helpers import invite_twice

    server = dovecot(tls=False)  # a local bridge or test server: no STARTTLS offered
    invite_twice(cli, asso, monkeypatch, tmp_path)
    server.append("INBOX", (MAIL / "outlook-tentative.eml").read_bytes())
    report = parsed(cli("--records", asso, "replies", "--json"))
    assert emails(report, "tentative") == ["bruno.lefevre@outlook.example"]
    # the same server taken for a remote one: refused before the password is sent
    import rencontres.invite.inbox as inbox

    monkeypatch.setattr(inbox, "is_loopback", lambda host: False)
    assert _fails(cli, asso) == (f"error: IMAP server 127.0.0.1:{server.port} offers no "
                                 "STARTTLS: the password would travel in clear; use imaps:// "
                                 "(port 993)\n")
    # two logins: the test's APPEND, then the first read; none from the refused run
    assert server.log().count("Login: user=<secretariat>") == 2


def test_starttls_is_required_off_loopback():
    from rencontres.invite.inbox import is_loopback, parse_url

    assert parse_url("imap://me%40asso.example@mail.example.org/R%C3%A9ponses") == (
        False, "me@asso.example", "mail.example.org", 143, "Réponses")
    assert parse_url("imaps://u@h") == (True, "u", "h", 993, "INBOX")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("192.168.1.10") and not is_loopback("mail.example.org")
