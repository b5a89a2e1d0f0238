"""Issue 21, the record's content: decisions with their vote at entry, an open action kept
open with a new due date and a progress note, a [next] whose date is to be set.

Each is written by `new --no-input`, read back by `check`, and looked at as a user does:
`decisions`, `agenda`, `show`, the three syntheses; `invite` refuses a meeting with no date.
"""

from __future__ import annotations

import tomllib

import pytest

from conftest import make_group, snapshot
from rencontres.core.errors import BadDecision, BadReview, BadVote
from rencontres.entry.input import parse_decision, parse_review, parse_vote

GROUP = '''name = "Atelier"
language = "{lang}"
[organizer]
name = "Org"
email = "org@example.org"
[[members]]
name = "Ann Member"
email = "ann@example.org"
'''

PREVIOUS = '''date = 2009-02-17T14:00:00
[[participants]]
name = "Ann Member"
[[topics]]
title = "Support"
[[topics.actions]]
owner = "Ann Member"
task = "Envoyer la maquette"
due = 2009-03-01
[next]
date = 2009-03-24T14:00:00
venue = "Energie Alternative"
'''

FLAGS = ["--participant", "Ann Member", "--participant", "Bob / X", "--participant", "Cid",
         "--participant", "Dan", "--participant", "Eve",
         "--topic", "Budget",
         "--decision", "Adopter le budget [pour 4, contre 0, abstention 1]",
         "--decision", "Renouveler le bureau [unanimité]",
         "--topic", "Site",
         "--decision", "Publish the minutes [for 3, against 2]",
         "--decision", "Sans vote",
         "--review", "2009-02-17#1 : open [15/04/2009] maquette à moitié faite",
         "--agenda", "Support commun : suite", "--next-venue", "LaPlateforme"]


def _written(cli, tmp_path, lang="fr"):
    """The meeting of 2009-03-24 (the date the previous record announced), from flags."""
    folder = make_group(tmp_path, group=GROUP.format(lang=lang), **{"2009-02-17": PREVIOUS})
    run = cli("--records", tmp_path, "new", "g", "--no-input", *FLAGS)
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""
    return folder / "2009-03-24.toml"


def test_new_writes_votes_a_kept_action_and_a_next_without_date(cli, tmp_path):
    path = _written(cli, tmp_path)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    review, budget, site = data["topics"]
    assert budget["decisions"] == [
        {"text": "Adopter le budget", "for": 4, "against": 0, "abstain": 1},
        {"text": "Renouveler le bureau", "unanimous": True}]
    assert site["decisions"] == [{"text": "Publish the minutes", "for": 3, "against": 2},
                                 "Sans vote"]
    assert review["title"] == "Suivi des actions"
    assert review["actions"] == [{"owner": "Ann Member", "task": "Envoyer la maquette",
                                  "due": review["actions"][0]["due"],
                                  "follows": "2009-02-17#1",
                                  "note": "maquette à moitié faite"}]
    assert review["actions"][0]["due"].isoformat() == "2009-04-15"
    assert data["next"] == {"venue": "LaPlateforme", "agenda": ["Support commun : suite"]}
    check = cli("--records", tmp_path, "check")
    assert check.exit_code == 0 and "0 errors, 0 warnings" in check.stderr, check.stderr


def test_what_a_user_sees_in_french(cli, tmp_path):
    _written(cli, tmp_path)
    run = cli("--records", tmp_path, "decisions")
    assert run.exit_code == 0
    assert "- Adopter le budget (adoptée par 4 voix pour et 1 abstention)" in run.stdout
    assert "- Renouveler le bureau (adoptée à l’unanimité)" in run.stdout
    assert "- Publish the minutes (adoptée par 3 voix pour et 2 contre)" in run.stdout
    assert "- Sans vote\n" in run.stdout

    run = cli("--records", tmp_path, "agenda", "g")
    assert run.exit_code == 0
    assert "Prochaine rencontre : date à fixer, dans les locaux de LaPlateforme." in run.stdout
    assert "1. Support commun : suite" in run.stdout
    assert ("Envoyer la maquette (pour le 15 avril 2009) — point d’étape : maquette à moitié "
            "faite") in run.stdout

    run = cli("--records", tmp_path, "show", "g/2009-03-24")
    assert run.exit_code == 0
    shown = " ".join(run.stdout.split())
    assert "Prochaine rencontre : date à fixer — LaPlateforme" in shown
    assert "décision Adopter le budget (adoptée par 4 voix pour et 1 abstention)" in shown
    assert ("action Ann Member : Envoyer la maquette (pour le 15 avril 2009) — point d’étape : "
            "maquette à moitié faite") in shown

    expected = {
        "markdown": ["- Adopter le budget (adoptée par 4 voix pour et 1 abstention)",
                     "- Renouveler le bureau (adoptée à l’unanimité)",
                     "- Ann Member : Envoyer la maquette (pour le 15 avril 2009) — point "
                     "d’étape : maquette à moitié faite",
                     "Prochaine rencontre : date à fixer, dans les locaux de LaPlateforme.",
                     "- Support commun : suite"],
        "spip": ["-* Adopter le budget (adoptée par 4 voix pour et 1 abstention)",
                 "-* Renouveler le bureau (adoptée à l’unanimité)",
                 "-* Ann Member : Envoyer la maquette (pour le 15 avril 2009) — point "
                 "d’étape : maquette à moitié faite",
                 "Prochaine rencontre : date à fixer, dans les locaux de LaPlateforme.",
                 "-* Support commun : suite"],
        "html": ["<li>Adopter le budget (adoptée par 4 voix pour et 1 abstention)</li>",
                 "<li>Renouveler le bureau (adoptée à l’unanimité)</li>",
                 "<li>Ann Member : Envoyer la maquette (pour le 15 avril 2009) — point "
                 "d’étape : maquette à moitié faite</li>",
                 "<p>Prochaine rencontre : date à fixer, dans les locaux de LaPlateforme.</p>",
                 "<li>Support commun : suite</li>"],
    }
    for fmt, lines in expected.items():
        run = cli("--records", tmp_path, "render", "g/2009-03-24", "--format", fmt)
        assert run.exit_code == 0, run.stderr
        for line in lines:
            assert line in run.stdout, (fmt, line)


