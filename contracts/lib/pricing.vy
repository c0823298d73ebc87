# pragma version ~=0.4.3
"""
@title Pricing
@custom:contract-name pricing
@license MIT
@notice A bid's ranking score (docs/protocol.md §2) and the ranking key the
        bid book stores so that a walk step compares words instead of
        recomputing a power.
@dev score(d, t) = vc_price(d) * P(t) // 10**18 with
     P(t) = rpow(1.001, t) at RAY precision // 10**9. A score is below
     2**115 (vc_price below 2**62, t <= MAX_DURATION_CAP), too wide to sit
     next to an operator record's links; its key fits KEY_BITS (93) and is
     exact below 2**92, which covers every score of a daily price below
     2**62 and a duration up to about 11 000 days. Above, the key keeps
     the score's top bits: a larger key still means a larger score, and
     equal keys at or above 2**EXACT_KEY_BITS mean "recompute the scores".
"""

from . import constants as c


# @dev Bits of an operator record's ranking key.
KEY_BITS: constant(uint256) = 93
# @dev Scores below 2**EXACT_KEY_BITS are their own key.
EXACT_KEY_BITS: constant(uint256) = 92
# @dev Low bits a wide score drops: 2**115 >> 23 == 2**92.
WIDE_KEY_SHIFT: constant(uint256) = 23


@internal
@pure
def score(vc_price: uint256, duration: uint256) -> uint256:
    """
    @dev The ranking score of a bid (docs/protocol.md §2).
    @param vc_price The bid's daily VC price (wei per day).
    @param duration The bid's duration (days).
    @return uint256 The score.
    """
    assert duration <= c.MAX_DURATION_CAP, "pricing: duration above cap"
    return (
        vc_price
        * (self._rpow(c.DAILY_SCORE_GROWTH, duration) // 10**9) // 10**18
    )


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
