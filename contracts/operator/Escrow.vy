# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Escrow
@custom:contract-name Escrow
@license MIT
@notice Holds every wei an operator paid for a bid until it leaves exactly
        once: refunded to that operator, or released to StakerRewards.
@dev A per-bid ledger keeps, for each bid, the wei still held for it:
     price + bond while pending, the bond alone (locked) once the bid has
     won, nothing once refunded or unlocked. Refunds that could not be
     pushed, and what clusters give back (unused credits, refunded prices,
     unlocked bonds), wait in `claimable` until their owner pulls them
     through `Auction.claim_refund(to)`. A loss a checkpoint proved
     (docs/protocol.md §10 "A loss at a checkpoint") moves part of a locked
     bond to `reserved` for the challenge window: back to the bond (or its
     operator) if answered, to the holder's `claimable` once settled. Hence
     at every moment:
         balance == sum(held) + sum(reserved) + sum(claimable)
     and a bid can never get back more than was paid in for it, because
     every refund, release or charge is taken out of its own ledger entry.

     Data travels with the money: the Auction names the operators and
     amounts it moves (at settlement, the cluster's seats), and
     StakerRewards hands back the bid ids and operators of the seats it
     committed to at settlement; the Escrow never calls back.
     The ledger is packed by `lib/ledger_codec.vy` (three bids a word).
"""

from ..interfaces import IEscrow
from ..lib import constants as c
from ..lib import ledger_codec as ledger
from ..lib import packing
from ..lib import seat_types

implements: IEscrow


interface IStakerRewardsFunding:
    def fund_cluster(
        cluster_id: uint256,
        seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE],
    ): payable


DEPLOYER: immutable(address)

# @notice The Auction: the only caller of the functions that move bid funds (set once).
auction: public(address)
# @notice StakerRewards: funded with the winners' prices at settlement; returns credits
# and bonds (set once).
staker_rewards: public(address)
# @notice The SeatRotation: the only caller of `unlock_bond` and
# `forfeit_bonds`, and the one the Auction and StakerRewards let rotate a seat
# (set once; empty: none).
seat_rotation: public(address)
# @notice Wei claimable per account: credits, unlocked bonds and ETH the Auction could
# not deliver (paid out through `Auction.claim_refund`).
claimable: public(HashMap[address, uint256])
_ledger: HashMap[uint256, uint256]
# @notice Wei of a winner's bond set aside for a pending loss charge (docs/protocol.md
# §10): it leaves once, to the holder (`charge_reserved`) or back (`release_reserved`).
reserved: public(HashMap[uint256, uint256])


event Initialized:
    auction: indexed(address)
    staker_rewards: indexed(address)
    seat_rotation: indexed(address)


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


event Credited:
    account: indexed(address)
    amount: uint256


event CreditsReturned:
    bid_id: indexed(uint256)
    operator: indexed(address)
    credit: uint256
    bond_unlocked: uint256
    bond_to: address


event ChargeReserved:
    bid_id: indexed(uint256)
    amount: uint256


event ChargeReleased:
    bid_id: indexed(uint256)
    operator: indexed(address)
    amount: uint256
    to_bond: bool


event BondCharged:
    bid_id: indexed(uint256)
    holder: indexed(address)
    amount: uint256


event SeatReleased:
    bid_id: indexed(uint256)
    operator: indexed(address)
    price: uint256
    refund: uint256
    bond_locked: uint256


event BondForfeited:
    bid_id: indexed(uint256)
    holder: indexed(address)
    amount: uint256


event Claimed:
    account: indexed(address)
    to: indexed(address)
    amount: uint256


@deploy
def __init__():
    """
    @notice Deploys an unwired Escrow; the deployer wires it once with `initialize`.
    """
    DEPLOYER = msg.sender


@external
def initialize(
    auction: address,
    staker_rewards: address,
    seat_rotation: address = empty(address),
):
    """
    @notice Names the Auction (the only mover of funds), StakerRewards
            (where winners' prices go) and the SeatRotation (the only one
            that rotates a seat: it unlocks and forfeits bonds here, and the
            Auction and StakerRewards read it from here). Deployer only,
            once; without a SeatRotation, no seat ever rotates.
    @param auction The Auction.
    @param staker_rewards StakerRewards.
    @param seat_rotation The SeatRotation (empty: none).
    """
    assert msg.sender == DEPLOYER, "escrow: caller is not the deployer"
    assert self.auction == empty(address), "escrow: already initialized"
    assert auction != empty(address) and staker_rewards != empty(
        address
    ), "escrow: zero address"
    self.auction = auction
    self.staker_rewards = staker_rewards
    self.seat_rotation = seat_rotation
    log Initialized(
        auction=auction,
        staker_rewards=staker_rewards,
        seat_rotation=seat_rotation,
    )


@external
@payable
def deposit(
    first_bid_id: uint256,
    operator: address,
    amounts: DynArray[uint256, c.MAX_BATCH],
):
    """
    @notice Records the funds of a batch of new bids with consecutive ids.
    @dev Auction only; msg.value must equal the sum of `amounts`.
    @param first_bid_id The id of the batch's first bid.
    @param operator Who paid.
    @param amounts What each bid paid (price + bond).
    """
    self._only_auction()
    total: uint256 = 0
    for i: uint256 in range(len(amounts), bound=c.MAX_BATCH):
        bid_id: uint256 = first_bid_id + i
        entry: ledger.Entry = self._entry(bid_id)
        assert (
            entry.held == 0 and not entry.locked
        ), "escrow: bid already funded"
        entry.held = amounts[i]
        self._write(bid_id, entry)
        total += amounts[i]
    assert msg.value == total, "escrow: value mismatch"
    log Deposited(
        first_bid_id=first_bid_id,
        operator=operator,
        count=len(amounts),
        total=total,
    )


@external
@payable
def top_up(bid_id: uint256):
    """
    @notice Adds msg.value to a pending bid's held funds (its price went up).
    @dev Auction only.
    @param bid_id The bid.
    """
    self._only_auction()
    entry: ledger.Entry = self._entry(bid_id)
    assert entry.held != 0 and not entry.locked, "escrow: unknown bid"
    entry.held += msg.value
    self._write(bid_id, entry)
    log ToppedUp(bid_id=bid_id, amount=msg.value)


@external
def refund(bid_id: uint256, operator: address, amount: uint256):
    """
    @notice Pays `amount` of a pending bid's held funds back to its operator,
            with all remaining gas; if the operator cannot receive, the
            amount becomes claimable instead (nobody else is blocked).
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
    @notice Pays everything a pending bid holds back to its operator
            (withdrawal), or keeps it claimable if the operator cannot receive.
    @dev Auction only.
    @param bid_id The bid.
    @param operator The bid's operator.
    @return uint256 The amount refunded.
    """
    self._only_auction()
    amount: uint256 = self._entry(bid_id).held
    self._take(bid_id, amount)
    self._pay_or_credit(bid_id, operator, amount)
    return amount


@external
def release(
    cluster_id: uint256, seats: DynArray[seat_types.Seat, c.MAX_CLUSTER_SIZE]
):
    """
    @notice Sends the winners' bid prices (`vc * days` of each seat) to
            StakerRewards for a new cluster, with its seats; what each bid
            still holds afterwards (its bond, possibly 0) stays locked for
            the life of the cluster.
    @dev Auction only. No event of its own: the Auction's `ClusterSettled`,
         in the same transaction, carries every seat (its bid and price;
         what the bid paid beyond its price, its bond, stays locked).
    @param cluster_id The cluster the bids won.
    @param seats The winners' seats, in ranking order.
    """
    self._only_auction()
    total: uint256 = 0
    for seat: seat_types.Seat in seats:
        entry: ledger.Entry = self._entry(seat.bid_id)
        price: uint256 = seat.vc * seat.days
        assert not entry.locked, "escrow: bid already released"
        assert price <= entry.held, "escrow: amount exceeds held"
        entry.held -= price
        entry.locked = True
        self._write(seat.bid_id, entry)
        total += price
    extcall IStakerRewardsFunding(self.staker_rewards).fund_cluster(
        cluster_id, seats, value=total
    )


@external
def release_seat(
    bid_id: uint256,
    operator: address,
    price: uint256,
    refund: uint256,
    to: address,
):
    """
    @notice Releases one bid that won a rotating seat (docs/protocol.md §10
            "Seats that rotate"): `price` goes to `to` (the SeatRotation,
            which passes it on to StakerRewards in the same transaction),
            `refund` (the rest of the bid's price) becomes claimable by its
            operator, and what the bid still holds (its bond) stays locked.
    @dev Auction only (`take_seat`).
    @param bid_id The winning bid.
    @param operator Its operator.
    @param price The seat's price, sent to `to`.
    @param refund Refunded to the operator (claimable).
    @param to Who receives the price.
    """
    self._only_auction()
    entry: ledger.Entry = self._entry(bid_id)
    assert not entry.locked, "escrow: bid already released"
    assert price + refund <= entry.held, "escrow: amount exceeds held"
    entry.held -= price + refund
    entry.locked = True
    self._write(bid_id, entry)
    self.claimable[operator] += refund
    log SeatReleased(
        bid_id=bid_id,
        operator=operator,
        price=price,
        refund=refund,
        bond_locked=entry.held,
    )
    raw_call(to, b"", value=price)


@external
def forfeit_bonds(
    bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE], holder: address
) -> uint256:
    """
    @notice Charges what the bids' locked bonds still hold to `holder`
            (claimable, pulled with `Auction.claim_refund`): the bonds of
            the operators who failed to reshare a rotating seat's key. The
            entries stay locked (holding 0), so the cluster's close still
            finds them; a bond already unlocked or emptied gives nothing.
    @dev The Auction's SeatRotation only (`forfeit`).
    @param bid_ids The bids whose bonds are forfeited.
    @param holder The cluster's ByzNft holder.
    @return uint256 The wei charged.
    """
    self._only_seat_rotation()
    total: uint256 = 0
    for bid_id: uint256 in bid_ids:
        entry: ledger.Entry = self._entry(bid_id)
        if not entry.locked or entry.held == 0:
            continue
        amount: uint256 = entry.held
        entry.held = 0
        self._write(bid_id, entry)
        self.claimable[holder] += amount
        total += amount
        log BondForfeited(bid_id=bid_id, holder=holder, amount=amount)
    return total


@external
def unlock_bond(bid_id: uint256, operator: address):
    """
    @notice Unlocks the bond of a bid that left its cluster's seats (a
            rotated seat's leaver, once the key was reshared or the
            rotation failed), claimable by its operator.
    @dev The Auction's SeatRotation only.
    @param bid_id The leaver's bid.
    @param operator Its operator.
    """
    self._only_seat_rotation()
    entry: ledger.Entry = self._entry(bid_id)
    assert entry.locked, "escrow: bond not locked"
    self._write(bid_id, empty(ledger.Entry))
    self.claimable[operator] += entry.held
    log CreditsReturned(
        bid_id=bid_id,
        operator=operator,
        credit=0,
        bond_unlocked=entry.held,
        bond_to=operator,
    )


@external
@payable
def return_credits(
    bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    operators: DynArray[address, c.MAX_CLUSTER_SIZE],
    credits: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    bond_to: address,
):
    """
    @notice Gives back what a cluster returns: each winner's credit (sent with
            this call: unused credits, or its whole price for a cluster that
            never streamed) becomes claimable by its operator, and each locked
            bond is unlocked, claimable by its operator, or by `bond_to` when
            it is set (a staker compensated for a reported front-run).
    @dev StakerRewards only; msg.value must equal the sum of `credits`.
    @param bid_ids The cluster's winning bids.
    @param operators Their operators (as handed over at settlement).
    @param credits Wei per bid (may be 0).
    @param bond_to Who receives the bonds; empty: each bid's operator.
    """
    assert (
        msg.sender == self.staker_rewards
    ), "escrow: caller is not staker rewards"
    count: uint256 = len(bid_ids)
    assert (
        len(operators) == count and len(credits) == count
    ), "escrow: length mismatch"
    total: uint256 = 0
    for i: uint256 in range(count, bound=c.MAX_CLUSTER_SIZE):
        entry: ledger.Entry = self._entry(bid_ids[i])
        assert entry.locked, "escrow: bond not locked"
        bond: uint256 = entry.held
        self._write(bid_ids[i], empty(ledger.Entry))
        bond_receiver: address = bond_to
        if bond_receiver == empty(address):
            bond_receiver = operators[i]
        self.claimable[operators[i]] += credits[i]
        self.claimable[bond_receiver] += bond
        total += credits[i]
        log CreditsReturned(
            bid_id=bid_ids[i],
            operator=operators[i],
            credit=credits[i],
            bond_unlocked=bond,
            bond_to=bond_receiver,
        )
    assert msg.value == total, "escrow: value mismatch"


@external
@payable
def return_unused_credits(
    bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    operators: DynArray[address, c.MAX_CLUSTER_SIZE],
    credits: DynArray[uint256, c.MAX_CLUSTER_SIZE],
):
    """
    @notice Gives back an expired cluster's unused credits (sent with this
            call), claimable by each winner's operator, while every bond
            stays locked: the validator still runs, and the bonds unlock
            only when its exit is proven (`return_credits`, credits 0).
    @dev StakerRewards only; msg.value must equal the sum of `credits`.
    @param bid_ids The cluster's winning bids.
    @param operators Their operators (as handed over at settlement).
    @param credits Wei per bid (may be 0).
    """
    assert (
        msg.sender == self.staker_rewards
    ), "escrow: caller is not staker rewards"
    count: uint256 = len(bid_ids)
    assert (
        len(operators) == count and len(credits) == count
    ), "escrow: length mismatch"
    total: uint256 = 0
    for i: uint256 in range(count, bound=c.MAX_CLUSTER_SIZE):
        assert self._entry(bid_ids[i]).locked, "escrow: bond not locked"
        self.claimable[operators[i]] += credits[i]
        total += credits[i]
        log CreditsReturned(
            bid_id=bid_ids[i],
            operator=operators[i],
            credit=credits[i],
            bond_unlocked=0,
            bond_to=empty(address),
        )
    assert msg.value == total, "escrow: value mismatch"


@external
def reserve(
    bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE], amount: uint256
) -> uint256:
    """
    @notice Sets `amount` wei of a cluster's locked bonds aside for a
            pending loss charge, pro rata to the bonds each bid still holds
            (capped by their sum): each share leaves its bond for
            `reserved`, where it waits for the challenge window.
    @dev StakerRewards only. Shares are floored, and the few wei the floors
         leave go to the first bids with room, so the shares add up to
         exactly what is reserved and none exceeds its bond.
    @param bid_ids The cluster's winning bids.
    @param amount Wei to reserve (more than the bonds hold: all of them).
    @return uint256 The wei reserved.
    """
    self._only_staker_rewards()
    entries: DynArray[ledger.Entry, c.MAX_CLUSTER_SIZE] = []
    bonds: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    total: uint256 = 0
    for bid_id: uint256 in bid_ids:
        entry: ledger.Entry = self._entry(bid_id)
        bond: uint256 = 0
        if entry.locked:
            bond = entry.held
        entries.append(entry)
        bonds.append(bond)
        total += bond
    charged: uint256 = min(amount, total)
    shares: DynArray[uint256, c.MAX_CLUSTER_SIZE] = self._split(
        charged, bonds, total
    )
    for i: uint256 in range(len(bid_ids), bound=c.MAX_CLUSTER_SIZE):
        if shares[i] == 0:
            continue
        entry: ledger.Entry = entries[i]
        entry.held -= shares[i]
        self._write(bid_ids[i], entry)
        self.reserved[bid_ids[i]] += shares[i]
        log ChargeReserved(bid_id=bid_ids[i], amount=shares[i])
    return charged


@external
def release_reserved(
    bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    operators: DynArray[address, c.MAX_CLUSTER_SIZE],
    amount: uint256,
):
    """
    @notice Gives `amount` wei of a cluster's pending charge back to the
            winners (an answered charge), pro rata to what each bid has
            reserved: back into its bond while the bond is locked, or
            claimable by its operator once the bond unlocked (the exit was
            proven meanwhile).
    @dev StakerRewards only; at most what the bids have reserved.
    @param bid_ids The cluster's winning bids.
    @param operators Their operators (as handed over at settlement).
    @param amount Wei to give back.
    """
    self._only_staker_rewards()
    assert len(operators) == len(bid_ids), "escrow: length mismatch"
    parts: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    total: uint256 = 0
    for bid_id: uint256 in bid_ids:
        part: uint256 = self.reserved[bid_id]
        parts.append(part)
        total += part
    assert amount <= total, "escrow: amount exceeds reserved"
    shares: DynArray[uint256, c.MAX_CLUSTER_SIZE] = self._split(
        amount, parts, total
    )
    for i: uint256 in range(len(bid_ids), bound=c.MAX_CLUSTER_SIZE):
        if shares[i] == 0:
            continue
        self.reserved[bid_ids[i]] -= shares[i]
        entry: ledger.Entry = self._entry(bid_ids[i])
        if entry.locked:
            entry.held += shares[i]
            self._write(bid_ids[i], entry)
        else:
            self.claimable[operators[i]] += shares[i]
        log ChargeReleased(
            bid_id=bid_ids[i],
            operator=operators[i],
            amount=shares[i],
            to_bond=entry.locked,
        )


@external
def charge_reserved(
    bid_ids: DynArray[uint256, c.MAX_CLUSTER_SIZE], holder: address
) -> uint256:
    """
    @notice Charges what a cluster's bids have reserved to the holder, who
            pulls it with `Auction.claim_refund` (a settled loss charge).
    @dev StakerRewards only.
    @param bid_ids The cluster's winning bids.
    @param holder The cluster's ByzNft holder.
    @return uint256 The wei charged.
    """
    self._only_staker_rewards()
    total: uint256 = 0
    for bid_id: uint256 in bid_ids:
        amount: uint256 = self.reserved[bid_id]
        if amount == 0:
            continue
        self.reserved[bid_id] = 0
        total += amount
        log BondCharged(bid_id=bid_id, holder=holder, amount=amount)
    self.claimable[holder] += total
    return total


@external
@payable
def credit(operator: address):
    """
    @notice Keeps msg.value claimable for `operator` (ETH the Auction could
            not deliver).
    @dev Auction only.
    @param operator Who may claim it.
    """
    self._only_auction()
    self.claimable[operator] += msg.value
    log Credited(account=operator, amount=msg.value)


@external
def pay_claimable(account: address, to: address) -> uint256:
    """
    @notice Pays an account everything claimable for it, to the address it
            names, with all remaining gas.
    @dev Auction only (through `Auction.claim_refund(to)`, for the caller).
    @param account Whose claimable balance.
    @param to The receiver.
    @return uint256 The amount paid.
    """
    self._only_auction()
    assert to != empty(address), "escrow: zero receiver"
    amount: uint256 = self.claimable[account]
    assert amount != 0, "escrow: nothing to claim"
    self.claimable[account] = 0
    log Claimed(account=account, to=to, amount=amount)
    raw_call(to, b"", value=amount)
    return amount


@external
@view
def held(bid_id: uint256) -> uint256:
    """
    @notice Wei held for a bid: price + bond while pending, the locked bond
            after it won, 0 once refunded or unlocked.
    @param bid_id The bid.
    @return uint256 Wei.
    """
    return self._entry(bid_id).held


@external
@view
def is_locked(bid_id: uint256) -> bool:
    """
    @notice Whether a bid won and its bond is still locked.
    @param bid_id The bid.
    @return bool True between settlement and the cluster's end.
    """
    return self._entry(bid_id).locked


@internal
@view
def _only_auction():
    assert msg.sender == self.auction, "escrow: caller is not the auction"


@internal
@view
def _only_seat_rotation():
    assert (
        msg.sender == self.seat_rotation
    ), "escrow: caller is not the seat rotation"


@internal
@view
def _only_staker_rewards():
    assert (
        msg.sender == self.staker_rewards
    ), "escrow: caller is not staker rewards"


@internal
@pure
def _split(
    amount: uint256,
    weights: DynArray[uint256, c.MAX_CLUSTER_SIZE],
    total: uint256,
) -> DynArray[uint256, c.MAX_CLUSTER_SIZE]:
    """
    @dev `amount` (<= `total`, the sum of `weights`) split pro rata to
         `weights`: each share floored, then the floors' remainder (< one
         wei per weight) given in order to the weights with room left. The
         shares add up to `amount` exactly, and none exceeds its weight.
    @return DynArray The shares, in the weights' order.
    """
    shares: DynArray[uint256, c.MAX_CLUSTER_SIZE] = []
    given: uint256 = 0
    for weight: uint256 in weights:
        share: uint256 = 0
        if total != 0:
            share = amount * weight // total
        shares.append(share)
        given += share
    left: uint256 = amount - given
    for i: uint256 in range(len(weights), bound=c.MAX_CLUSTER_SIZE):
        if left == 0:
            break
        extra: uint256 = min(left, weights[i] - shares[i])
        shares[i] += extra
        left -= extra
    return shares


@internal
@view
def _entry(bid_id: uint256) -> ledger.Entry:
    """
    @dev A bid's ledger entry.
    @return ledger.Entry What the Escrow holds for the bid.
    """
    return ledger.unpack_entry(self._ledger[packing.slot_of(bid_id)], bid_id)


@internal
def _write(bid_id: uint256, entry: ledger.Entry):
    key: uint256 = packing.slot_of(bid_id)
    self._ledger[key] = ledger.pack_entry(self._ledger[key], bid_id, entry)


@internal
def _take(bid_id: uint256, amount: uint256):
    """
    @dev Takes `amount` out of a pending bid's held funds; never more than
         it holds, never from a won bid's locked bond.
    """
    entry: ledger.Entry = self._entry(bid_id)
    assert not entry.locked, "escrow: bond is locked"
    assert amount <= entry.held, "escrow: amount exceeds held"
    entry.held -= amount
    self._write(bid_id, entry)


@internal
def _pay_or_credit(bid_id: uint256, operator: address, amount: uint256):
    """
    @dev Pushes a refund with all remaining gas (never a 2300 stipend); a
         receiver that reverts only delays its own money, kept claimable.
    """
    delivered: bool = raw_call(
        operator, b"", value=amount, revert_on_failure=False
    )
    if not delivered:
        self.claimable[operator] += amount
    log Refunded(
        bid_id=bid_id, operator=operator, amount=amount, delivered=delivered
    )
