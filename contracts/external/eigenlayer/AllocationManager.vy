# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title AllocationManager
@custom:contract-name AllocationManager
@license MIT
@notice Stand-in for EigenLayer v1.12's AllocationManager, the part a
        restaking staker meets: an AVS creates operator sets, an operator
        registers for them and allocates magnitude, and the set's slasher
        slashes it, which lowers the operator's max magnitude and tells the
        DelegationManager (`slashOperatorShares`). Function names, argument
        tuples, events and custom errors are EigenLayer's (EIGENLAYER.md
        §2.6; EL src/contracts/core/AllocationManager.sol).
@dev Behaviour kept from EigenLayer: `slashOperator`'s checks in order and
     its effects (ceil of `currentMagnitude * wad / WAD`; max, encumbered and
     current magnitude lowered; a pending deallocation scaled down; events;
     the DelegationManager call; `OperatorSlashed` last); the max-magnitude
     history per (operator, strategy) read by `getMaxMagnitudesAtBlock` (WAD
     before any slash, so WAD for operator 0); allocations take effect after
     the operator's allocation delay (`effectBlock = block.number + delay`,
     so a delay of 0 is immediate), deallocations of slashable magnitude
     after `DEALLOCATION_DELAY + 1` blocks and instantly otherwise; the
     allocation delay is immediate when the DelegationManager sets it at
     registration, else after `ALLOCATION_CONFIGURATION_DELAY + 1` blocks.
     Deviations (simplifications):
     - No PermissionController: "can call for X" means `msg.sender == X`
       (`InvalidPermissions()` otherwise).
     - No redistributing operator sets (`createRedistributingOperatorSets`
       is absent), so no set can redistribute native ETH; no EIGEN strategy.
     - Only the 3-field `createOperatorSets` (with a slasher) and the
       `(address, address[])` `getMaxMagnitudes` exist: Vyper cannot
       overload a name with different argument types.
     - No deregistration, `updateSlasher`/`migrateSlashers`, AVS registrar
       callback (`registerOperator` is not called on the AVS), strategy
       additions after creation, or member/allocated-set enumeration.
     - Arrays are bounded (constants.EL_MAX_*); a call completes at most
       `EL_MAX_DEALLOCATION_CLEARS` pending deallocations per strategy.
     - `paused()` (the whole bitmap) is absent; one pauser (el_pausable).
