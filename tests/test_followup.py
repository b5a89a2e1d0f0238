"""Between meetings: actions, agenda, decisions register, attendance.

A small group built here: two meetings and an announced third, with an action that is
overdue, an action closed at the later meeting (by a follow-up naming it), a participant
excused then present, an organisation represented by two people, a decision with votes
and one unanimous.
"""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from icalendar import Calendar

from conftest import SHIPPED, make_group
from render_support import check_golden

GROUP = '''name = "Atelier d'essai"
approve_minutes = true

[organizer]
name = "Claire Secrétaire"
email = "claire@example.org"

[[members]]
name = "Ann Martin"
organization = "Apeas"
email = "ann@example.org"
'''

FIRST = '''date = 2026-01-15T14:00:00
venue = "Salle A"

[[participants]]
name = "Ann Martin"
organization = "Apeas"

[[participants]]
name = "Bob Durand"
organization = "Apeas"

[[participants]]
name = "Chloé Petit"
organization = "Essor13"
attendance = "excused"

[[topics]]
title = "Budget"
decisions = [
    { text = "Le budget 2026 est adopté.", for = 1, against = 1, abstain = 0 },
    { text = "La cotisation reste à 20 euros.", unanimous = true },
    "Un devis sera demandé.",
]

[[topics.actions]]
owner = "Ann Martin"
task = "Envoyer le budget aux adhérents"
due = 2026-02-01

[[topics.actions]]
owner = "Bob Durand"
task = "Réserver la salle"
due = 2026-03-01

[next]
date = 2026-02-05T18:30:00
venue = "Salle B"
'''

SECOND = '''date = 2026-02-05T18:30:00
venue = "Salle B"

[[participants]]
name = "Bob Durand"
organization = "Apeas"

[[participants]]
name = "Chloé Petit"
organization = "Essor13"

[[participants]]
name = "Ann Martin"
organization = "Apeas"
attendance = "absent"

[[participants]]
name = "Dan Roux"

[[topics]]
title = "Suivi des actions"

[[topics.actions]]
owner = "Bob Durand"
task = "Réserver la salle"
follows = "2026-01-15#2"
done = true
done_on = 2026-02-03

[[topics]]
title = "Local"
decisions = [{ text = "Le local sera partagé.", for = 2, against = 0, abstain = 1 }]

[next]
date = 2026-03-05T18:30:00
venue = "Maison des associations"
agenda = ["Budget 2026 : suivi", "Questions diverses"]
'''


@pytest.fixture
def atelier(tmp_path, monkeypatch):
    monkeypatch.setenv("RENCONTRES_NOW", "2026-02-20T09:00:00Z")
    root = tmp_path / "records"
    make_group(root, "atelier", group=GROUP, **{"2026-01-15": FIRST, "2026-02-05": SECOND})
    return root


def test_the_group_checks_clean(cli, atelier):
    run = cli("--records", atelier, "check")
    assert run.exit_code == 0, run.stdout
    assert "0 warnings" in run.stderr


# -- actions --------------------------------------------------------------------------------

def test_open_actions_leave_out_the_one_closed_at_a_later_meeting(cli, atelier):
    run = cli("--records", atelier, "actions", "--json")
    assert run.exit_code == 0, run.stderr
    rows = json.loads(run.stdout)
    assert [(r["owner"], r["task"], r["meeting"], r["due"], r["done"]) for r in rows] == [
        ("Ann Martin", "Envoyer le budget aux adhérents", "2026-01-15", "2026-02-01", False)]


def test_all_actions_count_a_followed_action_once_as_its_follow_up_says(cli, atelier):
    rows = json.loads(cli("--records", atelier, "actions", "--all", "--json").stdout)
    assert len(rows) == 2
    salle = next(r for r in rows if r["task"] == "Réserver la salle")
    assert salle["meeting"] == "2026-01-15"  # decided there
    assert salle["last_reviewed"] == "2026-02-05" and salle["ref"] == "2026-02-05#1"
    assert salle["done"] is True and salle["done_on"] == "2026-02-03"


