"""The beacon chain as far as this protocol sees it (docs/protocol.md §9), and the system contracts' calls.

(deploy/sim/beacon.py is its successor on the executable consensus specs, tested alongside it.)

The model (in-process titanoboa only):

    chain = BeaconChain(protocol)            # after deploy_protocol, before the deposits it must see
    ...deposits...; boa.env.time_travel(seconds=12)
    timestamp = chain.process()              # one beacon block; its root posted to BeaconRoots at `timestamp`
    proof = chain.validator_proof(pubkey)    # ValidatorProof tuple against that root
    pod.verify_withdrawal_credentials(timestamp, proof)

Raw-call helpers (work with the stand-ins and, over JSON-RPC, with the real predeploys):

    post_beacon_root(beacon_roots, root)          -> timestamp   (as the system address)
    read_beacon_root(beacon_roots, timestamp)     -> bytes32 root
    withdrawal_request_fee(withdrawal_requests)   -> wei
    request_withdrawal(withdrawal_requests, pubkey, amount_gwei, sender=..., value=None)
    dequeue_withdrawal_requests(withdrawal_requests) -> [(source, pubkey, amount_gwei)]  (system address)
"""

from dataclasses import dataclass, field
from functools import lru_cache

import boa
import py_arkworks_bls12381 as ark
from eth_abi import decode as abi_decode
from eth_utils import keccak, to_canonical_address, to_checksum_address
from py_ecc.bls import G2ProofOfPossession as _bls
from remerkleable.basic import boolean, uint8, uint64, uint256
from remerkleable.bitfields import Bitvector
from remerkleable.byte_arrays import ByteList, Bytes4, Bytes32, Bytes48, Bytes96, ByteVector
from remerkleable.complex import Container, List, Vector

from deploy import keys as _keys
from deploy.predeploys import (  # noqa: F401 (re-exported)
    BEACON_ROOTS_ADDRESS,
    SYSTEM_ADDRESS,
    WITHDRAWAL_REQUESTS_ADDRESS,
)
from deploy.sim.eigen_proofs import BlockHistory, EigenProofsMixin
from deploy.sim.system_calls import (  # noqa: F401 (re-exported)
    ERROR_SELECTOR,
    HISTORY_BUFFER_LENGTH,
    REQUEST_OUTPUT_LENGTH,
    BeaconClock,
    _address,
    dequeue_withdrawal_requests,
    on_every_execution,
    post_beacon_root,
    read_beacon_root,
    request_withdrawal,
    revert_reason,
    withdrawal_request_fee,
)

# SSZ containers of the Electra consensus specs (remerkleable, the consensus-spec tooling's library).


Bytes20 = ByteVector[20]
Gwei = uint64
Epoch = uint64
Slot = uint64
ValidatorIndex = uint64

# mainnet preset / configuration values the model uses
SECONDS_PER_SLOT = 12
SLOTS_PER_EPOCH = 32
SECONDS_PER_EPOCH = SECONDS_PER_SLOT * SLOTS_PER_EPOCH
MAX_SEED_LOOKAHEAD = 4
SHARD_COMMITTEE_PERIOD = 256  # epochs a validator must be active before it may exit
MIN_VALIDATOR_WITHDRAWABILITY_DELAY = 256  # epochs between exit and withdrawability
FAR_FUTURE_EPOCH = 2**64 - 1
GWEI = 10**9
EFFECTIVE_BALANCE_INCREMENT = 10**9  # gwei
MIN_ACTIVATION_BALANCE = 32 * 10**9  # gwei
MAX_EFFECTIVE_BALANCE = 32 * 10**9  # gwei, 0x01 credentials
HYSTERESIS_QUOTIENT = 4
HYSTERESIS_DOWNWARD_MULTIPLIER = 1
HYSTERESIS_UPWARD_MULTIPLIER = 5
VALIDATOR_REGISTRY_LIMIT = 2**40
SLOTS_PER_HISTORICAL_ROOT = 8192
EPOCHS_PER_HISTORICAL_VECTOR = 65536
EPOCHS_PER_SLASHINGS_VECTOR = 8192
HISTORICAL_ROOTS_LIMIT = 2**24
ETH1_VOTES_LIMIT = 2048  # EPOCHS_PER_ETH1_VOTING_PERIOD * SLOTS_PER_EPOCH
SYNC_COMMITTEE_SIZE = 512
PENDING_DEPOSITS_LIMIT = 2**27
PENDING_PARTIAL_WITHDRAWALS_LIMIT = 2**27
PENDING_CONSOLIDATIONS_LIMIT = 2**18
SECONDS_PER_YEAR = 31_556_952
ETH1_ADDRESS_WITHDRAWAL_PREFIX = b"\x01"
DEPOSIT_EVENT_TOPIC = int.from_bytes(keccak(text="DepositEvent(bytes,bytes,bytes,bytes,bytes)"), "big")
# `validators` is field 11 of the BeaconState; `state_root` field 3 of the BeaconBlockHeader
VALIDATORS_FIELD = 11
STATE_ROOT_FIELD = 3


