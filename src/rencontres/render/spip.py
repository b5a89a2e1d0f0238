"""The synthesis as SPIP markup, for a site without the Markdown plugin.

All SPIP escaping lives here. The rules that matter (SPIP's typographical
shortcuts, https://www.spip.net/en_article4917.html and SPIP's own help page
"raccourcis"; backslash escapes as read by SPIP 4, e.g. `\\[` in inc/lien.php):

- `{italique}`, `{{gras}}`, `{{{intertitre}}}`, `[texte->url]`, `[[note]]`,
  `~` (non-breaking space) and `|` (table cells) are read anywhere, so a literal
  `\\ { } [ ] | ~` is always backslash-escaped, and so are `*` and `#` (list
  markers after a `-`); `<` and `>` (HTML, `<quote>`, `->`) become `&lt;` and
  `&gt;`, which every SPIP shows as is; `&` is escaped when it would start an entity.
- `-` (lists `-*` `-#`, bullets, dashes, `----` rules) and `_ ` (line break) are
  read at the start of a line, so a line of plain text never starts with them
  unescaped.
- A single newline inside a paragraph is a line break in SPIP: free text is
  never hard-wrapped (soft breaks become spaces), and a blank line ends a list,
  so a list item is always one line (its paragraphs joined by `_ ` breaks).
- SPIP's French typography adds the spaces before `: ; ! ?` itself: none are added.

The output names the field of SPIP's article form each part goes in
(Surtitre, Titre, Texte, Mots-clés); `text_only` gives the Texte alone.
"""

from __future__ import annotations

import re

from rencontres.render.labels import LABELS
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
    plain_text,
)

_CHARS = {"\\": "&#92;", "[": "&#91;", "]": "&#93;", "|": "&#124;", "<": "&lt;", ">": "&gt;",
          **{c: "\\" + c for c in "{}~*#`"}}
_SPECIAL = re.compile("[" + re.escape("".join(_CHARS)) + "]")
_DASHES = re.compile(r"(?<=-)-")
_WWW = re.compile(r"(?i)\bwww\.")
_LINE_START = re.compile(r"^([-_])")
_SCHEME = re.compile(r"(?i)\b([a-z0-9][a-z0-9+.-]*):(?=//)|\b(mailto|news|tel|sip|xmpp|irc):")
_URL_UNSAFE = {c: f"%{ord(c):02X}" for c in " []{}|<>\"\\"}
LINE_BREAK = "\n_ "
# A site's own objects, as import writes its links (`[->art12]` → spip.php?article12)
_OBJECTS = {"article": "art", "rubrique": "rub", "breve": "br", "mot": "mot", "auteur": "aut"}
_OBJECT = re.compile(r"spip\.php\?(" + "|".join(_OBJECTS) + r")(\d+)")


def escape(text: str, line_start: bool = False) -> str:
    r"""Plain text as SPIP markup that `propre()` shows as exactly that text.

    Measured with SPIP 4.3.5 (textwheel 3.2.1); `tests/test_spip_rules.py` holds the
    vectors. SPIP resolves its backslash escapes one after another, so a literal `\`
    is a character reference (`&#92;`), as are `[ ] |` (glossary links, notes, link text
    and table cells read them even escaped); `{ } ~ * # \`` take a backslash; `--`
    (an em dash) becomes `-\-`; `http://`, `mailto:`, `www.` (automatic links) lose
    their colon or dot to a character reference; `<` `>` become `&lt;` `&gt;`.
    """
    text = text.replace("&", "&amp;")
    if _SPECIAL.search(text):  # most text has none: searching is cheaper than replacing
        text = _SPECIAL.sub(lambda m: _CHARS[m.group()], text)
    if "--" in text:
        text = _DASHES.sub(r"\\-", text)
    if ":" in text:
        text = _SCHEME.sub(lambda m: f"{m[1] or m[2]}&#58;", text)
    if "." in text:
        text = _WWW.sub(lambda m: m.group()[:3] + "&#46;", text)
    if line_start:
        text = _LINE_START.sub(r"\\\1", text.lstrip())
    return text


