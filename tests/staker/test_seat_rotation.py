"""Seats that rotate without an exit (docs/protocol.md §10 "Seats that rotate"): a seat of a staked cluster is
auctioned alone (`SeatRotation.open_rotation`: the Auction's `take_seat`, StakerRewards' `rotate_seat`), the
new set reshares the key (deploy/reshare.py) and registers its new public shares, checked on chain against
the validator's unchanged key (`complete_rotation`), or forfeits the missing ones' bonds to the holder after
the time-out (`forfeit`). Every figure is checked to the wei, with the Escrow's and StakerRewards' identities
after each step."""

from __future__ import annotations

import boa
import pytest
from eth.exceptions import Revert
from eth_utils import keccak

from deploy.hints import BookMirror
from deploy.keys import g1_point, generate_threshold_key
from deploy.protocol import deploy
from deploy.reshare import reshare
from tests.staker.exits import activate, conserved, prove, prove_exit, request_exit, wait_for_exit_window
from tests.staker.losses import checkpoint_at, report
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
from tests.utils.actors import actor
from tests.utils.constants import c
from tests.utils.logs import events
from tests.utils.seats import seats_of

BOND = c.BOND
ZERO = "0x" + "00" * 20


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


def current_shares(rotation, cid) -> list[bytes]:
    return [rotation.current_share_hash(cid, i) for i in range(1, 5)]


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
    assert [s.days for i, s in enumerate(rotated) if i != 1] == [
        s.days - k for i, s in enumerate(seats) if i != 1
    ]
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


def test_the_reshared_key_completes_the_rotation(protocol, world, non_owner):
    """The stayers deal (deploy/reshare.py), every operator of the new set registers its new share, and
    anyone completes: the shares give the validator's unchanged key, the leaver's bond unlocks."""
    w, rotation = world, protocol.seat_rotation
    cid, leaver = w["cid"], w["seats"][1]
    key = cluster_key(protocol, cid)
    formation = [protocol.cluster_keys.share_hash(cid, i) for i in range(1, 5)]
    assert formation == [keccak(g1_point(s)) for s in key.public_share_list()]
    assert current_shares(rotation, cid) == formation and rotation.current_round(cid) == 0
    open_rotation(protocol, cid, 1, leaver.operator)
    new = reshared_key(key, 1)
    assert new.distributed_public_key == key.distributed_public_key
    shares = new.public_share_list()
    register_shares(protocol, cid, shares)
    logs = rotation.get_logs()
    assert events(logs, "ShareRegistered")[0]["round"] == 1
    assert all(rotation.share_hash(cid, i + 1) != bytes(32) for i in range(4))
    assert rotation.share_hash(cid, 0) == rotation.share_hash(cid, 8) == bytes(32)
    assert current_shares(rotation, cid) == formation  # registered, not completed: the formation's
    before = protocol.escrow.claimable(leaver.operator)
    with boa.env.prank(non_owner):
        rotation.complete_rotation(cid, *complete_args(protocol, cid, shares))
    assert events(rotation.get_logs(), "RotationCompleted") == [
        {"cluster_id": cid, "round": 1, "caller": non_owner, "leaver_bid": leaver.bid_id}
    ]
    assert protocol.escrow.claimable(leaver.operator) - before == BOND
    assert protocol.escrow.held(leaver.bid_id) == 0 and not protocol.escrow.is_locked(leaver.bid_id)
    assert rotation.rotation(cid).status == c.ROTATION_RESHARED
    first = [keccak(g1_point(s)) for s in shares]
    assert current_shares(rotation, cid) == first and rotation.current_round(cid) == 1
    assert [protocol.cluster_keys.share_hash(cid, i) for i in range(1, 5)] == formation  # kept
    assert rotation.current_share_hash(cid, 0) == rotation.current_share_hash(cid, 8) == bytes(32)
    with boa.reverts("seat_rotation: no rotation open"):
        rotation.complete_rotation(cid, *complete_args(protocol, cid, shares))
    identities(protocol, w)

    # a second round, from the reshared key: the newcomer leaves in its turn
    boa.env.time_travel(seconds=DAY)
    late = actor("operator", label="late newcomer")
    w["bids"].append(newcomer_bid(protocol.auction, late, discount_rate=600))
    w["accounts"].append(late)
    assert open_rotation(protocol, cid, 1, w["newcomer"]).operator == late
    assert rotation.rotation(cid).round == 2
    assert rotation.share_hash(cid, 1) == bytes(32)  # the new round starts empty
    assert current_shares(rotation, cid) == first  # round 1's until round 2 completes
    assert rotation.rotation(cid).reshared_round == 1
    again = reshared_key(new, 1, seed="round 2").public_share_list()
    register_shares(protocol, cid, again)
    rotation.complete_rotation(cid, *complete_args(protocol, cid, again))
    assert rotation.rotation(cid).status == c.ROTATION_RESHARED
    assert current_shares(rotation, cid) == [keccak(g1_point(s)) for s in again]
    assert rotation.current_round(cid) == 2
    assert protocol.escrow.held(w["bid"]) == 0  # the first newcomer's bond unlocked in its turn
    identities(protocol, w)


