# pragma version ~=0.4.3
"""
@title Bid book codec
@custom:contract-name book_codec
@license MIT
@notice Packs and unpacks the bid book's storage words. Vyper does not pack
        storage, and every word a bid writes costs 20 000 gas the first time,
        so the book keeps each record in one word; this module is the only
        place that knows the bit layouts. The book and the Auction speak in
        the structs below.
@dev Layouts (low bits first):
     - bid:      operator (160) | status (2) | bonded (1) | discount rate (14)
                 | duration (16) | daily VC price (62)                = 255 bits
     - links:    three bids per word (bid id // 3), 80 bits each:
                 prev (40) | next (40): the bid's neighbours in its operator's
                 own list (only written once an operator has two pending bids)
     - operator: best bid (40) | prev (40) | next (40) | pending bids (40)
                 | whitelisted (1) | sentinel (1)
                 `prev`/`next` are the best bids of the neighbouring operators
                 in the ranking of operators; they are kept when the operator
                 leaves the book (its "old neighbours", used by stale hints).
     - header:   head (40) | tail (40) | pending bids (40) | last bid id (40)
                 | operators with pending bids (40) | sentinel (1)
     The sentinels keep a word non-zero once written, so a later write is
     never a zero-to-non-zero one. Field widths follow `constants.vy`:
     bid ids are 40-bit, a daily VC price is below 2**62 because
     R <= MAX_DAILY_RETURN (10**19) and n >= 4, durations are below 2**16
     and discount rates below 2**14.
"""

from . import constants as c


struct Bid:
    operator: address
    status: uint256
    bonded: bool
    discount_rate: uint256
    duration: uint256
    vc_price: uint256


struct Links:
    prev: uint256
    next: uint256


struct Operator:
    best: uint256
    prev: uint256
    next: uint256
    pending: uint256
    whitelisted: bool


struct Header:
    head: uint256
    tail: uint256
    size: uint256
    last_id: uint256
    operators: uint256


# @dev Bit widths and offsets (named once, here).
ADDRESS_BITS: constant(uint256) = 160
STATUS_BITS: constant(uint256) = 2
DISCOUNT_BITS: constant(uint256) = 14
DURATION_BITS: constant(uint256) = 16
VC_PRICE_BITS: constant(uint256) = 62
ID_BITS: constant(uint256) = c.BID_ID_BITS
ID_MASK: constant(uint256) = c.MAX_BID_ID

STATUS_SHIFT: constant(uint256) = ADDRESS_BITS
BONDED_SHIFT: constant(uint256) = STATUS_SHIFT + STATUS_BITS
DISCOUNT_SHIFT: constant(uint256) = BONDED_SHIFT + 1
DURATION_SHIFT: constant(uint256) = DISCOUNT_SHIFT + DISCOUNT_BITS
VC_PRICE_SHIFT: constant(uint256) = DURATION_SHIFT + DURATION_BITS

LINKS_PER_WORD: constant(uint256) = 3
LINK_BITS: constant(uint256) = 2 * ID_BITS
LINK_MASK: constant(uint256) = 2**80 - 1

WHITELISTED_SHIFT: constant(uint256) = 4 * ID_BITS
SENTINEL: constant(uint256) = 1 << 255


@internal
@pure
def _fits(x: uint256, bits: uint256) -> bool:
    """
    @dev Whether a value fits a field.
    @return bool True when `x` fits in `bits` bits.
    """
    return x >> bits == 0


# ---------------------------------------------------------------- bid


@internal
@pure
def pack_bid(bid: Bid) -> uint256:
    """
    @dev Packs a bid record; reverts if a field does not fit its width.
    @param bid The record.
    @return uint256 The packed word.
    """
    assert self._fits(bid.status, STATUS_BITS), "book_codec: status overflow"
    assert self._fits(
        bid.discount_rate, DISCOUNT_BITS
    ), "book_codec: discount overflow"
    assert self._fits(
        bid.duration, DURATION_BITS
    ), "book_codec: duration overflow"
    assert self._fits(bid.vc_price, VC_PRICE_BITS), "book_codec: price overflow"
    word: uint256 = convert(bid.operator, uint256) | (
        bid.status << STATUS_SHIFT
    )
    if bid.bonded:
        word |= 1 << BONDED_SHIFT
    return (
        word
        | (bid.discount_rate << DISCOUNT_SHIFT)
        | (bid.duration << DURATION_SHIFT)
        | (bid.vc_price << VC_PRICE_SHIFT)
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
        operator=convert(
            convert(word & convert(max_value(uint160), uint256), uint160),
            address,
        ),
        status=(word >> STATUS_SHIFT) & (2**STATUS_BITS - 1),
        bonded=(word >> BONDED_SHIFT) & 1 == 1,
        discount_rate=(word >> DISCOUNT_SHIFT) & (2**DISCOUNT_BITS - 1),
        duration=(word >> DURATION_SHIFT) & (2**DURATION_BITS - 1),
        vc_price=word >> VC_PRICE_SHIFT,
    )


