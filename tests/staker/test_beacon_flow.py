"""The two-phase stake against the consensus-spec chain (deploy/sim/beacon.py, docs/protocol.md §9-10), end to
end, with the chain's timing (tests/utils/spec_chain.py): a deposit enters the registry once finalized and
through the churn, activation waits for finality, a request takes effect in the next block.

- the front-run attack: four addresses of one entity win a cluster, deposit 1 ETH for its key with their own
  credentials before the staker's pre-deposit, the chain applies both deposits (the first fixes the
  credentials), `confirm_stake` is refused, `report_frontrun` makes the staker whole (31 ETH back plus the
  bonds), and no further ETH reaches the deposit contract for that key;
- the honest path for several stakers: every validator has its own pod's credentials, the 31 ETH follow,
  nothing is restaked before anyone restakes the active validator through EigenLayer v1.12
  (`verifyWithdrawalCredentials`, via `restake`), then the deposit shares equal its effective balance;
- an exit: the request through the pod (restaked validators only), the chain exits the validator and its
  exit is proven (stream ended); the sweep pays the balance to the pod, a checkpoint marks the validator
  WITHDRAWN and makes the ETH withdrawable, and the principal comes home through EigenLayer's withdrawal
  queue and the module;
- a pre-deposit whose signature is wrong: the chain drops it from its pending deposits, no validator ever
  exists, and the staker reclaims its 31 ETH after the time-out.
"""

from __future__ import annotations

import functools

import boa
import pytest

from deploy.constants import c
from deploy.keys import deposit_data_root, make_deposit_data
from deploy.sim.beacon import FAR_FUTURE_EPOCH, SECONDS_PER_EPOCH, SHARD_COMMITTEE_PERIOD
from tests.staker.conftest import (
    ETH,
    PRE_DEPOSIT,
    STAKE,
    TOP_UP,
    as_args,
    module_at,
)
from tests.utils.actors import actors
from tests.utils.deposits import accept_deposit
from tests.utils.errors import reverts_with_error
from tests.utils.seats import operators_of, seats_of
from tests.utils.spec_chain import is_active, next_block, run_epochs, spec_chain, wait_for

EPOCH = SECONDS_PER_EPOCH
GWEI = 10**9
POD_ACTIVE, POD_WITHDRAWN = 1, 2  # EigenPod's validator statuses


@functools.cache
def eigen_pod_deployer():
    return boa.load_partial("contracts/external/eigenlayer/EigenPod.vy")


def eigen_pod(address):
    return eigen_pod_deployer().at(address)


def restake(chain, module, pubkey, sender):
    """Anyone restakes the module's validator: EigenLayer's credential proof against the last block."""
    timestamp, state_root_proof, indices, proofs, fields = chain.credential_proof_args([pubkey])
    with boa.env.prank(sender):
        module.restake(timestamp, state_root_proof, indices[0], proofs[0], fields[0])


def checkpoint(chain, module, pubkey, sender):
    """A beacon block, a checkpoint started at its timestamp (anyone) and the validator's balance proven
    straight to the pod (anyone), as deploy/sim/staking_flow.py `checkpoint`."""
    boa.env.time_travel(seconds=12)
    timestamp = chain.process()
    pod = eigen_pod(module.eigen_pod())
    with boa.env.prank(sender):
        module.start_checkpoint()
        pod.verifyCheckpointProofs(*chain.checkpoint_proof_args(timestamp, [pubkey]))


