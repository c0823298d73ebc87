"""The consensus-layer model (deploy/sim/model.py): its SSZ roots and proofs against the consensus-spec
definitions computed independently with sha256, and its beacon-chain rules (deposits, front-run, activation,
exits, withdrawals, rewards)."""

from __future__ import annotations

from hashlib import sha256
from pathlib import Path

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy import keys
from deploy.sim.model import (
    FAR_FUTURE_EPOCH,
    MAX_SEED_LOOKAHEAD,
    SECONDS_PER_EPOCH,
    SECONDS_PER_YEAR,
    BeaconBlockHeader,
    BeaconChain,
    BeaconState,
    read_beacon_root,
    request_withdrawal,
    state_tree_depth,
)
from tests.beacon.conftest import ETH, deposit_data, deposit_direct, funded
from tests.beacon.proofs import branch_root, is_valid, merkleize, with_changed_byte

GWEI = 10**9


HARNESS = Path(__file__).parent / "ProofHarness.vy"
ELECTRA = 1  # beacon_proofs.LAYOUT_ELECTRA: the model's states


@pytest.fixture(scope="module")
def harness():
    """contracts/lib/beacon_proofs.vy's verifier, the one the protocol's own proof checks use."""
    return boa.load(str(HARNESS))


def sha(data: bytes) -> bytes:
    return sha256(data).digest()


def chunk_uint64(x: int) -> bytes:
    return x.to_bytes(8, "little") + bytes(24)


def spec_validator_chunks(v) -> list[bytes]:
    """The 8 field roots of a Validator, from the consensus specs' definitions."""
    return [
        sha(v.pubkey + bytes(16)),  # Bytes48: two chunks merkleized
        v.withdrawal_credentials,
        chunk_uint64(v.effective_balance),
        bytes(32),  # slashed = False
        chunk_uint64(v.activation_eligibility_epoch),
        chunk_uint64(v.activation_epoch),
        chunk_uint64(v.exit_epoch),
        chunk_uint64(v.withdrawable_epoch),
    ]


def zero_hashes(depth: int) -> list[bytes]:
    z = [bytes(32)]
    for _ in range(depth):
        z.append(sha(z[-1] + z[-1]))
    return z


def spec_list_root(leaves: list[bytes], depth: int) -> bytes:
    """`hash_tree_root` of a List of composite items with limit 2**depth: merkleize + length mix-in."""
    zeros = zero_hashes(depth)
    layer = list(leaves)
    for level in range(depth):
        if len(layer) % 2:
            layer.append(zeros[level])
        layer = [sha(layer[i] + layer[i + 1]) for i in range(0, len(layer), 2)] or [zeros[level + 1]]
    return sha(layer[0] + chunk_uint64(len(leaves)))


def pod_credentials(address: str) -> bytes:
    return keys.eigen_pod_withdrawal_credentials(address)


def run_epochs(chain, epochs: int) -> int:
    boa.env.time_travel(seconds=epochs * SECONDS_PER_EPOCH)
    return chain.process()


def test_state_layout_is_electra():
    assert len(BeaconState.fields()) == 37
    assert state_tree_depth(BeaconState) == 6  # 64 leaves: proofs of 40 + 1 + 6 = 47 nodes
    assert list(BeaconState.fields())[11] == "validators"
    assert list(BeaconBlockHeader.fields())[3] == "state_root"


def test_roots_and_proofs_match_the_specs(suite, chain, staker, non_owner, harness):
    pubkeys = [
        deposit_direct(suite, staker, pod_credentials(staker), seed=f"model{i}", eth=32) for i in range(3)
    ]
    boa.env.time_travel(seconds=12)
    ts = chain.process()
    block_root = read_beacon_root(suite.beacon_roots, ts)
    assert block_root == chain.last_block_root
    # the block header root, merkleized by hand (5 fields -> 8 chunks)
    header = chain.header
    header_chunks = [
        chunk_uint64(int(header.slot)),
        chunk_uint64(int(header.proposer_index)),
        bytes(header.parent_root),
        bytes(header.state_root),
        bytes(header.body_root),
    ] + [bytes(32)] * 3
    assert merkleize(header_chunks) == block_root
    # the validators list root, from the spec definitions (limit 2**40, length mix-in)
    roots = [merkleize(spec_validator_chunks(chain.validator(pk))) for pk in pubkeys]
    assert spec_list_root(roots, 40) == bytes(chain.state.validators.hash_tree_root())
    for i, pk in enumerate(pubkeys):
        proof = chain.validator_proof(pk)
        state_root, state_branch, index, fields, branch = proof
        assert index == i and len(branch) == 47 and len(state_branch) == 3
        assert fields == spec_validator_chunks(chain.validator(pk))
        assert merkleize(fields) == bytes(chain.state.validators[i].hash_tree_root())
        assert int.from_bytes(branch[40][:8], "little") == 3  # the length mix-in
        # the branch leads from the validator to the validators list root, then to the state root
        assert branch_root(state_root, state_branch, 3) == block_root
        assert is_valid(block_root, proof)
        assert harness.verify(block_root, proof, ELECTRA)


