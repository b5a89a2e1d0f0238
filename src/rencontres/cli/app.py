"""The app of one run, built with typer's public API only: the command being run is imported
and registered, the others are listed from the table (COMMANDS) without importing them, so
`rencontres --help` stays as fast as typer's own import. A `RencontresError` raised anywhere
below becomes one line on stderr and its exit code, here and only here; any other exception
is a bug and keeps its traceback."""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from rencontres import __version__
from rencontres.cli.common import RecordsOption, as_typed, commands, settings
from rencontres.core.errors import RencontresError, reason
from rencontres.core.i18n import N_, _

# Every command: the module that declares it and its line in `rencontres --help`, in the
# order a secretary works. A command's module is imported, and the command built, only
# when it runs: start-up never pays for the others.
COMMANDS = {
    "new": ("entry", N_("Write a new meeting's record (prompts or flags).")),
    "init": ("groups", N_("Start a group: its folder and a commented group.toml.")),
    "edit": ("entry", N_("Edit a record in $EDITOR, checked on save.")),
    "check": ("records", N_("Check every record: syntax, keys, dates…")),
    "list": ("records", N_("List the meetings in date order.")),
    "show": ("records", N_("Show one meeting in the terminal.")),
    "render": ("outputs", N_("Print a meeting's synthesis (Markdown, SPIP, HTML).")),
    "index": ("outputs", N_("Print the section's list of articles.")),
    "keywords": ("outputs", N_("Print each keyword with its articles.")),
    "build": ("outputs", N_("Write the whole site, only what changed.")),
    "serve": ("serving", N_("Serve the site on this machine, built again on each save.")),
    "actions": ("followup", N_("List the open actions (--all: every one).")),
    "agenda": ("followup", N_("Print the next meeting's agenda.")),
    "decisions": ("followup", N_("Print the register of decisions.")),
    "attendance": ("followup", N_("Count attendance per person and organisation.")),
    "invite": ("invitations", N_("Write the invitation (iCalendar) to the next meeting.")),
    "calendar": ("invitations", N_("Write a group's calendar feed (or every group's).")),
    "send": ("invitations", N_("E-mail the invitation (or the minutes) to every attendee.")),
    "remind": ("mailing", N_("E-mail each owner their open actions before a meeting or due date.")),
    "replies": ("replies", N_("Read the replies to invitations: who is coming.")),
    "rsvp": ("replies", N_("Record an answer given by phone or in person.")),
    "import": ("importing", N_("Read published syntheses back into records.")),
    "publish": ("publishing", N_("Create or update the record's article on the SPIP site.")),
}
# One example per command, shown at the end of its help; each runs on the shipped records.
EXAMPLES = {  # i18n: commands, typed as they are
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
    "serve": "rencontres serve --port 8000",
    "actions": "rencontres actions --owner Sandrine",
    "agenda": "rencontres agenda --after ramsess/2007-11-22",
    "decisions": "rencontres decisions ramsess --format csv -o decisions.csv",
    "attendance": "rencontres attendance ramsess --year 2007",
    "invite": "rencontres invite ramsess/2007-11-22 -o invitation.ics",
    "calendar": "rencontres calendar ramsess -o ramsess.ics",
    "send": "rencontres send ramsess/2007-11-22 --dry-run out/",
    "remind": "rencontres remind ramsess --before 7d --dry-run out/",
    "replies": "rencontres replies ramsess ~/Maildir --json",
    "rsvp": "rencontres rsvp ramsess/2007-11-22 Sandrine accepted",
    "import": "rencontres import article.txt --group ramsess --dry-run",
    "publish": "rencontres publish ramsess/2007-11-22 --dry-run",
}



# -- the app of one run ------------------------------------------------------------------------

def _version(value: bool) -> None:
    if value:
        typer.echo(f"rencontres {__version__}")
        raise typer.Exit()


def _main(
    records: RecordsOption = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help=_("Print the version."))] = False,
) -> None:
    settings["records"] = records


_RECORDS_AFTER = inspect.Parameter(
    "records", inspect.Parameter.KEYWORD_ONLY, default=None,
    annotation=Annotated[Path | None, typer.Option(
        "--records", metavar=_("DIR"), help=_("The records folder, as before the command."),
        show_default=False)])


