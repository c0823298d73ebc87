"""Validator proofs in every fork's layout, chosen by the proven timestamp (issues #15 and #16).

Judged against proofs the project did not make: EigenLayer's real Deneb test data, a real mainnet Electra
validator proof (Rocket Pool's test data, in EigenPod call format), and Gloas proofs cut from the
consensus specs' own `gloas` BeaconState (EIP-7688 progressive containers) by generalized index. Each is
accepted in its fork's layout only, and refused with any byte changed.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import boa
import pytest

from deploy.constants import SOURCE, Constants, c, read_constants
from tests.beacon.proofs import h, with_changed_byte

HARNESS = Path(__file__).parent / "ProofHarness.vy"
VECTORS = Path(__file__).resolve().parents[1] / "data" / "vectors"
PROOFS = Constants(read_constants(SOURCE.parent / "beacon_proofs.vy"))
DENEB, ELECTRA, GLOAS = PROOFS.LAYOUT_DENEB, PROOFS.LAYOUT_ELECTRA, PROOFS.LAYOUT_GLOAS
MAINNET_GENESIS, SECONDS_PER_EPOCH = 1606824023, c.SECONDS_PER_EPOCH
MAINNET_ELECTRA = MAINNET_GENESIS + 364032 * SECONDS_PER_EPOCH  # the consensus specs' mainnet config
NEVER = 2**256 - 1


@pytest.fixture(scope="module")
def harness():
    return boa.load(str(HARNESS))


def le64(chunk: bytes) -> int:
    return int.from_bytes(chunk[:8], "little")


def eigenlayer_vector(path: Path) -> tuple[bytes, tuple]:
    """(block root, ValidatorProof) of an EigenLayer test-data file. The withdrawal files' JSON index is 0
    while their proof is for the validator of their withdrawal (its field 1)."""
    d = json.loads(path.read_text())
    index = le64(h(d["WithdrawalFields"][1])) if "WithdrawalFields" in d else int(d["validatorIndex"])
    branch = d.get("WithdrawalCredentialProof") or d["ValidatorProof"]
    proof = (
        h(d["beaconStateRoot"]),
        [h(x) for x in d["StateRootAgainstLatestBlockHeaderProof"]],
        index,
        [h(x) for x in d["ValidatorFields"]],
        [h(x) for x in branch],
    )
    return h(d["latestBlockHeaderRoot"]), proof


DENEB_FILES = sorted((VECTORS / "eigenlayer-contracts").glob("*.json"))


def mainnet_electra() -> tuple[bytes, int, tuple]:
    """(block root, 4788 timestamp, ValidatorProof) of the real mainnet Electra validator proof."""
    d = json.loads(
        (VECTORS / "derived" / "rocketpool_mainnet_electra_slot11821055_validator1060378.json").read_text()
    )
    e = d["eigenPodFormat"]
    proof = (
        h(e["stateRootProof"]["beaconStateRoot"]),
        [h(x) for x in e["stateRootProof"]["proof"]],
        int(e["validatorIndices"][0]),
        [h(x) for x in e["validatorFields"][0]],
        [h(x) for x in e["validatorFieldsProofs"][0]],
    )
    return h(d["blockRoot"]), int(e["beaconTimestamp"]), proof


def every_byte_changed(proof: tuple):
    """The proof with one byte changed in each of its parts: the state root, each header node, each field
    and each branch node (the changed byte moves along with the item)."""
    yield with_changed_byte(proof, 0, 0, 5, 0)
    for part in (1, 3, 4):
        for item in range(len(proof[part])):
            yield with_changed_byte(proof, part, item, (7 * item + part) % 32, item % 8)


# ------------------------------------------------------------------ the layout, by timestamp


def test_the_layout_follows_the_4788_parent_root_rule(harness):
    schedule = (MAINNET_ELECTRA, MAINNET_ELECTRA + 1000 * SECONDS_PER_EPOCH)
    electra, gloas = schedule
    # a fork's first block still proves its parent's state: the old layout
    assert harness.layout_at(electra - 12, schedule) == DENEB
    assert harness.layout_at(electra, schedule) == DENEB
    assert harness.layout_at(electra + 12, schedule) == ELECTRA
    assert harness.layout_at(gloas, schedule) == ELECTRA
    assert harness.layout_at(gloas + 1, schedule) == GLOAS
    # the protocol's own schedule: Electra from genesis, Gloas not scheduled
    assert (c.ELECTRA_FORK_TIME, c.GLOAS_FORK_TIME) == (0, NEVER)
    assert harness.layout_at(1, (c.ELECTRA_FORK_TIME, c.GLOAS_FORK_TIME)) == ELECTRA


# ------------------------------------------------------------------ Deneb: EigenLayer's real test data


@pytest.mark.parametrize("path", DENEB_FILES, ids=lambda p: p.stem)
def test_eigenlayers_deneb_proofs_verify_in_the_deneb_layout_only(harness, path):
    block_root, proof = eigenlayer_vector(path)
    assert harness.verify(block_root, proof, DENEB)
    assert not harness.verify(block_root, proof, ELECTRA)
    assert not harness.verify(block_root, proof, GLOAS)
    # the protocol's schedule says Electra for any root the 4788 window can hold
    assert not harness.verify_at(block_root, MAINNET_ELECTRA + 12, proof)


def test_a_deneb_proof_with_any_byte_changed_is_refused(harness):
    block_root, proof = eigenlayer_vector(
        VECTORS / "eigenlayer-contracts" / "withdrawal_credential_proof_510257.json"
    )
    for changed in every_byte_changed(proof):
        assert not harness.verify(block_root, changed, DENEB)


# ------------------------------------------------------------------ Electra: a real mainnet proof


def test_the_mainnet_electra_proof_verifies_at_its_timestamp(harness):
    block_root, timestamp, proof = mainnet_electra()
    schedule = (MAINNET_ELECTRA, NEVER)
    assert harness.layout_at(timestamp, schedule) == ELECTRA
    assert harness.verify(block_root, proof, ELECTRA)
    assert harness.verify_at(block_root, timestamp, proof)
    # under a schedule that puts it before Electra (or after Gloas) it is refused
    assert harness.layout_at(timestamp, (timestamp, NEVER)) == DENEB
    assert not harness.verify(block_root, proof, DENEB)
    assert not harness.verify(block_root, proof, GLOAS)
    # the validator it proves: active, not exiting, 32 ETH
    fields = harness.fields_of(proof[3])
    assert fields[1] == 32 * 10**9 and not fields[2]


def test_the_mainnet_electra_proof_with_any_byte_changed_is_refused(harness):
    block_root, _, proof = mainnet_electra()
    for changed in every_byte_changed(proof):
        assert not harness.verify(block_root, changed, ELECTRA)
    raw = bytearray(block_root)
    raw[31] ^= 1
    assert not harness.verify(bytes(raw), proof, ELECTRA)


# ------------------------------------------------------------------ Gloas: the specs' progressive state


@cache
def gloas_state(count: int = 90):
    """A Gloas BeaconState of the consensus specs holding `count` validators (levels 0 to 3 of the
    progressive list), and its block header's root."""
    from eth_consensus_specs.gloas import mainnet as spec

    state = spec.BeaconState()
    for i in range(count):
        state.validators.append(
            spec.Validator(
                pubkey=bytes([i % 256]) * 48,
                withdrawal_credentials=b"\x01" + b"\x00" * 11 + bytes([i % 256]) * 20,
                effective_balance=32 * 10**9,
                activation_epoch=i,
                exit_epoch=2**64 - 1,
                withdrawable_epoch=2**64 - 1,
            )
        )
    header = spec.BeaconBlockHeader(slot=7, proposer_index=3, state_root=state.hash_tree_root())
    return spec, state, header


