"""Hints for the Auction's bid book in milliseconds, for any book size, without a linear on-chain walk.

`BookMirror` rebuilds the book off-chain from the Auction's events (`BidPlaced`, `BidUpdated`,
`BidWithdrawn`, `ClusterSettled`, `SeatTaken`) or from its views, and answers the question a bidder asks
before `bid`: which pending bid should I name as my hint? The answer is exact for the state mirrored; if
the book moves before the bid lands the hint is merely stale, which the contract resolves in a few steps.

    mirror = BookMirror.from_auction(protocol.auction)      # reads every bid once through get_bid
    hint = mirror.hint(operator, score)                     # for one new bid
    hints = mirror.hints(operator, [score_a, score_b])      # for a batch (0 = follow the previous bid)
    hints = mirror.settlement_hints(cluster_size)           # for `settle_cluster(hints)`: one per winner
    hint = mirror.rejoin_hint(operator)                     # for `rejoin(operator, hint)` (a parked one)

Ranking (docs/protocol.md §3): higher score first, equal scores by bid id. A score includes its bid's bond
factor (docs/protocol.md §2): pass `auction.auction_score(d, t, bond)` for a bid with a chosen bond; the
events and `get_bid` carry it already. The contract keeps operators
ranked by their best pending bid, and each operator's other bids in its own list; a hint is the best bid of
the operator a new best bid will follow (or precede, at the top), or, for a bid that will not be its
operator's best, one of that operator's own bids next to which it belongs.

Parked operators (docs/protocol.md §3) keep their own lists but are out of the ranking, so their bids cannot
win, until they rejoin; the mirror follows `OperatorParked`/`OperatorRejoined` (or the `is_parked` view).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from deploy.constants import c


@dataclass(order=True)
class _Key:
    """Sort key: ascending `_Key` order is the ranking (best first)."""

    neg_score: int
    bid_id: int


@dataclass
class BookMirror:
    """An off-chain copy of the pending bids: a sorted list of operators' best bids and own lists."""

    owner_of: dict[int, str] = field(default_factory=dict)
    score_of: dict[int, int] = field(default_factory=dict)
    own: dict[str, list[_Key]] = field(default_factory=dict)  # each operator's pending bids, best first
    ranking: list[_Key] = field(default_factory=list)  # every ranked operator's best bid, best first
    parked: set[str] = field(default_factory=set)  # operators with pending bids out of the ranking
    last_id: int = 0

    # ------------------------------------------------------------ building

    @classmethod
    def from_auction(cls, auction) -> BookMirror:
        """Mirror the pending bids through the Auction's `get_bid` view (one call per bid ever placed)."""
        mirror = cls()
        for bid_id in range(1, auction.num_bids() + 1):
            bid = auction.get_bid(bid_id)
            mirror.last_id = bid_id
            if bid.status == c.BID_PENDING:
                mirror.add(bid_id, str(bid.operator), bid.score)
        for operator in list(mirror.own):
            if auction.is_parked(operator):
                mirror.park(operator)
        return mirror

    def apply_logs(self, logs) -> None:
        """Follow the book through decoded Auction logs (titanoboa's `get_logs()` or a log filter)."""
        for log in logs:
            name = type(log).__name__
            if name == "BidPlaced":
                self.add(log.bid_id, str(log.operator), log.score)
            elif name == "BidUpdated":
                self.remove(log.bid_id)
                self.add(log.bid_id, str(log.operator), log.score)
            elif name == "BidWithdrawn":
                self.remove(log.bid_id)
            elif name == "ClusterSettled":  # every seat's bid won
                for seat in log.seats:
                    self.remove(seat.bid_id)
            elif name == "SeatTaken":  # a rotating seat's bid won (docs/protocol.md §10)
                self.remove(log.seat.bid_id)
            elif name == "OperatorParked":
                self.park(str(log.operator))
            elif name == "OperatorRejoined":
                self.rejoin(str(log.operator))

    def park(self, operator: str) -> None:
        """The operator leaves the ranking; its bids stay (its best may be a bid about to be removed)."""
        if operator not in self.parked:
            self._unrank(self.own[operator][0])
            self.parked.add(operator)

    def rejoin(self, operator: str) -> None:
        """A parked operator is ranked again with its best bid."""
        if operator in self.parked:
            self.parked.discard(operator)
            self._rank(self.own[operator][0])

    def add(self, bid_id: int, operator: str, score: int) -> None:
        key = _Key(-score, bid_id)
        own = self.own.setdefault(operator, [])
        ranked = operator not in self.parked
        if own and ranked:
            self._unrank(own[0])
        bisect.insort(own, key)
        if ranked:
            self._rank(own[0])
        self.owner_of[bid_id], self.score_of[bid_id] = operator, score
        self.last_id = max(self.last_id, bid_id)

    def remove(self, bid_id: int) -> None:
        operator = self.owner_of.pop(bid_id)
        key = _Key(-self.score_of.pop(bid_id), bid_id)
        own = self.own[operator]
        ranked = operator not in self.parked
        if ranked:
            self._unrank(own[0])
        own.pop(bisect.bisect_left(own, key))
        if own and ranked:
            self._rank(own[0])
        elif not own:
            del self.own[operator]
            self.parked.discard(operator)

    def _rank(self, key: _Key) -> None:
        bisect.insort(self.ranking, key)

    def _unrank(self, key: _Key) -> None:
        self.ranking.pop(bisect.bisect_left(self.ranking, key))

    # ------------------------------------------------------------ answers

    def hint(self, operator: str, score: int, bid_id: int | None = None) -> int:
        """The hint for a bid of `score` by `operator` (the next bid id unless `bid_id` is given)."""
        key = _Key(-score, self.last_id + 1 if bid_id is None else bid_id)
        own = self.own.get(str(operator), [])
        if own and own[0] < key:
            # not its operator's best: the own bid it will follow
            return own[bisect.bisect_left(own, key) - 1].bid_id
        ranking, mine = self.ranking, own[0] if own else None
        at = bisect.bisect_left(ranking, key)
        before = at - 1
        if before >= 0 and ranking[before] == mine:
            before -= 1
        if before >= 0:
            return ranking[before].bid_id
        after = at + 1 if at < len(ranking) and ranking[at] == mine else at
        return ranking[after].bid_id if after < len(ranking) else 0

    def hints(self, operator: str, scores: list[int]) -> list[int]:
        """Hints for a batch: each bid's hint computed as if the previous bids of the batch had landed.

        The mirror itself is left as it was: add the bids with their real ids once they landed.
        """
        first, out = self.last_id + 1, []
        for offset, score in enumerate(scores):
            out.append(self.hint(operator, score))
            self.add(first + offset, str(operator), score)
        for offset in range(len(scores)):
            self.remove(first + offset)
        self.last_id = first - 1
        return out

    def top(self, k: int) -> list[int]:
        """The first `k` pending bid ids of ranked operators (what `Auction.top_bids(k)` returns)."""
        keys = sorted(key for op, own in self.own.items() if op not in self.parked for key in own)
        return [key.bid_id for key in keys[:k]]

    def winners(self, cluster_size: int) -> list[int]:
        """The bids the next settlement takes: the best bid of each of the first `cluster_size` ranked."""
        return [key.bid_id for key in self.ranking[:cluster_size]]

    def settlement_hints(self, cluster_size: int) -> list[int]:
        """One hint per winner for `settle_cluster(hints)`: where each winner's next bid will rank.

        The contract takes the winners out first, then promotes their next bids in ranking order; each hint is
        the ranked best bid the next bid will follow (or precede, at the top), so no promotion walks or parks.
        """
        winners = self.ranking[:cluster_size]
        ranking, out = self.ranking[cluster_size:], []
        for key in winners:
            own = self.own[self.owner_of[key.bid_id]]
            if len(own) < 2:
                out.append(0)
                continue
            out.append(self._neighbour(ranking, own[1]))
            bisect.insort(ranking, own[1])
        return out

    def rejoin_hint(self, operator: str) -> int:
        """The hint for `rejoin(operator, hint)`: where the parked operator's best bid ranks."""
        return self._neighbour(self.ranking, self.own[str(operator)][0])

    @staticmethod
    def _neighbour(ranking: list[_Key], key: _Key) -> int:
        """The ranked best bid `key` will follow, or precede when it goes first; 0 for an empty ranking."""
        at = bisect.bisect_left(ranking, key)
        if at > 0:
            return ranking[at - 1].bid_id
        return ranking[0].bid_id if ranking else 0


