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
@given(
    status=bits(8),
    size=bits(8),
    ids=st.lists(bits(c.BID_ID_BITS), min_size=0, max_size=c.MAX_CLUSTER_SIZE),
    new_status=bits(8),
)
def test_cluster_words_round_trip(codec, status, size, ids, new_status):
    words = codec.pack_cluster((status, size), ids)
    assert tuple(codec.unpack_header(words[0])) == (status, size)
    assert codec.unpack_bid_ids(words, len(ids)) == ids
    if len(ids) <= S["BID_IDS_PER_WORD"]:
        assert words[1] == 0  # the second word is only written for a 7th seat
    # changing the status keeps the size and the ids
    word0 = codec.with_status(words[0], new_status)
    assert tuple(codec.unpack_header(word0)) == (new_status, size)
    assert codec.unpack_bid_ids([word0, words[1]], len(ids)) == ids


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
@given(credited=bits(96), renewals=bits(96), dust=bits(64))
def test_tally_round_trip(codec, credited, renewals, dust):
    x = (credited, renewals, dust)
    assert tuple(codec.unpack_tally(codec.pack_tally(x))) == x


def test_zero_word_is_the_empty_struct(codec):
    assert tuple(codec.unpack_header(0)) == (0, 0)
    assert tuple(codec.unpack_stream(0)) == (0, 0, 0, 0)
    assert tuple(codec.unpack_tally(0)) == (0, 0, 0)


@pytest.mark.parametrize(
    "fn, value, reason",
    [
        ("pack_cluster", ((2**8, 0), []), "status"),
        ("pack_cluster", ((0, 2**8), []), "size"),
        ("pack_cluster", ((1, 1), [2**40]), "bid id"),
        ("with_status", (0, 2**8), "status"),
        ("pack_stream", (2**80, 0, 0, 0), "rate"),
        ("pack_stream", (0, 2**40, 0, 0), "start"),
        ("pack_stream", (0, 0, 2**40, 0), "end"),
        ("pack_stream", (0, 0, 0, 2**96), "accounted"),
        ("pack_seat", ("0x" + "11" * 20, 2**72, 0), "vc"),
        ("pack_seat", ("0x" + "11" * 20, 0, 2**24), "days"),
        ("pack_tally", (2**96, 0, 0), "credited"),
        ("pack_tally", (0, 2**96, 0), "renewals"),
        ("pack_tally", (0, 0, 2**64), "dust"),
    ],
)
def test_out_of_range_refused(codec, fn, value, reason):
    args = value if fn in ("pack_cluster", "with_status") else (value,)
    with boa.reverts(f"stream_codec: {reason} out of range"):
        getattr(codec, fn)(*args)