def test_the_terminal_marks_overdue_actions_and_stays_within_80_columns(cli, atelier,
                                                                     monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    run = cli("--records", atelier, "actions", "--all")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["responsable", "action", "décidée", "le", "échéance", "état"]
    assert any("Ann Martin" in line and "en retard" in line for line in lines)
    assert any("Bob Durand" in line and "faite" in line for line in lines)
    assert max(len(line) for line in lines) <= 80


def test_owner_filter(cli, atelier):
    rows = json.loads(cli("--records", atelier, "actions", "--all", "--owner", "bob",
                          "--json").stdout)
    assert [r["owner"] for r in rows] == ["Bob Durand"]
    run = cli("--records", atelier, "actions", "--owner", "bob")
    assert run.stdout == "Aucune action ouverte.\n"


def test_a_follow_up_naming_no_action_is_an_error(cli, atelier):
    path = atelier / "atelier" / "2026-02-05.toml"
    path.write_text(SECOND.replace('follows = "2026-01-15#2"', 'follows = "2026-01-15#7"'))
    run = cli("--records", atelier, "check")
    assert run.exit_code == 1
    assert f"{path}:26: error: follows = \"2026-01-15#7\": no such action" in run.stdout
    assert cli("--records", atelier, "actions").exit_code == 1  # never a partial list


# -- agenda ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,ext", [("markdown", "md"), ("spip", "spip"), ("html", "html")])
def test_agenda_golden(cli, atelier, fmt, ext):
    run = cli("--records", atelier, "agenda", "atelier", "--format", fmt)
    assert run.exit_code == 0, run.stderr
    check_golden(f"agenda-atelier.{ext}", run.stdout.encode("utf-8"))


def test_agenda_order_approval_then_items_then_open_actions(cli, atelier):
    text = cli("--records", atelier, "agenda").stdout
    order = ["Ordre du jour de la 3ème rencontre", "jeudi 5 mars 2026 à 18h30",
             "1. Approbation de la synthèse de la rencontre du 5 février 2026",
             "2. Budget 2026 : suivi", "3. Questions diverses", "4. Suivi des actions",
             "Ann Martin", "Envoyer le budget aux adhérents (pour le 1er février 2026)"]
    at = [text.index(s) for s in order]
    assert at == sorted(at)
    assert "Réserver la salle" not in text  # closed


def test_the_invitation_carries_the_same_agenda(cli, atelier, tmp_path):
    out = tmp_path / "next.ics"
    assert cli("--records", atelier, "invite", "atelier/2026-02-05", "-o", out).exit_code == 0
    event = Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]
    description = str(event["DESCRIPTION"])
    for line in ("- Approbation de la synthèse de la rencontre du 5 février 2026",
                 "- Budget 2026 : suivi", "- Suivi des actions", "  - Ann Martin",
                 "    - Envoyer le budget aux adhérents (pour le 1er février 2026) — décidée le "
                 "15 janvier 2026"):
        assert line in description.splitlines(), description
    mail = tmp_path / "mail"
    mail.mkdir()
    assert cli("--records", atelier, "send", "atelier/2026-02-05", "--dry-run",
               mail).exit_code == 0
    import email
    from email.policy import default

    msg = email.message_from_bytes((mail / "ann@example.org.eml").read_bytes(), policy=default)
    text = msg.get_body(("plain",)).get_content()
    assert "    - Envoyer le budget aux adhérents (pour le 1er février 2026)" in text


# -- decisions ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,ext", [("markdown", "md"), ("spip", "spip"), ("html", "html"),
                                     ("csv", "csv")])
def test_decisions_golden(cli_raw, atelier, fmt, ext):
    run = cli_raw("--records", atelier, "decisions", "atelier", "--format", fmt)
    assert run.exit_code == 0, run.stderr
    check_golden(f"decisions-atelier.{ext}", run.stdout_bytes)


def test_decisions_say_the_vote_in_words(cli, atelier):
    text = cli("--records", atelier, "decisions").stdout
    assert "Le budget 2026 est adopté. (rejetée par 1 voix pour et 1 contre)" in text
    assert "La cotisation reste à 20 euros. (adoptée à l’unanimité)" in text
    assert "Le local sera partagé. (adoptée par 2 voix pour et 1 abstention)" in text
    english = cli("--records", atelier, "decisions", "--lang", "en").stdout
    assert "(adopted unanimously)" in english
    assert "(adopted by 2 votes for and 1 abstention)" in english
    synthesis = cli("--records", atelier, "render", "atelier/2026-01-15").stdout
    assert "adoptée à l’unanimité" in synthesis


def test_decisions_since(cli, atelier):
    text = cli("--records", atelier, "decisions", "--since", "2026-02-01").stdout
    assert "Le local sera partagé." in text and "cotisation" not in text


def test_the_csv_register_opens_in_a_spreadsheet(cli_raw, atelier):
    data = cli_raw("--records", atelier, "decisions", "-f", "csv").stdout_bytes
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 accents with a BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:3] == ["date", "sujet", "décision"]
    assert ["2026-02-05", "Local", "Le local sera partagé.", "2", "0", "1", "",
            "adoptée par 2 voix pour et 1 abstention"] in rows


@pytest.mark.parametrize("record,message", [
    ('{ text = "x", for = -1 }', "'topics[2].decisions[1].for' = -1 cannot be negative (write 0 or more)"),
    ('{ text = "x", for = "3" }',
     "must be a whole number of votes, not a string: write it without quotes, for = 3"),
    ('{ text = "x", unanimous = true, against = 2 }', "unanimous, yet with votes against"),
    ('{ for = 2 }', "missing required key 'text'"),
    ('3', "must be a string or a table"),
])
def test_check_validates_votes(cli, atelier, record, message):
    path = atelier / "atelier" / "2026-02-05.toml"
    path.write_text(SECOND.replace(
        'decisions = [{ text = "Le local sera partagé.", for = 2, against = 0, abstain = 1 }]',
        f"decisions = [{record}]"))
    run = cli("--records", atelier, "check")
    assert run.exit_code == 1 and message in run.stdout, run.stdout


