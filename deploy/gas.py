"""Gas figures that match transaction receipts, measured on titanoboa's in-process EVM.

titanoboa runs every call as a bare message inside one long "transaction": warm/cold access sets and the
SSTORE "original values" carry over from call to call, and neither the 21 000 base cost, the calldata cost
nor the refund cap is applied. A second write to a slot then reports ~170 gas where a real transaction pays
~5 000. The helpers here put a transaction boundary before each measured call, as py-evm does between
transactions, and charge what a receipt's `gasUsed` would show:

    gas = max(intrinsic + execution - min(refund, (intrinsic + execution) // 5), calldata_floor)

with `intrinsic = 21 000 + 16 per non-zero + 4 per zero calldata byte` (+ 32 000 for a deployment; the
EIP-3860 initcode word cost is already part of py-evm's execution gas) and
`calldata_floor = 21 000 + 10 * (zero bytes + 4 * non-zero bytes)` (EIP-7623).

Usage (in a script, or in a test marked `@pytest.mark.ignore_isolation` that deploys its own contracts):

    from deploy.gas import measure, GasReport
    ids, gas = measure(auction.bid, [1000], [100], value=price, sender=operator)

    report = GasReport()
    report.measure("bid (1 bid)", auction.bid, [1000], [100], value=price, sender=operator)
    print(report.table())

Caveat: the boundary calls `boa.env.evm.vm.state.lock_changes()`, which invalidates `boa.env.anchor()`
checkpoints: never measure inside an anchor (or inside titanoboa's pytest isolation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import boa
from eth_utils import to_canonical_address

from deploy.tables import format_table

TX_BASE = 21_000
TX_CREATE = 32_000
CALLDATA_ZERO = 4
CALLDATA_NONZERO = 16
FLOOR_PER_TOKEN = 10  # EIP-7623 (Prague)
REFUND_QUOTIENT = 5  # EIP-3529


def intrinsic_gas(data: bytes, create: bool = False) -> int:
    """Intrinsic gas of a transaction with calldata (or initcode) `data`, less the initcode word cost.

    py-evm charges EIP-3860's 2 gas per initcode word inside the creation message, so it is not added here.
    """
    zeros = data.count(0)
    gas = TX_BASE + CALLDATA_ZERO * zeros + CALLDATA_NONZERO * (len(data) - zeros)
    if create:
        gas += TX_CREATE
    return gas


def calldata_floor(data: bytes) -> int:
    """EIP-7623 minimum gas of a transaction with calldata `data`."""
    zeros = data.count(0)
    return TX_BASE + FLOOR_PER_TOKEN * (zeros + 4 * (len(data) - zeros))


def receipt_gas(data: bytes, execution: int, refund: int, create: bool = False) -> int:
    """The `gasUsed` of a receipt, from the calldata, the execution gas and the gross refund."""
    used = intrinsic_gas(data, create) + execution
    used -= min(refund, used // REFUND_QUOTIENT)
    return max(used, calldata_floor(data))


def transaction_boundary(*warm: Any) -> None:
    """End the current "transaction" of the in-process EVM and start a new one.

    Commits the journal and resets the access sets (`lock_changes`), then warms `warm` (the sender and the
    callee, as a real transaction does; precompiles and the coinbase are warm already).
    """
    state = boa.env.evm.vm.state
    state.lock_changes()
    for address in warm:
        state.mark_address_warm(to_canonical_address(str(address)))


def measure(fn: Callable, *args, sender: Any = None, value: int = 0, **kwargs) -> tuple[Any, int]:
    """Call a titanoboa contract function as its own transaction; return `(result, receipt gas)`.

    `fn` is a bound contract function (`contract.method`); `args`, `value`, `sender` and keyword arguments
    are passed on. A revert raises as usual.
    """
    contract = fn.contract
    sender = sender if sender is not None else boa.env.eoa
    calldata = fn.prepare_calldata(*args, **kwargs)
    transaction_boundary(sender, contract.address)
    result = fn(*args, sender=sender, value=value, **kwargs)
    computation = contract._computation
    return result, receipt_gas(calldata, computation.get_gas_used(), computation.get_gas_refund())


def measure_deploy(deployer: Any, *args, **kwargs) -> tuple[Any, int]:
    """Deploy `deployer` (from `boa.load_partial`) as its own transaction; return `(contract, gas)`.

    The sender is `boa.env.eoa` (use `boa.env.prank` to change it).
    """
    transaction_boundary(boa.env.eoa)
    contract = deployer.deploy(*args, **kwargs)
    initcode = getattr(contract, "initcode", None)  # a blueprint (deploy.protocol.Blueprint) carries its own
    if initcode is None:
        ctor = contract._ctor
        initcode = contract.compiler_data.bytecode + (ctor.prepare_calldata(*args, **kwargs) if ctor else b"")
    computation = contract._computation
    gas = receipt_gas(initcode, computation.get_gas_used(), computation.get_gas_refund(), create=True)
    return contract, gas


@dataclass
class GasStat:
    """Gas figures of one kind of operation."""

    count: int = 0
    total: int = 0
    low: int = 0
    high: int = 0

    def add(self, gas: int) -> None:
        """Record one measurement."""
        self.low = gas if self.count == 0 else min(self.low, gas)
        self.high = max(self.high, gas)
        self.count += 1
        self.total += gas

    @property
    def mean(self) -> int:
        """Average gas, rounded down."""
        return self.total // self.count if self.count else 0


@dataclass
class GasReport:
    """Gas figures by operation name, in order of first use."""

    stats: dict[str, GasStat] = field(default_factory=dict)

    def record(self, name: str, gas: int) -> int:
        """Add a measurement under `name`; returns `gas`."""
        self.stats.setdefault(name, GasStat()).add(gas)
        return gas

    def measure(self, name: str, fn: Callable, *args, **kwargs) -> Any:
        """`measure(fn, ...)`, recorded under `name`; returns the call's result."""
        result, gas = measure(fn, *args, **kwargs)
        self.record(name, gas)
        return result

    def rows(self) -> Iterable[tuple[str, int, int, int, int]]:
        """(name, count, min, mean, max) per operation."""
        for name, s in self.stats.items():
            yield name, s.count, s.low, s.mean, s.high

    def to_dict(self) -> dict[str, dict[str, int]]:
        """JSON-ready figures."""
        return {n: {"count": c, "min": lo, "mean": m, "max": hi} for n, c, lo, m, hi in self.rows()}

    def table(self) -> str:
        """A plain-text table of the figures."""
        header = ("operation", "calls", "min", "mean", "max")
        body = [(n, str(c), f"{lo:,}", f"{m:,}", f"{hi:,}") for n, c, lo, m, hi in self.rows()]
        return format_table(header, body, align="lrrrr")
