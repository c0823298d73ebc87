# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title DelegationManager
@custom:contract-name DelegationManager
@license MIT
@notice Stand-in for EigenLayer v1.12's DelegationManager
        (EL src/contracts/core/DelegationManager.sol, EIGENLAYER.md §2.3):
        operators, delegation, the withdrawal queue, deposit scaling factors
        and the slashing-factor maths of beacon-chain ETH, with EigenLayer's
        function names, argument tuples, custom errors (in EigenLayer's check
        order) and events.
@dev Differences from EigenLayer, all deliberate:
     - There is no StrategyManager: the EigenPodManager is the only share
       manager and every strategy is routed to it, so any strategy other than
       `beaconChainETHStrategy` reverts `InvalidStrategy()` in the EPM when
       shares are read, removed, added or withdrawn (EigenLayer would route it
       to the StrategyManager). `getDepositedShares` lists beacon-chain ETH
       only; `strategyManager()` is the zero address.
     - Pausing: the pauser and unpauser is the `pauser` set at deployment
       (EigenLayer asks a PauserRegistry); flags 0 (new delegations), 1 (enter
       the withdrawal queue), 2 (exit it) as in EigenLayer, `CurrentlyPaused()`.
       `paused()` (the whole bitmap, an overload Vyper cannot declare) is not
       exposed: read `paused(i)`.
     - No PermissionController: "can call for `account`" is
       `msg.sender == account` (EigenLayer's answer when no admin or appointee
       is set), so `InvalidPermissions()` otherwise.
     - No proxy: no `initialize`; the initial pause bitmap is a constructor
       argument. `version()` is "1.12.0", so the EIP-712 domain version is "1".
     - Bounded arrays: at most 8 strategies (and params, withdrawals) per call;
       `getQueuedWithdrawal(s)`/`getQueuedWithdrawalRoots` return at most 32
       pending withdrawals (the queue itself is unbounded).
     - Arithmetic faults revert without data where Solidity panics (0x11,
       0x12, 0x32), and snekmate's `mul_div` reverts with a reason string on a
       division by zero.
