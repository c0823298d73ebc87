"""The committed gas snapshot (tests/gas/snapshot.json) holds: no figure may grow by more than 2 %.

Gas is deterministic, so this compares numbers, never time. The snapshot holds the book sizes up to 1 000
bids in the five shapes (`random` and `adversarial` included) and books of 10 000 bids; the test command
measures every shape up to 1 000 bids (about 10 s of CPU a shape) and the staker side, and compares those
rows; `python -m tests.gas.benchmark --check` (the README's second command) compares them all, the books of
10 000 bids included. Each shape is a class of its own, so that xdist's `loadscope` spreads the shapes
over the workers. Regenerate after an intended change with `python -m tests.gas.benchmark --write` and
commit the new snapshot with the change.
"""

import json

import boa
import pytest

from tests.gas import benchmark

CI_SIZES = (0, 10, 100, 1_000)


@pytest.fixture(scope="module")
def snapshot():
    return json.loads(benchmark.SNAPSHOT.read_text())


def measure(**kwargs) -> dict[str, int]:
    # transaction boundaries invalidate anchors: measure in a throw-away environment of its own
    with boa.swap_env(boa.Env()):
        return benchmark.run(progress=print, **kwargs)


class Rows:
    """The snapshot's checks on one group of rows (`measured`, one class-scoped fixture per group)."""

    @pytest.mark.ignore_isolation
    def test_every_measured_row_is_in_the_snapshot(self, snapshot, measured):
        assert measured
        assert set(measured) <= set(snapshot), sorted(set(measured) - set(snapshot))

    @pytest.mark.ignore_isolation
    def test_no_figure_grew_beyond_tolerance(self, snapshot, measured):
        text, regressions = benchmark.diff({k: v for k, v in snapshot.items() if k in measured}, measured)
        print("\n" + text)
        assert not regressions, f"gas grew by more than {benchmark.TOLERANCE:.0%}: {regressions}"


class BookRows(Rows):
    shape: str

    @pytest.fixture(scope="class")
    @classmethod
    def measured(cls):
        rows = measure(sizes=CI_SIZES, shapes=(cls.shape,), staker_side=False)
        assert f"settle_cluster, {cls.shape}, book 1000" in rows
        return rows


class TestDistinct(BookRows):
    shape = "distinct"


class TestMixed(BookRows):
    shape = "mixed"


class TestStacked(BookRows):
    shape = "stacked"


class TestRandom(BookRows):
    shape = "random"


class TestAdversarial(BookRows):
    shape = "adversarial"


class TestStakerSide(Rows):
    @pytest.fixture(scope="class")
    @classmethod
    def measured(cls):
        return measure(sizes=(), shapes=(), staker_side=True)


def test_every_shape_is_measured_and_the_big_books_are_committed(snapshot):
    assert {cls.shape for cls in BookRows.__subclasses__()} == set(benchmark.SHAPES)
    assert any(", book 10000" in name for name in snapshot)


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
