"""EigenPod restaking end to end against the spec beacon chain and EigenLayer v1.12's stand-ins
(/work/shared/EIGENLAYER.md §2.1-2.4, §4 (a)-(e)): credentials proven against EIP-4788 roots credit the
effective balance as deposit shares, checkpoints credit rewards and exits, delegation carries the shares
to the operator, an EIP-7002 exit ends in a queued withdrawal paid out as ETH, and a proven loss lowers
the beacon-chain slashing factor, never the deposit shares."""

from __future__ import annotations

import boa
import pytest

from deploy import keys
from deploy.sim.beacon import FAR_FUTURE_EPOCH, SHARD_COMMITTEE_PERIOD
from deploy.sim.eigen_proofs import pubkey_hash
from deploy.sim.system_calls import dequeue_withdrawal_requests
from tests.beacon.conftest import ETH, WITHDRAWAL_DELAY_BLOCKS, deposit_direct, stake
from tests.utils.errors import reverts_with_error
from tests.utils.logs import event_names
from tests.utils.spec_chain import is_active, next_blocks, run_epochs, wait_for

pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")
GWEI = 10**9
WAD = 10**18
ZERO = "0x0000000000000000000000000000000000000000"
NO_SIGNATURE = (b"", 0)
NO_SALT = bytes(32)
INACTIVE, ACTIVE, WITHDRAWN = 0, 1, 2


def names(contract) -> list[str]:
    return event_names(contract.get_logs())


def activate(chain, pubkey: bytes) -> int:
    """Let epochs pass until the validator is in the registry with an activation epoch (what
    `verifyWithdrawalCredentials` needs, EIGENLAYER.md §6.2); returns the last block's timestamp."""
    return wait_for(
        chain,
        lambda: chain.has_validator(pubkey) and chain.validator(pubkey).activation_epoch != FAR_FUTURE_EPOCH,
        "an activation epoch",
        epochs=16,
    )


def restake(suite, chain, pod, owner, seed="validator") -> tuple[bytes, int]:
    """Stake 32 ETH through the EigenPodManager, wait for an activation epoch, prove the credentials."""
    pubkey = stake(suite, owner, seed)
    ts = activate(chain, pubkey)
    with boa.env.prank(owner):
        pod.verifyWithdrawalCredentials(*chain.credential_proof_args([pubkey]))
    return pubkey, ts


def checkpoint(chain, pod, owner, pubkeys, revert_if_no_balance=True) -> tuple[int, list[str]]:
    """Start a checkpoint in the block of the chain's last root and prove every validator; returns the
    checkpoint's share delta in gwei (the `CheckpointFinalized` event's) and the proofs' events."""
    with boa.env.prank(owner):
        pod.startCheckpoint(revert_if_no_balance)
    ts = pod.currentCheckpointTimestamp()
    assert ts == chain.last_timestamp
    pod.verifyCheckpointProofs(*chain.checkpoint_proof_args(ts, pubkeys))
    logged = names(pod)
    [finalized] = [e for e in pod.get_logs() if type(e).__name__ == "CheckpointFinalized"]
    assert "ValidatorCheckpointed" in logged
    assert pod.currentCheckpointTimestamp() == 0 and pod.lastCheckpointTimestamp() == ts
    return finalized.totalShareDeltaWei // GWEI, logged


def register(suite, operator):
    with boa.env.prank(operator):
        suite.delegation_manager.registerAsOperator(ZERO, 0, "https://operator.example")


def delegate(suite, staker, operator):
    with boa.env.prank(staker):
        suite.delegation_manager.delegateTo(operator, NO_SIGNATURE, NO_SALT)


def complete_after_delay(suite, staker, as_tokens: bool) -> None:
    """Wait out the withdrawal delay (blocks) and complete the staker's only queued withdrawal."""
    dm = suite.delegation_manager
    [withdrawal], _ = dm.getQueuedWithdrawals(staker)
    with boa.env.prank(staker), reverts_with_error("WithdrawalDelayNotElapsed()"):
        dm.completeQueuedWithdrawal(withdrawal, [ZERO], as_tokens)
    boa.env.time_travel(blocks=WITHDRAWAL_DELAY_BLOCKS + 1)
    with boa.env.prank(staker):
        dm.completeQueuedWithdrawal(withdrawal, [ZERO], as_tokens)
    assert dm.getQueuedWithdrawalRoots(staker) == []