def test_completion_refuses_any_set_but_the_reshared_one(protocol, world):
    """A share from another ceremony, a stayer's old share mixed with the new ones, a missing or changed
    share, another key, a key fewer than t shares give: each refused, changing nothing."""
    w, rotation = world, protocol.seat_rotation
    cid, leaver = w["cid"], w["seats"][1]
    key = cluster_key(protocol, cid)
    open_rotation(protocol, cid, 1, leaver.operator)
    shares = reshared_key(key, 1).public_share_list()
    seats = seats_of(protocol, cid)

    register_shares(protocol, cid, shares, skip={2})
    with boa.reverts("seat_rotation: share missing"):
        rotation.complete_rotation(cid, *complete_args(protocol, cid, shares))
    with boa.reverts("seat_rotation: one share point per seat"):
        rotation.complete_rotation(cid, seats, g1_point(key.distributed_public_key), [g1_point(shares[0])])

    # a stayer registers its old share: old and new do not mix
    mixed = [*shares[:2], key.public_share_list()[2], shares[3]]
    register_shares(protocol, cid, mixed)
    with boa.reverts("seat_rotation: shares do not give the group key"):
        rotation.complete_rotation(cid, *complete_args(protocol, cid, mixed))
    with boa.reverts("seat_rotation: share differs from its registration"):
        rotation.complete_rotation(cid, *complete_args(protocol, cid, shares))

    # a share from another ceremony (the same indices, another secret)
    other = generate_threshold_key(4, 3, seed="another ceremony").public_share_list()
    foreign = [*shares[:3], other[3]]
    register_shares(protocol, cid, foreign)
    with boa.reverts("seat_rotation: shares do not give the group key"):
        rotation.complete_rotation(cid, *complete_args(protocol, cid, foreign))

    # the whole set of another key, claimed for that key: not the validator's
    register_shares(protocol, cid, other)
    with boa.reverts("bls: x does not match"):
        rotation.complete_rotation(
            cid,
            *complete_args(
                protocol,
                cid,
                other,
                pubkey=generate_threshold_key(4, 3, "another ceremony").distributed_public_key,
            ),
        )

    # a key that t - 1 shares give (a 2-of-4 resharing): refused, as at registration
    weak = reshared_key_with_threshold(key, 2).public_share_list()
    register_shares(protocol, cid, weak)
    with boa.reverts("seat_rotation: fewer shares than the threshold give the group key"):
        rotation.complete_rotation(cid, *complete_args(protocol, cid, weak))

    assert rotation.rotation(cid).status == c.ROTATION_OPEN
    assert protocol.escrow.is_locked(leaver.bid_id)
    register_shares(protocol, cid, shares)
    rotation.complete_rotation(cid, *complete_args(protocol, cid, shares))
    assert rotation.rotation(cid).status == c.ROTATION_RESHARED


def reshared_key_with_threshold(key, threshold):
    return reshare(key, range(1, 5), threshold, seed="weak", dealers=[1, 3, 4])


