"""Import on first use, so that a command's `--help` answers at once.

Loading titanoboa and the Vyper compiler takes seconds; a user asking `python -m deploy.lifecycle --help`
should not wait for them. So every command's module (`deploy.network`, `deploy.lifecycle`, `deploy.docs`,
`deploy.revert_audit`, `tests.gas.benchmark`) imports only the standard library at module level and parses
its arguments before anything heavy loads: its work lives in a sibling module imported by `main`, or its
heavy imports sit inside the functions that need them. What the Python API used to find in the command's
module is still found there, through `lazy_exports`.

This module imports only the standard library (tests/deploy/test_tools.py checks every command's help).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(module: str, exports: dict[str, str]) -> Callable[[str], Any]:
    """A module-level `__getattr__` (PEP 562) for the module named `module`: `exports` maps each name to the
    module that defines it (an absolute name), imported on the name's first use; the value is then cached in
    `module`'s namespace, so later uses cost nothing.

        __getattr__ = lazy_exports(__name__, {"Lifecycle": "deploy.sim.lifecycle"})
    """

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(import_module(exports[name]), name)
        setattr(sys.modules[module], name, value)
        return value

    return __getattr__
