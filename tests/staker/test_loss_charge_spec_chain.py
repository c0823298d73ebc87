"""An offline spell on the consensus-spec chain (deploy/sim/beacon.py, Fulu, mainnet preset), proven by an
EigenLayer checkpoint and charged to the winners' bonds (docs/protocol.md §10 "A loss at a checkpoint").

The cluster's validator is staked, confirmed, activated and restaked as on mainnet (tests/staker/
spec_chain.py). Then it goes offline: the spec's inactivity penalties take its balance below 32 ETH, a
checkpoint of the pod proves it (`verifyCheckpointProofs` with the chain's proofs), and anyone reports it with
a proof of the validator's 0x01 credentials: that loss, to the gwei, is set aside from the bonds. The
validator comes back and earns part of it back; within the window an operator answers with a newer checkpoint
and the charge falls to what that one shows. The holder exits meanwhile (the pending charge blocks nothing:
the request, the proof of the exit, the operators' refund of what is not set aside, the sweep, the
checkpoint, the queue and its completion), and after the window anyone settles: the holder ends with exactly
the principal the beacon chain paid back plus the charged part of the bonds, to the wei. A switch to 0x02
credentials (the holder's own EIP-7251 request) makes later readings unusable: reports are refused.
About 600 epochs of the spec chain (the exit waits activation + 256 epochs, then 256 more to be
withdrawable); the 7-day window runs on the EVM clock alone once the principal is home.
"""

from __future__ import annotations

import boa
import pytest

from tests.staker.exits import request_exit
from tests.staker.losses import STAKED_GWEI, WINDOW, bond_columns
from tests.staker.restaking import (
    POD_STATUS_ACTIVE,
    POD_STATUS_WITHDRAWN,
    pod_of,
    queued_withdrawal,
    wait_withdrawal_delay,
)
from tests.staker.slashing import check_identities
from tests.staker.spec_chain import GWEI, checkpoint, restaked_on_the_spec_chain, run_epochs
from tests.utils.constants import c
from tests.utils.seats import operators_of, seats_of
from tests.utils.spec_chain import wait_for

OFFLINE_EPOCHS = 40
BACK_EPOCHS = 12


@pytest.fixture(scope="module")
def accounts(operators, stakers, outsider):
    return [*operators, *stakers, outsider]


def reading(chain, module, pubkey, outsider) -> tuple[int, int]:
    """A checkpoint now: (its timestamp, the loss below 32 ETH it proves, gwei)."""
    timestamp = checkpoint(chain, module, pubkey, outsider)
    info = pod_of(module).validatorPubkeyToInfo(pubkey)
    assert info.status == POD_STATUS_ACTIVE and info.lastCheckpointedAt == timestamp
    state, _ = chain.block_at(timestamp)
    balance = int(state.balances[chain.index_of[pubkey]])
    assert info.restakedBalanceGwei == balance
    return timestamp, max(STAKED_GWEI - balance, 0)


