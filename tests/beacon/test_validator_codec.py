"""validator_codec: the EigenPod's packed per-validator word round-trips and rejects out-of-range fields."""

from __future__ import annotations

from pathlib import Path

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

U64 = st.integers(0, 2**64 - 1)


@pytest.fixture(scope="module")
def codec():
    return boa.load(str(Path(__file__).parent / "CodecHarness.vy"))


@settings(max_examples=100, deadline=None)
@given(index=U64, balance=U64, timestamp=U64, status=st.integers(0, 255))
def test_round_trip(codec, index, balance, timestamp, status):
    word = codec.pack((index, balance, timestamp, status))
    assert word == index | balance << 64 | timestamp << 128 | status << 192
    assert tuple(codec.unpack(word)) == (index, balance, timestamp, status)


@settings(max_examples=50, deadline=None)
@given(word=st.integers(0, 2**200 - 1))
def test_unpack_then_pack_is_identity(codec, word):
    assert codec.pack(tuple(codec.unpack(word))) == word


@pytest.mark.parametrize(
    "fields, reason",
    [
        ((2**64, 0, 0, 0), "validator_index"),
        ((0, 2**64, 0, 0), "balance"),
        ((0, 0, 2**64, 0), "timestamp"),
        ((0, 0, 0, 256), "status"),
    ],
)
def test_out_of_range_rejected(codec, fields, reason):
    with boa.reverts(f"validator_codec: {reason} out of range"):
        codec.pack(fields)
