"""Deploying to mainnet, rehearsed on a mainnet-shaped local chain (issue #15, "Deploying for real").

CI has no mainnet: this builds a chain shaped like it. An anvil node with chain id 1 holds, at mainnet's
own addresses (networks.toml's `[networks.mainnet.external]`, the EIP-4788 and EIP-7002 addresses), the
project's stand-ins of the deposit contract, EigenLayer and the system contracts, deployed and wired on a
scratch node first, then moved there with `anvil_setCode` / `anvil_setStorageAt` (every address they hold
of each other rewritten to its mainnet one). `deploy --network mainnet` reaches it through $MAINNET_RPC_URL,
exactly as it would reach mainnet: `--dry-run` plans no stand-in, only mainnet's addresses, simulates every
step and sends nothing; `--dry-run --anvil-fork` forks it with `anvil --fork-url`, deploys and verifies on
the fork and sends nothing to it; a real deployment verifies and stakes through mainnet's addresses; and
`verify` fails when one of mainnet's systems has no code or misses a function the protocol calls.
"""

from __future__ import annotations

import gzip
import json
import re

import boa
import pytest
import rlp
from boa.rpc import EthereumRPC
from eth_account import Account
from eth_utils import keccak, to_checksum_address

import boa_env
from deploy.keys import cluster_registration
from deploy.network import cli, deployment, rehearsal
from deploy.network.chain import Chain
from deploy.network.externals import (
    EIGENLAYER_STAND_IN_ONLY,
    NAMED_ROLES,
    SYSTEM_ROLES,
    check_interfaces,
    external_contracts,
    interface_functions,
    named_externals,
)
from deploy.protocol import DEFAULT_CONFIG, PLAN, SOURCES, AsBlueprint, deployer_for, resolve_args
from deploy.tables import short
from tests.deploy.conftest import running_anvil, verify_checks
from tests.utils.cli import run_cli
from tests.utils.constants import c
from tests.utils.seats import seats_of

pytestmark = [pytest.mark.anvil, pytest.mark.ignore_isolation]

MAINNET = 1
URL_ENV = "MAINNET_RPC_URL"  # networks.toml: [networks.mainnet] url_env
REAL = {**SYSTEM_ROLES, **named_externals(MAINNET)}  # role -> mainnet's address of it
# every stand-in the local deployment makes of a system mainnet has (the AllocationManager with them)
STAND_INS = (*SYSTEM_ROLES, *NAMED_ROLES, *EIGENLAYER_STAND_IN_ONLY)
OURS = tuple(step for step in PLAN if step.role not in STAND_INS)  # what a mainnet deployment sends


# ------------------------------------------------------------------------------- the mainnet-shaped chain


def deploy_stand_ins(node) -> dict[str, str]:
    """Deploy and wire the stand-ins on `node` as the local deployment does (PLAN's own steps for them);
    role -> address. A fresh account deploys them: the AllocationManager keeps its address on the
    mainnet-shaped chain, where none of that chain's accounts may ever deploy to it."""
    builder = Account.create()
    EthereumRPC(node.url).fetch("anvil_setBalance", [builder.address, hex(100 * 10**18)])
    boa_env.use_network(node.url, account=builder)
    cfg = {**DEFAULT_CONFIG, "owner": builder.address}
    contracts: dict = {}
    with deployment.quiet():
        for step in PLAN:
            if step.role not in STAND_INS:
                continue
            args = resolve_args(step, contracts, cfg)
            if step.is_deploy:
                deployer = deployer_for(step.role)
                contracts[step.role] = (AsBlueprint(deployer) if step.blueprint else deployer).deploy(*args)
            else:
                getattr(contracts[step.role], step.method)(*args)
    return {role: str(contract.address) for role, contract in contracts.items()}


def created_address(creator: str, nonce: int) -> str:
    """The address of the contract `creator` makes with CREATE at `nonce`."""
    return to_checksum_address(keccak(rlp.encode([bytes.fromhex(creator[2:]), nonce]))[12:])


