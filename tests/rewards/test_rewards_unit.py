"""Unit tests for StakerRewards: every path and every revert, each next to its success path.

Every revert test also checks that the refused call changed nothing (the cluster's figures are re-checked
against the model afterwards). Check values of the per-second exit maths are literal numbers, computed by
hand from docs/protocol.md §2's daily VC prices.
"""

import boa
import pytest
from eth.exceptions import Revert
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rewards.rewards_helpers import (
    CHECK_VCS,
    DAY,
    ETH,
    MAX_DURATION,
    ZERO,
    balance,
    c,
    deploy_world,
    helper,
    now,
)
from tests.utils.deployers import deployer_for
from tests.utils.logs import event_names, events, logs_named
from tests.utils.seats import seats_hash

CHECK_DAYS = [100, 100, 150, 200]
SHORT = [(10**15, 3), (2 * 10**15, 5), (3 * 10**15, 4), (4 * 10**15, 7)]  # min 3 days


def check_terms():
    return list(zip(CHECK_VCS, CHECK_DAYS, strict=True))


def all_checks(world, models):
    for m in models:
        world.check_cluster(m)
    world.check_balance(models, world.stakers + [world.non_owner])


# ------------------------------------------------------------ deployment and set_manager


def test_constructor(world):
    r = world.rewards
    assert r.AUCTION() == world.auction
    assert r.ESCROW() == world.escrow.address
    assert r.owner() == world.owner
    assert r.manager() == world.manager.address
    assert r.byz_nft() == world.nft.address


def test_constructor_rejects_zero_addresses(world):
    with boa.reverts("staker_rewards: zero auction"):
        deployer_for("staker_rewards").deploy(ZERO, world.escrow)
    with boa.reverts("staker_rewards: zero escrow"):
        deployer_for("staker_rewards").deploy(world.auction, ZERO)


def test_set_manager(world):
    owner = world.owner
    r = deployer_for("staker_rewards").deploy(world.auction, world.escrow, sender=owner)
    with boa.reverts("ownable: caller is not the owner"):
        r.set_manager(world.manager, sender=world.non_owner)
    with boa.reverts("staker_rewards: zero manager"):
        r.set_manager(ZERO, sender=owner)
    r.set_manager(world.manager, sender=owner)
    assert events(r.get_logs(), "ManagerSet") == [
        {"manager": world.manager.address, "byz_nft": world.nft.address}
    ]
    with boa.reverts("staker_rewards: manager already set"):
        r.set_manager(world.manager, sender=owner)


def test_set_manager_rejects_manager_without_nft(world):
    r = deployer_for("staker_rewards").deploy(world.auction, world.escrow, sender=world.owner)
    bare = helper("ManagerHarness").deploy(ZERO)
    with boa.reverts("staker_rewards: zero byz_nft"):
        r.set_manager(bare, sender=world.owner)


def test_rejects_plain_eth(world):
    with pytest.raises(Revert):
        boa.env.raw_call(world.rewards.address, value=1, sender=world.non_owner)


# ------------------------------------------------------------ fund_cluster


def test_fund_cluster_commits_to_the_seats(world):
    m = world.fund(check_terms())
    assert (
        event_names(world.escrow.get_logs()) == []
    )  # the Auction's ClusterSettled is the settlement's event
    assert m.funded == 401_830_136_986_301_050
    r = world.rewards
    assert r.status(m.cid) == c.STREAM_FUNDED
    # one word: the status and the hash of the seats
    assert bytes(r.commitment(m.cid)) == seats_hash(m.seat_args())
    assert r.check_seats(m.cid, m.seat_args())
    assert r.held(m.cid, m.seat_args()) == m.funded == balance(r)
    for i, s in enumerate(m.seats):
        info = r.get_seat(m.cid, m.seat_args(), i)
        assert (info.bid_id, info.operator, info.vc, info.days, info.end) == (
            s.bid_id,
            s.operator,
            s.vc,
            s.days,
            0,
        )
    with boa.reverts("staker_rewards: no such seat"):
        r.get_seat(m.cid, m.seat_args(), 4)
    all_checks(world, [m])


