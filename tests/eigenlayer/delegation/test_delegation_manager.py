"""DelegationManager v1.12 stand-in: every function and custom error, EigenLayer's check order and events.

Beacon-chain ETH only; the EigenPodManager and AllocationManager are test doubles
(tests/eigenlayer/contracts).
"""

from __future__ import annotations

import json
from pathlib import Path

import boa
import pytest
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak

from tests.eigenlayer.delegation.conftest import (
    BEACON,
    DELAY,
    MOCKS,
    NO_SIG,
    WAD,
    ZERO,
    mine,
    queued,
    sign_approval,
    withdrawal_root,
)
from tests.utils.actors import actor
from tests.utils.errors import reverts_with_error
from tests.utils.logs import event_names, events

SALT = b"\x11" * 32
OTHER = "0x000000000000000000000000000000000000dEaD"


def names(contract) -> list[str]:
    return event_names(contract.get_logs())


@pytest.fixture(scope="module")
def stranger():
    return actor("non_owner", label="dm_stranger")


@pytest.fixture(scope="module")
def harness():
    return boa.load(str(MOCKS / "SlashingLibHarness.vy"))


def delegated(dm, epm, operator, staker, amount=32 * WAD):
    epm.deposit(staker, amount)
    with boa.env.prank(staker):
        dm.delegateTo(operator, NO_SIG, SALT)


# ---------------------------------------------------------------- deployment and views


def test_deployment_views(dm, epm, am):
    assert dm.minWithdrawalDelayBlocks() == DELAY
    assert dm.eigenPodManager() == epm.address and dm.allocationManager() == am.address
    assert dm.beaconChainETHStrategy() == BEACON and dm.strategyManager() == ZERO
    assert dm.version() == "1.12.0"
    typehash = keccak(
        text="DelegationApproval(address delegationApprover,address staker,address operator,"
        "bytes32 salt,uint256 expiry)"
    )
    assert dm.DELEGATION_APPROVAL_TYPEHASH() == typehash
    assert typehash.hex() == "14bde674c9f64b2ad00eaaee4a8bed1fabef35c7507e3c5b9cfc9436909a2dad"
    domain = keccak(
        encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [
                keccak(
                    text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak(text="EigenLayer"),
                keccak(text="1"),
                boa.env.evm.patch.chain_id,
                dm.address,
            ],
        )
    )
    assert dm.domainSeparator() == domain
    assert not any(dm.paused(i) for i in range(3))


def test_zero_pauser_reverts(dm_deployer, epm, am):
    with reverts_with_error("InputAddressZero()"):
        dm_deployer.deploy(epm.address, am.address, ZERO, DELAY, 0)


def test_initial_paused_status(dm_deployer, epm, am, pauser):
    contract = dm_deployer.deploy(epm.address, am.address, pauser, DELAY, 0b101)
    assert [contract.paused(i) for i in range(3)] == [True, False, True]


# ---------------------------------------------------------------- operators


def test_register_as_operator(dm, am, epm, stranger):
    epm.deposit(stranger, 3 * WAD)
    with boa.env.prank(stranger):
        dm.registerAsOperator(OTHER, 77, "ipfs://meta")
        logs = dm.get_logs()
    assert event_names(logs) == [
        "DelegationApproverUpdated",
        "StakerDelegated",
        "DepositScalingFactorUpdated",
        "OperatorSharesIncreased",
        "OperatorRegistered",
        "OperatorMetadataURIUpdated",
    ]
    assert events(logs, "OperatorRegistered") == [{"operator": stranger, "delegationApprover": OTHER}]
    assert events(logs, "OperatorMetadataURIUpdated") == [
        {"operator": stranger, "metadataURI": "ipfs://meta"}
    ]
    assert am.allocation_delay(stranger) == 77 and am.delay_set_by(stranger) == dm.address
    assert dm.isOperator(stranger) and dm.isDelegated(stranger) and dm.delegatedTo(stranger) == stranger
    assert dm.delegationApprover(stranger) == OTHER
    assert dm.operatorShares(stranger, BEACON) == 3 * WAD
    with boa.env.prank(stranger), reverts_with_error("ActivelyDelegated()"):
        dm.registerAsOperator(ZERO, 0, "")