def moves(stand_ins: dict[str, str]) -> dict[str, str]:
    """Stand-in address -> its place on the mainnet-shaped chain. The EigenPod implementation the
    EigenPodManager stand-in created (its first CREATE) goes to mainnet's EigenPod beacon, the address every
    pod runs; the AllocationManager (never called by the protocol, not in networks.toml) keeps its own."""
    out = {stand_ins[role]: REAL[role] for role in REAL if role != "eigen_pod_implementation"}
    out[created_address(stand_ins["eigen_pod_manager"], 1)] = REAL["eigen_pod_implementation"]
    out.update({stand_ins[role]: stand_ins[role] for role in EIGENLAYER_STAND_IN_ONLY})
    return out


def dump_state(url: str) -> dict:
    """anvil's whole state: address -> {nonce, balance, code, storage}."""
    raw = EthereumRPC(url).fetch("anvil_dumpState", [])
    return json.loads(gzip.decompress(bytes.fromhex(raw[2:])))["accounts"]


def word(value: str) -> bytes:
    return bytes.fromhex(value[2:].rjust(64, "0"))


def place(source_url: str, target_url: str, where: dict[str, str]) -> None:
    """Copy each contract of `where` (code, nonce, storage) from `source_url` to its new address on
    `target_url`, every address of `where` that its code or storage holds replaced by the new one."""
    renames = [(bytes.fromhex(a[2:]), bytes.fromhex(b[2:])) for a, b in where.items() if a != b]

    def relocated(data: bytes) -> bytes:
        for old, new in renames:
            data = data.replace(old, new)
        return data

    state = {address.lower(): account for address, account in dump_state(source_url).items()}
    rpc = EthereumRPC(target_url)
    for old, new in where.items():
        account = state[old.lower()]
        rpc.fetch("anvil_setCode", [new, "0x" + relocated(bytes.fromhex(account["code"][2:])).hex()])
        rpc.fetch("anvil_setNonce", [new, hex(account["nonce"])])
        for slot, value in account["storage"].items():
            rpc.fetch(
                "anvil_setStorageAt", [new, "0x" + word(slot).hex(), "0x" + relocated(word(value)).hex()]
            )


@pytest.fixture(scope="module")
def mainnet():
    """A local chain shaped like mainnet (chain id 1; the stand-ins' code and state at mainnet's addresses,
    wired to each other there). Its deployer holds 10 000 test ETH."""
    env = boa.env
    with running_anvil("--chain-id", str(MAINNET)) as node:
        try:
            with running_anvil() as scratch:
                place(scratch.url, node.url, moves(deploy_stand_ins(scratch)))
        finally:
            boa.set_env(env)
        yield node


@pytest.fixture
def mainnet_url(mainnet, monkeypatch):
    """$MAINNET_RPC_URL at the mainnet-shaped chain: `--network mainnet` reaches it as it reaches mainnet."""
    monkeypatch.setenv(URL_ENV, mainnet.url)
    return mainnet.url


def chain_state(node) -> dict:
    """What a transaction to `node` would change: its block number, the deployer's nonce and balance, and
    the balance of each of mainnet's systems."""
    chain = Chain(node.url)
    return {
        "block": node.rpc("eth_blockNumber"),
        "deployer nonce": node.sent_by(node.deployer.address),
        "deployer balance": chain.balance(node.deployer.address),
        **{f"{role} balance": chain.balance(address) for role, address in REAL.items()},
    }


def test_the_local_chain_is_shaped_like_mainnet(mainnet):
    """Chain id 1; code at every one of mainnet's addresses, answering every function the protocol calls;
    the systems name each other by their mainnet addresses."""
    chain = Chain(mainnet.url)
    assert chain.chain_id() == MAINNET
    assert external_contracts(chain, MAINNET) == REAL  # each holds code
    check_interfaces(chain, REAL)  # and carries every selector the protocol calls
    for role, view, expected in (
        ("eigen_pod_manager", "ethPOS", "deposit_contract"),
        ("eigen_pod_manager", "delegationManager", "delegation_manager"),
        ("delegation_manager", "eigenPodManager", "eigen_pod_manager"),
    ):
        assert chain.view(REAL[role], view, "address").lower() == REAL[expected].lower(), (role, view)


