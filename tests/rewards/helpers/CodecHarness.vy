# pragma version ~=0.4.3
"""
@title Test-only wrappers of contracts/lib/stream_codec.vy
@license MIT
"""

from contracts.lib import constants as c
from contracts.lib import stream_codec as codec


@external
@pure
def pack_cluster(
    x: codec.Header, ids: DynArray[uint256, c.MAX_CLUSTER_SIZE]
) -> uint256[2]:
    return codec.pack_cluster(x, ids)


@external
@pure
def unpack_header(word: uint256) -> codec.Header:
    return codec.unpack_header(word)


@external
@pure
def with_status(word: uint256, status: uint256) -> uint256:
    return codec.with_status(word, status)


@external
@pure
def pack_stream(x: codec.Stream) -> uint256:
    return codec.pack_stream(x)


@external
@pure
def unpack_stream(word: uint256) -> codec.Stream:
    return codec.unpack_stream(word)


@external
@pure
def pack_seat(x: codec.Seat) -> uint256:
    return codec.pack_seat(x)


@external
@pure
def unpack_seat(word: uint256) -> codec.Seat:
    return codec.unpack_seat(word)


@external
@pure
def pack_tally(x: codec.Tally) -> uint256:
    return codec.pack_tally(x)


@external
@pure
def unpack_tally(word: uint256) -> codec.Tally:
    return codec.unpack_tally(word)


@external
@pure
def unpack_bid_ids(
    words: uint256[2], n: uint256
) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    return codec.unpack_bid_ids(words, n)
