"""Bonds chosen at bidding, as the staker side sees them (issue 20; docs/protocol.md §2 and §10): a cluster
whose winners locked unequal bonds, one of them a whitelisted operator with none. The coverage view shows
the bonds actually locked, a loss charged at a checkpoint is split pro rata to them, and a slashing pays each
one, every figure to the wei, with the Escrow's and StakerRewards' identities after every step."""

from __future__ import annotations

import boa
import pytest

from tests.staker.conftest import module_at
from tests.staker.exits import activate, epoch_now, now, prove
from tests.staker.losses import GWEI, WINDOW, bond_columns, checkpoint_at, report
from tests.staker.proofs import posted_proof, validator_fields
from tests.staker.slashing import DAY, check_identities, unserved
from tests.utils.constants import c
from tests.utils.logs import events
from tests.utils.seats import bid_ids_of, seats_of

BOND = c.BOND
# each operator's bond, in the order of `operators`; the fourth is whitelisted and locks none
BONDS = [c.MAX_BOND, 5 * BOND // 2, BOND, 0]
LOSS = 777_777_777  # gwei: splits unevenly over the bonds


@pytest.fixture(scope="module")
def accounts(operators, stakers, outsider):
    return [*operators, *stakers, outsider]


@pytest.fixture(scope="module")
def cluster(protocol, auction, owner, operators, stakers, manager, bid_round, pre_create, register, stake):
    """A confirmed and restaked cluster won with the bonds of BONDS: (cluster id, module, holder, bond of
    each winning bid in seat order)."""

    def run():
        with boa.env.prank(owner):
            auction.add_to_whitelist(operators[3])
        ids = bid_round(operators[:4], bonds=BONDS)
        bond_of = dict(zip(ids, BONDS, strict=True))
        (cluster_id,) = pre_create(1)
        register(cluster_id)
        staker = stakers[0]
        module = module_at(stake(staker))
        fields = validator_fields(
            bytes(manager.validator_pubkey(cluster_id)), bytes(manager.withdrawal_credentials(cluster_id))
        )
        manager.confirm_stake(
            cluster_id, seats_of(manager, cluster_id), *posted_proof(protocol.beacon_roots, fields)
        )
        activate(protocol, cluster_id, module)
        return cluster_id, module, staker, [bond_of[b] for b in bid_ids_of(auction, cluster_id)]

    return run


def pro_rata(amount: int, weights: list[int]) -> list[int]:
    """The Escrow's split (docs/protocol.md §10): floors pro rata to the weights, then the few wei left to
    the first weights with room."""
    total = sum(weights)
    shares = [amount * w // total for w in weights]
    left = amount - sum(shares)
    for i, w in enumerate(weights):
        extra = min(left, w - shares[i])
        shares[i] += extra
        left -= extra
    return shares


def test_each_seat_shows_the_bond_it_paid_and_coverage_adds_them(
    protocol, cluster, auction, escrow, staker_rewards, accounts
):
    cluster_id, _, _, bonds = cluster()
    assert sorted(bonds) == sorted(BONDS) and 0 in bonds
    for bid_id, bond in zip(bid_ids_of(auction, cluster_id), bonds, strict=True):
        assert auction.get_bid(bid_id).bond == bond  # a whitelisted seat shows 0
        assert escrow.held(bid_id) == bond and escrow.is_locked(bid_id)
    boa.env.time_travel(seconds=3 * DAY)
    coverage = staker_rewards.coverage(cluster_id, seats_of(staker_rewards, cluster_id))
    credits_left = unserved(staker_rewards, cluster_id, now())
    assert tuple(coverage) == (sum(BONDS), credits_left, sum(BONDS) + credits_left)
    check_identities(protocol, cluster_id, accounts)


def test_a_loss_is_charged_pro_rata_to_unequal_bonds(
    protocol, cluster, auction, escrow, staker_rewards, outsider, accounts
):
    cluster_id, module, staker, bonds = cluster()
    boa.env.time_travel(seconds=3 * DAY)
    checkpoint_at(protocol, module, LOSS)
    report(protocol, cluster_id, module, outsider)
    shares = pro_rata(LOSS * GWEI, bonds)
    assert sum(shares) == LOSS * GWEI and shares[bonds.index(0)] == 0
    assert all(s <= b for s, b in zip(shares, bonds, strict=True))
    logs = module.get_logs()
    reserved = [(e["bid_id"], e["amount"]) for e in events(logs, "ChargeReserved")]
    ids = bid_ids_of(auction, cluster_id)
    assert reserved == [(b, s) for b, s in zip(ids, shares, strict=True) if s]
    assert bond_columns(protocol, cluster_id) == ([b - s for b, s in zip(bonds, shares, strict=True)], shares)
    seats = seats_of(staker_rewards, cluster_id)
    assert staker_rewards.coverage(cluster_id, seats).bonds_locked == sum(BONDS) - LOSS * GWEI
    check_identities(protocol, cluster_id, accounts)

    boa.env.time_travel(seconds=WINDOW)
    with boa.env.prank(outsider):
        module.settle_loss(seats_of(module, cluster_id))
    charged = [(e["bid_id"], e["amount"]) for e in events(module.get_logs(), "BondCharged")]
    assert charged == reserved
    assert escrow.claimable(staker) == LOSS * GWEI
    assert bond_columns(protocol, cluster_id) == (
        [b - s for b, s in zip(bonds, shares, strict=True)],
        [0] * 4,
    )
    check_identities(protocol, cluster_id, accounts)


def test_a_loss_above_the_bonds_takes_each_bond_whole(protocol, cluster, staker_rewards, outsider, accounts):
    cluster_id, module, _, bonds = cluster()
    boa.env.time_travel(seconds=DAY)
    loss = sum(BONDS) // GWEI + 10**9  # one ETH more than every bond together
    checkpoint_at(protocol, module, loss)
    report(protocol, cluster_id, module, outsider)
    assert module.loss_charge().reserved == sum(BONDS)
    assert bond_columns(protocol, cluster_id) == ([0] * 4, bonds)
    seats = seats_of(staker_rewards, cluster_id)
    assert staker_rewards.coverage(cluster_id, seats).bonds_locked == 0
    check_identities(protocol, cluster_id, accounts)


def test_a_slashing_pays_each_bond_as_paid(
    protocol, cluster, auction, escrow, staker_rewards, operators, outsider, accounts
):
    cluster_id, module, staker, bonds = cluster()
    boa.env.time_travel(seconds=5 * DAY)
    exit_epoch = epoch_now(protocol.manager) + 5
    timestamp, proof = prove(
        protocol, cluster_id, b"slashing", activation_epoch=1, exit_epoch=exit_epoch, slashed=True
    )
    coverage = staker_rewards.coverage(cluster_id, seats_of(staker_rewards, cluster_id))
    forfeited = unserved(staker_rewards, cluster_id, timestamp)
    with boa.env.prank(outsider):
        module.prove_slashing(seats_of(module, cluster_id), timestamp, proof)
    returned = events(module.get_logs(), "CreditsReturned")
    assert [(e["bid_id"], e["bond_unlocked"], e["bond_to"]) for e in returned] == [
        (b, bond, staker) for b, bond in zip(bid_ids_of(auction, cluster_id), bonds, strict=True)
    ]
    assert tuple(coverage) == (sum(BONDS), forfeited, sum(BONDS) + forfeited)  # announced, then paid
    assert escrow.claimable(staker) == sum(BONDS) and staker_rewards.credit_of(staker) == forfeited
    assert all(escrow.claimable(op) == 0 for op in operators[:4])
    check_identities(protocol, cluster_id, accounts)