# -------------------------------------------------------------------------------------------- dry runs


def test_no_step_mainnet_runs_names_a_stand_in_it_never_gets():
    """The AllocationManager stand-in is never deployed beside the real EigenLayer: no step the deployment
    sends there may take its address (it would be the zero address)."""
    for step in OURS:
        assert not {f"@{role}" for role in EIGENLAYER_STAND_IN_ONLY} & set(step.args), step.name


def test_a_dry_run_plans_mainnets_own_systems_and_simulates_every_step(
    mainnet, mainnet_url, tmp_path, capsys, restore_env
):
    """`deploy --network mainnet --dry-run`: the plan records mainnet's own systems at its own addresses and
    deploys no stand-in; every step of the deployment simulates; nothing is sent or written."""
    before = chain_state(mainnet)
    plan = deployment.prepare("mainnet", cli.Sender(mainnet.deployer.address), tmp_path)
    recorded = plan.manifest.data["contracts"]
    assert all(record.get("predeploy") for record in recorded.values())  # nothing of ours exists yet
    assert {role: record["address"] for role, record in recorded.items()} == REAL
    assert [label for label, _ in plan.estimates] == [deployment.step_label(s) for s in OURS]
    assert all(gas > 21_000 for _, gas in plan.estimates)
    assert {s.role for s in OURS if s.is_deploy} == set(SOURCES) - set(STAND_INS)

    status = cli.main(["deploy", "--network", "mainnet", "--dry-run", "--from", mainnet.deployer.address])
    out = capsys.readouterr().out
    assert status == cli.EXIT_OK, out
    assert "chain id 1" in out and "(no stand-in deployed)" in out
    assert not any(f"deploy {role} " in out or f"call {role}." in out for role in STAND_INS)
    assert chain_state(mainnet) == before, "a dry run must not send a transaction"
    assert not any(tmp_path.iterdir())


def table_rows(out: str) -> dict[str, str]:
    """The result table's contract rows: role -> address."""
    return dict(re.findall(r"^(\w+) +(0x[0-9a-fA-F]{40}) ", out, re.MULTILINE))


def test_an_anvil_fork_dry_run_deploys_and_verifies_on_the_fork_only(mainnet, tmp_path):
    """The README's command, as a user runs it, with no key: anvil forks "mainnet" (`--fork-url`), the
    deployer is impersonated there, every step is sent and mined on the fork and the result verifies; the
    chain behind $MAINNET_RPC_URL receives nothing, no manifest is written, and the fork is stopped."""
    before = chain_state(mainnet)
    env = {**mainnet.cli_env(), URL_ENV: mainnet.url}
    del env["BYZANTINE_DEPLOYER_KEY"]
    args = ["deploy", "--network", "mainnet", "--dry-run", "--anvil-fork", "--from", mainnet.deployer.address]
    readme = (rehearsal.ROOT / "README.md").read_text()
    assert "python -m deploy.network " + " ".join(args[:-1]) + " 0xDEPLOYER\n" in readme
    result = run_cli("deploy.network", *args, "--manifest-dir", str(tmp_path), env=env)
    out = result.stdout
    assert result.returncode == cli.EXIT_OK, out + result.stderr
    assert (
        "Pre-flight (dry run on an anvil fork: sent there, nothing will be signed or sent to mainnet)" in out
    )
    sent = [line for line in out.splitlines() if line.startswith("[")]
    assert [line.split("] ")[1].split(":")[0].split(" at ")[0] for line in sent] == [
        deployment.step_label(s) for s in OURS
    ]
    rows = table_rows(out)
    assert {role: rows[role] for role in REAL} == REAL  # mainnet's own systems, at mainnet's addresses
    assert set(rows) == set(REAL) | {s.role for s in OURS if s.is_deploy}  # and no stand-in
    assert "MISMATCH" not in out and re.search(r"^(\d+) of \1 checks passed$", out, re.MULTILINE), out
    assert out.rstrip().endswith(
        "dry run complete: deployed and verified on an anvil fork of mainnet; "
        "nothing was signed or sent to mainnet"
    )
    assert chain_state(mainnet) == before, "the rehearsal must not send anything to the network"
    assert not any(tmp_path.iterdir()), "the rehearsal must not write the network's manifest"
    fork_url = re.search(r"starting anvil at (http://127\.0\.0\.1:\d+), forking mainnet", out).group(1)
    with pytest.raises(boa_env.NetworkError, match="connection refused"):
        boa_env.chain_id_of(fork_url)  # the fork is gone


