"""Fixtures for the deployment tests: a local anvil node on a free loopback port, and its funded accounts.

The node is started once per test module that asks for it and stopped afterwards. Tests that need it are
skipped, with the reason, only when the anvil binary is absent (`bash deploy/bootstrap.sh` installs it).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boa
import pytest
from boa.rpc import EthereumRPC
from eth_account import Account

# found where deploy/bootstrap.sh installs it, as `deploy --dry-run --anvil-fork` finds it
from deploy.network import cli
from deploy.network.rehearsal import find_anvil, free_port, stop

ROOT = Path(__file__).resolve().parents[2]
ANVIL = find_anvil()
# anvil's default, publicly known test mnemonic (its accounts hold 10 000 test ETH each on a fresh node)
MNEMONIC = "test test test test test test test test test test test junk"
N_ACCOUNTS = 10

Account.enable_unaudited_hdwallet_features()


@dataclass
class Node:
    """A running anvil node."""

    url: str
    process: subprocess.Popen
    accounts: list  # eth_account LocalAccounts, funded

    @property
    def deployer(self):
        """Account 0 deploys and owns the suite."""
        return self.accounts[0]

    def cli_env(self) -> dict:
        """Environment for `python -m deploy.network` signing with the deployer's key."""
        return {**os.environ, "BYZANTINE_DEPLOYER_KEY": self.deployer.key.hex(), "PYTHONPATH": str(ROOT)}

    def rpc(self, method: str, *params) -> int:
        """An integer JSON-RPC answer (`eth_blockNumber`, `eth_getTransactionCount` ...)."""
        return int(EthereumRPC(self.url).fetch(method, list(params)), 16)

    def sent_by(self, address: str) -> int:
        """Transactions `address` has sent (its nonce)."""
        return self.rpc("eth_getTransactionCount", address, "latest")


def wait_until_ready(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Poll `eth_chainId` until the node answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"anvil exited with status {process.returncode}")
        try:
            EthereumRPC(url).fetch("eth_chainId", [])
            return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"anvil did not answer on {url} within {timeout} s")


@contextlib.contextmanager
def running_anvil(*extra: str) -> Iterator[Node]:
    """A fresh anvil node on 127.0.0.1 with `extra` options (e.g. `--chain-id 1`), stopped on exit."""
    if ANVIL is None:
        pytest.skip("no anvil on PATH or under .tools/; run `bash deploy/bootstrap.sh`")
    port = free_port()
    cmd = [
        str(ANVIL),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--accounts",
        str(N_ACCOUNTS),
        "--mnemonic",
        MNEMONIC,
        "--silent",
        *extra,
    ]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(url, process)
        accounts = [
            Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in range(N_ACCOUNTS)
        ]
        yield Node(url, process, accounts)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def anvil():
    """A fresh anvil node on 127.0.0.1 (stopped at the end of the module)."""
    with running_anvil() as node:
        yield node


@pytest.fixture
def restore_env():
    """Give the test titanoboa's current environment back afterwards (tests switch to network envs)."""
    env = boa.env
    yield
    boa.set_env(env)


def verify_checks(capsys, *argv: str) -> tuple[int, list[str]]:
    """`deploy.network verify argv -v` (every check): the status and the report's checks, one string each
    (a detail too long for 100 columns continues on indented lines)."""
    status = cli.main(["verify", *argv, "-v"])
    checks: list[str] = []
    for line in capsys.readouterr().out.splitlines():
        if line.startswith(" " * 10) and checks:
            checks[-1] += " " + line.strip()
        else:
            checks.append(line)
    return status, checks
