"""Stateful fuzzing of StakerRewards against the exact Python model of rewards_helpers.py (StatefulBase).

Clusters are funded, minted (stake) and confirmed (stream start), cancelled (dissolution or front-run),
renewed seat by seat, ended by an exit, expired, sold (ByzNft transfers, also by safeTransferFrom) and
claimed by holders or their modules, to themselves or to other addresses; sale credits are withdrawn; time
moves; wrong calls are tried and must change nothing. After every step:
- per cluster, every figure of `accounting()` equals the model's, and docs/protocol.md §10's conservation
  (paid + credited + claimable + unaccrued + refunded + dust == funded + renewals) holds to the wei, with
  unaccrued == 0 and dust <= seats once closed;
- StakerRewards' balance == Σ held(cluster) + Σ credit_of(account) (nothing untracked);
- each operator's credits and bonds in the Escrow stand-in, and every account's ETH received from
  StakerRewards, equal the model's;
- nobody waits for anyone: inside a rolled-back snapshot, every holder can claim exactly its claimable,
  every account with a sale credit can withdraw it, and anyone can expire every cluster whose end passed.
"""

import boa
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from tests.rewards.rewards_helpers import (
    DAY,
    ZERO,
    balance,
    c,
    now,
)
from tests.utils.stateful import StatefulBase

MAX_CLUSTERS = 6
MAX_DURATION = 12

terms_st = st.lists(
    st.tuples(st.integers(1, 10**16), st.integers(1, 6)),
    min_size=c.MIN_CLUSTER_SIZE,
    max_size=c.MAX_CLUSTER_SIZE,
)


