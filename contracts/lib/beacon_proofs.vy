# pragma version ~=0.4.3
"""
@title beacon_proofs
@custom:contract-name beacon_proofs
@license MIT
@notice Verifies a beacon-chain validator against a beacon block root with
        the consensus specs' sha256 Merkle branches (docs/protocol.md §9), and
        reads the validator's fields.
@dev Stateless module: `from ..lib import beacon_proofs` and call
     `beacon_proofs._verify_validator_fields(block_root, proof)` (no `uses:` or
     `initializes:` needed).
     The two branches, as `is_valid_merkle_branch` of the consensus specs
     (bit i of the index set: the node is the right child at height i):
     - block root -> state root: `BeaconBlockHeader` has 5 fields (8 leaves,
       height 3), `state_root` is field 3: 3 proof nodes, index 3.
     - state root -> validator, by the layout of the fork the proven state
       belongs to (`_layout_at`: chosen by the proven timestamp, never by
       the proof's length):
       - Deneb (`LAYOUT_DENEB`) and Electra/Fulu (`LAYOUT_ELECTRA`): the
         validator's root (its 8 fields merkleized) is leaf
         `validator_index` of the `validators` list (limit 2**40: data
         tree height 40), whose root is mixed in with the length (one more
         level), and the list is field 11 of the BeaconState. Index bits
         `(11 << 41) | validator_index`; 46 proof nodes for a 32-field
         state (Deneb: state tree height 5), 47 for a 64-field one (Electra
         37 fields, Fulu 38: height 6). Node 40 is the length mix-in.
       - Gloas (`LAYOUT_GLOAS`, EIP-7688): the state is a progressive
         container (`hash(merkleize_progressive(fields), active_fields)`)
         and `validators` a progressive list. `merkleize_progressive` puts
         1, 4, 16 ... leaves in successive left subtrees, the rest on the
         right: element `i` lies at level `k` with
         `(4**k - 1) / 3 <= i < (4**(k + 1) - 1) / 3`, offset `j` in a
         subtree of `4**k` leaves, so its branch is `2k` offset nodes, the
         level's node, `k` right turns and the length mix-in (node
         `3k + 1`), then field 11's 8 nodes up the state (generalized index
         358): `3k + 10` nodes.
       The index must be below the list's length (the mix-in node).
     Validator fields (8 chunks): 0 pubkey root `sha256(pubkey ‖ 16 zero
     bytes)`, 1 withdrawal credentials, 2 effective balance (gwei, uint64
     little endian), 3 slashed, 4 activation eligibility epoch, 5 activation
     epoch, 6 exit epoch, 7 withdrawable epoch.
"""

from . import constants as c

VALIDATOR_FIELD_COUNT: constant(uint256) = 8
VALIDATOR_TREE_HEIGHT: constant(uint256) = 40
VALIDATOR_REGISTRY_LIMIT: constant(uint256) = 2**40
VALIDATORS_FIELD_INDEX: constant(uint256) = 11
# @dev Proof layouts, by fork (`_layout_at`).
LAYOUT_DENEB: constant(uint256) = 0
LAYOUT_ELECTRA: constant(uint256) = 1
LAYOUT_GLOAS: constant(uint256) = 2
# @dev proof lengths: 40 (list data) + 1 (length mix-in) + state tree height
DENEB_PROOF_LENGTH: constant(uint256) = 46
ELECTRA_PROOF_LENGTH: constant(uint256) = 47
# @dev Gloas: `validators` (field 11) has generalized index 358 in the
# progressive state: 8 levels, path bits 358 - 2**8 (leaf level first).
GLOAS_FIELD_DEPTH: constant(uint256) = 8
GLOAS_VALIDATORS_PATH: constant(uint256) = 102
# @dev Deepest progressive level of a 2**40-entry registry ((4**20 - 1) / 3 < 2**40).
MAX_PROGRESSIVE_LEVEL: constant(uint256) = 20
# @dev Longest branch of any layout: Gloas at level 20, 3 * 20 + 10 nodes.
MAX_PROOF_LENGTH: constant(uint256) = 70
# @dev index of the length mix-in node in the validator branch
LENGTH_NODE_INDEX: constant(uint256) = 40
BLOCK_HEADER_HEIGHT: constant(uint256) = 3
STATE_ROOT_INDEX: constant(uint256) = 3
FAR_FUTURE_EPOCH: constant(uint64) = c.FAR_FUTURE_EPOCH
# @dev byte-swap masks of a uint64: 0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF, 0xFFFFFFFF
BYTE_MASK: constant(uint256) = 71777214294589695
HALF_MASK: constant(uint256) = 281470681808895
WORD_MASK: constant(uint256) = 4294967295

