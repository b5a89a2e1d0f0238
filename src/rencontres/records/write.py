"""A new meeting record: its defaults from the archive, and its TOML text.

The text is written for people: keys in the order of the record format, tables
as `[[participants]]` blocks, multi-line text as `\"\"\"` blocks. It is parsed
back and checked before anything is written, so `new` never writes a record
that `check` would refuse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from rencontres.core import text as core_text
from rencontres.core.model import Person
from rencontres.records.schema import ACTION, DOCUMENT, MEETING, NEXT, PARTICIPANT, PERSON, TOPIC

# -- TOML text -----------------------------------------------------------------

def toml_scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        if "\n" in value:
            body = value.replace("\\", "\\\\").replace('"""', '""\\"')
            body = core_text.TOML_CONTROL_MULTILINE.sub(_escaped, body)
            return f'"""\n{body}"""'
        return _basic(value)
    if isinstance(value, dict):  # an inline table: a decision with its vote
        return "{ " + ", ".join(f"{k} = {toml_scalar(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__}")  # a bug: the draft holds only these


def _escaped(control: re.Match) -> str:
    return f"\\u{ord(control.group()):04x}"


def _basic(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = core_text.TOML_CONTROL.sub(_escaped, escaped)
    return f'"{escaped}"'


def toml_value(value) -> str:
    if isinstance(value, list):
        items = [toml_scalar(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) <= 80 and not any("\n" in i for i in items):
            return one_line
        return "[\n" + "".join(f"    {i},\n" for i in items) + "]"
    return toml_scalar(value)


def _is_table(value) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and bool(value)
                                       and isinstance(value[0], dict))


INLINE = frozenset({"decisions"})  # arrays written inline, whatever they hold


def _keys(table: dict, order: Iterable[str], comments: dict | None = None,
          path: tuple = ()) -> list[str]:
    """`key = value` lines for the table's plain values (each after its comments, if any);
    sub-tables are written apart."""
    lines = []
    for k in order:
        if k in table and (k in INLINE or not _is_table(table[k])):
            lines += _comments(comments, (*path, k))
            lines.append(f"{k} = {toml_value(table[k])}")
    return lines


def _comments(comments: dict | None, key: tuple) -> list[str]:
    """`# …` lines: a judgement call written beside the value it concerns."""
    import textwrap

    return [f"# {comment_safe(line)}" for text in (comments or {}).get(key, ())
            for line in ([text.strip(" ")] if len(text) <= 86 and not _WRAPPED.search(text)
                         else
                         textwrap.wrap(text, 86, break_long_words=False,
                                       break_on_hyphens=False) or [""])]


_WRAPPED = re.compile(r"[\t\n\x0b\x0c\r]")  # what textwrap turns into spaces


def comment_safe(text: str) -> str:
    """Text fit for a TOML comment: no control character (a quoted article may hold any)."""
    return core_text.CONTROL_BUT_TAB.sub("\ufffd", text)


def to_toml(data: dict, header: str = "", comments: dict | None = None) -> str:
    """A meeting record's text (see the module docstring). `comments` maps a key
    (("next", "date"), ("participants", 6)…) to the lines written just above it."""
    head = "\n".join(_keys(data, MEETING.keys, comments))
    blocks = [header + head] if header or head else []
    for i, person in enumerate(data.get("participants", [])):
        blocks.append("\n".join([*_comments(comments, ("participants", i)), "[[participants]]",
                                 *_keys(person, PARTICIPANT.keys)]))
    for i, topic in enumerate(data.get("topics", [])):
        lines = [*_comments(comments, ("topics", i)), "[[topics]]",
                 *_keys(topic, TOPIC.keys, comments, ("topics", i))]
        for action in topic.get("actions", []):
            lines += ["", "[[topics.actions]]", *_keys(action, ACTION.keys)]
        blocks.append("\n".join(lines))
    if data.get("next"):
        blocks.append("\n".join([*_comments(comments, ("next",)), "[next]",
                                 *_keys(data["next"], NEXT.keys, comments, ("next",))]))
    for document in data.get("documents", []):
        blocks.append("\n".join(["[[documents]]", *_keys(document, DOCUMENT.keys)]))
    return "\n\n".join(blocks) + "\n"


# -- what the group already knows --------------------------------------------------------

# The first lines of a stub that `import` writes, and what they become once it is completed.
STUB_HEADER = ("# Known only from \"Articles dans la même rubrique\" of an imported article:\n"
               "# date and title as listed there; not transcribed yet.\n")
TRANSCRIBED_HEADER = ("# First known from \"Articles dans la même rubrique\" of an imported article"
                      "\n# (date and title as listed there); transcribed since.\n")


def complete_stub(stub_text: str, stub: dict, data: dict, comments: dict | None = None) -> str:
    """The stub's own text, word for word (its comments too), then what the new record adds.
    When the new record gives the hour, it goes on the stub's `date` line, in place."""
    text = stub_text if stub_text.endswith("\n") else stub_text + "\n"
    if text.startswith(STUB_HEADER):  # the import's own words, no longer true: said again
        text = TRANSCRIBED_HEADER + text[len(STUB_HEADER):]
    if data["date"] != stub["date"]:
        text = re.sub(r"(?m)^(\s*date\s*=\s*)(\S+)", lambda m: m[1] + toml_scalar(data["date"]),
                      text, count=1)
    extra = {k: v for k, v in data.items() if k not in stub}
    return text + "\n" + to_toml(extra, comments=comments) if extra else text


def group_toml(slug: str, name: str, language: str = "fr", timezone: str = "Europe/Paris",
               organizer: Person | None = None, members: Iterable[Person] = ()) -> str:
    """A new group's `group.toml`, commented for the person who will keep it."""
    lines = [  # i18n: written into group.toml
             f"# The group {_basic(name)} (folder {slug}/): what its meeting records share.",
             "# Yours to edit: comments and layout are kept; `rencontres check` checks it.",
             f"name = {_basic(name)}",
             f'language = "{language}"  # "fr" or "en": the language of the texts made',
             f"timezone = {_basic(timezone)}  # meeting times are local times in this zone",
             "duration_minutes = 120  # a meeting's length when its record gives no end",
             '# section = ["Groupes de travail", "…"]  # the SPIP hierarchy of its articles',
             '# keywords = ["…"]  # the SPIP keywords of every synthesis',
             "# approve_minutes = true  # the agenda opens with approving the last minutes",
             '# site_url = "https://example.org/archive/"  # where the built site is published',
             '# objectives = """…"""  # "Rappel des objectifs du groupe", in every synthesis']
    if organizer is not None:
        lines += ["", "[organizer]  # who sends the invitations",  # i18n: written into group.toml
                  f"name = {_basic(organizer.name)}",
                  f"email = {_basic(organizer.email)}"]
    else:  # invite and send need one: to fill in
        lines += ["", "# [organizer]  # who sends the invitations (invite and send need one):",
                  '# name = "…"  # remove the # of these three lines and fill them in',
                  '# email = "…"']
    for person in members:
        lines += ["", "[[members]]", *(f"{k} = {_basic(getattr(person, k))}"
                                       for k in PERSON.keys if getattr(person, k))]
    if not members:
        lines += ["", "# [[members]]  # the roster, invited to every meeting",
                  '# name = "…"', '# organization = "…"', '# email = "…"']
    return "\n".join(lines) + "\n"
