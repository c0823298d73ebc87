"""ByzNft: manager-only minting with explicit ids, metadata, standard transfers and approvals."""

from __future__ import annotations

import json

import boa
import pytest

from deploy.protocol import deployer_for
from tests.staker.conftest import event_names, events, mock_deployer

ZERO = "0x0000000000000000000000000000000000000000"


@pytest.fixture(scope="module")
def fresh_nft(owner):
    with boa.env.prank(owner):
        return deployer_for("byz_nft").deploy()


def _mint(byz_nft, manager, to, token_id):
    with boa.env.prank(manager.address):
        byz_nft.mint(to, token_id)


# ---------------------------------------------------------------- set-up


def test_metadata_and_owner(byz_nft, owner, manager):
    assert byz_nft.name() == "Byzantine StrategyModule"
    assert byz_nft.symbol() == "BYZ"
    assert byz_nft.owner() == owner
    assert byz_nft.manager() == manager.address
    assert byz_nft.totalSupply() == 0


def test_set_manager(fresh_nft, owner, outsider):
    with boa.env.prank(owner):
        fresh_nft.set_manager(outsider)
    logs = fresh_nft.get_logs()
    assert fresh_nft.manager() == outsider
    assert events(logs, "ManagerSet") == [{"manager": outsider}]


def test_set_manager_only_owner(fresh_nft, outsider):
    with boa.env.prank(outsider), boa.reverts("ownable: caller is not the owner"):
        fresh_nft.set_manager(outsider)


def test_set_manager_only_once(byz_nft, owner, outsider):
    with boa.env.prank(owner), boa.reverts("byz_nft: manager already set"):
        byz_nft.set_manager(outsider)


def test_set_manager_rejects_zero(fresh_nft, owner):
    with boa.env.prank(owner), boa.reverts("byz_nft: manager is the zero address"):
        fresh_nft.set_manager(ZERO)


def test_two_step_ownership(fresh_nft, owner, outsider):
    with boa.env.prank(owner):
        fresh_nft.transfer_ownership(outsider)
    assert fresh_nft.owner() == owner
    assert fresh_nft.pending_owner() == outsider
    with boa.env.prank(outsider):
        fresh_nft.accept_ownership()
    assert fresh_nft.owner() == outsider
    with boa.env.prank(outsider):
        fresh_nft.set_manager(owner)
    assert fresh_nft.manager() == owner


# ---------------------------------------------------------------- minting


def test_mint_by_manager_with_explicit_id(byz_nft, manager, stakers):
    _mint(byz_nft, manager, stakers[0], 7)
    logs = byz_nft.get_logs()
    assert event_names(logs) == ["Transfer", "ByzNftMinted"]
    assert events(logs, "Transfer") == [{"sender": ZERO, "receiver": stakers[0], "token_id": 7}]
    assert events(logs, "ByzNftMinted") == [{"owner": stakers[0], "token_id": 7}]
    assert byz_nft.ownerOf(7) == stakers[0]
    assert byz_nft.balanceOf(stakers[0]) == 1
    assert byz_nft.exists(7)
    assert not byz_nft.exists(0)
    assert byz_nft.totalSupply() == 1
    assert byz_nft.tokenByIndex(0) == 7
    assert byz_nft.tokenOfOwnerByIndex(stakers[0], 0) == 7


def test_mint_only_manager(byz_nft, owner, outsider):
    for caller in (owner, outsider):
        with boa.env.prank(caller), boa.reverts("byz_nft: caller is not the manager"):
            byz_nft.mint(caller, 0)


def test_mint_twice_reverts(byz_nft, manager, stakers):
    _mint(byz_nft, manager, stakers[0], 3)
    with boa.env.prank(manager.address), boa.reverts("erc721: token already minted"):
        byz_nft.mint(stakers[1], 3)


def test_mint_to_zero_reverts(byz_nft, manager):
    with boa.env.prank(manager.address), boa.reverts("erc721: mint to the zero address"):
        byz_nft.mint(ZERO, 1)


def test_mint_to_contract_without_receiver_reverts(byz_nft, manager):
    rejecting = mock_deployer("ContractStaker").deploy(manager.address, 1)
    with boa.env.prank(manager.address), boa.reverts("erc721: transfer to non-IERC721Receiver implementer"):
        byz_nft.mint(rejecting.address, 1)
    accepting = mock_deployer("ContractStaker").deploy(manager.address, 0)
    _mint(byz_nft, manager, accepting.address, 1)
    assert byz_nft.ownerOf(1) == accepting.address