# ------------------------------------------------------------------ credentials


def test_credentials_restake_credits_the_effective_balance(suite, chain, staker, non_owner, pod_of):
    epm = suite.eigen_pod_manager
    pod = pod_of(staker)
    pubkey = stake(suite, staker)
    ts = activate(chain, pubkey)
    v = chain.validator(pubkey)
    assert v.activation_epoch > chain.epoch  # scheduled, not yet active: EigenLayer takes it already
    args = chain.credential_proof_args([pubkey])
    with boa.env.prank(non_owner), reverts_with_error("OnlyEigenPodOwnerOrProofSubmitter()"):
        pod.verifyWithdrawalCredentials(*args)
    with boa.env.prank(staker):
        pod.setProofSubmitter(non_owner)
    with boa.env.prank(non_owner):  # the proof submitter may prove for the owner
        pod.verifyWithdrawalCredentials(*args)
    assert {"ValidatorRestaked", "ValidatorBalanceUpdated"} <= set(names(pod))
    assert epm.podOwnerDepositShares(staker) == 32 * WAD
    assert epm.beaconChainSlashingFactor(staker) == WAD
    assert pod.activeValidatorCount() == 1 and pod.withdrawableRestakedExecutionLayerGwei() == 0
    info = pod.validatorPubkeyHashToInfo(pubkey_hash(pubkey))
    assert tuple(info) == (chain.index_of[pubkey], 32 * GWEI, 0, ACTIVE)
    assert args[0] == ts
    with boa.env.prank(staker), reverts_with_error("CredentialsAlreadyVerified()"):
        pod.verifyWithdrawalCredentials(*args)


def test_wrong_credentials_rejected(suite, chain, staker, non_owner, pod_of):
    # a validator whose credentials name another address cannot be restaked in this pod
    with boa.env.prank(staker):
        suite.eigen_pod_manager.createPod()
    pod = pod_of(staker)
    foreign = deposit_direct(
        suite, non_owner, keys.eigen_pod_withdrawal_credentials(non_owner), seed="foreign", eth=32
    )
    activate(chain, foreign)
    with boa.env.prank(staker), reverts_with_error("WithdrawalCredentialsNotForEigenPod()"):
        pod.verifyWithdrawalCredentials(*chain.credential_proof_args([foreign]))
    assert suite.eigen_pod_manager.podOwnerDepositShares(staker) == 0


def test_unknown_timestamp_and_invalid_proofs_rejected(suite, chain, staker, pod_of):
    pubkey = stake(suite, staker)
    ts = activate(chain, pubkey)
    pod = pod_of(staker)
    t, state_root_proof, indices, proofs, fields = chain.credential_proof_args([pubkey])
    with boa.env.prank(staker):
        with reverts_with_error("InvalidEIP4788Response()"):  # no root was posted at that timestamp
            pod.verifyWithdrawalCredentials(ts - 1, state_root_proof, indices, proofs, fields)
        claimed = list(fields[0])
        claimed[2] = (64 * GWEI).to_bytes(8, "little") + bytes(24)  # claim a larger effective balance
        with reverts_with_error("InvalidProof()"):
            pod.verifyWithdrawalCredentials(t, state_root_proof, indices, proofs, [claimed])
        with reverts_with_error("InvalidProofLength()"):  # the Deneb length after the Pectra fork
            pod.verifyWithdrawalCredentials(t, state_root_proof, indices, [proofs[0][:-32]], fields)
        with reverts_with_error("InvalidProof()"):  # another validator's index
            pod.verifyWithdrawalCredentials(t, state_root_proof, [indices[0] + 1], proofs, fields)
    assert suite.eigen_pod_manager.podOwnerDepositShares(staker) == 0


