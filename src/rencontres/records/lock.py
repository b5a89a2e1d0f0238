"""One writer of a group's state at a time: `invite`, `send`, `replies`, `rsvp` and `remind`
change `state.toml` under an OS file lock on `records/<group>/.state.lock` (filelock: fcntl
on Linux and macOS, msvcrt on Windows). Never on `state.toml` itself, which every write
replaces by rename: a lock on the replaced file guards nothing (measured: two processes
locking it kept 405 of 600 increments; a separate lock file, 600 of 600).

The lock is held from reading the state to writing its last log line. A second command
waits a few seconds, then says which command holds the group. The OS frees the lock of a
process that died (SIGKILL included) at once: no stale lock to remove by hand.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from rencontres.core.errors import Refused, reason
from rencontres.core.i18n import _

LOCK_FILE = ".state.lock"
HOLDER_FILE = ".state.holder"  # who holds it: read by the one who waits (the lock's own
# file cannot be read while locked on Windows)
WAIT_S = 5.0


class Busy(Refused):
    """Another command holds the group's state."""


@contextmanager
def state_lock(folder: Path, holder: str, wait: float = WAIT_S) -> Iterator[None]:
    """Hold the group's state for `holder` (the command, "send"…); `Busy` after `wait` s."""
    from filelock import FileLock, Timeout

    lock = FileLock(folder / LOCK_FILE, timeout=wait, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise Busy(_("{folder}: `rencontres {holder}` is changing this group's invitations "
                     "and replies").format(folder=folder, holder=_holder(folder)),
                   _("wait for it to finish, then run this command again")) from None
    except OSError as exc:
        raise Refused(_("{lock}: cannot be locked ({why})").format(
            lock=folder / LOCK_FILE, why=reason(exc)),
            _("check that the group's folder is writable")) from None
    try:
        with suppress(OSError):  # only a courtesy to the one who waits
            (folder / HOLDER_FILE).write_text(f"{holder} (process {os.getpid()})\n",
                                              encoding="utf-8")  # i18n: written into a file
        yield
    finally:
        # the holder's name lives as long as the hold (the lock's file stays: deleting it
        # would let a third process lock a new one while the second waits on the old)
        with suppress(OSError):
            (folder / HOLDER_FILE).unlink()
        lock.release()


def _holder(folder: Path) -> str:
    try:
        return (folder / HOLDER_FILE).read_text(encoding="utf-8").strip() or _("another command")
    except OSError:
        return _("another command")
