"""The Escrow's side of a loss charged at a checkpoint (docs/protocol.md §10 "A loss at a checkpoint").

StakerRewards (here the operator-side test double, acting through its address) has the Escrow set part of a
cluster's locked bonds aside (`reserve`, pro rata to the bonds, capped by them), give some back
(`release_reserved`: into the bond while locked, claimable by the operator once unlocked) or charge it to
the holder (`charge_reserved`). Each wei leaves once: balance == Σ held + Σ reserved + Σ claimable.
"""

import boa
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.utils.constants import ETH, c
from tests.utils.logs import events

BOND = c.BOND
ZERO = "0x" + "00" * 20


def won_cluster(escrow, operators, place_bid, settle, count=4):
    boa.env.set_balance(boa.env.eoa, 100 * ETH)
    ids = [place_bid(op, 1000 + 10 * i, 100) for i, op in enumerate(operators[:count])]
    settle()
    return ids


def balanced(escrow, ids, accounts) -> bool:
    """The Escrow's identity over the accounts and bids of the test (a fresh deployment per module)."""
    held = sum(escrow.held(i) for i in ids)
    reserved = sum(escrow.reserved(i) for i in ids)
    claimable = sum(escrow.claimable(a) for a in accounts)
    return boa.env.get_balance(escrow.address) == held + reserved + claimable


