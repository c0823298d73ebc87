"""Validator deposit data: local key generation, SSZ roots and checks (docs/protocol.md §8).

`make_deposit_data(withdrawal_credentials, ...)` derives a BLS key from a seed (EIP-2333 `KeyGen` as
implemented by py_ecc), signs the deposit message under the deposit domain of a fork version (for the 1 ETH
pre-deposit the protocol registers, unless told another amount) and returns a dict with the same fields
as a `deposit-cli` / Obol `deposit-data-*.json` entry (hex strings without `0x`, amount in gwei).
`verify_deposit_data(d)` recomputes both SSZ roots and checks the BLS signature;
`require_valid_deposit_data(d)` raises `DepositDataError` saying what is wrong.
Threshold keys (docs/protocol.md §9): `generate_threshold_key(n, t, seed)` deals Shamir shares of the key,
`sign_deposit_threshold(key, signers, ...)` signs the deposit with any t operators' partial signatures
(Lagrange-combined), and `verify_public_shares(distributed_public_key, public_shares, threshold)` checks a
cluster lock. The SSZ helpers
(`deposit_message_root`, `deposit_data_root`, `compute_deposit_domain`) are what the beacon deposit
contract and the consensus specs compute.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from itertools import combinations
from typing import Any

import py_arkworks_bls12381 as ark
from py_ecc.bls import G2ProofOfPossession as bls
from py_ecc.bls.g2_primitives import G1_to_pubkey, G2_to_signature, pubkey_to_G1, signature_to_G2
from py_ecc.optimized_bls12_381 import Z1, Z2, add, curve_order, multiply, normalize

PUBKEY_LENGTH = 48
WITHDRAWAL_CREDENTIALS_LENGTH = 32
SIGNATURE_LENGTH = 96
FORK_VERSION_LENGTH = 4
MIN_DEPOSIT_GWEI = 1_000_000_000
MAX_EFFECTIVE_BALANCE_GWEI = 32_000_000_000
DOMAIN_DEPOSIT = bytes.fromhex("03000000")
HOLESKY_FORK_VERSION = "01017000"
DEFAULT_SEED = b"byzantine-vyper local validator key seed #0"
# Format version written into generated files; the real deposit-cli writes its own version here.
DEPOSIT_CLI_VERSION = "2.7.0"
NETWORK_NAMES = {
    "00000000": "mainnet",
    "90000069": "sepolia",
    "01017000": "holesky",
    "10000910": "hoodi",
}
_ZERO32 = b"\x00" * 32


class DepositDataError(ValueError):
    """A deposit-data entry is malformed, its roots do not match its fields, or its signature is bad."""


def _sha(*parts: bytes) -> bytes:
    return sha256(b"".join(parts)).digest()


def to_bytes(value: str | bytes, length: int | None = None, what: str = "value") -> bytes:
    """Hex string (with or without `0x`) or bytes -> bytes, optionally checking the length."""
    if isinstance(value, str):
        try:
            raw = bytes.fromhex(value.removeprefix("0x"))
        except ValueError as exc:
            raise DepositDataError(f"{what} is not hex: {value!r}") from exc
    elif isinstance(value, bytes | bytearray):
        raw = bytes(value)
    else:
        raise DepositDataError(f"{what} must be hex or bytes, got {type(value).__name__}")
    if length is not None and len(raw) != length:
        raise DepositDataError(f"{what} must be {length} bytes, got {len(raw)}")
    return raw


def _amount_leaf(amount_gwei: int) -> bytes:
    if not isinstance(amount_gwei, int) or isinstance(amount_gwei, bool) or not 0 <= amount_gwei < 2**64:
        raise DepositDataError(f"amount must be a uint64 number of gwei, got {amount_gwei!r}")
    return amount_gwei.to_bytes(8, "little") + b"\x00" * 24


def _pubkey_root(pubkey: bytes) -> bytes:
    return _sha(pubkey, b"\x00" * 16)


def signature_root(signature: str | bytes) -> bytes:
    """`hash_tree_root` of a 96-byte BLS signature (a Vector[byte, 96])."""
    sig = to_bytes(signature, SIGNATURE_LENGTH, "signature")
    return _sha(_sha(sig[:64]), _sha(sig[64:], _ZERO32))


def deposit_message_root(pubkey: str | bytes, withdrawal_credentials: str | bytes, amount_gwei: int) -> bytes:
    """`hash_tree_root(DepositMessage(pubkey, withdrawal_credentials, amount))`: what the key signs."""
    pk = to_bytes(pubkey, PUBKEY_LENGTH, "pubkey")
    wc = to_bytes(withdrawal_credentials, WITHDRAWAL_CREDENTIALS_LENGTH, "withdrawal_credentials")
    return _sha(_sha(_pubkey_root(pk), wc), _sha(_amount_leaf(amount_gwei), _ZERO32))


def deposit_data_root(
    pubkey: str | bytes, withdrawal_credentials: str | bytes, amount_gwei: int, signature: str | bytes
) -> bytes:
    """`hash_tree_root(DepositData(...))`: the root the deposit contract recomputes and checks."""
    pk = to_bytes(pubkey, PUBKEY_LENGTH, "pubkey")
    wc = to_bytes(withdrawal_credentials, WITHDRAWAL_CREDENTIALS_LENGTH, "withdrawal_credentials")
    return _sha(_sha(_pubkey_root(pk), wc), _sha(_amount_leaf(amount_gwei), signature_root(signature)))


def compute_deposit_domain(fork_version: str | bytes = HOLESKY_FORK_VERSION) -> bytes:
    """Deposit signing domain: `DOMAIN_DEPOSIT ‖ fork_data_root[:28]`, genesis validators root = 0."""
    fv = to_bytes(fork_version, FORK_VERSION_LENGTH, "fork_version")
    fork_data_root = _sha(fv + b"\x00" * 28, _ZERO32)
    return DOMAIN_DEPOSIT + fork_data_root[:28]


def compute_signing_root(object_root: bytes, domain: bytes) -> bytes:
    """`hash_tree_root(SigningData(object_root, domain))`."""
    return _sha(object_root, domain)


def eigen_pod_withdrawal_credentials(pod: Any) -> bytes:
    """`0x01 ‖ 11 zero bytes ‖ pod address`: the credentials an EigenPod's validators use."""
    raw = to_bytes(pod if isinstance(pod, bytes | str) else str(pod), 20, "pod")
    return b"\x01" + b"\x00" * 11 + raw


