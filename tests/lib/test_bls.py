"""bls: hash to G2, signature and deposit checks, point encodings and threshold shares, on the precompiles.

The real vectors are the Holesky deposit-data file and its Obol cluster lock (tests/data/); py_ecc is the
reference for hash to G2, point encodings and threshold keys (deploy/keys.py).
"""

from __future__ import annotations

import json
from hashlib import sha256
from itertools import combinations
from pathlib import Path

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py_ecc.bls import G2ProofOfPossession
from py_ecc.bls.g2_primitives import G1_to_pubkey, G2_to_signature, pubkey_to_G1, signature_to_G2
from py_ecc.bls.hash_to_curve import hash_to_G2, map_to_curve_G1, map_to_curve_G2
from py_ecc.fields import optimized_bls12_381_FQ as FQ
from py_ecc.fields import optimized_bls12_381_FQ2 as FQ2
from py_ecc.optimized_bls12_381 import G1, curve_order, field_modulus, multiply, normalize

from deploy import keys

DATA = Path(__file__).resolve().parents[1] / "data"
DST = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"
MAINNET_FORK_VERSION = bytes(4)
IDENTITY_G1 = bytes(128)


def fp(value: int) -> bytes:
    """One Fp element in the EIP-2537 encoding (64 bytes, big endian)."""
    return int(value).to_bytes(64, "big")


def g1_bytes(point) -> bytes:
    """A py_ecc G1 point (projective) as EIP-2537 bytes."""
    x, y = normalize(point)
    return fp(x.n) + fp(y.n)


def g2_bytes(point) -> bytes:
    """A py_ecc G2 point (projective) as EIP-2537 bytes: x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1."""
    x, y = normalize(point)
    return fp(x.coeffs[0]) + fp(x.coeffs[1]) + fp(y.coeffs[0]) + fp(y.coeffs[1])


def pubkey_point(pubkey: bytes) -> bytes:
    return g1_bytes(pubkey_to_G1(pubkey))


def signature_point(signature: bytes) -> bytes:
    return g2_bytes(signature_to_G2(signature))


def flipped(raw: bytes, byte: int, mask: int) -> bytes:
    out = bytearray(raw)
    out[byte] ^= mask
    return bytes(out)


@pytest.fixture(scope="module")
def lib():
    return boa.load(str(Path(__file__).parent / "BlsHarness.vy"))


def holesky_deposit() -> dict:
    """The real Holesky deposit-data entry, its fields as bytes."""
    d = json.loads((DATA / "deposit-data-holesky.json").read_text())[0]
    return {
        "pubkey": bytes.fromhex(d["pubkey"]),
        "withdrawal_credentials": bytes.fromhex(d["withdrawal_credentials"]),
        "amount": d["amount"],
        "signature": bytes.fromhex(d["signature"]),
        "fork_version": bytes.fromhex(d["fork_version"]),
        "deposit_message_root": bytes.fromhex(d["deposit_message_root"]),
    }


@pytest.fixture(scope="module")
def deposit():
    return holesky_deposit()


@pytest.fixture(scope="module")
def lock():
    v = json.loads((DATA / "cluster-lock-holesky.json").read_text())["distributed_validators"][0]
    return {
        "key": bytes.fromhex(v["distributed_public_key"][2:]),
        "shares": [bytes.fromhex(s[2:]) for s in v["public_shares"]],
    }


def deposit_args(d, **changes):
    """`verify_deposit`'s arguments for the deposit `d`, with `changes` (points decoded only if not given)."""
    args = {
        "pubkey": d["pubkey"],
        "pubkey_point": changes.get("pubkey_point") or pubkey_point(d["pubkey"]),
        "withdrawal_credentials": d["withdrawal_credentials"],
        "amount": d["amount"],
        "signature": d["signature"],
        "signature_point": changes.get("signature_point") or signature_point(d["signature"]),
        "fork_version": d["fork_version"],
    } | changes
    return list(args.values())


