"""A beacon chain built on the executable consensus specs (Fulu, mainnet preset), next to titanoboa's EVM.

Interface note (for the EigenLayer v1.12 stand-ins, issue #15, and any other caller):

    chain = SpecBeaconChain(protocol, fork_version=...)   # before the deposits it must see
    ...deposits, EIP-7002 requests (EVM)...; chain.take_offline(pk); chain.slash(pk); ...
    timestamp = chain.process()        # posts the PARENT block root for the current timestamp (EIP-4788)
    chain.validator_proof(pk)          # ValidatorProof tuple (docs/protocol.md §9) against that root
    chain.balance_container_proof()    # (balances list root, branch to the block root)
    chain.balance_proof(pk)            # (pubkey hash, balance chunk, branch to the balances list root)
    chain.validator(pk)                # live view: balance, effective_balance, slashed, exit_epoch, withdrawn
    chain.block_at(timestamp)          # (state, header) posted at a timestamp (last 8191 * 12 s, <= 8191)
    chain.credential_proof_args(pks, timestamp=None), chain.stale_balance_args(pk, timestamp=None),
    chain.checkpoint_proof_args(timestamp, pks)   # EigenLayer v1.12's arguments (deploy/sim/eigen_proofs.py)
    chain.pending_deposits(pk), chain.paid, chain.processed_requests, chain.ignored_deposits, chain.state
    chain.reshared                     # (cluster, round, key) of each rotation whose key the model checked

- Keys: a validator's key never changes on the consensus layer, so at each completed seat rotation the model
  checks that the new set's shares give the cluster's key and that it is a validator's (deploy/sim/
  key_watch.py; `process()` raises `KeyChangedError` otherwise).

- Network: besides the protocol's validators, 4 of the network's own (2048 ETH, 0x02 credentials, keys of
  the spec's test helpers, active from genesis = the EVM time at construction): `chain.network_pubkeys`.

- State: the spec's own `BeaconState` (38 fields in Fulu, so a validator proof has 47 nodes, the Electra
  depth that contracts/lib/beacon_proofs.vy accepts), `hash_tree_root` and Merkle proofs from the spec.
- Timing: every deposit (a `DepositEvent`), EIP-7002 request (a `WithdrawalRequestAdded` log) and lever
  is recorded with the EVM time it was made at and included in the block of the next slot, whenever
  `process()` is called. Blocks exist at each epoch's first slot and at the slot after any event, so the
  chain does not depend on how often `process()` runs. `process()` advances the state to the last block
  before the current slot and posts that block's root, as the chain's EIP-4788 call does for the block of
  the current slot; proofs are against that block's post-state.
- Rules are the spec's: `process_slots` (epoch processing: pending deposits and churn, registry updates,
  rewards, penalties, inactivity, slashings, effective balances), `process_block_header`,
  `process_withdrawals` (the sweep), `process_operations` (deposit, withdrawal and consolidation requests)
  and `slash_validator`. A new validator appears in the registry only once its deposit is finalized and
  fits the churn (a few epochs), as on the chain; withdrawals are paid to the EVM when `process()` runs.
- Levers: `take_offline(pk)` / `bring_back(pk)` (no attestations: inactivity penalties; with enough
  stake offline, no finality and a leak), `set_network_online(n)` for the network's own validators,
  `slash(pk)` (the spec's `slash_validator`, as a proposer or attester slashing ends), `consolidate(src, dst)`
  and `switch_to_compounding(pk)` (EIP-7251 requests from the withdrawal address),
  `drop_withdrawal_requests(pk)` (the EIP-7002 requests for `pk` not yet in a block never reach the
  consensus layer: a dropped request, which the contracts cannot tell from one the chain honours).
- Consolidations between two validators need a consolidation churn above 32 ETH, which only a network of
  millions of ETH has: with this small network the spec drops them (the switch to 0x02 works).
- Not modelled (no effect on what the contracts see): signatures of blocks, RANDAO reveals (the mix stays
  the genesis one), eth1 votes, sync aggregates, and attestations in blocks: online validators get all
  three participation flags for each epoch, written at the epoch's last slot.

Speed: performance substitutes (deploy/sim/speed.py) in the style of the pyspec's own caches (`cache_this`),
installed on import (for every user of the spec module in the process) and proven equal to the spec's
functions by tests/beacon/test_spec_conformance.py; `exact_spec()` switches them off. A quiet epoch with
nine validators costs about 11 ms of CPU (64 ms before them). Every slot's state root is part of the
state, so no epoch is skipped: the chain is exact slot by slot.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import boa
from eth_abi import decode as abi_decode
from eth_consensus_specs.fulu import mainnet as spec
from eth_utils import keccak, to_canonical_address, to_checksum_address

from deploy import keys as _keys
from deploy.sim import key_watch
from deploy.sim.eigen_proofs import BlockHistory, EigenProofsMixin
from deploy.sim.speed import (
    exact_spec,  # noqa: F401 (installs the performance substitutes; re-exported)
    registry,
    uint_list,
)
from deploy.sim.system_calls import (
    BeaconClock,
    dequeue_withdrawal_requests,
    on_every_execution,
    post_beacon_root,
)

SECONDS_PER_SLOT = int(spec.config.SLOT_DURATION_MS) // 1000
SLOTS_PER_EPOCH = int(spec.SLOTS_PER_EPOCH)
SECONDS_PER_EPOCH = SECONDS_PER_SLOT * SLOTS_PER_EPOCH
FAR_FUTURE_EPOCH = int(spec.FAR_FUTURE_EPOCH)
SHARD_COMMITTEE_PERIOD = int(spec.config.SHARD_COMMITTEE_PERIOD)
GWEI = 10**9
# The network's own validators: consolidated (2048 ETH, 0x02), so the proposer and sync-committee sampling
# accept the first candidate; their stake dominates, so protocol validators offline do not stop finality.
NETWORK_VALIDATORS = 4
NETWORK_BALANCE = int(spec.MAX_EFFECTIVE_BALANCE_ELECTRA)
ALL_FLAGS = (
    spec.TIMELY_SOURCE_FLAG_INDEX,
    spec.TIMELY_TARGET_FLAG_INDEX,
    spec.TIMELY_HEAD_FLAG_INDEX,
)
DEPOSIT_EVENT_TOPIC = keccak(text="DepositEvent(bytes,bytes,bytes,bytes,bytes)")
WITHDRAWAL_REQUEST_TOPIC = keccak(text="WithdrawalRequestAdded(address,bytes,uint64,uint256)")


@contextlib.contextmanager
def deposit_fork_version(fork_version: bytes) -> Iterator[None]:
    """The deposit domain's fork version (the spec reads `config.GENESIS_FORK_VERSION`)."""
    original = spec.config
    spec.config = original._replace(GENESIS_FORK_VERSION=spec.Version(fork_version))
    try:
        yield
    finally:
        spec.config = original


