"""The consensus-spec model (deploy/sim/beacon.py) inside the protocol: deposits through the churn and
finality, proofs the contracts accept against the parent root posted to EIP-4788, the levers."""

from __future__ import annotations

import boa

from deploy import keys
from deploy.sim.beacon import SECONDS_PER_EPOCH, SLOTS_PER_EPOCH, SpecBeaconChain, spec
from tests.beacon.conftest import deposit_direct, funded, stake

GWEI = 10**9


def run_epochs(chain, epochs: int) -> int:
    boa.env.time_travel(seconds=epochs * SECONDS_PER_EPOCH)
    return chain.process()


def test_deposit_enters_through_the_queue_and_proves(suite):
    owner = funded("spec-owner")
    chain = SpecBeaconChain(suite)
    pubkey = stake(suite, owner, seed="spec0")
    boa.env.time_travel(seconds=24)
    chain.process()
    assert not chain.has_validator(pubkey)
    assert [bytes(d.pubkey) for d in chain.pending_deposits()] == [pubkey]
    run_epochs(chain, 4)
    v = chain.validator(pubkey)
    assert v.balance == 32 * GWEI and v.effective_balance == 32 * GWEI
    proof = chain.validator_proof(pubkey)
    assert len(proof[4]) == 47
    assert suite.eigen_pod_manager.verify_validator_fields(chain.last_block_root, proof)
