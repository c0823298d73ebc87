"""The README's gas tables quote the committed snapshot (tests/gas/snapshot.json) exactly.

A range `a - b` in the targets table is the smallest and largest figure of its rows over every book size
and shape; a staker-side figure is its row. After `python -m tests.gas.benchmark --write`, update the
README's figures with the snapshot, or this test names the rows that differ.
"""

from __future__ import annotations

import json
import re

from deploy.protocol import ROOT
from tests.gas import benchmark

# README label (first cell of a row) -> the snapshot rows its figure(s) quote
RANGES = {
    "one bid by a new operator": "bid, new operator, ",
    "batch of 10 bids": "batch of 10 bids, ",
    "update_bid": "update_bid, ",
    "withdraw_bid": "withdraw_bid, ",
    "settle_cluster (mirror's hints)": "settle_cluster, ",
    "settle_cluster without hints": "settle_cluster without hints, ",
    "pre_create_clusters(1) (no hints)": "pre_create_clusters(1), ",
    "rejoin (one parked operator, mirror's hint)": "rejoin, ",
    "stale hint (its bid withdrawn just before)": "stale hint, extra, ",
}
EXACT = {
    "create_strategy_module_and_stake (1 ETH pre-deposit, pre-creating the next cluster)": [
        "create_strategy_module_and_stake (and pre-create the next)"
    ],
    "create_strategy_module_and_stake (nothing to pre-create)": [
        "create_strategy_module_and_stake (nothing to pre-create)"
    ],
    "confirm_stake (proof, 31 ETH top-up, stream)": ["confirm_stake"],
    "both phases together": ["two phases together (with pre-creation)"],
    "report_frontrun": ["report_frontrun"],
    "EigenPod.verifyWithdrawalCredentials (the stand-in, on its own)": [
        "EigenPod.verifyWithdrawalCredentials"
    ],
    "StrategyModule.prove_activation / restake / request_exit / prove_exit": [
        "StrategyModule.prove_activation",
        "StrategyModule.restake (EigenPod.verifyWithdrawalCredentials)",
        "StrategyModule.request_exit",
        "StrategyModule.prove_exit (stream ended, bonds unlocked)",
    ],
    "StrategyModule.prove_slashing (bonds and unserved credits to the holder)": [
        "StrategyModule.prove_slashing (bonds and credits to the holder)"
    ],
    "StrategyModule.report_loss / answer_loss / settle_loss (a loss a checkpoint proved)": [
        "StrategyModule.report_loss (set aside from four bonds)",
        "StrategyModule.answer_loss (a newer checkpoint, part given back)",
        "StrategyModule.settle_loss (charged to the holder)",
    ],
    "SeatRotation.open_rotation / register_share / complete_rotation / forfeit (a rotating seat)": [
        "SeatRotation.open_rotation (seat auctioned, stream re-based)",
        "SeatRotation.register_share",
        "SeatRotation.complete_rotation (n=4, t=3: the leaver's bond unlocked)",
        "SeatRotation.forfeit (two bonds to the holder, the leaver's unlocked)",
    ],
    "StrategyModule.start_checkpoint / EigenPod.verifyCheckpointProofs (one withdrawn validator)": [
        "StrategyModule.start_checkpoint",
        "EigenPod.verifyCheckpointProofs (one validator, withdrawn)",
    ],
    "StrategyModule.queue_withdrawal / complete_withdrawal (EigenLayer's queue, ETH to the module)": [
        "StrategyModule.queue_withdrawal",
        "StrategyModule.complete_withdrawal (ETH to the module)",
    ],
    "dissolve_cluster / reclaim_stake": ["dissolve_cluster", "reclaim_stake"],
    "StrategyModuleManager.deploy_split (anyone, first distribution)": [
        "StrategyModuleManager.deploy_split (first distribution)"
    ],
}
FIGURE = re.compile(r"\+?\d{1,3}(?: \d{3})+|\+?\d+")


def readme_rows() -> dict[str, str]:
    """First cell -> second cell of every table row of the README's Gas section."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("\n## Gas\n") :]
    section = section[: section.index("\n## ", 1)]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and not set(cells[0]) <= {"-"}:
            rows[cells[0]] = cells[1]
    return rows


def figures(cell: str) -> list[int]:
    """The gas figures of a cell (`128 688 - 141 637`, `+9 667 - +12 641`, `190 332 / 201 474`)."""
    return [int(f.replace(" ", "").lstrip("+")) for f in FIGURE.findall(cell.split("(")[0])]


def test_figures_parse():
    assert figures("128 688 - 141 637") == [128_688, 141_637]
    assert figures("+9 667 - +12 641") == [9_667, 12_641]
    assert figures("1 457 169 (missed by 8 %)") == [1_457_169]
    assert figures("190 332 / 201 474") == [190_332, 201_474]


def test_readme_gas_figures_equal_the_snapshot():
    snapshot = json.loads(benchmark.SNAPSHOT.read_text())
    rows = readme_rows()
    assert set(RANGES) | set(EXACT) <= set(rows), sorted(set(RANGES) | set(EXACT) - set(rows))
    wrong = {}
    for label, prefix in RANGES.items():
        values = [gas for name, gas in snapshot.items() if name.startswith(prefix)]
        if figures(rows[label]) != [min(values), max(values)]:
            wrong[label] = (rows[label], f"snapshot {min(values):,} - {max(values):,}")
    for label, names in EXACT.items():
        if figures(rows[label]) != [snapshot[name] for name in names]:
            wrong[label] = (rows[label], [snapshot[name] for name in names])
    assert not wrong, wrong


def test_readme_stacking_row_quotes_the_stacked_settlements():
    snapshot = json.loads(benchmark.SNAPSHOT.read_text())
    cell = readme_rows()["one operator stacking 1 000 bids"]
    quoted = re.findall(r"(\d{1,3}(?: \d{3})+) at (\d{1,3}(?: \d{3})*)", cell)
    assert quoted, cell
    for gas, size in quoted:
        name = f"settle_cluster, stacked, book {int(size.replace(' ', ''))}"
        assert snapshot[name] == int(gas.replace(" ", "")), (name, cell)
