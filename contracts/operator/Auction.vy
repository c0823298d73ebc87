# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma optimize codesize
# (the Auction is 23 654 bytes, 922 below the EIP-170 limit; measured: codesize costs under 0.2 % more gas here)
"""
@title Auction
@custom:contract-name Auction
@license MIT
@notice Node operators bid for seats in distributed validators (DVs). A bid
        names a discount rate (basis points) and a duration (days); it is
        priced in validation credits and paid up front, plus a bond the
        bidder chooses: at least 1 ETH (none required of a whitelisted
        operator), at most `MAX_BOND`, in 0.1 ETH steps; each 0.1 ETH above
        1 ETH raises the bid's score by 0.1 %. The money waits in the Escrow
        until the bid is withdrawn (refund) or wins (its price goes to
        StakerRewards, its bond stays locked for the life of the cluster).
        Winners may renew their seat (`renew`). docs/protocol.md §2-3.
@dev Pricing and scoring follow the specification to the wei. The ordered
     book lives in the `bid_book` module (the auction core); packed words
     live in `lib/book_codec.vy` and `lib/auction_codec.vy`.

     A configuration change never touches existing bids: each bid keeps the
     daily VC price (hence price and score) it was placed or last updated
     with, so the ranking of pending bids does not change; only bids placed
     or updated after the change use the new configuration.
"""

from ..interfaces import IAuction
from ..interfaces import IEscrow
from ..lib import auction_codec as codec
from ..lib import book_codec
from ..lib import constants as c
from ..lib import pricing
from ..lib import seat_types

from snekmate.auth import ownable
from snekmate.auth import ownable_2step
from . import bid_book

implements: IAuction

initializes: ownable
initializes: ownable_2step[ownable := ownable]
initializes: bid_book

# @dev `renounce_ownership` is deliberately not exported: an Auction without
# an owner could never be unpaused nor reconfigured.
exports: (
    ownable_2step.owner,
    ownable_2step.pending_owner,
    ownable_2step.transfer_ownership,
    ownable_2step.accept_ownership,
)


interface IStakerRewardsRenewal:
    def renew(
        cluster_id: uint256,
        seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
        seat: uint256,
        days: uint256,
        max_duration: uint256,
    ): payable


BOND: public(constant(uint256)) = c.BOND
MAX_BOND: public(constant(uint256)) = c.MAX_BOND
MAX_DURATION_CAP: public(constant(uint256)) = c.MAX_DURATION_CAP
MAX_DAILY_RETURN: public(constant(uint256)) = c.MAX_DAILY_RETURN

ESCROW: immutable(IEscrow)
CLUSTER_SIZE: immutable(uint256)

# @notice The StrategyModuleManager: the only caller of `settle_cluster` (set once).
manager: public(address)
# @notice Number of clusters created so far (cluster ids are 0 .. num_clusters - 1).
num_clusters: public(uint256)
# @dev The pricing configuration and the pause flag, in one word (`auction_codec`).
_config: uint256


event BidPlaced:
    bid_id: indexed(uint256)
    operator: indexed(address)
    discount_rate: uint256
    duration: uint256
    price: uint256
    bond: uint256
    score: uint256


event BidUpdated:
    bid_id: indexed(uint256)
    operator: indexed(address)
    discount_rate: uint256
    duration: uint256
    price: uint256
    score: uint256
    previous_price: uint256


event BidWithdrawn:
    bid_id: indexed(uint256)
    operator: indexed(address)
    refund: uint256


# @dev The one event of a settlement: every seat of the new cluster (its
# bid, now won, whose bond, if it paid one, stays locked in the Escrow; its
# operator; its price `vc * days`, released to StakerRewards). StakerRewards
# keeps only the hash of `seats`: later operations take them back from here
# (and from StakerRewards' `SeatRenewed`).
event ClusterSettled:
    cluster_id: indexed(uint256)
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]


# @dev A seat of a live cluster auctioned alone (`take_seat`): the bid won
# it for `seat.days` days from the handover; `price` went on to the cluster,
# `refund` (the rest of the bid's price) is claimable by its operator, and
# its bond stays locked.
event SeatTaken:
    cluster_id: indexed(uint256)
    seat: seat_types.Seat
    price: uint256
    refund: uint256