def test_register_when_paused(dm, pauser, stranger):
    with boa.env.prank(pauser):
        dm.pause(1)
    with boa.env.prank(stranger), reverts_with_error("CurrentlyPaused()"):
        dm.registerAsOperator(ZERO, 0, "")


def test_is_operator_of_zero(dm):
    assert not dm.isOperator(ZERO)


def test_update_metadata_and_modify_details(dm, operator, stranger):
    with boa.env.prank(operator):
        dm.updateOperatorMetadataURI(operator, "ipfs://new")
        assert events(dm.get_logs(), "OperatorMetadataURIUpdated") == [
            {"operator": operator, "metadataURI": "ipfs://new"}
        ]
        dm.modifyOperatorDetails(operator, OTHER)
        assert events(dm.get_logs(), "DelegationApproverUpdated") == [
            {"operator": operator, "newDelegationApprover": OTHER}
        ]
    assert dm.delegationApprover(operator) == OTHER
    with boa.env.prank(stranger):
        with reverts_with_error("InvalidPermissions()"):
            dm.updateOperatorMetadataURI(operator, "x")
        with reverts_with_error("InvalidPermissions()"):
            dm.modifyOperatorDetails(operator, ZERO)
        with reverts_with_error("OperatorNotRegistered()"):
            dm.updateOperatorMetadataURI(stranger, "x")
        with reverts_with_error("OperatorNotRegistered()"):
            dm.modifyOperatorDetails(stranger, ZERO)


# ---------------------------------------------------------------- delegation


def test_delegate_to(dm, epm, operator, staker):
    epm.deposit(staker, 32 * WAD)
    with boa.env.prank(staker):
        dm.delegateTo(operator, NO_SIG, SALT)
        logs = dm.get_logs()
    assert event_names(logs) == ["StakerDelegated", "DepositScalingFactorUpdated", "OperatorSharesIncreased"]
    assert events(logs, "OperatorSharesIncreased") == [
        {"operator": operator, "staker": staker, "strategy": BEACON, "shares": 32 * WAD}
    ]
    assert dm.delegatedTo(staker) == operator and dm.operatorShares(operator, BEACON) == 32 * WAD
    assert not dm.delegationApproverSaltIsSpent(ZERO, SALT)  # no approver: salt untouched
    with boa.env.prank(staker), reverts_with_error("ActivelyDelegated()"):
        dm.delegateTo(operator, NO_SIG, SALT)


def test_delegate_to_checks(dm, operator, staker, stranger, pauser):
    with boa.env.prank(staker):
        with reverts_with_error("OperatorNotRegistered()"):
            dm.delegateTo(stranger, NO_SIG, SALT)
        with reverts_with_error("OperatorNotRegistered()"):
            dm.delegateTo(ZERO, NO_SIG, SALT)
    with boa.env.prank(pauser):
        dm.pause(1)
    with boa.env.prank(staker), reverts_with_error("CurrentlyPaused()"):
        dm.delegateTo(operator, NO_SIG, SALT)


@pytest.fixture
def approved_operator(dm, operator, approver_key):
    with boa.env.prank(operator):
        dm.modifyOperatorDetails(operator, approver_key.address)
    return operator


def test_approver_signature(dm, epm, approved_operator, approver_key, staker):
    expiry = boa.env.evm.patch.timestamp + 100
    digest = dm.calculateDelegationApprovalDigestHash(
        staker, approved_operator, approver_key.address, SALT, expiry
    )
    struct_hash = keccak(
        encode(
            ["bytes32", "address", "address", "address", "bytes32", "uint256"],
            [
                dm.DELEGATION_APPROVAL_TYPEHASH(),
                approver_key.address,
                staker,
                approved_operator,
                SALT,
                expiry,
            ],
        )
    )
    assert digest == keccak(b"\x19\x01" + dm.domainSeparator() + struct_hash)
    epm.deposit(staker, WAD)
    sig = sign_approval(dm, approver_key, staker, approved_operator, SALT, expiry)
    with boa.env.prank(staker):
        dm.delegateTo(approved_operator, sig, SALT)
    assert dm.delegationApproverSaltIsSpent(approver_key.address, SALT)
    # the salt cannot be used again, and that check comes before the expiry's
    with boa.env.prank(staker):
        dm.undelegate(staker)
    boa.env.time_travel(seconds=1000)
    with boa.env.prank(staker), reverts_with_error("SaltSpent()"):
        dm.delegateTo(approved_operator, sig, SALT)


