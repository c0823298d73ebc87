"""Check a recorded deployment on chain: code hashes, wiring, configuration, owners and pending owners, and
that each of the chain's own systems it uses (deposit contract, EigenLayer) answers the protocol's calls."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from deploy.network.chain import Chain
from deploy.network.deployment import abi, owned_roles
from deploy.network.externals import EIGENLAYER_STAND_IN_ONLY, NAMED_ROLES, missing_functions
from deploy.network.inputs import GENESIS_FORK_VERSIONS
from deploy.network.manifest import Manifest
from deploy.protocol import SOURCES, deployer_for
from deploy.tables import short

ZERO = "0x" + "00" * 20

# (role, view, expected): `view` is an argument-less view, or `view.field` for a field of the struct it
# returns; expected is "@role" (that contract's address), "$key" (a configuration value) or a literal.
# Owners are checked separately (`owner_findings`). tests/deploy/test_tools.py checks every view exists.
WIRING: tuple[tuple[str, str, Any], ...] = (
    ("auction", "escrow", "@escrow"),
    ("auction", "manager", "@manager"),
    ("auction", "paused", False),
    ("auction", "cluster_size", "$cluster_size"),
    ("auction", "auction_config.expected_daily_return", "$expected_daily_return"),
    ("auction", "auction_config.max_discount_rate", "$max_discount_rate"),
    ("auction", "auction_config.min_duration", "$min_duration"),
    ("auction", "auction_config.max_duration", "$max_duration"),
    ("escrow", "auction", "@auction"),
    ("escrow", "staker_rewards", "@staker_rewards"),
    ("staker_rewards", "AUCTION", "@auction"),
    ("staker_rewards", "ESCROW", "@escrow"),
    ("staker_rewards", "manager", "@manager"),
    ("staker_rewards", "byz_nft", "@byz_nft"),
    ("manager", "auction", "@auction"),
    ("manager", "staker_rewards", "@staker_rewards"),
    ("manager", "byz_nft", "@byz_nft"),
    ("manager", "strategy_module_implementation", "@strategy_module_implementation"),
    ("manager", "eigen_pod_manager", "@eigen_pod_manager"),
    ("manager", "delegation_manager", "@delegation_manager"),
    ("manager", "split_factory", "@split_factory"),
    ("manager", "beacon_roots", "@beacon_roots"),
    ("manager", "pending_cluster_ttl", "$pending_cluster_ttl"),
    ("manager", "cluster_keys", "@cluster_keys"),
    ("cluster_keys", "manager", "@manager"),
    ("cluster_keys", "staker_rewards", "@staker_rewards"),
    ("escrow", "seat_rotation", "@seat_rotation"),
    ("byz_nft", "manager", "@manager"),
    ("byz_nft", "staker_rewards", "@staker_rewards"),
    ("strategy_module_implementation", "manager", "@manager"),
    ("strategy_module_implementation", "auction", "@auction"),
    ("strategy_module_implementation", "staker_rewards", "@staker_rewards"),
    ("strategy_module_implementation", "byz_nft", "@byz_nft"),
    ("strategy_module_implementation", "eigen_pod_manager", "@eigen_pod_manager"),
    ("strategy_module_implementation", "delegation_manager", "@delegation_manager"),
    ("strategy_module_implementation", "withdrawal_requests", "@withdrawal_requests"),
    ("strategy_module_implementation", "rewards_coordinator", "@rewards_coordinator"),
    ("eigen_pod_manager", "ethPOS", "@deposit_contract"),
    ("eigen_pod_manager", "delegationManager", "@delegation_manager"),
    ("eigen_pod_manager", "pectraForkTimestamp", "$pectra_fork_timestamp"),
    ("delegation_manager", "eigenPodManager", "@eigen_pod_manager"),
    ("delegation_manager", "allocationManager", "@allocation_manager"),
    ("delegation_manager", "minWithdrawalDelayBlocks", "$min_withdrawal_delay_blocks"),
    ("allocation_manager", "delegation", "@delegation_manager"),
    ("split_factory", "split_implementation", "@split_implementation"),
)


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
    external = {role for role, c in data["contracts"].items() if c.get("predeploy")}
    # the EigenLayer stand-ins the protocol never calls exist only beside the other stand-ins
    absent = set(EIGENLAYER_STAND_IN_ONLY) if "delegation_manager" in external else set()
    missing = sorted(set(SOURCES) - set(data["contracts"]) - absent)
    if missing:
        findings.append(Finding(False, "all contracts recorded", f"missing: {', '.join(missing)}"))
    findings += [_code_finding(chain, role, c) for role, c in data["contracts"].items()]
    findings += [
        _interface_finding(chain, role, data["contracts"][role]["address"])
        for role in sorted(external & set(NAMED_ROLES))
    ]
    ours = set(data["contracts"]) - external
    findings += [_wiring_finding(chain, data, *w) for w in WIRING if w[0] in ours]
    if "manager" in data["contracts"]:
        findings.append(_genesis_finding(chain, data))
    if "cluster_keys" in ours:
        findings += fork_version_findings(chain, data)
    findings += owner_findings(chain, data)
    return findings


def _code_finding(chain: Chain, role: str, record: dict) -> Finding:
    actual = chain.code_hash(record["address"])
    ok = actual == record["runtime_code_hash"]
    detail = (
        f"{short(record['address'])}, code hash {actual[:10]}…"
        if ok
        else f"{record['address']}: chain {actual}, manifest {record['runtime_code_hash']}"
    )
    note = "" if not ok or record.get("predeploy") else _source_note(chain, role, record["address"])
    return Finding(ok, f"code of {role}", detail + note)


def _interface_finding(chain: Chain, role: str, address: str) -> Finding:
    """The chain's own system at `address` carries every function the protocol calls on it."""
    missing = missing_functions(chain, role, address)
    detail = "every function present" if not missing else f"lacks {', '.join(missing)}"
    return Finding(not missing, f"{role} answers the protocol's calls", detail)


