"""State machine over restaking: deposits, beacon blocks, credential / balance / exit proofs, delegation.

After every step: each pod owner's EigenPodManager shares equal the sum of its active validators' last proven
effective balances, and each operator's delegated shares equal the shares of the stakers delegated to it.
"""

from __future__ import annotations

from hashlib import sha256

import boa
import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from deploy import keys
from deploy.beacon import FAR_FUTURE_EPOCH, SECONDS_PER_EPOCH, BeaconChain
from deploy.protocol import at
from tests.beacon.conftest import ETH, deposit_data
from tests.utils.stateful import StatefulBase

pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")

GWEI = 10**9
KEYS_PER_STAKER = 2
AMOUNTS = (1, 31, 32)


def root_of(pubkey: bytes) -> bytes:
    return sha256(pubkey + bytes(16)).digest()


class RestakingMachine(StatefulBase):
    examples = 10
    steps = 40
    ci_examples, ci_steps = 5, 30  # the default test command (tests/utils/stateful.py)
    suite = None
    stakers: list = []
    operators: list = []

    def __init__(self):
        super().__init__()
        self.chain = BeaconChain(self.suite)
        self.epm = self.suite.eigen_pod_manager
        self.dm = self.suite.delegation_manager
        self.proven: dict[tuple[int, int], int] = {}  # (staker, key) -> restaked gwei (active validators)
        self.exited: set[tuple[int, int]] = set()
        self.delegated: dict[int, int] = {}  # staker -> operator
        self.timestamp = None

    # ------------------------------------------------------------------ helpers
    def pod(self, s: int):
        return at("eigen_pod_implementation", self.epm.get_pod(self.stakers[s]))

    def pubkey(self, s: int, k: int) -> bytes:
        credentials = keys.eigen_pod_withdrawal_credentials(self.epm.get_pod(self.stakers[s]))
        return deposit_data(credentials, f"stateful-{s}-{k}", 32 * GWEI)[0]

    def in_state(self, s: int, k: int) -> bool:
        pk = self.pubkey(s, k)
        return (
            self.timestamp is not None
            and self.chain.has_validator(pk)
            and self.chain.index_of[pk] < len(self.chain.state.validators)
        )

    def state_validator(self, s: int, k: int):
        return self.chain.state.validators[self.chain.index_of[self.pubkey(s, k)]]

    # -------------------------------------------------------------------- rules
    @initialize()
    def first_validators(self):
        """Staker 0 stakes 32 ETH, staker 1 pre-deposits 1 ETH; both are in the first block."""
        self.deposit(0, 0, 32)
        self.deposit(1, 0, 1)
        self.beacon_block(0)

    @rule(s=st.integers(0, 1), k=st.integers(0, KEYS_PER_STAKER - 1), eth=st.sampled_from(AMOUNTS))
    def deposit(self, s, k, eth):
        owner = self.stakers[s]
        credentials = keys.eigen_pod_withdrawal_credentials(self.epm.get_pod(owner))
        pubkey, signature, root = deposit_data(credentials, f"stateful-{s}-{k}", eth * GWEI)
        with boa.env.prank(owner):
            self.epm.stake(pubkey, signature, root, value=eth * ETH)

    @rule(epochs=st.sampled_from([0, 10, 300]))
    def beacon_block(self, epochs):
        """Blocks over `epochs` epochs (a few on the way, so activations and exits happen as time passes)."""
        for step in (3, 5) if epochs >= 10 else ():
            boa.env.time_travel(seconds=step * SECONDS_PER_EPOCH)
            self.chain.process()
            epochs -= step
        boa.env.time_travel(seconds=12 + epochs * SECONDS_PER_EPOCH)
        self.timestamp = self.chain.process()

    def known(self) -> list[tuple[int, int]]:
        """(staker, key) of every validator in the last posted state."""
        return [(s, k) for s in range(2) for k in range(KEYS_PER_STAKER) if self.in_state(s, k)]

    @precondition(lambda self: self.known())
    @rule(data=st.data())
    def verify_credentials(self, data):
        s, k = data.draw(st.sampled_from(self.known()))
        proof = self.chain.validator_proof(self.pubkey(s, k))
        v = self.state_validator(s, k)
        pod = self.pod(s)
        if (s, k) in self.proven or (s, k) in self.exited:
            with boa.reverts("eigen_pod: validator already restaked"):
                pod.verify_withdrawal_credentials(self.timestamp, proof)
        elif int(v.exit_epoch) != FAR_FUTURE_EPOCH:
            with boa.reverts("eigen_pod: validator is exiting"):
                pod.verify_withdrawal_credentials(self.timestamp, proof)
        else:
            pod.verify_withdrawal_credentials(self.timestamp, proof)
            self.proven[(s, k)] = int(v.effective_balance)

    @precondition(lambda self: self.proven)
    @rule(data=st.data())
    def balance_update(self, data):
        s, k = data.draw(st.sampled_from(sorted(self.proven)))
        pod = self.pod(s)
        proof = self.chain.validator_proof(self.pubkey(s, k))
        info = pod.validator_info(root_of(self.pubkey(s, k)))
        v = self.state_validator(s, k)
        if self.timestamp <= info.last_timestamp:
            with boa.reverts("eigen_pod: proof not newer"):
                pod.verify_balance_update(self.timestamp, proof)
        elif int(v.exit_epoch) != FAR_FUTURE_EPOCH:
            with boa.reverts("eigen_pod: validator is exiting"):
                pod.verify_balance_update(self.timestamp, proof)
        else:
            pod.verify_balance_update(self.timestamp, proof)
            self.proven[(s, k)] = int(v.effective_balance)

    @precondition(lambda self: self.known())
    @rule(data=st.data())
    def request_exit(self, data):
        s, k = data.draw(st.sampled_from(self.known()))
        with boa.env.prank(self.stakers[s]):
            self.pod(s).request_withdrawal(self.pubkey(s, k), 0, value=10**15)

    @precondition(lambda self: self.proven)
    @rule(data=st.data())
    def verify_exit(self, data):
        s, k = data.draw(st.sampled_from(sorted(self.proven)))
        proof = self.chain.validator_proof(self.pubkey(s, k))
        pod = self.pod(s)
        if int(self.state_validator(s, k).exit_epoch) == FAR_FUTURE_EPOCH:
            with boa.reverts("eigen_pod: validator not exiting"):
                pod.verify_exit(self.timestamp, proof)
        else:
            pod.verify_exit(self.timestamp, proof)
            del self.proven[(s, k)]
            self.exited.add((s, k))

    @rule(s=st.integers(0, 1), o=st.integers(0, 1))
    def delegate(self, s, o):
        if s in self.delegated:
            return
        with boa.env.prank(self.stakers[s]):
            self.dm.delegate_to(self.operators[o])
        self.delegated[s] = o

    @rule(s=st.integers(0, 1))
    def undelegate(self, s):
        if s not in self.delegated:
            return
        with boa.env.prank(self.stakers[s]):
            self.dm.undelegate(self.stakers[s])
        del self.delegated[s]

    # --------------------------------------------------------------- invariants
    @invariant()
    def shares_equal_proven_balances(self):
        for s, owner in enumerate(self.stakers):
            expected = sum(gwei for (who, _), gwei in self.proven.items() if who == s) * GWEI
            assert self.epm.shares(owner) == expected

    @invariant()
    def operator_shares_follow_delegation(self):
        for o, operator in enumerate(self.operators):
            expected = sum(self.epm.shares(self.stakers[s]) for s, op in self.delegated.items() if op == o)
            assert self.dm.operator_shares(operator) == expected


def test_restaking_state_machine(suite):
    stakers = [boa.env.generate_address(f"stateful_staker{i}") for i in range(2)]
    operators = [boa.env.generate_address(f"stateful_operator{i}") for i in range(2)]
    for account in stakers:
        boa.env.set_balance(account, 10_000 * ETH)
    for operator in operators:
        with boa.env.prank(operator):
            suite.delegation_manager.register_as_operator("https://operator.example")
    RestakingMachine.run(suite=suite, stakers=stakers, operators=operators)