def test_auto_increment_minting_is_not_exposed(byz_nft):
    for name in ("safe_mint", "set_minter", "burn", "is_minter"):
        assert not hasattr(byz_nft, name)


# ---------------------------------------------------------------- metadata


def test_token_uri_describes_the_cluster(byz_nft, staked_module):
    cluster_id, module, _ = staked_module()
    uri = byz_nft.tokenURI(cluster_id)
    prefix = "data:application/json;utf8,"
    assert uri.startswith(prefix)
    meta = json.loads(uri[len(prefix) :])
    assert meta["name"] == f"Byzantine DV #{cluster_id}"
    attrs = {a["trait_type"]: a["value"] for a in meta["attributes"]}
    assert attrs["cluster_id"] == str(cluster_id)
    assert attrs["strategy_module"] == str(module.address).lower()


def test_token_uri_of_large_id(byz_nft, manager, stakers):
    token_id = 2**256 - 1
    _mint(byz_nft, manager, stakers[0], token_id)
    meta = json.loads(byz_nft.tokenURI(token_id).split(",", 1)[1])
    assert meta["name"] == f"Byzantine DV #{token_id}"
    assert {a["trait_type"]: a["value"] for a in meta["attributes"]}["strategy_module"] == ZERO


def test_token_uri_of_missing_token_reverts(byz_nft):
    with boa.reverts("erc721: invalid token ID"):
        byz_nft.tokenURI(0)


def test_supports_interfaces(byz_nft):
    for interface_id in (b"\x01\xff\xc9\xa7", b"\x80\xac\x58\xcd", b"\x5b\x5e\x13\x9f", b"\x78\x0e\x9d\x63"):
        assert byz_nft.supportsInterface(interface_id)
    assert not byz_nft.supportsInterface(b"\xff\xff\xff\xff")


# ---------------------------------------------------------------- transfers and approvals


def test_transfer_by_holder(byz_nft, manager, stakers):
    _mint(byz_nft, manager, stakers[0], 0)
    with boa.env.prank(stakers[0]):
        byz_nft.transferFrom(stakers[0], stakers[1], 0)
    logs = byz_nft.get_logs()
    assert events(logs, "Transfer") == [{"sender": stakers[0], "receiver": stakers[1], "token_id": 0}]
    assert byz_nft.ownerOf(0) == stakers[1]
    assert byz_nft.balanceOf(stakers[0]) == 0


def test_transfer_by_stranger_reverts(byz_nft, manager, stakers, outsider):
    _mint(byz_nft, manager, stakers[0], 0)
    with boa.env.prank(outsider), boa.reverts("erc721: caller is not token owner or approved"):
        byz_nft.transferFrom(stakers[0], outsider, 0)
    # the manager has no power over minted tokens either
    with boa.env.prank(manager.address), boa.reverts("erc721: caller is not token owner or approved"):
        byz_nft.transferFrom(stakers[0], outsider, 0)


def test_approve_then_transfer(byz_nft, manager, stakers, outsider):
    _mint(byz_nft, manager, stakers[0], 0)
    with boa.env.prank(stakers[0]):
        byz_nft.approve(outsider, 0)
    assert event_names(byz_nft.get_logs()) == ["Approval"]
    assert byz_nft.getApproved(0) == outsider
    with boa.env.prank(outsider):
        byz_nft.safeTransferFrom(stakers[0], stakers[2], 0)
    assert byz_nft.ownerOf(0) == stakers[2]
    assert byz_nft.getApproved(0) == ZERO


def test_approve_by_stranger_reverts(byz_nft, manager, stakers, outsider):
    _mint(byz_nft, manager, stakers[0], 0)
    with (
        boa.env.prank(outsider),
        boa.reverts("erc721: approve caller is not token owner or approved for all"),
    ):
        byz_nft.approve(outsider, 0)


def test_operator_approval(byz_nft, manager, stakers, outsider):
    _mint(byz_nft, manager, stakers[0], 0)
    with boa.env.prank(stakers[0]):
        byz_nft.setApprovalForAll(outsider, True)
    assert events(byz_nft.get_logs(), "ApprovalForAll") == [
        {"owner": stakers[0], "operator": outsider, "approved": True}
    ]
    assert byz_nft.isApprovedForAll(stakers[0], outsider)
    with boa.env.prank(outsider):
        byz_nft.transferFrom(stakers[0], outsider, 0)
    assert byz_nft.ownerOf(0) == outsider
