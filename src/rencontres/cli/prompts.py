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
from rencontres.cli.inputs import SUFFIX, Label, confirm, label
from rencontres.core.errors import RencontresError, UsageError, reason
from rencontres.core.i18n import N_, _
from rencontres.core.text import name_key
from rencontres.entry.validate import added

if TYPE_CHECKING:
    from rencontres.core.model import Person
    from rencontres.entry.defaults import Defaults
    from rencontres.entry.draft import Draft
    from rencontres.entry.validate import Checker




def prompt(text: str, **options: Any) -> Any:
    """typer's prompt (and confirm), its ": " in the user's language (French: " : ")."""
    return typer.prompt(text, prompt_suffix=_(SUFFIX), **options)


class Asker:
    """Prompts that never lose an answer: a bad one is explained and asked again.

    Every answer passes here: `prompt`, `confirm` and `edit` get it, `accepted` and
    `rejected` hear what became of it (`cli/session.py` journals and replays them)."""

    def ask(self, label: str, parse: Callable[[str], Any] = str, default: str | None = None,
            optional: bool = False, check: Callable[[Any], Any] | None = None) -> Any:
        """`parse(answer)`, then `check(value)` (the value it returns is kept: a correction
        offered and taken); either raising RencontresError asks again, saying why."""
        while True:
            answer = self.prompt(label, default if default is not None else "", bool(default))
            if not answer.strip():
                if optional:
                    self.accepted(label, answer)
                    return None
                if default is None:
                    typer.echo(_("  an answer is needed"), err=True)
                    continue
            try:
                value = parse(answer)
            except RencontresError as exc:
                self.rejected(label, answer)
                if str(exc):
                    typer.echo(_("  {problem} — try again").format(problem=exc), err=True)
                continue
            kept = self.accepted(label, answer)  # before what `check` asks, in their order
            try:
                return check(value) if check is not None else value
            except RencontresError as exc:
                self.withdraw(kept)
                self.rejected(label, answer)
                if str(exc):
                    typer.echo(_("  {problem} — try again").format(problem=exc), err=True)

    def prompt(self, label: str, default: str | None, show_default: bool) -> str:
        return prompt(label, default=default, show_default=show_default)

    def accepted(self, label: str, answer: str) -> int:
        """`answer` (as typed, or the default taken) was accepted for `label`; returns a
        mark to withdraw it (and what was answered after it) if a later check refuses it."""
        return 0

    def withdraw(self, mark: int) -> None:
        """The answers kept since `mark` no longer stand: the answer was refused."""

    def rejected(self, label: str, answer: str) -> None:
        """`answer` was refused for `label`: it will be asked again."""

    def confirm(self, label: str, default: bool = False) -> bool:
        return confirm(label, default=default)

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


def ask_date(ask: Asker, announced: dt.datetime | None,
             checker: Checker | None = None) -> dt.date | dt.datetime:
    return ask.ask(label(N_("Date (YYYY-MM-DD[THH:MM], or 16/01/2008 14h)")),
                   lambda a: inputs.when(a, _("date")),
                   default=announced.isoformat(timespec="minutes") if announced else None,
                   check=(lambda w: vetted(ask, w, checker.date(w))) if checker else None)


class _Again(RencontresError):
    """A warned answer not kept: asked again, with nothing more said."""


