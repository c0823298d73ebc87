"""Fixtures for the StakerRewards tests; the deployment itself is in rewards_helpers.py."""

import boa
import pytest

from tests.rewards.rewards_helpers import HELPERS, World, deploy_world


@pytest.fixture(scope="module")
def world() -> World:
    return deploy_world()


@pytest.fixture(scope="module")
def world7() -> World:
    return deploy_world(cluster_size=7)


@pytest.fixture(scope="module")
def holder_deployer():
    def deploy(rewards):
        return boa.load(str(HELPERS / "Holder.vy"), rewards)

    return deploy
