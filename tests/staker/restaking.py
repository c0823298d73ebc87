"""EigenLayer v1.12 steps of a cluster's module for the staker-side unit tests, on synthetic beacon states.

A cluster's validator lives in a made-up Pectra-layout state (tests/eigenlayer/beacon.py `Chain`) beside two
foreign validators; each step posts the state's block root to BeaconRoots (as the EIP-4788 system call does)
and submits EigenLayer-format proofs of it:

    chain, index = cluster_chain(pubkey, module.eigen_pod())   # 32 ETH, active since ACTIVATION_EPOCH
    restake(protocol, module, chain, index)                     # module.restake (anyone)
    checkpoint(protocol, module, chain, [index])                # module.start_checkpoint + the pod's proofs
    sweep(module, chain, index, amount)                         # the beacon chain pays the pod
    queued_withdrawal(protocol, module); wait_withdrawal_delay(protocol)

or, by cluster id (the state rebuilt from the manager's pubkey and credentials each time, so every proof of
one cluster names the same index, as the pod requires):

    module.restake(*cluster_restake_args(protocol, cluster_id, activation_epoch=7))
    cluster_checkpoint(protocol, module, balance_gwei=0)   # exited and swept: the pod marks it WITHDRAWN

tests/staker/test_beacon_flow.py runs the same steps against the consensus-spec chain (deploy/sim/beacon.py).
"""

from __future__ import annotations

from pathlib import Path

import boa

from deploy.constants import Constants, read_constants
from deploy.protocol import at
from deploy.sim.system_calls import post_beacon_root
from tests.eigenlayer.beacon import FAR_FUTURE_EPOCH, GWEI, PECTRA, Chain, credentials

ACTIVATION_EPOCH = 10
# The pod's validator statuses, read from the compiled stand-in (EigenLayer's VALIDATOR_STATUS).
_POD = Constants(
    read_constants(Path(__file__).resolve().parents[2] / "contracts/external/eigenlayer/EigenPod.vy")
)
POD_STATUS_INACTIVE, POD_STATUS_ACTIVE, POD_STATUS_WITHDRAWN = (
    _POD.STATUS_INACTIVE,
    _POD.STATUS_ACTIVE,
    _POD.STATUS_WITHDRAWN,
)
BEACON_CHAIN_ETH = "0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0"
ZERO = "0x0000000000000000000000000000000000000000"
NO_SIGNATURE = (b"", 0)
NO_SALT = b"\x00" * 32


def pod_of(module):
    """A handle on the module's EigenPod."""
    return at("eigen_pod_implementation", module.eigen_pod())


def cluster_chain(
    pubkey: bytes,
    pod: str,
    activation_epoch: int = ACTIVATION_EPOCH,
    exit_epoch: int = FAR_FUTURE_EPOCH,
    effective_gwei: int = 32 * GWEI,
    prefix: int = 1,
) -> tuple[Chain, int]:
    """A beacon state holding the cluster's validator (with `pod`'s credentials) at index 2."""
    chain = Chain(PECTRA)
    for n in range(2):
        chain.add(bytes([0xA0 + n]) * 48, credentials(1, "0x" + "bb" * 20))
    index = chain.add(
        pubkey,
        credentials(prefix, pod),
        effective_gwei=effective_gwei,
        activation_epoch=activation_epoch,
        exit_epoch=exit_epoch,
    )
    return chain, index


def post(protocol, snap) -> int:
    """The next block (12 s on) has the snapshot's block root as its parent root; returns the timestamp."""
    boa.env.time_travel(seconds=12)
    return post_beacon_root(protocol.beacon_roots, snap.block_root)


def next_block(protocol) -> int:
    """The next block (12 s on) with some parent root posted (a checkpoint reads it); returns its time."""
    boa.env.time_travel(seconds=12)
    return post_beacon_root(protocol.beacon_roots, boa.env.timestamp.to_bytes(32, "big"))


def restake_args(protocol, chain: Chain, index: int) -> tuple:
    """`module.restake`'s five arguments for validator `index` of a fresh snapshot (its root posted)."""
    snap = chain.snapshot()
    timestamp = post(protocol, snap)
    return timestamp, snap.state_root_proof(), index, snap.validator_proof(index), snap.fields(index)


def restake(protocol, module, chain: Chain, index: int, sender=None) -> int:
    """Restake through the module (anyone); returns the beacon timestamp proven."""
    args = restake_args(protocol, chain, index)
    module.restake(*args, sender=sender or boa.env.eoa)
    return args[0]


def checkpoint(protocol, module, chain: Chain, indices, sender=None) -> int:
    """Start a checkpoint through the module (anyone) on a fresh snapshot and prove `indices`' balances
    straight to the pod; returns the checkpoint timestamp."""
    sender = sender or boa.env.eoa
    snap = chain.snapshot()
    timestamp = post(protocol, snap)
    module.start_checkpoint(sender=sender)
    pod = pod_of(module)
    if pod.currentCheckpointTimestamp():
        pod.verifyCheckpointProofs(
            snap.balance_container_proof(), [snap.balance_proof(i) for i in indices], sender=sender
        )
    return timestamp


def sweep(module, chain: Chain, index: int, amount: int) -> None:
    """The beacon chain pays the validator's `amount` wei to the pod (a withdrawal runs no code)."""
    pod = module.eigen_pod()
    boa.env.set_balance(pod, boa.env.get_balance(pod) + amount)
    chain.set(index, balance_gwei=0)


def queued_withdrawal(protocol, module):
    """The module's last queued withdrawal, as EigenLayer has it (the `Withdrawal` tuple)."""
    withdrawals, _ = protocol.delegation_manager.getQueuedWithdrawals(module.address)
    return withdrawals[-1]


def wait_withdrawal_delay(protocol) -> None:
    boa.env.time_travel(blocks=protocol.delegation_manager.minWithdrawalDelayBlocks() + 1)


def cluster_validator(protocol, cluster_id: int, **fields) -> tuple[Chain, int]:
    """`cluster_chain` of a cluster's own validator: the manager's pubkey and credentials (its pod's)."""
    manager = protocol.manager
    pod = "0x" + bytes(manager.withdrawal_credentials(cluster_id))[12:].hex()
    return cluster_chain(bytes(manager.validator_pubkey(cluster_id)), pod, **fields)


def cluster_restake_args(protocol, cluster_id: int, **fields) -> tuple:
    """`module.restake`'s arguments: the cluster's validator (with `fields`) proven against a fresh root."""
    return restake_args(protocol, *cluster_validator(protocol, cluster_id, **fields))


def cluster_checkpoint(protocol, module, balance_gwei: int = 0, caller=None) -> int:
    """Anyone checkpoints the module's pod on a fresh root showing the validator's balance at `balance_gwei`
    (0: exited and swept, the pod marks it WITHDRAWN); the checkpoint is finalised. Returns its timestamp."""
    chain, index = cluster_validator(protocol, module.cluster_id())
    chain.set(index, balance_gwei=balance_gwei)
    timestamp = checkpoint(protocol, module, chain, [index], sender=caller)
    assert pod_of(module).currentCheckpointTimestamp() == 0  # finalised
    return timestamp
