"""The end of a cluster (issues 10 and 18, docs/protocol.md §10): the holder's exit request (EIP-7002 through
the pod, for a restaked validator), the proven exit (the stream ends, the bonds unlock), the principal home
through EigenLayer (checkpoint, queued withdrawal, delay, completion) and the dissolution of a pre-created
cluster nobody staked (owner any time, anyone after `pending_cluster_ttl`)."""

from __future__ import annotations

import boa
import pytest

from deploy.constants import c
from deploy.sim.system_calls import dequeue_withdrawal_requests, withdrawal_request_fee
from tests.eigenlayer.beacon import pubkey_hash
from tests.staker.conftest import (
    ETH,
    STAKE,
    emitted_by,
    event_names,
    events,
)
from tests.staker.exits import (
    activate,
    bring_principal_home,
    prove_exit,
    request_exit,
    sweep,
    wait_for_exit_window,
)
from tests.staker.restaking import POD_STATUS_ACTIVE, POD_STATUS_WITHDRAWN, cluster_checkpoint, pod_of
from tests.utils.deposits import accept_deposit
from tests.utils.errors import reverts_with_error
from tests.utils.seats import cluster_of, seats_of

ENDED, CANCELLED = 4, 5


# ---------------------------------------------------------------- request_exit and prove_exit
# (every path of the exit state machine: tests/staker/test_always_leave.py)


def test_request_exit_then_proven_exit(
    manager, staker_rewards, eigen_pod_manager, protocol, confirmed_module
):
    cluster_id, module, staker = confirmed_module()
    pod = pod_of(module)
    fee = withdrawal_request_fee(protocol.withdrawal_requests)
    assert module.exit_fee() == fee > 0
    pubkey = bytes(manager.validator_pubkey(cluster_id))
    activation = activate(protocol, cluster_id, module)
    wait_for_exit_window(protocol, activation)
    balance = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        module.request_exit(value=fee + ETH)  # the excess comes back
    logs = module.get_logs()
    assert events(emitted_by(logs, module.address), "ExitRequested") == [
        {"cluster_id": cluster_id, "pubkey": pubkey, "fee": fee}
    ]
    # the pod sends it (EigenLayer's full-exit event)
    assert events(emitted_by(logs, pod.address), "ExitRequested") == [
        {"validatorPubkeyHash": pubkey_hash(pubkey)}
    ]
    assert boa.env.get_balance(staker) == balance - fee
    assert boa.env.get_balance(module.address) == 0
    assert boa.env.get_balance(pod.address) == 0
    assert manager.cluster_status(cluster_id) == c.CLUSTER_STAKED  # until the exit is proven
    # the request's source is the pod (the address in the validator's credentials), amount 0: full exit
    assert dequeue_withdrawal_requests(protocol.withdrawal_requests) == [(pod.address, pubkey, 0)]
    prove_exit(protocol, cluster_id, module, activation)
    assert "StreamEnded" in event_names(module.get_logs())
    assert manager.cluster_status(cluster_id) == c.CLUSTER_EXITED
    assert module.is_staked()  # still the staker's validator until the beacon chain pays it out
    assert staker_rewards.status(cluster_id) == ENDED
    # the proven exit leaves the pod alone: the validator is restaked until a checkpoint sees it withdrawn
    assert pod.validatorStatus(pubkey_hash(pubkey)) == POD_STATUS_ACTIVE
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == STAKE


