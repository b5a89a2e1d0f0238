"""The synthesis as a standalone, printable HTML page (also the body of its e-mail)."""

from __future__ import annotations

from contextvars import ContextVar
from html import escape

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

STYLE = """\
body { font: 16px/1.5 Georgia, "Times New Roman", serif; color: #222; margin: 0; }
main { max-width: 42em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.8em; }
h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; }
.surtitre { font-style: italic; color: #555; margin-bottom: 0; }
blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1em; color: #444; }
pre { white-space: pre-wrap; background: #f4f4f4; padding: 0.5em; }
@media print { body { font-size: 11pt; } main { margin: 0; max-width: none; }
  a { color: inherit; } h2 { break-after: avoid; } }
"""  # i18n: CSS of the pages written


# The notes of the page being written, listed at its end (see `write`).
_NOTES: ContextVar[list[str] | None] = ContextVar("html_notes", default=None)


def write(doc) -> str:
    blocks = doc.page()
    if doc.surtitle:  # the surtitle is the first block: give it its class
        head = f'<p class="surtitre">{inlines(doc.surtitle)}</p>'
        blocks = blocks[1:]
    else:
        head = ""
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        body = "\n".join(x for x in (head, *(block(b) for b in blocks)) if x)
    finally:
        _NOTES.reset(token)
    body += _notes_html(notes)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(doc.lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(doc.title_text, quote=False)}</title>\n"
        f"<style>\n{STYLE}</style>\n"
        "</head>\n"
        "<body>\n<main>\n"
        f"{body}\n"
        "</main>\n</body>\n</html>\n"
    )


def fragment(parts) -> str:
    """Blocks (or HTML already written, as strings) one after another, then their notes:
    the body of a page that is not one synthesis alone (the site's pages)."""
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        body = "\n".join(x for x in (p if isinstance(p, str) else block(p) for p in parts) if x)
    finally:
        _NOTES.reset(token)
    return body + _notes_html(notes)


def _notes_html(notes: list[str]) -> str:
    if not notes:  # SPIP's own anchors: nh1 the call, nb1 the note
        return ""
    return '\n<section class="notes">\n<ol>\n' + "".join(
        f'<li id="nb{n}">{note} <a href="#nh{n}" aria-label="↩ {n}">↩</a></li>\n'
        for n, note in enumerate(notes, 1)) + "</ol>\n</section>"


def block(b: Block, tight: bool = False) -> str:
    if isinstance(b, Para):
        return inlines(b.children) if tight else f"<p>{inlines(b.children)}</p>"
    if isinstance(b, Heading):
        return f"<h{b.level}>{inlines(b.children)}</h{b.level}>"
    if isinstance(b, List):
        tag = "ol" if b.ordered else "ul"
        start = f' start="{b.start}"' if b.ordered and b.start != 1 else ""
        items = "".join(
            "<li>" + "\n".join(block(x, b.tight) for x in item) + "</li>\n" for item in b.items
        )
        return f"<{tag}{start}>\n{items}</{tag}>"
    if isinstance(b, Quote):
        return "<blockquote>\n" + "\n".join(block(x) for x in b.blocks) + "\n</blockquote>"
    if isinstance(b, CodeBlock):
        return f"<pre><code>{escape(b.text, quote=False)}</code></pre>"
    if isinstance(b, Rule):
        return "<hr>"
    if isinstance(b, Table):
        head = "<thead>\n" + _row(b.head, "th", b.align) + "</thead>\n" if b.head else ""
        rows = "".join(_row(r, "td", b.align) for r in b.rows)
        return f"<table>\n{head}<tbody>\n{rows}</tbody>\n</table>"
    raise TypeError(b)


def _row(cells, tag: str, align: tuple[str, ...]) -> str:
    out = []
    for i, cell in enumerate(cells):
        a = align[i] if i < len(align) else ""
        style = f' style="text-align:{a}"' if a else ""
        out.append(f"<{tag}{style}>{inlines(cell)}</{tag}>")
    return "<tr>" + "".join(out) + "</tr>\n"


def inlines(nodes: tuple[Inline, ...]) -> str:
    out = []
    for n in nodes:
        if isinstance(n, Text):
            out.append(escape(n.text, quote=False))
        elif isinstance(n, SoftBreak):
            out.append("\n")
        elif isinstance(n, Break):
            out.append("<br>\n")
        elif isinstance(n, Code):
            out.append(f"<code>{escape(n.text, quote=False)}</code>")
        elif isinstance(n, Emph):
            out.append(f"<em>{inlines(n.children)}</em>")
        elif isinstance(n, Strong):
            out.append(f"<strong>{inlines(n.children)}</strong>")
        elif isinstance(n, Link):
            out.append(f'<a href="{escape(n.url)}">{inlines(n.children)}</a>')
        elif isinstance(n, Note):
            sink = _NOTES.get()
            if sink is None:  # inlines written outside a page: the note in brackets
                out.append(f" ({inlines(n.children)})")
                continue
            sink.append(inlines(n.children))
            k = len(sink)
            out.append(f'<sup class="note"><a id="nh{k}" href="#nb{k}">{k}</a></sup>')
    return "".join(out)
