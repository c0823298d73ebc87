# pragma version ~=0.4.3
"""
@title ClusterStateHarness
@license MIT
@notice Test harness exposing contracts/lib/cluster_state.vy.
"""

from contracts.lib import cluster_state as cs


@external
@pure
def pack(status: uint256, settled_at: uint256) -> uint256:
    """
    @notice cs._pack.
    @param status The status.
    @param settled_at The settlement timestamp.
    @return uint256 The word.
    """
    return cs._pack(cs.ClusterState(status=status, settled_at=settled_at))


@external
@pure
def unpack(word: uint256) -> (uint256, uint256):
    """
    @notice cs._unpack.
    @param word The word.
    @return (uint256, uint256) (status, settled_at).
    """
    state: cs.ClusterState = cs._unpack(word)
    return state.status, state.settled_at
