"""Bounded settlement (issue #14, docs/protocol.md §3): a promotion the operator did not ask for walks at most
`PROMOTION_WALK` operators from its hint, or parks the operator. Parked operators are unranked: their bids
stay pending but cannot win, and settlement takes the best `cluster_size` ranked operators without ever
waiting for a parked one; anyone (the operator itself included) rejoins a parked operator with a hint from
deploy/hints.py, and it competes again. So no book shape can keep a deposit from pre-creating the next
cluster.

Gas comparisons use the execution gas of one call (deterministic); the budget test and tests/gas measure as
receipts would show it.
"""

import boa
import pytest
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from deploy.gas import measure
from deploy.hints import BookMirror
from deploy.protocol import deploy_protocol
from tests.model import BookModel, ModelBid
from tests.utils.constants import ETH, c
from tests.utils.deposits import accept_deposit, fake_deposit
from tests.utils.logs import logs_named
from tests.utils.seats import bid_ids_of, operators_of
from tests.utils.stateful import StatefulBase

TOO_FEW = "auction: not enough operators"
TOO_FEW_RANKED = "auction: not enough ranked operators"
# single-bid operators between the winners and their next bids: more than a capped walk passes
PASSED = c.PROMOTION_WALK + 8


def _funded(count):
    out = []
    for _ in range(count):
        op = boa.env.generate_address()
        boa.env.set_balance(op, 10**6 * ETH)
        out.append(op)
    return out


class Book:
    """The Auction with an off-chain mirror (hints, parked operators) and the plain reference model."""

    def __init__(self, auction, manager):
        self.auction, self.manager = auction, manager
        self.mirror = BookMirror()
        self.model = BookModel(auction.cluster_size())

    def bid(self, op, terms):
        ds, ts = [d for d, _ in terms], [t for _, t in terms]
        scores = [self.auction.auction_score(d, t) for d, t in terms]
        hints = self.mirror.hints(op, scores)
        ids = self.auction.bid(ds, ts, hints, value=self.auction.price_to_pay(op, ds, ts), sender=op)
        self.follow()
        for bid_id, (d, t), score in zip(ids, terms, scores, strict=True):
            self.model.bids[bid_id] = ModelBid(bid_id, op, d, t, self.auction.bid_price(d, t), ETH, score)
        return ids

    def follow(self):
        self.mirror.apply_logs(self.auction.get_logs())

    def expected(self):
        """The winners the rule names: the best bid of each of the first `n` ranked operators (parked ones,
        known from the events, skipped); None when fewer are ranked."""
        return self.model.winners(parked=self.mirror.parked)

    def settle(self, hints=()):
        expected = self.expected()
        cluster_id = self.auction.settle_cluster(list(hints), sender=self.manager.address)
        logs = self.auction.get_logs()
        self.mirror.apply_logs(logs)
        won = list(bid_ids_of(self.auction, cluster_id))
        assert won == expected  # ranked operators only, in ranking order
        for bid_id in won:
            self.model.bids[bid_id].status = c.BID_WON
        return won, logs

    def withdraw(self, bid_id):
        self.auction.withdraw_bid(bid_id, sender=self.model.bids[bid_id].operator)
        self.follow()
        self.model.bids[bid_id].status = c.BID_WITHDRAWN

    def rejoin(self, op, sender=None):
        self.auction.rejoin(op, self.mirror.rejoin_hint(op), sender=sender or op)
        self.follow()

    def operators_of(self, bid_ids):
        return {self.model.bids[i].operator for i in bid_ids}

    def pending_of(self, ops):
        return [b.bid_id for b in self.model.pending() if b.operator in ops]

    def ranked_ranking(self):
        """The model's ranking restricted to ranked operators (what `top_bids` shows)."""
        return [b.bid_id for b in self.model.pending() if not self.auction.is_parked(b.operator)]


def adversarial(book, passed):
    """`cluster_size` operators whose best bids win and whose next bids sit below `passed` single-bid
    operators."""
    attackers = _funded(book.auction.cluster_size())
    for i, op in enumerate(attackers):
        book.bid(op, [(i, 3650), (1400 + i, 30)])
    for i, op in enumerate(_funded(passed)):
        book.bid(op, [(500 + i, 100 + i)])
    return attackers


def low_operators(book, count):
    """Single-bid operators ranking below every bid of `adversarial` (the highest discount, about as short),
    the first best."""
    ops = _funded(count)
    for i, op in enumerate(ops):
        book.bid(op, [(1500, 30 + count - 1 - i)])
    return ops


