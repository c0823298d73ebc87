# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title ClusterKeys
@custom:contract-name ClusterKeys
@license MIT
@notice Registration of a distributed validator's keys by the winners of its
        cluster, checked on chain (docs/protocol.md §9):
        1. After their key generation (withdrawal credentials
           `StrategyModuleManager.withdrawal_credentials(cluster_id)`), each
           winner of a pending cluster registers its public key share from
           its own address (`register_share`); the winner of rank i holds
           share index i + 1. It may replace it until the data is complete.
        2. Any winner then registers the group key and the signature of the
           1 ETH deposit (`register_deposit_data`). This contract checks with
           the EIP-2537 precompiles that the shares agree (the first t
           interpolate to the group key at 0 and the others lie on the same
           polynomial, so every t of the n give the group key, t =
           `threshold_of(n)`; the first t - 1 must not, so no fewer than t
           operators can sign) and that the deposit signature is valid for the
           group key under the deposit domain of `genesis_fork_version()`.
        3. Only then does the manager get the deposit data
           (`on_keys_registered`): the cluster is ready for a staker. Winners
           who never register are covered by the manager's
           `dissolve_cluster` after `pending_cluster_ttl`.
@dev Shares are stored as the keccak256 of their uncompressed point (one slot
     each); `register_deposit_data` takes the points again as calldata (they
     are in the `ShareRegistered` logs) and compares the hashes. No admin:
     the manager, StakerRewards and the fork version are fixed at
     deployment.
