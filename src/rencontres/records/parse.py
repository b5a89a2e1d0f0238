"""TOML text → model. Every problem names the file, the key and (where known) the line.

Parsing is two steps: `tomllib` for the syntax, then a typed walk over the
tables that collects *every* problem rather than stopping at the first. Each
table's keys are declared once, in `schema`: the walker reports the keys a table
does not declare and reads the others through their declaration (type, default,
required); what a key needs beyond that is plain code after the read. Line
numbers are found only for files that have problems (`toml_lines.locate`), so a
clean archive costs one `tomllib.loads` per file and little more.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from rencontres.core.i18n import N_, _
from rencontres.core.text import name_key, valid_email

try:  # mypyc-compiled, about 3 × faster than tomllib, whose source it is: same API, errors
    import tomli as tomllib
except ImportError:  # pragma: no cover  (a platform without its wheel)
    import tomllib  # type: ignore[no-redef]

from rencontres.core.model import (
    Action,
    Decision,
    Document,
    Group,
    Meeting,
    NextMeeting,
    Participant,
    Person,
    Problem,
    Topic,
)
from rencontres.records.schema import (
    ACTION,
    DECISION,
    DOCUMENT,
    GROUP,
    MEETING,
    NEXT,
    ORGANIZER,
    PARTICIPANT,
    PERSON,
    TOPIC,
    Table,
    Walker,
    dotted,
    type_name,
)
from rencontres.records.toml_lines import Key, line_of, locate

ACTION_REF_RE = re.compile(r"^(\d{4}-\d{2}-\d{2}(?:-\d+)?)#([1-9]\d{0,3})$")
# Someone listed twice in a group's roster or a meeting's participants (`entry/validate.py`
# recognizes the second, to say it in the words of `new`'s question).
LISTED_TWICE = {"member": N_("member '{name}' is listed twice (also {first})"),
                "participant": N_("participant '{name}' is listed twice (also {first})")}



def valid_timezone(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, IsADirectoryError, OSError):
        return False
    return True


def loads(text: str, path: str) -> tuple[dict | None, list[Problem]]:
    """TOML syntax only: the data, or one problem with its line.

    Beyond syntax errors, tomllib raises on input no person writes: nesting hundreds deep
    (RecursionError) and integers past Python's digit limit (a plain ValueError)."""
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        from rencontres.records.syntax import explain

        said = explain(text, *_where(exc, text))
        return None, [Problem(path, said.line, "error", said.message, column=said.column,
                              excerpt=said.excerpt)]
    except RecursionError:
        return None, [Problem(path, line_of(text, r"(?:[\[{][^\[{\n]{0,40}){50}"), "error",
                              _("TOML nested too deeply (arrays or tables inside each other "
                                "hundreds of times)"))]
    except ValueError:
        return None, [Problem(path, line_of(text, r"\d{1000}"), "error",
                              _("a number with thousands of digits (no record holds one)"))]


def _where(exc: ValueError, text: str) -> tuple[str, int]:
    """The parser's message and the position it stopped at (tomli gives both; the tomllib
    of Python 3.11 only says "… (at line L, column C)")."""
    message = getattr(exc, "msg", None) or re.sub(r"\s*\(at (?:line \d+, column \d+|end of "
                                                  r"document)\)$", "", str(exc))
    pos = getattr(exc, "pos", None)
    if pos is None:
        m = re.search(r"at line (\d+), column (\d+)", str(exc))
        if m:
            starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
            pos = starts[min(int(m[1]), len(starts)) - 1] + int(m[2]) - 1
        else:
            pos = len(text)
    return message, pos


def parse_group(data: dict, path: str, slug: str) -> tuple[Group, list[Problem]]:
    """group.toml → Group. Always returns a usable Group (defaults where wrong)."""
    w = Walker(path)
    get = w.open(data, (), GROUP)
    language = get("language")
    timezone = get("timezone")
    if isinstance(data.get("timezone"), str) and not valid_timezone(timezone):
        w.problem(("timezone",), _("unknown time zone '{zone}' (use an IANA name such as "
                                   "Europe/Paris)").format(zone=timezone) if timezone
                  else _("empty time zone (use an IANA name such as Europe/Paris)"))
        timezone = "Europe/Paris"
    timezone = timezone or "Europe/Paris"
    duration = get("duration_minutes")
    organizer = None
    org = get("organizer")
    if org is not None:
        organizer = _person(w, org, ("organizer",), ORGANIZER)
    members = []
    for key, item in get("members"):
        person = _person(w, item, key, PERSON)
        if person:
            members.append((key, person))
    _duplicates(w, members, "member")
    site_url = get("site_url").strip()
    if site_url and (not site_url.startswith(("https://", "http://"))
                     or any(c.isspace() for c in site_url)):
        w.problem(("site_url",), _("site_url '{url}' is not a web address (write it as "
                                   "https://example.org/archive/)").format(url=site_url[:100]))
        site_url = ""
    group = Group(
        slug=slug,
        name=get("name") or slug,
        section=get("section"),
        language=language,
        timezone=timezone,
        duration_minutes=duration,
        ordinals=get("ordinals"),
        keywords=get("keywords"),
        url=get("url"),
        site_url=site_url,
        objectives=get("objectives"),
        approve_minutes=get("approve_minutes"),
        spip_rubrique=get("spip_rubrique"),
        organizer=organizer,
        members=tuple(p for _key, p in members),
    )
    return group, w.problems


