"""The wording of a TOML syntax error about a value (`syntax.py` words the others): a date,
a time or a number written as people write them, a bare word, an array or inline table
never closed."""

from __future__ import annotations

import re

from rencontres.core.i18n import _
from rencontres.records.syntax import STATEMENT, At, Said, key_text, line_at

_YMD = re.compile(r"(?P<y>\d{4})[-/.](?P<mo>\d{1,2})[-/.](?P<d>\d{1,2})")
_DMY = re.compile(r"(?P<d>\d{1,2})[-/.](?P<mo>\d{1,2})[-/.](?P<y>\d{4})")
_WORDS = re.compile(r"(?:[^\W\d]+[ \t]+)?(?P<d>\d{1,2})(?:er|st|nd|rd|th)?[ \t]+"
                    r"(?P<mo>[^\W\d]+\.?)[ \t]+(?P<y>\d{4})")
_CLOCK = r"(?P<h>\d{1,2})(?:[ \t]*[:h][ \t]*(?P<mi>\d{1,2})?)?(?::(?P<s>\d{1,2}))?"
_WHEN_TIME = re.compile(rf"(?:[T \t]+|[ \t]+(?:à|at)[ \t]+){_CLOCK}", re.IGNORECASE)
_TIME = re.compile(rf"{_CLOCK}[ \t]*(?P<ampm>am|pm)?", re.IGNORECASE)


def _date_or_time(at: At, raw: str) -> Said | None:
    """A value that means a date, a date-time or a time but is not written as TOML writes
    them: the value to write instead, or why the numbers make none."""
    from rencontres.core.words import no_such_date

    raw = raw.split("#")[0].strip()
    m = _YMD.match(raw) or _DMY.match(raw) or _WORDS.match(raw)
    if m:
        month = _month(m["mo"])
        if month is None:
            return None
        y, mo, d = int(m["y"]), month, int(m["d"])
        rest = raw[m.end():]
        t = _WHEN_TIME.match(rest)
        h = mi = s = None
        if t:
            h, mi = int(t["h"]), int(t["mi"] or 0)
            s = int(t["s"]) if t["s"] else None
            rest = rest[t.end():]
        why = no_such_date(y, mo, d, h, mi, s)
        shown = raw[:len(raw) - len(rest)].strip()
        if why:
            return at.said(_("'{value}' is not a date: {why}").format(value=shown, why=why),
                           column=at.value_column)
        fixed = f"{y:04d}-{mo:02d}-{d:02d}" + (f"T{h:02d}:{mi:02d}" if h is not None else "")
        fixed += f":{s:02d}" if s else ""
        if rest.strip()[:1] in ("+", "-", "Z", "z"):
            return at.said(_("'{value}': a record's times are the group's local time, written "
                             "without an offset: write {key} = {fixed}")
                           .format(value=raw, key=at.key or "date", fixed=fixed),
                           column=at.value_column)
        if rest.strip():
            return None
        said = _("'{value}' is not a date as records write it: write {key} = {fixed} "
                 "(YYYY-MM-DDTHH:MM, without quotes)") if h is not None else \
            _("'{value}' is not a date as records write it: write {key} = {fixed} "
              "(YYYY-MM-DD, without quotes)")
        return at.said(said.format(value=shown, key=at.key or "date", fixed=fixed),
                       column=at.value_column)
    m = _TIME.fullmatch(raw)
    if m and (m["mi"] is not None or m["ampm"] or "h" in raw.lower()):
        h, mi = int(m["h"]), int(m["mi"] or 0)
        if m["ampm"]:
            h = h % 12 + (12 if m["ampm"].lower() == "pm" else 0)
        why = no_such_date(2000, 1, 1, h, mi, int(m["s"]) if m["s"] else None)
        if why:
            return at.said(_("'{value}' is not a time: {why}").format(value=raw, why=why),
                           column=at.value_column)
        return at.said(_("'{value}' is not a time as records write it: write {key} = {time} "
                         "(HH:MM, 24-hour clock, without quotes)")
                       .format(value=raw, key=at.key or "end", time=f"{h:02d}:{mi:02d}"),
                       column=at.value_column)
    return None