@pytest.fixture
def book(auction, manager):
    return Book(auction, manager)


def _settle_gas(auction, manager, passed):
    with boa.env.anchor():
        book = Book(auction, manager)
        attackers = adversarial(book, passed)
        _, logs = book.settle()
        gas = auction._computation.get_gas_used()
        parked = [log.operator for log in logs if type(log).__name__ == "OperatorParked"]
        assert sorted(map(str, parked)) == sorted(map(str, attackers))
        return gas


def test_adversarial_promotions_park_and_settlement_gas_does_not_grow(auction, manager):
    """The attack of issue #14: the winners' next bids sit below many operators. Without hints, settlement
    parks them after `PROMOTION_WALK` steps, so its gas is the same below a few or many operators."""
    few, many = _settle_gas(auction, manager, PASSED), _settle_gas(auction, manager, PASSED + 72)
    assert few == many, (few, many)


def test_parked_operator_is_counted_its_bids_pending_but_unranked(book, auction):
    attackers = adversarial(book, PASSED)
    book.settle()
    for op in attackers:
        assert auction.is_parked(op) and auction.pending_bids_of(op) == 1
    assert auction.num_parked_operators() == 4
    assert auction.num_operators_in_auction() == PASSED + 4  # parked operators included
    assert auction.num_pending_bids() == PASSED + 4
    assert auction.top_bids(256) == book.ranked_ranking() == book.mirror.top(256)
    assert not book.operators_of(auction.top_bids(256)) & set(attackers)


def test_settlement_with_mirror_hints_parks_nobody_and_ranks_exactly(book, auction):
    adversarial(book, PASSED)
    hints = book.mirror.settlement_hints(auction.cluster_size())
    _, logs = book.settle(hints)
    assert not [log for log in logs if type(log).__name__ == "OperatorParked"]
    assert auction.num_parked_operators() == 0
    assert auction.top_bids(256) == book.model.ranking() == book.mirror.top(256)


def test_stale_or_wrong_settlement_hints_only_park(book, auction):
    """Hints computed before the book moved (their bids withdrawn) or plain wrong: the winners are still the
    rule's, and each next bid is either at its exact place or parked."""
    adversarial(book, PASSED)
    stale = book.mirror.settlement_hints(auction.cluster_size())
    for bid_id in stale[:2]:
        book.withdraw(bid_id)
    book.settle([stale[0], stale[1], 1, 10**9])
    assert auction.top_bids(256) == book.ranked_ranking() == book.mirror.top(256)


def test_rejoin_by_anyone_with_a_mirror_hint(book, auction, non_owner):
    attackers = adversarial(book, PASSED)
    book.settle()
    op = attackers[0]
    with boa.reverts("bid_book: hint too far from the place"):
        auction.rejoin(op, 0, sender=non_owner)  # from the head: more than PROMOTION_WALK away
    book.rejoin(op, sender=non_owner)
    assert [log.operator for log in logs_named(auction, "OperatorRejoined")] == [op]
    assert not auction.is_parked(op) and auction.num_parked_operators() == 3
    with boa.reverts("bid_book: operator not parked"):
        auction.rejoin(op, 0, sender=non_owner)
    book.rejoin(attackers[1])  # an operator can always rejoin itself
    assert not auction.is_parked(attackers[1]) and auction.num_parked_operators() == 2
    assert auction.top_bids(256) == book.ranked_ranking() == book.mirror.top(256)


def test_parked_bids_stay_withdrawable_and_updatable(book, auction):
    attackers = adversarial(book, PASSED)
    book.settle()
    (left,) = book.pending_of({attackers[0]})
    before = boa.env.get_balance(attackers[0])
    book.withdraw(left)  # bounded: no walk at all
    assert boa.env.get_balance(attackers[0]) == before + book.model.bids[left].price + ETH
    assert not auction.is_parked(attackers[0]) and auction.num_parked_operators() == 3
    # an update rejoins the operator (its own transaction pays the walk)
    (moved,) = book.pending_of({attackers[1]})
    score = auction.auction_score(0, 3000)
    hint = book.mirror.hint(attackers[1], score, moved)
    extra = auction.bid_price(0, 3000) - book.model.bids[moved].price
    auction.update_bid(moved, 0, 3000, hint, value=extra, sender=attackers[1])
    book.follow()
    b = book.model.bids[moved]
    b.discount_rate, b.duration, b.price, b.score = 0, 3000, auction.bid_price(0, 3000), score
    assert not auction.is_parked(attackers[1]) and auction.top_bids(1) == [moved]
    # a new bid rejoins too
    book.bid(attackers[2], [(1500, 30)])
    assert not auction.is_parked(attackers[2])
    assert auction.top_bids(256) == book.ranked_ranking() == book.mirror.top(256)


