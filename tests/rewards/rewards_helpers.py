"""Shared helpers for the StakerRewards tests (fixtures are in conftest.py).

StakerRewards and a real ByzNft are deployed once per module (titanoboa rolls state back after every test and
every hypothesis example) around three stand-ins:
- the Escrow is `helpers/EscrowStandIn.vy`: its `release` forwards a cluster's prices and seat data to
  `fund_cluster` as the Escrow does at settlement, and its `return_credits` has IEscrow.vyi's signature and
  checks (StakerRewards only, exact value, each bond unlocked once, to its operator or to `bond_to`);
- the StrategyModuleManager is `helpers/ManagerHarness.vy` (the views StakerRewards reads); the tests prank as
  its address to mint ByzNfts and call `start_stream` and `cancel_cluster`, and as the cluster's module (named
  by the harness) to call `end_stream` (the validator's proven exit);
- every call passes the cluster's seats (`ClusterModel.seat_args()`), which StakerRewards checks against the
  hash it keeps;
- the Auction is a plain account (`World.auction`) that calls `renew` with the payment, as the Auction does.

`ClusterModel` is an independent Python model of one cluster (docs/protocol.md §6, §10), used by the unit
tests for expected values and by the state machine as its oracle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import boa

from deploy.protocol import deployer_for
from tests.utils.actors import actor, actors
from tests.utils.constants import DAY, ETH, c
from tests.utils.deployers import load

ROOT = Path(__file__).resolve().parents[2]
HELPERS = Path(__file__).resolve().parent / "helpers"


ZERO = "0x" + "00" * 20
MAX_DURATION = 3650

# Daily VC prices of docs/protocol.md §2's check-value table (R = 3 243 835 616 438 356, n = 4).
CHECK_VCS = [729_863_013_698_630, 754_191_780_821_917, 737_972_602_739_725, 713_643_835_616_438]


def helper(name: str):
    """The compiled deployer of a test-only contract in tests/rewards/helpers/."""
    return load(HELPERS / f"{name}.vy")


def now() -> int:
    return boa.env.evm.patch.timestamp


def balance(address) -> int:
    return boa.env.get_balance(str(getattr(address, "address", address)))


@dataclass
class SeatModel:
    bid_id: int
    operator: str
    vc: int
    days: int  # days paid, from the stream start


@dataclass
class ClusterModel:
    """What a cluster should be, computed independently of the contract."""

    cid: int
    seats: list[SeatModel]
    status: int = c.STREAM_FUNDED
    start: int = 0
    stop: int | None = None  # set when closed (end_stream / expire)
    accounted: int = 0  # paid + credited to stakers
    credited: int = 0
    renewals: int = 0
    refunded: int = 0
    dust: int = 0
    funded: int = field(init=False)

    def __post_init__(self):
        self.funded = sum(s.vc * s.days for s in self.seats)

    def seat_args(self) -> list[tuple[int, str, int, int]]:
        """The seats as StakerRewards takes them (calldata, checked against its commitment)."""
        return [(s.bid_id, s.operator, s.vc, s.days) for s in self.seats]

    @property
    def rate(self) -> int:
        return sum(s.vc for s in self.seats)

    @property
    def end(self) -> int:
        if self.stop is not None:
            return self.stop
        return self.start + min(s.days for s in self.seats) * DAY

    def accrued(self, t: int) -> int:
        if self.start == 0:
            return 0
        return self.rate * (min(t, self.end) - self.start) // DAY

    def claimable(self, t: int) -> int:
        return self.accrued(t) - self.accounted

    def close_credits(self, stop: int) -> list[int]:
        """Each seat's unserved credit if the stream stops at `stop`."""
        return [s.vc * (self.start + s.days * DAY - stop) // DAY for s in self.seats]

    def close(self, stop: int, status: int) -> list[int]:
        credits = self.close_credits(stop)
        staker_total = self.rate * (stop - self.start) // DAY
        self.stop = stop
        self.status = status
        self.refunded = sum(credits)
        self.dust = self.funded + self.renewals - staker_total - self.refunded
        return credits

    def held(self) -> int:
        return self.funded + self.renewals - self.accounted - self.refunded


@dataclass
class World:
    owner: str
    auction: str  # the account playing the Auction (caller of renew)
    operators: list[str]
    stakers: list[str]
    non_owner: str
    escrow: object  # EscrowStandIn
    rewards: object
    nft: object
    manager: object  # ManagerHarness
    next_cid: int = 1
    next_bid: int = 100

    # ------------------------------------------------------------ actions the protocol takes

    def fund(self, terms: list[tuple[int, int]], first_operator: int = 0) -> ClusterModel:
        """Settles a cluster: seat i has daily VC price terms[i][0] for terms[i][1] days."""
        cid = self.next_cid
        self.next_cid += 1
        seats = []
        for i, (vc, days) in enumerate(terms):
            op = self.operators[(first_operator + i) % len(self.operators)]
            seats.append(SeatModel(self.next_bid, op, vc, days))
            self.next_bid += 1
        model = ClusterModel(cid, seats)
        self.escrow.release(cid, model.seat_args(), value=model.funded, sender=self.auction)
        return model

    def mint(self, cid: int, staker: str) -> None:
        with boa.env.prank(self.manager.address):
            self.nft.mint(staker, cid)

    def start(self, model: ClusterModel) -> None:
        with boa.env.prank(self.manager.address):
            self.rewards.start_stream(model.cid, model.seat_args())
        model.start = now()
        model.status = c.STREAM_STREAMING

    def stake(self, model: ClusterModel, staker: str) -> None:
        """What the manager does for a staker: mint the ByzNft, then (at confirmation) start the stream."""
        self.mint(model.cid, staker)
        self.start(model)

    def end_stream(self, model: ClusterModel, exit_time: int | None = None) -> list[int]:
        """The validator's exit proven, its exit epoch at `exit_time` (default: now). After an expiry only
        the bonds unlock (no credit twice); otherwise the stream stops at the exit (or its end)."""
        exit_time = now() if exit_time is None else exit_time
        with boa.env.prank(self.module_of(model)):
            self.rewards.end_stream(model.cid, model.seat_args(), exit_time)
        if model.status == c.STREAM_EXPIRED:
            model.status = c.STREAM_ENDED
            return [0] * len(model.seats)
        stop = max(min(exit_time, model.end), model.start)
        if model.rate:  # never before the second the holder was already paid up to
            stop = max(stop, model.start + -(-model.accounted * DAY // model.rate))
        return model.close(stop, c.STREAM_ENDED)

    def expire(self, model: ClusterModel, caller: str) -> list[int]:
        self.rewards.expire(model.cid, model.seat_args(), sender=caller)
        return model.close(model.end, c.STREAM_EXPIRED)

    def cancel(self, model: ClusterModel, bond_to: str = ZERO) -> None:
        with boa.env.prank(self.manager.address):
            self.rewards.cancel_cluster(model.cid, model.seat_args(), bond_to)
        model.status = c.STREAM_CANCELLED
        model.refunded = model.funded

    def renew(self, model: ClusterModel, seat: int, days: int, max_duration: int = MAX_DURATION) -> None:
        amount = days * model.seats[seat].vc
        self.rewards.renew(
            model.cid, model.seat_args(), seat, days, max_duration, value=amount, sender=self.auction
        )
        model.seats[seat].days += days
        model.renewals += amount

    def module_of(self, model: ClusterModel) -> str:
        """The cluster's StrategyModule as the manager harness names it (one is set if none was): the only
        caller of `end_stream` and `charge_slashing`."""
        module = self.manager.strategy_module_of(model.cid)
        if module == ZERO:
            module = boa.env.generate_address(f"module {model.cid}")
            self.manager.set_module(model.cid, module)
        return module

    def transfer(self, model: ClusterModel, to: str) -> int:
        """Sells the ByzNft to `to`; returns what the seller was credited."""
        seller = self.nft.ownerOf(model.cid)
        credited = model.claimable(now())
        self.nft.transferFrom(seller, to, model.cid, sender=seller)
        model.accounted += credited
        model.credited += credited
        return credited

    def claim(self, model: ClusterModel, caller: str, to: str = ZERO) -> int:
        amount = model.claimable(now())
        paid = self.rewards.claim(model.cid, to, sender=caller)
        model.accounted += amount
        return paid

    # ------------------------------------------------------------ checks

    def check_cluster(self, model: ClusterModel) -> None:
        """The contract's figures equal the model's, and docs/protocol.md §10's identity holds to the wei."""
        r, t = self.rewards, now()
        a = r.accounting(model.cid, model.seat_args())
        assert r.status(model.cid) == model.status
        assert a.funded == model.funded
        assert a.renewals == model.renewals
        assert a.credited_to_stakers == model.credited
        assert a.paid_to_stakers == model.accounted - model.credited
        assert a.claimable == model.claimable(t) == r.claimable(model.cid)
        assert a.refunded == model.refunded
        assert a.forfeited == 0  # no slashing here (tests/staker/test_slashing.py)
        assert a.dust == model.dust
        assert r.held(model.cid, model.seat_args()) == model.held()
        # conservation (docs/protocol.md §10), at every moment, to the wei
        assert (
            a.paid_to_stakers
            + a.credited_to_stakers
            + a.claimable
            + a.unaccrued
            + a.refunded
            + a.forfeited
            + a.dust
            == a.funded + a.renewals
        )
        if model.status == c.STREAM_CANCELLED or (
            model.status in (c.STREAM_EXPIRED, c.STREAM_ENDED) and t >= model.end
        ):
            assert a.unaccrued == 0
            assert 0 <= a.dust <= len(model.seats)
        if model.start:
            assert r.get_stream(model.cid).end == model.end

    def check_balance(self, models, accounts) -> None:
        """StakerRewards' balance == Σ held over clusters + Σ sale credits (nothing untracked)."""
        held = sum(self.rewards.held(m.cid, m.seat_args()) for m in models)
        credits = sum(self.rewards.credit_of(a) for a in accounts)
        assert credits == self.rewards.total_credit()
        assert balance(self.rewards) == held + credits


def deploy_world() -> World:
    owner = actor("owner")
    auction = actor("operator", wei=10**6 * ETH, label="auction")
    operators = actors("operator", 8)
    stakers = actors("staker", 4)
    non_owner = actor("non_owner")
    with boa.env.prank(owner):
        escrow = helper("EscrowStandIn").deploy()
        rewards = deployer_for("staker_rewards").deploy(auction, escrow)
        escrow.set_rewards(rewards)
        nft = deployer_for("byz_nft").deploy()
        manager = helper("ManagerHarness").deploy(nft)
        nft.set_manager(manager)
        nft.set_staker_rewards(rewards)
        rewards.set_manager(manager)
    return World(owner, auction, operators, stakers, non_owner, escrow, rewards, nft, manager)


__all__ = [
    "CHECK_VCS",
    "DAY",
    "ETH",
    "MAX_DURATION",
    "ZERO",
    "ClusterModel",
    "World",
    "balance",
    "c",
    "deploy_world",
    "helper",
    "now",
]
