"""The section index, keyword pages and `render --with-index` (issue 5)."""

from __future__ import annotations

import re

import pytest

from conftest import make_group
from render_support import SHIPPED, Tags, check_golden, md_inline_types, md_outline

FORMATS = [("markdown", "md"), ("spip", "spip"), ("html", "html")]
LINE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})\. \S")


@pytest.mark.parametrize(("fmt", "ext"), FORMATS)
def test_shipped_index_matches_golden(cli, fmt, ext):
    run = cli("--records", SHIPPED, "index", "ramsess", "--format", fmt)
    assert run.exit_code == 0, run.stderr
    check_golden(f"ramsess-index.{ext}", run.stdout.encode("utf-8"))


def test_shipped_index_lists_every_record_newest_first_with_well_formed_dates(cli):
    run = cli("--records", SHIPPED, "index")
    outline = md_outline(run.stdout)
    assert outline[0] == ("h1", "Articles dans la même rubrique")
    items = [text for kind, text in outline[1:] if kind == "li-p"]
    assert len(items) == len(list((SHIPPED / "ramsess").glob("2*.toml")))
    dates = []
    for text in items:
        m = LINE.match(text)
        assert m, text
        dates.append(tuple(map(int, m.groups())))
    assert dates == sorted(dates, reverse=True)
    assert "2007/11/22. Synthèse de la 3ème rencontre" in items
    assert not any("2007/10/2007" in t for t in items)
    assert set(md_inline_types(run.stdout)) <= {"text"}  # no stray emphasis or link


def test_shipped_index_html_structure(cli):
    run = cli("--records", SHIPPED, "index", "-f", "html", "--lang", "en")
    tags = Tags(run.stdout)
    assert tags.tags.count("li") == len(list((SHIPPED / "ramsess").glob("2*.toml")))
    assert set(tags.tags) <= {"html", "head", "meta", "title", "style", "body", "main", "h1",
                              "ul", "li"}
    assert "In the same section" in tags.data


LINKED = {
    "2026-01-15": 'date = 2026-01-15\nspip_article = 12\nurl = "https://example.org/a12"\n'
                  'keywords = ["Écologie"]\n',
    "2026-02-15": 'date = 2026-02-15\ntitle = "*Eve* [a](b) <i>"\nurl = "https://example.org/b"\n',
    "2026-03-15": 'date = 2026-03-15\nkind = "article"\ntitle = "Vos avis"\n',
}


def test_links_limit_and_exclude(cli, tmp_path):
    make_group(tmp_path, group='name = "G"\nkeywords = ["zèbre", "Avenir"]\n', **LINKED)
    spip = cli("--records", tmp_path, "index", "g", "-f", "spip").stdout
    assert "-* 2026/01/15. Synthèse de la 1ère rencontre->art12]" not in spip
    assert "-* [2026/01/15. Synthèse de la 1ère rencontre->art12]" in spip
    assert "-* [2026/02/15. \\*Eve\\* &#91;a&#93;(b) &lt;i&gt;->https://example.org/b]" in spip
    md = cli("--records", tmp_path, "index", "g").stdout
    assert md_inline_types(md).count("link_open") == 2
    assert "html_inline" not in md_inline_types(md)
    items = [t for k, t in md_outline(md) if k == "li-p"]
    assert items == ["2026/03/15. Vos avis", "2026/02/15. *Eve* [a](b) <i>",
                     "2026/01/15. Synthèse de la 1ère rencontre"]
    limited = cli("--records", tmp_path, "index", "g", "--limit", "1",
                  "--exclude", "g/2026-03-15").stdout
    assert [t for k, t in md_outline(limited) if k == "li-p"] == [items[1]]


def test_keywords_page(cli, tmp_path):
    make_group(tmp_path, group='name = "G"\nkeywords = ["zèbre", "Avenir"]\n', **LINKED)
    run = cli("--records", tmp_path, "keywords", "g")
    assert run.exit_code == 0, run.stderr
    outline = md_outline(run.stdout)
    headings = [t for k, t in outline if k == "h2"]
    assert headings == ["Avenir", "Écologie", "zèbre"]
    eco = outline.index(("h2", "Écologie"))
    assert outline[eco + 1] == ("li-p", "2026/01/15. Synthèse de la 1ère rencontre")
    assert outline[eco + 2][0] == "h2"
    assert Tags(cli("--records", tmp_path, "keywords", "-f", "html").stdout).tags.count("h2") == 3


