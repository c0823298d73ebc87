"""Synthetic beacon-chain validator proofs for the staker-side unit tests.

A `ValidatorProof` (docs/protocol.md §9) only has to hash up to a block root that BeaconRoots holds: these
helpers build the validator's 8 field chunks, a 47-node Electra-shaped branch whose siblings are arbitrary
(the length mix-in node covers the index), the state root it implies, a 3-node header branch and the block
root, then post that root as the EIP-4788 system call does. The end-to-end tests use the consensus-spec
chain's proofs (deploy/sim/beacon.py) instead; these let every confirm/report path be reached with
exactly the fields a test needs.
"""

from __future__ import annotations

import hashlib

from deploy.constants import c
from deploy.sim.system_calls import post_beacon_root

FAR_FUTURE_EPOCH = c.FAR_FUTURE_EPOCH
VALIDATORS_FIELD_INDEX = 11
VALIDATOR_TREE_HEIGHT = 40
ELECTRA_BRANCH_LENGTH = 47
STATE_ROOT_INDEX = 3


def sha(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


def uint64_chunk(value: int) -> bytes:
    return value.to_bytes(8, "little") + b"\x00" * 24


def pubkey_root(pubkey: bytes) -> bytes:
    return sha(pubkey, b"\x00" * 16)


def validator_fields(
    pubkey: bytes,
    credentials: bytes,
    balance_gwei: int = 10**9,
    exit_epoch: int = FAR_FUTURE_EPOCH,
    activation_epoch: int = FAR_FUTURE_EPOCH,
    slashed: bool = False,
) -> list[bytes]:
    """The 8 chunks of a `Validator` (pubkey root, credentials, effective balance, slashed, epochs)."""
    return [
        pubkey_root(pubkey),
        bytes(credentials),
        uint64_chunk(balance_gwei),
        uint64_chunk(int(slashed)),
        uint64_chunk(0),
        uint64_chunk(activation_epoch),
        uint64_chunk(exit_epoch),
        uint64_chunk(FAR_FUTURE_EPOCH if exit_epoch == FAR_FUTURE_EPOCH else exit_epoch + 256),
    ]


def validator_root(fields: list[bytes]) -> bytes:
    level = list(fields)
    while len(level) > 1:
        level = [sha(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def make_proof(fields: list[bytes], validator_index: int = 3, salt: bytes = b"") -> tuple[bytes, tuple]:
    """(block_root, ValidatorProof tuple) for `fields` at `validator_index` of a made-up Electra state."""
    branch = [sha(b"sibling", salt, bytes([i])) for i in range(ELECTRA_BRANCH_LENGTH)]
    branch[VALIDATOR_TREE_HEIGHT] = (validator_index + 1).to_bytes(32, "little")  # the list's length
    path = (VALIDATORS_FIELD_INDEX << (VALIDATOR_TREE_HEIGHT + 1)) | validator_index
    node = validator_root(fields)
    for i, sibling in enumerate(branch):
        node = sha(sibling, node) if (path >> i) & 1 else sha(node, sibling)
    state_root = node
    header = [sha(b"header", salt, bytes([i])) for i in range(3)]
    node = state_root
    for i, sibling in enumerate(header):
        node = sha(sibling, node) if (STATE_ROOT_INDEX >> i) & 1 else sha(node, sibling)
    return node, (state_root, header, validator_index, fields, branch)


def posted_proof(beacon_roots, fields: list[bytes], validator_index: int = 3, salt: bytes = b"") -> tuple:
    """Post the proof's block root to BeaconRoots now; returns (beacon_timestamp, proof)."""
    block_root, proof = make_proof(fields, validator_index, salt)
    return post_beacon_root(beacon_roots, block_root), proof
