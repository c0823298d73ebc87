"""`python -m deploy.lifecycle`: the in-process end-to-end run, its report, its JSON and its accounting."""

from __future__ import annotations

import copy
import json

import pytest

from deploy.lifecycle import conservation
from tests.utils.cli import run_cli


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One run of the lifecycle (seed 3) with its JSON report."""
    out = tmp_path_factory.mktemp("lifecycle") / "report.json"
    result = run_cli("deploy.lifecycle", "--seed", "3", "--json", str(out))
    return result, out


def test_lifecycle_runs_end_to_end(run):
    result, _ = run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for line in (
        "== Deployment ==",
        "== Auction ==",
        "== Key ceremony ==",
        "== Staking ==",
        "== Rewards ==",
        "== Expiry ==",
        "== Refunds ==",
        "== Clusters and winners ==",
        "== Stakers ==",
        "== Gas per operation",
        "== ETH conservation ==",
        "ok   every wei accounted for",
        "RESULT: OK",
    ):
        assert line in result.stdout
    assert "CHECK FAILED" not in result.stdout
    assert "Warning" not in result.stderr


def test_lifecycle_json_report(run):
    _, path = run
    report = json.loads(path.read_text())
    assert report["ok"] is True and report["seed"] == 3
    assert {"auction", "escrow", "manager", "staker_rewards"} <= set(report["contracts"])
    assert report["gas"]["bid (1, hinted)"]["count"] == 7
    assert report["gas"]["create_strategy_module_and_stake"]["min"] > 21_000
    assert all(c["ok"] for c in report["checks"])
    assert len(report["stakers"]) == 2 and report["clusters"]
    assert all(len(c["winners"]) == report["config"]["cluster_size"] for c in report["clusters"])


def test_conservation_fails_when_a_wei_is_missing(run):
    _, path = run
    snap = json.loads(path.read_text())["conservation"]["snapshot"]
    assert all(ok for ok, _ in conservation(snap)["checks"].values())
    leaked = copy.deepcopy(snap)
    leaked["contracts"]["escrow"] -= 1
    checks = conservation(leaked)["checks"]
    assert not checks["every wei accounted for"][0]
    assert not checks["escrow balance == pending + locked bonds + claimable"][0]
