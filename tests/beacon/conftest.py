"""Fixtures for the beacon-chain side: system contracts, proof module, EigenLayer stand-ins, the model.

Each contract is compiled once per session and deployed once per module; titanoboa's pytest plugin rolls
state back after every test and every hypothesis example.
"""

from __future__ import annotations

import json
from pathlib import Path

import boa
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "contracts" / "external"
DATA = ROOT / "tests" / "data"
ETH = 10**18


def funded(label: str, wei: int = 1_000 * ETH) -> str:
    address = boa.env.generate_address(label)
    boa.env.set_balance(address, wei)
    return address


@pytest.fixture(scope="session")
def goerli_proof() -> dict:
    """The real Goerli withdrawal-credential proof (Deneb layout, validator 302913)."""
    return json.loads((DATA / "withdrawal-credential-proof-goerli.json").read_text())


@pytest.fixture(scope="session")
def beacon_roots_deployer():
    return boa.load_partial(str(EXTERNAL / "BeaconRoots.vy"))


@pytest.fixture(scope="session")
def withdrawal_requests_deployer():
    return boa.load_partial(str(EXTERNAL / "WithdrawalRequests.vy"))


@pytest.fixture(scope="module")
def beacon_roots(beacon_roots_deployer):
    return beacon_roots_deployer.deploy()


@pytest.fixture(scope="module")
def withdrawal_requests(withdrawal_requests_deployer):
    return withdrawal_requests_deployer.deploy()


@pytest.fixture(scope="module")
def staker():
    return funded("staker")


@pytest.fixture(scope="module")
def non_owner():
    return funded("non_owner")
