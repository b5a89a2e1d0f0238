"""Every file of the site, each keyed by what it is made from (see `build.Outputs`).

Layout, below the output folder:
  index.html                          the plan of the site, linking every page
  search.html                         the search page (when a search index is made)
  <group>/index.html .md .spip        the group's page; in Markdown and SPIP, its
                                      "Articles dans la même rubrique"
  <group>/<record>.html .md .spip     each record's synthesis (as a page of the site in
                                      HTML, as `render` prints it in Markdown and SPIP)
  <group>/keywords.html .md .spip     the keywords (HTML: each linked to its page)
  <group>/mot/<keyword>.html          each keyword's articles
  <group>/actions.html decisions.html attendance.html      the registers
  <group>/calendar.ics                the group's feed (`rencontres calendar`)
  <group>/meetings.json               what the plan shows of the group

Keys: a synthesis in Markdown and SPIP depends on its record, its group and its number; as
a page of the site, also on the group's list of meetings (titles, dates, stubs) and
keywords, which it shows. The group's other pages depend on all its records. So a record
whose text changed rewrites its own synthesis and, where their bytes changed, the
registers and the group's page; a changed title rewrites every page that lists it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rencontres.records.store import read_bytes
from rencontres.site.build import PARALLEL_MIN, Content, Outputs, _code_digest
from rencontres.site.layout import DEFAULT, Options

if TYPE_CHECKING:
    from rencontres.render import Document

FORMATS = (("markdown", "md"), ("spip", "spip"))
LISTING = "meetings.json"


def site_outputs(archive, options: Options = DEFAULT, out: Path | None = None,
                 groups: Iterable[str] = ()) -> Outputs:
    """Every file of the site, from a checked archive. `groups`: every group of the records
    folder, those the archive did not read (unchanged since the last build, see
    `build.plan`) shown in the plan from their `meetings.json` in `out`."""
    made = Outputs()
    code = _code_digest()
    listings: dict[str, dict | None] = {}
    for slug in sorted(archive.groups):
        listings[slug] = group_outputs(archive, slug, made, code, options)
    for slug in groups:
        if slug not in listings and out is not None:
            listings[slug] = _read_listing(out / slug / LISTING)
    shown = {k: v for k, v in sorted(listings.items()) if v is not None}
    addresses = {v.get("site_url", "") for v in shown.values()}
    if not options.base_url and len(addresses) == 1:  # every group.toml gives the same
        options = Options(addresses.pop(), options.search)
    key = _key(code, options.key(), *(hashlib.sha256(_listing_bytes(v)).hexdigest()
                                      for v in shown.values()))
    from rencontres.site import plan

    made.lazy("index.html", key, functools.partial(plan.plan_page, shown, options))
    if options.search:
        made.lazy("search.html", key, functools.partial(plan.search_page, shown, options))
    return made


def _read_listing(path: Path) -> dict | None:
    import json

    from rencontres.core.errors import RencontresError

    try:
        data = json.loads(read_bytes(path))
    except (RencontresError, ValueError):
        return None
    return data if isinstance(data, dict) and {"name", "meetings"} <= set(data) else None


def _listing_bytes(data: dict) -> bytes:
    from rencontres.site.pages import listing_bytes

    return listing_bytes(data)


def group_outputs(archive, slug: str, out: Outputs, code: str,
                  options: Options = DEFAULT) -> dict:
    """The files of one group's folder of the site (see the module's docstring); returns
    what the plan shows of the group. Nothing of the renderers is imported until a file
    must be made."""
    from rencontres.site.pages import keyword_slugs, listing

    group = archive.groups[slug]
    if not options.base_url and group.site_url:  # the site's address, from group.toml
        options = Options(group.site_url, options.search)
    group_digest = _digest(archive.store.group_file(slug))
    data = listing(archive, slug)
    listed = _listing_bytes(data)
    listing_key = _key(code, options.key(), hashlib.sha256(listed).hexdigest())
    record_keys: list[str] = []
    for m in archive.meetings[slug]:
        number = archive.number(m)
        key = _key(code, group_digest, _digest(archive.path(m)), str(number))
        synthesis = _Synthesis(m, group, number)
        for fmt, ext in FORMATS:
            out.lazy(f"{slug}/{m.stem}.{ext}", key, functools.partial(synthesis.write, fmt))
        # the page also shows the time the previous record's [next] planned
        previous = record_keys[-1] if record_keys else ""
        out.lazy(f"{slug}/{m.stem}.html", _key(key, listing_key, previous), functools.partial(
            synthesis.page, archive, data, options))
        record_keys.append(key)
    out.lazy(f"{slug}/{LISTING}", listing_key, lambda: listed)
    # The group's pages read every record (and the feed the invitations' state too).
    pages_key = _key(code, group_digest, *record_keys)
    for fmt, ext in FORMATS:
        for name in ("index", "keywords"):
            out.lazy(f"{slug}/{name}.{ext}", pages_key, functools.partial(
                _page, name, archive, slug, group.language, fmt))
    html_key = _key(pages_key, listing_key)
    out.lazy(f"{slug}/index.html", html_key, functools.partial(
        _html, "group", archive, slug, data, options))
    by_keyword = archive.keywords(slug)
    slugs = keyword_slugs(list(by_keyword))
    out.lazy(f"{slug}/keywords.html", html_key, functools.partial(
        _html, "keywords", archive, slug, data, options,
        {k: len(v) for k, v in by_keyword.items()}))
    for k, meetings in by_keyword.items():
        out.lazy(f"{slug}/mot/{slugs[k]}.html", html_key, functools.partial(
            _html, "keyword", archive, slug, data, options, (k, slugs[k], meetings)))
    for name in ("actions", "decisions", "attendance"):
        out.lazy(f"{slug}/{name}.html", html_key, functools.partial(
            _html, name, archive, slug, data, options))
    feed_key = _key(pages_key, options.key(), _digest(archive.store.state_path(slug)))
    out.lazy(f"{slug}/calendar.ics", feed_key, functools.partial(_feed, archive, slug, options))
    return data


def _html(name: str, archive, slug: str, data: dict, options: Options, extra=None) -> str:
    from rencontres.site import pages, registers

    if name == "group":
        return pages.group_page(archive, slug, options)
    if name == "keywords":
        return pages.keywords_page(slug, data, extra, options)
    if name == "keyword":
        keyword, kslug, meetings = extra
        return pages.keyword_page(slug, keyword, kslug, meetings, data, options)
    return getattr(registers, f"{name}_page")(archive, slug, data, options)


def contents(outputs: Outputs, rels: list[str], archive=None,
             jobs: int = 1, options: Options = DEFAULT) -> Iterator[tuple[str, bytes]]:
    """The content of each of `rels`. With `jobs` > 1 and enough to make, groups are made
    by that many worker processes, while this one writes (the files at the top of the
    site, which read every group, are made here); the bytes are the same either way."""
    if jobs <= 1 or archive is None or len(rels) < PARALLEL_MIN:
        for rel in rels:
            yield rel, _encoded(outputs.files[rel][1]())
        return
    from rencontres.records.archive import process_pool

    wanted: dict[str, list[str]] = {}
    for rel in rels:
        if "/" not in rel:
            yield rel, _encoded(outputs.files[rel][1]())
        else:
            wanted.setdefault(rel.partition("/")[0], []).append(rel)
    code = _code_digest()
    jobs_of = [(slug, archive.store.root, archive.groups[slug], archive.meetings[slug],
                archive.ranks[slug], code, names, options) for slug, names in wanted.items()]
    with process_pool(min(jobs, len(jobs_of))) as pool:
        for made in pool.map(_make_group, jobs_of):
            yield from made


def _make_group(job) -> list[tuple[str, bytes]]:
    """In a worker: one group's wanted files, from its records as the parent read them."""
    from rencontres.records.archive import Archive
    from rencontres.records.store import Store

    slug, root, group, meetings, ranks, code, names, options = job
    archive = Archive(Store(root), {slug: group}, {slug: meetings}, [], {slug: ranks})
    out = Outputs()
    group_outputs(archive, slug, out, code, options)
    return [(rel, _encoded(out.files[rel][1]())) for rel in names]