def secret_key_from_seed(seed: bytes | str = DEFAULT_SEED) -> int:
    """EIP-2333 master secret key (`KeyGen`) from a seed.

    A seed of 32 bytes or more is the key material itself (the same key other EIP-2333 tools derive from
    it); a shorter one, convenient in tests, is stretched with sha256 first. A str seed is UTF-8 encoded.
    """
    ikm = seed.encode() if isinstance(seed, str) else bytes(seed)
    if len(ikm) < 32:
        ikm = _sha(ikm)
    return bls.KeyGen(ikm)


def _deposit_data_entry(
    pubkey: bytes, wc: bytes, amount_gwei: int, message_root: bytes, signature: bytes, fv: bytes
) -> dict:
    """One entry of a deposit-data file (the staking-deposit-cli format of data/deposit-data-holesky.json)."""
    return {
        "pubkey": pubkey.hex(),
        "withdrawal_credentials": wc.hex(),
        "amount": amount_gwei,
        "signature": signature.hex(),
        "deposit_message_root": message_root.hex(),
        "deposit_data_root": deposit_data_root(pubkey, wc, amount_gwei, signature).hex(),
        "fork_version": fv.hex(),
        "network_name": NETWORK_NAMES.get(fv.hex(), "unknown"),
        "deposit_cli_version": DEPOSIT_CLI_VERSION,
    }


