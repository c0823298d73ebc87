# pragma version ~=0.4.3
"""
@title RewardsSink
@custom:contract-name RewardsSink
@license MIT
@notice Test double of StakerRewards for the operator side: records what the
        Escrow releases at settlement and can hand credits and bonds back
        through `Escrow.return_credits`, as StakerRewards does.
"""

from contracts.interfaces import IEscrow
from contracts.lib import constants as c
from contracts.lib import seat_types
from contracts.lib import stream_codec


interface IEscrowWiring:
    def auction() -> address: view


# @notice Wei received per cluster at settlement.
received: public(HashMap[uint256, uint256])
# @notice Wei received per cluster through renewals.
renewals: public(HashMap[uint256, uint256])
# @notice The Escrow that funded the clusters (the caller of `fund_cluster`).
escrow: public(address)
_seats_of: HashMap[uint256, DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]]


@external
@payable
def fund_cluster(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
):
    """
    @notice Records a settled cluster as the Escrow hands it over (the ETH stays here).
    @param cluster_id The cluster.
    @param seats Its seats.
    """
    self.escrow = msg.sender
    self.received[cluster_id] = msg.value
    self._seats_of[cluster_id] = seats


@external
@payable
def renew(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    seat: uint256,
    days: uint256,
    max_duration: uint256,
):
    """
    @notice Counts a renewal's ETH for the cluster (the seats stay as recorded).
    @param cluster_id The cluster.
    @param seats The seats the Auction forwarded (ignored).
    @param seat The renewed seat (ignored).
    @param days The added days (ignored).
    @param max_duration The Auction's cap (ignored).
    """
    self.renewals[cluster_id] += msg.value


@external
@view
def commitment(cluster_id: uint256) -> bytes32:
    """
    @notice The hash of the recorded seats, as StakerRewards commits to them (for `deploy/seats.py`).
    @param cluster_id The cluster.
    @return bytes32 The hash (its low byte zero).
    """
    return convert(stream_codec.seats_hash(self._seats_of[cluster_id]), bytes32)


@external
@view
def AUCTION() -> address:
    """
    @notice The Auction behind the Escrow that funded the clusters.
    @return address The Auction.
    """
    return staticcall IEscrowWiring(self.escrow).auction()


@external
@payable
def give_back(
    escrow: address,
    cluster_id: uint256,
    credits: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    bond_to: address,
):
    """
    @notice Hands credits and bonds of a recorded cluster back to the Escrow, as StakerRewards does.
    @param escrow The Escrow.
    @param cluster_id The recorded cluster.
    @param credits Wei per winning bid (msg.value must be their sum).
    @param bond_to Who receives the bonds; empty: each bid's operator.
    """
    extcall IEscrow(escrow).return_credits(
        self._bid_ids(cluster_id),
        self._operators(cluster_id),
        credits,
        bond_to,
        value=msg.value,
    )


@external
@view
def bid_ids_of(cluster_id: uint256) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    """
    @notice The winning bid ids recorded for a cluster.
    @param cluster_id The cluster.
    @return DynArray The recorded winning bid ids, in seat order.
    """
    return self._bid_ids(cluster_id)


@external
@view
def operators_of(cluster_id: uint256) -> DynArray[address, c.MAX_CLUSTER_SIZE]:
    """
    @notice The operators recorded for a cluster.
    @param cluster_id The cluster.
    @return DynArray The recorded operators, in seat order.
    """
    return self._operators(cluster_id)


@external
@view
def prices_of(cluster_id: uint256) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    """
    @notice The prices (wei) recorded for a cluster.
    @param cluster_id The cluster.
    @return DynArray The recorded prices (wei), in seat order.
    """
    prices: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    for seat: seat_types.Seat in self._seats_of[cluster_id]:
        prices.append(seat.vc * seat.days)
    return prices


@external
@view
def durations_of(cluster_id: uint256) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    """
    @notice The durations (days) recorded for a cluster.
    @param cluster_id The cluster.
    @return DynArray The recorded durations (days), in seat order.
    """
    days: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    for seat: seat_types.Seat in self._seats_of[cluster_id]:
        days.append(seat.days)
    return days


@internal
@view
def _bid_ids(cluster_id: uint256) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    ids: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    for seat: seat_types.Seat in self._seats_of[cluster_id]:
        ids.append(seat.bid_id)
    return ids


@internal
@view
def _operators(cluster_id: uint256) -> DynArray[address, c.MAX_CLUSTER_SIZE]:
    operators: DynArray[address, c.MAX_CLUSTER_SIZE] = []
    for seat: seat_types.Seat in self._seats_of[cluster_id]:
        operators.append(seat.operator)
    return operators
