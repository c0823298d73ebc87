"""Stateful fuzzing of StakerRewards against an exact Python model.

Several clusters, stakers, NFT transfers, claims (by holders and modules), expiries and operator refund
claims, in any order, with time moving forward. After every step:
- balance identity: StakerRewards' balance == sum over clusters of held() == the model's unclaimed staker
  rewards (accrued or not) + unused credits of clusters not yet expired (no untracked dust);
- per cluster: paid + claimable == sum(daily VC prices) * min(elapsed, min_duration days) // 86400, i.e. the
  stream is exact to under 1 wei (the floor), and exactly sum(vc) * min_duration at the end;
- each staker's ETH balance moved by exactly what the model says it was paid;
- each operator's claimable refund in the Escrow == its credits + bonds from expired clusters - withdrawn.

CI profile: 10 examples x 20 steps. Long profile (tests/fuzz_profile.py): BYZ_LONG_FUZZ=1.
"""

import boa
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.fuzz_profile import stateful_settings
from tests.rewards.rewards_helpers import BOND, DAY, MAX_DISCOUNT

SETTINGS = stateful_settings(short_examples=10, short_steps=20)
MAX_CLUSTERS = 6

terms_st = st.lists(
    st.tuples(st.integers(0, MAX_DISCOUNT), st.integers(1, 8)),
    min_size=4,
    max_size=4,
)


