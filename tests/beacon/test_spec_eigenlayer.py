"""Issue #16: a slashed or long-offline validator on the consensus-spec chain (deploy/sim/beacon.py, Fulu,
mainnet preset) shows up in EigenLayer v1.12's EigenPod stand-in as EigenLayer's stale-balance and
checkpoint rules say (EIGENLAYER.md §2.1, §2.2.2-§2.2.4, §2.3, §4 (c) and (e)).

A plain account owns the pod, delegated to an operator, and drives the EigenPod directly (no protocol
module in between). The expected figures come from `Ledger`, EigenLayer's rules in Python
(tests/utils/share_maths.py, with its rounding) fed with what the spec chain shows: the validators'
balances in the state of the block each checkpoint proves, and the sweeps the chain paid to the pod. Never
from the pod: each checkpoint's delta, the deposit shares, the beacon-chain slashing factor, the deposit
scaling factor, the operator's shares and the withdrawable shares are compared with the contracts'.

- A slashing through the spec (`slash_validator`): `verifyStaleBalance` with the chain's proof, by anyone,
  starts a checkpoint; EigenLayer's checks and errors in its order (the proof's time after the validator's
  last checkpoint, pod status, `slashed` set, one checkpoint at a time); the checkpoint lowers the
  slashing factor by exactly the spec's loss, never the deposit shares; repeated as the slashed validator
  keeps losing.
- A validator offline (no attestations): missed-attestation penalties with the network attesting, then
  the inactivity leak with half the network's stake offline (no finality): each checkpoint's delta is the
  spec's loss to the gwei and lowers the factor; back online, the next checkpoint's gain adds deposit
  shares at the lowered factor (the factor never comes back). The default run plays 80 epochs offline;
  the long run (`BYZ_LONG_FUZZ=1`) plays a week offline and two days of leak (~2 100 epochs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import boa
import pytest

from deploy.constants import Constants, read_constants
from deploy.protocol import ROOT
from deploy.sim.beacon import SECONDS_PER_EPOCH, SECONDS_PER_SLOT, SpecBeaconChain, spec
from tests.beacon.conftest import funded, stake
from tests.utils.errors import error_selector, reverts_with_error
from tests.utils.logs import events
from tests.utils.share_maths import WAD, delegated_loss, lowered_bcsf, updated_dsf, withdrawable

pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")
POD = Constants(read_constants(ROOT / "contracts" / "external" / "eigenlayer" / "EigenPod.vy"))
GWEI = 10**9
ZERO = "0x0000000000000000000000000000000000000000"
NO_SIGNATURE, NO_SALT = (b"", 0), bytes(32)
# the only long run here: a week offline (1 575 epochs), two days of leak, back online (~40 s of CPU)
LONG_RUN = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("BYZ_LONG_FUZZ") != "1", reason="long run: BYZ_LONG_FUZZ=1"),
]


def run_epochs(chain, epochs: int) -> int:
    boa.env.time_travel(seconds=epochs * SECONDS_PER_EPOCH)
    return chain.process()


def next_block(chain) -> int:
    boa.env.time_travel(seconds=SECONDS_PER_SLOT)
    return chain.process()


def swept_to(chain, address) -> int:
    """Wei the chain's withdrawals (the sweep) paid to `address` so far."""
    return sum(wei for to, wei in chain.paid if to == address)


