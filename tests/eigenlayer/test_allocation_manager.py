"""The AllocationManager stand-in (EigenLayer v1.12, EIGENLAYER.md §2.6): operator sets, registration,
allocation delays and allocations, and `slashOperator`'s checks (in order), maths, events, history and the
DelegationManager call (a mock that records it)."""

from __future__ import annotations

from pathlib import Path

import boa
import pytest

from tests.utils.actors import actor
from tests.utils.constants import c
from tests.utils.errors import reverts_with_error
from tests.utils.logs import event_names, events

ROOT = Path(__file__).resolve().parents[2]
WAD = c.WAD
BEACON = "0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0"
LOW = "0x0000000000000000000000000000000000001111"  # a strategy below BEACON
OTHER = "0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF"  # a strategy in no set
DEALLOCATION_DELAY = 50
CONFIGURATION_DELAY = 75
SET_ID = 1


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def block() -> int:
    return boa.env.evm.patch.block_number


AM_SOURCE = str(ROOT / "contracts/external/eigenlayer/AllocationManager.vy")


@pytest.fixture(scope="module")
def pauser():
    return actor("owner", label="el-pauser")


@pytest.fixture(scope="module")
def avs():
    return actor("non_owner", label="el-avs")


@pytest.fixture(scope="module")
def slasher():
    return actor("non_owner", label="el-slasher")


@pytest.fixture(scope="module")
def el_operator():
    return actor("operator", label="el-operator")


@pytest.fixture(scope="module")
def dm():
    return boa.load(str(ROOT / "tests/eigenlayer/contracts/AmMockDelegationManager.vy"))


@pytest.fixture(scope="module")
def am(dm, pauser):
    manager = boa.load(AM_SOURCE, pauser, DEALLOCATION_DELAY, CONFIGURATION_DELAY)
    dm.set_allocation_manager(manager)
    manager.setDelegation(dm)
    return manager


def test_the_delegation_manager_is_wired_once_by_the_deployer(am, dm, pauser):
    assert am.delegation() == dm.address
    with boa.reverts("AllocationManager: caller is not the deployer"):
        am.setDelegation(dm, sender=pauser)
    with boa.reverts("AllocationManager: delegation already set"):
        am.setDelegation(dm)
    other = boa.load(AM_SOURCE, pauser, DEALLOCATION_DELAY, CONFIGURATION_DELAY)
    with boa.reverts("AllocationManager: delegation manager is not wired to this manager"):
        other.setDelegation(dm)  # dm names `am`, not `other`
    assert other.delegation() == "0x" + "00" * 20


@pytest.fixture(scope="module")
def operator_set(am, avs, slasher):
    """(avs, SET_ID) with strategies LOW and BEACON."""
    am.updateAVSMetadataURI(avs, "https://avs.example", sender=avs)
    am.createOperatorSets(avs, [(SET_ID, [LOW, BEACON], slasher)], sender=avs)
    return (avs, SET_ID)


