"""publish: a record's synthesis (or its next meeting's invitation) as an article of the
group's SPIP rubrique, created and then updated through SPIP's private area (see
`publish/`). The article's number and digests are kept in the group's state."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer

from rencontres.cli.common import commands, complete_records
from rencontres.core.i18n import N_, _


class Status(StrEnum):
    prop = "prop"
    publie = "publie"


STATUS_WORDS = {"prop": N_("proposed"), "publie": N_("published"), "prepa": N_("being written"),
                "refuse": N_("refused"), "poubelle": N_("in the bin")}


@commands.command()
def publish(
    record: Annotated[str | None, typer.Argument(
        metavar=_("RECORD"), autocompletion=complete_records,
        help=_("The meeting whose synthesis to publish (with --invitation: whose [next] "
        "meeting's invitation)."), show_default=False)] = None,
    status: Annotated[Status, typer.Option(
        "--status", metavar="prop|publie",
        help=_("Propose the article (default) or publish it (an administrator's right)."))
    ] = Status.prop,
    invitation: Annotated[bool, typer.Option(
        "--invitation", help=_("Publish the invitation to RECORD's next meeting."))] = False,
    force: Annotated[bool, typer.Option(
        "--force", help=_("Replace the article's text even if it differs from what was last "
        "sent (someone edited it on the site)."))] = False,
    pull: Annotated[bool, typer.Option(
        "--pull", help=_("When the site's text changed: write it beside the record "
        "(RECORD.site.spip) and send nothing."))] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help=_("Print what would be sent, field by field; touch nothing."))] = False,
    every: Annotated[bool, typer.Option(
        "--all", help=_("Every record of the group not yet published, in date order."))] = False,
) -> None:
    """Create or update the SPIP article of a record: Surtitre, Titre and Texte exactly as
    `render --format spip` writes them, its keywords, then its status and date.

    The site and login come from RENCONTRES_SPIP_URL and RENCONTRES_SPIP_LOGIN, or [spip] in
    the configuration file; the password from RENCONTRES_SPIP_PASSWORD, a password_file, or
    the keyring. Publishing again updates the same article, never a second one.
    """
    from rencontres.cli.common import load_group_archive, load_record
    from rencontres.core.errors import UsageError

    if every:
        if invitation or force or pull:
            raise UsageError(_("--all publishes syntheses only, without --force or --pull"))
        archive, slug = load_group_archive(record)
        meetings = [m for m in archive.meetings[slug] if _transcribed(m)]
        _publish_all(archive, slug, meetings, status.value, dry_run)
        return
    if record is None:
        raise UsageError(_("which record?"), _("name one (GROUP/YYYY-MM-DD), or give --all"))
    archive, meeting = load_record(record)
    _publish(archive, meeting, status.value, invitation, force, pull, dry_run)


def _transcribed(meeting) -> bool:
    from rencontres.core.model import transcribed

    return meeting.kind == "meeting" and transcribed(meeting)


def _article(archive, meeting, invitation: bool):
    from rencontres.publish import plan

    return plan.invitation(archive, meeting) if invitation else plan.synthesis(archive, meeting)


def _publish(archive, meeting, status: str, invitation: bool, force: bool, pull: bool,
             dry_run: bool) -> str:
    """One record: the line that says what became of it."""
    from rencontres.invite.state import read_state
    from rencontres.publish import plan

    article = _article(archive, meeting, invitation)
    group = archive.group_of(meeting)
    if dry_run:
        _show(article, meeting)
        return _("dry run")
    base, login, password, timeout = _settings(group.slug)
    store = archive.store
    with store.state_lock(meeting.group, "publish"):
        state = read_state(store, meeting.group)
        known = plan.entry(state, article.key, base)
        number = known["article"] if known else (
            None if invitation else meeting.spip_article)
        site = _session(base, login, password, timeout)
        if number is None:
            rid = group.spip_rubrique or plan.rubrique(site.rubriques(), group.section, group.slug)
            number = site.create(rid, article.fields)
            state = plan.with_entry(state, article.key, {  # at once: a rerun completes it
                "article": number, "site": base, "digest": "", "sent": "", "status": ""})
            store.write_state(meeting.group, state)
            known = state["published"][article.key]
        elif not _may_replace(site, number, article, known, force, pull, store, meeting):
            return _("{key}: kept as the site has it").format(key=meeting.key)
        elif known and known["digest"] == article.digest and known["status"] in (
                status, "publie"):
            line = _("{key}: article {number}: up to date").format(key=meeting.key,
                                                                   number=number)
            typer.echo(line)
            return line
        done = _complete(site, number, article, known, status)
        store.write_state(meeting.group, plan.with_entry(state, article.key, done))
    return _report(site, meeting, number, done, status, known)


def _may_replace(site, number: int, article, known, force: bool, pull: bool, store,
                 meeting) -> bool:
    """Whether the article's text may be replaced: it is what was last sent (or what would
    be sent), else --force; --pull writes the site's text beside the record instead."""
    from rencontres.core.errors import Refused
    from rencontres.publish import plan

    on_site = site.read(number)
    edited = plan.digest(on_site) != known["sent"] if known and known["sent"] else \
        plan.digest(on_site) != plan.digest(article.fields)
    if not edited or force:
        return True
    if pull:
        path = store.meeting_path(meeting.group, meeting.stem).with_suffix(".site.spip")
        from rencontres.records.store import write_atomic

        write_atomic(path, "".join(f"===== {k} =====\n{v}\n" for k, v in on_site.items()
                                   if k != "id_parent"), overwrite=True)
        typer.echo(_("{path}: the site's text of article {number}, to merge by hand").format(
            path=path, number=number))
        return False
    typer.echo(plan.difference(on_site, article.fields), nl=False)
    said = _("{key}: article {number} was edited on the site since it was last published") \
        if known and known["sent"] else \
        _("{key}: article {number} differs from what the record gives (never published from "
          "here)")
    raise Refused(said.format(key=meeting.key, number=number),
                  _("see the difference above; --force replaces it, --pull keeps the site's "
                    "text beside the record"))


