# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title StakerRewards: winners' bid prices streamed to stakers
@custom:contract-name StakerRewards
@license MIT
@notice At settlement the Escrow sends the winners' bid prices of a cluster
        here together with its seats (`seat_types.Seat`: bid id,
        operator, daily VC price, days, bonded: `fund_cluster`); this
        contract keeps one hash of them, and every later operation takes
        the seats back as calldata and checks them against it ("seats do
        not match" otherwise). It never calls the Auction. When the
        staker's stake is confirmed the StrategyModuleManager starts the
        stream (`start_stream`): from that second on, the sum of the seats'
        daily VC prices accrues, per second, to the cluster's ByzNft
        holder, until the cluster's end (the smallest seat end) or the
        validator's proven exit (`end_stream`).

        Seats and the end: seat i pays for `days_i` days from the stream
        start (its bid duration, plus renewals: `renew`), so it ends at
        `start + days_i * 86400`; the cluster ends at the smallest seat end.
        The rate `sum(vc_i)` changes only when a seat rotates
        (`rotate_seat`, docs/protocol.md §10 "Seats that rotate"): the
        stream is re-based at the handover, every seat's days then counted
        from there.

        Closing (exactly once per cluster), then unlocking the bonds
        (exactly once, when the validator's exit is proven):
        - `expire` (anyone, once the end has passed) stops the stream at the
          end; `end_stream` (manager, when the validator's exit is proven)
          stops it at the exit epoch's time, or at the end if that came
          first: the staker's total is `rate * (stop - start) // 86400`;
          seat i gets back `vc_i * (seat_end_i - stop) // 86400` (its
          unserved seconds). What the floors leave (< size + 1 wei) is the
          cluster's dust, tracked and kept here.
        - The bonds stay locked while the validator runs: `expire` returns
          the credits alone (`Escrow.return_unused_credits`, status
          expired); `end_stream` returns the credits with the bonds
          (`Escrow.return_credits`), or, after an expiry, the bonds alone
          (credits 0: nothing is refunded twice). Expiry never blocks the
          exit.
        - `cancel_cluster` (manager) for a cluster never streamed: every
          price goes back to its operator, the bonds to the operators or to
          `bond_to` (the staker of a reported front-run).
        - `charge_slashing` (manager, when the validator is proven
          slashed): as `end_stream`, stopping at the proof's time, but the
          unserved credits are forfeited to the current holder
          (`credit_of`) and every bond is charged to the holder in the
          Escrow; after an expiry, the bonds alone. Pull only: a holder
          that cannot receive ETH blocks nothing.

        Stakers: `claim` pays the current holder (or `to`) what accrued since
        the last claim or sale; on every ByzNft transfer (`on_transfer`)
        what accrued so far is credited to the seller (`credit_of`,
        `withdraw_credit`), and the buyer earns from then on. Claims never
        wait for anyone: accrual is capped at the end, whether or not the
        cluster has been expired.

        Conservation, per cluster and exactly (docs/protocol.md §10), see
        `accounting`: paid + credited + claimable + unaccrued + refunded +
        forfeited + dust == funded + renewals; once closed and its stop
        passed, unaccrued == 0. Balance:
        `self.balance == sum(held(cluster)) + total_credit` (sale credits
        and forfeited credits; plus any ETH forced in by `selfdestruct`,
        which no function can spend).

        Every function is O(1) in the number of clusters; loops are bounded
        by the cluster size (<= 7); no keeper.
@dev Storage words are packed by `contracts/lib/stream_codec.vy` (this
     contract speaks in its structs). Per cluster, written at funding: one
     commitment word (the status and the top 248 bits of
     `keccak256(abi_encode(seats))`), nothing per seat; the seats travel
     in the Auction's `ClusterSettled` event and, renewed, in this
     contract's `SeatRenewed`. Later: one `Stream` word (at the start; the
     word `claim` reads and writes, so claims need no seats) and one
     `Tally` word (sales, renewals, and a close that leaves dust). What
     was funded is not stored: `funded + renewals == sum(vc * days)` over
     the seats, and what a close refunded is `funded + renewals - the
     staker's total - dust`, both exact.
"""

from ethereum.ercs import IERC721

from ..interfaces import IStakerRewards
from ..interfaces import IStrategyModuleManager
from ..lib import constants as c
from ..lib import seat_types
from ..lib import stream_codec as codec

from snekmate.auth import ownable
from snekmate.auth import ownable_2step

implements: IStakerRewards

initializes: ownable
initializes: ownable_2step[ownable := ownable]

exports: (
    ownable_2step.owner,
    ownable_2step.pending_owner,
    ownable_2step.transfer_ownership,
    ownable_2step.accept_ownership,
    ownable_2step.renounce_ownership,
)


# The Escrow's side of the close and the bonds `coverage` reads (IEscrow.vyi);
# declared here so that this contract does not depend on the rest of the
# Escrow's interface.
interface IEscrowCredits:
    def return_credits(
        bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE],
        operators: DynArray[address, c.MAX_CLUSTER_SIZE],
        credits: DynArray[uint256, c.MAX_CLUSTER_SIZE],
        bond_to: address,
    ): payable
    def return_unused_credits(
        bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE],
        operators: DynArray[address, c.MAX_CLUSTER_SIZE],
        credits: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    ): payable
    def held(bid_id: uint256) -> uint256: view
    def reserve(
        bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE], amount: uint256
    ) -> uint256: nonpayable
    def release_reserved(
        bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE],
        operators: DynArray[address, c.MAX_CLUSTER_SIZE],
        amount: uint256,
    ): nonpayable
    def charge_reserved(
        bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE], holder: address
    ) -> uint256: nonpayable


# The Escrow names the SeatRotation (`seat_rotation()`, set once at its
# initialization; empty, no caller matches it), the only caller of
# `rotate_seat`.
interface IEscrowRotation:
    def seat_rotation() -> address: view


# @notice The Auction: the only caller of `renew`.
AUCTION: public(immutable(address))
# @notice The Escrow: funds clusters, takes credits and bonds back.
ESCROW: public(immutable(IEscrowCredits))

# @notice The StrategyModuleManager (set once by the owner).
manager: public(IStrategyModuleManager)
# @notice The ByzNft collection (read from the manager).
byz_nft: public(IERC721)

# @notice Credits of sellers of ByzNfts, withdrawable with `withdraw_credit`.
credit_of: public(HashMap[address, uint256])
# @notice Sum of `credit_of` over all accounts.
total_credit: public(uint256)

# cluster id => its commitment: status | hash of its seats (`stream_codec`)
_commitment: HashMap[uint256, uint256]
_stream: HashMap[uint256, uint256]
_tally: HashMap[uint256, uint256]
_carry: HashMap[uint256, uint256]


event ManagerSet:
    manager: indexed(address)
    byz_nft: indexed(address)


event StreamStarted:
    cluster_id: indexed(uint256)
    rate: uint256
    start: uint256
    end: uint256


event SeatRenewed:
    cluster_id: indexed(uint256)
    index: indexed(uint256)
    seat: seat_types.Seat
    days: uint256
    amount: uint256
    seat_end: uint256
    cluster_end: uint256


# @dev A seat replaced without an exit (docs/protocol.md §10 "Seats that
# rotate"): `seats` are the cluster's seats from now on, their days counted
# from `handover`, the stream's new start; `banked` is what the stream
# accrued before it (the holder was credited what it had not claimed),
# `refunded` the leaver's unserved credits.
event SeatRotated:
    cluster_id: indexed(uint256)
    index: indexed(uint256)
    leaver: seat_types.Seat
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
    handover: uint256
    banked: uint256
    credited: uint256
    refunded: uint256
    price: uint256
    cluster_end: uint256


event StreamEnded:
    cluster_id: indexed(uint256)
    stop: uint256
    staker_total: uint256
    refunded: uint256
    dust: uint256


event ClusterExpired:
    cluster_id: indexed(uint256)
    caller: indexed(address)
    staker_total: uint256
    refunded: uint256
    dust: uint256


event BondsUnlocked:
    cluster_id: indexed(uint256)


event ClusterCancelled:
    cluster_id: indexed(uint256)
    refunded: uint256
    bond_to: address


event RewardsClaimed:
    cluster_id: indexed(uint256)
    holder: indexed(address)
    caller: indexed(address)
    to: address
    amount: uint256


event SaleCredited:
    cluster_id: indexed(uint256)
    seller: indexed(address)
    buyer: indexed(address)
    amount: uint256


event StreamSlashed:
    cluster_id: indexed(uint256)
    holder: indexed(address)
    stop: uint256
    staker_total: uint256
    forfeited: uint256
    dust: uint256


event CreditWithdrawn:
    account: indexed(address)
    to: indexed(address)
    amount: uint256


@deploy
def __init__(auction: address, escrow: address):
    """
    @notice Deploys StakerRewards; the deployer becomes the owner, who must
            call `set_manager` once.
    @param auction The Auction (the only caller of `renew`; never called).
    @param escrow The Escrow (funds clusters; takes credits back).
    """
    assert auction != empty(address), "staker_rewards: zero auction"
    assert escrow != empty(address), "staker_rewards: zero escrow"
    ownable.__init__()
    ownable_2step.__init__()
    AUCTION = auction
    ESCROW = IEscrowCredits(escrow)


@external
def set_manager(new_manager: address):
    """
    @notice Sets the StrategyModuleManager, once, and reads its ByzNft.
    @dev Only the owner; only once.
    @param new_manager The StrategyModuleManager.
    """
    ownable._check_owner()
    assert self.manager.address == empty(
        address
    ), "staker_rewards: manager already set"
    assert new_manager != empty(address), "staker_rewards: zero manager"
    nft: address = staticcall IStrategyModuleManager(new_manager).byz_nft()
    assert nft != empty(address), "staker_rewards: zero byz_nft"
    self.manager = IStrategyModuleManager(new_manager)
    self.byz_nft = IERC721(nft)
    log ManagerSet(manager=new_manager, byz_nft=nft)


@external
@payable
def fund_cluster(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
):
    """
    @notice Receives the winners' bid prices of a freshly settled cluster
            and commits to its seats: one word, the hash of the seats and
            the status funded. Every later operation takes the seats back
            as calldata and checks them against it.
    @dev Only the Escrow; once per cluster; `msg.value` must be the sum of
         the seats' prices (`vc * days`). No event of its own: the
         Auction's `ClusterSettled`, in the same transaction, carries the
         seats.
    @param cluster_id The Auction's cluster id.
    @param seats The winners' seats, in ranking order.
    """
    assert (
        msg.sender == ESCROW.address
    ), "staker_rewards: caller is not the escrow"
    assert self._commitment[cluster_id] == 0, "staker_rewards: already funded"
    assert len(seats) != 0, "staker_rewards: empty cluster"
    total: uint256 = 0
    for seat: seat_types.Seat in seats:
        assert seat.days != 0, "staker_rewards: zero duration"
        assert seat.operator != empty(address), "staker_rewards: zero operator"
        total += seat.vc * seat.days
    assert msg.value == total, "staker_rewards: wrong amount"
    self._commitment[cluster_id] = codec.pack_commitment(seats, c.STREAM_FUNDED)


@external
def start_stream(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
):
    """
    @notice Starts the cluster's stream to its ByzNft holder, now.
    @dev Only the StrategyModuleManager (at `confirm_stake`), once, for a
         funded cluster. The stream ends at the smallest seat end.
    @param cluster_id The cluster (== ByzNft token id) whose stake was
           confirmed.
    @param seats The cluster's seats (checked against its commitment).
    """
    assert (
        msg.sender == self.manager.address
    ), "staker_rewards: caller is not the manager"
    self._check_pending(cluster_id, seats)
    rate: uint256 = 0
    min_days: uint256 = max_value(uint256)
    for seat: seat_types.Seat in seats:
        rate += seat.vc
        min_days = min(min_days, seat.days)
    end: uint256 = block.timestamp + min_days * c.SECONDS_PER_DAY
    self._set_status(cluster_id, c.STREAM_STREAMING)
    self._stream[cluster_id] = codec.pack_stream(
        codec.Stream(rate=rate, start=block.timestamp, end=end, accounted=0)
    )
    log StreamStarted(
        cluster_id=cluster_id, rate=rate, start=block.timestamp, end=end
    )


@external
@payable
def renew(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    seat: uint256,
    days: uint256,
    max_duration: uint256,
):
    """
    @notice Extends seat `seat` of a live cluster by `days` days, paid now,
            and commits to the renewed seats.
    @dev Only the Auction (which checks that its caller holds the seat and
         forwards its `max_duration`). The cluster must be streaming and
         its end not passed; `msg.value == days * vc_seat`; the seat may
         not run past `max_duration` days from the stream start. The
         cluster's end moves to the new smallest seat end; the rate does
         not change. `SeatRenewed` carries the renewed seat.
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    @param seat The seat index (its position in `seats`).
    @param days Days added to the seat (> 0).
    @param max_duration The Auction's maximum duration, in days.
    """
    assert msg.sender == AUCTION, "staker_rewards: caller is not the auction"
    self._check_streaming(cluster_id, seats)
    stream: codec.Stream = codec.unpack_stream(self._stream[cluster_id])
    assert block.timestamp < stream.end, "staker_rewards: stream ended"
    assert seat < len(seats), "staker_rewards: no such seat"
    assert days != 0, "staker_rewards: zero days"
    renewed: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE] = seats
    new_days: uint256 = renewed[seat].days + days
    assert new_days <= max_duration, "staker_rewards: past max duration"
    assert msg.value == days * renewed[seat].vc, "staker_rewards: wrong amount"

    renewed[seat].days = new_days
    self._commitment[cluster_id] = codec.pack_commitment(
        renewed, c.STREAM_STREAMING
    )
    tally: codec.Tally = codec.unpack_tally(self._tally[cluster_id])
    tally.renewals += msg.value
    self._tally[cluster_id] = codec.pack_tally(tally)
    min_days: uint256 = max_value(uint256)
    for s: seat_types.Seat in renewed:
        min_days = min(min_days, s.days)
    end: uint256 = stream.start + min_days * c.SECONDS_PER_DAY
    if end != stream.end:
        stream.end = end
        self._stream[cluster_id] = codec.pack_stream(stream)
    log SeatRenewed(
        cluster_id=cluster_id,
        index=seat,
        seat=renewed[seat],
        days=days,
        amount=msg.value,
        seat_end=stream.start + new_days * c.SECONDS_PER_DAY,
        cluster_end=end,
    )


@external
@payable
def rotate_seat(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    index: uint256,
    new_seat: seat_types.Seat,
):
    """
    @notice Replaces seat `index` of a streaming cluster with `new_seat`,
            paid now, and re-bases the stream at the handover: the next
            whole day of the stream (now, if the stream has not started
            yet). What the stream accrued until the handover is banked:
            what the holder has not claimed of it is credited to it
            (`credit_of`); the leaver gets its unserved whole days back
            (`Escrow.return_unused_credits`, its bond stays locked); the
            other seats keep their ends, counted from the handover; the
            stream restarts there at the new rate, to the new smallest seat
            end. `SeatRotated` carries the new seats.
    @dev Only the Auction's SeatRotation. `new_seat.days` counts from the handover;
         `msg.value == new_seat.vc * new_seat.days`; every other seat must
         outlive the handover. Whole days only: nothing is floored.
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    @param index The seat that changes hands.
    @param new_seat The newcomer's seat.
    """
    assert (
        msg.sender == staticcall IEscrowRotation(ESCROW.address).seat_rotation()
    ), "staker_rewards: caller is not the seat rotation"
    self._check_streaming(cluster_id, seats)
    stream: codec.Stream = codec.unpack_stream(self._stream[cluster_id])
    assert block.timestamp < stream.end, "staker_rewards: stream ended"
    assert index < len(seats), "staker_rewards: no such seat"
    assert new_seat.days != 0, "staker_rewards: zero duration"
    assert new_seat.operator != empty(address), "staker_rewards: zero operator"
    assert (
        msg.value == new_seat.vc * new_seat.days
    ), "staker_rewards: wrong amount"
    k: uint256 = self._handover_day(stream)
    handover: uint256 = stream.start + k * c.SECONDS_PER_DAY
    rotated: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE] = []
    min_days: uint256 = new_seat.days
    for i: uint256 in range(len(seats), bound=c.MAX_CLUSTER_SIZE):
        if i == index:
            rotated.append(new_seat)
            continue
        s: seat_types.Seat = seats[i]
        assert s.days > k, "staker_rewards: another seat ends by the handover"
        s.days -= k
        min_days = min(min_days, s.days)
        rotated.append(s)
    leaver: seat_types.Seat = seats[index]
    # the stream ends at the smallest seat end, so k <= leaver.days
    refund: uint256 = leaver.vc * (leaver.days - k)
    banked: uint256 = stream.rate * k
    credited: uint256 = banked - stream.accounted
    holder: address = staticcall self.byz_nft.ownerOf(cluster_id)
    if credited != 0:
        self.credit_of[holder] += credited
        self.total_credit += credited
        tally: codec.Tally = codec.unpack_tally(self._tally[cluster_id])
        tally.credited += credited
        self._tally[cluster_id] = codec.pack_tally(tally)
    carry: codec.Carry = codec.unpack_carry(self._carry[cluster_id])
    carry.accounted += banked
    carry.rotated_in += msg.value
    carry.refunded += refund
    self._carry[cluster_id] = codec.pack_carry(carry)
    end: uint256 = handover + min_days * c.SECONDS_PER_DAY
    self._stream[cluster_id] = codec.pack_stream(
        codec.Stream(
            rate=stream.rate - leaver.vc + new_seat.vc,
            start=handover,
            end=end,
            accounted=0,
        )
    )
    self._commitment[cluster_id] = codec.pack_commitment(
        rotated, c.STREAM_STREAMING
    )
    log SeatRotated(
        cluster_id=cluster_id,
        index=index,
        leaver=leaver,
        seats=rotated,
        handover=handover,
        banked=banked,
        credited=credited,
        refunded=refund,
        price=msg.value,
        cluster_end=end,
    )
    extcall ESCROW.return_unused_credits(
        [leaver.bid_id], [leaver.operator], [refund], value=refund
    )


@external
def end_stream(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    exit_time: uint256,
):
    """
    @notice Ends a cluster whose validator's exit was proven: a streaming
            cluster's stream stops at `exit_time` (or at its end if that
            came first; never before the second up to which the holder
            already claimed or was credited) and every seat's unserved
            seconds are paid back to its operator with its bond; an
            expired cluster (credits already returned) gets its bonds
            unlocked alone. Either way the status becomes ended, and the
            bonds never unlock while the validator runs.
    @dev Only the cluster's StrategyModule (`prove_exit`, after the
         manager marked the cluster exited: `on_exit_proven`), once. The
         holder keeps what accrued until the stop (`claim` still works; an
         exit epoch still ahead keeps accruing until it).
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    @param exit_time The timestamp of the validator's exit epoch.
    """
    self._check_module(cluster_id)
    status: uint256 = self._checked(cluster_id, seats)
    if status == c.STREAM_EXPIRED:
        self._set_status(cluster_id, c.STREAM_ENDED)
        log BondsUnlocked(cluster_id=cluster_id)
        self._return_bonds(seats, empty(address))
        return
    assert status == c.STREAM_STREAMING, "staker_rewards: not streaming"
    stream: codec.Stream = codec.unpack_stream(self._stream[cluster_id])
    stop: uint256 = self._stop(stream, exit_time)
    credits: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    staker_total: uint256 = 0
    refunded: uint256 = 0
    dust: uint256 = 0
    credits, staker_total, refunded, dust = self._close(
        cluster_id, seats, stream, stop, c.STREAM_ENDED
    )
    log StreamEnded(
        cluster_id=cluster_id,
        stop=stop,
        staker_total=staker_total,
        refunded=refunded,
        dust=dust,
    )
    extcall ESCROW.return_credits(
        self._bid_ids(seats),
        self._operators(seats),
        credits,
        empty(address),
        value=refunded,
    )


@external
def expire(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
):
    """
    @notice Closes a cluster whose end has passed: every seat's unused
            credits (its days beyond the cluster's end) go back to its
            operator through the Escrow. The bonds stay locked until the
            validator's exit is proven (`end_stream`): the validator still
            runs. The cluster stays staked, and its holder may still exit.
    @dev Anyone, once. The holder keeps what accrued until the end
         (`claim` still works).
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    """
    self._check_streaming(cluster_id, seats)
    stream: codec.Stream = codec.unpack_stream(self._stream[cluster_id])
    assert (
        block.timestamp >= stream.end
    ), "staker_rewards: credits not exhausted"
    credits: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    staker_total: uint256 = 0
    refunded: uint256 = 0
    dust: uint256 = 0
    credits, staker_total, refunded, dust = self._close(
        cluster_id, seats, stream, stream.end, c.STREAM_EXPIRED
    )
    log ClusterExpired(
        cluster_id=cluster_id,
        caller=msg.sender,
        staker_total=staker_total,
        refunded=refunded,
        dust=dust,
    )
    extcall ESCROW.return_unused_credits(
        self._bid_ids(seats), self._operators(seats), credits, value=refunded
    )


@external
def charge_slashing(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    slash_time: uint256,
):
    """
    @notice Ends a cluster whose validator was proven slashed, in the
            holder's favour: a streaming cluster's stream stops at
            `slash_time` (or at its end if that came first; never before
            the second up to which the holder already claimed or was
            credited) and every seat's unserved credits are forfeited to the
            current ByzNft holder (`credit_of`, pulled with
            `withdraw_credit`) instead of going back to its operator; every
            winner's bond is charged to the holder in the Escrow
            (`Escrow.claimable`, pulled with `Auction.claim_refund`). An
            expired cluster (its credits already returned to the operators)
            has its bonds alone charged to the holder.
    @dev Only the cluster's StrategyModule (`prove_slashing`, after the
         manager marked the cluster slashed: `on_slashing_proven`), once. Status: slashed after a stream, ended after an expiry. The
         holder keeps what accrued until the stop (`claim` still works).
         Nothing is pushed: a holder that cannot receive ETH blocks nothing.
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    @param slash_time The time the slashing was proven at (the proof's
           EIP-4788 timestamp).
    """
    self._check_module(cluster_id)
    holder: address = staticcall self.byz_nft.ownerOf(cluster_id)
    stream: codec.Stream = codec.unpack_stream(self._stream[cluster_id])
    stop: uint256 = stream.end
    forfeited: uint256 = 0
    dust: uint256 = 0
    status: uint256 = self._checked(cluster_id, seats)
    if status == c.STREAM_EXPIRED:
        self._set_status(cluster_id, c.STREAM_ENDED)
        dust = codec.unpack_tally(self._tally[cluster_id]).dust
    else:
        assert status == c.STREAM_STREAMING, "staker_rewards: not streaming"
        stop = self._stop(stream, slash_time)
        credits: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
        staker_total: uint256 = 0
        credits, staker_total, forfeited, dust = self._close(
            cluster_id, seats, stream, stop, c.STREAM_SLASHED
        )
        self.credit_of[holder] += forfeited
        self.total_credit += forfeited
    log StreamSlashed(
        cluster_id=cluster_id,
        holder=holder,
        stop=stop,
        staker_total=stream.rate * (stop - stream.start) // c.SECONDS_PER_DAY,
        forfeited=forfeited,
        dust=dust,
    )
    self._return_bonds(seats, holder)


@external
def reserve_charge(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    amount: uint256,
) -> uint256:
    """
    @notice Sets up to `amount` wei of the cluster's locked bonds aside in
            the Escrow for a loss a checkpoint proved, pro rata to the
            bonds (`Escrow.reserve`), until the challenge window ends.
    @dev Only the cluster's StrategyModule (`report_loss`).
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    @param amount Wei to reserve (capped by the bonds still locked).
    @return uint256 The wei reserved.
    """
    self._check_module(cluster_id)
    self._checked(cluster_id, seats)
    return extcall ESCROW.reserve(self._bid_ids(seats), amount)


@external
def release_charge(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    amount: uint256,
):
    """
    @notice Gives `amount` wei of the cluster's pending loss charge back
            to the winners (`Escrow.release_reserved`): into their bonds
            while locked, claimable by the operators once unlocked.
    @dev Only the cluster's StrategyModule (`answer_loss`).
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    @param amount Wei to give back (at most what is reserved).
    """
    self._check_module(cluster_id)
    self._checked(cluster_id, seats)
    extcall ESCROW.release_reserved(
        self._bid_ids(seats), self._operators(seats), amount
    )


@external
def settle_charge(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
):
    """
    @notice Charges the cluster's pending loss charge to its current ByzNft
            holder in the Escrow (`Escrow.charge_reserved`), who pulls it
            with `Auction.claim_refund`.
    @dev Only the cluster's StrategyModule (`settle_loss`).
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    """
    self._check_module(cluster_id)
    self._checked(cluster_id, seats)
    extcall ESCROW.charge_reserved(
        self._bid_ids(seats), staticcall self.byz_nft.ownerOf(cluster_id)
    )


@external
def cancel_cluster(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    bond_to: address,
):
    """
    @notice Cancels a cluster that was funded but never streamed: every
            price goes back to its operator; the bonds to the operators
            (`bond_to` empty: a dissolution) or to `bond_to` (the staker
            compensated for a reported front-run).
    @dev Only the StrategyModuleManager, once.
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    @param bond_to Who gets the winners' bonds; empty for their operators.
    """
    assert (
        msg.sender == self.manager.address
    ), "staker_rewards: caller is not the manager"
    self._check_pending(cluster_id, seats)
    credits: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    funded: uint256 = 0
    for seat: seat_types.Seat in seats:
        credits.append(seat.vc * seat.days)
        funded += seat.vc * seat.days
    self._set_status(cluster_id, c.STREAM_CANCELLED)
    log ClusterCancelled(
        cluster_id=cluster_id, refunded=funded, bond_to=bond_to
    )
    extcall ESCROW.return_credits(
        self._bid_ids(seats),
        self._operators(seats),
        credits,
        bond_to,
        value=funded,
    )


@external
def on_transfer(token_id: uint256, seller: address, buyer: address):
    """
    @notice Credits the seller of ByzNft `token_id` with what accrued and
            was not claimed until now; the buyer earns from now on.
    @dev Only the ByzNft, on every transfer (not at mint). Does nothing for
         a token whose stream never started or with nothing accrued.
    @param token_id The token (== cluster) id.
    @param seller The previous holder.
    @param buyer The new holder.
    """
    assert (
        msg.sender == self.byz_nft.address
    ), "staker_rewards: caller is not the byz_nft"
    stream: codec.Stream = codec.unpack_stream(self._stream[token_id])
    amount: uint256 = self._accrued(stream) - stream.accounted
    if amount == 0:
        return
    stream.accounted += amount
    self._stream[token_id] = codec.pack_stream(stream)
    tally: codec.Tally = codec.unpack_tally(self._tally[token_id])
    tally.credited += amount
    self._tally[token_id] = codec.pack_tally(tally)
    self.credit_of[seller] += amount
    self.total_credit += amount
    log SaleCredited(
        cluster_id=token_id, seller=seller, buyer=buyer, amount=amount
    )


@external
def withdraw_credit(to: address) -> uint256:
    """
    @notice Pays the caller's credits to `to`: what accrued until it sold
            a ByzNft, and the unserved credits of a cluster proven slashed
            while it held the ByzNft (`charge_slashing`).
    @dev Pays with all remaining gas; reverts if the caller has no credit.
    @param to The recipient.
    @return uint256 The amount paid, in wei.
    """
    assert to != empty(address), "staker_rewards: zero recipient"
    amount: uint256 = self.credit_of[msg.sender]
    assert amount != 0, "staker_rewards: no credit"
    self.credit_of[msg.sender] = 0
    self.total_credit -= amount
    log CreditWithdrawn(account=msg.sender, to=to, amount=amount)
    raw_call(to, b"", value=amount)
    return amount


@external
@view
def claimable(cluster_id: uint256) -> uint256:
    """
    @notice What `claim(cluster_id)` would pay now: accrued since the last
            claim or sale.
    @param cluster_id The cluster.
    @return uint256 The amount in wei (0 if the stream has not started).
    """
    stream: codec.Stream = codec.unpack_stream(self._stream[cluster_id])
    return self._accrued(stream) - stream.accounted


@external
def claim(cluster_id: uint256, to: address = empty(address)) -> uint256:
    """
    @notice Pays what accrued since the last claim or sale to the cluster's
            current ByzNft holder, or to `to`.
    @dev Only the holder or the cluster's StrategyModule may call. Works
         before and after the close. Pays with all remaining gas (no 2300
         stipend); a recipient that rejects ETH only blocks its own claim.
         Returns 0, without event, when nothing is claimable.
    @param cluster_id The cluster.
    @param to The recipient; empty (default) for the holder.
    @return uint256 The amount paid, in wei.
    """
    stream: codec.Stream = codec.unpack_stream(self._stream[cluster_id])
    assert stream.start != 0, "staker_rewards: stream not started"
    holder: address = staticcall self.byz_nft.ownerOf(cluster_id)
    if msg.sender != holder:
        module: address = staticcall self.manager.strategy_module_of(cluster_id)
        assert msg.sender == module, "staker_rewards: caller is not the holder"
    recipient: address = to
    if recipient == empty(address):
        recipient = holder
    amount: uint256 = self._accrued(stream) - stream.accounted
    if amount == 0:
        return 0
    stream.accounted += amount
    self._stream[cluster_id] = codec.pack_stream(stream)
    log RewardsClaimed(
        cluster_id=cluster_id,
        holder=holder,
        caller=msg.sender,
        to=recipient,
        amount=amount,
    )
    raw_call(recipient, b"", value=amount)
    return amount


@external
@view
def status(cluster_id: uint256) -> uint256:
    """
    @notice 0 unknown, 1 funded (not streamed), 2 streaming (stays 2 after
            the end until `expire`), 3 expired (credits returned, bonds
            locked: the validator runs), 4 ended by the validator's proven
            exit (bonds unlocked), or by its proven slashing after an
            expiry (bonds charged to the holder), 5 cancelled, 6 slashed
            (a slashing proven while streaming: unserved credits and bonds
            to the holder).
    @param cluster_id The cluster.
    @return uint256 The status (`constants.STREAM_*`).
    """
    return codec.unpack_status(self._commitment[cluster_id])


@external
@view
def commitment(cluster_id: uint256) -> bytes32:
    """
    @notice The hash the cluster's seats must match: the top 248 bits of
            `keccak256(abi_encode(seats))`, its low byte zero (0 for an
            unknown cluster). Off-chain mirrors check the seats they
            rebuilt from the events against it.
    @param cluster_id The cluster.
    @return bytes32 The committed hash.
    """
    return convert(self._commitment[cluster_id] & codec.HASH_MASK, bytes32)


@external
@view
def check_seats(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> bool:
    """
    @notice Whether `seats` are the cluster's seats; reverts
            ("staker_rewards: seats do not match") when they are not.
    @dev For contracts that act on a cluster's seats without going
         through StakerRewards (ClusterKeys, the manager's split).
    @param cluster_id The cluster.
    @param seats The seats to check.
    @return bool True.
    """
    self._checked(cluster_id, seats)
    return True


@external
@view
def held(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> uint256:
    """
    @notice ETH this contract holds for the cluster: funded + renewals -
            paid and credited to stakers - refunded to operators (so:
            unclaimed and unaccrued staker rewards, seats' credits not yet
            returned, and the close's dust).
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    @return uint256 The amount in wei.
    """
    a: IStakerRewards.Accounting = self._figures(cluster_id, seats)
    return a.claimable + a.unaccrued + a.dust


@external
@view
def get_stream(cluster_id: uint256) -> IStakerRewards.StreamInfo:
    """
    @notice A cluster's stream, decoded (no seats needed: what depends on
            the seats is in `accounting`).
    @param cluster_id The cluster.
    @return StreamInfo Status, rate (wei/day), start, end, min_duration
            (days from the start to the end), paid (claimed, without sale
            credits), accrued and claimable.
    """
    stream: codec.Stream = codec.unpack_stream(self._stream[cluster_id])
    credited: uint256 = codec.unpack_tally(self._tally[cluster_id]).credited
    banked: uint256 = codec.unpack_carry(self._carry[cluster_id]).accounted
    accrued: uint256 = self._accrued(stream)
    return IStakerRewards.StreamInfo(
        status=codec.unpack_status(self._commitment[cluster_id]),
        rate=stream.rate,
        start=stream.start,
        end=stream.end,
        min_duration=(stream.end - stream.start) // c.SECONDS_PER_DAY,
        paid=banked + stream.accounted - credited,
        accrued=banked + accrued,
        claimable=accrued - stream.accounted,
    )


@external
@view
def get_seat(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    seat: uint256,
) -> IStakerRewards.SeatInfo:
    """
    @notice Seat `seat` of a cluster, with its end.
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    @param seat The seat index (< the cluster's size).
    @return SeatInfo Bid id, operator, daily VC price, days paid from the
            stream start, and its end (0 before the start).
    """
    self._checked(cluster_id, seats)
    assert seat < len(seats), "staker_rewards: no such seat"
    s: seat_types.Seat = seats[seat]
    start: uint256 = codec.unpack_stream(self._stream[cluster_id]).start
    end: uint256 = 0
    if start != 0:
        end = start + s.days * c.SECONDS_PER_DAY
    return IStakerRewards.SeatInfo(
        bid_id=s.bid_id, operator=s.operator, vc=s.vc, days=s.days, end=end
    )


@external
@view
def accounting(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> IStakerRewards.Accounting:
    """
    @notice The cluster's conservation figures (docs/protocol.md §10). At every
            moment paid_to_stakers + credited_to_stakers + claimable +
            unaccrued + refunded + forfeited + dust == funded + renewals +
            rotated_in; once the cluster is closed and its stop has passed,
            unaccrued == 0.
    @dev `funded + renewals` is the sum of the seats' `vc * days`
         (after a rotation, plus what the streams accrued and the leavers
         got back before the handover, less what newcomers paid:
         `rotated_in`; `refunded` counts the leavers' credits too);
         `refunded` is what the close sent to the Escrow (every credit,
         exactly: the close stored the dust it left); `forfeited` what a
         slashing's close credited to the holder instead (one or the
         other is 0).
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    @return Accounting Funded, renewals, paid to stakers, credited to
            sellers, claimable, unaccrued, refunded to operators, forfeited
            to the holder by a slashing, dust, paid in by newcomers.
    """
    return self._figures(cluster_id, seats)


@external
@view
def coverage(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> IStakerRewards.Coverage:
    """
    @notice What a slashing proven now would give the cluster's holder,
            to compare with the 32 ETH at stake: the winners' bonds still
            locked in the Escrow and the credits left (the seats' unserved
            credits, forfeited to the holder by a slashing).
    @dev The credits are those of a stream stopped now (as
         `charge_slashing` stops it), 0 unless the cluster streams; the
         bonds stay locked from settlement until the validator's exit or
         slashing is proven (or the cluster is cancelled).
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked against its commitment).
    @return Coverage Bonds locked, credits left, and their sum (wei).
    """
    status: uint256 = self._checked(cluster_id, seats)
    bonds: uint256 = 0
    for seat: seat_types.Seat in seats:
        bonds += staticcall ESCROW.held(seat.bid_id)
    credits: uint256 = 0
    if status == c.STREAM_STREAMING:
        stream: codec.Stream = codec.unpack_stream(self._stream[cluster_id])
        stop: uint256 = self._stop(stream, block.timestamp)
        for seat: seat_types.Seat in seats:
            credits += (
                seat.vc
                * (
                    stream.start + seat.days * c.SECONDS_PER_DAY - stop
                ) // c.SECONDS_PER_DAY
            )
    return IStakerRewards.Coverage(
        bonds_locked=bonds, credits_left=credits, total=bonds + credits
    )


@internal
@view
def _figures(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> IStakerRewards.Accounting:
    """
    @dev The cluster's conservation figures (see `accounting`).
    @param cluster_id The cluster.
    @param seats The cluster's seats (checked here).
    @return Accounting The figures.
    """
    status: uint256 = self._checked(cluster_id, seats)
    stream: codec.Stream = codec.unpack_stream(self._stream[cluster_id])
    tally: codec.Tally = codec.unpack_tally(self._tally[cluster_id])
    # before the last handover (none without a rotation): the streams
    # accrued `carry.accounted`, the leavers got `carry.refunded` back, and
    # newcomers paid `carry.rotated_in`; whole days, so no dust
    carry: codec.Carry = codec.unpack_carry(self._carry[cluster_id])
    total: uint256 = 0  # the current seats' prices from the handover
    for seat: seat_types.Seat in seats:
        total += seat.vc * seat.days
    accrued: uint256 = self._accrued(stream)
    refunded: uint256 = 0
    forfeited: uint256 = 0
    if status == c.STREAM_CANCELLED:
        refunded = total
    elif (
        status == c.STREAM_EXPIRED
        or status == c.STREAM_ENDED
        or status == c.STREAM_SLASHED
    ):
        # closed: the end is the stop, and the staker's total is what
        # accrues until it (an exit epoch may still be ahead); a slashing
        # while streaming forfeited the unserved credits to the holder
        refunded = (
            total
            - stream.rate * (stream.end - stream.start) // c.SECONDS_PER_DAY
            - tally.dust
        )
        if status == c.STREAM_SLASHED:
            forfeited = refunded
            refunded = 0
    return IStakerRewards.Accounting(
        funded=total
        + carry.accounted
        + carry.refunded
        - tally.renewals
        - carry.rotated_in,
        renewals=tally.renewals,
        paid_to_stakers=carry.accounted + stream.accounted - tally.credited,
        credited_to_stakers=tally.credited,
        claimable=accrued - stream.accounted,
        unaccrued=total - accrued - refunded - forfeited - tally.dust,
        refunded=refunded + carry.refunded,
        forfeited=forfeited,
        dust=tally.dust,
        rotated_in=carry.rotated_in,
    )


@internal
@view
def _checked(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> uint256:
    """
    @dev The status of a funded cluster whose seats are `seats`, or a
         clear revert.
    @param cluster_id The cluster.
    @param seats The seats the caller passed.
    @return uint256 Its status.
    """
    word: uint256 = self._commitment[cluster_id]
    assert word != 0, "staker_rewards: cluster not funded"
    assert codec.seats_match(word, seats), "staker_rewards: seats do not match"
    return codec.unpack_status(word)


@internal
@view
def _check_pending(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
):
    """
    @dev Reverts unless the cluster is funded, was never streamed and has
         these seats.
    @param cluster_id The cluster.
    @param seats The seats the caller passed.
    """
    assert (
        self._checked(cluster_id, seats) == c.STREAM_FUNDED
    ), "staker_rewards: cluster not pending"


@internal
@view
def _check_streaming(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
):
    """
    @dev Reverts unless the cluster's stream runs (not closed) and it has
         these seats.
    @param cluster_id The cluster.
    @param seats The seats the caller passed.
    """
    assert (
        self._checked(cluster_id, seats) == c.STREAM_STREAMING
    ), "staker_rewards: not streaming"


@internal
@view
def _check_module(cluster_id: uint256):
    """
    @dev Reverts unless the caller is the cluster's StrategyModule (which
         ends the stream with the seats its prover passed, once the manager
         marked the exit or the slashing).
    @param cluster_id The cluster.
    """
    assert msg.sender == staticcall self.manager.strategy_module_of(
        cluster_id
    ), "staker_rewards: caller is not the cluster's module"


@internal
def _set_status(cluster_id: uint256, status: uint256):
    """
    @dev Rewrites the status in the cluster's commitment.
    @param cluster_id The cluster.
    @param status The new status.
    """
    self._commitment[cluster_id] = codec.with_status(
        self._commitment[cluster_id], status
    )


@internal
@pure
def _bid_ids(
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    """
    @dev The seats' bid ids, in seat order.
    @param seats The seats.
    @return DynArray The bid ids.
    """
    ids: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    for seat: seat_types.Seat in seats:
        ids.append(seat.bid_id)
    return ids


@internal
@pure
def _operators(
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
) -> DynArray[address, c.MAX_CLUSTER_SIZE]:
    """
    @dev The seats' operators, in seat order.
    @param seats The seats.
    @return DynArray The operators.
    """
    operators: DynArray[address, c.MAX_CLUSTER_SIZE] = []
    for seat: seat_types.Seat in seats:
        operators.append(seat.operator)
    return operators


@internal
def _close(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    stream: codec.Stream,
    stop: uint256,
    new_status: uint256,
) -> (DynArray[uint256, c.MAX_CLUSTER_SIZE], uint256, uint256, uint256):
    """
    @dev Closes a streaming cluster at `stop` (<= its end): stores the stop
         as the end, the new status and the dust, and returns what the
         Escrow needs (the caller logs, then calls it).
    @param cluster_id The cluster.
    @param seats Its seats (checked by the caller).
    @param stream Its stream.
    @param stop The second the stream stops.
    @param new_status STREAM_EXPIRED, STREAM_ENDED or STREAM_SLASHED.
    @return DynArray Each seat's credit; the staker's total, the refunded
            total and the dust.
    """
    credits: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    refunded: uint256 = 0
    total: uint256 = 0  # funded + renewals
    for seat: seat_types.Seat in seats:
        seat_end: uint256 = stream.start + seat.days * c.SECONDS_PER_DAY
        credit: uint256 = seat.vc * (seat_end - stop) // c.SECONDS_PER_DAY
        credits.append(credit)
        refunded += credit
        total += seat.vc * seat.days
    staker_total: uint256 = (
        stream.rate * (stop - stream.start) // c.SECONDS_PER_DAY
    )
    # each of the size + 1 floors drops < 1 wei: dust <= size
    dust: uint256 = total - staker_total - refunded

    if stop != stream.end:
        stream.end = stop
        self._stream[cluster_id] = codec.pack_stream(stream)
    self._set_status(cluster_id, new_status)
    if dust != 0:
        tally: codec.Tally = codec.unpack_tally(self._tally[cluster_id])
        tally.dust = dust
        self._tally[cluster_id] = codec.pack_tally(tally)
    return credits, staker_total, refunded, dust


@internal
def _return_bonds(
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE], bond_to: address
):
    """
    @dev Unlocks the cluster's bonds in the Escrow, with no credits: to
         their operators (`bond_to` empty) or to `bond_to`.
    @param seats The cluster's seats (checked by the caller).
    @param bond_to Who receives the bonds; empty for their operators.
    """
    zeros: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    for _: seat_types.Seat in seats:
        zeros.append(0)
    extcall ESCROW.return_credits(
        self._bid_ids(seats), self._operators(seats), zeros, bond_to
    )


@internal
@pure
def _stop(stream: codec.Stream, time: uint256) -> uint256:
    """
    @dev Where a stream proven over at `time` stops: at `time`, or at its
         end if that came first; never before the start, nor before the
         second up to which the holder already claimed or was credited
         (claims and sale credits before a late proof stand).
    @param stream The cluster's stream.
    @param time The proven time (an exit epoch's, or a slashing's).
    @return uint256 The stop.
    """
    stop: uint256 = max(min(time, stream.end), stream.start)
    if stream.rate != 0:
        stop = max(
            stop,
            stream.start
            + (
                stream.accounted * c.SECONDS_PER_DAY + stream.rate - 1
            ) // stream.rate,
        )
    return stop


@internal
@view
def _handover_day(stream: codec.Stream) -> uint256:
    """
    @dev The whole days of the stream up to a rotation's handover: the next
         whole day of the stream from now (0 before its start).
    @param stream The cluster's stream.
    @return uint256 The days from the start to the handover.
    """
    if block.timestamp <= stream.start:
        return 0
    return (
        block.timestamp - stream.start + c.SECONDS_PER_DAY - 1
    ) // c.SECONDS_PER_DAY


@internal
@view
def _accrued(stream: codec.Stream) -> uint256:
    """
    @dev `rate * (min(now, end) - start) // 86400`; 0 before the start.
    @param stream The cluster's stream.
    @return uint256 What accrued to stakers so far, in wei.
    """
    if stream.start == 0 or block.timestamp <= stream.start:
        return 0
    return (
        stream.rate
        * (min(block.timestamp, stream.end) - stream.start) // c.SECONDS_PER_DAY
    )
