"""deploy/fast_bls.py against py-evm's own EIP-2537 precompiles: on the same input, the same gas, the same
output, or a failure from both.

Inputs: random subgroup points and scalars (including 0, r and 2**256 - 1), infinity, points on the curve
outside the subgroup, points off the curve, coordinates at or above the modulus or with non-zero padding,
and wrong lengths; for the pairing, both a product that is one and one that is not.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from eth.exceptions import VMError
from eth.precompiles.bls12_381 import bls12_381_g1 as pyevm_g1
from eth.precompiles.bls12_381 import bls12_381_g2 as pyevm_g2
from eth.precompiles.bls12_381 import bls12_381_pairing as pyevm_pairing
from eth.vm.forks.prague import constants as addresses
from hypothesis import given, settings
from hypothesis import strategies as st
from py_ecc.optimized_bls12_381 import (
    FQ,
    FQ2,
    G1,
    G2,
    add,
    b,
    b2,
    curve_order,
    field_modulus,
    is_on_curve,
    multiply,
    neg,
    normalize,
)

from deploy import fast_bls

PYEVM = {
    addresses.BLS12_G1ADD_PRECOMPILE_ADDRESS: pyevm_g1.bls12_g1_add,
    addresses.BLS12_G1MSM_PRECOMPILE_ADDRESS: pyevm_g1.bls12_g1_msm,
    addresses.BLS12_G2ADD_PRECOMPILE_ADDRESS: pyevm_g2.bls12_g2_add,
    addresses.BLS12_G2MSM_PRECOMPILE_ADDRESS: pyevm_g2.bls12_g2_msm,
    addresses.BLS12_PAIRING_CHECK_PRECOMPILE_ADDRESS: pyevm_pairing.bls12_pairing_check,
    addresses.BLS12_MAP_FP_TO_G1_PRECOMPILE_ADDRESS: pyevm_g1.bls12_map_fp_to_g1,
    addresses.BLS12_MAP_FP2_TO_G2_PRECOMPILE_ADDRESS: pyevm_g2.bls12_map_fp2_to_g2,
}
ADD_G1, MSM_G1 = addresses.BLS12_G1ADD_PRECOMPILE_ADDRESS, addresses.BLS12_G1MSM_PRECOMPILE_ADDRESS
ADD_G2, MSM_G2 = addresses.BLS12_G2ADD_PRECOMPILE_ADDRESS, addresses.BLS12_G2MSM_PRECOMPILE_ADDRESS
PAIRING = addresses.BLS12_PAIRING_CHECK_PRECOMPILE_ADDRESS
MAP_G1, MAP_G2 = (
    addresses.BLS12_MAP_FP_TO_G1_PRECOMPILE_ADDRESS,
    addresses.BLS12_MAP_FP2_TO_G2_PRECOMPILE_ADDRESS,
)


class Computation:
    """The part of py-evm's computation a precompile touches: its input, gas and output."""

    def __init__(self, data: bytes):
        self.msg = SimpleNamespace(data=data)
        self.gas = 0
        self.output = b""

    def consume_gas(self, amount, reason=None):
        self.gas += amount


def run(function, data: bytes) -> tuple:
    """(output, gas) of `function` on `data`, or ("fails", None)."""
    computation = Computation(data)
    try:
        function(computation)
    except VMError:
        return "fails", None
    return computation.output, computation.gas


def agree(address: bytes, data: bytes) -> tuple:
    """Both implementations' result on `data`, asserted equal; returns it."""
    expected = run(PYEVM[address], data)
    assert run(fast_bls.PRECOMPILES[address], data) == expected
    return expected


def fp(value: int) -> bytes:
    return value.to_bytes(64, "big")


def g1(point) -> bytes:
    if point[2] == FQ.zero():
        return bytes(128)
    x, y = normalize(point)
    return fp(int(x)) + fp(int(y))


def g2(point) -> bytes:
    if point[2] == FQ2.zero():
        return bytes(256)
    x, y = normalize(point)
    return b"".join(fp(int(v)) for v in (*x.coeffs, *y.coeffs))


def scalar(n: int) -> bytes:
    return n.to_bytes(32, "big")


