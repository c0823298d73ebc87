"""StrategyModule: proxy initialisation, staking by the manager, and the NFT holder's actions."""

from __future__ import annotations

import boa
import pytest

from deploy.keys import eigen_pod_withdrawal_credentials
from deploy.protocol import deployer_for
from tests.staker.conftest import (
    ETH,
    PRE_DEPOSIT,
    as_args,
    deposit_data,
    event_names,
    events,
    mock_deployer,
    module_at,
)

DAY = 86_400
ZERO = "0x0000000000000000000000000000000000000000"


@pytest.fixture(scope="module")
def proxy_deployer():
    return mock_deployer("ProxyDeployer").deploy()


@pytest.fixture(scope="module")
def fresh_module(proxy_deployer, module_implementation):
    """A new, uninitialised proxy of the StrategyModule implementation."""

    def make(salt=b"\x00" * 32):
        return module_at(proxy_deployer.deploy(module_implementation.address, salt))

    return make


@pytest.fixture(scope="module")
def eigen_operator(delegation_manager, operators):
    op = operators[7]
    with boa.env.prank(op):
        delegation_manager.register_as_operator("https://operator.example/metadata.json")
    return op


# ---------------------------------------------------------------- initialisation


def implementation_args(protocol) -> list:
    roles = ("manager", "byz_nft", "auction", "staker_rewards", "eigen_pod_manager", "delegation_manager")
    return [getattr(protocol, r).address for r in roles] + [protocol.withdrawal_requests.address]


def test_implementation_immutables(module_implementation, protocol):
    """Every proxy reads the protocol's addresses from the implementation's code (immutables)."""
    names = ("manager", "byz_nft", "auction", "staker_rewards", "eigen_pod_manager", "delegation_manager")
    for name, address in zip((*names, "withdrawal_requests"), implementation_args(protocol), strict=True):
        assert getattr(module_implementation, name)() == address


@pytest.mark.parametrize(
    "position,what",
    list(
        enumerate(
            [
                "manager",
                "byz nft",
                "auction",
                "staker rewards",
                "eigen pod manager",
                "delegation manager",
                "withdrawal requests",
            ]
        )
    ),
)
def test_constructor_rejects_addresses_without_code(protocol, outsider, position, what):
    args = implementation_args(protocol)
    args[position] = outsider
    with boa.reverts(f"strategy_module: {what} has no code"):
        deployer_for("strategy_module_implementation").deploy(*args)


def test_implementation_can_never_be_initialized(module_implementation, manager):
    assert module_implementation.initialized()
    with boa.env.prank(manager.address), boa.reverts("strategy_module: already initialized"):
        module_implementation.initialize(42)
    with boa.reverts("strategy_module: not initialized"):
        module_implementation.cluster_id()


def test_initialize_only_manager(fresh_module, outsider):
    module = fresh_module()
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the manager"):
        module.initialize(42)
    assert not module.initialized()


def test_initialize_sets_the_cluster(fresh_module, manager, protocol):
    module = fresh_module()
    with boa.env.prank(manager.address):
        module.initialize(42)
    assert events(module.get_logs(), "Initialized") == [{"manager": manager.address, "cluster_id": 42}]
    assert module.initialized()
    assert module.cluster_id() == 42
    # a proxy's storage holds only its cluster: the addresses are the implementation's immutables
    assert module.manager() == manager.address
    assert module.withdrawal_requests() == protocol.withdrawal_requests.address
    assert module.status() == 0  # cluster 42 is unknown to the manager
    assert not module.is_staked()
    assert not module.has_eigen_pod()
    assert module.eigen_pod() == protocol.eigen_pod_manager.get_pod(module.address)


def test_initialize_only_once(staked_module, manager):
    _, module, _ = staked_module()
    with boa.env.prank(manager.address), boa.reverts("strategy_module: already initialized"):
        module.initialize(7)


def test_owner_of_uninitialized_module_reverts(fresh_module):
    with boa.reverts("strategy_module: not initialized"):
        fresh_module().owner()


# ---------------------------------------------------------------- deposits (manager only)


def test_stake_by_its_manager(fresh_module, manager, deposit_contract):
    module = fresh_module()
    with boa.env.prank(manager.address):
        module.initialize(42)
    pod = module.eigen_pod()
    d = deposit_data(eigen_pod_withdrawal_credentials(pod), b"fresh module key")
    boa.env.set_balance(manager.address, 100 * ETH)
    with boa.env.prank(manager.address):
        module.stake(*as_args(d), value=PRE_DEPOSIT)
    logs = module.get_logs()
    assert events(logs, "Staked") == [
        {"cluster_id": 42, "eigen_pod": pod, "pubkey": bytes.fromhex(d["pubkey"]), "amount": PRE_DEPOSIT}
    ]
    (deposit,) = events(logs, "DepositEvent")
    assert deposit["withdrawal_credentials"] == eigen_pod_withdrawal_credentials(pod)
    assert module.has_eigen_pod()
    assert boa.env.get_balance(deposit_contract.address) == PRE_DEPOSIT


