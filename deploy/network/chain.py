"""Read-only JSON-RPC access, the deployer's key, and the one exception every deployment error becomes."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Any

import rlp
from boa.rpc import EthereumRPC
from eth_abi import decode
from eth_account import Account
from eth_utils import function_signature_to_4byte_selector, keccak

import boa_env
from boa_env import KEY_ENV_VAR, NetworkError, account_from_key

PASSWORD_ENV_VAR = "BYZANTINE_KEYSTORE_PASSWORD"


class DeployError(Exception):
    """A deployment was refused or cannot continue; the message (one line) says why and what to do."""


def load_account(keystore: str | None = None):
    """The deployer account: from `keystore` (encrypted JSON) or from the environment variable.

    Error messages never contain key material.
    """
    if keystore:
        try:
            encrypted = json.loads(Path(keystore).read_text())
        except (OSError, ValueError) as exc:
            raise DeployError(f"cannot read keystore {keystore}: {type(exc).__name__}") from None
        password = os.environ.get(PASSWORD_ENV_VAR)
        if password is None:
            password = getpass.getpass(f"password for {keystore}: ")
        try:
            return Account.from_key(Account.decrypt(encrypted, password))
        except Exception:
            raise DeployError(f"cannot decrypt keystore {keystore} (wrong password?)") from None
    key = os.environ.get(KEY_ENV_VAR)
    if not key:
        raise DeployError(
            f"no deployer key: set {KEY_ENV_VAR} or pass --keystore FILE (--dry-run may use --from ADDRESS)"
        )
    try:
        return account_from_key(key)
    except NetworkError as exc:
        raise DeployError(str(exc)) from None


def connect(target: str | boa_env.Network) -> tuple[boa_env.Network, int]:
    """Resolve `target` (a networks.toml name, a URL, or a network already resolved) and ask its node for
    the chain id, which must be the one networks.toml pins for that name: `deploy` and `verify` both start
    here."""
    try:
        network = target if isinstance(target, boa_env.Network) else boa_env.resolve(target)
        chain_id = boa_env.chain_id_of(network.url)
    except NetworkError as exc:
        raise DeployError(str(exc)) from None
    if network.chain_id is not None and chain_id != network.chain_id:
        raise DeployError(
            f"{network.name} ({network.endpoint}) has chain id {chain_id}; networks.toml expects "
            f"{network.chain_id}: the URL points at another chain"
        )
    return network, chain_id


def raw_transaction_nonce(raw: bytes) -> int:
    """The nonce of a signed transaction: a typed one (EIP-2718: type byte, then chain id, nonce, ...) or a
    legacy one (nonce first)."""
    fields = rlp.decode(raw[1:]) if raw[0] < 0x80 else rlp.decode(raw)
    return int.from_bytes(fields[1] if raw[0] < 0x80 else fields[0], "big")


class Chain:
    """Read-only JSON-RPC access, independent of titanoboa's environment."""

    def __init__(self, url: str):
        self.url = url
        self.rpc = EthereumRPC(url)

    def _int(self, method: str, params: list) -> int:
        return int(self.rpc.fetch(method, params), 16)

    def chain_id(self) -> int:
        """`eth_chainId`."""
        return self._int("eth_chainId", [])

    def balance(self, address: str) -> int:
        """Balance in wei (latest block)."""
        return self._int("eth_getBalance", [address, "latest"])

    def nonce(self, address: str) -> int:
        """Transactions sent by `address` (latest block)."""
        return self._int("eth_getTransactionCount", [address, "latest"])

    def gas_price(self) -> int:
        """`eth_gasPrice`: the node's current gas price in wei."""
        return self._int("eth_gasPrice", [])

    def code(self, address: str) -> bytes:
        """Runtime code at `address` (latest block)."""
        return bytes.fromhex(self.rpc.fetch("eth_getCode", [address, "latest"])[2:])

    def storage(self, address: str, slot: int) -> bytes:
        """The word at storage `slot` of `address`, leading zero bytes stripped (latest block)."""
        word = self.rpc.fetch("eth_getStorageAt", [address, hex(slot), "latest"])
        return bytes.fromhex(word[2:].rjust(64, "0")).lstrip(b"\0")

    def code_hash(self, address: str) -> str:
        """keccak256 of the runtime code, 0x-hex (the hash of empty code when there is none)."""
        return "0x" + keccak(self.code(address)).hex()

    def view(self, address: str, name: str, returns: str) -> Any:
        """Call the argument-less view `name()` and decode one value of ABI type `returns`
        (a tuple type such as `(uint256,uint256)` for a struct)."""
        data = "0x" + function_signature_to_4byte_selector(f"{name}()").hex()
        out = self.rpc.fetch("eth_call", [{"to": address, "data": data}, "latest"])
        return decode([returns], bytes.fromhex(out[2:]))[0]

    def block_timestamp(self, number: int) -> int:
        """The timestamp of block `number`."""
        return int(self.rpc.fetch("eth_getBlockByNumber", [hex(number), False])["timestamp"], 16)

    def receipt(self, tx_hash: str) -> dict | None:
        """`eth_getTransactionReceipt` (None while the transaction is not mined)."""
        return self.rpc.fetch("eth_getTransactionReceipt", [tx_hash])

    def transaction(self, tx_hash: str) -> dict | None:
        """`eth_getTransactionByHash` (None if the node does not know the transaction)."""
        return self.rpc.fetch("eth_getTransactionByHash", [tx_hash])