@dataclass
class Ledger:
    """One pod owner's figures under EigenLayer's rules, fed with the spec chain's (gwei for balances, wei
    for shares). The operator has no AVS allocation: its max magnitude stays WAD, so the owner's slashing
    factor is the beacon-chain slashing factor alone."""

    proven: dict[bytes, int] = field(default_factory=dict)  # pubkey -> balance the pod last credited (gwei)
    pod_gwei: int = 0  # the pod's ETH credited by checkpoints (restakedExecutionLayerGwei)
    deposit: int = 0  # podOwnerDepositShares
    dsf: int = WAD  # the DelegationManager's deposit scaling factor
    bcsf: int = WAD  # the beacon-chain slashing factor
    operator_shares: int = 0
    values: dict[bytes, int] | None = None  # pubkey -> balance + withdrawn at the last checkpoint (gwei)

    @property
    def withdrawable(self) -> int:
        return withdrawable(self.deposit, self.dsf, self.bcsf)

    @property
    def restaked_wei(self) -> int:
        """What the pod holds as restaked, as the spec showed it at the last proof."""
        return (self.pod_gwei + sum(self.proven.values())) * GWEI

    def gain(self, wei: int) -> None:
        """EigenPodManager `_addShares`, DelegationManager `_increaseDelegation` (EIGENLAYER.md §2.1,
        §2.3)."""
        self.dsf = updated_dsf(self.dsf, self.deposit, wei, self.bcsf)
        self.deposit += wei
        self.operator_shares += wei

    def loss(self, prev_wei: int, wei: int) -> None:
        """A negative delta lowers the factor and the operator's shares (max magnitude WAD); the deposit
        shares stay."""
        new = lowered_bcsf(self.bcsf, prev_wei, wei)
        self.operator_shares -= delegated_loss(self.deposit, self.dsf, WAD, self.bcsf, new)
        self.bcsf = new

    def restake(self, chain, timestamp: int, pubkeys) -> None:
        """`verifyWithdrawalCredentials` credits the effective balances of the proven state."""
        state, _ = chain.block_at(timestamp)
        for pk in pubkeys:
            self.proven[pk] = int(state.validators[chain.index_of[pk]].effective_balance)
        self.gain(sum(self.proven[pk] for pk in pubkeys) * GWEI)

    def checkpoint(self, chain, timestamp: int, pod) -> int:
        """A checkpoint proving the block posted at `timestamp`: the pod's new ETH (sweeps) plus each
        validator's balance change since the pod's last figure; returns that delta (gwei)."""
        state, _ = chain.block_at(timestamp)
        new = {pk: int(state.balances[chain.index_of[pk]]) for pk in self.proven}
        pod_new = swept_to(chain, pod.address) // GWEI - self.pod_gwei
        prev_wei = self.restaked_wei
        delta = pod_new + sum(new[pk] - self.proven[pk] for pk in new)
        self.pod_gwei += pod_new
        self.proven = new
        if delta > 0:
            self.gain(delta * GWEI)
        elif delta < 0:
            self.loss(prev_wei, -delta * GWEI)
        return delta

    def check(self, suite, owner, operator, pod) -> None:
        epm, dm = suite.eigen_pod_manager, suite.delegation_manager
        beacon = epm.beaconChainETHStrategy()
        assert epm.podOwnerDepositShares(owner) == self.deposit
        assert epm.beaconChainSlashingFactor(owner) == self.bcsf
        assert dm.depositScalingFactor(owner, beacon) == self.dsf
        assert dm.operatorShares(operator, beacon) == self.operator_shares
        [shares], [deposit] = dm.getWithdrawableShares(owner, [beacon])
        assert (shares, deposit) == (self.withdrawable, self.deposit)
        # the withdrawable shares are the restaked ETH the spec shows, EigenLayer's roundings under a gwei
        assert self.restaked_wei - GWEI < shares <= self.restaked_wei
        assert pod.withdrawableRestakedExecutionLayerGwei() == self.pod_gwei
        for pk, gwei in self.proven.items():
            info = pod.validatorPubkeyToInfo(pk)
            assert (info.status, info.restakedBalanceGwei) == (POD.STATUS_ACTIVE, gwei)


@dataclass
class Restaked:
    suite: object
    chain: SpecBeaconChain
    pod: object
    owner: str
    operator: str
    pubkeys: list[bytes]
    ledger: Ledger

    def check(self) -> None:
        self.ledger.check(self.suite, self.owner, self.operator, self.pod)

    def spec_values(self, timestamp: int) -> dict[bytes, int]:
        """Each validator's balance in the block posted at `timestamp` plus what the sweep withdrew from it
        so far (gwei). Not `chain.validator`: after missed slots the live state has moved past that block."""
        state, _ = self.chain.block_at(timestamp)
        indices = {pk: self.chain.index_of[pk] for pk in self.pubkeys}
        return {pk: int(state.balances[i]) + self.chain.withdrawn.get(i, 0) for pk, i in indices.items()}

    def checkpoint(self, start: bool = True) -> tuple[int, int]:
        """Complete a checkpoint in the block of the chain's last posted root (started by the owner, or
        already by `verifyStaleBalance`) with the spec's balance proofs, by anyone; check every figure.
        From the second checkpoint on, its delta is the change of the spec's balances plus withdrawals since
        the previous one, to the gwei. Returns (timestamp, delta in gwei)."""
        chain, pod = self.chain, self.pod
        if start:
            with boa.env.prank(self.owner):
                pod.startCheckpoint(False)
        ts = pod.currentCheckpointTimestamp()
        assert ts == chain.last_timestamp
        with boa.env.prank(funded("spec-el-prover")):  # permissionless
            pod.verifyCheckpointProofs(*chain.checkpoint_proof_args(ts, self.pubkeys))
        [finalized] = events(pod.get_logs(), "CheckpointFinalized")
        assert pod.currentCheckpointTimestamp() == 0 and pod.lastCheckpointTimestamp() == ts
        delta = self.ledger.checkpoint(chain, ts, pod)
        assert finalized == {"checkpointTimestamp": ts, "totalShareDeltaWei": delta * GWEI}
        values = self.spec_values(ts)
        if self.ledger.values is not None:
            assert delta == sum(values.values()) - sum(self.ledger.values.values())
        self.ledger.values = values
        self.check()
        return ts, delta


