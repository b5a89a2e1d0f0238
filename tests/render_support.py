"""Helpers for the render tests: load a record as a render Context, read Markdown back."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from rencontres.records.archive import Archive
from rencontres.records.store import Store
from rencontres.render import Context

TESTS = Path(__file__).resolve().parent
SHIPPED = TESTS.parent / "records"
DATA = TESTS / "data"
HOSTILE = DATA / "hostile" / "records"
MINIMAL = DATA / "minimal" / "records"


def context(root: Path, spec: str, lang: str = "") -> Context:
    group, stem = spec.split("/")
    archive = Archive.load(Store(root), group=group)
    meeting = archive.meeting_at(archive.store.meeting_path(group, stem))
    return Context(meeting, archive.group_of(meeting), archive.number(meeting), lang)


# A reader that did not write it: CommonMark with raw HTML *enabled*, as the
# most permissive Markdown tool would read our output.
READER = MarkdownIt("commonmark")


def inline_text(tok, soft: str = " ") -> str:
    """The text a reader sees in an inline token: markup gone, breaks as space / newline
    (`soft`: what a single newline of the source is, "\n" for our free text)."""
    parts = []
    for child in tok.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(soft)
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)


def md_outline(text: str) -> list[tuple[str, str]]:
    """Markdown as ("h1".."h6" | "p" | "li-p" | "html", text) in document order."""
    tokens = READER.parse(text)
    out = []
    in_item = 0
    for i, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            in_item += 1
        elif tok.type == "list_item_close":
            in_item -= 1
        elif tok.type == "heading_open":
            out.append((tok.tag, inline_text(tokens[i + 1])))
        elif tok.type == "paragraph_open":
            out.append(("li-p" if in_item else "p", inline_text(tokens[i + 1])))
        elif tok.type == "html_block":
            out.append(("html", tok.content))
    return out


def md_inline_types(text: str) -> list[str]:
    """Every inline token type of a Markdown text (strong_open, em_open, link_open, …)."""
    return [c.type for t in READER.parse(text) if t.type == "inline" for c in t.children or []]


class Tags(HTMLParser):
    """Start tags and text of an HTML page, as the standard library's parser reads them."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)

    @property
    def data(self) -> str:
        return "".join(self.text)


GOLDEN = TESTS / "golden"


def check_golden(name: str, produced: bytes) -> None:
    """Compare with tests/golden/NAME byte for byte; UPDATE_GOLDEN=1 rewrites it instead."""
    import os

    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(produced)
    assert produced == golden.read_bytes(), f"rerun with UPDATE_GOLDEN=1 and review {golden}"
