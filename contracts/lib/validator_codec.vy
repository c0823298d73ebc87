# pragma version ~=0.4.3
"""
@title validator_codec: an EigenPod's packed per-validator word
@custom:contract-name validator_codec
@license MIT
@notice One struct and one pack/unpack pair for the word an EigenPod keeps
        per validator (keyed by its pubkey root), so the pod never shifts or
        masks. `_pack` reverts ("validator_codec: <field> out of range") when
        a field does not fit; `_unpack` is its exact inverse.

        Word (field: bits, low bits first):
        validator_index 64 | restaked_balance_gwei 64 | last_timestamp 64 | status 8
@dev Stateless: constants, a struct and `@internal @pure` functions only.
"""

# @dev Validator statuses in an EigenPod (EigenLayer's VALIDATOR_STATUS).
STATUS_INACTIVE: constant(uint256) = 0  # never proven to this pod
STATUS_ACTIVE: constant(uint256) = 1  # credentials proven, shares counted
STATUS_WITHDRAWN: constant(uint256) = 2  # exit proven, shares removed

FIELD_BITS: constant(uint256) = 64
STATUS_BITS: constant(uint256) = 8
MASK_FIELD: constant(uint256) = (1 << FIELD_BITS) - 1
MASK_STATUS: constant(uint256) = (1 << STATUS_BITS) - 1
BALANCE_SHIFT: constant(uint256) = FIELD_BITS
TIMESTAMP_SHIFT: constant(uint256) = 2 * FIELD_BITS
STATUS_SHIFT: constant(uint256) = 3 * FIELD_BITS


struct ValidatorInfo:
    validator_index: uint256  # index in the beacon registry
    restaked_balance_gwei: uint256  # effective balance counted as shares (gwei)
    last_timestamp: uint256  # beacon timestamp of the last proof applied
    status: uint256  # STATUS_*


@internal
@pure
def _pack(info: ValidatorInfo) -> uint256:
    """
    @dev Packs a validator's record into one word.
    @param info The record.
    @return uint256 The word.
    """
    assert (
        info.validator_index <= MASK_FIELD
    ), "validator_codec: validator_index out of range"
    assert (
        info.restaked_balance_gwei <= MASK_FIELD
    ), "validator_codec: balance out of range"
    assert (
        info.last_timestamp <= MASK_FIELD
    ), "validator_codec: timestamp out of range"
    assert info.status <= MASK_STATUS, "validator_codec: status out of range"
    return (
        info.validator_index
        | (info.restaked_balance_gwei << BALANCE_SHIFT)
        | (info.last_timestamp << TIMESTAMP_SHIFT)
        | (info.status << STATUS_SHIFT)
    )


@internal
@pure
def _unpack(word: uint256) -> ValidatorInfo:
    """
    @dev Unpacks a validator's record (the zero word is an INACTIVE validator).
    @param word The word.
    @return ValidatorInfo The record.
    """
    return ValidatorInfo(
        validator_index=word & MASK_FIELD,
        restaked_balance_gwei=(word >> BALANCE_SHIFT) & MASK_FIELD,
        last_timestamp=(word >> TIMESTAMP_SHIFT) & MASK_FIELD,
        status=(word >> STATUS_SHIFT) & MASK_STATUS,
    )
