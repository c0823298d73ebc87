"""The v1.12 stand-ins expose only EigenLayer's ABI (issue 15): every function selector and event topic of
each compiled contract, and every custom error raised in its source or the libraries it uses, is in
EigenLayer v1.12's table (tests/data/eigenlayer-selectors.json, from EigenLayer's own ABIs) under the
contract's name, except the listed wiring extras; and every function of the `.vyi` interfaces the protocol
compiles against is in that table too, so the same calls reach the real contracts."""

from __future__ import annotations

import json
import re

import pytest
from eth_utils import event_abi_to_log_topic, function_abi_to_4byte_selector, keccak
from vyper.compiler import compile_code
from vyper.compiler.input_bundle import FilesystemInputBundle
from vyper.compiler.output import build_abi_output

from deploy.protocol import ROOT
from tests.utils.deployers import load

TABLE = json.loads((ROOT / "tests" / "data" / "eigenlayer-selectors.json").read_text())
EIGENLAYER = ROOT / "contracts" / "external" / "eigenlayer"
INTERFACES = ROOT / "contracts" / "interfaces" / "external" / "eigenlayer"
LIB = ROOT / "contracts" / "lib"
CONTRACTS = ("EigenPod", "EigenPodManager", "DelegationManager", "AllocationManager", "RewardsCoordinator")
# Functions EigenLayer does not have: one-time wiring of contracts that name each other (EigenLayer deploys
# proxies first and sets immutables; stand-ins deploy once and wire once).
EXTRAS = {
    "EigenPodManager": {"setDelegationManager(address)"},
    "AllocationManager": {"setDelegation(address)"},
}
# Sources besides the contract whose custom errors are the contract's (modules it uses).
LIBRARIES = {
    "EigenPod": [LIB / "eigen_proofs.vy"],
    "DelegationManager": [LIB / "slashing_lib.vy"],
    "AllocationManager": [EIGENLAYER / "el_pausable.vy"],
    "RewardsCoordinator": [EIGENLAYER / "el_pausable.vy"],
}
# Solidity's built-in panic, raised where EigenLayer's arithmetic or array access would panic.
BUILTIN_ERRORS = {"Panic(uint256)"}
# EigenLayer's indexed event parameters (EL src/contracts/interfaces/IDelegationManager.sol:126-164,
# IPausable.sol:33,36).
DM_INDEXED = {
    "OperatorRegistered": ["operator"],
    "DelegationApproverUpdated": ["operator"],
    "OperatorMetadataURIUpdated": ["operator"],
    "OperatorSharesIncreased": ["operator"],
    "OperatorSharesDecreased": ["operator"],
    "StakerDelegated": ["staker", "operator"],
    "StakerUndelegated": ["staker", "operator"],
    "StakerForceUndelegated": ["staker", "operator"],
    "DepositScalingFactorUpdated": [],
    "SlashingWithdrawalQueued": [],
    "SlashingWithdrawalCompleted": [],
    "OperatorSharesSlashed": ["operator"],
    "Paused": ["account"],
    "Unpaused": ["account"],
}


def abi_of(path):
    """The ABI of a contract (compiled once, with titanoboa's search paths) or of an interface."""
    if path.suffix == ".vy":
        return build_abi_output(load(path).compiler_data)
    out = compile_code(
        path.read_text(),
        contract_path=path.relative_to(ROOT),
        input_bundle=FilesystemInputBundle([ROOT]),
        output_formats=["abi"],
    )
    return out["abi"]


def canonical(item) -> str:
    """`name(type,...)` with tuples spelled out, as selectors are computed."""

    def kind(arg):
        if arg["type"].startswith("tuple"):
            return "(" + ",".join(kind(c) for c in arg["components"]) + ")" + arg["type"][len("tuple") :]
        return arg["type"]

    return f"{item['name']}({','.join(kind(a) for a in item['inputs'])})"


