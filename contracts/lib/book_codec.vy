# pragma version ~=0.4.3
"""
@title Bid book codec
@custom:contract-name book_codec
@license MIT
@notice Packs and unpacks the bid book's storage words. Vyper does not pack
        storage, and every word a bid writes costs 20 000 gas the first time,
        so the book keeps each record in one word; this module is the only
        place that knows the bit layouts.
@dev One naming scheme: a field is `<WORD>_<FIELD>` (its shift) with its
     width from the widths below; `packing.field` reads one, `with_field`
     writes one (and sets the sentinel), `packing.slot_of`/`entry_shift`
     place an entry of a three-per-word word.
     Layouts (low bits first):
     - bid:      operator (160) | status (2) | bond (8) | discount rate (14)
                 | duration (16) | daily VC price (56)                = 256 bits
                 The bond is kept in units of `c.BOND_UNIT` (0.1 ETH: 0 to
                 25.5 ETH fit, `c.MAX_BOND` is lower); the struct speaks wei.
     - links:    three bids per word (bid id // 3), 80 bits each:
                 prev (40) | next (40): the bid's neighbours in its operator's
                 own list (never written for an operator's only bid)
     - operator: best bid (40) | prev (40) | next (40) | pending bids (40)
                 | whitelisted (1) | ranked (1) | ranking key (93)
                 `prev`/`next` are the best bids of the neighbouring operators
                 in the ranking; an unranked operator keeps there its "old
                 neighbours" (where it left, or where a capped walk stopped),
                 which stale hints use. The key is `pricing.key` of the best
                 bid's score.
     - header:   head (40) | tail (40) | pending bids (40) | last bid id (40)
                 | operators with pending bids (40) | ranked operators (40)
     - parked:   parked operators (40)
     Every word but a bid's has bit 255 set (a sentinel), so a later write
     is never a zero-to-non-zero one (a bid word is never zero: its
     operator is not). Widths follow `constants.vy`: bid ids are 40-bit,
     a daily VC price is below 2**56 because R <= MAX_DAILY_RETURN
     (2.5 * 10**17) and n >= 4, durations are below 2**16 and discount
     rates below 2**14.
"""

from . import constants as c
from . import packing
from . import pricing


struct Bid:
    operator: address
    status: uint256
    bond: uint256
    discount_rate: uint256
    duration: uint256
    vc_price: uint256


# @dev Widths (named once, here).
ID_BITS: constant(uint256) = c.ID_BITS
ADDRESS_BITS: constant(uint256) = 160
STATUS_BITS: constant(uint256) = 2
DISCOUNT_BITS: constant(uint256) = 14
DURATION_BITS: constant(uint256) = 16
VC_PRICE_BITS: constant(uint256) = 56
BOND_BITS: constant(uint256) = 8
LINK_BITS: constant(uint256) = 2 * ID_BITS
SENTINEL: constant(uint256) = 1 << 255

# @dev bid word
BID_STATUS: constant(uint256) = ADDRESS_BITS
BID_BOND: constant(uint256) = BID_STATUS + STATUS_BITS
BID_DISCOUNT: constant(uint256) = BID_BOND + BOND_BITS
BID_DURATION: constant(uint256) = BID_DISCOUNT + DISCOUNT_BITS
BID_VC_PRICE: constant(uint256) = BID_DURATION + DURATION_BITS
# @dev links entry (inside a bid's 80-bit slice)
LINK_PREV: constant(uint256) = 0
LINK_NEXT: constant(uint256) = ID_BITS
# @dev operator word
OP_BEST: constant(uint256) = 0
OP_PREV: constant(uint256) = ID_BITS
OP_NEXT: constant(uint256) = 2 * ID_BITS
OP_PENDING: constant(uint256) = 3 * ID_BITS
OP_WHITELISTED: constant(uint256) = 4 * ID_BITS
OP_RANKED: constant(uint256) = OP_WHITELISTED + 1
OP_KEY: constant(uint256) = OP_RANKED + 1
# @dev header word
HEAD: constant(uint256) = 0
TAIL: constant(uint256) = ID_BITS
SIZE: constant(uint256) = 2 * ID_BITS
LAST_ID: constant(uint256) = 3 * ID_BITS
OPERATORS: constant(uint256) = 4 * ID_BITS
RANKED: constant(uint256) = 5 * ID_BITS
# @dev parked word
PARKED_COUNT: constant(uint256) = 0


