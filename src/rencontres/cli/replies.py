"""replies, rsvp: what participants answer to an invitation.

`replies` reads iMIP replies from the organiser's mailbox (IMAP from RENCONTRES_IMAP_URL or
the configuration's [imap] url; or a Maildir, an mbox, .eml and .ics files given as
arguments), records each answer in the group's state (`invite/state.py`) and prints who is
coming. `rsvp` records an answer given by phone or in person. Both change the state under
the group's lock (`records/lock.py`); the logic is in `invite/` (`replies.py` reads,
`answers.py` matches and sums up, `inbox.py` reaches the mailbox).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Annotated

import typer

from rencontres.cli.common import as_typed, commands, complete_records, now, open_store
from rencontres.core.errors import UsageError
from rencontres.core.i18n import N_, _, ngettext


@commands.command()
def replies(
    sources: Annotated[list[str] | None, typer.Argument(
        metavar=_("SOURCE"), show_default=False,
        help=_("GROUP, the group whose invitations to match (default: every group), then "
             "FILE…, read instead of the IMAP mailbox: a Maildir folder, an mbox, .eml or "
             ".ics files."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print the answers as JSON."))] = False,
    move: Annotated[str | None, typer.Option(
        "--move", metavar=_("FOLDER"), show_default=False,
        help=_("Move the replies matched to an invitation into FOLDER (made if missing); "
             "without it the mailbox is only read."))] = None,
) -> None:
    """Read the replies to invitations and print who is coming.

    IMAP from RENCONTRES_IMAP_URL (imaps://user@host:993/INBOX; imap:// for STARTTLS) or
    [imap] url in the configuration; the password from RENCONTRES_IMAP_PASSWORD, a
    password_file or the keyring. The mailbox is only read (EXAMINE, nothing flagged)
    unless --move. Each answer is recorded once in records/GROUP/state.toml: a second run
    counts nothing twice. A message that answers no invitation is listed with the reason.
    """
    from contextlib import ExitStack

    from rencontres.invite.answers import match
    from rencontres.invite.state import read_state, record_replies

    store = open_store()
    groups, paths = _split(store, sources or [])
    if move is not None and not move.strip():
        raise UsageError(_("--move needs a folder name"))
    archive = _archive(store, groups)
    clock = now()
    with ExitStack() as stack:
        reader = _reader(paths, move, stack)
        reads = reader.read()
        for g in sorted(groups):  # always in the same order: two runs cannot deadlock
            stack.enter_context(store.state_lock(g, "replies"))
        states = {g: read_state(store, g) for g in groups}
        matched, unmatched = match(reads, states, clock)
        added = 0
        for g in groups:
            entries = [e for m in matched if m.group == g for e in m.entries]
            states[g], new = record_replies(states[g], entries)
            if new:
                store.write_state(g, states[g])
                added += len(new)
        moved = ""
        if move is not None:
            refs = sorted({m.read.ref for m in matched if m.entries and m.read.ref}
                          - {r.ref for r, __ in unmatched})
            moved = reader.move(refs, move.strip())
    _report(archive, states, matched, unmatched, as_json)
    _said(matched, reads, added, moved)


def _split(store, args: list[str]) -> tuple[list[str], list[Path]]:
    """[GROUP] [FILE…]: the first argument is a group when it names one (and no file)."""
    known = store.groups()
    if args and args[0] in known and not Path(args[0]).exists():
        groups, rest = [args[0]], args[1:]
    else:
        groups, rest = known, args
    if not groups:
        raise UsageError(_("{folder}: no group folder here").format(
            folder=as_typed(str(store.root))), _("start one with `rencontres init GROUP`"))
    paths = [Path(a) for a in rest]
    for p in paths:
        if not p.exists():
            hint = (_("name a group ({groups}) or files that exist").format(
                groups=", ".join(known)) if p is paths[0] and args[0] not in known else "")
            raise UsageError(_("{path}: no such file or folder").format(path=p), hint)
    return groups, paths


def _archive(store, groups: list[str]):
    from rencontres.records.archive import Archive, refuse

    archive = Archive.load(store, group=groups[0] if len(groups) == 1 else None)
    refuse(archive.errors)
    return archive


class _Files:
    def __init__(self, paths: list[Path]):
        self.paths = paths

    def read(self):
        from rencontres.invite.inbox import read_paths

        return read_paths(self.paths)

    def move(self, refs: list[str], folder: str) -> str:
        from rencontres.invite.inbox import move_in_maildir

        moved = move_in_maildir(self.paths[0], refs, folder)
        return ngettext("moved {n} message(s) to {folder} in {path}",
                        "moved {n} message(s) to {folder} in {path}", moved).format(
            n=moved, folder=folder, path=self.paths[0])


def _reader(paths: list[Path], move: str | None, stack):
    """Files given, else the IMAP mailbox (opened writable only for --move)."""
    if paths:
        if move is not None and not (len(paths) == 1 and paths[0].is_dir()):
            raise UsageError(_("--move moves messages of an IMAP mailbox or of one Maildir"),
                             _("leave it out to read these files"))
        return _Files(paths)
    from rencontres.invite.inbox import Imap

    return stack.enter_context(Imap(_imap_settings(dict(os.environ)), writable=move is not None))


def _imap_settings(env: dict[str, str]):
    """The IMAP mailbox: RENCONTRES_IMAP_URL, else the configuration's [imap] url; the user
    from the URL, else [imap] user; the password from `config.password`."""
    from rencontres.cli import config
    from rencontres.invite.inbox import DEFAULT_TIMEOUT, ImapSettings, parse_url

    conf = config.section("imap", None, env)
    url = env.get("RENCONTRES_IMAP_URL") or str(conf.get("url", ""))
    if not url:
        raise UsageError(_("no mailbox to read"), _(
            "set RENCONTRES_IMAP_URL (such as imaps://you@imap.example.org:993/INBOX) or [imap] "
            "url in {path}, or give a Maildir, an mbox or .eml/.ics files").format(
                path=config.config_path(env)))
    tls, user, host, port, folder = parse_url(url)
    user = user or str(conf.get("user", ""))
    if not user:
        raise UsageError(_("IMAP URL {url} names no user").format(url=repr(url)),
                         _("write it as imaps://user@host:993/INBOX, or set [imap] user"))
    try:
        timeout = float(conf.get("timeout") or DEFAULT_TIMEOUT)
    except ValueError:
        raise UsageError(_("[imap] timeout {timeout} is not a number of seconds").format(
            timeout=repr(conf.get("timeout")))) from None
    password = config.password("imap", conf, env, user, host)
    return ImapSettings(host, port, tls, user, folder, password, timeout)


def _shown_meetings(archive, states: dict, matched) -> list:
    """(group, meeting) of each invitation to sum up: the group's latest, and any that
    received answers in this run."""
    from rencontres.invite.state import current

    out = []
    for g, state in states.items():
        touched = {m.invitation.key for m in matched if m.group == g}
        meetings = archive.meetings.get(g, [])
        latest = next((m.stem for m in reversed(meetings) if m.next is not None
                       and current(state, m.stem) is not None), None)
        out += [(g, m) for m in meetings if m.stem in touched | {latest}]
    return out


def _report(archive, states: dict, matched, unmatched, as_json: bool) -> None:
    from rencontres.invite import ics
    from rencontres.invite.answers import as_json as to_json
    from rencontres.invite.answers import coming

    blocks = []
    for g, meeting in _shown_meetings(archive, states, matched):
        group = archive.groups[g]
        c = coming(group, meeting, states[g], ics.invitees(group, meeting).attendees)
        if c is not None:
            blocks.append((group, meeting, c))
    counters = [(m, a) for m in matched for a in m.counters]
    if as_json:
        out = {"meetings": [to_json(c, _start(group, meeting)) for group, meeting, c in blocks],
               "counters": [_counter_json(m, a) for m, a in counters],
               "unmatched": [{"source": r.source, "subject": r.subject, "from": r.sender,
                              "reason": why} for r, why in unmatched]}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not blocks:
        typer.echo(_("no meeting of {groups} was invited yet: no answer to expect (`rencontres "
                     "send RECORD` invites)").format(groups=", ".join(sorted(states))), err=True)
    for group, meeting, c in blocks:
        _print_meeting(group, meeting, c, [(m, a) for m, a in counters
                                           if m.invitation.key == c.key and m.group == c.group])
    if unmatched:
        typer.echo(_("not counted ({n})").format(n=len(unmatched)))
        for r, why in unmatched:
            said = r.source + (f" “{r.subject}”" if r.subject else "")
            if r.sender:
                said = _("{message} from {sender}").format(message=said, sender=r.sender)
            typer.echo(f"  {said}: {why}")


def _start(group, meeting) -> dt.datetime | None:
    from rencontres.invite import ics

    try:
        return ics.times(group, meeting.next)[0]
    except (ValueError, UsageError):
        return None


LABELS = {"accepted": N_("accepted"), "tentative": N_("tentative"), "declined": N_("declined"),
          "delegated": N_("delegated"), "": N_("no answer")}


def _answer(word: str) -> str:
    """An answer (PARTSTAT, lowercased) in the user's language."""
    return _(LABELS[word]) if word in LABELS else word


def _print_meeting(group, meeting, c, counters) -> None:
    from rencontres.invite.answers import ORDER
    from rencontres.invite.state import CANCELLED

    start = _start(group, meeting)
    when = start.strftime("%Y-%m-%d %H:%M") if start else _("date to be set")
    line = _("{group}: the meeting of {when} (invited from {record}, SEQUENCE {sequence})").format(
        group=group.name, when=when, record=f"{group.slug}/{c.key}",
        sequence=c.invitation.sequence)
    if c.invitation.status == CANCELLED:
        line = _("{meeting} — CANCELLED").format(meeting=line)
    typer.echo(line)
    for answer in ORDER:
        rows = c.of(answer)
        typer.echo(f"  {_answer(answer)} ({len(rows)})")
        for r in rows:
            typer.echo(f"    {_who(r.person)}{_details(r)}")
    if counters:
        typer.echo("  " + _("proposes another time ({n})").format(n=len(counters)))
        zone = _zone(group)
        for _person, a in counters:
            span = _("no time given")
            if a.start is not None:
                span = a.start.astimezone(zone).strftime("%Y-%m-%d %H:%M")
                if a.end is not None:
                    span += a.end.astimezone(zone).strftime("–%H:%M")
            typer.echo(f"    {a.name or a.attendee} <{a.attendee}>: {span}"
                       + (f" — “{a.comment}”" if a.comment else "") + " "
                       + _("(not applied: change [next] and send again to accept it)"))


def _zone(group):
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(group.timezone)
    except (KeyError, ValueError):
        return dt.UTC


def _who(person) -> str:
    name = person.name or person.email
    extra = f" / {person.organization}" if person.organization else ""
    mail = f" <{person.email}>" if person.email and person.name else ""
    return f"{name}{extra}{mail}"


def _details(r) -> str:
    bits = []
    if r.delegated_to:
        bits.append(_("to {person}").format(person=r.delegated_to))
    if r.comment:
        bits.append(f"“{r.comment}”")
    if r.earlier:
        bits.append(_("answered SEQUENCE {sequence}, an earlier version").format(sequence=r.sequence))
    if r.via == "rsvp":
        bits.append(_("by rsvp"))
    if not r.invited:
        bits.append(_("not among the invitees"))
    return (" — " + "; ".join(bits)) if bits else ""


def _counter_json(m, a) -> dict:
    def z(t):
        return t.isoformat().replace("+00:00", "Z") if t else None

    return {"group": m.group, "record": m.invitation.key, "attendee": a.attendee,
            "name": a.name, "start": z(a.start), "end": z(a.end), "comment": a.comment,
            "source": m.read.source}


def _said(matched, reads, added: int, moved: str) -> None:
    for m in matched:
        for note in (*m.read.notes, *m.notes):
            typer.echo(_("note: {source}: {note}").format(source=m.read.source, note=note), err=True)
    answers = sum(len(m.entries) for m in matched)
    said = _("{reads} message(s) with a calendar read; {answers} answer(s) in them, {added} new "
             "recorded") if added or not answers else \
        _("{reads} message(s) with a calendar read; {answers} answer(s) in them, {added} new "
          "recorded (all were already recorded)")
    typer.echo(said.format(reads=len(reads), answers=answers, added=added), err=True)
    if moved:
        typer.echo(moved, err=True)


def replied(store, archive, group: str, uid: str) -> list[tuple]:
    """The answers to the invitation that gave this meeting `uid` (`replies`, `rsvp`), for
    `new`: (person, attendance proposed, note) per invitee; none without an invitation."""
    from rencontres.invite import ics
    from rencontres.invite.answers import coming, proposals
    from rencontres.invite.state import current, read_state

    if not uid:
        return []
    state = read_state(store, group)
    rules = archive.groups[group]
    for m in archive.meetings[group]:
        inv = current(state, m.stem)
        if inv is not None and inv.uid == uid:
            c = coming(rules, m, state, ics.invitees(rules, m).attendees)
            return proposals(c.rows) if c is not None else []
    return []


# -- rsvp ---------------------------------------------------------------------------------------
ANSWER_WORDS = {"accepted": "accepted", "declined": "declined", "tentative": "tentative"}


@commands.command()
def rsvp(
    record: Annotated[str, typer.Argument(
        metavar=_("RECORD"), autocompletion=complete_records,
        help=_("The meeting: the record whose [next] was invited, or GROUP/YYYY-MM-DD of the "
             "announced meeting."))],
    person: Annotated[str, typer.Argument(
        metavar=_("PERSON"), help=_("Who answered: a name (or the start of one) or an e-mail "
                               "address."))],
    answer: Annotated[str, typer.Argument(
        metavar="accepted|declined|tentative", help=_("Their answer."))],
    comment: Annotated[str, typer.Option(
        "--comment", metavar=_("TEXT"), help=_("What they said (shown, and noted in the record "
                                          "`new` writes)."))] = "",
    at: Annotated[str | None, typer.Option(
        "--at", metavar=_("DATE-TIME"), show_default=False,
        help=_("When they answered (YYYY-MM-DDTHH:MM, local time; default: now). The latest "
             "answer wins."))] = None,
) -> None:
    """Record an answer given by phone or in person.

    The latest answer wins, whether e-mailed (by its DTSTAMP) or given here (by --at, or
    now); the earlier ones stay in records/GROUP/state.toml.
    """
    from contextlib import ExitStack

    from rencontres.invite import ics
    from rencontres.invite.answers import invitee
    from rencontres.invite.state import current, history, read_state, record_replies, reply

    word = answer.strip().lower()
    chosen = [a for a in ANSWER_WORDS if word and a.startswith(word)]
    if len(chosen) != 1:
        raise UsageError(_("{answer} is not an answer").format(answer=repr(answer)),
                         _("give accepted, declined or tentative"))
    clock = now()
    with ExitStack() as stack:
        archive, meeting = _invited_meeting(record, stack)
        store, group = archive.store, archive.group_of(meeting)
        state = read_state(store, meeting.group)
        inv = current(state, meeting.stem)
        if inv is None:
            raise UsageError(_("{key}: its next meeting was never invited, so no answer can be "
                               "recorded for it").format(key=meeting.key),
                             _("send the invitation first (`rencontres send {key}`), or name the "
                               "invited meeting").format(key=meeting.key))
        who, invited = invitee(person, ics.invitees(group, meeting).attendees)
        if not invited:
            typer.echo(_("note: {email} is not among the invitees").format(email=who.email), err=True)
        when = _given_at(at, group, clock)
        before = history(state, inv.uid, who.email)
        entry = reply(inv.uid, who.email, chosen[0], inv.sequence, when, "rsvp", clock,
                      " ".join(comment.split()), name=who.name)
        state, new = record_replies(state, [entry])
        if new:
            store.write_state(meeting.group, state)
    latest = max([*before, entry], key=lambda e: e["stamp"])
    typer.echo(f"{who.name or who.email}: {_answer(chosen[0])}" + (
        f" — “{entry['comment']}”" if entry.get("comment") else ""))
    if latest is not entry:
        typer.echo(_("note: their answer by {via} of {stamp} UTC ({answer}) is later, and stays "
                     "their answer").format(via=latest["via"],
                                            stamp=f"{latest['stamp']:%Y-%m-%d %H:%M}",
                                            answer=_answer(latest["answer"])), err=True)
    elif before:
        typer.echo(_("was: {answer} (by {via}, {stamp} UTC), kept in the history").format(
            answer=_answer(before[-1]["answer"]), via=before[-1]["via"],
            stamp=f"{before[-1]['stamp']:%Y-%m-%d %H:%M}"), err=True)


def _invited_meeting(spec: str, stack):
    """RECORD as `invite` takes it, or GROUP/YYYY-MM-DD of the meeting a [next] announced
    (and that was invited); the group's state held for `rsvp`."""
    import re

    from rencontres.cli.common import load_record
    from rencontres.invite.state import current, read_state
    from rencontres.records.archive import Archive, refuse

    found = re.fullmatch(r"([^/\\]+)[/\\](\d{4}-\d{2}-\d{2})", spec.strip())
    store = open_store()
    if found and found.group(1) in store.groups():
        g, day = found.groups()
        archive = Archive.load(store, group=g)
        refuse(archive.errors)
        stack.enter_context(store.state_lock(g, "rsvp"))
        state = read_state(store, g)
        for m in reversed(archive.meetings[g]):
            if m.next is not None and m.next.date is not None and \
                    m.next.date.date().isoformat() == day and current(state, m.stem):
                return archive, m
        stack.close()
    archive, meeting = load_record(spec)
    stack.enter_context(archive.store.state_lock(meeting.group, "rsvp"))
    return archive, meeting


def _given_at(at: str | None, group, clock: dt.datetime) -> dt.datetime:
    if at is None:
        return clock
    try:
        when = dt.datetime.fromisoformat(at.strip())
    except ValueError:
        raise UsageError(_("--at {at} is not a date-time").format(at=repr(at)),
                         _("write it as YYYY-MM-DDTHH:MM (local time)")) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_zone(group))
    if when > clock + dt.timedelta(minutes=5):
        raise UsageError(_("--at {at}: in the future").format(at=at), _("give when they answered"))
    return when