def navigate(node, gindex: int):
    """The node at `gindex` under `node` and the branch to it, leaf level first (remerkleable's tree)."""
    siblings = []
    for bit in bin(gindex)[3:]:
        if bit == "1":
            siblings.append(node.get_left().merkle_root())
            node = node.get_right()
        else:
            siblings.append(node.get_right().merkle_root())
            node = node.get_left()
    return node, list(reversed(siblings))


def gloas_proof(index: int) -> tuple[bytes, tuple]:
    """(block root, ValidatorProof) of validator `index`, cut from the spec's own trees: the validator's
    generalized index in the progressive state is found from the path the contract computes."""
    spec, state, header = gloas_state()
    harness_path = PATHS[index]
    depth, path, _ = harness_path
    field_gindex = spec.get_generalized_index(spec.BeaconState, "validators")
    gindex = (1 << depth) | path  # the contract's path bits, leaf level first, are the gindex's low bits
    assert gindex >> (depth - 8) == field_gindex  # the state part is the spec's own field index
    leaf, branch = navigate(state.get_backing(), gindex)
    assert leaf.merkle_root() == state.validators[index].hash_tree_root()  # the spec's tree agrees
    _, header_branch = navigate(header.get_backing(), 0b1011)  # state_root: field 3 of 8
    fields = [bytes(f) for f in _validator_chunks(spec, state.validators[index])]
    proof = (bytes(state.hash_tree_root()), header_branch, index, fields, [bytes(b) for b in branch])
    return bytes(header.hash_tree_root()), proof


def _validator_chunks(spec, validator) -> list:
    """The Validator container's 8 field roots."""
    return [getattr(validator, name).hash_tree_root() for name in spec.Validator.fields()]


GLOAS_INDICES = [0, 1, 4, 5, 20, 21, 60, 84]
PATHS: dict[int, tuple] = {}


@pytest.fixture(scope="module")
def gloas_paths(harness):
    for index in GLOAS_INDICES:
        PATHS[index] = harness.validator_path(index, GLOAS)
    return PATHS


@pytest.mark.parametrize("index", GLOAS_INDICES)
def test_gloas_proofs_cut_from_the_specs_state_verify_in_the_gloas_layout_only(harness, gloas_paths, index):
    block_root, proof = gloas_proof(index)
    level = next(k for k in range(21) if index < (4 ** (k + 1) - 1) // 3)
    assert len(proof[4]) == 3 * level + 10  # the depth depends on the index
    assert harness.verify(block_root, proof, GLOAS)
    assert not harness.verify(block_root, proof, ELECTRA)
    assert not harness.verify_at(block_root, 2**40, proof)  # Gloas is not scheduled: refused


def test_a_gloas_proof_with_any_byte_changed_or_another_index_is_refused(harness, gloas_paths):
    block_root, proof = gloas_proof(21)
    for changed in every_byte_changed(proof):
        assert not harness.verify(block_root, changed, GLOAS)
    for other in (20, 22, 84, 90, 2**40):
        assert not harness.verify(block_root, (proof[0], proof[1], other, proof[3], proof[4]), GLOAS)
