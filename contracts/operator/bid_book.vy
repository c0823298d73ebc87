# pragma version ~=0.4.3
"""
@title Bid book: the auction core
@custom:contract-name bid_book
@license MIT
@notice The ordered book of pending bids and the top-k winner selection.
        Ranking: higher score first; equal scores in bid-id order (earlier
        bid first). A cluster's winners are the best pending bid of each of
        the first `k` distinct operators in that ranking, and settlement
        costs a bounded amount whatever the book holds.
@dev Two levels, so that settlement walks exactly the winners:
     - the ranking of operators: a doubly linked list of operators sorted by
       their best pending bid (its links are the neighbours' best bid ids,
       kept in the operator's record with the best bid's ranking key, so a
       walk step reads words and computes no power);
     - each operator's own list: its pending bids sorted by the same key,
       best first (links packed three bids a word; an operator with a single
       pending bid writes none).

     The promotion (`_promote`): when an operator's best bid leaves (it won
     or was withdrawn), its next bid takes its place in the ranking by a
     walk from a hint. A walk the operator did not ask for is capped at
     `c.PROMOTION_WALK` operators passed; when the place is further away
     the operator is *parked*: its bids stay pending (withdrawable,
     updatable, refundable) but unranked, and an unranked bid cannot win.
     Settlement takes the first `k` ranked operators and never waits for a
     parked one (docs/protocol.md §3): a parked operator competes again
     once it rejoins (`_rejoin`: anyone, with a hint; or its own bid or
     update, which always rejoins it).

     Hints (Liquity's SortedTroves, made robust): a hint is any bid id. It
     is resolved to its operator's current place in the ranking; when that
     operator is unranked, to the old neighbours its record keeps (a few
     hops at most). A hint that is one of the bidder's own pending bids
     positions a bid inside its own list.

     Leaf functions read and write storage directly; words are packed by
     `lib/book_codec.vy`, scores and keys come from `lib/pricing.vy`.
"""

from ..lib import book_codec as codec
from ..lib import constants as c
from ..lib import packing
from ..lib import pricing


# @dev Upper bound of an uncapped walk. Vyper needs a static bound; the gas
# limit of a block is reached long before it.
MAX_WALK: constant(uint256) = 1_000_000
# @dev Old-neighbour hops a stale hint may take before the head is used.
MAX_HINT_HOPS: constant(uint256) = 8
ID_BITS: constant(uint256) = c.ID_BITS
# @dev Operator-record bits an entry into the ranking keeps: pending,
# whitelisted, ranked, sentinel (it writes best, prev, next and key).
KEEP_ON_ENTRY: constant(uint256) = ~(
    (2**ID_BITS - 1) * (1 + 2**codec.OP_PREV + 2**codec.OP_NEXT)
    | (2**pricing.KEY_BITS - 1) << codec.OP_KEY
)
# @dev Bid-word bits a reprice keeps: operator, status, bond.
KEEP_ON_REPRICE: constant(uint256) = 2**codec.BID_DISCOUNT - 1
# @dev Operator-record bits a settled seat keeps: best, whitelisted, key,
# sentinel (prev and next become 0: a stale hint resolves to the head).
KEEP_ON_SETTLE: constant(uint256) = ~(
    (2**ID_BITS - 1)
    * (2**codec.OP_PREV + 2**codec.OP_NEXT + 2**codec.OP_PENDING)
    | 1 << codec.OP_RANKED
)

_bids: HashMap[uint256, uint256]
_links: HashMap[uint256, uint256]
_operators: HashMap[address, uint256]
_header: uint256
_parked: uint256


event OperatorParked:
    operator: indexed(address)
    best: uint256


event OperatorRejoined:
    operator: indexed(address)
    best: uint256


@deploy
def __init__():
    """
    @dev The book starts empty; bid ids start at 1 (0 means "none"). The
         sentinel bits keep the header and parked words non-zero.
    """
    self._header = codec.SENTINEL
    self._parked = codec.SENTINEL


# ---------------------------------------------------------------- writes


