"""The end of a cluster (issue 10, PROTOCOL §10): the holder's exit request (EIP-7002 through the pod, the
stream ends) and the dissolution of a pre-created cluster nobody staked (owner any time, anyone after
`pending_cluster_ttl`)."""

from __future__ import annotations

import boa
import pytest

from deploy.beacon import dequeue_withdrawal_requests, withdrawal_request_fee
from tests.staker.conftest import (
    ETH,
    STAKE,
    STATUS_DISSOLVED,
    STATUS_EXITED,
    STATUS_PENDING,
    STATUS_PRE_DEPOSITED,
    emitted_by,
    event_names,
    events,
    module_at,
)

ENDED, CANCELLED = 4, 5


# ---------------------------------------------------------------- request_exit


def test_request_exit(manager, staker_rewards, protocol, confirmed_module):
    cluster_id, module, staker = confirmed_module()
    pod = module.eigen_pod()
    fee = withdrawal_request_fee(protocol.withdrawal_requests)
    assert module.exit_fee() == fee > 0
    pubkey = bytes(manager.validator_pubkey(cluster_id))
    balance = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        module.request_exit(value=fee + ETH)  # the excess comes back
    logs = module.get_logs()
    assert events(logs, "ExitRequested")[-1] == {"cluster_id": cluster_id, "pubkey": pubkey, "fee": fee}
    for name in ("WithdrawalRequested", "StreamEnded"):
        assert name in event_names(logs)
    assert boa.env.get_balance(staker) == balance - fee
    assert boa.env.get_balance(module.address) == 0
    assert manager.cluster_status(cluster_id) == STATUS_EXITED
    assert module.is_staked()  # still the staker's validator until the beacon chain pays it out
    assert staker_rewards.status(cluster_id) == ENDED
    # the request's source is the pod (the address in the validator's credentials), amount 0: full exit
    assert dequeue_withdrawal_requests(protocol.withdrawal_requests) == [(pod, pubkey, 0)]


def test_request_exit_emits_the_managers_event(manager, confirmed_module, protocol):
    cluster_id, module, staker = confirmed_module()
    with boa.env.prank(staker):
        module.request_exit(value=withdrawal_request_fee(protocol.withdrawal_requests))
    logs = emitted_by(module.get_logs(), manager.address)
    assert events(logs, "ExitRequested") == [{"cluster_id": cluster_id, "strategy_module": module.address}]


def test_request_exit_only_holder(confirmed_module, outsider, protocol):
    _, module, _ = confirmed_module()
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.request_exit(value=ETH)


def test_request_exit_without_the_fee_reverts(manager, confirmed_module, protocol):
    cluster_id, module, staker = confirmed_module()
    fee = withdrawal_request_fee(protocol.withdrawal_requests)
    with boa.env.prank(staker), boa.reverts("strategy_module: exit fee not covered"):
        module.request_exit(value=fee - 1)
    assert manager.cluster_status(cluster_id) != STATUS_EXITED


def test_request_exit_only_once(confirmed_module, protocol):
    _, module, staker = confirmed_module()
    fee = withdrawal_request_fee(protocol.withdrawal_requests)
    with boa.env.prank(staker):
        module.request_exit(value=fee)
        with boa.reverts("strategy_module_manager: cluster not staked"):
            module.request_exit(value=ETH)


def test_request_exit_before_confirmation_reverts(manager, ready_cluster, stake, stakers, protocol):
    cluster_id = ready_cluster()
    module = module_at(stake(stakers[0]))
    assert manager.cluster_status(cluster_id) == STATUS_PRE_DEPOSITED
    with boa.env.prank(stakers[0]), boa.reverts("strategy_module_manager: cluster not staked"):
        module.request_exit(value=ETH)


def test_on_exit_requested_only_by_a_module(manager, outsider, confirmed_module):
    confirmed_module()
    with boa.env.prank(outsider), boa.reverts("strategy_module_manager: caller is not a strategy module"):
        manager.on_exit_requested()


