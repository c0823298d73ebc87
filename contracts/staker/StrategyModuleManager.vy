# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title StrategyModuleManager
@custom:contract-name StrategyModuleManager
@notice Turns Auction clusters into staked distributed validators:
        1. `pre_create_clusters(count)` (owner) settles `count` auctions; each
           settlement makes a pending cluster, identified by its Auction
           cluster id (== its ByzNft token id == its StrategyModule's id).
        2. `predict_addresses(cluster_id)` gives the StrategyModule, EigenPod
           and reward-split addresses; the operators run their key generation
           off-chain with withdrawal credentials `0x01 ‖ 11 zero bytes ‖
           eigen_pod` (`withdrawal_credentials(cluster_id)`) and fee recipient
           the split.
        3. `register_deposit_data(...)` (owner) records the checked deposit
           data (the root is recomputed on-chain).
        4. `create_strategy_module_and_stake()` (any staker, exactly 32 ETH)
           takes the oldest ready cluster, mints its ByzNft to the staker,
           deploys its StrategyModule, stakes through EigenLayer, deploys its
           split, starts the staker's reward stream and tries to pre-create
           the next cluster.
@dev Staking order. A pending cluster becomes *ready* when its deposit data
     is first registered; ready clusters sit in a list sorted by cluster id
     (= creation order), so stakers always get the oldest ready cluster in
     O(1). A pending cluster without deposit data (e.g. a key ceremony that
     is late or failed) is simply not in that list: it never blocks the
     clusters behind it, stays counted in `num_pending_clusters()`, and joins
     the list at its place as soon as its data is registered. Inserting walks
     back from the list's tail over ready clusters with larger ids (nothing
     in the usual in-order case), at most `MAX_READY_WALK` steps.
     Views are `@reentrant`: every state change happens before the external
     calls, so they are consistent when called back during a deposit (e.g.
     by StakerRewards).
