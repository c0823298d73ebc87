"""Helpers of the loss-charge tests (tests/staker/test_loss_charge.py, test_loss_charge_spec_chain.py): a
checkpoint that proves the validator's balance, a report with the proof of its 0x01 credentials, and the
Escrow's bond columns of a cluster (docs/protocol.md §10 "A loss at a checkpoint")."""

from __future__ import annotations

import boa

from tests.staker.exits import prove
from tests.staker.proofs import posted_proof, validator_fields
from tests.staker.restaking import cluster_checkpoint
from tests.utils.constants import c
from tests.utils.seats import bid_ids_of, seats_of

GWEI = 10**9
STAKED_GWEI = c.STAKE_AMOUNT // GWEI
WINDOW = c.CHALLENGE_WINDOW


def checkpoint_at(protocol, module, loss_gwei: int, caller=None) -> int:
    """A finalised checkpoint of the module's pod proving a balance `loss_gwei` below 32 ETH (synthetic
    state, tests/staker/restaking.py); returns its timestamp."""
    return cluster_checkpoint(protocol, module, balance_gwei=STAKED_GWEI - loss_gwei, caller=caller)


def credentials_proof(protocol, cluster_id, salt=b"credentials", prefix: int | None = None):
    """A fresh root (12 s later) proving the cluster's validator with its own credentials, or with the
    same address under another `prefix` (0x02: compounding); returns (beacon_timestamp, proof)."""
    if prefix is None:
        return prove(protocol, cluster_id, salt, activation_epoch=1)
    m = protocol.manager
    credentials = bytes([prefix]) + bytes(m.withdrawal_credentials(cluster_id))[1:]
    fields = validator_fields(
        bytes(m.validator_pubkey(cluster_id)), credentials, 32 * GWEI, activation_epoch=1
    )
    boa.env.time_travel(seconds=12)
    return posted_proof(protocol.beacon_roots, fields, salt=salt)


def report(protocol, cluster_id, module, caller, salt=b"report"):
    """Anyone reports the pod's last reading, with a fresh proof of the 0x01 credentials."""
    proof = credentials_proof(protocol, cluster_id, salt)
    with boa.env.prank(caller):
        module.report_loss(seats_of(module, cluster_id), *proof)


def bond_columns(protocol, cluster_id) -> tuple[list[int], list[int]]:
    """Each winner's bond still held and the part of it reserved for a pending charge."""
    escrow, bids = protocol.escrow, bid_ids_of(protocol.auction, cluster_id)
    return [escrow.held(b) for b in bids], [escrow.reserved(b) for b in bids]
