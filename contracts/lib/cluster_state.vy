# pragma version ~=0.4.3
"""
@title cluster_state
@custom:contract-name cluster_state
@license MIT
@notice Codecs of the StrategyModuleManager's packed storage words:
        - per cluster: its status, the timestamp of its settlement (the
          start of its `pending_cluster_ttl`) and of its staker's deposit
          (the start of the proof's time-out);
        - its four cluster counters (pending, ready, staked, pre-deposited).
@dev Stateless module: import it and call `pack_state` / `unpack_state`,
     `pack_counters` / `unpack_counters`. The statuses are
     `constants.CLUSTER_*`.
     Cluster word (low bits first): status (8 bits) ‖ settled_at (64 bits)
     ‖ deposited_at (64 bits: when a staker paid, 0 before);
     a zero word is the unknown cluster (status `CLUSTER_UNKNOWN`).
     Counters word: pending ‖ ready ‖ staked ‖ pre_deposited, 64 bits each.
"""

from . import constants as c

STATUS_BITS: constant(uint256) = 8
SETTLED_AT_BITS: constant(uint256) = 64
MAX_STATUS: constant(uint256) = c.CLUSTER_SLASHED
MAX_SETTLED_AT: constant(uint256) = 2**SETTLED_AT_BITS - 1

COUNTER_BITS: constant(uint256) = 64
MAX_COUNTER: constant(uint256) = 2**COUNTER_BITS - 1

_STATUS_MASK: constant(uint256) = 2**STATUS_BITS - 1


struct ClusterState:
    status: uint256
    settled_at: uint256
    deposited_at: uint256


struct Counters:
    pending: uint256
    ready: uint256
    staked: uint256
    pre_deposited: uint256


@internal
@pure
def pack_state(state: ClusterState) -> uint256:
    """
    @dev Packs a cluster state into one storage word.
    @notice Reverts on a status above `MAX_STATUS` or a timestamp above 64
            bits.
    @param state The state.
    @return uint256 The word.
    """
    assert state.status <= MAX_STATUS, "cluster_state: status out of range"
    assert (
        state.settled_at <= MAX_SETTLED_AT
    ), "cluster_state: settled_at out of range"
    assert (
        state.deposited_at <= MAX_SETTLED_AT
    ), "cluster_state: deposited_at out of range"
    return (
        state.status
        | (state.settled_at << STATUS_BITS)
        | (state.deposited_at << (STATUS_BITS + SETTLED_AT_BITS))
    )


@internal
@pure
def unpack_state(word: uint256) -> ClusterState:
    """
    @dev Unpacks a storage word made by `pack_state`.
    @param word The word.
    @return ClusterState The state.
    """
    return ClusterState(
        status=word & _STATUS_MASK,
        settled_at=(word >> STATUS_BITS) & MAX_SETTLED_AT,
        deposited_at=(word >> (STATUS_BITS + SETTLED_AT_BITS)) & MAX_SETTLED_AT,
    )


@internal
@pure
def pack_counters(counters: Counters) -> uint256:
    """
    @dev Packs the four counters into one storage word.
    @notice Reverts on a counter above 64 bits.
    @param counters The counters.
    @return uint256 The word.
    """
    assert (
        counters.pending <= MAX_COUNTER
        and counters.ready <= MAX_COUNTER
        and counters.staked <= MAX_COUNTER
        and counters.pre_deposited <= MAX_COUNTER
    ), "cluster_state: counter out of range"
    return (
        counters.pending
        | (counters.ready << COUNTER_BITS)
        | (counters.staked << (2 * COUNTER_BITS))
        | (counters.pre_deposited << (3 * COUNTER_BITS))
    )


@internal
@pure
def unpack_counters(word: uint256) -> Counters:
    """
    @dev Unpacks a word made by `pack_counters`.
    @param word The word.
    @return Counters The counters.
    """
    return Counters(
        pending=word & MAX_COUNTER,
        ready=(word >> COUNTER_BITS) & MAX_COUNTER,
        staked=(word >> (2 * COUNTER_BITS)) & MAX_COUNTER,
        pre_deposited=(word >> (3 * COUNTER_BITS)) & MAX_COUNTER,
    )
