"""Round trips of the operator side's codecs (contracts/lib/): what is packed unpacks to the same struct.

Every packed storage word of the Auction, the bid book and the Escrow goes through one of these modules, so a
fuzzed round trip per word (and a revert for a field that does not fit) covers every shift and mask.
"""

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import model
from tests.utils.constants import c
from tests.utils.deployers import load

ids = st.integers(0, c.MAX_BID_ID)
addresses = st.binary(min_size=20, max_size=20).map(lambda b: "0x" + b.hex())
fuzz = settings(max_examples=60, deadline=None)


@pytest.fixture(scope="module")
def book_codec():
    return load("contracts/lib/book_codec.vy").deploy()


@pytest.fixture(scope="module")
def auction_codec():
    return load("contracts/lib/auction_codec.vy").deploy()


@pytest.fixture(scope="module")
def ledger_codec():
    return load("contracts/lib/ledger_codec.vy").deploy()


@pytest.fixture(scope="module")
def packing():
    return load("contracts/lib/packing.vy").deploy()


@fuzz
@given(
    operator=addresses,
    status=st.integers(0, 3),
    units=st.integers(0, 2**8 - 1),
    discount=st.integers(0, 2**14 - 1),
    duration=st.integers(0, 2**16 - 1),
    vc=st.integers(0, 2**56 - 1),
    status2=st.integers(0, 3),
)
def test_bid_round_trip(book_codec, operator, status, units, discount, duration, vc, status2):
    """Every field of the 256-bit bid word, the bond in BOND_UNITs (0 to 25.5 ETH: MAX_BOND fits)."""
    bond = units * c.BOND_UNIT
    word = book_codec.internal.pack_bid((operator, status, bond, discount, duration, vc))
    assert word < 2**256
    bid = book_codec.internal.unpack_bid(word)
    assert str(bid.operator).lower() == operator.lower()
    assert tuple(bid)[1:] == (status, bond, discount, duration, vc)
    assert book_codec.internal.bid_bond(word) == bond
    changed = book_codec.internal.unpack_bid(book_codec.internal.with_status(word, status2))
    assert tuple(changed)[1:] == (status2, bond, discount, duration, vc)


def test_max_bond_and_the_largest_daily_price_fit_the_bid_word():
    assert c.MAX_BOND % c.BOND_UNIT == 0 and c.MAX_BOND // c.BOND_UNIT < 2**8
    assert c.BOND % c.BOND_UNIT == 0 and c.BOND <= c.MAX_BOND
    assert c.MAX_DAILY_RETURN // c.MIN_CLUSTER_SIZE < 2**56


@pytest.mark.parametrize(
    "fields, reason",
    [
        ((4, 0, 0, 0, 0), "book_codec: status overflow"),
        ((0, 0, 2**14, 0, 0), "book_codec: discount overflow"),
        ((0, 0, 0, 2**16, 0), "book_codec: duration overflow"),
        ((0, 0, 0, 0, 2**56), "book_codec: price overflow"),
        ((0, 2**8 * c.BOND_UNIT, 0, 0, 0), "book_codec: bond overflow"),
        ((0, c.BOND + 1, 0, 0, 0), "book_codec: bond off the unit"),
    ],
)
def test_bid_fields_that_do_not_fit_revert(book_codec, fields, reason):
    with boa.reverts(reason):
        book_codec.internal.pack_bid(("0x" + "11" * 20, *fields))


@pytest.fixture(scope="module")
def pricing():
    return load("contracts/lib/pricing.vy").deploy()


def _links(packing, word, bid_id):
    at = packing.internal.entry_shift(bid_id, 2 * c.ID_BITS)
    return tuple(packing.internal.field(word, at + k * c.ID_BITS, c.ID_BITS) for k in (0, 1))


@fuzz
@given(word=st.integers(0, 2**256 - 1), bid_id=ids, prev=ids, nxt=ids)
def test_links_round_trip_leaves_neighbours_alone(book_codec, packing, word, bid_id, prev, nxt):
    """Three bids share a links word: one bid's entry is written through `entry_shift` + `with_field`."""
    at = packing.internal.entry_shift(bid_id, 2 * c.ID_BITS)
    new = book_codec.internal.with_field(word, at, c.ID_BITS, prev)
    new = book_codec.internal.with_field(new, at + c.ID_BITS, c.ID_BITS, nxt)
    assert _links(packing, new, bid_id) == (prev, nxt)
    for other in (bid_id - bid_id % 3 + k for k in range(3)):
        if other != bid_id:
            assert _links(packing, new, other) == _links(packing, word, other)
    assert packing.internal.slot_of(bid_id) == bid_id // 3
    assert new >> 255 == 1  # the sentinel: never a zero-to-non-zero write again


