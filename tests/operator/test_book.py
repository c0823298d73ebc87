"""The auction core v2 (issue #8): settlement walks the winners only, stale hints stay cheap, updates start
from the bid's own place, renewals, and refunds to any address.

Gas comparisons here use the execution gas of one call (deterministic); receipt-exact figures for every book
size and shape are in tests/gas (benchmark + snapshot).
"""

import boa
import pytest

from deploy.hints import BookMirror
from tests.utils.constants import ETH, c
from tests.utils.seats import bid_ids_of, operators_of, seats_of


def _gas(contract):
    return contract._computation.get_gas_used()


def _stack(auction, operator, count):
    """`count` bids of one operator, all above ordinary bids, in batches of 32; returns their ids."""
    ids = []
    for start in range(0, count, c.MAX_BATCH):
        ks = range(start, min(count, start + c.MAX_BATCH))
        ds, ts = [k % 100 for k in ks], [3650 - k for k in ks]
        ids += auction.bid(ds, ts, value=auction.price_to_pay(operator, ds, ts), sender=operator)
    return ids


def _settle_gas(auction, manager, operators, stacked):
    with boa.env.anchor():
        for i, op in enumerate(operators[1:6]):
            auction.bid([1000 + i], [100], value=auction.price_to_pay(op, [1000 + i], [100]), sender=op)
        ids = _stack(auction, operators[0], stacked)
        cluster_id = auction.settle_cluster(sender=manager.address)
        gas = _gas(auction)
        winners = list(bid_ids_of(auction, cluster_id))
        # the stacker's best wins one seat, its next bid is now its best and ranks first
        assert winners[0] == ids[0] and len(set(operators_of(auction, cluster_id))) == 4
        assert auction.top_bids(1) == [ids[1]]
        return gas


def test_settlement_gas_does_not_grow_with_an_operators_stack(auction, manager, operators):
    few, many = _settle_gas(auction, manager, operators, 2), _settle_gas(auction, manager, operators, 60)
    assert abs(many - few) < 500, (few, many)


def test_stale_hint_withdrawn_just_before_costs_a_few_reads(auction, operators):
    mirror = BookMirror()
    for i, op in enumerate(operators[1:7]):
        (bid_id,) = auction.bid([200 * i], [100], value=auction.price_to_pay(op, [200 * i], [100]), sender=op)
        mirror.add(bid_id, op, auction.auction_score(200 * i, 100))
    d, t = 650, 100
    hint = mirror.hint(operators[7], auction.auction_score(d, t))
    with boa.env.anchor():
        auction.bid([d], [t], [hint], value=auction.bid_price(d, t) + ETH, sender=operators[7])
        fresh = _gas(auction)
        expected = auction.top_bids(10)
    owner = mirror.owner_of[hint]
    auction.withdraw_bid(hint, sender=owner)
    expected = [i for i in expected if i != hint]
    (late,) = auction.bid([d], [t], [hint], value=auction.bid_price(d, t) + ETH, sender=operators[7])
    stale = _gas(auction)
    assert auction.top_bids(10) == expected  # the same place, through the withdrawn bid's old neighbours
    assert stale - fresh < 10_000, (fresh, stale)


def test_stale_hint_of_a_won_bid_resolves_near_the_top(auction, manager, operators):
    ids = [
        auction.bid([100 * i], [100], value=auction.price_to_pay(op, [100 * i], [100]), sender=op)[0]
        for i, op in enumerate(operators[:7])
    ]
    auction.settle_cluster(sender=manager.address)
    (late,) = auction.bid([50], [100], [ids[0]], value=auction.bid_price(50, 100) + ETH, sender=operators[0])
    assert auction.top_bids(4) == [late, *ids[4:7]]


def test_update_without_hint_starts_from_its_own_place(auction, operators):
    mirror = BookMirror()
    for k in range(40):
        op = operators[k % 8]
        (bid_id,) = auction.bid(
            [k * 30],
            [100],
            [mirror.hint(op, auction.auction_score(k * 30, 100))],
            value=auction.price_to_pay(op, [k * 30], [100]),
            sender=op,
        )
        mirror.add(bid_id, op, auction.auction_score(k * 30, 100))
    target = 20 * 1 + 1  # bid id 21: operator 4's, in the middle
    op = operators[20 % 8]
    with boa.env.anchor():
        auction.update_bid(target, 20 * 30 + 1, 100, 0, sender=op)  # a tiny move, no hint
        near = _gas(auction)
    with boa.env.anchor():
        auction.update_bid(target, 20 * 30 + 1, 100, 1, sender=op)  # hint at the very top: a long walk
        far = _gas(auction)
    assert near < far


