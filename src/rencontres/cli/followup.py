"""actions, agenda, decisions, attendance: between one meeting and the next.

The words shown about meetings (column heads, statuses) are in the group's language;
the logic is in `followup.py`, the documents in `render/pages.py`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import typer

from rencontres.cli import OutputOption, app, console, load_archive, now, write_output
from rencontres.cli.outputs import Format, FormatOption, GroupArgument, LangOption

WORDS = {
    "fr": {"owner": "responsable", "task": "action", "decided": "décidée le", "due": "échéance",
           "status": "état", "open": "à faire", "done": "faite", "dropped": "abandonnée",
           "overdue": "en retard", "group": "groupe", "none": "Aucune action {which}.",
           "which_open": "ouverte", "which_all": "", "person": "personne",
           "organization": "organisation", "meeting": "rencontre", "name": "nom",
           "present": "présents", "excused": "excusés", "absent": "absents",
           "orgs_present": "organisations présentes", "people": "Participants",
           "orgs": "Organisations", "meetings": "Rencontres", "date": "date",
           "topic": "sujet", "decision": "décision", "for": "pour", "against": "contre",
           "abstain": "abstentions", "unanimous": "unanimité", "result": "résultat",
           "yes": "oui"},
    "en": {"owner": "owner", "task": "action", "decided": "decided", "due": "due",
           "status": "status", "open": "open", "done": "done", "dropped": "dropped",
           "overdue": "overdue", "group": "group", "none": "No {which} actions.",
           "which_open": "open", "which_all": "", "person": "person",
           "organization": "organisation", "meeting": "meeting", "name": "name",
           "present": "present", "excused": "excused", "absent": "absent",
           "orgs_present": "organisations present", "people": "Participants",
           "orgs": "Organisations", "meetings": "Meetings", "date": "date",
           "topic": "topic", "decision": "decision", "for": "for", "against": "against",
           "abstain": "abstentions", "unanimous": "unanimous", "result": "result",
           "yes": "yes"},
}


def _checked(group: str | None, need_one: bool = False):
    """The archive (one group, or all), refused while any record has an error: a list
    that silently leaves a broken record out would mislead."""
    from rencontres.archive import refuse
    from rencontres.errors import UsageError

    archive = load_archive(group)
    refuse(archive.errors)
    if need_one and group is None:
        if len(archive.groups) != 1:
            raise UsageError("which group?", f"name one of: {', '.join(archive.groups) or 'none'}")
        group = next(iter(archive.groups))
    return archive, group


def _today(group) -> dt.date:
    from zoneinfo import ZoneInfo

    return now().astimezone(ZoneInfo(group.timezone)).date()


def _csv(rows: list[list], lang: str) -> bytes:
    """CSV that LibreOffice and Excel open as is: UTF-8 with a BOM (accents intact), CRLF,
    the header row first, `;` for a French group (what Excel expects there), `,` else."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _table(*columns: tuple[str, str]):
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
    return table


# -- actions ------------------------------------------------------------------------------