class Fork(Container):
    previous_version: Bytes4
    current_version: Bytes4
    epoch: Epoch


class Checkpoint(Container):
    epoch: Epoch
    root: Bytes32


class BeaconBlockHeader(Container):
    slot: Slot
    proposer_index: ValidatorIndex
    parent_root: Bytes32
    state_root: Bytes32
    body_root: Bytes32


class Eth1Data(Container):
    deposit_root: Bytes32
    deposit_count: uint64
    block_hash: Bytes32


class Validator(Container):
    pubkey: Bytes48
    withdrawal_credentials: Bytes32
    effective_balance: Gwei
    slashed: boolean
    activation_eligibility_epoch: Epoch
    activation_epoch: Epoch
    exit_epoch: Epoch
    withdrawable_epoch: Epoch


class SyncCommittee(Container):
    pubkeys: Vector[Bytes48, SYNC_COMMITTEE_SIZE]
    aggregate_pubkey: Bytes48


class ExecutionPayloadHeader(Container):
    parent_hash: Bytes32
    fee_recipient: Bytes20
    state_root: Bytes32
    receipts_root: Bytes32
    logs_bloom: ByteVector[256]
    prev_randao: Bytes32
    block_number: uint64
    gas_limit: uint64
    gas_used: uint64
    timestamp: uint64
    extra_data: ByteList[32]
    base_fee_per_gas: uint256
    block_hash: Bytes32
    transactions_root: Bytes32
    withdrawals_root: Bytes32
    blob_gas_used: uint64
    excess_blob_gas: uint64


class HistoricalSummary(Container):
    block_summary_root: Bytes32
    state_summary_root: Bytes32


class PendingDeposit(Container):
    pubkey: Bytes48
    withdrawal_credentials: Bytes32
    amount: Gwei
    signature: Bytes96
    slot: Slot


class PendingPartialWithdrawal(Container):
    validator_index: ValidatorIndex
    amount: Gwei
    withdrawable_epoch: Epoch


class PendingConsolidation(Container):
    source_index: ValidatorIndex
    target_index: ValidatorIndex


class BeaconState(Container):
    """The Electra BeaconState: 37 fields, so its tree has 64 leaves (height 6) and proofs 47 nodes."""

    genesis_time: uint64
    genesis_validators_root: Bytes32
    slot: Slot
    fork: Fork
    latest_block_header: BeaconBlockHeader
    block_roots: Vector[Bytes32, SLOTS_PER_HISTORICAL_ROOT]
    state_roots: Vector[Bytes32, SLOTS_PER_HISTORICAL_ROOT]
    historical_roots: List[Bytes32, HISTORICAL_ROOTS_LIMIT]
    eth1_data: Eth1Data
    eth1_data_votes: List[Eth1Data, ETH1_VOTES_LIMIT]
    eth1_deposit_index: uint64
    validators: List[Validator, VALIDATOR_REGISTRY_LIMIT]
    balances: List[Gwei, VALIDATOR_REGISTRY_LIMIT]
    randao_mixes: Vector[Bytes32, EPOCHS_PER_HISTORICAL_VECTOR]
    slashings: Vector[Gwei, EPOCHS_PER_SLASHINGS_VECTOR]
    previous_epoch_participation: List[uint8, VALIDATOR_REGISTRY_LIMIT]
    current_epoch_participation: List[uint8, VALIDATOR_REGISTRY_LIMIT]
    justification_bits: Bitvector[4]
    previous_justified_checkpoint: Checkpoint
    current_justified_checkpoint: Checkpoint
    finalized_checkpoint: Checkpoint
    inactivity_scores: List[uint64, VALIDATOR_REGISTRY_LIMIT]
    current_sync_committee: SyncCommittee
    next_sync_committee: SyncCommittee
    latest_execution_payload_header: ExecutionPayloadHeader
    next_withdrawal_index: uint64
    next_withdrawal_validator_index: ValidatorIndex
    historical_summaries: List[HistoricalSummary, HISTORICAL_ROOTS_LIMIT]
    deposit_requests_start_index: uint64
    deposit_balance_to_consume: Gwei
    exit_balance_to_consume: Gwei
    earliest_exit_epoch: Epoch
    consolidation_balance_to_consume: Gwei
    earliest_consolidation_epoch: Epoch
    pending_deposits: List[PendingDeposit, PENDING_DEPOSITS_LIMIT]
    pending_partial_withdrawals: List[PendingPartialWithdrawal, PENDING_PARTIAL_WITHDRAWALS_LIMIT]
    pending_consolidations: List[PendingConsolidation, PENDING_CONSOLIDATIONS_LIMIT]


