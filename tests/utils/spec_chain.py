"""Driving the consensus-spec chain (deploy/sim/beacon.py's `SpecBeaconChain`) from the tests.

    chain = spec_chain(protocol)                 # epoch 0 at the manager's genesis, before the deposits
    ...deposits, requests (EVM)...
    timestamp = next_block(chain)                # the block that includes them, its root posted (EIP-4788)
    timestamp = wait_for(chain, lambda: chain.has_validator(pubkey), "the deposit in the registry")
    timestamp = wait_for(chain, lambda: is_active(chain, pubkey), "the validator active", epochs=24)
    timestamp = run_epochs(chain, 256)           # a long wait in one call

The chain decides when things happen, as the real one does: a deposit enters the registry once finalized and
through the churn (a few epochs), activation waits for finality and the seed lookahead, an EIP-7002 request or
a lever takes effect in the block of the next slot, whose root the EIP-4788 call of the slot after posts.
Every epoch costs its processing (about 11 ms of CPU when quiet): wait for a condition, not for a guess.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import boa
import pytest

from deploy.sim.beacon import SECONDS_PER_EPOCH, SECONDS_PER_SLOT, SpecBeaconChain


def long_run(test):
    """Marked slow, and run only with the project's long-run switch (the default command runs `slow`)."""
    skip = pytest.mark.skipif(os.environ.get("BYZ_LONG_FUZZ") != "1", reason="long run: BYZ_LONG_FUZZ=1")
    return pytest.mark.slow(skip(test))


def spec_chain(protocol, **kwargs) -> SpecBeaconChain:
    """A chain whose epoch 0 starts at the manager's `beacon_genesis_time()`, so proven epochs and the
    contracts' timestamps agree. Create it per test (or per state machine run), before the deposits it must
    see."""
    return SpecBeaconChain(protocol, genesis_time=int(protocol.manager.beacon_genesis_time()), **kwargs)


def next_block(chain) -> int:
    """Two slots on: the block after what the EVM did until now is applied and its root posted; returns
    the timestamp it is posted at (the proofs' timestamp)."""
    boa.env.time_travel(seconds=2 * SECONDS_PER_SLOT)
    return chain.process()


def run_epochs(chain, epochs: int = 1) -> int:
    """`epochs` epochs on, then `process()`; returns the posted block's timestamp."""
    boa.env.time_travel(seconds=epochs * SECONDS_PER_EPOCH)
    return chain.process()


def next_blocks(chain, slots: int = 2) -> int:
    """`slots` slots, processed one by one (a `process()` and an EIP-4788 post at each); returns the last
    posted block's timestamp."""
    for _ in range(slots):
        boa.env.time_travel(seconds=SECONDS_PER_SLOT)
        timestamp = chain.process()
    return timestamp


def wait_for(chain, condition: Callable[[], bool], what: str, *, epochs: int = 40, first: int = 0) -> int:
    """The one bounded wait on the chain: `first` epochs on at once (0: the next block, two slots on, which
    includes what the EVM sent until now), then one epoch at a time, a `process()` after each step, until
    `condition()` holds; at most `epochs` epochs in all, then an AssertionError naming `what` (what was
    awaited). Returns the timestamp of the last posted block root (the proofs' timestamp)."""
    timestamp = run_epochs(chain, first) if first else next_block(chain)
    for _ in range(epochs - first):
        if condition():
            return timestamp
        timestamp = run_epochs(chain, 1)
    assert condition(), f"{what}: not within {epochs} epochs of the beacon chain"
    return timestamp


def is_active(chain, pubkey: bytes) -> bool:
    """The validator of `pubkey` is in the registry and active in the chain's current epoch."""
    return chain.has_validator(pubkey) and chain.validator(pubkey).is_active(chain.epoch)
