"""invite, calendar, send: the next meeting in calendars and mailboxes.

The clock (`cli.now`): a calendar's DTSTAMP (and a message's Date) is the only time read,
once per command.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rencontres.core.i18n import _

if TYPE_CHECKING:
    from rencontres.invite.smtp import SmtpSettings

from rencontres.cli.common import (
    OutputOption,
    check_output,
    commands,
    complete_groups,
    complete_records,
    load_group_archive,
    load_record,
    now,
    open_store,
    write_output,
)
from rencontres.core.errors import DateToBeSet, DeliveryError, UsageError

RecordArgument = Annotated[str, typer.Argument(
    metavar=_("RECORD"), autocompletion=complete_records,
    help=_("The record whose [next] meeting to invite to."))]
Cancel = Annotated[
    bool, typer.Option("--cancel", help=_("Cancel the meeting (METHOD:CANCEL, STATUS:CANCELLED)."))
]
# The options of every command that sends mail (send, remind)
DryRun = Annotated[Path | None, typer.Option(
    "--dry-run", metavar=_("DIR"), show_default=False,
    help=_("Write one .eml file per message into DIR instead of sending."))]
SmtpHost = Annotated[str | None, typer.Option(
    "--smtp-host", metavar=_("HOST"), help=_("SMTP server [env: RENCONTRES_SMTP_HOST]."),
    show_default=False)]
SmtpPort = Annotated[int | None, typer.Option(
    "--smtp-port", metavar="PORT",
    help=_("SMTP port [env: RENCONTRES_SMTP_PORT; default 25, 587 or 465]."), show_default=False)]
SmtpSecurity = Annotated[str | None, typer.Option(
    "--smtp-security", metavar="none|starttls|ssl",
    help=_("none, starttls or ssl [env: RENCONTRES_SMTP_SECURITY; default starttls]."),
    show_default=False)]
SmtpUser = Annotated[str | None, typer.Option(
    "--smtp-user", metavar=_("USER"), help=_("SMTP user [env: RENCONTRES_SMTP_USER]; its password "
    "from RENCONTRES_SMTP_PASSWORD, a password_file or the keyring (see the README)."),
    show_default=False)]
SmtpTimeout = Annotated[float | None, typer.Option(
    "--smtp-timeout", metavar=_("SECONDS"),
    help=_("Seconds to wait for the SMTP server [env: RENCONTRES_SMTP_TIMEOUT; default 30]."),
    show_default=False)]


def _prepare(record: str, cancel: bool, clock: dt.datetime, target=None, *, stack, holder: str):
    """The invitation of RECORD's next meeting. `target(store)` checks where the output goes
    before anything is decided, so a refused target leaves the state as it was. The group's
    state is held for `holder` until `stack` closes (`records/lock.py`)."""
    from rencontres.invite import ics
    from rencontres.invite.state import read_state

    archive, meeting = load_record(record)
    if target is not None:
        target(archive.store)
    stack.enter_context(archive.store.state_lock(meeting.group, holder))
    group = archive.group_of(meeting)
    state = read_state(archive.store, meeting.group)
    try:
        prepared = ics.prepare(group, archive.meetings[meeting.group], archive.number,
                               meeting, state, cancel=cancel, now=clock)
    except DateToBeSet as exc:
        raise UsageError(_("{key}: the next meeting's date is to be set, so there is nothing "
                           "to invite to yet").format(key=exc.key),
                         _("write its date in [next] (`rencontres edit {key}`) once it is "
                           "known").format(key=exc.key)) from None
    return archive, meeting, prepared


def _report_not_invited(prepared) -> None:
    for person, why in prepared.not_invited:
        typer.echo(_("not invited: {person} ({why})").format(person=person.name or person.email,
                                                             why=why), err=True)


@commands.command()
def invite(
    record: RecordArgument,
    output: OutputOption = None,
    cancel: Cancel = False,
) -> None:
    """Write the iTIP invitation (REQUEST, or CANCEL) for a record's next meeting.

    The UID and SEQUENCE are kept in records/GROUP/state.toml: the same UID for
    good, SEQUENCE + 1 when the date, time, end, venue or address changed.
    """
    from contextlib import ExitStack

    with ExitStack() as stack:
        archive, meeting, prepared = _prepare(record, cancel, now(),
                                              lambda store: check_output(output, store),
                                              stack=stack, holder="invite")
        archive.store.write_state(meeting.group, prepared.state)
    _report_not_invited(prepared)
    write_output(prepared.ics, output, archive.store)


@commands.command("calendar")
def calendar_feed(
    group: Annotated[str | None, typer.Argument(
        metavar=_("GROUP"), autocompletion=complete_groups,
        help=_("The group whose meetings to publish (default: the only one; in a folder of "
             "several groups, all of them)."), show_default=False)] = None,
    output: OutputOption = None,
) -> None:
    """Write a subscribable calendar of a group's meetings, the upcoming one included.

    Without GROUP in a folder of several groups: one calendar of every group's meetings.
    """
    from rencontres.invite import ics
    from rencontres.invite.state import read_state

    store = open_store()
    slugs = store.groups()
    if group is None and len(slugs) > 1:  # every group, read and written one per core
        from rencontres.records.archive import cores, each_group, misnamed, refuse

        done = each_group(store, slugs, ics.group_events, cores())
        refuse([p for p in misnamed(store) + [p for problems, _ in done for p in problems]
                if p.severity == "error"])
        langs = {lang for _, (lang, _) in done}
        made = ics.feed_of_all(langs.pop() if len(langs) == 1 else "fr",
                                    [part for _, (_, part) in done])
        write_output(made, output, store)
        return
    archive, group = load_group_archive(group)
    g = archive.groups[group]
    entries = ics.feed_entries(g, archive.meetings[group], archive.number,
                                    read_state(archive.store, group))
    write_output(ics.feed(g, entries), output, archive.store)


def eml_name(address: str) -> str:
    """One file per address, never two addresses to one file: the address lowercased (as
    attendees are told apart), every other character than [a-z0-9@._+-] %-encoded."""
    return re.sub(r"[^a-z0-9@._+-]",
                  lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")),
                  address.lower()) + ".eml"


def write_eml(messages, folder: Path, store) -> None:
    """--dry-run DIR: one .eml file per (sender, recipient, message), DIR made if missing."""
    from rencontres.records.store import make_folder

    make_folder(folder)
    for _sender, to, msg in messages:
        write_output(msg.as_bytes(), folder / eml_name(to), store)


def check_folder(folder: Path, store) -> None:
    """--dry-run DIR: an output folder (made when the messages are written, with its parents,
    when missing) — never among the records."""
    store.refuse_output(folder, "messages")
    if folder.exists() and not folder.is_dir():
        raise UsageError(_("{folder}: not a folder").format(folder=folder),
                         _("give --dry-run a folder for the messages"))


@commands.command()
def send(
    record: RecordArgument,
    cancel: Cancel = False,
    minutes: Annotated[bool, typer.Option(
        "--minutes", help=_("Send RECORD's synthesis (the minutes) to its participants and the "
        "group's members instead, each with their own open actions first."))] = False,
    resend: Annotated[bool, typer.Option(
        "--resend", help=_("With --minutes: send them again to those who had them."))] = False,
    dry_run: DryRun = None,
    smtp_host: SmtpHost = None, smtp_port: SmtpPort = None, smtp_security: SmtpSecurity = None,
    smtp_user: SmtpUser = None, smtp_timeout: SmtpTimeout = None,
) -> None:
    """E-mail the invitation (or cancellation) to every attendee not yet reached.

    One iMIP message per attendee. Deliveries are logged in records/GROUP/state.toml:
    a re-run sends only to those the last run did not reach, and never sends the
    same version twice.
    """
    from contextlib import ExitStack

    smtp = (smtp_host, smtp_port, smtp_security, smtp_user, smtp_timeout)
    if minutes or resend:
        if cancel or not minutes:
            raise UsageError(_("--resend goes with --minutes, and --cancel without it"))
        from rencontres.cli.mailing import send_minutes

        send_minutes(record, dry_run, resend, smtp)
        return
    clock = now()
    with ExitStack() as stack:  # the group's state held from reading it to the last log line
        archive, meeting, p = _prepare(record, cancel, clock, None if dry_run is None
                                       else lambda store: check_folder(dry_run, store),
                                       stack=stack, holder="send")
        settings = None  # the group's own settings, if any (nothing is written before)
        if dry_run is None:
            settings = smtp_settings_of(smtp, dict(os.environ), meeting.group)
        _send(archive, meeting, p, clock, dry_run, settings)


def _send(archive, meeting, p, clock: dt.datetime, dry_run: Path | None, settings) -> None:
    from rencontres.invite import imip, smtp
    from rencontres.invite.state import log_delivery, reached

    store, inv = archive.store, p.invitation
    store.write_state(meeting.group, p.state)
    _report_not_invited(p)

    done = reached(p.state, inv)
    todo = [a for a in p.attendees if a.email.lower() not in done]
    if len(todo) < len(p.attendees):
        typer.echo(_("already sent (SEQUENCE {sequence}) to {n} attendee(s): not sent "
                     "again").format(sequence=inv.sequence, n=len(p.attendees) - len(todo)))
    lang = p.group.language
    messages = [
        (p.organizer.email, a.email, imip.imip_message(
            ics=p.ics, method=inv.method, organizer=p.organizer, attendee=a,
            subject=imip.subject(inv.method, inv.sequence, p.summary, p.start, lang),
            text=imip.body(p.group, p.agenda, inv.method, p.summary, p.where, p.start, p.end),
            now=clock))
        for a in todo
    ]
    if dry_run is not None:
        write_eml(messages, dry_run, store)
        return

    state = p.state
    assert settings is not None  # made above when not a dry run

    def sent(to: str) -> None:
        nonlocal state
        state = log_delivery(state, inv, to, clock)
        store.write_state(meeting.group, state)
        typer.echo(_("sent {method} (SEQUENCE {sequence}) to {to}").format(
            method=inv.method, sequence=inv.sequence, to=to))

    failures = smtp.deliver(settings, messages, sent) if messages else []
    if failures:
        raise delivery_error(settings, failures)


def delivery_error(settings, failures) -> DeliveryError:
    """The failures of a round in one line: a fault of the connection said once, naming the
    server, with the setting that fixes it, then who was not reached; a recipient the server
    refused, each with its answer."""
    from rencontres.invite import smtp

    fixes = {
        smtp.NO_STARTTLS: _("use --smtp-security none for a local server without TLS, or ssl "
                            "for an SMTPS port (465)"),
        smtp.NOT_TLS: _("this port speaks plain SMTP: use --smtp-security starttls (port 587) "
                        "or none"),
        smtp.NO_GREETING: _("for an SMTPS port (465) use --smtp-security ssl; else a longer "
                            "--smtp-timeout"),
        smtp.CERTIFICATE: _("give the file of the authority that signed it through "
                            "SSL_CERT_FILE (a server of your own: its certificate itself)"),
        smtp.REFUSED: _("check --smtp-host and --smtp-port: nothing answers there"),
        smtp.UNKNOWN_HOST: _("check --smtp-host"),
        smtp.LOGIN: _("check --smtp-user and its password (RENCONTRES_SMTP_PASSWORD, the "
                      "configuration's password_file, or the keyring)"),
        smtp.TIMEOUT: _("run the same command again to send to them only (a longer "
                        "--smtp-timeout if it happens again)"),
        smtp.DROPPED: _("run the same command again to send to them only"),
    }
    refused = [f for f in failures if not f.fault]
    lost = [f for f in failures if f.fault]
    parts = "; ".join(f"{f.to} ({_worded(f.reason)})" for f in refused)
    if not lost:
        return DeliveryError(_("not reached: {recipients}").format(recipients=parts),
                             _("run the same command again to send to them only"))
    message = _("SMTP server {host}:{port}: {reason}; not reached: {recipients}").format(
        host=settings.host, port=settings.port, reason=lost[0].reason,
        recipients=", ".join(f.to for f in lost))
    if refused:
        message = _("{message}; not reached either: {recipients}").format(
            message=message, recipients=parts)
    return DeliveryError(message, fixes.get(lost[0].fault, ""))


def smtp_settings_of(smtp: tuple, env: dict[str, str], group: str | None):
    """The settings from the options (host, port, security, user, timeout) of a command."""
    host, port, security, user, timeout = smtp
    return _smtp_settings(host, port, security, user, env, timeout, group)


def _smtp_settings(host: str | None, port: int | None, security: str | None,
               user: str | None, env: dict[str, str],
               timeout: float | None = None, group: str | None = None) -> SmtpSettings:
    """The SMTP server to send through: flags first, then RENCONTRES_SMTP_*, then the user's
    configuration ([smtp], [groups.GROUP.smtp]); the password from the environment, a file
    the configuration names, or the keyring (`config.password`) — never a flag."""
    from rencontres.cli import config
    from rencontres.core.errors import UsageError
    from rencontres.invite.smtp import DEFAULT_PORTS, DEFAULT_TIMEOUT, SECURITIES, SmtpSettings

    conf = config.section("smtp", group, env)
    host = host or env.get("RENCONTRES_SMTP_HOST", "") or str(conf.get("host", ""))
    if not host:
        raise UsageError(_("no SMTP server"), _(
            "set RENCONTRES_SMTP_HOST or --smtp-host (or [smtp] host in {path}), or write the "
            "messages with --dry-run DIR").format(path=config.config_path(env)))
    security = (security or env.get("RENCONTRES_SMTP_SECURITY") or str(conf.get("security", ""))
                or "starttls").lower()
    if security not in SECURITIES:
        raise UsageError(_("SMTP security {security} is not one of {choices}").format(
            security=repr(security), choices=", ".join(SECURITIES)))
    raw_port = port if port is not None else env.get("RENCONTRES_SMTP_PORT") or conf.get("port")
    try:
        port = int(raw_port) if raw_port not in (None, "") else DEFAULT_PORTS[security]
    except ValueError:
        raise UsageError(_("SMTP port {port} is not a number").format(port=repr(raw_port))
                         ) from None
    if not 0 < port < 65536:
        raise UsageError(_("SMTP port {port} is out of range").format(port=port))
    user = user or env.get("RENCONTRES_SMTP_USER", "") or str(conf.get("user", ""))
    if user and security == "none":
        raise UsageError(_("refusing to send an SMTP password over an unencrypted connection"),
                         _("use RENCONTRES_SMTP_SECURITY=starttls or ssl"))
    password = config.password("smtp", conf, env, user, host) if user else ""
    raw_timeout = timeout if timeout is not None else env.get("RENCONTRES_SMTP_TIMEOUT") or \
        conf.get("timeout")
    try:
        timeout = float(raw_timeout) if raw_timeout not in (None, "") else DEFAULT_TIMEOUT
    except ValueError:
        raise UsageError(_("SMTP timeout {timeout} is not a number of seconds").format(
            timeout=repr(raw_timeout))) from None
    if not 0 < timeout <= 3600:
        raise UsageError(_("SMTP timeout {seconds} s is out of range").format(
            seconds=f"{timeout:g}"), _("give a number of seconds above 0, at most 3600"))
    return SmtpSettings(host, port, security, user, password, timeout)


def _worded(reason: str) -> str:
    """A delivery's failure, with the option that would have waited longer when it timed out."""
    from rencontres.invite.smtp import TIMED_OUT

    return reason.replace(_(TIMED_OUT), _("no answer from the server in time (see "
                                          "--smtp-timeout)"))
