"""Deploying for real: the CLI against a local anvil node, manifest, verify, refusal, resume, staking over
JSON-RPC, and the gas of one bid from a receipt vs deploy/gas.py on the same state."""

from __future__ import annotations

import json
import shutil

import boa
import pytest

from deploy import network
from deploy.gas import measure
from deploy.keys import make_deposit_data, verify_deposit_data
from deploy.protocol import PLAN, SOURCES, deployer_for
from tests.deploy.conftest import run_cli

pytestmark = [pytest.mark.anvil, pytest.mark.ignore_isolation]

ETH = 10**18
STAKE = 32 * ETH


@pytest.fixture(scope="module")
def deployment(anvil, tmp_path_factory):
    """The suite deployed on the node by the CLI (with a dry run on a fork first); the manifest's path."""
    manifest_dir = tmp_path_factory.mktemp("deployments")
    result = run_cli(
        "deploy.network",
        "deploy",
        "--rpc",
        anvil.url,
        "--fork",
        "--manifest-dir",
        str(manifest_dir),
        env=anvil.cli_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dry run on a fork of the network" in result.stdout
    assert anvil.deployer.key.hex() not in result.stdout + result.stderr
    return manifest_dir / "31337.json"


def connect(anvil) -> None:
    """titanoboa on the node, with every funded account available; the deployer is the default sender."""
    network.use_network(anvil.url)
    for account in anvil.accounts:
        boa.env.add_account(account)
    boa.env.eoa = anvil.deployer.address


def handles(manifest: network.Manifest) -> dict:
    """Contract handles (current environment) on the manifest's addresses."""
    return {role: deployer_for(role).at(manifest.address(role)) for role in SOURCES}


def test_manifest_records_every_contract_and_call(deployment, anvil):
    data = json.loads(deployment.read_text())
    assert data["complete"] is True
    assert data["chain_id"] == 31337
    assert data["owner"] == anvil.deployer.address
    assert set(data["contracts"]) == set(SOURCES)
    assert set(data["calls"]) == {s.name for s in PLAN if not s.is_deploy}
    auction = data["contracts"]["auction"]
    assert auction["constructor_args"][0] == data["contracts"]["escrow"]["address"]
    assert auction["constructor_args"][1:] == [
        data["config"][k]
        for k in (
            "cluster_size",
            "expected_daily_return",
            "max_discount_rate",
            "min_duration",
            "max_duration",
        )
    ]
    for record in [*data["contracts"].values(), *data["calls"].values()]:
        assert (
            record["tx_hash"].startswith("0x") and record["block_number"] > 0 and record["gas_used"] > 21_000
        )
    assert data["compiler"]["vyper"] == "0.4.3"


def test_verify_passes_on_the_deployment(deployment, anvil):
    result = run_cli("deploy.network", "verify", "--rpc", anvil.url, "--manifest", str(deployment))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "MISMATCH" not in result.stdout
    assert "auction.escrow() == escrow" in result.stdout


def test_rerun_without_force_is_refused(deployment, anvil):
    result = run_cli(
        "deploy.network",
        "deploy",
        "--rpc",
        anvil.url,
        "--manifest-dir",
        str(deployment.parent),
        env=anvil.cli_env(),
    )
    assert result.returncode == 2
    assert "refusing to deploy again" in result.stderr


def test_verify_fails_on_a_tampered_code_hash(deployment, anvil, tmp_path):
    data = json.loads(deployment.read_text())
    data["contracts"]["escrow"]["runtime_code_hash"] = "0x" + "00" * 32
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    result = run_cli("deploy.network", "verify", "--rpc", anvil.url, "--manifest", str(tampered))
    print(result.stdout)
    assert result.returncode == 1
    assert any(
        line.startswith("MISMATCH") and "code of escrow" in line for line in result.stdout.splitlines()
    )


def test_verify_fails_when_the_wiring_differs(deployment, anvil, tmp_path, restore_env):
    """A genuine but unwired Escrow in place of the real one: its code hash matches, its wiring does not."""
    connect(anvil)
    impostor = deployer_for("escrow").deploy()
    data = json.loads(deployment.read_text())
    data["contracts"]["escrow"]["address"] = str(impostor.address)
    data["contracts"]["escrow"]["runtime_code_hash"] = network.Chain(anvil.url).code_hash(
        str(impostor.address)
    )
    tampered = tmp_path / "impostor.json"
    tampered.write_text(json.dumps(data))
    result = run_cli("deploy.network", "verify", "--rpc", anvil.url, "--manifest", str(tampered))
    print(result.stdout)
    assert result.returncode == 1
    bad = [line for line in result.stdout.splitlines() if line.startswith("MISMATCH")]
    assert any("auction.escrow() == escrow" in line for line in bad)
    assert any("escrow.auction() == auction" in line for line in bad)
    assert not any("code of escrow" in line for line in bad)


def test_interrupted_deployment_resumes(anvil, tmp_path, monkeypatch, restore_env):
    """Stop after escrow.initialize was mined but before it was recorded; a re-run finishes the suite,
    keeps the recorded contracts and finds the call already made on chain instead of repeating it."""
    real = network.recording_transactor

    def interrupted(manifest, recorder, chain, quiet=False):
        transact = real(manifest, recorder, chain, quiet)

        def step(s, fn, args):
            result = transact(s, fn, args)
            if s.name == "escrow.initialize":
                del manifest.data["calls"][s.name]
                manifest.save()
                raise KeyboardInterrupt
            return result

        return step

    monkeypatch.setattr(network, "recording_transactor", interrupted)
    with pytest.raises(KeyboardInterrupt):
        network.deploy_to_network(anvil.url, anvil.deployer, tmp_path)
    partial = network.Manifest.load(tmp_path / "31337.json")
    assert not partial.data["complete"] and set(partial.data["contracts"]) == set(SOURCES)
    monkeypatch.setattr(network, "recording_transactor", real)

    done = network.deploy_to_network(anvil.url, anvil.deployer, tmp_path)
    assert done.data["complete"]
    assert {r: c["address"] for r, c in done.data["contracts"].items()} == {
        r: c["address"] for r, c in partial.data["contracts"].items()
    }
    assert done.data["calls"]["escrow.initialize"]["note"] == "found done on chain"
    findings = network.verify_manifest(anvil.url, done)
    assert all(f.ok for f in findings), [f for f in findings if not f.ok]


def test_stale_partial_manifest_is_refused(deployment, anvil, tmp_path):
    data = json.loads(deployment.read_text())
    data["complete"] = False
    data["contracts"]["escrow"]["address"] = "0x" + "11" * 20
    (tmp_path / "31337.json").write_text(json.dumps(data))
    with pytest.raises(network.DeployError, match="not on this chain"):
        network.deploy_to_network(anvil.url, anvil.deployer, tmp_path)


@pytest.mark.filterwarnings("ignore:casted bytecode does not match")
def test_staking_flow_over_json_rpc(deployment, anvil, restore_env):
    """Bids from funded node accounts, pre-creation, key ceremony and registration, a 32 ETH stake."""
    manifest = network.Manifest.load(deployment)
    connect(anvil)
    c = handles(manifest)
    auction, manager = c["auction"], c["manager"]
    operators, staker = [a.address for a in anvil.accounts[1:6]], anvil.accounts[6].address
    for i, op in enumerate(operators):
        d, t = 100 * i, 60 + 10 * i
        auction.bid([d], [t], value=auction.price_to_pay(op, [d], [t]), sender=op)
    assert auction.num_operators_in_auction() == 5

    (cluster_id,) = manager.pre_create_clusters(1)
    module, pod, _ = manager.predict_addresses(cluster_id)
    credentials = bytes(manager.withdrawal_credentials(cluster_id))
    assert credentials == b"\x01" + bytes(11) + bytes.fromhex(str(pod)[2:])
    d = make_deposit_data(credentials, seed=b"anvil staking flow seed, 32 bytes or more")
    assert verify_deposit_data(d)
    manager.register_deposit_data(
        cluster_id, *(bytes.fromhex(d[k]) for k in ("pubkey", "signature", "deposit_data_root"))
    )

    staked = manager.create_strategy_module_and_stake(value=STAKE, sender=staker)
    assert str(staked) == str(module)
    assert c["byz_nft"].ownerOf(cluster_id) == staker
    chain = network.Chain(anvil.url)
    balance = int(chain.rpc.fetch("eth_getBalance", [manifest.address("deposit_contract"), "latest"]), 16)
    assert balance == STAKE
    assert int.from_bytes(bytes(c["deposit_contract"].get_deposit_count()), "little") == 1


def test_bid_gas_receipt_matches_in_process_measurement(deployment, anvil, restore_env):
    """One bid: deploy/gas.py on a fork of the node's latest state vs the node's receipt for the same call."""
    manifest = network.Manifest.load(deployment)
    operator = anvil.accounts[7].address
    terms = ([700], [100])

    network.fork(anvil.url)
    auction = deployer_for("auction").at(manifest.address("auction"))
    value = auction.price_to_pay(operator, *terms)
    _, measured = measure(auction.bid, *terms, value=value, sender=operator)

    connect(anvil)
    recorder = network.ReceiptRecorder(boa.env)
    deployer_for("auction").at(manifest.address("auction")).bid(*terms, value=value, sender=operator)
    receipt = int(recorder.take()["gasUsed"], 16)
    print(f"bid gas: anvil receipt {receipt:,}, deploy/gas.py in-process {measured:,}")
    assert abs(measured - receipt) <= receipt * 0.02


def test_key_is_never_printed(anvil, tmp_path):
    shutil.rmtree(tmp_path, ignore_errors=True)
    env = {**anvil.cli_env(), "BYZANTINE_DEPLOYER_KEY": "0x1234"}
    result = run_cli("deploy.network", "deploy", "--rpc", anvil.url, "--manifest-dir", str(tmp_path), env=env)
    assert result.returncode == 2
    assert "not a valid private key" in result.stderr and "1234" not in result.stdout + result.stderr