def test_every_operation_checks_the_seats(world):
    """Seats other than the committed ones are refused by every function that takes them, changing nothing:
    another order, one seat fewer, another price, days or operator, or another cluster's seats."""
    m, other = world.fund(SHORT), world.fund(SHORT, first_operator=4)
    seats = m.seat_args()
    bid, op, vc, days = seats[0]
    wrong = [
        [seats[1], seats[0], *seats[2:]],
        seats[:-1],
        [(bid, op, vc + 1, days), *seats[1:]],
        [(bid, op, vc, days + 1), *seats[1:]],
        [(bid, world.non_owner, vc, days), *seats[1:]],
        [(bid + 1000, op, vc, days), *seats[1:]],
        other.seat_args(),
    ]
    r, manager = world.rewards, world.manager.address
    for w in wrong:
        for fn, args, kwargs in (
            (r.start_stream, (m.cid, w), {"sender": manager}),
            (r.cancel_cluster, (m.cid, w, ZERO), {"sender": manager}),
            (r.accounting, (m.cid, w), {}),
            (r.held, (m.cid, w), {}),
            (r.coverage, (m.cid, w), {}),
            (r.get_seat, (m.cid, w, 0), {}),
            (r.check_seats, (m.cid, w), {}),
        ):
            with boa.reverts("staker_rewards: seats do not match"):
                fn(*args, **kwargs)
    world.stake(m, world.stakers[0])
    boa.env.time_travel(seconds=DAY)
    module = world.module_of(m)
    for w in wrong:
        for fn, args, kwargs in (
            (r.renew, (m.cid, w, 0, 1, MAX_DURATION), {"value": vc, "sender": world.auction}),
            (r.expire, (m.cid, w), {"sender": world.non_owner}),
            (r.end_stream, (m.cid, w, now()), {"sender": module}),
            (r.charge_slashing, (m.cid, w, now()), {"sender": module}),
        ):
            with boa.reverts("staker_rewards: seats do not match"):
                fn(*args, **kwargs)
    all_checks(world, [m, other])


def test_fund_cluster_seven_seats(world):
    terms = [(10**15 + i, 10 + i) for i in range(c.MAX_CLUSTER_SIZE)]
    m = world.fund(terms)
    assert [world.rewards.get_seat(m.cid, m.seat_args(), i).bid_id for i in range(7)] == [
        s.bid_id for s in m.seats
    ]
    world.stake(m, world.stakers[0])
    boa.env.time_travel(seconds=12 * DAY)
    credits = world.expire(m, world.non_owner)
    assert credits == [(10 + i - 10) * (10**15 + i) for i in range(7)]
    assert world.escrow.calls() == 1
    all_checks(world, [m])


def test_fund_cluster_only_escrow(world):
    with boa.reverts("staker_rewards: caller is not the escrow"):
        world.rewards.fund_cluster(1, [(1, world.operators[0], 10, 1)], value=10, sender=world.auction)


@pytest.mark.parametrize(
    "terms, value, reason",
    [
        ([], 0, "staker_rewards: empty cluster"),
        ([(5, 0)], 0, "staker_rewards: zero duration"),
        ([(5, 2)], 11, "staker_rewards: wrong amount"),
        ([(5, 2)], 9, "staker_rewards: wrong amount"),
        ([(5, 2), (1, 1)], 10, "staker_rewards: wrong amount"),
    ],
)
def test_fund_cluster_bad_input(world, terms, value, reason):
    seats = [(i + 1, world.operators[0], vc, days) for i, (vc, days) in enumerate(terms)]
    with boa.reverts(reason):
        world.escrow.release(9, seats, value=value, sender=world.auction)
    assert world.rewards.status(9) == c.STREAM_NONE and balance(world.rewards) == 0


def test_fund_cluster_zero_operator(world):
    with boa.reverts("staker_rewards: zero operator"):
        world.escrow.release(9, [(1, ZERO, 5, 2)], value=10, sender=world.auction)


def test_fund_cluster_once(world):
    m = world.fund(SHORT)
    with boa.reverts("staker_rewards: already funded"):
        world.escrow.release(m.cid, [(1, world.operators[0], 10, 1)], value=10, sender=world.auction)
    all_checks(world, [m])


# ------------------------------------------------------------ start_stream


def test_start_stream(world):
    m = world.fund(check_terms())
    world.stake(m, world.stakers[0])
    t0 = now()
    assert events(world.rewards.get_logs(), "StreamStarted") == [
        {"cluster_id": m.cid, "rate": 2_935_671_232_876_710, "start": t0, "end": t0 + 100 * DAY}
    ]
    s = world.rewards.get_stream(m.cid)
    assert (s.status, s.rate, s.start, s.end, s.min_duration) == (
        c.STREAM_STREAMING,
        2_935_671_232_876_710,
        t0,
        t0 + 100 * DAY,
        100,
    )
    assert world.rewards.get_seat(m.cid, m.seat_args(), 3).end == t0 + 200 * DAY
    all_checks(world, [m])


