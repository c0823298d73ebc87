"""Round trips of contracts/lib/stream_codec.vy (StakerRewards' packed words), through a test-only wrapper.

Every packable value unpacks to itself; every field one past its width is refused by `pack_*`.
"""

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rewards.rewards_helpers import S, c, helper

SETTINGS = settings(max_examples=60, deadline=None)


def bits(n):
    return st.integers(0, 2**n - 1)


addresses = st.binary(min_size=20, max_size=20).map(lambda b: boa.util.abi.Address("0x" + b.hex()))


@pytest.fixture(scope="module")
def codec():
    return helper("CodecHarness").deploy()


@SETTINGS
@given(funded=bits(96), renewals=bits(96), status=bits(8), size=bits(8))
def test_ledger_round_trip(codec, funded, renewals, status, size):
    x = (funded, renewals, status, size)
    word = codec.pack_ledger(x)
    assert tuple(codec.unpack_ledger(word)) == x
    assert word < 2**208


@SETTINGS
@given(rate=bits(80), start=bits(40), end=bits(40), accounted=bits(96))
def test_stream_round_trip(codec, rate, start, end, accounted):
    x = (rate, start, end, accounted)
    assert tuple(codec.unpack_stream(codec.pack_stream(x))) == x


@SETTINGS
@given(operator=addresses, vc=bits(72), days=bits(24))
def test_seat_round_trip(codec, operator, vc, days):
    x = (operator, vc, days)
    assert tuple(codec.unpack_seat(codec.pack_seat(x))) == x


@SETTINGS
@given(credited=bits(96), refunded=bits(96), dust=bits(64))
def test_tally_round_trip(codec, credited, refunded, dust):
    x = (credited, refunded, dust)
    assert tuple(codec.unpack_tally(codec.pack_tally(x))) == x


@SETTINGS
@given(ids=st.lists(bits(c.BID_ID_BITS), min_size=0, max_size=c.MAX_CLUSTER_SIZE))
def test_bid_ids_round_trip(codec, ids):
    words = codec.pack_bid_ids(ids)
    assert codec.unpack_bid_ids(words, len(ids)) == ids
    if len(ids) <= S["BID_IDS_PER_WORD"]:
        assert words[1] == 0


def test_zero_word_is_the_empty_struct(codec):
    assert tuple(codec.unpack_ledger(0)) == (0, 0, 0, 0)
    assert tuple(codec.unpack_stream(0)) == (0, 0, 0, 0)
    assert tuple(codec.unpack_tally(0)) == (0, 0, 0)


@pytest.mark.parametrize(
    "fn, value, reason",
    [
        ("pack_ledger", (2**96, 0, 0, 0), "funded"),
        ("pack_ledger", (0, 2**96, 0, 0), "renewals"),
        ("pack_ledger", (0, 0, 2**8, 0), "status"),
        ("pack_ledger", (0, 0, 0, 2**8), "size"),
        ("pack_stream", (2**80, 0, 0, 0), "rate"),
        ("pack_stream", (0, 2**40, 0, 0), "start"),
        ("pack_stream", (0, 0, 2**40, 0), "end"),
        ("pack_stream", (0, 0, 0, 2**96), "accounted"),
        ("pack_seat", ("0x" + "11" * 20, 2**72, 0), "vc"),
        ("pack_seat", ("0x" + "11" * 20, 0, 2**24), "days"),
        ("pack_tally", (2**96, 0, 0), "credited"),
        ("pack_tally", (0, 2**96, 0), "refunded"),
        ("pack_tally", (0, 0, 2**64), "dust"),
        ("pack_bid_ids", [2**40], "bid id"),
    ],
)
def test_out_of_range_refused(codec, fn, value, reason):
    with boa.reverts(f"stream_codec: {reason} out of range"):
        getattr(codec, fn)(value)
