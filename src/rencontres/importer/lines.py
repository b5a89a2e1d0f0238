"""An article's text as lines: the page as copied from a browser, or the SPIP source of its
Texte. Each line has its plain text (what a reader sees: labels, dates, names) and its
Markdown (the free text kept verbatim), and says whether it is an intertitle or a list item.
`reader.py` walks them. (The page's rules are a dozen lines, SPIP's fifty: one module.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rencontres.core.i18n import N_
from rencontres.importer.said import Said

NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class Line:
    plain: str  # what a reader sees
    md: str  # the same as Markdown
    heading: bool = False  # a SPIP intertitle {{{…}}}
    item: int = 0  # list depth (SPIP -*, -**; a page's "- ")
    notes: tuple[str, ...] = ()  # what the record should say beside it (a file on the site)


# -- the two inputs ------------------------------------------------------------------------

def detect(text: str) -> str:
    """"spip" when the text has SPIP markup ({{{…}}}, {{…}}, -* lists, [..->..]), else "page"."""
    if re.search(r"\{\{\{.+?\}\}\}|^-\*|^\{\{[^{}]+\}\}|\[[^\]]*->[^\]]+\]|\[\[.+?\]\]|<quote>"
                 r"|^\|.*\|$|<(?:doc|img|emb)\d+[|>]", text, re.M):
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


# \x | [[note]] | [text->url] | {{bold}} | {italic} | <doc12>, <img12|center>, <emb12> | ~
_SPIP_TOKEN = re.compile(r"\\(.)|\[\[((?:[^\[\]]|\[[^\[\]]*\])*?)\]\]|\[([^\[\]]*?)->([^\[\]]+)\]"
                         r"|\{\{(.+?)\}\}|\{(.+?)\}|<(?:doc|img|emb)(\d+)(?:\|[^<>]*)?>|(~)")
_INTERTITLE = re.compile(r"\{\{\{(.*)\}\}\}")
_ITEM = re.compile(r"^-(\*+|#+)\s*(.*)$")  # -* and -# lists, -** deeper
_DASH = re.compile(r"^-\s+(.*)$")  # "- " a bullet
_TOKEN_START = re.compile(r"[\\\[{<~]")  # a character `_SPIP_TOKEN` needs
# SPIP's shortcuts for a site's own objects: [->art12], [->12], [->rub3] …
_OBJECT = re.compile(r"(art|article|rub|rubrique|br|breve|mot|aut|auteur)?(\d+)")
_OBJECTS = {"art": "article", "rub": "rubrique", "br": "breve", "aut": "auteur"}


@dataclass(frozen=True, slots=True)
class Links:
    """What a site's backup tells of its objects: each article's address and full title,
    each document's address and title (by number), for `[->art12]` and `<doc3>`."""

    articles: dict[int, tuple[str, str]]
    documents: dict[int, tuple[str, str]]


class _State:
    """What one SPIP text carries from line to line: the notes' numbers and the notes
    not yet set out (a paragraph's notes follow it), the site's address and objects, the
    remarks."""

    def __init__(self, site: str = "", links: Links | None = None) -> None:
        self.site, self.links, self.count = site, links, 0
        self.pending: list[str] = []  # "[^1]: …" definitions
        self.remarks: list[str] = []


def site_address(url: str) -> str:
    """The site's address from a page of it (group.toml's `url`): what precedes spip.php."""
    return url.split("?")[0].rsplit("/", 1)[0] + "/" if "//" in url else ""


def _url(url: str, state: _State) -> tuple[str, str]:
    """A link's address and the text it shows when it has none: art12 → spip.php?article12."""
    url = url.strip()
    if m := _OBJECT.fullmatch(url):
        name = _OBJECTS.get(m[1] or "art", m[1] or "article")
        if name == "article" and state.links and int(m[2]) in state.links.articles:
            return state.links.articles[int(m[2])]
        return f"{state.site}spip.php?{name}{m[2]}", f"{name} {m[2]}"
    return url, url


