"""The spec-chain steps shared by the staker tests on the consensus specs (test_slashing_spec_chain.py,
test_loss_charge_spec_chain.py): time and blocks, a checkpoint of a module's pod with the chain's proofs,
and a cluster's validator staked, confirmed, activated and restaked on `SpecBeaconChain`
(deploy/sim/beacon.py)."""

from __future__ import annotations

import boa

from deploy.sim.beacon import FAR_FUTURE_EPOCH, SECONDS_PER_SLOT, SpecBeaconChain
from tests.staker.conftest import STAKE, module_at
from tests.staker.restaking import POD_STATUS_ACTIVE, pod_of
from tests.utils.constants import c
from tests.utils.seats import seats_of
from tests.utils.spec_chain import long_run, run_epochs, wait_for  # noqa: F401 (re-exported to the staker tests)

GWEI = 10**9


def checkpoint(chain, module, pubkey, sender) -> int:
    """A block, a checkpoint of the module's pod started at its timestamp, the validator's balance proven."""
    boa.env.time_travel(seconds=SECONDS_PER_SLOT)
    timestamp = chain.process()
    module.start_checkpoint(sender=sender)
    pod = pod_of(module)
    pod.verifyCheckpointProofs(*chain.checkpoint_proof_args(timestamp, [pubkey]), sender=sender)
    assert pod.currentCheckpointTimestamp() == 0 and pod.lastCheckpointTimestamp() == timestamp
    return timestamp


def restaked_on_the_spec_chain(protocol, ready_cluster, staker, outsider):
    """Stake, confirm, activate and restake a cluster's validator on the spec chain (its epoch 0 at the
    manager's beacon genesis); returns (chain, cluster id, module, pubkey)."""
    manager = protocol.manager
    # epoch 0 at the protocol's genesis: proven epochs and timestamps agree with the manager's clock
    chain = SpecBeaconChain(protocol, genesis_time=manager.beacon_genesis_time())
    cluster_id = ready_cluster()
    pubkey = bytes(manager.validator_pubkey(cluster_id))
    with boa.env.prank(staker):
        module = module_at(manager.create_strategy_module_and_stake(value=STAKE))
    # the pre-deposit enters the registry once finalized (pending deposits, churn): then it is proven
    timestamp = wait_for(
        chain, lambda: chain.has_validator(pubkey), "the pre-deposit in the registry", first=1
    )
    v = chain.validator(pubkey)
    assert v.balance == c.PRE_DEPOSIT_AMOUNT // GWEI and v.activation_eligibility_epoch == FAR_FUTURE_EPOCH
    with boa.env.prank(outsider):
        manager.confirm_stake(
            cluster_id, seats_of(manager, cluster_id), timestamp, chain.validator_proof(pubkey)
        )
    assert module.is_staked()
    assert boa.env.get_balance(manager.address) == 0
    # the top-up through the queue, eligibility finalized, MAX_SEED_LOOKAHEAD: active
    wait_for(chain, lambda: v.is_active(chain.epoch), "the validator active", first=1)
    assert v.balance >= STAKE // GWEI and v.effective_balance == STAKE // GWEI
    pod = module.eigen_pod()
    assert not [wei for address, wei in chain.paid if address == pod]  # no excess over 32 ETH swept yet
    # restaked (anyone), which records the activation epoch
    timestamp, state_root_proof, indices, proofs, fields = chain.credential_proof_args([pubkey])
    module.restake(timestamp, state_root_proof, indices[0], proofs[0], fields[0], sender=outsider)
    assert module.activation_epoch() == v.activation_epoch
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module.address) == STAKE
    assert pod_of(module).validatorPubkeyToInfo(pubkey).status == POD_STATUS_ACTIVE
    return chain, cluster_id, module, pubkey
