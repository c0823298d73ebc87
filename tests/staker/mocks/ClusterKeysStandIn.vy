# pragma version ~=0.4.3
"""
@title ClusterKeysStandIn
@custom:contract-name ClusterKeysStandIn
@license MIT
@notice Test double of both the StrategyModuleManager and StakerRewards as
        ClusterKeys sees them: one pending cluster (id 0) won by the
        operators given (seat i: bid i + 1, operator i, 1 wei a day, 1
        day: `seats`), fixed withdrawal credentials, and a record of the
        deposit data handed over. Lets tests and gas rows draw any cluster
        size without an auction.
"""

from contracts.lib import seat_types

operators: public(DynArray[address, 7])
credentials: public(bytes32)
registered: public(bool)
root: public(bytes32)


@deploy
def __init__(operators: DynArray[address, 7], credentials: bytes32):
    """
    @notice Stores the winners of cluster 0 and its withdrawal credentials.
    @param operators The winners, in ranking order.
    @param credentials The withdrawal credentials of cluster 0.
    """
    self.operators = operators
    self.credentials = credentials


@external
@view
def staker_rewards() -> address:
    """
    @notice StakerRewards: this stand-in.
    @return address This contract.
    """
    return self


@external
@view
def seats(cluster_id: uint256) -> DynArray[seat_types.Seat, 7]:
    """
    @notice Cluster 0's seats.
    @param cluster_id Ignored.
    @return DynArray The seats.
    """
    return self._seats()


@external
@view
def check_seats(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, 7]
) -> bool:
    """
    @notice Whether `seats` are cluster 0's, as StakerRewards answers.
    @param cluster_id Ignored.
    @param seats The seats to check.
    @return bool True (reverts otherwise).
    """
    assert keccak256(abi_encode(seats)) == keccak256(
        abi_encode(self._seats())
    ), "staker_rewards: seats do not match"
    return True


@internal
@view
def _seats() -> DynArray[seat_types.Seat, 7]:
    seats: DynArray[seat_types.Seat, 7] = []
    for i: uint256 in range(len(self.operators), bound=7):
        seats.append(
            seat_types.Seat(
                bid_id=i + 1, operator=self.operators[i], vc=1, days=1
            )
        )
    return seats


@external
@view
def cluster_status(cluster_id: uint256) -> uint256:
    """
    @notice Pending (1) for cluster 0, unknown (0) otherwise.
    @param cluster_id The cluster.
    @return uint256 The status.
    """
    if cluster_id == 0:
        return 1
    return 0


@external
@view
def has_deposit_data(cluster_id: uint256) -> bool:
    """
    @notice Whether deposit data was handed over.
    @param cluster_id Ignored.
    @return bool True once registered.
    """
    return self.registered


@external
@view
def withdrawal_credentials(cluster_id: uint256) -> bytes32:
    """
    @notice The fixed credentials.
    @param cluster_id Ignored.
    @return bytes32 The credentials.
    """
    return self.credentials


@external
def on_keys_registered(
    cluster_id: uint256,
    pubkey: Bytes[48],
    signature: Bytes[96],
    deposit_data_root: bytes32,
):
    """
    @notice Records the handed-over deposit data root.
    @param cluster_id Ignored.
    @param pubkey Ignored.
    @param signature Ignored.
    @param deposit_data_root Recorded.
    """
    self.registered = True
    self.root = deposit_data_root
