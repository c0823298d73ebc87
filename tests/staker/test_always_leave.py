"""A staker can always leave (issue 18, docs/protocol.md §10): whatever the stream's state and whoever acts or
fails to act, the holder of a staked cluster can request the exit, see it honoured once the beacon chain
allows it, and get the principal home.

Regression tests, each failing on the code before the exit state machine:
- expiry no longer blocks the exit (it refunded the credits and unlocked the bonds, then every request
  reverted "staker_rewards: not streaming" while the validator ran on);
- an exit request the beacon chain drops is not final: nothing ends at the request, it can be repeated, and a
  request the beacon chain would drop (before activation + 256 epochs) is refused with a reason;
- the stream ends and the bonds unlock only when the exit is proven, at the exit epoch's time;
- after a pre-deposit the beacon chain ignored, anyone may reclaim the stake after the time-out (the 31 ETH go
  to the holder, or to its module when the holder cannot receive);
- ByzNft transfers refuse ETH;
- once the exit is proven and the principal withdrawn (checkpoint, queued withdrawal, completion), the
  module's deposit shares and the operator's delegated shares are gone.

The exit request needs the validator restaked in the pod (EigenLayer v1.12 sends the request for pod-active
validators only): `restake` proves its credentials and records the activation epoch. The proofs here are
synthetic: EigenLayer-format (tests/staker/restaking.py) for the pod, the project's format
(tests/staker/proofs.py) for `prove_activation` and `prove_exit`; tests/staker/test_beacon_flow.py and the
state machines play the same exit against the consensus-spec chain (deploy/sim/beacon.py).
"""

from __future__ import annotations

import boa
import pytest

from deploy.protocol import deployer_for
from deploy.sim.system_calls import dequeue_withdrawal_requests, withdrawal_request_fee
from tests.eigenlayer.beacon import FAR_FUTURE_EPOCH, pubkey_hash
from tests.staker.conftest import (
    ETH,
    STAKE,
    TOP_UP,
    emitted_by,
    event_names,
    events,
    mock_deployer,
    module_at,
)
from tests.staker.exits import (
    activate,
    bring_principal_home,
    conserved,
    epoch_now,
    now,
    prove,
    prove_activation,
    prove_exit,
    queue_principal,
    request_exit,
    sweep,
    wait_for_exit_window,
)
from tests.staker.restaking import POD_STATUS_WITHDRAWN, cluster_checkpoint, cluster_restake_args, pod_of
from tests.utils.constants import DAY, c
from tests.utils.errors import reverts_with_error
from tests.utils.seats import cluster_of, operators_of, seats_of

ZERO = "0x0000000000000000000000000000000000000000"
BEACON_CHAIN_ETH = "0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0"


@pytest.fixture(scope="module")
def bonds_of(auction, escrow):
    def run(cluster_id):
        cluster = cluster_of(auction, cluster_id)
        return {b: escrow.is_locked(b) for b in cluster.bid_ids}

    return run


# ---------------------------------------------------------------- the request


def test_request_exit_after_activation_and_256_epochs(
    manager, staker_rewards, eigen_pod_manager, protocol, confirmed_module, outsider
):
    cluster_id, module, staker = confirmed_module()
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == 0  # confirmed, not yet restaked
    activation = activate(protocol, cluster_id, module, caller=outsider)  # anyone restakes
    logs = emitted_by(module.get_logs(), module.address)
    assert events(logs, "Restaked")[0]["caller"] == outsider
    assert events(logs, "ActivationProven")[0]["activation_epoch"] == activation
    assert module.activation_epoch() == activation
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == STAKE
    wait_for_exit_window(protocol, activation)
    fee = withdrawal_request_fee(protocol.withdrawal_requests)
    balance = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        module.request_exit(value=fee + ETH)  # the excess comes back
    pubkey = bytes(manager.validator_pubkey(cluster_id))
    assert events(emitted_by(module.get_logs(), module.address), "ExitRequested") == [
        {"cluster_id": cluster_id, "pubkey": pubkey, "fee": fee}
    ]
    assert boa.env.get_balance(staker) == balance - fee
    # nothing ends at a request: the beacon chain may drop it
    assert manager.cluster_status(cluster_id) == c.CLUSTER_STAKED
    assert staker_rewards.status(cluster_id) == c.STREAM_STREAMING
    assert dequeue_withdrawal_requests(protocol.withdrawal_requests) == [(module.eigen_pod(), pubkey, 0)]


