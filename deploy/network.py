"""Deploy the suite to a JSON-RPC network, with a resumable manifest, and verify a deployment on chain.

    python -m deploy.network deploy --rpc URL [--keystore FILE] [--fork] [--force]
                                    [--manifest-dir deployments] [--set KEY=VALUE ...]
    python -m deploy.network verify --rpc URL [--manifest FILE | --manifest-dir deployments]

`deploy` runs the same plan as `deploy_protocol` (deploy/protocol.py), one transaction per step, signing
with the key in the environment variable BYZANTINE_DEPLOYER_KEY or with an encrypted keystore (password
from BYZANTINE_KEYSTORE_PASSWORD, or prompted). The key is never printed or written anywhere. After every
transaction it writes `<manifest-dir>/<chain-id>.json`: addresses, constructor arguments, transaction
hashes, block numbers, gas, runtime code hashes, compiler version, owner and configuration. An interrupted
run resumes from that manifest; a chain that already has a complete deployment is refused unless --force
(the old manifest is then kept as `<chain-id>.<time>.json`). With --fork, a dry run on a local fork of the
network (titanoboa's `boa.fork`) comes first and prints the gas each transaction will use.

`verify` reads a manifest and checks on chain that every contract's runtime code hash and the wiring
(who points at whom, owners, configuration) match; it exits with status 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boa
import vyper
from boa.network import NetworkEnv
from boa.rpc import EthereumRPC
from eth_abi import decode
from eth_account import Account
from eth_utils import function_signature_to_4byte_selector, keccak
from vyper.evm.opcodes import DEFAULT_EVM_VERSION

from deploy.gas import measure, measure_deploy
from deploy.protocol import (
    CONTRACTS,
    DEFAULT_CONFIG,
    PLAN,
    ROOT,
    SOURCES,
    Step,
    check_config,
    deployer_for,
    run_plan,
)
from deploy.tables import format_table

KEY_ENV_VAR = "BYZANTINE_DEPLOYER_KEY"
PASSWORD_ENV_VAR = "BYZANTINE_KEYSTORE_PASSWORD"
MANIFEST_VERSION = 1

# (role, view, expected): expected is "@role" (that contract's address), "$key" (a configuration value),
# "owner" (the manifest's owner) or a literal.
WIRING: tuple[tuple[str, str, Any], ...] = (
    ("auction", "escrow", "@escrow"),
    ("auction", "manager", "@manager"),
    ("auction", "owner", "owner"),
    ("auction", "paused", False),
    ("auction", "cluster_size", "$cluster_size"),
    ("auction", "expected_daily_return", "$expected_daily_return"),
    ("auction", "max_discount_rate", "$max_discount_rate"),
    ("auction", "min_duration", "$min_duration"),
    ("auction", "max_duration", "$max_duration"),
    ("escrow", "auction", "@auction"),
    ("escrow", "staker_rewards", "@staker_rewards"),
    ("staker_rewards", "AUCTION", "@auction"),
    ("staker_rewards", "ESCROW", "@escrow"),
    ("staker_rewards", "manager", "@manager"),
    ("staker_rewards", "byz_nft", "@byz_nft"),
    ("staker_rewards", "owner", "owner"),
    ("manager", "auction", "@auction"),
    ("manager", "staker_rewards", "@staker_rewards"),
    ("manager", "byz_nft", "@byz_nft"),
    ("manager", "strategy_module_implementation", "@strategy_module_implementation"),
    ("manager", "eigen_pod_manager", "@eigen_pod_manager"),
    ("manager", "delegation_manager", "@delegation_manager"),
    ("manager", "split_factory", "@split_factory"),
    ("manager", "owner", "owner"),
    ("byz_nft", "manager", "@manager"),
    ("byz_nft", "owner", "owner"),
    ("eigen_pod_manager", "deposit_contract", "@deposit_contract"),
    ("eigen_pod_manager", "eigen_pod_implementation", "@eigen_pod_implementation"),
    ("split_factory", "split_implementation", "@split_implementation"),
)


class DeployError(Exception):
    """A deployment was refused or cannot continue; the message says why and what to do."""


# ------------------------------------------------------------ keys


def load_account(keystore: str | None = None):
    """The deployer account: from `keystore` (encrypted JSON) or from the environment variable.

    Error messages never contain key material.
    """
    if keystore:
        try:
            encrypted = json.loads(Path(keystore).read_text())
        except (OSError, ValueError) as exc:
            raise DeployError(f"cannot read keystore {keystore}: {exc}") from None
        password = os.environ.get(PASSWORD_ENV_VAR)
        if password is None:
            password = getpass.getpass(f"password for {keystore}: ")
        try:
            return Account.from_key(Account.decrypt(encrypted, password))
        except Exception:
            raise DeployError(f"cannot decrypt keystore {keystore} (wrong password?)") from None
    key = os.environ.get(KEY_ENV_VAR)
    if not key:
        raise DeployError(f"no deployer key: set {KEY_ENV_VAR} or pass --keystore FILE")
    try:
        return Account.from_key(key)
    except Exception:
        raise DeployError(f"{KEY_ENV_VAR} is not a valid private key") from None


# ------------------------------------------------------------ chain access (read-only, plain JSON-RPC)


class Chain:
    """Read-only JSON-RPC access, independent of titanoboa's environment."""

    def __init__(self, url: str):
        self.rpc = EthereumRPC(url)

    def chain_id(self) -> int:
        """`eth_chainId`."""
        return int(self.rpc.fetch("eth_chainId", []), 16)

    def code(self, address: str) -> bytes:
        """Runtime code at `address` (latest block)."""
        return bytes.fromhex(self.rpc.fetch("eth_getCode", [address, "latest"])[2:])

    def code_hash(self, address: str) -> str:
        """keccak256 of the runtime code, 0x-hex (the hash of empty code when there is none)."""
        return "0x" + keccak(self.code(address)).hex()

    def view(self, address: str, name: str, returns: str) -> Any:
        """Call the argument-less view `name()` and decode one value of ABI type `returns`."""
        data = "0x" + function_signature_to_4byte_selector(f"{name}()").hex()
        out = self.rpc.fetch("eth_call", [{"to": address, "data": data}, "latest"])
        return decode([returns], bytes.fromhex(out[2:]))[0]

    def receipt(self, tx_hash: str) -> dict:
        """`eth_getTransactionReceipt`."""
        return self.rpc.fetch("eth_getTransactionReceipt", [tx_hash])


