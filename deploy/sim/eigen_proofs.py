"""EigenLayer v1.12's proof arguments from a beacon state and its block header (issue #15), and an
independent verifier of EigenLayer's rules (/work/shared/EIGENLAYER.md §3).

Pure functions over a remerkleable `(state, header)` pair: the state of the beacon chain (the spec's Fulu
`BeaconState` of deploy/sim/beacon.py), any fork's `BeaconState` of the consensus specs, or any
container with `validators` at field 11 and `balances` at field 12 (a Deneb-sized one of 17..32 fields
gives EigenLayer's DENEB shapes, 33..64 fields its PECTRA shapes); the header is a `BeaconBlockHeader`
whose `state_root` is the state's root. Everything is returned as plain Python values in ABI order, ready
for titanoboa (a struct is a tuple, `bytes32` is 32 `bytes`, a `proof` is the siblings bottom-up, 32 bytes
each):

    state_root_proof(state, header)             -> StateRootProof (state_root, proof[96])
    validator_fields(state, i)                  -> [bytes32] * 8
    validator_fields_proof(state, i)            -> bytes (41 + H siblings: 46 Deneb, 47 Electra/Fulu)
    credential_proof_args(state, header, t, is) -> verifyWithdrawalCredentials' 5 arguments
    stale_balance_args(state, header, t, i)     -> verifyStaleBalance's 3 arguments
    balance_container_proof(state, header)      -> BalanceContainerProof (balances root, 3 + H siblings)
    balance_proof(state, i)                     -> BalanceProof (pubkey hash, chunk i // 4, 39 siblings)
    checkpoint_proof_args(state, header, is)    -> verifyCheckpointProofs' 2 arguments

The verifier (`verify_*`) re-implements `Merkle.verifyInclusionSha256` and the four `BeaconChainProofs`
verifiers with hashlib only; it raises `ProofError` carrying EigenLayer's custom-error name where the
contract reverts.

`BlockHistory` keeps the `(state, header)` of every block a model posted, by its EIP-4788 timestamp, so
checkpoint proofs can be made against an older block; `EigenProofsMixin` gives a model `block_at` and the
three argument builders by pubkey.
"""

from __future__ import annotations

from collections import OrderedDict
from hashlib import sha256

from remerkleable.tree import Node, PairNode

# ------------------------------------------------------------------ EigenLayer's constants (§3.2)

BEACON_BLOCK_HEADER_TREE_HEIGHT = 3
DENEB_BEACON_STATE_TREE_HEIGHT = 5
PECTRA_BEACON_STATE_TREE_HEIGHT = 6
BALANCE_TREE_HEIGHT = 38
VALIDATOR_TREE_HEIGHT = 40
STATE_ROOT_INDEX = 3
VALIDATOR_CONTAINER_INDEX = 11
BALANCE_CONTAINER_INDEX = 12
VALIDATOR_FIELDS_LENGTH = 8
DENEB, PECTRA = 0, 1  # `BeaconChainProofs.ProofVersion`
STATE_TREE_HEIGHT = {DENEB: DENEB_BEACON_STATE_TREE_HEIGHT, PECTRA: PECTRA_BEACON_STATE_TREE_HEIGHT}
# EIP-4788 / EigenPod.getParentBlockRoot: a root is readable while block.timestamp - t < 8191 * 12
HISTORY_BUFFER_LENGTH = 8191
SECONDS_PER_SLOT = 12
ROOTS_WINDOW = HISTORY_BUFFER_LENGTH * SECONDS_PER_SLOT
ZERO = b"\x00" * 32


def _depth(count: int) -> int:
    return max(count - 1, 0).bit_length()


def _root(node) -> bytes:
    return bytes(node.merkle_root())


def _branch(backing, gindex: int) -> list[bytes]:
    """Sibling roots from the node at `gindex` up to `backing`'s root, bottom-up."""
    nodes = []
    while gindex > 1:
        nodes.append(_root(backing.getter(gindex ^ 1)))
        gindex >>= 1
    return nodes


def _concat(nodes: list[bytes]) -> bytes:
    return b"".join(nodes)


# ------------------------------------------------------------------ layout of a state


