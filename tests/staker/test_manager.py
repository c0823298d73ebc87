"""StrategyModuleManager: pre-creation, address prediction, deposit data, staking, views."""

from __future__ import annotations

import boa
import pytest
from eth_abi import encode
from eth_utils import keccak

from deploy.constants import c
from deploy.keys import eigen_pod_withdrawal_credentials
from deploy.protocol import deployer_for
from tests.staker.conftest import (
    ETH,
    PRE_DEPOSIT,
    STAKE,
    TOP_UP,
    as_args,
    deposit_data,
    event_names,
    events,
    mock_deployer,
    module_at,
    seed_for,
)
from tests.utils.deposits import accept_deposit, create2_proxy_address, fake_deposit
from tests.utils.logs import emitted_by
from tests.utils.seats import operators_of, seats_of

ZERO = "0x0000000000000000000000000000000000000000"


def manager_cluster_keys(manager):
    return deployer_for("cluster_keys").at(str(manager.cluster_keys()))


def predicted_module(manager, implementation, cluster_id: int) -> str:
    """CREATE2 address of the manager's `create_minimal_proxy_to(implementation, salt=cluster_id)`."""
    return create2_proxy_address(str(manager), cluster_id.to_bytes(32, "big"), str(implementation))


def split_salt(manager, cluster_id: int) -> bytes:
    return keccak(encode(["address", "uint256"], [str(manager), cluster_id]))


# ---------------------------------------------------------------- constructor and views


def test_constructor_wiring(protocol, owner):
    m = protocol.manager
    assert m.owner() == owner
    assert m.auction() == protocol.auction.address
    assert m.staker_rewards() == protocol.staker_rewards.address
    assert m.byz_nft() == protocol.byz_nft.address
    assert (
        m.strategy_module_implementation()
        == protocol.implementations["strategy_module_implementation"].address
    )
    assert m.eigen_pod_manager() == protocol.eigen_pod_manager.address
    assert m.delegation_manager() == protocol.delegation_manager.address
    assert m.split_factory() == protocol.split_factory.address
    assert m.TOP_UP_AMOUNT() == TOP_UP
    assert m.beacon_roots() == protocol.beacon_roots.address
    assert m.pending_cluster_ttl() == protocol.config["pending_cluster_ttl"] == 30 * 86_400
    assert m.num_pre_deposited_clusters() == 0
    assert m.num_pending_clusters() == m.num_ready_clusters() == m.num_staked_clusters() == 0
    assert m.next_cluster_to_stake() == (False, 0)


@pytest.mark.parametrize(
    "position,what",
    list(
        enumerate(
            [
                "auction",
                "staker rewards",
                "byz nft",
                "eigen pod manager",
                "delegation manager",
                "split factory",
                "beacon roots",
            ]
        )
    ),
)
def test_constructor_rejects_addresses_without_code(protocol, outsider, position, what):
    args = [
        protocol.auction,
        protocol.staker_rewards,
        protocol.byz_nft,
        protocol.eigen_pod_manager,
        protocol.delegation_manager,
        protocol.split_factory,
        protocol.beacon_roots,
    ]
    args = [a.address for a in args]
    args[position] = outsider
    with boa.reverts(f"strategy_module_manager: {what} has no code"):
        deployer_for("manager").deploy(*args, 86_400, 0)


def manager_args(protocol) -> list:
    roles = ("auction", "staker_rewards", "byz_nft", "eigen_pod_manager", "delegation_manager")
    return [getattr(protocol, r).address for r in roles] + [
        protocol.split_factory.address,
        protocol.beacon_roots.address,
    ]


@pytest.mark.parametrize("ttl", [0, 86_399, 3650 * 86_400 + 1])
def test_constructor_rejects_ttl_out_of_range(protocol, ttl):
    with boa.reverts("strategy_module_manager: pending cluster ttl out of range"):
        deployer_for("manager").deploy(*manager_args(protocol), ttl, 0)


def test_renounce_ownership_is_not_exported(manager):
    assert not hasattr(manager, "renounce_ownership")
    abi_names = {item.get("name") for item in manager.abi}
    assert "renounce_ownership" not in abi_names


