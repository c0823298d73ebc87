# pragma version ~=0.4.3
"""
@title ProofHarness
@custom:contract-name ProofHarness
@license MIT
@notice Test harness exposing `contracts/lib/beacon_proofs.vy`'s internals.
"""

from contracts.lib import beacon_proofs


@external
@pure
def verify(
    block_root: bytes32, proof: beacon_proofs.ValidatorProof, layout: uint256
) -> bool:
    """
    @notice The module's verifier, in a given layout.
    @param block_root The beacon block root.
    @param proof The validator proof.
    @param layout The fork's layout (`beacon_proofs.LAYOUT_*`).
    @return bool Whether it checks.
    """
    return beacon_proofs._verify_validator_fields(block_root, proof, layout)


@external
@pure
def verify_at(
    block_root: bytes32, timestamp: uint256, proof: beacon_proofs.ValidatorProof
) -> bool:
    """
    @notice The verifier every contract calls: the layout from the protocol's schedule.
    @param block_root The beacon block root read at `timestamp`.
    @param timestamp The EIP-4788 timestamp.
    @param proof The validator proof.
    @return bool Whether it checks.
    """
    return beacon_proofs._verify_at(block_root, timestamp, proof)


@external
@pure
def layout_at(
    timestamp: uint256, schedule: beacon_proofs.ForkSchedule
) -> uint256:
    """
    @notice The layout a proof at `timestamp` must have under `schedule`.
    @param timestamp The EIP-4788 timestamp.
    @param schedule When Electra and Gloas start.
    @return uint256 The layout.
    """
    return beacon_proofs._layout_at(timestamp, schedule)


@external
@pure
def validator_path(
    index: uint256, layout: uint256
) -> (uint256, uint256, uint256):
    """
    @notice Where a validator sits under the state root.
    @param index The validator's index.
    @param layout The fork's layout.
    @return uint256 The branch's length.
    @return uint256 Its path bits, leaf level first.
    @return uint256 The length mix-in's position in the branch.
    """
    return beacon_proofs._validator_path(index, layout)


@external
@pure
def validator_root(fields: bytes32[8]) -> bytes32:
    """
    @notice hash_tree_root of a validator from its fields.
    @param fields The 8 field chunks.
    @return bytes32 The root.
    """
    return beacon_proofs._validator_root(fields)


@external
@pure
def pubkey_root(pubkey: Bytes[48]) -> bytes32:
    """
    @notice sha256(pubkey ‖ 16 zero bytes).
    @param pubkey The BLS public key.
    @return bytes32 The root.
    """
    return beacon_proofs._pubkey_root(pubkey)


@external
@pure
def fields_of(
    fields: bytes32[8],
) -> (bytes32, uint64, bool, uint64, uint64, uint64):
    """
    @notice Every field reader at once.
    @param fields The 8 field chunks.
    @return bytes32 The withdrawal credentials.
    @return uint64 The effective balance (gwei).
    @return bool Whether the validator is slashed.
    @return uint64 The activation epoch.
    @return uint64 The exit epoch.
    @return uint64 The withdrawable epoch.
    """
    return (
        beacon_proofs._withdrawal_credentials(fields),
        beacon_proofs._effective_balance_gwei(fields),
        beacon_proofs._slashed(fields),
        beacon_proofs._activation_epoch(fields),
        beacon_proofs._exit_epoch(fields),
        beacon_proofs._withdrawable_epoch(fields),
    )