def restaked(suite, pod_of, owner: str, operator: str, seeds: list[str]) -> Restaked:
    """`owner`, delegated to `operator`, stakes one validator per seed through the EigenPodManager; once
    the spec has activated them all, their credentials are proven against the chain's last root."""
    dm = suite.delegation_manager
    with boa.env.prank(operator):
        dm.registerAsOperator(ZERO, 0, "https://operator.example")
    with boa.env.prank(owner):
        dm.delegateTo(operator, NO_SIGNATURE, NO_SALT)
    chain = SpecBeaconChain(suite)
    pubkeys = [stake(suite, owner, seed=seed) for seed in seeds]
    for _ in range(24):  # finality, the churn, eligibility finalized, MAX_SEED_LOOKAHEAD
        timestamp = run_epochs(chain, 1)
        if all(chain.has_validator(pk) and chain.validator(pk).is_active(chain.epoch) for pk in pubkeys):
            break
    else:
        raise AssertionError("the validators never became active")
    pod = pod_of(owner)
    with boa.env.prank(owner):
        pod.verifyWithdrawalCredentials(*chain.credential_proof_args(pubkeys, timestamp))
    ledger = Ledger()
    ledger.restake(chain, timestamp, pubkeys)
    assert ledger.deposit == 32 * len(pubkeys) * WAD
    r = Restaked(suite, chain, pod, owner, operator, pubkeys, ledger)
    r.check()
    return r


def test_the_custom_errors_are_eigenlayers():
    """The stand-in's names carry EigenLayer's selectors (EIGENLAYER.md §2.8)."""
    assert error_selector("ValidatorNotSlashedOnBeaconChain()").hex() == "b0e72f68"
    assert error_selector("BeaconTimestampTooFarInPast()").hex() == "37e07ffd"