# ============================================================================ genesis


@cache
def _genesis_template():
    from eth_consensus_specs.test.helpers.genesis import create_genesis_state

    state = create_genesis_state(spec, [NETWORK_BALANCE] * NETWORK_VALIDATORS, spec.MIN_ACTIVATION_BALANCE)
    state.eth1_deposit_index = 0
    state.eth1_data.deposit_count = 0
    state.deposit_requests_start_index = 0  # every deposit comes as an EIP-6110 request
    return state


def genesis_state(genesis_time: int):
    """A Fulu state at slot 0 with the network's validators active (a copy of one cached template)."""
    state = _genesis_template().copy()
    state.genesis_time = genesis_time
    return state


# ============================================================================= events


@dataclass(frozen=True)
class Event:
    """Something that happened on the EVM or through a lever at `slot`; `seq` keeps the order."""

    slot: int
    seq: int
    kind: str  # deposit | withdrawal | consolidation | slash | online
    payload: object


_SEQ = [0]
# (contract address, kind) -> events in the order the EVM made them
_LOGGED: dict[tuple[bytes, str], list[tuple[int, int, object]]] = {}


def _record(address: bytes, kind: str, payload) -> None:
    _SEQ[0] += 1
    _LOGGED.setdefault((address, kind), []).append((boa.env.evm.patch.timestamp, _SEQ[0], payload))


