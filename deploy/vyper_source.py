"""What the Vyper sources say about each function: its revert reasons (its own and those of the internal
and module functions it calls) and whether only the owner may call it.

Used by the contract reference (deploy/docs.py) and the revert audit (deploy/revert_audit.py). The sources
are read with Vyper's own parser; imports are followed into contracts/ and into snekmate (whose
`ownable._check_owner()` is how the suite restricts functions to the owner).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import snekmate
import vyper.ast as vy_ast

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"
SNEKMATE = Path(next(iter(snekmate.__path__))).resolve()  # a namespace package (no __init__)
OWNER_CHECK = "ownable: caller is not the owner"


@dataclass
class Function:
    """One function of one source file."""

    path: Path
    name: str
    external: bool
    line: int
    reasons: list[tuple[str, int]] = field(default_factory=list)  # its own (reason, line), in source order
    calls: list[tuple[Path, str]] = field(default_factory=list)  # internal/module functions it calls
    owner_check_first: bool = False  # a top-level owner check (not inside a branch)


@dataclass
class Module:
    """A parsed source: its functions and the module functions it exports."""

    path: Path
    functions: dict[str, Function]
    exports: dict[str, tuple[Path, str]]  # exported name -> (module path, function name)


def _find(importer: Path, module_name: str, package: str | None, level: int) -> Path | None:
    """The source of `from <package> import <module_name>` in `importer` (None for interfaces)."""
    parts = package.split(".") if package else []
    if level:  # relative: from the importer's folder, `level - 1` folders up
        base = importer.parent
        for _ in range(level - 1):
            base = base.parent
    elif parts and parts[0] == "snekmate":
        base, parts = SNEKMATE, parts[1:]
    else:
        base = CONTRACTS
    candidate = base.joinpath(*parts, f"{module_name}.vy")
    return candidate if candidate.exists() else None


def _aliases(path: Path, tree: vy_ast.Module) -> dict[str, Path]:
    """Imported module alias -> its source file."""
    out = {}
    for node in tree.get_children((vy_ast.ImportFrom, vy_ast.Import)):
        name = node.name.split(".")[-1]
        source = _find(path, name, getattr(node, "module", None), getattr(node, "level", 0) or 0)
        if source is not None:
            out[node.alias or name] = source
    return out


def _is_owner_check(stmt: vy_ast.VyperNode, aliases: dict[str, Path]) -> bool:
    call = stmt.value if isinstance(stmt, vy_ast.Expr) else None
    if not isinstance(call, vy_ast.Call) or not isinstance(call.func, vy_ast.Attribute):
        return False
    owner = call.func.value
    return (
        call.func.attr == "_check_owner"
        and isinstance(owner, vy_ast.Name)
        and (owner.id == "self" or aliases.get(owner.id, Path()).stem == "ownable")
    )


@cache
def parse(path: Path) -> Module:
    """Parse one source file."""
    tree = vy_ast.parse_to_ast(path.read_text(), source_id=0, resolved_path=str(path))
    aliases = _aliases(path, tree)
    functions = {}
    for fn in tree.get_children(vy_ast.FunctionDef):
        decorators = {d.id for d in fn.decorator_list if isinstance(d, vy_ast.Name)}
        f = Function(path, fn.name, "external" in decorators, fn.lineno)
        for node in fn.get_descendants((vy_ast.Assert, vy_ast.Raise)):
            msg = node.msg if isinstance(node, vy_ast.Assert) else node.exc
            if isinstance(msg, vy_ast.Str):
                f.reasons.append((msg.value, node.lineno))
        for call in fn.get_descendants(vy_ast.Call):
            func = call.func
            if isinstance(func, vy_ast.Attribute) and isinstance(func.value, vy_ast.Name):
                if func.value.id == "self":
                    f.calls.append((path, func.attr))
                elif func.value.id in aliases:
                    f.calls.append((aliases[func.value.id], func.attr))
        f.owner_check_first = any(_is_owner_check(stmt, aliases) for stmt in fn.body)
        functions[fn.name] = f
    exports: dict[str, tuple[Path, str]] = {}
    for decl in tree.get_children(vy_ast.ExportsDecl):
        for attr in [decl.annotation, *decl.annotation.get_descendants(vy_ast.Attribute)]:
            if isinstance(attr, vy_ast.Attribute) and isinstance(attr.value, vy_ast.Name):
                target = aliases.get(attr.value.id)
                if target is None:
                    continue
                if attr.attr == "__interface__":
                    for name, g in parse(target).functions.items():
                        if g.external:
                            exports[name] = (target, name)
                else:
                    exports[attr.attr] = (target, attr.attr)
    return Module(path, functions, exports)


def function(path: Path, name: str) -> Function | None:
    """The function `name` of the contract at `path`: defined there, or exported from a module."""
    module = parse(path)
    if name in module.functions:
        return module.functions[name]
    if name in module.exports:
        target, fn = module.exports[name]
        return parse(target).functions.get(fn)
    return None


def reasons(fn: Function) -> list[str]:
    """Every revert reason `fn` can raise itself or through the functions it calls, in order, once each.

    Calls into other contracts (`extcall`) are not followed: their reasons belong to those contracts.
    """
    seen: set[tuple[Path, str]] = set()
    out: list[str] = []

    def visit(f: Function) -> None:
        key = (f.path, f.name)
        if key in seen:
            return
        seen.add(key)
        out.extend(r for r, _ in f.reasons if r not in out)
        for path, name in f.calls:
            callee = parse(path).functions.get(name)
            if callee is not None:
                visit(callee)

    visit(fn)
    return out


def owner_only(fn: Function) -> bool:
    """True when `fn` checks, before anything else can branch, that the caller is the owner."""
    return fn.owner_check_first
