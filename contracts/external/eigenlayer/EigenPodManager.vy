# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title EigenPodManager
@custom:contract-name EigenPodManager
@license MIT
@notice Stand-in for EigenLayer v1.12's EigenPodManager (EIGENLAYER.md
        §2.1): deploys one EigenPod per owner at a predictable address,
        stakes through it, keeps the owners' beacon-chain ETH deposit shares
        and slashing factors, and reports their changes to the
        DelegationManager. Names, argument tuples, events and custom errors
        are EigenLayer's.
@dev Pods are EIP-1167 minimal proxies (EigenLayer: BeaconProxies) to one
     EigenPod implementation that the constructor deploys from a blueprint
     (so the implementation's immutables hold this manager's address),
     created with CREATE2 and salt = bytes32(owner): `getPod` knows a pod's
     address before it exists. The pause bitmap is EigenLayer's Pausable;
     the pauser and unpauser are the owner (EigenLayer: a PauserRegistry).
     Extra (not in EigenLayer): `setDelegationManager(address)`, the
     one-time wiring of the DelegationManager, which is deployed after this
     contract; deployer only. Missing: `paused()` (the bitmap; Vyper has no
     overloading, `paused(uint8)` is kept), `initialize`, `eigenPodBeacon`,
     `pauserRegistry`, ownership transfers, and the never-emitted events.
