"""StrategyModule: proxy initialisation, staking by the manager, and the NFT holder's actions."""

from __future__ import annotations

import boa
import pytest

from deploy.keys import eigen_pod_withdrawal_credentials
from tests.staker.conftest import (
    ETH,
    STAKE,
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
def init_args(protocol):
    def args(cluster_id=42):
        return (
            cluster_id,
            protocol.byz_nft.address,
            protocol.auction.address,
            protocol.staker_rewards.address,
            protocol.eigen_pod_manager.address,
            protocol.delegation_manager.address,
        )

    return args


@pytest.fixture(scope="module")
def eigen_operator(delegation_manager, operators):
    op = operators[7]
    with boa.env.prank(op):
        delegation_manager.register_as_operator("https://operator.example/metadata.json")
    return op


# ---------------------------------------------------------------- initialisation


def test_implementation_can_never_be_initialized(module_implementation, init_args, outsider):
    assert module_implementation.initialized()
    with boa.env.prank(outsider), boa.reverts("strategy_module: already initialized"):
        module_implementation.initialize(*init_args())


def test_initialize_sets_everything(fresh_module, init_args, outsider, protocol):
    module = fresh_module()
    with boa.env.prank(outsider):
        module.initialize(*init_args(42))
    assert events(module.get_logs(), "Initialized") == [{"manager": outsider, "cluster_id": 42}]
    assert module.initialized()
    assert module.manager() == outsider
    assert module.cluster_id() == 42
    assert module.byz_nft() == protocol.byz_nft.address
    assert module.auction() == protocol.auction.address
    assert module.staker_rewards() == protocol.staker_rewards.address
    assert module.eigen_pod_manager() == protocol.eigen_pod_manager.address
    assert module.delegation_manager() == protocol.delegation_manager.address
    assert not module.is_staked()
    assert not module.has_eigen_pod()
    assert module.eigen_pod() == protocol.eigen_pod_manager.get_pod(module.address)


def test_initialize_only_once(staked_module, init_args, manager):
    _, module, _ = staked_module()
    with boa.env.prank(manager.address), boa.reverts("strategy_module: already initialized"):
        module.initialize(*init_args())


@pytest.mark.parametrize("position", [1, 2, 3, 4, 5])
def test_initialize_rejects_zero_addresses(fresh_module, init_args, outsider, position):
    args = list(init_args())
    args[position] = ZERO
    with boa.env.prank(outsider), boa.reverts("strategy_module: zero address"):
        fresh_module().initialize(*args)


def test_owner_of_uninitialized_module_reverts(fresh_module):
    with boa.reverts("strategy_module: not initialized"):
        fresh_module().owner()


# ---------------------------------------------------------------- staking (manager only)


def test_stake_by_its_manager(fresh_module, init_args, outsider, deposit_contract):
    module = fresh_module()
    with boa.env.prank(outsider):
        module.initialize(*init_args())
    pod = module.eigen_pod()
    d = deposit_data(eigen_pod_withdrawal_credentials(pod), b"fresh module key")
    boa.env.set_balance(outsider, 100 * ETH)
    with boa.env.prank(outsider):
        module.stake(*as_args(d), value=STAKE)
    logs = module.get_logs()
    assert events(logs, "Staked") == [
        {"cluster_id": 42, "eigen_pod": pod, "pubkey": bytes.fromhex(d["pubkey"]), "amount": STAKE}
    ]
    (deposit,) = events(logs, "DepositEvent")
    assert deposit["withdrawal_credentials"] == eigen_pod_withdrawal_credentials(pod)
    assert module.is_staked()
    assert module.has_eigen_pod()
    assert boa.env.get_balance(deposit_contract.address) == STAKE


def test_stake_only_manager(fresh_module, init_args, outsider, stakers):
    module = fresh_module()
    with boa.env.prank(outsider):
        module.initialize(*init_args())
    with boa.env.prank(stakers[0]), boa.reverts("strategy_module: caller is not the manager"):
        module.stake(b"\x01" * 48, b"\x02" * 96, b"\x03" * 32, value=STAKE)


def test_stake_requires_32_eth(fresh_module, init_args, outsider):
    module = fresh_module()
    boa.env.set_balance(outsider, 100 * ETH)
    with boa.env.prank(outsider):
        module.initialize(*init_args())
        with boa.reverts("strategy_module: stake must be 32 ETH"):
            module.stake(b"\x01" * 48, b"\x02" * 96, b"\x03" * 32, value=STAKE - 1)


def test_stake_only_once(staked_module, manager):
    _, module, _ = staked_module()
    boa.env.set_balance(manager.address, 100 * ETH)
    with boa.env.prank(manager.address), boa.reverts("strategy_module: already staked"):
        module.stake(b"\x01" * 48, b"\x02" * 96, b"\x03" * 32, value=STAKE)


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


def test_claim_rewards_after_nft_sale_pays_the_buyer(staked_module, byz_nft, stakers):
    cluster_id, module, staker = staked_module()
    boa.env.time_travel(seconds=5 * DAY)
    with boa.env.prank(staker):
        byz_nft.transferFrom(staker, stakers[1], cluster_id)
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


def test_withdraw_from_pod_without_pod_reverts(fresh_module, init_args, manager, byz_nft, outsider):
    module = fresh_module()
    with boa.env.prank(outsider):
        module.initialize(*init_args(42))
    with boa.env.prank(manager.address):
        byz_nft.mint(outsider, 42)
    with boa.env.prank(outsider), boa.reverts("strategy_module: no eigen pod"):
        module.withdraw_from_pod(1)


# ---------------------------------------------------------------- views


def test_cluster_views(staked_module, auction, manager, eigen_pod_manager):
    cluster_id, module, _ = staked_module()
    assert module.cluster_id() == cluster_id
    assert module.manager() == manager.address
    assert module.is_staked()
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
