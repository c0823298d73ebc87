"""EigenLayer v1.12 EigenPod stand-in (contracts/external/eigenlayer/EigenPod.vy) against synthetic
beacon states: every function, event and custom error in EigenLayer's check order (EIGENLAYER.md §2.2,
§3.5, §3.6)."""

from __future__ import annotations

import boa
import pytest
from eth_utils import function_signature_to_4byte_selector
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy.keys import deposit_data_root
from deploy.sim.system_calls import dequeue_withdrawal_requests, post_beacon_root, withdrawal_request_fee
from tests.eigenlayer.beacon import DENEB, FAR_FUTURE_EPOCH, GWEI, PECTRA, Chain, credentials, pubkey_hash
from tests.eigenlayer.conftest import checkpoint, new_validator, pod_at, post, pubkey_of, restake
from tests.utils.errors import reverts_with_error, reverts_with_error_data
from tests.utils.logs import events

ETH = 10**18
BEACON_ETH = "0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0"
PANIC_0x11 = function_signature_to_4byte_selector("Panic(uint256)") + (17).to_bytes(32, "big")
WAD = 10**18
INACTIVE, ACTIVE, WITHDRAWN = 0, 1, 2


def fund(address, wei: int) -> None:
    """A beacon-chain sweep: ETH arrives without running code."""
    boa.env.set_balance(str(address), boa.env.get_balance(str(address)) + wei)


# ------------------------------------------------------------------ stake


def test_stake_deposits_exactly_32_eth_with_0x01_credentials(epm, pod, pod_owner, deposit_contract):
    pubkey, signature = pubkey_of(0), b"\x07" * 96
    root = deposit_data_root(pubkey, credentials(1, pod.address), 32 * GWEI, signature)
    epm.stake(pubkey, signature, root, value=32 * ETH, sender=pod_owner)
    assert events(epm.get_logs(), "EigenPodStaked") == [{"pubkeyHash": pubkey_hash(pubkey)}]
    assert deposit_contract.get_deposit_count() == (1).to_bytes(8, "little")
    for wei in (31 * ETH, 33 * ETH):
        with reverts_with_error("MsgValueNot32ETH()"):
            epm.stake(pubkey, signature, root, value=wei, sender=pod_owner)
    with reverts_with_error("OnlyEigenPodManager()"):
        pod.stake(pubkey, signature, root, value=32 * ETH, sender=pod_owner)


def test_initialize_is_the_managers_once(pod, epm, pod_owner):
    assert pod.podOwner() == pod_owner and pod.eigenPodManager() == epm.address
    with reverts_with_error("OnlyEigenPodManager()"):
        pod.initialize(pod_owner, sender=pod_owner)
    with boa.reverts("Initializable: contract is already initialized"):
        pod.initialize(pod_owner, sender=epm.address)


def test_receive_emits_non_beacon_chain_eth_received(pod, non_owner):
    computation = boa.env.raw_call(str(pod.address), sender=non_owner, value=5 * GWEI)
    assert events(pod.get_logs(computation), "NonBeaconChainETHReceived") == [{"amountReceived": 5 * GWEI}]


# ------------------------------------------------------------------ withdrawal credentials


