"""EIP-2537's BLS12-381 precompiles for titanoboa's in-process EVM, computed by arkworks.

py-evm computes the seven precompiles with py_ecc, in pure Python: one pairing check of two pairs (a
deposit signature) takes about 2 s, and every cluster's key registration makes one, so the tests and the
main job spent most of their BLS time there. `install()` registers, at the same addresses, the same
functions computed by `py_arkworks_bls12381` (the Rust arkworks library the consensus specs use; it comes
with eth-consensus-specs):

- the same gas, charged at the same point (py-evm's constants and formulas);
- the same checks: lengths, canonical field elements (the top 16 bytes of each 64-byte word zero, the value
  below p), points on the curve, (0, 0) as the point at infinity, the subgroup check for MSM and the pairing
  but not for addition;
- the same outputs, and a failure (`VMError`, all gas consumed) wherever py-evm fails.

tests/lib/test_fast_bls.py checks each function against py-evm's own on valid, edge and invalid inputs.
`BYZ_PYEVM_BLS=1` keeps py-evm's implementation (`install()` then does nothing).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import py_arkworks_bls12381 as ark
from boa.vm.py_evm import register_raw_precompile
from eth.exceptions import VMError
from eth.precompiles.bls12_381 import constants as c
from eth.vm.forks.prague import constants as addresses
from py_ecc.optimized_bls12_381.optimized_curve import field_modulus

G1_PAIR = 160  # a G1 point and a 32-byte scalar
G2_PAIR = 288
PAIRING_PAIR = 384  # a G1 point and a G2 point
ENV_VAR = "BYZ_PYEVM_BLS"


def _fp(word: bytes) -> bytes:
    """A 64-byte EIP-2537 field element as arkworks' 48 bytes; refuses a non-canonical one."""
    if word[:16] != bytes(16) or int.from_bytes(word, "big") >= field_modulus:
        raise VMError("field element is not below the modulus")
    return word[16:]


def _point(kind, data: bytes, words: int, subgroup: bool):
    """Decode a point of `kind` (G1: 2 words, G2: 4) from EIP-2537's encoding, on the curve; in the
    subgroup if `subgroup`."""
    if len(data) != 64 * words:
        raise VMError("wrong length for a point")
    raw = b"".join(_fp(data[i : i + 64]) for i in range(0, len(data), 64))
    if raw == bytes(len(raw)):
        return kind.identity()
    try:
        point = kind.from_xy_bytes_unchecked_be(raw)  # checks the curve equation only
    except Exception as error:
        raise VMError("point is not on the curve") from error
    if subgroup and not point.is_in_subgroup():
        raise VMError("point failed the subgroup check")
    return point


def _encode(point) -> bytes:
    """A point in EIP-2537's encoding: every 48-byte coordinate padded to 64 bytes; infinity as zeros."""
    raw = point.to_xy_bytes_be()
    return b"".join(bytes(16) + raw[i : i + 48] for i in range(0, len(raw), 48))


def _add(kind, words: int, gas: int, name: str) -> Callable:
    def add(computation) -> None:
        data = computation.msg.data
        size = 64 * words
        if len(data) != 2 * size:
            raise VMError(f"Length of data must be {2 * size} bytes for {name}")
        computation.consume_gas(gas, reason=f"{name} gas")
        a = _point(kind, data[:size], words, subgroup=False)
        b = _point(kind, data[size:], words, subgroup=False)
        computation.output = _encode(a + b)

    return add


