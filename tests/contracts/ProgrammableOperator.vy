# pragma version ~=0.4.3
"""
@title Test operator contract that can refuse ETH
@notice Bids through the Auction like an operator; while `accepting` is
        False it rejects every payment, so tests can check that refunds to a
        receiver that reverts are kept claimable, not lost, and never block
        anybody else.
"""

interface IAuctionCalls:
    def bid(discount_rates: DynArray[uint256, 32], durations: DynArray[uint256, 32], hints: DynArray[uint256, 32]) -> DynArray[uint256, 32]: payable
    def update_bid(bid_id: uint256, discount_rate: uint256, duration: uint256, hint: uint256): payable
    def withdraw_bid(bid_id: uint256): nonpayable
    def claim_refund() -> uint256: nonpayable

accepting: public(bool)
auction: public(address)


@deploy
def __init__(auction: address):
    self.auction = auction


@external
def set_accepting(accepting: bool):
    self.accepting = accepting


@payable
@external
def place(discount_rates: DynArray[uint256, 32], durations: DynArray[uint256, 32]) -> DynArray[uint256, 32]:
    return extcall IAuctionCalls(self.auction).bid(discount_rates, durations, [], value=msg.value)


@payable
@external
def update(bid_id: uint256, discount_rate: uint256, duration: uint256):
    extcall IAuctionCalls(self.auction).update_bid(bid_id, discount_rate, duration, 0, value=msg.value)


@external
def withdraw(bid_id: uint256):
    extcall IAuctionCalls(self.auction).withdraw_bid(bid_id)


@external
def claim() -> uint256:
    return extcall IAuctionCalls(self.auction).claim_refund()


@payable
@external
def __default__():
    assert self.accepting, "programmable_operator: refusing ETH"