def spip_plain(text: str, links: Links | None = None) -> str:
    """What a reader of the published page sees of a SPIP line (a note in brackets where it
    is called, a document as its title when `links` knows it, else "[document 12]")."""
    import html

    if not _TOKEN_START.search(text):  # most lines: no shortcut at all
        return html.unescape(text).strip()

    def plain(m: re.Match) -> str:
        if m[1] is not None:
            return m[1]
        if m[2] is not None:
            return f" ({spip_plain(m[2], links)})"
        if m[4] is not None:
            return spip_plain(m[3], links) or _url(m[4], _State("", links))[1]
        if m[7] is not None:
            known = links.documents.get(int(m[7])) if links else None
            return known[1] if known else f"[document {m[7]}]"
        if m[8] is not None:
            return NBSP
        return spip_plain(m[5] if m[5] is not None else m[6], links)

    return html.unescape(_SPIP_TOKEN.sub(plain, text)).strip()


def spip_md(text: str, start: bool = True, state: _State | None = None) -> str:
    """A SPIP line as Markdown: {{bold}}, {italic}, [text->url] become Markdown, [[notes]]
    footnotes (set out after the line, or after the paragraph by `spip_lines`), ~ a no-break
    space, <docN> the text "[document N]"; every other character stays literal (escaped
    where Markdown would read it as markup)."""
    import html

    from rencontres.render.markdown import escape

    if not _TOKEN_START.search(text):  # most lines: no shortcut at all
        return escape(html.unescape(text), line_start=start).strip(" \t\n")
    own = state is None
    st = _State() if state is None else state
    out: list[str] = []
    at = 0
    for m in _SPIP_TOKEN.finditer(text):
        if m.start() > at:
            out.append(escape(html.unescape(text[at:m.start()]), line_start=start and not out))
        if m[1] is not None:
            out.append(escape(m[1]))
        elif m[2] is not None:
            st.count += 1
            note = st.count
            st.pending.append(f"[^{note}]: {spip_md(m[2], False, st)}")
            out.append(f"[^{note}]")
        elif m[4] is not None:
            url, shown = _url(m[4], st)
            out.append(f"[{spip_md(m[3], False, st) or escape(shown)}]({url})")
        elif m[5] is not None:
            out.append(f"**{spip_md(m[5], False, st)}**")
        elif m[6] is not None:
            out.append(f"*{spip_md(m[6], False, st)}*")
        elif m[7] is not None and st.links and int(m[7]) in st.links.documents:
            url, title = st.links.documents[int(m[7])]
            out.append(f"[{escape(title)}]({url})")
        elif m[7] is not None:
            out.append(escape(f"[document {m[7]}]"))
            st.remarks.append(Said(N_("{call} is document {number} of the site: the file is on "
                                      "the site, not in the record (named [document {number}] "
                                      "in the text)"), call=m[0], number=m[7]))
        else:
            out.append(NBSP)
        at = m.end()
    if at < len(text):
        out.append(escape(html.unescape(text[at:]), line_start=start and not out))
    md = "".join(out).strip(" \t\n")
    if own and st.pending:
        md += "\n\n" + "\n".join(st.pending)
    return md