def test_approver_signature_failures(dm, approved_operator, approver_key, staker):
    now = boa.env.evm.patch.timestamp
    salt = b"\x22" * 32
    sig, _ = sign_approval(dm, approver_key, staker, approved_operator, salt, now)
    with boa.env.prank(staker):
        dm.delegateTo(approved_operator, (sig, now), salt)  # expiry == now is still valid
        dm.undelegate(staker)
    salt = b"\x33" * 32
    expired = sign_approval(dm, approver_key, staker, approved_operator, salt, now - 1)
    with boa.env.prank(staker), reverts_with_error("SignatureExpired()"):
        dm.delegateTo(approved_operator, expired, salt)
    wrong_key = Account.from_key(keccak(b"someone else"))
    forged = sign_approval(dm, wrong_key, staker, approved_operator, salt, now + 10)
    with boa.env.prank(staker), reverts_with_error("InvalidSignature()"):
        dm.delegateTo(approved_operator, forged, salt)
    good, expiry = sign_approval(dm, approver_key, staker, approved_operator, salt, now + 10)
    with boa.env.prank(staker), reverts_with_error("InvalidSignature()"):
        dm.delegateTo(approved_operator, (good[:64], expiry), salt)  # not 65 bytes
    r, s, v = good[:32], int.from_bytes(good[32:64], "big"), good[64]
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    malleable = r + (n - s).to_bytes(32, "big") + bytes([55 - v])  # same signer, high s
    assert (
        Account._recover_hash(
            dm.calculateDelegationApprovalDigestHash(
                staker, approved_operator, approver_key.address, salt, expiry
            ),
            vrs=(55 - v, int.from_bytes(r, "big"), n - s),
        )
        == approver_key.address
    )
    with boa.env.prank(staker), reverts_with_error("InvalidSignature()"):
        dm.delegateTo(approved_operator, (malleable, expiry), salt)
    with boa.env.prank(staker):
        dm.delegateTo(approved_operator, (good, expiry), salt)
    assert dm.delegatedTo(staker) == approved_operator


# ---------------------------------------------------------------- undelegation


def test_undelegate_by_staker(dm, epm, operator, staker):
    delegated(dm, epm, operator, staker)
    with boa.env.prank(staker):
        roots = dm.undelegate(staker)
        logs = dm.get_logs()
    assert event_names(logs) == [
        "StakerUndelegated",
        "OperatorSharesDecreased",
        "DepositScalingFactorUpdated",
        "SlashingWithdrawalQueued",
    ]
    assert len(roots) == 1 and dm.pendingWithdrawals(roots[0])
    assert dm.delegatedTo(staker) == ZERO and dm.operatorShares(operator, BEACON) == 0
    assert epm.podOwnerDepositShares(staker) == 0
    w = dm.queuedWithdrawals(roots[0])
    assert tuple(w) == (staker, operator, staker, 0, w[4], [BEACON], [32 * WAD])
    assert withdrawal_root(w) == roots[0] == dm.calculateWithdrawalRoot(w)


def test_forced_undelegation_and_completion(dm, epm, operator, staker):
    delegated(dm, epm, operator, staker, 20 * WAD)
    with boa.env.prank(operator):
        roots = dm.undelegate(staker)
        logs = dm.get_logs()
    assert event_names(logs)[:2] == ["StakerForceUndelegated", "StakerUndelegated"]
    assert events(logs, "StakerForceUndelegated") == [{"staker": staker, "operator": operator}]
    (event,) = [e for e in logs if type(e).__name__ == "SlashingWithdrawalQueued"]
    assert list(event.sharesToWithdraw) == [20 * WAD]
    w = tuple(event.withdrawal)
    assert w[5] == [BEACON] and w[6] == [20 * WAD] and roots == [event.withdrawalRoot]
    mine(DELAY + 1)
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        dm.completeQueuedWithdrawal(w, [ZERO], True)
    assert boa.env.get_balance(staker) - before == 20 * WAD
    assert not dm.pendingWithdrawals(roots[0])


def test_undelegate_by_approver(dm, epm, operator, staker, stranger):
    delegated(dm, epm, operator, staker)
    with boa.env.prank(operator):
        dm.modifyOperatorDetails(operator, stranger)
    with boa.env.prank(stranger):
        dm.undelegate(staker)
    assert "StakerForceUndelegated" in names(dm)


