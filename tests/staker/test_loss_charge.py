"""A loss at a checkpoint is charged (issue 20, second slice; docs/protocol.md §10 "A loss at a checkpoint").

Once a finalised checkpoint of the cluster's pod proves its validator's balance below the 32 ETH it was
staked with, while the pod still counts it active, anyone reports it (`StrategyModule.report_loss`, with a
proof of the validator's 0x01 credentials): the rise of the loss above what was charged or reported before is
set aside from the winners' bonds in the Escrow, pro rata to the bonds and capped by them. Within
`CHALLENGE_WINDOW` anyone may answer it with a newer checkpoint showing a smaller loss (`answer_loss`); after
it, anyone settles it to the current holder (`settle_loss`), who pulls it with `Auction.claim_refund`.
Nothing of it blocks the exit, a slashing's charge, or the operators' refund of what was not charged.

The beacon states are synthetic (tests/staker/restaking.py, proofs.py); test_loss_charge_spec_chain.py plays
an offline validator on the consensus specs.
"""

from __future__ import annotations

import boa
import pytest

from tests.staker.conftest import emitted_by, events
from tests.staker.exits import activate, now, prove, prove_exit, request_exit, wait_for_exit_window
from tests.staker.losses import (
    GWEI,
    WINDOW,
    bond_columns,
    checkpoint_at,
    credentials_proof,
    report,
)
from tests.staker.restaking import cluster_checkpoint
from tests.staker.slashing import DAY, check_identities
from tests.utils.constants import c
from tests.utils.seats import bid_ids_of, operators_of, seats_of

BOND = c.BOND
LOSS = 500_000_000  # gwei: half an ether


@pytest.fixture(scope="module")
def accounts(operators, stakers, outsider):
    return [*operators, *stakers, outsider]


@pytest.fixture(scope="module")
def restaked(protocol, confirmed_module):
    """A confirmed cluster whose validator is restaked in its pod (32 ETH): (cluster id, module, holder,
    activation epoch)."""

    def run():
        cluster_id, module, staker = confirmed_module()
        activation = activate(protocol, cluster_id, module)
        return cluster_id, module, staker, activation

    return run


def pending(module) -> tuple:
    lc = module.loss_charge()
    return lc.pending_gwei, lc.reserved, lc.checkpoint, lc.reported_at


def snapshot(protocol, cluster_id, module, accounts) -> dict:
    escrow = protocol.escrow
    return {
        "loss": tuple(module.loss_charge()),
        "bonds": bond_columns(protocol, cluster_id),
        "claimable": [escrow.claimable(a) for a in accounts],
        "status": protocol.manager.cluster_status(cluster_id),
        "escrow": boa.env.get_balance(escrow.address),
    }


# ---------------------------------------------------------------- report, window, settle


