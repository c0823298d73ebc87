# pragma version ~=0.4.3
"""
@title ContractStaker
@custom:contract-name ContractStaker
@license MIT
@notice Test helper: a contract staker. `mode` 0 accepts ByzNfts, 1 rejects
        them, 2 re-enters the manager from `onERC721Received`, 3 accepts
        ByzNfts but rejects ETH. Its
        `__default__` writes storage, so it needs more than a 2300-gas stipend.
"""


interface IManager:
    def create_strategy_module_and_stake() -> address: payable


mode: public(uint256)
received: public(uint256)
manager: public(address)


@deploy
def __init__(manager: address, mode: uint256):
    """
    @notice Stores the manager and the receiver mode.
    """
    self.manager = manager
    self.mode = mode


@external
@payable
def __default__():
    """
    @notice Counts received ETH (costs more than 2300 gas); mode 3 rejects it.
    """
    assert self.mode != 3, "contract_staker: rejects ETH"
    self.received += msg.value


@external
@payable
def stake() -> address:
    """
    @notice Stakes 32 ETH through the manager.
    @return address The new StrategyModule.
    """
    return extcall IManager(self.manager).create_strategy_module_and_stake(
        value=msg.value
    )


@external
def onERC721Received(
    operator: address, owner: address, token_id: uint256, data: Bytes[1024]
) -> bytes4:
    """
    @notice ERC-721 receiver hook, behaving according to `mode`.
    @param operator Who sent it (ignored).
    @param owner Its previous owner (ignored).
    @param token_id The token (ignored).
    @param data Extra data (ignored).
    @return bytes4 The receiver selector, or a wrong one in mode 1.
    """
    if self.mode == 1:
        return 0xdeadbeef
    if self.mode == 2:
        extcall IManager(self.manager).create_strategy_module_and_stake(
            value=32 * 10**18
        )
    return method_id(
        "onERC721Received(address,address,uint256,bytes)", output_type=bytes4
    )