def test_share_registration_checks(protocol, world, non_owner):
    w, rotation = world, protocol.seat_rotation
    cid, leaver = w["cid"], w["seats"][1]
    share = cluster_key(protocol, cid).public_share_list()[0]
    seats = seats_of(protocol, cid)
    with boa.env.prank(seats[0].operator), boa.reverts("seat_rotation: no rotation open"):
        rotation.register_share(cid, seats, share, g1_point(share))
    open_rotation(protocol, cid, 1, leaver.operator)
    seats = seats_of(protocol, cid)
    with boa.env.prank(non_owner), boa.reverts("seat_rotation: caller holds no seat"):
        rotation.register_share(cid, seats, share, g1_point(share))
    with boa.env.prank(leaver.operator), boa.reverts("seat_rotation: caller holds no seat"):
        rotation.register_share(cid, seats, share, g1_point(share))
    with boa.env.prank(seats[0].operator), boa.reverts("staker_rewards: seats do not match"):
        rotation.register_share(cid, w["seats"], share, g1_point(share))
    other = cluster_key(protocol, cid).public_share_list()[1]
    with boa.env.prank(seats[0].operator), boa.reverts("bls: x does not match"):
        rotation.register_share(cid, seats, share, g1_point(other))
    with boa.env.prank(w["newcomer"]):
        rotation.register_share(cid, seats, share, g1_point(share))
        rotation.register_share(cid, seats, other, g1_point(other))
    (log,) = events(rotation.get_logs(), "ShareRegistered")
    assert log == {
        "cluster_id": cid,
        "round": 1,
        "operator": w["newcomer"],
        "index": 2,
        "share": other,
        "share_point": g1_point(other),
        "replaced": True,
    }


def test_forfeit_after_the_time_out(protocol, world, non_owner):
    """Two of the new set register, two do not: after RESHARE_TIMEOUT anyone forfeits the missing ones'
    bonds to the holder; the leaver's bond unlocks; the holder can still exit, and the close finds the
    emptied bonds."""
    w, rotation, escrow = world, protocol.seat_rotation, protocol.escrow
    cid, leaver, holder = w["cid"], w["seats"][1], w["holder"]
    open_rotation(protocol, cid, 1, leaver.operator)
    deadline = rotation.rotation(cid).deadline
    seats = seats_of(protocol, cid)
    shares = reshared_key(cluster_key(protocol, cid), 1).public_share_list()
    register_shares(protocol, cid, shares, skip={0, 1})
    boa.env.time_travel(seconds=deadline - 1 - now())
    with boa.reverts("seat_rotation: reshare time-out not reached"):
        rotation.forfeit(cid, seats)
    boa.env.time_travel(seconds=1)
    holder_before, leaver_before = escrow.claimable(holder), escrow.claimable(leaver.operator)
    with boa.env.prank(non_owner):
        assert rotation.forfeit(cid, seats) == 2 * BOND
    logs = rotation.get_logs()
    assert events(logs, "RotationFailed") == [
        {
            "cluster_id": cid,
            "round": 1,
            "caller": non_owner,
            "failed_bids": [seats[0].bid_id, seats[1].bid_id],
            "forfeited": 2 * BOND,
        }
    ]
    assert [e["amount"] for e in events(logs, "BondForfeited")] == [BOND, BOND]
    assert escrow.claimable(holder) - holder_before == 2 * BOND
    assert escrow.claimable(leaver.operator) - leaver_before == BOND
    assert [escrow.held(s.bid_id) for s in seats] == [0, 0, BOND, BOND]
    assert all(escrow.is_locked(s.bid_id) for s in seats)
    assert rotation.rotation(cid).status == c.ROTATION_FAILED
    # the key never moved: the current shares are still the formation's
    assert rotation.current_round(cid) == 0
    assert current_shares(rotation, cid) == [protocol.cluster_keys.share_hash(cid, i) for i in range(1, 5)]
    with boa.reverts("seat_rotation: no rotation open"):
        rotation.forfeit(cid, seats)
    assert protocol.staker_rewards.coverage(cid, seats).bonds_locked == 2 * BOND
    identities(protocol, w)

    # the holder exits as always: the close unlocks what the bonds still hold
    activation = activate(protocol, cid, w["module"])
    wait_for_exit_window(protocol, activation)
    request_exit(protocol, w["module"], holder)
    prove_exit(protocol, cid, w["module"], activation)
    assert [escrow.held(s.bid_id) for s in seats] == [0, 0, 0, 0]
    assert conserved(protocol.staker_rewards, cid)
    identities(protocol, w)


