"""The consensus-spec model (deploy/sim/beacon.py) inside the protocol: deposits through the churn and
finality, proofs the contracts accept against the parent root posted to EIP-4788, the levers."""

from __future__ import annotations

from pathlib import Path

import boa
import pytest

from deploy import keys
from deploy.constants import c
from deploy.sim import eigen_proofs as ep
from deploy.sim.beacon import (
    FAR_FUTURE_EPOCH,
    SECONDS_PER_EPOCH,
    SHARD_COMMITTEE_PERIOD,
    SpecBeaconChain,
    spec,
)
from deploy.sim.system_calls import read_beacon_root, request_withdrawal
from tests.beacon.conftest import deposit_direct, funded, stake
from tests.utils.spec_chain import long_run, next_block, run_epochs

GWEI = 10**9
WAD = 10**18
ELECTRA = 1  # beacon_proofs.LAYOUT_ELECTRA: Fulu keeps Electra's 64-leaf state tree


@pytest.fixture(scope="module")
def harness():
    """contracts/lib/beacon_proofs.vy's verifier (tests/beacon/ProofHarness.vy), the protocol's own."""
    return boa.load(str(Path(__file__).parent / "ProofHarness.vy"))


def test_deposit_enters_through_the_queue_and_proves(suite, harness):
    owner = funded("spec-owner")
    chain = SpecBeaconChain(suite)
    pubkey = stake(suite, owner, seed="spec0")
    boa.env.time_travel(seconds=24)
    chain.process()
    assert not chain.has_validator(pubkey)
    assert [bytes(d.pubkey) for d in chain.pending_deposits()] == [pubkey]
    run_epochs(chain, 4)
    v = chain.validator(pubkey)
    assert v.balance == 32 * GWEI and v.effective_balance == 32 * GWEI
    proof = chain.validator_proof(pubkey)
    # Fulu's BeaconState has 38 fields (proposer_lookahead is the 38th): 64 leaves, as Electra's 37
    assert len(spec.BeaconState.fields()) == 38 and list(spec.BeaconState.fields())[11] == "validators"
    assert len(proof[4]) == 6 + 1 + 40  # the state's height, the list's length mix-in, the list's height
    assert harness.verify(chain.last_block_root, proof, ELECTRA)
    assert not harness.verify(chain.last_block_root, (*proof[:4], proof[4][:46]), ELECTRA)


def test_posted_root_is_the_parent_blocks_and_proofs_check(suite):
    chain = SpecBeaconChain(suite)
    run_epochs(chain, 2)
    header = chain.header
    assert int(header.slot) < chain.slot  # the block before the current slot: EIP-4788's parent root
    assert read_beacon_root(suite.beacon_roots, chain.last_timestamp) == chain.last_block_root
    assert bytes(spec.hash_tree_root(header)) == chain.last_block_root
    pubkey = chain.network_pubkeys[0]
    state_index = spec.get_generalized_index(spec.BeaconBlockHeader, "state_root")
    balances = spec.get_generalized_index(spec.BeaconState, "balances")
    root, branch = chain.balance_container_proof()
    depth = (balances.bit_length() - 1) + (state_index.bit_length() - 1)
    gindex = (state_index << (balances.bit_length() - 1)) | (balances ^ (1 << (balances.bit_length() - 1)))
    assert spec.is_valid_merkle_branch(root, branch, depth, gindex - (1 << depth), chain.last_block_root)
    _, chunk, branch = chain.balance_proof(pubkey)
    leaf = spec.get_generalized_index(type(chain.state.balances), 0)
    depth = leaf.bit_length() - 1
    assert spec.is_valid_merkle_branch(chunk, branch, depth, leaf - (1 << depth), root)
    assert int.from_bytes(chunk[:8], "little") == chain.validator(pubkey).balance


def test_same_roots_whether_processed_every_epoch_or_once(suite):
    owner = funded("freq-owner")  # one owner, so one pod and one deposit in both runs

    def run(every_epoch: bool) -> tuple:
        with boa.env.anchor():
            chain = SpecBeaconChain(suite)
            stake(suite, owner, seed="freq")
            for epoch in range(6):
                boa.env.time_travel(seconds=SECONDS_PER_EPOCH + 12 * epoch)  # not on epoch boundaries
                if epoch == 1:
                    pod = suite.eigen_pod_manager.getPod(owner)
                    credentials = keys.eigen_pod_withdrawal_credentials(pod)
                    deposit_direct(suite, owner, credentials, seed="freq", eth=1)  # a top-up
                if epoch == 2:
                    chain.take_offline(chain.network_pubkeys[0])
                if every_epoch:
                    chain.process()
            chain.process()
            registry = [(v.pubkey, v.balance, v.effective_balance) for v in chain.validators]
            return chain.last_block_root, bytes(spec.hash_tree_root(chain.state)), registry

    assert run(every_epoch=True) == run(every_epoch=False)


