"""The questions: ask, check, ask again — answered into plain values (a Draft's parts).

`fill` is the question loop of `new`: each part of the draft from its flag, else (in a
terminal) asked, pre-filled with what the archive proposes, else as proposed. A bad answer
is explained and asked again; the record itself is made by `entry`, which knows nothing of
terminals.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from rencontres.cli import inputs
from rencontres.core.errors import RencontresError, UsageError

if TYPE_CHECKING:
    from rencontres.entry.defaults import Defaults
    from rencontres.entry.draft import Draft


class Asker:
    """Prompts that never lose an answer: a bad one is explained and asked again.

    Every answer passes here: `prompt`, `confirm` and `edit` get it, `accepted` and
    `rejected` hear what became of it (`cli/session.py` journals and replays them)."""

    def ask(self, label: str, parse: Callable[[str], Any] = str, default: str | None = None,
            optional: bool = False) -> Any:
        while True:
            answer = self.prompt(label, default if default is not None
                                 else ("" if optional else None), bool(default))
            try:
                value = None if optional and not answer.strip() else parse(answer)
            except RencontresError as exc:
                self.rejected(label, answer)
                typer.echo(f"  {exc} — try again", err=True)
                continue
            self.accepted(label, answer)
            return value

    def prompt(self, label: str, default: str | None, show_default: bool) -> str:
        return typer.prompt(label, default=default, show_default=show_default)

    def accepted(self, label: str, answer: str) -> None:
        """`answer` (as typed, or the default taken) was accepted for `label`."""

    def rejected(self, label: str, answer: str) -> None:
        """`answer` was refused for `label`: it will be asked again."""

    def confirm(self, label: str, default: bool = False) -> bool:
        return typer.confirm(label, default=default)

    def edit(self, label: str, text: str = "") -> str:
        """A text written in the user's editor (`label` says which)."""
        return edit_text(text)


@dataclass
class Given:
    """What the flags of `new` gave, read (None, empty: not given)."""

    when: dt.date | dt.datetime | None = None
    end: dt.time | None = None
    venue: str | None = None
    address: str | None = None
    context: str | None = None
    people: list = field(default_factory=list)  # (Person, attendance)
    topics: list[dict] = field(default_factory=list)
    next: dt.datetime | None = None
    next_venue: str | None = None
    next_address: str | None = None
    agenda: list[str] = field(default_factory=list)


def ask_date(ask: Asker, announced: dt.datetime | None) -> dt.date | dt.datetime:
    return ask.ask("Date (YYYY-MM-DD[THH:MM], or 16/01/2008 14h)",
                   lambda a: inputs.when(a, "date"),
                   default=announced.isoformat(timespec="minutes") if announced else None)


def fill(draft: Draft, given: Given, proposed: Defaults, members, ask: Asker | None) -> Draft:
    """The rest of `new`'s draft (its date, end and UID proposed): from the flags, else
    asked (`ask`: in a terminal), else as the archive proposes."""
    if given.end is not None:
        draft.end = given.end
    draft.venue = _part(ask, given.venue, "Venue", proposed.venue)
    draft.address = _part(ask, given.address, "Address", proposed.address)
    if ask and given.end is None and isinstance(draft.date, dt.datetime):
        shown = draft.end.strftime("%H:%M") if isinstance(draft.end, dt.time) else None
        draft.end = ask.ask("End (HH:MM, empty: none)", lambda a: inputs.time(a, "end"),
                            default=shown, optional=True)
    if given.context is not None:
        draft.context = given.context
    elif ask:
        draft.context = _ask_text(ask, 'Context ("Repère"): one line, "e" for your editor, '
                                       "empty: none") or ""
    people = given.people
    if not people and ask:
        people = _ask_participants(ask, members)
    draft.participants = people
    names = [p.name for p, _ in people] or [m.name for m in members]
    topics = [*proposed.topics, *given.topics]
    draft.topics = _ask_topics(ask, topics, names, proposed.review) if ask else topics
    nxt = given.next
    if nxt is None and ask:
        nxt = ask.ask("Next meeting (YYYY-MM-DDTHH:MM, empty: none)",
                      lambda a: inputs.when(a, "next meeting", need_time=True), optional=True)
    if nxt is not None:
        draft.next = _next(ask, nxt, given, draft)
    return draft


def _part(ask: Asker | None, flag: str | None, label: str, proposed: str) -> str:
    if flag is not None:
        return flag or ""
    if ask:
        return ask.ask(label, default=proposed, optional=True) or ""
    return proposed or ""


