"""ClusterKeys: the winners register their key shares, then the group key and the deposit signature, checked
on chain with the BLS precompiles before the manager gets the deposit data (issue #19, first part).

Ceremonies are deploy/keys.py's (`cluster_registration`: a t-of-n key, its first t operators sign the 1 ETH
deposit); the hypothesis test runs against a stand-in of the manager and the Auction
(mocks/ClusterKeysStandIn.vy) to draw any cluster size cheaply.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boa
import pytest
from eth_utils import keccak
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deploy.constants import c
from deploy.keys import (
    MAX_EFFECTIVE_BALANCE_GWEI,
    cluster_registration,
    g1_point,
    g2_point,
    make_deposit_data,
    threshold_of,
)
from deploy.protocol import deployer_for
from tests.staker.conftest import STAKE, events, mock_deployer
from tests.utils.seats import operators_of, seats_of

DATA = Path(__file__).resolve().parents[1] / "data"
HOLESKY = bytes.fromhex("01017000")
MAINNET = bytes(4)
CREDENTIALS = b"\x01" + bytes(11) + b"\x5a" * 20


def ceremony(manager, cluster_id: int, seed: bytes | str, n: int = 4, **options):
    return cluster_registration(
        bytes(manager.withdrawal_credentials(cluster_id)), n, seed=seed, fork_version=HOLESKY, **options
    )


def flip(raw: bytes, byte: int, mask: int = 1) -> bytes:
    out = bytearray(raw)
    out[byte] ^= mask
    return bytes(out)


@pytest.fixture(scope="module")
def keys(protocol):
    return protocol.cluster_keys


@pytest.fixture(scope="module")
def pending(operators, bid_round, pre_create, auction):
    """One pre-created cluster of four winners: (cluster id, winners in ranking order)."""

    def run():
        bid_round(operators[:4])
        (cluster_id,) = pre_create(1)
        return cluster_id, list(operators_of(auction, cluster_id))

    return run


def snapshot(keys, holder, cluster_id: int) -> tuple:
    """Everything a registration changes: the share hashes, their count, and whether `holder` (the manager
    or its stand-in) has the cluster's deposit data."""
    hashes = tuple(keys.share_hash(cluster_id, i) for i in range(1, 8))
    return hashes, keys.num_shares(cluster_id), holder.has_deposit_data(cluster_id)


@contextmanager
def refused(reason: str, keys, holder, cluster_id: int) -> Iterator[None]:
    """The call inside reverts with exactly `reason`, and the registration state is what it was."""
    before = snapshot(keys, holder, cluster_id)
    with boa.reverts(reason):
        yield
    assert snapshot(keys, holder, cluster_id) == before


def register_shares(keys, cluster_id, winners, reg, skip=()):
    for i, (winner, (share, point)) in enumerate(zip(winners, reg.shares, strict=True)):
        if i not in skip:
            keys.register_share(cluster_id, seats_of(keys, cluster_id), share, point, sender=winner)


# ---------------------------------------------------------------- wiring and views


def test_wiring_and_views(protocol, keys):
    assert keys.manager() == protocol.manager.address
    assert keys.staker_rewards() == protocol.staker_rewards.address
    assert keys.genesis_fork_version() == HOLESKY
    assert [keys.threshold_of(n) for n in range(4, 8)] == [3, 4, 4, 5]
    assert [keys.threshold_of(n) for n in range(4, 8)] == [threshold_of(n) for n in range(4, 8)]
    assert keys.share_hash(0, 0) == bytes(32) and keys.share_hash(0, 8) == bytes(32)


def test_constructor_needs_a_manager(outsider):
    with boa.reverts("cluster_keys: manager has no code"):
        deployer_for("cluster_keys").deploy(outsider, 0)


def test_fork_version_is_kept(protocol):
    fresh = deployer_for("cluster_keys").deploy(protocol.manager.address, 0x10000910)
    assert fresh.genesis_fork_version() == bytes.fromhex("10000910")


