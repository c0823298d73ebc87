# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Auction
@custom:contract-name Auction
@license MIT
@notice Node operators bid for seats in distributed validators (DVs). A bid
        names a discount rate (basis points) and a duration (days); it is
        priced in validation credits and paid up front, plus a 1 ETH bond
        unless the operator is whitelisted. The money waits in the Escrow
        until the bid is withdrawn (refund) or wins (its price goes to
        StakerRewards, its bond stays locked for the life of the cluster).
@dev Pricing and scoring follow PROTOCOL.md §2 to the wei. The ordered
     book lives in the `bid_book` module (the auction core).

     A configuration change never touches existing bids: each bid keeps the
     price and score it was placed (or last updated) with, so the ranking
     of pending bids does not change; only bids placed or updated after the
     change are priced and scored with the new configuration.

     A bid's terms are packed into the book's 128-bit payload:
     price (96) | discount rate (16) | duration (16); its tag holds
     status (8) | bonded (8).
"""

from ..interfaces import IAuction
from ..interfaces import IEscrow

from snekmate.auth import ownable
from snekmate.auth import ownable_2step
from snekmate.utils import pausable
from . import bid_book

implements: IAuction

initializes: ownable
initializes: ownable_2step[ownable := ownable]
initializes: pausable
initializes: bid_book

exports: (
    ownable_2step.owner,
    ownable_2step.pending_owner,
    ownable_2step.transfer_ownership,
    ownable_2step.accept_ownership,
    pausable.paused,
)


BOND: public(constant(uint256)) = 10**18
MAX_BATCH: constant(uint256) = 32
MAX_CLUSTER_SIZE: constant(uint256) = 7
MIN_CLUSTER_SIZE: constant(uint256) = 4
BPS: constant(uint256) = 10_000
RAY: constant(uint256) = 10**27
# @dev 1.001 at RAY precision: the per-day growth of a bid's score.
DAILY_SCORE_GROWTH: constant(uint256) = 1001 * 10**24
# @dev Bounds that keep every price in 96 bits, every score in 128 bits
# and `rpow` free of overflow (a duration below 2**16 needs 16 squarings).
MAX_DURATION_CAP: public(constant(uint256)) = 36_500
MAX_DAILY_RETURN: public(constant(uint256)) = 10**20
MAX_TOP: constant(uint256) = 256

STATUS_NONE: constant(uint256) = 0
STATUS_PENDING: constant(uint256) = 1
STATUS_WON: constant(uint256) = 2
STATUS_WITHDRAWN: constant(uint256) = 3

PRICE_MASK: constant(uint256) = 2**96 - 1
FIELD_MASK: constant(uint256) = 2**16 - 1
DISCOUNT_SHIFT: constant(uint256) = 96
DURATION_SHIFT: constant(uint256) = 112
BONDED_FLAG: constant(uint256) = 256  # bit 8 of the tag
# @dev Configuration word: R (128) | max discount (16) | min duration (16) | max duration (16).
MAX_DISCOUNT_SHIFT: constant(uint256) = 128
MIN_DURATION_SHIFT: constant(uint256) = 144
MAX_DURATION_SHIFT: constant(uint256) = 160
# @dev Operator word (kept by the book): pending bids (64) | whitelisted (bit 64).
PENDING_MASK: constant(uint256) = 2**64 - 1
WHITELISTED_FLAG: constant(uint256) = 2**64
# @dev Cluster words: word 0 = ids 0-4 (40 bits each) | count (8) | min duration (16);
# word 1 = ids 5-6.
IDS_PER_WORD: constant(uint256) = 5
COUNT_SHIFT: constant(uint256) = 200
MIN_SHIFT: constant(uint256) = 208


ESCROW: immutable(IEscrow)
CLUSTER_SIZE: immutable(uint256)

manager: public(address)
num_clusters: public(uint256)
_config: uint256
_clusters: HashMap[uint256, uint256]


struct AuctionConfig:
    expected_daily_return: uint256
    max_discount_rate: uint256
    min_duration: uint256
    max_duration: uint256


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


event BidWon:
    bid_id: indexed(uint256)
    operator: indexed(address)
    cluster_id: indexed(uint256)
    price: uint256


event ClusterCreated:
    cluster_id: indexed(uint256)
    bid_ids: DynArray[uint256, MAX_CLUSTER_SIZE]
    min_duration: uint256


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
    assert cluster_size >= MIN_CLUSTER_SIZE and cluster_size <= MAX_CLUSTER_SIZE, "auction: bad cluster size"
    ownable.__init__()
    ownable_2step.__init__()
    pausable.__init__()
    bid_book.__init__()
    ESCROW = IEscrow(escrow)
    CLUSTER_SIZE = cluster_size
    self._set_config(expected_daily_return, max_discount_rate, min_duration, max_duration)


# ------------------------------------------------------------ operators


@payable
@external
def bid(
    discount_rates: DynArray[uint256, MAX_BATCH],
    durations: DynArray[uint256, MAX_BATCH],
    hints: DynArray[uint256, MAX_BATCH] = [],
) -> DynArray[uint256, MAX_BATCH]:
    """
    @notice Places a batch of 1 to 32 bids and locks what they cost in the
            Escrow; any ETH sent beyond the total is returned (or, if it
            cannot be delivered, kept claimable through `claim_refund`).
    @param discount_rates Each bid's discount rate in basis points.
    @param durations Each bid's duration in days.
    @param hints Optional: for each bid, a pending bid id next to which it
           belongs (see `insert_hint`); a wrong hint only costs gas.
    @return The new bid ids, in order.
    """
    pausable._require_not_paused()
    count: uint256 = len(discount_rates)
    assert count > 0, "auction: empty batch"
    assert len(durations) == count, "auction: length mismatch"
    assert len(hints) == 0 or len(hints) == count, "auction: hints length mismatch"
    config: uint256 = self._config
    operator_word: uint256 = bid_book._operator_word(msg.sender)
    bond: uint256 = self._bond_due(operator_word)
    prices: DynArray[uint256, MAX_BATCH] = []
    amounts: DynArray[uint256, MAX_BATCH] = []
    total: uint256 = 0
    for i: uint256 in range(count, bound=MAX_BATCH):
        price: uint256 = durations[i] * self._checked_vc_price(config, discount_rates[i], durations[i])
        prices.append(price)
        amounts.append(price + bond)
        total += price + bond
    assert msg.value >= total, "auction: not enough ETH"

    tag: uint256 = STATUS_PENDING
    if bond != 0:
        tag |= BONDED_FLAG
    ids: DynArray[uint256, MAX_BATCH] = []
    hint: uint256 = 0
    for i: uint256 in range(count, bound=MAX_BATCH):
        if len(hints) != 0 and hints[i] != 0:
            hint = hints[i]
        score: uint256 = self._score(prices[i] // durations[i], durations[i])
        bid_id: uint256 = bid_book._insert(msg.sender, score, self._payload(prices[i], discount_rates[i], durations[i]), tag, hint)
        ids.append(bid_id)
        # @dev Where no hint is given (0), the previous bid of the batch is the best start.
        hint = bid_id
        log BidPlaced(bid_id=bid_id, operator=msg.sender, discount_rate=discount_rates[i], duration=durations[i], price=prices[i], bond=bond, score=score)
    bid_book._add_pending(msg.sender, operator_word, count)
    extcall ESCROW.deposit(ids[0], msg.sender, amounts, value=total)
    self._return_excess(msg.sender, msg.value - total)
    return ids


@payable
@external
def update_bid(bid_id: uint256, discount_rate: uint256, duration: uint256, hint: uint256 = 0):
    """
    @notice Re-prices a pending bid of yours under the current configuration
            and moves it to its new rank; it keeps its id (and so its place
            among equal scores) and its bond. A higher price must be paid in
            with this call (excess returned); a lower one is refunded.
    @param bid_id The bid to change.
    @param discount_rate The new discount rate (bps).
    @param duration The new duration (days).
    @param hint Optional pending bid id next to which the bid now belongs.
    """
    pausable._require_not_paused()
    self._check_own_pending(bid_id)
    old_price: uint256 = bid_book._payload(bid_id) & PRICE_MASK
    price: uint256 = duration * self._checked_vc_price(self._config, discount_rate, duration)
    score: uint256 = self._score(price // duration, duration)
    if price > old_price:
        assert msg.value >= price - old_price, "auction: not enough ETH"
    else:
        assert msg.value == 0, "auction: price went down, send no ETH"
    bid_book._reprice(bid_id, score, self._payload(price, discount_rate, duration), hint)
    log BidUpdated(bid_id=bid_id, operator=msg.sender, discount_rate=discount_rate, duration=duration, price=price, score=score, previous_price=old_price)
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
    self._check_own_pending(bid_id)
    bid_book._remove(bid_id, (bid_book._tag(bid_id) & BONDED_FLAG) | STATUS_WITHDRAWN)
    bid_book._remove_pending(msg.sender)
    refund: uint256 = extcall ESCROW.refund_all(bid_id, msg.sender)
    log BidWithdrawn(bid_id=bid_id, operator=msg.sender, refund=refund)


@external
def claim_refund() -> uint256:
    """
    @notice Pays you everything the Escrow holds claimable for you: refunds
            that could not be delivered, unused credits and unlocked bonds
            of expired clusters. Works while the auction is paused.
    @return The amount paid (wei).
    """
    return extcall ESCROW.pay_claimable(msg.sender)


# ------------------------------------------------------------ settlement


@external
def settle_cluster() -> uint256:
    """
    @notice Forms the next cluster: walks the ranking from the top and takes
            the best pending bid of each operator until `cluster_size`
            distinct operators are found. The winners' prices go from the
            Escrow to StakerRewards; their bonds stay locked.
    @dev Only the StrategyModuleManager. Reverts, changing nothing, when
         fewer than `cluster_size` operators have pending bids.
    @return The new cluster's id.
    """
    assert msg.sender == self.manager, "auction: caller is not the manager"
    pausable._require_not_paused()
    assert bid_book._num_operators() >= CLUSTER_SIZE, "auction: not enough operators"
    winners: DynArray[uint256, MAX_CLUSTER_SIZE] = bid_book._select(CLUSTER_SIZE)
    cluster_id: uint256 = self.num_clusters
    prices: DynArray[uint256, MAX_CLUSTER_SIZE] = []
    min_duration: uint256 = max_value(uint256)
    words: uint256[2] = empty(uint256[2])
    for i: uint256 in range(len(winners), bound=MAX_CLUSTER_SIZE):
        bid_id: uint256 = winners[i]
        payload: uint256 = bid_book._payload(bid_id)
        operator: address = bid_book._operator(bid_id)
        tag: uint256 = bid_book._tag(bid_id)
        bid_book._remove(bid_id, (tag & BONDED_FLAG) | STATUS_WON)
        bid_book._remove_pending(operator)
        prices.append(payload & PRICE_MASK)
        min_duration = min(min_duration, payload >> DURATION_SHIFT)
        words[i // IDS_PER_WORD] |= bid_id << (40 * (i % IDS_PER_WORD))
        log BidWon(bid_id=bid_id, operator=operator, cluster_id=cluster_id, price=payload & PRICE_MASK)
    self._clusters[2 * cluster_id] = words[0] | (len(winners) << COUNT_SHIFT) | (min_duration << MIN_SHIFT)
    if len(winners) > IDS_PER_WORD:
        self._clusters[2 * cluster_id + 1] = words[1]
    self.num_clusters = cluster_id + 1
    log ClusterCreated(cluster_id=cluster_id, bid_ids=winners, min_duration=min_duration)
    extcall ESCROW.release(cluster_id, winners, prices)
    return cluster_id


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
    @notice Exempts an operator from the bond on bids placed from now on.
    @param operator The operator to whitelist.
    """
    ownable._check_owner()
    assert operator != empty(address), "auction: zero operator"
    word: uint256 = bid_book._operator_word(operator)
    assert word & WHITELISTED_FLAG == 0, "auction: already whitelisted"
    bid_book._set_operator_flags(operator, WHITELISTED_FLAG)
    log WhitelistUpdated(operator=operator, whitelisted=True)