def test_start_stream_reverts(world):
    m = world.fund(SHORT)
    with boa.reverts("staker_rewards: caller is not the manager"):
        world.rewards.start_stream(m.cid, m.seat_args(), sender=world.non_owner)
    with boa.env.prank(world.manager.address), boa.reverts("staker_rewards: cluster not funded"):
        world.rewards.start_stream(999, m.seat_args())
    world.stake(m, world.stakers[0])
    with boa.env.prank(world.manager.address), boa.reverts("staker_rewards: cluster not pending"):
        world.rewards.start_stream(m.cid, m.seat_args())
    all_checks(world, [m])


# ------------------------------------------------------------ claim


def test_claim_accrues_per_second(world):
    m = world.fund(check_terms())
    world.stake(m, world.stakers[0])
    staker = world.stakers[0]
    before = balance(staker)
    boa.env.time_travel(seconds=12_345)
    # 2 935 671 232 876 710 * 12 345 // 86 400 = 419 453 398 362 758
    assert world.rewards.claimable(m.cid) == 419_454_414_003_043
    assert world.claim(m, staker) == 419_454_414_003_043
    assert events(world.rewards.get_logs(), "RewardsClaimed") == [
        {
            "cluster_id": m.cid,
            "holder": staker,
            "caller": staker,
            "to": staker,
            "amount": 419_454_414_003_043,
        }
    ]
    assert balance(staker) - before == 419_454_414_003_043
    # nothing more in the same second: 0 without event
    assert world.claim(m, staker) == 0
    assert logs_named(world.rewards, "RewardsClaimed") == []
    boa.env.time_travel(seconds=DAY)
    assert world.claim(m, staker) == m.rate * (12_345 + DAY) // DAY - 419_454_414_003_043
    all_checks(world, [m])


def test_claim_capped_at_end_without_expire(world):
    m = world.fund(SHORT)
    world.stake(m, world.stakers[0])
    boa.env.time_travel(seconds=30 * DAY)
    assert world.claim(m, world.stakers[0]) == m.rate * 3
    boa.env.time_travel(seconds=DAY)
    assert world.claim(m, world.stakers[0]) == 0
    all_checks(world, [m])


def test_claim_to_another_address(world):
    m = world.fund(SHORT)
    world.stake(m, world.stakers[0])
    boa.env.time_travel(seconds=DAY)
    before = balance(world.stakers[2])
    assert world.claim(m, world.stakers[0], to=world.stakers[2]) == m.rate
    assert balance(world.stakers[2]) - before == m.rate
    all_checks(world, [m])


def test_claim_by_strategy_module_pays_holder(world):
    m = world.fund(SHORT)
    module = world.non_owner
    world.stake(m, world.stakers[0])
    world.manager.set_module(m.cid, module)
    boa.env.time_travel(seconds=DAY)
    before = balance(world.stakers[0])
    assert world.claim(m, module) == m.rate
    assert balance(world.stakers[0]) - before == m.rate
    all_checks(world, [m])


def test_claim_reverts(world):
    m = world.fund(SHORT)
    with boa.reverts("staker_rewards: stream not started"):
        world.rewards.claim(m.cid, sender=world.stakers[0])
    world.stake(m, world.stakers[0])
    boa.env.time_travel(seconds=DAY)
    with boa.reverts("staker_rewards: caller is not the holder"):
        world.rewards.claim(m.cid, sender=world.non_owner)
    all_checks(world, [m])


def test_claim_to_rejecting_holder_blocks_only_itself(world, holder_deployer):
    m1, m2 = world.fund(SHORT), world.fund(SHORT, first_operator=4)
    holder = holder_deployer(world.rewards)
    world.stake(m1, holder.address)
    world.stake(m2, world.stakers[1])
    holder.set_mode(False, False, m1.cid)
    boa.env.time_travel(seconds=10 * DAY)
    with boa.reverts():
        holder.claim(m1.cid)
    # nobody else waits for it: the other staker claims, anyone expires, operators are credited
    assert world.claim(m2, world.stakers[1]) == m2.rate * 3
    credits = world.expire(m1, world.non_owner)
    for s, credit in zip(m1.seats, credits, strict=True):
        assert world.escrow.claimable(s.operator) == credit
        assert world.escrow.bond_locked(s.bid_id)  # until the validator's exit is proven
    holder.set_mode(True, False, m1.cid)
    assert holder.claim(m1.cid) == m1.rate * 3 == holder.received()
    m1.accounted += m1.rate * 3
    all_checks(world, [m1, m2])


