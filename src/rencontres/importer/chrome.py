"""A page copied from the browser is the article between the site's chrome: above it the
menus and the hierarchy, below it the forum, "Articles dans la même rubrique", the keywords
and the footer. The chrome is recognised by its place and shape — the blocks that end the
page, peeled off from its last line upwards; the lines above the title block — never by a
word alone: a body line that says "plan du site", "Forum" or "Mots-clés : …" is text.

A SPIP source (the Texte field) has no chrome: all of it is the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rencontres.importer.lines import Line

SLASHED = re.compile(r"(\d{4})/(\d{2})/(\d{2,4})\.\s+(.+)$")
PUBLISHED = re.compile(r"^(?:mis en ligne le|published(?: on)?)\s+(.+?)\.?$", re.IGNORECASE)
HIERARCHY = re.compile(r"^(?:Hiérarchie|Hierarchy)\s*[:：]\s*(.*)$", re.IGNORECASE)
INDEX = re.compile(r"^(?:Articles dans la même rubrique|In the same section)$", re.IGNORECASE)
KEYWORDS = re.compile(r"^(?:Mots clefs de l['’]article|Mots-clés|Article keywords|Keywords)"
                      r"(?:\s*:\s*(.*))?$", re.IGNORECASE)
FOOTER = re.compile(r"visiteurs par jour|Plan du site|^Entrée rédacteurs|^spip$|^trefle$",
                    re.IGNORECASE)
REPLY = re.compile(r"^(?:Répondre à cet article|Reply to this article)$", re.IGNORECASE)
FORUM = re.compile(r"^Forum$", re.IGNORECASE)
ENTRY = re.compile(r"^(?:fleche|flèche|→|»)\s*", re.IGNORECASE)


@dataclass
class Parts:
    head: list[Line] = field(default_factory=list)  # menus, hierarchy
    body: list[Line] = field(default_factory=list)  # the article: title block to its end
    tail: list[Line] = field(default_factory=list)  # forum, index, keywords, footer
    title_prefix: str = ""  # the chrome before the title's date ("fleche ... ")


def split(lines: list[Line], page: bool = True) -> Parts:
    if not page:
        return Parts(body=list(lines))
    end = _tail_start(lines)
    start, prefix = _title_line(lines, end)
    body = list(lines[start:end])
    if prefix and body:
        first = body[0]
        body[0] = Line(first.plain[len(prefix):], first.md, first.heading, first.item)
    return Parts(list(lines[:start]), body, list(lines[end:]), prefix)


def _title_line(lines: list[Line], end: int) -> tuple[int, str]:
    """The index of the article's first line (its title), and the chrome before its date."""
    nonblank = [i for i in range(end) if lines[i].plain]
    published = next((i for i in nonblank if PUBLISHED.match(lines[i].plain)), None)
    if published is not None:
        before = [i for i in nonblank if i < published]
        if not before:
            return published, ""
        title = before[-1]
        if HIERARCHY.match(lines[title].plain):
            return published, ""
    else:
        # no "mis en ligne": the line after a hierarchy line, or the first, if it is a
        # dated title
        hierarchy = [k for k, i in enumerate(nonblank[:5]) if HIERARCHY.match(lines[i].plain)]
        after = nonblank[hierarchy[0] + 1:] if hierarchy else nonblank
        if not after or not SLASHED.search(lines[after[0]].plain):
            return (nonblank[hierarchy[0]] + 1 if hierarchy else 0), ""
        title = after[0]
    m = SLASHED.search(lines[title].plain)
    return title, lines[title].plain[:m.start()] if m else ""


def _tail_start(lines: list[Line]) -> int:
    end = len(lines)
    while True:
        while end and not lines[end - 1].plain:
            end -= 1
        if not end:
            return 0
        last = lines[end - 1].plain
        if FOOTER.search(last) and len(last) < 120 or FORUM.match(last):
            end -= 1
            continue
        block = (_block(lines, end, INDEX, _index_shaped)
                 or _block(lines, end, KEYWORDS, _keyword_shaped)
                 or _forum(lines, end))
        if block is None:
            return end
        end = block


def _block(lines: list[Line], end: int, heading: re.Pattern, shaped) -> int | None:
    """The start of a block "heading, then lines of its shape" that ends at `end`."""
    i = end - 1
    while i >= 0:
        p = lines[i].plain
        if heading.match(p) and not lines[i].item:
            return i
        if p and not shaped(p):
            return None
        i -= 1
    return None


def _index_shaped(p: str) -> bool:
    return bool(ENTRY.match(p) or SLASHED.match(p)) or FOOTER.search(p) is not None


def _keyword_shaped(p: str) -> bool:
    return len(p) < 120 and not p.endswith((".", ":", ";", "?", "!"))


def _forum(lines: list[Line], end: int) -> int | None:
    """The forum: from the last "Répondre à cet article" line to the blocks below it."""
    for i in range(end - 1, -1, -1):
        if REPLY.match(lines[i].plain):
            return i
    return None