@internal
def _insert(
    operator: address,
    discount_rate: uint256,
    duration: uint256,
    vc_price: uint256,
    score: uint256,
    bond: uint256,
    hint: uint256,
) -> uint256:
    """
    @dev Adds a new pending bid and returns its id (the next unused one).
    @param score `pricing.score(vc_price, duration, bond)`, which the caller
           computed.
    @param bond The bond the bid paid (wei).
    @param hint Any bid id near which the bid belongs (0: none).
    @return uint256 The new bid's id.
    """
    bid_id: uint256 = self._count(codec.LAST_ID) + 1
    assert bid_id <= c.MAX_BID_ID, "bid_book: ids exhausted"
    # @dev Packed counters move by adding to the word: no field under- or overflows.
    self._header += (1 << codec.LAST_ID) + (1 << codec.SIZE)
    self._bids[bid_id] = codec.pack_bid(
        codec.Bid(
            operator=operator,
            status=c.BID_PENDING,
            bond=bond,
            discount_rate=discount_rate,
            duration=duration,
            vc_price=vc_price,
        )
    )
    self._place(operator, bid_id, score, hint)
    return bid_id


@internal
def _reprice(
    bid_id: uint256,
    discount_rate: uint256,
    duration: uint256,
    vc_price: uint256,
    score: uint256,
    hint: uint256,
):
    """
    @dev Changes a pending bid's terms and moves it to its new place; it
         keeps its id (so its place among equal scores) and its bond.
         Without a hint the search starts from the bid's own old place. A
         parked operator rejoins the ranking.
    """
    word: uint256 = self._bids[bid_id]
    operator: address = codec.bid_operator(word)
    near: uint256 = self._detach(operator, bid_id, MAX_WALK)
    # @dev The Auction checked the terms against the configuration, whose
    # bounds fit the fields (book_codec's widths).
    self._bids[bid_id] = (word & KEEP_ON_REPRICE) | (
        (discount_rate << codec.BID_DISCOUNT)
        | (duration << codec.BID_DURATION)
        | (vc_price << codec.BID_VC_PRICE)
    )
    start: uint256 = hint
    if start == 0:
        start = near
    self._place(operator, bid_id, score, start)


@internal
def _remove(bid_id: uint256, status: uint256):
    """
    @dev Takes a pending bid out of the book (a withdrawal) and gives it
         its final status. Bounded: when it was its operator's best bid,
         the next one is promoted by a capped walk (or parked).
    """
    word: uint256 = self._bids[bid_id]
    self._detach(codec.bid_operator(word), bid_id, c.PROMOTION_WALK)
    self._count_down(codec.SIZE)
    self._bids[bid_id] = codec.with_status(word, status)


@internal
def _take_top(
    k: uint256, hints: DynArray[uint256, c.MAX_CLUSTER_SIZE]
) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    """
    @dev Settlement: takes the best pending bid of each of the first `k`
         ranked operators (the caller checked that `k` are ranked; parked
         operators are skipped: they are not in the ranking), marks them
         won, and promotes each winner's next bid, if any, from its hint
         (`hints[i]` for winner `i`; missing or 0: the head) by a capped walk.
    @return DynArray The winning bid ids, in ranking order.
    """
    winners: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    owners: DynArray[address, c.MAX_CLUSTER_SIZE] = []
    seconds: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    current: uint256 = self._count(codec.HEAD)
    # @dev Every winner leaves first (so no hint resolves to a winner), then
    # each next bid is promoted, in ranking order.
    for _: uint256 in range(k, bound=c.MAX_CLUSTER_SIZE):
        operator: address = codec.bid_operator(self._bids[current])
        winners.append(current)
        owners.append(operator)
        following: uint256 = self._op_field(operator, codec.OP_NEXT)
        seconds.append(self._settle_seat(operator, current))
        current = following
    # @dev `current` is the new head of the ranking.
    self._set_count(codec.HEAD, current)
    self._set_neighbour(current, codec.OP_PREV, codec.TAIL, 0)
    self._header -= (k << codec.RANKED) + (k << codec.SIZE)
    for i: uint256 in range(k, bound=c.MAX_CLUSTER_SIZE):
        if seconds[i] == 0:
            continue
        hint: uint256 = 0
        if i < len(hints):
            hint = hints[i]
        self._promote(
            owners[i],
            seconds[i],
            self._bid_score(seconds[i]),
            hint,
            c.PROMOTION_WALK,
        )
    return winners