event ExcessReturned:
    operator: indexed(address)
    amount: uint256
    delivered: bool


event WhitelistUpdated:
    operator: indexed(address)
    whitelisted: bool


event AuctionConfigUpdated:
    expected_daily_return: uint256
    max_discount_rate: uint256
    min_duration: uint256
    max_duration: uint256


event ManagerSet:
    manager: indexed(address)


event Paused:
    account: address


event Unpaused:
    account: address


@deploy
def __init__(
    escrow: address,
    cluster_size: uint256,
    expected_daily_return: uint256,
    max_discount_rate: uint256,
    min_duration: uint256,
    max_duration: uint256,
):
    """
    @notice Deploys the auction; the deployer becomes the owner.
    @param escrow The Escrow that will hold the operators' funds.
    @param cluster_size Operators per distributed validator (4 to 7), fixed for life.
    @param expected_daily_return R: wei earned per 32 ETH validator per day.
    @param max_discount_rate Largest discount rate a bid may name (bps, < 10 000).
    @param min_duration Shortest bid duration in days (>= 1).
    @param max_duration Longest bid duration in days.
    """
    assert escrow != empty(address), "auction: zero escrow"
    assert (
        cluster_size >= c.MIN_CLUSTER_SIZE
        and cluster_size <= c.MAX_CLUSTER_SIZE
    ), "auction: bad cluster size"
    ownable.__init__()
    ownable_2step.__init__()
    bid_book.__init__()
    ESCROW = IEscrow(escrow)
    CLUSTER_SIZE = cluster_size
    self._set_config(
        expected_daily_return, max_discount_rate, min_duration, max_duration
    )


# ------------------------------------------------------------ operators


@external
@payable
def bid(
    discount_rates: DynArray[uint256, c.MAX_BATCH],
    durations: DynArray[uint256, c.MAX_BATCH],
    hints: DynArray[uint256, c.MAX_BATCH] = [],
    bonds: DynArray[uint256, c.MAX_BATCH] = [],
) -> DynArray[uint256, c.MAX_BATCH]:
    """
    @notice Places a batch of 1 to 32 bids and locks what they cost (price
            plus bond) in the Escrow; any ETH sent beyond the total is
            returned (or, if it cannot be delivered, kept claimable through
            `claim_refund`).
    @param discount_rates Each bid's discount rate in basis points.
    @param durations Each bid's duration in days.
    @param hints Optional: for each bid, a bid id near which it belongs
           (`insert_hint`, or `deploy/hints.py` off-chain); a missing, stale
           or wrong hint only costs gas. A hint of 0 starts from the
           previous bid of the batch.
    @param bonds Optional: each bid's bond in wei, a multiple of 0.1 ETH
           from the floor (1 ETH; 0 for a whitelisted operator) to
           `MAX_BOND`; empty: the floor for every bid.
    @return DynArray The new bid ids, in order.
    """
    self._require_live()
    assert len(hints) == 0 or len(hints) == len(
        discount_rates
    ), "auction: hints length mismatch"
    vc_prices: DynArray[uint256, c.MAX_BATCH] = []
    paid_bonds: DynArray[uint256, c.MAX_BATCH] = []
    total: uint256 = 0
    vc_prices, paid_bonds, total = self._quote(
        msg.sender, discount_rates, durations, bonds
    )
    assert msg.value >= total, "auction: not enough ETH"

    ids: DynArray[uint256, c.MAX_BATCH] = []
    amounts: DynArray[uint256, c.MAX_BATCH] = []
    hint: uint256 = 0
    for i: uint256 in range(len(vc_prices), bound=c.MAX_BATCH):
        if len(hints) != 0 and hints[i] != 0:
            hint = hints[i]
        score: uint256 = pricing.score(
            vc_prices[i], durations[i], paid_bonds[i]
        )
        bid_id: uint256 = bid_book._insert(
            msg.sender,
            discount_rates[i],
            durations[i],
            vc_prices[i],
            score,
            paid_bonds[i],
            hint,
        )
        ids.append(bid_id)
        price: uint256 = durations[i] * vc_prices[i]
        amounts.append(price + paid_bonds[i])
        # @dev Where no hint is given (0), the previous bid of the batch is the best start.
        hint = bid_id
        log BidPlaced(
            bid_id=bid_id,
            operator=msg.sender,
            discount_rate=discount_rates[i],
            duration=durations[i],
            price=price,
            bond=paid_bonds[i],
            score=score,
        )
    extcall ESCROW.deposit(ids[0], msg.sender, amounts, value=total)
    self._return_excess(msg.sender, msg.value - total)
    return ids