def test_levers_slash_and_offline_through_the_spec(suite):
    chain = SpecBeaconChain(suite)
    network = chain.network_pubkeys
    chain.slash(network[3])
    chain.set_network_online(2)  # half the network's stake stops attesting
    run_epochs(chain, 9)
    slashed = chain.validator(network[3])
    assert slashed.slashed and slashed.exit_epoch < FAR_FUTURE_EPOCH and slashed.balance < 2048 * GWEI
    assert int(chain.state.finalized_checkpoint.epoch) <= 1  # no finality while half is offline
    assert [int(chain.state.previous_epoch_participation[i]) for i in range(4)] == [7, 7, 0, 0]
    # the inactivity leak: past MIN_EPOCHS_TO_INACTIVITY_PENALTY without finality, the offline pay
    assert spec.is_in_inactivity_leak(chain.state)
    scores = [int(chain.state.inactivity_scores[i]) for i in range(3)]
    assert scores[0] == scores[1] == 0 < scores[2]
    assert chain.validator(network[2]).balance < 2048 * GWEI <= chain.validator(network[0]).balance
    chain.set_network_online(3)
    run_epochs(chain, 4)
    assert int(chain.state.finalized_checkpoint.epoch) >= chain.epoch - 3  # finality is back


def test_bad_signature_deposit_is_dropped_by_the_spec(suite):
    chain = SpecBeaconChain(suite, fork_version=bytes.fromhex("00000000"))  # mainnet domain
    assert chain.fork_version.hex() == "00000000"
    pubkey = stake(suite, funded("spec-badsig"), seed="spec-holesky")  # signed for Holesky
    run_epochs(chain, 6)  # finalized, then processed from the queue
    assert not chain.has_validator(pubkey) and not chain.pending_deposits(pubkey)
    assert [bytes(d.pubkey) for d in chain.ignored_deposits] == [pubkey]


def old_enough_to_exit(suite) -> SpecBeaconChain:
    """A chain whose genesis lies SHARD_COMMITTEE_PERIOD + 1 epochs back, processed to now: its network
    validators may exit at once."""
    genesis = boa.env.evm.patch.timestamp - (SHARD_COMMITTEE_PERIOD + 1) * SECONDS_PER_EPOCH
    chain = SpecBeaconChain(suite, genesis_time=genesis)
    chain.process()
    return chain


def request_full_exit(suite, chain, pubkey: bytes) -> str:
    """An EIP-7002 full exit of `pubkey` from its withdrawal address (funded for the fee); the address."""
    address = chain.validator(pubkey).withdrawal_address
    boa.env.set_balance(address, 10**18)
    request_withdrawal(suite.withdrawal_requests, pubkey, 0, sender=address)
    return address


@long_run
def test_exit_request_through_the_evm_and_the_sweep_pays_it(suite):
    """An EIP-7002 full exit from a network validator's withdrawal address, past SHARD_COMMITTEE_PERIOD:
    the spec exits it; once withdrawable, the sweep pays its balance to that address (~30 s of CPU)."""
    chain = old_enough_to_exit(suite)
    pubkey = chain.network_pubkeys[3]
    address = request_full_exit(suite, chain, pubkey)
    run_epochs(chain, 1)
    exiting = chain.validator(pubkey)
    assert exiting.exit_epoch < FAR_FUTURE_EPOCH and chain.processed_requests[-1][1] == pubkey
    before, withdrawn = boa.env.get_balance(address), exiting.withdrawn  # the sweep took excess already
    run_epochs(chain, exiting.withdrawable_epoch - chain.epoch + 1)
    assert exiting.balance == 0 and exiting.withdrawn - withdrawn > 2048 * GWEI
    assert boa.env.get_balance(address) - before == (exiting.withdrawn - withdrawn) * GWEI


