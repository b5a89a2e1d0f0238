"""The house's layers, read from the code: every import of every module points down.

    cli → (importer, site) → (entry, invite) → render → records → followup → core

A module may import from its own package or from a package of a lower layer, never up,
never sideways into another package of its own layer (a new capability goes in the right
layer: a mailbox reader in `invite/`, a SPIP client in `publish/`, a backup reader in
`importer/`). Only `cli/` imports typer or rich, prints, prompts or exits; an `__init__.py`
only re-exports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import rencontres

PACKAGE = Path(rencontres.__file__).parent

# A part of the package (a sub-package, or a module at the top) → its layer.
LAYERS = {
    "core": 0,
    "followup": 1,  # pure functions over the model; `records.archive` checks follow-ups with it
    "records": 2,
    "render": 3,
    "entry": 4,
    "invite": 4,
    "importer": 5,
    "site": 5,
    "publish": 5,
    "cli": 6,
    "__main__": 7,
}
UI = ("typer", "rich", "click")
# What only the command line may call: it alone prints, prompts and exits.
UI_CALLS = {"print", "input", "exit", "quit", "breakpoint"}
UI_ATTRS = {("sys", "exit"), ("os", "_exit")}


def _part(module: str) -> str:
    """`rencontres.records.store` → `records`; `rencontres` itself (its version) → ``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out.append((".".join(parts), path))
    return out


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, module imported) for every import, at any depth (lazy ones included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            if base == "rencontres" or (node.level and not node.module):
                # `from rencontres import followup`: the names may be modules
                found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names
                          if alias.name != "__version__"]
    return found


def _shown(path: Path) -> str:
    return "/".join(path.parts[-2:]) if not path.is_relative_to(PACKAGE) \
        else str(path.relative_to(PACKAGE))


def upward_imports(modules: list[tuple[str, Path]]) -> list[str]:
    bad = []
    for module, path in modules:
        mine, where = _part(module), _shown(path)
        for line, target in _imports(path, module):
            if target.split(".")[0] in UI and mine != "cli":
                bad.append(f"{where}:{line}: {target} outside cli/")
            if not target.startswith("rencontres.") or target == "rencontres.__version__":
                continue
            theirs = _part(target)
            if theirs == mine or theirs not in LAYERS:
                continue
            if mine not in LAYERS:
                bad.append(f"{where}: `{mine}` has no layer")
            elif LAYERS[theirs] >= LAYERS[mine]:
                way = "up" if LAYERS[theirs] > LAYERS[mine] else "sideways"
                bad.append(f"{where}:{line}: imports {target} ({way}: "
                           f"{mine} is layer {LAYERS[mine]}, {theirs} layer {LAYERS[theirs]})")
    return bad


def test_every_part_of_the_package_has_a_layer():
    parts = {_part(module) for module, _ in _modules()} - {""}
    assert parts <= set(LAYERS), parts - set(LAYERS)


def test_no_import_runs_up_or_sideways():
    assert upward_imports(_modules()) == []


def test_the_layering_check_fails_on_an_upward_import(tmp_path):
    """The check itself: a module of `records` importing the command line is caught, lazily
    or not, and so is typer below `cli/`."""
    bad = tmp_path / "rencontres" / "records" / "bad.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("def f():\n    from rencontres.cli.common import open_store\n"
                   "    import typer\n    from rencontres import site\n")
    found = upward_imports([("rencontres.records.bad", bad)])
    assert len(found) == 3, found
    assert "imports rencontres.cli.common (up" in found[0]
    assert "typer outside cli/" in found[1]
    assert "imports rencontres.site (up" in found[2]


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in UI_CALLS:
                yield node.lineno, f.id
            elif (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name)
                  and (f.value.id, f.attr) in UI_ATTRS):
                yield node.lineno, f"{f.value.id}.{f.attr}"


@pytest.mark.parametrize("module,path", [m for m in _modules() if _part(m[0]) not in
                                         ("cli", "__main__")], ids=lambda v: str(v))
def test_nothing_below_cli_prints_prompts_or_exits(module, path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert list(_calls(tree)) == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("__init__.py")), ids=str)
def test_init_files_only_re_export(path):
    """An `__init__.py` holds a docstring, imports, `__all__` and the version: no code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Assign) and all(
                isinstance(t, ast.Name) and t.id in ("__all__", "__version__")
                for t in node.targets):
            continue
        raise AssertionError(f"{path.relative_to(PACKAGE)}:{node.lineno}: "
                             f"{type(node).__name__} in an __init__.py (move it to a module)")


def test_no_module_is_named_like_the_standard_library_or_a_dependency():
    import sys

    taken = set(sys.stdlib_module_names) | {"typer", "rich", "icalendar", "tomli", "tomli_w",
                                            "markdown_it", "pyromark", "click"}
    names = {path.stem for path in PACKAGE.rglob("*.py")} - {"__init__", "__main__"}
    # a module of ours shadowing another only matters at the top of a package's imports;
    # `calendar.py` was one, `html.py` under render/ is spelled `render.html` everywhere
    assert names & taken <= {"html"}, names & taken


def test_no_module_over_450_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450}
    assert long == {}


def test_no_function_of_the_command_line_over_80_lines():
    """A command reads flags or asks, then calls the layers below: it stays short."""
    long = {}
    for path in (PACKAGE / "cli").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                if node.end_lineno - start + 1 > 80:
                    long[f"{path.name}:{node.name}"] = node.end_lineno - start + 1
    assert long == {}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


@pytest.mark.parametrize("module,path", [m for m in _modules() if _part(m[0]) not in
                                         ("cli", "__main__")], ids=lambda v: str(v))
def test_nothing_below_cli_names_a_flag(module, path):
    """Library errors carry values; `cli/` words them with the flag that gave the value."""
    import re

    flag = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    named = [(node.lineno, node.value) for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and id(node) not in docs and flag.search(node.value)]
    assert named == []