def implementation_args(protocol, manager_address) -> list:
    return [
        manager_address,
        protocol.byz_nft.address,
        protocol.auction.address,
        protocol.staker_rewards.address,
        protocol.eigen_pod_manager.address,
        protocol.delegation_manager.address,
        protocol.withdrawal_requests.address,
        protocol.rewards_coordinator.address,
    ]


def test_set_strategy_module_implementation(protocol, owner, outsider):
    fresh = deployer_for("manager").deploy(*manager_args(protocol), 86_400, 0, sender=owner)
    assert fresh.strategy_module_implementation() == ZERO
    impl = deployer_for("strategy_module_implementation").deploy(
        *implementation_args(protocol, fresh.address)
    )
    other = deployer_for("strategy_module_implementation").deploy(
        *implementation_args(protocol, protocol.manager.address)
    )
    # pre-creation needs the implementation (it predicts the modules' addresses)
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: implementation not set"):
        fresh.pre_create_clusters(1)
    with boa.env.prank(outsider), boa.reverts("ownable: caller is not the owner"):
        fresh.set_strategy_module_implementation(impl.address)
    with boa.env.prank(owner):
        with boa.reverts("strategy_module_manager: implementation has no code"):
            fresh.set_strategy_module_implementation(outsider)
        with boa.reverts("strategy_module_manager: implementation of another manager"):
            fresh.set_strategy_module_implementation(other.address)
        wrong = implementation_args(protocol, fresh.address)
        wrong[1] = protocol.auction.address  # byz_nft slot names another contract
        miswired = deployer_for("strategy_module_implementation").deploy(*wrong)
        with boa.reverts("strategy_module_manager: implementation wired differently"):
            fresh.set_strategy_module_implementation(miswired.address)
        fresh.set_strategy_module_implementation(impl.address)
        assert events(fresh.get_logs(), "StrategyModuleImplementationSet") == [
            {"implementation": impl.address}
        ]
        with boa.reverts("strategy_module_manager: implementation already set"):
            fresh.set_strategy_module_implementation(impl.address)
    assert fresh.strategy_module_implementation() == impl.address


def test_two_step_ownership(manager, owner, outsider, operators, bid_round):
    with boa.env.prank(owner):
        manager.transfer_ownership(outsider)
    assert manager.pending_owner() == outsider
    with boa.env.prank(outsider):
        manager.accept_ownership()
    assert manager.owner() == outsider
    bid_round(operators[:4])
    with boa.env.prank(owner), boa.reverts("ownable: caller is not the owner"):
        manager.pre_create_clusters(1)
    with boa.env.prank(outsider):
        assert manager.pre_create_clusters(1) == [0]


# ---------------------------------------------------------------- pre_create_clusters


def test_pre_create_clusters(manager, auction, operators, bid_round, owner):
    bid_round(operators)  # 8 operators: two clusters
    with boa.env.prank(owner):
        ids = manager.pre_create_clusters(2)
    logs = manager.get_logs()
    assert ids == [0, 1]
    created = events(logs, "ClusterPreCreated")
    assert [e["cluster_id"] for e in created] == [0, 1]
    for e in created:
        predicted = manager.predict_addresses(e["cluster_id"], seats_of(manager, e["cluster_id"]))
        assert (e["strategy_module"], e["eigen_pod"]) == predicted[:2]
    assert event_names(logs).count("ClusterSettled") == 2  # the Auction's settlements, one event each
    assert auction.num_clusters() == 2
    assert manager.num_pending_clusters() == 2
    assert manager.num_ready_clusters() == 0
    assert manager.cluster_status(0) == manager.cluster_status(1) == c.CLUSTER_PENDING
    assert manager.cluster_status(2) == c.CLUSTER_UNKNOWN
    assert manager.next_cluster_to_stake() == (False, 0)


def test_pre_create_only_owner(manager, outsider, operators, bid_round):
    bid_round(operators[:4])
    with boa.env.prank(outsider), boa.reverts("ownable: caller is not the owner"):
        manager.pre_create_clusters(1)


@pytest.mark.parametrize("count", [0, 17])
def test_pre_create_count_bounds(manager, owner, count):
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: count must be 1 to 16"):
        manager.pre_create_clusters(count)


