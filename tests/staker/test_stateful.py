"""Stateful fuzzing of the staker side: pre-creation, registrations, deposits and NFT transfers.

Invariants after every step:
- ByzNft tokens and StrategyModules are in bijection: token `c` exists iff cluster `c` is staked, its
  module is `strategy_module_of(c)`, `cluster_of_module(module) == c`, and `module.owner()` is the token's
  holder (which the model tracks through transfers);
- every staked cluster was consumed exactly once (deposit count == staked clusters, status STAKED, never
  handed out twice), and always the oldest ready one;
- every beacon deposit's withdrawal credentials point at the EigenPod of the module that made it;
- the manager's counters match the model.

CI profile: 16 examples x 15 steps, derandomized (the same examples on every run). `BYZ_LONG_FUZZ=1`
runs the long random profile of tests/utils/stateful.py.
"""

from __future__ import annotations

import boa
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from deploy.constants import c
from deploy.hints import pre_create_with_hints, rejoin_parked
from tests.staker.conftest import STAKE, events, module_at
from tests.utils.deposits import accept_deposit, fake_deposit
from tests.utils.seats import seats_of
from tests.utils.stateful import LONG, StatefulBase

BIDS_PER_OPERATOR = 5
PRE_CREATED = 2


@pytest.fixture(scope="module")
def fuzz_world(protocol, owner, operators, stakers):
    """Bids from 8 operators (enough for 10 clusters) and PRE_CREATED pending clusters without data."""
    auction, manager = protocol.auction, protocol.manager
    for i, op in enumerate(operators):
        rates = [1000] * BIDS_PER_OPERATOR
        durations = [100 + 7 * i + 60 * j for j in range(BIDS_PER_OPERATOR)]
        due = auction.price_to_pay(op, rates, durations)
        with boa.env.prank(op):
            auction.bid(rates, durations, value=due)
    pre_create_with_hints(auction, manager, PRE_CREATED, owner)
    for staker in stakers:
        boa.env.set_balance(staker, 10_000 * 10**18)
    return protocol


