"""Placing, updating and withdrawing bids: docs/protocol.md §3, with every revert next to its success path."""

import boa
import pytest

from tests.model import BOND
from tests.utils.constants import ETH
from tests.utils.logs import logs_named


def test_bid_records_locks_andlogs_named(auction, escrow, operators):
    op = operators[0]
    price = auction.bid_price(1000, 100)
    before = boa.env.get_balance(op)
    with boa.env.prank(op):
        ids = auction.bid([1000], [100], value=price + BOND)
    placed = logs_named(auction, "BidPlaced")
    assert ids == [1]
    assert len(placed) == 1 and placed[0].bid_id == 1 and placed[0].operator == op
    assert placed[0].price == price and placed[0].bond == BOND
    bid = auction.get_bid(1)
    assert (bid.operator, bid.discount_rate, bid.duration, bid.price, bid.bond, bid.status) == (
        op,
        1000,
        100,
        price,
        BOND,
        1,
    )
    assert bid.score == auction.auction_score(1000, 100)
    assert escrow.held(1) == price + BOND
    assert boa.env.get_balance(escrow.address) == price + BOND
    assert boa.env.get_balance(op) == before - price - BOND
    assert auction.num_pending_bids() == 1 and auction.num_operators_in_auction() == 1


def test_batch_bid_one_event_per_bid_and_unique_ids(auction, escrow, operators):
    op = operators[0]
    due = auction.price_to_pay(op, [100, 200, 300], [30, 60, 90])
    with boa.env.prank(op):
        ids = auction.bid([100, 200, 300], [30, 60, 90], value=due)
    assert len(logs_named(auction, "BidPlaced")) == 3
    with boa.env.prank(op):
        more = auction.bid([100], [30], value=auction.price_to_pay(op, [100], [30]))
    assert ids == [1, 2, 3] and more == [4]
    assert sum(escrow.held(i) for i in ids + more) == boa.env.get_balance(escrow.address)
    assert auction.num_operators_in_auction() == 1 and auction.pending_bids_of(op) == 4


def test_excess_is_returned(auction, escrow, operators):
    op = operators[1]
    due = auction.price_to_pay(op, [1000], [100])
    before = boa.env.get_balance(op)
    with boa.env.prank(op):
        auction.bid([1000], [100], value=due + 5 * ETH)
    returned = logs_named(auction, "ExcessReturned")
    assert returned[0].amount == 5 * ETH and returned[0].delivered
    assert boa.env.get_balance(op) == before - due
    assert escrow.claimable(op) == 0


def test_undeliverable_excess_stays_claimable(auction, escrow):
    contract_op = boa.load("tests/contracts/ProgrammableOperator.vy", auction.address)
    boa.env.set_balance(contract_op.address, 0)
    due = auction.price_to_pay(contract_op.address, [1000], [100])
    funder = boa.env.generate_address()
    boa.env.set_balance(funder, due + ETH)
    with boa.env.prank(funder):
        contract_op.place([1000], [100], value=due + ETH)
    assert escrow.claimable(contract_op.address) == ETH
    assert boa.env.get_balance(escrow.address) == due + ETH
    with boa.reverts():  # still refusing: the claim fails for it alone, nothing moves
        contract_op.claim()
    contract_op.set_accepting(True)
    assert contract_op.claim() == ETH
    assert boa.env.get_balance(contract_op.address) == ETH
    assert escrow.claimable(contract_op.address) == 0


def test_whitelisted_operator_pays_no_bond(auction, escrow, owner, operators):
    op = operators[2]
    with boa.env.prank(owner):
        auction.add_to_whitelist(op)
    price = auction.bid_price(700, 100)
    with boa.env.prank(op):
        (bid_id,) = auction.bid([700], [100], value=price)
    assert auction.get_bid(bid_id).bond == 0 and escrow.held(bid_id) == price
    # a bid keeps the bond it paid (or did not pay) when the whitelist changes
    with boa.env.prank(owner):
        auction.remove_from_whitelist(op)
    with boa.env.prank(op):
        auction.withdraw_bid(bid_id)
    assert logs_named(auction, "BidWithdrawn")[0].refund == price


@pytest.mark.parametrize(
    "discounts,durations,hints,value,reason",
    [
        ([], [], [], 0, "auction: empty batch"),
        ([1000, 1000], [100], [], 10 * ETH, "auction: length mismatch"),
        ([1000], [100], [1, 2], 10 * ETH, "auction: hints length mismatch"),
        ([1501], [100], [], 10 * ETH, "auction: discount rate too high"),
        ([1000], [29], [], 10 * ETH, "auction: duration out of range"),
        ([1000], [3651], [], 10 * ETH, "auction: duration out of range"),
        ([1000], [100], [], 10**18, "auction: not enough ETH"),
    ],
)
def test_bad_bids_revert_and_change_nothing(
    auction, escrow, operators, discounts, durations, hints, value, reason
):
    op = operators[0]
    before = boa.env.get_balance(op)
    with boa.env.prank(op), boa.reverts(reason):
        auction.bid(discounts, durations, hints, value=value)
    assert auction.num_bids() == 0 and auction.num_pending_bids() == 0
    assert boa.env.get_balance(op) == before and boa.env.get_balance(escrow.address) == 0