def test_credentials_credit_effective_balances_of_0x01_and_0x02(pod, epm, dm, chain, beacon_roots, pod_owner):
    a = new_validator(chain, pod, 0, effective_gwei=32 * GWEI, balance_gwei=33 * GWEI)
    b = new_validator(chain, pod, 1, prefix=2, effective_gwei=40 * GWEI)
    restake(pod, beacon_roots, chain, [a, b], pod_owner)
    logs = pod.get_logs()
    assert [e["pubkeyHash"] for e in events(logs, "ValidatorRestaked")] == [
        pubkey_hash(pubkey_of(0)),
        pubkey_hash(pubkey_of(1)),
    ]
    assert events(logs, "ValidatorBalanceUpdated")[1] == {
        "pubkeyHash": pubkey_hash(pubkey_of(1)),
        "balanceTimestamp": 0,
        "newValidatorBalanceGwei": 40 * GWEI,
    }
    assert epm.podOwnerDepositShares(pod_owner) == 72 * ETH
    assert (dm.increases(), dm.lastPrevDepositShares(), dm.lastAddedShares()) == (1, 0, 72 * ETH)
    assert dm.lastIncreaseStrategy() == "0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0"
    assert dm.lastFactorSeen() == WAD  # the EPM's views answer while it reports
    assert pod.activeValidatorCount() == 2
    assert tuple(pod.validatorPubkeyHashToInfo(pubkey_hash(pubkey_of(0)))) == (a, 32 * GWEI, 0, ACTIVE)
    assert tuple(pod.validatorPubkeyToInfo(pubkey_of(1))) == (b, 40 * GWEI, 0, ACTIVE)
    assert pod.validatorStatus(pubkey_hash(pubkey_of(1))) == ACTIVE
    assert pod.currentCheckpoint()[4] == 72 * GWEI  # prevBeaconBalanceGwei
    with reverts_with_error("InvalidPubKeyLength()"):
        pod.validatorPubkeyToInfo(b"\x01" * 47)


def test_credentials_need_the_owner_or_the_proof_submitter(
    pod, chain, beacon_roots, pod_owner, proof_submitter, non_owner
):
    i = new_validator(chain, pod, 0)
    with reverts_with_error("OnlyEigenPodOwnerOrProofSubmitter()"):
        restake(pod, beacon_roots, chain, [i], proof_submitter)
    with reverts_with_error("OnlyEigenPodOwner()"):
        pod.setProofSubmitter(proof_submitter, sender=non_owner)
    pod.setProofSubmitter(proof_submitter, sender=pod_owner)
    assert events(pod.get_logs(), "ProofSubmitterUpdated") == [
        {
            "prevProofSubmitter": "0x0000000000000000000000000000000000000000",
            "newProofSubmitter": proof_submitter,
        }
    ]
    assert pod.proofSubmitter() == proof_submitter
    restake(pod, beacon_roots, chain, [i], proof_submitter)
    assert pod.validatorStatus(pubkey_hash(pubkey_of(0))) == ACTIVE


def test_credentials_errors_come_in_eigenlayers_order(pod, chain, beacon_roots, pod_owner):
    good = new_validator(chain, pod, 0)
    inactive = new_validator(chain, pod, 1, activation_epoch=FAR_FUTURE_EPOCH, exit_epoch=5)
    exiting = new_validator(chain, pod, 2, exit_epoch=10)
    stranger = chain.add(pubkey_of(3), credentials(1, "0x" + "11" * 20))
    snap = chain.snapshot()
    ts = post(beacon_roots, snap)
    srp = snap.state_root_proof()

    def verify(indices, proofs=None, fields=None, t=ts, state_root_proof=srp):
        pod.verifyWithdrawalCredentials(
            t,
            state_root_proof,
            indices,
            proofs if proofs is not None else [snap.validator_proof(i) for i in indices],
            fields if fields is not None else [snap.fields(i) for i in indices],
            sender=pod_owner,
        )

    with reverts_with_error("InputArrayLengthMismatch()"):
        verify([good], proofs=[])
    with reverts_with_error("InputArrayLengthMismatch()"):
        verify([good], fields=[])
    with reverts_with_error("InvalidProof()"):
        verify([good], state_root_proof=(b"\x01" * 32, srp[1]))
    with reverts_with_error("InvalidProofLength()"):
        verify([good], state_root_proof=(srp[0], srp[1][:64]))
    # activation is checked before the exit, both before the credentials and the proof
    with reverts_with_error("ValidatorInactiveOnBeaconChain()"):
        verify([inactive], proofs=[b""])
    with reverts_with_error("ValidatorIsExitingBeaconChain()"):
        verify([exiting], proofs=[b""])
    with reverts_with_error("WithdrawalCredentialsNotForEigenPod()"):
        verify([stranger], proofs=[b""])
    with reverts_with_error("InvalidProofLength()"):
        verify([good], proofs=[snap.validator_proof(good)[:-32]])
    with reverts_with_error("InvalidProof()"):
        verify([good], proofs=[snap.validator_proof(exiting)])
    with reverts_with_error("InvalidValidatorFieldsLength()"):
        verify([good], fields=[snap.fields(good) + [b"\x00" * 32]])
    verify([good])
    with reverts_with_error("CredentialsAlreadyVerified()"):
        verify([good], proofs=[b""])
    # the 4788 lookup
    with reverts_with_error("InvalidEIP4788Response()"):
        verify([good], t=ts - 1)
    with reverts_with_error("TimestampOutOfRange()"):
        boa.env.time_travel(seconds=8191 * 12)
        verify([good])