@external
@payable
def update_bid(
    bid_id: uint256,
    discount_rate: uint256,
    duration: uint256,
    hint: uint256 = 0,
):
    """
    @notice Re-prices a pending bid of yours under the current configuration
            and moves it to its new rank; it keeps its id (and so its place
            among equal scores) and its bond, whose factor still counts in
            the new score. A higher price must be paid in with this call
            (excess returned); a lower one is refunded.
    @param bid_id The bid to change.
    @param discount_rate The new discount rate (bps).
    @param duration The new duration (days).
    @param hint Optional bid id near which the bid now belongs; without
           one the search starts from the bid's own place.
    """
    self._require_live()
    old: book_codec.Bid = self._own_pending(bid_id)
    old_price: uint256 = old.vc_price * old.duration
    vc: uint256 = self._checked_vc_price(
        codec.unpack_config(self._config), discount_rate, duration
    )
    price: uint256 = vc * duration
    if price > old_price:
        assert msg.value >= price - old_price, "auction: not enough ETH"
    elif price == old_price:
        assert msg.value == 0, "auction: price unchanged, send no ETH"
    else:
        assert msg.value == 0, "auction: price went down, send no ETH"
    score: uint256 = pricing.score(vc, duration, old.bond)
    bid_book._reprice(bid_id, discount_rate, duration, vc, score, hint)
    log BidUpdated(
        bid_id=bid_id,
        operator=msg.sender,
        discount_rate=discount_rate,
        duration=duration,
        price=price,
        score=score,
        previous_price=old_price,
    )
    if price > old_price:
        extcall ESCROW.top_up(bid_id, value=price - old_price)
        self._return_excess(msg.sender, msg.value - (price - old_price))
    elif price < old_price:
        extcall ESCROW.refund(bid_id, msg.sender, old_price - price)


@external
def withdraw_bid(bid_id: uint256):
    """
    @notice Withdraws a pending bid of yours: the Escrow refunds exactly its
            price plus the bond it paid. Works while the auction is paused.
    @param bid_id The bid to withdraw.
    """
    self._own_pending(bid_id)
    bid_book._remove(bid_id, c.BID_WITHDRAWN)
    refund: uint256 = extcall ESCROW.refund_all(bid_id, msg.sender)
    log BidWithdrawn(bid_id=bid_id, operator=msg.sender, refund=refund)


@external
def claim_refund(to: address = msg.sender) -> uint256:
    """
    @notice Pays everything the Escrow holds claimable for you to the address
            you name: refunds that could not be delivered, unused credits,
            refunded prices and unlocked bonds (for a staker: the bonds
            of a reported front-run or of a proven slashing). Works while
            the auction is paused.
    @param to The receiver (default: you); a contract that cannot receive
           ETH names another address.
    @return uint256 The amount paid (wei).
    """
    return extcall ESCROW.pay_claimable(msg.sender, to)


@external
@payable
def renew(
    cluster_id: uint256,
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    days: uint256,
):
    """
    @notice Extends your seat in a live staked cluster by `days` days at the
            daily VC price your winning bid paid: the staker's stream then
            runs to the new smallest end among the seats (its rate does not
            change). No seat may run past `max_duration` days from staking.
            Excess ETH is returned.
    @dev StakerRewards checks `seats` against the cluster's commitment and
         logs the renewed seat (`SeatRenewed`).
    @param cluster_id The cluster.
    @param seats The cluster's seats (from `ClusterSettled` and the
           renewals since: `deploy/seats.py`).
    @param days Days to add (at least 1).
    """
    self._require_live()
    assert days > 0, "auction: zero days"
    seat: uint256 = max_value(uint256)
    for i: uint256 in range(len(seats), bound=c.MAX_CLUSTER_SIZE):
        if seats[i].operator == msg.sender:
            seat = i
            break
    assert seat != max_value(uint256), "auction: caller holds no seat"
    cost: uint256 = days * seats[seat].vc
    assert msg.value >= cost, "auction: not enough ETH"
    extcall IStakerRewardsRenewal(staticcall ESCROW.staker_rewards()).renew(
        cluster_id,
        seats,
        seat,
        days,
        codec.unpack_config(self._config).max_duration,
        value=cost,
    )
    self._return_excess(msg.sender, msg.value - cost)


