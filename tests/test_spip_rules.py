"""SPIP escaping rules, as test vectors: input, the SPIP text we write, what SPIP shows.

Every expected output below was measured with SPIP 4.3.5's own text engine (textwheel 3.2.1,
whose rules are unchanged in SPIP 4.4) through `../shared/tools/spip-engine` — `propre()` for
the Texte, `typo()` for Titre, Surtitre and keywords — on 2026-12-01. The measured HTML is
recorded; with the engine installed, `RENCONTRES_SPIP_ROOT=DIR` runs every vector through it
again (`RENCONTRES_SPIP_TOOLS` locates propre.php when the tools are not at ../shared). `.ci/run`
sets SPIP up from ../shared/tools/spip-engine and runs them; without those tools they skip.

Each row says why the escape is there. What a reader sees is the input, exactly, but for
SPIP's own French typography (a no-break space before `: ; ! ?`, `’` for `'`).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rencontres.render import spip

# (why, input, our SPIP text, what propre() makes of it — SPIP 4.3.5)
PROPRE = [
    ('a backslash before generated closing markup', 'Chemin C:\\', 'Chemin C:&#92;', '<p>Chemin C&nbsp;:&#92;</p>'),
    ('a lone backslash', 'a \\ b', 'a &#92; b', '<p>a &#92; b</p>'),
    ('two backslashes', 'a \\\\ b', 'a &#92;&#92; b', '<p>a &#92;&#92; b</p>'),
    ('a backslash path', 'C:\\dossier\\fichier', 'C:&#92;dossier&#92;fichier', '<p>C&nbsp;:&#92;dossier&#92;fichier</p>'),
    ('backticks are code in SPIP 4', '`code`', '\\`code\\`', '<p>`code`</p>'),
    ('one backtick', 'un ` seul', 'un \\` seul', '<p>un ` seul</p>'),
    ('-- is an em dash', 'a--b', 'a-\\-b', '<p>a--b</p>'),
    ('an HTML comment', '<!-- c -->', '&lt;!-\\- c -\\-&gt;', '<p>&lt;&nbsp;!-- c --&gt;</p>'),
    ('a rule', '----', '\\-\\-\\-\\-', '<p>----</p>'),
    ('a bare URL is a link', 'https://example.org', 'https&#58;//example.org', '<p>https&#58;//example.org</p>'),
    ('a URL with ->', 'http://example.org/a->b', 'http&#58;//example.org/a-&gt;b', '<p>http&#58;//example.org/a-&gt;b</p>'),
    ('www. is a link', 'www.example.org', 'www&#46;example.org', '<p>www&#46;example.org</p>'),
    ('mailto:', 'mailto:a@b.org', 'mailto&#58;a@b.org', '<p>mailto&#58;a@b.org</p>'),
    ('a glossary link', '[?wikipedia]', '&#91;?wikipedia&#93;', '<p>&#91;&nbsp;?wikipedia&#93;</p>'),
    ('italics', '{ital}', '\\{ital\\}', '<p>{ital}</p>'),
    ('bold', '{{gras}}', '\\{\\{gras\\}\\}', '<p>{{gras}}</p>'),
    ('an intertitle', '{{{inter}}}', '\\{\\{\\{inter\\}\\}\\}', '<p>{{{inter}}}</p>'),
    ('stars', '*étoile*', '\\*étoile\\*', '<p>*étoile*</p>'),
    ('a link', '[x->art12]', '&#91;x-&gt;art12&#93;', '<p>&#91;x-&gt;art12&#93;</p>'),
    ('a pipe', 'Titre avec | pipe', 'Titre avec &#124; pipe', '<p>Titre avec &#124; pipe</p>'),
    ('a note', '[[note]]', '&#91;&#91;note&#93;&#93;', '<p>&#91;&#91;note&#93;&#93;</p>'),
    ('a tilde', 'a ~ b', 'a \\~ b', '<p>a ~ b</p>'),
    ('HTML', '<b>x</b>', '&lt;b&gt;x&lt;/b&gt;', '<p>&lt;b&gt;x&lt;/b&gt;</p>'),
    ('an entity', '&amp;', '&amp;amp;', '<p>&amp;amp&nbsp;;</p>'),
    ('an ampersand', 'R&D', 'R&amp;D', '<p>R&amp;D</p>'),
    ('an entity without ;', '&copy 2008', '&amp;copy 2008', '<p>&amp;copy 2008</p>'),
    ('<code>', '<code>x</code>', '&lt;code&gt;x&lt;/code&gt;', '<p>&lt;code&gt;x&lt;/code&gt;</p>'),
    ('<cadre>', '<cadre>x</cadre>', '&lt;cadre&gt;x&lt;/cadre&gt;', '<p>&lt;cadre&gt;x&lt;/cadre&gt;</p>'),
    ('<multi>', '<multi>[fr]a[en]b</multi>', '&lt;multi&gt;&#91;fr&#93;a&#91;en&#93;b&lt;/multi&gt;', '<p>&lt;multi&gt;&#91;fr&#93;a&#91;en&#93;b&lt;/multi&gt;</p>'),
    ('<docN>', '<doc1>', '&lt;doc1&gt;', '<p>&lt;doc1&gt;</p>'),
    ('<imgN>', '<img1>', '&lt;img1&gt;', '<p>&lt;img1&gt;</p>'),
    ('@@', '@@x@@', '@@x@@', '<p>@@x@@</p>'),
    ('<:…:>', '<:mot:>', '&lt;:mot:&gt;', '<p>&lt;:mot&nbsp;:&gt;</p>'),
    ('a list at line start', '-* item', '\\-\\* item', '<p>-* item</p>'),
    ('a line break at line start', '_ break', '\\_ break', '<p>_ break</p>'),
    ('a hash', '#1 du classement', '\\#1 du classement', '<p>#1 du classement</p>'),
    ('a dash at line start', '-5 °C', '\\-5 °C', '<p>-5 &#176;C</p>'),
    ('an arrow', 'a->b', 'a-&gt;b', '<p>a-&gt;b</p>'),
    ('a script', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'),
    ('a character reference', '&#92;', '&amp;\\#92;', '<p>&amp;#92&nbsp;;</p>'),
    ('a table row', '| a | b |', '&#124; a &#124; b &#124;', '<p>&#124; a &#124; b &#124;</p>'),
    ('a math block', '<math>x</math>', '&lt;math&gt;x&lt;/math&gt;', '<p>&lt;math&gt;x&lt;/math&gt;</p>'),
]

# (why, input, our text for the field, what typo() makes of it — SPIP 4.3.5)
TYPO = [
    ('markup typo() does not read', 'Titre {ital} {{gras}} *étoile* [x->art12] | #', 'Titre {ital} {{gras}} *étoile* [x-&gt;art12] | #', 'Titre {ital} {{gras}} *étoile* [x-&gt;art12] | #'),
    ('a backslash', 'C:\\dossier', 'C:\\dossier', 'C&nbsp;:\\dossier'),
    ('-- is an em dash', 'a--b', 'a-&#45;b', 'a-&#45;b'),
    ('a tilde', 'a~b', 'a&#126;b', 'a&#126;b'),
    ('HTML', '<b>x</b>', '&lt;b&gt;x&lt;/b&gt;', '&lt;b&gt;x&lt;/b&gt;'),
    ('<multi>', '<multi>[fr]a[en]b</multi>', '&lt;multi&gt;[fr]a[en]b&lt;/multi&gt;', '&lt;multi&gt;[fr]a[en]b&lt;/multi&gt;'),
    ('an ampersand', 'R&D', 'R&amp;D', 'R&amp;D'),
    ('keywords of issue 12', 'Mot {ital} & [lien->art1] ~ <b>x</b>', 'Mot {ital} &amp; [lien-&gt;art1] &#126; &lt;b&gt;x&lt;/b&gt;', 'Mot {ital} &amp; [lien-&gt;art1] &#126; &lt;b&gt;x&lt;/b&gt;'),
]


def _seen(markup: str) -> str:
    """The text a reader sees, SPIP's French typography aside."""
    text = html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()
    return " ".join(text.replace("\u00a0", " ").replace("’", "'").split()).replace(" :", ":") \
        .replace(" ;", ";").replace(" !", "!").replace(" ?", "?").replace("< !", "<!")


