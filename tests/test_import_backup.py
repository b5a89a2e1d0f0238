"""import BACKUP.sqlite, issue 23: a SPIP section from the site's own backup.

The backup is one SPIP 4.3.5 made (`tests/data/spip-backup/make.sh`: SPIP's own API, SPIP's own
`dump` plugin): rubriques 1 Groupes de travail / 2 Ramsess / 3 Les rencontres de ce groupe de
travail / 6 "10. <multi>[fr]Archives 2007[en]2007 archive</multi>", and 4 "Ressources" and 5
"02. Ressources" (the same title as shown); in 3, published: art1 the seed's meeting, art2 its
invitation, art3 (a note, a table, a quote, [->art1], a document <doc1>), art7 an announcement
without a date prefix; art4 proposed; art5 in 4; art6 in 6.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
import tomllib
from pathlib import Path

import pytest

from conftest import DATA, ROOT, snapshot

BACKUP = DATA / "spip-backup" / "spip-backup.sqlite"
SECTION = "Groupes de travail/Ramsess/Les rencontres de ce groupe de travail"
SITE = "http://127.0.0.1:8765/"


def _import(cli, records: Path, *args):
    return cli("--records", records, "import", BACKUP, "--group", "ramsess", *args)


@pytest.fixture
def imported(cli, tmp_path) -> Path:
    records = tmp_path / "records"
    records.mkdir()
    run = _import(cli, records, "--section", SECTION)
    assert run.exit_code == 0, run.stderr
    return records


def _record(records: Path, stem: str) -> dict:
    return tomllib.loads((records / "ramsess" / f"{stem}.toml").read_text(encoding="utf-8"))


def test_the_section_s_published_articles_become_records_that_pass_check(cli, imported):
    files = sorted(p.name for p in (imported / "ramsess").iterdir() if p.name != ".state.lock")
    # art1, art3: syntheses; art2 and art7 complete their [next]; art4 (proposed), art5
    # (another rubrique) and art6 (a sub-rubrique, without --recursive) are not imported
    assert files == ["2007-11-22.toml", "2008-02-27.toml", "group.toml", "state.toml"]
    run = cli("--records", imported, "check")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "0 errors" in run.stdout + run.stderr


def test_each_record_holds_what_the_backup_says(imported):
    shipped = tomllib.loads((ROOT / "records" / "ramsess" / "2007-11-22.toml")
                            .read_text(encoding="utf-8"))
    first = _record(imported, "2007-11-22")
    assert first["spip_article"] == 1
    assert first["title"] == "Synthèse de la 3ème rencontre"  # the date prefix left out
    assert first["number"] == 3
    assert first["published"] == dt.date(2008, 1, 15)
    assert first["subtitle"].strip().splitlines() == [
        "Articulation des pratiques d’accompagnement et mise en perspectives des spécificités "
        "ESS", "Expérimentation COPECS - Bouches du Rhône"]
    assert [(p["name"], p.get("organization")) for p in first["participants"]] == \
        [(p["name"], p.get("organization")) for p in shipped["participants"]]
    assert [t["title"] for t in first["topics"]] == [t["title"] for t in shipped["topics"]]
    # the seed's "16 Janvier 2007" read as 2008-01-16, and its invitation (art2) completes it
    nxt = first["next"]
    assert nxt["date"] == dt.datetime(2008, 1, 16, 14, 0)
    assert nxt["venue"] == "Energie Alternative"
    assert nxt["agenda"] == ["Retour sur la synthèse du 22 novembre (voir la synthèse)",
                             "Support de présentation commun"]
    assert "Merci de confirmer votre présence." in nxt["note"]

    third = _record(imported, "2008-02-27")
    assert third["spip_article"] == 3 and third["published"] == dt.date(2008, 3, 10)
    assert [(p["name"], p["organization"]) for p in third["participants"]] == \
        [("Pierre Levy", "Intermade"), ("Amanda Morbelli", "Apeas")]
    body = third["topics"][0]["body"]
    assert "| Diffuser le questionnaire | Intermade | mars 2008 |" in body
    assert "> L’accompagnement est d’abord collectif." in body
    # [->art1]: a link to that article's page, titled as SPIP shows it (its full title)
    assert f"[2007/11/22. Synthèse de la 3ème rencontre]({SITE}spip.php?article1)" in body
    # <doc1>: the document, by its title, where the site serves it; and named in the record
    doc = f"{SITE}IMG/pdf/trame_du_support_commun.pdf"
    assert f"[Trame du support commun]({doc})" in body
    assert third["documents"] == [{"title": "Trame du support commun", "url": doc}]
    # art7, an announcement without a date prefix, is the next meeting after art3
    assert third["next"]["date"] == dt.datetime(2008, 4, 9, 14, 0)
    assert third["next"]["venue"] == "Pôle ESS"
    assert third["next"]["agenda"] == ["Bilan du questionnaire", "Calendrier de la plaquette"]

    group = tomllib.loads((imported / "ramsess" / "group.toml").read_text(encoding="utf-8"))
    assert group["section"] == SECTION.split("/")
    assert group["keywords"] == ["accompagnement", "ESS"]  # both syntheses have both
    assert group["url"] == f"{SITE}spip.php?rubrique3"  # the section's page on the site
    assert first["url"] == f"{SITE}spip.php?article1"


def test_a_second_import_writes_nothing(cli, imported):
    before = snapshot(imported)
    run = _import(cli, imported, "--section", "3")
    assert run.exit_code == 0, run.stderr
    assert "nothing to write" in run.stderr
    assert snapshot(imported) == before


def test_an_edited_record_is_kept_and_said(cli, imported):
    path = imported / "ramsess" / "2008-02-27.toml"
    text = path.read_text(encoding="utf-8").replace('venue = "Pôle ESS"', 'venue = "Pôle ESS 13"')
    path.write_text(text, encoding="utf-8")
    before = snapshot(imported)
    run = _import(cli, imported, "--section", "3")
    assert run.exit_code == 0, run.stderr
    assert "2008-02-27.toml: edited since it was imported: kept as it is" in run.stderr
    assert snapshot(imported) == before


def test_recursive_and_status_take_more(cli, tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    run = _import(cli, records, "--section", "3", "--recursive", "--status", "prop", "--dry-run")
    assert run.exit_code == 0, run.stderr
    rows = {int(line.split()[0]): line for line in run.stdout.splitlines()
            if line.split() and line.split()[0].isdigit()}
    assert set(rows) == {1, 2, 3, 4, 6, 7}  # art5 is in another rubrique
    assert "new: 2007-10-03.toml" in rows[6]
    assert "completes the next meeting of 2007-11-22.toml" in rows[2]
    assert "left out: not an article of a meeting" in rows[4]  # a draft of one line
    assert list(records.iterdir()) == []  # --dry-run
    run = _import(cli, records, "--section", "3", "--dry-run")
    assert "left out: proposed (prop)" in run.stdout and "--status" in run.stderr


def test_without_a_section_the_rubriques_are_listed(cli, tmp_path):
    run = cli("--records", tmp_path, "import", BACKUP)
    assert run.exit_code == 0, run.stderr
    lines = [" ".join(line.split()) for line in run.stdout.splitlines()]
    assert "SPIP 4.3.5" in lines[0]
    assert "3 Les rencontres de ce groupe de travail (4 published, 1 not published)" in lines
    assert "6 Archives 2007 (1 published)" in lines  # its rank and <multi> as the site shows
    assert "4 Ressources (1 published)" in lines and "5 Ressources (0 published)" in lines
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("section,says", [
    ("Ressources", '"Ressources" is rubriques 4 and 5'),
    ("Groupes de travail/Ramses", 'no rubrique "Groupes de travail/Ramses" in this backup (did '
                                  'you mean "Groupes de travail/Ramsess", number 2?)'),
    ("99", "no rubrique number 99 in this backup"),
])
def test_a_section_that_is_not_one_rubrique_is_refused_in_one_line(cli, tmp_path, section, says):
    run = cli("--records", tmp_path, "import", BACKUP, "--group", "g", "--section", section)
    assert run.exit_code == 2
    assert says in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def _variants(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    out = {}
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    out["empty"] = (empty, "empty file: not a SPIP backup")
    text = tmp_path / "notes.sqlite"
    text.write_text("date = 2008-01-16\n", encoding="utf-8")
    out["not sqlite"] = (text, "not a SPIP backup (not an SQLite file)")
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(BACKUP.read_bytes()[:8192])
    out["truncated"] = (cut, "damaged or truncated SQLite file")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    out["another database"] = (other, "not a SPIP backup (no table spip_articles, "
                                      "spip_rubriques, spip_meta)")
    old = tmp_path / "old.sqlite"
    shutil.copy(BACKUP, old)
    with sqlite3.connect(old) as db:  # SPIP's own backup, made into one of another schema
        db.execute("ALTER TABLE spip_articles DROP COLUMN soustitre")
        db.execute("UPDATE spip_meta SET valeur = '16428' WHERE nom = 'version_installee'")
    db.close()
    out["old schema"] = (old, "a SPIP backup of schema 16428 whose tables lack what is needed "
                              "(spip_articles.soustitre)")
    return out


@pytest.mark.parametrize("case", ["empty", "not sqlite", "truncated", "another database",
                                  "old schema"])
def test_a_file_that_is_no_readable_backup_gets_one_line_and_exit_2(cli, tmp_path, case):
    records = tmp_path / "records"
    records.mkdir()
    path, says = _variants(tmp_path)[case]
    for args in ((), ("--section", "3", "--group", "g")):
        run = cli("--records", records, "import", path, *args)
        assert run.exit_code == 2, run.stdout + run.stderr
        assert says in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert list(records.iterdir()) == []


def test_nothing_of_the_authors_or_the_site_s_secrets_reaches_records_or_messages(cli, tmp_path):
    with sqlite3.connect(BACKUP) as db:
        secrets = [v for row in db.execute("SELECT email, pass, login, nom FROM spip_auteurs")
                   for v in row if v] + \
            [v for (v,) in db.execute("SELECT valeur FROM spip_meta WHERE nom IN "
                                      "('alea_ephemere', 'secret_du_site', 'email_webmaster')")
             if v]
    db.close()
    assert any("@" in s for s in secrets) and any(s.startswith("$2y$") for s in secrets)
    records = tmp_path / "records"
    records.mkdir()
    said = ""
    for args in ((), ("--section", "3", "--dry-run"), ("--section", "3", "--recursive")):
        run = _import(cli, records, *args)
        said += run.stdout + run.stderr
    written = "".join(p.read_text(encoding="utf-8") for p in records.rglob("*") if p.is_file())
    for secret in secrets:
        if len(secret) > 4:  # the login "admin" is a word of the text too
            assert secret not in said and secret not in written, secret


def test_every_word_of_each_texte_is_in_the_records(imported):
    """Word accounting, as for `import` of files: each article's texte against the records
    the batch wrote (values and comments), and the words the synthesis writes itself."""
    from rencontres.importer import accounting, reader
    from rencontres.importer import backup as spip
    from rencontres.importer.fromsite import read_article
    from rencontres.importer.lines import Links

    site = spip.open_backup(BACKUP)
    links = Links(*site.links())
    texts = [p.read_text(encoding="utf-8") for p in (imported / "ramsess").glob("*.toml")
             if p.name != "state.toml"]
    for article in site.articles([3]):
        if article.statut != "publie":
            continue
        found = read_article(article, site, links)
        labels = reader.Imported(labels=found.labels)  # an announcement's, or a synthesis's
        counted = accounting.account(article.texte, texts, labels, "spip", links)
        assert counted.body > 10
        assert not counted.unaccounted, (article.id, str(counted))
    site.close()


# -- the visible text, through SPIP's own propre() -------------------------------------------

# The lines the synthesis writes itself, as the README's section on backups names them.
REGENERATED = {
    "the heading with the meeting's date": re.compile(r"^Synthèse de la rencontre du "),
    "the summary of the sections": re.compile(r"^[IVX]+ - "),
    'the heading "Prochaine rencontre"': re.compile(r"^Prochaine rencontre$"),
    "the next-meeting sentence": re.compile(r"^Le prochain atelier de travail est fixé au "),
    'the heading "Documents joints"': re.compile(r"^Documents joints$"),
    # the backup's one document, "Trame du support commun": listed, and where the text calls
    # it (<doc1>) a link with its title, not the box SPIP shows of it
    "a line per document, and a document called in the text by its title":
        re.compile(r"<(?:doc|img|emb)\d+(?:\|[^>]*)?>|\bTrame du support commun$"),
}
# The labels the synthesis writes before a paragraph of the article's (its text before the
# first section becomes the record's context, shown after "Repère :")
LABELS = re.compile(r"^(?:Participants|Repère) : ")
NUMBER = re.compile(r"^[IVX]+ - ")  # the sections' numbers ("I - Décisions")


def _spip_site(tmp_path: Path, cli) -> tuple[Path, Path]:
    """A copy of CI's SPIP 4.3.5 holding the backup's objects (made again by make.php, so
    that [->art1] and <doc1> resolve as on the site), and propre.php."""
    root = os.environ.get("RENCONTRES_SPIP_ROOT")
    tools = Path(os.environ.get("RENCONTRES_SPIP_TOOLS") or
                 ROOT.parent / "shared" / "tools" / "spip-engine")
    if not root or not shutil.which("php") or not (tools / "propre.php").is_file():
        pytest.skip("SPIP's engine is not installed here (see ../shared/tools/spip-engine)")
    site = tmp_path / "spip"
    shutil.copytree(root, site, symlinks=True)
    seed = tmp_path / "seed.spip"
    seed.write_text(cli("render", "ramsess/2007-11-22", "--format", "spip", "--text-only",
                        ).stdout, encoding="utf-8")
    made = subprocess.run(["php", str(DATA / "spip-backup" / "make.php"), str(seed),
                           str(tmp_path / "again.sqlite")], capture_output=True, text=True,
                          env={**os.environ, "SPIP_ROOT": str(site)})
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(tmp_path / "again.sqlite") as a, sqlite3.connect(BACKUP) as b:
        query = "SELECT id_article, titre, texte FROM spip_articles ORDER BY id_article"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()  # the same site
    return site, tools / "propre.php"


def _visible(html: str) -> list[str]:
    """What a reader sees of SPIP's HTML, a block per line (a note's call and its text
    apart: SPIP sets the notes out below the text)."""
    import html as html_lib

    html = re.sub(r"<span class=\"spip_note_ref\">.*?</span>", "", html)
    html = re.sub(r"</?(?:p|h\d|li|tr|blockquote|div|ul|ol|table|thead|tbody|dt|dd)\b[^>]*>",
                  "\n", html)
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", html))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_the_rendered_record_shows_what_the_article_showed_in_spip_itself(cli, imported,
                                                                         tmp_path):
    site, propre = _spip_site(tmp_path, cli)

    def shown(text: str) -> list[str]:
        done = subprocess.run(["php", str(propre), "-"], input=text, capture_output=True,
                              text=True, env={**os.environ, "SPIP_ROOT": str(site)}, check=True)
        return _visible(done.stdout)

    used = set()
    with sqlite3.connect(BACKUP) as db:
        texts = dict(db.execute("SELECT id_article, texte FROM spip_articles"))
    db.close()
    for article, stem in ((1, "2007-11-22"), (3, "2008-02-27")):
        rendered = cli("--records", imported, "render", f"ramsess/{stem}", "--format", "spip",
                       "--text-only").stdout
        original = [LABELS.sub("", line) for line in shown(texts[article])]
        again = [LABELS.sub("", line) for line in shown(rendered)]
        numbered = {NUMBER.sub("", line) for line in again if NUMBER.match(line)}
        lost = [line for line in original if line not in again and line not in numbered]
        added = [line for line in again if line not in original]
        for line in lost + added:
            kinds = [k for k, pattern in REGENERATED.items() if pattern.search(line)]
            assert kinds or line in _from_announcements(), \
                f"article {article}: differs, and is no line the tool writes: {line!r}"
            used.update(kinds)
        assert len(lost) <= 6, lost
    assert used >= {"the heading with the meeting's date", "the summary of the sections",
                    'the heading "Documents joints"'}


def _from_announcements() -> set[str]:
    """What the invitation (art2) and the announcement (art7) add to the [next] of the
    meetings before them, as SPIP shows it."""
    return {"Ordre du jour", "Retour sur la synthèse du 22 novembre (voir la synthèse)",
            "Support de présentation commun", "Invitation", "Merci de confirmer votre présence.",
            "Bilan du questionnaire", "Calendrier de la plaquette"}


def test_the_readme_says_how_to_get_a_backup_and_the_lines_it_regenerates():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### From the site's backup"):]
    section = " ".join(section[:section.index("\n## ", 5)].split())
    for words in ("Maintenance", "Sauvegarder la base", "--section", "--recursive", "--status",
                  "spip_auteurs", '"Repère :"', "the sections' numbers", *REGENERATED):
        assert words in section, words


def test_an_announcement_no_synthesis_precedes_becomes_a_stub_that_quotes_it(tmp_path):
    """The invitation alone (its meeting's synthesis not in the batch): a stub of the
    announced meeting, what the invitation says quoted in it."""
    from rencontres.importer import backup as spip
    from rencontres.importer.fromsite import Announced, read_article
    from rencontres.importer.lines import Links
    from rencontres.importer.plan import Plan
    from rencontres.records.store import Store

    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "group.toml").write_text('name = "G"\n', encoding="utf-8")
    site = spip.open_backup(BACKUP)
    invitation = next(a for a in site.articles([3]) if a.id == 2)
    found = read_article(invitation, site, Links(*site.links()))
    site.close()
    assert isinstance(found, Announced) and found.day == dt.date(2008, 1, 16)
    plan = Plan(Store(tmp_path), "g")
    plan.add_read(Path("site.sqlite (article 2)"), found, "d")
    plan.resolve()
    [write] = plan.writes
    assert write.what == "stub" and write.path.name == "2008-01-16.toml"
    data = tomllib.loads(write.text)
    assert data == {"date": dt.date(2008, 1, 16), "title": "Rencontre du 16 janvier 2008"}
    for words in ("announced by article 2", "at 14:00", "Marseille",
                  "Retour sur la synthèse du 22 novembre (voir la synthèse)",
                  "Merci de confirmer votre présence."):
        assert words in write.text, words


def test_workers_read_what_one_process_reads(cli, tmp_path, monkeypatch):
    """A large batch is read by worker processes: the same records, byte for byte."""
    from rencontres.importer import sitebatch

    one, many = tmp_path / "one", tmp_path / "many"
    for folder in (one, many):
        folder.mkdir()
    assert _import(cli, one, "--section", "3", "--recursive").exit_code == 0
    monkeypatch.setattr(sitebatch, "_PARALLEL", 1)
    monkeypatch.setattr(sitebatch, "_CHUNK", 2)
    monkeypatch.setattr("rencontres.records.archive.cores", lambda: 2)
    assert _import(cli, many, "--section", "3", "--recursive").exit_code == 0
    assert snapshot(many) == snapshot(one)
