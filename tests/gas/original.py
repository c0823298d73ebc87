"""Issue #14's comparison, side by side: the original Solidity auction and this one, on the same books.

    python -m tests.gas.original --source DIR                  # books of 100 and 1 000, every shape
    python -m tests.gas.original --source DIR --sizes 10000 --shapes random

The original is Byzantine-Finance/byzantine-contracts at commit 52206de (2024-06-21, "Auction V2": batches of
bids, scores in an order-statistics tree, winners picked by `getAuctionWinners`), the version whose rules
docs/protocol.md follows. DIR is a checkout of it with its submodules, as `forge build` wants it:

    git clone https://github.com/Byzantine-Finance/byzantine-contracts DIR
    git -C DIR checkout 52206de && git -C DIR submodule update --init lib/openzeppelin-contracts \\
        lib/openzeppelin-contracts-upgradeable lib/eigenlayer-contracts lib/ds-math

Nothing of it enters this repository: it is compiled here, at run time, with solc 0.8.20 (its
foundry.toml's) from the npm registry (solc-js, installed once under ~/.cache/byzantine-vyper/solc), with
the optimizer on at 200 runs (Foundry's default then) and the checkout's own remappings.txt.

Both auctions see the same bids from the same operators (tests/gas/books.py's shapes and seed); each row is a
whole transaction's receipt gas (deploy/gas.py). The operations:
- a new operator's bid, a batch of 10 bids, an update, a withdrawal: the same terms on both sides (the
  original's `bid`, `updateOneBid` and `withdrawBid` name a bid by its score);
- settlement: the original's `getAuctionWinners` (called by its manager: it picks the winners, releases their
  prices from its Escrow and removes them from the tree) against `settle_cluster` with the mirror's hints
  (which also locks the bonds and commits the cluster to StakerRewards) and `pre_create_clusters(1)` (the
  same plus the manager's pending cluster).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from deploy.tables import format_table

SOLC_VERSION = "0.8.20"
CACHE = Path.home() / ".cache" / "byzantine-vyper" / "solc"
SOURCES = ("src/core/Auction.sol", "src/vault/Escrow.sol")
SIZES = (100, 1_000)
SHAPES = ("random", "distinct", "mixed", "stacked", "adversarial")
# the original's initialize(): expected daily return, max discount rate, min duration, cluster size: this
# protocol's (deploy/protocol.py's DEFAULT_CONFIG), so that both price and score every bid alike

COMPILER = """
const solc = require('solc'); const fs = require('fs'); const path = require('path');
const [root, remappingsFile, ...files] = process.argv.slice(2);
const remappings = fs.readFileSync(remappingsFile, 'utf8').split('\\n').map((l) => l.trim()).filter((l) => l);
const sources = {};
for (const f of files) sources[f] = { content: fs.readFileSync(path.join(root, f), 'utf8') };
const input = { language: 'Solidity', sources,
  settings: { optimizer: { enabled: true, runs: 200 }, remappings,
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } } };
const read = (p) => { const f = path.join(root, p);
  return fs.existsSync(f) ? { contents: fs.readFileSync(f, 'utf8') } : { error: 'not found: ' + p }; };
const out = JSON.parse(solc.compile(JSON.stringify(input), { import: read }));
const errors = (out.errors || []).filter((e) => e.severity === 'error');
if (errors.length) { for (const e of errors) console.error(e.formattedMessage); process.exit(1); }
process.stdout.write(JSON.stringify(out.contracts));
"""


def ensure_solc(cache: Path = CACHE) -> Path:
    """solc-js at SOLC_VERSION under `cache` (npm install on first use); returns the runner script."""
    package = cache / "node_modules" / "solc" / "package.json"
    if not package.exists() or json.loads(package.read_text())["version"] != SOLC_VERSION:
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(cache), "--no-audit", "--no-fund", f"solc@{SOLC_VERSION}"],
            check=True,
            capture_output=True,
        )
    runner = cache / "compile.js"
    runner.write_text(COMPILER)
    return runner


def compile_original(source: Path) -> dict[str, dict]:
    """{'Auction': {'abi': ..., 'bytecode': bytes}, 'Escrow': ...} compiled from the checkout at `source`."""
    runner = ensure_solc()
    run = subprocess.run(
        ["node", str(runner), str(source), str(source / "remappings.txt"), *SOURCES],
        capture_output=True,
        text=True,
        cwd=runner.parent,
    )
    if run.returncode != 0:
        raise SystemExit(f"solc {SOLC_VERSION} failed on {source}:\n{run.stderr}")
    contracts = json.loads(run.stdout)
    return {
        name: {
            "abi": contracts[file][name]["abi"],
            "bytecode": bytes.fromhex(contracts[file][name]["evm"]["bytecode"]["object"]),
        }
        for file, name in zip(SOURCES, ("Auction", "Escrow"), strict=True)
    }


def ratios(rows: dict[str, tuple[int, int]]) -> list[tuple[str, str, str, str]]:
    """Table rows: operation, the original's gas, this one's, and how many times cheaper this one is."""
    return [
        (name, f"{theirs:,}".replace(",", " "), f"{ours:,}".replace(",", " "), f"{theirs / ours:.2f}x")
        for name, (theirs, ours) in rows.items()
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", type=Path, required=True, help="checkout of the original at 52206de")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="book sizes, comma-separated")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="book shapes, comma-separated")
    args = parser.parse_args(argv)
    from tests.gas.original_book import run  # titanoboa and the compiler load here, not for --help

    artifacts = compile_original(args.source)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = run(artifacts, sizes, args.shapes.split(","), progress=lambda m: print(m, file=sys.stderr))
    print(format_table(("operation", "original", "this one", "cheaper"), ratios(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
