"""StakerRewards inside the real suite (deploy_protocol): the real Auction settles and renews, the real Escrow
funds clusters with the seats' data and takes credits and bonds back, the real ByzNft (wired by
deploy_protocol) reports sales, and the real manager dissolves a cluster that was never staked.

The stream is started by pranking as the manager and ended by pranking as the cluster's StrategyModule,
exactly the calls `confirm_stake` and `prove_exit` make (tests/staker covers those flows with beacon-chain
proofs). Every call passes the cluster's seats, rebuilt from the settlement's event (`protocol.seats`)."""

import boa
import pytest

from tests.rewards.rewards_helpers import (
    balance,
    now,
)
from tests.utils.constants import DAY, c

TERMS = [(0, 30), (500, 45), (1000, 100), (1500, 60)]


@pytest.fixture(scope="module")
def cluster(protocol, operators, owner, place_bid, settle):
    """Settles one cluster of 4 operators with different durations (`pre_create`: through the manager's
    `pre_create_clusters`); returns (cid, seats) with seats in the order the Auction handed them to the
    Escrow: (bid_id, operator, price, duration)."""

    def run(pre_create=False):
        for op, (d, t) in zip(operators[:4], TERMS, strict=True):
            place_bid(op, d, t)
        if pre_create:
            (cid,) = protocol.manager.pre_create_clusters(1, sender=owner)
        else:
            cid = settle()
        seats = []
        for seat in protocol.seats(cid):
            b = protocol.auction.get_bid(seat.bid_id)
            assert (seat.operator, seat.vc * seat.days, seat.days) == (b.operator, b.price, b.duration)
            seats.append((seat.bid_id, b.operator, b.price, b.duration))
        return cid, seats

    return run


def start(protocol, cid, staker):
    """The staker's stake (keys registered, 32 ETH: its module deployed), then the stream started as
    `confirm_stake` starts it."""
    protocol.register_cluster_keys(cid, seed=f"rewards integration {cid}")
    protocol.manager.create_strategy_module_and_stake(value=c.STAKE_AMOUNT, sender=staker)
    with boa.env.prank(protocol.manager.address):
        protocol.staker_rewards.start_stream(cid, protocol.seats(cid))


def end(protocol, cid):
    """The validator's exit proven, its exit epoch now: the module ends the stream."""
    with boa.env.prank(protocol.manager.strategy_module_of(cid)):
        protocol.staker_rewards.end_stream(cid, protocol.seats(cid), boa.env.evm.patch.timestamp)


def test_settlement_hands_over_the_seats(protocol, cluster):
    sr = protocol.staker_rewards
    before = balance(sr)
    cid, seats = cluster()
    assert sr.status(cid) == c.STREAM_FUNDED
    assert balance(sr) - before == sum(p for _, _, p, _ in seats) == sr.held(cid, protocol.seats(cid))
    for i, (bid_id, op, price, duration) in enumerate(seats):
        s = sr.get_seat(cid, protocol.seats(cid), i)
        assert (s.bid_id, s.operator, s.vc * s.days, s.days) == (bid_id, op, price, duration)
    assert protocol.byz_nft.staker_rewards() == sr.address