def test_not_enough_eth_by_one_wei(auction, operators):
    op = operators[0]
    due = auction.price_to_pay(op, [1000, 900], [100, 150])
    with boa.env.prank(op), boa.reverts("auction: not enough ETH"):
        auction.bid([1000, 900], [100, 150], value=due - 1)
    with boa.env.prank(op):
        assert auction.bid([1000, 900], [100, 150], value=due) == [1, 2]


def test_ranking_by_score_then_bid_order(auction, operators, place_bid):
    a = place_bid(operators[0], 1000, 100)
    b = place_bid(operators[1], 700, 100)  # better score
    c = place_bid(operators[2], 1000, 100)  # tie with a, later
    d = place_bid(operators[3], 1300, 30)  # worst
    assert auction.top_bids(10) == [b, a, c, d]
    assert auction.top_bids(2) == [b, a]
    with boa.reverts("auction: k above 256"):
        auction.top_bids(257)


@pytest.mark.parametrize("hint_kind", ["exact", "none", "stale", "far", "garbage"])
def test_any_hint_gives_the_same_ranking(auction, operators, place_bid, hint_kind):
    terms = [(1000, 100), (700, 100), (900, 150), (1200, 200), (500, 30), (1300, 30), (1000, 100)]
    for i, (d, t) in enumerate(terms[:-1]):
        place_bid(operators[i % 8], d, t)
    d, t = terms[-1]
    hint = {
        "exact": auction.insert_hint(d, t),
        "none": 0,
        "stale": 1,  # withdrawn below
        "far": auction.top_bids(10)[-1],
        "garbage": 10**9,
    }[hint_kind]
    if hint_kind == "stale":
        with boa.env.prank(operators[0]):
            auction.withdraw_bid(1)
    new = place_bid(operators[7], d, t, hint=hint)
    live = [i for i in range(1, new + 1) if auction.get_bid(i).status == 1]
    expected = sorted(live, key=lambda i: (-auction.get_bid(i).score, i))
    assert auction.top_bids(20) == expected


def test_insert_hint_is_a_neighbour(auction, operators, place_bid):
    assert auction.insert_hint(1000, 100) == 0  # empty book
    first = place_bid(operators[0], 1000, 100)
    assert auction.insert_hint(700, 100) == first  # goes before the head: the head is its neighbour
    second = place_bid(operators[1], 1300, 30)
    assert auction.insert_hint(1200, 30) == first  # between first and second: first precedes it
    assert auction.insert_hint(1400, 30) == second


def test_update_bid_pays_difference_and_reranks(auction, escrow, operators, place_bid):
    op = operators[0]
    low = place_bid(op, 1300, 30)
    other = place_bid(operators[1], 1000, 100)
    assert auction.top_bids(5) == [other, low]
    old_price = auction.get_bid(low).price
    new_price = auction.bid_price(500, 200)
    before = boa.env.get_balance(op)
    with boa.env.prank(op):
        auction.update_bid(low, 500, 200, 0, value=new_price - old_price + 3 * ETH)
    logs = logs_named(auction, "BidUpdated")
    assert logs[0].price == new_price and logs[0].previous_price == old_price
    assert boa.env.get_balance(op) == before - (new_price - old_price)
    bid = auction.get_bid(low)
    assert (bid.discount_rate, bid.duration, bid.price, bid.bond) == (500, 200, new_price, BOND)
    assert escrow.held(low) == new_price + BOND
    assert auction.top_bids(5) == [low, other]


def test_update_bid_refunds_when_cheaper(auction, escrow, operators, place_bid):
    op = operators[0]
    bid_id = place_bid(op, 500, 200)
    old_price = auction.get_bid(bid_id).price
    new_price = auction.bid_price(1300, 30)
    before = boa.env.get_balance(op)
    with boa.env.prank(op):
        auction.update_bid(bid_id, 1300, 30)
    assert boa.env.get_balance(op) == before + old_price - new_price
    assert escrow.held(bid_id) == new_price + BOND
    with boa.env.prank(op), boa.reverts("auction: price went down, send no ETH"):
        auction.update_bid(bid_id, 1400, 30, value=1)


