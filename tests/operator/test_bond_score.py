"""The bond priced by the auction (issue 20; docs/protocol.md §2-3): bidders choose a bond from the 1 ETH
floor (none for a whitelisted operator) to MAX_BOND in BOND_UNIT steps, and each unit above the floor raises
the score by BOND_SCORE_BPS. Every number here comes from the compiled constants module
(tests/utils/constants.py) and the formula in tests/model.py."""

import boa
import pytest

from tests import model
from tests.utils.constants import ETH, c
from tests.utils.logs import logs_named

R = 3_243_835_616_438_356
N = 4
BOND, UNIT, MAX_BOND = c.BOND, c.BOND_UNIT, c.MAX_BOND


def bid_with(auction, operator, terms, bonds):
    """`bid` with chosen bonds, paying exactly what `price_to_pay` asks."""
    ds, ts = [d for d, _ in terms], [t for _, t in terms]
    due = auction.price_to_pay(operator, ds, ts, bonds)
    with boa.env.prank(operator):
        return auction.bid(ds, ts, [], bonds, value=due)


def state(auction, escrow, operator):
    return (
        auction.num_bids(),
        auction.top_bids(256),
        boa.env.get_balance(escrow.address),
        boa.env.get_balance(operator),
    )


# ---------------------------------------------------------------- the formula


def test_the_floor_scores_as_the_specification():
    """factor(BOND) is exactly 1: every check value of PROTOCOL.md §2 holds to the wei with the floor bond,
    and with no bond (a whitelisted operator's)."""
    assert model.bond_factor(BOND) == model.bond_factor(0) == c.BPS
    assert model.score(R, N, 1000, 100, BOND) == model.score(R, N, 1000, 100, 0) == 806_583_073_624_143
    top = c.BPS + c.BOND_SCORE_BPS * (MAX_BOND - BOND) // UNIT
    assert model.bond_factor(MAX_BOND) == top and top > c.BPS