@pytest.mark.parametrize("why,given,written,shown", PROPRE, ids=[r[0] for r in PROPRE])
def test_texte_vectors(why, given, written, shown):
    assert spip.escape(given, line_start=True) == written
    assert not re.search(r"<(?!/?p>)", shown), "SPIP made markup of it"
    assert _seen(shown) == " ".join(given.split())


@pytest.mark.parametrize("why,given,written,shown", TYPO, ids=[r[0] for r in TYPO])
def test_typo_vectors(why, given, written, shown):
    assert spip.escape_typo(given) == written
    assert "<" not in shown
    assert _seen(shown) == given


def _engine():
    root = os.environ.get("RENCONTRES_SPIP_ROOT")
    tools = os.environ.get("RENCONTRES_SPIP_TOOLS") or \
        Path(__file__).resolve().parents[2] / "shared" / "tools" / "spip-engine"
    script = Path(tools) / "propre.php"
    if not root or not shutil.which("php") or not script.is_file():
        pytest.skip("SPIP's engine is not installed here (see ../shared/tools/spip-engine)")
    return lambda text, *flags: subprocess.run(
        ["php", str(script), *flags, "-"], input=text.encode(), capture_output=True,
        env={**os.environ, "SPIP_ROOT": root}, check=True).stdout.decode().strip()


