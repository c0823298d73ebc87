"""Gas benchmark of the auction core (and the protocol's other hot paths), as receipts would show it.

    python -m tests.gas.benchmark                   # print the table (every size, every shape)
    python -m tests.gas.benchmark --check           # compare with the snapshot; exit 1 on a regression
    python -m tests.gas.benchmark --write           # rewrite the snapshot (tests/gas/snapshot.json)
    python -m tests.gas.benchmark --sizes 0,10,100  # a quick run

Every figure is a whole transaction (intrinsic + execution - capped refund) measured after a transaction
boundary (deploy/gas.py explains why titanoboa's plain per-call gas undercounts). Books are filled with real
bids, with hints from `deploy/hints.py`, in five shapes:
- `distinct`: one bid per operator;
- `mixed`: many operators with 1-5 bids each (an operator's bids sit near each other: it prices its own
  margin, then varies duration and discount a little);
- `stacked`: one operator's bids on top of the whole book (the griefing shape of issue #8), a few
  ordinary operators below;
- `random`: operators each place one batch of 1-5 bids, each bid's terms drawn independently (the shape
  the original project's users produce: an operator's bids sit anywhere in the book);
- `adversarial`: single-bid operators, and before each settlement four new operators whose best bids win
  and whose next bids sit below all of them (issue #14's attack on promotions).
Each shape grows one book through the sizes; at each size the same operations are measured. Settlement is
measured three ways: `settle_cluster` with the mirror's hints, `settle_cluster` without hints (a deposit's
pre-creation: far promotions park), and `pre_create_clusters(1)`; parked operators are then rejoined with
the mirror's hints (`rejoin`). Then the staker
side (tests/gas/staker_rows.py: the two-phase stake, proofs, front-run report, exit, dissolution) and
StakerRewards (tests/gas/rewards_rows.py: claims, renewal, sale, exit refunds, expiry).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import boa

from deploy.gas import measure
from deploy.hints import BookMirror
from deploy.protocol import deploy_protocol
from deploy.tables import format_table
from tests import model
from tests.gas import rewards_rows, staker_rows

SNAPSHOT = Path(__file__).with_name("snapshot.json")
SIZES = (0, 10, 100, 1_000, 10_000)
SHAPES = ("distinct", "mixed", "stacked", "random", "adversarial")
ETH = 10**18
TOLERANCE = 0.02

# Issue #14's targets (row prefix, ceiling in gas); the stale-hint and two-phase ones are issues #8 and #9's
TARGETS = {
    "bid, new operator": 129_000,
    "batch of 10 bids": 540_000,
    "update_bid": 82_000,
    "withdraw_bid": 74_000,
    "settle_cluster": 160_000,
    "pre_create_clusters(1)": 175_000,
    "stale hint, extra": 10_000,
    # issue #9: both phases of a stake together below the landed one-phase stake
    "two phases together": 1_350_041,
}


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
        """Rejoin every parked operator with the mirror's hint (as the owner would); the first one's gas."""
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


def target_for(name: str) -> int | None:
    return next((ceiling for prefix, ceiling in TARGETS.items() if name.startswith(prefix)), None)


def table(results: dict[str, int]) -> str:
    rows = []
    for name, gas in results.items():
        ceiling = target_for(name)
        verdict = "" if ceiling is None else ("ok" if gas <= ceiling else "OVER")
        rows.append((name, f"{gas:,}", f"{ceiling:,}" if ceiling else "", verdict))
    return format_table(("operation", "gas", "target", "verdict"), rows, align="lrrl")


def settlement_spread(results: dict[str, int]) -> dict[str, float]:
    """Relative spread of the settlement figures across sizes, per shape and over all shapes."""
    spreads = {}
    groups = {shape: f"settle_cluster, {shape}," for shape in SHAPES} | {
        "all shapes": "settle_cluster, ",
        "all shapes, without hints": "settle_cluster without hints, ",
    }
    for label, prefix in groups.items():
        figures = [gas for name, gas in results.items() if name.startswith(prefix)]
        if figures:
            spreads[label] = (max(figures) - min(figures)) / min(figures)
    return spreads


def diff(snapshot: dict[str, int], results: dict[str, int]) -> tuple[str, list[str]]:
    """A `forge snapshot --diff`-style table and the rows that grew beyond the tolerance."""
    rows, regressions = [], []
    for name in sorted(set(snapshot) | set(results)):
        old, new = snapshot.get(name), results.get(name)
        if old is None or new is None:
            rows.append(
                (
                    name,
                    f"{old:,}" if old else "-",
                    f"{new:,}" if new else "-",
                    "",
                    "new" if old is None else "gone",
                )
            )
            continue
        change = (new - old) / old if old else 0.0
        verdict = "REGRESSION" if change > TOLERANCE else ("better" if new < old else "")
        if change > TOLERANCE:
            regressions.append(name)
        rows.append((name, f"{old:,}", f"{new:,}", f"{change:+.2%}", verdict))
    return format_table(("operation", "snapshot", "now", "change", ""), rows, align="lrrrl"), regressions


def check_summary(snapshot: dict[str, int], results: dict[str, int], regressions: list[str]) -> str:
    """The last line of `--check`: `97 rows, 0 regressions above 2 %` (and what is new or not measured)."""
    compared = len(set(snapshot) & set(results))
    words = [
        f"{compared} rows, {len(regressions)} regression{'' if len(regressions) == 1 else 's'} "
        f"above {TOLERANCE:.0%}".replace("%", " %")
    ]
    new = len(set(results) - set(snapshot))
    if new:
        words.append(f"{new} new (not in the snapshot: --write adds them)")
    if regressions:
        words.append("regressed: " + ", ".join(regressions))
    return "; ".join(words)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="book sizes, comma-separated")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="book shapes, comma-separated")
    parser.add_argument("--write", action="store_true", help="rewrite the committed snapshot")
    parser.add_argument(
        "--check", action="store_true", help="compare with the snapshot; exit 1 on a regression"
    )
    parser.add_argument("--book-only", action="store_true", help="only the auction core's rows")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    shapes = tuple(args.shapes.split(","))
    results = run(
        sizes,
        shapes,
        progress=lambda msg: print(f"... {msg}", file=sys.stderr, flush=True),
        staker_side=not args.book_only,
    )
    print(table(results))
    for label, spread in settlement_spread(results).items():
        print(f"settlement spread across book sizes, {label}: {spread:.1%}")
    if args.check:
        snapshot = json.loads(SNAPSHOT.read_text())
        text, regressions = diff(
            {k: v for k, v in snapshot.items() if k in results or not args.book_only}, results
        )
        print("\n" + text)
        print("\n" + check_summary(snapshot, results, regressions))
        if regressions:
            return 1
    if args.write:
        SNAPSHOT.write_text(json.dumps(results, indent=2) + "\n")
        print(f"snapshot written to {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
