# pragma version ~=0.4.3
"""
@title MockAllocationManager
@custom:contract-name MockAllocationManager
@license MIT
@notice Test double of EigenLayer's AllocationManager as the
        DelegationManager stand-in reads it: a settable max magnitude per
        (operator, strategy) with its block history, and a `slash` that calls
        `DelegationManager.slashOperatorShares` as `slashOperator` would.
@dev Magnitudes are WAD until set; the zero operator is always WAD
     (EL Snapshots.DefaultWadHistory).
"""

WAD: constant(uint64) = 10**18


struct Snapshot:
    key: uint32
    value: uint64


interface IDelegationManagerSlash:
    def slashOperatorShares(
        operator: address,
        operatorSet: OperatorSet,
        slashId: uint256,
        strategy: address,
        prevMaxMagnitude: uint64,
        newMaxMagnitude: uint64,
    ) -> uint256: nonpayable


struct OperatorSet:
    avs: address
    id: uint32


delegation_manager: public(address)
allocation_delay: public(HashMap[address, uint32])
delay_set_by: public(HashMap[address, address])
slash_count: public(uint256)

_length: HashMap[address, HashMap[address, uint256]]
_history: HashMap[address, HashMap[address, HashMap[uint256, Snapshot]]]


@external
def set_delegation_manager(delegation_manager: address):
    """
    @notice Sets the DelegationManager `slash` calls.
    @param delegation_manager The DelegationManager.
    """
    self.delegation_manager = delegation_manager


@external
def setAllocationDelay(operator: address, delay: uint32):
    """
    @notice Records an operator's allocation delay and who set it.
    @param operator The operator.
    @param delay The delay.
    """
    self.allocation_delay[operator] = delay
    self.delay_set_by[operator] = msg.sender


@external
def set_max_magnitude(operator: address, strategy: address, magnitude: uint64):
    """
    @notice Sets an operator's max magnitude from this block on.
    @param operator The operator.
    @param strategy The strategy.
    @param magnitude The magnitude.
    """
    self._push(operator, strategy, magnitude)


@external
def slash(
    operator: address, strategy: address, new_magnitude: uint64
) -> uint256:
    """
    @notice Lowers the max magnitude and tells the DelegationManager, as
            `slashOperator` does.
    @param operator The operator.
    @param strategy The strategy.
    @param new_magnitude The new max magnitude.
    @return uint256 The shares slashed.
    """
    prev: uint64 = self._latest(operator, strategy)
    self._push(operator, strategy, new_magnitude)
    self.slash_count += 1
    return extcall IDelegationManagerSlash(
        self.delegation_manager
    ).slashOperatorShares(
        operator,
        OperatorSet(avs=self, id=7),
        self.slash_count,
        strategy,
        prev,
        new_magnitude,
    )


@external
@view
def getMaxMagnitude(operator: address, strategy: address) -> uint64:
    """
    @notice The current max magnitude.
    @param operator The operator.
    @param strategy The strategy.
    @return uint64 The magnitude.
    """
    return self._latest(operator, strategy)


@external
@view
def getMaxMagnitudesAtBlock(
    operator: address, strategies: DynArray[address, 8], blockNumber: uint32
) -> DynArray[uint64, 8]:
    """
    @notice The max magnitudes at `blockNumber`.
    @param operator The operator.
    @param strategies The strategies.
    @param blockNumber The block.
    @return DynArray The magnitudes.
    """
    result: DynArray[uint64, 8] = []
    for strategy: address in strategies:
        value: uint64 = WAD
        for i: uint256 in range(self._length[operator][strategy], bound=256):
            snapshot: Snapshot = self._history[operator][strategy][i]
            if snapshot.key > blockNumber:
                break
            value = snapshot.value
        result.append(value)
    return result


@internal
@view
def _latest(operator: address, strategy: address) -> uint64:
    """
    @dev The latest magnitude (WAD if none).
    @param operator The operator.
    @param strategy The strategy.
    @return uint64 The magnitude.
    """
    length: uint256 = self._length[operator][strategy]
    if length == 0:
        return WAD
    return self._history[operator][strategy][length - 1].value


@internal
def _push(operator: address, strategy: address, magnitude: uint64):
    """
    @dev Appends (or overwrites this block's) snapshot.
    @param operator The operator.
    @param strategy The strategy.
    @param magnitude The magnitude.
    """
    assert operator != empty(address), "mock_am: zero operator is WAD"
    length: uint256 = self._length[operator][strategy]
    key: uint32 = convert(block.number, uint32)
    if length > 0 and self._history[operator][strategy][length - 1].key == key:
        self._history[operator][strategy][length - 1].value = magnitude
        return
    self._history[operator][strategy][length] = Snapshot(
        key=key, value=magnitude
    )
    self._length[operator][strategy] = length + 1