def test_list_subtree_of_the_proof(suite, chain, staker):
    pk = deposit_direct(suite, staker, pod_credentials(staker), seed="model0", eth=32)
    boa.env.time_travel(seconds=12)
    chain.process()
    _, _, index, fields, branch = chain.validator_proof(pk)
    # 40 data levels + the length mix-in lead to the validators list root (field 11 of the state)
    list_root = branch_root(merkleize(fields), branch[:41], index)
    assert list_root == bytes(chain.state.validators.hash_tree_root())
    field_roots = [bytes(getattr(chain.state, name).hash_tree_root()) for name in BeaconState.fields()]
    assert field_roots[11] == list_root
    assert merkleize(field_roots + [bytes(32)] * (64 - 37)) == bytes(chain.state.hash_tree_root())
    assert branch_root(list_root, branch[41:], 11) == bytes(chain.state.hash_tree_root())


def test_fork_version(suite):
    assert BeaconChain(suite).fork_version == bytes.fromhex("01017000")
    assert BeaconChain(suite, fork_version=bytes.fromhex("10000910")).fork_version.hex() == "10000910"


def test_first_deposit_with_invalid_signature_is_ignored(suite, chain, staker):
    credentials = pod_credentials(staker)
    pubkey, signature, _ = deposit_data(credentials, "badsig", 32 * GWEI)
    other_pubkey, other_signature, _ = deposit_data(credentials, "other", 32 * GWEI)
    root = keys.deposit_data_root(pubkey, credentials, 32 * GWEI, other_signature)
    with boa.env.prank(staker):  # the deposit contract does not check signatures
        suite.deposit_contract.deposit(pubkey, credentials, other_signature, root, value=32 * ETH)
    boa.env.time_travel(seconds=12)
    chain.process()
    assert not chain.has_validator(pubkey)
    assert [d.pubkey for d in chain.ignored_deposits] == [pubkey]
    # a later valid deposit for that key creates the validator (the first 32 ETH stay lost)
    deposit_direct(suite, staker, credentials, seed="badsig", eth=32)
    boa.env.time_travel(seconds=12)
    chain.process()
    assert chain.validator(pubkey).balance == 32 * GWEI


def test_deposit_signed_for_another_fork_is_ignored(suite, staker):
    chain = BeaconChain(suite, fork_version=bytes.fromhex("00000000"))  # mainnet domain
    pubkey = deposit_direct(suite, staker, pod_credentials(staker), seed="holesky", eth=32)
    boa.env.time_travel(seconds=12)
    chain.process()
    assert not chain.has_validator(pubkey)


def test_front_run_keeps_the_first_credentials(suite, chain, staker, non_owner):
    """The attack of issue 9: the key holders deposit 1 ETH with their own credentials first."""
    attacker_credentials = pod_credentials(non_owner)
    staker_credentials = pod_credentials(staker)
    pubkey = deposit_direct(suite, non_owner, attacker_credentials, seed="dv", eth=1)
    same = deposit_direct(suite, staker, staker_credentials, seed="dv", eth=1)
    assert same == pubkey
    boa.env.time_travel(seconds=12)
    chain.process()
    v = chain.validator(pubkey)
    assert v.withdrawal_credentials == attacker_credentials
    assert v.balance == 2 * GWEI  # the staker's deposit is a top-up of the attacker's validator
    assert len(chain.validators) == 1
    proof = chain.validator_proof(pubkey)
    assert proof[3][1] == attacker_credentials


def test_activation_timeline(suite, chain, staker):
    pubkey = deposit_direct(suite, staker, pod_credentials(staker), seed="model0", eth=32)
    boa.env.time_travel(seconds=12)
    chain.process()
    v = chain.validator(pubkey)
    e = chain.epoch
    assert v.activation_eligibility_epoch == e + 1 and v.activation_epoch == FAR_FUTURE_EPOCH
    run_epochs(chain, 3)
    assert v.activation_epoch == e + 1 + 2 + 1 + MAX_SEED_LOOKAHEAD
    assert not v.is_active(chain.epoch)
    run_epochs(chain, 10)
    assert v.is_active(chain.epoch)


