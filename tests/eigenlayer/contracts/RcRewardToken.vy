# pragma version ~=0.4.3
"""
@title RcRewardToken
@custom:contract-name RcRewardToken
@license MIT
@notice Test ERC-20 for the RewardsCoordinator tests: snekmate's `erc20`
        module (the deployer owns it and may mint), 18 decimals.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: erc20.__interface__


@deploy
def __init__(name_: String[25], symbol_: String[5]):
    """
    @dev The deployer becomes owner and minter.
    @param name_ The token name.
    @param symbol_ The token symbol.
    """
    ownable.__init__()
    erc20.__init__(name_, symbol_, 18, name_, "1")
