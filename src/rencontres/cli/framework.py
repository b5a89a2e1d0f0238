"""The framework's own words in the user's language: what typer marks with gettext (its
private copy of click marks "Options", "Arguments", "default: …", "required", "No such
command …": they follow gettext's default domain, bound to our catalog by
`core.i18n.bind_framework`), and what it writes as plain literals ("Usage: ", the help
option's "Show this message and exit."), set here through the command classes' public
methods `format_usage` and `get_help_option`. The only place that knows typer's forms:
tests/test_i18n.py fails when a typer release moves them."""

from __future__ import annotations

import re

import typer.core

from rencontres.core.i18n import N_, _, ngettext

# typer's marked strings (typer/core.py), so that extraction puts them in our catalog
FRAMEWORK = (N_("Options"), N_("Arguments"), N_("Commands"), N_("default: {default}"),
             N_("required"), N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"),
             N_("Missing command."), N_("No such command {name!r}."))
USAGE = N_("Usage: ")
# where typer keeps the classes of its usage errors (its private copy of click): named here
# only, and tests/test_i18n.py fails when a release moves them
ERRORS_MODULE = "typer._click.exceptions"
# and the forms of the messages whose words are in no field: extra arguments, an option
# given a value it does not take (parser.py), a missing command (core.py)
EXTRA = re.compile(r"Got unexpected extra argument\(s\) \((.*)\)")
NO_VALUE = "does not take a value"  # i18n: typer's English, matched
NO_COMMAND = "Missing command"  # i18n: typer's English, matched
HELP = N_("Show this message and exit.")


def _format_usage(self, ctx, formatter) -> None:
    formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                          prefix=_(USAGE))


def _get_help_option(self, ctx):
    option = super(type(self), self).get_help_option(ctx)
    if option is not None:
        option.help = _(HELP)
    return option


class Command(typer.core.TyperCommand):
    format_usage = _format_usage
    get_help_option = _get_help_option


class Group(typer.core.TyperGroup):
    format_usage = _format_usage
    get_help_option = _get_help_option


def help_of(function) -> str | None:
    """A command's help in the user's language: its docstring (typer shows it as the help),
    through the catalog, where `extract` put it."""
    import inspect

    return _(inspect.cleandoc(function.__doc__).strip()) if function.__doc__ else None


def extract(fileobj, keywords, comment_tags, options):
    """Babel's extraction for this package (babel.cfg): the marked messages, by Babel's own
    Python extractor, and each command's docstring (a function under `@commands.command`),
    which `help_of` translates. A developer's step: Babel is not needed at run time."""
    import ast

    from babel.messages.extract import extract_python

    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                and d.func.attr == "command" and isinstance(d.func.value, ast.Name)
                and d.func.value.id == "commands" for d in node.decorator_list):
            doc = (ast.get_docstring(node, clean=True) or "").strip()
            if doc:
                yield node.lineno, "_", doc, []


def usage_error(exc, command: str | None, commands) -> str:
    """One of typer's usage errors in our words and the user's language, from the
    exception's fields, never its English text: an unknown option or command (with the
    near ones), a missing argument or value, a value that does not read (from pydantic's
    error: its kind, the value typed and the limit), extra arguments. `command` is the
    command named on the line (None: none), `commands` every command's name."""
    import difflib
    import importlib

    errors = importlib.import_module(ERRORS_MODULE)
    if isinstance(exc, errors.NoSuchOption):
        if exc.possibilities:
            return _("no such option: {option} (did you mean {options}?)").format(
                option=exc.option_name, options=_(" or ").join(sorted(exc.possibilities)))
        return _("no such option: {option}").format(option=exc.option_name)
    if isinstance(exc, errors.MissingParameter) and exc.param is not None:
        if exc.param.param_type_name == "argument":
            return _("missing argument {name}").format(name=_name_of(exc.param))
        return _("missing option {option}").format(option=_name_of(exc.param))
    if isinstance(exc, errors.BadOptionUsage):
        if NO_VALUE in exc.message:
            return _("{option} takes no value").format(option=exc.option_name)
        return _("{option} needs a value").format(option=exc.option_name)
    if isinstance(exc, errors.BadParameter) and exc.param is not None:
        return _bad_value(exc, _name_of(exc.param))
    if command is not None and command not in commands:
        near = difflib.get_close_matches(command, sorted(commands), n=1)
        if near:
            return _("no such command '{name}' (did you mean '{near}'?)").format(
                name=command, near=near[0])
        return _("no such command '{name}'").format(name=command)
    extra = EXTRA.fullmatch(exc.message)
    if extra:  # the words typed are in typer's message only
        words = extra.group(1).split()
        return ngettext("one argument too many: {arguments}",
                        "{n} arguments too many: {arguments}", len(words)).format(
            n=len(words), arguments=" ".join(words))
    if not command and NO_COMMAND in exc.message:
        return _("which command?")
    message = " ".join(exc.format_message().split()).rstrip(".")
    return message[:1].lower() + message[1:]


def _name_of(param) -> str:
    """An option by its long name (`--format`), an argument by its metavar (`RECORD`)."""
    if param.param_type_name == "argument":
        return param.metavar or param.name.upper()
    longs = [o for o in param.opts if o.startswith("--")]
    return (longs or param.opts or [param.name])[0]


def _bad_value(exc, name: str) -> str:
    """A value typer's coercion refused (pydantic's error, when it is one)."""
    details: dict = {}
    cause = exc.__cause__
    if cause is not None and hasattr(cause, "errors"):
        found = cause.errors()
        details = found[0] if found else {}
    value = details.get("input", "")
    kind = details.get("type", "")
    limits = details.get("ctx") or {}
    choices = (exc.param.metavar or "").split("|")
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return _("{option} '{value}': not a whole number").format(option=name, value=value)
    if kind in ("greater_than_equal", "greater_than"):
        return _("{option} {value}: too small (at least {limit})").format(
            option=name, value=value, limit=limits.get("ge", limits.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return _("{option} {value}: too large (at most {limit})").format(
            option=name, value=value, limit=limits.get("le", limits.get("lt")))
    if len(choices) > 1:
        return _("{option} '{value}': not one of {choices}").format(
            option=name, value=value, choices=", ".join(choices))
    return _("{option} '{value}': not a value it takes").format(option=name, value=value)
