"""deploy/hints.py: the off-chain mirror of the book gives the contract's ranking and exact hints.

A hint from the mirror makes a bid land without a walk: its gas equals the gas of the same bid placed with
the contract's own `insert_hint` (which walks the whole ranking in a view), whatever the book holds.
"""

import random

import boa
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy.hints import BookMirror
from tests.utils.constants import ETH, c


def _fill(auction, operators, rng, count):
    """Random bids, each with a bond from the floor to MAX_BOND (the mirror ranks by the bond-aware score)."""
    mirror = BookMirror()
    for _ in range(count):
        op = operators[rng.randrange(len(operators))]
        d, t = rng.randrange(0, 1501), rng.randrange(30, 3651)
        bond = rng.choice([c.BOND, c.BOND, c.BOND + c.BOND_UNIT, 3 * c.BOND, c.MAX_BOND])
        score = auction.auction_score(d, t, bond)
        (bid_id,) = auction.bid(
            [d],
            [t],
            [mirror.hint(op, score)],
            [bond],
            value=auction.price_to_pay(op, [d], [t], [bond]),
            sender=op,
        )
        assert auction.get_bid(bid_id).score == score
        mirror.add(bid_id, op, score)
    return mirror


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 10**6), count=st.integers(0, 30))
def test_mirror_follows_the_book(auction, operators, seed, count):
    rng = random.Random(seed)
    mirror = _fill(auction, operators, rng, count)
    assert auction.top_bids(256) == mirror.top(256)
    rebuilt = BookMirror.from_auction(auction)
    assert rebuilt.top(256) == mirror.top(256) and rebuilt.ranking == mirror.ranking


def test_mirror_follows_events(auction, manager, operators):
    rng = random.Random(3)
    followed = BookMirror()
    for _ in range(30):
        op = operators[rng.randrange(8)]
        d, t = rng.randrange(0, 1501), rng.randrange(30, 3651)
        auction.bid([d], [t], value=auction.price_to_pay(op, [d], [t]), sender=op)
        followed.apply_logs(auction.get_logs())
    bid_id = followed.top(1)[0]
    auction.withdraw_bid(bid_id, sender=followed.owner_of[bid_id])
    followed.apply_logs(auction.get_logs())
    auction.settle_cluster(sender=manager.address)
    followed.apply_logs(auction.get_logs())
    assert followed.top(256) == auction.top_bids(256)


def test_mirror_hint_is_as_good_as_the_contracts_own(auction, operators):
    mirror = _fill(auction, operators[1:], random.Random(5), 60)
    newcomer = operators[0]
    d, t = 700, 400
    gas = {}
    for name, hint in (("mirror", mirror.hint(newcomer, auction.auction_score(d, t))), ("view", None)):
        with boa.env.anchor():
            hint = auction.insert_hint(d, t) if hint is None else hint
            auction.bid([d], [t], [hint], value=auction.bid_price(d, t) + ETH, sender=newcomer)
            gas[name] = auction._computation.get_gas_used()
    assert gas["mirror"] == gas["view"]
