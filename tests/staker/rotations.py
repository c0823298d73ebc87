"""Seats that rotate without an exit (docs/protocol.md §10 "Seats that rotate"), for the staker-side tests:
a confirmed cluster whose key the test knows, a newcomer's bid, the rotation's opening, the reshare
(deploy/reshare.py) and its registration, and the money identities around it, to the wei."""

from __future__ import annotations

import boa

from deploy.keys import cluster_registration, g1_point, threshold_of
from deploy.reshare import reshare
from tests.staker.conftest import seed_for
from tests.utils.constants import c
from tests.utils.seats import seats_of

DAY = c.SECONDS_PER_DAY


def now() -> int:
    return boa.env.evm.patch.timestamp


def cluster_key(protocol, cluster_id, attempt=0):
    """The threshold key the cluster's winners registered (`register` fixture: `seed_for(cluster_id)`)."""
    n = len(seats_of(protocol, cluster_id))
    return cluster_registration(
        bytes(protocol.manager.withdrawal_credentials(cluster_id)),
        n,
        seed=seed_for(cluster_id, attempt),
        fork_version=protocol.config["genesis_fork_version"].to_bytes(4, "big"),
    ).key


def newcomer_bid(auction, newcomer, discount_rate=500, duration=200) -> int:
    """The newcomer bids (a low discount: it outranks the book's other bids); returns the bid id."""
    due = auction.price_to_pay(newcomer, [discount_rate], [duration])
    with boa.env.prank(newcomer):
        return auction.bid([discount_rate], [duration], value=due)[0]


def open_rotation(protocol, cluster_id, index, caller):
    """`caller` opens the rotation of seat `index`; returns the newcomer's seat."""
    with boa.env.prank(caller):
        return protocol.seat_rotation.open_rotation(cluster_id, seats_of(protocol, cluster_id), index)


def reshared_key(key, index, seed="rotation"):
    """The key moved to the new set (the newcomer takes share index `index + 1`), dealt by every stayer."""
    n = len(key.public_shares)
    stayers = [i for i in range(1, n + 1) if i != index + 1]
    return reshare(key, range(1, n + 1), threshold_of(n), seed=seed, dealers=stayers)


def register_shares(protocol, cluster_id, shares, skip=()):
    """Each seat's operator registers its share (`shares`: compressed public shares in seat order), except
    the seats in `skip`."""
    seats = seats_of(protocol, cluster_id)
    for i, (seat, share) in enumerate(zip(seats, shares, strict=True)):
        if i in skip:
            continue
        with boa.env.prank(seat.operator):
            protocol.seat_rotation.register_share(cluster_id, seats, share, g1_point(share))


def complete_args(protocol, cluster_id, shares, pubkey=None):
    """`complete_rotation`'s arguments after the cluster id: seats, the key's point, the share points."""
    pubkey = bytes(protocol.manager.validator_pubkey(cluster_id)) if pubkey is None else pubkey
    return seats_of(protocol, cluster_id), g1_point(pubkey), [g1_point(s) for s in shares]


def public_shares(key) -> list[bytes]:
    return key.public_share_list()


def check_identities(protocol, cluster_ids, bid_ids, accounts) -> None:
    """Escrow balance == Σ held + Σ reserved + Σ claimable over every bid and account; StakerRewards
    balance == Σ held for the clusters + Σ credits; each cluster conserves to the wei, with what newcomers
    paid in (docs/protocol.md §4, §6, §10)."""
    sr, escrow = protocol.staker_rewards, protocol.escrow
    held = sum(escrow.held(b) + escrow.reserved(b) for b in bid_ids)
    assert boa.env.get_balance(escrow.address) == held + sum(escrow.claimable(a) for a in accounts)
    assert sr.total_credit() == sum(sr.credit_of(a) for a in accounts)
    clusters = sum(sr.held(cid, seats_of(sr, cid)) for cid in cluster_ids)
    assert boa.env.get_balance(sr.address) == clusters + sr.total_credit()
    assert boa.env.get_balance(protocol.seat_rotation.address) == 0
    for cid in cluster_ids:
        a = sr.accounting(cid, seats_of(sr, cid))
        out = a.paid_to_stakers + a.credited_to_stakers + a.claimable + a.unaccrued + a.refunded
        assert out + a.forfeited + a.dust == a.funded + a.renewals + a.rotated_in
