"""Issue 27: every TOML syntax error the parser raises, said in people's words — what is
wrong, on which line, what to type — never the parser's own sentence."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rencontres.records.parse import loads
from rencontres.records.syntax import explain, messages

# The parser's own words, which must never reach a person.
PARSERS_WORDS = ("TOML syntax", "Expected", "Invalid", "Illegal", "Unclosed", "Cannot",
                 "Unescaped", "Unterminated", "Found invalid")


def _tomli_messages() -> list[tuple[str, bool]]:
    """The start of every message tomli's parser raises, read from its source, and whether
    more is made at run time (an f-string: "Expected {expect!r}")."""
    import tomli

    source = Path(tomli.__file__).with_name("_parser.py")
    if not source.exists():
        pytest.skip("tomli's source is not installed beside its compiled module")
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "TOMLDecodeError":
            first = node.args[0]
            if isinstance(first, ast.Constant):
                found.append((first.value, False))
            elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                found.append((first.values[0].value, True))
    return found


def test_every_message_of_the_parser_is_worded():
    raised = _tomli_messages()
    assert len(raised) >= 20
    unworded = [m for m, made in raised if not any(
        m.startswith(start) or (made and start.startswith(m)) for start in messages())]
    assert not unworded, f"tomli raises messages rencontres does not word: {unworded}"


# (the record's text, the line the message names, words it must hold)
CASES = [
    # the ten classes of the acceptance
    ('date = 2009-03-24\ntitle = "Réunion\n', 2,
     "the text of 'title' has no closing quote: end it with \""),
    ('date = 2009-3-24T14:00\n', 1,
     "'2009-3-24T14:00' is not a date as records write it: write date = 2009-03-24T14:00"),
    ('date = 2009-03-24T14:00:00\nend = 16h30\n', 2,
     "'16h30' is not a time as records write it: write end = 16:30"),
    ('date = 2009-03-24\ntitle "Réunion"\n', 2,
     "'title' and its value need '=' between them: write title = \"Réunion\""),
    ('date = 2009-03-24\ntitle = "A"\nvenue = "B"\ntitle = "C"\n', 4,
     "'title' is given twice in this table (first on line 2): keep one of them"),
    ('date = 2009-03-24\n[next]\nvenue = "A"\n\n[next]\nvenue = "B"\n', 5,
     "[next] appears twice (first on line 2)"),
    ('date = 2009-03-24\nvenue = "C:\\salle"\n', 2,
     "a backslash starts an escape (\\n, \\t, \\\", \\\\): write \\\\ for a backslash"),
    ('date = 2009-03-24\nnumber = 012\n', 2,
     "'012' is not a whole number as records write them (digits only, no leading zero"),
    ('date = 2009-03-24\n[[topics]]\ntitle = "T"\n[[topics.actions]]\ntask = "x"\n'
     'due = 2009-04-31\n', 6, "'2009-04-31' is not a date: April has only 30 days"),
    ('date = 2009-03-24\nkeywords = ["a", "b"\ntitle = "T"\n', 2,
     "the list of 'keywords' opened on this line is never closed: end it with ]"),
    # and the others people write
    ('date = 2009-02-29\n', 1, "February 2009 has only 28 days"),
    ('date = 24/03/2009\n', 1, "write date = 2009-03-24"),
    ('date = 24 mars 2009 à 14h\n', 1, "write date = 2009-03-24T14:00"),
    ('date = 2009-03-24T25:00:00\n', 1, "there is no hour 25"),
    ('date = 2009-03-24T14:00:00+25:00\n', 1, "written without an offset"),
    ('date = 2009-03-24\nend = 16:75\n', 2, "there is no minute 75"),
    ('date = 2009-03-24\ncontext = """Un texte\n\nsur deux lignes\n', 2,
     "the text of 'context' opened with \"\"\" on this line is never closed"),
    ("date = 2009-03-24\ntitle = 'Réunion\n", 2, "has no closing quote: end it with '"),
    ("date = 2009-03-24\ntitle = 'l'été'\n", 2, "a text holding ' goes between double quotes"),
    ('date = 2009-03-24\ntitle = "Le "grand" jour"\n', 2,
     "a quote inside a text is written \\\""),
    ('date = 2009-03-24\ntitle = Réunion\n', 2, "a text goes between quotes"),
    ('date = 2009-03-24\ntitle = “Réunion”\n', 2, "typographic quotes (“) do not enclose"),
    ('date = 2009-03-24\ntitle =\n', 2, "'title' has no value after '='"),
    ('date = 2009-03-24\n[[topics]]\ntitle = "T"\n[[topics.actions]]\ntask = "x"\n'
     'done = True\n', 6, "write true or false, in lowercase"),
    ('date = 2009-03-24\nvenue: "Salle A"\n', 2, "joined by '=', not ':'"),
    ('date = 2009-03-24\nRéunion du bureau\n', 2, "this line is not 'key = value'"),
    ('date = 2009-03-24\n[next\nvenue = "A"\n', 2, "a table's header ends with a bracket: [next]"),
    ('date = 2009-03-24\n[[topics]\ntitle = "A"\n', 2, "double brackets: [[topics]]"),
    ('date = 2009-03-24\n[topics]\ntitle = "A"\n[topics]\ntitle = "B"\n', 4,
     "starts with [[topics]], with two brackets"),
    ('date = 2009-03-24\norganizer = { name = "A", name = "B" }\n', 2,
     "'name' is given twice inside the braces"),
    ('date = 2009-03-24\nagenda = [\n  "a",\n  "b"\n\n[next]\nvenue = "A"\n', 2,
     "the list of 'agenda' opened on this line is never closed"),
    ('date = 2009-03-24\nkeywords = ["a" "b"]\n', 2, "separated by commas"),
    ('date = 2009-03-24\ntitle = "\\u12"\n', 2, "\\u is followed by 4 hexadecimal digits"),
    ('date = 2009-03-24\ntitle = "a\x01b"\n', 2, "control character U+0001"),
    ('date = 2009-03-24\nnumber = 1 000\n', 2, "write number = 1000"),
    # found by mutating a record at random: a character the message must not hide
    ('date = 2009-03-24\n# un\rcommentaire\n', 2, "a carriage return (U+000D) alone"),
    ('date = 2009-03-24\nvenue = "Salle\rA"\n', 2, "a carriage return (U+000D) alone"),
    ('date = 2009-03-24\n[[topics\x01]]\n', 2, "invisible control character U+0001"),
    ('date = 2009-03-24\nvenue = Salle A"\n', 2, 'e.g. venue = "Salle A" (a number'),
    ('date = 2009-03-24\nor:ganization = "x"\n', 2, "'or:ganization' is not a key"),
    ('published = 208-01-15\n', 1, "'208-01-15' is not a date as records write it"),
    ('date = 2009-03-24\ncontext = """a\nb"""é\n', 3, "more follows the end of a value"),
    ('date = 2009-03-24\n[next] x\n', 2, "write nothing after a table's header"),
]


