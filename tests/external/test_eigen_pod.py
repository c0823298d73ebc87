"""EigenPodManager + EigenPod: predictable CREATE2 pods, staking, receiving and withdrawing ETH."""

from __future__ import annotations

import boa
import pytest

from deploy import keys
from tests.external.helpers import ETH, at, create2_proxy_address

# titanoboa registers every minimal proxy it sees created and warns that its code differs from the
# implementation's: expected for proxies.
pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")

ACCEPT, REJECT, REENTER = 0, 1, 3


def salt_of(owner: str) -> bytes:
    return bytes(12) + bytes.fromhex(owner[2:])


@pytest.fixture(scope="module")
def pod_of(eigen_pod_deployer):
    return lambda address: at(eigen_pod_deployer, address)


@pytest.fixture(scope="module")
def deposit_for():
    """Valid deposit data (signed, both roots) for a pod's credentials, generated once per pod address."""
    cache: dict[str, dict] = {}

    def make(pod: str) -> tuple[bytes, bytes, bytes]:
        if pod not in cache:
            cache[pod] = keys.make_deposit_data(
                keys.eigen_pod_withdrawal_credentials(pod), amount_gwei=keys.MAX_EFFECTIVE_BALANCE_GWEI
            )
        d = cache[pod]
        return (
            bytes.fromhex(d["pubkey"]),
            bytes.fromhex(d["signature"]),
            bytes.fromhex(d["deposit_data_root"]),
        )

    return make


def test_constructor_wiring(
    eigen_pod_manager, deposit_contract, eigen_pod_implementation, beacon_roots, withdrawal_requests
):
    assert eigen_pod_manager.deposit_contract() == deposit_contract.address
    assert eigen_pod_manager.eigen_pod_implementation() == eigen_pod_implementation.address
    assert eigen_pod_manager.beacon_roots() == beacon_roots.address
    assert eigen_pod_manager.withdrawal_requests() == withdrawal_requests.address
    assert eigen_pod_implementation.implementation() == eigen_pod_implementation.address


def test_constructor_rejects_non_contracts(
    deposit_contract, eigen_pod_implementation, beacon_roots, withdrawal_requests
):
    eoa = boa.env.generate_address()
    path = "contracts/external/EigenPodManager.vy"
    good = [deposit_contract, eigen_pod_implementation, beacon_roots, withdrawal_requests]
    reasons = ["deposit contract", "implementation", "beacon roots", "withdrawal requests"]
    for i, what in enumerate(reasons):
        args = list(good)
        args[i] = eoa
        with boa.reverts(f"eigen_pod_manager: {what} has no code"):
            boa.load(path, *args)


def test_get_pod_predicts_create2_address(eigen_pod_manager, eigen_pod_implementation, staker, pod_of):
    predicted = eigen_pod_manager.get_pod(staker)
    expected = create2_proxy_address(
        eigen_pod_manager.address, salt_of(staker), eigen_pod_implementation.address
    )
    assert predicted == expected
    assert not eigen_pod_manager.has_pod(staker)
    assert boa.env.get_code(predicted) == b""

    with boa.env.prank(staker):
        pod = eigen_pod_manager.create_pod()
    events = eigen_pod_manager.get_logs()
    assert pod == predicted
    assert eigen_pod_manager.has_pod(staker)
    assert eigen_pod_manager.get_pod(staker) == predicted
    deployed = [e for e in events if type(e).__name__ == "PodDeployed"]
    assert len(deployed) == 1 and deployed[0].eigen_pod == pod and deployed[0].pod_owner == staker
    initialized = [e for e in events if type(e).__name__ == "PodInitialized"]
    assert (
        initialized[0].pod_owner == staker and initialized[0].eigen_pod_manager == eigen_pod_manager.address
    )

    p = pod_of(pod)
    assert p.pod_owner() == staker
    assert p.eigen_pod_manager() == eigen_pod_manager.address
    assert p.implementation() == eigen_pod_implementation.address
    assert p.withdrawal_credentials() == keys.eigen_pod_withdrawal_credentials(pod)


def test_pods_differ_per_owner(eigen_pod_manager, staker, non_owner):
    assert eigen_pod_manager.get_pod(staker) != eigen_pod_manager.get_pod(non_owner)
    with boa.env.prank(staker):
        eigen_pod_manager.create_pod()
    assert not eigen_pod_manager.has_pod(non_owner)


def test_create_pod_twice_reverts(eigen_pod_manager, staker):
    with boa.env.prank(staker):
        eigen_pod_manager.create_pod()
        with boa.reverts("eigen_pod_manager: pod exists"):
            eigen_pod_manager.create_pod()


