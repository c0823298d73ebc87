# pragma version ~=0.4.3
"""
@title PullingHolder
@custom:contract-name PullingHolder
@license MIT
@notice Test helper: a ByzNft holder that rejects every ETH transfer but can
        make any call (`pull`), so it collects what it is owed by pulling it
        to another address (`StakerRewards.withdraw_credit(to)`,
        `Auction.claim_refund(to)`).
"""


@external
@payable
def __default__():
    """
    @notice Rejects ETH.
    """
    raise "pulling_holder: rejects ETH"


@external
def pull(target: address, data: Bytes[1024]) -> Bytes[32]:
    """
    @notice Calls `target` with `data` (no value) and returns its first word.
    @param target The contract to call.
    @param data The calldata.
    @return Bytes[32] The start of the call's return data.
    """
    return raw_call(target, data, max_outsize=32)


@external
def onERC721Received(
    operator: address, owner: address, token_id: uint256, data: Bytes[1024]
) -> bytes4:
    """
    @notice Accepts ByzNfts.
    @param operator Who sent it (ignored).
    @param owner Its previous owner (ignored).
    @param token_id The token (ignored).
    @param data Extra data (ignored).
    @return bytes4 The receiver selector.
    """
    return method_id(
        "onERC721Received(address,address,uint256,bytes)", output_type=bytes4
    )
