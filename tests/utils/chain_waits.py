"""Waiting for the consensus-spec beacon chain (deploy/sim/beacon.py) in tests.

    from tests.utils.chain_waits import process_until, run_epochs, until_active, until_in_registry
    timestamp = until_active(chain, pubkey)                  # in the registry, then active
    timestamp = process_until(chain, lambda: chain.validator(pubkey).exit_epoch < FAR_FUTURE_EPOCH)

The spec chain takes the time the consensus layer takes: a deposit enters the registry once finalized and
through the churn (a few epochs), activation waits for the eligibility's finality, what the EVM sends now
is in the next slot's block and EIP-4788 posts that block's root at the slot after. Tests wait until what
they need holds, within a bound (an AssertionError past it), never for a figure of their own.
"""

from __future__ import annotations

from collections.abc import Callable

import boa

from deploy.sim.beacon import SECONDS_PER_SLOT
from tests.utils.spec_chain import run_epochs  # noqa: F401 (one home; re-exported)


def next_blocks(chain, slots: int = 2) -> int:
    """`slots` slots, processed one by one (two: what was sent now is in the block whose root is posted)."""
    for _ in range(slots):
        boa.env.time_travel(seconds=SECONDS_PER_SLOT)
        timestamp = chain.process()
    return timestamp


def process_until(chain, ready: Callable[[], bool], epochs: int = 16, what: str = "the condition") -> int:
    """Two slots, then epoch by epoch, `process()` after each, until `ready()` (at most `epochs` epochs);
    returns the timestamp of the last posted root."""
    timestamp = next_blocks(chain)
    for _ in range(epochs):
        if ready():
            return timestamp
        timestamp = run_epochs(chain, 1)
    assert ready(), f"{what}: not after {epochs} epochs"
    return timestamp


def until_in_registry(chain, pubkey: bytes, epochs: int = 16) -> int:
    """Until the validator of `pubkey` is in the registry (its deposit finalized, through the churn)."""
    return process_until(chain, lambda: chain.has_validator(pubkey), epochs, "in the registry")


def until_active(chain, pubkey: bytes, epochs: int = 24) -> int:
    """Until the validator of `pubkey` is in the registry and active in the current epoch."""
    return process_until(
        chain,
        lambda: chain.has_validator(pubkey) and chain.validator(pubkey).is_active(chain.epoch),
        epochs,
        "active",
    )
