"""The measuring half of tests/gas/original.py: one book of each shape grown on both auctions at once.

Every bid placed in this protocol's book (tests/gas/books.py's `Book`: same shapes, same seed, same operators)
is placed in the original's too, with the same terms; then each operation is measured on both.
"""

from __future__ import annotations

import json

import boa

from deploy.gas import measure
from tests.gas.books import Book

MANAGER = "0x00000000000000000000000000000000000b17e5"  # the original's StrategyModuleManager: settles
BID_PRICE_RECEIVER = "0x000000000000000000000000000000000000beef"  # its Escrow's release target


def deploy_original(artifacts: dict[str, dict], config: dict):
    """The original's Escrow and Auction, wired to each other and initialised with `config`'s terms.

    Each names the other as an immutable, so the Escrow is deployed for a fresh address, then the Auction's
    runtime code (constructor: the Escrow, the manager) is placed there: fresh storage, so `initialize`
    (which the implementation's constructor disables for itself, behind a proxy in the original) runs."""
    at = boa.env.generate_address()
    escrow = _deploy(artifacts["Escrow"], ["address", "address"], [BID_PRICE_RECEIVER, at])
    implementation = _deploy(artifacts["Auction"], ["address", "address"], [escrow.address, MANAGER])
    boa.env.set_code(at, boa.env.get_code(implementation.address))
    auction = _abi(artifacts["Auction"]).at(at)
    auction.initialize(
        boa.env.eoa,
        config["expected_daily_return"],
        config["max_discount_rate"],
        config["min_duration"],
        config["cluster_size"],
    )
    return auction


def _abi(artifact: dict):
    return boa.loads_abi(json.dumps(artifact["abi"]), name="Original")


def _deploy(artifact: dict, types: list[str], args: list):
    from eth_abi import encode

    address, _ = boa.env.deploy_code(bytecode=artifact["bytecode"] + encode(types, args))
    return _abi(artifact).at(address)


class OriginalBook(Book):
    """A `Book` whose every bid also goes to the original auction."""

    def __init__(self, shape: str, artifacts: dict[str, dict]):
        super().__init__(shape)
        self.original = deploy_original(artifacts, self.protocol.config)

    def place(self, operator: str, terms: list[tuple[int, int]], measured: bool = False):
        self.place_original(operator, terms)
        return super().place(operator, terms, measured)

    def place_original(self, operator: str, terms: list[tuple[int, int]], measured: bool = False):
        ds, ts = [d for d, _ in terms], [t for _, t in terms]
        value = self.original.getPriceToPay(operator, ds, ts)
        if measured:
            return measure(self.original.bid, ds, ts, value=value, sender=operator)
        return self.original.bid(ds, ts, value=value, sender=operator), None


def measure_size(book: OriginalBook, size: int, rows: dict) -> None:
    """Bid, batch, update, withdraw and settlement on a book of `size` bids, on both auctions."""
    auction, original, tag = book.auction, book.original, f"{book.shape}, book {size}"
    d, t = book.middle_terms()
    newcomer = book.new_operator()
    _, theirs = book.place_original(newcomer, [(d, t)], measured=True)
    (bid_id,), ours = Book.place(book, newcomer, [(d, t)], measured=True)
    rows[f"bid, new operator, {tag}"] = (theirs, ours)

    batch = [(min(book.max_d, d + 1 + k), t) for k in range(10)]
    batcher = book.new_operator()
    _, theirs = book.place_original(batcher, batch, measured=True)
    _, ours = Book.place(book, batcher, batch, measured=True)
    rows[f"batch of 10 bids, {tag}"] = (theirs, ours)

    d2 = d - 10 if d >= 10 else d + 10
    score, score2 = book.score(d, t), book.score(d2, t)
    extra = max(0, auction.bid_price(d2, t) - auction.bid_price(d, t))
    _, theirs = measure(original.updateOneBid, score, d2, t, value=extra, sender=newcomer)
    hint = book.mirror.hint(newcomer, score2, bid_id)
    _, ours = measure(auction.update_bid, bid_id, d2, t, hint, value=extra, sender=newcomer)
    book.mirror.remove(bid_id)
    book.mirror.add(bid_id, newcomer, score2)
    rows[f"update_bid, {tag}"] = (theirs, ours)

    _, theirs = measure(original.withdrawBid, score2, sender=newcomer)
    _, ours = measure(auction.withdraw_bid, bid_id, sender=newcomer)
    book.mirror.remove(bid_id)
    rows[f"withdraw_bid, {tag}"] = (theirs, ours)

    for how in ("settle_cluster", "pre_create_clusters(1)"):  # two clusters in a row, as books.py does
        if not auction.can_settle():
            continue
        book.plant()
        winners = book.mirror.winners(book.n)
        nodes, theirs = measure(original.getAuctionWinners, sender=MANAGER)
        picked = sum(1 for node in nodes if int(str(node[-1]), 16) != 0)  # Node(vcs, reputation, address)
        if how == "settle_cluster":
            hints = book.mirror.settlement_hints(book.n)
            _, ours = measure(auction.settle_cluster, hints, sender=book.protocol.manager.address)
        else:
            _, ours = measure(book.protocol.manager.pre_create_clusters, 1, sender=book.protocol.owner)
        book.settled(winners)
        book.rejoin_parked()
        # the original may return fewer winners than the cluster size (two of the best scores one operator's)
        short = f" (original: {picked} of {book.n} seats filled)" if picked < book.n else ""
        rows[f"settlement: {how}, {tag}{short}"] = (theirs, ours)


def run(artifacts: dict[str, dict], sizes, shapes, progress=None) -> dict[str, tuple[int, int]]:
    """Rows by name: (the original's gas, this protocol's gas)."""
    rows: dict[str, tuple[int, int]] = {}
    for shape in shapes:
        book = OriginalBook(shape, artifacts)
        for size in sizes:
            if progress:
                progress(f"{shape}: book of {size} bids, on both auctions")
            book.grow_to(size)
            measure_size(book, size, rows)
    return rows
