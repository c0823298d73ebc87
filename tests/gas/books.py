"""The measuring half of the gas benchmark (tests/gas/benchmark.py: the command line, the snapshot and the
comparison): books of each shape grown through the sizes, each operation measured as a receipt would show it.

Apart from the command line so that `python -m tests.gas.benchmark --help` answers without loading titanoboa
and the compiler (deploy/lazy.py).
"""

from __future__ import annotations

import random

import boa

from deploy import fast_bls
from deploy.gas import measure
from deploy.hints import BookMirror
from deploy.protocol import deploy_protocol
from tests import model
from tests.gas import rewards_rows, staker_rows
from tests.gas.benchmark import ETH, SHAPES, SIZES

fast_bls.install()  # EIP-2537 by arkworks (deploy/fast_bls.py): the same gas, seconds faster


class Book:
    """One growing book of a given shape, mirrored off-chain for hints."""

    def __init__(self, shape: str, seed: int = 8):
        self.shape = shape
        self.protocol = deploy_protocol()
        self.auction = self.protocol.auction
        cfg = self.protocol.config
        self.r, self.n = cfg["expected_daily_return"], cfg["cluster_size"]
        self.max_d, self.min_t, self.max_t = (
            cfg["max_discount_rate"],
            cfg["min_duration"],
            cfg["max_duration"],
        )
        self.mirror = BookMirror()
        self.rng = random.Random(seed)
        self.stacker = None
        self.placed = 0

    def score(self, d: int, t: int) -> int:
        return model.score(self.r, self.n, d, t)

    def new_operator(self, wei: int = 10_000 * ETH) -> str:
        operator = boa.env.generate_address()
        boa.env.set_balance(operator, wei)
        return operator

    def place(self, operator: str, terms: list[tuple[int, int]], measured: bool = False):
        """Place a batch with hints from the mirror; returns (ids, gas or None)."""
        ds, ts = [d for d, _ in terms], [t for _, t in terms]
        scores = [self.score(d, t) for d, t in terms]
        hints = self.mirror.hints(operator, scores)
        value = self.auction.price_to_pay(operator, ds, ts)
        if measured:
            ids, gas = measure(self.auction.bid, ds, ts, hints, value=value, sender=operator)
        else:
            ids, gas = self.auction.bid(ds, ts, hints, value=value, sender=operator), None
        for bid_id, score in zip(ids, scores, strict=True):
            self.mirror.add(bid_id, operator, score)
        self.placed += len(ids)
        return ids, gas

    def random_terms(self) -> tuple[int, int]:
        return self.rng.randrange(0, self.max_d + 1), self.rng.randrange(self.min_t, self.max_t + 1)

    def grow_to(self, size: int) -> None:
        while self.placed < size:
            left = size - self.placed
            if self.shape == "distinct":
                self.place(self.new_operator(), [self.random_terms()])
            elif self.shape == "mixed":
                d0, t0 = self.random_terms()
                count = min(left, self.rng.randrange(1, 6))
                terms = [(min(self.max_d, d0 + 3 * j), min(self.max_t, t0 + j)) for j in range(count)]
                self.place(self.new_operator(), terms)
            elif self.shape == "random":
                count = min(left, self.rng.randrange(1, 6))
                self.place(self.new_operator(), [self.random_terms() for _ in range(count)])
            elif self.shape == "adversarial":
                # single-bid operators in the middle: above every planted next bid, below every planted best
                d, t = self.rng.randrange(300, 1200), self.rng.randrange(100, 1000)
                self.place(self.new_operator(), [(d, t)])
            elif self.placed < 8:  # stacked: a few ordinary operators below the stack
                self.place(
                    self.new_operator(), [(self.rng.randrange(1000, self.max_d + 1), 30 + self.placed)]
                )
            else:
                self.stacker = self.stacker or self.new_operator(10**9 * ETH)
                count = min(left, 32)
                terms = [
                    (self.rng.randrange(0, 300), self.rng.randrange(2000, self.max_t + 1))
                    for _ in range(count)
                ]
                self.place(self.stacker, terms)

    def plant(self) -> None:
        """Adversarial shape: four operators whose best bids win next and whose next bids rank last."""
        if self.shape != "adversarial":
            return
        for i in range(4):
            self.place(self.new_operator(), [(i, self.max_t - i), (self.max_d - i, self.min_t)])
            self.placed -= 2  # planted bids leave with the settlement; the book's size counts the others

    def settled(self, winners: list[int]) -> None:
        """Follow a settlement in the mirror: winners leave; parked operators leave the ranking."""
        for bid_id in winners:
            operator = self.mirror.owner_of[bid_id]
            if self.auction.is_parked(operator):
                self.mirror.park(operator)
            self.mirror.remove(bid_id)

    def rejoin_parked(self) -> int | None:
        """Rejoin every parked operator with the mirror's hint (as anyone may); the first one's gas."""
        first = None
        for operator in sorted(self.mirror.parked):
            _, gas = measure(self.auction.rejoin, operator, self.mirror.rejoin_hint(operator))
            self.mirror.rejoin(operator)
            first = gas if first is None else first
        return first

    def middle_terms(self) -> tuple[int, int]:
        """Terms that rank about in the middle of the book (random for an empty one)."""
        ranking = self.mirror.ranking
        if not ranking:
            return self.random_terms()
        target = -ranking[len(ranking) // 2].neg_score
        best = min(
            ((d, t) for d in range(0, self.max_d + 1, 25) for t in range(self.min_t, self.max_t + 1, 97)),
            key=lambda p: abs(self.score(*p) - target),
        )
        return best


def measure_size(book: Book, size: int, results: dict) -> None:
    """Bid, batch, update, withdraw, stale hint and settlement on a book of `size` bids."""
    auction, shape = book.auction, book.shape
    tag = f"{shape}, book {size}"
    d, t = book.middle_terms()
    newcomer = book.new_operator()
    (bid_id,), gas = book.place(newcomer, [(d, t)], measured=True)
    results[f"bid, new operator, {tag}"] = gas

    batch = [(min(book.max_d, d + 1 + k), t) for k in range(10)]
    _, gas = book.place(book.new_operator(), batch, measured=True)
    results[f"batch of 10 bids, {tag}"] = gas

    d2 = d - 10 if d >= 10 else d + 10
    score2 = book.score(d2, t)
    hint = book.mirror.hint(newcomer, score2, bid_id)
    extra = max(0, auction.bid_price(d2, t) - auction.bid_price(d, t))
    _, gas = measure(auction.update_bid, bid_id, d2, t, hint, value=extra, sender=newcomer)
    book.mirror.remove(bid_id)
    book.mirror.add(bid_id, newcomer, score2)
    results[f"update_bid, {tag}"] = gas

    _, gas = measure(auction.withdraw_bid, bid_id, sender=newcomer)
    book.mirror.remove(bid_id)
    results[f"withdraw_bid, {tag}"] = gas

    if size >= 100:
        measure_stale_hint(book, tag, results)
    manager = book.protocol.manager
    for how in ("settle_cluster", "settle_cluster without hints", "pre_create_clusters(1)"):
        if not auction.can_settle():
            continue
        book.plant()
        winners = book.mirror.winners(book.n)
        if how == "settle_cluster":
            hints = book.mirror.settlement_hints(book.n)
            _, gas = measure(auction.settle_cluster, hints, sender=manager.address)
        elif how == "settle_cluster without hints":
            _, gas = measure(auction.settle_cluster, sender=manager.address)
        else:
            _, gas = measure(manager.pre_create_clusters, 1, sender=book.protocol.owner)
        book.settled(winners)
        results[f"{how}, {tag}"] = gas
        rejoin = book.rejoin_parked()
        if rejoin is not None:
            results.setdefault(f"rejoin, {tag}", rejoin)


def measure_stale_hint(book: Book, tag: str, results: dict) -> None:
    """A bid whose hint's bid was withdrawn just before it landed, against the same bid with a fresh hint."""
    auction, mirror = book.auction, book.mirror
    d, t = book.middle_terms()
    score = book.score(d, t)
    stale = mirror.hint(book.new_operator(), score)  # computed now ...
    owner = mirror.owner_of[stale]
    fresh_op = book.new_operator()
    _, fresh_gas = book.place(fresh_op, [(d, t)], measured=True)
    auction.withdraw_bid(stale, sender=owner)  # ... and withdrawn just before the next bid lands
    mirror.remove(stale)
    late = book.new_operator()
    ids, gas = measure(auction.bid, [d], [t], [stale], value=auction.bid_price(d, t) + ETH, sender=late)
    mirror.add(ids[0], late, score)
    book.placed += 1
    results[f"bid with a stale hint, {tag}"] = gas
    results[f"stale hint, extra, {tag}"] = gas - fresh_gas


def run(sizes=SIZES, shapes=SHAPES, progress=None, staker_side: bool = True) -> dict[str, int]:
    """All rows, by name: the auction core on every book, then the staker side and StakerRewards."""
    results: dict[str, int] = {}
    for shape in shapes:
        book = Book(shape)
        for size in sizes:
            if progress:
                progress(f"{shape}: book of {size} bids")
            book.grow_to(size)
            measure_size(book, size, results)
    if staker_side:
        if progress:
            progress("staker side (two-phase stake, proofs, exit, dissolution) and StakerRewards")
        results |= staker_rows.run()
        results |= rewards_rows.rows()
    return results
