# pragma version ~=0.4.3
"""
@title MockEigenPodManager
@custom:contract-name MockEigenPodManager
@license MIT
@notice Test double of EigenLayer v1.12's EigenPodManager as the
        DelegationManager stand-in calls it (EIGENLAYER.md §2.1): deposit
        shares (signed), the beacon-chain slashing factor, burnable shares,
        and ETH it holds paid out as the owner's pod would. `deposit` and
        `lose` drive the DelegationManager as `recordBeaconChainETHBalanceUpdate`
        does after a positive or negative checkpoint.
"""

WAD: constant(uint256) = 10**18
WEI_PER_GWEI: constant(uint256) = 10**9
BEACON_CHAIN_ETH_STRATEGY: constant(
    address
) = 0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0


struct OperatorSet:
    avs: address
    id: uint32


interface IDelegationManagerShares:
    def increaseDelegatedShares(
        staker: address,
        strategy: address,
        prevDepositShares: uint256,
        addedShares: uint256,
    ): nonpayable
    def decreaseDelegatedShares(
        staker: address,
        curDepositShares: uint256,
        beaconChainSlashingFactorDecrease: uint64,
    ): nonpayable


delegation_manager: public(address)
podOwnerDepositShares: public(HashMap[address, int256])
burnableETHShares: public(uint256)
# the ETH paid to each owner by `withdrawSharesAsTokens`
paid: public(HashMap[address, uint256])

_bcsf: HashMap[address, uint64]
_bcsf_set: HashMap[address, bool]


@external
@payable
def __default__():
    """
    @notice Holds ETH the pods would hold.
    """
    pass


@external
def set_delegation_manager(delegation_manager: address):
    """
    @notice Sets the DelegationManager (the only caller of the share hooks).
    @param delegation_manager The DelegationManager.
    """
    self.delegation_manager = delegation_manager


@external
def deposit(pod_owner: address, amount: uint256):
    """
    @notice A positive balance update: deposit shares up, then
            `increaseDelegatedShares` as the EPM's `_addShares` reports it.
    @param pod_owner The pod owner.
    @param amount The wei added.
    """
    prev: uint256 = 0
    added: uint256 = 0
    prev, added = self._add_shares(pod_owner, amount)
    extcall IDelegationManagerShares(
        self.delegation_manager
    ).increaseDelegatedShares(pod_owner, BEACON_CHAIN_ETH_STRATEGY, prev, added)


@external
def lose(pod_owner: address, prev_restaked_wei: uint256, loss_wei: uint256):
    """
    @notice A negative balance update: the beacon-chain slashing factor drops
            by prev x (restaked - loss) / restaked, then
            `decreaseDelegatedShares` (EPM `_reduceSlashingFactor`).
    @param pod_owner The pod owner.
    @param prev_restaked_wei The restaked balance before.
    @param loss_wei The loss.
    """
    prev: uint64 = self._factor(pod_owner)
    new: uint64 = convert(
        convert(prev, uint256)
        * (prev_restaked_wei - loss_wei) // prev_restaked_wei,
        uint64,
    )
    self._bcsf[pod_owner] = new
    self._bcsf_set[pod_owner] = True
    extcall IDelegationManagerShares(
        self.delegation_manager
    ).decreaseDelegatedShares(
        pod_owner,
        convert(self.podOwnerDepositShares[pod_owner], uint256),
        prev - new,
    )


@external
def removeDepositShares(
    staker: address, strategy: address, depositSharesToRemove: uint256
) -> uint256:
    """
    @notice EPM.removeDepositShares: `SharesNegative()` below zero.
    @param staker The pod owner.
    @param strategy The beacon-chain ETH strategy.
    @param depositSharesToRemove The deposit shares.
    @return uint256 The deposit shares left.
    """
    self._only_dm_and_beacon(strategy)
    updated: int256 = self.podOwnerDepositShares[staker] - convert(
        depositSharesToRemove, int256
    )
    if updated < 0:
        raw_revert(method_id("SharesNegative()", output_type=Bytes[4]))
    self.podOwnerDepositShares[staker] = updated
    return convert(updated, uint256)


