"""A slashing pays at once (issue 20, first slice; docs/protocol.md "Slashing").

Anyone proves the cluster's validator slashed (its `slashed` field, against an EIP-4788 root) with
`StrategyModule.prove_slashing`, once, for a staked cluster: the stream stops at the proof's time, every
winner's bond is charged to the current ByzNft holder in the Escrow (pulled with `Auction.claim_refund`) and
every seat's unserved credits are forfeited to the holder in StakerRewards (pulled with `withdraw_credit`),
instead of going back to the operators; the cluster is marked slashed. A `prove_exit` with a slashed
validator's proof takes the same path (a slashing sets the exit epoch too, so the operators cannot unlock
their bonds by proving the exit first). After an expiry only the bonds are left to charge. Nothing is pushed,
so a holder that refuses ETH blocks nothing, and the principal comes home as after an exit.

The proofs are synthetic (tests/staker/proofs.py, with the `slashed` chunk set); the conservation checks are
the Escrow's (balance == held + claimable) and StakerRewards' (balance == held + credits; per cluster, paid +
credited + claimable + unaccrued + refunded + forfeited + dust == funded + renewals).
"""

from __future__ import annotations

import boa
import pytest

from deploy.constants import c
from tests.staker.conftest import STAKE, emitted_by, event_names, events, mock_deployer
from tests.staker.exits import (
    activate,
    bring_principal_home,
    epoch_now,
    now,
    prove,
    request_exit,
    wait_for_exit_window,
)
from tests.staker.slashing import DAY, bonds_of, check_identities, unserved
from tests.utils.seats import bid_ids_of, cluster_of, operators_of, seats_of

# ---------------------------------------------------------------- helpers


def slashed_proof(protocol, cluster_id, salt=b"slashing", slashed=True):
    """A fresh root (12 s later) where the cluster's validator is slashed (exit epoch set, as a slashing sets
    it); returns (beacon_timestamp, proof)."""
    exit_epoch = epoch_now(protocol.manager) + 5
    return prove(protocol, cluster_id, salt, activation_epoch=1, exit_epoch=exit_epoch, slashed=slashed)


def snapshot(protocol, cluster_id, accounts) -> dict:
    """Everything a refused call must leave alone."""
    sr, escrow, auction = protocol.staker_rewards, protocol.escrow, protocol.auction
    return {
        "status": protocol.manager.cluster_status(cluster_id),
        "stream": sr.status(cluster_id),
        "accounting": tuple(sr.accounting(cluster_id, seats_of(sr, cluster_id))),
        "credits": [sr.credit_of(a) for a in accounts],
        "claimable": [escrow.claimable(a) for a in accounts],
        "held": [escrow.held(b) for b in bid_ids_of(auction, cluster_id)],
        "balances": [boa.env.get_balance(x.address) for x in (sr, escrow)],
    }


@pytest.fixture(scope="module")
def accounts(operators, stakers, outsider):
    return [*operators, *stakers, outsider]


# ---------------------------------------------------------------- the slashing


