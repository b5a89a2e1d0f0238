"""new, check, list, show: the records themselves."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from rencontres.cli import app, console, load_archive, load_record, open_store

# -- check ---------------------------------------------------------------------


def _shown(path: str) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


@app.command()
def check(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Records, group folders or a records folder (default: every record).",
        show_default=False)] = None,
) -> None:
    """Check records: syntax, keys, types, dates, e-mails, duplicates, numbering.

    Prints each problem as `path:line: error|warning: message`, then a summary.
    Exits 1 when there is an error (warnings alone exit 0).
    """
    from rencontres.archive import Archive
    from rencontres.errors import NotFound
    from rencontres.model import Problem
    from rencontres.store import GROUP_FILE, STATE_FILE, STEM_RE, Store, absolute

    problems, counted = [], 0
    for path in paths or [None]:
        if path is None:  # every record
            archive = load_archive()
        elif not path.exists() and not path.is_symlink():
            raise NotFound(f"{path}: no such file or folder")
        elif not path.is_dir():  # a record, a group.toml or a state.toml
            counted += 1
            folder = absolute(path).parent
            if path.name == STATE_FILE:
                problems += _state_problems(Store(folder.parent), folder.name)
            elif path.name != GROUP_FILE and not (path.suffix == ".toml"
                                                  and STEM_RE.match(path.stem)):
                problems.append(Problem(str(path), None, "error", "not a record (a meeting "
                                        "is YYYY-MM-DD.toml in a group folder, the group "
                                        "group.toml)"))
            else:
                archive = Archive.load(Store(folder.parent), group=folder.name)
                problems += archive.problems_of(path)
            continue
        elif Store.is_group_folder(path):
            folder = absolute(path)
            archive = Archive.load(Store(folder.parent), group=folder.name)
        else:  # a records folder
            archive = Archive.load(Store(path))
        problems += archive.problems
        counted += archive.files_read
        for slug in archive.groups:
            problems += _state_problems(archive.store, slug)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    for p in sorted(problems, key=lambda p: (p.path, p.line or 0)):
        typer.echo(_shown_problem(p))
    plural = "s" if counted != 1 else ""
    summary = (f"{counted} file{plural} checked: {errors} error{'s' * (errors != 1)}, "
               f"{warnings} warning{'s' * (warnings != 1)}")
    typer.echo(summary, err=True)
    if errors:
        raise typer.Exit(1)


def _state_problems(store, slug: str) -> list:
    """A damaged state.toml, as a problem of `check`."""
    from rencontres.errors import Unreadable
    from rencontres.model import Problem

    try:
        store.read_state(slug)
    except Unreadable as exc:
        return [Problem(str(exc.path), exc.line, "error", exc.reason)]
    return []


# -- list ----------------------------------------------------------------------


@app.command("list")
def list_(
    group: Annotated[str | None, typer.Argument(help="Only this group.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """List meetings in date order: date, number, title, participants present, next meeting."""
    archive = load_archive(group)
    rows = []
    for m in archive.all_meetings():
        nxt = m.next.date.isoformat(timespec="minutes") if m.next else None
        rows.append({
            "group": m.group,
            "date": m.date.isoformat(timespec="minutes") if m.start else m.date.isoformat(),
            "number": archive.number(m),
            "title": archive.title(m),
            "path": _shown(str(archive.path(m))),
            "participants": len(m.attending()),
            "next": nxt,
        })
    errors = archive.errors
    if as_json:
        import json

        if errors:  # a script must never take part of the archive for the whole
            _refuse_listing(errors)
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold")
    several = len(archive.groups) > 1
    if several:
        table.add_column("group")
    for name, justify in (("date", "left"), ("no.", "right"), ("title", "left"),
                          ("present", "right"), ("next", "left")):
        table.add_column(name, justify=justify)
    for r in rows:
        cells = [r["date"], str(r["number"] or ""), r["title"],
                 str(r["participants"] or ""), (r["next"] or "").replace("T", " ")]
        table.add_row(*(Text(c) for c in ([r["group"]] if several else []) + cells))  # no markup
    console().print(table)
    if errors:
        _refuse_listing(errors)


def _refuse_listing(errors) -> None:
    from rencontres.errors import InvalidRecord

    for p in errors:
        typer.echo(f"{_shown_problem(p)}", err=True)
    n = len(errors)
    raise InvalidRecord(f"{n} error{'s' * (n != 1)} in the records: what they hold is not "
                        "listed", "fix them (see `rencontres check`)")


def _shown_problem(p) -> str:
    where = f"{_shown(p.path)}:{p.line}" if p.line else _shown(p.path)
    return f"{where}: {p.severity}: {p.message}"


# -- show ----------------------------------------------------------------------


@app.command()
def show(record: Annotated[str, typer.Argument(
        help="A record: path, GROUP/YYYY-MM-DD, or a date.", show_default=False)]) -> None:
    """Show one meeting in the terminal."""
    import datetime as dt

    from rich.markup import escape

    from rencontres import words
    from rencontres.render import decision_text

    archive, m = load_record(record)
    group = archive.group_of(m)
    out = console()

    def when(d) -> str:
        if isinstance(d, dt.datetime):
            return f"{words.date_long(d.date(), 'en', True)} at {words.time_of_day(d.time(), 'en')}"
        return words.date_long(d, "en", True)

    out.print(f"[bold]{escape(archive.title(m))}[/bold]  [dim]{escape(group.name)} · {escape(m.key)}[/dim]")
    if m.subtitle:
        out.print(f"[italic]{escape(m.subtitle)}[/italic]")
    place = ", ".join(x for x in (m.venue, m.address) if x)
    out.print(f"{when(m.date)}" + (f" — {escape(place)}" if place else ""))
    for attendance, label in (("present", "Present"), ("excused", "Excused"), ("absent", "Absent")):
        people = m.attending(attendance)
        if people:
            names = "; ".join(
                escape(p.name + (f" / {' '.join(x for x in (p.person.role, p.person.organization) if x)}"
                                 if p.person.organization or p.person.role else ""))
                for p in people)
            out.print(f"[bold]{label}[/bold] ({len(people)}): {names}")
    if m.context:
        out.print(f"\n[bold]Context[/bold]\n{escape(m.context.strip())}")
    for i, topic in enumerate(m.topics, start=1):
        out.print(f"\n[bold]{i}. {escape(topic.title)}[/bold]")
        if topic.body:
            first = topic.body.strip().split("\n\n")[0]
            more = topic.body.strip().count("\n\n")
            out.print(escape(first if len(first) < 400 else first[:400] + "…")
                      + (f" [dim](+{more} paragraph{'s' * (more != 1)})[/dim]" if more else ""))
        for d in topic.decisions:
            out.print(f"  [green]decision[/green] {escape(decision_text(d, 'en'))}")
        for a in topic.actions:
            mark = "[dim]done[/dim]" if a.done else "[yellow]action[/yellow]"
            due = f" (due {a.due.isoformat()})" if a.due else ""
            owner = f"{a.owner}: " if a.owner else ""
            out.print(f"  {mark} {escape(owner + a.task + due)}")
    if m.next:
        n = m.next
        place = ", ".join(x for x in (n.venue, n.address) if x)
        extra = f" ({n.phone})" if n.phone else ""
        out.print(f"\n[bold]Next meeting[/bold]: {when(n.date)}"
                  + (f" — {escape(place)}{escape(extra)}" if place or extra else ""))
        for item in n.agenda:
            out.print(f"  - {escape(item)}")
    problems = archive.problems_of(archive.path(m))
    for p in problems:
        out.print(f"[yellow]{escape(str(p))}[/yellow]")


# -- new -----------------------------------------------------------------------


@app.command()
def new(
    group: Annotated[str | None, typer.Argument(
        help="The group (default: the only one).", show_default=False)] = None,
    date: Annotated[str | None, typer.Option(
        help="YYYY-MM-DD[THH:MM] (default: the previous record's next meeting).",
        show_default=False)] = None,
    venue: Annotated[str | None, typer.Option(help="Where it takes place.",
                                              show_default=False)] = None,
    participant: Annotated[list[str] | None, typer.Option(
        help='"Name / Organisation <email>" (repeatable).', show_default=False)] = None,
    topic: Annotated[list[str] | None, typer.Option(
        help="A topic's title (repeatable).", show_default=False)] = None,
    next_: Annotated[str | None, typer.Option(
        "--next", help="The next meeting: YYYY-MM-DDTHH:MM.", show_default=False)] = None,
    next_venue: Annotated[str | None, typer.Option(help="The next meeting's venue.",
                                                   show_default=False)] = None,
    same_day: Annotated[bool, typer.Option(
        "--same-day", help="A second meeting that day: write YYYY-MM-DD-2.toml.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing record of that date.")] = False,
    interactive: Annotated[bool | None, typer.Option(
        "--interactive/--no-input",
        help="Ask for what is missing (default: when run in a terminal).",
        show_default=False)] = None,
) -> None:
    """Create a meeting record, by prompts or from flags, and print its path."""
    import datetime as dt

    from rencontres.archive import Archive, refuse
    from rencontres.errors import InvalidRecord, Refused, UsageError
    from rencontres.newrecord import Draft, parse_participant, parse_when, to_toml
    from rencontres.parse import read_meeting
    from rencontres.store import write_atomic

    store = open_store()
    if group is None:
        groups = store.groups()
        if len(groups) != 1:
            raise UsageError("which group?", f"name one of: {', '.join(groups) or 'none yet'}")
        group = groups[0]
    store.require_group(group)
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    archive = Archive.load(store, group=group)
    refuse(archive.group_errors(group))
    latest = archive.latest(group)
    announced = latest.next.date if latest is not None and latest.next is not None else None

    when = parse_when(date, "--date") if date is not None else None
    if when is None:
        if interactive:
            answer = typer.prompt("Date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)",
                                  default=announced.isoformat(timespec="minutes")
                                  if announced else None)
            when = parse_when(answer, "date")
        elif announced is not None:
            when = announced
        else:
            raise UsageError("--date is required (the last record announces no next meeting)",
                             "pass --date YYYY-MM-DD[THH:MM]")
    day = when.date() if isinstance(when, dt.datetime) else when
    stem = store.free_stem(group, day.isoformat()) if same_day else day.isoformat()
    path = store.meeting_path(group, stem)
    if path.exists() and not force:  # say so now, before any question
        raise Refused(f"{_shown(str(path))}: already exists, left untouched",
                      "edit it, or use --same-day for a second meeting that day, "
                      "or --force to replace it")

    draft = Draft(date=when)
    # The record that announced this meeting in its [next] gives its place, end and UID.
    announcing = next((m for m in reversed(archive.meetings[group])
                       if m.next is not None and m.next.date.date() == day), None)
    planned = announcing.next if announcing is not None else None
    if planned is not None:
        draft.address = planned.address
        draft.end = planned.end if planned.date == when else None
        draft.uid = _carried_uid(store, group, announcing.stem)
    if venue is None:
        default_venue = planned.venue if planned is not None else ""
        venue = (typer.prompt("Venue", default=default_venue, show_default=bool(default_venue))
                 if interactive else default_venue)
    draft.venue = venue.strip()

    people = [(parse_participant(p), "present") for p in participant or []]
    if not people and interactive:
        people = _ask_participants(archive.groups[group].members)
    draft.participants = people

    titles = list(topic or [])
    if interactive:
        draft.topics = _ask_topics(titles)
    else:
        draft.topics = [{"title": t} for t in titles]

    nxt = parse_when(next_, "--next", need_time=True) if next_ is not None else None
    if nxt is None and interactive:
        answer = typer.prompt("Next meeting (YYYY-MM-DDTHH:MM, empty: none)", default="",
                              show_default=False)
        nxt = parse_when(answer, "next meeting", need_time=True) if answer.strip() else None
    if nxt is not None:
        if next_venue is None and interactive:
            next_venue = typer.prompt("Next meeting's venue", default=draft.venue or "",
                                      show_default=bool(draft.venue))
        draft.next = {"date": nxt, "venue": (next_venue or "").strip()}
    elif next_venue:
        raise UsageError("--next-venue needs --next", "give the next meeting's date too")

    text = to_toml(draft.data(), header=f"# {archive.groups[group].name}: the meeting of "
                                        f"{day.isoformat()}\n\n")
    _, problems = read_meeting(text, path, group)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InvalidRecord(f"nothing written: {errors[0].message}")
    write_atomic(path, text, overwrite=force)
    typer.echo(_shown(str(path)))


def _carried_uid(store, group: str, previous_stem: str) -> str:
    """The UID the previous record's invitation gave this meeting, if one was sent."""
    try:
        from rencontres.invitations import uid_for_next
    except ImportError:  # invitations not built yet
        return ""
    return uid_for_next(store.read_state(group), previous_stem) or ""


