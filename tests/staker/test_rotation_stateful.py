"""Seats that expire, rotate, renew and fail to reshare, in any order (docs/protocol.md §10 "Seats that
rotate"): a state machine over one confirmed cluster and a pool of newcomers' bids. Time passes; winners
renew; a leaver (or anyone, in a seat's last ROTATION_NOTICE) opens a rotation, which must succeed exactly
when the rules allow it; the new set reshares with deploy/reshare.py and completes, or fails to register and
anyone forfeits after the time-out; the validator is proven slashed during an open rotation (the leaver's
bond then goes to the holder as the rotation resolves, and the forfeit needs no time-out); the holder
claims; anyone expires the cluster once its end has passed.

Invariants after every step: the Escrow's and StakerRewards' balances equal their ledgers and the cluster
conserves to the wei (tests/staker/rotations.py), deploy/seats.py's seats hash to the commitment, the
validator's public key never changed, and the key the model holds (reshared at each completed rotation) is
still a sharing of it.

CI profile: derandomized (every rule reached; `ci_examples`, `ci_steps`).
"""

from __future__ import annotations

import boa
import pytest
from eth_utils import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from deploy.keys import g1_point
from tests.staker.exits import prove
from tests.staker.rotations import (
    DAY,
    check_identities,
    cluster_key,
    complete_args,
    now,
    register_shares,
    reshared_key,
)
from tests.utils.constants import c
from tests.utils.seats import seats_of
from tests.utils.stateful import LONG, StatefulBase

STREAMING = c.STREAM_STREAMING


@pytest.fixture(scope="module")
def rotation_world(protocol, operators, confirmed_module):
    """A confirmed cluster of operators[:4] and six bids from each of operators[4:] (the newcomers' pool)."""
    cluster_id, module, holder = confirmed_module()
    auction = protocol.auction
    for i, op in enumerate(operators[4:]):
        rates, durations = [400 + 10 * i + j for j in range(6)], [150 + 20 * j for j in range(6)]
        due = auction.price_to_pay(op, rates, durations)
        with boa.env.prank(op):
            auction.bid(rates, durations, value=due)
    return cluster_id, module, holder, cluster_key(protocol, cluster_id)