# ------------------------------------------------------------ settlement


@external
def settle_cluster(
    hints: DynArray[uint256, c.MAX_CLUSTER_SIZE] = [],
) -> uint256:
    """
    @notice Forms the next cluster: the best pending bid of each of the
            first `cluster_size` ranked operators. The winners' prices go
            from the Escrow to StakerRewards with the cluster's seats (it
            keeps their hash); their bonds stay locked. One event,
            `ClusterSettled`, carries every seat.
    @dev Only the StrategyModuleManager. Parked operators are not ranked,
         so they cannot win and settlement never waits for them. Reverts,
         changing nothing, when fewer than `cluster_size` operators have
         pending bids, or fewer than `cluster_size` are ranked (parked ones
         would make up the number: anyone may `rejoin` them). Its gas is
         bounded whatever the book holds: it reads the winners' records,
         and a winner's next bid is promoted by a walk of at most
         `PROMOTION_WALK` operators from its hint, or parked.
    @param hints Optional, one per winner in ranking order (0: none): a bid
           next to which that winner's next bid ranks, from `deploy/hints.py`.
    @return uint256 The new cluster's id.
    """
    assert msg.sender == self.manager, "auction: caller is not the manager"
    self._require_live()
    assert (
        bid_book._count(book_codec.OPERATORS) >= CLUSTER_SIZE
    ), "auction: not enough operators"
    assert (
        bid_book._count(book_codec.RANKED) >= CLUSTER_SIZE
    ), "auction: not enough ranked operators"
    winners: DynArray[uint256, c.MAX_CLUSTER_SIZE] = bid_book._take_top(
        CLUSTER_SIZE, hints
    )
    cluster_id: uint256 = self.num_clusters
    seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE] = []
    for bid_id: uint256 in winners:
        winner: book_codec.Bid = bid_book._bid(bid_id)
        seats.append(
            seat_types.Seat(
                bid_id=bid_id,
                operator=winner.operator,
                vc=winner.vc_price,
                days=winner.duration,
            )
        )
    self.num_clusters = cluster_id + 1
    log ClusterSettled(cluster_id=cluster_id, seats=seats)
    extcall ESCROW.release(cluster_id, seats)
    return cluster_id


@external
def take_seat(cluster_id: uint256, bid_id: uint256, days: uint256):
    """
    @notice Gives one seat of a live cluster to a pending bid, for `days`
            days at most its duration: its price for those days goes to
            the caller (which passes it on to StakerRewards), the rest of
            its price is claimable by its operator, and its bond stays
            locked.
    @dev Only the SeatRotation, which chose the bid: the best bid of the
         first ranked operator outside the cluster (`top_bids`, a bounded
         read). The bid leaves the book through the book's own removal,
         which promotes the operator's next bid by a capped walk (or parks
         it).
    @param cluster_id The cluster (for the event).
    @param bid_id The winning bid (pending).
    @param days The days the seat runs (1 to the bid's duration).
    """
    assert (
        msg.sender == staticcall ESCROW.seat_rotation()
    ), "auction: caller is not the seat rotation"
    self._require_live()
    winner: book_codec.Bid = bid_book._bid(bid_id)
    assert winner.status == c.BID_PENDING, "auction: bid not pending"
    assert days != 0 and days <= winner.duration, "auction: days out of range"
    bid_book._remove(bid_id, c.BID_WON)
    price: uint256 = winner.vc_price * days
    refund: uint256 = winner.vc_price * (winner.duration - days)
    log SeatTaken(
        cluster_id=cluster_id,
        seat=seat_types.Seat(
            bid_id=bid_id,
            operator=winner.operator,
            vc=winner.vc_price,
            days=days,
        ),
        price=price,
        refund=refund,
    )
    extcall ESCROW.release_seat(
        bid_id, winner.operator, price, refund, msg.sender
    )