def public_endpoint(url: str) -> str:
    """The URL without path, query or credentials (these often carry API keys)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")


# ------------------------------------------------------------ manifest


@dataclass
class Manifest:
    """The record of one chain's deployment, saved after every transaction."""

    path: Path
    data: dict

    @classmethod
    def new(cls, path: Path, chain_id: int, owner: str, cfg: dict, endpoint: str) -> Manifest:
        """An empty manifest for a fresh deployment."""
        now = _now()
        data = {
            "version": MANIFEST_VERSION,
            "chain_id": chain_id,
            "endpoint": endpoint,
            "deployer": owner,
            "owner": owner,
            "config": cfg,
            "compiler": {
                "vyper": vyper.__version__,
                "evm_version": _evm_version(),
                "titanoboa": _boa_version(),
            },
            "contracts": {},
            "calls": {},
            "complete": False,
            "started_at": now,
            "updated_at": now,
        }
        return cls(path, data)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read a manifest file."""
        return cls(Path(path), json.loads(Path(path).read_text()))

    def save(self) -> None:
        """Write atomically (a crash never leaves a half-written file)."""
        self.data["updated_at"] = _now()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.data, indent=2) + "\n")
        tmp.replace(self.path)

    def address(self, role: str) -> str:
        """The recorded address of `role`."""
        return self.data["contracts"][role]["address"]


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _evm_version() -> str:
    settings = deployer_for("auction").compiler_data.settings
    return settings.evm_version or DEFAULT_EVM_VERSION


def _boa_version() -> str:
    from importlib.metadata import version

    return version("titanoboa")


def source_record(role: str) -> dict:
    """The source file of `role` and its sha256, for the manifest."""
    path = CONTRACTS / SOURCES[role]
    from hashlib import sha256

    return {"source": str(path.relative_to(ROOT)), "source_sha256": sha256(path.read_bytes()).hexdigest()}


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, int | bool) else str(value)


def _tx_record(receipt: dict) -> dict:
    return {
        "tx_hash": receipt["transactionHash"],
        "block_number": int(receipt["blockNumber"], 16),
        "gas_used": int(receipt["gasUsed"], 16),
    }


# ------------------------------------------------------------ deployment


class ReceiptRecorder:
    """Captures the receipt of every transaction titanoboa's network environment sends."""

    def __init__(self, env: Any):
        self.last: dict | None = None
        send = env._send_txn

        def recording_send(*args, **kwargs):
            txdata, receipt, trace = send(*args, **kwargs)
            self.last = receipt
            return txdata, receipt, trace

        env._send_txn = recording_send

    def take(self) -> dict:
        """The last receipt (each one is taken once)."""
        receipt, self.last = self.last, None
        if receipt is None:
            raise DeployError("no transaction receipt was recorded")
        return receipt