def _source_note(chain: Chain, role: str, address: str) -> str:
    """Whether the local source still compiles to the deployed code (immutables come after it)."""
    runtime = deployer_for(role).compiler_data.bytecode_runtime
    return "" if chain.code(address).startswith(runtime) else " (note: local source has changed since)"


def _expected(data: dict, expected: Any) -> Any:
    if isinstance(expected, str) and expected.startswith("@"):
        return data["contracts"].get(expected[1:], {}).get("address", "<not recorded>")
    if isinstance(expected, str) and expected.startswith("$"):
        return data["config"][expected[1:]]
    return expected


def view_type(role: str, view: str) -> tuple[str, int | None]:
    """The ABI type `view` returns, and for `view.field` the field's index in the struct (else None)."""
    name, _, fld = view.partition(".")
    entry = next(
        e for e in abi(role) if e.get("name") == name and e["type"] == "function" and not e["inputs"]
    )
    out = entry["outputs"][0]
    if not fld:
        return out["type"], None
    names = [c["name"] for c in out["components"]]
    return "(" + ",".join(c["type"] for c in out["components"]) + ")", names.index(fld)


def _genesis_finding(chain: Chain, data: dict) -> Finding:
    """The manager's beacon genesis time: the configured one, or (0, a development chain) the timestamp of
    the manager's deployment block, which the constructor takes instead."""
    configured = data["config"].get("beacon_genesis_time", 0)
    manager = data["contracts"]["manager"]
    if configured:
        want, name = configured, "beacon_genesis_time"
    else:
        want, name = chain.block_timestamp(manager["block_number"]), "its deployment block's time"
    what = f"manager.beacon_genesis_time() == {name}"
    try:
        got = chain.view(manager["address"], "beacon_genesis_time", "uint256")
    except Exception as exc:  # a missing view, or no code at the address
        return Finding(False, what, f"call failed: {type(exc).__name__}")
    return Finding(got == want, what, f"{got}" if got == want else f"chain {got}, expected {want}")


