"""A meeting's synthesis and the group's pages: a small document tree, written as Markdown,
SPIP or HTML. This file only re-exports; `synthesis.py` builds the tree, `labels.py` holds
every French and English word, `markdown.py`, `spip.py` and `html.py` spell it."""

from rencontres.render.labels import LABELS
from rencontres.render.synthesis import (
    FORMATS,
    Context,
    Document,
    action_text,
    build,
    decision_text,
    next_sentence,
    person_text,
    render,
    when_text,
    write,
)

__all__ = ["FORMATS", "LABELS", "Context", "Document", "action_text", "build", "decision_text",
           "next_sentence", "person_text", "render", "when_text", "write"]