@pytest.fixture
def allocated(am, dm, operator_set, el_operator):
    """The operator: registered with delay 0, in the set, WAD/3 of LOW and all of BEACON allocated (per test:
    rolled back after each)."""
    dm.register(am.address, el_operator, 0)
    am.registerForOperatorSets(el_operator, (operator_set[0], [SET_ID], b""), sender=el_operator)
    am.modifyAllocations(el_operator, [(operator_set, [LOW, BEACON], [WAD // 3, WAD])], sender=el_operator)
    return operator_set


# ---------------------------------------------------------------- wiring and views


def test_constructor_wiring(am, dm, pauser):
    assert am.delegation() == dm.address
    assert am.pauserRegistry() == pauser
    assert am.DEALLOCATION_DELAY() == DEALLOCATION_DELAY
    assert am.ALLOCATION_CONFIGURATION_DELAY() == CONFIGURATION_DELAY
    assert not am.paused(c.EL_PAUSED_OPERATOR_SLASHING)


def test_magnitudes_are_wad_before_any_slash(am, el_operator):
    zero = "0x0000000000000000000000000000000000000000"
    assert am.getMaxMagnitude(zero, BEACON) == WAD
    assert am.getMaxMagnitude(el_operator, BEACON) == WAD
    assert am.getMaxMagnitudes(el_operator, [BEACON, LOW]) == [WAD, WAD]
    assert am.getMaxMagnitudesAtBlock(zero, [BEACON], block()) == [WAD]
    assert am.getMaxMagnitudesAtBlock(el_operator, [BEACON], 0) == [WAD]


# ---------------------------------------------------------------- operator sets


def test_create_operator_sets_logs_and_views(am, avs, slasher):
    am.updateAVSMetadataURI(avs, "uri", sender=avs)
    assert events(am.get_logs(), "AVSMetadataURIUpdated") == [{"avs": avs, "metadataURI": "uri"}]
    am.createOperatorSets(avs, [(7, [LOW, BEACON], slasher), (8, [], slasher)], sender=avs)
    logs = am.get_logs()
    assert event_names(logs) == [
        "OperatorSetCreated",
        "StrategyAddedToOperatorSet",
        "StrategyAddedToOperatorSet",
        "SlasherUpdated",
        "OperatorSetCreated",
        "SlasherUpdated",
    ]
    assert events(logs, "SlasherUpdated")[0] == {
        "operatorSet": (avs, 7),
        "slasher": slasher,
        "effectBlock": block(),
    }
    assert am.isOperatorSet((avs, 7)) and am.isOperatorSet((avs, 8))
    assert not am.isOperatorSet((avs, 9))
    assert am.getStrategiesInOperatorSet((avs, 7)) == [LOW, BEACON]
    assert am.getSlasher((avs, 7)) == slasher
    assert am.getSlashCount((avs, 7)) == 0


def test_create_operator_sets_errors_in_order(am, avs, slasher, el_operator):
    with reverts_with_error("InvalidPermissions()"):
        am.updateAVSMetadataURI(avs, "uri", sender=el_operator)
    with reverts_with_error("InvalidPermissions()"):
        am.createOperatorSets(avs, [(1, [BEACON], slasher)], sender=el_operator)
    with reverts_with_error("NonexistentAVSMetadata()"):
        am.createOperatorSets(avs, [(1, [BEACON], slasher)], sender=avs)
    am.updateAVSMetadataURI(avs, "uri", sender=avs)
    with reverts_with_error("InvalidOperatorSet()"):
        am.createOperatorSets(avs, [(1, [BEACON], slasher), (1, [BEACON], slasher)], sender=avs)
    with reverts_with_error("StrategyAlreadyInOperatorSet()"):
        am.createOperatorSets(avs, [(1, [BEACON, BEACON], slasher)], sender=avs)
    with reverts_with_error("InputAddressZero()"):
        am.createOperatorSets(avs, [(1, [BEACON], "0x" + "00" * 20)], sender=avs)


# ---------------------------------------------------------------- registration


def test_register_for_operator_sets(am, dm, operator_set, el_operator):
    avs = operator_set[0]
    with reverts_with_error("InvalidPermissions()"):
        am.registerForOperatorSets(el_operator, (avs, [SET_ID], b""), sender=avs)
    with reverts_with_error("InvalidOperator()"):
        am.registerForOperatorSets(el_operator, (avs, [SET_ID], b""), sender=el_operator)
    dm.set_operator(el_operator, True)
    with reverts_with_error("InvalidOperatorSet()"):
        am.registerForOperatorSets(el_operator, (avs, [SET_ID + 1], b""), sender=el_operator)
    assert not am.isMemberOfOperatorSet(el_operator, operator_set)
    am.registerForOperatorSets(el_operator, (avs, [SET_ID], b"data"), sender=el_operator)
    assert events(am.get_logs(), "OperatorAddedToOperatorSet") == [
        {"operator": el_operator, "operatorSet": operator_set}
    ]
    assert am.isMemberOfOperatorSet(el_operator, operator_set)
    assert am.isOperatorSlashable(el_operator, operator_set)
    with reverts_with_error("AlreadyMemberOfSet()"):
        am.registerForOperatorSets(el_operator, (avs, [SET_ID], b""), sender=el_operator)


def test_register_is_pausable(am, dm, pauser, operator_set, el_operator):
    dm.set_operator(el_operator, True)
    am.pause(1 << c.EL_PAUSED_OPERATOR_SET_REGISTRATION_AND_DEREGISTRATION, sender=pauser)
    with reverts_with_error("CurrentlyPaused()"):
        am.registerForOperatorSets(el_operator, (operator_set[0], [SET_ID], b""), sender=el_operator)


# ---------------------------------------------------------------- allocation delay


def test_allocation_delay_from_the_delegation_manager_is_immediate(am, dm, el_operator):
    assert am.getAllocationDelay(el_operator) == (False, 0)
    dm.register(am.address, el_operator, 5)
    assert events(dm.get_logs(), "AllocationDelaySet") == [
        {"operator": el_operator, "delay": 5, "effectBlock": block()}
    ]
    assert am.getAllocationDelay(el_operator) == (True, 5)


def test_allocation_delay_from_the_operator_waits(am, dm, el_operator, avs):
    with reverts_with_error("InvalidPermissions()"):
        am.setAllocationDelay(el_operator, 3, sender=avs)
    with reverts_with_error("InvalidOperator()"):
        am.setAllocationDelay(el_operator, 3, sender=el_operator)
    dm.register(am.address, el_operator, 5)
    am.setAllocationDelay(el_operator, 3, sender=el_operator)
    effect = block() + CONFIGURATION_DELAY + 1
    assert events(am.get_logs(), "AllocationDelaySet") == [
        {"operator": el_operator, "delay": 3, "effectBlock": effect}
    ]
    assert am.getAllocationDelay(el_operator) == (True, 5)
    boa.env.time_travel(blocks=effect - block() - 1)
    assert am.getAllocationDelay(el_operator) == (True, 5)
    boa.env.time_travel(blocks=1)
    assert am.getAllocationDelay(el_operator) == (True, 3)


# ---------------------------------------------------------------- allocations


def test_modify_allocations_errors_in_order(am, dm, pauser, operator_set, el_operator, avs):
    with reverts_with_error("InvalidPermissions()"):
        am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD])], sender=avs)
    with reverts_with_error("UninitializedAllocationDelay()"):
        am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD])], sender=el_operator)
    dm.register(am.address, el_operator, 10)
    with reverts_with_error("InputArrayLengthMismatch()"):
        am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD, 1])], sender=el_operator)
    with reverts_with_error("InvalidOperatorSet()"):
        am.modifyAllocations(el_operator, [((avs, 99), [BEACON], [WAD])], sender=el_operator)
    with reverts_with_error("SameMagnitude()"):
        am.modifyAllocations(el_operator, [(operator_set, [BEACON], [0])], sender=el_operator)
    with reverts_with_error("InsufficientMagnitude()"):
        am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD + 1])], sender=el_operator)
    am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD // 2])], sender=el_operator)
    with reverts_with_error("ModificationAlreadyPending()"):
        am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD])], sender=el_operator)
    am.pause(1 << c.EL_PAUSED_MODIFY_ALLOCATIONS, sender=pauser)
    with reverts_with_error("CurrentlyPaused()"):
        am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD])], sender=el_operator)


