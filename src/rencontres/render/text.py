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

import re
from functools import lru_cache

from rencontres.core.values import frozen

# -- inline nodes -------------------------------------------------------------


@frozen
class Text:
    """Plain text, escaped by every writer."""

    text: str


@frozen
class SoftBreak:
    """A line end inside a paragraph of free text (a space once rendered)."""


@frozen
class Break:
    """A hard line break."""


@frozen
class Code:
    text: str


@frozen
class Emph:
    children: tuple[Inline, ...]


@frozen
class Strong:
    children: tuple[Inline, ...]


@frozen
class Link:
    url: str
    children: tuple[Inline, ...]


@frozen
class Note:
    """A footnote (SPIP `[[…]]`, Markdown `[^1]`) where it is called; writers number them."""

    children: tuple[Inline, ...]


Inline = Text | SoftBreak | Break | Code | Emph | Strong | Link | Note

# -- block nodes --------------------------------------------------------------


@frozen
class Para:
    children: tuple[Inline, ...]


@frozen
class Heading:
    level: int  # 1 the title, 2 a section, 3 a label inside a section, 4+ free text
    children: tuple[Inline, ...]


@frozen
class List:
    items: tuple[tuple[Block, ...], ...]
    ordered: bool = False
    start: int = 1
    tight: bool = True


@frozen
class Quote:
    blocks: tuple[Block, ...]


@frozen
class CodeBlock:
    text: str  # ends with a newline


@frozen
class Rule:
    pass


@frozen
class Table:
    """A table (GFM, SPIP `| a | b |`): rows of cells; `head` is empty when it has none."""

    head: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    align: tuple[str, ...] = ()  # "left", "center", "right" or "" per column


Block = Para | Heading | List | Quote | CodeBlock | Rule | Table


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
        elif not isinstance(n, Note):
            parts.append(" " if isinstance(n, (SoftBreak, Break)) else plain_text(n.children))
    return "".join(parts)


# -- free text (Markdown) -------------------------------------------------------

@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return parser.enable("table").use(footnote_plugin, inline=False)


@lru_cache(maxsize=64)  # the group's objectives recur in every synthesis; blocks are immutable
def parse(source: str, shift: int = 0) -> tuple[Block, ...]:
    """Free text (CommonMark) as blocks; its headings are moved `shift` levels down.

    pulldown-cmark (through pyromark) reads it when installed, fifteen times faster than
    markdown-it-py; where the two would not give the same tree — raw HTML (markdown-it-py
    is set to show it as text), a link address that markdown-it-py would percent-encode,
    punycode or refuse (`javascript:`), and the two GFM constructs that imported SPIP
    articles bring, tables and footnotes (`|`, `[^`) — markdown-it-py reads the text instead. The tests
    compare the two on every text they render and on random Markdown. Nesting past what any
    reader keeps is made flat (`depth.py`)."""
    if not source.strip():
        return ()
    from rencontres.render.depth import flat_past, shallow  # nested past what readers keep

    source = shallow(source)
    fast = _fast_blocks(source, shift)
    return flat_past(_blocks(_parser().parse(source), shift) if fast is None else fast, source)


def _fast_blocks(source: str, shift: int) -> tuple[Block, ...] | None:
    """`parse` by pulldown-cmark, or None where markdown-it-py must read the text."""
    events = _fast_events()
    if events is None:
        return None
    source = _NEWLINES.sub("\n", source).replace("\0", "\ufffd")  # as markdown-it does
    if _EDGE_SPACE.search(source) or "|" in source or "[^" in source:
        return None
    try:
        return _from_events(events(source), shift)
    except _Differs:
        return None


_NEWLINES = re.compile(r"\r\n?")
# markdown-it-py trims every Unicode space next to a line's spaces or ends (a no-break space,
# a narrow one), CommonMark only spaces and tabs: such text is left to markdown-it-py
# ("mot\u202f:" is not such a case), as are the few places where they were seen to differ
# in random Markdown: tabs, code fences, link reference definitions (`[x]: /url`).
_EDGE_SPACE = re.compile(r"(?m)[ >][^\S \t\n]|[^\S \t\n] |^[^\S \t\n]|[^\S \t\n]$|\\ *$"
                         r"|\]:|\t|```|~~~")


@lru_cache(maxsize=1)
def _fast_events():
    try:
        import pyromark
    except ImportError:  # pragma: no cover  (a platform without its wheel)
        return None
    return pyromark.events  # CommonMark: no extension is asked for


