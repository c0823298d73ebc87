"""Owner functions, wiring, ownership and configuration: validated, evented, access-controlled."""

import boa
import pytest

from deploy.protocol import deploy
from tests.utils.logs import logs_named

ZERO = "0x" + "00" * 20


@pytest.mark.parametrize(
    "call",
    [
        lambda a, x: a.add_to_whitelist(x),
        lambda a, x: a.remove_from_whitelist(x),
        lambda a, x: a.set_auction_config(10**15, 1000, 10, 100),
        lambda a, x: a.pause(),
        lambda a, x: a.unpause(),
        lambda a, x: a.set_manager(x),
        lambda a, x: a.transfer_ownership(x),
    ],
)
def test_owner_only(auction, outsider, call):
    with boa.env.prank(outsider), boa.reverts("ownable: caller is not the owner"):
        call(auction, outsider)


def test_whitelist(auction, owner, operators):
    op = operators[0]
    with boa.env.prank(owner):
        auction.add_to_whitelist(op)
    assert logs_named(auction, "WhitelistUpdated")[0].whitelisted
    assert auction.is_whitelisted(op)
    with boa.env.prank(owner), boa.reverts("auction: already whitelisted"):
        auction.add_to_whitelist(op)
    with boa.env.prank(owner), boa.reverts("auction: zero operator"):
        auction.add_to_whitelist(ZERO)
    with boa.env.prank(owner):
        auction.remove_from_whitelist(op)
    assert not logs_named(auction, "WhitelistUpdated")[0].whitelisted
    assert not auction.is_whitelisted(op)
    with boa.env.prank(owner), boa.reverts("auction: not whitelisted"):
        auction.remove_from_whitelist(op)


def test_set_auction_config(auction, owner):
    with boa.env.prank(owner):
        auction.set_auction_config(4 * 10**15, 2000, 10, 1000)
    log = logs_named(auction, "AuctionConfigUpdated")[0]
    assert (log.expected_daily_return, log.max_discount_rate, log.min_duration, log.max_duration) == (
        4 * 10**15,
        2000,
        10,
        1000,
    )
    cfg = auction.auction_config()
    assert (cfg.expected_daily_return, cfg.max_discount_rate, cfg.min_duration, cfg.max_duration) == (
        4 * 10**15,
        2000,
        10,
        1000,
    )
    assert auction.auction_config().max_duration == 1000


@pytest.mark.parametrize(
    "args,reason",
    [
        ((0, 1000, 30, 100), "auction: bad expected daily return"),
        ((10**20 + 1, 1000, 30, 100), "auction: bad expected daily return"),
        ((10**15, 10_000, 30, 100), "auction: max discount rate too high"),
        ((10**15, 1000, 0, 100), "auction: min duration below 1 day"),
        ((10**15, 1000, 101, 100), "auction: min duration above max"),
        ((10**15, 1000, 30, 36_501), "auction: max duration too long"),
        ((4, 9_999, 30, 100), "auction: prices round to zero"),
    ],
)
def test_bad_config_reverts_and_changes_nothing(auction, owner, args, reason):
    before = auction.auction_config()
    with boa.env.prank(owner), boa.reverts(reason):
        auction.set_auction_config(*args)
    assert auction.auction_config() == before


def test_config_change_keeps_existing_bids(auction, owner, operators, place_bid):
    old = place_bid(operators[0], 1000, 100)
    old_bid = auction.get_bid(old)
    with boa.env.prank(owner):
        auction.set_auction_config(2 * 3_243_835_616_438_356, 1500, 30, 3650)
    assert auction.get_bid(old) == old_bid  # price and score unchanged: no silent re-pricing
    new = place_bid(operators[1], 1000, 100)
    assert auction.get_bid(new).price == 2 * old_bid.price or auction.get_bid(new).price > old_bid.price
    assert auction.top_bids(2) == [new, old]


