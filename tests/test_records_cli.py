"""new, list, show, the global options, and the bad-input rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT, make_group, snapshot
from rencontres.cli import COMMANDS

PREVIOUS = '''\
date = 2026-01-15T14:00:00
title = "Synthèse"  # a comment the secretary wrote

[next]
date = 2026-03-05T18:30:00
venue = "Maison des associations"
address = "12, rue Longue"
'''


def test_every_command_has_help(cli):
    run = cli("--help")
    assert run.exit_code == 0
    commands = run.stdout.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in commands if line.strip()] == list(COMMANDS)
    for name in COMMANDS:
        run = cli(name, "--help")
        assert run.exit_code == 0
        text = run.stdout.split("\n\n")[1]  # after the usage line: the command's docstring
        assert text.strip() and not text.startswith(("Arguments:", "Options:")), \
            f"{name} has no help text"


def test_version(cli):
    from rencontres import __version__

    run = cli("--version")
    assert run.exit_code == 0 and run.stdout == f"rencontres {__version__}\n"


def test_help_imports_neither_icalendar_nor_markdown_it():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "rencontres", "--help"],
                          capture_output=True, text=True, env=env, check=True)
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()
                if line.startswith("import time:")}
    assert "typer" in imported  # the measurement sees imports at all
    assert not {m for m in imported if m.split(".")[0] in {"icalendar", "markdown_it"}}


# -- new -------------------------------------------------------------------------

def test_new_from_flags_writes_a_readable_record(cli, tmp_path):
    folder = make_group(tmp_path)
    run = cli("--records", tmp_path, "new", "g", "--no-input", "--date", "2026-01-15T14:00",
              "--venue", "Salle « A »", "--participant", "Ève Durand / Apeas <eve@example.org>",
              "--participant", "Bob", "--topic", "Budget 2026", "--topic", "Site",
              "--next", "2026-03-05T18:30", "--next-venue", "Chez Bob")
    assert run.exit_code == 0, run.stderr
    path = folder / "2026-01-15.toml"
    assert run.stdout.strip().endswith("g/2026-01-15.toml")
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["date"].isoformat() == "2026-01-15T14:00:00"
    assert data["venue"] == "Salle « A »"
    assert data["participants"] == [
        {"name": "Ève Durand", "organization": "Apeas", "email": "eve@example.org"},
        {"name": "Bob"}]
    assert [t["title"] for t in data["topics"]] == ["Budget 2026", "Site"]
    assert data["next"] == {"date": data["next"]["date"], "venue": "Chez Bob"}
    # pleasant to edit: tables as blocks, keys in the format's order
    assert "[[participants]]\nname = \"Ève Durand\"\norganization = \"Apeas\"" in text
    assert text.index("date =") < text.index("venue =") < text.index("[[participants]]") \
        < text.index("[[topics]]") < text.index("[next]")
    assert cli("--records", tmp_path, "check").exit_code == 0


def test_new_never_overwrites(cli, tmp_path):
    make_group(tmp_path, **{"2026-01-15": PREVIOUS})
    before = snapshot(tmp_path)
    run = cli("--records", tmp_path, "new", "--no-input", "--date", "2026-01-15")
    assert run.exit_code == 4
    assert "already exists" in run.stderr and run.stderr.count("\n") == 1
    assert snapshot(tmp_path) == before
    run = cli("--records", tmp_path, "new", "--no-input", "--date", "2026-01-15", "--same-day")
    assert run.exit_code == 0
    assert run.stdout.strip().endswith("2026-01-15-2.toml")


def test_new_takes_its_defaults_from_the_previous_next(cli, tmp_path):
    folder = make_group(tmp_path, **{"2026-01-15": PREVIOUS})
    run = cli("--records", tmp_path, "new", "--no-input")
    assert run.exit_code == 0, run.stderr
    data = tomllib.loads((folder / "2026-03-05.toml").read_text(encoding="utf-8"))
    assert data["date"].isoformat() == "2026-03-05T18:30:00"
    assert data["venue"] == "Maison des associations"
    assert data["address"] == "12, rue Longue"
    assert "# a comment the secretary wrote" in (folder / "2026-01-15.toml").read_text()


def test_new_interactive(cli, tmp_path):
    folder = make_group(tmp_path, **{"2026-01-15": PREVIOUS})
    answers = "\n".join([
        "",                      # date: the announced one
        "",                      # venue: the announced one
        "",                      # address: the announced one
        "",                      # no end time
        "",                      # no context
        "e",                     # Ann Member: excused
        "Zoé Martin / Place",    # another participant
        "",                      # done
        "Budget",                # a topic
        "",                      # no text
        "Adopted unanimously",   # a decision
        "",                      # no vote
        "",                      # no more decisions
        "",                      # no action
        "",                      # no more topics
        "2026-05-07T14:00",      # next meeting
        "Salle B",               # its venue
        "",                      # no address
        "",                      # no agenda item
        "w",                     # the review: write it
    ]) + "\n"
    run = cli("--records", tmp_path, "new", "--interactive", input=answers)
    assert run.exit_code == 0, run.stdout + run.stderr
    data = tomllib.loads((folder / "2026-03-05.toml").read_text(encoding="utf-8"))
    assert data["participants"] == [
        {"name": "Ann Member", "email": "ann@example.org", "attendance": "excused"},
        {"name": "Zoé Martin", "organization": "Place"}]
    assert data["topics"] == [{"title": "Budget", "decisions": ["Adopted unanimously"]}]
    assert data["next"]["venue"] == "Salle B"


def test_new_body_in_editor(cli, tmp_path, monkeypatch):
    folder = make_group(tmp_path)
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "First paragraph.\\n\\n- a *list*\\n" > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    answers = "\n".join(["", "", "Topic", "e", "", "", "", "", "", "w"]) + "\n"
    run = cli("--records", tmp_path, "new", "--interactive", "--date", "2026-01-15",
              "--venue", "", "--participant", "Ann Member", input=answers)
    assert run.exit_code == 0, run.stdout + run.stderr
    data = tomllib.loads((folder / "2026-01-15.toml").read_text(encoding="utf-8"))
    assert data["topics"][0]["body"] == "First paragraph.\n\n- a *list*\n"


@pytest.mark.parametrize("args,words", [
    (["--date", "2026-02-30"], "not a date"),
    (["--date", "2026-01-15", "--participant", "Eve <eve@>"], "not an e-mail address"),
    (["--date", "2026-01-15", "--venue", "a\nb"], "control character"),
    (["--date", "2026-01-15", "--next", "2026-03-01"], "the hour is missing"),
    (["--date", "2026-01-15", "--next", "2025-03-01T10:00"], "not after"),
    (["--date", "2026-01-15", "--topic", "T", "--decision", "Budget [pour quatre]"],
     "--decision 'Budget [pour quatre]': 'quatre' is not a number of votes"),
    (["--date", "2026-01-15", "--decision", "Budget [unanimité]"],
     "--decision 'Budget [unanimité]' comes before any --topic"),
    (["--date", "2026-01-15", "--review", "2026-01-01#1 : open"], "is no open action"),
    ([], "--date is required"),
])
def test_new_refuses_bad_values_and_writes_nothing(cli, tmp_path, args, words):
    make_group(tmp_path)
    before = snapshot(tmp_path)
    run = cli("--records", tmp_path, "new", "g", "--no-input", *args)
    assert run.exit_code != 0
    assert words in run.stderr and run.stderr.startswith("error: ")
    assert run.stderr.count("\n") == 1
    assert snapshot(tmp_path) == before


# -- list and show ----------------------------------------------------------------

def test_list_json(cli, records):
    run = cli("--records", records, "list", "--json")
    assert run.exit_code == 0
    rows = json.loads(run.stdout)
    third = next(r for r in rows if r["date"] == "2007-11-22")
    assert third == {"group": "ramsess", "date": "2007-11-22", "number": 3,
                     "title": "Synthèse de la 3ème rencontre",
                     "path": third["path"], "present": 8, "participants": third["participants"],
                     "next": "2008-01-16T14:00"}
    people = third["participants"]
    assert len(people) == 8 and {p["attendance"] for p in people} == {"present"}
    assert {"name": "Benjamin Borgue", "organization": "Intermade", "role": "stagiaire",
            "attendance": "present"} in people
    assert third["path"].endswith("ramsess/2007-11-22.toml")
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert {r["group"] for r in rows} == {"ramsess"}


def test_list_table(cli, records):
    run = cli("--records", records, "list", "ramsess")
    assert run.exit_code == 0
    line = next(x for x in run.stdout.splitlines() if x.startswith("2007-11-22"))
    assert "Synthèse de la 3ème rencontre" in line and "2008-01-16 14:00" in line
    assert line.split()[1] == "3"


def test_show(cli, records):
    for spec in ("ramsess/2007-11-22", "2007-11-22", str(records / "ramsess/2007-11-22.toml")):
        run = cli("--records", records, "show", spec)
        assert run.exit_code == 0, run.stderr
        out = run.stdout
        assert "Synthèse de la 3ème rencontre" in out
        assert "Présents (8)" in out and "Benjamin Borgue / stagiaire Intermade" in out
        assert "Prochaine rencontre : mercredi 16 janvier 2008 à 14h00" in out
        assert "3000 à 4000 euros" in out


def test_records_from_environment_and_cwd(cli, records, monkeypatch):
    monkeypatch.setenv("RENCONTRES_RECORDS", str(records))
    assert cli("show", "2007-11-22").exit_code == 0
    monkeypatch.delenv("RENCONTRES_RECORDS")
    monkeypatch.chdir(records / "ramsess")
    assert cli("show", "2007-11-22").exit_code == 0


# -- bad input: one line, non-zero, nothing touched ---------------------------------

BAD_COMMANDS = [
    ["show", "ramsess/2031-01-01"],
    ["show", "nogroup/2007-11-22"],
    ["show", "../x/2007-11-22"],
    ["show", "yesterday"],
    ["show", "broken/2026-01-15"],
    ["show", "latin1/2026-01-15"],
    ["list", "nogroup"],
    ["list", "../etc"],
    ["new", "ramsess", "--no-input", "--date", "2007-11-22"],
    ["new", "../x", "--no-input", "--date", "2026-01-01"],
    ["new", "--no-input", "--date", "2026-01-01"],  # two groups: which one?
]


@pytest.mark.parametrize("args", BAD_COMMANDS, ids=[" ".join(a) for a in BAD_COMMANDS])
def test_bad_input_is_one_line_and_touches_nothing(cli, records, args):
    make_group(records, "broken", **{"2026-01-15": "date = 2026-01-15\ntitle = \"x\n"})
    (records / "latin1").mkdir()
    (records / "latin1" / "group.toml").write_text('name = "L"\n')
    (records / "latin1" / "2026-01-15.toml").write_bytes(b'date = 2026-01-15\ntitle = "\xe9"\n')
    before = snapshot(records.parent)
    run = cli("--records", records, *args)
    assert run.exit_code != 0
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert snapshot(records.parent) == before


def test_bad_record_names_file_and_line(cli, records):
    make_group(records, "broken", **{"2026-01-15": "date = 2026-01-15\ntitle = \"x\n"})
    run = cli("--records", records, "show", "broken/2026-01-15")
    assert run.exit_code == 1
    assert run.stderr.startswith("error: ")
    assert "broken/2026-01-15.toml:2: the text of 'title' has no closing quote" in run.stderr


def test_missing_records_folder(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = cli("list")
    assert run.exit_code == 3 and "no records/ folder" in run.stderr
    run = cli("--records", tmp_path / "nope", "list")
    assert run.exit_code == 3 and "nope: no such records folder" in run.stderr


def test_new_refuses_an_existing_date_before_asking_anything_else(cli, records):
    run = cli("--records", records, "new", "ramsess", "--interactive", input="2007-11-22\n")
    assert run.exit_code == 4
    assert "2007-11-22.toml: already exists" in run.stderr
    assert "Venue" not in run.stdout  # no question asked in vain


def test_new_takes_place_from_the_record_that_announced_it(cli, tmp_path):
    folder = make_group(tmp_path, **{"2026-01-15": PREVIOUS,
                                     "2026-02-01": "date = 2026-02-01\n"})  # latest, no [next]
    run = cli("--records", tmp_path, "new", "--no-input", "--date", "2026-03-05T18:30")
    assert run.exit_code == 0, run.stderr
    data = tomllib.loads((folder / "2026-03-05.toml").read_text(encoding="utf-8"))
    assert (data["venue"], data["address"]) == ("Maison des associations", "12, rue Longue")
    run = cli("--records", tmp_path, "new", "--no-input")
    assert run.exit_code == 2 and "--date is required" in run.stderr


def test_a_group_folder_given_as_records_folder_is_named(cli, records):
    run = cli("--records", records / "ramsess", "list")
    assert run.exit_code == 2
    assert "a group folder, not a records folder" in run.stderr and str(records) in run.stderr


def test_new_completes_a_stub_from_flags_keeping_its_comments(cli, records):
    path = records / "ramsess" / "2008-01-16.toml"
    stub = path.read_text(encoding="utf-8")
    run = cli("--records", records, "new", "ramsess", "--no-input", "--date", "2008-01-16T14:00",
              "--participant", "Sandrine Delrieu / LaPlateforme", "--topic", "Support commun",
              "--action", "Sandrine Delrieu : envoyer la maquette [2008-02-20]",
              "--topic", "Divers", "--context", "Deuxième séance.", "--end", "16:30")
    assert run.exit_code == 0, run.stderr
    assert "completed the stub" in run.stderr
    text = path.read_text(encoding="utf-8")
    assert text.startswith(stub.replace("date = 2008-01-16\n", "date = 2008-01-16T14:00:00\n"))
    data = tomllib.loads(text)
    assert data["number"] == 4 and data["context"] == "Deuxième séance."
    assert data["end"].isoformat() == "16:30:00"
    titles = [t["title"] for t in data["topics"]]
    assert titles == ["Suivi des actions", "Support commun", "Divers"]  # open actions first
    assert [a["follows"] for a in data["topics"][0]["actions"]] == [
        "2007-11-22#1", "2007-11-22#2", "2007-11-22#3"]
    assert data["topics"][1]["actions"] == [{"owner": "Sandrine Delrieu",
                                             "task": "envoyer la maquette",
                                             "due": data["topics"][1]["actions"][0]["due"]}]
    assert "actions" not in data["topics"][2]
    assert cli("--records", records, "check").exit_code == 0


def test_new_force_keeps_the_replaced_text_beside_it(cli, records):
    path = records / "ramsess" / "2007-11-22.toml"
    original = path.read_bytes()
    run = cli("--records", records, "new", "ramsess", "--no-input", "--date", "2007-11-22",
              "--force")
    assert run.exit_code == 0, run.stderr
    kept = records / "ramsess" / "2007-11-22.toml.replaced"
    assert f"its previous text is in {kept}" in run.stderr or "2007-11-22.toml.replaced" in run.stderr
    assert kept.read_bytes() == original
    assert cli("--records", records, "new", "ramsess", "--no-input", "--date", "2007-11-22",
               "--force").exit_code == 0
    assert (records / "ramsess" / "2007-11-22.toml.replaced-2").is_file()
    assert kept.read_bytes() == original  # never overwritten


def test_an_action_before_any_topic_is_refused(cli, records):
    run = cli("--records", records, "new", "ramsess", "--no-input", "--date", "2009-03-01",
              "--action", "Bob : x", "--topic", "T")
    assert run.exit_code == 2 and "comes before any --topic" in run.stderr


def test_the_command_list_reads_at_80_columns_in_the_order_a_secretary_works(cli,
                                                                             monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    run = cli("-h")
    assert run.exit_code == 0
    commands = run.stdout.split("Commands:\n", 1)[1].splitlines()
    names = [line.split()[0] for line in commands if line.strip()]
    assert names[:6] == ["new", "init", "edit", "check", "list", "show"]
    assert all(len(line) <= 80 and not line.rstrip().endswith("...") for line in commands)
    assert cli("new", "-h").stdout.startswith("Usage: rencontres new")


def test_show_speaks_the_group_s_language(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    run = cli("--records", ROOT / "records", "show", "ramsess/2007-11-22")
    assert run.exit_code == 0, run.stderr
    text = run.stdout
    assert "jeudi 22 novembre 2007" in text and "Présents (8) : Marie-ange Favre" in text
    assert "Prochaine rencontre : mercredi 16 janvier 2008 à 14h00" in text
    assert "(pour le 16 janvier 2008)" in text and "Thursday" not in text
    # decisions wrap with a hanging indent, never back to column 0
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  décision La trame"))
    assert lines[start + 1].startswith(" " * 11)
    english = cli("--records", ROOT / "records", "show", "ramsess/2007-11-22", "--lang", "en")
    assert "Thursday 22 November 2007" in english.stdout and "Present (8): " in english.stdout


USAGE_ERRORS = [  # what typer raises, in our words (cli/framework.py), English then French
    (["--nope"], "error: no such option: --nope; see `rencontres -h`",
     "erreur : option inconnue : --nope ; voir `rencontres -h`"),
    (["list", "--jsn"], "error: no such option: --jsn (did you mean --json?); see "
     "`rencontres list -h`", "erreur : option inconnue : --jsn (vouliez-vous dire --json ?) ; "
     "voir `rencontres list -h`"),
    (["render", "ramsess/2007-11-22", "-f", "pdf"],
     "error: --format 'pdf': not one of markdown, spip, html; see `rencontres render -h`",
     "erreur : --format 'pdf' : n’est pas l’un de markdown, spip, html ; voir "
     "`rencontres render -h`"),
    (["lsit"], "error: no such command 'lsit' (did you mean 'list'?); see `rencontres -h`",
     "erreur : commande inconnue : 'lsit' (vouliez-vous dire 'list' ?) ; voir `rencontres -h`"),
    (["show"], "error: missing argument RECORD; see `rencontres show -h`",
     "erreur : il manque l’argument FICHE ; voir `rencontres show -h`"),
    (["render", "--format"], "error: --format needs a value; see `rencontres render -h`",
     "erreur : --format attend une valeur ; voir `rencontres render -h`"),
    (["list", "--json=yes"], "error: --json takes no value; see `rencontres list -h`",
     "erreur : --json ne prend pas de valeur ; voir `rencontres list -h`"),
    (["attendance", "--year", "deux"], "error: --year 'deux': not a whole number; see "
     "`rencontres attendance -h`", "erreur : --year 'deux' : pas un nombre entier ; voir "
     "`rencontres attendance -h`"),
    (["attendance", "--year", "1200"], "error: --year 1200: too small (at least 1900); see "
     "`rencontres attendance -h`", "erreur : --year 1200 : trop petit (au moins 1900) ; voir "
     "`rencontres attendance -h`"),
    (["serve", "--port", "99999"], "error: --port 99999: too large (at most 65535); see "
     "`rencontres serve -h`", "erreur : --port 99999 : trop grand (au plus 65535) ; voir "
     "`rencontres serve -h`"),
    (["list", "a", "b"], "error: one argument too many: b; see `rencontres list -h`",
     "erreur : un argument de trop : b ; voir `rencontres list -h`"),
    (["list", "a", "b", "c"], "error: 2 arguments too many: b c; see `rencontres list -h`",
     "erreur : 2 arguments de trop : b c ; voir `rencontres list -h`"),
]


@pytest.mark.parametrize("args,words", [(a, en) for a, en, fr in USAGE_ERRORS])
def test_the_framework_s_errors_speak_in_our_voice(cli, records, args, words):
    run = cli("--records", records, *args)
    assert run.exit_code == 2
    assert run.stderr == words + "\n"


def test_a_date_as_people_write_it_names_the_record(cli, records):
    run = cli("--records", records, "show", "22/11/2007")
    assert run.exit_code == 0, run.stderr
    assert "Synthèse de la 3ème rencontre" in run.stdout


def test_init_starts_a_group_that_passes_check(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no records folder yet: init makes ./records
    run = cli("init", "atelier", "--no-input", "--name", "Atelier d'essai",
              "--organizer", "Claire <claire@example.org>",
              "--member", "Ann Martin / Apeas <ann@example.org>")
    assert run.exit_code == 0, run.stderr
    path = tmp_path / "records" / "atelier" / "group.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["name"] == "Atelier d'essai" and data["organizer"]["email"] == "claire@example.org"
    assert data["members"] == [{"name": "Ann Martin", "organization": "Apeas",
                                "email": "ann@example.org"}]
    assert "# approve_minutes = true" in path.read_text(encoding="utf-8")  # commented
    check = cli("check")
    assert check.exit_code == 0 and "0 errors, 0 warnings" in check.stderr
    before = path.read_bytes()
    again = cli("init", "atelier", "--no-input")
    assert again.exit_code == 4 and "already exists, left untouched" in again.stderr
    assert path.read_bytes() == before
    new = cli("new", "atelier", "--no-input", "--date", "2026-01-15T14:00")
    assert new.exit_code == 0, new.stderr


def test_init_by_prompts_asks_again_after_a_bad_answer(cli, tmp_path):
    answers = "\n".join(["Club", "de", "en", "Mars/Olympus", "America/New_York",
                         "Ann", "Ann <ann@example.org>", "Bob / Place", ""]) + "\n"
    run = cli("--records", tmp_path, "init", "club", "--interactive", input=answers)
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "organizer 'Ann': no e-mail address" in run.stdout + run.stderr  # asked again
    data = tomllib.loads((tmp_path / "club" / "group.toml").read_text(encoding="utf-8"))
    assert (data["language"], data["timezone"]) == ("en", "America/New_York")
    assert data["organizer"] == {"name": "Ann", "email": "ann@example.org"}
    assert data["members"] == [{"name": "Bob", "organization": "Place"}]


@pytest.mark.parametrize("args,words", [
    (["Bad Name"], "not a group name"),
    (["g", "--timezone", "Mars/Olympus"], "not a time zone"),
    (["g", "--organizer", "Claire"], "no e-mail address"),
])
def test_init_refuses_bad_values(cli, tmp_path, args, words):
    run = cli("--records", tmp_path, "init", *args, "--no-input")
    assert run.exit_code == 2 and words in run.stderr
    assert not any(tmp_path.iterdir())


def test_every_command_s_help_is_in_words_with_an_example_within_80_columns(cli, monkeypatch):
    import re

    monkeypatch.setenv("COLUMNS", "80")
    for name in COMMANDS:
        run = cli(name, "-h")
        assert run.exit_code == 0, name
        # Options in words; an argument has its word too, then its type (`RECORD <str>`):
        # typer ≥ 0.27 prints it, and no public parameter leaves it out.
        options = run.stdout.split("Options:\n", 1)[1]
        assert not re.search(r"<(?:str|int|float|bool|path|list|int range)[^>]*>", options), \
            (name, run.stdout)
        assert re.search(r"^  [A-Z]+ <", run.stdout, re.M) or "Arguments:" not in run.stdout, name
        assert "Example: rencontres " + name in run.stdout, name
        assert max(len(line) for line in run.stdout.splitlines()) <= 80, name


def test_list_piped_is_one_line_per_meeting_never_padded(cli, records, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")  # narrow: a terminal table would wrap the titles
    run = cli("--records", records, "list")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["date", "n°", "titre", "présents", "prochaine"]  # a French group
    assert len(lines) == 1 + 13  # one line per record, none wrapped
    assert all(line == line.rstrip() for line in lines)
    third = next(line for line in lines if line.startswith("2007-11-22"))
    assert third.split("  ")[-1] == "2008-01-16 14:00"  # one date format throughout
    english = cli("--records", records, "list", "--lang", "en").stdout.splitlines()
    assert english[0].split() == ["date", "no.", "title", "present", "next"]


def test_actions_and_attendance_piped_never_wrap_nor_pad(cli, records, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    for args, heads in ((["actions"], "responsable action décidée le échéance état"),
                        (["actions", "--lang", "en"], "owner action decided due status"),
                        (["attendance"], "nom présents excusés absents"),
                        (["attendance", "--lang", "en"], "name present excused absent")):
        run = cli("--records", records, *args)
        assert run.exit_code == 0, run.stderr
        lines = run.stdout.splitlines()
        assert heads in [" ".join(line.split()) for line in lines], args
        assert all(line == line.rstrip() for line in lines), args
    lines = cli("--records", records, "actions").stdout.splitlines()
    assert len(lines) == 1 + 3  # the seed's three open actions, one line each
    assert lines[1].startswith("Sandrine Delrieu  Travailler sur une première proposition")


def test_records_after_the_command_and_a_records_folder_of_any_name(cli, records, monkeypatch):
    minutes = records.rename(records.parent / "comptes-rendus")  # not named records/
    monkeypatch.chdir(minutes.parent)
    assert cli("list", "--records", minutes).stdout == cli("--records", minutes, "list").stdout
    for where in (minutes, minutes / "ramsess"):  # inside it, or inside one of its groups
        monkeypatch.chdir(where)
        run = cli("show", "ramsess/2007-11-22")
        assert run.exit_code == 0 and "Présents (8)" in run.stdout, (where, run.stderr)


def test_build_and_render_errors_name_paths_as_typed(cli, records, monkeypatch, tmp_path):
    (records / "ramsess" / "2010-01-01.toml").write_text("date = 2007-13-01\n", encoding="utf-8")
    monkeypatch.chdir(records / "ramsess")  # found from inside the group, paths relative to it
    for args in (["build", "-o", tmp_path / "site"], ["render", "2010-01-01"], ["check"]):
        run = cli(*args)
        assert run.exit_code != 0, args
        said = run.stdout + run.stderr  # check: problems on stdout, the rest on stderr
        assert said.startswith(("2010-01-01.toml:1: ", "error: 2010-01-01.toml:1: ")), (args, said)
        assert str(records) not in said, args