@external
def remove_from_whitelist(operator: address):
    """
    @notice Makes an operator pay the bond again on bids placed from now on;
            bids already placed keep the bond they paid (or did not pay).
    @param operator The operator to remove.
    """
    ownable._check_owner()
    word: uint256 = bid_book._operator_word(operator)
    assert word & WHITELISTED_FLAG != 0, "auction: not whitelisted"
    bid_book._set_operator_flags(operator, 0)
    log WhitelistUpdated(operator=operator, whitelisted=False)


@external
def set_auction_config(
    expected_daily_return: uint256, max_discount_rate: uint256, min_duration: uint256, max_duration: uint256
):
    """
    @notice Changes the pricing configuration. Existing bids keep their
            price and score (the ranking of pending bids does not change);
            new and updated bids use the new values.
    @param expected_daily_return R, wei per 32 ETH validator per day (1 to 10**20).
    @param max_discount_rate The largest discount rate (bps, below 10 000).
    @param min_duration The shortest duration (days, at least 1).
    @param max_duration The longest duration (days, at most 36 500).
    """
    ownable._check_owner()
    self._set_config(expected_daily_return, max_discount_rate, min_duration, max_duration)


@external
def pause():
    """
    @notice Stops new bids, updates and settlement. Withdrawals and refund
            claims keep working.
    """
    ownable._check_owner()
    pausable._pause()


