"""What every command shares: where commands are declared, the records store, the loaders,
the clock, output to a file or a terminal, the options several commands take, and completion
of record and group names by the shell. Nothing here builds the app (see `app.py`)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from rencontres.core.errors import RencontresError
from rencontres.core.i18n import _, ngettext


class Commands:
    """Where the command modules declare their commands, as on a Typer: `@commands.command()`.
    Nothing is built here; `build` registers on each run's app the command it needs."""

    def __init__(self) -> None:
        self.declared: dict[str, Any] = {}

    def command(self, name: str | None = None):
        def declare(function):
            self.declared[name or function.__name__.replace("_", "-")] = function
            return function
        return declare


commands = Commands()
settings: dict[str, Any] = {"records": None, "args": []}


# -- shell completion of record and group names (`--install-completion`) ---------------------

def _store_for_completion(ctx: typer.Context):
    from rencontres.records.store import Store

    try:
        return Store.locate(_records_given(ctx.find_root().params.get("records")), Path.cwd())
    except RencontresError:
        return None


def complete_records(ctx: typer.Context, incomplete: str) -> list[str]:
    store = _store_for_completion(ctx)
    return store.complete_records(incomplete) if store else []


def complete_groups(ctx: typer.Context, incomplete: str) -> list[str]:
    store = _store_for_completion(ctx)
    return store.complete_groups(incomplete) if store else []


# -- the options several commands share ------------------------------------------------------

class Lang(StrEnum):
    fr = "fr"
    en = "en"


LangOption = Annotated[Lang | None, typer.Option(
    "--lang", metavar="fr|en", help=_("Language of the words about meetings (default: the group's)."),
    show_default=False)]
OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", metavar=_("FILE"), help=_("Write to FILE (atomically) instead of stdout."),
    show_default=False)]
GroupArgument = Annotated[str | None, typer.Argument(
    metavar=_("GROUP"), autocompletion=complete_groups, help=_("The group (default: the only one)."),
    show_default=False)]
RecordsOption = Annotated[Path | None, typer.Option(
    "--records", metavar=_("DIR"), help=_("The records folder (default: $RENCONTRES_RECORDS, else "
    "the nearest records/ at or above the current folder)."), show_default=False)]


def group_language(archive, group: str | None) -> str:
    """The group's language; for several groups, theirs if they share one, else French."""
    langs = {g.language for slug, g in archive.groups.items() if group in (None, slug)}
    return langs.pop() if len(langs) == 1 else "fr"


def as_typed(message: str) -> str:
    """Paths in a message as the user would type them: relative to the current folder when
    inside it (`ramsess/2008-01-16.toml`, not `/home/…/records/ramsess/2008-01-16.toml`)."""
    try:
        here = os.getcwd()
    except OSError:
        return message
    return message.replace(here.rstrip(os.sep) + os.sep, "") if here != os.sep else message


def with_source(problem) -> str:
    """A problem as `check` and `edit` print it: its line, and under it, for a syntax error,
    the line of the file with a caret under the column where it goes wrong."""
    import re

    said = as_typed(str(problem))
    if not problem.excerpt:
        return said
    text = re.sub(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]",
                  "\ufffd", problem.excerpt).replace("\t", " ")
    start = 0
    if len(text) > 100:  # a long line: the part around the column
        start = max(0, min((problem.column or 1) - 50, len(text) - 100))
        text = ("…" if start else "") + text[start:start + 100] + "…" * (start + 100 < len(text))
    said += f"\n    {text}"
    if problem.column:
        said += "\n    " + " " * (problem.column - 1 - start + (start > 0)) + "^"
    return said


def _records_given(flag: Path | None) -> list[tuple[Path | str | None, str]]:
    """The records folders the user named, each with where it was named."""
    return [(flag, "--records"), (os.environ.get("RENCONTRES_RECORDS"), "RENCONTRES_RECORDS")]


def open_store():
    """The records store chosen by --records, $RENCONTRES_RECORDS or the current folder."""
    from rencontres.core.errors import NoRecordsFolder, NotFound
    from rencontres.records.store import Store

    try:
        return Store.locate(_records_given(settings["records"]), Path.cwd())
    except NoRecordsFolder as exc:
        raise NotFound(exc.message, _("run inside a project, or pass --records DIR")) from None


def load_archive(group: str | None = None):
    """The archive of one group (or all), read and checked; errors are in `.problems`."""
    from rencontres.records.archive import Archive

    return Archive.load(open_store(), group=group)


def load_group_archive(group: str | None, several: bool = False):
    """The archive of GROUP (default: the only group), refused when a record has an error.
    With `several`, no GROUP in a folder of several groups means all of them: the group
    returned is then None."""
    from rencontres.records.archive import refuse

    archive = load_archive(group)
    if group is None and several and len(archive.groups) > 1:
        refuse(archive.errors)
        return archive, None
    if group is None:
        group = only_group(archive.store.root, list(archive.groups))
    refuse(archive.errors)
    return archive, group