# ---------------------------------------------------------------------------- optional helpers


def rejoin_parked(auction, sender) -> int:
    """Rank every parked operator again (`Auction.rejoin` with the mirror's hint, as `sender`); returns how
    many. Optional: settlement never waits for parked operators, it takes the ranked ones
    (docs/protocol.md §3); this lets the parked ones compete again, as anyone (each operator for itself
    included) may do at any time."""
    mirror = BookMirror.from_auction(auction)
    parked = sorted(mirror.parked)
    for operator in parked:
        auction.rejoin(operator, mirror.rejoin_hint(operator), sender=sender)
        mirror = BookMirror.from_auction(auction)
    return len(parked)


def pre_create_with_hints(auction, manager, count: int, sender) -> list[int]:
    """An owner's pre-creation with every courtesy (optional: a plain `pre_create_clusters(count)` settles
    just as well, docs/protocol.md §3): before each of the `count` settlements, parked operators are
    rejoined (so that they compete), and the settlement is given the mirror's hints (so that it parks
    nobody). Returns the new cluster ids."""
    ids: list[int] = []
    for _ in range(count):
        rejoin_parked(auction, sender)
        hints = BookMirror.from_auction(auction).settlement_hints(auction.cluster_size())
        ids += manager.pre_create_clusters(1, [hints], sender=sender)
    return ids
