"""deploy_protocol wires the EIP-4788 / EIP-7002 contracts: the stand-ins by default, or given addresses."""

from __future__ import annotations

import boa
import pytest

from deploy.beacon import BeaconChain, read_beacon_root
from deploy.protocol import deploy, deploy_protocol

pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")


@pytest.fixture(scope="module")
def protocol():
    return deploy_protocol()


def test_stand_ins_deployed_and_wired(protocol):
    epm = protocol.eigen_pod_manager
    assert epm.beacon_roots() == protocol.beacon_roots.address
    assert epm.withdrawal_requests() == protocol.withdrawal_requests.address
    assert epm.delegation_manager() == protocol.delegation_manager.address
    assert protocol.delegation_manager.eigen_pod_manager() == epm.address


def test_model_runs_on_the_protocol(protocol):
    chain = BeaconChain(protocol)
    boa.env.time_travel(seconds=12)
    ts = chain.process()
    assert read_beacon_root(protocol.beacon_roots, ts) == chain.last_block_root


def test_existing_system_contracts_are_used():
    beacon_roots = deploy("beacon_roots")
    withdrawal_requests = deploy("withdrawal_requests")
    p = deploy_protocol(beacon_roots=beacon_roots.address, withdrawal_requests=withdrawal_requests.address)
    assert p.beacon_roots.address == beacon_roots.address
    assert p.withdrawal_requests.address == withdrawal_requests.address
    assert p.eigen_pod_manager.beacon_roots() == beacon_roots.address
    assert p.eigen_pod_manager.withdrawal_requests() == withdrawal_requests.address