class _Differs(Exception):
    """Something markdown-it-py reads otherwise than pulldown-cmark (see `parse`)."""


# What markdown-it-py leaves as is in a link's address (mdurl.encode): anything else it
# percent-encodes, so such an address is left to it.
_URL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                      ";/?:@&=+$,-_.!~*'()#")
_BAD_SCHEME = re.compile(r"^\s*(vbscript|javascript|file|data):", re.IGNORECASE)


def _url(info: dict) -> str:
    url = info["dest_url"]
    if not set(url) <= _URL_SAFE or "xn--" in url.lower() or _BAD_SCHEME.match(url):
        raise _Differs(url)
    return url


def _from_events(events, shift: int) -> tuple[Block, ...]:
    stack: list[tuple[object, list]] = [(None, [])]  # (start tag, children so far)
    for event in events:
        if type(event) is str:
            if event in ("SoftBreak", "HardBreak"):
                stack[-1][1].append(Break())  # a single newline is a line break (_inlines)
            elif event == "Rule":
                stack[-1][1].append(Rule())
            else:
                raise _Differs(event)
            continue
        kind, value = next(iter(event.items()))
        if kind == "Text":
            _append_text(stack[-1][1], value)
        elif kind == "Code":
            stack[-1][1].append(Code(value))
        elif kind == "Start":
            stack.append((value, []))
        elif kind == "End":
            tag, children = stack.pop()
            _close_tag(tag, children, stack[-1][1], shift)
        else:  # raw HTML, and what no CommonMark text holds
            raise _Differs(kind)
    return tuple(stack[0][1])


def _close_tag(tag, children: list, parent: list, shift: int) -> None:
    if tag == "Paragraph":
        parent.append(Para(tuple(children)))
    elif tag == "Emphasis":
        parent.append(Emph(tuple(children)))
    elif tag == "Strong":
        parent.append(Strong(tuple(children)))
    elif tag == "Item":
        parent.append(_Item(children))
    elif isinstance(tag, dict) and len(tag) == 1:
        (name, info), = tag.items()
        if name == "Heading":  # its spaces and tabs at both ends are not its text
            if children and isinstance(children[-1], Text):
                children[-1] = Text(children[-1].text.rstrip(" \t"))
            if children and isinstance(children[0], Text):
                children[0] = Text(children[0].text.lstrip(" \t"))
            children = [c for c in children if not (isinstance(c, Text) and not c.text)]
            parent.append(Heading(min(6, int(info["level"][1:]) + shift), tuple(children)))
        elif name == "List":
            items = [item.blocks() for item in children]
            # as the markdown-it-py reading counts it: tight when any list inside is
            tight = any(item.tight for item in children) or any(_tight_inside(i) for i in items)
            parent.append(List(tuple(items), info is not None,
                               int(info) if info is not None else 1, tight))
        elif name == "BlockQuote":
            parent.append(Quote(tuple(children)))
        elif name == "CodeBlock":
            code = "".join(c.text for c in children)
            if info == "Indented" and code and not code.endswith("\n"):
                code += "\n"  # markdown-it ends an indented block with its line's end
            parent.append(CodeBlock(code))
        elif name == "Link":
            if info["link_type"] == "Email":
                info = {**info, "dest_url": "mailto:" + info["dest_url"]}
            parent.append(Link(_url(info), tuple(children)))
        elif name == "Image":  # an image in a synthesis: its description, as text
            _url(info)
            _append_text(parent, plain_text(tuple(children)))
        else:
            raise _Differs(name)
    else:
        raise _Differs(str(tag))


def _tight_inside(blocks: tuple[Block, ...]) -> bool:
    todo = list(blocks)  # a stack, not recursion: quotes may be nested thousands deep
    while todo:
        b = todo.pop()
        if isinstance(b, List) and b.tight:
            return True
        todo += b.blocks if isinstance(b, Quote) else ()
    return False


class _Item:
    """A list item while its list is read: text straight in it means a tight list."""
    def __init__(self, children: list) -> None:
        self.children = children
        self.tight = False

    def blocks(self) -> tuple[Block, ...]:
        out: list[Block] = []
        run: list[Inline] = []
        for child in self.children:
            if isinstance(child, (Text, Code, Emph, Strong, Link, Break)):
                run.append(child)
                continue
            if run:
                out.append(Para(tuple(run)))
                run, self.tight = [], True
            out.append(child)
        if run:
            out.append(Para(tuple(run)))
            self.tight = True
        return tuple(out)


