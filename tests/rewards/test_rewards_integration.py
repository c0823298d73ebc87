"""StakerRewards inside the real suite (deploy_protocol): the real StrategyModuleManager starts the stream
at staking, the real StrategyModule claims on the holder's behalf, and expiry routes credits and bonds back
through the real Escrow."""

import hashlib

import boa
import pytest

from deploy.keys import make_deposit_data
from deploy.protocol import at
from tests.rewards.rewards_helpers import (
    BOND,
    DAY,
    STATUS_EXPIRED,
    STATUS_FUNDED,
    STATUS_STREAMING,
)

STAKE = 32 * 10**18


def _events(contract, name):
    return [log for log in contract.get_logs() if type(log).__name__ == name]


@pytest.fixture(scope="module")
def staked(protocol, owner, operators, stakers, place_bid):
    """One cluster (4 operators, different durations) pre-created, keyed and staked by stakers[0]."""
    terms = [(0, 30), (500, 45), (1000, 100), (1500, 60)]
    for op, (d, t) in zip(operators[:4], terms, strict=True):
        place_bid(op, d, t)
    m = protocol.manager
    (cid,) = m.pre_create_clusters(1, sender=owner)
    assert protocol.staker_rewards.status(cid) == STATUS_FUNDED
    credentials = bytes(m.withdrawal_credentials(cid))
    d = make_deposit_data(credentials, seed=hashlib.sha256(b"rewards integration").digest())
    m.register_deposit_data(
        cid,
        bytes.fromhex(d["pubkey"]),
        bytes.fromhex(d["signature"]),
        bytes.fromhex(d["deposit_data_root"]),
        sender=owner,
    )
    module_address = m.create_strategy_module_and_stake(sender=stakers[0], value=STAKE)
    module = at("strategy_module_implementation", module_address)
    return cid, module, boa.env.evm.patch.timestamp


def test_stream_started_by_manager(protocol, staked):
    cid, module, t0 = staked
    sr, a = protocol.staker_rewards, protocol.auction
    c = a.get_cluster(cid)
    bids = [a.get_bid(b) for b in c.bid_ids]
    rate = sum(b.price // b.duration for b in bids)
    s = sr.get_stream(cid)
    assert s.status == STATUS_STREAMING
    assert (s.rate, s.start, s.min_duration, s.end) == (rate, t0, 30, t0 + 30 * DAY)
    assert s.funded == sum(b.price for b in bids) == sr.held(cid)
    assert protocol.manager.strategy_module_of(cid) == module.address


def test_module_claims_for_holder_and_nft_transfer(protocol, staked, stakers):
    cid, module, t0 = staked
    sr = protocol.staker_rewards
    rate = sr.get_stream(cid).rate
    alice, bob = stakers[0], stakers[1]
    boa.env.time_travel(seconds=5 * DAY + 17)
    before = boa.env.get_balance(alice)
    amount = module.claim_rewards(sender=alice)
    assert amount == rate * (5 * DAY + 17) // DAY
    assert boa.env.get_balance(alice) - before == amount
    with boa.reverts("staker_rewards: caller is not the holder"):
        sr.claim(cid, sender=bob)
    protocol.byz_nft.transferFrom(alice, bob, cid, sender=alice)
    boa.env.time_travel(seconds=DAY)
    before = boa.env.get_balance(bob)
    amount2 = module.claim_rewards(sender=bob)
    assert amount2 == rate * (6 * DAY + 17) // DAY - amount
    assert boa.env.get_balance(bob) - before == amount2


def test_expiry_returns_credits_and_bonds_through_escrow(protocol, staked, stakers, outsider):
    cid, module, t0 = staked
    sr, a, e = protocol.staker_rewards, protocol.auction, protocol.escrow
    c = a.get_cluster(cid)
    bids = [a.get_bid(b) for b in c.bid_ids]
    boa.env.time_travel(seconds=29 * DAY)
    with boa.reverts("staker_rewards: credits not exhausted"):
        sr.expire(cid, sender=outsider)
    boa.env.time_travel(seconds=DAY)
    sr.expire(cid, sender=outsider)
    (ev,) = _events(sr, "ClusterExpired")
    assert sr.status(cid) == STATUS_EXPIRED
    credits = [(b.duration - 30) * (b.price // b.duration) for b in bids]
    assert ev.returned == sum(credits)
    for op, credit in zip(c.operators, credits, strict=True):
        assert e.claimable(op) == credit + BOND
        before = boa.env.get_balance(op)
        a.claim_refund(sender=op)
        assert boa.env.get_balance(op) - before == credit + BOND
    staker_total = ev.staker_total
    assert module.claim_rewards(sender=stakers[0]) == staker_total
    assert sr.held(cid) == 0
    with boa.reverts("staker_rewards: already expired"):
        sr.expire(cid, sender=outsider)