def test_a_loss_is_set_aside_then_settled_to_the_holder(
    protocol, restaked, escrow, auction, staker_rewards, outsider, accounts
):
    cluster_id, module, staker, _ = restaked()
    winners = operators_of(auction, cluster_id)
    boa.env.time_travel(seconds=3 * DAY)
    checkpoint = checkpoint_at(protocol, module, LOSS)
    escrow_before = boa.env.get_balance(escrow.address)
    report(protocol, cluster_id, module, outsider)  # anyone
    reported_at = now()
    logs = module.get_logs()
    assert events(emitted_by(logs, module.address), "LossReported") == [
        {
            "cluster_id": cluster_id,
            "caller": outsider,
            "loss_gwei": LOSS,
            "checkpoint_timestamp": checkpoint,
            "reserved": LOSS * GWEI,
            "settles_at": reported_at + WINDOW,
        }
    ]
    share = LOSS * GWEI // 4  # pro rata to the four 1 ETH bonds
    assert [
        (e["bid_id"], e["amount"]) for e in events(emitted_by(logs, escrow.address), "ChargeReserved")
    ] == [(b, share) for b in bid_ids_of(auction, cluster_id)]
    assert bond_columns(protocol, cluster_id) == ([BOND - share] * 4, [share] * 4)
    assert pending(module) == (LOSS, LOSS * GWEI, checkpoint, reported_at)
    assert (
        staker_rewards.coverage(cluster_id, seats_of(staker_rewards, cluster_id)).bonds_locked
        == 4 * BOND - LOSS * GWEI
    )
    assert boa.env.get_balance(escrow.address) == escrow_before
    check_identities(protocol, cluster_id, accounts)

    # the window is open: no settlement yet
    seats = seats_of(module, cluster_id)
    boa.env.time_travel(seconds=reported_at + WINDOW - 1 - now())
    with boa.env.prank(outsider), boa.reverts("strategy_module: challenge window open"):
        module.settle_loss(seats)
    boa.env.time_travel(seconds=1)
    with boa.env.prank(outsider), boa.reverts("strategy_module: challenge window closed"):
        module.answer_loss(seats)
    with boa.env.prank(outsider):
        module.settle_loss(seats)
    logs = module.get_logs()
    assert events(emitted_by(logs, module.address), "LossSettled") == [
        {
            "cluster_id": cluster_id,
            "caller": outsider,
            "holder": staker,
            "loss_gwei": LOSS,
            "charged": LOSS * GWEI,
        }
    ]
    assert [(e["holder"], e["amount"]) for e in events(emitted_by(logs, escrow.address), "BondCharged")] == [
        (staker, share)
    ] * 4
    lc = module.loss_charge()
    assert (lc.charged_gwei, lc.charged) == (LOSS, LOSS * GWEI) and pending(module) == (0, 0, 0, 0)
    assert escrow.claimable(staker) == LOSS * GWEI
    assert all(escrow.claimable(op) == 0 for op in winners)
    assert bond_columns(protocol, cluster_id) == ([BOND - share] * 4, [0] * 4)
    check_identities(protocol, cluster_id, accounts)
    with boa.env.prank(outsider), boa.reverts("strategy_module: no pending charge"):
        module.settle_loss(seats)
    balance = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        assert auction.claim_refund(staker) == LOSS * GWEI
    assert boa.env.get_balance(staker) - balance == LOSS * GWEI
    assert boa.env.get_balance(escrow.address) == escrow_before - LOSS * GWEI
    check_identities(protocol, cluster_id, accounts)


