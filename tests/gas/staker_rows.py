"""Receipt-exact gas of the staker side's operations (deploy/gas.py's method): rows of tests/gas/benchmark.py.

    .venv/bin/python -m tests.gas.staker_rows      # these rows alone

Rows: create_strategy_module_and_stake (with and without pre-creating the next cluster), confirm_stake (a
proof from the consensus-spec chain, deploy/sim/beacon.py), the two phases together, report_frontrun,
reclaim_stake (by anyone), the exit and the principal home (StrategyModule.prove_activation, restake,
request_exit, prove_exit, start_checkpoint, EigenPod.verifyCheckpointProofs, queue_withdrawal,
complete_withdrawal), a slashing proven while streaming (StrategyModule.prove_slashing), a loss a checkpoint
proved (report_loss, answer_loss, settle_loss), a seat that rotates (SeatRotation.open_rotation,
register_share, complete_rotation, forfeit), dissolve_cluster,
EigenPod.verifyWithdrawalCredentials on its own, and the winners' registration in ClusterKeys (a share,
a replaced share, the group key and deposit signature with its checks).
The landed one-phase stake (with pre-creation) cost 1 350 041.

The spec chain processes every epoch the EVM's clock passes (about 11 ms of CPU each), so this deployment
waits less where the defaults wait weeks: the pending-cluster time-out (a day, the manager's floor) and
EigenLayer's withdrawal delay (an hour), SHORT_TTL and SHORT_DELAY_BLOCKS. Both are read from storage
whatever their value: the gas is the same.
"""

from __future__ import annotations

import boa

from deploy.constants import c
from deploy.gas import measure
from deploy.keys import (
    MAX_EFFECTIVE_BALANCE_GWEI,
    cluster_registration,
    eigen_pod_withdrawal_credentials,
    make_deposit_data,
)
from deploy.protocol import at, deploy_protocol
from deploy.tables import format_table
from tests.staker.proofs import posted_proof, uint64_chunk, validator_fields
from tests.utils.spec_chain import next_block, run_epochs, spec_chain, wait_for

ETH = 10**18
STAKE = 32 * ETH
LANDED_ONE_PHASE = 1_350_041
SHORT_TTL = 86_400  # seconds: the pending-cluster time-out here (the default is 30 days)
SHORT_DELAY_BLOCKS = 300  # EigenLayer's withdrawal delay here (mainnet's 100 800 blocks: 14 days)
FAR_FUTURE_EPOCH = c.FAR_FUTURE_EPOCH


def _accounts(label: str, n: int) -> list[str]:
    out = []
    for i in range(n):
        address = boa.env.generate_address(f"{label}{i}")
        boa.env.set_balance(address, 1_000 * ETH)
        out.append(address)
    return out


def _register(protocol, cluster_id: int, seed: bytes) -> bytes:
    """The winners' registration in ClusterKeys (deploy/protocol.py); returns the validator's key."""
    return bytes.fromhex(protocol.register_cluster_keys(cluster_id, seed)["pubkey"])


def registration_rows(protocol, cluster_id: int, seed: bytes) -> dict[str, int]:
    """The winners' registration of one cluster in ClusterKeys, measured: a first share, a replaced share,
    then the group key and signature with every check (shares agree, exact threshold, deposit signature)."""
    seats = protocol.seats(cluster_id)
    operators = [s.operator for s in seats]
    n = len(operators)
    reg = cluster_registration(
        bytes(protocol.manager.withdrawal_credentials(cluster_id)),
        n,
        seed=seed,
        fork_version=protocol.config["genesis_fork_version"].to_bytes(4, "big"),
    )
    keys, out = protocol.cluster_keys, {}
    for i, (operator, (share, point)) in enumerate(zip(operators, reg.shares, strict=True)):
        _, gas = measure(keys.register_share, cluster_id, seats, share, point, sender=operator)
        if i == 0:
            out["ClusterKeys.register_share"] = gas
    _, gas = measure(keys.register_share, cluster_id, seats, *reg.shares[-1], sender=operators[-1])
    out["ClusterKeys.register_share (replacing)"] = gas
    _, gas = measure(keys.register_deposit_data, cluster_id, seats, *reg.deposit_args, sender=operators[0])
    out[f"ClusterKeys.register_deposit_data (n={n}, t={reg.key.threshold})"] = gas
    return out


