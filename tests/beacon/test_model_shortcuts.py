"""The beacon model's two shortcuts (deploy/beacon.py) give what they stand for.

- `deposit_root_of` remembers the deposit contract's root by the code and storage it is computed from: it
  must equal the contract's own `get_deposit_root()` after every deposit and every rollback, including a
  different deposit at an index seen before.
- `bls_verify` (arkworks) must answer as py_ecc's `G2ProofOfPossession.Verify` on valid signatures and on
  every kind of invalid one: another message or key, the points at infinity, bytes that are no point or a
  point outside the subgroup, a wrong flag, a short key.
"""

from __future__ import annotations

import boa
import pytest
from py_ecc.bls import G2ProofOfPossession as py_ecc_bls
from py_ecc.bls.g2_primitives import G1_to_pubkey, G2_to_signature
from py_ecc.bls.point_compression import modular_squareroot_in_FQ2
from py_ecc.fields import optimized_bls12_381_FQ as FQ
from py_ecc.fields import optimized_bls12_381_FQ2 as FQ2
from py_ecc.optimized_bls12_381 import b, b2, curve_order, field_modulus, is_inf, is_on_curve, multiply

from deploy import keys
from deploy.beacon import _DEPOSIT_ROOTS, bls_verify, deposit_root_of
from deploy.protocol import deploy
from tests.utils.actors import actor


def _deposit(deposit_contract, depositor, seed: str) -> None:
    d = keys.make_deposit_data(b"\x01" + b"\x00" * 11 + bytes(20), seed=seed)
    value = d["amount"] * 10**9
    fields = (
        bytes.fromhex(d[k]) for k in ("pubkey", "withdrawal_credentials", "signature", "deposit_data_root")
    )
    deposit_contract.deposit(*fields, value=value, sender=depositor)


def _agrees(deposit_contract) -> bytes:
    root = deposit_root_of(deposit_contract)
    assert root == bytes(deposit_contract.get_deposit_root())
    return root


def test_the_remembered_root_follows_deposits_and_rollbacks():
    depositor = actor("staker")
    deposit_contract = deploy("deposit_contract")
    empty = _agrees(deposit_contract)
    with boa.env.anchor():
        first = []
        for seed in ("a0", "a1"):
            _deposit(deposit_contract, depositor, seed)
            first.append(_agrees(deposit_contract))
        assert len(set(first) | {empty}) == 3
    assert deposit_root_of(deposit_contract) == empty  # rolled back: the empty tree's storage again
    with boa.env.anchor():
        _deposit(deposit_contract, depositor, "b0")  # index 0 again, another deposit
        other = _agrees(deposit_contract)
        assert other not in (empty, *first)
    remembered = len(_DEPOSIT_ROOTS)
    with boa.env.anchor():
        _deposit(deposit_contract, depositor, "a0")  # a storage seen before: no new entry
        assert _agrees(deposit_contract) == first[0]
    assert len(_DEPOSIT_ROOTS) == remembered


SECRET = 424242
PUBKEY = py_ecc_bls.SkToPk(SECRET)
MESSAGE = bytes(range(32))
SIGNATURE = py_ecc_bls.Sign(SECRET, MESSAGE)
G1_INFINITY = b"\xc0" + bytes(47)
G2_INFINITY = b"\xc0" + bytes(95)


def _off_subgroup(group: int) -> bytes:
    """The encoding of a point on the G1 (`group` 1) or G2 (2) curve outside the prime-order subgroup: the
    first x = 1, 2, ... whose y exists (almost every curve point is outside it; the check says so)."""
    for x0 in range(1, 100):
        x = FQ(x0) if group == 1 else FQ2([x0, 1])
        y = _sqrt(x**3 + (FQ(4) if group == 1 else FQ2([4, 4])), group)
        if y is not None:
            point = (x, y, x.one())
            assert is_on_curve(point, b if group == 1 else b2) and not is_inf(multiply(point, curve_order))
            return G1_to_pubkey(point) if group == 1 else G2_to_signature(point)
    raise AssertionError("no curve point found")


def _sqrt(value, group: int):
    if group == 2:
        return modular_squareroot_in_FQ2(value)
    root = value ** ((field_modulus + 1) // 4)  # p = 3 mod 4
    return root if root * root == value else None


CASES = {
    "valid": (PUBKEY, MESSAGE, SIGNATURE),
    "another message": (PUBKEY, bytes(32), SIGNATURE),
    "another key": (py_ecc_bls.SkToPk(7), MESSAGE, SIGNATURE),
    "key at infinity": (G1_INFINITY, MESSAGE, SIGNATURE),
    "signature at infinity": (PUBKEY, MESSAGE, G2_INFINITY),
    "both at infinity": (G1_INFINITY, MESSAGE, G2_INFINITY),
    "key not a point": (b"\x81" * 48, MESSAGE, SIGNATURE),
    "signature not a point": (PUBKEY, MESSAGE, b"\x81" * 96),
    "key outside the subgroup": (_off_subgroup(1), MESSAGE, SIGNATURE),
    "signature outside the subgroup": (PUBKEY, MESSAGE, _off_subgroup(2)),
    "key without its compression flag": (bytes([PUBKEY[0] & 0x7F]) + PUBKEY[1:], MESSAGE, SIGNATURE),
    "short key": (PUBKEY[:47], MESSAGE, SIGNATURE),
}


@pytest.mark.parametrize("case", CASES)
def test_arkworks_verify_answers_as_py_ecc(case):
    pubkey, message, signature = CASES[case]
    assert bls_verify(pubkey, message, signature) == py_ecc_bls.Verify(pubkey, message, signature)
    assert bls_verify(pubkey, message, signature) == (case == "valid")
