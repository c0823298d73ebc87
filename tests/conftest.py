"""Shared fixtures: role-named actors and one deployment of the whole suite per test module.

titanoboa's pytest plugin rolls the chain back after every test (and every hypothesis example), so the
module-scoped deployment is compiled and deployed once and every test starts from the same state.
Helpers that are not fixtures live in tests/utils/ (constants, deployers, actors, logs, state machines).
"""

from __future__ import annotations

import boa
import pytest

from deploy.protocol import deploy_protocol
from tests.utils.actors import actor, actors


@pytest.fixture(scope="module")
def owner():
    """Deploys and owns the suite."""
    return actor("owner")


@pytest.fixture(scope="module")
def operators():
    """Eight node operators with plenty of ETH."""
    return actors("operator", 8)


@pytest.fixture(scope="module")
def operator(operators):
    """The first of `operators`."""
    return operators[0]


@pytest.fixture(scope="module")
def stakers():
    """Four stakers with 1 000 ETH each."""
    return actors("staker", 4)


@pytest.fixture(scope="module")
def staker(stakers):
    """The first of `stakers`."""
    return stakers[0]


@pytest.fixture(scope="module")
def non_owner():
    """An account with no role anywhere: every access check must refuse it."""
    return actor("non_owner")


@pytest.fixture(scope="module")
def outsider(non_owner):
    """Older name of `non_owner` (kept while tests migrate)."""
    return non_owner


@pytest.fixture(scope="module")
def protocol(owner):
    """The whole suite, deployed and wired by deploy/protocol.py, owned by `owner`."""
    return deploy_protocol(owner=owner)


@pytest.fixture(scope="module")
def auction(protocol):
    return protocol.auction


@pytest.fixture(scope="module")
def escrow(protocol):
    return protocol.escrow


@pytest.fixture(scope="module")
def staker_rewards(protocol):
    return protocol.staker_rewards


@pytest.fixture(scope="module")
def manager(protocol):
    return protocol.manager


@pytest.fixture(scope="module")
def byz_nft(protocol):
    return protocol.byz_nft


@pytest.fixture(scope="module")
def deposit_contract(protocol):
    return protocol.deposit_contract


@pytest.fixture(scope="module")
def eigen_pod_manager(protocol):
    return protocol.eigen_pod_manager


@pytest.fixture(scope="module")
def delegation_manager(protocol):
    return protocol.delegation_manager


@pytest.fixture(scope="module")
def split_factory(protocol):
    return protocol.split_factory


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