def test_slashing_pays_every_bond_and_the_unserved_credits_to_the_holder(
    protocol, confirmed_module, auction, escrow, staker_rewards, manager, operators, outsider, accounts
):
    cluster_id, module, staker = confirmed_module()
    winners = list(operators_of(auction, cluster_id))
    boa.env.time_travel(seconds=10 * DAY + 123)
    with boa.env.prank(staker):
        claimed = module.claim_rewards()  # what the holder already took stands
    check_identities(protocol, cluster_id, accounts)
    escrow_before = boa.env.get_balance(escrow.address)
    sr_before = boa.env.get_balance(staker_rewards.address)
    stream = staker_rewards.get_stream(cluster_id)

    timestamp, proof = slashed_proof(protocol, cluster_id)
    coverage = staker_rewards.coverage(cluster_id, seats_of(staker_rewards, cluster_id))
    with boa.env.prank(outsider):  # anyone
        module.prove_slashing(seats_of(module, module.cluster_id()), timestamp, proof)
    logs = module.get_logs()

    forfeited = unserved(staker_rewards, cluster_id, timestamp)
    bonds = bonds_of(auction, cluster_id)
    assert bonds == 4 * c.BOND and forfeited > 0
    staker_total = stream.rate * (timestamp - stream.start) // DAY
    assert events(emitted_by(logs, module.address), "SlashingProven") == [
        {
            "cluster_id": cluster_id,
            "caller": outsider,
            "slash_time": timestamp,
            "exit_epoch": int.from_bytes(bytes(proof[3][6])[:8], "little"),
            "beacon_timestamp": timestamp,
        }
    ]
    assert events(emitted_by(logs, manager.address), "SlashingProven") == [
        {"cluster_id": cluster_id, "strategy_module": module.address, "slash_time": timestamp}
    ]
    (slashed_event,) = events(emitted_by(logs, staker_rewards.address), "StreamSlashed")
    assert slashed_event["holder"] == staker and slashed_event["stop"] == timestamp
    assert slashed_event["staker_total"] == staker_total and slashed_event["forfeited"] == forfeited
    returned = events(emitted_by(logs, escrow.address), "CreditsReturned")
    assert [(e["credit"], e["bond_unlocked"], e["bond_to"]) for e in returned] == [(0, c.BOND, staker)] * 4
    assert "ExitProven" not in event_names(logs) and "StreamEnded" not in event_names(logs)
    # coverage announced exactly what the slashing paid
    assert tuple(coverage) == (bonds, forfeited, bonds + forfeited)

    assert manager.cluster_status(cluster_id) == c.CLUSTER_SLASHED
    assert staker_rewards.status(cluster_id) == c.STREAM_SLASHED
    assert module.is_staked() and module.status() == c.CLUSTER_SLASHED
    assert staker_rewards.credit_of(staker) == forfeited
    assert escrow.claimable(staker) == bonds
    for op in winners:  # the operators get nothing back: the served credits were the staker's
        assert escrow.claimable(op) == 0
    a = staker_rewards.accounting(cluster_id, seats_of(staker_rewards, cluster_id))
    assert (a.refunded, a.forfeited) == (0, forfeited)
    assert a.paid_to_stakers == claimed and a.claimable == staker_total - claimed and a.unaccrued == 0
    assert a.funded == forfeited + staker_total + a.dust and a.dust <= 4
    assert tuple(staker_rewards.coverage(cluster_id, seats_of(staker_rewards, cluster_id))) == (0, 0, 0)
    # nothing left either contract: the bonds moved from held to claimable, the credits from held to credit
    assert boa.env.get_balance(escrow.address) == escrow_before
    assert boa.env.get_balance(staker_rewards.address) == sr_before
    check_identities(protocol, cluster_id, accounts)

    # the holder pulls everything, exactly once
    balance = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        assert staker_rewards.withdraw_credit(staker) == forfeited
        assert auction.claim_refund(staker) == bonds
        assert staker_rewards.claim(cluster_id) == staker_total - claimed
    assert boa.env.get_balance(staker) - balance == forfeited + bonds + staker_total - claimed
    with boa.env.prank(staker), boa.reverts("staker_rewards: no credit"):
        staker_rewards.withdraw_credit(staker)
    with boa.env.prank(staker), boa.reverts("escrow: nothing to claim"):
        auction.claim_refund(staker)
    assert boa.env.get_balance(escrow.address) == escrow_before - bonds
    assert staker_rewards.held(cluster_id, seats_of(staker_rewards, cluster_id)) == a.dust
    check_identities(protocol, cluster_id, accounts)


def test_a_slashing_is_charged_once(protocol, confirmed_module, accounts, outsider):
    cluster_id, module, _ = confirmed_module()
    boa.env.time_travel(seconds=DAY)
    module.prove_slashing(seats_of(module, module.cluster_id()), *slashed_proof(protocol, cluster_id))
    again = slashed_proof(protocol, cluster_id, salt=b"again")  # (time passes: snapshot after it)
    before = snapshot(protocol, cluster_id, accounts)
    with boa.env.prank(outsider), boa.reverts("strategy_module: cluster not staked"):
        module.prove_slashing(seats_of(module, module.cluster_id()), *again)
    with boa.env.prank(outsider), boa.reverts("strategy_module: cluster not staked"):
        module.prove_exit(seats_of(module, module.cluster_id()), *again)
    assert snapshot(protocol, cluster_id, accounts) == before


def test_a_validator_not_slashed_is_refused(protocol, confirmed_module, accounts, outsider):
    cluster_id, module, _ = confirmed_module()
    not_slashed = slashed_proof(protocol, cluster_id, slashed=False)
    before = snapshot(protocol, cluster_id, accounts)
    with boa.env.prank(outsider), boa.reverts("strategy_module: validator not slashed"):
        module.prove_slashing(seats_of(module, module.cluster_id()), *not_slashed)
    assert snapshot(protocol, cluster_id, accounts) == before


def test_another_validators_proof_is_refused(protocol, confirmed_module, manager, accounts, outsider):
    cluster_id, module, _ = confirmed_module()
    from tests.staker.proofs import posted_proof, validator_fields

    fields = validator_fields(
        b"\x42" * 48, bytes(manager.withdrawal_credentials(cluster_id)), exit_epoch=9, slashed=True
    )
    before = snapshot(protocol, cluster_id, accounts)
    with boa.env.prank(outsider), boa.reverts("strategy_module: proof is for another validator"):
        module.prove_slashing(
            seats_of(module, module.cluster_id()), *posted_proof(protocol.beacon_roots, fields)
        )
    assert snapshot(protocol, cluster_id, accounts) == before


