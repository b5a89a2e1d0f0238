"""import in the user's language (issue 27): what it prints — its notes, its errors — is French
under `LANG=fr_FR.UTF-8`, while what it writes is the same bytes whatever the locale (the
notes written into the records stay English: records are compared byte for byte)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT, SHIPPED

BACKUP = DATA / "spip-backup" / "spip-backup.sqlite"
SECTION = "Groupes de travail/Ramsess/Les rencontres de ce groupe de travail"
SEED = DATA / "import" / "000_44f011bbe45605fa.txt"


def _run(lang: str, *args: object) -> subprocess.CompletedProcess:
    """`rencontres ARGS…` in a process of its own, the locale `lang`, LANGUAGE cleared."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = lang
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                      env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "rencontres", *map(str, args)],
                          capture_output=True, text=True, env=env)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".state.lock"}


@pytest.mark.parametrize("source", ["backup", "article"])
def test_the_notes_are_printed_in_french_and_the_records_are_the_same_bytes(tmp_path, source):
    written = {}
    for lang in ("fr_FR.UTF-8", "C.UTF-8"):
        records = tmp_path / lang / "records"
        if source == "backup":
            records.mkdir(parents=True)
            args = [BACKUP, "--group", "ramsess", "--section", SECTION]
        else:
            shutil.copytree(SHIPPED, records)
            (records / "ramsess" / "2007-11-22.toml").unlink()
            args = [SEED]
        run = _run(lang, "--records", records, "import", *args)
        assert run.returncode == 0, run.stderr
        written[lang] = (_files(records), run.stderr)
    (french, said), (english, said_in_english) = written["fr_FR.UTF-8"], written["C.UTF-8"]
    assert french == english  # the records, group.toml and state.toml: byte for byte
    assert "the article says: \"" in said_in_english
    assert "l’article dit : « " in said and "the article says" not in said
    assert "sommaire des points non importé (la synthèse fait le sien) : « " in said
    meeting = english["ramsess/2007-11-22.toml"].decode("utf-8")
    assert "# the article says: \"" in meeting and "l’article dit" not in meeting
    if source == "article":
        assert "entrée de la liste de la rubrique « " in said
        assert "lu comme 2008-01-16, la première date de ce genre après elle" in said
        assert "read as 2008-01-16, the first such date after it" in meeting
    else:
        assert "complétée d’après spip-backup.sqlite (article 2) (« Rencontre du 16 " in said


@pytest.mark.parametrize("content,french", [
    (b"", "fichier vide : pas une sauvegarde SPIP"),
    (b"not a database", "pas une sauvegarde SPIP (pas un fichier SQLite)"),
])
def test_a_bad_backup_is_refused_in_french(tmp_path, content, french):
    bad = tmp_path / "site.sqlite"
    bad.write_bytes(content)
    (tmp_path / "records").mkdir()
    run = _run("fr_FR.UTF-8", "--records", tmp_path / "records", "import", bad)
    assert run.returncode == 2
    assert f"{bad} : {french}" in run.stderr
    assert "donner le fichier qu’écrit Maintenance → Sauvegarder la base de SPIP" in run.stderr
    assert _run("fr_FR.UTF-8", "--records", tmp_path / "records", "import", BACKUP,
                "--section", "999").stderr.count("pas de rubrique numéro 999") == 1
