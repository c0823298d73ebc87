"""EigenLayer v1.12 EigenPodManager stand-in (contracts/external/eigenlayer/EigenPodManager.vy): pods at
their CREATE2 addresses, share accounting, the DelegationManager-only functions, the fork-timestamp
setters and the pause bitmap (EIGENLAYER.md §2.1)."""

from __future__ import annotations

import boa

from tests.eigenlayer.conftest import BEACON_ETH, EPM_SOURCE, POD_SOURCE, pod_at
from tests.utils.actors import actor
from tests.utils.deployers import load
from tests.utils.errors import reverts_with_error
from tests.utils.logs import events

ETH = 10**18
GWEI = 10**9
WAD = 10**18
OTHER_STRATEGY = "0x0000000000000000000000000000000000000001"


def test_get_pod_predicts_the_create2_address(epm, dm, non_owner):
    owner = actor("staker", label="new_pod_owner")
    predicted = epm.getPod(owner)
    assert not epm.hasPod(owner) and epm.ownerToPod(owner) == "0x0000000000000000000000000000000000000000"
    pods = epm.numPods()
    assert epm.createPod(sender=owner) == predicted
    assert events(epm.get_logs(), "PodDeployed") == [{"eigenPod": predicted, "podOwner": owner}]
    assert epm.hasPod(owner) and epm.ownerToPod(owner) == predicted and epm.getPod(owner) == predicted
    assert epm.numPods() == pods + 1
    assert pod_at(predicted).podOwner() == owner
    with reverts_with_error("EigenPodAlreadyExists()"):
        epm.createPod(sender=owner)


def test_stake_deploys_the_pod_on_first_use(epm, dm):
    owner = actor("staker", label="staking_owner")
    with reverts_with_error("MsgValueNot32ETH()"):
        epm.stake(b"\x01" * 48, b"\x02" * 96, b"\x00" * 32, value=ETH, sender=owner)
    assert not epm.hasPod(owner)


def test_only_the_owners_pod_reports_balances(epm, pod, pod_owner, non_owner):
    with reverts_with_error("OnlyEigenPod()"):
        epm.recordBeaconChainETHBalanceUpdate(pod_owner, 0, GWEI, sender=non_owner)
    with reverts_with_error("OnlyEigenPod()"):
        epm.recordBeaconChainETHBalanceUpdate(non_owner, 0, GWEI, sender=pod.address)
    with reverts_with_error("SharesNotMultipleOfGwei()"):
        epm.recordBeaconChainETHBalanceUpdate(pod_owner, 0, GWEI + 1, sender=pod.address)
    epm.recordBeaconChainETHBalanceUpdate(pod_owner, 0, 0, sender=pod.address)  # nothing happens
    assert epm.podOwnerDepositShares(pod_owner) == 0


def test_gains_add_shares_and_losses_lower_the_factor_with_floor(epm, dm, pod, pod_owner):
    epm.recordBeaconChainETHBalanceUpdate(pod_owner, 0, 32 * ETH, sender=pod.address)
    assert events(epm.get_logs(), "PodSharesUpdated") == [{"podOwner": pod_owner, "sharesDelta": 32 * ETH}]
    assert epm.stakerDepositShares(pod_owner, BEACON_ETH) == 32 * ETH
    epm.recordBeaconChainETHBalanceUpdate(pod_owner, 3 * ETH, -GWEI, sender=pod.address)
    expected = WAD * (3 * ETH - GWEI) // (3 * ETH)
    assert events(epm.get_logs(), "BeaconChainSlashingFactorDecreased") == [
        {"staker": pod_owner, "prevBeaconChainSlashingFactor": WAD, "newBeaconChainSlashingFactor": expected}
    ]
    assert epm.beaconChainSlashingFactor(pod_owner) == expected
    assert (dm.lastCurDepositShares(), dm.lastFactorDecrease()) == (32 * ETH, WAD - expected)
    assert epm.podOwnerDepositShares(pod_owner) == 32 * ETH
    with reverts_with_error("InvalidStrategy()"):
        epm.stakerDepositShares(pod_owner, OTHER_STRATEGY)


