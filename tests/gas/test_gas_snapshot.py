"""The committed gas snapshot (tests/gas/snapshot.json) holds: no figure may grow by more than 2 %.

Gas is deterministic, so this compares numbers, never time. The snapshot holds the book sizes up to 1 000
bids in the five shapes (`random` and `adversarial` included) and books of 10 000 bids; the test command
measures the sizes up to 100 (under a minute) and the staker side, and compares those rows;
`python -m tests.gas.benchmark --check` (the README's second command) compares them all, the books of
1 000 and 10 000 bids included (building a 1 000-bid book in five shapes took 2.5 of the test command's
minutes). Regenerate after an intended change with
`python -m tests.gas.benchmark --write` and commit the new snapshot with the change.
"""

import json

import boa
import pytest

from tests.gas import benchmark

CI_SIZES = (0, 10, 100)


@pytest.fixture(scope="module")
def snapshot():
    return json.loads(benchmark.SNAPSHOT.read_text())


@pytest.fixture(scope="module")
def measured():
    # transaction boundaries invalidate anchors: measure in a throw-away environment of its own
    with boa.swap_env(boa.Env()):
        return benchmark.run(sizes=CI_SIZES, progress=print)


@pytest.mark.ignore_isolation
def test_every_measured_row_is_in_the_snapshot(snapshot, measured):
    assert set(measured) <= set(snapshot), sorted(set(measured) - set(snapshot))
    assert any(", book 10000" in name for name in snapshot)  # the big books are committed too


@pytest.mark.ignore_isolation
def test_no_figure_grew_beyond_tolerance(snapshot, measured):
    text, regressions = benchmark.diff({k: v for k, v in snapshot.items() if k in measured}, measured)
    print("\n" + text)
    assert not regressions, f"gas grew by more than {benchmark.TOLERANCE:.0%}: {regressions}"


def test_diff_flags_a_regression_and_only_that():
    text, regressions = benchmark.diff({"a": 100, "b": 100, "gone": 5}, {"a": 103, "b": 90, "new": 7})
    assert regressions == ["a"]
    assert "REGRESSION" in text and "better" in text and "gone" in text and "new" in text


def test_check_summary_counts_rows_and_regressions():
    snapshot = {"a": 100, "b": 100, "c": 100}
    assert benchmark.check_summary(snapshot, {"a": 100, "b": 99}, []) == "2 rows, 0 regressions above 2 %"
    line = benchmark.check_summary(snapshot, {"a": 103, "b": 100, "d": 5}, ["a"])
    assert line == (
        "2 rows, 1 regression above 2 %; 1 new (not in the snapshot: --write adds them); regressed: a"
    )
