"""The Escrow's own guards: each revert the Auction and StakerRewards never trigger in normal use.

A fresh Escrow is wired to plain accounts acting as its Auction and StakerRewards, so every guard can be
reached directly; each revert leaves balance and ledger unchanged.
"""

import boa
import pytest

from deploy.protocol import deploy
from tests.utils.constants import ETH, c
from tests.utils.logs import events, logs_named

ENTRY_MAX = 2**84 - 1
BOND = c.BOND
ZERO = "0x" + "00" * 20


@pytest.fixture(scope="module")
def roles():
    auction, rewards, operator = (boa.env.generate_address(n) for n in ("fake auction", "fake rewards", "op"))
    boa.env.set_balance(auction, 10**30)
    boa.env.set_balance(rewards, 100 * ETH)
    return auction, rewards, operator


@pytest.fixture(scope="module")
def bare_escrow(roles):
    auction, rewards, _ = roles
    escrow = deploy("escrow")
    escrow.initialize(auction, rewards)
    return escrow


def test_deposit_records_each_bid_in_its_own_entry(bare_escrow, roles):
    auction, _, operator = roles
    with boa.env.prank(auction):
        bare_escrow.deposit(7, operator, [1, 2, 3, 4], value=10)
    (log,) = logs_named(bare_escrow, "Deposited")
    assert (log.first_bid_id, log.operator, log.count, log.total) == (7, operator, 4, 10)
    assert [bare_escrow.held(i) for i in range(6, 12)] == [0, 1, 2, 3, 4, 0]


def test_deposit_guards(bare_escrow, roles):
    auction, _, operator = roles
    with boa.env.prank(auction):
        with boa.reverts("escrow: value mismatch"):
            bare_escrow.deposit(1, operator, [ETH, ETH], value=2 * ETH - 1)
        bare_escrow.deposit(1, operator, [ETH], value=ETH)
        with boa.reverts("escrow: bid already funded"):
            bare_escrow.deposit(1, operator, [ETH], value=ETH)
        with boa.reverts("ledger_codec: amount too large"):
            bare_escrow.deposit(2, operator, [ENTRY_MAX + 1], value=ENTRY_MAX + 1)
    assert bare_escrow.held(1) == ETH and bare_escrow.held(2) == 0
    assert boa.env.get_balance(bare_escrow.address) == ETH


def test_top_up_and_refund_guards(bare_escrow, roles):
    auction, _, operator = roles
    with boa.env.prank(auction):
        with boa.reverts("escrow: unknown bid"):
            bare_escrow.top_up(5, value=1)
        bare_escrow.deposit(5, operator, [ETH], value=ETH)
        bare_escrow.top_up(5, value=ETH)
        assert logs_named(bare_escrow, "ToppedUp")[0].amount == ETH
        with boa.reverts("escrow: amount exceeds held"):
            bare_escrow.refund(5, operator, 2 * ETH + 1)
        bare_escrow.refund(5, operator, ETH)
        assert logs_named(bare_escrow, "Refunded")[0].delivered
        assert bare_escrow.refund_all(5, operator) == ETH
    assert bare_escrow.held(5) == 0 and boa.env.get_balance(operator) == 2 * ETH
    assert boa.env.get_balance(bare_escrow.address) == 0