@external
def rejoin(operator: address, hint: uint256):
    """
    @notice Ranks a parked operator again, so that its bids can win; anyone
            may call it, the operator itself included (an operator is parked
            when a promotion it did not ask for would have walked too far).
            Bounded: the place must be within `PROMOTION_WALK` operators of
            the hint, else it reverts and changes nothing.
    @param operator The parked operator.
    @param hint A ranked bid next to which the operator's best bid belongs
           (`BookMirror.rejoin_hint` in `deploy/hints.py`).
    """
    bid_book._rejoin(operator, hint)


# ------------------------------------------------------------ owner


@external
def set_manager(manager: address):
    """
    @notice Names the StrategyModuleManager, the only caller of
            `settle_cluster`. Owner only, once.
    @param manager The StrategyModuleManager's address.
    """
    ownable._check_owner()
    assert self.manager == empty(address), "auction: manager already set"
    assert manager != empty(address), "auction: zero manager"
    self.manager = manager
    log ManagerSet(manager=manager)


@external
def add_to_whitelist(operator: address):
    """
    @notice Exempts an operator from the bond floor on bids placed from now
            on: it may bid with no bond (or choose one). Owner only.
    @param operator The operator to whitelist.
    """
    ownable._check_owner()
    assert operator != empty(address), "auction: zero operator"
    assert not bid_book._is_whitelisted(
        operator
    ), "auction: already whitelisted"
    bid_book._set_whitelisted(operator, True)
    log WhitelistUpdated(operator=operator, whitelisted=True)


@external
def remove_from_whitelist(operator: address):
    """
    @notice Makes an operator pay at least the bond floor again on bids
            placed from now on; bids already placed keep the bond they paid
            (or did not pay).
            Owner only.
    @param operator The operator to remove.
    """
    ownable._check_owner()
    assert bid_book._is_whitelisted(operator), "auction: not whitelisted"
    bid_book._set_whitelisted(operator, False)
    log WhitelistUpdated(operator=operator, whitelisted=False)


@external
def set_auction_config(
    expected_daily_return: uint256,
    max_discount_rate: uint256,
    min_duration: uint256,
    max_duration: uint256,
):
    """
    @notice Changes the pricing configuration. Owner only. Existing bids keep
            their price and score (the ranking of pending bids does not
            change); new and updated bids use the new values.
    @param expected_daily_return R, wei per 32 ETH validator per day (1 to
           2.5 * 10**17, so that every daily VC price fits the bid word).
    @param max_discount_rate The largest discount rate (bps, below 10 000).
    @param min_duration The shortest duration (days, at least 1).
    @param max_duration The longest duration (days, at most 36 500).
    """
    ownable._check_owner()
    self._set_config(
        expected_daily_return, max_discount_rate, min_duration, max_duration
    )


@external
def pause():
    """
    @notice Stops new bids, updates, renewals and settlement. Owner only.
            Withdrawals and refund claims keep working.
    """
    ownable._check_owner()
    self._set_paused(True)
    log Paused(account=msg.sender)


@external
def unpause():
    """
    @notice Resumes bidding and settlement. Owner only.
    """
    ownable._check_owner()
    self._set_paused(False)
    log Unpaused(account=msg.sender)


# ------------------------------------------------------------ views


@external
@view
def vc_price(discount_rate: uint256) -> uint256:
    """
    @notice Daily price of one validation credit at this discount rate:
            R * (10000 - d) // (n * 10000).
    @param discount_rate Basis points, at most `max_discount_rate`.
    @return uint256 Wei per day.
    """
    return self._vc_price(codec.unpack_config(self._config), discount_rate)


@external
@view
def bid_price(discount_rate: uint256, duration: uint256) -> uint256:
    """
    @notice What a bid costs, bond excluded: duration * vc_price(d).
    @param discount_rate Basis points.
    @param duration Days, within [min_duration, max_duration].
    @return uint256 Wei.
    """
    return duration * self._checked_vc_price(
        codec.unpack_config(self._config), discount_rate, duration
    )


