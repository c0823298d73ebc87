# pragma version ~=0.4.3
"""
@title CodecHarness
@custom:contract-name CodecHarness
@license MIT
@notice Test harness exposing `contracts/lib/validator_codec.vy`.
"""

from contracts.lib import validator_codec


@external
@pure
def pack(info: validator_codec.ValidatorInfo) -> uint256:
    """
    @notice The codec's pack.
    @param info The record.
    @return uint256 The word.
    """
    return validator_codec._pack(info)


@external
@pure
def unpack(word: uint256) -> validator_codec.ValidatorInfo:
    """
    @notice The codec's unpack.
    @param word The word.
    @return ValidatorInfo The record.
    """
    return validator_codec._unpack(word)