def test_release_guards(bare_escrow, roles):
    auction, _, operator = roles
    with boa.env.prank(auction):
        bare_escrow.deposit(1, operator, [ETH], value=ETH)
        with boa.reverts("escrow: amount exceeds held"):  # a price of 30 days at ETH // 30 + 1
            bare_escrow.release(0, [(1, operator, ETH // 30 + 1, 30)])
    assert bare_escrow.held(1) == ETH and not bare_escrow.is_locked(1)


def test_pay_claimable_guards_and_receiver(bare_escrow, roles):
    auction, _, operator = roles
    receiver = boa.env.generate_address("receiver")
    with boa.env.prank(auction):
        with boa.reverts("escrow: nothing to claim"):
            bare_escrow.pay_claimable(operator, operator)
        bare_escrow.credit(operator, value=ETH)
        assert bare_escrow.claimable(operator) == ETH
        with boa.reverts("escrow: zero receiver"):
            bare_escrow.pay_claimable(operator, ZERO)
        assert bare_escrow.pay_claimable(operator, receiver) == ETH
    (log,) = logs_named(bare_escrow, "Claimed")
    assert (log.account, log.to, log.amount) == (operator, receiver, ETH)
    assert bare_escrow.claimable(operator) == 0 and boa.env.get_balance(receiver) == ETH
    assert boa.env.get_balance(operator) == 0


def _won_cluster(auction, escrow, operators, place_bid, settle):
    boa.env.set_balance(boa.env.eoa, 100 * ETH)  # sends the test double's ETH
    ids = [place_bid(op, 1000 + 10 * i, 100) for i, op in enumerate(operators[:4])]
    cluster_id = settle()
    return cluster_id, ids


def test_release_locks_bonds_and_hands_the_data_over(
    auction, escrow, staker_rewards, operators, place_bid, settle
):
    cluster_id, ids = _won_cluster(auction, escrow, operators, place_bid, settle)
    prices = [auction.get_bid(i).price for i in ids]
    assert [escrow.held(i) for i in ids] == [BOND] * 4
    assert all(escrow.is_locked(i) for i in ids)
    assert staker_rewards.received(cluster_id) == sum(prices)
    assert staker_rewards.bid_ids_of(cluster_id) == ids
    assert staker_rewards.operators_of(cluster_id) == operators[:4]
    assert staker_rewards.prices_of(cluster_id) == prices
    assert staker_rewards.durations_of(cluster_id) == [100] * 4
    # a locked bond cannot be refunded as if the bid were pending
    with boa.env.prank(auction.address), boa.reverts("escrow: bond is locked"):
        escrow.refund(ids[0], operators[0], 1)


def test_return_credits_unlocks_bonds_to_the_operators(
    auction, escrow, staker_rewards, operators, place_bid, settle
):
    cluster_id, ids = _won_cluster(auction, escrow, operators, place_bid, settle)
    balance = boa.env.get_balance(escrow.address)
    credits = [1, 2, 3, 4]
    staker_rewards.give_back(escrow, cluster_id, credits, ZERO, value=10)
    logs = events(staker_rewards.get_logs(), "CreditsReturned")
    assert [escrow.claimable(op) for op in operators[:4]] == [BOND + k for k in credits]
    assert [escrow.held(i) for i in ids] == [0] * 4 and not any(escrow.is_locked(i) for i in ids)
    assert boa.env.get_balance(escrow.address) == balance + 10
    assert [(g["bid_id"], g["credit"], g["bond_unlocked"], g["bond_to"]) for g in logs] == [
        (i, k, BOND, op) for i, k, op in zip(ids, credits, operators[:4], strict=True)
    ]
    # works once per bid
    with boa.reverts("escrow: bond not locked"):
        staker_rewards.give_back(escrow, cluster_id, [0] * 4, ZERO)


def test_return_credits_can_send_bonds_to_a_staker(
    auction, escrow, staker_rewards, operators, place_bid, settle
):
    cluster_id, ids = _won_cluster(auction, escrow, operators, place_bid, settle)
    staker = boa.env.generate_address("staker")
    prices = [auction.get_bid(i).price for i in ids]
    staker_rewards.give_back(escrow, cluster_id, prices, staker, value=sum(prices))
    assert escrow.claimable(staker) == 4 * BOND
    assert [escrow.claimable(op) for op in operators[:4]] == prices
    with boa.env.prank(staker):
        assert auction.claim_refund() == 4 * BOND
    assert boa.env.get_balance(staker) == 4 * BOND


def test_return_credits_guards(escrow, staker_rewards, operators, place_bid):
    boa.env.set_balance(staker_rewards.address, ETH)
    bid_id = place_bid(operators[0], 1000, 100)
    held = escrow.held(bid_id)
    with boa.env.prank(staker_rewards.address):
        with boa.reverts("escrow: length mismatch"):
            escrow.return_credits([bid_id], [operators[0]], [0, 0], ZERO)
        with boa.reverts("escrow: bond not locked"):
            escrow.return_credits([bid_id], [operators[0]], [0], ZERO)
        with boa.reverts("escrow: value mismatch"):
            escrow.return_credits([], [], [], ZERO, value=1)
    assert escrow.held(bid_id) == held and escrow.claimable(operators[0]) == 0


def test_a_won_bid_cannot_be_released_twice(auction, escrow, operators, place_bid, settle):
    cluster_id, ids = _won_cluster(auction, escrow, operators, place_bid, settle)
    with boa.env.prank(auction.address), boa.reverts("escrow: bid already released"):
        escrow.release(cluster_id + 1, [(ids[0], operators[0], 0, 100)])
    assert escrow.held(ids[0]) == BOND and escrow.is_locked(ids[0])
