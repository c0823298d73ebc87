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
def verify(block_root: bytes32, proof: beacon_proofs.ValidatorProof) -> bool:
    """
    @notice The module's verifier.
    @param block_root The beacon block root.
    @param proof The validator proof.
    @return bool Whether it checks.
    """
    return beacon_proofs._verify_validator_fields(block_root, proof)


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
