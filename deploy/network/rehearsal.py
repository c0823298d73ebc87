"""`deploy --dry-run --anvil-fork`: the whole deployment rehearsed on a local anvil that forks the network.

The plain `--dry-run` plays the remaining transactions in titanoboa's in-process fork of the network (gas
estimates, nothing sent). `--anvil-fork` goes further: it starts anvil with `--fork-url` at the network's URL
(the one `--network` resolves: mainnet's comes from $MAINNET_RPC_URL), sends every transaction to that
local fork as the deployer, whom anvil impersonates (no key is used: nothing is signed), writes the manifest
in a temporary folder, runs `verify` against the fork, and stops it. The network itself only answers reads
(the fork fetches its state): nothing is signed or sent to it, and no manifest of it is written. A partial
deployment recorded in `<manifest-dir>/<chain-id>.json` is copied to the fork's folder, so the rehearsal
plays what is left of it.

anvil runs with `--accounts 0` (its test accounts would otherwise get 10 000 ETH on the fork, the deployer's
balance with them: the rehearsal shows the network's real balances) and `--no-storage-caching` (its
on-disk fork cache is keyed by chain id and block number: a local chain that calls itself mainnet would
otherwise write entries a later fork of the real mainnet reads).

Only the standard library is imported at module level: tests/deploy finds anvil through `find_anvil`.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# where deploy/bootstrap.sh installs anvil from npm when none is on PATH
NPM_ANVIL = ROOT / ".tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
FLAG = "--anvil-fork"
START_TIMEOUT = 60.0  # seconds: anvil fetches the fork block from the network before it answers


def find_anvil() -> Path | None:
    """The anvil binary, found as deploy/bootstrap.sh finds it: an `anvil` on PATH first, else the npm
    copy under .tools/ (None if neither)."""
    on_path = shutil.which("anvil")
    if on_path:
        return Path(on_path)
    return NPM_ANVIL if NPM_ANVIL.exists() else None


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def anvil_failure(log: str) -> str:
    """anvil's own reason for exiting, in one line: its `Error:` line and the innermost cause it lists
    (`failed to get fork block number: Connection refused (os error 111)`)."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    error = next((line.removeprefix("Error:").strip() for line in lines if line.startswith("Error:")), "")
    causes = [line.split(":", 1)[1].strip() for line in lines if line.startswith("- Error #")]
    parts = [p for p in (error, causes[-1] if causes else "") if p]
    return ": ".join(parts) or (lines[-1] if lines else "no message")


@dataclass(frozen=True)
class Fork:
    """A running anvil fork of a network: `network` is the fork itself (its URL is local, its name says
    which network it forks), `forked` the network, `manifest_dir` the fork's own manifest folder."""

    network: Any  # boa_env.Network
    forked: Any  # boa_env.Network
    chain_id: int
    manifest_dir: Path

    @property
    def url(self) -> str:
        return self.network.url

    def impersonate(self, address: str):
        """The deployer as an account the fork sends for without a key (`anvil_impersonateAccount`:
        titanoboa then sends with `eth_sendTransaction`, which only the fork accepts)."""
        from boa.network import ExternalAccount
        from boa.rpc import EthereumRPC

        rpc = EthereumRPC(self.url)
        rpc.fetch("anvil_impersonateAccount", [address])
        return ExternalAccount(address, rpc)


def stop(process: subprocess.Popen) -> None:
    """Terminate a node process, killing it if it has not exited within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_ready(url: str, process: subprocess.Popen, log: Path, network: Any) -> None:
    """Poll the fork until it answers; DeployError (anvil's reason, redacted) if anvil exits first."""
    import boa_env
    from deploy.network.chain import DeployError

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            reason = boa_env.redact(anvil_failure(log.read_text(errors="replace")), network.url)
            raise DeployError(f"anvil could not fork {network.name} ({network.endpoint}): {reason}")
        try:
            boa_env.chain_id_of(url)
            return
        except boa_env.NetworkError:
            time.sleep(0.2)
    raise DeployError(
        f"anvil did not answer within {START_TIMEOUT:.0f} s while forking {network.name} ({network.endpoint})"
    )


@contextlib.contextmanager
def anvil_fork(target: str, manifest_dir: Path, out: Callable | None = None) -> Iterator[Fork]:
    """A local anvil forking `target` (a networks.toml name or a URL), stopped on exit.

    DeployError (one line, nothing started or sent) when the network has no URL, does not answer, or
    reports another chain id than networks.toml pins; when no anvil is installed; when anvil cannot fork
    the network; or when the fork reports another chain id than the network."""
    import boa_env
    from deploy.network.chain import DeployError, connect

    network, chain_id = connect(target)
    anvil = find_anvil()
    if anvil is None:
        raise DeployError(
            f"{FLAG} needs anvil: none on PATH or under .tools/ (run `bash deploy/bootstrap.sh`, or install "
            "foundry); the plain --dry-run simulates without it"
        )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    fork_options = ["--fork-url", network.url, "--accounts", "0", "--no-storage-caching"]
    cmd = [str(anvil), "--host", "127.0.0.1", "--port", str(port), *fork_options, "--silent"]
    with tempfile.TemporaryDirectory(prefix="anvil-fork-") as folder:
        folder = Path(folder)
        log = folder / "anvil.log"
        with log.open("w") as sink:
            process = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT)
        try:
            if out is not None:
                out(f"starting anvil at {url}, forking {network.name} ({network.endpoint}) …")
            wait_until_ready(url, process, log, network)
            forked_id = boa_env.chain_id_of(url)
            if forked_id != chain_id:
                raise DeployError(f"anvil's fork reports chain id {forked_id}, the network {chain_id}")
            manifests = folder / "deployments"
            manifests.mkdir()
            recorded = Path(manifest_dir) / f"{chain_id}.json"
            if recorded.is_file():  # a partial deployment: the rehearsal plays what is left of it
                shutil.copy(recorded, manifests / recorded.name)
            name = f"anvil fork of {network.name}"
            yield Fork(boa_env.Network(name, url, chain_id), network, chain_id, manifests)
        finally:
            stop(process)
