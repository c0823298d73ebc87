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
@dev Stateless module: import it and call `_pack` / `_unpack`,
     `_pack_counters` / `_unpack_counters`.
     Cluster word (low bits first): status (8 bits) ‖ settled_at (64 bits)
     ‖ deposited_at (64 bits: when a staker paid, 0 before);
     a zero word is the unknown cluster (status `UNKNOWN`).
     Counters word: pending ‖ ready ‖ staked ‖ pre_deposited, 64 bits each.
"""

# @dev Cluster statuses (`StrategyModuleManager.cluster_status`).
# Not pre-created by this manager.
UNKNOWN: constant(uint256) = 0
# Pre-created by a settlement, no staker yet (deposit data or not).
PENDING: constant(uint256) = 1
# A staker paid 32 ETH: 1 ETH pre-deposited, 31 ETH held until a proof.
PRE_DEPOSITED: constant(uint256) = 2
# Credentials proven: the other 31 ETH deposited, the stream started. Stays
# staked until the validator's exit is proven, whatever its stream's state.
STAKED: constant(uint256) = 3
# A front-run was proven: the staker got the 31 ETH and the bonds back.
FAILED: constant(uint256) = 4
# Dissolved before any staker came: prices and bonds back to the operators.
DISSOLVED: constant(uint256) = 5
# The validator's exit was proven (its exit epoch is set): the stream ended
# at that epoch, the bonds unlocked; the principal comes home through the pod.
EXITED: constant(uint256) = 6
# No proof came within the time-out: the staker took its 31 ETH back.
RECLAIMED: constant(uint256) = 7
# The validator was proven slashed while staked (its exit is set too): the
# stream ended, every winner's bond and the unserved credits went to the
# holder (pull); the principal comes home through the pod as after an exit.
SLASHED: constant(uint256) = 8

STATUS_BITS: constant(uint256) = 8
SETTLED_AT_BITS: constant(uint256) = 64
MAX_STATUS: constant(uint256) = SLASHED
MAX_SETTLED_AT: constant(uint256) = 2**64 - 1

COUNTER_BITS: constant(uint256) = 64
MAX_COUNTER: constant(uint256) = 2**64 - 1

_STATUS_MASK: constant(uint256) = 2**8 - 1
_SETTLED_AT_MASK: constant(uint256) = 2**64 - 1


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
def _pack(state: ClusterState) -> uint256:
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
def _unpack(word: uint256) -> ClusterState:
    """
    @dev Unpacks a storage word made by `_pack`.
    @param word The word.
    @return ClusterState The state.
    """
    return ClusterState(
        status=word & _STATUS_MASK,
        settled_at=(word >> STATUS_BITS) & _SETTLED_AT_MASK,
        deposited_at=(word >> (STATUS_BITS + SETTLED_AT_BITS))
        & _SETTLED_AT_MASK,
    )


@internal
@pure
def _pack_counters(counters: Counters) -> uint256:
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
def _unpack_counters(word: uint256) -> Counters:
    """
    @dev Unpacks a word made by `_pack_counters`.
    @param word The word.
    @return Counters The counters.
    """
    return Counters(
        pending=word & MAX_COUNTER,
        ready=(word >> COUNTER_BITS) & MAX_COUNTER,
        staked=(word >> (2 * COUNTER_BITS)) & MAX_COUNTER,
        pre_deposited=(word >> (3 * COUNTER_BITS)) & MAX_COUNTER,
    )
