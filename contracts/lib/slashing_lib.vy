# pragma version ~=0.4.3
"""
@title slashing_lib
@custom:contract-name slashing_lib
@license MIT
@notice EigenLayer v1.12's SlashingLib (EL src/contracts/libraries/SlashingLib.sol):
        the WAD maths that turn deposit shares into withdrawable shares and
        back, shared by the DelegationManager and EigenPodManager stand-ins.
@dev Stateless module: import it and call its internal functions directly.
     Every product is taken in 512-bit precision and floored (snekmate's
     `_mul_div`, like OpenZeppelin's `Math.mulDiv`), so results match
     SlashingLib to the wei. A stored deposit scaling factor of 0 means WAD
     (SlashingLib's `scalingFactor` getter). A division by zero reverts with
     snekmate's "math: mul_div division by zero" where Solidity panics 0x12.
"""

from snekmate.utils import math
from . import constants as c


@internal
@pure
def _mul_wad(x: uint256, y: uint256) -> uint256:
    """
    @dev floor(x * y / WAD) in 512-bit precision (SlashingLib.mulWad).
    @param x The multiplicand.
    @param y The WAD-scaled multiplier.
    @return uint256 The floored product.
    """
    return math._mul_div(x, y, c.WAD, False)


@internal
@pure
def _div_wad(x: uint256, y: uint256) -> uint256:
    """
    @dev floor(x * WAD / y) in 512-bit precision (SlashingLib.divWad).
    @param x The dividend.
    @param y The WAD-scaled divisor (non-zero).
    @return uint256 The floored quotient.
    """
    return math._mul_div(x, c.WAD, y, False)


@internal
@pure
def _mul_wad_round_up(x: uint256, y: uint256) -> uint256:
    """
    @dev ceil(x * y / WAD) in 512-bit precision (SlashingLib.mulWadRoundUp).
    @param x The multiplicand.
    @param y The WAD-scaled multiplier.
    @return uint256 The rounded-up product.
    """
    return math._mul_div(x, y, c.WAD, True)


@internal
@pure
def _scaling_factor(stored: uint256) -> uint256:
    """
    @dev A stored deposit scaling factor as it applies: 0 (unset) is WAD.
    @param stored The stored factor.
    @return uint256 The factor.
    """
    if stored == 0:
        return c.WAD
    return stored


@internal
@pure
def _calc_withdrawable(
    stored_dsf: uint256, deposit_shares: uint256, slashing_factor: uint256
) -> uint256:
    """
    @dev mulWad(mulWad(depositShares, dsf), slashingFactor) (calcWithdrawable).
    @param stored_dsf The stored deposit scaling factor (0: WAD).
    @param deposit_shares The deposit shares.
    @param slashing_factor The staker's slashing factor (WAD-scaled).
    @return uint256 The withdrawable shares.
    """
    return self._mul_wad(
        self._mul_wad(deposit_shares, self._scaling_factor(stored_dsf)),
        slashing_factor,
    )


@internal
@pure
def _calc_deposit_shares(
    stored_dsf: uint256, withdrawable_shares: uint256, slashing_factor: uint256
) -> uint256:
    """
    @dev divWad(divWad(withdrawable, dsf), slashingFactor) (calcDepositShares);
         a slashing factor of 0 reverts.
    @param stored_dsf The stored deposit scaling factor (0: WAD).
    @param withdrawable_shares The withdrawable shares.
    @param slashing_factor The staker's slashing factor (WAD-scaled).
    @return uint256 The deposit shares.
    """
    return self._div_wad(
        self._div_wad(withdrawable_shares, self._scaling_factor(stored_dsf)),
        slashing_factor,
    )


@internal
@pure
def _scale_for_queue_withdrawal(
    stored_dsf: uint256, deposit_shares: uint256
) -> uint256:
    """
    @dev mulWad(depositShares, dsf): a withdrawal's scaled shares.
    @param stored_dsf The stored deposit scaling factor (0: WAD).
    @param deposit_shares The deposit shares queued.
    @return uint256 The scaled shares.
    """
    return self._mul_wad(deposit_shares, self._scaling_factor(stored_dsf))


@internal
@pure
def _scale_for_complete_withdrawal(
    scaled_shares: uint256, slashing_factor: uint256
) -> uint256:
    """
    @dev mulWad(scaledShares, slashingFactor): the shares a withdrawal pays.
    @param scaled_shares The withdrawal's scaled shares.
    @param slashing_factor The slashing factor at completion.
    @return uint256 The shares.
    """
    return self._mul_wad(scaled_shares, slashing_factor)


@internal
@pure
def _updated_scaling_factor(
    stored_dsf: uint256,
    prev_deposit_shares: uint256,
    added_shares: uint256,
    slashing_factor: uint256,
) -> uint256:
    """
    @dev The deposit scaling factor after a deposit (SlashingLib.update):
         with no previous deposit shares, divWad(dsf, slashingFactor);
         else divWad(divWad(withdrawable + added, prev + added),
         slashingFactor), which must not be 0
         (`InvalidDepositScalingFactor()`). The caller checks that
         `slashing_factor` is non-zero.
    @param stored_dsf The stored deposit scaling factor (0: WAD).
    @param prev_deposit_shares The deposit shares before the deposit.
    @param added_shares The shares added.
    @param slashing_factor The staker's current slashing factor.
    @return uint256 The new factor, to store.
    """
    if prev_deposit_shares == 0:
        return self._div_wad(self._scaling_factor(stored_dsf), slashing_factor)
    current_shares: uint256 = self._calc_withdrawable(
        stored_dsf, prev_deposit_shares, slashing_factor
    )
    new_dsf: uint256 = self._div_wad(
        self._div_wad(
            current_shares + added_shares, prev_deposit_shares + added_shares
        ),
        slashing_factor,
    )
    if new_dsf == 0:
        raw_revert(
            method_id("InvalidDepositScalingFactor()", output_type=Bytes[4])
        )
    return new_dsf


@internal
@pure
def _calc_slashed_amount(
    operator_shares: uint256,
    prev_max_magnitude: uint256,
    new_max_magnitude: uint256,
) -> uint256:
    """
    @dev operatorShares - ceil(operatorShares * new / prev)
         (calcSlashedAmount; `prev_max_magnitude` must be non-zero).
    @param operator_shares The shares to slash from.
    @param prev_max_magnitude The operator's max magnitude before the slash.
    @param new_max_magnitude The operator's max magnitude after the slash.
    @return uint256 The shares slashed.
    """
    return operator_shares - math._mul_div(
        operator_shares, new_max_magnitude, prev_max_magnitude, True
    )
