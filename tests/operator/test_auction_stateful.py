"""Stateful fuzzing of the operator side against a plain Python model (tests/model.py).

Operators stack many bids (one of them far more than the others), hints are exact, missing, random or stale
(bids withdrawn or won since, or moved by an update), updates go without hints. After every step: the Escrow
holds exactly sum(pending price + bond) + sum(locked winner bonds); each bid's ledger entry is what it paid
(pending), its bond (won) or nothing (withdrawn); the on-chain ranking (scores with each bid's own bond, drawn
from the floor to MAX_BOND) equals the model's and the off-chain
mirror's (deploy/hints.py); every refund equals what that bid paid; every settlement (with the mirror's
hints) picks the model's winners: the best pending bid of each of the first `cluster_size` operators.
A withdrawal whose next bid parks its operator is followed by a rejoin (tests/operator/test_parking.py
covers parked books).
"""

import boa
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from deploy.hints import BookMirror
from tests import model
from tests.model import BOND, BookModel, ModelBid
from tests.utils.constants import c
from tests.utils.logs import logs_named
from tests.utils.seats import seats_of
from tests.utils.stateful import StatefulBase

terms = st.tuples(st.integers(0, 1500), st.integers(30, 3650))
# a few popular terms make ties (equal scores) common
popular = st.sampled_from([(1000, 100), (700, 100), (1300, 30), (0, 30)])
any_terms = st.one_of(terms, popular)
# bonds in BOND_UNITs: mostly the floor (ties with larger bonds), a few above it, the cap; 0 is no bond for a
# whitelisted operator and the floor for the others
bond_units = st.sampled_from([0, 10, 10, 11, 15, 20, c.MAX_BOND // c.BOND_UNIT])
HELD = {
    c.BID_PENDING: lambda b: b.price + b.bond,
    c.BID_WON: lambda b: b.bond,
    c.BID_WITHDRAWN: lambda b: 0,
}


class AuctionMachine(StatefulBase):
    """The Auction and Escrow against BookModel; fixtures come in through `run`."""

    auction = escrow = manager = owner = operators = None
    examples, steps = 10, 25
    ci_examples, ci_steps = 6, 16  # the default test command (tests/utils/stateful.py)

    def __init__(self):
        super().__init__()
        self.model = BookModel(self.auction.cluster_size())
        self.mirror = BookMirror()
        self.whitelisted = set()
        self.r = self.auction.auction_config().expected_daily_return
        self.gone = []  # bids withdrawn or won: the stale hints of tomorrow

    def _hints(self, operator, batch, kind, bonds):
        if kind == "exact":
            return self.mirror.hints(
                operator,
                [self.auction.auction_score(d, t, b) for (d, t), b in zip(batch, bonds, strict=True)],
            )
        if kind == "stale" and self.gone:
            return [self.gone[(len(self.gone) * 7 + i) % len(self.gone)] for i in range(len(batch))]
        if kind == "random" and self.model.bids:
            return [(len(self.model.bids) * 7 + i) % (len(self.model.bids) + 2) for i in range(len(batch))]
        return []

    def _bonds(self, operator, units):
        """The bonds `bid` takes for these units: 0 is no bond for a whitelisted operator, else the floor."""
        floor = 0 if operator in self.whitelisted else BOND
        return [max(u * c.BOND_UNIT, floor) for u in units]

    def _record(self, ids, operator, batch, bonds):
        for bid_id, (d, t), bond in zip(ids, batch, bonds, strict=True):
            assert bid_id not in self.model.bids
            score = self.auction.auction_score(d, t, bond)
            assert score == model.score(self.r, self.model.cluster_size, d, t, bond)
            bid = self.auction.get_bid(bid_id)
            assert (bid.bond, bid.score) == (bond, score)
            self.model.bids[bid_id] = ModelBid(
                bid_id, operator, d, t, self.auction.bid_price(d, t), bond, score
            )
            self.mirror.add(bid_id, operator, score)

    @rule(
        op=st.integers(0, 7),
        batch=st.lists(any_terms, min_size=1, max_size=4),
        hint_kind=st.sampled_from(["exact", "none", "random", "stale"]),
        extra=st.integers(0, 10**17),
        units=st.none() | st.lists(bond_units, min_size=4, max_size=4),
    )
    def bid(self, op, batch, hint_kind, extra, units):
        """A batch with the floor bonds (`bonds` left out) or chosen ones."""
        if len(self.model.pending()) > 80:
            return
        operator = self.operators[op]
        ds, ts = [d for d, _ in batch], [t for _, t in batch]
        floor = self._bonds(operator, [0] * len(batch))
        bonds = floor if units is None else self._bonds(operator, units[: len(batch)])
        chosen = [] if units is None else bonds
        hints = self._hints(operator, batch, hint_kind, bonds)
        due = self.auction.price_to_pay(operator, ds, ts, chosen)
        assert due == sum(map(self.auction.bid_price, ds, ts)) + sum(bonds)
        before = boa.env.get_balance(operator)
        ids = self.auction.bid(ds, ts, hints, chosen, value=due + extra, sender=operator)
        assert boa.env.get_balance(operator) == before - due
        self._record(ids, operator, batch, bonds)

    @rule(count=st.integers(5, 15), top=st.booleans())
    def stack(self, count, top):
        """Operator 0 stacks a batch of bids, at the top of the book or anywhere."""
        operator = self.operators[0]
        batch = [(k % 50 if top else (k * 37) % 1501, 3650 - k if top else 30 + k * 11) for k in range(count)]
        ds, ts = [d for d, _ in batch], [t for _, t in batch]
        bonds = self._bonds(operator, [0] * count)
        hints = self._hints(operator, batch, "exact", bonds)
        ids = self.auction.bid(
            ds, ts, hints, value=self.auction.price_to_pay(operator, ds, ts), sender=operator
        )
        self._record(ids, operator, batch, bonds)

    @precondition(lambda self: self.model.pending())
    @rule(pick=st.integers(0, 10**6), new=any_terms, use_hint=st.booleans())
    def update(self, pick, new, use_hint):
        pending = self.model.pending()
        b = pending[pick % len(pending)]
        d, t = new
        price = self.auction.bid_price(d, t)
        score = self.auction.auction_score(d, t, b.bond)  # an update keeps the bond
        hint = self.mirror.hint(b.operator, score, b.bid_id) if use_hint else 0
        before = boa.env.get_balance(b.operator)
        if price == b.price:
            with boa.reverts("auction: price unchanged, send no ETH"):
                self.auction.update_bid(b.bid_id, d, t, hint, value=1, sender=b.operator)
        self.auction.update_bid(b.bid_id, d, t, hint, value=max(price - b.price, 0), sender=b.operator)
        assert boa.env.get_balance(b.operator) == before - (price - b.price)
        self.mirror.remove(b.bid_id)
        self.mirror.add(b.bid_id, b.operator, score)
        assert (self.auction.get_bid(b.bid_id).bond, self.auction.get_bid(b.bid_id).score) == (b.bond, score)
        self.gone.append(b.bid_id)  # its old place: a hint computed before is stale now
        b.discount_rate, b.duration, b.price, b.score = d, t, price, score

    @precondition(lambda self: self.model.pending())
    @rule(pick=st.integers(0, 10**6))
    def withdraw(self, pick):
        pending = self.model.pending()
        b = pending[pick % len(pending)]
        before = boa.env.get_balance(b.operator)
        self.auction.withdraw_bid(b.bid_id, sender=b.operator)
        assert boa.env.get_balance(b.operator) == before + b.price + b.bond
        parked = logs_named(self.auction, "OperatorParked")
        b.status = c.BID_WITHDRAWN
        for log in parked:  # its next bid ranks too far from its old place: parked, then rejoined by anyone
            self.mirror.park(str(log.operator))
        self.mirror.remove(b.bid_id)
        self.gone.append(b.bid_id)
        for log in parked:
            self.auction.rejoin(log.operator, self.mirror.rejoin_hint(str(log.operator)))
            self.mirror.rejoin(str(log.operator))

    @rule(op=st.integers(0, 7))
    def toggle_whitelist(self, op):
        operator = self.operators[op]
        with boa.env.prank(self.owner):
            if operator in self.whitelisted:
                self.auction.remove_from_whitelist(operator)
                self.whitelisted.discard(operator)
            else:
                self.auction.add_to_whitelist(operator)
                self.whitelisted.add(operator)

    @rule()
    def settle(self):
        expected = self.model.winners()
        assert self.auction.can_settle() == (expected is not None)
        if expected is None:
            with boa.reverts("auction: not enough operators"):
                self.auction.settle_cluster(sender=self.manager.address)
            return
        assert self.mirror.winners(self.model.cluster_size) == expected
        hints = self.mirror.settlement_hints(self.model.cluster_size)
        cluster_id = self.auction.settle_cluster(hints, sender=self.manager.address)
        assert not logs_named(self.auction, "OperatorParked")  # exact hints: every promotion lands
        seats = seats_of(self.auction, cluster_id)
        assert [s.bid_id for s in seats] == expected
        assert [s.days for s in seats] == [self.model.bids[i].duration for i in expected]
        for i in expected:
            self.model.bids[i].status = c.BID_WON
            self.mirror.remove(i)
            self.gone.append(i)

    @invariant()
    def escrow_ledger_is_exact(self):
        expected_total = 0
        for b in self.model.bids.values():
            held = HELD[b.status](b)
            assert self.escrow.held(b.bid_id) == held
            assert self.escrow.is_locked(b.bid_id) == (b.status == c.BID_WON)
            expected_total += held
        assert boa.env.get_balance(self.escrow.address) == expected_total

    @invariant()
    def ranking_matches(self):
        ranking = self.model.ranking()
        assert self.auction.top_bids(256) == ranking[:256] == self.mirror.top(256)
        assert self.auction.num_pending_bids() == len(ranking)
        assert self.auction.num_operators_in_auction() == self.model.operators_in_auction()
        for operator in self.operators:
            mine = [b for b in self.model.pending() if b.operator == operator]
            assert self.auction.pending_bids_of(operator) == len(mine)


def test_auction_matches_model(auction, escrow, manager, owner, operators):
    AuctionMachine.run(auction=auction, escrow=escrow, manager=manager, owner=owner, operators=operators)