def pre_deposit_gwei() -> int:
    """The amount, in gwei, of the deposit the protocol's registration expects: the 1 ETH pre-deposit of a
    two-phase stake (constants.vy's PRE_DEPOSIT_AMOUNT; docs/protocol.md §9). The deposit data a cluster
    registers is signed for this amount, so it is the default of every signing function here. Read from
    the compiled constants when first needed, so importing this module does not load the compiler."""
    from deploy.constants import c

    return c.PRE_DEPOSIT_AMOUNT // c.WEI_PER_GWEI


def make_deposit_data(
    withdrawal_credentials: str | bytes,
    fork_version: str | bytes = HOLESKY_FORK_VERSION,
    seed: bytes | str = DEFAULT_SEED,
    amount_gwei: int | None = None,
) -> dict[str, Any]:
    """Generate a key from `seed`, sign the deposit message and return a deposit-data entry.

    `amount_gwei` defaults to `pre_deposit_gwei()` (1 ETH): the data the protocol registers and pre-deposits
    (ClusterKeys checks that amount), so a caller that names no amount gets data the protocol accepts.
    A full 32 ETH deposit (straight to the deposit contract or an EigenPod) passes
    `MAX_EFFECTIVE_BALANCE_GWEI`.

    The dict has the fields and formats of `deposit-data-*.json` entries: `pubkey`,
    `withdrawal_credentials`, `amount` (gwei, int), `signature`, `deposit_message_root`,
    `deposit_data_root`, `fork_version`, `network_name`, `deposit_cli_version`.
    """
    amount_gwei = pre_deposit_gwei() if amount_gwei is None else amount_gwei
    wc = to_bytes(withdrawal_credentials, WITHDRAWAL_CREDENTIALS_LENGTH, "withdrawal_credentials")
    fv = to_bytes(fork_version, FORK_VERSION_LENGTH, "fork_version")
    if amount_gwei < MIN_DEPOSIT_GWEI:
        raise DepositDataError(f"amount must be at least {MIN_DEPOSIT_GWEI} gwei")
    sk = secret_key_from_seed(seed)
    pubkey = bls.SkToPk(sk)
    message_root = deposit_message_root(pubkey, wc, amount_gwei)
    signature = bls.Sign(sk, compute_signing_root(message_root, compute_deposit_domain(fv)))
    return _deposit_data_entry(pubkey, wc, amount_gwei, message_root, signature, fv)


def require_valid_deposit_data(d: Mapping[str, Any]) -> None:
    """Raise `DepositDataError` unless `d`'s roots match its fields and its signature verifies.

    The signature is checked against the deposit domain of `d["fork_version"]`; a known `network_name`
    must match the fork version.
    """
    try:
        pubkey = to_bytes(d["pubkey"], PUBKEY_LENGTH, "pubkey")
        wc = to_bytes(d["withdrawal_credentials"], WITHDRAWAL_CREDENTIALS_LENGTH, "withdrawal_credentials")
        amount = d["amount"]
        signature = to_bytes(d["signature"], SIGNATURE_LENGTH, "signature")
        fork_version = to_bytes(d["fork_version"], FORK_VERSION_LENGTH, "fork_version")
        message_root = to_bytes(d["deposit_message_root"], 32, "deposit_message_root")
        data_root = to_bytes(d["deposit_data_root"], 32, "deposit_data_root")
    except KeyError as exc:
        raise DepositDataError(f"missing field {exc.args[0]!r}") from exc
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < MIN_DEPOSIT_GWEI:
        raise DepositDataError(f"amount must be an integer of at least {MIN_DEPOSIT_GWEI} gwei")
    expected_network = NETWORK_NAMES.get(fork_version.hex())
    network = d.get("network_name")
    if expected_network is not None and network is not None and network != expected_network:
        raise DepositDataError(f"network_name {network!r} does not match fork_version {fork_version.hex()}")
    expected_message_root = deposit_message_root(pubkey, wc, amount)
    if message_root != expected_message_root:
        raise DepositDataError("deposit_message_root does not match pubkey, withdrawal_credentials, amount")
    if data_root != deposit_data_root(pubkey, wc, amount, signature):
        raise DepositDataError("deposit_data_root does not match the deposit data")
    signing_root = compute_signing_root(expected_message_root, compute_deposit_domain(fork_version))
    if not bls.Verify(pubkey, signing_root, signature):
        raise DepositDataError("BLS signature does not verify under the deposit domain of fork_version")