@external
def unpause():
    """
    @notice Resumes bidding and settlement.
    """
    ownable._check_owner()
    pausable._unpause()


# ------------------------------------------------------------ views


@view
@external
def vc_price(discount_rate: uint256) -> uint256:
    """
    @notice Daily price of one validation credit at this discount rate:
            R * (10000 - d) // (n * 10000).
    @param discount_rate Basis points, at most `max_discount_rate`.
    @return Wei per day.
    """
    return self._vc_price(self._config, discount_rate)


@view
@external
def bid_price(discount_rate: uint256, duration: uint256) -> uint256:
    """
    @notice What a bid costs, bond excluded: duration * vc_price(d).
    @param discount_rate Basis points.
    @param duration Days, within [min_duration, max_duration].
    @return Wei.
    """
    return duration * self._checked_vc_price(self._config, discount_rate, duration)


@view
@external
def auction_score(discount_rate: uint256, duration: uint256) -> uint256:
    """
    @notice A bid's ranking score: vc_price(d) * P(t) // 10**18 with
            P(t) = rpow(1.001, t) at RAY precision // 10**9.
    @param discount_rate Basis points.
    @param duration Days.
    @return The score; higher ranks first.
    """
    return self._score(self._checked_vc_price(self._config, discount_rate, duration), duration)


