"""Network selection and test accounts for titanoboa.

`use_network` is the one way to choose where contracts run:

    use_network("local")                     # titanoboa's in-process EVM (the default)
    use_network("sepolia")                   # a network named in networks.toml (URL from an env variable)
    use_network("http://127.0.0.1:8545")     # any JSON-RPC endpoint
    use_network("sepolia", fork=True)        # a local fork of it: simulate, nothing is sent

On a real network the sender is `account` if given, else the key in BYZANTINE_DEPLOYER_KEY if set (never
printed); without either the environment is read-only. Errors raise `NetworkError` with a one-line message
that never contains the URL's path or query (API keys live there).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boa
from boa.network import NetworkEnv
from boa.rpc import EthereumRPC
from eth_account import Account

LOCAL = "local"
KEY_ENV_VAR = "BYZANTINE_DEPLOYER_KEY"
NETWORKS_FILE = Path(__file__).resolve().parent / "networks.toml"
URL_SCHEMES = ("http", "https", "ws", "wss")

_network = LOCAL
_in_process = True


class NetworkError(Exception):
    """A network cannot be selected; the message is one line and safe to print."""


@dataclass(frozen=True)
class Network:
    """A resolved target: its name (or public endpoint), URL and, if known, the chain id it must have."""

    name: str
    url: str
    chain_id: int | None = None

    @property
    def endpoint(self) -> str:
        """The URL without credentials, path or query."""
        return public_endpoint(self.url)


def public_endpoint(url: str) -> str:
    """`scheme://host[:port]` of `url`: no credentials, path or query (these often carry API keys)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")


def redact(text: str, url: str) -> str:
    """`text` with `url`, its path and its query replaced by the public endpoint or `…`."""
    parts = urlsplit(url)
    text = text.replace(url, public_endpoint(url))
    for secret in (parts.query, parts.path if parts.path not in ("", "/") else "", parts.password or ""):
        if secret:
            text = text.replace(secret, "…")
    return text


def check_url(url: str) -> str:
    """`url` if it is an http(s)/ws(s) URL with a host; NetworkError otherwise (without echoing it)."""
    try:
        parts = urlsplit(url)
        ok = parts.scheme in URL_SCHEMES and bool(parts.hostname) and (parts.port is None or parts.port > 0)
    except ValueError:  # a port that is not a number
        ok = False
    if not ok:
        scheme = url.split(":", 1)[0] if ":" in url else ""
        raise NetworkError(
            f"not a usable RPC URL (scheme {scheme!r}): expected http(s):// or ws(s):// with a host name"
        )
    return url


def networks(path: Path | None = None) -> dict[str, dict]:
    """The `[networks.<name>]` tables of networks.toml (or of `path`)."""
    path = path or NETWORKS_FILE
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text()).get("networks", {})
    except tomllib.TOMLDecodeError as exc:
        raise NetworkError(f"{path.name} is not valid TOML: {exc}") from None


def resolve(target: str, path: Path | None = None) -> Network:
    """A network name from networks.toml (its URL read from the named environment variable) or a URL."""
    if "://" in target:
        return Network(public_endpoint(check_url(target)), target)
    path = path or NETWORKS_FILE
    table = networks(path)
    if target not in table:
        known = ", ".join(sorted(table)) or "none"
        raise NetworkError(f"unknown network {target!r}: give a URL or a name from {path.name} ({known})")
    entry = table[target]
    url = entry.get("url")
    if "url_env" in entry:
        url = os.environ.get(entry["url_env"])
        if not url:
            raise NetworkError(
                f"network {target!r} reads its RPC URL from ${entry['url_env']}, which is not set"
            )
    if not url:
        raise NetworkError(f"network {target!r} in {path.name} has neither url nor url_env")
    chain_id = entry.get("chain_id")
    return Network(target, check_url(url), int(chain_id) if chain_id is not None else None)