def state_tree_depth(container_type) -> int:
    """Height of a container's field tree (fields padded to a power of two)."""
    count = len(container_type.fields())
    return max(count - 1, 0).bit_length()


def branch_of(backing, gindex: int) -> list[bytes]:
    """Sibling roots from the node at `gindex` up to the root (leaf level first), as the specs' branches."""
    nodes = []
    while gindex > 1:
        nodes.append(bytes(backing.getter(gindex ^ 1).merkle_root()))
        gindex >>= 1
    return nodes


# ------------------------------------------------------------------ deposits seen on the execution layer


@dataclass(frozen=True)
class Deposit:
    """A decoded `DepositEvent` (amount in gwei, index = the deposit's position in the deposit tree)."""

    pubkey: bytes
    withdrawal_credentials: bytes
    amount: int
    signature: bytes
    index: int


# (deposit contract address, deposit index) -> Deposit: filled by a hook on every titanoboa execution.
_SEEN_DEPOSITS: dict[tuple[bytes, int], Deposit] = {}


def _capture_deposits(computation) -> None:
    if computation.is_error:
        return
    for address, topics, data in computation.get_log_entries():
        if topics and topics[0] == DEPOSIT_EVENT_TOPIC:
            pubkey, wc, amount, signature, index = abi_decode(["bytes"] * 5, data)
            index = int.from_bytes(index, "little")
            _SEEN_DEPOSITS[(bytes(address), index)] = Deposit(
                bytes(pubkey), bytes(wc), int.from_bytes(amount, "little"), bytes(signature), index
            )


def watch_deposits() -> None:
    """Record every `DepositEvent` emitted from now on in this process (idempotent).

    titanoboa keeps no log history, so the model hooks its executions, as a beacon node follows the
    deposit contract's logs. Create the `BeaconChain` (or call this) before the deposits it must see.
    """
    on_every_execution(_capture_deposits)


_DEPOSIT_ROOTS: dict[tuple, bytes] = {}


def deposit_root_of(deposit_contract) -> bytes:
    """`deposit_contract.get_deposit_root()`, remembered by everything that call reads: the contract's code
    and the storage its root is computed from (the count, the branch and the zero hashes). The model asks
    for it at every block (about 10 ms of EVM, 32 sha256 calls, for a read of 65 slots); the same code and
    storage give the same root, whatever titanoboa rolled back in between. A handle without titanoboa's
    storage view (a contract on a node) is simply asked."""
    storage = getattr(deposit_contract, "_storage", None)
    if storage is None:
        return bytes(deposit_contract.get_deposit_root())
    key = (
        boa.env.get_code(deposit_contract.address),
        storage.deposit_count.get(),
        tuple(storage.branch.get()),
        tuple(storage.zero_hashes.get()),
    )
    root = _DEPOSIT_ROOTS.get(key)
    if root is None:
        if len(_DEPOSIT_ROOTS) >= 4096:
            _DEPOSIT_ROOTS.clear()
        root = _DEPOSIT_ROOTS[key] = bytes(deposit_contract.get_deposit_root())
    return root