@pytest.mark.parametrize(("text", "line", "words"), CASES)
def test_a_syntax_error_is_said_in_peoples_words(text, line, words):
    data, problems = loads(text, "g/2009-03-24.toml")
    assert data is None and len(problems) == 1
    problem = problems[0]
    assert (problem.line, problem.severity) == (line, "error"), problem
    assert words in problem.message, problem.message
    assert not problem.message.startswith(PARSERS_WORDS), problem.message
    assert problem.excerpt == text.split("\n")[line - 1]  # the line, for `check` to show


def test_a_message_the_parser_may_add_one_day_still_has_a_sentence_and_its_line():
    said = explain('date = 2009-03-24\ntitle = "x"\n', "Something new went wrong", 20)
    assert said.line == 2 and said.excerpt == 'title = "x"'
    assert said.message.startswith("this line is not valid TOML (the parser says: something "
                                   "new went wrong)")


def test_check_shows_the_line_and_a_caret_under_what_is_wrong(cli, tmp_path):
    from conftest import make_group

    make_group(tmp_path, **{"2009-03-24": 'date = 2009-03-24\ndue = 2009-04-31\n'})
    run = cli("--records", tmp_path, "check")
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if ":2: error: '2009-04-31' is not a date: "
              "April has only 30 days" in line)
    assert lines[at + 1] == "    due = 2009-04-31"
    assert lines[at + 2] == "          ^"  # under the value
    render = cli("--records", tmp_path, "render", "g/2009-03-24")  # elsewhere: one line
    assert render.exit_code == 1 and render.stderr.count("\n") == 1
    assert "2009-03-24.toml:2: '2009-04-31' is not a date: April has only 30 days" in render.stderr


