"""Shared fixtures: role-named actors and one deployment of the whole suite per test module.

titanoboa's pytest plugin rolls the chain back after every test (and every hypothesis example), so the
module-scoped deployment is compiled and deployed once and every test starts from the same state.
"""

from __future__ import annotations

import boa
import pytest

from deploy.protocol import deploy_protocol
from tests.model import BOND

ETH = 10**18
OPERATOR_FUNDS = 10_000 * ETH


def _funded(label: str, wei: int) -> str:
    address = boa.env.generate_address(label)
    boa.env.set_balance(address, wei)
    return address


@pytest.fixture(scope="module")
def owner():
    return _funded("owner", 100 * ETH)


@pytest.fixture(scope="module")
def operators():
    """Eight node operators with plenty of ETH."""
    return [_funded(f"operator{i}", OPERATOR_FUNDS) for i in range(8)]


@pytest.fixture(scope="module")
def stakers():
    return [_funded(f"staker{i}", 1_000 * ETH) for i in range(4)]


@pytest.fixture(scope="module")
def outsider():
    return _funded("outsider", 100 * ETH)


@pytest.fixture(scope="module")
def protocol(owner):
    return deploy_protocol(owner=owner)


def _role_fixture(role: str):
    """A module-scoped fixture returning the deployed contract of `role`."""

    @pytest.fixture(scope="module", name=role)
    def contract(protocol):
        return getattr(protocol, role)

    return contract


ROLES = (
    "auction",
    "escrow",
    "staker_rewards",
    "manager",
    "byz_nft",
    "deposit_contract",
    "eigen_pod_manager",
    "delegation_manager",
    "split_factory",
)
for _role in ROLES:
    globals()[_role] = _role_fixture(_role)


@pytest.fixture(scope="module")
def module_implementation(protocol):
    return protocol.implementations["strategy_module_implementation"]


@pytest.fixture(scope="module")
def config(protocol):
    return protocol.config


@pytest.fixture(scope="module")
def place_bid(auction):
    """Place one bid as `operator`, paying exactly what is due; returns the bid id."""

    def place(operator, discount_rate, duration, hint=None):
        due = auction.price_to_pay(operator, [discount_rate], [duration])
        hints = [] if hint is None else [hint]
        with boa.env.prank(operator):
            return auction.bid([discount_rate], [duration], hints, value=due)[0]

    return place


@pytest.fixture(scope="module")
def settle(auction, manager):
    """Run one settlement as the StrategyModuleManager would; returns the cluster id."""

    def run():
        with boa.env.prank(manager.address):
            return auction.settle_cluster()

    return run


__all__ = ["BOND", "ETH"]
