"""deploy/revert_audit.py: every revert reason in contracts/ is named by a test or listed as unreachable."""

from __future__ import annotations

from deploy.revert_audit import audit, main, reverts

CONTRACT = """
@external
def f(x: uint256):
    assert x > 0, "demo: zero"
    assert x < 10, (
        "demo: too big"
    )
    if x == 5:
        raise "demo: five"
    assert x != 7  # no reason: not counted
"""


def test_reasons_are_read_with_vyper_s_parser(tmp_path):
    (tmp_path / "Demo.vy").write_text(CONTRACT)
    found = reverts(tmp_path)
    assert [r.reason for r in found] == ["demo: zero", "demo: too big", "demo: five"]
    assert [r.function for r in found] == ["f"] * 3 and found[0].line == 4


def test_untested_listed_and_stale_reasons_are_told_apart(tmp_path):
    contracts, tests = tmp_path / "contracts", tmp_path / "tests"
    contracts.mkdir(), tests.mkdir()
    (contracts / "Demo.vy").write_text(CONTRACT)
    (tests / "test_demo.py").write_text(
        'with boa.reverts("demo: zero"): ...\n'
        'for what in ["five"]:\n    with boa.reverts(f"demo: {what}"): ...\n'
        'with boa.reverts(f"demo: too {size}"): ...\n'  # "big" is no literal of the file: not counted
    )
    listed = tmp_path / "unreachable.toml"
    listed.write_text('[unreachable]\n"demo: too big" = "x < 10 always"\n"demo: gone" = "removed"\n')
    result = audit(contracts, tests, listed)
    assert set(result.tested) == {"demo: zero", "demo: five"}
    assert set(result.listed) == {"demo: too big"}
    assert not result.untested
    assert set(result.stale) == {"demo: gone"} and not result.ok
    listed.write_text("")
    assert set(audit(contracts, tests, listed).untested) == {"demo: too big"}
    listed.write_text('[gaps]\n"demo: too big" = "not tested yet"\n"demo: zero" = "tested since"\n')
    result = audit(contracts, tests, listed)
    assert set(result.gaps) == {"demo: too big"} and not result.untested and result.ok
    assert set(result.notes) == {"demo: zero"}  # a gap that got its test: a note, not a failure


def test_every_revert_reason_is_tested_or_listed():
    """A new revert reason needs a test naming it, or an entry in deploy/unreachable_reverts.toml."""
    assert main(["--untested"]) == 0