# --- deposit signing root and the real deposit signature ------------------------------------------------


def test_deposit_signing_root_matches_the_specs(lib, deposit):
    expected = keys.compute_signing_root(
        deposit["deposit_message_root"], keys.compute_deposit_domain(deposit["fork_version"])
    )
    d = deposit
    message_root = keys.deposit_message_root(d["pubkey"], d["withdrawal_credentials"], d["amount"])
    assert message_root == deposit["deposit_message_root"]
    got = lib.deposit_signing_root(
        deposit["pubkey"], deposit["withdrawal_credentials"], deposit["amount"], deposit["fork_version"]
    )
    assert got == expected


def test_real_holesky_deposit_signature_verifies(lib, deposit):
    assert lib.verify_deposit(*deposit_args(deposit)) is True


def test_real_deposit_fails_under_mainnet_fork_version(lib, deposit):
    assert lib.verify_deposit(*deposit_args(deposit, fork_version=MAINNET_FORK_VERSION)) is False


MESSAGE_FIELDS = {"withdrawal_credentials": 32, "amount": 8, "fork_version": 4}


@settings(max_examples=5, deadline=None)
@given(field=st.sampled_from(sorted(MESSAGE_FIELDS)), byte=st.integers(0, 31), bit=st.integers(0, 7))
def test_real_deposit_fails_with_a_changed_message_byte(lib, deposit, field, byte, bit):
    """A changed byte of the signed message (credentials, amount, fork version) fails the pairing."""
    byte %= MESSAGE_FIELDS[field]
    if field == "amount":
        changed = deposit["amount"] ^ (1 << (8 * byte + bit))
    else:
        changed = flipped(deposit[field], byte, 1 << bit)
    assert lib.verify_deposit(*deposit_args(deposit, **{field: changed})) is False


def test_real_deposit_rejects_every_changed_key_or_signature_byte(lib, deposit):
    """Every byte of the compressed key and signature, one bit flipped (bit = byte mod 8): the bytes no
    longer name the given point, and the call reverts before the pairing. Only byte 0 carries the flags,
    and its flipped bit 0 is x's, so every byte fails the x check."""
    points = {"pubkey_point": pubkey_point(deposit["pubkey"])}
    points["signature_point"] = signature_point(deposit["signature"])
    for part in ("pubkey", "signature"):
        for byte in range(len(deposit[part])):
            changed = flipped(deposit[part], byte, 1 << (byte % 8))
            with boa.reverts("bls: x does not match"):
                lib.verify_deposit(*deposit_args(deposit, **points, **{part: changed}))


def test_another_valid_signature_of_its_own_encoding_fails(lib, deposit):
    """A valid G2 point, correctly encoded, but not the deposit's signature: the pairing says no."""
    other = multiply(signature_to_G2(deposit["signature"]), 2)
    args = deposit_args(deposit, signature=G2_to_signature(other), signature_point=g2_bytes(other))
    assert lib.verify_deposit(*args) is False


def test_threshold_signed_deposit_verifies(lib):
    """A deposit signed by 3 of 4 operators of a deploy/keys.py ceremony verifies on chain."""
    key = keys.generate_threshold_key(4, 3, seed=b"bls lib test")
    credentials = bytes(11) + b"\x01" + bytes(20)
    d = keys.sign_deposit_threshold(key, [1, 3, 4], credentials)
    pubkey, signature = bytes.fromhex(d["pubkey"]), bytes.fromhex(d["signature"])
    fork = bytes.fromhex(d["fork_version"])
    point, sig_point = pubkey_point(pubkey), signature_point(signature)
    assert lib.verify_deposit(pubkey, point, credentials, d["amount"], signature, sig_point, fork) is True


# --- hash to G2 and the core check ----------------------------------------------------------------------


