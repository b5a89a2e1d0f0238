"""render, index, keywords, build: text made from the records."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rencontres.core.i18n import _, ngettext

if TYPE_CHECKING:
    from rencontres.render.text import Block

from rencontres.cli.common import (
    GroupArgument,
    LangOption,
    OutputOption,
    as_typed,
    commands,
    complete_records,
    console,
    group_language,
    load_group_archive,
    load_record,
    open_store,
    say_warnings,
    write_output,
)


class Format(StrEnum):
    markdown = "markdown"
    spip = "spip"
    html = "html"


FormatOption = Annotated[Format, typer.Option(
    "--format", "-f", metavar="markdown|spip|html",
    help=_("markdown (CommonMark), spip (SPIP markup) or html (a page)."))]


@commands.command()
def render(
    record: Annotated[str, typer.Argument(
        metavar=_("RECORD"), autocompletion=complete_records,
        help=_("The meeting: a path, GROUP/YYYY-MM-DD, or a date."), show_default=False)],
    fmt: FormatOption = Format.markdown,
    lang: LangOption = None,
    output: OutputOption = None,
    text_only: Annotated[bool, typer.Option(
        "--text-only", help=_("spip: only the Texte field, ready to paste."))] = False,
    with_index: Annotated[bool, typer.Option(
        "--with-index", help=_("Append the section's list of articles (this one left out)."))] = False,
) -> None:
    """The synthesis of a meeting, as Markdown, SPIP markup or an HTML page."""
    from rencontres.core.errors import UsageError
    from rencontres.render import Context
    from rencontres.render import render as render_text

    if text_only and fmt is not Format.spip:
        raise UsageError(_("--text-only goes with --format spip"),
                         _("the Texte field is SPIP's; Markdown and HTML are one page"))
    archive, meeting = load_record(record)
    say_warnings(archive, meeting)
    ctx = Context(meeting, archive.group_of(meeting), archive.number(meeting),
                  lang.value if lang else "")
    appendix: tuple[Block, ...] = ()
    if with_index:
        from rencontres.render.pages import index_blocks

        appendix = index_blocks(archive, meeting.group, ctx.language, fmt.value, exclude=meeting)
    write_output(render_text(ctx, fmt.value, text_only=text_only, appendix=appendix), output,
                 archive.store)


@commands.command()
def index(
    group: GroupArgument = None,
    fmt: FormatOption = Format.markdown,
    lang: LangOption = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, metavar="N", help=_("At most N articles."), show_default=False)] = None,
    exclude: Annotated[str | None, typer.Option(
        "--exclude", metavar=_("RECORD"), autocompletion=complete_records,
        help=_("Leave out this RECORD (the article the list is shown on)."),
        show_default=False)] = None,
    output: OutputOption = None,
) -> None:
    """The section's list of articles ("Articles dans la même rubrique"), newest first.

    Without GROUP in a folder of several groups: the site map, every group under its name
    with its articles (--limit: per group).
    """
    from rencontres.render.pages import index_document, page_text, site_map_document

    archive, group = load_group_archive(group, several=exclude is None)
    if group is None:
        doc = site_map_document(archive, lang.value if lang else group_language(archive, None),
                                fmt.value, limit=limit)
        write_output(page_text(doc, fmt.value), output, archive.store)
        return
    language = lang.value if lang else archive.groups[group].language
    left_out = None
    if exclude:
        _archive, left_out = load_record(exclude)
    doc = index_document(archive, group, language, fmt.value, exclude=left_out, limit=limit)
    write_output(page_text(doc, fmt.value), output, archive.store)


@commands.command()
def keywords(
    group: GroupArgument = None,
    fmt: FormatOption = Format.markdown,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """Each keyword with the articles that carry it, newest first."""
    from rencontres.render.pages import keywords_document, page_text

    archive, group = load_group_archive(group)
    language = lang.value if lang else archive.groups[group].language
    write_output(page_text(keywords_document(archive, group, language, fmt.value), fmt.value),
                 output, archive.store)


SearchOption = Annotated[bool | None, typer.Option(
    "--search/--no-search",
    help=_("Make the search index (default: when Pagefind, the 'search' extra, is installed)."),
    show_default=False)]
BaseUrlOption = Annotated[str | None, typer.Option(
    "--base-url", metavar="URL",
    help=_("The site's address, for rel=canonical and the feeds (default: site_url in "
    "group.toml; without it, every link is relative)."), show_default=False)]


@commands.command()
def build(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar=_("DIR"),
        help=_("The site folder (default: site/ beside the records folder)."),
        show_default=False)] = None,
    prune: Annotated[bool, typer.Option(
        "--prune", help=_("Remove files an earlier build wrote that no record makes any more."))
    ] = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help=_("List each file written or removed."))] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help=_("Print nothing but errors."))] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, metavar="N",
        help=_("Make pages in N processes (default: one per core)."), show_default=False)] = None,
    search: SearchOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Write the whole site: the plan, each group's page, every synthesis, keyword page,
    register and feed, where changed; then the search index, when a page changed.

    Reads and checks every record first; with any error, writes nothing. Prints one line
    (what was written); -v lists the files, -q prints nothing.
    """
    from rencontres.core.errors import UsageError

    if verbose and quiet:
        raise UsageError(_("--verbose and --quiet contradict each other"), _("choose one"))
    store = open_store()
    built = make_site(store, output or store.root.parent / "site", search, base_url, jobs,
                      prune=prune, progress=not quiet)
    say_built(built, verbose=verbose, quiet=quiet)


