"""Shell completion: the scripts for bash, zsh and fish, and what they complete — commands,
options, choices, group names and record names read from the records folder.

Bash runs for real: the generated script is sourced and its function called as bash calls
it on Tab. zsh and fish are not installed here, so their scripts are checked for the hook
each shell loads, and the program is queried the way those scripts query it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
CLI = shutil.which("rencontres", path=str(BIN)) or "rencontres"


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("_RENCONTRES", "_TYPER"))}
    base.pop("RENCONTRES_RECORDS", None)
    base["PATH"] = f"{BIN}{os.pathsep}{base.get('PATH', '')}"
    return {**base, **extra}


def script(shell: str) -> str:
    done = subprocess.run([CLI, "--show-completion", shell], capture_output=True, text=True,
                          env=env(_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1"))
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def project(records: Path) -> Path:
    (records / "atelier").mkdir()
    (records / "atelier" / "group.toml").write_text('name = "Atelier"\n', encoding="utf-8")
    return records.parent


def bash_tab(words: list[str], cwd: Path) -> list[str]:
    """What bash offers on Tab after `words` (the last one being completed)."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    program = (f"{script('bash')}\nCOMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}\n"
               "_rencontres_completion rencontres\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], capture_output=True,
                          text=True, cwd=cwd, env=env())
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_options_choices_groups_and_records(project: Path):
    assert bash_tab(["rencontres", "sh"], project) == ["show"]
    assert bash_tab(["rencontres", "a"], project) == ["actions", "agenda", "attendance"]
    assert "--format" in bash_tab(["rencontres", "render", "--f"], project)
    assert bash_tab(["rencontres", "render", "--format", ""], project) == ["markdown", "spip", "html"]
    assert bash_tab(["rencontres", "index", ""], project) == ["atelier", "ramsess"]
    # a record: the groups first, then the group's records
    assert bash_tab(["rencontres", "show", ""], project) == ["atelier/", "ramsess/"]
    assert bash_tab(["rencontres", "render", "ram"], project)[0] == "ramsess/2007-10-03"
    assert bash_tab(["rencontres", "show", "ramsess/2008-01"], project) == [
        "ramsess/2008-01-16", "ramsess/2008-01-16-2"]
    # from a subfolder, and with --records given before the command
    assert bash_tab(["rencontres", "show", "ramsess/2009"], project / "records" / "ramsess") == [
        "ramsess/2009-01-13", "ramsess/2009-02-17"]
    elsewhere = project.parent
    assert bash_tab(["rencontres", "--records", str(project / "records"), "edit", "ramsess/2007-1"],
                    elsewhere) == ["ramsess/2007-10-03", "ramsess/2007-10-31", "ramsess/2007-11-22"]
    # no records folder: nothing to offer, and no error printed into the command line
    assert bash_tab(["rencontres", "show", "ram"], elsewhere) == []


def test_zsh_and_fish_scripts_hook_into_their_shells_and_complete_names(project: Path):
    assert script("zsh").startswith("#compdef rencontres")
    fish = script("fish")
    assert "complete --command rencontres" in fish and "_RENCONTRES_COMPLETE=complete_fish" in fish

    def ask(shell: str, line: str, **extra: str) -> str:
        done = subprocess.run([CLI], capture_output=True, text=True, cwd=project,
                              env=env(_RENCONTRES_COMPLETE=f"complete_{shell}",
                                      _TYPER_COMPLETE_ARGS=line, **extra))
        assert done.returncode == 0, done.stderr
        return done.stdout

    zsh = ask("zsh", "rencontres show ramsess/2008-0")
    assert '"ramsess/2008-01-16-2"' in zsh and '"ramsess/2007-11-22"' not in zsh
    assert "attendance" in ask("zsh", "rencontres att")
    fish_out = ask("fish", "rencontres index ", _TYPER_COMPLETE_FISH_ACTION="get-args")
    assert fish_out.split() == ["atelier", "ramsess"]
    assert "--format\t" in ask("fish", "rencontres render --f", _TYPER_COMPLETE_FISH_ACTION="get-args")
