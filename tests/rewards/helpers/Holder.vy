# pragma version ~=0.4.3
"""
@title Test-only ByzNft holder contract
@custom:contract-name Holder
@license MIT
@notice Accepts ERC-721 tokens; accepts or rejects ETH on demand; can try to
        re-enter `StakerRewards.claim` when paid.
"""


interface IRewards:
    def claim(cluster_id: uint256) -> uint256: nonpayable


accept_eth: public(bool)
reenter: public(bool)
target: public(uint256)
rewards: public(address)
received: public(uint256)


@deploy
def __init__(rewards: address):
    self.rewards = rewards
    self.accept_eth = True


@external
def set_mode(accept_eth: bool, reenter: bool, target: uint256):
    """
    @notice Sets how the holder behaves when paid.
    @param accept_eth Whether it accepts ETH.
    @param reenter Whether a payment re-enters `StakerRewards.claim(target)`.
    @param target The cluster the re-entry claims.
    """
    self.accept_eth = accept_eth
    self.reenter = reenter
    self.target = target


@external
def claim(cluster_id: uint256) -> uint256:
    """
    @notice Claims a cluster's rewards from StakerRewards as this contract.
    @param cluster_id The cluster.
    @return uint256 The amount paid.
    """
    return extcall IRewards(self.rewards).claim(cluster_id)


@external
def onERC721Received(
    operator: address, owner: address, token_id: uint256, data: Bytes[1024]
) -> bytes4:
    """
    @notice Accepts every ERC-721 token.
    @param operator Who sent it (ignored).
    @param owner Its previous owner (ignored).
    @param token_id The token (ignored).
    @param data Extra data (ignored).
    @return bytes4 The ERC-721 receiver selector.
    """
    return method_id(
        "onERC721Received(address,address,uint256,bytes)", output_type=bytes4
    )


@external
@payable
def __default__():
    """
    @notice Counts ETH received (reverts unless `accept_eth`); may re-enter `claim`.
    """
    assert self.accept_eth, "holder: rejects ETH"
    self.received += msg.value
    if self.reenter:
        extcall IRewards(self.rewards).claim(self.target)
