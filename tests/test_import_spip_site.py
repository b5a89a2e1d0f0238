"""import, issue 22: what the SPIP constructs leave to say (a document on the site) is a note
in the record and on stderr, and `[->art123]` links to the site's article when group.toml
has the site's address (`url`)."""

from __future__ import annotations

import tomllib

import pytest

from conftest import make_group
from rencontres.importer import reader

SOURCE = """{{Synthèse de la rencontre du 8 avril 2008}}

{{Participants}} : Ann Martin / Apeas ; Bob Durand / Essor13

{{{I - Le site}}}

Voir le compte rendu précédent [->art123] et [la charte->art7].

Le plan est joint : <doc12>

{{{II - Divers}}}

Rien à signaler.
"""

DOC = "<doc12> is document 12 of the site: the file is on the site"


def _import(cli, tmp_path, group: str):
    records = tmp_path / "records"
    make_group(records, "atelier", group=group)
    article = tmp_path / "texte.spip"
    article.write_text(SOURCE, encoding="utf-8")
    run = cli("--records", records, "import", "--format", "spip", article)
    assert run.exit_code == 0, run.stderr
    text = (records / "atelier" / "2008-04-08.toml").read_text(encoding="utf-8")
    assert cli("--records", records, "check").exit_code == 0
    return run, text, tomllib.loads(text)["topics"][0]["body"]


def test_a_document_of_the_site_is_a_note_in_the_record_and_on_stderr(cli, tmp_path):
    run, text, body = _import(cli, tmp_path, 'name = "Atelier"\n')
    assert DOC in run.stderr
    assert sum(DOC in line for line in text.splitlines() if line.startswith("#")) == 1
    assert "\\[document 12\\]" in body or "[document 12]" in body


@pytest.mark.parametrize("url, base", [
    ("https://example.org/spip.php?rubrique3", "https://example.org/"),
    ("https://example.org/site/spip.php?page=rubrique&id_rubrique=3", "https://example.org/site/"),
    ("", ""),
])
def test_links_to_the_sites_articles_use_group_url(cli, tmp_path, url, base):
    group = 'name = "Atelier"\n' + (f'url = "{url}"\n' if url else "")
    _, _, body = _import(cli, tmp_path, group)
    assert f"]({base}spip.php?article123)" in body
    assert f"[la charte]({base}spip.php?article7)" in body


def test_reader_passes_the_site_and_each_remark():
    imp = reader.read(SOURCE, "spip", site="https://example.org/")
    assert "(https://example.org/spip.php?article123)" in imp.topics[0]["body"]
    assert [n.text for n in imp.notes if n.text.startswith("<doc12>")] == [
        "<doc12> is document 12 of the site: the file is on the site, not in the record "
        "(named [document 12] in the text)"]