@internal
@view
def _best_outside(excluded: DynArray[address, c.MAX_CLUSTER_SIZE]) -> uint256:
    """
    @dev The best pending bid of the first ranked operator not in
         `excluded` (0: none): a walk from the head of at most
         `len(excluded) + 1` operators (parked ones are not ranked).
    @return uint256 The bid id, or 0.
    """
    current: uint256 = self._count(codec.HEAD)
    for _: uint256 in range(c.MAX_CLUSTER_SIZE + 1):
        if current == 0:
            return 0
        operator: address = codec.bid_operator(self._bids[current])
        if operator not in excluded:
            return current
        current = self._op_field(operator, codec.OP_NEXT)
    return 0


@internal
def _rejoin(operator: address, hint: uint256):
    """
    @dev Ranks a parked operator again from a hint, by a capped walk;
         reverts (changing nothing) when the hint is too far from its place.
    """
    assert self._is_parked(operator), "bid_book: operator not parked"
    self._unpark()
    best: uint256 = self._op_field(operator, codec.OP_BEST)
    assert self._enter(
        operator, best, self._bid_score(best), hint, c.PROMOTION_WALK
    ), "bid_book: hint too far from the place"
    log OperatorRejoined(operator=operator, best=best)


@internal
def _set_whitelisted(operator: address, whitelisted: bool):
    """
    @dev Sets an operator's whitelist flag (kept in its record).
    """
    self._set_op_field(
        operator, codec.OP_WHITELISTED, 1, convert(whitelisted, uint256)
    )


# ---------------------------------------------------------------- reads


@internal
@view
def _bid(bid_id: uint256) -> codec.Bid:
    """
    @dev A bid's record.
    @return codec.Bid The unpacked record.
    """
    return codec.unpack_bid(self._bids[bid_id])


@internal
@view
def _is_whitelisted(operator: address) -> bool:
    """
    @dev Whether an operator bids without a bond.
    @return bool The whitelist flag.
    """
    return (
        packing.field(self._operators[operator], codec.OP_WHITELISTED, 1) == 1
    )


@internal
@view
def _count(at: uint256) -> uint256:
    """
    @dev One field of the header (`codec.HEAD` ... `codec.RANKED`).
    @return uint256 The field.
    """
    return packing.field(self._header, at, ID_BITS)


@internal
@view
def _num_parked() -> uint256:
    """
    @dev Operators parked now.
    @return uint256 The count.
    """
    return packing.field(self._parked, codec.PARKED_COUNT, ID_BITS)


@internal
@view
def _is_parked(operator: address) -> bool:
    """
    @dev Whether an operator has pending bids but is not ranked.
    @return bool True when parked.
    """
    record: uint256 = self._operators[operator]
    return (
        packing.field(record, codec.OP_PENDING, ID_BITS) != 0
        and packing.field(record, codec.OP_RANKED, 1) == 0
    )


@internal
@view
def _top(k: uint256) -> DynArray[uint256, c.MAX_TOP]:
    """
    @dev Up to `k` pending bid ids of ranked operators in ranking order: a
         merge of the ranking of operators (`node`) with the own lists of
         the operators reached (`frontier`: each one's next bid).
    @return DynArray The bid ids, best first.
    """
    out: DynArray[uint256, c.MAX_TOP] = []
    frontier: DynArray[uint256, c.MAX_TOP] = []
    node: uint256 = self._count(codec.HEAD)
    for _: uint256 in range(k, bound=c.MAX_TOP):
        taken: uint256 = node
        at: uint256 = len(frontier)
        for j: uint256 in range(len(frontier), bound=c.MAX_TOP):
            if taken == 0 or self._ranks_before(
                self._bid_score(frontier[j]),
                frontier[j],
                self._bid_score(taken),
                taken,
            ):
                taken = frontier[j]
                at = j
        if taken == 0:
            break
        out.append(taken)
        following: uint256 = self._link(taken, codec.LINK_NEXT)
        if at == len(frontier):
            node = packing.field(self._node(node), codec.OP_NEXT, ID_BITS)
            frontier.append(following)
        else:
            frontier[at] = following
    return out