def test_prefunded_pod_address_still_deploys(eigen_pod_manager, staker, pod_of):
    """Rewards can reach a pod's address before the pod exists; they are the owner's once it does."""
    predicted = eigen_pod_manager.get_pod(staker)
    boa.env.set_balance(predicted, 3 * ETH)
    with boa.env.prank(staker):
        pod = eigen_pod_manager.create_pod()
        pod_of(pod).withdraw(3 * ETH)
    assert pod == predicted
    assert boa.env.get_balance(pod) == 0


def test_stake_deploys_pod_and_deposits(eigen_pod_manager, deposit_contract, staker, deposit_for):
    pod = eigen_pod_manager.get_pod(staker)
    pubkey, signature, root = deposit_for(pod)
    balance = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        eigen_pod_manager.stake(pubkey, signature, root, value=32 * ETH)
    logs = eigen_pod_manager.get_logs()
    names = [type(e).__name__ for e in logs]
    assert names == ["PodDeployed", "PodInitialized", "PodStaked", "DepositEvent"]
    staked = logs[2]
    assert (staked.pod_owner, staked.eigen_pod, staked.pubkey, staked.amount) == (
        staker,
        pod,
        pubkey,
        32 * ETH,
    )
    assert logs[3].withdrawal_credentials == keys.eigen_pod_withdrawal_credentials(pod)
    assert eigen_pod_manager.has_pod(staker)
    assert boa.env.get_balance(staker) == balance - 32 * ETH
    assert boa.env.get_balance(deposit_contract.address) == 32 * ETH
    assert boa.env.get_balance(eigen_pod_manager.address) == 0


def test_second_stake_reuses_pod(eigen_pod_manager, deposit_contract, staker, deposit_for):
    pod = eigen_pod_manager.get_pod(staker)
    pubkey, signature, root = deposit_for(pod)
    with boa.env.prank(staker):
        eigen_pod_manager.stake(pubkey, signature, root, value=32 * ETH)
        eigen_pod_manager.stake(pubkey, signature, root, value=32 * ETH)
        names = [type(e).__name__ for e in eigen_pod_manager.get_logs()]
    assert names == ["PodStaked", "DepositEvent"]
    assert eigen_pod_manager.get_pod(staker) == pod
    assert deposit_contract.get_deposit_count() == (2).to_bytes(8, "little")


@pytest.mark.parametrize("value", [0, 1, ETH - 1])
def test_stake_requires_at_least_1_eth(eigen_pod_manager, staker, deposit_for, value):
    with boa.env.prank(staker), boa.reverts("eigen_pod_manager: must stake at least 1 ether"):
        eigen_pod_manager.stake(*deposit_for(eigen_pod_manager.get_pod(staker)), value=value)


@pytest.mark.parametrize("value", [31 * ETH, 33 * ETH])
def test_stake_amount_must_match_the_signed_root(eigen_pod_manager, staker, deposit_for, value):
    # the deposit data was made for 32 ETH: the deposit contract recomputes the root with the sent amount
    with boa.env.prank(staker), boa.reverts("deposit_contract: deposit_data_root mismatch"):
        eigen_pod_manager.stake(*deposit_for(eigen_pod_manager.get_pod(staker)), value=value)


def test_stake_with_other_credentials_reverts(eigen_pod_manager, staker, non_owner, deposit_for):
    # deposit data signed for non_owner's pod does not match staker's pod credentials
    with boa.env.prank(staker), boa.reverts("deposit_contract: deposit_data_root mismatch"):
        eigen_pod_manager.stake(*deposit_for(eigen_pod_manager.get_pod(non_owner)), value=32 * ETH)
    assert not eigen_pod_manager.has_pod(staker)


def test_stake_with_holesky_data_reverts(eigen_pod_manager, holesky_deposit, staker):
    # real data, but its credentials are not staker's pod
    with boa.env.prank(staker), boa.reverts("deposit_contract: deposit_data_root mismatch"):
        eigen_pod_manager.stake(
            bytes.fromhex(holesky_deposit["pubkey"]),
            bytes.fromhex(holesky_deposit["signature"]),
            bytes.fromhex(holesky_deposit["deposit_data_root"]),
            value=32 * ETH,
        )


@pytest.fixture
def staker_pod(eigen_pod_manager, staker, pod_of):
    with boa.env.prank(staker):
        return pod_of(eigen_pod_manager.create_pod())


def test_initialize_only_once(staker_pod, eigen_pod_manager, staker):
    with boa.env.prank(eigen_pod_manager.address), boa.reverts("eigen_pod: already initialized"):
        staker_pod.initialize(staker)


def test_implementation_cannot_be_initialized(eigen_pod_implementation, staker):
    with boa.env.prank(staker), boa.reverts("eigen_pod: caller is not the manager"):
        eigen_pod_implementation.initialize(staker)


