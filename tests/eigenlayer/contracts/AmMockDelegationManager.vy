# pragma version ~=0.4.3
"""
@title AmMockDelegationManager
@custom:contract-name AmMockDelegationManager
@license MIT
@notice Test double of the DelegationManager for the AllocationManager
        tests: answers `isOperator` from a settable map, records every
        `slashOperatorShares` call, and sets allocation delays as the
        DelegationManager does at operator registration.
"""

from contracts.interfaces.external.eigenlayer import IAllocationManager
from contracts.interfaces.external.eigenlayer import IEigenPodManager


# One recorded `slashOperatorShares` call.
struct SlashCall:
    operator: address
    operatorSet: IEigenPodManager.OperatorSet
    slashId: uint256
    strategy: address
    prevMaxMagnitude: uint64
    newMaxMagnitude: uint64


isOperator: public(HashMap[address, bool])
# What `allocationManager()` answers (the AllocationManager checks it when wired).
allocationManager: public(address)
calls: public(DynArray[SlashCall, 64])
# What `slashOperatorShares` returns.
slashed_shares: public(uint256)


@external
def set_allocation_manager(allocation_manager: address):
    """
    @notice Sets what `allocationManager()` answers.
    @param allocation_manager The AllocationManager this double stands beside.
    """
    self.allocationManager = allocation_manager


@external
def set_operator(operator: address, is_operator: bool):
    """
    @notice Sets what `isOperator(operator)` answers.
    @param operator The address.
    @param is_operator The answer.
    """
    self.isOperator[operator] = is_operator


@external
def set_slashed_shares(shares: uint256):
    """
    @notice Sets what `slashOperatorShares` returns.
    @param shares The value.
    """
    self.slashed_shares = shares


@external
def register(
    allocation_manager: IAllocationManager, operator: address, delay: uint32
):
    """
    @notice Marks `operator` an operator and sets its allocation delay, as
            `registerAsOperator` does.
    @param allocation_manager The AllocationManager.
    @param operator The operator.
    @param delay The allocation delay.
    """
    self.isOperator[operator] = True
    extcall allocation_manager.setAllocationDelay(operator, delay)


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
    @notice Records the call.
    @param operator The operator.
    @param operatorSet The slashing operator set.
    @param slashId The slash id.
    @param strategy The strategy.
    @param prevMaxMagnitude The magnitude before.
    @param newMaxMagnitude The magnitude after.
    @return uint256 `slashed_shares`.
    """
    self.calls.append(
        SlashCall(
            operator=operator,
            operatorSet=operatorSet,
            slashId=slashId,
            strategy=strategy,
            prevMaxMagnitude=prevMaxMagnitude,
            newMaxMagnitude=newMaxMagnitude,
        )
    )
    return self.slashed_shares


@external
@view
def call_count() -> uint256:
    """
    @notice How many `slashOperatorShares` calls were recorded.
    @return uint256 The count.
    """
    return len(self.calls)