def test_get_parent_block_root_reads_eip_4788(pod, beacon_roots):
    root = b"\x42" * 32
    boa.env.time_travel(seconds=12)
    ts = post_beacon_root(beacon_roots, root)
    assert pod.getParentBlockRoot(ts) == root
    with reverts_with_error("InvalidEIP4788Response()"):
        pod.getParentBlockRoot(ts - 12)
    # a future timestamp: Solidity's checked subtraction, Panic(0x11)
    with reverts_with_error_data(PANIC_0x11):
        pod.getParentBlockRoot(ts + 1)
    boa.env.time_travel(seconds=8191 * 12 - 1)
    assert pod.getParentBlockRoot(ts) == root
    boa.env.time_travel(seconds=1)
    with reverts_with_error("TimestampOutOfRange()"):
        pod.getParentBlockRoot(ts)


def test_credentials_timestamps_must_follow_checkpoints(pod, chain, beacon_roots, pod_owner):
    i = new_validator(chain, pod, 0)
    j = new_validator(chain, pod, 1)
    k = new_validator(chain, pod, 2)
    restake(pod, beacon_roots, chain, [i], pod_owner)
    old = chain.snapshot()
    old_ts = post(beacon_roots, old)
    args = (old.state_root_proof(), [k], [old.validator_proof(k)], [old.fields(k)])
    # a checkpoint opened after the old root: the old root is too far in the past
    snap = chain.snapshot()
    ts = post(beacon_roots, snap)
    pod.startCheckpoint(False, sender=pod_owner)
    with reverts_with_error("BeaconTimestampTooFarInPast()"):
        pod.verifyWithdrawalCredentials(old_ts, *args, sender=pod_owner)
    # a validator verified while a checkpoint is open is not part of it
    restake(pod, beacon_roots, chain, [j], pod_owner)
    assert pod.validatorPubkeyHashToInfo(pubkey_hash(pubkey_of(1)))[2] == ts
    pod.verifyCheckpointProofs(snap.balance_container_proof(), [snap.balance_proof(j)])
    assert pod.currentCheckpointTimestamp() == ts  # j skipped: i still to prove
    pod.verifyCheckpointProofs(snap.balance_container_proof(), [snap.balance_proof(i)])
    assert (pod.currentCheckpointTimestamp(), pod.lastCheckpointTimestamp()) == (0, ts)
    with reverts_with_error("BeaconTimestampBeforeLatestCheckpoint()"):
        pod.verifyWithdrawalCredentials(old_ts, *args, sender=pod_owner)


# ------------------------------------------------------------------ checkpoints