@pytest.mark.parametrize("bond", [0, UNIT, BOND, BOND + UNIT, 2 * BOND, MAX_BOND - UNIT, MAX_BOND])
def test_auction_score_applies_the_factor(auction, bond):
    base = model.score(R, N, 1000, 100)
    expected = base * (c.BPS + c.BOND_SCORE_BPS * max(bond - BOND, 0) // UNIT) // c.BPS
    assert auction.auction_score(1000, 100, bond) == expected == model.score(R, N, 1000, 100, bond)
    assert auction.auction_score(1000, 100) == base  # the default: the floor


# ---------------------------------------------------------------- bidding with a bond


def test_a_chosen_bond_is_paid_locked_logged_and_shown(auction, escrow, operators):
    op = operators[0]
    bonds = [BOND, 2 * BOND + 5 * UNIT, MAX_BOND]
    price = auction.bid_price(1000, 100)
    assert auction.price_to_pay(op, [1000] * 3, [100] * 3, bonds) == 3 * price + sum(bonds)
    before = boa.env.get_balance(op)
    ids = bid_with(auction, op, [(1000, 100)] * 3, bonds)
    placed = logs_named(auction, "BidPlaced")
    assert [(log.bid_id, log.price, log.bond, log.score) for log in placed] == [
        (i, price, b, model.score(R, N, 1000, 100, b)) for i, b in zip(ids, bonds, strict=True)
    ]
    assert boa.env.get_balance(op) == before - 3 * price - sum(bonds)
    for i, b in zip(ids, bonds, strict=True):
        bid = auction.get_bid(i)
        assert (bid.bond, bid.score, bid.price) == (b, model.score(R, N, 1000, 100, b), price)
        assert escrow.held(i) == price + b
    assert auction.top_bids(3) == ids[::-1]  # equal terms: the larger bond ranks first


def test_empty_bonds_are_the_floor(auction, escrow, owner, operators):
    """`bonds` left out: 1 ETH for everyone but a whitelisted operator, who pays none (as before)."""
    ids = bid_with(auction, operators[0], [(1000, 100)], [])
    assert auction.get_bid(ids[0]).bond == BOND and escrow.held(ids[0]) == auction.bid_price(1000, 100) + BOND
    with boa.env.prank(owner):
        auction.add_to_whitelist(operators[1])
    ids = bid_with(auction, operators[1], [(1000, 100)], [])
    assert auction.get_bid(ids[0]).bond == 0 and escrow.held(ids[0]) == auction.bid_price(1000, 100)


def test_a_whitelisted_operator_chooses_no_bond_or_any_bond(auction, escrow, owner, operators):
    op = operators[2]
    with boa.env.prank(owner):
        auction.add_to_whitelist(op)
    bonds = [0, 5 * UNIT, BOND, 3 * BOND]
    ids = bid_with(auction, op, [(1000, 100)] * 4, bonds)
    assert [auction.get_bid(i).bond for i in ids] == bonds
    assert [escrow.held(i) - auction.bid_price(1000, 100) for i in ids] == bonds
    # below the floor a bond buys no score: no bond, half an ETH and the floor score alike
    scores = [auction.get_bid(i).score for i in ids]
    assert scores[0] == scores[1] == scores[2] == model.score(R, N, 1000, 100) < scores[3]


def test_withdrawal_refunds_the_bond_paid(auction, escrow, operators):
    op = operators[0]
    (bid_id,) = bid_with(auction, op, [(700, 200)], [4 * BOND + 3 * UNIT])
    refund = auction.bid_price(700, 200) + 4 * BOND + 3 * UNIT
    before = boa.env.get_balance(op)
    with boa.env.prank(op):
        auction.withdraw_bid(bid_id)
    assert logs_named(auction, "BidWithdrawn")[0].refund == refund
    assert boa.env.get_balance(op) == before + refund and escrow.held(bid_id) == 0
    assert auction.get_bid(bid_id).bond == 4 * BOND + 3 * UNIT  # the record keeps what it paid


def test_an_update_keeps_the_bond_and_its_factor(auction, escrow, operators):
    op, bond = operators[0], 6 * BOND
    (bid_id,) = bid_with(auction, op, [(1000, 100)], [bond])
    old_price, new_price = auction.bid_price(1000, 100), auction.bid_price(500, 300)
    with boa.env.prank(op):
        auction.update_bid(bid_id, 500, 300, value=new_price - old_price)
    (updated,) = logs_named(auction, "BidUpdated")
    assert updated.score == model.score(R, N, 500, 300, bond) == auction.auction_score(500, 300, bond)
    bid = auction.get_bid(bid_id)
    assert (bid.bond, bid.price, bid.score) == (bond, new_price, updated.score)
    assert escrow.held(bid_id) == new_price + bond
    with boa.env.prank(op):
        auction.update_bid(bid_id, 1000, 30)  # cheaper: the difference comes back, never the bond
    assert escrow.held(bid_id) == auction.bid_price(1000, 30) + bond
    assert auction.get_bid(bid_id).score == model.score(R, N, 1000, 30, bond)


# ---------------------------------------------------------------- what a bond buys


def test_a_larger_bond_beats_an_equal_bid_with_the_floor(auction, operators, place_bid, settle):
    """Same terms, the floor bid placed first (it would win the tie): one unit more takes the last seat."""
    for op in operators[2:5]:
        place_bid(op, 500, 100)  # three better bids take the first three seats
    floor = place_bid(operators[0], 1000, 100)
    (bonded,) = bid_with(auction, operators[1], [(1000, 100)], [BOND + UNIT])
    base = model.score(R, N, 1000, 100)
    assert auction.get_bid(bonded).score == base * (c.BPS + c.BOND_SCORE_BPS) // c.BPS > base
    assert auction.top_bids(5)[3:] == [bonded, floor]
    settle()
    assert auction.get_bid(bonded).status == c.BID_WON
    assert auction.get_bid(floor).status == c.BID_PENDING  # it lost the fourth seat to the bond


def test_a_price_advantage_beyond_the_factor_beats_the_bond(auction, operators, place_bid):
    """MAX_BOND raises a score by (factor - 1); a floor bid whose daily price is higher by more than that
    wins all the same, and one whose advantage falls short loses (discount rates found from the formula)."""
    t, d_bonded = 100, 1500
    bonded_score = model.score(R, N, d_bonded, t, MAX_BOND)
    # the largest discount rate (cheapest) at which a floor bid still beats the bonded one, and the next one
    beats = [d for d in range(0, d_bonded) if model.score(R, N, d, t) > bonded_score]
    d_win, d_lose = max(beats), max(beats) + 1
    assert model.score(R, N, d_lose, t) <= bonded_score < model.score(R, N, d_win, t)
    (bonded,) = bid_with(auction, operators[0], [(d_bonded, t)], [MAX_BOND])
    loser = place_bid(operators[1], d_lose, t)
    winner = place_bid(operators[2], d_win, t)
    assert auction.top_bids(3) == [winner, bonded, loser]


# ---------------------------------------------------------------- bad bonds


@pytest.mark.parametrize(
    "bonds, reason",
    [
        ([BOND, BOND], "auction: bonds length mismatch"),
        ([BOND - UNIT], "auction: bond below the floor"),
        ([0], "auction: bond below the floor"),
        ([MAX_BOND + UNIT], "auction: bond above the cap"),
        ([BOND + 1], "auction: bond not in 0.1 ETH steps"),
        ([2 * BOND + UNIT // 2], "auction: bond not in 0.1 ETH steps"),
    ],
)
def test_a_bad_bond_reverts_and_changes_nothing(auction, escrow, operators, bonds, reason):
    op = operators[0]
    place = (auction.bid_price(1000, 100) + MAX_BOND) * 2
    before = state(auction, escrow, op)
    with boa.env.prank(op), boa.reverts(reason):
        auction.bid([1000], [100], [], bonds, value=place)
    with boa.reverts(reason):
        auction.price_to_pay(op, [1000], [100], bonds)
    assert state(auction, escrow, op) == before


def test_a_whitelisted_bond_is_still_capped_and_in_units(auction, owner, operators):
    op = operators[0]
    with boa.env.prank(owner):
        auction.add_to_whitelist(op)
    with boa.reverts("auction: bond above the cap"):
        auction.price_to_pay(op, [1000], [100], [MAX_BOND + UNIT])
    with boa.reverts("auction: bond not in 0.1 ETH steps"):
        auction.price_to_pay(op, [1000], [100], [1])


def test_bonds_must_be_paid_for(auction, escrow, operators):
    op = operators[0]
    due = auction.price_to_pay(op, [1000], [100], [3 * BOND])
    before = state(auction, escrow, op)
    with boa.env.prank(op), boa.reverts("auction: not enough ETH"):
        auction.bid([1000], [100], [], [3 * BOND], value=due - 1)
    assert state(auction, escrow, op) == before


@pytest.mark.parametrize(
    "bond, reason",
    [(MAX_BOND + UNIT, "auction: bond above the cap"), (BOND + 7, "auction: bond not in 0.1 ETH steps")],
)
def test_score_views_validate_the_bond(auction, bond, reason):
    with boa.reverts(reason):
        auction.auction_score(1000, 100, bond)
    with boa.reverts(reason):
        auction.insert_hint(1000, 100, bond)


def test_insert_hint_ranks_with_the_bond(auction, operators, place_bid):
    a = place_bid(operators[0], 1000, 100)
    b = place_bid(operators[1], 1000, 100)
    # the floor: after both (equal score, later id); with a unit more: above both
    assert auction.insert_hint(1000, 100) == b
    assert auction.insert_hint(1000, 100, BOND + UNIT) == a
    assert auction.top_bids(2) == [a, b]


# ---------------------------------------------------------------- settlement keeps each bond


def test_winners_keep_their_own_bonds_locked(auction, escrow, owner, operators, settle):
    """Unequal bonds, and a whitelisted winner's seat with none: each stays as paid, locked for the
    cluster."""
    with boa.env.prank(owner):
        auction.add_to_whitelist(operators[3])
    bonds = [MAX_BOND, 2 * BOND, BOND, 0]
    ids = [bid_with(auction, op, [(1000, 100)], [b])[0] for op, b in zip(operators[:4], bonds, strict=True)]
    escrow_before = boa.env.get_balance(escrow.address)
    settle()
    assert [s.bid_id for s in logs_named(auction, "ClusterSettled")[0].seats] == ids
    for i, b in zip(ids, bonds, strict=True):
        assert auction.get_bid(i).status == c.BID_WON and auction.get_bid(i).bond == b
        assert escrow.held(i) == b and escrow.is_locked(i)
    assert boa.env.get_balance(escrow.address) == escrow_before - 4 * auction.bid_price(1000, 100)
    assert boa.env.get_balance(escrow.address) == sum(bonds)


# ---------------------------------------------------------------- the bound that makes room for the bond


def test_the_largest_daily_return_still_fits_the_bid_word(auction, owner, operators):
    """R is bounded so that every daily VC price fits the bid word's 56 bits: at the bound a bid records its
    price to the wei; one wei above, the configuration is refused."""
    cfg = auction.auction_config()
    with boa.env.prank(owner), boa.reverts("auction: bad expected daily return"):
        auction.set_auction_config(c.MAX_DAILY_RETURN + 1, *tuple(cfg)[1:])
    with boa.env.prank(owner):
        auction.set_auction_config(c.MAX_DAILY_RETURN, 0, 1, c.MAX_DURATION_CAP)
    boa.env.set_balance(operators[0], 10**6 * ETH)
    (bid_id,) = bid_with(auction, operators[0], [(0, c.MAX_DURATION_CAP)], [MAX_BOND])
    vc = c.MAX_DAILY_RETURN // N
    assert vc < 2**56
    bid = auction.get_bid(bid_id)
    assert bid.price == vc * c.MAX_DURATION_CAP and bid.bond == MAX_BOND
    assert bid.score == model.score(c.MAX_DAILY_RETURN, N, 0, c.MAX_DURATION_CAP, MAX_BOND)


def test_the_auction_still_fits_eip_170(auction):
    """Chosen bonds grew the Auction by about 1.3 kB: mainnet refuses runtime code above 24 576 bytes."""
    assert len(boa.env.get_code(auction.address)) <= 24_576