def test_renew_sale_exit_and_refunds(protocol, cluster, stakers, non_owner):
    sr, auction, escrow, nft = protocol.staker_rewards, protocol.auction, protocol.escrow, protocol.byz_nft
    cid, seats = cluster(pre_create=True)
    staker, buyer = stakers[0], stakers[1]
    start(protocol, cid, staker)
    t0 = now()
    assert sr.status(cid) == c.STREAM_STREAMING and sr.get_stream(cid).end == t0 + 30 * DAY
    rate = sr.get_stream(cid).rate

    # the 30-day winner renews 20 days through the Auction: the end moves to the next smallest seat (45 days)
    seat = [d for *_, d in seats].index(30)
    _, op, price, _ = seats[seat]
    vc = price // 30
    auction.renew(cid, protocol.seats(cid), 20, value=20 * vc + 123, sender=op)  # excess returned
    (renewed,) = [log for log in auction.get_logs() if type(log).__name__ == "SeatRenewed"]
    assert (renewed.index, renewed.seat.days) == (seat, 50)
    assert protocol.seats(cid)[seat].days == 50  # the mirror applied the renewal: it matches the commitment
    assert sr.get_seat(cid, protocol.seats(cid), seat).days == 50
    with boa.reverts("staker_rewards: seats do not match"):  # the seats before the renewal are stale now
        sr.get_seat(
            cid, [s._replace(days=30) if i == seat else s for i, s in enumerate(protocol.seats(cid))], 0
        )
    assert sr.get_stream(cid).end == t0 + 45 * DAY and sr.get_stream(cid).rate == rate
    assert sr.accounting(cid, protocol.seats(cid)).renewals == 20 * vc

    # a sale after 10 days credits the seller
    boa.env.time_travel(seconds=10 * DAY)
    nft.transferFrom(staker, buyer, cid, sender=staker)
    assert sr.credit_of(staker) == rate * 10
    before = balance(non_owner)
    assert sr.withdraw_credit(non_owner, sender=staker) == rate * 10
    assert balance(non_owner) - before == rate * 10

    # exit after 10 days + 1 000 s: unserved seconds back to every winner, with its bond
    boa.env.time_travel(seconds=1_000)
    held_by_escrow = {op: escrow.claimable(op) for _, op, _, _ in seats}
    end(protocol, cid)
    served = 10 * DAY + 1_000
    assert sr.status(cid) == c.STREAM_ENDED
    for i, (_, op, price, duration) in enumerate(seats):
        days = protocol.seats(cid)[i].days
        credit = (price // duration) * (days * DAY - served) // DAY
        assert escrow.claimable(op) - held_by_escrow[op] == credit + c.BOND
    a = sr.accounting(cid, protocol.seats(cid))
    assert (
        a.paid_to_stakers + a.credited_to_stakers + a.claimable + a.refunded + a.dust == a.funded + a.renewals
    )
    assert a.unaccrued == 0 and a.dust <= 4

    # the buyer claims what accrued since the sale; the operator pulls its refund to another address
    assert sr.claim(cid, sender=buyer) == rate * served // DAY - rate * 10
    op = seats[0][1]
    due = escrow.claimable(op)
    before = balance(non_owner)
    auction.claim_refund(non_owner, sender=op)
    assert balance(non_owner) - before == due


def test_expire_through_the_real_escrow(protocol, cluster, stakers, non_owner):
    sr, escrow = protocol.staker_rewards, protocol.escrow
    cid, seats = cluster(pre_create=True)
    start(protocol, cid, stakers[0])
    boa.env.time_travel(seconds=30 * DAY)
    before = {op: escrow.claimable(op) for _, op, _, _ in seats}
    sr.expire(cid, protocol.seats(cid), sender=non_owner)
    assert sr.status(cid) == c.STREAM_EXPIRED
    for bid_id, op, price, duration in seats:  # the credits back, the bonds locked: the validator runs
        assert escrow.claimable(op) - before[op] == (price // duration) * (duration - 30)
        assert escrow.is_locked(bid_id)
    assert sr.claim(cid, sender=stakers[0]) == sr.get_stream(cid).rate * 30
    assert sr.held(cid, protocol.seats(cid)) == 0
    # the exit proven later: the bonds alone unlock, nothing is refunded twice
    boa.env.time_travel(seconds=10 * DAY)
    end(protocol, cid)
    assert sr.status(cid) == c.STREAM_ENDED
    for _, op, price, duration in seats:
        assert escrow.claimable(op) - before[op] == (price // duration) * (duration - 30) + c.BOND
    assert sr.held(cid, protocol.seats(cid)) == 0


def test_dissolution_returns_prices_and_bonds(protocol, cluster, owner):
    sr, escrow = protocol.staker_rewards, protocol.escrow
    cid, seats = cluster(pre_create=True)
    before = {op: escrow.claimable(op) for _, op, _, _ in seats}
    protocol.manager.dissolve_cluster(cid, protocol.seats(cid), sender=owner)
    assert sr.status(cid) == c.STREAM_CANCELLED
    for _, op, price, _ in seats:
        assert escrow.claimable(op) - before[op] == price + c.BOND
    assert sr.held(cid, protocol.seats(cid)) == 0
