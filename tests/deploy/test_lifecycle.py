"""`python -m deploy.lifecycle`: the in-process end-to-end run, its report (100 columns, every column
headed), its JSON on standard output, its argument checks and its accounting."""

from __future__ import annotations

import copy
import json
import os
import re

import pytest

from deploy import lifecycle
from deploy.lifecycle import argument_problem, conservation, guaranteed_clusters
from tests.utils.cli import run_cli


def long_run(test):
    """Marked slow, and run only with the project's long-run switch (the default command runs `slow`)."""
    skip = pytest.mark.skipif(os.environ.get("BYZ_LONG_FUZZ") != "1", reason="long run: BYZ_LONG_FUZZ=1")
    return pytest.mark.slow(skip(test))


@pytest.fixture(scope="module")
def run():
    """One run of the lifecycle (seed 3) with `--json -`: JSON on stdout, the text report on stderr. Its
    beacon chain is Fulu on the executable specs (about 9 000 epochs, every slot)."""
    result = run_cli("deploy.lifecycle", "--seed", "3", "--json", "-")
    return result, result.stderr


@pytest.fixture(scope="module")
def report(run):
    result, _ = run
    return json.loads(result.stdout)


def test_lifecycle_runs_end_to_end(run):
    result, text = run
    assert result.returncode == 0, text[-3000:]
    for line in (
        "== Deployment ==",
        "configuration:",
        "== Auction ==",
        "== Key ceremony ==",
        "== Staking ==",
        "== Rewards ==",
        "== Seat rotation ==",
        "the validator never exited",
        "== Expiry ==",
        "== Refunds ==",
        "== Clusters and winners ==",
        "== Stakers ==",
        "== Gas per operation",
        "== ETH conservation ==",
        "ok   every wei accounted for",
        "RESULT: OK",
    ):
        assert line in text
    assert "CHECK FAILED" not in text
    assert "Warning" not in text and "Traceback" not in text


def test_the_beacon_chain_is_fulu_and_its_waits_are_told(run):
    """The spec chain's own waits: finality and the deposit queue before a validator exists, the activation
    queue, SHARD_COMMITTEE_PERIOD before the exit request, the request in the next block, the exit queue,
    MIN_VALIDATOR_WITHDRAWABILITY_DELAY, then the sweep."""
    _, text = run
    safe = text[text.index("== Safe deposits") : text.index("== A front-run caught ==")]
    assert "beacon chain: Fulu (mainnet preset) on the executable consensus specs" in safe
    entered = re.search(r"pre-deposits entered it after (\d+) epoch\(s\) (\d+) slot\(s\)", safe)
    assert entered and int(entered[1]) >= 2  # finality alone takes two epochs
    assert "finalized, then through the deposit queue" in safe and re.search(
        r"activation epoch \d+ set", safe
    )
    exits = text[text.index("== Exit ==") : text.index("== Expiry ==")]
    assert "the exit requested 256 epochs" in exits and "(EIP-4788 posts the parent root)" in exits
    queue = re.search(r"requested in epoch (\d+), exit epoch (\d+)", exits)
    assert queue and int(queue[2]) >= int(queue[1]) + 5  # MAX_SEED_LOOKAHEAD, then the churn
    withdrawable = re.search(r"withdrawable at epoch (\d+) \((\d+) epochs later\)", exits)
    assert withdrawable and int(withdrawable[2]) == 256 and int(withdrawable[1]) == int(queue[2]) + 256


def test_report_fits_100_columns_and_every_column_has_a_header(run):
    _, text = run
    lines = text.splitlines()
    too_wide = [line for line in lines if len(line) > 100]
    assert not too_wide, too_wide
    for i, line in enumerate(lines):
        if line and set(line) <= {"-", " "} and i > 0:  # a table's rule: the header is the line above
            header, rule = lines[i - 1], line
            starts = [j for j in range(len(rule)) if rule[j] == "-" and (j == 0 or rule[j - 1] == " ")]
            for start in starts:
                end = rule.find(" ", start)
                assert header[start : end if end > 0 else None].strip(), f"headerless column: {header!r}"


def test_configuration_is_shown_with_units(run):
    _, text = run
    config = text[text.index("configuration:") : text.index("== Auction ==")]
    assert "4 operators per validator" in config
    assert "% a year" in config and "15.00 %" in config and "3650 days" in config


def test_automatic_cluster_and_split_incentive_and_staker_rewards_are_explained(run, report):
    _, text = run
    staking = text[text.index("== Staking ==") : text.index("== Rewards ==")]
    assert "pre-created automatically by" in staking
    assert "incentive for calling it" in text
    if report["conservation"]["rows"].get("  held by staker_rewards"):
        assert "StakerRewards still holds" in text


