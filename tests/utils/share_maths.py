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


def slashed(shares: int, prev: int, new: int) -> int:
    """Shares a magnitude cut from `prev` to `new` takes (rounded up)."""
    return shares - -(-shares * new // prev)


__all__ = ["WAD", "ceil_div", "div_wad", "mul_wad", "scaling", "slashed", "updated_dsf", "withdrawable"]
