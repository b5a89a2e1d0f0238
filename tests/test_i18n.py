"""The tool's voice follows the user's locale through gettext (issue 27): French catalogs made
with Babel, compiled when the package is built; English otherwise. The documents keep the
group's language (tests elsewhere)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from rencontres.core import i18n

LOCALE = ROOT / "src" / "rencontres" / "locale"


@pytest.mark.parametrize("env,expected", [
    ({}, []),
    ({"LANG": "C"}, []),
    ({"LANG": "C.UTF-8", "LANGUAGE": "fr"}, []),  # under C, LANGUAGE counts for nothing
    ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8", "LANGUAGE": "fr"}, []),
    ({"LANG": "POSIX", "LANGUAGE": "fr"}, []),
    ({"LANG": "fr_FR.UTF-8"}, ["fr_FR.UTF-8"]),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "fr_BE.UTF-8"}, ["fr_BE.UTF-8"]),
    ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr:en"}, ["fr", "en", "fr_FR.UTF-8"]),
])
def test_the_language_is_read_as_gnu_gettext_reads_it(env, expected):
    assert i18n.languages(env) == expected


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, "-m", "rencontres", *args], capture_output=True,
                          text=True, env={**clean, **env})


def test_help_is_french_when_the_locale_asks_for_it():
    done = _run({"LANG": "fr_FR.UTF-8"}, "-h")
    assert done.returncode == 0
    assert done.stdout.startswith("Utilisation : rencontres [OPTIONS] COMMAND")
    assert "Commandes" in done.stdout and "Afficher ce message et quitter." in done.stdout
    assert "Lister les rencontres par date." in done.stdout
    sub = _run({"LANG": "fr_FR.UTF-8"}, "render", "-h")
    assert "Exemple : rencontres render" in sub.stdout


@pytest.mark.parametrize("env", [{"LANG": "C", "LANGUAGE": "fr"}, {"LC_ALL": "C",
                                 "LANG": "fr_FR.UTF-8"}, {"LANG": "en_US.UTF-8"}, {}])
def test_english_otherwise(env):
    done = _run(env, "-h")
    assert done.stdout.startswith("Usage: rencontres [OPTIONS] COMMAND")
    assert "List the meetings in date order." in done.stdout


def test_an_error_in_french():
    done = _run({"LANG": "fr_FR.UTF-8"}, "--records", str(ROOT / "records"), "show",
                "ramsess/1999-01-01")
    assert done.returncode != 0 and done.stderr.startswith("erreur : ")


def _extracted(tmp_path: Path) -> set[str]:
    pytest.importorskip("babel")
    from babel.messages.pofile import read_po

    out = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(ROOT / "babel.cfg"), "-k", "_", "-k", "N_", "-k", "ngettext:1,2",
                    "--no-location", "--omit-header", "--sort-output", "-o", str(out),
                    str(ROOT / "src" / "rencontres")], check=True, capture_output=True)
    with out.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


def _catalog(path: Path) -> dict:
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return {(m.id if isinstance(m.id, str) else m.id[0]): m for m in read_po(f) if m.id}


def test_the_committed_catalog_is_what_extraction_gives(tmp_path):
    """A developer step (babel.cfg says how): a message marked in the code and not in the
    committed template, or one left there that the code no longer has, fails here."""
    assert _extracted(tmp_path) == set(_catalog(LOCALE / "rencontres.pot"))


def test_every_message_has_its_french_translation(tmp_path):
    french = _catalog(LOCALE / "fr" / "LC_MESSAGES" / "rencontres.po")
    def translated(m) -> bool:  # every plural form too (French has three in Babel's rules)
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        return all(forms) and not m.fuzzy

    untranslated = sorted(m for m in _extracted(tmp_path)
                          if m not in french or not translated(french[m]))
    assert untranslated == []


def test_the_framework_forms_this_code_relies_on():
    """What cli/framework.py needs of typer: its marked strings read through gettext's
    default domain, and the public methods it overrides. A typer release that moves them
    fails here, not in a user's terminal."""
    import gettext

    import typer.core

    assert typer.core._ is gettext.gettext  # typer's marks follow the default domain
    for name in ("format_usage", "get_help_option", "collect_usage_pieces"):
        assert hasattr(typer.core.TyperCommand, name) and hasattr(typer.core.TyperGroup, name)
    from rencontres.cli.framework import Command

    assert Command.format_usage is not typer.core.TyperCommand.format_usage


def test_the_framework_s_usage_errors_in_french():
    """typer's usage errors, reworded from their fields (cli/framework.py), in French: the
    same cases as the English ones of test_records_cli.py."""
    from test_records_cli import USAGE_ERRORS

    for args, _english, french in USAGE_ERRORS:
        done = _run({"LANG": "fr_FR.UTF-8"}, "--records", str(ROOT / "records"), *args)
        assert (done.returncode, done.stderr) == (2, french + "\n"), args


def test_where_typer_keeps_its_usage_errors():
    """The one name typer does not export that cli/framework.py needs: the module of its
    usage errors, and their fields. A release that moves them fails here."""
    import importlib

    from rencontres.cli.framework import ERRORS_MODULE

    errors = importlib.import_module(ERRORS_MODULE)
    import typer

    for name in ("NoSuchOption", "MissingParameter", "BadOptionUsage", "BadParameter"):
        assert issubclass(getattr(errors, name), typer.TyperException)
    assert errors.BadParameter is typer.BadParameter
    assert errors.NoSuchOption("--x", possibilities=["--y"]).possibilities == ["--y"]
    assert errors.BadOptionUsage("--x", "m").option_name == "--x"


def test_what_the_system_says_is_said_in_french_too(tmp_path):
    """Python gives the C library's reasons in English whatever the locale: the common ones
    are ours (core/errors.reason). Here a port already taken, as `serve` says it."""
    import shutil
    import socket

    records = tmp_path / "records"
    shutil.copytree(ROOT / "records", records)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        args = ("--records", str(records), "serve", "--port", port, "--no-search", "-o",
                str(tmp_path / "site"))
        french = _run({"LANG": "fr_FR.UTF-8"}, *args)
        english = _run({"LANG": "C.UTF-8"}, *args)
    assert french.returncode == english.returncode == 2
    assert french.stderr.splitlines()[-1] == (
        f"erreur : --port {port} : impossible de servir sur 127.0.0.1:{port} (Adresse déjà "
        "utilisée) ; donner un autre port, ou --port 0 pour n’importe lequel de libre")
    assert f"127.0.0.1:{port} (Address already in use)" in english.stderr
