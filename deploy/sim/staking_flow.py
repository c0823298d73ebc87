"""The safe-deposit and end-of-life steps of `deploy.lifecycle` (docs/protocol.md §9-10): a mixin of
`deploy.sim.lifecycle.Lifecycle`.

- `start_beacon_chain`: the beacon chain starts right after the deployment, so it sees every deposit: Fulu on
  the executable consensus specs (deploy/sim/beacon.py); the steps wait for what the chain decides
  (`beacon_wait`): a deposit enters the registry once finalized and through the churn, a validator is
  activated after its eligibility is finalized, an exit request is included in the next slot's block
  (EIP-4788 posts the parent root), the sweep pays once the validator is withdrawable;
- `phase_safe_deposits`: the beacon chain includes the stakers' 1 ETH pre-deposits; anyone proves each
  validator's withdrawal credentials and `confirm_stake` sends the other 31 ETH; then one front-run caught:
  four addresses of one entity win a cluster, deposit 1 ETH for its key with their own credentials before a
  staker's pre-deposit, `confirm_stake` is refused and `report_frontrun` returns the staker's 31 ETH and hands
  it the winners' bonds;
- `phase_exit`: one staker exits (docs/protocol.md §10): anyone proves the activation epoch, the holder
  requests the exit (EIP-7002 through the pod) after 256 epochs of activity, anyone proves the exit epoch (the
  stream ends there, the bonds unlock, the shares stop counting); the sweep pays the balance to the pod; the
  holder withdraws the principal and the consensus rewards;
- `phase_exit_after_expiry`: an expired cluster (credits returned, bonds still locked: the validator runs)
  exits the same way;
- `phase_offline_spell` / `settle_offline_spell`: a streaming cluster's validator goes offline for 48 epochs
  (the spec's inactivity penalties); anyone checkpoints its pod and reports the loss below 32 ETH, which the
  winners' bonds set aside; nobody answers within the challenge window, so anyone settles it and the
  cluster's holder (by then the NFT's buyer) pulls it from the Escrow (docs/protocol.md §10);
- `phase_dissolution`: clusters pre-created but never staked are dissolved by anyone once
  `pending_cluster_ttl` has passed.

Everything here is flow; `deploy.sim.lifecycle` owns the presentation. The mixin uses the Lifecycle's `p`,
`actors`, `tx`, `check`, `out`, `section`, `label`, `key_ceremony`, `remember_proxies`, `report_coverage`,
`modules`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import boa

from deploy.constants import ClusterStatus, c, status_name
from deploy.keys import make_deposit_data
from deploy.protocol import at
from deploy.sim.beacon import FAR_FUTURE_EPOCH, SECONDS_PER_SLOT, SpecBeaconChain
from deploy.tables import eth

TOP_UP = c.STAKE_AMOUNT - c.PRE_DEPOSIT_AMOUNT
EPOCH = c.SECONDS_PER_EPOCH  # seconds
SHARD_COMMITTEE_PERIOD = c.SHARD_COMMITTEE_PERIOD  # epochs active before an exit is honoured
SLOT = SECONDS_PER_SLOT
GWEI = 10**9
DAY_SECONDS = 86_400
OFFLINE_EPOCHS = 48  # an offline spell of about five hours: its inactivity penalties are a loss to charge
BEACON_CHAIN = "Fulu (mainnet preset) on the executable consensus specs"


def ceremony_seed(run_seed: int, cluster_id: int) -> bytes:
    """The seed of a cluster's key in the lifecycle's key ceremony (known to the key's holders)."""
    return hashlib.sha256(f"byzantine lifecycle {run_seed} cluster {cluster_id}".encode()).digest()


class SafeDepositSteps:
    """Flow steps of the two-phase stake, the front-run defence, an exit and a dissolution."""

    chain: SpecBeaconChain
    deposits: list[int]  # wei of every deposit the run made to the beacon deposit contract
    frontrun_cluster: int | None = None
    exited_cluster: int | None = None

    # ------------------------------------------------------------ set-up

    def start_beacon_chain(self) -> None:
        """The consensus layer; it must exist before the first deposit. Its genesis is the manager's."""
        fork_version = self.p.config["genesis_fork_version"].to_bytes(4, "big")
        genesis = int(self.p.manager.beacon_genesis_time())
        self.chain = SpecBeaconChain(self.p, fork_version=fork_version, genesis_time=genesis)
        self.deposits = []

    def beacon_wait(self, ready: Callable[[], bool], limit: int = 64) -> tuple[int, int]:
        """Let beacon time pass until `ready()`: two slots (what was sent now is in the next slot's block,
        whose root EIP-4788 posts at the slot after), then epoch by epoch; returns the timestamp of the last
        posted block root and the seconds waited."""
        start = boa.env.timestamp
        steps = [SLOT, SLOT] + [EPOCH] * limit
        for step in steps:
            boa.env.time_travel(seconds=step)
            timestamp = self.chain.process()
            if ready():
                return timestamp, boa.env.timestamp - start
        raise RuntimeError(f"the beacon chain was not ready after {limit} epochs")

    def waited(self, seconds: int, what: str, why: str = "") -> None:
        """How long a beacon-chain step took (epochs, slots, minutes) and why, on one line if it fits."""
        epochs, slots = divmod(seconds // SLOT, EPOCH // SLOT)
        line = f"  {what} after {epochs} epoch(s) {slots} slot(s) ({seconds / 60:.1f} min)"
        if why and len(line) + len(why) + 2 <= 100:
            line, why = f"{line}: {why}", ""
        self.out(line)
        if why:
            self.out(f"    ({why})")

    def deposited_wei(self) -> int:
        return sum(self.deposits)

    def beacon_paid_wei(self) -> int:
        """What the beacon chain paid to the run's withdrawal addresses (principal and consensus rewards);
        the chain's own network validators are paid too, outside the run."""
        network = {self.chain.validator(k).withdrawal_address for k in self.chain.network_pubkeys}
        return sum(wei for address, wei in self.chain.paid if address not in network)

    def streaming_clusters(self) -> list[int]:
        """Staked clusters whose stream still runs."""
        sr = self.p.staker_rewards
        return [cid for cid in sorted(self.modules) if sr.status(cid) == c.STREAM_STREAMING]

    # ------------------------------------------------------------ phase 1 + 2

    def phase_safe_deposits(self) -> None:
        """The proofs of every pre-deposit, the 31 ETH top-ups, and one front-run caught."""
        self.section("Safe deposits: proofs against beacon block roots")
        m = self.p.manager
        self.deposits += [c.PRE_DEPOSIT_AMOUNT] * len(self.modules)
        self.out(f"beacon chain: {BEACON_CHAIN}")
        network = self.chain.network_pubkeys
        stake = sum(self.chain.validator(k).effective_balance for k in network) // 10**9
        self.out(f"  {len(network)} validators of its own ({stake:,} ETH) keep it final; consensus rewards")
        self.out("  scale as 1/sqrt of the total stake, so this small network pays far more than mainnet")
        pubkeys = [bytes(m.validator_pubkey(cid)) for cid in sorted(self.modules)]
        timestamp, seconds = self.beacon_wait(lambda: all(map(self.chain.has_validator, pubkeys)))
        self.out(
            f"beacon block at slot {self.chain.slot:,} (time {timestamp}): "
            f"{len(self.chain.validators)} validator(s) in the registry"
        )
        self.waited(seconds, "the 1 ETH pre-deposits entered it", "finalized, then through the deposit queue")
        for cid in sorted(self.modules):
            self.confirm(cid, timestamp)
        stake = c.STAKE_AMOUNT // 10**9
        _, seconds = self.beacon_wait(lambda: all(self.chain.validator(k).balance >= stake for k in pubkeys))
        self.waited(seconds, "the 31 ETH top-ups were credited", "the same queue")
        _, seconds = self.beacon_wait(
            lambda: all(self.chain.validator(k).activation_epoch < FAR_FUTURE_EPOCH for k in pubkeys)
        )
        activation = max(self.chain.validator(k).activation_epoch for k in pubkeys)
        self.waited(
            seconds, f"activation epoch {activation} set", "eligible at 32 ETH, finalized, then queued"
        )
        for cid in sorted(self.modules):
            v = self.chain.validator(bytes(m.validator_pubkey(cid)))
            self.check(f"cluster {cid} validator holds 32 ETH", v.balance >= stake)
        self.frontrun_caught()

    def confirm(self, cid: int, timestamp: int) -> None:
        """Anyone proves the validator's credentials; the 31 ETH follow; the stream starts."""
        m = self.p.manager
        pubkey = bytes(m.validator_pubkey(cid))
        proof = self.chain.validator_proof(pubkey)
        credentials = bytes(m.withdrawal_credentials(cid))
        self.check(f"cluster {cid} proven credentials are its pod's", bytes(proof[3][1]) == credentials)
        seats = self.p.seats(cid)
        self.tx("confirm_stake", m.confirm_stake, cid, seats, timestamp, proof, sender=self.actors.fee_payer)
        self.deposits.append(TOP_UP)
        self.check(f"cluster {cid} staked", m.cluster_status(cid) == c.CLUSTER_STAKED)
        self.out(f"cluster {cid}: validator {proof[2]} proven with its pod's credentials")
        self.out("  31 ETH topped up straight to the deposit contract, stream started")
        self.report_coverage(cid)

    def frontrun_caught(self) -> None:
        """Four addresses of one entity win a cluster and front-run its staker's pre-deposit."""
        self.section("A front-run caught")
        a, m = self.p.auction, self.p.manager
        entity = [op for op in self.actors.operators if not a.is_whitelisted(op)][:4]
        if len(entity) < 4:
            self.out("skipped: fewer than four operators pay bonds")
            return
        top = (0, self.p.config["max_duration"])
        for i, op in enumerate(entity):
            terms = [top[1] - 2 * i, top[1] - 2 * i - 1]
            due = a.price_to_pay(op, [top[0]] * 2, terms)
            ids = self.tx("bid", a.bid, [top[0]] * 2, terms, sender=op, value=due)
            self.bids.update(dict.fromkeys(ids, op))
        self.out("one entity bids on the best terms through four addresses:")
        self.out("  " + ", ".join(self.label(op) for op in entity))
        (cid,) = self.tx("pre_create_clusters", m.pre_create_clusters, 1, sender=self.actors.owner)
        self.check("the entity won every seat", set(self.p.operators(cid)) == set(entity))
        self.key_ceremony(cid)  # the entity holds the whole key
        seed = ceremony_seed(self.seed, cid)
        credentials = b"\x01" + bytes(11) + bytes.fromhex(entity[0][2:])
        d = make_deposit_data(credentials, seed=seed)  # signed for the 1 ETH pre-deposit
        self.tx(
            "deposit (front-run)",
            self.p.deposit_contract.deposit,
            bytes.fromhex(d["pubkey"]),
            credentials,
            bytes.fromhex(d["signature"]),
            bytes.fromhex(d["deposit_data_root"]),
            sender=entity[0],
            value=c.PRE_DEPOSIT_AMOUNT,
        )
        self.deposits.append(c.PRE_DEPOSIT_AMOUNT)
        self.out(f"{self.label(entity[0])} deposits 1 ETH for cluster {cid}'s key with its own credentials")
        victim = self.actors.stakers[-1]
        start = boa.env.get_balance(victim)
        module = self.tx(
            "create_strategy_module_and_stake",
            m.create_strategy_module_and_stake,
            sender=victim,
            value=c.STAKE_AMOUNT,
        )
        self.deposits.append(c.PRE_DEPOSIT_AMOUNT)
        for kind, role, address in (
            ("module", "strategy_module_implementation", module),
            ("pod", "eigen_pod_implementation", m.predict_addresses(cid, self.p.seats(cid))[1]),
            ("split", "split_implementation", m.predict_addresses(cid, self.p.seats(cid))[2]),
        ):
            self.contracts[f"{kind} {cid}"] = at(role, address)
            self.actors.labels[str(address)] = f"{kind} {cid}"
        self.out(f"{self.label(victim)} stakes 32 ETH into cluster {cid}: 1 ETH pre-deposited, 31 ETH held")
        pubkey = bytes.fromhex(d["pubkey"])
        timestamp, seconds = self.beacon_wait(lambda: self.chain.has_validator(pubkey))
        self.waited(seconds, "both deposits for the key entered the registry")
        proof = self.chain.validator_proof(pubkey)
        self.check(
            "the beacon chain kept the first deposit's credentials",
            self.chain.validator(pubkey).withdrawal_credentials == credentials,
        )
        try:
            m.confirm_stake(cid, self.p.seats(cid), timestamp, proof, sender=self.actors.fee_payer)
            refused = False
        except boa.BoaError:
            refused = True
        self.check("confirm_stake refused for foreign credentials", refused)
        seats, prover = self.p.seats(cid), self.actors.fee_payer
        self.tx("report_frontrun", m.report_frontrun, cid, seats, timestamp, proof, sender=prover)
        self.check("cluster marked front-run", m.cluster_status(cid) == c.CLUSTER_FAILED)
        bonds = self.p.escrow.claimable(victim)
        self.tx("claim_refund", a.claim_refund, sender=victim)
        back = boa.env.get_balance(victim) - start + c.STAKE_AMOUNT
        self.check("the staker got 31 ETH and the bonds back", back == TOP_UP + bonds and bonds == 4 * c.BOND)
        self.out("confirm_stake refused: the proven credentials are not the pod's")
        self.out(
            f"report_frontrun: {eth(TOP_UP)} ETH and the entity's {eth(bonds)} ETH of bonds "
            f"to {self.label(victim)}"
        )
        self.out("  the winners' prices went back to them as refunds; no more ETH for that key")
        self.frontrun_cluster = cid

    # ------------------------------------------------------------ exit

    def phase_exit(self) -> None:
        """One staker exits while its cluster streams: the exit state machine, the principal home."""
        self.section("Exit")
        live = self.streaming_clusters()
        if not live:
            self.out("skipped: no staked cluster streams")
            return
        self.exited_cluster = live[-1]
        self.exit_cluster(self.exited_cluster)

    def phase_exit_after_expiry(self) -> None:
        """An expired cluster's validator still runs, its bonds locked: its holder exits all the same."""
        self.section("Exit after expiry")
        sr, m = self.p.staker_rewards, self.p.manager
        expired = [
            cid
            for cid in sorted(self.modules)
            if sr.status(cid) == c.STREAM_EXPIRED and m.cluster_status(cid) == c.CLUSTER_STAKED
        ]
        if not expired:
            self.out("skipped: no expired cluster")
            return
        self.exit_cluster(expired[0])

    def exit_cluster(self, cid: int) -> None:
        """The holder's exit (docs/protocol.md §10): the activation proven, the request through the pod after
        SHARD_COMMITTEE_PERIOD epochs, the exit proven (anyone), the balance paid to the pod and withdrawn."""
        module, m, sr = self.modules[cid], self.p.manager, self.p.staker_rewards
        holder = self.p.byz_nft.ownerOf(cid)
        pubkey = bytes(m.validator_pubkey(cid))
        was_expired = sr.status(cid) == c.STREAM_EXPIRED
        if module.activation_epoch() == 0:
            # the activation epoch, once the eligibility is finalized (then MAX_SEED_LOOKAHEAD epochs on)
            self.beacon_wait(lambda: self.chain.validator(pubkey).activation_epoch < FAR_FUTURE_EPOCH)
            self.restake(cid)
        activation = module.activation_epoch()
        due = m.beacon_genesis_time() + (activation + SHARD_COMMITTEE_PERIOD) * EPOCH
        if due > boa.env.timestamp:
            boa.env.time_travel(seconds=due - boa.env.timestamp)
        self.tx("module.request_exit", module.request_exit, sender=holder, value=module.exit_fee())
        requested_epoch = self.chain.epoch
        self.check(f"cluster {cid} still staked after the request", m.cluster_status(cid) == c.CLUSTER_STAKED)
        timestamp, request_wait = self.beacon_wait(
            lambda: self.chain.validator(pubkey).exit_epoch < FAR_FUTURE_EPOCH, limit=2
        )
        exit_epoch = self.chain.validator(pubkey).exit_epoch
        self.check(f"cluster {cid} validator exiting", exit_epoch < FAR_FUTURE_EPOCH)
        proof = self.chain.validator_proof(pubkey)
        seats = self.p.seats(cid)
        self.tx("module.prove_exit", module.prove_exit, seats, timestamp, proof, sender=self.actors.fee_payer)
        self.check(
            f"cluster {cid} exit proven",
            m.cluster_status(cid) == c.CLUSTER_EXITED and sr.status(cid) == c.STREAM_ENDED,
        )
        if not was_expired:
            exit_time = m.beacon_genesis_time() + exit_epoch * EPOCH
            # after a seat's rotation whose handover lies past the exit epoch, the stream stops at the
            # handover, its new start (docs/protocol.md §10 "Seats that rotate")
            stream = sr.get_stream(cid)
            self.check(
                f"cluster {cid} stream ended at the exit epoch", stream.end == max(exit_time, stream.start)
            )
        bids = [seat.bid_id for seat in seats]
        self.check(f"cluster {cid} bonds unlocked", not any(self.p.escrow.is_locked(b) for b in bids))
        # withdrawable MIN_VALIDATOR_WITHDRAWABILITY_DELAY (256) epochs after the exit epoch; the sweep pays
        # the pod, a checkpoint credits it, and EigenLayer's withdrawal queue brings it to the module
        withdrawable = self.chain.validator(pubkey).withdrawable_epoch
        boa.env.time_travel(
            seconds=max(0, m.beacon_genesis_time() + withdrawable * EPOCH - boa.env.timestamp)
        )
        _, swept = self.beacon_wait(lambda: self.chain.validator(pubkey).balance == 0, limit=4)
        paid = self.principal_home(cid)
        self.tx("module.withdraw", module.withdraw, paid, holder, sender=holder)
        self.check(f"cluster {cid} principal home", paid >= c.STAKE_AMOUNT)
        if sr.claimable(cid):  # what accrued until the exit epoch
            self.claim(cid, via_module=True)
        after = "after its expiry" if was_expired else "while it streamed"
        self.out(f"{self.label(holder)} exits cluster {cid}'s validator {after}:")
        self.out(
            f"  restaked through its pod at activation epoch {activation}; the exit requested "
            f"{SHARD_COMMITTEE_PERIOD} epochs (~{SHARD_COMMITTEE_PERIOD * EPOCH / 3600:.0f} h) later"
        )
        prover = self.label(self.actors.fee_payer)
        self.out(
            f"  the request was in the next slot's block, seen {request_wait // SLOT} slots after it "
            "(EIP-4788 posts the parent root)"
        )
        self.out(f"  the exit queue: requested in epoch {requested_epoch}, exit epoch {exit_epoch}")
        self.out(f"  exit epoch {exit_epoch} proven by {prover}: stream ended, bonds unlocked")
        self.out(
            f"  withdrawable at epoch {withdrawable} ({withdrawable - exit_epoch} epochs later); the sweep "
            f"paid it {swept // SLOT} slot(s) into that epoch"
        )
        self.out(f"  the beacon chain paid {eth(paid)} ETH (principal and consensus rewards) to its pod;")
        delay = self.withdrawal_delay()
        self.out(f"  a checkpoint credited it; EigenLayer's queue released it after {delay} blocks")
        self.out(f"  (~{delay * 12 / 86_400:.0f} days on mainnet), and the holder withdrew it")

    # ------------------------------------------------------------ an offline spell (#20)

    def phase_offline_spell(self) -> None:
        """A streaming cluster's validator goes offline (docs/protocol.md §10 "A loss at a checkpoint"): the
        spec's inactivity penalties take its balance below 32 ETH, anyone checkpoints its pod and reports
        the loss, which the winners' bonds set aside; the challenge window runs on (`settle_offline_spell`,
        after the rewards phase's weeks, pays it to whoever then holds the cluster's NFT)."""
        self.section("An offline spell, charged to the bonds")
        live = self.streaming_clusters()
        if not live:
            self.out("skipped: no staked cluster streams")
            return
        cid = live[0]
        module, pubkey = self.modules[cid], bytes(self.p.manager.validator_pubkey(cid))
        validator = self.chain.validator(pubkey)
        if module.activation_epoch() == 0:
            self.beacon_wait(lambda: validator.activation_epoch < FAR_FUTURE_EPOCH)
            self.restake(cid)
        self.beacon_wait(lambda: validator.is_active(self.chain.epoch))
        self.chain.take_offline(pubkey)
        before = validator.balance
        self.offline(OFFLINE_EPOCHS)
        self.chain.bring_back(pubkey)
        self.checkpoint(cid)
        pod = at("eigen_pod_implementation", module.eigen_pod())
        proven = pod.validatorPubkeyToInfo(pubkey).restakedBalanceGwei
        loss = max(0, c.STAKE_AMOUNT // GWEI - proven)
        self.check(f"cluster {cid}: the checkpoint proves a loss", loss > 0)
        seats = self.p.seats(cid)
        proof = self.chain.validator_proof(pubkey)
        timestamp = self.chain.last_timestamp
        reporter = self.actors.fee_payer
        self.tx("module.report_loss", module.report_loss, seats, timestamp, proof, sender=reporter)
        charge = module.loss_charge()
        reserved = sum(self.p.escrow.reserved(seat.bid_id) for seat in seats)
        self.check(
            f"cluster {cid}: the bonds set the proven loss aside",
            charge.pending_gwei == loss and charge.reserved == reserved == loss * GWEI,
        )
        self.loss_cluster = cid
        self.out(f"cluster {cid}'s validator offline for {OFFLINE_EPOCHS} epochs, then back:")
        self.out(f"  its balance fell from {before} to {validator.balance} gwei (missed attestations);")
        self.out(f"  a checkpoint proved {proven} gwei, a loss of {loss} gwei below 32 ETH;")
        self.out(
            f"  {self.label(reporter)} reported it: {eth(reserved)} ETH of the winners' bonds set aside, "
            f"pro rata, for {c.CHALLENGE_WINDOW // DAY_SECONDS} days"
        )
        self.report_coverage(cid)

    def offline(self, epochs: int) -> None:
        """Let `epochs` epochs pass on the beacon chain."""
        boa.env.time_travel(seconds=epochs * EPOCH)
        self.chain.process()

    def settle_offline_spell(self) -> None:
        """After the challenge window (no operator answered: the validator stayed below 32 ETH since), anyone
        settles; the cluster's holder pulls the charged bonds from the Escrow."""
        cid = getattr(self, "loss_cluster", None)
        if cid is None:
            return
        self.section("The offline spell's charge, settled")
        module, seats, a = self.modules[cid], self.p.seats(cid), self.p.auction
        charge = module.loss_charge()
        due = charge.reported_at + c.CHALLENGE_WINDOW
        if due > boa.env.timestamp:
            boa.env.time_travel(seconds=due - boa.env.timestamp)
        self.tx("module.settle_loss", module.settle_loss, seats, sender=self.actors.fee_payer)
        holder = self.p.byz_nft.ownerOf(cid)
        due_to_holder = self.p.escrow.claimable(holder)
        got = self.tx("Auction.claim_refund", a.claim_refund, holder, sender=holder)
        self.check(
            f"cluster {cid}: the holder got the charged bonds",
            got == due_to_holder == charge.reserved and module.loss_charge().charged == charge.reserved,
        )
        self.out(
            f"no answer within {c.CHALLENGE_WINDOW // DAY_SECONDS} days; {self.label(self.actors.fee_payer)} "
            f"settled: {self.label(holder)}, the holder now, pulled {eth(got)} ETH"
        )
        self.report_coverage(cid)

    # ------------------------------------------------------------ EigenLayer

    def restake(self, cid: int) -> None:
        """Restake the cluster's validator through its pod (anyone), once the beacon chain has given it an
        activation epoch: EigenLayer's `verifyWithdrawalCredentials`, through the module (the pod's owner)."""
        module = self.modules[cid]
        pubkey = bytes(self.p.manager.validator_pubkey(cid))
        timestamp, state_root_proof, indices, proofs, fields = self.chain.credential_proof_args([pubkey])
        self.tx(
            "module.restake",
            module.restake,
            timestamp,
            state_root_proof,
            indices[0],
            proofs[0],
            fields[0],
            sender=self.actors.fee_payer,
        )

    def checkpoint(self, cid: int) -> None:
        """A checkpoint of the cluster's pod (anyone): started through the module, its balance proofs
        submitted straight to the pod, against the block root of the checkpoint's own block."""
        module, pubkey = self.modules[cid], bytes(self.p.manager.validator_pubkey(cid))
        pod = at("eigen_pod_implementation", module.eigen_pod())
        boa.env.time_travel(seconds=12)
        timestamp = self.chain.process()
        self.tx("module.start_checkpoint", module.start_checkpoint, sender=self.actors.fee_payer)
        if pod.currentCheckpointTimestamp():  # the pod has validators to prove
            container, proofs = self.chain.checkpoint_proof_args(timestamp, [pubkey])
            self.tx(
                "pod.verifyCheckpointProofs",
                pod.verifyCheckpointProofs,
                container,
                proofs,
                sender=self.actors.fee_payer,
            )

    def withdrawal_delay(self) -> int:
        return self.p.delegation_manager.minWithdrawalDelayBlocks()

    def principal_home(self, cid: int) -> int:
        """Checkpoint, queue every deposit share, wait out EigenLayer's delay, complete as ETH to the module;
        returns the wei the module received."""
        module, holder = self.modules[cid], self.p.byz_nft.ownerOf(cid)
        self.checkpoint(cid)
        shares = self.p.eigen_pod_manager.podOwnerDepositShares(module.address)
        self.tx("module.queue_withdrawal", module.queue_withdrawal, shares, sender=holder)
        withdrawals, _ = self.p.delegation_manager.getQueuedWithdrawals(module.address)
        withdrawal = withdrawals[-1]
        boa.env.time_travel(blocks=self.withdrawal_delay() + 1)
        before = boa.env.get_balance(str(module.address))
        self.tx(
            "module.complete_withdrawal", module.complete_withdrawal, withdrawal, sender=self.actors.fee_payer
        )
        return boa.env.get_balance(str(module.address)) - before

    # ------------------------------------------------------------ dissolution

    def phase_dissolution(self) -> None:
        """Clusters nobody staked are dissolved by anyone after the time-out."""
        self.section("Dissolution")
        m = self.p.manager
        pending = [
            cid for cid in range(self.p.auction.num_clusters()) if m.cluster_status(cid) == c.CLUSTER_PENDING
        ]
        if not pending:
            self.out("no cluster waits for a staker")
            return
        due = max(m.settled_at(cid) for cid in pending) + m.pending_cluster_ttl()
        if due > boa.env.timestamp:
            boa.env.time_travel(seconds=due - boa.env.timestamp)
        for cid in pending:
            seats = self.p.seats(cid)
            self.tx("dissolve_cluster", m.dissolve_cluster, cid, seats, sender=self.actors.fee_payer)
            self.check(f"cluster {cid} dissolved", m.cluster_status(cid) == c.CLUSTER_DISSOLVED)
        days = m.pending_cluster_ttl() // 86_400
        self.out(
            f"{len(pending)} cluster(s) pre-created but never staked dissolved by "
            f"{self.label(self.actors.fee_payer)} after the {days}-day time-out"
        )
        self.out("  prices and bonds back to their winners")

    def cluster_status_name(self, cid: int) -> str:
        """StrategyModuleManager.cluster_status as its word ("pre-deposited"; deploy/constants.py)."""
        return status_name(ClusterStatus, self.p.manager.cluster_status(cid))