def test_undelegate_checks(dm, epm, operator, staker, stranger, pauser):
    with boa.env.prank(staker), reverts_with_error("NotActivelyDelegated()"):
        dm.undelegate(staker)
    with boa.env.prank(operator), reverts_with_error("OperatorsCannotUndelegate()"):
        dm.undelegate(operator)
    delegated(dm, epm, operator, staker)
    with boa.env.prank(stranger), reverts_with_error("CallerCannotUndelegate()"):
        dm.undelegate(staker)
    with boa.env.prank(pauser):
        dm.pause(2)
    with boa.env.prank(staker), reverts_with_error("CurrentlyPaused()"):
        dm.undelegate(staker)


def test_undelegate_without_shares(dm, operator, staker):
    with boa.env.prank(staker):
        dm.delegateTo(operator, NO_SIG, SALT)
        assert dm.undelegate(staker) == []
    assert dm.cumulativeWithdrawalsQueued(staker) == 0


def test_redelegate(dm, epm, am, operator, staker, stranger):
    with boa.env.prank(stranger):
        dm.registerAsOperator(ZERO, 0, "")
    delegated(dm, epm, operator, staker, 8 * WAD)
    with boa.env.prank(staker):
        roots = dm.redelegate(stranger, NO_SIG, SALT)
    assert dm.delegatedTo(staker) == stranger and dm.operatorShares(stranger, BEACON) == 0
    w = dm.queuedWithdrawals(roots[0])
    mine(DELAY + 1)
    with boa.env.prank(staker):
        dm.completeQueuedWithdrawal(w, [ZERO], False)
    assert dm.operatorShares(stranger, BEACON) == 8 * WAD and dm.operatorShares(operator, BEACON) == 0
    assert epm.podOwnerDepositShares(staker) == 8 * WAD


# ---------------------------------------------------------------- queue


def test_queue_withdrawals(dm, epm, operator, staker):
    delegated(dm, epm, operator, staker, 10 * WAD)
    root0, w0 = queued(dm, staker, 4 * WAD)
    assert "DepositScalingFactorUpdated" not in names(dm)  # shares left: no reset
    root1, w1 = queued(dm, staker, 6 * WAD)
    assert events(dm.get_logs(), "DepositScalingFactorUpdated") == [
        {"staker": staker, "strategy": BEACON, "newDepositScalingFactor": WAD}
    ]
    assert (w0[3], w1[3]) == (0, 1) and dm.cumulativeWithdrawalsQueued(staker) == 2
    assert w0[4] == boa.env.evm.patch.block_number
    assert dm.getQueuedWithdrawalRoots(staker) == [root0, root1]
    withdrawal, shares = dm.getQueuedWithdrawal(root0)
    assert tuple(withdrawal) == w0 and shares == [4 * WAD]
    withdrawals, all_shares = dm.getQueuedWithdrawals(staker)
    assert [tuple(w) for w in withdrawals] == [w0, w1] and all_shares == [[4 * WAD], [6 * WAD]]
    assert dm.operatorShares(operator, BEACON) == 0
    mine(DELAY + 1)
    with boa.env.prank(staker):
        dm.completeQueuedWithdrawal(w0, [ZERO], True)
    assert dm.getQueuedWithdrawalRoots(staker) == [root1]
    assert tuple(dm.queuedWithdrawals(root0))[0] == ZERO


def test_queue_several_params(dm, epm, staker):
    epm.deposit(staker, 10 * WAD)
    with boa.env.prank(staker):
        roots = dm.queueWithdrawals([([BEACON], [WAD], ZERO), ([BEACON], [2 * WAD], staker)])
    assert len(roots) == 2 and all(dm.pendingWithdrawals(r) for r in roots)
    assert dm.queuedWithdrawals(roots[1])[1] == ZERO  # not delegated