@fuzz
@given(word=st.integers(0, 2**256 - 1), at=st.integers(0, 215), bits=st.integers(1, 40), data=st.data())
def test_field_round_trip_leaves_other_bits_alone(book_codec, packing, word, at, bits, data):
    """`packing.with_field` changes one field only; the book's `with_field` also sets the sentinel."""
    new_value = data.draw(st.integers(0, 2**bits - 1))
    plain = packing.internal.with_field(word, at, bits, new_value)
    assert packing.internal.field(plain, at, bits) == new_value
    keep = (2**256 - 1) ^ ((2**bits - 1) << at)
    assert plain & keep == word & keep
    assert book_codec.internal.with_field(word, at, bits, new_value) == plain | (1 << 255)


def test_field_that_does_not_fit_reverts(book_codec, packing):
    for codec in (packing, book_codec):
        with boa.reverts("packing: field overflow"):
            codec.internal.with_field(0, 0, c.ID_BITS, 2**c.ID_BITS)


@fuzz
@given(a=st.integers(1, 2**115 - 1), b=st.integers(1, 2**115 - 1))
def test_ranking_key_is_monotone_and_exact_below_2_92(pricing, a, b):
    """A larger score never gets a smaller key; below 2**92 the key is the score; keys fit 93 bits."""
    ka, kb = pricing.internal.key(a), pricing.internal.key(b)
    assert ka < 2**93 and kb < 2**93
    if a < b:
        assert ka <= kb
    if a < 2**92:
        assert ka == a
    if ka != kb:
        assert (ka < kb) == (a < b)


def test_largest_score_fits_the_key(pricing):
    top = pricing.internal.score(2**56 - 1, c.MAX_DURATION_CAP, c.MAX_BOND)
    assert top < 2**110 and pricing.internal.key(top) < 2**93
    with boa.reverts("pricing: duration above cap"):
        pricing.internal.score(1, c.MAX_DURATION_CAP + 1, c.BOND)


@fuzz
@given(vc=st.integers(0, 2**56 - 1), t=st.integers(0, c.MAX_DURATION_CAP), units=st.integers(0, 2**8 - 1))
def test_score_matches_the_model_with_any_bond(pricing, vc, t, units):
    """The bond's factor: 1 up to the floor, BOND_SCORE_BPS more per unit above it (the model's formula)."""
    bond = units * c.BOND_UNIT
    base = vc * (model.rpow(c.DAILY_SCORE_GROWTH, t) // 10**9) // 10**18
    assert pricing.internal.bond_factor(bond) == model.bond_factor(bond)
    assert pricing.internal.score(vc, t, bond) == base * model.bond_factor(bond) // c.BPS
    assert pricing.internal.score(vc, t, min(bond, c.BOND)) == base  # the floor and less: exactly as before


def test_bond_factor_is_monotone_and_bounded(pricing):
    factors = [pricing.internal.bond_factor(u * c.BOND_UNIT) for u in range(c.MAX_BOND // c.BOND_UNIT + 1)]
    assert factors == sorted(factors)
    assert factors[0] == factors[c.BOND // c.BOND_UNIT] == c.BPS
    assert factors[-1] == c.BPS + c.BOND_SCORE_BPS * (c.MAX_BOND - c.BOND) // c.BOND_UNIT


@fuzz
@given(
    r=st.integers(0, 2**64 - 1),
    d=st.integers(0, 2**16 - 1),
    lo=st.integers(0, 2**16 - 1),
    hi=st.integers(0, 2**16 - 1),
)
def test_config_round_trip(auction_codec, r, d, lo, hi):
    word = auction_codec.internal.pack_config((r, d, lo, hi))
    assert tuple(auction_codec.internal.unpack_config(word)) == (r, d, lo, hi)
    assert not auction_codec.internal.is_paused(word)
    # the pause flag shares the word and leaves every field as it was
    paused = auction_codec.internal.with_paused(word, True)
    assert auction_codec.internal.is_paused(paused)
    assert tuple(auction_codec.internal.unpack_config(paused)) == (r, d, lo, hi)
    assert auction_codec.internal.with_paused(paused, False) == word


def test_config_field_that_does_not_fit_reverts(auction_codec):
    with boa.reverts("auction_codec: field overflow"):
        auction_codec.internal.pack_config((2**64, 0, 0, 0))


@fuzz
@given(word=st.integers(0, 2**256 - 1), bid_id=ids, held=st.integers(0, 2**84 - 1), locked=st.booleans())
def test_ledger_round_trip_leaves_neighbours_alone(ledger_codec, word, bid_id, held, locked):
    new = ledger_codec.internal.pack_entry(word, bid_id, (held, locked))
    assert tuple(ledger_codec.internal.unpack_entry(new, bid_id)) == (held, locked)
    for other in (bid_id - bid_id % 3 + k for k in range(3)):
        if other != bid_id:
            before = ledger_codec.internal.unpack_entry(word, other)
            assert ledger_codec.internal.unpack_entry(new, other) == before


def test_ledger_amount_that_does_not_fit_reverts(ledger_codec):
    with boa.reverts("ledger_codec: amount too large"):
        ledger_codec.internal.pack_entry(0, 1, (2**84, False))
