"""State machine over native restaking with EigenLayer v1.12's stand-ins against the spec beacon chain
(deploy/sim/beacon.py): 32 ETH stakes through the EigenPodManager, beacon time over epochs (the deposit
queue, activation after finality, rewards, EIP-7002 exits, sweeps), credential proofs, checkpoints,
delegation and undelegation (by the staker or forced by the operator), exit requests, queued withdrawals
completed after the delay as ETH or as shares.

After every step (EIGENLAYER.md §2.1-2.4):
- each owner's deposit shares are the restaked effective balances plus the checkpointed deltas, less
  what was queued, plus what came back as shares; the pod's records (restaked balances, checkpointed
  ETH) follow the same accounting, computed here from the chain's blocks;
- each operator's shares are the sum of its delegators' withdrawable shares;
- ETH is conserved to the gwei: what the chain paid each pod is what its validators withdrew on the beacon
  chain, and the pods' ETH plus what the owners were paid is what the chain paid them; every staked
  32 ETH is in the deposit contract, and on the beacon chain none is dropped or lost (every validator
  attests): a deposit still in the queue holds its 32 ETH, a validator's balance plus withdrawals is at
  least 32 ETH (the rest is the spec's issuance).

Beacon time: the default profile's blocks are at most 4 epochs apart, so an exit request comes before
SHARD_COMMITTEE_PERIOD (256 epochs of activity) and the spec ignores it (tests/beacon/test_restaking.py
plays a whole exit); the `full` and `long` profiles (tests/utils/stateful.py) also jump 600 epochs (more
than SHARD_COMMITTEE_PERIOD, the exit queue and MIN_VALIDATOR_WITHDRAWABILITY_DELAY together), so a
request between two jumps is honoured, swept and checkpointed as WITHDRAWN (each jump ~7 s of CPU).
"""

from __future__ import annotations

import boa
import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from deploy import keys
from deploy.protocol import at
from deploy.sim.beacon import FAR_FUTURE_EPOCH, SECONDS_PER_EPOCH, SpecBeaconChain
from tests.beacon.conftest import ETH, WITHDRAWAL_DELAY_BLOCKS, deposit_data
from tests.utils.errors import reverts_with_error
from tests.utils.spec_chain import wait_for
from tests.utils.stateful import PROFILE, StatefulBase

pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")

GWEI = 10**9
STAKERS = 3
KEYS_PER_STAKER = 2
ZERO = "0x0000000000000000000000000000000000000000"
NO_SIGNATURE = (b"", 0)
NO_SALT = bytes(32)
ACTIVE, WITHDRAWN = 1, 2
# epochs a `beacon_block` step lets pass: 600 only outside the default profile (the module's docstring)
EPOCHS = (0, 1, 4) if PROFILE == "ci" else (0, 4, 600)