# ---------------------------------------------------------------- the happy path


def test_winners_register_and_the_cluster_becomes_ready(protocol, keys, manager, pending):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "happy path")
    for i, (winner, (share, point)) in enumerate(zip(winners, reg.shares, strict=True)):
        keys.register_share(cluster_id, seats_of(keys, cluster_id), share, point, sender=winner)
        assert events(keys.get_logs(), "ShareRegistered") == [
            {
                "cluster_id": cluster_id,
                "operator": winner,
                "index": i + 1,
                "share": share,
                "share_point": point,
                "replaced": False,
            }
        ]
        assert keys.num_shares(cluster_id) == i + 1
        assert not manager.has_deposit_data(cluster_id)  # not ready before the group key
    assert manager.num_ready_clusters() == 0
    # any winner, here the last
    root = keys.register_deposit_data(
        cluster_id, seats_of(keys, cluster_id), *reg.deposit_args, sender=winners[-1]
    )
    d = reg.deposit_data
    assert root == bytes.fromhex(d["deposit_data_root"])
    assert events(keys.get_logs(), "KeysRegistered") == [
        {
            "cluster_id": cluster_id,
            "registrar": winners[-1],
            "pubkey": bytes.fromhex(d["pubkey"]),
            "signature": bytes.fromhex(d["signature"]),
            "deposit_data_root": root,
        }
    ]
    assert manager.validator_pubkey(cluster_id) == bytes.fromhex(d["pubkey"])
    assert manager.next_cluster_to_stake() == (True, cluster_id)


def test_protocol_helper_registers_through_the_winners(protocol, manager, pending):
    cluster_id, winners = pending()
    d = protocol.register_cluster_keys(cluster_id, b"helper")
    assert manager.validator_pubkey(cluster_id) == bytes.fromhex(d["pubkey"])
    assert all(protocol.cluster_keys.share_hash(cluster_id, i + 1) != bytes(32) for i in range(4))


def test_make_deposit_data_by_default_signs_what_registration_accepts(keys, manager, pending, stakers):
    """A user who names no amount gets data the protocol accepts: `make_deposit_data` signs, by default,
    for the 1 ETH pre-deposit that ClusterKeys checks (and the manager deposits), not for 32 ETH."""
    cluster_id, winners = pending()
    credentials = bytes(manager.withdrawal_credentials(cluster_id))
    reg = ceremony(manager, cluster_id, "default amount")  # the same key, dealt to the winners in shares
    register_shares(keys, cluster_id, winners, reg)
    points = [p for _, p in reg.shares]

    def register(d: dict) -> bytes:
        pubkey, signature = bytes.fromhex(d["pubkey"]), bytes.fromhex(d["signature"])
        args = (pubkey, g1_point(pubkey), signature, g2_point(signature), points)
        return keys.register_deposit_data(cluster_id, seats_of(keys, cluster_id), *args, sender=winners[0])

    whole = make_deposit_data(credentials, HOLESKY, "default amount", amount_gwei=MAX_EFFECTIVE_BALANCE_GWEI)
    with boa.reverts("cluster_keys: invalid deposit signature"):
        register(whole)
    d = make_deposit_data(credentials, HOLESKY, "default amount")
    assert register(d) == bytes.fromhex(d["deposit_data_root"])
    manager.create_strategy_module_and_stake(value=STAKE, sender=stakers[0])  # the 1 ETH deposit goes in
    assert manager.validator_pubkey(cluster_id) == bytes.fromhex(d["pubkey"])


# ---------------------------------------------------------------- who and when


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_only_winners_register(keys, manager, pending, owner, outsider, who):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "winners only")
    sender = owner if who == "owner" else outsider
    with refused("cluster_keys: caller is not a winner", keys, manager, cluster_id):
        keys.register_share(cluster_id, seats_of(keys, cluster_id), *reg.shares[0], sender=sender)
    register_shares(keys, cluster_id, winners, reg)
    with refused("cluster_keys: caller is not a winner", keys, manager, cluster_id):
        keys.register_deposit_data(cluster_id, seats_of(keys, cluster_id), *reg.deposit_args, sender=sender)