def test_update_with_unchanged_price_and_eth_says_so(auction, operators, place_bid):
    bid_id = place_bid(operators[0], 1000, 100)
    with boa.reverts("auction: price unchanged, send no ETH"):
        auction.update_bid(bid_id, 1000, 100, value=1, sender=operators[0])
    auction.update_bid(bid_id, 1000, 100, sender=operators[0])  # no ETH: fine, nothing moves
    assert auction.get_bid(bid_id).price == auction.bid_price(1000, 100)


def test_claim_refund_to_another_address(auction, escrow, operators):
    receiver = boa.env.generate_address("receiver")
    # a contract that cannot receive ETH bids with excess: the excess is kept claimable
    blocker = boa.loads("@external\ndef go(a: address, v: uint256):\n    pass\n")
    boa.env.set_balance(blocker.address, 10 * ETH)
    due = auction.price_to_pay(blocker.address, [1000], [100])
    auction.bid([1000], [100], value=due + 123, sender=blocker.address)
    assert escrow.claimable(blocker.address) == 123
    assert auction.claim_refund(receiver, sender=blocker.address) == 123
    assert boa.env.get_balance(receiver) == 123 and escrow.claimable(blocker.address) == 0
    with boa.reverts("escrow: nothing to claim"):
        auction.claim_refund(receiver, sender=blocker.address)


@pytest.fixture
def cluster(auction, manager, operators):
    ids = [
        auction.bid([100 * i], [100 + i], value=auction.price_to_pay(op, [100 * i], [100 + i]), sender=op)[0]
        for i, op in enumerate(operators[:4])
    ]
    return auction.settle_cluster(sender=manager.address), ids


def test_renew_pays_days_at_the_seats_daily_price(auction, staker_rewards, operators, cluster):
    cluster_id, ids = cluster
    winner = operators[2]
    vc = auction.get_bid(ids[2]).price // auction.get_bid(ids[2]).duration
    before = boa.env.get_balance(winner)
    auction.renew(cluster_id, seats_of(auction, cluster_id), 10, value=10 * vc + 5, sender=winner)
    assert staker_rewards.renewals(cluster_id) == 10 * vc
    assert boa.env.get_balance(winner) == before - 10 * vc  # the excess came back


def test_renew_guards(auction, owner, operators, non_owner, cluster):
    cluster_id, ids = cluster
    vc = auction.get_bid(ids[0]).price // auction.get_bid(ids[0]).duration
    with boa.reverts("auction: zero days"):
        auction.renew(cluster_id, seats_of(auction, cluster_id), 0, sender=operators[0])
    seats = seats_of(auction, cluster_id)
    with boa.reverts("auction: caller holds no seat"):  # the seats name the winners
        auction.renew(cluster_id, [s for s in seats if s.operator != operators[0]], 1, sender=operators[0])
    with boa.reverts("auction: caller holds no seat"):
        auction.renew(cluster_id, seats_of(auction, cluster_id), 1, value=vc, sender=non_owner)
    with boa.reverts("auction: not enough ETH"):
        auction.renew(cluster_id, seats_of(auction, cluster_id), 2, value=2 * vc - 1, sender=operators[0])
    with boa.env.prank(owner):
        auction.pause()
    with boa.reverts("auction: paused"):
        auction.renew(cluster_id, seats_of(auction, cluster_id), 1, value=vc, sender=operators[0])


def test_status_values_come_from_the_constants_module(auction, operators, place_bid):
    bid_id = place_bid(operators[0], 1000, 100)
    assert auction.get_bid(bid_id).status == c.BID_PENDING
    auction.withdraw_bid(bid_id, sender=operators[0])
    assert auction.get_bid(bid_id).status == c.BID_WITHDRAWN
    assert auction.get_bid(bid_id + 1).status == c.BID_NONE