def test_what_a_user_sees_in_english(cli, tmp_path):
    _written(cli, tmp_path, lang="en")
    run = cli("--records", tmp_path, "decisions")
    assert "- Adopter le budget (adopted by 4 votes for and 1 abstention)" in run.stdout
    assert "- Renouveler le bureau (adopted unanimously)" in run.stdout
    run = cli("--records", tmp_path, "agenda", "g")
    assert "Next meeting: date to be set, at LaPlateforme." in run.stdout
    assert "(by 15 April 2009) — progress: maquette à moitié faite" in run.stdout
    run = cli("--records", tmp_path, "show", "g/2009-03-24")
    assert "Next meeting: date to be set — LaPlateforme" in " ".join(run.stdout.split())
    run = cli("--records", tmp_path, "render", "g/2009-03-24")
    assert "Next meeting: date to be set, at LaPlateforme." in run.stdout
    assert "- Ann Member: Envoyer la maquette (by 15 April 2009) — progress: maquette à moitié " \
           "faite" in run.stdout


def test_invite_and_send_refuse_a_next_meeting_without_date(cli, tmp_path, tmp_path_factory):
    _written(cli, tmp_path)
    out = tmp_path_factory.mktemp("out")
    before = snapshot(tmp_path)
    for command in (["invite"], ["send", "--dry-run", str(out)]):
        run = cli("--records", tmp_path, *command[:1], "g/2009-03-24", *command[1:])
        assert run.exit_code == 2, run.stderr
        assert run.stderr == ("error: g/2009-03-24: the next meeting's date is to be set, so "
                              "there is nothing to invite to yet; write its date in [next] "
                              "(`rencontres edit g/2009-03-24`) once it is known\n")
    assert snapshot(tmp_path) == before and not any(out.iterdir())
    run = cli("--records", tmp_path, "calendar", "g")  # the feed leaves it out
    assert run.exit_code == 0 and run.stdout.count("BEGIN:VEVENT") == 2


HAND_WRITTEN = '''date = 2009-03-24T14:00:00
[next]
venue = "LaPlateforme"
note = "Un sondage est en cours pour la date."
agenda = ["Support commun"]
'''


def test_a_hand_written_next_without_date(cli, tmp_path):
    make_group(tmp_path, group=GROUP.format(lang="fr"), **{"2009-03-24": HAND_WRITTEN})
    check = cli("--records", tmp_path, "check")
    assert check.exit_code == 0 and "0 errors" in check.stderr
    run = cli("--records", tmp_path, "render", "g/2009-03-24")
    assert "## Prochaine rencontre\n\nProchaine rencontre : date à fixer, dans les locaux de " \
           "LaPlateforme.\n\nUn sondage est en cours pour la date." in run.stdout
    run = cli("--records", tmp_path, "agenda", "g")
    assert "Prochaine rencontre : date à fixer" in run.stdout
    run = cli("--records", tmp_path, "list")
    assert run.stdout.splitlines()[-1].endswith("date à fixer")
    run = cli("--records", tmp_path, "list", "--json")
    assert '"next": null' in run.stdout
    run = cli("--records", tmp_path, "invite", "g/2009-03-24")
    assert run.exit_code == 2 and run.stderr.count("\n") == 1
    assert "the next meeting's date is to be set" in run.stderr
    # an end without a date cannot stand
    make_group(tmp_path, group=GROUP.format(lang="fr"),
               **{"2009-03-24": HAND_WRITTEN.replace("[next]", "[next]\nend = 16:00:00")})
    check = cli("--records", tmp_path, "check")
    assert check.exit_code == 1 and "has an end but no date" in check.stdout


