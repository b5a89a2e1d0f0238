"""Rules about text that several layers apply: how a name is compared, which characters are
controls, what an e-mail address is. Each is written here once; nothing of ours imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING


def name_key(name: str) -> str:
    """A name as two spellings of it compare: case folded, spaces collapsed
    ("Zoë  DUPONT" and "zoë dupont" are one person)."""
    return " ".join(name.casefold().split())


def name_fold(name: str) -> str:
    """`name_key` without accents nor hyphens: the spelling near-names are compared in
    ("Hélène  LAUDE" and "Helene Laude" fold alike)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name_key(name.replace("-", " ")))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance between `a` and `b` (insertions, deletions, substitutions of one
    character), or `limit + 1` as soon as it is known to be greater than `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(row) > limit:
            return limit + 1
        previous = row
    return min(previous[-1], limit + 1)


def near_limit(folded: str) -> int:
    """How many letters two spellings of a name may differ by and still be suspected of being
    one person: one for a short name (under 10 characters), two for a longer one."""
    return 1 if len(folded) < 10 else 2


def is_near(a: str, b: str) -> bool:
    """Two names that are not the same (`name_key`) but read as one person misspelled: equal
    once accents, case, hyphens and spacing are set aside, or one or two letters apart (one
    for short names); names whose digits differ never are ("Groupe 1", "Groupe 2")."""
    if name_key(a) == name_key(b):
        return False
    fa, fb = name_fold(a), name_fold(b)
    if [c for c in fa if c.isdigit()] != [c for c in fb if c.isdigit()]:
        return False
    limit = near_limit(min(fa, fb, key=len))
    return distance(fa, fb, limit) <= limit


def nearest(name: str, known: Iterable[str]) -> str | None:
    """Of the `known` names, the one `name` is nearest to (`is_near`), if any; None when
    `name` is one of them (the same `name_key`) or near none."""
    key = name_key(name)
    best, best_d = None, 3
    for other in known:
        if name_key(other) == key:
            return None
        if is_near(name, other):
            d = distance(name_fold(name), name_fold(other))
            if d < best_d:
                best, best_d = other, d
    return best


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


_RANK = re.compile(r"^\s*\d+[.)\u00ba]\s+")
_MULTI = re.compile(r"<multi>(.*?)</multi>", re.S | re.I)
_LANG_PART = re.compile(r"\[([a-z_]+)\]")


def shown_title(title: str, lang: str = "fr") -> str:
    """A SPIP title as the site shows it: its <multi> block in `lang` (else its first
    language), its rank prefix ("02. ") dropped, its entities read, its spaces collapsed."""
    import html

    def pick(m: re.Match) -> str:
        parts = _LANG_PART.split(m[1])
        texts = dict(zip(parts[1::2], parts[2::2], strict=False))
        return (texts.get(lang) or parts[0].strip() or next(iter(texts.values()), "")).strip()

    text = _MULTI.sub(pick, title) if "<" in title else title
    return " ".join(html.unescape(_RANK.sub("", text)).split())