def verify_deposit_data(d: Mapping[str, Any]) -> bool:
    """True when `d`'s roots match its fields and its BLS signature verifies (see `require_valid_...`)."""
    try:
        require_valid_deposit_data(d)
    except DepositDataError:
        return False
    return True


# ============================================================= threshold keys (docs/protocol.md §9 "Keys")
#
# A distributed validator's key is a t-of-n threshold BLS key: the secret is the constant term of a
# polynomial f of degree t - 1 over the BLS12-381 scalar field, operator i (1..n) holds f(i), its public
# share is f(i)·G1, and the distributed public key f(0)·G1. Any t partial signatures f(i)·H(m) combine
# with Lagrange coefficients at 0 into f(0)·H(m), the signature of the distributed key; fewer cannot.
# The ceremony here is dealer-based (one party deals the shares), as in Obol's `charon create cluster`;
# the result has the same form as a DKG's (cluster-lock files: `distributed_public_key`, `public_shares`).
# deploy/reshare.py moves such a key to a new set of holders (a seat changing hands), the group key kept.


MAX_OPERATORS = 64


class ThresholdKeyError(ValueError):
    """Bad threshold parameters, share indices or signer sets."""


def _check_threshold(n: int, t: int) -> None:
    if not (isinstance(n, int) and isinstance(t, int)) or not 1 <= t <= n <= MAX_OPERATORS:
        raise ThresholdKeyError(f"need 1 <= threshold <= operators <= {MAX_OPERATORS}, got t={t}, n={n}")


def lagrange_coefficients(indices) -> dict[int, int]:
    """Lagrange coefficients at 0 of distinct share indices (>= 1), modulo the scalar field's order."""
    indices = [int(i) for i in indices]
    if len(set(indices)) != len(indices) or any(i <= 0 or i >= curve_order for i in indices):
        raise ThresholdKeyError(f"share indices must be distinct and in [1, r), got {indices}")
    coefficients = {}
    for i in indices:
        numerator, denominator = 1, 1
        for j in indices:
            if j != i:
                numerator = numerator * j % curve_order
                denominator = denominator * (j - i) % curve_order
        coefficients[i] = numerator * pow(denominator, -1, curve_order) % curve_order
    return coefficients


def split_secret(secret: int, n: int, t: int, seed: bytes | str = DEFAULT_SEED) -> dict[int, int]:
    """Shamir shares `{i: f(i)}` (i = 1..n) of `secret` = f(0), f of degree t - 1.

    The other coefficients are derived from `seed` (sha256), so a ceremony is reproducible in tests.
    """
    _check_threshold(n, t)
    if not 0 < secret < curve_order:
        raise ThresholdKeyError("the secret must be a non-zero scalar")
    material = seed.encode() if isinstance(seed, str) else bytes(seed)
    coefficients = [secret]
    for j in range(1, t):
        c = int.from_bytes(
            _sha(b"byzantine-vyper threshold coefficient", material, j.to_bytes(4, "big")), "big"
        )
        coefficients.append(c % (curve_order - 1) + 1)
    shares = {}
    for i in range(1, n + 1):
        value = 0
        for c in reversed(coefficients):  # Horner
            value = (value * i + c) % curve_order
        shares[i] = value
    return shares


@dataclass(frozen=True)
class ThresholdKey:
    """A dealt t-of-n key: `secret_shares[i]` is operator i's secret, `public_shares[i]` its public key."""

    threshold: int
    distributed_public_key: bytes
    secret_shares: dict
    public_shares: dict

    @property
    def operators(self) -> int:
        return len(self.secret_shares)

    def public_share_list(self) -> list[bytes]:
        """Public shares in index order (1..n), as in a cluster-lock file."""
        return [self.public_shares[i] for i in sorted(self.public_shares)]


