"""What of a batch's articles is the group's, and what stays in each record.

What every article of the batch repeats (its annex "Rappel des objectifs", its keywords) —
and every meeting the group already has repeats too — is the group's: it goes in
`group.toml` (a new group's is made from the articles, even from one; an existing one is
completed only with what at least two meetings repeat). What one article has alone stays
in its record (its own `keywords`, its own `objectives`), so that no other synthesis
prints it. An existing `group.toml` is completed,
never rewritten: its missing keys are added as text (the person's comments and layout stay),
and a value that differs from the one there is a note, in the record and on stderr.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rencontres.core.i18n import N_
from rencontres.core.text import name_key
from rencontres.importer import reader
from rencontres.importer.said import Said


@dataclass
class Shared:
    """The group's values once the batch is written, and the keys to add to group.toml."""

    objectives: str = ""
    keywords: list[str] = field(default_factory=list)
    section: list[str] = field(default_factory=list)
    added: dict = field(default_factory=dict)  # for an existing group.toml: key → value
    repeated: list[str] = field(default_factory=list)  # the keywords every meeting has


def norm(text: str) -> str:
    """A keyword or an annex as two spellings of it compare (case, spaces, a final dot)."""
    return name_key(" ".join(text.split())).rstrip(" .")


def placed(imp: reader.Imported) -> bool:
    """Whether an article shows its place in the site (a page: hierarchy, index, keywords)."""
    return bool(imp.section or imp.index or imp.keywords)


def shared(imps: list[reader.Imported], group=None, meetings=()) -> Shared:
    """What every article (`imps`) and every transcribed meeting of the group already there
    (`meetings`, those the batch does not replace) repeat; `group` the existing Group."""
    annexes = {norm(i.objectives) for i in imps} | {norm(m.objectives) for m in meetings}
    common_annex = imps[0].objectives if imps and len(annexes) == 1 and "" not in annexes \
        else ""
    # A page shows its place (hierarchy, index) and keywords; a SPIP source shows neither:
    # it says nothing of them, so only the pages count for the group's keywords and section.
    pages = [i for i in imps if placed(i)] or imps
    newest = max(pages, key=lambda i: str(i.date)) if pages else None
    words = [k for k in (newest.keywords if newest else [])
             if all(norm(k) in {norm(x) for x in i.keywords} for i in pages)
             and all(norm(k) in {norm(x) for x in m.keywords} for m in meetings)]
    if group is None:
        return Shared(common_annex, words, newest.section if newest else [])
    out = Shared(group.objectives, list(group.keywords), list(group.section))
    if len(imps) + len(meetings) < 2:  # one article alone repeats nothing
        return out
    out.repeated = words
    if not group.objectives.strip() and common_annex:
        out.objectives = out.added["objectives"] = common_annex
    if not group.keywords and words:
        out.keywords = out.added["keywords"] = words
    if not group.section and newest is not None and newest.section:
        out.section = out.added["section"] = newest.section
    return out


def own(imp: reader.Imported, group: Shared) -> str:
    """The article's annex when it is not the group's: the record keeps it."""
    return imp.objectives if imp.objectives and norm(imp.objectives) != norm(
        group.objectives) else ""


def notes(imp: reader.Imported, group: Shared, existing: bool) -> list[str]:
    """What of the article's could not go in group.toml (the record keeps it)."""
    out: list[str] = []
    if existing and imp.objectives and group.objectives and \
            norm(imp.objectives) != norm(group.objectives):
        out.append(Said(N_("the article's annex \"Rappel des objectifs\" differs from "
                           "group.toml's objectives: kept in this record (`objectives`), "
                           "printed in its synthesis only")))
    if existing and group.keywords:
        mine = {norm(k) for k in imp.keywords}
        out += [Said(N_("the keyword \"{keyword}\" every article has is not in group.toml's "
                        "keywords: kept in this record"), keyword=k) for k in group.repeated
                if norm(k) in mine and norm(k) not in {norm(g) for g in group.keywords}]
    return out


def completed(text: str, added: dict, source: str) -> str | None:
    """group.toml's text with the `added` keys, before its first table (so that they are the
    group's, not a table's); None if no place keeps every other value as it was."""
    from rencontres.records.write import comment_safe, toml_scalar, toml_value

    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    block = [f"# Added by `rencontres import` from {comment_safe(source)}: what every "
             "article repeats."]
    for key, value in added.items():
        block.append(f"{key} = {toml_scalar(value) if isinstance(value, str) else toml_value(value)}")
    lines = text.splitlines(keepends=True)
    places = [i for i, line in enumerate(lines) if re.match(r"\s*\[", line)] + [len(lines)]
    for i in places:
        head = "".join(lines[:i])
        if head and not head.endswith("\n"):
            head += "\n"
        candidate = head + "\n".join(block) + "\n" + ("\n" if i < len(lines) else "") + \
            "".join(lines[i:])
        try:
            after = tomllib.loads(candidate)
        except tomllib.TOMLDecodeError:
            continue
        if after == before | added:
            return candidate
    return None


def group_text(imp: reader.Imported, group: Shared, file: Path, slug: str) -> str:
    """A group.toml for a group met for the first time, from what the articles say."""
    from rencontres.records.write import comment_safe, toml_scalar, toml_value

    titles = [imp.title, *(entry.title for entry in imp.index)]
    named = next((m[1] for t in titles if (m := re.search(r'du groupe\s+[«"“]\s*([^"»”]+?)\s*'
                                                          r'[»"”]', t))), "")
    name = named or (imp.section[1] if len(imp.section) > 1 else slug)
    how = (f"from the titles (du groupe \"{named}\")" if named else
           "from the rubrique's path" if len(imp.section) > 1 and imp.section_url else
           "from the hierarchy line" if len(imp.section) > 1 else
           "the folder's name")  # i18n: written into group.toml (the same bytes whatever the locale)
    lines = [f"# Made by `rencontres import` from {comment_safe(file.name)}; check it, then",
             "# add the [[members]] (and [organizer]) the articles do not give.",
             f"name = {toml_scalar(name)}  # {comment_safe(how)}"]
    if imp.section:
        lines += [f"# {comment_safe(n.text)}" for n in imp.notes if n.key == ("section",)]
        lines.append(f"section = {toml_value(imp.section)}")
    lines.append(f'language = "{imp.language}"')
    if imp.section_url:
        lines.append(f"url = {toml_scalar(imp.section_url)}  # the rubrique's page on the "
                     "site")  # i18n: written into group.toml (the same bytes whatever the locale)
    if group.keywords:
        lines.append("# The keywords every imported article has (an article's own stay in "
                     "its record).")
        lines.append(f"keywords = {toml_value(group.keywords)}")
    if group.objectives:
        lines.append("# The annex \"Rappel des objectifs du groupe\" every imported article "
                     "repeats.")
        lines.append(f"objectives = {toml_scalar(group.objectives)}")
    return "\n".join(lines) + "\n"
