"""The site: every output of the archive, written only where its bytes changed.

Two phases, as in pelican: first every output is made in memory from an
archive that has been read and checked as a whole (an archive with an error
builds nothing); then each file is compared with what is on disk and written
(atomically) only when it differs, so an unchanged file keeps its mtime and a
second build writes nothing.

A manifest (`.rencontres-build`, one path a line) lists what the last build
wrote; a file listed there that the archive no longer produces (a deleted
record's synthesis) is a leftover: reported, and removed with `prune=True`.
Files the build never wrote are never touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from rencontres.store import write_atomic

MANIFEST = ".rencontres-build"


class Outputs:
    """Relative path → bytes; a path may be produced only once (a second time is a bug)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, path: str, content: str | bytes) -> None:
        rel = PurePosixPath(path)
        if rel.is_absolute() or ".." in rel.parts or rel.name == MANIFEST:
            raise ValueError(f"output path outside the site: {path}")
        if path in self.files:
            raise ValueError(f"two outputs want the same path: {path}")
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content


@dataclass
class Report:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _read_manifest(out: Path) -> list[str]:
    try:
        return [line for line in (out / MANIFEST).read_text(encoding="utf-8").splitlines() if line]
    except FileNotFoundError:
        return []


def _same(path: Path, content: bytes) -> bool:
    try:
        if path.stat().st_size != len(content):
            return False
        return path.read_bytes() == content
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def write_site(outputs: Outputs, out: Path, *, prune: bool = False,
               step: Callable[[str], None] | None = None) -> Report:
    """Write what changed below `out`; report leftovers of earlier builds (remove them if asked)."""
    report = Report()
    out.mkdir(parents=True, exist_ok=True)
    for rel in sorted(outputs.files):
        content = outputs.files[rel]
        path = out / rel
        if _same(path, content):
            report.unchanged.append(rel)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, content, overwrite=True)
            report.written.append(rel)
        if step:
            step(rel)
    produced = set(outputs.files)
    for rel in _read_manifest(out):
        if rel not in produced and (out / rel).is_file():
            report.leftovers.append(rel)
    if prune:
        for rel in report.leftovers:
            (out / rel).unlink()
            report.removed.append(rel)
            _remove_empty_parents(out / rel, out)
    kept = sorted(produced | (set(report.leftovers) - set(report.removed)))
    manifest = "".join(f"{rel}\n" for rel in kept)
    if not _same(out / MANIFEST, manifest.encode("utf-8")):
        write_atomic(out / MANIFEST, manifest, overwrite=True)
    return report


def _remove_empty_parents(path: Path, top: Path) -> None:
    folder = path.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        os.rmdir(folder)
        folder = folder.parent

