"""Shared helpers for the StakerRewards tests (fixtures are in conftest.py).

A real Escrow + Auction + ByzNft + StakerRewards are deployed once per module (titanoboa rolls state back
after every test and every hypothesis example). The StrategyModuleManager is played by a small test
harness (`helpers/ManagerHarness.vy`) that answers `byz_nft()` and `strategy_module_of()`; the tests
prank as its address to settle clusters, mint ByzNfts and start streams, which is exactly what the real
manager does in `create_strategy_module_and_stake`. `test_rewards_integration.py` runs against the real
manager (deploy_protocol).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import boa

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
HELPERS = Path(__file__).resolve().parent / "helpers"

R = 3_243_835_616_438_356
BOND = 10**18
DAY = 86_400
ETHER = 10**18
MAX_DISCOUNT = 1500

STATUS_NONE, STATUS_FUNDED, STATUS_STREAMING, STATUS_EXPIRED = 0, 1, 2, 3


def load(name: str, *args, **kwargs):
    return boa.load(str(CONTRACTS / name), *args, **kwargs)


@dataclass
class Cluster:
    """What the tests know about a settled cluster (recomputed independently of the contract)."""

    cluster_id: int
    bid_ids: list[int]
    operators: list[str]
    prices: list[int]
    durations: list[int]

    @property
    def vcs(self) -> list[int]:
        return [p // t for p, t in zip(self.prices, self.durations, strict=True)]

    @property
    def rate(self) -> int:
        return sum(self.vcs)

    @property
    def min_duration(self) -> int:
        return min(self.durations)

    @property
    def funded(self) -> int:
        return sum(self.prices)

    @property
    def staker_total(self) -> int:
        return self.rate * self.min_duration

    @property
    def credits(self) -> list[int]:
        return [(t - self.min_duration) * vc for t, vc in zip(self.durations, self.vcs, strict=True)]

    def accrued(self, elapsed: int) -> int:
        return self.rate * min(elapsed, self.min_duration * DAY) // DAY


@dataclass
class World:
    owner: str
    operators: list[str]
    stakers: list[str]
    escrow: object
    auction: object
    rewards: object
    nft: object
    manager: object  # harness
    cluster_size: int

    def new_cluster(self, terms: list[tuple[int, int]] | None = None, first_operator: int = 0) -> Cluster:
        """Places one bid per operator (distinct operators) and settles them into a cluster.

        `terms` is a list of (discount_rate, duration), one per winner; the book must be empty before.
        """
        n = self.cluster_size
        terms = terms or [(100 * i, 30 + 10 * i) for i in range(n)]
        assert len(terms) == n
        bid_ids, operators, prices, durations = [], [], [], []
        for i, (d, t) in enumerate(terms):
            op = self.operators[(first_operator + i) % len(self.operators)]
            price = self.auction.bid_price(d, t)
            (bid_id,) = self.auction.bid([d], [t], value=price + BOND, sender=op)
            bid_ids.append(bid_id)
        with boa.env.prank(self.manager.address):
            cid = self.auction.settle_cluster()
        cluster = self.auction.get_cluster(cid)
        # winners in ranking order
        bid_ids = list(cluster.bid_ids)
        for bid_id in bid_ids:
            b = self.auction.get_bid(bid_id)
            operators.append(b.operator)
            prices.append(b.price)
            durations.append(b.duration)
        c = Cluster(cid, bid_ids, operators, prices, durations)
        return c

    def stake(self, cluster_id: int, staker: str, module: str | None = None) -> None:
        """What the manager does for a staker: mint the ByzNft, then start the stream."""
        with boa.env.prank(self.manager.address):
            self.nft.mint(staker, cluster_id)
            self.rewards.start_stream(cluster_id)
        if module is not None:
            self.manager.set_module(cluster_id, module)

    def transfer_nft(self, cluster_id: int, to: str) -> None:
        holder = self.nft.ownerOf(cluster_id)
        self.nft.transferFrom(holder, to, cluster_id, sender=holder)


def deploy_world(cluster_size: int = 4, min_duration: int = 1, max_duration: int = 3650) -> World:
    owner = boa.env.generate_address("owner")
    boa.env.set_balance(owner, 10**6 * ETHER)
    operators = []
    for i in range(8):
        op = boa.env.generate_address(f"operator{i}")
        boa.env.set_balance(op, 10**6 * ETHER)
        operators.append(op)
    stakers = []
    for i in range(4):
        s = boa.env.generate_address(f"staker{i}")
        boa.env.set_balance(s, 10**3 * ETHER)
        stakers.append(s)
    with boa.env.prank(owner):
        escrow = load("operator/Escrow.vy")
        auction = load(
            "operator/Auction.vy", escrow, cluster_size, R, MAX_DISCOUNT, min_duration, max_duration
        )
        rewards = load("staker/StakerRewards.vy", auction, escrow)
        escrow.initialize(auction, rewards)
        nft = load("staker/ByzNft.vy")
        manager = boa.load(str(HELPERS / "ManagerHarness.vy"), nft)
        nft.set_manager(manager)
        auction.set_manager(manager)
        rewards.set_manager(manager)
    return World(owner, operators, stakers, escrow, auction, rewards, nft, manager, cluster_size)
