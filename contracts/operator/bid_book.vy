# pragma version ~=0.4.3
"""
@title Bid book: the auction core
@custom:contract-name bid_book
@license MIT
@notice The ordered book of pending bids and the top-k winner selection.
        Bids are kept in a doubly linked list sorted by score, highest
        first; equal scores keep bid-id order (earlier bid first).
@dev Why a sorted linked list with hints (as in Liquity's SortedTroves)
     instead of a balanced tree: with a correct hint an insertion is O(1)
     (two neighbours checked, two links written), a removal is always O(1),
     and the top of the book is the head, so settlement only walks the
     bids it takes (plus those it skips because their operator already
     won a seat in this cluster). Ties need no special handling: a new bid
     always has the largest id, so it goes after every bid of equal score.
     A missing, stale or wrong hint is never fatal: the book walks from the
     hint (or from the head) to the right place, which costs gas linear in
     the distance walked. The view `_find_position` gives the hint for free
     off-chain.

     Storage is packed by hand because Vyper does not pack storage:
     - link word:  operator (160) | prev id (40) | next id (40) | tag (16)
     - key word:   score (128) | payload (128)
     - header:     head (40) | tail (40) | size (40) | last id (40) |
                   operators with pending bids (40) | sentinel (bit 255)
     - operator:   pending bids (64) | user flags (bits 64+)
     The header's sentinel bit, set at deployment, keeps the word non-zero
     so no bid ever pays for a zero-to-non-zero write of it.
     `tag` and `payload` belong to the user of the module (the Auction),
     which stores a bid's status and terms there so that a bid costs two
     storage slots in all. Ids are 40-bit (10^12 bids).
"""


# @dev Upper bound of any walk. Vyper needs a static bound; the gas limit
# of a block is reached long before it.
MAX_WALK: constant(uint256) = 1_000_000
# @dev Largest cluster the selection supports.
MAX_SELECTION: constant(uint256) = 7

ID_BITS: constant(uint256) = 40
ID_MASK: constant(uint256) = 2**40 - 1
HALF_MASK: constant(uint256) = 2**128 - 1
TAG_MASK: constant(uint256) = 2**16 - 1
# @dev Bit offsets inside the link word.
PREV_SHIFT: constant(uint256) = 160
NEXT_SHIFT: constant(uint256) = 200
TAG_SHIFT: constant(uint256) = 240
# @dev Bit offsets inside the header.
TAIL_SHIFT: constant(uint256) = 40
SIZE_SHIFT: constant(uint256) = 80
LAST_SHIFT: constant(uint256) = 120
OPERATORS_SHIFT: constant(uint256) = 160
SENTINEL: constant(uint256) = 1 << 255
PENDING_MASK: constant(uint256) = 2**64 - 1


_links: HashMap[uint256, uint256]
_keys: HashMap[uint256, uint256]
_header: uint256
_operators: HashMap[address, uint256]


@deploy
def __init__():
    """
    @dev The book starts empty; bid ids start at 1 (0 means "none").
    """
    self._header = SENTINEL


# ---------------------------------------------------------------- writes


@internal
def _insert(operator: address, score: uint256, payload: uint256, tag: uint256, hint: uint256) -> uint256:
    """
    @dev Adds a new bid and returns its id (the next unused one).
    @param score The ranking key; must fit in 128 bits.
    @param payload Opaque 128-bit data stored with the bid.
    @param tag Opaque 16-bit data stored with the bid.
    @param hint A pending bid id next to which the bid belongs (0: none).
    """
    header: uint256 = self._header
    bid_id: uint256 = ((header >> LAST_SHIFT) & ID_MASK) + 1
    assert bid_id <= ID_MASK, "bid_book: ids exhausted"
    prev: uint256 = 0
    nxt: uint256 = 0
    prev, nxt = self._find_position(header, score, bid_id, hint)
    header = self._link(header, bid_id, prev, nxt, convert(operator, uint256) | (tag << TAG_SHIFT))
    self._keys[bid_id] = (score << 128) | payload
    header = header + (1 << SIZE_SHIFT)
    self._header = (header & ~(ID_MASK << LAST_SHIFT)) | (bid_id << LAST_SHIFT)
    return bid_id


@internal
def _reprice(bid_id: uint256, score: uint256, payload: uint256, hint: uint256):
    """
    @dev Changes a pending bid's score and payload and moves it to its new
         place; it keeps its id, so ties still rank by original bid order.
    """
    link: uint256 = self._links[bid_id]
    prev: uint256 = (link >> PREV_SHIFT) & ID_MASK
    nxt: uint256 = (link >> NEXT_SHIFT) & ID_MASK
    self._keys[bid_id] = (score << 128) | payload
    if self._fits_between(prev, nxt, score, bid_id):
        return
    header: uint256 = self._unlink(self._header, bid_id, link)
    prev, nxt = self._find_position(header, score, bid_id, hint)
    self._header = self._link(header, bid_id, prev, nxt, link & ((1 << PREV_SHIFT) - 1 | (TAG_MASK << TAG_SHIFT)))


