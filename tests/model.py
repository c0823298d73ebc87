"""Reference arithmetic of docs/protocol.md §2 in plain Python, and a small model of the bid book.

Tests compare the contracts against these, so they are written for clarity, straight from the spec.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.utils.constants import c

BPS = c.BPS
RAY = c.RAY
BOND = c.BOND


def rpow(x: int, n: int) -> int:
    """Fixed-point power at RAY precision with round-half-up products (docs/protocol.md §2)."""
    z = x if n % 2 else RAY
    n //= 2
    while n:
        x = (x * x + RAY // 2) // RAY
        if n % 2:
            z = (z * x + RAY // 2) // RAY
        n //= 2
    return z


def vc_price(r: int, n: int, d: int) -> int:
    return r * (BPS - d) // (n * BPS)


def bid_price(r: int, n: int, d: int, t: int) -> int:
    return t * vc_price(r, n, d)


def bond_factor(bond: int) -> int:
    """What a bond multiplies a score by, in bps: 1x up to the floor (and for no bond), then
    BOND_SCORE_BPS more per BOND_UNIT above it (docs/protocol.md §2)."""
    return BPS + c.BOND_SCORE_BPS * (max(bond, BOND) - BOND) // c.BOND_UNIT


def score(r: int, n: int, d: int, t: int, bond: int = BOND) -> int:
    base = vc_price(r, n, d) * (rpow(c.DAILY_SCORE_GROWTH, t) // 10**9) // 10**18
    return base * bond_factor(bond) // BPS


@dataclass
class ModelBid:
    bid_id: int
    operator: str
    discount_rate: int
    duration: int
    price: int
    bond: int
    score: int
    status: int = c.BID_PENDING


class BookModel:
    """What the Auction's ranking and settlement must do, without any cleverness."""

    def __init__(self, cluster_size: int):
        self.cluster_size = cluster_size
        self.bids: dict[int, ModelBid] = {}

    def pending(self) -> list[ModelBid]:
        live = [b for b in self.bids.values() if b.status == c.BID_PENDING]
        return sorted(live, key=lambda b: (-b.score, b.bid_id))

    def ranking(self) -> list[int]:
        return [b.bid_id for b in self.pending()]

    def operators_in_auction(self) -> int:
        return len({b.operator for b in self.pending()})

    def winners(self, parked=frozenset()) -> list[int] | None:
        """The best pending bid of each of the first `cluster_size` operators, skipping `parked` ones (their
        bids cannot win: docs/protocol.md §3); None when there are too few."""
        chosen, seen = [], set(parked)
        for b in self.pending():
            if b.operator not in seen:
                seen.add(b.operator)
                chosen.append(b.bid_id)
            if len(chosen) == self.cluster_size:
                return chosen
        return None
