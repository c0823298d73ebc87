"""deploy/gas.py arithmetic and measurements, the verify wiring table, URL redaction, the constants
reader and the docs drift check."""

from __future__ import annotations

import re
import subprocess
import sys

import boa
import pytest

import boa_env
from deploy import docs, network
from deploy.constants import (
    STATUS_KINDS,
    BidStatus,
    ClusterStatus,
    StreamStatus,
    status_enum,
    status_name,
)
from deploy.gas import GasReport, calldata_floor, intrinsic_gas, measure, receipt_gas
from deploy.network.chain import DeployError
from deploy.network.deployment import abi
from deploy.network.inputs import GENESIS_FORK_VERSIONS, validate_config, with_fork_version, with_genesis_time
from deploy.network.verify import fork_version_findings, view_type
from deploy.protocol import PLAN, ROOT, deploy_protocol
from tests.utils.constants import c


def test_intrinsic_gas_counts_zero_and_nonzero_bytes():
    assert intrinsic_gas(b"") == 21_000
    assert intrinsic_gas(b"\x00\x01") == 21_000 + 4 + 16
    assert intrinsic_gas(b"\x01", create=True) == 21_000 + 16 + 32_000


def test_receipt_gas_caps_the_refund_at_a_fifth():
    assert receipt_gas(b"", 79_000, 1_000) == 99_000
    assert receipt_gas(b"", 79_000, 50_000) == 100_000 - 20_000


def test_receipt_gas_never_below_the_calldata_floor():
    data = b"\x01" * 1000
    assert calldata_floor(data) == 21_000 + 40_000
    assert receipt_gas(data, 0, 0) == calldata_floor(data)


@pytest.mark.ignore_isolation
def test_measure_puts_a_transaction_boundary_before_each_call(restore_env):
    """The same call measured twice costs the same; unmeasured, titanoboa's carried-over warm state makes
    the repeat look cheaper than any real transaction."""
    boa.set_env(boa.Env())
    p = deploy_protocol()
    a = p.auction
    report = GasReport()
    report.measure("pause", a.pause)
    report.measure("unpause", a.unpause)
    report.measure("pause", a.pause)
    pause = report.stats["pause"]
    assert pause.count == 2 and pause.low == pause.high > 21_000
    a.unpause()
    a.pause()  # no boundary: the slot is warm and was written in this "transaction"
    bare = a._computation.get_gas_used() + intrinsic_gas(a.pause.prepare_calldata())
    assert bare < pause.low - 2_000
    _, view = measure(a.num_pending_bids)
    assert view >= 21_000
    assert "pause" in report.table() and report.to_dict()["pause"]["count"] == 2


def test_every_verified_view_exists():
    for role, view, _ in network.WIRING:
        try:
            view_type(role, view)
        except (StopIteration, KeyError, ValueError):
            pytest.fail(f"{role} has no view {view.partition('.')[0]}() (or no field {view})")
    for step in PLAN:
        if not step.is_deploy:
            names = {e["name"] for e in abi(step.role) if e["type"] == "function"}
            assert step.method in names and step.done_when in names


def test_beacon_genesis_time_is_the_chains_own_on_public_chains():
    cfg = validate_config({})
    assert cfg["beacon_genesis_time"] == 0
    # a development chain keeps 0: the manager takes its deployment block's time (the beacon model's genesis)
    assert with_genesis_time(cfg, 31337)["beacon_genesis_time"] == 0
    # a known public chain gets its own, given or not; another value is refused before anything is sent
    assert with_genesis_time(cfg, 1)["beacon_genesis_time"] == 1606824023
    mainnet = validate_config({"beacon_genesis_time": 1606824023})
    assert with_genesis_time(mainnet, 1) == mainnet
    with pytest.raises(DeployError, match="chain id 1's beacon chain started at 1606824023"):
        with_genesis_time(validate_config({"beacon_genesis_time": 1606824024}), 1)
    # an unknown chain must be told
    with pytest.raises(DeployError, match="set its beacon chain's genesis time"):
        with_genesis_time(cfg, 4242)
    assert with_genesis_time(validate_config({"beacon_genesis_time": 7}), 4242)["beacon_genesis_time"] == 7