def test_more_votes_than_people_present_is_a_warning(cli, atelier):
    path = atelier / "atelier" / "2026-02-05.toml"
    path.write_text(SECOND.replace("for = 2, against = 0, abstain = 1",
                                   "for = 5, against = 0, abstain = 1"))
    run = cli("--records", atelier, "check")
    assert run.exit_code == 0
    assert "warning: 6 votes, but 3 participants present" in run.stdout


# -- attendance -----------------------------------------------------------------------------

def test_attendance_per_person_organisation_and_meeting(cli_raw, atelier):
    data = cli_raw("--records", atelier, "attendance", "-f", "csv").stdout_bytes
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["type", "nom", "présents", "excusés", "absents",
                       "organisations présentes"]
    table = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert table["personne", "Chloé Petit"][:3] == ["1", "1", "0"]  # excused, then present
    assert table["personne", "Ann Martin"][:3] == ["1", "0", "1"]
    # Apeas sent two people to the first meeting: one meeting, not two
    assert table["organisation", "Apeas"][:3] == ["2", "0", "0"]
    assert table["organisation", "Essor13"][:3] == ["1", "1", "0"]
    assert table["rencontre", "2026-01-15"] == ["2", "", "", "1"]
    assert table["rencontre", "2026-02-05"] == ["3", "", "", "2"]


def test_attendance_by_year_and_in_the_terminal(cli, atelier, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    run = cli("--records", atelier, "attendance", "--year", "2025")
    assert run.exit_code == 0 and "Chloé" not in run.stdout
    run = cli("--records", atelier, "attendance")
    assert "Chloé Petit" in run.stdout and "Organisations" in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    md = cli("--records", atelier, "attendance", "-f", "markdown").stdout
    assert "| Chloé Petit | 1 | 1 | 0 |" in md


# -- the shipped records ----------------------------------------------------------------------

def test_shipped_open_actions_and_closing_one(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("RENCONTRES_NOW", "2026-01-01T00:00:00Z")
    records = tmp_path / "records"
    shutil.copytree(SHIPPED, records)
    rows = json.loads(cli("--records", records, "actions", "--open", "--json").stdout)
    assert [r["owner"] for r in rows] == ["Sandrine Delrieu", "", "Philippe Oswald"]
    agenda = cli("--records", records, "agenda", "--after", "ramsess/2007-11-22").stdout
    assert "Transmettre le Projet 2008" in agenda
    path = records / "ramsess" / "2007-11-22.toml"
    text = path.read_text(encoding="utf-8")
    marker = 'task = "Transmettre le Projet 2008'
    path.write_text(text.replace(marker, "done = true\n" + marker), encoding="utf-8")
    assert cli("--records", records, "check").exit_code == 0
    rows = json.loads(cli("--records", records, "actions", "--open", "--json").stdout)
    assert [r["owner"] for r in rows] == ["Sandrine Delrieu", ""]
    agenda = cli("--records", records, "agenda", "--after", "ramsess/2007-11-22").stdout
    assert "Transmettre le Projet 2008" not in agenda


def _chains_as_first_written(records):
    """The chains as followup._chains first computed them: every action's ref looked up."""
    place, order = {}, []
    for i, (stem, _, _, actions) in enumerate(records):
        for n, (target, is_open) in enumerate(actions, start=1):
            r = f"{stem}#{n}"
            if target and target in place:
                k = place[r] = place.pop(target)
                order[k] = (order[k][0], i, n, is_open)
            else:
                place[r] = len(order)
                order.append((i, i, n, is_open))
    return order


def test_chains_of_follow_ups_are_as_first_computed():
    """Follow-ups of earlier actions, of the same record, of no action, of one already taken
    over, and malformed: the chains (and so open actions and agendas) as before."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from rencontres.followup import _chains

    stems = ["2026-01-01", "2026-02-01", "2026-02-01-2", "2026-03-01"]
    target = st.one_of(st.just(""), st.builds(lambda s, n: f"{s}#{n}", st.sampled_from(stems),
                                              st.integers(0, 4)),
                       st.sampled_from(["2026-01-01#01", "#1", "2026-01-01#", "x#y"]))
    action = st.tuples(target, st.booleans())

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.lists(action, max_size=4), min_size=len(stems), max_size=len(stems)))
    def check(per_record):
        records = [(s, "meeting", None, tuple(a)) for s, a in zip(stems, per_record, strict=True)]
        first = _chains_as_first_written(records)
        assert _chains(records) == first
        assert [c for c in _chains(records, open_only=True) if c[3]] == [c for c in first if c[3]]

    check()
