"""`new` and `edit` as a person uses them: in a pseudo-terminal, answer by answer.

The secretary completes the 4th meeting of the shipped group (a stub known from the
section index): a bad date then a good one, a bad attendance letter, the open actions of
the 3rd meeting reviewed, an action with owner and due date, the next meeting. Then
Ctrl-C halfway through another `new`, and `edit` with an editor that breaks the record.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT, SHIPPED, snapshot


def _own_terminal() -> None:
    """In the child: a session of its own with the pty as its controlling terminal (so
    Ctrl-C typed there is SIGINT), and SIGINT handled even if the test runner ignores it
    (a background job does)."""
    import fcntl
    import termios

    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """A command in a pseudo-terminal: wait for a prompt, type an answer."""

    def __init__(self, args: list[str], env: dict | None = None):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "rencontres", *args], stdin=slave, stdout=slave,
            stderr=slave, close_fds=True, preexec_fn=_own_terminal,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1",
                 "COLUMNS": "100", "TERM": "dumb", **(env or {})})
        os.close(slave)
        self.screen = ""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 4096)
        except OSError:
            return False
        self.screen += data.decode("utf-8", errors="replace").replace("\r\n", "\n")
        return bool(data)

    def expect(self, pattern: str, timeout: float = 20) -> str:
        """Wait until the screen (since the last expect) shows `pattern`; return what came."""
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.screen)
            if m:
                seen, self.screen = self.screen[:m.end()], self.screen[m.end():]
                return seen
            if time.monotonic() > deadline or (not self._read(0.2) and self.proc.poll()
                                                is not None and not self._read(0.2)):
                raise AssertionError(f"never saw {pattern!r}; screen:\n{self.screen}")

    def answer(self, pattern: str, text: str) -> str:
        seen = self.expect(pattern)
        os.write(self.master, text.encode() + b"\r")
        return seen

    def finish(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.2)
        while self._read(0.1):
            pass
        code = self.proc.wait(timeout=5)
        os.close(self.master)
        return code


@pytest.fixture
def records(tmp_path) -> Path:
    target = tmp_path / "records"
    shutil.copytree(SHIPPED, target)
    return target


MEMBERS = ["Marie-ange Favre", "Yamina Mouloudj", "Pierre Levy", "Benjamin Borgue",
           "Amanda Morbelli", "Sandrine Delrieu", "Hélène Laude", "Philippe Oswald"]


def test_new_in_a_terminal_completes_the_stub_as_typed(records):
    stub_path = records / "ramsess" / "2008-01-16.toml"
    stub = stub_path.read_text(encoding="utf-8")
    t = Terminal(["--records", str(records), "new", "ramsess"])
    t.answer(r"Date .*\[2008-01-16T14:00\]: ", "16/13/2008")
    assert "not a date" in t.answer(r"Date .*: ", "16/01/2008 14h")
    t.answer(r"Venue \[Energie Alternative\]: ", "")
    t.answer(r"Address \[52, La Cannebière\]: ", "")
    t.answer(r"End \(HH:MM, empty: none\): ", "17h")
    t.answer(r"Context .*: ", "Deuxième séance sur le support commun.")
    t.answer(r"…: ", "")  # an empty line ends the text
    for i, name in enumerate(MEMBERS):
        answer = {"Yamina Mouloudj": "e", "Pierre Levy": "a"}.get(name, "p")
        if i == 0:
            t.answer(rf"{name}.*\[p\]: ", "x")  # a bad letter: explained, asked again
            assert "not an answer" in t.answer(rf"{name}.*\[p\]: ", answer)
        else:
            t.answer(rf"{name}.*\[p\]: ", answer)
    t.answer(r"Another participant .*: ", " / Apeas")  # no name: asked again
    assert "no name" in t.answer(r"Another participant .*: ", "Zoé Martin / Apeas")
    t.answer(r"Another participant .*: ", "")
    # the 3rd meeting's open actions, to review
    t.expect(r"Topic: Suivi des actions")
    t.answer(r"Sandrine Delrieu: Travailler .*\[o\]: ", "d")
    t.answer(r"Tous les participants.*\[o\]: ", "o")
    t.answer(r"New due date \(YYYY-MM-DD, empty: keep 2008-01-16\): ", "2008-02-27")
    t.answer(r"Progress note \(empty: none\): ", "trois fiches sur cinq")
    t.answer(r"Philippe Oswald: Transmettre .*\[o\]: ", "r")
    t.answer(r"Decision \(empty: done\): ", "")
    t.answer(r"Action owner .*: ", "")
    t.answer(r"Topic title \(empty: done\): ", "Support commun")
    t.answer(r"Text of “Support commun”.*: ", "La maquette est présentée.")
    t.answer(r"…: ", "Chacun la relit.")
    t.answer(r"…: ", "")
    t.answer(r"Decision \(empty: done\): ", "La maquette est adoptée.")
    t.answer(r"Vote \(u: unanimous .*\): ", "oui 5")  # explained, asked again
    assert "'oui' is not a word of a vote" in t.answer(r"Vote \(u: unanimous .*\): ", "5 1 0")
    t.answer(r"Decision \(empty: done\): ", "Un compte rendu par rencontre [unanimité]")
    t.answer(r"Decision \(empty: done\): ", "")
    t.answer(r"Action owner \(1 Marie-ange Favre, .*\): ", "6")
    t.answer(r"Task: ", "Envoyer la maquette au groupe")
    t.answer(r"Due date .*: ", "2008-02-30")  # no such day: asked again
    t.answer(r"Due date .*: ", "2008-02-20")
    t.answer(r"Action owner .*: ", "")
    t.answer(r"Topic title \(empty: done\): ", "")
    t.answer(r"Next meeting .*: ", "12 mai 2009 14h")  # as people write it
    t.answer(r"Next meeting's venue \[Energie Alternative\]: ", "LaPlateforme")
    t.answer(r"Next meeting's address: ", "3, rue de la Coopération")
    t.answer(r"agenda item \(empty: done\): ", "Support commun : suite")
    t.answer(r"agenda item \(empty: done\): ", "")
    review = t.answer(r"write / change N / discard .*: ", "w")  # the record, then write
    assert "Suivi des actions" in review and "Envoyer la maquette au groupe" in review
    assert t.finish() == 0, t.screen

    text = stub_path.read_text(encoding="utf-8")
    assert text.startswith(stub.replace("date = 2008-01-16", "date = 2008-01-16T14:00:00"))
    data = tomllib.loads(text)
    assert data["title"] == 'Synthèse de la 4ème rencontre du groupe "Entreprendre au collectif"'
    assert data["number"] == 4 and data["end"].isoformat() == "17:00:00"
    assert data["context"] == "Deuxième séance sur le support commun."
    people = {p["name"]: p.get("attendance", "present") for p in data["participants"]}
    assert people["Marie-ange Favre"] == "present" and people["Yamina Mouloudj"] == "excused"
    assert people["Pierre Levy"] == "absent" and people["Zoé Martin"] == "present"
    review, support = data["topics"]
    assert review["title"] == "Suivi des actions"
    assert [(a.get("follows"), a.get("done", False), a.get("dropped", False))
            for a in review["actions"]] == [("2007-11-22#1", True, False),
                                            ("2007-11-22#2", False, False),
                                            ("2007-11-22#3", False, True)]
    kept = review["actions"][1]
    assert kept["due"].isoformat() == "2008-02-27" and kept["note"] == "trois fiches sur cinq"
    assert support == {"title": "Support commun",
                       "body": "La maquette est présentée.\nChacun la relit.",
                       "decisions": [{"text": "La maquette est adoptée.", "for": 5,
                                      "against": 1, "abstain": 0},
                                     {"text": "Un compte rendu par rencontre",
                                      "unanimous": True}],
                       "actions": [{"owner": "Sandrine Delrieu",
                                    "task": "Envoyer la maquette au groupe",
                                    "due": data["topics"][1]["actions"][0]["due"]}]}
    assert support["actions"][0]["due"].isoformat() == "2008-02-20"
    assert data["next"]["date"].isoformat() == "2009-05-12T14:00:00"
    assert data["next"]["agenda"] == ["Support commun : suite"]
    assert data["next"]["address"] == "3, rue de la Coopération"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    check = subprocess.run([sys.executable, "-m", "rencontres", "--records", str(records),
                            "check"], capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    # the reviewed actions: one done, one dropped, one still open, plus the new one
    actions = subprocess.run([sys.executable, "-m", "rencontres", "--records", str(records),
                              "actions", "--json"], capture_output=True, text=True, env=env)
    import json

    assert [a["task"][:20] for a in json.loads(actions.stdout)] == [
        "Tous les participant", "Envoyer la maquette "]


def test_ctrl_c_writes_nothing_and_exits_130(records):
    before = snapshot(records)
    t = Terminal(["--records", str(records), "new", "ramsess"])
    t.answer(r"Date .*: ", "")
    t.expect(r"Venue .*: ")
    os.write(t.master, b"\x03")  # Ctrl-C, typed
    deadline = time.monotonic() + 5
    while t.proc.poll() is None and time.monotonic() < deadline:
        t._read(0.2)
    if t.proc.poll() is None:  # the terminal's SIGINT did not arrive (a loaded machine):
        os.killpg(t.proc.pid, signal.SIGINT)  # the same signal, sent directly
    code = t.finish()
    assert code == 130, t.screen
    assert "interrupted: nothing written" in t.screen
    assert "Traceback" not in t.screen
    assert snapshot(records) == before


def test_edit_shows_errors_and_offers_to_edit_again(records, tmp_path):
    path = records / "ramsess" / "2008-02-27.toml"
    original = path.read_text(encoding="utf-8")
    editor = tmp_path / "editor.sh"
    # first time: breaks the date; second time: adds a venue to the original text
    editor.write_text(f'''#!/bin/sh
if [ -f "{tmp_path}/once" ]; then
  cp "{tmp_path}/good.toml" "$1"
else
  touch "{tmp_path}/once"
  sed 's/^date = .*/date = 2008-02-31/' "$1" > "$1.new" && mv "$1.new" "$1"
fi
''')
    editor.chmod(0o755)
    (tmp_path / "good.toml").write_text(original + 'venue = "LaPlateforme"  # added\n',
                                        encoding="utf-8")
    t = Terminal(["--records", str(records), "edit", "ramsess/2008-02-27"],
                 env={"VISUAL": str(editor)})
    seen = t.answer(r"Edit again\? \[Y/n\]: ", "")
    assert "'2008-02-31' is not a date: February 2008 has only 29 days" in seen
    seen = t.answer(r"write / edit again / discard \(w, e, d\) \[w\]: ", "")
    assert "LaPlateforme" in seen  # the record as `show` prints it, before it is written
    assert path.read_text(encoding="utf-8") == original  # nothing written meanwhile
    assert t.finish() == 0, t.screen
    assert path.read_text(encoding="utf-8") == original + 'venue = "LaPlateforme"  # added\n'


def test_edit_without_a_terminal_never_saves_a_broken_record(cli, records, tmp_path,
                                                              monkeypatch):
    path = records / "ramsess" / "2008-02-27.toml"
    original = path.read_bytes()
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "date = 2008-02-27\\nvenu = \\"x\\"\\n" > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    run = cli("--records", records, "edit", "ramsess/2008-02-27")
    assert run.exit_code == 1
    assert "unknown key 'venu'" in run.stderr and "did you mean 'venue'" in run.stderr
    assert "not saved" in run.stderr and "your text is kept in" in run.stderr
    assert path.read_bytes() == original
    kept = Path(run.stderr.split("your text is kept in ")[1].split(";")[0].strip())
    assert kept.read_text() == 'date = 2008-02-27\nvenu = "x"\n'


def _appending_editor(tmp_path: Path, *lines: str) -> Path:
    """An editor that appends `lines[i]` to the text the i-th time it is opened."""
    editor = tmp_path / "editor.sh"
    script = ['#!/bin/sh', f'n=$(cat "{tmp_path}/count" 2>/dev/null || echo 0)',
              f'echo $((n + 1)) > "{tmp_path}/count"']
    for i, line in enumerate(lines):
        script.append(f"[ \"$n\" = {i} ] && printf '%s\\n' '{line}' >> \"$1\"")
    editor.write_text("\n".join([*script, "exit 0", ""]))
    editor.chmod(0o755)
    return editor


def test_edit_reviews_the_record_and_edits_it_again(cli, records, tmp_path, monkeypatch):
    path = records / "ramsess" / "2008-02-27.toml"
    original = path.read_text(encoding="utf-8")
    monkeypatch.setenv("VISUAL", str(_appending_editor(
        tmp_path, 'venue = "LaPlateforme"', 'address = "3, rue de la Coopération"')))
    run = cli("--records", records, "edit", "ramsess/2008-02-27", input="e\nw\n")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.stdout.count("write / edit again / discard (w, e, d) [w]") == 2
    assert "LaPlateforme" in run.stderr  # the review, on stderr
    assert path.read_text(encoding="utf-8") == (
        original + 'venue = "LaPlateforme"\naddress = "3, rue de la Coopération"\n')
    assert "saved " in run.stderr
    assert cli("--records", records, "check").exit_code == 0


def test_edit_discarded_at_the_review_leaves_the_record_and_keeps_the_text(
        cli, records, tmp_path, monkeypatch):
    path = records / "ramsess" / "2008-02-27.toml"
    original = path.read_bytes()
    monkeypatch.setenv("VISUAL", str(_appending_editor(tmp_path, 'venue = "LaPlateforme"')))
    run = cli("--records", records, "edit", "ramsess/2008-02-27", input="d\n")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert path.read_bytes() == original
    assert "left untouched; your edited text is kept in " in run.stderr
    kept = Path(run.stderr.split("your edited text is kept in ")[1].split()[0])
    assert kept.read_bytes() == original + b'venue = "LaPlateforme"\n'
    assert records.resolve() not in kept.resolve().parents


def test_new_refuses_or_corrects_each_mistake_at_its_question(records):
    """The three mistakes of issue 21, each met where it is typed: a participant already
    listed, a near spelling of a member (the correction taken), a next meeting before the
    meeting; with an impossible date, an empty task and a due date without its year. The
    record is written at the end, and nothing answered right is asked twice."""
    t = Terminal(["--records", str(records), "new", "ramsess"])
    seen = [t.answer(r"Date .*\[2008-01-16T14:00\]: ", "31/02/2009 14h")]
    seen.append(t.answer(r"Date .*: ", "24/03/2009 14h"))
    assert "February 2009 has only 28 days" in seen[-1]
    assert "16/01/2008 14h" in seen[-1] and "16 janvier 2008 à 14h30" in seen[-1]
    seen.append(t.answer(r"Venue.*: ", "Energie Alternative"))
    seen.append(t.answer(r"Address.*: ", ""))
    seen.append(t.answer(r"End \(HH:MM, empty: none\): ", "17h"))
    seen.append(t.answer(r"Context .*: ", ""))
    for name in MEMBERS:
        seen.append(t.answer(rf"{name}.*\[p\]: ", "a" if name == "Sandrine Delrieu" else "p"))
    seen.append(t.answer(r"Another participant .*: ", "Pierre Levy / Intermade"))
    seen.append(t.answer(r"Another participant .*: ", "Sandrine Delrieux / LaPlateforme"))
    assert "Pierre Levy is already listed (present) — try again" in seen[-1]
    seen.append(t.answer(r"Sandrine Delrieux — did you mean Sandrine Delrieu \(LaPlateforme\)\? "
                         r"\[Y/n\]: ", ""))
    seen.append(t.answer(r"Another participant .*: ", ""))
    t.expect(r"Topic: Suivi des actions")
    while "Decision" not in (shown := t.expect(r"\[o\]: |New due date .*: |Progress note .*: "
                                                r"|Decision \(empty: done\): ")):
        seen.append(shown)  # each open action kept open, its due date and note unchanged
        os.write(t.master, b"o\r" if shown.endswith("[o]: ") else b"\r")
    os.write(t.master, b"\r")
    owners = t.answer(r"Action owner .*: ", "Philipe Oswald")
    assert owners.count("Pierre Levy") == 1, owners  # offered once
    seen.append(owners)
    seen.append(t.answer(r"Philipe Oswald — did you mean Philippe Oswald.*\[Y/n\]: ", "y"))
    seen.append(t.answer(r"Task: ", ""))
    seen.append(t.answer(r"Task: ", "Relire la charte"))
    assert "an answer is needed" in seen[-1]
    seen.append(t.answer(r"Due date .*: ", "15 avril"))
    seen.append(t.answer(r"Action owner .*: ", ""))
    seen.append(t.answer(r"Topic title \(empty: done\): ", ""))
    seen.append(t.answer(r"Next meeting \(.*: ", "12/03/2009 14h"))
    seen.append(t.answer(r"Next meeting \(.*: ", "12 mai 2009 à 14h30"))
    assert "not after this one (2009-03-24)" in seen[-1]
    seen.append(t.answer(r"Next meeting's venue.*: ", "LaPlateforme"))
    seen.append(t.answer(r"Next meeting's address.*: ", ""))
    seen.append(t.answer(r"agenda item \(empty: done\): ", ""))
    review = t.answer(r"write / change N / discard .*: ", "w")  # lists every answer again
    assert t.finish() == 0, review + t.screen
    transcript = "".join(seen)  # the questions, up to the review
    for asked_once in ("Venue", "Address", "End (", "Context", "Task: Relire",
                       "Due date", "Next meeting's venue"):
        assert transcript.count(asked_once) <= 1, (asked_once, transcript)
    for name in MEMBERS:  # the roster: each asked once
        assert len(re.findall(rf"{name}[^\n]*\[p\]resent", transcript)) == 1, name
    data = tomllib.loads((records / "ramsess" / "2009-03-24.toml").read_text(encoding="utf-8"))
    people = [(p["name"], p.get("attendance", "present")) for p in data["participants"]]
    assert [n for n, _ in people].count("Pierre Levy") == 1
    assert ("Sandrine Delrieu", "present") in people
    assert not any("Delrieux" in n for n, _ in people)
    action = data["topics"][-1]["actions"][-1]
    assert action["owner"] == "Philippe Oswald" and action["task"] == "Relire la charte"
    assert action["due"].isoformat() == "2009-04-15"
    assert data["next"]["date"].isoformat() == "2009-05-12T14:30:00"


def test_a_day_of_two_records_asks_which_in_a_terminal(records):
    """Issue 27: `show 16/01/2008` with two records that day lists them and asks."""
    t = Terminal(["--records", str(records), "show", "16/01/2008"])
    seen = t.expect(r"Which one \(1-2, or its name\): ")
    assert "16/01/2008: 2 records that day:\n  1. ramsess/2008-01-16\n" \
           "  2. ramsess/2008-01-16-2\n" in seen
    t.answer(r"", "3")
    t.answer(r"'3': not one of them — type a number from 1 to 2\n.*: ", "2")
    shown = t.expect(r"· \S+\n", timeout=30)  # its first line: title, group · record
    assert shown.rstrip().endswith("2008-01-16-2"), shown
    assert t.proc.wait(timeout=30) == 0


def test_new_in_a_terminal_proposes_each_invitees_answer(cli, asso, monkeypatch, tmp_path):
    """After `replies`: each invitee asked with their answer shown, present or excused
    proposed from it, and no proposal for who did not answer (an empty answer is refused)."""
    from replies_helpers import MAIL, invite_twice

    invite_twice(cli, asso, monkeypatch, tmp_path)
    assert cli("--records", asso, "replies", *sorted(MAIL.glob("*.eml"))).exit_code == 0
    t = Terminal(["--records", str(asso), "new", "asso"],
                 env={"RENCONTRES_NOW": "2026-02-06T09:00:00Z"})
    t.answer(r"Date .*\[2026-02-05T18:00\]: ", "")
    t.answer(r"Venue .*: ", "")
    t.answer(r"Address .*: ", "")
    t.answer(r"End \(HH:MM, empty: none\): ", "")
    t.answer(r"Context .*: ", "")
    t.answer(r"Alice Martin / Atelier Vélo \(replied accepted on 2026-01-12: J’apporte le "
             r"vidéoprojecteur\.\): \[p\]resent, \[e\]xcused, \[a\]bsent \[p\]: ", "")
    t.answer(r"Bruno Lefèvre / .*\(replied tentative on 2026-01-13\): \[p\]resent, \[e\]xcused, "
             r"\[a\]bsent: ", "a")
    t.answer(r"Chloé Bernard / .*\(replied declined on 2026-01-13: Désolée.*\[e\]: ", "")
    t.answer(r"David Roux / .*\(replied accepted on 2026-01-10\).*\[p\]: ", "")
    t.answer(r"Emma Petit / .*\(replied delegated on 2026-01-14: delegated to "
             r"farid@asso\.example; .*\[e\]: ", "")
    t.answer(r"Farid Haddad / Maison de Quartier \(no answer\): \[p\]resent, \[e\]xcused, "
             r"\[a\]bsent: ", "")  # nothing proposed: an answer is needed
    assert "an answer is needed" in t.answer(r"Farid Haddad .*\[a\]bsent: ", "p")
    for name in ("Georges Blanc", "Hugo Moreau", "Inès Garcia", "Jules Fontaine"):
        t.answer(rf"{name} / .*\(no answer\): \[p\]resent, \[e\]xcused, \[a\]bsent: ", "e")
    t.answer(r"Another participant .*: ", "")
    for topic in ("Budget 2026", "Fête de quartier"):  # the planned agenda
        t.answer(rf"Text of “{topic}”.*: ", "")
        t.answer(r"Decision \(empty: done\): ", "")
        t.answer(r"Action owner .*: ", "")
    t.answer(r"Topic title \(empty: done\): ", "")
    t.answer(r"Next meeting .*: ", "")
    t.answer(r"write / change N / discard .*: ", "w")
    assert t.finish() == 0, t.screen
    text = (asso / "asso" / "2026-02-05.toml").read_text(encoding="utf-8")
    people = {p["name"]: p.get("attendance", "present")
              for p in tomllib.loads(text)["participants"]}
    assert people == {"Alice Martin": "present", "Bruno Lefèvre": "absent",
                      "Chloé Bernard": "excused", "David Roux": "present",
                      "Emma Petit": "excused", "Farid Haddad": "present",
                      "Georges Blanc": "excused", "Hugo Moreau": "excused",
                      "Inès Garcia": "excused", "Jules Fontaine": "excused"}
    assert "# replied declined on 2026-01-13: Désolée, je suis en congé" in text
