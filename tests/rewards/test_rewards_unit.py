"""Unit tests for StakerRewards: every function, every revert, each next to its success path."""

import boa
import pytest
from eth.exceptions import Revert

from tests.rewards.rewards_helpers import (
    BOND,
    DAY,
    ETHER,
    HELPERS,
    STATUS_EXPIRED,
    STATUS_FUNDED,
    STATUS_NONE,
    STATUS_STREAMING,
    deploy_world,
    load,
)


def events(contract, name):
    return [log for log in contract.get_logs() if type(log).__name__ == name]


def bal(contract):
    return boa.env.get_balance(contract.address)


def now():
    return boa.env.evm.patch.timestamp


def held_sum(world, cluster_ids):
    return sum(world.rewards.held(cid) for cid in cluster_ids)


# ------------------------------------------------------------ constructor and set_manager


def test_constructor(world):
    r = world.rewards
    assert r.AUCTION() == world.auction.address
    assert r.ESCROW() == world.escrow.address
    assert r.owner() == world.owner
    assert r.manager() == world.manager.address
    assert r.byz_nft() == world.nft.address


def test_constructor_rejects_zero_addresses(world):
    zero = "0x" + "00" * 20
    with boa.reverts("staker_rewards: zero auction"):
        load("staker/StakerRewards.vy", zero, world.escrow)
    with boa.reverts("staker_rewards: zero escrow"):
        load("staker/StakerRewards.vy", world.auction, zero)


def test_set_manager(world):
    owner = boa.env.generate_address()
    with boa.env.prank(owner):
        r = load("staker/StakerRewards.vy", world.auction, world.escrow)
    other = boa.env.generate_address()
    with boa.reverts("ownable: caller is not the owner"):
        r.set_manager(world.manager, sender=other)
    with boa.reverts("staker_rewards: zero manager"):
        r.set_manager("0x" + "00" * 20, sender=owner)

    r.set_manager(world.manager, sender=owner)
    (ev,) = events(r, "ManagerSet")
    assert ev.manager == world.manager.address and ev.byz_nft == world.nft.address
    assert r.manager() == world.manager.address
    assert r.byz_nft() == world.nft.address

    with boa.reverts("staker_rewards: manager already set"):
        r.set_manager(world.manager, sender=owner)


def test_set_manager_rejects_manager_without_nft(world):
    owner = boa.env.generate_address()
    with boa.env.prank(owner):
        r = load("staker/StakerRewards.vy", world.auction, world.escrow)
        harness = boa.load(str(HELPERS / "ManagerHarness.vy"), "0x" + "00" * 20)
        with boa.reverts("staker_rewards: zero byz_nft"):
            r.set_manager(harness)


def test_two_step_ownership(world):
    new = boa.env.generate_address()
    world.rewards.transfer_ownership(new, sender=world.owner)
    assert world.rewards.pending_owner() == new
    assert world.rewards.owner() == world.owner
    world.rewards.accept_ownership(sender=new)
    assert world.rewards.owner() == new


def test_rejects_plain_eth(world):
    with pytest.raises(Revert):
        boa.env.raw_call(world.rewards.address, value=1, sender=world.stakers[0])


# ------------------------------------------------------------ fund_cluster


def test_fund_cluster_only_escrow(world):
    with boa.reverts("staker_rewards: caller is not the escrow"):
        world.rewards.fund_cluster(0, value=1, sender=world.stakers[0])


def test_fund_cluster_through_settlement(world):
    before = bal(world.rewards)
    c = world.new_cluster()
    assert bal(world.rewards) - before == c.funded
    assert world.rewards.status(c.cluster_id) == STATUS_FUNDED
    assert world.rewards.held(c.cluster_id) == c.funded
    s = world.rewards.get_stream(c.cluster_id)
    assert (s.funded, s.rate, s.start, s.end, s.paid, s.claimable) == (c.funded, 0, 0, 0, 0, 0)


def test_fund_cluster_event_and_once(world):
    escrow = world.escrow.address
    boa.env.set_balance(escrow, boa.env.get_balance(escrow) + 10 * ETHER)
    cid = 1000
    world.rewards.fund_cluster(cid, value=123, sender=escrow)
    (ev,) = events(world.rewards, "ClusterFunded")
    assert (ev.cluster_id, ev.amount) == (cid, 123)
    assert world.rewards.status(cid) == STATUS_FUNDED
    with boa.reverts("staker_rewards: already funded"):
        world.rewards.fund_cluster(cid, value=123, sender=escrow)


