"""Deploy the suite to a JSON-RPC network: simulate on a fork, show the pre-flight summary, then send.

Every run first plays the remaining steps on a local fork of the target (titanoboa's `boa.fork`, nothing
signed or sent) to learn each transaction's gas; with the node's gas price and the deployer's balance this
gives the pre-flight summary. `--dry-run` stops there. A real run asks for confirmation (or takes `--yes`),
then sends one transaction per step, writing the manifest after each, and prints one line per step.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import boa
from eth_utils import keccak
from vyper.compiler import output

import boa_env
from deploy.gas import measure, measure_deploy
from deploy.network.chain import Chain, DeployError, connect, raw_transaction_nonce
from deploy.network.externals import (
    EIGENLAYER_STAND_IN_ONLY,
    NAMED_ROLES,
    check_interfaces,
    external_contracts,
)
from deploy.network.inputs import validate_config, validate_new_owner, with_fork_version, with_genesis_time
from deploy.network.manifest import (
    Manifest,
    calls_done_on_chain,
    contract_record,
    now,
    open_manifest,
    settle_sent_transactions,
    tx_record,
)
from deploy.protocol import PLAN, SOURCES, Step, deployer_for, resolve_args, run_plan
from deploy.tables import eth, format_table, one_line, short

GWEI = 10**9
FUNDS_MARGIN = 1.2  # gas prices move between the estimate and the last transaction


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence titanoboa's per-transaction prints ("tx broadcasted", "mined in block") and warnings."""
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@cache
def abi(role: str) -> list[dict]:
    """The ABI of a role's contract (compiled once)."""
    return output.build_abi_output(deployer_for(role).compiler_data)


@cache
def owned_roles() -> tuple[str, ...]:
    """Roles whose contract has a two-step ownership (`transfer_ownership` and `pending_owner`)."""
    return tuple(
        role
        for role in SOURCES
        if {"transfer_ownership", "pending_owner", "owner"} <= {e.get("name") for e in abi(role)}
    )


def handover_steps(new_owner: str | None, external: frozenset[str] = frozenset()) -> tuple[Step, ...]:
    """`transfer_ownership(new_owner)` on every owned contract the deployment makes (the new owner then
    accepts each); the chain's own systems (`external`) are not ours to hand over."""
    if new_owner is None:
        return ()
    return tuple(
        Step(role, (new_owner,), method="transfer_ownership", done_when="pending_owner")
        for role in owned_roles()
        if role not in external
    )


def external_roles(manifest: Manifest) -> frozenset[str]:
    """Roles the chain provides (recorded, never deployed), and the EigenLayer stand-ins that exist only
    beside the other stand-ins: no step deploys or calls them."""
    provided = {role for role, c in manifest.data["contracts"].items() if c.get("predeploy")}
    if "delegation_manager" in provided:
        provided |= set(EIGENLAYER_STAND_IN_ONLY)
    return frozenset(provided)


def run_steps(steps: tuple[Step, ...], contracts: dict, transact: Callable, done: set, sender: str) -> None:
    """Call each of `steps` not in `done` (after `run_plan`: the handover)."""
    with boa.env.prank(sender):
        for step in steps:
            if step.name not in done:
                transact(step, getattr(contracts[step.role], step.method), resolve_args(step, contracts, {}))


@dataclass(frozen=True)
class NotDeployed:
    """A role the chain's own systems make unnecessary (`EIGENLAYER_STAND_IN_ONLY` beside the real
    EigenLayer): `run_plan` skips a role it is given, so it never deploys one. Only steps that are skipped
    too (the real systems' own deployments and wiring) name it; its address is the zero address."""

    role: str
    address: str = "0x" + "00" * 20


def resumed_contracts(manifest: Manifest) -> dict:
    """Handles on the contracts a partial manifest records (current titanoboa environment), and a
    `NotDeployed` for each stand-in the chain's own systems make unnecessary."""
    with quiet():
        contracts = {
            role: deployer_for(role).at(c["address"]) for role, c in manifest.data["contracts"].items()
        }
    absent = external_roles(manifest) - set(contracts)
    return {**contracts, **{role: NotDeployed(role) for role in sorted(absent)}}