class RotationMachine(StatefulBase):
    examples, steps = 10, 25
    ci_examples, ci_steps = 8, 30
    protocol = None
    cid = None
    module = None
    holder = None
    key0 = None
    accounts = None
    anyone = None

    @classmethod
    def settings(cls):
        return settings(parent=super().settings(), derandomize=not LONG)

    @initialize()
    def setup(self):
        self.key = self.key0  # the key the current set holds
        self.pubkey = bytes(self.protocol.manager.validator_pubkey(self.cid))
        self.open = False
        self.rounds = 0
        self.slashed = False

    # ------------------------------------------------------------ helpers

    def seats(self):
        return seats_of(self.protocol, self.cid)

    def streaming(self) -> bool:
        return self.protocol.staker_rewards.status(self.cid) == STREAMING

    def rotation_allowed(self, index: int, by_operator: bool) -> bool:
        """The rules of `open_rotation` (docs/protocol.md §10), computed from the model's view."""
        sr, seats = self.protocol.staker_rewards, self.seats()
        stream = sr.get_stream(self.cid)
        if self.open or not self.streaming() or now() >= stream.end:
            return False
        if not by_operator and now() + c.ROTATION_NOTICE < stream.start + seats[index].days * DAY:
            return False
        k = 0 if now() <= stream.start else -(-(now() - stream.start) // DAY)
        return all(s.days > k for i, s in enumerate(seats) if i != index)

    # ------------------------------------------------------------ rules

    @rule(days=st.integers(min_value=1, max_value=15))
    def time_passes(self, days):
        boa.env.time_travel(seconds=days * DAY)

    @rule(index=st.integers(min_value=0, max_value=3), days=st.integers(min_value=5, max_value=40))
    def renew(self, index, days):
        seats, sr = self.seats(), self.protocol.staker_rewards
        seat = seats[index]
        with boa.env.prank(seat.operator):
            if self.streaming() and now() < sr.get_stream(self.cid).end:
                self.protocol.auction.renew(self.cid, seats, days, value=days * seat.vc)
                assert self.seats()[index].days == seat.days + days
            else:
                with boa.reverts():
                    self.protocol.auction.renew(self.cid, seats, days, value=days * seat.vc)

    @rule(index=st.integers(min_value=0, max_value=3), by_operator=st.booleans())
    def open_rotation(self, index, by_operator):
        seats, rotation = self.seats(), self.protocol.seat_rotation
        caller = seats[index].operator if by_operator else self.anyone
        with boa.env.prank(caller):
            if not self.rotation_allowed(index, by_operator):
                with boa.reverts():
                    rotation.open_rotation(self.cid, seats, index)
                return
            new_seat = rotation.open_rotation(self.cid, seats, index)
        assert new_seat.operator not in [s.operator for i, s in enumerate(seats) if i != index]
        assert self.seats()[index] == new_seat
        self.open, self.index = True, index
        self.rounds += 1

    @precondition(lambda self: self.open)
    @rule()
    def reshare_and_complete(self):
        new = reshared_key(self.key, self.index, seed=f"machine round {self.rounds}")
        shares = new.public_share_list()
        register_shares(self.protocol, self.cid, shares)
        escrow, rotation = self.protocol.escrow, self.protocol.seat_rotation
        record = rotation.rotation(self.cid)
        held = escrow.held(record.leaver_bid)
        holder_before, leaver_before = escrow.claimable(self.holder), escrow.claimable(record.leaver)
        rotation.complete_rotation(self.cid, *complete_args(self.protocol, self.cid, shares))
        assert rotation.rotation(self.cid).status == c.ROTATION_RESHARED
        # the leaver's bond unlocks to it, or goes to the holder after a slashing during the rotation
        to_holder = held if self.slashed else 0
        assert escrow.claimable(self.holder) - holder_before == to_holder
        assert escrow.claimable(record.leaver) - leaver_before == held - to_holder
        assert not escrow.is_locked(record.leaver_bid)
        self.key, self.open = new, False

    @precondition(lambda self: self.open)
    @rule(missing=st.sets(st.integers(min_value=0, max_value=3), min_size=1, max_size=4))
    def fail_to_reshare(self, missing):
        escrow, rotation = self.protocol.escrow, self.protocol.seat_rotation
        shares = reshared_key(self.key, self.index, seed=f"machine failed {self.rounds}").public_share_list()
        register_shares(self.protocol, self.cid, shares, skip=missing)
        seats = self.seats()
        deadline = rotation.rotation(self.cid).deadline
        if now() < deadline and not self.slashed:
            with boa.reverts("seat_rotation: reshare time-out not reached"):
                rotation.forfeit(self.cid, seats)
            boa.env.time_travel(seconds=deadline - now())
        due = sum(escrow.held(seats[i].bid_id) for i in missing)
        leaver = rotation.rotation(self.cid).leaver_bid
        leaver_bond = escrow.held(leaver) if self.slashed else 0  # charged, not unlocked, after a slashing
        before = escrow.claimable(self.holder)
        with boa.env.prank(self.anyone):
            assert rotation.forfeit(self.cid, seats) == due
        assert escrow.claimable(self.holder) - before == due + leaver_bond
        assert all(escrow.held(seats[i].bid_id) == 0 for i in missing)
        assert escrow.held(leaver) == 0 and not escrow.is_locked(leaver)
        self.open = False  # the key did not move: the model keeps it

    @precondition(lambda self: self.open and not self.slashed)
    @rule()
    def slash(self):
        """The validator is proven slashed while the rotation is open: the current seats' bonds go to the
        holder at once; the leaver's stays locked until the rotation resolves."""
        escrow = self.protocol.escrow
        seats, leaver = self.seats(), self.protocol.seat_rotation.rotation(self.cid).leaver_bid
        due = sum(escrow.held(s.bid_id) for s in seats)
        held, before = escrow.held(leaver), escrow.claimable(self.holder)
        proof = prove(self.protocol, self.cid, b"machine slashing", exit_epoch=9, slashed=True)
        self.module.prove_slashing(seats, *proof, sender=self.anyone)
        assert escrow.claimable(self.holder) - before == due
        assert escrow.held(leaver) == held and escrow.is_locked(leaver)
        self.slashed = True

    @rule()
    def claim(self):
        with boa.env.prank(self.holder):
            self.protocol.staker_rewards.claim(self.cid)

    @rule()
    def expire(self):
        sr = self.protocol.staker_rewards
        if self.streaming() and now() >= sr.get_stream(self.cid).end:
            sr.expire(self.cid, self.seats())
            assert sr.status(self.cid) == c.STREAM_EXPIRED
        else:
            with boa.reverts():
                sr.expire(self.cid, self.seats())

    # ------------------------------------------------------------ invariants

    @invariant()
    def money_is_conserved(self):
        bids = range(1, self.protocol.auction.num_bids() + 1)
        check_identities(self.protocol, [self.cid], bids, self.accounts)

    @invariant()
    def the_validator_key_never_changed(self):
        assert bytes(self.protocol.manager.validator_pubkey(self.cid)) == self.pubkey
        assert self.key.distributed_public_key == self.pubkey
        assert g1_point(self.key.distributed_public_key) == g1_point(self.pubkey)

    @invariant()
    def the_current_shares_are_the_key_holders(self):
        """`current_share_hash` names the shares of the key the current set holds: the formation's
        (ClusterKeys) until a rotation completes, then the last completed round's, whatever opened or
        failed since."""
        rotation = self.protocol.seat_rotation
        for index, share in enumerate(self.key.public_share_list(), start=1):
            assert rotation.current_share_hash(self.cid, index) == keccak(g1_point(share))


def test_rotation_state_machine(protocol, rotation_world, operators, stakers, non_owner):
    cid, module, holder, key = rotation_world
    RotationMachine.run(
        protocol=protocol,
        cid=cid,
        module=module,
        holder=holder,
        key0=key,
        accounts=[*operators, *stakers, non_owner],
        anyone=non_owner,
    )