def test_forfeit_every_bond_when_the_registered_shares_never_agree(protocol, world):
    """Every share registered but no completion (one of them wrong, and no public check says which): the
    whole new set's bonds go to the holder."""
    w, rotation, escrow = world, protocol.seat_rotation, protocol.escrow
    cid, holder = w["cid"], w["holder"]
    open_rotation(protocol, cid, 1, w["seats"][1].operator)
    seats = seats_of(protocol, cid)
    shares = reshared_key(cluster_key(protocol, cid), 1).public_share_list()
    register_shares(protocol, cid, [*shares[:3], cluster_key(protocol, cid).public_share_list()[3]])
    boa.env.time_travel(seconds=c.RESHARE_TIMEOUT)
    before = escrow.claimable(holder)
    assert rotation.forfeit(cid, seats) == 4 * BOND
    assert escrow.claimable(holder) - before == 4 * BOND
    identities(protocol, w)


def test_anyone_rotates_a_seat_about_to_end(protocol, world, non_owner):
    """Seat 0 (100 days) is not renewed while the others are: from ROTATION_NOTICE before its end anyone
    auctions it; it serves to the handover and the newcomer's seat runs to the longest seat's end."""
    w, auction, sr = world, protocol.auction, protocol.staker_rewards
    cid, seats = w["cid"], w["seats"]
    for seat in seats[1:]:
        with boa.env.prank(seat.operator):
            auction.renew(cid, seats_of(protocol, cid), 50, value=50 * seat.vc)
    seats = seats_of(protocol, cid)
    start = sr.get_stream(cid).start
    notice = start + seats[0].days * DAY - c.ROTATION_NOTICE
    boa.env.time_travel(seconds=notice - 1 - now())
    with boa.env.prank(non_owner), boa.reverts("seat_rotation: seat not ending"):
        protocol.seat_rotation.open_rotation(cid, seats, 0)
    boa.env.time_travel(seconds=1)
    k = (now() - start + DAY - 1) // DAY
    new_seat = open_rotation(protocol, cid, 0, non_owner)
    assert new_seat.days == max(s.days for s in seats) - k
    (log,) = events(protocol.seat_rotation.get_logs(), "RotationOpened")
    assert log["caller"] == non_owner and log["index"] == 0 and tuple(log["leaver"]) == tuple(seats[0])
    assert sr.get_stream(cid).end == start + min(s.days for s in seats[1:]) * DAY
    identities(protocol, w)


def test_opening_refusals(protocol, world, non_owner, owner):
    """Each refusal of `open_rotation` names itself and changes nothing."""
    w, rotation, sr = world, protocol.seat_rotation, protocol.staker_rewards
    cid, seats = w["cid"], w["seats"]
    op1 = seats[1].operator
    with boa.env.prank(op1), boa.reverts("staker_rewards: seats do not match"):
        rotation.open_rotation(cid, seats[::-1], 1)
    with boa.env.prank(op1), boa.reverts("seat_rotation: no such seat"):
        rotation.open_rotation(cid, seats, 4)
    with boa.env.prank(non_owner), boa.reverts("seat_rotation: seat not ending"):
        rotation.open_rotation(cid, seats, 1)
    with boa.env.prank(op1), boa.reverts("seat_rotation: cluster not staked"):
        rotation.open_rotation(cid + 1, seats, 1)
    with boa.env.prank(owner):
        protocol.auction.pause()
    with boa.env.prank(op1), boa.reverts("auction: paused"):
        rotation.open_rotation(cid, seats, 1)
    with boa.env.prank(owner):
        protocol.auction.unpause()
    with boa.env.prank(w["newcomer"]):
        protocol.auction.withdraw_bid(w["bid"])
    with boa.env.prank(op1), boa.reverts("seat_rotation: no bid outside the cluster"):
        rotation.open_rotation(cid, seats, 1)
    newcomer_bid(protocol.auction, w["newcomer"])

    # during seat 3's last day (the shortest), a handover would end it with the cluster's stream
    assert seats[3].days == min(s.days for s in seats)
    start = sr.get_stream(cid).start
    boa.env.time_travel(seconds=start + (seats[3].days - 1) * DAY + 1 - now())
    with boa.env.prank(op1), boa.reverts("seat_rotation: another seat ends by the handover"):
        rotation.open_rotation(cid, seats, 1)
    open_rotation(protocol, cid, 3, seats[3].operator)
    with boa.env.prank(op1), boa.reverts("seat_rotation: a rotation is open"):
        rotation.open_rotation(cid, seats_of(protocol, cid), 1)


