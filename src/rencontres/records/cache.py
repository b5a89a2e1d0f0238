"""A cache of parsed records, so that reading a large archive costs a stat per file.

One file per group folder, in the user's cache folder (`$RENCONTRES_CACHE`, else
`$XDG_CACHE_HOME/rencontres`, else `~/.cache/rencontres`; `RENCONTRES_CACHE=off` turns it
off), never among the records. It maps each record's name to what parsing it gave (the
model and its problems, with their lines) under a key of everything that can change a
parse: the file's size, modification and change times in nanoseconds, inode and device,
and this code (the tool's version, Python's, and the parser's source files).

It never serves a stale record: a file whose times are less than `MARGIN_NS` old when
read is not cached, since a second write within the filesystem clock's tick could leave
every part of the key as it was; any later write changes the change time, which no
program can set back. It is safe to delete at any time; a damaged, foreign or unreadable
cache is ignored (and replaced), never an error; a cache that cannot be written is
simply not written. `archive.py` reads and fills it; `build.py` takes its margin for its
stamps.
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

# In a process that runs one command (the console script sets it), what has been loaded
# lives until the process ends: once a cache is read, every object so far is moved out of
# the collector's sight (`gc.freeze`), so that no later collection scans it again (10 ms
# of a record's rendering). Not in a long-lived process (tests), where it would keep
# whatever garbage cycles exist at that moment.
FREEZE = False
PROTOCOL = 5  # pickle's highest in every Python this runs on
MARGIN_NS = 2_000_000_000  # younger files are parsed every time (see above)
_FORMAT = 3
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
    """What of this program a parse depends on: versions and the parser's source files."""
    global _code_key
    if _code_key is None:
        from rencontres import __version__

        here = Path(__file__).parent
        files = []
        # the last two: what an outline holds
        for name in ("parse.py", "schema.py", "toml_lines.py", "model.py", "frozen.py", "errors.py",
                     "words.py", "cache.py", "archive.py", "followup.py"):
            try:
                st = (here / name).stat()
                files.append((name, st.st_size, st.st_mtime_ns))
            except OSError:
                files.append((name, None, None))
        _code_key = (_FORMAT, __version__, sys.version, tuple(files))
    return _code_key


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
        self.path = where / f"{name}{'.' + variant if variant else ''}.pickle" if where else None
        self.entries: dict[str, tuple[tuple, Any]] = {}
        # What was made from every file at once (`remember`): (their keys, in order, the value).
        self.derived: tuple[tuple, Any] | None = None
        self.changed = False
        self.started = time.time_ns()
        if self.path is not None:
            self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as f:
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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            payload = dumps((code_key(), self.owner, self.entries, self.derived),
                            protocol=PROTOCOL)
            import tempfile

            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(payload)
                os.replace(tmp, self.path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except (OSError, PicklingError, RecursionError):
            pass  # a cache that cannot be written is not written