# ------------------------------------------------------------------------- refusals of --anvil-fork


def anvil_fork_refused(capsys, expected: str, started: bool = False) -> str:
    """`deploy --network mainnet --dry-run --anvil-fork` exits 2 with `expected` in one line on stderr;
    nothing is printed before, but (`started`) the line saying anvil starts."""
    argv = ["deploy", "--network", "mainnet", "--dry-run", "--anvil-fork", "--from", "0x" + "11" * 20]
    status = cli.main(argv)
    out, err = capsys.readouterr()
    assert status == cli.EXIT_REFUSED, out
    assert out.startswith("starting anvil at ") and out.count("\n") == 1 if started else out == "", out
    assert err.count("\n") == 1 and expected in err, err
    return err


def test_an_anvil_fork_needs_mainnets_url(monkeypatch, capsys):
    monkeypatch.delenv(URL_ENV, raising=False)
    anvil_fork_refused(capsys, f"network 'mainnet' reads its RPC URL from ${URL_ENV}, which is not set")


def test_an_anvil_fork_of_an_unreachable_url_is_refused(monkeypatch, capsys):
    monkeypatch.setenv(URL_ENV, "http://127.0.0.1:1/v3/SECRET?key=TOKEN")
    err = anvil_fork_refused(capsys, "no answer from http://127.0.0.1:1: connection refused at 127.0.0.1:1")
    assert "SECRET" not in err and "TOKEN" not in err


def test_an_anvil_fork_of_another_chain_is_refused(anvil, monkeypatch, capsys):
    monkeypatch.setenv(URL_ENV, anvil.url)  # a development chain, 31337
    anvil_fork_refused(capsys, "has chain id 31337; networks.toml expects 1: the URL points at another chain")


def test_an_anvil_fork_is_a_dry_run_only(capsys):
    assert cli.main(["deploy", "--network", "mainnet", "--anvil-fork", "--yes"]) == cli.EXIT_REFUSED
    assert "--anvil-fork only works with --dry-run" in capsys.readouterr().err


def test_an_anvil_fork_without_anvil_is_refused(mainnet_url, monkeypatch, capsys):
    monkeypatch.setattr(rehearsal, "find_anvil", lambda: None)
    anvil_fork_refused(capsys, "--anvil-fork needs anvil: none on PATH or under .tools/")


def test_anvils_own_failure_is_one_line_without_secrets(mainnet, tmp_path, monkeypatch, capsys):
    """anvil exits instead of forking (here a stand-in printing what anvil prints when the network drops
    the connection): its reason, in one line, without the URL's path or query."""
    fake = tmp_path / "anvil"
    fake.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != "--fork-url" ]; do shift; done\n'
        'printf "Error: failed to get fork block number\\n\\nContext:\\n'
        '- Error #0: error sending request for url (%s)\\n- Error #1: connection closed\\n" "$2" >&2\n'
        "exit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(rehearsal, "find_anvil", lambda: fake)
    monkeypatch.setenv(URL_ENV, mainnet.url + "/?key=TOKEN456")
    err = anvil_fork_refused(
        capsys,
        f"anvil could not fork mainnet ({mainnet.url}): failed to get fork block number: connection closed",
        started=True,
    )
    assert "TOKEN456" not in err