def vetted(ask: Asker, value: Any, problems: list) -> Any:
    """`value` if its problems (`entry.validate`) allow: an error refuses it, a warning is
    shown and the answer kept if the person says so."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise UsageError(errors[0].message)
    for p in problems:
        typer.echo(_("  warning: {message}").format(message=p.message), err=True)
    if problems and not ask.confirm(label(N_("  Keep this answer?")), default=True):
        raise _Again("")
    return value


def _near(ask: Asker, checker: Checker | None, person: Person, also=()) -> Person:
    """The known person `person` seems a misspelling of, if the secretary says so."""
    known = checker.near(person.name, also) if checker else None
    if known is None:
        return person
    shown = known.name + (f" ({known.organization})" if known.organization else "")
    return known if ask.confirm(label(N_("  {name} — did you mean {known}?"), name=person.name,
                                      known=shown), default=True) else person


def fill(draft: Draft, given: Given, proposed: Defaults, members, ask: Asker | None,
         checker: Checker | None = None) -> Draft:
    """The rest of `new`'s draft (its date, end and UID proposed): from the flags, else
    asked (`ask`: in a terminal), else as the archive proposes. `checker`: each answer
    checked when given (`entry.validate`)."""
    if given.end is not None:
        draft.end = given.end
    draft.venue = _part(ask, given.venue, N_("Venue"), proposed.venue)
    draft.address = _part(ask, given.address, N_("Address"), proposed.address)
    if ask and given.end is None and isinstance(draft.date, dt.datetime):
        shown = draft.end.strftime("%H:%M") if isinstance(draft.end, dt.time) else None
        draft.end = ask.ask(label(N_("End (HH:MM, empty: none)")),
                            lambda a: inputs.time(a, _("end")),
                            default=shown, optional=True,
                            check=(lambda e: vetted(ask, e, checker.end(draft, e))) if checker else None)
    if given.context is not None:
        draft.context = given.context
    elif ask:
        draft.context = _ask_text(ask, label(N_(
            'Context ("Repère"): one line or several (an empty line ends it), "e" for your '
            'editor, empty: none'))) or ""
    people = given.people
    if not people and ask:
        people = _ask_participants(ask, members, draft, checker, proposed.replies)
    elif not people:  # no terminal: those who answered yes or no, as they answered
        people = [(p, attendance) for p, attendance, _note in proposed.replies if attendance]
    draft.participants = people
    said = {p.email.casefold(): note for p, _attendance, note in proposed.replies if note and p.email}
    draft.comments = {("participants", i): [said[p.email.casefold()]]
                      for i, (p, _attendance) in enumerate(people) if p.email.casefold() in said}
    owners: dict[str, str] = {}  # each person offered once as an owner
    for name in [p.name for p, _attendance in people] or [m.name for m in members]:
        owners.setdefault(name_key(name), name)
    names = list(owners.values())
    topics = [*proposed.topics, *given.topics]
    owner = (lambda o: _owner_checked(ask, checker, draft, o)) if checker and ask else None
    draft.topics = _ask_topics(ask, topics, names, proposed.review, owner) if ask else topics
    nxt = given.next
    if nxt is None and ask:
        nxt = _ask_next_date(ask, draft, checker)
    if nxt is not None or given.next_venue or given.next_address or given.agenda:
        # no date: to be set (a poll is running)
        draft.next = _next(ask, None if nxt is TO_BE_SET else nxt, given, draft)
    return draft


TO_BE_SET = "to be set"  # i18n: a marker, never shown (the next meeting's date answered "?")
_TO_BE_SET_WORDS = {"?", "à fixer", "a fixer", "date à fixer", "to be set",
                    "date to be set"}  # i18n: what may be typed (French or English, any locale)


def _ask_next_date(ask: Asker, draft: Draft, checker: Checker | None) -> Any:
    """The next meeting's date, TO_BE_SET ("?", "à fixer", "to be set"), or None (none)."""
    def parse(answer: str) -> Any:
        if " ".join(answer.lower().split()) in _TO_BE_SET_WORDS:
            return TO_BE_SET
        return inputs.when(answer, _("next meeting"), need_time=True)

    def check(when: Any) -> Any:
        if when is TO_BE_SET or checker is None:
            return when
        return vetted(ask, when, checker.next(draft, when))

    return ask.ask(label(N_('Next meeting (YYYY-MM-DDTHH:MM, "?" : date to be set, empty: '
                            'none)')), parse, optional=True, check=check)


def _part(ask: Asker | None, flag: str | None, question: str, proposed: str) -> str:
    """`question`: marked with N_, asked in the user's language."""
    if flag is not None:
        return flag or ""
    if ask:
        return ask.ask(label(question), default=proposed, optional=True) or ""
    return proposed or ""


