# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Split
@custom:contract-name Split
@license MIT
@notice A 0xSplits-like reward splitter, used as a distributed validator's
        fee recipient: it receives ETH and `distribute()` pays it to fixed
        recipients pro rata to their allocations, plus a small incentive to
        whoever calls it.
@dev Used through EIP-1167 minimal proxies deployed by `SplitFactory` with
     CREATE2; the CREATE2 salt commits to the parameters, and `initialize`
     proves its caller deployed this proxy with exactly these parameters (it
     recomputes its own address), so a split's address certifies its
     recipients, allocations and incentive. The implementation itself can
     never be initialized.
     Payments are pushed with a gas cap of 100 000 (Solady's
     `GAS_STIPEND_NO_GRIEF`, as 0xSplits v2 push distributions): enough for
     smart-contract wallets (not a 2300 stipend), yet a recipient cannot burn
     the gas the other payments need. A failed payment is credited to the
     recipient's `withdrawable` balance and pulled with `withdraw()`.
     Invariant: self.balance == total_withdrawable + undistributed().
"""

from ..lib import constants as c
from ..lib import minimal_proxy
from ..lib import split_lib
from ..interfaces.external import ISplit

implements: ISplit

TRANSFER_GAS: constant(uint256) = 100_000

_IMPLEMENTATION: immutable(address)

_recipients: DynArray[address, 16]
_allocations: DynArray[uint256, 16]
_total_allocation: uint256
_distribution_incentive_bps: uint256
# The factory that deployed and initialized this split.
split_factory: public(address)
# Payments that could not be pushed, by recipient.
withdrawable: public(HashMap[address, uint256])
# Sum of `withdrawable` over all accounts.
total_withdrawable: public(uint256)


event SplitInitialized:
    split_factory: indexed(address)
    recipients: DynArray[address, 16]
    allocations: DynArray[uint256, 16]
    distribution_incentive_bps: uint256


event EthReceived:
    sender: indexed(address)
    amount: uint256


event Distributed:
    caller: indexed(address)
    amount: uint256
    incentive: uint256


event PaymentSent:
    recipient: indexed(address)
    amount: uint256


event PaymentCredited:
    recipient: indexed(address)
    amount: uint256


event Withdrawn:
    recipient: indexed(address)
    amount: uint256


@deploy
def __init__():
    """
    @notice Deploys the implementation the splits' proxies delegate to.
    """
    _IMPLEMENTATION = self


@external
@payable
def __default__():
    """
    @notice Receives rewards (execution-layer fees, MEV, any ETH).
    """
    log EthReceived(sender=msg.sender, amount=msg.value)


@external
def initialize(
    recipients: DynArray[address, 16],
    allocations: DynArray[uint256, 16],
    distribution_incentive_bps: uint256,
    salt: bytes32,
):
    """
    @notice Sets the split's parameters; once, by the factory that deployed it.
    @dev Reverts unless the parameters are valid and `self` is the CREATE2
         address of a minimal proxy to this implementation deployed by
         `msg.sender` with the salt derived from these parameters.
    @param recipients The recipients (1 to 16, no zero address).
    @param allocations Their allocations (> 0; shares are allocation / total).
    @param distribution_incentive_bps The caller's share of each distribution (<= 1000).
    @param salt The user salt the factory was given.
    """
    assert self.split_factory == empty(address), "split: already initialized"
    total: uint256 = split_lib._validate(
        recipients, allocations, distribution_incentive_bps
    )
    assert (
        minimal_proxy._predict_address(
            _IMPLEMENTATION,
            split_lib._create2_salt(
                recipients, allocations, distribution_incentive_bps, salt
            ),
            msg.sender,
        )
        == self
    ), "split: caller is not the factory"
    self._recipients = recipients
    self._allocations = allocations
    self._total_allocation = total
    self._distribution_incentive_bps = distribution_incentive_bps
    self.split_factory = msg.sender
    log SplitInitialized(
        split_factory=msg.sender,
        recipients=recipients,
        allocations=allocations,
        distribution_incentive_bps=distribution_incentive_bps,
    )


@external
def distribute():
    """
    @notice Distributes the undistributed balance: `distribution_incentive_bps`
            of it to the caller, the rest to the recipients pro rata to their
            allocations (the rounding remainder to the last recipient).
    @dev A payment that fails is credited to `withdrawable` instead.
    """
    recipients: DynArray[address, 16] = self._recipients
    assert len(recipients) > 0, "split: not initialized"
    amount: uint256 = self.balance - self.total_withdrawable
    assert amount > 0, "split: nothing to distribute"
    incentive: uint256 = amount * self._distribution_incentive_bps // c.BPS
    rest: uint256 = amount - incentive
    allocations: DynArray[uint256, 16] = self._allocations
    total: uint256 = self._total_allocation
    last: uint256 = len(recipients) - 1
    paid: uint256 = 0
    log Distributed(caller=msg.sender, amount=amount, incentive=incentive)
    for i: uint256 in range(last, bound=15):
        share: uint256 = rest * allocations[i] // total
        paid += share
        self._pay(recipients[i], share)
    self._pay(recipients[last], rest - paid)
    self._pay(msg.sender, incentive)


@external
def withdraw(to: address = msg.sender):
    """
    @notice Pays the payments credited to the caller to the address it
            names (all remaining gas forwarded), so a recipient contract
            that cannot receive ETH is never stuck.
    @param to The receiver (default: the caller).
    """
    assert to != empty(address), "split: zero receiver"
    amount: uint256 = self.withdrawable[msg.sender]
    assert amount > 0, "split: nothing to withdraw"
    self.withdrawable[msg.sender] = 0
    self.total_withdrawable -= amount
    log Withdrawn(recipient=msg.sender, amount=amount)
    raw_call(to, b"", value=amount)


@external
@view
def recipients() -> DynArray[address, 16]:
    """
    @notice The split's recipients.
    @return DynArray[address, 16] The recipients, in payment order.
    """
    return self._recipients


@external
@view
def allocations() -> DynArray[uint256, 16]:
    """
    @notice The recipients' allocations.
    @return DynArray[uint256, 16] The allocations, in the order of `recipients()`.
    """
    return self._allocations


@external
@view
def total_allocation() -> uint256:
    """
    @notice The sum of the allocations.
    @return uint256 The total allocation.
    """
    return self._total_allocation


@external
@view
def distribution_incentive_bps() -> uint256:
    """
    @notice The caller's share of each distribution.
    @return uint256 The share in basis points.
    """
    return self._distribution_incentive_bps


@external
@view
def undistributed() -> uint256:
    """
    @notice The balance `distribute()` would pay out now.
    @return uint256 self.balance - total_withdrawable.
    """
    return self.balance - self.total_withdrawable


@external
@view
def implementation() -> address:
    """
    @notice The implementation contract the splits delegate to.
    @return address The implementation's address.
    """
    return _IMPLEMENTATION


@internal
def _pay(recipient: address, amount: uint256):
    """
    @dev Pushes `amount` to `recipient` with a gas cap; credits it on failure.
    @param recipient The payee.
    @param amount The amount in wei.
    """
    if amount == 0:
        return
    if raw_call(
        recipient, b"", value=amount, gas=TRANSFER_GAS, revert_on_failure=False
    ):
        log PaymentSent(recipient=recipient, amount=amount)
    else:
        self.withdrawable[recipient] += amount
        self.total_withdrawable += amount
        log PaymentCredited(recipient=recipient, amount=amount)
