"""A fault of the mail settings is said in the user's language (issue 27): the same one line
as in English (`test_smtp_faults.py`, `test_config.py`), in French under LANG=fr_FR.UTF-8,
the setting that fixes it included, and no secret in it. The command runs in a process of
its own, as a user runs it: the language is read from the environment once."""

from __future__ import annotations

import os
import subprocess
import sys

from rencontres.core.errors import DeliveryError, UsageError
from test_send import EVERYONE, deliveries
from test_smtp_faults import server  # noqa: F401 — the fixture


def _french(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, "-m", "rencontres", *args], capture_output=True,
                          text=True, env={**clean, "LANG": "fr_FR.UTF-8", **env})


def test_a_server_without_starttls_said_in_french(club, server):  # noqa: F811
    handler, port = server()  # STARTTLS asked for (the default); the server is plain
    run = _french("--records", str(club), "send", "club/2025-12-10")
    assert run.returncode == DeliveryError.exit_code
    last = run.stderr.splitlines()[-1]
    assert last.startswith(f"erreur : serveur SMTP 127.0.0.1:{port} : il n’offre pas "
                           f"STARTTLS ; non atteints : {', '.join(EVERYONE)}")
    assert last.endswith("utiliser --smtp-security none pour un serveur local sans TLS, ou "
                         "ssl pour un port SMTPS (465)")
    assert "offers no STARTTLS" not in run.stderr
    assert handler.received == [] and deliveries(club) == []


def test_a_password_in_the_configuration_said_in_french(club, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[smtp]\nhost = "smtp.example.org"\npassword = "s3cr3t-never-shown"\n',
                      encoding="utf-8")
    run = _french("--records", str(club), "send", "club/2025-12-10",
                  RENCONTRES_CONFIG=str(config))
    assert run.returncode == UsageError.exit_code
    assert run.stderr.splitlines()[-1].startswith(
        f"erreur : {config}:3 : un mot de passe n’est jamais gardé dans la configuration")
    assert "nommer un fichier à vous (mode 0600) en password_file, ou définir "\
        "RENCONTRES_SMTP_PASSWORD, ou utiliser le trousseau" in run.stderr
    assert "s3cr3t" not in run.stderr + run.stdout
