"""Hints for the Auction's bid book in milliseconds, for any book size, without a linear on-chain walk.

`BookMirror` rebuilds the book off-chain from the Auction's events (`BidPlaced`, `BidUpdated`,
`BidWithdrawn`, `BidWon`) or from its views, and answers the question a bidder asks before `bid`:
which pending bid should I name as my hint? The answer is exact for the state mirrored; if the book moves
before the bid lands the hint is merely stale, which the contract resolves in a few steps.

    mirror = BookMirror.from_auction(protocol.auction)      # reads every bid once through get_bid
    hint = mirror.hint(operator, score)                     # for one new bid
    hints = mirror.hints(operator, [score_a, score_b])      # for a batch (0 = follow the previous bid)

Ranking (docs/protocol.md §3): higher score first, equal scores by bid id. The contract keeps operators
ranked by their best pending bid, and each operator's other bids in its own list; a hint is the best bid of
the operator a new best bid will follow (or precede, at the top), or, for a bid that will not be its
operator's best, one of that operator's own bids next to which it belongs.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

STATUS_PENDING = 1


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
    ranking: list[_Key] = field(default_factory=list)  # every operator's best bid, best first
    last_id: int = 0

    # ------------------------------------------------------------ building

    @classmethod
    def from_auction(cls, auction) -> BookMirror:
        """Mirror the pending bids through the Auction's `get_bid` view (one call per bid ever placed)."""
        mirror = cls()
        for bid_id in range(1, auction.num_bids() + 1):
            bid = auction.get_bid(bid_id)
            mirror.last_id = bid_id
            if bid.status == STATUS_PENDING:
                mirror.add(bid_id, str(bid.operator), bid.score)
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
            elif name in ("BidWithdrawn", "BidWon"):
                self.remove(log.bid_id)

    def add(self, bid_id: int, operator: str, score: int) -> None:
        key = _Key(-score, bid_id)
        own = self.own.setdefault(operator, [])
        if own:
            self._unrank(own[0])
        bisect.insort(own, key)
        self._rank(own[0])
        self.owner_of[bid_id], self.score_of[bid_id] = operator, score
        self.last_id = max(self.last_id, bid_id)

    def remove(self, bid_id: int) -> None:
        operator = self.owner_of.pop(bid_id)
        key = _Key(-self.score_of.pop(bid_id), bid_id)
        own = self.own[operator]
        self._unrank(own[0])
        own.pop(bisect.bisect_left(own, key))
        if own:
            self._rank(own[0])
        else:
            del self.own[operator]

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
        """The first `k` pending bid ids of the global ranking (what `Auction.top_bids(k)` returns)."""
        keys = sorted(key for own in self.own.values() for key in own)
        return [key.bid_id for key in keys[:k]]

    def winners(self, cluster_size: int) -> list[int]:
        """The bids the next settlement takes: the best bid of each of the first `cluster_size` operators."""
        return [key.bid_id for key in self.ranking[:cluster_size]]
