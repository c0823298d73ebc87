"""Deploying for real, against a local anvil node: `--dry-run` sends nothing; a real run with `--owner`
writes a manifest (ABIs included) and starts the ownership handover; `verify` reports owners and pending
owners and catches tampering; every bad input ends in one line, exit status 2 and no transaction; a failed
run resumes; and one bid's receipt matches deploy/gas.py's in-process figure."""

from __future__ import annotations

import contextlib
import io
import json
import os

import boa
import pytest
import rlp
from boa.rpc import EthereumRPC
from eth_account import Account

import boa_env
from deploy import network
from deploy.gas import measure
from deploy.keys import cluster_registration, verify_deposit_data
from deploy.network import cli, deployment
from deploy.protocol import DEFAULT_CONFIG, PLAN, SOURCES, deployer_for
from tests.deploy.conftest import verify_checks
from tests.utils.cli import run_cli
from tests.utils.constants import c
from tests.utils.seats import operators_of, seats_of

pytestmark = [pytest.mark.anvil, pytest.mark.ignore_isolation]


def deploy_args(anvil, manifest_dir, *extra: str) -> list[str]:
    return ["deploy", "--network", anvil.url, "--manifest-dir", str(manifest_dir), *extra]


@pytest.fixture
def deployer_key(anvil, monkeypatch):
    """The deployer's key in the environment, as the CLI reads it."""
    monkeypatch.setenv(network.KEY_ENV_VAR, anvil.deployer.key.hex())


@pytest.fixture(scope="module")
def new_owner(anvil):
    """The account the ownership is handed over to (a multisig, in real life)."""
    return anvil.accounts[9]


@pytest.fixture(scope="module")
def dry_run(anvil, tmp_path_factory):
    """`--dry-run` through `python -m deploy.network`, as a user runs it: no key at all, only the
    deployer's address (`--from`)."""
    manifest_dir = tmp_path_factory.mktemp("dry-run")
    before = (anvil.rpc("eth_blockNumber"), anvil.sent_by(anvil.deployer.address))
    env = {k: v for k, v in anvil.cli_env().items() if k != network.KEY_ENV_VAR}
    args = deploy_args(anvil, manifest_dir, "--dry-run", "--from", anvil.deployer.address)
    result = run_cli("deploy.network", *args, env=env)
    after = (anvil.rpc("eth_blockNumber"), anvil.sent_by(anvil.deployer.address))
    return result, manifest_dir, before, after


@pytest.fixture(scope="module")
def deployed(anvil, new_owner, dry_run, tmp_path_factory):
    """The suite deployed for real with `--owner` (in-process `main`, the same code as the CLI)."""
    manifest_dir = tmp_path_factory.mktemp("deployments")
    env, out = boa.env, io.StringIO()
    os.environ[network.KEY_ENV_VAR] = anvil.deployer.key.hex()
    try:
        with contextlib.redirect_stdout(out):
            status = cli.main(deploy_args(anvil, manifest_dir, "--yes", "--owner", new_owner.address))
    finally:
        del os.environ[network.KEY_ENV_VAR]
        boa.set_env(env)
    assert status == 0, out.getvalue()
    return manifest_dir / "31337.json", out.getvalue()


@pytest.fixture(scope="module")
def deployment_manifest(deployed):
    """The manifest's path."""
    return deployed[0]


