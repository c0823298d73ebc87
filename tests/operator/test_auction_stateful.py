"""Stateful fuzzing of the operator side against a plain Python model (tests/model.py).

After every step: the Escrow holds exactly sum(pending price + bond) + sum(locked winner bonds); each bid's
ledger entry is what it paid (pending), its bond (won) or nothing (withdrawn); the on-chain ranking equals
the model's. Every refund equals what that bid paid; every settlement picks the model's winners.
"""

import boa
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.model import BOND, BookModel, ModelBid
from tests.utils.stateful import stateful_settings

terms = st.tuples(st.integers(0, 1500), st.integers(30, 3650))
# a few popular terms make ties (equal scores) common
popular = st.sampled_from([(1000, 100), (700, 100), (1300, 30), (0, 30)])
any_terms = st.one_of(terms, popular)


def test_auction_matches_model(protocol, owner, operators):
    auction, escrow, manager = protocol.auction, protocol.escrow, protocol.manager
    cluster_size = protocol.config["cluster_size"]

    class AuctionMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.anchor = boa.env.anchor()
            self.anchor.__enter__()
            self.model = BookModel(cluster_size)
            self.whitelisted = set()

        def teardown(self):
            self.anchor.__exit__(None, None, None)

        def _pending_ids(self):
            return self.model.ranking()

        @rule(
            op=st.integers(0, 7),
            batch=st.lists(any_terms, min_size=1, max_size=3),
            hint_kind=st.sampled_from(["exact", "none", "random"]),
            extra=st.integers(0, 10**17),
        )
        def bid(self, op, batch, hint_kind, extra):
            if self.model.pending() and len(self.model.pending()) > 200:
                return
            operator = operators[op]
            ds, ts = [d for d, _ in batch], [t for _, t in batch]
            if hint_kind == "exact":
                hints = [auction.insert_hint(d, t) for d, t in batch]
            elif hint_kind == "random" and self.model.bids:
                hints = [
                    (len(self.model.bids) * 7 + i) % (len(self.model.bids) + 2) for i in range(len(batch))
                ]
            else:
                hints = []
            due = auction.price_to_pay(operator, ds, ts)
            before = boa.env.get_balance(operator)
            with boa.env.prank(operator):
                ids = auction.bid(ds, ts, hints, value=due + extra)
            assert boa.env.get_balance(operator) == before - due
            bond = 0 if operator in self.whitelisted else BOND
            for bid_id, (d, t) in zip(ids, batch, strict=True):
                assert bid_id not in self.model.bids
                price = auction.bid_price(d, t)
                self.model.bids[bid_id] = ModelBid(
                    bid_id, operator, d, t, price, bond, auction.auction_score(d, t)
                )

        @precondition(lambda self: self.model.pending())
        @rule(pick=st.integers(0, 10**6), new=any_terms, use_hint=st.booleans())
        def update(self, pick, new, use_hint):
            pending = self.model.pending()
            b = pending[pick % len(pending)]
            d, t = new
            price = auction.bid_price(d, t)
            hint = auction.insert_hint(d, t) if use_hint else 0
            before = boa.env.get_balance(b.operator)
            with boa.env.prank(b.operator):
                auction.update_bid(b.bid_id, d, t, hint, value=max(price - b.price, 0))
            assert boa.env.get_balance(b.operator) == before - (price - b.price)
            b.discount_rate, b.duration, b.price, b.score = d, t, price, auction.auction_score(d, t)

        @precondition(lambda self: self.model.pending())
        @rule(pick=st.integers(0, 10**6))
        def withdraw(self, pick):
            pending = self.model.pending()
            b = pending[pick % len(pending)]
            before = boa.env.get_balance(b.operator)
            with boa.env.prank(b.operator):
                auction.withdraw_bid(b.bid_id)
            assert boa.env.get_balance(b.operator) == before + b.price + b.bond
            b.status = 3

        @rule(op=st.integers(0, 7))
        def toggle_whitelist(self, op):
            operator = operators[op]
            with boa.env.prank(owner):
                if operator in self.whitelisted:
                    auction.remove_from_whitelist(operator)
                    self.whitelisted.discard(operator)
                else:
                    auction.add_to_whitelist(operator)
                    self.whitelisted.add(operator)

        @rule()
        def settle(self):
            expected = self.model.winners()
            assert auction.can_settle() == (expected is not None)
            with boa.env.prank(manager.address):
                if expected is None:
                    with boa.reverts("auction: not enough operators"):
                        auction.settle_cluster()
                    return
                cluster_id = auction.settle_cluster()
            cluster = auction.get_cluster(cluster_id)
            assert list(cluster.bid_ids) == expected
            assert cluster.min_duration == min(self.model.bids[i].duration for i in expected)
            for i in expected:
                self.model.bids[i].status = 2

        @invariant()
        def escrow_ledger_is_exact(self):
            expected_total = 0
            for b in self.model.bids.values():
                held = {1: b.price + b.bond, 2: b.bond, 3: 0}[b.status]
                assert escrow.held(b.bid_id) == held
                expected_total += held
            assert boa.env.get_balance(escrow.address) == expected_total

        @invariant()
        def ranking_matches(self):
            ranking = self.model.ranking()
            assert auction.top_bids(256) == ranking[:256]
            assert auction.num_pending_bids() == len(ranking)
            assert auction.num_operators_in_auction() == self.model.operators_in_auction()

    run_state_machine_as_test(AuctionMachine, settings=stateful_settings())