def test_pause_and_unpause(auction, owner, operators):
    with boa.env.prank(owner):
        auction.pause()
    assert auction.paused()
    with boa.env.prank(operators[0]), boa.reverts("auction: paused"):
        auction.bid([1000], [100], value=10**18 * 2)
    with boa.env.prank(owner), boa.reverts("auction: pause unchanged"):
        auction.pause()
    with boa.env.prank(owner):
        auction.unpause()
    assert not auction.paused()
    with boa.env.prank(owner), boa.reverts("auction: pause unchanged"):
        auction.unpause()


def test_config_change_keeps_the_pause(auction, owner):
    cfg = auction.auction_config()
    with boa.env.prank(owner):
        auction.pause()
        auction.set_auction_config(*cfg)
    assert auction.paused()
    assert auction.auction_config() == cfg
    with boa.env.prank(owner):
        auction.unpause()
        auction.set_auction_config(*cfg)
    assert not auction.paused()


def test_two_step_ownership(auction, owner, outsider):
    with boa.env.prank(owner):
        auction.transfer_ownership(outsider)
    assert auction.owner() == owner and auction.pending_owner() == outsider
    with boa.env.prank(owner), boa.reverts("ownable_2step: caller is not the new owner"):
        auction.accept_ownership()
    with boa.env.prank(outsider):
        auction.accept_ownership()
    assert auction.owner() == outsider


def test_set_manager_once(auction, owner, manager):
    assert auction.manager() == manager.address
    with boa.env.prank(owner), boa.reverts("auction: manager already set"):
        auction.set_manager(owner)


def test_constructor_validation(escrow):
    with boa.reverts("auction: bad cluster size"):
        deploy("auction", escrow, 3, 10**15, 1000, 30, 100)
    with boa.reverts("auction: bad cluster size"):
        deploy("auction", escrow, 8, 10**15, 1000, 30, 100)
    with boa.reverts("auction: zero escrow"):
        deploy("auction", ZERO, 4, 10**15, 1000, 30, 100)
    fresh = deploy("auction", escrow, 7, 10**15, 1000, 30, 100)
    assert fresh.cluster_size() == 7 and fresh.escrow() == escrow.address and fresh.manager() == ZERO
    with boa.reverts("auction: zero manager"):
        fresh.set_manager(ZERO)
    fresh.set_manager(escrow.address)
    assert logs_named(fresh, "ManagerSet")[0].manager == escrow.address


def test_escrow_is_wired_once_and_only_moves_for_its_callers(
    escrow, auction, staker_rewards, owner, outsider
):
    assert escrow.auction() == auction.address and escrow.staker_rewards() == staker_rewards.address
    with boa.env.prank(owner), boa.reverts("escrow: already initialized"):
        escrow.initialize(outsider, outsider)
    with boa.env.prank(outsider):
        with boa.reverts("escrow: caller is not the auction"):
            escrow.deposit(1, outsider, [1], value=1)
        with boa.reverts("escrow: caller is not the auction"):
            escrow.refund(1, outsider, 1)
        with boa.reverts("escrow: caller is not the auction"):
            escrow.refund_all(1, outsider)
        with boa.reverts("escrow: caller is not the auction"):
            escrow.release(0, [(1, outsider, 1, 30)])
        with boa.reverts("escrow: caller is not the auction"):
            escrow.credit(outsider, value=1)
        with boa.reverts("escrow: caller is not the auction"):
            escrow.pay_claimable(outsider, outsider)
        with boa.reverts("escrow: caller is not the auction"):
            escrow.top_up(1, value=1)
        with boa.reverts("escrow: caller is not staker rewards"):
            escrow.return_credits([1], [outsider], [0], outsider)


def test_escrow_initialize_checks():
    fresh = deploy("escrow")
    stranger = boa.env.generate_address()
    with boa.env.prank(stranger), boa.reverts("escrow: caller is not the deployer"):
        fresh.initialize(stranger, stranger)
    with boa.reverts("escrow: zero address"):
        fresh.initialize(ZERO, stranger)
    fresh.initialize(stranger, stranger)
    assert logs_named(fresh, "Initialized")[0].auction == stranger