def errors_of(name: str) -> set[str]:
    """The custom errors a contract's source and its libraries revert with (capitalised, as errors are;
    a function selector such as EIP-1271's `isValidSignature` is not one)."""
    sources = [EIGENLAYER / f"{name}.vy", *LIBRARIES.get(name, [])]
    found = {e for p in sources for e in re.findall(r'method_id\(\s*"([A-Z]\w*\([^"]*\))"', p.read_text())}
    return found - BUILTIN_ERRORS


@pytest.fixture(scope="module", params=CONTRACTS)
def compiled(request):
    return request.param, abi_of(EIGENLAYER / f"{request.param}.vy")


def test_every_function_and_event_is_eigenlayers(compiled):
    name, abi = compiled
    table = TABLE[name]
    functions = [i for i in abi if i["type"] == "function"]
    assert functions
    for item in functions:
        sig = canonical(item)
        if sig not in EXTRAS.get(name, set()):
            assert table["function"].get(sig) == "0x" + function_abi_to_4byte_selector(item).hex(), sig
    for item in (i for i in abi if i["type"] == "event"):
        assert table["event"].get(canonical(item)) == "0x" + event_abi_to_log_topic(item).hex(), item["name"]


def test_every_extra_is_listed_and_exists(compiled):
    name, abi = compiled
    sigs = {canonical(i) for i in abi if i["type"] == "function"}
    assert EXTRAS.get(name, set()) <= sigs
    assert not (EXTRAS.get(name, set()) & set(TABLE[name]["function"]))


@pytest.mark.parametrize("name", CONTRACTS)
def test_every_custom_error_is_eigenlayers(name):
    errors = errors_of(name)
    assert errors, f"{name}: no custom error found: the source scan is broken"
    for error in errors:
        assert TABLE[name]["error"].get(error) == "0x" + keccak(text=error)[:4].hex(), f"{name}: {error}"


@pytest.mark.parametrize("name", [n for n in CONTRACTS if (INTERFACES / f"I{n}.vyi").exists()])
def test_every_interface_function_is_in_eigenlayers_abi(name):
    functions = [i for i in abi_of(INTERFACES / f"I{name}.vyi") if i["type"] == "function"]
    assert functions
    for item in functions:
        sig = canonical(item)
        assert TABLE[name]["function"].get(sig) == "0x" + function_abi_to_4byte_selector(item).hex(), sig


def test_delegation_managers_indexed_parameters_are_eigenlayers():
    abi = abi_of(EIGENLAYER / "DelegationManager.vy")
    events = {
        e["name"]: [i["name"] for i in e["inputs"] if i["indexed"]] for e in abi if e["type"] == "event"
    }
    assert events == DM_INDEXED


def test_the_entry_points_a_restaking_staker_touches_are_present():
    """Named by issue 15 with EigenLayer's tuples (a typo in a struct would still match nothing above)."""
    sigs = {
        name: {canonical(i) for i in abi_of(EIGENLAYER / f"{name}.vy") if i["type"] == "function"}
        for name in CONTRACTS
    }
    claim = "(uint32,uint32,bytes,(address,bytes32),uint32[],bytes[],(address,uint256)[])"
    assert {f"processClaim({claim},address)", "setClaimerFor(address)"} <= sigs["RewardsCoordinator"]
    assert {
        "slashOperator(address,(address,uint32,address[],uint256[],string))",
        "getMaxMagnitudesAtBlock(address,address[],uint32)",
    } <= sigs["AllocationManager"]
    assert {
        "verifyWithdrawalCredentials(uint64,(bytes32,bytes),uint40[],bytes[],bytes32[][])",
        "verifyCheckpointProofs((bytes32,bytes),(bytes32,bytes32,bytes)[])",
        "verifyStaleBalance(uint64,(bytes32,bytes),(bytes32[],bytes))",
        "requestWithdrawal((bytes,uint64)[])",
        "stake(bytes,bytes,bytes32)",
    } <= sigs["EigenPod"]
    assert {
        "queueWithdrawals((address[],uint256[],address)[])",
        "completeQueuedWithdrawal((address,address,address,uint256,uint32,address[],uint256[]),address[],bool)",
        "undelegate(address)",
        "getWithdrawableShares(address,address[])",
    } <= sigs["DelegationManager"]