def test_principal_comes_home_after_the_exit(confirmed_module, protocol):
    """The beacon chain pays the balance to the pod (a balance change, no code run); the holder pulls it."""
    _, module, staker = confirmed_module()
    with boa.env.prank(staker):
        module.request_exit(value=withdrawal_request_fee(protocol.withdrawal_requests))
    pod = module.eigen_pod()
    boa.env.set_balance(pod, boa.env.get_balance(pod) + STAKE + ETH // 10)  # principal + consensus rewards
    balance = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        module.withdraw_from_pod(STAKE + ETH // 10)
        module.withdraw(STAKE + ETH // 10, staker)
    assert boa.env.get_balance(staker) == balance + STAKE + ETH // 10


# ---------------------------------------------------------------- dissolve_cluster


@pytest.fixture(scope="module")
def pending_clusters(operators, bid_round, pre_create):
    def run(count=1):
        for k in range((count + 1) // 2):
            bid_round(operators, base_duration=100 + 20 * k)
        return pre_create(count)

    return run


def test_owner_dissolves_a_pending_cluster(manager, auction, escrow, staker_rewards, owner, pending_clusters):
    (cluster_id, _) = pending_clusters(2)
    cluster = auction.get_cluster(cluster_id)
    owed = {
        op: auction.get_bid(b).price + auction.get_bid(b).bond
        for op, b in zip(cluster.operators, cluster.bid_ids, strict=True)
    }
    with boa.env.prank(owner):
        manager.dissolve_cluster(cluster_id)
    logs = manager.get_logs()
    assert events(logs, "ClusterDissolved") == [
        {"cluster_id": cluster_id, "caller": owner, "had_deposit_data": False}
    ]
    assert "ClusterCancelled" in event_names(logs)
    assert manager.cluster_status(cluster_id) == STATUS_DISSOLVED
    assert manager.num_pending_clusters() == 1
    assert staker_rewards.status(cluster_id) == CANCELLED
    # prices and bonds back to the winners
    for op, amount in owed.items():
        assert escrow.claimable(op) == amount
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: cluster not pending"):
        manager.dissolve_cluster(cluster_id)


def test_dissolving_a_ready_cluster_takes_it_out_of_the_queue(
    manager, owner, pending_clusters, register, stake, stakers
):
    pending_clusters(3)
    data = {i: register(i) for i in range(3)}
    assert manager.ready_clusters(0, 10) == [0, 1, 2]
    with boa.env.prank(owner):
        manager.dissolve_cluster(1)
    assert events(manager.get_logs(), "ClusterDissolved")[0]["had_deposit_data"] is True
    assert manager.ready_clusters(0, 10) == [0, 2]
    assert manager.num_ready_clusters() == 2 and manager.num_pending_clusters() == 2
    # its deposit data can never be used: not re-registered, not for another cluster, never staked
    pubkey = bytes.fromhex(data[1]["pubkey"])
    with boa.env.prank(owner):
        with boa.reverts("strategy_module_manager: cluster not pending"):
            manager.register_deposit_data(1, pubkey, bytes.fromhex(data[1]["signature"]), b"\x00" * 32)
    assert manager.cluster_of_module(stake(stakers[0])) == 0
    assert manager.cluster_of_module(stake(stakers[1])) == 2
    with boa.env.prank(stakers[2]), boa.reverts("strategy_module_manager: no cluster ready"):
        manager.create_strategy_module_and_stake(value=STAKE)
    assert manager.strategy_module_of(1) == "0x0000000000000000000000000000000000000000"


def test_dissolved_key_cannot_be_registered_for_another_cluster(manager, owner, pending_clusters, register):
    pending_clusters(2)
    register(0)
    with boa.env.prank(owner):
        manager.dissolve_cluster(0)
    from tests.staker.conftest import as_args, deposit_data, seed_for

    # cluster 0's key signed for cluster 1's credentials
    d = deposit_data(bytes(manager.withdrawal_credentials(1)), seed_for(0))
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: pubkey already registered"):
        manager.register_deposit_data(1, *as_args(d))


def test_anyone_dissolves_after_the_ttl(manager, outsider, pending_clusters):
    (cluster_id,) = pending_clusters(1)
    ttl = manager.pending_cluster_ttl()
    settled = manager.settled_at(cluster_id)
    assert settled > 0
    boa.env.time_travel(seconds=settled + ttl - 1 - boa.env.evm.patch.timestamp)
    with boa.env.prank(outsider), boa.reverts("strategy_module_manager: pending cluster ttl not over"):
        manager.dissolve_cluster(cluster_id)
    boa.env.time_travel(seconds=1)
    with boa.env.prank(outsider):
        manager.dissolve_cluster(cluster_id)
    assert events(manager.get_logs(), "ClusterDissolved") == [
        {"cluster_id": cluster_id, "caller": outsider, "had_deposit_data": False}
    ]
    assert manager.cluster_status(cluster_id) == STATUS_DISSOLVED


def test_dissolve_refuses_unknown_and_taken_clusters(
    manager, owner, ready_cluster, stake, stakers, confirmed_module
):
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: unknown cluster"):
        manager.dissolve_cluster(0)
    cluster_id = ready_cluster()
    stake(stakers[0])
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: cluster not pending"):
        manager.dissolve_cluster(cluster_id)


def test_dissolve_refuses_a_confirmed_cluster(manager, owner, confirmed_module):
    cluster_id, _, _ = confirmed_module()
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: cluster not pending"):
        manager.dissolve_cluster(cluster_id)


def test_pending_status_kept_until_dissolved(manager, pending_clusters):
    (cluster_id,) = pending_clusters(1)
    assert manager.cluster_status(cluster_id) == STATUS_PENDING