def _ask_participants(members) -> list:
    from rencontres.newrecord import parse_participant

    people = []
    choices = {"p": "present", "e": "excused", "a": "absent"}
    for person in members:
        label = person.name + (f" / {person.organization}" if person.organization else "")
        answer = typer.prompt(f"{label}: [p]resent, [e]xcused, [a]bsent", default="p")
        people.append((person, choices.get(answer.strip().lower()[:1], "present")))
    while True:
        extra = typer.prompt('Another participant ("Name / Organisation <email>", empty: done)',
                             default="", show_default=False)
        if not extra.strip():
            return people
        people.append((parse_participant(extra), "present"))


def _ask_topics(titles: list[str]) -> list[dict]:
    topics = []
    pending = list(titles)
    while True:
        title = pending.pop(0) if pending else typer.prompt(
            "Topic title (empty: done)", default="", show_default=False).strip()
        if not title:
            return topics
        body = ""
        if typer.confirm(f"Write the text of “{title}” in your editor?", default=False):
            body = _edit("")
        decisions = []
        while True:
            d = typer.prompt("  Decision (empty: done)", default="", show_default=False).strip()
            if not d:
                break
            decisions.append(d)
        topics.append({"title": title, "body": body, "decisions": decisions})


def _edit(text: str) -> str:
    """Open $VISUAL or $EDITOR on a temporary Markdown file; return what was saved."""
    import shlex
    import subprocess
    import tempfile

    from rencontres.errors import UsageError

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "topic.md"
        path.write_text(text, encoding="utf-8")
        try:
            subprocess.run([*shlex.split(editor), str(path)], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise UsageError(f"editor {editor!r} failed ({exc})", "set $EDITOR") from None
        body = path.read_text(encoding="utf-8")
    return body.strip() + "\n" if body.strip() else ""