# @dev field positions in a validator's fields
PUBKEY_FIELD: constant(uint256) = 0
WITHDRAWAL_CREDENTIALS_FIELD: constant(uint256) = 1
EFFECTIVE_BALANCE_FIELD: constant(uint256) = 2
SLASHED_FIELD: constant(uint256) = 3
ACTIVATION_EPOCH_FIELD: constant(uint256) = 5
EXIT_EPOCH_FIELD: constant(uint256) = 6
WITHDRAWABLE_EPOCH_FIELD: constant(uint256) = 7


# @dev docs/protocol.md §9, in this field order (the ABI tuple callers send).
struct ValidatorProof:
    beacon_state_root: bytes32
    state_root_proof: bytes32[BLOCK_HEADER_HEIGHT]
    validator_index: uint64
    validator_fields: bytes32[VALIDATOR_FIELD_COUNT]
    validator_fields_proof: DynArray[bytes32, MAX_PROOF_LENGTH]


# @dev When each layout starts: a proof at 4788 timestamp `t` proves the
# parent block's state, so the first block of a fork still proves the old
# layout (`t <= electra`: Deneb, as EigenLayer's `_getProofVersion`).
struct ForkSchedule:
    electra: uint256  # timestamp of the first Electra block (0: from genesis)
    gloas: uint256  # timestamp of the first Gloas block (max: not scheduled)


@internal
@pure
def _verify_validator_fields(
    block_root: bytes32, proof: ValidatorProof, layout: uint256
) -> bool:
    """
    @dev Whether `proof` proves `proof.validator_fields` at
         `proof.validator_index` of the state under `block_root`, in the
         fork `layout` (`_layout_at` of the proven timestamp). Never
         reverts: a length other than the layout's, an index past the
         registry or the list's length, or any changed byte returns False.
    @param block_root The beacon block root (from EIP-4788).
    @param proof The validator proof.
    @param layout `LAYOUT_DENEB`, `LAYOUT_ELECTRA` or `LAYOUT_GLOAS`.
    @return bool True when both branches check.
    """
    if not self._verify_state_root(
        block_root, proof.beacon_state_root, proof.state_root_proof
    ):
        return False
    return self._verify_validator_in_state(
        proof.beacon_state_root,
        proof.validator_index,
        proof.validator_fields,
        proof.validator_fields_proof,
        layout,
    )


@internal
@pure
def _verify_at(
    block_root: bytes32, timestamp: uint256, proof: ValidatorProof
) -> bool:
    """
    @dev `_verify_validator_fields` in the layout the protocol's fork
         schedule (`c.ELECTRA_FORK_TIME`, `c.GLOAS_FORK_TIME`) gives the
         4788 timestamp `timestamp`: every caller chooses the layout alike.
    @param block_root The beacon block root read at `timestamp`.
    @param timestamp The EIP-4788 timestamp.
    @param proof The validator proof.
    @return bool True when both branches check.
    """
    return self._verify_validator_fields(
        block_root,
        proof,
        self._layout_at(
            timestamp,
            ForkSchedule(electra=c.ELECTRA_FORK_TIME, gloas=c.GLOAS_FORK_TIME),
        ),
    )


@internal
@pure
def _layout_at(timestamp: uint256, schedule: ForkSchedule) -> uint256:
    """
    @dev The layout of the state a proof at 4788 timestamp `timestamp`
         proves: the parent block's, so a fork's first block still proves
         the previous layout.
    @param timestamp The EIP-4788 timestamp the block root was read at.
    @param schedule When Electra and Gloas start.
    @return uint256 `LAYOUT_DENEB`, `LAYOUT_ELECTRA` or `LAYOUT_GLOAS`.
    """
    if timestamp <= schedule.electra:
        return LAYOUT_DENEB
    if timestamp <= schedule.gloas:
        return LAYOUT_ELECTRA
    return LAYOUT_GLOAS