def only_group(root: Path, groups: list[str]) -> str:
    """The group meant when a command names none: the records folder's only one, else the
    one error every command gives."""
    from rencontres.core.errors import UsageError

    if len(groups) == 1:
        return groups[0]
    if not groups:
        raise UsageError(_("{folder}: no group folder here").format(folder=as_typed(str(root))),
                         _("start one with `rencontres init GROUP`"))
    raise UsageError(_("which group?"), _("name one of: {groups}").format(groups=", ".join(groups)))


def load_record(spec: str):
    """A RECORD argument → (archive of its group, meeting). A record with errors is refused.
    The group's other records are outlines (see `Archive.load`): enough for its number,
    follow-ups, agenda and index, at a cost that does not grow with the group.

    RECORD is a path, GROUP/YYYY-MM-DD[-N], or a date when one group met that day.
    A path outside the records folder is read with its own folder as the group.
    """
    from rencontres.records.archive import Archive
    from rencontres.records.store import Store, absolute

    store = open_store_for(spec)
    path = resolve_record(store, spec)
    folder = absolute(path).parent
    if folder.parent != absolute(store.root):
        store = Store(folder.parent)
    archive = Archive.load(store, group=folder.name, focus=path.stem)  # others: outlines
    return archive, archive.meeting_at(path)


def resolve_record(store, spec: str) -> Path:
    """A RECORD argument → its file: a path, GROUP/YYYY-MM-DD[-N], or a day in any form
    `new` reads (2009-03-24, 24/03/2009, 24 mars 2009), after GROUP/ or alone (then in
    every group). A day of several records is asked in a terminal, else refused naming
    them: never one picked. A .toml file no command reads is said, with where it goes."""
    from rencontres.core.errors import NotFound, UsageError
    from rencontres.records.archive import misplaced
    from rencontres.records.store import absolute

    group, day = _day_of(spec)
    if day is None:
        try:
            path = store.resolve(spec)
        except NotFound:  # GROUP/YYYY-MM-DD-N: is it where no command reads it?
            stem = spec.rstrip("/").rpartition("/")[2].removesuffix(".toml")
            for unread in store.unread():
                if unread.stem == stem:
                    raise NotFound(_("{record}: no such record is read").format(record=spec),
                                   _("{path} is {said}").format(
                                       path=as_typed(str(unread)),
                                       said=misplaced(store, [unread])[0].message)) from None
            raise
        root, where = absolute(store.root), absolute(path)
        if root in where.parents and len(where.relative_to(root).parts) != 2:  # not in a group
            raise UsageError(f"{as_typed(str(path))}: {misplaced(store, [path])[0].message}")
        return path
    found = store.day_records(day, group) if group is None or store.require_group(group) \
        else []
    if len(found) == 1:
        return found[0]
    if found:
        return _which(spec, found)
    place = _("group '{group}'").format(group=group) if group else \
        as_typed(str(store.root)) or "."
    for path in store.unread(None if group is None else [group]):
        if path.stem[:10] == day:
            said = misplaced(store, [path])[0].message
            raise NotFound(_("{record}: no record of {day} is read in {place}").format(
                record=spec, day=day, place=place),
                _("{path} is {said}").format(path=as_typed(str(path)), said=said))
    raise NotFound(_("{record}: no record of {day} in {place}").format(
        record=spec, day=day, place=place),
        _("see `{command}`").format(  # i18n: the command, typed as it is
            command=f"rencontres list{' ' + group if group else ''}"))


def _day_of(spec: str) -> tuple[str | None, str | None]:
    """(group or None, YYYY-MM-DD) when RECORD is a day, as `new` reads days; else
    (None, None). A day that cannot be ("31/04/2009") is refused, saying why."""
    import datetime as dt

    from rencontres.core.errors import NotADate, UsageError
    from rencontres.records.store import STEM_RE

    if spec.endswith(".toml") or os.path.lexists(spec) or STEM_RE.match(spec.split("/")[-1]) \
            and spec.count("/") == 1:
        return None, None
    from rencontres.entry.input import parse_when

    candidates: list[tuple[str | None, str]] = [(None, spec)]
    if "/" in spec:  # GROUP/day
        candidates.append((spec.partition("/")[0], spec.partition("/")[2]))
    for group, text in candidates:
        try:
            when = parse_when(text)
        except NotADate as exc:
            if exc.reason and not STEM_RE.match(text):
                raise UsageError(_("{value}: not a date: {reason}").format(
                    value=repr(spec), reason=exc.reason)) from None
            continue
        day = when.date() if isinstance(when, dt.datetime) else when
        return group, day.isoformat()
    return None, None


