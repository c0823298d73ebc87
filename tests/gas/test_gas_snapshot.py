"""The committed gas snapshot (tests/gas/snapshot.json) holds: no figure may grow by more than 2 %.

Gas is deterministic, so this compares numbers, never time. Regenerate after an intended change with
`python -m tests.gas.benchmark --write` and commit the new snapshot with the change.
"""

import json

import boa
import pytest

from tests.gas import benchmark

TOLERANCE = 0.02


@pytest.fixture(scope="module")
def snapshot():
    return json.loads(benchmark.SNAPSHOT.read_text())


@pytest.fixture(scope="module")
def measured(snapshot):
    # transaction boundaries invalidate anchors: measure in a throw-away environment of its own
    with boa.swap_env(boa.Env()):
        return benchmark.run(progress=print)


@pytest.mark.ignore_isolation
def test_every_snapshot_row_is_measured(snapshot, measured):
    assert set(measured) == set(snapshot)


@pytest.mark.ignore_isolation
def test_no_figure_grew_beyond_tolerance(snapshot, measured):
    print("\n" + benchmark.table(measured))
    grown = {
        name: (snapshot[name], gas)
        for name, gas in measured.items()
        if name in snapshot and gas > snapshot[name] * (1 + TOLERANCE)
    }
    assert not grown, f"gas grew by more than {TOLERANCE:.0%} (snapshot, now): {grown}"