def test_claim_reentrancy_blocked(world, holder_deployer):
    m = world.fund(SHORT)
    holder = holder_deployer(world.rewards)
    world.stake(m, holder.address)
    holder.set_mode(True, True, m.cid)
    boa.env.time_travel(seconds=DAY)
    with boa.reverts():
        holder.claim(m.cid)
    holder.set_mode(True, False, m.cid)
    assert holder.claim(m.cid) == m.rate


# ------------------------------------------------------------ sales (ByzNft transfers)


def test_sale_credits_seller_and_buyer_earns_from_then(world):
    m = world.fund(check_terms())
    seller, buyer = world.stakers[0], world.stakers[1]
    world.stake(m, seller)
    boa.env.time_travel(seconds=3 * DAY + 7)
    expected = m.rate * (3 * DAY + 7) // DAY
    assert world.transfer(m, buyer) == expected
    assert events(world.nft.get_logs(), "SaleCredited") == [
        {"cluster_id": m.cid, "seller": seller, "buyer": buyer, "amount": expected}
    ]
    assert world.rewards.credit_of(seller) == expected == world.rewards.total_credit()
    assert world.rewards.claimable(m.cid) == 0
    # the seller can no longer claim; the buyer gets only what accrued since the sale
    boa.env.time_travel(seconds=DAY)
    with boa.reverts("staker_rewards: caller is not the holder"):
        world.rewards.claim(m.cid, sender=seller)
    since = m.rate * (4 * DAY + 7) // DAY - expected
    assert world.claim(m, buyer) == since
    all_checks(world, [m])
    # the seller withdraws its credit to any address, once
    before = balance(world.non_owner)
    assert world.rewards.withdraw_credit(world.non_owner, sender=seller) == expected
    assert events(world.rewards.get_logs(), "CreditWithdrawn") == [
        {"account": seller, "to": world.non_owner, "amount": expected}
    ]
    assert balance(world.non_owner) - before == expected
    with boa.reverts("staker_rewards: no credit"):
        world.rewards.withdraw_credit(seller, sender=seller)
    all_checks(world, [m])


def test_sale_by_safe_transfer_and_by_approved_operator(world):
    m = world.fund(SHORT)
    seller, buyer, agent = world.stakers[0], world.stakers[1], world.stakers[2]
    world.stake(m, seller)
    boa.env.time_travel(seconds=DAY)
    world.nft.approve(agent, m.cid, sender=seller)
    world.nft.safeTransferFrom(seller, buyer, m.cid, sender=agent)
    assert world.rewards.credit_of(seller) == m.rate
    m.accounted += m.rate
    m.credited += m.rate
    boa.env.time_travel(seconds=DAY)
    world.nft.safeTransferFrom(buyer, seller, m.cid, b"", sender=buyer)
    assert world.rewards.credit_of(buyer) == m.rate
    m.accounted += m.rate
    m.credited += m.rate
    all_checks(world, [m])


def test_sale_before_stream_and_after_close(world):
    m = world.fund(SHORT)
    seller, buyer = world.stakers[0], world.stakers[1]
    world.mint(m.cid, seller)  # minted at stake, stream starts only at confirmation
    boa.env.time_travel(seconds=DAY)
    assert world.transfer(m, buyer) == 0
    assert world.rewards.credit_of(seller) == 0
    world.start(m)
    boa.env.time_travel(seconds=10 * DAY)
    world.expire(m, world.non_owner)
    # after the close the seller is credited what accrued until the end
    assert world.transfer(m, seller) == m.rate * 3
    assert world.rewards.credit_of(buyer) == m.rate * 3
    all_checks(world, [m])


def test_on_transfer_only_byz_nft(world):
    m = world.fund(SHORT)
    world.stake(m, world.stakers[0])
    boa.env.time_travel(seconds=DAY)
    with boa.reverts("staker_rewards: caller is not the byz_nft"):
        world.rewards.on_transfer(m.cid, world.stakers[0], world.non_owner, sender=world.stakers[0])
    all_checks(world, [m])


def test_withdraw_credit_zero_recipient(world):
    with boa.reverts("staker_rewards: zero recipient"):
        world.rewards.withdraw_credit(ZERO, sender=world.stakers[0])


# ------------------------------------------------------------ end_stream (exit)


