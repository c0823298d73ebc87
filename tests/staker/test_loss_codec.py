"""Round trips of contracts/lib/loss_codec.vy (a StrategyModule's packed loss charge).

Every packable charge unpacks to itself, each field in its own bits (a fuzzed word leaves no field leaking
into another); every field one past its width is refused by `pack_charge`; the widths hold what the protocol
can produce (a whole stake lost, the wei of it, timestamps for millennia).
"""

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy.constants import Constants, read_constants
from deploy.protocol import ROOT
from tests.utils.constants import c
from tests.utils.deployers import load

CODEC = "contracts/lib/loss_codec.vy"
widths = Constants(read_constants(ROOT / CODEC))
FIELDS = ("charged_gwei", "pending_gwei", "checkpoint", "reported_at", "reserved")
BITS = dict(
    zip(FIELDS, (widths.GWEI_BITS,) * 2 + (widths.TIME_BITS,) * 2 + (widths.AMOUNT_BITS,), strict=True)
)


def bits(n):
    return st.integers(0, 2**n - 1)


@pytest.fixture(scope="module")
def codec():
    return load(CODEC).deploy()


@settings(max_examples=60, deadline=None)
@given(charge=st.tuples(*(bits(BITS[f]) for f in FIELDS)))
def test_charge_round_trip(codec, charge):
    word = codec.internal.pack_charge(charge)
    assert tuple(codec.internal.unpack_charge(word)) == charge
    # low bits first, each field in its own bits: the word is the fields laid end to end
    assert word == sum(value << sum(BITS[f] for f in FIELDS[:i]) for i, value in enumerate(charge))


def test_the_word_is_full_and_zero_is_the_empty_charge(codec):
    assert sum(BITS.values()) == 256
    assert tuple(codec.internal.unpack_charge(0)) == (0,) * len(FIELDS)


def test_widths_hold_what_the_protocol_produces(codec):
    """A whole stake lost (gwei), its wei set aside, the last timestamp that fits: all packed."""
    stake_gwei = c.STAKE_AMOUNT // c.WEI_PER_GWEI
    charge = (stake_gwei, stake_gwei, widths.TIME_MASK, widths.TIME_MASK, c.STAKE_AMOUNT)
    assert tuple(codec.internal.unpack_charge(codec.internal.pack_charge(charge))) == charge


@pytest.mark.parametrize("field", FIELDS)
def test_out_of_range_refused(codec, field):
    charge = tuple(2 ** BITS[f] if f == field else 0 for f in FIELDS)
    with boa.reverts(f"loss_codec: {field} out of range"):
        codec.internal.pack_charge(charge)
