"""import: the SPIP constructs of an article kept in the record, and rendered back out.

Each construct — notes `[[…]]`, `<quote>`, tables, links to the site's articles
(`[->art123]`), documents (`<doc3>`, `<img12|center>`), `~` — is imported from a small SPIP
source, its Markdown in the record checked, then the record rendered as SPIP (imported
again: the same text), as Markdown (read by two GFM readers: markdown-it-py with its
footnote plugin, pulldown-cmark) and as HTML.
"""

from __future__ import annotations

import re
import tomllib

import pyromark
import pytest

from conftest import make_group
from rencontres.importer.lines import site_address, spip_lines
from rencontres.render import text

HEAD = """{{Synthèse de la rencontre du 8 avril 2008}}

{{Participants}} : Ann Martin / Apeas ; Bob Durand / Essor13

{{{I - Le budget}}}

"""
TAIL = """

{{{Prochaine rencontre}}}

La prochaine rencontre aura lieu le mardi 13 mai 2008 à 9h30 à la Maison des associations.
"""


def imported(cli, tmp_path, body: str, name: str = "records") -> tuple[str, dict[str, str]]:
    """The first topic's body once `body` is imported, and the record in the three formats."""
    records = tmp_path / name
    make_group(records, "atelier", group='name = "Atelier"\n')
    article = tmp_path / f"{name}.spip"
    article.write_text(HEAD + body + TAIL, encoding="utf-8")
    run = cli("--records", records, "import", article)
    assert run.exit_code == 0, run.stderr
    data = tomllib.loads((records / "atelier" / "2008-04-08.toml").read_text(encoding="utf-8"))
    out = {fmt: cli("--records", records, "render", "atelier/2008-04-08", "-f", fmt,
                    *(["--text-only"] if fmt == "spip" else [])).stdout
           for fmt in ("spip", "markdown", "html")}
    return data["topics"][0]["body"], out


def spip_again(cli, tmp_path, spip: str) -> str:
    """The rendered SPIP Texte imported again: its first topic's body."""
    article = tmp_path / "again.spip"
    article.write_text(spip, encoding="utf-8")
    records = tmp_path / "again"
    make_group(records, "atelier", group='name = "Atelier"\n')
    run = cli("--records", records, "import", article)
    assert run.exit_code == 0, run.stderr
    data = tomllib.loads((records / "atelier" / "2008-04-08.toml").read_text(encoding="utf-8"))
    return data["topics"][0]["body"]


def gfm_readers(md: str) -> list[str]:
    """The Markdown as HTML by two GFM readers (tables and footnotes on)."""
    options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES
    return [text._parser().render(md), pyromark.html(md, options=options)]


def test_notes_become_footnotes_and_come_back_in_each_format(cli, tmp_path):
    body, out = imported(cli, tmp_path, "Le budget[[Voté en mars, {sans} débat.]] est "
                                        "présenté.\n_ Il tient[[Selon Bob.]].\n\nAutre texte.")
    assert body == ("Le budget[^1] est présenté.\nIl tient[^2].\n\n"
                    "[^1]: Voté en mars, *sans* débat.\n[^2]: Selon Bob.\n\nAutre texte.\n")
    assert "Le budget[[Voté en mars, {sans} débat.]] est présenté.\n_ Il tient[[Selon Bob.]]." \
        in out["spip"]
    assert spip_again(cli, tmp_path, out["spip"]) == body
    for html in gfm_readers(out["markdown"]):
        assert re.search(r"Le budget<sup[^>]*><a href=\"#[^\"]+\"[^>]*>\[?1\]?</a></sup> est",
                         html)
        assert re.search(r"<(li|div)[^>]*>\s*(<sup[^>]*>1</sup>\s*)?<p>Voté en mars, "
                         r"<em>sans</em> débat\.", html)
        assert "Selon Bob." in html and "[^" not in html
    html = out["html"]
    assert 'Le budget<sup class="note"><a id="nh1" href="#nb1">1</a></sup> est' in html
    notes = html[html.index('<section class="notes">'):]
    assert '<li id="nb1">Voté en mars, <em>sans</em> débat. <a href="#nh1"' in notes
    assert '<li id="nb2">Selon Bob. <a href="#nh2"' in notes
    assert notes.index("nb1") < notes.index("nb2") and "</main>" in notes


