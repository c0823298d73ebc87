"""Synthetic beacon states in EigenLayer v1.12's proof format (EIGENLAYER.md §3), built with remerkleable
and the consensus specs' `Validator` and `BeaconBlockHeader`.

Only the tree shape of a BeaconState matters to the proofs: `validators` is field 11 and `balances` field
12 of a 28-field (Deneb, height 5) or 37-field (Electra/Pectra, height 6) container; the other fields are
zero chunks here.

    chain = Chain(PECTRA)
    i = chain.add(pubkey, credentials)        # a 32 ETH validator
    snap = chain.snapshot()                    # block root and every proof of this state
    snap.state_root_proof(); snap.fields(i); snap.validator_proof(i)
    snap.balance_container_proof(); snap.balance_proof(i)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from hashlib import sha256

from eth_consensus_specs.electra.mainnet import BeaconBlockHeader, Validator, compute_merkle_proof
from remerkleable.basic import uint64
from remerkleable.byte_arrays import Bytes32
from remerkleable.complex import Container, List

from deploy.constants import c

DENEB, PECTRA = 0, 1
FAR_FUTURE_EPOCH = c.FAR_FUTURE_EPOCH
GWEI = 10**9
REGISTRY_LIMIT = 2**40


def _state_type(field_count: int):
    annotations = {f"f{i}": Bytes32 for i in range(field_count)}
    annotations["f11"] = List[Validator, REGISTRY_LIMIT]
    annotations["f12"] = List[uint64, REGISTRY_LIMIT]
    return type(f"State{field_count}", (Container,), {"__annotations__": annotations})


STATE_TYPES = {DENEB: _state_type(28), PECTRA: _state_type(37)}
HEIGHT = {DENEB: 5, PECTRA: 6}


def pubkey_hash(pubkey: bytes) -> bytes:
    return sha256(bytes(pubkey) + b"\x00" * 16).digest()


def branch_of(view, gindex: int) -> list[bytes]:
    """The sibling roots from the node at `gindex` up to `view`'s root (the spec's `compute_merkle_proof`)."""
    return [bytes(node) for node in compute_merkle_proof(view, gindex)]


def credentials(prefix: int, pod) -> bytes:
    return bytes([prefix]) + b"\x00" * 11 + bytes.fromhex(str(pod)[2:])


@dataclass
class Chain:
    """The validators and balances of a beacon state, in one proof version's layout."""

    version: int
    validators: list = field(default_factory=list)
    balances: list[int] = field(default_factory=list)
    slot: int = 1

    def add(
        self,
        pubkey: bytes,
        withdrawal_credentials: bytes,
        effective_gwei: int = 32 * GWEI,
        balance_gwei: int | None = None,
        activation_epoch: int = 0,
        exit_epoch: int = FAR_FUTURE_EPOCH,
        slashed: bool = False,
    ) -> int:
        self.validators.append(
            Validator(
                pubkey=pubkey,
                withdrawal_credentials=withdrawal_credentials,
                effective_balance=effective_gwei,
                slashed=slashed,
                activation_eligibility_epoch=0,
                activation_epoch=activation_epoch,
                exit_epoch=exit_epoch,
                withdrawable_epoch=FAR_FUTURE_EPOCH,
            )
        )
        self.balances.append(effective_gwei if balance_gwei is None else balance_gwei)
        return len(self.validators) - 1

    def set(self, index: int, **fields) -> None:
        """Change a validator's fields (`balance_gwei` changes its balance)."""
        if "balance_gwei" in fields:
            self.balances[index] = fields.pop("balance_gwei")
        v = self.validators[index]
        for name, value in fields.items():
            setattr(v, name, value)

    def snapshot(self) -> Snapshot:
        state = STATE_TYPES[self.version](
            f11=List[Validator, REGISTRY_LIMIT](*self.validators),
            f12=List[uint64, REGISTRY_LIMIT](*self.balances),
        )
        header = BeaconBlockHeader(slot=self.slot, proposer_index=0, state_root=state.hash_tree_root())
        self.slot += 1
        return Snapshot(self.version, state, header)


@dataclass
class Snapshot:
    version: int
    state: object
    header: object

    @property
    def block_root(self) -> bytes:
        return bytes(self.header.hash_tree_root())

    @property
    def state_root(self) -> bytes:
        return bytes(self.state.hash_tree_root())

    def _field_gindex(self, index: int) -> int:
        return (1 << HEIGHT[self.version]) + index

    def state_root_proof(self) -> tuple[bytes, bytes]:
        return self.state_root, b"".join(branch_of(self.header, 8 + 3))

    def fields(self, i: int) -> list[bytes]:
        backing = self.state.f11[i].get_backing()
        return [bytes(backing.getter(8 + j).merkle_root()) for j in range(8)]

    def validator_proof(self, i: int) -> bytes:
        gindex = (self._field_gindex(11) * 2 << 40) + i
        return b"".join(branch_of(self.state, gindex))

    def balance_container_proof(self) -> tuple[bytes, bytes]:
        nodes = branch_of(self.state, self._field_gindex(12))
        nodes += branch_of(self.header, 8 + 3)
        return bytes(self.state.f12.hash_tree_root()), b"".join(nodes)

    def balance_proof(self, i: int) -> tuple[bytes, bytes, bytes]:
        backing = self.state.f12.get_backing()
        gindex = (2 << 38) + i // 4
        chunk = bytes(backing.getter(gindex).merkle_root())
        pubkey = bytes(self.state.f11[i].pubkey)
        return pubkey_hash(pubkey), chunk, b"".join(branch_of(self.state.f12, gindex))