def _complete(site, number: int, article, known, status: str) -> dict:
    """Text, keywords, status, date — each step skipped when it is done already."""
    from rencontres.publish.spip import normal

    on_site = site.read(number)
    if any(normal(on_site.get(k, "")) != normal(v) for k, v in article.fields.items()):
        site.update(number, article.fields)
    linked, missing = site.keywords(number, list(article.keywords))
    for word in missing:
        typer.echo(_("keyword {word}: not on the site (create it in SPIP to link it)").format(
            word=repr(word)), err=True)
    for name in sorted(site.unshown):
        typer.echo(_("article {number}: its {field} is sent and shown on the site, but the "
                     "site's article form does not show it (enable it in SPIP's configuration, "
                     "Contenu du site, for people who edit there)").format(number=number,
                                                                           field=name), err=True)
    now = site.set_status(number, status)
    if now == "publie" and article.date is not None:
        site.set_date(number, article.date)
    from rencontres.publish import plan

    return {"article": number, "site": site.http.base, "digest": article.digest,
            "sent": plan.digest(site.read(number)), "status": now}


def _report(site, meeting, number: int, done: dict, status: str, known) -> str:
    state = _(STATUS_WORDS[done["status"]]) if done["status"] in STATUS_WORDS else done["status"]
    line = _("{key}: article {number}, {status}: {url}").format(
        key=meeting.key, number=number, status=state, url=site.public_url(number))
    typer.echo(line)
    if status == "publie" and done["status"] != "publie":
        typer.echo(_("{key}: publishing needs an administrator of the rubrique: the article "
                     "stays {status}").format(key=meeting.key, status=state), err=True)
    return line


def _show(article, meeting) -> None:
    for key, value in article.fields.items():
        if value:
            typer.echo(f"===== {key} =====\n{value}")
    if article.keywords:
        typer.echo("===== keywords =====\n" + "\n".join(article.keywords))
    typer.echo(_("{key}: --dry-run: nothing was sent").format(key=meeting.key), err=True)


def _publish_all(archive, slug: str, meetings, status: str, dry_run: bool) -> None:
    from rencontres.core.errors import RencontresError
    from rencontres.invite.state import read_state

    base = _settings(slug)[0] if not dry_run else ""
    state = read_state(archive.store, slug)
    todo = [m for m in meetings if m.stem not in state.get("published", {})
            and not m.spip_article]
    rows, published = [], 0
    for m in todo:
        try:
            rows.append((m.key, _publish(archive, m, status, False, False, False, dry_run)))
            published += 1
        except RencontresError as exc:
            rows.append((m.key, _("not published: {why}").format(why=exc.message)))
            break  # the next ones wait: a failure is said once, and the state is exact
    for key, what in rows:
        typer.echo(f"{key}\t{what}", err=True)
    typer.echo(_("{done} of {total} record(s) published to {site}").format(
        done=published, total=len(todo), site=base or _("the site (dry run)")), err=True)


def _settings(group: str) -> tuple[str, str, str, float]:
    from urllib.parse import urlsplit

    from rencontres.cli import config
    from rencontres.core.errors import UsageError
    from rencontres.publish.web import base_url

    env = dict(os.environ)
    conf = config.section("spip", group, env)
    url = env.get("RENCONTRES_SPIP_URL") or str(conf.get("url", ""))
    login = env.get("RENCONTRES_SPIP_LOGIN") or str(conf.get("login", ""))
    if not url or not login:
        raise UsageError(_("no SPIP site or login"), _(
            "set RENCONTRES_SPIP_URL and RENCONTRES_SPIP_LOGIN, or [spip] url and login in "
            "{path}").format(path=config.config_path(env)))
    base = base_url(url)
    password = config.password("spip", conf, env, login, urlsplit(base).hostname or base)
    try:
        timeout = float(conf.get("timeout", 30))
    except ValueError:
        raise UsageError(_("[spip] timeout must be a number of seconds")) from None
    return base, login, password, timeout


def _session(base: str, login: str, password: str, timeout: float):
    from rencontres.publish.spip import Site
    from rencontres.publish.web import Http

    site = Site(Http(base, timeout))
    site.login(login, password)
    return site