def _capture(computation) -> None:
    if computation.is_error:
        return
    for address, topics, data in computation.get_log_entries():
        if not topics:
            continue
        topic = topics[0].to_bytes(32, "big")
        if topic == DEPOSIT_EVENT_TOPIC:
            pubkey, wc, amount, signature, index = abi_decode(["bytes"] * 5, data)
            request = spec.DepositRequest(
                pubkey=pubkey,
                withdrawal_credentials=wc,
                amount=int.from_bytes(amount, "little"),
                signature=signature,
                index=int.from_bytes(index, "little"),
            )
            _record(bytes(address), "deposit", request)
        elif topic == WITHDRAWAL_REQUEST_TOPIC:
            pubkey, amount, _fee = abi_decode(["bytes", "uint64", "uint256"], data)
            source = topics[1].to_bytes(32, "big")[12:]
            request = spec.WithdrawalRequest(source_address=source, validator_pubkey=pubkey, amount=amount)
            _record(bytes(address), "withdrawal", request)
        elif watched := key_watch.decode(topic, topics, data):
            _record(bytes(address), *watched)


def _cursors(watched) -> dict[tuple[bytes, str], int]:
    """A cursor per (contract, kind), at the logs recorded so far: a chain sees what comes after it."""
    keys = [(to_canonical_address(str(contract.address)), kind) for contract, kind in watched]
    return {key: len(_LOGGED.get(key, [])) for key in keys}


def _unread(cursors: dict) -> list[tuple[int, int, str, object]]:
    """(timestamp, seq, kind, payload) of the logs recorded past `cursors`, which move past them."""
    unread = []
    for key, cursor in cursors.items():
        logged = _LOGGED.get(key, [])
        unread += [(timestamp, seq, key[1], payload) for timestamp, seq, payload in logged[cursor:]]
        cursors[key] = len(logged)
    return unread


def watch_logs() -> None:
    """Record every deposit and EIP-7002 request log from now on in this process (idempotent)."""
    on_every_execution(_capture)


# ========================================================================== the chain


class ValidatorView:
    """One validator of the registry, read live from the chain's current state (gwei, epochs): it follows
    later `process()` calls, as the old model's records did. After missed slots that state has moved past
    the last posted block (an epoch's processing may lie between them): proofs and what they show come
    from `block_at(timestamp)`."""

    def __init__(self, chain: ChainCore, index: int):
        self.chain, self.index = chain, index

    @property
    def _record(self):
        return self.chain.state.validators[self.index]

    pubkey = property(lambda self: bytes(self._record.pubkey))
    withdrawal_credentials = property(lambda self: bytes(self._record.withdrawal_credentials))
    effective_balance = property(lambda self: int(self._record.effective_balance))
    slashed = property(lambda self: bool(self._record.slashed))
    activation_eligibility_epoch = property(lambda self: int(self._record.activation_eligibility_epoch))
    activation_epoch = property(lambda self: int(self._record.activation_epoch))
    exit_epoch = property(lambda self: int(self._record.exit_epoch))
    withdrawable_epoch = property(lambda self: int(self._record.withdrawable_epoch))
    balance = property(lambda self: int(self.chain.state.balances[self.index]))
    withdrawn = property(lambda self: self.chain.withdrawn.get(self.index, 0))  # gwei paid out so far

    def is_active(self, epoch: int) -> bool:
        return self.activation_epoch <= epoch < self.exit_epoch

    @property
    def withdrawal_address(self) -> str | None:
        """The 0x01 / 0x02 credentials' address (None for BLS credentials)."""
        if self.withdrawal_credentials[:1] not in (b"\x01", b"\x02"):
            return None
        return to_checksum_address(self.withdrawal_credentials[12:])

    def __repr__(self) -> str:
        return f"ValidatorView({self.index}, {self._record})"