def test_fund_cluster_zero_value_still_funds(world):
    escrow = world.escrow.address
    world.rewards.fund_cluster(77, value=0, sender=escrow)
    assert world.rewards.status(77) == STATUS_FUNDED
    with boa.reverts("staker_rewards: already funded"):
        world.rewards.fund_cluster(77, value=0, sender=escrow)


def test_fund_cluster_amount_bound(world):
    escrow = world.escrow.address
    boa.env.set_balance(escrow, 2**97)
    with boa.reverts("staker_rewards: amount too large"):
        world.rewards.fund_cluster(5, value=2**96, sender=escrow)
    world.rewards.fund_cluster(5, value=2**96 - 1, sender=escrow)
    assert world.rewards.held(5) == 2**96 - 1


# ------------------------------------------------------------ start_stream


def test_start_stream_only_manager(world):
    c = world.new_cluster()
    with boa.reverts("staker_rewards: caller is not the manager"):
        world.rewards.start_stream(c.cluster_id, sender=world.stakers[0])


def test_start_stream_not_funded(world):
    with boa.env.prank(world.manager.address), boa.reverts("staker_rewards: cluster not funded"):
        world.rewards.start_stream(0)


def test_start_stream(world):
    c = world.new_cluster([(0, 30), (500, 45), (1000, 100), (1500, 31)])
    t0 = now()
    with boa.env.prank(world.manager.address):
        world.nft.mint(world.stakers[0], c.cluster_id)
        world.rewards.start_stream(c.cluster_id)
    (ev,) = events(world.rewards, "StreamStarted")
    assert ev.cluster_id == c.cluster_id
    assert ev.rate == c.rate
    assert ev.start == t0
    assert ev.end == t0 + 30 * DAY
    assert ev.staker_total == c.rate * 30
    s = world.rewards.get_stream(c.cluster_id)
    assert s.status == STATUS_STREAMING
    assert (s.funded, s.rate, s.start, s.end, s.min_duration) == (c.funded, c.rate, t0, t0 + 30 * DAY, 30)
    assert (s.paid, s.accrued, s.claimable, s.held) == (0, 0, 0, c.funded)
    # the prices are exact multiples: staker total + credits == funded
    assert c.staker_total + sum(c.credits) == c.funded

    with boa.env.prank(world.manager.address), boa.reverts("staker_rewards: stream already started"):
        world.rewards.start_stream(c.cluster_id)


def test_start_stream_funding_mismatch(world):
    # A second StakerRewards whose "escrow" is an EOA: it can be funded with a wrong amount for a real
    # settled cluster, which start_stream must refuse.
    c = world.new_cluster()
    fake_escrow = boa.env.generate_address()
    boa.env.set_balance(fake_escrow, ETHER)
    owner = boa.env.generate_address()
    with boa.env.prank(owner):
        r = load("staker/StakerRewards.vy", world.auction, fake_escrow)
        r.set_manager(world.manager)
    r.fund_cluster(c.cluster_id, value=c.funded - 1, sender=fake_escrow)
    with boa.env.prank(world.manager.address), boa.reverts("staker_rewards: funding mismatch"):
        r.start_stream(c.cluster_id)

    r.fund_cluster(c.cluster_id + 1, value=c.funded, sender=fake_escrow)  # unknown cluster in the Auction
    with boa.env.prank(world.manager.address), boa.reverts("auction: unknown cluster"):
        r.start_stream(c.cluster_id + 1)


# ------------------------------------------------------------ claimable and claim


def test_claim_not_started(world):
    c = world.new_cluster()
    assert world.rewards.claimable(c.cluster_id) == 0
    with boa.reverts("staker_rewards: stream not started"):
        world.rewards.claim(c.cluster_id, sender=world.stakers[0])
    with boa.reverts("staker_rewards: stream not started"):
        world.rewards.claim(999, sender=world.stakers[0])