def test_unknown_cluster_is_not_pending(keys, manager, pending):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "unknown")
    with refused("cluster_keys: cluster not pending", keys, manager, cluster_id):
        keys.register_share(cluster_id + 1, seats_of(keys, cluster_id), *reg.shares[0], sender=winners[0])
    with refused("cluster_keys: cluster not pending", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id + 1, seats_of(keys, cluster_id), *reg.deposit_args, sender=winners[0]
        )


def test_other_seats_are_refused(keys, manager, pending):
    """The winners are the seats StakerRewards committed to: other seats (another order, which would give
    the caller another share index, or a seat naming another operator) are refused before anything else."""
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "seats")
    seats = seats_of(keys, cluster_id)
    swapped = [seats[1], seats[0], *seats[2:]]
    outsider_seat = [seats[0]._replace(operator=str(manager.address)), *seats[1:]]
    for wrong in (swapped, outsider_seat, seats[:-1]):
        with refused("staker_rewards: seats do not match", keys, manager, cluster_id):
            keys.register_share(cluster_id, wrong, *reg.shares[0], sender=winners[0])
        with refused("staker_rewards: seats do not match", keys, manager, cluster_id):
            keys.register_deposit_data(cluster_id, wrong, *reg.deposit_args, sender=winners[0])


def test_registered_data_is_final(keys, manager, pending):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "final")
    register_shares(keys, cluster_id, winners, reg)
    keys.register_deposit_data(cluster_id, seats_of(keys, cluster_id), *reg.deposit_args, sender=winners[0])
    with refused("cluster_keys: keys already registered", keys, manager, cluster_id):
        keys.register_share(cluster_id, seats_of(keys, cluster_id), *reg.shares[0], sender=winners[0])
    with refused("cluster_keys: keys already registered", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id, seats_of(keys, cluster_id), *reg.deposit_args, sender=winners[1]
        )


def test_a_staked_cluster_takes_no_registration(keys, manager, pending, stakers):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "staked")
    register_shares(keys, cluster_id, winners, reg)
    keys.register_deposit_data(cluster_id, seats_of(keys, cluster_id), *reg.deposit_args, sender=winners[0])
    manager.create_strategy_module_and_stake(value=STAKE, sender=stakers[0])
    with refused("cluster_keys: cluster not pending", keys, manager, cluster_id):
        keys.register_share(cluster_id, seats_of(keys, cluster_id), *reg.shares[0], sender=winners[0])


def test_dissolution_covers_winners_who_never_register(keys, manager, pending, outsider):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "silent winner")
    register_shares(keys, cluster_id, winners, reg, skip={2})  # the third winner never registers
    with refused("cluster_keys: share missing", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id, seats_of(keys, cluster_id), *reg.deposit_args, sender=winners[0]
        )
    with boa.reverts("strategy_module_manager: pending cluster ttl not over"):
        manager.dissolve_cluster(cluster_id, seats_of(manager, cluster_id), sender=outsider)
    boa.env.time_travel(seconds=manager.pending_cluster_ttl())
    manager.dissolve_cluster(cluster_id, seats_of(manager, cluster_id), sender=outsider)
    assert manager.cluster_status(cluster_id) == c.CLUSTER_DISSOLVED
    with refused("cluster_keys: cluster not pending", keys, manager, cluster_id):
        keys.register_share(cluster_id, seats_of(keys, cluster_id), *reg.shares[2], sender=winners[2])


# ---------------------------------------------------------------- shares


