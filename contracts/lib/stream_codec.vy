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
        - cluster words (two per cluster, written at funding; word 0 again
          at each change of status): word 0 = `Header` (status 8 | size 8)
          | bid ids of seats 0..5 (40 bits each); word 1 = bid id of seat 6
          (written only for 7 seats)
        - `Stream` (one per staked cluster, the word `claim` reads and writes):
          rate 80 | start 40 | end 40 | accounted 96
        - `Seat` (one per winner): operator 160 | vc 72 | days 24
        - `Tally` (one per cluster, written at a sale, a renewal and the
          close): credited 96 | renewals 96 | dust 64

        Widths: amounts < 2**96 wei (7.9e10 ETH); a rate is at most
        7 daily VC prices of < 2**72 wei; timestamps < 2**40 s; days
        < 2**24 (the Auction caps durations at `MAX_DURATION_CAP` days);
        bid ids < 2**40 (`MAX_BID_ID`).
@dev Stateless: constants, structs and `@internal @pure` functions only, so
     a contract uses it with a plain `from ..lib import stream_codec`
     (no `initializes`).
"""

from . import constants as c

# @dev Cluster statuses in StakerRewards (`status(cluster_id)`).
STATUS_NONE: constant(uint256) = 0
STATUS_FUNDED: constant(uint256) = 1
STATUS_STREAMING: constant(uint256) = 2
STATUS_EXPIRED: constant(uint256) = 3
STATUS_ENDED: constant(uint256) = 4
STATUS_CANCELLED: constant(uint256) = 5
# Closed by a proven slashing while streaming: the unserved credits were
# forfeited to the holder (`credit_of`), not returned to the operators.
STATUS_SLASHED: constant(uint256) = 6

AMOUNT_BITS: constant(uint256) = 96
RATE_BITS: constant(uint256) = 80
TIME_BITS: constant(uint256) = 40
VC_BITS: constant(uint256) = 72
DAYS_BITS: constant(uint256) = 24
SMALL_BITS: constant(uint256) = 8
DUST_BITS: constant(uint256) = 64
ADDRESS_BITS: constant(uint256) = 160
BID_IDS_PER_WORD: constant(uint256) = 6
HEADER_BITS: constant(uint256) = 2 * SMALL_BITS

MASK_AMOUNT: constant(uint256) = (1 << AMOUNT_BITS) - 1
MASK_RATE: constant(uint256) = (1 << RATE_BITS) - 1
MASK_TIME: constant(uint256) = (1 << TIME_BITS) - 1
MASK_VC: constant(uint256) = (1 << VC_BITS) - 1
MASK_DAYS: constant(uint256) = (1 << DAYS_BITS) - 1
MASK_SMALL: constant(uint256) = (1 << SMALL_BITS) - 1
MASK_DUST: constant(uint256) = (1 << DUST_BITS) - 1
MASK_ADDRESS: constant(uint256) = (1 << ADDRESS_BITS) - 1
MASK_BID_ID: constant(uint256) = (1 << c.BID_ID_BITS) - 1


struct Header:
    status: uint256  # STATUS_*
    size: uint256  # number of seats (winners)


struct Stream:
    rate: uint256  # wei per day: sum of the seats' daily VC prices
    start: uint256  # timestamp the stream started (0: not started)
    end: uint256  # timestamp it ends (moved by renewals; the stop time once closed)
    accounted: uint256  # accrued and already paid or credited to stakers


struct Seat:
    operator: address  # the winner
    vc: uint256  # its daily VC price (wei per day)
    days: uint256  # days it pays for, counted from the stream start


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
    assert x.rate <= MASK_RATE, "stream_codec: rate out of range"
    assert x.start <= MASK_TIME, "stream_codec: start out of range"
    assert x.end <= MASK_TIME, "stream_codec: end out of range"
    assert x.accounted <= MASK_AMOUNT, "stream_codec: accounted out of range"
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
        rate=word & MASK_RATE,
        start=(word >> RATE_BITS) & MASK_TIME,
        end=(word >> (RATE_BITS + TIME_BITS)) & MASK_TIME,
        accounted=word >> (RATE_BITS + 2 * TIME_BITS),
    )


@internal
@pure
def pack_seat(x: Seat) -> uint256:
    """
    @dev Packs a `Seat` word.
    @param x The seat.
    @return uint256 The packed word.
    """
    assert x.vc <= MASK_VC, "stream_codec: vc out of range"
    assert x.days <= MASK_DAYS, "stream_codec: days out of range"
    return (
        convert(x.operator, uint256)
        | (x.vc << ADDRESS_BITS)
        | (x.days << (ADDRESS_BITS + VC_BITS))
    )


@internal
@pure
def unpack_seat(word: uint256) -> Seat:
    """
    @dev Unpacks a `Seat` word.
    @param word The packed word.
    @return Seat The seat.
    """
    return Seat(
        operator=convert(word & MASK_ADDRESS, address),
        vc=(word >> ADDRESS_BITS) & MASK_VC,
        days=word >> (ADDRESS_BITS + VC_BITS),
    )


@internal
@pure
def pack_tally(x: Tally) -> uint256:
    """
    @dev Packs a `Tally` word.
    @param x The tally.
    @return uint256 The packed word.
    """
    assert x.credited <= MASK_AMOUNT, "stream_codec: credited out of range"
    assert x.renewals <= MASK_AMOUNT, "stream_codec: renewals out of range"
    assert x.dust <= MASK_DUST, "stream_codec: dust out of range"
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
        credited=word & MASK_AMOUNT,
        renewals=(word >> AMOUNT_BITS) & MASK_AMOUNT,
        dust=word >> (2 * AMOUNT_BITS),
    )


@internal
@pure
def pack_cluster(
    x: Header, ids: DynArray[uint256, c.MAX_CLUSTER_SIZE]
) -> uint256[2]:
    """
    @dev Packs a cluster's header and its bid ids (in seat order) into two
         words: word 0 = status 8 | size 8 | ids 0..5 (40 bits each from
         bit 16); word 1 = id 6 (0 for clusters of up to 6 seats).
    @param x The header.
    @param ids The bid ids.
    @return uint256[2] The two packed words.
    """
    assert x.status <= MASK_SMALL, "stream_codec: status out of range"
    assert x.size <= MASK_SMALL, "stream_codec: size out of range"
    words: uint256[2] = [x.status | (x.size << SMALL_BITS), 0]
    i: uint256 = 0
    for bid_id: uint256 in ids:
        assert bid_id <= MASK_BID_ID, "stream_codec: bid id out of range"
        if i < BID_IDS_PER_WORD:
            words[0] |= bid_id << (HEADER_BITS + c.BID_ID_BITS * i)
        else:
            words[1] = bid_id
        i += 1
    return words


@internal
@pure
def unpack_header(word: uint256) -> Header:
    """
    @dev The header of a cluster's word 0.
    @param word Word 0 of `pack_cluster`.
    @return Header The header.
    """
    return Header(
        status=word & MASK_SMALL, size=(word >> SMALL_BITS) & MASK_SMALL
    )


@internal
@pure
def with_status(word: uint256, status: uint256) -> uint256:
    """
    @dev Word 0 of `pack_cluster` with its status replaced.
    @param word Word 0.
    @param status The new status.
    @return uint256 The new word 0.
    """
    assert status <= MASK_SMALL, "stream_codec: status out of range"
    return (word & ~MASK_SMALL) | status


@internal
@pure
def unpack_bid_ids(
    words: uint256[2], n: uint256
) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    """
    @dev The first `n` bid ids of two words made by `pack_cluster`.
    @param words The two packed words.
    @param n How many ids (<= 7).
    @return DynArray The bid ids, in seat order.
    """
    ids: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    for i: uint256 in range(n, bound=c.MAX_CLUSTER_SIZE):
        if i < BID_IDS_PER_WORD:
            ids.append(
                (words[0] >> (HEADER_BITS + c.BID_ID_BITS * i)) & MASK_BID_ID
            )
        else:
            ids.append(words[1] & MASK_BID_ID)
    return ids