def test_end_stream_refunds_unserved_seconds(world):
    m = world.fund(check_terms())
    world.stake(m, world.stakers[0])
    boa.env.time_travel(seconds=10 * DAY + 12_345)
    credits = world.end_stream(m)
    # vc_i * (days_i * 86 400 - 876 345) // 86 400, by hand
    assert credits == [
        65_583_386_986_301_357,
        67_769_499_885_844_676,
        103_210_721_423_135_320,
        135_490_361_948_249_551,
    ]
    staker_total = 29_776_166_742_770_143  # 2 935 671 232 876 710 * 876 345 // 86 400
    assert m.dust == 3
    assert events(world.rewards.get_logs(), "StreamEnded") == [
        {
            "cluster_id": m.cid,
            "stop": now(),
            "staker_total": staker_total,
            "refunded": sum(credits),
            "dust": 3,
        }
    ]
    assert staker_total + sum(credits) + 3 == m.funded
    for s, credit in zip(m.seats, credits, strict=True):
        assert world.escrow.claimable(s.operator) == credit
        assert world.escrow.bonds_of(s.operator) == c.BOND
        assert not world.escrow.bond_locked(s.bid_id)
    assert balance(world.escrow) == sum(credits)
    # the stream stopped: nothing accrues any more, the holder still claims what accrued
    boa.env.time_travel(seconds=5 * DAY)
    assert world.claim(m, world.stakers[0]) == staker_total
    all_checks(world, [m])
    assert world.rewards.held(m.cid, m.seat_args()) == 3  # only the dust is left


def test_end_stream_after_the_end_equals_expiry(world):
    m = world.fund(SHORT)
    world.stake(m, world.stakers[0])
    boa.env.time_travel(seconds=4 * DAY)
    credits = world.end_stream(m)
    assert credits == [0, 2 * 2 * 10**15, 1 * 3 * 10**15, 4 * 4 * 10**15]
    assert m.dust == 0 and world.rewards.status(m.cid) == c.STREAM_ENDED
    all_checks(world, [m])


def test_end_stream_reverts(world):
    m = world.fund(SHORT)
    seats, module = m.seat_args(), world.module_of(m)
    with boa.env.prank(module), boa.reverts("staker_rewards: not streaming"):
        world.rewards.end_stream(m.cid, seats, now())
    world.stake(m, world.stakers[0])
    for caller in (world.stakers[0], world.manager.address):  # the cluster's module only
        with boa.reverts("staker_rewards: caller is not the cluster's module"):
            world.rewards.end_stream(m.cid, seats, now(), sender=caller)
    boa.env.time_travel(seconds=DAY)
    world.end_stream(m)
    with boa.env.prank(module), boa.reverts("staker_rewards: not streaming"):
        world.rewards.end_stream(m.cid, seats, now())
    with boa.reverts("staker_rewards: not streaming"):
        world.rewards.expire(m.cid, seats, sender=world.non_owner)
    all_checks(world, [m])


@settings(max_examples=25, deadline=None)
@given(elapsed=st.integers(0, 7 * DAY), vcs=st.lists(st.integers(1, 10**18), min_size=4, max_size=4))
def test_end_stream_exact_at_any_second(world, elapsed, vcs):
    m = world.fund(list(zip(vcs, [3, 5, 4, 7], strict=True)))
    world.stake(m, world.stakers[0])
    boa.env.time_travel(seconds=elapsed)
    credits = world.end_stream(m)
    assert world.escrow.returned() == sum(credits)
    assert 0 <= m.dust <= 4
    world.claim(m, world.stakers[0])
    all_checks(world, [m])


def test_end_stream_stops_at_the_exit_epoch_not_at_the_proof(world):
    """The exit epoch's time may be before the proof (proven late) or after it (exit scheduled)."""
    m1, m2 = world.fund(check_terms()), world.fund(check_terms(), first_operator=4)
    world.stake(m1, world.stakers[0])
    world.stake(m2, world.stakers[1])
    t0 = now()
    boa.env.time_travel(seconds=20 * DAY)
    credits1 = world.end_stream(m1, exit_time=t0 + 10 * DAY)  # proven 10 days late: those are refunded
    assert world.rewards.get_stream(m1.cid).end == t0 + 10 * DAY
    assert credits1 == [s.vc * (s.days - 10) for s in m1.seats]
    credits2 = world.end_stream(m2, exit_time=t0 + 25 * DAY)  # the exit epoch is 5 days ahead: it streams on
    assert credits2 == [s.vc * (s.days - 25) for s in m2.seats]
    all_checks(world, [m1, m2])
    boa.env.time_travel(seconds=5 * DAY)
    assert world.claim(m2, world.stakers[1]) == 25 * m2.rate
    boa.env.time_travel(seconds=DAY)
    assert world.rewards.claimable(m2.cid) == 0
    all_checks(world, [m1, m2])