def test_request_exit_refused_before_the_beacon_chain_would_honour_it(protocol, confirmed_module):
    cluster_id, module, staker = confirmed_module()
    fee = withdrawal_request_fee(protocol.withdrawal_requests)
    with boa.env.prank(staker), boa.reverts("strategy_module: activation not proven"):
        module.request_exit(value=fee)
    activation = activate(protocol, cluster_id, module)
    wait_for_exit_window(protocol, activation)
    boa.env.time_travel(seconds=-1)
    with boa.env.prank(staker), boa.reverts("strategy_module: exit before activation + 256 epochs"):
        module.request_exit(value=fee)
    boa.env.time_travel(seconds=1)
    with boa.env.prank(staker):
        module.request_exit(value=fee)


def test_request_exit_refused_for_a_validator_not_restaked(protocol, confirmed_module, eigen_pod_manager):
    """The activation proven with the project's own proof, the window open: the pod sends exit requests for
    its restaked validators only, so the module refuses with a reason until anyone restakes it."""
    cluster_id, module, staker = confirmed_module()
    activation = prove_activation(protocol, cluster_id, module)
    wait_for_exit_window(protocol, activation)
    fee = withdrawal_request_fee(protocol.withdrawal_requests)
    with boa.env.prank(staker), boa.reverts("strategy_module: validator not restaked"):
        module.request_exit(value=fee)
    module.restake(*cluster_restake_args(protocol, cluster_id, activation_epoch=activation))
    assert "ActivationProven" not in event_names(module.get_logs())  # proven already
    assert module.activation_epoch() == activation
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == STAKE
    with boa.env.prank(staker):
        module.request_exit(value=fee)
    pubkey = bytes(protocol.manager.validator_pubkey(cluster_id))
    assert dequeue_withdrawal_requests(protocol.withdrawal_requests) == [(module.eigen_pod(), pubkey, 0)]


def test_restake_guards(protocol, confirmed_module, eigen_pod_manager):
    """Restaking proves the cluster's own validator, once it has an activation epoch, and only once; it
    records the activation epoch, after which the project's activation proof is refused."""
    cluster_id, module, _ = confirmed_module()
    with reverts_with_error("ValidatorInactiveOnBeaconChain()"):
        module.restake(*cluster_restake_args(protocol, cluster_id, activation_epoch=FAR_FUTURE_EPOCH))
    other_id, other, _ = confirmed_module()
    with boa.reverts("strategy_module: proof is for another validator"):
        other.restake(*cluster_restake_args(protocol, cluster_id, activation_epoch=5))
    activation = activate(protocol, cluster_id, module)
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == STAKE
    assert eigen_pod_manager.podOwnerDepositShares(other.address) == 0
    with reverts_with_error("CredentialsAlreadyVerified()"):
        module.restake(*cluster_restake_args(protocol, cluster_id, activation_epoch=activation))
    with boa.reverts("strategy_module: activation already proven"):
        prove_activation(protocol, cluster_id, module)
    assert module.activation_epoch() == activation
    assert other.activation_epoch() == 0


def test_request_exit_guards(protocol, confirmed_module, ready_cluster, stake, stakers, outsider):
    cluster_id, module, staker = confirmed_module()
    wait_for_exit_window(protocol, activate(protocol, cluster_id, module))
    fee = withdrawal_request_fee(protocol.withdrawal_requests)
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.request_exit(value=fee)
    with boa.env.prank(staker), boa.reverts("strategy_module: exit fee not covered"):
        module.request_exit(value=fee - 1)
    # before the confirmation: not staked
    ready_cluster()
    awaiting = module_at(stake(stakers[1]))
    with boa.env.prank(stakers[1]), boa.reverts("strategy_module: cluster not staked"):
        awaiting.request_exit(value=fee)


def test_a_dropped_request_is_not_final(manager, protocol, confirmed_module):
    """The beacon chain drops a request without a trace (here: the end-of-block call consumes it and
    nothing exits). The cluster stays staked and streaming, and the holder asks again."""
    cluster_id, module, staker = confirmed_module()
    wait_for_exit_window(protocol, activate(protocol, cluster_id, module))
    request_exit(protocol, module, staker)
    assert len(dequeue_withdrawal_requests(protocol.withdrawal_requests)) == 1  # dropped
    boa.env.time_travel(seconds=12 * DAY)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_STAKED
    request_exit(protocol, module, staker)
    request_exit(protocol, module, staker)  # as often as needed, paying the fee each time
    assert len(dequeue_withdrawal_requests(protocol.withdrawal_requests)) == 2