def g1_off_subgroup() -> bytes:
    """A point on G1's curve, outside the order-r subgroup (y^2 = x^3 + 4 for the first such x)."""
    x = 1
    while True:
        rhs = (x**3 + 4) % field_modulus
        y = pow(rhs, (field_modulus + 1) // 4, field_modulus)
        point = (FQ(x), FQ(y), FQ.one())
        if y * y % field_modulus == rhs and is_on_curve(point, b) and multiply(point, curve_order)[2] != 0:
            return fp(x) + fp(y)
        x += 1


def g2_off_subgroup() -> bytes:
    """A point on G2's curve outside the subgroup: G2's curve point with the cofactor left in."""
    from py_ecc.bls.hash_to_curve import map_to_curve_G2

    point = map_to_curve_G2(FQ2([5, 7]))
    assert is_on_curve(point, b2) and multiply(point, curve_order)[2] != FQ2.zero()
    return g2(point)


SCALARS = st.one_of(
    st.sampled_from([0, 1, curve_order - 1, curve_order, 2**256 - 1]), st.integers(0, 2**256 - 1)
)
SECRETS = st.integers(1, curve_order - 1)


@settings(max_examples=8, deadline=None)
@given(a=SECRETS, c=SECRETS, n=SCALARS, m=SCALARS)
def test_add_and_msm_agree_on_subgroup_points(a, c, n, m):
    p, q = multiply(G1, a), multiply(G1, c)
    agree(ADD_G1, g1(p) + g1(q))
    agree(ADD_G1, g1(p) + g1(neg(p)))  # infinity as the result
    agree(MSM_G1, g1(p) + scalar(n) + g1(q) + scalar(m))
    agree(MSM_G1, g1(p) + scalar(n))
    r, s = multiply(G2, a), multiply(G2, c)
    agree(ADD_G2, g2(r) + g2(s))
    agree(MSM_G2, g2(r) + scalar(n) + g2(s) + scalar(m))


@pytest.mark.parametrize(
    "address, data",
    [
        (ADD_G1, bytes(256)),  # infinity + infinity
        (ADD_G1, g1(G1) + bytes(128)),
        (MSM_G1, bytes(128) + scalar(5)),
        (ADD_G2, g2(G2) + bytes(256)),
        (MSM_G2, bytes(256) + scalar(5)),
        (MSM_G1, g1(G1) + scalar(0)),
    ],
)
def test_infinity_agrees(address, data):
    assert agree(address, data)[0] != "fails"


def test_points_outside_the_subgroup_add_but_do_not_multiply_or_pair():
    off1, off2 = g1_off_subgroup(), g2_off_subgroup()
    assert agree(ADD_G1, off1 + g1(G1))[0] != "fails"
    assert agree(ADD_G2, off2 + g2(G2))[0] != "fails"
    assert agree(MSM_G1, off1 + scalar(3))[0] == "fails"
    assert agree(MSM_G2, off2 + scalar(3))[0] == "fails"
    assert agree(PAIRING, off1 + g2(G2))[0] == "fails"
    assert agree(PAIRING, g1(G1) + off2)[0] == "fails"


def test_bad_encodings_fail_in_both():
    good = g1(G1)
    x_at_modulus = fp(field_modulus) + good[64:]
    padded = b"\x01" + good[1:]  # a non-zero byte in the 16 bytes of padding
    off_curve = fp(1) + fp(1)
    for data in (x_at_modulus + good, padded + good, off_curve + good, good + good[:-1], b""):
        assert agree(ADD_G1, data)[0] == "fails"
    assert agree(MSM_G1, off_curve + scalar(1))[0] == "fails"
    assert agree(MSM_G1, good + scalar(1) + b"\x00")[0] == "fails"
    assert agree(ADD_G2, g2(G2)[:-1] + b"\x05" + g2(G2))[0] == "fails"
    assert agree(PAIRING, g1(G1) + g2(G2)[:-1])[0] == "fails"
    assert agree(MAP_G1, fp(field_modulus))[0] == "fails"
    assert agree(MAP_G2, fp(1) + fp(field_modulus))[0] == "fails"
    assert agree(MAP_G1, fp(1)[:-1])[0] == "fails"


@settings(max_examples=2, deadline=None)
@given(a=SECRETS, c=SECRETS)
def test_pairing_agrees_on_one_and_not_one(a, c):
    # e(aG1, cG2) * e(-acG1, G2) == 1; with a wrong factor it is not
    one = agree(PAIRING, g1(multiply(G1, a)) + g2(multiply(G2, c)) + g1(neg(multiply(G1, a * c))) + g2(G2))
    assert one[0] == scalar(1)
    other = agree(
        PAIRING, g1(multiply(G1, a)) + g2(multiply(G2, c)) + g1(neg(multiply(G1, a * c + 1))) + g2(G2)
    )
    assert other[0] == scalar(0)
    assert agree(PAIRING, bytes(384))[0] == scalar(1)  # infinity pairs to one


@settings(max_examples=6, deadline=None)
@given(u=st.integers(0, field_modulus - 1), v=st.integers(0, field_modulus - 1))
def test_map_to_curve_agrees(u, v):
    assert agree(MAP_G1, fp(u))[0] != "fails"
    assert agree(MAP_G2, fp(u) + fp(v))[0] != "fails"


def test_add_agrees_on_a_point_and_itself():
    p = add(G1, G1)
    agree(ADD_G1, g1(p) + g1(p))
    agree(ADD_G2, g2(G2) + g2(G2))


def test_install_registers_every_precompile_and_the_variable_opts_out(monkeypatch):
    from boa.vm import py_evm

    monkeypatch.setenv(fast_bls.ENV_VAR, "1")
    assert fast_bls.install() is False
    monkeypatch.delenv(fast_bls.ENV_VAR)
    assert fast_bls.install() is True
    for address, function in fast_bls.PRECOMPILES.items():
        assert py_evm._precompiles[address.rjust(20, b"\x00")] is function
    assert set(fast_bls.PRECOMPILES) == set(PYEVM)
