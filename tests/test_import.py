"""import: published syntheses read back into records.

The seed (the real article, as copied from the browser) against the shipped record that was
transcribed from it by hand; articles of other shapes written here (SPIP source with nested
lists and links, a page with "Excusés", a time like 9h30 and no Repère, an English page);
bad input; and our own SPIP output read back.
"""

from __future__ import annotations

import difflib
import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import DATA, SHIPPED, make_group, snapshot

# The real published article (shared/seed), as a person copied it from the browser.
SEED = DATA / "import" / "000_44f011bbe45605fa.txt"


@pytest.fixture
def seed(tmp_path) -> Path:
    copy = tmp_path / "article.txt"
    shutil.copyfile(SEED, copy)
    return copy


@pytest.fixture
def without_the_meeting(tmp_path) -> Path:
    records = tmp_path / "records"
    shutil.copytree(SHIPPED, records)
    (records / "ramsess" / "2007-11-22.toml").unlink()
    return records


def _changed_blocks(a: str, b: str) -> list[str]:
    """The lines only in `a` or only in `b`."""
    return [line for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.parametrize("fmt", ["markdown", "spip", "html"])
def test_the_seed_gives_the_shipped_synthesis_but_for_decisions_and_actions(
        cli, seed, without_the_meeting, fmt):
    run = cli("--records", without_the_meeting, "import", seed)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip().endswith("ramsess/2007-11-22.toml")
    imported = cli("--records", without_the_meeting, "render", "ramsess/2007-11-22", "-f", fmt)
    shipped = cli("--records", SHIPPED, "render", "ramsess/2007-11-22", "-f", fmt)
    assert imported.exit_code == shipped.exit_code == 0
    changed = _changed_blocks(shipped.stdout, imported.stdout)
    # The difference: the shipped record's decisions and actions (a transcriber's judgement,
    # which the import does not invent from prose), and nothing else.
    assert changed and all(line.startswith("-") for line in changed), changed
    shipped_record = tomllib.loads((SHIPPED / "ramsess" / "2007-11-22.toml").read_text())
    expected = [d for t in shipped_record["topics"] for d in t.get("decisions", [])]
    expected += [a["task"] for t in shipped_record["topics"] for a in t.get("actions", [])]
    for item in expected:
        assert any(item[:40] in line for line in changed), item
    assert len(changed) <= len(expected) + 12  # the items, their headings and blank lines


def test_the_judgement_calls_are_comments_and_notes(cli, seed, without_the_meeting):
    run = cli("--records", without_the_meeting, "import", seed)
    text = (without_the_meeting / "ramsess" / "2007-11-22.toml").read_text(encoding="utf-8")
    assert "read as 2008-01-16, the first such date after it" in run.stderr
    assert "read as 2008-01-16" in text  # the corrected year, beside [next]'s date
    next_table = text[text.index("[next]"):]
    assert next_table.index("read as 2008-01-16") < next_table.index("date = 2008-01-16T14:00")
    assert '"Hélène Laude Essor13": no "/" between name and organisation' in text
    assert "a decision or an action?" in text and "sera transmis" in text
    data = tomllib.loads(text)
    assert data["next"] == {"date": data["next"]["date"], "venue": "Energie Alternative",
                            "address": "52, La Cannebière", "phone": "05 91 33 65 77"}
    assert data["next"]["date"].isoformat() == "2008-01-16T14:00:00"
    assert data["published"].isoformat() == "2008-01-15"
    assert [t["title"][:20] for t in data["topics"]] == [
        "Partenariats de déve", "Présentation d’Energ", "Ouverture de groupes"]


def test_importing_twice_changes_nothing(cli, seed, without_the_meeting):
    assert cli("--records", without_the_meeting, "import", seed).exit_code == 0
    before = snapshot(without_the_meeting)
    run = cli("--records", without_the_meeting, "import", seed)
    assert run.exit_code == 0, run.stderr
    assert "nothing to write" in run.stderr
    assert snapshot(without_the_meeting) == before


def test_an_existing_record_a_person_wrote_is_kept_and_named(cli, seed, tmp_path):
    records = tmp_path / "records"
    shutil.copytree(SHIPPED, records)
    before = snapshot(records)
    run = cli("--records", records, "import", seed)
    assert run.exit_code == 0, run.stderr
    assert "2007-11-22.toml: edited since it was imported: kept as it is" in run.stderr
    assert snapshot(records) == before


def test_the_seed_into_an_empty_group(cli, seed, tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    run = cli("--records", records, "import", "--group", "ramsess", seed)
    assert run.exit_code == 0, run.stderr
    folder = records / "ramsess"
    names = sorted(p.name for p in folder.iterdir())
    shipped = sorted(p.name for p in (SHIPPED / "ramsess").iterdir())
    assert names == shipped  # the meeting, the stubs of the index, group.toml
    check = cli("--records", records, "check")
    assert check.exit_code == 0, check.stdout
    group = tomllib.loads((folder / "group.toml").read_text(encoding="utf-8"))
    assert group["name"] == "Entreprendre au collectif"
    assert group["section"] == ["Groupes de travail", "Ramsess",
                                "Les rencontres de ce groupe de travail"]
    assert group["objectives"].startswith("Ce groupe du travail s’inscrit")
    stub = tomllib.loads((folder / "2007-10-31.toml").read_text(encoding="utf-8"))
    assert stub == {"date": stub["date"], "title": "Compte-rendu de la rencontre"}
    assert "2007/10/2007: the day is unknown" in (folder / "2007-10-31.toml").read_text()
    article = tomllib.loads((folder / "2008-01-16-2.toml").read_text(encoding="utf-8"))
    assert article["kind"] == "article"
    assert "listed without a date: not imported" in run.stderr
    # the rendered synthesis has the annex from the new group.toml
    text = cli("--records", records, "render", "ramsess/2007-11-22").stdout
    assert "Rappel des objectifs du groupe" in text


def test_a_stub_is_completed_keeping_its_comments(cli, seed, without_the_meeting):
    path = without_the_meeting / "ramsess" / "2007-11-22.toml"
    path.write_text("# A stub the secretary wrote.\ndate = 2007-11-22\n"
                    'title = "Synthèse de la 3ème rencontre"  # as listed\n', encoding="utf-8")
    run = cli("--records", without_the_meeting, "import", seed)
    assert run.exit_code == 0, run.stderr
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A stub the secretary wrote.\ndate = 2007-11-22\n"
                           'title = "Synthèse de la 3ème rencontre"  # as listed\n')
    assert len(tomllib.loads(text)["participants"]) == 8


def test_dry_run_writes_nothing(cli, seed, without_the_meeting):
    before = snapshot(without_the_meeting)
    run = cli("--records", without_the_meeting, "import", "--dry-run", seed)
    assert run.exit_code == 0
    assert "--- " in run.stdout and "[[participants]]" in run.stdout
    assert snapshot(without_the_meeting) == before


SPIP_SOURCE = """{{Synthèse de la rencontre du 8 avril 2008}}

{{Participants}} : Ann Martin / Apeas ; Bob Durand / trésorier Essor13 ;

{{Excusés}} : Chloé Petit / Place

{{{I - Le site et ses {liens}}}}

Nous avons revu [le site->https://example.org/site] et la {{charte}}.
_ Une ligne de plus, après un saut de ligne.

-* Premier point
-** sous-point avec [un lien->https://example.org/a]
-** autre sous-point
-* Second point

{{{II - Divers}}}

Rien à signaler.

{{{Prochaine rencontre}}}

La prochaine rencontre aura lieu le mardi 13 mai 2008 à 9h30 à la Maison des associations, 12 rue Longue.
"""


def test_spip_source_with_nested_lists_and_links(cli, tmp_path):
    records = tmp_path / "records"
    make_group(records, "atelier", group='name = "Atelier"\n[[members]]\nname = "Ann Martin"\n')
    article = tmp_path / "texte.spip"
    article.write_text(SPIP_SOURCE, encoding="utf-8")
    run = cli("--records", records, "import", article)
    assert run.exit_code == 0, run.stderr
    data = tomllib.loads((records / "atelier" / "2008-04-08.toml").read_text(encoding="utf-8"))
    people = {p["name"]: p for p in data["participants"]}
    assert people["Bob Durand"] == {"name": "Bob Durand", "organization": "Essor13",
                                    "role": "trésorier"}
    assert people["Chloé Petit"]["attendance"] == "excused"
    first, second = data["topics"]
    assert first["title"] == "Le site et ses liens"
    assert "[le site](https://example.org/site) et la **charte**." in first["body"]
    assert "- Premier point\n  - sous-point avec [un lien](https://example.org/a)\n" \
           "  - autre sous-point\n- Second point" in first["body"]
    assert second == {"title": "Divers", "body": "Rien à signaler.\n"}
    assert data["next"]["date"].isoformat() == "2008-05-13T09:30:00"
    assert data["next"]["venue"] == "la Maison des associations"
    assert data["next"]["address"] == "12 rue Longue"
    assert cli("--records", records, "check").exit_code == 0
    html = cli("--records", records, "render", "atelier/2008-04-08", "-f", "html").stdout
    assert '<a href="https://example.org/a">un lien</a>' in html
    assert "<strong>charte</strong>" in html


PAGE = """Hiérarchie : Groupes de travailAtelier
fleche ... 2008/04/08. Compte-rendu de la rencontre d'avril

mis en ligne le 20 avril 2008.

Synthèse de la rencontre du 8 avril 2008

Participants : Ann Martin / Apeas ; Bob Durand / Essor13 ;
Excusés : Chloé Petit / Place ; Dan Roux / Apeas
Absents : Eve Blanc

I - Budget

Le budget est présenté par Bob.
Il est convenu que le budget sera voté en mai.

La prochaine rencontre aura lieu le mardi 13 mai 2008 à 9h30 à la Maison des associations.

Articles dans la même rubrique
fleche 2008/04/08. Compte-rendu de la rencontre d'avril
fleche 2008/03/11. Compte-rendu de la rencontre de mars
Mots clefs de l'article
Budget -
"""


def test_a_page_with_excused_and_absent_a_time_like_9h30_and_no_context(cli, tmp_path):
    records = tmp_path / "records"
    make_group(records, "atelier", group='name = "Atelier"\n')
    article = tmp_path / "page.txt"
    article.write_text(PAGE, encoding="utf-8")
    run = cli("--records", records, "import", article)
    assert run.exit_code == 0, run.stderr
    data = tomllib.loads((records / "atelier" / "2008-04-08.toml").read_text(encoding="utf-8"))
    attendance = {p["name"]: p.get("attendance", "present") for p in data["participants"]}
    assert attendance == {"Ann Martin": "present", "Bob Durand": "present",
                          "Chloé Petit": "excused", "Dan Roux": "excused", "Eve Blanc": "absent"}
    assert "context" not in data
    assert data["title"] == "Compte-rendu de la rencontre d'avril"
    assert data["keywords"] == ["Budget"]
    assert data["next"]["date"].isoformat() == "2008-05-13T09:30:00"
    assert data["topics"][0]["body"] == ("Le budget est présenté par Bob.\n"
                                         "Il est convenu que le budget sera voté en mai.\n")
    stub = records / "atelier" / "2008-03-11.toml"
    assert tomllib.loads(stub.read_text())["title"] == "Compte-rendu de la rencontre de mars"
    assert cli("--records", records, "check").exit_code == 0


ENGLISH = """published on 3 March 2026.

Minutes of the meeting of 12 February 2026

Participants: Ann Martin / Apeas; Bob Durand / Essor13;
Excused: Chloé Petit / Place

Background: Our second meeting.

I - Budget

The budget was presented.

The next meeting will take place on Thursday 12 March 2026 at 6:30 pm at the Town hall, 1 Main Street.
"""


def test_an_english_page_for_an_english_group(cli, tmp_path):
    records = tmp_path / "records"
    make_group(records, "club", group='name = "Club"\nlanguage = "en"\n')
    article = tmp_path / "minutes.txt"
    article.write_text(ENGLISH, encoding="utf-8")
    run = cli("--records", records, "import", article)
    assert run.exit_code == 0, run.stderr
    data = tomllib.loads((records / "club" / "2026-02-12.toml").read_text(encoding="utf-8"))
    assert data["published"].isoformat() == "2026-03-03"
    assert data["context"] == "Our second meeting."
    assert [p.get("attendance", "present") for p in data["participants"]] == [
        "present", "present", "excused"]
    assert data["next"]["date"].isoformat() == "2026-03-12T18:30:00"
    assert (data["next"]["venue"], data["next"]["address"]) == ("the Town hall", "1 Main Street")
    rendered = cli("--records", records, "render", "club/2026-02-12").stdout
    assert "Minutes of the meeting of 12 February 2026" in rendered


def test_our_own_spip_output_reads_back(cli, tmp_path):
    """The shipped synthesis as SPIP, imported into a new group: the same people, topics,
    decisions, actions and next meeting."""
    spip = cli("--records", SHIPPED, "render", "ramsess/2007-11-22", "-f", "spip",
               "--text-only").stdout
    article = tmp_path / "texte.spip"
    article.write_text(spip, encoding="utf-8")
    records = tmp_path / "records"
    records.mkdir()
    run = cli("--records", records, "import", "--group", "copie", article)
    assert run.exit_code == 0, run.stderr
    got = tomllib.loads((records / "copie" / "2007-11-22.toml").read_text(encoding="utf-8"))
    want = tomllib.loads((SHIPPED / "ramsess" / "2007-11-22.toml").read_text(encoding="utf-8"))
    assert got["participants"] == want["participants"]
    assert [t["title"] for t in got["topics"]] == [t["title"] for t in want["topics"]]
    assert [t.get("decisions") for t in got["topics"]] == [t.get("decisions")
                                                          for t in want["topics"]]

    def said(topics):  # "Owner : task" as a reader sees it (an owner-less task may start so)
        return [[" ".join(f"{a.get('owner', '')} : {a['task']}".replace("\u00a0", " ").split())
                 .removeprefix(": ") for a in t.get("actions", [])] for t in topics]

    assert said(got["topics"]) == said(want["topics"])
    assert got["next"]["date"] == want["next"]["date"]


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"Une liste de courses : pain, lait.\n", "not an article of a meeting"),
    ("Synthèse de la rencontre du 22 novembre 2007\n".encode("latin-1"), "not UTF-8"),
])
def test_bad_input_is_one_line_and_writes_nothing(cli, tmp_path, content, message):
    records = tmp_path / "records"
    make_group(records, "atelier", group='name = "Atelier"\n')
    before = snapshot(records)
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    run = cli("--records", records, "import", article)
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith("error: ") and message in run.stderr
    assert run.stderr.count("\n") == 1
    assert snapshot(records) == before


def test_a_missing_file_is_named(cli, tmp_path):
    records = tmp_path / "records"
    make_group(records, "atelier", group='name = "Atelier"\n')
    run = cli("--records", records, "import", tmp_path / "nope.txt")
    assert run.exit_code == 3 and "nope.txt: no such file" in run.stderr


def test_spip_text_outside_its_markup_stays_literal():
    from rencontres.importer.lines import spip_md as _spip_md
    from rencontres.importer.lines import spip_plain as _spip_plain

    source = r"Prix * 2 et _tiret_ {ital} \{pas ital\} [lien->https://example.org] &amp; <b>"
    md = _spip_md(source)
    assert _spip_plain(source) == "Prix * 2 et _tiret_ ital {pas ital} lien & <b>"
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(md)
    assert "<em>ital</em>" in html and '<a href="https://example.org">lien</a>' in html
    assert "Prix * 2 et _tiret_" in html and "{pas ital}" in html and "&lt;b&gt;" in html
