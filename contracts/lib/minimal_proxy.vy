# pragma version ~=0.4.3
"""
@title minimal_proxy
@notice Address maths for EIP-1167 minimal proxies deployed with Vyper's
        `create_minimal_proxy_to(target, salt=...)` (CREATE2).
@dev Stateless module: import it and call its internal functions directly
     (no `uses:` / `initializes:` needed). Vyper's init code for a proxy to
     `target` is the 54 bytes
     `602d3d8160093d39f3` (loader) ‖ `363d3d373d3d3d363d73` ‖ target ‖
     `5af43d82803e903d91602b57fd5bf3` (see `vyper.builtins.functions.eip1167_bytecode`).
     Note that the loader differs from the EIP-1167 reference loader
     (`3d602d80600a3d3981f3`), so addresses predicted with other libraries'
     formulas would be wrong. The CREATE2 address is
     `keccak256(0xff ‖ deployer ‖ salt ‖ keccak256(init_code))[12:]`.
"""

# Loader (9 bytes) followed by the runtime prefix up to PUSH20 (10 bytes).
_PROXY_INIT_PREFIX: constant(Bytes[19]) = x"602d3d8160093d39f3363d3d373d3d3d363d73"
# Runtime suffix after the 20-byte target (15 bytes).
_PROXY_INIT_SUFFIX: constant(Bytes[15]) = x"5af43d82803e903d91602b57fd5bf3"
_ADDRESS_MASK: constant(uint256) = 2**160 - 1


@internal
@pure
def _init_code_hash(target: address) -> bytes32:
    """
    @dev Returns keccak256 of the init code `create_minimal_proxy_to(target)` uses.
    @param target The implementation the proxy delegates to.
    @return bytes32 The init-code hash.
    """
    return keccak256(concat(_PROXY_INIT_PREFIX, convert(target, bytes20), _PROXY_INIT_SUFFIX))


@internal
@pure
def _predict_address(target: address, salt: bytes32, deployer: address) -> address:
    """
    @dev Returns the address `create_minimal_proxy_to(target, salt=salt)` yields
         when executed by `deployer`.
    @param target The implementation the proxy delegates to.
    @param salt The CREATE2 salt.
    @param deployer The contract executing the CREATE2.
    @return address The proxy's address.
    """
    digest: bytes32 = keccak256(
        concat(x"ff", convert(deployer, bytes20), salt, self._init_code_hash(target))
    )
    return convert(convert(digest, uint256) & _ADDRESS_MASK, address)