def test_a_dropped_exit_request_never_reaches_the_consensus_layer(suite):
    """`drop_withdrawal_requests(pk)`: two network validators past SHARD_COMMITTEE_PERIOD request their exit
    in one block; the chain drops one validator's request (the EVM's end-of-block call dequeues both), so
    only the other exits. The dropped validator's next request is honoured."""
    chain = old_enough_to_exit(suite)
    kept, dropped = chain.network_pubkeys[2:4]
    request_full_exit(suite, chain, kept)
    request_full_exit(suite, chain, dropped)
    assert chain.drop_withdrawal_requests(dropped) == 1
    assert chain.drop_withdrawal_requests(dropped) == 0  # nothing left to drop
    next_block(chain)
    assert [r[1] for r in chain.processed_requests] == [kept, dropped]  # the EVM side saw both
    assert chain.validator(kept).exit_epoch < FAR_FUTURE_EPOCH
    assert chain.validator(dropped).exit_epoch == FAR_FUTURE_EPOCH
    request_full_exit(suite, chain, dropped)
    next_block(chain)
    assert chain.validator(dropped).exit_epoch < FAR_FUTURE_EPOCH


def test_restake_on_the_spec_chain_and_prove_a_slashing(suite, pod_of):
    """The v1.12 EigenPod restakes from a proof of the spec chain once the validator is active (deposit
    finalized, through the churn, eligibility finalized, then MAX_SEED_LOOKAHEAD); a slashing, proven with
    `verifyStaleBalance` and a checkpoint, lowers the beacon-chain slashing factor, not the deposit shares
    (EIGENLAYER.md §4 (e))."""
    owner = funded("spec-restaker")
    epm = suite.eigen_pod_manager
    chain = SpecBeaconChain(suite)
    pubkey = stake(suite, owner, seed="spec-restake")
    for _ in range(20):
        timestamp = run_epochs(chain, 1)
        if chain.has_validator(pubkey) and chain.validator(pubkey).is_active(chain.epoch):
            break
    v = chain.validator(pubkey)
    assert v.is_active(chain.epoch) and v.effective_balance == 32 * GWEI
    pod = pod_of(owner)
    with boa.env.prank(owner):
        pod.verifyWithdrawalCredentials(*chain.credential_proof_args([pubkey], timestamp))
    assert epm.podOwnerDepositShares(owner) == 32 * WAD
    assert epm.beaconChainSlashingFactor(owner) == WAD
    assert pod.validatorPubkeyToInfo(pubkey)[3] == 1  # ACTIVE
    chain.slash(pubkey)
    stale_ts = run_epochs(chain, 1)
    assert v.slashed
    args = chain.stale_balance_args(pubkey, stale_ts)
    assert args[2][0][3] == (1).to_bytes(32, "little")  # the `slashed` field
    assert ep.verify_stale_balance_args(chain.last_block_root, args, chain.index_of[pubkey]) == args[2][0]
    pod_gwei = boa.env.get_balance(pod.address) // GWEI  # the excess the sweep paid the pod, if any
    with boa.env.prank(funded("spec-watcher")):  # permissionless: anyone may prove a slashing
        pod.verifyStaleBalance(*args)
    checkpoint_ts = pod.currentCheckpointTimestamp()
    assert checkpoint_ts == stale_ts  # started in the block whose parent root was posted at `stale_ts`
    pod.verifyCheckpointProofs(*chain.checkpoint_proof_args(checkpoint_ts, [pubkey]))
    assert pod.currentCheckpointTimestamp() == 0 and pod.lastCheckpointTimestamp() == checkpoint_ts
    state, _ = chain.block_at(checkpoint_ts)
    balance = int(state.balances[chain.index_of[pubkey]])
    delta = pod_gwei + balance - 32 * GWEI
    assert delta <= -32 * GWEI // 4096  # at least Electra's initial penalty, net of the rewards
    # the deposit shares stay; the factor falls by the proven loss (OZ mulDiv, floored)
    assert epm.podOwnerDepositShares(owner) == 32 * WAD
    assert epm.beaconChainSlashingFactor(owner) == WAD * (32 * GWEI + delta) // (32 * GWEI) < WAD
    [withdrawable], [deposit] = suite.delegation_manager.getWithdrawableShares(
        owner, [epm.beaconChainETHStrategy()]
    )
    assert deposit == 32 * WAD and withdrawable == (32 * GWEI + delta) * GWEI
    assert pod.validatorPubkeyToInfo(pubkey)[1] == balance  # restakedBalanceGwei: the proven balance


def test_the_contracts_numbers_are_the_specs():
    """The consensus numbers the contracts are compiled with (constants.vy) are the executable specs'."""
    assert c.FAR_FUTURE_EPOCH == FAR_FUTURE_EPOCH == int(spec.FAR_FUTURE_EPOCH)
    assert c.SHARD_COMMITTEE_PERIOD == SHARD_COMMITTEE_PERIOD
    assert c.SECONDS_PER_EPOCH == SECONDS_PER_EPOCH
