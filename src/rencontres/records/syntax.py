"""A TOML syntax error in people's words: what is wrong, where, and what to type.

The parser (tomli) says what it expected at a position ("Expected newline or end of
document after a statement", "Invalid value"); a person wants to hear that the date needs
two digits for its month, that a text has no closing quote, that a key is given twice. Each
of the parser's messages (`messages()`, every one its source raises: a test reads tomli's
source and fails on one missing here) is worded from what it says and from the text where
it stopped: the statement on that line, its key and its value (`syntax_values.py` words
those about a value). A message this module does not know still gets a sentence with its
line. Each sentence is in the user's language (the catalog's): a sentence about a key has
its own wording for a line without one, rather than a fragment put into it.
"""

from __future__ import annotations

import functools
import re

from rencontres.core.i18n import _
from rencontres.core.values import frozen


@frozen
class Said:
    """A syntax error as told: its line (1-based), its column (1-based, None when the whole
    line is meant), that line's text, and the sentence."""

    line: int
    column: int | None
    excerpt: str
    message: str


STATEMENT = re.compile(r"""^[ \t]*((?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
                        r"""(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*)"""
                        r"""[ \t]*=[ \t]*(.*)$""")
HEADER = re.compile(r"^[ \t]*(\[\[?)[ \t]*([^\[\]\n]*?)[ \t]*(\]?\]?)[ \t]*(?:#.*)?$")


# What may not be in a record, unseen: control characters, bidirectional overrides
_INVISIBLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def explain(text: str, message: str, pos: int) -> Said:
    """The parser's `message`, raised at `pos` in `text`, in people's words."""
    at = At(text, min(max(pos, 0), len(text)))
    if at.char == "\r":
        return at.said(_("a carriage return (U+000D) alone ends this line: save the file with "
                         "ordinary line ends"))
    if at.char and at.char != "\n" and _INVISIBLE.match(at.char):
        return _control(at, at.char)
    for start, word in _wording():
        if message.startswith(start):
            said = word(at, message)
            if said is not None:
                return said
    return _generic(at, message)


class At:
    """Where the parser stopped: the line, its text, the statement on it."""

    def __init__(self, text: str, pos: int) -> None:
        self.text, self.pos = text, pos
        start = text.rfind("\n", 0, pos) + 1
        if pos == len(text) and pos > 0 and text[pos - 1] == "\n":  # the end, after a newline
            start = text.rfind("\n", 0, pos - 1) + 1
        end = text.find("\n", start)
        self.start = start
        self.line = text.count("\n", 0, start) + 1
        self.source = text[start:end if end >= 0 else len(text)].rstrip("\r")
        self.column = min(pos - start, len(self.source)) + 1
        m = STATEMENT.match(self.source)
        self.key = key_text(m[1]) if m else ""
        self.value = m[2].strip() if m else ""
        self.value_column = m.start(2) + 1 if m else None

    def said(self, message: str, *, line: int | None = None, column: int | None = 0) -> Said:
        """`message` at this line and the parser's column (`column=None`: the whole line; a
        number: that column), or at another `line` (its whole text)."""
        if line is not None and line != self.line:
            return Said(line, None, line_text(self.text, line), message)
        shown = self.column if column == 0 else column
        return Said(self.line, shown, self.source, message)

    @property
    def char(self) -> str:
        return self.text[self.pos:self.pos + 1]

    def keyed(self, with_key: str, without: str, **values: object) -> str:
        """The sentence `with_key` (naming it as {key}) for this line's key, else `without`
        (both translated): "'title' has no value after '='", "the value has no value…"."""
        return with_key.format(key=self.key, **values) if self.key else without.format(**values)


def key_text(raw: str) -> str:
    return ".".join(p.strip().strip("\"'") for p in re.findall(
        r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", raw))


def line_text(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""


def line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


# -- strings -------------------------------------------------------------------------------

def _unclosed_string(at: At, message: str) -> Said:
    """A text without its closing quote: on its own line, or (three quotes) never closed.
    tomli stops at the line's end (Illegal character: a "…" text, Found invalid character:
    a '…' one), or at the end of the document."""
    bad = _quoted_char(message)
    if bad and bad not in "\r\n":
        return _control(at, bad)
    quote = "'" if message.startswith(("Found", "Expected \"'")) else '"'
    three = quote * 3
    if message.startswith(("Unterminated", "Expected \"'''")) and not (
            at.value[:1] == quote and at.value[:3] != three):
        opened = at.text.rfind(three)  # never closed: nothing after it closes it
        if opened >= 0:
            line = line_at(at.text, opened)
            key = STATEMENT.match(line_text(at.text, line))
            said = _("the text of '{key}' opened with {quotes} on this line is never closed: "
                     "end it with {quotes}").format(key=key_text(key[1]), quotes=three) if key \
                else _("a text opened with {quotes} on this line is never closed: end it with "
                       "{quotes}").format(quotes=three)
            return at.said(said, line=line)
    return at.said(at.keyed(
        _("the text of '{key}' has no closing quote: end it with {quote} on the same line (a "
          "text over several lines goes between {quotes} and {quotes})"),
        _("the text on this line has no closing quote: end it with {quote} on the same line "
          "(a text over several lines goes between {quotes} and {quotes})"),
        quote=quote, quotes=three), column=at.value_column)


def _quoted_char(message: str) -> str:
    """The character a message names ("Illegal character '\\x01'"), or ""."""
    import ast

    m = re.search(r"character ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")", message)
    if not m:
        return ""
    try:
        return str(ast.literal_eval(m[1]))
    except (ValueError, SyntaxError):
        return ""


def _control(at: At, char: str) -> Said:
    code = f"U+{ord(char):04X}" if len(char) == 1 else repr(char)
    return at.said(_("this line holds the invisible control character {code}: delete it "
                     "(a line break in a text is written \\n, a tab \\t)").format(code=code))


def _escape(at: At, message: str) -> Said:
    if message.startswith("Invalid hex value"):  # i18n: the parser's words, matched
        what = _("\\u is followed by 4 hexadecimal digits and \\U by 8 (\\u00e9 is é)")
    elif message.startswith("Escaped character"):  # i18n: the parser's words, matched
        what = _("this \\u or \\U names no character")
    else:
        what = _("a backslash starts an escape (\\n, \\t, \\\", \\\\)")
    return at.said(at.keyed(
        _("in the text of '{key}', {what}: write \\\\ for a backslash itself, or put the text "
          "between single quotes '…', where \\ is plain"),
        _("in the text on this line, {what}: write \\\\ for a backslash itself, or put the "
          "text between single quotes '…', where \\ is plain"), what=what),
                   column=max(at.source.rfind("\\", 0, at.column), 0) + 1
                   if "\\" in at.source[:at.column] else 0)


# -- keys and tables ------------------------------------------------------------------------

def _no_equals(at: At, message: str) -> Said:
    source = at.source.strip()
    word = re.match(r"[A-Za-z0-9_-]+", source)
    if word and source[word.end():].lstrip().startswith(":") and "=" not in source:
        value = source[word.end():].lstrip()[1:].strip()
        return at.said(_("a key and its value are joined by '=', not ':': write "
                         "{key} = {value}").format(key=word[0], value=value or "…"))
    if word and "=" in source:
        return at.said(_("'{text}' is not a key: a key is one word of letters, digits, - and _ "
                         "(write first_name, not first name)")
                       .format(text=source.split("=")[0].strip()))
    if word and word.end() == len(source):
        return at.said(_("'{text}' is alone on its line: write {text} = VALUE (or start the "
                         "line with # for a comment)").format(text=source))
    if word and re.match(r"\s*[\"'\d\[{]", source[word.end():]):
        return at.said(_("'{key}' and its value need '=' between them: write {key} = {value}")
                       .format(key=word[0], value=source[word.end():].strip()))
    return _not_a_statement(at, message)


def _not_a_statement(at: At, message: str) -> Said:
    return at.said(_("this line is not 'key = value', a [table] or a # comment: a text goes "
                     "in a value between quotes (key = \"…\"), a note after #"), column=None)


def _bad_key(at: At, message: str) -> Said:
    if HEADER.match(at.source):
        return at.said(_("a table's header names it between brackets: [next], [[topics]]"))
    if at.source.lstrip().startswith("="):
        return at.said(_("the key before '=' is missing: write key = value"))
    return at.said(_("a key is letters, digits, - and _ (or a text between quotes), with no "
                     "space or dot at its ends"))


def _header_unclosed(at: At, message: str) -> Said:
    name = (HEADER.match(at.source) or re.match(r"\s*\[+\s*([^\]\s]*)", at.source))
    table = name[2] if name and name.re is HEADER else (name[1] if name else "…")
    if "']]'" in message:
        return at.said(_("a table of a list is named between double brackets: [[{table}]]")
                       .format(table=table))
    return at.said(_("a table's header ends with a bracket: [{table}]").format(table=table))


def _twice(at: At, message: str) -> Said:
    """A key or a table given twice, or a table where a value already is."""
    header = HEADER.match(at.source)
    if header and not at.key:
        name = header[2].strip()
        first = _first_header(at, name)
        if message.startswith("Cannot declare") and not first:  # i18n: the parser's words
            return at.said(_("[{name}] repeats a table that keys written as {name}.… = … "
                             "above already make: put its keys in one place").format(name=name))
        if message.startswith("Cannot declare"):  # i18n: the parser's words (`first` known)
            if name in ("topics", "participants", "members", "documents",
                        "topics.actions"):
                return at.said(_("[{name}] appears twice (first on line {first}): each of "
                                 "several {name} starts with [[{name}]], with two brackets")
                               .format(name=name, first=first))
            return at.said(_("[{name}] appears twice (first on line {first}): a record has one "
                             "[{name}]; put its keys under the first")
                           .format(name=name, first=first))
        if header[1] == "[[" and first:
            return at.said(_("[[{name}]] after [{name}] (first on line {first}): write "
                             "[[{name}]], with two brackets, for each of them")
                           .format(name=name, first=first))
        return at.said(_("[{name}] names a key that already has a value (line {line}): rename "
                         "one of them").format(name=name, line=_first_key(at, name) or "?"))
    first = _first_key(at, at.key)
    if first:
        said = at.keyed(_("'{key}' is given twice in this table (first on line {first}): keep "
                          "one of them"),
                        _("the value is given twice in this table (first on line {first}): "
                          "keep one of them"), first=first)
    else:
        said = at.keyed(_("'{key}' is given twice in this table: keep one of them"),
                        _("the value is given twice in this table: keep one of them"))
    return at.said(said, column=None)


def _first_header(at: At, name: str) -> int | None:
    for number, line in enumerate(at.text[:at.start].split("\n"), start=1):
        h = HEADER.match(line)
        if h and h[2].strip() == name:
            return number
    return None


def _first_key(at: At, key: str) -> int | None:
    """The earlier line of `key` in the same table as the parser's line."""
    lines = at.text[:at.start].split("\n")
    first = None
    for number, line in enumerate(lines, start=1):
        if HEADER.match(line) and not STATEMENT.match(line):
            first = None  # a new table
            continue
        m = STATEMENT.match(line)
        if m and key_text(m[1]) == key and first is None:
            first = number
    if first is None and "." not in key:
        for number, line in enumerate(lines, start=1):
            m = STATEMENT.match(line)
            if m and key_text(m[1]) == key:
                return number
    return first


