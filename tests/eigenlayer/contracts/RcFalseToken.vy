# pragma version ~=0.4.3
"""
@title RcFalseToken
@custom:contract-name RcFalseToken
@license MIT
@notice Test double of an ERC-20 whose `transfer` returns false (moves
        nothing), for the RewardsCoordinator's SafeERC20 check.
"""


@external
def transfer(to: address, amount: uint256) -> bool:
    """
    @notice Refuses every transfer by returning false.
    @param to Ignored.
    @param amount Ignored.
    @return bool Always false.
    """
    return False
