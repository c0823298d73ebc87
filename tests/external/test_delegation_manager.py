"""DelegationManager: operator registration, delegation and undelegation, as in EigenLayer."""

from __future__ import annotations

import boa
import pytest

URI = "https://operator.example/metadata.json"


@pytest.fixture
def operator(delegation_manager, node_operator):
    with boa.env.prank(node_operator):
        delegation_manager.register_as_operator(URI)
    return node_operator


def names(contract) -> list[str]:
    return [type(e).__name__ for e in contract.get_logs()]


def test_register_as_operator(delegation_manager, node_operator):
    assert not delegation_manager.is_operator(node_operator)
    with boa.env.prank(node_operator):
        delegation_manager.register_as_operator(URI)
        assert names(delegation_manager) == [
            "OperatorRegistered",
            "OperatorMetadataURIUpdated",
            "StakerDelegated",
        ]
    assert delegation_manager.is_operator(node_operator)
    assert delegation_manager.operator_metadata_uri(node_operator) == URI
    # operators are delegated to themselves
    assert delegation_manager.is_delegated(node_operator)
    assert delegation_manager.delegated_to(node_operator) == node_operator


def test_register_twice_reverts(delegation_manager, operator):
    with boa.env.prank(operator), boa.reverts("delegation_manager: already an operator"):
        delegation_manager.register_as_operator(URI)


def test_delegated_staker_cannot_register(delegation_manager, operator, staker):
    with boa.env.prank(staker):
        delegation_manager.delegate_to(operator)
        with boa.reverts("delegation_manager: staker already delegated"):
            delegation_manager.register_as_operator(URI)


def test_update_metadata_uri(delegation_manager, operator, staker):
    with boa.env.prank(operator):
        delegation_manager.update_operator_metadata_uri("ipfs://new")
        (event,) = delegation_manager.get_logs()
    assert event.operator == operator and event.metadata_uri == "ipfs://new"
    assert delegation_manager.operator_metadata_uri(operator) == "ipfs://new"
    with boa.env.prank(staker), boa.reverts("delegation_manager: not an operator"):
        delegation_manager.update_operator_metadata_uri("ipfs://x")


def test_delegate_to(delegation_manager, operator, staker):
    assert not delegation_manager.is_delegated(staker)
    assert delegation_manager.delegated_to(staker) == "0x" + "00" * 20
    with boa.env.prank(staker):
        delegation_manager.delegate_to(operator)
        (event,) = delegation_manager.get_logs()
    assert type(event).__name__ == "StakerDelegated" and event.staker == staker and event.operator == operator
    assert delegation_manager.is_delegated(staker)
    assert delegation_manager.delegated_to(staker) == operator


def test_delegate_to_unregistered_reverts(delegation_manager, staker, non_owner):
    with boa.env.prank(staker), boa.reverts("delegation_manager: operator not registered"):
        delegation_manager.delegate_to(non_owner)


def test_delegate_twice_reverts(delegation_manager, operator, staker, non_owner):
    with boa.env.prank(non_owner):
        delegation_manager.register_as_operator(URI)
    with boa.env.prank(staker):
        delegation_manager.delegate_to(operator)
        with boa.reverts("delegation_manager: staker already delegated"):
            delegation_manager.delegate_to(non_owner)


def test_operator_cannot_delegate_elsewhere(delegation_manager, operator, non_owner):
    with boa.env.prank(non_owner):
        delegation_manager.register_as_operator(URI)
    with boa.env.prank(operator), boa.reverts("delegation_manager: staker already delegated"):
        delegation_manager.delegate_to(non_owner)


@pytest.mark.parametrize("by", ["staker", "operator"])
def test_undelegate(delegation_manager, operator, staker, by):
    caller = staker if by == "staker" else operator
    with boa.env.prank(staker):
        delegation_manager.delegate_to(operator)
    with boa.env.prank(caller):
        delegation_manager.undelegate(staker)
        (event,) = delegation_manager.get_logs()
    assert type(event).__name__ == "StakerUndelegated"
    assert (event.staker, event.operator, event.caller) == (staker, operator, caller)
    assert not delegation_manager.is_delegated(staker)
    assert delegation_manager.delegated_to(staker) == "0x" + "00" * 20
    # and can delegate again
    with boa.env.prank(staker):
        delegation_manager.delegate_to(operator)
    assert delegation_manager.delegated_to(staker) == operator


def test_undelegate_by_stranger_reverts(delegation_manager, operator, staker, non_owner):
    with boa.env.prank(staker):
        delegation_manager.delegate_to(operator)
    with boa.env.prank(non_owner), boa.reverts("delegation_manager: caller cannot undelegate staker"):
        delegation_manager.undelegate(staker)


def test_undelegate_by_other_operator_reverts(delegation_manager, operator, staker, non_owner):
    with boa.env.prank(non_owner):
        delegation_manager.register_as_operator(URI)
    with boa.env.prank(staker):
        delegation_manager.delegate_to(operator)
    with boa.env.prank(non_owner), boa.reverts("delegation_manager: caller cannot undelegate staker"):
        delegation_manager.undelegate(staker)


def test_undelegate_not_delegated_reverts(delegation_manager, staker):
    with boa.env.prank(staker), boa.reverts("delegation_manager: staker not delegated"):
        delegation_manager.undelegate(staker)


def test_operator_cannot_be_undelegated(delegation_manager, operator):
    with boa.env.prank(operator), boa.reverts("delegation_manager: operators cannot be undelegated"):
        delegation_manager.undelegate(operator)


def test_contract_staker(delegation_manager, operator, wallet_deployer):
    """A contract (like a StrategyModule) delegates and undelegates itself."""
    wallet = wallet_deployer.deploy()
    wallet.execute(delegation_manager.address, delegation_manager.delegate_to.prepare_calldata(operator))
    assert delegation_manager.delegated_to(wallet.address) == operator
    wallet.execute(delegation_manager.address, delegation_manager.undelegate.prepare_calldata(wallet.address))
    assert not delegation_manager.is_delegated(wallet.address)
