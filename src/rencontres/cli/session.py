"""A session of `new` that never loses an answer: the draft journal, resuming, the review.

Every answer given at a prompt of `new` passes through `Asker` (`cli/prompts.py`); the
`Journal` asker here writes each accepted one, as typed (a label and the raw text; the label
in English, whatever language the question was asked in), to a draft file for (records
folder, group) in the user's state folder, atomically, after every answer: a SIGKILL at any
moment leaves every answer given so far. The draft is never among
the records and is deleted only once the record is written (or on `--discard-draft`, or
`discard` at the review).

Resuming replays the draft: each question asked gets the draft's next answer when its label
is the same (echoed, "(from the draft)"); a question the draft has no answer for at that
point is asked live, and the draft's next answer waits for its own question. Replaying the
same answers to the same questions makes the same record, byte for byte.

The state folder: `$RENCONTRES_STATE`, else `%LOCALAPPDATA%\\rencontres` (Windows),
`~/Library/Application Support/rencontres` (macOS), `$XDG_STATE_HOME/rencontres` or
`~/.local/state/rencontres`; drafts in its `drafts/`, texts kept from a failed editor in
`texts/` (folders of mode 0700, files 0600).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sys
from pathlib import Path

import typer

from rencontres.cli.inputs import key_of
from rencontres.cli.prompts import SUFFIX, Asker, confirm, edit_text, prompt
from rencontres.core.errors import Refused, RencontresError, UsageError
from rencontres.core.i18n import N_, _, ngettext

VERSION = 1
FROM_DRAFT = N_("(from the draft)")


def state_folder() -> Path:
    """The user's state folder for this tool (not made here)."""
    given = os.environ.get("RENCONTRES_STATE")
    if given:
        return Path(os.path.abspath(given))
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"  # i18n: a folder of macOS
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or home / ".local" / "state")
    return Path(os.path.abspath(base / "rencontres"))


def private_folder(store, name: str) -> Path:
    """`name` in the state folder, made (mode 0700), and never among the records."""
    from rencontres.records.store import inside, make_folder

    folder = state_folder() / name
    for protected in store.protected():
        if inside(folder, protected):
            raise Refused(_("{folder}: inside the records folder {records}; no draft is kept "
                            "among the records").format(folder=folder, records=store.root),
                          _("set RENCONTRES_STATE to a folder elsewhere"))
    make_folder(folder)
    _private(folder)
    return folder


def _private(folder: Path) -> None:
    """The folder readable by its user only (a file system without modes: as it is)."""
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)


def resume_command(group: str) -> str:
    from rencontres.cli.common import as_typed, settings

    records = settings.get("records")
    where = f" --records {as_typed(str(records))}" if records else ""
    return f"rencontres new {group}{where} --resume"  # i18n: a command, typed as it is


