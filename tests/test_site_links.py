"""The site as a visitor finds it: crawled from `index.html`, link by link (tests/site_crawl.py):
every page reachable, no internal link broken, no page an orphan, every link relative; each
page with its language, title, headings in order, landmarks, viewport and print style; laid
out as the SPIP section it mirrors."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from conftest import make_group
from site_crawl import crawl, read_page, site_pages

ROOT = Path(__file__).resolve().parent.parent


def _build(cli, records, site, *extra):
    run = cli("--records", records, "build", "--no-search", "-o", site, *extra)
    assert run.exit_code == 0, run.stderr
    return run


def _assert_sound(site: Path, lang: str = "fr") -> None:
    found = crawl(site)
    _pages_sound(found, site, lang)


def _pages_sound(found, site: Path, lang: str) -> None:
    assert found.broken == []
    assert found.absolute == []
    assert site_pages(site) - found.reached == set()  # no orphan
    for rel, page in found.pages.items():
        assert page.lang == lang, rel
        assert page.title.strip(), rel
        assert page.headings[0] == 1 and page.headings.count(1) == 1, rel
        assert all(b <= a + 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), rel
        assert {"nav", "main"} <= page.tags, rel
        assert page.viewport and page.print_style, rel
        assert page.canonical == "", rel


def test_the_shipped_site_is_linked_from_its_plan(cli, records, tmp_path):
    site = tmp_path / "site"
    _build(cli, records, site)
    _assert_sound(site)
    found = crawl(site)
    stems = sorted(p.stem for p in (records / "ramsess").glob("2*.toml"))
    assert {f"ramsess/{s}.html" for s in stems} <= found.reached
    assert {"ramsess/calendar.ics", "ramsess/keywords.html", "ramsess/actions.html",
            "ramsess/decisions.html", "ramsess/attendance.html"} <= found.reached
    assert len([r for r in found.reached if r.startswith("ramsess/mot/")]) == 3
    # the plan: every meeting, newest first, the stubs said to be stubs
    plan = (site / "index.html").read_text(encoding="utf-8")
    positions = [plan.index(f'href="ramsess/{s}.html"') for s in stems]
    assert positions == sorted(positions, reverse=True)
    stubs = [s for s in stems if "Pas encore transcrit" in
             (site / f"ramsess/{s}.html").read_text(encoding="utf-8")]
    assert len(stubs) == 12 and "2007-11-22" not in stubs
    assert plan.count("(pas encore transcrit)") == len(stubs)
    assert "Groupes de travail" in plan


def test_a_synthesis_page_is_laid_out_as_the_spip_article(cli, records, tmp_path):
    site = tmp_path / "site"
    _build(cli, records, site)
    text = (site / "ramsess/2007-11-22.html").read_text(encoding="utf-8")
    page = read_page(site / "ramsess/2007-11-22.html")
    # breadcrumbs: the plan, the section path, the group's page, this article
    crumbs = text[text.index('<ol class="crumbs">'):text.index("</ol>")]
    assert [c in crumbs for c in ("Plan du site", "Groupes de travail", "Ramsess",
                                  'href="index.html">Les rencontres de ce groupe de travail',
                                  'aria-current="page">Synthèse de la 3ème rencontre')] == [True] * 5
    # "Articles dans la même rubrique": every article linked, this one marked
    aside = text[text.index("<aside"):text.index("</aside>")]
    assert "Articles dans la même rubrique" in aside
    assert aside.count("<a href=") == 13
    assert 'href="2007-11-22.html" aria-current="page"' in aside
    # previous and next meetings, the contents linked to the sections, keywords to their pages
    around = text[text.index('<nav class="around"'):]
    assert 'Rencontre précédente : <a href="2007-10-31.html"' in around
    assert 'Rencontre suivante : <a href="2008-01-16.html"' in around
    assert '<a href="#s1">I - Partenariats de développement' in text
    assert {"s1", "s2", "s3"} <= page.ids
    assert '<a href="mot/agenda-laplateforme.html">Agenda LaPlateforme</a>' in text
    assert "<strong>Date</strong> : jeudi 22 novembre 2007" in text


def test_the_date_time_and_venue_are_on_the_synthesis(cli, tmp_path):
    records = tmp_path / "records"
    make_group(records, "club", group='name = "Club"\nsection = ["Clubs", "Le club"]\n', **{
        "2026-01-15": 'date = 2026-01-15T18:30:00\nend = 2026-01-15T20:00:00\n'
                      'venue = "Maison des associations"\naddress = "3 rue Haute, Lyon"\n\n'
                      '[[participants]]\nname = "Ana"\n\n[next]\ndate = 2026-02-12T18:00:00\n'
                      'venue = "Salle B"\nagenda = ["Le budget"]\n',
        "2026-02-12": 'date = 2026-02-12\n\n[[participants]]\nname = "Ana"\n'})
    site = tmp_path / "site"
    _build(cli, records, site)
    _assert_sound(site)
    first = (site / "club/2026-01-15.html").read_text(encoding="utf-8")
    assert "jeudi 15 janvier 2026 à 18h30 – 20h00" in first
    assert "<strong>Lieu</strong> : Maison des associations, 3 rue Haute, Lyon" in first
    # no time in the record: the one its previous record's [next] planned, and its venue
    second = (site / "club/2026-02-12.html").read_text(encoding="utf-8")
    assert "jeudi 12 février 2026 à 18h00" in second and "Salle B" in second


def test_the_group_page_gives_the_next_meeting_and_its_agenda(cli, tmp_path):
    records = tmp_path / "records"
    make_group(records, "club", group='name = "Club"\nobjectives = "Se retrouver."\n', **{
        "2026-01-15": 'date = 2026-01-15T18:30:00\n\n[[participants]]\nname = "Ana"\n\n'
                      '[[topics]]\ntitle = "Local"\n\n[[topics.actions]]\nowner = "Ana"\n'
                      'task = "Trouver une salle"\n\n[next]\ndate = 2026-02-12T18:00:00\n'
                      'venue = "Maison des associations"\nagenda = ["Le budget"]\n'})
    site = tmp_path / "site"
    _build(cli, records, site)
    text = (site / "club/index.html").read_text(encoding="utf-8")
    agenda = cli("--records", records, "agenda", "club").stdout
    nxt = text[text.index("<h2>Prochaine rencontre</h2>"):text.index("<h2>Les rencontres")]
    sentence = next(line for line in agenda.splitlines() if line.startswith("Le prochain"))
    assert sentence.startswith("Le prochain atelier de travail est fixé au jeudi 12 février "
                               "2026 à 18h00, dans les locaux de Maison des associations")
    assert sentence in nxt
    assert "<h3>Ordre du jour</h3>" in nxt
    assert "<li>Le budget</li>" in nxt and "Trouver une salle" in nxt
    assert "Se retrouver." in text
    assert '<a href="calendar.ics">' in text


def test_a_group_whose_last_record_announces_nothing_has_no_next_meeting(cli, records,
                                                                          tmp_path):
    site = tmp_path / "site"
    _build(cli, records, site)
    text = (site / "ramsess/index.html").read_text(encoding="utf-8")
    assert "Prochaine rencontre" not in text and "Rappel des objectifs du groupe" in text


def test_registers_are_pages(cli, records, tmp_path):
    site = tmp_path / "site"
    _build(cli, records, site)
    actions = (site / "ramsess/actions.html").read_text(encoding="utf-8")
    for line in cli("--records", records, "actions", "ramsess", "--json").stdout.split('"task": ')[1:]:
        task = line.split('"')[1]
        assert task.replace("'", "&#x27;").replace('"', "&quot;")[:40] in actions
    decisions = (site / "ramsess/decisions.html").read_text(encoding="utf-8")
    assert "La trame présentée par Philippe est accueillie" in decisions
    attendance = (site / "ramsess/attendance.html").read_text(encoding="utf-8")
    assert '<th scope="row">Sandrine Delrieu</th>' in attendance
    assert '<th scope="row">LaPlateforme</th>' in attendance


def test_one_page_per_keyword(cli, records, tmp_path):
    site = tmp_path / "site"
    _build(cli, records, site)
    listing = (site / "ramsess/keywords.html").read_text(encoding="utf-8")
    listing = listing[listing.index("<main"):listing.index("</main>")]
    assert listing.count("<li>") == 3  # the keywords, not their articles three times over
    page = (site / "ramsess/mot/agenda-laplateforme.html").read_text(encoding="utf-8")
    assert "<h1>Mot clef : Agenda LaPlateforme</h1>" in page
    assert page.count('href="../2') == 13


def test_an_english_group_has_english_pages(cli, tmp_path):
    records = tmp_path / "records"
    make_group(records, "club", group='name = "The club"\nlanguage = "en"\n'
               'keywords = ["Budget"]\n', **{
                   "2026-01-15": 'date = 2026-01-15T18:30:00\nvenue = "Town hall"\n\n'
                                 '[[topics]]\ntitle = "Budget"\n\n[[topics.decisions]]\n'
                                 'text = "Adopt it"\nfor = 4\nagainst = 0\nabstain = 1\n'})
    site = tmp_path / "site"
    _build(cli, records, site)
    _assert_sound(site, "en")
    text = (site / "club/2026-01-15.html").read_text(encoding="utf-8")
    assert "In the same section" in text and "Site map" in text
    assert "Thursday 15 January 2026 at 6:30 pm" in text
    decisions = (site / "club/decisions.html").read_text(encoding="utf-8")
    assert "<li>Adopt it (adopted by 4 votes for and 1 abstention)</li>" in decisions


def test_the_site_address_gives_canonical_and_webcal_links_only(cli, records, tmp_path):
    site = tmp_path / "site"
    _build(cli, records, site, "--base-url", "https://example.org/archive")
    page = read_page(site / "ramsess/2007-11-22.html")
    assert page.canonical == "https://example.org/archive/ramsess/2007-11-22.html"
    group = (site / "ramsess/index.html").read_text(encoding="utf-8")
    assert 'href="webcal://example.org/archive/ramsess/calendar.ics"' in group
    feed = (site / "ramsess/calendar.ics").read_bytes().decode().replace("\r\n ", "")
    # a meeting without a published address of its own: its synthesis on the site
    assert "https://example.org/archive/ramsess/2009-02-17.html" in feed
    found = crawl(site, base_url="https://example.org/archive")
    assert found.broken == []
    assert {a.split(": ", 1)[1] for a in found.absolute} == {
        "webcal://example.org/archive/ramsess/calendar.ics"}
    # without it, nothing absolute again, every page rewritten
    run = _build(cli, records, site)
    assert "nothing to write" not in run.stderr
    assert crawl(site).absolute == [] and read_page(site / "index.html").canonical == ""


def test_the_site_address_may_be_given_in_group_toml(cli, records, tmp_path):
    group = records / "ramsess/group.toml"
    group.write_text('site_url = "https://example.org/archive/"\n' +
                     group.read_text(encoding="utf-8"), encoding="utf-8")
    site = tmp_path / "site"
    _build(cli, records, site)
    assert read_page(site / "ramsess/2007-11-22.html").canonical == \
        "https://example.org/archive/ramsess/2007-11-22.html"
    assert read_page(site / "index.html").canonical == "https://example.org/archive/index.html"
    # --base-url wins
    _build(cli, records, site, "--base-url", "https://example.net/")
    assert read_page(site / "ramsess/2007-11-22.html").canonical == \
        "https://example.net/ramsess/2007-11-22.html"
    group.write_text(group.read_text(encoding="utf-8").replace(
        '"https://example.org/archive/"', '"example.org"'), encoding="utf-8")
    run = cli("--records", records, "check")
    assert run.exit_code == 1
    assert "group.toml:1: error: site_url 'example.org' is not a web address" in run.stdout


def test_a_bad_site_address_is_one_line(cli, records, tmp_path):
    run = cli("--records", records, "build", "-o", tmp_path / "site", "--base-url", "example")
    assert run.exit_code == 2
    assert run.stderr.count("\n") <= 2 and "not a web address" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "site").exists()


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


def test_a_generated_archive_of_20_groups_of_100_meetings(cli, tmp_path):
    records, site = tmp_path / "records", tmp_path / "site"
    _bench().generate(records, 2000, 20)
    _build(cli, records, site, "--jobs", "2")
    found = crawl(site)
    _pages_sound(found, site, "fr")
    pages = site_pages(site)
    assert len([p for p in pages if p.count("/") == 1 and p.split("/")[1][:1].isdigit()]) == 2000
