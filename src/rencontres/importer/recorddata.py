"""The text of what `import` writes: a meeting record's data and the comments beside its
values (`record`), a stub for an entry of the section's index (`stub`), the sentences that
read like a decision or an action (`_suggestions`). Pure: `plan.py` places them."""

from __future__ import annotations

import re

from rencontres.core.text import name_key
from rencontres.importer import reader
from rencontres.records.schema import PERSON

MEETING_WORDS = re.compile(r"rencontre|réunion|synthèse|compte[- ]rendu|atelier|meeting|minutes",
                           re.IGNORECASE)


def norm(title: str) -> str:
    """A title or keyword as two spellings of it compare (case, spaces, a final dot)."""
    return name_key(title).rstrip(" .")


def record(imp: reader.Imported, group_keywords=(), objectives: str = "") -> tuple[dict, dict]:
    """The meeting record's data, and the comments to write beside its values; `objectives`
    the article's own annex (one the group does not have)."""
    data: dict = {"date": imp.date}
    for key in ("title", "number", "published", "subtitle", "context", "objectives",
                "spip_article", "url"):
        value = getattr(imp, key) if key != "objectives" else objectives
        if value:
            data[key] = value + ("\n" if key in ("subtitle", "context", "objectives") and "\n" in value
                                 else "") if isinstance(value, str) else value
    shared = {norm(k) for k in group_keywords}
    own = [k for k in imp.keywords if norm(k) not in shared]
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
    if imp.documents:
        data["documents"] = imp.documents
    comments: dict = {}
    for i, t in enumerate(imp.topics):
        for sentence in _suggestions(t.get("body", "")):
            comments.setdefault(("topics", i), []).append(  # i18n: written into the record
                f"a decision or an action? (not made one: the text says) \"{sentence}\"")
    for note in imp.notes:
        if note.key == ("section",):
            continue  # about group.toml, not this record
        beside = note.key if note.key in (("next",), ("next", "date")) or \
            note.key[:1] == ("participants",) and len(note.key) == 2 else ("header",)
        if beside == ("next", "date") and "date" not in data.get("next", {}):
            beside = ("next",) if data.get("next") else ("header",)  # a date left to be set
        comments.setdefault(beside, []).append(note.text)
    return data, comments


# A match starts only where a sentence starts (`(?<![^.!?\n])`: after . ! ? or a line's end, or
# at the text's start): unanchored, the pattern tried again from every character of a sentence
# with no such words, 85 % of reading a SPIP source. The same matches (tested).
_TRIGGERS = (  # i18n: a pattern of the articles read (their French and English words)
    r"\bIl est convenu\b|\bil est décidé\b|\best adopté|\bsera transmis|\bsera envoyé|"
    r"\bsera communiqué|\best chargée?\b|\bse charge\b|\bpour la prochaine "
    r"(?:rencontre|réunion)\s*,|\bIt was agreed\b|\bwill send\b")
_SUGGEST = re.compile(rf"(?<![^.!?\n])[^.!?\n]*(?:{_TRIGGERS})[^.!?\n]*[.!?]?", re.IGNORECASE)
# The words of `_TRIGGERS` as plain text, casefolded: a sentence without one of them cannot
# match (the pattern is tried only on the others: most bodies have none)
_LITERALS = ("il est convenu", "il est décidé", "est adopté", "sera transmis", "sera envoyé",
             "sera communiqué", "est charg", "se charge", "pour la prochaine", "it was agreed",
             "will send")  # i18n: a pattern of the articles read
def _suggestions(body: str) -> list[str]:
    """Sentences that read like a decision or an action, to point out in a comment: the
    matches of `_SUGGEST.finditer(body)`, the pattern tried only at the start of a sentence
    holding one of its words (found by `str.find` in the casefolded body, whose characters
    are the body's one for one unless its length differs)."""
    folded = body.casefold()
    hits = sorted({p for w in _LITERALS for p in _finds(folded, w)})
    if not hits:
        return []
    if len(folded) != len(body):
        matches = list(_SUGGEST.finditer(body))
    else:
        matches, end, tried = [], 0, set()
        for p in hits:
            start = max(body.rfind(c, 0, p) for c in ".!?\n") + 1
            if start < end or start in tried:
                continue
            tried.add(start)
            if m := _SUGGEST.match(body, start):
                matches.append(m)
                end = m.end()
    found = (" ".join(m.group().split()) for m in matches)
    return [s if len(s) <= 200 else s[:199] + "…" for s in found]


def _finds(text: str, word: str) -> list[int]:
    out, at = [], text.find(word)
    while at >= 0:
        out.append(at)
        at = text.find(word, at + 1)
    return out


def stub(listed: reader.Listed) -> str:
    """A record for an article known from the index: its date and title, as listed."""
    from rencontres.records.write import STUB_HEADER, comment_safe, toml_scalar

    lines = STUB_HEADER.splitlines()
    if listed.note:
        lines.append(f"# {comment_safe(listed.note)}.")
    assert listed.day is not None  # entries without a date are notes, not stubs
    lines += [f"date = {listed.day.isoformat()}", f"title = {toml_scalar(listed.title)}"]
    number = reader.rank(listed.title)
    if not MEETING_WORDS.search(listed.title):
        lines.append(  # i18n: written into the record (the same bytes whatever the locale)
            'kind = "article"  # no meeting in its title: listed, not numbered')
    elif number:
        lines.append(f"number = {number}")
    return "\n".join(lines) + "\n"
