"""Fixtures for the external stand-ins: each contract compiled once, deployed once per module.

titanoboa's pytest plugin rolls state back after every test and every hypothesis example. EigenLayer's own
stand-ins (v1.12, contracts/external/eigenlayer/) are tested in tests/eigenlayer; the EigenPodManager here
only serves the key tests (a generated deposit staked through it).
"""

from __future__ import annotations

import json
from pathlib import Path

import boa
import pytest

from tests.external.helpers import funded
from tests.utils.standins import beacon_roots, withdrawal_requests  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "contracts" / "external"
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def holesky_deposit() -> dict:
    """The real Holesky deposit-data entry (Obol DKG, fork version 01017000)."""
    return json.loads((DATA / "deposit-data-holesky.json").read_text())[0]


@pytest.fixture(scope="session")
def deposit_contract_deployer():
    return boa.load_partial(str(EXTERNAL / "DepositContract.vy"))


@pytest.fixture(scope="session")
def eigen_pod_deployer():
    return boa.load_partial(str(EXTERNAL / "eigenlayer" / "EigenPod.vy"))


@pytest.fixture(scope="session")
def split_deployer():
    return boa.load_partial(str(EXTERNAL / "Split.vy"))


@pytest.fixture(scope="session")
def wallet_deployer():
    return boa.load_partial(str(Path(__file__).parent / "mocks" / "Wallet.vy"))


@pytest.fixture(scope="module")
def deposit_contract(deposit_contract_deployer):
    return deposit_contract_deployer.deploy()


@pytest.fixture(scope="module")
def eigen_pod_implementation(eigen_pod_deployer):
    """EigenLayer v1.12's pod as a blueprint, the EigenPodManager's argument (as in deploy/protocol.py)."""
    return eigen_pod_deployer.deploy_as_blueprint()


@pytest.fixture(scope="module")
def eigen_pod_manager(deposit_contract, eigen_pod_implementation, beacon_roots, withdrawal_requests):
    return boa.load(
        str(EXTERNAL / "eigenlayer" / "EigenPodManager.vy"),
        deposit_contract,
        eigen_pod_implementation,
        beacon_roots,
        withdrawal_requests,
    )


@pytest.fixture(scope="module")
def split_implementation(split_deployer):
    return split_deployer.deploy()


@pytest.fixture(scope="module")
def split_factory(split_implementation):
    return boa.load(str(EXTERNAL / "SplitFactory.vy"), split_implementation)


@pytest.fixture(scope="module")
def node_operator():
    return funded("node_operator")


@pytest.fixture(scope="module")
def operator():
    return funded("operator")


@pytest.fixture(scope="module")
def second_operator():
    return funded("second_operator")


@pytest.fixture(scope="module")
def third_operator():
    return funded("third_operator")


@pytest.fixture(scope="module")
def proxy_deployer():
    """Anyone's contract deploying minimal proxies with CREATE2 (not a factory of ours)."""
    return boa.loads(
        """
# pragma version ~=0.4.3
@external
def make(target: address, salt: bytes32) -> address:
    return create_minimal_proxy_to(target, salt=salt)
"""
    )
