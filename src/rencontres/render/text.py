"""The document tree every synthesis is built as, and free text parsed into it.

A synthesis is built once as a small tree (blocks of inline runs) and written
three ways (`markdown.py`, `spip.py`, `html.py`). Every `Text` run is plain
text: each writer escapes it so that it can never become markup. Markup comes
only from the nodes themselves, either ours (headings, labels, lists) or the
secretary's: the free-text fields (`body`, `context`, `objectives`, `note`)
are CommonMark, parsed here once with markdown-it-py, raw HTML disabled (so
`<script>` in a record is text, never markup).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# -- inline nodes -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text, escaped by every writer."""

    text: str


@dataclass(frozen=True, slots=True)
class SoftBreak:
    """A line end inside a paragraph of free text (a space once rendered)."""


@dataclass(frozen=True, slots=True)
class Break:
    """A hard line break."""


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    children: tuple[Inline, ...]


Inline = Text | SoftBreak | Break | Code | Emph | Strong | Link

# -- block nodes --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Para:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1 the title, 2 a section, 3 a label inside a section, 4+ free text
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class List:
    items: tuple[tuple[Block, ...], ...]
    ordered: bool = False
    start: int = 1
    tight: bool = True


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str  # ends with a newline


@dataclass(frozen=True, slots=True)
class Rule:
    pass


Block = Para | Heading | List | Quote | CodeBlock | Rule


# -- plain text -----------------------------------------------------------------


def plain(text: str) -> tuple[Inline, ...]:
    """A plain-text field as inline runs: its line ends become hard breaks."""
    lines = [line.strip() for line in text.strip().splitlines()]
    out: list[Inline] = []
    for line in lines:
        if out:
            out.append(Break())
        if line:
            out.append(Text(line))
    return tuple(out)


def plain_text(nodes: tuple[Inline, ...]) -> str:
    """The text of inline runs, without markup (for an HTML <title>, say)."""
    parts = []
    for n in nodes:
        if isinstance(n, (Text, Code)):
            parts.append(n.text)
        elif isinstance(n, (SoftBreak, Break)):
            parts.append(" ")
        else:
            parts.append(plain_text(n.children))
    return "".join(parts)


# -- free text (Markdown) -------------------------------------------------------


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@lru_cache(maxsize=64)  # the group's objectives recur in every synthesis; blocks are immutable
def parse(source: str, shift: int = 0) -> tuple[Block, ...]:
    """Free text (CommonMark) as blocks; its headings are moved `shift` levels down."""
    if not source.strip():
        return ()
    return _blocks(_parser().parse(source), shift)


def _close(tokens, i: int) -> int:
    """The index of the token closing tokens[i]."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    raise ValueError("unbalanced Markdown tokens")  # markdown-it never does this


def _blocks(tokens, shift: int) -> tuple[Block, ...]:
    out: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        end = _close(tokens, i) if tok.nesting == 1 else i
        inner = tokens[i + 1 : end]
        kind = tok.type
        if kind == "paragraph_open":
            out.append(Para(_inlines(inner[0].children or [])))
        elif kind == "heading_open":
            level = min(6, int(tok.tag[1:]) + shift)
            out.append(Heading(level, _inlines(inner[0].children or [])))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            items = []
            j = 0
            while j < len(inner):
                k = _close(inner, j)
                items.append(_blocks(inner[j + 1 : k], shift))
                j = k + 1
            tight = any(t.type == "paragraph_open" and t.hidden for t in inner)
            start = int(tok.attrGet("start") or 1)
            out.append(List(tuple(items), kind == "ordered_list_open", start, tight))
        elif kind == "blockquote_open":
            out.append(Quote(_blocks(inner, shift)))
        elif kind in ("fence", "code_block"):
            out.append(CodeBlock(tok.content))
        elif kind == "hr":
            out.append(Rule())
        elif kind == "html_block":  # only with html enabled; shown as text all the same
            out.append(Para(plain(tok.content)))
        i = end + 1
    return tuple(out)


_WRAPPERS = {"em_open": Emph, "strong_open": Strong}


def _inlines(tokens) -> tuple[Inline, ...]:
    out: list[Inline] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if tok.nesting == 1:
            end = _close(tokens, i)
            children = _inlines(tokens[i + 1 : end])
            if kind == "link_open":
                out.append(Link(str(tok.attrGet("href") or ""), children))
            elif kind in _WRAPPERS:
                out.append(_WRAPPERS[kind](children))
            else:
                out.extend(children)
            i = end + 1
            continue
        if kind in ("text", "text_special", "html_inline"):
            _append_text(out, tok.content)
        elif kind == "image":  # an image in a synthesis: its description, as text
            _append_text(out, plain_text(_inlines(tok.children or [])))
        elif kind == "code_inline":
            out.append(Code(tok.content))
        elif kind == "softbreak":
            # A single newline is a line break, as people who write minutes mean it (and as
            # SPIP, GitHub comments and most web forms read it): markdown-it's `breaks`.
            out.append(Break())
        elif kind == "hardbreak":
            out.append(Break())
        i += 1
    return tuple(out)


def _append_text(out: list[Inline], text: str) -> None:
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text + text)
    elif text:
        out.append(Text(text))
