"""send --minutes and remind: the synthesis to the people who were there and the group's
members, and each owner's open actions before the next meeting (see `invite/mail.py`; the
logs in `invite/sentlog.py`). One message per person, never sent twice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

import typer

from rencontres.cli.common import commands, complete_groups, now
from rencontres.cli.invitations import (
    DryRun,
    SmtpHost,
    SmtpPort,
    SmtpSecurity,
    SmtpTimeout,
    SmtpUser,
    check_folder,
    delivery_error,
    smtp_settings_of,
    write_eml,
)
from rencontres.core.i18n import _


def send_minutes(record: str, dry_run: Path | None, resend: bool, smtp: tuple) -> None:
    """The synthesis of RECORD to its participants and the group's members."""
    import hashlib
    import os

    from rencontres.cli.common import load_record
    from rencontres.invite import ics, mail, sentlog
    from rencontres.invite.state import read_state
    from rencontres.render.synthesis import Context, build, write

    clock = now()
    archive, meeting = load_record(record)
    store, group = archive.store, archive.group_of(meeting)
    organizer = ics.organizer_of(group)
    invitees = ics.invitees(group, meeting)
    for person, why in invitees.not_invited:
        typer.echo(_("not sent: {person} ({why})").format(person=person.name or person.email,
                                                          why=why), err=True)
    ctx = Context(meeting, group, archive.number(meeting))
    doc = build(ctx)
    key = "minutes " + hashlib.sha256(write(doc, "markdown").encode()).hexdigest()
    owned = _owned(archive.meetings[meeting.group])
    today = clock.date()
    subject = mail.minutes_subject(group, ctx.title, meeting.day)
    if dry_run is not None:
        check_folder(dry_run, store)
    with store.state_lock(meeting.group, "send --minutes"):
        state = read_state(store, meeting.group)
        done = set() if resend else sentlog.minutes_sent(state, meeting.stem)
        todo = [p for p in invitees.attendees if p.email.casefold() not in done]
        if len(todo) < len(invitees.attendees):
            typer.echo(_("minutes already sent to {n} person(s): not sent again (--resend "
                         "sends them again)").format(n=len(invitees.attendees) - len(todo)))
        messages = [(organizer.email, p.email, mail.message(
            organizer=organizer, person=p, subject=subject, key=key, now=clock,
            doc=mail.with_actions(doc, owned.get(_key(p.name), ()), group.language, today,
                                  meeting.url))) for p in todo]
        if dry_run is not None:
            write_eml(messages, dry_run, store)
            return
        settings = smtp_settings_of(smtp, dict(os.environ), meeting.group)

        def log(s: dict, to: str) -> dict:
            return sentlog.log_minutes(s, meeting.stem, to, clock)

        _deliver(store, meeting.group, state, settings, messages, log,
                 _("sent the minutes to {to}"))


@commands.command()
def remind(
    group: Annotated[str | None, typer.Argument(
        metavar=_("GROUP"), autocompletion=complete_groups,
        help=_("The group (default: the only one)."), show_default=False)] = None,
    before: Annotated[str, typer.Option(
        "--before", metavar=_("DAYS"), help=_("How many days before the next meeting or a due "
        "date to remind (7, 7d or 1w)."))] = "7d",
    dry_run: DryRun = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_("Print nothing but errors "
                                        "(for cron)."))] = False,
    smtp_host: SmtpHost = None, smtp_port: SmtpPort = None, smtp_security: SmtpSecurity = None,
    smtp_user: SmtpUser = None, smtp_timeout: SmtpTimeout = None,
) -> None:
    """E-mail each owner of an open action their own actions, then the next meeting and its
    agenda: DAYS before the next meeting, or before one of their due dates.

    Once per meeting and per due date (logged in records/GROUP/state.toml): run it every day
    from cron. Exit 0 when everything due was sent (or nothing was), 5 when someone was not
    reached, 2 for bad settings.
    """
    import os

    from rencontres.cli.common import load_group_archive
    from rencontres.invite import sentlog
    from rencontres.invite.state import read_state

    days = _days(before)
    clock = now()
    archive, slug = load_group_archive(group)
    store = archive.store
    if dry_run is not None:
        check_folder(dry_run, store)
    with store.state_lock(slug, "remind"):
        state = read_state(store, slug)
        messages, missing = _reminders(archive, slug, state, clock, days)
        for owner, n in missing:
            if not quiet:
                typer.echo(_("not reminded: {owner} ({n} open action(s); no e-mail "
                             "address)").format(owner=owner, n=n), err=True)
        if dry_run is not None:
            write_eml([(f, t, m) for f, t, m, __ in messages], dry_run, store)
            return
        if not messages:
            return
        settings = smtp_settings_of((smtp_host, smtp_port, smtp_security, smtp_user,
                                     smtp_timeout), dict(os.environ), slug)
        about = {to: what for __, to, ___, what in messages}

        def log(s: dict, to: str) -> dict:
            return sentlog.log_reminder(s, to, about[to], clock)

        _deliver(store, slug, state, settings, [(f, t, m) for f, t, m, __ in messages], log,
                 _("sent the reminder to {to}"), quiet)


