"""Every message of the tool's voice is marked for translation (issue 27).

The catalog tests (`test_i18n.py`) check that every *marked* message has its French; this one
fails on a message that was never marked, so that nothing the user reads stays English under
`LANG=fr_FR.UTF-8`. It reads the source as Python does and flags every string of at least two
words that is not:

- marked: inside `_()`, `N_()` or `ngettext()`;
- a docstring;
- words of the documents, which follow the group's language, not the user's: a table with
  both "fr" and "en" keys, or a branch on `lang == "fr"`/`"en"`;
- a pattern (an argument of `re.…`), an SQL statement, markup (`<…`), a comment written
  into a file (`# …`), or the message of a bug (TypeError, AttributeError, AssertionError,
  RuntimeError, NotImplementedError keep their traceback, in English);
- on a statement carrying a comment `# i18n: <why this is not the tool's voice>`.

Run it as a script to list what it flags: `python tests/test_messages_marked.py [PATH…]`.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "rencontres"
MARKS = {"_", "N_", "ngettext"}
BUGS = {"TypeError", "AttributeError", "AssertionError", "RuntimeError", "NotImplementedError"}
WORDS = re.compile(r"[^\W\d_]{2,}[ \t]+[^\W\d_]{2,}")
NOT_A_SENTENCE = re.compile(r"\s*(?:SELECT|PRAGMA|INSERT|UPDATE|DELETE|CREATE)\b|\s*<|# ")


def _mentions_lang(test: ast.expr) -> bool:
    names = {n.id for n in ast.walk(test) if isinstance(n, ast.Name)} | \
            {n.attr for n in ast.walk(test) if isinstance(n, ast.Attribute)}
    consts = {n.value for n in ast.walk(test) if isinstance(n, ast.Constant)}
    return any("lang" in n for n in names) and bool(consts & {"fr", "en"})


def _call_name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _exempt(node: ast.AST, parents: dict, lines: list[str]) -> bool:
    child, par = node, parents.get(node)
    while par is not None:
        if isinstance(par, ast.Call):
            name = _call_name(par)
            if name in MARKS or name in BUGS:
                return True
            f = par.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and \
                    f.value.id == "re":
                return True
        if isinstance(par, ast.Dict):
            keys = {k.value for k in par.keys if isinstance(k, ast.Constant)}
            if {"fr", "en"} <= keys:
                return True
        if isinstance(par, (ast.If, ast.IfExp)) and _mentions_lang(par.test) and child is not \
                par.test:
            return True
        child, par = par, parents.get(par)
    return _said_why(node, parents, lines)


def _said_why(node: ast.AST, parents: dict, lines: list[str]) -> bool:
    """A `# i18n: …` comment on the lines of the statement the string is in (of its header
    alone, for an `if`, a `for`, a `def`…: a comment never covers a whole block)."""
    stmt = node
    while not isinstance(stmt, ast.stmt):
        stmt = parents[stmt]
    body = getattr(stmt, "body", None)
    last = body[0].lineno - 1 if isinstance(body, list) and body else stmt.end_lineno
    return any("# i18n:" in line for line in lines[stmt.lineno - 1:max(last, stmt.lineno)])


def unmarked(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    lines = text.splitlines()
    parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                    ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            said = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                not isinstance(parents.get(node), ast.JoinedStr) and id(node) not in docstrings:
            said = node.value
        else:
            continue
        if not WORDS.search(said) or NOT_A_SENTENCE.match(said):
            continue
        if not _exempt(node, parents, lines):
            found.append((node.lineno, said))
    return sorted(found)


def test_every_message_is_marked_for_translation():
    flagged = [f"{path.relative_to(ROOT)}:{line}: {said[:70]!r}"
               for path in sorted(SOURCE.rglob("*.py")) for line, said in unmarked(path)]
    assert flagged == [], ("messages not marked for translation (wrap them in _(), or say "
                           "why they are not the tool's voice with '# i18n: …'):\n"
                           + "\n".join(flagged))


if __name__ == "__main__":
    targets = [Path(a) for a in sys.argv[1:]] or [SOURCE]
    files = sorted(p for t in targets for p in ([t] if t.is_file() else t.rglob("*.py")))
    for path in files:
        for line, said in unmarked(path):
            print(f"{path}:{line}: {said[:100]!r}")
