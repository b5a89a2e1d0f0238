"""The whole archive at once: groups, meetings in date order, derived numbers.

Everything that needs more than one record reads an `Archive`: the checks on
numbering, the section index, the feed, the build. Loading reads and checks
every record of the chosen groups; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rencontres import checks, followup, parse, words
from rencontres.errors import InvalidRecord, NotFound, Unreadable
from rencontres.model import Group, Meeting, Problem
from rencontres.store import Store, absolute, read_text


@dataclass
class Archive:
    store: Store
    groups: dict[str, Group] = field(default_factory=dict)
    meetings: dict[str, tuple[Meeting, ...]] = field(default_factory=dict)  # date order
    problems: list[Problem] = field(default_factory=list)
    ranks: dict[str, dict[str, int]] = field(default_factory=dict)  # group → stem → rank
    files_read: int = 0

    @classmethod
    def load(cls, store: Store, group: str | None = None) -> Archive:
        """Read and check every record of one group, or of all groups."""
        archive = cls(store)
        slugs = [group] if group else store.groups()
        if not group:
            for folder in store.misnamed_groups():
                archive.problems.append(Problem(
                    str(folder), None, "error",
                    "not read: a group folder's name is lowercase letters, digits and hyphens "
                    f"(rename it, e.g. to '{_slug(folder.name)}')"))
        for slug in slugs:
            store.require_group(slug)
            archive._load_group(slug)
        return archive

    def _load_group(self, slug: str) -> None:
        store = self.store
        gpath = store.group_file(slug)
        group, problems = Group(slug=slug, name=slug), []
        if not gpath.exists() and not gpath.is_symlink():
            problems = [Problem(str(gpath), None, "error", "missing: every group folder needs "
                                "a group.toml with at least name = \"…\"")]
        else:
            self.files_read += 1
            try:
                group, problems = parse.read_group(read_text(gpath), gpath, slug)
            except Unreadable as exc:
                problems = [Problem(str(gpath), exc.line, "error", exc.reason)]
        self.groups[slug] = group
        self.problems += problems
        for stray in store.stray_files(slug):
            if stray.suffix == ".toml":
                self.problems.append(Problem(
                    str(stray), None, "warning",
                    "not read: a meeting record is named YYYY-MM-DD.toml (or YYYY-MM-DD-2.toml)"))
        meetings = []
        for path in store.meeting_paths(slug):
            self.files_read += 1
            if store.escapes(path):
                self.problems.append(Problem(
                    str(path), None, "error", "a link to a file outside the group folder: "
                    "not read (put the record itself in the folder)"))
                continue
            try:
                text = read_text(path)
            except Unreadable as exc:  # not UTF-8, unreadable: a problem, not a crash
                self.problems.append(Problem(str(path), exc.line, "error", exc.reason))
                continue
            meeting, problems = parse.read_meeting(text, path, slug)
            if meeting is not None:
                owner_problems = (checks.check_owners(meeting, group, str(path))
                                  + checks.check_local_times(meeting, group, str(path))
                                  + followup.vote_problems(meeting, str(path)))
                if owner_problems:
                    problems = problems + parse.locate(owner_problems, text)
                meetings.append(meeting)
            self.problems += problems
        self.meetings[slug] = tuple(meetings)
        rank = checks.ranks(meetings)
        self.ranks[slug] = rank
        paths = {m.stem: str(self.path(m)) for m in meetings}
        for p in (*checks.check_numbers(meetings, rank, paths),
                  *followup.follow_problems(meetings, paths)):
            self.problems += parse.locate([p], read_text(Path(p.path)))

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
        for m in self.meetings.get(slug, ()):
            if m.stem == path.stem:
                return m
        raise NotFound(f"{path}: not a meeting record of group '{slug}'")

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



def _slug(name: str) -> str:
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64] or "group"


def refuse(errors: list[Problem]) -> None:
    """Stop with the first error (and how many more) when there is any."""
    if errors:
        first = errors[0]
        where = f"{first.path}:{first.line}" if first.line else first.path
        more = f" (and {len(errors) - 1} more: run `rencontres check`)" if len(errors) > 1 else ""
        raise InvalidRecord(f"{where}: {first.message}{more}")
