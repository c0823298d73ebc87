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

received: public(HashMap[uint256, uint256])
_operators_of: HashMap[uint256, DynArray[address, c.MAX_CLUSTER_SIZE]]
_durations_of: HashMap[uint256, DynArray[uint256, c.MAX_CLUSTER_SIZE]]
_bid_ids_of: HashMap[uint256, DynArray[uint256, c.MAX_CLUSTER_SIZE]]
_prices_of: HashMap[uint256, DynArray[uint256, c.MAX_CLUSTER_SIZE]]
renewals: public(HashMap[uint256, uint256])


@external
@payable
def fund_cluster(
    cluster_id: uint256,
    bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    operators: DynArray[address, c.MAX_CLUSTER_SIZE],
    prices: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    durations: DynArray[uint256, c.MAX_CLUSTER_SIZE],
):
    """
    @notice Records a settled cluster as the Escrow hands it over (the ETH stays here).
    @param cluster_id The cluster.
    @param bid_ids Its winning bids.
    @param operators Their operators.
    @param prices Their prices (wei).
    @param durations Their durations (days).
    """
    self.received[cluster_id] = msg.value
    self._bid_ids_of[cluster_id] = bid_ids
    self._operators_of[cluster_id] = operators
    self._prices_of[cluster_id] = prices
    self._durations_of[cluster_id] = durations


@external
@payable
def renew(
    cluster_id: uint256, seat: uint256, days: uint256, max_duration: uint256
):
    """
    @notice Counts a renewal's ETH for the cluster.
    @param cluster_id The cluster.
    @param seat The renewed seat (ignored).
    @param days The added days (ignored).
    @param max_duration The Auction's cap (ignored).
    """
    self.renewals[cluster_id] += msg.value


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
        self._bid_ids_of[cluster_id],
        self._operators_of[cluster_id],
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
    return self._bid_ids_of[cluster_id]


@external
@view
def operators_of(cluster_id: uint256) -> DynArray[address, c.MAX_CLUSTER_SIZE]:
    """
    @notice The operators recorded for a cluster.
    @param cluster_id The cluster.
    @return DynArray The recorded operators, in seat order.
    """
    return self._operators_of[cluster_id]


@external
@view
def prices_of(cluster_id: uint256) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    """
    @notice The prices (wei) recorded for a cluster.
    @param cluster_id The cluster.
    @return DynArray The recorded prices (wei), in seat order.
    """
    return self._prices_of[cluster_id]


@external
@view
def durations_of(cluster_id: uint256) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    """
    @notice The durations (days) recorded for a cluster.
    @param cluster_id The cluster.
    @return DynArray The recorded durations (days), in seat order.
    """
    return self._durations_of[cluster_id]
