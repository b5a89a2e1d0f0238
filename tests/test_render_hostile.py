"""Plain-text fields full of markup characters come out literally, in every format.

The hostile record (tests/data/hostile) puts `*Eve*`, `_x_`, `[a](b)`, `<script>`,
`# title`, `1. item`, `- item`, `{Ben}`, `|x|`, `->`, `-5 °C` (at a line start),
backslashes and `&amp;` in names, organisations, titles, decisions, tasks, venue,
agenda and keywords; its free text is Markdown with raw HTML in it.
"""

from __future__ import annotations

import pytest

from rencontres.render import render
from render_support import HOSTILE, MINIMAL, Tags, context, md_inline_types, md_outline

LITERALS = ["*Eve*", "_x_", "[a](b)", "<script>alert(1)</script>", "# title", "1. item",
            "- item", "{Ben}", "|x|", "->", "-5 °C", "back\\slash \\* star", "&amp; co",
            "<b>Hall</b>", "~tilde~ and {{bold}}", "* star", "+ plus", "= equals"]


@pytest.fixture(scope="module")
def ctx():
    return context(HOSTILE, "hostile/2024-03-01")


# -- Markdown ---------------------------------------------------------------------


def test_markdown_plain_fields_stay_literal(ctx):
    text = render(ctx, "markdown")
    outline = md_outline(text)
    seen = "\n".join(t for _, t in outline)
    for literal in LITERALS:
        assert literal in seen, literal
    assert not [k for k, _ in outline if k == "html"]
    # the only headings are ours: title, the two topics, next meeting, annex, labels
    assert [(k, t) for k, t in outline if k[0] == "h"] == [
        ("h1", "Synthèse de la 1ère rencontre"),
        ("h2", "I - # title"),
        ("h3", "Décisions"),
        ("h3", "Actions"),
        ("h2", "II - 1. item"),
        ("h2", "Prochaine rencontre"),
        ("h3", "Ordre du jour"),
        ("h2", "III - Annexe : Rappel des objectifs du groupe"),
    ]
    items = [t for k, t in outline if k == "li-p"]
    assert items == [
        "one", "two",  # context (Markdown)
        "I - # title", "II - 1. item",  # summary
        "first", "second",  # body (Markdown)
        "- item", "-5 °C", "->", "back\\slash \\* star", "~tilde~ and {{bold}}",
        "*Eve* : [a](b) <script> (pour le 1er avril 2024)",
        "* star", "+ plus", "= equals",
    ]
    assert outline[0] == ("p", "-5 °C at the start of a line\n# title")
    assert ("p", "Participants : *Eve* / _x_ <script>alert(1)</script> ; {Ben} / [a](b)") \
        in outline
    assert ("p", "Excusés : |x|") in outline and ("p", "Absents : 1. item / &amp; co") in outline


def test_markdown_markup_comes_only_from_free_text_and_labels(ctx):
    types = md_inline_types(render(ctx, "markdown"))
    assert "html_inline" not in types
    assert types.count("em_open") == 3  # *Markdown* (context), *em* (body), *emphasis* (annex)
    assert types.count("strong_open") == 6 + 1  # labels and date line; **strong** (body)
    assert types.count("link_open") == 1  # the objectives' link
    assert types.count("code_inline") == 1


def test_markdown_raw_html_in_free_text_is_text(ctx):
    outline = md_outline(render(ctx, "markdown"))
    assert ("p", 'Body with strong, em, code and <img src=x onerror=alert(1)>.') in outline
    assert ("p", '<script>alert("objectives")</script>') in outline


# -- HTML -------------------------------------------------------------------------

OUR_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "p", "h1", "h2", "h3",
            "ul", "ol", "li", "strong", "em", "a", "code", "br"}


def test_html_has_no_injected_element(ctx):
    page = render(ctx, "html")
    parsed = Tags(page)
    assert set(parsed.tags) <= OUR_TAGS
    assert parsed.tags.count("a") == 1 and parsed.tags.count("em") == 3
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">\n')
    for literal in LITERALS:
        assert literal in parsed.data, literal
    assert '<img src=x onerror=alert(1)>' in parsed.data


# -- SPIP -------------------------------------------------------------------------


def test_spip_escapes(ctx):
    out = render(ctx, "spip")
    for escaped in [
        r"\*Eve\*", r"\{Ben\}", r"&#91;a&#93;(b)", r"&#124;x&#124;",
        r"\~tilde\~ and \{\{bold\}\}", r"back&#92;slash &#92;\* star",
        "&lt;script&gt;alert(1)&lt;/script&gt;", "&amp;amp; co",
        "-* \\- item", "-* \\-5 °C", "-* \\-&gt;", "-* \\* star", "{{{I - \\# title}}}",
        "&lt;b&gt;Hall&lt;/b&gt;", "&lt;img src=x onerror=alert(1)&gt;",
    ]:
        assert escaped in out, escaped
    for raw in ("<script", "<b>", "<img", "{Ben}", "[a]"):
        assert raw not in out.split("===== Mots-clés =====")[0], raw
    # the Surtitre goes through typo(), which reads no block markup and no backslash
    assert "===== Surtitre =====\n-5 °C at the start of a line — # title\n" in out


def test_spip_free_text_is_converted(ctx):
    out = render(ctx, "spip", text_only=True)
    assert "Body with {{strong}}, {em}, <code>code</code> and" in out
    assert "-# first\n-# second" in out
    assert "[link->https://example.org/a_b]" in out
    assert "{{Repère}} : Context in {Markdown}, with &lt;b&gt;raw HTML&lt;/b&gt; shown" in out


def test_spip_lines_never_start_with_a_shortcut_of_plain_text(ctx):
    texte = render(ctx, "spip", text_only=True)
    for line in texte.splitlines():
        if line.startswith("-"):
            assert line.startswith(("-* ", "-# ", "----")), line
        assert not line.startswith(("_", "|", "<")), line
    assert "\n\n\n" not in texte


# -- a record with only a date and a title ------------------------------------------


@pytest.fixture(scope="module")
def bare():
    return context(MINIMAL, "bare/2008-03-01")


def test_minimal_record_markdown(bare):
    text = render(bare, "markdown")
    stub = ("Pas encore transcrit : seuls sa date et son titre sont connus, par la liste des "
            "articles de la rubrique.")
    assert md_outline(text) == [("h1", "Compte-rendu de la rencontre"),
                                ("p", "Synthèse de la rencontre du 1er mars 2008"), ("p", stub)]
    assert text == ("# Compte-rendu de la rencontre\n\n**Synthèse de la rencontre du 1er mars "
                    f"2008**\n\n*{stub}*\n")


def test_minimal_record_spip_and_html(bare):
    assert render(bare, "spip") == (
        "===== Titre =====\nCompte-rendu de la rencontre\n\n"
        "===== Texte =====\n{{Synthèse de la rencontre du 1er mars 2008}}\n\n"
        "{Pas encore transcrit : seuls sa date et son titre sont connus, par la liste des "
        "articles de la rubrique.}\n")
    page = render(bare, "html")
    assert Tags(page).tags.count("p") == 2
    assert "<p></p>" not in page and "<ul>" not in page and "<h2>" not in page