def test_allocation_takes_effect_after_the_allocation_delay(am, dm, operator_set, el_operator):
    dm.register(am.address, el_operator, 10)
    am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD // 4])], sender=el_operator)
    effect = block() + 10
    logs = am.get_logs()
    assert event_names(logs) == ["EncumberedMagnitudeUpdated", "AllocationUpdated"]
    assert events(logs, "EncumberedMagnitudeUpdated") == [
        {"operator": el_operator, "strategy": BEACON, "encumberedMagnitude": WAD // 4}
    ]
    assert events(logs, "AllocationUpdated") == [
        {
            "operator": el_operator,
            "operatorSet": operator_set,
            "strategy": BEACON,
            "magnitude": WAD // 4,
            "effectBlock": effect,
        }
    ]
    assert am.getAllocation(el_operator, operator_set, BEACON) == (0, WAD // 4, effect)
    assert am.getEncumberedMagnitude(el_operator, BEACON) == WAD // 4
    assert am.getAllocatableMagnitude(el_operator, BEACON) == WAD - WAD // 4
    boa.env.time_travel(blocks=9)
    assert am.getAllocation(el_operator, operator_set, BEACON) == (0, WAD // 4, effect)
    boa.env.time_travel(blocks=1)
    assert am.getAllocation(el_operator, operator_set, BEACON) == (WAD // 4, 0, 0)


def test_allocation_delay_zero_is_immediate(am, allocated, el_operator):
    assert am.getAllocation(el_operator, allocated, BEACON) == (WAD, 0, 0)
    assert am.getAllocation(el_operator, allocated, LOW) == (WAD // 3, 0, 0)


def test_slashable_deallocation_waits_the_deallocation_delay(am, allocated, el_operator):
    am.modifyAllocations(el_operator, [(allocated, [BEACON], [WAD // 4])], sender=el_operator)
    effect = block() + DEALLOCATION_DELAY + 1
    assert events(am.get_logs(), "AllocationUpdated")[0]["effectBlock"] == effect
    assert event_names(am.get_logs()) == ["AllocationUpdated"]  # encumbered unchanged
    assert am.getAllocation(el_operator, allocated, BEACON) == (WAD, WAD // 4 - WAD, effect)
    assert am.getEncumberedMagnitude(el_operator, BEACON) == WAD
    boa.env.time_travel(blocks=effect - block())
    assert am.getAllocation(el_operator, allocated, BEACON) == (WAD // 4, 0, 0)
    assert am.getEncumberedMagnitude(el_operator, BEACON) == WAD // 4
    assert am.getAllocatableMagnitude(el_operator, BEACON) == WAD - WAD // 4
    with reverts_with_error("InputArrayLengthMismatch()"):
        am.clearDeallocationQueue(el_operator, [BEACON], [1, 2])
    am.clearDeallocationQueue(el_operator, [BEACON], [1])
    assert events(am.get_logs(), "EncumberedMagnitudeUpdated") == [
        {"operator": el_operator, "strategy": BEACON, "encumberedMagnitude": WAD // 4}
    ]


def test_unslashable_deallocation_is_immediate(am, dm, operator_set, el_operator):
    """Not registered for the set: nothing is slashable, a deallocation frees magnitude at once."""
    dm.register(am.address, el_operator, 0)
    am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD])], sender=el_operator)
    am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD // 2])], sender=el_operator)
    assert am.getAllocation(el_operator, operator_set, BEACON) == (WAD // 2, 0, 0)
    assert am.getEncumberedMagnitude(el_operator, BEACON) == WAD // 2


# ---------------------------------------------------------------- slashing


def test_slash_operator_errors_in_order(am, pauser, allocated, slasher, el_operator, avs):
    def slash(params, sender=slasher):
        am.slashOperator(avs, params, sender=sender)

    am.pause(1 << c.EL_PAUSED_OPERATOR_SLASHING, sender=pauser)
    assert am.paused(c.EL_PAUSED_OPERATOR_SLASHING)
    with reverts_with_error("CurrentlyPaused()"):
        slash((el_operator, SET_ID, [BEACON], [WAD], "x"))
    am.unpause(0, sender=pauser)
    with reverts_with_error("InputArrayLengthMismatch()"):
        slash((el_operator, SET_ID, [BEACON], [WAD, WAD], "x"))
    with reverts_with_error("InvalidOperatorSet()"):
        slash((el_operator, SET_ID + 5, [BEACON], [WAD], "x"))
    with reverts_with_error("OperatorNotSlashable()"):
        slash((avs, SET_ID, [BEACON], [WAD], "x"))
    with reverts_with_error("InvalidCaller()"):
        slash((el_operator, SET_ID, [BEACON], [WAD], "x"), sender=avs)
    with reverts_with_error("StrategiesMustBeInAscendingOrder()"):
        slash((el_operator, SET_ID, [BEACON, LOW], [WAD, WAD], "x"))
    with reverts_with_error("StrategiesMustBeInAscendingOrder()"):
        slash((el_operator, SET_ID, [LOW, LOW], [WAD, WAD], "x"))
    with reverts_with_error("InvalidWadToSlash()"):
        slash((el_operator, SET_ID, [BEACON], [0], "x"))
    with reverts_with_error("InvalidWadToSlash()"):
        slash((el_operator, SET_ID, [BEACON], [WAD + 1], "x"))
    with reverts_with_error("StrategyNotInOperatorSet()"):
        slash((el_operator, SET_ID, [BEACON, OTHER], [WAD, WAD], "x"))


def test_slash_maths_events_and_delegation_call(am, dm, allocated, slasher, el_operator, avs):
    dm.set_slashed_shares(123)
    wad_low, wad_beacon = 10**17 + 1, 3 * 10**17
    slashed_low = ceil_div((WAD // 3) * wad_low, WAD)  # rounds up
    slashed_beacon = ceil_div(WAD * wad_beacon, WAD)
    assert slashed_low * WAD != (WAD // 3) * wad_low
    out = am.slashOperator(
        avs, (el_operator, SET_ID, [LOW, BEACON], [wad_low, wad_beacon], "double sign"), sender=slasher
    )
    assert out == (1, [123, 123])
    logs = am.get_logs()
    am_logs = [log for log in logs if str(log.address) == str(am.address)]
    assert event_names(am_logs) == [
        "EncumberedMagnitudeUpdated",
        "AllocationUpdated",
        "MaxMagnitudeUpdated",
        "EncumberedMagnitudeUpdated",
        "AllocationUpdated",
        "MaxMagnitudeUpdated",
        "OperatorSlashed",
    ]
    assert events(am_logs, "EncumberedMagnitudeUpdated") == [
        {"operator": el_operator, "strategy": LOW, "encumberedMagnitude": WAD // 3 - slashed_low},
        {"operator": el_operator, "strategy": BEACON, "encumberedMagnitude": WAD - slashed_beacon},
    ]
    assert events(am_logs, "AllocationUpdated") == [
        {
            "operator": el_operator,
            "operatorSet": allocated,
            "strategy": strategy,
            "magnitude": magnitude,
            "effectBlock": block(),
        }
        for strategy, magnitude in ((LOW, WAD // 3 - slashed_low), (BEACON, WAD - slashed_beacon))
    ]
    assert events(am_logs, "MaxMagnitudeUpdated") == [
        {"operator": el_operator, "strategy": LOW, "maxMagnitude": WAD - slashed_low},
        {"operator": el_operator, "strategy": BEACON, "maxMagnitude": WAD - slashed_beacon},
    ]
    assert events(am_logs, "OperatorSlashed") == [
        {
            "operator": el_operator,
            "operatorSet": allocated,
            "strategies": [LOW, BEACON],
            "wadSlashed": [slashed_low * WAD // WAD, slashed_beacon * WAD // WAD],
            "description": "double sign",
        }
    ]
    assert dm.call_count() == 2
    assert dm.calls(0) == (el_operator, allocated, 1, LOW, WAD, WAD - slashed_low)
    assert dm.calls(1) == (el_operator, allocated, 1, BEACON, WAD, WAD - slashed_beacon)
    assert am.getMaxMagnitude(el_operator, BEACON) == WAD - slashed_beacon
    assert am.getMaxMagnitudes(el_operator, [LOW, BEACON]) == [WAD - slashed_low, WAD - slashed_beacon]
    assert am.getAllocation(el_operator, allocated, BEACON) == (WAD - slashed_beacon, 0, 0)
    assert am.getEncumberedMagnitude(el_operator, BEACON) == WAD - slashed_beacon
    assert am.getSlashCount(allocated) == 1


def test_second_slash_uses_the_reduced_magnitude(am, dm, allocated, slasher, el_operator, avs):
    am.slashOperator(avs, (el_operator, SET_ID, [BEACON], [WAD // 2], "a"), sender=slasher)
    out = am.slashOperator(avs, (el_operator, SET_ID, [BEACON], [WAD // 2], "b"), sender=slasher)
    # wadSlashed is relative to the max magnitude before the slash
    assert events(am.get_logs(), "OperatorSlashed")[0]["wadSlashed"] == [WAD // 2]
    assert out[0] == 2
    assert am.getMaxMagnitude(el_operator, BEACON) == WAD // 4
    assert dm.calls(1)[2:] == (2, BEACON, WAD // 2, WAD // 4)
    assert am.getSlashCount(allocated) == 2


def test_full_slash_zeroes_the_allocation(am, allocated, slasher, el_operator, avs):
    am.slashOperator(avs, (el_operator, SET_ID, [BEACON], [WAD], ""), sender=slasher)
    assert am.getMaxMagnitude(el_operator, BEACON) == 0
    assert am.getAllocation(el_operator, allocated, BEACON) == (0, 0, 0)


def test_strategy_without_allocation_is_skipped(am, dm, operator_set, slasher, el_operator, avs):
    dm.register(am.address, el_operator, 0)
    am.registerForOperatorSets(el_operator, (avs, [SET_ID], b""), sender=el_operator)
    am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD])], sender=el_operator)
    out = am.slashOperator(avs, (el_operator, SET_ID, [LOW, BEACON], [WAD, WAD // 10], "x"), sender=slasher)
    assert out == (1, [0, 0])
    assert events(am.get_logs(), "OperatorSlashed")[0]["wadSlashed"] == [0, WAD // 10]
    assert dm.call_count() == 1 and dm.calls(0)[3] == BEACON
    assert am.getMaxMagnitude(el_operator, LOW) == WAD


def test_pending_allocation_is_not_slashable(am, dm, operator_set, slasher, el_operator, avs):
    dm.register(am.address, el_operator, 10)
    am.registerForOperatorSets(el_operator, (avs, [SET_ID], b""), sender=el_operator)
    am.modifyAllocations(el_operator, [(operator_set, [BEACON], [WAD])], sender=el_operator)
    am.slashOperator(avs, (el_operator, SET_ID, [BEACON], [WAD], "x"), sender=slasher)
    assert dm.call_count() == 0
    assert am.getMaxMagnitude(el_operator, BEACON) == WAD


def test_slash_scales_a_pending_deallocation(am, allocated, slasher, el_operator, avs):
    am.modifyAllocations(el_operator, [(allocated, [BEACON], [WAD // 4])], sender=el_operator)
    effect = block() + DEALLOCATION_DELAY + 1
    pending = WAD // 4 - WAD  # -0.75 WAD
    am.slashOperator(avs, (el_operator, SET_ID, [BEACON], [WAD // 2], "x"), sender=slasher)
    logs = [log for log in am.get_logs() if str(log.address) == str(am.address)]
    assert event_names(logs) == [
        "AllocationUpdated",
        "EncumberedMagnitudeUpdated",
        "AllocationUpdated",
        "MaxMagnitudeUpdated",
        "OperatorSlashed",
    ]
    new_pending = pending + ceil_div(-pending * (WAD // 2), WAD)
    first, second = events(logs, "AllocationUpdated")
    assert (first["magnitude"], first["effectBlock"]) == (WAD // 2 + new_pending, effect)
    assert (second["magnitude"], second["effectBlock"]) == (WAD // 2, block())
    assert am.getAllocation(el_operator, allocated, BEACON) == (WAD // 2, new_pending, effect)
    boa.env.time_travel(blocks=effect - block())
    assert am.getAllocation(el_operator, allocated, BEACON) == (WAD // 8, 0, 0)
    assert am.getEncumberedMagnitude(el_operator, BEACON) == WAD // 8


def test_max_magnitude_history_at_past_blocks(am, allocated, slasher, el_operator, avs):
    before = block()
    boa.env.time_travel(blocks=5)
    first = block()
    am.slashOperator(avs, (el_operator, SET_ID, [BEACON], [WAD // 2], "a"), sender=slasher)
    am.slashOperator(avs, (el_operator, SET_ID, [BEACON], [WAD // 2], "same block"), sender=slasher)
    boa.env.time_travel(blocks=7)
    second = block()
    am.slashOperator(avs, (el_operator, SET_ID, [BEACON], [WAD // 2], "b"), sender=slasher)
    boa.env.time_travel(blocks=3)
    expected = {
        0: WAD,
        before: WAD,
        first - 1: WAD,
        first: WAD // 4,  # two slashes in one block: one snapshot, the last value
        first + 1: WAD // 4,
        second - 1: WAD // 4,
        second: WAD // 8,
        block(): WAD // 8,
        2**32 - 1: WAD // 8,
    }
    for at, magnitude in expected.items():
        assert am.getMaxMagnitudesAtBlock(el_operator, [BEACON, LOW], at) == [magnitude, WAD], at


# ---------------------------------------------------------------- pausing


def test_pause_and_unpause_rules(am, pauser, avs):
    with reverts_with_error("OnlyPauser()"):
        am.pause(2, sender=avs)
    am.pause(2, sender=pauser)
    assert events(am.get_logs(), "Paused") == [{"account": pauser, "newPausedStatus": 2}]
    assert am.paused(1) and not am.paused(0)
    with reverts_with_error("InvalidNewPausedStatus()"):
        am.pause(1, sender=pauser)  # would unpause bit 1
    with reverts_with_error("OnlyUnpauser()"):
        am.unpause(0, sender=avs)
    with reverts_with_error("InvalidNewPausedStatus()"):
        am.unpause(3, sender=pauser)  # would pause bit 0
    am.unpause(0, sender=pauser)
    assert events(am.get_logs(), "Unpaused") == [{"account": pauser, "newPausedStatus": 0}]
    assert not am.paused(1)