def test_dry_run_simulates_and_sends_nothing(dry_run, anvil):
    result, manifest_dir, before, after = dry_run
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Pre-flight (dry run" in out and "nothing was signed or sent" in out
    assert "chain id 31337" in out and anvil.deployer.address in out and "balance 10,000.000000 ETH" in out
    for step in PLAN:
        assert ("deploy " if step.is_deploy else "call ") + step.name in out
    assert "at the node's gas price of" in out
    assert after == before, "a dry run must not send a transaction"
    assert not any(manifest_dir.iterdir()), "a dry run must not write a manifest"
    assert "tx broadcasted" not in out and "Warning" not in result.stderr


def test_real_deployment_prints_one_line_per_step_and_a_table(deployed, new_owner):
    path, out = deployed
    data = json.loads(path.read_text())
    steps = len(data["contracts"]) + len(data["calls"])
    assert "Pre-flight" in out and "dry run" not in out and f"owner      {new_owner.address}" in out
    lines = [line for line in out.splitlines() if line.startswith("[")]
    assert len(lines) == steps and lines[-1].startswith(f"[{steps}/{steps}]")
    assert "tx broadcasted" not in out and "contract deployed at" not in out
    table = out[out.index("contract  ") :].splitlines()
    assert all(
        any(line.startswith(role + " ") and data["contracts"][role]["address"] in line for line in table)
        for role in SOURCES
    )
    assert any(line.startswith("total") for line in table)
    assert f"next: {new_owner.address} calls accept_ownership()" in out


def test_manifest_records_every_contract_call_and_abi(deployment_manifest, anvil, new_owner):
    data = json.loads(deployment_manifest.read_text())
    assert data["complete"] is True and data["chain_id"] == 31337
    assert data["deployer"] == data["owner"] == anvil.deployer.address
    assert data["new_owner"] == new_owner.address
    assert set(data["contracts"]) == set(SOURCES)
    owned = network.owned_roles()
    assert {"auction", "manager", "staker_rewards", "byz_nft"} <= set(owned)
    assert set(data["calls"]) == {s.name for s in PLAN if not s.is_deploy} | {
        f"{role}.transfer_ownership" for role in owned
    }
    auction = data["contracts"]["auction"]
    assert auction["constructor_args"][0] == data["contracts"]["escrow"]["address"]
    assert {e["name"] for e in auction["abi"] if e["type"] == "function"} >= {"bid", "settle_cluster"}
    for record in [*data["contracts"].values(), *data["calls"].values()]:
        assert record["tx_hash"].startswith("0x") and record["block_number"] > 0
        assert record["gas_used"] > 21_000 and record["wei_paid"] > 0
    assert data["compiler"]["vyper"] == "0.4.3"


def verify(anvil, manifest, capsys, restore_env, *extra: str) -> tuple[int, list[str]]:
    """`verify -v` against the node: the status and the report's checks."""
    return verify_checks(capsys, "--network", anvil.url, "--manifest", str(manifest), *extra)


def test_verify_shows_the_failing_checks_within_100_columns(
    deployment_manifest, anvil, tmp_path, capsys, restore_env
):
    """By default only the failing checks and a summary; `-v` lists all; the endpoint is named once."""
    data = json.loads(deployment_manifest.read_text())
    data["contracts"]["escrow"]["runtime_code_hash"] = "0x" + "00" * 32
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    assert cli.main(["verify", "--network", anvil.url, "--manifest", str(tampered)]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines if not line.startswith("manifest ")) <= 100, out
    assert out.count(anvil.url) == 1 and "chain id 31337" in lines[0]
    assert lines[1] == f"manifest {tampered}"
    assert [line for line in lines if line[:1] not in (" ", "")][2:-1] == ["MISMATCH  code of escrow"]
    total = int(lines[-1].split(" of ")[1].split()[0])
    assert lines[-1] == f"{total - 1} of {total} checks passed; 1 MISMATCH (-v lists every check)"
    assert "0x" + "00" * 32 in out  # the detail says what differs
    status, checks = verify(anvil, tampered, capsys, restore_env)
    assert status == 1 and len([c for c in checks if c.startswith(("ok ", "MISMATCH "))]) == total


def test_verify_reports_pending_then_accepted_owners(
    deployment_manifest, anvil, new_owner, capsys, restore_env
):
    status, lines = verify(anvil, deployment_manifest, capsys, restore_env)
    assert status == 0 and not any(line.startswith("MISMATCH") for line in lines)
    owners = [line for line in lines if "owner, pending owner" in line]
    assert len(owners) == len(network.owned_roles())
    assert all("handover pending" in line for line in owners)

    # the new owner accepts one contract: that one reads "accepted", the rest still "pending"
    boa_env.use_network(anvil.url, account=new_owner)
    data = json.loads(deployment_manifest.read_text())
    auction = deployer_for("auction").at(data["contracts"]["auction"]["address"])
    with deployment.quiet():
        auction.accept_ownership()
    status, lines = verify(anvil, deployment_manifest, capsys, restore_env)
    assert status == 0
    assert any(line.startswith("ok") and "auction: owner" in line and "accepted" in line for line in lines)


def test_verify_fails_on_a_tampered_code_hash(deployment_manifest, anvil, tmp_path, capsys, restore_env):
    data = json.loads(deployment_manifest.read_text())
    data["contracts"]["escrow"]["runtime_code_hash"] = "0x" + "00" * 32
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    status, lines = verify(anvil, tampered, capsys, restore_env)
    assert status == 1
    assert any(line.startswith("MISMATCH") and "code of escrow" in line for line in lines)


def test_verify_fails_when_the_wiring_or_an_owner_differs(
    deployment_manifest, anvil, tmp_path, capsys, restore_env
):
    """A genuine but unwired Escrow in place of the real one (its code hash matches, its wiring does not),
    and a manifest that names another owner."""
    boa_env.use_network(anvil.url, account=anvil.deployer)
    with deployment.quiet():
        impostor = deployer_for("escrow").deploy()
    data = json.loads(deployment_manifest.read_text())
    data["contracts"]["escrow"]["address"] = str(impostor.address)
    data["contracts"]["escrow"]["runtime_code_hash"] = network.Chain(anvil.url).code_hash(
        str(impostor.address)
    )
    data["owner"] = anvil.accounts[8].address
    tampered = tmp_path / "impostor.json"
    tampered.write_text(json.dumps(data))
    status, lines = verify(anvil, tampered, capsys, restore_env)
    assert status == 1
    bad = [line for line in lines if line.startswith("MISMATCH")]
    assert any("auction.escrow() == escrow" in line for line in bad)
    assert any("escrow.auction() == auction" in line for line in bad)
    assert any("manager: owner" in line for line in bad)
    assert not any("code of escrow" in line for line in bad)


def test_verify_checks_the_cluster_keys_fork_version(
    deployment_manifest, anvil, tmp_path, capsys, restore_env
):
    """ClusterKeys' deposit domain is the configured fork version; a manifest configured for another one
    (mainnet's, here) is a mismatch, with both values shown. A development chain has no fork version of its
    own to check against."""
    status, lines = verify(anvil, deployment_manifest, capsys, restore_env)
    assert status == 0
    expected = "ok        cluster_keys.genesis_fork_version() == genesis_fork_version  0x01017000"
    assert [line for line in lines if "genesis_fork_version" in line] == [expected]
    data = json.loads(deployment_manifest.read_text())
    data["config"]["genesis_fork_version"] = 0
    tampered = tmp_path / "mainnet-domain.json"
    tampered.write_text(json.dumps(data))
    status, lines = verify(anvil, tampered, capsys, restore_env)
    assert status == 1
    (bad,) = [line for line in lines if line.startswith("MISMATCH")]
    assert bad.startswith("MISMATCH  cluster_keys.genesis_fork_version() == genesis_fork_version")
    assert bad.endswith("chain 0x01017000, expected 0x00000000")  # the detail on a line of its own


def test_verify_checks_the_chain_id_networks_toml_pins(
    deployment_manifest, anvil, capsys, monkeypatch, restore_env
):
    """`verify --network sepolia` with SEPOLIA_RPC_URL at a local node (chain 31337) is refused, as `deploy`
    refuses it: a pass "against sepolia" would be a lie."""
    monkeypatch.setenv("SEPOLIA_RPC_URL", anvil.url)
    argv = ["verify", "--network", "sepolia", "--manifest", str(deployment_manifest)]
    err = assert_refused(anvil, capsys, argv, "has chain id 31337; networks.toml expects 11155111")
    assert "sepolia" in err
    assert capsys.readouterr().out == ""  # no report at all


BAD_SETTINGS = {
    "cluster_size=0": "cluster_size=0: must be between 4 and 7",
    "cluster_size=8": "cluster_size=8: must be between 4 and 7",
    "max_discount_rate=10000": "max_discount_rate=10000: must be between 0 and 9,999 basis points",
    "min_duration=0": "min_duration=0: must be at least 1 day",
    "min_duration=4000": "min_duration=4000: must not exceed max_duration",
    "max_duration=40000": "max_duration=40000: must be between 1 and 36,500 days",
    "expected_daily_return=1": "expected_daily_return=1 is too small",
    "pending_cluster_ttl=3600": "pending_cluster_ttl=3600: must be between 86,400 and 315,360,000 seconds",
    "expected_daily_return=-5": "must not be negative",
    "cluster_size=four": "'four' is not an integer",
    "cluster_sise=4": "unknown key 'cluster_sise'",
    "cluster_size": "write KEY=VALUE",
}


def assert_refused(anvil, capsys, argv: list[str], expected: str, simulated: bool = False) -> str:
    """`main(argv)` exits 2 with `expected` in one line on stderr, and the deployer sent nothing. Unless
    the refusal comes after the simulation (`simulated`), nothing was printed before it."""
    nonce = anvil.sent_by(anvil.deployer.address)
    status = cli.main(argv)
    out, err = capsys.readouterr()
    assert simulated or out == "", out
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert "Traceback" not in err
    assert expected in err, err
    assert anvil.sent_by(anvil.deployer.address) == nonce
    return err


@pytest.mark.parametrize("setting", sorted(BAD_SETTINGS))
def test_bad_configuration_is_refused_in_one_line(
    setting, anvil, tmp_path, capsys, deployer_key, restore_env
):
    assert_refused(anvil, capsys, deploy_args(anvil, tmp_path, "--set", setting), BAD_SETTINGS[setting])
    assert not any(tmp_path.iterdir())


def test_every_configuration_key_has_a_range_rule():
    from deploy.network.inputs import RULES
    from deploy.protocol import DEFAULT_CONFIG

    assert set(DEFAULT_CONFIG) <= set(RULES), "add a rule for each new configuration key to inputs.RULES"


@pytest.mark.parametrize(
    "owner, expected",
    [
        ("0x1234", "is not an address"),
        ("0x" + "00" * 20, "must not be the zero address"),
        ("0x70997970c51812dc3a010c7d01b50e0d17dc79C8", "wrong checksum"),
        ("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "is the deployer itself"),
    ],
)
def test_bad_owner_is_refused_in_one_line(
    owner, expected, anvil, tmp_path, capsys, deployer_key, restore_env
):
    assert_refused(anvil, capsys, deploy_args(anvil, tmp_path, "--owner", owner), expected)


def test_bad_network_targets_are_refused_without_secrets(anvil, tmp_path, capsys, deployer_key, restore_env):
    secret = "v3/SECRETKEY123?apikey=TOKEN456"
    err = assert_refused(
        anvil,
        capsys,
        ["deploy", "--network", f"http://127.0.0.1:1/{secret}"],
        "no answer from http://127.0.0.1:1: connection refused at 127.0.0.1:1",
    )
    assert "SECRETKEY123" not in err and "TOKEN456" not in err
    assert_refused(anvil, capsys, ["deploy", "--network", "ftp://example.org"], "not a usable RPC URL")
    assert_refused(anvil, capsys, ["deploy", "--network", "nowhere"], "unknown network 'nowhere'")


def test_named_networks_come_from_networks_toml(
    anvil, tmp_path, capsys, deployer_key, monkeypatch, restore_env
):
    toml = tmp_path / "networks.toml"
    toml.write_text(
        '[networks.devnet]\nurl_env = "DEVNET_RPC_URL"\nchain_id = 31337\n'
        f'[networks.wrong]\nurl = "{anvil.url}"\nchain_id = 1\n'
    )
    monkeypatch.setattr(boa_env, "NETWORKS_FILE", toml)
    monkeypatch.delenv("DEVNET_RPC_URL", raising=False)
    assert_refused(anvil, capsys, ["deploy", "--network", "devnet"], "reads its RPC URL from $DEVNET_RPC_URL")
    assert_refused(anvil, capsys, ["deploy", "--network", "wrong"], "chain id 31337; networks.toml expects 1")
    monkeypatch.setenv("DEVNET_RPC_URL", anvil.url)
    assert boa_env.resolve("devnet").url == anvil.url
    assert boa_env.use_network("devnet") is not None  # the deployer key is in the environment


def test_bad_or_missing_key_is_refused(anvil, tmp_path, capsys, monkeypatch, restore_env):
    monkeypatch.setenv(network.KEY_ENV_VAR, "0x1234")
    err = assert_refused(anvil, capsys, deploy_args(anvil, tmp_path), "is not a valid private key")
    assert "1234" not in err
    monkeypatch.delenv(network.KEY_ENV_VAR)
    assert_refused(anvil, capsys, deploy_args(anvil, tmp_path), "no deployer key")
    argv = deploy_args(anvil, tmp_path, "--from", anvil.deployer.address)
    assert_refused(anvil, capsys, argv, "--from only works with --dry-run")


def test_keystore_is_decrypted_with_the_password_from_the_environment(tmp_path, monkeypatch):
    account = Account.create()
    path = tmp_path / "key.json"
    path.write_text(json.dumps(Account.encrypt(account.key, "correct horse", kdf="pbkdf2", iterations=2)))
    monkeypatch.setenv(network.PASSWORD_ENV_VAR, "correct horse")
    assert network.load_account(str(path)).address == account.address
    monkeypatch.setenv(network.PASSWORD_ENV_VAR, "wrong")
    with pytest.raises(network.DeployError) as err:
        network.load_account(str(path))
    assert account.key.hex() not in str(err.value)


def test_unfunded_deployer_is_refused_before_sending(anvil, tmp_path, capsys, monkeypatch, restore_env):
    monkeypatch.setenv(network.KEY_ENV_VAR, Account.create().key.hex())
    assert_refused(
        anvil,
        capsys,
        deploy_args(anvil, tmp_path, "--yes"),
        "holds 0.000000 ETH; the deployment needs",
        simulated=True,
    )


def test_no_confirmation_without_a_terminal(anvil, tmp_path, capsys, deployer_key, restore_env):
    argv = deploy_args(anvil, tmp_path)
    assert_refused(anvil, capsys, argv, "pass --yes to deploy from a script", simulated=True)
    assert not (tmp_path / "31337.json").exists()


def test_complete_deployment_is_not_deployed_again(
    deployment_manifest, anvil, capsys, deployer_key, restore_env
):
    argv = deploy_args(anvil, deployment_manifest.parent, "--yes")
    assert_refused(anvil, capsys, argv, "refusing to deploy again")


def test_malformed_manifest_or_unwritable_folder_is_refused_by_a_dry_run(
    deployment_manifest, anvil, tmp_path, capsys, restore_env
):
    """`prepare` names a manifest of the wrong shape, or a folder it cannot write to, so `--dry-run`
    catches both before anything is simulated."""
    dry = ["--dry-run", "--from", anvil.deployer.address]
    data = json.loads(deployment_manifest.read_text())
    data["contracts"] = []
    (tmp_path / "31337.json").write_text(json.dumps(data))
    expected = f"{tmp_path / '31337.json'} is not a deployment manifest ('contracts' is not a JSON object)"
    assert_refused(anvil, capsys, deploy_args(anvil, tmp_path, *dry), expected)
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("")
    expected = f"cannot write the manifest to {a_file}: {a_file} is a file, not a folder"
    assert_refused(anvil, capsys, deploy_args(anvil, a_file, *dry), expected)


def test_stale_partial_manifest_is_refused(
    deployment_manifest, anvil, tmp_path, capsys, deployer_key, restore_env
):
    data = json.loads(deployment_manifest.read_text())
    data["complete"] = False
    data["contracts"]["escrow"]["address"] = "0x" + "11" * 20
    (tmp_path / "31337.json").write_text(json.dumps(data))
    assert_refused(anvil, capsys, deploy_args(anvil, tmp_path, "--yes"), "are not on this chain")


def test_failed_deployment_resumes(anvil, tmp_path, monkeypatch, restore_env):
    """The node fails right after escrow.initialize was mined, before it was recorded: the run stops with a
    one-line error and a partial manifest; the same command finishes the suite, keeps the recorded
    contracts and finds the call already made on chain instead of repeating it."""
    real = deployment.recording_transactor

    def failing(manifest, *args):
        transact = real(manifest, *args)

        def step(s, fn, args):
            result = transact(s, fn, args)
            if s.name == "escrow.initialize":
                del manifest.data["calls"][s.name]
                manifest.save()
                raise ConnectionError("node went away")
            return result

        return step

    monkeypatch.setattr(deployment, "recording_transactor", failing)
    with pytest.raises(network.DeployError, match="step escrow.initialize failed .*records what was sent"):
        network.deploy_to_network(anvil.url, anvil.deployer, tmp_path, out=lambda _: None)
    partial = network.Manifest.load(tmp_path / "31337.json")
    assert not partial.data["complete"] and set(partial.data["contracts"]) == set(SOURCES)
    monkeypatch.setattr(deployment, "recording_transactor", real)

    lines: list[str] = []
    done = network.deploy_to_network(anvil.url, anvil.deployer, tmp_path, out=lines.append)
    assert done.data["complete"]
    calls = [s for s in PLAN if not s.is_deploy]
    assert len(lines) == len(calls) - len(partial.data["calls"]) - 1  # only the calls left
    assert {r: c["address"] for r, c in done.data["contracts"].items()} == {
        r: c["address"] for r, c in partial.data["contracts"].items()
    }
    assert done.data["calls"]["escrow.initialize"]["note"] == "found done on chain"
    findings = network.verify_manifest(anvil.url, done)
    assert all(f.ok for f in findings), [f for f in findings if not f.ok]


@pytest.mark.filterwarnings("ignore:casted bytecode does not match")
def test_staking_flow_over_json_rpc(deployment_manifest, anvil, restore_env):
    """Bids from funded node accounts, pre-creation, key ceremony and registration, a stake (its 1 ETH
    pre-deposit reaches the deposit contract)."""
    manifest = network.Manifest.load(deployment_manifest)
    boa_env.use_network(anvil.url, account=anvil.deployer)
    for account in anvil.accounts:
        boa.env.add_account(account)
    c_ = {role: deployer_for(role).at(manifest.address(role)) for role in SOURCES}
    auction, manager = c_["auction"], c_["manager"]
    operators, staker = [a.address for a in anvil.accounts[1:6]], anvil.accounts[6].address
    with deployment.quiet():
        for i, op in enumerate(operators):
            d, t = 100 * i, 60 + 10 * i
            auction.bid([d], [t], value=auction.price_to_pay(op, [d], [t]), sender=op)
        assert auction.num_operators_in_auction() == 5
        (cluster_id,) = manager.pre_create_clusters(1)
        _, pod, _ = manager.predict_addresses(cluster_id, seats_of(manager, cluster_id))
        credentials = bytes(manager.withdrawal_credentials(cluster_id))
        assert credentials == b"\x01" + bytes(11) + bytes.fromhex(str(pod)[2:])
        # each winner registers its key share from its own account, then one the group key and signature
        winners = list(operators_of(auction, cluster_id))
        reg = cluster_registration(
            credentials,
            len(winners),
            seed=b"anvil staking flow seed, 32 bytes or more",
            fork_version=DEFAULT_CONFIG["genesis_fork_version"].to_bytes(4, "big"),
        )
        assert verify_deposit_data(reg.deposit_data)
        keys = c_["cluster_keys"]
        for winner, (share, point) in zip(winners, reg.shares, strict=True):
            keys.register_share(cluster_id, seats_of(keys, cluster_id), share, point, sender=winner)
        keys.register_deposit_data(
            cluster_id, seats_of(keys, cluster_id), *reg.deposit_args, sender=winners[0]
        )
        assert manager.has_deposit_data(cluster_id)
        manager.create_strategy_module_and_stake(value=c.STAKE_AMOUNT, sender=staker)
    assert c_["byz_nft"].ownerOf(cluster_id) == staker
    chain = network.Chain(anvil.url)
    assert chain.balance(manifest.address("deposit_contract")) == c.PRE_DEPOSIT_AMOUNT


def test_bid_gas_receipt_matches_in_process_measurement(deployment_manifest, anvil, restore_env):
    """One bid: deploy/gas.py on a fork of the node's latest state vs the node's receipt for the same call."""
    manifest = network.Manifest.load(deployment_manifest)
    operator = anvil.accounts[7]
    terms = ([700], [100])

    boa_env.use_network(anvil.url, fork=True, account=operator)
    auction = deployer_for("auction").at(manifest.address("auction"))
    value = auction.price_to_pay(operator.address, *terms)
    _, measured = measure(auction.bid, *terms, value=value, sender=operator.address)

    boa_env.use_network(anvil.url, account=operator)
    recorder = network.ReceiptRecorder(boa.env)
    with deployment.quiet():
        deployer_for("auction").at(manifest.address("auction")).bid(*terms, value=value)
    receipt = int(recorder.take()["gasUsed"], 16)
    print(f"bid gas: anvil receipt {receipt:,}, deploy/gas.py in-process {measured:,}")
    assert abs(measured - receipt) <= receipt * 0.02


class Killed(BaseException):
    """`kill -9`: raised where the process dies, caught by nothing, so no code of the run runs after it."""


DEPLOYS = [s.role for s in PLAN if s.is_deploy]


def creates_a_contract(raw_hex: str) -> bool:
    """Whether a signed transaction deploys a contract (its `to` is empty): typed or legacy."""
    raw = bytes.fromhex(raw_hex.removeprefix("0x"))
    typed = raw[0] < 0x80
    fields = rlp.decode(raw[1:] if typed else raw)
    return fields[5 if typed else 3] == b""


def kill_at(monkeypatch, deploy_index: int, when: str) -> dict:
    """Kill the run at its contract deployment number `deploy_index` (from 0): `after` the node mined it,
    before the run read the receipt, or `before` the transaction reached the node. Returns what the killed
    run had sent (`address`: the contract mined, with `after`)."""
    seen = {"deploys": 0, "address": None}
    real_fetch = EthereumRPC.fetch

    def fetch(self, method, params):
        if method != "eth_sendRawTransaction" or not creates_a_contract(params[0]):
            return real_fetch(self, method, params)
        if seen["deploys"] == deploy_index and when == "before":
            raise Killed
        tx_hash = real_fetch(self, method, params)
        if seen["deploys"] == deploy_index:
            receipt = self.wait_for_tx_receipt(tx_hash, 30)  # mined, not read by the run
            seen["address"] = receipt["contractAddress"]
            raise Killed
        seen["deploys"] += 1
        return tx_hash

    monkeypatch.setattr(EthereumRPC, "fetch", fetch)
    return seen


@pytest.mark.parametrize("when", ["after", "before"])
def test_hard_kill_while_sending_never_sends_a_step_twice(anvil, tmp_path, monkeypatch, when, restore_env):
    """kill -9 while eigen_pod_manager's deployment is in flight. `after`: it was mined, its receipt never
    read; the next run adopts that contract instead of deploying it again. `before`: it never reached the
    node; the next run sends it. Either way the deployer sends exactly one transaction per step."""
    account = Account.create()
    anvil_fund(anvil, account.address)
    start = anvil.sent_by(account.address)
    killed = kill_at(monkeypatch, DEPLOYS.index("eigen_pod_manager"), when)
    with pytest.raises(Killed):
        network.deploy_to_network(anvil.url, account, tmp_path, out=lambda _: None)
    monkeypatch.undo()
    on_disk = json.loads((tmp_path / "31337.json").read_text())

    lines: list[str] = []
    done = network.deploy_to_network(anvil.url, account, tmp_path, out=lines.append)
    assert done.data["complete"] and "sent" not in done.data
    assert anvil.sent_by(account.address) == start + len(PLAN) == done.data["next_nonce"]
    assert "eigen_pod_manager" not in on_disk["contracts"]
    assert on_disk["sent"]["role"] == "eigen_pod_manager"  # written before the broadcast
    pod_manager = done.data["contracts"]["eigen_pod_manager"]
    if when == "after":
        assert pod_manager["address"].lower() == killed["address"].lower()
        assert pod_manager["note"].startswith("sent by an interrupted run")
        assert not any("deploy eigen_pod_manager" in line for line in lines)
    else:
        assert any("deploy eigen_pod_manager" in line for line in lines)
    nonces = [r["nonce"] for r in [*done.data["contracts"].values(), *done.data["calls"].values()]]
    assert sorted(nonces) == list(range(start, start + len(PLAN)))
    findings = network.verify_manifest(anvil.url, done)
    assert all(f.ok for f in findings), [f for f in findings if not f.ok]


def test_resume_is_refused_when_the_deployer_sent_unrecorded_transactions(
    anvil, tmp_path, monkeypatch, restore_env
):
    """The deployer's nonce moved past what a partial manifest accounts for (another run, or another use of
    the key, may have deployed part of the suite): resuming could deploy twice, so it is refused."""
    account = Account.create()
    anvil_fund(anvil, account.address)
    kill_at(monkeypatch, 3, "after")
    with pytest.raises(Killed):
        network.deploy_to_network(anvil.url, account, tmp_path, out=lambda _: None)
    monkeypatch.undo()
    boa_env.use_network(anvil.url, account=account)
    with deployment.quiet():
        boa.env.raw_call(account.address, value=1)  # one transaction the manifest knows nothing of
    nonce = anvil.sent_by(account.address)
    with pytest.raises(network.DeployError, match=r"has sent 1 more since .* pass --force to start over"):
        network.deploy_to_network(anvil.url, account, tmp_path, out=lambda _: None)
    assert anvil.sent_by(account.address) == nonce


def anvil_fund(anvil, address: str) -> None:
    """Give `address` 1 000 ETH on the node (anvil's cheat method)."""
    EthereumRPC(anvil.url).fetch("anvil_setBalance", [address, hex(1000 * 10**18)])


def test_an_interrupted_forced_run_prints_the_command_that_resumes_it(
    deployment_manifest, anvil, capsys, deployer_key, monkeypatch, restore_env
):
    """Ctrl-C while a `--force` run sends: the same command again would start yet another suite, so the
    message gives the one that resumes (without --force)."""

    def interrupted(plan, out=print):
        raise KeyboardInterrupt

    monkeypatch.setattr(deployment, "send", interrupted)
    argv = deploy_args(anvil, deployment_manifest.parent, "--force", "--yes")
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    resume = cli.resume_command([a for a in argv if a != "--force"])
    assert err.strip() == f"error: interrupted; to resume: {resume}"
    assert "--force" not in resume and resume.startswith("python -m deploy.network deploy --network ")


def test_a_refusal_before_sending_suggests_no_resume(anvil, tmp_path, capsys, deployer_key, restore_env):
    assert cli.main(deploy_args(anvil, tmp_path, "--set", "cluster_size=9")) == 2
    assert "to resume" not in capsys.readouterr().err
