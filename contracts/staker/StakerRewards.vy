# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title StakerRewards: winners' bid prices streamed to stakers
@custom:contract-name StakerRewards
@license MIT
@notice At settlement the Escrow sends the winners' bid prices of a cluster
        here (`fund_cluster`). They stay attributed to that cluster. When a
        staker stakes the cluster, the StrategyModuleManager starts its
        stream (`start_stream`): from that second on, the sum of the
        winners' daily VC prices accrues, per second, to the cluster's
        current ByzNft holder, until the smallest winner duration has
        elapsed. After that, anyone may `expire` the cluster: every winner
        gets its unused credits (days not served x its daily VC price) and
        its bond back through the Escrow, where operators pull them.

        Amounts (all exact, integer):
        - daily VC price of winner i: `vc_i = price_i // duration_i`
          (exact, since `price_i = duration_i * vc_i`);
        - rate of the cluster: `rate = sum(vc_i)` (wei per day);
        - staker total: `rate * min_duration`;
        - credit of winner i: `price_i - vc_i * min_duration`
          (= `(duration_i - min_duration) * vc_i`; any remainder of an
          inexact price would also go back to its operator), so that
          `staker total + sum(credits) == sum(prices) == funded`;
        - accrued at time t: `rate * min(t - start, min_duration * 86400) // 86400`.
          The fractional part left by the floor (< 1 wei per streaming
          cluster) stays in the "not yet accrued" part and vanishes at the
          end, where accrued is exactly `rate * min_duration`.

        Accounting identity, at every moment:
        `self.balance == sum over clusters of held(cluster_id)` (+ any ETH
        forced in by `selfdestruct`, which no function can spend), where
        `held` = funded - paid (before expiry) or `rate * min_duration - paid`
        (after expiry) = unclaimed staker rewards, accrued or not yet
        accrued, including the sub-wei rounding dust above. Operators'
        refunds are not held here: they go back to the Escrow at expiry.

        Holder and NFT transfers: `claim` pays the *current* ByzNft holder
        everything accrued and not yet claimed, including what accrued while
        a previous holder held the NFT. A seller who wants what accrued
        during its holding must claim before transferring the NFT.

        Clusters pre-created but never staked: their funds stay here,
        attributed to the cluster (`held(cluster_id) == funded`, status
        FUNDED), for as long as the cluster is not staked; nobody can move
        them and nothing accrues. If the cluster is staked later, its stream
        starts then and runs for the full `min_duration`. The winners'
        bonds stay locked in the Escrow meanwhile. Nothing is lost.

        Every function is O(1) in the number of clusters, stakers and
        vaults (loops are bounded by the cluster size, <= 7); no keeper.
@dev Storage is packed by hand (Vyper does not pack storage). Per cluster:
     - `_fund`:    funded (128) | FUNDED flag (bit 128); written once
                   (the flag tells a cluster funded with 0 wei from an unknown one)
     - `_stream`:  paid (96) | rate (96) | start (40) | min_duration (24)
     - `_winners`: 4 words, 2 entries of 128 bits each, entry i in word
                   i // 2 at bit offset 128 * (i % 2):
                   (bid_id + 1) (40) | credit (88); 0 = no entry.
                   `expire` clears them: a started stream (`_stream != 0`)
                   whose first winner word is 0 is expired.
     `claim` reads one word (`_stream`) and writes it once; `expire` reads
     `_stream` and the winner words and clears the latter (gas refunds).
     Bounds: amounts < 2**96 wei (79e9 ETH), credits < 2**88 wei, start < 2**40 s,
     min_duration < 2**24 days, bid ids < 2**40 - 1 (the Auction's bid ids
     are 40-bit).
