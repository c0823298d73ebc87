"""Compiled deployers, one compilation per process.

`deployer_for(role)` (roles of deploy/protocol.py's SOURCES) is the same cached deployer the deployment
scripts use; `load(path)` compiles any other contract (test doubles under tests/) once. Both return
titanoboa `VyperDeployer`s: `.deploy(...)`, `.at(address)`.
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path

import boa

from deploy.protocol import ROOT, deployer_for


@cache
def load(path: str | Path):
    """The deployer of the contract at `path` (absolute, or relative to the repository), compiled once."""
    full = Path(path) if Path(path).is_absolute() else ROOT / path
    return boa.load_partial(str(full))


def at(role: str, address):
    """A handle on a `role` contract at `address`, without titanoboa's bytecode warning (minimal proxies)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="casted bytecode does not match")
        return deployer_for(role).at(str(address))


__all__ = ["at", "deployer_for", "load"]
