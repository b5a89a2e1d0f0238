"""The site: every output of the archive, written only where its bytes changed.

Two phases, as in pelican: first every output is planned from an archive that
has been read and checked as a whole (an archive with an error builds
nothing); then each file is made, compared with what is on disk and written
(atomically) only when it differs, so an unchanged file keeps its mtime and a
second build writes nothing.

A manifest (`.rencontres-build`) lists what the last build wrote, with, for a
synthesis, a digest of its inputs and the size and mtime the file was left
with: when neither changed, the synthesis is not even rendered again. A file
listed there that the archive no longer produces (a deleted record's
synthesis) is a leftover: reported, and removed with `prune=True`. Files the
build never wrote are never touched.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rencontres.core.errors import Refused
from rencontres.core.i18n import _
from rencontres.records.store import inside, make_folder, read_bytes, write_atomic

MANIFEST = ".rencontres-build"
STAMP = "//stamp"  # a manifest line `//stamp<TAB>group<TAB>digest`: never a site path

Content = str | bytes


class Outputs:
    """Relative path → content; a path may be produced only once (a second time is a bug).

    An output may be *lazy*: made only when needed, and skipped when its inputs (`key`,
    a digest of everything it is made from) and the file on disk are as the last build
    left them. A second build of an unchanged archive then renders nothing.
    """

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, Callable[[], Content]]] = {}

    def add(self, path: str, content: Content) -> None:
        self.lazy(path, "", lambda: content)

    def lazy(self, path: str, key: str, make: Callable[[], Content]) -> None:
        if not _site_path(path):
            raise ValueError(f"output path outside the site: {path}")  # i18n: a bug's
        if path in self.files:
            raise ValueError(f"two outputs want the same path: {path}")  # i18n: a bug's
        self.files[path] = (key, make)


def _site_path(rel: str) -> bool:
    """A path a build may write or remove: relative, plain names only, not the manifest."""
    parts = rel.split("/")
    return (bool(rel) and not rel.startswith("/") and "\\" not in rel and "\0" not in rel
            and all(part not in ("", ".", "..") for part in parts)
            and parts[-1] != MANIFEST)


@dataclass
class Report:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # manifest lines naming no site file


@dataclass(frozen=True)
class _Entry:
    """What the manifest remembers of a file it wrote: its inputs' key, size and mtime."""

    key: str = ""
    size: int = -1
    mtime_ns: int = -1

    def fresh(self, key: str, path: Path | str) -> bool:
        if not key or key != self.key:
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        return st.st_size == self.size and st.st_mtime_ns == self.mtime_ns


def _read_manifest(out: Path) -> tuple[dict[str, _Entry], list[str], dict[str, str],
                                       dict[str, list[str]]]:
    """The last build's manifest, the lines that name no file of the site (a tampered
    or damaged manifest: `../records/…`, an absolute path), which are never acted on,
    each group's stamp (see `plan`), and each group's lines as they were read."""
    from rencontres.core.errors import RencontresError

    try:
        text = read_bytes(out / MANIFEST).decode("utf-8")
    except (RencontresError, UnicodeDecodeError):
        return {}, [], {}, {}
    entries: dict[str, _Entry] = {}
    ignored: list[str] = []
    stamps: dict[str, str] = {}
    lines: dict[str, list[str]] = {}
    for line in text.splitlines():
        rel, *rest = line.split("\t")
        if rel == STAMP and len(rest) == 2:
            stamps[rest[0]] = rest[1]
            continue
        if not _site_path(rel):
            ignored.append(rel)
            continue
        try:
            entries[rel] = _Entry(rest[0], int(rest[1]), int(rest[2])) if len(rest) == 3 \
                else _Entry()
        except ValueError:
            entries[rel] = _Entry()
        lines.setdefault(rel.partition("/")[0], []).append(line + "\n")
    return entries, ignored, stamps, lines


def _same(path: Path, content: bytes) -> bool:
    try:
        if path.stat().st_size != len(content):
            return False
        return path.read_bytes() == content
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


@dataclass
class Plan:
    """What a build must make again, known from the file system alone.

    A group's *stamp* is a digest of the names, sizes, modification and change times,
    inodes and devices of its `group.toml`, `state.toml` and records, and of this code.
    When the stamp the last build left for a group is its stamp now and every file the
    build wrote for it is on disk as it was left, the group's outputs would be made again
    byte for byte: the group is not even read. A file changed less than the cache's
    margin ago gives no stamp (a second write in the same clock tick could leave every
    time as it was), so its group is read again until it is older.
    """

    old: dict[str, _Entry]
    lines: dict[str, list[str]]  # each group's manifest lines, kept as they are when skipped
    ignored: list[str]
    stamps: dict[str, str | None]  # each group's stamp now
    skipped: list[str]  # groups whose outputs are as the last build left them
    to_build: list[str]


def plan(store, out: Path, options: str = "") -> Plan:
    """`options`: how the site is built (its address, its search), which its pages show:
    a build with other options reads every group."""
    from rencontres.records import cache

    started = time.time_ns()
    old, ignored, last, lines = _read_manifest(out)
    code = _code_digest() + options
    by_group: dict[str, list[tuple[str, _Entry]]] = {}
    for rel, entry in old.items():
        by_group.setdefault(rel.partition("/")[0], []).append((rel, entry))
    for slug, mine in by_group.items():
        if len(lines.get(slug, ())) != len(mine):  # a name given twice: written anew
            lines.pop(slug, None)
    site = str(out)
    stamps, skipped, to_build = {}, [], []
    for slug in store.groups():
        stamp = stamps[slug] = _stamp(store.input_entries(slug), code, started - cache.MARGIN_NS)
        if stamp is not None and last.get(slug) == stamp and all(
                e.key and e.fresh(e.key, os.path.join(site, rel))
                for rel, e in by_group.get(slug, ())):
            skipped.append(slug)
        else:
            to_build.append(slug)
    return Plan(old, lines, ignored, stamps, skipped, to_build)