def _next(ask: Asker | None, when: dt.datetime | None, given: Given, draft: Draft) -> dict:
    venue, address = given.next_venue, given.next_address
    if venue is None and ask:
        venue = ask.ask(label(N_("Next meeting's venue")), default=draft.venue, optional=True)
    if address is None and ask:
        same = (venue or "").strip() == draft.venue
        address = ask.ask(label(N_("Next meeting's address")),
                          default=draft.address if same else "", optional=True)
    items = given.agenda
    if not items and ask:
        items = _ask_list(ask, label(N_("Next meeting's agenda item (empty: done)")))
    return {"date": when, "venue": (venue or "").strip(),
            "address": (address or "").strip(), "agenda": items}


def _attendance(answer: str) -> str:
    choices = {"p": "present", "e": "excused", "a": "absent"}
    key = answer.strip().lower()
    if key[:1] in choices and choices[key[:1]].startswith(key):
        return choices[key[:1]]
    raise UsageError(_("{answer}: not an answer").format(answer=repr(answer)),
                     _("type p (present), e (excused) or a (absent)"))


def _owner_checked(ask: Asker, checker: Checker, draft: Draft, owner: str) -> str:
    """An owner typed: a known person's near spelling offered, then `check`'s rule."""
    from rencontres.core.model import Person

    owner = _near(ask, checker, Person(name=owner), [p for p, _attendance in draft.participants]).name
    return vetted(ask, owner, checker.owner(draft, owner))


def _ask_participants(ask: Asker, members, draft: Draft | None = None,
                      checker: Checker | None = None, replies=()) -> list:
    """Each member's attendance, proposed "present"; after an invitation, each invitee's,
    proposed from their answer (accepted: present, declined: excused), asked with no
    proposal when they did not answer."""
    people = []
    asked = [(p, att, note) for p, att, note in replies] or [(p, "present", "") for p in members]
    for person, proposed, note in asked:
        who = person.name + (f" / {person.organization}" if person.organization else "")
        if note:
            who += f" ({note})"
        default = proposed[:1] if proposed else None
        people.append((person, ask.ask(label(N_("{person}: [p]resent, [e]xcused, [a]bsent"),
                                             person=who), _attendance, default=default)))
    while True:
        def check(p, people=people):
            p = _near(ask, checker, p, [q for q, _attendance in people])
            return vetted(ask, p, checker.participant(draft, people, p)) if checker and draft \
                else p
        extra = ask.ask(label(N_('Another participant ("Name / Organisation <email>", empty: '
                                 'done)')),
                        lambda a: inputs.person(a, _("participant")), optional=True, check=check)
        if extra is None:
            return people
        people = added(people, extra)[0]


def _ask_text(ask: Asker, question: Label) -> str | None:
    """Free text: "e" opens the editor; else the lines typed, until an empty one."""
    answer = ask.ask(question, optional=True)
    if answer is not None and answer.strip().lower() == "e":
        return ask.edit(question)
    if answer is None:
        return None
    lines = [answer.strip()]
    while (more := ask.ask(Label("  …", "  …"), default="", optional=True)) is not None:
        lines.append(more.strip())
    return "\n".join(lines)


def _ask_list(ask: Asker, question: Label) -> list[str]:
    items = []
    while (item := ask.ask(question, optional=True)) is not None:
        if item.strip():
            items.append(item.strip())
    return items


def _owner(names: list[str]) -> Callable[[str], str]:
    def parse(answer: str) -> str:
        answer = answer.strip()
        if answer.isdigit():
            if not 1 <= int(answer) <= len(names):
                raise UsageError(_("{answer}: no such number").format(answer=answer),
                                 _("give 1 to {last}, or a name").format(last=len(names)))
            return names[int(answer) - 1]
        return answer
    return parse


def _ask_actions(ask: Asker, names: list[str], check=None) -> list[dict]:
    choices = ", ".join(f"{i} {n}" for i, n in enumerate(names, 1))
    actions: list[dict] = []
    while True:
        question = label(N_("  Action owner ({choices}; a number or a name; empty: no more "
                            "actions)"), choices=choices) if choices else \
            label(N_("  Action owner (a number or a name; empty: no more actions)"))
        owner = ask.ask(question, _owner(names), optional=True, check=check)
        if owner is None:
            return actions
        task = ask.ask(label(N_("    Task")), lambda a: a.strip() or _no_task())
        due = ask.ask(label(N_("    Due date (YYYY-MM-DD, empty: none)")),
                      lambda a: inputs.day(a, _("due date")), optional=True)
        actions.append({"owner": owner, "task": task, "due": due})


