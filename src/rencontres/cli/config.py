"""The user's configuration: SMTP and IMAP settings without flags, and where passwords come
from. Read here, in the CLI, and handed down as values: no module below reads the
environment or a password.

    $XDG_CONFIG_HOME/rencontres/config.toml   (~/.config/…; %APPDATA%\\rencontres\\… on
                                               Windows; RENCONTRES_CONFIG names another)

    [smtp]                              # for every group
    host = "smtp.example.org"
    port = 587
    security = "starttls"               # none, starttls or ssl
    user = "secretaire@example.org"
    password_file = "~/.config/rencontres/smtp-password"   # the user's own, mode 0600

    [imap]
    url = "imaps://secretaire@imap.example.org:993/INBOX"

    [groups.ramsess.smtp]               # one group's own (its keys override the others)
    user = "ramsess@example.org"

The environment overrides the file, and flags the environment. A password is never in
this file (refused), a record, a command line or an output: it comes from
RENCONTRES_<KIND>_PASSWORD, else the `password_file` named here, else the system keyring
(the `keyring` extra, imported only then).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from rencontres.core.errors import UsageError, reason
from rencontres.core.i18n import _

KEYS = {"smtp": ("host", "port", "security", "user", "timeout", "password_file"),
        "imap": ("url", "user", "timeout", "password_file"),
        "spip": ("url", "login", "timeout", "password_file")}
KEYRING_SERVICE = "rencontres"


def config_path(env: Mapping[str, str]) -> Path:
    if env.get("RENCONTRES_CONFIG"):
        return Path(env["RENCONTRES_CONFIG"]).expanduser()
    if sys.platform == "win32" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "rencontres" / "config.toml"
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "rencontres" / "config.toml"


def load(env: Mapping[str, str]) -> dict:
    """The configuration file's data ({} without one); one line naming the file and line
    for anything wrong in it."""
    from rencontres.records import parse
    from rencontres.records.store import read_text

    path = config_path(env)
    if not path.is_file():
        return {}
    text = read_text(path)
    data, problems = parse.loads(text, str(path))
    if data is None:
        problem = problems[0]
        raise UsageError(f"{path}" + (f":{problem.line}" if problem.line else "") +
                         f": {problem.message}", _("fix the configuration file (TOML)"))
    _check(path, text, data)
    return data


def _check(path: Path, text: str, data: dict) -> None:
    def where(key: str) -> str:
        lines = [i for i, line in enumerate(text.splitlines(), 1)
                 if line.split("=", 1)[0].strip() == key or
                 line.split("#", 1)[0].strip() == f"[{key}]"]
        return f"{path}:{lines[0]}" if lines else str(path)

    tables = [(kind, data.get(kind)) for kind in KEYS] + [
        (kind, table.get(kind)) for slug, table in (data.get("groups") or {}).items()
        if isinstance(table, dict) for kind in KEYS]
    for name in data:
        if name not in (*KEYS, "groups"):
            raise UsageError(_("{where}: unknown table or key '{name}'").format(
                where=where(name), name=name),
                _("the configuration holds [smtp], [imap] and [groups.GROUP.…]"))
    for kind, table in tables:
        if table is None:
            continue
        if not isinstance(table, dict):
            raise UsageError(_("{path}: '{kind}' must be a table ([{kind}])").format(
                path=path, kind=kind))
        for key, value in table.items():
            if key == "password":
                raise UsageError(
                    _("{where}: a password is never kept in the configuration").format(
                        where=where(key)),
                    _("name a file of yours (mode 0600) as password_file, or set {variable}, "
                      "or use the keyring").format(variable=f"RENCONTRES_{kind.upper()}_PASSWORD"))
            if key not in KEYS[kind]:
                raise UsageError(_("{where}: unknown key '{key}' in [{kind}]").format(
                    where=where(key), key=key, kind=kind),
                    _("known keys: {keys}").format(keys=", ".join(KEYS[kind])))
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise UsageError(_("{where}: '{key}' must be a string or a number").format(
                    where=where(key), key=key))


def section(kind: str, group: str | None, env: Mapping[str, str]) -> dict:
    """[kind] of the configuration, with [groups.GROUP.kind] over it."""
    data = load(env)
    out = dict(data.get(kind) or {})
    if group:
        out.update(((data.get("groups") or {}).get(group) or {}).get(kind) or {})
    return out


def password(kind: str, conf: Mapping, env: Mapping[str, str], user: str, host: str) -> str:
    """The password of `user` on `host`: RENCONTRES_<KIND>_PASSWORD, else the configuration's
    password_file, else the system keyring (service "rencontres", name KIND:USER@HOST)."""
    variable = f"RENCONTRES_{kind.upper()}_PASSWORD"
    if env.get(variable):
        return env[variable]
    if conf.get("password_file"):
        return _from_file(Path(str(conf["password_file"])).expanduser(), kind)
    said = {"kind": kind.upper(), "user": repr(user), "host": host, "variable": variable,
            "path": config_path(env)}
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        raise UsageError(_("no password for {kind} user {user} on {host}").format(**said),
                         _("set {variable}, or name a password_file in {path} (or install the "
                           "keyring extra: pip install 'rencontres[keyring]')").format(**said)
                         ) from None
    try:
        found = keyring.get_password(KEYRING_SERVICE, f"{kind}:{user}@{host}")
    except KeyringError as exc:  # NoKeyringError: no backend (headless Linux, CI)
        raise UsageError(_("no password for {kind} user {user} on {host}: the system keyring "
                           "cannot be used here ({why})").format(**said, why=type(exc).__name__),
                         _("set {variable}, or name a password_file in {path}").format(**said)
                         ) from None
    if not found:
        raise UsageError(_("no password for {kind} user {user} on {host}").format(**said),
                         _("set {variable}, or name a password_file in {path}, or store it in "
                           "the system keyring as service \"{service}\", name \"{name}\"").format(
                             **said, service=KEYRING_SERVICE, name=f"{kind}:{user}@{host}"))
    return found


def _from_file(path: Path, kind: str) -> str:
    """A password file: the user's own, readable by no one else (POSIX; Windows has no such
    mode bits: its folder's permissions protect it)."""
    try:
        st = path.stat()
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(_("{path}: the {kind} password file cannot be read ({why})").format(
            path=path, kind=kind.upper(), why=reason(exc))) from None
    if os.name == "posix":
        if st.st_uid != os.getuid():
            raise UsageError(_("{path}: the {kind} password file is not yours").format(
                path=path, kind=kind.upper()),
                _("keep the password in a file of your own, mode 0600"))
        if st.st_mode & 0o077:
            raise UsageError(_("{path}: the {kind} password file is readable by others "
                               "(mode {mode})").format(path=path, kind=kind.upper(),
                                                       mode=f"{st.st_mode & 0o777:o}"),
                             f"chmod 600 {path}")
    secret = text.strip("\r\n")
    if not secret:
        raise UsageError(_("{path}: the {kind} password file is empty").format(
            path=path, kind=kind.upper()))
    return secret
