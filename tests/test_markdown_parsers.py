"""Free text is read by pulldown-cmark (pyromark) when installed, else by markdown-it-py:
the two must give the same tree, or the fast one must hand the text over.

Compared on every free text of the shipped records and of the hostile test records, on
minutes as the benchmark writes them, and on random Markdown built from the characters
and constructs where CommonMark parsers are known to part ways."""

from __future__ import annotations

import random
import tomllib

import pytest

from conftest import SHIPPED
from rencontres.render import text

pytestmark = pytest.mark.skipif(text._fast_events() is None, reason="pyromark is not installed")

PIECES = ["*", "**", "_", "__", "`", "``", "[", "]", "(", ")", "<", ">", "!", "\\", "&amp;",
          "&#35;", "&copy;", "&nbsp;", "&#0;", "\0", "\n", "\n\n", "  \n", "- ", "* ", "+ ", "1. ",
          "2) ", "# ", "## ", "> ", "    ", "---", "***", "```", "~~~", "a", "b", "mot", " ", "é",
          "«", " »", "https://x.org", "HTTP://X.ORG", "www.x.org", "mailto:a@b.c", "a@b.c",
          "[l](https://e.org/p)", "<https://a.org>", "<a@b.c>", "[r]", "[r]: /u", "\t", "=",
          "==\n", "#", "|", ":", "![i](p.png)", "\r\n", "[x](<a b>)", "[j](javascript:x)",
          "<div>", "</b>", "<!-- c -->", '"', "'", "10.", "\u00a0", "\u202f", "~~", "[^1]",
          "- [ ] ", "[é](https://exämple.org/é)", "[p](https://x.org/%C3%A9)", "\u202f:"]


def slow(source: str):
    """markdown-it-py's reading (and `parse`'s: blank text is no block)."""
    return text._blocks(text._parser().parse(source), 0) if source.strip() else ()


def free_texts(data) -> list[str]:
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("body", "context", "objectives", "text") and isinstance(value, str):
                found.append(value)
            else:
                found += free_texts(value)
    elif isinstance(data, list):
        for item in data:
            found += [item] if isinstance(item, str) and len(item) > 40 else free_texts(item)
    return found


def test_the_shipped_minutes_read_the_same_and_fast():
    texts = [t for p in sorted(SHIPPED.rglob("*.toml"))
             for t in free_texts(tomllib.loads(p.read_text(encoding="utf-8")))]
    assert len(texts) >= 10
    for source in texts:
        fast = text._fast_blocks(source, 0)
        assert fast is not None, source[:80]  # ordinary minutes never need the slow path
        assert fast == slow(source), source[:80]


def test_random_markdown_reads_the_same_or_is_handed_over():
    rng = random.Random(2007)
    fast_count = 0
    for _ in range(4000):
        source = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 25)))
        fast = text._fast_blocks(source, 0)
        if fast is not None:
            fast_count += 1
            assert fast == slow(source), repr(source)
        assert text.parse.__wrapped__(source) == slow(source), repr(source)
    assert fast_count > 500  # the comparison is not empty


@pytest.mark.parametrize("source", [
    "[é](https://exämple.org/é)",  # markdown-it-py punycodes the host
    "<https://xn--exmple-cua.org/>",  # and shows it back in Unicode
    "[j](javascript:alert(1))",  # and refuses the link
    "x\n<div>*y*</div>",  # raw HTML, shown as text
    "ligne\u00a0\nsuite",  # a no-break space ending a line
])
def test_where_the_parsers_differ_markdown_it_py_reads(source):
    assert text._fast_blocks(source, 0) is None
    assert text.parse.__wrapped__(source) == slow(source)