@settings(max_examples=4, deadline=None)
@given(message=st.binary(max_size=256))
def test_hash_to_g2_matches_py_ecc(lib, message):
    assert lib.hash_to_g2(message) == g2_bytes(hash_to_G2(message, DST, sha256))


@pytest.mark.parametrize("message", [b"", b"abc", bytes(32), b"\xff" * 256])
def test_hash_to_g2_matches_py_ecc_on_edges(lib, message):
    assert lib.hash_to_g2(message) == g2_bytes(hash_to_G2(message, DST, sha256))


def test_verify_rejects_the_identity_key(lib):
    with boa.reverts("bls: public key is the identity"):
        lib.verify(IDENTITY_G1, b"m", bytes(256))


def test_verify_rejects_wrong_lengths(lib):
    with boa.reverts("bls: G1 point must be 128 bytes"):
        lib.verify(g1_bytes(G1)[:127], b"m", bytes(256))
    with boa.reverts("bls: G2 point must be 256 bytes"):
        lib.verify(g1_bytes(G1), b"m", bytes(255))


def off_curve_g1() -> bytes:
    point = g1_bytes(G1)
    return point[:127] + bytes([point[127] ^ 1])


def non_subgroup_g1() -> bytes:
    """On the curve, not in the subgroup: the SWU map of an element, before cofactor clearing."""
    point = map_to_curve_G1(FQ(5))
    assert multiply(point, curve_order)[2] != FQ.zero()
    return g1_bytes(point)


def non_subgroup_g2() -> bytes:
    point = map_to_curve_G2(FQ2([5, 7]))
    assert multiply(point, curve_order)[2] != FQ2.zero()
    return g2_bytes(point)


@pytest.mark.parametrize("which", ["off curve", "not in subgroup"])
def test_verify_rejects_invalid_public_keys(lib, deposit, which):
    key = off_curve_g1() if which == "off curve" else non_subgroup_g1()
    with boa.reverts("bls: point not on curve or not in subgroup"):
        lib.verify(key, b"m", signature_point(deposit["signature"]))


@pytest.mark.parametrize("which", ["off curve", "not in subgroup"])
def test_verify_rejects_invalid_signatures(lib, deposit, which):
    good = signature_point(deposit["signature"])
    sig = good[:255] + bytes([good[255] ^ 1]) if which == "off curve" else non_subgroup_g2()
    with boa.reverts("bls: point not on curve or not in subgroup"):
        lib.verify(pubkey_point(deposit["pubkey"]), b"m", sig)


@settings(max_examples=2, deadline=None)
@given(secret=st.integers(1, curve_order - 1), message=st.binary(max_size=64))
def test_verify_matches_py_ecc_on_random_keys(lib, secret, message):
    """A py_ecc signature verifies; the same signature over another message does not."""
    signature = G2ProofOfPossession.Sign(secret, message)
    key = pubkey_point(G2ProofOfPossession.SkToPk(secret))
    assert lib.verify(key, message, signature_point(signature)) is True
    assert lib.verify(key, message + b"\x00", signature_point(signature)) is False


def test_verify_deposit_rejects_a_well_encoded_point_outside_the_subgroup(lib, deposit):
    """The encoding check binds bytes only; the pairing's subgroup check refuses the point."""
    point = map_to_curve_G2(FQ2([5, 7]))
    args = deposit_args(deposit, signature=G2_to_signature(point), signature_point=g2_bytes(point))
    with boa.reverts("bls: point not on curve or not in subgroup"):
        lib.verify_deposit(*args)
    key = map_to_curve_G1(FQ(5))
    args = deposit_args(deposit, pubkey=G1_to_pubkey(key), pubkey_point=g1_bytes(key))
    with boa.reverts("bls: point not on curve or not in subgroup"):
        lib.verify_deposit(*args)


# --- point encodings ------------------------------------------------------------------------------------


