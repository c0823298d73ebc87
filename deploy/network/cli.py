"""The command line of `python -m deploy.network` (see the package's docstring).

Only the standard library is imported at module level: `--help` and usage errors answer at once, and
titanoboa and the compiler load when a command runs.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

EXIT_OK, EXIT_MISMATCH, EXIT_REFUSED = 0, 1, 2
DESCRIPTION = "Deploy the suite to a real network, resumably, and verify a deployment on chain."
ROOT = Path(__file__).resolve().parents[2]
# manifests live in the repository's deployments/, whatever the working folder
DEFAULT_MANIFEST_DIR = ROOT / "deployments"
KEY_ENV_VAR = "BYZANTINE_DEPLOYER_KEY"  # boa_env.KEY_ENV_VAR (checked by tests/deploy)
# `--set` keys: unit and default (checked against inputs.RULES and protocol.DEFAULT_CONFIG by tests/deploy)
SETTINGS = (
    ("cluster_size", "operators per validator", "4"),
    ("expected_daily_return", "wei per day per 32 ETH validator", "3243835616438356, 3.7 % a year"),
    ("max_discount_rate", "bps, 1/100 of a %", "1500"),
    ("min_duration", "days", "30"),
    ("max_duration", "days", "3650"),
    ("pending_cluster_ttl", "seconds", "2592000, 30 days"),
    ("beacon_genesis_time", "timestamp of beacon epoch 0", "0, a public chain's own or the deploy block's"),
    ("genesis_fork_version", "fork version of the deposit domain", "0x01017000, a public chain's own"),
    ("pectra_fork_timestamp", "timestamp of EigenLayer's Pectra proofs", "1, stand-ins only"),
    ("min_withdrawal_delay_blocks", "blocks of EigenLayer's withdrawal delay", "100800, stand-ins only"),
)


class Parser(argparse.ArgumentParser):
    """argparse whose usage errors are one line and exit with status 2."""

    def error(self, message: str):
        self.exit(EXIT_REFUSED, f"error: {message} (see {self.prog} --help)\n")


def settings_help() -> str:
    keys = "; ".join(f"{key} ({unit}, default {default})" for key, unit, default in SETTINGS)
    return f"configuration override, repeatable: {keys}".replace("%", "%%")  # argparse formats help


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = Parser(prog="python -m deploy.network", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    target_help = "a network name from networks.toml, or a JSON-RPC URL"
    dir_help = "folder of the manifests <chain-id>.json (default: the repository's deployments/)"
    dep = sub.add_parser("deploy", help="deploy (or resume deploying) the suite")
    dep.add_argument(
        "--network", "--rpc", dest="network", required=True, metavar="NAME|URL", help=target_help
    )
    dep.add_argument("--keystore", help=f"encrypted keystore file (else the key comes from {KEY_ENV_VAR})")
    dep.add_argument("--dry-run", action="store_true", help="simulate on a fork of the network; send nothing")
    dep.add_argument(
        "--anvil-fork",
        action="store_true",
        help="with --dry-run: start anvil --fork-url at the network's URL, deploy the whole suite to that "
        "local fork as the deployer (impersonated: nothing signed) and verify it there; the network "
        "receives nothing",
    )
    dep.add_argument(
        "--from",
        dest="sender",
        metavar="ADDRESS",
        help="with --dry-run and no key: simulate as this deployer address",
    )
    dep.add_argument("--yes", action="store_true", help="do not ask for confirmation (scripts)")
    dep.add_argument("--owner", metavar="ADDRESS", help="start the two-step ownership handover to ADDRESS")
    dep.add_argument("--force", action="store_true", help="deploy a new suite even if one is recorded")
    dep.add_argument(
        "--deploy-stand-ins",
        action="store_true",
        help="on a chain networks.toml does not name: deploy stand-ins of the deposit contract and "
        "EigenLayer (a test chain only; refused where the real ones are named)",
    )
    dep.add_argument("--manifest-dir", default=DEFAULT_MANIFEST_DIR, type=Path, metavar="DIR", help=dir_help)
    dep.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=settings_help())
    ver = sub.add_parser("verify", help="check a recorded deployment on chain")
    ver.add_argument(
        "--network", "--rpc", dest="network", required=True, metavar="NAME|URL", help=target_help
    )
    ver.add_argument("--manifest", type=Path, help="manifest file (default: <manifest-dir>/<chain-id>.json)")
    ver.add_argument("--manifest-dir", default=DEFAULT_MANIFEST_DIR, type=Path, metavar="DIR", help=dir_help)
    ver.add_argument("-v", "--verbose", action="store_true", help="list every check, not only the failing")
    return parser


@dataclass(frozen=True)
class Sender:
    """A deployer known by its address only (a dry run signs nothing)."""

    address: str


@dataclass
class Progress:
    """How far a `deploy` run got: whether transactions may have been sent (a resume is then possible)."""

    sending: bool = False


def confirm(prompt: str) -> bool:
    """Ask on the terminal; refuses (False) when there is no terminal to ask on."""
    from deploy.network.chain import DeployError

    if not sys.stdin.isatty():
        raise DeployError("no terminal to confirm on: pass --yes to deploy from a script")
    return input(prompt).strip().lower() in ("y", "yes")


def announce(line: str) -> None:
    """A progress line, shown at once (a slow step follows)."""
    print(line, flush=True)


def deploy(args: argparse.Namespace, progress: Progress) -> int:
    """`deploy`: checks, simulation and summary, confirmation, then the transactions."""
    from deploy.network.chain import DeployError, load_account
    from deploy.network.deployment import prepare, result_table, send, summary
    from deploy.network.inputs import parse_settings, validate_address

    cfg = parse_settings(args.set)
    if args.sender and not args.dry_run:
        raise DeployError("--from only works with --dry-run: a real deployment signs with the deployer's key")
    if args.anvil_fork and not args.dry_run:
        raise DeployError("--anvil-fork only works with --dry-run: it rehearses on a local fork, never sends")
    account = Sender(validate_address(args.sender, "--from")) if args.sender else load_account(args.keystore)
    if args.anvil_fork:
        return rehearse(args, cfg, account.address)
    plan = prepare(
        args.network,
        account,
        args.manifest_dir,
        cfg,
        args.force,
        args.owner,
        out=announce,
        stand_ins=args.deploy_stand_ins,
    )
    print(summary(plan, args.dry_run))
    if args.dry_run:
        print("\ndry run complete: nothing was signed or sent")
        return EXIT_OK
    if plan.estimates and not args.yes and not confirm("\nsend these transactions? [y/N] "):
        raise DeployError("not confirmed; nothing was sent")
    print()
    progress.sending = True
    manifest = send(plan)
    print("\n" + result_table(manifest))
    print(f"\ndeployment complete; manifest: {manifest.path}")
    if manifest.data.get("new_owner"):
        print(f"next: {manifest.data['new_owner']} calls accept_ownership() on each contract")
    return EXIT_OK


def rehearse(args: argparse.Namespace, cfg: dict, deployer: str) -> int:
    """`deploy --dry-run --anvil-fork`: the checks, the simulation and the summary, then every transaction
    sent to a local anvil fork of the network as the impersonated deployer, then `verify` there; status 1
    if the fork's deployment does not verify. The network receives nothing, and no key signs anything."""
    from deploy.network.chain import DeployError
    from deploy.network.deployment import prepare, result_table, send, summary
    from deploy.network.rehearsal import anvil_fork
    from deploy.network.verify import report, verify_manifest

    with anvil_fork(args.network, args.manifest_dir, out=announce) as fork:
        forked = fork.forked.name
        plan = prepare(
            fork.network,
            fork.impersonate(deployer),
            fork.manifest_dir,
            cfg,
            args.force,
            args.owner,
            out=announce,
            stand_ins=args.deploy_stand_ins,
        )
        print(summary(plan, dry_run=True, forked=forked))
        print(f"\nsending to the anvil fork at {fork.url} …")
        try:
            manifest = send(plan)
        except DeployError as exc:  # the fork's manifest goes with the fork: no resume to offer
            reason = str(exc).removesuffix(f"; {plan.manifest.path} records what was sent")
            raise DeployError(f"on the anvil fork, {reason}; nothing was sent to {forked}") from None
        print("\n" + result_table(manifest))
        findings = verify_manifest(fork.url, manifest)
        checks = report(findings).removesuffix(" (-v lists every check)")  # no -v here
        print(f"\nverifying the deployment on the anvil fork\n\n{checks}")
    ok = all(f.ok for f in findings)
    outcome = "deployed and verified" if ok else "deployed, but it does NOT verify,"
    print(
        f"\ndry run complete: {outcome} on an anvil fork of {forked}; nothing was signed or sent to {forked}"
    )
    return EXIT_OK if ok else EXIT_MISMATCH