def test_json_report_on_stdout_in_wei_with_labels(report):
    assert report["ok"] is True and report["seed"] == 3 and report["beacon"] == "spec"
    assert {"auction", "escrow", "manager", "staker_rewards"} <= set(report["contracts"])
    labels = report["labels"]
    assert labels["owner"].startswith("0x") and labels["auction"] == report["contracts"]["auction"]
    assert {f"operator{i}" for i in range(7)} <= set(labels)
    assert report["gas"]["bid (1, hinted)"]["count"] == 7
    assert report["gas"]["create_strategy_module_and_stake"]["min"] > 21_000
    assert all(c["ok"] for c in report["checks"])
    assert len(report["stakers"]) == 2 and report["clusters"]
    assert all(len(c["winners"]) == report["config"]["cluster_size"] for c in report["clusters"])
    amounts = [w["price"] for c in report["clusters"] for w in c["winners"]]
    assert all(isinstance(a, int) and a > 10**12 for a in amounts)  # wei, not ETH strings
    assert all(isinstance(v, int) for v in report["conservation"]["rows"].values())


def test_conservation_fails_when_a_wei_is_missing(report):
    snap = report["conservation"]["snapshot"]
    assert all(ok for ok, _ in conservation(snap)["checks"].values())
    leaked = copy.deepcopy(snap)
    leaked["contracts"]["escrow"] -= 1
    checks = conservation(leaked)["checks"]
    assert not checks["every wei accounted for"][0]
    assert not checks["escrow balance == pending + locked bonds + reserved + claimable"][0]


def test_arguments_that_cannot_work_are_explained():
    assert guaranteed_clusters(7, 4) == 2 and guaranteed_clusters(10, 4) == 4
    problem = argument_problem(7, 4)
    assert "--stakers 4 cannot work with 7 operators" in problem
    assert "7 operators guarantee 2 clusters" in problem and "--operators 10 for 4 stakers" in problem
    assert "at least one more to compete" in argument_problem(4, 1)
    assert "at least one staker" in argument_problem(7, 0)
    assert argument_problem(7, 2) is None and argument_problem(10, 4) is None


def test_bad_arguments_exit_2_in_one_line():
    result = run_cli("deploy.lifecycle", "--stakers", "4")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot work with 7 operators" in result.stderr
    assert result.stdout == ""


def test_json_is_written_when_the_run_fails(tmp_path, monkeypatch, capsys, restore_env):
    def broken(self):
        raise RuntimeError("bidding broke")

    monkeypatch.setattr(lifecycle.Lifecycle, "phase_bidding", broken)
    out = tmp_path / "report.json"
    assert lifecycle.main(["--json", str(out)]) == 1
    report = json.loads(out.read_text())
    assert report["ok"] is False and report["error"] == "RuntimeError: bidding broke"
    assert "auction" in report["contracts"] and report["labels"]["auction"] == report["contracts"]["auction"]
    assert "RESULT: FAILED: the run stopped: RuntimeError: bidding broke" in capsys.readouterr().out


SMALLEST = [(5, 1), (6, 2)]  # the fewest operators for one and for two stakers


@pytest.mark.parametrize("n_operators, n_stakers", SMALLEST)
def test_smallest_valid_runs_are_the_bounds(n_operators, n_stakers):
    """The bounds argument_problem itself suggests: one operator or one staker more or less is refused."""
    assert argument_problem(n_operators, n_stakers) is None
    assert argument_problem(n_operators - 1, n_stakers) is not None
    assert argument_problem(n_operators, n_stakers + 1) is not None


@long_run
@pytest.mark.parametrize("n_operators, n_stakers", SMALLEST)
def test_smallest_valid_runs_end_to_end(n_operators, n_stakers, capsys, restore_env):
    """The smallest runs play every phase: with one staker its cluster exits before expiry, so nothing
    streams by then. Each is a whole run on the spec chain (~2 min of CPU): a long run; the default
    command plays the default run (the `run` fixture) and checks the bounds above."""
    status = lifecycle.main(["--operators", str(n_operators), "--stakers", str(n_stakers)])
    text = capsys.readouterr().out
    assert status == 0, text[-3000:]
    assert "beacon chain: Fulu (mainnet preset) on the executable consensus specs" in text
    assert "RESULT: OK" in text and "CHECK FAILED" not in text
    assert f"[{n_stakers}/{n_stakers}] staker{n_stakers - 1} staked cluster" in text