def _ask_decisions(ask: Asker) -> list:
    """Each decision, then its vote (a decision typed "Text [pour 4, …]" has it already)."""
    decisions: list = []
    while (text := ask.ask(label(N_("  Decision (empty: done)")),
                           lambda a: inputs.decision(a, _("decision")),
                           optional=True)) is not None:
        if isinstance(text, str):
            vote = ask.ask(label(N_("    Vote (u: unanimous / for, against, abstentions e.g. "
                                    "4 0 1 / empty: no vote)")), inputs.vote, optional=True)
            text = {"text": text, **vote} if vote else text
        decisions.append(text)
    return decisions


def _no_task():
    raise UsageError(_("a task is needed"), _("say what is to be done"))


def _review(ask: Asker, actions: list[dict]) -> list[dict]:
    """Each open action: still open, done, or dropped."""
    status = {"o": {}, "d": {"done": True}, "r": {"dropped": True}}

    def parse(answer: str) -> dict:
        key = answer.strip().lower()[:1]
        if key not in status:
            raise UsageError(_("{answer}: not an answer").format(answer=repr(answer)),
                             _("type o (open), d (done) or r (dropped)"))
        return status[key]

    out = []
    for a in actions:
        question = label(N_("  {owner}: {task} — [o]pen, [d]one, d[r]opped"),
                         owner=a["owner"], task=a["task"]) if a.get("owner") else \
            label(N_("  {task} — [o]pen, [d]one, d[r]opped"), task=a["task"])
        reviewed = {**a, **ask.ask(question, parse, default="o")}
        if not reviewed.get("done") and not reviewed.get("dropped"):
            question = label(N_("    New due date (YYYY-MM-DD, empty: keep {due})"),
                             due=a["due"].isoformat()) if a.get("due") else \
                label(N_("    New due date (YYYY-MM-DD, empty: none)"))
            reviewed["due"] = ask.ask(question, lambda x: inputs.day(x, _("due date")),
                                      optional=True) or a.get("due")
            reviewed["note"] = (ask.ask(label(N_("    Progress note (empty: none)")),
                                        optional=True) or "").strip()
        out.append(reviewed)
    return out


def _ask_topics(ask: Asker, prefilled: list[dict], names: list[str], review: list,
                check=None) -> list[dict]:
    topics: list[dict] = []
    pending = list(prefilled)
    while True:
        if pending:
            topic = pending.pop(0)
            typer.echo(_("Topic: {title}").format(title=topic["title"]), err=True)
        else:
            title = ask.ask(label(N_("Topic title (empty: done)")), optional=True)
            if title is None or not title.strip():
                return topics
            topic = {"title": title.strip()}
        if topic.get("actions") and review and topic["actions"] is review:
            topic["actions"] = _review(ask, topic["actions"])
        else:
            topic["body"] = _ask_text(ask, label(N_(
                '  Text of “{title}”: one line or several (an empty line ends it), "e" for '
                "your editor, empty: none"), title=topic["title"])) or ""
        topic["decisions"] = [*topic.get("decisions", []), *_ask_decisions(ask)]
        topic["actions"] = [*topic.get("actions", []), *_ask_actions(ask, names, check)]
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
        raise UsageError(_("{problem}; your text is kept in {path}").format(
            problem=exc.message, path=path), exc.hint) from None
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
        raise UsageError(_("the editor {editor} could not be started ({why})").format(
            editor=repr(editor), why=reason(exc)),
            _("set $VISUAL or $EDITOR to an editor you have, e.g. nano")) from None
    except subprocess.CalledProcessError as exc:
        status = _("exit status {code}").format(code=exc.returncode) if exc.returncode >= 0 \
            else _("killed by signal {signal}").format(signal=-exc.returncode)
        raise UsageError(_("the editor {editor} stopped with an error ({status})").format(
            editor=repr(editor), status=status),
            _("set $VISUAL or $EDITOR to an editor that works, e.g. nano")) from None