def generate_threshold_key(n: int, t: int, seed: bytes | str = DEFAULT_SEED) -> ThresholdKey:
    """Deal a t-of-n key whose secret is `secret_key_from_seed(seed)` (the key `make_deposit_data` uses)."""
    _check_threshold(n, t)
    secret = secret_key_from_seed(seed)
    shares = split_secret(secret, n, t, seed)
    return ThresholdKey(
        threshold=t,
        distributed_public_key=bls.SkToPk(secret),
        secret_shares=shares,
        public_shares={i: bls.SkToPk(s) for i, s in shares.items()},
    )


def partial_sign(secret_share: int, message: bytes) -> bytes:
    """Operator's partial signature: a BLS signature of `message` with its secret share.

    The beacon chain's ciphersuite (py_ecc's `G2ProofOfPossession.Sign`: hash to G2 under its DST, times the
    secret), computed by arkworks, which the consensus specs' own BLS uses: py_ecc took 0.1 s a signature,
    and every cluster's ceremony makes t of them. tests/external/test_keys.py holds them equal."""
    if not 0 < secret_share < curve_order:
        raise ThresholdKeyError("a secret share is in 1 .. r - 1")
    scalar = ark.Scalar.from_be_bytes(secret_share.to_bytes(32, "big"))
    return bytes((ark.G2Point.hash_to_curve(message, bls.DST) * scalar).to_compressed_bytes())


def combine_signatures(partials: Mapping[int, bytes]) -> bytes:
    """Σ λ_i · partial_i (Lagrange at 0 in G2): the distributed key's signature given ≥ t partials."""
    decode = lambda raw: signature_to_G2(to_bytes(raw, SIGNATURE_LENGTH, "signature"))  # noqa: E731
    return G2_to_signature(_interpolate_at_zero(partials, decode, Z2))


def combine_public_shares(public_shares: Mapping[int, bytes]) -> bytes:
    """Σ λ_i · public_share_i (Lagrange at 0 in G1)."""
    decode = lambda raw: pubkey_to_G1(to_bytes(raw, PUBKEY_LENGTH, "public share"))  # noqa: E731
    return G1_to_pubkey(_interpolate_at_zero(public_shares, decode, Z1))


def _interpolate_at_zero(points: Mapping[int, bytes], decode, zero):
    """Σ λ_i · decode(points[i]) in the group of `zero`, with the Lagrange coefficients at 0."""
    coefficients = lagrange_coefficients(points)
    total = zero
    for i, raw in points.items():
        total = add(total, multiply(decode(raw), coefficients[int(i)]))
    return total


def verify_public_shares(distributed_public_key, public_shares, threshold: int) -> bool:
    """True when every `threshold`-subset of the public shares interpolates to the distributed key.

    `public_shares` is a list (share i + 1 at position i, the cluster-lock order) or a mapping
    index -> share; hex strings (with or without 0x) or bytes. Malformed points make it False.
    """
    try:
        shares = (
            {int(i): to_bytes(s, PUBKEY_LENGTH, "public share") for i, s in public_shares.items()}
            if isinstance(public_shares, Mapping)
            else {i + 1: to_bytes(s, PUBKEY_LENGTH, "public share") for i, s in enumerate(public_shares)}
        )
        _check_threshold(len(shares), threshold)
        dpk = to_bytes(distributed_public_key, PUBKEY_LENGTH, "distributed public key")
        if not bls.KeyValidate(dpk) or not all(bls.KeyValidate(s) for s in shares.values()):
            return False
        return all(
            combine_public_shares({i: shares[i] for i in subset}) == dpk
            for subset in combinations(sorted(shares), threshold)
        )
    except (DepositDataError, ValueError, AssertionError):
        return False