"""

from ethereum.ercs import IERC721

from ..interfaces import IAuction
from ..interfaces import IEscrow
from ..interfaces import IStakerRewards
from ..interfaces import IStrategyModuleManager

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


# Cluster statuses (see `status`).
STATUS_NONE: constant(uint256) = 0
STATUS_FUNDED: constant(uint256) = 1
STATUS_STREAMING: constant(uint256) = 2
STATUS_EXPIRED: constant(uint256) = 3

SECONDS_PER_DAY: constant(uint256) = 86400
MAX_WINNERS: constant(uint256) = 7

FLAG_FUNDED: constant(uint256) = 1 << 128

MASK24: constant(uint256) = (1 << 24) - 1
MASK40: constant(uint256) = (1 << 40) - 1
MASK88: constant(uint256) = (1 << 88) - 1
MASK96: constant(uint256) = (1 << 96) - 1
MASK128: constant(uint256) = (1 << 128) - 1


AUCTION: public(immutable(IAuction))
ESCROW: public(immutable(IEscrow))

manager: public(IStrategyModuleManager)
byz_nft: public(IERC721)

_fund: HashMap[uint256, uint256]
_stream: HashMap[uint256, uint256]
_winners: HashMap[uint256, uint256[4]]


event ManagerSet:
    manager: indexed(address)
    byz_nft: indexed(address)


event ClusterFunded:
    cluster_id: indexed(uint256)
    amount: uint256


event StreamStarted:
    cluster_id: indexed(uint256)
    rate: uint256
    start: uint256
    end: uint256
    staker_total: uint256


event RewardsClaimed:
    cluster_id: indexed(uint256)
    holder: indexed(address)
    caller: indexed(address)
    amount: uint256


event ClusterExpired:
    cluster_id: indexed(uint256)
    caller: indexed(address)
    staker_total: uint256
    returned: uint256


@deploy
def __init__(auction: address, escrow: address):
    """
    @dev The deployer becomes the owner (two-step ownership transfer).
    @param auction The Auction (reads clusters and bids).
    @param escrow The Escrow (funds clusters; takes unused credits back).
    """
    assert auction != empty(address), "staker_rewards: zero auction"
    assert escrow != empty(address), "staker_rewards: zero escrow"
    ownable.__init__()
    ownable_2step.__init__()
    AUCTION = IAuction(auction)
    ESCROW = IEscrow(escrow)


@external
def set_manager(new_manager: address):
    """
    @notice Sets the StrategyModuleManager, once, and reads its ByzNft.
    @dev Only the owner; only once.
    @param new_manager The StrategyModuleManager.
    """
    ownable._check_owner()
    assert self.manager.address == empty(address), "staker_rewards: manager already set"
    assert new_manager != empty(address), "staker_rewards: zero manager"
    nft: address = staticcall IStrategyModuleManager(new_manager).byz_nft()
    assert nft != empty(address), "staker_rewards: zero byz_nft"
    self.manager = IStrategyModuleManager(new_manager)
    self.byz_nft = IERC721(nft)
    log ManagerSet(manager=new_manager, byz_nft=nft)


@external
@payable
def fund_cluster(cluster_id: uint256):
    """
    @notice Receives the winners' bid prices of a freshly settled cluster.
    @dev Only the Escrow; once per cluster. The funds stay attributed to
         the cluster until they are streamed or returned.
    @param cluster_id The Auction's cluster id.
    """
    assert msg.sender == ESCROW.address, "staker_rewards: caller is not the escrow"
    assert self._fund[cluster_id] == 0, "staker_rewards: already funded"
    assert msg.value <= MASK96, "staker_rewards: amount too large"
    self._fund[cluster_id] = msg.value | FLAG_FUNDED
    log ClusterFunded(cluster_id=cluster_id, amount=msg.value)


@external
def start_stream(cluster_id: uint256):
    """
    @notice Starts the cluster's stream to its ByzNft holder, now.
    @dev Only the StrategyModuleManager, once, for a funded cluster. Reads
         the cluster and its winners' bids from the Auction (<= 7 bids),
         checks that their prices add up to what was funded, and stores
         the rate, the start, the duration and each winner's credit.
    @param cluster_id The cluster (== ByzNft token id) that was staked.
    """
    assert msg.sender == self.manager.address, "staker_rewards: caller is not the manager"
    fund: uint256 = self._fund[cluster_id]
    assert fund & FLAG_FUNDED != 0, "staker_rewards: cluster not funded"
    assert self._stream[cluster_id] == 0, "staker_rewards: stream already started"

    cluster: IAuction.Cluster = staticcall AUCTION.get_cluster(cluster_id)
    min_duration: uint256 = cluster.min_duration
    assert min_duration != 0 and min_duration <= MASK24, "staker_rewards: bad duration"
    assert block.timestamp <= MASK40, "staker_rewards: timestamp out of range"

    rate: uint256 = 0
    total: uint256 = 0
    words: uint256[4] = empty(uint256[4])
    i: uint256 = 0
    for bid_id: uint256 in cluster.bid_ids:
        b: IAuction.Bid = staticcall AUCTION.get_bid(bid_id)
        assert b.duration >= min_duration, "staker_rewards: bad duration"
        vc: uint256 = b.price // b.duration
        credit: uint256 = b.price - vc * min_duration
        assert bid_id < MASK40 and credit <= MASK88, "staker_rewards: bid out of range"
        rate += vc
        total += b.price
        words[i // 2] |= (((bid_id + 1) << 88) | credit) << (128 * (i % 2))
        i += 1
    assert i != 0, "staker_rewards: empty cluster"
    assert total == fund & MASK128, "staker_rewards: funding mismatch"

    for j: uint256 in range(4):
        if words[j] == 0:
            break
        self._winners[cluster_id][j] = words[j]
    # paid = 0; rate < 2**96 because rate <= total == funded < 2**96
    self._stream[cluster_id] = (
        (rate << 96) | (block.timestamp << 192) | (min_duration << 232)
    )
    log StreamStarted(
        cluster_id=cluster_id,
        rate=rate,
        start=block.timestamp,
        end=block.timestamp + min_duration * SECONDS_PER_DAY,
        staker_total=rate * min_duration,
    )


@view
@external
def claimable(cluster_id: uint256) -> uint256:
    """
    @notice What `claim(cluster_id)` would pay now (accrued - paid).
    @param cluster_id The cluster.
    @return The amount in wei (0 if the stream has not started).
    """
    word: uint256 = self._stream[cluster_id]
    return self._accrued(word) - (word & MASK96)


@external
def claim(cluster_id: uint256) -> uint256:
    """
    @notice Pays the cluster's current ByzNft holder everything accrued
            and not yet claimed (also what accrued under earlier holders).
    @dev Only the holder or the cluster's StrategyModule may call. Works
         before and after expiry. Pays with all remaining gas (no 2300
         stipend); a holder that rejects ETH only blocks its own claim.
         Returns 0, without event, when nothing is claimable.
    @param cluster_id The cluster.
    @return The amount paid, in wei.
    """
    word: uint256 = self._stream[cluster_id]
    assert word != 0, "staker_rewards: stream not started"
    holder: address = staticcall self.byz_nft.ownerOf(cluster_id)
    if msg.sender != holder:
        module: address = staticcall self.manager.strategy_module_of(cluster_id)
        assert msg.sender == module, "staker_rewards: caller is not the holder"
    amount: uint256 = self._accrued(word) - (word & MASK96)
    if amount == 0:
        return 0
    # paid is in the low 96 bits and paid + amount == accrued < 2**96
    self._stream[cluster_id] = word + amount
    log RewardsClaimed(cluster_id=cluster_id, holder=holder, caller=msg.sender, amount=amount)
    raw_call(holder, b"", value=amount)
    return amount


@external
def expire(cluster_id: uint256):
    """
    @notice Ends a cluster whose credits have run out: sends every
            winner's unused credits, with its bond unlocked, back to the
            Escrow, where its operator can claim them.
    @dev Anyone, once the smallest winner duration has elapsed since the
         start. A second call reverts. The staker keeps whatever accrued
         and is not yet claimed (`claim` still works).
    @param cluster_id The cluster.
    """
    word: uint256 = self._stream[cluster_id]
    assert word != 0, "staker_rewards: stream not started"
    # a started stream always has a first winner entry; expire clears it
    assert self._winners[cluster_id][0] != 0, "staker_rewards: already expired"
    start: uint256 = (word >> 192) & MASK40
    min_duration: uint256 = word >> 232
    assert block.timestamp >= start + min_duration * SECONDS_PER_DAY, "staker_rewards: credits not exhausted"

    bid_ids: DynArray[uint256, MAX_WINNERS] = []
    credits: DynArray[uint256, MAX_WINNERS] = []
    returned: uint256 = 0
    for j: uint256 in range(4):
        w: uint256 = self._winners[cluster_id][j]
        if w == 0:
            break
        for h: uint256 in range(2):
            e: uint256 = (w >> (128 * h)) & MASK128
            if e == 0:
                break
            bid_ids.append((e >> 88) - 1)
            credits.append(e & MASK88)
            returned += e & MASK88
        self._winners[cluster_id][j] = 0

    log ClusterExpired(
        cluster_id=cluster_id,
        caller=msg.sender,
        staker_total=((word >> 96) & MASK96) * min_duration,
        returned=returned,
    )
    extcall ESCROW.return_credits(bid_ids, credits, value=returned)


@view
@external
def status(cluster_id: uint256) -> uint256:
    """
    @notice 0 unknown, 1 funded (pre-created, not staked), 2 streaming
            (staked; stays 2 after the end until `expire`), 3 expired.
    @param cluster_id The cluster.
    @return The status.
    """
    return self._status(cluster_id)


@view
@external
def held(cluster_id: uint256) -> uint256:
    """
    @notice ETH this contract holds for the cluster: unclaimed staker
            rewards (accrued or not yet accrued) before and after expiry,
            plus, before expiry, the winners' unused credits.
    @param cluster_id The cluster.
    @return The amount in wei.
    """
    return self._held(cluster_id)


@view
@external
def get_stream(cluster_id: uint256) -> IStakerRewards.StreamInfo:
    """
    @notice Everything about a cluster's stream, decoded.
    @param cluster_id The cluster.
    @return The stream's status, funded amount, rate (wei/day), start,
            end, min_duration (days), paid, accrued, claimable and held.
    """
    word: uint256 = self._stream[cluster_id]
    start: uint256 = (word >> 192) & MASK40
    min_duration: uint256 = word >> 232
    accrued: uint256 = self._accrued(word)
    end: uint256 = 0
    if start != 0:
        end = start + min_duration * SECONDS_PER_DAY
    return IStakerRewards.StreamInfo(
        status=self._status(cluster_id),
        funded=self._fund[cluster_id] & MASK128,
        rate=(word >> 96) & MASK96,
        start=start,
        end=end,
        min_duration=min_duration,
        paid=word & MASK96,
        accrued=accrued,
        claimable=accrued - (word & MASK96),
        held=self._held(cluster_id),
    )


@view
@internal
def _accrued(word: uint256) -> uint256:
    """
    @dev `rate * min(elapsed, min_duration days) // 86400` for a packed
         stream word (0 if not started).
    """
    start: uint256 = (word >> 192) & MASK40
    if start == 0:
        return 0
    duration: uint256 = (word >> 232) * SECONDS_PER_DAY
    elapsed: uint256 = min(block.timestamp - start, duration)
    return ((word >> 96) & MASK96) * elapsed // SECONDS_PER_DAY


@view
@internal
def _status(cluster_id: uint256) -> uint256:
    """
    @dev Decodes the status from the flags and the stream word.
    """
    if self._stream[cluster_id] != 0:
        if self._winners[cluster_id][0] == 0:
            return STATUS_EXPIRED
        return STATUS_STREAMING
    if self._fund[cluster_id] & FLAG_FUNDED != 0:
        return STATUS_FUNDED
    return STATUS_NONE


@view
@internal
def _held(cluster_id: uint256) -> uint256:
    """
    @dev funded - paid before expiry; rate * min_duration - paid after.
    """
    word: uint256 = self._stream[cluster_id]
    paid: uint256 = word & MASK96
    if word != 0 and self._winners[cluster_id][0] == 0:
        # expired: only the staker's part is left
        return ((word >> 96) & MASK96) * (word >> 232) - paid
    return (self._fund[cluster_id] & MASK128) - paid