def test_principal_comes_home_after_the_exit(protocol, confirmed_module, eigen_pod_manager):
    """The beacon chain pays the balance (principal + rewards) to the pod, a balance change; a checkpoint
    credits it, the holder queues it, anyone completes it after the delay, the holder withdraws it."""
    cluster_id, module, staker = confirmed_module()
    activation = activate(protocol, cluster_id, module)
    wait_for_exit_window(protocol, activation)
    request_exit(protocol, module, staker)
    prove_exit(protocol, cluster_id, module, activation)
    assert bring_principal_home(protocol, module, staker, STAKE + ETH // 10) == STAKE + ETH // 10
    pubkey = bytes(protocol.manager.validator_pubkey(cluster_id))
    assert pod_of(module).validatorStatus(pubkey_hash(pubkey)) == POD_STATUS_WITHDRAWN
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == 0
    assert boa.env.get_balance(module.address) == 0
    assert boa.env.get_balance(module.eigen_pod()) == 0


def test_principal_home_guards(protocol, confirmed_module, delegation_manager, eigen_pod_manager, outsider):
    """Only the holder queues; only checkpointed ETH is paid; the completion waits out EigenLayer's delay
    (still refused at exactly startBlock + delay), anyone may then complete it, once, and the ETH reaches
    only the module; only the holder withdraws it."""
    cluster_id, module, staker = confirmed_module()
    activation = activate(protocol, cluster_id, module)
    wait_for_exit_window(protocol, activation)
    request_exit(protocol, module, staker)
    prove_exit(protocol, cluster_id, module, activation)
    sweep(module)
    shares = eigen_pod_manager.podOwnerDepositShares(module.address)
    assert shares == STAKE
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.queue_withdrawal(shares)
    with boa.env.prank(staker), reverts_with_error("SharesNegative()"):
        module.queue_withdrawal(shares + 1)
    # queued before the checkpoint: the pod has no withdrawable ETH yet
    with boa.env.prank(staker):
        root = module.queue_withdrawal(shares)
    assert events(emitted_by(module.get_logs(), module.address), "WithdrawalQueued") == [
        {
            "cluster_id": cluster_id,
            "withdrawal_root": root,
            "deposit_shares": STAKE,
        }
    ]
    withdrawal = delegation_manager.getQueuedWithdrawals(module.address)[0][-1]
    assert root == delegation_manager.calculateWithdrawalRoot(withdrawal)
    start = withdrawal[4]  # startBlock
    delay = delegation_manager.minWithdrawalDelayBlocks()
    boa.env.time_travel(blocks=start + delay - boa.env.evm.patch.block_number)
    with boa.env.prank(outsider), reverts_with_error("WithdrawalDelayNotElapsed()"):
        module.complete_withdrawal(withdrawal)
    boa.env.time_travel(blocks=1)
    with boa.env.prank(outsider), reverts_with_error("InsufficientWithdrawableBalance()"):
        module.complete_withdrawal(withdrawal)
    cluster_checkpoint(protocol, module, balance_gwei=0, caller=outsider)
    assert pod_of(module).withdrawableRestakedExecutionLayerGwei() == STAKE // 10**9
    # anyone completes: the ETH goes to the module, not to the caller
    outsider_balance = boa.env.get_balance(outsider)
    with boa.env.prank(outsider):
        module.complete_withdrawal(withdrawal)
    assert events(emitted_by(module.get_logs(), module.address), "WithdrawalCompleted") == [
        {"cluster_id": cluster_id, "withdrawal_root": root, "amount": STAKE}
    ]
    assert boa.env.get_balance(module.address) == STAKE
    assert boa.env.get_balance(outsider) == outsider_balance
    with boa.env.prank(outsider), reverts_with_error("WithdrawalNotQueued()"):
        module.complete_withdrawal(withdrawal)
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.withdraw(STAKE, outsider)
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        module.withdraw(STAKE, staker)
    assert boa.env.get_balance(staker) - before == STAKE
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == 0


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
    cluster = cluster_of(auction, cluster_id)
    owed = {
        op: auction.get_bid(b).price + auction.get_bid(b).bond
        for op, b in zip(cluster.operators, cluster.bid_ids, strict=True)
    }
    with boa.env.prank(owner):
        manager.dissolve_cluster(cluster_id, seats_of(manager, cluster_id))
    logs = manager.get_logs()
    assert events(logs, "ClusterDissolved") == [
        {"cluster_id": cluster_id, "caller": owner, "had_deposit_data": False}
    ]
    assert "ClusterCancelled" in event_names(logs)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_DISSOLVED
    assert manager.num_pending_clusters() == 1
    assert staker_rewards.status(cluster_id) == CANCELLED
    # prices and bonds back to the winners
    for op, amount in owed.items():
        assert escrow.claimable(op) == amount
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: cluster not pending"):
        manager.dissolve_cluster(cluster_id, seats_of(manager, cluster_id))


def test_dissolving_a_ready_cluster_takes_it_out_of_the_queue(
    manager, owner, pending_clusters, register, stake, stakers
):
    pending_clusters(3)
    data = {i: register(i) for i in range(3)}
    assert manager.ready_clusters(0, 10) == [0, 1, 2]
    with boa.env.prank(owner):
        manager.dissolve_cluster(1, seats_of(manager, 1))
    assert events(manager.get_logs(), "ClusterDissolved")[0]["had_deposit_data"] is True
    assert manager.ready_clusters(0, 10) == [0, 2]
    assert manager.num_ready_clusters() == 2 and manager.num_pending_clusters() == 2
    # its deposit data can never be used: not re-registered, not for another cluster, never staked
    pubkey = bytes.fromhex(data[1]["pubkey"])
    with boa.env.prank(owner):
        with boa.reverts("strategy_module_manager: cluster not pending"):
            accept_deposit(manager, 1, pubkey, bytes.fromhex(data[1]["signature"]), b"\x00" * 32)
    assert manager.cluster_of_module(stake(stakers[0])) == 0
    assert manager.cluster_of_module(stake(stakers[1])) == 2
    with boa.env.prank(stakers[2]), boa.reverts("strategy_module_manager: no cluster ready"):
        manager.create_strategy_module_and_stake(value=STAKE)
    assert manager.strategy_module_of(1) == "0x0000000000000000000000000000000000000000"


def test_dissolved_key_cannot_be_registered_for_another_cluster(manager, owner, pending_clusters, register):
    pending_clusters(2)
    register(0)
    with boa.env.prank(owner):
        manager.dissolve_cluster(0, seats_of(manager, 0))
    from tests.staker.conftest import as_args, deposit_data, seed_for

    # cluster 0's key signed for cluster 1's credentials
    d = deposit_data(bytes(manager.withdrawal_credentials(1)), seed_for(0))
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: pubkey already registered"):
        accept_deposit(manager, 1, *as_args(d))


def test_anyone_dissolves_after_the_ttl(manager, outsider, pending_clusters):
    (cluster_id,) = pending_clusters(1)
    ttl = manager.pending_cluster_ttl()
    settled = manager.settled_at(cluster_id)
    assert settled > 0
    boa.env.time_travel(seconds=settled + ttl - 1 - boa.env.evm.patch.timestamp)
    with boa.env.prank(outsider), boa.reverts("strategy_module_manager: pending cluster ttl not over"):
        manager.dissolve_cluster(cluster_id, seats_of(manager, cluster_id))
    boa.env.time_travel(seconds=1)
    with boa.env.prank(outsider):
        manager.dissolve_cluster(cluster_id, seats_of(manager, cluster_id))
    assert events(manager.get_logs(), "ClusterDissolved") == [
        {"cluster_id": cluster_id, "caller": outsider, "had_deposit_data": False}
    ]
    assert manager.cluster_status(cluster_id) == c.CLUSTER_DISSOLVED


def test_dissolve_refuses_unknown_and_taken_clusters(
    manager, owner, ready_cluster, stake, stakers, confirmed_module
):
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: unknown cluster"):
        manager.dissolve_cluster(0, [])
    cluster_id = ready_cluster()
    stake(stakers[0])
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: cluster not pending"):
        manager.dissolve_cluster(cluster_id, seats_of(manager, cluster_id))


def test_dissolve_refuses_a_confirmed_cluster(manager, owner, confirmed_module):
    cluster_id, _, _ = confirmed_module()
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: cluster not pending"):
        manager.dissolve_cluster(cluster_id, seats_of(manager, cluster_id))


def test_pending_status_kept_until_dissolved(manager, pending_clusters):
    (cluster_id,) = pending_clusters(1)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_PENDING