def run() -> dict[str, int]:
    results: dict[str, int] = {}
    protocol = deploy_protocol(pending_cluster_ttl=SHORT_TTL, min_withdrawal_delay_blocks=SHORT_DELAY_BLOCKS)
    auction, manager, owner = protocol.auction, protocol.manager, protocol.owner
    chain = spec_chain(protocol)
    operators = _accounts("gas operator", 24)
    for i, op in enumerate(operators):
        d, t = 100 * (i % 8), 100 + 10 * i
        auction.bid([d], [t], value=auction.bid_price(d, t) + ETH, sender=op)
    stakers = _accounts("gas staker", 4)

    # cluster 0: stake (pre-creates cluster 1), confirm, later exit
    (c0,) = manager.pre_create_clusters(1, sender=owner)
    pubkey0 = _register(protocol, c0, b"gas report key 0")
    module_address, gas = measure(manager.create_strategy_module_and_stake, value=STAKE, sender=stakers[0])
    results["create_strategy_module_and_stake (and pre-create the next)"] = gas
    timestamp = wait_for(chain, lambda: chain.has_validator(pubkey0), "the pre-deposit in the registry")
    seats0 = protocol.seats(c0)
    _, gas = measure(
        manager.confirm_stake, c0, seats0, timestamp, chain.validator_proof(pubkey0), sender=stakers[0]
    )
    results["confirm_stake"] = gas
    results["two phases together (with pre-creation)"] = (
        results["create_strategy_module_and_stake (and pre-create the next)"] + gas
    )
    # the reward split, deployed by whoever first has fees to distribute (the stake only predicts it)
    _, gas = measure(manager.deploy_split, c0, seats0, sender=stakers[3])
    results["StrategyModuleManager.deploy_split (first distribution)"] = gas

    # cluster 1 (pre-created by that deposit): a front-run, reported
    c1 = 1
    attacker_credentials = b"\x01" + b"\x00" * 11 + b"\xaa" * 20
    pubkey1 = _register(protocol, c1, b"gas report key 1")
    own = make_deposit_data(attacker_credentials, seed=b"gas report key 1")
    protocol.deposit_contract.deposit(
        pubkey1,
        attacker_credentials,
        bytes.fromhex(own["signature"]),
        bytes.fromhex(own["deposit_data_root"]),
        value=ETH,
        sender=operators[0],
    )
    (c2,), _ = measure(manager.pre_create_clusters, 1, sender=owner)
    results |= registration_rows(protocol, c2, b"gas report key 2")
    # the deposit into cluster 1 (its pre-creation attempt finds enough bids again: pre-creates cluster 3)
    _, gas = measure(manager.create_strategy_module_and_stake, value=STAKE, sender=stakers[1])
    results["create_strategy_module_and_stake (second, pre-creating)"] = gas
    timestamp = wait_for(
        chain,
        lambda: chain.has_validator(pubkey1) and not chain.pending_deposits(pubkey1),
        "the front-runner's deposit and the pre-deposit processed",
    )
    _, gas = measure(
        manager.report_frontrun,
        c1,
        protocol.seats(c1),
        timestamp,
        chain.validator_proof(pubkey1),
        sender=stakers[1],
    )
    results["report_frontrun"] = gas

    # a deposit that cannot pre-create (the Auction paused)
    auction.pause(sender=owner)
    _, gas = measure(manager.create_strategy_module_and_stake, value=STAKE, sender=stakers[2])
    results["create_strategy_module_and_stake (nothing to pre-create)"] = gas
    auction.unpause(sender=owner)

    # dissolution of a pending cluster
    pending = manager.pre_create_clusters(1, sender=owner)[0]
    _, gas = measure(manager.dissolve_cluster, pending, protocol.seats(pending), sender=owner)
    results["dissolve_cluster"] = gas

    # cluster 2 (the paused deposit's) is never proven: anyone reclaims after the time-out
    boa.env.time_travel(seconds=manager.pending_cluster_ttl())
    _, gas = measure(manager.reclaim_stake, c2, protocol.seats(c2), sender=stakers[3])
    results["reclaim_stake"] = gas

    # EigenLayer's own proof check, on its own: a pod owner restakes a validator staked through its pod
    owner_of_pod = stakers[3]
    direct = make_deposit_data(
        eigen_pod_withdrawal_credentials(protocol.eigen_pod_manager.getPod(owner_of_pod)),
        seed=b"gas report direct key",
        amount_gwei=MAX_EFFECTIVE_BALANCE_GWEI,  # EigenPod.stake takes exactly 32 ETH
    )
    pubkey_direct = bytes.fromhex(direct["pubkey"])
    protocol.eigen_pod_manager.stake(
        pubkey_direct,
        bytes.fromhex(direct["signature"]),
        bytes.fromhex(direct["deposit_data_root"]),
        value=STAKE,
        sender=owner_of_pod,
    )
    # the deposit lands, then the activation epoch is assigned (finality, churn, the seed lookahead)
    wait_for(
        chain,
        lambda: (
            chain.has_validator(pubkey_direct)
            and chain.validator(pubkey_direct).activation_epoch != FAR_FUTURE_EPOCH
        ),
        "the direct deposit's activation epoch",
    )
    pod = at("eigen_pod_implementation", protocol.eigen_pod_manager.getPod(owner_of_pod))
    args = chain.credential_proof_args([pubkey_direct])
    _, gas = measure(pod.verifyWithdrawalCredentials, *args, sender=owner_of_pod)
    results["EigenPod.verifyWithdrawalCredentials"] = gas

    # the exit of cluster 0 (docs/protocol.md §10, §11): its activation proven, the validator restaked through
    # its pod, the request after 256 epochs of activity, the exit epoch proven (the stream ends there, bonds
    # unlock), then the principal home EigenLayer's way: the sweep, a checkpoint, the queue, the delay
    module = at("strategy_module_implementation", module_address)
    timestamp = wait_for(
        chain, lambda: chain.validator(pubkey0).activation_epoch != FAR_FUTURE_EPOCH, "an activation epoch"
    )
    _, gas = measure(module.prove_activation, timestamp, chain.validator_proof(pubkey0), sender=stakers[3])
    results["StrategyModule.prove_activation"] = gas
    timestamp, state_root_proof, indices, proofs, fields = chain.credential_proof_args([pubkey0])
    _, gas = measure(
        module.restake, timestamp, state_root_proof, indices[0], proofs[0], fields[0], sender=stakers[3]
    )
    results["StrategyModule.restake (EigenPod.verifyWithdrawalCredentials)"] = gas
    due = manager.beacon_genesis_time() + (module.activation_epoch() + 256) * 384
    boa.env.time_travel(seconds=max(due - boa.env.timestamp, 0))
    fee = module.exit_fee()
    _, gas = measure(module.request_exit, value=fee, sender=stakers[0])
    results["StrategyModule.request_exit"] = gas
    timestamp = next_block(chain)  # the block after the request initiates the exit
    _, gas = measure(module.prove_exit, seats0, timestamp, chain.validator_proof(pubkey0), sender=stakers[3])
    results["StrategyModule.prove_exit (stream ended, bonds unlocked)"] = gas
    v0 = chain.validator(pubkey0)  # withdrawable 256 epochs after the exit: the sweep pays the pod
    run_epochs(chain, v0.withdrawable_epoch - chain.epoch)
    wait_for(chain, lambda: v0.balance == 0, "the sweep of the exited balance", epochs=2)
    boa.env.time_travel(seconds=12)
    timestamp = chain.process()
    _, gas = measure(module.start_checkpoint, sender=stakers[3])
    results["StrategyModule.start_checkpoint"] = gas
    pod0 = at("eigen_pod_implementation", module.eigen_pod())
    _, gas = measure(
        pod0.verifyCheckpointProofs, *chain.checkpoint_proof_args(timestamp, [pubkey0]), sender=stakers[3]
    )
    results["EigenPod.verifyCheckpointProofs (one validator, withdrawn)"] = gas
    shares = protocol.eigen_pod_manager.podOwnerDepositShares(module.address)
    _, gas = measure(module.queue_withdrawal, shares, sender=stakers[0])
    results["StrategyModule.queue_withdrawal"] = gas
    withdrawal = protocol.delegation_manager.getQueuedWithdrawals(module.address)[0][-1]
    boa.env.time_travel(blocks=protocol.delegation_manager.minWithdrawalDelayBlocks() + 1)
    _, gas = measure(module.complete_withdrawal, withdrawal, sender=stakers[3])
    results["StrategyModule.complete_withdrawal (ETH to the module)"] = gas

    # a slashing proven while the stream runs (cluster 3, pre-created by the second deposit): every bond
    # and the unserved credits charged to the holder, ten days into the stream. The chain's own slashing
    # needs the validator active and then processes every epoch of those days (tests/staker/
    # test_slashing_spec_chain.py proves one): the proof here is the chain's last one with the `slashed`
    # chunk set and the exit and withdrawable epochs as `slash_validator` sets them, against a root of its
    # own (tests/staker/proofs.py: a branch of the same shape, 47 nodes, as the chain's Fulu proofs)
    c3 = 3
    pubkey3 = _register(protocol, c3, b"gas report key 3")
    module3 = at(
        "strategy_module_implementation",
        measure(manager.create_strategy_module_and_stake, value=STAKE, sender=stakers[2])[0],
    )
    timestamp = wait_for(chain, lambda: chain.has_validator(pubkey3), "the pre-deposit in the registry")
    manager.confirm_stake(
        c3, protocol.seats(c3), timestamp, chain.validator_proof(pubkey3), sender=stakers[2]
    )
    boa.env.time_travel(seconds=10 * 86_400)
    fields = list(chain.validator_proof(pubkey3)[3])
    epoch = (boa.env.timestamp - manager.beacon_genesis_time()) // 384
    fields[3] = uint64_chunk(1)  # slashed
    fields[6], fields[7] = uint64_chunk(epoch + 5), uint64_chunk(epoch + 8192)  # its exit, withdrawability
    proof = posted_proof(protocol.beacon_roots, fields)
    _, gas = measure(module3.prove_slashing, protocol.seats(c3), *proof, sender=stakers[3])
    results["StrategyModule.prove_slashing (bonds and credits to the holder)"] = gas
    results |= loss_charge_rows(protocol)
    results |= rotation_rows(protocol)
    return results