@external
def addShares(
    staker: address, strategy: address, shares: uint256
) -> (uint256, uint256):
    """
    @notice EPM.addShares.
    @param staker The pod owner.
    @param strategy The beacon-chain ETH strategy.
    @param shares The shares.
    @return uint256 The deposit shares before (0 if negative).
    @return uint256 The shares added above zero.
    """
    self._only_dm_and_beacon(strategy)
    return self._add_shares(staker, shares)


@external
def withdrawSharesAsTokens(
    staker: address, strategy: address, token: address, shares: uint256
):
    """
    @notice EPM.withdrawSharesAsTokens: pays floor(shares / 1 gwei) gwei of
            the ETH held here to the staker (the pod's sendValue).
    @param staker The pod owner.
    @param strategy The beacon-chain ETH strategy.
    @param token Ignored.
    @param shares The shares.
    """
    self._only_dm_and_beacon(strategy)
    if staker == empty(address):
        raw_revert(method_id("InputAddressZero()", output_type=Bytes[4]))
    if shares == 0 or shares > convert(max_value(int256), uint256):
        raw_revert(method_id("SharesNegative()", output_type=Bytes[4]))
    amount: uint256 = shares // WEI_PER_GWEI * WEI_PER_GWEI
    if amount > self.balance:
        raw_revert(
            method_id("InsufficientWithdrawableBalance()", output_type=Bytes[4])
        )
    self.paid[staker] += amount
    send(staker, amount)


@external
def increaseBurnOrRedistributableShares(
    operatorSet: OperatorSet,
    slashId: uint256,
    strategy: address,
    addedSharesToBurn: uint256,
):
    """
    @notice EPM.increaseBurnOrRedistributableShares: counts only.
    @param operatorSet The operator set.
    @param slashId The slash id.
    @param strategy The strategy.
    @param addedSharesToBurn The shares.
    """
    if msg.sender != self.delegation_manager:
        raw_revert(method_id("OnlyDelegationManager()", output_type=Bytes[4]))
    self.burnableETHShares += addedSharesToBurn


@external
@view
def stakerDepositShares(user: address, strategy: address) -> uint256:
    """
    @notice EPM.stakerDepositShares: `InvalidStrategy()`; negative is 0.
    @param user The pod owner.
    @param strategy The beacon-chain ETH strategy.
    @return uint256 The deposit shares.
    """
    if strategy != BEACON_CHAIN_ETH_STRATEGY:
        raw_revert(method_id("InvalidStrategy()", output_type=Bytes[4]))
    shares: int256 = self.podOwnerDepositShares[user]
    if shares < 0:
        return 0
    return convert(shares, uint256)


@external
@view
def beaconChainSlashingFactor(podOwner: address) -> uint64:
    """
    @notice EPM.beaconChainSlashingFactor (WAD when never lowered).
    @param podOwner The pod owner.
    @return uint64 The factor.
    """
    return self._factor(podOwner)


@internal
@view
def _factor(pod_owner: address) -> uint64:
    """
    @dev The stored factor, or WAD.
    @param pod_owner The pod owner.
    @return uint64 The factor.
    """
    if self._bcsf_set[pod_owner]:
        return self._bcsf[pod_owner]
    return convert(WAD, uint64)


@internal
@view
def _only_dm_and_beacon(strategy: address):
    """
    @dev `OnlyDelegationManager()`, then `InvalidStrategy()`.
    @param strategy The strategy.
    """
    if msg.sender != self.delegation_manager:
        raw_revert(method_id("OnlyDelegationManager()", output_type=Bytes[4]))
    if strategy != BEACON_CHAIN_ETH_STRATEGY:
        raw_revert(method_id("InvalidStrategy()", output_type=Bytes[4]))


@internal
def _add_shares(staker: address, shares: uint256) -> (uint256, uint256):
    """
    @dev EPM._addShares.
    @param staker The pod owner.
    @param shares The shares.
    @return uint256 The deposit shares before (0 if negative).
    @return uint256 The shares added above zero.
    """
    prev: int256 = self.podOwnerDepositShares[staker]
    updated: int256 = prev + convert(shares, int256)
    self.podOwnerDepositShares[staker] = updated
    if updated <= 0:
        return 0, 0
    if prev < 0:
        return 0, convert(updated, uint256)
    return convert(prev, uint256), shares