def test_only_deploying_manager_can_initialize(
    eigen_pod_implementation, staker, non_owner, pod_of, proxy_deployer
):
    """A proxy deployed by someone else with salt=owner can be initialized by its deployer only."""
    deployer = proxy_deployer
    proxy = pod_of(deployer.make(eigen_pod_implementation.address, salt_of(staker)))
    assert proxy.address == create2_proxy_address(
        deployer.address, salt_of(staker), eigen_pod_implementation.address
    )
    with boa.env.prank(non_owner), boa.reverts("eigen_pod: caller is not the manager"):
        proxy.initialize(staker)
    # the wrong owner for the salt fails too, even from the deployer
    with boa.env.prank(deployer.address), boa.reverts("eigen_pod: caller is not the manager"):
        proxy.initialize(non_owner)
    with boa.env.prank(deployer.address):
        proxy.initialize(staker)
    assert proxy.pod_owner() == staker


def test_zero_owner_rejected(eigen_pod_implementation, pod_of, proxy_deployer):
    proxy = pod_of(proxy_deployer.make(eigen_pod_implementation.address, bytes(32)))
    with boa.env.prank(proxy_deployer.address), boa.reverts("eigen_pod: zero owner"):
        proxy.initialize("0x" + "00" * 20)


def test_pod_receives_eth(staker_pod, non_owner):
    computation = boa.env.raw_call(staker_pod.address, sender=non_owner, value=5 * ETH)
    (event,) = staker_pod.get_logs(computation)
    assert type(event).__name__ == "EthReceived" and event.sender == non_owner and event.amount == 5 * ETH
    assert boa.env.get_balance(staker_pod.address) == 5 * ETH


def test_withdraw_pays_owner(staker_pod, staker):
    boa.env.set_balance(staker_pod.address, 5 * ETH)
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        staker_pod.withdraw(2 * ETH)
    (event,) = staker_pod.get_logs()
    assert type(event).__name__ == "Withdrawn" and event.recipient == staker and event.amount == 2 * ETH
    assert boa.env.get_balance(staker) == before + 2 * ETH
    assert boa.env.get_balance(staker_pod.address) == 3 * ETH
    with boa.env.prank(staker):
        staker_pod.withdraw(3 * ETH)
        staker_pod.withdraw(0)
    assert boa.env.get_balance(staker_pod.address) == 0


def test_withdraw_only_owner(staker_pod, non_owner, eigen_pod_manager):
    boa.env.set_balance(staker_pod.address, ETH)
    for caller in (non_owner, eigen_pod_manager.address):
        with boa.env.prank(caller), boa.reverts("eigen_pod: caller is not the pod owner"):
            staker_pod.withdraw(1)


def test_withdraw_more_than_balance(staker_pod, staker):
    boa.env.set_balance(staker_pod.address, ETH)
    with boa.env.prank(staker), boa.reverts("eigen_pod: amount exceeds balance"):
        staker_pod.withdraw(ETH + 1)


@pytest.fixture
def wallet_pod(eigen_pod_manager, wallet_deployer, pod_of):
    """A pod owned by a smart-contract wallet (like a StrategyModule)."""
    wallet = wallet_deployer.deploy()
    pod = pod_of(
        wallet.execute(eigen_pod_manager.address, eigen_pod_manager.create_pod.prepare_calldata())[12:]
    )
    boa.env.set_balance(pod.address, 4 * ETH)
    return wallet, pod


def test_withdraw_to_contract_owner_forwards_gas(wallet_pod):
    wallet, pod = wallet_pod
    assert pod.pod_owner() == wallet.address
    wallet.execute(pod.address, pod.withdraw.prepare_calldata(4 * ETH))
    # the wallet's receive writes storage: impossible under a 2300-gas stipend
    assert wallet.received() == 4 * ETH
    assert boa.env.get_balance(wallet.address) == 4 * ETH


def test_withdraw_reverts_if_owner_rejects(wallet_pod):
    wallet, pod = wallet_pod
    wallet.set_mode(REJECT, b"")
    with boa.reverts("wallet: rejected"):
        wallet.execute(pod.address, pod.withdraw.prepare_calldata(ETH))
    assert boa.env.get_balance(pod.address) == 4 * ETH


def test_owner_cannot_reenter_withdraw(wallet_pod):
    wallet, pod = wallet_pod
    wallet.set_mode(REENTER, pod.withdraw.prepare_calldata(ETH))
    with boa.reverts():
        wallet.execute(pod.address, pod.withdraw.prepare_calldata(ETH))
    assert boa.env.get_balance(pod.address) == 4 * ETH
