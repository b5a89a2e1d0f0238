"""The command line: the only package that imports typer or rich, prints, or exits.

Commands live by family in `records.py` (check, list, show), `entry.py` (new, edit),
`outputs.py` (render, index, keywords, build), `followup.py` (actions, agenda, decisions,
attendance), `importing.py` (import) and `calendar.py` (invite, calendar, send).
Each imports what it needs inside its functions, so `rencontres --help` stays
as fast as typer's own import.

Each run builds its own app (`build`) with typer's public API only: the command being run
is imported and registered, the others are listed from the table (COMMANDS) without
importing them. A `RencontresError` raised anywhere below becomes one line on stderr and its
exit code, here and only here; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import inspect
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from rencontres import __version__
from rencontres.core.errors import RencontresError

# Every command: the module that declares it and its line in `rencontres --help`, in the
# order a secretary works. A command's module is imported, and the command built, only
# when it runs: start-up never pays for the other seventeen.
COMMANDS = {
    "new": ("entry", "Write a new meeting's record (prompts or flags)."),
    "init": ("entry", "Start a group: its folder and a commented group.toml."),
    "edit": ("entry", "Edit a record in $EDITOR, checked on save."),
    "check": ("records", "Check every record: syntax, keys, dates…"),
    "list": ("records", "List the meetings in date order."),
    "show": ("records", "Show one meeting in the terminal."),
    "render": ("outputs", "Print a meeting's synthesis (Markdown, SPIP, HTML)."),
    "index": ("outputs", "Print the section's list of articles."),
    "keywords": ("outputs", "Print each keyword with its articles."),
    "build": ("outputs", "Write the whole site, only what changed."),
    "actions": ("followup", "List the open actions (--all: every one)."),
    "agenda": ("followup", "Print the next meeting's agenda."),
    "decisions": ("followup", "Print the register of decisions."),
    "attendance": ("followup", "Count attendance per person and organisation."),
    "invite": ("invitations", "Write the invitation (iCalendar) to the next meeting."),
    "calendar": ("invitations", "Write a group's calendar feed (or every group's)."),
    "send": ("invitations", "E-mail the invitation to every attendee."),
    "import": ("importing", "Read published syntheses back into records."),
}
# One example per command, shown at the end of its help; each runs on the shipped records.
EXAMPLES = {
    "new": "rencontres new ramsess",
    "init": "rencontres init atelier --name \"Atelier d'essai\"",
    "edit": "rencontres edit ramsess/2007-11-22",
    "check": "rencontres check records/ramsess",
    "list": "rencontres list ramsess --json",
    "show": "rencontres show 22/11/2007",
    "render": "rencontres render ramsess/2007-11-22 --format spip --text-only",
    "index": "rencontres index ramsess --format spip",
    "keywords": "rencontres keywords ramsess",
    "build": "rencontres build -o site/",
    "actions": "rencontres actions --owner Sandrine",
    "agenda": "rencontres agenda --after ramsess/2007-11-22",
    "decisions": "rencontres decisions ramsess --format csv -o decisions.csv",
    "attendance": "rencontres attendance ramsess --year 2007",
    "invite": "rencontres invite ramsess/2007-11-22 -o invitation.ics",
    "calendar": "rencontres calendar ramsess -o ramsess.ics",
    "send": "rencontres send ramsess/2007-11-22 --dry-run out/",
    "import": "rencontres import article.txt --group ramsess --dry-run",
}


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
_settings: dict[str, Any] = {"records": None, "args": []}


# -- shell completion of record and group names (`--install-completion`) ---------------------

def _store_for_completion(ctx: typer.Context):
    from rencontres.records.store import Store

    given = ctx.find_root().params.get("records")
    try:
        return Store.locate(given, os.environ.get("RENCONTRES_RECORDS"), Path.cwd())
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
    "--lang", metavar="fr|en", help="Language of the words about meetings (default: the group's).",
    show_default=False)]
OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.",
    show_default=False)]
GroupArgument = Annotated[str | None, typer.Argument(
    metavar="GROUP", autocompletion=complete_groups, help="The group (default: the only one).",
    show_default=False)]
RecordsOption = Annotated[Path | None, typer.Option(
    "--records", metavar="DIR", help="The records folder (default: $RENCONTRES_RECORDS, else "
    "the nearest records/ at or above the current folder).", show_default=False)]


def group_language(archive, group: str | None) -> str:
    """The group's language; for several groups, theirs if they share one, else French."""
    langs = {g.language for slug, g in archive.groups.items() if group in (None, slug)}
    return langs.pop() if len(langs) == 1 else "fr"


# -- the app of one run ------------------------------------------------------------------------

def _version(value: bool) -> None:
    if value:
        typer.echo(f"rencontres {__version__}")
        raise typer.Exit()


