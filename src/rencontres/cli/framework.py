"""The framework's own words in the user's language: what typer marks with gettext (its
private copy of click marks "Options", "Arguments", "default: …", "required", "No such
command …": they follow gettext's default domain, bound to our catalog by
`core.i18n.bind_framework`), and what it writes as plain literals ("Usage: ", the help
option's "Show this message and exit."), set here through the command classes' public
methods `format_usage` and `get_help_option`. The only place that knows typer's forms:
tests/test_i18n.py fails when a typer release moves them."""

from __future__ import annotations

import typer.core

from rencontres.core.i18n import N_, _

# typer's marked strings (typer/core.py), so that extraction puts them in our catalog
FRAMEWORK = (N_("Options"), N_("Arguments"), N_("Commands"), N_("default: {default}"),
             N_("required"), N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"),
             N_("Missing command."), N_("No such command {name!r}."))
USAGE = N_("Usage: ")
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