def test_encodings_of_the_real_vectors_check(lib, deposit, lock):
    lib.check_g1_encoding(pubkey_point(deposit["pubkey"]), deposit["pubkey"])
    lib.check_g2_encoding(signature_point(deposit["signature"]), deposit["signature"])
    for share in lock["shares"]:
        lib.check_g1_encoding(pubkey_point(share), share)


@settings(max_examples=10, deadline=None)
@given(secret=st.integers(1, curve_order - 1))
def test_encodings_of_random_points_check_both_signs(lib, secret):
    """A point and its negation (the other sign flag) both check against py_ecc's compression."""
    for k in (secret, curve_order - secret):
        g1 = multiply(G1, k)
        lib.check_g1_encoding(g1_bytes(g1), G1_to_pubkey(g1))
    g2 = hash_to_G2(secret.to_bytes(32, "big"), DST, sha256)
    lib.check_g2_encoding(g2_bytes(g2), G2_to_signature(g2))


@pytest.mark.parametrize(
    "mask, reason",
    [
        (0x80, "bls: compression flag not set"),
        (0x40, "bls: point at infinity"),
        (0x20, "bls: sign flag does not match"),
        (0x01, "bls: x does not match"),
    ],
)
def test_g1_encoding_rejects_flags_and_x(lib, deposit, mask, reason):
    point = pubkey_point(deposit["pubkey"])
    with boa.reverts(reason):
        lib.check_g1_encoding(point, flipped(deposit["pubkey"], 0, mask))


def test_g1_encoding_rejects_a_low_byte_of_x(lib, deposit):
    with boa.reverts("bls: x does not match"):
        lib.check_g1_encoding(pubkey_point(deposit["pubkey"]), flipped(deposit["pubkey"], 47, 1))


@pytest.mark.parametrize(
    "byte, mask, reason",
    [
        (0, 0x80, "bls: compression flag not set"),
        (0, 0x40, "bls: point at infinity"),
        (0, 0x20, "bls: sign flag does not match"),
        (0, 0x01, "bls: x does not match"),  # x.c1
        (47, 0x01, "bls: x does not match"),
        (48, 0x01, "bls: x does not match"),  # x.c0
        (95, 0x01, "bls: x does not match"),
    ],
)
def test_g2_encoding_rejects_flags_and_x(lib, deposit, byte, mask, reason):
    point = signature_point(deposit["signature"])
    with boa.reverts(reason):
        lib.check_g2_encoding(point, flipped(deposit["signature"], byte, mask))


@pytest.mark.parametrize("large", [False, True])
def test_g2_sign_comes_from_y_c0_when_y_c1_is_zero(lib, large):
    """Bytes only (the encoding check does not look at the curve): y.c1 = 0, the sign is y.c0's."""
    y_c0 = (field_modulus - 1) // 2 + (1 if large else 0)
    point = fp(3) + fp(4) + fp(y_c0) + fp(0)
    compressed = bytes([0x80 | (0x20 if large else 0)]) + (4).to_bytes(47, "big") + (3).to_bytes(48, "big")
    lib.check_g2_encoding(point, compressed)
    with boa.reverts("bls: sign flag does not match"):
        lib.check_g2_encoding(point, flipped(compressed, 0, 0x20))


def test_encodings_reject_wrong_lengths(lib, deposit):
    g1, g2 = pubkey_point(deposit["pubkey"]), signature_point(deposit["signature"])
    with boa.reverts("bls: G1 point must be 128 bytes"):
        lib.check_g1_encoding(g1[:127], deposit["pubkey"])
    with boa.reverts("bls: compressed G1 must be 48 bytes"):
        lib.check_g1_encoding(g1, deposit["pubkey"][:47])
    with boa.reverts("bls: G2 point must be 256 bytes"):
        lib.check_g2_encoding(g2[:255], deposit["signature"])
    with boa.reverts("bls: compressed G2 must be 96 bytes"):
        lib.check_g2_encoding(g2, deposit["signature"][:95])


# --- threshold shares in G1 -----------------------------------------------------------------------------


