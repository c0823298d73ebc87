"""The Escrow's own guards: each revert the Auction and StakerRewards never trigger in normal use.

A fresh Escrow is wired to plain accounts acting as its Auction and StakerRewards, so every guard can be
reached directly; each revert leaves balance and ledger unchanged.
"""

import boa
import pytest

from deploy.protocol import deploy
from tests.conftest import ETH
from tests.logs import logs_named

ENTRY_MAX = 2**85 - 1


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
        with boa.reverts("escrow: amount too large"):
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
        with boa.reverts("escrow: length mismatch"):
            bare_escrow.release(0, [1], [1, 2])
        with boa.reverts("escrow: amount exceeds held"):
            bare_escrow.release(0, [1], [ETH + 1])
    assert bare_escrow.held(1) == ETH


def test_pay_claimable_guards(bare_escrow, roles):
    auction, _, operator = roles
    with boa.env.prank(auction):
        with boa.reverts("escrow: nothing to claim"):
            bare_escrow.pay_claimable(operator)
        bare_escrow.credit(operator, value=ETH)
        assert bare_escrow.claimable(operator) == ETH
        assert bare_escrow.pay_claimable(operator) == ETH
    assert logs_named(bare_escrow, "Claimed")[0].amount == ETH
    assert bare_escrow.claimable(operator) == 0 and boa.env.get_balance(operator) == ETH


def test_return_credits_guards(escrow, staker_rewards, operators, place_bid):
    bid_id = place_bid(operators[0], 1000, 100)
    held = escrow.held(bid_id)
    with boa.env.prank(staker_rewards.address):
        with boa.reverts("escrow: length mismatch"):
            escrow.return_credits([bid_id], [0, 0])
        with boa.reverts("escrow: bid did not win"):
            escrow.return_credits([bid_id], [0])
    assert escrow.held(bid_id) == held and escrow.claimable(operators[0]) == 0
