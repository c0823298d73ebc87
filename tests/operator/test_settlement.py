"""Settlement: docs/protocol.md §3 (winner selection) and §4 (money leaves the Escrow exactly once)."""

import boa

from tests.model import BOND
from tests.utils.logs import logs_named
from tests.utils.seats import bid_ids_of, seats_hash, seats_of


def test_settlement_takes_best_bid_per_operator(
    auction, escrow, staker_rewards, operators, place_bid, settle
):
    o = operators
    b1 = place_bid(o[0], 700, 100)  # best
    b2 = place_bid(o[0], 700, 100)  # same operator: skipped
    b3 = place_bid(o[1], 900, 150)
    b4 = place_bid(o[2], 1000, 100)
    b5 = place_bid(o[3], 1200, 200)
    b6 = place_bid(o[4], 1300, 30)  # loses
    escrow_before = boa.env.get_balance(escrow.address)
    cluster_id = settle()
    (settled,) = logs_named(auction, "ClusterSettled")
    assert cluster_id == 0 and auction.num_clusters() == 1
    ranking = sorted([b1, b3, b4, b5], key=lambda i: -auction.get_bid(i).score)
    # the one event of the settlement carries every seat: bid, operator, daily price, days
    assert settled.cluster_id == 0
    bids = {i: auction.get_bid(i) for i in ranking}
    expected = [(i, bids[i].operator, bids[i].price // bids[i].duration, bids[i].duration) for i in ranking]
    assert [tuple(s) for s in settled.seats] == expected
    assert [tuple(s) for s in seats_of(auction, 0)] == expected
    assert bytes(staker_rewards.commitment(0)) == seats_hash(seats_of(auction, 0))
    prices = sum(auction.get_bid(i).price for i in ranking)
    assert boa.env.get_balance(staker_rewards.address) == prices
    assert boa.env.get_balance(escrow.address) == escrow_before - prices
    for i in ranking:
        assert auction.get_bid(i).status == 2
        assert escrow.held(i) == BOND  # bond stays locked
    assert auction.top_bids(10) == [b2, b6]
    assert auction.num_pending_bids() == 2 and auction.num_operators_in_auction() == 2


def test_settlement_needs_enough_distinct_operators(auction, escrow, operators, place_bid, settle):
    for i in range(3):
        place_bid(operators[i], 1000, 100)
        place_bid(operators[i], 900, 150)
    assert not auction.can_settle()
    ranking = auction.top_bids(10)
    with boa.reverts("auction: not enough operators"):
        settle()
    assert auction.num_clusters() == 0 and auction.top_bids(10) == ranking
    place_bid(operators[3], 1300, 30)
    assert auction.can_settle()
    assert settle() == 0


def test_only_manager_settles_and_pause_stops_it(auction, owner, operators, place_bid, settle):
    for i in range(4):
        place_bid(operators[i], 1000, 100)
    with boa.env.prank(operators[0]), boa.reverts("auction: caller is not the manager"):
        auction.settle_cluster()
    with boa.env.prank(owner):
        auction.pause()
    assert not auction.can_settle()
    with boa.reverts("auction: paused"):
        settle()
    with boa.env.prank(owner):
        auction.unpause()
    assert settle() == 0


def test_consecutive_clusters(auction, operators, place_bid, settle):
    for i in range(8):
        place_bid(operators[i], 100 * i, 30 + 10 * i)
    first, second = settle(), settle()
    assert (first, second) == (0, 1)
    ids = list(bid_ids_of(auction, 0)) + list(bid_ids_of(auction, 1))
    assert sorted(ids) == list(range(1, 9))
    assert auction.num_pending_bids() == 0


def test_seats_carry_each_winners_duration(auction, operators, place_bid, settle):
    """The Auction keeps no cluster record: the seats of the settlement's event are the cluster."""
    terms = [(100, 400), (200, 300), (300, 200), (400, 1000)]
    for i, (d, t) in enumerate(terms):
        place_bid(operators[i], d, t)
    settle()
    seats = seats_of(auction, 0)
    assert sorted(s.days for s in seats) == [200, 300, 400, 1000]
    assert {s.operator: s.days for s in seats} == {operators[i]: t for i, (_, t) in enumerate(terms)}