def _next(ask: Asker | None, when: dt.datetime, given: Given, draft: Draft) -> dict:
    venue, address = given.next_venue, given.next_address
    if venue is None and ask:
        venue = ask.ask("Next meeting's venue", default=draft.venue, optional=True)
    if address is None and ask:
        same = (venue or "").strip() == draft.venue
        address = ask.ask("Next meeting's address",
                          default=draft.address if same else "", optional=True)
    items = given.agenda
    if not items and ask:
        items = _ask_list(ask, "Next meeting's agenda item")
    return {"date": when, "venue": (venue or "").strip(),
            "address": (address or "").strip(), "agenda": items}


def _attendance(answer: str) -> str:
    choices = {"p": "present", "e": "excused", "a": "absent"}
    key = answer.strip().lower()
    if key[:1] in choices and choices[key[:1]].startswith(key):
        return choices[key[:1]]
    raise UsageError(f"{answer!r}: not an answer", "type p (present), e (excused) or a (absent)")


def _ask_participants(ask: Asker, members) -> list:
    people = []
    for person in members:
        label = person.name + (f" / {person.organization}" if person.organization else "")
        people.append((person, ask.ask(f"{label}: [p]resent, [e]xcused, [a]bsent", _attendance,
                                       default="p")))
    while True:
        extra = ask.ask('Another participant ("Name / Organisation <email>", empty: done)',
                        lambda a: inputs.person(a, "participant"), optional=True)
        if extra is None:
            return people
        people.append((extra, "present"))


def _ask_text(ask: Asker, label: str) -> str | None:
    answer = ask.ask(label, optional=True)
    if answer is not None and answer.strip().lower() == "e":
        return ask.edit(label)
    return answer


def _ask_list(ask: Asker, label: str) -> list[str]:
    items = []
    while (item := ask.ask(f"{label} (empty: done)", optional=True)) is not None:
        if item.strip():
            items.append(item.strip())
    return items


def _owner(names: list[str]) -> Callable[[str], str]:
    def parse(answer: str) -> str:
        answer = answer.strip()
        if answer.isdigit():
            if not 1 <= int(answer) <= len(names):
                raise UsageError(f"{answer}: no such number", f"give 1 to {len(names)}, or a name")
            return names[int(answer) - 1]
        return answer
    return parse


def _ask_actions(ask: Asker, names: list[str]) -> list[dict]:
    choices = ", ".join(f"{i} {n}" for i, n in enumerate(names, 1))
    actions: list[dict] = []
    while True:
        owner = ask.ask(f"  Action owner ({choices + '; ' if choices else ''}a number or a name; "
                        "empty: no more actions)", _owner(names), optional=True)
        if owner is None:
            return actions
        task = ask.ask("    Task", lambda a: a.strip() or _no_task())
        due = ask.ask("    Due date (YYYY-MM-DD, empty: none)",
                      lambda a: inputs.day(a, "due date"), optional=True)
        actions.append({"owner": owner, "task": task, "due": due})


def _no_task():
    raise UsageError("a task is needed", "say what is to be done")


def _review(ask: Asker, actions: list[dict]) -> list[dict]:
    """Each open action: still open, done, or dropped."""
    status = {"o": {}, "d": {"done": True}, "r": {"dropped": True}}

    def parse(answer: str) -> dict:
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
    topics: list[dict] = []
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
            topic["body"] = ask.edit(f"The text of “{topic['title']}”")
        topic["decisions"] = _ask_list(ask, "  Decision")
        topic["actions"] = [*topic.get("actions", []), *_ask_actions(ask, names)]
        topics.append(topic)


def edit_text(text: str, suffix: str = ".md", keep_in: Path | None = None) -> str:
    """Open $VISUAL or $EDITOR on a temporary file (in `keep_in`, else the system's
    temporary folder); return what was saved. If the editor fails, the file is kept and
    the error says where."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="rencontres-text-", dir=keep_in))
    path = folder / f"text{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        run_editor(path)
    except UsageError as exc:
        raise UsageError(f"{exc.message}; your text is kept in {path}", exc.hint) from None
    body = path.read_text(encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    return body.strip() + "\n" if body.strip() else ""


def run_editor(path: Path) -> None:
    import shlex
    import subprocess

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        subprocess.run([*shlex.split(editor), str(path)], check=True)
    except OSError as exc:
        raise UsageError(f"the editor {editor!r} could not be started ({exc.strerror or exc})",
                         "set $VISUAL or $EDITOR to an editor you have") from None
    except subprocess.CalledProcessError:
        raise UsageError(f"the editor {editor!r} exited with an error",
                         "set $VISUAL or $EDITOR to an editor you have") from None
