"""The whole archive at once: groups, meetings in date order, derived numbers.

Everything that needs more than one record reads an `Archive`: the checks on
numbering, the section index, the feed, the build. Loading reads and checks
every record of the chosen groups; nothing here writes.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rencontres import followup
from rencontres.core import words
from rencontres.core.errors import InvalidRecord, NotFound, Unreadable
from rencontres.core.i18n import _, ngettext
from rencontres.core.model import Group, Meeting, Problem, Topic
from rencontres.core.values import field, mutable, replace
from rencontres.records import checks, parse
from rencontres.records.cache import PROTOCOL, GroupCache, dumps, loads
from rencontres.records.store import GROUP_FILE, Store, absolute, read_text
from rencontres.records.toml_lines import locate


@mutable
class Archive:
    store: Store
    groups: dict[str, Group] = field(default_factory=dict)
    meetings: dict[str, Sequence[Meeting]] = field(default_factory=dict)  # date order
    problems: list[Problem] = field(default_factory=list)
    ranks: dict[str, dict[str, int]] = field(default_factory=dict)  # group → stem → rank
    files_read: int = 0
    files_parsed: int = 0  # of those, not served by the cache

    focus: str | None = None  # loaded for one record: the others are outlines

    @classmethod
    def load(cls, store: Store, group: str | None = None, focus: str | None = None,
             only: Iterable[str] | None = None) -> Archive:
        """Read and check every record of one group, or of all groups.

        With `focus` (a record's stem; `group` required), that record is read and checked in
        full, and every other record of its group only as an outline: what one record's
        outputs need of the others (kind, number, dates, titles, keywords, [next], and each
        topic's title and actions for the follow-ups and the agenda) — not participants,
        context, topic bodies nor decisions. Only the problems that refuse the record are
        gathered: the group file's, the record's own, and its follow-ups of no action.
        Outlines come from their own cache, so such a load costs about as much in a group
        of 1,000 meetings as in one of 10.

        With `only` (and no `group`), the whole archive is meant but only those groups are
        read (`build` knows the others unchanged); folders misnamed as groups are reported
        all the same."""
        archive = cls(store, focus=focus)
        slugs = [group] if group else list(only) if only is not None else store.groups()
        if not group:
            archive.problems += misnamed(store) + misplaced(store, store.unread())
        elif focus is None:  # a group checked alone: the files in its sub-folders
            archive.problems += misplaced(store, [p for p in store.unread([group])
                                                  if p.parent != store.root])
        for slug in slugs:
            store.require_group(slug)
            archive._load_group(slug)
        return archive

    def _parsed(self, cache: GroupCache, path: Path | str, read,
                entry: os.DirEntry | None = None) -> tuple[Any, list[Problem], str | None]:
        """`read(text, path, slug)` of a file, from the cache when its key still holds:
        (result, problems, the text if it was read). Unreadable files are never cached."""
        self.files_read += 1
        try:
            st = entry.stat() if entry is not None else os.stat(path)
        except OSError:
            st = None
        hit = cache.get(entry.name if entry is not None else os.path.basename(path), st) \
            if st is not None else None
        if hit is not None:
            value, problems = hit
            if problems:
                where = str(path)  # the path as given this time, not as when it was cached
                problems = [replace(p, path=where) for p in problems]
            return value, problems, None
        path = Path(path)
        text = read_text(path)
        value, problems = read(text, path, path.parent.name)
        if cache.variant == "outline" and isinstance(value, Meeting):
            value, problems = outlined(value), []
        if st is not None:
            cache.put(path.name, st, (value, problems))
        self.files_parsed += 1
        return value, problems, text

    def _load_group(self, slug: str) -> None:
        store = self.store
        gpath = store.group_file(slug)
        cache = GroupCache(gpath.parent, store.root, "outline" if self.focus else "")
        group, problems = Group(slug=slug, name=slug), []
        if not gpath.exists() and not gpath.is_symlink():
            problems = [Problem(str(gpath), None, "error", _("missing: every group folder needs "
                                                             "a group.toml with at least "
                                                             "name = \"…\""))]
        else:
            try:
                group, problems, _text = self._parsed(cache, gpath, parse.read_group)
            except Unreadable as exc:
                problems = [Problem(str(gpath), exc.line, "error", exc.reason)]
        self.groups[slug] = group
        self.problems += problems
        entries, strays = store.scan(slug)
        for stray in strays:
            if stray.suffix == ".toml":
                self.problems.append(Problem(
                    str(stray), None, "warning",
                    _("not read: a meeting record is named YYYY-MM-DD.toml (or "
                      "YYYY-MM-DD-2.toml)")))
        meetings = []
        names = {GROUP_FILE}
        folder = str(gpath.parent)
        todo, fresh, at = entries, None, None
        if self.focus is not None and not any(e.is_symlink() for e in entries):
            fresh = cache.all_fresh(entries)  # every record's outline as cached, still true?
            if fresh is not None:  # then only the record itself is read
                names.update(e.name for e in entries)
                at = next((i for i, e in enumerate(entries) if e.name[:-5] == self.focus), None)
                todo = [] if at is None else [entries[at]]
                self.files_read += len(entries) - len(todo)
        for entry in todo:
            other = self.focus is not None and entry.name[:-5] != self.focus
            if entry.is_symlink() and store.escapes(Path(entry.path)):
                self.files_read += 1
                if not other:
                    self.problems.append(Problem(
                        entry.path, None, "error", _("a link to a file outside the group "
                                                     "folder: not read (put the record itself "
                                                     "in the folder)")))
                continue
            names.add(entry.name)
            if other:
                try:  # another record, as an outline: its problems are not this command's
                    meeting, _problems, _text = self._parsed(cache, entry.path,
                                                             parse.read_meeting, entry)
                except Unreadable:
                    continue
                if meeting is not None:
                    meetings.append(meeting)
                continue
            path = Path(entry.path)
            try:
                if self.focus is None:
                    meeting, problems, text = self._parsed(cache, path, parse.read_meeting, entry)
                else:  # the record itself, read in full; its outline kept for the others
                    meeting, problems, text = self._parsed(GroupCache.off(), path,
                                                           parse.read_meeting)
                    if meeting is not None:
                        with contextlib.suppress(OSError):
                            cache.put(entry.name, entry.stat(), (outlined(meeting), []))
            except Unreadable as exc:  # not UTF-8, unreadable: a problem, not a crash
                self.problems.append(Problem(str(path), exc.line, "error", exc.reason))
                continue
            if meeting is not None:
                owner_problems = (checks.check_owners(meeting, group, str(path))
                                  + checks.check_local_times(meeting, group, str(path))
                                  + followup.vote_problems(meeting, str(path)))
                if owner_problems:
                    text = read_text(path) if text is None else text
                    problems = problems + locate(owner_problems, text)
                meetings.append(meeting)
            self.problems += problems
        if fresh is not None:  # the others' outlines around the record read in full
            read, meetings = meetings, []
            for i, (outline, _rest) in enumerate(fresh[0]):
                if i == at:
                    meetings += read
                elif outline is not None:  # None: a record that does not parse
                    meetings.append(outline)
        found: Sequence[Problem]
        if self.focus is None:
            self.meetings[slug] = tuple(meetings)
            rank = checks.ranks(meetings)
            paths = {m.stem: f"{folder}{os.sep}{m.stem}.toml" for m in meetings}
            found = (*checks.check_numbers(meetings, rank, paths),
                     *followup.follow_problems(meetings, paths),
                     *checks.check_near_names(group, meetings, paths, str(gpath)))
        else:  # what refuses the record: a follow-up of no earlier action
            outlines = self.meetings[slug] = Outlines(meetings)
            known = cache.recall(fresh[1]) if fresh is not None else None
            if known is None:  # ranks and actions counted, for the same files next time
                heads = outlines.heads()
                known = (checks.ranks_of((stem, kind) for stem, kind, _, _ in heads),
                         [(stem, len(actions)) for stem, _, _, actions in heads])
                if fresh is not None:
                    cache.remember(fresh[1], known)
            rank, order = known
            focus = outlines.find(self.focus)
            found = () if focus is None else followup.follow_errors_of(
                order, focus, f"{folder}{os.sep}{self.focus}.toml")
        cache.save(names)
        self.ranks[slug] = rank
        for p in found:
            self.problems += locate([p], read_text(Path(p.path)))

    # -- questions ---------------------------------------------------------
    def path(self, meeting: Meeting) -> Path:
        return self.store.meeting_path(meeting.group, meeting.stem)

    def all_meetings(self) -> Iterable[Meeting]:
        for slug in sorted(self.meetings):
            yield from self.meetings[slug]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def problems_of(self, path: Path) -> list[Problem]:
        target = path.resolve()
        return [p for p in self.problems if Path(p.path).resolve() == target]

    def meeting_at(self, path: Path) -> Meeting:
        """The meeting of a record file; a record (or its group.toml) with errors is refused,
        its errors named."""
        slug = absolute(path).parent.name
        refuse(self.group_errors(slug) + [p for p in self.problems_of(path)
                                          if p.severity == "error"])
        seq = self.meetings.get(slug, ())
        found = seq.find(path.stem) if isinstance(seq, Outlines) else next(
            (m for m in seq if m.stem == path.stem), None)
        if found is not None:
            return found
        raise NotFound(_("{path}: not a meeting record of group '{group}'").format(
            path=path, group=slug))

    def group_errors(self, slug: str) -> list[Problem]:
        """The errors of a group's own file, which every command reading the group refuses."""
        gpath = str(self.store.group_file(slug))
        return [p for p in self.errors if p.path == gpath]

    def group_of(self, meeting: Meeting) -> Group:
        return self.groups[meeting.group]

    def rank(self, meeting: Meeting) -> int | None:
        """Rank in date order within the group (None for an article that is no meeting)."""
        return self.ranks.get(meeting.group, {}).get(meeting.stem)

    def number(self, meeting: Meeting) -> int | None:
        """The meeting's number: the record's own, else its rank in date order."""
        return meeting.number if meeting.number is not None else self.rank(meeting)

    def title(self, meeting: Meeting, lang: str | None = None) -> str:
        """The record's title, else "Synthèse de la 3ème rencontre" from its number."""
        if meeting.title:
            return meeting.title
        group = self.groups[meeting.group]
        return words.meeting_title(self.number(meeting), lang or group.language, group.ordinals)

    def newest_first(self, group: str) -> list[Meeting]:
        """The group's records, newest first (the order of SPIP's section list)."""
        return list(reversed(self.meetings.get(group, ())))

    def keywords(self, group: str) -> dict[str, list[Meeting]]:
        """Each keyword (the group's and the records' own) → its records, newest first.

        Keywords are sorted as a reader expects (accents and case aside), with
        the exact spelling as a tie-break so the order never depends on input order.
        """
        found: dict[str, list[Meeting]] = {}
        shared = self.groups[group].keywords
        for m in self.newest_first(group):
            for k in dict.fromkeys(k.strip() for k in (*shared, *m.keywords) if k.strip()):
                found.setdefault(k, []).append(m)
        return {k: found[k] for k in sorted(found, key=lambda k: (words.sort_key(k), k))}

    def latest(self, group: str) -> Meeting | None:
        seq = self.meetings.get(group, ())
        return seq[-1] if seq else None



def outline(meeting: Meeting) -> Meeting:
    """What other records' outputs need of a meeting (see `Archive.load`'s `focus`)."""
    return replace(meeting, participants=(), context="", topics=tuple(
        Topic(t.title, actions=t.actions) for t in meeting.topics if t.actions))


def outlined(meeting: Meeting) -> tuple:
    """A record's outline as cached: what ranks and follow-ups walk (`followup.head`: stem,
    kind, number, each action's `follows` and whether it is open), and the rest pickled,
    unpickled only when some output reads it. Plain tuples: a thousand of them unpickle in
    a millisecond."""
    return (*followup.head(meeting), dumps(outline(meeting), protocol=PROTOCOL))


class Outlines(Sequence):
    """A group's meetings in date order, the focus record in full and the others as
    outlines, each unpickled on first use: a command that needs only their ranks (render)
    never pays for them."""

    def __init__(self, items: list[Meeting | tuple]) -> None:
        self._items = items
        self._heads: list | None = None

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self._items))))
        item = self._items[index]
        if isinstance(item, tuple):
            item = self._items[index] = loads(item[4])
        return item

    def find(self, stem: str) -> Meeting | None:
        """The meeting of that record, unpickling it alone."""
        for i, item in enumerate(self._items):
            if (item[0] if isinstance(item, tuple) else item.stem) == stem:
                return self[i]
        return None

    def heads(self) -> list[followup.Head]:
        """Each record's `followup.head`, without unpickling any (made once: the walks of
        one command ask several times)."""
        if self._heads is None:
            self._heads = [i[:4] if isinstance(i, tuple) else followup.head(i)
                           for i in self._items]
        return self._heads