def _person(w: Walker, data: dict, key: Key, table: Table) -> Person | None:
    """A person of `table` (PERSON, ORGANIZER or PARTICIPANT); None without a name.
    Its four fields are read whatever the table declares (an organizer's role too)."""
    w.open(data, key, table)
    name = w.read(data, key, _NAME)
    fields = (name, w.read(data, key, _ORGANIZATION), w.read(data, key, _ROLE),
              _email(w, data, key))
    person = _PEOPLE.get(fields)
    if person is None:
        if len(_PEOPLE) > 100_000:
            _PEOPLE.clear()
        person = _PEOPLE[fields] = Person(*(sys.intern(f) for f in fields))
    return person if name else None


def _email(w: Walker, data: dict, key: Key) -> str:
    value = w.read(data, key, _EMAIL)
    if value and not valid_email(value):
        w.problem((*key, "email"), _("'{email}' is not an e-mail address (expected "
                                     "name@example.org)").format(email=value))
        return ""
    return value


_NAME, _ORGANIZATION, _ROLE, _EMAIL = (PERSON[k] for k in ("name", "organization", "role",
                                                            "email"))

# The same people come back in every record of a group: one (frozen) Person each, which
# keeps a 10,000-meeting archive's model about 15 % smaller.
_PEOPLE: dict[tuple[str, str, str, str], Person] = {}


def _duplicates(w: Walker, people: list[tuple[Key, Person]], what: str) -> None:
    """Someone listed twice: `what` is "member" or "participant" (LISTED_TWICE)."""
    seen_names: dict[str, Key] = {}
    seen_emails: dict[str, Key] = {}
    for key, person in people:
        name = name_key(person.name)
        email = person.email.casefold()
        if name in seen_names or (email and email in seen_emails):
            first = seen_names.get(name) or seen_emails[email]
            w.problem((*key, "name"), _(LISTED_TWICE[what]).format(name=person.name,
                                                                   first=dotted(first)))
            continue
        seen_names[name] = key
        if email:
            seen_emails[email] = key


def parse_meeting(data: dict, path: str, group: str, stem: str) -> tuple[Meeting | None,
                                                                         list[Problem]]:
    """A meeting record → Meeting (None when it is too broken to use).

    Keys are read in the order their problems have always come (a command that refuses a
    record shows its first error), not in the format's order."""
    w = Walker(path)
    get = w.open(data, (), MEETING)
    date = get("date")
    if date is None:
        return None, w.problems
    day = date.date() if isinstance(date, dt.datetime) else date
    if day.isoformat() != stem[:10]:
        w.problem(("date",), _("date {date} disagrees with the file name {name} (rename the "
                               "file or correct the date)").format(date=day.isoformat(),
                                                                   name=f"{stem}.toml"))
    end = get("end")
    if end is not None:
        start_t = date.time() if isinstance(date, dt.datetime) else None
        end_dt = end if isinstance(end, dt.datetime) else None
        if isinstance(end, dt.time) and start_t is not None and end <= start_t:
            w.problem(("end",), _("end {end} is not after the start {start}").format(
                end=end.isoformat("minutes"), start=start_t.isoformat("minutes")))
        elif end_dt is not None and end_dt <= (date if start_t else dt.datetime.combine(day,
                                                                              dt.time())):
            w.problem(("end",), _("end is not after the start (give the hour the meeting "
                                  "ended, after it began)"))
    participants = []
    people = []
    for key, item in get("participants"):
        person = _person(w, item, key, PARTICIPANT)
        attendance = w.read(item, key, _ATTENDANCE)
        if person:
            participants.append(Participant(person, attendance))
            people.append((key, person))
    _duplicates(w, people, "participant")
    topics = []
    for key, item in get("topics"):
        topic = w.open(item, key, TOPIC)
        actions = []
        for akey, a in topic("actions"):
            if action := _action(w, a, akey):
                actions.append(action)
        title = topic("title")
        if title:
            topics.append(Topic(title=title, body=topic("body"),
                                decisions=_decisions(w, topic("decisions"), key),
                                actions=tuple(actions)))
    nxt = None
    raw_next = get("next")
    if raw_next is not None:
        nxt = _parse_next(w, raw_next, date)
    documents = []
    for key, item in get("documents"):
        doc = w.open(item, key, DOCUMENT)
        if doc("title") and doc("url"):
            documents.append(Document(doc("title"), doc("url")))
    number = get("number")
    meeting = Meeting(
        group=group,
        stem=stem,
        date=date,
        end=end,
        title=get("title"),
        number=number,
        kind=get("kind"),
        published=get("published"),
        subtitle=get("subtitle"),
        venue=get("venue"),
        address=get("address"),
        context=get("context"),
        objectives=get("objectives"),
        keywords=get("keywords"),
        spip_article=get("spip_article"),
        url=get("url"),
        uid=get("uid"),
        participants=tuple(participants),
        topics=tuple(topics),
        next=nxt,
        documents=tuple(documents),
    )
    return meeting, w.problems