"""

from ...interfaces.external.eigenlayer import IAllocationManager
from ...interfaces.external.eigenlayer import IDelegationManager
from ...interfaces.external.eigenlayer import IEigenPodManager
from ...lib import constants as c
from . import el_pausable

implements: IAllocationManager

initializes: el_pausable

exports: (
    el_pausable.paused,
    el_pausable.pause,
    el_pausable.unpause,
    el_pausable.pauserRegistry,
)


# The DelegationManager's view that proves the wiring (not in IDelegationManager).
interface IDelegationWiring:
    def allocationManager() -> address: view


# Blocks a slashable deallocation stays slashable (mainnet 100800).
DEALLOCATION_DELAY: public(immutable(uint32))
# Blocks before an operator's new allocation delay applies (mainnet 126000).
ALLOCATION_CONFIGURATION_DELAY: public(immutable(uint32))
# Set once after deployment (`setDelegation`): the DelegationManager names
# this contract in its constructor, so one of the two must be wired later.
_delegation: IDelegationManager
_DEPLOYER: immutable(address)


# EigenLayer's `AllocationDelayInfo`.
struct AllocationDelayInfo:
    delay: uint32
    isSet: bool
    pendingDelay: uint32
    effectBlock: uint32


# EigenLayer's `StrategyInfo` (memory only).
struct StrategyInfo:
    maxMagnitude: uint64
    encumberedMagnitude: uint64


# One max-magnitude snapshot (EigenLayer's `Snapshots.Snapshot`).
struct Snapshot:
    key: uint32
    value: uint64


# avs => metadata URI announced (required before creating sets)
_avs_registered_metadata: HashMap[address, bool]
# operator-set key => created
_set_exists: HashMap[bytes32, bool]
# operator-set key => its strategies (creation order) and membership
_set_strategies: HashMap[bytes32, DynArray[address, c.EL_MAX_STRATEGIES]]
_set_has_strategy: HashMap[bytes32, HashMap[address, bool]]
# operator-set key => slasher
_slasher: HashMap[bytes32, address]
# operator-set key => slashes so far (the last slash id)
_slash_count: HashMap[bytes32, uint256]
# operator => operator-set key => registered
_registered: HashMap[address, HashMap[bytes32, bool]]
# operator => allocation delay
_allocation_delay: HashMap[address, AllocationDelayInfo]
# operator => operator-set key => strategy => allocation
_allocations: HashMap[
    address, HashMap[bytes32, HashMap[address, IAllocationManager.Allocation]]
]
# operator => strategy => magnitude allocated or pending deallocation
_encumbered: HashMap[address, HashMap[address, uint64]]
# operator => strategy => max-magnitude history (EigenLayer's DefaultWadHistory)
_history_length: HashMap[address, HashMap[address, uint256]]
_history: HashMap[address, HashMap[address, HashMap[uint256, Snapshot]]]
# operator => strategy => FIFO of operator-set keys with a pending deallocation
_queue_head: HashMap[address, HashMap[address, uint256]]
_queue_tail: HashMap[address, HashMap[address, uint256]]
_queue: HashMap[address, HashMap[address, HashMap[uint256, bytes32]]]


event AVSMetadataURIUpdated:
    avs: indexed(address)
    metadataURI: String[c.EL_MAX_DESCRIPTION]


event OperatorSetCreated:
    operatorSet: IEigenPodManager.OperatorSet


event StrategyAddedToOperatorSet:
    operatorSet: IEigenPodManager.OperatorSet
    strategy: address


event SlasherUpdated:
    operatorSet: IEigenPodManager.OperatorSet
    slasher: address
    effectBlock: uint32


event OperatorAddedToOperatorSet:
    operator: indexed(address)
    operatorSet: IEigenPodManager.OperatorSet


event AllocationDelaySet:
    operator: address
    delay: uint32
    effectBlock: uint32


event AllocationUpdated:
    operator: address
    operatorSet: IEigenPodManager.OperatorSet
    strategy: address
    magnitude: uint64
    effectBlock: uint32


event EncumberedMagnitudeUpdated:
    operator: address
    strategy: address
    encumberedMagnitude: uint64


event MaxMagnitudeUpdated:
    operator: address
    strategy: address
    maxMagnitude: uint64


event OperatorSlashed:
    operator: address
    operatorSet: IEigenPodManager.OperatorSet
    strategies: DynArray[address, c.EL_MAX_STRATEGIES]
    wadSlashed: DynArray[uint256, c.EL_MAX_STRATEGIES]
    description: String[c.EL_MAX_DESCRIPTION]


@deploy
def __init__(
    pauser: address,
    deallocation_delay: uint32,
    allocation_configuration_delay: uint32,
):
    """
    @dev Sets the pauser; nothing is paused. The DelegationManager is wired
         once afterwards (`setDelegation`).
    @param pauser The pauser and unpauser.
    @param deallocation_delay EigenLayer's DEALLOCATION_DELAY (blocks).
    @param allocation_configuration_delay EigenLayer's
           ALLOCATION_CONFIGURATION_DELAY (blocks).
    """
    el_pausable.__init__(pauser, 0)
    _DEPLOYER = msg.sender
    DEALLOCATION_DELAY = deallocation_delay
    ALLOCATION_CONFIGURATION_DELAY = allocation_configuration_delay


@external
def setDelegation(delegation_: address):
    """
    @notice Wires the DelegationManager; once, by the deployer (not in
            EigenLayer, where it is a constructor immutable).
    @param delegation_ A DelegationManager whose `allocationManager()` is
           this contract (told of every slash; sets allocation delays at
           registration).
    """
    assert (
        msg.sender == _DEPLOYER
    ), "AllocationManager: caller is not the deployer"
    assert self._delegation.address == empty(
        address
    ), "AllocationManager: delegation already set"
    assert (
        staticcall IDelegationWiring(delegation_).allocationManager() == self
    ), "AllocationManager: delegation manager is not wired to this manager"
    self._delegation = IDelegationManager(delegation_)


@external
def slashOperator(
    avs: address, params: IAllocationManager.SlashingParams
) -> (uint256, DynArray[uint256, c.EL_MAX_STRATEGIES]):
    """
    @notice Slashes `params.operator`'s allocations to the set
            (`avs`, `params.operatorSetId`): each strategy loses
            `ceil(currentMagnitude * wad / WAD)` of its allocated, encumbered
            and max magnitude, and the DelegationManager lowers the
            operator's shares accordingly.
    @dev Checks in EigenLayer's order: not paused (flag 1, `CurrentlyPaused`);
         `InputArrayLengthMismatch`; `InvalidOperatorSet`;
         `OperatorNotSlashable`; caller is the set's slasher (`InvalidCaller`);
         per strategy: strictly ascending (`StrategiesMustBeInAscendingOrder`),
         `0 < wad <= WAD` (`InvalidWadToSlash`), in the set
         (`StrategyNotInOperatorSet`). A strategy with nothing allocated is
         skipped (wadSlashed 0, no DelegationManager call).
    @param avs The AVS owning the operator set.
    @param params The operator, set id, strategies, WADs and description.
    @return uint256 The slash id (1 for the set's first slash).
    @return DynArray The operator shares the DelegationManager slashed.
    """
    el_pausable._require_not_paused(c.EL_PAUSED_OPERATOR_SLASHING)
    operator_set: IEigenPodManager.OperatorSet = IEigenPodManager.OperatorSet(
        avs=avs, id=params.operatorSetId
    )
    key: bytes32 = self._key(operator_set)
    if len(params.strategies) != len(params.wadsToSlash):
        raw_revert(
            method_id("InputArrayLengthMismatch()", output_type=Bytes[4])
        )
    if not self._set_exists[key]:
        raw_revert(method_id("InvalidOperatorSet()", output_type=Bytes[4]))
    if not self._is_operator_slashable(params.operator, key):
        raw_revert(method_id("OperatorNotSlashable()", output_type=Bytes[4]))
    if msg.sender != self._slasher[key]:
        raw_revert(method_id("InvalidCaller()", output_type=Bytes[4]))

    slash_id: uint256 = self._slash_count[key] + 1
    self._slash_count[key] = slash_id
    wad_slashed: DynArray[uint256, c.EL_MAX_STRATEGIES] = []
    shares: DynArray[uint256, c.EL_MAX_STRATEGIES] = []
    previous: address = empty(address)
    for i: uint256 in range(len(params.strategies), bound=c.EL_MAX_STRATEGIES):
        strategy: address = params.strategies[i]
        wad: uint256 = params.wadsToSlash[i]
        if i != 0 and convert(strategy, uint160) <= convert(previous, uint160):
            raw_revert(
                method_id(
                    "StrategiesMustBeInAscendingOrder()", output_type=Bytes[4]
                )
            )
        previous = strategy
        if wad == 0 or wad > c.WAD:
            raw_revert(method_id("InvalidWadToSlash()", output_type=Bytes[4]))
        if not self._set_has_strategy[key][strategy]:
            raw_revert(
                method_id("StrategyNotInOperatorSet()", output_type=Bytes[4])
            )

        info: StrategyInfo = empty(StrategyInfo)
        allocation: IAllocationManager.Allocation = empty(
            IAllocationManager.Allocation
        )
        info, allocation = self._get_updated_allocation(
            params.operator, key, strategy
        )
        if allocation.currentMagnitude == 0:
            wad_slashed.append(0)
            shares.append(0)
            continue

        slashed: uint64 = convert(
            self._mul_wad_round_up(
                convert(allocation.currentMagnitude, uint256), wad
            ),
            uint64,
        )
        prev_max: uint64 = info.maxMagnitude
        wad_slashed.append(
            convert(slashed, uint256) * c.WAD // convert(prev_max, uint256)
        )
        allocation.currentMagnitude -= slashed
        info.maxMagnitude -= slashed
        info.encumberedMagnitude -= slashed

        if allocation.pendingDiff < 0:
            slashed_pending: uint256 = self._mul_wad_round_up(
                convert(-allocation.pendingDiff, uint256), wad
            )
            allocation.pendingDiff += convert(slashed_pending, int128)
            log AllocationUpdated(
                operator=params.operator,
                operatorSet=operator_set,
                strategy=strategy,
                magnitude=self._add_int128(
                    allocation.currentMagnitude, allocation.pendingDiff
                ),
                effectBlock=allocation.effectBlock,
            )

        self._update_allocation_info(
            params.operator, key, strategy, info, allocation
        )
        log AllocationUpdated(
            operator=params.operator,
            operatorSet=operator_set,
            strategy=strategy,
            magnitude=allocation.currentMagnitude,
            effectBlock=convert(block.number, uint32),
        )
        self._update_max_magnitude(params.operator, strategy, info.maxMagnitude)
        shares.append(
            extcall self._delegation.slashOperatorShares(
                params.operator,
                operator_set,
                slash_id,
                strategy,
                prev_max,
                info.maxMagnitude,
            )
        )

    log OperatorSlashed(
        operator=params.operator,
        operatorSet=operator_set,
        strategies=params.strategies,
        wadSlashed=wad_slashed,
        description=params.description,
    )
    return slash_id, shares


@external
def modifyAllocations(
    operator: address,
    params: DynArray[IAllocationManager.AllocateParams, c.EL_MAX_OPERATOR_SETS],
):
    """
    @notice Sets `operator`'s allocated magnitude per (operator set,
            strategy). An increase takes magnitude at once (it must fit
            under the max magnitude) and becomes slashable after the
            operator's allocation delay; a decrease of slashable magnitude
            stays slashable for `DEALLOCATION_DELAY` blocks, an unslashable
            one is freed at once.
    @dev The operator itself (`InvalidPermissions`); not paused (flag 0);
         errors in EigenLayer's order: `UninitializedAllocationDelay`, then
         per set `InputArrayLengthMismatch`, `InvalidOperatorSet`, per
         strategy `ModificationAlreadyPending`, `SameMagnitude`,
         `InsufficientMagnitude`. Completable deallocations of the strategy
         are cleared first. Emits `AllocationUpdated` (new magnitude, effect
         block) and `EncumberedMagnitudeUpdated` when that changes.
    @param operator The operator.
    @param params The operator sets, strategies and new magnitudes.
    """
    el_pausable._require_not_paused(c.EL_PAUSED_MODIFY_ALLOCATIONS)
    self._check_can_call(operator)
    is_set: bool = False
    delay: uint32 = 0
    is_set, delay = self._get_allocation_delay(operator)
    if not is_set:
        raw_revert(
            method_id("UninitializedAllocationDelay()", output_type=Bytes[4])
        )

    for param: IAllocationManager.AllocateParams in params:
        if len(param.strategies) != len(param.newMagnitudes):
            raw_revert(
                method_id("InputArrayLengthMismatch()", output_type=Bytes[4])
            )
        key: bytes32 = self._key(param.operatorSet)
        if not self._set_exists[key]:
            raw_revert(method_id("InvalidOperatorSet()", output_type=Bytes[4]))
        operator_slashable: bool = self._is_operator_slashable(operator, key)

        for j: uint256 in range(
            len(param.strategies), bound=c.EL_MAX_STRATEGIES
        ):
            strategy: address = param.strategies[j]
            new_magnitude: uint64 = param.newMagnitudes[j]
            self._clear_deallocation_queue(
                operator, strategy, c.EL_MAX_DEALLOCATION_CLEARS
            )

            info: StrategyInfo = empty(StrategyInfo)
            allocation: IAllocationManager.Allocation = empty(
                IAllocationManager.Allocation
            )
            info, allocation = self._get_updated_allocation(
                operator, key, strategy
            )
            if allocation.effectBlock != 0:
                raw_revert(
                    method_id(
                        "ModificationAlreadyPending()", output_type=Bytes[4]
                    )
                )

            slashable: bool = (
                self._set_has_strategy[key][strategy]
                and operator_slashable
                and allocation.currentMagnitude != 0
            )
            allocation.pendingDiff = convert(new_magnitude, int128) - convert(
                allocation.currentMagnitude, int128
            )
            if allocation.pendingDiff == 0:
                raw_revert(method_id("SameMagnitude()", output_type=Bytes[4]))

            if allocation.pendingDiff < 0:
                if slashable:
                    self._queue[operator][strategy][
                        self._queue_tail[operator][strategy]
                    ] = key
                    self._queue_tail[operator][strategy] += 1
                    allocation.effectBlock = (
                        convert(block.number, uint32) + DEALLOCATION_DELAY + 1
                    )
                else:
                    info.encumberedMagnitude = self._add_int128(
                        info.encumberedMagnitude, allocation.pendingDiff
                    )
                    allocation.currentMagnitude = new_magnitude
                    allocation.pendingDiff = 0
                    allocation.effectBlock = convert(block.number, uint32)
            else:
                info.encumberedMagnitude = self._add_int128(
                    info.encumberedMagnitude, allocation.pendingDiff
                )
                if info.encumberedMagnitude > info.maxMagnitude:
                    raw_revert(
                        method_id(
                            "InsufficientMagnitude()", output_type=Bytes[4]
                        )
                    )
                allocation.effectBlock = convert(block.number, uint32) + delay

            self._update_allocation_info(
                operator, key, strategy, info, allocation
            )
            log AllocationUpdated(
                operator=operator,
                operatorSet=param.operatorSet,
                strategy=strategy,
                magnitude=self._add_int128(
                    allocation.currentMagnitude, allocation.pendingDiff
                ),
                effectBlock=allocation.effectBlock,
            )


@external
def clearDeallocationQueue(
    operator: address,
    strategies: DynArray[address, c.EL_MAX_STRATEGIES],
    numToClear: DynArray[uint16, c.EL_MAX_STRATEGIES],
):
    """
    @notice Completes pending deallocations whose delay has passed, freeing
            their encumbered magnitude.
    @dev Anyone; not paused (flag 0); `InputArrayLengthMismatch`. At most
         `EL_MAX_DEALLOCATION_CLEARS` per strategy per call.
    @param operator The operator.
    @param strategies The strategies.
    @param numToClear How many to complete at most, per strategy.
    """
    el_pausable._require_not_paused(c.EL_PAUSED_MODIFY_ALLOCATIONS)
    if len(strategies) != len(numToClear):
        raw_revert(
            method_id("InputArrayLengthMismatch()", output_type=Bytes[4])
        )
    for i: uint256 in range(len(strategies), bound=c.EL_MAX_STRATEGIES):
        self._clear_deallocation_queue(
            operator,
            strategies[i],
            min(convert(numToClear[i], uint256), c.EL_MAX_DEALLOCATION_CLEARS),
        )


@external
def registerForOperatorSets(
    operator: address, params: IAllocationManager.RegisterParams
):
    """
    @notice Registers `operator` for operator sets of `params.avs`, which
            makes it slashable by them.
    @dev Not paused (flag 2); the operator itself (`InvalidPermissions`); a
         DelegationManager operator (`InvalidOperator`); per set
         `InvalidOperatorSet`, `AlreadyMemberOfSet`. The AVS registrar is not
         called (stand-in). Emits `OperatorAddedToOperatorSet`.
    @param operator The operator.
    @param params The AVS, set ids and data for the AVS (unused here).
    """
    el_pausable._require_not_paused(
        c.EL_PAUSED_OPERATOR_SET_REGISTRATION_AND_DEREGISTRATION
    )
    self._check_can_call(operator)
    if not staticcall self._delegation.isOperator(operator):
        raw_revert(method_id("InvalidOperator()", output_type=Bytes[4]))
    for set_id: uint32 in params.operatorSetIds:
        operator_set: IEigenPodManager.OperatorSet = (
            IEigenPodManager.OperatorSet(avs=params.avs, id=set_id)
        )
        key: bytes32 = self._key(operator_set)
        if not self._set_exists[key]:
            raw_revert(method_id("InvalidOperatorSet()", output_type=Bytes[4]))
        if self._is_operator_slashable(operator, key):
            raw_revert(method_id("AlreadyMemberOfSet()", output_type=Bytes[4]))
        self._registered[operator][key] = True
        log OperatorAddedToOperatorSet(
            operator=operator, operatorSet=operator_set
        )


@external
def setAllocationDelay(operator: address, delay: uint32):
    """
    @notice Sets an operator's allocation delay: the blocks between an
            allocation and its magnitude becoming slashable.
    @dev From the DelegationManager (at registration) the delay applies at
         once; from the operator itself (`InvalidPermissions` otherwise),
         which must be a DelegationManager operator (`InvalidOperator`), it
         applies after `ALLOCATION_CONFIGURATION_DELAY + 1` blocks. Emits
         `AllocationDelaySet(operator, delay, effectBlock)`.
    @param operator The operator.
    @param delay The delay in blocks.
    """
    newly_registered: bool = msg.sender == self._delegation.address
    if not newly_registered:
        self._check_can_call(operator)
        if not staticcall self._delegation.isOperator(operator):
            raw_revert(method_id("InvalidOperator()", output_type=Bytes[4]))
    info: AllocationDelayInfo = self._allocation_delay[operator]
    if info.effectBlock != 0 and block.number >= convert(
        info.effectBlock, uint256
    ):
        info.delay = info.pendingDelay
        info.isSet = True
    info.pendingDelay = delay
    if newly_registered:
        info.delay = delay
        info.isSet = True
        info.effectBlock = convert(block.number, uint32)
    else:
        info.effectBlock = (
            convert(block.number, uint32) + ALLOCATION_CONFIGURATION_DELAY + 1
        )
    self._allocation_delay[operator] = info
    log AllocationDelaySet(
        operator=operator, delay=delay, effectBlock=info.effectBlock
    )


@external
def updateAVSMetadataURI(
    avs: address, metadataURI: String[c.EL_MAX_DESCRIPTION]
):
    """
    @notice Announces an AVS's metadata URI (needed before it creates sets).
    @dev The AVS itself (`InvalidPermissions`). The URI is only logged.
    @param avs The AVS.
    @param metadataURI The URI.
    """
    self._check_can_call(avs)
    self._avs_registered_metadata[avs] = True
    log AVSMetadataURIUpdated(avs=avs, metadataURI=metadataURI)


@external
def createOperatorSets(
    avs: address,
    params: DynArray[
        IAllocationManager.CreateSetParamsV2, c.EL_MAX_OPERATOR_SETS
    ],
):
    """
    @notice Creates non-redistributing operator sets of `avs`, each with its
            strategies and slasher (effective at once).
    @dev The AVS itself (`InvalidPermissions`); `NonexistentAVSMetadata`
         before `updateAVSMetadataURI`; per set `InvalidOperatorSet` (exists),
         `StrategyAlreadyInOperatorSet`, `InputAddressZero` (slasher 0).
         Emits `OperatorSetCreated`, `StrategyAddedToOperatorSet` per
         strategy, `SlasherUpdated`.
    @param avs The AVS.
    @param params The set ids, strategies and slashers.
    """
    self._check_can_call(avs)
    if not self._avs_registered_metadata[avs]:
        raw_revert(method_id("NonexistentAVSMetadata()", output_type=Bytes[4]))
    for param: IAllocationManager.CreateSetParamsV2 in params:
        operator_set: IEigenPodManager.OperatorSet = (
            IEigenPodManager.OperatorSet(avs=avs, id=param.operatorSetId)
        )
        key: bytes32 = self._key(operator_set)
        if self._set_exists[key]:
            raw_revert(method_id("InvalidOperatorSet()", output_type=Bytes[4]))
        self._set_exists[key] = True
        log OperatorSetCreated(operatorSet=operator_set)
        for strategy: address in param.strategies:
            if self._set_has_strategy[key][strategy]:
                raw_revert(
                    method_id(
                        "StrategyAlreadyInOperatorSet()", output_type=Bytes[4]
                    )
                )
            self._set_has_strategy[key][strategy] = True
            self._set_strategies[key].append(strategy)
            log StrategyAddedToOperatorSet(
                operatorSet=operator_set, strategy=strategy
            )
        if param.slasher == empty(address):
            raw_revert(method_id("InputAddressZero()", output_type=Bytes[4]))
        self._slasher[key] = param.slasher
        log SlasherUpdated(
            operatorSet=operator_set,
            slasher=param.slasher,
            effectBlock=convert(block.number, uint32),
        )


@external
@view
@reentrant
def delegation() -> address:
    """
    @notice The DelegationManager told of every slash.
    @return address The DelegationManager.
    """
    return self._delegation.address


@external
@view
@reentrant
def getMaxMagnitude(operator: address, strategy: address) -> uint64:
    """
    @notice An operator's current max magnitude for a strategy.
    @dev WAD until the first slash (so WAD for operator 0). `@reentrant`:
         the DelegationManager may read it while `slashOperator` calls it.
    @param operator The operator.
    @param strategy The strategy.
    @return uint64 The magnitude.
    """
    return self._latest_max_magnitude(operator, strategy)


@external
@view
@reentrant
def getMaxMagnitudes(
    operator: address, strategies: DynArray[address, c.EL_MAX_STRATEGIES]
) -> DynArray[uint64, c.EL_MAX_STRATEGIES]:
    """
    @notice An operator's current max magnitudes.
    @dev The `(address, address[])` overload only (see the header).
    @param operator The operator.
    @param strategies The strategies.
    @return DynArray The magnitudes, in the order of `strategies`.
    """
    magnitudes: DynArray[uint64, c.EL_MAX_STRATEGIES] = []
    for strategy: address in strategies:
        magnitudes.append(self._latest_max_magnitude(operator, strategy))
    return magnitudes


@external
@view
@reentrant
def getMaxMagnitudesAtBlock(
    operator: address,
    strategies: DynArray[address, c.EL_MAX_STRATEGIES],
    blockNumber: uint32,
) -> DynArray[uint64, c.EL_MAX_STRATEGIES]:
    """
    @notice An operator's max magnitudes as they were at the end of block
            `blockNumber` (EigenLayer's `upperLookup`).
    @dev WAD before the first slash. The DelegationManager reads it to
         complete a withdrawal at `startBlock + delay`.
    @param operator The operator.
    @param strategies The strategies.
    @param blockNumber The block.
    @return DynArray The magnitudes, in the order of `strategies`.
    """
    magnitudes: DynArray[uint64, c.EL_MAX_STRATEGIES] = []
    for strategy: address in strategies:
        magnitudes.append(
            self._max_magnitude_at(operator, strategy, blockNumber)
        )
    return magnitudes


@external
@view
@reentrant
def getAllocation(
    operator: address,
    operatorSet: IEigenPodManager.OperatorSet,
    strategy: address,
) -> IAllocationManager.Allocation:
    """
    @notice An operator's allocation to a set for a strategy, with a
            pending change whose effect block has come already applied.
    @param operator The operator.
    @param operatorSet The operator set.
    @param strategy The strategy.
    @return Allocation currentMagnitude, pendingDiff, effectBlock.
    """
    info: StrategyInfo = empty(StrategyInfo)
    allocation: IAllocationManager.Allocation = empty(
        IAllocationManager.Allocation
    )
    info, allocation = self._get_updated_allocation(
        operator, self._key(operatorSet), strategy
    )
    return allocation


@external
@view
@reentrant
def getEncumberedMagnitude(operator: address, strategy: address) -> uint64:
    """
    @notice Magnitude an operator has allocated or still has pending
            deallocation, with completable deallocations freed.
    @param operator The operator.
    @param strategy The strategy.
    @return uint64 The encumbered magnitude.
    """
    return self._current_encumbered(operator, strategy)


@external
@view
@reentrant
def getAllocatableMagnitude(operator: address, strategy: address) -> uint64:
    """
    @notice Magnitude an operator can still allocate.
    @param operator The operator.
    @param strategy The strategy.
    @return uint64 Max magnitude minus encumbered magnitude.
    """
    return self._latest_max_magnitude(
        operator, strategy
    ) - self._current_encumbered(operator, strategy)


@external
@view
@reentrant
def getAllocationDelay(operator: address) -> (bool, uint32):
    """
    @notice An operator's allocation delay, with a pending one whose effect
            block has come applied.
    @param operator The operator.
    @return bool Whether a delay is set (modifyAllocations needs one).
    @return uint32 The delay in blocks.
    """
    return self._get_allocation_delay(operator)


@external
@view
@reentrant
def getSlashCount(operatorSet: IEigenPodManager.OperatorSet) -> uint256:
    """
    @notice How many times the operator set has slashed.
    @param operatorSet The operator set.
    @return uint256 The count, which is also the last slash id.
    """
    return self._slash_count[self._key(operatorSet)]


@external
@view
@reentrant
def getSlasher(operatorSet: IEigenPodManager.OperatorSet) -> address:
    """
    @notice The address that may slash for the operator set.
    @param operatorSet The operator set.
    @return address The slasher (0 for an unknown set).
    """
    return self._slasher[self._key(operatorSet)]


@external
@view
@reentrant
def getStrategiesInOperatorSet(
    operatorSet: IEigenPodManager.OperatorSet,
) -> DynArray[address, c.EL_MAX_STRATEGIES]:
    """
    @notice The strategies of an operator set.
    @param operatorSet The operator set.
    @return DynArray The strategies, in creation order.
    """
    return self._set_strategies[self._key(operatorSet)]


@external
@view
@reentrant
def isMemberOfOperatorSet(
    operator: address, operatorSet: IEigenPodManager.OperatorSet
) -> bool:
    """
    @notice Whether the operator is registered for the set.
    @param operator The operator.
    @param operatorSet The operator set.
    @return bool True when registered.
    """
    return self._registered[operator][self._key(operatorSet)]


@external
@view
@reentrant
def isOperatorSet(operatorSet: IEigenPodManager.OperatorSet) -> bool:
    """
    @notice Whether the operator set was created.
    @param operatorSet The operator set.
    @return bool True when created.
    """
    return self._set_exists[self._key(operatorSet)]


@external
@view
@reentrant
def isOperatorSlashable(
    operator: address, operatorSet: IEigenPodManager.OperatorSet
) -> bool:
    """
    @notice Whether the set may slash the operator.
    @dev Registered (there is no deregistration here, so no slashable-until
         window).
    @param operator The operator.
    @param operatorSet The operator set.
    @return bool True when slashable.
    """
    return self._is_operator_slashable(operator, self._key(operatorSet))


@internal
@pure
def _key(operator_set: IEigenPodManager.OperatorSet) -> bytes32:
    """
    @dev EigenLayer's `OperatorSetLib.key`: `abi.encodePacked(avs, uint96(id))`.
    @param operator_set The operator set.
    @return bytes32 The key.
    """
    return convert(
        (convert(operator_set.avs, uint256) << 96)
        | convert(operator_set.id, uint256),
        bytes32,
    )


@internal
@view
def _check_can_call(account: address):
    """
    @dev EigenLayer's `_checkCanCall` without a PermissionController: only
         `account` itself (`InvalidPermissions()`).
    @param account The account acted for.
    """
    if msg.sender != account:
        raw_revert(method_id("InvalidPermissions()", output_type=Bytes[4]))


@internal
@view
def _is_operator_slashable(operator: address, key: bytes32) -> bool:
    """
    @dev Registered for the set.
    @param operator The operator.
    @param key The operator-set key.
    @return bool True when slashable.
    """
    return self._registered[operator][key]


@internal
@view
def _get_allocation_delay(operator: address) -> (bool, uint32):
    """
    @dev EigenLayer's `getAllocationDelay`.
    @param operator The operator.
    @return bool Whether set.
    @return uint32 The delay.
    """
    info: AllocationDelayInfo = self._allocation_delay[operator]
    if info.effectBlock != 0 and block.number >= convert(
        info.effectBlock, uint256
    ):
        return True, info.pendingDelay
    return info.isSet, info.delay


@internal
@view
def _get_updated_allocation(
    operator: address, key: bytes32, strategy: address
) -> (StrategyInfo, IAllocationManager.Allocation):
    """
    @dev EigenLayer's `_getUpdatedAllocation`: the allocation with a pending
         change applied once its effect block has come (a completed
         deallocation frees encumbered magnitude).
    @param operator The operator.
    @param key The operator-set key.
    @param strategy The strategy.
    @return StrategyInfo Max and encumbered magnitude.
    @return Allocation The allocation.
    """
    info: StrategyInfo = StrategyInfo(
        maxMagnitude=self._latest_max_magnitude(operator, strategy),
        encumberedMagnitude=self._encumbered[operator][strategy],
    )
    allocation: IAllocationManager.Allocation = self._allocations[operator][
        key
    ][strategy]
    if block.number < convert(allocation.effectBlock, uint256):
        return info, allocation
    allocation.currentMagnitude = self._add_int128(
        allocation.currentMagnitude, allocation.pendingDiff
    )
    if allocation.pendingDiff < 0:
        info.encumberedMagnitude = self._add_int128(
            info.encumberedMagnitude, allocation.pendingDiff
        )
    allocation.effectBlock = 0
    allocation.pendingDiff = 0
    return info, allocation


@internal
def _update_allocation_info(
    operator: address,
    key: bytes32,
    strategy: address,
    info: StrategyInfo,
    allocation: IAllocationManager.Allocation,
):
    """
    @dev EigenLayer's `_updateAllocationInfo`: stores the encumbered
         magnitude (with `EncumberedMagnitudeUpdated`) when it changed, and
         the allocation.
    @param operator The operator.
    @param key The operator-set key.
    @param strategy The strategy.
    @param info Max and encumbered magnitude.
    @param allocation The allocation.
    """
    if self._encumbered[operator][strategy] != info.encumberedMagnitude:
        self._encumbered[operator][strategy] = info.encumberedMagnitude
        log EncumberedMagnitudeUpdated(
            operator=operator,
            strategy=strategy,
            encumberedMagnitude=info.encumberedMagnitude,
        )
    self._allocations[operator][key][strategy] = allocation


@internal
def _clear_deallocation_queue(
    operator: address, strategy: address, num_to_clear: uint256
):
    """
    @dev EigenLayer's `_clearDeallocationQueue`: completes pending
         deallocations in queue order until one is not completable yet.
    @param operator The operator.
    @param strategy The strategy.
    @param num_to_clear At most this many (at most EL_MAX_DEALLOCATION_CLEARS).
    """
    head: uint256 = self._queue_head[operator][strategy]
    tail: uint256 = self._queue_tail[operator][strategy]
    for _: uint256 in range(num_to_clear, bound=c.EL_MAX_DEALLOCATION_CLEARS):
        if head == tail:
            break
        key: bytes32 = self._queue[operator][strategy][head]
        info: StrategyInfo = empty(StrategyInfo)
        allocation: IAllocationManager.Allocation = empty(
            IAllocationManager.Allocation
        )
        info, allocation = self._get_updated_allocation(operator, key, strategy)
        if allocation.effectBlock != 0:
            break
        self._update_allocation_info(operator, key, strategy, info, allocation)
        self._queue[operator][strategy][head] = empty(bytes32)
        head += 1
    self._queue_head[operator][strategy] = head


@internal
@view
def _current_encumbered(operator: address, strategy: address) -> uint64:
    """
    @dev The encumbered magnitude with completable deallocations freed
         (EigenLayer's `_getFreeAndUsedMagnitude`), up to
         EL_MAX_DEALLOCATION_CLEARS of them.
    @param operator The operator.
    @param strategy The strategy.
    @return uint64 The encumbered magnitude.
    """
    encumbered: uint64 = self._encumbered[operator][strategy]
    head: uint256 = self._queue_head[operator][strategy]
    tail: uint256 = self._queue_tail[operator][strategy]
    for _: uint256 in range(c.EL_MAX_DEALLOCATION_CLEARS):
        if head == tail:
            break
        allocation: IAllocationManager.Allocation = self._allocations[operator][
            self._queue[operator][strategy][head]
        ][strategy]
        if block.number < convert(allocation.effectBlock, uint256):
            break
        encumbered = self._add_int128(encumbered, allocation.pendingDiff)
        head += 1
    return encumbered


@internal
def _update_max_magnitude(
    operator: address, strategy: address, magnitude: uint64
):
    """
    @dev Records the new max magnitude at this block (a second change in
         the same block overwrites the snapshot) and emits
         `MaxMagnitudeUpdated`.
    @param operator The operator.
    @param strategy The strategy.
    @param magnitude The new max magnitude.
    """
    length: uint256 = self._history_length[operator][strategy]
    now: uint32 = convert(block.number, uint32)
    if length != 0 and self._history[operator][strategy][length - 1].key == now:
        self._history[operator][strategy][length - 1].value = magnitude
    else:
        self._history[operator][strategy][length] = Snapshot(
            key=now, value=magnitude
        )
        self._history_length[operator][strategy] = length + 1
    log MaxMagnitudeUpdated(
        operator=operator, strategy=strategy, maxMagnitude=magnitude
    )


@internal
@view
def _latest_max_magnitude(operator: address, strategy: address) -> uint64:
    """
    @dev The last snapshot, or WAD if none (EigenLayer's DefaultWadHistory).
    @param operator The operator.
    @param strategy The strategy.
    @return uint64 The max magnitude.
    """
    length: uint256 = self._history_length[operator][strategy]
    if length == 0:
        return convert(c.WAD, uint64)
    return self._history[operator][strategy][length - 1].value


@internal
@view
def _max_magnitude_at(
    operator: address, strategy: address, block_number: uint32
) -> uint64:
    """
    @dev EigenLayer's `upperLookup`: the value of the last snapshot whose
         block is at most `block_number` (binary search), WAD if none.
    @param operator The operator.
    @param strategy The strategy.
    @param block_number The block.
    @return uint64 The max magnitude.
    """
    low: uint256 = 0
    high: uint256 = self._history_length[operator][strategy]
    for _: uint256 in range(c.EL_MAX_HISTORY_SEARCH):
        if low >= high:
            break
        mid: uint256 = (low + high) // 2
        if self._history[operator][strategy][mid].key > block_number:
            high = mid
        else:
            low = mid + 1
    if high == 0:
        return convert(c.WAD, uint64)
    return self._history[operator][strategy][high - 1].value


@internal
@pure
def _mul_wad_round_up(x: uint256, wad: uint256) -> uint256:
    """
    @dev `ceil(x * wad / WAD)` (Solady's `mulWadUp`).
    @param x The magnitude.
    @param wad The proportion (WAD = 100 %).
    @return uint256 The product, rounded up.
    """
    return (x * wad + c.WAD - 1) // c.WAD


@internal
@pure
def _add_int128(a: uint64, b: int128) -> uint64:
    """
    @dev `a + b` as uint64 (reverts below 0 or above 2**64 - 1).
    @param a The magnitude.
    @param b The signed change.
    @return uint64 The sum.
    """
    return convert(convert(a, int128) + b, uint64)