def site_options(search: bool | None, base_url: str | None):
    """The site's options from the flags: search when asked (refused when Pagefind is
    missing) or when installed; the address checked."""
    from rencontres.core.errors import UsageError
    from rencontres.site import search as site_search
    from rencontres.site.layout import Options

    url = (base_url or "").strip()
    if url and (not url.startswith(("https://", "http://")) or any(c.isspace() for c in url)):
        raise UsageError(_("--base-url {value}: not a web address").format(value=repr(url)),
                         _("give it as https://example.org/archive/"))
    if search and not site_search.available():
        raise UsageError(_("--search: Pagefind is not installed"),
                         _("pip install 'rencontres[search]' (or build with --no-search)"))
    return Options(url if not url or url.endswith("/") else url + "/",
                   site_search.available() if search is None else search)


def make_site(store, out: Path, search: bool | None, base_url: str | None,
              jobs: int | None, *, prune: bool = False, progress: bool = True):
    """One build, its errors printed and refused; with a progress bar on a terminal."""
    import sys

    from rencontres.core.errors import InvalidRecord
    from rencontres.site.make import make

    options = site_options(search, base_url)
    if jobs is None:
        from rencontres.records.archive import cores

        jobs = cores()
    if progress and sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(console=console(stderr=True), transient=True) as bar:
            def start(total: int):
                task = bar.add_task(_("building"), total=total)
                return lambda _done: bar.advance(task)

            built = make(store, out, options=options, prune=prune, jobs=jobs, progress=start)
    else:
        built = make(store, out, options=options, prune=prune, jobs=jobs)
    if built.errors:
        for p in built.errors:
            typer.echo(as_typed(str(p)), err=True)
        n = len(built.errors)
        raise InvalidRecord(ngettext("{n} error in the records: nothing written",
                                     "{n} errors in the records: nothing written", n).format(n=n),
                            _("fix them (see `rencontres check`)"))
    return built


def say_built(built, *, verbose: bool = False, quiet: bool = False) -> None:
    from rencontres.site.build import MANIFEST

    out, report = built.out, built.report
    for rel in report.ignored:
        typer.echo(_("ignored {manifest}: {entry} is no file of the site").format(
            manifest=out / MANIFEST, entry=repr(rel[:200])), err=True)
    if quiet:
        return
    if verbose:
        for rel in report.written:
            typer.echo(_("wrote {path}").format(path=out / rel))
        for rel in report.removed:
            typer.echo(_("removed {path}").format(path=out / rel))
    left = sorted(set(report.leftovers) - set(report.removed))
    for rel in left if verbose else left[:3]:
        typer.echo(_("leftover {path} (no record makes it any more; --prune removes it)").format(
            path=out / rel), err=True)
    if len(left) > 3 and not verbose:
        more = len(left) - 3
        typer.echo(ngettext("… and {n} more leftovers (-v lists them)",
                            "… and {n} more leftovers (-v lists them)", more).format(n=more),
                   err=True)
    searched = _("; search index made again") if built.searched else ""
    if report.written or report.removed:
        counts = [ngettext("{n} written", "{n} written", len(report.written)),
                  ngettext("{n} unchanged", "{n} unchanged", len(report.unchanged))]
        sizes = [len(report.written), len(report.unchanged)]
        if report.removed:
            counts.append(ngettext("{n} removed", "{n} removed", len(report.removed)))
            sizes.append(len(report.removed))
        typer.echo(_("{folder}: {counts}{search}").format(
            folder=out, counts=", ".join(c.format(n=n) for c, n in zip(counts, sizes, strict=True)),
            search=searched), err=True)
    else:
        n = len(report.unchanged)
        typer.echo(ngettext("nothing to write: {folder} is up to date ({n} files){search}",
                            "nothing to write: {folder} is up to date ({n} files){search}",
                            n).format(folder=out, n=n, search=searched), err=True)
