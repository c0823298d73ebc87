# pragma version ~=0.4.3
"""
@title ProxyDeployer
@custom:contract-name ProxyDeployer
@license MIT
@notice Test helper: deploys minimal proxies (as the StrategyModuleManager does).
"""


@external
def deploy(target: address, salt: bytes32) -> address:
    """
    @notice Deploys a minimal proxy to `target` with CREATE2 `salt`.
    @param target The implementation.
    @param salt The CREATE2 salt.
    @return address The proxy.
    """
    return create_minimal_proxy_to(target, salt=salt)
