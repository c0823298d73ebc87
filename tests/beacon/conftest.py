"""Fixtures for the beacon-chain side: system contracts, proof module, EigenLayer stand-ins, the beacon
chain (Fulu on the executable consensus specs, deploy/sim/beacon.py).

Each contract is compiled once per session and deployed once per module; titanoboa's pytest plugin rolls
state back after every test and every hypothesis example.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import boa
import pytest

from deploy import keys
from deploy.protocol import AsBlueprint, at, deploy, deployer_for
from deploy.sim.beacon import SpecBeaconChain
from tests.utils.actors import actor
from tests.utils.standins import beacon_roots, withdrawal_requests  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "contracts" / "external"
DATA = ROOT / "tests" / "data"
ETH = 10**18


def funded(label: str, wei: int = 1_000 * ETH) -> str:
    """A fresh account labelled `label` with `wei` (tests.utils.actors under a free label)."""
    return actor(label, wei)


@pytest.fixture(scope="session")
def goerli_proof() -> dict:
    """The real Goerli withdrawal-credential proof (Deneb layout, validator 302913)."""
    return json.loads((DATA / "withdrawal-credential-proof-goerli.json").read_text())


@dataclass
class Suite:
    """The beacon-side contracts of the protocol (EigenLayer v1.12's stand-ins), deployed and wired as
    `deploy_protocol` does."""

    deposit_contract: object
    beacon_roots: object
    withdrawal_requests: object
    eigen_pod_manager: object
    allocation_manager: object
    delegation_manager: object
    owner: str


# Small enough for a test to wait it out; deploy_protocol's default is mainnet's 100 800.
WITHDRAWAL_DELAY_BLOCKS = 50


@pytest.fixture(scope="module")
def suite() -> Suite:
    owner = funded("el_owner")
    with boa.env.prank(owner):
        beacon_roots = deploy("beacon_roots")
        withdrawal_requests = deploy("withdrawal_requests")
        deposit_contract = deploy("deposit_contract")
        blueprint = AsBlueprint(deployer_for("eigen_pod_implementation")).deploy()
        epm = deploy(
            "eigen_pod_manager", deposit_contract, blueprint.address, beacon_roots, withdrawal_requests
        )
        am = deploy("allocation_manager", owner, 100_800, 126_000)
        dm = deploy("delegation_manager", epm, am, owner, WITHDRAWAL_DELAY_BLOCKS, 0)
        epm.setDelegationManager(dm)
        am.setDelegation(dm)
        epm.setProofTimestampSetter(owner)
        epm.setPectraForkTimestamp(1)  # the spec chain is Fulu from genesis: Pectra-shaped proofs
    return Suite(deposit_contract, beacon_roots, withdrawal_requests, epm, am, dm, owner)


@pytest.fixture
def chain(suite) -> SpecBeaconChain:
    """A fresh beacon chain per test, genesis now (the EVM state is rolled back after each test; so is
    this: it is made before the test's deposits, which it must see)."""
    return SpecBeaconChain(suite)


@pytest.fixture(scope="module")
def operator():
    return funded("operator")


@pytest.fixture(scope="module")
def pod_of(suite):
    """The EigenPod handle of an owner (deployed or not)."""
    return lambda owner: at("eigen_pod_implementation", suite.eigen_pod_manager.getPod(owner))


@lru_cache(maxsize=256)
def deposit_data(credentials: bytes, seed: str, amount_gwei: int) -> tuple[bytes, bytes, bytes]:
    """(pubkey, signature, deposit_data_root) of a locally generated key, signed for `credentials`."""
    d = keys.make_deposit_data(credentials, seed=seed, amount_gwei=amount_gwei)
    return bytes.fromhex(d["pubkey"]), bytes.fromhex(d["signature"]), bytes.fromhex(d["deposit_data_root"])


def stake(suite, owner: str, seed: str = "validator", eth: int = 32) -> bytes:
    """`owner` stakes `eth` ETH (EigenLayer takes exactly 32) through the EigenPodManager for the key of
    `seed`; returns the pubkey."""
    credentials = keys.eigen_pod_withdrawal_credentials(suite.eigen_pod_manager.getPod(owner))
    pubkey, signature, root = deposit_data(credentials, seed, eth * 10**9)
    with boa.env.prank(owner):
        suite.eigen_pod_manager.stake(pubkey, signature, root, value=eth * ETH)
    return pubkey


def deposit_direct(suite, sender: str, credentials: bytes, seed: str = "validator", eth: int = 1) -> bytes:
    """A deposit straight to the deposit contract (anyone, any credentials); returns the pubkey."""
    pubkey, signature, root = deposit_data(credentials, seed, eth * 10**9)
    with boa.env.prank(sender):
        suite.deposit_contract.deposit(pubkey, credentials, signature, root, value=eth * ETH)
    return pubkey