def test_a_quote_is_a_block_quote(cli, tmp_path):
    body, out = imported(cli, tmp_path, "Bob dit :\n\n<quote>Nous tiendrons le cap.\n\n"
                                        "Et le budget.</quote>\n\nFin.")
    assert body == "Bob dit :\n\n> Nous tiendrons le cap.\n>\n> Et le budget.\n\nFin.\n"
    assert "<quote>Nous tiendrons le cap.\n\nEt le budget.</quote>" in out["spip"]
    assert spip_again(cli, tmp_path, out["spip"]) == body
    for html in gfm_readers(out["markdown"]):
        assert re.search(r"<blockquote>\s*<p>Nous tiendrons le cap.</p>\s*<p>Et le budget.</p>"
                         r"\s*</blockquote>", html)
    assert re.search(r"<blockquote>\s*<p>Nous tiendrons le cap.</p>\s*<p>Et le budget.</p>",
                     out["html"])


@pytest.mark.parametrize("head", [True, False])
def test_a_table_is_a_table(cli, tmp_path, head):
    rows = "| Salle | 120 € |\n| Repas {midi} | 80 € |"
    source = ("|{{Poste}}|{{Montant}}|\n" if head else "") + rows
    body, out = imported(cli, tmp_path, "Les dépenses :\n\n" + source + "\n\nFin.")
    head_md = "| Poste | Montant |" if head else "|  |  |"
    assert body == (f"Les dépenses :\n\n{head_md}\n|---|---|\n| Salle | 120 € |\n"
                    "| Repas *midi* | 80 € |\n\nFin.\n")
    assert ("|{{Poste}}|{{Montant}}|\n" if head else "\n\n") + \
        "|Salle|120 €|\n|Repas {midi}|80 €|" in out["spip"]
    assert spip_again(cli, tmp_path, out["spip"]) == body
    for html in [*gfm_readers(out["markdown"]), out["html"]]:
        assert "<table>" in html
        assert re.search(r"<td>Repas <em>midi</em></td>\s*<td>80 €</td>", html)
        assert bool(re.search(r"<th>Poste</th>\s*<th>Montant</th>", html)) is head
    assert ("<thead>" in out["html"]) is head


def test_links_to_the_sites_articles(cli, tmp_path):
    body, out = imported(cli, tmp_path, "Voir [->art123], [le compte rendu->art124] et "
                                        "[la rubrique->rub5].")
    assert body == ("Voir [article 123](spip.php?article123), [le compte rendu]"
                    "(spip.php?article124) et [la rubrique](spip.php?rubrique5).\n")
    assert "Voir [->art123], [le compte rendu->art124] et [la rubrique->rub5]." in out["spip"]
    assert spip_again(cli, tmp_path, out["spip"]) == body
    for html in [*gfm_readers(out["markdown"]), out["html"]]:
        assert '<a href="spip.php?article123">article 123</a>' in html
        assert '<a href="spip.php?article124">le compte rendu</a>' in html
    site = site_address("https://example.org/asso/spip.php?rubrique5")
    assert site == "https://example.org/asso/"
    line, = spip_lines("Voir [->art123].", site=site)
    assert line.md == "Voir [article 123](https://example.org/asso/spip.php?article123)."


def test_documents_are_named_and_tilde_is_a_no_break_space(cli, tmp_path):
    body, out = imported(cli, tmp_path, "Le plan~: <img12|center> et le budget <doc3>.")
    assert body == "Le plan\u00a0: \\[document 12\\] et le budget \\[document 3\\].\n"
    assert "Le plan\u00a0: &#91;document 12&#93; et le budget &#91;document 3&#93;." \
        in out["spip"]
    assert spip_again(cli, tmp_path, out["spip"]) == body
    for html in [*gfm_readers(out["markdown"]), out["html"]]:
        assert "Le plan\u00a0: [document 12] et le budget [document 3]." in html
    line, = spip_lines("Le plan <img12|center>.")
    assert line.plain == "Le plan [document 12]."
    assert line.notes == ("<img12|center> is document 12 of the site: the file is on the "
                          "site, not in the record (named [document 12] in the text)",)


def test_a_note_in_a_list_and_in_a_table_cell():
    lines = spip_lines("-* un point[[la note]]\n-* un autre\n\n|a|b[[dans la table]]|\n\nFin.")
    md = "\n".join(line.md for line in lines)
    assert md == ("- un point[^1]\n- un autre\n\n[^1]: la note\n\n|  |  |\n|---|---|\n"
                  "| a | b[^2] |\n\n[^2]: dans la table\n\nFin.")
    blocks = text.parse(md)
    assert isinstance(blocks[0], text.List) and isinstance(blocks[1], text.Table)
    assert blocks[1].rows[0][1] == (text.Text("b"), text.Note((text.Text("dans la table"),)))
