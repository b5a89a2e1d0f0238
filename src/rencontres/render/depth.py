"""Free text nested deeper than any reader keeps, made flat.

Quotes in quotes, lists in lists, emphasis in emphasis: CommonMark sets no limit, and a
5 KB body of 5,000 `>` parses into a tree 5,000 deep, which every writer (and anything that
walks a tree by recursion) would follow to Python's recursion limit. No reader keeps such
depths: markdown-it stops nesting at 20 levels, a browser's indentation leaves the page
long before. Past `MAX_DEPTH` levels, what is nested is kept, in its order, at that level:
a quote's or a list's blocks follow each other, emphasis becomes its text. The walk below
that level is bounded by `MAX_DEPTH`; past it, it uses a stack of its own.
"""

from __future__ import annotations

import re

from rencontres.render.text import (
    Block,
    Code,
    Emph,
    Heading,
    Inline,
    Link,
    List,
    Note,
    Para,
    Quote,
    Strong,
    Table,
    Text,
)

MAX_DEPTH = 16
# Text that cannot nest MAX_DEPTH levels (a line starts with fewer markers and spaces, and
# fewer emphasis or link marks are written in all) is left as it was parsed, unwalked.
_DEEP_LINE = re.compile(rf"(?m)^(?:[ \t]*\[\^[^\]\n]*\]:)?[ \t>*+\-\d.)]{{{MAX_DEPTH},}}")
_MARKS = re.compile(r"[*_\[]")


def could_nest(source: str) -> bool:
    """Whether `source` could hold MAX_DEPTH levels of nesting (cheap, errs on yes)."""
    return _DEEP_LINE.search(source) is not None or \
        len(_MARKS.findall(source)) >= 2 * MAX_DEPTH


# A line's run of quote and list markers (`>`, `-`, `*`, `+`, `1.`): each a level of nesting
_MARKER = r"[ \t]{0,3}(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?"
_MARKERS = re.compile(rf"(?m)^(?P<note>[ \t]*\[\^[^\]\n]*\]:[ \t]*)?(?P<run>(?:{_MARKER})"
                      rf"{{{MAX_DEPTH + 1},}})")  # (after a footnote's label too)
_ONE_MARKER = re.compile(_MARKER)


def shallow(source: str) -> str:
    """`source` with each line's markers of quotes and lists past MAX_DEPTH left out: both
    parsers then read it at most that deep (markdown-it-py drops what lies deeper than its
    own limit; pulldown-cmark keeps it, as deep as written)."""
    if _DEEP_LINE.search(source) is None:
        return source

    def cut(m: re.Match) -> str:
        kept, at = [m["note"] or ""], 0
        for _ in range(MAX_DEPTH):
            one = _ONE_MARKER.match(m["run"], at)
            assert one is not None  # the run is made of markers
            kept.append(one[0])
            at = one.end()
        return "".join(kept)

    return _MARKERS.sub(cut, source)


def flat_past(blocks: tuple[Block, ...], source: str) -> tuple[Block, ...]:
    """`blocks` parsed from `source`, with what is nested past MAX_DEPTH made flat."""
    return _blocks(blocks, 0) if could_nest(source) else blocks


def _blocks(blocks: tuple[Block, ...], depth: int) -> tuple[Block, ...]:
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, (Quote, List)) and depth >= MAX_DEPTH:
            out += [_inline_block(x) for x in _leaves(b)]
        elif isinstance(b, Quote):
            out.append(Quote(_blocks(b.blocks, depth + 1)))
        elif isinstance(b, List):
            out.append(List(tuple(_blocks(item, depth + 1) for item in b.items), b.ordered,
                            b.start, b.tight))
        else:
            out.append(_inline_block(b))
    return tuple(out)


def _leaves(block: Quote | List) -> list[Block]:
    """Every block inside `block` that is no quote nor list, in order (without recursion)."""
    out: list[Block] = []
    stack = [iter(_inside(block))]
    while stack:
        b = next(stack[-1], None)
        if b is None:
            stack.pop()
        elif isinstance(b, (Quote, List)):
            stack.append(iter(_inside(b)))
        else:
            out.append(b)
    return out


def _inside(block: Quote | List) -> tuple[Block, ...]:
    return block.blocks if isinstance(block, Quote) else \
        tuple(b for item in block.items for b in item)


def _inline_block(b: Block) -> Block:
    if isinstance(b, Para):
        return Para(_inlines(b.children, 0))
    if isinstance(b, Heading):
        return Heading(b.level, _inlines(b.children, 0))
    if isinstance(b, Table):
        return Table(tuple(_inlines(c, 0) for c in b.head),
                     tuple(tuple(_inlines(c, 0) for c in row) for row in b.rows), b.align)
    return b


def _inlines(nodes: tuple[Inline, ...], depth: int) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for n in nodes:
        if isinstance(n, (Emph, Strong, Link, Note)) and depth >= MAX_DEPTH:
            out.append(Text(_text(n)))
        elif isinstance(n, (Emph, Strong, Note)):
            out.append(type(n)(_inlines(n.children, depth + 1)))
        elif isinstance(n, Link):
            out.append(Link(n.url, _inlines(n.children, depth + 1)))
        else:
            out.append(n)
    return tuple(out)


def _text(node: Inline) -> str:
    """The text of an inline node and all it holds (without recursion)."""
    parts: list[str] = []
    stack = [iter((node,))]
    while stack:
        n = next(stack[-1], None)
        if n is None:
            stack.pop()
        elif isinstance(n, (Text, Code)):
            parts.append(n.text)
        elif isinstance(n, (Emph, Strong, Link, Note)):
            stack.append(iter(n.children))
        else:
            parts.append(" ")
    return "".join(parts)