"""

from ...lib import minimal_proxy
from ...lib import constants as c
from ...interfaces.external.eigenlayer import IEigenPod
from ...interfaces.external.eigenlayer import IEigenPodManager
from ...interfaces.external.eigenlayer import IDelegationManager

implements: IEigenPodManager


interface IDelegationManagerWiring:
    def eigenPodManager() -> address: view


# @dev The virtual strategy of beacon-chain ETH (not a contract).
beaconChainETHStrategy: public(
    constant(address)
) = 0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0
# @dev EigenLayer's EigenPodPausingConstants.PAUSED_NEW_EIGENPODS.
PAUSED_NEW_EIGENPODS: constant(uint8) = 0
# @dev Pausable's UNPAUSE_ALL / PAUSE_ALL.
PAUSE_ALL: constant(uint256) = max_value(uint256)

ethPOS: public(immutable(address))
_EIGEN_POD_IMPLEMENTATION: immutable(address)
_DEPLOYER: immutable(address)

# The owner (also the pauser and unpauser).
owner: public(reentrant(address))
# The DelegationManager (set once by the deployer).
delegationManager: public(reentrant(address))
# owner => its deployed pod (empty until deployed)
ownerToPod: public(reentrant(HashMap[address, address]))
# Pods deployed.
numPods: public(reentrant(uint256))
# owner => deposit shares of beacon-chain ETH (wei; negative only for legacy debts)
podOwnerDepositShares: public(reentrant(HashMap[address, int256]))
# owner => (is set, factor): `beaconChainSlashingFactor` is WAD until set
_bcsf_set: HashMap[address, bool]
_bcsf: HashMap[address, uint64]
# Shares slashed by AVSs (a counter; no ETH moves).
burnableETHShares: public(reentrant(uint256))
# May set `pectraForkTimestamp`.
proofTimestampSetter: public(reentrant(address))
# Proofs at 4788 timestamps up to this one use the Deneb layout.
pectraForkTimestamp: public(reentrant(uint64))
# Pausable's bitmap (the pods read it too).
_paused: uint256


event PodDeployed:
    eigenPod: indexed(address)
    podOwner: indexed(address)


event PodSharesUpdated:
    podOwner: indexed(address)
    sharesDelta: int256


event NewTotalShares:
    podOwner: indexed(address)
    newTotalShares: int256


event BeaconChainSlashingFactorDecreased:
    staker: address
    prevBeaconChainSlashingFactor: uint64
    newBeaconChainSlashingFactor: uint64


event BurnableETHSharesIncreased:
    shares: uint256


event PectraForkTimestampSet:
    newPectraForkTimestamp: uint64


event ProofTimestampSetterSet:
    newProofTimestampSetter: address


event Paused:
    account: indexed(address)
    newPausedStatus: uint256


event Unpaused:
    account: indexed(address)
    newPausedStatus: uint256


@deploy
def __init__(
    ethPOS_: address,
    eigenPodBlueprint: address,
    beaconRoots: address,
    withdrawalRequests: address,
):
    """
    @notice Deploys the manager and its pods' implementation; the deployer
            becomes the owner.
    @param ethPOS_ The beacon deposit contract.
    @param eigenPodBlueprint A blueprint of contracts/external/eigenlayer/EigenPod.vy.
    @param beaconRoots The EIP-4788 contract (a predeploy on real chains).
    @param withdrawalRequests The EIP-7002 contract (a predeploy on real chains).
    """
    ethPOS = ethPOS_
    _EIGEN_POD_IMPLEMENTATION = create_from_blueprint(
        eigenPodBlueprint, ethPOS_, self, beaconRoots, withdrawalRequests
    )
    _DEPLOYER = msg.sender
    self.owner = msg.sender


@external
def setDelegationManager(delegationManager_: address):
    """
    @notice Wires the DelegationManager; once, by the deployer (not in
            EigenLayer, where it is a constructor immutable).
    @param delegationManager_ A DelegationManager whose `eigenPodManager()` is this contract.
    """
    assert (
        msg.sender == _DEPLOYER
    ), "EigenPodManager: caller is not the deployer"
    assert self.delegationManager == empty(
        address
    ), "EigenPodManager: delegation manager already set"
    assert (
        staticcall IDelegationManagerWiring(
            delegationManager_
        ).eigenPodManager()
        == self
    ), "EigenPodManager: delegation manager is not wired to this manager"
    self.delegationManager = delegationManager_


@external
def createPod() -> address:
    """
    @notice Deploys the caller's EigenPod.
    @dev Not paused(0); `EigenPodAlreadyExists()` if it has one.
    @return address The pod (`getPod(msg.sender)` beforehand).
    """
    self._only_when_not_paused(PAUSED_NEW_EIGENPODS)
    if self.ownerToPod[msg.sender] != empty(address):
        raw_revert(method_id("EigenPodAlreadyExists()", output_type=Bytes[4]))
    return self._deploy_pod()


@external
@payable
def stake(pubkey: Bytes[48], signature: Bytes[96], depositDataRoot: bytes32):
    """
    @notice Deposits through the caller's pod (deployed on first use); the
            pod reverts `MsgValueNot32ETH()` unless exactly 32 ETH.
    @dev Not paused(0), even when the pod exists.
    @param pubkey The validator's BLS public key.
    @param signature The deposit signature.
    @param depositDataRoot The deposit data root.
    """
    self._only_when_not_paused(PAUSED_NEW_EIGENPODS)
    pod: address = self.ownerToPod[msg.sender]
    if pod == empty(address):
        pod = self._deploy_pod()
    extcall IEigenPod(pod).stake(
        pubkey, signature, depositDataRoot, value=msg.value
    )


@external
def recordBeaconChainETHBalanceUpdate(
    podOwner: address, prevRestakedBalanceWei: uint256, balanceDeltaWei: int256
):
    """
    @notice A pod's proven balance change: a gain adds deposit shares, a loss
            lowers the owner's beacon-chain slashing factor (shares stay).
    @dev The owner's pod only (`OnlyEigenPod()`); `InputAddressZero()`,
         `SharesNotMultipleOfGwei()`, `LegacyWithdrawalsNotCompleted()`.
    @param podOwner The pod's owner.
    @param prevRestakedBalanceWei The restaked balance before the change.
    @param balanceDeltaWei The change in wei (a multiple of 1 gwei).
    """
    if self.ownerToPod[podOwner] != msg.sender:
        raw_revert(method_id("OnlyEigenPod()", output_type=Bytes[4]))
    if podOwner == empty(address):
        raw_revert(method_id("InputAddressZero()", output_type=Bytes[4]))
    if balanceDeltaWei % convert(c.WEI_PER_GWEI, int256) != 0:
        raw_revert(method_id("SharesNotMultipleOfGwei()", output_type=Bytes[4]))
    current: int256 = self.podOwnerDepositShares[podOwner]
    if current < 0:
        raw_revert(
            method_id("LegacyWithdrawalsNotCompleted()", output_type=Bytes[4])
        )
    if balanceDeltaWei > 0:
        prev_shares: uint256 = 0
        added: uint256 = 0
        prev_shares, added = self._add_shares(
            podOwner, convert(balanceDeltaWei, uint256)
        )
        extcall IDelegationManager(
            self.delegationManager
        ).increaseDelegatedShares(
            podOwner, beaconChainETHStrategy, prev_shares, added
        )
    elif balanceDeltaWei < 0:
        decrease: uint64 = self._reduce_slashing_factor(
            podOwner, prevRestakedBalanceWei, convert(-balanceDeltaWei, uint256)
        )
        extcall IDelegationManager(
            self.delegationManager
        ).decreaseDelegatedShares(podOwner, convert(current, uint256), decrease)


@external
def removeDepositShares(
    staker: address, strategy: address, depositSharesToRemove: uint256
) -> uint256:
    """
    @notice Removes deposit shares queued for withdrawal.
    @dev DelegationManager only; `InvalidStrategy()`, `SharesNegative()`.
    @param staker The pod owner.
    @param strategy The beacon-chain ETH strategy.
    @param depositSharesToRemove The deposit shares.
    @return uint256 The deposit shares left.
    """
    self._only_delegation_manager()
    self._only_beacon_strategy(strategy)
    updated: int256 = self.podOwnerDepositShares[staker] - convert(
        depositSharesToRemove, int256
    )
    if updated < 0:
        raw_revert(method_id("SharesNegative()", output_type=Bytes[4]))
    self.podOwnerDepositShares[staker] = updated
    log NewTotalShares(podOwner=staker, newTotalShares=updated)
    return convert(updated, uint256)


@external
def addShares(
    staker: address, strategy: address, shares: uint256
) -> (uint256, uint256):
    """
    @notice Adds back shares of a withdrawal completed as shares.
    @dev DelegationManager only; `InvalidStrategy()`.
    @param staker The pod owner.
    @param strategy The beacon-chain ETH strategy.
    @param shares The shares.
    @return uint256 The deposit shares before (0 if negative).
    @return uint256 The shares added (as EigenLayer's `_addShares`).
    """
    self._only_delegation_manager()
    self._only_beacon_strategy(strategy)
    return self._add_shares(staker, shares)


@external
def withdrawSharesAsTokens(
    staker: address, strategy: address, token: address, shares: uint256
):
    """
    @notice Pays a completed withdrawal as ETH from the staker's pod, after
            paying off any legacy negative balance.
    @dev DelegationManager only; `InvalidStrategy()`, `InputAddressZero()`,
         `SharesNegative()` for 0 or above 2**255 - 1.
    @param staker The pod owner, who receives the ETH.
    @param strategy The beacon-chain ETH strategy.
    @param token Ignored.
    @param shares The shares (wei).
    """
    self._only_delegation_manager()
    self._only_beacon_strategy(strategy)
    if staker == empty(address):
        raw_revert(method_id("InputAddressZero()", output_type=Bytes[4]))
    if shares == 0 or shares > convert(max_value(int256), uint256):
        raw_revert(method_id("SharesNegative()", output_type=Bytes[4]))
    current: int256 = self.podOwnerDepositShares[staker]
    to_withdraw: uint256 = shares
    if current < 0:
        deficit: uint256 = convert(-current, uint256)
        to_add: uint256 = to_withdraw
        if to_withdraw > deficit:
            to_add = deficit
            to_withdraw -= deficit
        else:
            to_withdraw = 0
        updated: int256 = current + convert(to_add, int256)
        self.podOwnerDepositShares[staker] = updated
        log PodSharesUpdated(
            podOwner=staker, sharesDelta=convert(to_add, int256)
        )
        log NewTotalShares(podOwner=staker, newTotalShares=updated)
    if to_withdraw > 0:
        extcall IEigenPod(
            self.ownerToPod[staker]
        ).withdrawRestakedBeaconChainETH(staker, to_withdraw)


@external
def increaseBurnOrRedistributableShares(
    operatorSet: IEigenPodManager.OperatorSet,
    slashId: uint256,
    strategy: address,
    addedSharesToBurn: uint256,
):
    """
    @notice Counts shares slashed by an AVS (no ETH moves).
    @dev DelegationManager only.
    @param operatorSet The slashing operator set.
    @param slashId The slash id.
    @param strategy The beacon-chain ETH strategy.
    @param addedSharesToBurn The shares slashed.
    """
    self._only_delegation_manager()
    self.burnableETHShares += addedSharesToBurn
    log BurnableETHSharesIncreased(shares=addedSharesToBurn)


@external
def setProofTimestampSetter(newProofTimestampSetter: address):
    """
    @notice Sets who may set `pectraForkTimestamp`.
    @dev Owner only (OpenZeppelin's `Ownable: caller is not the owner`).
    @param newProofTimestampSetter The new setter.
    """
    assert msg.sender == self.owner, "Ownable: caller is not the owner"
    self.proofTimestampSetter = newProofTimestampSetter
    log ProofTimestampSetterSet(newProofTimestampSetter=newProofTimestampSetter)


@external
def setPectraForkTimestamp(timestamp: uint64):
    """
    @notice Sets the last 4788 timestamp whose proofs use the Deneb layout.
    @dev `proofTimestampSetter` only (`OnlyProofTimestampSetter()`).
    @param timestamp The timestamp of the first block after the Pectra fork.
    """
    if msg.sender != self.proofTimestampSetter:
        raw_revert(
            method_id("OnlyProofTimestampSetter()", output_type=Bytes[4])
        )
    self.pectraForkTimestamp = timestamp
    log PectraForkTimestampSet(newPectraForkTimestamp=timestamp)


@external
def pause(newPausedStatus: uint256):
    """
    @notice Sets more pause flags (never clears one).
    @dev Pauser (the owner) only: `OnlyPauser()`; `InvalidNewPausedStatus()`
         unless every set flag stays set.
    @param newPausedStatus The new bitmap.
    """
    if msg.sender != self.owner:
        raw_revert(method_id("OnlyPauser()", output_type=Bytes[4]))
    if self._paused & newPausedStatus != self._paused:
        raw_revert(method_id("InvalidNewPausedStatus()", output_type=Bytes[4]))
    self._paused = newPausedStatus
    log Paused(account=msg.sender, newPausedStatus=newPausedStatus)


@external
def pauseAll():
    """
    @notice Sets every pause flag.
    @dev Pauser (the owner) only: `OnlyPauser()`.
    """
    if msg.sender != self.owner:
        raw_revert(method_id("OnlyPauser()", output_type=Bytes[4]))
    self._paused = PAUSE_ALL
    log Paused(account=msg.sender, newPausedStatus=PAUSE_ALL)


@external
def unpause(newPausedStatus: uint256):
    """
    @notice Clears pause flags (never sets one).
    @dev Unpauser (the owner) only: `OnlyUnpauser()`;
         `InvalidNewPausedStatus()` unless every clear flag stays clear.
    @param newPausedStatus The new bitmap.
    """
    if msg.sender != self.owner:
        raw_revert(method_id("OnlyUnpauser()", output_type=Bytes[4]))
    if (~self._paused) & (~newPausedStatus) != ~self._paused:
        raw_revert(method_id("InvalidNewPausedStatus()", output_type=Bytes[4]))
    self._paused = newPausedStatus
    log Unpaused(account=msg.sender, newPausedStatus=newPausedStatus)


@external
@view
@reentrant
def paused(index: uint8) -> bool:
    """
    @notice Whether pause flag `index` is set (pods read this bitmap too).
    @param index The flag.
    @return bool True when paused.
    """
    return (self._paused >> convert(index, uint256)) & 1 == 1


@external
@view
@reentrant
def getPod(podOwner: address) -> address:
    """
    @notice The owner's pod, or the CREATE2 address it will have.
    @param podOwner The owner.
    @return address The pod.
    """
    pod: address = self.ownerToPod[podOwner]
    if pod == empty(address):
        return minimal_proxy._predict_address(
            _EIGEN_POD_IMPLEMENTATION, convert(podOwner, bytes32), self
        )
    return pod


@external
@view
@reentrant
def hasPod(podOwner: address) -> bool:
    """
    @notice Whether the owner's pod is deployed.
    @param podOwner The owner.
    @return bool True when deployed.
    """
    return self.ownerToPod[podOwner] != empty(address)


@external
@view
@reentrant
def stakerDepositShares(user: address, strategy: address) -> uint256:
    """
    @notice The owner's deposit shares, 0 when negative.
    @dev `InvalidStrategy()` for any other strategy.
    @param user The owner.
    @param strategy The beacon-chain ETH strategy.
    @return uint256 The deposit shares.
    """
    self._only_beacon_strategy(strategy)
    shares: int256 = self.podOwnerDepositShares[user]
    if shares < 0:
        return 0
    return convert(shares, uint256)


@external
@view
@reentrant
def beaconChainSlashingFactor(podOwner: address) -> uint64:
    """
    @notice The owner's beacon-chain slashing factor (WAD when never lowered).
    @param podOwner The owner.
    @return uint64 The factor.
    """
    return self._beacon_chain_slashing_factor(podOwner)


@internal
def _deploy_pod() -> address:
    """
    @dev EigenLayer's `_deployPod` for `msg.sender`: CREATE2 with salt =
         bytes32(owner), initialize, record, `PodDeployed`.
    @return address The pod.
    """
    self.numPods += 1
    pod: address = create_minimal_proxy_to(
        _EIGEN_POD_IMPLEMENTATION, salt=convert(msg.sender, bytes32)
    )
    extcall IEigenPod(pod).initialize(msg.sender)
    self.ownerToPod[msg.sender] = pod
    log PodDeployed(eigenPod=pod, podOwner=msg.sender)
    return pod


@internal
def _add_shares(staker: address, shares: uint256) -> (uint256, uint256):
    """
    @dev EigenLayer's `_addShares`.
    @param staker The pod owner.
    @param shares The shares to add.
    @return uint256 The deposit shares before (0 if they were negative).
    @return uint256 The shares added above zero.
    """
    if staker == empty(address):
        raw_revert(method_id("InputAddressZero()", output_type=Bytes[4]))
    if shares > convert(max_value(int256), uint256):
        raw_revert(method_id("SharesNegative()", output_type=Bytes[4]))
    delta: int256 = convert(shares, int256)
    prev: int256 = self.podOwnerDepositShares[staker]
    updated: int256 = prev + delta
    self.podOwnerDepositShares[staker] = updated
    log PodSharesUpdated(podOwner=staker, sharesDelta=delta)
    log NewTotalShares(podOwner=staker, newTotalShares=updated)
    if updated <= 0:
        return 0, 0
    if prev < 0:
        return 0, convert(updated, uint256)
    return convert(prev, uint256), shares


@internal
def _reduce_slashing_factor(
    podOwner: address, prevRestakedBalanceWei: uint256, decreasedWei: uint256
) -> uint64:
    """
    @dev EigenLayer's `_reduceSlashingFactor`: the factor scaled by the
         balance kept, rounded down (OpenZeppelin's `mulDiv`).
    @param podOwner The pod owner.
    @param prevRestakedBalanceWei The restaked balance before the loss.
    @param decreasedWei The loss.
    @return uint64 The factor's decrease.
    """
    kept: uint256 = prevRestakedBalanceWei - decreasedWei
    prev: uint64 = self._beacon_chain_slashing_factor(podOwner)
    new: uint64 = convert(
        convert(prev, uint256) * kept // prevRestakedBalanceWei, uint64
    )
    self._bcsf_set[podOwner] = True
    self._bcsf[podOwner] = new
    log BeaconChainSlashingFactorDecreased(
        staker=podOwner,
        prevBeaconChainSlashingFactor=prev,
        newBeaconChainSlashingFactor=new,
    )
    return prev - new


@internal
@view
def _beacon_chain_slashing_factor(podOwner: address) -> uint64:
    """
    @dev The stored factor, or WAD when never set.
    @param podOwner The pod owner.
    @return uint64 The factor.
    """
    if self._bcsf_set[podOwner]:
        return self._bcsf[podOwner]
    return convert(c.WAD, uint64)


@internal
@view
def _only_when_not_paused(index: uint8):
    """
    @dev `CurrentlyPaused()` when flag `index` is set.
    @param index The flag.
    """
    if (self._paused >> convert(index, uint256)) & 1 == 1:
        raw_revert(method_id("CurrentlyPaused()", output_type=Bytes[4]))


@internal
@view
def _only_delegation_manager():
    """
    @dev `OnlyDelegationManager()` for any other caller.
    """
    if msg.sender != self.delegationManager:
        raw_revert(method_id("OnlyDelegationManager()", output_type=Bytes[4]))


@internal
@pure
def _only_beacon_strategy(strategy: address):
    """
    @dev `InvalidStrategy()` for any strategy but beacon-chain ETH.
    @param strategy The strategy.
    """
    if strategy != beaconChainETHStrategy:
        raw_revert(method_id("InvalidStrategy()", output_type=Bytes[4]))