def test_only_a_module_and_the_manager_charge(protocol, confirmed_module, manager, staker_rewards, accounts):
    cluster_id, _, staker = confirmed_module()
    before = snapshot(protocol, cluster_id, accounts)
    with boa.env.prank(staker), boa.reverts("strategy_module_manager: caller is not a strategy module"):
        manager.on_slashing_proven(now())
    for caller in (staker, manager.address):  # StakerRewards takes the charge from the cluster's module only
        with boa.env.prank(caller), boa.reverts("staker_rewards: caller is not the cluster's module"):
            staker_rewards.charge_slashing(cluster_id, seats_of(staker_rewards, cluster_id), now())
    assert snapshot(protocol, cluster_id, accounts) == before


def test_prove_exit_with_a_slashed_proof_takes_the_slashing_path(
    protocol, confirmed_module, auction, escrow, staker_rewards, manager, accounts
):
    """The race: a slashing sets the exit epoch too; an operator proving the exit with that proof first
    would unlock its bond, so the proof's `slashed` field sends it down the slashing path."""
    cluster_id, module, staker = confirmed_module()
    winner = operators_of(auction, cluster_id)[0]
    boa.env.time_travel(seconds=3 * DAY)
    timestamp, proof = slashed_proof(protocol, cluster_id)
    with boa.env.prank(winner):
        module.prove_exit(seats_of(module, module.cluster_id()), timestamp, proof)
    logs = module.get_logs()
    assert "ExitProven" not in event_names(logs)
    assert events(emitted_by(logs, module.address), "SlashingProven")[0]["caller"] == winner
    assert manager.cluster_status(cluster_id) == c.CLUSTER_SLASHED
    assert escrow.claimable(winner) == 0
    assert escrow.claimable(staker) == bonds_of(auction, cluster_id)
    assert staker_rewards.credit_of(staker) == unserved(staker_rewards, cluster_id, timestamp)
    check_identities(protocol, cluster_id, accounts)


def test_slashing_after_an_expiry_charges_the_bonds_alone(
    protocol, confirmed_module, auction, escrow, staker_rewards, manager, accounts, outsider
):
    cluster_id, module, staker = confirmed_module()
    boa.env.time_travel(seconds=staker_rewards.get_stream(cluster_id).end - now() + DAY)
    staker_rewards.expire(cluster_id, seats_of(staker_rewards, cluster_id))
    cluster = cluster_of(auction, cluster_id)
    credits = {op: escrow.claimable(op) for op in cluster.operators}
    assert sum(credits.values()) > 0  # the longer seats got their unused days back at the expiry
    coverage = staker_rewards.coverage(cluster_id, seats_of(staker_rewards, cluster_id))
    assert (coverage.bonds_locked, coverage.credits_left) == (bonds_of(auction, cluster_id), 0)
    refunded = staker_rewards.accounting(cluster_id, seats_of(staker_rewards, cluster_id)).refunded
    sr_balance = boa.env.get_balance(staker_rewards.address)

    timestamp, proof = slashed_proof(protocol, cluster_id)
    with boa.env.prank(outsider):
        module.prove_slashing(seats_of(module, module.cluster_id()), timestamp, proof)
    (e,) = events(emitted_by(module.get_logs(), staker_rewards.address), "StreamSlashed")
    assert e["forfeited"] == 0 and e["stop"] == staker_rewards.get_stream(cluster_id).end
    assert manager.cluster_status(cluster_id) == c.CLUSTER_SLASHED
    assert staker_rewards.status(cluster_id) == c.STREAM_ENDED
    assert escrow.claimable(staker) == coverage.bonds_locked
    assert staker_rewards.credit_of(staker) == 0
    assert {op: escrow.claimable(op) for op in cluster.operators} == credits  # refunds not charged stand
    a = staker_rewards.accounting(cluster_id, seats_of(staker_rewards, cluster_id))
    assert (a.refunded, a.forfeited) == (refunded, 0)
    assert boa.env.get_balance(staker_rewards.address) == sr_balance
    check_identities(protocol, cluster_id, accounts)
    # the operators still collect what the expiry returned
    op = cluster.operators[0]
    with boa.env.prank(op):
        assert auction.claim_refund(op) == credits[op]


