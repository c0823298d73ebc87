"""The beacon model's watch on validator keys through seat rotations (issue #19, docs/protocol.md §10).

A distributed validator outlives its operators: when a seat rotates, the new set reshares the key and
`SeatRotation.complete_rotation` checks on chain that its new public shares give the validator's key. The
consensus layer never changes a validator's key, so the model checks the same thing from its side, with its
own maths (py_ecc, deploy/keys.py) and its own registry: at every completed rotation, every t of the
registered shares must interpolate to one key, that key must be the one the cluster's operators registered
at formation (`ClusterKeys.KeysRegistered`, when the chain saw it) and a validator the chain knows (in the
registry or among its pending deposits). A rotation that would leave the validator without the key its
holders can sign for raises `KeyChangedError` from `process()`.

`SpecBeaconChain` (deploy/sim/beacon.py) captures the four events with the deposits and EIP-7002 requests
(`decode` below) and calls `follow_keys` on each `process()`; `chain.reshared` lists what it checked, and
`chain.unchecked` the rotations opened before the chain watched (their shares unseen: nothing to check).
"""

from __future__ import annotations

from eth_abi import decode as abi_decode
from eth_utils import keccak

from deploy.keys import combine_public_shares, threshold_of, verify_public_shares

KEYS_REGISTERED_TOPIC = keccak(text="KeysRegistered(uint256,address,bytes,bytes,bytes32)")
ROTATION_OPENED_TOPIC = keccak(
    text="RotationOpened(uint256,uint256,address,uint256,(uint256,address,uint256,uint256),"
    "(uint256,address,uint256,uint256),uint256)"
)
SHARE_REGISTERED_TOPIC = keccak(text="ShareRegistered(uint256,uint256,address,uint256,bytes,bytes,bool)")
ROTATION_COMPLETED_TOPIC = keccak(text="RotationCompleted(uint256,uint256,address,uint256)")
# (contract attribute of the protocol, kind) of each watched event
WATCHED = (
    ("cluster_keys", "keys"),
    ("seat_rotation", "opened"),
    ("seat_rotation", "share"),
    ("seat_rotation", "reshared"),
)


class KeyChangedError(AssertionError):
    """A completed rotation whose shares do not give the validator's key."""


def decode(topic: bytes, topics: list[int], data: bytes) -> tuple[str, tuple] | None:
    """(kind, payload) of a watched event, or None."""
    if topic == KEYS_REGISTERED_TOPIC:
        pubkey, _signature, _root = abi_decode(["bytes", "bytes", "bytes32"], data)
        return "keys", (topics[1], bytes(pubkey))
    if topic == ROTATION_OPENED_TOPIC:
        return "opened", (topics[1], topics[2])
    if topic == SHARE_REGISTERED_TOPIC:
        index, share, _point, _replaced = abi_decode(["uint256", "bytes", "bytes", "bool"], data)
        return "share", (topics[1], topics[2], index, bytes(share))
    if topic == ROTATION_COMPLETED_TOPIC:
        return "reshared", (topics[1], topics[2])
    return None


def check_reshared_key(shares: dict[int, bytes], formation_key: bytes | None, known) -> bytes:
    """The key every t of `shares` (index -> compressed share) give; KeyChangedError unless it is
    `formation_key` (when known) and `known(key)` (a validator of the chain)."""
    threshold = threshold_of(len(shares))
    key = combine_public_shares({i: shares[i] for i in sorted(shares)[:threshold]})
    if not verify_public_shares(key, shares, threshold):
        raise KeyChangedError(f"the {threshold}-of-{len(shares)} reshared shares give no single key")
    if formation_key is not None and key != formation_key:
        raise KeyChangedError(f"reshared key 0x{key.hex()} is not the cluster's 0x{formation_key.hex()}")
    if not known(key):
        raise KeyChangedError(f"reshared key 0x{key.hex()} is no validator of the chain")
    return key


class KeyWatch:
    """Follows the watched events in EVM order (`follow_keys(items)`, items = (seq, kind, payload))."""

    def _init_key_watch(self) -> None:
        self.formation_keys: dict[int, bytes] = {}  # cluster id -> key registered at formation
        self.reshared: list[tuple[int, int, bytes]] = []  # (cluster id, round, key) checked
        # (cluster id, round) completed in a rotation opened before the chain watched: its shares unseen
        self.unchecked: list[tuple[int, int]] = []
        self._round_shares: dict[tuple[int, int], dict[int, bytes]] = {}

    def fork_key_watch(self) -> None:
        """Own copies of what the watch has seen (for a copy of the chain: tests/utils/spec_chain_fork.py)."""
        self.formation_keys = dict(self.formation_keys)
        self.reshared, self.unchecked = list(self.reshared), list(self.unchecked)
        self._round_shares = {round_: dict(shares) for round_, shares in self._round_shares.items()}

    def follow_keys(self, items) -> None:
        for _seq, kind, payload in sorted(items, key=lambda item: item[0]):
            if kind == "keys":
                cluster_id, pubkey = payload
                self.formation_keys[cluster_id] = pubkey
            elif kind == "opened":
                self._round_shares[payload] = {}
            elif kind == "share":
                cluster_id, round_, index, share = payload
                if (cluster_id, round_) in self._round_shares:
                    self._round_shares[(cluster_id, round_)][index] = share
            elif (shares := self._round_shares.pop(payload, None)) is None:
                self.unchecked.append(payload)
            else:
                cluster_id, round_ = payload
                key = check_reshared_key(shares, self.formation_keys.get(cluster_id), self.knows_key)
                self.reshared.append((cluster_id, round_, key))

    def knows_key(self, pubkey: bytes) -> bool:
        """A validator in the registry, or a deposit of that key waiting to enter it."""
        return self.has_validator(pubkey) or bool(self.pending_deposits(pubkey))
