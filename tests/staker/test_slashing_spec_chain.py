"""A slashing on the consensus-spec chain (deploy/sim/beacon.py, Fulu, mainnet preset), proven and paid.

The protocol against `SpecBeaconChain`, with the chain's own proofs against the parent roots it posts to
EIP-4788: a staker stakes into a cluster; the 1 ETH pre-deposit enters the registry through the pending
queue (finality, churn) and `confirm_stake` proves it; the 31 ETH follow; the validator activates and is
restaked through EigenLayer. Then the spec slashes it (`slash_validator`, the model's lever) and anyone
proves it: the holder is owed exactly the winners' bonds and the unserved credits (`StakerRewards.coverage`
just before, to the wei), the operators nothing, a second proof is refused. The spec has set the exit epoch
and the withdrawable epoch (`EPOCHS_PER_SLASHINGS_VECTOR` after the slashing); a checkpoint proves the
penalised balance to the pod, and the withdrawable shares follow it to the wei.

The principal itself is swept only at the withdrawable epoch, 8192 epochs (36 days) after the slashing:
5 to 10 minutes of the model's CPU (0.04 s an epoch or more, no quiet-epoch skip), so that last leg (sweep,
checkpoint, queue, delay, completion, withdraw: the holder gets the swept balance to the gwei) runs only
with the project's long-run switch (`BYZ_LONG_FUZZ=1`). On this small network (8 224 ETH) a slashed
validator's missed attestations cost about 3.7 ETH over those 8192 epochs, more than on mainnet.
"""

from __future__ import annotations

import boa
import pytest

from deploy.sim.beacon import SECONDS_PER_SLOT, SLOTS_PER_EPOCH, spec
from tests.staker.conftest import STAKE
from tests.staker.restaking import POD_STATUS_WITHDRAWN, pod_of, queued_withdrawal, wait_withdrawal_delay
from tests.staker.slashing import bonds_of, check_identities, unserved
from tests.staker.spec_chain import checkpoint, long_run, restaked_on_the_spec_chain, run_epochs
from tests.utils.constants import c
from tests.utils.seats import operators_of, seats_of

GWEI = 10**9
WAD = 10**18


@pytest.fixture(scope="module")
def accounts(operators, stakers, outsider):
    return [*operators, *stakers, outsider]


def slashed_on_the_spec_chain(protocol, ready_cluster, staker, outsider):
    """Stake, confirm, activate and restake a cluster's validator on the spec chain, then slash it through
    the spec; returns (chain, cluster id, module, pubkey, the slot the slashing was made at)."""
    chain, cluster_id, module, pubkey = restaked_on_the_spec_chain(protocol, ready_cluster, staker, outsider)
    # the stream runs a while; then a proposer or attester slashing is included in the next block
    run_epochs(chain, 3)
    slot = chain.slot
    chain.slash(pubkey)
    return chain, cluster_id, module, pubkey, slot


def prove_and_collect(protocol, chain, cluster_id, module, pubkey, slot, staker, outsider, accounts) -> dict:
    """The spec's slashing (exit and withdrawable epochs, penalty) proven by anyone with the chain's proof;
    the holder collects the bonds and the unserved credits. Returns the figures."""
    auction, escrow, sr = protocol.auction, protocol.escrow, protocol.staker_rewards
    operators = list(operators_of(auction, cluster_id))
    v = chain.validator(pubkey)
    effective = v.effective_balance
    boa.env.time_travel(seconds=2 * SECONDS_PER_SLOT)
    timestamp = chain.process()  # the block after the lever's slot includes the slashing
    # the spec's slash_validator: exit initiated (churn is idle: the first exit epoch allowed), withdrawable
    # EPOCHS_PER_SLASHINGS_VECTOR after the slashing, Electra's initial penalty
    epoch = (slot + 1) // SLOTS_PER_EPOCH
    assert v.slashed
    assert v.exit_epoch == spec.compute_activation_exit_epoch(epoch)
    assert v.withdrawable_epoch == max(
        v.exit_epoch + spec.config.MIN_VALIDATOR_WITHDRAWABILITY_DELAY,
        epoch + spec.EPOCHS_PER_SLASHINGS_VECTOR,
    )
    assert int(chain.state.slashings[epoch % spec.EPOCHS_PER_SLASHINGS_VECTOR]) == effective
    assert v.balance < STAKE // GWEI

    # what a slashing proven now pays, announced by coverage (the proof's time is the block's)
    proof = chain.validator_proof(pubkey)
    coverage = sr.coverage(cluster_id, seats_of(sr, cluster_id))
    bonds = bonds_of(auction, cluster_id)
    forfeited = unserved(sr, cluster_id, timestamp)
    assert bonds == len(operators) * c.BOND and forfeited > 0
    assert tuple(coverage) == (bonds, forfeited, bonds + forfeited)
    before = {op: (escrow.claimable(op), sr.credit_of(op)) for op in operators}
    with boa.env.prank(outsider):  # anyone
        module.prove_slashing(seats_of(module, module.cluster_id()), timestamp, proof)
    assert protocol.manager.cluster_status(cluster_id) == c.CLUSTER_SLASHED == module.status()
    assert sr.status(cluster_id) == c.STREAM_SLASHED
    assert escrow.claimable(staker) == bonds and sr.credit_of(staker) == forfeited
    assert {op: (escrow.claimable(op), sr.credit_of(op)) for op in operators} == before  # nothing more
    check_identities(protocol, cluster_id, accounts)
    # a second proof, even a later one, is refused
    boa.env.time_travel(seconds=SECONDS_PER_SLOT)
    again = chain.process()
    with boa.env.prank(outsider), boa.reverts("strategy_module: cluster not staked"):
        module.prove_slashing(seats_of(module, module.cluster_id()), again, chain.validator_proof(pubkey))
    # the holder pulls exactly the coverage
    balance = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        sr.withdraw_credit(staker)
        auction.claim_refund(staker)
    assert boa.env.get_balance(staker) - balance == coverage.total
    check_identities(protocol, cluster_id, accounts)
    return {
        "bonds": bonds,
        "credits": forfeited,
        "exit_epoch": v.exit_epoch,
        "withdrawable": v.withdrawable_epoch,
    }