def test_anvils_failure_message_is_its_error_and_innermost_cause():
    log = (
        "Error: failed to get fork block number\n\nContext:\n- Error #0: error sending request for url (u)\n"
        "- Error #1: client error (Connect)\n- Error #2: Connection refused (os error 111)\n"
    )
    assert (
        rehearsal.anvil_failure(log) == "failed to get fork block number: Connection refused (os error 111)"
    )
    assert rehearsal.anvil_failure("bind: address in use\n") == "bind: address in use"
    assert rehearsal.anvil_failure("") == "no message"


# ------------------------------------------------------------------- a real deployment, then verify


@pytest.fixture(scope="module")
def deployed(mainnet, tmp_path_factory):
    """The suite deployed for real to the mainnet-shaped chain by `deploy --network mainnet --yes`
    (in-process `main`, the same code as the command line); the manifest's path."""
    manifest_dir = tmp_path_factory.mktemp("mainnet-deployments")
    env = boa.env
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(URL_ENV, mainnet.url)
        patch.setenv("BYZANTINE_DEPLOYER_KEY", mainnet.deployer.key.hex())
        try:
            with deployment.quiet():
                status = cli.main(
                    ["deploy", "--network", "mainnet", "--yes", "--manifest-dir", str(manifest_dir)]
                )
        finally:
            boa.set_env(env)
    assert status == cli.EXIT_OK
    return manifest_dir / f"{MAINNET}.json"


def verify(capsys, manifest) -> tuple[int, list[str]]:
    """`verify --network mainnet -v`: the status and the report's checks."""
    return verify_checks(capsys, "--network", "mainnet", "--manifest", str(manifest))


def test_a_real_deployment_uses_mainnets_systems_and_verifies(deployed, mainnet, mainnet_url, capsys):
    data = json.loads(deployed.read_text())
    assert data["complete"] and data["chain_id"] == MAINNET
    contracts = data["contracts"]
    assert {role: r["address"] for role, r in contracts.items() if r.get("predeploy")} == REAL
    assert {role for role, r in contracts.items() if not r.get("predeploy")} == set(SOURCES) - set(STAND_INS)
    assert set(data["calls"]) == {s.name for s in OURS if not s.is_deploy}
    status, checks = verify(capsys, deployed)
    assert status == cli.EXIT_OK and not any(line.startswith("MISMATCH") for line in checks), checks
    for role in NAMED_ROLES:
        assert f"ok        {role} answers the protocol's calls  every function present" in checks, role
    for role in ("eigen_pod_manager", "delegation_manager"):
        (check,) = [line for line in checks if line.startswith(f"ok        manager.{role}() == {role} ")]
        assert check.lower().endswith(short(REAL[role]).lower()), check
    fork_version = "ok        cluster_keys.genesis_fork_version() == chain 1's fork version  0x00000000"
    assert fork_version in checks


@pytest.fixture
def snapshot(mainnet):
    """The mainnet-shaped chain as it is now, restored after the test (anvil's `evm_snapshot`)."""
    rpc = EthereumRPC(mainnet.url)
    taken = rpc.fetch("evm_snapshot", [])
    yield rpc
    assert rpc.fetch("evm_revert", [taken]) is True


def test_verify_fails_when_a_system_has_no_code(deployed, mainnet_url, snapshot, capsys):
    address = REAL["deposit_contract"]
    snapshot.fetch("anvil_setCode", [address, "0x"])
    status, checks = verify(capsys, deployed)
    assert status == cli.EXIT_MISMATCH
    bad = [line for line in checks if line.startswith("MISMATCH")]
    signatures = ", ".join(sig for sig, _ in interface_functions("IDepositContract.vyi"))
    assert [" ".join(line.split()[:4]) for line in bad] == [
        "MISMATCH code of deposit_contract",
        "MISMATCH deposit_contract answers the",
    ], bad
    assert bad[1].endswith(f"lacks {signatures}"), bad


