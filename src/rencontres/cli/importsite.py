"""import BACKUP.sqlite: a rubrique of a SPIP site's backup into one group (see
`importer/sitebatch.py`); without --section, the site's rubriques as a tree."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from rencontres.cli.common import only_group, open_store
from rencontres.core.i18n import _, ngettext


def import_backup(files: list[Path], group: str | None, section: str | None, recursive: bool,
                  status: str, dry_run: bool, update: bool, quiet: bool) -> None:
    from rencontres.cli.importing import report, write
    from rencontres.core.errors import UsageError
    from rencontres.importer import backup as spip
    from rencontres.importer.sitebatch import remember

    if len(files) != 1:
        raise UsageError(_("a SPIP backup is imported alone"),
                         _("give the backup file, without other files"))
    statuses = tuple(s.strip() for s in status.split(",") if s.strip())
    unknown = [s for s in statuses if s not in spip.STATUSES]
    if unknown:
        raise UsageError(_("--status {value}: not a status of SPIP's articles").format(
            value=unknown[0]), _("use some of: {statuses}").format(
                statuses=",".join(spip.STATUSES[1:])))
    store = open_store() if section is not None else None
    site = spip.open_backup(files[0])
    try:
        if section is None:
            _tree(site)
            return
        assert store is not None
        rid = site.find(section)
        if group is None:
            group = only_group(store.root, store.groups())
        slug = store.group_dir(group).name
        batch = _plan(store, slug, site, rid, recursive, statuses, update, quiet)
    finally:
        site.close()
    if batch.plan is not None:
        report(batch.plan, quiet)
    for path, _status in batch.kept:
        from rencontres.cli.common import as_typed

        typer.echo(_("{path}: edited since it was imported: kept as it is").format(
            path=as_typed(str(path))), err=True)
    if dry_run:
        _table(batch.rows)
        # an article left out for its status: "left out: proposed (prop)" (importer/sitebatch)
        unpublished = tuple(f" ({s})" for s in spip.STATUSES if s != spip.PUBLISHED)
        if any(r.what.endswith(unpublished) for r in batch.rows):
            typer.echo(_("articles not published are left out: --status prop,prepa… adds those "
                         "of a status"), err=True)
        n = len(batch.plan.writes) if batch.plan else 0
        typer.echo(ngettext("{n} file(s) would be written (--dry-run: none was written)",
                            "{n} file(s) would be written (--dry-run: none was written)",
                            n).format(n=n), err=True)
        return
    if batch.plan is not None and batch.plan.writes:
        write(batch.plan, quiet)
    else:
        typer.echo(_("nothing to write: every article is already in the records"), err=True)
    if batch.plan is not None:  # what this import wrote, for the next one (never a record's
        with store.state_lock(slug, "import"):  # text), beside what invite and send log there
            state = remember(store, slug, batch)
            if state is not None:
                store.write_state(slug, state)


def _plan(store, slug, site, rid, recursive, statuses, update, quiet):
    from rencontres.importer.sitebatch import plan_backup

    if quiet or not sys.stderr.isatty():
        return plan_backup(store, slug, site, rid, recursive, statuses, update)
    from rich.progress import Progress

    from rencontres.cli.common import console

    with Progress(console=console(stderr=True), transient=True) as progress:
        task = progress.add_task(_("reading the articles"), total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return plan_backup(store, slug, site, rid, recursive, statuses, update, step)


def _tree(site) -> None:
    """The rubriques as the site shows them, each with its number and its articles."""
    counts = site.counts()
    typer.echo(f"{site.path}: " + (f"{site.name}, " if site.name else "") +
               (f"SPIP {site.release}" if site.release else
                _("schema {schema}").format(schema=site.schema)))

    def show(rid: int, depth: int) -> None:
        for r in site.children(rid):
            published, others = counts.get(r.id, (0, 0))
            said = ngettext("{n} published", "{n} published", published).format(n=published)
            if others:
                said += ", " + ngettext("{n} not published", "{n} not published",
                                        others).format(n=others)
            typer.echo(f"{'  ' * depth}{r.id:>4}  {r.title}  ({said})")
            show(r.id, depth + 1)

    show(0, 0)
    typer.echo(_("import one with --section NUMBER (or its path, \"A/B/C\")"), err=True)


def _table(rows) -> None:
    from rich.table import Table

    from rencontres.cli.common import console
    from rencontres.importer.said import shown

    table = Table(_("article"), _("date"), _("title"), _("becomes"), box=None, pad_edge=False)
    for r in rows:
        table.add_row(str(r.article), r.day, r.title, shown(r.what))
    console().print(table)