@view
@external
def price_to_pay(
    operator: address, discount_rates: DynArray[uint256, MAX_BATCH], durations: DynArray[uint256, MAX_BATCH]
) -> uint256:
    """
    @notice Total an operator must send to place this batch now: the bid
            prices plus one bond per bid unless whitelisted.
    @param operator The bidder.
    @param discount_rates Basis points per bid.
    @param durations Days per bid.
    @return Wei.
    """
    count: uint256 = len(discount_rates)
    assert count > 0, "auction: empty batch"
    assert len(durations) == count, "auction: length mismatch"
    config: uint256 = self._config
    bond: uint256 = self._bond_due(bid_book._operator_word(operator))
    total: uint256 = 0
    for i: uint256 in range(count, bound=MAX_BATCH):
        total += durations[i] * self._checked_vc_price(config, discount_rates[i], durations[i]) + bond
    return total


@view
@external
def insert_hint(discount_rate: uint256, duration: uint256) -> uint256:
    """
    @notice The hint to pass with a new bid of these terms: a pending bid
            next to which it belongs (0 when the book is empty). Call it
            off-chain; it walks the book.
    @param discount_rate Basis points.
    @param duration Days.
    @return A pending bid id, or 0.
    """
    return bid_book._hint_for(self._score(self._checked_vc_price(self._config, discount_rate, duration), duration))


@view
@external
def get_bid(bid_id: uint256) -> IAuction.Bid:
    """
    @notice A bid's record; status 0 none, 1 pending, 2 won, 3 withdrawn.
    @param bid_id The bid.
    @return The bid (all zero when it does not exist).
    """
    if bid_id == 0 or bid_id > bid_book._last_id():
        return empty(IAuction.Bid)
    payload: uint256 = bid_book._payload(bid_id)
    tag: uint256 = bid_book._tag(bid_id)
    bond: uint256 = 0
    if tag & BONDED_FLAG != 0:
        bond = BOND
    return IAuction.Bid(
        operator=bid_book._operator(bid_id),
        discount_rate=(payload >> DISCOUNT_SHIFT) & FIELD_MASK,
        duration=payload >> DURATION_SHIFT,
        price=payload & PRICE_MASK,
        bond=bond,
        score=bid_book._score(bid_id),
        status=tag & 255,
    )


