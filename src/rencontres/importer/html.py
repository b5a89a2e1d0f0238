"""An article's file as text: a page saved from the browser (`.html`) read like the text
copied from it — tags stripped with the standard library's parser, a line break at each
block element — and a file that is no text (a NUL byte, not UTF-8) refused."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from rencontres.core.errors import Unreadable
from rencontres.core.i18n import _

BLOCKS = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
          "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
          "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
          "td", "th", "tr", "ul", "title"}
HIDDEN = {"script", "style", "noscript", "template", "head"}
_HTML = re.compile(r"\A\s*(?:<!doctype html|<html\b)", re.IGNORECASE)


def article_text(file: Path) -> str:
    """The file's text, as the reader takes it."""
    from rencontres.records.store import read_text

    text = read_text(file)
    if "\x00" in text:
        raise Unreadable(file, _("a binary file, not text"))
    if file.suffix.lower() in (".html", ".htm") or _HTML.match(text):
        return page_text(text)
    return text


def page_text(html: str) -> str:
    """The text a browser shows of a page, one line per block."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = ("".join(parser.out)).split("\n")
    lines = [" ".join(line.replace("\u00a0", "\0").split()).replace("\0", "\u00a0")
             for line in lines]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in HIDDEN and tag != "head":
            self.hidden += 1
        elif tag in BLOCKS:
            self.out.append("\n\n" if tag not in ("br", "li", "td", "th", "tr") else "\n")
        if tag == "li" and not self.hidden:
            self.out.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and tag != "head":
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.out.append(data.replace("\n", " "))