def proven_penalty(protocol, chain, module, pubkey, outsider) -> tuple[int, int]:
    """A checkpoint proves the penalised balance to the pod: the deposit shares stay, the beacon-chain
    slashing factor falls, the withdrawable shares are the balance plus the excess the sweep already paid the
    pod (rewards above 32 ETH before the slashing), to the wei. Returns (balance, that excess) in gwei."""
    epm, dm = protocol.eigen_pod_manager, protocol.delegation_manager
    pod = pod_of(module)
    timestamp = checkpoint(chain, module, pubkey, outsider)
    state, _ = chain.block_at(timestamp)
    balance = int(state.balances[chain.index_of[pubkey]])
    excess = sum(wei for address, wei in chain.paid if address == pod.address)
    assert boa.env.get_balance(pod.address) == excess and excess % GWEI == 0
    excess //= GWEI
    # at most 32 ETH less Electra's initial penalty (less the penalties of any epoch since)
    assert balance <= STAKE // GWEI - STAKE // GWEI // spec.MIN_SLASHING_PENALTY_QUOTIENT_ELECTRA
    assert pod.validatorPubkeyToInfo(pubkey).restakedBalanceGwei == balance
    assert epm.podOwnerDepositShares(module.address) == STAKE
    assert epm.beaconChainSlashingFactor(module.address) == WAD * (balance + excess) // (STAKE // GWEI)
    [withdrawable], [deposit] = dm.getWithdrawableShares(module.address, [epm.beaconChainETHStrategy()])
    assert deposit == STAKE and withdrawable == (balance + excess) * GWEI
    return balance, excess


def test_a_spec_slashing_is_proven_and_the_holder_paid(protocol, ready_cluster, stakers, outsider, accounts):
    staker = stakers[0]
    chain, cluster_id, module, pubkey, slot = slashed_on_the_spec_chain(
        protocol, ready_cluster, staker, outsider
    )
    prove_and_collect(protocol, chain, cluster_id, module, pubkey, slot, staker, outsider, accounts)
    proven_penalty(protocol, chain, module, pubkey, outsider)
    # the principal waits for the withdrawable epoch (test below, long run); an exit request is refused
    with boa.env.prank(staker), boa.reverts("strategy_module: cluster not staked"):
        module.request_exit(value=10**18)


@long_run
def test_after_a_spec_slashing_the_principal_comes_home(protocol, ready_cluster, stakers, outsider, accounts):
    """The whole way (5 to 10 minutes): at the withdrawable epoch the sweep pays the balance the spec left
    (initial, attestation and correlation penalties over 8192 epochs) to the pod; a checkpoint marks the
    validator WITHDRAWN; the holder queues every share, anyone completes after EigenLayer's delay, the holder
    withdraws: the pod's ETH (that balance plus the excess swept before), to the gwei."""
    epm = protocol.eigen_pod_manager
    staker = stakers[0]
    chain, cluster_id, module, pubkey, slot = slashed_on_the_spec_chain(
        protocol, ready_cluster, staker, outsider
    )
    figures = prove_and_collect(protocol, chain, cluster_id, module, pubkey, slot, staker, outsider, accounts)
    balance, excess = proven_penalty(protocol, chain, module, pubkey, outsider)
    v = chain.validator(pubkey)
    run_epochs(chain, figures["withdrawable"] - chain.epoch + 1)
    pod = pod_of(module)
    assert v.balance == 0
    home = boa.env.get_balance(pod.address)
    swept = home // GWEI - excess
    assert swept == v.withdrawn - excess and 0 < swept <= balance
    checkpoint(chain, module, pubkey, outsider)
    assert pod.validatorPubkeyToInfo(pubkey).status == POD_STATUS_WITHDRAWN
    assert pod.withdrawableRestakedExecutionLayerGwei() * GWEI == home
    shares = epm.podOwnerDepositShares(module.address)
    with boa.env.prank(staker):
        module.queue_withdrawal(shares)
    wait_withdrawal_delay(protocol)
    module.complete_withdrawal(queued_withdrawal(protocol, module), sender=outsider)
    received = boa.env.get_balance(module.address)
    assert home - GWEI < received <= home
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        module.withdraw(received, staker)
    assert boa.env.get_balance(staker) - before == received
    print(
        f"slashed: balance {balance} gwei after the initial penalty, swept {swept} gwei, home {received} wei"
    )