def test_claim_only_holder_or_module(world):
    c = world.new_cluster()
    staker = world.stakers[0]
    world.stake(c.cluster_id, staker)
    boa.env.time_travel(seconds=DAY)
    with boa.reverts("staker_rewards: caller is not the holder"):
        world.rewards.claim(c.cluster_id, sender=world.stakers[1])
    before = boa.env.get_balance(staker)
    assert world.rewards.claim(c.cluster_id, sender=staker) == c.rate
    assert boa.env.get_balance(staker) - before == c.rate


def test_claim_by_strategy_module_pays_holder(world):
    c = world.new_cluster()
    staker, module = world.stakers[0], boa.env.generate_address("module")
    world.stake(c.cluster_id, staker, module=module)
    boa.env.time_travel(seconds=3 * DAY + 5)
    expected = c.accrued(3 * DAY + 5)
    before_staker, before_module = boa.env.get_balance(staker), boa.env.get_balance(module)
    assert world.rewards.claim(c.cluster_id, sender=module) == expected
    (ev,) = events(world.rewards, "RewardsClaimed")
    assert (ev.cluster_id, ev.holder, ev.caller, ev.amount) == (c.cluster_id, staker, module, expected)
    assert boa.env.get_balance(staker) - before_staker == expected
    assert boa.env.get_balance(module) == before_module


def test_claim_accrues_per_second(world):
    c = world.new_cluster([(1234, 17), (0, 30), (700, 100), (1499, 3650)])
    staker = world.stakers[0]
    world.stake(c.cluster_id, staker)
    paid = 0
    elapsed = 0
    for step in [1, 59, 3600, DAY - 1, 7 * DAY + 13, 1, 333_333]:
        boa.env.time_travel(seconds=step)
        elapsed += step
        expected = c.accrued(elapsed) - paid
        assert world.rewards.claimable(c.cluster_id) == expected
        assert world.rewards.claim(c.cluster_id, sender=staker) == expected
        if expected:
            (ev,) = events(world.rewards, "RewardsClaimed")
            assert ev.amount == expected
        paid += expected
        assert paid == c.rate * elapsed // DAY
        s = world.rewards.get_stream(c.cluster_id)
        assert s.paid == paid and s.accrued == paid and s.claimable == 0
        assert world.rewards.held(c.cluster_id) == c.funded - paid
        assert bal(world.rewards) >= world.rewards.held(c.cluster_id)


def test_claim_nothing_returns_zero(world):
    c = world.new_cluster()
    staker = world.stakers[0]
    world.stake(c.cluster_id, staker)
    before = boa.env.get_balance(staker)
    assert world.rewards.claim(c.cluster_id, sender=staker) == 0
    assert events(world.rewards, "RewardsClaimed") == []
    assert boa.env.get_balance(staker) == before


def test_claim_capped_at_end(world):
    c = world.new_cluster([(0, 30), (0, 40), (0, 50), (0, 60)])
    staker = world.stakers[0]
    world.stake(c.cluster_id, staker)
    boa.env.time_travel(seconds=30 * DAY - 1)
    assert world.rewards.claimable(c.cluster_id) == c.rate * (30 * DAY - 1) // DAY
    boa.env.time_travel(seconds=1)
    assert world.rewards.claimable(c.cluster_id) == c.staker_total
    boa.env.time_travel(seconds=365 * DAY)
    assert world.rewards.claim(c.cluster_id, sender=staker) == c.staker_total
    assert world.rewards.claim(c.cluster_id, sender=staker) == 0
    assert world.rewards.held(c.cluster_id) == c.funded - c.staker_total == sum(c.credits)