@view
@external
def get_cluster(cluster_id: uint256) -> IAuction.Cluster:
    """
    @notice A settled cluster: its winning bids and operators in ranking
            order and the smallest winner duration.
    @param cluster_id From 0 to num_clusters() - 1.
    @return The cluster.
    """
    assert cluster_id < self.num_clusters, "auction: unknown cluster"
    word: uint256 = self._clusters[2 * cluster_id]
    count: uint256 = (word >> COUNT_SHIFT) & 255
    cluster: IAuction.Cluster = IAuction.Cluster(bid_ids=[], operators=[], min_duration=word >> MIN_SHIFT)
    for i: uint256 in range(count, bound=MAX_CLUSTER_SIZE):
        if i == IDS_PER_WORD:
            word = self._clusters[2 * cluster_id + 1]
        bid_id: uint256 = (word >> (40 * (i % IDS_PER_WORD))) & (2**40 - 1)
        cluster.bid_ids.append(bid_id)
        cluster.operators.append(bid_book._operator(bid_id))
    return cluster


@view
@external
def top_bids(k: uint256) -> DynArray[uint256, MAX_TOP]:
    """
    @notice Up to `k` pending bid ids, best first.
    @param k How many (at most 256).
    @return Bid ids.
    """
    assert k <= MAX_TOP, "auction: k above 256"
    return bid_book._top(k)


@view
@external
def num_pending_bids() -> uint256:
    """
    @notice Number of pending bids in the book.
    """
    return bid_book._size()


@view
@external
def num_bids() -> uint256:
    """
    @notice Number of bids ever placed (the last bid id).
    """
    return bid_book._last_id()


@view
@external
def num_operators_in_auction() -> uint256:
    """
    @notice Number of operators with at least one pending bid.
    """
    return bid_book._num_operators()


@view
@external
def pending_bids_of(operator: address) -> uint256:
    """
    @notice Number of pending bids of an operator.
    @param operator The operator.
    """
    return bid_book._operator_word(operator) & PENDING_MASK


@view
@external
def is_whitelisted(operator: address) -> bool:
    """
    @notice Whether the operator is exempt from the bond on new bids.
    @param operator The operator.
    """
    return bid_book._operator_word(operator) & WHITELISTED_FLAG != 0


@view
@external
def can_settle() -> bool:
    """
    @notice Whether `settle_cluster` would succeed now (not paused and at
            least `cluster_size` operators with pending bids).
    """
    return not pausable.paused and bid_book._num_operators() >= CLUSTER_SIZE


@view
@external
def cluster_size() -> uint256:
    """
    @notice Operators per distributed validator, fixed at deployment.
    """
    return CLUSTER_SIZE


@view
@external
def escrow() -> address:
    """
    @notice The Escrow holding the operators' funds.
    """
    return ESCROW.address


@view
@external
def auction_config() -> AuctionConfig:
    """
    @notice The current pricing configuration.
    """
    config: uint256 = self._config
    return AuctionConfig(
        expected_daily_return=config & (2**128 - 1),
        max_discount_rate=(config >> MAX_DISCOUNT_SHIFT) & FIELD_MASK,
        min_duration=(config >> MIN_DURATION_SHIFT) & FIELD_MASK,
        max_duration=(config >> MAX_DURATION_SHIFT) & FIELD_MASK,
    )


@view
@external
def expected_daily_return() -> uint256:
    """
    @notice R: wei earned per 32 ETH validator per day.
    """
    return self._config & (2**128 - 1)


@view
@external
def max_discount_rate() -> uint256:
    """
    @notice The largest discount rate a bid may name (bps).
    """
    return (self._config >> MAX_DISCOUNT_SHIFT) & FIELD_MASK


@view
@external
def min_duration() -> uint256:
    """
    @notice The shortest bid duration (days).
    """
    return (self._config >> MIN_DURATION_SHIFT) & FIELD_MASK