@external
@view
def auction_score(
    discount_rate: uint256, duration: uint256, bond: uint256 = c.BOND
) -> uint256:
    """
    @notice A bid's ranking score: vc_price(d) * P(t) // 10**18 with
            P(t) = rpow(1.001, t) at RAY precision // 10**9, times the
            bond's factor: 1 up to the 1 ETH floor, +0.1 % per 0.1 ETH
            above it (docs/protocol.md §2).
    @param discount_rate Basis points.
    @param duration Days.
    @param bond Wei, a multiple of 0.1 ETH up to `MAX_BOND` (default: the
           1 ETH floor; 0, a whitelisted operator's no bond, scores the same).
    @return uint256 The score; higher ranks first.
    """
    return self._score(discount_rate, duration, bond)


@external
@view
def price_to_pay(
    operator: address,
    discount_rates: DynArray[uint256, c.MAX_BATCH],
    durations: DynArray[uint256, c.MAX_BATCH],
    bonds: DynArray[uint256, c.MAX_BATCH] = [],
) -> uint256:
    """
    @notice Total an operator must send to place this batch now: the bid
            prices plus each bid's bond.
    @param operator The bidder.
    @param discount_rates Basis points per bid.
    @param durations Days per bid.
    @param bonds Wei per bid, as `bid` takes them; empty: the floor (1 ETH,
           or 0 for a whitelisted operator).
    @return uint256 Wei.
    """
    vc_prices: DynArray[uint256, c.MAX_BATCH] = []
    paid_bonds: DynArray[uint256, c.MAX_BATCH] = []
    total: uint256 = 0
    vc_prices, paid_bonds, total = self._quote(
        operator, discount_rates, durations, bonds
    )
    return total


@external
@view
def insert_hint(
    discount_rate: uint256, duration: uint256, bond: uint256 = c.BOND
) -> uint256:
    """
    @notice The hint to pass with a new bid of these terms by an operator
            with no pending bid: the best bid of the operator it will
            follow (or precede), 0 for an empty book. It walks the ranking
            of operators: call it off-chain, or use `deploy/hints.py`.
    @param discount_rate Basis points.
    @param duration Days.
    @param bond Wei, as `auction_score` takes it (default: the 1 ETH floor).
    @return uint256 A pending bid id, or 0.
    """
    return bid_book._hint_for(self._score(discount_rate, duration, bond))


@external
@view
def get_bid(bid_id: uint256) -> IAuction.Bid:
    """
    @notice A bid's record; status 0 none, 1 pending, 2 won, 3 withdrawn.
    @param bid_id The bid.
    @return IAuction.Bid The bid (all zero when it does not exist).
    """
    record: book_codec.Bid = bid_book._bid(bid_id)
    return IAuction.Bid(
        operator=record.operator,
        discount_rate=record.discount_rate,
        duration=record.duration,
        price=record.vc_price * record.duration,
        bond=record.bond,
        score=pricing.score(record.vc_price, record.duration, record.bond),
        status=record.status,
    )


@external
@view
def top_bids(k: uint256) -> DynArray[uint256, c.MAX_TOP]:
    """
    @notice Up to `k` pending bid ids, best first (the global ranking).
    @param k How many (at most 256).
    @return DynArray Bid ids.
    """
    assert k <= c.MAX_TOP, "auction: k above 256"
    return bid_book._top(k)


@external
@view
def num_pending_bids() -> uint256:
    """
    @notice Number of pending bids in the book.
    @return uint256 The count.
    """
    return bid_book._count(book_codec.SIZE)


@external
@view
def num_bids() -> uint256:
    """
    @notice Number of bids ever placed (the last bid id).
    @return uint256 The count.
    """
    return bid_book._count(book_codec.LAST_ID)


@external
@view
def num_operators_in_auction() -> uint256:
    """
    @notice Number of operators with at least one pending bid.
    @return uint256 The count.
    """
    return bid_book._count(book_codec.OPERATORS)


@external
@view
def pending_bids_of(operator: address) -> uint256:
    """
    @notice Number of pending bids of an operator.
    @param operator The operator.
    @return uint256 The count.
    """
    return bid_book._op_field(operator, book_codec.OP_PENDING)


@external
@view
def is_whitelisted(operator: address) -> bool:
    """
    @notice Whether the operator may place new bids with no bond.
    @param operator The operator.
    @return bool True when whitelisted.
    """
    return bid_book._is_whitelisted(operator)