def state_height(state) -> int:
    """Height of the state's field tree, checking the fields EigenLayer proves sit where it expects them."""
    names = list(type(state).fields())
    if names[VALIDATOR_CONTAINER_INDEX : BALANCE_CONTAINER_INDEX + 1] != ["validators", "balances"]:
        raise ValueError("not a BeaconState: `validators` / `balances` are not fields 11 / 12")
    return _depth(len(names))


def proof_version(state) -> int:
    """EigenLayer's `ProofVersion` whose shapes fit the state: DENEB (height 5) or PECTRA (height 6)."""
    height = state_height(state)
    for version, h in STATE_TREE_HEIGHT.items():
        if h == height:
            return version
    raise ValueError(f"EigenLayer v1.12 has no proof version for a state tree of height {height}")


def _checked_index(state, index: int) -> int:
    index = int(index)
    if not 0 <= index < len(state.validators):
        raise IndexError(f"validator {index} is not in the state ({len(state.validators)} validators)")
    return index


def pubkey_hash(pubkey: bytes) -> bytes:
    """`hash_tree_root(BLSPubkey)`: sha256(pubkey ‖ 16 zero bytes), EigenPod's key of a validator."""
    if len(pubkey) != 48:
        raise ValueError("a BLS pubkey is 48 bytes")
    return sha256(bytes(pubkey) + bytes(16)).digest()


# ------------------------------------------------------------------ proof builders


def state_root_proof(state, header) -> tuple[bytes, bytes]:
    """`StateRootProof(beaconStateRoot, proof)`: the state root and its 3 siblings in the block header."""
    state_root = bytes(state.hash_tree_root())
    if bytes(header.state_root) != state_root:
        raise ValueError("the header's state_root is not the state's root")
    gindex = (1 << BEACON_BLOCK_HEADER_TREE_HEIGHT) | STATE_ROOT_INDEX
    return state_root, _concat(_branch(header.get_backing(), gindex))


def validator_fields(state, index: int) -> list[bytes]:
    """The 8 field roots of validator `index` (`bytes32[]` of `ValidatorProof`; field 0 = pubkey hash)."""
    validator = state.validators[_checked_index(state, index)]
    if len(type(validator).fields()) != VALIDATOR_FIELDS_LENGTH:
        raise ValueError("a Validator has 8 fields")
    backing = validator.get_backing()
    return [_root(backing.getter((1 << 3) | k)) for k in range(VALIDATOR_FIELDS_LENGTH)]


def validator_fields_proof(state, index: int) -> bytes:
    """Siblings from validator `index`'s container root up to the state root: 40 list levels, the
    list's length mix-in, then the H state levels (EigenLayer's index `(11 << 41) | index`)."""
    index = _checked_index(state, index)
    height = state_height(state)
    list_gindex = (1 << height) | VALIDATOR_CONTAINER_INDEX
    leaf_gindex = ((list_gindex << 1) << VALIDATOR_TREE_HEIGHT) | index
    return _concat(_branch(state.get_backing(), leaf_gindex))


def credential_proof_args(state, header, timestamp: int, indices) -> tuple:
    """The arguments of `verifyWithdrawalCredentials(uint64 beaconTimestamp, StateRootProof,
    uint40[] validatorIndices, bytes[] validatorFieldsProofs, bytes32[][] validatorFields)`."""
    indices = [_checked_index(state, i) for i in indices]
    return (
        int(timestamp),
        state_root_proof(state, header),
        indices,
        [validator_fields_proof(state, i) for i in indices],
        [validator_fields(state, i) for i in indices],
    )


def stale_balance_args(state, header, timestamp: int, index: int) -> tuple:
    """The arguments of `verifyStaleBalance(uint64 beaconTimestamp, StateRootProof, ValidatorProof)`;
    `ValidatorProof = (validatorFields, proof)`."""
    return (
        int(timestamp),
        state_root_proof(state, header),
        (validator_fields(state, index), validator_fields_proof(state, index)),
    )


def balance_container_proof(state, header) -> tuple[bytes, bytes]:
    """`BalanceContainerProof(balanceContainerRoot, proof)`: the `balances` list root and its siblings to
    the BLOCK root, state levels first then the header's 3 (index `(3 << H) | 12`)."""
    _, header_branch = state_root_proof(state, header)
    gindex = (1 << state_height(state)) | BALANCE_CONTAINER_INDEX
    return bytes(state.balances.hash_tree_root()), _concat(
        _branch(state.get_backing(), gindex)
    ) + header_branch


