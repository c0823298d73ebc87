"""Role-named, funded accounts on titanoboa's current environment.

    from tests.utils.actors import actor, actors
    operator = actor("operator")             # label "operator", 10 000 ETH
    stakers = actors("staker", 4)            # "staker0" .. "staker3", 1 000 ETH each

Roles: owner, operator, staker, non_owner (anyone without a role: the caller an access check must refuse).
The label shows up in titanoboa's traces; the funds are each role's default unless `wei` is given.
"""

from __future__ import annotations

import boa

from tests.utils.constants import ETH

FUNDS = {
    "owner": 100 * ETH,
    "operator": 10_000 * ETH,
    "staker": 1_000 * ETH,
    "non_owner": 100 * ETH,
}


def actor(role: str, wei: int | None = None, label: str | None = None) -> str:
    """A fresh address labelled `label` (default: `role`), funded with `wei` (default: the role's funds)."""
    if wei is None and role not in FUNDS:
        raise ValueError(f"unknown role {role!r}: one of {sorted(FUNDS)}, or pass wei=")
    address = boa.env.generate_address(label or role)
    boa.env.set_balance(address, FUNDS[role] if wei is None else wei)
    return str(address)


def actors(role: str, n: int, wei: int | None = None) -> list[str]:
    """`n` fresh addresses of `role`, labelled `role0` .. `role{n-1}`."""
    return [actor(role, wei, f"{role}{i}") for i in range(n)]


__all__ = ["FUNDS", "actor", "actors"]
