"""tests/utils/compile_once.py (installed by tests/conftest.py): a contract loaded twice in a process is one
compilation, and a deployment's source map is the one the compiler's init code gives."""

from __future__ import annotations

import boa
from boa.contracts.vyper.vyper_contract import VyperContract
from vyper.compiler.settings import anchor_settings
from vyper.ir import compile_ir

from deploy.protocol import CONTRACTS, SOURCES

ESCROW = str(CONTRACTS / SOURCES["escrow"])


def test_installed():
    assert getattr(boa.interpret.compiler_data, "_byz_once", False)
    assert getattr(VyperContract.__dict__["_deployment_source_map"], "_byz_once", False)


def test_a_second_load_is_the_same_compilation():
    first, second = boa.load_partial(ESCROW), boa.load_partial(ESCROW)
    assert first is not second
    assert first.compiler_data is second.compiler_data
    with open(ESCROW) as f:
        assert boa.loads_partial(f.read(), name=ESCROW, filename=ESCROW).compiler_data is first.compiler_data


def test_a_deployment_maps_its_init_code_as_the_compiler_does():
    deployer = boa.load_partial(str(CONTRACTS / SOURCES["deposit_contract"]))
    first, second = deployer.deploy(), deployer.deploy()
    with anchor_settings(deployer.compiler_data.settings):
        _, expected = compile_ir.assembly_to_evm(deployer.compiler_data.assembly)
    assert first._deployment_source_map == expected
    assert second._deployment_source_map is first._deployment_source_map