def _msm(kind, words: int, pair: int, gas: int, discounts, max_discount: int, name: str) -> Callable:
    def msm(computation) -> None:
        data = computation.msg.data
        if len(data) == 0 or len(data) % pair != 0:
            raise VMError(f"Length of data must be a multiple of {pair} bytes for {name}")
        k = len(data) // pair
        discount = discounts[k - 1] if k <= 128 else max_discount
        computation.consume_gas(k * gas * discount // c.MSM_MULTIPLIER, reason=f"{name} gas")
        points, scalars = [], []
        for i in range(0, len(data), pair):
            points.append(_point(kind, data[i : i + 64 * words], words, subgroup=True))
            # a subgroup point times n is the point times n mod r
            scalars.append(ark.Scalar.from_be_bytes_mod_order(data[i + 64 * words : i + pair]))
        computation.output = _encode(kind.multiexp_unchecked(points, scalars))

    return msm


def _map(kind, mapper: str, words: int, gas: int, name: str) -> Callable:
    def map_to_curve(computation) -> None:
        data = computation.msg.data
        if len(data) != 64 * words:
            raise VMError(f"Length of data must be {64 * words} bytes for {name}")
        computation.consume_gas(gas, reason=f"{name} gas")
        element = b"".join(_fp(data[i : i + 64]) for i in range(0, len(data), 64))
        computation.output = _encode(getattr(kind, mapper)(element))

    return map_to_curve


def pairing_check(computation) -> None:
    """BLS12_PAIRING_CHECK: 1 if the product of the pairings is one, else 0."""
    data = computation.msg.data
    if len(data) == 0 or len(data) % PAIRING_PAIR != 0:
        raise VMError("Length of data must be a multiple of 384 bytes for BLS12_PAIRING_CHECK")
    k = len(data) // PAIRING_PAIR
    computation.consume_gas(32600 * k + 37700, "BLS12_PAIRING_CHECK gas")
    g1s, g2s = [], []
    for i in range(0, len(data), PAIRING_PAIR):
        g1s.append(_point(ark.G1Point, data[i : i + 128], 2, subgroup=True))
        g2s.append(_point(ark.G2Point, data[i + 128 : i + PAIRING_PAIR], 4, subgroup=True))
    computation.output = (1 if ark.GT.pairing_check(g1s, g2s) else 0).to_bytes(32, "big")


G1, G2 = ark.G1Point, ark.G2Point
PRECOMPILES = {
    addresses.BLS12_G1ADD_PRECOMPILE_ADDRESS: _add(G1, 2, c.BLS12_G1_ADD_GAS, "BLS12_G1ADD"),
    addresses.BLS12_G1MSM_PRECOMPILE_ADDRESS: _msm(
        G1, 2, G1_PAIR, c.BLS12_G1_MSM_GAS, c.G1_MSM_DISCOUNTS, c.G1_MSM_MAX_DISCOUNT, "BLS12_G1MSM"
    ),
    addresses.BLS12_G2ADD_PRECOMPILE_ADDRESS: _add(G2, 4, c.BLS12_G2_ADD_GAS, "BLS12_G2ADD"),
    addresses.BLS12_G2MSM_PRECOMPILE_ADDRESS: _msm(
        G2, 4, G2_PAIR, c.BLS12_G2_MSM_GAS, c.G2_MSM_DISCOUNTS, c.G2_MSM_MAX_DISCOUNT, "BLS12_G2MSM"
    ),
    addresses.BLS12_PAIRING_CHECK_PRECOMPILE_ADDRESS: pairing_check,
    addresses.BLS12_MAP_FP_TO_G1_PRECOMPILE_ADDRESS: _map(
        G1, "map_from_fp_be", 1, c.BLS12_MAP_FP_G1_GAS, "BLS12_MAP_FP_TO_G1"
    ),
    addresses.BLS12_MAP_FP2_TO_G2_PRECOMPILE_ADDRESS: _map(
        G2, "map_from_fp2_be", 2, c.BLS12_MAP_FP2_G2_GAS, "BLS12_MAP_FP2_TO_G2"
    ),
}


def install() -> bool:
    """Register the arkworks precompiles in titanoboa's EVM (every environment, current and future);
    return whether they are in use (`BYZ_PYEVM_BLS=1` keeps py-evm's)."""
    if os.environ.get(ENV_VAR) == "1":
        return False
    for address, function in PRECOMPILES.items():
        register_raw_precompile("0x" + address.rjust(20, b"\x00").hex(), function, force=True)
    return True
