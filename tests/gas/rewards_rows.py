"""Receipt-exact gas of StakerRewards' operations on the real suite (deploy/gas.py's method): rows of
tests/gas/benchmark.py (the first of each kind; `run` also gives min/mean/max over rounds).

    .venv/bin/python -m tests.gas.rewards_rows

A script, not a test: `measure` puts a transaction boundary before each call (`lock_changes`), which
titanoboa's test isolation does not allow. Each cluster is pre-created, registered and staked for real; its
stream is started as the manager starts it at `confirm_stake` (from the manager's address) and ended as the
cluster's module ends it at `prove_exit` (from the module's address). Every call passes the cluster's seats,
rebuilt from the settlement's event (`protocol.seats`), as a caller would.
"""

from __future__ import annotations

import boa

from deploy.gas import GasReport
from deploy.protocol import deploy_protocol
from tests.utils.actors import actor, actors
from tests.utils.constants import DAY

TERMS = [(0, 30), (500, 45), (1000, 100), (1500, 60)]


def run(rounds: int = 3) -> GasReport:
    owner = actor("owner")
    p = deploy_protocol(owner=owner)
    operators = actors("operator", 4)
    stakers = actors("staker", 2)
    anyone = actor("non_owner")
    sr, auction, nft, manager = p.staker_rewards, p.auction, p.byz_nft, p.manager.address
    report = GasReport()

    def cluster() -> int:
        for op, (d, t) in zip(operators, TERMS, strict=True):
            due = auction.price_to_pay(op, [d], [t])
            auction.bid([d], [t], value=due, sender=op)
        (cid,) = p.manager.pre_create_clusters(1, sender=owner)
        p.register_cluster_keys(cid, seed=f"rewards rows cluster {cid}")
        p.manager.create_strategy_module_and_stake(value=32 * 10**18, sender=stakers[0])
        report.measure("StakerRewards.start_stream", sr.start_stream, cid, p.seats(cid), sender=manager)
        return cid

    for _ in range(rounds):
        # claims, a sale, a renewal and an exit
        cid = cluster()
        boa.env.time_travel(seconds=DAY)
        report.measure("StakerRewards.claim (holder)", sr.claim, cid, sender=stakers[0])
        boa.env.time_travel(seconds=DAY)
        op = operators[0]
        seats = p.seats(cid)
        vc = seats[[s.operator for s in seats].index(op)].vc
        report.measure(
            "Auction.renew (10 days, end moves)", auction.renew, cid, seats, 10, value=10 * vc, sender=op
        )
        report.measure(
            "ByzNft.transferFrom (sale credit)",
            nft.transferFrom,
            stakers[0],
            stakers[1],
            cid,
            sender=stakers[0],
        )
        report.measure("StakerRewards.withdraw_credit", sr.withdraw_credit, stakers[0], sender=stakers[0])
        boa.env.time_travel(seconds=DAY)
        report.measure("StakerRewards.claim (after a sale)", sr.claim, cid, sender=stakers[1])
        module = p.manager.strategy_module_of(cid)
        report.measure(
            "StakerRewards.end_stream (4 seats)",
            sr.end_stream,
            cid,
            p.seats(cid),
            boa.env.timestamp,
            sender=module,
        )

        # expiry
        cid = cluster()
        boa.env.time_travel(seconds=30 * DAY)
        report.measure("StakerRewards.expire (4 seats)", sr.expire, cid, p.seats(cid), sender=anyone)
        report.measure("StakerRewards.claim (after expiry)", sr.claim, cid, sender=stakers[0])
    return report


def rows() -> dict[str, int]:
    """One figure per operation (the highest of its rounds), for the benchmark's table and snapshot."""
    return {name: high for name, _, _, _, high in run().rows()}


if __name__ == "__main__":
    print(run().table())
