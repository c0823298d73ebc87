"""EigenLayer's SlashingLib share maths in Python, with its rounding (`mulWad`/`divWad` floor, a slash rounds
up what is taken): the expected figures of the DelegationManager model test and the restaked-life machine."""

from __future__ import annotations

WAD = 10**18


def mul_wad(x: int, y: int) -> int:
    return x * y // WAD


def div_wad(x: int, y: int) -> int:
    return x * WAD // y


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def scaling(dsf: int) -> int:
    """A stored deposit scaling factor as it applies (0: WAD)."""
    return dsf or WAD


def withdrawable(deposit: int, dsf: int, factor: int) -> int:
    """Withdrawable shares: deposit shares x scaling factor x slashing factor, each step floored."""
    return mul_wad(mul_wad(deposit, scaling(dsf)), factor)


def updated_dsf(dsf: int, prev: int, added: int, factor: int) -> int:
    """The deposit scaling factor after `added` shares join `prev` deposit shares under `factor`."""
    if prev == 0:
        return div_wad(scaling(dsf), factor)
    return div_wad(div_wad(withdrawable(prev, dsf, factor) + added, prev + added), factor)


def lowered_bcsf(bcsf: int, prev_restaked: int, loss: int) -> int:
    """The beacon-chain slashing factor after a checkpoint proves `loss` of `prev_restaked` (wei): it scales
    by the restaked balance left (EigenPodManager, OZ mulDiv floored); the deposit shares stay."""
    return bcsf * (prev_restaked - loss) // prev_restaked


def delegated_loss(deposit: int, dsf: int, magnitude: int, prev_bcsf: int, new_bcsf: int) -> int:
    """The operator shares a delegated staker's beacon-chain loss takes: deposit x dsf x (max magnitude x
    the factor's decrease), each step floored (DelegationManager `decreaseDelegatedShares`)."""
    return withdrawable(deposit, dsf, mul_wad(magnitude, prev_bcsf - new_bcsf))


def slashed(shares: int, prev: int, new: int) -> int:
    """Shares a magnitude cut from `prev` to `new` takes (rounded up)."""
    return shares - -(-shares * new // prev)


__all__ = [
    "WAD",
    "ceil_div",
    "delegated_loss",
    "div_wad",
    "lowered_bcsf",
    "mul_wad",
    "scaling",
    "slashed",
    "updated_dsf",
    "withdrawable",
]