def test_pre_deposit_restaked_only_once_topped_up_and_activated(suite, chain, staker, pod_of):
    """EIGENLAYER.md §4 (b): 1 ETH straight to the deposit contract, then the 31 ETH top-up."""
    epm = suite.eigen_pod_manager
    with boa.env.prank(staker):
        epm.createPod()
    pod = pod_of(staker)
    credentials = keys.eigen_pod_withdrawal_credentials(pod.address)
    pubkey = deposit_direct(suite, staker, credentials, seed="pre", eth=1)
    wait_for(chain, lambda: chain.has_validator(pubkey), "the pre-deposit in the registry", epochs=16)
    run_epochs(chain, 3)
    v = chain.validator(pubkey)
    assert (v.effective_balance, v.activation_epoch) == (1 * GWEI, FAR_FUTURE_EPOCH)
    with boa.env.prank(staker), reverts_with_error("ValidatorInactiveOnBeaconChain()"):
        pod.verifyWithdrawalCredentials(*chain.credential_proof_args([pubkey]))
    deposit_direct(suite, staker, credentials, seed="pre", eth=31)  # the top-up: same key
    wait_for(chain, lambda: v.effective_balance == 32 * GWEI, "the top-up credited", epochs=16)
    assert v.activation_epoch == FAR_FUTURE_EPOCH  # eligible at most: not final yet
    with boa.env.prank(staker), reverts_with_error("ValidatorInactiveOnBeaconChain()"):
        pod.verifyWithdrawalCredentials(*chain.credential_proof_args([pubkey]))
    activate(chain, pubkey)
    with boa.env.prank(staker):
        pod.verifyWithdrawalCredentials(*chain.credential_proof_args([pubkey]))
    assert epm.podOwnerDepositShares(staker) == 32 * WAD
    assert pod.validatorPubkeyToInfo(pubkey)[1] == 32 * GWEI


# ------------------------------------------------------------------ checkpoints and delegation


def test_checkpoint_after_rewards_credits_them(suite, chain, staker, pod_of):
    """EIGENLAYER.md §4 (c): the sweep pays the rewards above 32 ETH to the pod; a checkpoint credits
    them (pod balance + the proven balances' change) and makes them withdrawable."""
    epm = suite.eigen_pod_manager
    pod = pod_of(staker)
    pubkey, _ = restake(suite, chain, pod, staker)
    with boa.env.prank(staker), reverts_with_error("NoBalanceToCheckpoint()"):
        pod.startCheckpoint(True)
    v = chain.validator(pubkey)
    wait_for(chain, lambda: v.withdrawn > 0, "the first sweep", epochs=16)  # active: rewards, then swept
    run_epochs(chain, 2)
    swept = boa.env.get_balance(pod.address)
    assert swept > 0 and v.balance == 32 * GWEI and swept == v.withdrawn * GWEI
    delta, _ = checkpoint(chain, pod, staker, [pubkey])
    assert delta == swept // GWEI  # the proven balance is still 32 ETH: only the pod's ETH is new
    assert epm.podOwnerDepositShares(staker) == 32 * WAD + swept
    assert pod.withdrawableRestakedExecutionLayerGwei() == swept // GWEI
    with boa.env.prank(staker), reverts_with_error("CannotCheckpointTwiceInSingleBlock()"):
        pod.startCheckpoint(False)


def test_delegation_carries_shares(suite, chain, staker, operator, pod_of):
    dm, epm = suite.delegation_manager, suite.eigen_pod_manager
    beacon = epm.beaconChainETHStrategy()
    register(suite, operator)
    delegate(suite, staker, operator)
    assert dm.delegatedTo(staker) == operator and dm.operatorShares(operator, beacon) == 0
    pod = pod_of(staker)
    pubkey, _ = restake(suite, chain, pod, staker)
    assert dm.operatorShares(operator, beacon) == 32 * WAD
    # a later checkpoint's rewards follow the delegation
    wait_for(chain, lambda: chain.validator(pubkey).withdrawn > 0, "the first sweep", epochs=16)
    delta, _ = checkpoint(chain, pod, staker, [pubkey])
    assert delta > 0 and dm.operatorShares(operator, beacon) == 32 * WAD + delta * GWEI
    # undelegating queues every share: the operator loses them, the staker gets them back as shares
    deposit = epm.podOwnerDepositShares(staker)
    with boa.env.prank(staker):
        dm.undelegate(staker)
    assert dm.operatorShares(operator, beacon) == 0 and not dm.isDelegated(staker)
    assert epm.podOwnerDepositShares(staker) == 0
    complete_after_delay(suite, staker, as_tokens=False)
    assert epm.podOwnerDepositShares(staker) == deposit
    assert dm.operatorShares(operator, beacon) == 0  # not delegated any more


