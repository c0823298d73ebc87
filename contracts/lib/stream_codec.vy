# pragma version ~=0.4.3
"""
@title stream_codec: StakerRewards' packed storage words
@custom:contract-name stream_codec
@license MIT
@notice One struct and one pack/unpack pair per packed storage word of
        StakerRewards, so that the contract itself never shifts or masks.
        Every `pack_*` checks that each field fits its width and reverts
        ("stream_codec: <field> out of range") otherwise; `unpack_*` is the
        exact inverse of `pack_*` on every packable value.

        Words (field: bits, low bits first):
        - the commitment (one per cluster, written at funding, again at
          each change of status and each renewal): status 8 | the top 248
          bits of `keccak256(abi_encode(seats))`, the cluster's seats
          (`Seat`, in ranking order), which every later operation takes
          back as calldata and checks against it (`seats_match`)
        - `Stream` (one per staked cluster, the word `claim` reads and writes):
          rate 80 | start 40 | end 40 | accounted 96
        - `Tally` (one per cluster, written at a sale, a renewal and the
          close): credited 96 | renewals 96 | dust 64
        - `Carry` (one per cluster that rotated a seat, written at each
          rotation): accounted 96 | rotated_in 80 | refunded 80: what the
          streams before the last handover accrued (all paid or credited
          to stakers), what newcomers paid, what leavers got back

        Widths: amounts < 2**96 wei (7.9e10 ETH); what a cluster's
        newcomers paid in and its leavers got back, each < 2**80 wei over
        its life (1.2e6 ETH: a rotation beyond reverts); a rate is the sum
        of at most 7 daily VC prices, < 2**80 wei; timestamps < 2**40 s.
@dev Stateless: constants, structs and `@internal @pure` functions only, so
     a contract uses it with a plain `from ..lib import stream_codec`
     (no `initializes`).
"""

from . import constants as c
from . import seat_types

AMOUNT_BITS: constant(uint256) = 96
RATE_BITS: constant(uint256) = 80
TIME_BITS: constant(uint256) = 40
SMALL_BITS: constant(uint256) = 8
DUST_BITS: constant(uint256) = 64
ROTATION_BITS: constant(uint256) = 80

AMOUNT_MASK: constant(uint256) = 2**AMOUNT_BITS - 1
RATE_MASK: constant(uint256) = 2**RATE_BITS - 1
TIME_MASK: constant(uint256) = 2**TIME_BITS - 1
SMALL_MASK: constant(uint256) = 2**SMALL_BITS - 1
DUST_MASK: constant(uint256) = 2**DUST_BITS - 1
ROTATION_MASK: constant(uint256) = 2**ROTATION_BITS - 1
# @dev The commitment's hash bits (all but the status byte).
HASH_MASK: constant(uint256) = max_value(uint256) ^ SMALL_MASK


struct Stream:
    rate: uint256  # wei per day: sum of the seats' daily VC prices
    start: uint256  # timestamp the stream started (0: not started)
    end: uint256  # timestamp it ends (moved by renewals; the stop time once closed)
    accounted: uint256  # accrued and already paid or credited to stakers


struct Tally:
    credited: uint256  # credited to sellers of the cluster's ByzNft
    renewals: uint256  # sum of every renewal payment
    dust: uint256  # rounding remainder of the close, kept here


@internal
@pure
def pack_stream(x: Stream) -> uint256:
    """
    @dev Packs a `Stream` word.
    @param x The stream.
    @return uint256 The packed word.
    """
    assert x.rate <= RATE_MASK, "stream_codec: rate out of range"
    assert x.start <= TIME_MASK, "stream_codec: start out of range"
    assert x.end <= TIME_MASK, "stream_codec: end out of range"
    assert x.accounted <= AMOUNT_MASK, "stream_codec: accounted out of range"
    return (
        x.rate
        | (x.start << RATE_BITS)
        | (x.end << (RATE_BITS + TIME_BITS))
        | (x.accounted << (RATE_BITS + 2 * TIME_BITS))
    )