def test_genesis_fork_version_is_the_chains_own_on_public_chains():
    cfg = validate_config({})
    assert cfg["genesis_fork_version"] == 0x01017000  # Holesky's, kept on development and unknown chains
    assert with_fork_version(cfg, 31337) == cfg and with_fork_version(cfg, 4242) == cfg
    for chain_id, version in GENESIS_FORK_VERSIONS.items():
        assert with_fork_version(cfg, chain_id)["genesis_fork_version"] == version
    assert with_fork_version(cfg, 1)["genesis_fork_version"] == 0


class ForkVersionChain:
    """A node answering `genesis_fork_version()` of the ClusterKeys at KEYS (or reverting)."""

    def __init__(self, chain_id: int, version: bytes | None):
        self._chain_id, self._version = chain_id, version

    def chain_id(self) -> int:
        return self._chain_id

    def view(self, address: str, name: str, returns: str):
        assert (address, name, returns) == (KEYS, "genesis_fork_version", "bytes4")
        if self._version is None:
            raise RuntimeError("execution reverted")
        return self._version


KEYS = "0x" + "ce" * 20


def fork_checks(chain_id: int, on_chain: bytes | None, configured: int | None) -> list[tuple[bool, str, str]]:
    config = {} if configured is None else {"genesis_fork_version": configured}
    data = {"contracts": {"cluster_keys": {"address": KEYS}}, "config": config}
    return [
        (f.ok, f.what, f.detail) for f in fork_version_findings(ForkVersionChain(chain_id, on_chain), data)
    ]


def test_verify_checks_cluster_keys_fork_version_against_config_and_chain():
    """`verify`: ClusterKeys' fork version is the manifest's configured one and, on a known public chain,
    that chain's own; either mismatch is reported with both values."""
    configured = "cluster_keys.genesis_fork_version() == genesis_fork_version"
    mainnet = "cluster_keys.genesis_fork_version() == chain 1's fork version"
    holesky = bytes.fromhex("01017000")
    # a development chain: the configured version only
    assert fork_checks(31337, holesky, 0x01017000) == [(True, configured, "0x01017000")]
    assert fork_checks(31337, holesky, 0x10000910) == [
        (False, configured, "chain 0x01017000, expected 0x10000910")
    ]
    # mainnet: the configured one and mainnet's own
    assert fork_checks(1, bytes(4), 0) == [(True, configured, "0x00000000"), (True, mainnet, "0x00000000")]
    # a manifest that recorded Holesky's version on mainnet agrees with the contract, not with the chain
    assert fork_checks(1, holesky, 0x01017000) == [
        (True, configured, "0x01017000"),
        (False, mainnet, "chain 0x01017000, chain 1's is 0x00000000"),
    ]
    assert fork_checks(17000, holesky, 0x01017000)[1] == (
        True,
        "cluster_keys.genesis_fork_version() == chain 17000's fork version",
        "0x01017000",
    )
    # no answer, or nothing configured
    assert fork_checks(1, None, 0) == [(False, configured, "call failed: RuntimeError")]
    assert fork_checks(31337, holesky, None) == [
        (False, configured, "chain 0x01017000, expected <not recorded>")
    ]


def test_public_endpoint_and_redaction_drop_credentials_paths_and_queries():
    url = "https://user:pw@rpc.example.org/v3/SECRET?x=KEY"
    assert boa_env.public_endpoint(url) == "https://rpc.example.org"
    text = boa_env.redact(f"failed: {url} (path /v3/SECRET, query x=KEY)", url)
    assert "SECRET" not in text and "KEY" not in text and "pw" not in text


