"""A cache of parsed records, so that reading a large archive costs a stat per file.

One file per group folder, in the user's cache folder (`$RENCONTRES_CACHE`, else
`$XDG_CACHE_HOME/rencontres`, else `~/.cache/rencontres`; `RENCONTRES_CACHE=off` turns it
off), never among the records. It maps each record's name to what parsing it gave (the
model and its problems, with their lines) under a key of everything that can change a
parse: the file's size, modification and change times in nanoseconds, inode and device,
and this code (`code_key`: the tool's version, Python's, tomli's, the time-zone
database's, and every module and compiled catalog of the package), in one file per
language of the messages (a problem is kept as it was worded).

It never serves a stale record: a file whose times are less than `MARGIN_NS` old when
read is not cached, since a second write within the filesystem clock's tick could leave
every part of the key as it was; any later write changes the change time, which no
program can set back. It is safe to delete at any time; a damaged, foreign or unreadable
cache, or one another user owns, is ignored (and replaced), never an error; a cache that
cannot be written is simply not written. Its folder is made readable by its user only, and
its files are written as every file is (`store.write_atomic`). `archive.py` reads and
fills it; `build.py` takes its margin for its stamps, and its code key.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import zlib

try:  # the C pickler itself: pickle.py's Python classes, never used here, cost 2 ms to import
    from _pickle import PicklingError, dumps, loads
except ImportError:  # an interpreter without it
    from pickle import PicklingError, dumps, loads
from pathlib import Path
from typing import Any

from rencontres.core import i18n

# In a process that runs one command (the console script sets it), what has been loaded
# lives until the process ends: once a cache is read, every object so far is moved out of
# the collector's sight (`gc.freeze`), so that no later collection scans it again (10 ms
# of a record's rendering). Not in a long-lived process (tests), where it would keep
# whatever garbage cycles exist at that moment.
FREEZE = False
PROTOCOL = 5  # pickle's highest in every Python this runs on
MARGIN_NS = 2_000_000_000  # younger files are parsed every time (see above)
_FORMAT = 4
_code_key: tuple | None = None


def folder(records: Path) -> Path | None:
    """Where the cache lives, or None when it is off or would be among the records."""
    given = os.environ.get("RENCONTRES_CACHE")
    if given is not None and given.strip().lower() in ("", "off", "0", "no", "false"):
        return None
    if given:
        where = Path(given)
    else:
        base = os.environ.get("XDG_CACHE_HOME")
        where = (Path(base) if base else Path.home() / ".cache") / "rencontres"
    where = Path(os.path.abspath(where))
    records = Path(os.path.abspath(records))
    if where == records or records in where.parents:
        return None  # never a file among the records, whatever the settings say
    return where


def code_key() -> tuple:
    """What of this program a parse depends on, and the one key of this code (the site's
    build keys its outputs with it too, `code_digest`): the cache's format, the tool's and
    Python's versions, tomli's, the time-zone database's (an unknown zone is an error kept
    with the parse), and the size and modification time of every module of the package.

    Every module, not a list of the parser's: a rule that moves to a new module still
    changes the key, and no test has to remember a version to bump. It costs a stat per
    module (0.3 ms in all for 45 modules), where hashing their text would cost reading
    them all (and importing hashlib)."""
    global _code_key
    if _code_key is None:
        import tomli

        from rencontres import __version__

        _code_key = (_FORMAT, __version__, sys.version, getattr(tomli, "__version__", None),
                     zones_key(), modules_key())
    return _code_key


def code_digest() -> str:
    """`code_key` as a short text, for keys kept in files (the site's manifest)."""
    import hashlib  # not at start-up: loading OpenSSL costs 4 ms

    return hashlib.sha256(repr(code_key()).encode()).hexdigest()


def modules_key(package: Path | None = None) -> tuple:
    """(path, size, modification time) of every module below the package's folder."""
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) if package is None \
        else os.fspath(package)
    found: list[tuple[str, int | None, int | None]] = []
    folders = [(top, "")]
    while folders:
        where, rel = folders.pop()
        try:
            with os.scandir(where) as entries:
                for e in entries:
                    if e.name.endswith((".py", ".mo")):  # the code, and its messages
                        try:
                            st = e.stat()
                            found.append((rel + e.name, st.st_size, st.st_mtime_ns))
                        except OSError:
                            found.append((rel + e.name, None, None))
                    elif e.name != "__pycache__" and e.is_dir(follow_symlinks=False):
                        folders.append((e.path, f"{rel}{e.name}/"))
        except OSError:
            found.append((rel, None, None))
    found.sort()
    return tuple(found)


def zones_key() -> tuple:
    """Which time-zone database `zoneinfo` reads: for each folder of its search path, the
    version its `tzdata.zi` (or `+VERSION`) names, else the folder's and its zone table's
    modification times; then the `tzdata` package's version, its fallback."""
    import zoneinfo  # imported by every command that reads records: no cost of its own

    found: list[tuple] = []
    for where in zoneinfo.TZPATH:
        found.append((where, _zones_version(where)))
    try:
        import tzdata  # type: ignore[import-untyped]
    except ImportError:
        found.append(("tzdata", None))
    else:
        found.append(("tzdata", getattr(tzdata, "IANA_VERSION", None),
                      getattr(tzdata, "__version__", None)))
    return tuple(found)