def test_prove_activation_guards(protocol, confirmed_module, outsider):
    cluster_id, module, _ = confirmed_module()
    with boa.reverts("strategy_module: validator has no activation epoch"):
        module.prove_activation(*prove(protocol, cluster_id, b"a"))
    timestamp, proof = prove(protocol, cluster_id, b"b", activation_epoch=7)
    with boa.reverts("strategy_module: unknown beacon root"):
        module.prove_activation(timestamp + 1, proof)
    bad = list(proof)
    bad[3] = list(proof[3])
    bad[3][5] = (8).to_bytes(8, "little") + bytes(24)  # another activation epoch than the root's
    with boa.reverts("strategy_module: invalid validator proof"):
        module.prove_activation(timestamp, tuple(bad))
    other = list(proof)
    other[3] = [b"\x01" * 32] + list(proof[3][1:])
    with boa.reverts("strategy_module: proof is for another validator"):
        module.prove_activation(timestamp, tuple(other))
    with boa.env.prank(outsider):  # anyone
        module.prove_activation(timestamp, proof)
    with boa.reverts("strategy_module: activation already proven"):
        module.prove_activation(timestamp, proof)


# ---------------------------------------------------------------- the proven exit


def test_prove_exit_ends_the_stream_at_the_exit_epoch_and_unlocks_the_bonds(
    manager, staker_rewards, escrow, auction, protocol, confirmed_module, outsider, bonds_of
):
    cluster_id, module, staker = confirmed_module()
    activation = activate(protocol, cluster_id, module)
    wait_for_exit_window(protocol, activation)
    request_exit(protocol, module, staker)
    # the bonds stay locked while the validator runs, even after the request
    boa.env.time_travel(seconds=3 * DAY)
    assert all(bonds_of(cluster_id).values())
    start = staker_rewards.get_stream(cluster_id).start
    claimable = {op: escrow.claimable(op) for op in operators_of(auction, cluster_id)}
    exit_epoch = epoch_now(manager) - 10  # proven late: the seconds since the exit epoch are refunded
    exit_time = prove_exit(protocol, cluster_id, module, activation, exit_epoch=exit_epoch, caller=outsider)
    logs = module.get_logs()
    assert events(logs, "ExitProven")[0]["exit_time"] == exit_time
    assert events(emitted_by(logs, manager.address), "ExitProven") == [
        {"cluster_id": cluster_id, "strategy_module": module.address, "exit_time": exit_time}
    ]
    assert manager.cluster_status(cluster_id) == c.CLUSTER_EXITED
    assert staker_rewards.status(cluster_id) == c.STREAM_ENDED
    assert staker_rewards.get_stream(cluster_id).end == exit_time
    assert not any(bonds_of(cluster_id).values())
    served = exit_time - start
    for i, op in enumerate(operators_of(auction, cluster_id)):
        seat = staker_rewards.get_seat(cluster_id, seats_of(staker_rewards, cluster_id), i)
        # seconds not served × daily VC price / 86 400, with the bond
        assert escrow.claimable(op) - claimable[op] == seat.vc * (seat.days * DAY - served) // DAY + c.BOND
    assert conserved(staker_rewards, cluster_id)
    # works once; no request after it
    with boa.reverts("strategy_module: cluster not staked"):
        prove_exit(protocol, cluster_id, module, activation)
    with boa.env.prank(staker), boa.reverts("strategy_module: cluster not staked"):
        module.request_exit(value=ETH)
    assert bring_principal_home(protocol, module, staker) == STAKE


def test_prove_exit_guards(protocol, confirmed_module, manager, outsider):
    cluster_id, module, _ = confirmed_module()
    with boa.reverts("strategy_module: validator not exiting"):
        module.prove_exit(
            seats_of(module, module.cluster_id()), *prove(protocol, cluster_id, b"c", activation_epoch=3)
        )
    with boa.env.prank(outsider), boa.reverts("strategy_module_manager: caller is not a strategy module"):
        manager.on_exit_proven(now())
    # only this cluster's validator: another cluster's module refuses this one's proof
    other_id, other, _ = confirmed_module()
    proof = prove(protocol, cluster_id, b"d", activation_epoch=3, exit_epoch=epoch_now(manager) + 5)
    with boa.reverts("strategy_module: proof is for another validator"):
        other.prove_exit(seats_of(other, other.cluster_id()), *proof)
    assert manager.cluster_status(other_id) == c.CLUSTER_STAKED


