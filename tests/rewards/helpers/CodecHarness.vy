# pragma version ~=0.4.3
"""
@title Test-only wrappers of contracts/lib/stream_codec.vy
@custom:contract-name CodecHarness
@license MIT
"""

from contracts.lib import constants as c
from contracts.lib import stream_codec as codec


@external
@pure
def pack_cluster(
    x: codec.Header, ids: DynArray[uint256, c.MAX_CLUSTER_SIZE]
) -> uint256[2]:
    """
    @notice `stream_codec.pack_cluster`.
    @param x The header.
    @param ids The bid ids (at most the cluster bound).
    @return uint256[2] The two packed words.
    """
    return codec.pack_cluster(x, ids)


@external
@pure
def unpack_header(word: uint256) -> codec.Header:
    """
    @notice `stream_codec.unpack_header`.
    @param word The first cluster word.
    @return codec.Header The unpacked header.
    """
    return codec.unpack_header(word)


@external
@pure
def with_status(word: uint256, status: uint256) -> uint256:
    """
    @notice `stream_codec.with_status`.
    @param word The first cluster word.
    @param status The new status.
    @return uint256 The word with `status` set.
    """
    return codec.with_status(word, status)


@external
@pure
def pack_stream(x: codec.Stream) -> uint256:
    """
    @notice `stream_codec.pack_stream`.
    @param x The stream.
    @return uint256 The packed word.
    """
    return codec.pack_stream(x)


@external
@pure
def unpack_stream(word: uint256) -> codec.Stream:
    """
    @notice `stream_codec.unpack_stream`.
    @param word The packed word.
    @return codec.Stream The unpacked stream.
    """
    return codec.unpack_stream(word)


@external
@pure
def pack_seat(x: codec.Seat) -> uint256:
    """
    @notice `stream_codec.pack_seat`.
    @param x The seat.
    @return uint256 The packed word.
    """
    return codec.pack_seat(x)


@external
@pure
def unpack_seat(word: uint256) -> codec.Seat:
    """
    @notice `stream_codec.unpack_seat`.
    @param word The packed word.
    @return codec.Seat The unpacked seat.
    """
    return codec.unpack_seat(word)


@external
@pure
def pack_tally(x: codec.Tally) -> uint256:
    """
    @notice `stream_codec.pack_tally`.
    @param x The tally.
    @return uint256 The packed word.
    """
    return codec.pack_tally(x)


@external
@pure
def unpack_tally(word: uint256) -> codec.Tally:
    """
    @notice `stream_codec.unpack_tally`.
    @param word The packed word.
    @return codec.Tally The unpacked tally.
    """
    return codec.unpack_tally(word)


@external
@pure
def unpack_bid_ids(
    words: uint256[2], n: uint256
) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    """
    @notice `stream_codec.unpack_bid_ids`.
    @param words The two cluster words.
    @param n How many bid ids.
    @return DynArray The bid ids.
    """
    return codec.unpack_bid_ids(words, n)