"""

from ..interfaces import IAuction
from ..interfaces import IByzNft
from ..interfaces import IStakerRewards
from ..interfaces import IStrategyModule
from ..interfaces import IStrategyModuleManager
from ..interfaces.external import IEigenPodManager

implements: IStrategyModuleManager

from snekmate.auth import ownable
from snekmate.auth import ownable_2step

from ..external import minimal_proxy
from ..lib import ssz

initializes: ownable
initializes: ownable_2step[ownable := ownable]

exports: (
    ownable.owner,
    ownable_2step.pending_owner,
    ownable_2step.transfer_ownership,
    ownable_2step.accept_ownership,
    ownable_2step.renounce_ownership,
)


interface ISplitFactory:
    def create_split(
        recipients: DynArray[address, 16],
        allocations: DynArray[uint256, 16],
        distribution_incentive_bps: uint256,
        salt: bytes32,
    ) -> address: nonpayable
    def predict_split_address(
        recipients: DynArray[address, 16],
        allocations: DynArray[uint256, 16],
        distribution_incentive_bps: uint256,
        salt: bytes32,
    ) -> address: view


# @notice A validator's stake.
STAKE_AMOUNT: public(constant(uint256)) = 32 * 10**18
STAKE_AMOUNT_GWEI: constant(uint64) = 32 * 10**9
# @notice Most settlements one `pre_create_clusters` call may run.
MAX_PRE_CREATE: public(constant(uint256)) = 16
# @notice Most ready clusters an out-of-order registration may walk past.
MAX_READY_WALK: public(constant(uint256)) = 32
# @notice The distribution incentive (bps) of every cluster's reward split.
SPLIT_DISTRIBUTION_INCENTIVE_BPS: public(constant(uint256)) = 10
# @notice Each operator's allocation in its cluster's split (all equal).
SPLIT_ALLOCATION_PER_OPERATOR: public(constant(uint256)) = 1

# Values of `cluster_status`.
STATUS_NONE: constant(uint256) = 0
STATUS_PENDING: constant(uint256) = 1
STATUS_STAKED: constant(uint256) = 2


struct DepositData:
    pubkey: Bytes[48]
    signature: Bytes[96]
    deposit_data_root: bytes32


AUCTION: immutable(address)
STAKER_REWARDS: immutable(address)
BYZ_NFT: immutable(address)
STRATEGY_MODULE_IMPLEMENTATION: immutable(address)
EIGEN_POD_MANAGER: immutable(address)
DELEGATION_MANAGER: immutable(address)
SPLIT_FACTORY: immutable(address)

_cluster_status: HashMap[uint256, uint256]
# a cluster has deposit data iff its stored pubkey is non-empty
_deposit_data: HashMap[uint256, DepositData]
# keccak256(pubkey) => cluster id + 1 of the cluster registered with it
_pubkey_cluster: HashMap[bytes32, uint256]
_strategy_module_of: HashMap[uint256, address]
# StrategyModule => cluster id + 1
_module_cluster: HashMap[address, uint256]
_split_of: HashMap[uint256, address]
_num_pending: uint256
_num_ready: uint256
_num_staked: uint256
# Ready list: doubly linked, sorted by cluster id. Nodes are cluster id + 1;
# node 0 is the sentinel (`_next[0]` is the head, `_prev[0]` the tail).
_next: HashMap[uint256, uint256]
_prev: HashMap[uint256, uint256]


event ClusterPreCreated:
    cluster_id: indexed(uint256)
    strategy_module: address
    eigen_pod: address
    split: address


event ClusterPreCreationSkipped:
    settlement_attempted: bool


event DepositDataRegistered:
    cluster_id: indexed(uint256)
    pubkey: Bytes[48]
    deposit_data_root: bytes32
    replaced: bool


event StrategyModuleDeployed:
    cluster_id: indexed(uint256)
    staker: indexed(address)
    strategy_module: indexed(address)
    eigen_pod: address
    split: address


event ClusterStaked:
    cluster_id: indexed(uint256)
    pubkey: Bytes[48]
    withdrawal_credentials: bytes32
    amount: uint256


@deploy
def __init__(
    auction: address,
    staker_rewards: address,
    byz_nft: address,
    strategy_module_implementation: address,
    eigen_pod_manager: address,
    delegation_manager: address,
    split_factory: address,
):
    """
    @notice Deploys the manager; the deployer becomes the owner (two-step
            transfers). Then wire it: `Auction.set_manager`,
            `StakerRewards.set_manager` and `ByzNft.set_manager` with this
            address.
    @param auction The Auction whose settlements make the clusters.
    @param staker_rewards StakerRewards (streams start at staking).
    @param byz_nft The ByzNft collection.
    @param strategy_module_implementation A deployed StrategyModule
           (its code is the proxies' target).
    @param eigen_pod_manager EigenLayer's EigenPodManager.
    @param delegation_manager EigenLayer's DelegationManager.
    @param split_factory The reward SplitFactory.
    """
    assert auction.is_contract, "strategy_module_manager: auction has no code"
    assert staker_rewards.is_contract, "strategy_module_manager: staker rewards has no code"
    assert byz_nft.is_contract, "strategy_module_manager: byz nft has no code"
    assert strategy_module_implementation.is_contract, "strategy_module_manager: implementation has no code"
    assert eigen_pod_manager.is_contract, "strategy_module_manager: eigen pod manager has no code"
    assert delegation_manager.is_contract, "strategy_module_manager: delegation manager has no code"
    assert split_factory.is_contract, "strategy_module_manager: split factory has no code"
    ownable.__init__()
    ownable_2step.__init__()
    AUCTION = auction
    STAKER_REWARDS = staker_rewards
    BYZ_NFT = byz_nft
    STRATEGY_MODULE_IMPLEMENTATION = strategy_module_implementation
    EIGEN_POD_MANAGER = eigen_pod_manager
    DELEGATION_MANAGER = delegation_manager
    SPLIT_FACTORY = split_factory


# ------------------------------------------------------------ owner


@external
def pre_create_clusters(count: uint256) -> DynArray[uint256, MAX_PRE_CREATE]:
    """
    @notice Runs `count` Auction settlements; each makes a pending cluster.
    @dev Owner only; 1 <= count <= MAX_PRE_CREATE. Reverts as a whole (with
         the Auction's reason) if any settlement fails, e.g. "auction: not
         enough operators".
    @param count The number of clusters to pre-create.
    @return DynArray The new clusters' ids.
    """
    ownable._check_owner()
    assert count > 0 and count <= MAX_PRE_CREATE, "strategy_module_manager: count must be 1 to 16"
    ids: DynArray[uint256, MAX_PRE_CREATE] = []
    for _: uint256 in range(count, bound=MAX_PRE_CREATE):
        cluster_id: uint256 = extcall IAuction(AUCTION).settle_cluster()
        self._add_pending(cluster_id)
        ids.append(cluster_id)
    return ids


@external
def register_deposit_data(
    cluster_id: uint256, pubkey: Bytes[48], signature: Bytes[96], deposit_data_root: bytes32
):
    """
    @notice Records a pending cluster's deposit data after its key generation.
            May be called again (replacing the data) until the cluster is
            staked.
    @dev Owner only. Checks the lengths, that the cluster is pending, that
         the public key is not registered for another cluster, and recomputes
         the SSZ deposit data root from the cluster's withdrawal credentials
         and 32 ETH; reverts on mismatch.
    @param cluster_id The pending cluster.
    @param pubkey The distributed validator's 48-byte BLS public key.
    @param signature The 96-byte BLS signature of the deposit message.
    @param deposit_data_root The deposit data root to check and use.
    """
    ownable._check_owner()
    assert len(pubkey) == 48, "strategy_module_manager: pubkey must be 48 bytes"
    assert len(signature) == 96, "strategy_module_manager: signature must be 96 bytes"
    status: uint256 = self._cluster_status[cluster_id]
    assert status != STATUS_NONE, "strategy_module_manager: unknown cluster"
    assert status == STATUS_PENDING, "strategy_module_manager: cluster already staked"
    credentials: bytes32 = self._credentials_of_pod(self._pod_of(self._module_address(cluster_id)))
    computed: bytes32 = ssz._deposit_data_root(pubkey, concat(credentials, b""), STAKE_AMOUNT_GWEI, signature)
    assert computed == deposit_data_root, "strategy_module_manager: deposit data root mismatch"

    key_hash: bytes32 = keccak256(pubkey)
    owner_node: uint256 = self._pubkey_cluster[key_hash]
    assert owner_node == 0 or owner_node == cluster_id + 1, "strategy_module_manager: pubkey already registered"

    old_pubkey: Bytes[48] = self._deposit_data[cluster_id].pubkey
    replaced: bool = len(old_pubkey) != 0
    if replaced:
        self._pubkey_cluster[keccak256(old_pubkey)] = 0
    else:
        self._insert_ready(cluster_id + 1)
        self._num_ready += 1
    self._pubkey_cluster[key_hash] = cluster_id + 1
    self._deposit_data[cluster_id] = DepositData(
        pubkey=pubkey, signature=signature, deposit_data_root=deposit_data_root
    )
    log DepositDataRegistered(
        cluster_id=cluster_id, pubkey=pubkey, deposit_data_root=deposit_data_root, replaced=replaced
    )


# ------------------------------------------------------------ stakers


@external
@payable
def create_strategy_module_and_stake() -> address:
    """
    @notice Stakes exactly 32 ETH into the oldest ready cluster: mints ByzNft
            token `cluster_id` to the caller, deploys the cluster's
            StrategyModule at its predicted address, stakes through EigenLayer
            with the cluster's deposit data, deploys the cluster's reward
            split (operators share equally), starts the staker's reward
            stream, then tries to pre-create the next cluster (a lack of bids
            never fails the deposit).
    @dev A contract caller must implement `onERC721Received`.
    @return address The staker's StrategyModule.
    """
    assert msg.value == STAKE_AMOUNT, "strategy_module_manager: deposit must be exactly 32 ETH"
    node: uint256 = self._next[0]
    assert node != 0, "strategy_module_manager: no cluster ready"
    cluster_id: uint256 = node - 1

    # Effects.
    self._remove_head(node)
    self._cluster_status[cluster_id] = STATUS_STAKED
    self._num_pending -= 1
    self._num_ready -= 1
    self._num_staked += 1
    predicted: address = self._module_address(cluster_id)
    self._strategy_module_of[cluster_id] = predicted
    self._module_cluster[predicted] = node
    operators: DynArray[address, 16] = empty(DynArray[address, 16])
    allocations: DynArray[uint256, 16] = empty(DynArray[uint256, 16])
    split_salt: bytes32 = empty(bytes32)
    operators, allocations, split_salt = self._split_params(cluster_id)
    split: address = staticcall ISplitFactory(SPLIT_FACTORY).predict_split_address(
        operators, allocations, SPLIT_DISTRIBUTION_INCENTIVE_BPS, split_salt
    )
    self._split_of[cluster_id] = split
    data: DepositData = self._deposit_data[cluster_id]

    # Interactions.
    extcall IByzNft(BYZ_NFT).mint(msg.sender, cluster_id)
    module: address = create_minimal_proxy_to(STRATEGY_MODULE_IMPLEMENTATION, salt=convert(cluster_id, bytes32))
    assert module == predicted, "strategy_module_manager: unexpected module address"
    extcall IStrategyModule(module).initialize(
        cluster_id, BYZ_NFT, AUCTION, STAKER_REWARDS, EIGEN_POD_MANAGER, DELEGATION_MANAGER
    )
    extcall IStrategyModule(module).stake(data.pubkey, data.signature, data.deposit_data_root, value=msg.value)
    eigen_pod: address = self._pod_of(module)

    # Anyone may deploy a split with these parameters through the factory;
    # a split already there is the same split.
    if not split.is_contract:
        deployed: address = extcall ISplitFactory(SPLIT_FACTORY).create_split(
            operators, allocations, SPLIT_DISTRIBUTION_INCENTIVE_BPS, split_salt
        )
        assert deployed == split, "strategy_module_manager: unexpected split address"

    extcall IStakerRewards(STAKER_REWARDS).start_stream(cluster_id)

    log StrategyModuleDeployed(
        cluster_id=cluster_id, staker=msg.sender, strategy_module=module, eigen_pod=eigen_pod, split=split
    )
    log ClusterStaked(
        cluster_id=cluster_id,
        pubkey=data.pubkey,
        withdrawal_credentials=self._credentials_of_pod(eigen_pod),
        amount=msg.value,
    )

    self._try_pre_create()
    return module


# ------------------------------------------------------------ views


@external
@view
@reentrant
def predict_addresses(cluster_id: uint256) -> (address, address, address):
    """
    @notice The addresses the cluster's StrategyModule, EigenPod and reward
            split have (once staked) or will have.
    @dev Reverts for a cluster this manager did not pre-create.
    @param cluster_id The cluster id.
    @return (address, address, address) (strategy_module, eigen_pod, split).
    """
    assert self._cluster_status[cluster_id] != STATUS_NONE, "strategy_module_manager: unknown cluster"
    return self._predict(cluster_id)


@external
@view
@reentrant
def withdrawal_credentials(cluster_id: uint256) -> bytes32:
    """
    @notice The withdrawal credentials of the cluster's validator:
            `0x01 ‖ 11 zero bytes ‖ eigen_pod`.
    @param cluster_id The cluster id.
    @return bytes32 The credentials.
    """
    assert self._cluster_status[cluster_id] != STATUS_NONE, "strategy_module_manager: unknown cluster"
    return self._credentials_of_pod(self._pod_of(self._module_address(cluster_id)))


@external
@view
@reentrant
def strategy_module_of(cluster_id: uint256) -> address:
    """
    @notice The StrategyModule of a staked cluster (ByzNft token
            `cluster_id`).
    @param cluster_id The cluster id.
    @return address The module, or the zero address if not staked.
    """
    return self._strategy_module_of[cluster_id]


@external
@view
@reentrant
def is_strategy_module(module: address) -> bool:
    """
    @notice Whether `module` is a StrategyModule deployed by this manager.
    @param module The address.
    @return bool True for a deployed module.
    """
    return self._module_cluster[module] != 0


@external
@view
@reentrant
def cluster_of_module(module: address) -> uint256:
    """
    @notice The cluster id of a StrategyModule deployed by this manager.
    @dev Reverts for any other address.
    @param module The StrategyModule.
    @return uint256 Its cluster id.
    """
    node: uint256 = self._module_cluster[module]
    assert node != 0, "strategy_module_manager: not a strategy module"
    return node - 1


@external
@view
@reentrant
def split_of(cluster_id: uint256) -> address:
    """
    @notice The reward split of a staked cluster.
    @param cluster_id The cluster id.
    @return address The split, or the zero address if not staked.
    """
    return self._split_of[cluster_id]


@external
@view
@reentrant
def cluster_status(cluster_id: uint256) -> uint256:
    """
    @notice A cluster's status here: 0 unknown, 1 pending (pre-created, not
            staked), 2 staked.
    @param cluster_id The cluster id.
    @return uint256 The status.
    """
    return self._cluster_status[cluster_id]


@external
@view
@reentrant
def has_deposit_data(cluster_id: uint256) -> bool:
    """
    @notice Whether deposit data has been registered for the cluster.
    @param cluster_id The cluster id.
    @return bool True once registered.
    """
    return len(self._deposit_data[cluster_id].pubkey) != 0


@external
@view
@reentrant
def deposit_data(cluster_id: uint256) -> (Bytes[48], Bytes[96], bytes32):
    """
    @notice The cluster's registered deposit data.
    @param cluster_id The cluster id.
    @return (Bytes[48], Bytes[96], bytes32) (pubkey, signature, deposit_data_root); empty if none.
    """
    data: DepositData = self._deposit_data[cluster_id]
    return data.pubkey, data.signature, data.deposit_data_root


@external
@view
@reentrant
def num_pending_clusters() -> uint256:
    """
    @notice Clusters pre-created and not yet staked (with or without deposit data).
    @return uint256 The count.
    """
    return self._num_pending


@external
@view
@reentrant
def num_ready_clusters() -> uint256:
    """
    @notice Pending clusters with deposit data, i.e. ready for a staker.
    @return uint256 The count.
    """
    return self._num_ready


@external
@view
@reentrant
def num_staked_clusters() -> uint256:
    """
    @notice Clusters staked so far (== ByzNfts and StrategyModules).
    @return uint256 The count.
    """
    return self._num_staked


@external
@view
@reentrant
def next_cluster_to_stake() -> (bool, uint256):
    """
    @notice The cluster the next `create_strategy_module_and_stake` takes.
    @return (bool, uint256) (True, cluster id), or (False, 0) when none is ready.
    """
    node: uint256 = self._next[0]
    if node == 0:
        return False, 0
    return True, node - 1


@external
@view
@reentrant
def ready_clusters(start_after: uint256, limit: uint256) -> DynArray[uint256, 64]:
    """
    @notice Pages through the ready clusters in staking order.
    @param start_after 0 to start at the head, else (cluster id + 1) of the
           ready cluster to continue after.
    @param limit At most this many ids (<= 64).
    @return DynArray The cluster ids.
    """
    assert limit <= 64, "strategy_module_manager: limit above 64"
    ids: DynArray[uint256, 64] = []
    node: uint256 = self._next[start_after]
    for _: uint256 in range(limit, bound=64):
        if node == 0:
            break
        ids.append(node - 1)
        node = self._next[node]
    return ids


@external
@view
@reentrant
def auction() -> address:
    """
    @notice The Auction.
    """
    return AUCTION


@external
@view
@reentrant
def staker_rewards() -> address:
    """
    @notice StakerRewards.
    """
    return STAKER_REWARDS


@external
@view
@reentrant
def byz_nft() -> address:
    """
    @notice The ByzNft collection.
    """
    return BYZ_NFT


@external
@view
@reentrant
def strategy_module_implementation() -> address:
    """
    @notice The StrategyModule implementation the proxies delegate to.
    """
    return STRATEGY_MODULE_IMPLEMENTATION


@external
@view
@reentrant
def eigen_pod_manager() -> address:
    """
    @notice EigenLayer's EigenPodManager.
    """
    return EIGEN_POD_MANAGER


@external
@view
@reentrant
def delegation_manager() -> address:
    """
    @notice EigenLayer's DelegationManager.
    """
    return DELEGATION_MANAGER


@external
@view
@reentrant
def split_factory() -> address:
    """
    @notice The reward SplitFactory.
    """
    return SPLIT_FACTORY


# ------------------------------------------------------------ internal


@internal
def _add_pending(cluster_id: uint256):
    """
    @dev Records a freshly settled cluster as pending.
    """
    assert self._cluster_status[cluster_id] == STATUS_NONE, "strategy_module_manager: cluster already known"
    self._cluster_status[cluster_id] = STATUS_PENDING
    self._num_pending += 1
    module: address = empty(address)
    pod: address = empty(address)
    split: address = empty(address)
    module, pod, split = self._predict(cluster_id)
    log ClusterPreCreated(cluster_id=cluster_id, strategy_module=module, eigen_pod=pod, split=split)


@internal
def _try_pre_create():
    """
    @dev Pre-creates the next cluster if the Auction can settle; never
         reverts because of the Auction (a failed settlement is skipped and
         evented).
    """
    if not staticcall IAuction(AUCTION).can_settle():
        log ClusterPreCreationSkipped(settlement_attempted=False)
        return
    success: bool = False
    response: Bytes[32] = b""
    success, response = raw_call(
        AUCTION, method_id("settle_cluster()"), max_outsize=32, revert_on_failure=False
    )
    if not success or len(response) != 32:
        log ClusterPreCreationSkipped(settlement_attempted=True)
        return
    self._add_pending(abi_decode(response, uint256))


@internal
def _insert_ready(node: uint256):
    """
    @dev Inserts `node` (cluster id + 1) into the ready list, keeping it
         sorted; walks back from the tail at most MAX_READY_WALK steps.
    """
    prev: uint256 = self._prev[0]
    found: bool = False
    for _: uint256 in range(MAX_READY_WALK + 1):
        if prev < node:
            found = True
            break
        prev = self._prev[prev]
    assert found, "strategy_module_manager: registration too far out of order"
    nxt: uint256 = self._next[prev]
    self._next[prev] = node
    self._prev[node] = prev
    self._next[node] = nxt
    self._prev[nxt] = node


@internal
def _remove_head(node: uint256):
    """
    @dev Unlinks the list's head `node`.
    """
    nxt: uint256 = self._next[node]
    self._next[0] = nxt
    self._prev[nxt] = 0
    self._next[node] = 0
    self._prev[node] = 0


@internal
@view
def _predict(cluster_id: uint256) -> (address, address, address):
    """
    @dev (strategy_module, eigen_pod, split) of a cluster.
    """
    module: address = self._module_address(cluster_id)
    operators: DynArray[address, 16] = empty(DynArray[address, 16])
    allocations: DynArray[uint256, 16] = empty(DynArray[uint256, 16])
    salt: bytes32 = empty(bytes32)
    operators, allocations, salt = self._split_params(cluster_id)
    split: address = staticcall ISplitFactory(SPLIT_FACTORY).predict_split_address(
        operators, allocations, SPLIT_DISTRIBUTION_INCENTIVE_BPS, salt
    )
    return module, self._pod_of(module), split


@internal
@view
def _module_address(cluster_id: uint256) -> address:
    """
    @dev The cluster's StrategyModule: the manager's CREATE2 minimal proxy
         with salt = cluster id.
    """
    return minimal_proxy._predict_address(STRATEGY_MODULE_IMPLEMENTATION, convert(cluster_id, bytes32), self)


@internal
@view
def _pod_of(module: address) -> address:
    """
    @dev The EigenPod (deployed or predicted) owned by `module`.
    """
    return staticcall IEigenPodManager(EIGEN_POD_MANAGER).get_pod(module)


@internal
@pure
def _credentials_of_pod(pod: address) -> bytes32:
    """
    @dev 0x01 ‖ 11 zero bytes ‖ pod.
    """
    return convert(concat(x"01", empty(bytes11), convert(pod, bytes20)), bytes32)


@internal
@view
def _split_params(cluster_id: uint256) -> (DynArray[address, 16], DynArray[uint256, 16], bytes32):
    """
    @dev The split's recipients (the cluster's operators, ranking order),
         their equal allocations, and its salt (committing to this manager
         and the cluster id).
    """
    cluster: IAuction.Cluster = staticcall IAuction(AUCTION).get_cluster(cluster_id)
    operators: DynArray[address, 16] = []
    allocations: DynArray[uint256, 16] = []
    for op: address in cluster.operators:
        operators.append(op)
        allocations.append(SPLIT_ALLOCATION_PER_OPERATOR)
    return operators, allocations, keccak256(abi_encode(self, cluster_id))
