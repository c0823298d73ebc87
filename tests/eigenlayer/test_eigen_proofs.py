"""EigenLayer v1.12's proof verifiers (contracts/lib/eigen_proofs.vy) against proofs the project did not
make: EigenLayer's own Deneb test data and a real mainnet Electra validator proof (PECTRA layout).

Each is accepted in its version only; one changed byte, a wrong length (a DENEB proof under PECTRA and
vice versa), a bad index or an empty root are refused with EigenLayer's custom error (EIGENLAYER.md §3.4).
"""

from __future__ import annotations

import json
from hashlib import sha256
from pathlib import Path

import boa
import pytest

from tests.beacon.proofs import branch_root, h
from tests.utils.errors import reverts_with_error

HARNESS = Path(__file__).parent / "contracts" / "EigenProofHarness.vy"
VECTORS = Path(__file__).resolve().parents[1] / "data" / "vectors"
DENEB, PECTRA = 0, 1
CREDENTIAL_FILES = sorted((VECTORS / "eigenlayer-contracts").glob("withdrawal_credential_proof_*.json"))
BALANCE_FILES = [  # the files that carry an (old-format) balance proof
    p
    for p in sorted((VECTORS / "eigenlayer-contracts").glob("*.json"))
    if "ValidatorBalanceProof" in p.read_text()
]


@pytest.fixture(scope="module")
def harness():
    return boa.load(str(HARNESS))


def joined(nodes: list[bytes]) -> bytes:
    return b"".join(nodes)


def flipped(data: bytes, byte: int) -> bytes:
    raw = bytearray(data)
    raw[byte] ^= 1
    return bytes(raw)


def deneb_vector(path: Path) -> dict:
    """An EigenLayer test-data file in the v1.12 call format."""
    d = json.loads(path.read_text())
    return {
        "block_root": h(d["latestBlockHeaderRoot"]),
        "state_root_proof": (
            h(d["beaconStateRoot"]),
            joined([h(x) for x in d["StateRootAgainstLatestBlockHeaderProof"]]),
        ),
        "index": int(d["validatorIndex"]),
        "fields": [h(x) for x in d["ValidatorFields"]],
        "proof": joined([h(x) for x in d["WithdrawalCredentialProof"]]),
        "raw": d,
    }


def electra_vector() -> dict:
    d = json.loads(
        (VECTORS / "derived" / "rocketpool_mainnet_electra_slot11821055_validator1060378.json").read_text()
    )
    e = d["eigenPodFormat"]
    return {
        "block_root": h(d["blockRoot"]),
        "state_root_proof": (
            h(e["stateRootProof"]["beaconStateRoot"]),
            joined([h(x) for x in e["stateRootProof"]["proof"]]),
        ),
        "index": int(e["validatorIndices"][0]),
        "fields": [h(x) for x in e["validatorFields"][0]],
        "proof": joined([h(x) for x in e["validatorFieldsProofs"][0]]),
    }