@dataclass
class Plan:
    """Everything a deployment needs, checked, before anything is sent."""

    network: boa_env.Network
    chain: Chain
    account: Any
    cfg: dict
    manifest: Manifest
    manifest_note: str
    done: set
    handover: tuple[Step, ...]
    estimates: list[tuple[str, int]] = field(default_factory=list)
    gas_price: int = 0
    balance: int = 0

    @property
    def deployer(self) -> str:
        return self.account.address

    @property
    def total_gas(self) -> int:
        return sum(g for _, g in self.estimates)

    @property
    def cost(self) -> int:
        return self.total_gas * self.gas_price


def prepare(
    target: str | boa_env.Network,
    account: Any,
    manifest_dir: Path,
    cfg: dict | None = None,
    force: bool = False,
    new_owner: str | None = None,
    out: Callable | None = None,
    stand_ins: bool = False,
) -> Plan:
    """Check every input, open the manifest, and simulate what is left on a fork of the target.

    Raises DeployError (one line) for anything that would stop the deployment, before any transaction:
    bad configuration or owner, unreachable node, wrong chain id, a public chain's deposit contract or
    EigenLayer missing or answering another interface (`externals`: stand-ins only with `stand_ins` on an
    unknown chain), refused, malformed or unwritable manifest, a step that fails in simulation, or a
    balance too small for the estimated cost. `out`, if
    given, is told when the checks are done and the (slower) simulation starts.
    """
    cfg = validate_config(cfg or {})
    new_owner = validate_new_owner(new_owner, account.address)
    network, chain_id = connect(target)
    cfg = with_fork_version(with_genesis_time(cfg, chain_id), chain_id)
    chain = Chain(network.url)
    path = Path(manifest_dir) / f"{chain_id}.json"
    manifest, note = open_manifest(chain, path, account.address, cfg, force, network.endpoint, new_owner)
    adopted = settle_sent_transactions(chain, manifest, account.address)
    if adopted:
        note += f"; {adopted}"
    externals = external_contracts(chain, chain_id, stand_ins)
    check_interfaces(chain, externals)
    for role, address in externals.items():
        if role not in manifest.data["contracts"]:
            what = NAMED_ROLES[role][1] if role in NAMED_ROLES else "system contract"
            record = {**contract_record(role, address, chain), "predeploy": True}
            manifest.data["contracts"][role] = {**record, "source": f"the chain's own {what}"}
    external = external_roles(manifest)
    handover = handover_steps(new_owner, external)
    ours = tuple(step for step in PLAN + handover if step.role not in external)
    theirs = {step.name for step in PLAN if step.role in external and not step.is_deploy}
    done = calls_done_on_chain(chain, manifest, ours) | theirs
    plan = Plan(network, chain, account, cfg, manifest, note, done, handover)
    if out is not None:
        out(f"simulating on a fork of {network_label(network)} …")
    plan.estimates = simulate(plan)
    plan.gas_price = chain.gas_price()
    plan.balance = chain.balance(account.address)
    needed = int(plan.cost * FUNDS_MARGIN)
    if plan.balance < needed:
        raise DeployError(
            f"deployer {account.address} holds {eth(plan.balance)} ETH; the deployment needs about "
            f"{eth(needed)} ETH ({plan.total_gas:,} gas at {plan.gas_price / GWEI:.3f} gwei, +20 %)"
        )
    return plan


def simulate(plan: Plan) -> list[tuple[str, int]]:
    """Play the remaining steps on a local fork of the target as the deployer; (step, gas) per step."""
    boa_env.use_network(plan.network.url, account=plan.account, fork=True)
    rows: list[tuple[str, int]] = []
    current = ""

    def transact(step: Step, fn: Any, args: list) -> Any:
        nonlocal current
        current = step.name
        with quiet():
            if step.is_deploy:
                result, gas = measure_deploy(fn, *args)
            else:
                result, gas = measure(fn, *args, sender=plan.deployer)
        rows.append((step_label(step), gas))
        return result

    try:
        contracts = run_plan(plan.cfg, plan.deployer, transact, resumed_contracts(plan.manifest), plan.done)
        run_steps(plan.handover, contracts, transact, plan.done, plan.deployer)
    except DeployError:
        raise
    except Exception as exc:
        raise DeployError(f"step {current} fails in simulation ({one_line(exc)}); nothing was sent") from None
    return rows


