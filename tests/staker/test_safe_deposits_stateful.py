"""Stateful test of the two-phase stake against the consensus-spec chain (deploy/sim/beacon.py), over several
stakers: registrations, deposits (some front-run by the clusters' key holders), beacon blocks, proofs,
confirmations, front-run reports, restakes through EigenLayer v1.12, exits and dissolutions in any order.

After every step:
- the manager holds exactly 31 ETH per cluster awaiting its proof;
- every confirmed cluster's validator has its own pod's withdrawal credentials; its module's deposit shares
  are 0 until anyone restakes it (`restake`: EigenLayer's credential proof, once the validator has an
  activation epoch), then the effective balance proven there (32 ETH), and 0 again once the principal is
  withdrawn; the pod counts the validator INACTIVE, ACTIVE, then WITHDRAWN;
- every front-run staker got its 31 ETH back and is owed the cluster's bonds (Escrow.claimable);
- the deposit contract holds every deposit made (1 ETH per stake and per attack, 31 ETH per confirmation),
  and no ETH beyond the pre-deposit reaches it for a front-run key;
- each staker's 32 ETH is in a validator with its pod's credentials, awaiting proof, or back with it;
- StakerRewards' balance equals what it holds per cluster, and each cluster conserves to the wei;
- the bonds of a confirmed cluster stay locked until its exit is proven (an expiry returns credits only);
- every wei the beacon chain paid to a pod (consensus rewards swept while active, the principal after the
  exit) is in that pod or was paid out by EigenLayer to its module, which the holder withdrew; EigenLayer's
  contracts and the modules hold nothing.

The exit rule (issue 18: a staker can always leave) may follow any other step: after an expiry, after a
request the beacon chain dropped, after a sale, after a restake or without one. Each time the current holder
proves the activation if needed, anyone restakes the validator if needed (the pod requests only for a
validator it restakes), the holder requests the exit, anyone proves it; the sweep pays the balance to the
pod, anyone checkpoints it (the validator WITHDRAWN, the ETH withdrawable), the holder queues the deposit
shares, anyone completes the withdrawal after EigenLayer's delay, and the principal comes home to that
holder. At the end of every run each validator still running is sold, has a request dropped, expires, then
exits: the principal comes home whatever the rules picked.

The chain decides the timing (tests/utils/spec_chain.py): a deposit is proven once finalized and through the
churn, activation waits for finality, an exit waits the spec's 256 epochs of activity and its withdrawable
epoch. Each epoch costs its processing, so the seats last a day (tests/staker/short_streams.py: an expiry
falls within the exit's wait) and the `ci` profile is a few examples; `full` and `long` run more. A dropped
request is the chain's lever (`SpecBeaconChain.drop_withdrawal_requests`): the spec honours every request the
module lets through.
"""

from __future__ import annotations

import functools

import boa
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from deploy.constants import c
from deploy.hints import pre_create_with_hints, rejoin_parked
from deploy.protocol import deploy_protocol
from deploy.sim.beacon import FAR_FUTURE_EPOCH, SECONDS_PER_EPOCH, SHARD_COMMITTEE_PERIOD
from deploy.sim.system_calls import dequeue_withdrawal_requests
from tests.staker.conftest import (
    PRE_DEPOSIT,
    STAKE,
    TOP_UP,
    as_args,
    deposit_data,
    module_at,
    seed_for,
)
from tests.staker.short_streams import bid_for_short_clusters
from tests.utils.deposits import accept_deposit
from tests.utils.errors import reverts_with_error
from tests.utils.seats import bid_ids_of, seats_of
from tests.utils.spec_chain import next_block, run_epochs, spec_chain, wait_for
from tests.utils.stateful import StatefulBase