def fork_version_findings(chain: Chain, data: dict) -> list[Finding]:
    """ClusterKeys' genesis fork version, the deposit domain of every deposit signature it accepts: the
    configured one, and on a known public chain also that chain's own (`inputs.GENESIS_FORK_VERSIONS`). A
    wrong one refuses every real deposit signature, or accepts deposits signed for another network."""
    what = "cluster_keys.genesis_fork_version() == genesis_fork_version"
    try:
        raw = chain.view(data["contracts"]["cluster_keys"]["address"], "genesis_fork_version", "bytes4")
    except Exception as exc:  # a missing view, or no code at the address
        return [Finding(False, what, f"call failed: {type(exc).__name__}")]
    got = int.from_bytes(raw, "big")
    configured = data["config"].get("genesis_fork_version")
    shown = "<not recorded>" if configured is None else f"0x{configured:08x}"
    findings = [
        Finding(
            got == configured,
            what,
            f"0x{got:08x}" if got == configured else f"chain 0x{got:08x}, expected {shown}",
        )
    ]
    chain_id = chain.chain_id()
    known = GENESIS_FORK_VERSIONS.get(chain_id)
    if known is not None:
        findings.append(
            Finding(
                got == known,
                f"cluster_keys.genesis_fork_version() == chain {chain_id}'s fork version",
                f"0x{got:08x}" if got == known else f"chain 0x{got:08x}, chain {chain_id}'s is 0x{known:08x}",
            )
        )
    return findings


def _wiring_finding(chain: Chain, data: dict, role: str, view: str, expected: Any) -> Finding:
    want = _expected(data, expected)
    name = expected[1:] if isinstance(expected, str) and expected[:1] in "@$" else expected
    what = f"{role}.{view.replace('.', '().', 1) if '.' in view else view + '()'} == {name}"
    try:
        kind, index = view_type(role, view)
        got = chain.view(data["contracts"][role]["address"], view.partition(".")[0], kind)
        got = got[index] if index is not None else got
    except Exception as exc:  # a missing view, or no code at the address
        return Finding(False, what, f"call failed: {type(exc).__name__}")
    ok = got.lower() == str(want).lower() if kind == "address" else got == want
    shown = short(got) if kind == "address" else got
    return Finding(ok, what, f"{shown}" if ok else f"chain {got}, expected {want}")


def owner_findings(chain: Chain, data: dict) -> list[Finding]:
    """Each owned contract's owner and pending owner against the manifest.

    Without a handover the deployer owns everything and nothing is pending. With `--owner NEW`, each
    contract is either pending (owner the deployer, pending NEW) or accepted (owner NEW, nothing pending).
    """
    deployer, new = data["owner"].lower(), (data.get("new_owner") or "").lower()
    names = {deployer: "deployer", new: "new owner", ZERO: "none"}
    out = []
    for role in owned_roles():
        if role not in data["contracts"] or data["contracts"][role].get("predeploy"):
            continue
        address = data["contracts"][role]["address"]
        try:
            owner = chain.view(address, "owner", "address").lower()
            pending = chain.view(address, "pending_owner", "address").lower()
        except Exception as exc:
            out.append(Finding(False, f"{role}: owner, pending owner", f"call failed: {type(exc).__name__}"))
            continue
        if not new:
            ok, state = owner == deployer and pending == ZERO, "owned by the deployer"
        elif owner == new and pending == ZERO:
            ok, state = True, "handover accepted"
        else:
            ok, state = owner == deployer and pending == new, "handover pending (new owner to accept)"
        who = (
            f"owner {short(owner)} ({names.get(owner, 'unexpected')}), pending {names.get(pending, pending)}"
        )
        out.append(Finding(ok, f"{role}: owner, pending owner", f"{state}; {who}" if ok else who))
    return out


WIDTH = 100  # the report fits a terminal this wide


def finding_lines(finding: Finding) -> list[str]:
    """One check as `ok        what  detail`, the detail on indented lines of its own when it does not fit."""
    head = f"{'ok' if finding.ok else 'MISMATCH':<8}  {finding.what}"
    if len(head) + 2 + len(finding.detail) <= WIDTH:
        return [f"{head}  {finding.detail}"]
    indent = " " * 10
    return [head, *textwrap.wrap(finding.detail, WIDTH, initial_indent=indent, subsequent_indent=indent)]


def report(findings: list[Finding], verbose: bool = False) -> str:
    """The verification report: the failing checks (every check with `verbose`) and a summary line."""
    bad = [f for f in findings if not f.ok]
    shown = findings if verbose else bad
    lines = [line for f in shown for line in finding_lines(f)]
    tail = f"{len(findings) - len(bad)} of {len(findings)} checks passed"
    if bad:
        tail += f"; {len(bad)} MISMATCH{'ES' if len(bad) > 1 else ''}"
    if not verbose:
        tail += " (-v lists every check)"
    return "\n".join([*lines, *([""] if lines else []), tail])