def network_label(network: boa_env.Network) -> str:
    """`sepolia (https://host)`, or just the endpoint for a bare URL."""
    return network.endpoint if network.name == network.endpoint else f"{network.name} ({network.endpoint})"


def config_lines(cfg: dict) -> list[str]:
    """The configuration, a few keys a line, for the summary."""
    items = [f"{k}={v}" for k, v in cfg.items()]
    lines, line = [], ""
    for item in items:
        if line and len(line) + len(item) > 80:
            lines.append(line)
            line = ""
        line = f"{line}, {item}" if line else item
    lines.append(line)
    return [f"  {'config' if i == 0 else '':<10} {text}" for i, text in enumerate(lines)]


def step_label(step: Step) -> str:
    """`deploy auction`, `call escrow.initialize`."""
    return f"deploy {step.role}" if step.is_deploy else f"call {step.name}"


def summary(plan: Plan, dry_run: bool, forked: str | None = None) -> str:
    """The pre-flight summary; `forked` names the network whose anvil fork `plan` rehearses on."""
    m = plan.manifest.data
    owner = f"{m['new_owner']} (two-step: it accepts each contract)" if m["new_owner"] else "the deployer"
    system = [f"{role} {short(c['address'])}" for role, c in m["contracts"].items() if c.get("predeploy")]
    if forked is not None:
        mode = f" (dry run on an anvil fork: sent there, nothing will be signed or sent to {forked})"
    else:
        mode = " (dry run: simulated on a fork, nothing will be signed or sent)" if dry_run else ""
    lines = [
        "Pre-flight" + mode,
        f"  network    {network_label(plan.network)}, chain id {m['chain_id']}",
        f"  deployer   {plan.deployer}, balance {eth(plan.balance)} ETH",
        f"  owner      {owner}",
        f"  manifest   {plan.manifest_note}",
        *([f"  system     the chain's own {', '.join(system)} (no stand-in deployed)"] if system else []),
        *config_lines(plan.cfg),
    ]
    if not plan.estimates:
        return "\n".join([*lines, "  nothing left to send"])
    rows = [
        (i, name, f"{gas:,}", eth(gas * plan.gas_price)) for i, (name, gas) in enumerate(plan.estimates, 1)
    ]
    rows.append(("", "total", f"{plan.total_gas:,}", eth(plan.cost)))
    table = format_table(("#", "transaction", "gas (simulated)", "ETH"), rows, "rlrr")
    price = f"  at the node's gas price of {plan.gas_price / GWEI:.3f} gwei"
    return "\n".join([*lines, "", *("  " + line for line in table.splitlines()), price])


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


class Journal:
    """Writes each transaction to the manifest before it is broadcast: its step, arguments, nonce and hash
    (`sent`). A run killed while waiting for the receipt leaves that entry behind, and the next run adopts
    what was mined instead of sending the step again (manifest.settle_sent_transactions)."""

    def __init__(self, env: Any, manifest: Manifest):
        self.manifest = manifest
        self.step: dict | None = None  # the step being sent (set by the transactor)
        rpc = env._rpc
        fetch = rpc.fetch

        def journaling_fetch(method: str, params: Any) -> Any:
            if method == "eth_sendRawTransaction" and self.step is not None:
                raw = bytes.fromhex(params[0].removeprefix("0x"))
                self.manifest.data["sent"] = {
                    **self.step,
                    "nonce": raw_transaction_nonce(raw),
                    "tx_hash": "0x" + keccak(raw).hex(),
                    "sent_at": now(),
                }
                self.manifest.save()
            return fetch(method, params)

        rpc.fetch = journaling_fetch


