# pragma version ~=0.4.3
"""
@title Pricing
@custom:contract-name pricing
@license MIT
@notice A bid's ranking score (docs/protocol.md §2) and the ranking key the
        bid book stores so that a walk step compares words instead of
        recomputing a power.
@dev score(d, t, b) = score(d, t) * bond_factor(b) // BPS with
     score(d, t) = vc_price(d) * P(t) // 10**18,
     P(t) = rpow(1.001, t) at RAY precision // 10**9 and
     bond_factor(b) = BPS + BOND_SCORE_BPS * (max(b, BOND) - BOND) // BOND_UNIT
     (BPS at the 1 ETH floor and for no bond: docs/protocol.md §2's check
     values hold to the wei). A score is below 2**110 (vc_price below
     2**56, t <= MAX_DURATION_CAP, bond_factor <= 1.07), too wide to sit
     next to an operator record's links; its key fits KEY_BITS (93) and is exact
     below 2**92, which covers every score of a daily price below 2**56 and
     a duration up to about 24 000 days. Above, the key keeps the score's
     top bits: a larger key still means a larger score, and equal keys at
     or above 2**EXACT_KEY_BITS mean "recompute the scores".
"""

from . import constants as c


# @dev Bits of an operator record's ranking key.
KEY_BITS: constant(uint256) = 93
# @dev Scores below 2**EXACT_KEY_BITS are their own key.
EXACT_KEY_BITS: constant(uint256) = 92
# @dev Low bits a wide score drops: 2**115 >> 23 == 2**92 (scores stay below
# 2**110; the shift also covers wider ones).
WIDE_KEY_SHIFT: constant(uint256) = 23


@internal
@pure
def score(vc_price: uint256, duration: uint256, bond: uint256) -> uint256:
    """
    @dev The ranking score of a bid (docs/protocol.md §2): the score of its
         price and duration, raised by its bond's factor.
    @param vc_price The bid's daily VC price (wei per day).
    @param duration The bid's duration (days).
    @param bond The bond the bid locks (wei).
    @return uint256 The score.
    """
    assert duration <= c.MAX_DURATION_CAP, "pricing: duration above cap"
    return (
        vc_price
        * (self._rpow(c.DAILY_SCORE_GROWTH, duration) // 10**9) // 10**18
        * self.bond_factor(bond) // c.BPS
    )


@internal
@pure
def bond_factor(bond: uint256) -> uint256:
    """
    @dev What a bond multiplies a score by, in basis points: BPS (x1) up
         to the BOND floor (and for no bond), then BOND_SCORE_BPS more per
         BOND_UNIT above it; monotone, and at most
         BPS + BOND_SCORE_BPS * (MAX_BOND - BOND) // BOND_UNIT.
    @param bond The bond (wei).
    @return uint256 The factor (bps).
    """
    if bond <= c.BOND:
        return c.BPS
    return c.BPS + c.BOND_SCORE_BPS * (bond - c.BOND) // c.BOND_UNIT


@internal
@pure
def key(score: uint256) -> uint256:
    """
    @dev The ranking key of a score: monotone (a larger score never has a
         smaller key) and exact below 2**EXACT_KEY_BITS.
    @param score A score (below 2**115).
    @return uint256 The key (below 2**KEY_BITS).
    """
    if score >> EXACT_KEY_BITS == 0:
        return score
    return (1 << EXACT_KEY_BITS) | (score >> WIDE_KEY_SHIFT)


@internal
@pure
def _rpow(base: uint256, exponent: uint256) -> uint256:
    """
    @dev Fixed-point power at RAY precision, exponentiation by squaring with
         round-half-up products (docs/protocol.md §2). Unchecked arithmetic is
         safe here: `exponent` <= MAX_DURATION_CAP (36 500, checked by
         `score`) and `base` is 1.001 at RAY, so every product stays below
         2**233 (checked exhaustively in tests/operator/test_pricing.py).
    @return uint256 base ** exponent at RAY precision.
    """
    x: uint256 = base
    n: uint256 = exponent
    z: uint256 = c.RAY
    if n & 1 == 1:
        z = x
    n >>= 1
    for _: uint256 in range(16):
        if n == 0:
            break
        x = unsafe_div(unsafe_add(unsafe_mul(x, x), c.RAY // 2), c.RAY)
        if n & 1 == 1:
            z = unsafe_div(unsafe_add(unsafe_mul(z, x), c.RAY // 2), c.RAY)
        n >>= 1
    return z
