"""deploy/keys.py threshold ceremony: Shamir shares over the BLS12-381 scalar field, Lagrange-combined
partial signatures (any t operators sign the deposit, fewer cannot), and the real Obol cluster lock's
public shares."""

from __future__ import annotations

import json
from itertools import combinations

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py_ecc.optimized_bls12_381 import curve_order

from deploy import keys
from deploy.sim.beacon import SpecBeaconChain
from tests.beacon.conftest import DATA, ETH
from tests.utils.spec_chain import wait_for

CREDENTIALS = b"\x01" + bytes(11) + bytes.fromhex("e0c5cea4d3869f156717c66e188ae81c80914a6e")
SEED = "threshold ceremony"


@pytest.fixture(scope="module")
def cluster_lock() -> dict:
    return json.loads((DATA / "cluster-lock-holesky.json").read_text())


@pytest.fixture(scope="module")
def dv(cluster_lock) -> tuple[str, list[str], int]:
    validator = cluster_lock["distributed_validators"][0]
    return (
        validator["distributed_public_key"],
        validator["public_shares"],
        cluster_lock["cluster_definition"]["threshold"],
    )


@pytest.fixture(scope="module")
def key() -> keys.ThresholdKey:
    return keys.generate_threshold_key(4, 3, seed=SEED)


def test_obol_cluster_lock_passes(dv):
    dpk, shares, threshold = dv
    assert threshold == 3 and len(shares) == 4
    assert keys.verify_public_shares(dpk, shares, threshold)
    assert keys.verify_public_shares(dpk, {i + 1: s for i, s in enumerate(shares)}, threshold)


def test_obol_cluster_lock_matches_its_deposit_data(cluster_lock, dv):
    deposit = json.loads((DATA / "deposit-data-holesky.json").read_text())[0]
    assert deposit["pubkey"] == dv[0].removeprefix("0x")
    assert keys.verify_deposit_data(deposit)


@pytest.mark.parametrize("position", range(4))
def test_changed_share_fails(dv, position):
    dpk, shares, threshold = dv
    swapped = list(shares)
    swapped[position] = shares[(position + 1) % 4]  # a valid point, the wrong one
    assert not keys.verify_public_shares(dpk, swapped, threshold)
    flipped = list(shares)
    raw = bytearray(bytes.fromhex(shares[position].removeprefix("0x")))
    raw[-1] ^= 1  # most likely not on the curve: malformed is False, never an exception
    flipped[position] = raw.hex()
    assert not keys.verify_public_shares(dpk, flipped, threshold)


def test_changed_key_or_threshold_fails(dv, key):
    dpk, shares, threshold = dv
    assert not keys.verify_public_shares(key.distributed_public_key, shares, threshold)
    assert not keys.verify_public_shares(dpk, shares, threshold - 1)  # pairs do not interpolate a degree-2 f
    assert not keys.verify_public_shares(dpk, shares, 5)  # more than the shares
    assert not keys.verify_public_shares(dpk[:-2], shares, threshold)
    assert not keys.verify_public_shares(dpk, shares[:2], threshold)


def test_generated_key_passes_and_matches_the_plain_key(key):
    assert key.operators == 4 and key.threshold == 3
    assert keys.verify_public_shares(key.distributed_public_key, key.public_share_list(), 3)
    plain = keys.make_deposit_data(CREDENTIALS, seed=SEED)
    assert key.distributed_public_key.hex() == plain["pubkey"]


@pytest.mark.parametrize("signers", list(combinations(range(1, 5), 3)) + [(1, 2, 3, 4)])
def test_any_t_operators_sign_the_deposit(key, signers):
    d = keys.sign_deposit_threshold(key, signers, CREDENTIALS)
    assert keys.verify_deposit_data(d)
    # BLS signatures are deterministic: the combined one is the distributed key's own signature
    assert d == keys.make_deposit_data(CREDENTIALS, seed=SEED)


@pytest.mark.parametrize("signers", [(1,), (2, 4), (3, 1)])
def test_fewer_operators_cannot(key, signers):
    d = keys.sign_deposit_threshold(key, signers, CREDENTIALS, amount_gwei=10**9)
    assert not keys.verify_deposit_data(d)


def test_threshold_signed_pre_deposit_enters_the_beacon_chain(suite, key, staker):
    """The pre-deposit signed by 3 of 4 operators is a valid first deposit: the beacon chain adds the
    validator once the deposit is finalized and through the queue."""
    chain = SpecBeaconChain(suite)
    d = keys.sign_deposit_threshold(key, [2, 3, 4], CREDENTIALS, amount_gwei=10**9)
    with boa.env.prank(staker):
        suite.deposit_contract.deposit(
            bytes.fromhex(d["pubkey"]),
            CREDENTIALS,
            bytes.fromhex(d["signature"]),
            bytes.fromhex(d["deposit_data_root"]),
            value=ETH,
        )
    pubkey = key.distributed_public_key
    wait_for(chain, lambda: chain.has_validator(pubkey), "the deposit in the registry", epochs=16)
    v = chain.validator(pubkey)
    assert (v.withdrawal_credentials, v.balance) == (CREDENTIALS, 10**9) and not chain.ignored_deposits


@settings(max_examples=30, deadline=None)
@given(
    secret=st.integers(1, curve_order - 1),
    n=st.integers(1, 7),
    data=st.data(),
)
def test_shamir_shares_reconstruct_with_t_and_not_fewer(secret, n, data):
    t = data.draw(st.integers(1, n))
    shares = keys.split_secret(secret, n, t, seed=secret.to_bytes(32, "big"))
    subset = data.draw(st.lists(st.sampled_from(sorted(shares)), min_size=t, max_size=n, unique=True))
    coefficients = keys.lagrange_coefficients(subset)
    assert sum(coefficients.values()) % curve_order == 1
    assert sum(coefficients[i] * shares[i] for i in subset) % curve_order == secret
    if t > 1:
        fewer = subset[: t - 1]
        c = keys.lagrange_coefficients(fewer)
        assert sum(c[i] * shares[i] for i in fewer) % curve_order != secret


def test_bad_parameters_rejected(key):
    for n, t in ((3, 4), (4, 0), (0, 0), (65, 3)):
        with pytest.raises(keys.ThresholdKeyError):
            keys.generate_threshold_key(n, t)
    with pytest.raises(keys.ThresholdKeyError):
        keys.lagrange_coefficients([1, 1, 2])
    with pytest.raises(keys.ThresholdKeyError):
        keys.lagrange_coefficients([0, 1])
    with pytest.raises(keys.ThresholdKeyError):
        keys.sign_deposit_threshold(key, [5], CREDENTIALS)
    with pytest.raises(keys.ThresholdKeyError):
        keys.sign_deposit_threshold(key, [], CREDENTIALS)
    with pytest.raises(keys.ThresholdKeyError):
        keys.split_secret(0, 4, 3)