def spip_lines(text: str, site: str = "", links: Links | None = None) -> list[Line]:
    """SPIP source: {{{intertitles}}}, -* and -** lists, `_ ` line breaks, blank lines,
    <quote> blocks (Markdown "> "), tables (`| a | b |`, a head row of {{bold}} cells) as
    GFM tables, [[notes]] as footnotes set out after their paragraph; `site` the site's
    address for links to its articles ([->art12]), `links` what its backup says of them."""
    st = _State(site, links)
    out: list[Line] = []
    rows: list[str] = []
    quote = gap = False
    for raw in [*text.split("\n"), ""]:
        line = raw.strip()
        if line.startswith("_ "):
            line = line[2:]
        if rows and not (line.startswith("|") and line.endswith("|") and len(line) > 1):
            out += _table(rows, st)
            rows = []
        if line.lower().startswith("<quote>"):
            line, quote = line[7:].strip(), True
        closes = line.lower().endswith("</quote>")
        line = line[:-8].strip() if closes else line
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            rows.append(line)
            continue
        if quote and not line and not closes:  # a quote's paragraphs stay one quote
            gap = bool(out) and out[-1].md.startswith(">")
            continue
        heading = _INTERTITLE.fullmatch(line)
        if (not line or heading) and st.pending:
            _set_out_notes(out, st)
        out.append(_line(line, heading, st, quote))
        if gap and quote and out[-1].plain:
            out[-1] = Line(out[-1].plain, ">\n" + out[-1].md, notes=out[-1].notes)
        quote, gap = quote and not closes, False
    if st.pending:
        _set_out_notes(out, st)
    return out[:-1] if out and out[-1] == Line("", "") else out


def _line(line: str, heading: re.Match | None, st: _State, quote: bool) -> Line:
    item = (_ITEM.match(line) or _DASH.match(line)) if line.startswith("-") else None
    if heading:
        out = Line(spip_plain(heading[1], st.links), spip_md(heading[1], state=st), heading=True)
    elif item and item.re.groups == 2:
        depth = len(item[1])
        marker = "1." if item[1][0] == "#" else "-"
        md = spip_md(item[2], state=st)
        out = Line(spip_plain(item[2], st.links), ("  " * (depth - 1)) + f"{marker} {md}", item=depth)
    elif item:
        out = Line(spip_plain(item[1], st.links), f"- {spip_md(item[1], state=st)}", item=1)
    else:
        out = Line(spip_plain(line, st.links), spip_md(line, state=st))
    if quote and out.plain:
        out = Line(out.plain, "> " + out.md.replace("\n", "\n> "), out.heading, out.item)
    if st.remarks:
        out = Line(out.plain, out.md, out.heading, out.item, tuple(st.remarks))
        st.remarks.clear()
    return out


def _set_out_notes(out: list[Line], st: _State) -> None:
    """The notes called in the paragraph just read, after its last line."""
    for i in range(len(out) - 1, -1, -1):
        if out[i].plain:
            last = out[i]
            out[i] = Line(last.plain, last.md + "\n\n" + "\n".join(st.pending), last.heading,
                          last.item, last.notes)
            break
    st.pending.clear()


def _table(rows: list[str], st: _State) -> list[Line]:
    """SPIP table rows as a GFM table, a Line each (the first carries the head and the
    delimiter row; a table without a {{bold}} head row gets an empty head)."""
    cells = [[c.strip() for c in row[1:-1].split("|")] for row in rows]
    width = max(len(c) for c in cells)
    has_head = all(re.fullmatch(r"\{\{.*\}\}", c) for c in cells[0])
    head = [c[2:-2] for c in cells[0]] if has_head else []
    head_md = [spip_md(c, False, st) for c in head] + [""] * (width - len(head))
    prefix = "| " + " | ".join(head_md) + " |\n|" + "---|" * width
    lines = []
    if has_head:
        lines.append(Line(" | ".join(spip_plain(c, st.links) for c in head), prefix))
        prefix = ""
    for row in cells[1:] if has_head else cells:
        row = row + [""] * (width - len(row))
        md = "| " + " | ".join(spip_md(c, False, st) for c in row) + " |"
        lines.append(Line(" | ".join(spip_plain(c, st.links) for c in row), prefix + "\n" + md
                          if prefix else md))
        prefix = ""
    remarks, st.remarks = tuple(st.remarks), []
    return [Line(ln.plain, ln.md, notes=remarks if i == 0 else ()) for i, ln in enumerate(lines)]