BOND = 10**18
EPOCH = SECONDS_PER_EPOCH
CLUSTERS = 6
EXPIRED = 3  # StakerRewards status
GWEI = 10**9
POD_INACTIVE, POD_ACTIVE, POD_WITHDRAWN = 0, 1, 2  # EigenPod's validator statuses
ROOTS_HISTORY = 8191 * 12  # seconds of EIP-4788 block roots EigenLayer accepts
WITHDRAWAL_DELAY = 300  # blocks (an hour), EigenLayer's queue in this module's deployment


@functools.cache
def eigen_pod_deployer():
    return boa.load_partial("contracts/external/eigenlayer/EigenPod.vy")


def eigen_pod_at(address):
    return eigen_pod_deployer().at(address)


@pytest.fixture(scope="module")
def protocol(owner):
    """The suite with EigenLayer's withdrawal delay at WITHDRAWAL_DELAY blocks: on the spec chain every
    epoch the EVM's clock passes is processed, and mainnet's 100 800 blocks (14 days) would cost a minute
    after each exit; the delay's rules (refused before, paid after) are the same."""
    return deploy_protocol(owner=owner, min_withdrawal_delay_blocks=WITHDRAWAL_DELAY)


@pytest.fixture(scope="module")
def safe_world(protocol, owner, operators, stakers):
    """One-day bids for CLUSTERS clusters from 8 operators; two clusters pre-created without deposit data."""
    auction, manager = protocol.auction, protocol.manager
    bid_for_short_clusters(auction, owner, operators, CLUSTERS)
    with boa.env.prank(owner):
        manager.pre_create_clusters(2)
    for staker in stakers:
        boa.env.set_balance(staker, 1_000 * 10**18)
    return protocol