class RewardsMachine(StatefulBase):
    world = None  # set by the test
    examples = 20
    steps = 40
    ci_examples, ci_steps = 10, 16  # the default test command (tests/utils/stateful.py)

    def __init__(self):
        super().__init__()
        w = self.world
        self.w = w
        self.models = {}
        self.minted = set()
        self.accounts = w.stakers + [w.non_owner]
        self.modules = {}
        self.start_balance = {a: balance(a) for a in self.accounts}
        self.received = {a: 0 for a in self.accounts}
        self.op_credits = {}
        self.bonds = {}
        self.credits = {a: 0 for a in self.accounts}

    # ------------------------------------------------------------ helpers

    def pick(self, statuses, i, minted=None):
        ids = sorted(
            cid
            for cid, m in self.models.items()
            if m.status in statuses and (minted is None or (cid in self.minted) == minted)
        )
        return self.models[ids[i % len(ids)]] if ids else None

    def has(self, statuses, minted=None):
        return any(
            m.status in statuses and (minted is None or (cid in self.minted) == minted)
            for cid, m in self.models.items()
        )

    def returned(self, m, credits, bond_to=ZERO, bonds=True):
        for s, credit in zip(m.seats, credits, strict=True):
            self.op_credits[s.operator] = self.op_credits.get(s.operator, 0) + credit
            if bonds:
                to = s.operator if bond_to == ZERO else bond_to
                self.bonds[to] = self.bonds.get(to, 0) + c.BOND

    # ------------------------------------------------------------ rules

    @initialize(terms=terms_st, more=terms_st, s=st.integers(0, 3), module=st.booleans())
    def two_clusters_one_streaming(self, terms, more, s, module):
        self.fund(terms, 0)
        self.fund(more, 4)
        self.stake(0, s, True, module)

    @precondition(lambda self: len(self.models) < MAX_CLUSTERS)
    @rule(terms=terms_st, offset=st.integers(0, 7))
    def fund(self, terms, offset):
        m = self.w.fund(terms, first_operator=offset)
        self.models[m.cid] = m

    @precondition(lambda self: self.has({c.STREAM_FUNDED}, minted=False))
    @rule(i=st.integers(0, 99), s=st.integers(0, 3), confirm=st.booleans(), module=st.booleans())
    def stake(self, i, s, confirm, module):
        m = self.pick({c.STREAM_FUNDED}, i, minted=False)
        self.w.mint(m.cid, self.w.stakers[s])
        self.minted.add(m.cid)
        if module:
            address = boa.env.generate_address(f"module{m.cid}")
            self.w.manager.set_module(m.cid, address)
            self.modules[m.cid] = address
        if confirm:
            self.w.start(m)

    @precondition(lambda self: self.has({c.STREAM_FUNDED}, minted=True))
    @rule(i=st.integers(0, 99))
    def confirm(self, i):
        self.w.start(self.pick({c.STREAM_FUNDED}, i, minted=True))

    @precondition(lambda self: self.has({c.STREAM_FUNDED}))
    @rule(i=st.integers(0, 99), frontrun=st.booleans())
    def cancel(self, i, frontrun):
        m = self.pick({c.STREAM_FUNDED}, i)
        bond_to = self.w.nft.ownerOf(m.cid) if frontrun and m.cid in self.minted else ZERO
        self.w.cancel(m, bond_to)
        self.returned(m, [s.vc * s.days for s in m.seats], bond_to)

    @precondition(lambda self: self.has({c.STREAM_STREAMING}))
    @rule(i=st.integers(0, 99), seat=st.integers(0, 6), days=st.integers(1, 8))
    def renew(self, i, seat, days):
        m = self.pick({c.STREAM_STREAMING}, i)
        seat %= len(m.seats)
        amount = days * m.seats[seat].vc
        args = (m.cid, m.seat_args(), seat, days, MAX_DURATION)
        if now() >= m.end:
            with boa.reverts("staker_rewards: stream ended"):
                self.w.rewards.renew(*args, value=amount, sender=self.w.auction)
        elif m.seats[seat].days + days > MAX_DURATION:
            with boa.reverts("staker_rewards: past max duration"):
                self.w.rewards.renew(*args, value=amount, sender=self.w.auction)
        else:
            rate, seat_ends = m.rate, [s.days for s in m.seats]
            self.w.renew(m, seat, days, MAX_DURATION)
            assert self.w.rewards.get_stream(m.cid).rate == rate
            seat_ends[seat] += days
            assert self.w.rewards.get_stream(m.cid).end == m.start + min(seat_ends) * DAY

    @precondition(lambda self: self.has({c.STREAM_STREAMING, c.STREAM_EXPIRED}))
    @rule(i=st.integers(0, 99), offset=st.integers(-DAY, DAY))
    def exit(self, i, offset):
        """The validator's exit proven, its exit epoch `offset` seconds from now (late proof or ahead);
        after an expiry only the bonds unlock."""
        m = self.pick({c.STREAM_STREAMING, c.STREAM_EXPIRED}, i)
        self.returned(m, self.w.end_stream(m, exit_time=max(now() + offset, 0)))

    @precondition(lambda self: self.has({c.STREAM_STREAMING}))
    @rule(i=st.integers(0, 99))
    def expire(self, i):
        m = self.pick({c.STREAM_STREAMING}, i)
        if now() < m.end:
            with boa.reverts("staker_rewards: credits not exhausted"):
                self.w.rewards.expire(m.cid, m.seat_args(), sender=self.w.non_owner)
        else:
            self.returned(m, self.w.expire(m, self.w.non_owner), bonds=False)

    @precondition(lambda self: self.has({c.STREAM_STREAMING, c.STREAM_EXPIRED, c.STREAM_ENDED}))
    @rule(i=st.integers(0, 99), by_module=st.booleans(), to=st.integers(-1, 4), after=st.integers(0, DAY))
    def claim(self, i, by_module, to, after):
        boa.env.time_travel(seconds=after)
        m = self.pick({c.STREAM_STREAMING, c.STREAM_EXPIRED, c.STREAM_ENDED}, i)
        holder = self.w.nft.ownerOf(m.cid)
        caller = self.modules[m.cid] if by_module and m.cid in self.modules else holder
        recipient = holder if to < 0 else self.accounts[to]
        expected = m.claimable(now())
        before = balance(recipient)
        paid = self.w.claim(m, caller, ZERO if to < 0 else recipient)
        assert paid == expected
        assert balance(recipient) - before == paid
        if recipient in self.received:
            self.received[recipient] += paid

    @precondition(lambda self: bool(self.minted))
    @rule(i=st.integers(0, 99), to=st.integers(0, 4), safe=st.booleans(), after=st.integers(0, DAY))
    def sell(self, i, to, safe, after):
        boa.env.time_travel(seconds=after)
        cid = sorted(self.minted)[i % len(self.minted)]
        m = self.models[cid]
        seller, buyer = self.w.nft.ownerOf(cid), self.accounts[to]
        credited = m.claimable(now())
        if safe:
            self.w.nft.safeTransferFrom(seller, buyer, cid, sender=seller)
            m.accounted += credited
            m.credited += credited
        else:
            assert self.w.transfer(m, buyer) == credited
        self.credits[seller] += credited
        assert self.w.nft.ownerOf(cid) == buyer

    @rule(who=st.integers(0, 4), to=st.integers(0, 4))
    def withdraw_credit(self, who, to):
        account, recipient = self.accounts[who], self.accounts[to]
        if self.credits[account] == 0:
            with boa.reverts("staker_rewards: no credit"):
                self.w.rewards.withdraw_credit(recipient, sender=account)
            return
        amount = self.w.rewards.withdraw_credit(recipient, sender=account)
        assert amount == self.credits[account]
        self.credits[account] = 0
        self.received[recipient] += amount

    @rule(seconds=st.one_of(st.integers(1, 3 * DAY), st.sampled_from([DAY, 7 * DAY, 1])))
    def wait(self, seconds):
        boa.env.time_travel(seconds=seconds)

    @precondition(lambda self: bool(self.models))
    @rule(i=st.integers(0, 99), kind=st.integers(0, 5))
    def wrong_call(self, i, kind):
        """A refused call changes nothing (the invariants re-check every figure)."""
        w = self.w
        cid = sorted(self.models)[i % len(self.models)]
        m = self.models[cid]
        with boa.reverts():
            if kind == 0:
                w.rewards.start_stream(cid, m.seat_args(), sender=w.non_owner)
            elif kind == 1:
                w.rewards.end_stream(cid, m.seat_args(), now(), sender=w.non_owner)
            elif kind == 2:
                w.rewards.cancel_cluster(cid, m.seat_args(), ZERO, sender=w.non_owner)
            elif kind == 3:
                w.rewards.renew(
                    cid, m.seat_args(), 0, 1, MAX_DURATION, value=m.seats[0].vc + 1, sender=w.auction
                )
            elif kind == 4:
                w.rewards.claim(cid, sender=w.operators[0])
            else:
                w.rewards.on_transfer(cid, w.stakers[0], w.stakers[1], sender=w.non_owner)

    # ------------------------------------------------------------ invariants

    @invariant()
    def clusters_conserve_to_the_wei(self):
        for m in self.models.values():
            self.w.check_cluster(m)

    @invariant()
    def balance_identity(self):
        self.w.check_balance(list(self.models.values()), self.accounts)
        for a in self.accounts:
            assert self.w.rewards.credit_of(a) == self.credits[a]

    @invariant()
    def operators_and_stakers_got_their_due(self):
        e = self.w.escrow
        for op, amount in self.op_credits.items():
            assert e.claimable(op) == amount
        for account, amount in self.bonds.items():
            assert e.bonds_of(account) == amount
        assert balance(e) == sum(self.op_credits.values())
        for a in self.accounts:
            assert balance(a) == self.start_balance[a] + self.received[a]

    @invariant()
    def nobody_waits_for_anyone(self):
        w = self.w
        with boa.env.anchor():
            for cid, m in self.models.items():
                if m.start:
                    holder = w.nft.ownerOf(cid)
                    assert w.rewards.claim(cid, sender=holder) == m.claimable(now())
                if m.status == c.STREAM_STREAMING and now() >= m.end:
                    w.rewards.expire(cid, m.seat_args(), sender=w.operators[cid % len(w.operators)])
                    assert w.rewards.status(cid) == c.STREAM_EXPIRED
            for a in self.accounts:
                if self.credits[a]:
                    assert w.rewards.withdraw_credit(a, sender=a) == self.credits[a]
            assert balance(w.rewards) == sum(
                w.rewards.held(cid, m.seat_args()) for cid, m in self.models.items()
            )

    def teardown(self):
        # at the end, every closed cluster satisfies docs/protocol.md §10 exactly once its holder claimed
        for m in self.models.values():
            # (an exit epoch proven ahead keeps accruing until it: closed once it has passed)
            if m.status == c.STREAM_CANCELLED or (
                m.status in (c.STREAM_EXPIRED, c.STREAM_ENDED) and now() >= m.end
            ):
                a = self.w.rewards.accounting(m.cid, m.seat_args())
                assert (
                    a.paid_to_stakers + a.credited_to_stakers + a.claimable + a.refunded + a.dust
                    == a.funded + a.renewals
                )
        super().teardown()


def test_rewards_stateful(world):
    RewardsMachine.run(world=world)
