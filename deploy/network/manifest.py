"""The manifest: one chain's deployment record, written after every transaction so a failed run resumes.

`deployments/<chain-id>.json` holds, per contract: address, constructor arguments, transaction hash,
nonce, block, gas, ETH paid, runtime code hash, source path and sha256, and ABI; per wiring call: its
arguments and receipt; and the compiler versions, deployer, owner handover target and configuration.

Each transaction is written down (`sent`: step, arguments, nonce, hash) before it is broadcast, and
`next_nonce` is the deployer's nonce after the last recorded one. So a run killed at any moment (even
`kill -9` between sending and the receipt) resumes without sending a step twice: the next run adopts what
was mined, and refuses if the deployer sent transactions the manifest does not account for.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from hashlib import sha256
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vyper
from vyper.compiler import output
from vyper.evm.opcodes import DEFAULT_EVM_VERSION

from deploy.network.chain import Chain, DeployError
from deploy.protocol import CONTRACTS, PLAN, ROOT, SOURCES, deployer_for

MANIFEST_VERSION = 3  # 3: `sent` and `next_nonce`, per-record `nonce`


def now() -> str:
    """UTC time, ISO 8601 to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass
class Manifest:
    """The record of one chain's deployment."""

    path: Path
    data: dict
    backup_on_save: Path | None = None  # --force: where the previous manifest goes at the first save

    @classmethod
    def new(cls, path: Path, chain_id: int, deployer: str, cfg: dict, endpoint: str, new_owner=None):
        """An empty manifest for a fresh deployment."""
        stamp = now()
        data = {
            "version": MANIFEST_VERSION,
            "chain_id": chain_id,
            "endpoint": endpoint,
            "deployer": deployer,
            "owner": deployer,
            "new_owner": new_owner,
            "config": cfg,
            "compiler": {
                "vyper": vyper.__version__,
                "evm_version": deployer_for("auction").compiler_data.settings.evm_version
                or DEFAULT_EVM_VERSION,
                "titanoboa": version("titanoboa"),
            },
            "contracts": {},
            "calls": {},
            "next_nonce": None,  # set when the first transaction is about to be sent
            "complete": False,
            "started_at": stamp,
            "updated_at": stamp,
        }
        return cls(Path(path), data)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read a manifest file (DeployError, naming the file, if it is missing, not JSON, or not shaped
        like a manifest)."""
        try:
            data = json.loads(Path(path).read_text())
        except FileNotFoundError:
            raise DeployError(f"no manifest at {path}: deploy first, or pass --manifest FILE") from None
        except OSError as exc:
            raise DeployError(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None
        except ValueError:
            raise DeployError(f"{path} is not a JSON manifest") from None
        problem = shape_problem(data)
        if problem:
            raise DeployError(f"{path} is not a deployment manifest ({problem}); move it away or fix it")
        return cls(Path(path), data)

    def save(self) -> None:
        """Write atomically (a crash never leaves a half-written file)."""
        if self.backup_on_save is not None and self.path.exists():
            self.path.rename(self.backup_on_save)
        self.backup_on_save = None
        self.data["updated_at"] = now()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.data, indent=2) + "\n")
        tmp.replace(self.path)

    def address(self, role: str) -> str:
        """The recorded address of `role`."""
        return self.data["contracts"][role]["address"]


# the fields a manifest must have, with their JSON types
SHAPE = {"chain_id": int, "deployer": str, "owner": str, "config": dict, "contracts": dict, "calls": dict}
JSON_TYPES = {int: "number", str: "string", dict: "object"}


def shape_problem(data: Any) -> str | None:
    """What is wrong with a manifest's structure, in a few words; None if nothing."""
    if not isinstance(data, dict):
        return f"a JSON {type(data).__name__}, not an object"
    for key, kind in SHAPE.items():
        if key not in data:
            return f"no {key!r}"
        if not isinstance(data[key], kind) or isinstance(data[key], bool):
            return f"{key!r} is not a JSON {JSON_TYPES[kind]}"
    for role, record in data["contracts"].items():
        if not isinstance(record, dict) or not isinstance(record.get("address"), str):
            return f"contract {role!r} has no address"
        if not isinstance(record.get("runtime_code_hash"), str):
            return f"contract {role!r} has no runtime_code_hash"
    return None


def writable_problem(folder: Path) -> str | None:
    """Why a manifest cannot be written into `folder` (created if missing), in a few words; None if it can."""
    folder = Path(folder)
    existing = next((p for p in [folder, *folder.parents] if p.exists()), None)
    if existing is None:
        return "no such folder"
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


def contract_record(role: str, address: str, chain: Chain) -> dict:
    """What the manifest keeps about a contract besides its transaction (a system contract has none)."""
    path = CONTRACTS / SOURCES[role]
    return {
        "address": address,
        "source": str(path.relative_to(ROOT)),
        "source_sha256": sha256(path.read_bytes()).hexdigest(),
        "runtime_code_hash": chain.code_hash(address),
        "abi": output.build_abi_output(deployer_for(role).compiler_data),
    }


def tx_record(receipt: dict) -> dict:
    """Transaction hash, block, gas and ETH paid, from a receipt."""
    gas = int(receipt["gasUsed"], 16)
    price = int(receipt.get("effectiveGasPrice", "0x0"), 16)
    return {
        "tx_hash": receipt["transactionHash"],
        "block_number": int(receipt["blockNumber"], 16),
        "gas_used": gas,
        "wei_paid": gas * price,
    }