def test_the_same_words_from_pythons_own_tomllib(monkeypatch):
    """Where tomli's wheel is missing, parse.py falls back to the standard library's tomllib,
    whose errors (Python 3.11, 3.12) carry only "… (at line L, column C)": the same
    sentences, on the same lines."""
    import tomllib

    from rencontres.records import parse

    expected = [loads(text, "f")[1][0] for text, _, _ in CASES]
    monkeypatch.setattr(parse, "tomllib", tomllib)
    for (text, line, words), tomli_said in zip(CASES, expected, strict=True):
        data, problems = loads(text, "f")
        assert data is None and problems[0].line == line, (text, problems)
        assert words in problems[0].message, (text, problems[0].message)
        assert problems[0].message == tomli_said.message


# The same classes in French, under the French locale: the sentence the user reads, not a
# word of it left in English (the month too: « avril », from the tables of `core/words.py`).
FRENCH = [
    # the ten classes of the issue's acceptance, in CASES' order
    "le texte de 'title' n’a pas de guillemet fermant : le terminer par \" sur la même ligne",
    "'2009-3-24T14:00' n’est pas une date telle que les fiches l’écrivent : écrire "
    "date = 2009-03-24T14:00 (AAAA-MM-JJTHH:MM, sans guillemets)",
    "'16h30' n’est pas une heure telle que les fiches l’écrivent : écrire end = 16:30 (HH:MM, "
    "sur 24 heures, sans guillemets)",
    "il faut '=' entre 'title' et sa valeur : écrire title = \"Réunion\"",
    "la clé 'title' est donnée deux fois dans cette table (d’abord à la ligne 2) : n’en garder "
    "qu’une",
    "[next] apparaît deux fois (d’abord à la ligne 2) : une fiche n’a qu’une [next] ; mettre "
    "ses clés sous la première",
    "dans le texte de 'venue', une barre oblique inverse commence un échappement (\\n, \\t, "
    "\\\", \\\\) : écrire \\\\ pour une barre oblique inverse elle-même",
    "'012' n’est pas un nombre entier tel que les fiches l’écrivent (des chiffres seulement, "
    "sans zéro en tête, ni espace, virgule ou point) : écrire number = 12",
    "'2009-04-31' n’est pas une date : avril n’a que 30 jours",
    "la liste de 'keywords' ouverte sur cette ligne n’est jamais fermée : la terminer par ]",
    # and some others
    "février 2009 n’a que 28 jours",
    "écrire date = 2009-03-24 (AAAA-MM-JJ, sans guillemets)",
    "écrire date = 2009-03-24T14:00 (AAAA-MM-JJTHH:MM, sans guillemets)",
    "il n’y a pas d’heure 25 (les heures vont de 0 à 23)",
]


@pytest.fixture
def french(monkeypatch):
    """The tool's voice in French (the catalog compiled in the package)."""
    from rencontres.core import i18n

    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    i18n.reset()
    yield
    i18n.reset()


@pytest.mark.parametrize(("case", "words"), list(zip(CASES, FRENCH, strict=False)))
def test_a_syntax_error_is_said_in_french_under_a_french_locale(french, case, words):
    text, line, english = case
    data, problems = loads(text, "g/2009-03-24.toml")
    assert data is None and [(p.line, p.severity) for p in problems] == [(line, "error")]
    assert words in problems[0].message, problems[0].message
    assert english not in problems[0].message


def test_the_month_of_an_impossible_date_follows_the_users_language(french, monkeypatch):
    from rencontres.core import i18n
    from rencontres.core.words import no_such_date

    assert no_such_date(2009, 4, 31) == "avril n’a que 30 jours"
    assert no_such_date(None, 2, 30) == "février n’a que 29 jours"
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.reset()
    assert no_such_date(2009, 4, 31) == "April has only 30 days"
