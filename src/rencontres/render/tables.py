"""Tables about a group's meetings — actions, decisions, attendance — as rows of cells, and
those rows as CSV or Markdown. Words in the group's language; the terminal (`cli/`) draws
the same rows with rich.
"""

from __future__ import annotations

import csv
import io

from rencontres.core import words

WORDS = {
    "fr": {"owner": "responsable", "task": "action", "decided": "décidée le", "due": "échéance",
           "status": "état", "open": "à faire", "done": "faite", "dropped": "abandonnée",
           "overdue": "en retard", "group": "groupe", "none_open": "Aucune action ouverte.",
           "none": "Aucune action.", "type": "type", "person": "personne",
           "organization": "organisation", "meeting": "rencontre", "name": "nom",
           "present": "présents", "excused": "excusés", "absent": "absents",
           "orgs_present": "organisations présentes", "people": "Participants",
           "orgs": "Organisations", "meetings": "Rencontres", "date": "date",
           "topic": "sujet", "decision": "décision", "for": "pour", "against": "contre",
           "abstain": "abstentions", "unanimous": "unanimité", "result": "résultat",
           "yes": "oui", "number": "n°", "title": "titre", "next": "prochaine"},
    "en": {"owner": "owner", "task": "action", "decided": "decided", "due": "due",
           "status": "status", "open": "open", "done": "done", "dropped": "dropped",
           "overdue": "overdue", "group": "group", "none_open": "No open actions.",
           "none": "No actions.", "type": "type", "person": "person",
           "organization": "organisation", "meeting": "meeting", "name": "name",
           "present": "present", "excused": "excused", "absent": "absent",
           "orgs_present": "organisations present", "people": "Participants",
           "orgs": "Organisations", "meetings": "Meetings", "date": "date",
           "topic": "topic", "decision": "decision", "for": "for", "against": "against",
           "abstain": "abstentions", "unanimous": "unanimous", "result": "result",
           "yes": "yes", "number": "no.", "title": "title", "next": "next"},
}

Row = list  # cells: str or int


def register_rows(entries, lang: str) -> list[Row]:
    """The register of decisions, a row each, the header first."""
    w = WORDS[lang]
    rows: list[Row] = [[w["date"], w["topic"], w["decision"], w["for"], w["against"],
                        w["abstain"], w["unanimous"], w["result"]]]
    for e in entries:
        d = e.decision
        result = words.vote_result(d.votes_for, d.against, d.abstain, d.unanimous, lang) \
            if d.voted else ""
        rows.append([e.meeting.day.isoformat(), e.topic, d.text,
                     *("" if v is None else v for v in (d.votes_for, d.against, d.abstain)),
                     w["yes"] if d.unanimous else "", result])
    return rows


def attendance_sections(counts, lang: str) -> list[tuple[str, Row, list[Row]]]:
    """(title, header, rows) for people, organisations and meetings."""
    w = WORDS[lang]
    heads = [w["name"], w["present"], w["excused"], w["absent"]]

    def tallies(ts) -> list[Row]:
        return [[t.name, t.present, t.excused, t.absent] for t in ts]

    return [(w["people"], heads, tallies(counts.people)),
            (w["orgs"], heads, tallies(counts.organizations)),
            (w["meetings"], [w["date"], w["present"], w["orgs_present"]],
             [[c.meeting.day.isoformat(), c.people, c.organizations] for c in counts.meetings])]


def attendance_rows(counts, lang: str) -> list[Row]:
    """Attendance as one sheet: a `type` column tells people, organisations and meetings
    apart (a meeting's row: its date, people present, organisations present)."""
    w = WORDS[lang]
    people, orgs, meetings = attendance_sections(counts, lang)
    rows: list[Row] = [[w["type"], *people[1], w["orgs_present"]]]
    for kind, (_, _, body) in ((w["person"], people), (w["organization"], orgs)):
        rows += [[kind, *row, ""] for row in body]
    rows += [[w["meeting"], day, present, "", "", n] for day, present, n in meetings[2]]
    return rows


def csv_bytes(rows: list[Row], lang: str) -> bytes:
    """CSV that LibreOffice and Excel open as is: UTF-8 with a BOM (accents intact), CRLF,
    the header row first, `;` for a French group (what Excel expects there), `,` else."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def markdown_tables(sections: list[tuple[str, Row, list[Row]]]) -> str:
    """Each section as a heading and a GFM table (numbers right-aligned)."""
    from rencontres.render.markdown import escape

    parts = []
    for title, head, body in sections:
        lines = [f"## {escape(title)}", "", "| " + " | ".join(map(escape, head)) + " |",
                 "|" + "|".join(["---"] + ["--:"] * (len(head) - 1)) + "|"]
        lines += ["| " + " | ".join(escape(str(c)) for c in row) + " |" for row in body]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
