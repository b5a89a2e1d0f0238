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



FORMATS = (("markdown", "md"), ("spip", "spip"), ("html", "html"))


def site_outputs(archive, step: Callable[[str], None] | None = None) -> Outputs:
    """Every file of the site, made in memory from a checked archive.

    Layout, below the output folder, for each group:
      <group>/<record>.md .spip .html     each record's synthesis
      <group>/index.md .spip .html        "Articles dans la même rubrique"
      <group>/keywords.md .spip .html     each keyword and its articles
      <group>/calendar.ics                the group's feed (`rencontres calendar`)
    """
    from rencontres.render import Context, write
    from rencontres.render import build as document
    from rencontres.render.pages import index_document, keywords_document, page_text

    out = Outputs()
    for slug in sorted(archive.groups):
        group = archive.groups[slug]
        for m in archive.meetings[slug]:
            doc = document(Context(m, group, archive.number(m)))  # built once, written 3 ways
            for fmt, ext in FORMATS:
                out.add(f"{slug}/{m.stem}.{ext}", write(doc, fmt))
            if step:
                step(m.key)
        for fmt, ext in FORMATS:
            out.add(f"{slug}/index.{ext}",
                    page_text(index_document(archive, slug, group.language, fmt), fmt))
            out.add(f"{slug}/keywords.{ext}",
                    page_text(keywords_document(archive, slug, group.language, fmt), fmt))
        out.add(f"{slug}/calendar.ics", _feed(archive, slug))
    return out


def _feed(archive, slug: str) -> bytes:
    """The group's calendar feed, as `rencontres calendar` writes it."""
    from rencontres import calendar

    group = archive.groups[slug]
    entries = calendar.feed_entries(group, archive.meetings[slug], archive.number,
                                    archive.store.read_state(slug))
    return calendar.feed(group, entries)