class UncachedNetworkEnv(NetworkEnv):
    """titanoboa's network environment without its on-disk fork cache.

    Before each transaction titanoboa simulates it on a local fork of the chain, caching the node's answers
    in ~/.cache/titanoboa/fork keyed by chain id and block number. Development chains (anvil, chain id
    31337) restart with the same id and block numbers but another history, so that cache would serve
    another chain's state. An in-memory cache per process is used instead.
    """

    def _reset_fork(self, block_identifier="latest"):
        self.fork_rpc(self._rpc, reset_traces=False, block_identifier=block_identifier, cache_dir=None)


def use_network(url: str) -> None:
    """Select the network `url` in titanoboa (no signing account yet)."""
    boa.set_env(UncachedNetworkEnv(EthereumRPC(url)))


def fork(url: str) -> None:
    """Select a local fork of `url` at its latest block (same caching caveat as `UncachedNetworkEnv`)."""
    boa.fork(url, block_identifier="latest", allow_dirty=True, cache_dir=None)


def connect(url: str, account: Any) -> None:
    """Select the network `url` in titanoboa, signing with `account`."""
    use_network(url)
    boa.env.add_account(account, force_eoa=True)


def open_manifest(chain: Chain, path: Path, owner: str, cfg: dict, force: bool, endpoint: str) -> Manifest:
    """The manifest to continue, or a new one; refuses a completed or inconsistent deployment."""
    if not path.exists():
        return Manifest.new(path, chain.chain_id(), owner, cfg, endpoint)
    old = Manifest.load(path)
    if force:
        backup = path.with_name(f"{path.stem}.{time.strftime('%Y%m%dT%H%M%S')}.json")
        path.rename(backup)
        print(f"--force: previous manifest kept as {backup}")
        return Manifest.new(path, chain.chain_id(), owner, cfg, endpoint)
    live = [
        role
        for role, c in old.data["contracts"].items()
        if chain.code_hash(c["address"]) == c["runtime_code_hash"]
    ]
    stale = sorted(set(old.data["contracts"]) - set(live))
    if old.data.get("complete"):
        state = "is live on chain" if not stale else f"is stale (no matching code for {', '.join(stale)})"
        raise DeployError(
            f"{path} records a complete deployment that {state}; refusing to deploy again "
            f"(run `verify`, or pass --force to deploy a new suite)"
        )
    if stale:
        raise DeployError(
            f"{path} is a partial deployment whose contracts {stale} are not on this chain; "
            f"pass --force to start over"
        )
    if old.data["owner"].lower() != owner.lower() or old.data["config"] != cfg:
        raise DeployError(
            f"{path} is a partial deployment with another owner or configuration; "
            f"use the same key and settings to resume, or --force to start over"
        )
    calls = len(old.data["calls"])
    print(f"resuming the partial deployment in {path}: {len(live)} contracts, {calls} calls done")
    return old


def calls_done_on_chain(chain: Chain, manifest: Manifest) -> set[str]:
    """Wiring calls already made, per the manifest or per their `done_when` view on chain."""
    done = set(manifest.data["calls"])
    for step in PLAN:
        if step.is_deploy or step.name in done or step.role not in manifest.data["contracts"]:
            continue
        target = step.args[0][1:]
        if target in manifest.data["contracts"]:
            current = chain.view(manifest.address(step.role), step.done_when, "address")
            if current.lower() == manifest.address(target).lower():
                done.add(step.name)
                manifest.data["calls"][step.name] = {"args": [], "note": "found done on chain"}
    return done