def backup_path(path: Path) -> Path:
    """Where --force keeps the previous manifest: `<chain-id>.<time>.json` (git-ignored)."""
    return path.with_name(f"{path.stem}.{time.strftime('%Y%m%dT%H%M%S')}.json")


def open_manifest(
    chain: Chain, path: Path, deployer: str, cfg: dict, force: bool, endpoint: str, new_owner=None
) -> tuple[Manifest, str]:
    """The manifest to continue, or a new one, and a one-line note on which; refuses a completed or
    inconsistent deployment. Nothing is written here (--force moves the old file at the first save)."""
    chain_id = chain.chain_id()
    problem = writable_problem(path.parent)
    if problem:
        raise DeployError(f"cannot write the manifest to {path.parent}: {problem}; pass --manifest-dir DIR")
    if not path.exists():
        return Manifest.new(path, chain_id, deployer, cfg, endpoint, new_owner), f"{path} (new)"
    if force:
        manifest = Manifest.new(path, chain_id, deployer, cfg, endpoint, new_owner)
        manifest.backup_on_save = backup_path(path)
        return manifest, f"{path} (new; --force keeps the old one as {manifest.backup_on_save.name})"
    old = Manifest.load(path)
    live = [
        r for r, c in old.data["contracts"].items() if chain.code_hash(c["address"]) == c["runtime_code_hash"]
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
            f"{path} is a partial deployment whose contracts {', '.join(stale)} are not on this chain; "
            f"pass --force to start over"
        )
    if old.data["deployer"].lower() != deployer.lower() or old.data["config"] != cfg:
        raise DeployError(
            f"{path} is a partial deployment with another deployer or configuration; "
            f"use the same key and --set values to resume, or --force to start over"
        )
    if (old.data.get("new_owner") or "").lower() != (new_owner or "").lower():
        raise DeployError(
            f"{path} is a partial deployment with --owner {old.data.get('new_owner') or '(none)'}; "
            f"resume with the same --owner, or --force to start over"
        )
    calls = len(old.data["calls"])
    return old, f"{path} (resuming: {len(live)} contracts and {calls} calls already done)"


def settle_sent_transactions(chain: Chain, manifest: Manifest, deployer: str) -> str:
    """Before resuming: adopt the transaction an interrupted run sent but did not record (`sent`), then
    refuse if the deployer's nonce is ahead of what the manifest accounts for. Returns a note for the
    summary ("" when there was nothing to settle). Changes the manifest in memory only.

    A sent transaction that was mined successfully is recorded as if the run had seen its receipt (a
    contract at the receipt's address); one that reverted, or that the node never saw, is forgotten and
    its step runs again; one still waiting in the node's pool stops the run (wait, then run again).
    """
    data = manifest.data
    sent = data.get("sent")
    note = ""
    if sent is not None:
        receipt = chain.receipt(sent["tx_hash"])
        what = f"{'deploy ' + sent['role'] if sent['deploy'] else 'call ' + sent['step']}"
        if receipt is None and chain.transaction(sent["tx_hash"]) is not None:
            raise DeployError(
                f"{what} (transaction {sent['tx_hash']}, nonce {sent['nonce']}) was sent by an interrupted "
                f"run and is not mined yet; run the same command again once it is"
            )
        if receipt is not None:
            data["next_nonce"] = sent["nonce"] + 1
        if receipt is not None and receipt.get("status") == "0x1":
            key = "constructor_args" if sent["deploy"] else "args"
            record = {key: sent[key], **tx_record(receipt), "nonce": sent["nonce"]}
            record["note"] = "sent by an interrupted run, adopted from its receipt"
            if sent["deploy"]:
                data["contracts"][sent["role"]] = {
                    **contract_record(sent["role"], receipt["contractAddress"], chain),
                    **record,
                }
            else:
                data["calls"][sent["step"]] = record
            note = f"adopted {what} mined in block {record['block_number']} by the interrupted run"
        else:
            state = "reverted" if receipt is not None else "never reached the node"
            note = f"{what} of the interrupted run {state}: it is sent again"
        del data["sent"]
    expected = data.get("next_nonce")
    if expected is not None:
        nonce = chain.nonce(deployer)
        if nonce > expected:
            raise DeployError(
                f"{manifest.path} accounts for the deployer's transactions up to nonce {expected - 1}, but "
                f"{deployer} has sent {nonce - expected} more since (another run or another use of the key "
                f"may have deployed part of the suite); check them, then pass --force to start over"
            )
    return note


def expected_value(arg: Any, manifest: Manifest) -> Any:
    """A plan argument as the chain should show it: `@role` -> that contract's address."""
    if isinstance(arg, str) and arg.startswith("@"):
        return manifest.data["contracts"].get(arg[1:], {}).get("address")
    return arg


def calls_done_on_chain(chain: Chain, manifest: Manifest, steps=PLAN) -> set[str]:
    """Calls already made, per the manifest or per their `done_when` view on chain (a run that stopped
    after a transaction was mined but before it was recorded)."""
    done = set(manifest.data["calls"])
    for step in steps:
        if step.is_deploy or step.name in done or step.role not in manifest.data["contracts"]:
            continue
        want = expected_value(step.args[0], manifest)
        if want is None:
            continue
        views = [step.done_when] + (["owner"] if step.method == "transfer_ownership" else [])  # or accepted
        current = [chain.view(manifest.address(step.role), view, "address").lower() for view in views]
        if str(want).lower() in current:
            done.add(step.name)
            manifest.data["calls"][step.name] = {"args": [want], "note": "found done on chain"}
    return done