def sign_deposit_threshold(
    key: ThresholdKey,
    signers,
    withdrawal_credentials: str | bytes,
    fork_version: str | bytes = HOLESKY_FORK_VERSION,
    amount_gwei: int | None = None,
) -> dict[str, Any]:
    """The deposit-data entry of `key`, signed by the operators `signers` (share indices) only; for
    `amount_gwei`, by default the 1 ETH pre-deposit registration expects (`pre_deposit_gwei()`).

    Each signer signs the deposit message with its share; the partials are combined with Lagrange
    coefficients. With at least `key.threshold` signers the result verifies (`verify_deposit_data`);
    with fewer, the combined signature is not the distributed key's and the entry does not verify.
    """
    amount_gwei = pre_deposit_gwei() if amount_gwei is None else amount_gwei
    wc = to_bytes(withdrawal_credentials, WITHDRAWAL_CREDENTIALS_LENGTH, "withdrawal_credentials")
    fv = to_bytes(fork_version, FORK_VERSION_LENGTH, "fork_version")
    signers = [int(i) for i in signers]
    if not signers or any(i not in key.secret_shares for i in signers):
        raise ThresholdKeyError(f"signers must be share indices of the key, got {signers}")
    pubkey = key.distributed_public_key
    message_root = deposit_message_root(pubkey, wc, amount_gwei)
    signing_root = compute_signing_root(message_root, compute_deposit_domain(fv))
    signature = combine_signatures({i: partial_sign(key.secret_shares[i], signing_root) for i in signers})
    return _deposit_data_entry(pubkey, wc, amount_gwei, message_root, signature, fv)


# ============================================================= on-chain registration (ClusterKeys)
# The EIP-2537 precompiles take uncompressed points; ClusterKeys checks each against its compressed bytes.


def g1_point(pubkey: str | bytes) -> bytes:
    """A compressed G1 point (key or share) uncompressed in the EIP-2537 encoding: x ‖ y, 64 bytes each."""
    x, y = normalize(pubkey_to_G1(to_bytes(pubkey, PUBKEY_LENGTH, "public key")))
    return x.n.to_bytes(64, "big") + y.n.to_bytes(64, "big")


def g2_point(signature: str | bytes) -> bytes:
    """A compressed G2 point (signature) uncompressed in the EIP-2537 encoding: x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1."""
    x, y = normalize(signature_to_G2(to_bytes(signature, SIGNATURE_LENGTH, "signature")))
    return b"".join(v.to_bytes(64, "big") for v in (*x.coeffs, *y.coeffs))


def threshold_of(n: int) -> int:
    """The signing threshold of an n-operator cluster, ceil(2n / 3) (constants.vy's THRESHOLD_*)."""
    from deploy.constants import c

    return -(-n * c.THRESHOLD_NUMERATOR // c.THRESHOLD_DENOMINATOR)


@dataclass(frozen=True)
class ClusterRegistration:
    """What a cluster's winners send ClusterKeys: `shares[i]` = (compressed, uncompressed) of the winner
    of rank i (`register_share`), `deposit_args` the arguments of `register_deposit_data` after the id."""

    key: ThresholdKey
    deposit_data: dict
    shares: list
    deposit_args: tuple


@lru_cache(maxsize=512)
def cluster_registration(
    withdrawal_credentials: str | bytes,
    n: int,
    seed: bytes | str = DEFAULT_SEED,
    threshold: int | None = None,
    fork_version: str | bytes = HOLESKY_FORK_VERSION,
    amount_gwei: int | None = None,
) -> ClusterRegistration:
    """A t-of-n ceremony (t = `threshold_of(n)` unless given) whose first t operators sign the deposit.

    Cached (a ceremony still takes a few tenths of a second): treat the result as read-only."""
    t = threshold_of(n) if threshold is None else threshold
    key = generate_threshold_key(n, t, seed=seed)
    d = sign_deposit_threshold(key, range(1, t + 1), withdrawal_credentials, fork_version, amount_gwei)
    shares = [(s, g1_point(s)) for s in key.public_share_list()]
    pubkey, signature = bytes.fromhex(d["pubkey"]), bytes.fromhex(d["signature"])
    deposit_args = (pubkey, g1_point(pubkey), signature, g2_point(signature), [p for _, p in shares])
    return ClusterRegistration(key=key, deposit_data=d, shares=shares, deposit_args=deposit_args)
