# pragma version ~=0.4.3
"""
@title EigenProofHarness
@custom:contract-name EigenProofHarness
@license MIT
@notice Test harness exposing `contracts/lib/eigen_proofs.vy`'s verifiers.
"""

from contracts.lib import eigen_proofs


@external
@pure
def verifyStateRoot(
    beaconBlockRoot: bytes32, proof: eigen_proofs.StateRootProof
) -> bool:
    """
    @notice `eigen_proofs._verify_state_root` (reverts or returns True).
    @param beaconBlockRoot The block root.
    @param proof The state root proof.
    @return bool True when it checks.
    """
    eigen_proofs._verify_state_root(beaconBlockRoot, proof)
    return True


@external
@pure
def verifyValidatorFields(
    version: uint8,
    beaconStateRoot: bytes32,
    validatorFields: DynArray[bytes32, eigen_proofs.MAX_VALIDATOR_FIELDS],
    proof: Bytes[eigen_proofs.MAX_VALIDATOR_PROOF],
    validatorIndex: uint40,
) -> bool:
    """
    @notice `eigen_proofs._verify_validator_fields` (reverts or returns True).
    @param version The proof version.
    @param beaconStateRoot The state root.
    @param validatorFields The 8 fields.
    @param proof The branch.
    @param validatorIndex The validator's index.
    @return bool True when it checks.
    """
    eigen_proofs._verify_validator_fields(
        version, beaconStateRoot, validatorFields, proof, validatorIndex
    )
    return True


@external
@pure
def verifyBalanceContainer(
    version: uint8,
    beaconBlockRoot: bytes32,
    proof: eigen_proofs.BalanceContainerProof,
) -> bool:
    """
    @notice `eigen_proofs._verify_balance_container` (reverts or returns True).
    @param version The proof version.
    @param beaconBlockRoot The block root.
    @param proof The balance container proof.
    @return bool True when it checks.
    """
    eigen_proofs._verify_balance_container(version, beaconBlockRoot, proof)
    return True


@external
@pure
def verifyValidatorBalance(
    balanceContainerRoot: bytes32,
    validatorIndex: uint40,
    proof: eigen_proofs.BalanceProof,
) -> uint64:
    """
    @notice `eigen_proofs._verify_validator_balance`.
    @param balanceContainerRoot The balances root.
    @param validatorIndex The validator's index.
    @param proof The balance proof.
    @return uint64 The balance in gwei.
    """
    return eigen_proofs._verify_validator_balance(
        balanceContainerRoot, validatorIndex, proof
    )


@external
@pure
def verifyInclusionSha256(
    proof: Bytes[eigen_proofs.MAX_VALIDATOR_PROOF],
    root: bytes32,
    leaf: bytes32,
    index: uint256,
) -> bool:
    """
    @notice `eigen_proofs._verify_inclusion_sha256`.
    @param proof The siblings.
    @param root The root.
    @param leaf The leaf.
    @param index The leaf's index.
    @return bool True when it checks.
    """
    return eigen_proofs._verify_inclusion_sha256(proof, root, leaf, index)


@external
@pure
def merkleizeSha256(
    leaves: DynArray[bytes32, eigen_proofs.MAX_VALIDATOR_FIELDS],
) -> bytes32:
    """
    @notice `eigen_proofs._merkleize_sha256`.
    @param leaves The leaves.
    @return bytes32 The root.
    """
    return eigen_proofs._merkleize_sha256(leaves)


@external
@pure
def fieldsOf(
    validatorFields: DynArray[bytes32, eigen_proofs.MAX_VALIDATOR_FIELDS],
) -> (bytes32, bytes32, uint64, bool, uint64, uint64):
    """
    @notice The field getters.
    @param validatorFields The fields.
    @return bytes32 Pubkey hash.
    @return bytes32 Withdrawal credentials.
    @return uint64 Effective balance.
    @return bool Slashed.
    @return uint64 Activation epoch.
    @return uint64 Exit epoch.
    """
    return (
        eigen_proofs._get_pubkey_hash(validatorFields),
        eigen_proofs._get_withdrawal_credentials(validatorFields),
        eigen_proofs._get_effective_balance_gwei(validatorFields),
        eigen_proofs._is_validator_slashed(validatorFields),
        eigen_proofs._get_activation_epoch(validatorFields),
        eigen_proofs._get_exit_epoch(validatorFields),
    )
