# pragma version ~=0.4.3
"""
@title Bid book: the auction core
@custom:contract-name bid_book
@license MIT
@notice The ordered book of pending bids and the top-k winner selection.
        Ranking: higher score first; equal scores in bid-id order (earlier
        bid first). A cluster's winners are the best pending bid of each of
        the first `k` distinct operators in that ranking.
@dev Two levels, so that settlement walks exactly the winners:
     - the ranking of operators: a doubly linked list of operators sorted by
       their best pending bid (its links are the neighbours' best bid ids,
       kept in the operator's record);
     - each operator's own list: its pending bids sorted by the same key,
       best first (links packed three bids a word; an operator with a single
       pending bid writes none).
     The top `k` operators are the first `k` nodes of the ranking, so
     settlement reads `k` records whatever the book holds and however many
     bids any operator stacks. A winner's next bid is promoted into the
     ranking by a walk from the top that passes only over other operators'
     *best* bids ranking above it: an operator's extra bids never cost
     anyone else gas.

     Hints (Liquity's SortedTroves, made robust): a hint is any bid id. It
     is resolved to its operator's current place in the ranking; when that
     operator has left the book, to the old neighbours its record keeps
     (a few hops at most), so a hint that went stale since it was computed
     costs a few reads, never a walk from the head. A hint that is one of
     the bidder's own pending bids positions a bid inside its own list.
     A missing or wrong hint never fails a bid: the book walks from the
     resolved place (or the head) in the right direction.

     Scores are recomputed from the stored daily VC price and duration
     (docs/protocol.md §2): they do not depend on the configuration, so a
     configuration change never re-ranks existing bids. Storage words are
     packed by `lib/book_codec.vy`; this module speaks in its structs.
"""

from ..lib import book_codec as codec
from ..lib import constants as c


# @dev Upper bound of any walk. Vyper needs a static bound; the gas limit
# of a block is reached long before it.
MAX_WALK: constant(uint256) = 1_000_000
# @dev Old-neighbour hops a stale hint may take before the head is used.
MAX_HINT_HOPS: constant(uint256) = 8

_bids: HashMap[uint256, uint256]
_links: HashMap[uint256, uint256]
_operators: HashMap[address, uint256]
_header: uint256


@deploy
def __init__():
    """
    @dev The book starts empty; bid ids start at 1 (0 means "none"). The
         header's sentinel bit keeps its word non-zero from the start.
    """
    self._header = codec.pack_header(empty(codec.Header))


# ---------------------------------------------------------------- writes


