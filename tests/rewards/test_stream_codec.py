"""Round trips of contracts/lib/stream_codec.vy (StakerRewards' packed words), through a test-only wrapper.

Every packable value unpacks to itself; every field one past its width is refused by `pack_*`; a commitment
matches its own seats and no others.
"""

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rewards.rewards_helpers import c, helper
from tests.utils.seats import seats_hash

SETTINGS = settings(max_examples=60, deadline=None)


def bits(n):
    return st.integers(0, 2**n - 1)


addresses = st.binary(min_size=20, max_size=20).map(lambda b: boa.util.abi.Address("0x" + b.hex()))


@pytest.fixture(scope="module")
def codec():
    return helper("CodecHarness").deploy()


seats = st.lists(
    st.tuples(bits(c.ID_BITS), addresses, bits(72), bits(16)), min_size=1, max_size=c.MAX_CLUSTER_SIZE
)


@SETTINGS
@given(seats=seats, status=bits(8), new_status=bits(8))
def test_commitment_round_trip(codec, seats, status, new_status):
    word = codec.pack_commitment(seats, status)
    assert codec.unpack_status(word) == status
    assert codec.seats_match(word, seats)
    # the hash of the seats is `keccak256(abi_encode(seats))` with its status byte cleared (deploy/seats.py)
    assert (word >> 8) << 8 == codec.seats_hash(seats) == int.from_bytes(seats_hash(seats), "big")
    # changing the status keeps the hash
    word2 = codec.with_status(word, new_status)
    assert codec.unpack_status(word2) == new_status and codec.seats_match(word2, seats)


@SETTINGS
@given(
    seats=seats,
    index=st.integers(0, c.MAX_CLUSTER_SIZE - 1),
    field=st.integers(0, 3),
    delta=st.integers(1, 9),
)
def test_other_seats_do_not_match(codec, seats, index, field, delta):
    word = codec.pack_commitment(seats, 1)
    changed = [list(s) for s in seats]
    i = index % len(seats)
    if field == 1:
        changed[i][1] = "0x" + format(int(changed[i][1], 16) ^ delta, "040x")
    else:
        changed[i][field] += delta
    assert not codec.seats_match(word, [tuple(s) for s in changed])
    assert not codec.seats_match(word, seats[:-1] if len(seats) > 1 else seats * 2)


@SETTINGS
@given(rate=bits(80), start=bits(40), end=bits(40), accounted=bits(96))
def test_stream_round_trip(codec, rate, start, end, accounted):
    x = (rate, start, end, accounted)
    assert tuple(codec.unpack_stream(codec.pack_stream(x))) == x


@SETTINGS
@given(credited=bits(96), renewals=bits(96), dust=bits(64))
def test_tally_round_trip(codec, credited, renewals, dust):
    x = (credited, renewals, dust)
    assert tuple(codec.unpack_tally(codec.pack_tally(x))) == x


@SETTINGS
@given(accounted=bits(96), rotated_in=bits(80), refunded=bits(80))
def test_carry_round_trip(codec, accounted, rotated_in, refunded):
    x = (accounted, rotated_in, refunded)
    assert tuple(codec.unpack_carry(codec.pack_carry(x))) == x


def test_zero_word_is_the_empty_struct(codec):
    assert codec.unpack_status(0) == 0
    assert tuple(codec.unpack_stream(0)) == (0, 0, 0, 0)
    assert tuple(codec.unpack_tally(0)) == (0, 0, 0)
    assert tuple(codec.unpack_carry(0)) == (0, 0, 0)


@pytest.mark.parametrize(
    "fn, value, reason",
    [
        ("pack_commitment", ([(1, "0x" + "11" * 20, 1, 1)], 2**8), "status"),
        ("with_status", (0, 2**8), "status"),
        ("pack_stream", (2**80, 0, 0, 0), "rate"),
        ("pack_stream", (0, 2**40, 0, 0), "start"),
        ("pack_stream", (0, 0, 2**40, 0), "end"),
        ("pack_stream", (0, 0, 0, 2**96), "accounted"),
        ("pack_tally", (2**96, 0, 0), "credited"),
        ("pack_tally", (0, 2**96, 0), "renewals"),
        ("pack_tally", (0, 0, 2**64), "dust"),
        ("pack_carry", (2**96, 0, 0), "accounted"),
        ("pack_carry", (0, 2**80, 0), "rotated_in"),
        ("pack_carry", (0, 0, 2**80), "refunded"),
    ],
)
def test_out_of_range_refused(codec, fn, value, reason):
    args = value if fn in ("pack_commitment", "with_status") else (value,)
    with boa.reverts(f"stream_codec: {reason} out of range"):
        getattr(codec, fn)(*args)
