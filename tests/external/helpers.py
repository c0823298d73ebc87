"""Plain helpers for the external stand-ins' tests (fixtures live in conftest.py)."""

from __future__ import annotations

import warnings

from tests.utils.actors import actor
from tests.utils.constants import ETH
from tests.utils.deposits import PROXY_PREFIX, PROXY_SUFFIX, create2_proxy_address


def at(deployer, address):
    """A handle on a minimal proxy at `address` with `deployer`'s ABI (the proxy's code differs)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="casted bytecode does not match")
        return deployer.at(address)


def funded(label: str, wei: int = 1_000 * ETH) -> str:
    """A fresh account labelled `label` with `wei` (tests.utils.actors under a free label)."""
    return actor(label, wei)


__all__ = ["ETH", "PROXY_PREFIX", "PROXY_SUFFIX", "at", "create2_proxy_address", "funded"]