def loss_charge_rows(protocol) -> dict[str, int]:
    """A loss a checkpoint proved, charged to the bonds (docs/protocol.md §10 "A loss at a checkpoint"): a
    fresh cluster of four new bidders, staked, confirmed and restaked on synthetic states (tests/staker/),
    then report_loss (0.5 ETH set aside from four bonds), answer_loss (a newer checkpoint, part given back)
    and settle_loss (after the window, charged to the holder)."""
    from tests.staker.exits import activate
    from tests.staker.losses import WINDOW, checkpoint_at, credentials_proof

    auction, manager = protocol.auction, protocol.manager
    for i, op in enumerate(_accounts("gas loss operator", 4)):
        auction.bid([0], [300 + i], value=auction.bid_price(0, 300 + i) + ETH, sender=op)
    (cluster,) = manager.pre_create_clusters(1, sender=protocol.owner)
    pubkey = _register(protocol, cluster, b"gas loss key")
    (staker,) = _accounts("gas loss staker", 1)
    module = at(
        "strategy_module_implementation",
        manager.create_strategy_module_and_stake(value=STAKE, sender=staker),
    )
    fields = validator_fields(pubkey, bytes(manager.withdrawal_credentials(cluster)))
    seats = protocol.seats(cluster)
    manager.confirm_stake(cluster, seats, *posted_proof(protocol.beacon_roots, fields), sender=staker)
    activate(protocol, cluster, module)
    checkpoint_at(protocol, module, 500_000_000)
    proof = credentials_proof(protocol, cluster, b"gas loss")
    _, report = measure(module.report_loss, seats, *proof, sender=staker)
    boa.env.time_travel(seconds=86_400)
    checkpoint_at(protocol, module, 250_000_000)
    _, answer = measure(module.answer_loss, seats, sender=staker)
    boa.env.time_travel(seconds=WINDOW)
    _, settle = measure(module.settle_loss, seats, sender=staker)
    return {
        "StrategyModule.report_loss (set aside from four bonds)": report,
        "StrategyModule.answer_loss (a newer checkpoint, part given back)": answer,
        "StrategyModule.settle_loss (charged to the holder)": settle,
    }