@view
@external
def max_duration() -> uint256:
    """
    @notice The longest bid duration (days).
    """
    return (self._config >> MAX_DURATION_SHIFT) & FIELD_MASK


# ------------------------------------------------------------ internal


@internal
def _set_config(expected_daily_return: uint256, max_discount_rate: uint256, min_duration: uint256, max_duration: uint256):
    assert expected_daily_return > 0 and expected_daily_return <= MAX_DAILY_RETURN, "auction: bad expected daily return"
    assert max_discount_rate < BPS, "auction: max discount rate too high"
    assert min_duration >= 1, "auction: min duration below 1 day"
    assert min_duration <= max_duration, "auction: min duration above max"
    assert max_duration <= MAX_DURATION_CAP, "auction: max duration too long"
    # @dev Every valid bid must cost at least 1 wei per day.
    assert expected_daily_return * (BPS - max_discount_rate) >= CLUSTER_SIZE * BPS, "auction: prices round to zero"
    self._config = (
        expected_daily_return
        | (max_discount_rate << MAX_DISCOUNT_SHIFT)
        | (min_duration << MIN_DURATION_SHIFT)
        | (max_duration << MAX_DURATION_SHIFT)
    )
    log AuctionConfigUpdated(expected_daily_return=expected_daily_return, max_discount_rate=max_discount_rate, min_duration=min_duration, max_duration=max_duration)


@view
@internal
def _vc_price(config: uint256, discount_rate: uint256) -> uint256:
    assert discount_rate <= (config >> MAX_DISCOUNT_SHIFT) & FIELD_MASK, "auction: discount rate too high"
    return (config & (2**128 - 1)) * (BPS - discount_rate) // (CLUSTER_SIZE * BPS)


@view
@internal
def _checked_vc_price(config: uint256, discount_rate: uint256, duration: uint256) -> uint256:
    assert duration >= (config >> MIN_DURATION_SHIFT) & FIELD_MASK, "auction: duration out of range"
    assert duration <= (config >> MAX_DURATION_SHIFT) & FIELD_MASK, "auction: duration out of range"
    return self._vc_price(config, discount_rate)


@pure
@internal
def _rpow(base: uint256, exponent: uint256) -> uint256:
    """
    @dev Fixed-point power at RAY precision, exponentiation by squaring with
         round-half-up products (PROTOCOL.md §2). `exponent` < 2**16.
    """
    x: uint256 = base
    n: uint256 = exponent
    z: uint256 = RAY
    if n % 2 == 1:
        z = x
    n //= 2
    for _: uint256 in range(16):
        if n == 0:
            break
        x = (x * x + RAY // 2) // RAY
        if n % 2 == 1:
            z = (z * x + RAY // 2) // RAY
        n //= 2
    return z


@pure
@internal
def _score(vc_price: uint256, duration: uint256) -> uint256:
    return vc_price * (self._rpow(DAILY_SCORE_GROWTH, duration) // 10**9) // 10**18


@pure
@internal
def _payload(price: uint256, discount_rate: uint256, duration: uint256) -> uint256:
    return price | (discount_rate << DISCOUNT_SHIFT) | (duration << DURATION_SHIFT)


@pure
@internal
def _bond_due(operator_word: uint256) -> uint256:
    if operator_word & WHITELISTED_FLAG != 0:
        return 0
    return BOND


@view
@internal
def _check_own_pending(bid_id: uint256):
    assert bid_id != 0 and bid_id <= bid_book._last_id(), "auction: unknown bid"
    assert bid_book._operator(bid_id) == msg.sender, "auction: caller is not the bidder"
    assert bid_book._tag(bid_id) & 255 == STATUS_PENDING, "auction: bid not pending"


@internal
def _return_excess(operator: address, amount: uint256):
    """
    @dev Sends back ETH sent beyond what was due, with all remaining gas
         (never a 2300 stipend); if the sender cannot receive it, the
         Escrow keeps it claimable for them instead of losing it.
    """
    if amount == 0:
        return
    delivered: bool = raw_call(operator, b"", value=amount, revert_on_failure=False)
    if not delivered:
        extcall ESCROW.credit(operator, value=amount)
    log ExcessReturned(operator=operator, amount=amount, delivered=delivered)