def test_pre_deposit_is_not_activated_until_topped_up(suite, chain, staker):
    pubkey = deposit_direct(suite, staker, pod_credentials(staker), seed="model0", eth=1)
    run_epochs(chain, 20)
    v = chain.validator(pubkey)
    assert v.effective_balance == 1 * GWEI and v.activation_eligibility_epoch == FAR_FUTURE_EPOCH
    deposit_direct(suite, staker, pod_credentials(staker), seed="model0", eth=31)
    boa.env.time_travel(seconds=12)
    chain.process()
    assert v.effective_balance == 32 * GWEI and v.activation_eligibility_epoch == chain.epoch + 1


def test_rewards_and_excess_paid_to_a_contract_without_running_its_code(suite, chain, staker):
    # BeaconRoots rejects ETH sent to it: a beacon-chain withdrawal still credits it
    target = suite.beacon_roots.address
    pubkey = deposit_direct(suite, staker, pod_credentials(target), seed="model1", eth=32)
    run_epochs(chain, 1)
    run_epochs(chain, 10)
    v = chain.validator(pubkey)
    assert v.is_active(chain.epoch)
    before = boa.env.get_balance(target)
    epochs = 1000
    start = chain.epoch
    run_epochs(chain, epochs)
    expected = 32 * GWEI * 300 * (chain.epoch - start) * SECONDS_PER_EPOCH // (10_000 * SECONDS_PER_YEAR)
    assert v.balance == 32 * GWEI  # the excess was swept
    assert boa.env.get_balance(target) - before == expected * GWEI > 0
    assert chain.paid[-1] == (target, expected * GWEI)