def test_the_next_record_after_a_date_to_be_set(cli, tmp_path):
    folder = make_group(tmp_path, group=GROUP.format(lang="fr"), **{"2009-03-24": HAND_WRITTEN})
    run = cli("--records", tmp_path, "new", "g", "--no-input")
    assert run.exit_code == 2
    assert "--date is required (the last record announces no next meeting)" in run.stderr
    run = cli("--records", tmp_path, "new", "g", "--no-input", "--date", "2009-04-21T14:00")
    assert run.exit_code == 0, run.stderr
    data = tomllib.loads((folder / "2009-04-21.toml").read_text(encoding="utf-8"))
    assert data["venue"] == "LaPlateforme"  # planned by the record whose date was to be set
    assert data["topics"] == [{"title": "Support commun"}]


def test_new_takes_the_announced_date_without_date_flag(cli, tmp_path):
    folder = make_group(tmp_path, group=GROUP.format(lang="fr"), **{"2009-02-17": PREVIOUS})
    run = cli("--records", tmp_path, "new", "g", "--no-input")
    assert run.exit_code == 0, run.stderr
    assert (folder / "2009-03-24.toml").exists()
    help_text = " ".join(cli("new", "--help").stdout.split())
    assert "default: the date the previous record's [next] announced" in help_text


# -- reading a vote ------------------------------------------------------------------------

@pytest.mark.parametrize("text,vote", [
    ("pour 4, contre 0, abstention 1", {"for": 4, "against": 0, "abstain": 1}),
    ("for 4, against 0, abstain 1", {"for": 4, "against": 0, "abstain": 1}),
    ("4 pour, 1 contre et 2 abstentions", {"for": 4, "against": 1, "abstain": 2}),
    ("4 votes for, 1 against and 2 abstentions", {"for": 4, "against": 1, "abstain": 2}),
    ("Pour : 3; Contre : 1", {"for": 3, "against": 1}),
    ("4 voix pour", {"for": 4}),
    ("unanimité", {"unanimous": True}),
    ("À l’unanimité", {"unanimous": True}),
    ("Unanimous", {"unanimous": True}),
    ("u", {"unanimous": True}),
    ("4 0 1", {"for": 4, "against": 0, "abstain": 1}),
    ("12, 3", {"for": 12, "against": 3}),
])
def test_votes_as_people_write_them(text, vote):
    assert parse_vote(text) == vote


@pytest.mark.parametrize("text,problem", [
    ("oui 4", "'oui' is not a word of a vote"),
    ("pour quatre", "'quatre' is not a number of votes"),
    ("pour -1", "'-1' is not a number of votes"),
    ("pour", "'pour' without its number of votes"),
    ("pour 4, pour 5", "'pour' is given twice"),
    ("1 2 3 4", "4 numbers: a vote has three at most"),
    ("unanimité, pour 4", "unanimous goes alone"),
    ("pour 4,, contre 1", "a part of the vote is empty"),
    ("  ", "an empty vote"),
])
def test_a_vote_that_does_not_read_says_why(text, problem):
    with pytest.raises(BadVote) as caught:
        parse_vote(text)
    assert caught.value.value == text and caught.value.problem.startswith(problem)
    assert "[pour 4, contre 0, abstention 1]" in caught.value.hint
    assert "[for 4, against 0, abstain 1]" in caught.value.hint


def test_decisions_with_and_without_vote():
    assert parse_decision("Adopter le budget [pour 4, contre 0, abstention 1]") == {
        "text": "Adopter le budget", "for": 4, "against": 0, "abstain": 1}
    assert parse_decision("Budget [unanimous]") == {"text": "Budget", "unanimous": True}
    assert parse_decision(" Plain text ") == "Plain text"
    with pytest.raises(BadDecision):
        parse_decision("[pour 4]")
    with pytest.raises(BadVote) as caught:
        parse_decision("Budget [pour x]")
    assert caught.value.value == "Budget [pour x]"  # the whole of what was written


def test_reviews():
    ref, change = parse_review("2009-02-17#1 : open [2009-04-30] à moitié faite")
    assert ref == "2009-02-17#1" and change["due"].isoformat() == "2009-04-30"
    assert change["note"] == "à moitié faite"
    assert parse_review("2009-02-17#2 : fait") == ("2009-02-17#2", {"done": True})
    assert parse_review("2009-02-17#3: abandonnée") == ("2009-02-17#3", {"dropped": True})
    for bad, problem in (("x : open", "'x' names no action"),
                         ("2009-02-17#1 : peut-être", "'peut' is not open, done or dropped"),
                         ("2009-02-17#1 : done [2009-05-01]", "a new due date is for an action "
                                                             "kept open")):
        with pytest.raises(BadReview) as caught:
            parse_review(bad)
        assert caught.value.problem.startswith(problem), caught.value.problem
