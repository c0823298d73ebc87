"""Clusters whose streams last a day, for the state machines that run on the consensus-spec chain.

Every epoch the chain passes is processed (about 11 ms of CPU when quiet), so a stream of 100 days would cost
minutes each time a machine lets it expire. The owner lowers the Auction's shortest duration to one day (its
floor) and the operators bid for one-day seats, ranked by their discount rates (distinct across operators and
bids: a strict ranking): an expiry then lies within the 256 epochs an exit waits for anyway.
"""

from __future__ import annotations

import boa

DAYS = 1


def bid_for_short_clusters(auction, owner, operators, clusters: int, days: int = DAYS) -> None:
    """The owner sets the Auction's shortest duration to `days`; enough one-seat bids of `days` days for
    `clusters` clusters of 4, at discount rates 1 000 - 10 x operator - 100 x bid."""
    config = auction.auction_config()
    with boa.env.prank(owner):
        auction.set_auction_config(
            config.expected_daily_return, config.max_discount_rate, days, config.max_duration
        )
    n = (clusters * 4 + len(operators) - 1) // len(operators)
    for i, op in enumerate(operators):
        rates = [1000 - 10 * i - 100 * j for j in range(n)]
        due = auction.price_to_pay(op, rates, [days] * n)
        with boa.env.prank(op):
            auction.bid(rates, [days] * n, value=due)
