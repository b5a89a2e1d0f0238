"""actions, agenda, decisions, attendance: between one meeting and the next.

The words shown about meetings (column heads, statuses) are in the group's language;
the logic is in `followup.py`, the documents in `render/pages.py`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

import typer

from rencontres.cli.common import (
    GroupArgument,
    LangOption,
    OutputOption,
    commands,
    complete_groups,
    complete_records,
    group_language,
    load_archive,
    load_group_archive,
    now,
    print_table,
    write_output,
)
from rencontres.cli.outputs import Format, FormatOption
from rencontres.core.i18n import _


def _today(group) -> dt.date:
    from zoneinfo import ZoneInfo

    return now().astimezone(ZoneInfo(group.timezone)).date()


def _table(*columns: tuple[str, Literal["left", "right"]]):
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
    return table


# -- actions ------------------------------------------------------------------------------

@commands.command()
def actions(
    group: Annotated[str | None, typer.Argument(
        metavar=_("GROUP"), autocompletion=complete_groups,
        help=_("Only this group (default: every group)."), show_default=False)] = None,
    show_all: Annotated[bool, typer.Option(
        "--all/--open", help=_("Every action, done and dropped too (default: the open ones)."))
    ] = False,
    owner: Annotated[str | None, typer.Option(
        "--owner", metavar=_("NAME"), help=_("Only the actions of this person (part of the name will do)."),
        show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("JSON instead of a table."))] = False,
    lang: LangOption = None,
) -> None:
    """The actions decided at meetings: owner, task, meeting, due date and status.

    An action is closed where it was written (done = true, done_on = DATE), or by a later
    record's action that follows it (follows = "2007-11-22#2", as `new` writes it).
    """
    from rencontres import followup
    from rencontres.core.text import name_key
    from rencontres.records.archive import refuse

    archive = load_archive(group)
    refuse(archive.errors)  # a list that silently left a broken record out would mislead
    rows = []
    for slug in sorted(archive.meetings):
        for t in followup.tracked(archive.meetings[slug]):
            if not show_all and not t.open:
                continue
            if owner and name_key(owner) not in name_key(t.action.owner):
                continue
            rows.append((slug, t))
    if as_json:
        import json

        typer.echo(json.dumps([{
            "group": slug, "meeting": t.origin.stem, "owner": t.action.owner,
            "task": t.action.task, "due": t.action.due.isoformat() if t.action.due else None,
            "done": t.action.done, "status": t.status,
            "done_on": t.action.done_on.isoformat() if t.action.done_on else None,
            "ref": t.ref, "last_reviewed": t.latest.stem,
        } for slug, t in rows], ensure_ascii=False, indent=2))
        return
    from rencontres.render.tables import WORDS

    w = WORDS[lang or group_language(archive, group)]
    if not rows:
        typer.echo(w["none"] if show_all else w["none_open"])
        return
    several = len(archive.groups) > 1
    heads = [*([w["group"]] if several else []), w["owner"], w["task"], w["decided"], w["due"],
             w["status"]]
    body: list[list[str]] = []
    styles: list[str | None] = []
    for slug, t in rows:
        late = t.overdue(_today(archive.groups[slug]))
        body.append([*([slug] if several else []), t.action.owner or "—", t.action.task,
                     t.origin.day.isoformat(), t.action.due.isoformat() if t.action.due else "",
                     w["overdue"] if late else w[t.status]])
        styles.append("bold red" if late else ("yellow" if t.open else "dim"))  # i18n: styles
    print_table(heads, body, styles=styles)


# -- agenda -------------------------------------------------------------------------------

@commands.command()
def agenda(
    group: GroupArgument = None,
    after: Annotated[str | None, typer.Option(
        "--after", metavar=_("RECORD"), autocompletion=complete_records,
        help=_("The meeting announced by this record's [next] (default: the group's latest "
        "record)."), show_default=False)] = None,
    fmt: FormatOption = Format.markdown,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """The next meeting's agenda (ordre du jour): when and where, approving the previous
    minutes (when group.toml says approve_minutes = true), the planned items, then the
    open actions to review, by owner. Invitations carry the same agenda."""
    from rencontres import followup
    from rencontres.cli.common import load_record
    from rencontres.core.errors import UsageError
    from rencontres.records.archive import refuse
    from rencontres.render.pages import agenda_document, page_text

    if after is not None:
        archive, latest = load_record(after)
        group = latest.group
        refuse(archive.errors)  # the agenda reads the whole group
    else:
        archive, group = load_group_archive(group)
        latest = archive.latest(group)
    g = archive.groups[group]
    if latest is None or latest.next is None:
        raise UsageError(_("{record}: announces no next meeting").format(
            record=latest.key if latest else group),
            _("add a [next] table with its date to the record, or name the record that "
              "announces it with --after RECORD"))
    plan = followup.agenda(g, archive.meetings[group], archive.number, latest)
    language = lang.value if lang else g.language
    write_output(page_text(agenda_document(plan, g, language), fmt.value), output,
                 archive.store)


# -- decisions ------------------------------------------------------------------------------

class RegisterFormat(StrEnum):
    markdown = "markdown"
    spip = "spip"
    html = "html"
    csv = "csv"


@commands.command()
def decisions(
    group: GroupArgument = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar=_("DATE"), help=_("Only meetings on or after this day (YYYY-MM-DD)."),
        show_default=False)] = None,
    fmt: Annotated[RegisterFormat, typer.Option(
        "--format", "-f", metavar="markdown|spip|html|csv",
        help=_("markdown, spip, html or csv."))] = RegisterFormat.markdown,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """The register of decisions, oldest first: each with its meeting, topic and vote."""
    from rencontres import followup
    from rencontres.cli.inputs import day as read_day
    from rencontres.render.pages import page_text, register_document

    archive, group = load_group_archive(group)
    g = archive.groups[group]
    language = lang.value if lang else g.language
    day = read_day(since, "--since") if since is not None else None
    entries = followup.register(archive.meetings[group], day)
    if fmt is RegisterFormat.csv:
        from rencontres.render.tables import csv_bytes, register_rows

        write_output(csv_bytes(register_rows(entries, language), language), output,
                     archive.store)
        return
    write_output(page_text(register_document(entries, g, language), fmt.value), output,
                 archive.store)


# -- attendance -----------------------------------------------------------------------------

class AttendanceFormat(StrEnum):
    table = "table"
    csv = "csv"
    markdown = "markdown"


@commands.command()
def attendance(
    group: GroupArgument = None,
    year: Annotated[int | None, typer.Option(
        "--year", min=1900, max=2200, metavar=_("YYYY"), help=_("Only the meetings of this year."),
        show_default=False)] = None,
    fmt: Annotated[AttendanceFormat, typer.Option(
        "--format", "-f", metavar="table|csv|markdown",
        help=_("table (the terminal), csv or markdown."))
    ] = AttendanceFormat.table,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """Attendance: per person and per organisation, the meetings present, excused and
    absent; per meeting, the people and organisations present."""
    from rencontres import followup
    from rencontres.render import tables

    archive, group = load_group_archive(group)
    lang = lang or archive.groups[group].language
    counts = followup.attendance(archive.meetings[group], year)
    if fmt is AttendanceFormat.csv:
        write_output(tables.csv_bytes(tables.attendance_rows(counts, lang), lang), output,
                     archive.store)
        return
    sections = tables.attendance_sections(counts, lang)
    if fmt is AttendanceFormat.markdown:
        write_output(tables.markdown_tables(sections), output, archive.store)
        return
    for n, (title, head, body) in enumerate(sections):
        typer.echo(("\n" if n else "") + title)
        print_table(head, [[str(c) for c in row] for row in body],
                    right=frozenset(range(1, len(head))))