def test_constants_are_read_from_the_compiled_module():
    assert c.BOND == 10**18 and c.MAX_BID_ID == 2**40 - 1
    assert c.MIN_CLUSTER_SIZE <= 4 <= c.MAX_CLUSTER_SIZE
    with pytest.raises(AttributeError, match="no constant"):
        _ = c.NOT_A_CONSTANT


@pytest.mark.parametrize("kind", STATUS_KINDS, ids=lambda k: k.__name__)
def test_every_status_reads_as_its_own_name_and_back(kind):
    """Each status of each kind has one name and one word, and both lead back to the number."""
    assert len(kind) >= 4 and [int(s) for s in kind] == list(range(len(kind)))  # 0 (nothing yet) upward
    assert len({s.name for s in kind}) == len({s.label for s in kind}) == len(kind)
    for status in kind:
        assert kind(int(status)) is status and kind[status.name] is status
        assert status_name(kind, int(status)) == status.label == status.name.lower().replace("_", "-")
    with pytest.raises(ValueError):
        status_name(kind, len(kind))  # a number the contracts do not define is not given a name


def test_statuses_are_the_compiled_modules_numbers():
    assert ClusterStatus.STAKED == c.CLUSTER_STAKED and max(ClusterStatus) == ClusterStatus.SLASHED
    assert BidStatus.WITHDRAWN == c.BID_WITHDRAWN and StreamStatus.EXPIRED == c.STREAM_EXPIRED
    assert status_name(ClusterStatus, c.CLUSTER_PRE_DEPOSITED) == "pre-deposited"
    with pytest.raises(ValueError, match="share a number"):
        status_enum("Twins", {"A": 0, "B": 0})


def test_status_views_read_as_names():
    p = deploy_protocol()
    assert status_name(ClusterStatus, p.manager.cluster_status(0)) == "unknown"
    assert status_name(StreamStatus, p.staker_rewards.status(0)) == "none"
    assert status_name(BidStatus, p.auction.get_bid(1).status) == "none"


def test_docs_are_up_to_date():
    """`python -m deploy.docs --check`: regenerate with `python -m deploy.docs` after changing NatSpec."""
    assert docs.main(["--check"]) == 0


def test_network_targets_are_checked_before_any_connection(tmp_path, monkeypatch):
    assert boa_env.resolve("https://rpc.example.org/v3/KEY").name == "https://rpc.example.org"
    for bad in ("ftp://example.org", "http://", "rpc.example.org", "http://host:notaport"):
        with pytest.raises(boa_env.NetworkError, match="not a usable RPC URL"):
            boa_env.resolve(bad if "://" in bad else bad + "://")
    toml = tmp_path / "networks.toml"
    toml.write_text("[networks.broken\n")
    monkeypatch.setattr(boa_env, "NETWORKS_FILE", toml)
    with pytest.raises(boa_env.NetworkError, match="not valid TOML"):
        boa_env.resolve("broken")
    toml.write_text("[networks.empty]\nchain_id = 1\n")
    with pytest.raises(boa_env.NetworkError, match="neither url nor url_env"):
        boa_env.resolve("empty")


def test_the_repository_networks_file_names_its_chains():
    table = boa_env.networks()
    assert table["mainnet"]["chain_id"] == 1 and table["anvil"]["chain_id"] == 31337
    assert all("url_env" in n for name, n in table.items() if name != "anvil"), "API keys stay in the env"


# every `python -m` command of the README but pytest, with the argument lists whose help must answer at once
HELP = {
    "deploy.network": (["--help"], ["deploy", "--help"], ["verify", "--help"]),
    "deploy.lifecycle": (["--help"],),
    "deploy.docs": (["--help"],),
    "deploy.revert_audit": (["--help"],),
    "tests.gas.benchmark": (["--help"],),
    "tests.gas.original": (["--help"],),
}


def test_the_help_check_covers_every_command_of_the_readme():
    commands = set(re.findall(r"python -m ([\w.]+)", (ROOT / "README.md").read_text())) - {"pytest"}
    assert commands == set(HELP)


