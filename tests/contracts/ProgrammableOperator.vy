# pragma version ~=0.4.3
"""
@title Test operator contract that can refuse ETH
@custom:contract-name ProgrammableOperator
@license MIT
@notice Bids through the Auction like an operator; while `accepting` is
        False it rejects every payment, so tests can check that refunds to a
        receiver that reverts are kept claimable, not lost, and never block
        anybody else.
"""


interface IAuctionCalls:
    def bid(
        discount_rates: DynArray[uint256, 32],
        durations: DynArray[uint256, 32],
        hints: DynArray[uint256, 32],
    ) -> DynArray[uint256, 32]: payable
    def update_bid(
        bid_id: uint256,
        discount_rate: uint256,
        duration: uint256,
        hint: uint256,
    ): payable
    def withdraw_bid(bid_id: uint256): nonpayable
    def claim_refund() -> uint256: nonpayable


accepting: public(bool)
auction: public(address)


@deploy
def __init__(auction: address):
    self.auction = auction


@external
def set_accepting(accepting: bool):
    """
    @notice Makes the contract accept (True) or refuse (False) every payment.
    @param accepting Whether `__default__` accepts ETH.
    """
    self.accepting = accepting


@external
@payable
def place(
    discount_rates: DynArray[uint256, 32], durations: DynArray[uint256, 32]
) -> DynArray[uint256, 32]:
    """
    @notice Places a batch of bids through the Auction, without hints.
    @param discount_rates Each bid's discount rate in basis points.
    @param durations Each bid's duration in days.
    @return DynArray The new bid ids, in order.
    """
    return extcall IAuctionCalls(self.auction).bid(
        discount_rates, durations, [], value=msg.value
    )


@external
@payable
def update(bid_id: uint256, discount_rate: uint256, duration: uint256):
    """
    @notice Re-prices one of this contract's pending bids, without a hint.
    @param bid_id The bid.
    @param discount_rate The new discount rate in basis points.
    @param duration The new duration in days.
    """
    extcall IAuctionCalls(self.auction).update_bid(
        bid_id, discount_rate, duration, 0, value=msg.value
    )


@external
def withdraw(bid_id: uint256):
    """
    @notice Withdraws one of this contract's pending bids.
    @param bid_id The bid.
    """
    extcall IAuctionCalls(self.auction).withdraw_bid(bid_id)


@external
def claim() -> uint256:
    """
    @notice Claims this contract's refunds from the Auction.
    @return uint256 The amount paid.
    """
    return extcall IAuctionCalls(self.auction).claim_refund()


@external
@payable
def __default__():
    """
    @notice Accepts ETH while `accepting`; reverts otherwise.
    """
    assert self.accepting, "programmable_operator: refusing ETH"
