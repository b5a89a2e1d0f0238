"""Issue 27: free text nested thousands deep (5,000 `>` in 5 KB) ended render (every format),
`render --with-index` and `build` in RecursionError tracebacks. Past a depth no reader
keeps, it is rendered flat: every word still there, in order, the nesting bounded."""

from __future__ import annotations

import re

import pytest

from conftest import make_group
from rencontres.render.depth import MAX_DEPTH
from rencontres.render.text import List, Quote, parse

BODIES = {
    "quotes": ">" * 5000 + " fond",
    "spaced quotes": "> " * 5000 + "fond",
    "quotes read by markdown-it": ">" * 5000 + " fond | b",  # a table's bar: markdown-it-py
    "lists": "- " * 2500 + "fond",
    "indented lists": "\n".join("  " * i + "- item" for i in range(1500)) + "\n" + "  " * 1500
                      + "- fond",
    "ordered lists": "1. " * 2000 + "fond",
    "emphasis": "*" * 2500 + "fond" + "*" * 2500,
    "emphasis and strong": "*_" * 2000 + "fond" + "_*" * 2000,
    "links": "[" * 3000 + "fond" + "](https://example.org/)" * 3000,
    "quotes in a list": "- " + "> " * 3000 + "fond",
    "quotes in a footnote": "a[^1]\n\n[^1]: " + "> " * 3000 + "fond",
}
FORMATS = {
    "markdown": ["render", "g/2009-03-24"],
    "spip": ["render", "g/2009-03-24", "--format", "spip"],
    "spip text": ["render", "g/2009-03-24", "--format", "spip", "--text-only"],
    "html": ["render", "g/2009-03-24", "--format", "html"],
    "with index": ["render", "g/2009-03-24", "--with-index"],
    "html with index": ["render", "g/2009-03-24", "--format", "html", "--with-index"],
    "show": ["show", "g/2009-03-24"],
}


def _depth(blocks) -> int:
    """How deep quotes and lists go in a parsed tree (a stack: the tree may be deep)."""
    deepest, todo = 0, [(b, 1) for b in blocks]
    while todo:
        b, d = todo.pop()
        if isinstance(b, Quote):
            deepest = max(deepest, d)
            todo += [(x, d + 1) for x in b.blocks]
        elif isinstance(b, List):
            deepest = max(deepest, d)
            todo += [(x, d + 1) for item in b.items for x in item]
    return deepest


@pytest.fixture
def deep(tmp_path):
    def make(body: str):
        make_group(tmp_path / "records", group='name = "G"\n', **{"2009-03-24": (
            'date = 2009-03-24T14:00:00\n[[topics]]\ntitle = "T"\nbody = """\n'
            + body + '\n"""\n')})
        return tmp_path / "records"
    return make


@pytest.mark.parametrize("body", BODIES)
def test_parsed_nesting_is_bounded_and_every_word_kept(body):
    blocks = parse(BODIES[body])
    assert _depth(blocks) <= MAX_DEPTH + 1
    assert "fond" in repr(blocks)


@pytest.mark.parametrize("body", BODIES)
def test_every_renderer_and_build_render_it_flat(cli, deep, body, tmp_path):
    records = deep(BODIES[body])
    for name, args in FORMATS.items():
        run = cli("--records", records, *args)
        assert run.exit_code == 0, (name, run.stderr[-500:])
        assert "fond" in run.stdout or name == "show", name  # show: a body's start
        if name == "markdown":  # quotes: at most MAX_DEPTH levels of ">"
            assert max(len(re.match(r"[> ]*", line)[0].replace(" ", ""))
                       for line in run.stdout.splitlines()) <= MAX_DEPTH + 1
        if name == "html":
            assert run.stdout.count("<blockquote") <= MAX_DEPTH + 1
    run = cli("--records", records, "build", "-o", tmp_path / "site", "--no-search", "-j", "1")
    assert run.exit_code == 0, run.stderr[-500:]
    page = next((tmp_path / "site").rglob("2009-03-24*.html")).read_text(encoding="utf-8")
    assert "fond" in page


def test_ordinary_nesting_is_left_as_written():
    text = "> quoted\n>\n> > inside\n\n- a\n  - b\n    - c\n"
    assert _depth(parse(text)) == 3
    blocks = parse("> " * MAX_DEPTH + "fond")
    assert _depth(blocks) == MAX_DEPTH