@pytest.mark.parametrize("module", sorted(HELP))
def test_help_answers_without_loading_titanoboa_or_the_compiler(module):
    """`python -m <module> --help` imports neither titanoboa nor the compiler (seconds of loading, for a
    user who only asked how to call it): heavy imports wait until the command runs (deploy/lazy.py)."""
    probe = (
        "import runpy, sys\n"
        f"for argv in {HELP[module]!r}:\n"
        f"    sys.argv = [{module!r}, *argv]\n"
        "    try:\n"
        f"        runpy.run_module({module!r}, run_name='__main__', alter_sys=True)\n"
        "    except SystemExit as exit:\n"
        "        assert exit.code in (0, None), exit.code\n"
        "print('loaded:', sorted(m for m in ('boa', 'vyper', 'eth_abi') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("loaded: []"), result.stdout[-500:]
    assert f"python -m {module}" in result.stdout or "usage:" in result.stdout
    if module == "deploy.network":
        assert "KEY=VALUE" in result.stdout and "min_duration (days, default 30)" in result.stdout


def test_the_network_package_loads_no_simulation():
    """Real networks have their own beacon chain: `deploy/network` imports nothing of `deploy/sim` (the
    beacon chain on the executable specs, the staking flow, the main job's run) nor the specs themselves."""
    modules = sorted(p.stem for p in (ROOT / "deploy" / "network").glob("*.py") if p.stem != "__main__")
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module('deploy.network.' + name)\n"
        "sim = ('deploy.sim', 'eth_consensus_specs')\n"
        "print('loaded:', sorted(m for m in sys.modules if m.startswith(sim)))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "deployment" in modules and result.stdout.rstrip().endswith("loaded: []"), result.stdout[-500:]


def test_the_lazy_names_resolve_to_their_definitions():
    """What the Python API found in a command's module before the split is still found there."""
    from deploy import lifecycle
    from deploy.sim import lifecycle as lifecycle_run
    from tests.gas import benchmark, books

    assert (
        lifecycle.Lifecycle is lifecycle_run.Lifecycle
        and lifecycle.conservation is lifecycle_run.conservation
    )
    assert benchmark.run is books.run and benchmark.Book is books.Book
    assert network.Manifest.__module__ == "deploy.network.manifest"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        lifecycle.nothing  # noqa: B018


def test_set_help_and_cli_constants_match_the_deployment_code():
    from deploy.network import cli, inputs
    from deploy.protocol import DEFAULT_CONFIG

    keys = [key for key, _, _ in cli.SETTINGS]
    assert sorted(keys) == sorted(DEFAULT_CONFIG) == sorted(inputs.RULES)
    for key, unit, default in cli.SETTINGS:
        assert unit.startswith(inputs.RULES[key][0]), key
        assert int(default.split(",")[0], 0) == DEFAULT_CONFIG[key], key
    assert cli.KEY_ENV_VAR == boa_env.KEY_ENV_VAR
    assert cli.DEFAULT_MANIFEST_DIR == ROOT / "deployments"


def test_an_anvil_on_path_comes_before_the_npm_copy(tmp_path, monkeypatch):
    from deploy.network import rehearsal

    own = tmp_path / "anvil"
    own.write_text("#!/bin/sh\n")
    own.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert rehearsal.find_anvil() == own
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert rehearsal.find_anvil() == (rehearsal.NPM_ANVIL if rehearsal.NPM_ANVIL.exists() else None)


@pytest.mark.filterwarnings("ignore:casted bytecode does not match")
def test_the_readme_python_example_runs(restore_env):
    """The README's "Python interface" block, as written: five bids, a cluster, its keys, a stake."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Python interface") :]
    start = section.index("```python\n") + len("```python\n")
    code = section[start : section.index("\n```", start)]
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)
    p, cluster, staker = scope["p"], scope["cluster"], scope["staker"]
    assert p.byz_nft.ownerOf(cluster) == staker
    assert str(p.manager.strategy_module_of(cluster)) == str(scope["module"])