# ------------------------------------------------------------------ exits


def test_exit_end_to_end(suite, chain, staker, operator, non_owner, pod_of):
    """EIGENLAYER.md §4 (d): the exit requested through the pod, honoured by the spec after
    SHARD_COMMITTEE_PERIOD epochs of activity, swept to the pod once withdrawable, checkpointed (WITHDRAWN,
    the delta only the rewards since the last checkpoint), queued and paid out to the owner as ETH after
    the delay: the principal and every reward (~530 epochs of the spec chain, ~7 s of CPU)."""
    dm, epm = suite.delegation_manager, suite.eigen_pod_manager
    beacon = epm.beaconChainETHStrategy()
    register(suite, operator)
    delegate(suite, staker, operator)
    pod = pod_of(staker)
    pubkey, _ = restake(suite, chain, pod, staker)
    v = chain.validator(pubkey)
    run_epochs(chain, v.activation_epoch + SHARD_COMMITTEE_PERIOD - chain.epoch)
    assert chain.epoch >= v.activation_epoch + SHARD_COMMITTEE_PERIOD
    fee = pod.getWithdrawalRequestFee()
    assert fee == 1
    request = [(pubkey, 0)]
    with boa.env.prank(non_owner), reverts_with_error("OnlyEigenPodOwnerOrProofSubmitter()"):
        pod.requestWithdrawal(request, value=ETH)
    with boa.env.prank(staker), reverts_with_error("InsufficientFunds()"):
        pod.requestWithdrawal(request, value=0)
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        pod.requestWithdrawal(request, value=ETH)
    assert "ExitRequested" in names(pod)
    assert boa.env.get_balance(staker) == before - fee  # the surplus came back
    # the request is in the next slot's block; the rewards so far are checkpointed against it
    next_blocks(chain)
    assert chain.processed_requests[-1] == (pod.address, pubkey, 0)
    assert v.exit_epoch != FAR_FUTURE_EPOCH
    rewards, _ = checkpoint(chain, pod, staker, [pubkey])
    assert rewards > 0
    proven, withdrawn = pod.validatorPubkeyToInfo(pubkey)[1], v.withdrawn
    # withdrawable after MIN_VALIDATOR_WITHDRAWABILITY_DELAY: the whole balance is swept to the pod
    run_epochs(chain, v.withdrawable_epoch - chain.epoch + 1)
    assert v.balance == 0
    total = v.withdrawn * GWEI
    assert boa.env.get_balance(pod.address) == total > 32 * WAD
    delta, logged = checkpoint(chain, pod, staker, [pubkey])
    # a clean exit: the principal moved to the pod, only the rewards until the exit epoch are new
    assert delta == v.withdrawn - withdrawn - proven and 0 < delta < 10**7
    assert pod.validatorStatus(pubkey_hash(pubkey)) == WITHDRAWN and pod.activeValidatorCount() == 0
    assert "ValidatorWithdrawn" in logged
    assert pod.withdrawableRestakedExecutionLayerGwei() * GWEI == total
    shares = epm.podOwnerDepositShares(staker)
    assert shares == total == dm.operatorShares(operator, beacon)
    with boa.env.prank(staker):
        dm.queueWithdrawals([([beacon], [shares], ZERO)])
    assert dm.operatorShares(operator, beacon) == 0 and epm.podOwnerDepositShares(staker) == 0
    before = boa.env.get_balance(staker)
    complete_after_delay(suite, staker, as_tokens=True)
    assert boa.env.get_balance(staker) - before == total  # principal + rewards, to the gwei
    assert boa.env.get_balance(pod.address) == 0 and pod.withdrawableRestakedExecutionLayerGwei() == 0