def test_opening_after_the_end(protocol, world):
    """Once the stream's end has passed the cluster expires as before: no rotation, and `expire` works."""
    w, rotation, sr = world, protocol.seat_rotation, protocol.staker_rewards
    cid, seats = w["cid"], w["seats"]
    boa.env.time_travel(seconds=sr.get_stream(cid).end - now())
    with boa.env.prank(seats[0].operator), boa.reverts("seat_rotation: stream ended"):
        rotation.open_rotation(cid, seats, 0)
    sr.expire(cid, seats)
    with boa.env.prank(seats[0].operator), boa.reverts("seat_rotation: not streaming"):
        rotation.open_rotation(cid, seats, 0)


def test_the_holder_is_never_blocked(protocol, world):
    """During an open rotation, before its handover: the holder claims (nothing new yet, no revert), sells,
    and exits; the close pays the new seats back; the rotation still resolves afterwards."""
    w, sr, escrow = world, protocol.staker_rewards, protocol.escrow
    cid, holder, module = w["cid"], w["holder"], w["module"]
    activation = activate(protocol, cid, module)
    wait_for_exit_window(protocol, activation)
    stream = sr.get_stream(cid)
    boa.env.time_travel(seconds=stream.start + ((now() - stream.start) // DAY + 1) * DAY + DAY // 2 - now())
    open_rotation(protocol, cid, 1, w["seats"][1].operator)
    assert sr.get_stream(cid).start > now()
    with boa.env.prank(holder):
        assert sr.claim(cid) == 0
    assert sr.claimable(cid) == 0
    buyer = actor("staker", label="buyer")
    w["accounts"].append(buyer)
    with boa.env.prank(holder):
        protocol.byz_nft.transferFrom(holder, buyer, cid)
    request_exit(protocol, module, buyer)
    seats = seats_of(protocol, cid)
    prove_exit(
        protocol, cid, module, activation, exit_epoch=(now() - protocol.manager.beacon_genesis_time()) // 384
    )
    assert sr.status(cid) == c.STREAM_ENDED
    assert conserved(sr, cid)
    assert [escrow.held(s.bid_id) for s in seats] == [0, 0, 0, 0]
    assert escrow.is_locked(w["seats"][1].bid_id)  # the leaver's waits for the rotation
    identities(protocol, w)
    boa.env.time_travel(seconds=c.RESHARE_TIMEOUT)
    assert protocol.seat_rotation.forfeit(cid, seats) == 0  # nothing left to forfeit
    assert not escrow.is_locked(w["seats"][1].bid_id)
    identities(protocol, w)


@pytest.mark.parametrize("resolution", ["forfeit", "complete"])
def test_a_slashing_during_an_open_rotation_charges_the_leaver(protocol, world, non_owner, resolution):
    """Until the new shares give the key only the old set holds it: a slashing proven while the rotation is
    open charges the current seats' bonds (the slashing itself, the newcomer's included) and, as the
    rotation resolves, the leaver's too, instead of unlocking it. `forfeit` may resolve it at once (nothing
    is left to reshare); a completion charges it the same way."""
    w, escrow, rotation = world, protocol.escrow, protocol.seat_rotation
    cid, leaver, holder, module = w["cid"], w["seats"][1], w["holder"], w["module"]
    open_rotation(protocol, cid, 1, leaver.operator)
    seats = seats_of(protocol, cid)
    shares = reshared_key(cluster_key(protocol, cid), 1).public_share_list()
    register_shares(protocol, cid, shares)
    before = escrow.claimable(holder)
    module.prove_slashing(
        seats, *prove(protocol, cid, b"slashed", exit_epoch=9, slashed=True), sender=non_owner
    )
    assert protocol.manager.cluster_status(cid) == c.CLUSTER_SLASHED
    assert escrow.claimable(holder) - before == 4 * BOND  # the current seats', the newcomer's included
    assert escrow.held(leaver.bid_id) == BOND and escrow.is_locked(leaver.bid_id)  # waits for the rotation
    identities(protocol, w)
    leaver_before = escrow.claimable(leaver.operator)
    with boa.env.prank(non_owner):
        if resolution == "forfeit":
            assert now() < rotation.rotation(cid).deadline
            assert rotation.forfeit(cid, seats) == 0  # the new set's bonds went with the slashing
        else:
            rotation.complete_rotation(cid, *complete_args(protocol, cid, shares))
    forfeited = events(rotation.get_logs(), "BondForfeited")
    assert forfeited == [{"bid_id": leaver.bid_id, "holder": holder, "amount": BOND}]
    assert escrow.claimable(holder) - before == 5 * BOND
    assert escrow.claimable(leaver.operator) == leaver_before
    assert escrow.held(leaver.bid_id) == 0 and not escrow.is_locked(leaver.bid_id)
    expected = c.ROTATION_FAILED if resolution == "forfeit" else c.ROTATION_RESHARED
    assert rotation.rotation(cid).status == expected
    identities(protocol, w)


# ---------------------------------------------------------------- the hooks and their guards


def test_only_the_seat_rotation_takes_a_seat_and_moves_its_bonds(protocol, world, non_owner):
    """The Auction's `take_seat`, StakerRewards' `rotate_seat` and the Escrow's `release_seat`,
    `unlock_bond` and `forfeit_bonds` refuse every other caller; the Escrow names the SeatRotation once, at
    initialization."""
    w, auction, escrow, sr = world, protocol.auction, protocol.escrow, protocol.staker_rewards
    cid, seats = w["cid"], w["seats"]
    assert escrow.seat_rotation() == protocol.seat_rotation.address
    with boa.env.prank(non_owner), boa.reverts("auction: caller is not the seat rotation"):
        auction.take_seat(cid, w["bid"], 10)
    with boa.env.prank(non_owner), boa.reverts("staker_rewards: caller is not the seat rotation"):
        sr.rotate_seat(cid, seats, 1, seats[1])
    with boa.env.prank(non_owner), boa.reverts("escrow: caller is not the auction"):
        escrow.release_seat(w["bid"], w["newcomer"], 0, 0, non_owner)
    with boa.env.prank(non_owner), boa.reverts("escrow: caller is not the seat rotation"):
        escrow.unlock_bond(seats[0].bid_id, seats[0].operator)
    with boa.env.prank(non_owner), boa.reverts("escrow: caller is not the seat rotation"):
        escrow.forfeit_bonds([seats[0].bid_id], non_owner)
    with boa.env.prank(non_owner), pytest.raises(Revert, match="seat_rotation: only the escrow pays in"):
        boa.env.raw_call(protocol.seat_rotation.address, value=1)
    with boa.reverts("seat_rotation: manager has no code"):
        deploy("seat_rotation", non_owner)


def test_an_escrow_without_a_seat_rotation_rotates_nothing(non_owner):
    """Initialized without a SeatRotation (the default), the Escrow names none: no caller matches it."""
    fresh = deploy("escrow")
    fresh.initialize(non_owner, non_owner)
    assert events(fresh.get_logs(), "Initialized") == [
        {"auction": non_owner, "staker_rewards": non_owner, "seat_rotation": ZERO}
    ]
    assert fresh.seat_rotation() == ZERO
    with boa.env.prank(non_owner), boa.reverts("escrow: caller is not the seat rotation"):
        fresh.unlock_bond(1, non_owner)


def test_take_seat_guards(protocol, world):
    """The Auction's own checks on what the SeatRotation asks (called as the SeatRotation)."""
    w, auction = world, protocol.auction
    rotation = protocol.seat_rotation.address
    other = actor("operator", label="second newcomer")
    second = newcomer_bid(auction, other, discount_rate=700)
    with boa.env.prank(rotation), boa.reverts("auction: days out of range"):
        auction.take_seat(w["cid"], second, 0)
    with boa.env.prank(rotation), boa.reverts("auction: days out of range"):
        auction.take_seat(w["cid"], second, 201)  # its duration is 200 days
    with boa.env.prank(rotation), boa.reverts("auction: bid not pending"):
        auction.take_seat(w["cid"], w["seats"][0].bid_id, 10)  # a winner's bid
    boa.env.set_balance(rotation, 0)
    with boa.env.prank(rotation):
        auction.take_seat(w["cid"], second, 10)
    (log,) = events(auction.get_logs(), "SeatTaken")
    seat = log["seat"]
    price, refund = seat.vc * 10, seat.vc * (200 - 10)
    assert log == {"cluster_id": w["cid"], "seat": seat, "price": price, "refund": refund}
    assert (seat.bid_id, seat.operator, seat.days) == (second, other, 10)
    assert auction.get_bid(second).status == c.BID_WON
    assert boa.env.get_balance(rotation) == seat.vc * 10


def test_rotate_seat_guards(protocol, world):
    """StakerRewards' own checks on what the SeatRotation hands it (called as the SeatRotation)."""
    w, sr = world, protocol.staker_rewards
    cid, seats = w["cid"], w["seats"]
    rotation = protocol.seat_rotation.address
    seat = seats[1]._replace(bid_id=w["bid"], operator=w["newcomer"], days=10)
    boa.env.set_balance(rotation, 100 * 10**18)
    with boa.env.prank(rotation):
        with boa.reverts("staker_rewards: no such seat"):
            sr.rotate_seat(cid, seats, 4, seat, value=seat.vc * 10)
        with boa.reverts("staker_rewards: zero duration"):
            sr.rotate_seat(cid, seats, 1, seat._replace(days=0))
        with boa.reverts("staker_rewards: zero operator"):
            sr.rotate_seat(cid, seats, 1, seat._replace(operator=ZERO), value=seat.vc * 10)
        with boa.reverts("staker_rewards: wrong amount"):
            sr.rotate_seat(cid, seats, 1, seat, value=seat.vc * 10 - 1)
        boa.env.time_travel(seconds=sr.get_stream(cid).start + (seats[3].days - 1) * DAY + 1 - now())
        with boa.reverts("staker_rewards: another seat ends by the handover"):
            sr.rotate_seat(cid, seats, 1, seat, value=seat.vc * 10)
        boa.env.time_travel(seconds=DAY)
        with boa.reverts("staker_rewards: stream ended"):
            sr.rotate_seat(cid, seats, 1, seat, value=seat.vc * 10)


def test_escrow_release_seat_guards(protocol, world):
    """The Escrow's own checks on what the Auction releases (called as the Auction)."""
    w, escrow = world, protocol.escrow
    held = escrow.held(w["bid"])
    with boa.env.prank(protocol.auction.address):
        with boa.reverts("escrow: amount exceeds held"):
            escrow.release_seat(w["bid"], w["newcomer"], held, 1, protocol.auction.address)
        with boa.reverts("escrow: bid already released"):
            escrow.release_seat(w["seats"][0].bid_id, w["seats"][0].operator, 0, 0, protocol.auction.address)
    with boa.env.prank(protocol.seat_rotation.address), boa.reverts("escrow: bond not locked"):
        escrow.unlock_bond(w["bid"], w["newcomer"])


def test_a_pending_loss_charge_defers_a_rotation(protocol, world, non_owner):
    """A loss charge in its challenge window is reserved on the current seats' bonds: no rotation until it
    is settled (or answered)."""
    w = world
    cid, module, seats = w["cid"], w["module"], w["seats"]
    activate(protocol, cid, module)
    boa.env.time_travel(seconds=DAY)
    checkpoint_at(protocol, module, 500_000_000)
    report(protocol, cid, module, non_owner)
    with boa.env.prank(seats[1].operator), boa.reverts("seat_rotation: loss charge pending"):
        protocol.seat_rotation.open_rotation(cid, seats, 1)
    boa.env.time_travel(seconds=c.CHALLENGE_WINDOW)
    module.settle_loss(seats)
    open_rotation(protocol, cid, 1, seats[1].operator)
    identities(protocol, w)


def test_the_book_mirror_follows_a_taken_seat(protocol, world):
    """deploy/hints.py's BookMirror follows `SeatTaken` (the bid leaves the book) as the Auction does."""
    auction = protocol.auction
    for i, op in enumerate(actor("operator", label=f"bidder{i}") for i in range(3)):
        newcomer_bid(auction, op, discount_rate=800 + i, duration=300)
    mirror = BookMirror.from_auction(auction)
    stayers = {s.operator for s in world["seats"][:3]}
    bid_id = next(b for b in auction.top_bids(8) if auction.get_bid(b).operator not in stayers)
    with boa.env.prank(protocol.seat_rotation.address):
        auction.take_seat(world["cid"], bid_id, 10)
        mirror.apply_logs(auction.get_logs())
    (seat,) = [log["seat"] for log in events(auction.get_logs(), "SeatTaken")]
    assert mirror.top(256) == auction.top_bids(256)
    assert seat.bid_id not in mirror.owner_of and seat.bid_id not in BookMirror.from_auction(auction).owner_of
