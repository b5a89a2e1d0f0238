"""new, edit: writing the records themselves (the questions are in `cli/prompts.py`).

`new` asks (or takes flags) for everything a meeting's record holds, pre-filled from what
the group already knows: the date, place and end the previous record announced, the agenda
it planned (each item a topic), the actions still open (a first topic to review them, each
a follow-up naming the action). A bad answer is explained and asked again; Ctrl-C writes
nothing (exit 130). `edit` opens a record in the user's editor and checks it on the way back.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rencontres.cli.common import (
    GroupArgument,
    as_typed,
    commands,
    complete_records,
    only_group,
    open_store,
    resolve_record,
    settings,
)
from rencontres.core.i18n import _, ngettext


def _action_topics(args: list[str], flag: str = "--action") -> list[int]:
    """For each `flag` (--action, --decision) on the command line, how many --topic came
    before it (typer hands each option's values apart, losing their interleaving)."""
    topics, order = 0, []
    for arg in args:
        name = arg.split("=", 1)[0]
        if name == "--topic":
            topics += 1
        elif name == flag:
            order.append(topics)
    return order


# -- new ------------------------------------------------------------------------------------

@commands.command()
def new(
    group: GroupArgument = None,
    date: Annotated[str | None, typer.Option(
        metavar=_("DATE"), help=_("YYYY-MM-DD[THH:MM], or 16/01/2008 14h (default: the date the previous "
        "record's [next] announced; with --no-input and no such date, --date is required)."),
        show_default=False)] = None,
    end: Annotated[str | None, typer.Option(
        metavar="HH:MM", help=_("When it ended: HH:MM."), show_default=False)] = None,
    venue: Annotated[str | None, typer.Option(
        metavar=_("PLACE"), help=_("Where it takes place."), show_default=False)] = None,
    address: Annotated[str | None, typer.Option(
        metavar=_("ADDRESS"), help=_("Its address."), show_default=False)] = None,
    context: Annotated[str | None, typer.Option(
        metavar=_("TEXT"), help=_('The "Repère" paragraph (Markdown).'), show_default=False)] = None,
    participant: Annotated[list[str] | None, typer.Option(
        metavar=_("PERSON"),
        help=_('"Name / Organisation <email>" (repeatable).'), show_default=False)] = None,
    topic: Annotated[list[str] | None, typer.Option(
        metavar=_("TITLE"), help=_("A topic's title (repeatable)."), show_default=False)] = None,
    decision: Annotated[list[str] | None, typer.Option(
        metavar=_("DECISION"),
        help=_('"Text [pour 4, contre 0, abstention 1]" ([for 4, against 0, abstain 1], '
        "[unanimité]; no bracket: no vote), after its --topic (repeatable)."), show_default=False)] = None,
    action: Annotated[list[str] | None, typer.Option(
        metavar=_("ACTION"), help=_('"Owner : task [YYYY-MM-DD]", after the --topic it belongs '
                                 "to (repeatable)."), show_default=False)] = None,
    review: Annotated[list[str] | None, typer.Option(
        metavar=_("REVIEW"),
        help=_('An open action reviewed: "2009-02-17#1 : open [2009-04-30] progress note", '
        '"… : done" or "… : dropped" (its ref as `actions --json` gives it; repeatable).'), show_default=False
    )] = None,
    next_: Annotated[str | None, typer.Option(
        "--next", metavar=_("DATE"), help=_("The next meeting: YYYY-MM-DDTHH:MM (without it, its venue "
        "and agenda may still be given: its date is to be set)."), show_default=False)] = None,
    next_venue: Annotated[str | None, typer.Option(
        metavar=_("PLACE"), help=_("The next meeting's venue."), show_default=False)] = None,
    next_address: Annotated[str | None, typer.Option(
        metavar=_("ADDRESS"), help=_("The next meeting's address."), show_default=False)] = None,
    agenda: Annotated[list[str] | None, typer.Option(
        metavar=_("ITEM"), help=_("An item of the next meeting's agenda (repeatable)."),
        show_default=False)] = None,
    same_day: Annotated[bool, typer.Option(
        "--same-day", help=_("A second meeting that day: write YYYY-MM-DD-2.toml."))] = False,
    force: Annotated[bool, typer.Option(
        "--force", help=_("Replace an existing record of that date (its text is kept beside it, "
        "as .replaced)."))] = False,
    interactive: Annotated[bool | None, typer.Option("--interactive/--no-input", help=_(
        "Ask for what is missing (default: when run in a terminal)."), show_default=False)] = None,
    resume: Annotated[bool, typer.Option(
        "--resume", help=_("Resume the draft of an unfinished session without asking."))] = False,
    discard_draft: Annotated[bool, typer.Option(
        "--discard-draft", help=_("Delete the draft of an unfinished session first."))] = False,
) -> None:
    """Create a meeting record, by prompts or from flags, and print its path.

    In a terminal, every answer is kept in a draft (in your state folder, never among the
    records) until the record is written: an interrupted session is resumed by `new GROUP`.
    Before writing, the record is shown with your numbered answers: write, change one, or
    discard.

    Pre-filled from the previous record: the date, place and end it announced, its planned
    agenda as topics, and the open actions to review (each written as a follow-up, `follows`).
    A stub (date and title only) of that date is completed, its comments kept.
    """
    from rencontres.records.archive import Archive, refuse

    store = open_store()
    group = _the_group(store, group)
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    archive = Archive.load(store, group=group)
    refuse(archive.group_errors(group))
    _date_style(archive, group)  # dates explained in the group's own style
    # Flags are read first: a bad one stops before any question.
    given = _read_flags(date, end, venue, address, context, participant, topic,
                        (decision or [], action or []), next_, next_venue, next_address, agenda)
    _run(store, archive, group, given, (same_day, force, review or []), interactive,
         (resume, discard_draft))


def _run(store, archive, group: str, given, placing, interactive: bool, drafts) -> None:
    """`new`'s questions (or flags), then the record written: in a terminal, a session
    whose answers are kept in a draft until the record is written (`cli/session.py`)."""
    from rencontres.cli import inputs, prompts, session
    from rencontres.cli.replies import replied
    from rencontres.core.errors import UsageError
    from rencontres.entry.defaults import announced, defaults
    from rencontres.entry.draft import Draft
    from rencontres.entry.validate import Checker

    rules, (same_day, force, reviews) = archive.groups[group], placing
    proposed_day = announced(archive.meetings[group])
    checker = Checker.of(rules, store.group_file(group).parent, archive.meetings[group])

    def questions(ask):
        when = given.when if given.when is not None else _the_date(ask, proposed_day, checker)
        inputs.STYLE.day = inputs.day_of(when)
        if isinstance(ask, session.Journal):
            ask.meeting = when.isoformat()
        place = _place(store, group, when, same_day, force)  # decided before any question
        proposed = defaults(archive, group, when,
                            uid_for=lambda stem: _carried_uid(store, group, stem))
        proposed.replies = replied(store, archive, group, proposed.uid)
        _apply_reviews(proposed.review, reviews)
        draft = Draft(date=when, end=proposed.end, uid=proposed.uid)
        prompts.fill(draft, given, proposed, rules.members, ask, checker)
        return draft, place

    def write(parts) -> None:
        _write(store, group, rules, parts[0], parts[1], force)

    if not interactive:
        if any(drafts):
            raise UsageError(_("--resume and --discard-draft are for a session in a terminal"),
                             _("leave out --no-input"))
        write(questions(None))
        return
    session.run(store, group, drafts[0], drafts[1], questions,
                lambda parts: _review(archive, group, parts), write)


def _review(archive, group: str, parts) -> None:
    """The record as `show` will print it, before it is written."""
    from rencontres.cli.common import console
    from rencontres.cli.records import show_meeting
    from rencontres.core.words import meeting_title
    from rencontres.entry.compose import compose, read_back

    draft, place = parts
    rules = archive.groups[group]
    text, problems = compose(draft, place.path, group, rules=rules, stub=place.stub)
    meeting, _problems = read_back(text, place.path, group)
    out = console(stderr=True)
    out.print()
    if meeting is None:
        for p in problems:
            out.print(str(p), markup=False)
        return
    earlier = sum(1 for m in archive.meetings[group] if m.stem < place.path.stem)
    title = meeting.title or meeting_title(meeting.number or earlier + 1, rules.language,
                                           rules.ordinals)
    show_meeting(out, meeting, rules, title, rules.language, problems)


def _date_style(archive, group: str) -> None:
    from rencontres.cli import inputs
    from rencontres.entry.defaults import announced

    day = announced(archive.meetings[group])
    inputs.STYLE = inputs.DateStyle(archive.groups[group].language,
                                    inputs.day_of(day) if day else None)


def _the_group(store, group: str | None) -> str:

    if group is None:
        group = only_group(store.root, store.groups())
    store.require_group(group)
    return group


def _read_flags(date, end, venue, address, context, participant, topic, said, next_,
                next_venue, next_address, agenda):
    """`new`'s flags, read into plain values (a bad one is an error naming it)."""
    from rencontres.cli import inputs
    from rencontres.cli.prompts import Given
    from rencontres.core.errors import UsageError

    when = inputs.when(date, "--date") if date is not None else None
    if when is not None:  # what a due date without its year follows
        inputs.STYLE.day = inputs.day_of(when)
    end_time = inputs.time(end, "--end") if end is not None else None
    people = [(inputs.person(p, "--participant"), "present") for p in participant or []]
    topics = [{"title": t.strip()} for t in topic or [] if t.strip()]
    for flag, key, specs, read in (("--decision", "decisions", said[0], inputs.decision),
                                   ("--action", "actions", said[1], inputs.action)):
        for spec, n in zip(specs, _action_topics(settings["args"], flag), strict=True):
            if n == 0:
                raise UsageError(_("{flag} {value} comes before any --topic").format(
                    flag=flag, value=repr(spec)),
                    _("put each {flag} after the --topic it belongs to").format(flag=flag))
            topics[n - 1].setdefault(key, []).append(read(spec, flag))
    nxt = inputs.when(next_, "--next", need_time=True) if next_ is not None else None
    return Given(when, end_time, venue, address, context, people, topics, nxt, next_venue,
                 next_address, [a.strip() for a in agenda or [] if a.strip()])


def _apply_reviews(review: list[dict], specs: list[str]) -> None:
    """--review: each open action's follow-up (`review`, as the archive proposes them)
    changed as reviewed: done, dropped, or kept open with a new due date and a note."""
    from rencontres.cli import inputs
    from rencontres.core.errors import UsageError

    by_ref = {a["follows"]: a for a in review}
    for spec in specs:
        ref, change = inputs.review(spec)
        if ref not in by_ref:
            raise UsageError(_("--review {value}: {ref} is no open action of the group").format(
                value=repr(spec), ref=ref),
                _("the open ones: {refs} (see `rencontres actions --json`)").format(
                    refs=", ".join(by_ref)) if by_ref else
                _("the open ones: none (see `rencontres actions --json`)"))
        by_ref[ref].update(change)


def _the_date(ask, announced, checker=None):
    """The date asked (the announced one proposed), else the announced one."""
    from rencontres.cli.prompts import ask_date
    from rencontres.core.errors import UsageError

    if ask is not None:
        return ask_date(ask, announced, checker)
    if announced is not None:
        return announced
    raise UsageError(_("--date is required (the last record announces no next meeting)"),
                     _("pass --date YYYY-MM-DD[THH:MM]"))


def _place(store, group: str, when, same_day: bool, force: bool):
    import datetime as dt

    from rencontres.core.errors import RecordExists, Refused
    from rencontres.entry.compose import target

    day = when.date() if isinstance(when, dt.datetime) else when
    try:
        return target(store, group, day, same_day=same_day, replace=force)
    except RecordExists as exc:
        raise Refused(_("{path}: already exists, left untouched").format(path=as_typed(str(exc.path))),
                      _("edit it (`rencontres edit`), or use --same-day for a second meeting that "
                        "day, or --force to replace it (its text is kept beside it)")) from None


def _carried_uid(store, group: str, previous_stem: str) -> str:
    """The UID the previous record's invitation gave this meeting, if one was sent."""
    from rencontres.invite.state import read_state, uid_for_next

    return uid_for_next(read_state(store, group), previous_stem) or ""


def _write(store, group: str, g, draft, place, force: bool) -> None:
    """The draft composed, checked, and written (or nothing, with its first error)."""
    from rencontres.core.errors import AlreadyExists, InvalidRecord, Refused
    from rencontres.entry.compose import compose
    from rencontres.records.store import write_atomic

    text, problems = compose(draft, place.path, group, rules=g, stub=place.stub)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InvalidRecord(_("nothing written: {problem}").format(problem=errors[0].message))
    for p in problems:  # warnings (an error stops above)
        typer.echo(_("warning: {message}").format(message=p.message), err=True)
    path = place.path
    if force and path.exists():
        kept = store.keep_copy(path)
        write_atomic(path, text, overwrite=True)
        typer.echo(_("replaced {path}; its previous text is in {kept}").format(
            path=as_typed(str(path)), kept=as_typed(str(kept))), err=True)
    else:
        try:
            write_atomic(path, text, overwrite=place.stub is not None)
        except AlreadyExists as exc:  # made since its place was decided
            raise Refused(exc.message, _("nothing was written; use --force to replace it")) from None
        if place.stub is not None:
            typer.echo(_("completed the stub {path} (its lines and comments kept)").format(
                path=as_typed(str(path))), err=True)
    typer.echo(as_typed(str(path)))


# -- edit -----------------------------------------------------------------------------------

@commands.command()
def edit(record: Annotated[str, typer.Argument(
        metavar=_("RECORD"), autocompletion=complete_records,
        help=_("The record: a path, GROUP/YYYY-MM-DD, or a date."), show_default=False)]) -> None:
    """Open a record in $VISUAL or $EDITOR, and check it when the editor closes.

    The record is written back only when it changed. Without errors, it is shown as `show`
    prints it: write it, edit again, or discard the change (your text is kept). With errors,
    they are shown and (in a terminal) you can edit again, keep it as it is anyway, or
    discard the change. Your text is never rewritten: comments and layout stay as you left
    them.
    """
    import shutil
    import tempfile

    from rencontres.cli.prompts import confirm, run_editor
    from rencontres.cli.session import private_folder
    from rencontres.core.errors import InvalidRecord, Refused, UsageError
    from rencontres.records.archive import Archive
    from rencontres.records.store import absolute, read_bytes, write_atomic

    store = open_store()
    path = resolve_record(store, record)
    typed = as_typed(str(path))  # the record, as the messages name it
    archive = Archive.load(store, group=absolute(path).parent.name) \
        if absolute(path).parent.parent == absolute(store.root) else None
    original = read_bytes(path)
    interactive = sys.stdin is not None and sys.stdin.isatty()
    # the copy, in the state folder (never among the records), kept until saved or unchanged
    folder = Path(tempfile.mkdtemp(prefix="edit-", dir=private_folder(store, "texts")))
    draft = folder / path.name
    draft.write_bytes(original)
    while True:
        try:
            run_editor(draft)
        except UsageError as exc:
            if draft.read_bytes() != original:
                raise UsageError(_("{problem}: {path} is unchanged; your text is kept in {draft}")
                                 .format(problem=exc.message, path=typed, draft=draft),
                                 exc.hint) from None
            shutil.rmtree(folder)
            raise UsageError(_("{problem}: {path} is unchanged").format(
                problem=exc.message, path=typed), exc.hint) from None
        data = draft.read_bytes()
        if data == original:
            shutil.rmtree(folder)
            typer.echo(_("{path}: no change").format(path=typed), err=True)
            return
        meeting, problems, errors = _edited(data, path, archive)
        if not errors:
            choice = _edit_review(archive, meeting, problems, draft)
            if choice == "w":
                break
            if choice == "e":
                continue
            typer.echo(_("{path}: left untouched; your edited text is kept in {draft}").format(
                path=typed, draft=draft), err=True)
            return
        if interactive and confirm(_("The record has errors. Edit again?"), default=True):
            continue
        if interactive and confirm(_("Save it anyway, errors and all?"), default=False):
            break
        raise InvalidRecord(ngettext("{path}: not saved ({n} error); your text is kept in {draft}",
                                     "{path}: not saved ({n} errors); your text is kept in {draft}",
                                     len(errors)).format(path=typed, n=len(errors), draft=draft),
                            _("edit it again with `rencontres edit`, or copy it over by hand"))
    if read_bytes(path) != original:
        raise Refused(_("{path}: changed on disk while you edited; not saved").format(path=typed),
                      _("your text is kept in {draft}").format(draft=draft))
    write_atomic(path, data, overwrite=True)
    shutil.rmtree(folder)
    typer.echo(_("saved {path}").format(path=typed), err=True)


def _edited(data: bytes, path: Path, archive):
    """The edited text read as `check` reads it: (meeting, problems as typed, errors); with
    errors, they are shown (without, the review shows the problems)."""
    from rencontres.entry.compose import read_back
    from rencontres.records.checks import check_owners
    from rencontres.records.store import absolute

    try:
        text = data.decode("utf-8")
        slug = absolute(path).parent.name
        meeting, problems = read_back(text.removeprefix("\ufeff"), path, slug,
                                      archive.groups.get(slug) if archive else None,
                                      [check_owners])
    except UnicodeDecodeError:
        meeting, problems = None, None
    from rencontres.cli.common import with_source

    shown = [with_source(p) for p in problems] if problems is not None \
        else [_("{path}: not UTF-8 text").format(path=path)]
    errors = [p for p in problems if p.severity == "error"] if problems is not None else shown
    if errors or meeting is None:
        for line in shown:
            typer.echo(line, err=True)
    if meeting is None and not errors:
        errors = shown or [_("{path}: not a record").format(path=path)]
    return meeting, shown, errors


def _edit_review(archive, meeting, problems: list[str], draft: Path) -> str:
    """The edited record as `show` prints it (on stderr), then write, edit again or
    discard: "w", "e" or "d" (input closed: the text kept, and where it is said)."""
    from rencontres.cli.common import console
    from rencontres.cli.prompts import prompt
    from rencontres.cli.records import show_meeting
    from rencontres.core.model import Group
    from rencontres.core.words import meeting_title

    rules = archive.groups.get(meeting.group) if archive else None
    if rules is None:
        rules = Group(slug=meeting.group, name=meeting.group)
    title = archive.title(meeting) if archive and meeting.group in archive.groups \
        else meeting.title or meeting_title(meeting.number, rules.language, rules.ordinals)
    out = console(stderr=True)
    out.print()
    show_meeting(out, meeting, rules, title, rules.language, problems)
    while True:
        try:
            answer = prompt(_("write / edit again / discard (w, e, d)"), default="w")
        except (typer.Abort, EOFError, KeyboardInterrupt):
            typer.echo("\n" + _("not saved; your text is kept in {draft}").format(draft=draft), err=True)
            raise
        word = answer.strip().lower()
        for choice in ("write", "edit again", "discard"):  # i18n: what is typed: w, e, d
            if word and choice.startswith(word):
                return choice[0]
        typer.echo(_("  {answer}: not a choice — type w to write the record, e to edit it again, "
                     "d to leave the record as it was (your text is kept)").format(
            answer=repr(answer)), err=True)