class RestakingMachine(StatefulBase):
    examples = 10
    steps = 40
    ci_examples, ci_steps = 8, 36  # the default test command (tests/utils/stateful.py)
    suite = None
    stakers: list = []
    operators: list = []

    def __init__(self):
        super().__init__()
        self.chain = SpecBeaconChain(self.suite)
        self.epm = self.suite.eigen_pod_manager
        self.dm = self.suite.delegation_manager
        self.beacon = self.epm.beaconChainETHStrategy()
        self.staked: set[tuple[int, int]] = set()
        self.restaked: dict[tuple[int, int], int] = {}  # pod-ACTIVE validators -> restakedBalanceGwei
        self.withdrawn: set[tuple[int, int]] = set()  # pod status WITHDRAWN
        self.pod_gwei = [0] * STAKERS  # restakedExecutionLayerGwei: checkpointed ETH in the pod
        self.deposit_shares = [0] * STAKERS
        self.delegated: dict[int, int] = {}  # staker -> operator
        self.deposited = self.paid_out = 0  # wei

    # ------------------------------------------------------------------ helpers
    def pod(self, s: int):
        return at("eigen_pod_implementation", self.epm.getPod(self.stakers[s]))

    def pubkey(self, s: int, k: int) -> bytes:
        credentials = keys.eigen_pod_withdrawal_credentials(self.epm.getPod(self.stakers[s]))
        return deposit_data(credentials, f"stateful-{s}-{k}", 32 * GWEI)[0]

    def has_activation_epoch(self, s: int, k: int) -> bool:
        """In the registry (of the last posted block: the state only moves on in `process()`) and given an
        activation epoch."""
        pubkey = self.pubkey(s, k)
        return (
            self.chain.has_validator(pubkey)
            and self.chain.validator(pubkey).activation_epoch != FAR_FUTURE_EPOCH
        )

    def restakable(self) -> list[tuple[int, int]]:
        """Staked, with an activation epoch, never proven in the pod."""
        return [
            key
            for key in sorted(self.staked)
            if key not in self.restaked and key not in self.withdrawn and self.has_activation_epoch(*key)
        ]

    def queued(self, s: int) -> list:
        withdrawals, _ = self.dm.getQueuedWithdrawals(self.stakers[s])
        return list(withdrawals)

    # -------------------------------------------------------------------- rules
    @initialize()
    def first_stakes(self):
        """Every staker stakes its first key; the deposits enter the registry and get activation epochs."""
        for s in range(STAKERS):
            self.stake(s, 0)
        ready = lambda: all(self.has_activation_epoch(s, 0) for s in range(STAKERS))  # noqa: E731
        wait_for(self.chain, ready, "the first stakes' activation epochs", epochs=16)

    @rule(s=st.integers(0, STAKERS - 1), k=st.integers(0, KEYS_PER_STAKER - 1))
    def stake(self, s, k):
        if (s, k) in self.staked:
            return
        owner = self.stakers[s]
        credentials = keys.eigen_pod_withdrawal_credentials(self.epm.getPod(owner))
        pubkey, signature, root = deposit_data(credentials, f"stateful-{s}-{k}", 32 * GWEI)
        with boa.env.prank(owner):
            self.epm.stake(pubkey, signature, root, value=32 * ETH)
        self.staked.add((s, k))
        self.deposited += 32 * ETH

    @rule(epochs=st.sampled_from(EPOCHS))
    def beacon_block(self, epochs):
        """`epochs` epochs and a slot of beacon time, every slot processed; the root of the last block."""
        boa.env.time_travel(seconds=12 + epochs * SECONDS_PER_EPOCH)
        self.chain.process()

    @precondition(lambda self: self.restakable())
    @rule(data=st.data())
    def restake(self, data):
        s, k = data.draw(st.sampled_from(self.restakable()))
        pod, owner = self.pod(s), self.stakers[s]
        pubkey = self.pubkey(s, k)
        args = self.chain.credential_proof_args([pubkey])
        with boa.env.prank(owner):
            if pod.lastCheckpointTimestamp() >= args[0]:  # a checkpoint already used this block
                with reverts_with_error("BeaconTimestampBeforeLatestCheckpoint()"):
                    pod.verifyWithdrawalCredentials(*args)
                return
            pod.verifyWithdrawalCredentials(*args)
        effective = self.chain.validator(pubkey).effective_balance
        self.restaked[(s, k)] = effective
        self.deposit_shares[s] += effective * GWEI

    @rule(s=st.integers(0, STAKERS - 1))
    def checkpoint(self, s):
        """A checkpoint of every pod-ACTIVE validator, its delta computed here from the chain's block."""
        pod, owner = self.pod(s), self.stakers[s]
        if self.chain.last_timestamp != boa.env.evm.patch.timestamp:
            self.chain.process()  # blocks were mined (withdrawal delay): the current block's parent root
        with boa.env.prank(owner):
            if pod.lastCheckpointTimestamp() == boa.env.evm.patch.timestamp:
                with reverts_with_error("CannotCheckpointTwiceInSingleBlock()"):
                    pod.startCheckpoint(False)
                return
            pod.startCheckpoint(False)
        new_pod_gwei = boa.env.get_balance(pod.address) // GWEI - self.pod_gwei[s]
        active = sorted(key for key in self.restaked if key[0] == s)
        ts = pod.currentCheckpointTimestamp()
        if active:
            assert ts == self.chain.last_timestamp
            pod.verifyCheckpointProofs(
                *self.chain.checkpoint_proof_args(ts, [self.pubkey(*key) for key in active])
            )
        assert pod.currentCheckpointTimestamp() == 0
        state, _ = self.chain.block_at(self.chain.last_timestamp)
        delta = new_pod_gwei
        for key in active:
            balance = int(state.balances[self.chain.index_of[self.pubkey(*key)]])
            delta += balance - self.restaked[key]
            self.restaked[key] = balance
            if balance == 0:
                del self.restaked[key]
                self.withdrawn.add(key)
        self.pod_gwei[s] += new_pod_gwei
        assert delta >= 0  # every validator attests: rewards, sweeps and exits only, no penalties
        self.deposit_shares[s] += delta * GWEI

    @rule(s=st.integers(0, STAKERS - 1), o=st.integers(0, 1))
    def delegate(self, s, o):
        if s in self.delegated:
            with boa.env.prank(self.stakers[s]), reverts_with_error("ActivelyDelegated()"):
                self.dm.delegateTo(self.operators[o], NO_SIGNATURE, NO_SALT)
            return
        with boa.env.prank(self.stakers[s]):
            self.dm.delegateTo(self.operators[o], NO_SIGNATURE, NO_SALT)
        self.delegated[s] = o

    @precondition(lambda self: self.delegated)
    @rule(data=st.data(), forced=st.booleans())
    def undelegate(self, data, forced):
        """Undelegation queues every deposit share; the operator may force it too."""
        s = data.draw(st.sampled_from(sorted(self.delegated)))
        caller = self.operators[self.delegated[s]] if forced else self.stakers[s]
        with boa.env.prank(caller):
            self.dm.undelegate(self.stakers[s])
        del self.delegated[s]
        self.deposit_shares[s] = 0

    @precondition(lambda self: self.restaked)
    @rule(data=st.data())
    def request_exit(self, data):
        s, k = data.draw(st.sampled_from(sorted(self.restaked)))
        pod, owner = self.pod(s), self.stakers[s]
        fee = pod.getWithdrawalRequestFee()
        before = boa.env.get_balance(owner)
        with boa.env.prank(owner):
            pod.requestWithdrawal([(self.pubkey(s, k), 0)], value=fee + 10**15)
        assert boa.env.get_balance(owner) == before - fee  # the surplus came back

    @precondition(lambda self: any(self.deposit_shares))
    @rule(data=st.data(), part=st.sampled_from(["all", "half", "checkpointed"]))
    def queue_withdrawal(self, data, part):
        s = data.draw(st.sampled_from([s for s in range(STAKERS) if self.deposit_shares[s]]))
        held = self.deposit_shares[s]
        shares = {"all": held, "half": held // 2 // GWEI * GWEI, "checkpointed": self.pod_gwei[s] * GWEI}[
            part
        ]
        shares = min(shares, held) or held
        with boa.env.prank(self.stakers[s]):
            self.dm.queueWithdrawals([([self.beacon], [shares], ZERO)])
        self.deposit_shares[s] -= shares

    @precondition(lambda self: any(self.queued(s) for s in range(STAKERS)))
    @rule(data=st.data(), as_tokens=st.booleans())
    def complete_withdrawal(self, data, as_tokens):
        """After the delay: as ETH when the pod has checkpointed enough, else back as shares."""
        s = data.draw(st.sampled_from([s for s in range(STAKERS) if self.queued(s)]))
        withdrawal = self.queued(s)[0]
        owner = self.stakers[s]
        if boa.env.evm.patch.block_number <= withdrawal[4] + WITHDRAWAL_DELAY_BLOCKS:
            with boa.env.prank(owner), reverts_with_error("WithdrawalDelayNotElapsed()"):
                self.dm.completeQueuedWithdrawal(withdrawal, [ZERO], as_tokens)
            boa.env.time_travel(blocks=WITHDRAWAL_DELAY_BLOCKS + 1)
        shares = withdrawal[6][0]  # no slashing: the scaled shares are the shares
        as_tokens = as_tokens and shares // GWEI <= self.pod_gwei[s]
        before = boa.env.get_balance(owner)
        with boa.env.prank(owner):
            self.dm.completeQueuedWithdrawal(withdrawal, [ZERO], as_tokens)
        if as_tokens:
            paid = shares // GWEI * GWEI
            assert boa.env.get_balance(owner) - before == paid
            self.pod_gwei[s] -= shares // GWEI
            self.paid_out += paid
        else:
            self.deposit_shares[s] += shares

    # --------------------------------------------------------------- invariants
    @invariant()
    def deposit_shares_follow_the_proofs(self):
        for s, owner in enumerate(self.stakers):
            assert self.epm.podOwnerDepositShares(owner) == self.deposit_shares[s]
            assert self.epm.beaconChainSlashingFactor(owner) == 10**18
            if not self.epm.hasPod(owner):
                continue
            pod = self.pod(s)
            assert pod.withdrawableRestakedExecutionLayerGwei() == self.pod_gwei[s]
            assert pod.activeValidatorCount() == sum(1 for key in self.restaked if key[0] == s)
            for (who, k), gwei in self.restaked.items():
                if who == s:
                    assert tuple(pod.validatorPubkeyToInfo(self.pubkey(s, k)))[1::2] == (gwei, ACTIVE)
            for who, k in self.withdrawn:
                if who == s:
                    assert tuple(pod.validatorPubkeyToInfo(self.pubkey(s, k)))[3] == WITHDRAWN

    @invariant()
    def operator_shares_are_the_delegators_withdrawable_shares(self):
        for o, operator in enumerate(self.operators):
            expected = 0
            for s, op in self.delegated.items():
                if op == o:
                    assert self.dm.delegatedTo(self.stakers[s]) == operator
                    [withdrawable], _ = self.dm.getWithdrawableShares(self.stakers[s], [self.beacon])
                    expected += withdrawable
            assert self.dm.operatorShares(operator, self.beacon) == expected
        for s, owner in enumerate(self.stakers):
            assert self.dm.isDelegated(owner) == (s in self.delegated)

    @invariant()
    def eth_is_conserved(self):
        chain = self.chain
        assert boa.env.get_balance(self.suite.deposit_contract.address) == self.deposited
        paid_to = {}
        for address, wei in chain.paid:
            paid_to[address] = paid_to.get(address, 0) + wei
        in_pods = paid_to_pods = 0  # (the chain pays its own network validators too)
        for s, owner in enumerate(self.stakers):
            pod = self.epm.getPod(owner)
            in_pods += boa.env.get_balance(pod)
            paid_to_pods += paid_to.get(pod, 0)
            pubkeys = [self.pubkey(who, k) for who, k in self.staked if who == s]
            registered = [pubkey for pubkey in pubkeys if chain.has_validator(pubkey)]
            # the sweeps paid the pod what its validators withdrew on the beacon chain
            assert paid_to.get(pod, 0) == sum(chain.validator(pk).withdrawn for pk in registered) * GWEI
            for pubkey in pubkeys:  # nothing lost on the beacon chain: the spec's issuance on top
                if pubkey in registered:
                    v = chain.validator(pubkey)
                    assert v.balance + v.withdrawn >= 32 * GWEI
                else:  # queued (or not yet in a block): never a part of it
                    assert sum(int(d.amount) for d in chain.pending_deposits(pubkey)) in (0, 32 * GWEI)
        assert not chain.ignored_deposits
        # the pods hold what the sweeps paid them, less what the owners were paid
        assert in_pods == paid_to_pods - self.paid_out


def test_restaking_state_machine(suite):
    stakers = [boa.env.generate_address(f"stateful_staker{i}") for i in range(STAKERS)]
    operators = [boa.env.generate_address(f"stateful_operator{i}") for i in range(2)]
    for account in stakers:
        boa.env.set_balance(account, 10_000 * ETH)
    for operator in operators:
        with boa.env.prank(operator):
            suite.delegation_manager.registerAsOperator(ZERO, 0, "https://operator.example")
    RestakingMachine.run(suite=suite, stakers=stakers, operators=operators)
