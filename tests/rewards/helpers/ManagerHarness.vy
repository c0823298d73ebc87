# pragma version ~=0.4.3
"""
@title Test harness standing in for the StrategyModuleManager's views
@custom:contract-name ManagerHarness
@license MIT
@notice Test-only (never deployed by the protocol). StakerRewards reads
        `byz_nft()` once and `strategy_module_of(cluster_id)` on claims by
        a module and on `end_stream` and `charge_slashing`; the tests prank
        as this contract's address to call `start_stream`, `cancel_cluster`
        and `ByzNft.mint`, which is what the real manager does, and as the
        cluster's module (`set_module`) to call `end_stream`.
"""

byz_nft: public(address)
strategy_module_of: public(HashMap[uint256, address])


@deploy
def __init__(nft: address):
    self.byz_nft = nft


@external
def set_module(cluster_id: uint256, module: address):
    """
    @notice Sets the StrategyModule of a cluster.
    @param cluster_id The cluster.
    @param module The module's address.
    """
    self.strategy_module_of[cluster_id] = module
