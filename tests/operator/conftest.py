"""The operator side on its own: Escrow and Auction wired to a StakerRewards test double.

The Auction and Escrow only ever hand data and ETH to StakerRewards (they never call back), so their tests
do not need the staker side: `RewardsSink` records what settlement releases and can hand credits and bonds
back as StakerRewards does. The whole-protocol flows are tested in tests/staker and tests/rewards.
"""

from __future__ import annotations

from types import SimpleNamespace

import boa
import pytest

from deploy.protocol import DEFAULT_CONFIG, deployer_for
from tests.utils.deployers import load

SINK = "tests/operator/mocks/RewardsSink.vy"


def deploy_operator_side(owner: str, **overrides) -> SimpleNamespace:
    """Escrow + Auction (+ the rewards double), `owner` owning the Auction; a plain account manages."""
    cfg = {**DEFAULT_CONFIG, **overrides}
    with boa.env.prank(owner):
        escrow = deployer_for("escrow").deploy()
        auction = deployer_for("auction").deploy(
            escrow,
            cfg["cluster_size"],
            cfg["expected_daily_return"],
            cfg["max_discount_rate"],
            cfg["min_duration"],
            cfg["max_duration"],
        )
        sink = load(SINK).deploy()
        escrow.initialize(auction, sink)
        manager = SimpleNamespace(address=boa.env.generate_address("manager"))
        auction.set_manager(manager.address)
    return SimpleNamespace(auction=auction, escrow=escrow, staker_rewards=sink, manager=manager, config=cfg)


@pytest.fixture(scope="module")
def operator_side(owner):
    return deploy_operator_side(owner)


@pytest.fixture(scope="module")
def protocol(operator_side):
    return operator_side


@pytest.fixture(scope="module")
def auction(operator_side):
    return operator_side.auction


@pytest.fixture(scope="module")
def escrow(operator_side):
    return operator_side.escrow


@pytest.fixture(scope="module")
def staker_rewards(operator_side):
    return operator_side.staker_rewards


@pytest.fixture(scope="module")
def manager(operator_side):
    return operator_side.manager


@pytest.fixture(scope="module")
def config(operator_side):
    return operator_side.config