def test_render_with_index_leaves_out_the_article_itself(cli):
    run = cli("--records", SHIPPED, "render", "ramsess/2007-11-22", "--with-index")
    outline = md_outline(run.stdout)
    at = outline.index(("h2", "Articles dans la même rubrique"))
    items = [t for k, t in outline[at:] if k == "li-p"]
    assert "2007/11/22. Synthèse de la 3ème rencontre" not in items
    assert "2008/01/16. Synthèse de la 4ème rencontre du groupe \"Entreprendre au collectif\"" \
        in items
    spip = cli("--records", SHIPPED, "render", "ramsess/2007-11-22", "--with-index",
               "-f", "spip", "--text-only").stdout
    assert "{{{Articles dans la même rubrique}}}\n\n-* 2009/02/17. Rencontre" in spip


def test_a_forgotten_meeting_renumbers_derived_titles(cli, tmp_path):
    folder = make_group(tmp_path, **{"2026-01-15": "date = 2026-01-15\n",
                                     "2026-03-15": "date = 2026-03-15\n"})
    before = [t for k, t in md_outline(cli("--records", tmp_path, "index").stdout) if k == "li-p"]
    assert before == ["2026/03/15. Synthèse de la 2ème rencontre",
                      "2026/01/15. Synthèse de la 1ère rencontre"]
    (folder / "2026-02-15.toml").write_text("date = 2026-02-15\n")
    after = [t for k, t in md_outline(cli("--records", tmp_path, "index").stdout) if k == "li-p"]
    assert after[0] == "2026/03/15. Synthèse de la 3ème rencontre"


def test_index_refuses_records_with_errors(cli, tmp_path):
    make_group(tmp_path, **{"2026-01-15": "date = 2026-01-16\n"})
    run = cli("--records", tmp_path, "index")
    assert run.exit_code == 1
    assert "2026-01-15.toml:1: date 2026-01-16 disagrees" in run.stderr


def test_index_of_several_groups_is_the_site_map(cli, tmp_path):
    """`index` without a group, in a folder of several: every group under its name (in
    the folder's order), its articles newest first; --limit counts per group; a group
    named still gets its own section list."""
    make_group(tmp_path, "b-atelier", group='name = "Atelier"\n',
               **{"2026-01-15": "date = 2026-01-15\n", "2026-03-15": "date = 2026-03-15\n"})
    make_group(tmp_path, "a-bureau", group='name = "Bureau"\nlanguage = "en"\n',
               **{"2026-02-01": "date = 2026-02-01\n"})
    run = cli("--records", tmp_path, "index")
    assert run.exit_code == 0, run.stderr
    assert md_outline(run.stdout) == [
        ("h1", "Plan du site"),  # the groups' languages differ: French, the default
        ("h2", "Bureau"), ("li-p", "2026/02/01. Synthèse de la 1ère rencontre"),
        ("h2", "Atelier"), ("li-p", "2026/03/15. Synthèse de la 2ème rencontre"),
        ("li-p", "2026/01/15. Synthèse de la 1ère rencontre")]
    limited = md_outline(cli("--records", tmp_path, "index", "--limit", "1", "--lang", "en").stdout)
    assert limited == [("h1", "Site map"), ("h2", "Bureau"),
                       ("li-p", "2026/02/01. Minutes of the 1st meeting"),
                       ("h2", "Atelier"), ("li-p", "2026/03/15. Minutes of the 2nd meeting")]
    one = md_outline(cli("--records", tmp_path, "index", "a-bureau").stdout)
    assert one == [("h1", "In the same section"),
                   ("li-p", "2026/02/01. Minutes of the 1st meeting")]
    assert cli("--records", tmp_path, "keywords").exit_code == 2  # one section's page: which?


def test_a_folder_without_groups_says_how_to_start_one(cli, tmp_path):
    for command in ("index", "calendar", "keywords"):
        run = cli("--records", tmp_path, command)
        assert run.exit_code == 2, command
        assert "no group folder here" in run.stderr and "rencontres init GROUP" in run.stderr
