"""A cluster's seats for the tests: `deploy.seats.cluster_seats` from whatever handle a test holds.

seats = seats_of(protocol, cluster_id)        # a Protocol, StakerRewards, or a contract naming it
manager.confirm_stake(cluster_id, seats, timestamp, proof)
"""

from __future__ import annotations

from typing import Any, NamedTuple

from deploy.protocol import at
from deploy.seats import Seat, cluster_seats, seats_hash

__all__ = [
    "ClusterView",
    "Seat",
    "bid_ids_of",
    "cluster_of",
    "operators_of",
    "seats_hash",
    "seats_of",
    "staker_rewards_of",
]


def staker_rewards_of(source: Any):
    """StakerRewards from a Protocol, StakerRewards itself, the Auction, or a contract with a
    `staker_rewards()` view."""
    if hasattr(source, "staker_rewards") and not callable(source.staker_rewards):
        return source.staker_rewards  # a Protocol
    if hasattr(source, "commitment"):
        return source  # StakerRewards
    if hasattr(source, "staker_rewards"):
        return at("staker_rewards", source.staker_rewards())  # the manager, ClusterKeys, a module, the Escrow
    return at("staker_rewards", at("escrow", source.escrow()).staker_rewards())  # the Auction


def seats_of(source: Any, cluster_id: int) -> list[Seat]:
    """The cluster's current seats (checked against StakerRewards' commitment)."""
    return cluster_seats(staker_rewards_of(source), cluster_id)


def operators_of(source: Any, cluster_id: int) -> list[str]:
    """The cluster's winners, in ranking order."""
    return [seat.operator for seat in seats_of(source, cluster_id)]


def bid_ids_of(source: Any, cluster_id: int) -> list[int]:
    """The cluster's winning bids, in ranking order."""
    return [seat.bid_id for seat in seats_of(source, cluster_id)]


class ClusterView(NamedTuple):
    """A cluster as its seats describe it (the Auction keeps no record of it)."""

    bid_ids: list[int]
    operators: list[str]
    min_duration: int  # the smallest seat's days


def cluster_of(source: Any, cluster_id: int) -> ClusterView:
    """The cluster's winning bids and operators in ranking order, and its smallest seat's days."""
    seats = seats_of(source, cluster_id)
    return ClusterView([s.bid_id for s in seats], [s.operator for s in seats], min(s.days for s in seats))