def recording_transactor(
    manifest: Manifest,
    recorder: ReceiptRecorder,
    chain: Chain,
    out: Callable,
    total: int,
    journal: Journal | None = None,
):
    """A `run_plan` transactor that sends each step, writes it to the manifest at once and prints a line."""
    count = 0

    def transact(step: Step, fn: Any, args: list) -> Any:
        nonlocal count
        key = "constructor_args" if step.is_deploy else "args"
        record = {key: [jsonable(a) for a in args]}
        if journal is not None:
            journal.step = {"step": step.name, "role": step.role, "deploy": step.is_deploy, **record}
        with quiet():
            result = fn.deploy(*args) if step.is_deploy else fn(*args)
        record.update(tx_record(recorder.take()))
        sent = manifest.data.pop("sent", None)
        if sent is not None:
            record = {**record, "nonce": sent["nonce"]}
            manifest.data["next_nonce"] = sent["nonce"] + 1
        if step.is_deploy:
            address = str(result.address)
            record = {**contract_record(step.role, address, chain), **record}
            manifest.data["contracts"][step.role] = record
        else:
            manifest.data["calls"][step.name] = record
        manifest.save()
        count += 1
        where = f" at {short(record['address'])}" if step.is_deploy else ""
        out(
            f"[{count:>2}/{total}] {step_label(step)}{where}: gas {record['gas_used']:,}, "
            f"{eth(record['wei_paid'])} ETH, block {record['block_number']}"
        )
        return result

    return transact


def jsonable(value: Any) -> Any:
    """A constructor or call argument as JSON (numbers stay numbers)."""
    return value if isinstance(value, int | bool) else str(value)


def send(plan: Plan, out: Callable = print) -> Manifest:
    """Send the plan's remaining steps for real; returns the completed manifest.

    A failure stops at the failing step with DeployError; the manifest then records every transaction that
    was mined, and the same command resumes from there.
    """
    manifest = plan.manifest
    boa_env.use_network(plan.network.url, account=plan.account)
    recorder = ReceiptRecorder(boa.env)
    journal = Journal(boa.env, manifest)
    if manifest.data.get("next_nonce") is None:  # a new deployment: the deployer's transactions start here
        manifest.data["next_nonce"] = plan.chain.nonce(plan.deployer)
    manifest.save()
    transact = recording_transactor(manifest, recorder, plan.chain, out, len(plan.estimates), journal)
    current = ""

    def tracked(step: Step, fn: Any, args: list) -> Any:
        nonlocal current
        current = step.name
        return transact(step, fn, args)

    try:
        contracts = run_plan(plan.cfg, plan.deployer, tracked, resumed_contracts(manifest), plan.done)
        run_steps(plan.handover, contracts, tracked, plan.done, plan.deployer)
    except (DeployError, KeyboardInterrupt):
        raise
    except Exception as exc:
        message = boa_env.redact(one_line(exc), plan.network.url)
        raise DeployError(
            f"step {current} failed ({message}); {manifest.path} records what was sent"
        ) from None
    manifest.data["complete"] = True
    manifest.data["completed_at"] = now()
    manifest.save()
    return manifest


def result_table(manifest: Manifest) -> str:
    """Addresses, gas and ETH of a deployment, with totals."""
    data = manifest.data
    rows = [
        (role, c["address"], f"{c.get('gas_used', 0):,}", eth(c.get("wei_paid", 0)))
        for role, c in data["contracts"].items()
    ]
    calls = list(data["calls"].values())
    if calls:
        rows.append(
            (
                f"{len(calls)} calls",
                "",
                f"{sum(c.get('gas_used', 0) for c in calls):,}",
                eth(sum(c.get("wei_paid", 0) for c in calls)),
            )
        )
    records = [*data["contracts"].values(), *calls]
    rows.append(
        (
            "total",
            "",
            f"{sum(r.get('gas_used', 0) for r in records):,}",
            eth(sum(r.get("wei_paid", 0) for r in records)),
        )
    )
    return format_table(("contract", "address", "gas", "ETH"), rows, "llrr")