@pytest.mark.parametrize("why,given,written,shown", PROPRE, ids=[r[0] for r in PROPRE])
def test_texte_vectors_in_spip_itself(why, given, written, shown):
    assert _engine()(written) == shown


@pytest.mark.parametrize("why,given,written,shown", TYPO, ids=[r[0] for r in TYPO])
def test_typo_vectors_in_spip_itself(why, given, written, shown):
    assert _engine()(written, "--typo") == shown


def test_hostile_text_in_every_place_keeps_the_structure():
    """Every vector as a participant, a decision (next to two decisions holding one backtick
    each), an action, an agenda item, a topic heading and a venue: SPIP still makes 3
    intertitles and 8 list items, and no other markup."""
    import datetime as dt

    from rencontres.core.model import (
        Action,
        Decision,
        Group,
        Meeting,
        NextMeeting,
        Participant,
        Person,
        Topic,
    )
    from rencontres.render import Context, render

    run = _engine()
    for _, given, _, _ in PROPRE:
        m = Meeting(group="g", stem="2026-01-15", date=dt.date(2026, 1, 15), venue=given,
                    participants=(Participant(Person(given)),),
                    topics=(Topic(title=given, decisions=(Decision(given), Decision("x ` y"),
                                                          Decision("z ` w"))),
                            Topic(title="Deux", actions=(Action(task=given, owner="Bob"),))),
                    next=NextMeeting(date=dt.datetime(2026, 2, 1, 14), venue=given,
                                     agenda=(given, "fin")))
        page = run(render(Context(m, Group(slug="g", name="G")), "spip", text_only=True))
        assert len(re.findall(r"<h2", page)) == 3, given
        assert len(re.findall(r"<li", page)) == 8, given
        assert set(re.findall(r"<(\w+)", page)) <= {"p", "br", "h2", "h3", "ul", "li",
                                                    "strong", "span", "b"}, given


LINKED = 'date = 2026-03-15\ntitle = "Titre avec | pipe [[note]] et [x]"\nspip_article = 12\n'


def test_link_text_keeps_its_whole_text_and_target(cli, tmp_path):
    """An index entry whose title holds `|`, `[[…]]` and `[…]`: a link to art12 whose text
    is the whole title (in SPIP 4.3.5, `|` cut it and `[[…]]` made a footnote)."""
    from conftest import make_group

    root = tmp_path / "records"
    make_group(root, "g", group='name = "G"\n', **{"2026-03-15": LINKED})
    text = cli("--records", root, "index", "g", "--format", "spip").stdout
    line = "-* [2026/03/15. Titre avec &#124; pipe &#91;&#91;note&#93;&#93; et &#91;x&#93;->art12]"
    assert line in text.splitlines()
    # measured: <a href="spip.php?article12">2026/03/15. Titre avec &#124; pipe
    # &#91;&#91;note&#93;&#93; et &#91;x&#93;</a>
    page = _engine()(text)
    links = re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', page)
    assert [(href, html.unescape(t)) for href, t in links] == [
        ("spip.php?article12", "2026/03/15. Titre avec | pipe [[note]] et [x]")]


def test_nested_emphasis_leaves_no_space_before_punctuation():
    """`***x***, suite` in free text: the outer emphasis is HTML, not spaced braces (SPIP
    4.3.5 showed `{ {{x}} }` as "<i> <strong>x</strong> </i>," with a space before ",")."""
    from rencontres.render.text import parse

    [para] = parse("***x***, suite et **_y_**.")
    written = spip.block(para)
    assert written == "<i>{{x}}</i>, suite et <strong>{y}</strong>."
    # measured: <p><i><strong>x</strong></i>, suite et <strong><i>y</i></strong>.</p>
    assert _engine()(written) == ("<p><i><strong>x</strong></i>, suite et "
                                  "<strong><i>y</i></strong>.</p>")
