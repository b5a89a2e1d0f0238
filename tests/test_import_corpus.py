"""import, issue 22's acceptance corpus: articles written for it (tests/data/import/corpus/),
eight meetings of one group after the seed's, as pages copied from the browser (chrome
around them: hierarchy line, forum, "Articles dans la même rubrique", keywords, footer) and
as SPIP sources (`{{{…}}}`, `{{…}}`, `-*`, `[[…]]`, `<quote>`, tables). With the seed and
its 23 variants (test_import_layouts.py) the corpus holds 32 articles.

Each article alone into a fresh group: every word accounted for, the record a user would
check, `check` passing. Then all of them as one batch, in three orders: the same files,
byte for byte, and each article's own record the same as when it was imported alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import tomllib
from pathlib import Path

import pytest

from conftest import DATA

CORPUS = DATA / "import" / "corpus"
ARTICLES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".spip"))
CORE = ["Marie-ange Favre", "Pierre Levy", "Sandrine Delrieu"]

# what a user checks in each record: date, title, topics, participants, next meeting
EXPECTED = {
    "04_": dict(date=dt.date(2008, 1, 16), title="Synthèse de la 4ème rencontre", number=4,
                topics=["Le support de présentation commun : première proposition",
                        "Présentation d’Intermade", "Questions diverses"],
                people={"Amanda Morbelli": ("Apeas", None), "Philippe Oswald": ("Place", None),
                        "Hélène Laude": ("Essor13", "excused"),
                        "Yamina Mouloudj": ("Energie Alternative", "excused")},
                next={"date": dt.datetime(2008, 2, 27, 14, 0), "venue": "Intermade",
                      "address": "10, rue Sainte", "phone": "04 91 55 12 34"}),
    "05_": dict(date=dt.date(2008, 2, 27), title="Synthèse de la 5ème rencontre", number=5,
                topics=["Retour sur la maquette révisée", "Budget et devis", "Calendrier"],
                people={"Philippe Oswald": ("Place", None), "Hélène Laude": ("Essor13", None),
                        "Amanda Morbelli": (None, "absent")},
                next={"date": dt.datetime(2008, 4, 8, 9, 30), "end": dt.time(12, 30),
                      "venue": "la Maison des associations", "address": "93, La Canebière"}),
    "06_": dict(date=dt.date(2008, 4, 8), title=None, number=6,
                topics=["Les fiches des structures", "Le devis du graphiste",
                        "La parole des porteurs de projets"],
                people={"Hélène Laude": ("Essor13", None),
                        "Amanda Morbelli": ("Apeas", "excused")},
                next={"date": dt.datetime(2008, 5, 20, 14, 0),
                      "venue": "la Maison des associations", "address": "93, La Canebière"}),
    "07_": dict(date=dt.date(2008, 5, 20), title="Synthèse de la 7ème rencontre", number=7,
                topics=["Relecture des fiches", "Diffusion",
                        "Évaluation de l’expérimentation"],
                people={"Benjamin Borgue": ("Intermade", None),
                        "Amanda Morbelli": ("Apeas", None)},
                next={"date": dt.datetime(2008, 6, 24, 14, 0), "venue": "LaPlateforme",
                      "address": "5, rue d’Italie"}),
    "08_": dict(date=dt.date(2008, 6, 24), title="Synthèse de la 8ème rencontre", number=8,
                topics=["Premier bilan du forum régional", "Les suites à donner"],
                people={"Philippe Oswald": ("Place", "excused"),
                        "Hélène Laude": ("Essor13", None)},
                next={"date": dt.datetime(2008, 9, 10, 14, 0), "venue": "Essor13",
                      "address": "25, boulevard Longchamp"}),
    "09_": dict(date=dt.date(2008, 9, 10), title=None, number=None,
                topics=["Présentation d’Essor13", "Ouverture du groupe"],
                people={"Hélène Laude": ("Essor13", None), "Amanda Morbelli": ("Apeas", None)},
                next={"date": dt.datetime(2008, 11, 12, 14, 0), "venue": "LaPlateforme",
                      "address": "5, rue d’Italie"}),
    "10_": dict(date=dt.date(2008, 11, 12),
                title="10ème rencontre du groupe \"Entreprendre au collectif\"", number=10,
                topics=["Accueil de l’Urscop", "Bilan de l’expérimentation",
                        "Perspectives pour 2009"],
                people={"Jean Martin": ("Urscop", None), "Hélène Laude": ("Essor13", None)},
                next={"date": dt.datetime(2009, 1, 13, 14, 0), "venue": "Urscop",
                      "address": "4, place Sadi Carnot", "phone": "04 91 90 11 22"}),
    "11_": dict(date=dt.date(2009, 1, 13), title=None, number=None,
                topics=["La reconduction de l’expérimentation", "Le calendrier 2009"],
                people={"Jean Martin": ("Urscop", None), "Hélène Laude": ("Essor13", None),
                        "Marie-ange Favre": ("Energie Alternative", "excused")},
                next={"date": dt.datetime(2009, 3, 17, 14, 0), "venue": "Intermade",
                      "address": "10, rue Sainte"}),
}


def test_the_corpus_holds_at_least_30_articles():
    seed = [DATA / "import" / "000_44f011bbe45605fa.txt",
            *(DATA / "import" / "variants").glob("*.txt")]
    assert len(ARTICLES) == len(EXPECTED) == 8
    assert len(seed) + len(ARTICLES) >= 30
    assert len({EXPECTED[a.name[:3]]["date"] for a in ARTICLES}) == 8  # distinct meetings
    assert sum(a.suffix == ".spip" for a in ARTICLES) >= 3


def _import(cli, records: Path, *articles: Path):
    records.mkdir(parents=True, exist_ok=True)
    run = cli("--records", records, "import", "--group", "g", *articles)
    assert run.exit_code == 0, run.stderr
    return run


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _check(cli, records: Path) -> None:
    check = cli("--records", records, "check")
    print(check.stdout, check.stderr)  # the warnings, explained (numbers, stubs)
    assert check.exit_code == 0, check.stdout + check.stderr
    assert " 0 errors" in check.stderr


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_each_article_alone(cli, tmp_path, article):
    from rencontres.importer import accounting, reader

    records = tmp_path / "records"
    run = _import(cli, records, article)
    want = EXPECTED[article.name[:3]]
    text = article.read_text(encoding="utf-8")
    imported = reader.read(text)
    meeting = records / "g" / f"{want['date'].isoformat()}.toml"
    texts = [meeting.read_text(encoding="utf-8"),
             (records / "g" / "group.toml").read_text(encoding="utf-8")]
    counted = accounting.account(text, texts, imported)
    print(article.name, counted)
    assert not counted.unaccounted, str(counted)
    assert counted.kept > 0.8 * counted.body
    assert "…\"" not in run.stderr  # no note is cut
    data = tomllib.loads(texts[0])
    assert data["date"] == want["date"]
    assert data.get("title") == want["title"]
    assert data.get("number") == want["number"]
    assert [t["title"] for t in data["topics"]] == want["topics"]
    people = {p["name"]: (p.get("organization"), p.get("attendance"))
              for p in data["participants"]}
    assert all(people[name][1] is None for name in CORE if name not in want["people"])
    for name, (org, attendance) in want["people"].items():
        assert people[name] == (org, attendance), name
    assert data["next"] == want["next"]
    _check(cli, records)


def test_spip_constructs_of_the_sources(cli, tmp_path):
    records = tmp_path / "records"
    _import(cli, records, *(a for a in ARTICLES if a.suffix == ".spip"))
    bodies = {}
    for path in sorted((records / "g").glob("2*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        bodies[path.stem] = "\n".join(t["body"] for t in data["topics"])
    sixth = bodies["2008-04-08"]
    assert "servi d’exemple[^1]." in sixth and \
        "[^1]: Elle est consultable sur le site de LaPlateforme" in sixth
    assert "| Poste | Montant |\n|---|---|\n| Impression | 2 800 euros |" in sixth
    assert "> J’ai eu l’impression de recommencer à zéro" in sixth
    assert "- qui sommes-nous ;\n- à quelle étape" in sixth and "**1 200 euros**" in sixth
    assert "| Energie Alternative | 230 |" in bodies["2008-09-10"]
    assert "> Un groupe qui dure" in bodies["2009-01-13"]
    for stem in bodies:  # nothing SPIP left as literal text
        assert not any(s in bodies[stem] for s in ("[[", "<quote>", "{{", "|{{", "-*"))


ORDERS = {"given": ARTICLES, "reversed": ARTICLES[::-1],
          "shuffled": random.Random(22).sample(ARTICLES, len(ARTICLES))}


def test_one_batch_in_three_orders_gives_the_same_records(cli, tmp_path):
    shots = {}
    for name, order in ORDERS.items():
        records = tmp_path / name
        _import(cli, records, *order)
        shots[name] = _hashes(records)
        _check(cli, records)
    assert ORDERS["shuffled"] not in (ORDERS["given"], ORDERS["reversed"])
    assert shots["given"] == shots["reversed"] == shots["shuffled"]
    folder = tmp_path / "given" / "g"
    # one record per meeting: each synthesis completed its stub (the pages' indexes list
    # the SPIP sources' meetings too), and the seed's meeting, listed only, is a stub
    dates = sorted(w["date"].isoformat() for w in EXPECTED.values())
    assert sorted(p.stem for p in folder.glob("2*.toml")) == ["2007-11-22", *dates]
    assert "not transcribed yet" in (folder / "2007-11-22.toml").read_text(encoding="utf-8")
    # each article's own record holds the same as when imported alone; what differs: alone,
    # the other meetings are stubs (here the syntheses), and group data: alone, an article's
    # keywords are the group's; in this batch, where the SPIP sources have none, they stay
    # in the record of each page that has them (what every article repeats is the group's)
    for article in ARTICLES:
        records = tmp_path / "alone" / article.stem
        _import(cli, records, article)
        name = f"g/{EXPECTED[article.name[:3]]['date'].isoformat()}.toml"
        alone = tomllib.loads((records / name).read_text(encoding="utf-8"))
        batch = tomllib.loads((tmp_path / "given" / name).read_text(encoding="utf-8"))
        if "keywords" in batch and "keywords" not in alone:
            group = tomllib.loads((records / "g" / "group.toml").read_text(encoding="utf-8"))
            assert batch.pop("keywords") == group["keywords"], article.name
        assert alone == batch, article.name


def test_a_batch_gives_the_group_what_its_pages_give(cli, tmp_path):
    """The newest article is a SPIP source, which shows no hierarchy nor keywords: the
    group's name, section and keywords come from the pages, as when a page is imported alone."""
    records = tmp_path / "records"
    _import(cli, records, *ARTICLES)
    group = tomllib.loads((records / "g" / "group.toml").read_text(encoding="utf-8"))
    assert group["name"] == "Entreprendre au collectif"
    assert group["section"] == ["Groupes de travail", "Ramsess",
                                "Les rencontres de ce groupe de travail"]
    assert "Gr Them - Entreprendre au collectif" in group["keywords"]
