"""The shipped synthesis as Markdown, read back by a CommonMark parser: all of it, in order."""

from __future__ import annotations

import pytest

from rencontres.core.values import replace
from rencontres.render import person_text, render
from render_support import READER, SHIPPED, context, inline_text, md_inline_types, md_outline


@pytest.fixture(scope="module")
def ctx():
    return context(SHIPPED, "ramsess/2007-11-22")


@pytest.fixture(scope="module")
def outline(ctx):
    return md_outline(render(ctx, "markdown"))


def paragraphs_of(markdown: str) -> list[str]:
    """The paragraphs a reader sees in a free-text field (a single newline is a line break)."""
    tokens = READER.parse(markdown)
    return [inline_text(tokens[i + 1], soft="\n") for i, t in enumerate(tokens)
            if t.type == "paragraph_open"]


def test_headings_are_title_roman_sections_next_meeting_and_annex(ctx, outline):
    headings = [(kind, text) for kind, text in outline if kind[0] == "h"]
    h2 = [text for kind, text in headings if kind == "h2"]
    assert headings[0] == ("h1", "Synthèse de la 3ème rencontre")
    assert h2 == [
        f"{n} - {t.title}" for n, t in zip(("I", "II", "III"), ctx.meeting.topics, strict=True)
    ] + ["Prochaine rencontre", "IV - Annexe : Rappel des objectifs du groupe"]
    assert [text for kind, text in headings if kind == "h3"] == [
        "Décisions", "Actions", "Décisions"]


def test_opening_lines_in_the_seed_order(ctx, outline):
    kinds_texts = outline[:4]
    assert kinds_texts[0] == ("p", "Articulation des pratiques d’accompagnement et mise en "
                              "perspectives des spécificités ESS\nExpérimentation COPECS - "
                              "Bouches du Rhône")
    assert kinds_texts[1] == ("h1", "Synthèse de la 3ème rencontre")
    assert kinds_texts[2] == ("p", "Synthèse de la rencontre du 22 novembre 2007")
    participants = kinds_texts[3][1]
    assert participants == "Participants : " + " ; ".join(
        person_text(p.person) for p in ctx.meeting.participants)
    assert "Benjamin Borgue / stagiaire Intermade" in participants
    assert len(ctx.meeting.participants) == 8
    assert outline[4][1].startswith("Repère : Troisième réunion de travail du groupe")


def test_summary_lists_the_topics_with_roman_numerals(ctx, outline):
    items = [text for kind, text in outline if kind == "li-p"]
    summary = [f"{n} - {t.title}" for n, t in zip(("I", "II", "III"), ctx.meeting.topics,
                                                   strict=True)]
    start = items.index(summary[0])
    assert items[start:start + 3] == summary


def test_every_section_has_its_full_text(ctx, outline):
    seen = [text for _, text in outline]
    for topic in ctx.meeting.topics:
        for paragraph in paragraphs_of(topic.body):
            assert paragraph in seen
    for paragraph in paragraphs_of(ctx.group.objectives):
        assert paragraph in seen
    annex = seen.index("IV - Annexe : Rappel des objectifs du groupe")
    assert seen[annex + 1] == paragraphs_of(ctx.group.objectives)[0]


def test_decisions_actions_and_next_meeting(ctx, outline):
    items = [text for kind, text in outline if kind == "li-p"]
    assert any("une part du budget (3000 à 4000 euros)" in i for i in items)
    assert ("Sandrine Delrieu : Travailler sur une première proposition de support de "
            "présentation commun, qui puisse faire l’objet d’un nouvel échange "
            "(pour le 16 janvier 2008)") in items
    assert any(i.startswith("Philippe Oswald : Transmettre le Projet 2008") for i in items)
    paragraphs = [text for kind, text in outline if kind == "p"]
    assert ("Le prochain atelier de travail est fixé au mercredi 16 janvier 2008 à 14h00, "
            "dans les locaux d’Energie Alternative, 52, La Cannebière (05 91 33 65 77).") \
        in paragraphs
    assert paragraphs[-1] == ("Mots clefs de l’article : Accompagnement création / "
                              "développement d’activités ; Agenda LaPlateforme ; "
                              "Gr Them - Entreprendre au collectif")


def test_no_stray_markup(ctx):
    types = md_inline_types(render(ctx, "markdown"))
    # bold labels only; the record's free text has no emphasis, links or HTML
    assert "em_open" not in types and "link_open" not in types and "html_inline" not in types
    assert types.count("strong_open") == 4  # date line, Participants, Repère, Mots clefs


def test_english_labels_dates_and_ordinals(ctx):
    outline = md_outline(render(replace(ctx, lang="en"), "markdown"))
    assert ("p", "Minutes of the meeting of 22 November 2007") in outline
    assert ("h3", "Decisions") in outline and ("h2", "Next meeting") in outline
    assert ("h2", "IV - Annex: Reminder of the group's objectives") in outline
    assert any(t.startswith("The next meeting will take place on Wednesday 16 January 2008 "
                            "at 2:00 pm, at Energie Alternative") for _, t in outline)
    assert any(t.endswith("(by 16 January 2008)") for _, t in outline)
    untitled = replace(ctx.meeting, title="")
    derived = md_outline(render(replace(ctx, meeting=untitled, lang="en")))
    assert ("h1", "Minutes of the 3rd meeting") in derived
    assert ("h1", "Synthèse de la 3ème rencontre") in md_outline(
        render(replace(ctx, meeting=untitled)))


def test_deterministic(ctx):
    assert render(ctx, "markdown") == render(context(SHIPPED, "ramsess/2007-11-22"), "markdown")