def test_an_answer_with_the_balance_back_gives_the_bonds_back(
    protocol, restaked, escrow, operators, outsider, accounts
):
    cluster_id, module, _, _ = restaked()
    winner = operators_of(protocol.auction, cluster_id)[0]
    checkpoint_at(protocol, module, 2 * LOSS)
    report(protocol, cluster_id, module, outsider)
    reported_at = now()
    seats = seats_of(module, cluster_id)
    # a newer checkpoint shows part of it recovered: the charge falls to what it shows, the rest goes back
    boa.env.time_travel(seconds=DAY)
    later = checkpoint_at(protocol, module, LOSS // 2)
    with boa.env.prank(winner):
        module.answer_loss(seats)
    logs = module.get_logs()
    released = (2 * LOSS - LOSS // 2) * GWEI
    assert events(emitted_by(logs, module.address), "LossAnswered") == [
        {
            "cluster_id": cluster_id,
            "caller": winner,
            "loss_gwei": LOSS // 2,
            "checkpoint_timestamp": later,
            "released": released,
        }
    ]
    assert [
        (e["amount"], e["to_bond"]) for e in events(emitted_by(logs, escrow.address), "ChargeReleased")
    ] == [(released // 4, True)] * 4
    assert pending(module) == (LOSS // 2, LOSS // 2 * GWEI, later, reported_at)  # the window keeps its end
    check_identities(protocol, cluster_id, accounts)
    # the same checkpoint answers nothing more
    with boa.env.prank(winner), boa.reverts("strategy_module: no newer checkpoint"):
        module.answer_loss(seats)
    # back to 32 ETH: nothing is left to charge
    boa.env.time_travel(seconds=DAY)
    checkpoint_at(protocol, module, 0)
    with boa.env.prank(outsider):  # anyone answers
        module.answer_loss(seats)
    assert pending(module) == (0, 0, 0, 0)
    assert bond_columns(protocol, cluster_id) == ([BOND] * 4, [0] * 4)
    assert all(escrow.claimable(a) == 0 for a in accounts)
    with boa.env.prank(winner), boa.reverts("strategy_module: no pending charge"):
        module.answer_loss(seats)
    boa.env.time_travel(seconds=WINDOW)
    with boa.env.prank(outsider), boa.reverts("strategy_module: no pending charge"):
        module.settle_loss(seats)
    check_identities(protocol, cluster_id, accounts)


def test_an_answer_must_show_a_smaller_loss(protocol, restaked, outsider, accounts):
    cluster_id, module, _, _ = restaked()
    checkpoint_at(protocol, module, LOSS)
    report(protocol, cluster_id, module, outsider)
    boa.env.time_travel(seconds=DAY)
    checkpoint_at(protocol, module, LOSS)  # newer, but the same loss
    before = snapshot(protocol, cluster_id, module, accounts)
    with boa.env.prank(outsider), boa.reverts("strategy_module: loss not lower"):
        module.answer_loss(seats_of(module, cluster_id))
    assert snapshot(protocol, cluster_id, module, accounts) == before


def test_the_same_loss_is_never_charged_twice(protocol, restaked, escrow, outsider, accounts):
    """The charged loss is a high-water mark: a report charges only its rise, a recovery never gives a
    settled charge back, and a recovered loss that returns is not charged again."""
    cluster_id, module, staker, _ = restaked()
    seats = seats_of(module, cluster_id)
    checkpoint_at(protocol, module, LOSS)
    report(protocol, cluster_id, module, outsider)
    boa.env.time_travel(seconds=WINDOW)
    module.settle_loss(seats, sender=outsider)
    # the same reading again, then a lower one: nothing new
    with boa.env.prank(outsider), boa.reverts("strategy_module: no new loss"):
        module.report_loss(seats, *credentials_proof(protocol, cluster_id, b"again"))
    checkpoint_at(protocol, module, LOSS // 2)
    with boa.env.prank(outsider), boa.reverts("strategy_module: no new loss"):
        module.report_loss(seats, *credentials_proof(protocol, cluster_id, b"lower"))
    # a deeper loss: only its rise is set aside
    checkpoint_at(protocol, module, 3 * LOSS)
    report(protocol, cluster_id, module, outsider, b"deeper")
    assert pending(module)[:2] == (3 * LOSS, 2 * LOSS * GWEI)
    # it recovers below the charged mark: the pending part goes back, the settled part stays charged
    boa.env.time_travel(seconds=DAY)
    checkpoint_at(protocol, module, LOSS // 4)
    module.answer_loss(seats, sender=outsider)
    lc = module.loss_charge()
    assert (lc.charged_gwei, lc.charged, lc.pending_gwei, lc.reserved) == (LOSS, LOSS * GWEI, 0, 0)
    assert escrow.claimable(staker) == LOSS * GWEI
    assert sum(bond_columns(protocol, cluster_id)[0]) == 4 * BOND - LOSS * GWEI
    check_identities(protocol, cluster_id, accounts)


def test_a_higher_loss_raises_the_pending_charge_and_restarts_the_window(
    protocol, restaked, outsider, accounts
):
    cluster_id, module, _, _ = restaked()
    seats = seats_of(module, cluster_id)
    checkpoint_at(protocol, module, LOSS)
    report(protocol, cluster_id, module, outsider)
    boa.env.time_travel(seconds=WINDOW - DAY)
    later = checkpoint_at(protocol, module, 3 * LOSS)
    report(protocol, cluster_id, module, outsider, b"higher")
    (event,) = events(emitted_by(module.get_logs(), module.address), "LossReported")
    assert (event["loss_gwei"], event["reserved"]) == (3 * LOSS, 2 * LOSS * GWEI)  # only the rise
    assert pending(module) == (3 * LOSS, 3 * LOSS * GWEI, later, now())
    boa.env.time_travel(seconds=DAY)
    with boa.env.prank(outsider), boa.reverts("strategy_module: challenge window open"):
        module.settle_loss(seats)
    check_identities(protocol, cluster_id, accounts)


def test_the_charge_is_capped_by_the_bonds(protocol, restaked, staker_rewards, outsider, accounts):
    cluster_id, module, staker, _ = restaked()
    seats = seats_of(module, cluster_id)
    checkpoint_at(protocol, module, 6 * 10**9)  # 6 ETH lost, 4 ETH of bonds
    report(protocol, cluster_id, module, outsider)
    assert pending(module)[:2] == (6 * 10**9, 4 * BOND)
    assert bond_columns(protocol, cluster_id) == ([0] * 4, [BOND] * 4)
    assert tuple(staker_rewards.coverage(cluster_id, seats_of(staker_rewards, cluster_id)))[0] == 0
    checkpoint_at(protocol, module, 7 * 10**9)
    report(protocol, cluster_id, module, outsider, b"more")  # recorded, nothing left to set aside
    (event,) = events(emitted_by(module.get_logs(), module.address), "LossReported")
    assert event["reserved"] == 0 and pending(module)[:2] == (7 * 10**9, 4 * BOND)
    boa.env.time_travel(seconds=WINDOW)
    module.settle_loss(seats, sender=outsider)
    assert protocol.escrow.claimable(staker) == 4 * BOND
    assert module.loss_charge().charged_gwei == 7 * 10**9
    check_identities(protocol, cluster_id, accounts)


# ---------------------------------------------------------------- nothing blocks the exit or the refunds


def test_a_pending_charge_blocks_neither_the_exit_nor_the_refund_of_the_rest(
    protocol, restaked, escrow, auction, staker_rewards, outsider, accounts
):
    cluster_id, module, staker, activation = restaked()
    winners = operators_of(auction, cluster_id)
    seats = seats_of(module, cluster_id)
    checkpoint_at(protocol, module, LOSS)
    report(protocol, cluster_id, module, outsider)
    wait_for_exit_window(protocol, activation)
    request_exit(protocol, module, staker)  # the holder still asks for the exit
    prove_exit(protocol, cluster_id, module, activation, caller=outsider)
    assert protocol.manager.cluster_status(cluster_id) == c.CLUSTER_EXITED
    # the bonds unlocked, less what is set aside; the operators take theirs (and their credits) at once
    share = LOSS * GWEI // 4
    assert bond_columns(protocol, cluster_id) == ([0] * 4, [share] * 4)
    for op in winners:
        assert escrow.claimable(op) >= BOND - share
        with boa.env.prank(op):
            auction.claim_refund(op)
    check_identities(protocol, cluster_id, accounts)
    # no new report once the exit is proven, but the pending one plays out: an answer (the pod still counts
    # the validator until its balance is swept and checkpointed) goes to the operators, since the bonds
    # have unlocked
    with boa.env.prank(outsider), boa.reverts("strategy_module: cluster not staked"):
        module.report_loss(seats, *credentials_proof(protocol, cluster_id, b"late"))
    boa.env.time_travel(seconds=DAY)
    checkpoint_at(protocol, module, LOSS // 2)
    module.answer_loss(seats, sender=outsider)
    logs = events(emitted_by(module.get_logs(), escrow.address), "ChargeReleased")
    assert [(e["operator"], e["amount"], e["to_bond"]) for e in logs] == [
        (op, share // 2, False) for op in winners
    ]
    assert [escrow.claimable(op) for op in winners] == [share // 2] * 4
    boa.env.time_travel(seconds=WINDOW)
    module.settle_loss(seats, sender=outsider)
    assert escrow.claimable(staker) == LOSS // 2 * GWEI
    assert bond_columns(protocol, cluster_id) == ([0] * 4, [0] * 4)
    check_identities(protocol, cluster_id, accounts)


def test_a_slashing_after_a_report_pays_the_rest_of_the_bonds(protocol, restaked, escrow, outsider, accounts):
    """The slashing charges what the bonds still hold; the pending charge settles on its own: every bond
    reaches the holder exactly once."""
    cluster_id, module, staker, _ = restaked()
    seats = seats_of(module, cluster_id)
    checkpoint_at(protocol, module, LOSS)
    report(protocol, cluster_id, module, outsider)
    slashed = prove(protocol, cluster_id, b"slashed", activation_epoch=1, exit_epoch=9, slashed=True)
    module.prove_slashing(seats, *slashed, sender=outsider)
    assert escrow.claimable(staker) == 4 * BOND - LOSS * GWEI
    check_identities(protocol, cluster_id, accounts)
    # the slashing forfeits every bond: the set-aside part is no longer answerable
    checkpoint_at(protocol, module, LOSS // 2)
    with (
        boa.env.prank(operators_of(protocol.auction, cluster_id)[0]),
        boa.reverts("strategy_module: cluster slashed"),
    ):
        module.answer_loss(seats)
    boa.env.time_travel(seconds=WINDOW)
    module.settle_loss(seats, sender=outsider)
    assert escrow.claimable(staker) == 4 * BOND
    assert bond_columns(protocol, cluster_id) == ([0] * 4, [0] * 4)
    check_identities(protocol, cluster_id, accounts)


# ---------------------------------------------------------------- which readings count


def test_a_report_needs_a_loss_proven_by_a_finalised_checkpoint(
    protocol, confirmed_module, outsider, accounts
):
    cluster_id, module, _ = confirmed_module()
    seats = seats_of(module, cluster_id)
    before = snapshot(protocol, cluster_id, module, accounts)
    # not restaked: the pod does not count the validator
    with boa.env.prank(outsider), boa.reverts("strategy_module: validator not active in the pod"):
        module.report_loss(seats, *credentials_proof(protocol, cluster_id, b"inactive"))
    activate(protocol, cluster_id, module)
    before = snapshot(protocol, cluster_id, module, accounts)
    # restaked, never checkpointed: no reading yet
    with boa.env.prank(outsider), boa.reverts("strategy_module: no finalised checkpoint"):
        module.report_loss(seats, *credentials_proof(protocol, cluster_id, b"unproven"))
    # a checkpoint at 32 ETH: no loss
    checkpoint_at(protocol, module, 0)
    with boa.env.prank(outsider), boa.reverts("strategy_module: no new loss"):
        module.report_loss(seats, *credentials_proof(protocol, cluster_id, b"whole"))
    assert snapshot(protocol, cluster_id, module, accounts)["bonds"] == before["bonds"]


def test_a_report_needs_fresh_0x01_credentials(protocol, restaked, outsider, accounts):
    """With 0x02 credentials the holder could withdraw part of the balance (EIP-7002) and call it a loss;
    credentials never go back from 0x02, so a proof of 0x01 after the checkpoint rules it out."""
    cluster_id, module, _, _ = restaked()
    seats = seats_of(module, cluster_id)
    old = credentials_proof(protocol, cluster_id, b"old")
    checkpoint_at(protocol, module, LOSS)
    before = snapshot(protocol, cluster_id, module, accounts)
    with boa.env.prank(outsider), boa.reverts("strategy_module: proof older than the checkpoint"):
        module.report_loss(seats, *old)
    with boa.env.prank(outsider), boa.reverts("strategy_module: credentials not 0x01"):
        module.report_loss(seats, *credentials_proof(protocol, cluster_id, b"compounding", prefix=2))
    with boa.env.prank(outsider), boa.reverts("staker_rewards: seats do not match"):
        module.report_loss(seats[::-1], *credentials_proof(protocol, cluster_id, b"seats"))
    assert snapshot(protocol, cluster_id, module, accounts) == before


def test_a_withdrawn_validator_reports_nothing(protocol, restaked, outsider):
    """Swept after its exit, the validator reads 0 and the pod marks it withdrawn: that is the principal
    coming home, not a loss."""
    cluster_id, module, _, _ = restaked()
    cluster_checkpoint(protocol, module, balance_gwei=0)
    with boa.env.prank(outsider), boa.reverts("strategy_module: validator not active in the pod"):
        module.report_loss(seats_of(module, cluster_id), *credentials_proof(protocol, cluster_id))


def test_only_the_clusters_module_moves_a_charge(protocol, restaked, staker_rewards, accounts):
    cluster_id, module, staker, _ = restaked()
    seats = seats_of(staker_rewards, cluster_id)
    before = snapshot(protocol, cluster_id, module, accounts)
    for call in (
        lambda: staker_rewards.reserve_charge(cluster_id, seats, BOND),
        lambda: staker_rewards.release_charge(cluster_id, seats, 0),
        lambda: staker_rewards.settle_charge(cluster_id, seats),
    ):
        with boa.env.prank(staker), boa.reverts("staker_rewards: caller is not the cluster's module"):
            call()
    assert snapshot(protocol, cluster_id, module, accounts) == before
