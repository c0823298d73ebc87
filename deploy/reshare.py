"""Proactive resharing of a threshold key: a seat changes hands, the group key does not (issue #19, part two;
docs/protocol.md §9 "Resharing a key").

A t-of-n key's secret s = f(0) is held as shares s_i = f(i) (deploy/keys.py). When an operator leaves, or a
seat is auctioned anew, the key must move to a new set of holders without ever being rebuilt in one place,
and the validator keeps its public key (an exit would cost a withdrawal and a new deposit). As resharing
protocols do (Desmedt and Jajodia's redistribution, made verifiable with Feldman commitments by Wong, Wang
and Wing), every old holder i of a set D of at least t of them, the leaver not needed:

1. picks a fresh polynomial g_i of degree t' - 1 with g_i(0) = s_i, its own share;
2. broadcasts Feldman commitments C_{i,k} = a_{i,k}·G1 of g_i's coefficients (C_{i,0} is then its public
   share, already registered) and sends g_i(j) privately to each new holder j: a `Dealing`;
3. new holder j checks each sub-share against its dealer's commitments, g_i(j)·G1 = Σ_k j^k·C_{i,k}, and
   that C_{i,0} is the dealer's registered public share, then takes s'_j = Σ_{i∈D} λ_i·g_i(j), with λ the
   Lagrange coefficients of D at 0.

h = Σ λ_i·g_i has degree t' - 1 and h(0) = Σ λ_i·s_i = s: the same secret and group key, new shares s'_j =
h(j). The new public shares h(j)·G1 = Σ_k j^k·(Σ_i λ_i·C_{i,k}) follow from the commitments alone, so anyone
can compute them and the contract's share check (ClusterKeys; `keys.verify_public_shares` in Python) holds
them to the group key. h is random apart from h(0), so an old share (the leaver's) is no point of it: a set
mixing old and new shares interpolates to another key. The old shares of the stayers must be erased, as in
every proactive scheme: t old shares still give the secret.

`reshare(old, new_indices, new_threshold, seed=..., dealers=...)` runs the whole round in one process (a test
or a local cluster); `deal` and `complete_resharing` are its two halves, so a test can change a message
between them. Every check failing raises `ThresholdKeyError` naming the dealer (and receiver) at fault.
Group arithmetic is arkworks' (py_ecc took 7 ms a point multiplication, arkworks 0.2 ms).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from hashlib import sha256

import py_arkworks_bls12381 as ark

from deploy.keys import (
    MAX_OPERATORS,
    PUBKEY_LENGTH,
    ThresholdKey,
    ThresholdKeyError,
    curve_order,
    lagrange_coefficients,
    to_bytes,
)

_GENERATOR = ark.G1Point()


@dataclass(frozen=True)
class Dealing:
    """Old holder `dealer`'s messages in a resharing round: `commitments` (compressed G1 points, the
    coefficients of its polynomial times G1, lowest degree first) go to everyone, `sub_shares[j]` (its
    polynomial at j) to new holder j alone."""

    dealer: int
    commitments: tuple[bytes, ...]
    sub_shares: Mapping[int, int]


def _scalar(value: int) -> ark.Scalar:
    return ark.Scalar.from_be_bytes((value % curve_order).to_bytes(32, "big"))


def _compress(point: ark.G1Point) -> bytes:
    return bytes(point.to_compressed_bytes())


def _index(value, what: str) -> int:
    """A share index as an int in [1, r): 0 is where the secret sits, so no holder may have it."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ThresholdKeyError(f"{what} must be an integer, got {value!r}")
    if not 0 < value < curve_order:
        raise ThresholdKeyError(f"{what} {value} is not in [1, r): index 0 would be the secret itself")
    return value


def _indices(values: Iterable, what: str) -> list[int]:
    """Distinct share indices: two holders with one index would hold the same share."""
    indices = [_index(v, what) for v in values]
    duplicates = sorted({i for i in indices if indices.count(i) > 1})
    if duplicates:
        raise ThresholdKeyError(f"duplicate {what} {duplicates} in {indices}")
    return indices


def _new_set(new_indices: Iterable, new_threshold) -> list[int]:
    """The new holders' indices, checked with the new threshold."""
    indices = _indices(new_indices, "new share index")
    n = len(indices)
    if not isinstance(new_threshold, int) or isinstance(new_threshold, bool) or not 1 <= new_threshold <= n:
        raise ThresholdKeyError(
            f"the new threshold must be in 1 .. {n} (the new holders), got {new_threshold!r}"
        )
    if n > MAX_OPERATORS:
        raise ThresholdKeyError(f"at most {MAX_OPERATORS} holders, got {n}")
    return indices


