"""send --minutes and remind (issue 25): one message per person, their own open actions first,
never sent twice, delivered to a real SMTP server (aiosmtpd on 127.0.0.1) and read back with
Python's email package."""

from __future__ import annotations

import email
import tomllib
from email.policy import default
from pathlib import Path

import pytest

from rencontres.core.errors import DeliveryError
from test_send import Handler
from test_send import smtp as smtp  # noqa: F401 (the fixture)

GROUP = """name = "Atelier vélo"
language = "fr"
timezone = "Europe/Paris"

[organizer]
name = "Sandrine Delrieu"
email = "sandrine@example.org"

[[members]]
name = "Hélène Laude"
email = "helene@example.org"

[[members]]
name = "Paul Martin"
email = "Paul.Martin@example.org"

[[members]]
name = "Jo Sans-Adresse"
"""
MEETING = """date = 2026-01-08T18:00:00

[[participants]]
name = "Hélène Laude"

[[participants]]
name = "Paul Martin"

[[participants]]
name = "Zoé Invitée"
email = "zoe@example.org"

[[topics]]
title = "Atelier du samedi"
body = "Le local est trouvé."

[[topics.actions]]
owner = "Hélène Laude"
task = "Réserver le local"
due = 2026-02-05

[[topics.actions]]
owner = "Paul Martin"
task = "Acheter des chambres à air"
due = 2026-03-01

[[topics.actions]]
owner = "Jo Sans-Adresse"
task = "Faire l’affiche"

[next]
date = 2026-02-12T18:00:00
venue = "Le local"
agenda = ["Bilan de l’atelier", "Budget"]
"""
HELENE, PAUL, ZOE = "helene@example.org", "Paul.Martin@example.org", "zoe@example.org"


