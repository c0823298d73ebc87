"""Plain-text tables for terminal reports, and the amount and address formats they use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def format_table(header: Iterable[str], rows: Iterable[Iterable[Any]], align: str = "") -> str:
    """Plain-text table; `align` gives 'l' or 'r' per column (default left)."""
    header = [str(h) for h in header]
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    align = align.ljust(len(header), "l")

    def line(cells: list[str]) -> str:
        parts = [c.rjust(w) if a == "r" else c.ljust(w) for c, w, a in zip(cells, widths, align, strict=True)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


WEI_PER_ETH = 10**18


def eth(wei: int, places: int = 6) -> str:
    """Wei as ETH, exact (truncated) to `places` decimals, thousands separated: `1,234.500000`."""
    sign = "-" if wei < 0 else ""
    whole, frac = divmod(abs(wei), WEI_PER_ETH)
    return f"{sign}{whole:,}.{frac * 10**places // WEI_PER_ETH:0{places}d}"


def short(address: Any) -> str:
    """An address shortened for a table: `0x1234…abcd`."""
    a = str(address)
    return f"{a[:6]}…{a[-4:]}"


def one_line(exc: BaseException, limit: int = 160) -> str:
    """An exception as one short line: a titanoboa revert (`BoaError`, whose text is a whole call tree)
    as its revert reason, anything else as its message's first line."""
    trace = getattr(exc, "stack_trace", None)
    frame = getattr(trace, "last_frame", None) if trace is not None else None
    reason = getattr(frame, "pretty_vm_reason", None) if frame is not None else None
    lines = [line.strip() for line in str(reason or exc).splitlines() if line.strip().strip("=")]
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
