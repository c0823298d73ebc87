# pragma version ~=0.4.3
"""
@title ClusterStateHarness
@custom:contract-name ClusterStateHarness
@license MIT
@notice Test harness exposing contracts/lib/cluster_state.vy.
"""

from contracts.lib import cluster_state as cs


@external
@pure
def pack(
    status: uint256, settled_at: uint256, deposited_at: uint256
) -> uint256:
    """
    @notice cs.pack_state.
    @param status The status.
    @param settled_at The settlement timestamp.
    @param deposited_at The deposit timestamp.
    @return uint256 The word.
    """
    return cs.pack_state(
        cs.ClusterState(
            status=status, settled_at=settled_at, deposited_at=deposited_at
        )
    )


@external
@pure
def unpack(word: uint256) -> (uint256, uint256, uint256):
    """
    @notice cs.unpack_state.
    @param word The word.
    @return uint256 The status.
    @return uint256 The settlement time.
    """
    state: cs.ClusterState = cs.unpack_state(word)
    return state.status, state.settled_at, state.deposited_at


@external
@pure
def pack_counters(
    pending: uint256, ready: uint256, staked: uint256, pre_deposited: uint256
) -> uint256:
    """
    @notice cs.pack_counters.
    @param pending Pending clusters.
    @param ready Ready clusters.
    @param staked Staked clusters.
    @param pre_deposited Pre-deposited clusters.
    @return uint256 The word.
    """
    return cs.pack_counters(
        cs.Counters(
            pending=pending,
            ready=ready,
            staked=staked,
            pre_deposited=pre_deposited,
        )
    )


@external
@pure
def unpack_counters(word: uint256) -> (uint256, uint256, uint256, uint256):
    """
    @notice cs.unpack_counters.
    @param word The word.
    @return uint256 Pending clusters.
    @return uint256 Ready clusters.
    @return uint256 Staked clusters.
    @return uint256 Pre-deposited clusters.
    """
    counters: cs.Counters = cs.unpack_counters(word)
    return (
        counters.pending
    ), counters.ready, counters.staked, counters.pre_deposited
