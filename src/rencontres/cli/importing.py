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
        "--dry-run", help="Print what would be written; write nothing.")] = False,
) -> None:
    """Read published syntheses back into records: the meeting, and a stub for each article
    of the section's index the group does not have yet.

    Every judgement call (a corrected year, a guessed organisation…) is written as a comment
    beside the value and listed on stderr. Nothing is overwritten: an existing record with
    content is refused, a stub of the same date is completed; importing twice changes nothing.
    """
    from rencontres.importer.plan import Plan
    from rencontres.records.store import write_atomic

    store = open_store()
    if group is None:
        group = only_group(store.root, store.groups())
    plan = Plan(store, store.group_dir(group).name)
    for file in files:
        plan.add(file, fmt.value)
    from rencontres.core.text import CONTROL_ONE_LINE

    for source, quoted in plan.notes:  # quoted text from the article: no control shown raw
        note = CONTROL_ONE_LINE.sub("\ufffd", quoted)
        typer.echo(f"{source}: note: {note}", err=True)
    if not plan.writes:
        typer.echo("nothing to write: every article is already in the records", err=True)
        return
    from rencontres.cli.common import as_typed

    for w in plan.writes:
        if dry_run:
            typer.echo(f"--- {as_typed(str(w.path))} ({w.what})")
            typer.echo(w.text, nl=False)
        else:
            if w.what == "group":
                from rencontres.records.store import make_folder

                make_folder(w.path.parent)
            write_atomic(w.path, w.text, overwrite=w.overwrite)
            typer.echo(as_typed(str(w.path)))
    if dry_run:
        typer.echo(f"{len(plan.writes)} file(s) would be written (--dry-run: none was)",
                   err=True)
