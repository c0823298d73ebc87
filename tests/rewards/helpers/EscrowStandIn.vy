# pragma version ~=0.4.3
"""
@title Test-only stand-in of the Escrow's two StakerRewards calls
@custom:contract-name EscrowStandIn
@license MIT
@notice Test-only (never deployed by the protocol). `release` forwards a
        settled cluster's prices and seats to `StakerRewards.fund_cluster`
        and locks one bond per winner bid; `return_credits` behaves as
        docs/protocol.md §4 says the Escrow's does: StakerRewards only, `msg.value ==
        sum(credits)`, credits claimable by their operators, each locked
        bond unlocked once, to its operator or to `bond_to`;
        `return_unused_credits` (an expiry) returns credits and leaves every
        bond locked. Bonds are only
        counted here (no ETH), credits are real ETH (`withdraw`).
"""

from contracts.lib import constants as c
from contracts.lib import seat_types


interface IRewards:
    def fund_cluster(
        cluster_id: uint256,
        seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    ): payable


rewards: public(address)
# credits returned to each operator (ETH held here)
claimable: public(HashMap[address, uint256])
# bonds unlocked to each account (counted, in wei)
bonds_of: public(HashMap[address, uint256])
bond_locked: public(HashMap[uint256, bool])
returned: public(uint256)
calls: public(uint256)


@deploy
def __init__():
    pass


@external
def set_rewards(rewards: address):
    """
    @notice Sets the StakerRewards this stand-in funds and accepts returns from.
    @param rewards The StakerRewards.
    """
    self.rewards = rewards


@external
@payable
def release(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
):
    """
    @notice Locks one bond per winning bid and funds the cluster in StakerRewards with msg.value.
    @param cluster_id The cluster.
    @param seats Its seats.
    """
    for seat: seat_types.Seat in seats:
        self.bond_locked[seat.bid_id] = True
    extcall IRewards(self.rewards).fund_cluster(
        cluster_id, seats, value=msg.value
    )


@external
@payable
def return_credits(
    bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    operators: DynArray[address, c.MAX_CLUSTER_SIZE],
    credits: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    bond_to: address,
):
    """
    @notice As `Escrow.return_credits`: credits become claimable, each locked bond is unlocked once.
    @dev StakerRewards only; msg.value must equal the sum of `credits`.
    @param bid_ids The cluster's winning bids.
    @param operators Their operators.
    @param credits Wei per bid.
    @param bond_to Who receives the bonds; empty: each bid's operator.
    """
    assert msg.sender == self.rewards, "escrow: caller is not staker rewards"
    assert len(operators) == len(bid_ids) and len(credits) == len(
        bid_ids
    ), "escrow: length mismatch"
    total: uint256 = 0
    for i: uint256 in range(len(bid_ids), bound=c.MAX_CLUSTER_SIZE):
        assert self.bond_locked[bid_ids[i]], "escrow: bond not locked"
        self.bond_locked[bid_ids[i]] = False
        self.claimable[operators[i]] += credits[i]
        total += credits[i]
        if bond_to == empty(address):
            self.bonds_of[operators[i]] += c.BOND
        else:
            self.bonds_of[bond_to] += c.BOND
    assert msg.value == total, "escrow: value mismatch"
    self.returned += total
    self.calls += 1


@external
@payable
def return_unused_credits(
    bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    operators: DynArray[address, c.MAX_CLUSTER_SIZE],
    credits: DynArray[uint256, c.MAX_CLUSTER_SIZE],
):
    """
    @notice As `Escrow.return_unused_credits`: credits become claimable, every bond stays locked.
    @dev StakerRewards only; msg.value must equal the sum of `credits`.
    @param bid_ids The cluster's winning bids.
    @param operators Their operators.
    @param credits Wei per bid.
    """
    assert msg.sender == self.rewards, "escrow: caller is not staker rewards"
    assert len(operators) == len(bid_ids) and len(credits) == len(
        bid_ids
    ), "escrow: length mismatch"
    total: uint256 = 0
    for i: uint256 in range(len(bid_ids), bound=c.MAX_CLUSTER_SIZE):
        assert self.bond_locked[bid_ids[i]], "escrow: bond not locked"
        self.claimable[operators[i]] += credits[i]
        total += credits[i]
    assert msg.value == total, "escrow: value mismatch"
    self.returned += total
    self.calls += 1


@external
def withdraw(to: address) -> uint256:
    """
    @notice Pays the caller's claimable credits to `to`.
    @param to The receiver.
    @return uint256 The amount paid.
    """
    amount: uint256 = self.claimable[msg.sender]
    self.claimable[msg.sender] = 0
    send(to, amount)
    return amount
