# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma optimize codesize
"""
@title StrategyModuleManager
@custom:contract-name StrategyModuleManager
@license MIT
@notice Turns Auction clusters into staked distributed validators, safely:
        1. `pre_create_clusters(count)` (owner) settles `count` auctions; each
           settlement makes a pending cluster, identified by its Auction
           cluster id (== its ByzNft token id == its StrategyModule's id).
           Every staker deposit also pre-creates the next cluster whenever
           the Auction can settle.
        2. `predict_addresses(cluster_id, seats)` gives the StrategyModule, EigenPod
           and reward-split addresses; the operators run their key generation
           off-chain with withdrawal credentials `0x01 ‖ 11 zero bytes ‖
           eigen_pod` (`withdrawal_credentials(cluster_id)`) and fee recipient
           the split, and sign a 1 ETH deposit.
        3. Each winner registers its public key share in ClusterKeys, then
           any winner the group key and the deposit signature; ClusterKeys
           checks them with the BLS precompiles and hands the deposit data
           to `on_keys_registered` (the root is recomputed here for 1 ETH).
        4. `create_strategy_module_and_stake()` (any staker, exactly 32 ETH)
           takes the oldest ready cluster, mints its ByzNft to the staker,
           deploys its StrategyModule, pre-deposits 1 ETH through EigenLayer,
           keeps the other 31 ETH; the cluster's split stays a predicted
           address until anyone calls `deploy_split`.
        5. Once the beacon chain has the validator, anyone proves it against
           an EIP-4788 block root: `confirm_stake` (the validator has the
           pod's withdrawal credentials: the 31 ETH follow as a top-up, the
           pod's credentials are verified, the staker's stream starts) or
           `report_frontrun` (someone deposited first with other credentials:
           the 31 ETH and the winners' bonds go to the staker, the winners'
           prices back to them, the cluster fails).
        6. `dissolve_cluster` ends a pending cluster nobody staked (owner any
           time, anyone after `pending_cluster_ttl`).
        7. The exit, a state machine run by the cluster's StrategyModule
           (docs/protocol.md §10): anyone proves the validator's activation epoch
           there; from activation + 256 epochs the holder may request the
           exit (repeatable: the beacon chain may drop a request); anyone
           proves the exit epoch (`StrategyModule.prove_exit`), and the
           module tells this manager (`on_exit_proven`), which ends the
           stream at that epoch's time (unserved credits back, bonds
           unlocked) and marks the cluster exited. Until then the cluster
           stays staked and streams. Anyone who proves the validator
           slashed instead (`StrategyModule.prove_slashing`, or
           `prove_exit` with a slashed proof) ends the stream with every
           bond and the unserved credits charged to the holder
           (`on_slashing_proven`), and the cluster is slashed.
@dev Staking order. A pending cluster becomes *ready* when its deposit data
     is registered; ready clusters sit in a list sorted by cluster id
     (= creation order), so stakers always get the oldest ready cluster in
     O(1). A pending cluster without deposit data is simply not in that list:
     it never blocks the clusters behind it and joins the list at its place
     as soon as its data is registered (walking back from the tail at most
     `MAX_READY_WALK` steps). Invariant: this contract's balance is 31 ETH
     per cluster in status PRE_DEPOSITED.
     Views are `@reentrant`: every state change happens before the external
     calls, so they are consistent when called back during a transaction.
"""

from ..interfaces import IAuction
from ..interfaces import IByzNft
from ..interfaces import IClusterKeys
from ..interfaces import IStakerRewards
from ..interfaces import IStrategyModule
from ..interfaces import IStrategyModuleManager
from ..interfaces.external.eigenlayer import IEigenPodManager

implements: IStrategyModuleManager

from snekmate.auth import ownable
from snekmate.auth import ownable_2step

from ..lib import beacon_proofs
from ..lib import cluster_state as cs
from ..lib import constants as c
from ..lib import minimal_proxy
from ..lib import seat_types
from ..lib import ssz

initializes: ownable
initializes: ownable_2step[ownable := ownable]

