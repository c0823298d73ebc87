"""The protocol's shared numbers, read from the compiled `contracts/lib/constants.vy`.

Vyper's front end parses and type-checks the module and folds every constant expression (`2**40 - 1`,
`32 * 10**18`), so Python code uses exactly the values the contracts are compiled with:

    from deploy.constants import c
    c.BOND, c.MAX_BATCH, c.MAX_CLUSTER_SIZE
"""

from __future__ import annotations

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
# The statuses the contracts report, from the modules that define them: StrategyModuleManager.cluster_status
# (contracts/lib/cluster_state.vy: PENDING, STAKED, ...) and StakerRewards.status
# (contracts/lib/stream_codec.vy: STATUS_STREAMING, ...). Bid statuses are in `c` (STATUS_PENDING, ...).
cluster_status = Constants(read_constants(SOURCE.parent / "cluster_state.vy"))
stream_status = Constants(read_constants(SOURCE.parent / "stream_codec.vy"))
