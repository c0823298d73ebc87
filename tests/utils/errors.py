"""Custom errors (EigenLayer's `error Name()`), which titanoboa does not decode: match the revert data."""

from __future__ import annotations

from contextlib import contextmanager

import boa
from eth_utils import function_signature_to_4byte_selector


def error_selector(signature: str) -> bytes:
    """The 4-byte selector of a custom error, e.g. `error_selector("OnlyEigenPod()")`."""
    return function_signature_to_4byte_selector(signature)


@contextmanager
def reverts_with_error(signature: str):
    """Expect the call in the block to revert with exactly the custom error `signature` (no arguments),
    as the outermost call returns it (Vyper's `extcall` passes an inner revert's data up unchanged)."""
    with boa.reverts() as _:
        try:
            yield
        except boa.BoaError as exc:
            data = bytes(exc.call_trace.output or b"")
            expected = error_selector(signature)
            assert data == expected, f"reverted with 0x{data.hex()}, expected {signature} 0x{expected.hex()}"
            raise


@contextmanager
def reverts_with_error_data(expected: bytes):
    """Expect the call in the block to revert with exactly `expected` as its revert data."""
    with boa.reverts() as _:
        try:
            yield
        except boa.BoaError as exc:
            data = bytes(exc.call_trace.output or b"")
            assert data == expected, f"reverted with 0x{data.hex()}, expected 0x{expected.hex()}"
            raise