def _stamp(entries: list[os.DirEntry], code: str, before_ns: int) -> str | None:
    h = hashlib.sha256(code.encode())
    for e in entries:
        try:
            st = e.stat()
        except OSError:
            return None
        if max(st.st_mtime_ns, st.st_ctime_ns) > before_ns:
            return None
        h.update(f"{e.name}\0{e.is_symlink()}\0{st.st_size}\0{st.st_mtime_ns}\0"
                 f"{st.st_ctime_ns}\0{st.st_ino}\0{st.st_dev}\n".encode())
    return h.hexdigest()[:32]


def write_site(outputs: Outputs, out: Path, *, prune: bool = False,
               step: Callable[[str], None] | None = None,
               protected: tuple[Path, ...] = (), planned: Plan | None = None,
               archive=None, jobs: int = 1, options=None) -> Report:
    """Write what changed below `out`; report leftovers of earlier builds (remove them if asked).

    Nothing is written or removed outside `out` or inside a `protected` folder (the
    records), whatever links inside the site or lines of the manifest say. With a `plan`,
    the files of the groups it skipped are kept as they are, and each group's stamp is
    written for the next build. With the `archive` the outputs come from and `jobs` > 1,
    they are made in that many processes (see `contents`).
    """
    report = Report()
    make_folder(out)
    guard = _Guard(out, protected)
    if planned is None:
        old, report.ignored, _stamps, _lines = _read_manifest(out)
        skipped: frozenset[str] = frozenset()
    else:
        old, report.ignored, skipped = planned.old, planned.ignored, frozenset(planned.skipped)
    kept: dict[str, _Entry] = {}
    if skipped:
        for rel, entry in old.items():
            if rel.partition("/")[0] in skipped:
                kept[rel] = entry
        report.unchanged += kept
    todo = []
    for rel in sorted(outputs.files):
        key = outputs.files[rel][0]
        if rel in old and old[rel].fresh(key, out / rel):
            report.unchanged.append(rel)
            kept[rel] = old[rel]
            if step:
                step(rel)
        else:
            todo.append(rel)
    from rencontres.site.outputs import contents

    for rel, content in contents(outputs, todo, archive, jobs, *(
            (options,) if options is not None else ())):
        path = out / rel
        if _same(path, content):
            report.unchanged.append(rel)
        else:
            guard.check(path)
            make_folder(path.parent)
            write_atomic(path, content, overwrite=True, durable=False)
            report.written.append(rel)
        st = path.stat()
        key = outputs.files[rel][0]
        kept[rel] = _Entry(key, st.st_size, st.st_mtime_ns) if key else _Entry()
        if step:
            step(rel)
    for rel in old:
        if rel not in outputs.files and rel not in kept and (out / rel).is_file():
            report.leftovers.append(rel)
    if prune:
        for rel in report.leftovers:
            guard.check(out / rel)
            (out / rel).unlink()
            report.removed.append(rel)
            _remove_empty_parents(out / rel, out)
    for rel in set(report.leftovers) - set(report.removed):
        kept[rel] = _Entry()
    stamps = planned.stamps if planned is not None else {}
    manifest = "".join(f"{STAMP}\t{slug}\t{stamp}\n" for slug, stamp in sorted(stamps.items())
                       if stamp is not None)
    manifest += _manifest_lines(kept, skipped, planned)
    if not _same(out / MANIFEST, manifest.encode("utf-8")):
        write_atomic(out / MANIFEST, manifest, overwrite=True)
    return report


def _manifest_lines(kept: dict[str, _Entry], skipped: frozenset[str],
                    planned: Plan | None) -> str:
    """The manifest's file lines, by name; a skipped group's lines are its previous ones
    (a tenth of a second for a site of 30,000 files whose one group changed)."""
    raw = planned.lines if planned is not None else {}
    reused = {slug for slug in skipped if slug in raw}
    lines = [line for slug in reused for line in raw[slug]]
    lines += [f"{rel}\t{e.key}\t{e.size}\t{e.mtime_ns}\n" if e.key else f"{rel}\n"
              for rel, e in kept.items() if rel.partition("/")[0] not in reused]
    return "".join(sorted(lines))  # by name: a tab sorts before any character of a name


class _Guard:
    """Where a build may write: below its site folder, never in a protected folder. Each
    folder is resolved once (links followed), so a site folder that is a link into the
    records is refused however the path is spelled."""

    def __init__(self, out: Path, protected: tuple[Path, ...]) -> None:
        self.out, self.protected = out, protected
        self.seen: dict[Path, bool] = {}

    def check(self, path: Path) -> None:
        folder = path.parent
        ok = self.seen.get(folder)
        if ok is None:
            ok = self.seen[folder] = inside(folder, self.out) and not any(
                inside(folder, p) for p in self.protected)
        if not ok:
            raise Refused(_("{path}: leads outside the site or into the records, left "
                            "untouched").format(path=path),
                          _("remove the link from the site folder"))


def _remove_empty_parents(path: Path, top: Path) -> None:
    folder = path.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        os.rmdir(folder)
        folder = folder.parent



PARALLEL_MIN = 300  # outputs to make: below that, starting workers costs more than it saves


@functools.cache
def _code_digest() -> str:
    """This code's one key (the parse cache's): a changed module makes every output again."""
    from rencontres.records.cache import code_digest

    return code_digest()
