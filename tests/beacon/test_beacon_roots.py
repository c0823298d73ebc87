"""BeaconRoots: the EIP-4788 ring buffer, written by the system address, read with raw 32-byte calldata."""

from __future__ import annotations

import boa
import pytest
from eth.exceptions import Revert
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy.sim.system_calls import (
    HISTORY_BUFFER_LENGTH,
    SYSTEM_ADDRESS,
    post_beacon_root,
    read_beacon_root,
    revert_reason,
)

# A caller written exactly as for the real predeploy (docs/protocol.md §9): raw static call, own reason.
READER = """
# pragma version ~=0.4.3
@external
@view
def root_at(beacon_roots: address, timestamp: uint256) -> bytes32:
    ok: bool = False
    out: Bytes[32] = b""
    ok, out = raw_call(
        beacon_roots, abi_encode(timestamp), max_outsize=32, is_static_call=True, revert_on_failure=False
    )
    assert ok and len(out) == 32, "reader: unknown beacon root"
    return convert(out, bytes32)
"""


def raw_reason(fn, *args) -> str:
    with pytest.raises(Revert) as info:
        fn(*args)
    return revert_reason(info.value)


@pytest.fixture(scope="module")
def reader():
    return boa.loads(READER)


def test_system_address_writes_and_anyone_reads(beacon_roots, reader, staker):
    boa.env.time_travel(seconds=12)
    root = bytes(range(32))
    computation = boa.env.raw_call(beacon_roots.address, sender=SYSTEM_ADDRESS, data=root)
    timestamp = boa.env.evm.patch.timestamp
    ((_, topics, data),) = computation.get_log_entries()
    assert topics[1] == timestamp and data == root  # BeaconRootStored(timestamp, root)
    assert read_beacon_root(beacon_roots, timestamp) == root
    assert reader.root_at(beacon_roots.address, timestamp) == root
    # a read is a read whoever sends it
    out = boa.env.raw_call(beacon_roots.address, sender=staker, data=timestamp.to_bytes(32, "big")).output
    assert bytes(out) == root


def test_unknown_timestamp_reverts(beacon_roots, reader):
    boa.env.time_travel(seconds=12)
    timestamp = post_beacon_root(beacon_roots, b"\x01" * 32)
    for other in (timestamp - 1, timestamp + 1, timestamp + HISTORY_BUFFER_LENGTH):
        assert raw_reason(read_beacon_root, beacon_roots, other) == "beacon_roots: unknown timestamp"
        with boa.reverts("reader: unknown beacon root"):
            reader.root_at(beacon_roots.address, other)
    assert raw_reason(read_beacon_root, beacon_roots, 0) == "beacon_roots: zero timestamp"


@pytest.mark.parametrize("length", [0, 1, 31, 33, 36, 64])
def test_wrong_calldata_length_reverts(beacon_roots, length):
    boa.env.time_travel(seconds=12)
    post_beacon_root(beacon_roots, b"\x02" * 32)
    assert (
        raw_reason(boa.env.raw_call, beacon_roots.address, None, None, 0, b"\x00" * length)
        == "beacon_roots: calldata must be 32 bytes"
    )
    assert (
        raw_reason(boa.env.raw_call, beacon_roots.address, SYSTEM_ADDRESS, None, 0, b"\x00" * length)
        == "beacon_roots: root must be 32 bytes"
    ) or length == 32


def test_non_system_caller_cannot_write(beacon_roots, staker):
    boa.env.time_travel(seconds=12)
    now = boa.env.evm.patch.timestamp
    # 32 bytes from anyone else are a read of that "timestamp": it reverts and stores nothing
    with pytest.raises(Revert):
        boa.env.raw_call(beacon_roots.address, sender=staker, data=b"\x07" * 32)
    assert raw_reason(read_beacon_root, beacon_roots, now) == "beacon_roots: unknown timestamp"


def test_ring_buffer_overwrites_after_8191_seconds(beacon_roots):
    boa.env.time_travel(seconds=12)
    old = post_beacon_root(beacon_roots, b"\x03" * 32)
    boa.env.time_travel(seconds=HISTORY_BUFFER_LENGTH - 1)
    kept = post_beacon_root(beacon_roots, b"\x04" * 32)
    assert read_beacon_root(beacon_roots, old) == b"\x03" * 32  # another slot: both still known
    boa.env.time_travel(seconds=1)
    new = post_beacon_root(beacon_roots, b"\x05" * 32)
    assert new == old + HISTORY_BUFFER_LENGTH
    assert read_beacon_root(beacon_roots, new) == b"\x05" * 32
    assert read_beacon_root(beacon_roots, kept) == b"\x04" * 32
    assert raw_reason(read_beacon_root, beacon_roots, old) == "beacon_roots: unknown timestamp"


def test_same_timestamp_rewritten(beacon_roots):
    boa.env.time_travel(seconds=12)
    t = post_beacon_root(beacon_roots, b"\x06" * 32)
    assert post_beacon_root(beacon_roots, b"\x08" * 32) == t
    assert read_beacon_root(beacon_roots, t) == b"\x08" * 32


def test_rejects_ether(beacon_roots, staker):
    with pytest.raises(Revert):
        boa.env.raw_call(beacon_roots.address, sender=staker, value=1, data=b"\x00" * 32)


@settings(max_examples=25, deadline=None)
@given(gaps=st.lists(st.integers(1, 3 * HISTORY_BUFFER_LENGTH), min_size=1, max_size=6))
def test_matches_a_ring_buffer_model(beacon_roots, gaps):
    model: dict[int, bytes] = {}  # slot -> (timestamp, root)
    posted = []
    for i, gap in enumerate(gaps):
        boa.env.time_travel(seconds=gap)
        root = bytes([i + 1]) * 32
        t = post_beacon_root(beacon_roots, root)
        model[t % HISTORY_BUFFER_LENGTH] = (t, root)
        posted.append(t)
    for t in posted:
        stored_t, root = model[t % HISTORY_BUFFER_LENGTH]
        if stored_t == t:
            assert read_beacon_root(beacon_roots, t) == root
        else:
            assert raw_reason(read_beacon_root, beacon_roots, t) == "beacon_roots: unknown timestamp"
