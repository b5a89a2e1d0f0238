"""The bad corpus (`tests/data/bad/`) in French (issue 27): under `LANG=fr_FR.UTF-8`, each
case's one line of `check` — the file and line it names, and what is wrong — is said in
French, with no sentence left in English.

The English line is the one `test_bad_corpus.py` asserts (its `expect.toml` message); the
French one is read from `rencontres check` run in a process of its own, as a user runs it,
without the parse cache (its problems are kept as they were made, in the language of the
run that made them). The catalog must be compiled (`pybabel compile`, or the package built).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from rencontres.core.words import MONTHS
from test_bad_corpus import CASES, _expect, _records

# Words of English sentences, which no French message holds (outside the values it quotes);
# and words of French ones, one of which every French message holds.
ENGLISH = {"the", "is", "are", "an", "not", "has", "have", "of", "and", "with", "must", "be",
           "write", "in", "this", "file", "value", "between", "quotes", "missing", "large",
           "small", "twice", "given", "holds", "needs", "every", "folder", "read", "its",
           "no", "too", "at", "least", "most", "characters", "closing", "opened",
           "never", "closed", "end", "it", "same", "nested", "deeply", "digits", "record",
           "records", "number", "whole", "only", "days", "year", "damaged", "state", "e.g",
           "expected", "use", "such", "as", "unknown", "empty", "zone", "text", "control",
           "character", "disagrees", "name", "list", "key", "keys", "error", "warning",
           *(m.lower() for m in MONTHS["en"])}
FRENCH = {"n’est", "n’a", "pas", "une", "un", "le", "la", "les", "des", "du", "de", "à",
          "écrire", "ligne", "clé", "fichier", "fiche", "fiches", "sans", "trop", "contient",
          "est", "dans", "avec", "fuseau", "vide", "absent", "entre", "fait", "mettre"}


def _check(records, env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    done = subprocess.run([sys.executable, "-m", "rencontres", "--records", str(records),
                           "check"], capture_output=True, text=True,
                          env={**clean, "NO_COLOR": "1", "COLUMNS": "200",
                               "RENCONTRES_CACHE": "off", **env})
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    return done.stdout + done.stderr


def _said(output: str, named: str, labels: tuple[str, ...]) -> str:
    """The message of the line naming `named` (path:line), after its label, which must be
    one of `labels` ("error: " and "warning: ", or "erreur : " and "avertissement : ")."""
    pattern = re.compile(rf"(?:^|/){re.escape(named)}: (?P<label>[^\W\d_]+ ?): "
                         rf"(?P<message>.*)$")
    found = [m for line in output.splitlines() if (m := pattern.search(line))]
    assert len(found) == 1, (named, output)
    assert found[0]["label"] in labels, found[0].group(0)
    return found[0]["message"]


def _words(message: str) -> set[str]:
    """The words of `message` outside what it quotes (a value as written: 'Salle A',
    "CONFIRMED", `rencontres check`) and the keys of what it says to type (end = 16:00), in
    lowercase."""
    bare = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|[\w.-]+ = ", " ", message)
    return {w.lower().strip("’") for w in re.findall(r"[^\W\d_][\w’.]*[^\W\d_]|[^\W\d_]",
                                                      bare)}


@pytest.mark.parametrize("name", CASES)
def test_each_case_is_said_in_french(cli, tmp_path, name):
    expect = _expect(name)
    records = _records(tmp_path, name)
    named = expect["file"] + (f":{expect['line']}" if expect.get("line") else "")
    english = _said(_check(records, {"LANG": "C.UTF-8"}), named, ("error", "warning"))
    assert expect["message"] in english, english  # the English line, as test_bad_corpus has it
    french = _said(_check(records, {"LANG": "fr_FR.UTF-8"}), named,
                   ("erreur ", "avertissement "))
    assert french != english
    assert expect["message"] not in french, french
    left = _words(french) & ENGLISH
    assert not left, (f"English words left: {sorted(left)}", french)
    assert _words(french) & FRENCH, french


def test_an_error_that_stops_a_command_is_french_too(tmp_path):
    """Outside `check`, a command refusing a broken record says the same sentence, after
    "erreur :" (one line on stderr)."""
    records = _records(tmp_path, "meeting-april-31")
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    done = subprocess.run([sys.executable, "-m", "rencontres", "--records", str(records),
                           "show", "g/2026-01-15"], capture_output=True, text=True,
                          env={**clean, "NO_COLOR": "1", "RENCONTRES_CACHE": "off",
                               "LANG": "fr_FR.UTF-8"})
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("erreur : ") or "g/2026-01-15.toml:16: " in done.stderr
    assert "g/2026-01-15.toml:16: '2026-04-31' n’est pas une date : avril n’a que 30 jours" \
        in done.stderr, done.stderr