class StakerMachine(StatefulBase):
    examples, steps = 15, 30
    ci_examples, ci_steps = 16, 15  # the default test command (tests/utils/stateful.py)
    protocol = None
    owner = None
    stakers = None
    outsider = None
    # most clusters staked and most transfers in one example (the run must not be vacuous)
    max_staked = 0
    transfers = 0

    @classmethod
    def settings(cls):
        """CI runs the same examples every time (the counts asserted after the run are stable); the long
        profile explores new ones."""
        return settings(parent=super().settings(), derandomize=not LONG)

    @initialize()
    def setup(self):
        m = self.protocol.manager
        assert m.num_staked_clusters() == 0  # titanoboa rolled the previous example back
        self.pending = set(range(PRE_CREATED))  # pre-created, not staked
        self.ready = set()  # pending with deposit data
        self.tags = {}  # cluster -> registration count
        self.holder = {}  # staked cluster -> NFT holder
        self.module = {}  # staked cluster -> module address
        self.deposits = 0

    # ------------------------------------------------------------ owner

    @rule(count=st.integers(min_value=1, max_value=3))
    def pre_create(self, count):
        a, m = self.protocol.auction, self.protocol.manager
        first = a.num_clusters()
        # would every one of the `count` settlements find 4 distinct operators?
        feasible = self._settlements_possible() >= count
        # with deploy/hints.py's optional courtesies: parked operators rejoined, the mirror's hints
        if feasible:
            assert pre_create_with_hints(a, m, count, self.owner) == list(range(first, first + count))
            self.pending |= set(range(first, first + count))
        else:
            rejoin_parked(a, self.owner)
            with boa.env.prank(self.owner), boa.reverts():
                # "not enough operators", or "not enough ranked operators" once the same call parked some
                m.pre_create_clusters(count)
            assert a.num_clusters() == first

    @precondition(lambda self: self.pending)
    @rule(data=st.data())
    def register(self, data):
        m = self.protocol.manager
        cluster_id = data.draw(st.sampled_from(sorted(self.pending)))
        tag = self.tags.get(cluster_id, 0)
        args = fake_deposit(m, cluster_id, tag, label=b"fuzz")
        if cluster_id in self.ready:
            # the winners' deposit data is final once ClusterKeys handed it over
            with boa.reverts("strategy_module_manager: deposit data already registered"):
                accept_deposit(m, cluster_id, *args)
            return
        accept_deposit(m, cluster_id, *args)
        (event,) = events(m.get_logs(), "DepositDataRegistered")
        assert event["pubkey"] == args[0]
        self.tags[cluster_id] = tag + 1
        self.ready.add(cluster_id)

    # ------------------------------------------------------------ stakers

    @rule(i=st.integers(min_value=0, max_value=3))
    def stake(self, i):
        p = self.protocol
        m, a = p.manager, p.auction
        staker = self.stakers[i]
        if not self.ready:
            with boa.env.prank(staker), boa.reverts("strategy_module_manager: no cluster ready"):
                m.create_strategy_module_and_stake(value=STAKE)
            return
        expected = min(self.ready)
        predicted_module, predicted_pod, predicted_split = m.predict_addresses(
            expected, seats_of(m, expected)
        )
        auto = a.can_settle()
        next_id = a.num_clusters()
        with boa.env.prank(staker):
            module = m.create_strategy_module_and_stake(value=STAKE)
        logs = m.get_logs()
        assert module == predicted_module
        assert m.predict_addresses(expected, seats_of(m, expected))[2] == predicted_split
        (deposit,) = events(logs, "DepositEvent")
        pod = module_at(module).eigen_pod()
        assert pod == predicted_pod
        assert deposit["withdrawal_credentials"] == b"\x01" + b"\x00" * 11 + bytes.fromhex(pod[2:])
        self.deposits += 1
        self.ready.remove(expected)
        self.pending.remove(expected)
        assert expected not in self.holder  # consumed once
        self.holder[expected] = staker
        self.module[expected] = module
        if auto:
            self.pending.add(next_id)
            assert m.cluster_status(next_id) == c.CLUSTER_PENDING

    @precondition(lambda self: self.holder)
    @rule(data=st.data())
    def transfer(self, data):
        cluster_id = data.draw(st.sampled_from(sorted(self.holder)))
        to = data.draw(st.sampled_from([*self.stakers, self.outsider]))
        frm = self.holder[cluster_id]
        with boa.env.prank(frm):
            self.protocol.byz_nft.transferFrom(frm, to, cluster_id)
        self.holder[cluster_id] = to
        StakerMachine.transfers += 1

    @precondition(lambda self: self.holder)
    @rule(data=st.data())
    def only_the_holder_acts(self, data):
        cluster_id = data.draw(st.sampled_from(sorted(self.holder)))
        module = module_at(self.module[cluster_id])
        holder = self.holder[cluster_id]
        intruder = data.draw(st.sampled_from([s for s in [*self.stakers, self.outsider] if s != holder]))
        with boa.env.prank(intruder), boa.reverts("strategy_module: caller is not the owner"):
            module.withdraw(0, intruder)
        with boa.env.prank(holder):
            module.withdraw(0, holder)

    # ------------------------------------------------------------ invariants

    @invariant()
    def nft_module_bijection(self):
        p = self.protocol
        m, nft = p.manager, p.byz_nft
        assert nft.totalSupply() == len(self.holder)
        assert len(set(self.module.values())) == len(self.module)
        for cluster_id, holder in self.holder.items():
            module = m.strategy_module_of(cluster_id)
            assert module == self.module[cluster_id]
            assert m.cluster_of_module(module) == cluster_id
            assert nft.ownerOf(cluster_id) == holder == module_at(module).owner()

    @invariant()
    def clusters_consumed_once(self):
        p = self.protocol
        m = p.manager
        assert m.num_staked_clusters() == len(self.holder) == self.deposits
        assert p.deposit_contract.get_deposit_count() == self.deposits.to_bytes(8, "little")
        assert m.num_pending_clusters() == len(self.pending)
        assert m.num_ready_clusters() == len(self.ready)
        for cluster_id in self.holder:
            assert m.cluster_status(cluster_id) == c.CLUSTER_PRE_DEPOSITED
        for cluster_id in self.pending:
            assert m.cluster_status(cluster_id) == c.CLUSTER_PENDING
        expected_next = (True, min(self.ready)) if self.ready else (False, 0)
        assert m.next_cluster_to_stake() == expected_next

    def teardown(self):
        StakerMachine.max_staked = max(StakerMachine.max_staked, len(self.holder))
        super().teardown()

    # ------------------------------------------------------------ helpers

    def _settlements_possible(self) -> int:
        """How many settlements in a row can succeed: each takes one bid from 4 distinct operators."""
        a = self.protocol.auction
        counts = sorted(
            (a.pending_bids_of(op) for op in self.operators),
            reverse=True,
        )
        possible = 0
        while sum(1 for c in counts if c > 0) >= 4:
            # settlement takes one bid from each of the 4 best operators; with equal bid counts per
            # operator the exact choice does not change how many more settlements remain possible
            for k in range(4):
                counts[k] -= 1
            counts.sort(reverse=True)
            possible += 1
        return possible


def test_staker_state_machine(fuzz_world, owner, operators, stakers, outsider):
    StakerMachine.max_staked = StakerMachine.transfers = 0
    StakerMachine.run(
        protocol=fuzz_world, owner=owner, operators=operators, stakers=stakers, outsider=outsider
    )
    print(
        f"staker machine: up to {StakerMachine.max_staked} clusters staked, "
        f"{StakerMachine.transfers} transfers"
    )
    assert StakerMachine.max_staked >= 2
    assert StakerMachine.transfers > 0
