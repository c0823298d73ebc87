"""Deploy the suite to a real network, resumably, and verify a deployment on chain.

    python -m deploy.network deploy --network NAME|URL [--dry-run] [--yes] [--owner ADDRESS]
                                    [--keystore FILE] [--force] [--manifest-dir DIR] [--set KEY=VALUE ...]
    python -m deploy.network verify --network NAME|URL [--manifest FILE | --manifest-dir DIR]

`deploy` checks every input first (configuration ranges, addresses, key, URL, chain id, manifest), then
simulates the remaining transactions on a local fork of the target and prints a pre-flight summary: chain
id, RPC host (never its path or query), deployer and balance, every transaction with its gas and its cost
at the node's gas price. `--dry-run` stops there; otherwise it asks for confirmation (`--yes` in scripts),
refuses if the balance does not cover the estimate, and sends one transaction per step, signing with the
key in BYZANTINE_DEPLOYER_KEY or an encrypted keystore (password from BYZANTINE_KEYSTORE_PASSWORD, or
prompted). The manifest `<manifest-dir>/<chain-id>.json` is written after every transaction (addresses,
ABIs, constructor arguments, receipts, code hashes, compiler, configuration), so a failed or interrupted
run resumes with the same command. `--owner ADDRESS` ends the run with `transfer_ownership(ADDRESS)` on
every owned contract (two-step: ADDRESS then calls `accept_ownership()` on each).

`verify` checks code hashes, wiring, configuration, owners and pending owners.

Exit status: 0 done, 1 `verify` found a mismatch, 2 refused or failed (one line on stderr, no traceback).

Modules: `chain` (read-only RPC, keys, DeployError), `inputs` (validation), `manifest`, `deployment`
(simulation, summary, sending), `verify`, `cli`. Networks are named in networks.toml (boa_env.resolve).
"""

from __future__ import annotations

from typing import Any

from deploy.network.chain import KEY_ENV_VAR, PASSWORD_ENV_VAR, Chain, DeployError, load_account
from deploy.network.deployment import Plan, ReceiptRecorder, owned_roles, prepare, send
from deploy.network.inputs import parse_settings, validate_config
from deploy.network.manifest import Manifest
from deploy.network.verify import WIRING, Finding, verify_manifest


def deploy_to_network(*args: Any, out=print, **kwargs: Any) -> Manifest:
    """`prepare(...)` (same arguments: checks and simulation), then `send` without asking: the Python API
    is for scripts and tests; the command line asks for confirmation."""
    return send(prepare(*args, **kwargs), out)


__all__ = [
    "KEY_ENV_VAR",
    "PASSWORD_ENV_VAR",
    "WIRING",
    "Chain",
    "DeployError",
    "Finding",
    "Manifest",
    "Plan",
    "ReceiptRecorder",
    "deploy_to_network",
    "load_account",
    "owned_roles",
    "parse_settings",
    "prepare",
    "send",
    "validate_config",
    "verify_manifest",
]