class Journal(Asker):
    """An Asker that journals each accepted answer to the draft file and replays a draft."""

    def __init__(self, path: Path, group: str, args: list[str], replay=(), live_at=None):
        self.path, self.group, self.args = path, group, args
        self.started = dt.datetime.now().astimezone().isoformat(timespec="minutes")
        self.meeting = ""  # the meeting's date, once known: said when offering to resume
        self.answers: list[list[str]] = []  # [label, raw answer], in the order asked
        self.shown: list[str] = []  # each answer's question as it was shown (the user's language)
        self.pending = [list(e) for e in replay]  # the draft's answers still to give
        self.live_at = live_at  # the index in `pending` of the one answer to ask again
        self.quiet = live_at

    @classmethod
    def read(cls, path: Path) -> dict | None:
        """A draft file's content, or None (none there, or unreadable: said)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise UsageError(_("{path}: a draft that cannot be read ({why})").format(
                path=path, why=exc), _("move it away, or give --discard-draft to delete it")) from None
        if not isinstance(data, dict) or data.get("version") != VERSION \
                or not isinstance(data.get("answers"), list):
            raise UsageError(_("{path}: not a draft of this version of rencontres").format(
                path=path), _("move it away, or give --discard-draft to delete it"))
        return data

    # -- the Asker's hooks (each label a question as shown; its key, English, is kept) -----
    def prompt(self, label: str, default: str | None, show_default: bool) -> str:
        replayed = self._next(label)
        if replayed is not None:
            self._echo(f"{label}{_(SUFFIX)}{replayed}")
            return replayed
        if self._changing(label):  # the answer to change: asked again, the old one proposed
            default, show_default = self._changed(label, default), True
        return super().prompt(label, default, show_default)

    def accepted(self, label: str, answer: str) -> int:
        self._keep(label, answer)
        return len(self.answers) - 1

    def withdraw(self, mark: int) -> None:
        del self.answers[mark:]
        del self.shown[mark:]
        self.save()

    def _keep(self, label: str, answer: str) -> None:
        self.answers.append([key_of(label), answer])
        self.shown.append(str(label))
        self.save()

    def confirm(self, label: str, default: bool = False) -> bool:
        replayed = self._next(label)
        if replayed is not None:
            self._echo(f"{label} {replayed}")
        else:
            replayed = "y" if super().confirm(label, self._changed(label, default)) else "n"
        self._keep(label, replayed)
        return replayed == "y"

    def edit(self, label: str, text: str = "") -> str:
        replayed = self._next(label)
        if replayed is not None:
            lines = replayed.strip().splitlines() or [""]
            more = " …" if len(lines) > 1 else ""
            self._echo(f"{label}{_(SUFFIX)}{lines[0]}{more}")
        else:
            old = self._changed(label, text)
            replayed = edit_text(old, keep_in=private_folder_of(self.path, "texts"))
        self._keep(label, replayed)
        return replayed

    def _echo(self, line: str) -> None:
        """A replayed answer, shown as if typed (not when changing one answer: the review
        that follows shows them all)."""
        if self.quiet is None:
            typer.echo(f"{line} {_(FROM_DRAFT)}")

    def _next(self, label: str) -> str | None:
        """The draft's answer to this question, if it is the one the draft has next."""
        if self.pending and _same(self.pending[0][0], key_of(label)) and self.live_at != 0:
            if self.live_at is not None:
                self.live_at -= 1
            return self.pending.pop(0)[1]
        return None

    def _changing(self, label: str) -> bool:
        return bool(self.pending) and _same(self.pending[0][0], key_of(label)) \
            and self.live_at == 0

    def _changed(self, label, default):
        """For the answer being changed: the old one, as the default."""
        if self._changing(label):
            self.live_at = None
            old = self.pending.pop(0)[1]
            return (old == "y") if isinstance(default, bool) else old
        return default

    # -- the draft file -----------------------------------------------------------------
    def save(self, final: bool = False) -> None:
        """The draft, written atomically: this session's answers, then the draft's answers
        not yet given (still to come, unless `final`: the questions are over)."""
        from rencontres.records.store import write_atomic

        rest = [] if final else self.pending
        data = {"version": VERSION, "group": self.group, "meeting": self.meeting,
                "started": self.started, "args": self.args,
                "answers": self.answers + rest}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                     overwrite=True, mode=0o600)

    def changing(self, n: int) -> Journal:
        """A new round of questions: these answers replayed, the `n`th asked again (its
        old answer proposed)."""
        again = Journal(self.path, self.group, self.args, self.answers, live_at=n - 1)
        again.started, again.meeting = self.started, self.meeting
        return again

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def _words(label: str) -> str:
    """A question's own words, without its hints ("Action owner (1 Ann, 2 Bob; …)")."""
    return re.split(r" \(|: ", label.strip(), maxsplit=1)[0]


def _same(journaled: str, label: str) -> bool:
    """Whether a journaled answer answers this question: the same words (its hints, such
    as the owners to choose from, may have changed with an answer changed before it)."""
    return journaled == label or _words(journaled) == _words(label)


def private_folder_of(draft: Path, name: str) -> Path:
    """A sibling of the drafts folder (already checked to be outside the records)."""
    folder = draft.parent.parent / name
    folder.mkdir(parents=True, exist_ok=True)
    _private(folder)
    return folder


def draft_path(store, group: str) -> Path:
    """The draft file of `group` in this records folder."""
    from rencontres.records.store import absolute

    key = hashlib.sha256(str(absolute(store.root)).encode("utf-8")).hexdigest()[:16]
    return private_folder(store, "drafts") / f"{group}-{key}.json"


