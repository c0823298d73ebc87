"""The two-phase stake (issue 9, docs/protocol.md §9, §11): `create_strategy_module_and_stake` pre-deposits
1 ETH and keeps 31 ETH; `confirm_stake` (a proof, checked by the manager itself, that the validator has the
pod's credentials) sends the 31 ETH as a top-up straight to the deposit contract and starts the stream,
and restakes nothing: EigenLayer restakes a validator only once it has an activation epoch
(`StrategyModule.restake`, anyone); `report_frontrun` (a proof of other credentials) gives the staker the
31 ETH and the winners' bonds, the winners their prices, and fails the cluster.

Proofs here are synthetic (tests/staker/proofs.py: real sha256 branches up to a root posted to BeaconRoots;
tests/staker/restaking.py: EigenLayer-format proofs for the restake); tests/staker/test_beacon_flow.py runs
the same paths against the consensus-spec chain (deploy/sim/beacon.py).
"""

from __future__ import annotations

import boa
import pytest

from deploy.constants import c
from deploy.keys import deposit_data_root, eigen_pod_withdrawal_credentials
from tests.staker.conftest import (
    ETH,
    PRE_DEPOSIT,
    STAKE,
    TOP_UP,
    deposit_data,
    event_names,
    events,
    mock_deployer,
    module_at,
    seed_for,
)
from tests.staker.proofs import FAR_FUTURE_EPOCH, posted_proof, pubkey_root, validator_fields
from tests.staker.restaking import POD_STATUS_ACTIVE, cluster_chain, pod_of, restake, restake_args
from tests.utils.errors import reverts_with_error
from tests.utils.seats import bid_ids_of, operators_of, seats_of

STREAMING, CANCELLED = 2, 5
ATTACKER_CREDENTIALS = b"\x01" + b"\x00" * 11 + b"\xaa" * 20


@pytest.fixture(scope="module")
def beacon_roots(protocol):
    return protocol.beacon_roots


@pytest.fixture(scope="module")
def pre_deposited(ready_cluster, stake, stakers, manager):
    """Phase 1 done for a fresh cluster: returns (cluster id, module, staker, pubkey, pod credentials)."""

    def run(staker=None):
        staker = staker or stakers[0]
        cluster_id = ready_cluster()
        module = module_at(stake(staker))
        pubkey = bytes(manager.validator_pubkey(cluster_id))
        credentials = bytes(manager.withdrawal_credentials(cluster_id))
        return cluster_id, module, staker, pubkey, credentials

    return run


@pytest.fixture(scope="module")
def two_pre_deposited(operators, bid_round, pre_create, register, stake, stakers):
    """Clusters 0 and 1 pre-created, registered and staked by two stakers: both await their proof."""

    def run():
        bid_round(operators)
        pre_create(2)
        register(0)
        register(1)
        stake(stakers[0])
        stake(stakers[1])

    return run


def proof_for(beacon_roots, pubkey, credentials, **kwargs):
    return posted_proof(beacon_roots, validator_fields(pubkey, credentials, **kwargs))


# ---------------------------------------------------------------- confirm_stake


