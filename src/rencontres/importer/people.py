"""The people of an article: "Participants", "Présents", "Excusés", "Absents" lines, inline
or one per line, as "Nom / Org", "Nom / rôle Org", "Nom (Org)", "Nom - Org", "Nom, rôle,
Org" or "Nom Org" (the organisation guessed, with a note); members matched by name.
"""

from __future__ import annotations

import re

from rencontres.core.i18n import N_
from rencontres.core.model import Person
from rencontres.importer.lines import NBSP
from rencontres.importer.said import Said


def entries(text: str) -> list[str]:
    """An inline list of people: split on ";", else between "Nom (Org)" entries, else on
    ","."""
    text = " ".join(text.replace(NBSP, " ").split())
    if ";" in text:
        parts = text.split(";")
    elif re.search(r"\)\s*,", text):
        parts = re.split(r"(?<=\))\s*,\s*", text)
    elif "," in text and not re.search(r",\s*[a-zà-ÿ]", text):
        parts = text.split(",")
    else:
        parts = [text]
    return [p.strip(" .") for p in parts if p.strip(" .")]


def person(entry: str, members) -> tuple[Person, str]:
    """One entry → the person, and a note when the organisation was guessed."""
    entry = " ".join(entry.replace(NBSP, " ").split()).strip(" .")
    if "/" in entry:
        name, rest = (s.strip() for s in entry.split("/", 1))
        words = rest.split()
        lead = []
        while words[:-1] and words[0][:1].islower():
            lead.append(words.pop(0))
        return Person(name=name, organization=" ".join(words), role=" ".join(lead)), ""
    if m := re.fullmatch(r"(.+?)\s*\(([^()]+)\)", entry):
        inside = [s.strip() for s in m[2].split(",")]
        return Person(m[1].strip(), inside[-1], ", ".join(inside[:-1])), ""
    if m := re.fullmatch(r"(.+?)\s+[-–]\s+(.+)", entry):
        return Person(m[1].strip(), m[2].strip()), ""
    if "," in entry:
        first, *others = (s.strip() for s in entry.split(","))
        return Person(first, others[-1], ", ".join(others[:-1])), ""
    for member in members:
        if entry.casefold().startswith(member.name.casefold()):
            org = entry[len(member.name):].strip()
            return (Person(member.name, org or member.organization, member.role), (
                Said(N_("\"{entry}\": no \"/\" between name and organisation; the member "
                        "{member} matched"), entry=entry, member=member.name) if org else ""))
    words = entry.split()
    if len(words) >= 3:
        return (Person(" ".join(words[:2]), " ".join(words[2:])),
                Said(N_("\"{entry}\": no \"/\" between name and organisation; read as "
                        "{name} / {organization}"), entry=entry, name=" ".join(words[:2]),
                     organization=" ".join(words[2:])))
    return Person(entry), ""