@internal
@pure
def unpack_stream(word: uint256) -> Stream:
    """
    @dev Unpacks a `Stream` word.
    @param word The packed word.
    @return Stream The stream.
    """
    return Stream(
        rate=word & RATE_MASK,
        start=(word >> RATE_BITS) & TIME_MASK,
        end=(word >> (RATE_BITS + TIME_BITS)) & TIME_MASK,
        accounted=word >> (RATE_BITS + 2 * TIME_BITS),
    )


@internal
@pure
def pack_tally(x: Tally) -> uint256:
    """
    @dev Packs a `Tally` word.
    @param x The tally.
    @return uint256 The packed word.
    """
    assert x.credited <= AMOUNT_MASK, "stream_codec: credited out of range"
    assert x.renewals <= AMOUNT_MASK, "stream_codec: renewals out of range"
    assert x.dust <= DUST_MASK, "stream_codec: dust out of range"
    return (
        x.credited | (x.renewals << AMOUNT_BITS) | (x.dust << (2 * AMOUNT_BITS))
    )


@internal
@pure
def unpack_tally(word: uint256) -> Tally:
    """
    @dev Unpacks a `Tally` word.
    @param word The packed word.
    @return Tally The tally.
    """
    return Tally(
        credited=word & AMOUNT_MASK,
        renewals=(word >> AMOUNT_BITS) & AMOUNT_MASK,
        dust=word >> (2 * AMOUNT_BITS),
    )


struct Carry:
    accounted: uint256  # accrued before the last handover (paid or credited)
    rotated_in: uint256  # sum of the newcomers' prices
    refunded: uint256  # sum of the leavers' unserved credits, returned


@internal
@pure
def pack_carry(x: Carry) -> uint256:
    """
    @dev Packs a `Carry` word.
    @param x The carry.
    @return uint256 The packed word.
    """
    assert x.accounted <= AMOUNT_MASK, "stream_codec: accounted out of range"
    assert (
        x.rotated_in <= ROTATION_MASK
    ), "stream_codec: rotated_in out of range"
    assert x.refunded <= ROTATION_MASK, "stream_codec: refunded out of range"
    return (
        x.accounted
        | (x.rotated_in << AMOUNT_BITS)
        | (x.refunded << (AMOUNT_BITS + ROTATION_BITS))
    )


@internal
@pure
def unpack_carry(word: uint256) -> Carry:
    """
    @dev Unpacks a `Carry` word.
    @param word The packed word.
    @return Carry The carry.
    """
    return Carry(
        accounted=word & AMOUNT_MASK,
        rotated_in=(word >> AMOUNT_BITS) & ROTATION_MASK,
        refunded=word >> (AMOUNT_BITS + ROTATION_BITS),
    )


@internal
@pure
def seats_hash(seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]) -> uint256:
    """
    @dev The hash a commitment keeps of a cluster's seats:
         `keccak256(abi_encode(seats))` with its low 8 bits cleared.
    @param seats The seats, in ranking order.
    @return uint256 The hash bits.
    """
    return convert(keccak256(abi_encode(seats)), uint256) & HASH_MASK


@internal
@pure
def pack_commitment(
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE], status: uint256
) -> uint256:
    """
    @dev A cluster's commitment word: its status and the hash of its seats.
    @param seats The seats, in ranking order.
    @param status The status (`constants.STREAM_*`).
    @return uint256 The packed word.
    """
    assert status <= SMALL_MASK, "stream_codec: status out of range"
    return self.seats_hash(seats) | status


@internal
@pure
def seats_match(
    word: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> bool:
    """
    @dev Whether `seats` are the seats a commitment word was made of.
    @param word The commitment word.
    @param seats The seats to check.
    @return bool True when they hash to the committed hash.
    """
    return word & HASH_MASK == self.seats_hash(seats)


@internal
@pure
def unpack_status(word: uint256) -> uint256:
    """
    @dev The status of a commitment word (`STREAM_NONE` for a zero word).
    @param word The commitment word.
    @return uint256 The status.
    """
    return word & SMALL_MASK


@internal
@pure
def with_status(word: uint256, status: uint256) -> uint256:
    """
    @dev A commitment word with its status replaced.
    @param word The commitment word.
    @param status The new status.
    @return uint256 The new word.
    """
    assert status <= SMALL_MASK, "stream_codec: status out of range"
    return (word & HASH_MASK) | status
