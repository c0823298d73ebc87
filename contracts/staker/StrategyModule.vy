# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title StrategyModule
@custom:contract-name StrategyModule
@license MIT
@notice The staker's own contract, one per staked cluster (32 ETH). It owns the
        cluster's EigenPod, delegates its restaked ETH through EigenLayer's
        DelegationManager, claims the staker's prepaid yield from
        StakerRewards and runs the validator's exit (docs/protocol.md §10): anyone
        proves the activation epoch (`prove_activation`); from activation +
        256 epochs the holder requests the exit (`request_exit`, as often
        as the beacon chain drops it); anyone proves the exit epoch
        (`prove_exit`), which ends the stream and unlocks the bonds, or
        the validator slashed (`prove_slashing`, or `prove_exit` with a
        slashed proof), which ends the stream and gives every bond and the
        unserved credits to the holder; the principal then comes home EigenLayer's way (docs/protocol.md §11):
        a checkpoint of the pod, the withdrawal queue and its delay. Anyone
        restakes the validator once it has an activation epoch
        (`restake`). Its `owner()` is
        whoever currently holds ByzNft token `cluster_id()`: selling the NFT
        sells the module.
@dev Deployed by the StrategyModuleManager as a minimal proxy
     (`create_minimal_proxy_to`, CREATE2 salt = the cluster id) and
     initialised in the same transaction. Every protocol-wide address is an
     immutable of the implementation: a proxy delegatecalls the
     implementation's code, immutables included, so proxies share them and
     store only their cluster id. The implementation locks itself in its
     constructor. Only the NFT holder may act, except the manager, which
     deposits during set-up and is the pod's proof submitter, and anyone
     for the permissionless steps (proofs, restaking, checkpoints,
     completing a queued withdrawal, whose ETH only reaches this module).
