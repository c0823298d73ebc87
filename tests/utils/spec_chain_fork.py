"""An independent copy of a `SpecBeaconChain` (deploy/sim/beacon.py), for state machines that build one
restaked world in a module fixture and start every hypothesis example from it.

Each example runs inside a `boa.env.anchor()` that rolls the EVM back to the fixture's state; the chain is a
Python object and is not rolled back, so each example plays on a fork of the fixture's chain:

    chain = fork_spec_chain(world.chain)     # at the start of the example (the EVM is at the fixture's state)

The beacon state is a view on an immutable remerkleable tree (`copy()` is O(1) and the performance caches of
deploy/sim/speed.py key on tree identity or roots), so the fork costs nothing whatever its history. The
EVM logs it has not read yet (deposits, EIP-7002 requests) are those made from now on: the logs an earlier,
rolled-back example recorded in the process-wide log are skipped.
"""

from __future__ import annotations

import copy

from deploy.sim import beacon


def fork_spec_chain(chain: beacon.SpecBeaconChain) -> beacon.SpecBeaconChain:
    """A copy of `chain` that shares nothing mutable with it, reading EVM logs from now on."""
    fork = copy.copy(chain)
    fork.state = chain.state.copy()
    fork.block_state = None if chain.block_state is None else chain.block_state.copy()
    fork.offline = set(chain.offline)
    fork.ignored_deposits = list(chain.ignored_deposits)
    fork._events = list(chain._events)
    fork._credits = list(chain._credits)
    fork.withdrawn = dict(chain.withdrawn)
    fork.paid = list(chain.paid)
    fork.processed_requests = list(chain.processed_requests)
    fork._cursors = _from_now(chain._cursors)
    fork._key_cursors = _from_now(chain._key_cursors)
    fork.fork_key_watch()
    fork._history = copy.copy(chain._history)
    fork._history._blocks = copy.copy(chain._history._blocks)
    return fork


def _from_now(cursors: dict) -> dict:
    """The same logs watched, from the ones recorded so far on."""
    return {key: len(beacon._LOGGED.get(key, [])) for key in cursors}


def logs_read(chain: beacon.SpecBeaconChain) -> bool:
    """Whether the chain has read every deposit and EIP-7002 log made so far (a fork then misses none)."""
    return all(cursor == len(beacon._LOGGED.get(key, [])) for key, cursor in chain._cursors.items())


__all__ = ["fork_spec_chain", "logs_read"]
