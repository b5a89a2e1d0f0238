"""Settings without flags (issue 25): the user's configuration file, the environment over it,
passwords from the environment, a file of the user's own (mode 0600), or the keyring —
never from the configuration itself, never shown."""

from __future__ import annotations

import os
import stat

import pytest

from rencontres.cli import config
from rencontres.core.errors import UsageError
from test_send import EVERYONE, Handler, send
from test_send import smtp as smtp  # noqa: F401 (the fixture)


def test_send_takes_the_server_from_the_configuration(cli_raw, club, smtp, user_config,
                                                      monkeypatch):
    server = smtp(Handler())  # points the environment at it: move that into the file
    port = os.environ["RENCONTRES_SMTP_PORT"]
    for name in ("RENCONTRES_SMTP_HOST", "RENCONTRES_SMTP_PORT", "RENCONTRES_SMTP_SECURITY"):
        monkeypatch.delenv(name)
    user_config.write_text(f'[smtp]\nhost = "192.0.2.1"\nport = 1\n\n'
                           f'[groups.club.smtp]  # the group\'s own server\nhost = "127.0.0.1"\n'
                           f'port = {port}\nsecurity = "none"\n', encoding="utf-8")
    run = send(cli_raw, club)
    assert run.exit_code == 0, run.stderr
    assert sorted(server.recipients) == sorted(EVERYONE)


def test_the_environment_overrides_the_file(user_config):
    user_config.write_text('[smtp]\nhost = "file.example"\nport = 25\n', encoding="utf-8")
    assert config.section("smtp", "g", {"RENCONTRES_CONFIG": str(user_config)})["host"] == \
        "file.example"
    from rencontres.cli.invitations import _smtp_settings

    env = {"RENCONTRES_CONFIG": str(user_config), "RENCONTRES_SMTP_HOST": "env.example"}
    assert _smtp_settings(None, None, None, None, env).host == "env.example"
    assert _smtp_settings("flag.example", None, None, None, env).host == "flag.example"
    assert _smtp_settings(None, None, None, None, env).port == 25  # the file's, below


@pytest.mark.parametrize("text,says", [
    ('[smtp]\nhost = "h"\npassword = "hunter2"\n', ":3: a password is never kept in the "
                                                  "configuration"),
    ('[smtp]\nhots = "h"\n', ":2: unknown key 'hots' in [smtp]"),
    ('[smtp\nhost = "h"\n', ":1: "),
    ('[mail]\nhost = "h"\n', ":1: unknown table or key 'mail'"),
])
def test_a_bad_configuration_is_one_line_naming_its_line(cli_raw, club, user_config, text, says):
    user_config.write_text(text, encoding="utf-8")
    run = send(cli_raw, club)
    assert run.exit_code == 2
    assert str(user_config) + says in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "hunter2" not in run.stderr


def test_a_password_file_must_be_the_user_s_own_and_private(tmp_path):
    secret = tmp_path / "smtp-password"
    secret.write_text("s3cret-Pa55\n", encoding="utf-8")
    os.chmod(secret, 0o644)
    conf = {"password_file": str(secret)}
    if os.name == "posix":
        with pytest.raises(UsageError) as caught:
            config.password("smtp", conf, {}, "u", "h")
        assert "readable by others (mode 644)" in caught.value.message
        assert caught.value.hint == f"chmod 600 {secret}"
        assert "s3cret" not in caught.value.message + caught.value.hint
    os.chmod(secret, stat.S_IRUSR | stat.S_IWUSR)
    assert config.password("smtp", conf, {}, "u", "h") == "s3cret-Pa55"
    # the environment first
    assert config.password("smtp", conf, {"RENCONTRES_SMTP_PASSWORD": "env"}, "u", "h") == "env"


def test_no_keyring_backend_is_one_line_naming_the_other_sources(monkeypatch):
    pytest.importorskip("keyring")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    import keyring.core

    keyring.core.set_keyring(keyring.core.load_keyring("keyring.backends.fail.Keyring"))
    with pytest.raises(UsageError) as caught:
        config.password("imap", {}, {}, "secretaire", "imap.example.org")
    assert "the system keyring cannot be used here (NoKeyringError)" in caught.value.message
    assert "RENCONTRES_IMAP_PASSWORD" in caught.value.hint
    assert "password_file" in caught.value.hint


def test_a_password_from_the_keyring(monkeypatch):
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        stored = {("rencontres", "smtp:u@h"): "from-the-keyring"}

        def get_password(self, service, username):
            return self.stored.get((service, username))

        def set_password(self, service, username, password):
            self.stored[(service, username)] = password

        def delete_password(self, service, username):
            self.stored.pop((service, username), None)

    keyring.set_keyring(Memory())
    assert config.password("smtp", {}, {}, "u", "h") == "from-the-keyring"
    with pytest.raises(UsageError) as caught:
        config.password("smtp", {}, {}, "other", "h")
    assert 'service "rencontres", name "smtp:other@h"' in caught.value.hint
