"""`init`: a new group, its folder and a commented group.toml."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rencontres.cli.common import (
    as_typed,
    commands,
    complete_groups,
    open_store,
)
from rencontres.core.i18n import _


@commands.command()
def init(
    group: Annotated[str, typer.Argument(
        metavar=_("GROUP"), autocompletion=complete_groups,
        help=_("The group's folder name: lowercase letters, digits, hyphens."),
        show_default=False)],
    name: Annotated[str | None, typer.Option(
        metavar=_("NAME"), help=_("The group's name."), show_default=False)] = None,
    language: Annotated[str | None, typer.Option(
        metavar="fr|en", help=_("fr or en: the language of the texts made (default fr)."), show_default=False)
    ] = None,
    timezone: Annotated[str | None, typer.Option(
        metavar=_("ZONE"),
        help=_("IANA time zone of the meetings (default Europe/Paris)."), show_default=False)
    ] = None,
    organizer: Annotated[str | None, typer.Option(
        metavar=_("PERSON"),
        help=_('Who sends the invitations: "Name <email>".'), show_default=False)] = None,
    member: Annotated[list[str] | None, typer.Option(
        metavar=_("PERSON"),
        help=_('A member: "Name / Organisation <email>" (repeatable).'), show_default=False)
    ] = None,
    interactive: Annotated[bool | None, typer.Option(
        "--interactive/--no-input", help=_("Ask for what is missing (default: in a terminal)."),
        show_default=False)] = None,
) -> None:
    """Start a group: make its folder and a commented group.toml that passes check.
    """
    from rencontres.cli import inputs
    from rencontres.cli.prompts import Asker
    from rencontres.core.errors import NotFound, Refused, UsageError
    from rencontres.records.parse import read_group
    from rencontres.records.store import GROUP_RE, Store, make_folder, write_atomic
    from rencontres.records.write import group_toml

    if not GROUP_RE.match(group):
        raise UsageError(_("{value}: not a group name").format(value=repr(group)),
                         _("use lowercase letters, digits and hyphens, e.g. atelier-essai"))
    try:
        store = open_store()
    except NotFound:
        store = Store(Path.cwd() / "records")  # the first group makes the records folder
    path = store.group_file(group)
    if path.exists():
        raise Refused(_("{path}: already exists, left untouched").format(
            path=as_typed(str(path))), _("edit it; `rencontres check` checks it"))
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    ask, zone, lang = Asker(), _zone, _language
    if name is None:
        name = ask.ask(_("Name of the group"), default=group) if interactive else group
    language = lang(language) if language is not None else (
        ask.ask(_("Language (fr or en)"), lang, default="fr") if interactive else "fr")
    timezone = zone(timezone) if timezone is not None else (
        ask.ask(_("Time zone"), zone, default="Europe/Paris") if interactive else "Europe/Paris")
    chief = _organizer(organizer, "--organizer") if organizer else None
    if chief is None and interactive:  # one without an address is asked again
        chief = ask.ask(_('Organizer, who sends the invitations ("Name <email>", empty: none)'),
                        lambda a: _organizer(a, _("organizer")), optional=True)
    people = [inputs.person(m, "--member") for m in member or []]
    if not people and interactive:
        while (p := ask.ask(_('A member ("Name / Organisation <email>", empty: done)'),
                            lambda a: inputs.person(a, _("member")), optional=True)):
            people.append(p)
    text = group_toml(group, name.strip() or group, language, timezone, chief, people)
    _group, problems = read_group(text, path, group)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise UsageError(_("nothing written: {problem}").format(problem=errors[0].message))
    make_folder(path.parent)
    write_atomic(path, text)
    typer.echo(as_typed(str(path)))


def _zone(answer: str) -> str:
    from rencontres.core.errors import UsageError
    from rencontres.records.parse import valid_timezone

    if not valid_timezone(answer.strip()):
        raise UsageError(_("{answer}: not a time zone").format(answer=repr(answer)),
                         _("an IANA name, e.g. Europe/Paris"))
    return answer.strip()


def _language(answer: str) -> str:
    from rencontres.core.errors import UsageError

    if answer.strip() not in ("fr", "en"):
        raise UsageError(_("{answer}: not a language of the tool").format(answer=repr(answer)),
                         _("fr or en"))
    return answer.strip()


# -- edit -----------------------------------------------------------------------------------


def _organizer(value: str, where: str):
    """The organizer as typed: a person with an e-mail address (the invitations' sender)."""
    from rencontres.cli import inputs
    from rencontres.core.errors import UsageError

    chief = inputs.person(value, where)
    if chief is not None and not chief.email:
        raise UsageError(_("{where} {value}: no e-mail address").format(
            where=where, value=repr(value)), _('write "Name <name@example.org>"'))
    return chief
