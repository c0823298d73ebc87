"""Contract coverage at a fraction of its cost: each (source map, pc) is reported to coverage.py once.

titanoboa's coverage plugin learns which Vyper lines ran from calls to `Env._trace_cov(filename, node)`,
which `Env._trace_computation` makes after every call for every distinct pc the call executed; coverage.py
then runs the plugin's Python hooks on each of them. A test suite repeats the same pcs millions of times.
Coverage data are sets of lines (and, per `_trace_cov` frame, of arcs), so reporting a (source map, pc)
pair a second time adds nothing: `install()` makes `_trace_computation` skip the pairs already reported in
this process (set arithmetic in C instead of a Python loop over every executed pc). The report is the
same; only the repetition is gone.
"""

from __future__ import annotations

import functools
import sys

from boa.environment import Env
from boa.vm.py_evm import PyEVM

_seen: dict[int, tuple[dict, set]] = {}  # id(pc -> ast map) -> (the map, kept alive; pcs reported)


def _trace_computation(self, computation, contract=None):
    if contract is not None and hasattr(contract, "source_map"):
        ast_map = contract.source_map["pc_raw_ast_map"]
        entry = _seen.get(id(ast_map))
        if entry is None or entry[0] is not ast_map:
            entry = _seen[id(ast_map)] = (ast_map, set())
        reported = entry[1]
        fresh = set(computation.code._trace)
        fresh -= reported
        if fresh:
            reported |= fresh
            for pc in sorted(fresh):
                if (node := ast_map.get(pc)) is not None:
                    self._trace_cov(node.module_node.resolved_path, node)
    for child in computation.children:
        if child.msg.code_address == b"":
            continue
        self._trace_computation(child, self._lookup_contract_fast(child.msg.code_address))


def _untraced(method):
    """`method` run with the process's trace function (coverage.py's tracer, if any) set aside."""

    @functools.wraps(method)
    def run(*args, **kwargs):
        tracer = sys.gettrace()
        if tracer is None:
            return method(*args, **kwargs)
        sys.settrace(None)
        try:
            return method(*args, **kwargs)
        finally:
            sys.settrace(tracer)

    run._byz_untraced = True
    return run


def install() -> None:
    """Replace titanoboa's per-call coverage tracing with the deduplicating one, and run the EVM untraced
    (both harmless without coverage: titanoboa only reports when its coverage plugin is loaded)."""
    Env._trace_computation = _trace_computation
    for name in ("execute_code", "deploy_code"):
        method = getattr(PyEVM, name)
        if not getattr(method, "_byz_untraced", False):
            setattr(PyEVM, name, _untraced(method))