def test_a_share_may_be_replaced_until_complete(keys, manager, pending):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "replace")
    stale = ceremony(manager, cluster_id, "replace, first attempt")
    keys.register_share(cluster_id, seats_of(keys, cluster_id), *stale.shares[1], sender=winners[1])
    register_shares(keys, cluster_id, winners, reg, skip={1})
    assert keys.num_shares(cluster_id) == 4
    # the stale share does not interpolate with the others
    points = [p for _, p in reg.shares]
    with refused("cluster_keys: share differs from its registration", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id, seats_of(keys, cluster_id), *reg.deposit_args, sender=winners[0]
        )
    stale_points = [stale.shares[1][1] if i == 1 else p for i, p in enumerate(points)]
    with refused("cluster_keys: shares do not give the group key", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id, seats_of(keys, cluster_id), *reg.deposit_args[:4], stale_points, sender=winners[0]
        )
    keys.register_share(cluster_id, seats_of(keys, cluster_id), *reg.shares[1], sender=winners[1])
    (event,) = events(keys.get_logs(), "ShareRegistered")
    assert event["replaced"] is True and event["index"] == 2
    assert keys.share_hash(cluster_id, 2) == keccak(reg.shares[1][1])
    keys.register_deposit_data(cluster_id, seats_of(keys, cluster_id), *reg.deposit_args, sender=winners[0])
    assert manager.has_deposit_data(cluster_id)


def test_share_encoding_is_checked(keys, manager, pending):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "encoding")
    share, point = reg.shares[0]
    with refused("bls: x does not match", keys, manager, cluster_id):
        keys.register_share(
            cluster_id, seats_of(keys, cluster_id), reg.shares[1][0], point, sender=winners[0]
        )
    with refused("bls: compressed G1 must be 48 bytes", keys, manager, cluster_id):
        keys.register_share(cluster_id, seats_of(keys, cluster_id), share[:47], point, sender=winners[0])


def test_incomplete_data_is_refused(keys, manager, pending):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "incomplete")
    register_shares(keys, cluster_id, winners, reg, skip={3})
    with refused("cluster_keys: share missing", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id, seats_of(keys, cluster_id), *reg.deposit_args, sender=winners[0]
        )
    keys.register_share(cluster_id, seats_of(keys, cluster_id), *reg.shares[3], sender=winners[3])
    points = reg.deposit_args[4]
    for wrong in (points[:3], [*points, points[0]]):
        with refused("cluster_keys: one share point per winner", keys, manager, cluster_id):
            keys.register_deposit_data(
                cluster_id, seats_of(keys, cluster_id), *reg.deposit_args[:4], wrong, sender=winners[0]
            )


def test_shares_of_another_ceremony_fail(keys, manager, pending):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "ours")
    other = ceremony(manager, cluster_id, "theirs")
    # every share from another ceremony, the group key and signature from ours
    register_shares(keys, cluster_id, winners, other)
    with refused("cluster_keys: shares do not give the group key", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id,
            seats_of(keys, cluster_id),
            *reg.deposit_args[:4],
            other.deposit_args[4],
            sender=winners[0],
        )
    # one share from another ceremony among ours
    register_shares(keys, cluster_id, winners, reg, skip={3})
    mixed = [*reg.deposit_args[4][:3], other.deposit_args[4][3]]
    with refused("cluster_keys: shares do not give the group key", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id, seats_of(keys, cluster_id), *reg.deposit_args[:4], mixed, sender=winners[0]
        )


def test_a_lower_threshold_key_is_refused(keys, manager, pending):
    """A 2-of-4 key passes "every 3 give the key" but 2 operators could sign: refused."""
    cluster_id, winners = pending()
    weak = ceremony(manager, cluster_id, "weak", threshold=2)
    register_shares(keys, cluster_id, winners, weak)
    with refused(
        "cluster_keys: fewer shares than the threshold give the group key", keys, manager, cluster_id
    ):
        keys.register_deposit_data(
            cluster_id, seats_of(keys, cluster_id), *weak.deposit_args, sender=winners[0]
        )


def test_a_higher_threshold_key_is_refused(keys, manager, pending):
    cluster_id, winners = pending()
    strict = ceremony(manager, cluster_id, "strict", threshold=4)
    register_shares(keys, cluster_id, winners, strict)
    with refused("cluster_keys: shares do not give the group key", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id, seats_of(keys, cluster_id), *strict.deposit_args, sender=winners[0]
        )