def test_verify_fails_when_a_system_misses_a_function_the_protocol_calls(
    deployed, mainnet_url, snapshot, capsys
):
    """RewardsCoordinator without `processClaim` (its selector overwritten): named by `verify`."""
    address = REAL["rewards_coordinator"]
    functions = interface_functions(NAMED_ROLES["rewards_coordinator"][0])
    ((signature, selector),) = [(sig, s) for sig, s in functions if sig.startswith("processClaim(")]
    code = Chain(mainnet_url).code(address)
    assert selector in code
    snapshot.fetch("anvil_setCode", [address, "0x" + code.replace(selector, b"\xff" * 4).hex()])
    status, checks = verify(capsys, deployed)
    assert status == cli.EXIT_MISMATCH
    (answers,) = [line for line in checks if "rewards_coordinator answers" in line]
    assert answers.startswith("MISMATCH"), checks
    assert "".join(answers.split()).endswith(f"lacks{signature}"), answers  # that one only


@pytest.mark.filterwarnings("ignore:casted bytecode does not match")
def test_a_stake_reaches_mainnets_deposit_contract_through_mainnets_eigenlayer(
    deployed, mainnet, restore_env
):
    """The deployed suite works with the systems it found: five bids, a cluster and its keys (signed for
    mainnet's deposit domain), a stake; the StrategyModule's pod is the one mainnet's EigenPodManager
    creates, and the 1 ETH pre-deposit reaches mainnet's deposit contract."""
    contracts = {role: r["address"] for role, r in json.loads(deployed.read_text())["contracts"].items()}
    boa_env.use_network(mainnet.url, account=mainnet.deployer)
    for account in mainnet.accounts:
        boa.env.add_account(account)
    auction = deployer_for("auction").at(contracts["auction"])
    manager = deployer_for("manager").at(contracts["manager"])
    keys = deployer_for("cluster_keys").at(contracts["cluster_keys"])
    pod_manager = deployer_for("eigen_pod_manager").at(REAL["eigen_pod_manager"])
    operators, staker = [a.address for a in mainnet.accounts[1:6]], mainnet.accounts[6].address
    deposits = Chain(mainnet.url).balance(REAL["deposit_contract"])
    with deployment.quiet():
        for i, op in enumerate(operators):
            d, t = 100 * i, 60 + 10 * i
            auction.bid([d], [t], value=auction.price_to_pay(op, [d], [t]), sender=op)
        (cluster_id,) = manager.pre_create_clusters(1)
        seats = seats_of(manager, cluster_id)
        module, pod, _ = manager.predict_addresses(cluster_id, seats)
        winners = [seat.operator for seat in seats]
        reg = cluster_registration(
            bytes(manager.withdrawal_credentials(cluster_id)),
            len(winners),
            seed=b"mainnet-shaped staking flow seed, 32 bytes",
            fork_version=bytes(4),  # mainnet's genesis fork version
        )
        for winner, (share, point) in zip(winners, reg.shares, strict=True):
            keys.register_share(cluster_id, seats, share, point, sender=winner)
        keys.register_deposit_data(cluster_id, seats, *reg.deposit_args, sender=winners[0])
        manager.create_strategy_module_and_stake(value=c.STAKE_AMOUNT, sender=staker)
    assert str(pod_manager.ownerToPod(module)) == str(pod) == str(pod_manager.getPod(module))
    assert Chain(mainnet.url).code(str(pod))  # created by mainnet's EigenPodManager
    assert Chain(mainnet.url).balance(REAL["deposit_contract"]) == deposits + c.PRE_DEPOSIT_AMOUNT