def _month(name: str) -> int | None:
    """A month's number, from its number or its French or English name (or their start)."""
    from rencontres.core.words import MONTHS, sort_key

    if name.isdigit():
        return int(name)
    key = sort_key(name.rstrip("."))
    for months in MONTHS.values():
        for i, month in enumerate(months, start=1):
            if key == sort_key(month) or (len(key) >= 3 and sort_key(month).startswith(key)):
                return i
    return None


def impossible_date(at: At, message: str) -> Said:
    """A date or date-time in TOML's form whose numbers make none (2009-04-31)."""
    from rencontres.core.words import no_such_date

    m = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?)?",
                 at.text[at.pos:at.pos + 40])
    if m:
        numbers = [int(g) if g is not None else None for g in m.groups()]
        why = no_such_date(*numbers)  # type: ignore[arg-type]
        if why:
            return at.said(_("'{value}' is not a date: {why}").format(value=m[0], why=why))
    return at.said(at.keyed(_("'{key}' is not a date: write YYYY-MM-DD, e.g. 2008-01-16 (or "
                              "2008-01-16T14:00 with the hour)"),
                            _("the value is not a date: write YYYY-MM-DD, e.g. 2008-01-16 (or "
                              "2008-01-16T14:00 with the hour)")))


def after_value(at: At, message: str) -> Said | None:
    """Something after a complete statement: a date or a number written as people write
    them, two texts, a header with more on its line."""
    if at.char == "\r":
        return at.said(_("a carriage return (U+000D) alone ends this line: save the file with "
                         "ordinary line ends"))
    if at.value_column is None:
        if at.source.lstrip().startswith("["):
            return at.said(_("write nothing after a table's header on its line (a comment "
                             "starts with #)"))
        return at.said(_("more follows the end of a value on this line: write nothing after "
                         "it but a comment (starting with #)"))
    raw = at.value
    said = _date_or_time(at, raw)
    if said is not None:
        return said
    if raw[:1] == "'":
        return at.said(at.keyed(
            _("the text of '{key}' ends at the second ' and more follows on the line: a text "
              "holding ' goes between double quotes \"…\""),
            _("the text on this line ends at the second ' and more follows on the line: a "
              "text holding ' goes between double quotes \"…\"")))
    if raw[:1] == '"':
        return at.said(at.keyed(
            _("the text of '{key}' ends at the second quote, and more follows on the line: a "
              "quote inside a text is written \\\" (or put the text between single quotes "
              "'…')"),
            _("the text on this line ends at the second quote, and more follows on the line: "
              "a quote inside a text is written \\\" (or put the text between single quotes "
              "'…')")))
    if re.match(r"\d{1,5}[-/.]\d{1,3}[-/.]\d{1,5}", raw):  # a date, but not as written
        return at.said(_("'{value}' is not a date as records write it: write {key} = "
                         "YYYY-MM-DD, e.g. 2009-03-24 (without quotes)")
                       .format(value=raw.split("#")[0].strip(), key=at.key or "date"),
                       column=at.value_column)
    if re.match(r"[+-]?\d", raw):
        return _number(at, raw)
    return at.said(at.keyed(_("'{key}' has more after its value: write one value per line, "
                              "and start a comment with #"),
                            _("the value has more after its value: write one value per line, "
                              "and start a comment with #")))


def _number(at: At, raw: str) -> Said:
    """An integer as TOML does not write it: 012, 1,000, 1 000, 3."""
    digits = re.sub(r"[\s,_]", "", raw.split("#")[0])
    number = int(digits) if re.fullmatch(r"[+-]?\d+", digits) else \
        int(digits[:-1]) if re.fullmatch(r"[+-]?\d+\.", digits) else None
    value = raw.split("#")[0].strip()
    if number is None:
        said = _("'{value}' is not a whole number as records write them (digits only, no "
                 "leading zero, no spaces, commas or points)").format(value=value)
    else:
        said = _("'{value}' is not a whole number as records write them (digits only, no "
                 "leading zero, no spaces, commas or points): write {key} = {number}") \
            .format(value=value, key=at.key or "number", number=number)
    return at.said(said, column=at.value_column)