# ---------------------------------------------------------------- group key and signature


def test_group_key_mismatch_fails(keys, manager, pending):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "group key")
    other = ceremony(manager, cluster_id, "another group key")
    register_shares(keys, cluster_id, winners, reg)
    pubkey, pubkey_point, signature, signature_point, points = reg.deposit_args
    # the compressed key of another ceremony next to our point
    with refused("bls: x does not match", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id,
            seats_of(keys, cluster_id),
            other.deposit_args[0],
            pubkey_point,
            signature,
            signature_point,
            points,
            sender=winners[0],
        )
    # another key altogether (its own signature): the shares do not give it
    with refused("cluster_keys: shares do not give the group key", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id, seats_of(keys, cluster_id), *other.deposit_args[:4], points, sender=winners[0]
        )
    # the point of a share in place of the group key
    with refused("cluster_keys: shares do not give the group key", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id,
            seats_of(keys, cluster_id),
            reg.shares[0][0],
            g1_point(reg.shares[0][0]),
            signature,
            signature_point,
            points,
            sender=winners[0],
        )


@pytest.mark.parametrize("byte", [0, 47, 48, 95])
def test_a_byte_changed_in_the_signature_fails(keys, manager, pending, byte):
    """A changed byte of the compressed signature no longer names the given point; the point changed as
    well (a byte of its x.c0, which the compressed bytes carry) no longer matches them."""
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "signature byte")
    register_shares(keys, cluster_id, winners, reg)
    pubkey, pubkey_point, signature, signature_point, points = reg.deposit_args
    with refused("bls: x does not match", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id,
            seats_of(keys, cluster_id),
            pubkey,
            pubkey_point,
            flip(signature, byte),
            signature_point,
            points,
            sender=winners[0],
        )
    bad_point = flip(signature_point, 63)
    with refused("bls: x does not match", keys, manager, cluster_id):
        keys.register_deposit_data(
            cluster_id,
            seats_of(keys, cluster_id),
            pubkey,
            pubkey_point,
            signature,
            bad_point,
            points,
            sender=winners[0],
        )


@pytest.mark.parametrize("which", ["group key", "signature"])
def test_a_point_off_the_curve_with_matching_bytes_fails(keys, manager, pending, which):
    """A changed low byte of y leaves x and the sign flag, hence the compressed bytes, as they were: the
    encoding check passes and the precompiles refuse the point (the group key's in the share check)."""
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "off the curve")
    register_shares(keys, cluster_id, winners, reg)
    args = list(reg.deposit_args)
    if which == "group key":
        args[1] = flip(args[1], 127)
        reason = "cluster_keys: shares do not give the group key"
    else:
        args[3] = flip(args[3], 255)
        reason = "bls: point not on curve or not in subgroup"
    with refused(reason, keys, manager, cluster_id):
        keys.register_deposit_data(cluster_id, seats_of(keys, cluster_id), *args, sender=winners[0])


def non_subgroup_share() -> tuple[bytes, bytes]:
    """A point on G1's curve outside its prime-order subgroup (the SWU map before cofactor clearing),
    compressed and uncompressed."""
    from py_ecc.bls.g2_primitives import G1_to_pubkey
    from py_ecc.bls.hash_to_curve import map_to_curve_G1
    from py_ecc.fields import optimized_bls12_381_FQ as FQ
    from py_ecc.optimized_bls12_381 import normalize

    point = map_to_curve_G1(FQ(5))
    x, y = normalize(point)
    return G1_to_pubkey(point), x.n.to_bytes(64, "big") + y.n.to_bytes(64, "big")


