"""Plain helpers for validator proofs: the real Goerli proof as a ValidatorProof tuple, an independent
sha256 implementation of the consensus specs' merkleization and branch check."""

from __future__ import annotations

from hashlib import sha256


def h(x: str) -> bytes:
    return bytes.fromhex(x.removeprefix("0x"))


def sha(a: bytes, b: bytes) -> bytes:
    return sha256(a + b).digest()


def proof_tuple(d: dict) -> tuple:
    """`ValidatorProof` (docs/protocol.md §9 field order) of a proof JSON (EigenLayer's test-data format)."""
    return (
        h(d["beacon_state_root"]),
        [h(x) for x in d["state_root_proof"]],
        d["validator_index"],
        [h(x) for x in d["validator_fields"]],
        [h(x) for x in d["validator_fields_proof"]],
    )


def merkleize(chunks: list[bytes]) -> bytes:
    """Merkle root of a power-of-two number of chunks."""
    layer = list(chunks)
    while len(layer) > 1:
        layer = [sha(layer[i], layer[i + 1]) for i in range(0, len(layer), 2)]
    return layer[0]


def branch_root(leaf: bytes, branch: list[bytes], index: int) -> bytes:
    """The consensus specs' `is_valid_merkle_branch` walk: the root the branch leads to."""
    node = leaf
    for i, sibling in enumerate(branch):
        node = sha(sibling, node) if (index >> i) & 1 else sha(node, sibling)
    return node


def is_valid(block_root: bytes, proof: tuple) -> bool:
    """Independent check of a ValidatorProof tuple (Deneb 46 or Electra 47 nodes)."""
    state_root, state_branch, index, fields, branch = proof
    if len(branch) not in (46, 47) or index >= 2**40:
        return False
    if index >= int.from_bytes(branch[40][:8], "little"):
        return False
    if branch_root(state_root, state_branch, 3) != block_root:
        return False
    return branch_root(merkleize(fields), branch, (11 << 41) | index) == state_root


def with_changed_byte(proof: tuple, part: int, item: int, byte: int, bit: int) -> tuple:
    """`proof` with one bit flipped in `proof[part]` (item `item` of a list part)."""
    parts = [p if not isinstance(p, list) else list(p) for p in proof]
    if part == 0:
        raw = bytearray(parts[0])
        raw[byte] ^= 1 << bit
        parts[0] = bytes(raw)
    else:
        items = parts[part]
        raw = bytearray(items[item % len(items)])
        raw[byte] ^= 1 << bit
        items[item % len(items)] = bytes(raw)
    return tuple(parts)
