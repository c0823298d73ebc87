# pragma version ~=0.4.3
"""
@title eigen_proofs
@custom:contract-name eigen_proofs
@license MIT
@notice EigenLayer v1.12's `BeaconChainProofs` and `Merkle` (sha256 part):
        the proof structs its EigenPod takes, and their verifiers
        (EIGENLAYER.md §3).
@dev Stateless module. The structs are the ABI tuples of EigenLayer's
     `BeaconChainProofs.StateRootProof`, `ValidatorProof`,
     `BalanceContainerProof` and `BalanceProof`: a `proof` is the sibling
     nodes concatenated bottom-up, 32 bytes each. The bounds are above the
     longest valid proof, so a wrong length reaches the verifier's
     `InvalidProofLength` rather than failing ABI decoding.
"""

from . import beacon_proofs

# @dev EigenLayer's `BeaconChainProofs` constants.
BEACON_BLOCK_HEADER_TREE_HEIGHT: constant(uint256) = 3
DENEB_BEACON_STATE_TREE_HEIGHT: constant(uint256) = 5
PECTRA_BEACON_STATE_TREE_HEIGHT: constant(uint256) = 6
BALANCE_TREE_HEIGHT: constant(uint256) = 38
VALIDATOR_TREE_HEIGHT: constant(uint256) = 40
VALIDATOR_FIELDS_LENGTH: constant(uint256) = 8
# @dev ABI bounds (see @dev above)
MAX_VALIDATOR_FIELDS: constant(uint256) = 16
MAX_STATE_ROOT_PROOF: constant(uint256) = 128
MAX_VALIDATOR_PROOF: constant(uint256) = 1600
MAX_BALANCE_CONTAINER_PROOF: constant(uint256) = 320
MAX_BALANCE_PROOF: constant(uint256) = 1280
# @dev Bound of the DelegationManager's strategy arrays (beacon-chain ETH is
# the only strategy here); interfaces read it from this module.
MAX_STRATEGIES: constant(uint256) = 8


struct StateRootProof:
    beaconStateRoot: bytes32
    proof: Bytes[MAX_STATE_ROOT_PROOF]


struct ValidatorProof:
    validatorFields: DynArray[bytes32, MAX_VALIDATOR_FIELDS]
    proof: Bytes[MAX_VALIDATOR_PROOF]


struct BalanceContainerProof:
    balanceContainerRoot: bytes32
    proof: Bytes[MAX_BALANCE_CONTAINER_PROOF]


struct BalanceProof:
    pubkeyHash: bytes32
    balanceRoot: bytes32
    proof: Bytes[MAX_BALANCE_PROOF]


# @dev EigenLayer's `BeaconChainProofs.ProofVersion`.
PROOF_VERSION_DENEB: constant(uint8) = 0
PROOF_VERSION_PECTRA: constant(uint8) = 1
# @dev Positions in the block header and the BeaconState.
STATE_ROOT_INDEX: constant(uint256) = 3
VALIDATOR_CONTAINER_INDEX: constant(uint256) = 11
BALANCE_CONTAINER_INDEX: constant(uint256) = 12
# @dev Validator field positions.
VALIDATOR_PUBKEY_INDEX: constant(uint256) = 0
VALIDATOR_WITHDRAWAL_CREDENTIALS_INDEX: constant(uint256) = 1
VALIDATOR_BALANCE_INDEX: constant(uint256) = 2
VALIDATOR_SLASHED_INDEX: constant(uint256) = 3
VALIDATOR_ACTIVATION_EPOCH_INDEX: constant(uint256) = 5
VALIDATOR_EXIT_EPOCH_INDEX: constant(uint256) = 6
FAR_FUTURE_EPOCH: constant(uint64) = beacon_proofs.FAR_FUTURE_EPOCH
# @dev Most siblings of any proof (the longest bound, 32 bytes each).
MAX_SIBLINGS: constant(uint256) = MAX_VALIDATOR_PROOF // 32


@internal
@pure
def _verify_inclusion_sha256(
    proof: Bytes[MAX_VALIDATOR_PROOF],
    root: bytes32,
    leaf: bytes32,
    index: uint256,
) -> bool:
    """
    @dev EigenLayer's `Merkle.verifyInclusionSha256`: whether `leaf` at
         `index` (the generalized index without its leading 1) leads to
         `root` through `proof`'s siblings, bottom-up. Reverts
         `EmptyRoot()` for a zero root, `InvalidProofLength()` unless the
         proof is a non-zero multiple of 32 bytes, `InvalidIndex()` when
         the index has bits above the proof's height.
    @param proof The siblings, 32 bytes each.
    @param root The expected root.
    @param leaf The leaf.
    @param index The leaf's position under the root.
    @return bool True when the computed root is `root`.
    """
    if root == empty(bytes32):
        raw_revert(method_id("EmptyRoot()", output_type=Bytes[4]))
    length: uint256 = len(proof)
    if length == 0 or length % 32 != 0:
        raw_revert(method_id("InvalidProofLength()", output_type=Bytes[4]))
    node: bytes32 = leaf
    path: uint256 = index
    for i: uint256 in range(MAX_SIBLINGS):
        if i == length // 32:
            break
        sibling: bytes32 = extract32(proof, i * 32)
        if path % 2 == 0:
            node = sha256(concat(node, sibling))
        else:
            node = sha256(concat(sibling, node))
        path //= 2
    if path != 0:
        raw_revert(method_id("InvalidIndex()", output_type=Bytes[4]))
    return node == root


