"""The beacon model's own check of a rotated seat's key (deploy/sim/key_watch.py, issue #19).

A cluster's validator is staked, confirmed, activated and restaked on `SpecBeaconChain`; one operator
leaves, the new set reshares the key and completes the rotation on chain. On its next `process()` the
model checks, with its own maths and registry, that every t of the registered shares give the key the
cluster registered at formation and that it is the key of a validator it holds: the validator's key never
changed. Shares that give another key, no single key, or a key no validator has are refused by the same
check (`KeyChangedError`).
"""

from __future__ import annotations

import boa
import pytest

from deploy.keys import generate_threshold_key
from deploy.sim.key_watch import KeyChangedError, KeyWatch, check_reshared_key
from tests.staker.rotations import (
    DAY,
    cluster_key,
    complete_args,
    newcomer_bid,
    open_rotation,
    register_shares,
    reshared_key,
)
from tests.staker.spec_chain import restaked_on_the_spec_chain
from tests.utils.spec_chain_fork import fork_spec_chain


def shares_of(key) -> dict[int, bytes]:
    return dict(enumerate(key.public_share_list(), start=1))


def test_the_model_checks_the_reshared_key(protocol, ready_cluster, operators, stakers, outsider):
    chain, cid, _module, pubkey = restaked_on_the_spec_chain(protocol, ready_cluster, stakers[0], outsider)
    assert chain.formation_keys == {cid: pubkey} and chain.reshared == []
    newcomer_bid(protocol.auction, operators[4])
    boa.env.time_travel(seconds=3 * DAY)
    leaver = protocol.seats(cid)[1].operator
    open_rotation(protocol, cid, 1, leaver)
    new = reshared_key(cluster_key(protocol, cid), 1)
    shares = new.public_share_list()
    register_shares(protocol, cid, shares)
    chain.process()
    assert chain.reshared == []  # registered, not completed: nothing to check yet
    fork = fork_spec_chain(chain)  # a copy watches on its own (the state machines' forks)
    protocol.seat_rotation.complete_rotation(cid, *complete_args(protocol, cid, shares), sender=outsider)
    fork.process()
    assert fork.reshared == [(cid, 1, pubkey)] and chain.reshared == []
    chain.process()
    assert chain.reshared == [(cid, 1, pubkey)] and chain.unchecked == []
    assert chain.validator(pubkey).pubkey == pubkey and chain.knows_key(pubkey)


@pytest.fixture(scope="module")
def keys():
    """A cluster's 3-of-4 key, the same key reshared, and another ceremony's key."""
    key = generate_threshold_key(4, 3, seed=b"key watch")
    return key, reshared_key(key, 1, seed="key watch"), generate_threshold_key(4, 3, seed=b"other")


def test_the_check_accepts_the_same_key_reshared(keys):
    key, new, _other = keys
    pubkey = key.distributed_public_key
    assert check_reshared_key(shares_of(new), pubkey, {pubkey}.__contains__) == pubkey
    assert check_reshared_key(shares_of(new), None, {pubkey}.__contains__) == pubkey


def test_the_check_refuses_another_key(keys):
    key, _new, other = keys
    pubkey = key.distributed_public_key
    with pytest.raises(KeyChangedError, match="is not the cluster's"):
        check_reshared_key(shares_of(other), pubkey, lambda _key: True)


def test_the_check_refuses_shares_from_two_ceremonies(keys):
    key, new, other = keys
    mixed = shares_of(new) | {4: shares_of(other)[4]}
    with pytest.raises(KeyChangedError, match="give no single key"):
        check_reshared_key(mixed, key.distributed_public_key, lambda _key: True)


def test_the_check_refuses_a_key_no_validator_has(keys):
    key, new, _other = keys
    with pytest.raises(KeyChangedError, match="is no validator of the chain"):
        check_reshared_key(shares_of(new), key.distributed_public_key, lambda _key: False)


def test_the_watch_follows_events_in_order_and_raises_on_a_changed_key(keys):
    """Registrations replace earlier ones of the same round and index; a completion checks the last ones."""
    key, new, other = keys
    pubkey = key.distributed_public_key

    class Watch(KeyWatch):
        def knows_key(self, candidate):
            return candidate == pubkey

    watch = Watch()
    watch._init_key_watch()
    shares, wrong = shares_of(new), shares_of(other)
    events = [(1, "keys", (7, pubkey)), (1.5, "opened", (7, 1))]
    events += [(2 + i, "share", (7, 1, i, wrong[i])) for i in shares]  # replaced below
    events += [(10 + i, "share", (7, 1, i, shares[i])) for i in shares]
    watch.follow_keys([*events, (20, "reshared", (7, 1))][::-1])  # sorted by sequence, not by arrival
    assert watch.reshared == [(7, 1, pubkey)]
    later = [(30 + i, "share", (7, 2, i, wrong[i])) for i in wrong]  # round 2: another ceremony's shares
    with pytest.raises(KeyChangedError, match="is not the cluster's"):
        watch.follow_keys([(29, "opened", (7, 2)), *later, (40, "reshared", (7, 2))])
    assert watch.reshared == [(7, 1, pubkey)]
    # a round opened before the watch began: its shares were not all seen, so nothing is checked
    watch.follow_keys([(50, "share", (7, 3, 1, wrong[1])), (60, "reshared", (7, 3))])
    assert watch.reshared == [(7, 1, pubkey)] and watch.unchecked == [(7, 3)]
