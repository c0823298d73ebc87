# pragma version ~=0.4.3
"""
@title SettlementAuction
@custom:contract-name SettlementAuction
@license MIT
@notice Test double of the Auction for the manager's pre-creation paths:
        `can_settle()` is always true; `settle_cluster()` succeeds (mode 0),
        reverts (mode 1) or burns all the gas it gets (mode 2).
"""

mode: public(uint256)
num_clusters: public(uint256)
operators: public(DynArray[address, 7])
sink: bytes32


@deploy
def __init__(operators: DynArray[address, 7]):
    """
    @notice Stores the operators every cluster gets.
    @param operators The winners of every cluster.
    """
    self.operators = operators


@external
def set_mode(mode: uint256):
    """
    @notice Sets how `settle_cluster` behaves.
    @param mode 0 succeed, 1 revert, 2 burn all gas.
    """
    self.mode = mode


@external
@view
def can_settle() -> bool:
    """
    @notice Always true.
    @return bool True.
    """
    return True


@external
def settle_cluster() -> uint256:
    """
    @notice Makes a cluster, or fails as `mode` says.
    @return uint256 The new cluster id.
    """
    if self.mode == 1:
        raise "settlement_auction: settlement failed"
    if self.mode == 2:
        for i: uint256 in range(10**6):
            self.sink = keccak256(self.sink)
    cluster_id: uint256 = self.num_clusters
    self.num_clusters = cluster_id + 1
    return cluster_id
