"""One EigenLayer v1.12 pod setup per test module: the deposit contract, the 4788 / 7002 stand-ins, the
EigenPodManager (with its pod implementation from a blueprint), a recording DelegationManager double, and
one pod owner's pod. titanoboa rolls the chain back after every test."""

from __future__ import annotations

import warnings
from pathlib import Path

import boa
import pytest

from deploy.protocol import ROOT
from deploy.sim.system_calls import post_beacon_root
from tests.eigenlayer.beacon import PECTRA, Chain, credentials
from tests.utils.actors import actor
from tests.utils.deployers import deployer_for, load
from tests.utils.standins import beacon_roots, withdrawal_requests  # noqa: F401 (fixtures)

EL = ROOT / "contracts" / "external" / "eigenlayer"
POD_SOURCE = EL / "EigenPod.vy"
EPM_SOURCE = EL / "EigenPodManager.vy"
MOCK_DM = Path(__file__).parent / "contracts" / "MockDelegationManager.vy"
BEACON_ETH = "0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0"
FORK_TIMESTAMP = 1  # every later 4788 timestamp proves a Pectra-layout state


def pod_at(address):
    """A handle on a pod (a minimal proxy: titanoboa warns that its code is not the implementation's)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="casted bytecode does not match")
        return load(POD_SOURCE).at(str(address))


@pytest.fixture(scope="module")
def deployer():
    return actor("owner", label="el_deployer")


@pytest.fixture(scope="module")
def pod_owner():
    return actor("staker", label="pod_owner")


@pytest.fixture(scope="module")
def proof_submitter():
    return actor("operator", label="proof_submitter")


@pytest.fixture(scope="module")
def non_owner():
    return actor("non_owner")


@pytest.fixture(scope="module")
def deposit_contract():
    return deployer_for("deposit_contract").deploy()


@pytest.fixture(scope="module")
def epm(deployer, deposit_contract, beacon_roots, withdrawal_requests):  # noqa: F811
    with boa.env.prank(deployer):
        blueprint = load(POD_SOURCE).deploy_as_blueprint()
        manager = load(EPM_SOURCE).deploy(deposit_contract, blueprint, beacon_roots, withdrawal_requests)
        manager.setProofTimestampSetter(deployer)
        manager.setPectraForkTimestamp(FORK_TIMESTAMP)
    return manager


@pytest.fixture(scope="module")
def dm(epm, deployer):
    double = load(MOCK_DM).deploy(epm)
    epm.setDelegationManager(double, sender=deployer)
    return double


@pytest.fixture(scope="module")
def pod(epm, dm, pod_owner):
    return pod_at(epm.createPod(sender=pod_owner))


@pytest.fixture
def chain(pod):
    """A fresh Pectra-layout beacon state (per test)."""
    return Chain(PECTRA)


def new_validator(chain: Chain, pod, n: int, prefix: int = 1, **fields) -> int:
    """Add validator `n` (pubkey derived from n) with `prefix` credentials to `pod`."""
    return chain.add(pubkey_of(n), credentials(prefix, pod.address), **fields)


def pubkey_of(n: int) -> bytes:
    return bytes([n + 1]) * 48


def post(beacon_roots, snap) -> int:  # noqa: F811
    """Next block (12 s on), its parent root = the snapshot's block root; returns the 4788 timestamp."""
    boa.env.time_travel(seconds=12)
    return post_beacon_root(beacon_roots, snap.block_root)


def restake(pod, beacon_roots, chain, indices, sender):  # noqa: F811
    """verifyWithdrawalCredentials for `indices` against a fresh snapshot; returns the 4788 timestamp."""
    snap = chain.snapshot()
    ts = post(beacon_roots, snap)
    pod.verifyWithdrawalCredentials(
        ts,
        snap.state_root_proof(),
        list(indices),
        [snap.validator_proof(i) for i in indices],
        [snap.fields(i) for i in indices],
        sender=sender,
    )
    return ts


def checkpoint(pod, beacon_roots, chain, indices, sender):  # noqa: F811
    """Start a checkpoint on a fresh snapshot and prove `indices`; returns the checkpoint timestamp."""
    snap = chain.snapshot()
    ts = post(beacon_roots, snap)
    pod.startCheckpoint(False, sender=sender)
    if indices:
        pod.verifyCheckpointProofs(snap.balance_container_proof(), [snap.balance_proof(i) for i in indices])
    return ts