@functools.cache
def _as_command(function):
    """`function` as typer sees it: with `--records DIR` after the command too, and what
    stops it (our errors, Ctrl-C, a closed pipe, a refusal of the system) said in one line."""
    signature = inspect.signature(function, eval_str=True)

    @functools.wraps(function)
    def command(*args: Any, records: Path | None = None, **kwargs: Any) -> Any:
        if records is not None:
            settings["records"] = records
        try:
            return function(*args, **kwargs)
        except RencontresError as exc:  # one line: a control character of a value quoted
            # in it (a key of a damaged file holding a carriage return) shown as �
            from rencontres.core.text import CONTROL_ONE_LINE

            said = CONTROL_ONE_LINE.sub("\ufffd", as_typed(str(exc)))
            typer.echo(_("error: {message}").format(message=said), err=True)
            raise typer.Exit(exc.exit_code) from None
        except (KeyboardInterrupt, typer.Abort):  # Ctrl-C, or input closed at a prompt
            typer.echo(_("interrupted: nothing written"), err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `rencontres list | head`: the reader has all it wanted
            raise typer.Exit(closed_pipe()) from None
        except OSError as exc:  # the system refused (a name too long, a full disk…): no bug
            where = f"{as_typed(str(exc.filename))}: " if exc.filename else ""
            typer.echo(_("error: {message}").format(message=f"{where}{reason(exc)}"),
                       err=True)
            raise typer.Exit(2) from None

    parameters = [*signature.parameters.values(), _RECORDS_AFTER]
    command.__signature__ = signature.replace(parameters=parameters)
    command.__annotations__ = {p.name: p.annotation for p in parameters}  # read once
    return command


def closed_pipe() -> int:
    """The reader of stdout went away (`rencontres … | head -1`): nothing more is written,
    nothing said, and the exit code is a command's ended by SIGPIPE, 141."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes
    except (OSError, ValueError):  # no file descriptor (a test's captured output)
        pass
    return 141


def _listed() -> None:
    """A command only listed in the help (see `build`): never run."""


def build(names: set[str] | frozenset[str] = frozenset()) -> typer.Typer:
    """The app of one run: the commands `names` imported and registered; with none, every
    command listed (its line of `rencontres --help`) but not imported."""
    from rencontres.cli.framework import Command, Group, help_of

    app = typer.Typer(
        name="rencontres",
        cls=Group,
        help=_("Meeting minutes, section index and calendar invitations from TOML records."),
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    app.callback()(_main)
    for name, (module, summary) in COMMANDS.items():
        if not names:
            app.command(name, short_help=_(summary), cls=Command)(_listed)
            continue
        if name not in names:
            continue
        importlib.import_module(f"rencontres.cli.{module}")
        function = commands.declared[name]
        app.command(name, short_help=_(summary), help=help_of(function), epilog=_(
            "Example: {example}").format(example=EXAMPLES[name]), cls=Command)(
            _as_command(function))
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
    from rencontres.core import i18n

    i18n.reset()  # the locale of this run (a test may change it between two)
    i18n.bind_framework()
    settings.update(records=None, args=list(args))
    if os.environ.get("_RENCONTRES_COMPLETE"):  # the shell asks for completions: any command
        names = set(COMMANDS)
    else:
        name = _named(args)
        names = {name} if name in COMMANDS else set()
    try:
        code = build(names)(args=args, prog_name="rencontres", standalone_mode=False)
    except SystemExit as exc:
        # The help or --version written to a closed pipe: typer's `main` catches the
        # EPIPE and exits 1 from its `except OSError` (so the error is the exit's context)
        if isinstance(exc.__context__, BrokenPipeError):
            return closed_pipe()
        raise
    except BrokenPipeError:
        return closed_pipe()
    except typer.TyperException as exc:
        if not args:  # `rencontres` alone: the help, on stderr
            typer.echo(exc.format_message(), err=True)
            return exc.exit_code
        from rencontres.cli.framework import usage_error

        named = _named(args)
        where = f"rencontres {named}" if named in COMMANDS else "rencontres"
        typer.echo(_("error: {message}").format(message=_("{problem}; see `{command} -h`").format(
            problem=usage_error(exc, named, COMMANDS), command=where)), err=True)
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        typer.echo(_("interrupted: nothing written"), err=True)
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


def main() -> None:
    """The console script: one command, then the process ends."""
    from rencontres.records import cache

    cache.FREEZE = True  # what a command loads lives until it ends (see cache.py)
    sys.exit(run(sys.argv[1:]))