def test_after_a_sale_the_current_holder_is_paid(
    protocol, confirmed_module, auction, escrow, staker_rewards, byz_nft, stakers, accounts
):
    cluster_id, module, seller = confirmed_module()
    buyer = stakers[1]
    boa.env.time_travel(seconds=5 * DAY)
    with boa.env.prank(seller):
        byz_nft.transferFrom(seller, buyer, cluster_id)
    sale_credit = staker_rewards.credit_of(seller)
    assert sale_credit > 0
    boa.env.time_travel(seconds=DAY)
    timestamp, proof = slashed_proof(protocol, cluster_id)
    module.prove_slashing(seats_of(module, module.cluster_id()), timestamp, proof)
    assert staker_rewards.credit_of(seller) == sale_credit
    assert escrow.claimable(seller) == 0
    assert staker_rewards.credit_of(buyer) == unserved(staker_rewards, cluster_id, timestamp)
    assert escrow.claimable(buyer) == bonds_of(auction, cluster_id)
    check_identities(protocol, cluster_id, accounts)


def test_a_holder_that_refuses_eth_still_collects(
    protocol, confirmed_module, auction, escrow, staker_rewards, byz_nft, outsider, accounts
):
    cluster_id, module, staker = confirmed_module()
    holder = mock_deployer("PullingHolder").deploy()
    with boa.env.prank(staker):
        byz_nft.safeTransferFrom(staker, holder.address, cluster_id)
    boa.env.time_travel(seconds=2 * DAY)
    timestamp, proof = slashed_proof(protocol, cluster_id)
    module.prove_slashing(
        seats_of(module, module.cluster_id()), timestamp, proof
    )  # nothing is pushed: nothing to refuse
    forfeited, bonds = staker_rewards.credit_of(holder.address), escrow.claimable(holder.address)
    assert forfeited == unserved(staker_rewards, cluster_id, timestamp) > 0
    assert bonds == bonds_of(auction, cluster_id)
    check_identities(protocol, cluster_id, [*accounts, holder.address])
    # it names another receiver
    before = boa.env.get_balance(outsider)
    holder.pull(staker_rewards.address, staker_rewards.withdraw_credit.prepare_calldata(outsider))
    holder.pull(auction.address, auction.claim_refund.prepare_calldata(outsider))
    assert boa.env.get_balance(outsider) - before == forfeited + bonds
    assert staker_rewards.credit_of(holder.address) == escrow.claimable(holder.address) == 0
    check_identities(protocol, cluster_id, [*accounts, holder.address])


def test_the_principal_still_comes_home(protocol, confirmed_module, eigen_pod_manager):
    """Exit requested, validator slashed, the slashing proven: no further request (the exit is set), and
    the checkpoint, the queue, the completion and the withdrawal work as after an exit."""
    cluster_id, module, staker = confirmed_module()
    activation = activate(protocol, cluster_id, module)
    wait_for_exit_window(protocol, activation)
    request_exit(protocol, module, staker)
    module.prove_slashing(seats_of(module, module.cluster_id()), *slashed_proof(protocol, cluster_id))
    with boa.env.prank(staker), boa.reverts("strategy_module: cluster not staked"):
        module.request_exit(value=10**18)
    penalised = STAKE - STAKE // 32  # what the beacon chain sweeps after its penalties
    assert bring_principal_home(protocol, module, staker, penalised) == penalised
    assert eigen_pod_manager.podOwnerDepositShares(module.address) == 0


def test_coverage_over_a_clusters_life(
    protocol, ready_cluster, stake, stakers, auction, staker_rewards, manager
):
    cluster_id = ready_cluster()
    bonds = bonds_of(auction, cluster_id)
    assert tuple(staker_rewards.coverage(cluster_id, seats_of(staker_rewards, cluster_id))) == (
        bonds,
        0,
        bonds,
    )  # not streaming yet
    stake(stakers[0])
    from tests.staker.proofs import posted_proof, validator_fields

    fields = validator_fields(
        bytes(manager.validator_pubkey(cluster_id)), bytes(manager.withdrawal_credentials(cluster_id))
    )
    manager.confirm_stake(
        cluster_id, seats_of(manager, cluster_id), *posted_proof(protocol.beacon_roots, fields)
    )
    funded = staker_rewards.accounting(cluster_id, seats_of(staker_rewards, cluster_id)).funded
    full = staker_rewards.coverage(cluster_id, seats_of(staker_rewards, cluster_id))
    assert full.credits_left == funded and full.total == bonds + funded
    boa.env.time_travel(seconds=DAY // 2)
    half_day = staker_rewards.coverage(cluster_id, seats_of(staker_rewards, cluster_id))
    assert half_day.credits_left == unserved(staker_rewards, cluster_id, now()) < funded
    assert half_day.bonds_locked == bonds
