"""The exit state machine's steps for the staker-side tests (docs/protocol.md §10), with synthetic proofs:
restake the validator (EigenLayer-format credential proof, tests/staker/restaking.py, which also records the
activation epoch) or prove the activation epoch alone (project-format, tests/staker/proofs.py), wait for
activation + 256 epochs, request the exit, prove the exit epoch, bring the principal home EigenLayer's way
(sweep, checkpoint, queue, delay, completion)."""

from __future__ import annotations

import boa

from deploy.sim.system_calls import withdrawal_request_fee
from tests.staker.conftest import STAKE
from tests.staker.proofs import posted_proof, validator_fields
from tests.staker.restaking import (
    cluster_checkpoint,
    cluster_restake_args,
    queued_withdrawal,
    wait_withdrawal_delay,
)
from tests.utils.constants import c
from tests.utils.seats import seats_of

EPOCH = c.SECONDS_PER_EPOCH
GWEI = 10**9


def now() -> int:
    return boa.env.evm.patch.timestamp


def epoch_now(manager) -> int:
    return (now() - manager.beacon_genesis_time()) // EPOCH


def prove(protocol, cluster_id, salt, **epochs):
    """A fresh beacon block root (12 s later) with the cluster's validator at `epochs`: (timestamp, proof)."""
    m = protocol.manager
    fields = validator_fields(
        bytes(m.validator_pubkey(cluster_id)),
        bytes(m.withdrawal_credentials(cluster_id)),
        balance_gwei=32 * GWEI,
        **epochs,
    )
    boa.env.time_travel(seconds=12)
    return posted_proof(protocol.beacon_roots, fields, salt=salt)


def activate(protocol, cluster_id, module, caller=None) -> int:
    """Anyone restakes the validator, activating at the next epoch, through EigenLayer (its credentials
    proven to the pod: 32 ETH of deposit shares), which records the activation epoch; returns it."""
    activation = epoch_now(protocol.manager) + 1
    with boa.env.prank(caller or boa.env.eoa):
        module.restake(*cluster_restake_args(protocol, cluster_id, activation_epoch=activation))
    return activation


def prove_activation(protocol, cluster_id, module) -> int:
    """Anyone proves the activation epoch (the next epoch) with the project's own proof, without
    restaking; returns it."""
    activation = epoch_now(protocol.manager) + 1
    module.prove_activation(*prove(protocol, cluster_id, b"activation", activation_epoch=activation))
    return activation


def wait_for_exit_window(protocol, activation) -> None:
    """Time passes until activation + SHARD_COMMITTEE_PERIOD epochs (the beacon chain honours exits)."""
    due = protocol.manager.beacon_genesis_time() + (activation + c.SHARD_COMMITTEE_PERIOD) * EPOCH
    if due > now():
        boa.env.time_travel(seconds=due - now())


def request_exit(protocol, module, holder) -> int:
    fee = withdrawal_request_fee(protocol.withdrawal_requests)
    with boa.env.prank(holder):
        module.request_exit(value=fee)
    return fee


def prove_exit(protocol, cluster_id, module, activation, exit_epoch=None, caller=None) -> int:
    """Anyone proves the exit epoch (default: the current epoch + 5); returns the exit epoch's time."""
    exit_epoch = epoch_now(protocol.manager) + 5 if exit_epoch is None else exit_epoch
    proof = prove(protocol, cluster_id, b"exit", activation_epoch=activation, exit_epoch=exit_epoch)
    if caller is None:
        module.prove_exit(seats_of(module, module.cluster_id()), *proof)
    else:
        with boa.env.prank(caller):
            module.prove_exit(seats_of(module, module.cluster_id()), *proof)
    return protocol.manager.beacon_genesis_time() + exit_epoch * EPOCH


def sweep(module, amount=STAKE) -> None:
    """The beacon chain pays the exited validator's balance to the pod (a balance change, no code run)."""
    pod = module.eigen_pod()
    boa.env.set_balance(pod, boa.env.get_balance(pod) + amount)


def queue_principal(protocol, module, holder) -> tuple:
    """The holder queues every deposit share; returns (root, the queued `Withdrawal`)."""
    shares = protocol.eigen_pod_manager.podOwnerDepositShares(module.address)
    with boa.env.prank(holder):
        root = module.queue_withdrawal(shares)
    return root, queued_withdrawal(protocol, module)


def bring_principal_home(protocol, module, holder, amount=STAKE, caller=None) -> int:
    """After the proven exit: the beacon chain sweeps `amount` to the pod; anyone checkpoints it (the
    validator's balance proven 0); the holder queues every deposit share; after EigenLayer's delay anyone
    (`caller`) completes the withdrawal as ETH to the module; the holder withdraws it. Returns what the
    holder received."""
    sweep(module, amount)
    cluster_checkpoint(protocol, module, balance_gwei=0, caller=caller)
    _, withdrawal = queue_principal(protocol, module, holder)
    wait_withdrawal_delay(protocol)
    held = boa.env.get_balance(module.address)
    with boa.env.prank(caller or boa.env.eoa):
        module.complete_withdrawal(withdrawal)
    received = boa.env.get_balance(module.address) - held
    before = boa.env.get_balance(holder)
    with boa.env.prank(holder):
        module.withdraw(received, holder)
    return boa.env.get_balance(holder) - before


def conserved(staker_rewards, cluster_id) -> bool:
    """docs/protocol.md §10 per cluster, exactly (unaccrued is 0 once closed and past its stop)."""
    a = staker_rewards.accounting(cluster_id, seats_of(staker_rewards, cluster_id))
    return (
        a.paid_to_stakers
        + a.credited_to_stakers
        + a.claimable
        + a.unaccrued
        + a.refunded
        + a.forfeited
        + a.dust
        == a.funded + a.renewals + a.rotated_in
    )
