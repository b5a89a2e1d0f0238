"""What `publish` sends for a record, and what the group's state keeps of it. Pure.

The article's fields are exactly what `render --format spip` writes (Surtitre, Titre, Texte)
and its keywords; the state (`state.toml`, never the record) keeps, per record:

    [published."2007-11-22"]             # "2007-11-22#invitation" for its invitation
    article = 12                         # the article's number on the site
    site = "https://example.org/"
    digest = "…"                         # of what was sent ("" while a first publish is
    sent = "…"                           #   unfinished); of the site's fields after it
    status = "publie"

so that publishing again updates that article — never a second one — and an edit made on
the site since (its fields' digest no longer `sent`) is seen before it is overwritten.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from dataclasses import dataclass

from rencontres.core.errors import UsageError
from rencontres.core.i18n import _
from rencontres.core.text import name_key
from rencontres.publish.spip import ARTICLE_FIELDS, Rubrique, normal


@dataclass(frozen=True)
class Article:
    key: str  # the state's key
    fields: dict[str, str]
    keywords: tuple[str, ...]
    date: dt.datetime | None  # the publication date to set, when the record has one

    @property
    def digest(self) -> str:
        return digest(self.fields, self.keywords)


def digest(fields: dict[str, str], keywords=()) -> str:
    text = "\0".join(f"{k}={normal(fields.get(k, ''))}" for k in ARTICLE_FIELDS)
    text += "\0" + "\0".join(sorted(name_key(k) for k in keywords))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def synthesis(archive, meeting) -> Article:
    from rencontres.render import spip
    from rencontres.render.synthesis import Context, build

    doc = build(Context(meeting, archive.group_of(meeting), archive.number(meeting)))
    published = meeting.published
    return Article(meeting.stem, spip.article_fields(doc), tuple(doc.keywords),
                   dt.datetime.combine(published, dt.time(0, 0)) if published else None)


INVITATION = {"fr": "{label} du groupe - Invitation", "en": "{label} of the group - Invitation"}


def invitation(archive, meeting) -> Article:
    """The invitation article of the meeting `meeting` announces: its agenda as SPIP markup
    (when, where, the items and the open actions), titled as the group's section titles them
    ("4ème rencontre du groupe - Invitation")."""
    from rencontres import followup
    from rencontres.core import words
    from rencontres.render import spip
    from rencontres.render.pages import agenda_document

    group = archive.group_of(meeting)
    if meeting.next is None:
        raise UsageError(_("{key}: announces no next meeting").format(key=meeting.key),
                         _("add a [next] table with its date to the record"))
    plan = followup.agenda(group, archive.meetings[meeting.group], archive.number, meeting)
    doc = agenda_document(plan, group, group.language)
    fields = spip.article_fields(doc)
    label = words.meeting_label(plan.number, group.language, group.ordinals)
    fields["titre"] = spip.escape_typo(INVITATION.get(group.language, INVITATION["fr"])
                                       .format(label=label[:1].upper() + label[1:]))
    fields["surtitre"] = spip.escape_typo(group.name)
    return Article(f"{meeting.stem}#invitation", fields, tuple(group.keywords), None)


def rubrique(rubriques: list[Rubrique], section: tuple[str, ...] | list[str], slug: str) -> int:
    """The rubrique whose path, as the site shows it (rank prefixes aside), is `section`."""
    from rencontres.core.text import shown_title

    wanted = tuple(name_key(shown_title(s)) for s in section)
    path: list[str] = []
    found = []
    for r in rubriques:
        path = path[:r.level - 1] + [name_key(shown_title(r.title))]
        if tuple(path) == wanted:
            found.append(r.id)
    if not section:
        raise UsageError(_("{group}: group.toml gives no section").format(group=slug),
                         _("add section = [\"…\", \"…\"] (the rubrique's path) or "
                           "spip_rubrique = N"))
    if not found:
        raise UsageError(_("no rubrique {section} on the site (or this account may not write "
                           "in it)").format(section=" / ".join(section)),
                         _("create it in SPIP, or give its number as spip_rubrique = N in "
                           "group.toml"))
    if len(found) > 1:
        from functools import reduce

        numbers = reduce(lambda a, b: _("{one} and {other}").format(one=a, other=b),
                         map(str, found))
        raise UsageError(_("rubriques {numbers} are both {section}").format(
            numbers=numbers, section=" / ".join(section)),
            _("give the one to use as spip_rubrique = N in group.toml"))
    return found[0]


def difference(site: dict[str, str], ours: dict[str, str]) -> str:
    """What differs, field by field, as a unified diff (the site's text first)."""
    out: list[str] = []
    for key in ARTICLE_FIELDS:
        a, b = normal(site.get(key, "")), normal(ours.get(key, ""))
        if a != b:
            out += difflib.unified_diff(a.split("\n"), b.split("\n"),
                                        _("{field} (on the site)").format(field=key),
                                        _("{field} (from the record)").format(field=key),
                                        lineterm="")
    return "\n".join(out) + ("\n" if out else "")


def entry(state: dict, key: str, site: str) -> dict | None:
    found = state.get("published", {}).get(key)
    return found if isinstance(found, dict) and found.get("site") == site else None


def with_entry(state: dict, key: str, value: dict) -> dict:
    import copy

    state = copy.deepcopy(state)
    state.setdefault("published", {})[key] = value
    return state
