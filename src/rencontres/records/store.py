"""The records folder: find it, list it, read it, write to it atomically.

The only module that touches `records/`. Layout:

    records/<group>/group.toml            the group
    records/<group>/<YYYY-MM-DD>.toml     a meeting (a second one that day: -2, -3…)
    records/<group>/state.toml            written by the tool only (invitation
                                          identities and delivery log), never by hand
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from rencontres.core.errors import (
    AlreadyExists,
    NoRecordsFolder,
    NotFound,
    Refused,
    RencontresError,
    Unreadable,
    UsageError,
    reason,
)
from rencontres.core.i18n import N_, _
from rencontres.core.values import frozen
from rencontres.core.words import grouped

GROUP_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
STEM_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:-([2-9]|[1-9]\d+))?$")
# A record's file name, its day and its place in that day (2007-11-22, -2, …, -10): `scan`
_RECORD_NAME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:-([2-9]|[1-9]\d+))?\.toml\Z")
GROUP_FILE = "group.toml"
STATE_FILE = "state.toml"
# No record, group or state file is anywhere near this; a bigger file is a mistake
# (a log pasted in, a device) and is refused before it is parsed.
MAX_FILE_BYTES = 8 * 1024 * 1024


def absolute(path: Path | str) -> Path:
    """An absolute path with `..` resolved by name, links left as they are (a record that is
    a link is still found in the folder it sits in)."""
    return Path(os.path.abspath(path))


def inside(path: Path | str, folder: Path | str) -> bool:
    """Whether `path`, all links followed, is `folder` or lies below it."""
    try:
        target, top = Path(path).resolve(), Path(folder).resolve()
    except (OSError, RuntimeError):  # a link loop: treat as inside, to be safe
        return True
    return target == top or top in target.parents


def write_atomic(path: Path | str, data: str | bytes, *, overwrite: bool = False,
                 durable: bool = True, mode: int | None = None) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A reader sees the old file or the new one, never half of one. With
    `overwrite=False` an existing file is refused and left untouched. Text is
    written as UTF-8 exactly as given (no newline translation). `durable=False`
    skips the fsync, for files that can always be made again (the built site). The file
    keeps the permissions of the one it replaces, or gets the umask's, unless `mode` says.
    """
    path = Path(path)
    if path.is_dir():
        raise UsageError(_("{path}: is a folder").format(path=path), _("give a file name"))
    if not overwrite and path.exists():
        raise AlreadyExists(path)
    folder = path.parent
    if not folder.is_dir():
        raise NotFound(_("{folder}: no such folder").format(folder=folder), _("create it first"))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        _write_through(path, payload, overwrite, durable, mode)
    except OSError as exc:
        raise UsageError(_("{path}: cannot be written ({why})").format(
            path=path, why=reason(exc)), _("nothing was changed")) from None


_ELSEWHERE = {  # the hint of `Store.refuse_output`, for each kind of output
    "output": N_("write the output elsewhere (records are never overwritten)"),
    "site": N_("write the site elsewhere (records are never overwritten)"),
    "messages": N_("write the messages elsewhere (records are never overwritten)")}


def make_folder(folder: Path) -> None:
    """A folder and its parents, or a one-line error naming it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(_("{folder}: cannot create the folder ({why})").format(
            folder=folder, why=reason(exc))) from None


def _write_through(path: Path, payload: bytes, overwrite: bool, durable: bool,
                   mode: int | None = None) -> None:
    import tempfile  # only when writing: 2 ms of every command's start otherwise

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        if overwrite:
            os.replace(tmp, path)
        else:
            # link() fails if the target appeared meanwhile: never clobber.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise AlreadyExists(path) from None
            except OSError:
                if path.exists():
                    raise AlreadyExists(path) from None
                os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, or a one-line error naming it.

    Opened without blocking and checked before reading, so a FIFO, a device or a
    folder named like a record is refused at once instead of hanging or filling memory.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise NotFound(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise Unreadable(path, _("is a folder, not a file")) from None
    except OSError as exc:
        raise Unreadable(path, _("cannot be read ({why})").format(why=reason(exc))) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise Unreadable(path, _("is a folder, not a file"))
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable(path, _("not a regular file (a pipe, socket or device)"),
                             hint=_("records are plain text files"))
        if st.st_size > limit:
            raise Unreadable(path, _("too large ({size} bytes; a record is far below {most} "
                                     "MiB)").format(size=grouped(st.st_size),
                                                    most=limit // (1024 * 1024)))
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise Unreadable(path, _("too large"))
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(path, _("cannot be read ({why})").format(why=reason(exc))) from None
    finally:
        os.close(fd)


def read_text(path: Path) -> str:
    """A file's text as UTF-8, or a one-line error naming it."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Unreadable(path, _("not UTF-8 text (save the file as UTF-8)"), line) from None
    return text.removeprefix("\ufeff")