def test_delegation_manager_only_functions(epm, dm, pod, pod_owner, non_owner):
    epm.recordBeaconChainETHBalanceUpdate(pod_owner, 0, 10 * ETH, sender=pod.address)
    for call in (
        lambda: epm.removeDepositShares(pod_owner, BEACON_ETH, 1, sender=non_owner),
        lambda: epm.addShares(pod_owner, BEACON_ETH, 1, sender=non_owner),
        lambda: epm.withdrawSharesAsTokens(pod_owner, BEACON_ETH, BEACON_ETH, 1, sender=non_owner),
        lambda: epm.increaseBurnOrRedistributableShares((non_owner, 1), 1, BEACON_ETH, 1, sender=non_owner),
    ):
        with reverts_with_error("OnlyDelegationManager()"):
            call()
    with reverts_with_error("InvalidStrategy()"):
        dm.removeDepositShares(pod_owner, OTHER_STRATEGY, 1)
    with reverts_with_error("SharesNegative()"):
        dm.removeDepositShares(pod_owner, BEACON_ETH, 10 * ETH + 1)
    assert dm.removeDepositShares(pod_owner, BEACON_ETH, 4 * ETH) == 6 * ETH
    assert dm.addShares(pod_owner, BEACON_ETH, ETH) == (6 * ETH, ETH)
    assert epm.podOwnerDepositShares(pod_owner) == 7 * ETH
    with reverts_with_error("SharesNegative()"):
        dm.withdrawSharesAsTokens(pod_owner, BEACON_ETH, 0)
    with reverts_with_error("InputAddressZero()"):
        dm.withdrawSharesAsTokens("0x0000000000000000000000000000000000000000", BEACON_ETH, 1)
    dm.increaseBurnOrRedistributableShares(5 * ETH)
    assert events(dm.get_logs(), "BurnableETHSharesIncreased") == [{"shares": 5 * ETH}]
    assert epm.burnableETHShares() == 5 * ETH


def test_fork_timestamp_setters(epm, deployer, non_owner):
    with reverts_with_error("OnlyProofTimestampSetter()"):
        epm.setPectraForkTimestamp(5, sender=non_owner)
    with boa.reverts("Ownable: caller is not the owner"):
        epm.setProofTimestampSetter(non_owner, sender=non_owner)
    epm.setProofTimestampSetter(non_owner, sender=deployer)
    assert events(epm.get_logs(), "ProofTimestampSetterSet") == [{"newProofTimestampSetter": non_owner}]
    epm.setPectraForkTimestamp(5, sender=non_owner)
    assert events(epm.get_logs(), "PectraForkTimestampSet") == [{"newPectraForkTimestamp": 5}]
    assert (epm.pectraForkTimestamp(), epm.proofTimestampSetter(), epm.owner()) == (5, non_owner, deployer)


def test_the_pause_bitmap(epm, deployer, non_owner):
    with reverts_with_error("OnlyPauser()"):
        epm.pause(1, sender=non_owner)
    epm.pause(0b101, sender=deployer)
    assert events(epm.get_logs(), "Paused") == [{"account": deployer, "newPausedStatus": 0b101}]
    assert epm.paused(0) and not epm.paused(1) and epm.paused(2)
    with reverts_with_error("InvalidNewPausedStatus()"):
        epm.pause(0b001, sender=deployer)
    with reverts_with_error("CurrentlyPaused()"):
        epm.createPod(sender=non_owner)
    with reverts_with_error("CurrentlyPaused()"):
        epm.stake(b"\x01" * 48, b"\x02" * 96, b"\x00" * 32, value=32 * ETH, sender=non_owner)
    with reverts_with_error("OnlyUnpauser()"):
        epm.unpause(0, sender=non_owner)
    with reverts_with_error("InvalidNewPausedStatus()"):
        epm.unpause(0b111, sender=deployer)
    epm.unpause(0b100, sender=deployer)
    assert events(epm.get_logs(), "Unpaused") == [{"account": deployer, "newPausedStatus": 0b100}]
    assert not epm.paused(0)
    epm.pauseAll(sender=deployer)
    assert epm.paused(255)


def test_the_delegation_manager_is_wired_once_by_the_deployer(epm, dm, deployer, non_owner):
    assert epm.delegationManager() == dm.address
    assert epm.beaconChainETHStrategy() == BEACON_ETH
    with boa.reverts("EigenPodManager: caller is not the deployer"):
        epm.setDelegationManager(dm, sender=non_owner)
    with boa.reverts("EigenPodManager: delegation manager already set"):
        epm.setDelegationManager(dm, sender=deployer)


def test_a_delegation_manager_of_another_manager_is_refused(
    deployer, deposit_contract, beacon_roots, withdrawal_requests, dm
):  # noqa: F811
    with boa.env.prank(deployer):
        blueprint = load(POD_SOURCE).deploy_as_blueprint()
        other = load(EPM_SOURCE).deploy(deposit_contract, blueprint, beacon_roots, withdrawal_requests)
        with boa.reverts("EigenPodManager: delegation manager is not wired to this manager"):
            other.setDelegationManager(dm)
    assert other.delegationManager() == "0x" + "00" * 20
