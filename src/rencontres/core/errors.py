"""User errors: one line on stderr and an exit code, decided here and nowhere else."""

from __future__ import annotations


class RencontresError(Exception):
    """A mistake of the user's (bad input, unknown record…), never a bug.

    `cli.py` prints `error: <message>` (and the hint, on the same line) to stderr
    and exits with `exit_code`; anything that is not a RencontresError keeps its
    traceback, because it is a bug.
    """

    exit_code = 2

    def __init__(self, message: str, hint: str = "", exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class UsageError(RencontresError):
    """A bad flag value or argument."""

    exit_code = 2


class Unreadable(UsageError):
    """A file that cannot be read as UTF-8 text."""

    def __init__(self, path, reason: str, line: int | None = None, hint: str = ""):
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {reason}", hint)
        self.path, self.reason, self.line = path, reason, line


class NotFound(RencontresError):
    """An unknown record, group or records folder."""

    exit_code = 3


class InvalidRecord(RencontresError):
    """A record that does not parse or does not pass its checks."""

    exit_code = 1


class Refused(RencontresError):
    """A write that would destroy something (an existing record, say)."""

    exit_code = 4


class DeliveryError(RencontresError):
    """Some invitations could not be delivered."""

    exit_code = 5