def _encoded(content: Content) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _page(name: str, archive, slug: str, lang: str, fmt: str) -> str:
    from rencontres.render import pages

    document = pages.index_document if name == "index" else pages.keywords_document
    return pages.page_text(document(archive, slug, lang, fmt), fmt)


class _Synthesis:
    """One record's synthesis: its document built on first use, then written in each format
    and as a page of the site."""

    def __init__(self, meeting, group, number: int | None) -> None:
        self.made = (meeting, group, number)
        self.doc: Document | None = None
        self.left = len(FORMATS) + 1

    def _document(self) -> Document:
        from rencontres.render import Context, build

        if self.doc is None:
            self.doc = build(Context(*self.made))
        return self.doc

    def _done(self) -> None:
        self.left -= 1
        if not self.left:
            self.doc = None  # written in every format: let it go

    def write(self, fmt: str) -> str:
        from rencontres.render import write

        text = write(self._document(), fmt)
        self._done()
        return text

    def page(self, archive, data: dict, options: Options) -> str:
        from rencontres.site.pages import synthesis_page

        text = synthesis_page(archive, self.made[0], self._document(), data, options)
        self._done()
        return text


def _key(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _digest(path: Path) -> str:
    """The digest of an input file ("" when there is none); a special file is refused."""
    from rencontres.core.errors import NotFound

    try:
        return hashlib.sha256(read_bytes(path)).hexdigest()
    except NotFound:
        return ""


def _feed(archive, slug: str, options: Options) -> bytes:
    """The group's calendar feed, as `rencontres calendar` writes it; with the site's
    address, each meeting without a published address links to its synthesis there."""
    from rencontres.core.values import replace
    from rencontres.invite import ics
    from rencontres.invite.state import read_state

    group = archive.groups[slug]
    meetings = archive.meetings[slug]
    if options.base_url:
        meetings = [m if m.url else replace(m, url=options.absolute(f"{slug}/{m.stem}.html"))
                    for m in meetings]
    entries = ics.feed_entries(group, meetings, archive.number,
                               read_state(archive.store, slug))
    return ics.feed(group, entries)