@internal
@view
def _hint_for(score: uint256) -> uint256:
    """
    @dev The hint a new operator's bid of this score should pass: the best
         bid of the operator it will follow, or of the one it will precede
         when it goes first, or 0 for an empty book. Walks from the head.
    @return uint256 The hint (a bid id, or 0).
    """
    found: bool = False
    prev: uint256 = 0
    nxt: uint256 = 0
    found, prev, nxt = self._find_rank(
        score,
        pricing.key(score),
        self._count(codec.LAST_ID) + 1,
        0,
        MAX_WALK,
    )
    if prev != 0:
        return prev
    return nxt


# ---------------------------------------------------------------- placing


@internal
def _place(operator: address, bid_id: uint256, score: uint256, hint: uint256):
    """
    @dev Puts a pending bid (whose record is written) at its place: in the
         ranking of operators when it is its operator's best bid, otherwise
         in the operator's own list. A parked operator rejoins the ranking
         (an uncapped walk its own transaction pays for).
    """
    record: uint256 = self._operators[operator]
    pending: uint256 = packing.field(record, codec.OP_PENDING, ID_BITS)
    self._operators[operator] = codec.with_field(
        record, codec.OP_PENDING, ID_BITS, pending + 1
    )
    if pending == 0:
        self._count_up(codec.OPERATORS)
        self._promote(operator, bid_id, score, hint, MAX_WALK)
        return
    best: uint256 = packing.field(record, codec.OP_BEST, ID_BITS)
    ranked: bool = packing.field(record, codec.OP_RANKED, 1) == 1
    if not ranked:
        self._unpark()
        log OperatorRejoined(operator=operator, best=best)
    # @dev A hint that is one of the operator's own pending bids starts the own-list search.
    own_start: uint256 = best
    if hint != bid_id:
        hinted: uint256 = self._bids[hint]
        if (
            codec.bid_operator(hinted) == operator
            and packing.field(hinted, codec.BID_STATUS, codec.STATUS_BITS)
            == c.BID_PENDING
        ):
            own_start = hint
    prev: uint256 = 0
    nxt: uint256 = 0
    prev, nxt = self._find_own(score, bid_id, own_start)
    self._own_link(bid_id, prev, nxt)
    if prev == 0:
        # @dev A new best bid: the old best heads the rest of the own list.
        if ranked:
            self._unrank(operator)
        self._promote(operator, bid_id, score, hint, MAX_WALK)
    elif not ranked:
        self._promote(operator, best, self._bid_score(best), hint, MAX_WALK)


@internal
def _detach(operator: address, bid_id: uint256, cap: uint256) -> uint256:
    """
    @dev Takes a pending bid out of the structure (its record and the book
         size are the caller's business). When it was the best bid of a
         ranked operator, the next one is promoted with a walk of at most
         `cap` operators.
    @return uint256 A bid near its old place (a default hint).
    """
    record: uint256 = self._operators[operator]
    pending: uint256 = packing.field(record, codec.OP_PENDING, ID_BITS) - 1
    self._operators[operator] = codec.with_field(
        record, codec.OP_PENDING, ID_BITS, pending
    )
    if bid_id != packing.field(record, codec.OP_BEST, ID_BITS):
        # @dev Not the best bid: unlinked from the own list, O(1).
        prev: uint256 = self._link(bid_id, codec.LINK_PREV)
        following: uint256 = self._link(bid_id, codec.LINK_NEXT)
        self._set_link(prev, codec.LINK_NEXT, following)
        if following != 0:
            self._set_link(following, codec.LINK_PREV, prev)
        return prev
    nxt: uint256 = 0
    if pending != 0:
        nxt = self._link(bid_id, codec.LINK_NEXT)
    near: uint256 = packing.field(record, codec.OP_PREV, ID_BITS)
    if near == 0:
        near = packing.field(record, codec.OP_NEXT, ID_BITS)
    ranked: bool = packing.field(record, codec.OP_RANKED, 1) == 1
    if ranked:
        self._unrank(operator)
    if nxt == 0:
        if not ranked:
            self._unpark()
        self._leave(operator)
    else:
        self._set_link(nxt, codec.LINK_PREV, 0)
        if ranked:
            self._promote(operator, nxt, self._bid_score(nxt), 0, cap)
        else:
            # @dev A parked operator stays parked with its next bid as best.
            self._set_op_field(operator, codec.OP_BEST, ID_BITS, nxt)
    return near


