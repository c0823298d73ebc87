"""EigenPod restaking: credentials, balance updates and exits proven against EIP-4788 roots; shares in the
EigenPodManager follow, and delegation carries them to the operator (docs/protocol.md §9, §10)."""

from __future__ import annotations

import boa
import pytest

from deploy import keys
from deploy.beacon import SECONDS_PER_EPOCH, SHARD_COMMITTEE_PERIOD, dequeue_withdrawal_requests
from tests.beacon.conftest import ETH, deposit_direct, stake
from tests.beacon.proofs import h, proof_tuple

pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")
GWEI = 10**9


def names(contract) -> list[str]:
    return [type(e).__name__ for e in contract.get_logs()]


def pubkey_root(pubkey: bytes) -> bytes:
    from hashlib import sha256

    return sha256(pubkey + bytes(16)).digest()


def restake(suite, chain, pod, owner, seed="validator", eth=32):
    """Stake, include in a block, prove the credentials; returns (pubkey, timestamp)."""
    pubkey = stake(suite, owner, seed, eth)
    boa.env.time_travel(seconds=12)
    ts = chain.process()
    pod.verify_withdrawal_credentials(ts, chain.validator_proof(pubkey))
    return pubkey, ts


def run_epochs(chain, epochs: int) -> int:
    boa.env.time_travel(seconds=epochs * SECONDS_PER_EPOCH)
    return chain.process()


def test_verify_validator_fields_takes_todays_layout_only(suite, chain, staker, goerli_proof):
    # the real Goerli proof is a Deneb one: every root of now is post-Electra, so it is refused
    assert not suite.eigen_pod_manager.verify_validator_fields(
        h(goerli_proof["latest_block_header_root"]), proof_tuple(goerli_proof)
    )
    pubkey = stake(suite, staker)
    boa.env.time_travel(seconds=12)
    chain.process()
    proof = chain.validator_proof(pubkey)
    assert len(proof[4]) == 47
    assert suite.eigen_pod_manager.verify_validator_fields(chain.last_block_root, proof)
    assert not suite.eigen_pod_manager.verify_validator_fields(
        h(goerli_proof["latest_block_header_root"]), proof
    )


def test_verify_withdrawal_credentials_credits_shares(suite, chain, staker, non_owner, pod_of):
    pod = pod_of(staker)
    pubkey = stake(suite, staker)
    boa.env.time_travel(seconds=12)
    ts = chain.process()
    proof = chain.validator_proof(pubkey)
    with boa.env.prank(non_owner):  # permissionless: the proof is authenticated by the root
        pod.verify_withdrawal_credentials(ts, proof)
    assert "ValidatorRestaked" in names(pod)
    assert suite.eigen_pod_manager.shares(staker) == 32 * ETH
    info = pod.validator_info(pubkey_root(pubkey))
    assert (info.validator_index, info.restaked_balance_gwei, info.last_timestamp, info.status) == (
        proof[2],
        32 * GWEI,
        ts,
        1,
    )
    with boa.reverts("eigen_pod: validator already restaked"):
        pod.verify_withdrawal_credentials(ts, proof)


def test_wrong_credentials_rejected(suite, chain, staker, non_owner, pod_of):
    # a validator whose credentials name someone else's address cannot be restaked in this pod
    stake(suite, staker)  # deploys the pod
    other = keys.eigen_pod_withdrawal_credentials(non_owner)
    pubkey = deposit_direct(suite, non_owner, other, seed="foreign", eth=32)
    boa.env.time_travel(seconds=12)
    ts = chain.process()
    pod = pod_of(staker)
    with boa.reverts("eigen_pod: wrong withdrawal credentials"):
        pod.verify_withdrawal_credentials(ts, chain.validator_proof(pubkey))
    assert suite.eigen_pod_manager.shares(staker) == 0


def test_unknown_timestamp_and_invalid_proof_rejected(suite, chain, staker, pod_of):
    pubkey = stake(suite, staker)
    boa.env.time_travel(seconds=12)
    ts = chain.process()
    proof = chain.validator_proof(pubkey)
    pod = pod_of(staker)
    with boa.reverts("eigen_pod: unknown beacon root"):
        pod.verify_withdrawal_credentials(ts + 1, proof)
    fields = list(proof[3])
    fields[2] = (64 * GWEI).to_bytes(8, "little") + bytes(24)  # claim a larger balance
    with boa.reverts("eigen_pod: invalid proof"):
        pod.verify_withdrawal_credentials(ts, (proof[0], proof[1], proof[2], fields, proof[4]))
    with boa.reverts("eigen_pod: invalid proof"):
        pod.verify_withdrawal_credentials(ts, (*proof[:4], proof[4][:46]))
    assert suite.eigen_pod_manager.shares(staker) == 0