def test_pre_create_without_enough_operators(manager, auction, owner, operators, bid_round):
    bid_round(operators[:3])
    with boa.env.prank(owner), boa.reverts("auction: not enough operators"):
        manager.pre_create_clusters(1)
    assert manager.num_pending_clusters() == 0


def test_pre_create_is_all_or_nothing(manager, auction, owner, operators, bid_round):
    bid_round(operators[:5])  # enough for one cluster only
    with boa.env.prank(owner), boa.reverts("auction: not enough operators"):
        manager.pre_create_clusters(2)
    assert auction.num_clusters() == 0
    assert manager.num_pending_clusters() == 0


def test_pre_create_sixteen(manager, auction, owner, operators):
    for i, op in enumerate(operators[:4]):
        durations = [100 + i * 20 + j for j in range(16)]
        due = auction.price_to_pay(op, [1000] * 16, durations)
        with boa.env.prank(op):
            auction.bid([1000] * 16, durations, value=due)
    with boa.env.prank(owner):
        assert manager.pre_create_clusters(16) == list(range(16))
    assert manager.num_pending_clusters() == 16


# ---------------------------------------------------------------- predict_addresses


def test_predict_addresses(
    manager, auction, split_factory, eigen_pod_manager, module_implementation, ready_cluster
):
    cluster_id = ready_cluster()
    module, pod, split = manager.predict_addresses(cluster_id, seats_of(manager, cluster_id))
    assert module == predicted_module(manager.address, module_implementation.address, cluster_id)
    assert pod == eigen_pod_manager.getPod(module)
    operators = list(operators_of(auction, cluster_id))
    assert split == split_factory.predict_split_address(
        operators, [1] * len(operators), 10, split_salt(manager.address, cluster_id)
    )
    assert bytes(manager.withdrawal_credentials(cluster_id)) == eigen_pod_withdrawal_credentials(pod)
    assert len({module, pod, split}) == 3
    for address in (module, pod, split):
        assert boa.env.get_code(address) == b""


def test_predict_unknown_cluster_reverts(manager):
    with boa.reverts("strategy_module_manager: unknown cluster"):
        manager.predict_addresses(0, [])
    with boa.reverts("strategy_module_manager: unknown cluster"):
        manager.withdrawal_credentials(0)


def test_predict_with_other_seats_reverts(manager, ready_cluster, owner):
    """The split's address depends on the seats: any other seats than the cluster's are refused."""
    cluster_id = ready_cluster()
    seats = seats_of(manager, cluster_id)
    other = [seats[1], seats[0], *seats[2:]]  # the same winners in another order
    for wrong in (other, seats[:3], [seats[0]._replace(days=seats[0].days + 1), *seats[1:]]):
        with boa.reverts("staker_rewards: seats do not match"):
            manager.predict_addresses(cluster_id, wrong)
        with boa.reverts("staker_rewards: seats do not match"):
            manager.dissolve_cluster(cluster_id, wrong, sender=owner)


def test_predictions_differ_per_cluster(manager, operators, bid_round, pre_create):
    bid_round(operators)
    pre_create(2)
    a, b = (
        manager.predict_addresses(0, seats_of(manager, 0)),
        manager.predict_addresses(1, seats_of(manager, 1)),
    )
    assert not set(a) & set(b)


def test_set_cluster_keys(protocol, owner, outsider):
    fresh = deployer_for("manager").deploy(*manager_args(protocol), 86_400, 0, sender=owner)
    assert fresh.cluster_keys() == ZERO
    keys = deployer_for("cluster_keys").deploy(fresh.address, 0x01017000)
    with boa.env.prank(outsider), boa.reverts("ownable: caller is not the owner"):
        fresh.set_cluster_keys(keys.address)
    with boa.env.prank(owner):
        with boa.reverts():  # no code: the `manager()` call finds nothing to answer
            fresh.set_cluster_keys(outsider)
        with boa.reverts("strategy_module_manager: cluster keys of another manager"):
            fresh.set_cluster_keys(protocol.cluster_keys.address)
        fresh.set_cluster_keys(keys.address)
        assert events(fresh.get_logs(), "ClusterKeysSet") == [{"cluster_keys": keys.address}]
        with boa.reverts("strategy_module_manager: cluster keys already set"):
            fresh.set_cluster_keys(keys.address)
    assert fresh.cluster_keys() == keys.address
    assert protocol.manager.cluster_keys() == protocol.cluster_keys.address