# `renounce_ownership` is deliberately not exported: pending clusters must
# always have an owner able to dissolve them (docs/protocol.md §10).
exports: (
    ownable.owner,
    ownable_2step.pending_owner,
    ownable_2step.transfer_ownership,
    ownable_2step.accept_ownership,
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


# @notice What `create_strategy_module_and_stake` keeps until `confirm_stake`.
TOP_UP_AMOUNT: public(constant(uint256)) = c.STAKE_AMOUNT - c.PRE_DEPOSIT_AMOUNT
# (in gwei for SSZ: c.PRE_DEPOSIT_AMOUNT and TOP_UP_AMOUNT, checked in the constructor)
_PRE_DEPOSIT_GWEI: constant(uint64) = 10**9
_TOP_UP_GWEI: constant(uint64) = 31 * 10**9
# @notice Most ready clusters an out-of-order registration may walk past.
MAX_READY_WALK: public(constant(uint256)) = 32
# @notice The distribution incentive (bps) of every cluster's reward split.
SPLIT_DISTRIBUTION_INCENTIVE_BPS: public(constant(uint256)) = 10
# @notice Each operator's allocation in its cluster's split (all equal).
SPLIT_ALLOCATION_PER_OPERATOR: public(constant(uint256)) = 1
# @notice Gas a deposit keeps back from the settlement it forwards all the
#         rest to: enough to record the new pending cluster, or to revert with
#         a clear reason when the settlement ran out of gas.
POST_SETTLEMENT_GAS: public(constant(uint256)) = 80_000
# @notice Longest `pending_cluster_ttl` accepted (10 years).
MAX_PENDING_CLUSTER_TTL: public(constant(uint256)) = 3650 * c.SECONDS_PER_DAY


struct DepositData:
    pubkey: Bytes[48]
    signature: Bytes[96]
    deposit_data_root: bytes32


# Deposit data as stored: fixed-size words (6 slots instead of 8 with the
# length words of `Bytes`). A cluster has deposit data iff its root is set.
struct StoredDepositData:
    pubkey_head: bytes32
    pubkey_tail: bytes16
    signature: bytes32[3]
    deposit_data_root: bytes32


AUCTION: immutable(address)
STAKER_REWARDS: immutable(address)
BYZ_NFT: immutable(address)
EIGEN_POD_MANAGER: immutable(address)
DELEGATION_MANAGER: immutable(address)
SPLIT_FACTORY: immutable(address)
BEACON_ROOTS: immutable(address)
PENDING_CLUSTER_TTL: immutable(uint256)
BEACON_GENESIS_TIME: immutable(uint256)

# The StrategyModule implementation (set once: it is deployed after this
# manager because its immutables name this manager).
_implementation: address
# ClusterKeys (set once): the only source of deposit data.
_cluster_keys: address
# cluster id => cluster_state word (status, settled_at)
_state: HashMap[uint256, uint256]
_deposit_data: HashMap[uint256, StoredDepositData]
# keccak256(pubkey) => cluster id + 1 of the cluster registered with it (kept
# forever once the cluster leaves PENDING: a key is used by one cluster only)
_pubkey_cluster: HashMap[bytes32, uint256]
# pending, ready, staked and pre-deposited cluster counts (cluster_state codec).
# A cluster's module and split are not stored: both are CREATE2 addresses
# derived from the cluster id (`predict_addresses`).
_counters: uint256
# Ready list: doubly linked, sorted by cluster id. Nodes are cluster id + 1;
# node 0 is the sentinel (`_next[0]` is the head, `_prev[0]` the tail).
_next: HashMap[uint256, uint256]
_prev: HashMap[uint256, uint256]


event StrategyModuleImplementationSet:
    implementation: indexed(address)


# (the split's address needs the cluster's seats: `predict_addresses`)
event ClusterPreCreated:
    cluster_id: indexed(uint256)
    strategy_module: address
    eigen_pod: address


event ClusterPreCreationSkipped:
    settlement_attempted: bool


event ClusterKeysSet:
    cluster_keys: indexed(address)


event DepositDataRegistered:
    cluster_id: indexed(uint256)
    pubkey: Bytes[48]
    deposit_data_root: bytes32


# (the split's address needs the cluster's seats: `predict_addresses`)
event StrategyModuleDeployed:
    cluster_id: indexed(uint256)
    staker: indexed(address)
    strategy_module: indexed(address)
    eigen_pod: address


event ClusterPreDeposited:
    cluster_id: indexed(uint256)
    pubkey: Bytes[48]
    withdrawal_credentials: bytes32
    pre_deposit: uint256
    held: uint256


event ClusterStaked:
    cluster_id: indexed(uint256)
    pubkey: Bytes[48]
    withdrawal_credentials: bytes32
    amount: uint256


event StakeConfirmed:
    cluster_id: indexed(uint256)
    validator_index: uint64
    beacon_timestamp: uint64
    top_up: uint256


event FrontrunReported:
    cluster_id: indexed(uint256)
    staker: indexed(address)
    validator_index: uint64
    beacon_timestamp: uint64
    withdrawal_credentials: bytes32
    refund: uint256
    refund_receiver: address


event StakeReclaimed:
    cluster_id: indexed(uint256)
    staker: indexed(address)
    refund: uint256
    refund_receiver: address


event ClusterDissolved:
    cluster_id: indexed(uint256)
    caller: indexed(address)
    had_deposit_data: bool


event ExitProven:
    cluster_id: indexed(uint256)
    strategy_module: indexed(address)
    exit_time: uint256


event SlashingProven:
    cluster_id: indexed(uint256)
    strategy_module: indexed(address)
    slash_time: uint256


@deploy
def __init__(
    auction: address,
    staker_rewards: address,
    byz_nft: address,
    eigen_pod_manager: address,
    delegation_manager: address,
    split_factory: address,
    beacon_roots: address,
    pending_cluster_ttl: uint256,
    beacon_genesis_time: uint256,
):
    """
    @notice Deploys the manager; the deployer becomes the owner (two-step
            transfers, no renouncing). Then wire it: deploy the StrategyModule
            implementation naming this manager and call
            `set_strategy_module_implementation`, then `Auction.set_manager`,
            `StakerRewards.set_manager` and `ByzNft.set_manager`.
    @param auction The Auction whose settlements make the clusters.
    @param staker_rewards StakerRewards (streams start at confirmation).
    @param byz_nft The ByzNft collection.
    @param eigen_pod_manager EigenLayer's EigenPodManager (also the proof
           verifier, `verify_validator_fields`).
    @param delegation_manager EigenLayer's DelegationManager.
    @param split_factory The reward SplitFactory.
    @param beacon_roots The EIP-4788 beacon block root contract.
    @param pending_cluster_ttl Seconds after its settlement from which anyone
           may dissolve a cluster nobody staked (1 to 3650 days).
    @param beacon_genesis_time The beacon chain's genesis time (epoch 0),
           which turns proven epochs into timestamps; 0 takes this block's
           timestamp (a local chain whose beacon model starts now).
    """
    assert auction.is_contract, "strategy_module_manager: auction has no code"
    assert (
        staker_rewards.is_contract
    ), "strategy_module_manager: staker rewards has no code"
    assert byz_nft.is_contract, "strategy_module_manager: byz nft has no code"
    assert (
        eigen_pod_manager.is_contract
    ), "strategy_module_manager: eigen pod manager has no code"
    assert (
        delegation_manager.is_contract
    ), "strategy_module_manager: delegation manager has no code"
    assert (
        split_factory.is_contract
    ), "strategy_module_manager: split factory has no code"
    assert (
        beacon_roots.is_contract
    ), "strategy_module_manager: beacon roots has no code"
    assert (
        pending_cluster_ttl >= c.SECONDS_PER_DAY
        and pending_cluster_ttl <= MAX_PENDING_CLUSTER_TTL
    ), "strategy_module_manager: pending cluster ttl out of range"
    assert (
        convert(_PRE_DEPOSIT_GWEI, uint256) * c.WEI_PER_GWEI
        == c.PRE_DEPOSIT_AMOUNT
        and convert(_TOP_UP_GWEI, uint256) * c.WEI_PER_GWEI == TOP_UP_AMOUNT
    ), "strategy_module_manager: gwei amounts out of sync"
    ownable.__init__()
    ownable_2step.__init__()
    AUCTION = auction
    STAKER_REWARDS = staker_rewards
    BYZ_NFT = byz_nft
    EIGEN_POD_MANAGER = eigen_pod_manager
    DELEGATION_MANAGER = delegation_manager
    SPLIT_FACTORY = split_factory
    BEACON_ROOTS = beacon_roots
    PENDING_CLUSTER_TTL = pending_cluster_ttl
    genesis: uint256 = beacon_genesis_time
    if genesis == 0:
        genesis = block.timestamp
    BEACON_GENESIS_TIME = genesis


# ------------------------------------------------------------ owner


@external
def set_strategy_module_implementation(implementation: address):
    """
    @notice Sets the StrategyModule implementation the proxies delegate to.
    @dev Owner only, once. The implementation's immutables must name this
         manager and the same protocol contracts.
    @param implementation A StrategyModule deployed for this manager.
    """
    ownable._check_owner()
    assert self._implementation == empty(
        address
    ), "strategy_module_manager: implementation already set"
    assert (
        implementation.is_contract
    ), "strategy_module_manager: implementation has no code"
    module: IStrategyModule = IStrategyModule(implementation)
    assert (
        staticcall module.manager() == self
    ), "strategy_module_manager: implementation of another manager"
    assert (
        staticcall module.byz_nft() == BYZ_NFT
        and staticcall module.auction() == AUCTION
        and staticcall module.staker_rewards() == STAKER_REWARDS
        and staticcall module.eigen_pod_manager() == EIGEN_POD_MANAGER
        and staticcall module.delegation_manager() == DELEGATION_MANAGER
    ), "strategy_module_manager: implementation wired differently"
    self._implementation = implementation
    log StrategyModuleImplementationSet(implementation=implementation)


@external
def pre_create_clusters(
    count: uint256,
    hints: DynArray[
        DynArray[uint256, c.MAX_CLUSTER_SIZE], c.MAX_PRE_CREATE
    ] = [],
) -> DynArray[uint256, c.MAX_PRE_CREATE]:
    """
    @notice Runs `count` Auction settlements; each makes a pending cluster.
    @dev Owner only; 1 <= count <= MAX_PRE_CREATE. Reverts as a whole (with
         the Auction's reason) if any settlement fails, e.g. "auction: not
         enough operators".
    @param count The number of clusters to pre-create.
    @param hints Optional, per settlement: the Auction's settlement hints
           (`BookMirror.settlement_hints` in `deploy/hints.py`), so that
           no winner's next bid is parked.
    @return DynArray The new clusters' ids.
    """
    ownable._check_owner()
    assert (
        count > 0 and count <= c.MAX_PRE_CREATE
    ), "strategy_module_manager: count must be 1 to 16"
    self._check_implementation()
    ids: DynArray[uint256, c.MAX_PRE_CREATE] = []
    for i: uint256 in range(count, bound=c.MAX_PRE_CREATE):
        cluster_id: uint256 = 0
        if i < len(hints):
            cluster_id = extcall IAuction(AUCTION).settle_cluster(hints[i])
        else:
            cluster_id = extcall IAuction(AUCTION).settle_cluster()
        self._add_pending(cluster_id)
        ids.append(cluster_id)
    return ids


@external
def set_cluster_keys(cluster_keys: address):
    """
    @notice Sets ClusterKeys, the contract where each cluster's winners
            register their key shares, group key and deposit signature,
            checked with the BLS precompiles; it alone hands a cluster's
            deposit data to this manager (`on_keys_registered`).
    @dev Owner only, once. ClusterKeys must name this manager.
    @param cluster_keys A ClusterKeys deployed for this manager.
    """
    ownable._check_owner()
    assert self._cluster_keys == empty(
        address
    ), "strategy_module_manager: cluster keys already set"
    assert (
        staticcall IClusterKeys(cluster_keys).manager() == self
    ), "strategy_module_manager: cluster keys of another manager"
    self._cluster_keys = cluster_keys
    log ClusterKeysSet(cluster_keys=cluster_keys)


@external
def on_keys_registered(
    cluster_id: uint256,
    pubkey: Bytes[48],
    signature: Bytes[96],
    deposit_data_root: bytes32,
):
    """
    @notice Records a pending cluster's deposit data once its winners have
            registered their key shares, the group key and the deposit
            signature, all checked by ClusterKeys: the cluster becomes ready
            for a staker. Final: the data is never replaced.
    @dev Only ClusterKeys (which checked the lengths, the encodings and the
         signature), once per cluster. Checks that the cluster is pending,
         that the public key was never registered for another cluster, and
         recomputes the SSZ deposit data root from the
         cluster's withdrawal credentials and 1 ETH (the pre-deposit,
         docs/protocol.md §9); reverts on mismatch.
    @param cluster_id The pending cluster.
    @param pubkey The distributed validator's 48-byte BLS public key.
    @param signature The 96-byte BLS signature of the 1 ETH deposit message.
    @param deposit_data_root The deposit data root to check and use.
    """
    assert (
        msg.sender == self._cluster_keys
    ), "strategy_module_manager: caller is not cluster keys"
    self._check_status(cluster_id, c.CLUSTER_PENDING)
    assert not self._has_data(
        cluster_id
    ), "strategy_module_manager: deposit data already registered"
    credentials: bytes32 = self._credentials_of_pod(
        self._pod_of(self._module_address(cluster_id))
    )
    computed: bytes32 = ssz._deposit_data_root(
        pubkey, concat(credentials, b""), _PRE_DEPOSIT_GWEI, signature
    )
    assert (
        computed == deposit_data_root
    ), "strategy_module_manager: deposit data root mismatch"

    key_hash: bytes32 = keccak256(pubkey)
    assert (
        self._pubkey_cluster[key_hash] == 0
    ), "strategy_module_manager: pubkey already registered"

    self._insert_ready(cluster_id + 1)
    counters: cs.Counters = cs.unpack_counters(self._counters)
    counters.ready += 1
    self._counters = cs.pack_counters(counters)
    self._pubkey_cluster[key_hash] = cluster_id + 1
    self._deposit_data[cluster_id] = StoredDepositData(
        pubkey_head=convert(slice(pubkey, 0, 32), bytes32),
        pubkey_tail=convert(slice(pubkey, 32, 16), bytes16),
        signature=[
            convert(slice(signature, 0, 32), bytes32),
            convert(slice(signature, 32, 32), bytes32),
            convert(slice(signature, 64, 32), bytes32),
        ],
        deposit_data_root=deposit_data_root,
    )
    log DepositDataRegistered(
        cluster_id=cluster_id,
        pubkey=pubkey,
        deposit_data_root=deposit_data_root,
    )


@external
def dissolve_cluster(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
):
    """
    @notice Ends a pre-created cluster that no staker took: every winner's
            price comes back to it as a refund and its bond unlocks
            (`StakerRewards.cancel_cluster`), the cluster leaves the queue and
            its deposit data can never be used.
    @dev The owner at any time; anyone once `pending_cluster_ttl` seconds
         have passed since the cluster's settlement.
    @param cluster_id A cluster in status PENDING.
    @param seats The cluster's seats (`deploy/seats.py`; StakerRewards
           checks them).
    """
    state: cs.ClusterState = self._check_status(cluster_id, c.CLUSTER_PENDING)
    if msg.sender != ownable.owner:
        assert (
            block.timestamp >= state.settled_at + PENDING_CLUSTER_TTL
        ), "strategy_module_manager: pending cluster ttl not over"
    had_data: bool = self._has_data(cluster_id)
    counters: cs.Counters = cs.unpack_counters(self._counters)
    if had_data:
        self._unlink(cluster_id + 1)
        counters.ready -= 1
    counters.pending -= 1
    self._counters = cs.pack_counters(counters)
    state.status = c.CLUSTER_DISSOLVED
    self._state[cluster_id] = cs.pack_state(state)
    log ClusterDissolved(
        cluster_id=cluster_id, caller=msg.sender, had_deposit_data=had_data
    )
    self._cancel(cluster_id, seats, empty(address))


# ------------------------------------------------------------ stakers


@external
@payable
def create_strategy_module_and_stake() -> address:
    """
    @notice Takes exactly 32 ETH for the oldest ready cluster: mints ByzNft
            token `cluster_id` to the caller, deploys the cluster's
            StrategyModule at its predicted address, pre-deposits 1 ETH
            through EigenLayer with the cluster's deposit data, keeps the
            other 31 ETH until `confirm_stake` (or `report_frontrun`), then
            pre-creates the next cluster if the Auction can settle. The
            cluster's reward split is only predicted (its address is the
            fee recipient from the start): `deploy_split` deploys it when
            there is something to distribute.
    @dev A contract caller must implement `onERC721Received`. When the
         Auction can settle, the deposit pre-creates the next cluster or
         reverts ("strategy_module_manager: pre-creation failed": too little
         gas was sent); a lack of bids never fails it.
    @return address The staker's StrategyModule.
    """
    assert (
        msg.value == c.STAKE_AMOUNT
    ), "strategy_module_manager: deposit must be exactly 32 ETH"
    node: uint256 = self._next[0]
    assert node != 0, "strategy_module_manager: no cluster ready"
    cluster_id: uint256 = node - 1

    # Effects.
    self._remove_head(node)
    state: cs.ClusterState = cs.unpack_state(self._state[cluster_id])
    state.status = c.CLUSTER_PRE_DEPOSITED
    state.deposited_at = block.timestamp
    self._state[cluster_id] = cs.pack_state(state)
    counters: cs.Counters = cs.unpack_counters(self._counters)
    counters.pending -= 1
    counters.ready -= 1
    counters.staked += 1
    counters.pre_deposited += 1
    self._counters = cs.pack_counters(counters)
    implementation: address = self._implementation
    predicted: address = minimal_proxy._predict_address(
        implementation, convert(cluster_id, bytes32), self
    )
    data: DepositData = self._load(cluster_id)

    # Interactions.
    extcall IByzNft(BYZ_NFT).mint(msg.sender, cluster_id)
    module: address = create_minimal_proxy_to(
        implementation, salt=convert(cluster_id, bytes32)
    )
    assert (
        module == predicted
    ), "strategy_module_manager: unexpected module address"
    extcall IStrategyModule(module).initialize(cluster_id)
    extcall IStrategyModule(module).stake(
        data.pubkey,
        data.signature,
        data.deposit_data_root,
        value=c.PRE_DEPOSIT_AMOUNT,
    )
    eigen_pod: address = self._pod_of(module)

    log StrategyModuleDeployed(
        cluster_id=cluster_id,
        staker=msg.sender,
        strategy_module=module,
        eigen_pod=eigen_pod,
    )
    log ClusterPreDeposited(
        cluster_id=cluster_id,
        pubkey=data.pubkey,
        withdrawal_credentials=self._credentials_of_pod(eigen_pod),
        pre_deposit=c.PRE_DEPOSIT_AMOUNT,
        held=TOP_UP_AMOUNT,
    )

    self._try_pre_create()
    return module


@external
def deploy_split(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> address:
    """
    @notice Deploys the reward split of a cluster a staker took, at the
            address `predict_addresses` names, so that the execution-layer rewards
            sent there can be distributed. Anyone may call it, once.
    @dev The stake only predicts the split: ETH sent to its address before
         it exists stays there and is the split's once deployed. The same
         split may also be deployed through the factory directly, after
         which this reverts with the factory's "split_factory: split
         exists".
    @param cluster_id A cluster a staker took (pre-deposited, staked,
           failed or exited).
    @param seats The cluster's seats (checked against StakerRewards'
           commitment): its operators are the split's recipients.
    @return address The split.
    """
    assert self._was_taken(
        cluster_id
    ), "strategy_module_manager: cluster not taken"
    operators: DynArray[address, 16] = empty(DynArray[address, 16])
    allocations: DynArray[uint256, 16] = empty(DynArray[uint256, 16])
    salt: bytes32 = empty(bytes32)
    operators, allocations, salt = self._split_params(cluster_id, seats)
    return extcall ISplitFactory(SPLIT_FACTORY).create_split(
        operators, allocations, SPLIT_DISTRIBUTION_INCENTIVE_BPS, salt
    )


@external
def confirm_stake(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    beacon_timestamp: uint64,
    proof: beacon_proofs.ValidatorProof,
):
    """
    @notice Completes a stake once the beacon chain has the cluster's
            validator with the pod's withdrawal credentials: the other 31 ETH
            go in as a top-up deposit (its root computed here for 31 ETH with
            the registered signature: the beacon chain does not check a
            top-up's signature) straight to the deposit contract, and the
            staker's reward stream starts. Restaking through EigenLayer
            follows once the validator is activated (`StrategyModule.restake`).
    @dev Anyone, once, for a cluster in status PRE_DEPOSITED. The proof (PROTOCOL
         §9) is checked here against the EIP-4788 root of `beacon_timestamp`;
         field 0 must be the cluster's pubkey root, field 1 the pod's
         credentials, and the validator must not be exiting.
    @param cluster_id The cluster.
    @param seats The cluster's seats (`deploy/seats.py`; StakerRewards
           checks them).
    @param beacon_timestamp The timestamp whose parent beacon block root the
           proof is against.
    @param proof The validator proof.
    """
    state: cs.ClusterState = self._check_status(
        cluster_id, c.CLUSTER_PRE_DEPOSITED
    )
    data: DepositData = self._load(cluster_id)
    pubkey_root: bytes32 = sha256(concat(data.pubkey, empty(bytes16)))
    assert (
        proof.validator_fields[beacon_proofs.PUBKEY_FIELD] == pubkey_root
    ), "strategy_module_manager: proof is for another validator"
    module: address = self._module_address(cluster_id)
    pod: address = self._pod_of(module)
    credentials: bytes32 = self._credentials_of_pod(pod)
    assert (
        beacon_proofs._withdrawal_credentials(proof.validator_fields)
        == credentials
    ), "strategy_module_manager: withdrawal credentials are not the pod's"

    # Effects.
    state.status = c.CLUSTER_STAKED
    self._state[cluster_id] = cs.pack_state(state)
    self._decrement_pre_deposited()
    log StakeConfirmed(
        cluster_id=cluster_id,
        validator_index=proof.validator_index,
        beacon_timestamp=beacon_timestamp,
        top_up=TOP_UP_AMOUNT,
    )
    log ClusterStaked(
        cluster_id=cluster_id,
        pubkey=data.pubkey,
        withdrawal_credentials=credentials,
        amount=c.STAKE_AMOUNT,
    )

    # Interactions. The validator has no activation epoch yet (1 ETH), so
    # EigenLayer cannot restake it: the proof is checked here, and the
    # module restakes it once the beacon chain activates it (`restake`).
    self._check_proof(beacon_timestamp, proof)
    assert (
        beacon_proofs._exit_epoch(proof.validator_fields)
        == beacon_proofs.FAR_FUTURE_EPOCH
    ), "strategy_module_manager: validator is exiting"
    top_up_root: bytes32 = ssz._deposit_data_root(
        data.pubkey, concat(credentials, b""), _TOP_UP_GWEI, data.signature
    )
    extcall IStrategyModule(module).stake(
        data.pubkey, data.signature, top_up_root, value=TOP_UP_AMOUNT
    )
    extcall IStakerRewards(STAKER_REWARDS).start_stream(cluster_id, seats)


@external
def report_frontrun(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    beacon_timestamp: uint64,
    proof: beacon_proofs.ValidatorProof,
):
    """
    @notice Ends a cluster whose validator key was used against the staker:
            the proven validator is the cluster's but has withdrawal
            credentials other than the pod's (someone deposited first), or
            its exit was initiated before the stake was confirmed. The 31 ETH
            go back to the module's owner (to the module if the owner cannot
            receive ETH), every winner's bond goes to the owner as well
            (compensating the lost pre-deposit), the winners' prices come back
            to them as refunds, and the cluster is marked failed. No further
            ETH is ever deposited for this key.
    @dev Anyone, once, for a cluster in status PRE_DEPOSITED.
    @param cluster_id The cluster.
    @param seats The cluster's seats (`deploy/seats.py`; StakerRewards
           checks them).
    @param beacon_timestamp The timestamp whose parent beacon block root the
           proof is against.
    @param proof The validator proof.
    """
    state: cs.ClusterState = self._check_status(
        cluster_id, c.CLUSTER_PRE_DEPOSITED
    )
    pubkey_root: bytes32 = sha256(
        concat(self._pubkey(cluster_id), empty(bytes16))
    )
    assert (
        proof.validator_fields[beacon_proofs.PUBKEY_FIELD] == pubkey_root
    ), "strategy_module_manager: proof is for another validator"
    self._check_proof(beacon_timestamp, proof)
    module: address = self._module_address(cluster_id)
    found: bytes32 = beacon_proofs._withdrawal_credentials(
        proof.validator_fields
    )
    assert (
        found != self._credentials_of_pod(self._pod_of(module))
        or beacon_proofs._exit_epoch(proof.validator_fields)
        != beacon_proofs.FAR_FUTURE_EPOCH
    ), "strategy_module_manager: no front-run: the validator is the pod's"

    # Effects.
    state.status = c.CLUSTER_FAILED
    self._state[cluster_id] = cs.pack_state(state)
    self._decrement_pre_deposited()
    staker: address = staticcall IByzNft(BYZ_NFT).ownerOf(cluster_id)

    # Interactions: bonds to the staker, prices back to the winners.
    self._cancel(cluster_id, seats, staker)
    receiver: address = self._return_top_up(staker, module)
    log FrontrunReported(
        cluster_id=cluster_id,
        staker=staker,
        validator_index=proof.validator_index,
        beacon_timestamp=beacon_timestamp,
        withdrawal_credentials=found,
        refund=TOP_UP_AMOUNT,
        refund_receiver=receiver,
    )


@external
def reclaim_stake(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
):
    """
    @notice Ends a stake that nobody could prove: if neither
            `confirm_stake` nor `report_frontrun` happened within
            `pending_cluster_ttl` seconds of the staker's deposit (e.g. the
            pre-deposit's signature was invalid, so the beacon chain ignored
            it and no validator exists), the 31 ETH go back to the module's
            owner (to the module when the owner cannot receive ETH); the
            winners get their prices back and their bonds unlock; the 1 ETH
            pre-deposit is not recoverable.
    @dev Anyone, once, for a cluster in status PRE_DEPOSITED whose time-out
         has passed: a holder that cannot act (a contract without this call)
         must not lock the winners' prices and bonds.
    @param cluster_id The cluster.
    @param seats The cluster's seats (`deploy/seats.py`; StakerRewards
           checks them).
    """
    state: cs.ClusterState = self._check_status(
        cluster_id, c.CLUSTER_PRE_DEPOSITED
    )
    staker: address = staticcall IByzNft(BYZ_NFT).ownerOf(cluster_id)
    assert (
        block.timestamp >= state.deposited_at + PENDING_CLUSTER_TTL
    ), "strategy_module_manager: proof time-out not over"
    state.status = c.CLUSTER_RECLAIMED
    self._state[cluster_id] = cs.pack_state(state)
    self._decrement_pre_deposited()
    self._cancel(cluster_id, seats, empty(address))
    receiver: address = self._return_top_up(
        staker, self._module_address(cluster_id)
    )
    log StakeReclaimed(
        cluster_id=cluster_id,
        staker=staker,
        refund=TOP_UP_AMOUNT,
        refund_receiver=receiver,
    )


@external
def on_exit_proven(exit_time: uint256):
    """
    @notice Called by a StrategyModule once anyone proved its validator's
            exit (`StrategyModule.prove_exit`): marks the cluster EXITED.
            The module then ends the staker's stream at the exit epoch's
            time `exit_time` (`StakerRewards.end_stream`, with the seats
            the prover passed: unserved credits back to the winners, bonds
            unlocked, or the bonds alone after an expiry).
    @dev Only a StrategyModule of this manager, for a STAKED cluster, once.
         The seats go from the module to StakerRewards directly, not
         through here (this contract is at the EIP-170 size limit).
    @param exit_time The timestamp of the validator's exit epoch.
    """
    cluster_id: uint256 = self._end_staked(c.CLUSTER_EXITED)
    log ExitProven(
        cluster_id=cluster_id, strategy_module=msg.sender, exit_time=exit_time
    )


@external
def on_slashing_proven(slash_time: uint256):
    """
    @notice Called by a StrategyModule once anyone proved its validator
            slashed (`StrategyModule.prove_slashing`, or `prove_exit` with
            a slashed validator's proof): marks the cluster SLASHED. The
            module then ends the staker's stream at `slash_time` with every
            winner's bond and the unserved credits charged to the holder
            (`StakerRewards.charge_slashing`, with the seats the prover
            passed; after an expiry, the bonds alone). The principal comes
            home as after an exit.
    @dev Only a StrategyModule of this manager, for a STAKED cluster, once
         (an exit already proven cannot be charged any more).
    @param slash_time The time the slashing was proven at (the proof's
           EIP-4788 timestamp).
    """
    cluster_id: uint256 = self._end_staked(c.CLUSTER_SLASHED)
    log SlashingProven(
        cluster_id=cluster_id, strategy_module=msg.sender, slash_time=slash_time
    )


# ------------------------------------------------------------ views


@external
@view
@reentrant
def predict_addresses(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> (address, address, address):
    """
    @notice The addresses the cluster's StrategyModule, EigenPod and reward
            split have (once staked) or will have.
    @dev Reverts for a cluster this manager did not pre-create, or seats
         that are not the cluster's.
    @param cluster_id The cluster id.
    @param seats The cluster's seats (their operators are the split's
           recipients).
    @return address The StrategyModule.
    @return address Its EigenPod.
    @return address The cluster's Split.
    """
    assert (
        self._state[cluster_id] != 0
    ), "strategy_module_manager: unknown cluster"
    module: address = self._module_address(cluster_id)
    return module, self._pod_of(module), self._split_address(cluster_id, seats)


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
    assert (
        self._state[cluster_id] != 0
    ), "strategy_module_manager: unknown cluster"
    return self._credentials_of_pod(
        self._pod_of(self._module_address(cluster_id))
    )


@external
@view
@reentrant
def strategy_module_of(cluster_id: uint256) -> address:
    """
    @notice The StrategyModule of a cluster a staker took (ByzNft token
            `cluster_id`).
    @param cluster_id The cluster id.
    @return address The module, or the zero address if none.
    """
    if not self._was_taken(cluster_id):
        return empty(address)
    return self._module_address(cluster_id)


@external
@view
@reentrant
def is_strategy_module(module: address) -> bool:
    """
    @notice Whether `module` is a StrategyModule deployed by this manager.
    @param module The address.
    @return bool True for a deployed module.
    """
    is_module: bool = False
    cluster_id: uint256 = 0
    is_module, cluster_id = self._cluster_of(module)
    return is_module


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
    is_module: bool = False
    cluster_id: uint256 = 0
    is_module, cluster_id = self._cluster_of(module)
    assert is_module, "strategy_module_manager: not a strategy module"
    return cluster_id


@external
@view
@reentrant
def cluster_status(cluster_id: uint256) -> uint256:
    """
    @notice A cluster's status here (contracts/lib/cluster_state.vy): 0
            unknown, 1 pending, 2 pre-deposited (awaiting a proof), 3 staked,
            4 failed (front-run), 5 dissolved, 6 exited (exit proven), 7
            reclaimed (no proof within the time-out), 8 slashed (slashing
            proven: bonds and unserved credits to the holder).
    @param cluster_id The cluster id.
    @return uint256 The status.
    """
    return cs.unpack_state(self._state[cluster_id]).status


@external
@view
@reentrant
def settled_at(cluster_id: uint256) -> uint256:
    """
    @notice When the cluster was pre-created (its settlement's timestamp).
    @param cluster_id The cluster id.
    @return uint256 The timestamp, or 0 for an unknown cluster.
    """
    return cs.unpack_state(self._state[cluster_id]).settled_at


@external
@view
@reentrant
def has_deposit_data(cluster_id: uint256) -> bool:
    """
    @notice Whether deposit data has been registered for the cluster.
    @param cluster_id The cluster id.
    @return bool True once registered.
    """
    return self._has_data(cluster_id)


@external
@view
@reentrant
def validator_pubkey(cluster_id: uint256) -> Bytes[48]:
    """
    @notice The cluster's validator public key (empty before registration).
    @param cluster_id The cluster id.
    @return Bytes[48] The 48-byte BLS public key.
    """
    if not self._has_data(cluster_id):
        return b""
    return self._pubkey(cluster_id)


@external
@view
@reentrant
def num_pending_clusters() -> uint256:
    """
    @notice Clusters pre-created and not yet taken by a staker nor dissolved
            (with or without deposit data).
    @return uint256 The count.
    """
    return cs.unpack_counters(self._counters).pending


@external
@view
@reentrant
def num_ready_clusters() -> uint256:
    """
    @notice Pending clusters with deposit data, i.e. ready for a staker.
    @return uint256 The count.
    """
    return cs.unpack_counters(self._counters).ready


@external
@view
@reentrant
def num_staked_clusters() -> uint256:
    """
    @notice Clusters a staker has paid for (== ByzNfts and StrategyModules).
    @return uint256 The count.
    """
    return cs.unpack_counters(self._counters).staked


@external
@view
@reentrant
def num_pre_deposited_clusters() -> uint256:
    """
    @notice Clusters awaiting `confirm_stake` or `report_frontrun` (31 ETH
            each held here).
    @return uint256 The count.
    """
    return cs.unpack_counters(self._counters).pre_deposited


@external
@view
@reentrant
def next_cluster_to_stake() -> (bool, uint256):
    """
    @notice The cluster the next `create_strategy_module_and_stake` takes.
    @return bool True when a cluster is ready to stake.
    @return uint256 The cluster id (0 when none is ready).
    """
    node: uint256 = self._next[0]
    if node == 0:
        return False, 0
    return True, node - 1


@external
@view
@reentrant
def ready_clusters(
    start_after: uint256, limit: uint256
) -> DynArray[uint256, 64]:
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
    @return address The Auction.
    """
    return AUCTION


@external
@view
@reentrant
def staker_rewards() -> address:
    """
    @notice StakerRewards.
    @return address StakerRewards.
    """
    return STAKER_REWARDS


@external
@view
@reentrant
def byz_nft() -> address:
    """
    @notice The ByzNft collection.
    @return address The ByzNft.
    """
    return BYZ_NFT


@external
@view
@reentrant
def strategy_module_implementation() -> address:
    """
    @notice The StrategyModule implementation the proxies delegate to.
    @return address The implementation (zero until set).
    """
    return self._implementation


@external
@view
@reentrant
def cluster_keys() -> address:
    """
    @notice ClusterKeys, where the winners register each cluster's keys.
    @return address ClusterKeys (zero until set).
    """
    return self._cluster_keys


@external
@view
@reentrant
def eigen_pod_manager() -> address:
    """
    @notice EigenLayer's EigenPodManager.
    @return address The EigenPodManager.
    """
    return EIGEN_POD_MANAGER


@external
@view
@reentrant
def delegation_manager() -> address:
    """
    @notice EigenLayer's DelegationManager.
    @return address The DelegationManager.
    """
    return DELEGATION_MANAGER


@external
@view
@reentrant
def split_factory() -> address:
    """
    @notice The reward SplitFactory.
    @return address The SplitFactory.
    """
    return SPLIT_FACTORY


@external
@view
@reentrant
def beacon_roots() -> address:
    """
    @notice The EIP-4788 beacon block root contract proofs are checked against.
    @return address BeaconRoots.
    """
    return BEACON_ROOTS


@external
@view
@reentrant
def beacon_genesis_time() -> uint256:
    """
    @notice The beacon chain's genesis time: epoch `e` starts at
            `beacon_genesis_time() + e * SECONDS_PER_EPOCH`.
    @return uint256 The timestamp.
    """
    return BEACON_GENESIS_TIME


@external
@view
@reentrant
def pending_cluster_ttl() -> uint256:
    """
    @notice Seconds after its settlement from which anyone may dissolve a
            pending cluster.
    @return uint256 The time-to-live in seconds.
    """
    return PENDING_CLUSTER_TTL


# ------------------------------------------------------------ internal


@internal
@view
def _has_data(cluster_id: uint256) -> bool:
    """
    @dev Whether deposit data was registered for the cluster.
    """
    return self._deposit_data[cluster_id].deposit_data_root != empty(bytes32)


@internal
@view
def _pubkey(cluster_id: uint256) -> Bytes[48]:
    """
    @dev The cluster's registered 48-byte public key.
    """
    return concat(
        self._deposit_data[cluster_id].pubkey_head,
        self._deposit_data[cluster_id].pubkey_tail,
    )


@internal
@view
def _load(cluster_id: uint256) -> DepositData:
    """
    @dev The cluster's registered deposit data, as `Bytes`.
    """
    stored: StoredDepositData = self._deposit_data[cluster_id]
    return DepositData(
        pubkey=concat(stored.pubkey_head, stored.pubkey_tail),
        signature=concat(
            stored.signature[0], stored.signature[1], stored.signature[2]
        ),
        deposit_data_root=stored.deposit_data_root,
    )


@internal
@view
def _check_implementation():
    """
    @dev Reverts until the StrategyModule implementation is set.
    """
    assert self._implementation != empty(
        address
    ), "strategy_module_manager: implementation not set"


@internal
@view
def _check_status(cluster_id: uint256, expected: uint256) -> cs.ClusterState:
    """
    @dev Reverts unless the cluster is known and in status `expected`.
    @return cs.ClusterState The cluster's state.
    """
    state: cs.ClusterState = cs.unpack_state(self._state[cluster_id])
    assert (
        state.status != c.CLUSTER_UNKNOWN
    ), "strategy_module_manager: unknown cluster"
    if state.status != expected:
        if expected == c.CLUSTER_PENDING:
            raise "strategy_module_manager: cluster not pending"
        elif expected == c.CLUSTER_PRE_DEPOSITED:
            raise "strategy_module_manager: cluster not awaiting proof"
        raise "strategy_module_manager: cluster not staked"
    return state


@internal
@view
def _check_proof(beacon_timestamp: uint64, proof: beacon_proofs.ValidatorProof):
    """
    @dev Reverts unless `proof` checks against the EIP-4788 beacon block root
         of `beacon_timestamp`.
    """
    success: bool = False
    response: Bytes[32] = b""
    success, response = raw_call(
        BEACON_ROOTS,
        abi_encode(convert(beacon_timestamp, uint256)),
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    assert (
        success and len(response) == 32
    ), "strategy_module_manager: unknown beacon root"
    assert beacon_proofs._verify_at(
        convert(response, bytes32), convert(beacon_timestamp, uint256), proof
    ), "strategy_module_manager: invalid validator proof"


@internal
def _add_pending(cluster_id: uint256):
    """
    @dev Records a freshly settled cluster as pending.
    """
    assert (
        self._state[cluster_id] == 0
    ), "strategy_module_manager: cluster already known"
    self._state[cluster_id] = cs.pack_state(
        cs.ClusterState(
            status=c.CLUSTER_PENDING, settled_at=block.timestamp, deposited_at=0
        )
    )
    counters: cs.Counters = cs.unpack_counters(self._counters)
    counters.pending += 1
    self._counters = cs.pack_counters(counters)
    module: address = self._module_address(cluster_id)
    log ClusterPreCreated(
        cluster_id=cluster_id,
        strategy_module=module,
        eigen_pod=self._pod_of(module),
    )


@internal
def _try_pre_create():
    """
    @dev Pre-creates the next cluster whenever the Auction can settle:
         `can_settle()` is false only while the Auction is paused or fewer
         than `cluster_size` operators are ranked (settlement takes ranked
         operators only and never waits for parked ones), and then the
         deposit skips the pre-creation. Settlement costs a bounded amount
         whatever the book holds (a winner's next bid that would walk too
         far is parked), so it gets a fixed budget, `c.SETTLEMENT_GAS`; with
         `can_settle()` true it can only fail for lack of gas, and a deposit
         must never succeed without the pre-creation it could have made, so
         any failure reverts it.
    """
    if not staticcall IAuction(AUCTION).can_settle():
        log ClusterPreCreationSkipped(settlement_attempted=False)
        return
    assert (
        msg.gas >= c.SETTLEMENT_GAS * 64 // 63 + POST_SETTLEMENT_GAS
    ), "strategy_module_manager: pre-creation failed"
    success: bool = False
    response: Bytes[32] = b""
    success, response = raw_call(
        AUCTION,
        method_id("settle_cluster()"),
        max_outsize=32,
        gas=c.SETTLEMENT_GAS,
        revert_on_failure=False,
    )
    assert (
        success and len(response) == 32
    ), "strategy_module_manager: pre-creation failed"
    self._add_pending(abi_decode(response, uint256))


@internal
def _cancel(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    bond_to: address,
):
    """
    @dev Cancels the cluster in StakerRewards (prices back to the winners,
         bonds to them or to `bond_to`); one call site for the three ways
         a cluster ends unstreamed, to keep this contract under EIP-170.
    """
    extcall IStakerRewards(STAKER_REWARDS).cancel_cluster(
        cluster_id, seats, bond_to
    )


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
def _unlink(node: uint256):
    """
    @dev Unlinks any `node` of the ready list.
    """
    prev: uint256 = self._prev[node]
    nxt: uint256 = self._next[node]
    self._next[prev] = nxt
    self._prev[nxt] = prev
    self._next[node] = 0
    self._prev[node] = 0


@internal
@view
def _split_address(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> address:
    """
    @dev The cluster's reward split (deployed or predicted).
    """
    operators: DynArray[address, 16] = empty(DynArray[address, 16])
    allocations: DynArray[uint256, 16] = empty(DynArray[uint256, 16])
    salt: bytes32 = empty(bytes32)
    operators, allocations, salt = self._split_params(cluster_id, seats)
    return staticcall ISplitFactory(SPLIT_FACTORY).predict_split_address(
        operators, allocations, SPLIT_DISTRIBUTION_INCENTIVE_BPS, salt
    )


@internal
@view
def _cluster_of(module: address) -> (bool, uint256):
    """
    @dev (True, its cluster id) when `module` is a StrategyModule this
         manager deployed (it answers `cluster_id()` with a cluster a staker
         took, and is that cluster's CREATE2 address), else (False, 0).
    """
    if not module.is_contract:
        return False, 0
    success: bool = False
    response: Bytes[32] = b""
    success, response = raw_call(
        module,
        method_id("cluster_id()"),
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    if not success or len(response) != 32:
        return False, 0
    cluster_id: uint256 = convert(response, uint256)
    if not self._was_taken(cluster_id):
        return False, 0
    if self._module_address(cluster_id) != module:
        return False, 0
    return True, cluster_id


@internal
def _return_top_up(staker: address, module: address) -> address:
    """
    @dev Sends the held 31 ETH to `staker` (full gas), or to its module when
         the staker cannot receive ETH (its owner withdraws it from there).
    @return address Where the ETH went.
    """
    if raw_call(staker, b"", value=TOP_UP_AMOUNT, revert_on_failure=False):
        return staker
    raw_call(module, b"", value=TOP_UP_AMOUNT)
    return module


@internal
@view
def _was_taken(cluster_id: uint256) -> bool:
    """
    @dev Whether a staker took the cluster (its module exists, its split
         may be deployed):
         pre-deposited, staked, failed, exited, reclaimed or slashed; not
         unknown, pending or dissolved.
    """
    status: uint256 = cs.unpack_state(self._state[cluster_id]).status
    return status >= c.CLUSTER_PRE_DEPOSITED and status != c.CLUSTER_DISSOLVED


@internal
def _end_staked(status: uint256) -> uint256:
    """
    @dev Moves the calling StrategyModule's STAKED cluster to `status`
         (EXITED or SLASHED); reverts for any other caller or status.
    @return uint256 The cluster id.
    """
    is_module: bool = False
    cluster_id: uint256 = 0
    is_module, cluster_id = self._cluster_of(msg.sender)
    assert is_module, "strategy_module_manager: caller is not a strategy module"
    state: cs.ClusterState = self._check_status(cluster_id, c.CLUSTER_STAKED)
    state.status = status
    self._state[cluster_id] = cs.pack_state(state)
    return cluster_id


@internal
def _decrement_pre_deposited():
    """
    @dev One cluster fewer awaits its proof.
    """
    counters: cs.Counters = cs.unpack_counters(self._counters)
    counters.pre_deposited -= 1
    self._counters = cs.pack_counters(counters)


@internal
@view
def _module_address(cluster_id: uint256) -> address:
    """
    @dev The cluster's StrategyModule: the manager's CREATE2 minimal proxy
         with salt = cluster id.
    """
    return minimal_proxy._predict_address(
        self._implementation, convert(cluster_id, bytes32), self
    )


@internal
@view
def _pod_of(module: address) -> address:
    """
    @dev The EigenPod (deployed or predicted) owned by `module`.
    """
    return staticcall IEigenPodManager(EIGEN_POD_MANAGER).getPod(module)


@internal
@pure
def _credentials_of_pod(pod: address) -> bytes32:
    """
    @dev 0x01 ‖ 11 zero bytes ‖ pod.
    """
    return convert(
        concat(x"01", empty(bytes11), convert(pod, bytes20)), bytes32
    )


@internal
@view
def _split_params(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> (DynArray[address, 16], DynArray[uint256, 16], bytes32):
    """
    @dev The split's recipients (the cluster's operators, ranking order),
         their equal allocations, and its salt (committing to this manager
         and the cluster id); the seats are checked against StakerRewards'
         commitment.
    """
    assert staticcall IStakerRewards(STAKER_REWARDS).check_seats(
        cluster_id, seats
    )
    operators: DynArray[address, 16] = []
    allocations: DynArray[uint256, 16] = []
    for seat: seat_types.Seat in seats:
        operators.append(seat.operator)
        allocations.append(SPLIT_ALLOCATION_PER_OPERATOR)
    return operators, allocations, keccak256(abi_encode(self, cluster_id))