class SafeDepositMachine(StatefulBase):
    examples = 10
    steps = 30
    # the default test command (tests/utils/stateful.py); its examples derive from this class's code:
    # after an edit, check that every rule still runs (`-s` prints the counts)
    ci_examples, ci_steps = 9, 36
    protocol = None
    owner = None
    stakers = None
    attacker = None
    outsider = None
    confirmed_total = 0
    reported_total = 0
    exits_total = 0
    exits_after_expiry = 0
    exits_after_drop = 0
    exits_after_sale = 0
    restakes_total = 0  # by the restake rule (the exit restakes the others itself)
    restakes_refused = 0  # ... refused: no activation epoch yet, or restaked already
    exits_after_restake = 0

    @classmethod
    def settings(cls):
        """Derandomized: the path counts asserted after the run are the same on every run."""
        return settings(parent=super().settings(), derandomize=True)

    def __init__(self):
        super().__init__()
        p = self.protocol
        self.chain = spec_chain(p)  # per run: it must see every deposit of this run
        self.pending = {
            cid
            for cid in range(p.auction.num_clusters())
            if p.manager.cluster_status(cid) == c.CLUSTER_PENDING
        }
        self.ready: set[int] = set()
        self.attacked: set[int] = set()  # ready clusters whose key holders deposited first
        self.awaiting: dict[int, str] = {}  # cluster -> staker, pre-deposited, not proven
        self.confirmed: dict[int, str] = {}
        self.failed: dict[int, str] = {}
        self.dissolved: set[int] = set()
        self.exited: set[int] = set()
        self.expired: set[int] = set()
        self.dropped: set[int] = set()  # a request the beacon chain dropped
        self.sold: set[int] = set()
        self.restaked: set[int] = set()  # confirmed clusters whose validator the pod restakes
        self.by_rule: set[int] = set()  # ... restaked by the restake rule
        self.eigen_paid: dict[int, int] = {}  # cluster -> wei EigenLayer paid to its module
        self.fees = 0  # exit fees paid by the holders
        self.handles: dict[int, tuple] = {}
        self.holder: dict[int, str] = {}  # confirmed cluster -> its current ByzNft holder
        self.deposited = 0
        self.balance0 = {s: boa.env.get_balance(s) for s in self.stakers}
        self.paid_in = dict.fromkeys(self.stakers, 0)  # 32 ETH per stake
        self.refunded = dict.fromkeys(self.stakers, 0)  # 31 ETH per front-run
        self.bonds_owed = dict.fromkeys(self.stakers, 0)
        self.returned = dict.fromkeys(self.stakers, 0)  # withdrawn after an exit, less the exit fee

    # ------------------------------------------------------------ owner and key holders

    @precondition(lambda self: self.pending - self.ready)
    @rule(data=st.data())
    def key_ceremony(self, data):
        """The winners' key ceremony for the pod's credentials, handed to the manager as ClusterKeys does
        once its checks pass (tests/staker/test_cluster_keys.py checks those)."""
        self._ceremony(data.draw(st.sampled_from(sorted(self.pending - self.ready))))

    def _ceremony(self, cid):
        m = self.protocol.manager
        d = deposit_data(bytes(m.withdrawal_credentials(cid)), seed_for(cid))
        accept_deposit(m, cid, *as_args(d))
        self.ready.add(cid)

    @precondition(lambda self: self.ready - self.attacked)
    @rule(data=st.data())
    def front_run(self, data):
        """The key holders deposit 1 ETH for a ready cluster's key with credentials of their own."""
        self._front_run(data.draw(st.sampled_from(sorted(self.ready - self.attacked))))

    def _front_run(self, cid):
        credentials = b"\x01" + bytes(11) + bytes.fromhex(self.attacker[2:])
        d = deposit_data(credentials, seed_for(cid))
        with boa.env.prank(self.attacker):
            self.protocol.deposit_contract.deposit(
                bytes.fromhex(d["pubkey"]), credentials, *as_args(d)[1:], value=PRE_DEPOSIT
            )
        self.deposited += PRE_DEPOSIT
        self.attacked.add(cid)

    @precondition(
        lambda self: self.protocol.auction.can_settle() or self.protocol.auction.num_parked_operators()
    )
    @rule()
    def pre_create(self):
        """The owner's pre-creation with deploy/hints.py's optional courtesies: parked operators rejoined
        and the settlement given the mirror's hints (so nobody is parked by it). Only when it has something
        to do (the mirror costs a quarter of a second)."""
        a, m = self.protocol.auction, self.protocol.manager
        rejoin_parked(a, self.owner)
        if not a.can_settle():
            return
        (cid,) = pre_create_with_hints(a, m, 1, self.owner)
        assert a.num_parked_operators() == 0
        self.pending.add(cid)

    @precondition(lambda self: self.pending)
    @rule(data=st.data())
    def dissolve(self, data):
        m = self.protocol.manager
        cid = data.draw(st.sampled_from(sorted(self.pending)))
        with boa.env.prank(self.owner):
            m.dissolve_cluster(cid, seats_of(m, cid))
        self.pending.discard(cid)
        self.ready.discard(cid)
        self.dissolved.add(cid)

    # ------------------------------------------------------------ stakers

    @rule(i=st.integers(0, 3), attack=st.booleans())
    def stake(self, i, attack):
        a, m = self.protocol.auction, self.protocol.manager
        staker = self.stakers[i]
        if not self.ready and self.pending:
            self._ceremony(min(self.pending))  # the stakers' demand drives the key ceremonies
        if not self.ready:
            with boa.env.prank(staker), boa.reverts("strategy_module_manager: no cluster ready"):
                m.create_strategy_module_and_stake(value=STAKE)
            return
        cid = min(self.ready)
        if attack and cid not in self.attacked:
            self._front_run(cid)  # the key holders see the staker coming
        next_id, auto = a.num_clusters(), a.can_settle()
        with boa.env.prank(staker):
            m.create_strategy_module_and_stake(value=STAKE)
        self.ready.remove(cid)
        self.pending.remove(cid)
        self.awaiting[cid] = staker
        self.paid_in[staker] += STAKE
        self.deposited += PRE_DEPOSIT
        if auto:
            self.pending.add(next_id)

    @precondition(lambda self: self.awaiting)
    @rule(data=st.data())
    def prove(self, data):
        """Once the chain has the validator (its deposits finalized and through the churn), anyone proves one
        awaiting cluster's validator."""
        m = self.protocol.manager
        cid = data.draw(st.sampled_from(sorted(self.awaiting)))
        pubkey = bytes(m.validator_pubkey(cid))
        timestamp = wait_for(
            self.chain,
            lambda: self.chain.has_validator(pubkey) and not self.chain.pending_deposits(pubkey),
            "the pre-deposit in the registry",
        )
        proof = self.chain.validator_proof(pubkey)
        staker = self.awaiting.pop(cid)
        with boa.env.prank(self.outsider):
            if cid in self.attacked:
                with boa.reverts("strategy_module_manager: withdrawal credentials are not the pod's"):
                    m.confirm_stake(cid, seats_of(m, cid), timestamp, proof)
                m.report_frontrun(cid, seats_of(m, cid), timestamp, proof)
                self.failed[cid] = staker
                self.refunded[staker] += TOP_UP
                self.bonds_owed[staker] += 4 * BOND
                SafeDepositMachine.reported_total += 1
            else:
                with boa.reverts("strategy_module_manager: no front-run: the validator is the pod's"):
                    m.report_frontrun(cid, seats_of(m, cid), timestamp, proof)
                m.confirm_stake(cid, seats_of(m, cid), timestamp, proof)
                self.confirmed[cid] = staker
                self.holder[cid] = staker
                self.deposited += TOP_UP
                SafeDepositMachine.confirmed_total += 1

    def _live(self) -> list[int]:
        return sorted(set(self.confirmed) - self.exited)

    def _module_and_pod(self, cid):
        if cid not in self.handles:
            module = module_at(self.protocol.manager.strategy_module_of(cid))
            self.handles[cid] = module, eigen_pod_at(module.eigen_pod())
        return self.handles[cid]

    def _activate(self, cid):
        """The top-up lands, then activation after finality (the validator gets its activation epoch)."""
        v = self.chain.validator(bytes(self.protocol.manager.validator_pubkey(cid)))
        if v.activation_epoch == FAR_FUTURE_EPOCH:
            wait_for(self.chain, lambda: v.activation_epoch != FAR_FUTURE_EPOCH, "an activation epoch")

    def _fresh_block(self):
        """A new beacon block if the last is older than EIP-4788's buffer (EigenLayer refuses such a proof:
        TimestampOutOfRange)."""
        if self.chain.now - self.chain.last_timestamp >= ROOTS_HISTORY:
            boa.env.time_travel(seconds=12)
            self.chain.process()

    def _restake(self, cid, module):
        """Anyone restakes the validator: EigenLayer's credential proof against the last beacon block."""
        pubkey = bytes(self.protocol.manager.validator_pubkey(cid))
        self._fresh_block()
        timestamp, root_proof, indices, proofs, fields = self.chain.credential_proof_args([pubkey])
        with boa.env.prank(self.outsider):
            module.restake(timestamp, root_proof, indices[0], proofs[0], fields[0])
        assert self.protocol.eigen_pod_manager.podOwnerDepositShares(module.address) == STAKE
        assert module.activation_epoch() == self.chain.validator(pubkey).activation_epoch
        self.restaked.add(cid)

    def _open_exit_window(self, cid, module):
        """Activation on the beacon chain, its proof (anyone), SHARD_COMMITTEE_PERIOD epochs, then the
        restake (anyone) if nobody did: the pod requests exits only for validators it restakes."""
        pubkey = bytes(self.protocol.manager.validator_pubkey(cid))
        if module.activation_epoch() == 0:
            self._activate(cid)
            module.prove_activation(self.chain.last_timestamp, self.chain.validator_proof(pubkey))
        due = (
            self.protocol.manager.beacon_genesis_time()
            + (module.activation_epoch() + SHARD_COMMITTEE_PERIOD) * EPOCH
        )
        if due > boa.env.timestamp:
            boa.env.time_travel(seconds=due - boa.env.timestamp)
        if cid not in self.restaked:
            with boa.env.prank(self.holder[cid]), boa.reverts("strategy_module: validator not restaked"):
                module.request_exit(value=module.exit_fee())
            self._restake(cid, module)

    @precondition(lambda self: set(self.confirmed) - self.exited)
    @rule(data=st.data())
    def restake(self, data):
        """Anyone restakes a confirmed validator through its pod once the beacon chain has given it an
        activation epoch (EigenLayer refuses it before), and only once."""
        cid = data.draw(st.sampled_from(self._live()))
        module, _ = self._module_and_pod(cid)
        if cid in self.restaked:
            with reverts_with_error("CredentialsAlreadyVerified()"):
                self._restake(cid, module)
            SafeDepositMachine.restakes_refused += 1
            return
        self._fresh_block()  # the proof's block decides, not the registry's state since
        if self.chain.validator(bytes(self.protocol.manager.validator_pubkey(cid))).activation_epoch == (
            FAR_FUTURE_EPOCH
        ):
            with reverts_with_error("ValidatorInactiveOnBeaconChain()"):
                self._restake(cid, module)
            SafeDepositMachine.restakes_refused += 1
            self._activate(cid)
        self._restake(cid, module)
        self.by_rule.add(cid)
        SafeDepositMachine.restakes_total += 1

    @precondition(lambda self: set(self.confirmed) - self.exited - self.expired)
    @rule(data=st.data())
    def expire(self, data):
        """The credits of a confirmed cluster run out; anyone expires it (its bonds stay locked)."""
        self._expire(data.draw(st.sampled_from(sorted(set(self.confirmed) - self.exited - self.expired))))

    def _expire(self, cid):
        sr = self.protocol.staker_rewards
        end = sr.get_stream(cid).end
        if end > boa.env.timestamp:
            boa.env.time_travel(seconds=end - boa.env.timestamp)
        sr.expire(cid, seats_of(sr, cid), sender=self.outsider)
        assert sr.status(cid) == EXPIRED
        self.expired.add(cid)

    @precondition(lambda self: set(self.confirmed) - self.exited)
    @rule(data=st.data())
    def dropped_request(self, data):
        """The holder requests the exit; the beacon chain drops it (the end-of-block call consumes it and
        nothing exits: the test's lever). Nothing ends: the cluster stays staked."""
        self._drop(data.draw(st.sampled_from(self._live())))

    def _drop(self, cid):
        module, _ = self._module_and_pod(cid)
        self._open_exit_window(cid, module)
        fee = module.exit_fee()
        with boa.env.prank(self.holder[cid]):
            module.request_exit(value=fee)
        self.returned[self.holder[cid]] -= fee
        self.fees += fee
        assert len(dequeue_withdrawal_requests(self.protocol.withdrawal_requests)) == 1
        pubkey = bytes(self.protocol.manager.validator_pubkey(cid))
        assert self.chain.drop_withdrawal_requests(pubkey) == 1
        next_block(self.chain)
        assert self.chain.validator(pubkey).exit_epoch == FAR_FUTURE_EPOCH
        self.dropped.add(cid)

    @precondition(lambda self: set(self.confirmed) - self.exited)
    @rule(data=st.data(), to=st.integers(0, 3))
    def sell(self, data, to):
        """The holder sells the ByzNft (and so the module, the validator and its exit)."""
        self._sell(data.draw(st.sampled_from(self._live())), self.stakers[to])

    def _sell(self, cid, buyer):
        seller = self.holder[cid]
        if buyer == seller:
            return
        with boa.env.prank(seller):
            self.protocol.byz_nft.transferFrom(seller, buyer, cid)
        self.holder[cid] = buyer
        self.sold.add(cid)

    @precondition(lambda self: set(self.confirmed) - self.exited)
    @rule(data=st.data())
    def exit_validator(self, data):
        """The holder exits a confirmed validator, whatever came before: activation proven, the shard
        committee period, the request through the pod, the exit proven (stream ended, bonds unlocked,
        shares gone), the balance paid to the pod and withdrawn by the current holder."""
        self._exit(data.draw(st.sampled_from(self._live())))

    def _exit(self, cid):
        self._exit_all([cid])

    def _exit_all(self, cids):
        """`_exit` of several clusters at once: their requests in one block, one wait for the sweeps (each
        epoch the chain passes costs its processing)."""
        m, epm, dm = self.protocol.manager, self.protocol.eigen_pod_manager, self.protocol.delegation_manager
        fees = {}
        for cid in cids:
            module, _ = self._module_and_pod(cid)
            self._open_exit_window(cid, module)
            fees[cid] = module.exit_fee()
            with boa.env.prank(self.holder[cid]):
                module.request_exit(value=fees[cid] + 1)  # the excess comes back
            assert m.cluster_status(cid) == c.CLUSTER_STAKED  # nothing ends at the request
        timestamp = next_block(self.chain)  # the block after the requests includes them
        views = {}
        for cid in cids:
            module, _ = self._module_and_pod(cid)
            pubkey = bytes(m.validator_pubkey(cid))
            views[cid] = v = self.chain.validator(pubkey)
            assert v.exit_epoch < FAR_FUTURE_EPOCH  # honoured
            module.prove_exit(
                seats_of(module, module.cluster_id()),
                timestamp,
                self.chain.validator_proof(pubkey),
                sender=self.outsider,
            )
            assert m.cluster_status(cid) == c.CLUSTER_EXITED
            assert not any(self.protocol.escrow.is_locked(b) for b in bid_ids_of(self.protocol.auction, cid))
            assert epm.podOwnerDepositShares(module.address) == STAKE  # the shares change at the checkpoint
        # withdrawable 256 epochs after the exit: the sweep pays the balance to the pod
        due = max(v.withdrawable_epoch for v in views.values())
        if due > self.chain.epoch:
            run_epochs(self.chain, due - self.chain.epoch)
        wait_for(self.chain, lambda: all(v.balance == 0 for v in views.values()), "the sweeps", epochs=2)
        # a checkpoint (anyone) in the beacon block's own timestamp: the zero balance proven
        boa.env.time_travel(seconds=12)
        timestamp = self.chain.process()
        withdrawals = {}
        for cid in cids:
            module, pod = self._module_and_pod(cid)
            pubkey = bytes(m.validator_pubkey(cid))
            paid = boa.env.get_balance(pod.address)
            assert paid >= STAKE  # principal and consensus rewards
            with boa.env.prank(self.outsider):
                module.start_checkpoint()
                pod.verifyCheckpointProofs(*self.chain.checkpoint_proof_args(timestamp, [pubkey]))
            assert pod.validatorPubkeyToInfo(pubkey).status == POD_WITHDRAWN
            assert pod.withdrawableRestakedExecutionLayerGwei() * GWEI == paid
            shares = epm.podOwnerDepositShares(module.address)
            assert shares == paid
            # the holder queues the shares
            with boa.env.prank(self.holder[cid]):
                module.queue_withdrawal(shares)
            withdrawals[cid] = dm.getQueuedWithdrawals(module.address)[0][-1], paid
        # anyone completes after EigenLayer's delay; the holder withdraws
        boa.env.time_travel(blocks=dm.minWithdrawalDelayBlocks() + 1)
        for cid, (withdrawal, paid) in withdrawals.items():
            holder, fee = self.holder[cid], fees[cid]
            module, pod = self._module_and_pod(cid)
            module.complete_withdrawal(withdrawal, sender=self.outsider)
            assert boa.env.get_balance(module.address) == paid
            self.eigen_paid[cid] = paid
            before = boa.env.get_balance(holder)
            with boa.env.prank(holder):
                module.withdraw(paid, holder)
            assert boa.env.get_balance(holder) - before == paid  # the principal is home
            self.returned[holder] += paid - fee
            self.fees += fee
            self.exited.add(cid)
            SafeDepositMachine.exits_total += 1
            SafeDepositMachine.exits_after_expiry += cid in self.expired
            SafeDepositMachine.exits_after_drop += cid in self.dropped
            SafeDepositMachine.exits_after_sale += cid in self.sold
            SafeDepositMachine.exits_after_restake += cid in self.by_rule

    def teardown(self):
        """Every validator still running at the end leaves too, after each step that used to lock its
        principal: a sale, a request the beacon chain dropped, an expiry; their exits share the chain's
        waits. Then the invariants once more."""
        try:
            live = self._live()
            for cid in live:
                self._sell(cid, self.stakers[(self.stakers.index(self.holder[cid]) + 1) % len(self.stakers)])
                self._drop(cid)
            for cid in live:
                if cid not in self.expired:
                    self._expire(cid)
            if live:
                self._exit_all(live)
            for check in (
                self.manager_holds_31_eth_per_awaiting_cluster,
                self.statuses,
                self.confirmed_validators_are_the_pods,
                self.every_stakers_eth_is_accounted_for,
                self.staker_rewards_balance,
                self.bonds_locked_until_the_exit_is_proven,
                self.pods_and_eigenlayer_hold_what_the_beacon_chain_paid,
            ):
                check()
        finally:
            super().teardown()

    # ------------------------------------------------------------ invariants

    @invariant()
    def manager_holds_31_eth_per_awaiting_cluster(self):
        m = self.protocol.manager
        assert boa.env.get_balance(m.address) == TOP_UP * len(self.awaiting)
        assert m.num_pre_deposited_clusters() == len(self.awaiting)
        assert m.num_pending_clusters() == len(self.pending)
        assert m.num_ready_clusters() == len(self.ready)

    @invariant()
    def statuses(self):
        m = self.protocol.manager
        for cid in self.confirmed:
            assert m.cluster_status(cid) == (c.CLUSTER_EXITED if cid in self.exited else c.CLUSTER_STAKED)
        for cid in self.failed:
            assert m.cluster_status(cid) == c.CLUSTER_FAILED
        for cid in self.dissolved:
            assert m.cluster_status(cid) == c.CLUSTER_DISSOLVED
        for cid in self.pending:
            assert m.cluster_status(cid) == c.CLUSTER_PENDING

    @invariant()
    def confirmed_validators_are_the_pods(self):
        m, epm = self.protocol.manager, self.protocol.eigen_pod_manager
        for cid in self.confirmed:
            pubkey = bytes(m.validator_pubkey(cid))
            v = self.chain.validator(pubkey)
            assert v.withdrawal_credentials == bytes(m.withdrawal_credentials(cid))
            module, pod = self._module_and_pod(cid)
            # nothing before the restake, the effective balance proven there, nothing once withdrawn
            live = cid in self.restaked and cid not in self.exited
            assert epm.podOwnerDepositShares(module.address) == (STAKE if live else 0)
            status = POD_WITHDRAWN if cid in self.exited else POD_ACTIVE if live else POD_INACTIVE
            assert pod.validatorPubkeyToInfo(pubkey).status == status

    @invariant()
    def deposit_contract_holds_every_deposit(self):
        assert boa.env.get_balance(self.protocol.deposit_contract.address) == self.deposited
        m = self.protocol.manager
        for cid in self.failed:  # the attacker's 1 ETH and the staker's pre-deposit, nothing more
            pubkey = bytes(m.validator_pubkey(cid))
            v = self.chain.validator(pubkey)  # never active (2 ETH): no reward, no penalty
            pending = sum(int(d.amount) for d in self.chain.pending_deposits(pubkey))
            assert v.balance + pending == 2 * PRE_DEPOSIT // GWEI

    @invariant()
    def every_stakers_eth_is_accounted_for(self):
        escrow = self.protocol.escrow
        for s in self.stakers:
            assert boa.env.get_balance(s) == (
                self.balance0[s] - self.paid_in[s] + self.refunded[s] + self.returned[s]
            )
            assert escrow.claimable(s) == self.bonds_owed[s]

    @invariant()
    def staker_rewards_balance(self):
        sr = self.protocol.staker_rewards
        held = sum(sr.held(cid, seats_of(sr, cid)) for cid in range(self.protocol.auction.num_clusters()))
        assert boa.env.get_balance(sr.address) == held + sr.total_credit()
        for cid in self.confirmed:
            a = sr.accounting(cid, seats_of(sr, cid))
            assert (
                a.paid_to_stakers + a.credited_to_stakers + a.claimable + a.unaccrued + a.refunded + a.dust
                == a.funded + a.renewals
            )

    @invariant()
    def pods_and_eigenlayer_hold_what_the_beacon_chain_paid(self):
        """Every wei the beacon chain paid to a pod is in the pod or was paid out by EigenLayer (to the
        module, which the holder emptied); EigenLayer's contracts never hold ETH."""
        swept: dict[str, int] = {}
        for address, wei in self.chain.paid:
            swept[address] = swept.get(address, 0) + wei
        for cid in self.confirmed:
            module, pod = self._module_and_pod(cid)
            assert swept.get(str(pod.address), 0) == boa.env.get_balance(pod.address) + self.eigen_paid.get(
                cid, 0
            )
            assert boa.env.get_balance(module.address) == 0
        p = self.protocol
        for contract in (p.eigen_pod_manager, p.delegation_manager):
            assert boa.env.get_balance(contract.address) == 0
        # and the holders got it all, less the exit fees they paid
        assert sum(self.returned.values()) == sum(self.eigen_paid.values()) - self.fees

    @invariant()
    def bonds_locked_until_the_exit_is_proven(self):
        escrow, auction = self.protocol.escrow, self.protocol.auction
        for cid in self.confirmed:
            locked = [escrow.is_locked(b) for b in bid_ids_of(auction, cid)]
            assert all(locked) if cid not in self.exited else not any(locked)


