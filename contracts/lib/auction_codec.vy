# pragma version ~=0.4.3
"""
@title Auction codec
@custom:contract-name auction_codec
@license MIT
@notice Packs and unpacks the Auction's own storage words: its pricing
        configuration and pause flag (one word, read by every bid) and its
        clusters (two words each). The Auction speaks in the structs below.
@dev Layouts (low bits first):
     - config:  R (64) | max discount rate (16) | min duration (16)
                | max duration (16) | paused (1)
     - cluster: word 0 = bid ids 0-4 (40 bits each) | size (8)
                | min duration (16); word 1 = bid ids 5-6.
"""

from . import constants as c


struct Config:
    expected_daily_return: uint256
    max_discount_rate: uint256
    min_duration: uint256
    max_duration: uint256


struct Cluster:
    bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE]
    min_duration: uint256


FIELD_BITS: constant(uint256) = 16
FIELD_MASK: constant(uint256) = 2**16 - 1
RETURN_BITS: constant(uint256) = 64
IDS_PER_WORD: constant(uint256) = 5
SIZE_SHIFT: constant(uint256) = IDS_PER_WORD * c.BID_ID_BITS
MIN_SHIFT: constant(uint256) = SIZE_SHIFT + 8
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
        expected_daily_return=word & (2**RETURN_BITS - 1),
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


@internal
@pure
def pack_cluster(cluster: Cluster) -> uint256[2]:
    """
    @dev Packs a cluster into its two words (the second is 0 for clusters
         of five or fewer).
    @param cluster The cluster.
    @return uint256[2] The packed words.
    """
    assert (
        cluster.min_duration >> FIELD_BITS == 0
    ), "auction_codec: field overflow"
    words: uint256[2] = empty(uint256[2])
    for i: uint256 in range(len(cluster.bid_ids), bound=c.MAX_CLUSTER_SIZE):
        assert cluster.bid_ids[i] <= c.MAX_BID_ID, "auction_codec: id overflow"
        words[i // IDS_PER_WORD] |= cluster.bid_ids[i] << (
            c.BID_ID_BITS * (i % IDS_PER_WORD)
        )
    words[0] |= (len(cluster.bid_ids) << SIZE_SHIFT) | (
        cluster.min_duration << MIN_SHIFT
    )
    return words


@internal
@pure
def unpack_cluster(words: uint256[2]) -> Cluster:
    """
    @dev Unpacks a cluster.
    @param words The two packed words.
    @return Cluster The cluster.
    """
    cluster: Cluster = Cluster(bid_ids=[], min_duration=words[0] >> MIN_SHIFT)
    size: uint256 = (words[0] >> SIZE_SHIFT) & 255
    for i: uint256 in range(size, bound=c.MAX_CLUSTER_SIZE):
        cluster.bid_ids.append(
            (words[i // IDS_PER_WORD] >> (c.BID_ID_BITS * (i % IDS_PER_WORD)))
            & c.MAX_BID_ID
        )
    return cluster