@pytest.mark.parametrize("which", ["off the curve", "outside the subgroup"])
def test_an_invalid_share_point_is_refused_at_the_share_check(keys, manager, pending, which):
    """`register_share` binds the compressed bytes to the point only; the share check's MSM precompile
    refuses a share off the curve or outside the subgroup, whatever its rank."""
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "invalid share")
    for k in (0, 3):  # one of the interpolated shares, then the one checked against their polynomial
        register_shares(keys, cluster_id, winners, reg)
        share, point = reg.shares[k]
        if which == "off the curve":
            point = flip(point, 127)
        else:
            share, point = non_subgroup_share()
        keys.register_share(cluster_id, seats_of(keys, cluster_id), share, point, sender=winners[k])
        assert keys.share_hash(cluster_id, k + 1) == keccak(point)
        points = [point if i == k else p for i, (_, p) in enumerate(reg.shares)]
        with refused("bls: point not on curve or not in subgroup", keys, manager, cluster_id):
            keys.register_deposit_data(
                cluster_id, seats_of(keys, cluster_id), *reg.deposit_args[:4], points, sender=winners[0]
            )


def test_a_valid_signature_of_another_message_fails(keys, manager, pending):
    cluster_id, winners = pending()
    reg = ceremony(manager, cluster_id, "other message")
    register_shares(keys, cluster_id, winners, reg)
    # the same key's signature under mainnet's deposit domain, then for other withdrawal credentials
    credentials = bytes(manager.withdrawal_credentials(cluster_id))
    for other in (
        cluster_registration(credentials, 4, seed="other message", fork_version=MAINNET),
        cluster_registration(CREDENTIALS, 4, seed="other message", fork_version=HOLESKY),
    ):
        assert other.deposit_args[0] == reg.deposit_args[0]
        with refused("cluster_keys: invalid deposit signature", keys, manager, cluster_id):
            keys.register_deposit_data(
                cluster_id,
                seats_of(keys, cluster_id),
                *reg.deposit_args[:2],
                *other.deposit_args[2:4],
                reg.deposit_args[4],
                sender=winners[0],
            )


def test_a_key_of_another_cluster_is_refused(protocol, keys, manager, operators, bid_round, pre_create):
    bid_round(operators)
    first, second = pre_create(2)
    protocol.register_cluster_keys(first, "one key, two clusters")
    with boa.reverts("strategy_module_manager: pubkey already registered"):
        protocol.register_cluster_keys(second, "one key, two clusters")


# ---------------------------------------------------------------- any cluster size (stand-in)


def stand_in_keys(n: int):
    winners = [boa.env.generate_address(f"winner {i}") for i in range(n)]
    stand_in = mock_deployer("ClusterKeysStandIn").deploy(winners, CREDENTIALS)
    return deployer_for("cluster_keys").deploy(stand_in.address, 0x01017000), stand_in, winners


SHARES_DO_NOT_AGREE = "cluster_keys: shares do not give the group key"
BELOW_THRESHOLD = "cluster_keys: fewer shares than the threshold give the group key"
INVALID_SIGNATURE = "cluster_keys: invalid deposit signature"
INVALID_POINT = "bls: point not on curve or not in subgroup"
# the compressed-point flag bits of byte 0 (bls.vy `_check_flags_and_x`); any other bit is part of x
FLAG_REASONS = {
    7: "bls: compression flag not set",
    6: "bls: point at infinity",
    5: "bls: sign flag does not match",
}
CORRUPTIONS = [
    "none",
    "another threshold",
    "share of another ceremony",
    "two shares swapped",
    "share off the curve",
    "signature under another domain",
    "signature of another key",
    "signature byte",
]


def expected_reason(n: int, t: int, corruption: str, detail: tuple[int, int] = (0, 0)) -> str | None:
    """Why a t-of-n ceremony with `corruption` is refused (None: it is not). The shares are checked before
    the signature, and an invalid share point fails the share check's precompile whatever t is."""
    if corruption == "share off the curve":
        return INVALID_POINT
    # a constant polynomial (t = 1) gives every operator the same share: swapping two changes nothing
    if corruption == "share of another ceremony" or (corruption == "two shares swapped" and t > 1):
        return SHARES_DO_NOT_AGREE
    if t > threshold_of(n):
        return SHARES_DO_NOT_AGREE
    if t < threshold_of(n):
        return BELOW_THRESHOLD
    if corruption in ("signature under another domain", "signature of another key"):
        return INVALID_SIGNATURE
    if corruption == "signature byte":
        byte, bit = detail
        return FLAG_REASONS.get(bit, "bls: x does not match") if byte == 0 else "bls: x does not match"
    return None