def _coefficient(seed: bytes | str | None, dealer: int, degree: int) -> int:
    """A non-zero coefficient of a dealer's fresh polynomial: from `secrets`, or derived from `seed` (a
    reproducible test ceremony; every dealer's own, since the dealer's index is hashed in)."""
    if seed is None:
        return secrets.randbelow(curve_order - 1) + 1
    material = seed.encode() if isinstance(seed, str) else bytes(seed)
    tag = b"byzantine-vyper resharing coefficient"
    digest = sha256(tag + material + dealer.to_bytes(32, "big") + degree.to_bytes(4, "big")).digest()
    return int.from_bytes(digest, "big") % (curve_order - 1) + 1


def deal(
    dealer: int, secret_share: int, new_indices: Iterable, new_threshold: int, seed: bytes | str | None = None
) -> Dealing:
    """Old holder `dealer`'s dealing: a fresh degree-(t' - 1) polynomial through its share at 0, committed
    to and evaluated at every new index. `seed` None (a real round) draws the polynomial from `secrets`."""
    dealer = _index(dealer, "dealer index")
    indices = _new_set(new_indices, new_threshold)
    if not isinstance(secret_share, int) or not 0 < secret_share < curve_order:
        raise ThresholdKeyError(f"dealer {dealer}'s secret share is not in 1 .. r - 1")
    coefficients = [secret_share] + [_coefficient(seed, dealer, k) for k in range(1, new_threshold)]
    sub_shares = {}
    for j in indices:
        value = 0
        for a in reversed(coefficients):  # Horner
            value = (value * j + a) % curve_order
        sub_shares[j] = value
    commitments = tuple(_compress(_GENERATOR * _scalar(a)) for a in coefficients)
    return Dealing(dealer=dealer, commitments=commitments, sub_shares=sub_shares)


def _commitment_points(dealing: Dealing, new_threshold: int, public_share: bytes) -> list[ark.G1Point]:
    """The dealer's commitments as points, once each is checked: t' of them (a polynomial of degree
    t' - 1: one more would let the dealer raise the threshold), points of G1's subgroup, the first its
    registered public share (it reshares the share it holds, not another secret)."""
    d = dealing.dealer
    if len(dealing.commitments) != new_threshold:
        raise ThresholdKeyError(
            f"dealer {d} committed to {len(dealing.commitments)} coefficients, "
            f"a threshold of {new_threshold} needs {new_threshold}"
        )
    points = []
    for k, raw in enumerate(dealing.commitments):
        try:
            points.append(ark.G1Point.from_compressed_bytes(to_bytes(raw, PUBKEY_LENGTH, "commitment")))
        except ValueError as exc:  # a wrong length, or arkworks refusing the encoding or the point
            raise ThresholdKeyError(f"dealer {d}'s commitment {k} is not a point of G1: {exc}") from exc
    if bytes(dealing.commitments[0]) != public_share:
        raise ThresholdKeyError(
            f"dealer {d}'s first commitment is not its registered public share: it reshares another secret"
        )
    return points


def _feldman_check(dealing: Dealing, points: Sequence[ark.G1Point], receiver: int) -> int:
    """New holder `receiver`'s sub-share from the dealing, once it lies on the committed polynomial."""
    d = dealing.dealer
    if receiver not in dealing.sub_shares:
        raise ThresholdKeyError(f"dealer {d} sent no sub-share to new holder {receiver}")
    value = dealing.sub_shares[receiver]
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < curve_order:
        raise ThresholdKeyError(
            f"dealer {d}'s sub-share for new holder {receiver} is not a scalar: {value!r}"
        )
    expected = points[-1]
    for point in reversed(points[:-1]):  # Σ_k receiver^k·C_k by Horner
        expected = expected * _scalar(receiver) + point
    if _GENERATOR * _scalar(value) != expected:
        raise ThresholdKeyError(
            f"dealer {d}'s sub-share for new holder {receiver} fails the Feldman check of its commitments"
        )
    return value