@pytest.fixture
def atelier(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "records"
    (root / "velo").mkdir(parents=True)
    (root / "velo" / "group.toml").write_text(GROUP, encoding="utf-8")
    (root / "velo" / "2026-01-08.toml").write_text(MEETING, encoding="utf-8")
    monkeypatch.setenv("RENCONTRES_NOW", "2026-01-20T08:00:00Z")
    for name in ("RENCONTRES_SMTP_HOST", "RENCONTRES_SMTP_PORT", "RENCONTRES_SMTP_SECURITY"):
        monkeypatch.delenv(name, raising=False)
    return root


def _state(root: Path) -> dict:
    path = root / "velo" / "state.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _parts(msg) -> tuple[str, str]:
    assert msg.get_content_type() == "multipart/alternative"
    text, html = msg.iter_parts()
    assert text.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    return text.get_content(), html.get_content()


def _by_recipient(server) -> dict:
    return {rcpt[0]: msg for _, rcpt, msg in server.received}


def test_the_minutes_go_to_each_person_once_with_their_own_actions_first(cli, atelier, smtp):
    server = smtp(Handler())
    run = cli("--records", atelier, "send", "velo/2026-01-08", "--minutes")
    assert run.exit_code == 0, run.stderr
    assert "not sent: Jo Sans-Adresse (no e-mail address)" in run.stderr
    got = _by_recipient(server)
    assert sorted(got) == sorted([HELENE, PAUL, ZOE])  # participants and members, once each
    text, html = _parts(got[HELENE])
    assert got[HELENE]["Subject"] == "Atelier vélo — Synthèse de la 1ère rencontre " \
                                     "(8 janvier 2026)"
    mine = text[text.index("## Vos actions en cours"):text.index("**Synthèse de la rencontre")]
    assert "Réserver le local (pour le 5 février 2026, décidée le 8 janvier 2026)" in mine
    assert "chambres à air" not in mine  # Paul's, not hers
    assert "Réserver le local" in html and "Vos actions en cours" in html
    assert "Le local est trouvé." in text  # the synthesis itself follows
    zoe_text, _ = _parts(got[ZOE])
    assert "Vos actions en cours" not in zoe_text  # she owns none
    assert sorted(e["to"] for e in _state(atelier)["minutes"]) == sorted([HELENE, PAUL, ZOE])

    again = cli("--records", atelier, "send", "velo/2026-01-08", "--minutes")
    assert again.exit_code == 0 and len(server.received) == 3  # never twice
    assert "not sent again (--resend sends them again)" in again.stdout
    resent = cli("--records", atelier, "send", "velo/2026-01-08", "--minutes", "--resend")
    assert resent.exit_code == 0 and len(server.received) == 6


def test_a_refused_recipient_is_the_only_one_sent_again(cli, atelier, smtp):
    server = smtp(Handler(refuse={PAUL}))
    run = cli("--records", atelier, "send", "velo/2026-01-08", "--minutes")
    assert run.exit_code == DeliveryError.exit_code
    assert run.stderr.splitlines()[-1] == (
        f"error: not reached: {PAUL} (refused by the server: 550 5.1.1 mailbox unavailable); "
        "run the same command again to send to them only")
    assert sorted(e["to"] for e in _state(atelier)["minutes"]) == sorted([HELENE, ZOE])
    server = smtp(Handler())
    assert cli("--records", atelier, "send", "velo/2026-01-08", "--minutes").exit_code == 0
    assert [rcpt for _, rcpt, _ in server.received] == [[PAUL]]


def test_remind_before_the_meeting_each_owner_once(cli, atelier, smtp, monkeypatch):
    server = smtp(Handler())
    # 20 January: the meeting (12 February) and Hélène's due date (5 February) are further
    # than 7 days: nothing yet
    run = cli("--records", atelier, "remind", "velo")
    assert run.exit_code == 0 and server.received == []
    monkeypatch.setenv("RENCONTRES_NOW", "2026-01-30T08:00:00Z")  # her due date in 6 days
    run = cli("--records", atelier, "remind", "velo")
    assert run.exit_code == 0, run.stderr
    assert [rcpt for _, rcpt, _ in server.received] == [[HELENE]]
    monkeypatch.setenv("RENCONTRES_NOW", "2026-02-06T08:00:00Z")  # the meeting in 6 days
    run = cli("--records", atelier, "remind", "velo")
    assert run.exit_code == 0, run.stderr
    assert "not reached" not in run.stderr
    assert "not reminded: Jo Sans-Adresse (1 open action(s); no e-mail address)" in run.stderr
    got = [(rcpt[0], msg) for _, rcpt, msg in server.received[1:]]
    assert sorted(to for to, _ in got) == sorted([HELENE, PAUL])  # owners only, once each
    paul = dict(got)[PAUL]
    assert paul["Subject"] == "Rappel : Atelier vélo — vos actions avant la rencontre du " \
                              "12 février 2026"
    text, _ = _parts(paul)
    assert text.index("Acheter des chambres à air") < text.index("Ordre du jour")
    assert "Réserver le local" not in text.split("Ordre du jour")[0]  # hers, in the agenda only
    assert "Bilan de l’atelier" in text and "Budget" in text  # the whole agenda
    # the same day, the next day: nothing again
    assert cli("--records", atelier, "remind", "velo", "-q").stdout == ""
    monkeypatch.setenv("RENCONTRES_NOW", "2026-02-07T08:00:00Z")
    assert cli("--records", atelier, "remind", "velo", "-q").exit_code == 0
    assert len(server.received) == 3
    abouts = sorted(e["about"] for e in _state(atelier)["reminders"])
    assert abouts == ["due 2026-02-05 2026-01-08#1", "meeting 2026-02-12", "meeting 2026-02-12"]


def test_remind_dry_run_writes_the_messages(cli, atelier, tmp_path, monkeypatch):
    monkeypatch.setenv("RENCONTRES_NOW", "2026-02-06T08:00:00Z")
    out = tmp_path / "out"
    out.mkdir()
    run = cli("--records", atelier, "remind", "--dry-run", out)
    assert run.exit_code == 0, run.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["helene@example.org.eml", "paul.martin@example.org.eml"]
    msg = email.message_from_bytes((out / names[1]).read_bytes(), policy=default)
    assert msg["To"].addresses[0].addr_spec == PAUL
    assert "reminders" not in _state(atelier)  # nothing was sent


def test_remind_days_must_be_days(cli, atelier):
    run = cli("--records", atelier, "remind", "--before", "soon")
    assert run.exit_code == 2 and "--before 'soon': not a number of days" in run.stderr


class Answering(Handler):
    """Answers `code` to one recipient, or takes `delay` s over one message."""

    def __init__(self, code: str = "", who: str = "", delay: float = 0.0):
        super().__init__()
        self.code, self.who, self.delay = code, who, delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.who and self.code:
            return self.code
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        if self.delay and envelope.rcpt_tos == [self.who]:
            await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize("fault", ["451 4.7.1 try again later", "554 5.7.1 rejected", "timeout"])
def test_a_fault_on_one_recipient_leaves_the_log_exact(cli, atelier, smtp, monkeypatch, fault):
    """The minutes go out in the order of the people (Hélène, Paul, Zoé); a fault on Paul's
    message: Hélène's is logged, Paul's is not, and the next run sends Paul's (and, after a
    timeout, Zoé's) only."""
    if fault == "timeout":
        server = smtp(Answering(who=PAUL, delay=3))
        monkeypatch.setenv("RENCONTRES_SMTP_TIMEOUT", "1")
    else:
        server = smtp(Answering(code=fault, who=PAUL))
    run = cli("--records", atelier, "send", "velo/2026-01-08", "--minutes")
    assert run.exit_code == DeliveryError.exit_code
    logged = sorted(e["to"] for e in _state(atelier)["minutes"])
    if fault == "timeout":
        assert logged == [HELENE]  # the round stops at the server that stopped answering
        assert "no answer from the server in time" in run.stderr
    else:
        assert logged == sorted([HELENE, ZOE])
        assert f"{PAUL} (refused by the server: {fault})" in run.stderr
    monkeypatch.delenv("RENCONTRES_SMTP_TIMEOUT", raising=False)
    server = smtp(Handler())
    assert cli("--records", atelier, "send", "velo/2026-01-08", "--minutes").exit_code == 0
    again = sorted(r for _, rcpt, _ in server.received for r in rcpt)
    assert again == sorted([PAUL] + ([ZOE] if fault == "timeout" else []))
    assert sorted(e["to"] for e in _state(atelier)["minutes"]) == sorted([HELENE, PAUL, ZOE])
