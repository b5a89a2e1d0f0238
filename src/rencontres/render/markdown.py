"""The synthesis as CommonMark.

Plain text is escaped so that no name, title or task can become markup: the
characters that make emphasis, links, code, HTML or (GFM) tables and
strikethrough are backslash-escaped everywhere; those that start a block
(heading, list, quote, setext underline) are escaped where a line starts.
"""

from __future__ import annotations

import re

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
    Para,
    Quote,
    Rule,
    SoftBreak,
    Strong,
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


def write(doc) -> str:
    return blocks(doc.page()) + "\n"


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
    raise TypeError(b)


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

    walk(nodes)
    return "".join(out)


def _code(text: str) -> str:
    fence = "`" * (_longest_run(text, "`") + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)