def test_safe_deposits_state_machine(safe_world, owner, stakers, operators, outsider):
    SafeDepositMachine.confirmed_total = SafeDepositMachine.reported_total = 0
    SafeDepositMachine.exits_total = 0
    SafeDepositMachine.exits_after_expiry = SafeDepositMachine.exits_after_drop = 0
    SafeDepositMachine.exits_after_sale = 0
    SafeDepositMachine.restakes_total = SafeDepositMachine.exits_after_restake = 0
    SafeDepositMachine.restakes_refused = 0
    SafeDepositMachine.run(
        protocol=safe_world,
        owner=owner,
        stakers=stakers,
        attacker=operators[0],
        outsider=outsider,
    )
    print(
        f"safe deposits: {SafeDepositMachine.confirmed_total} confirmations, "
        f"{SafeDepositMachine.reported_total} front-runs reported, {SafeDepositMachine.exits_total} exits "
        f"({SafeDepositMachine.exits_after_expiry} after an expiry, "
        f"{SafeDepositMachine.exits_after_drop} after a dropped request, "
        f"{SafeDepositMachine.exits_after_sale} after a sale, "
        f"{SafeDepositMachine.exits_after_restake} after the restake rule; "
        f"{SafeDepositMachine.restakes_total} restakes by the rule, "
        f"{SafeDepositMachine.restakes_refused} refused before the activation or once restaked)"
    )
    assert SafeDepositMachine.confirmed_total > 0
    assert SafeDepositMachine.reported_total > 0
    assert SafeDepositMachine.exits_total > 0
    # derandomized: the principal came home after each of the steps that used to lock it
    assert SafeDepositMachine.exits_after_expiry > 0
    assert SafeDepositMachine.exits_after_drop > 0
    assert SafeDepositMachine.exits_after_sale > 0
    assert SafeDepositMachine.exits_after_restake > 0
    assert SafeDepositMachine.restakes_refused > 0  # EigenLayer's guards on the restake rule
