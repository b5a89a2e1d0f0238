"""The synthesis as CommonMark.

Plain text is escaped so that no name, title or task can become markup: the
characters that make emphasis, links, code, HTML or (GFM) tables and
strikethrough are backslash-escaped everywhere; those that start a block
(heading, list, quote, setext underline) are escaped where a line starts.
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from rencontres.render.text import (
    Block,
    Break,
    Code,
    CodeBlock,
    Emph,
    Heading,
    Inline,
    Link,
    List,
    Note,
    Para,
    Quote,
    Rule,
    SoftBreak,
    Strong,
    Table,
    Text,
)

_ALWAYS = re.compile(r"([\\`*_\[\]<>|~#])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START = re.compile(r"^(?:([-+=>])|(\d+)([.)]))")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C"}


def escape(text: str, line_start: bool = False) -> str:
    """Plain text as CommonMark that reads back as exactly that text."""
    if _ALWAYS.search(text):  # most text has none: searching is cheaper than replacing
        text = _ALWAYS.sub(r"\\\1", text)
    if "&" in text:
        text = _ENTITY.sub(r"\\&", text)
    if line_start:
        text = _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text.lstrip())
    return text


# The notes of the text being written, set out after it as `[^1]: …` (see `write`).
_NOTES: ContextVar[list[str] | None] = ContextVar("markdown_notes", default=None)


def write(doc) -> str:
    return with_notes(doc.page()) + "\n"


def with_notes(seq) -> str:
    """Blocks, then the footnotes they call, numbered from 1 (a note's further lines are
    indented to stay in it)."""
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        text = blocks(seq)
    finally:
        _NOTES.reset(token)
    return text + "".join(f"\n\n[^{n}]: " + note.replace("\n", "\n    ")
                          for n, note in enumerate(notes, 1))


def blocks(seq, sep: str = "\n\n") -> str:
    """Blocks one after the other. Two lists in a row would merge into one, so the
    second takes the other marker (`*` after `-`, `)` after `.`), as CommonMark wants."""
    out, prev, alt = [], None, False
    for b in seq:
        alt = isinstance(b, List) and isinstance(prev, List) and b.ordered == prev.ordered and not alt
        out.append(block(b, alt))
        prev = b
    return sep.join(out)


def block(b: Block, alt: bool = False) -> str:
    if isinstance(b, Para):
        return inlines(b.children)
    if isinstance(b, Heading):
        return "#" * b.level + " " + inlines(b.children, heading=True)
    if isinstance(b, List):
        return _list(b, alt)
    if isinstance(b, Quote):
        inner = blocks(b.blocks)
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if isinstance(b, CodeBlock):
        fence = "`" * max(3, _longest_run(b.text, "`") + 1)
        return f"{fence}\n{b.text}{'' if b.text.endswith(chr(10)) else chr(10)}{fence}"
    if isinstance(b, Rule):
        return "---"
    if isinstance(b, Table):
        return _table(b)
    raise TypeError(b)


_ALIGN = {"left": ":--", "center": ":-:", "right": "--:"}


def _table(b: Table) -> str:
    """A GFM table; one without a head gets an empty one (GFM wants a head row)."""
    width = max(len(r) for r in (b.head, *b.rows))
    align = [*b.align, *[""] * width][:width]

    def row(cells) -> str:
        cells = [*cells, *[()] * (width - len(cells))]
        return "| " + " | ".join(inlines(c, heading=True) for c in cells) + " |"

    return "\n".join([row(b.head), "|" + "|".join(_ALIGN.get(a, "---") for a in align) + "|",
                      *map(row, b.rows)])


def _list(b: List, alt: bool = False) -> str:
    items = []
    for n, item in enumerate(b.items, b.start):
        marker = (f"{n}{')' if alt else '.'} " if b.ordered else ("* " if alt else "- "))
        inner = blocks(item, "\n" if b.tight else "\n\n")
        pad = " " * len(marker)
        lines = inner.split("\n")
        items.append("\n".join([marker + lines[0], *(pad + x if x else x for x in lines[1:])]))
    return ("\n" if b.tight else "\n\n").join(items)


def inlines(nodes: tuple[Inline, ...], heading: bool = False) -> str:
    out: list[str] = []
    state = {"start": True}

    def walk(nodes):
        for n in nodes:
            if isinstance(n, Text):
                out.append(escape(n.text, state["start"]))
                state["start"] = state["start"] and not n.text.strip()
                continue
            if isinstance(n, (SoftBreak, Break)):
                if heading:
                    out.append(" ")
                    continue
                out.append("\\\n" if isinstance(n, Break) else "\n")
                state["start"] = True
                continue
            state["start"] = False
            if isinstance(n, Code):
                out.append(_code(n.text))
            elif isinstance(n, Emph):
                out.append("*")
                walk(n.children)
                out.append("*")
            elif isinstance(n, Strong):
                out.append("**")
                walk(n.children)
                out.append("**")
            elif isinstance(n, Link):
                out.append("[")
                walk(n.children)
                url = "".join(_URL_UNSAFE.get(c, c) for c in n.url)
                out.append(f"]({url})")
            elif isinstance(n, Note):
                note, sink = inlines(n.children), _NOTES.get()
                if sink is None:  # blocks written without `with_notes`: the note in brackets
                    out.append(f" ({note})")
                else:
                    sink.append(note)
                    out.append(f"[^{len(sink)}]")

    walk(nodes)
    return "".join(out)


def _code(text: str) -> str:
    fence = "`" * (_longest_run(text, "`") + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)
