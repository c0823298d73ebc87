"""House style of every Vyper file: mamushi formatting, decorator order and the license header.

Covers contracts/ (.vy and .vyi) and the Vyper test doubles under tests/. `mamushi` is pinned in the test
extras and runs from the same environment as pytest (next to sys.executable).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAMUSHI = Path(sys.executable).with_name("mamushi")
FILES = sorted(
    [*ROOT.glob("contracts/**/*.vy"), *ROOT.glob("contracts/**/*.vyi"), *ROOT.glob("tests/**/*.vy")]
)
VISIBILITY = {"@external", "@internal", "@deploy"}
MUTABILITY = {"@view", "@pure", "@payable", "@nonpayable"}


def _rank(decorator: str) -> int:
    """0 for visibility, 1 for mutability, 2 for anything else (`@nonreentrant`, `@reentrant`, ...)."""
    name = decorator.split("(")[0].strip()
    return 0 if name in VISIBILITY else 1 if name in MUTABILITY else 2


def decorator_blocks(source: str) -> list[tuple[int, list[str]]]:
    """(line number of the `def`, its decorators) for every decorated function of a Vyper source."""
    blocks, pending = [], []
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("@") and line[: len(line) - len(line.lstrip())] == "":
            pending.append(stripped)
        elif stripped.startswith("def ") and pending:
            blocks.append((number, pending))
            pending = []
        elif stripped and not stripped.startswith("#"):
            pending = []
    return blocks


def misordered(source: str) -> list[str]:
    """`line N: @a @b` for every decorator block where visibility does not come first, then mutability."""
    return [
        f"line {n}: {' '.join(block)}"
        for n, block in decorator_blocks(source)
        if [_rank(d) for d in block] != sorted(_rank(d) for d in block)
    ]


def test_the_file_list_covers_contracts_interfaces_and_doubles():
    names = {f.relative_to(ROOT).as_posix() for f in FILES}
    assert "contracts/operator/Auction.vy" in names
    assert "contracts/interfaces/IAuction.vyi" in names
    assert any(n.startswith("tests/") for n in names)


def test_decorator_parser_reads_blocks_and_flags_a_wrong_order():
    source = "@view\n@external\ndef a() -> uint256:\n    return 1\n\n\n@external\n@view\ndef b():\n    pass\n"
    assert decorator_blocks(source) == [(3, ["@view", "@external"]), (9, ["@external", "@view"])]
    assert misordered(source) == ["line 3: @view @external"]
    assert misordered("@internal\n@pure\n@nonreentrant\ndef c():\n    pass\n") == []
    assert misordered("@nonreentrant\n@external\ndef d():\n    pass\n") == ["line 3: @nonreentrant @external"]


def test_decorators_are_ordered_visibility_then_mutability():
    bad = {f.relative_to(ROOT).as_posix(): wrong for f in FILES if (wrong := misordered(f.read_text()))}
    rule = "visibility first, then mutability, then the rest"
    assert not bad, f"decorators out of order ({rule}):\n" + "\n".join(
        f"{path}: {'; '.join(lines)}" for path, lines in bad.items()
    )


HEADER_TAGS = ("@title ", "@custom:contract-name ", "@license MIT")


def header_gaps(source: str) -> list[str]:
    """What a Vyper source lacks of the header: the pragma first, then a docstring with the three tags."""
    gaps = (
        [] if source.startswith("# pragma version ~=0.4.3\n") else ["first line `# pragma version ~=0.4.3`"]
    )
    body = "\n".join(line for line in source.splitlines() if not line.startswith("#")).lstrip()
    docstring = body.split('"""')[1] if body.startswith('"""') else ""
    return gaps + [f"`{tag.strip()}` in the module docstring" for tag in HEADER_TAGS if tag not in docstring]


def test_header_check_reads_the_module_docstring():
    good = '# pragma version ~=0.4.3\n"""\n@title X\n@custom:contract-name X\n@license MIT\n"""\n'
    assert header_gaps(good) == []
    assert header_gaps("# X: an interface\n@external\ndef f():\n    ...\n") == [
        "first line `# pragma version ~=0.4.3`",
        *(f"`{tag.strip()}` in the module docstring" for tag in HEADER_TAGS),
    ]


def test_every_file_has_the_pragma_and_license_header():
    bad = {f.relative_to(ROOT).as_posix(): gaps for f in FILES if (gaps := header_gaps(f.read_text()))}
    rule = "the pragma first, then a docstring with " + ", ".join(tag.strip() for tag in HEADER_TAGS)
    assert not bad, f"header gaps ({rule}):\n" + "\n".join(
        f"{path}: {', '.join(gaps)}" for path, gaps in bad.items()
    )


def test_vyper_files_are_formatted_with_mamushi():
    assert MAMUSHI.exists(), f"{MAMUSHI} is missing: install the test extras (pip install -e '.[test]')"
    result = subprocess.run(
        [str(MAMUSHI), "--check", *(str(f) for f in FILES)], cwd=ROOT, capture_output=True, text=True
    )
    would = sorted(
        line.removeprefix("would reformat ").strip()
        for line in (result.stdout + result.stderr).splitlines()
        if line.startswith("would reformat")
    )
    assert result.returncode == 0, (
        "mamushi would reformat (run `.venv/bin/mamushi FILES`):\n"
        + "\n".join(str(Path(w).resolve().relative_to(ROOT)) if Path(w).is_absolute() else w for w in would)
        + ("\n" + result.stderr if not would else "")
    )