def _slug(name: str) -> str:
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64] or "group"


def misnamed(store: Store) -> list[Problem]:
    """An error for each folder of group files whose name is no group's: never read."""
    return [Problem(str(folder), None, "error",
                    _("not read: a group folder's name is lowercase letters, digits and hyphens "
                      "(rename it, e.g. to '{name}')").format(name=_slug(folder.name)))
            for folder in store.misnamed_groups()]


def misplaced(store: Store, paths: list[Path]) -> list[Problem]:
    """A warning for each .toml file no command reads (`Store.unread`), with where it goes."""
    groups = store.groups()
    out = []
    for path in paths:
        day = re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:-\d+)?", path.stem)
        parts = absolute(path).relative_to(absolute(store.root)).parts
        inside = len(parts) > 1
        group = parts[0] if inside else groups[0] if len(groups) == 1 else "GROUP"
        if path.name == GROUP_FILE and inside:
            said = _("not read: a group's group.toml is read only in the group's own folder")
        elif day:
            target = store.root / group / path.name
            if group != "GROUP" and target.exists():
                taken = target.name
                target = target.with_name(f"{store.free_stem(group, path.stem[:10])}.toml")
                said = _("not read: a meeting's record is read only directly in its group's "
                         "folder: move it to {target} ({taken} is another record of that day)"
                         ).format(target=target, taken=taken)
            else:
                said = _("not read: a meeting's record is read only directly in its group's "
                         "folder: move it to {target}").format(target=target)
        else:
            said = _("not read: a meeting's record is named YYYY-MM-DD.toml and sits directly "
                     "in its group's folder, e.g. {example}").format(
                example=store.root / group / "2009-03-24.toml")
        out.append(Problem(str(path), None, "warning", said))
    return out


