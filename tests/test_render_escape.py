"""Property tests: plain text → escaped → read back → the same text, in each markup."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from rencontres.render import html, markdown, spip
from rencontres.render.text import Para, plain
from render_support import READER, Tags, inline_text

# printable text with every markup character, no control characters, no line ends
CHARS = st.sampled_from(list("abcXY 019.-+=*_#>[]()<>{}|~`!&;\\'\"/:") + ["é", "°", "amp", "#1"])
LINE = st.lists(CHARS, min_size=1, max_size=30).map("".join).map(str.strip).filter(bool)
LINES = st.lists(LINE, min_size=1, max_size=4)


@settings(max_examples=400)
@given(LINES)
def test_markdown_reads_back_as_plain_text(lines):
    tokens = READER.parse(markdown.block(Para(plain("\n".join(lines)))))
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert {c.type for c in tokens[1].children} <= {"text", "hardbreak"}
    assert inline_text(tokens[1]) == "\n".join(lines)


def spip_reads(text: str) -> str:
    """What SPIP shows for escaped plain text: backslash escapes and character references
    resolved (SPIP 4.3.5's propre(), as measured in tests/test_spip_rules.py)."""
    import html

    return html.unescape(re.sub(r"\\(.)", r"\1", text))


@settings(max_examples=400)
@given(LINE)
@example("0://")  # a scheme may start with a digit: found by Hypothesis
def test_spip_escape_reads_back_and_leaves_no_shortcut(line):
    escaped = spip.escape(line, line_start=True)
    assert spip_reads(escaped) == line
    unescaped = re.sub(r"\\.|&#\d+;|&(?:amp|lt|gt);", "x", escaped)
    assert not re.search(r"[{}\[\]|~*#<>\\`]", unescaped)
    assert "--" not in unescaped
    assert not re.search(r"(?i)[a-z0-9+.-]://|\bwww\.|\b(?:mailto|news):", escaped)
    assert not escaped.startswith(("-", "_"))


@given(LINES)
def test_html_reads_back_as_plain_text(lines):
    page = html.block(Para(plain("\n".join(lines))))
    parsed = Tags(page)
    assert set(parsed.tags) <= {"p", "br"}
    assert parsed.data == "\n".join(lines)
