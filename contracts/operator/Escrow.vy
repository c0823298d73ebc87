# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Escrow
@custom:contract-name Escrow
@license MIT
@notice Holds every wei an operator paid for a bid until it leaves exactly
        once: refunded to that operator, or released to StakerRewards.
@dev A per-bid ledger keeps, for each bid, its operator and the wei still
     held for it: price + bond while pending, the bond alone (locked) once
     the bid has won, nothing once refunded or unlocked. Operators' refunds
     that could not be pushed, and what expired clusters return, wait in
     `claimable` until the operator pulls them through `Auction.claim_refund`.
     Hence at every moment:
         balance == sum(held) + sum(claimable)
     and a bid can never get back more than was paid in for it, because
     every refund or release is taken out of its own `held` entry.

     The ledger packs three bids per storage word (85 bits each, far above
     any bid's price + bond), so that most bids do not pay for a fresh
     storage slot here. Operators are not stored: the Auction names the
     operator it refunds, and `return_credits` reads it from the Auction.
"""

from ..interfaces import IAuction
from ..interfaces import IEscrow
from ..interfaces import IStakerRewards

implements: IEscrow


MAX_BATCH: constant(uint256) = 32
MAX_CLUSTER_SIZE: constant(uint256) = 7
PER_WORD: constant(uint256) = 3
ENTRY_BITS: constant(uint256) = 85
ENTRY_MASK: constant(uint256) = 2**85 - 1

DEPLOYER: immutable(address)

auction: public(address)
staker_rewards: public(address)
claimable: public(HashMap[address, uint256])
_ledger: HashMap[uint256, uint256]


event Initialized:
    auction: indexed(address)
    staker_rewards: indexed(address)


event Deposited:
    first_bid_id: indexed(uint256)
    operator: indexed(address)
    count: uint256
    total: uint256


event ToppedUp:
    bid_id: indexed(uint256)
    amount: uint256


event Refunded:
    bid_id: indexed(uint256)
    operator: indexed(address)
    amount: uint256
    delivered: bool


event Released:
    cluster_id: indexed(uint256)
    bid_id: indexed(uint256)
    amount: uint256
    bond_locked: uint256


event Credited:
    operator: indexed(address)
    amount: uint256


event CreditsReturned:
    bid_id: indexed(uint256)
    operator: indexed(address)
    credit: uint256
    bond_unlocked: uint256


event Claimed:
    operator: indexed(address)
    amount: uint256


@deploy
def __init__():
    """
    @notice Deploys an unwired Escrow; the deployer wires it once with `initialize`.
    """
    DEPLOYER = msg.sender


@external
def initialize(auction: address, staker_rewards: address):
    """
    @notice Names the Auction (the only mover of funds) and StakerRewards
            (where winners' prices go). Deployer only, once.
    @param auction The Auction.
    @param staker_rewards StakerRewards.
    """
    assert msg.sender == DEPLOYER, "escrow: caller is not the deployer"
    assert self.auction == empty(address), "escrow: already initialized"
    assert auction != empty(address) and staker_rewards != empty(address), "escrow: zero address"
    self.auction = auction
    self.staker_rewards = staker_rewards
    log Initialized(auction=auction, staker_rewards=staker_rewards)


@payable
@external
def deposit(first_bid_id: uint256, operator: address, amounts: DynArray[uint256, MAX_BATCH]):
    """
    @notice Records the funds of a batch of new bids with consecutive ids.
    @dev Auction only; msg.value must equal the sum of `amounts`.
    @param first_bid_id The id of the batch's first bid.
    @param operator Who paid.
    @param amounts What each bid paid (price + bond).
    """
    self._only_auction()
    total: uint256 = 0
    for i: uint256 in range(len(amounts), bound=MAX_BATCH):
        assert self._held(first_bid_id + i) == 0, "escrow: bid already funded"
        self._add(first_bid_id + i, amounts[i])
        total += amounts[i]
    assert msg.value == total, "escrow: value mismatch"
    log Deposited(first_bid_id=first_bid_id, operator=operator, count=len(amounts), total=total)


@payable
@external
def top_up(bid_id: uint256):
    """
    @notice Adds msg.value to a pending bid's held funds (its price went up).
    @dev Auction only.
    @param bid_id The bid.
    """
    self._only_auction()
    assert self._held(bid_id) != 0, "escrow: unknown bid"
    self._add(bid_id, msg.value)
    log ToppedUp(bid_id=bid_id, amount=msg.value)


@external
def refund(bid_id: uint256, operator: address, amount: uint256):
    """
    @notice Pays `amount` of a bid's held funds back to its operator, with
            all remaining gas; if the operator cannot receive, the amount
            becomes claimable instead (nobody else is blocked).
    @dev Auction only.
    @param bid_id The bid.
    @param operator The bid's operator.
    @param amount Wei, at most what the bid holds.
    """
    self._only_auction()
    self._take(bid_id, amount)
    self._pay_or_credit(bid_id, operator, amount)


@external
def refund_all(bid_id: uint256, operator: address) -> uint256:
    """
    @notice Pays everything a bid holds back to its operator (withdrawal),
            or keeps it claimable if the operator cannot receive.
    @dev Auction only.
    @param bid_id The bid.
    @param operator The bid's operator.
    @return The amount refunded.
    """
    self._only_auction()
    amount: uint256 = self._held(bid_id)
    self._take(bid_id, amount)
    self._pay_or_credit(bid_id, operator, amount)
    return amount


@external
def release(cluster_id: uint256, bid_ids: DynArray[uint256, MAX_CLUSTER_SIZE], amounts: DynArray[uint256, MAX_CLUSTER_SIZE]):
    """
    @notice Sends the winners' bid prices to StakerRewards for a new cluster;
            what each bid still holds afterwards (its bond) stays locked.
    @dev Auction only.
    @param cluster_id The cluster the bids won.
    @param bid_ids The winning bids.
    @param amounts Each winner's price.
    """
    self._only_auction()
    assert len(bid_ids) == len(amounts), "escrow: length mismatch"
    total: uint256 = 0
    for i: uint256 in range(len(bid_ids), bound=MAX_CLUSTER_SIZE):
        self._take(bid_ids[i], amounts[i])
        total += amounts[i]
        log Released(cluster_id=cluster_id, bid_id=bid_ids[i], amount=amounts[i], bond_locked=self._held(bid_ids[i]))
    extcall IStakerRewards(self.staker_rewards).fund_cluster(cluster_id, value=total)


@payable
@external
def return_credits(bid_ids: DynArray[uint256, MAX_CLUSTER_SIZE], credits: DynArray[uint256, MAX_CLUSTER_SIZE]):
    """
    @notice At a cluster's expiry: makes each winner's unused credits (sent
            with this call) and its locked bond claimable by its operator.
    @dev StakerRewards only; msg.value must equal the sum of `credits`.
    @param bid_ids The cluster's winning bids.
    @param credits Unused credits per bid (wei, may be 0).
    """
    assert msg.sender == self.staker_rewards, "escrow: caller is not staker rewards"
    assert len(bid_ids) == len(credits), "escrow: length mismatch"
    total: uint256 = 0
    auction: IAuction = IAuction(self.auction)
    for i: uint256 in range(len(bid_ids), bound=MAX_CLUSTER_SIZE):
        bid: IAuction.Bid = staticcall auction.get_bid(bid_ids[i])
        assert bid.status == 2, "escrow: bid did not win"
        bond: uint256 = self._held(bid_ids[i])
        self._take(bid_ids[i], bond)
        self.claimable[bid.operator] += credits[i] + bond
        total += credits[i]
        log CreditsReturned(bid_id=bid_ids[i], operator=bid.operator, credit=credits[i], bond_unlocked=bond)
    assert msg.value == total, "escrow: value mismatch"


@payable
@external
def credit(operator: address):
    """
    @notice Keeps msg.value claimable for `operator` (ETH the Auction could
            not deliver).
    @dev Auction only.
    @param operator Who may claim it.
    """
    self._only_auction()
    self.claimable[operator] += msg.value
    log Credited(operator=operator, amount=msg.value)


@external
def pay_claimable(operator: address) -> uint256:
    """
    @notice Pays an operator everything claimable for them, with all
            remaining gas.
    @dev Auction only (through `Auction.claim_refund`, for the caller).
    @param operator The operator.
    @return The amount paid.
    """
    self._only_auction()
    amount: uint256 = self.claimable[operator]
    assert amount != 0, "escrow: nothing to claim"
    self.claimable[operator] = 0
    log Claimed(operator=operator, amount=amount)
    raw_call(operator, b"", value=amount)
    return amount


@view
@external
def held(bid_id: uint256) -> uint256:
    """
    @notice Wei held for a bid: price + bond while pending, the locked bond
            after it won, 0 once refunded or unlocked.
    @param bid_id The bid.
    """
    return self._held(bid_id)


@view
@internal
def _only_auction():
    assert msg.sender == self.auction, "escrow: caller is not the auction"


@view
@internal
def _held(bid_id: uint256) -> uint256:
    return (self._ledger[bid_id // PER_WORD] >> (ENTRY_BITS * (bid_id % PER_WORD))) & ENTRY_MASK


@internal
def _add(bid_id: uint256, amount: uint256):
    """
    @dev Adds to a bid's held funds; the ledger's 85-bit entry cannot overflow
         (amounts are bounded by the ETH supply, far below 2**85 wei).
    """
    assert self._held(bid_id) + amount <= ENTRY_MASK, "escrow: amount too large"
    self._ledger[bid_id // PER_WORD] += amount << (ENTRY_BITS * (bid_id % PER_WORD))


@internal
def _take(bid_id: uint256, amount: uint256):
    """
    @dev Takes `amount` out of a bid's held funds; never more than it holds.
    """
    assert amount <= self._held(bid_id), "escrow: amount exceeds held"
    self._ledger[bid_id // PER_WORD] -= amount << (ENTRY_BITS * (bid_id % PER_WORD))


@internal
def _pay_or_credit(bid_id: uint256, operator: address, amount: uint256):
    """
    @dev Pushes a refund with all remaining gas (never a 2300 stipend); a
         receiver that reverts only delays its own money, kept claimable.
    """
    delivered: bool = raw_call(operator, b"", value=amount, revert_on_failure=False)
    if not delivered:
        self.claimable[operator] += amount
    log Refunded(bid_id=bid_id, operator=operator, amount=amount, delivered=delivered)