_ATTENDANCE = PARTICIPANT["attendance"]


def _action(w: Walker, data: dict, key: Key) -> Action | None:
    """One of a topic's actions (None without a task)."""
    get = w.open(data, key, ACTION)
    task = get("task")
    action = Action(task=task, owner=get("owner"), due=get("due"), done=get("done"),
                    done_on=get("done_on"), dropped=get("dropped"), follows=get("follows"),
                    note=get("note"))
    if action.follows and not ACTION_REF_RE.match(action.follows):
        w.problem((*key, "follows"), _("'{key}' must name an earlier record's action as "
                                       "\"YYYY-MM-DD#N\" (its Nth action)")
                  .format(key=dotted((*key, "follows"))))
    if action.done and action.dropped:
        w.problem((*key, "dropped"), _("an action is either done or dropped, not both: "
                                       "remove one of them"))
    if action.done_on and not action.done:
        w.problem((*key, "done_on"), _("'done_on' without 'done = true': add done = true, "
                                       "or remove done_on"))
    return action if task else None


def _decisions(w: Walker, items: list | tuple, key: Key) -> tuple[Decision, ...]:
    """A topic's decisions (read as TOPIC declares them): each a string, or a table with
    its vote."""
    out = []
    for i, item in enumerate(items):
        dkey = (*key, "decisions", i)
        if isinstance(item, dict):
            get = w.open(item, dkey, DECISION)
            text = get("text")
            counts = {name: get(name) for name in ("for", "against", "abstain")}
            unanimous = get("unanimous")
            if unanimous and (counts["against"] or counts["abstain"]):
                w.problem((*dkey, "unanimous"), _("unanimous, yet with votes against or "
                                                  "abstentions: remove one or the other"))
            if text:
                out.append(Decision(text, counts["for"], counts["against"], counts["abstain"],
                                    unanimous))
        elif isinstance(item, str):
            if value := w.text(item, dkey):
                out.append(Decision(value))
        else:
            w.problem(dkey, _("'{key}' must be a string or a table ({{ text = \"…\", for = 8, "
                              "against = 1, abstain = 2 }}), not {type}")
                      .format(key=dotted(dkey), type=type_name(item)))
    return tuple(out)


def _parse_next(w: Walker, data: dict, date: dt.date | dt.datetime) -> NextMeeting | None:
    """The [next] table; without a date, the date is to be set (a poll is running): its
    venue, note and agenda stand, an end cannot."""
    get = w.open(data, ("next",), NEXT)
    when = get("date")
    end = get("end")
    if when is not None:
        start = date if isinstance(date, dt.datetime) else None
        if (start is not None and when <= start) or (start is None and when.date() <= date):
            w.problem(("next", "date"), _("the next meeting ({next}) is not after this one "
                                          "({this}): is the year right?")
                      .format(next=when.date().isoformat(), this=date.isoformat()[:10]))
        if end is not None:
            end_dt = end if isinstance(end, dt.datetime) else dt.datetime.combine(when.date(), end)
            if end_dt <= when:
                w.problem(("next", "end"), _("the next meeting's end is not after its start "
                                             "(give the hour it will end)"))
    elif end is not None and "date" not in data:
        w.problem(("next", "end"), _("the next meeting has an end but no date: give its "
                                     "'date' too, or leave both out while the date is to be "
                                     "set"))
        end = None
    meeting = NextMeeting(
        date=when,
        end=end,
        venue=get("venue"),
        address=get("address"),
        phone=get("phone"),
        note=get("note"),
        agenda=get("agenda"),
    )
    return meeting if data else None


def read_meeting(text: str, path: Path, group: str) -> tuple[Meeting | None, list[Problem]]:
    data, problems = loads(text, str(path))
    if data is None:
        return None, problems
    meeting, problems = parse_meeting(data, str(path), group, path.stem)
    return meeting, locate(problems, text)


def read_group(text: str, path: Path, slug: str) -> tuple[Group, list[Problem]]:
    data, problems = loads(text, str(path))
    if data is None:
        return Group(slug=slug, name=slug), problems
    group, problems = parse_group(data, str(path), slug)
    return group, locate(problems, text)