def _which(spec: str, found: list[Path]) -> Path:
    """One of a day's records: asked in a terminal, else an error naming them all."""
    from rencontres.core.errors import UsageError

    names = [f"{p.parent.name}/{p.stem}" for p in found]
    if not (sys.stdin is not None and sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageError(ngettext("{record}: {n} record that day ({names})",
                                  "{record}: {n} records that day ({names})", len(found)).format(
            record=spec, n=len(found), names=", ".join(names)),
            _("name the one you mean, e.g. {record}").format(record=names[-1]))
    typer.echo(ngettext("{record}: {n} record that day:", "{record}: {n} records that day:",
                        len(found)).format(record=spec, n=len(found)), err=True)
    for n, name in enumerate(names, start=1):
        typer.echo(f"  {n}. {name}", err=True)
    from rencontres.cli.prompts import prompt

    while True:
        answer = prompt(_("Which one (1-{last}, or its name)").format(last=len(found)),
                        err=True).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(found):
            return found[int(answer) - 1]
        if answer in names or answer in (p.stem for p in found):
            return found[[*names, *(p.stem for p in found)].index(answer) % len(found)]
        typer.echo(_("  {answer}: not one of them — type a number from 1 to {last}").format(
            answer=repr(answer), last=len(found)), err=True)


def say_warnings(archive, meeting) -> None:
    """The warnings of a record a command reads (a name spelled close to another, a number
    out of order…), on stderr, its path as typed: never among the command's output."""
    for p in archive.problems_of(archive.path(meeting)):
        typer.echo(as_typed(str(p)), err=True)


def open_store_for(spec: str):
    """The store, except that an existing record path needs none (its folders say it all)."""
    from rencontres.core.errors import NotFound
    from rencontres.records.store import Store

    try:
        return open_store()
    except NotFound:
        from rencontres.records.store import absolute

        path = Path(spec)
        if spec.endswith(".toml") and path.is_file():
            return Store(absolute(path).parent.parent)
        raise


def now() -> dt.datetime:
    """The one clock reading of a command: `RENCONTRES_NOW` (ISO 8601 with an offset, e.g.
    2026-01-05T09:00:00Z), else `SOURCE_DATE_EPOCH` (seconds), else the machine's clock —
    so tests and reproducible builds give the same bytes every run. Read only where a
    standard demands it (DTSTAMP, a mail's Date) or the question is about today (overdue)."""
    from rencontres.core.errors import UsageError

    given = os.environ.get("RENCONTRES_NOW")
    if given:
        try:
            when = dt.datetime.fromisoformat(given)
        except ValueError:
            raise UsageError(_("RENCONTRES_NOW={value} is not an ISO 8601 date-time").format(
                value=repr(given))) from None
        if when.tzinfo is None:
            raise UsageError(_("RENCONTRES_NOW={value} needs an offset").format(value=repr(given)),
                             _("e.g. end it with Z"))
        return when.astimezone(dt.UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError):
            raise UsageError(_("SOURCE_DATE_EPOCH={value} is not a number of seconds").format(
                value=repr(epoch))) from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def emit(text: str) -> None:
    """Write generated text to stdout exactly, bytes for bytes (no rich markup)."""
    out = sys.stdout
    out.write(text)
    out.flush()


def check_output(output: Path | None, store) -> None:
    """Refuse an -o FILE among the records, or one that cannot be a file, before any work
    that writes state (an invitation's SEQUENCE) is done."""
    from rencontres.core.errors import NotFound, UsageError

    if output is None or str(output) == "-":
        return
    store.refuse_output(output)
    if output.is_dir():
        raise UsageError(_("{path}: is a folder").format(path=output), _("give a file name"))
    if not output.parent.is_dir():
        raise NotFound(_("{path}: no such folder").format(path=output.parent),
                       _("create it first"))


def write_output(text: str | bytes, output: Path | None, store) -> None:
    """Generated output to stdout, or atomically to FILE with -o — never among the records
    of `store` (exit 4)."""
    if output is None or str(output) == "-":
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            emit(text)
        return
    from rencontres.records.store import write_atomic

    check_output(output, store)
    write_atomic(output, text, overwrite=True)
    typer.echo(_("wrote {path}").format(path=output), err=True)


def print_table(heads: list[str], rows: list[list[str]], right: frozenset[int] = frozenset(),
                styles: list[str | None] | None = None) -> None:
    """A table: on a terminal, aligned and wrapped (hanging within its column, in colour);
    piped, a line per row, never wrapped, never padded at the end (for grep and cut)."""
    if sys.stdout.isatty():
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, pad_edge=False, header_style="bold")
        for i, name in enumerate(heads):
            table.add_column(name, justify="right" if i in right else "left", overflow="fold")
        for n, cells in enumerate(rows):
            style = (styles[n] if styles else None) or ""
            table.add_row(*(Text(c, style=style if i == len(cells) - 1 else "")
                            for i, c in enumerate(cells)))  # text, never rich markup
        console().print(table)
        return
    widths = [max(len(c) for c in col) for col in zip(heads, *rows, strict=True)]
    for cells in [heads, *rows]:
        line = "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        typer.echo(line.rstrip())


def console(stderr: bool = False):
    """A rich console on stdout (or stderr) whose closed pipe is a BrokenPipeError, as any
    other write's: the command then exits 141 without a word (rich's own way exits 1)."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich's documented hook
            self.quiet = True
            raise BrokenPipeError

    return _Console(stderr=stderr, highlight=False, soft_wrap=False)