def balance_proof(state, index: int) -> tuple[bytes, bytes, bytes]:
    """`BalanceProof(pubkeyHash, balanceRoot, proof)`: the chunk `index // 4` of the balances (four
    little-endian uint64 a chunk) and its 38 + 1 siblings (length mix-in last) to the balances root."""
    index = _checked_index(state, index)
    gindex = (2 << BALANCE_TREE_HEIGHT) | (index // 4)  # the data subtree is the list root's left child
    backing = state.balances.get_backing()
    chunk = _root(backing.getter(gindex))
    return validator_fields(state, index)[0], chunk, _concat(_branch(backing, gindex))


def checkpoint_proof_args(state, header, indices) -> tuple:
    """The arguments of `verifyCheckpointProofs(BalanceContainerProof, BalanceProof[])`."""
    return balance_container_proof(state, header), [balance_proof(state, i) for i in indices]


# ------------------------------------------------------------------ the verifier (EigenLayer's rules)


class ProofError(Exception):
    """A check of EigenLayer's verifiers failed; `args[0]` is its custom error's name."""

    @property
    def error(self) -> str:
        return self.args[0]


def _sha(data: bytes) -> bytes:
    return sha256(data).digest()


def verify_inclusion_sha256(proof: bytes, root: bytes, leaf: bytes, index: int) -> bool:
    """`Merkle.verifyInclusionSha256`: `EmptyRoot`, `InvalidProofLength`, `InvalidIndex` (the index must
    be consumed by the siblings), then whether the computed root is `root`."""
    if bytes(root) == ZERO:
        raise ProofError("EmptyRoot")
    if len(proof) == 0 or len(proof) % 32:
        raise ProofError("InvalidProofLength")
    node = bytes(leaf)
    for k in range(0, len(proof), 32):
        sibling = bytes(proof[k : k + 32])
        node = _sha(node + sibling) if index % 2 == 0 else _sha(sibling + node)
        index //= 2
    if index != 0:
        raise ProofError("InvalidIndex")
    return node == bytes(root)


def merkleize_sha256(leaves: list[bytes]) -> bytes:
    """`Merkle.merkleizeSha256`: more than one leaf, a power of two."""
    if len(leaves) <= 1:
        raise ProofError("NotEnoughLeaves")
    if len(leaves) & (len(leaves) - 1):
        raise ProofError("LeavesNotPowerOfTwo")
    layer = [bytes(x) for x in leaves]
    while len(layer) > 1:
        layer = [_sha(layer[i] + layer[i + 1]) for i in range(0, len(layer), 2)]
    return layer[0]


def _require(condition: bool, error: str) -> None:
    if not condition:
        raise ProofError(error)


def verify_state_root(block_root: bytes, proof: tuple) -> bytes:
    """`BeaconChainProofs.verifyStateRoot`; returns the proven state root."""
    state_root, branch = proof
    _require(len(branch) == 32 * BEACON_BLOCK_HEADER_TREE_HEIGHT, "InvalidProofLength")
    _require(verify_inclusion_sha256(branch, block_root, state_root, STATE_ROOT_INDEX), "InvalidProof")
    return bytes(state_root)


def verify_validator_fields(
    version: int, state_root: bytes, fields: list[bytes], proof: bytes, validator_index: int
) -> None:
    """`BeaconChainProofs.verifyValidatorFields` (index a uint40)."""
    if not 0 <= validator_index < 2**40:
        raise ValueError("validatorIndex is a uint40")
    _require(len(fields) == VALIDATOR_FIELDS_LENGTH, "InvalidValidatorFieldsLength")
    siblings = VALIDATOR_TREE_HEIGHT + 1 + STATE_TREE_HEIGHT[version]
    _require(len(proof) == 32 * siblings, "InvalidProofLength")
    index = (VALIDATOR_CONTAINER_INDEX << (VALIDATOR_TREE_HEIGHT + 1)) | validator_index
    _require(verify_inclusion_sha256(proof, state_root, merkleize_sha256(fields), index), "InvalidProof")


def verify_balance_container(version: int, block_root: bytes, proof: tuple) -> bytes:
    """`BeaconChainProofs.verifyBalanceContainer`; returns the proven balances root."""
    container_root, branch = proof
    height = STATE_TREE_HEIGHT[version]
    _require(len(branch) == 32 * (BEACON_BLOCK_HEADER_TREE_HEIGHT + height), "InvalidProofLength")
    index = (STATE_ROOT_INDEX << height) | BALANCE_CONTAINER_INDEX
    _require(verify_inclusion_sha256(branch, block_root, container_root, index), "InvalidProof")
    return bytes(container_root)


def balance_at_index(balance_root: bytes, validator_index: int) -> int:
    """`BeaconChainProofs.getBalanceAtIndex`: the little-endian uint64 at byte 8·(i % 4) of the chunk."""
    offset = 8 * (validator_index % 4)
    return int.from_bytes(bytes(balance_root)[offset : offset + 8], "little")


def verify_validator_balance(balance_container_root: bytes, validator_index: int, proof: tuple) -> int:
    """`BeaconChainProofs.verifyValidatorBalance`; returns the balance in gwei (`pubkeyHash` is not
    part of the proof)."""
    _pubkey_hash, balance_root, branch = proof
    _require(len(branch) == 32 * (BALANCE_TREE_HEIGHT + 1), "InvalidProofLength")
    ok = verify_inclusion_sha256(branch, balance_container_root, balance_root, validator_index // 4)
    _require(ok, "InvalidProof")
    return balance_at_index(balance_root, validator_index)


def field_uint64(field: bytes) -> int:
    """A uint64 validator field (effective balance, epochs): little-endian in the first 8 bytes."""
    return int.from_bytes(bytes(field)[:8], "little")


def verify_credential_proof_args(block_root: bytes, args: tuple, version: int = PECTRA) -> list[list[bytes]]:
    """Every check `verifyWithdrawalCredentials` makes on its proofs, against the 4788 `block_root`;
    returns the proven validator fields."""
    _timestamp, srp, indices, proofs, fields = args
    _require(len(indices) == len(proofs) == len(fields), "InputArrayLengthMismatch")
    state_root = verify_state_root(block_root, srp)
    for index, proof, f in zip(indices, proofs, fields, strict=True):
        verify_validator_fields(version, state_root, f, proof, index)
    return [list(f) for f in fields]


def verify_stale_balance_args(
    block_root: bytes, args: tuple, validator_index: int, version: int = PECTRA
) -> list[bytes]:
    """The proof checks of `verifyStaleBalance` (the pod's stored `validator_index`); returns the fields."""
    _timestamp, srp, (fields, proof) = args
    state_root = verify_state_root(block_root, srp)
    verify_validator_fields(version, state_root, fields, proof, validator_index)
    return list(fields)


def verify_checkpoint_proof_args(
    block_root: bytes, args: tuple, validator_indices: list[int], version: int = PECTRA
) -> list[int]:
    """The proof checks of `verifyCheckpointProofs` against the checkpoint's block root, each balance
    proof at the pod's stored index of its validator; returns the proven balances (gwei)."""
    container, proofs = args
    balances_root = verify_balance_container(version, block_root, container)
    return [
        verify_validator_balance(balances_root, i, p) for i, p in zip(validator_indices, proofs, strict=True)
    ]


# ------------------------------------------------------------------ block history of a model


def share_subtrees(new: Node, old: Node) -> Node:
    """A tree with `new`'s roots that reuses every subtree of `old` with an equal root (same shape
    assumed: two states of one type). Only the paths where the two differ are walked and rebuilt, so even
    a state built from scratch costs the history only what changed since the previous block (the spec
    chain's states already share their unchanged nodes: the walk stops at once there)."""
    if new is old or new.merkle_root() == old.merkle_root():
        return old
    if new.is_leaf() or old.is_leaf():
        return new
    left = share_subtrees(new.get_left(), old.get_left())
    right = share_subtrees(new.get_right(), old.get_right())
    if left is new.get_left() and right is new.get_right():
        return new
    return PairNode(left, right)


class BlockHistory:
    """The `(state, header)` of each block a model posted to BeaconRoots, by its EIP-4788 timestamp.

    Bounded two ways: blocks whose timestamp is `ROOTS_WINDOW` (8191 · 12 s, EigenPod's
    `getParentBlockRoot` window) or more before the newest one are dropped, as no EigenPod can use them
    any more; and at most `max_blocks` (default 8191, one per BeaconRoots ring-buffer slot) are kept,
    the oldest dropped first. States are kept as views on their (immutable) remerkleable trees, each
    sharing every unchanged subtree with the block recorded before it (`share_subtrees`), so a block
    costs about what changed in it. Posting twice at one timestamp keeps the later block, as
    BeaconRoots does.

    Measured (tracemalloc, memory freed when the history is cleared): the spec chain (deploy/sim/beacon.py)
    about 12.5 KiB a block; `record` about 0.4 ms, under 1% of a `process()`. At the 8191-block cap that
    is about 100 MiB; one block an epoch fills the 27.3 h window with 256."""

    def __init__(self, max_blocks: int = HISTORY_BUFFER_LENGTH, window: int = ROOTS_WINDOW):
        self.max_blocks, self.window = max_blocks, window
        self._blocks: OrderedDict[int, tuple] = OrderedDict()

    def record(self, timestamp: int, state, header) -> None:
        timestamp = int(timestamp)
        backing = state.get_backing()
        if self._blocks:
            previous = next(reversed(self._blocks.values()))[0]
            if type(previous) is type(state):
                backing = share_subtrees(backing, previous.get_backing())
        kept = type(state).view_from_backing(backing)
        if kept.hash_tree_root() != state.hash_tree_root():  # cannot happen: equal roots are shared
            raise AssertionError("the kept state's root differs from the posted state's")
        self._blocks.pop(timestamp, None)
        self._blocks[timestamp] = (kept, header.copy())
        while self._blocks:
            oldest = next(iter(self._blocks))
            if len(self._blocks) > self.max_blocks or oldest <= timestamp - self.window:
                del self._blocks[oldest]
            else:
                break

    def at(self, timestamp: int | None = None) -> tuple:
        """The `(state, header)` posted at `timestamp` (None: the last posted block)."""
        if not self._blocks:
            raise LookupError("no block posted yet: call process() first")
        if timestamp is None:
            return next(reversed(self._blocks.values()))
        try:
            return self._blocks[int(timestamp)]
        except KeyError:
            raise LookupError(
                f"no block posted at timestamp {timestamp} (or no longer kept: the history holds "
                f"{len(self._blocks)} blocks from {next(iter(self._blocks))})"
            ) from None

    @property
    def last_timestamp(self) -> int | None:
        return next(reversed(self._blocks)) if self._blocks else None

    def timestamps(self) -> list[int]:
        return list(self._blocks)

    def __len__(self) -> int:
        return len(self._blocks)


class EigenProofsMixin:
    """EigenLayer-shaped proof arguments from a model's posted blocks (`self._history: BlockHistory`,
    filled by the model whenever it posts a root; `self.index_of`: pubkey -> validator index)."""

    _history: BlockHistory

    def block_at(self, timestamp: int | None = None) -> tuple:
        """`(state, header)` of the block whose root the model posted at `timestamp` (None: the last)."""
        return self._history.at(timestamp)

    def _timestamp(self, timestamp: int | None) -> int:
        return self._history.last_timestamp if timestamp is None else int(timestamp)

    def _index_in(self, state, pubkey: bytes) -> int:
        index = self.index_of[bytes(pubkey)]
        if index >= len(state.validators) or bytes(state.validators[index].pubkey) != bytes(pubkey):
            raise KeyError("validator not in that block's state")
        return index

    def credential_proof_args(self, pubkeys, timestamp: int | None = None) -> tuple:
        """`verifyWithdrawalCredentials`' arguments for `pubkeys` against the block posted at `timestamp`."""
        state, header = self.block_at(timestamp)
        indices = [self._index_in(state, pk) for pk in pubkeys]
        return credential_proof_args(state, header, self._timestamp(timestamp), indices)

    def stale_balance_args(self, pubkey: bytes, timestamp: int | None = None) -> tuple:
        """`verifyStaleBalance`'s arguments for `pubkey` against the block posted at `timestamp`."""
        state, header = self.block_at(timestamp)
        return stale_balance_args(state, header, self._timestamp(timestamp), self._index_in(state, pubkey))

    def checkpoint_proof_args(self, timestamp: int | None, pubkeys) -> tuple:
        """`verifyCheckpointProofs`' arguments for `pubkeys` against the block posted at the checkpoint's
        `timestamp` (`currentCheckpointTimestamp`; None: the last posted block)."""
        state, header = self.block_at(timestamp)
        return checkpoint_proof_args(state, header, [self._index_in(state, pk) for pk in pubkeys])
