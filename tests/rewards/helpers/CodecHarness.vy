# pragma version ~=0.4.3
"""
@title Test-only wrappers of contracts/lib/stream_codec.vy
@custom:contract-name CodecHarness
@license MIT
"""

from contracts.lib import constants as c
from contracts.lib import seat_types
from contracts.lib import stream_codec as codec


@external
@pure
def seats_hash(
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
) -> uint256:
    """
    @notice `stream_codec.seats_hash`.
    @param seats The seats.
    @return uint256 The hash bits.
    """
    return codec.seats_hash(seats)


@external
@pure
def pack_commitment(
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE], status: uint256
) -> uint256:
    """
    @notice `stream_codec.pack_commitment`.
    @param seats The seats.
    @param status The status.
    @return uint256 The commitment word.
    """
    return codec.pack_commitment(seats, status)


@external
@pure
def seats_match(
    word: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> bool:
    """
    @notice `stream_codec.seats_match`.
    @param word The commitment word.
    @param seats The seats to check.
    @return bool Whether they match.
    """
    return codec.seats_match(word, seats)


@external
@pure
def unpack_status(word: uint256) -> uint256:
    """
    @notice `stream_codec.unpack_status`.
    @param word The commitment word.
    @return uint256 Its status.
    """
    return codec.unpack_status(word)


@external
@pure
def with_status(word: uint256, status: uint256) -> uint256:
    """
    @notice `stream_codec.with_status`.
    @param word The commitment word.
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
def pack_carry(x: codec.Carry) -> uint256:
    """
    @notice `stream_codec.pack_carry`.
    @param x The carry.
    @return uint256 The packed word.
    """
    return codec.pack_carry(x)


@external
@pure
def unpack_carry(word: uint256) -> codec.Carry:
    """
    @notice `stream_codec.unpack_carry`.
    @param word The packed word.
    @return codec.Carry The unpacked carry.
    """
    return codec.unpack_carry(word)