def cores() -> int:
    """The processor cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        os.cpu_count() or 1


def process_pool(jobs: int):
    """A pool of `jobs` worker processes, started clean (forkserver where there is one: a
    fork of a process holding an archive would copy it, and threads do not fork safely)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
    return ProcessPoolExecutor(jobs, mp_context=context)


PARALLEL_RECORDS = 1000  # below that, starting workers costs more than they save


def each_group(store: Store, slugs: Sequence[str], work, jobs: int = 1) -> list[tuple]:
    """`work(archive, slug)` for each group, its archive read alone: (the group's problems,
    what `work` made, or None when the group has an error), in the order of `slugs`.
    With `jobs` > 1 and a large archive, groups are read and worked on in that many
    processes (`work` then is a module's function); the results are the same."""
    jobs_of = [(store.root, slug, work) for slug in slugs]
    if jobs > 1 and len(slugs) > 1 and sum(
            len(store.scan(s)[0]) for s in slugs) >= PARALLEL_RECORDS:
        with process_pool(min(jobs, len(slugs))) as pool:
            return list(pool.map(_one_group, jobs_of))
    return [_one_group(job) for job in jobs_of]


def _one_group(job: tuple) -> tuple:
    root, slug, work = job
    archive = Archive.load(Store(root), slug)
    return archive.problems, (None if archive.errors else work(archive, slug))


def refuse(errors: list[Problem]) -> None:
    """Stop with the first error (and how many more) when there is any."""
    if errors:
        first = errors[0]
        where = f"{first.path}:{first.line}" if first.line else first.path
        if len(errors) > 1:
            more = len(errors) - 1
            raise InvalidRecord(ngettext("{where}: {message} (and {n} more: run `rencontres "
                                         "check`)", "{where}: {message} (and {n} more: run "
                                         "`rencontres check`)", more)
                                .format(where=where, message=first.message, n=more))
        raise InvalidRecord(f"{where}: {first.message}")
