"""A crawler of a built site, as a visitor's browser follows it: from `index.html`, every
`href` of every page (Python's own html.parser), relative links resolved as a browser
does, fragments checked against the target page's ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit


@dataclass
class Page:
    lang: str = ""
    title: str = ""
    hrefs: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    headings: list[int] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    viewport: bool = False
    print_style: bool = False
    canonical: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_title = self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        p = self.page
        p.tags.add(tag)
        if tag == "html":
            p.lang = a.get("lang") or ""
        if tag == "title":
            self._in_title = True
        if tag == "style":
            self._in_style = True
        if tag == "meta" and a.get("name") == "viewport":
            p.viewport = "width=device-width" in (a.get("content") or "")
        if tag == "link" and a.get("rel") == "canonical":
            p.canonical = a.get("href") or ""
        elif "href" in a and tag in ("a", "link"):
            p.hrefs.append(a["href"] or "")
        if "id" in a:
            p.ids.add(a["id"] or "")
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            p.headings.append(int(tag[1]))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_title:
            self.page.title += data
        if self._in_style and "@media print" in data:
            self.page.print_style = True


def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.page


@dataclass
class Crawl:
    pages: dict[str, Page]  # every HTML page reached, by its path in the site
    reached: set[str]  # every file reached (pages, feeds)
    broken: list[str]  # "page: href" of internal links to nothing (or to no such id)
    absolute: list[str]  # "page: href" of links to this site written absolutely


def crawl(site: Path, start: str = "index.html", base_url: str = "") -> Crawl:
    pages: dict[str, Page] = {}
    reached = {start}
    broken: list[str] = []
    absolute: list[str] = []
    todo = [start]
    wanted_ids: list[tuple[str, str, str]] = []
    while todo:
        rel = todo.pop()
        page = pages[rel] = read_page(site / rel)
        for href in page.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                if base_url and href.startswith(base_url) or href.startswith("webcal:"):
                    absolute.append(f"{rel}: {href}")
                continue  # a link out of the site (a record's own link)
            if href.startswith("/"):
                absolute.append(f"{rel}: {href}")
                continue
            target = (PurePosixPath(rel).parent / unquote(parts.path)) if parts.path \
                else PurePosixPath(rel)
            normal = _normalise(target)
            if normal is None or not (site / normal).is_file():
                broken.append(f"{rel}: {href}")
                continue
            if parts.fragment:
                wanted_ids.append((rel, href, normal))
            if normal not in reached:
                reached.add(normal)
                if normal.endswith(".html"):
                    todo.append(normal)
    for rel, href, target in wanted_ids:
        if urlsplit(href).fragment not in pages[target].ids:
            broken.append(f"{rel}: {href} (no such id)")
    return Crawl(pages, reached, broken, absolute)


def _normalise(path: PurePosixPath) -> str | None:
    out: list[str] = []
    for part in path.parts:
        if part == "..":
            if not out:
                return None  # above the site
            out.pop()
        elif part not in (".", ""):
            out.append(part)
    return "/".join(out)


def site_pages(site: Path) -> set[str]:
    """Every HTML page the build wrote (the search index's own files aside)."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")
            if p.relative_to(site).parts[0] != "pagefind"}
