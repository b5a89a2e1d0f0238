"""new, edit: writing the records themselves.

`new` asks (or takes flags) for everything a meeting's record holds, pre-filled from what
the group already knows: the date, place and end the previous record announced, the agenda
it planned (each item a topic), the actions still open (a first topic to review them, each
a follow-up naming the action). A bad answer is explained and asked again; Ctrl-C writes
nothing (exit 130). `edit` opens a record in the user's editor and checks it on the way back.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from rencontres.cli import as_typed, commands, only_group, open_store
from rencontres.core.errors import RencontresError


class _OrderedCommand(TyperCommand):
    """Remembers, for each --action, how many --topic came before it on the command line
    (click collects each option's values apart, losing their interleaving)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        topics, order = 0, []
        for arg in args:
            if arg == "--" or not arg.startswith("--"):
                continue
            name = arg.split("=", 1)[0]
            if name == "--topic":
                topics += 1
            elif name == "--action":
                order.append(topics)
        ctx.meta["rencontres.action_topics"] = order
        return super().parse_args(ctx, args)


class Asker:
    """Prompts that never lose an answer: a bad one is explained and asked again."""

    def ask(self, label: str, parse: Callable[[str], Any] = str, default: str | None = None,
            optional: bool = False) -> Any:
        while True:
            answer = typer.prompt(label, default=default if default is not None
                                  else ("" if optional else None),
                                  show_default=bool(default))
            if optional and not answer.strip():
                return None
            try:
                return parse(answer)
            except RencontresError as exc:
                typer.echo(f"  {exc} — try again", err=True)

    def confirm(self, label: str, default: bool = False) -> bool:
        return typer.confirm(label, default=default)


# -- new ------------------------------------------------------------------------------------

@commands.command(cls=_OrderedCommand)
def new(
    ctx: typer.Context,
    group: Annotated[str | None, typer.Argument(
        help="The group (default: the only one).", show_default=False)] = None,
    date: Annotated[str | None, typer.Option(
        help="YYYY-MM-DD[THH:MM], or 16/01/2008 14h (default: the previous record's next "
        "meeting).", show_default=False)] = None,
    end: Annotated[str | None, typer.Option(
        help="When it ended: HH:MM.", show_default=False)] = None,
    venue: Annotated[str | None, typer.Option(help="Where it takes place.",
                                              show_default=False)] = None,
    address: Annotated[str | None, typer.Option(help="Its address.", show_default=False)] = None,
    context: Annotated[str | None, typer.Option(
        help='The "Repère" paragraph (Markdown).', show_default=False)] = None,
    participant: Annotated[list[str] | None, typer.Option(
        help='"Name / Organisation <email>" (repeatable).', show_default=False)] = None,
    topic: Annotated[list[str] | None, typer.Option(
        help="A topic's title (repeatable).", show_default=False)] = None,
    action: Annotated[list[str] | None, typer.Option(
        help='"Owner : task [YYYY-MM-DD]", after the --topic it belongs to (repeatable).',
        show_default=False)] = None,
    next_: Annotated[str | None, typer.Option(
        "--next", help="The next meeting: YYYY-MM-DDTHH:MM.", show_default=False)] = None,
    next_venue: Annotated[str | None, typer.Option(help="The next meeting's venue.",
                                                   show_default=False)] = None,
    next_address: Annotated[str | None, typer.Option(help="The next meeting's address.",
                                                     show_default=False)] = None,
    agenda: Annotated[list[str] | None, typer.Option(
        help="An item of the next meeting's agenda (repeatable).", show_default=False)] = None,
    same_day: Annotated[bool, typer.Option(
        "--same-day", help="A second meeting that day: write YYYY-MM-DD-2.toml.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing record of that date (its text is kept beside it, "
        "as .replaced).")] = False,
    interactive: Annotated[bool | None, typer.Option(
        "--interactive/--no-input",
        help="Ask for what is missing (default: when run in a terminal).",
        show_default=False)] = None,
) -> None:
    """Create a meeting record, by prompts or from flags, and print its path.

    Pre-filled from the previous record: the date, place and end it announced, its planned
    agenda as topics, and the open actions to review (each written as a follow-up, `follows`).
    A stub (date and title only) of that date is completed, its comments kept.
    """
    import datetime as dt

    from rencontres import followup
    from rencontres.core.errors import InvalidRecord, Refused, UsageError
    from rencontres.core.model import is_stub
    from rencontres.entry.draft import Draft, follow_ups
    from rencontres.entry.input import parse_action, parse_participant, parse_time, parse_when
    from rencontres.records.archive import Archive, refuse
    from rencontres.records.parse import loads, read_meeting
    from rencontres.records.store import read_text, write_atomic
    from rencontres.records.write import complete_stub, to_toml
    from rencontres.render import LABELS

    store = open_store()
    if group is None:
        group = only_group(store.root, store.groups())
    store.require_group(group)
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    ask = Asker()
    archive = Archive.load(store, group=group)
    refuse(archive.group_errors(group))
    g = archive.groups[group]
    announced = _announced(archive.meetings[group])

    # Flags are read first: a bad one stops before any question.
    when = parse_when(date, "--date") if date is not None else None
    end_time = parse_time(end, "--end") if end is not None else None
    people = [(parse_participant(p), "present") for p in participant or []]
    flag_topics = [{"title": t.strip()} for t in topic or [] if t.strip()]
    order = ctx.meta.get("rencontres.action_topics", [])
    for spec, n in zip(action or [], order, strict=True):
        if n == 0:
            raise UsageError(f"--action {spec!r} comes before any --topic",
                             "put each --action after the --topic it belongs to")
        flag_topics[n - 1].setdefault("actions", []).append(parse_action(spec))
    nxt = parse_when(next_, "--next", need_time=True) if next_ is not None else None
    if nxt is None and (next_venue or next_address or agenda):
        raise UsageError("--next-venue, --next-address and --agenda need --next",
                         "give the next meeting's date too")

    if when is None:
        if interactive:
            when = ask.ask("Date (YYYY-MM-DD[THH:MM], or 16/01/2008 14h)",
                           lambda a: parse_when(a, "date"),
                           default=announced.isoformat(timespec="minutes") if announced else None)
        elif announced is not None:
            when = announced
        else:
            raise UsageError("--date is required (the last record announces no next meeting)",
                             "pass --date YYYY-MM-DD[THH:MM]")
    day = when.date() if isinstance(when, dt.datetime) else when
    stem = store.free_stem(group, day.isoformat()) if same_day else day.isoformat()
    path = store.meeting_path(group, stem)
    stub = None  # (text, data) of a stub to complete
    if path.exists():  # decide now, before any question
        text = read_text(path)
        data, _ = loads(text, str(path))
        if data is not None and is_stub(data) and not force:
            stub = (text, data)
        elif not force:
            raise Refused(f"{as_typed(str(path))}: already exists, left untouched",
                          "edit it (`rencontres edit`), or use --same-day for a second meeting "
                          "that day, or --force to replace it (its text is kept beside it)")

    draft = Draft(date=when)
    earlier = [m for m in archive.meetings[group] if m.day < day]
    announcing = next((m for m in reversed(earlier)
                       if m.next is not None and m.next.date.date() == day), None)
    planned = announcing.next if announcing is not None else None
    if planned is not None:
        draft.end = planned.end if planned.date == when else None
        draft.uid = _carried_uid(store, group, announcing.stem)
    if end_time is not None:
        draft.end = end_time
    draft.venue = (venue if venue is not None else
                   ask.ask("Venue", default=planned.venue if planned else "", optional=True)
                   if interactive else (planned.venue if planned else "")) or ""
    draft.address = (address if address is not None else
                     ask.ask("Address", default=planned.address if planned else "",
                             optional=True)
                     if interactive else (planned.address if planned else "")) or ""
    if interactive and end is None and isinstance(when, dt.datetime):
        shown = draft.end.strftime("%H:%M") if isinstance(draft.end, dt.time) else None
        draft.end = ask.ask("End (HH:MM, empty: none)", lambda a: parse_time(a, "end"),
                            default=shown, optional=True)
    if context is not None:
        draft.context = context
    elif interactive:
        draft.context = _ask_text(ask, 'Context ("Repère"): one line, "e" for your editor, '
                                       "empty: none") or ""

    if not people and interactive:
        people = _ask_participants(ask, g.members)
    draft.participants = people
    names = [p.name for p, _ in people] or [m.name for m in g.members]

    lang = g.language
    review = follow_ups(followup.open_actions(earlier))
    topics = []
    if review:
        topics.append({"title": LABELS[lang]["review"], "actions": review})
    topics += [{"title": item} for item in (planned.agenda if planned else ()) if item.strip()]
    topics += flag_topics
    if interactive:
        draft.topics = _ask_topics(ask, topics, names, review)
    else:
        draft.topics = topics

    if nxt is None and interactive:
        nxt = ask.ask("Next meeting (YYYY-MM-DDTHH:MM, empty: none)",
                      lambda a: parse_when(a, "next meeting", need_time=True), optional=True)
    if nxt is not None:
        if next_venue is None and interactive:
            next_venue = ask.ask("Next meeting's venue", default=draft.venue, optional=True)
        if next_address is None and interactive:
            same = (next_venue or "").strip() == draft.venue
            next_address = ask.ask("Next meeting's address",
                                   default=draft.address if same else "", optional=True)
        items = [a.strip() for a in agenda or [] if a.strip()]
        if not items and interactive:
            items = _ask_list(ask, "Next meeting's agenda item")
        draft.next = {"date": nxt, "venue": (next_venue or "").strip(),
                      "address": (next_address or "").strip(), "agenda": items}

    data = draft.data()
    if stub is not None:
        text = complete_stub(stub[0], stub[1], data)
    else:
        text = to_toml(data, header=f"# {g.name}: the meeting of {day.isoformat()}\n\n")
    meeting, problems = read_meeting(text, path, group)
    if meeting is not None:
        from rencontres.records.checks import check_local_times

        problems += check_local_times(meeting, g, str(path))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InvalidRecord(f"nothing written: {errors[0].message}")
    for p in problems:
        typer.echo(f"{p.severity}: {p.message}", err=True)
    if force and path.exists():
        kept = store.keep_copy(path)
        write_atomic(path, text, overwrite=True)
        typer.echo(f"replaced {as_typed(str(path))}; its previous text is in {as_typed(str(kept))}", err=True)
    else:
        write_atomic(path, text, overwrite=stub is not None)
        if stub is not None:
            typer.echo(f"completed the stub {as_typed(str(path))} (its lines and comments kept)",
                       err=True)
    typer.echo(as_typed(str(path)))


def _announced(meetings):
    """The meeting to write next: the latest announced in a [next] that has no record yet,
    or only a stub (date and title known from the section index)."""
    from rencontres.core.model import transcribed as said

    transcribed = {m.day for m in meetings if said(m)}
    for m in reversed(meetings):
        if m.next is not None:
            return m.next.date if m.next.date.date() not in transcribed else None
    return None


def _carried_uid(store, group: str, previous_stem: str) -> str:
    """The UID the previous record's invitation gave this meeting, if one was sent."""
    from rencontres.invite.state import read_state, uid_for_next

    return uid_for_next(read_state(store, group), previous_stem) or ""


def _attendance(answer: str) -> str:
    from rencontres.core.errors import UsageError

    choices = {"p": "present", "e": "excused", "a": "absent"}
    key = answer.strip().lower()
    if key[:1] in choices and choices[key[:1]].startswith(key):
        return choices[key[:1]]
    raise UsageError(f"{answer!r}: not an answer", "type p (present), e (excused) or a (absent)")


def _ask_participants(ask: Asker, members) -> list:
    from rencontres.entry.input import parse_participant

    people = []
    for person in members:
        label = person.name + (f" / {person.organization}" if person.organization else "")
        people.append((person, ask.ask(f"{label}: [p]resent, [e]xcused, [a]bsent", _attendance,
                                       default="p")))
    while True:
        extra = ask.ask('Another participant ("Name / Organisation <email>", empty: done)',
                        lambda a: parse_participant(a, "participant"), optional=True)
        if extra is None:
            return people
        people.append((extra, "present"))


def _ask_text(ask: Asker, label: str) -> str | None:
    answer = ask.ask(label, optional=True)
    if answer is not None and answer.strip().lower() == "e":
        return _edit("")
    return answer


def _ask_list(ask: Asker, label: str) -> list[str]:
    items = []
    while (item := ask.ask(f"{label} (empty: done)", optional=True)) is not None:
        if item.strip():
            items.append(item.strip())
    return items


def _owner(names: list[str]) -> Callable[[str], str]:
    def parse(answer: str) -> str:
        from rencontres.core.errors import UsageError

        answer = answer.strip()
        if answer.isdigit():
            if not 1 <= int(answer) <= len(names):
                raise UsageError(f"{answer}: no such number", f"give 1 to {len(names)}, or a name")
            return names[int(answer) - 1]
        return answer
    return parse


def _ask_actions(ask: Asker, names: list[str]) -> list[dict]:
    from rencontres.entry.input import parse_day

    choices = ", ".join(f"{i} {n}" for i, n in enumerate(names, 1))
    actions = []
    while True:
        owner = ask.ask(f"  Action owner ({choices + '; ' if choices else ''}a number or a name; "
                        "empty: no more actions)", _owner(names), optional=True)
        if owner is None:
            return actions
        task = ask.ask("    Task", lambda a: a.strip() or _no_task())
        due = ask.ask("    Due date (YYYY-MM-DD, empty: none)",
                      lambda a: parse_day(a, "due date"), optional=True)
        actions.append({"owner": owner, "task": task, "due": due})


def _no_task():
    from rencontres.core.errors import UsageError

    raise UsageError("a task is needed", "say what is to be done")


def _review(ask: Asker, actions: list[dict]) -> list[dict]:
    """Each open action: still open, done, or dropped."""
    status = {"o": {}, "d": {"done": True}, "r": {"dropped": True}}

    def parse(answer: str) -> dict:
        from rencontres.core.errors import UsageError

        key = answer.strip().lower()[:1]
        if key not in status:
            raise UsageError(f"{answer!r}: not an answer", "type o (open), d (done) or r (dropped)")
        return status[key]

    out = []
    for a in actions:
        who = f"{a['owner']}: " if a.get("owner") else ""
        out.append({**a, **ask.ask(f"  {who}{a['task']} — [o]pen, [d]one, d[r]opped", parse,
                                   default="o")})
    return out


def _ask_topics(ask: Asker, prefilled: list[dict], names: list[str], review: list) -> list[dict]:
    topics = []
    pending = list(prefilled)
    while True:
        if pending:
            topic = pending.pop(0)
            typer.echo(f"Topic: {topic['title']}", err=True)
        else:
            title = ask.ask("Topic title (empty: done)", optional=True)
            if title is None or not title.strip():
                return topics
            topic = {"title": title.strip()}
        if topic.get("actions") and review and topic["actions"] is review:
            topic["actions"] = _review(ask, topic["actions"])
        elif ask.confirm(f"Write the text of “{topic['title']}” in your editor?", default=False):
            topic["body"] = _edit("")
        topic["decisions"] = _ask_list(ask, "  Decision")
        topic["actions"] = [*topic.get("actions", []), *_ask_actions(ask, names)]
        topics.append(topic)


def _edit(text: str, suffix: str = ".md") -> str:
    """Open $VISUAL or $EDITOR on a temporary file; return what was saved."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"text{suffix}"
        path.write_text(text, encoding="utf-8")
        _run_editor(path)
        body = path.read_text(encoding="utf-8")
    return body.strip() + "\n" if body.strip() else ""


def _run_editor(path: Path) -> None:
    import shlex
    import subprocess

    from rencontres.core.errors import UsageError

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        subprocess.run([*shlex.split(editor), str(path)], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise UsageError(f"editor {editor!r} failed ({exc})", "set $VISUAL or $EDITOR") from None


# -- init -----------------------------------------------------------------------------------

@commands.command()
def init(
    group: Annotated[str, typer.Argument(
        metavar="GROUP", help="The group's folder name: lowercase letters, digits, hyphens.",
        show_default=False)],
    name: Annotated[str | None, typer.Option(help="The group's name.", show_default=False)] = None,
    language: Annotated[str | None, typer.Option(
        help="fr or en: the language of the texts made (default fr).", show_default=False)
    ] = None,
    timezone: Annotated[str | None, typer.Option(
        help="IANA time zone of the meetings (default Europe/Paris).", show_default=False)
    ] = None,
    organizer: Annotated[str | None, typer.Option(
        help='Who sends the invitations: "Name <email>".', show_default=False)] = None,
    member: Annotated[list[str] | None, typer.Option(
        help='A member: "Name / Organisation <email>" (repeatable).', show_default=False)
    ] = None,
    interactive: Annotated[bool | None, typer.Option(
        "--interactive/--no-input", help="Ask for what is missing (default: in a terminal).",
        show_default=False)] = None,
) -> None:
    """Start a group: make its folder and a commented group.toml that passes check.
    """
    from rencontres.core.errors import NotFound, Refused, UsageError
    from rencontres.entry.input import parse_participant
    from rencontres.records.parse import read_group, valid_timezone
    from rencontres.records.store import GROUP_RE, Store, make_folder, write_atomic
    from rencontres.records.write import group_toml

    if not GROUP_RE.match(group):
        raise UsageError(f"{group!r}: not a group name",
                         "use lowercase letters, digits and hyphens, e.g. atelier-essai")
    try:
        store = open_store()
    except NotFound:
        store = Store(Path.cwd() / "records")  # the first group makes the records folder
    path = store.group_file(group)
    if path.exists():
        raise Refused(f"{as_typed(str(path))}: already exists, left untouched",
                      "edit it; `rencontres check` checks it")
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    ask = Asker()

    def zone(answer: str) -> str:
        if not valid_timezone(answer.strip()):
            raise UsageError(f"{answer!r}: not a time zone", "an IANA name, e.g. Europe/Paris")
        return answer.strip()

    def lang(answer: str) -> str:
        if answer.strip() not in ("fr", "en"):
            raise UsageError(f"{answer!r}: not a language of the tool", "fr or en")
        return answer.strip()

    if name is None:
        name = ask.ask("Name of the group", default=group) if interactive else group
    language = lang(language) if language is not None else (
        ask.ask("Language (fr or en)", lang, default="fr") if interactive else "fr")
    timezone = zone(timezone) if timezone is not None else (
        ask.ask("Time zone", zone, default="Europe/Paris") if interactive else "Europe/Paris")
    chief = parse_participant(organizer, "--organizer") if organizer else None
    if chief is None and interactive:
        chief = ask.ask('Organizer, who sends the invitations ("Name <email>", empty: none)',
                        lambda a: parse_participant(a, "organizer"), optional=True)
    if chief is not None and not chief.email:
        raise UsageError(f"--organizer {organizer!r}: no e-mail address",
                         'write "Name <name@example.org>"')
    people = [parse_participant(m, "--member") for m in member or []]
    if not people and interactive:
        while (p := ask.ask('A member ("Name / Organisation <email>", empty: done)',
                            lambda a: parse_participant(a, "member"), optional=True)):
            people.append(p)
    text = group_toml(group, name.strip() or group, language, timezone, chief, people)
    _, problems = read_group(text, path, group)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise UsageError(f"nothing written: {errors[0].message}")
    make_folder(path.parent)
    write_atomic(path, text)
    typer.echo(as_typed(str(path)))


# -- edit -----------------------------------------------------------------------------------

@commands.command()
def edit(record: Annotated[str, typer.Argument(
        help="The record: a path, GROUP/YYYY-MM-DD, or a date.", show_default=False)]) -> None:
    """Open a record in $VISUAL or $EDITOR, and check it when the editor closes.

    The record is written back only when it changed; with errors, they are shown and (in a
    terminal) you can edit again, keep it as it is anyway, or discard the change. Your text
    is never rewritten: comments and layout stay as you left them.
    """
    import shutil
    import tempfile

    from rencontres.core.errors import InvalidRecord, Refused
    from rencontres.records import checks
    from rencontres.records.archive import Archive
    from rencontres.records.parse import read_meeting
    from rencontres.records.store import absolute, read_bytes, write_atomic

    store = open_store()
    path = store.resolve(record)
    archive = Archive.load(store, group=absolute(path).parent.name) \
        if absolute(path).parent.parent == absolute(store.root) else None
    original = read_bytes(path)
    interactive = sys.stdin is not None and sys.stdin.isatty()
    folder = Path(tempfile.mkdtemp(prefix="rencontres-edit-"))
    draft = folder / path.name
    draft.write_bytes(original)
    while True:
        _run_editor(draft)
        data = draft.read_bytes()
        if data == original:
            shutil.rmtree(folder)
            typer.echo(f"{as_typed(str(path))}: no change", err=True)
            return
        try:
            text = data.decode("utf-8")
            meeting, problems = read_meeting(text.removeprefix("\ufeff"), path,
                                             absolute(path).parent.name)
        except UnicodeDecodeError:
            meeting, problems = None, [None]
        if meeting is not None and archive is not None:
            group = archive.groups.get(meeting.group)
            if group is not None:
                problems += checks.check_owners(meeting, group, str(path))
        errors = [p for p in problems if p is None or p.severity == "error"]
        for p in problems:
            typer.echo(as_typed(str(p)) if p is not None else f"{path}: not UTF-8 text", err=True)
        if not errors:
            break
        if interactive and typer.confirm("The record has errors. Edit again?", default=True):
            continue
        if interactive and typer.confirm("Save it anyway, errors and all?", default=False):
            break
        raise InvalidRecord(f"{as_typed(str(path))}: not saved ({len(errors)} error"
                            f"{'s' * (len(errors) != 1)}); your text is kept in {draft}",
                            "edit it again with `rencontres edit`, or copy it over by hand")
    if read_bytes(path) != original:
        raise Refused(f"{as_typed(str(path))}: changed on disk while you edited; not saved",
                      f"your text is kept in {draft}")
    write_atomic(path, data, overwrite=True)
    shutil.rmtree(folder)
    typer.echo(f"saved {as_typed(str(path))}", err=True)