def test_update_keeps_tie_order(auction, operators, place_bid):
    a = place_bid(operators[0], 1000, 100)
    b = place_bid(operators[1], 1000, 100)
    c = place_bid(operators[2], 900, 150)
    with boa.env.prank(operators[0]):
        auction.update_bid(a, 1000, 100)  # same terms: stays first of the tie
    assert auction.top_bids(5) == [c, a, b]
    with boa.env.prank(operators[0]):
        auction.update_bid(a, 1300, 30)
    with boa.env.prank(operators[0]):
        auction.update_bid(a, 1000, 100, c, value=auction.bid_price(1000, 100) - auction.bid_price(1300, 30))
    # back, with a hint on the other side of the tie
    assert auction.top_bids(5) == [c, a, b]


def test_update_bid_reverts(auction, owner, operators, place_bid):
    bid_id = place_bid(operators[0], 1000, 100)
    higher = auction.bid_price(500, 200) - auction.bid_price(1000, 100)
    with boa.env.prank(operators[1]), boa.reverts("auction: caller is not the bidder"):
        auction.update_bid(bid_id, 500, 200, value=higher)
    with boa.env.prank(operators[0]), boa.reverts("auction: not enough ETH"):
        auction.update_bid(bid_id, 500, 200, value=higher - 1)
    with boa.env.prank(operators[0]), boa.reverts("auction: discount rate too high"):
        auction.update_bid(bid_id, 1501, 200, value=higher)
    with boa.env.prank(operators[0]), boa.reverts("auction: duration out of range"):
        auction.update_bid(bid_id, 500, 3651, value=higher)
    with boa.env.prank(operators[0]), boa.reverts("auction: unknown bid"):
        auction.update_bid(99, 500, 200, value=higher)
    with boa.env.prank(owner):
        auction.pause()
    with boa.env.prank(operators[0]), boa.reverts("auction: paused"):
        auction.update_bid(bid_id, 500, 200, value=higher)
    with boa.env.prank(owner):
        auction.unpause()
    with boa.env.prank(operators[0]):
        auction.withdraw_bid(bid_id)
    with boa.env.prank(operators[0]), boa.reverts("auction: bid not pending"):
        auction.update_bid(bid_id, 500, 200, value=higher)


def test_withdraw_refunds_exactly_and_works_while_paused(auction, escrow, owner, operators, place_bid):
    op = operators[0]
    bid_id = place_bid(op, 900, 150)
    paid = auction.bid_price(900, 150) + BOND
    with boa.env.prank(owner):
        auction.pause()
    before = boa.env.get_balance(op)
    with boa.env.prank(op):
        auction.withdraw_bid(bid_id)
    assert logs_named(auction, "BidWithdrawn")[0].refund == paid
    assert boa.env.get_balance(op) == before + paid
    assert escrow.held(bid_id) == 0 and boa.env.get_balance(escrow.address) == 0
    assert auction.get_bid(bid_id).status == 3
    assert auction.num_pending_bids() == 0 and auction.num_operators_in_auction() == 0
    with boa.env.prank(op), boa.reverts("auction: bid not pending"):
        auction.withdraw_bid(bid_id)


def test_withdraw_reverts(auction, operators, place_bid):
    bid_id = place_bid(operators[0], 900, 150)
    with boa.env.prank(operators[1]), boa.reverts("auction: caller is not the bidder"):
        auction.withdraw_bid(bid_id)
    with boa.env.prank(operators[0]), boa.reverts("auction: unknown bid"):
        auction.withdraw_bid(0)
    with boa.env.prank(operators[0]), boa.reverts("auction: unknown bid"):
        auction.withdraw_bid(bid_id + 1)


def test_refund_to_a_refusing_operator_is_kept_claimable(auction, escrow):
    contract_op = boa.load("tests/contracts/ProgrammableOperator.vy", auction.address)
    due = auction.price_to_pay(contract_op.address, [900], [150])
    boa.env.set_balance(contract_op.address, 0)
    funder = boa.env.generate_address()
    boa.env.set_balance(funder, due)
    with boa.env.prank(funder):
        (bid_id,) = contract_op.place([900], [150], value=due)
    contract_op.withdraw(bid_id)
    assert escrow.claimable(contract_op.address) == due
    assert boa.env.get_balance(escrow.address) == due
    contract_op.set_accepting(True)
    assert contract_op.claim() == due
    assert boa.env.get_balance(escrow.address) == 0


def test_claim_refund_with_nothing_reverts(auction, operators):
    with boa.env.prank(operators[0]), boa.reverts("escrow: nothing to claim"):
        auction.claim_refund()


def test_plain_eth_is_rejected(auction, escrow, operators):
    from eth.exceptions import Revert

    for target in (auction, escrow):
        with pytest.raises(Revert):
            boa.env.raw_call(target.address, sender=operators[0], value=1)
        assert boa.env.get_balance(target.address) == 0


def test_get_bid_of_unknown_is_empty(auction):
    assert auction.get_bid(0).status == 0 and auction.get_bid(1).operator == "0x" + "00" * 20