"""

from ...interfaces.external.eigenlayer import IAllocationManager
from ...interfaces.external.eigenlayer import IDelegationManager
from ...interfaces.external.eigenlayer import IEigenPodManager
from ...lib import constants as c
from ...lib import slashing_lib as sl

implements: IDelegationManager

# @dev IDelegationManager.MAX_STRATEGIES (an event cannot read an interface constant).
MAX_STRATEGIES: constant(uint256) = 8
# @dev Most pending withdrawals the queue views return.
MAX_QUEUED_VIEW: constant(uint256) = 32
# @dev Binary-search steps over a history (2**64 entries).
MAX_SEARCH_STEPS: constant(uint256) = 64

# @dev EIGENLAYER.md §1: the virtual strategy of beacon-chain ETH.
BEACON_CHAIN_ETH_STRATEGY: constant(
    address
) = 0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0
VERSION: constant(String[8]) = "1.12.0"
# @dev EL SemVerMixin._majorVersion: the first character of VERSION.
MAJOR_VERSION: constant(String[1]) = "1"
DOMAIN_NAME: constant(String[10]) = "EigenLayer"
EIP712_DOMAIN_TYPEHASH: constant(bytes32) = keccak256(
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)
_DELEGATION_APPROVAL_TYPEHASH: constant(bytes32) = keccak256(
    "DelegationApproval(address delegationApprover,address staker,address operator,bytes32 salt,uint256 expiry)"
)
# @dev secp256k1n / 2: larger `s` values are malleable (OpenZeppelin ECDSA).
MAX_ECDSA_S: constant(
    uint256
) = 57896044618658097711785492504343953926418782139537452191302581570759080747168
# @dev The EIP-1271 answer, one left-aligned word (OpenZeppelin compares all 32 bytes).
EIP1271_MAGIC_VALUE: constant(
    bytes32
) = 0x1626ba7e00000000000000000000000000000000000000000000000000000000

PAUSED_NEW_DELEGATION: constant(uint8) = 0
PAUSED_ENTER_WITHDRAWAL_QUEUE: constant(uint8) = 1
PAUSED_EXIT_WITHDRAWAL_QUEUE: constant(uint8) = 2

_EIGEN_POD_MANAGER: immutable(IEigenPodManager)
_ALLOCATION_MANAGER: immutable(IAllocationManager)
_PAUSER: immutable(address)
_MIN_WITHDRAWAL_DELAY_BLOCKS: immutable(uint32)


# EL Snapshots.Snapshot: a value from block `key` on.
struct Snapshot:
    key: uint32
    value: uint256


_paused: uint256

_delegated_to: HashMap[address, address]
_delegation_approver: HashMap[address, address]
# approver => salt => spent
_salt_spent: HashMap[address, HashMap[bytes32, bool]]
# operator => strategy => withdrawable shares delegated
_operator_shares: HashMap[address, HashMap[address, uint256]]
# staker => strategy => deposit scaling factor (0: WAD)
_deposit_scaling_factor: HashMap[address, HashMap[address, uint256]]

_pending_withdrawals: HashMap[bytes32, bool]
_queued_withdrawals: HashMap[bytes32, IDelegationManager.Withdrawal]
_cumulative_withdrawals_queued: HashMap[address, uint256]
# staker => its pending roots, an enumerable set (EL EnumerableSet.Bytes32Set)
_root_count: HashMap[address, uint256]
_root_at: HashMap[address, HashMap[uint256, bytes32]]
# staker => root => position + 1 (0: absent)
_root_position: HashMap[address, HashMap[bytes32, uint256]]

# operator => strategy => cumulative scaled shares queued (EL
# _cumulativeScaledSharesHistory, a DefaultZeroHistory)
_history_length: HashMap[address, HashMap[address, uint256]]
_history: HashMap[address, HashMap[address, HashMap[uint256, Snapshot]]]


event OperatorRegistered:
    operator: indexed(address)
    delegationApprover: address


event DelegationApproverUpdated:
    operator: indexed(address)
    newDelegationApprover: address


event OperatorMetadataURIUpdated:
    operator: indexed(address)
    metadataURI: String[256]


event OperatorSharesIncreased:
    operator: indexed(address)
    staker: address
    strategy: address
    shares: uint256


event OperatorSharesDecreased:
    operator: indexed(address)
    staker: address
    strategy: address
    shares: uint256


event StakerDelegated:
    staker: indexed(address)
    operator: indexed(address)


event StakerUndelegated:
    staker: indexed(address)
    operator: indexed(address)


event StakerForceUndelegated:
    staker: indexed(address)
    operator: indexed(address)


event DepositScalingFactorUpdated:
    staker: address
    strategy: address
    newDepositScalingFactor: uint256


event SlashingWithdrawalQueued:
    withdrawalRoot: bytes32
    withdrawal: IDelegationManager.Withdrawal
    sharesToWithdraw: DynArray[uint256, MAX_STRATEGIES]


event SlashingWithdrawalCompleted:
    withdrawalRoot: bytes32


event OperatorSharesSlashed:
    operator: indexed(address)
    strategy: address
    totalSlashedShares: uint256


event Paused:
    account: indexed(address)
    newPausedStatus: uint256


event Unpaused:
    account: indexed(address)
    newPausedStatus: uint256


@deploy
def __init__(
    eigen_pod_manager: address,
    allocation_manager: address,
    pauser: address,
    min_withdrawal_delay_blocks: uint32,
    initial_paused_status: uint256,
):
    """
    @notice Wires the DelegationManager to the EigenPodManager and the
            AllocationManager.
    @dev `pauser` pauses and unpauses (EigenLayer's PauserRegistry roles);
         it must not be zero (`InputAddressZero()`, as EL's Pausable).
    @param eigen_pod_manager The EigenPodManager (the only share manager).
    @param allocation_manager The AllocationManager (max magnitudes).
    @param pauser The pauser and unpauser.
    @param min_withdrawal_delay_blocks The withdrawal delay (mainnet:
           constants.EL_MIN_WITHDRAWAL_DELAY_BLOCKS, 100 800).
    @param initial_paused_status The initial pause bitmap (EL `initialize`).
    """
    if pauser == empty(address):
        raw_revert(method_id("InputAddressZero()", output_type=Bytes[4]))
    _EIGEN_POD_MANAGER = IEigenPodManager(eigen_pod_manager)
    _ALLOCATION_MANAGER = IAllocationManager(allocation_manager)
    _PAUSER = pauser
    _MIN_WITHDRAWAL_DELAY_BLOCKS = min_withdrawal_delay_blocks
    self._paused = initial_paused_status
    log Paused(account=msg.sender, newPausedStatus=initial_paused_status)


# ---------------------------------------------------------------- operators


@external
def registerAsOperator(
    initDelegationApprover: address,
    allocationDelay: uint32,
    metadataURI: String[256],
):
    """
    @notice Registers the caller as an operator, delegated to itself.
    @dev `ActivelyDelegated()` if the caller is delegated; sets the
         allocation delay in the AllocationManager; `CurrentlyPaused()` under
         flag 0.
    @param initDelegationApprover The approver of delegations (0: none).
    @param allocationDelay The allocation delay (AllocationManager).
    @param metadataURI The operator's metadata URI (emitted, not stored).
    """
    if self._is_delegated(msg.sender):
        raw_revert(method_id("ActivelyDelegated()", output_type=Bytes[4]))
    extcall _ALLOCATION_MANAGER.setAllocationDelay(msg.sender, allocationDelay)
    self._set_delegation_approver(msg.sender, initDelegationApprover)
    self._delegate(msg.sender, msg.sender)
    log OperatorRegistered(
        operator=msg.sender, delegationApprover=initDelegationApprover
    )
    log OperatorMetadataURIUpdated(operator=msg.sender, metadataURI=metadataURI)


@external
def modifyOperatorDetails(operator: address, newDelegationApprover: address):
    """
    @notice Sets an operator's delegation approver.
    @dev The operator itself (`InvalidPermissions()`); `OperatorNotRegistered()`.
    @param operator The operator.
    @param newDelegationApprover The approver (0: none).
    """
    self._check_can_call(operator)
    if not self._is_operator(operator):
        raw_revert(method_id("OperatorNotRegistered()", output_type=Bytes[4]))
    self._set_delegation_approver(operator, newDelegationApprover)


@external
def updateOperatorMetadataURI(operator: address, metadataURI: String[256]):
    """
    @notice Emits a new metadata URI for an operator (never stored).
    @dev The operator itself (`InvalidPermissions()`); `OperatorNotRegistered()`.
    @param operator The operator.
    @param metadataURI The URI.
    """
    self._check_can_call(operator)
    if not self._is_operator(operator):
        raw_revert(method_id("OperatorNotRegistered()", output_type=Bytes[4]))
    log OperatorMetadataURIUpdated(operator=operator, metadataURI=metadataURI)


# ---------------------------------------------------------------- delegation


@external
def delegateTo(
    operator: address,
    approverSignatureAndExpiry: IDelegationManager.SignatureWithExpiry,
    approverSalt: bytes32,
):
    """
    @notice Delegates the caller's shares to a registered operator.
    @dev Checks, in EigenLayer's order: `ActivelyDelegated()`,
         `OperatorNotRegistered()`; with an approver `SaltSpent()`,
         `SignatureExpired()`, `InvalidSignature()` (65-byte ECDSA, low s, or
         EIP-1271); `CurrentlyPaused()` under flag 0.
    @param operator The operator.
    @param approverSignatureAndExpiry The approver's signature and expiry.
    @param approverSalt The approver's salt, spent by this call.
    """
    self._delegate_to(
        msg.sender, operator, approverSignatureAndExpiry, approverSalt
    )


@external
def undelegate(staker: address) -> DynArray[bytes32, MAX_STRATEGIES]:
    """
    @notice Undelegates `staker` and queues one withdrawal per strategy of all
            its deposit shares.
    @dev The staker, its operator or the operator's approver (then
         `StakerForceUndelegated`). `NotActivelyDelegated()`,
         `OperatorsCannotUndelegate()`, `CallerCannotUndelegate()`,
         `CurrentlyPaused()` under flag 1.
    @param staker The staker.
    @return DynArray The withdrawal roots (empty without deposit shares).
    """
    return self._undelegate_checked(staker)


@external
def redelegate(
    newOperator: address,
    newOperatorApproverSig: IDelegationManager.SignatureWithExpiry,
    approverSalt: bytes32,
) -> DynArray[bytes32, MAX_STRATEGIES]:
    """
    @notice Undelegates the caller, then delegates it to `newOperator`.
    @dev The queued shares join the new operator only when completed as
         shares.
    @param newOperator The new operator.
    @param newOperatorApproverSig The new operator's approver signature.
    @param approverSalt The approver's salt.
    @return DynArray The withdrawal roots of the undelegation.
    """
    roots: DynArray[bytes32, MAX_STRATEGIES] = self._undelegate_checked(
        msg.sender
    )
    self._delegate_to(
        msg.sender, newOperator, newOperatorApproverSig, approverSalt
    )
    return roots


# ---------------------------------------------------------------- withdrawal queue


@external
def queueWithdrawals(
    params: DynArray[IDelegationManager.QueuedWithdrawalParams, MAX_STRATEGIES],
) -> DynArray[bytes32, MAX_STRATEGIES]:
    """
    @notice Queues withdrawals of the caller's deposit shares.
    @dev `CurrentlyPaused()` under flag 1; per param
         `InputArrayLengthMismatch()`, `InputArrayLengthZero()`; the EPM
         reverts `SharesNegative()` beyond the deposit shares. The operator's
         shares drop by the withdrawable shares; the third field is ignored.
    @param params The strategies and deposit shares of each withdrawal.
    @return DynArray The withdrawal roots.
    """
    self._check_not_paused(PAUSED_ENTER_WITHDRAWAL_QUEUE)
    roots: DynArray[bytes32, MAX_STRATEGIES] = []
    operator: address = self._delegated_to[msg.sender]
    for p: IDelegationManager.QueuedWithdrawalParams in params:
        if len(p.strategies) != len(p.depositShares):
            raw_revert(
                method_id("InputArrayLengthMismatch()", output_type=Bytes[4])
            )
        factors: DynArray[uint256, MAX_STRATEGIES] = self._slashing_factors(
            msg.sender, operator, p.strategies
        )
        roots.append(
            self._remove_shares_and_queue_withdrawal(
                msg.sender, operator, p.strategies, p.depositShares, factors
            )
        )
    return roots


@external
def completeQueuedWithdrawal(
    withdrawal: IDelegationManager.Withdrawal,
    tokens: DynArray[address, MAX_STRATEGIES],
    receiveAsTokens: bool,
):
    """
    @notice Completes a queued withdrawal after the delay, as ETH to the
            staker or as shares delegated to its current operator.
    @dev `CurrentlyPaused()` under flag 2; then `InputArrayLengthMismatch()`,
         `WithdrawerNotCaller()`, `WithdrawalNotQueued()`,
         `WithdrawalDelayNotElapsed()` (needs block.number > startBlock +
         delay). Pays scaledShares x the operator's max magnitude at
         startBlock + delay x the staker's current beacon-chain slashing
         factor.
    @param withdrawal The queued withdrawal, verbatim.
    @param tokens One entry per strategy (ignored for beacon-chain ETH).
    @param receiveAsTokens True: ETH to the staker; False: shares back.
    """
    self._check_not_paused(PAUSED_EXIT_WITHDRAWAL_QUEUE)
    self._complete_queued_withdrawal(withdrawal, tokens, receiveAsTokens)


@external
def completeQueuedWithdrawals(
    withdrawals: DynArray[IDelegationManager.Withdrawal, MAX_STRATEGIES],
    tokens: DynArray[DynArray[address, MAX_STRATEGIES], MAX_STRATEGIES],
    receiveAsTokens: DynArray[bool, MAX_STRATEGIES],
):
    """
    @notice Completes several queued withdrawals (see
            `completeQueuedWithdrawal`).
    @dev Like EigenLayer, the outer arrays are indexed without a length
         check: a short `tokens` or `receiveAsTokens` reverts.
    @param withdrawals The withdrawals, verbatim.
    @param tokens One token list per withdrawal.
    @param receiveAsTokens One flag per withdrawal.
    """
    self._check_not_paused(PAUSED_EXIT_WITHDRAWAL_QUEUE)
    for i: uint256 in range(len(withdrawals), bound=MAX_STRATEGIES):
        self._complete_queued_withdrawal(
            withdrawals[i], tokens[i], receiveAsTokens[i]
        )


# ---------------------------------------------------------------- share managers and slashing


@external
def increaseDelegatedShares(
    staker: address,
    strategy: address,
    prevDepositShares: uint256,
    addedShares: uint256,
):
    """
    @notice Follows a staker's new deposit shares: updates its deposit
            scaling factor and, if delegated, its operator's shares.
    @dev The EigenPodManager only (`OnlyStrategyManagerOrEigenPodManager()`);
         `FullySlashed()` at a zero slashing factor,
         `InvalidDepositScalingFactor()` if the new factor is 0.
    @param staker The staker.
    @param strategy The strategy.
    @param prevDepositShares The deposit shares before.
    @param addedShares The shares added.
    """
    if msg.sender != _EIGEN_POD_MANAGER.address:
        raw_revert(
            method_id(
                "OnlyStrategyManagerOrEigenPodManager()", output_type=Bytes[4]
            )
        )
    operator: address = self._delegated_to[staker]
    max_magnitude: uint64 = staticcall _ALLOCATION_MANAGER.getMaxMagnitude(
        operator, strategy
    )
    factor: uint256 = self._slashing_factor(staker, strategy, max_magnitude)
    self._increase_delegation(
        operator, staker, strategy, prevDepositShares, addedShares, factor
    )


@external
def decreaseDelegatedShares(
    staker: address,
    curDepositShares: uint256,
    beaconChainSlashingFactorDecrease: uint64,
):
    """
    @notice Follows a lower beacon-chain slashing factor in the operator's
            shares: they drop by deposit x dsf x (maxMagnitude x decrease).
    @dev The EigenPodManager only (`OnlyEigenPodManager()`); nothing if the
         staker is not delegated.
    @param staker The staker.
    @param curDepositShares The staker's deposit shares.
    @param beaconChainSlashingFactorDecrease The factor's decrease.
    """
    if msg.sender != _EIGEN_POD_MANAGER.address:
        raw_revert(method_id("OnlyEigenPodManager()", output_type=Bytes[4]))
    if not self._is_delegated(staker):
        return
    operator: address = self._delegated_to[staker]
    max_magnitude: uint64 = staticcall _ALLOCATION_MANAGER.getMaxMagnitude(
        operator, BEACON_CHAIN_ETH_STRATEGY
    )
    shares: uint256 = sl._calc_withdrawable(
        self._deposit_scaling_factor[staker][BEACON_CHAIN_ETH_STRATEGY],
        curDepositShares,
        sl._mul_wad(
            convert(max_magnitude, uint256),
            convert(beaconChainSlashingFactorDecrease, uint256),
        ),
    )
    self._decrease_delegation(
        operator, staker, BEACON_CHAIN_ETH_STRATEGY, shares
    )


@external
def slashOperatorShares(
    operator: address,
    operatorSet: IEigenPodManager.OperatorSet,
    slashId: uint256,
    strategy: address,
    prevMaxMagnitude: uint64,
    newMaxMagnitude: uint64,
) -> uint256:
    """
    @notice Follows an operator's lower max magnitude: its shares and the
            still-slashable queued shares are slashed and counted as
            burnable in the EigenPodManager (no ETH moves).
    @dev The AllocationManager only (`OnlyAllocationManager()`). Queued
         shares are slashable for MIN_WITHDRAWAL_DELAY_BLOCKS blocks (reverts
         while block.number <= that delay, like EigenLayer's underflow).
    @param operator The operator.
    @param operatorSet The slashing operator set.
    @param slashId The slash id.
    @param strategy The strategy.
    @param prevMaxMagnitude The magnitude before.
    @param newMaxMagnitude The magnitude after.
    @return uint256 The shares slashed (operator plus queue).
    """
    if msg.sender != _ALLOCATION_MANAGER.address:
        raw_revert(method_id("OnlyAllocationManager()", output_type=Bytes[4]))
    prev_mag: uint256 = convert(prevMaxMagnitude, uint256)
    new_mag: uint256 = convert(newMaxMagnitude, uint256)
    slashed: uint256 = sl._calc_slashed_amount(
        self._operator_shares[operator][strategy], prev_mag, new_mag
    )
    from_queue: uint256 = self._slashable_shares_in_queue(
        operator, strategy, prev_mag, new_mag
    )
    total: uint256 = slashed + from_queue
    self._decrease_delegation(operator, empty(address), strategy, slashed)
    log OperatorSharesSlashed(
        operator=operator, strategy=strategy, totalSlashedShares=total
    )
    extcall _EIGEN_POD_MANAGER.increaseBurnOrRedistributableShares(
        operatorSet, slashId, strategy, total
    )
    return total


# ---------------------------------------------------------------- pausing


@external
def pause(newPausedStatus: uint256):
    """
    @notice Sets more pause flags (none may be cleared).
    @dev The pauser (`OnlyPauser()`); `InvalidNewPausedStatus()` if a set
         flag would be cleared.
    @param newPausedStatus The new bitmap.
    """
    if msg.sender != _PAUSER:
        raw_revert(method_id("OnlyPauser()", output_type=Bytes[4]))
    current: uint256 = self._paused
    if current & newPausedStatus != current:
        raw_revert(method_id("InvalidNewPausedStatus()", output_type=Bytes[4]))
    self._paused = newPausedStatus
    log Paused(account=msg.sender, newPausedStatus=newPausedStatus)


@external
def pauseAll():
    """
    @notice Sets every pause flag.
    @dev The pauser (`OnlyPauser()`).
    """
    if msg.sender != _PAUSER:
        raw_revert(method_id("OnlyPauser()", output_type=Bytes[4]))
    self._paused = max_value(uint256)
    log Paused(account=msg.sender, newPausedStatus=max_value(uint256))


@external
def unpause(newPausedStatus: uint256):
    """
    @notice Clears pause flags (none may be set).
    @dev The pauser, as unpauser (`OnlyUnpauser()`);
         `InvalidNewPausedStatus()` if a clear flag would be set.
    @param newPausedStatus The new bitmap.
    """
    if msg.sender != _PAUSER:
        raw_revert(method_id("OnlyUnpauser()", output_type=Bytes[4]))
    current: uint256 = self._paused
    if (~current) & (~newPausedStatus) != ~current:
        raw_revert(method_id("InvalidNewPausedStatus()", output_type=Bytes[4]))
    self._paused = newPausedStatus
    log Unpaused(account=msg.sender, newPausedStatus=newPausedStatus)


# ---------------------------------------------------------------- views


@external
@view
@reentrant
def paused(index: uint8) -> bool:
    """
    @notice Whether pause flag `index` is set.
    @param index The flag (0 delegation, 1 queue entry, 2 queue exit).
    @return bool True when paused.
    """
    return self._is_paused(index)


@external
@view
@reentrant
def delegatedTo(staker: address) -> address:
    """
    @notice The staker's operator (0: none).
    @param staker The staker.
    @return address The operator.
    """
    return self._delegated_to[staker]


@external
@view
@reentrant
def isDelegated(staker: address) -> bool:
    """
    @notice Whether the staker is delegated.
    @param staker The staker.
    @return bool True when delegated.
    """
    return self._is_delegated(staker)


@external
@view
@reentrant
def isOperator(operator: address) -> bool:
    """
    @notice Whether `operator` is a registered operator (delegated to itself).
    @param operator The address.
    @return bool True when registered.
    """
    return self._is_operator(operator)


@external
@view
@reentrant
def delegationApprover(operator: address) -> address:
    """
    @notice An operator's delegation approver (0: none).
    @param operator The operator.
    @return address The approver.
    """
    return self._delegation_approver[operator]


@external
@view
@reentrant
def delegationApproverSaltIsSpent(approver: address, salt: bytes32) -> bool:
    """
    @notice Whether an approver's salt is spent.
    @param approver The approver.
    @param salt The salt.
    @return bool True when spent.
    """
    return self._salt_spent[approver][salt]


@external
@view
@reentrant
def operatorShares(operator: address, strategy: address) -> uint256:
    """
    @notice The withdrawable shares delegated to an operator.
    @param operator The operator.
    @param strategy The strategy.
    @return uint256 The shares.
    """
    return self._operator_shares[operator][strategy]


@external
@view
@reentrant
def getOperatorShares(
    operator: address, strategies: DynArray[address, MAX_STRATEGIES]
) -> DynArray[uint256, MAX_STRATEGIES]:
    """
    @notice An operator's shares in each strategy.
    @param operator The operator.
    @param strategies The strategies.
    @return DynArray The shares.
    """
    return self._get_operator_shares(operator, strategies)


@external
@view
@reentrant
def getOperatorsShares(
    operators: DynArray[address, MAX_STRATEGIES],
    strategies: DynArray[address, MAX_STRATEGIES],
) -> DynArray[DynArray[uint256, MAX_STRATEGIES], MAX_STRATEGIES]:
    """
    @notice Several operators' shares in each strategy.
    @param operators The operators.
    @param strategies The strategies.
    @return DynArray The shares, one list per operator.
    """
    shares: DynArray[DynArray[uint256, MAX_STRATEGIES], MAX_STRATEGIES] = []
    for operator: address in operators:
        shares.append(self._get_operator_shares(operator, strategies))
    return shares


@external
@view
@reentrant
def depositScalingFactor(staker: address, strategy: address) -> uint256:
    """
    @notice The staker's deposit scaling factor (WAD when unset).
    @param staker The staker.
    @param strategy The strategy.
    @return uint256 The factor.
    """
    return sl._scaling_factor(self._deposit_scaling_factor[staker][strategy])


@external
@view
@reentrant
def getSlashableSharesInQueue(operator: address, strategy: address) -> uint256:
    """
    @notice Shares queued from `operator` that a full slash would still take.
    @param operator The operator.
    @param strategy The strategy.
    @return uint256 The slashable queued shares.
    """
    max_magnitude: uint64 = staticcall _ALLOCATION_MANAGER.getMaxMagnitude(
        operator, strategy
    )
    return self._slashable_shares_in_queue(
        operator, strategy, convert(max_magnitude, uint256), 0
    )


@external
@view
@reentrant
def getWithdrawableShares(
    staker: address, strategies: DynArray[address, MAX_STRATEGIES]
) -> (DynArray[uint256, MAX_STRATEGIES], DynArray[uint256, MAX_STRATEGIES]):
    """
    @notice A staker's withdrawable and deposit shares:
            withdrawable = deposit x dsf x maxMagnitude x BCSF (floored).
    @dev A strategy other than beacon-chain ETH reverts `InvalidStrategy()`
         (in the EPM).
    @param staker The staker.
    @param strategies The strategies.
    @return DynArray The withdrawable shares.
    @return DynArray The deposit shares.
    """
    factors: DynArray[uint256, MAX_STRATEGIES] = self._slashing_factors(
        staker, self._delegated_to[staker], strategies
    )
    withdrawable: DynArray[uint256, MAX_STRATEGIES] = []
    deposits: DynArray[uint256, MAX_STRATEGIES] = []
    for i: uint256 in range(len(strategies), bound=MAX_STRATEGIES):
        deposit: uint256 = staticcall _EIGEN_POD_MANAGER.stakerDepositShares(
            staker, strategies[i]
        )
        deposits.append(deposit)
        withdrawable.append(
            sl._calc_withdrawable(
                self._deposit_scaling_factor[staker][strategies[i]],
                deposit,
                factors[i],
            )
        )
    return withdrawable, deposits


@external
@view
@reentrant
def getDepositedShares(
    staker: address,
) -> (DynArray[address, MAX_STRATEGIES], DynArray[uint256, MAX_STRATEGIES]):
    """
    @notice The staker's strategies with deposit shares, and those shares.
    @dev Beacon-chain ETH only (there is no StrategyManager), and only when
         the staker's deposit shares are positive.
    @param staker The staker.
    @return DynArray The strategies.
    @return DynArray The deposit shares.
    """
    return self._get_deposited_shares(staker)


@external
@view
@reentrant
def convertToDepositShares(
    staker: address,
    strategies: DynArray[address, MAX_STRATEGIES],
    withdrawableShares: DynArray[uint256, MAX_STRATEGIES],
) -> DynArray[uint256, MAX_STRATEGIES]:
    """
    @notice Deposit shares worth `withdrawableShares` now:
            divWad(divWad(withdrawable, dsf), slashingFactor), a few wei off.
    @dev Reverts at a zero slashing factor; a short `withdrawableShares`
         reverts.
    @param staker The staker.
    @param strategies The strategies.
    @param withdrawableShares The withdrawable shares.
    @return DynArray The deposit shares.
    """
    factors: DynArray[uint256, MAX_STRATEGIES] = self._slashing_factors(
        staker, self._delegated_to[staker], strategies
    )
    deposits: DynArray[uint256, MAX_STRATEGIES] = []
    for i: uint256 in range(len(strategies), bound=MAX_STRATEGIES):
        deposits.append(
            sl._calc_deposit_shares(
                self._deposit_scaling_factor[staker][strategies[i]],
                withdrawableShares[i],
                factors[i],
            )
        )
    return deposits


@external
@view
@reentrant
def queuedWithdrawals(withdrawalRoot: bytes32) -> IDelegationManager.Withdrawal:
    """
    @notice A pending withdrawal (empty when unknown or completed).
    @param withdrawalRoot The root.
    @return Withdrawal The withdrawal.
    """
    return self._queued_withdrawals[withdrawalRoot]


@external
@view
@reentrant
def getQueuedWithdrawal(
    withdrawalRoot: bytes32,
) -> (IDelegationManager.Withdrawal, DynArray[uint256, MAX_STRATEGIES]):
    """
    @notice A pending withdrawal and the shares it would pay: at the
            slashing factors of startBlock + delay once that block is past,
            at the current ones before.
    @param withdrawalRoot The root.
    @return Withdrawal The withdrawal.
    @return DynArray The shares.
    """
    return self._shares_by_withdrawal_root(withdrawalRoot)


@external
@view
@reentrant
def getQueuedWithdrawals(
    staker: address,
) -> (
    DynArray[IDelegationManager.Withdrawal, MAX_QUEUED_VIEW],
    DynArray[DynArray[uint256, MAX_STRATEGIES], MAX_QUEUED_VIEW],
):
    """
    @notice The staker's pending withdrawals and the shares each would pay.
    @dev At most MAX_QUEUED_VIEW (32) pending withdrawals, else it reverts.
    @param staker The staker.
    @return DynArray The withdrawals.
    @return DynArray The shares of each.
    """
    withdrawals: DynArray[IDelegationManager.Withdrawal, MAX_QUEUED_VIEW] = []
    shares: DynArray[DynArray[uint256, MAX_STRATEGIES], MAX_QUEUED_VIEW] = []
    roots: DynArray[bytes32, MAX_QUEUED_VIEW] = self._queued_roots(staker)
    for root: bytes32 in roots:
        w: IDelegationManager.Withdrawal = empty(IDelegationManager.Withdrawal)
        s: DynArray[uint256, MAX_STRATEGIES] = []
        w, s = self._shares_by_withdrawal_root(root)
        withdrawals.append(w)
        shares.append(s)
    return withdrawals, shares


@external
@view
@reentrant
def getQueuedWithdrawalRoots(
    staker: address,
) -> DynArray[bytes32, MAX_QUEUED_VIEW]:
    """
    @notice The staker's pending withdrawal roots (EnumerableSet order).
    @dev At most MAX_QUEUED_VIEW (32), else it reverts.
    @param staker The staker.
    @return DynArray The roots.
    """
    return self._queued_roots(staker)


@external
@view
@reentrant
def pendingWithdrawals(withdrawalRoot: bytes32) -> bool:
    """
    @notice Whether a withdrawal is queued and not completed.
    @param withdrawalRoot The root.
    @return bool True when pending.
    """
    return self._pending_withdrawals[withdrawalRoot]


@external
@view
@reentrant
def cumulativeWithdrawalsQueued(staker: address) -> uint256:
    """
    @notice The staker's withdrawal nonce (withdrawals queued so far).
    @param staker The staker.
    @return uint256 The count.
    """
    return self._cumulative_withdrawals_queued[staker]


@external
@view
@reentrant
def calculateWithdrawalRoot(
    withdrawal: IDelegationManager.Withdrawal,
) -> bytes32:
    """
    @notice keccak256(abi.encode(withdrawal)).
    @param withdrawal The withdrawal.
    @return bytes32 The root.
    """
    return self._withdrawal_root(withdrawal)


@external
@view
@reentrant
def calculateDelegationApprovalDigestHash(
    staker: address,
    operator: address,
    approver: address,
    approverSalt: bytes32,
    expiry: uint256,
) -> bytes32:
    """
    @notice The EIP-712 digest an approver signs for a delegation.
    @param staker The staker.
    @param operator The operator.
    @param approver The approver.
    @param approverSalt The salt.
    @param expiry The expiry timestamp.
    @return bytes32 The digest.
    """
    return self._approval_digest(
        staker, operator, approver, approverSalt, expiry
    )


@external
@view
@reentrant
def domainSeparator() -> bytes32:
    """
    @notice The EIP-712 domain separator: name "EigenLayer", version "1",
            this chain, this contract.
    @return bytes32 The separator.
    """
    return self._domain_separator()


@external
@pure
def DELEGATION_APPROVAL_TYPEHASH() -> bytes32:
    """
    @notice The EIP-712 type hash of a delegation approval.
    @return bytes32 keccak256 of the DelegationApproval type string.
    """
    return _DELEGATION_APPROVAL_TYPEHASH


@external
@pure
def version() -> String[8]:
    """
    @notice The EigenLayer release this stand-in follows.
    @return String "1.12.0".
    """
    return VERSION


@external
@view
@reentrant
def minWithdrawalDelayBlocks() -> uint32:
    """
    @notice Blocks a withdrawal waits (completion needs strictly more).
    @return uint32 The delay.
    """
    return _MIN_WITHDRAWAL_DELAY_BLOCKS


@external
@view
@reentrant
def beaconChainETHStrategy() -> address:
    """
    @notice The virtual strategy of beacon-chain ETH.
    @return address 0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0.
    """
    return BEACON_CHAIN_ETH_STRATEGY


@external
@view
@reentrant
def eigenPodManager() -> address:
    """
    @notice The EigenPodManager.
    @return address The EigenPodManager.
    """
    return _EIGEN_POD_MANAGER.address


@external
@view
@reentrant
def allocationManager() -> address:
    """
    @notice The AllocationManager.
    @return address The AllocationManager.
    """
    return _ALLOCATION_MANAGER.address


@external
@pure
def strategyManager() -> address:
    """
    @notice The StrategyManager: none here (beacon-chain ETH only).
    @return address The zero address.
    """
    return empty(address)


# ---------------------------------------------------------------- internal: checks


@internal
@view
def _is_paused(index: uint8) -> bool:
    """
    @dev Whether bit `index` of the pause bitmap is set.
    @param index The flag.
    @return bool True when set.
    """
    mask: uint256 = 1 << convert(index, uint256)
    return self._paused & mask == mask


@internal
@view
def _check_not_paused(index: uint8):
    """
    @dev Reverts `CurrentlyPaused()` when flag `index` is set.
    @param index The flag.
    """
    if self._is_paused(index):
        raw_revert(method_id("CurrentlyPaused()", output_type=Bytes[4]))


@internal
@view
def _check_can_call(account: address):
    """
    @dev Reverts `InvalidPermissions()` unless the caller is `account`.
    @param account The account acted for.
    """
    if msg.sender != account:
        raw_revert(method_id("InvalidPermissions()", output_type=Bytes[4]))


@internal
@view
def _is_delegated(staker: address) -> bool:
    """
    @dev Whether `staker` has an operator.
    @param staker The staker.
    @return bool True when delegated.
    """
    return self._delegated_to[staker] != empty(address)


@internal
@view
def _is_operator(operator: address) -> bool:
    """
    @dev Whether `operator` is non-zero and delegated to itself.
    @param operator The address.
    @return bool True when an operator.
    """
    return (
        operator != empty(address) and self._delegated_to[operator] == operator
    )


# ---------------------------------------------------------------- internal: delegation


@internal
def _set_delegation_approver(operator: address, approver: address):
    """
    @dev Stores an operator's approver and logs it.
    @param operator The operator.
    @param approver The approver.
    """
    self._delegation_approver[operator] = approver
    log DelegationApproverUpdated(
        operator=operator, newDelegationApprover=approver
    )


@internal
def _delegate_to(
    staker: address,
    operator: address,
    signature: IDelegationManager.SignatureWithExpiry,
    salt: bytes32,
):
    """
    @dev delegateTo for `staker` (EigenLayer's checks, then `_delegate`).
    @param staker The staker (the caller).
    @param operator The operator.
    @param signature The approver's signature and expiry.
    @param salt The approver's salt.
    """
    if self._is_delegated(staker):
        raw_revert(method_id("ActivelyDelegated()", output_type=Bytes[4]))
    if not self._is_operator(operator):
        raw_revert(method_id("OperatorNotRegistered()", output_type=Bytes[4]))
    self._check_approver_signature(staker, operator, signature, salt)
    self._delegate(staker, operator)


@internal
def _check_approver_signature(
    staker: address,
    operator: address,
    signature: IDelegationManager.SignatureWithExpiry,
    salt: bytes32,
):
    """
    @dev With an approver: `SaltSpent()`, spends the salt,
         `SignatureExpired()` (expiry < now), `InvalidSignature()`.
    @param staker The staker.
    @param operator The operator.
    @param signature The approver's signature and expiry.
    @param salt The approver's salt.
    """
    approver: address = self._delegation_approver[operator]
    if approver == empty(address):
        return
    if self._salt_spent[approver][salt]:
        raw_revert(method_id("SaltSpent()", output_type=Bytes[4]))
    self._salt_spent[approver][salt] = True
    if signature.expiry < block.timestamp:
        raw_revert(method_id("SignatureExpired()", output_type=Bytes[4]))
    digest: bytes32 = self._approval_digest(
        staker, operator, approver, salt, signature.expiry
    )
    if not self._is_valid_signature_now(approver, digest, signature.signature):
        raw_revert(method_id("InvalidSignature()", output_type=Bytes[4]))


@internal
@view
def _is_valid_signature_now(
    signer: address, digest: bytes32, signature: Bytes[256]
) -> bool:
    """
    @dev OpenZeppelin SignatureChecker.isValidSignatureNow: a 65-byte ECDSA
         signature (r, s, v) with s <= secp256k1n / 2 recovering `signer`,
         or else EIP-1271 `isValidSignature` returning the magic value.
    @param signer The expected signer.
    @param digest The signed digest.
    @param signature The signature.
    @return bool True when valid.
    """
    if len(signature) == 65:
        r: uint256 = convert(extract32(signature, 0), uint256)
        s: uint256 = convert(extract32(signature, 32), uint256)
        v: uint256 = convert(slice(signature, 64, 1), uint256)
        if s <= MAX_ECDSA_S:
            recovered: address = ecrecover(digest, v, r, s)
            if recovered != empty(address) and recovered == signer:
                return True
    success: bool = False
    response: Bytes[32] = b""
    success, response = raw_call(
        signer,
        abi_encode(
            digest,
            signature,
            method_id=method_id("isValidSignature(bytes32,bytes)"),
        ),
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    return (
        success
        and len(response) == 32
        and extract32(response, 0) == EIP1271_MAGIC_VALUE
    )


@internal
@view
def _domain_separator() -> bytes32:
    """
    @dev The EIP-712 domain separator (EL SignatureUtilsMixin).
    @return bytes32 The separator.
    """
    return keccak256(
        abi_encode(
            EIP712_DOMAIN_TYPEHASH,
            keccak256(DOMAIN_NAME),
            keccak256(MAJOR_VERSION),
            chain.id,
            self,
        )
    )


@internal
@view
def _approval_digest(
    staker: address,
    operator: address,
    approver: address,
    salt: bytes32,
    expiry: uint256,
) -> bytes32:
    """
    @dev keccak256("\x19\x01" ++ domainSeparator ++ keccak256(abi.encode(
         TYPEHASH, approver, staker, operator, salt, expiry))).
    @param staker The staker.
    @param operator The operator.
    @param approver The approver.
    @param salt The salt.
    @param expiry The expiry.
    @return bytes32 The digest.
    """
    struct_hash: bytes32 = keccak256(
        abi_encode(
            _DELEGATION_APPROVAL_TYPEHASH,
            approver,
            staker,
            operator,
            salt,
            expiry,
        )
    )
    return keccak256(concat(b"\x19\x01", self._domain_separator(), struct_hash))


@internal
def _delegate(staker: address, operator: address):
    """
    @dev Delegates `staker` to `operator` with its withdrawable shares; the
         operator's past slashing is forgiven through the deposit scaling
         factor. `CurrentlyPaused()` under flag 0.
    @param staker The staker.
    @param operator The operator.
    """
    self._check_not_paused(PAUSED_NEW_DELEGATION)
    strategies: DynArray[address, MAX_STRATEGIES] = []
    shares: DynArray[uint256, MAX_STRATEGIES] = []
    strategies, shares = self._get_deposited_shares(staker)
    operator_factors: DynArray[
        uint256, MAX_STRATEGIES
    ] = self._slashing_factors(empty(address), operator, strategies)
    self._delegated_to[staker] = operator
    log StakerDelegated(staker=staker, operator=operator)
    for i: uint256 in range(len(strategies), bound=MAX_STRATEGIES):
        added: uint256 = shares[i]
        if strategies[i] == BEACON_CHAIN_ETH_STRATEGY:
            bcsf: uint64 = (
                staticcall _EIGEN_POD_MANAGER.beaconChainSlashingFactor(staker)
            )
            added = sl._calc_withdrawable(
                self._deposit_scaling_factor[staker][strategies[i]],
                added,
                convert(bcsf, uint256),
            )
        self._increase_delegation(
            operator, staker, strategies[i], 0, added, operator_factors[i]
        )


@internal
def _undelegate_checked(staker: address) -> DynArray[bytes32, MAX_STRATEGIES]:
    """
    @dev undelegate's checks (EigenLayer's order), then `_undelegate`.
    @param staker The staker.
    @return DynArray The withdrawal roots.
    """
    if not self._is_delegated(staker):
        raw_revert(method_id("NotActivelyDelegated()", output_type=Bytes[4]))
    if self._is_operator(staker):
        raw_revert(
            method_id("OperatorsCannotUndelegate()", output_type=Bytes[4])
        )
    if msg.sender != staker:
        operator: address = self._delegated_to[staker]
        if (
            msg.sender != operator
            and msg.sender != self._delegation_approver[operator]
        ):
            raw_revert(
                method_id("CallerCannotUndelegate()", output_type=Bytes[4])
            )
        log StakerForceUndelegated(staker=staker, operator=operator)
    return self._undelegate(staker)


@internal
def _undelegate(staker: address) -> DynArray[bytes32, MAX_STRATEGIES]:
    """
    @dev Clears the delegation and queues one withdrawal per strategy of all
         deposit shares. `CurrentlyPaused()` under flag 1.
    @param staker The staker.
    @return DynArray The withdrawal roots.
    """
    self._check_not_paused(PAUSED_ENTER_WITHDRAWAL_QUEUE)
    operator: address = self._delegated_to[staker]
    self._delegated_to[staker] = empty(address)
    log StakerUndelegated(staker=staker, operator=operator)
    strategies: DynArray[address, MAX_STRATEGIES] = []
    deposits: DynArray[uint256, MAX_STRATEGIES] = []
    strategies, deposits = self._get_deposited_shares(staker)
    roots: DynArray[bytes32, MAX_STRATEGIES] = []
    if len(strategies) == 0:
        return roots
    factors: DynArray[uint256, MAX_STRATEGIES] = self._slashing_factors(
        staker, operator, strategies
    )
    for i: uint256 in range(len(strategies), bound=MAX_STRATEGIES):
        roots.append(
            self._remove_shares_and_queue_withdrawal(
                staker, operator, [strategies[i]], [deposits[i]], [factors[i]]
            )
        )
    return roots


@internal
def _increase_delegation(
    operator: address,
    staker: address,
    strategy: address,
    prev_deposit_shares: uint256,
    added_shares: uint256,
    slashing_factor: uint256,
):
    """
    @dev `FullySlashed()` at a zero slashing factor; then (if shares are
         added) the deposit scaling factor update and, when delegated, the
         operator's shares.
    @param operator The staker's operator (0: none).
    @param staker The staker.
    @param strategy The strategy.
    @param prev_deposit_shares The deposit shares before.
    @param added_shares The shares added.
    @param slashing_factor The staker's current slashing factor.
    """
    if slashing_factor == 0:
        raw_revert(method_id("FullySlashed()", output_type=Bytes[4]))
    if added_shares == 0:
        return
    dsf: uint256 = sl._updated_scaling_factor(
        self._deposit_scaling_factor[staker][strategy],
        prev_deposit_shares,
        added_shares,
        slashing_factor,
    )
    self._deposit_scaling_factor[staker][strategy] = dsf
    log DepositScalingFactorUpdated(
        staker=staker, strategy=strategy, newDepositScalingFactor=dsf
    )
    if self._is_delegated(staker):
        self._operator_shares[operator][strategy] += added_shares
        log OperatorSharesIncreased(
            operator=operator,
            staker=staker,
            strategy=strategy,
            shares=added_shares,
        )


@internal
def _decrease_delegation(
    operator: address, staker: address, strategy: address, shares: uint256
):
    """
    @dev Lowers an operator's shares (reverts below zero) and logs it.
    @param operator The operator.
    @param staker The staker (0 for a slash).
    @param strategy The strategy.
    @param shares The shares removed.
    """
    self._operator_shares[operator][strategy] -= shares
    log OperatorSharesDecreased(
        operator=operator, staker=staker, strategy=strategy, shares=shares
    )


# ---------------------------------------------------------------- internal: queue


@internal
def _remove_shares_and_queue_withdrawal(
    staker: address,
    operator: address,
    strategies: DynArray[address, MAX_STRATEGIES],
    deposit_shares: DynArray[uint256, MAX_STRATEGIES],
    slashing_factors: DynArray[uint256, MAX_STRATEGIES],
) -> bytes32:
    """
    @dev Removes deposit shares from the EPM and the operator, and queues
         them (EL _removeSharesAndQueueWithdrawal).
    @param staker The staker.
    @param operator The staker's operator (0: none).
    @param strategies The strategies.
    @param deposit_shares The deposit shares to withdraw.
    @param slashing_factors The staker's slashing factors.
    @return bytes32 The withdrawal root.
    """
    if staker == empty(address):
        raw_revert(method_id("InputAddressZero()", output_type=Bytes[4]))
    if len(strategies) == 0:
        raw_revert(method_id("InputArrayLengthZero()", output_type=Bytes[4]))
    scaled: DynArray[uint256, MAX_STRATEGIES] = []
    withdrawable: DynArray[uint256, MAX_STRATEGIES] = []
    for i: uint256 in range(len(strategies), bound=MAX_STRATEGIES):
        strategy: address = strategies[i]
        dsf: uint256 = self._deposit_scaling_factor[staker][strategy]
        withdrawable.append(
            sl._calc_withdrawable(dsf, deposit_shares[i], slashing_factors[i])
        )
        scaled.append(sl._scale_for_queue_withdrawal(dsf, deposit_shares[i]))
        if operator != empty(address):
            self._add_queued_slashable_shares(operator, strategy, scaled[i])
            self._decrease_delegation(
                operator, staker, strategy, withdrawable[i]
            )
        shares_after: uint256 = extcall _EIGEN_POD_MANAGER.removeDepositShares(
            staker, strategy, deposit_shares[i]
        )
        if shares_after == 0:
            self._deposit_scaling_factor[staker][strategy] = 0
            log DepositScalingFactorUpdated(
                staker=staker, strategy=strategy, newDepositScalingFactor=c.WAD
            )
    nonce: uint256 = self._cumulative_withdrawals_queued[staker]
    self._cumulative_withdrawals_queued[staker] = nonce + 1
    withdrawal: IDelegationManager.Withdrawal = IDelegationManager.Withdrawal(
        staker=staker,
        delegatedTo=operator,
        withdrawer=staker,
        nonce=nonce,
        startBlock=convert(block.number, uint32),
        strategies=strategies,
        scaledShares=scaled,
    )
    root: bytes32 = self._withdrawal_root(withdrawal)
    self._pending_withdrawals[root] = True
    self._queued_withdrawals[root] = withdrawal
    self._add_root(staker, root)
    log SlashingWithdrawalQueued(
        withdrawalRoot=root,
        withdrawal=withdrawal,
        sharesToWithdraw=withdrawable,
    )
    return root


@internal
def _complete_queued_withdrawal(
    withdrawal: IDelegationManager.Withdrawal,
    tokens: DynArray[address, MAX_STRATEGIES],
    receive_as_tokens: bool,
):
    """
    @dev EL _completeQueuedWithdrawal: checks, removal from the queue, then
         per strategy ETH to the staker or shares back to its current
         operator.
    @param withdrawal The withdrawal.
    @param tokens One entry per strategy.
    @param receive_as_tokens True: withdraw as ETH.
    """
    if len(tokens) != len(withdrawal.strategies):
        raw_revert(
            method_id("InputArrayLengthMismatch()", output_type=Bytes[4])
        )
    if msg.sender != withdrawal.withdrawer:
        raw_revert(method_id("WithdrawerNotCaller()", output_type=Bytes[4]))
    root: bytes32 = self._withdrawal_root(withdrawal)
    if not self._pending_withdrawals[root]:
        raw_revert(method_id("WithdrawalNotQueued()", output_type=Bytes[4]))
    slashable_until: uint32 = (
        withdrawal.startBlock + _MIN_WITHDRAWAL_DELAY_BLOCKS
    )
    if convert(block.number, uint32) <= slashable_until:
        raw_revert(
            method_id("WithdrawalDelayNotElapsed()", output_type=Bytes[4])
        )
    prev_factors: DynArray[
        uint256, MAX_STRATEGIES
    ] = self._slashing_factors_at_block(
        withdrawal.staker,
        withdrawal.delegatedTo,
        withdrawal.strategies,
        slashable_until,
    )
    self._remove_root(withdrawal.staker, root)
    self._queued_withdrawals[root] = empty(IDelegationManager.Withdrawal)
    self._pending_withdrawals[root] = False
    log SlashingWithdrawalCompleted(withdrawalRoot=root)

    new_operator: address = self._delegated_to[withdrawal.staker]
    new_factors: DynArray[uint256, MAX_STRATEGIES] = self._slashing_factors(
        withdrawal.staker, new_operator, withdrawal.strategies
    )
    for i: uint256 in range(len(withdrawal.strategies), bound=MAX_STRATEGIES):
        strategy: address = withdrawal.strategies[i]
        shares: uint256 = sl._scale_for_complete_withdrawal(
            withdrawal.scaledShares[i], prev_factors[i]
        )
        if shares == 0:
            continue
        if receive_as_tokens:
            extcall _EIGEN_POD_MANAGER.withdrawSharesAsTokens(
                withdrawal.staker, strategy, tokens[i], shares
            )
        else:
            prev_deposit: uint256 = 0
            added: uint256 = 0
            prev_deposit, added = extcall _EIGEN_POD_MANAGER.addShares(
                withdrawal.staker, strategy, shares
            )
            self._increase_delegation(
                new_operator,
                withdrawal.staker,
                strategy,
                prev_deposit,
                added,
                new_factors[i],
            )


@internal
@pure
def _withdrawal_root(withdrawal: IDelegationManager.Withdrawal) -> bytes32:
    """
    @dev keccak256(abi.encode(withdrawal)): the struct as one tuple argument.
    @param withdrawal The withdrawal.
    @return bytes32 The root.
    """
    return keccak256(abi_encode(withdrawal))


@internal
def _add_root(staker: address, root: bytes32):
    """
    @dev Adds a root to the staker's set (EnumerableSet.add).
    @param staker The staker.
    @param root The root.
    """
    count: uint256 = self._root_count[staker]
    self._root_at[staker][count] = root
    self._root_position[staker][root] = count + 1
    self._root_count[staker] = count + 1


@internal
def _remove_root(staker: address, root: bytes32):
    """
    @dev Removes a root from the staker's set, moving the last root into its
         place (EnumerableSet.remove); no-op when absent.
    @param staker The staker.
    @param root The root.
    """
    position: uint256 = self._root_position[staker][root]
    if position == 0:
        return
    last: uint256 = self._root_count[staker] - 1
    if position - 1 != last:
        moved: bytes32 = self._root_at[staker][last]
        self._root_at[staker][position - 1] = moved
        self._root_position[staker][moved] = position
    self._root_at[staker][last] = empty(bytes32)
    self._root_position[staker][root] = 0
    self._root_count[staker] = last


@internal
@view
def _queued_roots(staker: address) -> DynArray[bytes32, MAX_QUEUED_VIEW]:
    """
    @dev The staker's pending roots in set order (at most MAX_QUEUED_VIEW).
    @param staker The staker.
    @return DynArray The roots.
    """
    roots: DynArray[bytes32, MAX_QUEUED_VIEW] = []
    for i: uint256 in range(self._root_count[staker], bound=MAX_QUEUED_VIEW):
        roots.append(self._root_at[staker][i])
    return roots


@internal
@view
def _shares_by_withdrawal_root(
    root: bytes32,
) -> (IDelegationManager.Withdrawal, DynArray[uint256, MAX_STRATEGIES]):
    """
    @dev A queued withdrawal and its shares (EL _getSharesByWithdrawalRoot).
    @param root The root.
    @return Withdrawal The withdrawal.
    @return DynArray The shares.
    """
    withdrawal: IDelegationManager.Withdrawal = self._queued_withdrawals[root]
    slashable_until: uint32 = (
        withdrawal.startBlock + _MIN_WITHDRAWAL_DELAY_BLOCKS
    )
    factors: DynArray[uint256, MAX_STRATEGIES] = []
    if slashable_until < convert(block.number, uint32):
        factors = self._slashing_factors_at_block(
            withdrawal.staker,
            withdrawal.delegatedTo,
            withdrawal.strategies,
            slashable_until,
        )
    else:
        factors = self._slashing_factors(
            withdrawal.staker, withdrawal.delegatedTo, withdrawal.strategies
        )
    shares: DynArray[uint256, MAX_STRATEGIES] = []
    for i: uint256 in range(len(withdrawal.strategies), bound=MAX_STRATEGIES):
        shares.append(
            sl._scale_for_complete_withdrawal(
                withdrawal.scaledShares[i], factors[i]
            )
        )
    return withdrawal, shares


# ---------------------------------------------------------------- internal: slashing factors


@internal
@view
def _slashing_factor(
    staker: address, strategy: address, max_magnitude: uint64
) -> uint256:
    """
    @dev The operator's max magnitude, times (beacon-chain ETH) the
         staker's beacon-chain slashing factor read now from the EPM.
    @param staker The staker.
    @param strategy The strategy.
    @param max_magnitude The operator's max magnitude.
    @return uint256 The slashing factor.
    """
    if strategy == BEACON_CHAIN_ETH_STRATEGY:
        bcsf: uint64 = staticcall _EIGEN_POD_MANAGER.beaconChainSlashingFactor(
            staker
        )
        return sl._mul_wad(
            convert(max_magnitude, uint256), convert(bcsf, uint256)
        )
    return convert(max_magnitude, uint256)


@internal
@view
def _slashing_factors(
    staker: address,
    operator: address,
    strategies: DynArray[address, MAX_STRATEGIES],
) -> DynArray[uint256, MAX_STRATEGIES]:
    """
    @dev The staker's current slashing factors under `operator`.
    @param staker The staker.
    @param operator The operator (0: WAD magnitudes).
    @param strategies The strategies.
    @return DynArray The factors.
    """
    factors: DynArray[uint256, MAX_STRATEGIES] = []
    for strategy: address in strategies:
        max_magnitude: uint64 = staticcall _ALLOCATION_MANAGER.getMaxMagnitude(
            operator, strategy
        )
        factors.append(self._slashing_factor(staker, strategy, max_magnitude))
    return factors


@internal
@view
def _slashing_factors_at_block(
    staker: address,
    operator: address,
    strategies: DynArray[address, MAX_STRATEGIES],
    block_number: uint32,
) -> DynArray[uint256, MAX_STRATEGIES]:
    """
    @dev The slashing factors with the operator's max magnitudes at
         `block_number` and the staker's current beacon-chain factor.
    @param staker The staker.
    @param operator The operator.
    @param strategies The strategies.
    @param block_number The block.
    @return DynArray The factors.
    """
    magnitudes: DynArray[
        uint64, 8
    ] = staticcall _ALLOCATION_MANAGER.getMaxMagnitudesAtBlock(
        operator, strategies, block_number
    )
    factors: DynArray[uint256, MAX_STRATEGIES] = []
    for i: uint256 in range(len(strategies), bound=MAX_STRATEGIES):
        factors.append(
            self._slashing_factor(staker, strategies[i], magnitudes[i])
        )
    return factors


@internal
@view
def _get_deposited_shares(
    staker: address,
) -> (DynArray[address, MAX_STRATEGIES], DynArray[uint256, MAX_STRATEGIES]):
    """
    @dev Beacon-chain ETH and the staker's deposit shares, if positive.
    @param staker The staker.
    @return DynArray The strategies.
    @return DynArray The deposit shares.
    """
    shares: uint256 = staticcall _EIGEN_POD_MANAGER.stakerDepositShares(
        staker, BEACON_CHAIN_ETH_STRATEGY
    )
    if shares == 0:
        return [], []
    return [BEACON_CHAIN_ETH_STRATEGY], [shares]


@internal
@view
def _get_operator_shares(
    operator: address, strategies: DynArray[address, MAX_STRATEGIES]
) -> DynArray[uint256, MAX_STRATEGIES]:
    """
    @dev An operator's shares in each strategy.
    @param operator The operator.
    @param strategies The strategies.
    @return DynArray The shares.
    """
    shares: DynArray[uint256, MAX_STRATEGIES] = []
    for strategy: address in strategies:
        shares.append(self._operator_shares[operator][strategy])
    return shares


# ---------------------------------------------------------------- internal: queued slashable shares


@internal
def _add_queued_slashable_shares(
    operator: address, strategy: address, scaled_shares: uint256
):
    """
    @dev Pushes cumulative scaled shares queued from `operator` at this
         block (a same-block push overwrites, as EL Snapshots.push).
    @param operator The operator.
    @param strategy The strategy.
    @param scaled_shares The scaled shares queued.
    """
    length: uint256 = self._history_length[operator][strategy]
    key: uint32 = convert(block.number, uint32)
    latest: uint256 = 0
    if length > 0:
        last: Snapshot = self._history[operator][strategy][length - 1]
        latest = last.value
        if last.key == key:
            self._history[operator][strategy][length - 1].value = (
                latest + scaled_shares
            )
            return
    self._history[operator][strategy][length] = Snapshot(
        key=key, value=latest + scaled_shares
    )
    self._history_length[operator][strategy] = length + 1


@internal
@view
def _upper_lookup(operator: address, strategy: address, key: uint32) -> uint256:
    """
    @dev The value of the last snapshot at or before `key` (0 if none).
    @param operator The operator.
    @param strategy The strategy.
    @param key The block.
    @return uint256 The cumulative scaled shares then.
    """
    low: uint256 = 0
    high: uint256 = self._history_length[operator][strategy]
    for _: uint256 in range(MAX_SEARCH_STEPS):
        if low >= high:
            break
        mid: uint256 = (low + high) // 2
        if self._history[operator][strategy][mid].key > key:
            high = mid
        else:
            low = mid + 1
    if high == 0:
        return 0
    return self._history[operator][strategy][high - 1].value


@internal
@view
def _slashable_shares_in_queue(
    operator: address,
    strategy: address,
    prev_max_magnitude: uint256,
    new_max_magnitude: uint256,
) -> uint256:
    """
    @dev Shares a slash from `prev` to `new` magnitude takes from the
         withdrawals queued in the last MIN_WITHDRAWAL_DELAY_BLOCKS blocks
         (EL _getSlashableSharesInQueue).
    @param operator The operator.
    @param strategy The strategy.
    @param prev_max_magnitude The magnitude before.
    @param new_max_magnitude The magnitude after.
    @return uint256 The shares.
    """
    if prev_max_magnitude == 0:
        return 0
    length: uint256 = self._history_length[operator][strategy]
    current: uint256 = 0
    if length > 0:
        current = self._history[operator][strategy][length - 1].value
    previous: uint256 = self._upper_lookup(
        operator,
        strategy,
        convert(block.number, uint32) - _MIN_WITHDRAWAL_DELAY_BLOCKS - 1,
    )
    return sl._calc_slashed_amount(
        sl._mul_wad(current - previous, prev_max_magnitude),
        prev_max_magnitude,
        new_max_magnitude,
    )