@external
@view
def can_settle() -> bool:
    """
    @notice Whether `settle_cluster` would succeed now: not paused and at
            least `cluster_size` ranked operators (parked ones do not count).
    @return bool True when a settlement can run.
    """
    return (
        not codec.is_paused(self._config)
        and bid_book._count(book_codec.RANKED) >= CLUSTER_SIZE
    )


@external
@view
def is_parked(operator: address) -> bool:
    """
    @notice Whether an operator's pending bids are unranked, so that they
            cannot win, until it (or anyone, through `rejoin`) puts it back
            in the ranking.
    @param operator The operator.
    @return bool True when parked.
    """
    return bid_book._is_parked(operator)


@external
@view
def num_parked_operators() -> uint256:
    """
    @notice Number of parked operators (counted in `num_operators_in_auction`).
    @return uint256 The count.
    """
    return bid_book._num_parked()


@external
@pure
def settlement_gas() -> uint256:
    """
    @notice Gas that covers any settlement, whatever the book holds: what a
            deposit forwards to the pre-creation of the next cluster.
    @return uint256 The gas.
    """
    return c.SETTLEMENT_GAS


@external
@view
def cluster_size() -> uint256:
    """
    @notice Operators per distributed validator, fixed at deployment.
    @return uint256 The cluster size.
    """
    return CLUSTER_SIZE


@external
@view
def escrow() -> address:
    """
    @notice The Escrow holding the operators' funds.
    @return address The Escrow.
    """
    return ESCROW.address


@external
@view
def paused() -> bool:
    """
    @notice Whether bids, updates, renewals and settlement are stopped.
    @return bool True when paused.
    """
    return codec.is_paused(self._config)


@external
@view
def auction_config() -> codec.Config:
    """
    @notice The current pricing configuration.
    @return codec.Config R, max discount rate, min and max duration.
    """
    return codec.unpack_config(self._config)


# ------------------------------------------------------------ internal


@internal
def _set_config(
    expected_daily_return: uint256,
    max_discount_rate: uint256,
    min_duration: uint256,
    max_duration: uint256,
):
    assert (
        expected_daily_return > 0
        and expected_daily_return <= c.MAX_DAILY_RETURN
    ), "auction: bad expected daily return"
    assert max_discount_rate < c.BPS, "auction: max discount rate too high"
    assert min_duration >= 1, "auction: min duration below 1 day"
    assert min_duration <= max_duration, "auction: min duration above max"
    assert max_duration <= c.MAX_DURATION_CAP, "auction: max duration too long"
    # @dev Every valid bid must cost at least 1 wei per day.
    assert (
        expected_daily_return * (c.BPS - max_discount_rate)
        >= CLUSTER_SIZE * c.BPS
    ), "auction: prices round to zero"
    # @dev A new configuration keeps the pause flag.
    self._config = codec.with_paused(
        codec.pack_config(
            codec.Config(
                expected_daily_return=expected_daily_return,
                max_discount_rate=max_discount_rate,
                min_duration=min_duration,
                max_duration=max_duration,
            )
        ),
        codec.is_paused(self._config),
    )
    log AuctionConfigUpdated(
        expected_daily_return=expected_daily_return,
        max_discount_rate=max_discount_rate,
        min_duration=min_duration,
        max_duration=max_duration,
    )


@internal
@view
def _vc_price(config: codec.Config, discount_rate: uint256) -> uint256:
    """
    @dev The daily VC price of a bid at `discount_rate` (docs/protocol.md §2).
    @return uint256 The daily VC price (wei per day).
    """
    assert (
        discount_rate <= config.max_discount_rate
    ), "auction: discount rate too high"
    return config.expected_daily_return * (c.BPS - discount_rate) // (
        CLUSTER_SIZE * c.BPS
    )


@internal
@view
def _checked_vc_price(
    config: codec.Config, discount_rate: uint256, duration: uint256
) -> uint256:
    """
    @dev `_vc_price`, after checking the duration against the configuration.
    @return uint256 The daily VC price (wei per day).
    """
    assert (
        duration >= config.min_duration and duration <= config.max_duration
    ), "auction: duration out of range"
    return self._vc_price(config, discount_rate)