def _main(
    records: RecordsOption = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    _settings["records"] = records


_RECORDS_AFTER = inspect.Parameter(
    "records", inspect.Parameter.KEYWORD_ONLY, default=None,
    annotation=Annotated[Path | None, typer.Option(
        "--records", metavar="DIR", help="The records folder, as before the command.",
        show_default=False)])


@functools.cache
def _as_command(function):
    """`function` as typer sees it: with `--records DIR` after the command too, and what
    stops it (our errors, Ctrl-C, a closed pipe, a refusal of the system) said in one line."""
    signature = inspect.signature(function, eval_str=True)

    @functools.wraps(function)
    def command(*args: Any, records: Path | None = None, **kwargs: Any) -> Any:
        if records is not None:
            _settings["records"] = records
        try:
            return function(*args, **kwargs)
        except RencontresError as exc:
            typer.echo(f"error: {as_typed(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except (KeyboardInterrupt, typer.Abort):  # Ctrl-C, or input closed at a prompt
            typer.echo("interrupted: nothing written", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `rencontres list | head`: the reader has all it wanted
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes
            raise typer.Exit(141) from None  # as a command ended by SIGPIPE
        except OSError as exc:  # the system refused (a name too long, a full disk…): no bug
            where = f"{as_typed(str(exc.filename))}: " if exc.filename else ""
            typer.echo(f"error: {where}{exc.strerror or exc}", err=True)
            raise typer.Exit(2) from None

    parameters = [*signature.parameters.values(), _RECORDS_AFTER]
    command.__signature__ = signature.replace(parameters=parameters)
    command.__annotations__ = {p.name: p.annotation for p in parameters}  # read once
    return command


def _listed() -> None:
    """A command only listed in the help (see `build`): never run."""


def build(names: set[str] | frozenset[str] = frozenset()) -> typer.Typer:
    """The app of one run: the commands `names` imported and registered; with none, every
    command listed (its line of `rencontres --help`) but not imported."""
    app = typer.Typer(
        name="rencontres",
        help="Meeting minutes, section index and calendar invitations from TOML records.",
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    app.callback()(_main)
    for name, (module, summary) in COMMANDS.items():
        if not names:
            app.command(name, short_help=summary)(_listed)
            continue
        if name not in names:
            continue
        importlib.import_module(f"rencontres.cli.{module}")
        app.command(name, short_help=summary, epilog=f"Example: {EXAMPLES[name]}")(
            _as_command(commands.declared[name]))
    return app


def _named(args: list[str]) -> str | None:
    """The command named on the command line: its first word that is no option nor the
    value of --records."""
    words = iter(args)
    for word in words:
        if word == "--records":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def run(args: list[str]) -> int:
    """Run `rencontres ARGS…` and return its exit code. The framework's own usage errors (an
    unknown option, a bad choice) are said in our voice: one line, `error: …`, a hint, exit 2
    — as ours are."""
    _settings.update(records=None, args=list(args))
    if os.environ.get("_RENCONTRES_COMPLETE"):  # the shell asks for completions: any command
        names = set(COMMANDS)
    else:
        name = _named(args)
        names = {name} if name in COMMANDS else set()
    try:
        code = build(names)(args=args, prog_name="rencontres", standalone_mode=False)
    except typer.TyperException as exc:
        if not args:  # `rencontres` alone: the help, on stderr
            typer.echo(exc.format_message(), err=True)
            return exc.exit_code
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "rencontres"
        message = " ".join(exc.format_message().split()).replace("Value error, ", "")
        message = message.replace(".;", ";").rstrip(".")
        typer.echo(f"error: {message[:1].lower() + message[1:]}; see `{where} -h`", err=True)
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("interrupted: nothing written", err=True)
        return 130
    return code if isinstance(code, int) else 0


# `rencontres` as a Typer, for typer.testing.CliRunner: it hands its arguments as given to
# `run` (all but a leading `--`). The console script (`main`) calls `run` itself.
app = typer.Typer(name="rencontres", add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode=None)


@app.command("rencontres", add_help_option=False, context_settings={
    "ignore_unknown_options": True, "allow_extra_args": True, "allow_interspersed_args": False})
def _rencontres(ctx: typer.Context) -> None:
    raise typer.Exit(run(ctx.args))


def as_typed(message: str) -> str:
    """Paths in a message as the user would type them: relative to the current folder when
    inside it (`ramsess/2008-01-16.toml`, not `/home/…/records/ramsess/2008-01-16.toml`)."""
    try:
        here = os.getcwd()
    except OSError:
        return message
    return message.replace(here.rstrip(os.sep) + os.sep, "") if here != os.sep else message


def open_store():
    """The records store chosen by --records, $RENCONTRES_RECORDS or the current folder."""
    from rencontres.records.store import Store

    return Store.locate(_settings["records"], os.environ.get("RENCONTRES_RECORDS"), Path.cwd())


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
        raise UsageError(f"{as_typed(str(root))}: no group folder here",
                         "start one with `rencontres init GROUP`")
    raise UsageError("which group?", f"name one of: {', '.join(groups)}")


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
    path = store.resolve(spec)
    folder = absolute(path).parent
    if folder.parent != absolute(store.root):
        store = Store(folder.parent)
    archive = Archive.load(store, group=folder.name, focus=path.stem)  # others: outlines
    return archive, archive.meeting_at(path)


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
            raise UsageError(f"RENCONTRES_NOW={given!r} is not an ISO 8601 date-time") from None
        if when.tzinfo is None:
            raise UsageError(f"RENCONTRES_NOW={given!r} needs an offset", "e.g. end it with Z")
        return when.astimezone(dt.UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
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
        raise UsageError(f"{output}: is a folder", "give a file name")
    if not output.parent.is_dir():
        raise NotFound(f"{output.parent}: no such folder", "create it first")


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
    typer.echo(f"wrote {output}", err=True)


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
            style = styles[n] if styles else None
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
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def main() -> None:
    """The console script: one command, then the process ends."""
    from rencontres.records import cache

    cache.FREEZE = True  # what a command loads lives until it ends (see cache.py)
    sys.exit(run(sys.argv[1:]))
