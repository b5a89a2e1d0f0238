"""What `rencontres import` writes: the plan, made in full before anything is written.

For each article: its meeting record (a new one; a stub of that date completed, its
comments kept; the same content already there: nothing), a stub for each article of the
section's index the group does not have yet, and — for a group that does not exist yet —
its `group.toml`. A record that exists with other content is refused, naming it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rencontres.core.errors import InvalidRecord, Refused
from rencontres.core.text import name_key
from rencontres.importer import reader
from rencontres.records.schema import PERSON


class Plan:
    def __init__(self, store, slug: str) -> None:
        from rencontres.records.archive import Archive

        self.store, self.slug = store, slug
        self.writes: list[Write] = []
        self.notes: list[tuple[str, str]] = []
        folder = store.group_dir(slug)
        self.archive = Archive.load(store, group=slug) if folder.is_dir() else None
        self.group = self.archive.groups[slug] if self.archive and \
            store.group_file(slug).exists() else None
        # every (day, title) the group has, or will have once the plan is written
        self.known: set[tuple[str, str]] = set()
        self.stems: set[str] = set()
        if self.archive is not None:
            for m in self.archive.meetings[slug]:
                self.known.add((m.day.isoformat(), _norm(self.archive.title(m))))
                self.stems.add(m.stem)

    def add(self, file: Path, fmt: str) -> None:
        from rencontres.records.store import read_text

        text = read_text(file)
        members = self.group.members if self.group else ()
        imp = reader.read(text, fmt, members, name=str(file))
        self.notes += [(str(file), n.text) for n in imp.notes]
        if self.group is None and not any(w.what == "group" for w in self.writes):
            from rencontres.records.parse import read_group

            path = self.store.group_file(self.slug)
            text = _group_text(imp, file, self.slug)
            errors = [p for p in read_group(text, path, self.slug)[1] if p.severity == "error"]
            if errors:
                raise InvalidRecord(f"{file}: the group.toml it gives would not pass check: "
                                    f"{errors[0].message}; nothing written")
            self.writes.append(Write(path, text, "group"))
        elif self.group is not None and imp.objectives and not self.group.objectives:
            self.notes.append((str(file), "the article's objectives annex is not in group.toml "
                                          "(add it as `objectives` to show it in every synthesis)"))
        self._meeting(imp, file)
        for listed in imp.index:
            self._stub(listed, file)

    def _meeting(self, imp: reader.Imported, file: Path) -> None:
        from rencontres.core.model import is_stub
        from rencontres.entry.compose import compose
        from rencontres.records.store import read_text
        from rencontres.records.write import comment_safe, to_toml

        keywords = self.group.keywords if self.group else imp.keywords
        data, comments = record(imp, keywords)
        header_notes = comments.pop(("header",), [])
        header = "".join(f"# {comment_safe(line)}\n" for line in
                         [f"Imported by `rencontres import` from {file.name}.", *header_notes])
        assert imp.date is not None  # `reader.read` refuses an article without one
        path = self.store.meeting_path(self.slug, imp.date.isoformat())
        what, overwrite, stub = "meeting", False, None
        if path.exists():
            existing = read_text(path)
            try:
                old = tomllib.loads(existing)
            except tomllib.TOMLDecodeError:
                old = None
            if old is not None and is_stub(old):
                what, overwrite, stub = "completed", True, (existing, old)
            elif old is not None and _holds(old, tomllib.loads(to_toml(data, header + "\n",
                                                                       comments))):
                self.known.add((imp.date.isoformat(), _norm(imp.title)))
                return  # already imported
            else:
                raise Refused(f"{path}: already exists with its own content, left untouched",
                              "remove it first to import the article again")
        text, problems = compose(data, path, self.slug, header=header + "\n", comments=comments,
                                 stub=stub)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise InvalidRecord(f"{file}: the record it gives would not pass check: "
                                f"{errors[0].message}; nothing written")
        self.writes.append(Write(path, text, what, overwrite))
        self.stems.add(path.stem)
        self.known.add((imp.date.isoformat(), _norm(imp.title)))

    def _stub(self, listed: reader.Listed, file: Path) -> None:
        if listed.day is None:
            self.notes.append((str(file), f"index entry \"{listed.title}\": {listed.note}"))
            return
        day = listed.day.isoformat()
        if (day, _norm(listed.title)) in self.known:
            return
        if listed.note:
            self.notes.append((str(file), f"index entry \"{listed.title}\": {listed.note}"))
        stem, n = day, 1
        while stem in self.stems or self.store.meeting_path(self.slug, stem).exists():
            n += 1
            stem = f"{day}-{n}"
        from rencontres.records.parse import read_meeting

        path, text = self.store.meeting_path(self.slug, stem), stub(listed)
        errors = [p for p in read_meeting(text, path, self.slug)[1] if p.severity == "error"]
        if errors:
            self.notes.append((str(file), f"index entry \"{listed.title[:80]}\": not imported "
                                          f"({errors[0].message})"))
            return
        self.stems.add(stem)
        self.known.add((day, _norm(listed.title)))
        self.writes.append(Write(path, text, "stub"))


def _holds(old: dict, new: dict) -> bool:
    """The existing record already holds what the import gives (a stub's own keys aside)."""
    from rencontres.core.model import STUB_KEYS

    return all(old.get(k) == v for k, v in new.items() if k not in STUB_KEYS or k == "date")


def _group_text(imp: reader.Imported, file: Path, slug: str) -> str:
    """A group.toml for a group met for the first time, from what the article says."""
    from rencontres.records.write import comment_safe, toml_scalar, toml_value

    titles = [imp.title, *(entry.title for entry in imp.index)]
    named = next((m[1] for t in titles if (m := re.search(r'du groupe\s+[«"“]\s*([^"»”]+?)\s*'
                                                          r'[»"”]', t))), "")
    name = named or (imp.section[1] if len(imp.section) > 1 else slug)
    how = (f"from the titles (du groupe \"{named}\")" if named else
           "from the hierarchy line" if len(imp.section) > 1 else "the folder's name")
    lines = [f"# Made by `rencontres import` from {comment_safe(file.name)}; check it, then",
             "# add the [[members]] (and [organizer]) the articles do not give.",
             f"name = {toml_scalar(name)}  # {comment_safe(how)}"]
    if imp.section:
        lines += [f"# {comment_safe(n.text)}" for n in imp.notes if n.key == ("section",)]
        lines.append(f"section = {toml_value(imp.section)}")
    lines.append(f'language = "{imp.language}"')
    if imp.keywords:
        lines.append(f"keywords = {toml_value(imp.keywords)}")
    if imp.objectives:
        lines.append("# The annex \"Rappel des objectifs du groupe\" of the article.")
        lines.append(f"objectives = {toml_scalar(imp.objectives)}")
    return "\n".join(lines) + "\n"


# -- the records to write ---------------------------------------------------------------------

MEETING_WORDS = re.compile(r"rencontre|réunion|synthèse|compte[- ]rendu|atelier|meeting|minutes",
                           re.IGNORECASE)


@dataclass(frozen=True)
class Write:
    path: Path
    text: str
    what: str  # "meeting", "stub", "group", "completed"
    overwrite: bool = False


def _norm(title: str) -> str:
    """A title or keyword as two spellings of it compare (case, spaces, a final dot)."""
    return name_key(title).rstrip(" .")


def record(imp: reader.Imported, group_keywords=()) -> tuple[dict, dict]:
    """The meeting record's data, and the comments to write beside its values."""
    data: dict = {"date": imp.date}
    for key in ("title", "number", "published", "subtitle", "context"):
        value = getattr(imp, key)
        if value:
            data[key] = value + ("\n" if key in ("subtitle", "context") and "\n" in value
                                 else "") if isinstance(value, str) else value
    shared = {_norm(k) for k in group_keywords}
    own = [k for k in imp.keywords if _norm(k) not in shared]
    if own:
        data["keywords"] = own
    people = []
    for person, attendance in imp.participants:
        entry = {k: getattr(person, k) for k in PERSON.keys
                 if getattr(person, k)}
        if attendance != "present":
            entry["attendance"] = attendance
        people.append(entry)
    if people:
        data["participants"] = people
    topics = []
    for t in imp.topics:
        topic = {"title": t["title"]}
        for key in ("body", "decisions", "actions"):
            if t.get(key):
                topic[key] = t[key]
        topics.append(topic)
    if topics:
        data["topics"] = topics
    if imp.next:
        data["next"] = {k: v for k, v in imp.next.items() if v}
    comments: dict = {}
    for i, t in enumerate(imp.topics):
        for sentence in _suggestions(t.get("body", "")):
            comments.setdefault(("topics", i), []).append(
                f"a decision or an action? (not made one: the text says) \"{sentence}\"")
    for note in imp.notes:
        if note.key == ("section",):
            continue  # about group.toml, not this record
        beside = note.key if note.key in (("next",), ("next", "date")) or \
            note.key[:1] == ("participants",) and len(note.key) == 2 else ("header",)
        comments.setdefault(beside, []).append(note.text)
    return data, comments


_SUGGEST = re.compile(r"[^.!?\n]*(?:\bIl est convenu\b|\bil est décidé\b|\best adopté|"
                      r"\bsera transmis|\bsera envoyé|\bsera communiqué|\best chargée?\b|"
                      r"\bse charge\b|\bpour la prochaine (?:rencontre|réunion)\s*,|\bIt was agreed\b|"
                      r"\bwill send\b)[^.!?\n]*[.!?]?",
                      re.IGNORECASE)


def _suggestions(body: str) -> list[str]:
    """Sentences that read like a decision or an action, to point out in a comment."""
    found = (" ".join(m.group().split()) for m in _SUGGEST.finditer(body))
    return [s if len(s) <= 200 else s[:199] + "…" for s in found]


def stub(listed: reader.Listed) -> str:
    """A record for an article known from the index: its date and title, as listed."""
    from rencontres.records.write import comment_safe, toml_scalar

    lines = ["# Known only from \"Articles dans la même rubrique\" of an imported article:",
             "# date and title as listed there; not transcribed yet."]
    if listed.note:
        lines.append(f"# {comment_safe(listed.note)}.")
    assert listed.day is not None  # entries without a date are notes, not stubs
    lines += [f"date = {listed.day.isoformat()}", f"title = {toml_scalar(listed.title)}"]
    number = reader.rank(listed.title)
    if not MEETING_WORDS.search(listed.title):
        lines.append('kind = "article"  # no meeting in its title: listed, not numbered')
    elif number:
        lines.append(f"number = {number}")
    return "\n".join(lines) + "\n"