def test_stake_only_manager(fresh_module, manager, stakers):
    module = fresh_module()
    with boa.env.prank(manager.address):
        module.initialize(42)
    with boa.env.prank(stakers[0]), boa.reverts("strategy_module: caller is not the manager"):
        module.stake(b"\x01" * 48, b"\x02" * 96, b"\x03" * 32, value=PRE_DEPOSIT)


def test_stake_below_one_eth_reverts(fresh_module, manager):
    module = fresh_module()
    boa.env.set_balance(manager.address, 100 * ETH)
    with boa.env.prank(manager.address):
        module.initialize(42)
        with boa.reverts("eigen_pod_manager: must stake at least 1 ether"):
            module.stake(b"\x01" * 48, b"\x02" * 96, b"\x03" * 32, value=PRE_DEPOSIT - 1)


# ---------------------------------------------------------------- ownership follows the NFT


def test_owner_is_the_nft_holder(staked_module, byz_nft, stakers):
    cluster_id, module, staker = staked_module()
    assert module.owner() == staker == byz_nft.ownerOf(cluster_id)
    with boa.env.prank(staker):
        byz_nft.transferFrom(staker, stakers[1], cluster_id)
    assert module.owner() == stakers[1]


def test_previous_holder_loses_control(staked_module, byz_nft, stakers, eigen_operator):
    cluster_id, module, staker = staked_module()
    with boa.env.prank(staker):
        byz_nft.transferFrom(staker, stakers[1], cluster_id)
    with boa.env.prank(staker), boa.reverts("strategy_module: caller is not the owner"):
        module.delegate_to(eigen_operator)
    with boa.env.prank(stakers[1]):
        module.delegate_to(eigen_operator)
    assert module.delegated_to() == eigen_operator


# ---------------------------------------------------------------- delegation


def test_delegate_to(staked_module, eigen_operator, delegation_manager):
    cluster_id, module, staker = staked_module()
    assert not module.is_delegated()
    with boa.env.prank(staker):
        module.delegate_to(eigen_operator)
    assert events(module.get_logs(), "DelegatedTo") == [
        {"cluster_id": cluster_id, "operator": eigen_operator}
    ]
    assert module.is_delegated()
    assert module.delegated_to() == eigen_operator
    assert delegation_manager.delegated_to(module.address) == eigen_operator


def test_delegate_to_only_owner(staked_module, eigen_operator, outsider, manager):
    _, module, _ = staked_module()
    for caller in (outsider, manager.address):
        with boa.env.prank(caller), boa.reverts("strategy_module: caller is not the owner"):
            module.delegate_to(eigen_operator)


def test_delegate_to_unregistered_operator_reverts(staked_module, outsider):
    _, module, staker = staked_module()
    with boa.env.prank(staker), boa.reverts("delegation_manager: operator not registered"):
        module.delegate_to(outsider)


def test_undelegate(staked_module, eigen_operator):
    cluster_id, module, staker = staked_module()
    with boa.env.prank(staker):
        module.delegate_to(eigen_operator)
        module.undelegate()
    assert events(module.get_logs(), "Undelegated") == [
        {"cluster_id": cluster_id, "operator": eigen_operator}
    ]
    assert not module.is_delegated()
    assert module.delegated_to() == ZERO


def test_undelegate_only_owner(staked_module, eigen_operator, outsider):
    _, module, staker = staked_module()
    with boa.env.prank(staker):
        module.delegate_to(eigen_operator)
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.undelegate()


def test_undelegate_when_not_delegated_reverts(staked_module):
    _, module, staker = staked_module()
    with boa.env.prank(staker), boa.reverts("delegation_manager: staker not delegated"):
        module.undelegate()


# ---------------------------------------------------------------- staker rewards


def test_claim_rewards_pays_the_holder(staked_module, staker_rewards):
    cluster_id, module, staker = staked_module()
    boa.env.time_travel(seconds=10 * DAY)
    expected = staker_rewards.claimable(cluster_id)
    assert expected > 0
    assert module.claimable_rewards() == expected
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        paid = module.claim_rewards()
    assert events(module.get_logs(), "RewardsClaimed")[-1] == {
        "cluster_id": cluster_id,
        "receiver": staker,
        "amount": expected,
    }
    assert paid == expected
    assert boa.env.get_balance(staker) == before + expected
    assert module.claimable_rewards() == 0


def test_claim_rewards_after_nft_sale_pays_the_buyer(staked_module, byz_nft, staker_rewards, stakers):
    """What accrued before the sale is credited to the seller; the buyer earns from the sale on."""
    cluster_id, module, staker = staked_module()
    boa.env.time_travel(seconds=5 * DAY)
    accrued = module.claimable_rewards()
    with boa.env.prank(staker):
        byz_nft.transferFrom(staker, stakers[1], cluster_id)
    assert staker_rewards.credit_of(staker) == accrued > 0
    assert module.claimable_rewards() == 0
    boa.env.time_travel(seconds=DAY)
    before = boa.env.get_balance(stakers[1])
    with boa.env.prank(stakers[1]):
        paid = module.claim_rewards()
    assert paid > 0
    assert boa.env.get_balance(stakers[1]) == before + paid