def recording_transactor(manifest: Manifest, recorder: ReceiptRecorder, chain: Chain, quiet: bool = False):
    """A `run_plan` transactor that sends each step and writes it to the manifest at once."""

    def transact(step: Step, fn: Any, args: list) -> Any:
        result = fn.deploy(*args) if step.is_deploy else fn(*args)
        record = {"args" if not step.is_deploy else "constructor_args": [_jsonable(a) for a in args]}
        record.update(_tx_record(recorder.take()))
        if step.is_deploy:
            address = str(result.address)
            record = {
                "address": address,
                **record,
                **source_record(step.role),
                "runtime_code_hash": chain.code_hash(address),
            }
            manifest.data["contracts"][step.role] = record
        else:
            manifest.data["calls"][step.name] = record
        manifest.save()
        if not quiet:
            tx, block, gas = record["tx_hash"], record["block_number"], record["gas_used"]
            print(f"  {step.name}: tx {tx} block {block} gas {gas:,}")
        return result

    return transact


def resumed_contracts(manifest: Manifest) -> dict:
    """Handles on the contracts a partial manifest records (current titanoboa environment)."""
    return {role: deployer_for(role).at(c["address"]) for role, c in manifest.data["contracts"].items()}


def dry_run(url: str, owner: str, cfg: dict, manifest: Manifest) -> int:
    """Run the remaining plan on a local fork of `url`; print the gas per step and return the total."""
    fork(url)
    boa.env.eoa = owner
    rows: list[tuple[str, str]] = []

    def transact(step: Step, fn: Any, args: list) -> Any:
        if step.is_deploy:
            result, gas = measure_deploy(fn, *args)
        else:
            result, gas = measure(fn, *args, sender=owner)
        rows.append((step.name, f"{gas:,}"))
        return result

    run_plan(cfg, owner, transact, resumed_contracts(manifest), set(manifest.data["calls"]))
    total = sum(int(g.replace(",", "")) for _, g in rows)
    print("dry run on a fork of the network:")
    print(format_table(("step", "gas"), [*rows, ("total", f"{total:,}")], "lr"))
    return total


def deploy_to_network(
    url: str,
    account: Any,
    manifest_dir: Path,
    cfg: dict | None = None,
    force: bool = False,
    fork: bool = False,
) -> Manifest:
    """Deploy (or resume deploying) the suite on `url`; returns the completed manifest."""
    cfg = check_config(cfg or {})
    chain = Chain(url)
    owner = account.address
    path = Path(manifest_dir) / f"{chain.chain_id()}.json"
    manifest = open_manifest(chain, path, owner, cfg, force, public_endpoint(url))
    done = calls_done_on_chain(chain, manifest)
    if fork:
        dry_run(url, owner, cfg, manifest)
    connect(url, account)
    recorder = ReceiptRecorder(boa.env)
    manifest.save()
    run_plan(cfg, owner, recording_transactor(manifest, recorder, chain), resumed_contracts(manifest), done)
    manifest.data["complete"] = True
    manifest.data["completed_at"] = _now()
    manifest.save()
    return manifest


# ------------------------------------------------------------ verification


@dataclass
class Finding:
    """One verification check."""

    ok: bool
    what: str
    detail: str


def verify_manifest(url: str, manifest: Manifest) -> list[Finding]:
    """Check the manifest's deployment against the chain at `url`."""
    chain = Chain(url)
    data = manifest.data
    findings = [
        Finding(
            chain.chain_id() == data["chain_id"],
            "chain id",
            f"chain {chain.chain_id()}, manifest {data['chain_id']}",
        ),
        Finding(
            bool(data.get("complete")),
            "deployment complete",
            "manifest says complete" if data.get("complete") else "manifest records a partial deployment",
        ),
    ]
    missing = sorted(set(SOURCES) - set(data["contracts"]))
    if missing:
        findings.append(Finding(False, "all contracts recorded", f"missing: {', '.join(missing)}"))
    findings += [_code_finding(chain, role, c) for role, c in data["contracts"].items()]
    findings += [_wiring_finding(chain, data, *w) for w in WIRING if w[0] in data["contracts"]]
    return findings