def verify(args: argparse.Namespace) -> int:
    """`verify`: the report, and status 1 on any mismatch."""
    from deploy.network.chain import connect
    from deploy.network.deployment import network_label
    from deploy.network.manifest import Manifest
    from deploy.network.verify import report, verify_manifest

    network, chain_id = connect(args.network)  # the chain id networks.toml pins, as `deploy` checks it
    path = args.manifest or args.manifest_dir / f"{chain_id}.json"
    findings = verify_manifest(network.url, Manifest.load(path))
    print(f"verifying the deployment on {network_label(network)}, chain id {chain_id}")
    print(f"manifest {path}\n")
    print(report(findings, verbose=args.verbose))
    return EXIT_OK if all(f.ok for f in findings) else EXIT_MISMATCH


def resume_command(argv: list[str]) -> str:
    """The command that resumes an interrupted `deploy`: the same one, without `--force` (which would start
    yet another suite)."""
    return shlex.join(["python", "-m", "deploy.network", *(a for a in argv if a != "--force")])


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 done, 1 verification mismatch, 2 refused or failed).

    Every error is one line on stderr, without a traceback and without the RPC URL's path or query
    (BYZ_DEBUG=1 shows the traceback of an unexpected error).
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    import boa_env
    from deploy.network.chain import DeployError
    from deploy.tables import one_line

    progress = Progress()
    try:
        return deploy(args, progress) if args.command == "deploy" else verify(args)
    except DeployError as exc:
        message = str(exc)
    except boa_env.NetworkError as exc:
        message = str(exc)
    except KeyboardInterrupt:
        message = "interrupted" + ("" if progress.sending else " before anything was sent")
    except Exception as exc:  # anything unexpected: still one line, still redacted
        if os.environ.get("BYZ_DEBUG") == "1":
            raise
        message = f"{type(exc).__name__}: {one_line(exc)}"
    if progress.sending:
        message += f"; to resume: {resume_command(argv)}"
    if "://" in args.network:
        message = boa_env.redact(message, args.network)
    print(f"error: {message}", file=sys.stderr)
    return EXIT_REFUSED