def test_claim_rewards_only_owner(staked_module, outsider):
    _, module, _ = staked_module()
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.claim_rewards()


# ---------------------------------------------------------------- ETH held by the module


def test_receives_eth(staked_module, outsider):
    _, module, _ = staked_module()
    computation = boa.env.raw_call(module.address, sender=outsider, value=ETH)
    assert boa.env.get_balance(module.address) == ETH
    assert events(module.get_logs(computation), "EtherReceived") == [{"sender": outsider, "amount": ETH}]


def test_withdraw_without_stipend(staked_module, outsider, manager):
    cluster_id, module, staker = staked_module()
    boa.env.raw_call(module.address, sender=outsider, value=3 * ETH)
    # a receiver whose fallback writes storage needs more than 2300 gas
    receiver = mock_deployer("ContractStaker").deploy(manager.address, 0)
    with boa.env.prank(staker):
        module.withdraw(2 * ETH, receiver.address)
    assert events(module.get_logs(), "Withdrawn") == [
        {"cluster_id": cluster_id, "receiver": receiver.address, "amount": 2 * ETH}
    ]
    assert receiver.received() == 2 * ETH
    assert boa.env.get_balance(module.address) == ETH


def test_withdraw_only_owner(staked_module, outsider):
    _, module, _ = staked_module()
    boa.env.raw_call(module.address, sender=outsider, value=ETH)
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.withdraw(ETH, outsider)


def test_withdraw_checks(staked_module, outsider):
    _, module, staker = staked_module()
    boa.env.raw_call(module.address, sender=outsider, value=ETH)
    with boa.env.prank(staker):
        with boa.reverts("strategy_module: zero receiver"):
            module.withdraw(1, ZERO)
        with boa.reverts("strategy_module: amount exceeds balance"):
            module.withdraw(ETH + 1, staker)


def test_withdraw_from_pod(staked_module, outsider):
    cluster_id, module, staker = staked_module()
    pod = module.eigen_pod()
    boa.env.raw_call(pod, sender=outsider, value=2 * ETH)
    with boa.env.prank(staker):
        module.withdraw_from_pod(ETH)
    logs = module.get_logs()
    assert events(logs, "WithdrawnFromPod") == [{"cluster_id": cluster_id, "eigen_pod": pod, "amount": ETH}]
    assert events(logs, "EtherReceived") == [{"sender": pod, "amount": ETH}]
    assert boa.env.get_balance(module.address) == ETH
    assert boa.env.get_balance(pod) == ETH
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        module.withdraw(ETH, staker)
    assert boa.env.get_balance(staker) == before + ETH


def test_withdraw_from_pod_only_owner(staked_module, outsider):
    _, module, _ = staked_module()
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.withdraw_from_pod(1)


def test_withdraw_from_pod_exceeding_balance_reverts(staked_module):
    _, module, staker = staked_module()
    with boa.env.prank(staker), boa.reverts("eigen_pod: amount exceeds balance"):
        module.withdraw_from_pod(1)


def test_withdraw_from_pod_without_pod_reverts(fresh_module, manager, byz_nft, outsider):
    module = fresh_module()
    with boa.env.prank(manager.address):
        module.initialize(42)
    with boa.env.prank(manager.address):
        byz_nft.mint(outsider, 42)
    with boa.env.prank(outsider), boa.reverts("strategy_module: no eigen pod"):
        module.withdraw_from_pod(1)


# ---------------------------------------------------------------- views


def test_cluster_views(staked_module, auction, manager, eigen_pod_manager):
    cluster_id, module, _ = staked_module()
    assert module.cluster_id() == cluster_id
    assert module.manager() == manager.address
    assert not module.is_staked()  # proven only by confirm_stake
    assert module.has_eigen_pod()
    cluster = module.cluster()
    expected = auction.get_cluster(cluster_id)
    assert list(cluster.bid_ids) == list(expected.bid_ids)
    assert list(cluster.operators) == list(expected.operators)
    assert cluster.min_duration == expected.min_duration
    assert (
        module.eigen_pod()
        == eigen_pod_manager.get_pod(module.address)
        == manager.predict_addresses(cluster_id)[1]
    )


def test_event_names_of_a_full_session(staked_module, eigen_operator):
    _, module, staker = staked_module()
    boa.env.time_travel(seconds=DAY)
    with boa.env.prank(staker):
        module.delegate_to(eigen_operator)
        assert "DelegatedTo" in event_names(module.get_logs())
        module.claim_rewards()
        assert "RewardsClaimed" in event_names(module.get_logs())
