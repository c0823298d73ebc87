"""Every function selector, event topic and custom error of the DelegationManager stand-in (and every function
of IDelegationManager.vyi) is EigenLayer v1.12's: it appears under "DelegationManager" in
tests/data/eigenlayer-selectors.json (computed from EigenLayer's own ABI)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import boa
from eth_utils import keccak

from tests.eigenlayer import test_delegation_manager_fixtures as fx
from tests.eigenlayer.test_delegation_manager_fixtures import (
    BEACON,
    NO_SIG,
    ZERO,
)

# the shared fixtures (pytest finds them as module attributes)
am, dm, dm_deployer, epm, operator, pauser, staker = (
    fx.am,
    fx.dm,
    fx.dm_deployer,
    fx.epm,
    fx.operator,
    fx.pauser,
    fx.staker,
)


ROOT = Path(__file__).resolve().parents[2]
DM_SOURCES = [
    ROOT / "contracts/external/eigenlayer/DelegationManager.vy",
    ROOT / "contracts/lib/slashing_lib.vy",
]
IDM = ROOT / "contracts/interfaces/external/eigenlayer/IDelegationManager.vyi"
EL = json.loads((ROOT / "tests/data/eigenlayer-selectors.json").read_text())["DelegationManager"]
VYPER = Path(sys.executable).with_name("vyper")


def _abi(path: Path) -> list[dict]:
    return json.loads(subprocess.check_output([str(VYPER), "-f", "abi", str(path)], cwd=ROOT))


def _type(entry: dict) -> str:
    if entry["type"].startswith("tuple"):
        inner = ",".join(_type(c) for c in entry["components"])
        return f"({inner}){entry['type'][len('tuple') :]}"
    return entry["type"]


def _signature(item: dict) -> str:
    return f"{item['name']}({','.join(_type(i) for i in item['inputs'])})"


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


def test_every_function_is_eigenlayers():
    functions = [_signature(f) for f in _abi(DM_SOURCES[0]) if f["type"] == "function"]
    assert len(functions) >= 40
    for sig in functions:
        assert sig in EL["function"], f"{sig} is not a v1.12 DelegationManager function"
        assert EL["function"][sig] == _hex(keccak(text=sig)[:4])


def test_every_interface_function_is_eigenlayers():
    functions = [_signature(f) for f in _abi(IDM) if f["type"] == "function"]
    assert (
        "completeQueuedWithdrawal((address,address,address,uint256,uint32,address[],uint256[]),address[],bool)"
        in (functions)
    )
    missing = [sig for sig in functions if sig not in EL["function"]]
    assert not missing


def test_every_event_topic_is_eigenlayers():
    events = [e for e in _abi(DM_SOURCES[0]) if e["type"] == "event"]
    assert len(events) == 14
    for event in events:
        sig = _signature(event)
        assert sig in EL["event"], f"{sig} is not a v1.12 DelegationManager event"
        assert EL["event"][sig] == _hex(keccak(text=sig))


# EL src/contracts/interfaces/IDelegationManager.sol:126-164, IPausable.sol:33,36: the indexed parameters.
INDEXED = {
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


def test_indexed_parameters_are_eigenlayers():
    events = {
        e["name"]: [i["name"] for i in e["inputs"] if i["indexed"]]
        for e in _abi(DM_SOURCES[0])
        if e["type"] == "event"
    }
    assert events == INDEXED


def test_every_custom_error_is_eigenlayers():
    errors = sorted({m for p in DM_SOURCES for m in re.findall(r'method_id\("(\w+\(\))"', p.read_text())})
    assert "InvalidDepositScalingFactor()" in errors and "CurrentlyPaused()" in errors
    for sig in errors:
        assert sig in EL["error"], f"{sig} is not a v1.12 DelegationManager error"
        assert EL["error"][sig] == _hex(keccak(text=sig)[:4])


def test_emitted_withdrawal_queued_topic_is_eigenlayers(dm, epm, operator, staker):
    """The topic Vyper emits for SlashingWithdrawalQueued (a struct argument) is the tuple signature's."""
    epm.deposit(staker, 5 * 10**18)
    with boa.env.prank(staker):
        dm.delegateTo(operator, NO_SIG, b"\x00" * 32)
        dm.queueWithdrawals([([BEACON], [10**18], ZERO)])
    topics = {_hex(entry[2][0].to_bytes(32, "big")) for entry in dm._computation.get_raw_log_entries()}
    expected = EL["event"][
        "SlashingWithdrawalQueued(bytes32,(address,address,address,uint256,uint32,address[],uint256[]),uint256[])"
    ]
    assert expected == "0x26b2aae26516e8719ef50ea2f6831a2efbd4e37dccdf0f6936b27bc08e793e30"
    assert expected in topics
