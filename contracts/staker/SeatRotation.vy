# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title SeatRotation
@custom:contract-name SeatRotation
@license MIT
@notice Seats that rotate without an exit (docs/protocol.md §10 "Seats that
        rotate"). A validator outlives its operators: when a winner leaves,
        or its seat is about to end, the seat is auctioned alone and the
        validator keeps its key.
        1. `open_rotation` (the seat's operator at any time before its end,
           anyone within `ROTATION_NOTICE` of it): the Auction gives the
           seat to the best pending bid of an operator not in the cluster
           (`take_seat`), for the cluster's remaining days or its own
           duration if fewer; StakerRewards replaces the seat and re-bases
           the stream at the handover (`rotate_seat`): the leaver gets its
           unserved whole days back, the newcomer's price streams to the
           holder from the handover. The leaver's bond stays locked.
        2. The remaining operators and the newcomer reshare the key off
           chain (`deploy/reshare.py`) and each registers its new public
           share here, from its own address (`register_share`).
        3. `complete_rotation` (anyone) checks with the EIP-2537 precompiles
           that the new shares give the validator's unchanged group key
           (every t of them, no t - 1); the leaver's bond unlocks.
        4. Otherwise, from `RESHARE_TIMEOUT` after the opening, `forfeit`
           (anyone) charges the bonds of the operators whose new share is
           missing to the holder (pulled with `Auction.claim_refund`), and
           the leaver's bond unlocks. The holder may exit at any time, as
           always: nothing here touches the exit.
        5. Until the new shares give the key, only the old set holds it: if
           the validator is proven slashed while the rotation is open, the
           leaver's bond is charged to the holder as the rotation resolves
           (`forfeit` may then resolve it at once), beside the current
           seats' bonds the slashing charges.
@dev No admin: the manager, its Auction, StakerRewards and the Escrow are
     fixed at deployment (the Escrow is then initialized with this
     contract; the Auction and StakerRewards ask the Escrow who it is). Shares are kept as the keccak256 of their
     uncompressed point, per cluster and round.
"""

from ethereum.ercs import IERC721

from ..interfaces import IAuction
from ..interfaces import IClusterKeys
from ..interfaces import IEscrow
from ..interfaces import ISeatRotation
from ..interfaces import IStakerRewards
from ..interfaces import IStrategyModuleManager

implements: ISeatRotation

from ..lib import bls
from ..lib import constants as c
from ..lib import seat_types

MANAGER: immutable(address)
AUCTION: immutable(address)
STAKER_REWARDS: immutable(address)
ESCROW: immutable(address)

_rotations: HashMap[uint256, ISeatRotation.Rotation]
# cluster id => round => share index - 1 => keccak256 of the uncompressed
# share (zero: not registered)
_share_hashes: HashMap[uint256, HashMap[uint256, bytes32[c.MAX_CLUSTER_SIZE]]]


event RotationOpened:
    cluster_id: indexed(uint256)
    round: indexed(uint256)
    caller: indexed(address)
    index: uint256
    leaver: seat_types.Seat
    newcomer: seat_types.Seat
    deadline: uint256


event ShareRegistered:
    cluster_id: indexed(uint256)
    round: indexed(uint256)
    operator: indexed(address)
    index: uint256
    share: Bytes[48]
    share_point: Bytes[128]
    replaced: bool


event RotationCompleted:
    cluster_id: indexed(uint256)
    round: indexed(uint256)
    caller: indexed(address)
    leaver_bid: uint256


event RotationFailed:
    cluster_id: indexed(uint256)
    round: indexed(uint256)
    caller: indexed(address)
    failed_bids: DynArray[uint256, c.MAX_CLUSTER_SIZE]
    forfeited: uint256


@deploy
def __init__(manager: address):
    """
    @notice Deploys SeatRotation for a manager; the deployment then names
            it in `Escrow.initialize`.
    @param manager The StrategyModuleManager (its Auction, StakerRewards
           and the Auction's Escrow are read from it).
    """
    assert manager.is_contract, "seat_rotation: manager has no code"
    MANAGER = manager
    AUCTION = staticcall IStrategyModuleManager(manager).auction()
    STAKER_REWARDS = staticcall IStrategyModuleManager(manager).staker_rewards()
    ESCROW = staticcall IStakerRewards(STAKER_REWARDS).ESCROW()


@external
@payable
@reentrant
def __default__():
    """
    @notice Receives a rotated seat's price from the Escrow, passed on to
            StakerRewards in the same transaction; refuses anyone else.
    """
    assert msg.sender == ESCROW, "seat_rotation: only the escrow pays in"


@external
def open_rotation(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    index: uint256,
) -> seat_types.Seat:
    """
    @notice Auctions seat `index` of a staked, streaming cluster alone: the
            best pending bid of an operator not in the cluster wins it for
            the cluster's remaining days (or its duration, if fewer); the
            leaver is refunded its unserved whole days, the newcomer's
            price starts streaming to the holder at the handover, and the
            new set has `RESHARE_TIMEOUT` to register its reshared shares.
    @dev The seat's operator at any time before its end (it leaves);
         anyone once the seat ends within `ROTATION_NOTICE`. One rotation
         at a time per cluster; refused while a loss charge is pending
         (its reservation is on the current seats' bonds).
    @param cluster_id The cluster.
    @param seats The cluster's seats (`deploy/seats.py`).
    @param index The seat to rotate.
    @return Seat The newcomer's seat.
    """
    assert (
        staticcall IStrategyModuleManager(MANAGER).cluster_status(cluster_id)
        == c.CLUSTER_STAKED
    ), "seat_rotation: cluster not staked"
    assert staticcall IStakerRewards(STAKER_REWARDS).check_seats(
        cluster_id, seats
    )
    stream: IStakerRewards.StreamInfo = staticcall IStakerRewards(
        STAKER_REWARDS
    ).get_stream(cluster_id)
    assert stream.status == c.STREAM_STREAMING, "seat_rotation: not streaming"
    assert block.timestamp < stream.end, "seat_rotation: stream ended"
    assert index < len(seats), "seat_rotation: no such seat"
    last: ISeatRotation.Rotation = self._rotations[cluster_id]
    assert last.status != c.ROTATION_OPEN, "seat_rotation: a rotation is open"
    leaver: seat_types.Seat = seats[index]
    if msg.sender != leaver.operator:
        assert (
            block.timestamp + c.ROTATION_NOTICE
            >= stream.start + leaver.days * c.SECONDS_PER_DAY
        ), "seat_rotation: seat not ending"
    # the handover: the next whole day of the stream (as StakerRewards'
    # `rotate_seat` computes it in this same call)
    k: uint256 = 0
    if block.timestamp > stream.start:
        k = (
            block.timestamp - stream.start + c.SECONDS_PER_DAY - 1
        ) // c.SECONDS_PER_DAY
    stayers: DynArray[address, c.MAX_CLUSTER_SIZE] = []
    horizon: uint256 = 0
    for i: uint256 in range(len(seats), bound=c.MAX_CLUSTER_SIZE):
        assert (
            staticcall IEscrow(ESCROW).reserved(seats[i].bid_id) == 0
        ), "seat_rotation: loss charge pending"
        # every seat runs past the stream's end, so k <= its days
        horizon = max(horizon, seats[i].days - k)
        if i != index:
            assert (
                seats[i].days > k
            ), "seat_rotation: another seat ends by the handover"
            stayers.append(seats[i].operator)
    round: uint256 = last.round + 1
    deadline: uint256 = block.timestamp + c.RESHARE_TIMEOUT
    reshared_round: uint256 = last.reshared_round
    if last.status == c.ROTATION_RESHARED:
        reshared_round = last.round
    # a bounded read of the ranking (no state changes): the record is
    # written once, whole, before the Auction takes the seat
    newcomer: seat_types.Seat = self._newcomer(stayers, horizon)
    self._rotations[cluster_id] = ISeatRotation.Rotation(
        status=c.ROTATION_OPEN,
        round=round,
        index=index,
        leaver_bid=leaver.bid_id,
        leaver=leaver.operator,
        newcomer_bid=newcomer.bid_id,
        newcomer=newcomer.operator,
        opened_at=block.timestamp,
        deadline=deadline,
        reshared_round=reshared_round,
    )
    extcall IAuction(AUCTION).take_seat(
        cluster_id, newcomer.bid_id, newcomer.days
    )
    log RotationOpened(
        cluster_id=cluster_id,
        round=round,
        caller=msg.sender,
        index=index,
        leaver=leaver,
        newcomer=newcomer,
        deadline=deadline,
    )
    extcall IStakerRewards(STAKER_REWARDS).rotate_seat(
        cluster_id,
        seats,
        index,
        newcomer,
        value=newcomer.vc * newcomer.days,
    )
    return newcomer


@external
def register_share(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    share: Bytes[48],
    share_point: Bytes[128],
):
    """
    @notice Registers (or replaces) the caller's reshared public key share
            while its cluster's rotation is open.
    @dev The caller's share index is its rank in the cluster's seats + 1.
         Checks that `share` is the compression of `share_point`; the curve
         and subgroup checks happen at `complete_rotation`.
    @param cluster_id The cluster.
    @param seats The cluster's seats, the newcomer's included.
    @param share The 48-byte compressed public key share.
    @param share_point The same share, uncompressed (128 bytes, EIP-2537).
    """
    round: uint256 = self._open(cluster_id, seats)
    index: uint256 = max_value(uint256)
    for i: uint256 in range(len(seats), bound=c.MAX_CLUSTER_SIZE):
        if seats[i].operator == msg.sender:
            index = i
            break
    assert index != max_value(uint256), "seat_rotation: caller holds no seat"
    bls._check_g1_encoding(share_point, share)
    replaced: bool = (
        self._share_hashes[cluster_id][round][index] != empty(bytes32)
    )
    self._share_hashes[cluster_id][round][index] = keccak256(share_point)
    log ShareRegistered(
        cluster_id=cluster_id,
        round=round,
        operator=msg.sender,
        index=index + 1,
        share=share,
        share_point=share_point,
        replaced=replaced,
    )


@external
def complete_rotation(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    pubkey_point: Bytes[128],
    share_points: DynArray[Bytes[128], c.MAX_CLUSTER_SIZE],
):
    """
    @notice Closes an open rotation once the new set's registered shares
            give the validator's unchanged group key (every t of them, and
            no t - 1); the leaver's bond unlocks (charged to the holder if
            the validator was proven slashed meanwhile).
    @dev Anyone, until the rotation is forfeited (also after its deadline).
         The checks run in this order: one share per seat, each registered
         and equal to its registration, `pubkey_point` the validator's
         key, the shares giving it, t - 1 not giving it.
    @param cluster_id The cluster.
    @param seats The cluster's seats.
    @param pubkey_point The validator's public key, uncompressed.
    @param share_points The registered shares, uncompressed, in seat order.
    """
    round: uint256 = self._open(cluster_id, seats)
    n: uint256 = len(seats)
    assert len(share_points) == n, "seat_rotation: one share point per seat"
    for i: uint256 in range(n, bound=c.MAX_CLUSTER_SIZE):
        registered: bytes32 = self._share_hashes[cluster_id][round][i]
        assert registered != empty(bytes32), "seat_rotation: share missing"
        assert registered == keccak256(
            share_points[i]
        ), "seat_rotation: share differs from its registration"
    bls._check_g1_encoding(
        pubkey_point,
        staticcall IStrategyModuleManager(MANAGER).validator_pubkey(cluster_id),
    )
    t: uint256 = self._threshold(n)
    assert bls._shares_agree_batched(
        share_points, t, pubkey_point
    ), "seat_rotation: shares do not give the group key"
    below: DynArray[Bytes[128], c.MAX_CLUSTER_SIZE] = []
    indices: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    for i: uint256 in range(t - 1, bound=c.MAX_CLUSTER_SIZE):
        below.append(share_points[i])
        indices.append(i + 1)
    assert (
        bls._interpolate_g1(below, indices, 0) != pubkey_point
    ), "seat_rotation: fewer shares than the threshold give the group key"
    self._rotations[cluster_id].status = c.ROTATION_RESHARED
    leaver_bid: uint256 = self._rotations[cluster_id].leaver_bid
    log RotationCompleted(
        cluster_id=cluster_id,
        round=round,
        caller=msg.sender,
        leaver_bid=leaver_bid,
    )
    charge_to: address = empty(address)
    if self._slashed(cluster_id):
        charge_to = self._holder(cluster_id)
    self._release_leaver(
        leaver_bid, self._rotations[cluster_id].leaver, charge_to
    )


@external
def forfeit(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> uint256:
    """
    @notice After the reshare's time-out, fails the open rotation: the
            bonds of the operators whose new share is missing (all of the
            set's, if every share was registered but they never gave the
            key: no public check tells which one is wrong) are charged to
            the holder (`Auction.claim_refund`); the leaver's bond unlocks
            (any t of the old holders could deal without it), or is charged
            to the holder if the validator was proven slashed meanwhile.
    @dev Anyone, from `deadline`, or at once once the validator was proven
         slashed (nothing is left to reshare). A bond already unlocked (the
         exit was proven) or charged (a slashing) gives nothing.
    @param cluster_id The cluster.
    @param seats The cluster's seats.
    @return uint256 The wei charged to the holder.
    """
    round: uint256 = self._open(cluster_id, seats)
    slashed: bool = self._slashed(cluster_id)
    assert (
        block.timestamp >= self._rotations[cluster_id].deadline or slashed
    ), "seat_rotation: reshare time-out not reached"
    failed: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    for i: uint256 in range(len(seats), bound=c.MAX_CLUSTER_SIZE):
        if self._share_hashes[cluster_id][round][i] == empty(bytes32):
            failed.append(seats[i].bid_id)
    if len(failed) == 0:
        for seat: seat_types.Seat in seats:
            failed.append(seat.bid_id)
    self._rotations[cluster_id].status = c.ROTATION_FAILED
    holder: address = self._holder(cluster_id)
    forfeited: uint256 = extcall IEscrow(ESCROW).forfeit_bonds(failed, holder)
    log RotationFailed(
        cluster_id=cluster_id,
        round=round,
        caller=msg.sender,
        failed_bids=failed,
        forfeited=forfeited,
    )
    charge_to: address = empty(address)
    if slashed:
        charge_to = holder
    self._release_leaver(
        self._rotations[cluster_id].leaver_bid,
        self._rotations[cluster_id].leaver,
        charge_to,
    )
    return forfeited


@external
@view
def rotation(cluster_id: uint256) -> ISeatRotation.Rotation:
    """
    @notice The cluster's last rotation.
    @param cluster_id The cluster.
    @return Rotation Status, round, seat index, leaver and newcomer (bid
            and operator), opening time, deadline and the last completed
            round before it.
    """
    return self._rotations[cluster_id]


@external
@view
def share_hash(cluster_id: uint256, index: uint256) -> bytes32:
    """
    @notice The keccak256 of the uncompressed share registered in the
            cluster's last rotation for a share index (1-based).
    @param cluster_id The cluster.
    @param index The share index.
    @return bytes32 The hash (zero if none).
    """
    if index == 0 or index > c.MAX_CLUSTER_SIZE:
        return empty(bytes32)
    return self._share_hashes[cluster_id][self._rotations[cluster_id].round][
        index - 1
    ]


@external
@view
def current_round(cluster_id: uint256) -> uint256:
    """
    @notice The round whose shares the cluster's operators hold now: the
            last completed rotation's (an open or failed one changes
            nothing).
    @param cluster_id The cluster.
    @return uint256 The round (0: the shares registered at formation, in
            ClusterKeys).
    """
    return self._current_round(cluster_id)


@external
@view
def current_share_hash(cluster_id: uint256, index: uint256) -> bytes32:
    """
    @notice The keccak256 of the uncompressed share the cluster's operators
            hold now for a share index (1-based): the last completed
            rotation's, or ClusterKeys' (formation) before any.
    @param cluster_id The cluster.
    @param index The share index.
    @return bytes32 The hash (zero if none).
    """
    if index == 0 or index > c.MAX_CLUSTER_SIZE:
        return empty(bytes32)
    round: uint256 = self._current_round(cluster_id)
    if round == 0:
        return staticcall IClusterKeys(
            staticcall IStrategyModuleManager(MANAGER).cluster_keys()
        ).share_hash(cluster_id, index)
    return self._share_hashes[cluster_id][round][index - 1]


# ------------------------------------------------------------ internal


@internal
@view
def _open(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> uint256:
    """
    @dev The round of the cluster's open rotation, its seats checked; or a
         clear revert. Callers read the other fields they need one by one
         (a cold read each: the record spans ten slots).
    """
    assert (
        self._rotations[cluster_id].status == c.ROTATION_OPEN
    ), "seat_rotation: no rotation open"
    assert staticcall IStakerRewards(STAKER_REWARDS).check_seats(
        cluster_id, seats
    )
    return self._rotations[cluster_id].round


@internal
def _release_leaver(leaver_bid: uint256, leaver: address, charge_to: address):
    """
    @dev Frees the leaver's bond as its rotation resolves: unlocked to the
         leaver; or, when the validator was proven slashed while the
         rotation was open (only the old set held the key until the new
         shares gave it), charged to the holder `charge_to` first
         (`forfeit_bonds`: `BondForfeited`), then unlocked empty.
    @param charge_to The holder after a slashing; empty otherwise.
    """
    if charge_to != empty(address):
        extcall IEscrow(ESCROW).forfeit_bonds([leaver_bid], charge_to)
    extcall IEscrow(ESCROW).unlock_bond(leaver_bid, leaver)


@internal
@view
def _slashed(cluster_id: uint256) -> bool:
    """
    @dev Whether the cluster's validator was proven slashed. A rotation
         opens only while the cluster streams, so a slashing seen while it
         is open was proven during it.
    """
    return (
        staticcall IStrategyModuleManager(MANAGER).cluster_status(cluster_id)
        == c.CLUSTER_SLASHED
    )


@internal
@view
def _holder(cluster_id: uint256) -> address:
    """
    @dev The cluster's ByzNft holder.
    """
    return staticcall IERC721(
        staticcall IStakerRewards(STAKER_REWARDS).byz_nft()
    ).ownerOf(cluster_id)


@internal
@view
def _current_round(cluster_id: uint256) -> uint256:
    """
    @dev The last round whose shares gave the key (0: none yet).
    """
    if self._rotations[cluster_id].status == c.ROTATION_RESHARED:
        return self._rotations[cluster_id].round
    return self._rotations[cluster_id].reshared_round


@internal
@pure
def _threshold(n: uint256) -> uint256:
    """
    @dev ceil(n * 2 / 3): Obol's threshold, as ClusterKeys'.
    """
    return (
        n * c.THRESHOLD_NUMERATOR + c.THRESHOLD_DENOMINATOR - 1
    ) // c.THRESHOLD_DENOMINATOR


@internal
@view
def _newcomer(
    stayers: DynArray[address, c.MAX_CLUSTER_SIZE], horizon: uint256
) -> seat_types.Seat:
    """
    @dev The seat's winner: the best pending bid of the first ranked
         operator not among `stayers`, for its duration or `horizon` days
         if fewer. A bounded read: at most `len(stayers) + 1` operators of
         the ranking (`top_bids` lists each ranked operator's best bid).
    @param stayers The operators that keep their seats.
    @param horizon The most days the seat can run.
    @return Seat The new seat (bid id, operator, daily VC price, days).
    """
    top: DynArray[uint256, c.MAX_TOP] = staticcall IAuction(AUCTION).top_bids(
        len(stayers) + 1
    )
    for bid_id: uint256 in top:
        bid: IAuction.Bid = staticcall IAuction(AUCTION).get_bid(bid_id)
        if bid.operator not in stayers:
            return seat_types.Seat(
                bid_id=bid_id,
                operator=bid.operator,
                vc=bid.price // bid.duration,
                days=min(bid.duration, horizon),
            )
    raise "seat_rotation: no bid outside the cluster"