def test_exit_request_too_early_is_dropped(suite, chain, staker, pod_of):
    pod = pod_of(staker)
    pubkey, _ = restake(suite, chain, pod, staker)
    run_epochs(chain, 10)
    with boa.env.prank(staker):
        pod.requestWithdrawal([(pubkey, 0)], value=1)
    next_blocks(chain)  # in the next slot's block; active for less than SHARD_COMMITTEE_PERIOD: ignored
    assert chain.processed_requests[-1] == (pod.address, pubkey, 0)
    assert chain.validator(pubkey).exit_epoch == FAR_FUTURE_EPOCH


def test_request_withdrawal_needs_a_restaked_validator(suite, chain, staker, pod_of):
    pod = pod_of(staker)
    pubkey = stake(suite, staker)
    activate(chain, pubkey)
    with boa.env.prank(staker):
        with reverts_with_error("ValidatorNotActiveInPod()"):
            pod.requestWithdrawal([(pubkey, 0)], value=1)
        pod.verifyWithdrawalCredentials(*chain.credential_proof_args([pubkey]))
        with reverts_with_error("InvalidPubKeyLength()"):
            pod.requestWithdrawal([(pubkey[:47], 0)], value=1)
        pod.requestWithdrawal([(pubkey, 5)], value=1)  # a partial one: the spec ignores it (0x01)
    assert "WithdrawalRequested" in names(pod)
    assert dequeue_withdrawal_requests(suite.withdrawal_requests) == [(pod.address, pubkey, 5)]


# ------------------------------------------------------------------ losses


def test_offline_loss_lowers_the_slashing_factor_not_the_deposit_shares(
    suite, chain, staker, operator, pod_of
):
    """EIGENLAYER.md §2.4, §6.5: the spec's inactivity penalties, proven by a checkpoint, lower the
    beacon-chain slashing factor (and the operator's shares); the deposit shares stay."""
    dm, epm = suite.delegation_manager, suite.eigen_pod_manager
    beacon = epm.beaconChainETHStrategy()
    register(suite, operator)
    delegate(suite, staker, operator)
    pod = pod_of(staker)
    pubkey = stake(suite, staker, seed="offline")
    wait_for(chain, lambda: is_active(chain, pubkey), "the validator active", epochs=24)
    with boa.env.prank(staker):
        pod.verifyWithdrawalCredentials(*chain.credential_proof_args([pubkey]))
    run_epochs(chain, 1)
    checkpoint(chain, pod, staker, [pubkey], revert_if_no_balance=False)  # the rewards so far
    deposit = epm.podOwnerDepositShares(staker)
    proven = pod.validatorPubkeyToInfo(pubkey)[1]
    in_pod = pod.withdrawableRestakedExecutionLayerGwei()
    assert deposit == (proven + in_pod) * GWEI and dm.operatorShares(operator, beacon) == deposit
    chain.take_offline(pubkey)
    run_epochs(chain, 4)
    delta, _ = checkpoint(chain, pod, staker, [pubkey], revert_if_no_balance=False)
    state, _ = chain.block_at(pod.lastCheckpointTimestamp())
    balance = int(state.balances[chain.index_of[pubkey]])
    swept = pod.withdrawableRestakedExecutionLayerGwei() - in_pod  # rewards swept before going offline
    assert delta == swept + balance - proven < 0 and pod.validatorPubkeyToInfo(pubkey)[1] == balance
    assert not chain.validator(pubkey).slashed
    factor = WAD * (proven + in_pod + delta) // (proven + in_pod)
    assert epm.beaconChainSlashingFactor(staker) == factor < WAD
    assert epm.podOwnerDepositShares(staker) == deposit
    [withdrawable], [deposit_shares] = dm.getWithdrawableShares(staker, [beacon])
    assert deposit_shares == deposit and withdrawable == deposit * factor // WAD
    assert abs(dm.operatorShares(operator, beacon) - withdrawable) <= 1  # WAD roundings