# ---------------------------------------------------------------- fields


@internal
@pure
def with_field(
    word: uint256, at: uint256, bits: uint256, new: uint256
) -> uint256:
    """
    @dev A packed book word with one field replaced (as
         `packing.with_field`: reverts if the value does not fit) and its
         sentinel set. Written out rather than wrapping `packing.with_field`:
         the book writes fields on every hot path, and the extra internal
         call costs about 100 gas a write.
    @param word The packed word.
    @param at The field's offset.
    @param bits The field's width.
    @param new The new value.
    @return uint256 The new word.
    """
    assert new >> bits == 0, "packing: field overflow"
    mask: uint256 = ((1 << bits) - 1) << at
    return (word & ~mask) | (new << at) | SENTINEL


@internal
@pure
def pack_bid(bid: Bid) -> uint256:
    """
    @dev Packs a bid record; reverts if a field does not fit its width.
    @param bid The record.
    @return uint256 The packed word.
    """
    assert bid.status >> STATUS_BITS == 0, "book_codec: status overflow"
    assert (
        bid.discount_rate >> DISCOUNT_BITS == 0
    ), "book_codec: discount overflow"
    assert bid.duration >> DURATION_BITS == 0, "book_codec: duration overflow"
    assert bid.vc_price >> VC_PRICE_BITS == 0, "book_codec: price overflow"
    assert bid.bond % c.BOND_UNIT == 0, "book_codec: bond off the unit"
    units: uint256 = bid.bond // c.BOND_UNIT
    assert units >> BOND_BITS == 0, "book_codec: bond overflow"
    return (
        convert(bid.operator, uint256)
        | (bid.status << BID_STATUS)
        | (units << BID_BOND)
        | (bid.discount_rate << BID_DISCOUNT)
        | (bid.duration << BID_DURATION)
        | (bid.vc_price << BID_VC_PRICE)
    )


@internal
@pure
def unpack_bid(word: uint256) -> Bid:
    """
    @dev Unpacks a bid record (all zero for an unknown bid).
    @param word The packed word.
    @return Bid The record.
    """
    return Bid(
        operator=self.bid_operator(word),
        status=(word >> BID_STATUS) & (2**STATUS_BITS - 1),
        bond=self.bid_bond(word),
        discount_rate=(word >> BID_DISCOUNT) & (2**DISCOUNT_BITS - 1),
        duration=(word >> BID_DURATION) & (2**DURATION_BITS - 1),
        vc_price=word >> BID_VC_PRICE,
    )


@internal
@pure
def bid_operator(word: uint256) -> address:
    """
    @dev The operator of a packed bid.
    @param word The packed bid.
    @return address Its operator.
    """
    return convert(convert(word % 2**ADDRESS_BITS, uint160), address)


@internal
@pure
def bid_bond(word: uint256) -> uint256:
    """
    @dev The bond of a packed bid, in wei.
    @param word The packed bid.
    @return uint256 Its bond.
    """
    return ((word >> BID_BOND) & (2**BOND_BITS - 1)) * c.BOND_UNIT


@internal
@pure
def with_status(word: uint256, status: uint256) -> uint256:
    """
    @dev A packed bid with its status replaced (a `c.BID_*` constant).
    @param word The packed bid.
    @param status The new status.
    @return uint256 The packed word.
    """
    return (word & ~((2**STATUS_BITS - 1) << BID_STATUS)) | (
        status << BID_STATUS
    )
