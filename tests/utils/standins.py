"""Fixtures of the system-contract stand-ins deployed on their own (not wired into a protocol), shared by
tests/beacon and tests/external: a conftest imports them by name (`from tests.utils.standins import ...`).
Each is compiled once per process and deployed once per test module.
"""

from __future__ import annotations

import pytest

from tests.utils.deployers import deployer_for


@pytest.fixture(scope="module")
def beacon_roots():
    """The EIP-4788 stand-in, on its own."""
    return deployer_for("beacon_roots").deploy()


@pytest.fixture(scope="module")
def withdrawal_requests():
    """The EIP-7002 stand-in, on its own."""
    return deployer_for("withdrawal_requests").deploy()


__all__ = ["beacon_roots", "withdrawal_requests"]