def test_a_spec_slashing_is_proven_stale_and_checkpointed_to_the_gwei(suite, pod_of):
    watcher = funded("spec-el-watcher")
    r = restaked(suite, pod_of, funded("spec-el-owner"), funded("spec-el-operator"), ["el-cut", "el-good"])
    chain, pod = r.chain, r.pod
    slashed, honest = r.pubkeys
    # a first checkpoint: every validator's lastCheckpointedAt is its timestamp (rewards, maybe a sweep)
    run_epochs(chain, 2)
    first, _ = r.checkpoint()

    def stale(pubkey: bytes, timestamp: int) -> None:
        with boa.env.prank(watcher):  # permissionless
            pod.verifyStaleBalance(*chain.stale_balance_args(pubkey, timestamp))

    # EigenLayer's checks, in its order: the proof's time after the validator's last checkpoint ...
    with reverts_with_error("BeaconTimestampTooFarInPast()"):
        stale(honest, first)
    now = next_block(chain)
    # ... the pod's status (a validator of the network, not of this pod) ...
    with reverts_with_error("ValidatorNotActiveInPod()"):
        stale(chain.network_pubkeys[0], now)
    # ... then `slashed` (an honest validator, however recent the proof)
    for pubkey in (honest, slashed):
        with reverts_with_error("ValidatorNotSlashedOnBeaconChain()"):
            stale(pubkey, now)

    chain.slash(slashed)  # a proposer or attester slashing, included in the next block
    now = run_epochs(chain, 1)
    cut = chain.validator(slashed)
    assert cut.slashed and not chain.validator(honest).slashed
    with reverts_with_error("BeaconTimestampTooFarInPast()"):  # a proof of the time of the last checkpoint
        stale(slashed, first)
    with reverts_with_error("ValidatorNotSlashedOnBeaconChain()"):
        stale(honest, now)
    stale(slashed, now)
    assert events(pod.get_logs(), "CheckpointCreated") == [
        {"checkpointTimestamp": now, "beaconBlockRoot": chain.last_block_root, "validatorCount": 2}
    ]
    with reverts_with_error("CheckpointAlreadyActive()"):  # one checkpoint at a time
        stale(slashed, now)
    deposit, before = r.ledger.deposit, dict(r.ledger.values)
    _, delta = r.checkpoint(start=False)
    assert delta < 0 and r.ledger.deposit == deposit and r.ledger.bcsf < WAD
    # the slashed one lost at least Electra's initial penalty more than the honest one (same rewards before)
    change = {pk: r.ledger.values[pk] - before[pk] for pk in r.pubkeys}
    assert change[slashed] - change[honest] <= -(32 * GWEI // int(spec.MIN_SLASHING_PENALTY_QUOTIENT_ELECTRA))

    # while it is ACTIVE in the pod, anyone may prove it again (EIGENLAYER.md §4 (e) 2): not at the same time
    with reverts_with_error("BeaconTimestampTooFarInPast()"):
        stale(slashed, now)
    factor = r.ledger.bcsf
    chain.take_offline(honest)  # both lose: the slashed one its attestations, the other its attestations
    later = run_epochs(chain, 3)
    stale(slashed, later)
    _, delta = r.checkpoint(start=False)
    assert delta < 0 and r.ledger.bcsf < factor and r.ledger.deposit == deposit


@pytest.mark.parametrize(
    ("quiet", "leak", "back"),
    [pytest.param(16, 64, 16, id="80-epochs"), pytest.param(1575, 450, 64, id="a-week", marks=LONG_RUN)],
)
def test_an_offline_validator_loses_what_the_spec_says_then_recovers(suite, pod_of, quiet, leak, back):
    r = restaked(suite, pod_of, funded("spec-el-absent"), funded("spec-el-operator"), ["el-absent"])
    chain, pod = r.chain, r.pod
    [pubkey] = r.pubkeys
    index = chain.index_of[pubkey]
    run_epochs(chain, 2)
    r.checkpoint()  # the pod's figures: the balance before it goes offline
    deposit = r.ledger.deposit

    # offline while the network attests: it misses source and target (penalties), no leak
    chain.take_offline(pubkey)
    run_epochs(chain, quiet)
    state = chain.state
    assert not spec.is_in_inactivity_leak(state) and int(state.previous_epoch_participation[index]) == 0
    # no slashing, so no stale-balance proof: only a checkpoint started by the owner shows the loss
    with boa.env.prank(funded("spec-el-watcher")), reverts_with_error("ValidatorNotSlashedOnBeaconChain()"):
        pod.verifyStaleBalance(*chain.stale_balance_args(pubkey))
    _, quiet_delta = r.checkpoint()
    assert quiet_delta < 0 and r.ledger.bcsf < WAD and r.ledger.deposit == deposit

    # half the network's stake stops attesting too: no finality, the inactivity leak
    chain.set_network_online(2)
    run_epochs(chain, leak)
    state = chain.state
    assert spec.is_in_inactivity_leak(state) and int(state.inactivity_scores[index]) > 0
    factor = r.ledger.bcsf
    _, leak_delta = r.checkpoint()
    assert leak_delta < 0 and r.ledger.bcsf < factor and r.ledger.deposit == deposit
    assert leak_delta * quiet < quiet_delta * leak  # it loses more an epoch in the leak

    # back online, the network too: finality returns, rewards; the gain adds deposit shares at the
    # lowered factor, which never comes back
    chain.bring_back(pubkey)
    chain.set_network_online(len(chain.network_pubkeys))
    run_epochs(chain, back)
    assert not spec.is_in_inactivity_leak(chain.state)
    factor, before = r.ledger.bcsf, r.ledger.withdrawable
    _, back_delta = r.checkpoint()
    assert back_delta > 0 and r.ledger.bcsf == factor and r.ledger.deposit == deposit + back_delta * GWEI
    assert back_delta * GWEI - GWEI < r.ledger.withdrawable - before <= back_delta * GWEI