@lru_cache(maxsize=4096)
def is_valid_deposit_signature(
    pubkey: bytes, withdrawal_credentials: bytes, amount: int, signature: bytes, fork_version: bytes
) -> bool:
    """The consensus specs' `is_valid_deposit_signature` (deposit domain of `fork_version`)."""
    try:
        message_root = _keys.deposit_message_root(pubkey, withdrawal_credentials, amount)
        signing_root = _keys.compute_signing_root(message_root, _keys.compute_deposit_domain(fork_version))
        return bls_verify(pubkey, signing_root, signature)
    except Exception:  # malformed point encodings are invalid signatures, as on the beacon chain
        return False


_G1_INFINITY = bytes(ark.G1Point.identity().to_compressed_bytes())
_MINUS_G1 = -ark.G1Point()


def bls_verify(pubkey: bytes, message: bytes, signature: bytes) -> bool:
    """py_ecc's `G2ProofOfPossession.Verify`, computed by arkworks (as the consensus specs' BLS is): the
    public key a valid, non-infinity G1 point of the subgroup, the signature a valid G2 point of the
    subgroup, and e(pk, H(message)) == e(g1, signature) with the proof-of-possession DST. py_ecc took
    0.36 s a verification, arkworks 3 ms (`tests/beacon/test_model_shortcuts.py` holds the two equal)."""
    try:
        point = ark.G1Point.from_compressed_bytes(bytes(pubkey))
        sig = ark.G2Point.from_compressed_bytes(bytes(signature))
    except Exception:  # not a point's encoding
        return False
    if bytes(pubkey) == _G1_INFINITY or not point.is_in_subgroup() or not sig.is_in_subgroup():
        return False
    return bool(
        ark.GT.pairing_check([point, _MINUS_G1], [ark.G2Point.hash_to_curve(bytes(message), _bls.DST), sig])
    )


# ------------------------------------------------------------------------------------------ the chain


@dataclass
class ValidatorRecord:
    """One validator of the registry and its balance (gwei), in plain Python."""

    pubkey: bytes
    withdrawal_credentials: bytes
    effective_balance: int
    balance: int
    activation_eligibility_epoch: int = FAR_FUTURE_EPOCH
    activation_epoch: int = FAR_FUTURE_EPOCH
    exit_epoch: int = FAR_FUTURE_EPOCH
    withdrawable_epoch: int = FAR_FUTURE_EPOCH
    withdrawn: int = 0  # gwei paid to the withdrawal address so far
    rewarded: int = 0  # gwei of consensus rewards credited so far
    penalized: int = 0  # gwei taken by `BeaconChain.penalize` so far

    def ssz(self) -> Validator:
        return Validator(
            pubkey=Bytes48(self.pubkey),
            withdrawal_credentials=Bytes32(self.withdrawal_credentials),
            effective_balance=Gwei(self.effective_balance),
            slashed=boolean(False),
            activation_eligibility_epoch=Epoch(self.activation_eligibility_epoch),
            activation_epoch=Epoch(self.activation_epoch),
            exit_epoch=Epoch(self.exit_epoch),
            withdrawable_epoch=Epoch(self.withdrawable_epoch),
        )

    def is_active(self, epoch: int) -> bool:
        return self.activation_epoch <= epoch < self.exit_epoch

    @property
    def withdrawal_address(self) -> str | None:
        """The 0x01 credentials' address (None for other credentials)."""
        if self.withdrawal_credentials[:1] != ETH1_ADDRESS_WITHDRAWAL_PREFIX:
            return None
        return to_checksum_address(self.withdrawal_credentials[12:])