class ChainCore:
    """The spec state and the events still to include, without the EVM (the conformance tests drive it).

    `add_event(slot, kind, payload)` queues an event made at `slot`; `run_until(slot)` applies every block
    up to `slot` (the state stops at the last one); `offline` holds the pubkeys that do not attest."""

    def __init__(self, genesis_time: int, fork_version: bytes, state=None):
        self.genesis_time = genesis_time
        self.fork_version = fork_version
        self.state = genesis_state(genesis_time) if state is None else state
        self.network_pubkeys = [bytes(v.pubkey) for v in self.state.validators][:NETWORK_VALIDATORS]
        self.offline: set[bytes] = set()
        self.ignored_deposits: list = []  # spec PendingDeposits dropped (invalid signature)
        self._events: list[Event] = []  # recorded, not yet included
        self._credits: list[tuple[str, int]] = []  # withdrawals not yet paid to the EVM
        self.withdrawn: dict[int, int] = {}  # validator index -> gwei withdrawn so far
        self.block_state = None  # the post-state of the last block applied (a missed slot moves `state` on)

    def add_event(self, slot: int, kind: str, payload, seq: int | None = None) -> None:
        if seq is None:
            _SEQ[0] += 1
            seq = _SEQ[0]
        if slot < int(self.state.slot):
            raise RuntimeError("an event predates the processed chain (did the EVM's time go back?)")
        self._events.append(Event(slot, seq, kind, payload))
        self._events.sort(key=lambda e: (e.slot, e.seq))

    def run_until(self, slot: int) -> None:
        with deposit_fork_version(self.fork_version):
            run_until(self, slot)

    @property
    def index_of(self) -> dict[bytes, int]:
        return {bytes(v.pubkey): i for i, v in enumerate(self.state.validators)}


