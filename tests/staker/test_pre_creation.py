"""Pre-creation after a staker's deposit (issue 8): whenever the Auction can settle, the deposit pre-creates
the next cluster or reverts (the settlement's gas has no constant bound, so it gets all the deposit's gas
but a reserve, and a failure can only mean too little gas was sent). A deposit that succeeds without a
pre-creation it could have made is a bug. Also the cluster-state codec."""

from __future__ import annotations

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy.constants import c
from deploy.protocol import deployer_for
from tests.staker.conftest import (
    STAKE,
    cs,
    event_names,
    events,
    mock_deployer,
)
from tests.utils.deposits import accept_deposit, fake_deposit

PRE_CREATION_FAILED = "strategy_module_manager: pre-creation failed"


# ---------------------------------------------------------------- codec


@pytest.fixture(scope="module")
def codec():
    return mock_deployer("ClusterStateHarness").deploy()


@settings(max_examples=200, deadline=None)
@given(
    status=st.integers(0, cs.MAX_STATUS),
    settled_at=st.integers(0, 2**64 - 1),
    deposited_at=st.integers(0, 2**64 - 1),
)
def test_cluster_state_round_trip(codec, status, settled_at, deposited_at):
    word = codec.pack(status, settled_at, deposited_at)
    assert word < 2 ** (cs.STATUS_BITS + 2 * cs.SETTLED_AT_BITS)
    assert codec.unpack(word) == (status, settled_at, deposited_at)


def test_cluster_state_rejects_out_of_range(codec):
    with boa.reverts("cluster_state: status out of range"):
        codec.pack(cs.MAX_STATUS + 1, 0, 0)
    with boa.reverts("cluster_state: settled_at out of range"):
        codec.pack(0, 2**64, 0)
    with boa.reverts("cluster_state: deposited_at out of range"):
        codec.pack(0, 0, 2**64)
    assert codec.unpack(0) == (c.CLUSTER_UNKNOWN, 0, 0)


# ---------------------------------------------------------------- the real suite


@pytest.fixture(scope="module")
def two_clusters_of_bids(operators, bid_round, pre_create, register):
    """Bids for two clusters; cluster 0 pre-created and ready: the next deposit can pre-create cluster 1."""

    def run():
        bid_round(operators)
        pre_create(1)
        register(0)

    return run


def test_deposit_with_too_little_gas_for_the_settlement_reverts(
    manager, auction, two_clusters_of_bids, stakers
):
    two_clusters_of_bids()
    assert auction.can_settle()
    with boa.env.prank(stakers[0]), boa.reverts(PRE_CREATION_FAILED):
        manager.create_strategy_module_and_stake(value=STAKE, gas=1_000_000)
    assert manager.num_ready_clusters() == 1 and manager.num_staked_clusters() == 0
    # enough gas: the deposit pre-creates cluster 1
    with boa.env.prank(stakers[0]):
        manager.create_strategy_module_and_stake(value=STAKE, gas=3_000_000)
    assert [e["cluster_id"] for e in events(manager.get_logs(), "ClusterPreCreated")] == [1]
    assert manager.cluster_status(1) == c.CLUSTER_PENDING


def test_same_gas_is_enough_when_nothing_can_settle(manager, auction, operators, ready_cluster, stakers):
    ready_cluster()  # four operators: nothing left to settle after
    assert not auction.can_settle()
    with boa.env.prank(stakers[0]):
        manager.create_strategy_module_and_stake(value=STAKE, gas=1_000_000)
    assert events(manager.get_logs(), "ClusterPreCreationSkipped") == [{"settlement_attempted": False}]


