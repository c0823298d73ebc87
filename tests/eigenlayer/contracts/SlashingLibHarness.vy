# pragma version ~=0.4.3
"""
@title SlashingLibHarness
@custom:contract-name SlashingLibHarness
@license MIT
@notice Exposes contracts/lib/slashing_lib.vy to the tests.
"""

from contracts.lib import slashing_lib as sl


@external
@pure
def mul_wad(x: uint256, y: uint256) -> uint256:
    """
    @notice slashing_lib._mul_wad.
    @param x The multiplicand.
    @param y The multiplier.
    @return uint256 The product.
    """
    return sl._mul_wad(x, y)


@external
@pure
def div_wad(x: uint256, y: uint256) -> uint256:
    """
    @notice slashing_lib._div_wad.
    @param x The dividend.
    @param y The divisor.
    @return uint256 The quotient.
    """
    return sl._div_wad(x, y)


@external
@pure
def updated_scaling_factor(
    stored: uint256, prev: uint256, added: uint256, factor: uint256
) -> uint256:
    """
    @notice slashing_lib._updated_scaling_factor.
    @param stored The stored factor.
    @param prev The deposit shares before.
    @param added The shares added.
    @param factor The slashing factor.
    @return uint256 The new factor.
    """
    return sl._updated_scaling_factor(stored, prev, added, factor)


@external
@pure
def calc_slashed_amount(
    shares: uint256, prev: uint256, new: uint256
) -> uint256:
    """
    @notice slashing_lib._calc_slashed_amount.
    @param shares The operator shares.
    @param prev The magnitude before.
    @param new The magnitude after.
    @return uint256 The shares slashed.
    """
    return sl._calc_slashed_amount(shares, prev, new)