@internal
def _insert(
    operator: address,
    discount_rate: uint256,
    duration: uint256,
    vc_price: uint256,
    score: uint256,
    bonded: bool,
    hint: uint256,
) -> uint256:
    """
    @dev Adds a new pending bid and returns its id (the next unused one).
    @param score `_score(vc_price, duration)`, which the caller computed.
    @param hint Any bid id near which the bid belongs (0: none).
    @return uint256 The new bid's id.
    """
    header: codec.Header = codec.unpack_header(self._header)
    bid_id: uint256 = header.last_id + 1
    assert bid_id <= c.MAX_BID_ID, "bid_book: ids exhausted"
    header.last_id = bid_id
    header.size += 1
    self._bids[bid_id] = codec.pack_bid(
        codec.Bid(
            operator=operator,
            status=c.STATUS_PENDING,
            bonded=bonded,
            discount_rate=discount_rate,
            duration=duration,
            vc_price=vc_price,
        )
    )
    header = self._place(header, operator, bid_id, score, hint, True)
    self._header = codec.pack_header(header)
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
         Without a hint the search starts from the bid's own old place.
    """
    bid: codec.Bid = codec.unpack_bid(self._bids[bid_id])
    header: codec.Header = codec.unpack_header(self._header)
    near: uint256 = 0
    header, near = self._detach(header, bid.operator, bid_id)
    bid.discount_rate = discount_rate
    bid.duration = duration
    bid.vc_price = vc_price
    self._bids[bid_id] = codec.pack_bid(bid)
    start: uint256 = hint
    if start == 0:
        start = near
    header = self._place(header, bid.operator, bid_id, score, start, False)
    self._header = codec.pack_header(header)


@internal
def _remove(bid_id: uint256, status: uint256):
    """
    @dev Takes a pending bid out of the book (a withdrawal) and gives it
         its final status. O(1) unless it was its operator's best bid and
         the operator has others: then the next one is promoted by a walk
         the operator itself pays for.
    """
    word: uint256 = self._bids[bid_id]
    header: codec.Header = codec.unpack_header(self._header)
    near: uint256 = 0
    header, near = self._detach(header, codec.unpack_bid(word).operator, bid_id)
    header.size -= 1
    self._bids[bid_id] = codec.with_status(word, status)
    self._header = codec.pack_header(header)


@internal
def _take_top(k: uint256) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    """
    @dev Settlement: takes the best pending bid of each of the first `k`
         operators of the ranking (the caller checked there are `k`), marks
         them won, and promotes each winner's next bid, if any.
    @return DynArray The winning bid ids, in ranking order.
    """
    header: codec.Header = codec.unpack_header(self._header)
    winners: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    owners: DynArray[address, c.MAX_CLUSTER_SIZE] = []
    current: uint256 = header.head
    for _: uint256 in range(k, bound=c.MAX_CLUSTER_SIZE):
        operator: address = codec.unpack_bid(self._bids[current]).operator
        winners.append(current)
        owners.append(operator)
        current = codec.unpack_operator(self._operators[operator]).next
    # @dev The first `k` operators leave the ranking at once: `current` is its new head.
    header.head = current
    if current == 0:
        header.tail = 0
    else:
        self._set_neighbour_prev(current, 0)
    for i: uint256 in range(k, bound=c.MAX_CLUSTER_SIZE):
        header = self._settle_seat(header, owners[i], winners[i], current)
    self._header = codec.pack_header(header)
    return winners


@internal
def _set_whitelisted(operator: address, whitelisted: bool):
    """
    @dev Sets an operator's whitelist flag (kept in its record).
    """
    record: codec.Operator = codec.unpack_operator(self._operators[operator])
    record.whitelisted = whitelisted
    self._operators[operator] = codec.pack_operator(record)


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
def _operator(operator: address) -> codec.Operator:
    """
    @dev An operator's record.
    @return codec.Operator The unpacked record.
    """
    return codec.unpack_operator(self._operators[operator])


@internal
@view
def _book() -> codec.Header:
    """
    @dev The book's header.
    @return codec.Header The unpacked header.
    """
    return codec.unpack_header(self._header)


@internal
@view
def _top(k: uint256) -> DynArray[uint256, c.MAX_TOP]:
    """
    @dev Up to `k` pending bid ids in global ranking order: a merge of the
         ranking of operators with each reached operator's own list.
    @return DynArray The bid ids, best first.
    """
    out: DynArray[uint256, c.MAX_TOP] = []
    frontier: DynArray[uint256, c.MAX_TOP] = []
    frontier_scores: DynArray[uint256, c.MAX_TOP] = []
    node: uint256 = codec.unpack_header(self._header).head
    node_score: uint256 = self._bid_score(node)
    for _: uint256 in range(c.MAX_TOP):
        if len(out) == k:
            break
        best: uint256 = 0
        for j: uint256 in range(len(frontier), bound=c.MAX_TOP):
            if self._ranks_before(
                frontier_scores[j],
                frontier[j],
                frontier_scores[best],
                frontier[best],
            ):
                best = j
        if node != 0 and (
            len(frontier) == 0
            or self._ranks_before(
                node_score, node, frontier_scores[best], frontier[best]
            )
        ):
            out.append(node)
            following: uint256 = self._own_links(node).next
            if following != 0:
                frontier.append(following)
                frontier_scores.append(self._bid_score(following))
            node = self._node_record(node).next
            node_score = self._bid_score(node)
        elif len(frontier) != 0:
            taken: uint256 = frontier[best]
            out.append(taken)
            following: uint256 = self._own_links(taken).next
            if following != 0:
                frontier[best] = following
                frontier_scores[best] = self._bid_score(following)
            else:
                frontier[best] = frontier[len(frontier) - 1]
                frontier_scores[best] = frontier_scores[len(frontier) - 1]
                frontier.pop()
                frontier_scores.pop()
        else:
            break
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
    header: codec.Header = codec.unpack_header(self._header)
    prev: uint256 = 0
    nxt: uint256 = 0
    prev, nxt = self._find_rank(header, score, header.last_id + 1, 0)
    if prev != 0:
        return prev
    return nxt


@internal
@pure
def _score(vc_price: uint256, duration: uint256) -> uint256:
    """
    @dev score(d, t) = vc_price(d) * P(t) // 10**18 with
         P(t) = rpow(1.001, t) at RAY precision // 10**9 (docs/protocol.md §2).
    @return uint256 The bid's score.
    """
    assert duration <= c.MAX_DURATION_CAP, "bid_book: duration above cap"
    return (
        vc_price
        * (self._rpow(c.DAILY_SCORE_GROWTH, duration) // 10**9) // 10**18
    )


# ---------------------------------------------------------------- placing


@internal
def _place(
    header: codec.Header,
    operator: address,
    bid_id: uint256,
    score: uint256,
    hint: uint256,
    fresh: bool,
) -> codec.Header:
    """
    @dev Puts a pending bid (whose record is written) at its place: in the
         ranking of operators when it is its operator's best bid, otherwise
         in the operator's own list. `fresh`: its links were never written.
    @return codec.Header The updated header.
    """
    book: codec.Header = header
    record: codec.Operator = codec.unpack_operator(self._operators[operator])
    # @dev A hint that is one of the operator's own pending bids ranking above
    # the new one proves it is not the best: its own list is searched from there.
    own_start: uint256 = 0
    if (
        record.best != 0
        and hint != 0
        and hint != bid_id
        and hint <= book.last_id
    ):
        hinted: codec.Bid = codec.unpack_bid(self._bids[hint])
        if hinted.operator == operator and hinted.status == c.STATUS_PENDING:
            own_start = hint
    if record.best == 0:
        # @dev The operator enters the ranking.
        if not fresh:
            self._write_links(bid_id, empty(codec.Links))
        book, record = self._enter_ranking(
            book, record, bid_id, score, self._resolve_hint(book, hint, 0)
        )
        book.operators += 1
    elif own_start == 0 and self._ranks_before(
        score, bid_id, self._bid_score(record.best), record.best
    ):
        # @dev A new best bid: the old best heads the rest of the own list.
        old_best: uint256 = record.best
        self._own_link(bid_id, 0, old_best)
        book = self._leave_ranking(book, record)
        start: uint256 = self._resolve_hint(book, hint, old_best)
        if start == 0:
            start = record.prev
        book, record = self._enter_ranking(book, record, bid_id, score, start)
    else:
        if own_start == 0:
            own_start = record.best
        prev: uint256 = 0
        nxt: uint256 = 0
        prev, nxt = self._find_own(score, bid_id, own_start)
        if prev == 0:
            # @dev The own hint ranked below the key and the walk reached the
            # top: the bid is the operator's new best after all.
            book = self._leave_ranking(book, record)
            self._own_link(bid_id, 0, nxt)
            start: uint256 = record.prev
            book, record = self._enter_ranking(
                book, record, bid_id, score, start
            )
        else:
            self._own_link(bid_id, prev, nxt)
    record.pending += 1
    self._operators[operator] = codec.pack_operator(record)
    return book


@internal
def _detach(
    header: codec.Header, operator: address, bid_id: uint256
) -> (codec.Header, uint256):
    """
    @dev Takes a pending bid out of the structure (its record and the book
         size are the caller's business).
    @return codec.Header The updated header.
    @return uint256 A bid near its old place (a default hint).
    """
    book: codec.Header = header
    record: codec.Operator = codec.unpack_operator(self._operators[operator])
    near: uint256 = 0
    if record.best == bid_id:
        book = self._leave_ranking(book, record)
        near = record.prev
        if near == 0:
            near = record.next
        if record.pending > 1:
            second: uint256 = self._own_links(bid_id).next
            self._write_links(
                second, codec.Links(prev=0, next=self._own_links(second).next)
            )
            book, record = self._enter_ranking(
                book, record, second, self._bid_score(second), record.prev
            )
        else:
            # @dev It leaves the book; its record keeps its old neighbours.
            record.best = 0
            book.operators -= 1
    else:
        links: codec.Links = self._own_links(bid_id)
        self._write_links(
            links.prev,
            codec.Links(prev=self._own_links(links.prev).prev, next=links.next),
        )
        if links.next != 0:
            self._write_links(
                links.next,
                codec.Links(
                    prev=links.prev, next=self._own_links(links.next).next
                ),
            )
        near = links.prev
    record.pending -= 1
    self._operators[operator] = codec.pack_operator(record)
    return book, near


@internal
def _settle_seat(
    header: codec.Header, operator: address, bid_id: uint256, head: uint256
) -> codec.Header:
    """
    @dev One winner of a settlement: its bid is won; its operator leaves
         the ranking or its next bid is promoted (a walk from the top).
    @return codec.Header The updated header.
    """
    book: codec.Header = header
    record: codec.Operator = codec.unpack_operator(self._operators[operator])
    self._bids[bid_id] = codec.with_status(self._bids[bid_id], c.STATUS_WON)
    record.pending -= 1
    book.size -= 1
    if record.pending == 0:
        # @dev Old neighbours for stale hints: the new head of the ranking.
        record.best = 0
        record.prev = 0
        record.next = head
        book.operators -= 1
    else:
        second: uint256 = self._own_links(bid_id).next
        self._write_links(
            second, codec.Links(prev=0, next=self._own_links(second).next)
        )
        book, record = self._enter_ranking(
            book, record, second, self._bid_score(second), 0
        )
    self._operators[operator] = codec.pack_operator(record)
    return book


# ---------------------------------------------------------------- ranking of operators


@internal
def _enter_ranking(
    header: codec.Header,
    record: codec.Operator,
    best: uint256,
    score: uint256,
    start: uint256,
) -> (codec.Header, codec.Operator):
    """
    @dev Links an operator whose best bid is `best` into the ranking,
         searching from `start` (a ranked best bid, or 0 for the head).
    @return codec.Header The updated header.
    @return codec.Operator The operator's record, ranked.
    """
    book: codec.Header = header
    ranked: codec.Operator = record
    prev: uint256 = 0
    nxt: uint256 = 0
    prev, nxt = self._find_rank(book, score, best, start)
    if prev == 0:
        book.head = best
    else:
        self._set_neighbour_next(prev, best)
    if nxt == 0:
        book.tail = best
    else:
        self._set_neighbour_prev(nxt, best)
    ranked.best = best
    ranked.prev = prev
    ranked.next = nxt
    return book, ranked


@internal
def _leave_ranking(
    header: codec.Header, record: codec.Operator
) -> codec.Header:
    """
    @dev Joins a ranked operator's neighbours to each other.
    @return codec.Header The updated header.
    """
    book: codec.Header = header
    if record.prev == 0:
        book.head = record.next
    else:
        self._set_neighbour_next(record.prev, record.next)
    if record.next == 0:
        book.tail = record.prev
    else:
        self._set_neighbour_prev(record.next, record.prev)
    return book


@internal
@view
def _resolve_hint(
    header: codec.Header, hint: uint256, exclude: uint256
) -> uint256:
    """
    @dev A ranked best bid to start a search from: the current best bid of
         the hint's operator, or, when that operator has left the book, of
         the old neighbours its record keeps (a few hops). 0: the head.
         `exclude` is the caller's own best bid, never a valid start.
    @return uint256 A ranked best bid, or 0 for the head.
    """
    if hint == 0 or hint > header.last_id:
        return 0
    candidate: uint256 = hint
    for _: uint256 in range(MAX_HINT_HOPS):
        record: codec.Operator = self._node_record(candidate)
        if record.best != 0:
            if record.best == exclude:
                return 0
            return record.best
        if record.prev != 0:
            candidate = record.prev
        elif record.next != 0:
            candidate = record.next
        else:
            return 0
    return 0


@internal
@view
def _find_rank(
    header: codec.Header, score: uint256, bid_id: uint256, start: uint256
) -> (uint256, uint256):
    """
    @dev The (prev, next) ranked best bids between which the key
         (score, bid_id) belongs, walking from `start` (0: the head).
    @return uint256 The previous ranked best bid (0: none).
    @return uint256 The next ranked best bid (0: none).
    """
    prev: uint256 = 0
    nxt: uint256 = header.head
    if start != 0:
        record: codec.Operator = self._node_record(start)
        if self._ranks_before(self._bid_score(start), start, score, bid_id):
            prev = start
            nxt = record.next
        else:
            # @dev Walk up towards the head.
            nxt = start
            prev = record.prev
            for _: uint256 in range(MAX_WALK):
                if prev == 0 or self._ranks_before(
                    self._bid_score(prev), prev, score, bid_id
                ):
                    return prev, nxt
                nxt = prev
                prev = self._node_record(prev).prev
    for _: uint256 in range(MAX_WALK):
        # @dev Walk down towards the tail.
        if nxt == 0 or not self._ranks_before(
            self._bid_score(nxt), nxt, score, bid_id
        ):
            break
        prev = nxt
        nxt = self._node_record(nxt).next
    return prev, nxt


@internal
def _set_neighbour_next(best: uint256, nxt: uint256):
    operator: address = codec.unpack_bid(self._bids[best]).operator
    record: codec.Operator = codec.unpack_operator(self._operators[operator])
    record.next = nxt
    self._operators[operator] = codec.pack_operator(record)


@internal
def _set_neighbour_prev(best: uint256, prev: uint256):
    operator: address = codec.unpack_bid(self._bids[best]).operator
    record: codec.Operator = codec.unpack_operator(self._operators[operator])
    record.prev = prev
    self._operators[operator] = codec.pack_operator(record)


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
        nxt = self._own_links(start).next
        for _: uint256 in range(MAX_WALK):
            if nxt == 0 or not self._ranks_before(
                self._bid_score(nxt), nxt, score, bid_id
            ):
                break
            prev = nxt
            nxt = self._own_links(nxt).next
        return prev, nxt
    nxt = start
    prev = self._own_links(start).prev
    for _: uint256 in range(MAX_WALK):
        # @dev prev == 0: the key ranks above the operator's best bid.
        if prev == 0 or self._ranks_before(
            self._bid_score(prev), prev, score, bid_id
        ):
            break
        nxt = prev
        prev = self._own_links(prev).prev
    return prev, nxt


@internal
def _own_link(bid_id: uint256, prev: uint256, nxt: uint256):
    """
    @dev Links a bid between two bids of its operator's own list.
    """
    self._write_links(bid_id, codec.Links(prev=prev, next=nxt))
    if prev != 0:
        self._write_links(
            prev, codec.Links(prev=self._own_links(prev).prev, next=bid_id)
        )
    if nxt != 0:
        self._write_links(
            nxt, codec.Links(prev=bid_id, next=self._own_links(nxt).next)
        )


@internal
@view
def _own_links(bid_id: uint256) -> codec.Links:
    """
    @dev A bid's links in its operator's own list.
    @return codec.Links Its prev/next in its operator's own list.
    """
    return codec.get_links(self._links[codec.links_slot(bid_id)], bid_id)


@internal
def _write_links(bid_id: uint256, links: codec.Links):
    slot: uint256 = codec.links_slot(bid_id)
    self._links[slot] = codec.set_links(self._links[slot], bid_id, links)


# ---------------------------------------------------------------- keys


@internal
@view
def _node_record(best: uint256) -> codec.Operator:
    """
    @dev The record of the operator owning bid `best`.
    @return codec.Operator The operator's record.
    """
    return codec.unpack_operator(
        self._operators[codec.unpack_bid(self._bids[best]).operator]
    )


@internal
@view
def _bid_score(bid_id: uint256) -> uint256:
    """
    @dev A stored bid's score.
    @return uint256 The score (0 for bid 0).
    """
    if bid_id == 0:
        return 0
    bid: codec.Bid = codec.unpack_bid(self._bids[bid_id])
    return self._score(bid.vc_price, bid.duration)


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


@internal
@pure
def _rpow(base: uint256, exponent: uint256) -> uint256:
    """
    @dev Fixed-point power at RAY precision, exponentiation by squaring with
         round-half-up products (docs/protocol.md §2). Unchecked arithmetic is
         safe here: `exponent` <= MAX_DURATION_CAP (36 500, checked by
         `_score`) and `base` is 1.001 at RAY, so every product stays below
         2**233 (checked exhaustively in tests/operator/test_pricing.py).
    @return uint256 base ** exponent at RAY precision.
    """
    x: uint256 = base
    n: uint256 = exponent
    z: uint256 = c.RAY
    if n & 1 == 1:
        z = x
    n >>= 1
    for _: uint256 in range(16):
        if n == 0:
            break
        x = unsafe_div(unsafe_add(unsafe_mul(x, x), c.RAY // 2), c.RAY)
        if n & 1 == 1:
            z = unsafe_div(unsafe_add(unsafe_mul(z, x), c.RAY // 2), c.RAY)
        n >>= 1
    return z