@internal
@pure
def _verify_state_root(
    block_root: bytes32,
    state_root: bytes32,
    branch: bytes32[BLOCK_HEADER_HEIGHT],
) -> bool:
    """
    @dev Whether `state_root` is field 3 of the block header under `block_root`.
    @param block_root The beacon block root.
    @param state_root The beacon state root.
    @param branch The 3 sibling nodes, leaf level first.
    @return bool True when the branch checks.
    """
    node: bytes32 = state_root
    for i: uint256 in range(BLOCK_HEADER_HEIGHT):
        if (STATE_ROOT_INDEX >> i) & 1 == 1:
            node = sha256(concat(branch[i], node))
        else:
            node = sha256(concat(node, branch[i]))
    return node == block_root


@internal
@pure
def _verify_validator_in_state(
    state_root: bytes32,
    validator_index: uint64,
    validator_fields: bytes32[VALIDATOR_FIELD_COUNT],
    branch: DynArray[bytes32, MAX_PROOF_LENGTH],
    layout: uint256,
) -> bool:
    """
    @dev Whether the validator is at `validator_index` of the state's
         `validators` list, by the branch `layout` prescribes.
    @param state_root The beacon state root.
    @param validator_index The validator's index in the registry.
    @param validator_fields The validator's 8 field chunks.
    @param branch The sibling nodes, leaf level first.
    @param layout The fork's layout.
    @return bool True when the branch checks.
    """
    index: uint256 = convert(validator_index, uint256)
    if index >= VALIDATOR_REGISTRY_LIMIT:
        return False
    depth: uint256 = 0
    path: uint256 = 0
    length_node: uint256 = 0
    depth, path, length_node = self._validator_path(index, layout)
    if len(branch) != depth:
        return False
    # the list's length (little-endian uint256 in the mix-in chunk) must cover the index
    if index >= self._le_uint64(branch[length_node]):
        return False
    node: bytes32 = self._validator_root(validator_fields)
    for i: uint256 in range(MAX_PROOF_LENGTH):
        if i == depth:
            break
        if (path >> i) & 1 == 1:
            node = sha256(concat(branch[i], node))
        else:
            node = sha256(concat(node, branch[i]))
    return node == state_root


@internal
@pure
def _validator_path(
    index: uint256, layout: uint256
) -> (uint256, uint256, uint256):
    """
    @dev Where validator `index` sits under the state root in `layout`.
    @param index The validator's index (below the registry limit).
    @param layout The fork's layout.
    @return uint256 The branch's length (0 for an unknown layout).
    @return uint256 Its path bits, leaf level first (bit set: right child).
    @return uint256 The position of the length mix-in node in the branch.
    """
    if layout == LAYOUT_DENEB:
        return DENEB_PROOF_LENGTH, (
            VALIDATORS_FIELD_INDEX << (VALIDATOR_TREE_HEIGHT + 1)
        ) | index, LENGTH_NODE_INDEX
    if layout == LAYOUT_ELECTRA:
        return ELECTRA_PROOF_LENGTH, (
            VALIDATORS_FIELD_INDEX << (VALIDATOR_TREE_HEIGHT + 1)
        ) | index, LENGTH_NODE_INDEX
    if layout != LAYOUT_GLOAS:
        return 0, 0, 0
    level: uint256 = 0
    first: uint256 = 0
    size: uint256 = 1
    for k: uint256 in range(MAX_PROGRESSIVE_LEVEL):
        if index < first + size:
            break
        first += size
        size *= 4
        level += 1
    # offset in the level's subtree, its node (a left child: bit 0), then a
    # right turn per level above, then the length mix-in (data: bit 0)
    list_path: uint256 = (index - first) | ((2**level - 1) << (2 * level + 1))
    return 3 * level + 2 + GLOAS_FIELD_DEPTH, (
        GLOAS_VALIDATORS_PATH << (3 * level + 2)
    ) | list_path, 3 * level + 1