def test_pre_deposit_then_top_up_then_balance_update(suite, chain, staker, non_owner, pod_of):
    pod = pod_of(staker)
    pubkey, ts = restake(suite, chain, pod, staker, eth=1)  # the 1 ETH pre-deposit
    assert suite.eigen_pod_manager.shares(staker) == 1 * ETH
    stake(suite, staker, eth=31)  # the top-up: same key
    boa.env.time_travel(seconds=12)
    ts2 = chain.process()
    assert chain.validator(pubkey).effective_balance == 32 * GWEI
    proof = chain.validator_proof(pubkey)
    with boa.reverts("eigen_pod: proof not newer"):
        pod.verify_balance_update(ts, proof)
    with boa.env.prank(non_owner):
        pod.verify_balance_update(ts2, proof)
    assert "ValidatorBalanceUpdated" in names(pod)
    assert suite.eigen_pod_manager.shares(staker) == 32 * ETH
    assert pod.validator_info(pubkey_root(pubkey)).restaked_balance_gwei == 32 * GWEI


def test_delegation_carries_shares(suite, chain, staker, operator, pod_of):
    dm = suite.delegation_manager
    with boa.env.prank(operator):
        dm.register_as_operator("https://operator.example")
    pod = pod_of(staker)
    restake(suite, chain, pod, staker, eth=1)
    with boa.env.prank(staker):
        dm.delegate_to(operator)
    assert "OperatorSharesIncreased" in names(dm)
    assert dm.operator_shares(operator) == 1 * ETH
    # a later proven change follows the delegation
    pubkey = stake(suite, staker, eth=31)
    boa.env.time_travel(seconds=12)
    ts = chain.process()
    pod.verify_balance_update(ts, chain.validator_proof(pubkey))
    assert dm.operator_shares(operator) == 32 * ETH
    with boa.env.prank(staker):
        dm.undelegate(staker)
    assert dm.operator_shares(operator) == 0
    assert suite.eigen_pod_manager.shares(staker) == 32 * ETH


def test_exit_end_to_end(suite, chain, staker, operator, non_owner, pod_of):
    """Request the exit from the pod, the model exits and pays the pod, shares stop counting."""
    dm = suite.delegation_manager
    with boa.env.prank(operator):
        dm.register_as_operator("https://operator.example")
    pod = pod_of(staker)
    pubkey, _ = restake(suite, chain, pod, staker)
    with boa.env.prank(staker):
        dm.delegate_to(operator)
    v = chain.validator(pubkey)
    run_epochs(chain, 10)
    assert v.activation_epoch <= chain.epoch  # active
    # only the pod owner may ask, and the pod is the request's source
    with boa.env.prank(non_owner), boa.reverts("eigen_pod: caller is not the pod owner"):
        pod.request_withdrawal(pubkey, 0, value=ETH)
    run_epochs(chain, SHARD_COMMITTEE_PERIOD)
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        fee = pod.request_withdrawal(pubkey, 0, value=ETH)
    assert fee == 1 and "WithdrawalRequested" in names(pod)
    assert boa.env.get_balance(staker) == before - fee  # the excess came back
    boa.env.time_travel(seconds=12)
    ts = chain.process()
    assert v.exit_epoch != 2**64 - 1
    with boa.env.prank(non_owner):
        pod.verify_exit(ts, chain.validator_proof(pubkey))
    assert "ValidatorExited" in names(pod)
    assert suite.eigen_pod_manager.shares(staker) == 0
    assert dm.operator_shares(operator) == 0
    assert pod.validator_status(pubkey_root(pubkey)) == 2
    with boa.reverts("eigen_pod: validator not active"):
        pod.verify_exit(ts, chain.validator_proof(pubkey))
    # withdrawable after MIN_VALIDATOR_WITHDRAWABILITY_DELAY: the whole balance arrives as a plain transfer
    balance, withdrawn = v.balance, v.withdrawn
    pod_before = boa.env.get_balance(pod.address)
    run_epochs(chain, 5 + 256)
    assert v.balance == 0
    paid = (v.withdrawn - withdrawn) * GWEI
    assert boa.env.get_balance(pod.address) == pod_before + paid
    assert paid > balance * GWEI >= 32 * ETH  # principal and the rewards until the exit epoch
    with boa.env.prank(staker):
        pod.withdraw(boa.env.get_balance(pod.address))
    assert boa.env.get_balance(pod.address) == 0


