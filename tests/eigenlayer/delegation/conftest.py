"""Fixtures and helpers of the DelegationManager tests (this folder: its fixtures `dm` and `epm` are the real
DelegationManager and a double of the EigenPodManager, where the parent folder's are the other way round).

The v1.12 DelegationManager stand-in (contracts/external/eigenlayer/DelegationManager.vy) runs against two
test doubles: MockEigenPodManager (deposit shares, beacon-chain slashing factor, ETH payouts) and
MockAllocationManager (max magnitudes with block history, `slash`).
"""

from __future__ import annotations

from pathlib import Path

import boa
import pytest
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak

from tests.utils.actors import actor

ROOT = Path(__file__).resolve().parents[3]
DM_PATH = ROOT / "contracts" / "external" / "eigenlayer" / "DelegationManager.vy"
MOCKS = Path(__file__).resolve().parents[1] / "contracts"

WAD = 10**18
BEACON = "0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0"
DELAY = 10
ZERO = "0x0000000000000000000000000000000000000000"
WITHDRAWAL_TYPE = "(address,address,address,uint256,uint32,address[],uint256[])"
NO_SIG = (b"", 0)


@pytest.fixture(scope="module")
def pauser():
    return actor("owner", label="dm_pauser")


@pytest.fixture(scope="module")
def epm():
    return boa.load(str(MOCKS / "MockEigenPodManager.vy"))


@pytest.fixture(scope="module")
def am():
    return boa.load(str(MOCKS / "MockAllocationManager.vy"))


@pytest.fixture(scope="module")
def dm_deployer():
    return boa.load_partial(str(DM_PATH))


@pytest.fixture(scope="module")
def dm(dm_deployer, epm, am, pauser):
    contract = dm_deployer.deploy(epm.address, am.address, pauser, DELAY, 0)
    epm.set_delegation_manager(contract.address)
    am.set_delegation_manager(contract.address)
    boa.env.set_balance(epm.address, 10_000 * WAD)
    boa.env.time_travel(blocks=DELAY + 5)  # slashOperatorShares looks DELAY + 1 blocks back
    return contract


@pytest.fixture(scope="module")
def operator(dm):
    who = actor("operator", label="dm_operator")
    with boa.env.prank(who):
        dm.registerAsOperator(ZERO, 5, "ipfs://op")
    return who


@pytest.fixture(scope="module")
def staker():
    return actor("staker", label="dm_staker")


@pytest.fixture(scope="module")
def approver_key():
    return Account.from_key(keccak(b"dm approver"))


def sign_approval(dm, key, staker, operator, salt: bytes, expiry: int) -> tuple[bytes, int]:
    """The approver's (signature, expiry) for `staker` delegating to `operator`."""
    digest = dm.calculateDelegationApprovalDigestHash(staker, operator, key.address, salt, expiry)
    signed = Account.unsafe_sign_hash(digest, key.key)
    return signed.signature, expiry


def withdrawal_tuple(w) -> tuple:
    """A decoded Withdrawal (titanoboa struct or tuple) as a plain tuple."""
    return tuple(w)


def withdrawal_root(w) -> bytes:
    """keccak256(abi.encode(withdrawal)) computed with eth_abi."""
    staker, delegated, withdrawer, nonce, start, strategies, scaled = w
    return keccak(
        encode(
            [WITHDRAWAL_TYPE], [(staker, delegated, withdrawer, nonce, start, list(strategies), list(scaled))]
        )
    )


def queued(dm, staker, shares: int) -> tuple[bytes, tuple]:
    """Queue `shares` beacon deposit shares for `staker`; return (root, withdrawal tuple) from the event."""
    with boa.env.prank(staker):
        (root,) = dm.queueWithdrawals([([BEACON], [shares], ZERO)])
    (event,) = [e for e in dm.get_logs() if type(e).__name__ == "SlashingWithdrawalQueued"]
    return root, tuple(event.withdrawal)


def mine(blocks: int) -> None:
    boa.env.time_travel(blocks=blocks)