def _frozen(at: At, message: str) -> Said:
    name = re.search(r"\('([^']*)'", message)
    table = name[1] if name else at.key.split(".")[0]
    return at.said(_("'{table}' was written whole, as {{ … }} or [ … ]: add to it there "
                     "rather than on another line").format(table=table), column=None)


def _redefined(at: At, message: str) -> Said:
    return at.said(at.keyed(_("'{key}' adds to a table written elsewhere as [table]: put the "
                              "key under that table's header"),
                            _("the value adds to a table written elsewhere as [table]: put the "
                              "key under that table's header")), column=None)


def _inline_twice(at: At, message: str) -> Said:
    key = re.search(r"key '([^']*)'", message)
    return at.said(_("'{key}' is given twice inside the braces {{ … }}: keep one of them")
                   .format(key=key[1] if key else "?"))


def _generic(at: At, message: str) -> Said:
    said = message.rstrip(".")
    return at.said(_("this line is not valid TOML (the parser says: {said}); see the record "
                     "format in the README").format(said=said[:1].lower() + said[1:]))


@functools.cache
def _wording() -> tuple:
    """Each start of a message of tomli's, with the function that words it."""
    from rencontres.records import syntax_values as v

    return (  # i18n: the parser's messages (tomli's, in English), matched
        ("Illegal character", _unclosed_string),
        ("Found invalid character", _unclosed_string),
        ("Unterminated string", _unclosed_string),
        ("Expected \"'''\"", _unclosed_string),
        ("Expected \"'\"", _unclosed_string),
        ("Expected newline or end of document after a statement", v.after_value),
        ("Invalid value", v.invalid_value),
        ("Invalid date or datetime", v.impossible_date),
        ("Expected '=' after a key in a key/value pair", _no_equals),
        ("Invalid statement", _not_a_statement),
        ("Invalid initial character for a key part", _bad_key),
        ("Cannot overwrite a value", _twice),
        ("Cannot declare", _twice),
        ("Cannot mutate immutable namespace", _frozen),
        ("Cannot redefine namespace", _redefined),
        ("Duplicate inline table key", _inline_twice),
        ("Unclosed inline table", v.unclosed_table),
        ("Unclosed array", v.unclosed_array),
        ("Unescaped '\\' in a string", _escape),
        ("Invalid hex value", _escape),
        ("Escaped character is not a Unicode scalar value", _escape),
        ("Expected ']' at the end of a table declaration", _header_unclosed),
        ("Expected ']]' at the end of an array declaration", _header_unclosed),
    )


def messages() -> tuple[str, ...]:
    """The start of every message of tomli's this module words (a test reads tomli's source
    and fails on one missing here)."""
    return tuple(start for start, _word in _wording())
