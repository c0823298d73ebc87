# pragma version ~=0.4.3
"""
@title Auction codec
@custom:contract-name auction_codec
@license MIT
@notice Packs and unpacks the Auction's own storage words: its pricing
        configuration and pause flag (one word, read by every bid). The
        Auction speaks in the struct below.
@dev Layouts (low bits first):
     - config:  R (64) | max discount rate (16) | min duration (16)
                | max duration (16) | paused (1)
"""


struct Config:
    expected_daily_return: uint256
    max_discount_rate: uint256
    min_duration: uint256
    max_duration: uint256


FIELD_BITS: constant(uint256) = 16
FIELD_MASK: constant(uint256) = 2**FIELD_BITS - 1
RETURN_BITS: constant(uint256) = 64
RETURN_MASK: constant(uint256) = 2**RETURN_BITS - 1
# @dev The pause flag sits above the configuration's fields, so that a bid
# reads it with the configuration (one cold storage read instead of two).
PAUSED_SHIFT: constant(uint256) = RETURN_BITS + 3 * FIELD_BITS


@internal
@pure
def pack_config(config: Config) -> uint256:
    """
    @dev Packs the configuration (not paused); reverts if a field does not
         fit.
    @param config The configuration.
    @return uint256 The packed word.
    """
    assert (
        config.expected_daily_return >> RETURN_BITS == 0
    ), "auction_codec: field overflow"
    assert (
        config.max_discount_rate >> FIELD_BITS == 0
    ), "auction_codec: field overflow"
    assert (
        config.min_duration >> FIELD_BITS == 0
    ), "auction_codec: field overflow"
    assert (
        config.max_duration >> FIELD_BITS == 0
    ), "auction_codec: field overflow"
    return (
        config.expected_daily_return
        | (config.max_discount_rate << RETURN_BITS)
        | (config.min_duration << (RETURN_BITS + FIELD_BITS))
        | (config.max_duration << (RETURN_BITS + 2 * FIELD_BITS))
    )


@internal
@pure
def unpack_config(word: uint256) -> Config:
    """
    @dev Unpacks the configuration.
    @param word The packed word.
    @return Config The configuration.
    """
    return Config(
        expected_daily_return=word & RETURN_MASK,
        max_discount_rate=(word >> RETURN_BITS) & FIELD_MASK,
        min_duration=(word >> (RETURN_BITS + FIELD_BITS)) & FIELD_MASK,
        max_duration=(word >> (RETURN_BITS + 2 * FIELD_BITS)) & FIELD_MASK,
    )


@internal
@pure
def is_paused(word: uint256) -> bool:
    """
    @dev The pause flag of a configuration word.
    @param word The packed word.
    @return bool True when paused.
    """
    return (word >> PAUSED_SHIFT) & 1 == 1


@internal
@pure
def with_paused(word: uint256, paused: bool) -> uint256:
    """
    @dev A configuration word with its pause flag set or cleared.
    @param word The packed word.
    @param paused The new flag.
    @return uint256 The new word.
    """
    if paused:
        return word | (1 << PAUSED_SHIFT)
    return word & ~(1 << PAUSED_SHIFT)