def _code_finding(chain: Chain, role: str, record: dict) -> Finding:
    actual = chain.code_hash(record["address"])
    ok = actual == record["runtime_code_hash"]
    detail = (
        f"{record['address']} {actual[:18]}…"
        if ok
        else f"{record['address']}: chain {actual}, manifest {record['runtime_code_hash']}"
    )
    note = "" if not ok else _source_note(chain, role, record["address"])
    return Finding(ok, f"code of {role}", detail + note)


def _source_note(chain: Chain, role: str, address: str) -> str:
    """Whether the local source still compiles to the deployed code (immutables come after it)."""
    runtime = deployer_for(role).compiler_data.bytecode_runtime
    return "" if chain.code(address).startswith(runtime) else " (note: local source has changed since)"


def _expected(data: dict, expected: Any) -> Any:
    if isinstance(expected, str) and expected.startswith("@"):
        return data["contracts"].get(expected[1:], {}).get("address", "<not recorded>")
    if isinstance(expected, str) and expected.startswith("$"):
        return data["config"][expected[1:]]
    if expected == "owner":
        return data["owner"]
    return expected


def _wiring_finding(chain: Chain, data: dict, role: str, view: str, expected: Any) -> Finding:
    want = _expected(data, expected)
    kind = "bool" if isinstance(want, bool) else "uint256" if isinstance(want, int) else "address"
    try:
        got = chain.view(data["contracts"][role]["address"], view, kind)
    except Exception as exc:  # a missing view, or no code at the address
        return Finding(False, f"{role}.{view}()", f"call failed: {exc}")
    ok = got.lower() == str(want).lower() if kind == "address" else got == want
    name = expected[1:] if isinstance(expected, str) and expected[:1] in "@$" else expected
    return Finding(ok, f"{role}.{view}() == {name}", f"{got}" if ok else f"chain {got}, expected {want}")


def print_findings(findings: list[Finding]) -> None:
    """The verification report."""
    rows = [("ok" if f.ok else "MISMATCH", f.what, f.detail) for f in findings]
    print(format_table(("result", "check", "detail"), rows))
    bad = [f for f in findings if not f.ok]
    print(
        f"\n{len(findings) - len(bad)} of {len(findings)} checks passed"
        + (f"; {len(bad)} MISMATCHES" if bad else "")
    )


# ------------------------------------------------------------ command line


def parse_settings(pairs: list[str]) -> dict:
    """`KEY=VALUE` pairs into a configuration dict (integer values)."""
    cfg = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in DEFAULT_CONFIG:
            raise DeployError(f"bad --set {pair!r}: use KEY=VALUE with KEY in {sorted(DEFAULT_CONFIG)}")
        cfg[key] = int(value)
    return cfg


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="python -m deploy.network", description=__doc__.split("\n\n")[1])
    sub = parser.add_subparsers(dest="command", required=True)
    dep = sub.add_parser("deploy", help="deploy (or resume deploying) the suite")
    dep.add_argument("--rpc", required=True, help="JSON-RPC endpoint URL")
    dep.add_argument("--keystore", help=f"encrypted keystore file (else the key comes from {KEY_ENV_VAR})")
    dep.add_argument("--fork", action="store_true", help="dry run on a local fork first")
    dep.add_argument("--force", action="store_true", help="deploy a new suite even if one is recorded")
    dep.add_argument("--manifest-dir", default="deployments", type=Path)
    dep.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="configuration override")
    ver = sub.add_parser("verify", help="check a recorded deployment on chain")
    ver.add_argument("--rpc", required=True, help="JSON-RPC endpoint URL")
    ver.add_argument("--manifest", type=Path, help="manifest file (default: <manifest-dir>/<chain-id>.json)")
    ver.add_argument("--manifest-dir", default="deployments", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 verification mismatch, 2 refused or failed)."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "deploy":
            account = load_account(args.keystore)
            manifest = deploy_to_network(
                args.rpc, account, args.manifest_dir, parse_settings(args.set), args.force, args.fork
            )
            print(f"deployment complete; manifest: {manifest.path}")
            return 0
        path = args.manifest or args.manifest_dir / f"{Chain(args.rpc).chain_id()}.json"
        findings = verify_manifest(args.rpc, Manifest.load(path))
        print(f"verifying {path} against {public_endpoint(args.rpc)}")
        print_findings(findings)
        return 0 if all(f.ok for f in findings) else 1
    except DeployError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