def test_an_offline_spell_is_charged_to_the_bonds(
    protocol, ready_cluster, stakers, operators, outsider, accounts
):
    auction, escrow = protocol.auction, protocol.escrow
    staker = stakers[0]
    chain, cluster_id, module, pubkey = restaked_on_the_spec_chain(protocol, ready_cluster, staker, outsider)
    seats = seats_of(module, cluster_id)
    winners = operators_of(auction, cluster_id)
    v = chain.validator(pubkey)
    # online: the sweep keeps the balance at 32 ETH and above; a checkpoint shows no loss
    run_epochs(chain, 2)
    _, loss = reading(chain, module, pubkey, outsider)
    assert loss == 0
    with boa.env.prank(outsider), boa.reverts("strategy_module: no new loss"):
        module.report_loss(seats, chain.last_timestamp, chain.validator_proof(pubkey))

    # offline: the spec's penalties, proven by a checkpoint and reported by anyone
    chain.take_offline(pubkey)
    run_epochs(chain, OFFLINE_EPOCHS)
    first, loss = reading(chain, module, pubkey, outsider)
    assert loss > 0
    with boa.env.prank(outsider):
        module.report_loss(seats, first, chain.validator_proof(pubkey))
    assert module.loss_charge().pending_gwei == loss
    assert bond_columns(protocol, cluster_id) == ([c.BOND - loss * GWEI // 4] * 4, [loss * GWEI // 4] * 4)
    check_identities(protocol, cluster_id, accounts)

    # back online, it earns part of it back; an operator answers with a newer checkpoint
    chain.bring_back(pubkey)
    run_epochs(chain, BACK_EPOCHS)
    _, recovered = reading(chain, module, pubkey, outsider)
    assert 0 < recovered < loss
    with boa.env.prank(winners[0]):
        module.answer_loss(seats)
    assert module.loss_charge().pending_gwei == recovered
    assert sum(bond_columns(protocol, cluster_id)[1]) == recovered * GWEI
    check_identities(protocol, cluster_id, accounts)

    # the holder switches the validator to 0x02 credentials (on mainnet: an EIP-7251 request through its pod):
    # EIP-7002 could then withdraw part of the balance at the holder's request, so no later reading counts
    chain.switch_to_compounding(pubkey)
    timestamp = wait_for(chain, lambda: v.withdrawal_credentials[:1] == b"\x02", "0x02 credentials", first=1)
    with boa.env.prank(outsider), boa.reverts("strategy_module: credentials not 0x01"):
        module.report_loss(seats, timestamp, chain.validator_proof(pubkey))

    # the holder exits while the charge is pending: nothing waits for it
    activation = module.activation_epoch()
    due = (
        protocol.manager.beacon_genesis_time() + (activation + c.SHARD_COMMITTEE_PERIOD) * c.SECONDS_PER_EPOCH
    )
    run_epochs(chain, max(0, (due - chain.last_timestamp) // c.SECONDS_PER_EPOCH + 1))
    request_exit(protocol, module, staker)
    timestamp = wait_for(chain, lambda: v.exit_epoch != c.FAR_FUTURE_EPOCH, "an exit epoch", first=1)
    with boa.env.prank(outsider):
        module.prove_exit(seats, timestamp, chain.validator_proof(pubkey))
    assert protocol.manager.cluster_status(cluster_id) == c.CLUSTER_EXITED
    held, reserved = bond_columns(protocol, cluster_id)
    assert held == [0] * 4 and sum(reserved) == recovered * GWEI
    for op in winners:  # each takes its bond less what is set aside, and its unserved credits
        refund = escrow.claimable(op)
        with boa.env.prank(op):
            assert auction.claim_refund(op) == refund
    check_identities(protocol, cluster_id, accounts)

    # withdrawable 256 epochs after the exit: swept to the pod, checkpointed, queued, completed
    pod = pod_of(module)
    run_epochs(chain, v.withdrawable_epoch - chain.epoch + 1)
    assert v.balance == 0
    checkpoint(chain, module, pubkey, outsider)
    assert pod.validatorPubkeyToInfo(pubkey).status == POD_STATUS_WITHDRAWN
    paid = sum(wei for address, wei in chain.paid if address == pod.address)
    with boa.env.prank(staker):
        module.queue_withdrawal(protocol.eigen_pod_manager.podOwnerDepositShares(module.address))
    wait_withdrawal_delay(protocol)
    module.complete_withdrawal(queued_withdrawal(protocol, module), sender=outsider)
    principal = boa.env.get_balance(module.address)
    # what the beacon chain paid back, less what EigenLayer's share maths floor (a gwei at most)
    assert paid - GWEI <= principal <= paid

    # after the window, anyone settles: the holder gets the charged part of the bonds
    settles_at = module.loss_charge().reported_at + WINDOW
    if boa.env.timestamp < settles_at:
        boa.env.time_travel(seconds=settles_at - boa.env.timestamp)
    with boa.env.prank(outsider):
        module.settle_loss(seats)
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        module.withdraw(principal, staker)
        charged = auction.claim_refund(staker)
    got = boa.env.get_balance(staker) - before
    assert charged == recovered * GWEI
    assert got == principal + recovered * GWEI
    assert bond_columns(protocol, cluster_id) == ([0] * 4, [0] * 4)
    check_identities(protocol, cluster_id, accounts)
    print(f"offline {OFFLINE_EPOCHS} epochs: {loss} gwei lost; back {BACK_EPOCHS}: {recovered} gwei charged")
