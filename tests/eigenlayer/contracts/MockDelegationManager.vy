# pragma version ~=0.4.3
"""
@title MockDelegationManager
@custom:contract-name MockDelegationManager
@license MIT
@notice Test double of EigenLayer's DelegationManager as the v1.12
        EigenPodManager sees it: records the share reports it receives and
        forwards the DelegationManager-only calls.
"""

from contracts.interfaces.external.eigenlayer import IEigenPodManager

eigenPodManager: public(address)
# increaseDelegatedShares calls: count and the last arguments
increases: public(uint256)
lastIncrease: public(address)
lastIncreaseStrategy: public(address)
lastPrevDepositShares: public(uint256)
lastAddedShares: public(uint256)
# the EigenPodManager's factor, read back during the report
lastFactorSeen: public(uint64)
# decreaseDelegatedShares calls: count and the last arguments
decreases: public(uint256)
lastDecrease: public(address)
lastCurDepositShares: public(uint256)
lastFactorDecrease: public(uint64)


@deploy
def __init__(epm: address):
    """
    @notice Binds the double to an EigenPodManager.
    @param epm The EigenPodManager.
    """
    self.eigenPodManager = epm


@external
def increaseDelegatedShares(
    staker: address,
    strategy: address,
    prevDepositShares: uint256,
    addedShares: uint256,
):
    """
    @notice Records the report (and reads the EPM's factor, as the real one does).
    @param staker The staker.
    @param strategy The strategy.
    @param prevDepositShares The deposit shares before.
    @param addedShares The shares added.
    """
    assert msg.sender == self.eigenPodManager, "mock: not the EPM"
    self.increases += 1
    self.lastIncrease = staker
    self.lastIncreaseStrategy = strategy
    self.lastPrevDepositShares = prevDepositShares
    self.lastAddedShares = addedShares
    self.lastFactorSeen = staticcall IEigenPodManager(
        self.eigenPodManager
    ).beaconChainSlashingFactor(staker)


@external
def decreaseDelegatedShares(
    staker: address,
    curDepositShares: uint256,
    beaconChainSlashingFactorDecrease: uint64,
):
    """
    @notice Records the report.
    @param staker The staker.
    @param curDepositShares The staker's deposit shares.
    @param beaconChainSlashingFactorDecrease The factor's decrease.
    """
    assert msg.sender == self.eigenPodManager, "mock: not the EPM"
    self.decreases += 1
    self.lastDecrease = staker
    self.lastCurDepositShares = curDepositShares
    self.lastFactorDecrease = beaconChainSlashingFactorDecrease


@external
def removeDepositShares(
    staker: address, strategy: address, shares: uint256
) -> uint256:
    """
    @notice Forwards `removeDepositShares`.
    @param staker The staker.
    @param strategy The strategy.
    @param shares The deposit shares.
    @return uint256 What the EPM returns.
    """
    return extcall IEigenPodManager(self.eigenPodManager).removeDepositShares(
        staker, strategy, shares
    )


@external
def addShares(
    staker: address, strategy: address, shares: uint256
) -> (uint256, uint256):
    """
    @notice Forwards `addShares`.
    @param staker The staker.
    @param strategy The strategy.
    @param shares The shares.
    @return uint256 Deposit shares before.
    @return uint256 Shares added.
    """
    return extcall IEigenPodManager(self.eigenPodManager).addShares(
        staker, strategy, shares
    )


@external
def withdrawSharesAsTokens(staker: address, strategy: address, shares: uint256):
    """
    @notice Forwards `withdrawSharesAsTokens` (token: zero).
    @param staker The staker.
    @param strategy The strategy.
    @param shares The shares.
    """
    extcall IEigenPodManager(self.eigenPodManager).withdrawSharesAsTokens(
        staker, strategy, empty(address), shares
    )


@external
def increaseBurnOrRedistributableShares(shares: uint256):
    """
    @notice Forwards `increaseBurnOrRedistributableShares`.
    @param shares The shares slashed.
    """
    extcall IEigenPodManager(
        self.eigenPodManager
    ).increaseBurnOrRedistributableShares(
        IEigenPodManager.OperatorSet(avs=self, id=1),
        7,
        0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0,
        shares,
    )