def rotation_rows(protocol) -> dict[str, int]:
    """A seat that rotates without an exit (docs/protocol.md §10 "Seats that rotate"): a fresh cluster of four
    new bidders, staked and confirmed (synthetic proof), ten days in; its second seat's operator leaves
    (`open_rotation`: the seat auctioned to a newcomer's bid, the stream re-based), the stayers reshare
    (deploy/reshare.py), each of the new set registers its share and anyone completes (n=4, t=3); then the
    newcomer leaves in its turn, two of the new set never register, and anyone forfeits their bonds."""
    from deploy.keys import g1_point
    from deploy.reshare import reshare

    auction, manager, rotation = protocol.auction, protocol.manager, protocol.seat_rotation
    for i, op in enumerate(_accounts("gas rotation operator", 4)):
        auction.bid([0], [400 + i], value=auction.bid_price(0, 400 + i) + ETH, sender=op)
    (cluster,) = manager.pre_create_clusters(1, sender=protocol.owner)
    seed = b"gas rotation key"
    pubkey = _register(protocol, cluster, seed)
    (staker,) = _accounts("gas rotation staker", 1)
    manager.create_strategy_module_and_stake(value=STAKE, sender=staker)
    fields = validator_fields(pubkey, bytes(manager.withdrawal_credentials(cluster)))
    seats = protocol.seats(cluster)
    manager.confirm_stake(cluster, seats, *posted_proof(protocol.beacon_roots, fields), sender=staker)
    newcomers = _accounts("gas rotation newcomer", 2)
    for i, op in enumerate(newcomers):
        auction.bid([0], [500 + i], value=auction.bid_price(0, 500 + i) + ETH, sender=op)
    boa.env.time_travel(seconds=10 * 86_400 + 3_600)
    out = {}
    _, out["SeatRotation.open_rotation (seat auctioned, stream re-based)"] = measure(
        rotation.open_rotation, cluster, seats, 1, sender=seats[1].operator
    )
    key = cluster_registration(
        bytes(manager.withdrawal_credentials(cluster)),
        4,
        seed=seed,
        fork_version=protocol.config["genesis_fork_version"].to_bytes(4, "big"),
    ).key
    new = reshare(key, range(1, 5), 3, seed="gas rotation", dealers=[1, 3, 4])
    shares = new.public_share_list()
    seats = protocol.seats(cluster)
    for i, (seat, share) in enumerate(zip(seats, shares, strict=True)):
        _, gas = measure(
            rotation.register_share, cluster, seats, share, g1_point(share), sender=seat.operator
        )
        if i == 0:
            out["SeatRotation.register_share"] = gas
    _, out["SeatRotation.complete_rotation (n=4, t=3: the leaver's bond unlocked)"] = measure(
        rotation.complete_rotation,
        cluster,
        seats,
        g1_point(pubkey),
        [g1_point(s) for s in shares],
        sender=staker,
    )
    boa.env.time_travel(seconds=86_400)
    rotation.open_rotation(cluster, seats, 1, sender=seats[1].operator)
    seats = protocol.seats(cluster)
    again = reshare(new, range(1, 5), 3, seed="gas rotation 2", dealers=[1, 3, 4]).public_share_list()
    for seat, share in list(zip(seats, again, strict=True))[2:]:
        rotation.register_share(cluster, seats, share, g1_point(share), sender=seat.operator)
    boa.env.time_travel(seconds=7 * 86_400)
    _, out["SeatRotation.forfeit (two bonds to the holder, the leaver's unlocked)"] = measure(
        rotation.forfeit, cluster, seats, sender=staker
    )
    return out


def main() -> None:
    results = run()  # transaction boundaries invalidate anchors: a script of its own
    rows = [(name, f"{gas:,}") for name, gas in results.items()]
    rows.append(("landed one-phase stake (with pre-creation)", f"{LANDED_ONE_PHASE:,}"))
    print(format_table(("operation", "gas"), rows, "lr"))


if __name__ == "__main__":
    main()