def _close(tokens, i: int) -> int:
    """The index of the token closing tokens[i]."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    raise ValueError("unbalanced Markdown tokens")  # i18n: a bug's: markdown-it never does this


def _blocks(tokens, shift: int, notes: dict | None = None) -> tuple[Block, ...]:
    if notes is None:
        notes = _footnotes(tokens, shift)
    out: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        end = _close(tokens, i) if tok.nesting == 1 else i
        inner = tokens[i + 1 : end]
        kind = tok.type
        if kind == "paragraph_open":
            out.append(Para(_inlines(inner[0].children or [], notes)))
        elif kind == "heading_open":
            level = min(6, int(tok.tag[1:]) + shift)
            out.append(Heading(level, _inlines(inner[0].children or [], notes)))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            items = []
            j = 0
            while j < len(inner):
                k = _close(inner, j)
                items.append(_blocks(inner[j + 1 : k], shift, notes))
                j = k + 1
            tight = any(t.type == "paragraph_open" and t.hidden for t in inner)
            start = int(tok.attrGet("start") or 1)
            out.append(List(tuple(items), kind == "ordered_list_open", start, tight))
        elif kind == "blockquote_open":
            out.append(Quote(_blocks(inner, shift, notes)))
        elif kind == "table_open":
            out.append(_table(inner, notes))
        elif kind in ("fence", "code_block"):
            out.append(CodeBlock(tok.content))
        elif kind == "hr":
            out.append(Rule())
        elif kind == "html_block":  # only with html enabled; shown as text all the same
            out.append(Para(plain(tok.content)))
        i = end + 1  # footnote_block: its notes were read first (`_footnotes`)
    return tuple(out)


def _footnotes(tokens, shift: int) -> dict:
    """The text of each footnote, by its id, as inline runs (paragraphs → line breaks)."""
    notes: dict = {}
    for i, tok in enumerate(tokens):
        if tok.type == "footnote_open":
            runs: list[Inline] = []
            for b in _blocks(tokens[i + 1 : _close(tokens, i)], shift, notes):
                runs += ([Break()] if runs else []) + list(_block_inlines(b))
            notes[tok.meta["id"]] = tuple(runs)
    return notes


def _block_inlines(b: Block) -> tuple[Inline, ...]:
    if isinstance(b, (Para, Heading)):
        return b.children
    inner = b.blocks if isinstance(b, Quote) else [x for i in b.items for x in i] \
        if isinstance(b, List) else [Para(plain(b.text))] if isinstance(b, CodeBlock) else []
    return tuple(n for x in inner for n in (Break(), *_block_inlines(x)))[1:]


def _table(tokens, notes: dict) -> Table:
    rows, align, row = [], [], []  # type: ignore[var-annotated]
    for tok in tokens:
        if tok.type in ("th_open", "td_open") and not rows:
            align.append(str(tok.attrGet("style") or "").removeprefix("text-align:"))
        elif tok.type == "inline":
            row.append(_inlines(tok.children or [], notes))
        elif tok.type == "tr_close":
            rows.append(tuple(row))
            row = []
    head = rows.pop(0) if rows else ()
    return Table(head if any(head) else (), tuple(rows), tuple(align))


_WRAPPERS: dict[str, type[Emph] | type[Strong]] = {"em_open": Emph, "strong_open": Strong}


def _inlines(tokens, notes: dict | None = None) -> tuple[Inline, ...]:
    out: list[Inline] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if tok.nesting == 1:
            end = _close(tokens, i)
            children = _inlines(tokens[i + 1 : end], notes)
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
        elif kind == "footnote_ref":
            out.append(Note((notes or {}).get(tok.meta["id"], ())))
        elif kind == "image":  # an image in a synthesis: its description, as text
            _append_text(out, plain_text(_inlines(tok.children or [])))
        elif kind == "code_inline":
            out.append(Code(tok.content))
        elif kind in ("softbreak", "hardbreak"):
            # A single newline is a line break, as people who write minutes mean it (and as
            # SPIP, GitHub comments and most web forms read it): markdown-it's `breaks`.
            out.append(Break())
        i += 1
    return tuple(out)


def _append_text(out: list[Inline], text: str) -> None:
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text + text)
    elif text:
        out.append(Text(text))