def test_settlement_skips_parked_operators_and_takes_the_next_ranked(book, auction):
    """Parked bids that outrank every ranked one do not hold settlement up: it takes the best ranked
    operators. Once rejoined (by anyone, or by themselves), the parked operators compete again and win."""
    attackers = adversarial(book, PASSED)
    low = low_operators(book, 6)
    book.settle()  # the attackers' best bids win; their next bids walk too far and park
    assert all(auction.is_parked(op) for op in attackers)
    for bid_id in book.pending_of(set(book.operators_of(book.ranked_ranking())) - set(low)):
        book.withdraw(bid_id)  # the operators ranked above the parked bids leave
    parked_bids = book.pending_of(set(attackers))
    assert book.model.winners() == parked_bids  # counting parked bids, they would take every seat
    assert auction.can_settle()
    won, _ = book.settle()
    assert book.operators_of(won) == set(low[:4])  # the rule: ranked operators only
    assert all(auction.is_parked(op) for op in attackers)
    assert all(book.model.bids[i].status == c.BID_PENDING for i in parked_bids)
    # two of them rejoin (anyone may, or the operator itself): they compete again, and win
    book.rejoin(attackers[0], sender=low[0])
    book.rejoin(attackers[1])
    won, _ = book.settle()
    assert book.operators_of(won) == {attackers[0], attackers[1], low[4], low[5]}
    assert won[:2] == parked_bids[:2]  # they outrank the others
    # the two still parked are no seats: two operators left in the book, none ranked
    assert auction.num_operators_in_auction() == 2 and not auction.can_settle()
    with boa.reverts(TOO_FEW):
        auction.settle_cluster(sender=book.manager.address)


def test_too_few_ranked_operators_but_parked_ones_is_refused(book, auction, non_owner):
    """Fewer than `cluster_size` ranked operators, enough with the parked ones: a clear revert (parked
    operators are no seats), then anyone rejoins them and the cluster forms."""
    attackers = adversarial(book, PASSED)
    book.settle()
    for b in [b for b in book.model.pending() if b.operator not in attackers][: PASSED - 3]:
        book.withdraw(b.bid_id)
    assert auction.num_operators_in_auction() == 7 and auction.num_parked_operators() == 4
    assert not auction.can_settle()
    with boa.reverts(TOO_FEW_RANKED):
        auction.settle_cluster(sender=book.manager.address)
    with boa.reverts(TOO_FEW):
        _drain_then_settle(book, attackers)
    book.rejoin(attackers[0], sender=non_owner)
    assert auction.can_settle()
    won, _ = book.settle()
    assert attackers[0] in book.operators_of(won)


def _drain_then_settle(book, attackers):
    """With the attackers' last bids withdrawn too, only 3 operators are left: not enough operators."""
    with boa.env.anchor():
        for b in [b for b in book.model.pending() if b.operator in attackers]:
            book.auction.withdraw_bid(b.bid_id, sender=b.operator)
        book.auction.settle_cluster(sender=book.manager.address)


@pytest.mark.ignore_isolation
def test_worst_settlement_is_well_within_the_budget_a_deposit_forwards():
    """`settlement_gas()` is what a deposit forwards to the settlement. The worst settlement, measured as in
    a transaction of its own: the largest cluster, every winner with a next bid whose walk goes the whole
    `PROMOTION_WALK` (landing at the cap, or parking), the Escrow's release and StakerRewards' seat records
    included. It stays below half the budget (docs/protocol.md §3 quotes the figures)."""
    worst = 0
    with boa.swap_env(boa.Env()):  # transaction boundaries invalidate anchors: an environment of its own
        for depth in (c.PROMOTION_WALK - 1, c.PROMOTION_WALK + 8):
            protocol = deploy_protocol(cluster_size=c.MAX_CLUSTER_SIZE)
            auction, n = protocol.auction, c.MAX_CLUSTER_SIZE
            book = Book(auction, protocol.manager)
            for i, op in enumerate(_funded(PASSED + 8)):
                book.bid(op, [(200 + 10 * i, 1000)])
            for i, op in enumerate(_funded(n)):
                book.bid(op, [(i, 3650 - i), (200 + 10 * depth + 1 + i, 1000)])
            measure(auction.settle_cluster, sender=protocol.manager.address)
            parked = len(logs_named(auction, "OperatorParked"))
            assert parked == (n - 1 if depth < c.PROMOTION_WALK else n)  # every walk went to the cap
            worst = max(worst, auction._computation.get_gas_used())
        assert auction.settlement_gas() == c.SETTLEMENT_GAS
    print(f"worst settlement: {worst:,} gas of {c.SETTLEMENT_GAS:,}")
    assert worst < c.SETTLEMENT_GAS // 2, worst


