"""Deploy the suite to a real network, resumably, and verify a deployment on chain.

    python -m deploy.network deploy --network NAME|URL [--dry-run [--anvil-fork] | --yes] [--owner ADDRESS]
                                    [--keystore FILE] [--force] [--manifest-dir DIR] [--set KEY=VALUE ...]
    python -m deploy.network verify --network NAME|URL [--manifest FILE | --manifest-dir DIR]

`deploy` checks every input first (configuration ranges, addresses, key, URL, chain id, manifest), then
simulates the remaining transactions on a local fork of the target and prints a pre-flight summary: chain
id, RPC host (never its path or query), deployer and balance, every transaction with its gas and its cost
at the node's gas price. `--dry-run` stops there; with `--anvil-fork` it then deploys and verifies the
whole suite on a local anvil started with `--fork-url` at the network's URL, the deployer impersonated
(nothing signed; the network receives nothing). Otherwise it asks for confirmation (`--yes` in scripts),
refuses if the balance does not cover the estimate, and sends one transaction per step, signing with the
key in BYZANTINE_DEPLOYER_KEY or an encrypted keystore (password from BYZANTINE_KEYSTORE_PASSWORD, or
prompted). The manifest `<manifest-dir>/<chain-id>.json` is written after every transaction (addresses,
ABIs, constructor arguments, receipts, code hashes, compiler, configuration), so a failed or interrupted
run resumes with the same command. `--owner ADDRESS` ends the run with `transfer_ownership(ADDRESS)` on
every owned contract (two-step: ADDRESS then calls `accept_ownership()` on each).

`verify` checks code hashes, wiring, configuration, owners and pending owners.

Exit status: 0 done, 1 `verify` found a mismatch, 2 refused or failed (one line on stderr, no traceback).

Modules: `chain` (read-only RPC, keys, DeployError), `inputs` (validation), `manifest`, `deployment`
(simulation, summary, sending), `verify`, `rehearsal` (the anvil fork), `cli`. Networks are named in
networks.toml (boa_env.resolve).
"""

from __future__ import annotations

from typing import Any

from deploy.lazy import lazy_exports

# names of the Python API -> the module that defines them; imported on first use, so that
# `python -m deploy.network --help` answers without loading titanoboa and the compiler (deploy/lazy.py)
_EXPORTS = {
    name: f"{__name__}.{module}"
    for module, names in {
        "chain": ("KEY_ENV_VAR", "PASSWORD_ENV_VAR", "Chain", "DeployError", "load_account"),
        "deployment": ("Plan", "ReceiptRecorder", "owned_roles", "prepare", "send"),
        "inputs": ("parse_settings", "validate_config"),
        "manifest": ("Manifest",),
        "verify": ("WIRING", "Finding", "verify_manifest"),
    }.items()
    for name in names
}
__getattr__ = lazy_exports(__name__, _EXPORTS)


def deploy_to_network(*args: Any, out=print, **kwargs: Any):
    """`prepare(...)` (same arguments: checks and simulation), then `send` without asking: the Python API
    is for scripts and tests; the command line asks for confirmation. Returns the completed Manifest."""
    from deploy.network.deployment import prepare, send

    return send(prepare(*args, **kwargs), out)


__all__ = sorted([*_EXPORTS, "deploy_to_network"])
