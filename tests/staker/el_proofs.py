"""Synthetic EigenLayer-format (v1.12) proofs of a cluster's validator for the staker-side tests.

A cluster's validator lives in a made-up Pectra beacon state (tests/eigenlayer/beacon.py) at index
`VALIDATOR_INDEX`, after a few unrelated validators; the state is rebuilt from the cluster's pubkey and
credentials each time, so every proof of one cluster names the same index, as the pod requires. Each proof's
block root is posted to the BeaconRoots stand-in 12 s later, as the EIP-4788 system call does.

    module.restake(*restake_args(protocol, cluster_id, activation_epoch=7))
    checkpoint(protocol, module, balance_gwei=0)     # the validator withdrawn: its balance swept to the pod
"""

from __future__ import annotations

import boa

from deploy.beacon import post_beacon_root
from deploy.protocol import at
from tests.eigenlayer.beacon import FAR_FUTURE_EPOCH, GWEI, PECTRA, Chain

OTHER_VALIDATORS = 3
VALIDATOR_INDEX = OTHER_VALIDATORS

# EigenPod.VALIDATOR_STATUS
POD_INACTIVE, POD_ACTIVE, POD_WITHDRAWN = 0, 1, 2


def pod_of(module):
    """A handle on the module's EigenPod."""
    return at("eigen_pod_implementation", module.eigen_pod())


def cluster_chain(
    manager,
    cluster_id: int,
    activation_epoch: int = FAR_FUTURE_EPOCH,
    exit_epoch: int = FAR_FUTURE_EPOCH,
    balance_gwei: int = 32 * GWEI,
) -> Chain:
    """A Pectra beacon state holding the cluster's validator (32 ETH effective) at `VALIDATOR_INDEX`."""
    chain = Chain(PECTRA)
    for n in range(OTHER_VALIDATORS):
        chain.add(bytes([0xB0 + n]) * 48, b"\x00" * 32)
    index = chain.add(
        bytes(manager.validator_pubkey(cluster_id)),
        bytes(manager.withdrawal_credentials(cluster_id)),
        balance_gwei=balance_gwei,
        activation_epoch=activation_epoch,
        exit_epoch=exit_epoch,
    )
    assert index == VALIDATOR_INDEX
    return chain


def post(protocol, snap) -> int:
    """The next block (12 s on) has the snapshot as its parent beacon block; returns the 4788 timestamp."""
    boa.env.time_travel(seconds=12)
    return post_beacon_root(protocol.beacon_roots, snap.block_root)


def restake_args(protocol, cluster_id: int, **fields) -> tuple:
    """`module.restake`'s arguments: the cluster's validator (with `fields`) proven against a fresh root."""
    snap = cluster_chain(protocol.manager, cluster_id, **fields).snapshot()
    timestamp = post(protocol, snap)
    i = VALIDATOR_INDEX
    return timestamp, snap.state_root_proof(), i, snap.validator_proof(i), snap.fields(i)


def checkpoint(protocol, module, balance_gwei: int = 0, caller=None) -> int:
    """Anyone starts a checkpoint of the module's pod on a fresh root showing the validator's balance at
    `balance_gwei` (0: exited and swept, the pod marks it WITHDRAWN) and proves that balance (if the pod has
    an active validator). Returns the checkpoint's timestamp."""
    cluster_id = module.cluster_id()
    snap = cluster_chain(protocol.manager, cluster_id, balance_gwei=balance_gwei).snapshot()
    timestamp = post(protocol, snap)
    pod = pod_of(module)
    with boa.env.prank(caller or boa.env.eoa):
        module.start_checkpoint()
        if pod.currentCheckpointTimestamp():
            pod.verifyCheckpointProofs(snap.balance_container_proof(), [snap.balance_proof(VALIDATOR_INDEX)])
    assert pod.currentCheckpointTimestamp() == 0  # finalised
    return timestamp
