# pragma version ~=0.4.3
"""
@title RewardsSink
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
# @dev Lean mode keeps only the amount, so gas benchmarks measure the operator side alone.
lean: public(bool)


@external
def set_lean(lean: bool):
    self.lean = lean


@payable
@external
def fund_cluster(
    cluster_id: uint256,
    bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    operators: DynArray[address, c.MAX_CLUSTER_SIZE],
    prices: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    durations: DynArray[uint256, c.MAX_CLUSTER_SIZE],
):
    self.received[cluster_id] = msg.value
    self._bid_ids_of[cluster_id] = bid_ids
    self._operators_of[cluster_id] = operators
    self._prices_of[cluster_id] = prices
    self._durations_of[cluster_id] = durations


@payable
@external
def renew(cluster_id: uint256, seat: uint256, days: uint256, max_duration: uint256):
    self.renewals[cluster_id] += msg.value


@payable
@external
def give_back(escrow: address, cluster_id: uint256, credits: DynArray[uint256, c.MAX_CLUSTER_SIZE], bond_to: address):
    extcall IEscrow(escrow).return_credits(
        self._bid_ids_of[cluster_id], self._operators_of[cluster_id], credits, bond_to, value=msg.value
    )


@view
@external
def bid_ids_of(cluster_id: uint256) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    return self._bid_ids_of[cluster_id]


@view
@external
def operators_of(cluster_id: uint256) -> DynArray[address, c.MAX_CLUSTER_SIZE]:
    return self._operators_of[cluster_id]


@view
@external
def prices_of(cluster_id: uint256) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    return self._prices_of[cluster_id]


@view
@external
def durations_of(cluster_id: uint256) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    return self._durations_of[cluster_id]