class RewardsMachine(RuleBasedStateMachine):
    world = None  # set by the test

    def __init__(self):
        super().__init__()
        w = self.world
        self.w = w
        self.clusters = {}  # cid -> dict
        self.received = {s: 0 for s in w.stakers}
        self.start_balance = {s: boa.env.get_balance(s) for s in w.stakers}
        self.op_claimable = {op: 0 for op in w.operators}
        self.modules = {}

    # ---------------------------------------------------------------- helpers

    def now(self):
        return boa.env.evm.patch.timestamp

    def model_accrued(self, c):
        if c["start"] is None:
            return 0
        elapsed = min(self.now() - c["start"], c["min_d"] * DAY)
        return c["rate"] * elapsed // DAY

    def started(self):
        return [cid for cid, c in self.clusters.items() if c["start"] is not None]

    def pick(self, ids, i):
        return sorted(ids)[i % len(ids)]

    # ---------------------------------------------------------------- rules

    @initialize(terms=terms_st, offset=st.integers(0, 7), s=st.integers(0, 3))
    def first_cluster_staked(self, terms, offset, s):
        self.create_cluster(terms, offset)
        self.stake(0, s, False)

    @precondition(lambda self: len(self.clusters) < MAX_CLUSTERS)
    @rule(terms=terms_st, offset=st.integers(0, 7))
    def create_cluster(self, terms, offset):
        c = self.w.new_cluster(terms, first_operator=offset)
        self.clusters[c.cluster_id] = {
            "c": c,
            "rate": c.rate,
            "min_d": c.min_duration,
            "funded": c.funded,
            "start": None,
            "paid": 0,
            "expired": False,
        }
        assert self.w.rewards.status(c.cluster_id) == 1

    @precondition(lambda self: any(c["start"] is None for c in self.clusters.values()))
    @rule(i=st.integers(0, 100), s=st.integers(0, 3), with_module=st.booleans())
    def stake(self, i, s, with_module):
        cid = self.pick([k for k, c in self.clusters.items() if c["start"] is None], i)
        module = None
        if with_module:
            module = boa.env.generate_address(f"module{cid}")
            self.modules[cid] = module
        self.w.stake(cid, self.w.stakers[s], module=module)
        self.clusters[cid]["start"] = self.now()

    @rule(
        seconds=st.one_of(
            st.integers(0, 120), st.integers(0, 3 * DAY), st.just(DAY), st.integers(4 * DAY, 10 * DAY)
        )
    )
    def advance(self, seconds):
        boa.env.time_travel(seconds=seconds)

    @precondition(lambda self: any(not self.clusters[k]["expired"] for k in self.started()))
    @rule(i=st.integers(0, 100), extra=st.one_of(st.just(0), st.integers(0, DAY)))
    def advance_to_end(self, i, extra):
        cid = self.pick([k for k in self.started() if not self.clusters[k]["expired"]], i)
        c = self.clusters[cid]
        end = c["start"] + c["min_d"] * DAY
        if end + extra > self.now():
            boa.env.time_travel(seconds=end + extra - self.now())

    @precondition(lambda self: len(self.started()) > 0)
    @rule(i=st.integers(0, 100), by_module=st.booleans())
    def claim(self, i, by_module):
        cid = self.pick(self.started(), i)
        c = self.clusters[cid]
        holder = self.w.nft.ownerOf(cid)
        caller = self.modules[cid] if by_module and cid in self.modules else holder
        expected = self.model_accrued(c) - c["paid"]
        before = boa.env.get_balance(holder)
        assert self.w.rewards.claim(cid, sender=caller) == expected
        assert boa.env.get_balance(holder) - before == expected
        c["paid"] += expected
        self.received[holder] += expected
        event("claim after expiry" if c["expired"] else "claim while streaming")

    @precondition(lambda self: len(self.started()) > 0)
    @rule(i=st.integers(0, 100), s=st.integers(0, 3))
    def claim_by_stranger(self, i, s):
        cid = self.pick(self.started(), i)
        caller = self.w.stakers[s]
        if caller == self.w.nft.ownerOf(cid):
            return
        with boa.reverts("staker_rewards: caller is not the holder"):
            self.w.rewards.claim(cid, sender=caller)

    @precondition(lambda self: len(self.started()) > 0)
    @rule(i=st.integers(0, 100), s=st.integers(0, 3))
    def transfer_nft(self, i, s):
        cid = self.pick(self.started(), i)
        self.w.transfer_nft(cid, self.w.stakers[s])
        event("nft transfer")

    @precondition(lambda self: len(self.clusters) > 0)
    @rule(i=st.integers(0, 100))
    def expire(self, i):
        cid = self.pick(list(self.clusters), i)
        c = self.clusters[cid]
        if c["expired"]:
            with boa.reverts("staker_rewards: already expired"):
                self.w.rewards.expire(cid)
        elif c["start"] is None:
            with boa.reverts("staker_rewards: stream not started"):
                self.w.rewards.expire(cid)
        elif self.now() < c["start"] + c["min_d"] * DAY:
            with boa.reverts("staker_rewards: credits not exhausted"):
                self.w.rewards.expire(cid)
        else:
            self.w.rewards.expire(cid)
            event("expire succeeded")
            c["expired"] = True
            model = c["c"]
            for op, credit in zip(model.operators, model.credits, strict=True):
                self.op_claimable[op] += credit + BOND

    @rule(k=st.integers(0, 7))
    def operator_claims_refund(self, k):
        op = self.w.operators[k]
        expected = self.op_claimable[op]
        if expected == 0:
            return
        before = boa.env.get_balance(op)
        self.w.auction.claim_refund(sender=op)
        assert boa.env.get_balance(op) - before == expected
        self.op_claimable[op] = 0

    # ---------------------------------------------------------------- invariants

    @invariant()
    def balance_identity(self):
        r = self.w.rewards
        model_held = 0
        for cid, c in self.clusters.items():
            staker_part = c["rate"] * c["min_d"] - c["paid"] if c["start"] is not None else 0
            if c["expired"]:
                expected = staker_part
            else:
                expected = c["funded"] - c["paid"]
            assert r.held(cid) == expected
            model_held += expected
        assert boa.env.get_balance(r.address) == model_held

    @invariant()
    def streams_are_exact(self):
        r = self.w.rewards
        for cid, c in self.clusters.items():
            s = r.get_stream(cid)
            accrued = self.model_accrued(c)
            assert s.paid == c["paid"]
            assert s.accrued == accrued
            assert r.claimable(cid) == accrued - c["paid"]
            if c["start"] is not None:
                elapsed = self.now() - c["start"]
                # the stream equals sum(vc) * elapsed to under one wei, and is exact at the end
                exact_times_day = c["rate"] * min(elapsed, c["min_d"] * DAY)
                assert 0 <= exact_times_day - accrued * DAY < DAY
                if elapsed >= c["min_d"] * DAY:
                    assert accrued == c["rate"] * c["min_d"]
            status = 3 if c["expired"] else 2 if c["start"] is not None else 1
            assert s.status == status

    @invariant()
    def stakers_paid_exactly(self):
        for s in self.w.stakers:
            assert boa.env.get_balance(s) - self.start_balance[s] == self.received[s]

    @invariant()
    def operators_refunds(self):
        for op, amount in self.op_claimable.items():
            assert self.w.escrow.claimable(op) == amount


def test_rewards_state_machine(world):
    RewardsMachine.world = world
    run_state_machine_as_test(RewardsMachine, settings=SETTINGS)