@app.command()
def actions(
    group: GroupArgument = None,
    show_all: Annotated[bool, typer.Option(
        "--all/--open", help="Every action, done and dropped too (default: the open ones).")
    ] = False,
    owner: Annotated[str | None, typer.Option(
        "--owner", help="Only the actions of this person (part of the name will do).",
        show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """The actions decided at meetings: owner, task, meeting, due date and status.

    An action is closed where it was written (done = true, done_on = DATE), or by a later
    record's action that follows it (follows = "2007-11-22#2", as `new` writes it).
    """
    from rich.text import Text

    from rencontres import followup

    archive, _ = _checked(group)
    rows = []
    for slug in sorted(archive.meetings):
        for t in followup.tracked(archive.meetings[slug]):
            if not show_all and not t.open:
                continue
            if owner and " ".join(owner.casefold().split()) not in \
                    " ".join(t.action.owner.casefold().split()):
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
    lang = _language(archive, group)
    w = WORDS[lang]
    if not rows:
        which = w["which_open"] if not show_all else w["which_all"]
        typer.echo(" ".join(w["none"].format(which=which).split()))
        return
    several = len(archive.groups) > 1
    columns = [(w["owner"], "left"), (w["task"], "left"), (w["decided"], "left"),
               (w["due"], "left"), (w["status"], "left")]
    table = _table(*([(w["group"], "left")] if several else []), *columns)
    for slug, t in rows:
        late = t.overdue(_today(archive.groups[slug]))
        status = w["overdue"] if late else w[t.status]
        style = "bold red" if late else ("yellow" if t.open else "dim")
        cells = [Text(t.action.owner or "—"), Text(t.action.task), Text(t.origin.day.isoformat()),
                 Text(t.action.due.isoformat() if t.action.due else ""), Text(status, style=style)]
        table.add_row(*([Text(slug)] if several else []), *cells)
    console().print(table)


def _language(archive, group: str | None) -> str:
    """The group's language; for several groups, theirs if they share one, else French."""
    langs = {g.language for slug, g in archive.groups.items() if group in (None, slug)}
    return langs.pop() if len(langs) == 1 else "fr"


# -- agenda -------------------------------------------------------------------------------

@app.command()
def agenda(
    group: GroupArgument = None,
    after: Annotated[str | None, typer.Option(
        "--after", metavar="RECORD", help="The meeting announced by this record's [next] "
        "(default: the group's latest record).", show_default=False)] = None,
    fmt: FormatOption = Format.markdown,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """The next meeting's agenda (ordre du jour): when and where, approving the previous
    minutes (when group.toml says approve_minutes = true), the planned items, then the
    open actions to review, by owner. Invitations carry the same agenda."""
    from rencontres import followup
    from rencontres.archive import refuse
    from rencontres.cli import load_record
    from rencontres.errors import UsageError
    from rencontres.render.pages import agenda_document, page_text

    if after is not None:
        archive, latest = load_record(after)
        group = latest.group
        refuse(archive.errors)  # the agenda reads the whole group
    else:
        archive, group = _checked(group, need_one=True)
        latest = archive.latest(group)
    g = archive.groups[group]
    if latest is None or latest.next is None:
        raise UsageError(f"{latest.key if latest else group}: announces no next meeting",
                         "add a [next] table with its date to the record, or name the "
                         "record that announces it with --after RECORD")
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


@app.command()
def decisions(
    group: GroupArgument = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only meetings on or after this day (YYYY-MM-DD).",
        show_default=False)] = None,
    fmt: Annotated[RegisterFormat, typer.Option(
        "--format", "-f", help="markdown, spip, html or csv.")] = RegisterFormat.markdown,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """The register of decisions, oldest first: each with its meeting, topic and vote."""
    from rencontres import followup
    from rencontres.newrecord import parse_when
    from rencontres.render import decision_text
    from rencontres.render.pages import page_text, register_document

    archive, group = _checked(group, need_one=True)
    g = archive.groups[group]
    language = lang.value if lang else g.language
    day = None
    if since is not None:
        day = parse_when(since, "--since")
        day = day.date() if isinstance(day, dt.datetime) else day
    entries = followup.register(archive.meetings[group], day)
    if fmt is RegisterFormat.csv:
        w = WORDS[language]
        rows = [[w["date"], w["topic"], w["decision"], w["for"], w["against"], w["abstain"],
                 w["unanimous"], w["result"]]]
        for e in entries:
            d = e.decision
            result = decision_text(d, language)[len(d.text):].strip(" ()") if d.voted else ""
            rows.append([e.meeting.day.isoformat(), e.topic, d.text,
                         *("" if v is None else v for v in (d.votes_for, d.against, d.abstain)),
                         w["yes"] if d.unanimous else "", result])
        write_output(_csv(rows, language), output, archive.store)
        return
    write_output(page_text(register_document(entries, g, language), fmt.value), output,
                 archive.store)


# -- attendance -----------------------------------------------------------------------------

class AttendanceFormat(StrEnum):
    table = "table"
    csv = "csv"
    markdown = "markdown"


@app.command()
def attendance(
    group: GroupArgument = None,
    year: Annotated[int | None, typer.Option(
        "--year", min=1900, max=2200, help="Only the meetings of this year.",
        show_default=False)] = None,
    fmt: Annotated[AttendanceFormat, typer.Option(
        "--format", "-f", help="table (the terminal), csv or markdown.")
    ] = AttendanceFormat.table,
    output: OutputOption = None,
) -> None:
    """Attendance: per person and per organisation, the meetings present, excused and
    absent; per meeting, the people and organisations present."""
    from rencontres import followup

    archive, group = _checked(group, need_one=True)
    lang = archive.groups[group].language
    w = WORDS[lang]
    counts = followup.attendance(archive.meetings[group], year)
    heads = [w["name"], w["present"], w["excused"], w["absent"]]
    sections = [
        (w["people"], [[t.name, t.present, t.excused, t.absent] for t in counts.people]),
        (w["orgs"], [[t.name, t.present, t.excused, t.absent] for t in counts.organizations]),
    ]
    per_meeting = [[c.meeting.day.isoformat(), c.people, c.organizations] for c in counts.meetings]
    meeting_heads = [w["date"], w["present"], w["orgs_present"]]
    if fmt is AttendanceFormat.csv:
        rows = [["type", *heads, w["orgs_present"]]]
        for kind, (_, section) in zip((w["person"], w["organization"]), sections, strict=True):
            rows += [[kind, *row, ""] for row in section]
        rows += [[w["meeting"], day, people, "", "", orgs] for day, people, orgs in per_meeting]
        write_output(_csv(rows, lang), output, archive.store)
        return
    if fmt is AttendanceFormat.markdown:
        from rencontres.render.markdown import escape

        def md(title: str, head: list[str], body: list[list]) -> str:
            lines = [f"## {escape(title)}", "", "| " + " | ".join(map(escape, head)) + " |",
                     "|" + "|".join(["---"] + ["--:"] * (len(head) - 1)) + "|"]
            lines += ["| " + " | ".join(escape(str(c)) for c in row) + " |" for row in body]
            return "\n".join(lines)

        parts = [md(title, heads, body) for title, body in sections]
        parts.append(md(w["meetings"], meeting_heads, per_meeting))
        write_output("\n\n".join(parts) + "\n", output, archive.store)
        return
    from rich.text import Text

    out = console()
    for title, head, body in (*((t, heads, b) for t, b in sections),
                              (w["meetings"], meeting_heads, per_meeting)):
        table = _table(*((h, "left" if i == 0 else "right") for i, h in enumerate(head)))
        for row in body:
            table.add_row(*(Text(str(c)) for c in row))
        out.print(Text(title, style="bold"))
        out.print(table)
        out.print()
