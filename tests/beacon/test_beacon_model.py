"""The beacon chain of the protocol's tests (deploy/sim/beacon.py, Fulu on the executable consensus specs)
seen from the EVM: its SSZ roots and proofs against the consensus-spec definitions computed independently
with sha256, and the rules the protocol relies on (a first deposit's signature, the front-run, the 1 ETH
pre-deposit waiting for its top-up, activation after finality, the sweep paying a contract without running
its code, the deposit domain's fork version). The chain's equality with the spec's own `process_slots` is
tests/beacon/test_spec_conformance.py's."""

from __future__ import annotations

from hashlib import sha256
from pathlib import Path

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy import keys
from deploy.sim.beacon import FAR_FUTURE_EPOCH, SpecBeaconChain, spec
from deploy.sim.system_calls import read_beacon_root
from tests.beacon.conftest import ETH, deposit_data, deposit_direct
from tests.beacon.proofs import branch_root, is_valid, merkleize, with_changed_byte
from tests.utils.spec_chain import is_active, next_blocks, run_epochs, wait_for

GWEI = 10**9
MAX_SEED_LOOKAHEAD = int(spec.MAX_SEED_LOOKAHEAD)
HARNESS = Path(__file__).parent / "ProofHarness.vy"
ELECTRA = 1  # beacon_proofs.LAYOUT_ELECTRA: Fulu keeps Electra's 64-leaf state tree


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
        chunk_uint64(int(v.slashed)),  # boolean: one byte
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


def test_roots_and_proofs_match_the_specs(suite, chain, staker, harness):
    """Three deposits enter the registry after the network's own validators; the header, the validators
    list, each validator's fields and its 47-node branch match the spec's definitions computed by hand, and
    the protocol's verifier accepts each proof against the root EIP-4788 holds."""
    pubkeys = [
        deposit_direct(suite, staker, pod_credentials(staker), seed=f"model{i}", eth=32) for i in range(3)
    ]
    ts = wait_for(chain, lambda: all(map(chain.has_validator, pubkeys)), "three deposits", epochs=16)
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
    registry = chain.validators
    count = len(registry)
    assert count == len(chain.network_pubkeys) + 3
    roots = [merkleize(spec_validator_chunks(v)) for v in registry]
    list_root = bytes(chain.state.validators.hash_tree_root())
    assert spec_list_root(roots, 40) == list_root
    # the state's 38 field roots (Fulu), padded to 64 leaves, give the state root
    field_roots = [bytes(getattr(chain.state, name).hash_tree_root()) for name in spec.BeaconState.fields()]
    assert len(field_roots) == 38 and field_roots[11] == list_root
    assert merkleize(field_roots + [bytes(32)] * (64 - 38)) == bytes(chain.state.hash_tree_root())
    for pk in pubkeys:
        proof = chain.validator_proof(pk)
        state_root, state_branch, index, fields, branch = proof
        assert index == chain.index_of[pk] >= len(chain.network_pubkeys)
        assert len(branch) == 47 and len(state_branch) == 3
        assert fields == spec_validator_chunks(chain.validator(pk))
        assert merkleize(fields) == bytes(chain.state.validators[index].hash_tree_root())
        assert int.from_bytes(branch[40][:8], "little") == count  # the length mix-in
        # 40 data levels + the length mix-in lead to the validators list root (field 11 of the state),
        # then 6 levels to the state root, then 3 to the block root
        assert branch_root(merkleize(fields), branch[:41], index) == list_root
        assert branch_root(list_root, branch[41:], 11) == state_root == bytes(header.state_root)
        assert branch_root(state_root, state_branch, 3) == block_root
        assert is_valid(block_root, proof)
        assert harness.verify(block_root, proof, ELECTRA)


def test_fork_version(suite):
    assert SpecBeaconChain(suite).fork_version == bytes.fromhex("01017000")  # Holesky by default
    assert SpecBeaconChain(suite, fork_version=bytes.fromhex("10000910")).fork_version.hex() == "10000910"


def test_first_deposit_with_invalid_signature_is_dropped(suite, chain, staker):
    """The spec drops a first deposit whose signature is invalid (its ETH is lost); a later valid deposit
    for that key creates the validator with its own amount only."""
    credentials = pod_credentials(staker)
    pubkey, signature, _ = deposit_data(credentials, "badsig", 32 * GWEI)
    other_pubkey, other_signature, _ = deposit_data(credentials, "other", 32 * GWEI)
    root = keys.deposit_data_root(pubkey, credentials, 32 * GWEI, other_signature)
    with boa.env.prank(staker):  # the deposit contract does not check signatures
        suite.deposit_contract.deposit(pubkey, credentials, other_signature, root, value=32 * ETH)
    wait_for(chain, lambda: bool(chain.ignored_deposits), "the deposit processed", epochs=16)
    assert not chain.has_validator(pubkey) and not chain.pending_deposits(pubkey)
    assert [bytes(d.pubkey) for d in chain.ignored_deposits] == [pubkey]
    deposit_direct(suite, staker, credentials, seed="badsig", eth=32)
    wait_for(chain, lambda: chain.has_validator(pubkey), "the deposit in the registry", epochs=16)
    assert chain.validator(pubkey).balance == 32 * GWEI
    assert len(chain.ignored_deposits) == 1


