"""import, issue 22: group data where it belongs — what every article repeats is the group's,
what one article has stays in its record; an existing group.toml is completed, never
rewritten."""

from __future__ import annotations

import tomllib

from conftest import make_group, snapshot

ANNEX = ("IV - Annexe : Rappel des objectifs du groupe\n\n"
         "Le groupe qualifie les pratiques d’accompagnement.\n\n")


def _page(day: int, month: str, num: str, annex: str = "", keywords: str = "") -> str:
    return (f"Hiérarchie : Groupes de travailAtelier\n"
            f"fleche ... 2008/{num}/{day:02d}. Compte-rendu de la rencontre de {month}\n\n"
            f"mis en ligne le 20 {month} 2008.\n\n"
            f"Synthèse de la rencontre du {day} {month} 2008\n\n"
            "Participants : Ann Martin / Apeas ; Bob Durand / Essor13 ;\n\n"
            "I - Budget\n\nLe budget est présenté par Bob.\n\n"
            f"{annex}"
            "Articles dans la même rubrique\n"
            f"fleche 2008/{num}/{day:02d}. Compte-rendu de la rencontre de {month}\n"
            + (f"Mots clefs de l'article\n{keywords}" if keywords else ""))


def _two(tmp_path, first_annex: str, second_annex: str, first_kw: str = "", second_kw: str = ""):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(_page(8, "avril", "04", first_annex, first_kw), encoding="utf-8")
    b.write_text(_page(13, "mai", "05", second_annex, second_kw), encoding="utf-8")
    return a, b


def _read(path):
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_what_one_article_has_stays_in_its_record(cli, tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    a, b = _two(tmp_path, ANNEX, "", "Budget -\nAccompagnement -\n")
    run = cli("--records", records, "import", "--group", "g", a, b)
    assert run.exit_code == 0, run.stderr
    group = _read(records / "g" / "group.toml")
    assert "objectives" not in group and "keywords" not in group
    first = _read(records / "g" / "2008-04-08.toml")
    assert first["objectives"].startswith("Le groupe qualifie les pratiques")
    assert first["keywords"] == ["Budget", "Accompagnement"]
    second = _read(records / "g" / "2008-05-13.toml")
    assert "objectives" not in second and "keywords" not in second
    assert cli("--records", records, "check").exit_code == 0
    for fmt in ("markdown", "spip", "html"):
        mine = cli("--records", records, "render", "g/2008-04-08", "-f", fmt).stdout
        assert "Rappel des objectifs" in mine and "qualifie les pratiques" in mine
        assert "Budget" in mine and "Accompagnement" in mine
        other = cli("--records", records, "render", "g/2008-05-13", "-f", fmt).stdout
        assert "Rappel des objectifs" not in other and "qualifie" not in other
        assert "Accompagnement" not in other


def test_what_every_article_repeats_is_the_groups(cli, tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    a, b = _two(tmp_path, ANNEX, ANNEX, "Budget -\nAvril -\n", "Budget -\n")
    run = cli("--records", records, "import", "--group", "g", b, a)
    assert run.exit_code == 0, run.stderr
    group = _read(records / "g" / "group.toml")
    assert group["objectives"].startswith("Le groupe qualifie les pratiques")
    assert group["keywords"] == ["Budget"]
    first = _read(records / "g" / "2008-04-08.toml")
    second = _read(records / "g" / "2008-05-13.toml")
    assert "objectives" not in first and "objectives" not in second
    assert first["keywords"] == ["Avril"] and "keywords" not in second
    for stem in ("2008-04-08", "2008-05-13"):
        text = cli("--records", records, "render", f"g/{stem}").stdout
        assert text.count("Rappel des objectifs") == 1 and "Budget" in text


def test_an_existing_group_toml_is_completed_never_rewritten(cli, tmp_path):
    records = tmp_path / "records"
    mine = ('# Our group, by hand.\nname = "Atelier"  # the name we use\n\n'
            '[[members]]\nname = "Ann Martin"\norganization = "Apeas"\n')
    make_group(records, "g", group=mine)
    a, b = _two(tmp_path, ANNEX, ANNEX, "Budget -\n", "Budget -\n")
    run = cli("--records", records, "import", "--group", "g", a, b)
    assert run.exit_code == 0, run.stderr
    text = (records / "g" / "group.toml").read_text(encoding="utf-8")
    assert text.startswith("# Our group, by hand.\nname = \"Atelier\"  # the name we use\n")
    assert text.endswith('[[members]]\nname = "Ann Martin"\norganization = "Apeas"\n')
    group = tomllib.loads(text)
    assert group["objectives"].startswith("Le groupe qualifie") and group["keywords"] == ["Budget"]
    assert group["members"] == [{"name": "Ann Martin", "organization": "Apeas"}]
    assert cli("--records", records, "check").exit_code == 0


def test_a_differing_annex_stays_in_the_record_with_a_note(cli, tmp_path):
    records = tmp_path / "records"
    make_group(records, "g", group='name = "Atelier"\nobjectives = "Nos objectifs."\n')
    before = (records / "g" / "group.toml").read_text(encoding="utf-8")
    a, b = _two(tmp_path, ANNEX, "")
    run = cli("--records", records, "import", "--group", "g", a, b)
    assert run.exit_code == 0, run.stderr
    after = (records / "g" / "group.toml").read_text(encoding="utf-8")
    assert after.startswith(before)  # completed (the section), its objectives as they were
    assert tomllib.loads(after)["objectives"] == "Nos objectifs."
    text = (records / "g" / "2008-04-08.toml").read_text(encoding="utf-8")
    assert "differs from group.toml's objectives" in text
    assert "differs from group.toml's objectives" in run.stderr
    assert tomllib.loads(text)["objectives"].startswith("Le groupe qualifie")
    rendered = cli("--records", records, "render", "g/2008-04-08").stdout
    assert "qualifie les pratiques" in rendered and "Nos objectifs" not in rendered


def test_one_article_into_an_existing_group_completes_nothing(cli, tmp_path):
    records = tmp_path / "records"
    make_group(records, "g", group='name = "Atelier"\n')
    before = snapshot(records)
    a, _ = _two(tmp_path, ANNEX, "", "Budget -\n")
    assert cli("--records", records, "import", "--group", "g", a).exit_code == 0
    assert snapshot(records)["g/group.toml"] == before["g/group.toml"]
    data = _read(records / "g" / "2008-04-08.toml")
    assert data["keywords"] == ["Budget"] and data["objectives"].startswith("Le groupe")


def test_a_keyword_every_article_has_that_group_toml_lacks_is_a_note(cli, tmp_path):
    records = tmp_path / "records"
    make_group(records, "g", group='name = "Atelier"\nkeywords = ["Finance"]\n')
    a, b = _two(tmp_path, "", "", "Budget -\nFinance -\n", "Budget -\n")
    run = cli("--records", records, "import", "--group", "g", a, b)
    assert run.exit_code == 0, run.stderr
    assert tomllib.loads((records / "g" / "group.toml").read_text())["keywords"] == ["Finance"]
    note = "the keyword \"Budget\" every article has is not in group.toml's keywords"
    assert run.stderr.count(note) == 2
    for stem in ("2008-04-08", "2008-05-13"):
        text = (records / "g" / f"{stem}.toml").read_text(encoding="utf-8")
        assert note in text and tomllib.loads(text)["keywords"] == ["Budget"]
