"""Every revert reason in contracts/, and whether a test reaches it.

    python -m deploy.revert_audit            # the table; exit 1 if a reason is neither tested nor listed
    python -m deploy.revert_audit --untested # only the reasons no test names

A reason counts as tested when a test file under tests/ names it: as a string literal (in practice inside
`boa.reverts("...")`), or as an f-string whose gaps are filled by literals of the same file
(`boa.reverts(f"codec: {field} out of range")` with `"rate"` in its parametrize list). Reasons no test can
reach are listed, each with why, in `deploy/unreachable_reverts.toml`; a listed reason that a test does
reach, or that no contract has any more, is reported as stale. The contracts are parsed with Vyper's own
parser (`assert ..., "reason"` and `raise "reason"`), so multi-line asserts count and comments do not;
the parser is imported when the contracts are read, so `--help` answers at once (deploy/lazy.py).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"
TESTS = ROOT / "tests"
UNREACHABLE = Path(__file__).resolve().parent / "unreachable_reverts.toml"


@dataclass(frozen=True)
class Revert:
    """One revert reason at one place."""

    reason: str
    path: str  # relative to the repository
    line: int
    function: str


def reverts(root: Path = CONTRACTS) -> list[Revert]:
    """Every `assert ..., "reason"` and `raise "reason"` in the Vyper sources under `root`."""
    from deploy.vyper_source import parse

    out = []
    for path in sorted(root.rglob("*.vy")):
        rel = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        for fn in parse(path.resolve()).functions.values():
            out += [Revert(reason, rel, line, fn.name) for reason, line in fn.reasons]
    return sorted(out, key=lambda r: (r.path, r.line))


@dataclass
class TestStrings:
    """The string literals of the Python files under tests/, and their f-string templates."""

    literals: set[str]
    templates: list[tuple[re.Pattern, set[str]]]  # (template as a regex, the literals of its file)

    def names(self, reason: str) -> bool:
        """A test names `reason`: as a literal, or as an f-string (`f"codec: {field} out of range"`) whose
        every gap is filled by a literal of the same file (`"rate"` in a parametrize list)."""
        if reason in self.literals:
            return True
        for pattern, literals in self.templates:
            match = pattern.fullmatch(reason)
            if match and all(gap in literals for gap in match.groups()):
                return True
        return False


def test_strings(root: Path = TESTS) -> TestStrings:
    """Collect the string literals and f-string templates of every Python file under `root`."""
    everything: set[str] = set()
    templates = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text())
        literals = {
            n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
        everything |= literals
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and any(
                isinstance(v, ast.FormattedValue) for v in node.values
            ):
                regex = "".join(
                    re.escape(v.value) if isinstance(v, ast.Constant) else "(.+?)" for v in node.values
                )
                templates.append((re.compile(regex), literals))
    return TestStrings(everything, templates)


def unreachable(path: Path = UNREACHABLE, table: str = "unreachable") -> dict[str, str]:
    """Listed reasons -> why: `[unreachable]` (no test can reach them) or `[gaps]` (reachable, not tested
    yet: a known debt, listed so that CI fails only on new ones)."""
    if not path.exists():
        return {}
    return dict(tomllib.loads(path.read_text()).get(table, {}))


@dataclass
class Audit:
    """The result: reasons tested, listed as unreachable, listed as known gaps, untested; stale entries
    (failing) and notes (a gap now tested or gone: remove it from the list)."""

    tested: dict[str, list[Revert]]
    listed: dict[str, list[Revert]]
    untested: dict[str, list[Revert]]
    stale: dict[str, str]  # listed reason -> why it is stale
    gaps: dict[str, list[Revert]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.untested and not self.stale


def audit(root: Path = CONTRACTS, tests: Path = TESTS, listed_path: Path = UNREACHABLE) -> Audit:
    """Classify every revert reason of the contracts."""
    strings, listed = test_strings(tests), unreachable(listed_path)
    gaps = unreachable(listed_path, "gaps")
    by_reason: dict[str, list[Revert]] = {}
    for r in reverts(root):
        by_reason.setdefault(r.reason, []).append(r)
    result = Audit({}, {}, {}, {})
    for reason, places in by_reason.items():
        if strings.names(reason):
            result.tested[reason] = places
            if reason in listed:
                result.stale[reason] = "listed as unreachable, but a test names it"
        elif reason in listed:
            result.listed[reason] = places
        elif reason in gaps:
            result.gaps[reason] = places
        else:
            result.untested[reason] = places
    for reason in listed:
        if reason not in by_reason:
            result.stale[reason] = "listed as unreachable, but no contract has it any more"
    for reason in gaps:
        if reason not in result.gaps:
            result.notes[reason] = "listed as a gap, but it is tested now or gone: remove it from the list"
    return result


def where(places: list[Revert]) -> str:
    """`file:line (function)` of the first place, `+N` for the others."""
    first = places[0]
    more = f" +{len(places) - 1}" if len(places) > 1 else ""
    return f"{Path(first.path).name}:{first.line} {first.function}(){more}"


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns 0 when every reason is tested or listed, 1 otherwise."""
    parser = argparse.ArgumentParser(
        prog="python -m deploy.revert_audit", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--untested", action="store_true", help="only list the reasons no test names")
    args = parser.parse_args(argv)
    result = audit()
    groups = [("GAP", result.gaps), ("UNTESTED", result.untested)]
    if not args.untested:
        groups = [("tested", result.tested), ("unreachable", result.listed), *groups]
    for status, reasons in groups:
        for reason, places in sorted(reasons.items()):
            print(f"{status:<11}  {reason}  [{where(places)}]")
    for reason, why in sorted(result.stale.items()):
        print(f"{'STALE':<11}  {reason}: {why} (edit {UNREACHABLE.relative_to(ROOT)})")
    for reason, why in sorted(result.notes.items()):
        print(f"{'note':<11}  {reason}: {why}")
    total = len(result.tested) + len(result.listed) + len(result.gaps) + len(result.untested)
    print(
        f"\n{total} revert reasons: {len(result.tested)} tested, {len(result.listed)} unreachable "
        f"(with why), {len(result.gaps)} known gaps (listed, not tested yet), {len(result.untested)} "
        f"untested and unlisted; {len(result.stale)} stale list entries"
    )
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