def escape_typo(text: str) -> str:
    """Plain text for the fields SPIP shows through `typo()` (Titre, Surtitre, keywords),
    which reads no backslash escape and none of `{ } [ ] * | #`: only `&`, `<`, `~` and
    `--` mean something there (SPIP 4.3.5)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _DASHES.sub("&#45;", text.replace("~", "&#126;"))


def article_fields(doc) -> dict[str, str]:
    """The fields of SPIP's article form, as SPIP source: surtitre, titre, texte (each as
    `write` prints it, without its final newline)."""
    return {"surtitre": _typo_line(doc.surtitle) if doc.surtitle else "",
            "titre": _typo_line(doc.title),
            "texte": "\n\n".join(block(b) for b in doc.body)}


def write(doc, text_only: bool = False) -> str:
    article = article_fields(doc)
    texte = article["texte"] + "\n"
    if text_only:
        return texte
    labels = LABELS[doc.lang]
    fields = []
    if doc.surtitle:
        fields.append((labels["spip_surtitle"], article["surtitre"] + "\n"))
    fields.append((labels["spip_title"], article["titre"] + "\n"))
    fields.append((labels["spip_text"], texte))
    if doc.keywords:
        fields.append((labels["spip_keywords"],
                       "".join(f"{escape_typo(k)}\n" for k in doc.keywords)))
    return "\n".join(f"===== {name} =====\n{value}" for name, value in fields)


def _typo_line(nodes: tuple[Inline, ...]) -> str:
    """A one-line typo() field: its text, line breaks as " — "."""
    parts = []
    for n in nodes:
        if isinstance(n, (Break, SoftBreak)):
            parts.append(" — " if isinstance(n, Break) else " ")
        elif isinstance(n, (Text, Code)):
            parts.append(n.text)
        elif hasattr(n, "children") and not isinstance(n, Note):
            parts.append(_typo_line(n.children))
    return escape_typo("".join(parts))


def block(b: Block) -> str:
    if isinstance(b, Para):
        return inlines(b.children)
    if isinstance(b, Heading):
        braces = 3 if b.level <= 2 else 2
        return _wrap("{" * braces, inlines(b.children, one_line=True), "}" * braces)
    if isinstance(b, List):
        return "\n".join(_list_lines(b, 1))
    if isinstance(b, Quote):
        return "<quote>" + "\n\n".join(block(x) for x in b.blocks) + "</quote>"
    if isinstance(b, CodeBlock):
        if "</code>" in b.text:
            return LINE_BREAK.join(escape(line, True) for line in b.text.rstrip("\n").split("\n"))
        return "<code>" + b.text.rstrip("\n") + "</code>"
    if isinstance(b, Rule):
        return "----"
    if isinstance(b, Table):  # a head row is one whose every cell is bold; no alignment
        head = ["|" + "|".join(_wrap("{{", inlines(c, True, False), "}}") for c in b.head)
                + "|"] if b.head else []
        return "\n".join(head + ["|" + "|".join(inlines(c, True, False) for c in row) + "|"
                                 for row in b.rows])
    raise TypeError(b)


def _list_lines(b: List, depth: int) -> list[str]:
    marker = "-" + ("#" if b.ordered else "*") * depth + " "
    lines = []
    for item in b.items:
        texts, nested = [], []
        for x in item:
            if isinstance(x, List):
                nested.extend(_list_lines(x, depth + 1))
            elif isinstance(x, Para):
                texts.append(inlines(x.children))
            else:  # a list item holds one line: a blank line would end the list
                texts.append(block(x).replace("\n\n", LINE_BREAK))
        lines.append(marker + LINE_BREAK.join(texts))
        lines.extend(nested)
    return lines


def inlines(nodes: tuple[Inline, ...], one_line: bool = False, start: bool = True) -> str:
    out: list[str] = []
    state = {"start": start}

    def walk(nodes):
        for n in nodes:
            if isinstance(n, Text):
                out.append(escape(n.text, state["start"]))
                state["start"] = state["start"] and not n.text.strip()
                continue
            if isinstance(n, SoftBreak):
                out.append(" ")
                continue
            if isinstance(n, Break):
                out.append(" — " if one_line else LINE_BREAK)
                state["start"] = True
                continue
            state["start"] = False
            if isinstance(n, Code):
                out.append(f"<code>{n.text}</code>" if "</code>" not in n.text
                           else escape(n.text))
            elif isinstance(n, Note):
                out.append("[[" + inlines(n.children, one_line, start=False) + "]]")
            elif isinstance(n, (Emph, Strong, Link)):
                inner = inlines(n.children, one_line, start=False)
                if isinstance(n, Emph):
                    out.append(_wrap("{", inner, "}"))
                elif isinstance(n, Strong):
                    out.append(_wrap("{{", inner, "}}"))
                else:
                    url = "".join(_URL_UNSAFE.get(c, c) for c in n.url)
                    if m := _OBJECT.fullmatch(url):  # spip.php?article12 → art12
                        url = _OBJECTS[m[1]] + m[2]
                        inner = "" if plain_text(n.children) == f"{m[1]} {m[2]}" else inner
                    out.append(f"[{inner}->{url}]")

    walk(nodes)
    return "".join(out)


def _wrap(open_: str, inner: str, close: str) -> str:
    """`{inner}`; where braces would merge with the inner ones (`{{{x}}}` is an intertitle),
    the outer emphasis is written as HTML, which SPIP keeps: `<i>{{x}}</i>` (spaces,
    `{ {{x}} }`, would show before a following comma)."""
    if inner.startswith("{") or inner.endswith("}"):
        tag = {"{": "i", "{{": "strong"}.get(open_)
        if tag:
            return f"<{tag}>{inner}</{tag}>"
        left = " " if inner.startswith("{") else ""
        right = " " if inner.endswith("}") else ""
        return f"{open_}{left}{inner}{right}{close}"
    return f"{open_}{inner}{close}"