@internal
@pure
def _validator_root(fields: bytes32[VALIDATOR_FIELD_COUNT]) -> bytes32:
    """
    @dev `hash_tree_root(Validator)`: its 8 field chunks merkleized.
    @param fields The 8 field chunks.
    @return bytes32 The validator's root.
    """
    return sha256(
        concat(
            sha256(
                concat(
                    sha256(concat(fields[0], fields[1])),
                    sha256(concat(fields[2], fields[3])),
                )
            ),
            sha256(
                concat(
                    sha256(concat(fields[4], fields[5])),
                    sha256(concat(fields[6], fields[7])),
                )
            ),
        )
    )


@internal
@pure
def _pubkey_root(pubkey: Bytes[48]) -> bytes32:
    """
    @dev `hash_tree_root(BLSPubkey)`: sha256(pubkey ‖ 16 zero bytes), field 0 of a validator.
    @param pubkey The 48-byte BLS public key.
    @return bytes32 The pubkey root.
    """
    assert len(pubkey) == 48, "beacon_proofs: pubkey must be 48 bytes"
    return sha256(concat(pubkey, empty(bytes16)))


@internal
@pure
def _le_uint64(chunk: bytes32) -> uint256:
    """
    @dev The SSZ uint64 in the first 8 bytes of a chunk (little endian).
    @param chunk The 32-byte chunk.
    @return uint256 The integer (below 2**64).
    """
    x: uint256 = convert(chunk, uint256) >> 192
    # swap adjacent bytes, then adjacent 16-bit halves, then the 32-bit halves
    x = ((x >> 8) & BYTE_MASK) | ((x & BYTE_MASK) << 8)
    x = ((x >> 16) & HALF_MASK) | ((x & HALF_MASK) << 16)
    return (x >> 32) | ((x & WORD_MASK) << 32)


@internal
@pure
def _withdrawal_credentials(fields: bytes32[VALIDATOR_FIELD_COUNT]) -> bytes32:
    """
    @dev Field 1: the withdrawal credentials.
    @param fields The validator's fields.
    @return bytes32 The credentials.
    """
    return fields[WITHDRAWAL_CREDENTIALS_FIELD]


@internal
@pure
def _effective_balance_gwei(fields: bytes32[VALIDATOR_FIELD_COUNT]) -> uint64:
    """
    @dev Field 2: the effective balance in gwei.
    @param fields The validator's fields.
    @return uint64 The effective balance (gwei).
    """
    return convert(self._le_uint64(fields[EFFECTIVE_BALANCE_FIELD]), uint64)


@internal
@pure
def _slashed(fields: bytes32[VALIDATOR_FIELD_COUNT]) -> bool:
    """
    @dev Field 3: whether the validator was slashed.
    @param fields The validator's fields.
    @return bool The SSZ boolean.
    """
    return self._le_uint64(fields[SLASHED_FIELD]) != 0


@internal
@pure
def _activation_epoch(fields: bytes32[VALIDATOR_FIELD_COUNT]) -> uint64:
    """
    @dev Field 5: the activation epoch (FAR_FUTURE_EPOCH until activation is scheduled).
    @param fields The validator's fields.
    @return uint64 The epoch.
    """
    return convert(self._le_uint64(fields[ACTIVATION_EPOCH_FIELD]), uint64)


@internal
@pure
def _exit_epoch(fields: bytes32[VALIDATOR_FIELD_COUNT]) -> uint64:
    """
    @dev Field 6: the exit epoch (FAR_FUTURE_EPOCH until an exit is initiated).
    @param fields The validator's fields.
    @return uint64 The epoch.
    """
    return convert(self._le_uint64(fields[EXIT_EPOCH_FIELD]), uint64)


@internal
@pure
def _withdrawable_epoch(fields: bytes32[VALIDATOR_FIELD_COUNT]) -> uint64:
    """
    @dev Field 7: the withdrawable epoch (FAR_FUTURE_EPOCH until an exit is initiated).
    @param fields The validator's fields.
    @return uint64 The epoch.
    """
    return convert(self._le_uint64(fields[WITHDRAWABLE_EPOCH_FIELD]), uint64)