def _is_record_name(name: str) -> bool:
    return _RECORD_NAME_RE.match(name) is not None


@frozen
class Store:
    root: Path

    @classmethod
    def locate(cls, given: Iterable[tuple[Path | str | None, str]], cwd: Path) -> Store:
        """The first folder `given` (each with the words that say where it came from), else
        the current folder if it holds a group (a folder with a group.toml), else, at or
        above it, the nearest group folder's parent or folder named records/ — so a records
        folder may have any name."""
        for folder_given, origin in given:
            if folder_given:
                root = Path(folder_given)
                if not root.is_dir():
                    raise NotFound(_("{folder}: no such records folder (from {origin})")
                                   .format(folder=root, origin=origin))
                if (root / GROUP_FILE).is_file():
                    raise UsageError(_("{folder}: a group folder, not a records folder (from "
                                       "{origin})").format(folder=root, origin=origin),
                                     _("use its parent, {parent}").format(parent=root.parent))
                return cls(root)
        try:
            if any(GROUP_RE.match(c.name) and (c / GROUP_FILE).is_file() for c in cwd.iterdir()):
                return cls(cwd)  # a records folder of any name, holding groups
        except OSError:
            pass
        for folder in (cwd, *cwd.parents):
            if (folder / GROUP_FILE).is_file() and GROUP_RE.match(folder.name):
                return cls(folder.parent)  # inside a group: its parent, whatever its name
            candidate = folder / "records"
            if candidate.is_dir():
                return cls(candidate)
        raise NoRecordsFolder(cwd)

    # -- where outputs may not go ------------------------------------------
    def protected(self) -> list[Path]:
        """The records folder and, wherever links lead, each group folder in it."""
        folders = [self.root]
        try:
            children = sorted(self.root.iterdir())
        except OSError:
            children = []
        folders += [c for c in children if c.is_symlink() and c.is_dir()]
        return folders

    def refuse_output(self, path: Path | str, what: str = "output") -> None:
        """Refuse to write an output (a file of `-o`, a site, .eml files) among the records."""
        for folder in self.protected():
            if inside(path, folder):
                raise Refused(_("{path}: inside the records folder {folder}, left untouched")
                              .format(path=path, folder=self.root),
                              _(_ELSEWHERE.get(what, _ELSEWHERE["output"])))

    # -- groups -----------------------------------------------------------
    def group_dir(self, group: str) -> Path:
        if not GROUP_RE.match(group):
            raise UsageError(_("{group!r}: not a group name").format(group=group),
                             _("a group is a folder of lowercase letters, digits and hyphens"))
        return self.root / group

    @classmethod
    def is_group_folder(cls, folder: Path) -> bool:
        """A folder holding a group.toml or meeting records."""
        return folder.is_dir() and ((folder / GROUP_FILE).is_file()
                                    or any(cls._meeting_files(folder)))

    def groups(self) -> list[str]:
        """Every group folder, sorted."""
        return [child.name for child in sorted(self.root.iterdir())
                if GROUP_RE.match(child.name) and self.is_group_folder(child)]

    def misnamed_groups(self) -> list[Path]:
        """Folders holding a group's files under a name that is not a group's ("Ramsess",
        "my group"): never read, so reported rather than silently left out."""
        return [child for child in sorted(self.root.iterdir())
                if not child.name.startswith(".") and not GROUP_RE.match(child.name)
                and self.is_group_folder(child)]

    def unread(self, groups: Iterable[str] | None = None) -> list[Path]:
        """The .toml files no command reads: directly in the records folder, or in a
        sub-folder of a group's folder (of `groups`, default every group)."""
        found = [p for p in sorted(self.root.glob("*.toml")) if p.is_file()]
        for group in self.groups() if groups is None else groups:
            for top, folders, files in os.walk(self.root / group):
                folders[:] = sorted(f for f in folders if not f.startswith("."))
                if Path(top) != self.root / group:
                    found += [Path(top) / f for f in sorted(files)
                              if f.endswith(".toml") and not f.startswith(".")]
        return found

    def day_records(self, day: str, group: str | None = None) -> list[Path]:
        """Every record of `day` (YYYY-MM-DD: the day's first, then -2, -3…) in `group`, or
        in every group, in order."""
        found = []
        for g in [group] if group else self.groups():
            try:
                found += [p for p in self.meeting_paths(g)
                          if p.stem == day or p.stem.startswith(f"{day}-")]
            except OSError:
                continue
        return found

    def escapes(self, path: Path) -> bool:
        """A record that is a link to a file outside its group folder."""
        return path.is_symlink() and not inside(path, path.parent)

    def require_group(self, group: str) -> Path:
        folder = self.group_dir(group)
        if not folder.is_dir():
            known = ", ".join(self.groups())
            hint = _("known groups: {groups}").format(groups=known) if known else _("known groups: none")
            raise NotFound(_("{folder}: no such group").format(folder=folder), hint)
        return folder

    def group_file(self, group: str) -> Path:
        return self.group_dir(group) / GROUP_FILE

    # -- shell completion ---------------------------------------------------
    def complete_groups(self, incomplete: str) -> list[str]:
        """Group names starting with what is typed."""
        try:
            return [g for g in self.groups() if g.startswith(incomplete)]
        except OSError:
            return []

    def complete_records(self, incomplete: str) -> list[str]:
        """`GROUP/YYYY-MM-DD[-N]` names starting with what is typed: every group's records
        once a group is named (or only one group matches), else the group names with `/`."""
        group, slash, _ = incomplete.partition("/")
        groups = [group] if slash else self.complete_groups(group)
        if not slash and len(groups) != 1:
            return [f"{g}/" for g in groups]
        names = []
        for g in groups:
            try:
                names += [f"{g}/{p.stem}" for p in self.meeting_paths(g)]
            except (RencontresError, OSError):
                continue
        return [n for n in names if n.startswith(incomplete)]

    # -- meetings ---------------------------------------------------------
    @staticmethod
    def _meeting_files(folder: Path):
        return (p for p in folder.glob("*.toml") if _is_record_name(p.name))

    def scan(self, group: str) -> tuple[list[os.DirEntry], list[Path]]:
        """One listing of a group folder: its meeting records as directory entries (their
        types known) in date order, what `Archive` reads; and its stray files, those that
        are neither the group, a meeting nor the state."""
        keyed, strays = [], []
        for e in self._entries(group):  # one match a name: a group may hold a thousand
            m = _RECORD_NAME_RE.match(e.name)
            if m is not None:
                keyed.append((m[1], int(m[2] or 1), e))
            elif e.name not in (GROUP_FILE, STATE_FILE) and not e.name.startswith(".") \
                    and e.is_file():
                strays.append(Path(e.path))
        keyed.sort(key=lambda k: k[:2])
        return [k[2] for k in keyed], sorted(strays)

    def input_entries(self, group: str) -> list[os.DirEntry]:
        """What a group's outputs are made from — its `group.toml`, `state.toml` and
        records — as directory entries, by name (for `build`'s stamps)."""
        return sorted((e for e in self._entries(group) if e.name in (GROUP_FILE, STATE_FILE)
                       or _is_record_name(e.name)), key=lambda e: e.name)

    def _entries(self, group: str) -> list[os.DirEntry]:
        with os.scandir(self.require_group(group)) as found:
            return list(found)

    def meeting_paths(self, group: str) -> list[Path]:
        """The group's meeting records, in date order."""
        return [Path(e.path) for e in self.scan(group)[0]]

    def meeting_path(self, group: str, stem: str) -> Path:
        if not STEM_RE.match(stem):
            raise UsageError(_("{stem!r}: not a record name").format(stem=stem),
                             _("records are named YYYY-MM-DD[-N]"))
        return self.group_dir(group) / f"{stem}.toml"

    def free_stem(self, group: str, day: str) -> str:
        """The first unused record name for a day: `2008-01-16`, else `2008-01-16-2`…"""
        folder = self.group_dir(group)
        stem, n = day, 1
        while (folder / f"{stem}.toml").exists():
            n += 1
            stem = f"{day}-{n}"
        return stem

    def resolve(self, spec: str) -> Path:
        """A RECORD argument: a path, `GROUP/YYYY-MM-DD[-N]`, or a date unique across groups."""
        try:
            return self._resolve(spec)
        except OSError as exc:  # a name too long, a link loop…
            raise UsageError(_("{spec}: not a record ({why})").format(
                spec=spec[:80] + "…" * (len(spec) > 80), why=reason(exc)),
                _("give a path, GROUP/YYYY-MM-DD or a date YYYY-MM-DD")) from None

    def _resolve(self, spec: str) -> Path:
        if "\0" in spec:
            raise UsageError(_("{spec!r}: not a record").format(spec=spec),
                             _("a record name holds no NUL character"))
        day = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", spec)
        if day:  # 22/11/2007, as people write a date: the record of that day
            spec = f"{day[3]}-{int(day[2]):02d}-{int(day[1]):02d}"
        as_path = Path(spec)
        if spec.endswith(".toml") or as_path.is_file():
            if not as_path.exists():
                raise NotFound(_("{record}: no such record").format(record=spec))
            return as_path
        if "/" in spec:
            group, _slash, stem = spec.rstrip("/").partition("/")
            path = self.meeting_path(group, stem.removesuffix(".toml"))
            self.require_group(group)
            if not path.exists():
                raise NotFound(_("{record}: no such record").format(record=path),
                               _("see `rencontres list {group}`").format(group=group))
            return path
        if STEM_RE.match(spec):
            hits = [
                self.root / g / f"{spec}.toml"
                for g in self.groups()
                if (self.root / g / f"{spec}.toml").exists()
            ]
            if len(hits) == 1:
                return hits[0]
            if not hits:
                raise NotFound(_("{day}: no record of that date in {folder}").format(
                    day=spec, folder=self.root), _("see `rencontres list`"))
            groups = ", ".join(h.parent.name for h in hits)
            raise UsageError(_("{day}: several groups met that day ({groups})").format(
                day=spec, groups=groups), _("name it as GROUP/{day}").format(day=spec))
        raise UsageError(_("{spec!r}: not a record").format(spec=spec),
                         _("give a path, GROUP/YYYY-MM-DD or a date YYYY-MM-DD"))

    def keep_copy(self, path: Path) -> Path:
        """A copy of a record about to be replaced, beside it (`2008-01-16.toml.replaced`,
        then `.replaced-2`…): never overwritten, and not read as a record."""
        data = read_bytes(path)
        n, copy = 1, path.with_name(path.name + ".replaced")
        while copy.exists():
            n += 1
            copy = path.with_name(f"{path.name}.replaced-{n}")
        write_atomic(copy, data)
        return copy

    # -- the tool's own state ---------------------------------------------
    def state_path(self, group: str) -> Path:
        return self.group_dir(group) / STATE_FILE

    def state_lock(self, group: str, holder: str, wait: float | None = None):
        """A context holding the group's state for `holder` (see `records/lock.py`)."""
        from rencontres.records.lock import WAIT_S, state_lock

        return state_lock(self.group_dir(group), holder, WAIT_S if wait is None else wait)

    def write_state(self, group: str, state: dict) -> None:
        import tomli_w

        header = "# Written by rencontres: do not edit by hand.\n"  # i18n: written into state.toml
        write_atomic(self.state_path(group), header + tomli_w.dumps(state), overwrite=True)
