"""Plain-text tables for terminal reports."""

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