@internal
@pure
def _merkleize_sha256(
    leaves: DynArray[bytes32, MAX_VALIDATOR_FIELDS],
) -> bytes32:
    """
    @dev EigenLayer's `Merkle.merkleizeSha256`: the sha256 root of a
         power-of-two number (at least 2) of leaves. Reverts
         `NotEnoughLeaves()` or `LeavesNotPowerOfTwo()`.
    @param leaves The leaves.
    @return bytes32 The root.
    """
    count: uint256 = len(leaves)
    if count <= 1:
        raw_revert(method_id("NotEnoughLeaves()", output_type=Bytes[4]))
    if count & (count - 1) != 0:
        raw_revert(method_id("LeavesNotPowerOfTwo()", output_type=Bytes[4]))
    layer: DynArray[bytes32, MAX_VALIDATOR_FIELDS] = leaves
    for _: uint256 in range(4):
        if count == 1:
            break
        count //= 2
        for i: uint256 in range(MAX_VALIDATOR_FIELDS // 2):
            if i == count:
                break
            layer[i] = sha256(concat(layer[2 * i], layer[2 * i + 1]))
    return layer[0]


@internal
@pure
def _beacon_state_tree_height(version: uint8) -> uint256:
    """
    @dev The BeaconState's tree height in a proof version.
    @param version `PROOF_VERSION_DENEB` or `PROOF_VERSION_PECTRA`.
    @return uint256 5 (Deneb) or 6 (Pectra, also Fulu).
    """
    if version == PROOF_VERSION_DENEB:
        return DENEB_BEACON_STATE_TREE_HEIGHT
    return PECTRA_BEACON_STATE_TREE_HEIGHT


@internal
@pure
def _verify_state_root(beacon_block_root: bytes32, proof: StateRootProof):
    """
    @dev EigenLayer's `verifyStateRoot`: the state root is field 3 of the
         block header. Reverts `InvalidProofLength()` unless 96 bytes, then
         the Merkle errors, then `InvalidProof()`.
    @param beacon_block_root The beacon block root (from EIP-4788).
    @param proof The state root and its 3 siblings.
    """
    if len(proof.proof) != 32 * BEACON_BLOCK_HEADER_TREE_HEIGHT:
        raw_revert(method_id("InvalidProofLength()", output_type=Bytes[4]))
    if not self._verify_inclusion_sha256(
        proof.proof, beacon_block_root, proof.beaconStateRoot, STATE_ROOT_INDEX
    ):
        raw_revert(method_id("InvalidProof()", output_type=Bytes[4]))


@internal
@pure
def _verify_validator_fields(
    version: uint8,
    beacon_state_root: bytes32,
    validator_fields: DynArray[bytes32, MAX_VALIDATOR_FIELDS],
    validator_fields_proof: Bytes[MAX_VALIDATOR_PROOF],
    validator_index: uint40,
):
    """
    @dev EigenLayer's `verifyValidatorFields`. Reverts
         `InvalidValidatorFieldsLength()` unless 8 fields,
         `InvalidProofLength()` unless 32 * (41 + state height) bytes (1472
         Deneb, 1504 Pectra), then the Merkle errors, then `InvalidProof()`.
    @param version The proof version.
    @param beacon_state_root The beacon state root.
    @param validator_fields The validator's 8 fields.
    @param validator_fields_proof The siblings up to the state root.
    @param validator_index The validator's index.
    """
    if len(validator_fields) != VALIDATOR_FIELDS_LENGTH:
        raw_revert(
            method_id("InvalidValidatorFieldsLength()", output_type=Bytes[4])
        )
    height: uint256 = self._beacon_state_tree_height(version)
    if len(validator_fields_proof) != 32 * (VALIDATOR_TREE_HEIGHT + 1 + height):
        raw_revert(method_id("InvalidProofLength()", output_type=Bytes[4]))
    index: uint256 = (
        VALIDATOR_CONTAINER_INDEX << (VALIDATOR_TREE_HEIGHT + 1)
    ) | convert(validator_index, uint256)
    if not self._verify_inclusion_sha256(
        validator_fields_proof,
        beacon_state_root,
        self._merkleize_sha256(validator_fields),
        index,
    ):
        raw_revert(method_id("InvalidProof()", output_type=Bytes[4]))


@internal
@pure
def _verify_balance_container(
    version: uint8, beacon_block_root: bytes32, proof: BalanceContainerProof
):
    """
    @dev EigenLayer's `verifyBalanceContainer`: the `balances` list root
         against the block root (header and state in one proof). Reverts
         `InvalidProofLength()` unless 32 * (3 + state height) bytes (256
         Deneb, 288 Pectra), then the Merkle errors, then `InvalidProof()`.
    @param version The proof version.
    @param beacon_block_root The beacon block root.
    @param proof The balances root and its siblings.
    """
    height: uint256 = self._beacon_state_tree_height(version)
    if len(proof.proof) != 32 * (BEACON_BLOCK_HEADER_TREE_HEIGHT + height):
        raw_revert(method_id("InvalidProofLength()", output_type=Bytes[4]))
    index: uint256 = (STATE_ROOT_INDEX << height) | BALANCE_CONTAINER_INDEX
    if not self._verify_inclusion_sha256(
        proof.proof, beacon_block_root, proof.balanceContainerRoot, index
    ):
        raw_revert(method_id("InvalidProof()", output_type=Bytes[4]))


@internal
@pure
def _verify_validator_balance(
    balance_container_root: bytes32,
    validator_index: uint40,
    proof: BalanceProof,
) -> uint64:
    """
    @dev EigenLayer's `verifyValidatorBalance`: the chunk holding validator
         `validator_index`'s balance (4 per chunk) under the balances root.
         Reverts `InvalidProofLength()` unless 1248 bytes, then the Merkle
         errors, then `InvalidProof()`.
    @param balance_container_root The `balances` list root.
    @param validator_index The validator's index.
    @param proof The chunk and its 39 siblings (`pubkeyHash` is not proven).
    @return uint64 The validator's current balance in gwei.
    """
    if len(proof.proof) != 32 * (BALANCE_TREE_HEIGHT + 1):
        raw_revert(method_id("InvalidProofLength()", output_type=Bytes[4]))
    index: uint256 = convert(validator_index, uint256)
    if not self._verify_inclusion_sha256(
        proof.proof, balance_container_root, proof.balanceRoot, index // 4
    ):
        raw_revert(method_id("InvalidProof()", output_type=Bytes[4]))
    return self._get_balance_at_index(proof.balanceRoot, validator_index)


@internal
@pure
def _get_balance_at_index(
    balance_root: bytes32, validator_index: uint40
) -> uint64:
    """
    @dev EigenLayer's `getBalanceAtIndex`: the little-endian uint64 at bytes
         `8 * (index % 4)` of the chunk.
    @param balance_root The balances chunk.
    @param validator_index The validator's index.
    @return uint64 The balance in gwei.
    """
    bits: uint256 = (convert(validator_index, uint256) % 4) * 64
    return convert(
        beacon_proofs._le_uint64(
            convert(convert(balance_root, uint256) << bits, bytes32)
        ),
        uint64,
    )


@internal
@pure
def _get_pubkey_hash(
    validator_fields: DynArray[bytes32, MAX_VALIDATOR_FIELDS],
) -> bytes32:
    """
    @dev Field 0: sha256(pubkey ‖ 16 zero bytes).
    @param validator_fields The validator's fields.
    @return bytes32 The pubkey hash.
    """
    return validator_fields[VALIDATOR_PUBKEY_INDEX]


@internal
@pure
def _get_withdrawal_credentials(
    validator_fields: DynArray[bytes32, MAX_VALIDATOR_FIELDS],
) -> bytes32:
    """
    @dev Field 1: the withdrawal credentials.
    @param validator_fields The validator's fields.
    @return bytes32 The credentials.
    """
    return validator_fields[VALIDATOR_WITHDRAWAL_CREDENTIALS_INDEX]


@internal
@pure
def _get_effective_balance_gwei(
    validator_fields: DynArray[bytes32, MAX_VALIDATOR_FIELDS],
) -> uint64:
    """
    @dev Field 2: the effective balance (gwei, little endian).
    @param validator_fields The validator's fields.
    @return uint64 The effective balance.
    """
    return convert(
        beacon_proofs._le_uint64(validator_fields[VALIDATOR_BALANCE_INDEX]),
        uint64,
    )


@internal
@pure
def _is_validator_slashed(
    validator_fields: DynArray[bytes32, MAX_VALIDATOR_FIELDS],
) -> bool:
    """
    @dev Field 3: slashed (any non-zero chunk).
    @param validator_fields The validator's fields.
    @return bool True when slashed.
    """
    return validator_fields[VALIDATOR_SLASHED_INDEX] != empty(bytes32)


@internal
@pure
def _get_activation_epoch(
    validator_fields: DynArray[bytes32, MAX_VALIDATOR_FIELDS],
) -> uint64:
    """
    @dev Field 5: the activation epoch (little endian).
    @param validator_fields The validator's fields.
    @return uint64 The epoch.
    """
    return convert(
        beacon_proofs._le_uint64(
            validator_fields[VALIDATOR_ACTIVATION_EPOCH_INDEX]
        ),
        uint64,
    )


@internal
@pure
def _get_exit_epoch(
    validator_fields: DynArray[bytes32, MAX_VALIDATOR_FIELDS],
) -> uint64:
    """
    @dev Field 6: the exit epoch (little endian).
    @param validator_fields The validator's fields.
    @return uint64 The epoch.
    """
    return convert(
        beacon_proofs._le_uint64(validator_fields[VALIDATOR_EXIT_EPOCH_INDEX]),
        uint64,
    )