@internal
@pure
def with_status(word: uint256, status: uint256) -> uint256:
    """
    @dev A packed bid with its status replaced.
    @param word The packed bid.
    @param status The new status.
    @return uint256 The packed word.
    """
    assert self._fits(status, STATUS_BITS), "book_codec: status overflow"
    return (word & ~((2**STATUS_BITS - 1) << STATUS_SHIFT)) | (
        status << STATUS_SHIFT
    )


# ---------------------------------------------------------------- links


@internal
@pure
def links_slot(bid_id: uint256) -> uint256:
    """
    @dev The word holding a bid's links.
    @param bid_id The bid.
    @return uint256 The key of its links word.
    """
    return bid_id // LINKS_PER_WORD


@internal
@pure
def get_links(word: uint256, bid_id: uint256) -> Links:
    """
    @dev A bid's links from its (shared) links word.
    @param word The links word of `links_slot(bid_id)`.
    @param bid_id The bid.
    @return Links Its previous and next bid in its operator's list.
    """
    entry: uint256 = (
        word >> (LINK_BITS * (bid_id % LINKS_PER_WORD))
    ) & LINK_MASK
    return Links(prev=entry & ID_MASK, next=entry >> ID_BITS)


@internal
@pure
def set_links(word: uint256, bid_id: uint256, links: Links) -> uint256:
    """
    @dev A links word with one bid's entry replaced.
    @param word The links word of `links_slot(bid_id)`.
    @param bid_id The bid.
    @param links Its new links.
    @return uint256 The new links word.
    """
    assert self._fits(links.prev, ID_BITS) and self._fits(
        links.next, ID_BITS
    ), "book_codec: id overflow"
    offset: uint256 = LINK_BITS * (bid_id % LINKS_PER_WORD)
    return (word & ~(LINK_MASK << offset)) | (
        (links.prev | (links.next << ID_BITS)) << offset
    )


# ---------------------------------------------------------------- operator


@internal
@pure
def pack_operator(operator: Operator) -> uint256:
    """
    @dev Packs an operator record (always non-zero: sentinel bit).
    @param operator The record.
    @return uint256 The packed word.
    """
    assert self._fits(operator.best, ID_BITS) and self._fits(
        operator.prev, ID_BITS
    ), "book_codec: id overflow"
    assert self._fits(operator.next, ID_BITS) and self._fits(
        operator.pending, ID_BITS
    ), "book_codec: id overflow"
    word: uint256 = (
        operator.best
        | (operator.prev << ID_BITS)
        | (operator.next << (2 * ID_BITS))
        | (operator.pending << (3 * ID_BITS))
        | SENTINEL
    )
    if operator.whitelisted:
        word |= 1 << WHITELISTED_SHIFT
    return word


@internal
@pure
def unpack_operator(word: uint256) -> Operator:
    """
    @dev Unpacks an operator record.
    @param word The packed word.
    @return Operator The record.
    """
    return Operator(
        best=word & ID_MASK,
        prev=(word >> ID_BITS) & ID_MASK,
        next=(word >> (2 * ID_BITS)) & ID_MASK,
        pending=(word >> (3 * ID_BITS)) & ID_MASK,
        whitelisted=(word >> WHITELISTED_SHIFT) & 1 == 1,
    )


# ---------------------------------------------------------------- header


@internal
@pure
def pack_header(header: Header) -> uint256:
    """
    @dev Packs the book's header (always non-zero: sentinel bit).
    @param header The header.
    @return uint256 The packed word.
    """
    assert self._fits(header.head, ID_BITS) and self._fits(
        header.tail, ID_BITS
    ), "book_codec: id overflow"
    assert self._fits(header.size, ID_BITS) and self._fits(
        header.last_id, ID_BITS
    ), "book_codec: id overflow"
    assert self._fits(header.operators, ID_BITS), "book_codec: id overflow"
    return (
        header.head
        | (header.tail << ID_BITS)
        | (header.size << (2 * ID_BITS))
        | (header.last_id << (3 * ID_BITS))
        | (header.operators << (4 * ID_BITS))
        | SENTINEL
    )


@internal
@pure
def unpack_header(word: uint256) -> Header:
    """
    @dev Unpacks the book's header.
    @param word The packed word.
    @return Header The header.
    """
    return Header(
        head=word & ID_MASK,
        tail=(word >> ID_BITS) & ID_MASK,
        size=(word >> (2 * ID_BITS)) & ID_MASK,
        last_id=(word >> (3 * ID_BITS)) & ID_MASK,
        operators=(word >> (4 * ID_BITS)) & ID_MASK,
    )
