# pragma version ~=0.4.3
"""
@title split_lib
@custom:contract-name split_lib
@license MIT
@notice Parameter rules of `Split`s, shared by `Split` (which enforces them
        when initialized) and `SplitFactory` (which predicts addresses).
@dev Stateless module: import it and call its internal functions directly.
"""

# at most 10 % of a distribution goes to its caller
MAX_DISTRIBUTION_INCENTIVE_BPS: constant(uint256) = 1_000
# keeps `amount * allocation` far from overflowing
MAX_TOTAL_ALLOCATION: constant(uint256) = 2**128 - 1


@internal
@pure
def _validate(
    recipients: DynArray[address, 16],
    allocations: DynArray[uint256, 16],
    distribution_incentive_bps: uint256,
) -> uint256:
    """
    @dev Reverts unless the parameters make a valid split; returns the total allocation.
    @param recipients The recipients (non-empty, no zero address).
    @param allocations Their allocations (same length, each > 0).
    @param distribution_incentive_bps The caller's share of a distribution, at most 1000 bps.
    @return uint256 The sum of the allocations.
    """
    assert len(recipients) > 0, "split: no recipients"
    assert len(recipients) == len(allocations), "split: length mismatch"
    assert (
        distribution_incentive_bps <= MAX_DISTRIBUTION_INCENTIVE_BPS
    ), "split: incentive too high"
    total: uint256 = 0
    for i: uint256 in range(len(recipients), bound=16):
        assert recipients[i] != empty(address), "split: zero address recipient"
        assert allocations[i] > 0, "split: zero allocation"
        assert (
            allocations[i] <= MAX_TOTAL_ALLOCATION - total
        ), "split: allocations too large"
        total += allocations[i]
    return total


@internal
@pure
def _create2_salt(
    recipients: DynArray[address, 16],
    allocations: DynArray[uint256, 16],
    distribution_incentive_bps: uint256,
    salt: bytes32,
) -> bytes32:
    """
    @dev The CREATE2 salt of a split: it commits to all of its parameters.
    @param recipients The recipients.
    @param allocations Their allocations.
    @param distribution_incentive_bps The caller's share in bps.
    @param salt The user-chosen salt.
    @return bytes32 keccak256(abi_encode(recipients, allocations, distribution_incentive_bps, salt)).
    """
    return keccak256(
        abi_encode(recipients, allocations, distribution_incentive_bps, salt)
    )
