# pragma version ~=0.4.3
"""
@title Test-only ByzNft holder contract
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
    self.accept_eth = accept_eth
    self.reenter = reenter
    self.target = target


@external
def claim(cluster_id: uint256) -> uint256:
    return extcall IRewards(self.rewards).claim(cluster_id)


@external
def onERC721Received(
    operator: address, owner: address, token_id: uint256, data: Bytes[1024]
) -> bytes4:
    return method_id(
        "onERC721Received(address,address,uint256,bytes)", output_type=bytes4
    )


@payable
@external
def __default__():
    assert self.accept_eth, "holder: rejects ETH"
    self.received += msg.value
    if self.reenter:
        extcall IRewards(self.rewards).claim(self.target)