def test_front_run_keeps_the_first_credentials(suite, chain, staker, non_owner):
    """The attack of issue 9: the key holders deposit 1 ETH with their own credentials first."""
    attacker_credentials = pod_credentials(non_owner)
    staker_credentials = pod_credentials(staker)
    pubkey = deposit_direct(suite, non_owner, attacker_credentials, seed="dv", eth=1)
    same = deposit_direct(suite, staker, staker_credentials, seed="dv", eth=1)
    assert same == pubkey
    wait_for(
        chain,
        lambda: chain.has_validator(pubkey) and not chain.pending_deposits(pubkey),
        "deposits",
        epochs=16,
    )
    v = chain.validator(pubkey)
    assert v.withdrawal_credentials == attacker_credentials
    assert v.balance == 2 * GWEI  # the staker's deposit is a top-up of the attacker's validator
    assert len(chain.validators) == len(chain.network_pubkeys) + 1
    proof = chain.validator_proof(pubkey)
    assert proof[3][1] == attacker_credentials


def test_pre_deposit_waits_for_its_top_up_and_activation_for_finality(suite, chain, staker):
    """1 ETH makes a validator that is never eligible; the 31 ETH top-up makes it eligible, and it is
    activated only once that eligibility is finalized, MAX_SEED_LOOKAHEAD epochs on."""
    credentials = pod_credentials(staker)
    pubkey = deposit_direct(suite, staker, credentials, seed="model0", eth=1)
    wait_for(chain, lambda: chain.has_validator(pubkey), "the deposit in the registry", epochs=16)
    run_epochs(chain, 3)
    v = chain.validator(pubkey)
    assert (v.balance, v.effective_balance) == (1 * GWEI, 1 * GWEI)
    assert v.activation_eligibility_epoch == FAR_FUTURE_EPOCH
    deposit_direct(suite, staker, credentials, seed="model0", eth=31)
    wait_for(chain, lambda: v.activation_eligibility_epoch != FAR_FUTURE_EPOCH, "eligibility", epochs=16)
    assert v.effective_balance == 32 * GWEI
    eligible = v.activation_eligibility_epoch
    wait_for(chain, lambda: v.activation_epoch != FAR_FUTURE_EPOCH, "an activation epoch", epochs=16)
    assert int(chain.state.finalized_checkpoint.epoch) >= eligible  # the eligibility is final
    # finalized at the end of the next epoch at best, then `compute_activation_exit_epoch` of that epoch
    assert v.activation_epoch >= eligible + 1 + 1 + MAX_SEED_LOOKAHEAD
    assert not v.is_active(chain.epoch)
    wait_for(chain, lambda: is_active(chain, pubkey), "the validator active", epochs=24)
    assert v.activation_epoch <= chain.epoch


def test_excess_paid_to_a_contract_without_running_its_code(suite, chain, staker):
    """The sweep pays a 0x01 validator's consensus rewards above 32 ETH to its withdrawal address as a plain
    balance increase: BeaconRoots, which rejects ETH sent to it, is credited all the same."""
    target = suite.beacon_roots.address
    pubkey = deposit_direct(suite, staker, pod_credentials(target), seed="model1", eth=32)
    wait_for(chain, lambda: is_active(chain, pubkey), "the validator active", epochs=24)
    v = chain.validator(pubkey)
    before = boa.env.get_balance(target)
    run_epochs(chain, 2)
    paid = [wei for address, wei in chain.paid if address == target]
    assert paid and boa.env.get_balance(target) - before == sum(paid) == v.withdrawn * GWEI
    # the last block came after an epoch's rewards, and swept them: 32 ETH are left
    assert v.balance == v.effective_balance == 32 * GWEI


@pytest.fixture(scope="module")
def spec_proof(suite):
    """(block root, proof) of the network's second validator (index 1 of 4), made in an anchor (the proof is
    pure data)."""
    with boa.env.anchor():
        chain = SpecBeaconChain(suite)
        next_blocks(chain, 1)
        return chain.last_block_root, chain.validator_proof(chain.network_pubkeys[1])


def test_spec_proof_accepted_and_wrong_index_or_length_rejected(harness, spec_proof):
    block_root, proof = spec_proof
    assert harness.verify(block_root, proof, ELECTRA) and proof[2] == 1
    for index in (0, 2, 4, 1 + 2**20, 2**40 + 1):  # 4: the list's length
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
def test_spec_proof_any_changed_bit_rejected(harness, spec_proof, part, item, byte, bit):
    block_root, proof = spec_proof
    changed = with_changed_byte(proof, part, item, byte, bit)
    assert not is_valid(block_root, changed)
    assert not harness.verify(block_root, changed, ELECTRA)


def test_real_holesky_deposit_enters_the_chain(suite, staker):
    """The real Obol deposit-data file (fork 01017000): a valid first deposit on Holesky, not on mainnet
    (two chains, one per deposit domain, see the same deposit)."""
    import json

    from tests.beacon.conftest import DATA

    d = json.loads((DATA / "deposit-data-holesky.json").read_text())[0]
    pubkey, credentials = bytes.fromhex(d["pubkey"]), bytes.fromhex(d["withdrawal_credentials"])
    holesky = SpecBeaconChain(suite)
    mainnet = SpecBeaconChain(suite, fork_version=bytes.fromhex("00000000"))
    with boa.env.prank(staker):
        suite.deposit_contract.deposit(
            pubkey,
            credentials,
            bytes.fromhex(d["signature"]),
            bytes.fromhex(d["deposit_data_root"]),
            value=d["amount"] * GWEI,
        )
    wait_for(holesky, lambda: holesky.has_validator(pubkey), "the deposit in the registry", epochs=16)
    mainnet.process()
    v = holesky.validator(pubkey)
    assert v.withdrawal_credentials == credentials and v.effective_balance == 32 * GWEI
    assert not mainnet.has_validator(pubkey) and not mainnet.pending_deposits(pubkey)
    assert [bytes(d.pubkey) for d in mainnet.ignored_deposits] == [pubkey]
    assert is_valid(holesky.last_block_root, holesky.validator_proof(pubkey))
