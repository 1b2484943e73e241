"""Fingerprints of exactly the code a cached stage runs.

A stage is named by its entry module (`tally.extract`, `tally.reconcile`). Its fingerprint is the
sha256 of the source of every `tally` module that entry module imports, directly or through
others (found by reading the import statements, not by importing), with the packages that hold
them. Editing a reconciliation rule changes the reconciliation stage's fingerprint and not the
extraction's; editing the CLI changes neither.
"""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path

PACKAGE = "tally"
ROOT = Path(__file__).resolve().parent.parent  # the tally package folder


def _file(module: str, root: Path) -> Path | None:
    """The source file of a `tally...` module under `root`, or None for anything else."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = root.joinpath(*parts[1:])
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _type_checking(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:`: imports for the type checker only, never run."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of `tree` but those under `if TYPE_CHECKING:`."""
    out, todo = [], [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if _type_checking(node):
            assert isinstance(node, ast.If)
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


def _imports(path: Path, module: str) -> frozenset[str]:
    """The modules `path` imports, with `from x import y` also giving `x.y` (y may be a module);
    parsed once per process and version of the file (the two stages' closures share most modules)."""
    st = path.stat()
    return _parsed_imports(path, module, st.st_mtime_ns, st.st_size)


@cache
def _parsed_imports(path: Path, module: str, _mtime_ns: int, _size: int) -> frozenset[str]:
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in _nodes(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return frozenset(found)


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def closure(entry: str, root: Path = ROOT) -> dict[str, Path]:
    """Every `tally` module that importing `entry` runs: module name -> source file."""
    seen: dict[str, Path] = {}
    todo = [entry]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        path = _file(module, root)
        if path is None:
            continue
        seen[module] = path
        todo.extend(_parents(module))
        todo.extend(m for m in _imports(path, module) if m.split(".")[0] == PACKAGE)
    return seen


def fingerprint(entry: str, root: Path = ROOT) -> str:
    """sha256 (16 hex digits) over the names and bytes of the modules in `closure(entry)`."""
    h = hashlib.sha256(entry.encode())
    for module, path in sorted(closure(entry, root).items()):
        h.update(module.encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


@cache
def stage_fingerprint(entry: str) -> str:
    """The fingerprint of the installed code, computed once per process."""
    return fingerprint(entry)