def test_expiry_no_longer_blocks_the_exit(
    manager, staker_rewards, escrow, auction, protocol, confirmed_module, outsider, bonds_of
):
    """The high-severity case: credits run out, anyone expires the cluster; the holder still exits, the
    bonds unlock only at the proven exit, nothing is refunded twice, the principal comes home."""
    cluster_id, module, staker = confirmed_module()
    activation = activate(protocol, cluster_id, module)
    end = staker_rewards.get_stream(cluster_id).end
    boa.env.time_travel(seconds=end - now())
    staker_rewards.expire(cluster_id, seats_of(staker_rewards, cluster_id), sender=outsider)
    assert staker_rewards.status(cluster_id) == c.STREAM_EXPIRED
    assert manager.cluster_status(cluster_id) == c.CLUSTER_STAKED
    assert all(bonds_of(cluster_id).values())  # the validator still runs
    operators = operators_of(auction, cluster_id)
    refunds = {op: escrow.claimable(op) for op in operators}
    # a year later the holder exits
    boa.env.time_travel(seconds=365 * DAY)
    wait_for_exit_window(protocol, activation)
    request_exit(protocol, module, staker)
    prove_exit(protocol, cluster_id, module, activation)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_EXITED
    assert staker_rewards.status(cluster_id) == c.STREAM_ENDED
    assert not any(bonds_of(cluster_id).values())
    for op in operators:  # the bonds alone: the credits came back at the expiry, once
        assert escrow.claimable(op) == refunds[op] + c.BOND
    assert staker_rewards.get_stream(cluster_id).end == end
    assert conserved(staker_rewards, cluster_id)
    assert bring_principal_home(protocol, module, staker) == STAKE


def test_a_sold_cluster_exits_for_its_buyer(byz_nft, staker_rewards, protocol, confirmed_module, stakers):
    cluster_id, module, seller = confirmed_module()
    buyer = stakers[3]
    activation = activate(protocol, cluster_id, module)
    with boa.env.prank(seller):
        byz_nft.transferFrom(seller, buyer, cluster_id)
    wait_for_exit_window(protocol, activation)
    with boa.env.prank(seller), boa.reverts("strategy_module: caller is not the owner"):
        module.request_exit(value=ETH)
    request_exit(protocol, module, buyer)
    prove_exit(protocol, cluster_id, module, activation)
    assert conserved(staker_rewards, cluster_id)
    # the principal is the buyer's: the seller can neither queue it nor withdraw it
    sweep(module)
    cluster_checkpoint(protocol, module)
    with boa.env.prank(seller), boa.reverts("strategy_module: caller is not the owner"):
        module.queue_withdrawal(STAKE)
    _, withdrawal = queue_principal(protocol, module, buyer)
    boa.env.time_travel(blocks=protocol.delegation_manager.minWithdrawalDelayBlocks() + 1)
    module.complete_withdrawal(withdrawal, sender=seller)  # anyone completes, to the module
    with boa.env.prank(seller), boa.reverts("strategy_module: caller is not the owner"):
        module.withdraw(STAKE, seller)
    before = boa.env.get_balance(buyer)
    module.withdraw(STAKE, buyer, sender=buyer)
    assert boa.env.get_balance(buyer) - before == STAKE


def test_shares_do_not_outlive_the_principal(
    protocol, confirmed_module, eigen_pod_manager, delegation_manager, operators
):
    """The module's deposit shares and the operator's delegated shares (32 ETH once restaked) are gone
    once the exit is proven, checkpointed and the principal withdrawn through EigenLayer's queue."""
    cluster_id, module, staker = confirmed_module()
    eigen_operator = operators[7]
    delegation_manager.registerAsOperator(ZERO, 0, "", sender=eigen_operator)
    with boa.env.prank(staker):
        module.delegate_to(eigen_operator, (b"", 0), b"\x00" * 32)
    assert delegation_manager.delegatedTo(module.address) == eigen_operator
    activation = activate(protocol, cluster_id, module)
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == STAKE
    assert delegation_manager.operatorShares(eigen_operator, BEACON_CHAIN_ETH) == STAKE
    wait_for_exit_window(protocol, activation)
    request_exit(protocol, module, staker)
    prove_exit(protocol, cluster_id, module, activation)
    assert bring_principal_home(protocol, module, staker) == STAKE
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == 0
    assert delegation_manager.operatorShares(eigen_operator, BEACON_CHAIN_ETH) == 0
    assert delegation_manager.getWithdrawableShares(module.address, [BEACON_CHAIN_ETH])[0] == [0]
    assert delegation_manager.getQueuedWithdrawals(module.address)[0] == []
    pubkey = bytes(protocol.manager.validator_pubkey(cluster_id))
    assert pod_of(module).validatorStatus(pubkey_hash(pubkey)) == POD_STATUS_WITHDRAWN