@internal
def _settle_seat(operator: address, bid_id: uint256) -> uint256:
    """
    @dev One winner of a settlement: its bid is won and its operator leaves
         the ranking (no old neighbours: a stale hint resolves to the head),
         or the book when that was its last pending bid.
    @return uint256 Its next bid, now heading its own list (0: none).
    """
    self._bids[bid_id] = codec.with_status(self._bids[bid_id], c.BID_WON)
    record: uint256 = self._operators[operator]
    pending: uint256 = packing.field(record, codec.OP_PENDING, ID_BITS) - 1
    self._operators[operator] = (record & KEEP_ON_SETTLE) | (
        pending << codec.OP_PENDING
    )
    if pending == 0:
        self._leave(operator)
        return 0
    second: uint256 = self._link(bid_id, codec.LINK_NEXT)
    self._set_link(second, codec.LINK_PREV, 0)
    return second


@internal
def _leave(operator: address):
    """
    @dev An operator's last pending bid left; its record keeps its old
         neighbours (for stale hints) and its whitelist flag.
    """
    self._set_op_field(operator, codec.OP_BEST, ID_BITS, 0)
    self._count_down(codec.OPERATORS)


# ---------------------------------------------------------------- the promotion


@internal
def _promote(
    operator: address,
    best: uint256,
    score: uint256,
    hint: uint256,
    cap: uint256,
):
    """
    @dev The promotion: ranks an unranked operator whose best bid is now
         `best`, walking at most `cap` operators from the hint's place (or
         its own old neighbours, or the head); when that is not enough, the
         operator is parked.
    """
    if self._enter(operator, best, score, hint, cap):
        return
    # @dev The count moves by adding to the word, as the header's do.
    self._parked += 1 << codec.PARKED_COUNT
    log OperatorParked(operator=operator, best=best)


@internal
def _unpark():
    """
    @dev One operator less is parked (it rejoins or leaves the book).
    """
    self._parked -= 1 << codec.PARKED_COUNT


@internal
def _enter(
    operator: address,
    best: uint256,
    score: uint256,
    hint: uint256,
    cap: uint256,
) -> bool:
    """
    @dev Links an unranked operator whose best bid is `best` into the
         ranking, searching at most `cap` operators from the hint's place.
         Either way its record gets `best`, its key and the neighbours the
         search ended between (its old neighbours when not linked).
    @return bool True when linked.
    """
    key: uint256 = pricing.key(score)
    start: uint256 = self._resolve_hint(hint)
    if start == 0:
        start = self._resolve_hint(best)
    found: bool = False
    prev: uint256 = 0
    nxt: uint256 = 0
    found, prev, nxt = self._find_rank(score, key, best, start, cap)
    record: uint256 = (self._operators[operator] & KEEP_ON_ENTRY) | (
        best
        | (prev << codec.OP_PREV)
        | (nxt << codec.OP_NEXT)
        | (key << codec.OP_KEY)
    )
    if not found:
        self._operators[operator] = record
        return False
    self._operators[operator] = codec.with_field(record, codec.OP_RANKED, 1, 1)
    self._set_neighbour(prev, codec.OP_NEXT, codec.HEAD, best)
    self._set_neighbour(nxt, codec.OP_PREV, codec.TAIL, best)
    self._count_up(codec.RANKED)
    return True


@internal
def _unrank(operator: address):
    """
    @dev Joins a ranked operator's neighbours to each other; its record
         keeps them as old neighbours.
    """
    record: uint256 = self._operators[operator]
    prev: uint256 = packing.field(record, codec.OP_PREV, ID_BITS)
    nxt: uint256 = packing.field(record, codec.OP_NEXT, ID_BITS)
    self._set_neighbour(prev, codec.OP_NEXT, codec.HEAD, nxt)
    self._set_neighbour(nxt, codec.OP_PREV, codec.TAIL, prev)
    self._operators[operator] = codec.with_field(record, codec.OP_RANKED, 1, 0)
    self._count_down(codec.RANKED)