@dataclass
class SpecBeaconChain(ChainCore, BeaconClock, EigenProofsMixin, key_watch.KeyWatch):
    """The consensus layer as the executable specs define it (see the module doc for the interface)."""

    protocol: object
    fork_version: bytes = bytes.fromhex(_keys.HOLESKY_FORK_VERSION)
    genesis_time: int | None = None
    paid: list[tuple[str, int]] = field(default_factory=list)  # (address, wei) withdrawals paid to the EVM
    processed_requests: list[tuple[str, bytes, int]] = field(default_factory=list)  # dequeued from EIP-7002
    last_timestamp: int | None = None
    last_block_root: bytes = b"\x00" * 32

    def __post_init__(self):
        watch_logs()
        fork_version = _keys.to_bytes(self.fork_version, 4, "fork_version")
        genesis_time = boa.env.evm.patch.timestamp if self.genesis_time is None else self.genesis_time
        ChainCore.__init__(self, genesis_time, fork_version)
        self.deposit_contract = self.protocol.deposit_contract
        self.beacon_roots = self.protocol.beacon_roots
        self.withdrawal_requests = self.protocol.withdrawal_requests
        self._cursors = _cursors(
            ((self.deposit_contract, "deposit"), (self.withdrawal_requests, "withdrawal"))
        )
        # the key watch (deploy/sim/key_watch.py): formation keys, rotations, their shares and completions
        self._key_cursors = _cursors(
            (contract, kind)
            for name, kind in key_watch.WATCHED
            if (contract := getattr(self.protocol, name, None)) is not None
        )
        self._init_key_watch()
        self._history = BlockHistory()

    # --------------------------------------------------------------------------- registry
    def has_validator(self, pubkey: bytes) -> bool:
        return bytes(pubkey) in self.index_of

    def validator(self, pubkey: bytes) -> ValidatorView:
        """The registry entry of `pubkey` in the current state (KeyError when unknown)."""
        return ValidatorView(self, self.index_of[bytes(pubkey)])

    @property
    def validators(self) -> list[ValidatorView]:
        return [ValidatorView(self, i) for i in range(len(self.state.validators))]

    def pending_deposits(self, pubkey: bytes | None = None) -> list:
        return [d for d in self.state.pending_deposits if pubkey is None or bytes(d.pubkey) == bytes(pubkey)]

    # ----------------------------------------------------------------------------- levers
    def _lever(self, kind: str, payload) -> None:
        self.add_event(self.slot, kind, payload)

    def take_offline(self, pubkey: bytes) -> None:
        """From the current slot on, the validator does not attest (inactivity penalties, maybe a leak)."""
        self._lever("online", (bytes(pubkey), False))

    def bring_back(self, pubkey: bytes) -> None:
        self._lever("online", (bytes(pubkey), True))

    def set_network_online(self, count: int) -> None:
        """Only the first `count` of the network's own validators attest from now on."""
        for i, pubkey in enumerate(self.network_pubkeys):
            self._lever("online", (pubkey, i < count))

    def slash(self, pubkey: bytes) -> None:
        """A proposer or attester slashing of `pubkey` included in the next block (`slash_validator`)."""
        self._lever("slash", bytes(pubkey))

    def consolidate(self, source: bytes, target: bytes, source_address: str | None = None) -> None:
        """An EIP-7251 consolidation request (from the source's withdrawal address by default)."""
        if source_address is None:
            source_address = self.validator(source).withdrawal_address
        request = spec.ConsolidationRequest(
            source_address=to_canonical_address(source_address),
            source_pubkey=bytes(source),
            target_pubkey=bytes(target),
        )
        self._lever("consolidation", request)

    def switch_to_compounding(self, pubkey: bytes) -> None:
        """0x01 -> 0x02 credentials: a consolidation request with source = target."""
        self.consolidate(pubkey, pubkey)

    def drop_withdrawal_requests(self, pubkey: bytes) -> int:
        """The chain drops the EIP-7002 requests for `pubkey` not yet in a block: they never reach the
        consensus layer (no exit, no partial withdrawal), without a trace the contracts could tell from a
        request it honours. Only the consensus side forgets them: the EIP-7002 contract's queue is dequeued
        by the end-of-block call as for any request (`process()`, `processed_requests`). Requests made
        after this call are included as usual. Returns how many were dropped."""
        self._collect_logs()
        pubkey = bytes(pubkey)
        dropped = {
            e.seq
            for e in self._events
            if e.kind == "withdrawal" and bytes(e.payload.validator_pubkey) == pubkey
        }
        self._events = [e for e in self._events if e.seq not in dropped]
        return len(dropped)

    # ------------------------------------------------------------------------- processing
    def _collect_logs(self) -> None:
        for timestamp, seq, kind, payload in _unread(self._cursors):
            self.add_event(max(timestamp - self.genesis_time, 0) // SECONDS_PER_SLOT, kind, payload, seq)
        self.follow_keys(
            [(seq, kind, payload) for _timestamp, seq, kind, payload in _unread(self._key_cursors)]
        )

    def process(self) -> int:
        """Advance to the last block before the current slot, post its root for the current timestamp
        (EIP-4788), pay the withdrawals to the EVM and dequeue EIP-7002's queue; returns the timestamp."""
        self._collect_logs()
        self.run_until(self.slot - 1)
        for address, wei in self._credits:
            # a beacon-chain withdrawal credits the balance without running the recipient's code
            boa.env.set_balance(address, boa.env.get_balance(address) + wei)
            self.paid.append((address, wei))
        self._credits = []
        while requests := dequeue_withdrawal_requests(self.withdrawal_requests):
            self.processed_requests.extend(requests)
        self.last_block_root = bytes(spec.hash_tree_root(self.header))
        self.last_timestamp = post_beacon_root(self.beacon_roots, self.last_block_root)
        self._record_block()
        return self.last_timestamp

    def _record_block(self) -> None:
        """Keep the posted block's header and post-state for `block_at`. After a missed slot `state` has
        moved past the block (its header's state root is the block's post-state, no longer `state`), so
        the post-state of the last applied block is kept; before any block, `state` itself. A block
        whose post-state is not at hand (only: slots missed before the first block) is not kept."""
        state = self.state if self.block_state is None else self.block_state
        header = state.latest_block_header.copy()
        if header.state_root == spec.Bytes32():
            header.state_root = spec.hash_tree_root(state)
        if bytes(spec.hash_tree_root(header)) == self.last_block_root:
            self._history.record(self.last_timestamp, state, header)

    @property
    def header(self):
        """The last block's header, its state root filled in (as the next `process_slot` does)."""
        header = self.state.latest_block_header.copy()
        if header.state_root == spec.Bytes32():
            header.state_root = spec.hash_tree_root(self.state)
        return header

    # ----------------------------------------------------------------------------- proofs
    def validator_proof(self, pubkey: bytes) -> tuple:
        """`ValidatorProof` of `pubkey` against the last posted block root (docs/protocol.md §9 field order):
        `(beacon_state_root, state_root_proof[3], validator_index, validator_fields[8],
        validator_fields_proof[47])`."""
        index = self.index_of[bytes(pubkey)]
        validator = self.state.validators[index]
        fields = [bytes(validator.get_backing().getter(8 | i).merkle_root()) for i in range(8)]
        return (
            bytes(spec.hash_tree_root(self.state)),
            self._header_branch(),
            index,
            fields,
            _branch(self.state, spec.get_generalized_index(spec.BeaconState, "validators", index)),
        )

    def _header_branch(self) -> list[bytes]:
        return _branch(self.header, spec.get_generalized_index(spec.BeaconBlockHeader, "state_root"))

    def balance_container_proof(self) -> tuple[bytes, list[bytes]]:
        """The `balances` list root and its branch to the last posted block root (state branch first)."""
        gindex = spec.get_generalized_index(spec.BeaconState, "balances")
        branch = _branch(self.state, gindex) + self._header_branch()
        return bytes(spec.hash_tree_root(self.state.balances)), branch

    def balance_proof(self, pubkey: bytes) -> tuple[bytes, bytes, list[bytes]]:
        """`(pubkey_hash, balance_root, proof)`: the 32-byte chunk holding the validator's balance (four
        balances a chunk) and its branch to the `balances` list root (length mix-in last)."""
        index = self.index_of[bytes(pubkey)]
        gindex = spec.get_generalized_index(type(self.state.balances), index)
        chunk = bytes(self.state.balances.get_backing().getter(gindex).merkle_root())
        pubkey_hash = hashlib.sha256(bytes(pubkey) + b"\x00" * 16).digest()
        return pubkey_hash, chunk, _branch(self.state.balances, gindex)


def _branch(view, gindex) -> list[bytes]:
    return [bytes(node) for node in spec.compute_merkle_proof(view, gindex)]


# =================================================================== the block schedule


def _block_slots(chain: ChainCore, limit: int) -> Iterator[int]:
    """Slots after the state's slot, up to `limit`, that carry a block: each epoch's first slot and the slot
    after any event still to include."""
    current = int(chain.state.slot)
    while True:
        candidates = [(current // SLOTS_PER_EPOCH + 1) * SLOTS_PER_EPOCH]
        if chain._events:
            candidates.append(max(chain._events[0].slot + 1, current + 1))
        nxt = min(candidates)
        if nxt > limit:
            return
        yield nxt
        current = nxt


def run_until(chain: ChainCore, limit: int) -> None:
    """Apply every block with slot <= `limit` (the state stops at the last one)."""
    for slot in _block_slots(chain, limit):
        advance(chain, slot)
        if apply_block(chain):
            chain.block_state = chain.state.copy()  # a view on the same immutable tree: O(1)


def advance(chain: ChainCore, slot: int) -> None:
    """The spec's `process_slots` to `slot`, with each epoch's attestations written at its last slot."""
    state = chain.state
    while state.slot < slot:
        boundary = (int(state.slot) // SLOTS_PER_EPOCH + 1) * SLOTS_PER_EPOCH
        if slot < boundary:
            spec.process_slots(state, slot)
            return
        if state.slot < boundary - 1:
            spec.process_slots(state, boundary - 1)
        _apply_online_events(chain, boundary)
        attest(state, chain.offline)
        pending = list(state.pending_deposits) if len(state.pending_deposits) else []
        spec.process_slots(state, boundary)
        if pending:
            _note_ignored(chain, pending)


def _apply_online_events(chain: ChainCore, before_slot: int) -> None:
    keep = []
    for event in chain._events:
        if event.kind == "online" and event.slot < before_slot:
            pubkey, online = event.payload
            (chain.offline.discard if online else chain.offline.add)(pubkey)
        else:
            keep.append(event)
    chain._events = keep


def attest(state, offline: set[bytes]) -> None:
    """Every active, unslashed validator not `offline` gets the source, target and head flags for the
    current epoch (what its timely attestations would set through `process_attestation`)."""
    epoch = spec.get_current_epoch(state)
    validators = registry(state)
    skip = {i for i, v in enumerate(state.validators) if bytes(v.pubkey) in offline} if offline else set()
    participation = state.current_epoch_participation
    before = uint_list(participation)
    for index in map(int, spec.get_active_validator_indices(state, epoch)):
        if validators[index][1] or index in skip:  # slashed or offline
            continue
        flags = spec.ParticipationFlags(before[index])
        for flag in ALL_FLAGS:
            flags = spec.add_flag(flags, flag)
        if flags != before[index]:
            participation[index] = flags


_checksum = cache(to_checksum_address)


def _deposit_key(d) -> tuple:
    return (bytes(d.pubkey), bytes(d.withdrawal_credentials), int(d.amount), bytes(d.signature), int(d.slot))


def _note_ignored(chain: ChainCore, before: list) -> None:
    """Pending deposits that left the queue without a validator: the spec dropped them (bad signature)."""
    after = {_deposit_key(d) for d in chain.state.pending_deposits}
    known = chain.index_of
    chain.ignored_deposits.extend(
        d for d in before if _deposit_key(d) not in after and bytes(d.pubkey) not in known
    )


def apply_block(chain: ChainCore) -> bool:
    """A block at the state's slot: header, withdrawals sweep, execution payload header, the requests and
    slashings recorded before this slot (at most the payload's limits; the rest waits for the next block).
    A slashed or offline proposer misses its slot: no block (False), the events wait for the next slot."""
    state = chain.state
    slot = int(state.slot)
    _apply_online_events(chain, slot)
    proposer = state.validators[spec.get_beacon_proposer_index(state)]
    if proposer.slashed or bytes(proposer.pubkey) in chain.offline:
        return False
    events = [e for e in chain._events if e.slot < slot]
    deposits, withdrawals, consolidations, slashings, included = [], [], [], [], set()
    for e in events:
        if e.kind == "deposit" and len(deposits) < spec.MAX_DEPOSIT_REQUESTS_PER_PAYLOAD:
            deposits.append(e.payload)
        elif e.kind == "withdrawal" and len(withdrawals) < spec.MAX_WITHDRAWAL_REQUESTS_PER_PAYLOAD:
            withdrawals.append(e.payload)
        elif e.kind == "consolidation" and len(consolidations) < spec.MAX_CONSOLIDATION_REQUESTS_PER_PAYLOAD:
            consolidations.append(e.payload)
        elif e.kind == "slash" and len(slashings) < spec.MAX_PROPOSER_SLASHINGS:
            slashings.append(e.payload)
        else:
            continue
        included.add(e.seq)
    chain._events = [e for e in chain._events if e.seq not in included]

    expected = spec.get_expected_withdrawals(state)
    previous = state.latest_execution_payload_header
    payload = spec.ExecutionPayload(
        parent_hash=previous.block_hash,
        prev_randao=spec.get_randao_mix(state, spec.get_current_epoch(state)),
        block_number=previous.block_number + 1,
        timestamp=spec.compute_time_at_slot(state, state.slot),
        block_hash=hashlib.sha256(b"block" + slot.to_bytes(8, "little")).digest(),
        withdrawals=expected.withdrawals,
    )
    body = spec.BeaconBlockBody(
        execution_payload=payload,
        execution_requests=spec.ExecutionRequests(
            deposits=deposits, withdrawals=withdrawals, consolidations=consolidations
        ),
    )
    block = spec.BeaconBlock(
        slot=state.slot,
        proposer_index=spec.get_beacon_proposer_index(state),
        parent_root=spec.hash_tree_root(state.latest_block_header),
        body=body,
    )
    spec.process_block_header(state, block)
    spec.process_withdrawals(state, payload)
    spec.process_execution_payload(state, body, spec.EXECUTION_ENGINE)
    spec.process_operations(state, body)
    index_of = chain.index_of if slashings else {}
    for pubkey in slashings:
        index = index_of.get(pubkey)
        if index is not None and spec.is_slashable_validator(
            state.validators[index], spec.get_current_epoch(state)
        ):
            spec.slash_validator(state, index)
    for w in expected.withdrawals:
        chain._credits.append((_checksum(bytes(w.address)), int(w.amount) * GWEI))
        index = int(w.validator_index)
        chain.withdrawn[index] = chain.withdrawn.get(index, 0) + int(w.amount)
    return True