@pytest.mark.parametrize("gas", range(900_000, 2_100_000, 100_000))
def test_no_deposit_succeeds_without_the_pre_creation_it_could_make(
    manager, auction, two_clusters_of_bids, stakers, gas
):
    """Whatever gas the staker sends: the deposit reverts, or it pre-creates the next cluster."""
    two_clusters_of_bids()
    num_clusters = auction.num_clusters()
    try:
        with boa.env.prank(stakers[0]):
            manager.create_strategy_module_and_stake(value=STAKE, gas=gas)
    except boa.BoaError:
        assert manager.num_staked_clusters() == 0
        assert auction.num_clusters() == num_clusters
        return
    logs = manager.get_logs()
    assert "ClusterPreCreationSkipped" not in event_names(logs)
    assert [e["cluster_id"] for e in events(logs, "ClusterPreCreated")] == [num_clusters]
    assert auction.num_clusters() == num_clusters + 1


# ---------------------------------------------------------------- a settlement that fails anyway


@pytest.fixture(scope="module")
def mock_world(protocol, owner, operators):
    """A manager wired to an Auction double whose `can_settle()` is always true."""
    with boa.env.prank(owner):
        mock_auction = mock_deployer("SettlementAuction").deploy(operators[:4])
        nft = deployer_for("byz_nft").deploy()
        m = deployer_for("manager").deploy(
            mock_auction.address,
            protocol.staker_rewards.address,
            nft.address,
            protocol.eigen_pod_manager.address,
            protocol.delegation_manager.address,
            protocol.split_factory.address,
            protocol.beacon_roots.address,
            86_400,
            0,  # beacon genesis: now
        )
        impl = deployer_for("strategy_module_implementation").deploy(
            m.address,
            nft.address,
            mock_auction.address,
            protocol.staker_rewards.address,
            protocol.eigen_pod_manager.address,
            protocol.delegation_manager.address,
            protocol.withdrawal_requests.address,
            protocol.rewards_coordinator.address,
        )
        m.set_strategy_module_implementation(impl.address)
        nft.set_manager(m.address)
    return m, mock_auction


def _fake_ready(m, owner, cluster_id):
    with boa.env.prank(owner):
        accept_deposit(m, cluster_id, *fake_deposit(m, cluster_id, label=b"pre-creation"))


@pytest.mark.parametrize("mode", [1, 2], ids=["settlement reverts", "settlement runs out of gas"])
def test_deposit_reverts_when_the_settlement_fails(mock_world, owner, stakers, mode):
    """With can_settle() true a failed settlement reverts the deposit, which changes nothing."""
    m, mock_auction = mock_world
    with boa.env.prank(owner):
        m.pre_create_clusters(1)
    _fake_ready(m, owner, 0)
    mock_auction.set_mode(mode)
    with boa.env.prank(stakers[0]), boa.reverts(PRE_CREATION_FAILED):
        m.create_strategy_module_and_stake(value=STAKE, gas=5_000_000)
    assert mock_auction.num_clusters() == 1
    assert m.num_pending_clusters() == 1 and m.num_staked_clusters() == 0
    mock_auction.set_mode(0)
    with boa.env.prank(stakers[0]):
        m.create_strategy_module_and_stake(value=STAKE, gas=5_000_000)
    assert m.num_staked_clusters() == 1 and mock_auction.num_clusters() == 2


def test_deposit_pre_creates_through_the_double(mock_world, owner, stakers):
    m, mock_auction = mock_world
    with boa.env.prank(owner):
        m.pre_create_clusters(1)
    _fake_ready(m, owner, 0)
    with boa.env.prank(stakers[0]):
        m.create_strategy_module_and_stake(value=STAKE)
    assert [e["cluster_id"] for e in events(m.get_logs(), "ClusterPreCreated")] == [1]
    assert m.num_pending_clusters() == 1


@settings(max_examples=200, deadline=None)
@given(counts=st.tuples(*[st.integers(0, 2**64 - 1)] * 4))
def test_counters_round_trip(codec, counts):
    word = codec.pack_counters(*counts)
    assert codec.unpack_counters(word) == counts


def test_counters_reject_out_of_range(codec):
    for position in range(4):
        counts = [0, 0, 0, 0]
        counts[position] = 2**64
        with boa.reverts("cluster_state: counter out of range"):
            codec.pack_counters(*counts)