@pytest.mark.parametrize("corruption", CORRUPTIONS)
@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(n=st.integers(min_value=4, max_value=7), data=st.data())
def test_any_threshold_and_size(corruption, n, data):
    """Draws a cluster size, the ceremony's threshold (any, for the share corruptions; ceil(2n / 3) for the
    signature ones, which only the signature check can catch) and where the corruption goes: the
    registration goes through iff the threshold is ceil(2n / 3) and nothing is corrupted; otherwise it is
    refused with the reason of the first check that fails, and nothing is recorded. Derandomized, two
    examples per corruption: each runs the precompiles' pairing (seconds in py-evm)."""
    thr = threshold_of(n)
    if corruption == "another threshold":
        t = data.draw(st.integers(min_value=1, max_value=n).filter(lambda v: v != thr), label="threshold")
    elif "share" in corruption:
        t = data.draw(st.integers(min_value=1, max_value=n), label="threshold")
    else:  # a signature is checked only once the shares pass
        t = thr
    keys, stand_in, winners = stand_in_keys(n)
    reg = cluster_registration(CREDENTIALS, n, seed=f"fuzz {n} {t}", threshold=t, fork_version=HOLESKY)
    shares = list(reg.shares)
    pubkey, pubkey_point, signature, signature_point, _ = reg.deposit_args
    detail = (0, 0)
    if corruption == "share of another ceremony":
        k = data.draw(st.integers(min_value=0, max_value=n - 1), label="share")
        other = cluster_registration(CREDENTIALS, n, seed=f"other {n} {t}", threshold=t, fork_version=HOLESKY)
        shares[k] = other.shares[k]
    elif corruption == "two shares swapped":
        i, j = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True), label="pair")
        shares[i], shares[j] = shares[j], shares[i]
    elif corruption == "share off the curve":
        k = data.draw(st.integers(min_value=0, max_value=n - 1), label="share")
        shares[k] = (shares[k][0], flip(shares[k][1], 127))  # y's low byte: the compressed bytes still match
    elif corruption == "signature under another domain":
        other = cluster_registration(CREDENTIALS, n, seed=f"fuzz {n} {t}", threshold=t, fork_version=MAINNET)
        signature, signature_point = other.deposit_args[2:4]
    elif corruption == "signature of another key":
        other = cluster_registration(CREDENTIALS, n, seed=f"other {n} {t}", threshold=t, fork_version=HOLESKY)
        signature, signature_point = other.deposit_args[2:4]
    elif corruption == "signature byte":
        detail = (data.draw(st.integers(0, 95), label="byte"), data.draw(st.integers(0, 7), label="bit"))
        signature = flip(signature, detail[0], 1 << detail[1])
    for winner, (share, point) in zip(winners, shares, strict=True):
        keys.register_share(0, stand_in.seats(0), share, point, sender=winner)
    args = (0, stand_in.seats(0), pubkey, pubkey_point, signature, signature_point, [p for _, p in shares])
    reason = expected_reason(n, t, corruption, detail)
    if reason is None:
        root = keys.register_deposit_data(*args, sender=winners[-1])
        assert root == bytes.fromhex(reg.deposit_data["deposit_data_root"]) == stand_in.root()
        assert stand_in.registered()
    else:
        with refused(reason, keys, stand_in, 0):
            keys.register_deposit_data(*args, sender=winners[-1])


