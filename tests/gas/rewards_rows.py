"""Receipt-exact gas of StakerRewards' operations on the real suite (deploy/gas.py's method): rows of
tests/gas/benchmark.py (the first of each kind; `run` also gives min/mean/max over rounds).

    .venv/bin/python -m tests.gas.rewards_rows

A script, not a test: `measure` puts a transaction boundary before each call (`lock_changes`), which
titanoboa's test isolation does not allow. The stream is started and ended as the manager does it
(`confirm_stake`, `request_exit`), by calling StakerRewards from the manager's address.
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
        with boa.env.prank(manager):
            cid = auction.settle_cluster()
            nft.mint(stakers[0], cid)
        report.measure("StakerRewards.start_stream", sr.start_stream, cid, sender=manager)
        return cid

    for _ in range(rounds):
        # claims, a sale, a renewal and an exit
        cid = cluster()
        boa.env.time_travel(seconds=DAY)
        report.measure("StakerRewards.claim (holder)", sr.claim, cid, sender=stakers[0])
        boa.env.time_travel(seconds=DAY)
        op = operators[0]
        seat = list(auction.get_cluster(cid).operators).index(op)
        vc = sr.get_seat(cid, seat).vc
        report.measure("Auction.renew (10 days, end moves)", auction.renew, cid, 10, value=10 * vc, sender=op)
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
        report.measure(
            "StakerRewards.end_stream (4 seats)", sr.end_stream, cid, boa.env.timestamp, sender=manager
        )

        # expiry
        cid = cluster()
        boa.env.time_travel(seconds=30 * DAY)
        report.measure("StakerRewards.expire (4 seats)", sr.expire, cid, sender=anyone)
        report.measure("StakerRewards.claim (after expiry)", sr.claim, cid, sender=stakers[0])
    return report


def rows() -> dict[str, int]:
    """One figure per operation (the highest of its rounds), for the benchmark's table and snapshot."""
    return {name: high for name, _, _, _, high in run().rows()}


if __name__ == "__main__":
    print(run().table())