@internal
@view
def _score(discount_rate: uint256, duration: uint256, bond: uint256) -> uint256:
    """
    @dev The score of a bid of these terms and bond, all checked (any
         bidder's bond: the floor is not checked).
    @return uint256 The score.
    """
    return pricing.score(
        self._checked_vc_price(
            codec.unpack_config(self._config), discount_rate, duration
        ),
        duration,
        self._checked_bond(bond, 0),
    )


@internal
@view
def _quote(
    operator: address,
    discount_rates: DynArray[uint256, c.MAX_BATCH],
    durations: DynArray[uint256, c.MAX_BATCH],
    bonds: DynArray[uint256, c.MAX_BATCH],
) -> (DynArray[uint256, c.MAX_BATCH], DynArray[uint256, c.MAX_BATCH], uint256):
    """
    @dev Validates an operator's batch and prices it: each bid's daily VC
         price, each bid's bond (empty `bonds`: the operator's floor) and
         the total paid (prices + bonds).
    @return DynArray Each bid's daily VC price.
    @return DynArray Each bid's bond.
    @return uint256 The batch's total.
    """
    count: uint256 = len(discount_rates)
    assert count > 0, "auction: empty batch"
    assert len(durations) == count, "auction: length mismatch"
    assert (
        len(bonds) == 0 or len(bonds) == count
    ), "auction: bonds length mismatch"
    config: codec.Config = codec.unpack_config(self._config)
    least: uint256 = c.BOND
    if bid_book._is_whitelisted(operator):
        least = 0
    vc_prices: DynArray[uint256, c.MAX_BATCH] = []
    paid_bonds: DynArray[uint256, c.MAX_BATCH] = []
    total: uint256 = 0
    for i: uint256 in range(count, bound=c.MAX_BATCH):
        vc: uint256 = self._checked_vc_price(
            config, discount_rates[i], durations[i]
        )
        bond: uint256 = least
        if len(bonds) != 0:
            bond = self._checked_bond(bonds[i], least)
        vc_prices.append(vc)
        paid_bonds.append(bond)
        total += durations[i] * vc + bond
    return vc_prices, paid_bonds, total


@internal
@pure
def _checked_bond(bond: uint256, least: uint256) -> uint256:
    """
    @dev A bond a bidder chose, checked: a multiple of `c.BOND_UNIT`, from
         `least` (its operator's: `c.BOND`, or 0 if whitelisted) to
         `c.MAX_BOND`.
    @return uint256 The bond.
    """
    assert bond >= least, "auction: bond below the floor"
    assert bond <= c.MAX_BOND, "auction: bond above the cap"
    assert bond % c.BOND_UNIT == 0, "auction: bond not in 0.1 ETH steps"
    return bond


@internal
def _set_paused(paused: bool):
    """
    @dev Sets the pause flag, which must change (pausing twice, or
         unpausing a running auction, is a mistake worth a revert).
    """
    word: uint256 = self._config
    assert codec.is_paused(word) != paused, "auction: pause unchanged"
    self._config = codec.with_paused(word, paused)


@internal
@view
def _require_live():
    """
    @dev Reverts while paused. The flag is in the configuration word, which
         the caller reads next anyway (a warm read then).
    """
    assert not codec.is_paused(self._config), "auction: paused"


@internal
@view
def _own_pending(bid_id: uint256) -> book_codec.Bid:
    """
    @dev The caller's pending bid, or a clear revert.
    @return book_codec.Bid The bid's record.
    """
    record: book_codec.Bid = bid_book._bid(bid_id)
    assert record.status != c.BID_NONE, "auction: unknown bid"
    assert record.operator == msg.sender, "auction: caller is not the bidder"
    assert record.status == c.BID_PENDING, "auction: bid not pending"
    return record


@internal
def _return_excess(operator: address, amount: uint256):
    """
    @dev Sends back ETH sent beyond what was due, with all remaining gas
         (never a 2300 stipend); if the sender cannot receive it, the
         Escrow keeps it claimable for them instead of losing it.
    """
    if amount == 0:
        return
    delivered: bool = raw_call(
        operator, b"", value=amount, revert_on_failure=False
    )
    if not delivered:
        extcall ESCROW.credit(operator, value=amount)
    log ExcessReturned(operator=operator, amount=amount, delivered=delivered)