def test_expiry_keeps_the_bonds_until_the_exit_is_proven(world):
    """Expiry returns the unused credits alone; the proven exit then unlocks the bonds, credits 0: nothing
    is refunded twice, and the per-cluster identity holds through both."""
    m = world.fund(check_terms())
    world.stake(m, world.stakers[0])
    boa.env.time_travel(seconds=100 * DAY)
    credits = world.expire(m, world.non_owner)
    for s, credit in zip(m.seats, credits, strict=True):
        assert world.escrow.claimable(s.operator) == credit
        assert world.escrow.bond_locked(s.bid_id) and world.escrow.bonds_of(s.operator) == 0
    returned = world.escrow.returned()
    all_checks(world, [m])
    boa.env.time_travel(seconds=30 * DAY)  # the validator still runs, the holder exits later
    assert world.end_stream(m) == [0, 0, 0, 0]
    assert events(world.rewards.get_logs(), "BondsUnlocked") == [{"cluster_id": m.cid}]
    assert world.rewards.status(m.cid) == c.STREAM_ENDED
    assert world.escrow.returned() == returned  # no second refund
    for s, credit in zip(m.seats, credits, strict=True):
        assert world.escrow.claimable(s.operator) == credit
        assert not world.escrow.bond_locked(s.bid_id) and world.escrow.bonds_of(s.operator) == c.BOND
    assert world.claim(m, world.stakers[0]) == 100 * m.rate
    all_checks(world, [m])
    with boa.env.prank(world.module_of(m)), boa.reverts("staker_rewards: not streaming"):
        world.rewards.end_stream(m.cid, m.seat_args(), now())


# ------------------------------------------------------------ expire


def test_expire(world):
    m = world.fund(check_terms())
    world.stake(m, world.stakers[0])
    with boa.reverts("staker_rewards: credits not exhausted"):
        world.rewards.expire(m.cid, m.seat_args(), sender=world.non_owner)
    boa.env.time_travel(seconds=100 * DAY - 1)
    with boa.reverts("staker_rewards: credits not exhausted"):
        world.rewards.expire(m.cid, m.seat_args(), sender=world.non_owner)
    boa.env.time_travel(seconds=1)
    credits = world.expire(m, world.non_owner)
    assert credits == [0, 0, 50 * CHECK_VCS[2], 100 * CHECK_VCS[3]]
    assert events(world.rewards.get_logs(), "ClusterExpired") == [
        {
            "cluster_id": m.cid,
            "caller": world.non_owner,
            "staker_total": 100 * m.rate,
            "refunded": sum(credits),
            "dust": 0,
        }
    ]
    assert world.rewards.status(m.cid) == c.STREAM_EXPIRED
    with boa.reverts("staker_rewards: not streaming"):
        world.rewards.expire(m.cid, m.seat_args(), sender=world.non_owner)
    assert world.claim(m, world.stakers[0]) == 100 * m.rate
    all_checks(world, [m])
    assert world.rewards.held(m.cid, m.seat_args()) == 0 and balance(world.rewards) == 0


def test_expire_reverts_before_stream(world):
    m = world.fund(SHORT)
    with boa.reverts("staker_rewards: not streaming"):
        world.rewards.expire(m.cid, m.seat_args(), sender=world.non_owner)


# ------------------------------------------------------------ cancel_cluster (dissolution, front-run)


def test_cancel_dissolution_returns_prices_and_bonds_to_operators(world):
    m = world.fund(check_terms())
    world.cancel(m)
    assert events(world.rewards.get_logs(), "ClusterCancelled") == [
        {"cluster_id": m.cid, "refunded": m.funded, "bond_to": ZERO}
    ]
    for s in m.seats:
        assert world.escrow.claimable(s.operator) == s.vc * s.days
        assert world.escrow.bonds_of(s.operator) == c.BOND
    assert world.rewards.status(m.cid) == c.STREAM_CANCELLED
    all_checks(world, [m])
    assert balance(world.rewards) == 0


