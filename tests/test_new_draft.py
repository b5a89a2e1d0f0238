"""`new` never loses an answer: the draft, resuming it, the review before writing.

One short session of a one-member group (22 answers, then `w` at the review) is the
reference; each way a session can end early (a refused write, Ctrl-C, EOF on stdin, an
editor that fails, SIGKILL) leaves a draft that `new GROUP` resumes, and the record then
written is byte for byte the reference's.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from conftest import make_group, snapshot

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

# (the prompt's words, the answer), in the order `new g` asks them
SESSION = [
    (r"Date .*: ", "24/03/2026 14h"),
    (r"Venue: ", "Salle A"),
    (r"Address: ", "1 rue X"),
    (r"End .*: ", "17h"),
    (r"Context .*: ", "Un repère."),
    (r"…: ", ""),  # the context's lines end
    (r"Ann Member: .*\[p\]: ", "p"),
    (r"Another participant .*: ", "Bob Autre / Org"),
    (r"Another participant .*: ", ""),
    (r"Topic title .*: ", "Budget"),
    (r"Text of .*: ", ""),
    (r"Decision .*: ", "Adopter le budget"),
    (r"Vote .*: ", ""),
    (r"Decision .*: ", ""),
    (r"Action owner .*: ", "1"),
    (r"Task: ", "Envoyer"),
    (r"Due date .*: ", "2026-04-15"),
    (r"Action owner .*: ", ""),
    (r"Topic title .*: ", ""),
    (r"Next meeting .*: ", "2026-05-12T14:00"),
    (r"Next meeting's venue .*: ", "Salle B"),
    (r"Next meeting's address: ", ""),
    (r"agenda item .*: ", "Suite"),
    (r"agenda item .*: ", ""),
]
REVIEW = r"write / change N / discard .*: "
RECORD = "g/2026-03-24.toml"


def typed(answers) -> str:
    return "".join(f"{a}\n" for _, a in answers)


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "records"
    make_group(root)
    return root


@pytest.fixture
def reference(cli, tmp_path) -> bytes:
    """The record an uninterrupted session writes."""
    root = tmp_path / "reference"
    make_group(root)
    run = cli("--records", root, "new", "g", "--interactive", input=typed(SESSION) + "w\n")
    assert run.exit_code == 0, run.stdout + run.stderr
    return (root / RECORD).read_bytes()


def drafts(state_folder: Path) -> list[Path]:
    return sorted((state_folder / "drafts").glob("*.json"))


def kept_answers(state_folder: Path) -> list[str]:
    (path,) = drafts(state_folder)
    return [a for _, a in json.loads(path.read_text(encoding="utf-8"))["answers"]]


def test_eof_on_stdin_keeps_the_answers_and_new_offers_them_back(cli, folder, reference,
                                                                  state_folder):
    run = cli("--records", folder, "new", "g", "--interactive", input=typed(SESSION[:10]))
    assert run.exit_code == 130
    assert "interrupted: nothing written; your answers are kept: rencontres new g" in run.stderr
    assert "--resume" in run.stderr
    assert not (folder / RECORD).exists()
    assert kept_answers(state_folder) == [a for _, a in SESSION[:10]]
    # `new g` again: offered back (Enter: yes), replayed, the rest asked
    run = cli("--records", folder, "new", "g", "--interactive",
              input="\n" + typed(SESSION[10:]) + "w\n")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "Resume the draft of 2026-03-24 14:00 started" in run.stdout
    assert "10 answers? [Y/n]" in run.stdout
    assert "Venue: Salle A (from the draft)" in run.stdout
    assert (folder / RECORD).read_bytes() == reference
    assert drafts(state_folder) == []  # deleted once the record is written


def test_a_refused_write_keeps_the_answers(cli, folder, reference, state_folder, monkeypatch):
    """Each answer is checked when given, so what refuses the write at the end is the file
    system: here the record appears meanwhile (a colleague's copy synced in, say)."""
    from rencontres.core.errors import AlreadyExists
    from rencontres.records import store

    kept_write = store.write_atomic

    def refused(path, *args, **kwargs):
        if Path(path).suffix == ".toml":
            raise AlreadyExists(path)
        return kept_write(path, *args, **kwargs)  # the draft itself is still saved

    with monkeypatch.context() as patched:
        patched.setattr(store, "write_atomic", refused)
        run = cli("--records", folder, "new", "g", "--interactive", input=typed(SESSION) + "w\n")
    assert run.exit_code == 4
    assert "already exists" in run.stderr
    assert "your answers are kept: rencontres new g" in run.stderr
    assert len(kept_answers(state_folder)) == len(SESSION)
    # resumed without a question; the review; answer 20 (the next meeting) changed and back
    run = cli("--records", folder, "new", "g", "--interactive", "--resume",
              input="c 20\n2026-05-12T14:00\nw\n")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "20. Next meeting: 2026-05-12T14:00" in run.stderr
    assert ('Next meeting (YYYY-MM-DDTHH:MM, "?" : date to be set, empty: none) '
            '[2026-05-12T14:00]') in run.stdout
    assert (folder / RECORD).read_bytes() == reference
    assert drafts(state_folder) == []


@pytest.mark.parametrize("said", ["?", "à fixer", "To be set"])
def test_a_next_meeting_whose_date_is_to_be_set(cli, folder, state_folder, said):
    """"?" at the next meeting's date: a [next] without a date, its venue and agenda still
    asked; the record passes `check`, and the review says the date is to be set."""
    import tomllib

    answers = [*SESSION[:19], (r"Next meeting .*: ", said), *SESSION[20:]]
    run = cli("--records", folder, "new", "g", "--interactive", input=typed(answers) + "w\n")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert '"?" : date to be set, empty: none' in run.stdout
    assert "date à fixer" in run.stderr or "date to be set" in run.stderr  # the review
    record = tomllib.loads((folder / RECORD).read_text(encoding="utf-8"))
    assert "date" not in record["next"]
    assert record["next"]["venue"] == "Salle B" and record["next"]["agenda"] == ["Suite"]
    assert cli("--records", folder, "check").exit_code == 0
    assert drafts(state_folder) == []


def test_an_existing_record_refuses_the_write_and_keeps_the_answers(cli, folder, state_folder):
    (folder / RECORD).write_text("date = 2026-03-24\nvenue = \"x\"\n", encoding="utf-8")
    before = snapshot(folder)
    run = cli("--records", folder, "new", "g", "--interactive", input=typed(SESSION[:1]))
    assert run.exit_code == 4
    assert "already exists" in run.stderr and "your answers are kept" in run.stderr
    assert kept_answers(state_folder) == ["24/03/2026 14h"]
    assert snapshot(folder) == before


def test_change_n_at_the_review_changes_only_that_answer(cli, folder, reference,
                                                         state_folder):
    run = cli("--records", folder, "new", "g", "--interactive",
              input=typed(SESSION) + "change 2\nSalle C\nw\n")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "Venue [Salle A]: " in run.stdout  # the old answer proposed
    assert "2. Venue: Salle C" in run.stderr  # the second review
    assert (folder / RECORD).read_bytes() == reference.replace(
        b'venue = "Salle A"', b'venue = "Salle C"')


def test_change_n_that_adds_a_question_keeps_the_answers_after_it(cli, folder, reference):
    # answer 9 (no more participants) becomes a third one: one more question, asked live;
    # every later answer comes back from the draft
    run = cli("--records", folder, "new", "g", "--interactive",
              input=typed(SESSION) + "c 9\nZoé Martin / Apeas\n\nw\n")
    assert run.exit_code == 0, run.stdout + run.stderr
    text = (folder / RECORD).read_text(encoding="utf-8")
    assert 'name = "Zoé Martin"' in text
    assert text.replace('[[participants]]\nname = "Zoé Martin"\norganization = "Apeas"\n\n',
                        "") == reference.decode()


def test_discard_at_the_review_and_discard_draft(cli, folder, reference, state_folder):
    run = cli("--records", folder, "new", "g", "--interactive",
              input=typed(SESSION) + "d\ny\n")
    assert run.exit_code == 0 and "discarded: nothing written" in run.stderr
    assert drafts(state_folder) == [] and not (folder / RECORD).exists()
    cli("--records", folder, "new", "g", "--interactive", input=typed(SESSION[:3]))
    assert len(drafts(state_folder)) == 1
    run = cli("--records", folder, "new", "g", "--interactive", "--discard-draft",
              input=typed(SESSION) + "w\n")  # no offer to resume: asked afresh
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "draft of g discarded" in run.stderr and "Resume" not in run.stdout
    assert (folder / RECORD).read_bytes() == reference


def test_no_input_writes_no_draft(cli, folder, state_folder):
    run = cli("--records", folder, "new", "g", "--no-input", "--date", "2026-03-24T14:00")
    assert run.exit_code == 0, run.stderr
    assert drafts(state_folder) == []


def test_the_draft_is_never_inside_the_records_folder(cli, folder, monkeypatch,
                                                      state_folder):
    run = cli("--records", folder, "new", "g", "--interactive", input=typed(SESSION[:3]))
    (path,) = drafts(state_folder)
    assert folder.resolve() not in path.resolve().parents
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    monkeypatch.setenv("RENCONTRES_STATE", str(folder / "g" / "state"))
    before = snapshot(folder)
    run = cli("--records", folder, "new", "g", "--interactive", input=typed(SESSION))
    assert run.exit_code == 4 and "inside the records folder" in run.stderr
    assert snapshot(folder) == before


def test_an_editor_that_fails_keeps_the_answers(cli, folder, reference, state_folder,
                                                monkeypatch):
    monkeypatch.setenv("EDITOR", "false")
    monkeypatch.delenv("VISUAL", raising=False)
    answers = [*SESSION[:4], (r"Context .*: ", "e")]
    run = cli("--records", folder, "new", "g", "--interactive", input=typed(answers))
    assert run.exit_code == 2
    assert "the editor 'false' stopped with an error (exit status 1); your text is kept in" \
        in run.stderr
    assert "your answers are kept: rencontres new g" in run.stderr
    assert kept_answers(state_folder) == [*(a for _, a in SESSION[:4]), "e"]
    editor = folder.parent / "editor.sh"  # an editor that works: the context written in it
    editor.write_text('#!/bin/sh\nprintf "Un rep\\303\\250re.\\n" > "$1"\n', encoding="utf-8")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    run = cli("--records", folder, "new", "g", "--interactive", "--resume",
              input=typed(SESSION[6:]) + "w\n")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert (folder / RECORD).read_bytes() == reference


def test_edit_with_an_editor_that_fails_keeps_the_text(cli, folder, monkeypatch, tmp_path):
    (folder / RECORD).write_text("date = 2026-03-24\n", encoding="utf-8")
    monkeypatch.setenv("VISUAL", "false")
    run = cli("--records", folder, "edit", "g/2026-03-24")
    assert run.exit_code == 2
    assert run.stderr == (f"error: the editor 'false' stopped with an error (exit status 1): "
                          f"{folder / RECORD} is unchanged; set $VISUAL or $EDITOR to an "
                          "editor that works, e.g. nano\n")  # one line, nothing to keep
    editor = tmp_path / "crash.sh"  # an editor that saves, then fails
    editor.write_text('#!/bin/sh\necho \'title = "x"\' >> "$1"\nexit 3\n', encoding="utf-8")
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    run = cli("--records", folder, "edit", "g/2026-03-24")
    assert run.exit_code == 2 and run.stderr.count("\n") == 1
    assert "stopped with an error (exit status 3): " in run.stderr
    kept = Path(run.stderr.split("your text is kept in ")[1].split(";")[0].strip())
    assert kept.read_text(encoding="utf-8") == 'date = 2026-03-24\ntitle = "x"\n'
    assert folder.resolve() not in kept.resolve().parents
    assert (folder / RECORD).read_text(encoding="utf-8") == "date = 2026-03-24\n"


# -- in a pseudo-terminal, as a person types ---------------------------------------------------

def _terminal(folder: Path, *args: str):
    from test_new_terminal import Terminal

    return Terminal(["--records", str(folder), "new", "g", *args])


def _type(t, answers) -> None:
    for prompt, answer in answers:
        t.answer(prompt, answer)


def test_sigkill_then_resume_writes_the_same_record(folder, reference, state_folder):
    t = _terminal(folder)
    _type(t, SESSION[:15])
    t.expect(r"Task: ")  # the 15th answer is in the draft once the next question shows
    os.kill(t.proc.pid, signal.SIGKILL)
    t.finish()
    assert not (folder / RECORD).exists()
    assert kept_answers(state_folder) == [a for _, a in SESSION[:15]]
    t = _terminal(folder, "--resume")
    t.expect(r"Action owner .*: 1 \(from the draft\)")
    _type(t, SESSION[15:])
    t.answer(REVIEW, "w")
    assert t.finish() == 0, t.screen
    assert (folder / RECORD).read_bytes() == reference
    assert drafts(state_folder) == []


def test_ctrl_c_keeps_the_answers(folder, reference, state_folder):
    t = _terminal(folder)
    _type(t, SESSION[:7])
    t.expect(r"Another participant .*: ")
    os.write(t.master, b"\x03")  # Ctrl-C, typed
    deadline = time.monotonic() + 5
    while t.proc.poll() is None and time.monotonic() < deadline:
        t._read(0.2)
    if t.proc.poll() is None:  # the terminal's SIGINT did not arrive: sent directly
        os.killpg(t.proc.pid, signal.SIGINT)
    assert t.finish() == 130, t.screen
    assert "interrupted: nothing written; your answers are kept: rencontres new g" in t.screen
    assert "Traceback" not in t.screen
    t = _terminal(folder)
    t.answer(r"Resume the draft of 2026-03-24 14:00 started .*, 7 answers\? \[Y/n\]: ", "")
    _type(t, SESSION[7:])
    t.answer(REVIEW, "w")
    assert t.finish() == 0, t.screen
    assert (folder / RECORD).read_bytes() == reference


def test_the_offer_of_a_draft_is_a_yes_no_question_in_french(cli, folder, reference,
                                                              state_folder, monkeypatch):
    """Under LANG=fr_FR.UTF-8 the question shows [O/n], takes « oui » (and says what to type
    after an answer it does not know, in French), where typer's own would show [Y/n]."""
    from rencontres.core import i18n

    cli("--records", folder, "new", "g", "--interactive", input=typed(SESSION[:10]))
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    i18n.reset()
    run = cli("--records", folder, "new", "g", "--interactive",
              input="peut-être\noui\n" + typed(SESSION[10:]) + "w\n")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "(10 réponses) ? [O/n] : " in run.stdout
    assert "répondre o ou n" in run.stdout
    assert (folder / RECORD).read_bytes() == reference  # the same record in any language