@internal
def _remove(bid_id: uint256, tag: uint256):
    """
    @dev Takes a pending bid out of the book, keeping its operator and key
         (for the record) and setting its tag.
    """
    link: uint256 = self._links[bid_id]
    header: uint256 = self._unlink(self._header, bid_id, link)
    self._header = header - (1 << SIZE_SHIFT)
    self._links[bid_id] = (link & ((1 << PREV_SHIFT) - 1)) | (tag << TAG_SHIFT)


@internal
def _set_tag(bid_id: uint256, tag: uint256):
    """
    @dev Rewrites the opaque tag of a bid.
    """
    link: uint256 = self._links[bid_id]
    self._links[bid_id] = (link & ~(TAG_MASK << TAG_SHIFT)) | (tag << TAG_SHIFT)


@internal
def _add_pending(operator: address, operator_word: uint256, count: uint256):
    """
    @dev Counts `count` new pending bids of `operator`, whose word the
         caller already read (`_operator_word`).
    """
    if operator_word & PENDING_MASK == 0:
        self._header += 1 << OPERATORS_SHIFT
    self._operators[operator] = operator_word + count


@internal
def _remove_pending(operator: address):
    """
    @dev Counts one pending bid of `operator` less.
    """
    word: uint256 = self._operators[operator] - 1
    self._operators[operator] = word
    if word & PENDING_MASK == 0:
        self._header -= 1 << OPERATORS_SHIFT


@internal
def _set_operator_flags(operator: address, flags: uint256):
    """
    @dev Rewrites the user flags (bits 64 and up) of an operator's word.
    """
    self._operators[operator] = (self._operators[operator] & PENDING_MASK) | flags


# ---------------------------------------------------------------- reads


@view
@internal
def _operator_word(operator: address) -> uint256:
    return self._operators[operator]


@view
@internal
def _num_operators() -> uint256:
    return (self._header >> OPERATORS_SHIFT) & ID_MASK


@view
@internal
def _select(k: uint256) -> DynArray[uint256, MAX_SELECTION]:
    """
    @dev Walks from the top and takes the best pending bid of each operator
         until `k` distinct operators are found (fewer if the book runs out).
         Gas grows with the bids walked, never with the size of the book.
    """
    winners: DynArray[uint256, MAX_SELECTION] = []
    operators: DynArray[uint256, MAX_SELECTION] = []
    current: uint256 = self._header & ID_MASK
    for _: uint256 in range(MAX_WALK):
        if current == 0 or len(winners) == k:
            break
        link: uint256 = self._links[current]
        operator: uint256 = link & convert(max_value(uint160), uint256)
        if operator not in operators:
            operators.append(operator)
            winners.append(current)
        current = (link >> NEXT_SHIFT) & ID_MASK
    return winners


@view
@internal
def _top(k: uint256) -> DynArray[uint256, 256]:
    """
    @dev Up to `k` (at most 256) pending bid ids, best first.
    """
    ids: DynArray[uint256, 256] = []
    current: uint256 = self._header & ID_MASK
    for _: uint256 in range(256):
        if current == 0 or len(ids) == k:
            break
        ids.append(current)
        current = (self._links[current] >> NEXT_SHIFT) & ID_MASK
    return ids


@view
@internal
def _hint_for(score: uint256) -> uint256:
    """
    @dev The hint a new bid of this score should pass: the pending bid it
         will follow, or the one it will precede when it goes first, or 0
         for an empty book.
    """
    header: uint256 = self._header
    prev: uint256 = 0
    nxt: uint256 = 0
    prev, nxt = self._find_position(header, score, ((header >> LAST_SHIFT) & ID_MASK) + 1, 0)
    if prev != 0:
        return prev
    return nxt


@view
@internal
def _size() -> uint256:
    return (self._header >> SIZE_SHIFT) & ID_MASK


@view
@internal
def _last_id() -> uint256:
    return (self._header >> LAST_SHIFT) & ID_MASK


@view
@internal
def _head() -> uint256:
    return self._header & ID_MASK


@view
@internal
def _next(bid_id: uint256) -> uint256:
    return (self._links[bid_id] >> NEXT_SHIFT) & ID_MASK


@view
@internal
def _prev(bid_id: uint256) -> uint256:
    return (self._links[bid_id] >> PREV_SHIFT) & ID_MASK


@view
@internal
def _operator(bid_id: uint256) -> address:
    return convert(self._links[bid_id] & convert(max_value(uint160), uint256), address)


@view
@internal
def _tag(bid_id: uint256) -> uint256:
    return self._links[bid_id] >> TAG_SHIFT