def test_cancel_frontrun_bonds_to_staker(world):
    m = world.fund(SHORT)
    staker = world.stakers[0]
    world.mint(m.cid, staker)
    world.cancel(m, bond_to=staker)
    assert world.escrow.bonds_of(staker) == 4 * c.BOND
    for s in m.seats:
        assert world.escrow.claimable(s.operator) == s.vc * s.days
        assert world.escrow.bonds_of(s.operator) == 0
    # nothing streams for a cancelled cluster; a later transfer credits nothing
    assert world.transfer(m, world.stakers[1]) == 0
    with boa.reverts("staker_rewards: stream not started"):
        world.rewards.claim(m.cid, sender=world.stakers[1])
    all_checks(world, [m])


def test_cancel_reverts(world):
    m = world.fund(SHORT)
    with boa.reverts("staker_rewards: caller is not the manager"):
        world.rewards.cancel_cluster(m.cid, m.seat_args(), ZERO, sender=world.non_owner)
    with boa.env.prank(world.manager.address), boa.reverts("staker_rewards: cluster not funded"):
        world.rewards.cancel_cluster(999, m.seat_args(), ZERO)
    world.cancel(m)
    with boa.env.prank(world.manager.address), boa.reverts("staker_rewards: cluster not pending"):
        world.rewards.cancel_cluster(m.cid, m.seat_args(), ZERO)
    with boa.env.prank(world.manager.address), boa.reverts("staker_rewards: cluster not pending"):
        world.rewards.start_stream(m.cid, m.seat_args())
    m2 = world.fund(SHORT)
    world.stake(m2, world.stakers[0])
    with boa.env.prank(world.manager.address), boa.reverts("staker_rewards: cluster not pending"):
        world.rewards.cancel_cluster(m2.cid, m2.seat_args(), ZERO)
    all_checks(world, [m, m2])


# ------------------------------------------------------------ renew


def test_renew_moves_end_to_new_smallest_seat_end_rate_unchanged(world):
    m = world.fund(SHORT)  # days 3, 5, 4, 7: end at 3 days
    world.stake(m, world.stakers[0])
    t0, rate = now(), m.rate
    boa.env.time_travel(seconds=DAY)
    # renewing a seat that is not the smallest does not move the end
    world.renew(m, 3, 2)
    assert world.rewards.get_stream(m.cid).end == t0 + 3 * DAY
    # the smallest seat +3 days -> 6 days; the new smallest end is seat 2's (4 days)
    world.renew(m, 0, 3)
    logs = world.rewards.get_logs()
    assert events(logs, "SeatRenewed") == [
        {
            "cluster_id": m.cid,
            "index": 0,
            "seat": m.seat_args()[0],  # the renewed seat, as the seats now are (6 days)
            "days": 3,
            "amount": 3 * 10**15,
            "seat_end": t0 + 6 * DAY,
            "cluster_end": t0 + 4 * DAY,
        }
    ]
    s = world.rewards.get_stream(m.cid)
    assert s.end == t0 + 4 * DAY and s.rate == rate
    assert world.rewards.get_seat(m.cid, m.seat_args(), 0).days == 6
    all_checks(world, [m])
    # the staker earns at the same rate until the new end; the renewed days beyond it are refunded
    boa.env.time_travel(seconds=10 * DAY)
    credits = world.expire(m, world.non_owner)
    assert credits == [2 * 10**15 * 1, 2 * 10**15 * 1, 0, 4 * 10**15 * 5]
    assert world.claim(m, world.stakers[0]) == 4 * rate
    all_checks(world, [m])
    assert world.rewards.held(m.cid, m.seat_args()) == 0


def test_renewed_days_are_refunded_at_exit(world):
    m = world.fund(check_terms())
    world.stake(m, world.stakers[0])
    boa.env.time_travel(seconds=DAY)
    world.renew(m, 0, 10)
    boa.env.time_travel(seconds=9 * DAY + 12_345)
    credits = world.end_stream(m)
    # seat 0 paid 110 days from the start; 10 days + 12 345 s were served
    assert credits[0] == CHECK_VCS[0] * (110 * DAY - 876_345) // DAY == 72_882_017_123_287_657
    assert credits[1:] == [67_769_499_885_844_676, 103_210_721_423_135_320, 135_490_361_948_249_551]
    all_checks(world, [m])


def test_renew_max_duration_bound(world):
    m = world.fund(SHORT)
    world.stake(m, world.stakers[0])
    with boa.reverts("staker_rewards: past max duration"):
        world.rewards.renew(m.cid, m.seat_args(), 0, 8, 10, value=8 * 10**15, sender=world.auction)
    world.renew(m, 0, 7, max_duration=10)  # exactly max_duration days from the start
    assert world.rewards.get_seat(m.cid, m.seat_args(), 0).days == 10
    with boa.reverts("staker_rewards: past max duration"):
        world.rewards.renew(m.cid, m.seat_args(), 0, 1, 10, value=10**15, sender=world.auction)
    all_checks(world, [m])


