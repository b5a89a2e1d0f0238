"""send: iMIP messages delivered to a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import email
import os
import socket
import tomllib
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from calendar_helpers import LATER, golden, lines
from rencontres.core.errors import DeliveryError, UsageError

ORGANIZER = "sandrine@laplateforme.example"
HELENE, MARIE, JJ = ("helene@essor13.example", "marie-ange@energie-alternative.example",
                     "jj@place.example")
EVERYONE = [HELENE, MARIE, JJ]
UID1 = "00000000-0000-4000-8000-000000000001"


class Handler:
    """Keeps what it receives; refuses some recipients (550) or drops the connection."""

    def __init__(self, refuse=(), drop_at=()):
        self.refuse, self.drop_at = set(refuse), set(drop_at)
        self.received: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.drop_at:
            server.transport.close()  # the connection is lost mid-way
            return "421 closing"
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 Message accepted"

    @property
    def recipients(self) -> list[str]:
        return [r for _, rcpt, _ in self.received for r in rcpt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    """start(handler) runs an SMTP server on 127.0.0.1 and points the environment at it."""
    controllers = []

    def start(handler: Handler) -> Handler:
        for c in controllers:
            c.stop()
        controllers.clear()
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        monkeypatch.setenv("RENCONTRES_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("RENCONTRES_SMTP_PORT", str(port))
        monkeypatch.setenv("RENCONTRES_SMTP_SECURITY", "none")
        return handler

    yield start
    for c in controllers:
        c.stop()


def send(cli_raw, root, *args):
    return cli_raw("--records", root, "send", "club/2025-12-10", *args)


def deliveries(root) -> list[tuple[str, int, str, str]]:
    state = tomllib.loads((root / "club" / "state.toml").read_text())
    return [(d["to"], d["sequence"], d["method"], d["uid"]) for d in state.get("deliveries", [])]


def calendar_part(msg):
    [alternative, attachment] = msg.iter_parts()
    assert msg.get_content_type() == "multipart/mixed"
    assert alternative.get_content_type() == "multipart/alternative"
    [text, cal] = alternative.iter_parts()
    assert text.get_content_type() == "text/plain"
    assert cal.get_content_type() == "text/calendar"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invitation.ics"
    assert attachment.get_content() == cal.get_content().encode()  # the same calendar
    return text.get_content(), cal


def test_send_delivers_one_imip_message_per_attendee(cli_raw, club, smtp):
    server = smtp(Handler())
    run = send(cli_raw, club)
    assert run.exit_code == 0, run.stderr
    assert run.stderr == "not invited: Pierre Levy (no e-mail address)\n"
    assert run.stdout == "".join(f"sent REQUEST (SEQUENCE 0) to {a}\n" for a in EVERYONE)
    assert [(frm, rcpt) for frm, rcpt, _ in server.received] == [
        (ORGANIZER, [a]) for a in EVERYONE]
    for (_, [to], msg) in server.received:
        assert msg["From"] == f"Sandrine Delrieu <{ORGANIZER}>"
        assert msg["To"].addresses[0].addr_spec == to
        assert msg["Subject"] == ("Invitation : Entreprendre au collectif — 4ème rencontre, "
                                  "15 janvier 2026, 14h00")
        text, cal = calendar_part(msg)
        ics = cal.get_content()
        method = next(x for x in lines(ics.encode()) if x.startswith("METHOD:"))
        assert cal.get_param("method") == method.removeprefix("METHOD:") == "REQUEST"
        assert cal.get_param("charset") == "UTF-8"
        assert "Quand : jeudi 15 janvier 2026, 14h00–16h00" in text
        assert "Où : Energie Alternative, 52, La Cannebière, Marseille" in text
    assert str(msg["To"]) == r'"Dupont, Jean; dit \"JJ\"" <jj@place.example>'
    assert msg["To"].addresses[0].display_name == 'Dupont, Jean; dit "JJ"'
    assert deliveries(club) == [(a, 0, "REQUEST", UID1) for a in EVERYONE]


def test_an_unchanged_invitation_is_not_sent_twice(cli_raw, club, smtp):
    server = smtp(Handler())
    assert send(cli_raw, club).exit_code == 0
    run = send(cli_raw, club)
    assert run.exit_code == 0
    assert run.stdout == "already sent (SEQUENCE 0) to 3 attendee(s): not sent again\n"
    assert len(server.received) == 3 and len(deliveries(club)) == 3


def test_a_refused_recipient(cli_raw, club, smtp):
    smtp(Handler(refuse={JJ}))
    run = send(cli_raw, club)
    assert run.exit_code == DeliveryError.exit_code
    assert run.stderr.splitlines()[-1] == (
        "error: not reached: jj@place.example (refused by the server: 550 5.1.1 mailbox "
        "unavailable); run the same command again to send to them only")
    assert deliveries(club) == [(HELENE, 0, "REQUEST", UID1), (MARIE, 0, "REQUEST", UID1)]

    server = smtp(Handler())  # the mailbox is back: a re-run sends to JJ only
    run = send(cli_raw, club)
    assert run.exit_code == 0, run.stderr
    assert server.recipients == [JJ]
    assert run.stdout == ("already sent (SEQUENCE 0) to 2 attendee(s): not sent again\n"
                          "sent REQUEST (SEQUENCE 0) to jj@place.example\n")
    assert [d[0] for d in deliveries(club)] == [HELENE, MARIE, JJ]


def test_a_connection_dropped_midway(cli_raw, club, smtp):
    server = smtp(Handler(drop_at={MARIE}))
    run = send(cli_raw, club)
    assert run.exit_code == DeliveryError.exit_code
    assert server.recipients == [HELENE]
    port = os.environ["RENCONTRES_SMTP_PORT"]
    assert run.stderr.splitlines()[-1] == (
        f"error: SMTP server 127.0.0.1:{port}: it closed the connection; not reached: "
        "marie-ange@energie-alternative.example, jj@place.example; "
        "run the same command again to send to them only")
    assert deliveries(club) == [(HELENE, 0, "REQUEST", UID1)]

    server = smtp(Handler())
    assert send(cli_raw, club).exit_code == 0
    assert server.recipients == [MARIE, JJ]
    assert [d[0] for d in deliveries(club)] == EVERYONE


def test_no_server_at_all(cli_raw, club, monkeypatch):
    monkeypatch.setenv("RENCONTRES_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RENCONTRES_SMTP_PORT", str(free_port()))  # nobody listens
    monkeypatch.setenv("RENCONTRES_SMTP_SECURITY", "none")
    run = send(cli_raw, club)
    assert run.exit_code == DeliveryError.exit_code
    assert run.stderr.splitlines()[-1] == (
        f"error: SMTP server 127.0.0.1:{os.environ['RENCONTRES_SMTP_PORT']}: connection "
        f"refused; not reached: {', '.join(EVERYONE)}; check --smtp-host and --smtp-port: "
        "nothing answers there")
    assert deliveries(club) == []


def test_reschedule_then_cancel_reach_everyone_again(cli_raw, club, smtp, monkeypatch):
    server = smtp(Handler())
    assert send(cli_raw, club).exit_code == 0
    record = club / "club" / "2025-12-10.toml"
    record.write_text(record.read_text().replace("2026-01-15T14:00:00", "2026-01-22T14:00:00"))
    monkeypatch.setenv("RENCONTRES_NOW", LATER)
    assert send(cli_raw, club).exit_code == 0
    updates = server.received[3:]
    assert [r for _, r, _ in updates] == [[a] for a in EVERYONE]
    assert updates[0][2]["Subject"].startswith("Mise à jour : ")
    assert "SEQUENCE:1" in lines(calendar_part(updates[0][2])[1].get_content().encode())

    run = send(cli_raw, club, "--cancel")
    assert run.exit_code == 0, run.stderr
    cancels = server.received[6:]
    assert [r for _, r, _ in cancels] == [[a] for a in EVERYONE]
    _, cal = calendar_part(cancels[0][2])
    content = lines(cal.get_content().encode())
    assert cal.get_param("method") == "CANCEL" and "METHOD:CANCEL" in content
    assert "STATUS:CANCELLED" in content and "SEQUENCE:2" in content
    assert cancels[0][2]["Subject"].startswith("Annulée : ")
    assert [(d[1], d[2]) for d in deliveries(club)] == (
        [(0, "REQUEST")] * 3 + [(1, "REQUEST")] * 3 + [(2, "CANCEL")] * 3)


def test_dry_run_writes_the_messages(cli_raw, club, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    run = send(cli_raw, club, "--dry-run", out)
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{a}.eml" for a in EVERYONE)
    data = (out / f"{HELENE}.eml").read_bytes()
    golden("send-helene.eml", data)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    msg = email.message_from_bytes(data, policy=default)
    assert msg["MIME-Version"] == "1.0" and not msg.defects
    _, cal = calendar_part(msg)
    assert cal.get_param("method") == "REQUEST"
    assert deliveries(club) == []  # nothing was delivered


def test_missing_smtp_settings_are_a_usage_error(cli_raw, club):
    run = send(cli_raw, club)
    assert run.exit_code == UsageError.exit_code and run.stdout == ""
    assert run.stderr.startswith("error: no SMTP server; set RENCONTRES_SMTP_HOST or "
                                 "--smtp-host (or [smtp] host in ")
    assert run.stderr.endswith("), or write the messages with --dry-run DIR\n")
    assert not (club / "club" / "state.toml").exists()


def test_the_password_is_never_shown(cli_raw, club, monkeypatch):
    monkeypatch.setenv("RENCONTRES_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RENCONTRES_SMTP_SECURITY", "none")
    monkeypatch.setenv("RENCONTRES_SMTP_USER", "sandrine")
    monkeypatch.setenv("RENCONTRES_SMTP_PASSWORD", "s3cret-Pa55")
    run = send(cli_raw, club)
    assert run.exit_code == UsageError.exit_code
    assert "unencrypted" in run.stderr and "s3cret" not in run.stderr + run.stdout
    from rencontres.invite.smtp import SmtpSettings

    settings = SmtpSettings("h", 587, "starttls", "u", "s3cret-Pa55")
    assert "s3cret" not in repr(settings)


class SlowHandler(Handler):
    """Takes its time over each message, so that two runs of `send` overlap."""

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(0.4)
        return await super().handle_DATA(server, session, envelope)


def test_two_concurrent_sends_reach_each_attendee_once(club, smtp):
    """Two `send` at once (a cron job and the secretary, say): the second waits for the
    group's state (`records/<group>/.state.lock`), then finds everyone reached."""
    import os
    import subprocess
    import sys

    server = smtp(SlowHandler())
    argv = [sys.executable, "-m", "rencontres", "--records", str(club), "send", "club/2025-12-10"]
    runs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ)) for _ in range(2)]
    outs = [r.communicate(timeout=60) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outs
    assert sorted(server.recipients) == sorted(EVERYONE)  # one message each, not two
    assert sorted(to for to, *_ in deliveries(club)) == sorted(EVERYONE)
    assert any("not sent again" in out for out, _ in outs)
