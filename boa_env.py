"""Network selection and test accounts for titanoboa.

`use_network("local")` (the default) runs everything on titanoboa's in-process EVM; any other target is a
JSON-RPC URL, signed for by an account whose private key comes from the environment (never printed).
"""

from __future__ import annotations

import os

import boa
from eth_account import Account

LOCAL = "local"
KEY_ENV_VAR = "BYZANTINE_DEPLOYER_KEY"

_network = LOCAL


def use_network(target: str = LOCAL, key_env_var: str = KEY_ENV_VAR) -> str:
    """Select titanoboa's in-process EVM (`"local"`) or a JSON-RPC endpoint URL.

    For a URL, the deployer account is read from the environment variable `key_env_var` (a hex private
    key) and becomes the default sender. Returns the sender's address.
    """
    global _network
    if target == LOCAL:
        boa.set_env(boa.Env())
        _network = LOCAL
        return str(boa.env.eoa)
    key = os.environ.get(key_env_var)
    if not key:
        raise RuntimeError(f"set {key_env_var} to the deployer's private key to use {target}")
    boa.set_network_env(target)
    account = Account.from_key(key)
    boa.env.add_account(account, force_eoa=True)
    _network = target
    return account.address


def is_local() -> bool:
    """True when the in-process EVM is selected."""
    return _network == LOCAL


def fund(address, wei: int) -> None:
    """Set an account's balance (in-process EVM only)."""
    _require_local("fund")
    boa.env.set_balance(str(address), wei)


def new_accounts(n: int, wei: int = 0) -> list[str]:
    """Create `n` fresh addresses, each funded with `wei` (in-process EVM only)."""
    _require_local("new_accounts")
    accounts = [boa.env.generate_address() for _ in range(n)]
    for account in accounts:
        boa.env.set_balance(account, wei)
    return accounts


def _require_local(what: str) -> None:
    if not is_local():
        raise RuntimeError(f"{what}() only works on the in-process EVM")
