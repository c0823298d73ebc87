"""Helpers of the slashing tests (tests/staker/test_slashing.py, test_slashing_spec_chain.py): what a slashing
charges, and the Escrow's and StakerRewards' balance identities around it."""

from __future__ import annotations

import boa

from deploy.constants import c
from tests.staker.exits import conserved
from tests.utils.seats import bid_ids_of, seats_of

DAY = c.SECONDS_PER_DAY
CLUSTER_SIZE = 4  # the deployment's default (docs/protocol.md §8); every cluster here has 4 winners


def unserved(staker_rewards, cluster_id, stop) -> int:
    """Every seat's credits from `stop` to its end, floored per seat as the close floors them."""
    seats = [
        staker_rewards.get_seat(cluster_id, seats_of(staker_rewards, cluster_id), i)
        for i in range(CLUSTER_SIZE)
    ]
    return sum(seat.vc * (seat.end - stop) // DAY for seat in seats)


def bonds_of(auction, cluster_id) -> int:
    """The winners' bonds of a cluster, as the Auction recorded them."""
    return sum(auction.get_bid(b).bond for b in bid_ids_of(auction, cluster_id))


def check_identities(protocol, cluster_id, accounts) -> None:
    """Escrow: balance == Σ held + Σ reserved (a loss charge pending) + Σ claimable; StakerRewards: balance ==
    held + Σ credits; the cluster conserves to the wei (only this test's cluster exists: the deployment is
    fresh per module and rolled back after each test)."""
    sr, escrow, auction = protocol.staker_rewards, protocol.escrow, protocol.auction
    bids = bid_ids_of(auction, cluster_id)
    held = sum(escrow.held(b) + escrow.reserved(b) for b in bids)
    assert boa.env.get_balance(escrow.address) == held + sum(escrow.claimable(a) for a in accounts)
    assert sr.total_credit() == sum(sr.credit_of(a) for a in accounts)
    assert (
        boa.env.get_balance(sr.address) == sr.held(cluster_id, seats_of(sr, cluster_id)) + sr.total_credit()
    )
    assert conserved(sr, cluster_id)
