"""Each contract compiled, loaded and mapped once per test process.

- titanoboa's `compiler_data` (behind `boa.load`, `boa.load_partial`, `boa.loads`) goes to its disk cache
  on every call: it parses and analyses the contract and all its imports (to fingerprint them), then
  unpickles the whole compiled artifact, 0.1 to 2 s a contract, again for every fixture that loads it.
  `install()` keeps the first answer for each (source, name, file, settings, deployer) for the process,
  as `deploy.protocol.deployer_for` already does for the suite's roles: the contracts do not change
  while the tests run. Each load still makes its own deployer.
- every deployment assembles the contract's init code again for its deployment source map (about 0.1 s a
  contract: a module's suite is 16 of them); it is kept with the compiled data, which it depends on alone.

- the compiled data are millions of Python objects that live as long as the process: once a contract is
  loaded, `gc.freeze()` takes them (and whatever else is alive) out of the garbage collector's full
  collections, which walked them again and again (a staker module: 14 of its 32 CPU seconds, now 3.5).
  Frozen objects are still freed when nothing refers to them; only cycles among them stay.

Nothing else changes: the same compiler output, bytecode and source maps.
"""

from __future__ import annotations

import functools
import gc

import boa.interpret
from boa.contracts.vyper.vyper_contract import VyperContract

_compiled: dict[tuple, object] = {}


def _compiler_data_once(original):
    @functools.wraps(original)
    def compiler_data(source_code, contract_name, filename, deployer=None, **kwargs):
        key = (source_code, contract_name, str(filename), repr(deployer), repr(sorted(kwargs.items())))
        data = _compiled.get(key)
        if data is None:
            data = _compiled[key] = original(source_code, contract_name, filename, deployer, **kwargs)
            gc.freeze()  # its millions of objects live as long as the process: out of every collection
        return data

    compiler_data._byz_once = True
    return compiler_data


def _deployment_source_map_once(original):
    def source_map(self):
        data = self.compiler_data
        cached = getattr(data, "_byz_deployment_source_map", None)
        if cached is None:
            cached = original(self)
            data._byz_deployment_source_map = cached
        return cached

    prop = functools.cached_property(source_map)
    prop._byz_once = True
    return prop


def install() -> None:
    """Idempotent."""
    if not getattr(boa.interpret.compiler_data, "_byz_once", False):
        boa.interpret.compiler_data = _compiler_data_once(boa.interpret.compiler_data)
    current = VyperContract.__dict__["_deployment_source_map"]
    if not getattr(current, "_byz_once", False):
        prop = _deployment_source_map_once(current.func)
        prop.__set_name__(VyperContract, "_deployment_source_map")
        VyperContract._deployment_source_map = prop
