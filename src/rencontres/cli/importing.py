"""import: published syntheses read back into records (see `importer.py`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rencontres.cli.common import commands, complete_groups, only_group, open_store


class ImportFormat(StrEnum):
    auto = "auto"
    page = "page"
    spip = "spip"


@commands.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE", help="Articles: the text of a published page (select all, copy, paste into a file) "
        "or the SPIP source of its Texte.", show_default=False)],
    group: Annotated[str | None, typer.Option(
        "--group", metavar="GROUP", autocompletion=complete_groups,
        help="The group to import into (default: the only one); a new group "
        "folder is made, with a group.toml from the article.", show_default=False)] = None,
    fmt: Annotated[ImportFormat, typer.Option(
        "--format", "-f", metavar="auto|page|spip",
        help="auto (default), page or spip.")] = ImportFormat.auto,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print the plan (each record: new, completes a stub, unchanged, "
        "differs…) and what would be written; write nothing.")] = False,
    update: Annotated[bool, typer.Option(
        "--update", help="Replace the records that only the import wrote (unchanged since) "
        "when the article's text changed on the site.")] = False,
) -> None:
    """Read published syntheses back into records: the meeting, and a stub for each article
    of the section's index the group does not have yet.

    The whole batch is read and placed first; then everything is written, or nothing (one
    line says why). Every judgement call (a corrected year, a guessed organisation…) is a
    comment beside the value and listed on stderr. A record a person edited is never
    touched (named on stderr); a stub is completed; importing twice changes nothing.
    """
    from rencontres.importer.plan import Plan

    store = open_store()
    if group is None:
        group = only_group(store.root, store.groups())
    plan = Plan(store, store.group_dir(group).name, update=update)
    for file in files:  # an unreadable file stops the batch here: nothing is written
        plan.add(file, fmt.value)
    plan.resolve()
    _report(plan)
    if dry_run:
        _print_plan(plan)
    elif plan.writes:
        _write(plan)
    else:
        typer.echo("nothing to write: every article is already in the records", err=True)


def _report(plan) -> None:
    from rencontres.cli.common import as_typed
    from rencontres.core.text import CONTROL_ONE_LINE
    from rencontres.importer.plan import EDITED, OUTDATED

    for source, quoted in plan.notes:  # quoted text from the article: no control shown raw
        note = CONTROL_ONE_LINE.sub("\ufffd", quoted)
        typer.echo(f"{source}: note: {note}", err=True)
    for file, first in plan.duplicates:
        typer.echo(f"{file}: the same text as {first}: read once", err=True)
    for path, status, file in plan.kept:
        if status == EDITED:
            typer.echo(f"{as_typed(str(path))}: edited since it was imported: kept as it is, "
                       f"{file} not imported into it", err=True)
        elif status == OUTDATED:
            typer.echo(f"{as_typed(str(path))}: the import's own record, and {file} now "
                       "says otherwise: kept (--update replaces it)", err=True)


def _print_plan(plan) -> None:
    from rencontres.cli.common import as_typed

    for w in plan.writes:
        typer.echo(f"--- {as_typed(str(w.path))} ({w.what})")
        typer.echo(w.text, nl=False)
    for path, status, _ in plan.kept:
        typer.echo(f"--- {as_typed(str(path))} ({status})")
    typer.echo(f"{len(plan.writes)} file(s) would be written, {len(plan.kept)} kept as they "
               "are (--dry-run: none was written)", err=True)


def _write(plan) -> None:
    """Every file of the plan; a failure midway says exactly what was written."""
    from rencontres.cli.common import as_typed
    from rencontres.core.errors import RencontresError
    from rencontres.records.store import make_folder, write_atomic

    done: list[str] = []
    for w in plan.writes:
        try:
            if w.what == "group":
                make_folder(w.path.parent)
            write_atomic(w.path, w.text, overwrite=w.overwrite)
        except RencontresError as exc:
            left = [as_typed(str(x.path)) for x in plan.writes[len(done) + 1:]]
            raise RencontresError(
                f"{exc.message}; the batch stopped after writing {len(done)} of "
                f"{len(plan.writes)} file(s): " + (", ".join(done) or "none") +
                "; not written: " + ", ".join([as_typed(str(w.path)), *left]),
                exit_code=exc.exit_code) from None
        done.append(as_typed(str(w.path)))
        typer.echo(done[-1])
