"""Plain helpers for the external stand-ins' tests (fixtures live in conftest.py)."""

from __future__ import annotations

import warnings

import boa
from eth_utils import keccak, to_checksum_address

ETH = 10**18
# Vyper's `create_minimal_proxy_to` init code around the 20-byte target (vyper.builtins.functions)
PROXY_PREFIX = bytes.fromhex("602d3d8160093d39f3363d3d373d3d3d363d73")
PROXY_SUFFIX = bytes.fromhex("5af43d82803e903d91602b57fd5bf3")


def create2_proxy_address(deployer: str, salt: bytes, implementation: str) -> str:
    """CREATE2 address of `create_minimal_proxy_to(implementation, salt=salt)` executed by `deployer`."""
    init_code = PROXY_PREFIX + bytes.fromhex(str(implementation)[2:]) + PROXY_SUFFIX
    digest = keccak(b"\xff" + bytes.fromhex(str(deployer)[2:]) + salt + keccak(init_code))
    return to_checksum_address(digest[12:])


def at(deployer, address):
    """A handle on a minimal proxy at `address` with `deployer`'s ABI (the proxy's code differs)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="casted bytecode does not match")
        return deployer.at(address)


def funded(label: str, wei: int = 1_000 * ETH) -> str:
    address = boa.env.generate_address(label)
    boa.env.set_balance(address, wei)
    return address