def invalid_value(at: At, message: str) -> Said:
    """A value the parser cannot read at all: nothing, a bare word, curly quotes."""
    opened = _open_bracket(at)
    if opened is not None:
        return opened
    rest = at.text[at.pos:].split("\n", 1)[0].rstrip("\r")
    word = rest.split("#")[0].strip()
    if not word:
        return at.said(at.keyed(_("'{key}' has no value after '=': write one, e.g. "
                                  "{key} = \"…\" for a text"),
                                _("the value has no value after '=': write one, e.g. "
                                  "title = \"…\" for a text")))
    if word in ("True", "False", "TRUE", "FALSE", "yes", "no", "oui", "non"):
        return at.said(_("'{word}' is not a value: write true or false, in lowercase")
                       .format(word=word))
    if word[:1] in "“”«»‘’„":
        return at.said(at.keyed(_("'{key}': typographic quotes ({quote}) do not enclose a "
                                  "text: use straight quotes, {key} = \"…\""),
                                _("the value: typographic quotes ({quote}) do not enclose a "
                                  "text: use straight quotes, title = \"…\""),
                                quote=word[:1]))
    said = _date_or_time(at, word)
    if said is not None:
        return said
    shown = word.strip("\"'")[:40]
    return at.said(at.keyed(_("'{key}': a text goes between quotes, e.g. {key} = \"{text}\" "
                              "(a number, true, false or a date YYYY-MM-DD goes without)"),
                            _("the value: a text goes between quotes, e.g. title = \"{text}\" "
                              "(a number, true, false or a date YYYY-MM-DD goes without)"),
                            text=shown))


# -- arrays and inline tables ---------------------------------------------------------------

def _open_bracket(at: At) -> Said | None:
    """An array or inline table still open where the parser stopped, opened on an earlier
    line (the parser ran past its end): said at the line it was opened."""
    opened = _unclosed_before(at.text, at.pos)
    if opened is None or (opened[0] >= line_at(at.text, at.pos) and at.pos < len(at.text)):
        return None
    line, key, bracket = opened
    said = _("the list of '{key}' opened on this line is never closed: end it with ]") \
        if bracket == "[" else _("the table {{ … }} of '{key}' opened on this line is never "
                                 "closed: end it with }}")
    return at.said(said.format(key=key), line=line)


def _unclosed_before(text: str, pos: int) -> tuple[int, str, str] | None:
    """(line, key, bracket) of the value of a statement still open at `pos`."""
    depth, opened = 0, None
    for line_no, line in enumerate(text[:pos].split("\n"), start=1):
        bare = re.sub(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'', '""', line).split("#", 1)[0]
        if depth == 0:
            m = STATEMENT.match(line)
            if not m or not m[2].lstrip().startswith(("[", "{")):
                continue
            opened = (line_no, key_text(m[1]), m[2].lstrip()[0])
            bare = bare[bare.index("=") + 1:] if "=" in bare else bare
        depth += bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}")
        if depth <= 0:
            depth, opened = 0, None
    return opened


def unclosed_array(at: At, message: str) -> Said:
    return _open_bracket(at) or at.said(at.keyed(
        _("the items of '{key}' are separated by commas, and the list ends with ]: "
          "{key} = [\"one\", \"two\"]"),
        _("the items of the value are separated by commas, and the list ends with ]: "
          "keywords = [\"one\", \"two\"]")))


def unclosed_table(at: At, message: str) -> Said:
    return _open_bracket(at) or at.said(at.keyed(
        _("in the table {{ … }} of '{key}', separate each key = value from the next with a "
          "comma, and close it with }}"),
        _("in the table {{ … }} of the value, separate each key = value from the next with a "
          "comma, and close it with }}")))
