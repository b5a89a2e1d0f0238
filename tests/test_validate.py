"""Each answer of `new` checked by `check`'s rules (entry/validate.py), names close to known
ones (core/text.py), dates in people's words, and `check`'s warning on near-duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import make_group
from rencontres.core.errors import NotADate
from rencontres.core.model import Group, Person
from rencontres.core.text import distance, is_near, name_fold, nearest
from rencontres.entry.draft import Draft
from rencontres.entry.input import parse_day, parse_when
from rencontres.entry.validate import Checker, added


@pytest.mark.parametrize(("a", "b", "near"), [
    ("Sandrine Delrieux", "Sandrine Delrieu", True),  # one letter more
    ("Philipe Oswald", "Philippe Oswald", True),  # one letter less
    ("Helene Laude", "Hélène Laude", True),  # accents
    ("HELENE  laude", "Hélène Laude", True),  # accents, case and spacing
    ("Marie Ange Favre", "Marie-ange Favre", True),  # a hyphen
    ("Benjamin Borgeu", "Benjamin Borgue", True),  # two letters swapped: two apart
    ("Amanda Morbeli", "Amanda Morbelly", True),  # two letters apart, a long name
    ("Zoé Roux", "Zoé Rous", True),  # one letter apart, a short name
    ("Anne Roux", "Anna Rous", False),  # two apart is too many for a short name
    ("Amanda Morbelli", "Amanda Mor", False),  # five apart
    ("Pierre Levy", "pierre  levy", False),  # the same name, not a near one
    ("Groupe 1", "Groupe 2", False),  # digits differ
])
def test_near_names(a, b, near):
    assert is_near(a, b) is near and is_near(b, a) is near


def test_fold_distance_and_nearest():
    assert name_fold(" Hélène-Marie  LAUDE ") == "helene marie laude"
    assert distance("delrieu", "delrieux") == 1 and distance("abcdef", "ghijkl", 2) == 3
    known = ["Pierre Levy", "Sandrine Delrieu", "Sandrine Delrie"]
    assert nearest("Sandrine Delrieux", known) == "Sandrine Delrieu"  # the nearest of two
    assert nearest("sandrine delrieu", known) is None  # a known name itself
    assert nearest("Yamina Mouloudj", known) is None


@pytest.mark.parametrize(("value", "reason"), [
    ("31/02/2009 14h", "February 2009 has only 28 days"),
    ("2026-02-30", "February 2026 has only 28 days"),
    ("29 février 2009", "February 2009 has only 28 days"),
    ("16/13/2008", "there is no month 13"),
    ("24/03/2009 25h", "there is no hour 25 (hours go from 0 to 23)"),
])
def test_an_impossible_date_says_why(value, reason):
    with pytest.raises(NotADate) as caught:
        parse_when(value)
    assert caught.value.reason == reason and caught.value.problem == f"not a date: {reason}"


def test_a_due_date_without_its_year_is_the_next_after_the_meeting():
    meeting = dt.date(2009, 3, 24)
    assert parse_day("15 avril", meeting) == dt.date(2009, 4, 15)
    assert parse_day("20 mars", meeting) == dt.date(2010, 3, 20)
    assert parse_day("15/04", meeting) == dt.date(2009, 4, 15)
    assert parse_day("29 février", meeting) == dt.date(2012, 2, 29)
    with pytest.raises(NotADate) as caught:
        parse_day("31 avril", meeting)
    assert caught.value.reason == "April has only 30 days" and caught.value.day_only
    with pytest.raises(NotADate) as caught:
        parse_day("15 avril")  # no meeting to follow
    assert caught.value.day_only and "HH" not in caught.value.hint


def test_the_hint_gives_the_forms_in_the_groups_style(cli, tmp_path):
    make_group(tmp_path, group='name = "G"\nlanguage = "en"\n')
    run = cli("--records", tmp_path, "new", "g", "--no-input", "--date", "31/02/2009 14h")
    assert "--date '31/02/2009 14h': not a date: February 2009 has only 28 days" in run.stderr
    assert "14:00" in run.stderr and "2:30 pm" in run.stderr and "T14:00" in run.stderr
    run = cli("--records", tmp_path, "new", "g", "--no-input", "--date", "2009-03-24T14:00",
              "--topic", "T", "--action", "Ann : lire [31 avril]")
    assert "not a date: April has only 30 days" in run.stderr
    assert "24/03/2009, 24 March 2009 or 2009-03-24" in run.stderr and "14:00" not in run.stderr


GROUP = Group(slug="g", name="G", members=(Person("Sandrine Delrieu", "LaPlateforme"),
                                           Person("Pierre Levy", "Intermade")))
MEMBERS = [(GROUP.members[0], "absent"), (GROUP.members[1], "present")]


@pytest.fixture
def checker(tmp_path) -> Checker:
    return Checker.of(GROUP, Path(tmp_path), [])


def test_a_participant_listed_twice_is_refused_in_peoples_words(checker):
    draft = Draft(date=dt.datetime(2009, 3, 24, 14), participants=list(MEMBERS))
    [problem] = checker.participant(draft, MEMBERS, Person("pierre  levy", "Intermade"))
    assert problem.severity == "error" and problem.message == "Pierre Levy is already listed (present)"
    assert checker.participant(draft, MEMBERS, Person("Zoé Martin")) == []
    # someone on the roster as absent, typed as a participant: now present, not listed twice
    assert checker.participant(draft, MEMBERS, Person("Sandrine Delrieu")) == []
    people, at = added(MEMBERS, Person("Sandrine Delrieu", email="s@example.org"))
    assert at == 0 and people[0][1] == "present" and people[0][0].email == "s@example.org"
    assert people[0][0].organization == "LaPlateforme" and len(people) == 2


def test_each_part_gets_its_own_problems(checker):
    draft = Draft(date=dt.datetime(2009, 3, 24, 14), participants=list(MEMBERS))
    [late] = checker.next(draft, dt.datetime(2009, 3, 12, 14))
    assert "is not after this one (2009-03-24)" in late.message and late.severity == "error"
    assert checker.next(draft, dt.datetime(2009, 5, 12, 14)) == []
    [end] = checker.end(draft, dt.time(13))
    assert "end 13:00 is not after the start 14:00" in end.message
    [skipped] = checker.date(dt.datetime(2026, 3, 29, 2, 30))
    assert skipped.severity == "error" and "does not exist in Europe/Paris" in skipped.message
    [twice] = checker.date(dt.datetime(2026, 10, 25, 2, 30))
    assert twice.severity == "warning" and "happens twice" in twice.message
    [owner] = checker.owner(draft, "Quelqu'un")
    assert owner.severity == "warning" and "neither a participant nor a member" in owner.message
    assert checker.owner(draft, "Pierre Levy") == []
    # a problem elsewhere in the draft is not this answer's
    wrong = Draft(date=draft.date, end=dt.time(13), participants=list(MEMBERS))
    assert checker.next(wrong, dt.datetime(2009, 5, 12, 14)) == []


def test_near_known_people(checker, tmp_path):
    assert checker.near("Sandrine Delrieux") == GROUP.members[0]
    assert checker.near("Sandrine Delrieu") is None
    assert checker.near("Zoe Martn", [Person("Zoé Martin")]) == Person("Zoé Martin")


def test_check_warns_on_near_duplicates_across_records(cli, tmp_path):
    make_group(tmp_path, group='name = "G"\n[[members]]\nname = "Sandrine Delrieu"\n',
               **{"2009-03-24": 'date = 2009-03-24\n[[participants]]\nname = "Sandrine Delrieux"\n',
                  "2009-05-12": 'date = 2009-05-12\n[[participants]]\nname = "Philippe Oswald"\n'
                                '[[topics]]\ntitle = "T"\n[[topics.actions]]\n'
                                'owner = "Philipe Oswald"\ntask = "lire"\n'})
    run = cli("--records", tmp_path, "check")
    assert run.exit_code == 0, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if "spelled close" in line]
    assert len(lines) == 2, run.stdout
    assert "2009-03-24.toml:3: warning: 'Sandrine Delrieux' is spelled close to " \
           "'Sandrine Delrieu' in " in lines[0] and "group.toml: the same person?" in lines[0]
    assert "2009-05-12.toml:7: warning: 'Philipe Oswald' is spelled close to " \
           "'Philippe Oswald': the same person?" in lines[1]