@pytest.mark.parametrize("subset", list(combinations(range(4), 3)))
def test_any_three_cluster_lock_shares_interpolate_to_its_key(lib, lock, subset):
    shares = [pubkey_point(lock["shares"][i]) for i in subset]
    key = lib.interpolate_g1(shares, [i + 1 for i in subset], 0)
    assert key == pubkey_point(lock["key"])


@pytest.fixture(scope="module", params=["shares_agree", "shares_agree_batched"])
def agree(lib, request):
    """Both share checks: n - t + 1 MSMs (`_shares_agree`), or one MSM with random weights
    (`_shares_agree_batched`, what ClusterKeys uses)."""
    return getattr(lib, request.param)


def test_cluster_lock_shares_agree(lib, agree, lock):
    shares = [pubkey_point(s) for s in lock["shares"]]
    assert agree(shares, 3, pubkey_point(lock["key"])) is True


@pytest.mark.parametrize("i, j", [(0, 1), (2, 3), (0, 3)])
def test_cluster_lock_fails_with_two_shares_swapped(lib, agree, lock, i, j):
    shares = [pubkey_point(s) for s in lock["shares"]]
    shares[i], shares[j] = shares[j], shares[i]
    assert agree(shares, 3, pubkey_point(lock["key"])) is False


def test_cluster_lock_fails_with_a_tampered_share(lib, agree, lock):
    """A share replaced by another valid point: the first three miss the key, or the fourth is off."""
    for k in range(4):
        shares = [pubkey_point(s) for s in lock["shares"]]
        shares[k] = g1_bytes(multiply(G1, 12345))
        assert agree(shares, 3, pubkey_point(lock["key"])) is False


@settings(max_examples=6, deadline=None)
@given(data=st.data())
def test_threshold_ceremonies_agree_and_fail_with_a_foreign_share(lib, agree, data):
    """deploy/keys.py ceremonies of several sizes pass; one share from another ceremony fails."""
    n = data.draw(st.integers(1, 7), label="n")
    t = data.draw(st.integers(1, n), label="t")
    key = keys.generate_threshold_key(n, t, seed=f"ceremony {n} {t}")
    shares = [pubkey_point(s) for s in key.public_share_list()]
    group = pubkey_point(key.distributed_public_key)
    assert agree(shares, t, group) is True
    other = keys.generate_threshold_key(n, t, seed=f"another ceremony {n} {t}")
    k = data.draw(st.integers(0, n - 1), label="foreign share")
    shares[k] = pubkey_point(other.public_share_list()[k])
    assert agree(shares, t, group) is False


def test_shares_reject_invalid_points(lib, agree, lock):
    shares = [pubkey_point(s) for s in lock["shares"]]
    for bad in (off_curve_g1(), non_subgroup_g1()):
        with boa.reverts("bls: point not on curve or not in subgroup"):
            agree([bad, *shares[1:]], 3, pubkey_point(lock["key"]))


def test_shares_reject_bad_arguments(lib, lock):
    shares = [pubkey_point(s) for s in lock["shares"]]
    key = pubkey_point(lock["key"])
    for t in (0, 5):
        with boa.reverts("bls: threshold out of range"):
            lib.shares_agree(shares, t, key)
        with boa.reverts("bls: threshold out of range"):
            lib.shares_agree_batched(shares, t, key)
    with boa.reverts("bls: points and scalars differ"):
        lib.interpolate_g1(shares[:3], [1, 2], 0)
    with boa.reverts("bls: points and scalars differ"):
        lib.interpolate_g1([], [], 0)
    with boa.reverts("bls: share indices not distinct"):
        lib.interpolate_g1(shares[:3], [1, 2, 2], 0)
    with boa.reverts("bls: share index not below r"):
        lib.interpolate_g1(shares[:2], [1, curve_order + 1], 0)
    with boa.reverts("bls: G1 point must be 128 bytes"):
        lib.interpolate_g1([shares[0][:127]], [1], 0)