class ParkingMachine(StatefulBase):
    """Random books, settlements with exact, missing or stale hints, rejoins, withdrawals and updates: every
    settlement that runs takes the best bid of each of the first `cluster_size` ranked operators (parked ones
    skipped), and one that cannot run says why; the ranked part of the book always equals the model's and the
    mirror's, and `can_settle()` is true exactly when `cluster_size` operators are ranked."""

    auction = manager = None
    examples, steps = 5, 20
    ci_examples, ci_steps = 4, 20  # the default test command (tests/utils/stateful.py)
    terms = st.tuples(st.integers(0, 1500), st.integers(30, 3650))

    def __init__(self):
        super().__init__()
        self.book = Book(self.auction, self.manager)
        self.ops = _funded(12)
        self.gone = []

    @rule(op=st.integers(0, 11), batch=st.lists(terms, min_size=1, max_size=3))
    def bid(self, op, batch):
        if len(self.book.model.pending()) < 60:
            self.book.bid(self.ops[op], batch)

    @rule(op=st.integers(0, 11), top=st.integers(0, 100), bottom=st.integers(1300, 1500))
    def far_apart(self, op, top, bottom):
        """A bid that wins soon and one far below: its promotion will walk far."""
        if len(self.book.model.pending()) < 60:
            self.book.bid(self.ops[op], [(top, 3000 + top), (bottom, 30 + top)])

    @rule(count=st.integers(5, 6), base=st.integers(300, 1000))
    def crowd(self, count, base):
        """New single-bid operators in the middle of the book."""
        if len(self.book.model.pending()) < 60:
            for i, op in enumerate(_funded(count)):
                self.book.bid(op, [(base + 7 * i, 100 + i)])

    @precondition(lambda self: self.book.model.pending())
    @rule(pick=st.integers(0, 10**6))
    def withdraw(self, pick):
        pending = self.book.model.pending()
        bid_id = pending[pick % len(pending)].bid_id
        self.book.withdraw(bid_id)
        self.gone.append(bid_id)

    @precondition(lambda self: self.book.model.pending())
    @rule(pick=st.integers(0, 10**6), new=terms)
    def update(self, pick, new):
        pending = self.book.model.pending()
        b = pending[pick % len(pending)]
        d, t = new
        price, score = self.auction.bid_price(d, t), self.auction.auction_score(d, t)
        hint = self.book.mirror.hint(b.operator, score, b.bid_id)
        self.auction.update_bid(b.bid_id, d, t, hint, value=max(price - b.price, 0), sender=b.operator)
        self.book.follow()
        b.discount_rate, b.duration, b.price, b.score = d, t, price, score

    @rule(kind=st.sampled_from(["none", "mirror", "stale"]))
    def settle(self, kind):
        k = self.auction.cluster_size()
        hints = {"none": [], "mirror": self.book.mirror.settlement_hints(k), "stale": self.gone[-k:]}[kind]
        if self.book.model.winners() is None:
            with boa.reverts(TOO_FEW):
                self.auction.settle_cluster(hints, sender=self.manager.address)
        elif self.book.expected() is None:
            assert self.auction.num_parked_operators() > 0
            with boa.reverts(TOO_FEW_RANKED):
                self.auction.settle_cluster(hints, sender=self.manager.address)
            event("settlement refused: too few ranked operators")
        else:
            skipped = self.book.expected() != self.book.model.winners()
            won, logs = self.book.settle(hints)
            self.gone += won
            event(f"settled with {kind} hints, a parked operator skipped: {skipped}")
            if kind == "mirror":
                assert not [log for log in logs if type(log).__name__ == "OperatorParked"]

    @rule(pick=st.integers(0, 10**6), by_itself=st.booleans())
    def rejoin(self, pick, by_itself):
        parked = sorted(self.book.mirror.parked)
        if not parked:
            with boa.reverts("bid_book: operator not parked"):
                self.auction.rejoin(self.ops[pick % len(self.ops)], 0)
            return
        op = parked[pick % len(parked)]
        self.book.rejoin(op, sender=op if by_itself else self.ops[pick % len(self.ops)])

    @invariant()
    def ranked_book_matches(self):
        assert self.auction.top_bids(256) == self.book.ranked_ranking() == self.book.mirror.top(256)
        assert self.auction.num_operators_in_auction() == self.book.model.operators_in_auction()
        assert self.auction.num_parked_operators() == len(self.book.mirror.parked)
        assert all(self.auction.is_parked(op) for op in self.book.mirror.parked)
        assert self.auction.can_settle() == (self.book.expected() is not None)