def test_queue_checks(dm, epm, staker, pauser):
    epm.deposit(staker, 10 * WAD)
    with boa.env.prank(staker):
        with reverts_with_error("InputArrayLengthMismatch()"):
            dm.queueWithdrawals([([BEACON], [], ZERO)])
        with reverts_with_error("InputArrayLengthZero()"):
            dm.queueWithdrawals([([], [], ZERO)])
        with reverts_with_error("SharesNegative()"):  # the EPM's
            dm.queueWithdrawals([([BEACON], [10 * WAD + 1], ZERO)])
        with reverts_with_error("InvalidStrategy()"):  # the EPM's: no other strategy exists
            dm.queueWithdrawals([([OTHER], [0], ZERO)])
    with boa.env.prank(pauser):
        dm.pause(2)
    with boa.env.prank(staker), reverts_with_error("CurrentlyPaused()"):
        dm.queueWithdrawals([([BEACON], [WAD], ZERO)])


# ---------------------------------------------------------------- completion


def test_completion_boundary(dm, epm, operator, staker):
    delegated(dm, epm, operator, staker)
    root, w = queued(dm, staker, 5 * WAD)
    start = w[4]
    mine(start + DELAY - boa.env.evm.patch.block_number)
    assert boa.env.evm.patch.block_number == start + DELAY
    with boa.env.prank(staker), reverts_with_error("WithdrawalDelayNotElapsed()"):
        dm.completeQueuedWithdrawal(w, [ZERO], True)
    mine(1)
    with boa.env.prank(staker):
        dm.completeQueuedWithdrawal(w, [ZERO], True)
        assert events(dm.get_logs(), "SlashingWithdrawalCompleted") == [{"withdrawalRoot": root}]
    assert epm.paid(staker) == 5 * WAD


def test_completion_checks(dm, epm, operator, staker, stranger, pauser):
    delegated(dm, epm, operator, staker)
    root, w = queued(dm, staker, 5 * WAD)
    mine(DELAY + 1)
    with boa.env.prank(staker):
        with reverts_with_error("InputArrayLengthMismatch()"):
            dm.completeQueuedWithdrawal(w, [], True)
        forged = (*w[:3], w[3] + 1, *w[4:])
        with reverts_with_error("WithdrawalNotQueued()"):
            dm.completeQueuedWithdrawal(forged, [ZERO], True)
    with boa.env.prank(stranger), reverts_with_error("WithdrawerNotCaller()"):
        dm.completeQueuedWithdrawal(w, [ZERO], True)
    with boa.env.prank(pauser):
        dm.pause(4)
    with boa.env.prank(staker):
        with reverts_with_error("CurrentlyPaused()"):
            dm.completeQueuedWithdrawal(w, [ZERO], True)
        with reverts_with_error("CurrentlyPaused()"):
            dm.completeQueuedWithdrawals([w], [[ZERO]], [True])
    with boa.env.prank(pauser):
        dm.unpause(0)
    with boa.env.prank(staker):
        dm.completeQueuedWithdrawal(w, [ZERO], True)
        with reverts_with_error("WithdrawalNotQueued()"):
            dm.completeQueuedWithdrawal(w, [ZERO], True)


def test_complete_several(dm, epm, operator, staker):
    delegated(dm, epm, operator, staker, 10 * WAD)
    _, w0 = queued(dm, staker, 3 * WAD)
    _, w1 = queued(dm, staker, 4 * WAD)
    mine(DELAY + 1)
    with boa.env.prank(staker):
        dm.completeQueuedWithdrawals([w0, w1], [[ZERO], [ZERO]], [True, False])
    assert epm.paid(staker) == 3 * WAD
    assert epm.podOwnerDepositShares(staker) == 7 * WAD and dm.operatorShares(operator, BEACON) == 7 * WAD
    assert dm.getQueuedWithdrawalRoots(staker) == []


def test_complete_as_shares_when_undelegated(dm, epm, operator, staker):
    delegated(dm, epm, operator, staker, 10 * WAD)
    with boa.env.prank(staker):
        (root,) = dm.undelegate(staker)
    w = dm.queuedWithdrawals(root)
    mine(DELAY + 1)
    with boa.env.prank(staker):
        dm.completeQueuedWithdrawal(w, [ZERO], False)
        assert "OperatorSharesIncreased" not in names(dm)
    assert epm.podOwnerDepositShares(staker) == 10 * WAD and dm.operatorShares(operator, BEACON) == 0


# ---------------------------------------------------------------- share-manager hooks and slashing


