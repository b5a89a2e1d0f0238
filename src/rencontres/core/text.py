"""Rules about text that several layers apply: how a name is compared, which characters are
controls, what an e-mail address is. Each is written here once; nothing of ours imported.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING


def name_key(name: str) -> str:
    """A name as two spellings of it compare: case folded, spaces collapsed
    ("Zoë  DUPONT" and "zoë dupont" are one person)."""
    return " ".join(name.casefold().split())


# -- control characters ----------------------------------------------------------------------
# The C0 controls (tab U+0009 and line feed U+000A among them), DEL and the C1 controls, and
# the line and paragraph separators U+2028/2029 (NEL and those end lines in some readers).
# Bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069) can make a name
# or an address read as another ("Trojan Source"). Each pattern below says which it matches.
_C0_BUT_TAB_NEWLINE = r"\x00-\x08\x0b-\x1f"
_C1 = r"\x7f-\x9f\u2028\u2029"
_BIDI = r"\u202a-\u202e\u2066-\u2069"

_PATTERNS = {
    # Refused in a single-line field of a record (and shown as U+FFFD in quoted text).
    "CONTROL_ONE_LINE": rf"[\x00-\x1f{_C1}{_BIDI}]",
    # Refused in free text, which may hold tabs and newlines.
    "CONTROL_FREE_TEXT": rf"[{_C0_BUT_TAB_NEWLINE}{_C1}]",
    # Every control character: a calendar's single-line value makes each one a space.
    "CONTROL": rf"[\x00-\x1f{_C1}]",
    # Every control character but the newline: a calendar's multi-line value.
    "CONTROL_BUT_NEWLINE": rf"[\x00-\x09\x0b-\x1f{_C1}]",
    # Every control character but the tab: a TOML comment's text.
    "CONTROL_BUT_TAB": rf"[\x00-\x08\x0a-\x1f{_C1}]",
    # What TOML refuses raw in a basic string ("…"), and in a multi-line one ("""…"""): escaped.
    "TOML_CONTROL": r"[\x00-\x1f\x7f]",
    "TOML_CONTROL_MULTILINE": rf"[{_C0_BUT_TAB_NEWLINE}\x7f]",
    # One rule for `check` and for invitations: a plain ASCII address, what every SMTP server
    # and calendar client takes. The local part is dot-separated atoms of A-Z a-z 0-9 and
    # !#$%&'*+/=?^_`{|}~- ; the domain has two labels at least (letters, digits and inner
    # hyphens), and ends with a name of two letters or more.
    "EMAIL": r"\A[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
             r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}\Z",
}

if TYPE_CHECKING:
    CONTROL_ONE_LINE: re.Pattern[str]
    CONTROL_FREE_TEXT: re.Pattern[str]
    CONTROL: re.Pattern[str]
    CONTROL_BUT_NEWLINE: re.Pattern[str]
    CONTROL_BUT_TAB: re.Pattern[str]
    TOML_CONTROL: re.Pattern[str]
    TOML_CONTROL_MULTILINE: re.Pattern[str]
    EMAIL: re.Pattern[str]


def __getattr__(name: str) -> re.Pattern[str]:
    """Each pattern compiled when first asked for: a class reaching past U+00FF takes 0.5 ms
    to compile, and a command needs two or three of them."""
    compiled = globals().get(name)
    if compiled is None:
        try:
            source = _PATTERNS[name]
        except KeyError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        compiled = globals()[name] = re.compile(source)
    return compiled


def valid_email(address: str) -> bool:
    return __getattr__("EMAIL").match(address) is not None
