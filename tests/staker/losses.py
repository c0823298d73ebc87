"""Helpers of the loss-charge tests (tests/staker/test_loss_charge.py, test_loss_charge_spec_chain.py,
test_bonds_stateful.py): a checkpoint that proves the validator's balance, a report with the proof of its 0x01
credentials, the Escrow's bond columns of a cluster, a validator proof against any block the spec chain
posted, and the Escrow's and StakerRewards' identities over several clusters (docs/protocol.md §10 "A loss at
a checkpoint")."""

from __future__ import annotations

import boa

from deploy.sim.beacon import spec
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


def validator_proof_at(chain, pubkey: bytes, timestamp: int | None = None) -> tuple:
    """`ValidatorProof` (docs/protocol.md §9) of `pubkey` against the block the spec chain posted at
    `timestamp` (None: the last one). Unlike `chain.validator_proof`, which proves the chain's current state,
    it holds after a missed slot too (an offline or slashed proposer: the state has moved past the posted
    block)."""
    state, header = chain.block_at(timestamp)
    index = {bytes(v.pubkey): i for i, v in enumerate(state.validators)}[bytes(pubkey)]
    validator = state.validators[index]
    fields = [bytes(validator.get_backing().getter(8 | i).merkle_root()) for i in range(8)]

    def branch(view, gindex) -> list[bytes]:
        return [bytes(node) for node in spec.compute_merkle_proof(view, gindex)]

    return (
        bytes(spec.hash_tree_root(state)),
        branch(header, spec.get_generalized_index(spec.BeaconBlockHeader, "state_root")),
        index,
        fields,
        branch(state, spec.get_generalized_index(spec.BeaconState, "validators", index)),
    )


def check_all_identities(protocol, seats: dict, bid_ids, accounts) -> None:
    """Over every bid and cluster (`seats`: cluster id -> its seats) of a deployment: Escrow balance == Σ held
    (pending bids, locked bonds) + Σ reserved (loss charges pending) + Σ claimable; StakerRewards balance ==
    Σ held for the clusters + Σ credits, Σ credit_of == total_credit; each cluster conserves to the wei
    (docs/protocol.md §4, §6, §10)."""
    sr, escrow = protocol.staker_rewards, protocol.escrow
    held = sum(escrow.held(b) + escrow.reserved(b) for b in bid_ids)
    assert boa.env.get_balance(escrow.address) == held + sum(escrow.claimable(a) for a in accounts)
    assert sr.total_credit() == sum(sr.credit_of(a) for a in accounts)
    clusters = sum(sr.held(cluster_id, cluster_seats) for cluster_id, cluster_seats in seats.items())
    assert boa.env.get_balance(sr.address) == clusters + sr.total_credit()
    for cluster_id, cluster_seats in seats.items():
        a = sr.accounting(cluster_id, cluster_seats)
        paid = a.paid_to_stakers + a.credited_to_stakers + a.claimable + a.unaccrued + a.refunded
        assert paid + a.forfeited + a.dust == a.funded + a.renewals + a.rotated_in