# ---------------------------------------------------------------- ranking of operators


@internal
@view
def _resolve_hint(hint: uint256) -> uint256:
    """
    @dev A ranked best bid to start a search from: the current best bid of
         the hint's operator, or, when that operator is unranked, of the
         old neighbours its record keeps (a few hops). 0: none.
    @return uint256 A ranked best bid, or 0.
    """
    # @dev An unknown id (above the last one) reads address 0's empty record.
    if hint == 0:
        return 0
    candidate: uint256 = hint
    for _: uint256 in range(MAX_HINT_HOPS):
        record: uint256 = self._node(candidate)
        if packing.field(record, codec.OP_RANKED, 1) == 1:
            return packing.field(record, codec.OP_BEST, ID_BITS)
        candidate = packing.field(record, codec.OP_PREV, ID_BITS)
        if candidate == 0:
            candidate = packing.field(record, codec.OP_NEXT, ID_BITS)
        if candidate == 0:
            return 0
    return 0


@internal
@view
def _find_rank(
    score: uint256, key: uint256, bid_id: uint256, start: uint256, cap: uint256
) -> (bool, uint256, uint256):
    """
    @dev The (prev, next) ranked best bids between which the bid (score,
         bid_id) belongs, walking from `start` (0: the head) past at most
         `cap` operators.
    @return bool True when found within the cap.
    @return uint256 The previous ranked best bid (0: none), or where the
            walk stopped.
    @return uint256 The next ranked best bid (0: none), or where the walk
            stopped.
    """
    prev: uint256 = 0
    nxt: uint256 = self._count(codec.HEAD)
    steps: uint256 = 0
    if start != 0:
        record: uint256 = self._node(start)
        if self._above(record, start, score, key, bid_id):
            prev = start
            nxt = packing.field(record, codec.OP_NEXT, ID_BITS)
        else:
            # @dev Walk up towards the head.
            nxt = start
            prev = packing.field(record, codec.OP_PREV, ID_BITS)
            for _: uint256 in range(MAX_WALK):
                if prev == 0:
                    return True, prev, nxt
                record = self._node(prev)
                if self._above(record, prev, score, key, bid_id):
                    return True, prev, nxt
                if steps == cap:
                    return False, prev, nxt
                steps += 1
                nxt = prev
                prev = packing.field(record, codec.OP_PREV, ID_BITS)
    for _: uint256 in range(MAX_WALK):
        # @dev Walk down towards the tail.
        if nxt == 0:
            return True, prev, nxt
        record: uint256 = self._node(nxt)
        if not self._above(record, nxt, score, key, bid_id):
            return True, prev, nxt
        if steps == cap:
            return False, prev, nxt
        steps += 1
        prev = nxt
        nxt = packing.field(record, codec.OP_NEXT, ID_BITS)
    return False, prev, nxt


@internal
@view
def _above(
    record: uint256,
    node: uint256,
    score: uint256,
    key: uint256,
    bid_id: uint256,
) -> bool:
    """
    @dev Whether the ranked best bid `node` (its operator's `record`) ranks
         above the bid (score, key, bid_id): the stored keys decide, unless
         they are equal and wide, then the scores are recomputed.
    @return bool True when `node` ranks above.
    """
    node_key: uint256 = packing.field(record, codec.OP_KEY, pricing.KEY_BITS)
    if node_key != key:
        return node_key > key
    if key >> pricing.EXACT_KEY_BITS == 0:
        return node < bid_id
    return self._ranks_before(self._bid_score(node), node, score, bid_id)


@internal
def _set_neighbour(
    node: uint256, op_shift: uint256, header_shift: uint256, new: uint256
):
    """
    @dev Sets a ranked best bid's prev or next (`op_shift`); for node 0,
         the header's head or tail (`header_shift`).
    """
    if node == 0:
        self._set_count(header_shift, new)
        return
    self._set_op_field(
        codec.bid_operator(self._bids[node]), op_shift, ID_BITS, new
    )


# ---------------------------------------------------------------- own lists