@view
@internal
def _score(bid_id: uint256) -> uint256:
    return self._keys[bid_id] >> 128


@view
@internal
def _payload(bid_id: uint256) -> uint256:
    return self._keys[bid_id] & HALF_MASK


# ---------------------------------------------------------------- helpers


@view
@internal
def _ranks_before(score_a: uint256, id_a: uint256, score_b: uint256, id_b: uint256) -> bool:
    """
    @dev True when bid a ranks above bid b: higher score, then lower id.
    """
    return score_a > score_b or (score_a == score_b and id_a < id_b)


@view
@internal
def _fits_between(prev: uint256, nxt: uint256, score: uint256, bid_id: uint256) -> bool:
    """
    @dev True when a bid with this key may sit between `prev` and `nxt`.
    """
    if prev != 0 and not self._ranks_before(self._keys[prev] >> 128, prev, score, bid_id):
        return False
    if nxt != 0 and not self._ranks_before(score, bid_id, self._keys[nxt] >> 128, nxt):
        return False
    return True


@view
@internal
def _is_listed(header: uint256, bid_id: uint256) -> bool:
    """
    @dev True when `bid_id` is in the book (the head has no prev).
    """
    if bid_id == 0:
        return False
    return (self._links[bid_id] >> PREV_SHIFT) & ID_MASK != 0 or header & ID_MASK == bid_id


@view
@internal
def _find_position(header: uint256, score: uint256, bid_id: uint256, hint: uint256) -> (uint256, uint256):
    """
    @dev The (prev, next) pair between which the key (score, bid_id) belongs.
         Starts at the hint when it is a listed bid other than `bid_id`
         itself, otherwise at the head, and walks in the right direction.
    """
    prev: uint256 = 0
    nxt: uint256 = header & ID_MASK
    if hint != bid_id and self._is_listed(header, hint):
        if self._ranks_before(self._keys[hint] >> 128, hint, score, bid_id):
            prev = hint
            nxt = (self._links[hint] >> NEXT_SHIFT) & ID_MASK
        else:
            # walk backwards towards the head
            nxt = hint
            prev = (self._links[hint] >> PREV_SHIFT) & ID_MASK
            for _: uint256 in range(MAX_WALK):
                if prev == 0 or self._ranks_before(self._keys[prev] >> 128, prev, score, bid_id):
                    return prev, nxt
                nxt = prev
                prev = (self._links[prev] >> PREV_SHIFT) & ID_MASK
    # walk forwards towards the tail
    for _: uint256 in range(MAX_WALK):
        if nxt == 0 or not self._ranks_before(self._keys[nxt] >> 128, nxt, score, bid_id):
            break
        prev = nxt
        nxt = (self._links[nxt] >> NEXT_SHIFT) & ID_MASK
    return prev, nxt


@internal
def _link(header: uint256, bid_id: uint256, prev: uint256, nxt: uint256, base: uint256) -> uint256:
    """
    @dev Writes the bid's link word (`base` holds operator and tag) and
         points its neighbours (or head/tail) at it; returns the header.
    """
    self._links[bid_id] = base | (prev << PREV_SHIFT) | (nxt << NEXT_SHIFT)
    new_header: uint256 = header
    if prev == 0:
        new_header = (new_header & ~ID_MASK) | bid_id
    else:
        self._links[prev] = (self._links[prev] & ~(ID_MASK << NEXT_SHIFT)) | (bid_id << NEXT_SHIFT)
    if nxt == 0:
        new_header = (new_header & ~(ID_MASK << TAIL_SHIFT)) | (bid_id << TAIL_SHIFT)
    else:
        self._links[nxt] = (self._links[nxt] & ~(ID_MASK << PREV_SHIFT)) | (bid_id << PREV_SHIFT)
    return new_header


@internal
def _unlink(header: uint256, bid_id: uint256, link: uint256) -> uint256:
    """
    @dev Joins the bid's neighbours to each other; returns the header.
         The bid's own link word is left for the caller to rewrite.
    """
    prev: uint256 = (link >> PREV_SHIFT) & ID_MASK
    nxt: uint256 = (link >> NEXT_SHIFT) & ID_MASK
    new_header: uint256 = header
    if prev == 0:
        new_header = (new_header & ~ID_MASK) | nxt
    else:
        self._links[prev] = (self._links[prev] & ~(ID_MASK << NEXT_SHIFT)) | (nxt << NEXT_SHIFT)
    if nxt == 0:
        new_header = (new_header & ~(ID_MASK << TAIL_SHIFT)) | (prev << TAIL_SHIFT)
    else:
        self._links[nxt] = (self._links[nxt] & ~(ID_MASK << PREV_SHIFT)) | (prev << PREV_SHIFT)
    return new_header
