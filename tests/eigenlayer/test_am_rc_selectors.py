"""Every function selector, event topic and custom-error selector the AllocationManager and
RewardsCoordinator stand-ins expose is EigenLayer's: it appears in tests/data/eigenlayer-selectors.json
(computed from EigenLayer v1.12's ABIs) under the contract's name, with the same value."""

from __future__ import annotations

import json
import re
from pathlib import Path

import boa
import pytest
from eth_utils import function_signature_to_4byte_selector, keccak
from vyper.compiler.output import build_abi_output

ROOT = Path(__file__).resolve().parents[2]
SELECTORS = json.loads((ROOT / "tests/data/eigenlayer-selectors.json").read_text())
EIGENLAYER = ROOT / "contracts/external/eigenlayer"
# The module both contracts initialise: its functions, events and errors are part of each.
SHARED = [EIGENLAYER / "el_pausable.vy"]
CONTRACTS = {
    "AllocationManager": EIGENLAYER / "AllocationManager.vy",
    "RewardsCoordinator": EIGENLAYER / "RewardsCoordinator.vy",
}
# Solidity's built-in panic, raised where EigenLayer's array access would panic: not a declared error.
BUILTIN_ERRORS = {"Panic(uint256)"}


def canonical(param: dict) -> str:
    """An ABI parameter's canonical type: tuples spelled out, arrays kept."""
    kind = param["type"]
    if kind.startswith("tuple"):
        return "(" + ",".join(canonical(c) for c in param["components"]) + ")" + kind[len("tuple") :]
    return kind


def signatures(path: Path) -> dict[str, set[str]]:
    """The canonical signatures of the contract's functions and events, and of the custom errors its
    source (and the shared module's) reverts with."""
    abi = build_abi_output(boa.load_partial(str(path)).compiler_data)
    out: dict[str, set[str]] = {"function": set(), "event": set(), "error": set()}
    for item in abi:
        if item["type"] in ("function", "event"):
            out[item["type"]].add(f"{item['name']}({','.join(canonical(p) for p in item['inputs'])})")
    for source in [path, *SHARED]:
        out["error"] |= set(re.findall(r'method_id\("(\w+\([^"]*\))"', source.read_text())) - BUILTIN_ERRORS
    return out


@pytest.fixture(scope="module", params=sorted(CONTRACTS))
def exposed(request) -> tuple[str, dict[str, set[str]]]:
    return request.param, signatures(CONTRACTS[request.param])


def test_every_function_is_eigenlayers(exposed):
    name, sigs = exposed
    reference = SELECTORS[name]["function"]
    assert sigs["function"] - reference.keys() == set()
    for sig in sigs["function"]:
        assert "0x" + function_signature_to_4byte_selector(sig).hex() == reference[sig], sig


def test_every_event_is_eigenlayers(exposed):
    name, sigs = exposed
    reference = SELECTORS[name]["event"]
    assert sigs["event"] - reference.keys() == set()
    for sig in sigs["event"]:
        assert "0x" + keccak(text=sig).hex() == reference[sig], sig


def test_every_custom_error_is_eigenlayers(exposed):
    name, sigs = exposed
    reference = SELECTORS[name]["error"]
    assert sigs["error"], "no custom error found: the source scan is broken"
    assert sigs["error"] - reference.keys() == set()
    for sig in sigs["error"]:
        assert "0x" + function_signature_to_4byte_selector(sig).hex() == reference[sig], sig


def test_the_named_entry_points_are_present():
    """The functions the brief names exist with EigenLayer's tuples (a typo would still match nothing)."""
    am = signatures(CONTRACTS["AllocationManager"])["function"]
    rc = signatures(CONTRACTS["RewardsCoordinator"])["function"]
    assert {
        "slashOperator(address,(address,uint32,address[],uint256[],string))",
        "modifyAllocations(address,((address,uint32),address[],uint64[])[])",
        "registerForOperatorSets(address,(address,uint32[],bytes))",
        "createOperatorSets(address,(uint32,address[],address)[])",
        "getMaxMagnitudesAtBlock(address,address[],uint32)",
        "paused(uint8)",
    } <= am
    claim = "(uint32,uint32,bytes,(address,bytes32),uint32[],bytes[],(address,uint256)[])"
    assert {
        f"processClaim({claim},address)",
        f"processClaims({claim}[],address)",
        f"checkClaim({claim})",
        "submitRoot(bytes32,uint32)",
        "setClaimerFor(address)",
    } <= rc