def test_settlements_take_ranked_operators_under_parking(auction, manager):
    ParkingMachine.run(auction=auction, manager=manager)


# ---------------------------------------------------------------- the deposit (whole protocol)


@pytest.fixture(scope="module")
def full(owner):
    return deploy_protocol(owner=owner)


def _ready_cluster(full, owner):
    auction, manager = full.auction, full.manager
    for i, op in enumerate(_funded(4)):
        auction.bid([900 + i], [200], value=auction.price_to_pay(op, [900 + i], [200]), sender=op)
    (ready,) = manager.pre_create_clusters(1, sender=owner)
    accept_deposit(manager, ready, *fake_deposit(manager, ready, label=b"parking"))


def _deposit_gas(full, owner, staker, passed):
    """A ready cluster, then the adversarial shape, then a deposit that pre-creates the next cluster."""
    auction, manager = full.auction, full.manager
    with boa.env.anchor():
        _ready_cluster(full, owner)
        book = Book(auction, manager)
        attackers = adversarial(book, passed)
        boa.env.set_balance(staker, 100 * ETH)
        manager.create_strategy_module_and_stake(value=c.STAKE_AMOUNT, gas=3_000_000, sender=staker)
        gas = manager._computation.get_gas_used()
        assert auction.num_clusters() == 2  # the deposit pre-created the next cluster
        assert all(auction.is_parked(op) for op in attackers)
        return gas


def test_adversarial_book_never_blocks_a_deposit(full, owner, staker):
    """Issue #14's attack against a deposit: its pre-creation parks the winners' next bids instead of
    walking past the operators above them, so the deposit costs the same below a few or many of them and
    fits a fixed gas allowance."""
    few, many = _deposit_gas(full, owner, staker, PASSED), _deposit_gas(full, owner, staker, PASSED + 72)
    assert few == many, (few, many)


def test_deposit_pre_creates_on_a_book_of_parked_winners(full, owner, staker):
    """The done-criterion of issue #14: the best bids of the book are parked (their operators won once and
    nobody rejoined them), yet the deposit pre-creates the next cluster from the ranked operators, with no
    keeper. (With a fence that waited for parked bids, `can_settle()` was false here and the deposit
    pre-created nothing.)"""
    auction, manager = full.auction, full.manager
    book = Book(auction, manager)
    _ready_cluster(full, owner)
    attackers = adversarial(book, PASSED)
    low = low_operators(book, 4)
    manager.pre_create_clusters(1, sender=owner)  # no hints: the attackers win and their next bids park
    assert all(auction.is_parked(op) for op in attackers)
    for b in [b for b in book.model.pending() if b.operator not in attackers + low]:
        auction.withdraw_bid(b.bid_id, sender=b.operator)
    # the parked bids now rank first of all; only the four low operators are ranked
    assert auction.num_parked_operators() == 4 and auction.top_bids(8) == book.pending_of(set(low))
    assert auction.can_settle()
    first = auction.num_clusters()
    boa.env.set_balance(staker, 100 * ETH)
    manager.create_strategy_module_and_stake(value=c.STAKE_AMOUNT, sender=staker)
    assert auction.num_clusters() == first + 1 and manager.num_pending_clusters() == 2
    assert set(operators_of(auction, first)) == set(low)
    assert all(auction.is_parked(op) and auction.pending_bids_of(op) == 1 for op in attackers)


def test_owner_pre_creation_forwards_settlement_hints(full, owner):
    """`pre_create_clusters(count, hints)`: with the mirror's hints no winner's next bid is parked."""
    auction, manager = full.auction, full.manager
    for hinted in (False, True):
        with boa.env.anchor():
            book = Book(auction, manager)
            attackers = adversarial(book, PASSED)
            hints = [book.mirror.settlement_hints(auction.cluster_size())] if hinted else []
            manager.pre_create_clusters(1, hints, sender=owner)
            assert auction.num_parked_operators() == (0 if hinted else 4)
            assert not any(auction.is_parked(op) for op in attackers) or not hinted
