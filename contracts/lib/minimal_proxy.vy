# pragma version ~=0.4.3
"""
@title minimal_proxy
@custom:contract-name minimal_proxy
@license MIT
@notice Address maths for the EIP-1167 minimal proxies Vyper's
        `create_minimal_proxy_to(target, salt=...)` deploys with CREATE2.
@dev Stateless module: import it and call its internal functions directly
     (no `uses:` / `initializes:` needed). Vyper's init code for a proxy to
     `target` is the 54 bytes
     `602d3d8160093d39f3` (loader) ‖ `363d3d373d3d3d363d73` ‖ target ‖
     `5af43d82803e903d91602b57fd5bf3` (see `vyper.builtins.functions.eip1167_bytecode`).
     Its loader differs from the EIP-1167 reference loader
     (`3d602d80600a3d3981f3`), so other libraries' init-code hashes would
     give wrong addresses. The CREATE2 formula itself is snekmate's
     (`snekmate.utils.create2`).
"""

from snekmate.utils import create2

# Loader (9 bytes) followed by the runtime prefix up to PUSH20 (10 bytes).
_PROXY_INIT_PREFIX: constant(
    Bytes[19]
) = x"602d3d8160093d39f3363d3d373d3d3d363d73"
# Runtime suffix after the 20-byte target (15 bytes).
_PROXY_INIT_SUFFIX: constant(Bytes[15]) = x"5af43d82803e903d91602b57fd5bf3"


@internal
@pure
def _init_code_hash(target: address) -> bytes32:
    """
    @dev Returns keccak256 of the init code `create_minimal_proxy_to(target)` uses.
    @param target The implementation the proxy delegates to.
    @return bytes32 The init-code hash.
    """
    return keccak256(
        concat(_PROXY_INIT_PREFIX, convert(target, bytes20), _PROXY_INIT_SUFFIX)
    )


@internal
@pure
def _predict_address(
    target: address, salt: bytes32, deployer: address
) -> address:
    """
    @dev Returns the address `create_minimal_proxy_to(target, salt=salt)` yields
         when executed by `deployer`.
    @param target The implementation the proxy delegates to.
    @param salt The CREATE2 salt.
    @param deployer The contract executing the CREATE2.
    @return address The proxy's address.
    """
    return create2._compute_create2_address(
        salt, self._init_code_hash(target), deployer
    )
