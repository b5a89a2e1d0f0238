"""import on the layouts people publish: variants of the seed, each made by hand-editing one
thing (tests/data/import/variants/). Each is imported alone into an empty folder and checked
as a user would: the topics' titles, the participants, the next meeting, `check`, and the
word accounting — every word of the article's body is in the record (a value, a comment
quoting it whole, or a line the synthesis writes itself): 0 unaccounted.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from conftest import DATA, snapshot

VARIANTS = sorted((DATA / "import" / "variants").glob("*.txt"))
SEED = DATA / "import" / "000_44f011bbe45605fa.txt"
README = Path(__file__).parent.parent / "README.md"

TITLES = ["Partenariats de développement\u00a0: Vers l’élaboration d’un support de présentation "
          "commun", "Présentation d’Energie Alternatives",
          "Ouverture de groupes à de nouveaux participants et question de l’articulation avec "
          "des réseaux ou acteurs du champ (URSCOP, CRES,...)"]
PEOPLE = ["Marie-ange Favre", "Yamina Mouloudj", "Pierre Levy", "Benjamin Borgue",
          "Amanda Morbelli", "Sandrine Delrieu", "Hélène Laude", "Philippe Oswald"]
ORGS = ["Energie Alternative", "Energie Alternative", "Intermade", "Intermade", "Apeas",
        "LaPlateforme", "Essor13", "Place"]
NEXT = {"date": dt.datetime(2008, 1, 16, 14, 0), "venue": "Energie Alternative",
        "address": "52, La Cannebière", "phone": "05 91 33 65 77"}


def _import(cli, tmp_path, article: Path):
    from rencontres.importer import accounting, reader

    records = tmp_path / "records"
    records.mkdir(parents=True)
    run = cli("--records", records, "import", "--group", "g", article)
    assert run.exit_code == 0, run.stderr
    text = article.read_text(encoding="utf-8")
    imported = reader.read(text)
    meeting = records / "g" / "2007-11-22.toml"
    texts = [meeting.read_text(encoding="utf-8"),
             (records / "g" / "group.toml").read_text(encoding="utf-8")]
    counted = accounting.account(text, texts, imported)
    return records, tomllib.loads(texts[0]), texts[0], run, counted


@pytest.mark.parametrize("article", [SEED, *VARIANTS], ids=lambda p: p.stem[:24])
def test_every_word_is_accounted_for_and_the_record_is_right(cli, tmp_path, article):
    records, data, text, run, counted = _import(cli, tmp_path, article)
    assert not counted.unaccounted, str(counted)
    assert counted.body > 2000 and counted.kept > 0.95 * counted.body
    name = article.stem
    titles = [t["title"] for t in data["topics"]]
    assert titles == TITLES, titles
    people = {p["name"]: p for p in data["participants"]}
    assert [n for n in people if n in PEOPLE] == PEOPLE, list(people)
    if not name.startswith(("08_", "06_")):  # those give a role of their own
        assert [people[n].get("organization") for n in PEOPLE] == ORGS
    want = dict(NEXT)
    if name.startswith("12_"):
        want.pop("phone")
        want["end"] = dt.time(17, 0)
    assert data["next"] == want
    if not name.startswith("20_"):
        assert data["title"] == "Synthèse de la 3ème rencontre"
    assert data["date"] == dt.date(2007, 11, 22)
    # a notes quotes whole: no note is cut
    assert "…\"" not in run.stderr
    check = cli("--records", records, "check")
    assert check.exit_code == 0 or "warning" in check.stdout + check.stderr, check.stdout


def _variant(stem: str) -> Path:
    return next(p for p in VARIANTS if p.stem.startswith(stem))


def test_attendance_in_any_order(cli, tmp_path):
    _, data, *_ = _import(cli, tmp_path, _variant("09_"))
    attendance = {p["name"]: p.get("attendance", "present") for p in data["participants"]}
    assert attendance["Jean Martin"] == attendance["Anne Roux"] == "excused"
    assert attendance["Paul Blanc"] == "absent" and attendance["Pierre Levy"] == "present"


def test_roles_and_organisations(cli, tmp_path):
    _, data, *_ = _import(cli, tmp_path, _variant("08_"))
    assert data["participants"][3] == {"name": "Benjamin Borgue", "role": "stagiaire",
                                       "organization": "Intermade"}
    _, data, *_ = _import(cli, tmp_path / "b", _variant("06_"))
    assert data["participants"][3] == {"name": "Benjamin Borgue", "role": "stagiaire",
                                       "organization": "Intermade"}


def test_the_heading_in_other_wordings_keeps_the_subtitle(cli, tmp_path):
    for stem in ("10_", "23_"):
        _, data, *_ = _import(cli, tmp_path / stem, _variant(stem))
        assert data["subtitle"].startswith("Articulation des pratiques")


def test_a_second_repere_paragraph_is_context(cli, tmp_path):
    _, data, *_ = _import(cli, tmp_path, _variant("11_"))
    assert data["context"].endswith("dans les locaux de LaPlateforme, à Marseille.\n")
    assert "Troisième réunion" in data["context"]


def test_a_sentence_after_the_next_meeting_stays_in_the_text(cli, tmp_path):
    _, data, *_ = _import(cli, tmp_path, _variant("15_"))
    assert "Merci de confirmer votre présence auprès de Sandrine." in data["topics"][0]["body"]


@pytest.mark.parametrize("stem,line", [
    ("16_", "accessibles depuis le plan du site de LaPlateforme"),
    ("17_", "Un forum des acteurs de l’ESS est envisagé au printemps."),
    ("18_", "coopérative, entrepreneur-salarié, CAE"),
    ("19_", "Date limite pour l’envoi des fiches."),
])
def test_body_lines_that_look_like_chrome_stay_text(cli, tmp_path, stem, line):
    records, data, *_ = _import(cli, tmp_path, _variant(stem))
    assert any(line in t.get("body", "") for t in data["topics"])
    assert "keywords" not in data and len(data["topics"][2]["body"]) > 300
    assert sorted(p.name for p in (records / "g").glob("2007-11-22*")) == ["2007-11-22.toml"]


def test_an_article_without_a_title_takes_the_rank_its_text_names(cli, tmp_path):
    _, data, *_ = _import(cli, tmp_path, _variant("20_"))
    assert data["number"] == 6


def test_action_sentences_are_proposed_beside_the_text(cli, tmp_path):
    *_, text, _, _ = _import(cli, tmp_path, _variant("21_"))
    assert "a decision or an action?" in text and "Pierre se charge de contacter" in text


def test_the_readme_is_no_article(cli, tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    before = snapshot(records)
    run = cli("--records", records, "import", "--group", "g", README)
    assert run.exit_code == 2, run.stderr
    assert snapshot(records) == before


@pytest.mark.parametrize("case", ["PAGE", "SPIP_SOURCE", "ENGLISH"])
def test_the_other_articles_of_test_import_are_accounted_for_too(cli, tmp_path, case):
    import test_import
    from rencontres.importer import accounting, reader

    text = getattr(test_import, case)
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    records = tmp_path / "records"
    records.mkdir()
    assert cli("--records", records, "import", "--group", "g", article).exit_code == 0
    imported = reader.read(text)
    texts = [p.read_text(encoding="utf-8") for p in sorted((records / "g").glob("*.toml"))
             if p.stem in ("group", imported.date.isoformat())]
    counted = accounting.account(text, texts, imported)
    assert not counted.unaccounted, str(counted)


def test_pour_la_prochaine_rencontre_is_proposed_as_an_action(cli, tmp_path):
    *_, text, _, _ = _import(cli, tmp_path, SEED)
    assert "pour la prochaine rencontre, Sandrine essaie" in text.split("[[topics]]")[1]