def test_confirm_stake(
    manager, staker_rewards, eigen_pod_manager, deposit_contract, beacon_roots, pre_deposited, outsider
):
    cluster_id, module, staker, pubkey, credentials = pre_deposited()
    signature = bytes.fromhex(deposit_data(credentials, seed_for(cluster_id))["signature"])  # as registered
    timestamp, proof = proof_for(beacon_roots, pubkey, credentials)
    with boa.env.prank(outsider):  # anyone
        manager.confirm_stake(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    logs = manager.get_logs()
    assert events(logs, "StakeConfirmed") == [
        {"cluster_id": cluster_id, "validator_index": 3, "beacon_timestamp": timestamp, "top_up": TOP_UP}
    ]
    assert events(logs, "ClusterStaked") == [
        {"cluster_id": cluster_id, "pubkey": pubkey, "withdrawal_credentials": credentials, "amount": STAKE}
    ]
    # the top-up: 31 ETH with the pod's credentials, the registered signature, the root recomputed for 31 ETH
    (deposit,) = events(logs, "DepositEvent")
    assert deposit["pubkey"] == pubkey and deposit["signature"] == signature
    assert deposit["withdrawal_credentials"] == credentials
    assert deposit["amount"] == (TOP_UP // 10**9).to_bytes(8, "little")
    assert deposit_data_root(pubkey, credentials, TOP_UP // 10**9, signature) != deposit_data_root(
        pubkey, credentials, PRE_DEPOSIT // 10**9, signature
    )
    assert "StreamStarted" in event_names(logs)
    assert "ValidatorRestaked" not in event_names(logs)
    assert boa.env.get_balance(deposit_contract.address) == STAKE
    assert boa.env.get_balance(manager.address) == 0
    assert manager.cluster_status(cluster_id) == c.CLUSTER_STAKED
    assert manager.num_pre_deposited_clusters() == 0
    assert module.is_staked()
    assert staker_rewards.status(cluster_id) == STREAMING
    # nothing passes through the pod, and nothing is restaked yet (the validator has no activation epoch)
    assert boa.env.get_balance(module.eigen_pod()) == 0
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == 0


def test_confirm_stake_only_once(manager, beacon_roots, pre_deposited):
    cluster_id, _, _, pubkey, credentials = pre_deposited()
    timestamp, proof = proof_for(beacon_roots, pubkey, credentials)
    manager.confirm_stake(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    with boa.reverts("strategy_module_manager: cluster not awaiting proof"):
        manager.confirm_stake(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    with boa.reverts("strategy_module_manager: cluster not awaiting proof"):
        manager.report_frontrun(cluster_id, seats_of(manager, cluster_id), timestamp, proof)


def test_confirm_stake_of_unknown_or_pending_cluster_reverts(
    manager, beacon_roots, operators, bid_round, pre_create
):
    timestamp, proof = proof_for(beacon_roots, b"\x11" * 48, ATTACKER_CREDENTIALS)
    with boa.reverts("strategy_module_manager: unknown cluster"):
        manager.confirm_stake(0, [], timestamp, proof)
    bid_round(operators[:4])
    pre_create(1)
    assert manager.cluster_status(0) == c.CLUSTER_PENDING
    with boa.reverts("strategy_module_manager: cluster not awaiting proof"):
        manager.confirm_stake(0, seats_of(manager, 0), timestamp, proof)
    with boa.reverts("strategy_module_manager: cluster not awaiting proof"):
        manager.report_frontrun(0, seats_of(manager, 0), timestamp, proof)


def test_confirm_stake_with_another_clusters_proof_reverts(manager, beacon_roots, two_pre_deposited):
    two_pre_deposited()
    pubkey0, creds0 = bytes(manager.validator_pubkey(0)), bytes(manager.withdrawal_credentials(0))
    timestamp, proof0 = proof_for(beacon_roots, pubkey0, creds0)
    for call in (manager.confirm_stake, manager.report_frontrun):
        with boa.reverts("strategy_module_manager: proof is for another validator"):
            call(1, seats_of(manager, 1), timestamp, proof0)
    # cluster 0's key with cluster 1's credentials is still cluster 0's validator
    timestamp, mixed = proof_for(beacon_roots, pubkey0, bytes(manager.withdrawal_credentials(1)))
    with boa.reverts("strategy_module_manager: withdrawal credentials are not the pod's"):
        manager.confirm_stake(0, seats_of(manager, 0), timestamp, mixed)
    manager.confirm_stake(0, seats_of(manager, 0), *proof_for(beacon_roots, pubkey0, creds0))
    assert manager.cluster_status(1) == c.CLUSTER_PRE_DEPOSITED


def test_confirm_stake_with_foreign_credentials_reverts(manager, beacon_roots, pre_deposited):
    cluster_id, _, _, pubkey, _ = pre_deposited()
    timestamp, proof = proof_for(beacon_roots, pubkey, ATTACKER_CREDENTIALS)
    with boa.reverts("strategy_module_manager: withdrawal credentials are not the pod's"):
        manager.confirm_stake(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_PRE_DEPOSITED


def test_confirm_stake_with_a_bad_proof_reverts(manager, beacon_roots, pre_deposited, deposit_contract):
    cluster_id, _, _, pubkey, credentials = pre_deposited()
    timestamp, proof = proof_for(beacon_roots, pubkey, credentials)
    state_root, header, index, fields, branch = proof
    tampered = list(branch)
    tampered[7] = bytes([tampered[7][0] ^ 1]) + tampered[7][1:]
    with boa.reverts("strategy_module_manager: invalid validator proof"):
        manager.confirm_stake(
            cluster_id,
            seats_of(manager, cluster_id),
            timestamp,
            (state_root, header, index, fields, tampered),
        )
    with boa.reverts("strategy_module_manager: invalid validator proof"):
        manager.confirm_stake(
            cluster_id,
            seats_of(manager, cluster_id),
            timestamp,
            (state_root, header, index + 1, fields, branch),
        )
    with boa.reverts("strategy_module_manager: unknown beacon root"):
        manager.confirm_stake(cluster_id, seats_of(manager, cluster_id), timestamp + 1, proof)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_PRE_DEPOSITED
    assert boa.env.get_balance(deposit_contract.address) == PRE_DEPOSIT


def test_confirm_stake_of_an_exiting_validator_reverts(manager, beacon_roots, pre_deposited):
    cluster_id, _, _, pubkey, credentials = pre_deposited()
    timestamp, proof = proof_for(beacon_roots, pubkey, credentials, exit_epoch=1000)
    with boa.reverts("strategy_module_manager: validator is exiting"):
        manager.confirm_stake(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_PRE_DEPOSITED


def test_restake_after_confirmation_once_the_validator_is_activated(
    manager, protocol, beacon_roots, pre_deposited, eigen_pod_manager, outsider
):
    """EigenLayer cannot restake the 1 ETH validator (no activation epoch): the manager checks the proof
    itself, still refusing a bad proof or an exiting validator, and anyone restakes through the module once
    the beacon chain has activated the validator."""
    cluster_id, module, _, pubkey, credentials = pre_deposited()
    pod = pod_of(module)
    # a bad proof, an unknown root and an exiting validator are refused by the manager itself
    with boa.reverts("strategy_module_manager: validator is exiting"):
        manager.confirm_stake(
            cluster_id,
            seats_of(manager, cluster_id),
            *proof_for(beacon_roots, pubkey, credentials, exit_epoch=900),
        )
    boa.env.time_travel(seconds=12)  # a new block: BeaconRoots keeps one root per timestamp
    timestamp, proof = proof_for(beacon_roots, pubkey, credentials)
    assert proof[3][5] == (FAR_FUTURE_EPOCH).to_bytes(8, "little") + bytes(24)  # no activation epoch yet
    state_root, header, index, fields, branch = proof
    with boa.reverts("strategy_module_manager: invalid validator proof"):
        manager.confirm_stake(
            cluster_id,
            seats_of(manager, cluster_id),
            timestamp,
            (state_root, header, index + 1, fields, branch),
        )
    with boa.reverts("strategy_module_manager: unknown beacon root"):
        manager.confirm_stake(cluster_id, seats_of(manager, cluster_id), timestamp + 1, proof)
    manager.confirm_stake(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_STAKED
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == 0
    # the beacon chain has not activated it yet: EigenLayer refuses it
    chain, validator = cluster_chain(pubkey, pod.address, activation_epoch=FAR_FUTURE_EPOCH)
    with boa.env.prank(outsider), reverts_with_error("ValidatorInactiveOnBeaconChain()"):
        module.restake(*restake_args(protocol, chain, validator))
    # activated, with the top-up in: anyone restakes its 32 ETH
    chain.set(validator, activation_epoch=20)
    restake(protocol, module, chain, validator, sender=outsider)
    assert pod.validatorStatus(pubkey_root(pubkey)) == POD_STATUS_ACTIVE
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == STAKE
    assert module.activation_epoch() == 20
    assert manager.cluster_status(cluster_id) == c.CLUSTER_STAKED


# ---------------------------------------------------------------- report_frontrun


def test_report_frontrun(
    manager, auction, escrow, staker_rewards, beacon_roots, pre_deposited, deposit_contract, outsider
):
    cluster_id, module, staker, pubkey, _ = pre_deposited()
    winners = list(operators_of(auction, cluster_id))
    bonds = sum(auction.get_bid(b).bond for b in bid_ids_of(auction, cluster_id))
    prices = {
        op: auction.get_bid(b).price for op, b in zip(winners, bid_ids_of(auction, cluster_id), strict=True)
    }
    assert bonds == 4 * ETH
    balance = boa.env.get_balance(staker)
    timestamp, proof = proof_for(beacon_roots, pubkey, ATTACKER_CREDENTIALS)
    with boa.env.prank(outsider):  # anyone
        manager.report_frontrun(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    logs = manager.get_logs()
    assert events(logs, "FrontrunReported") == [
        {
            "cluster_id": cluster_id,
            "staker": staker,
            "validator_index": 3,
            "beacon_timestamp": timestamp,
            "withdrawal_credentials": ATTACKER_CREDENTIALS,
            "refund": TOP_UP,
            "refund_receiver": staker,
        }
    ]
    assert "ClusterCancelled" in event_names(logs)
    assert boa.env.get_balance(staker) == balance + TOP_UP
    assert boa.env.get_balance(manager.address) == 0
    assert manager.cluster_status(cluster_id) == c.CLUSTER_FAILED
    assert manager.num_pre_deposited_clusters() == 0
    assert staker_rewards.status(cluster_id) == CANCELLED
    # the bonds are the staker's, the prices the winners'
    assert escrow.claimable(staker) == bonds
    for op in winners:
        assert escrow.claimable(op) == prices[op]
    with boa.env.prank(staker):
        auction.claim_refund()
    assert boa.env.get_balance(staker) == balance + TOP_UP + bonds
    # nothing more is ever deposited for this key, and it never happens twice
    with boa.reverts("strategy_module_manager: cluster not awaiting proof"):
        manager.confirm_stake(
            cluster_id,
            seats_of(manager, cluster_id),
            *proof_for(beacon_roots, pubkey, module_credentials(manager, cluster_id)),
        )
    with boa.reverts("strategy_module_manager: cluster not awaiting proof"):
        manager.report_frontrun(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    assert boa.env.get_balance(deposit_contract.address) == PRE_DEPOSIT


def module_credentials(manager, cluster_id):
    return bytes(manager.withdrawal_credentials(cluster_id))


def test_report_frontrun_of_an_honest_validator_reverts(manager, beacon_roots, pre_deposited):
    cluster_id, _, _, pubkey, credentials = pre_deposited()
    timestamp, proof = proof_for(beacon_roots, pubkey, credentials)
    with boa.reverts("strategy_module_manager: no front-run: the validator is the pod's"):
        manager.report_frontrun(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_PRE_DEPOSITED


def test_report_exit_before_confirmation(manager, beacon_roots, pre_deposited):
    """The key holders exited the validator before the 31 ETH went in: reported like a front-run."""
    cluster_id, _, staker, pubkey, credentials = pre_deposited()
    timestamp, proof = proof_for(beacon_roots, pubkey, credentials, exit_epoch=500)
    balance = boa.env.get_balance(staker)
    manager.report_frontrun(cluster_id, seats_of(manager, cluster_id), timestamp, proof)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_FAILED
    assert boa.env.get_balance(staker) == balance + TOP_UP


def test_report_frontrun_with_a_bad_proof_reverts(manager, beacon_roots, pre_deposited):
    cluster_id, _, _, pubkey, _ = pre_deposited()
    timestamp, proof = proof_for(beacon_roots, pubkey, ATTACKER_CREDENTIALS)
    state_root, header, index, fields, branch = proof
    forged = list(fields)
    forged[2] = b"\x01" + forged[2][1:]
    with boa.reverts("strategy_module_manager: invalid validator proof"):
        manager.report_frontrun(
            cluster_id, seats_of(manager, cluster_id), timestamp, (state_root, header, index, forged, branch)
        )
    with boa.reverts("strategy_module_manager: invalid validator proof"):
        manager.report_frontrun(
            cluster_id,
            seats_of(manager, cluster_id),
            timestamp,
            (state_root, header, index, fields, branch[:46]),
        )
    with boa.reverts("strategy_module_manager: unknown beacon root"):
        manager.report_frontrun(cluster_id, seats_of(manager, cluster_id), timestamp + 1, proof)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_PRE_DEPOSITED


def test_report_frontrun_refund_to_a_staker_that_rejects_eth(manager, beacon_roots, ready_cluster, stakers):
    """A holder that cannot receive ETH gets the 31 ETH in its module (withdrawable with `withdraw`)."""
    cluster_id = ready_cluster()
    staker = mock_deployer("ContractStaker").deploy(manager.address, 3)
    boa.env.set_balance(staker.address, STAKE)
    with boa.env.prank(stakers[0]):
        module = module_at(staker.stake(value=STAKE))
    pubkey = bytes(manager.validator_pubkey(cluster_id))
    manager.report_frontrun(
        cluster_id, seats_of(manager, cluster_id), *proof_for(beacon_roots, pubkey, ATTACKER_CREDENTIALS)
    )
    (event,) = events(manager.get_logs(), "FrontrunReported")
    assert event["refund_receiver"] == module.address
    assert boa.env.get_balance(module.address) == TOP_UP
    assert boa.env.get_balance(manager.address) == 0


def test_manager_holds_31_eth_per_cluster_awaiting_proof(manager, beacon_roots, two_pre_deposited):
    two_pre_deposited()
    assert boa.env.get_balance(manager.address) == 2 * TOP_UP == manager.num_pre_deposited_clusters() * TOP_UP
    pubkey = bytes(manager.validator_pubkey(0))
    manager.confirm_stake(
        0, seats_of(manager, 0), *proof_for(beacon_roots, pubkey, module_credentials(manager, 0))
    )
    assert boa.env.get_balance(manager.address) == TOP_UP == manager.num_pre_deposited_clusters() * TOP_UP
    pubkey = bytes(manager.validator_pubkey(1))
    manager.report_frontrun(1, seats_of(manager, 1), *proof_for(beacon_roots, pubkey, ATTACKER_CREDENTIALS))
    assert boa.env.get_balance(manager.address) == 0 == manager.num_pre_deposited_clusters()


def test_eigen_pod_credentials_helper(manager, ready_cluster):
    cluster_id = ready_cluster()
    _, pod, _ = manager.predict_addresses(cluster_id, seats_of(manager, cluster_id))
    assert module_credentials(manager, cluster_id) == eigen_pod_withdrawal_credentials(pod)


# ---------------------------------------------------------------- reclaim_stake (no proof in time)


def test_reclaim_stake_after_the_time_out(manager, auction, escrow, staker_rewards, pre_deposited, outsider):
    cluster_id, module, staker, _, _ = pre_deposited()
    owed = {
        seat.operator: auction.get_bid(seat.bid_id).price + auction.get_bid(seat.bid_id).bond
        for seat in seats_of(manager, cluster_id)
    }
    with boa.env.prank(staker), boa.reverts("strategy_module_manager: proof time-out not over"):
        manager.reclaim_stake(cluster_id, seats_of(manager, cluster_id))
    boa.env.time_travel(seconds=manager.pending_cluster_ttl())
    balance = boa.env.get_balance(staker)
    with boa.env.prank(outsider):  # anyone: a holder that cannot act must not lock the winners' funds
        manager.reclaim_stake(cluster_id, seats_of(manager, cluster_id))
    assert events(manager.get_logs(), "StakeReclaimed") == [
        {"cluster_id": cluster_id, "staker": staker, "refund": TOP_UP, "refund_receiver": staker}
    ]
    assert boa.env.get_balance(staker) == balance + TOP_UP
    assert boa.env.get_balance(manager.address) == 0
    assert manager.cluster_status(cluster_id) == c.CLUSTER_RECLAIMED
    assert manager.num_pre_deposited_clusters() == 0
    assert staker_rewards.status(cluster_id) == CANCELLED
    for op, amount in owed.items():  # prices back, bonds unlocked: the operators did not misbehave provably
        assert escrow.claimable(op) == amount
    with boa.env.prank(staker), boa.reverts("strategy_module_manager: cluster not awaiting proof"):
        manager.reclaim_stake(cluster_id, seats_of(manager, cluster_id))
    assert manager.strategy_module_of(cluster_id) == module.address  # the module stays the holder's


def test_reclaim_stake_refused_once_proven(manager, beacon_roots, pre_deposited):
    cluster_id, _, staker, pubkey, credentials = pre_deposited()
    manager.confirm_stake(
        cluster_id, seats_of(manager, cluster_id), *proof_for(beacon_roots, pubkey, credentials)
    )
    boa.env.time_travel(seconds=manager.pending_cluster_ttl())
    with boa.env.prank(staker), boa.reverts("strategy_module_manager: cluster not awaiting proof"):
        manager.reclaim_stake(cluster_id, seats_of(manager, cluster_id))
