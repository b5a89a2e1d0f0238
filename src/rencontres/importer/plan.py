"""What `rencontres import` writes: the plan, made in full before anything is written.

For each article: its meeting record (a new one; a stub of that date completed, its
comments kept; the same content already there: nothing), a stub for each article of the
section's index the group does not have yet, and — for a group that does not exist yet —
its `group.toml`. A record a person edited since (its digest line, `sign`, no longer
matches) is kept as it is; one only the import wrote is replaced on request (`update`).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rencontres.core.errors import InvalidRecord
from rencontres.core.i18n import N_, _
from rencontres.importer import fromsite, groupdata, reader
from rencontres.importer.recorddata import MEETING_WORDS, norm, record, stub
from rencontres.importer.said import Said, joined, shown

# what the plan does with each record (the command line words them: `said.shown` in the
# user's language; compared as they are, in English)
NEW, COMPLETES, UNCHANGED, EDITED, OUTDATED, UPDATED = (
    Said(N_("new")), Said(N_("completes a stub")), Said(N_("unchanged")),
    Said(N_("differs from an edited record (kept)")), Said(N_("differs from the article (kept)")),
    Said(N_("updated")))
GROUP, STUB = Said(N_("group")), Said(N_("stub"))  # equal to "group", "stub": compared so


@dataclass
class Article:
    file: Path
    imp: reader.Imported
    digest: str


class Plan:
    """Every article of a batch read first (`add`: an unreadable one raises, before anything
    is written), then placed together (`resolve`): `writes` then holds every file to write,
    and `kept` every existing record left as it is, with its status."""

    def __init__(self, store, slug: str, update: bool = False) -> None:
        from rencontres.records.archive import Archive

        self.store, self.slug, self.update = store, slug, update
        self.writes: list[Write] = []
        self.kept: list[tuple[Path, str, Path]] = []  # record, status, the article's file
        self.notes: list[tuple[str, str]] = []
        self.articles: list[Article] = []
        self.duplicates: list[tuple[Path, Path]] = []  # a file given again, the first one
        self.announced: list[tuple[fromsite.Announced, Path]] = []  # completed or stubs
        # makes the text of new records, given (imp, shared, path, slug, source name) each:
        # `meeting_text` in worker processes for a large batch (see sitebatch.py)
        self.compose_many: Callable[[list], list] | None = None
        self.shared = groupdata.Shared()  # the group's values once written (`_group`)
        folder = store.group_dir(slug)
        self.archive = Archive.load(store, group=slug) if folder.is_dir() else None
        self.group = self.archive.groups[slug] if self.archive and \
            store.group_file(slug).exists() else None
        # every (day, title) the group has, or will have once the plan is written
        self.known: set[tuple[str, str]] = set()
        self.stems: set[str] = set()
        # the days of syntheses without a title of their own (a SPIP source): an index's
        # meeting entry of that day is that meeting, not another one
        self.untitled: set[str] = set()
        if self.archive is not None:
            for m in self.archive.meetings[slug]:
                self.known.add((m.day.isoformat(), _norm(self.archive.title(m))))
                self.stems.add(m.stem)
                if not m.title:
                    self.untitled.add(m.day.isoformat())

    def add(self, file: Path, fmt: str) -> None:
        """Read one article of the batch (the same text given twice is read once)."""
        import hashlib

        from rencontres.importer.html import article_text

        text = article_text(file)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        same = next((a for a in self.articles if a.digest == digest), None)
        if same is not None:  # the first name in order is read, whatever the files' order
            first, again = sorted((same.file, file), key=str)
            same.file = first
            self.duplicates.append((again, first))
            return
        from rencontres.importer.lines import site_address

        members = self.group.members if self.group else ()
        site = site_address(self.group.url) if self.group else ""
        imp = reader.read(text, "page" if file.suffix.lower() in (".html", ".htm") else fmt,
                          members, name=str(file), site=site)
        self.articles.append(Article(file, imp, digest))

    def add_read(self, source: Path, found: reader.Imported | fromsite.Announced,
                 digest: str) -> None:
        """An article read elsewhere (a site's backup): a synthesis, or an announcement of
        a meeting (it completes the previous meeting's [next], or becomes a stub)."""
        if isinstance(found, fromsite.Announced):
            self.announced.append((found, source))
        else:
            self.articles.append(Article(source, found, digest))

    def resolve(self) -> None:
        """Place every article and every stub of the batch, in an order of their own (the
        files' order changes nothing): the meetings by date, then the stubs."""
        assert not self.writes, "resolve once"  # i18n: a bug's message
        chosen = self._one_per_day()
        stubs = [(fromsite.listed(ann), source) for ann, source in self.announced
                 if not fromsite.complete([a.imp for a in chosen], ann, source.name)]
        if chosen:
            self._group(chosen)
        for a in chosen:
            for text in groupdata.notes(a.imp, self.shared, self.group is not None):
                a.imp.note(("objectives",), text)
            self.notes += [(str(a.file), shown(n.text)) for n in a.imp.notes]
        composed: dict[Path, tuple[str, list]] = {}
        if self.compose_many is not None:  # the new records' text made elsewhere (workers)
            jobs = [(a.imp, self.shared, path, self.slug, a.file.name) for a in chosen
                    if not (path := self.store.meeting_path(
                        self.slug, str(a.imp.date))).exists()]
            composed = dict(zip((j[2] for j in jobs), self.compose_many(jobs), strict=True))
        for a in chosen:
            self._meeting(a.imp, a.file, composed)
        entries = self._listed(chosen)
        twice = {(file, listed.day) for i, (listed, file) in enumerate(entries)
                 if any(f == file and other.day == listed.day for other, f in entries[:i])}
        for listed, file in entries:
            self._stub(listed, file, (file, listed.day) in twice)
        for listed, source in stubs:  # an announcement no meeting of the batch precedes
            if listed.day is not None:
                self._stub(listed, source)
            else:
                self.notes.append((str(source), shown(listed.note)))

    def _group(self, chosen: list[Article]) -> None:
        """What is the group's (`groupdata`): a new group.toml, or the existing one completed."""
        from rencontres.core.model import transcribed
        from rencontres.records.parse import read_group
        from rencontres.records.store import read_text

        days = {a.imp.date for a in chosen}
        others = [m for m in (self.archive.meetings[self.slug] if self.archive else ())
                  if transcribed(m) and m.day not in days]
        self.shared = groupdata.shared([a.imp for a in chosen], self.group, others)
        newest = max([a for a in chosen if groupdata.placed(a.imp)] or chosen,
                     key=lambda a: (a.imp.date, a.digest))  # a page names the group's place
        path = self.store.group_file(self.slug)
        if self.group is None:
            text = groupdata.group_text(newest.imp, self.shared, newest.file, self.slug)
        elif self.shared.added:
            done = groupdata.completed(read_text(path), self.shared.added, newest.file.name)
            if done is None:
                self.notes.append((str(path), _("could not add {keys} to it: left as it is")
                                   .format(keys=", ".join(self.shared.added))))
                self.shared = groupdata.Shared(self.group.objectives,
                                               list(self.group.keywords))
                return
            text = done
        else:
            return
        errors = [p for p in read_group(text, path, self.slug)[1] if p.severity == "error"]
        if errors:
            raise InvalidRecord(_("{file}: the group.toml it gives would not pass check: "
                                  "{problem}; nothing written").format(
                                      file=newest.file, problem=errors[0].message))
        self.writes.append(Write(path, text, GROUP, overwrite=self.group is not None))

    def _one_per_day(self) -> list[Article]:
        """The articles by date; of two articles of the same day, the fuller one (the
        other is named in a note)."""
        by_day: dict[dt.date, list[Article]] = {}
        for a in self.articles:
            assert a.imp.date is not None  # `reader.read` refuses an article without one
            by_day.setdefault(a.imp.date, []).append(a)
        chosen = []
        for day in sorted(by_day):
            ranked = sorted(by_day[day], key=lambda a: (-_fullness(a.imp), a.digest))
            chosen.append(ranked[0])
            for other in ranked[1:]:
                self.notes.append((str(other.file), _(
                    "another article of the meeting of {day} ({file}) is imported: this one "
                    "is not").format(day=day.isoformat(), file=ranked[0].file.name)))
        return chosen

    def _listed(self, chosen: list[Article]) -> list[tuple[reader.Listed, Path]]:
        """The index entries of every article, one per meeting: a title two indexes date
        differently (and none lists at both dates) is one meeting, with a note."""
        sources: dict[str, list[tuple[set, Article]]] = {}
        entries: dict[tuple[str, dt.date], tuple[reader.Listed, Article]] = {}
        for a in chosen:
            days: dict[str, set] = {}
            for listed in a.imp.index:
                if listed.day is None:
                    self.notes.append((str(a.file), _("index entry \"{title}\": {note}").format(
                        title=listed.title, note=shown(listed.note))))
                    continue
                days.setdefault(_norm(listed.title), set()).add(listed.day)
                key = (_norm(listed.title), listed.day)
                if key not in entries or (entries[key][0].note and not listed.note):
                    entries[key] = (listed, a)
            assert a.imp.date is not None
            days.setdefault(_norm(a.imp.title), set()).add(a.imp.date)
            for title, ds in days.items():
                sources.setdefault(title, []).append((ds, a))
        out = []
        for (title, day), (listed, a) in sorted(entries.items()):
            all_days = sorted({d for ds, __ in sources[title] for d in ds})
            if len(all_days) > 1 and all(len(ds) == 1 for ds, __ in sources[title]):
                taken = _taken(title, all_days, sources[title], entries, self.known)
                if day != taken:
                    self.notes.append((str(a.file), _(
                        "index entry \"{title}\": listed as {day} here and as {taken} "
                        "elsewhere in the batch: one meeting, of {taken}").format(
                            title=listed.title, day=day.isoformat(), taken=taken.isoformat())))
                    continue
                listed = reader.Listed(day, listed.title, joined("; ", (
                    listed.note, Said(N_("also listed as {days}: one meeting"), days=", ".join(
                        d.isoformat() for d in all_days if d != day)))))
            out.append((listed, a.file))
        return out

    def _meeting(self, imp: reader.Imported, file: Path, composed: dict | None = None) -> None:
        from rencontres.core.model import is_stub
        from rencontres.entry.compose import compose
        from rencontres.records.store import read_text
        from rencontres.records.write import to_toml

        assert imp.date is not None  # `reader.read` refuses an article without one
        path = self.store.meeting_path(self.slug, imp.date.isoformat())
        self.known.add((imp.date.isoformat(), _norm(imp.title)))
        self.stems.add(path.stem)
        if not imp.title:
            self.untitled.add(imp.date.isoformat())
        if composed and path in composed:
            text, problems = composed[path]
            self._new(path, text, problems, file)
            return
        data, comments, header = _parts(imp, self.shared, file.name)
        what, overwrite, stub = NEW, False, None
        if path.exists():
            existing = read_text(path)
            try:
                old = tomllib.loads(existing)
            except tomllib.TOMLDecodeError:
                old = None
            if old is not None and is_stub(old):
                what, overwrite, stub = COMPLETES, True, (existing, old)
            elif old is not None and _holds(old, tomllib.loads(to_toml(data, header + "\n",
                                                                       comments))):
                self.kept.append((path, UNCHANGED, file))
                return
            elif not signed(existing):
                self.kept.append((path, EDITED, file))
                return
            elif not self.update:
                self.kept.append((path, OUTDATED, file))
                return
            else:
                what, overwrite = UPDATED, True
        text, problems = compose(data, path, self.slug, header=header + "\n", comments=comments,
                                 stub=stub)
        self._new(path, text, problems, file, what, overwrite)

    def _new(self, path: Path, text: str, problems: list, file: Path, what: str = NEW,
             overwrite: bool = False) -> None:
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise InvalidRecord(_("{file}: the record it gives would not pass check: "
                                  "{problem}; nothing written").format(
                                      file=file, problem=errors[0].message))
        self.writes.append(Write(path, sign(text), what, overwrite))

    def _stub(self, listed: reader.Listed, file: Path, second: bool = False) -> None:
        """A stub for an index entry, unless its day has a record already: an index that
        titles a meeting otherwise is the same meeting (`second`: its index lists two that day)."""
        assert listed.day is not None  # entries without a date are notes (`_listed`)
        day = listed.day.isoformat()
        if (day, _norm(listed.title)) in self.known:
            return
        if not second and (day in self.stems or self.store.meeting_path(self.slug, day).exists()):
            self.notes.append((str(file), _("index entry \"{title}\": {day} has its record "
                                            "already: taken as that meeting").format(
                                                title=listed.title, day=day)))
            self.known.add((day, _norm(listed.title)))
            return
        if day in self.untitled and MEETING_WORDS.search(listed.title):
            self.untitled.discard(day)  # one entry of the day is that meeting
            self.known.add((day, _norm(listed.title)))
            return
        if listed.note:
            self.notes.append((str(file), _("index entry \"{title}\": {note}").format(
                title=listed.title, note=shown(listed.note))))
        stem, n = day, 1
        while stem in self.stems or self.store.meeting_path(self.slug, stem).exists():
            n += 1
            stem = f"{day}-{n}"
        from rencontres.records.parse import read_meeting

        path, text = self.store.meeting_path(self.slug, stem), stub(listed)
        errors = [p for p in read_meeting(text, path, self.slug)[1] if p.severity == "error"]
        if errors:
            self.notes.append((str(file), _("index entry \"{title}\": not imported "
                                            "({problem})").format(title=listed.title[:80],
                                                                  problem=errors[0].message)))
            return
        self.stems.add(stem)
        self.known.add((day, _norm(listed.title)))
        self.writes.append(Write(path, text, STUB))


def _parts(imp: reader.Imported, shared: groupdata.Shared, source: str) -> tuple[dict, dict, str]:
    """A meeting record's data, the comments beside its values, and its header."""
    from rencontres.records.write import comment_safe

    data, comments = record(imp, shared.keywords, groupdata.own(imp, shared))
    header_notes = comments.pop(("header",), [])
    header = "".join(f"# {comment_safe(line)}\n" for line in
                     [f"Imported by `rencontres import` from {source}.",  # i18n: written
                      *header_notes])  # into the record (the same bytes whatever the locale)
    return data, comments, header


def meeting_text(job: tuple) -> tuple[str, list]:
    """A new record's text and its problems, from (imp, shared, path, slug, source name): what
    `Plan` does for a record that does not exist yet, done anywhere (a worker process)."""
    from rencontres.entry.compose import compose

    imp, shared, path, slug, source = job
    data, comments, header = _parts(imp, shared, source)
    return compose(data, path, slug, header=header + "\n", comments=comments)


def _fullness(imp: reader.Imported) -> int:
    return len(imp.participants) + len(imp.topics) + bool(imp.next) + bool(imp.context)


def _taken(title: str, days: list, sources: list, entries: dict, known: set) -> dt.date:
    """Of the dates two indexes give one meeting: the article's own, else a date with its
    the records' own, a date with its day (not a month's last day standing in), listed most
    often, the newest index's."""
    for __, a in sources:
        if _norm(a.imp.title) == title:
            return a.imp.date

    def rank(d: dt.date) -> tuple:
        listed, __ = entries[(title, d)]
        count = sum(d in ds for ds, __ in sources)
        newest = max(a.imp.date for ds, a in sources if d in ds)
        return ((d.isoformat(), title) in known, not listed.note, count, newest, d)
    return max(days, key=rank)


_SIGNATURE = re.compile(r"# Written by `rencontres import` \(sha256 ([0-9a-f]{64})\): "
                        r"once edited, an import never replaces it\.\n\Z")


def sign(text: str) -> str:
    """The record's text, and a last line with its digest: a record whose text still has
    it is the import's own, unchanged since (an import may replace it)."""
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return text + f"# Written by `rencontres import` (sha256 {digest}): once edited, an import " \
        "never replaces it.\n"


def signed(text: str) -> bool:
    """Whether a record is, to the byte, what an import wrote."""
    import hashlib

    m = _SIGNATURE.search(text)
    return m is not None and hashlib.sha256(text[:m.start()].encode("utf-8")).hexdigest() == m[1]


def _holds(old: dict, new: dict) -> bool:
    """The existing record already holds what the import gives (a stub's own keys aside)."""
    from rencontres.core.model import STUB_KEYS

    return all(old.get(k) == v for k, v in new.items() if k not in STUB_KEYS or k == "date")


# -- the records to write ---------------------------------------------------------------------

@dataclass(frozen=True)
class Write:
    path: Path
    text: str
    what: str  # "group", "stub", or the meeting's: NEW, COMPLETES, UPDATED
    overwrite: bool = False


def _norm(title: str) -> str:
    return norm(title)
