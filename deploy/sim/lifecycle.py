"""The run behind `python -m deploy.lifecycle` (deploy/lifecycle.py: the command line and the phases).

`Lifecycle(seed, n_operators, n_stakers).run()` plays every phase on titanoboa's in-process EVM and returns
the report; `conservation(snapshot)` is its closing ETH check. It lives apart from the command line so that
`--help` answers without loading titanoboa and the compiler (deploy/lazy.py).
"""

from __future__ import annotations

import hashlib
import random
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boa

import boa_env
from deploy import fast_bls
from deploy.constants import StreamStatus, c, status_name
from deploy.gas import GasReport, measure, measure_deploy
from deploy.keys import cluster_registration, verify_deposit_data
from deploy.lifecycle import argument_problem
from deploy.protocol import SOURCES, Protocol, Step, at, deploy_protocol
from deploy.sim.staking_flow import SafeDepositSteps
from deploy.tables import eth, format_table, short

fast_bls.install()  # EIP-2537 by arkworks (deploy/fast_bls.py): same gas and results, seconds faster

ETH = 10**18
DAY = c.SECONDS_PER_DAY
STAKE = c.STAKE_AMOUNT


WIDTH = 100  # the report fits a terminal this wide
BID_DAYS = 7  # a bid's duration: up to this many days more than the configuration's shortest


def amount(wei: int) -> str:
    """ETH to the micro-ether, or wei when smaller than that."""
    return f"{eth(wei)} ETH" if abs(wei) >= 10**12 or wei == 0 else f"{wei} wei"


def percent(basis_points: int) -> str:
    """Basis points as a percentage (1 000 bps: "10.00")."""
    return f"{basis_points / 100:.2f}"


def fit(line: str, indent: str = "       ") -> list[str]:
    """`line` as it is if it fits WIDTH, else broken after its first ': ' onto an indented second line."""
    if len(line) <= WIDTH or ": " not in line:
        return [line]
    head, tail = line.split(": ", 1)
    return [head + ":", indent + tail]


def config_lines(cfg: dict) -> list[str]:
    """The configuration, one setting a line, with units."""
    year = cfg.get("expected_daily_return", 0) * 365 * 100 / STAKE
    shown = {
        "cluster_size": f"{cfg.get('cluster_size')} operators per validator",
        "expected_daily_return": f"{cfg.get('expected_daily_return', 0):,} wei a day per 32 ETH "
        f"validator ({year:.2f} % a year)",
        "max_discount_rate": f"{cfg.get('max_discount_rate', 0) / 100:.2f} % at most off that return",
        "min_duration": f"{cfg.get('min_duration')} days",
        "max_duration": f"{cfg.get('max_duration')} days",
        "pending_cluster_ttl": f"{cfg.get('pending_cluster_ttl', 0) / DAY:g} days before anyone may dissolve "
        "an unstaked cluster",
    }
    width = max(len(k) for k in cfg)
    return [f"  {key.replace('_', ' '):<{width}}  {shown.get(key, value)}" for key, value in cfg.items()]


@dataclass
class Actors:
    """Externally owned accounts of the run, with readable labels."""

    owner: str
    operators: list[str]
    stakers: list[str]
    buyer: str
    fee_payer: str
    labels: dict[str, str] = field(default_factory=dict)

    def all(self) -> list[str]:
        """Every actor."""
        return [self.owner, *self.operators, *self.stakers, self.buyer, self.fee_payer]

    def label(self, address: Any) -> str:
        """The actor's label, or the shortened address."""
        return self.labels.get(str(address), short(address))


def make_actors(n_operators: int, n_stakers: int) -> Actors:
    """Fresh funded accounts (in-process EVM)."""
    funds = {
        "owner": 10 * ETH,
        "operator": 100 * ETH,
        "staker": 80 * ETH,  # the last one also stakes into the cluster that gets front-run
        "buyer": 10 * ETH,
        "fees": 10 * ETH,
    }
    labels: dict[str, str] = {}

    def new(label: str, wei: int) -> str:
        address = str(boa.env.generate_address(label))
        boa_env.fund(address, wei)
        labels[address] = label
        return address

    return Actors(
        owner=new("owner", funds["owner"]),
        operators=[new(f"operator{i}", funds["operator"]) for i in range(n_operators)],
        stakers=[new(f"staker{i}", funds["staker"]) for i in range(n_stakers)],
        buyer=new("nft buyer", funds["buyer"]),
        fee_payer=new("fee payer", funds["fees"]),
        labels=labels,
    )