# ---------------------------------------------------------------- on_keys_registered (from ClusterKeys)


@pytest.fixture(scope="module")
def pending_cluster(operators, bid_round, pre_create):
    def run(count=1):
        if count == 1:
            bid_round(operators[:4])
        else:
            for k in range((count + 1) // 2):
                bid_round(operators, base_duration=100 + 20 * k)
        return pre_create(count)

    return run


def test_register_deposit_data(manager, owner, pending_cluster):
    (cluster_id,) = pending_cluster()
    d = deposit_data(bytes(manager.withdrawal_credentials(cluster_id)), seed_for(cluster_id))
    pubkey, signature, root = as_args(d)
    accept_deposit(manager, cluster_id, pubkey, signature, root)
    assert events(manager.get_logs(), "DepositDataRegistered") == [
        {"cluster_id": cluster_id, "pubkey": pubkey, "deposit_data_root": root}
    ]
    assert manager.has_deposit_data(cluster_id)
    assert manager.validator_pubkey(cluster_id) == pubkey
    assert manager.num_ready_clusters() == 1
    assert manager.num_pending_clusters() == 1
    assert manager.next_cluster_to_stake() == (True, cluster_id)
    assert manager.ready_clusters(0, 10) == [cluster_id]


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_register_only_cluster_keys(manager, owner, outsider, pending_cluster, who):
    """Not even the owner registers deposit data any more: only the winners, through ClusterKeys."""
    (cluster_id,) = pending_cluster()
    sender = owner if who == "owner" else outsider
    with boa.env.prank(sender), boa.reverts("strategy_module_manager: caller is not cluster keys"):
        manager.on_keys_registered(cluster_id, *fake_deposit(manager, cluster_id))


def test_register_unknown_cluster_reverts(manager, owner, pending_cluster):
    pending_cluster()
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: unknown cluster"):
        accept_deposit(manager, 5, b"\x01" * 48, b"\x02" * 96, b"\x03" * 32)


def test_register_root_mismatch_reverts(manager, owner, pending_cluster):
    (cluster_id,) = pending_cluster()
    pubkey, signature, root = fake_deposit(manager, cluster_id)
    bad_root = bytes([root[0] ^ 1]) + root[1:]
    # deposit data made for other withdrawal credentials (e.g. the staker's own address)
    other = deposit_data(b"\x01" + b"\x00" * 11 + b"\x42" * 20, seed_for(cluster_id))
    with boa.env.prank(owner):
        with boa.reverts("strategy_module_manager: deposit data root mismatch"):
            accept_deposit(manager, cluster_id, pubkey, signature, bad_root)
        with boa.reverts("strategy_module_manager: deposit data root mismatch"):
            accept_deposit(manager, cluster_id, *as_args(other))
    assert not manager.has_deposit_data(cluster_id)


def test_register_after_staking_reverts(manager, owner, ready_cluster, stake, stakers):
    cluster_id = ready_cluster()
    stake(stakers[0])
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: cluster not pending"):
        accept_deposit(manager, cluster_id, *fake_deposit(manager, cluster_id))


def test_deposit_data_is_final(manager, pending_cluster, register):
    (cluster_id,) = pending_cluster()
    first = register(cluster_id, attempt=0)
    second = deposit_data(bytes(manager.withdrawal_credentials(cluster_id)), seed_for(cluster_id, 1))
    with boa.reverts("strategy_module_manager: deposit data already registered"):
        accept_deposit(manager, cluster_id, *as_args(second))
    assert manager.validator_pubkey(cluster_id) == as_args(first)[0]
    assert manager.num_ready_clusters() == 1
    assert manager.ready_clusters(0, 10) == [cluster_id]


def test_same_pubkey_for_two_clusters_reverts(manager, owner, pending_cluster, register):
    pending_cluster(2)
    register(0)
    # the same validator key signed for cluster 1's credentials
    d = deposit_data(bytes(manager.withdrawal_credentials(1)), seed_for(0))
    with boa.env.prank(owner), boa.reverts("strategy_module_manager: pubkey already registered"):
        accept_deposit(manager, 1, *as_args(d))


def test_ready_clusters_sorted_by_creation(manager, owner, pending_cluster):
    pending_cluster(2)
    with boa.env.prank(owner):
        accept_deposit(manager, 1, *fake_deposit(manager, 1))
        assert manager.next_cluster_to_stake() == (True, 1)
        accept_deposit(manager, 0, *fake_deposit(manager, 0))
    assert manager.next_cluster_to_stake() == (True, 0)
    assert manager.ready_clusters(0, 10) == [0, 1]
    assert manager.ready_clusters(1, 10) == [1]
    assert manager.ready_clusters(0, 1) == [0]
    with boa.reverts("strategy_module_manager: limit above 64"):
        manager.ready_clusters(0, 65)


def test_registration_walk_is_bounded(manager, auction, owner, operators):
    """A registration may walk back over at most 32 ready clusters with larger ids."""
    for i, op in enumerate(operators[:4]):
        durations = [100 + i * 40 + j for j in range(34)]
        for chunk in (slice(0, 17), slice(17, 34)):
            due = auction.price_to_pay(op, [1000] * 17, durations[chunk])
            with boa.env.prank(op):
                auction.bid([1000] * 17, durations[chunk], value=due)
    with boa.env.prank(owner):
        manager.pre_create_clusters(16)
        manager.pre_create_clusters(16)
        manager.pre_create_clusters(2)
        for cluster_id in range(2, 34):
            accept_deposit(manager, cluster_id, *fake_deposit(manager, cluster_id))
        # walks over 32 ready clusters (2..33): allowed
        accept_deposit(manager, 1, *fake_deposit(manager, 1))
        # would walk over 33: refused
        with boa.reverts("strategy_module_manager: registration too far out of order"):
            accept_deposit(manager, 0, *fake_deposit(manager, 0))
    assert manager.ready_clusters(0, 64) == list(range(1, 34))


# ---------------------------------------------------------------- create_strategy_module_and_stake


@pytest.mark.parametrize("value", [0, STAKE - 1, STAKE + 1, 64 * ETH])
def test_stake_requires_exactly_32_eth(manager, ready_cluster, stakers, value):
    ready_cluster()
    with boa.env.prank(stakers[0]), boa.reverts("strategy_module_manager: deposit must be exactly 32 ETH"):
        manager.create_strategy_module_and_stake(value=value)


def test_stake_without_any_cluster_reverts(manager, stakers):
    with boa.env.prank(stakers[0]), boa.reverts("strategy_module_manager: no cluster ready"):
        manager.create_strategy_module_and_stake(value=STAKE)


def test_stake_when_pending_clusters_lack_deposit_data_reverts(manager, pending_cluster, stakers):
    pending_cluster(2)
    assert manager.num_pending_clusters() == 2
    with boa.env.prank(stakers[0]), boa.reverts("strategy_module_manager: no cluster ready"):
        manager.create_strategy_module_and_stake(value=STAKE)


def test_stake(manager, protocol, ready_cluster, stakers, deposit_contract):
    cluster_id = ready_cluster()
    module_address, pod, split = manager.predict_addresses(cluster_id, seats_of(manager, cluster_id))
    pubkey = manager.validator_pubkey(cluster_id)
    staker = stakers[0]
    balance = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        returned = manager.create_strategy_module_and_stake(value=STAKE)
    logs = manager.get_logs()
    assert returned == module_address
    assert events(logs, "StrategyModuleDeployed") == [
        {
            "cluster_id": cluster_id,
            "staker": staker,
            "strategy_module": module_address,
            "eigen_pod": pod,
        }
    ]
    assert events(logs, "ClusterPreDeposited") == [
        {
            "cluster_id": cluster_id,
            "pubkey": pubkey,
            "withdrawal_credentials": eigen_pod_withdrawal_credentials(pod),
            "pre_deposit": PRE_DEPOSIT,
            "held": TOP_UP,
        }
    ]
    assert events(logs, "ClusterPreCreationSkipped") == [{"settlement_attempted": False}]
    names = event_names(logs)
    for name in ("ByzNftMinted", "Initialized", "Staked", "DepositEvent"):
        assert name in names
    assert "SplitCreated" not in names  # the split is deployed later, by `deploy_split`
    assert "StreamStarted" not in names  # the stream starts at confirm_stake
    # state
    assert manager.cluster_status(cluster_id) == c.CLUSTER_PRE_DEPOSITED
    assert manager.num_pre_deposited_clusters() == 1
    assert manager.num_pending_clusters() == manager.num_ready_clusters() == 0
    assert manager.num_staked_clusters() == 1
    assert manager.strategy_module_of(cluster_id) == module_address
    assert manager.is_strategy_module(module_address)
    assert manager.cluster_of_module(module_address) == cluster_id
    assert manager.next_cluster_to_stake() == (False, 0)
    assert protocol.byz_nft.ownerOf(cluster_id) == staker
    module = module_at(module_address)
    assert module.owner() == staker
    assert module.eigen_pod() == pod
    assert not module.is_staked()
    assert module.status() == c.CLUSTER_PRE_DEPOSITED
    assert boa.env.get_balance(staker) == balance - STAKE
    assert boa.env.get_balance(deposit_contract.address) == PRE_DEPOSIT
    assert boa.env.get_balance(manager.address) == TOP_UP
    assert boa.env.get_code(split) == b""  # predicted only: `deploy_split`


def test_module_views_for_unknown_addresses(manager, outsider):
    assert manager.strategy_module_of(0) == ZERO
    assert not manager.is_strategy_module(outsider)
    with boa.reverts("strategy_module_manager: not a strategy module"):
        manager.cluster_of_module(outsider)


def test_stake_pre_creates_the_next_cluster_when_bids_allow(
    manager, operators, bid_round, pre_create, register, stake, stakers
):
    bid_round(operators)  # 8 operators: enough for cluster 0 now and cluster 1 after the deposit
    pre_create(1)
    register(0)
    stake(stakers[0])
    logs = manager.get_logs()
    assert [e["cluster_id"] for e in events(logs, "ClusterPreCreated")] == [1]
    assert "ClusterPreCreationSkipped" not in event_names(logs)
    assert manager.num_pending_clusters() == 1
    assert manager.cluster_status(1) == c.CLUSTER_PENDING


def test_stake_succeeds_while_the_auction_is_paused(
    manager, auction, owner, operators, bid_round, pre_create, register, stake, stakers
):
    bid_round(operators)
    pre_create(1)
    register(0)
    with boa.env.prank(owner):
        auction.pause()
    module = stake(stakers[0])
    assert events(manager.get_logs(), "ClusterPreCreationSkipped") == [{"settlement_attempted": False}]
    assert manager.strategy_module_of(0) == module
    assert manager.num_pending_clusters() == 0


def test_stake_takes_the_oldest_ready_cluster(manager, owner, pending_cluster, stake, stakers):
    pending_cluster(3)
    with boa.env.prank(owner):
        accept_deposit(manager, 2, *fake_deposit(manager, 2))
        accept_deposit(manager, 1, *fake_deposit(manager, 1))
    # cluster 0 has no deposit data: it is skipped, not blocking
    assert manager.cluster_of_module(stake(stakers[0])) == 1
    assert manager.cluster_of_module(stake(stakers[1])) == 2
    with boa.env.prank(stakers[2]), boa.reverts("strategy_module_manager: no cluster ready"):
        manager.create_strategy_module_and_stake(value=STAKE)
    # cluster 0, and cluster 3 that the first deposit pre-created from the remaining bids
    assert manager.num_pending_clusters() == 2
    assert manager.cluster_status(3) == c.CLUSTER_PENDING
    with boa.env.prank(owner):
        accept_deposit(manager, 0, *fake_deposit(manager, 0))
    assert manager.cluster_of_module(stake(stakers[2])) == 0


def test_stake_when_split_was_deployed_by_someone_else(
    manager, auction, split_factory, ready_cluster, outsider, stake, stakers
):
    cluster_id = ready_cluster()
    operators = list(operators_of(auction, cluster_id))
    with boa.env.prank(outsider):
        split = split_factory.create_split(
            operators, [1] * len(operators), 10, split_salt(manager.address, cluster_id)
        )
    assert split == manager.predict_addresses(cluster_id, seats_of(manager, cluster_id))[2]
    stake(stakers[0])
    with boa.env.prank(outsider), boa.reverts("split_factory: split exists"):
        manager.deploy_split(cluster_id, seats_of(manager, cluster_id))


def test_deploy_split_keeps_the_fees_sent_before_it(
    manager, auction, split_factory, ready_cluster, outsider, stake, stakers
):
    cluster_id = ready_cluster()
    stake(stakers[0])
    split = manager.predict_addresses(cluster_id, seats_of(manager, cluster_id))[2]
    fees = ETH // 10
    boa.env.raw_call(split, sender=outsider, value=fees)  # fee recipient before the split exists
    assert boa.env.get_code(split) == b""
    with boa.env.prank(outsider):
        deployed = manager.deploy_split(cluster_id, seats_of(manager, cluster_id))
    (created,) = events(emitted_by(manager.get_logs(), split_factory.address), "SplitCreated")
    assert deployed == created["split"] == split
    operators = list(operators_of(auction, cluster_id))
    assert created["recipients"] == operators
    assert created["allocations"] == [1] * len(operators)
    assert created["salt"] == split_salt(manager.address, cluster_id)
    assert created["creator"] == manager.address
    assert boa.env.get_balance(split) == fees
    split_contract = boa.load_partial("contracts/external/Split.vy").at(split)
    before = [boa.env.get_balance(a) for a in [outsider, *operators]]
    with boa.env.prank(outsider):
        split_contract.distribute()
    incentive = fees * manager.SPLIT_DISTRIBUTION_INCENTIVE_BPS() // 10_000
    gains = [boa.env.get_balance(a) - b for a, b in zip([outsider, *operators], before, strict=True)]
    assert gains[0] == incentive
    shares = [g + split_contract.withdrawable(op) for g, op in zip(gains[1:], operators, strict=True)]
    assert sum(shares) == fees - incentive  # every wei that waited at the address, distributed
    assert max(shares) - min(shares) < len(operators)  # equal shares, the remainder to the last
    with boa.env.prank(outsider), boa.reverts("split_factory: split exists"):
        manager.deploy_split(cluster_id, seats_of(manager, cluster_id))


@pytest.mark.parametrize("clusters", [0, 1])
def test_deploy_split_of_a_cluster_nobody_took_reverts(manager, pending_cluster, outsider, clusters):
    if clusters:
        pending_cluster(1)  # pending: it has winners but no staker yet
    with boa.env.prank(outsider), boa.reverts("strategy_module_manager: cluster not taken"):
        manager.deploy_split(0, seats_of(manager, 0) if clusters else [])


def test_contract_staker(manager, byz_nft, ready_cluster, stakers):
    cluster_id = ready_cluster()
    staker = mock_deployer("ContractStaker").deploy(manager.address, 0)
    boa.env.set_balance(staker.address, STAKE)
    with boa.env.prank(stakers[0]):
        module = staker.stake(value=STAKE)
    assert byz_nft.ownerOf(cluster_id) == staker.address
    assert module_at(module).owner() == staker.address


def test_contract_staker_rejecting_the_nft_reverts(manager, ready_cluster, stakers):
    ready_cluster()
    staker = mock_deployer("ContractStaker").deploy(manager.address, 1)
    boa.env.set_balance(staker.address, STAKE)
    with boa.env.prank(stakers[0]), boa.reverts("erc721: transfer to non-IERC721Receiver implementer"):
        staker.stake(value=STAKE)
    assert manager.num_ready_clusters() == 1


def test_reentrant_staker_reverts(manager, operators, bid_round, pre_create, register, stakers):
    bid_round(operators)
    pre_create(2)
    register(0)
    register(1)
    staker = mock_deployer("ContractStaker").deploy(manager.address, 2)
    boa.env.set_balance(staker.address, 2 * STAKE)
    with boa.env.prank(stakers[0]), boa.reverts():
        staker.stake(value=STAKE)
    assert manager.num_ready_clusters() == 2
    assert manager.num_staked_clusters() == 0


def test_runtime_code_fits_eip_170(manager, module_implementation):
    """Mainnet refuses runtime code above 24 576 bytes (EIP-170)."""
    for contract in (manager, module_implementation, manager_cluster_keys(manager)):
        assert len(boa.env.get_code(contract.address)) <= 24_576
