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
the mirror's hints (`rejoin`). Then the staker side (tests/gas/staker_rows.py: the two-phase stake, proofs,
front-run report, exit, dissolution) and StakerRewards (tests/gas/rewards_rows.py: claims, renewal, sale,
exit refunds, expiry).

This module is the command line, the snapshot and the comparison, and imports no titanoboa, so `--help`
answers at once; the books and their measurements are tests/gas/books.py (`run`, `Book`, found here too).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from deploy.lazy import lazy_exports
from deploy.tables import format_table

SNAPSHOT = Path(__file__).with_name("snapshot.json")
SIZES = (0, 10, 100, 1_000, 10_000)
SHAPES = ("distinct", "mixed", "stacked", "random", "adversarial")
ETH = 10**18
TOLERANCE = 0.02

# the measuring half (tests/gas/books.py), loaded with titanoboa on first use: `--help` answers at once
__getattr__ = lazy_exports(__name__, dict.fromkeys(("Book", "measure_size", "run"), "tests.gas.books"))

# Issue #14's targets (row prefix, ceiling in gas); the stale-hint one is issue #8's
TARGETS = {
    "bid, new operator": 129_000,
    "batch of 10 bids": 540_000,
    "update_bid": 82_000,
    "withdraw_bid": 74_000,
    "settle_cluster": 160_000,
    "pre_create_clusters(1)": 175_000,
    "stale hint, extra": 10_000,
    # issue #14: both phases of a stake together (issue #9 asked for less than the one-phase 1 350 041)
    "two phases together": 1_000_000,
}


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
    from tests.gas.books import run

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