class Lifecycle(SafeDepositSteps):
    """One seeded run; `run()` plays every phase and returns the report (a JSON-ready dict)."""

    def __init__(
        self,
        seed: int = 1,
        n_operators: int = 7,
        n_stakers: int = 2,
        out: Callable = print,
    ):
        problem = argument_problem(n_operators, n_stakers)
        if problem:
            raise ValueError(problem)
        self.seed = seed
        self.rng = random.Random(seed)
        self.n_operators = n_operators
        self.n_stakers = n_stakers
        self.out = out
        self.gas = GasReport()
        self.report: dict[str, Any] = {"seed": seed, "beacon": "spec"}
        self.checks: list[dict[str, Any]] = []
        self.contracts: dict[str, Any] = {}  # every deployed contract by role, proxies included
        self.bids: dict[int, str] = {}  # bid id -> operator
        self.modules: dict[int, Any] = {}  # cluster id -> StrategyModule
        self.rewards: dict[str, int] = {}  # actor -> rewards received
        self.staked_by: dict[int, str] = {}  # cluster id -> staker
        self.p: Protocol
        self.actors: Actors

    # ------------------------------------------------------------ plumbing

    def section(self, title: str) -> None:
        """Print a section heading."""
        self.out(f"\n== {title} ==")

    def tx(self, name: str, fn: Callable, *args, sender: str, value: int = 0, **kwargs) -> Any:
        """Send one measured transaction; its gas goes to the report under `name`.

        Clusters the transaction formed are announced (a deposit pre-creates the next one by itself).
        Note: this reads `num_clusters()` after the call, so read a call's logs through `measure` directly.
        """
        clusters = self.p.auction.num_clusters()
        result, gas = measure(fn, *args, sender=sender, value=value, **kwargs)
        self.gas.record(name, gas)
        self.announce_clusters(clusters, name, sender)
        return result

    def announce_clusters(self, before: int, name: str, sender: str) -> None:
        """One line per cluster formed since there were `before`, saying what formed it."""
        a = self.p.auction
        for cid in range(before, a.num_clusters()):
            seats = self.p.seats(cid)
            how = "" if name == "pre_create_clusters" else " automatically"
            winners = ", ".join(f"{self.label(s.operator)} #{s.bid_id}" for s in seats)
            for line in fit(
                f"  cluster {cid} pre-created{how} by {self.label(sender)}'s {name} "
                f"({min(s.days for s in seats)} days): {winners}"
            ):
                self.out(line)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        """Record (and print, if it failed) a named check."""
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        if not ok:
            self.out(f"  CHECK FAILED: {name} {detail}")
        return ok

    def label(self, address: Any) -> str:
        """A readable name for an account or contract."""
        return self.actors.label(address)

    def progress(self, done: int, total: int, what: str) -> None:
        """One progress line of a long phase."""
        self.out(f"  [{done}/{total}] {what}")

    # ------------------------------------------------------------ phases

    def run(self) -> dict[str, Any]:
        """Play every phase; returns the report."""
        with warnings.catch_warnings():
            # titanoboa casts each new minimal proxy (module, pod, split) to its implementation and warns
            warnings.filterwarnings("ignore", message="casted bytecode does not match")
            return self._run()

    def _run(self) -> dict[str, Any]:
        boa_env.use_network("local")
        self.actors = make_actors(self.n_operators, self.n_stakers)
        self.initial = {a: boa.env.get_balance(a) for a in self.actors.all()}
        self.phase_deploy()
        self.start_beacon_chain()
        self.phase_bidding()
        self.phase_pre_create()
        self.phase_key_ceremony()
        self.phase_staking()
        self.phase_safe_deposits()
        self.phase_offline_spell()
        self.phase_rewards()
        self.phase_rotation()
        self.settle_offline_spell()
        self.phase_exit()
        self.phase_expiry()
        self.phase_exit_after_expiry()
        self.phase_dissolution()
        self.phase_refunds()
        self.report_clusters()
        self.report_stakers()
        self.report_gas()
        self.phase_conservation()
        self.report["checks"] = self.checks
        self.report["ok"] = all(c["ok"] for c in self.checks)
        return self.report

    def phase_deploy(self) -> None:
        """Deploy and wire the suite, measuring each transaction."""
        self.section("Deployment")

        def transact(step: Step, fn: Any, args: list) -> Any:
            if step.is_deploy:
                contract, gas = measure_deploy(fn, *args)
                self.gas.record(f"deploy {SOURCES[step.role].split('/')[-1][:-3]}", gas)
                return contract
            result, gas = measure(fn, *args, sender=self.actors.owner)
            self.gas.record(f"wire {step.name}", gas)
            return result

        self.p = deploy_protocol(owner=self.actors.owner, transact=transact)
        self.contracts = dict(self.p.contracts())
        for role, contract in self.contracts.items():
            self.actors.labels[str(contract.address)] = role
        rows = [
            (role, short(c.address), f"{len(boa.env.get_code(c.address)):,}")
            for role, c in self.contracts.items()
        ]
        self.out(format_table(("role", "address", "code bytes"), rows, "llr"))
        self.out("configuration:")
        for line in config_lines(self.p.config):
            self.out(line)
        self.report["contracts"] = {role: str(c.address) for role, c in self.contracts.items()}
        self.report["config"] = self.p.config

    def phase_bidding(self) -> None:
        """Whitelist some operators; everyone bids; some update and withdraw bids."""
        self.section("Auction")
        a, ops = self.p.auction, self.actors.operators
        whitelisted = self.rng.sample(ops, 2)
        for op in whitelisted:
            self.tx("add_to_whitelist", a.add_to_whitelist, op, sender=self.actors.owner)
        self.out("whitelisted (no bond): " + ", ".join(self.label(o) for o in whitelisted))
        for i, op in enumerate(ops, 1):
            ids = self.place_bids(op)
            self.progress(i, len(ops), f"{self.label(op)} placed bids {ids}")
        self.update_some_bids()
        self.withdraw_some_bids()
        self.report_book()

    def random_terms(self) -> tuple[int, int]:
        """A random (discount rate, duration) within the configuration; durations within BID_DAYS of the
        shortest, so that the clusters expire about a month after staking (the beacon chain runs every slot
        until then)."""
        cfg = self.p.config
        discount = self.rng.randrange(0, cfg["max_discount_rate"] + 1, 50)
        shortest = cfg["min_duration"]
        duration = self.rng.randrange(shortest, min(cfg["max_duration"], shortest + BID_DAYS) + 1)
        return discount, duration

    def place_bids(self, op: str) -> list[int]:
        """One hinted single bid with the bond floor and one batch of 1-3 bids with bonds of 1, 1.5 and 2 ETH
        (docs/protocol.md §2: a larger bond raises the score), paying a little too much, to get change."""
        a = self.p.auction
        d, t = self.random_terms()
        hint = a.insert_hint(d, t)
        ids = list(
            self.tx("bid (1, hinted)", a.bid, [d], [t], [hint], sender=op, value=a.price_to_pay(op, [d], [t]))
        )
        terms = [self.random_terms() for _ in range(self.rng.randint(1, 3))]
        ds, ts = [x[0] for x in terms], [x[1] for x in terms]
        bonds = [c.BOND + k * c.BOND // 2 for k in range(len(ds))]
        due = a.price_to_pay(op, ds, ts, bonds)
        ids += self.tx(
            f"bid (batch of {len(ds)})", a.bid, ds, ts, [], bonds, sender=op, value=due + ETH // 100
        )
        for bid_id in ids:
            self.bids[bid_id] = op
        return ids

    def update_some_bids(self) -> None:
        """One operator raises a bid's price (pays in), another lowers one (refunded)."""
        a = self.p.auction
        up, down = self.rng.sample(sorted(self.bids), 2)
        b = a.get_bid(up)
        new_t = min(b.duration + 30, self.p.config["max_duration"])
        extra = a.bid_price(0, new_t) - b.price
        self.tx(
            "update_bid (price up)", a.update_bid, up, 0, new_t, sender=self.bids[up], value=max(extra, 0)
        )
        b = a.get_bid(down)
        new_t = max(b.duration - 10, self.p.config["min_duration"])
        new_d = self.p.config["max_discount_rate"]
        self.tx("update_bid (price down)", a.update_bid, down, new_d, new_t, sender=self.bids[down])
        self.out(
            f"bid {up} re-priced up (t={a.get_bid(up).duration}), bid {down} down (d={new_d}, t={new_t})"
        )

    def withdraw_some_bids(self) -> None:
        """Two operators that have more than two bids withdraw one each."""
        a = self.p.auction
        many = [op for op in self.actors.operators if a.pending_bids_of(op) > 2]
        for op in self.rng.sample(many, min(2, len(many))):
            bid_id = max(i for i, o in self.bids.items() if o == op)
            before = boa.env.get_balance(op)
            self.tx("withdraw_bid", a.withdraw_bid, bid_id, sender=op)
            refund = boa.env.get_balance(op) - before
            self.out(f"{self.label(op)} withdrew bid {bid_id}: refunded {eth(refund)} ETH")

    def report_book(self, k: int = 10) -> None:
        """Print the top of the bid book."""
        a = self.p.auction
        rows, data = [], []
        for rank, bid_id in enumerate(a.top_bids(k), 1):
            b = a.get_bid(bid_id)
            rows.append(
                (
                    rank,
                    bid_id,
                    self.label(b.operator),
                    percent(b.discount_rate),
                    b.duration,
                    eth(b.price),
                    eth(b.bond),
                    f"{b.score:,}",
                )
            )
            data.append(
                {
                    "rank": rank,
                    "bid_id": bid_id,
                    "operator": str(b.operator),
                    "discount_rate": b.discount_rate,
                    "duration": b.duration,
                    "price": b.price,
                    "bond": b.bond,
                    "score": b.score,
                }
            )
        self.out(
            f"book: {a.num_pending_bids()} pending bids from {a.num_operators_in_auction()} operators; "
            f"top {k}:"
        )
        header = ("#", "bid", "operator", "discount %", "days", "price ETH", "bond", "score")
        self.out(format_table(header, rows, "rrlrrrrr"))
        self.out("score = daily VC price (wei) x 1.001^days / 10^18: higher ranks first, so a longer")
        self.out("commitment can outrank a smaller discount (docs/protocol.md §2)")
        self.report["book_top"] = data

    def phase_pre_create(self) -> None:
        """The owner pre-creates one cluster per staker."""
        self.section("Clusters")
        self.tx(
            "pre_create_clusters",
            self.p.manager.pre_create_clusters,
            self.n_stakers,
            sender=self.actors.owner,
        )

    def pending_without_data(self) -> list[int]:
        """Pre-created, unstaked clusters whose deposit data is not registered yet."""
        m = self.p.manager
        return [
            cid
            for cid in range(self.p.auction.num_clusters())
            if m.cluster_status(cid) == c.CLUSTER_PENDING and not m.has_deposit_data(cid)
        ]

    def phase_key_ceremony(self) -> None:
        """Key generation for each pending cluster, checked off-chain, then registered by its winners."""
        self.section("Key ceremony")
        todo = self.pending_without_data()
        self.report.setdefault("deposit_data", {})
        for i, cid in enumerate(todo, 1):
            d = self.key_ceremony(cid)
            self.progress(
                i,
                len(todo),
                f"cluster {cid}: pubkey {d['pubkey'][:12]}…, "
                f"deposit_data_root {d['deposit_data_root'][:12]}…, signature verified",
            )

    def key_ceremony(self, cid: int) -> dict:
        """Generate, verify and register one cluster's deposit data."""
        m = self.p.manager
        _, pod, _ = m.predict_addresses(cid, self.p.seats(cid))
        credentials = bytes(m.withdrawal_credentials(cid))
        self.check(
            f"cluster {cid} withdrawal credentials point at its pod",
            credentials == b"\x01" + bytes(11) + bytes.fromhex(str(pod)[2:]),
        )
        seed = hashlib.sha256(f"byzantine lifecycle {self.seed} cluster {cid}".encode()).digest()
        # a t-of-n threshold key whose first t operators sign the 1 ETH pre-deposit
        seats = self.p.seats(cid)
        winners = [seat.operator for seat in seats]
        fork_version = self.p.config["genesis_fork_version"].to_bytes(4, "big")
        reg = cluster_registration(credentials, len(winners), seed=seed, fork_version=fork_version)
        d = dict(reg.deposit_data)
        self.check(f"cluster {cid} deposit data verifies", verify_deposit_data(d))
        # each winner registers its own public key share, then one of them the group key and signature:
        # ClusterKeys checks the shares and the signature with the BLS precompiles before the manager
        # gets the deposit data
        keys = self.p.cluster_keys
        for winner, (share, point) in zip(winners, reg.shares, strict=True):
            self.tx("register_share", keys.register_share, cid, seats, share, point, sender=winner)
        register = keys.register_deposit_data
        self.tx("register_deposit_data", register, cid, seats, *reg.deposit_args, sender=winners[0])
        self.check(
            f"cluster {cid} ready after its {len(winners)} winners' registrations "
            f"({reg.key.threshold}-of-{len(winners)} key checked on chain)",
            m.has_deposit_data(cid) and m.validator_pubkey(cid) == bytes.fromhex(d["pubkey"]),
        )
        self.report["deposit_data"][str(cid)] = d
        return d

    def phase_staking(self) -> None:
        """Each staker stakes 32 ETH into the oldest ready cluster; one delegates."""
        self.section("Staking")
        m = self.p.manager
        for i, staker in enumerate(self.actors.stakers, 1):
            if m.num_ready_clusters() == 0:
                self.phase_key_ceremony()
            cid = m.next_cluster_to_stake()[1]
            module_address, pod, split = m.predict_addresses(cid, self.p.seats(cid))
            module = self.tx(
                "create_strategy_module_and_stake",
                m.create_strategy_module_and_stake,
                sender=staker,
                value=STAKE,
            )
            self.check(f"cluster {cid} module at predicted address", str(module) == str(module_address))
            self.check(f"cluster {cid} ByzNft minted to staker", self.p.byz_nft.ownerOf(cid) == staker)
            self.remember_proxies(cid, module, pod, split)
            self.staked_by[cid] = staker
            self.progress(
                i,
                len(self.actors.stakers),
                f"{self.label(staker)} staked cluster {cid}: module "
                f"{short(module)}, pod {short(pod)}, split {short(split)}",
            )
        self.delegate_one()
        self.out(f"clusters pre-created and waiting for a staker: {m.num_pending_clusters()}")

    def remember_proxies(self, cid: int, module: Any, pod: Any, split: Any) -> None:
        """Keep handles on a staked cluster's module, pod and split (for reports and accounting)."""
        proxies = {
            "module": ("strategy_module_implementation", module),
            "pod": ("eigen_pod_implementation", pod),
            "split": ("split_implementation", split),
        }
        for kind, (role, address) in proxies.items():
            self.contracts[f"{kind} {cid}"] = at(role, address)
            self.actors.labels[str(address)] = f"{kind} {cid}"
        self.modules[cid] = self.contracts[f"module {cid}"]

    def delegate_one(self) -> None:
        """An operator registers with EigenLayer; the first staker's module delegates to it."""
        op = self.actors.operators[0]
        self.tx(
            "registerAsOperator",
            self.p.delegation_manager.registerAsOperator,
            "0x" + "00" * 20,  # no delegation approver
            0,  # allocation delay (blocks)
            "https://example.org/op0",
            sender=op,
        )
        cid = min(self.modules)
        no_approval = (b"", 0)  # the operator has no approver: an empty signature, no expiry
        self.tx(
            "module.delegate_to",
            self.modules[cid].delegate_to,
            op,
            no_approval,
            b"\x00" * 32,
            sender=self.actors.stakers[0],
        )
        self.check("module delegated", self.modules[cid].delegated_to() == op)
        self.out(f"module {cid} delegated to {self.label(op)} on EigenLayer")

    def phase_rewards(self) -> None:
        """Time passes; claims through StakerRewards and through the module; one NFT is sold; fees split."""
        self.section("Rewards")
        nft = self.p.byz_nft
        first, second = sorted(self.modules)[:2] if len(self.modules) > 1 else (min(self.modules),) * 2
        self.travel(10)
        seller = nft.ownerOf(first)
        self.claim(first, via_module=False)
        self.travel(3)
        self.tx("ByzNft.transferFrom", nft.transferFrom, seller, self.actors.buyer, first, sender=seller)
        self.check("module follows its NFT", self.modules[first].owner() == self.actors.buyer)
        self.out(
            f"{self.label(seller)} sold ByzNft {first} to {self.label(self.actors.buyer)}; "
            f"module {first} now owned by {self.label(self.modules[first].owner())}"
        )
        self.seller_paid(seller)
        self.travel(10)
        self.claim(first, via_module=True)
        self.claim(second, via_module=True)
        self.renewal(second)
        self.execution_layer_fees(first)

    def phase_rotation(self) -> None:
        """A winner leaves a live cluster without an exit (docs/protocol.md §10 "Seats that rotate"): its seat
        is auctioned alone, the stayers reshare the key (deploy/reshare.py), every operator of the new set
        registers its new share, and anyone completes: the shares give the validator's unchanged key."""
        from deploy.keys import g1_point, threshold_of
        from deploy.reshare import reshare

        self.section("Seat rotation")
        sr, m, e, rotation = self.p.staker_rewards, self.p.manager, self.p.escrow, self.p.seat_rotation
        choice = None
        for cid in self.streaming_clusters():
            seats, stream = self.p.seats(cid), sr.get_stream(cid)
            k = max(0, -(-(boa.env.timestamp - stream.start) // DAY))
            pending_charge = any(e.reserved(seat.bid_id) for seat in seats)
            if m.cluster_status(cid) == c.CLUSTER_STAKED and not pending_charge:
                if boa.env.timestamp < stream.end and sum(seat.days > k for seat in seats) == len(seats):
                    choice = cid
                    break
        if choice is None or not self.p.auction.can_settle():
            self.out("skipped: no staked cluster can rotate a seat now")
            return
        cid, seats = choice, self.p.seats(choice)
        leaver = seats[1]
        pubkey = bytes(m.validator_pubkey(cid))
        bond = e.held(leaver.bid_id)  # what the leaver's bond still holds (a loss charge may have taken some)
        newcomer = self.tx(
            "SeatRotation.open_rotation", rotation.open_rotation, cid, seats, 1, sender=leaver.operator
        )
        self.out(
            f"{self.label(leaver.operator)} left cluster {cid}: its seat went to "
            f"{self.label(newcomer.operator)}'s bid {newcomer.bid_id} for {newcomer.days} days "
            f"({eth(newcomer.vc * newcomer.days)} ETH)"
        )
        # what accrued until the handover and was not claimed was credited to the holder: it withdraws it
        holder = self.p.byz_nft.ownerOf(cid)
        credit = sr.credit_of(holder)
        self.check(f"cluster {cid}'s holder was credited what accrued before the handover", credit > 0)
        paid = self.tx("StakerRewards.withdraw_credit", sr.withdraw_credit, holder, sender=holder)
        self.rewards[holder] = self.rewards.get(holder, 0) + paid
        self.out(f"{self.label(holder)} withdrew {eth(paid)} ETH accrued before the handover")
        # the key ceremony's key, moved to the new set by the stayers
        seed = hashlib.sha256(f"byzantine lifecycle {self.seed} cluster {cid}".encode()).digest()
        fork_version = self.p.config["genesis_fork_version"].to_bytes(4, "big")
        credentials = bytes(m.withdrawal_credentials(cid))
        key = cluster_registration(credentials, len(seats), seed=seed, fork_version=fork_version).key
        n = len(seats)
        new = reshare(key, range(1, n + 1), threshold_of(n), dealers=[i for i in range(1, n + 1) if i != 2])
        self.check("the reshared key is the validator's", new.distributed_public_key == pubkey)
        seats = self.p.seats(cid)
        shares = new.public_share_list()
        for seat, share in zip(seats, shares, strict=True):
            self.tx(
                "SeatRotation.register_share",
                rotation.register_share,
                cid,
                seats,
                share,
                g1_point(share),
                sender=seat.operator,
            )
        before = e.claimable(leaver.operator)
        points = [g1_point(share) for share in shares]
        self.tx(
            "SeatRotation.complete_rotation",
            rotation.complete_rotation,
            cid,
            seats,
            g1_point(pubkey),
            points,
            sender=self.actors.fee_payer,
        )
        self.check(
            f"cluster {cid}'s rotation reshared on chain: the leaver's bond unlocked",
            rotation.rotation(cid).status == c.ROTATION_RESHARED
            and e.claimable(leaver.operator) - before == bond,
        )
        self.chain.process()  # the model checks the reshared key itself (deploy/sim/key_watch.py)
        self.check(
            "the beacon model checked the new set's shares: they give the validator's key",
            (cid, rotation.rotation(cid).round, pubkey) in self.chain.reshared,
        )
        validator = self.chain.validator(pubkey)
        self.check(
            "the beacon chain's validator kept its public key through the rotation",
            validator is not None
            and bytes(validator.pubkey) == pubkey
            and bytes(m.validator_pubkey(cid)) == pubkey,
        )
        self.out(
            f"cluster {cid}'s {threshold_of(n)}-of-{n} key reshared and checked on chain; "
            "the validator never exited"
        )

    def seller_paid(self, seller: str) -> None:
        """What accrued before a sale was credited to the seller; it withdraws it."""
        sr = self.p.staker_rewards
        credit = sr.credit_of(seller)
        self.check("the seller was credited what accrued before the sale", credit > 0)
        paid = self.tx("StakerRewards.withdraw_credit", sr.withdraw_credit, seller, sender=seller)
        self.check("the seller withdrew its credit", paid == credit and sr.credit_of(seller) == 0)
        self.rewards[seller] = self.rewards.get(seller, 0) + paid
        self.out(f"{self.label(seller)} withdrew {eth(paid)} ETH accrued before the sale")

    def renewal(self, cid: int) -> None:
        """A winner of a live cluster renews its seat: the cluster's end may move, the staker's rate not."""
        a, sr = self.p.auction, self.p.staker_rewards
        seats = self.p.seats(cid)
        op, days = seats[0].operator, 30
        before = sr.get_stream(cid)
        cost = days * seats[0].vc
        self.tx("Auction.renew", a.renew, cid, seats, days, value=cost, sender=op)
        after = sr.get_stream(cid)
        renewed = self.p.seats(cid)[0]
        self.check("the seats' mirror has the renewed seat", renewed.days == seats[0].days + days)
        self.check("a renewal leaves the staker's rate unchanged", after.rate == before.rate)
        self.check("a renewal never moves the cluster's end earlier", after.end >= before.end)
        self.out(f"{self.label(op)} renewed its seat in cluster {cid} for {days} days ({eth(cost)} ETH)")

    def report_coverage(self, cid: int) -> None:
        """What a slashing proven now would pay the cluster's holder (`StakerRewards.coverage`: the winners'
        bonds still locked and the seats' unserved credits), against the 32 ETH at stake."""
        seats = self.p.seats(cid)
        a, e, cover = self.p.auction, self.p.escrow, self.p.staker_rewards.coverage(cid, seats)
        paid = sum(a.get_bid(seat.bid_id).bond for seat in seats)
        held = sum(e.held(seat.bid_id) for seat in seats)
        self.check(
            f"cluster {cid} coverage: the winners' bonds still held, credits left",
            cover.bonds_locked == held <= paid and cover.total == held + cover.credits_left > held,
        )
        self.out(
            f"  coverage if slashed: {eth(cover.total)} ETH, {100 * cover.total / STAKE:.2f} % of the 32 ETH"
        )
        self.out(
            f"    = bonds locked {eth(cover.bonds_locked)} ETH + credits left {eth(cover.credits_left)} ETH"
        )

    def travel(self, days: int) -> None:
        """Advance the chain's clock."""
        boa.env.time_travel(seconds=days * DAY)
        self.out(f"... {days} days pass")

    def claim(self, cid: int, via_module: bool) -> int:
        """The cluster's NFT holder claims its accrued rewards."""
        holder = self.p.byz_nft.ownerOf(cid)
        if via_module:
            amount = self.tx("module.claim_rewards", self.modules[cid].claim_rewards, sender=holder)
        else:
            amount = self.tx("StakerRewards.claim", self.p.staker_rewards.claim, cid, sender=holder)
        self.rewards[holder] = self.rewards.get(holder, 0) + amount
        self.out(
            f"{self.label(holder)} claimed {eth(amount)} ETH of cluster {cid}"
            f"{' through its module' if via_module else ''}"
        )
        return amount

    def execution_layer_fees(self, cid: int) -> None:
        """Fees land at the cluster's split address (its fee recipient, not deployed by the stake); anyone
        deploys the split there and distributes them to the operators."""
        split = self.contracts[f"split {cid}"]
        fees = ETH // 10
        boa.env.raw_call(str(split.address), sender=self.actors.fee_payer, value=fees)
        self.check(
            "the stake left the split undeployed; the fees wait at its address",
            not boa.env.get_code(str(split.address)) and boa.env.get_balance(str(split.address)) == fees,
        )
        seats = self.p.seats(cid)
        self.tx("deploy_split", self.p.manager.deploy_split, cid, seats, sender=self.actors.fee_payer)
        self.tx("Split.distribute", split.distribute, sender=self.actors.fee_payer)
        bps = split.distribution_incentive_bps()
        incentive = fees * bps // 10_000
        self.out(
            f"{eth(fees)} ETH of execution-layer fees reached split {cid}; distribute() paid its caller "
            f"({self.label(self.actors.fee_payer)})"
        )
        self.out(
            f"  the {bps / 100:.2f} % incentive for calling it, {eth(incentive)} ETH, and its "
            f"{self.p.config['cluster_size']} operators the other {eth(fees - incentive)} ETH"
        )

    def phase_expiry(self) -> None:
        """Time passes until every staked cluster's credits are used up; anyone expires them."""
        self.section("Expiry")
        sr = self.p.staker_rewards
        ends = [sr.get_stream(cid).end for cid in self.streaming_clusters()]
        if not ends:  # one staker: its cluster exited above, nothing streams any more
            self.out("skipped: no staked cluster streams")
            return
        now = boa.env.timestamp
        self.travel(max(0, (max(ends) - now + DAY - 1) // DAY))
        for cid in self.streaming_clusters():
            self.tx("StakerRewards.expire", sr.expire, cid, self.p.seats(cid), sender=self.actors.fee_payer)
            self.claim(cid, via_module=False)
            self.out(
                f"cluster {cid} expired; unused credits returned to the Escrow (bonds locked until its exit)"
            )

    def phase_refunds(self) -> None:
        """Operators pull what the Escrow holds for them; two leave the auction."""
        self.section("Refunds")
        a, e = self.p.auction, self.p.escrow
        leaving = self.rng.sample(self.actors.operators, 2)
        for op in leaving:
            for bid_id in [
                i for i, o in self.bids.items() if o == op and a.get_bid(i).status == c.BID_PENDING
            ]:
                self.tx("withdraw_bid", a.withdraw_bid, bid_id, sender=op)
        rows = []
        for op in self.actors.operators:
            due = e.claimable(op)
            paid = self.tx("claim_refund", a.claim_refund, sender=op) if due else 0
            note = "withdrew every bid" if op in leaving else ""
            rows.append((self.label(op), eth(paid), a.pending_bids_of(op), note))
        self.out(format_table(("operator", "claimed ETH", "pending bids", "note"), rows, "lrrl"))

    # ------------------------------------------------------------ reports

    def report_clusters(self) -> None:
        """Every cluster with its winners and their prices."""
        self.section("Clusters and winners")
        a, sr = self.p.auction, self.p.staker_rewards
        rows, data = [], []
        for cid in range(a.num_clusters()):
            seats = self.p.seats(cid)
            # the manager's status, or the stream's once it expired (the validator may still run)
            expired = sr.status(cid) == c.STREAM_EXPIRED
            status = status_name(StreamStatus, c.STREAM_EXPIRED) if expired else self.cluster_status_name(cid)
            for rank, (bid_id, op) in enumerate(((s.bid_id, s.operator) for s in seats), 1):
                b = a.get_bid(bid_id)
                rows.append(
                    (
                        cid,
                        status,
                        rank,
                        self.label(op),
                        bid_id,
                        percent(b.discount_rate),
                        b.duration,
                        eth(b.price // b.duration),
                        eth(b.price),
                    )
                )
            data.append(
                {
                    "cluster_id": cid,
                    "status": status,
                    "min_duration": min(s.days for s in seats),
                    "winners": [
                        {"operator": str(s.operator), "bid_id": s.bid_id, "price": a.get_bid(s.bid_id).price}
                        for s in seats
                    ],
                }
            )
        self.out(
            format_table(
                (
                    "cluster",
                    "status",
                    "#",
                    "operator",
                    "bid",
                    "discount %",
                    "days",
                    "VC/day ETH",
                    "price ETH",
                ),
                rows,
                "rlrlrrrrr",
            )
        )
        self.report["clusters"] = data

    def report_stakers(self) -> None:
        """Each staker's module and rewards."""
        self.section("Stakers")
        rows, data = [], []
        for cid, module in sorted(self.modules.items()):
            staker = self.staked_by[cid]
            holder = self.p.byz_nft.ownerOf(cid)
            s = self.p.staker_rewards.get_stream(cid)
            rows.append(
                (
                    self.label(staker),
                    cid,
                    short(module.address),
                    self.label(holder),
                    eth(s.rate),
                    s.min_duration,
                    eth(s.paid),
                    eth(self.p.staker_rewards.claimable(cid)),
                )
            )
            data.append(
                {
                    "staker": staker,
                    "cluster_id": cid,
                    "module": str(module.address),
                    "holder": holder,
                    "rate_per_day": s.rate,
                    "days": s.min_duration,
                    "paid": s.paid,
                }
            )
        self.out(
            format_table(
                ("staker", "cluster", "module", "NFT holder", "ETH/day", "days", "paid ETH", "claimable"),
                rows,
                "lrllrrrr",
            )
        )
        self.out(
            "rewards received: " + ", ".join(f"{self.label(a)} {eth(w)} ETH" for a, w in self.rewards.items())
        )
        self.report["stakers"] = data
        self.report["rewards_received"] = {self.label(a): w for a, w in self.rewards.items()}

    def report_gas(self) -> None:
        """Gas per operation, as receipts would show it."""
        self.section("Gas per operation (receipt gasUsed: intrinsic + execution - capped refund)")
        self.out(self.gas.table())
        self.report["gas"] = self.gas.to_dict()

    # ------------------------------------------------------------ accounting

    def phase_conservation(self) -> None:
        """Every wei that entered is accounted for; each contract's ledger matches its balance."""
        self.section("ETH conservation")
        snap = self.snapshot()
        result = conservation(snap)
        self.out(format_table(("where", "ETH"), [(k, eth(v)) for k, v in result["rows"]], "lr"))
        for name, (ok, detail) in result["checks"].items():
            self.check(name, ok, detail)
            for line in fit(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}"):
                self.out(line)
        self.explain_staker_rewards()
        self.report["conservation"] = {"rows": dict(result["rows"]), "snapshot": snap}

    def explain_staker_rewards(self) -> None:
        """What StakerRewards still holds at the end, cluster by cluster, and why."""
        sr, m = self.p.staker_rewards, self.p.manager
        held = {cid: sr.held(cid, self.p.seats(cid)) for cid in range(self.p.auction.num_clusters())}
        held = {cid: wei for cid, wei in held.items() if wei}
        if not held:
            self.out("StakerRewards holds nothing: every price was streamed to a staker or returned")
            return
        self.out(f"StakerRewards still holds {amount(sum(held.values()))}:")
        for cid, wei in held.items():
            parts = {
                "unaccrued": "prices not streamed yet"
                + (
                    " (pre-created, waiting for a staker)"
                    if m.cluster_status(cid) == c.CLUSTER_PENDING
                    else ""
                ),
                "claimable": "accrued to its staker, not claimed yet",
                "dust": "rounding dust of the per-second stream, tracked in its accounting",
            }
            figures = sr.accounting(cid, self.p.seats(cid))
            why = "; ".join(
                f"{amount(getattr(figures, k))} {text}" for k, text in parts.items() if getattr(figures, k)
            )
            self.out(f"  cluster {cid}: {why or amount(wei)}")

    def snapshot(self) -> dict[str, Any]:
        """Balances and ledger figures the conservation check needs (plain integers)."""
        a, e, sr = self.p.auction, self.p.escrow, self.p.staker_rewards
        bids = [a.get_bid(i) for i in range(1, a.num_bids() + 1)]
        # bonds stay locked while a cluster is funded, streaming or expired (its validator runs); ended (exit
        # proven) or cancelled: unlocked
        expired = {cid for cid in range(a.num_clusters()) if sr.status(cid) > c.STREAM_EXPIRED}
        # a loss charged at a checkpoint takes its part of the bonds: set aside while its challenge window
        # runs (the Escrow's `reserved`), then the holder's (claimable)
        charges = {cid: module.loss_charge() for cid, module in self.modules.items()}
        locked_bonds = sum(
            a.get_bid(i).bond
            for cid in range(a.num_clusters())
            if cid not in expired
            for i in (seat.bid_id for seat in self.p.seats(cid))
        ) - sum(charge.charged + charge.reserved for cid, charge in charges.items() if cid not in expired)
        return {
            "initial": {self.label(k): v for k, v in self.initial.items()},
            "final": {self.label(k): boa.env.get_balance(k) for k in self.initial},
            "contracts": {role: boa.env.get_balance(str(c.address)) for role, c in self.contracts.items()},
            "escrow_pending": sum(b.price + b.bond for b in bids if b.status == c.BID_PENDING),
            "escrow_locked_bonds": locked_bonds,
            "escrow_reserved": sum(charge.reserved for charge in charges.values()),
            "escrow_claimable": sum(e.claimable(actor) for actor in self.actors.all()),
            "staker_rewards_held": sum(sr.held(cid, self.p.seats(cid)) for cid in range(a.num_clusters())),
            "staked": self.deposited_wei(),
            "deposits": len(self.deposits),
            "beacon_paid": self.beacon_paid_wei(),
            "deposit_count": int.from_bytes(bytes(self.p.deposit_contract.get_deposit_count()), "little"),
        }


def conservation(snap: dict[str, Any]) -> dict[str, Any]:
    """The accounting of a `Lifecycle.snapshot`.

    Returns `rows` (where the wei are) and `checks` (name -> (ok, detail)).
    """
    initial, final, held = snap["initial"], snap["final"], snap["contracts"]
    groups: dict[str, int] = {}
    for actor in initial:
        group = actor.rstrip("0123456789") + ("s" if actor[-1:].isdigit() else "")
        groups[group] = groups.get(group, 0) + initial[actor] - final[actor]
    # a beacon-chain withdrawal is new ETH on the execution layer (the deposit contract keeps every deposit)
    groups["the beacon chain (withdrawals)"] = snap.get("beacon_paid", 0)
    net_in = sum(groups.values())
    in_contracts = sum(held.values())
    rows = [
        *[(f"net paid in by {group}", v) for group, v in groups.items() if v],
        ("total net paid in", net_in),
        *[(f"  held by {role}", v) for role, v in held.items() if v],
        ("total held by contracts", in_contracts),
    ]
    escrow_ledger = (
        snap["escrow_pending"]
        + snap["escrow_locked_bonds"]
        + snap.get("escrow_reserved", 0)
        + snap["escrow_claimable"]
    )
    checks = {
        "every wei accounted for": (
            net_in == in_contracts,
            f"net paid in {net_in}, held by contracts {in_contracts}",
        ),
        "escrow balance == pending + locked bonds + reserved + claimable": (
            held.get("escrow", 0) == escrow_ledger,
            f"balance {held.get('escrow', 0)}, ledger {escrow_ledger}",
        ),
        "staker_rewards balance == sum of held": (
            held.get("staker_rewards", 0) == snap["staker_rewards_held"],
            f"balance {held.get('staker_rewards', 0)}, held {snap['staker_rewards_held']}",
        ),
        "deposit contract holds every deposit made": (
            held.get("deposit_contract", 0) == snap["staked"]
            and snap["deposit_count"] == snap.get("deposits", snap["deposit_count"]),
            f"balance {held.get('deposit_contract', 0)}, deposits {snap['deposit_count']}",
        ),
    }
    return {"rows": rows, "checks": checks}