def test_penalty_counted_and_effective_balance_follows(suite, chain, staker):
    """`penalize` takes from an active validator's balance (the ETH leaves the chain); the books add up:
    deposits + rewarded - penalized = balance + withdrawn; the effective balance follows at the next block
    (hysteresis), and the sweep stops below 32 ETH effective."""
    pubkey = deposit_direct(suite, staker, pod_credentials(staker), seed="model1", eth=32)
    run_epochs(chain, 1)
    v = chain.validator(pubkey)
    with pytest.raises(ValueError, match="active validator"):
        chain.penalize(pubkey, 1)  # not active yet
    run_epochs(chain, 10)
    run_epochs(chain, 10)
    assert v.is_active(chain.epoch) and v.rewarded > 0 and v.penalized == 0
    with pytest.raises(ValueError, match="up to its balance"):
        chain.penalize(pubkey, v.balance + 1)
    chain.penalize(pubkey, GWEI // 10)  # less than the 0.25 ETH downward threshold
    chain.penalize(pubkey, GWEI // 5)
    assert v.penalized == 3 * GWEI // 10
    run_epochs(chain, 1)
    assert v.effective_balance == 31 * GWEI  # 31.7 ETH and change: below 32 - 0.25
    paid = len(chain.paid)
    run_epochs(chain, 100)
    assert len(chain.paid) == paid  # nothing swept below 32 ETH effective
    assert 32 * GWEI + v.rewarded - v.penalized == v.balance + v.withdrawn


def test_exit_request_from_another_source_is_ignored(suite, chain, staker, non_owner):
    pubkey = deposit_direct(suite, staker, pod_credentials(staker), seed="model2", eth=32)
    run_epochs(chain, 1)
    run_epochs(chain, 10)
    run_epochs(chain, 256)
    request_withdrawal(suite.withdrawal_requests, pubkey, 0, sender=non_owner)
    boa.env.time_travel(seconds=12)
    chain.process()
    assert chain.processed_requests[-1][1] == pubkey
    assert chain.validator(pubkey).exit_epoch == FAR_FUTURE_EPOCH
    # from the credentials' address it is honoured
    request_withdrawal(suite.withdrawal_requests, pubkey, 0, sender=staker)
    boa.env.time_travel(seconds=12)
    chain.process()
    v = chain.validator(pubkey)
    assert v.exit_epoch == chain.epoch + 1 + MAX_SEED_LOOKAHEAD
    assert v.withdrawable_epoch == v.exit_epoch + 256
    before, withdrawn = boa.env.get_balance(staker), v.withdrawn
    run_epochs(chain, 5 + 256)
    assert v.balance == 0 and boa.env.get_balance(staker) - before == (v.withdrawn - withdrawn) * GWEI


def test_partial_withdrawal_request_is_ignored(suite, chain, staker):
    # amount > 0 needs 0x02 (compounding) credentials; these are 0x01
    pubkey = deposit_direct(suite, staker, pod_credentials(staker), seed="model2", eth=32)
    run_epochs(chain, 1)
    run_epochs(chain, 10)
    run_epochs(chain, 256)
    request_withdrawal(suite.withdrawal_requests, pubkey, GWEI, sender=staker)
    boa.env.time_travel(seconds=12)
    chain.process()
    assert chain.processed_requests[-1] == (staker, pubkey, GWEI)
    assert chain.validator(pubkey).exit_epoch == FAR_FUTURE_EPOCH


def test_at_most_16_requests_per_block(suite, chain, staker):
    for i in range(20):
        request_withdrawal(suite.withdrawal_requests, bytes([i]) * 48, 0, sender=staker)
    boa.env.time_travel(seconds=12)
    chain.process()
    assert len(chain.processed_requests) == 16
    boa.env.time_travel(seconds=12)
    chain.process()
    assert len(chain.processed_requests) == 20


def test_model_needs_to_see_the_deposits(suite, staker):
    deposit_direct(suite, staker, pod_credentials(staker), seed="model0", eth=32)
    chain = BeaconChain(suite)
    chain.process()  # the deposit above was recorded: the hook is process-wide once installed
    assert len(chain.validators) == 1


def test_proof_requires_a_posted_block(suite, staker):
    chain = BeaconChain(suite)
    with pytest.raises(RuntimeError):
        chain.validator_proof(bytes(48))


@pytest.fixture(scope="module")
def model_proof(suite):
    """(block root, proof) of the second of three validators, made in an anchor (the proof is pure data)."""
    owner = funded("model_owner")
    with boa.env.anchor():
        chain = BeaconChain(suite)
        pubkeys = [
            deposit_direct(suite, owner, pod_credentials(owner), seed=f"model{i}", eth=32) for i in range(3)
        ]
        boa.env.time_travel(seconds=12)
        chain.process()
        return chain.last_block_root, chain.validator_proof(pubkeys[1])


def test_model_proof_accepted_and_wrong_index_or_length_rejected(harness, model_proof):
    block_root, proof = model_proof
    assert harness.verify(block_root, proof, ELECTRA)
    for index in (0, 2, 3, 1 + 2**20, 2**40 + 1):
        assert not harness.verify(block_root, (proof[0], proof[1], index, proof[3], proof[4]), ELECTRA)
    for branch in (proof[4][:46], proof[4][1:], proof[4][:45]):
        assert not harness.verify(block_root, (*proof[:4], branch), ELECTRA)
    # a 48th node is another layout's length (the schedule says Electra): refused
    assert not harness.verify(block_root, (*proof[:4], proof[4] + [bytes(32)]), ELECTRA)
    with boa.reverts():  # more than the longest layout's 70 nodes does not even decode
        harness.verify(block_root, (*proof[:4], proof[4] + [bytes(32)] * 24), ELECTRA)


@settings(max_examples=40, deadline=None)
@given(
    part=st.sampled_from([0, 1, 3, 4]),
    item=st.integers(0, 46),
    byte=st.integers(0, 31),
    bit=st.integers(0, 7),
)
def test_model_proof_any_changed_bit_rejected(harness, model_proof, part, item, byte, bit):
    block_root, proof = model_proof
    changed = with_changed_byte(proof, part, item, byte, bit)
    assert not is_valid(block_root, changed)
    assert not harness.verify(block_root, changed, ELECTRA)


def test_real_holesky_deposit_enters_the_model(suite, staker):
    """The real Obol deposit-data file (fork 01017000): a valid first deposit on Holesky, not on mainnet."""
    import json

    from tests.beacon.conftest import DATA

    d = json.loads((DATA / "deposit-data-holesky.json").read_text())[0]
    pubkey, credentials = bytes.fromhex(d["pubkey"]), bytes.fromhex(d["withdrawal_credentials"])
    holesky, mainnet = BeaconChain(suite), BeaconChain(suite, fork_version=bytes.fromhex("00000000"))
    with boa.env.prank(staker):
        suite.deposit_contract.deposit(
            pubkey,
            credentials,
            bytes.fromhex(d["signature"]),
            bytes.fromhex(d["deposit_data_root"]),
            value=d["amount"] * GWEI,
        )
    boa.env.time_travel(seconds=12)
    holesky.process()
    mainnet.process()
    v = holesky.validator(pubkey)
    assert v.withdrawal_credentials == credentials and v.effective_balance == 32 * GWEI
    assert not mainnet.has_validator(pubkey) and mainnet.ignored_deposits[0].pubkey == pubkey
    assert is_valid(holesky.last_block_root, holesky.validator_proof(pubkey))
