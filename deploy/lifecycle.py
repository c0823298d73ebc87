"""A full, seeded lifecycle of the Byzantine suite on titanoboa's in-process EVM, with a readable report.

    python -m deploy.lifecycle [--seed N] [--json FILE] [--operators N] [--stakers N]

Phases: deploy and wire the suite; operators bid (the owner whitelists some of them; some update and
withdraw bids); the owner pre-creates clusters; each cluster's winners run a key ceremony (deploy/keys.py)
for its predicted withdrawal credentials and register their key shares and the deposit data with
ClusterKeys, which checks them on chain;
stakers stake 32 ETH each; a validator goes offline for a few hours, a checkpoint proves the loss and
the winners' bonds pay it to the cluster's holder after the challenge window; one ByzNft changes hands;
time passes; stakers claim their rewards; execution-layer fees reach a cluster's reward split and are
distributed; the clusters expire; operators collect their refunds and bonds. Every transaction's gas is
measured as a receipt would show it (deploy/gas.py).

The beacon chain is Fulu (mainnet preset) on the executable consensus specs (deploy/sim/beacon.py), every
slot of the run's ~40 days: deposits wait for finality and the deposit queue, activation for finalized
eligibility, an exit request for 256 epochs of activity and then the exit queue, the principal for the
withdrawable epoch and the sweep; proofs are against the parent root EIP-4788 posts. It costs about 1.5
minutes of CPU.

The run ends with an ETH conservation check: every wei that entered (operators' payments, stakers' 32 ETH,
fees) must be found in the Escrow, StakerRewards, the deposit contract, pods, splits, modules, or back with
an actor, and each contract's own ledger must match its balance. Any failed check exits with status 1.

This module is the command line and imports only the standard library, so `--help` and usage errors answer
at once; the run itself is deploy/sim/lifecycle.py (`Lifecycle`, `conservation`, found here too).
"""

from __future__ import annotations

import argparse
import json
import sys

from deploy.lazy import lazy_exports

# the run's Python API, loaded with titanoboa on first use (deploy/lazy.py)
RUN_API = ("Actors", "Lifecycle", "conservation", "make_actors")
__getattr__ = lazy_exports(__name__, dict.fromkeys(RUN_API, "deploy.sim.lifecycle"))


MAX_OPERATORS = 100
BIDS_PER_OPERATOR = 2  # sure to be pending at pre-creation: one single bid and a batch of at least one


def guaranteed_clusters(n_operators: int, cluster_size: int) -> int:
    """Clusters that `n_operators` operators with BIDS_PER_OPERATOR pending bids each are sure to form.

    A cluster takes one bid from each of `cluster_size` distinct operators, so after `k` clusters at most
    `k * cluster_size // BIDS_PER_OPERATOR` operators may have run out of bids; the next cluster forms for
    certain while at least `cluster_size` operators are left.
    """
    k = 0
    while n_operators - (k * cluster_size) // BIDS_PER_OPERATOR >= cluster_size:
        k += 1
    return k


def argument_problem(n_operators: int, n_stakers: int, cluster_size: int | None = None) -> str | None:
    """Why `--operators n_operators --stakers n_stakers` cannot run, in one sentence; None if it can."""
    if cluster_size is None:
        from deploy.protocol import DEFAULT_CONFIG

        cluster_size = DEFAULT_CONFIG["cluster_size"]
    n = cluster_size
    if n_operators < n + 1:
        return (
            f"--operators {n_operators}: a cluster needs {n} distinct operators and the auction at least one "
            f"more to compete; use --operators {n + 1} or more"
        )
    if n_operators > MAX_OPERATORS:
        return f"--operators {n_operators}: at most {MAX_OPERATORS} (the run's time grows with every bid)"
    if n_stakers < 1:
        return f"--stakers {n_stakers}: at least one staker is needed to play the staking phases"
    most = guaranteed_clusters(n_operators, n)
    if n_stakers > most:
        needed = next(
            o for o in range(n_operators, 10 * n * n_stakers) if guaranteed_clusters(o, n) >= n_stakers
        )
        return (
            f"--stakers {n_stakers} cannot work with {n_operators} operators: each staker needs its own "
            f"cluster of {n} distinct operators, and each operator is sure to have only {BIDS_PER_OPERATOR} "
            f"bids in the book (one single bid and a batch of at least one), so after each cluster up to "
            f"{n // BIDS_PER_OPERATOR} operators may have none left; {n_operators} operators guarantee "
            f"{most} clusters. Use --stakers {most} or fewer, or --operators {needed} for {n_stakers} stakers"
        )
    return None


def write_json(report: dict, target: str) -> None:
    """The JSON report to `target` (a file, or `-` for standard output)."""
    text = json.dumps(report, indent=2, default=str) + "\n"
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        with open(target, "w") as f:
            f.write(text)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status (0 every check passed, 1 a check failed or the run
    stopped, 2 bad arguments)."""
    parser = argparse.ArgumentParser(prog="python -m deploy.lifecycle", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="random seed of the run (default 1)")
    parser.add_argument(
        "--json",
        metavar="FILE",
        help="also write the report as JSON to FILE (amounts in wei; `-`: standard output, the text report "
        "then goes to standard error); written even when the run fails",
    )
    parser.add_argument("--operators", type=int, default=7, help="number of node operators (default 7)")
    parser.add_argument("--stakers", type=int, default=2, help="number of stakers (default 2)")
    args = parser.parse_args(argv)
    problem = argument_problem(args.operators, args.stakers)
    if problem:
        parser.exit(2, f"error: {problem}\n")
    out = (lambda line: print(line, file=sys.stderr)) if args.json == "-" else print
    from deploy.sim.lifecycle import Lifecycle
    from deploy.tables import one_line

    run = Lifecycle(seed=args.seed, n_operators=args.operators, n_stakers=args.stakers, out=out)
    error = None
    try:
        report = run.run()
    except Exception as exc:  # the JSON still records how far the run got
        error = f"{type(exc).__name__}: {one_line(exc)}"
        report = run.report
        report.update(ok=False, error=error, checks=run.checks)
    actors = getattr(run, "actors", None)
    report["labels"] = {label: address for address, label in (actors.labels if actors else {}).items()}
    if args.json:
        write_json(report, args.json)
    failed = [c["check"] for c in report["checks"] if not c["ok"]]
    if error:
        out(f"\nRESULT: FAILED: the run stopped: {error}")
        return 1
    out(f"\nRESULT: {'OK' if not failed else 'FAILED: ' + '; '.join(failed)}")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