@internal
@view
def _find_own(
    score: uint256, bid_id: uint256, start: uint256
) -> (uint256, uint256):
    """
    @dev The (prev, next) bids of the operator's own list between which a
         key belongs, walking from its own pending bid `start`; prev == 0
         when the key ranks above the operator's best bid.
    @return uint256 The previous bid of the own list (0: none).
    @return uint256 The next bid of the own list (0: none).
    """
    prev: uint256 = 0
    nxt: uint256 = 0
    if self._ranks_before(self._bid_score(start), start, score, bid_id):
        prev = start
        nxt = self._link(start, codec.LINK_NEXT)
        for _: uint256 in range(MAX_WALK):
            if nxt == 0 or not self._ranks_before(
                self._bid_score(nxt), nxt, score, bid_id
            ):
                break
            prev = nxt
            nxt = self._link(nxt, codec.LINK_NEXT)
        return prev, nxt
    nxt = start
    prev = self._link(start, codec.LINK_PREV)
    for _: uint256 in range(MAX_WALK):
        # @dev prev == 0: the key ranks above the operator's best bid.
        if prev == 0 or self._ranks_before(
            self._bid_score(prev), prev, score, bid_id
        ):
            break
        nxt = prev
        prev = self._link(prev, codec.LINK_PREV)
    return prev, nxt


@internal
def _own_link(bid_id: uint256, prev: uint256, nxt: uint256):
    """
    @dev Links a bid between two bids of its operator's own list.
    """
    self._set_link(bid_id, codec.LINK_PREV, prev)
    self._set_link(bid_id, codec.LINK_NEXT, nxt)
    if prev != 0:
        self._set_link(prev, codec.LINK_NEXT, bid_id)
    if nxt != 0:
        self._set_link(nxt, codec.LINK_PREV, bid_id)


@internal
@view
def _link(bid_id: uint256, which: uint256) -> uint256:
    """
    @dev A bid's prev or next (`codec.LINK_PREV`/`LINK_NEXT`) in its
         operator's own list (0 for an operator's only bid).
    @return uint256 The neighbouring bid id (0: none).
    """
    return packing.field(
        self._links[packing.slot_of(bid_id)],
        packing.entry_shift(bid_id, codec.LINK_BITS) + which,
        ID_BITS,
    )


@internal
def _set_link(bid_id: uint256, which: uint256, new: uint256):
    slot: uint256 = packing.slot_of(bid_id)
    self._links[slot] = codec.with_field(
        self._links[slot],
        packing.entry_shift(bid_id, codec.LINK_BITS) + which,
        ID_BITS,
        new,
    )


# ---------------------------------------------------------------- fields and keys


@internal
def _set_count(at: uint256, new: uint256):
    self._header = codec.with_field(self._header, at, ID_BITS, new)


@internal
def _count_up(at: uint256):
    self._header += 1 << at


@internal
def _count_down(at: uint256):
    self._header -= 1 << at


@internal
@view
def _op_field(operator: address, at: uint256) -> uint256:
    """
    @dev A 40-bit field of an operator's record.
    @return uint256 The field.
    """
    return packing.field(self._operators[operator], at, ID_BITS)


@internal
def _set_op_field(operator: address, at: uint256, bits: uint256, new: uint256):
    self._operators[operator] = codec.with_field(
        self._operators[operator], at, bits, new
    )


@internal
@view
def _node(best: uint256) -> uint256:
    """
    @dev The record of the operator owning bid `best`.
    @return uint256 The packed record.
    """
    return self._operators[codec.bid_operator(self._bids[best])]


@internal
@view
def _bid_score(bid_id: uint256) -> uint256:
    """
    @dev A stored bid's score.
    @return uint256 The score (0 for bid 0).
    """
    if bid_id == 0:
        return 0
    word: uint256 = self._bids[bid_id]
    return pricing.score(
        word >> codec.BID_VC_PRICE,
        packing.field(word, codec.BID_DURATION, codec.DURATION_BITS),
        codec.bid_bond(word),
    )


@internal
@pure
def _ranks_before(
    score_a: uint256, id_a: uint256, score_b: uint256, id_b: uint256
) -> bool:
    """
    @dev True when bid a ranks above bid b: higher score, then lower id.
    @return bool Whether bid a ranks above bid b.
    """
    return score_a > score_b or (score_a == score_b and id_a < id_b)
