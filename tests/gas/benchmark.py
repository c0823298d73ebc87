"""Gas benchmark of the auction core (and the protocol's other hot paths), as receipts would show it.

    python -m tests.gas.benchmark              # print the table
    python -m tests.gas.benchmark --write      # also rewrite the committed snapshot (tests/gas/snapshot.json)
    python -m tests.gas.benchmark --sizes 0,10,100   # a quick run

Every figure is a whole transaction (intrinsic + execution - capped refund) measured after a transaction
boundary (deploy/gas.py explains why titanoboa's plain per-call gas undercounts). Books are filled with
real bids: the top ranks come from distinct operators (as in a healthy auction), the rest in batches of 32.
Each book size gets its own fresh deployment. Gas is deterministic, so the snapshot test compares numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import boa

from deploy.gas import measure
from deploy.keys import make_deposit_data
from deploy.protocol import deploy_protocol
from deploy.tables import format_table
from tests import model

SNAPSHOT = Path(__file__).with_name("snapshot.json")
SIZES = (0, 10, 100, 1_000, 10_000)
SETTLE_SIZES = (10, 1_000, 10_000)
SAME_SCORE_BIDS = 200
DISTINCT_TOP = 40  # top ranks placed one bid per operator
BATCH = 32
ETH = 10**18

# Issue #2's targets: (row prefix, ceiling in gas)
TARGETS = {
    "bid, new operator": 150_000,
    "batch of 10 bids": 700_000,
    "update_bid": 90_000,
    "withdraw_bid": 70_000,
    "settle_cluster": 250_000,
}


def book_terms(n: int, cfg: dict) -> list[tuple[int, int]]:
    """`n` distinct (discount, duration) pairs in descending score order, spread over the whole range."""
    r, size = cfg["expected_daily_return"], cfg["cluster_size"]
    pairs = set()
    step = 7
    i = 0
    while len(pairs) < n:
        d = (i * step) % (cfg["max_discount_rate"] + 1)
        t = cfg["min_duration"] + (i * 13) % (cfg["max_duration"] - cfg["min_duration"] + 1)
        pairs.add((d, t))
        i += 1
    return sorted(pairs, key=lambda p: -model.score(r, size, *p))


def funded_accounts(n: int, wei: int) -> list[str]:
    accounts = [boa.env.generate_address() for _ in range(n)]
    for account in accounts:
        boa.env.set_balance(account, wei)
    return accounts


def fill_book(protocol, n: int) -> None:
    """Place `n` bids in descending score order, so that each one is appended at the tail with a hint."""
    auction = protocol.auction
    terms = book_terms(n, protocol.config)
    top, rest = terms[:DISTINCT_TOP], terms[DISTINCT_TOP:]
    for (d, t), operator in zip(top, funded_accounts(len(top), 100 * ETH), strict=True):
        hint = auction.num_bids()  # the tail: books are filled best first
        auction.bid([d], [t], [hint] if hint else [], value=auction.bid_price(d, t) + ETH, sender=operator)
    batches = [rest[i : i + BATCH] for i in range(0, len(rest), BATCH)]
    for batch, operator in zip(batches, funded_accounts(len(batches), 10_000 * ETH), strict=True):
        ds, ts = [d for d, _ in batch], [t for _, t in batch]
        hints = [auction.num_bids()] + [0] * (len(batch) - 1)
        auction.bid(ds, ts, hints, value=auction.price_to_pay(operator, ds, ts), sender=operator)


def middle_terms(size: int, cfg: dict) -> tuple[int, int]:
    """Terms of a bid that ranks in the middle of a book filled by `fill_book` (just below its median)."""
    if size == 0:
        return cfg["max_discount_rate"] // 2, (cfg["min_duration"] + cfg["max_duration"]) // 2
    d, t = book_terms(size, cfg)[size // 2]
    return (d + 1, t) if d < cfg["max_discount_rate"] - 20 else (d - 20, t - 1)


def measure_book(size: int, results: dict) -> None:
    """Bid, batch, update, withdraw (and settlement when size > 0) on a book of `size` bids."""
    protocol = deploy_protocol()
    auction, cfg = protocol.auction, protocol.config
    fill_book(protocol, size)
    (new_op, batch_op) = funded_accounts(2, 10_000 * ETH)

    d, t = middle_terms(size, cfg)
    hint = auction.insert_hint(d, t)
    (bid_id,), gas = measure(
        auction.bid, [d], [t], [hint], value=auction.bid_price(d, t) + ETH, sender=new_op
    )
    results[f"bid, new operator, book {size}"] = gas

    ds = [d + k for k in range(10)]
    ts = [t] * 10
    # one hint for the first bid; the others follow the previous bid of the batch (hint 0)
    hints = [auction.insert_hint(ds[0], t)] + [0] * 9
    _, gas = measure(
        auction.bid, ds, ts, hints, value=auction.price_to_pay(batch_op, ds, ts), sender=batch_op
    )
    results[f"batch of 10 bids, book {size}"] = gas

    d2, t2 = (d - 10, t) if d >= 10 else (d, t + 1)  # a slightly better bid: pays the difference in
    extra = auction.bid_price(d2, t2) - auction.bid_price(d, t)
    _, gas = measure(
        auction.update_bid, bid_id, d2, t2, auction.insert_hint(d2, t2), value=extra, sender=new_op
    )
    results[f"update_bid, book {size}"] = gas

    _, gas = measure(auction.withdraw_bid, bid_id, sender=new_op)
    results[f"withdraw_bid, book {size}"] = gas

    if size in SETTLE_SIZES:
        _, gas = measure(auction.settle_cluster, sender=protocol.manager.address)
        results[f"settle_cluster, book {size}"] = gas


def measure_same_score(results: dict) -> None:
    """Settlement when SAME_SCORE_BIDS operators all bid the very same terms."""
    protocol = deploy_protocol()
    auction = protocol.auction
    price = auction.bid_price(1000, 100)
    for operator in funded_accounts(SAME_SCORE_BIDS, 10 * ETH):
        hint = auction.num_bids()
        auction.bid([1000], [100], [hint] if hint else [], value=price + ETH, sender=operator)
    _, gas = measure(auction.settle_cluster, sender=protocol.manager.address)
    results[f"settle_cluster, {SAME_SCORE_BIDS} bids on one score"] = gas


def measure_staker_side(results: dict) -> None:
    """pre_create_clusters(1), create_strategy_module_and_stake(), StakerRewards.claim and expire."""
    protocol = deploy_protocol()
    auction, manager, rewards, owner = (
        protocol.auction,
        protocol.manager,
        protocol.staker_rewards,
        protocol.owner,
    )
    for i, operator in enumerate(funded_accounts(2 * protocol.config["cluster_size"], 100 * ETH)):
        d, t = 100 * i, 100 + 10 * i
        hint = auction.insert_hint(d, t)
        auction.bid([d], [t], [hint] if hint else [], value=auction.bid_price(d, t) + ETH, sender=operator)
    (cluster_id,), gas = measure(manager.pre_create_clusters, 1, sender=owner)
    results["pre_create_clusters(1)"] = gas
    deposit = make_deposit_data(
        manager.withdrawal_credentials(cluster_id), seed=b"gas benchmark validator key 0"
    )
    pubkey, signature, root = (
        bytes.fromhex(deposit[k]) for k in ("pubkey", "signature", "deposit_data_root")
    )
    manager.register_deposit_data(cluster_id, pubkey, signature, root, sender=owner)
    (staker,) = funded_accounts(1, 100 * ETH)
    _, gas = measure(manager.create_strategy_module_and_stake, value=32 * ETH, sender=staker)
    results["create_strategy_module_and_stake (and pre-create the next)"] = gas
    boa.env.time_travel(seconds=10 * 86_400)
    _, gas = measure(rewards.claim, cluster_id, sender=staker)
    results["StakerRewards.claim"] = gas
    boa.env.time_travel(seconds=auction.get_cluster(cluster_id).min_duration * 86_400)
    _, gas = measure(rewards.expire, cluster_id, sender=staker)
    results["StakerRewards.expire"] = gas


def run(sizes=SIZES, progress=None) -> dict[str, int]:
    """All rows, by name."""
    results: dict[str, int] = {}
    for size in sizes:
        if progress:
            progress(f"book of {size} bids")
        measure_book(size, results)
    if progress:
        progress(f"{SAME_SCORE_BIDS} bids on one score")
    measure_same_score(results)
    if progress:
        progress("staker side")
    measure_staker_side(results)
    return results


def target_for(name: str) -> int | None:
    return next((ceiling for prefix, ceiling in TARGETS.items() if name.startswith(prefix)), None)


def table(results: dict[str, int]) -> str:
    rows = []
    for name, gas in results.items():
        ceiling = target_for(name)
        verdict = "" if ceiling is None else ("ok" if gas <= ceiling else "OVER")
        rows.append((name, f"{gas:,}", f"{ceiling:,}" if ceiling else "", verdict))
    return format_table(("operation", "gas", "target", ""), rows, align="lrrl")


def settlement_spread(results: dict[str, int]) -> float:
    """Relative spread of the settlement figures between book sizes (target: within ±10 %)."""
    figures = [
        results[f"settle_cluster, book {s}"] for s in SETTLE_SIZES if f"settle_cluster, book {s}" in results
    ]
    return (max(figures) - min(figures)) / min(figures) if figures else 0.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="book sizes, comma-separated")
    parser.add_argument("--write", action="store_true", help="rewrite the committed snapshot")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    results = run(sizes, progress=lambda msg: print(f"... {msg}", file=sys.stderr, flush=True))
    print(table(results))
    print(f"\nsettlement spread across book sizes {SETTLE_SIZES}: {settlement_spread(results):.1%}")
    if args.write:
        SNAPSHOT.write_text(json.dumps(results, indent=2) + "\n")
        print(f"snapshot written to {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
