"""Contract coverage at a fraction of its cost: no Python tracer, each (source map, pc) recorded once.

titanoboa's coverage plugin learns which Vyper lines ran from calls to `Env._trace_cov(filename, node)`,
which `Env._trace_computation` makes after every call for every distinct pc the call executed: coverage.py's
C tracer sees each such call and asks the plugin (`dynamic_source_filename`, `line_number_range`) which
Vyper file and lines the frame stands for. That design has two costs:

- coverage.py's tracer is called on every Python function call of the process (py-evm's, hypothesis',
  the beacon model's, titanoboa's ABI coding), although no Python file is measured: only `.vy` files,
  through `_trace_cov` (`.coveragerc`);
- a test suite repeats the same pcs millions of times, each a Python call of `_trace_cov`.

`install()` makes `_trace_computation` skip the (source map, pc) pairs already reported in this process
(set arithmetic in C instead of a Python loop over every executed pc): coverage data are sets, so a pair
reported twice adds nothing. `record_directly(cov)` then takes coverage.py's tracer out altogether: every
new pair's lines are written into coverage.py's collector exactly as its C tracer records one
`_trace_cov(filename, node)` frame of the plugin, and the tracer stays paused (the Python code of the tests
is not measured anyway). `tests/deploy/test_fast_coverage.py` holds the two ways' data equal.
"""

from __future__ import annotations

import functools
import sys
import types

from boa.environment import Env
from boa.vm.py_evm import PyEVM

_seen: dict[int, tuple[dict, set]] = {}  # id(pc -> ast map) -> (the map, kept alive; pcs reported)

# The plugin's name as coverage.py files it with each measured `.vy` file (`boa.coverage` in .coveragerc).
PLUGIN_NAME = "boa.coverage.TitanoboaPlugin"


class _Recorder:
    """Writes what coverage.py's C tracer would record for one `_trace_cov(filename, node)` call straight
    into its collector. The C tracer, on that frame: a call event (the last line is minus the function's
    first line), one line event (the plugin maps it to the node's lines, `start..end`, each recorded as an
    arc from the previous one), a return event (an arc from the last line to minus the first line). The
    plugin only answers for `.vy` files; coverage.py's rules then decide whether one is measured, given the
    frame's module (boa.environment, which the plugin adds to the measured packages): asked here once per
    file, with that module's globals."""

    def __init__(self, collector):
        self.collector = collector
        self.first = Env._trace_cov.__code__.co_firstlineno
        self.frame = types.SimpleNamespace(f_globals=sys.modules[Env.__module__].__dict__)
        self.files: dict[str, set | None] = {}  # filename -> the collector's set for it (None: not measured)
        self.nodes: dict[tuple[int, int], tuple] = {}  # (start, end) -> what one frame records

    def _frame_data(self, start: int, end: int) -> tuple:
        lines = range(start, end + 1)
        if not self.collector.branch:
            return tuple(lines)
        arcs = [(-self.first, start), *((n, n + 1) for n in lines[:-1]), (end, -self.first)]
        if not self.collector.core.packed_arcs:
            return tuple(arcs)
        return tuple(_packed(a, b) for a, b in arcs)

    def __call__(self, filename, node) -> None:
        if filename is None or not filename.endswith(".vy"):
            return
        end = node.end_lineno if node.end_lineno is not None else node.lineno
        key = (node.lineno, end)
        data = self.nodes.get(key)
        if data is None:
            data = self.nodes[key] = self._frame_data(*key)
        target = self.files.get(filename, False)
        if target is False or (target is not None and self.collector.data.get(filename) is not target):
            target = None
            if self.collector.check_include(filename, self.frame):
                target = self.collector.data.setdefault(filename, set())
                self.collector.file_tracers[filename] = PLUGIN_NAME
            self.files[filename] = target
        if target is not None:
            target.update(data)


def _packed(l1: int, l2: int) -> int:
    """An arc as coverage.py's C tracer packs it (coverage/collector.py, `flush_data`, unpacks it)."""
    packed = (abs(l1) & 0xFFFFFFF) | ((abs(l2) & 0xFFFFFFF) << 28)
    if l1 < 0:
        packed |= 1 << 56
    if l2 < 0:
        packed |= 1 << 57
    return packed


_recorder: _Recorder | None = None


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
            report = _recorder or self._trace_cov
            for pc in sorted(fresh):
                if (node := ast_map.get(pc)) is not None:
                    report(node.module_node.resolved_path, node)
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


def record_directly(cov) -> bool:
    """From now on, record the contracts' lines straight into `cov`'s collector (a started
    `coverage.Coverage` measuring through titanoboa's plugin) and pause its tracer: Python code runs
    untraced. False (nothing changed) when `cov` does not collect, or `BYZ_COV_TRACER=1` asks for the
    tracer (to compare the two ways)."""
    global _recorder
    import os

    collector = getattr(cov, "_collector", None)
    if collector is None or os.environ.get("BYZ_COV_TRACER") == "1":
        return False
    if _recorder is None or _recorder.collector is not collector:
        _recorder = _Recorder(collector)
    collector.pause()
    return True


def tracer_paused() -> bool:
    """Whether contract coverage is being recorded without coverage.py's tracer."""
    return _recorder is not None
