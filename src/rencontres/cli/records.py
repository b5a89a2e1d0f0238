"""new, check, list, show: the records themselves."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rencontres.cli.common import (
    LangOption,
    as_typed,
    commands,
    complete_groups,
    complete_records,
    console,
    group_language,
    load_archive,
    load_record,
    open_store,
    print_table,
    say_warnings,
    with_source,
)
from rencontres.core.i18n import _, ngettext

# -- check ---------------------------------------------------------------------


@commands.command()
def check(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar=_("PATH"), help=_("Records, group folders or a records folder (default: every record)."),
        show_default=False)] = None,
) -> None:
    """Check records: syntax, keys, types, dates, e-mails, duplicates, numbering.

    Prints each problem as `path:line: error|warning: message`, then a summary.
    Exits 1 when there is an error (warnings alone exit 0).
    """
    from rencontres.core.errors import NotFound
    from rencontres.core.model import Problem
    from rencontres.records.archive import Archive
    from rencontres.records.store import GROUP_FILE, STATE_FILE, STEM_RE, Store, absolute

    problems, counted = [], 0
    every: list[Path | None] = [None]
    for path in paths or every:
        if path is None:  # every record
            archive = load_archive()
        elif not path.exists() and not path.is_symlink():
            raise NotFound(_("{path}: no such file or folder").format(path=path))
        elif (unread := _unread(path)) is not None:  # where no command reads
            problems += unread
            counted += len(unread)  # a file each ("not read: …", from `misplaced`)
            continue
        elif not path.is_dir():  # a record, a group.toml or a state.toml
            counted += 1
            folder = absolute(path).parent
            if path.name == STATE_FILE:
                problems += _state_problems(Store(folder.parent), folder.name)
            elif path.name != GROUP_FILE and not (path.suffix == ".toml"
                                                  and STEM_RE.match(path.stem)):
                problems.append(Problem(str(path), None, "error", _(
                    "not a record (a meeting is YYYY-MM-DD.toml in a group folder, the group "
                    "group.toml)")))
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
        typer.echo(with_source(p))
    summary = _("{files}: {errors}, {warnings}").format(
        files=ngettext("{n} file checked", "{n} files checked", counted).format(n=counted),
        errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings))
    typer.echo(summary, err=True)
    if errors:
        raise typer.Exit(1)


def _unread(path: Path) -> list | None:
    """For a file or folder of the records folder that no command reads (a record directly
    in it, a group's sub-folder), its files' warnings saying where they go; else None."""
    from rencontres.core.errors import RencontresError
    from rencontres.records.archive import misplaced
    from rencontres.records.store import GROUP_FILE, absolute

    try:
        store = open_store()
    except RencontresError:
        return None
    root, given = absolute(store.root), absolute(path)
    if given == root or root not in given.parents:
        return None
    parts = given.relative_to(root).parts
    in_root = len(parts) == 1 and path.suffix == ".toml" and not path.is_dir()
    in_sub_folder = len(parts) >= 2 and (root / parts[0] / parts[1]).is_dir() \
        and (root / parts[0] / GROUP_FILE).is_file()  # below a group's sub-folder
    if not (in_root or in_sub_folder):
        return None
    return misplaced(store, [p for p in store.unread([parts[0]] if len(parts) > 1 else [])
                             if absolute(p) == given or given in absolute(p).parents])


def _state_problems(store, slug: str) -> list:
    """A damaged state.toml, as a problem of `check`."""
    from rencontres.core.errors import Unreadable
    from rencontres.core.model import Problem
    from rencontres.invite.state import read_state

    try:
        read_state(store, slug)
    except Unreadable as exc:
        return [Problem(str(exc.path), exc.line, "error", exc.reason)]
    return []


# -- list ----------------------------------------------------------------------


@commands.command("list")
def list_(
    group: Annotated[str | None, typer.Argument(
        metavar=_("GROUP"), autocompletion=complete_groups, help=_("Only this group."),
        show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("JSON instead of a table."))] = False,
    lang: LangOption = None,
) -> None:
    """List meetings in date order: date, number, title, participants present, next meeting."""
    archive = load_archive(group)
    rows, to_be_set = [], []
    for m in archive.all_meetings():
        to_be_set.append(m.next is not None and m.next.date is None)
        nxt = m.next.date.isoformat(timespec="minutes") if m.next and m.next.date else None
        rows.append({
            "group": m.group,
            "date": m.date.isoformat(timespec="minutes") if m.start else m.date.isoformat(),
            "number": archive.number(m),
            "title": archive.title(m),
            "path": as_typed(str(archive.path(m))),
            "present": len(m.attending()),
            "participants": [{"name": p.name, "organization": p.person.organization,
                              "role": p.person.role, "attendance": p.attendance}
                             for p in m.participants],
            "next": nxt,
        })
    errors = archive.errors
    if as_json:
        import json

        if errors:  # a script must never take part of the archive for the whole
            _refuse_listing(errors)
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rencontres.render import LABELS
    from rencontres.render.tables import WORDS

    language = lang or group_language(archive, group)
    w = WORDS[language]
    several = len(archive.groups) > 1
    heads = [*([w["group"]] if several else []), w["date"], w["number"], w["title"],
             w["present"], w["next"]]
    body = [[*([r["group"]] if several else []), r["date"].replace("T", " "),
             str(r["number"] or ""), r["title"], str(r["present"] or ""),
             (r["next"] or "").replace("T", " ") or (LABELS[language]["to_be_set"] if unset else "")]
            for r, unset in zip(rows, to_be_set, strict=True)]
    print_table(heads, body, right=frozenset({len(heads) - 4, len(heads) - 2}))
    if errors:
        _refuse_listing(errors)


def _refuse_listing(errors) -> None:
    from rencontres.core.errors import InvalidRecord

    for p in errors:
        typer.echo(f"{as_typed(str(p))}", err=True)
    n = len(errors)
    raise InvalidRecord(ngettext("{n} error in the records: what they hold is not listed",
                                 "{n} errors in the records: what they hold is not listed",
                                 n).format(n=n), _("fix them (see `rencontres check`)"))


# -- show ----------------------------------------------------------------------


SHOW = {
    "fr": {"present": "Présents", "excused": "Excusés", "absent": "Absents",
           "context": "Repère", "decision": "décision", "action": "action", "done": "fait",
           "dropped": "abandonné", "due": "pour le {date}", "next": "Prochaine rencontre",
           "more": "(+{n} paragraphe{s})"},
    "en": {"present": "Present", "excused": "Excused", "absent": "Absent",
           "context": "Background", "decision": "decision", "action": "action", "done": "done",
           "dropped": "dropped", "due": "by {date}", "next": "Next meeting",
           "more": "(+{n} paragraph{s})"},
}


def _topic_rows(topic, w: dict[str, str], sep: str, language: str) -> list:
    """A topic's decisions and actions as (mark, text) rows."""
    from rich.text import Text

    from rencontres.core.words import date_long
    from rencontres.render import LABELS, decision_text

    rows = [(Text(w["decision"], "green"), decision_text(d, language)) for d in topic.decisions]
    for a in topic.actions:
        status = w["done"] if a.done else w["dropped"] if a.dropped else w["action"]
        due = f" ({w['due'].format(date=date_long(a.due, language))})" if a.due else ""
        owner = f"{a.owner}{sep}" if a.owner else ""
        note = f" — {LABELS[language]['progress'].format(note=a.note.strip())}" \
            if a.note.strip() else ""
        rows.append((Text(status, "dim" if a.done or a.dropped else "yellow"),
                     owner + a.task + due + note))
    return rows


@commands.command()
def show(
    record: Annotated[str, typer.Argument(
        metavar=_("RECORD"), autocompletion=complete_records,
        help=_("A record: path, GROUP/YYYY-MM-DD, or a date."), show_default=False)],
    lang: LangOption = None,
) -> None:
    """Show one meeting in the terminal, in the group's language.
    """
    from rencontres.core.errors import UsageError

    archive, m = load_record(record)
    group = archive.group_of(m)
    language = lang or group.language
    if language not in SHOW:
        raise UsageError(_("--lang {value}: not a language of the tool").format(
            value=repr(language)), _("use fr or en"))
    say_warnings(archive, m)
    show_meeting(console(), m, group, archive.title(m), language)


def show_meeting(out, m, group, title: str, language: str, problems=()) -> None:
    """One meeting as `show` prints it, on the console `out` (`new`'s review too)."""
    import textwrap

    from rich.text import Text

    from rencontres.render import LABELS, person_text
    from rencontres.render import when_text as when

    w, sep = SHOW[language], LABELS[language]["sep"]

    def line(*parts) -> None:
        out.print(Text.assemble(*parts))

    line((title, "bold"), "  ", (f"{group.name} · {m.key}", "dim"))
    if m.subtitle:
        line((m.subtitle, "italic"))
    place = ", ".join(x for x in (m.venue, m.address) if x)
    line(when(m.date, language) + (f" — {place}" if place else ""))
    for attendance in ("present", "excused", "absent"):
        people = m.attending(attendance)
        if people:
            names = LABELS[language]["list_sep"].join(person_text(p.person) for p in people)
            line((f"{w[attendance]} ({len(people)})", "bold"), sep, names)
    if m.context:
        out.print()
        line((w["context"], "bold"))
        line(m.context.strip())
    for i, topic in enumerate(m.topics, start=1):
        out.print()
        line((f"{i}. {topic.title}", "bold"))
        if topic.body:
            paragraphs = topic.body.strip().split("\n\n")
            first = textwrap.shorten(" ".join(paragraphs[0].split()), 400, placeholder=" …")
            more = len(paragraphs) - 1
            line(first, *((" ", (w["more"].format(n=more, s="s" * (more != 1)), "dim"))
                          if more else ()))
        rows = _topic_rows(topic, w, sep, language)
        if rows:
            _items(out, [(Text("  ") + mark, text) for mark, text in rows])
    if m.next:
        n = m.next
        place = ", ".join(x for x in (n.venue, n.address) if x)
        extra = f" ({n.phone})" if n.phone else ""
        out.print()
        said = when(n.date, language) if n.date is not None else LABELS[language]["to_be_set"]
        line((w["next"], "bold"), sep, said + (f" — {place}{extra}" if place or extra else ""))
        if n.note.strip():
            line(n.note.strip())
        if n.agenda:
            _items(out, [(Text("  -"), item) for item in n.agenda])
    for p in problems:
        line((str(p), "yellow"))


def _items(out, rows) -> None:
    """Marked lines with a hanging indent: wrapped text stays right of its mark."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for mark, text in rows:
        grid.add_row(mark, Text(text))
    out.print(grid, style="", end="")
    out.print()