def test_nft_transfer_mid_stream_new_holder_gets_all_unclaimed(world):
    """Documented behaviour: claim pays the *current* holder everything unclaimed, including what
    accrued under the previous holder. A seller must claim before transferring."""
    c = world.new_cluster()
    alice, bob = world.stakers[0], world.stakers[1]
    world.stake(c.cluster_id, alice)
    boa.env.time_travel(seconds=2 * DAY)
    a_before = boa.env.get_balance(alice)
    assert world.rewards.claim(c.cluster_id, sender=alice) == 2 * c.rate
    assert boa.env.get_balance(alice) - a_before == 2 * c.rate

    boa.env.time_travel(seconds=DAY)  # accrues under alice, unclaimed
    world.transfer_nft(c.cluster_id, bob)
    boa.env.time_travel(seconds=DAY // 2)
    with boa.reverts("staker_rewards: caller is not the holder"):
        world.rewards.claim(c.cluster_id, sender=alice)
    b_before = boa.env.get_balance(bob)
    expected = c.accrued(3 * DAY + DAY // 2) - 2 * c.rate
    assert world.rewards.claim(c.cluster_id, sender=bob) == expected
    assert boa.env.get_balance(bob) - b_before == expected


def test_claim_to_rejecting_holder_blocks_only_itself(world, holder_deployer):
    c1 = world.new_cluster()
    c2 = world.new_cluster(first_operator=4)
    holder = holder_deployer(world.rewards)
    world.stake(c1.cluster_id, holder.address)
    world.stake(c2.cluster_id, world.stakers[1])
    holder.set_mode(False, False, c1.cluster_id)
    boa.env.time_travel(seconds=100 * DAY)
    with boa.reverts():
        holder.claim(c1.cluster_id)
    # others are not blocked: the other staker claims, anyone expires, operators get their refunds
    assert world.rewards.claim(c2.cluster_id, sender=world.stakers[1]) == c2.staker_total
    world.rewards.expire(c1.cluster_id)
    for op, credit in zip(c1.operators, c1.credits, strict=True):
        assert world.escrow.claimable(op) == credit + BOND
    op = c1.operators[-1]
    before = boa.env.get_balance(op)
    world.auction.claim_refund(sender=op)
    assert boa.env.get_balance(op) - before == c1.credits[-1] + BOND
    # once the holder accepts ETH it gets everything
    holder.set_mode(True, False, c1.cluster_id)
    assert holder.claim(c1.cluster_id) == c1.staker_total
    assert holder.received() == c1.staker_total
    assert world.rewards.held(c1.cluster_id) == 0


def test_claim_reentrancy_blocked(world, holder_deployer):
    c = world.new_cluster()
    holder = holder_deployer(world.rewards)
    world.stake(c.cluster_id, holder.address)
    holder.set_mode(True, True, c.cluster_id)
    boa.env.time_travel(seconds=DAY)
    with boa.reverts():
        holder.claim(c.cluster_id)
    holder.set_mode(True, False, c.cluster_id)
    assert holder.claim(c.cluster_id) == c.rate


# ------------------------------------------------------------ expire


def test_expire_not_started(world):
    c = world.new_cluster()
    with boa.reverts("staker_rewards: stream not started"):
        world.rewards.expire(c.cluster_id)
    with boa.reverts("staker_rewards: stream not started"):
        world.rewards.expire(12345)


def test_expire_before_end(world):
    c = world.new_cluster()
    world.stake(c.cluster_id, world.stakers[0])
    boa.env.time_travel(seconds=c.min_duration * DAY - 1)
    with boa.reverts("staker_rewards: credits not exhausted"):
        world.rewards.expire(c.cluster_id)
    boa.env.time_travel(seconds=1)
    world.rewards.expire(c.cluster_id)
    assert world.rewards.status(c.cluster_id) == STATUS_EXPIRED


def test_expire_returns_credits_and_bonds(world):
    c = world.new_cluster([(300, 40), (0, 35), (1500, 3650), (900, 35)])
    caller = boa.env.generate_address("anyone")
    world.stake(c.cluster_id, world.stakers[0])
    boa.env.time_travel(seconds=35 * DAY)
    escrow_before = bal(world.escrow)
    rewards_before = bal(world.rewards)
    world.rewards.expire(c.cluster_id, sender=caller)
    (ev,) = events(world.rewards, "ClusterExpired")
    returned = sum(c.credits)
    assert (ev.cluster_id, ev.caller, ev.staker_total, ev.returned) == (
        c.cluster_id,
        caller,
        c.staker_total,
        returned,
    )
    returned_events = events(world.rewards, "CreditsReturned")  # decoded Escrow events
    assert [(e.bid_id, e.credit, e.bond_unlocked) for e in returned_events] == [
        (b, cr, BOND) for b, cr in zip(c.bid_ids, c.credits, strict=True)
    ]
    assert returned > 0 and c.credits.count(0) == 2
    assert bal(world.rewards) == rewards_before - returned
    assert bal(world.escrow) == escrow_before + returned
    for op, credit in zip(c.operators, c.credits, strict=True):
        assert world.escrow.claimable(op) == credit + BOND
        # a winner whose duration exceeds the cluster's gets (days not served) x (daily VC price)
    vc = world.auction.get_bid(c.bid_ids[c.durations.index(3650)]).price // 3650
    assert c.credits[c.durations.index(3650)] == (3650 - 35) * vc

    s = world.rewards.get_stream(c.cluster_id)
    assert s.status == STATUS_EXPIRED
    assert s.held == c.staker_total == s.claimable
    with boa.reverts("staker_rewards: already expired"):
        world.rewards.expire(c.cluster_id)


def test_expire_then_claim(world):
    c = world.new_cluster()
    staker = world.stakers[2]
    world.stake(c.cluster_id, staker)
    boa.env.time_travel(seconds=10 * DAY + 7)
    first = world.rewards.claim(c.cluster_id, sender=staker)
    assert first == c.accrued(10 * DAY + 7)
    boa.env.time_travel(seconds=200 * DAY)
    world.rewards.expire(c.cluster_id)
    assert world.rewards.claimable(c.cluster_id) == c.staker_total - first
    before = boa.env.get_balance(staker)
    assert world.rewards.claim(c.cluster_id, sender=staker) == c.staker_total - first
    assert boa.env.get_balance(staker) - before == c.staker_total - first
    assert world.rewards.held(c.cluster_id) == 0
    assert world.rewards.claim(c.cluster_id, sender=staker) == 0


def test_claim_all_then_expire(world):
    c = world.new_cluster()
    staker = world.stakers[2]
    world.stake(c.cluster_id, staker)
    boa.env.time_travel(seconds=c.min_duration * DAY)
    assert world.rewards.claim(c.cluster_id, sender=staker) == c.staker_total
    world.rewards.expire(c.cluster_id)
    assert world.rewards.held(c.cluster_id) == 0
    assert bal(world.rewards) == 0


def test_expire_all_equal_durations_returns_only_bonds(world):
    c = world.new_cluster([(0, 30), (100, 30), (200, 30), (300, 30)])
    world.stake(c.cluster_id, world.stakers[0])
    boa.env.time_travel(seconds=30 * DAY)
    world.rewards.expire(c.cluster_id)
    (ev,) = events(world.rewards, "ClusterExpired")
    assert ev.returned == 0 and ev.staker_total == c.funded
    for op in c.operators:
        assert world.escrow.claimable(op) == BOND


def test_expire_seven_winners(world7):
    w = world7
    terms = [(100 * i, 20 + 7 * i) for i in range(7)]
    c = w.new_cluster(terms)
    assert len(c.bid_ids) == 7
    w.stake(c.cluster_id, w.stakers[0])
    boa.env.time_travel(seconds=c.min_duration * DAY)
    w.rewards.expire(c.cluster_id)
    (ev,) = events(w.rewards, "ClusterExpired")
    assert ev.returned == sum(c.credits)
    assert [e.bid_id for e in events(w.rewards, "CreditsReturned")] == c.bid_ids
    for op, credit in zip(c.operators, c.credits, strict=True):
        assert w.escrow.claimable(op) == credit + BOND
    assert w.rewards.claim(c.cluster_id, sender=w.stakers[0]) == c.staker_total
    assert bal(w.rewards) == 0


def test_operator_refunds_do_not_depend_on_staker(world):
    """The staker never claims; any operator expires the cluster and pulls credits + bond."""
    c = world.new_cluster([(0, 30), (0, 300), (0, 60), (0, 90)])
    world.stake(c.cluster_id, world.stakers[0])
    boa.env.time_travel(seconds=30 * DAY)
    op = c.operators[c.durations.index(300)]
    world.rewards.expire(c.cluster_id, sender=op)
    before = boa.env.get_balance(op)
    world.auction.claim_refund(sender=op)
    assert boa.env.get_balance(op) - before == 270 * (c.prices[c.durations.index(300)] // 300) + BOND
    assert world.rewards.held(c.cluster_id) == c.staker_total


# ------------------------------------------------------------ pre-created, never staked


def test_never_staked_cluster_keeps_its_funds(world):
    """Documented behaviour: a settled cluster nobody stakes keeps its funds here, attributed to it
    (held == funded, status FUNDED); nothing accrues, nobody can claim or expire it, and nothing is lost.
    Once a staker stakes it, however late, its stream runs for the full min_duration."""
    c = world.new_cluster()
    c2 = world.new_cluster(first_operator=4)
    world.stake(c2.cluster_id, world.stakers[1])
    boa.env.time_travel(seconds=10_000 * DAY)
    assert world.rewards.status(c.cluster_id) == STATUS_FUNDED
    assert world.rewards.held(c.cluster_id) == c.funded
    assert world.rewards.claimable(c.cluster_id) == 0
    with boa.reverts("staker_rewards: stream not started"):
        world.rewards.expire(c.cluster_id)
    with boa.reverts("staker_rewards: stream not started"):
        world.rewards.claim(c.cluster_id, sender=world.stakers[0])
    # the bonds stay locked in the Escrow meanwhile
    for bid_id in c.bid_ids:
        assert world.escrow.held(bid_id) == BOND
    # expiring and claiming the other cluster does not touch it
    world.rewards.claim(c2.cluster_id, sender=world.stakers[1])
    world.rewards.expire(c2.cluster_id)
    assert bal(world.rewards) == world.rewards.held(c.cluster_id) == c.funded

    world.stake(c.cluster_id, world.stakers[0])
    boa.env.time_travel(seconds=c.min_duration * DAY)
    assert world.rewards.claim(c.cluster_id, sender=world.stakers[0]) == c.staker_total
    world.rewards.expire(c.cluster_id)
    assert bal(world.rewards) == 0


def test_status_and_held_views(world):
    assert world.rewards.status(42) == STATUS_NONE
    assert world.rewards.held(42) == 0
    s = world.rewards.get_stream(42)
    assert tuple(s) == (0,) * 10


# ------------------------------------------------------------ isolation between clusters


def test_other_clusters_do_not_change_what_a_staker_is_owed(world):
    a = world.new_cluster([(0, 30), (0, 40), (0, 50), (0, 60)])
    world.stake(a.cluster_id, world.stakers[0])
    t_a = now()
    for k in range(3):
        boa.env.time_travel(seconds=5 * DAY + k)
        c = world.new_cluster([(100 * k, 10 + k), (50, 12), (0, 13), (1000, 90)], first_operator=k + 1)
        world.stake(c.cluster_id, world.stakers[1 + k % 3])
        boa.env.time_travel(seconds=13 * DAY)
        world.rewards.claim(c.cluster_id, sender=world.stakers[1 + k % 3])
        world.rewards.expire(c.cluster_id)
    elapsed = now() - t_a
    assert world.rewards.claimable(a.cluster_id) == a.accrued(elapsed)
    ids = range(world.auction.num_clusters())
    assert bal(world.rewards) == held_sum(world, ids)


@pytest.mark.parametrize("seconds", [1, 86_399, 86_400, 86_401])
def test_partial_day_rounding(world, seconds):
    c = world.new_cluster([(1, 31), (3, 37), (7, 41), (11, 43)])
    world.stake(c.cluster_id, world.stakers[0])
    boa.env.time_travel(seconds=seconds)
    assert world.rewards.claimable(c.cluster_id) == c.rate * seconds // DAY
    # the sub-wei dust stays in the "not yet accrued" part and vanishes at the end
    dust_numerator = c.rate * seconds % DAY
    assert 0 <= dust_numerator < DAY


def test_fresh_world_deploys(world):
    # deploy_world is also usable for custom configurations
    w = deploy_world(cluster_size=5, min_duration=1, max_duration=10)
    c = w.new_cluster([(0, 1), (0, 2), (0, 3), (0, 4), (0, 10)])
    assert c.min_duration == 1
    w.stake(c.cluster_id, w.stakers[0])
    boa.env.time_travel(seconds=DAY)
    w.rewards.expire(c.cluster_id)
    assert w.rewards.claim(c.cluster_id, sender=w.stakers[0]) == c.rate
