"""Seats that rotate without an exit (docs/protocol.md §10 "Seats that rotate"): a seat of a staked cluster is
auctioned alone (`SeatRotation.open_rotation`: the Auction's `take_seat`, StakerRewards' `rotate_seat`), the
new set reshares the key (deploy/reshare.py) and registers its new public shares, checked on chain against
the validator's unchanged key (`complete_rotation`), or forfeits the missing ones' bonds to the holder after
the time-out (`forfeit`). Every figure is checked to the wei, with the Escrow's and StakerRewards' identities
after each step."""

from __future__ import annotations

import boa
import pytest

from deploy.keys import g1_point, generate_threshold_key, threshold_of
from tests.staker.exits import activate, conserved, prove_exit, request_exit, wait_for_exit_window
from tests.staker.rotations import (
    DAY,
    check_identities,
    cluster_key,
    complete_args,
    newcomer_bid,
    now,
    open_rotation,
    register_shares,
    reshared_key,
)
from tests.utils.constants import c
from tests.utils.logs import event_names, events
from tests.utils.seats import seats_of

BOND = c.BOND


@pytest.fixture
def world(protocol, operators, stakers, confirmed_module):
    """A confirmed cluster of operators[:4] (stream started), 10.5 days into its stream, and a newcomer's bid
    (operators[4], the best outside the cluster). Returns a dict of the actors and ids."""
    cluster_id, module, holder = confirmed_module()
    newcomer = operators[4]
    bid = newcomer_bid(protocol.auction, newcomer)
    boa.env.time_travel(seconds=10 * DAY + DAY // 2)
    seats = seats_of(protocol, cluster_id)
    return {
        "cid": cluster_id,
        "module": module,
        "holder": holder,
        "newcomer": newcomer,
        "bid": bid,
        "seats": seats,
        "accounts": [*operators, *stakers],
        "bids": [s.bid_id for s in seats] + [bid],
    }


def identities(protocol, w):
    check_identities(protocol, [w["cid"]], w["bids"], w["accounts"])


def test_a_leaver_rotates_its_seat(protocol, world):
    """The operator of seat 1 leaves 10.5 days in: the handover is day 11; it gets its unserved days back
    (bond kept locked), the newcomer pays its price for the cluster's remaining days (the rest of its bid
    back, its bond locked), the holder is credited what accrued until the handover, and the stream restarts
    there at the new rate; deploy/seats.py follows the rotation."""
    sr, escrow, w = protocol.staker_rewards, protocol.escrow, world
    cid, seats, holder = w["cid"], w["seats"], w["holder"]
    leaver = seats[1]
    stream = sr.get_stream(cid)
    k = 11
    handover = stream.start + k * DAY
    vc_new = protocol.auction.get_bid(w["bid"]).price // 200
    horizon = max(s.days for s in seats) - k
    claimed = 0
    with boa.env.prank(holder):
        claimed = sr.claim(cid)
    identities(protocol, w)
    leaver_before = escrow.claimable(leaver.operator)
    newcomer_before = escrow.claimable(w["newcomer"])

    new_seat = open_rotation(protocol, cid, 1, leaver.operator)

    assert tuple(new_seat) == (w["bid"], w["newcomer"], vc_new, horizon)
    assert escrow.claimable(leaver.operator) - leaver_before == leaver.vc * (leaver.days - k)
    assert escrow.claimable(w["newcomer"]) - newcomer_before == vc_new * (200 - horizon)
    assert escrow.held(w["bid"]) == BOND and escrow.is_locked(w["bid"])
    assert escrow.held(leaver.bid_id) == BOND and escrow.is_locked(leaver.bid_id)
    banked = stream.rate * k
    assert sr.credit_of(holder) == banked - claimed
    rotated = seats_of(protocol, cid)
    assert [s.bid_id for s in rotated] == [seats[0].bid_id, w["bid"], seats[2].bid_id, seats[3].bid_id]
    assert [s.days for i, s in enumerate(rotated) if i != 1] == [s.days - k for i, s in enumerate(seats) if i != 1]
    after = sr.get_stream(cid)
    assert after.rate == stream.rate - leaver.vc + vc_new
    assert after.start == handover
    assert after.end == handover + min(s.days for s in rotated) * DAY
    assert after.claimable == 0 and after.accrued == banked
    a = sr.accounting(cid, rotated)
    assert a.rotated_in == vc_new * horizon
    assert a.funded == sum(s.vc * s.days for s in seats)
    assert a.refunded == leaver.vc * (leaver.days - k)
    rotation = protocol.seat_rotation.rotation(cid)
    assert (rotation.status, rotation.round, rotation.index) == (c.ROTATION_OPEN, 1, 1)
    assert (rotation.leaver_bid, rotation.leaver) == (leaver.bid_id, leaver.operator)
    assert (rotation.newcomer_bid, rotation.newcomer) == (w["bid"], w["newcomer"])
    assert rotation.deadline == now() + c.RESHARE_TIMEOUT
    identities(protocol, w)

    # the new rate streams from the handover
    boa.env.time_travel(seconds=handover + 3 * DAY - now())
    assert sr.claimable(cid) == after.rate * 3
    identities(protocol, w)