def test_a_checkpoint_credits_rewards_and_pod_eth(pod, epm, dm, chain, beacon_roots, pod_owner, non_owner):
    i = new_validator(chain, pod, 0)
    restake(pod, beacon_roots, chain, [i], pod_owner)
    chain.set(i, balance_gwei=32 * GWEI + 500_000_000)
    fund(pod.address, ETH // 5 + 7)  # 0.2 ETH and sub-gwei dust (never credited)
    snap = chain.snapshot()
    ts = post(beacon_roots, snap)
    pod.startCheckpoint(True, sender=pod_owner)
    assert events(pod.get_logs(), "CheckpointCreated") == [
        {"checkpointTimestamp": ts, "beaconBlockRoot": snap.block_root, "validatorCount": 1}
    ]
    assert tuple(pod.currentCheckpoint())[:4] == (snap.block_root, 1, 200_000_000, 0)
    pod.verifyCheckpointProofs(snap.balance_container_proof(), [snap.balance_proof(i)], sender=non_owner)
    logs = pod.get_logs()
    assert events(logs, "ValidatorCheckpointed") == [
        {"checkpointTimestamp": ts, "pubkeyHash": pubkey_hash(pubkey_of(0))}
    ]
    assert events(logs, "CheckpointFinalized") == [
        {"checkpointTimestamp": ts, "totalShareDeltaWei": 700_000_000 * GWEI}
    ]
    assert epm.podOwnerDepositShares(pod_owner) == 32 * ETH + 700_000_000 * GWEI
    assert (dm.lastPrevDepositShares(), dm.lastAddedShares()) == (32 * ETH, 700_000_000 * GWEI)
    assert pod.withdrawableRestakedExecutionLayerGwei() == 200_000_000
    assert (pod.lastCheckpointTimestamp(), pod.currentCheckpointTimestamp()) == (ts, 0)
    assert tuple(pod.validatorPubkeyHashToInfo(pubkey_hash(pubkey_of(0)))) == (
        i,
        32 * GWEI + 500_000_000,
        ts,
        ACTIVE,
    )


def test_an_exit_withdraws_the_validator_and_keeps_the_shares(pod, epm, chain, beacon_roots, pod_owner):
    i = new_validator(chain, pod, 0)
    restake(pod, beacon_roots, chain, [i], pod_owner)
    chain.set(i, balance_gwei=0)
    fund(pod.address, 32 * ETH)
    ts = checkpoint(pod, beacon_roots, chain, [i], pod_owner)
    logs = pod.get_logs()
    assert events(logs, "ValidatorWithdrawn") == [
        {"checkpointTimestamp": ts, "pubkeyHash": pubkey_hash(pubkey_of(0))}
    ]
    assert events(logs, "CheckpointFinalized")[0]["totalShareDeltaWei"] == 0
    assert pod.validatorStatus(pubkey_hash(pubkey_of(0))) == WITHDRAWN
    assert pod.activeValidatorCount() == 0
    assert pod.checkpointBalanceExitedGwei(ts) == 32 * GWEI
    assert pod.withdrawableRestakedExecutionLayerGwei() == 32 * GWEI
    assert epm.podOwnerDepositShares(pod_owner) == 32 * ETH


def test_a_loss_lowers_the_slashing_factor_not_the_shares(pod, epm, dm, chain, beacon_roots, pod_owner):
    i = new_validator(chain, pod, 0)
    restake(pod, beacon_roots, chain, [i], pod_owner)
    chain.set(i, balance_gwei=31 * GWEI)
    checkpoint(pod, beacon_roots, chain, [i], pod_owner)
    assert epm.podOwnerDepositShares(pod_owner) == 32 * ETH
    assert epm.beaconChainSlashingFactor(pod_owner) == WAD * 31 // 32
    assert (dm.decreases(), dm.lastCurDepositShares(), dm.lastFactorDecrease()) == (
        1,
        32 * ETH,
        WAD - WAD * 31 // 32,
    )


def test_checkpoint_errors(pod, chain, beacon_roots, pod_owner, non_owner):
    with reverts_with_error("OnlyEigenPodOwnerOrProofSubmitter()"):
        pod.startCheckpoint(False, sender=non_owner)
    with reverts_with_error("NoActiveCheckpoint()"):
        pod.verifyCheckpointProofs((b"\x01" * 32, b""), [])
    boa.env.time_travel(seconds=12)
    post_beacon_root(beacon_roots, b"\x05" * 32)
    with reverts_with_error("NoBalanceToCheckpoint()"):
        pod.startCheckpoint(True, sender=pod_owner)
    i = new_validator(chain, pod, 0)
    restake(pod, beacon_roots, chain, [i], pod_owner)
    snap = chain.snapshot()
    post(beacon_roots, snap)
    pod.startCheckpoint(False, sender=pod_owner)
    with reverts_with_error("CheckpointAlreadyActive()"):
        pod.startCheckpoint(False, sender=pod_owner)
    with reverts_with_error("InvalidProofLength()"):
        pod.verifyCheckpointProofs((snap.balance_container_proof()[0], b"\x00" * 256), [])
    with reverts_with_error("InvalidProof()"):
        pod.verifyCheckpointProofs((b"\x09" * 32, snap.balance_container_proof()[1]), [])
    bad = snap.balance_proof(i)
    with reverts_with_error("InvalidProof()"):
        pod.verifyCheckpointProofs(snap.balance_container_proof(), [(bad[0], b"\x01" + bad[1][1:], bad[2])])
    # unknown validators are skipped silently
    pod.verifyCheckpointProofs(snap.balance_container_proof(), [(b"\x07" * 32, bad[1], bad[2])])
    assert pod.currentCheckpoint()[1] == 1
    pod.verifyCheckpointProofs(snap.balance_container_proof(), [snap.balance_proof(i)])
    # finalised in this block: no second checkpoint before the next one
    with reverts_with_error("CannotCheckpointTwiceInSingleBlock()"):
        pod.startCheckpoint(False, sender=pod_owner)


def test_verify_stale_balance_starts_a_checkpoint_for_a_slashed_validator(
    pod, chain, beacon_roots, pod_owner, non_owner
):
    i = new_validator(chain, pod, 0)
    j = new_validator(chain, pod, 1)
    restake(pod, beacon_roots, chain, [i], pod_owner)
    chain.set(i, slashed=True)
    chain.set(j, slashed=True)
    snap = chain.snapshot()
    ts = post(beacon_roots, snap)
    with reverts_with_error("ValidatorNotActiveInPod()"):
        pod.verifyStaleBalance(ts, snap.state_root_proof(), (snap.fields(j), snap.validator_proof(j)))
    with reverts_with_error("BeaconTimestampTooFarInPast()"):
        pod.verifyStaleBalance(0, snap.state_root_proof(), (snap.fields(i), snap.validator_proof(i)))
    with reverts_with_error("InvalidProof()"):  # the stored index is the one proven
        pod.verifyStaleBalance(ts, snap.state_root_proof(), (snap.fields(i), snap.validator_proof(j)))
    pod.verifyStaleBalance(
        ts, snap.state_root_proof(), (snap.fields(i), snap.validator_proof(i)), sender=non_owner
    )
    assert pod.currentCheckpointTimestamp() == ts
    with reverts_with_error("CheckpointAlreadyActive()"):
        pod.verifyStaleBalance(ts, snap.state_root_proof(), (snap.fields(i), snap.validator_proof(i)))
    chain.set(i, slashed=False)
    snap = chain.snapshot()
    with reverts_with_error("ValidatorNotSlashedOnBeaconChain()"):
        pod.verifyStaleBalance(ts, snap.state_root_proof(), (snap.fields(i), snap.validator_proof(i)))


# ------------------------------------------------------------------ EIP-7002 requests and withdrawals


def test_request_withdrawal_pays_the_fee_and_refunds_the_rest(
    pod, chain, beacon_roots, withdrawal_requests, pod_owner
):
    i = new_validator(chain, pod, 0)
    restake(pod, beacon_roots, chain, [i], pod_owner)
    fee = withdrawal_request_fee(withdrawal_requests)
    assert pod.getWithdrawalRequestFee() == fee
    before = boa.env.get_balance(pod_owner)
    requests = [(pubkey_of(0), 0), (pubkey_of(0), 5 * GWEI)]
    pod.requestWithdrawal(requests, value=2 * fee + 10**15, sender=pod_owner)
    assert boa.env.get_balance(pod_owner) == before - 2 * fee
    logs = pod.get_logs()
    assert events(logs, "ExitRequested") == [{"validatorPubkeyHash": pubkey_hash(pubkey_of(0))}]
    assert events(logs, "WithdrawalRequested") == [
        {"validatorPubkeyHash": pubkey_hash(pubkey_of(0)), "withdrawalAmountGwei": 5 * GWEI}
    ]
    assert dequeue_withdrawal_requests(withdrawal_requests) == [
        (pod.address, pubkey_of(0), 0),
        (pod.address, pubkey_of(0), 5 * GWEI),
    ]
    with reverts_with_error("InsufficientFunds()"):
        pod.requestWithdrawal(requests, value=2 * fee - 1, sender=pod_owner)
    with reverts_with_error("ValidatorNotActiveInPod()"):
        pod.requestWithdrawal([(pubkey_of(5), 0)], value=fee, sender=pod_owner)
    with reverts_with_error("InvalidPubKeyLength()"):
        pod.requestWithdrawal([(pubkey_of(0)[:47], 0)], value=fee, sender=pod_owner)


def test_withdraw_restaked_eth_is_the_managers_and_floors_to_gwei(pod, dm, chain, beacon_roots, pod_owner):
    i = new_validator(chain, pod, 0)
    restake(pod, beacon_roots, chain, [i], pod_owner)
    fund(pod.address, 2 * ETH)
    checkpoint(pod, beacon_roots, chain, [i], pod_owner)
    with reverts_with_error("OnlyEigenPodManager()"):
        pod.withdrawRestakedBeaconChainETH(pod_owner, ETH, sender=pod_owner)
    before = boa.env.get_balance(pod_owner)
    dm.withdrawSharesAsTokens(pod_owner, BEACON_ETH, ETH + GWEI - 1)
    assert boa.env.get_balance(pod_owner) == before + ETH
    assert pod.withdrawableRestakedExecutionLayerGwei() == GWEI
    with reverts_with_error("InsufficientWithdrawableBalance()"):
        dm.withdrawSharesAsTokens(pod_owner, BEACON_ETH, ETH + GWEI)


# ------------------------------------------------------------------ pause flags and fork choice


@pytest.mark.parametrize("flag", [2, 6, 7, 8, 10])
def test_pause_flags_of_the_manager_stop_the_pod(pod, epm, deployer, chain, beacon_roots, pod_owner, flag):
    i = new_validator(chain, pod, 0)
    snap = chain.snapshot()
    ts = post(beacon_roots, snap)
    epm.pause(1 << flag, sender=deployer)
    calls = {
        2: lambda: pod.verifyWithdrawalCredentials(
            ts, snap.state_root_proof(), [i], [snap.validator_proof(i)], [snap.fields(i)], sender=pod_owner
        ),
        6: lambda: pod.startCheckpoint(False, sender=pod_owner),
        7: lambda: pod.verifyCheckpointProofs(snap.balance_container_proof(), []),
        8: lambda: pod.verifyStaleBalance(
            ts, snap.state_root_proof(), (snap.fields(i), snap.validator_proof(i))
        ),
        10: lambda: pod.requestWithdrawal([], sender=pod_owner),
    }
    with reverts_with_error("CurrentlyPaused()"):
        calls[flag]()


def test_the_proof_version_follows_the_fork_timestamp(pod, epm, deployer, beacon_roots, pod_owner):
    deneb = Chain(DENEB)
    i = deneb.add(pubkey_of(0), credentials(1, pod.address))
    snap = deneb.snapshot()
    ts = post(beacon_roots, snap)
    args = (snap.state_root_proof(), [i], [snap.validator_proof(i)], [snap.fields(i)])
    with reverts_with_error("InvalidProofLength()"):  # t > pectraForkTimestamp: Pectra layout
        pod.verifyWithdrawalCredentials(ts, *args, sender=pod_owner)
    epm.setPectraForkTimestamp(0, sender=deployer)
    with reverts_with_error("ForkTimestampZero()"):
        pod.verifyWithdrawalCredentials(ts, *args, sender=pod_owner)
    epm.setPectraForkTimestamp(ts, sender=deployer)  # t <= fork: Deneb
    pod.verifyWithdrawalCredentials(ts, *args, sender=pod_owner)
    assert pod.activeValidatorCount() == 1
    pectra = Chain(PECTRA)
    j = pectra.add(pubkey_of(1), credentials(1, pod.address))
    snap = pectra.snapshot()
    ts2 = post(beacon_roots, snap)
    epm.setPectraForkTimestamp(ts2, sender=deployer)
    with reverts_with_error("InvalidProofLength()"):
        pod.verifyWithdrawalCredentials(
            ts2, snap.state_root_proof(), [j], [snap.validator_proof(j)], [snap.fields(j)], sender=pod_owner
        )


# ------------------------------------------------------------------ accounting property


@settings(max_examples=12, deadline=None)
@given(
    olds=st.lists(st.integers(16 * GWEI, 40 * GWEI), min_size=1, max_size=3),
    news=st.lists(st.integers(0, 40 * GWEI), min_size=3, max_size=3),
    pod_gain=st.integers(0, 5 * ETH),
)
def test_a_checkpoints_delta_is_pod_gain_plus_balance_changes(
    pod, epm, beacon_roots, pod_owner, olds, news, pod_gain
):
    chain = Chain(PECTRA)
    indices = [
        new_validator(chain, pod, n, effective_gwei=32 * GWEI, balance_gwei=b) for n, b in enumerate(olds)
    ]
    restake(pod, beacon_roots, chain, indices, pod_owner)
    # the first checkpoint sets each validator's proven balance to its current one
    checkpoint(pod, beacon_roots, chain, indices, pod_owner)
    for i in indices:
        chain.set(i, balance_gwei=news[i])
    fund(pod.address, pod_gain)
    shares = epm.podOwnerDepositShares(pod_owner)
    checkpoint(pod, beacon_roots, chain, indices, pod_owner)
    delta = events(pod.get_logs(), "CheckpointFinalized")[0]["totalShareDeltaWei"]
    expected = pod_gain // GWEI * GWEI + sum(news[i] - olds[i] for i in indices) * GWEI
    assert delta == expected
    assert epm.podOwnerDepositShares(pod_owner) == shares + max(delta, 0)
    assert pod.activeValidatorCount() == sum(1 for i in indices if news[i] > 0)


REFUSER = """# pragma version ~=0.4.3
interface EPM:
    def createPod() -> address: nonpayable
interface Pod:
    def setProofSubmitter(a: address): nonpayable
@external
def setup(epm: address, submitter: address) -> address:
    pod: address = extcall EPM(epm).createPod()
    extcall Pod(pod).setProofSubmitter(submitter)
    return pod
"""


def test_a_pod_owner_that_refuses_eth_makes_the_withdrawal_revert(
    epm, dm, chain, beacon_roots, proof_submitter
):
    refuser = boa.loads(REFUSER)  # no payable default: it refuses ETH
    pod = pod_at(refuser.setup(epm, proof_submitter))
    i = new_validator(chain, pod, 0)
    restake(pod, beacon_roots, chain, [i], proof_submitter)
    fund(pod.address, 2 * ETH)
    checkpoint(pod, beacon_roots, chain, [i], proof_submitter)
    with boa.reverts("Address: unable to send value, recipient may have reverted"):
        dm.withdrawSharesAsTokens(refuser.address, BEACON_ETH, ETH)
    assert pod.withdrawableRestakedExecutionLayerGwei() == 2 * GWEI