def test_renew_reverts(world):
    m = world.fund(SHORT)
    a = world.auction
    with boa.reverts("staker_rewards: not streaming"):
        world.rewards.renew(m.cid, m.seat_args(), 0, 1, MAX_DURATION, value=10**15, sender=a)
    world.stake(m, world.stakers[0])
    with boa.reverts("staker_rewards: caller is not the auction"):
        world.rewards.renew(m.cid, m.seat_args(), 0, 1, MAX_DURATION, value=10**15, sender=world.operators[0])
    with boa.reverts("staker_rewards: no such seat"):
        world.rewards.renew(m.cid, m.seat_args(), 4, 1, MAX_DURATION, value=10**15, sender=a)
    with boa.reverts("staker_rewards: zero days"):
        world.rewards.renew(m.cid, m.seat_args(), 0, 0, MAX_DURATION, value=0, sender=a)
    for wrong in (10**15 - 1, 10**15 + 1, 0):
        with boa.reverts("staker_rewards: wrong amount"):
            world.rewards.renew(m.cid, m.seat_args(), 0, 1, MAX_DURATION, value=wrong, sender=a)
    all_checks(world, [m])
    boa.env.time_travel(seconds=3 * DAY)
    with boa.reverts("staker_rewards: stream ended"):
        world.rewards.renew(m.cid, m.seat_args(), 0, 1, MAX_DURATION, value=10**15, sender=a)
    world.expire(m, world.non_owner)
    with boa.reverts("staker_rewards: not streaming"):
        world.rewards.renew(m.cid, m.seat_args(), 0, 1, MAX_DURATION, value=10**15, sender=a)
    all_checks(world, [m])


# ------------------------------------------------------------ independence and the balance identity


def test_clusters_are_independent(world):
    m1, m2, m3 = world.fund(SHORT), world.fund(check_terms()), world.fund(SHORT, first_operator=4)
    world.stake(m1, world.stakers[0])
    world.stake(m2, world.stakers[1])
    boa.env.time_travel(seconds=DAY + 5)
    world.end_stream(m1)
    world.renew(m2, 1, 4)
    world.cancel(m3)
    boa.env.time_travel(seconds=DAY)
    world.transfer(m2, world.stakers[2])
    all_checks(world, [m1, m2, m3])
    assert world.claim(m1, world.stakers[0]) == m1.rate * (DAY + 5) // DAY
    all_checks(world, [m1, m2, m3])


# ------------------------------------------------------------ ByzNft wiring


def test_byz_nft_staker_rewards_setter(world):
    nft = deployer_for("byz_nft").deploy(sender=world.owner)
    with boa.reverts("ownable: caller is not the owner"):
        nft.set_staker_rewards(world.rewards, sender=world.non_owner)
    with boa.reverts("byz_nft: staker rewards is the zero address"):
        nft.set_staker_rewards(ZERO, sender=world.owner)
    nft.set_staker_rewards(world.rewards, sender=world.owner)
    assert events(nft.get_logs(), "StakerRewardsSet") == [{"staker_rewards": world.rewards.address}]
    assert nft.staker_rewards() == world.rewards.address
    with boa.reverts("byz_nft: staker rewards already set"):
        nft.set_staker_rewards(world.rewards, sender=world.owner)


def test_byz_nft_transfer_checks_unchanged(world):
    m = world.fund(SHORT)
    world.stake(m, world.stakers[0])
    with boa.reverts("erc721: caller is not token owner or approved"):
        world.nft.transferFrom(world.stakers[0], world.non_owner, m.cid, sender=world.non_owner)
    with boa.reverts("erc721: transfer from incorrect owner"):
        world.nft.transferFrom(world.stakers[1], world.non_owner, m.cid, sender=world.stakers[0])
    with boa.reverts("erc721: transfer to the zero address"):
        world.nft.transferFrom(world.stakers[0], ZERO, m.cid, sender=world.stakers[0])
    with boa.reverts():  # StakerRewards has no onERC721Received
        world.nft.safeTransferFrom(world.stakers[0], world.rewards.address, m.cid, sender=world.stakers[0])
    assert world.nft.ownerOf(m.cid) == world.stakers[0]


def test_fresh_world_deploys():
    w = deploy_world()
    assert w.nft.staker_rewards() == w.rewards.address
    assert balance(w.rewards) == 0 and ETH == 10**18