def test_hooks_are_restricted(dm, staker):
    with reverts_with_error("OnlyStrategyManagerOrEigenPodManager()"):
        dm.increaseDelegatedShares(staker, BEACON, 0, WAD)
    with reverts_with_error("OnlyEigenPodManager()"):
        dm.decreaseDelegatedShares(staker, WAD, 1)
    with reverts_with_error("OnlyAllocationManager()"):
        dm.slashOperatorShares(staker, (ZERO, 0), 1, BEACON, WAD, WAD // 2)


def test_decrease_when_undelegated_is_a_noop(dm, epm, staker):
    epm.deposit(staker, 32 * WAD)
    epm.lose(staker, 32 * WAD, WAD)
    assert dm.get_logs() == []


def test_fully_slashed(dm, epm, operator, staker):
    delegated(dm, epm, operator, staker)
    epm.lose(staker, 32 * WAD, 32 * WAD)
    assert epm.beaconChainSlashingFactor(staker) == 0
    assert dm.getWithdrawableShares(staker, [BEACON]) == ([0], [32 * WAD])
    with reverts_with_error("FullySlashed()"):
        epm.deposit(staker, WAD)


def test_invalid_deposit_scaling_factor(harness):
    assert harness.updated_scaling_factor(0, 0, 5, WAD // 4) == 4 * WAD
    with reverts_with_error("InvalidDepositScalingFactor()"):
        harness.updated_scaling_factor(1, WAD, 1, 1)


def test_worked_example(dm, epm, operator, staker):
    """EIGENLAYER.md §2.4: 2 x 32 ETH, one validator loses 32/4096 ETH."""
    delegated(dm, epm, operator, staker, 64 * WAD)
    epm.lose(staker, 64 * WAD, 7_812_500 * 10**9)
    assert events(epm.get_logs(), "OperatorSharesDecreased") == [
        {"operator": operator, "staker": staker, "strategy": BEACON, "shares": 78125 * 10**11}
    ]
    assert epm.beaconChainSlashingFactor(staker) == 999877929687500000
    assert dm.getWithdrawableShares(staker, [BEACON]) == ([639921875 * 10**11], [64 * WAD])
    assert dm.operatorShares(operator, BEACON) == 639921875 * 10**11


def test_slash_operator_shares(dm, epm, am, operator, staker):
    delegated(dm, epm, operator, staker, 30 * WAD)
    _, w = queued(dm, staker, 10 * WAD)
    assert dm.getSlashableSharesInQueue(operator, BEACON) == 10 * WAD
    am.slash(operator, BEACON, WAD // 3)  # two thirds slashed
    logs = am.get_logs()
    # shares - ceil(shares x new / prev), from the operator (20e18) and the queue (10e18)
    from_operator = 20 * WAD - -(-20 * WAD * (WAD // 3) // WAD)
    from_queue = 10 * WAD - -(-10 * WAD * (WAD // 3) // WAD)
    assert events(logs, "OperatorSharesDecreased") == [
        {"operator": operator, "staker": ZERO, "strategy": BEACON, "shares": from_operator}
    ]
    assert events(logs, "OperatorSharesSlashed") == [
        {"operator": operator, "strategy": BEACON, "totalSlashedShares": from_operator + from_queue}
    ]
    assert epm.burnableETHShares() == from_operator + from_queue
    assert dm.operatorShares(operator, BEACON) == 20 * WAD - from_operator
    assert dm.getWithdrawableShares(staker, [BEACON])[0] == [20 * WAD * (WAD // 3) // WAD]
    # the queued withdrawal pays at the magnitude of startBlock + delay
    mine(DELAY + 1)
    am.slash(operator, BEACON, WAD // 6)  # after its slashable window: not applied to it
    assert dm.getQueuedWithdrawal(withdrawal_root(w))[1] == [10 * WAD * (WAD // 3) // WAD]
    with boa.env.prank(staker):
        dm.completeQueuedWithdrawal(w, [ZERO], True)
    assert epm.paid(staker) == 10 * WAD * (WAD // 3) // WAD // 10**9 * 10**9


def test_queued_shares_leave_the_slashable_window(dm, epm, am, operator, staker):
    delegated(dm, epm, operator, staker, 10 * WAD)
    queued(dm, staker, 10 * WAD)
    mine(DELAY)
    assert dm.getSlashableSharesInQueue(operator, BEACON) == 10 * WAD
    mine(1)
    assert dm.getSlashableSharesInQueue(operator, BEACON) == 0
    assert am.slash(operator, BEACON, WAD // 2) == 0


def test_completion_reads_the_current_beacon_factor(dm, epm, operator, staker):
    delegated(dm, epm, operator, staker, 32 * WAD)
    _, w = queued(dm, staker, 32 * WAD)
    epm.lose(staker, 32 * WAD, 8 * WAD)  # after queueing: still applies
    mine(DELAY + 1)
    with boa.env.prank(staker):
        dm.completeQueuedWithdrawal(w, [ZERO], True)
    assert epm.paid(staker) == 24 * WAD


def test_non_beacon_strategies_route_to_the_epm(dm, operator, staker):
    with reverts_with_error("InvalidStrategy()"):
        dm.getWithdrawableShares(staker, [OTHER])
    assert dm.getOperatorShares(operator, [OTHER, BEACON]) == [0, 0]


# ---------------------------------------------------------------- other views


def test_share_views(dm, epm, am, operator, staker, stranger):
    assert dm.getDepositedShares(staker) == ([], [])
    delegated(dm, epm, operator, staker, 12 * WAD)
    assert dm.getDepositedShares(staker) == ([BEACON], [12 * WAD])
    assert dm.depositScalingFactor(staker, BEACON) == WAD
    am.slash(operator, BEACON, WAD // 2)
    epm.deposit(staker, 6 * WAD)  # after the slash: the new deposit is not slashed (up to rounding)
    dsf = 12 * WAD * WAD // (18 * WAD) * WAD // (WAD // 2)
    assert dm.depositScalingFactor(staker, BEACON) == dsf
    withdrawable = 18 * WAD * dsf // WAD * (WAD // 2) // WAD
    assert dm.getWithdrawableShares(staker, [BEACON]) == ([withdrawable], [18 * WAD])
    assert 12 * WAD - withdrawable < 100
    assert dm.convertToDepositShares(staker, [BEACON], [withdrawable]) == [
        withdrawable * WAD // dsf * WAD // (WAD // 2)
    ]
    with boa.env.prank(stranger):
        dm.registerAsOperator(ZERO, 0, "")
    assert dm.getOperatorsShares([operator, stranger], [BEACON]) == [[12 * WAD], [0]]


# ---------------------------------------------------------------- pausing


def test_pausing(dm, pauser, stranger):
    with boa.env.prank(stranger):
        with reverts_with_error("OnlyPauser()"):
            dm.pause(1)
        with reverts_with_error("OnlyPauser()"):
            dm.pauseAll()
        with reverts_with_error("OnlyUnpauser()"):
            dm.unpause(0)
    with boa.env.prank(pauser):
        dm.pause(0b011)
        assert events(dm.get_logs(), "Paused") == [{"account": pauser, "newPausedStatus": 3}]
        with reverts_with_error("InvalidNewPausedStatus()"):
            dm.pause(0b100)  # would clear flags 0 and 1
        with reverts_with_error("InvalidNewPausedStatus()"):
            dm.unpause(0b111)  # would set flag 2
        dm.unpause(0b001)
        assert events(dm.get_logs(), "Unpaused") == [{"account": pauser, "newPausedStatus": 1}]
        assert [dm.paused(i) for i in range(3)] == [True, False, False]
        dm.pauseAll()
        assert all(dm.paused(i) for i in range(8))


EL_DM_EVENTS = json.loads(
    (Path(__file__).resolve().parents[3] / "tests/data/eigenlayer-selectors.json").read_text()
)["DelegationManager"]["event"]


def test_emitted_withdrawal_queued_topic_is_eigenlayers(dm, epm, operator, staker):
    """The topic Vyper emits for SlashingWithdrawalQueued (a struct argument) is the tuple signature's."""
    epm.deposit(staker, 5 * 10**18)
    with boa.env.prank(staker):
        dm.delegateTo(operator, NO_SIG, b"\x00" * 32)
        dm.queueWithdrawals([([BEACON], [10**18], ZERO)])
    topics = {"0x" + entry[2][0].to_bytes(32, "big").hex() for entry in dm._computation.get_raw_log_entries()}
    expected = EL_DM_EVENTS[
        "SlashingWithdrawalQueued(bytes32,(address,address,address,uint256,uint32,address[],uint256[]),uint256[])"
    ]
    assert expected == "0x26b2aae26516e8719ef50ea2f6831a2efbd4e37dccdf0f6936b27bc08e793e30"
    assert expected in topics
