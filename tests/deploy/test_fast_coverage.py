"""tests/utils/fast_coverage.py records exactly what coverage.py's tracer records through titanoboa's plugin.

The test command measures the contracts' coverage without coverage.py's tracer (`record_directly`): the
lines of every executed pc are written into coverage.py's collector as its C tracer writes one call of
`Env._trace_cov`. Here a probe contract (branches, a loop, a multi-line statement, an internal function,
a revert, a call into a second contract that coverage.py's rules leave out) runs twice, each time in a fresh
process with a fresh `coverage.Coverage`: once through the tracer, once recorded directly. The two data
sets must be equal, arc for arc.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from deploy.protocol import ROOT

PROBE = """\
# pragma version ~=0.4.3
interface Callee:
    def double(x: uint256) -> uint256: view

callee: immutable(Callee)
total: public(uint256)


@deploy
def __init__(c: address):
    callee = Callee(c)


@internal
@pure
def _clip(x: uint256) -> uint256:
    if x > 10:
        return 10
    return x


@external
def run(x: uint256) -> uint256:
    assert x < 50, "probe: too big"
    acc: uint256 = 0
    for i: uint256 in range(x, bound=50):
        if i % 2 == 0:
            acc += i
        else:
            acc += 1
    self.total += (
        self._clip(acc)
        + staticcall callee.double(x)
    )
    return self.total
"""

CALLEE = """\
# pragma version ~=0.4.3
@external
@view
def double(x: uint256) -> uint256:
    if x == 0:
        return 0
    return 2 * x
"""

RUN = """\
import json, sys
import boa, coverage
from tests.utils import fast_coverage

measured, config, callee_path, mode = sys.argv[1:5]
cov = coverage.Coverage(data_file=None, config_file=config)
cov.start()
fast_coverage.install()
if mode == "direct":
    assert fast_coverage.record_directly(cov)
callee = boa.load(callee_path)
probe = boa.load(measured + "/Probe.vy", callee.address)
for x in (0, 1, 5, 12, 0):
    probe.run(x)
with boa.reverts("probe: too big"):
    probe.run(100)
cov.stop()
data = cov.get_data()
print(json.dumps({f: [sorted(data.arcs(f)), data.file_tracer(f)] for f in data.measured_files()}))
"""


def _measure(tmp_path, mode: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "BYZ_COV_TRACER"}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            RUN,
            str(tmp_path / "measured"),
            str(tmp_path / "coveragerc"),
            str(tmp_path / "Callee.vy"),
            mode,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_direct_recording_equals_the_tracer(tmp_path):
    (tmp_path / "measured").mkdir()
    (tmp_path / "measured" / "Probe.vy").write_text(PROBE)
    (tmp_path / "Callee.vy").write_text(CALLEE)  # executed, and omitted by the configuration
    (tmp_path / "coveragerc").write_text(
        f"[run]\nplugins = boa.coverage\nbranch = True\nsource = {tmp_path}\nomit = */Callee.vy\n"
    )
    traced = _measure(tmp_path, "tracer")
    direct = _measure(tmp_path, "direct")
    probe = str(tmp_path / "measured" / "Probe.vy")
    assert list(traced) == [probe]  # the callee runs, is omitted, in both ways
    arcs, plugin = traced[probe]
    assert plugin == "boa.coverage.TitanoboaPlugin"
    assert len({a for a, _ in arcs if a > 0}) > 10  # the probe's lines were seen
    assert direct == traced
