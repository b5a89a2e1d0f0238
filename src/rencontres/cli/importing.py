"""import: published syntheses read back into records (see `importer.py`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rencontres.cli.common import commands, complete_groups, only_group, open_store
from rencontres.core.i18n import _, ngettext


class ImportFormat(StrEnum):
    auto = "auto"
    page = "page"
    spip = "spip"


@commands.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(
        metavar=_("FILE"),
        help=_("Articles: the text of a published page (select all, copy, paste into a file) "
        "or the SPIP source of its Texte; or a SPIP site's backup (.sqlite, see --section)."),
        show_default=False)],
    group: Annotated[str | None, typer.Option(
        "--group", metavar=_("GROUP"), autocompletion=complete_groups,
        help=_("The group to import into (default: the only one); a new group "
        "folder is made, with a group.toml from the article."), show_default=False)] = None,
    fmt: Annotated[ImportFormat, typer.Option(
        "--format", "-f", metavar="auto|page|spip",
        help=_("auto (default), page or spip."))] = ImportFormat.auto,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help=_("Print the plan (each record: new, completes a stub, unchanged, "
        "differs…) and what would be written; write nothing."))] = False,
    update: Annotated[bool, typer.Option(
        "--update", help=_("Replace the records that only the import wrote (unchanged since) "
        "when the article's text changed on the site."))] = False,
    section: Annotated[str | None, typer.Option(
        "--section", metavar=_("PATH|ID"), help=_("With a SPIP backup: the rubrique to import, by "
        "its path as the site shows it (\"Groupes de travail/Ramsess/…\") or its number; "
        "without it, the rubriques are listed."), show_default=False)] = None,
    recursive: Annotated[bool, typer.Option(
        "--recursive", help=_("With a SPIP backup: the rubriques below the section too."))] = False,
    status: Annotated[str, typer.Option(
        "--status", metavar="prop,prepa,…", help=_("With a SPIP backup: also the articles of "
        "these statuses (published ones are always taken)."), show_default=False)] = "",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_("No progress bar, no list of "
                                        "what was written."))] = False,
) -> None:
    """Read published syntheses back into records: the meeting, and a stub for each article
    of the section's index the group does not have yet.

    The whole batch is read and placed first; then everything is written, or nothing (one
    line says why). Every judgement call (a corrected year, a guessed organisation…) is a
    comment beside the value and listed on stderr. A record a person edited is never
    touched (named on stderr); a stub is completed; importing twice changes nothing.
    """
    from rencontres.importer.backup import is_backup
    from rencontres.importer.plan import Plan

    if len(files) == 1 and is_backup(files[0]) or files and files[0].suffix.lower() in (
            ".sqlite", ".sqlite3", ".db"):
        from rencontres.cli.importsite import import_backup

        import_backup(files, group, section, recursive, status, dry_run, update, quiet)
        return
    store = open_store()
    if group is None:
        group = only_group(store.root, store.groups())
    plan = Plan(store, store.group_dir(group).name, update=update)
    for file in files:  # an unreadable file stops the batch here: nothing is written
        plan.add(file, fmt.value)
    plan.resolve()
    report(plan)
    if dry_run:
        _print_plan(plan)
    elif plan.writes:
        write(plan)
    else:
        typer.echo(_("nothing to write: every article is already in the records"), err=True)


def report(plan, quiet: bool = False) -> None:
    from rencontres.cli.common import as_typed
    from rencontres.core.text import CONTROL_ONE_LINE
    from rencontres.importer.plan import EDITED, OUTDATED

    for source, quoted in () if quiet else plan.notes:  # quoted: no control shown raw
        note = CONTROL_ONE_LINE.sub("\ufffd", quoted)
        typer.echo(_("{source}: note: {note}").format(source=source, note=note), err=True)
    for file, first in plan.duplicates:
        typer.echo(_("{file}: the same text as {first}: read once").format(file=file, first=first),
                   err=True)
    for path, status, file in plan.kept:
        if status == EDITED:
            typer.echo(_("{path}: edited since it was imported: kept as it is, {file} not "
                         "imported into it").format(path=as_typed(str(path)), file=file),
                       err=True)
        elif status == OUTDATED:
            typer.echo(_("{path}: the import's own record, and {file} now says otherwise: kept "
                         "(--update replaces it)").format(path=as_typed(str(path)), file=file),
                       err=True)


def _print_plan(plan) -> None:
    from rencontres.cli.common import as_typed
    from rencontres.importer.said import shown  # what becomes of each, in the user's language

    for w in plan.writes:
        typer.echo(f"--- {as_typed(str(w.path))} ({shown(w.what)})")
        typer.echo(w.text, nl=False)
    for path, status, _file in plan.kept:
        typer.echo(f"--- {as_typed(str(path))} ({shown(status)})")
    written, kept = len(plan.writes), len(plan.kept)
    typer.echo(_("{written}, {kept} (--dry-run: none was written)").format(
        written=ngettext("{n} file(s) would be written", "{n} file(s) would be written",
                         written).format(n=written),
        kept=ngettext("{n} kept as they are", "{n} kept as they are", kept).format(n=kept)),
        err=True)


def write(plan, quiet: bool = False) -> None:
    """Every file of the plan (a large batch by four threads: each file's fsync waits on the
    disk, not on Python); a failure midway says exactly what was written and what not."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from rencontres.cli.common import as_typed
    from rencontres.core.errors import RencontresError
    from rencontres.records.store import make_folder, write_atomic

    stop = threading.Event()  # the first failure stops the batch: no file is begun after it

    def one(w) -> bool:
        if stop.is_set():
            return False
        try:
            if w.what == "group":
                make_folder(w.path.parent)
            write_atomic(w.path, w.text, overwrite=w.overwrite)
        except RencontresError:
            stop.set()
            raise
        return True

    first = [w for w in plan.writes if w.what == "group"]  # its folder before its records
    rest = [w for w in plan.writes if w.what != "group"]
    failures: list[tuple[object, RencontresError]] = []
    written = []
    with ThreadPoolExecutor(4 if len(rest) >= 64 else 1) as pool:
        for batch in (first, rest):
            futures = [(w, pool.submit(one, w)) for w in batch]
            for w, future in futures:
                error = future.exception()
                if isinstance(error, RencontresError):
                    failures.append((w, error))
                elif error is not None:
                    raise error
                elif future.result():
                    written.append(w)
    done = [as_typed(str(w.path)) for w in written]
    if failures:
        left = [as_typed(str(w.path)) for w in plan.writes if w not in written]
        total = len(plan.writes)
        said = ngettext("{problem}; the batch stopped after writing {done} of {total} file(s): "
                        "{written}; not written: {left}",
                        "{problem}; the batch stopped after writing {done} of {total} file(s): "
                        "{written}; not written: {left}", total) if done else \
            ngettext("{problem}; the batch stopped after writing {done} of {total} file(s): "
                     "none; not written: {left}",
                     "{problem}; the batch stopped after writing {done} of {total} file(s): "
                     "none; not written: {left}", total)
        raise RencontresError(said.format(problem=failures[0][1].message, done=len(done),
                                          total=total, written=", ".join(done),
                                          left=", ".join(left)),
                              exit_code=failures[0][1].exit_code)
    if not quiet:
        for path in done:
            typer.echo(path)