def test_errors_that_cancel_in_a_plain_sum_are_caught():
    """The later shares are checked with random weights: two shares off by +D and -D (their plain sum
    still right) fail, as does a later share off by D alone."""
    from py_ecc.bls.g2_primitives import G1_to_pubkey, pubkey_to_G1
    from py_ecc.optimized_bls12_381 import G1, add, neg

    n = 7
    keys, stand_in, winners = stand_in_keys(n)
    reg = cluster_registration(CREDENTIALS, n, seed="cancelling errors", fork_version=HOLESKY)
    shares = list(reg.shares)
    for k, delta in ((5, G1), (6, neg(G1))):
        moved = G1_to_pubkey(add(pubkey_to_G1(shares[k][0]), delta))
        shares[k] = (moved, g1_point(moved))
    for winner, (share, point) in zip(winners, shares, strict=True):
        keys.register_share(0, stand_in.seats(0), share, point, sender=winner)
    with refused("cluster_keys: shares do not give the group key", keys, stand_in, 0):
        keys.register_deposit_data(
            0, stand_in.seats(0), *reg.deposit_args[:4], [p for _, p in shares], sender=winners[0]
        )
    keys.register_share(0, stand_in.seats(0), *reg.shares[5], sender=winners[5])
    with refused("cluster_keys: shares do not give the group key", keys, stand_in, 0):
        keys.register_deposit_data(
            0,
            stand_in.seats(0),
            *reg.deposit_args[:4],
            [p for _, p in shares[:5]] + [reg.shares[5][1], shares[6][1]],
            sender=winners[0],
        )
    keys.register_share(0, stand_in.seats(0), *reg.shares[6], sender=winners[6])
    keys.register_deposit_data(0, stand_in.seats(0), *reg.deposit_args, sender=winners[0])
    assert stand_in.registered()


# ---------------------------------------------------------------- the real Obol cluster lock


def test_the_real_obol_lock_passes_the_share_check_and_fails_with_two_shares_swapped():
    """The Holesky Obol cluster lock (3 of 4, tests/data/) registered by four winners: its shares pass both
    share checks, so the call reaches the signature check, which refuses the lock's deposit file because it
    signs a 32 ETH deposit, not the 1 ETH pre-deposit ClusterKeys checks. Any two shares swapped fail the
    share check."""
    lock = json.loads((DATA / "cluster-lock-holesky.json").read_text())["distributed_validators"][0]
    deposit = json.loads((DATA / "deposit-data-holesky.json").read_text())[0]
    assert lock["distributed_public_key"][2:] == deposit["pubkey"] and deposit["amount"] == 32 * 10**9
    shares = [bytes.fromhex(s[2:]) for s in lock["public_shares"]]
    pubkey, signature = bytes.fromhex(deposit["pubkey"]), bytes.fromhex(deposit["signature"])
    winners = [boa.env.generate_address(f"obol operator {i}") for i in range(4)]
    stand_in = mock_deployer("ClusterKeysStandIn").deploy(
        winners, bytes.fromhex(deposit["withdrawal_credentials"])
    )
    keys = deployer_for("cluster_keys").deploy(stand_in.address, 0x01017000)
    for winner, share in zip(winners, shares, strict=True):
        keys.register_share(0, stand_in.seats(0), share, g1_point(share), sender=winner)
    group = (pubkey, g1_point(pubkey), signature, g2_point(signature))
    points = [g1_point(s) for s in shares]
    with refused(INVALID_SIGNATURE, keys, stand_in, 0):
        keys.register_deposit_data(0, stand_in.seats(0), *group, points, sender=winners[0])
    for i, j in ((0, 1), (1, 2), (2, 3), (0, 3)):
        swapped = list(shares)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        for winner, share in zip(winners, swapped, strict=True):
            keys.register_share(0, stand_in.seats(0), share, g1_point(share), sender=winner)
        with refused(SHARES_DO_NOT_AGREE, keys, stand_in, 0):
            keys.register_deposit_data(
                0, stand_in.seats(0), *group, [g1_point(s) for s in swapped], sender=winners[0]
            )
