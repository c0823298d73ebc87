# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title StrategyModule
@custom:contract-name StrategyModule
@notice The staker's own contract, one per staked cluster (32 ETH). It owns the
        cluster's EigenPod, delegates its restaked ETH through EigenLayer's
        DelegationManager and claims the staker's prepaid yield from
        StakerRewards. Its `owner()` is whoever currently holds ByzNft token
        `cluster_id()`: selling the NFT sells the module.
@dev Deployed by the StrategyModuleManager as a minimal proxy
     (`create_minimal_proxy_to`, CREATE2 salt derived from the cluster id) and
     initialised in the same transaction by the manager, which becomes
     `manager()`. The implementation contract locks itself in its constructor
     so that it can never be initialised. Only the NFT holder may act, except
     the manager, which stakes once during set-up.
"""

from ..interfaces import IAuction
from ..interfaces import IByzNft
from ..interfaces import IStakerRewards
from ..interfaces import IStrategyModule
from ..interfaces.external import IDelegationManager
from ..interfaces.external import IEigenPod
from ..interfaces.external import IEigenPodManager

implements: IStrategyModule


STAKE_AMOUNT: constant(uint256) = 32 * 10**18


# @notice The StrategyModuleManager that deployed and initialised this module.
manager: public(address)
# @notice The cluster (== ByzNft token id) this module belongs to.
cluster_id: public(uint256)
# @notice The ByzNft collection whose token `cluster_id` designates the owner.
byz_nft: public(address)
# @notice The Auction that formed the cluster.
auction: public(address)
# @notice StakerRewards, which streams the cluster's prepaid yield.
staker_rewards: public(address)
# @notice EigenLayer's EigenPodManager (the pod's factory).
eigen_pod_manager: public(address)
# @notice EigenLayer's DelegationManager.
delegation_manager: public(address)
# @notice True once initialised (set on the implementation by its constructor).
initialized: public(bool)
# @notice True once the manager has staked the cluster's 32 ETH.
is_staked: public(bool)


event Initialized:
    manager: indexed(address)
    cluster_id: indexed(uint256)


event Staked:
    cluster_id: indexed(uint256)
    eigen_pod: indexed(address)
    pubkey: Bytes[48]
    amount: uint256


event DelegatedTo:
    cluster_id: indexed(uint256)
    operator: indexed(address)


event Undelegated:
    cluster_id: indexed(uint256)
    operator: indexed(address)


event RewardsClaimed:
    cluster_id: indexed(uint256)
    receiver: indexed(address)
    amount: uint256


event Withdrawn:
    cluster_id: indexed(uint256)
    receiver: indexed(address)
    amount: uint256


event WithdrawnFromPod:
    cluster_id: indexed(uint256)
    eigen_pod: indexed(address)
    amount: uint256


event EtherReceived:
    sender: indexed(address)
    amount: uint256


@deploy
def __init__():
    """
    @notice Deploys the implementation and locks it: it can never be
            initialised. Proxies start with empty storage and are initialised
            by the manager.
    """
    self.initialized = True


@external
@payable
@reentrant
def __default__():
    """
    @notice Accepts ETH (e.g. withdrawals from the EigenPod, which pays the
            module during `withdraw_from_pod`, hence `@reentrant`).
    @dev Writes no state.
    """
    log EtherReceived(sender=msg.sender, amount=msg.value)


@external
def initialize(
    cluster_id: uint256,
    byz_nft: address,
    auction: address,
    staker_rewards: address,
    eigen_pod_manager: address,
    delegation_manager: address,
):
    """
    @notice Initialises a freshly deployed proxy; the caller becomes its
            manager. The manager deploys and initialises in one transaction.
    @dev Reverts on the implementation contract and on a second call.
    @param cluster_id The cluster (and ByzNft token) id.
    @param byz_nft The ByzNft collection.
    @param auction The Auction that formed the cluster.
    @param staker_rewards StakerRewards.
    @param eigen_pod_manager EigenLayer's EigenPodManager.
    @param delegation_manager EigenLayer's DelegationManager.
    """
    assert not self.initialized, "strategy_module: already initialized"
    assert byz_nft != empty(address), "strategy_module: zero address"
    assert auction != empty(address), "strategy_module: zero address"
    assert staker_rewards != empty(address), "strategy_module: zero address"
    assert eigen_pod_manager != empty(address), "strategy_module: zero address"
    assert delegation_manager != empty(address), "strategy_module: zero address"
    self.initialized = True
    self.manager = msg.sender
    self.cluster_id = cluster_id
    self.byz_nft = byz_nft
    self.auction = auction
    self.staker_rewards = staker_rewards
    self.eigen_pod_manager = eigen_pod_manager
    self.delegation_manager = delegation_manager
    log Initialized(manager=msg.sender, cluster_id=cluster_id)


@external
@payable
def stake(pubkey: Bytes[48], signature: Bytes[96], deposit_data_root: bytes32):
    """
    @notice Stakes exactly 32 ETH through EigenLayer: the EigenPodManager
            creates this module's EigenPod and deposits to the beacon deposit
            contract with the pod's withdrawal credentials.
    @dev Manager only, once.
    @param pubkey The validator's 48-byte BLS public key.
    @param signature The 96-byte BLS signature of the deposit message.
    @param deposit_data_root The SSZ root of the deposit data.
    """
    assert msg.sender == self.manager, "strategy_module: caller is not the manager"
    assert not self.is_staked, "strategy_module: already staked"
    assert msg.value == STAKE_AMOUNT, "strategy_module: stake must be 32 ETH"
    self.is_staked = True
    epm: address = self.eigen_pod_manager
    extcall IEigenPodManager(epm).stake(pubkey, signature, deposit_data_root, value=msg.value)
    log Staked(
        cluster_id=self.cluster_id,
        eigen_pod=staticcall IEigenPodManager(epm).get_pod(self),
        pubkey=pubkey,
        amount=msg.value,
    )


@external
def delegate_to(operator: address):
    """
    @notice Delegates this module's restaked ETH to an EigenLayer operator.
    @dev NFT holder only.
    @param operator A registered EigenLayer operator.
    """
    self._check_owner()
    extcall IDelegationManager(self.delegation_manager).delegate_to(operator)
    log DelegatedTo(cluster_id=self.cluster_id, operator=operator)


@external
def undelegate():
    """
    @notice Undelegates this module from its EigenLayer operator.
    @dev NFT holder only.
    """
    self._check_owner()
    dm: address = self.delegation_manager
    operator: address = staticcall IDelegationManager(dm).delegated_to(self)
    extcall IDelegationManager(dm).undelegate(self)
    log Undelegated(cluster_id=self.cluster_id, operator=operator)


@external
def claim_rewards() -> uint256:
    """
    @notice Claims the cluster's streamed staker rewards; StakerRewards pays
            them to the current NFT holder.
    @dev NFT holder only.
    @return uint256 The amount paid (wei).
    """
    holder: address = self._check_owner()
    amount: uint256 = extcall IStakerRewards(self.staker_rewards).claim(self.cluster_id)
    log RewardsClaimed(cluster_id=self.cluster_id, receiver=holder, amount=amount)
    return amount


@external
def withdraw(amount: uint256, to: address):
    """
    @notice Sends `amount` wei held by this module to `to` (full gas, no
            2300 stipend).
    @dev NFT holder only.
    @param amount The amount in wei.
    @param to The receiver.
    """
    self._check_owner()
    assert to != empty(address), "strategy_module: zero receiver"
    assert amount <= self.balance, "strategy_module: amount exceeds balance"
    log Withdrawn(cluster_id=self.cluster_id, receiver=to, amount=amount)
    raw_call(to, b"", value=amount)


@external
def withdraw_from_pod(amount: uint256):
    """
    @notice Pulls `amount` wei from this module's EigenPod into the module
            (then use `withdraw` to send it on).
    @dev NFT holder only.
    @param amount The amount in wei.
    """
    self._check_owner()
    pod: address = staticcall IEigenPodManager(self.eigen_pod_manager).get_pod(self)
    assert pod.is_contract, "strategy_module: no eigen pod"
    log WithdrawnFromPod(cluster_id=self.cluster_id, eigen_pod=pod, amount=amount)
    extcall IEigenPod(pod).withdraw(amount)


@external
@view
def owner() -> address:
    """
    @notice The module's owner: the current holder of ByzNft token
            `cluster_id()`.
    @dev Reverts on an uninitialised module or before the token is minted.
    @return address The owner.
    """
    return self._owner()


@external
@view
def eigen_pod() -> address:
    """
    @notice This module's EigenPod (its predicted address before staking).
    @return address The pod.
    """
    return staticcall IEigenPodManager(self.eigen_pod_manager).get_pod(self)


@external
@view
def has_eigen_pod() -> bool:
    """
    @notice Whether this module's EigenPod has been deployed.
    @return bool True once deployed.
    """
    return staticcall IEigenPodManager(self.eigen_pod_manager).has_pod(self)


@external
@view
def is_delegated() -> bool:
    """
    @notice Whether this module is delegated to an EigenLayer operator.
    @return bool True when delegated.
    """
    return staticcall IDelegationManager(self.delegation_manager).is_delegated(self)


@external
@view
def delegated_to() -> address:
    """
    @notice The EigenLayer operator this module is delegated to.
    @return address The operator, or the zero address.
    """
    return staticcall IDelegationManager(self.delegation_manager).delegated_to(self)


@external
@view
def cluster() -> IAuction.Cluster:
    """
    @notice The cluster this module belongs to, as recorded by the Auction.
    @return IAuction.Cluster Its winning bids, operators and min duration.
    """
    return staticcall IAuction(self.auction).get_cluster(self.cluster_id)


@external
@view
def claimable_rewards() -> uint256:
    """
    @notice The staker rewards claimable now for this cluster.
    @return uint256 The amount (wei).
    """
    return staticcall IStakerRewards(self.staker_rewards).claimable(self.cluster_id)


@internal
@view
def _owner() -> address:
    """
    @dev The current holder of ByzNft token `cluster_id`.
    """
    assert self.manager != empty(address), "strategy_module: not initialized"
    return staticcall IByzNft(self.byz_nft).ownerOf(self.cluster_id)


@internal
@view
def _check_owner() -> address:
    """
    @dev Reverts unless the caller holds ByzNft token `cluster_id`.
    @return address The holder (the caller).
    """
    holder: address = self._owner()
    assert msg.sender == holder, "strategy_module: caller is not the owner"
    return holder
