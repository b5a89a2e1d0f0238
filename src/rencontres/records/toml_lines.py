"""Where each key of a TOML text starts: key → line number.

A light scanner over the text, run only for a file that has problems (`locate`): a clean
archive never pays for it.
"""

from __future__ import annotations

import re

from rencontres.core.model import Problem
from rencontres.core.values import replace

Key = tuple[str | int, ...]


def line_of(text: str, pattern: str) -> int | None:
    """The line where `pattern` is first found (for what tomllib reports without one)."""
    found = re.search(pattern, text)
    return text.count("\n", 0, found.start()) + 1 if found else None


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=\s*(.*)$")


def _split_key(text: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", text)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def line_map(text: str) -> dict[Key, int]:
    """Where each key starts: {("participants", 1, "email"): 23, …}.

    A light scanner over the text, good for records written by people: table
    headers, arrays of tables and `key = value` lines, skipping multi-line strings
    and arrays. Keys inside inline tables take the line of their parent key.
    """
    lines: dict[Key, int] = {}
    counters: dict[Key, int] = {}
    prefix: Key = ()
    in_string: str | None = None
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if _closes(line, in_string):
                in_string = None
            continue
        if depth > 0:
            depth += _bracket_balance(line)
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            names = _split_key(header[2])
            resolved: list[str | int] = []
            for i, name in enumerate(names):
                resolved.append(name)
                if i < len(names) - 1 and tuple(resolved) in counters:
                    resolved.append(counters[tuple(resolved)])
            if header[1] == "[[":
                arr = tuple(resolved)
                counters[arr] = counters.get(arr, -1) + 1
                resolved.append(counters[arr])
            prefix = tuple(resolved)
            lines.setdefault(prefix, number)
            continue
        key = _KEY.match(line)
        if key:
            full = (*prefix, *_split_key(key[1]))
            lines.setdefault(full, number)
            value = key[2].strip()
            for quote in ('"""', "'''"):
                if value.startswith(quote) and not _closes(value[3:], quote):
                    in_string = quote
            if in_string is None and value.startswith("["):
                depth = _bracket_balance(value)
    return lines


def _closes(text: str, quote: str) -> bool:
    return quote in text.replace("\\\\", "").replace("\\" + quote[0], "")


def _bracket_balance(text: str) -> int:
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', "", text)
    text = text.split("#", 1)[0]
    return text.count("[") - text.count("]")


def locate(problems: list[Problem], text: str) -> list[Problem]:
    """Fill in the line of each problem that has a key, from the nearest known key."""
    if not any(p.line is None and p.key for p in problems):
        return problems
    lines = line_map(text)
    out = []
    for p in problems:
        if p.line is None and p.key:
            key = p.key
            while key and key not in lines:
                key = key[:-1]
            if key:
                p = replace(p, line=lines[key])
        out.append(p)
    return out