def connection_problem(exc: BaseException, url: str) -> str:
    """Why a JSON-RPC request to `url` failed, in words (`connection refused at 127.0.0.1:8545`), never
    the URL's path or query."""
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or (443 if parts.scheme in ('https', 'wss') else 80)}"
    chain, seen = [], exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__ or (seen.args[0] if seen.args else None)
        seen = seen if isinstance(seen, BaseException) else None
    text = " ".join(f"{type(e).__name__} {e}" for e in chain)
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status is not None:
        return f"{where} answered HTTP {status} (not a JSON-RPC endpoint, or a wrong path)"
    if "ConnectionRefused" in text or "Errno 111" in text or "Connection refused" in text:
        return f"connection refused at {where} (is the node running?)"
    if "NameResolution" in text or "Name or service not known" in text or "gaierror" in text:
        return f"cannot resolve the host name {parts.hostname}"
    if "Timeout" in text or "timed out" in text:
        return f"no answer from {where} in time"
    if isinstance(exc, ValueError):
        return f"{where} did not answer with JSON-RPC"
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return redact(first, url)[:120]


def chain_id_of(url: str) -> int:
    """`eth_chainId` of the node at `url` (NetworkError, one line in words, if it does not answer)."""
    try:
        return int(EthereumRPC(url).fetch("eth_chainId", []), 16)
    except Exception as exc:
        raise NetworkError(f"no answer from {public_endpoint(url)}: {connection_problem(exc, url)}") from None


class UncachedNetworkEnv(NetworkEnv):
    """titanoboa's network environment without its on-disk fork cache.

    Before each transaction titanoboa simulates it on a local fork of the chain, caching the node's answers
    in ~/.cache/titanoboa/fork keyed by chain id and block number. Development chains (anvil, chain id
    31337) restart with the same id and block numbers but another history, so that cache would serve
    another chain's state. An in-memory cache per process is used instead.
    """

    def _reset_fork(self, block_identifier="latest"):
        self.fork_rpc(self._rpc, reset_traces=False, block_identifier=block_identifier, cache_dir=None)


def use_network(
    target: str = LOCAL,
    *,
    account: Any = None,
    fork: bool = False,
    key_env_var: str = KEY_ENV_VAR,
) -> str | None:
    """Select titanoboa's in-process EVM, a named network, a JSON-RPC URL, or a local fork of one.

    Returns the default sender's address (None on a read-only network). A named network's chain id is
    checked against networks.toml's `chain_id`.
    """
    global _network, _in_process
    if target == LOCAL:
        boa.set_env(boa.Env())
        _network, _in_process = LOCAL, True
        return str(boa.env.eoa)
    net = resolve(target)
    actual = chain_id_of(net.url)
    if net.chain_id is not None and actual != net.chain_id:
        raise NetworkError(
            f"{net.name} ({net.endpoint}) has chain id {actual}, networks.toml expects {net.chain_id}"
        )
    if account is None and os.environ.get(key_env_var):
        account = account_from_key(os.environ[key_env_var], key_env_var)
    if fork:
        # cache_dir=None: see UncachedNetworkEnv
        boa.fork(net.url, block_identifier="latest", allow_dirty=True, cache_dir=None)
        if account is not None:
            boa.env.eoa = account.address
    else:
        boa.set_env(UncachedNetworkEnv(EthereumRPC(net.url)))
        if account is not None:
            boa.env.add_account(account, force_eoa=True)
    _network, _in_process = (f"fork of {net.name}", True) if fork else (net.name, False)
    return None if account is None else account.address


def account_from_key(key: str, source: str = KEY_ENV_VAR):
    """An eth_account account from a hex private key; the error never shows the key."""
    try:
        return Account.from_key(key)
    except Exception:
        raise NetworkError(f"{source} is not a valid private key (32 bytes of hex)") from None


def is_local() -> bool:
    """True when the EVM runs in this process (the local EVM or a fork): balances can be set."""
    return _in_process


def current() -> str:
    """The selected network: "local", a name or public endpoint, or "fork of <name>"."""
    return _network


def fund(address, wei: int) -> None:
    """Set an account's balance (in-process EVM or fork only)."""
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
