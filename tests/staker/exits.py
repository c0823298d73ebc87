"""The exit state machine's steps for the staker-side tests (docs/protocol.md §10), with synthetic proofs
(tests/staker/proofs.py): prove the activation epoch, wait for activation + 256 epochs, request the exit,
prove the exit epoch, bring the principal home."""

from __future__ import annotations

import boa

from deploy.beacon import withdrawal_request_fee
from tests.staker.conftest import STAKE
from tests.staker.proofs import posted_proof, validator_fields
from tests.utils.constants import c

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


def activate(protocol, cluster_id, module) -> int:
    """Anyone proves the activation epoch (the next epoch); returns it."""
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
        module.prove_exit(*proof)
    else:
        with boa.env.prank(caller):
            module.prove_exit(*proof)
    return protocol.manager.beacon_genesis_time() + exit_epoch * EPOCH


def bring_principal_home(module, holder, amount=STAKE) -> int:
    """The beacon chain pays the pod (no code run); the holder pulls it through the module."""
    pod = module.eigen_pod()
    boa.env.set_balance(pod, boa.env.get_balance(pod) + amount)
    before = boa.env.get_balance(holder)
    with boa.env.prank(holder):
        module.withdraw_from_pod(amount)
        module.withdraw(amount, holder)
    return boa.env.get_balance(holder) - before


def conserved(staker_rewards, cluster_id) -> bool:
    """docs/protocol.md §10 per cluster, exactly (unaccrued is 0 once closed and past its stop)."""
    a = staker_rewards.accounting(cluster_id)
    return (
        a.paid_to_stakers + a.credited_to_stakers + a.claimable + a.unaccrued + a.refunded + a.dust
        == a.funded + a.renewals
    )