def balance_vector(path: Path) -> dict:
    """An old-format balance proof (44 nodes to the state root) re-shaped into the v1.12
    BalanceContainerProof (5 state nodes + 3 header nodes) and BalanceProof (39 nodes)."""
    d = json.loads(path.read_text())
    index = int(d["validatorIndex"])
    nodes = [h(x) for x in d["ValidatorBalanceProof"]]
    balance_root = h(d["balanceRoot"])
    container_root = branch_root(balance_root, nodes[:39], index // 4)
    header = [h(x) for x in d["StateRootAgainstLatestBlockHeaderProof"]]
    return {
        "block_root": h(d["latestBlockHeaderRoot"]),
        "container": (container_root, joined(nodes[39:] + header)),
        "balance": (sha256(b"pubkey").digest(), balance_root, joined(nodes[:39])),
        "index": index,
        "expected": int.from_bytes(balance_root[8 * (index % 4) : 8 * (index % 4) + 8], "little"),
    }


# ------------------------------------------------------------------ the Merkle primitive


def test_inclusion_checks_root_then_length_then_index(harness):
    leaf, sibling = b"\x11" * 32, b"\x22" * 32
    root = sha256(leaf + sibling).digest()
    assert harness.verifyInclusionSha256(sibling, root, leaf, 0)
    assert harness.verifyInclusionSha256(sibling, sha256(sibling + leaf).digest(), leaf, 1)
    assert not harness.verifyInclusionSha256(sibling, root, leaf, 1)
    with reverts_with_error("EmptyRoot()"):
        harness.verifyInclusionSha256(b"", b"\x00" * 32, leaf, 0)
    with reverts_with_error("InvalidProofLength()"):
        harness.verifyInclusionSha256(b"", root, leaf, 0)
    with reverts_with_error("InvalidProofLength()"):
        harness.verifyInclusionSha256(sibling + b"\x00", root, leaf, 0)
    with reverts_with_error("InvalidIndex()"):
        harness.verifyInclusionSha256(sibling, root, leaf, 2)


def test_merkleize_needs_a_power_of_two_of_at_least_two_leaves(harness):
    leaves = [bytes([i]) * 32 for i in range(8)]
    layer = leaves
    while len(layer) > 1:
        layer = [sha256(layer[i] + layer[i + 1]).digest() for i in range(0, len(layer), 2)]
    assert harness.merkleizeSha256(leaves) == layer[0]
    with reverts_with_error("NotEnoughLeaves()"):
        harness.merkleizeSha256(leaves[:1])
    with reverts_with_error("LeavesNotPowerOfTwo()"):
        harness.merkleizeSha256(leaves[:6])


# ------------------------------------------------------------------ Deneb: EigenLayer's own vectors


@pytest.mark.parametrize("path", CREDENTIAL_FILES, ids=lambda p: p.stem)
def test_eigenlayers_deneb_vectors_verify_as_deneb_only(harness, path):
    v = deneb_vector(path)
    assert harness.verifyStateRoot(v["block_root"], v["state_root_proof"])
    state_root = v["state_root_proof"][0]
    assert harness.verifyValidatorFields(DENEB, state_root, v["fields"], v["proof"], v["index"])
    with reverts_with_error("InvalidProofLength()"):
        harness.verifyValidatorFields(PECTRA, state_root, v["fields"], v["proof"], v["index"])


def test_a_deneb_vector_with_any_byte_changed_is_refused(harness):
    v = deneb_vector(VECTORS / "eigenlayer-contracts" / "withdrawal_credential_proof_302913.json")
    state_root, header_proof = v["state_root_proof"]
    for byte in range(0, len(header_proof), 7):
        with reverts_with_error("InvalidProof()"):
            harness.verifyStateRoot(v["block_root"], (state_root, flipped(header_proof, byte)))
    with reverts_with_error("InvalidProof()"):
        harness.verifyStateRoot(v["block_root"], (flipped(state_root, 0), header_proof))
    with reverts_with_error("InvalidProof()"):
        harness.verifyStateRoot(flipped(v["block_root"], 31), v["state_root_proof"])
    for byte in range(3, len(v["proof"]), 61):
        with reverts_with_error("InvalidProof()"):
            harness.verifyValidatorFields(
                DENEB, state_root, v["fields"], flipped(v["proof"], byte), v["index"]
            )
    for i in range(8):
        fields = list(v["fields"])
        fields[i] = flipped(fields[i], i)
        with reverts_with_error("InvalidProof()"):
            harness.verifyValidatorFields(DENEB, state_root, fields, v["proof"], v["index"])
    with reverts_with_error("InvalidProof()"):
        harness.verifyValidatorFields(DENEB, state_root, v["fields"], v["proof"], v["index"] + 1)


def test_validator_fields_errors_come_in_eigenlayers_order(harness):
    v = deneb_vector(VECTORS / "eigenlayer-contracts" / "withdrawal_credential_proof_302913.json")
    state_root = v["state_root_proof"][0]
    # the fields' count first, even with a wrong proof length
    with reverts_with_error("InvalidValidatorFieldsLength()"):
        harness.verifyValidatorFields(DENEB, state_root, v["fields"][:7], b"", v["index"])
    with reverts_with_error("InvalidValidatorFieldsLength()"):
        harness.verifyValidatorFields(DENEB, state_root, v["fields"] + v["fields"], v["proof"], v["index"])
    with reverts_with_error("InvalidProofLength()"):
        harness.verifyValidatorFields(DENEB, state_root, v["fields"], v["proof"][:-32], v["index"])
    with reverts_with_error("EmptyRoot()"):
        harness.verifyValidatorFields(DENEB, b"\x00" * 32, v["fields"], v["proof"], v["index"])
    with reverts_with_error("InvalidProofLength()"):
        harness.verifyStateRoot(v["block_root"], (state_root, v["state_root_proof"][1] + b"\x00" * 32))
    with reverts_with_error("EmptyRoot()"):
        harness.verifyStateRoot(b"\x00" * 32, v["state_root_proof"])


def test_the_field_getters_read_eigenlayers_positions(harness):
    v = deneb_vector(VECTORS / "eigenlayer-contracts" / "withdrawal_credential_proof_302913.json")
    pubkey_hash, credentials, effective, slashed, activation, exit_epoch = harness.fieldsOf(v["fields"])
    f = v["fields"]
    assert (pubkey_hash, credentials) == (f[0], f[1])
    assert effective == int.from_bytes(f[2][:8], "little")
    assert slashed == (f[3] != b"\x00" * 32)
    assert activation == int.from_bytes(f[5][:8], "little")
    assert exit_epoch == int.from_bytes(f[6][:8], "little")


@pytest.mark.parametrize("path", BALANCE_FILES, ids=lambda p: p.stem)
def test_eigenlayers_deneb_balance_proofs_verify_in_the_v1_12_format(harness, path):
    v = balance_vector(path)
    assert harness.verifyBalanceContainer(DENEB, v["block_root"], v["container"])
    with reverts_with_error("InvalidProofLength()"):
        harness.verifyBalanceContainer(PECTRA, v["block_root"], v["container"])
    assert harness.verifyValidatorBalance(v["container"][0], v["index"], v["balance"]) == v["expected"]


def test_a_balance_proof_with_a_changed_byte_or_wrong_index_is_refused(harness):
    v = balance_vector(VECTORS / "eigenlayer-contracts" / "balanceUpdateProof_balance28ETH_302913.json")
    root, proof = v["container"]
    for byte in range(0, len(proof), 29):
        with reverts_with_error("InvalidProof()"):
            harness.verifyBalanceContainer(DENEB, v["block_root"], (root, flipped(proof, byte)))
    with reverts_with_error("InvalidProof()"):
        harness.verifyBalanceContainer(DENEB, v["block_root"], (flipped(root, 3), proof))
    with reverts_with_error("EmptyRoot()"):
        harness.verifyBalanceContainer(DENEB, b"\x00" * 32, v["container"])
    pubkey_hash, chunk, branch = v["balance"]
    for byte in range(0, len(branch), 97):
        with reverts_with_error("InvalidProof()"):
            harness.verifyValidatorBalance(root, v["index"], (pubkey_hash, chunk, flipped(branch, byte)))
    with reverts_with_error("InvalidProof()"):
        harness.verifyValidatorBalance(root, v["index"], (pubkey_hash, flipped(chunk, 0), branch))
    with reverts_with_error("InvalidProof()"):
        harness.verifyValidatorBalance(root, v["index"] + 4, v["balance"])
    with reverts_with_error("InvalidProofLength()"):
        harness.verifyValidatorBalance(root, v["index"], (pubkey_hash, chunk, branch[:-32]))
    # the largest uint40 index still fits the fixed height (InvalidIndex is unreachable here)
    with reverts_with_error("InvalidProof()"):
        harness.verifyValidatorBalance(root, 2**40 - 1, v["balance"])
    # another validator of the same chunk reads its own 8 bytes, and the pubkey hash is not proven
    index = v["index"] - v["index"] % 4
    assert harness.verifyValidatorBalance(root, index, (b"\x00" * 32, chunk, branch)) == int.from_bytes(
        chunk[:8], "little"
    )


# ------------------------------------------------------------------ Pectra: a real mainnet Electra proof


def test_the_mainnet_electra_vector_verifies_as_pectra_only(harness):
    v = electra_vector()
    assert harness.verifyStateRoot(v["block_root"], v["state_root_proof"])
    state_root = v["state_root_proof"][0]
    assert harness.verifyValidatorFields(PECTRA, state_root, v["fields"], v["proof"], v["index"])
    with reverts_with_error("InvalidProofLength()"):
        harness.verifyValidatorFields(DENEB, state_root, v["fields"], v["proof"], v["index"])
    assert harness.fieldsOf(v["fields"])[2] == 32 * 10**9


def test_the_mainnet_electra_vector_with_any_byte_changed_is_refused(harness):
    v = electra_vector()
    state_root = v["state_root_proof"][0]
    for byte in range(5, len(v["proof"]), 53):
        with reverts_with_error("InvalidProof()"):
            harness.verifyValidatorFields(
                PECTRA, state_root, v["fields"], flipped(v["proof"], byte), v["index"]
            )
    for i in range(8):
        fields = list(v["fields"])
        fields[i] = flipped(fields[i], 31 - i)
        with reverts_with_error("InvalidProof()"):
            harness.verifyValidatorFields(PECTRA, state_root, fields, v["proof"], v["index"])
    with reverts_with_error("InvalidProof()"):
        harness.verifyValidatorFields(PECTRA, flipped(state_root, 9), v["fields"], v["proof"], v["index"])
    # the largest uint40 index fits the fixed height: only InvalidProof (InvalidIndex needs a short proof)
    with reverts_with_error("InvalidProof()"):
        harness.verifyValidatorFields(PECTRA, state_root, v["fields"], v["proof"], 2**40 - 1)
