"""User errors: one line on stderr and an exit code, decided here and nowhere else."""

from __future__ import annotations

import errno

from rencontres.core.i18n import N_, _

# What the system says when it refuses, in the user's language: Python gives the C library's
# words in English (it never sets the messages' locale), so the common ones are ours.
_SYSTEM = {
    errno.ENOENT: N_("No such file or directory"), errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"), errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"), errno.ENOSPC: N_("No space left on device"),
    errno.EROFS: N_("Read-only file system"), errno.ENAMETOOLONG: N_("File name too long"),
    errno.EEXIST: N_("File exists"), errno.ENOTEMPTY: N_("Directory not empty"),
    errno.ELOOP: N_("Too many levels of symbolic links"), errno.EIO: N_("Input/output error"),
    errno.EADDRINUSE: N_("Address already in use"),
    errno.ECONNREFUSED: N_("Connection refused"),
}


def reason(exc: BaseException) -> str:
    """Why the system refused (an OSError), in the user's language for the common cases,
    else as the system says it."""
    said = _SYSTEM.get(getattr(exc, "errno", None) or -1)
    return _(said) if said else getattr(exc, "strerror", None) or str(exc)


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
        return _("{message}; {hint}").format(message=self.message, hint=self.hint) \
            if self.hint else self.message


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


class AlreadyExists(Refused):
    """A file a write would replace, and may not: left untouched."""

    def __init__(self, path):
        super().__init__(_("{path}: already exists").format(path=path), _("nothing was written"))
        self.path = path


class NoRecordsFolder(NotFound):
    """No records folder where one was looked for (`where`), nor above it."""

    def __init__(self, where):
        super().__init__(_("{where}: no records/ folder or group folder here or above")
                         .format(where=where))
        self.where = where


class DeliveryError(RencontresError):
    """Some invitations could not be delivered."""

    exit_code = 5


# -- domain errors: they carry what went wrong, never the flag or question it answered ------

class BadInput(UsageError):
    """A value as a person wrote it that does not read as what was asked.

    It carries the value, what is wrong with it and how to write it; `cli/` words it with
    the flag or the question it answered (`--date '…': not a date`)."""

    def __init__(self, value: str, problem: str, hint: str = ""):
        super().__init__(f"{value!r}: {problem}", hint)
        self.value, self.problem = value, problem


class NotADate(BadInput):
    """Not a date (nor a date-time); `need_time`: a date-time was asked for; `day_only`: a
    day was (a due date). `reason`, when known, says why in people's words ("February 2009
    has no 31st", "there is no month 13")."""

    def __init__(self, value: str, *, need_time: bool = False, day_only: bool = False,
                 reason: str = ""):
        hint = _("write YYYY-MM-DDTHH:MM (local time), e.g. 2008-01-16T14:00") if need_time \
            else _("write YYYY-MM-DD (local time), e.g. 2008-01-16") if day_only \
            else _("write YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time), e.g. 2008-01-16T14:00")
        super().__init__(value, _("not a date: {reason}").format(reason=reason) if reason
                         else _("not a date"), hint)
        self.need_time, self.day_only, self.reason = need_time, day_only, reason


class MissingHour(NotADate):
    """A date where a date-time was asked for."""

    def __init__(self, value: str):
        BadInput.__init__(self, value, _("the hour is missing"),
                          _("write YYYY-MM-DDTHH:MM, e.g. 2008-01-16T14:00"))
        self.need_time, self.day_only, self.reason = True, False, ""


class NotATime(BadInput):
    """Not a time of day."""

    def __init__(self, value: str):
        super().__init__(value, _("not a time"), _("write HH:MM, e.g. 16:00"))


class BadPerson(BadInput):
    """"Name / Organisation <email>" without a name (`email` empty), or with an e-mail
    address that is not one (`email` is it)."""

    def __init__(self, value: str, email: str = ""):
        if email:
            super().__init__(value, _("'{email}' is not an e-mail address").format(email=email),
                             _("write it as name@example.org"))
        else:
            super().__init__(value, _("no name"),
                             _('write "Name / Organisation <name@example.org>"'))
        self.email = email


class BadAction(BadInput):
    """"Owner : task [YYYY-MM-DD]" without a task."""

    def __init__(self, value: str):
        super().__init__(value, _("no task"), _('write "Owner : task [YYYY-MM-DD]"'))


VOTE_FORMS = N_("write [pour 4, contre 0, abstention 1], [for 4, against 0, abstain 1], "
                "[unanimité] or [unanimous]")


class BadVote(BadInput):
    """A vote that does not read: `problem` says which part, `hint` the accepted forms."""

    def __init__(self, value: str, problem: str, hint: str | None = None):
        super().__init__(value, problem, _(VOTE_FORMS) if hint is None else hint)


class BadDecision(BadInput):
    """"Decision [vote]" without the decision's text."""

    def __init__(self, value: str):
        super().__init__(value, _("no decision before the vote"),
                         _('write "Adopter le budget [pour 4, contre 0, abstention 1]"'))


class BadReview(BadInput):
    """"YYYY-MM-DD#N : open|done|dropped [due] note" that does not read."""

    def __init__(self, value: str, problem: str | None = None):
        super().__init__(value, _("not a review of an open action") if problem is None
                         else problem, _('write "2009-02-17#1 : open [2009-04-30] a progress '
                                         'note", "2009-02-17#2 : done" or "… : dropped"'))


class RecordExists(Refused):
    """A record of that name exists, and is not a stub to complete."""

    def __init__(self, path):
        super().__init__(_("{path}: already exists, left untouched").format(path=path))
        self.path = path


class DateToBeSet(UsageError):
    """A [next] meeting without its date yet (a poll is running): nothing to invite to.
    `key` is the record that announces it."""

    def __init__(self, key: str):
        super().__init__(_("{key}: the next meeting's date is to be set").format(key=key))
        self.key = key


class NobodyToInvite(UsageError):
    """A meeting whose participants and members give no valid e-mail address."""

    def __init__(self, key: str):
        super().__init__(_("{key}: nobody to invite").format(key=key),
                         _("no participant or member has a valid e-mail address"))
        self.key = key