@dataclass
class BeaconChain(BeaconClock, EigenProofsMixin):
    """The consensus layer as far as this protocol sees it (docs/protocol.md §9), run next to titanoboa's EVM.

    `process()` is one beacon block: it includes every deposit made since the last call (a new validator
    appears in the registry at once; a first deposit with an invalid BLS signature is ignored and its ETH
    lost; a later deposit to a known pubkey is a top-up, whatever its credentials and signature), lets
    the epochs since the last call pass (consensus rewards on active validators, activation once eligible
    and finalized, effective balances with the specs' hysteresis), processes up to 16 EIP-7002 requests
    (dequeued as the system address; a full exit of an active validator whose 0x01 credentials name the
    request's source, after SHARD_COMMITTEE_PERIOD epochs of activity), pays withdrawals (full ones once
    withdrawable, and the excess above 32 ETH) to the withdrawal address as a plain balance increase,
    builds the Electra BeaconState and its block header, and posts the block root to BeaconRoots at the
    current timestamp, which it returns. `validator_proof(pubkey)` proves a validator against that root.

    EigenLayer v1.12's proof arguments (deploy/sim/eigen_proofs.py): every posted block's `(state, header)` is
    kept by its timestamp (`block_at(timestamp)`; the blocks of the last 8191 * 12 s, at most 8191 of
    them), and `credential_proof_args(pubkeys, timestamp=None)`, `stale_balance_args(pubkey,
    timestamp=None)`, `checkpoint_proof_args(timestamp, pubkeys)` build the EigenPod's arguments against
    the block posted at `timestamp` (None: the last one).

    Simplifications (documented, none visible to the contracts): no exit or activation churn, no
    slashing, one proposer, rewards accrue at `annual_reward_bps` of the effective balance (counted per
    validator in `rewarded`), losses only when a test calls `penalize` (counted in `penalized`); block time is
    titanoboa's (`boa.env.time_travel`), epoch 0 starts at the manager's `beacon_genesis_time()` (at
    construction for a protocol without one).

    The model is plain Python next to a chain that titanoboa may roll back: create it per test (or per
    hypothesis example / state machine run), after the protocol is deployed and before the deposits.
    """

    protocol: object
    fork_version: bytes = bytes.fromhex(_keys.HOLESKY_FORK_VERSION)
    annual_reward_bps: int = 300
    genesis_time: int | None = None
    validators: list[ValidatorRecord] = field(default_factory=list)
    index_of: dict[bytes, int] = field(default_factory=dict)
    ignored_deposits: list[Deposit] = field(default_factory=list)
    paid: list[tuple[str, int]] = field(default_factory=list)  # (address, wei) withdrawals paid
    processed_requests: list[tuple[str, bytes, int]] = field(default_factory=list)
    next_deposit_index: int = 0
    last_epoch: int = 0
    last_timestamp: int | None = None
    last_block_root: bytes = b"\x00" * 32
    state: BeaconState | None = None
    header: BeaconBlockHeader | None = None

    def __post_init__(self):
        watch_deposits()
        self.fork_version = _keys.to_bytes(self.fork_version, 4, "fork_version")
        if self.genesis_time is None:  # the protocol's own clock when it has one (proven epochs -> time)
            genesis = getattr(getattr(self.protocol, "manager", None), "beacon_genesis_time", None)
            self.genesis_time = int(genesis()) if genesis is not None else boa.env.evm.patch.timestamp
        self.deposit_contract = self.protocol.deposit_contract
        self.beacon_roots = self.protocol.beacon_roots
        self.withdrawal_requests = self.protocol.withdrawal_requests
        self._block_roots: dict[int, bytes] = {}
        self._history = BlockHistory()
        # the deposit contract's count when the model starts must be covered by the hook's records
        self.next_deposit_index = 0

    # ------------------------------------------------------------------------------ registry
    def validator(self, pubkey: bytes) -> ValidatorRecord:
        """The registry entry of `pubkey` (KeyError when unknown)."""
        return self.validators[self.index_of[bytes(pubkey)]]

    def has_validator(self, pubkey: bytes) -> bool:
        return bytes(pubkey) in self.index_of

    def penalize(self, pubkey: bytes, gwei: int) -> None:
        """A loss of `gwei` on an active validator's balance (an inactivity leak, say: the model has no
        penalties of its own). The ETH leaves the chain; the effective balance follows at the next block
        (hysteresis), and so does the proof of a checkpoint."""
        v = self.validator(pubkey)
        if not v.is_active(self.epoch) or not 0 < gwei <= v.balance:
            raise ValueError("a penalty applies to an active validator, up to its balance")
        v.balance -= gwei
        v.penalized += gwei

    # ---------------------------------------------------------------------------- processing
    def process(self) -> int:
        """One beacon block at the current timestamp (see the class doc); returns the timestamp."""
        epoch = self.epoch
        self._pass_epochs(self.last_epoch, epoch)
        self._include_deposits(epoch)
        self._process_withdrawal_requests(epoch)
        self._update_registry(epoch)
        self._pay_withdrawals(epoch)
        self.last_epoch = epoch
        self._post_block()
        return self.last_timestamp

    def _pass_epochs(self, start: int, end: int) -> None:
        """Consensus rewards for each validator over the epochs (start, end] it was active in."""
        if end <= start:
            return
        for v in self.validators:
            first = max(start, v.activation_epoch)
            last = min(end, v.exit_epoch)
            if last > first and v.activation_epoch != FAR_FUTURE_EPOCH:
                reward = (
                    v.effective_balance
                    * self.annual_reward_bps
                    * (last - first)
                    * SECONDS_PER_EPOCH
                    // (10_000 * SECONDS_PER_YEAR)
                )
                v.balance += reward
                v.rewarded += reward

    def _include_deposits(self, epoch: int) -> None:
        count = int.from_bytes(bytes(self.deposit_contract.get_deposit_count()), "little")
        address = to_canonical_address(str(self.deposit_contract.address))
        while self.next_deposit_index < count:
            key = (address, self.next_deposit_index)
            if key not in _SEEN_DEPOSITS:
                raise RuntimeError(
                    f"deposit {self.next_deposit_index} was made before the model watched the deposit "
                    "contract: create the BeaconChain before the deposits"
                )
            self._apply_deposit(_SEEN_DEPOSITS[key])
            self.next_deposit_index += 1

    def _apply_deposit(self, d: Deposit) -> None:
        """The specs' `apply_deposit`: a known pubkey's top-up, else a new validator (valid signature)."""
        if d.pubkey in self.index_of:
            self.validators[self.index_of[d.pubkey]].balance += d.amount
            return
        if not is_valid_deposit_signature(
            d.pubkey, d.withdrawal_credentials, d.amount, d.signature, self.fork_version
        ):
            self.ignored_deposits.append(d)
            return
        effective = min(d.amount - d.amount % EFFECTIVE_BALANCE_INCREMENT, MAX_EFFECTIVE_BALANCE)
        self.index_of[d.pubkey] = len(self.validators)
        self.validators.append(ValidatorRecord(d.pubkey, d.withdrawal_credentials, effective, d.amount))

    def _process_withdrawal_requests(self, epoch: int) -> None:
        """One end-of-block EIP-7002 system call; the specs' `process_withdrawal_request` for full exits."""
        for source, pubkey, amount in dequeue_withdrawal_requests(self.withdrawal_requests):
            self.processed_requests.append((source, pubkey, amount))
            if amount != 0 or pubkey not in self.index_of:
                continue  # partial withdrawals need 0x02 credentials; unknown keys are ignored
            v = self.validator(pubkey)
            if v.withdrawal_address is None or v.withdrawal_address != to_checksum_address(source):
                continue
            if not v.is_active(epoch) or v.exit_epoch != FAR_FUTURE_EPOCH:
                continue
            if epoch < v.activation_epoch + SHARD_COMMITTEE_PERIOD:
                continue
            v.exit_epoch = epoch + 1 + MAX_SEED_LOOKAHEAD
            v.withdrawable_epoch = v.exit_epoch + MIN_VALIDATOR_WITHDRAWABILITY_DELAY

    def _update_registry(self, epoch: int) -> None:
        """Effective balances (hysteresis), activation eligibility, activation once finalized."""
        increment = EFFECTIVE_BALANCE_INCREMENT
        downward = increment // HYSTERESIS_QUOTIENT * HYSTERESIS_DOWNWARD_MULTIPLIER
        upward = increment // HYSTERESIS_QUOTIENT * HYSTERESIS_UPWARD_MULTIPLIER
        for v in self.validators:
            if v.balance + downward < v.effective_balance or v.effective_balance + upward < v.balance:
                v.effective_balance = min(v.balance - v.balance % increment, MAX_EFFECTIVE_BALANCE)
            if (
                v.activation_eligibility_epoch == FAR_FUTURE_EPOCH
                and v.effective_balance >= MIN_ACTIVATION_BALANCE
            ):
                v.activation_eligibility_epoch = epoch + 1
            # eligible once finalized (finality two epochs behind), activated after the seed lookahead
            if (
                v.activation_epoch == FAR_FUTURE_EPOCH
                and v.activation_eligibility_epoch != FAR_FUTURE_EPOCH
                and v.activation_eligibility_epoch + 2 <= epoch
            ):
                v.activation_epoch = v.activation_eligibility_epoch + 2 + 1 + MAX_SEED_LOOKAHEAD

    def _pay_withdrawals(self, epoch: int) -> None:
        """The withdrawal sweep: full withdrawals once withdrawable, the excess above 32 ETH otherwise."""
        for v in self.validators:
            address = v.withdrawal_address
            if address is None or v.balance == 0:
                continue
            if v.withdrawable_epoch <= epoch:
                amount = v.balance
            elif v.effective_balance == MAX_EFFECTIVE_BALANCE and v.balance > MAX_EFFECTIVE_BALANCE:
                amount = v.balance - MAX_EFFECTIVE_BALANCE
            else:
                continue
            v.balance -= amount
            v.withdrawn += amount
            wei = amount * GWEI
            # a beacon-chain withdrawal credits the balance without running the recipient's code
            boa.env.set_balance(address, boa.env.get_balance(address) + wei)
            self.paid.append((address, wei))

    def build_state(self) -> BeaconState:
        """The Electra BeaconState of the current registry."""
        slot = self.slot
        deposit_root = deposit_root_of(self.deposit_contract)
        state = BeaconState(
            genesis_time=uint64(self.genesis_time),
            slot=Slot(slot),
            fork=Fork(
                previous_version=Bytes4(self.fork_version),
                current_version=Bytes4(self.fork_version),
                epoch=Epoch(0),
            ),
            eth1_data=Eth1Data(
                deposit_root=Bytes32(deposit_root),
                deposit_count=uint64(self.next_deposit_index),
                block_hash=Bytes32(b"\x00" * 32),
            ),
            eth1_deposit_index=uint64(self.next_deposit_index),
            validators=List[Validator, VALIDATOR_REGISTRY_LIMIT](*(v.ssz() for v in self.validators)),
            balances=List[Gwei, VALIDATOR_REGISTRY_LIMIT](*(Gwei(v.balance) for v in self.validators)),
            finalized_checkpoint=Checkpoint(epoch=Epoch(max(self.epoch - 2, 0)), root=Bytes32(b"\x00" * 32)),
        )
        if self.header is not None:
            state.latest_block_header = self.header
        for s, root in self._block_roots.items():
            state.block_roots[s % SLOTS_PER_HISTORICAL_ROOT] = Bytes32(root)
        return state

    def _post_block(self) -> None:
        state = self.build_state()
        state_root = bytes(state.hash_tree_root())
        header = BeaconBlockHeader(
            slot=Slot(self.slot),
            proposer_index=ValidatorIndex(0),
            parent_root=Bytes32(self.last_block_root),
            state_root=Bytes32(state_root),
            body_root=Bytes32(keccak(self.now.to_bytes(32, "big") + state_root)),
        )
        block_root = bytes(header.hash_tree_root())
        self._block_roots = {s: r for s, r in self._block_roots.items() if s > self.slot - 64}
        self._block_roots[self.slot] = block_root
        self.state, self.header, self.last_block_root = state, header, block_root
        self.last_timestamp = post_beacon_root(self.beacon_roots, block_root)
        self._history.record(self.last_timestamp, state, header)

    # -------------------------------------------------------------------------------- proofs
    def validator_proof(self, pubkey: bytes) -> tuple:
        """`ValidatorProof` of `pubkey` against the last posted block root (docs/protocol.md §9 field order):
        `(beacon_state_root, state_root_proof[3], validator_index, validator_fields[8],
        validator_fields_proof[47])`."""
        if self.state is None:
            raise RuntimeError("no block posted yet: call process() first")
        index = self.index_of[bytes(pubkey)]
        if index >= len(self.state.validators):
            raise KeyError("validator not in the last posted state: call process() first")
        state_backing = self.state.get_backing()
        depth = state_tree_depth(BeaconState)
        list_gindex = (1 << depth) | VALIDATORS_FIELD  # the validators list's root
        leaf_gindex = ((list_gindex * 2) << 40) | index  # data subtree (left child), height 40
        validator = self.state.validators[index]
        fields = [bytes(validator.get_backing().getter(8 | i).merkle_root()) for i in range(8)]
        header_depth = state_tree_depth(BeaconBlockHeader)
        return (
            bytes(self.state.hash_tree_root()),
            branch_of(self.header.get_backing(), (1 << header_depth) | STATE_ROOT_FIELD),
            index,
            fields,
            branch_of(state_backing, leaf_gindex),
        )