def test_exit_request_too_early_is_dropped(suite, chain, staker, pod_of):
    pod = pod_of(staker)
    pubkey, _ = restake(suite, chain, pod, staker)
    run_epochs(chain, 10)
    with boa.env.prank(staker):
        pod.request_withdrawal(pubkey, 0, value=1)
    boa.env.time_travel(seconds=12)
    ts = chain.process()  # active for less than SHARD_COMMITTEE_PERIOD epochs: ignored
    assert chain.validator(pubkey).exit_epoch == 2**64 - 1
    with boa.reverts("eigen_pod: validator not exiting"):
        pod.verify_exit(ts, chain.validator_proof(pubkey))


def test_request_withdrawal_guards(suite, staker, pod_of):
    pubkey = stake(suite, staker)
    pod = pod_of(staker)
    with boa.env.prank(staker):
        with boa.reverts("eigen_pod: fee too low"):
            pod.request_withdrawal(pubkey, 0, value=0)
        with boa.reverts("eigen_pod: pubkey must be 48 bytes"):
            pod.request_withdrawal(pubkey[:47], 0, value=1)
        pod.request_withdrawal(pubkey, 5, value=1)
    assert dequeue_withdrawal_requests(suite.withdrawal_requests) == [(pod.address, pubkey, 5)]


def test_exiting_validator_cannot_be_restaked_or_updated(suite, chain, staker, pod_of):
    pod = pod_of(staker)
    pubkey = stake(suite, staker)
    run_epochs(chain, 1)  # included: eligible next epoch
    run_epochs(chain, 10)  # activation scheduled once finalized
    run_epochs(chain, SHARD_COMMITTEE_PERIOD)
    with boa.env.prank(staker):
        pod.request_withdrawal(pubkey, 0, value=1)
    boa.env.time_travel(seconds=12)
    ts = chain.process()
    with boa.reverts("eigen_pod: validator is exiting"):
        pod.verify_withdrawal_credentials(ts, chain.validator_proof(pubkey))


def test_balance_update_and_exit_need_a_restaked_validator(suite, chain, staker, pod_of):
    pubkey = stake(suite, staker)
    boa.env.time_travel(seconds=12)
    ts = chain.process()
    pod = pod_of(staker)
    proof = chain.validator_proof(pubkey)
    with boa.reverts("eigen_pod: validator not active"):
        pod.verify_balance_update(ts, proof)
    with boa.reverts("eigen_pod: validator not active"):
        pod.verify_exit(ts, proof)


def test_only_the_owners_pod_records_shares(suite, staker, non_owner):
    epm = suite.eigen_pod_manager
    stake(suite, staker)
    with boa.env.prank(non_owner), boa.reverts("eigen_pod_manager: caller is not the owner's pod"):
        epm.record_beacon_chain_eth_balance_update(staker, 10**18)
    with boa.env.prank(non_owner), boa.reverts("delegation_manager: caller is not the eigen pod manager"):
        suite.delegation_manager.increase_delegated_shares(staker, 1)
    with boa.env.prank(non_owner), boa.reverts("delegation_manager: caller is not the eigen pod manager"):
        suite.delegation_manager.decrease_delegated_shares(staker, 1)


def test_set_delegation_manager_guards(suite, non_owner):
    epm = suite.eigen_pod_manager
    with boa.env.prank(non_owner), boa.reverts("eigen_pod_manager: caller is not the deployer"):
        epm.set_delegation_manager(suite.delegation_manager)
    with boa.reverts("eigen_pod_manager: delegation manager already set"):
        epm.set_delegation_manager(suite.delegation_manager)
    assert epm.delegation_manager() == suite.delegation_manager.address
    assert suite.delegation_manager.eigen_pod_manager() == epm.address