def _reminders(archive, slug: str, state: dict, clock: dt.datetime, days: int):
    """(messages with what each reminds of, owners without an address)."""
    from zoneinfo import ZoneInfo

    from rencontres import followup
    from rencontres.invite import ics, mail, sentlog
    from rencontres.render.pages import agenda_document
    from rencontres.render.synthesis import Document
    from rencontres.render.text import Heading, plain

    g, meetings = archive.groups[slug], archive.meetings[slug]
    today = clock.astimezone(ZoneInfo(g.timezone)).date()
    horizon = today + dt.timedelta(days=days)
    latest = archive.latest(slug)
    nxt = latest.next if latest is not None else None
    when = nxt.date if nxt is not None and isinstance(nxt.date, dt.datetime) else None
    coming = when is not None and today <= when.date()
    agenda: tuple = ()
    if coming:
        plan = agenda_document(followup.agenda(g, meetings, archive.number, latest), g, g.language)
        agenda = (Heading(2, plan.title), *plan.body)
    done, organizer = sentlog.reminded(state), ics.organizer_of(g)
    people = _addresses(g, meetings)
    messages, missing = [], []
    for owner, actions in _owned(meetings).items():
        person = people.get(owner)
        what = [f"meeting {when.date().isoformat()}"] if coming and when and \
            when.date() <= horizon else []
        what += [f"due {t.action.due.isoformat()} {t.ref}" for t in actions
                 if t.action.due is not None and t.action.due <= horizon]
        if person is None:
            if what:
                missing.append((actions[0].action.owner, len(actions)))
            continue
        what = [w for w in what if (person.email.casefold(), w) not in done]
        if not what:
            continue
        subject = mail.reminder_subject(g, when.date() if coming and when else None)
        doc = Document(g.language, plain(g.name), plain(subject),
                       (*mail.yours(actions, g.language, today), *agenda), ())
        key = "reminder " + " ".join(what)
        messages.append((organizer.email, person.email, mail.message(
            organizer=organizer, person=person, subject=subject, doc=doc, key=key, now=clock),
            what))
    return messages, missing


def _key(name: str) -> str:
    from rencontres.core.text import name_key

    return name_key(name)


def _owned(meetings) -> dict[str, list]:
    """The open actions by owner (their names' key), oldest first; none without an owner."""
    from rencontres import followup

    out: dict[str, list] = {}
    for t in followup.open_actions(meetings):
        if t.action.owner.strip():
            out.setdefault(_key(t.action.owner), []).append(t)
    return out


def _addresses(group, meetings) -> dict:
    """Each person the group knows with an address, by their name's key (members first)."""
    from rencontres.core.model import Person
    from rencontres.core.text import valid_email

    out: dict = {}
    for p in [*group.members, *(x.person for m in reversed(meetings) for x in m.participants)]:
        if p.email.strip() and valid_email(p.email.strip()) and _key(p.name) not in out:
            out[_key(p.name)] = Person(" ".join(p.name.split()), email=p.email.strip())
    return out


def _days(text: str) -> int:
    from rencontres.core.errors import UsageError

    m = re.fullmatch(r"\s*(\d{1,3})\s*([dw]?)\s*", text.lower())
    if not m:
        raise UsageError(_("--before {days}: not a number of days").format(days=repr(text)),
                         _("give days (7, 7d) or weeks (1w)"))
    return int(m[1]) * (7 if m[2] == "w" else 1)


def _deliver(store, slug: str, state: dict, settings, messages, log, said: str,
             quiet: bool = False) -> None:
    """Send, logging each message as soon as the server accepted it (`said`, with {to}, for
    each); a failure in one line."""
    from rencontres.invite import smtp

    def sent(to: str) -> None:
        nonlocal state
        state = log(state, to)
        store.write_state(slug, state)
        if not quiet:
            typer.echo(said.format(to=to))

    failures = smtp.deliver(settings, messages, sent) if messages else []
    if failures:
        raise delivery_error(settings, failures)
