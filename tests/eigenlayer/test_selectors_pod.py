"""The v1.12 EigenPod / EigenPodManager stand-ins expose only EigenLayer's ABI: every function selector and
event topic of the compiled ABI, and every custom error raised in the source, is in EigenLayer v1.12's
table (tests/data/eigenlayer-selectors.json), except the listed wiring extras; and every function of the
two `.vyi` interfaces is in that table too."""

from __future__ import annotations

import json
import re

import pytest
from eth_utils import event_abi_to_log_topic, function_abi_to_4byte_selector, keccak
from vyper.compiler import compile_code
from vyper.compiler.input_bundle import FilesystemInputBundle
from vyper.compiler.output import build_abi_output

from deploy.protocol import ROOT
from tests.eigenlayer.conftest import EPM_SOURCE, POD_SOURCE
from tests.utils.deployers import load

TABLE = json.loads((ROOT / "tests" / "data" / "eigenlayer-selectors.json").read_text())
INTERFACES = ROOT / "contracts" / "interfaces" / "external" / "eigenlayer"
# Functions that EigenLayer does not have: the one-time DelegationManager wiring.
EXTRAS = {"EigenPodManager": {"setDelegationManager(address)"}, "EigenPod": set()}
CONTRACTS = {"EigenPod": POD_SOURCE, "EigenPodManager": EPM_SOURCE}
# Errors the shared libraries raise, per contract that imports them.
LIBRARIES = {"EigenPod": [ROOT / "contracts" / "lib" / "eigen_proofs.vy"], "EigenPodManager": []}


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
    def t(arg):
        if arg["type"].startswith("tuple"):
            return "(" + ",".join(t(c) for c in arg["components"]) + ")" + arg["type"][5:]
        return arg["type"]

    return f"{item['name']}({','.join(t(a) for a in item['inputs'])})"


@pytest.fixture(scope="module", params=sorted(CONTRACTS))
def compiled(request):
    return request.param, abi_of(CONTRACTS[request.param])


def test_every_function_and_event_is_eigenlayers(compiled):
    name, abi = compiled
    table = TABLE[name]
    for item in abi:
        if item["type"] == "function":
            sig = canonical(item)
            if sig in EXTRAS[name]:
                continue
            assert table["function"].get(sig) == "0x" + function_abi_to_4byte_selector(item).hex(), sig
        elif item["type"] == "event":
            sig = canonical(item)
            assert table["event"].get(sig) == "0x" + event_abi_to_log_topic(item).hex(), sig


def test_every_extra_is_listed_and_exists(compiled):
    name, abi = compiled
    sigs = {canonical(i) for i in abi if i["type"] == "function"}
    assert EXTRAS[name] <= sigs
    assert not (EXTRAS[name] & set(TABLE[name]["function"]))


def test_every_custom_error_is_eigenlayers():
    for name, path in CONTRACTS.items():
        sources = [path, *LIBRARIES[name]]
        errors = {e for p in sources for e in re.findall(r'method_id\(\s*"(\w+\(\))"', p.read_text())}
        assert errors, name
        for error in errors:
            if error == "Panic(uint256)":
                continue
            expected = "0x" + keccak(text=error)[:4].hex()
            assert TABLE[name]["error"].get(error) == expected, f"{name}: {error}"


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_every_interface_function_is_in_eigenlayers_abi(name):
    abi = abi_of(INTERFACES / f"I{name}.vyi")
    functions = [i for i in abi if i["type"] == "function"]
    assert functions
    for item in functions:
        sig = canonical(item)
        assert TABLE[name]["function"].get(sig) == "0x" + function_abi_to_4byte_selector(item).hex(), sig