def _zones_version(where: str) -> object:
    try:
        with open(os.path.join(where, "tzdata.zi"), "rb") as f:
            first = f.readline(200)
        if first.startswith(b"# version "):
            return first[10:].strip().decode("ascii", "replace")
    except OSError:
        pass
    try:
        with open(os.path.join(where, "+VERSION"), "rb") as f:
            return f.read(200).strip().decode("ascii", "replace")
    except OSError:
        pass
    stamps: list[tuple[int, int] | None] = []
    for path in (where, os.path.join(where, "zone1970.tab")):
        try:
            st = os.stat(path)
            stamps.append((st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def owned(st: os.stat_result) -> bool:
    """Whether a cache file is the current user's (always, where users have no numbers)."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def file_key(st: os.stat_result) -> tuple:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


class GroupCache:
    """The cached parses of one group folder's files, by file name."""

    def __init__(self, group_dir: Path | None, records: Path | None, variant: str = "") -> None:
        """`variant` names a second cache of the same files holding something else (the
        records' outlines)."""
        where = folder(records) if records is not None else None
        self.owner = os.path.abspath(group_dir or ".")
        # The file's name only spreads the groups: each file says whose it is (`_load`), so
        # two folders whose names collide share a file, and neither is ever served the
        # other's. (zlib, not hashlib: loading OpenSSL cost 4 ms of every command.)
        raw = os.fsencode(self.owner)
        name = f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}"
        self.variant = variant
        # The problems kept are worded in the user's language: one file per language, so
        # that a French run never shows English words cached by an English one
        suffix = "".join(f".{part}" for part in (variant, i18n.catalog_language()) if part)
        self.path = where / f"{name}{suffix}.pickle" if where else None
        self.entries: dict[str, tuple[tuple, Any]] = {}
        # What was made from every file at once (`remember`): (their keys, in order, the value).
        self.derived: tuple[tuple, Any] | None = None
        self.changed = False
        self.started = time.time_ns()
        if self.path is not None:
            self._load()

    def _load(self) -> None:
        assert self.path is not None
        try:
            with open(self.path, "rb") as f:
                if not owned(os.fstat(f.fileno())):
                    self.changed = True  # another user's: never unpickled, replaced on save
                    return
                data = f.read()
        except OSError:
            return
        enabled = gc.isenabled()
        gc.disable()  # many small objects: collections would cost more than the load
        try:
            stored = loads(data)
            if (isinstance(stored, tuple) and len(stored) == 4 and stored[0] == code_key()
                    and stored[1] == self.owner and isinstance(stored[2], dict)):
                self.entries, self.derived = stored[2], stored[3]
            else:  # another version's, or another folder's: replaced on save
                self.changed = True
        except Exception:  # damaged, truncated, foreign: ignored, and replaced on save
            self.entries, self.changed = {}, True
        finally:
            if enabled:
                if FREEZE:
                    gc.freeze()
                gc.enable()

    @classmethod
    def off(cls) -> GroupCache:
        """A cache that holds nothing."""
        return cls(None, None)

    def get(self, name: str, st: os.stat_result) -> Any | None:
        entry = self.entries.get(name)
        if entry is not None and entry[0] == file_key(st):
            return entry[1]
        return None

    def all_fresh(self, entries: list[os.DirEntry]) -> tuple[list, tuple] | None:
        """What is cached for each of `entries`, in order, and their keys, when every key
        still holds (one stat each); else None."""
        get, values, keys = self.entries.get, [], []
        for e in entries:
            held = get(e.name)
            if held is None:
                return None
            try:
                st = e.stat()
            except OSError:
                return None
            key = file_key(st)
            if held[0] != key:
                return None
            values.append(held[1])
            keys.append((e.name, key))
        return values, tuple(keys)

    def recall(self, keys: tuple) -> Any | None:
        """What `remember` kept for files of exactly these names and keys, else None."""
        return self.derived[1] if self.derived is not None and self.derived[0] == keys else None

    def remember(self, keys: tuple, value: Any) -> None:
        """Keep `value`, made from the files of these keys (`all_fresh`) and nothing else."""
        if self.path is not None and self.recall(keys) is None:
            self.derived, self.changed = (keys, value), True

    def put(self, name: str, st: os.stat_result, value: Any) -> None:
        if self.path is None:
            return
        if max(st.st_mtime_ns, st.st_ctime_ns) > self.started - MARGIN_NS:
            # Too recent to be sure a same-tick write would change the key: not cached. An
            # older entry for the name stays, unserved: it was put when the file's change
            # time was older than the margin, so it cannot be this file's key (and the
            # group's cache is not written again for a file saved a moment ago).
            return
        key = file_key(st)
        if name in self.entries and self.entries[name][0] == key:
            return  # already there: nothing to write back
        self.entries[name] = (key, value)
        self.changed = True

    def save(self, names: set[str]) -> None:
        """Write the cache back if it changed, keeping only the files that still exist."""
        if self.path is None:
            return
        gone = self.entries.keys() - names
        if not (self.changed or gone):
            return
        for name in gone:
            del self.entries[name]
        from rencontres.core.errors import RencontresError
        from rencontres.records.store import write_atomic

        try:
            # Only its user may write there: a pickle someone else can replace is their code.
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            payload = dumps((code_key(), self.owner, self.entries, self.derived),
                            protocol=PROTOCOL)
            write_atomic(self.path, payload, overwrite=True, durable=False, mode=0o600)
        except (OSError, PicklingError, RecursionError, RencontresError):
            pass  # a cache that cannot be written is not written
