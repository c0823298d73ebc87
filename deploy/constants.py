"""The protocol's shared numbers, read from the compiled `contracts/lib/constants.vy`.

Vyper's front end parses and type-checks the module and folds every constant expression (`2**40 - 1`,
`32 * 10**18`), so Python code uses exactly the values the contracts are compiled with:

    from deploy.constants import c
    c.BOND, c.MAX_BATCH, c.MAX_CLUSTER_SIZE

Every status lives in the same module, named `<KIND>_<STATUS>` (`c.BID_PENDING`, `c.CLUSTER_STAKED`,
`c.STREAM_STREAMING`). The contracts' status views return numbers; `BidStatus`, `ClusterStatus` and
`StreamStatus` (IntEnums built from those constants, by prefix) read them as names:

    ClusterStatus(manager.cluster_status(cid)).label    # "pre-deposited"
    status_name(StreamStatus, staker_rewards.status(cid))   # "streaming"
    ClusterStatus.STAKED == c.CLUSTER_STAKED == 3
"""

from __future__ import annotations

from enum import IntEnum
from functools import cache
from pathlib import Path
from typing import Any

import vyper.ast as vy_ast
from vyper.compiler.input_bundle import FileInput, FilesystemInputBundle
from vyper.compiler.phases import CompilerData

SOURCE = Path(__file__).resolve().parent.parent / "contracts" / "lib" / "constants.vy"


@cache
def read_constants(path: Path = SOURCE) -> dict[str, Any]:
    """Every `constant(...)` of the Vyper module at `path`, folded to its Python value, in source order."""
    source = FileInput(contents=path.read_text(), source_id=0, path=path, resolved_path=path)
    bundle = FilesystemInputBundle([path.parent])  # a codec imports its sibling modules (`constants`)
    module = CompilerData(source, input_bundle=bundle).annotated_vyper_module
    return {
        decl.target.id: decl.value.get_folded_value().value
        for decl in module.get_children(vy_ast.VariableDecl)
        if decl.is_constant
    }


class Constants:
    """Attribute access to `read_constants()` (`c.BOND`); an unknown name raises AttributeError."""

    def __init__(self, values: dict[str, Any]):
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no constant {name} in this module") from None

    def __dir__(self) -> list[str]:
        return sorted(self._values)

    def as_dict(self) -> dict[str, Any]:
        """Every constant by name."""
        return dict(self._values)


c = Constants(read_constants())


class Status(IntEnum):
    """One kind of status a contract view returns; a member compares equal to the view's number."""

    @property
    def label(self) -> str:
        """The status as a word for reports: its constant's name in lower case (`PRE_DEPOSITED`:
        "pre-deposited")."""
        return self.name.lower().replace("_", "-")


def status_enum(kind: str, values: dict[str, int]) -> type[Status]:
    """A `Status` enum named `kind` with `values` (name -> number, from a compiled module). Refuses two names
    for one number, which an IntEnum would silently turn into an alias: a view would then read as the
    wrong name."""
    numbers = sorted(values.values())
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"{kind}: two statuses share a number: {values}")
    return Status(kind, values)


def _prefixed(module: Constants, prefix: str) -> dict[str, int]:
    """Every constant of `module` named `<prefix>NAME`, as NAME."""
    return {name.removeprefix(prefix): v for name, v in module.as_dict().items() if name.startswith(prefix)}


# Auction.get_bid(...).status (contracts/lib/constants.vy: BID_NONE, BID_PENDING, ...)
BidStatus = status_enum("BidStatus", _prefixed(c, "BID_"))
# StrategyModuleManager.cluster_status (CLUSTER_UNKNOWN, CLUSTER_PENDING, ... CLUSTER_SLASHED)
ClusterStatus = status_enum("ClusterStatus", _prefixed(c, "CLUSTER_"))
# StakerRewards.status (STREAM_NONE, STREAM_FUNDED, ... STREAM_SLASHED)
StreamStatus = status_enum("StreamStatus", _prefixed(c, "STREAM_"))
STATUS_KINDS = (BidStatus, ClusterStatus, StreamStatus)


def status_name(kind: type[Status], value: int) -> str:
    """A status view's number as its word (`status_name(ClusterStatus, 2)`: "pre-deposited"); a number the
    contracts do not define raises ValueError rather than printing something made up."""
    return kind(value).label