def open_journal(store, group: str, resume: bool, discard: bool) -> Journal:
    """The journal of this session: a fresh one, or the draft found, resumed (asked, unless
    `resume`; `discard` deletes it first)."""
    from rencontres.cli.common import settings

    path = draft_path(store, group)
    args = [a for a in settings.get("args", []) if a not in ("--resume", "--discard-draft")]
    if discard and path.exists():
        path.unlink()
        typer.echo(_("draft of {group} discarded").format(group=group), err=True)
    found = Journal.read(path)
    if found is None or not found["answers"]:
        if resume:
            typer.echo(_("no draft of {group} to resume: a new record").format(group=group),
                       err=True)
        return Journal(path, group, args)
    n = len(found["answers"])
    meeting = str(found.get("meeting") or group).replace("T", " ")[:16]
    started = str(found.get("started", "?"))[:16].replace("T", " ")
    if not resume:
        resume = confirm(ngettext("Resume the draft of {meeting} started {started}, {n} answer?",
                                  "Resume the draft of {meeting} started {started}, {n} answers?",
                                  n).format(meeting=meeting, started=started, n=n), default=True)
        if not resume and not confirm(_("Then it is deleted: discard it and start afresh?"),
                                      default=False):
            raise typer.Abort()
    if not resume:
        path.unlink()
        return Journal(path, group, args)
    if found.get("args", args) != args:
        typer.echo(_("note: the draft was started as `{command}`; its answers are given to the "
                     "questions they answer").format(
            command=f"rencontres {' '.join(found['args'])}"), err=True)
    journal = Journal(path, group, args, found["answers"])
    journal.started, journal.meeting = found.get("started", journal.started), \
        found.get("meeting", "")
    return journal


def kept_hint(journal: Journal | None) -> str:
    if journal is None or not journal.answers:
        return ""
    return _("your answers are kept: {command}").format(command=resume_command(journal.group))


def ended(journal: Journal | None, exc: BaseException) -> None:
    """Say what became of the answers when a session ends before the record is written."""
    hint = kept_hint(journal)
    if not hint:
        return
    if isinstance(exc, (KeyboardInterrupt, typer.Abort)):
        typer.echo(_("interrupted: nothing written; {hint}").format(hint=hint), err=True)
        raise typer.Exit(130) from None
    if isinstance(exc, RencontresError):
        exc.hint = f"{exc.hint}; {hint}" if exc.hint else hint
    elif isinstance(exc, Exception):
        typer.echo(_("nothing written; {hint}").format(hint=hint), err=True)


# -- the session: questions, review, write ---------------------------------------------------

def run(store, group: str, resume: bool, discard: bool, questions, review, write) -> None:
    """A session of `new` in a terminal: `questions(asker)` gives the record's parts (its
    draft and place); `review(parts)` shows the record as it would be written; `write(parts)`
    writes it. The draft file outlives every way the session can end but a written record
    (or a discarded draft)."""
    journal = None
    try:
        journal = open_journal(store, group, resume, discard)
        while True:
            parts = questions(journal)
            journal.save(final=True)
            review(parts)
            choice = _choice(journal)
            if choice == "w":
                break
            if choice == "d":
                if confirm(_("Discard every answer of this draft?"), default=False):
                    journal.discard()
                    typer.echo(_("discarded: nothing written"), err=True)
                    return
                continue
            journal = journal.changing(int(choice))
        write(parts)
    except BaseException as exc:
        ended(journal, exc)
        raise
    journal.discard()


def _choice(journal: Journal) -> str:
    """The numbered answers, then write, change N or discard: "w", "d", or N (as text)."""
    typer.echo("", err=True)
    for i, (label, (key, answer)) in enumerate(zip(journal.shown, journal.answers,
                                                   strict=True), start=1):
        lines = answer.strip().splitlines() or [_("(empty)")]
        shown = lines[0] + (" …" if len(lines) > 1 else "")
        question = _words(label)
        if label != key:  # translated: French words end before " : " ("Ann Member : [p]résent")
            question = question.rstrip()
        typer.echo(_("{number}. {question}: {answer}").format(
            number=f"{i:4}", question=question, answer=shown), err=True)
    n = len(journal.answers)
    while True:
        answer = prompt(_("write / change N / discard (w, c N, d)"), default="w")
        words = answer.strip().lower().split()
        if words and "write".startswith(words[0]) and len(words) == 1:
            return "w"
        if words and "discard".startswith(words[0]) and len(words) == 1:
            return "d"
        number = words[-1] if words and (len(words) == 1 or "change".startswith(words[0])) \
            else ""
        if len(words) <= 2 and number.isdigit() and 1 <= int(number) <= n:
            return number
        typer.echo(_("  {answer}: not a choice — type w to write the record, c 3 to change "
                     "answer 3 (1 to {last}), d to discard the draft").format(
            answer=repr(answer), last=n), err=True)
