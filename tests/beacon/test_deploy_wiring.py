"""deploy_protocol wires the EIP-4788 / EIP-7002 contracts: the stand-ins by default, or given addresses."""

from __future__ import annotations

import boa
import pytest

from deploy.protocol import at, deploy, deploy_protocol
from deploy.sim.beacon import SpecBeaconChain
from deploy.sim.system_calls import post_beacon_root, read_beacon_root, withdrawal_request_fee

pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")


@pytest.fixture(scope="module")
def protocol():
    return deploy_protocol()


def pod_reads(protocol, beacon_roots, withdrawal_requests) -> None:
    """A pod of `protocol` reads its EIP-4788 roots and EIP-7002 fee from the given contracts (EigenLayer's
    pods hold them as constants and expose no address: their answers are what shows the wiring)."""
    owner = boa.env.generate_address("pod owner")
    pod = at("eigen_pod_implementation", protocol.eigen_pod_manager.createPod(sender=owner))
    boa.env.time_travel(seconds=12)
    root = b"\x42" * 32
    timestamp = post_beacon_root(beacon_roots, root)
    assert bytes(pod.getParentBlockRoot(timestamp)) == root
    assert pod.getWithdrawalRequestFee() == withdrawal_request_fee(withdrawal_requests)


def test_stand_ins_deployed_and_wired(protocol):
    epm, dm, am = protocol.eigen_pod_manager, protocol.delegation_manager, protocol.allocation_manager
    assert epm.ethPOS() == protocol.deposit_contract.address
    assert epm.delegationManager() == dm.address
    assert dm.eigenPodManager() == epm.address
    assert dm.allocationManager() == am.address and am.delegation() == dm.address
    assert dm.minWithdrawalDelayBlocks() == protocol.config["min_withdrawal_delay_blocks"] == 100_800
    assert epm.pectraForkTimestamp() == protocol.config["pectra_fork_timestamp"]
    pod_reads(protocol, protocol.beacon_roots, protocol.withdrawal_requests)


def test_beacon_chain_runs_on_the_protocol(protocol):
    chain = SpecBeaconChain(protocol)
    boa.env.time_travel(seconds=12)
    ts = chain.process()
    assert read_beacon_root(protocol.beacon_roots, ts) == chain.last_block_root


def test_existing_system_contracts_are_used():
    beacon_roots = deploy("beacon_roots")
    withdrawal_requests = deploy("withdrawal_requests")
    p = deploy_protocol(beacon_roots=beacon_roots.address, withdrawal_requests=withdrawal_requests.address)
    assert p.beacon_roots.address == beacon_roots.address
    assert p.withdrawal_requests.address == withdrawal_requests.address
    pod_reads(p, beacon_roots, withdrawal_requests)
