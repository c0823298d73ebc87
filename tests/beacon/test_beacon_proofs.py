"""beacon_proofs: the real Goerli proof checks; any changed byte, wrong index or wrong length fails."""

from __future__ import annotations

from pathlib import Path

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy.constants import SOURCE, Constants, read_constants
from tests.beacon.proofs import h, is_valid, merkleize, proof_tuple, with_changed_byte

HARNESS = Path(__file__).parent / "ProofHarness.vy"
PROOFS = Constants(read_constants(SOURCE.parent / "beacon_proofs.vy"))
DENEB, ELECTRA, GLOAS = PROOFS.LAYOUT_DENEB, PROOFS.LAYOUT_ELECTRA, PROOFS.LAYOUT_GLOAS


@pytest.fixture(scope="module")
def harness():
    return boa.load(str(HARNESS))


@pytest.fixture(scope="module")
def goerli(goerli_proof):
    return h(goerli_proof["latest_block_header_root"]), proof_tuple(goerli_proof)


def test_real_goerli_proof_accepted(harness, goerli):
    block_root, proof = goerli
    assert len(proof[4]) == 46  # Deneb
    assert is_valid(block_root, proof)
    assert harness.verify(block_root, proof, DENEB)


def test_validator_root_and_fields(harness, goerli, goerli_proof):
    _, proof = goerli
    fields = proof[3]
    assert harness.validator_root(fields) == merkleize(fields)
    credentials, balance, slashed, activation, exit_epoch, withdrawable = harness.fields_of(fields)
    assert credentials == fields[1] and credentials[:1] == b"\x01"
    assert balance == int.from_bytes(fields[2][:8], "little") == 32_000_115_173
    assert not slashed
    assert activation == int.from_bytes(fields[5][:8], "little")
    assert exit_epoch == withdrawable == 2**64 - 1  # FAR_FUTURE_EPOCH: not exiting


def test_pubkey_root(harness):
    pubkey = bytes(range(48))
    assert harness.pubkey_root(pubkey) == merkleize([pubkey[:32], pubkey[32:] + bytes(16)])
    with boa.reverts("beacon_proofs: pubkey must be 48 bytes"):
        harness.pubkey_root(pubkey[:47])


def test_wrong_block_root_rejected(harness, goerli):
    block_root, proof = goerli
    assert not harness.verify(b"\x00" * 32, proof, DENEB)
    assert not harness.verify(proof[0], proof, DENEB)  # the state root is not the block root


@pytest.mark.parametrize("delta", [-302913, -1, 1, 2, 2**20])
def test_wrong_index_rejected(harness, goerli, delta):
    block_root, proof = goerli
    moved = (proof[0], proof[1], proof[2] + delta, proof[3], proof[4])
    assert not harness.verify(block_root, moved, DENEB)


def test_index_past_registry_limit_or_list_length_rejected(harness, goerli):
    block_root, proof = goerli
    for index in (2**40, 2**40 + proof[2], 2**64 - 1):
        assert not harness.verify(block_root, (proof[0], proof[1], index, proof[3], proof[4]), DENEB)
    length = int.from_bytes(proof[4][40][:8], "little")
    assert proof[2] < length
    assert not harness.verify(block_root, (proof[0], proof[1], length, proof[3], proof[4]), DENEB)


@pytest.mark.parametrize("length", [0, 1, 3, 45, 47])
def test_wrong_length_rejected(harness, goerli, length):
    block_root, proof = goerli
    branch = (proof[4] + [b"\x00" * 32] * 2)[:length]
    assert not harness.verify(block_root, (proof[0], proof[1], proof[2], proof[3], branch), DENEB)


def test_the_layout_is_the_forks_not_the_proofs_length(harness, goerli):
    block_root, proof = goerli
    assert harness.verify(block_root, proof, DENEB)
    # the same Deneb proof, or one padded to Electra's length, is refused under Electra or Gloas
    for layout in (ELECTRA, GLOAS, 3):
        assert not harness.verify(block_root, proof, layout)
    for extra in (b"\x00" * 32, proof[4][-1]):
        padded = (proof[0], proof[1], proof[2], proof[3], proof[4] + [extra])
        assert not harness.verify(block_root, padded, ELECTRA)
        assert not harness.verify(block_root, padded, DENEB)


@settings(max_examples=60, deadline=None)
@given(
    part=st.sampled_from([0, 1, 3, 4]),
    item=st.integers(0, 45),
    byte=st.integers(0, 31),
    bit=st.integers(0, 7),
)
def test_any_changed_bit_rejected(harness, goerli, part, item, byte, bit):
    block_root, proof = goerli
    changed = with_changed_byte(proof, part, item, byte, bit)
    assert not is_valid(block_root, changed)
    assert not harness.verify(block_root, changed, DENEB)


@settings(max_examples=20, deadline=None)
@given(byte=st.integers(0, 31), bit=st.integers(0, 7))
def test_changed_block_root_rejected(harness, goerli, byte, bit):
    block_root, proof = goerli
    raw = bytearray(block_root)
    raw[byte] ^= 1 << bit
    assert not harness.verify(bytes(raw), proof, DENEB)
