"""Fixtures for the StakerRewards tests; the deployment and the model are in rewards_helpers.py."""

import pytest

from tests.rewards.rewards_helpers import World, deploy_world, helper


@pytest.fixture(scope="module")
def world() -> World:
    return deploy_world()


@pytest.fixture(scope="module")
def holder_deployer():
    """Deploys a contract ByzNft holder (accepts or rejects ETH on demand, can re-enter claim)."""

    def deploy(rewards):
        return helper("Holder").deploy(rewards)

    return deploy
