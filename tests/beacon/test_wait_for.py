"""The tests' one bounded wait on the beacon chain (tests/utils/spec_chain.py's `wait_for`): where it starts,
where it stops, what it returns and how it fails."""

from __future__ import annotations

import pytest

from deploy.sim.beacon import SLOTS_PER_EPOCH, SpecBeaconChain
from tests.utils.spec_chain import wait_for


def looks(chain, holds_at: int):
    """A condition true from its `holds_at`-th look on, and the slots of every look."""
    slots = []

    def condition():
        slots.append(chain.slot)
        return len(slots) >= holds_at

    return condition, slots


def test_the_next_block_then_an_epoch_a_step_until_it_holds(suite):
    chain = SpecBeaconChain(suite)
    start = chain.slot
    condition, slots = looks(chain, 3)
    timestamp = wait_for(chain, condition, "the third look")
    # two slots on (the block with what the EVM sent), then an epoch at a time; the last posted root's time
    assert slots == [start + 2, start + 2 + SLOTS_PER_EPOCH, start + 2 + 2 * SLOTS_PER_EPOCH]
    assert timestamp == chain.last_timestamp


def test_first_epochs_at_once_and_the_bound_counts_them(suite):
    chain = SpecBeaconChain(suite)
    start = chain.slot
    condition, slots = looks(chain, 2)
    wait_for(chain, condition, "the second look", first=3)
    assert slots == [start + 3 * SLOTS_PER_EPOCH, start + 4 * SLOTS_PER_EPOCH]
    never, slots = looks(chain, 10**9)
    with pytest.raises(AssertionError, match="a thing that never comes: not within 4 epochs"):
        wait_for(chain, never, "a thing that never comes", epochs=4, first=1)
    assert len(slots) == 4  # after the first epoch, then after each of the other three