def test_reserve_takes_the_charge_pro_rata_to_the_bonds(escrow, staker_rewards, operators, place_bid, settle):
    ids = won_cluster(escrow, operators, place_bid, settle)
    balance = boa.env.get_balance(escrow.address)
    amount = 10**18 + 3  # 4 bonds: a quarter each, floored; the 3 wei left go to the first bid with room
    with boa.env.prank(staker_rewards.address):
        assert escrow.reserve(ids, amount) == amount
    logs = events(escrow.get_logs(), "ChargeReserved")
    shares = [amount // 4 + 3] + [amount // 4] * 3
    assert [(e["bid_id"], e["amount"]) for e in logs] == list(zip(ids, shares, strict=True))
    assert [escrow.reserved(i) for i in ids] == shares
    assert [escrow.held(i) for i in ids] == [BOND - s for s in shares]
    assert all(escrow.is_locked(i) for i in ids)
    assert boa.env.get_balance(escrow.address) == balance  # nothing moved out
    assert balanced(escrow, ids, operators)


def test_reserve_is_capped_by_the_bonds(escrow, staker_rewards, operators, place_bid, settle):
    ids = won_cluster(escrow, operators, place_bid, settle)
    with boa.env.prank(staker_rewards.address):
        assert escrow.reserve(ids, 10 * BOND) == 4 * BOND
        assert escrow.reserve(ids, 1) == 0  # nothing left to set aside: no event
    assert [escrow.reserved(i) for i in ids] == [BOND] * 4 and [escrow.held(i) for i in ids] == [0] * 4
    assert len(events(escrow.get_logs(), "ChargeReserved")) == 0


def test_release_goes_back_to_the_bond_or_to_the_operator(
    escrow, staker_rewards, operators, place_bid, settle
):
    ids = won_cluster(escrow, operators, place_bid, settle)
    winners = operators[:4]
    with boa.env.prank(staker_rewards.address):
        escrow.reserve(ids, 2 * BOND)
        escrow.release_reserved(ids, winners, BOND)  # half back, pro rata to what each reserved
    logs = events(escrow.get_logs(), "ChargeReleased")
    assert [(e["bid_id"], e["operator"], e["amount"], e["to_bond"]) for e in logs] == [
        (i, op, BOND // 4, True) for i, op in zip(ids, winners, strict=True)
    ]
    assert [escrow.held(i) for i in ids] == [BOND * 3 // 4] * 4
    assert [escrow.reserved(i) for i in ids] == [BOND // 4] * 4
    # the exit unlocks the bonds (the reserved part stays), then the rest is released to the operators
    staker_rewards.give_back(escrow, 0, [0] * 4, ZERO)
    assert [escrow.claimable(op) for op in winners] == [BOND * 3 // 4] * 4
    with boa.env.prank(staker_rewards.address):
        escrow.release_reserved(ids, winners, BOND)
    logs = events(escrow.get_logs(), "ChargeReleased")
    assert [(e["amount"], e["to_bond"]) for e in logs] == [(BOND // 4, False)] * 4
    assert [escrow.claimable(op) for op in winners] == [BOND] * 4
    assert [escrow.reserved(i) for i in ids] == [0] * 4
    assert balanced(escrow, ids, winners)


def test_charge_pays_what_is_reserved_to_the_holder(
    escrow, staker_rewards, auction, operators, place_bid, settle
):
    ids = won_cluster(escrow, operators, place_bid, settle)
    holder = boa.env.generate_address("holder")
    with boa.env.prank(staker_rewards.address):
        escrow.reserve(ids, BOND + 1)
        assert escrow.charge_reserved(ids, holder) == BOND + 1
        assert escrow.charge_reserved(ids, holder) == 0  # once
    logs = events(escrow.get_logs(), "BondCharged")
    assert len(logs) == 0  # the second call charged nothing
    assert escrow.claimable(holder) == BOND + 1 and [escrow.reserved(i) for i in ids] == [0] * 4
    assert sum(escrow.held(i) for i in ids) == 3 * BOND - 1
    assert balanced(escrow, ids, [*operators[:4], holder])
    with boa.env.prank(holder):
        assert auction.claim_refund() == BOND + 1
    assert boa.env.get_balance(holder) == BOND + 1


def test_charge_logs_each_bid(escrow, staker_rewards, operators, place_bid, settle):
    ids = won_cluster(escrow, operators, place_bid, settle)
    holder = boa.env.generate_address("holder")
    with boa.env.prank(staker_rewards.address):
        escrow.reserve(ids, 4)
        escrow.charge_reserved(ids, holder)
    logs = events(escrow.get_logs(), "BondCharged")
    assert [(e["bid_id"], e["holder"], e["amount"]) for e in logs] == [(i, holder, 1) for i in ids]


def test_only_staker_rewards_moves_a_charge(escrow, operators, place_bid, settle, outsider):
    ids = won_cluster(escrow, operators, place_bid, settle)
    for call in (
        lambda: escrow.reserve(ids, 1),
        lambda: escrow.release_reserved(ids, operators[:4], 0),
        lambda: escrow.charge_reserved(ids, outsider),
    ):
        with boa.env.prank(outsider), boa.reverts("escrow: caller is not staker rewards"):
            call()
    assert [escrow.held(i) for i in ids] == [BOND] * 4


def test_release_guards(escrow, staker_rewards, operators, place_bid, settle):
    ids = won_cluster(escrow, operators, place_bid, settle)
    with boa.env.prank(staker_rewards.address):
        escrow.reserve(ids, 4)
        with boa.reverts("escrow: amount exceeds reserved"):
            escrow.release_reserved(ids, operators[:4], 5)
        with boa.reverts("escrow: length mismatch"):
            escrow.release_reserved(ids, operators[:3], 1)
    assert [escrow.reserved(i) for i in ids] == [1] * 4


def test_a_pending_bid_is_never_charged(escrow, staker_rewards, operators, place_bid, settle):
    count = 4
    ids = won_cluster(escrow, operators, place_bid, settle, count=count)
    pending = place_bid(operators[0], 500, 50)  # not won: its funds are not a bond
    with boa.env.prank(staker_rewards.address):
        assert escrow.reserve([*ids, pending], 10**30) == count * BOND
    assert escrow.reserved(pending) == 0 and not escrow.is_locked(pending) and escrow.held(pending) > 0


@settings(max_examples=20, deadline=None)
@given(amount=st.integers(0, 5 * BOND), back=st.integers(0, 10**6))
def test_every_split_is_exact_and_within_each_bond(
    escrow, staker_rewards, operators, place_bid, settle, amount, back
):
    """Any charge is set aside exactly (capped by the bonds), none above its bond, and any part of it given
    back exactly, none above what its bid set aside; the Escrow's identity holds throughout."""
    with boa.env.anchor():
        ids = won_cluster(escrow, operators, place_bid, settle)
        with boa.env.prank(staker_rewards.address):
            reserved = escrow.reserve(ids, amount)
        shares = [escrow.reserved(i) for i in ids]
        assert reserved == min(amount, 4 * BOND) == sum(shares) and all(x <= BOND for x in shares)
        assert [escrow.held(i) for i in ids] == [BOND - x for x in shares]
        released = reserved * back // 10**6
        with boa.env.prank(staker_rewards.address):
            escrow.release_reserved(ids, operators[:4], released)
        after = [escrow.reserved(i) for i in ids]
        assert sum(after) == reserved - released and all(a <= x for a, x in zip(after, shares, strict=True))
        assert [escrow.held(i) for i in ids] == [BOND - a for a in after]
        assert balanced(escrow, ids, operators)


def test_a_seat_without_a_bond_is_never_charged(
    escrow, staker_rewards, auction, owner, operators, place_bid, settle
):
    """Pro rata to the bonds: a whitelisted winner, who paid no bond, owes nothing; the bonded ones share the
    charge, each within its bond."""
    with boa.env.prank(owner):
        auction.add_to_whitelist(operators[0])
    ids = won_cluster(escrow, operators, place_bid, settle)
    assert escrow.held(ids[0]) == 0 and escrow.is_locked(ids[0])
    with boa.env.prank(staker_rewards.address):
        assert escrow.reserve(ids, BOND + 2) == BOND + 2
    shares = [0] + [(BOND + 2) // 3] * 3  # 10**18 + 2 splits evenly in three
    assert [escrow.reserved(i) for i in ids] == shares
    with boa.env.prank(staker_rewards.address):
        assert escrow.reserve(ids, 10 * BOND) == 2 * BOND - 2  # the rest of the three bonds
    assert [escrow.reserved(i) for i in ids] == [0, BOND, BOND, BOND]
    assert balanced(escrow, ids, operators)
