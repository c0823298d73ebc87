"""Settlement: docs/protocol.md §3 (winner selection) and §4 (money leaves the Escrow exactly once)."""

import boa

from tests.model import BOND
from tests.utils.logs import logs_named


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
    won = logs_named(auction, "BidWon")
    assert cluster_id == 0 and auction.num_clusters() == 1
    ranking = sorted([b1, b3, b4, b5], key=lambda i: -auction.get_bid(i).score)
    cluster = auction.get_cluster(0)
    assert list(cluster.bid_ids) == ranking
    assert list(cluster.operators) == [auction.get_bid(i).operator for i in ranking]
    assert cluster.min_duration == 100
    assert [log.bid_id for log in won] == ranking
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


def test_consecutive_clusters_and_unknown_cluster(auction, operators, place_bid, settle):
    for i in range(8):
        place_bid(operators[i], 100 * i, 30 + 10 * i)
    first, second = settle(), settle()
    assert (first, second) == (0, 1)
    ids = list(auction.get_cluster(0).bid_ids) + list(auction.get_cluster(1).bid_ids)
    assert sorted(ids) == list(range(1, 9))
    with boa.reverts("auction: unknown cluster"):
        auction.get_cluster(2)
    assert auction.num_pending_bids() == 0


def test_get_cluster_min_duration(auction, operators, place_bid, settle):
    terms = [(100, 400), (200, 300), (300, 200), (400, 1000)]
    for i, (d, t) in enumerate(terms):
        place_bid(operators[i], d, t)
    settle()
    assert auction.get_cluster(0).min_duration == 200