def verify_sub_share(dealing: Dealing, receiver: int, public_share: str | bytes, new_threshold: int) -> int:
    """What new holder `receiver` runs on one dealing: the dealer's commitments are t' points starting with
    the dealer's registered `public_share`, and the sub-share lies on them. Returns the sub-share;
    raises `ThresholdKeyError` naming the dealer otherwise."""
    share = to_bytes(public_share, PUBKEY_LENGTH, "public share")
    return _feldman_check(
        dealing, _commitment_points(dealing, new_threshold, share), _index(receiver, "receiver")
    )


def _dealers(
    dealings: Sequence[Dealing], old_public_shares: Mapping[int, bytes], old_threshold: int
) -> list[int]:
    """The dealers' indices: distinct holders of the old key, at least its threshold of them (fewer hold
    no information on the secret, so they cannot pass it on)."""
    dealers = _indices([d.dealer for d in dealings], "dealer index")
    strangers = [i for i in dealers if i not in old_public_shares]
    if strangers:
        raise ThresholdKeyError(
            f"dealers {strangers} hold no share of the old key (its holders: {sorted(old_public_shares)})"
        )
    if len(dealers) < old_threshold:
        raise ThresholdKeyError(
            f"resharing needs at least {old_threshold} old holders (the old threshold), got {len(dealers)}: "
            f"{sorted(dealers)}"
        )
    return dealers


def complete_resharing(
    distributed_public_key: str | bytes,
    old_public_shares: Mapping[int, str | bytes],
    old_threshold: int,
    dealings: Sequence[Dealing],
    new_indices: Iterable,
    new_threshold: int,
) -> ThresholdKey:
    """The new key from the dealings of at least `old_threshold` old holders, every check of every new
    holder made: the dealers' public shares give the group key, and each sub-share passes its dealer's
    Feldman check (`verify_sub_share`). The new public shares are computed from the commitments, as
    anyone can, and still interpolate to `distributed_public_key`, which does not change."""
    indices = _new_set(new_indices, new_threshold)
    dpk = to_bytes(distributed_public_key, PUBKEY_LENGTH, "distributed public key")
    public = {int(i): to_bytes(s, PUBKEY_LENGTH, "public share") for i, s in old_public_shares.items()}
    dealers = _dealers(dealings, public, old_threshold)
    weights = lagrange_coefficients(dealers)
    points = {d.dealer: _commitment_points(d, new_threshold, public[d.dealer]) for d in dealings}
    group_key = _interpolate({i: points[i][0] for i in dealers}, weights)
    if _compress(group_key) != dpk:
        raise ThresholdKeyError("the dealers' public shares do not interpolate to the group key")
    secret_shares = {
        j: sum(weights[d.dealer] * _feldman_check(d, points[d.dealer], j) for d in dealings) % curve_order
        for j in indices
    }
    # h's coefficients in G1: Σ_i λ_i·C_{i,k}; then each new public share is h(j)·G1 by Horner
    aggregate = [_interpolate({i: points[i][k] for i in dealers}, weights) for k in range(new_threshold)]
    public_shares = {}
    for j in indices:
        value = aggregate[-1]
        for point in reversed(aggregate[:-1]):
            value = value * _scalar(j) + point
        public_shares[j] = _compress(value)
    return ThresholdKey(
        threshold=new_threshold,
        distributed_public_key=dpk,
        secret_shares=secret_shares,
        public_shares=public_shares,
    )


def _interpolate(points: Mapping[int, ark.G1Point], weights: Mapping[int, int]) -> ark.G1Point:
    total = ark.G1Point.identity()
    for i, point in points.items():
        total = total + point * _scalar(weights[i])
    return total


def reshare(
    old: ThresholdKey,
    new_indices: Iterable,
    new_threshold: int,
    seed: bytes | str | None = None,
    dealers: Iterable | None = None,
) -> ThresholdKey:
    """The same group key shared anew: `new_threshold`-of-`new_indices`, dealt by the old holders `dealers`
    (by default every holder whose secret share `old` carries; at least `old.threshold` of them, the
    leaver need not be one). `seed` makes the round reproducible (tests); None draws it from `secrets`."""
    dealers = sorted(old.secret_shares) if dealers is None else list(dealers)
    for i in dealers:
        if i not in old.secret_shares:
            raise ThresholdKeyError(f"dealer {i!r} holds no share of the old key")
    new_indices = list(new_indices)
    dealings = [deal(i, old.secret_shares[i], new_indices, new_threshold, seed) for i in dealers]
    return complete_resharing(
        old.distributed_public_key, old.public_shares, old.threshold, dealings, new_indices, new_threshold
    )
