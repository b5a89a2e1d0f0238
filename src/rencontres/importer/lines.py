"""An article's text as lines: the page as copied from a browser, or the SPIP source of its
Texte. Each line has its plain text (what a reader sees: labels, dates, names) and its
Markdown (the free text kept verbatim), and says whether it is an intertitle or a list item.
`reader.py` walks them. (The page's rules are a dozen lines, SPIP's fifty: one module.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class Line:
    plain: str  # what a reader sees
    md: str  # the same as Markdown
    heading: bool = False  # a SPIP intertitle {{{…}}}
    item: int = 0  # list depth (SPIP -*, -**; a page's "- ")


# -- the two inputs ------------------------------------------------------------------------

def detect(text: str) -> str:
    """"spip" when the text has SPIP markup ({{{…}}}, {{…}}, -* lists, [..->..]), else "page"."""
    if re.search(r"\{\{\{.+?\}\}\}|^-\*|^\{\{[^{}]+\}\}|\[[^\]]*->[^\]]+\]", text, re.M):
        return "spip"
    return "page"


def md_escape(text: str) -> str:
    from rencontres.render.markdown import escape

    return escape(text, line_start=True)


def page_lines(text: str) -> list[Line]:
    """The page as copied from a browser: a line each, list items as "- " or "-  "."""
    out = []
    for raw in text.split("\n"):
        line = raw.replace("\t", " ").strip(" " + NBSP)
        m = re.match(rf"^[-–•][\s{NBSP}]+(.*)$", line)
        if m:
            out.append(Line(m[1].strip(), "- " + md_escape(m[1].strip()), item=1))
        else:
            out.append(Line(line, md_escape(line) if line else ""))
    return out


_SPIP_TOKEN = re.compile(r"\\(.)|\[([^\[\]]*?)->([^\[\]]+)\]|\{\{(.+?)\}\}|\{(.+?)\}")


def spip_plain(text: str) -> str:
    """What a reader of the published page sees of a SPIP line."""
    import html

    def plain(m: re.Match) -> str:
        if m[1] is not None:
            return m[1]
        if m[3] is not None:
            return spip_plain(m[2]) or m[3]
        return spip_plain(m[4] if m[4] is not None else m[5])

    return html.unescape(_SPIP_TOKEN.sub(plain, text)).strip()


def spip_md(text: str, start: bool = True) -> str:
    """A SPIP line as Markdown: {{bold}}, {italic}, [text->url] become Markdown; every
    other character stays literal (escaped where Markdown would read it as markup)."""
    import html

    from rencontres.render.markdown import escape

    out: list[str] = []
    at = 0
    for m in _SPIP_TOKEN.finditer(text):
        if m.start() > at:
            out.append(escape(html.unescape(text[at:m.start()]), line_start=start and not out))
        if m[1] is not None:
            out.append(escape(m[1]))
        elif m[3] is not None:
            out.append(f"[{spip_md(m[2], False) or escape(m[3])}]({m[3].strip()})")
        elif m[4] is not None:
            out.append(f"**{spip_md(m[4], False)}**")
        else:
            out.append(f"*{spip_md(m[5], False)}*")
        at = m.end()
    if at < len(text):
        out.append(escape(html.unescape(text[at:]), line_start=start and not out))
    return "".join(out).strip()


def spip_lines(text: str) -> list[Line]:
    """SPIP source: {{{intertitles}}}, -* and -** lists, `_ ` line breaks, blank lines."""
    out = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line.startswith("_ "):
            line = line[2:]
        heading = re.fullmatch(r"\{\{\{(.*)\}\}\}", line)
        item = re.match(r"^-(\*+|#+)\s*(.*)$", line) or re.match(r"^-\s+(.*)$", line)
        if heading:
            out.append(Line(spip_plain(heading[1]), spip_md(heading[1]), heading=True))
        elif item and item.re.groups == 2:
            depth = len(item[1])
            marker = "1." if item[1][0] == "#" else "-"
            md = spip_md(item[2])
            out.append(Line(spip_plain(item[2]), ("  " * (depth - 1)) + f"{marker} {md}",
                            item=depth))
        elif item:
            out.append(Line(spip_plain(item[1]), f"- {spip_md(item[1])}", item=1))
        else:
            out.append(Line(spip_plain(line), spip_md(line)))
    return out