"""

from ..interfaces import IClusterKeys
from ..interfaces import IStakerRewards
from ..interfaces import IStrategyModuleManager

implements: IClusterKeys

from ..lib import bls
from ..lib import cluster_state as cs
from ..lib import constants as c
from ..lib import seat_types
from ..lib import ssz

# The 1 ETH pre-deposit the signature is for, in gwei.
_PRE_DEPOSIT_GWEI: constant(uint64) = 10**9

MANAGER: immutable(address)
STAKER_REWARDS: immutable(address)
GENESIS_FORK_VERSION: immutable(bytes4)

# cluster id => share index - 1 => keccak256 of the uncompressed share (zero:
# not registered)
_share_hashes: HashMap[uint256, bytes32[c.MAX_CLUSTER_SIZE]]


event ShareRegistered:
    cluster_id: indexed(uint256)
    operator: indexed(address)
    index: uint256
    share: Bytes[48]
    share_point: Bytes[128]
    replaced: bool


event KeysRegistered:
    cluster_id: indexed(uint256)
    registrar: indexed(address)
    pubkey: Bytes[48]
    signature: Bytes[96]
    deposit_data_root: bytes32


@deploy
def __init__(manager: address, genesis_fork_version: uint32):
    """
    @notice Deploys ClusterKeys for a manager; then the manager's owner calls
            `StrategyModuleManager.set_cluster_keys`.
    @param manager The StrategyModuleManager (its StakerRewards, which
           keeps each cluster's seats' commitment, is read from it).
    @param genesis_fork_version The network's genesis fork version as a
           number (mainnet 0x00000000, Holesky 0x01017000, Hoodi
           0x10000910, Sepolia 0x90000069).
    """
    assert manager.is_contract, "cluster_keys: manager has no code"
    MANAGER = manager
    STAKER_REWARDS = staticcall IStrategyModuleManager(manager).staker_rewards()
    GENESIS_FORK_VERSION = convert(
        slice(convert(convert(genesis_fork_version, uint256), bytes32), 28, 4),
        bytes4,
    )


@external
def register_share(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    share: Bytes[48],
    share_point: Bytes[128],
):
    """
    @notice Registers (or replaces) the caller's public key share for a
            pending cluster it won, until the cluster's deposit data is
            registered.
    @dev The caller's share index is its rank in the cluster + 1. Checks
         that `share` is the compression of `share_point`; whether the point
         is on the curve and in the subgroup is checked when the shares are
         interpolated (`register_deposit_data`).
    @param cluster_id The pending cluster.
    @param seats The cluster's seats (`deploy/seats.py`; checked against
           StakerRewards' commitment).
    @param share The 48-byte compressed public key share.
    @param share_point The same share, uncompressed (128 bytes, EIP-2537).
    """
    self._check_open(cluster_id)
    index: uint256 = self._winner_index(cluster_id, seats, msg.sender)[0]
    bls._check_g1_encoding(share_point, share)
    replaced: bool = self._share_hashes[cluster_id][index] != empty(bytes32)
    self._share_hashes[cluster_id][index] = keccak256(share_point)
    log ShareRegistered(
        cluster_id=cluster_id,
        operator=msg.sender,
        index=index + 1,
        share=share,
        share_point=share_point,
        replaced=replaced,
    )


@external
def register_deposit_data(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    pubkey: Bytes[48],
    pubkey_point: Bytes[128],
    signature: Bytes[96],
    signature_point: Bytes[256],
    share_points: DynArray[Bytes[128], c.MAX_CLUSTER_SIZE],
) -> bytes32:
    """
    @notice Registers the group key and the 1 ETH deposit signature of a
            pending cluster whose winners all registered their shares, once
            they check; the cluster becomes ready for a staker.
    @dev Any winner of the cluster. Checks that `share_points` are the
         registered shares (one per winner, ranking order), that every
         `threshold_of(n)` of them interpolate to `pubkey_point` and no
         `threshold_of(n) - 1` do (the key's threshold is exactly t), that
         `pubkey` and `signature` are the compressions of the points and
         that the signature verifies over the deposit message (the
         cluster's withdrawal credentials, 1 ETH) under the deposit domain
         of `genesis_fork_version()`; then hands the deposit data to the
         manager (`on_keys_registered`).
    @param cluster_id The pending cluster.
    @param seats The cluster's seats (`deploy/seats.py`; checked against
           StakerRewards' commitment).
    @param pubkey The 48-byte compressed group public key.
    @param pubkey_point The same key, uncompressed (128 bytes).
    @param signature The 96-byte compressed deposit signature.
    @param signature_point The same signature, uncompressed (256 bytes).
    @param share_points The registered shares, uncompressed, in ranking order.
    @return bytes32 The deposit data root.
    """
    self._check_open(cluster_id)
    n: uint256 = self._winner_index(cluster_id, seats, msg.sender)[1]
    assert (len(share_points) == n), "cluster_keys: one share point per winner"
    for i: uint256 in range(n, bound=c.MAX_CLUSTER_SIZE):
        registered: bytes32 = self._share_hashes[cluster_id][i]
        assert registered != empty(bytes32), "cluster_keys: share missing"
        assert registered == keccak256(
            share_points[i]
        ), "cluster_keys: share differs from its registration"
    t: uint256 = self._threshold(n)
    assert bls._shares_agree_batched(
        share_points, t, pubkey_point
    ), "cluster_keys: shares do not give the group key"
    # Exactly t: t - 1 shares of a polynomial of degree t - 1 never give its
    # value at 0 (their own interpolation differs by a * prod(-x_i) != 0), so
    # a key that t - 1 operators could sign with is refused.
    below: DynArray[Bytes[128], c.MAX_CLUSTER_SIZE] = []
    indices: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    for i: uint256 in range(t - 1, bound=c.MAX_CLUSTER_SIZE):
        below.append(share_points[i])
        indices.append(i + 1)
    assert (
        bls._interpolate_g1(below, indices, 0) != pubkey_point
    ), "cluster_keys: fewer shares than the threshold give the group key"
    credentials: bytes32 = staticcall IStrategyModuleManager(
        MANAGER
    ).withdrawal_credentials(cluster_id)
    assert bls._verify_deposit(
        pubkey,
        pubkey_point,
        concat(credentials, b""),
        _PRE_DEPOSIT_GWEI,
        signature,
        signature_point,
        GENESIS_FORK_VERSION,
    ), "cluster_keys: invalid deposit signature"
    root: bytes32 = ssz._deposit_data_root(
        pubkey, concat(credentials, b""), _PRE_DEPOSIT_GWEI, signature
    )
    log KeysRegistered(
        cluster_id=cluster_id,
        registrar=msg.sender,
        pubkey=pubkey,
        signature=signature,
        deposit_data_root=root,
    )
    extcall IStrategyModuleManager(MANAGER).on_keys_registered(
        cluster_id, pubkey, signature, root
    )
    return root


@external
@view
def manager() -> address:
    """
    @notice The StrategyModuleManager the checked deposit data goes to.
    @return address The manager.
    """
    return MANAGER


@external
@view
def staker_rewards() -> address:
    """
    @notice StakerRewards, whose commitment to each cluster's seats names
            the winners who register.
    @return address StakerRewards.
    """
    return STAKER_REWARDS


@external
@view
def genesis_fork_version() -> bytes4:
    """
    @notice The fork version whose deposit domain deposit signatures use.
    @return bytes4 The genesis fork version.
    """
    return GENESIS_FORK_VERSION


@external
@view
def threshold_of(cluster_size: uint256) -> uint256:
    """
    @notice The signing threshold of a cluster of `cluster_size` operators.
    @param cluster_size The number of operators.
    @return uint256 ceil(2 * cluster_size / 3).
    """
    return self._threshold(cluster_size)


@external
@view
def share_hash(cluster_id: uint256, index: uint256) -> bytes32:
    """
    @notice The keccak256 of the uncompressed share registered for a share
            index (1-based, the winner's rank + 1) at the cluster's
            formation; after a seat rotation the current shares are
            `SeatRotation.current_share_hash`.
    @param cluster_id The cluster.
    @param index The share index.
    @return bytes32 The hash (zero if none).
    """
    if index == 0 or index > c.MAX_CLUSTER_SIZE:
        return empty(bytes32)
    return self._share_hashes[cluster_id][index - 1]


@external
@view
def num_shares(cluster_id: uint256) -> uint256:
    """
    @notice How many of the cluster's winners registered a share.
    @param cluster_id The cluster.
    @return uint256 The count.
    """
    count: uint256 = 0
    for h: bytes32 in self._share_hashes[cluster_id]:
        if h != empty(bytes32):
            count += 1
    return count


# ------------------------------------------------------------ internal


@internal
@pure
def _threshold(n: uint256) -> uint256:
    """
    @dev ceil(n * 2 / 3): Obol's threshold.
    """
    return (
        n * c.THRESHOLD_NUMERATOR + c.THRESHOLD_DENOMINATOR - 1
    ) // c.THRESHOLD_DENOMINATOR


@internal
@view
def _check_open(cluster_id: uint256):
    """
    @dev Reverts unless the cluster is pending at the manager and has no
         deposit data yet.
    """
    assert (
        staticcall IStrategyModuleManager(MANAGER).cluster_status(cluster_id)
        == c.CLUSTER_PENDING
    ), "cluster_keys: cluster not pending"
    assert not staticcall IStrategyModuleManager(MANAGER).has_deposit_data(
        cluster_id
    ), "cluster_keys: keys already registered"


@internal
@view
def _winner_index(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    who: address,
) -> (uint256, uint256):
    """
    @dev (rank of `who` among the cluster's winners, number of winners);
         reverts if `seats` are not the cluster's ("staker_rewards: seats
         do not match") or `who` is not one of them.
    """
    assert staticcall IStakerRewards(STAKER_REWARDS).check_seats(
        cluster_id, seats
    )
    for i: uint256 in range(len(seats), bound=c.MAX_CLUSTER_SIZE):
        if seats[i].operator == who:
            return i, len(seats)
    raise "cluster_keys: caller is not a winner"