def test_frontrun_attack_is_caught_and_the_staker_made_whole(protocol, owner, operators, stakers, outsider):
    auction, manager, escrow, deposit_contract = (
        protocol.auction,
        protocol.manager,
        protocol.escrow,
        protocol.deposit_contract,
    )
    chain = spec_chain(protocol)
    attacker = actors("attacker", 4, wei=100 * ETH)  # one entity, four addresses
    # honest operators bid; the attacker's four addresses bid slightly better terms and win every seat
    for i, op in enumerate(operators[:4]):
        due = auction.price_to_pay(op, [1000], [100 + i])
        with boa.env.prank(op):
            auction.bid([1000], [100 + i], value=due)
    for i, op in enumerate(attacker):
        due = auction.price_to_pay(op, [900], [100 + i])
        with boa.env.prank(op):
            auction.bid([900], [100 + i], value=due)
    with boa.env.prank(owner):
        (cluster_id,) = manager.pre_create_clusters(1)
    assert set(operators_of(auction, cluster_id)) == set(attacker)

    # the key ceremony: the attacker holds the whole key; it hands over deposit data for the pod...
    seed = b"the attacker's distributed key"
    pod_credentials = bytes(manager.withdrawal_credentials(cluster_id))
    honest_looking = make_deposit_data(pod_credentials, seed=seed)
    # (its four addresses register the shares and the key: every on-chain check passes)
    assert protocol.register_cluster_keys(cluster_id, seed) == honest_looking
    # ...and front-runs the staker with 1 ETH for the same key and credentials of its own
    attacker_credentials = b"\x01" + b"\x00" * 11 + bytes.fromhex(attacker[0][2:])
    own = make_deposit_data(attacker_credentials, seed=seed)
    assert own["pubkey"] == honest_looking["pubkey"]
    pubkey = bytes.fromhex(own["pubkey"])
    with boa.env.prank(attacker[0]):
        deposit_contract.deposit(pubkey, attacker_credentials, *as_args(own)[1:], value=PRE_DEPOSIT)

    staker = stakers[0]
    start = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        module = module_at(manager.create_strategy_module_and_stake(value=STAKE))
    assert boa.env.get_balance(deposit_contract.address) == 2 * PRE_DEPOSIT

    # both deposits wait in the chain's pending queue until finalized, then enter in one epoch: the first
    # one creates the validator and fixes the credentials, the second tops it up
    timestamp = next_block(chain)
    assert not chain.has_validator(pubkey) and len(chain.pending_deposits(pubkey)) == 2
    timestamp = wait_for(chain, lambda: chain.has_validator(pubkey), "the two deposits in the registry")
    assert not chain.pending_deposits(pubkey)
    validator = chain.validator(pubkey)
    assert validator.withdrawal_credentials == attacker_credentials
    assert validator.balance == 2 * PRE_DEPOSIT // GWEI
    proof = chain.validator_proof(pubkey)

    with boa.reverts("strategy_module_manager: withdrawal credentials are not the pod's"):
        manager.confirm_stake(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    with boa.env.prank(outsider):  # anyone may report it
        manager.report_frontrun(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_FAILED
    bonds = 4 * ETH
    assert escrow.claimable(staker) == bonds
    with boa.env.prank(staker):
        auction.claim_refund()
    # whole: 31 ETH back plus the bonds, against the 32 paid (the lost pre-deposit is covered by the bonds)
    assert boa.env.get_balance(staker) == start - STAKE + TOP_UP + bonds
    assert boa.env.get_balance(manager.address) == 0
    # and no further ETH ever reaches the deposit contract for that key
    with boa.reverts("strategy_module_manager: cluster not awaiting proof"):
        manager.confirm_stake(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    run_epochs(chain, 10)
    assert boa.env.get_balance(deposit_contract.address) == 2 * PRE_DEPOSIT
    assert not chain.pending_deposits(pubkey)
    # 2 ETH is below the activation balance: never active, so no reward or penalty moves it
    assert chain.validator(pubkey).balance == 2 * PRE_DEPOSIT // GWEI
    assert chain.validator(pubkey).activation_eligibility_epoch == FAR_FUTURE_EPOCH
    assert module.owner() == staker  # the module remains the staker's (and holds nothing)


@pytest.fixture(scope="module")
def honest_world(protocol, owner, operators):
    """Bids for two clusters, both pre-created, with deposit data from honest key ceremonies."""

    def run():
        auction, manager = protocol.auction, protocol.manager
        for i, op in enumerate(operators):
            due = auction.price_to_pay(op, [1000], [100 + i])
            with boa.env.prank(op):
                auction.bid([1000], [100 + i], value=due)
        with boa.env.prank(owner):
            ids = manager.pre_create_clusters(2)
        for cluster_id in ids:
            protocol.register_cluster_keys(cluster_id, b"honest cluster %d" % cluster_id)
        return ids

    return run


def test_honest_stakers_end_in_their_own_validators(protocol, honest_world, stakers, outsider):
    manager, epm = protocol.manager, protocol.eigen_pod_manager
    chain = spec_chain(protocol)
    ids = honest_world()
    modules = {}
    for cluster_id, staker in zip(ids, stakers, strict=False):
        with boa.env.prank(staker):
            modules[cluster_id] = module_at(manager.create_strategy_module_and_stake(value=STAKE))
    pubkeys = [bytes(manager.validator_pubkey(cluster_id)) for cluster_id in ids]
    # the pre-deposits enter the registry once finalized, through the churn
    timestamp = wait_for(
        chain, lambda: all(map(chain.has_validator, pubkeys)), "the pre-deposits in the registry"
    )
    with boa.env.prank(outsider):
        for cluster_id in ids:
            pubkey = bytes(manager.validator_pubkey(cluster_id))
            manager.confirm_stake(
                cluster_id, seats_of(manager, cluster_id), timestamp, chain.validator_proof(pubkey)
            )
    assert boa.env.get_balance(manager.address) == 0
    assert boa.env.get_balance(protocol.deposit_contract.address) == len(ids) * STAKE
    # nothing is restaked at confirmation: the deposit shares wait for EigenLayer's own proof
    for module in modules.values():
        assert epm.podOwnerDepositShares(module.address) == 0
    # the top-ups land: every validator holds 32 ETH with its own pod's credentials (the effective balance
    # follows in the same epoch; eligibility for activation comes at the next epoch's registry update)
    wait_for(
        chain,
        lambda: all(chain.validator(pk).effective_balance == STAKE // GWEI for pk in pubkeys),
        "the top-ups credited",
    )
    for cluster_id, module in modules.items():
        assert manager.cluster_status(cluster_id) == c.CLUSTER_STAKED
        pubkey = bytes(manager.validator_pubkey(cluster_id))
        v = chain.validator(pubkey)
        assert v.withdrawal_credentials == bytes(manager.withdrawal_credentials(cluster_id))
        assert v.balance >= STAKE // GWEI
        # EigenLayer restakes only a validator with an activation epoch: not yet
        assert v.activation_epoch == FAR_FUTURE_EPOCH
        with reverts_with_error("ValidatorInactiveOnBeaconChain()"):
            restake(chain, module, pubkey, outsider)
    # activation once the eligibility epoch is finalized (and the seed lookahead); then anyone restakes
    wait_for(
        chain,
        lambda: all(chain.validator(pk).activation_epoch < FAR_FUTURE_EPOCH for pk in pubkeys),
        "the activation epochs",
    )
    for cluster_id, module in modules.items():
        pubkey = bytes(manager.validator_pubkey(cluster_id))
        v = chain.validator(pubkey)
        other = modules[next(i for i in modules if i != cluster_id)]
        with boa.reverts("strategy_module: proof is for another validator"):
            restake(chain, other, pubkey, outsider)
        restake(chain, module, pubkey, outsider)
        # the deposit shares equal the proven effective balance; the activation epoch is recorded
        assert epm.podOwnerDepositShares(module.address) == v.effective_balance * GWEI == STAKE
        assert module.activation_epoch() == v.activation_epoch
        pod = eigen_pod(module.eigen_pod())
        assert pod.validatorPubkeyToInfo(pubkey).status == POD_ACTIVE


def test_exit_pays_the_principal_home(protocol, honest_world, stakers, outsider):
    manager, epm, rewards = protocol.manager, protocol.eigen_pod_manager, protocol.staker_rewards
    dm = protocol.delegation_manager
    chain = spec_chain(protocol)
    cluster_id = honest_world()[0]
    staker = stakers[0]
    with boa.env.prank(staker):
        module = module_at(manager.create_strategy_module_and_stake(value=STAKE))
    pubkey = bytes(manager.validator_pubkey(cluster_id))
    timestamp = wait_for(chain, lambda: chain.has_validator(pubkey), "the pre-deposit in the registry")
    manager.confirm_stake(cluster_id, seats_of(manager, cluster_id), timestamp, chain.validator_proof(pubkey))
    # the top-up is included, the validator becomes eligible, then active after finality and the lookahead
    wait_for(chain, lambda: is_active(chain, pubkey), "the validator active")
    # the activation epoch proven (anyone, the project's proof)
    module.prove_activation(chain.last_timestamp, chain.validator_proof(pubkey), sender=outsider)
    assert module.activation_epoch() == chain.validator(pubkey).activation_epoch
    # active for the shard committee period (256 epochs) before an exit is honoured
    run_epochs(chain, module.activation_epoch() + SHARD_COMMITTEE_PERIOD - chain.epoch)
    pod = eigen_pod(module.eigen_pod())
    # the request goes through the pod, which takes it only for a validator it restakes
    with boa.env.prank(staker), boa.reverts("strategy_module: validator not restaked"):
        module.request_exit(value=module.exit_fee())
    restake(chain, module, pubkey, outsider)  # anyone
    assert epm.podOwnerDepositShares(module.address) == STAKE
    assert module.activation_epoch() == chain.validator(pubkey).activation_epoch  # unchanged

    # the request through the pod: nothing ends before the proof
    with boa.env.prank(staker):
        module.request_exit(value=module.exit_fee())
    assert manager.cluster_status(cluster_id) == c.CLUSTER_STAKED
    assert rewards.status(cluster_id) == c.STREAM_STREAMING  # still streaming until the exit is proven
    next_block(chain)  # the block after the request includes it: the spec initiates the exit
    v = chain.validator(pubkey)
    exit_epoch = v.exit_epoch
    assert exit_epoch < FAR_FUTURE_EPOCH and v.withdrawable_epoch == exit_epoch + 256
    # withdrawable 256 epochs after the exit: the sweep pays the whole balance to the pod
    run_epochs(chain, v.withdrawable_epoch - chain.epoch)
    wait_for(chain, lambda: v.balance == 0, "the sweep of the exited balance", epochs=2)
    paid = boa.env.get_balance(pod.address)
    assert paid == sum(wei for address, wei in chain.paid if address == pod.address)
    assert paid >= STAKE  # principal plus consensus rewards
    # a checkpoint (anyone) proves the zero balance: the validator is WITHDRAWN, the pod's ETH withdrawable;
    # the module still streams until anyone proves the exit, and says so to a holder asking again
    checkpoint(chain, module, pubkey, outsider)
    assert pod.validatorPubkeyToInfo(pubkey).status == POD_WITHDRAWN
    assert rewards.status(cluster_id) == c.STREAM_STREAMING
    with boa.env.prank(staker), boa.reverts("strategy_module: validator exited, prove it"):
        module.request_exit(value=module.exit_fee())
    # the exit is proven (anyone): the stream ends at the exit epoch, however late the proof
    module.prove_exit(
        seats_of(module, module.cluster_id()),
        chain.last_timestamp,
        chain.validator_proof(pubkey),
        sender=outsider,
    )
    assert manager.cluster_status(cluster_id) == c.CLUSTER_EXITED
    assert rewards.status(cluster_id) == c.STREAM_ENDED
    assert rewards.get_stream(cluster_id).end == manager.beacon_genesis_time() + exit_epoch * EPOCH
    assert pod.withdrawableRestakedExecutionLayerGwei() * GWEI == paid
    shares = epm.podOwnerDepositShares(module.address)
    assert shares == paid
    # the holder queues the shares; after EigenLayer's delay anyone completes, the ETH reaches the module
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.queue_withdrawal(shares)
    with boa.env.prank(staker):
        module.queue_withdrawal(shares)
    assert epm.podOwnerDepositShares(module.address) == 0
    withdrawal = dm.getQueuedWithdrawals(module.address)[0][-1]
    with reverts_with_error("WithdrawalDelayNotElapsed()"):
        module.complete_withdrawal(withdrawal, sender=outsider)
    boa.env.time_travel(blocks=dm.minWithdrawalDelayBlocks() + 1)
    module.complete_withdrawal(withdrawal, sender=outsider)
    assert boa.env.get_balance(module.address) == paid
    assert boa.env.get_balance(pod.address) == 0
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        module.withdraw(paid, staker)
    assert boa.env.get_balance(staker) == before + paid


def test_a_pre_deposit_the_beacon_chain_ignores_is_reclaimed(protocol, owner, operators, stakers):
    """Deposit data whose root checks but whose signature does not: the beacon chain ignores the 1 ETH,
    no validator ever exists, no proof can come; after the time-out the staker takes its 31 ETH back."""
    auction, manager = protocol.auction, protocol.manager
    chain = spec_chain(protocol)
    for i, op in enumerate(operators[:4]):
        due = auction.price_to_pay(op, [1000], [100 + i])
        with boa.env.prank(op):
            auction.bid([1000], [100 + i], value=due)
    with boa.env.prank(owner):
        (cluster_id,) = manager.pre_create_clusters(1)
    credentials = bytes(manager.withdrawal_credentials(cluster_id))
    d = make_deposit_data(credentials, seed=b"a key whose signature goes wrong")
    pubkey, signature, _ = as_args(d)
    bad_signature = signature[:95] + bytes([signature[95] ^ 1])
    root = deposit_data_root(pubkey, credentials, PRE_DEPOSIT // GWEI, bad_signature)
    # ClusterKeys refuses such a signature (tests/staker/test_cluster_keys.py); handed to the manager
    # directly, it shows the safety net behind that check: reclaim_stake after the time-out
    accept_deposit(manager, cluster_id, pubkey, bad_signature, root)
    staker = stakers[0]
    start = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        manager.create_strategy_module_and_stake(value=STAKE)
    # the chain drops the deposit once it leaves the pending queue (finalized): the signature fails
    wait_for(chain, lambda: not chain.pending_deposits(pubkey), "the deposit out of the pending queue")
    assert not chain.has_validator(pubkey) and [bytes(d.pubkey) for d in chain.ignored_deposits] == [pubkey]
    boa.env.time_travel(seconds=manager.pending_cluster_ttl())
    with boa.env.prank(staker):
        manager.reclaim_stake(cluster_id, seats_of(manager, cluster_id))
    assert boa.env.get_balance(staker) == start - PRE_DEPOSIT