"""

from ..interfaces import IByzNft
from ..interfaces import IStakerRewards
from ..interfaces import IStrategyModule
from ..interfaces import IStrategyModuleManager
from ..interfaces.external import IDepositContract
from ..interfaces.external.eigenlayer import IDelegationManager
from ..interfaces.external.eigenlayer import IEigenPod
from ..interfaces.external.eigenlayer import IEigenPodManager
from ..interfaces.external.eigenlayer import IRewardsCoordinator

implements: IStrategyModule

from ..lib import beacon_proofs
from ..lib import eigen_proofs
from ..lib import cluster_state as cs
from ..lib import constants as c
from ..lib import loss_codec
from ..lib import seat_types


# Exit requests (EIP-7002) for a full exit: amount 0.
_FULL_EXIT_GWEI: constant(uint64) = 0
# 0x01 withdrawal credentials: the prefix, then 11 zero bytes, then the pod.
_ETH1_PREFIX: constant(bytes12) = 0x010000000000000000000000
# EigenPod.VALIDATOR_STATUS: ACTIVE (restaked, not yet withdrawn), WITHDRAWN
# (a checkpoint proved its balance 0 after the exit).
_POD_VALIDATOR_ACTIVE: constant(uint8) = 1
_POD_VALIDATOR_WITHDRAWN: constant(uint8) = 2
# EigenLayer's virtual strategy of beacon-chain ETH (not a contract).
_BEACON_CHAIN_ETH_STRATEGY: constant(address) = (
    0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0
)
# Marks the implementation (never a proxy's cluster): it cannot be initialised.
_LOCKED: constant(uint256) = max_value(uint256)

MANAGER: immutable(address)
BYZ_NFT: immutable(address)
AUCTION: immutable(address)
STAKER_REWARDS: immutable(address)
EIGEN_POD_MANAGER: immutable(address)
DELEGATION_MANAGER: immutable(address)
WITHDRAWAL_REQUESTS: immutable(address)
REWARDS_COORDINATOR: immutable(address)

# cluster id + 1 once initialised (0: not initialised; _LOCKED: the implementation)
_cluster_node: uint256
# The validator's proven activation epoch (0: not proven; a cluster's
# validator is deposited after genesis, so it never activates at epoch 0).
_activation_epoch: uint256
# The losses checkpoints proved, charged and pending (docs/protocol.md §10
# "A loss at a checkpoint"): a `loss_codec.Charge` word, and the wei the
# settled charges took from the bonds (written by settlements only).
_loss: uint256
_loss_charged: uint256


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


event PodCreated:
    cluster_id: indexed(uint256)
    eigen_pod: indexed(address)
    proof_submitter: indexed(address)


event ProofSubmitterSet:
    cluster_id: indexed(uint256)
    proof_submitter: indexed(address)


event Restaked:
    cluster_id: indexed(uint256)
    caller: indexed(address)
    validator_index: uint40
    beacon_timestamp: uint64


event RewardsClaimerSet:
    cluster_id: indexed(uint256)
    claimer: indexed(address)


event CheckpointStarted:
    cluster_id: indexed(uint256)
    caller: indexed(address)


event WithdrawalQueued:
    cluster_id: indexed(uint256)
    withdrawal_root: indexed(bytes32)
    deposit_shares: uint256


event WithdrawalCompleted:
    cluster_id: indexed(uint256)
    withdrawal_root: indexed(bytes32)
    amount: uint256


event ExitRequested:
    cluster_id: indexed(uint256)
    pubkey: Bytes[48]
    fee: uint256


event ActivationProven:
    cluster_id: indexed(uint256)
    activation_epoch: uint256
    beacon_timestamp: uint64


event ExitProven:
    cluster_id: indexed(uint256)
    caller: indexed(address)
    exit_epoch: uint256
    exit_time: uint256
    beacon_timestamp: uint64


event SlashingProven:
    cluster_id: indexed(uint256)
    caller: indexed(address)
    slash_time: uint256
    exit_epoch: uint256
    beacon_timestamp: uint64


event LossReported:
    cluster_id: indexed(uint256)
    caller: indexed(address)
    loss_gwei: uint256
    checkpoint_timestamp: uint256
    reserved: uint256
    settles_at: uint256


event LossAnswered:
    cluster_id: indexed(uint256)
    caller: indexed(address)
    loss_gwei: uint256
    checkpoint_timestamp: uint256
    released: uint256


event LossSettled:
    cluster_id: indexed(uint256)
    caller: indexed(address)
    holder: indexed(address)
    loss_gwei: uint256
    charged: uint256


event EtherReceived:
    sender: indexed(address)
    amount: uint256


@deploy
def __init__(
    manager: address,
    byz_nft: address,
    auction: address,
    staker_rewards: address,
    eigen_pod_manager: address,
    delegation_manager: address,
    withdrawal_requests: address,
    rewards_coordinator: address,
):
    """
    @notice Deploys the implementation (locked: it can never be
            initialised); its immutables are every proxy's protocol
            addresses.
    @param manager The StrategyModuleManager (the only initialiser).
    @param byz_nft The ByzNft collection whose token `cluster_id` designates
           a module's owner.
    @param auction The Auction that forms the clusters.
    @param staker_rewards StakerRewards.
    @param eigen_pod_manager EigenLayer's EigenPodManager.
    @param delegation_manager EigenLayer's DelegationManager.
    @param withdrawal_requests The EIP-7002 withdrawal request contract.
    @param rewards_coordinator EigenLayer's RewardsCoordinator (the module,
           as its pod's owner, is the earner of its restaking rewards).
    """
    assert manager.is_contract, "strategy_module: manager has no code"
    assert byz_nft.is_contract, "strategy_module: byz nft has no code"
    assert auction.is_contract, "strategy_module: auction has no code"
    assert (
        staker_rewards.is_contract
    ), "strategy_module: staker rewards has no code"
    assert (
        eigen_pod_manager.is_contract
    ), "strategy_module: eigen pod manager has no code"
    assert (
        delegation_manager.is_contract
    ), "strategy_module: delegation manager has no code"
    assert (
        withdrawal_requests.is_contract
    ), "strategy_module: withdrawal requests has no code"
    assert (
        rewards_coordinator.is_contract
    ), "strategy_module: rewards coordinator has no code"
    MANAGER = manager
    BYZ_NFT = byz_nft
    AUCTION = auction
    STAKER_REWARDS = staker_rewards
    EIGEN_POD_MANAGER = eigen_pod_manager
    DELEGATION_MANAGER = delegation_manager
    WITHDRAWAL_REQUESTS = withdrawal_requests
    REWARDS_COORDINATOR = rewards_coordinator
    self._cluster_node = _LOCKED


@external
@payable
@reentrant
def __default__():
    """
    @notice Accepts ETH (e.g. withdrawals from the EigenPod, which pays the
            module during `complete_withdrawal`, and the excess of an exit
            fee during `request_exit`, hence `@reentrant`).
    @dev Writes no state.
    """
    log EtherReceived(sender=msg.sender, amount=msg.value)


@external
def initialize(cluster_id: uint256):
    """
    @notice Initialises a freshly deployed proxy with its cluster id, and
            creates its EigenPod with the manager as proof submitter.
    @dev Manager only, once; never on the implementation.
    @param cluster_id The cluster (and ByzNft token) id.
    """
    assert msg.sender == MANAGER, "strategy_module: caller is not the manager"
    assert self._cluster_node == 0, "strategy_module: already initialized"
    self._cluster_node = cluster_id + 1
    log Initialized(manager=msg.sender, cluster_id=cluster_id)
    # The module owns its pod; the manager submits its proofs until the
    # holder names another submitter (docs/protocol.md §11).
    pod: address = extcall IEigenPodManager(EIGEN_POD_MANAGER).createPod()
    extcall IEigenPod(pod).setProofSubmitter(MANAGER)
    log PodCreated(
        cluster_id=cluster_id, eigen_pod=pod, proof_submitter=MANAGER
    )


@external
@payable
def stake(pubkey: Bytes[48], signature: Bytes[96], deposit_data_root: bytes32):
    """
    @notice Deposits `msg.value` for the cluster's validator straight to the
            beacon deposit contract, with this module's EigenPod as the 0x01
            withdrawal credentials (EigenLayer's `EigenPod.stake` takes
            exactly 32 ETH, so the 1 ETH pre-deposit cannot go through it).
    @dev Manager only: the 1 ETH pre-deposit at staking, the 31 ETH top-up at
         confirmation (the manager enforces the order and amounts).
    @param pubkey The validator's 48-byte BLS public key.
    @param signature The 96-byte BLS signature of the deposit message.
    @param deposit_data_root The SSZ root of the deposit data for this amount.
    """
    assert msg.sender == MANAGER, "strategy_module: caller is not the manager"
    pod: address = self._pod()
    extcall IDepositContract(
        staticcall IEigenPodManager(EIGEN_POD_MANAGER).ethPOS()
    ).deposit(
        pubkey,
        concat(_ETH1_PREFIX, convert(pod, bytes20)),
        signature,
        deposit_data_root,
        value=msg.value,
    )
    log Staked(
        cluster_id=self._cluster_id(),
        eigen_pod=pod,
        pubkey=pubkey,
        amount=msg.value,
    )


@external
@payable
def request_exit():
    """
    @notice Requests the full exit of the cluster's validator (EIP-7002,
            sent by the EigenPod: the address in the validator's withdrawal
            credentials), paying the current fee (the excess goes back to the
            caller). A request changes nothing here: the beacon chain may
            drop it, so the cluster stays staked and streams until anyone
            proves the exit (`prove_exit`: the stream ends at the exit
            epoch, the bonds unlock). The principal then comes home
            EigenLayer's way (`start_checkpoint`, `queue_withdrawal`,
            `complete_withdrawal`, `withdraw`).
    @dev NFT holder only, for a staked cluster whose exit is not proven,
         whatever its stream's state (streaming, expired, cancelled), as
         often as needed (each request pays the fee). Refused, with a
         clear reason, before the proven activation epoch + 256 epochs:
         the beacon chain would drop the request; and once a checkpoint
         has proven the validator withdrawn: it has exited, and
         `prove_exit` is what is left to do.
    """
    holder: address = self._check_owner()
    cluster_id: uint256 = self._check_staked()
    activation: uint256 = self._activation_epoch
    assert activation != 0, "strategy_module: activation not proven"
    genesis: uint256 = staticcall IStrategyModuleManager(
        MANAGER
    ).beacon_genesis_time()
    assert (
        block.timestamp
        >= genesis
        + (activation + c.SHARD_COMMITTEE_PERIOD) * c.SECONDS_PER_EPOCH
    ), "strategy_module: exit before activation + 256 epochs"
    fee: uint256 = self._withdrawal_fee()
    assert msg.value >= fee, "strategy_module: exit fee not covered"
    pod: address = self._pod()
    pubkey: Bytes[48] = staticcall IStrategyModuleManager(
        MANAGER
    ).validator_pubkey(cluster_id)
    info: IEigenPod.ValidatorInfo = staticcall IEigenPod(
        pod
    ).validatorPubkeyHashToInfo(sha256(concat(pubkey, empty(bytes16))))
    assert (
        info.status != _POD_VALIDATOR_WITHDRAWN
    ), "strategy_module: validator exited, prove it"
    assert (
        info.status == _POD_VALIDATOR_ACTIVE
    ), "strategy_module: validator not restaked"
    log ExitRequested(cluster_id=cluster_id, pubkey=pubkey, fee=fee)
    # The pod pays the fee (it refunds any excess to this module, which
    # forwards the rest of msg.value to the holder).
    extcall IEigenPod(pod).requestWithdrawal(
        [
            IEigenPod.WithdrawalRequest(
                pubkey=pubkey, amountGwei=_FULL_EXIT_GWEI
            )
        ],
        value=fee,
    )
    if msg.value > fee:
        raw_call(holder, b"", value=msg.value - fee)


@external
def prove_activation(
    beacon_timestamp: uint64, proof: beacon_proofs.ValidatorProof
):
    """
    @notice Records the activation epoch of the cluster's validator, proven
            against an EIP-4788 beacon block root: the beacon chain honours
            an exit request only from activation + 256 epochs, so
            `request_exit` needs it.
    @dev Anyone, once, for a staked cluster whose validator has an
         activation epoch (it may still be pending activation).
    @param beacon_timestamp The timestamp whose parent beacon block root the
           proof is against.
    @param proof The validator proof (docs/protocol.md §9).
    """
    cluster_id: uint256 = self._check_validator_proof(beacon_timestamp, proof)
    assert (
        self._activation_epoch == 0
    ), "strategy_module: activation already proven"
    activation: uint64 = beacon_proofs._activation_epoch(proof.validator_fields)
    assert (
        activation != beacon_proofs.FAR_FUTURE_EPOCH
    ), "strategy_module: validator has no activation epoch"
    self._activation_epoch = convert(activation, uint256)
    log ActivationProven(
        cluster_id=cluster_id,
        activation_epoch=convert(activation, uint256),
        beacon_timestamp=beacon_timestamp,
    )


@external
def prove_exit(
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    beacon_timestamp: uint64,
    proof: beacon_proofs.ValidatorProof,
):
    """
    @notice Proves that the cluster's validator is exiting (its exit epoch is
            set, against an EIP-4788 beacon block root): the staker's stream
            ends at that epoch's time (if it has not already expired), every
            winner gets the unserved part of its price back and its bond
            unlocks, and the cluster is exited. EigenLayer has no exit proof:
            the pod keeps the shares until a checkpoint proves the swept
            balance, and the principal then comes home through the queue
            (`start_checkpoint`, `queue_withdrawal`, `complete_withdrawal`,
            then `withdraw`). A proof of a slashed validator takes the
            slashing's path (`prove_slashing`): a slashing sets the exit
            epoch too, and must not unlock the bonds it forfeits.
    @dev Anyone, once (the manager marks the cluster exited, or slashed),
         for a staked cluster, with a proof of this cluster's validator.
    @param seats The cluster's seats (`deploy/seats.py`; StakerRewards
           checks them).
    @param beacon_timestamp The timestamp whose parent beacon block root the
           proof is against.
    @param proof The validator proof (docs/protocol.md §9).
    """
    cluster_id: uint256 = self._check_validator_proof(beacon_timestamp, proof)
    if beacon_proofs._slashed(proof.validator_fields):
        self._slashing_proven(cluster_id, seats, beacon_timestamp, proof)
        return
    exit_epoch: uint64 = beacon_proofs._exit_epoch(proof.validator_fields)
    assert (
        exit_epoch != beacon_proofs.FAR_FUTURE_EPOCH
    ), "strategy_module: validator not exiting"
    exit_time: uint256 = (
        staticcall IStrategyModuleManager(MANAGER).beacon_genesis_time()
        + convert(exit_epoch, uint256) * c.SECONDS_PER_EPOCH
    )
    log ExitProven(
        cluster_id=cluster_id,
        caller=msg.sender,
        exit_epoch=convert(exit_epoch, uint256),
        exit_time=exit_time,
        beacon_timestamp=beacon_timestamp,
    )
    # The manager marks the cluster exited (once); StakerRewards ends the
    # stream with the seats (checked against its commitment).
    extcall IStrategyModuleManager(MANAGER).on_exit_proven(exit_time)
    extcall IStakerRewards(STAKER_REWARDS).end_stream(
        cluster_id, seats, exit_time
    )


@external
def prove_slashing(
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    beacon_timestamp: uint64,
    proof: beacon_proofs.ValidatorProof,
):
    """
    @notice Proves that the cluster's validator was slashed (its `slashed`
            field is set, against an EIP-4788 beacon block root): the
            staker's stream ends at the proof's time (the block root's
            timestamp, if the stream has not already ended), every
            winner's bond and every seat's unserved credits go to the
            current NFT holder instead of back to the operators, and the
            cluster is slashed. The holder pulls them:
            `StakerRewards.withdraw_credit` (credits) and
            `Auction.claim_refund` (bonds). After an expiry (credits
            already returned to the operators) only the bonds are charged.
            The principal comes home as after an exit (`start_checkpoint`,
            `queue_withdrawal`, `complete_withdrawal`, then `withdraw`).
    @dev Anyone, once (the manager marks the cluster slashed), for a
         staked cluster whose exit is not proven yet, with a proof of this
         cluster's validator.
    @param seats The cluster's seats (`deploy/seats.py`; StakerRewards
           checks them).
    @param beacon_timestamp The timestamp whose parent beacon block root the
           proof is against.
    @param proof The validator proof (docs/protocol.md §9).
    """
    cluster_id: uint256 = self._check_validator_proof(beacon_timestamp, proof)
    assert beacon_proofs._slashed(
        proof.validator_fields
    ), "strategy_module: validator not slashed"
    self._slashing_proven(cluster_id, seats, beacon_timestamp, proof)


@external
def report_loss(
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    beacon_timestamp: uint64,
    proof: beacon_proofs.ValidatorProof,
):
    """
    @notice Charges the winners' bonds with a loss of the cluster's
            validator that a finalised checkpoint of the pod proved: its
            restaked balance below the 32 ETH it was staked with while the
            pod still counts it active (rewards above 32 ETH are swept to
            the pod, so only penalties, a leak or a slashing take it
            lower). Only the rise of the loss above what was charged or
            reported before counts; that much of the bonds (capped by what
            they hold) is set aside in the Escrow, pro rata to the bonds,
            for `CHALLENGE_WINDOW`: anyone may answer it with a newer
            checkpoint (`answer_loss`), then anyone settles it to the
            holder (`settle_loss`). A report of a higher loss while one is
            pending raises it and restarts the window.
    @dev Anyone, for a staked cluster (an exit or slashing already proven
         ends the charges). `proof` (the validator's fields against the
         EIP-4788 root of `beacon_timestamp`, no earlier than the
         checkpoint) shows 0x01 credentials: with 0x02 ones the holder
         could withdraw part of the balance through EIP-7002 and make a
         loss of it (docs/protocol.md §10 "A loss at a checkpoint").
    @param seats The cluster's seats (`deploy/seats.py`; StakerRewards
           checks them).
    @param beacon_timestamp The timestamp whose parent beacon block root the
           proof is against.
    @param proof The validator proof (docs/protocol.md §9).
    """
    cluster_id: uint256 = self._check_validator_proof(beacon_timestamp, proof)
    assert proof.validator_fields[
        beacon_proofs.WITHDRAWAL_CREDENTIALS_FIELD
    ] == convert(
        concat(_ETH1_PREFIX, convert(self._pod(), bytes20)), bytes32
    ), "strategy_module: credentials not 0x01"
    loss_gwei: uint256 = 0
    checkpoint: uint256 = 0
    loss_gwei, checkpoint = self._loss_reading(cluster_id)
    assert (
        convert(beacon_timestamp, uint256) >= checkpoint
    ), "strategy_module: proof older than the checkpoint"
    loss: loss_codec.Charge = loss_codec.unpack_charge(self._loss)
    assert loss_gwei > max(
        loss.charged_gwei, loss.pending_gwei
    ), "strategy_module: no new loss"
    want: uint256 = (
        loss_gwei - loss.charged_gwei
    ) * c.WEI_PER_GWEI - loss.reserved
    loss.pending_gwei = loss_gwei
    loss.checkpoint = checkpoint
    loss.reported_at = block.timestamp
    self._loss = loss_codec.pack_charge(loss)
    # the Escrow reserves what the bonds still hold of it (nonreentrant)
    reserved: uint256 = extcall IStakerRewards(STAKER_REWARDS).reserve_charge(
        cluster_id, seats, want
    )
    loss.reserved += reserved
    self._loss = loss_codec.pack_charge(loss)
    log LossReported(
        cluster_id=cluster_id,
        caller=msg.sender,
        loss_gwei=loss_gwei,
        checkpoint_timestamp=checkpoint,
        reserved=reserved,
        settles_at=block.timestamp + c.CHALLENGE_WINDOW,
    )


@external
def answer_loss(seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]):
    """
    @notice Answers the pending loss charge with a newer finalised
            checkpoint of the pod that shows a smaller loss (the balance
            back up): the charge falls to the loss it shows above what was
            already charged (nothing, if none), and the rest of what was
            set aside goes back to the winners' bonds (or to the
            operators, once the exit unlocked them).
    @dev Anyone, within `CHALLENGE_WINDOW` of the report, unless the
         cluster was proven slashed meanwhile (a slashing forfeits every
         bond: the pending charge then settles to the holder). A recovery
         never gives back a charge already settled (the charged loss is a
         high-water mark).
    @param seats The cluster's seats (checked by StakerRewards).
    """
    loss: loss_codec.Charge = loss_codec.unpack_charge(self._loss)
    assert loss.pending_gwei != 0, "strategy_module: no pending charge"
    assert (
        block.timestamp < loss.reported_at + c.CHALLENGE_WINDOW
    ), "strategy_module: challenge window closed"
    cluster_id: uint256 = self._cluster_id()
    assert (
        staticcall IStrategyModuleManager(MANAGER).cluster_status(cluster_id)
        != c.CLUSTER_SLASHED
    ), "strategy_module: cluster slashed"
    loss_gwei: uint256 = 0
    checkpoint: uint256 = 0
    loss_gwei, checkpoint = self._loss_reading(cluster_id)
    assert checkpoint > loss.checkpoint, "strategy_module: no newer checkpoint"
    assert loss_gwei < loss.pending_gwei, "strategy_module: loss not lower"
    keep: uint256 = 0
    if loss_gwei > loss.charged_gwei:
        keep = min(
            loss.reserved, (loss_gwei - loss.charged_gwei) * c.WEI_PER_GWEI
        )
        loss.pending_gwei = loss_gwei
        loss.checkpoint = checkpoint
    else:
        loss.pending_gwei = 0
        loss.checkpoint = 0
        loss.reported_at = 0
    released: uint256 = loss.reserved - keep
    loss.reserved = keep
    self._loss = loss_codec.pack_charge(loss)
    log LossAnswered(
        cluster_id=cluster_id,
        caller=msg.sender,
        loss_gwei=loss_gwei,
        checkpoint_timestamp=checkpoint,
        released=released,
    )
    extcall IStakerRewards(STAKER_REWARDS).release_charge(
        cluster_id, seats, released
    )


@external
def settle_loss(seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]):
    """
    @notice Settles the pending loss charge once its challenge window has
            passed: what was set aside from the bonds is charged to the
            current ByzNft holder in the Escrow (pulled with
            `Auction.claim_refund`), and the loss becomes the charged mark
            later reports must exceed.
    @dev Anyone, from `CHALLENGE_WINDOW` after the report, whatever the
         cluster's status.
    @param seats The cluster's seats (checked by StakerRewards).
    """
    loss: loss_codec.Charge = loss_codec.unpack_charge(self._loss)
    assert loss.pending_gwei != 0, "strategy_module: no pending charge"
    assert (
        block.timestamp >= loss.reported_at + c.CHALLENGE_WINDOW
    ), "strategy_module: challenge window open"
    cluster_id: uint256 = self._cluster_id()
    log LossSettled(
        cluster_id=cluster_id,
        caller=msg.sender,
        holder=self._owner(),
        loss_gwei=loss.pending_gwei,
        charged=loss.reserved,
    )
    self._loss = loss_codec.pack_charge(
        loss_codec.Charge(
            charged_gwei=loss.pending_gwei,
            pending_gwei=0,
            checkpoint=0,
            reported_at=0,
            reserved=0,
        )
    )
    self._loss_charged += loss.reserved
    extcall IStakerRewards(STAKER_REWARDS).settle_charge(cluster_id, seats)


@external
def restake(
    beacon_timestamp: uint64,
    state_root_proof: eigen_proofs.StateRootProof,
    validator_index: uint40,
    validator_fields_proof: Bytes[eigen_proofs.MAX_VALIDATOR_PROOF],
    validator_fields: DynArray[bytes32, eigen_proofs.MAX_VALIDATOR_FIELDS],
):
    """
    @notice Restakes the cluster's validator through EigenLayer: the pod
            verifies its withdrawal credentials (`verifyWithdrawalCredentials`)
            and credits its effective balance as this module's shares. Also
            records the proven activation epoch if `prove_activation` has
            not.
    @dev Anyone, for a staked cluster, once the beacon chain has given the
         validator an activation epoch (EigenLayer refuses a validator
         without one: `ValidatorInactiveOnBeaconChain`). EigenLayer's checks
         and custom errors apply; the module is the pod's owner.
    @param beacon_timestamp The EIP-4788 timestamp the proofs are against.
    @param state_root_proof The state root and its branch to the block root.
    @param validator_index The validator's index.
    @param validator_fields_proof The validator's branch to the state root.
    @param validator_fields The validator's 8 fields.
    """
    cluster_id: uint256 = self._check_staked()
    assert (
        len(validator_fields) > beacon_proofs.ACTIVATION_EPOCH_FIELD
        and validator_fields[beacon_proofs.PUBKEY_FIELD]
        == self._pubkey_root(cluster_id)
    ), "strategy_module: proof is for another validator"
    log Restaked(
        cluster_id=cluster_id,
        caller=msg.sender,
        validator_index=validator_index,
        beacon_timestamp=beacon_timestamp,
    )
    extcall IEigenPod(self._pod()).verifyWithdrawalCredentials(
        beacon_timestamp,
        state_root_proof,
        [validator_index],
        [validator_fields_proof],
        [validator_fields],
    )
    # The pod has verified the fields against the beacon block root.
    if self._activation_epoch == 0:
        activation: uint256 = beacon_proofs._le_uint64(
            validator_fields[beacon_proofs.ACTIVATION_EPOCH_FIELD]
        )
        self._activation_epoch = activation
        log ActivationProven(
            cluster_id=cluster_id,
            activation_epoch=activation,
            beacon_timestamp=beacon_timestamp,
        )


@external
def start_checkpoint():
    """
    @notice Starts a checkpoint of this module's EigenPod: once anyone has
            proven its validators' balances (`verifyCheckpointProofs` on the
            pod), the ETH in the pod (consensus rewards, the exited
            principal) is credited as shares and becomes withdrawable
            through the queue.
    @dev Anyone (the module is the pod owner). EigenLayer's checks apply:
         one checkpoint at a time, never two in one block.
    """
    cluster_id: uint256 = self._cluster_id()
    log CheckpointStarted(cluster_id=cluster_id, caller=msg.sender)
    extcall IEigenPod(self._pod()).startCheckpoint(False)


@external
def set_proof_submitter(proof_submitter: address):
    """
    @notice Names the pod's proof submitter, the address that may prove
            and request for the pod besides this module (the manager at
            creation).
    @dev NFT holder only; the zero address leaves only the module.
    @param proof_submitter The new proof submitter.
    """
    self._check_owner()
    log ProofSubmitterSet(
        cluster_id=self._cluster_id(), proof_submitter=proof_submitter
    )
    extcall IEigenPod(self._pod()).setProofSubmitter(proof_submitter)


@external
def set_rewards_claimer(claimer: address):
    """
    @notice Names who may claim this module's EigenLayer rewards: the
            module owns the pod, so it is the earner in EigenLayer's
            RewardsCoordinator, and the claimer calls `processClaim` for it
            and names the recipient.
    @dev NFT holder only (`RewardsCoordinator.setClaimerFor`); a buyer of
         the NFT names its own. The zero address leaves the claims to the
         module itself, which has no claim function.
    @param claimer The claimer.
    """
    self._check_owner()
    log RewardsClaimerSet(cluster_id=self._cluster_id(), claimer=claimer)
    extcall IRewardsCoordinator(REWARDS_COORDINATOR).setClaimerFor(claimer)


@external
def queue_withdrawal(deposit_shares: uint256) -> bytes32:
    """
    @notice Queues a withdrawal of this module's beacon-chain ETH deposit
            shares through EigenLayer's DelegationManager; after its delay
            anyone completes it (`complete_withdrawal`) and the ETH reaches
            this module.
    @dev NFT holder only. Only checkpointed ETH can be paid at completion,
         so checkpoint the exited principal first. EigenLayer's checks
         apply (`SharesNegative` above the deposit shares).
    @param deposit_shares The deposit shares to withdraw (wei).
    @return bytes32 The withdrawal root.
    """
    self._check_owner()
    roots: DynArray[
        bytes32, eigen_proofs.MAX_STRATEGIES
    ] = extcall IDelegationManager(DELEGATION_MANAGER).queueWithdrawals(
        [
            IDelegationManager.QueuedWithdrawalParams(
                strategies=[_BEACON_CHAIN_ETH_STRATEGY],
                depositShares=[deposit_shares],
                __deprecated_withdrawer=self,
            )
        ]
    )
    log WithdrawalQueued(
        cluster_id=self._cluster_id(),
        withdrawal_root=roots[0],
        deposit_shares=deposit_shares,
    )
    return roots[0]


@external
def complete_withdrawal(withdrawal: IDelegationManager.Withdrawal):
    """
    @notice Completes a queued withdrawal of this module (queued here or by
            an undelegation) as ETH, which EigenLayer pays to this module;
            the holder sends it on with `withdraw`.
    @dev Anyone: the ETH only ever reaches this module. EigenLayer's checks
         apply (the delay, `WithdrawalNotQueued`, `WithdrawerNotCaller`).
    @param withdrawal The queued withdrawal, as EigenLayer emitted it.
    """
    cluster_id: uint256 = self._cluster_id()
    before: uint256 = self.balance
    extcall IDelegationManager(DELEGATION_MANAGER).completeQueuedWithdrawal(
        withdrawal, [empty(address)], True
    )
    log WithdrawalCompleted(
        cluster_id=cluster_id,
        withdrawal_root=staticcall IDelegationManager(
            DELEGATION_MANAGER
        ).calculateWithdrawalRoot(withdrawal),
        amount=self.balance - before,
    )


@external
def delegate_to(
    operator: address,
    approver_signature: IDelegationManager.SignatureWithExpiry,
    approver_salt: bytes32,
):
    """
    @notice Delegates this module's restaked ETH to an EigenLayer operator.
    @dev NFT holder only.
    @param operator A registered EigenLayer operator.
    @param approver_signature The operator's approver's signature and
           expiry (empty when the operator has no approver).
    @param approver_salt The approver's salt.
    """
    self._check_owner()
    extcall IDelegationManager(DELEGATION_MANAGER).delegateTo(
        operator, approver_signature, approver_salt
    )
    log DelegatedTo(cluster_id=self._cluster_id(), operator=operator)


@external
def undelegate():
    """
    @notice Undelegates this module from its EigenLayer operator; EigenLayer
            queues a withdrawal of every share (complete it with
            `complete_withdrawal` after the delay).
    @dev NFT holder only.
    """
    self._check_owner()
    operator: address = staticcall IDelegationManager(
        DELEGATION_MANAGER
    ).delegatedTo(self)
    extcall IDelegationManager(DELEGATION_MANAGER).undelegate(self)
    log Undelegated(cluster_id=self._cluster_id(), operator=operator)


@external
def claim_rewards() -> uint256:
    """
    @notice Claims the cluster's streamed staker rewards; StakerRewards pays
            them to the current NFT holder.
    @dev NFT holder only.
    @return uint256 The amount paid (wei).
    """
    holder: address = self._check_owner()
    cluster_id: uint256 = self._cluster_id()
    amount: uint256 = extcall IStakerRewards(STAKER_REWARDS).claim(cluster_id)
    log RewardsClaimed(cluster_id=cluster_id, receiver=holder, amount=amount)
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
    log Withdrawn(cluster_id=self._cluster_id(), receiver=to, amount=amount)
    raw_call(to, b"", value=amount)


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
@reentrant
def cluster_id() -> uint256:
    """
    @notice The cluster (== ByzNft token id) this module belongs to.
    @dev Reverts on an uninitialised module and on the implementation.
         `@reentrant`: the manager reads it while the module calls it
         (`prove_exit` -> `on_exit_proven`).
    @return uint256 The cluster id.
    """
    return self._cluster_id()


@external
@view
def initialized() -> bool:
    """
    @notice Whether this module is initialised (always true for the locked
            implementation).
    @return bool True once initialised.
    """
    return self._cluster_node != 0


@external
@view
def is_staked() -> bool:
    """
    @notice Whether the cluster's 32 ETH are (or were) on the beacon chain
            with proven credentials (manager status staked, or exited or
            slashed once the exit or the slashing is proven).
    @return bool True once `confirm_stake` succeeded.
    """
    status: uint256 = staticcall IStrategyModuleManager(MANAGER).cluster_status(
        self._cluster_id()
    )
    return (
        status == c.CLUSTER_STAKED
        or status == c.CLUSTER_EXITED
        or status == c.CLUSTER_SLASHED
    )


@external
@view
def status() -> uint256:
    """
    @notice The cluster's status at the manager (see
            `StrategyModuleManager.cluster_status`).
    @return uint256 The status.
    """
    return staticcall IStrategyModuleManager(MANAGER).cluster_status(
        self._cluster_id()
    )


@external
@view
def activation_epoch() -> uint256:
    """
    @notice The validator's proven activation epoch; the exit may be
            requested from this epoch + 256.
    @return uint256 The epoch, or 0 while not proven.
    """
    return self._activation_epoch


@external
@view
def loss_charge() -> IStrategyModule.LossCharge:
    """
    @notice The losses checkpoints proved against the cluster's bonds: the
            loss charged so far (gwei, the mark later reports must exceed)
            and the wei it took from the bonds; the pending charge's loss,
            the wei set aside for it, its checkpoint and when it was
            reported (it settles `CHALLENGE_WINDOW` later).
    @return LossCharge The figures (pending ones 0 when none is pending).
    """
    loss: loss_codec.Charge = loss_codec.unpack_charge(self._loss)
    return IStrategyModule.LossCharge(
        charged_gwei=loss.charged_gwei,
        charged=self._loss_charged,
        pending_gwei=loss.pending_gwei,
        reserved=loss.reserved,
        checkpoint=loss.checkpoint,
        reported_at=loss.reported_at,
    )


@external
@view
def exit_fee() -> uint256:
    """
    @notice The EIP-7002 fee `request_exit` pays now.
    @return uint256 The fee (wei).
    """
    return self._withdrawal_fee()


@external
@view
def eigen_pod() -> address:
    """
    @notice This module's EigenPod (its predicted address before staking).
    @return address The pod.
    """
    return self._pod()


@external
@view
def has_eigen_pod() -> bool:
    """
    @notice Whether this module's EigenPod has been deployed.
    @return bool True once deployed.
    """
    return staticcall IEigenPodManager(EIGEN_POD_MANAGER).hasPod(self)


@external
@view
def is_delegated() -> bool:
    """
    @notice Whether this module is delegated to an EigenLayer operator.
    @return bool True when delegated.
    """
    return staticcall IDelegationManager(DELEGATION_MANAGER).isDelegated(self)


@external
@view
def delegated_to() -> address:
    """
    @notice The EigenLayer operator this module is delegated to.
    @return address The operator, or the zero address.
    """
    return staticcall IDelegationManager(DELEGATION_MANAGER).delegatedTo(self)


@external
@view
def claimable_rewards() -> uint256:
    """
    @notice The staker rewards claimable now for this cluster.
    @return uint256 The amount (wei).
    """
    return staticcall IStakerRewards(STAKER_REWARDS).claimable(
        self._cluster_id()
    )


@external
@view
def manager() -> address:
    """
    @notice The StrategyModuleManager that deploys and initialises modules.
    @return address The manager.
    """
    return MANAGER


@external
@view
def byz_nft() -> address:
    """
    @notice The ByzNft collection.
    @return address The ByzNft.
    """
    return BYZ_NFT


@external
@view
def auction() -> address:
    """
    @notice The Auction that forms the clusters.
    @return address The Auction.
    """
    return AUCTION


@external
@view
def staker_rewards() -> address:
    """
    @notice StakerRewards.
    @return address StakerRewards.
    """
    return STAKER_REWARDS


@external
@view
def eigen_pod_manager() -> address:
    """
    @notice EigenLayer's EigenPodManager.
    @return address The EigenPodManager.
    """
    return EIGEN_POD_MANAGER


@external
@view
def delegation_manager() -> address:
    """
    @notice EigenLayer's DelegationManager.
    @return address The DelegationManager.
    """
    return DELEGATION_MANAGER


@external
@view
def rewards_coordinator() -> address:
    """
    @notice EigenLayer's RewardsCoordinator.
    @return address The RewardsCoordinator.
    """
    return REWARDS_COORDINATOR


@external
@view
def withdrawal_requests() -> address:
    """
    @notice The EIP-7002 withdrawal request contract.
    @return address WithdrawalRequests.
    """
    return WITHDRAWAL_REQUESTS


@internal
@view
def _cluster_id() -> uint256:
    """
    @dev The cluster id; reverts on an uninitialised module or the implementation.
    """
    node: uint256 = self._cluster_node
    assert node != 0 and node != _LOCKED, "strategy_module: not initialized"
    return node - 1


@internal
@view
def _owner() -> address:
    """
    @dev The current holder of ByzNft token `cluster_id`.
    """
    return staticcall IByzNft(BYZ_NFT).ownerOf(self._cluster_id())


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


@internal
@view
def _check_staked() -> uint256:
    """
    @dev Reverts unless the cluster is staked at the manager (confirmed, its
         exit not proven).
    @return uint256 The cluster id.
    """
    cluster_id: uint256 = self._cluster_id()
    assert (
        staticcall IStrategyModuleManager(MANAGER).cluster_status(cluster_id)
        == c.CLUSTER_STAKED
    ), "strategy_module: cluster not staked"
    return cluster_id


@internal
@view
def _check_validator_proof(
    beacon_timestamp: uint64, proof: beacon_proofs.ValidatorProof
) -> uint256:
    """
    @dev Reverts unless the cluster is staked and `proof` proves its own
         validator against the EIP-4788 root of `beacon_timestamp`.
    @return uint256 The cluster id.
    """
    cluster_id: uint256 = self._check_staked()
    pubkey: Bytes[48] = staticcall IStrategyModuleManager(
        MANAGER
    ).validator_pubkey(cluster_id)
    assert proof.validator_fields[beacon_proofs.PUBKEY_FIELD] == sha256(
        concat(pubkey, empty(bytes16))
    ), "strategy_module: proof is for another validator"
    success: bool = False
    response: Bytes[32] = b""
    success, response = raw_call(
        staticcall IStrategyModuleManager(MANAGER).beacon_roots(),
        abi_encode(convert(beacon_timestamp, uint256)),
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    assert (
        success and len(response) == 32
    ), "strategy_module: unknown beacon root"
    assert beacon_proofs._verify_at(
        convert(response, bytes32), convert(beacon_timestamp, uint256), proof
    ), "strategy_module: invalid validator proof"
    return cluster_id


@internal
def _slashing_proven(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    beacon_timestamp: uint64,
    proof: beacon_proofs.ValidatorProof,
):
    """
    @dev Logs a proven slashing and has the manager charge it (once: it
         marks the cluster slashed). Its time is the proof's timestamp:
         the chain proves the validator slashed then.
    """
    slash_time: uint256 = convert(beacon_timestamp, uint256)
    log SlashingProven(
        cluster_id=cluster_id,
        caller=msg.sender,
        slash_time=slash_time,
        exit_epoch=convert(
            beacon_proofs._exit_epoch(proof.validator_fields), uint256
        ),
        beacon_timestamp=beacon_timestamp,
    )
    extcall IStrategyModuleManager(MANAGER).on_slashing_proven(slash_time)
    extcall IStakerRewards(STAKER_REWARDS).charge_slashing(
        cluster_id, seats, slash_time
    )


@internal
@view
def _loss_reading(cluster_id: uint256) -> (uint256, uint256):
    """
    @dev The validator's loss as the pod's last finalised checkpoint proved
         it: 32 ETH less its restaked balance (0 at or above), and the
         checkpoint's timestamp. Reverts unless the pod counts it active
         (restaked, not withdrawn) and a finalised checkpoint proved it.
    @return uint256 The loss (gwei).
    @return uint256 The checkpoint's timestamp.
    """
    pod: address = self._pod()
    info: IEigenPod.ValidatorInfo = staticcall IEigenPod(
        pod
    ).validatorPubkeyHashToInfo(self._pubkey_root(cluster_id))
    assert (
        info.status == _POD_VALIDATOR_ACTIVE
    ), "strategy_module: validator not active in the pod"
    checkpoint: uint256 = convert(info.lastCheckpointedAt, uint256)
    assert checkpoint != 0 and checkpoint <= convert(
        staticcall IEigenPod(pod).lastCheckpointTimestamp(), uint256
    ), "strategy_module: no finalised checkpoint"
    staked_gwei: uint256 = c.STAKE_AMOUNT // c.WEI_PER_GWEI
    balance: uint256 = convert(info.restakedBalanceGwei, uint256)
    if balance >= staked_gwei:
        return 0, checkpoint
    return staked_gwei - balance, checkpoint


@internal
@view
def _pod() -> address:
    """
    @dev This module's EigenPod (created at initialisation).
    """
    return staticcall IEigenPodManager(EIGEN_POD_MANAGER).getPod(self)


@internal
@view
def _pubkey_root(cluster_id: uint256) -> bytes32:
    """
    @dev sha256(pubkey ‖ 16 zero bytes) of the cluster's validator: its key
         in the pod and field 0 of its proofs.
    """
    pubkey: Bytes[48] = staticcall IStrategyModuleManager(
        MANAGER
    ).validator_pubkey(cluster_id)
    return sha256(concat(pubkey, empty(bytes16)))


@internal
@view
def _withdrawal_fee() -> uint256:
    """
    @dev The EIP-7002 contract's current fee: its answer to empty calldata.
    """
    success: bool = False
    response: Bytes[32] = b""
    success, response = raw_call(
        WITHDRAWAL_REQUESTS,
        b"",
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    assert (
        success and len(response) == 32
    ), "strategy_module: withdrawal fee unavailable"
    return convert(response, uint256)