def test_prove_exit_after_the_pods_checkpoint(protocol, confirmed_module, eigen_pod_manager):
    """Anyone may checkpoint the swept balance first (the pod marks the validator withdrawn: v1.12 has no
    exit proof of its own): the module's exit proof still ends the stream and the principal still comes
    home."""
    cluster_id, module, staker = confirmed_module()
    activation = activate(protocol, cluster_id, module)
    pubkey = bytes(protocol.manager.validator_pubkey(cluster_id))
    sweep(module)
    cluster_checkpoint(protocol, module)
    assert pod_of(module).validatorStatus(pubkey_hash(pubkey)) == POD_STATUS_WITHDRAWN
    assert protocol.manager.cluster_status(cluster_id) == c.CLUSTER_STAKED
    prove_exit(protocol, cluster_id, module, activation)
    assert protocol.manager.cluster_status(cluster_id) == c.CLUSTER_EXITED
    assert (
        eigen_pod_manager.podOwnerDepositShares(module.address) == STAKE
    )  # checkpointed ETH, not yet queued
    _, withdrawal = queue_principal(protocol, module, staker)
    boa.env.time_travel(blocks=protocol.delegation_manager.minWithdrawalDelayBlocks() + 1)
    module.complete_withdrawal(withdrawal)
    assert boa.env.get_balance(module.address) == STAKE
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == 0


# ---------------------------------------------------------------- a holder that cannot act, transfers


def test_anyone_reclaims_for_a_holder_that_cannot_act(
    manager, escrow, auction, ready_cluster, protocol, outsider, stakers
):
    """A contract holder without `reclaim_stake` and unable to receive ETH: after the time-out anyone
    reclaims; the 31 ETH go to its module (never stuck), the winners get their prices and bonds back."""
    cluster_id = ready_cluster()
    holder = mock_deployer("ContractStaker").deploy(manager.address, 3)  # takes the NFT, rejects ETH
    module = module_at(holder.stake(value=STAKE, sender=stakers[0]))
    cluster = cluster_of(auction, cluster_id)
    owed = {
        op: auction.get_bid(b).price + auction.get_bid(b).bond
        for op, b in zip(cluster.operators, cluster.bid_ids, strict=True)
    }
    boa.env.time_travel(seconds=manager.pending_cluster_ttl())
    with boa.env.prank(outsider):
        manager.reclaim_stake(cluster_id, seats_of(manager, cluster_id))
    assert events(manager.get_logs(), "StakeReclaimed")[0]["refund_receiver"] == module.address
    assert manager.cluster_status(cluster_id) == c.CLUSTER_RECLAIMED
    assert boa.env.get_balance(module.address) == TOP_UP  # the holder's, never stuck
    for op, amount in owed.items():
        assert escrow.claimable(op) == amount


def test_byz_nft_transfers_refuse_ether(byz_nft, confirmed_module, stakers):
    cluster_id, _, staker = confirmed_module()
    with boa.env.prank(staker):
        with boa.reverts("byz_nft: transfers take no ether"):
            byz_nft.transferFrom(staker, stakers[1], cluster_id, value=1)
        with boa.reverts("byz_nft: transfers take no ether"):
            byz_nft.safeTransferFrom(staker, stakers[1], cluster_id, b"", value=1)
    assert byz_nft.ownerOf(cluster_id) == staker
    assert boa.env.get_balance(byz_nft.address) == 0


def test_beacon_genesis_time_is_a_deployment_parameter(protocol, owner):
    """Epochs become timestamps from the beacon chain's genesis: given for a real network (mainnet's here),
    or the deployment block's timestamp (0) for a local chain whose beacon model starts with it."""
    roles = ("auction", "staker_rewards", "byz_nft", "eigen_pod_manager", "delegation_manager")
    args = [getattr(protocol, r).address for r in roles]
    args += [protocol.split_factory.address, protocol.beacon_roots.address, 86_400]
    mainnet = deployer_for("manager").deploy(*args, 1_606_824_023, sender=owner)
    assert mainnet.beacon_genesis_time() == 1_606_824_023
    local = deployer_for("manager").deploy(*args, 0, sender=owner)
    assert local.beacon_genesis_time() == now()
