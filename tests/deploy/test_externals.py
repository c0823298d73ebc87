"""Never a stand-in where the chain has the real system (issue #15, "Deploying for real").

A public chain uses its own deposit contract, EigenLayer and EIP-4788 / EIP-7002 contracts, named in
networks.toml, each of which must hold code and answer the functions the protocol calls; an unknown chain
gets stand-ins only with a flag that says so. Checked against a node's answers (a fake chain holding the
code, proxies and beacons real deployments use) and against EigenLayer v1.12's real selectors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from boa.rpc import EthereumRPC
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

import boa_env
from deploy.network import cli
from deploy.network.chain import Chain, DeployError
from deploy.network.externals import (
    EIGENLAYER_STAND_IN_ONLY,
    EIP1967_IMPLEMENTATION_SLOT,
    NAMED_ROLES,
    STAND_INS_FLAG,
    SYSTEM_ROLES,
    check_interfaces,
    external_contracts,
    interface_functions,
    missing_functions,
    named_externals,
)
from deploy.network.inputs import BEACON_GENESIS_TIMES, DEV_CHAIN_IDS
from deploy.protocol import deployer_for
from tests.deploy.conftest import running_anvil

DATA = Path(__file__).resolve().parents[1] / "data"
EIGENLAYER = json.loads((DATA / "eigenlayer-selectors.json").read_text())
MAINNET = 1
RUNNING = b"\x60\x00"  # any non-empty code
IMPLEMENTATION = "0x" + "11" * 20


class FakeChain:
    """Code, storage words and views by address, as a node answers `eth_getCode`, `eth_getStorageAt` and
    `eth_call`; a view it does not know reverts."""

    def __init__(self, code: dict | None = None, storage: dict | None = None, views: dict | None = None):
        self._code = {a.lower(): c for a, c in (code or {}).items()}
        self._storage = {(a.lower(), slot): w for (a, slot), w in (storage or {}).items()}
        self._views = {(a.lower(), name): v for (a, name), v in (views or {}).items()}

    def code(self, address: str) -> bytes:
        return self._code.get(address.lower(), b"")

    def storage(self, address: str, slot: int) -> bytes:
        return self._storage.get((address.lower(), slot), b"")

    def view(self, address: str, name: str, returns: str):
        if (address.lower(), name) not in self._views:
            raise RuntimeError("execution reverted")
        return self._views[(address.lower(), name)]


def dispatcher(selectors: list[bytes]) -> bytes:
    """Code dispatching on `selectors` as Solidity does (`PUSH4 selector EQ PUSH2 dest JUMPI`)."""
    return b"".join(b"\x80\x63" + s + b"\x14\x61\x00\x00\x57" for s in selectors)


def stand_in_code(role: str) -> bytes:
    return deployer_for(role).compiler_data.bytecode_runtime


def every_system_running(chain_id: int = MAINNET, code=lambda role: RUNNING) -> FakeChain:
    named = named_externals(chain_id)
    return FakeChain({address: code(role) for role, address in {**SYSTEM_ROLES, **named}.items()})


def test_every_public_network_names_its_deposit_contract_and_eigenlayer():
    for chain_id in BEACON_GENESIS_TIMES:
        named = named_externals(chain_id)
        assert set(named) == set(NAMED_ROLES), chain_id
        for address in named.values():
            assert to_checksum_address(address) == address  # EIP-55: a mistyped address would not pass
    assert named_externals(MAINNET)["deposit_contract"] == "0x00000000219ab540356cBB839Cbe05303d7705Fa"
    for chain_id in DEV_CHAIN_IDS:
        assert named_externals(chain_id) is None


def test_a_development_chain_gets_every_stand_in():
    for chain_id in DEV_CHAIN_IDS:
        assert external_contracts(every_system_running(), chain_id) == {}


def test_a_named_public_chain_uses_its_own_systems_only():
    externals = external_contracts(every_system_running(), MAINNET)
    assert externals == {**SYSTEM_ROLES, **named_externals(MAINNET)}
    # nothing the protocol calls is left to a stand-in
    assert set(externals) == set(SYSTEM_ROLES) | set(NAMED_ROLES)


@pytest.mark.parametrize("role", [*SYSTEM_ROLES, *NAMED_ROLES])
def test_a_named_system_without_code_is_refused_not_replaced(role):
    address = {**SYSTEM_ROLES, **named_externals(MAINNET)}[role]
    chain = every_system_running(code=lambda r: b"" if r == role else RUNNING)
    with pytest.raises(DeployError, match=f"no code at {address}, its {role}: refusing to deploy a stand-in"):
        external_contracts(chain, MAINNET)


def test_an_unknown_chain_gets_stand_ins_only_with_the_flag():
    chain = FakeChain({SYSTEM_ROLES["beacon_roots"]: RUNNING})
    with pytest.raises(DeployError, match=f"chain id 4242 is not a development chain.*{STAND_INS_FLAG}"):
        external_contracts(chain, 4242)
    # with it: the system contracts the chain has, stand-ins for everything else
    assert external_contracts(chain, 4242, stand_ins=True) == {"beacon_roots": SYSTEM_ROLES["beacon_roots"]}


def test_the_stand_in_flag_is_refused_where_the_real_systems_are_named():
    with pytest.raises(DeployError, match=f"{STAND_INS_FLAG} refused: networks.toml names chain id 1's real"):
        external_contracts(every_system_running(), MAINNET, stand_ins=True)


def test_a_half_named_network_is_refused(tmp_path):
    toml = tmp_path / "networks.toml"
    toml.write_text('[networks.half]\nchain_id = 7\n[networks.half.external]\ndeposit_contract = "0x01"\n')
    with pytest.raises(DeployError, match=r"\[networks.half.external\] lacks delegation_manager"):
        named_externals(7, toml)


def test_the_protocols_stand_ins_answer_every_function_it_calls():
    for role in NAMED_ROLES:
        chain = FakeChain({IMPLEMENTATION: stand_in_code(role)})
        assert missing_functions(chain, role, IMPLEMENTATION) == [], role


def test_the_deposit_interface_is_the_real_deposit_contracts():
    # the beacon deposit contract's ABI (the same contract on every chain since genesis)
    real = ["deposit(bytes,bytes,bytes,bytes32)", "get_deposit_root()", "get_deposit_count()"]
    assert [sig for sig, _ in interface_functions("IDepositContract.vyi")] == real
    # the selectors as they are known on chain (keccak of each signature's first four bytes)
    assert [s.hex() for _, s in interface_functions("IDepositContract.vyi")] == [
        "22895118",
        "c5f2892f",
        "621fd130",
    ]
    chain = FakeChain({IMPLEMENTATION: dispatcher([function_signature_to_4byte_selector(s) for s in real])})
    assert missing_functions(chain, "deposit_contract", IMPLEMENTATION) == []
    assert (
        missing_functions(FakeChain({IMPLEMENTATION: dispatcher([])}), "deposit_contract", IMPLEMENTATION)
        == real
    )


def eigenlayer_v1_12() -> FakeChain:
    """Mainnet as it is: EigenLayer v1.12's managers behind EIP-1967 proxies, its pods behind a beacon, the
    real deposit contract; every implementation dispatching on the real selectors."""
    named = named_externals(MAINNET)

    def selectors(contract: str) -> list[bytes]:
        return [bytes.fromhex(s[2:]) for s in EIGENLAYER[contract]["function"].values()]

    impl = {name: "0x" + f"{i + 0xA0:02x}" * 20 for i, name in enumerate(("pm", "pod", "dm", "rc"))}
    deposit = dispatcher([s for _, s in interface_functions("IDepositContract.vyi")])
    proxy = b"\x36\x3d\x3d\x37"  # a proxy's own code carries no selector of its implementation
    return FakeChain(
        code={
            **{address: RUNNING for address in SYSTEM_ROLES.values()},
            named["deposit_contract"]: deposit,
            named["eigen_pod_manager"]: proxy,
            named["delegation_manager"]: proxy,
            named["rewards_coordinator"]: proxy,
            named["eigen_pod_implementation"]: dispatcher(
                [function_signature_to_4byte_selector("implementation()")]
            ),
            impl["pm"]: dispatcher(selectors("EigenPodManager")),
            impl["dm"]: dispatcher(selectors("DelegationManager")),
            impl["pod"]: dispatcher(selectors("EigenPod")),
            impl["rc"]: dispatcher(selectors("RewardsCoordinator")),
        },
        storage={
            (named["eigen_pod_manager"], EIP1967_IMPLEMENTATION_SLOT): bytes.fromhex(impl["pm"][2:]),
            (named["delegation_manager"], EIP1967_IMPLEMENTATION_SLOT): bytes.fromhex(impl["dm"][2:]),
            (named["rewards_coordinator"], EIP1967_IMPLEMENTATION_SLOT): bytes.fromhex(impl["rc"][2:]),
        },
        views={(named["eigen_pod_implementation"], "implementation"): impl["pod"]},
    )


def test_mainnets_eigenlayer_v1_12_answers_every_call_the_protocol_makes():
    """The protocol compiles against EigenLayer v1.12's own interface (issue 15): read through its proxies and
    its pods' beacon, mainnet's EigenLayer carries every function the protocol calls, so nothing is
    refused and no stand-in is deployed in its place."""
    chain = eigenlayer_v1_12()
    externals = external_contracts(chain, MAINNET)
    for role, address in named_externals(MAINNET).items():
        assert missing_functions(chain, role, address) == [], role
    check_interfaces(chain, externals)  # no DeployError


def test_an_eigenlayer_without_a_function_the_protocol_calls_is_refused():
    """An older EigenLayer (here: v1.12 without `createPod`, which every StrategyModule calls) is refused by
    name before anything is sent."""
    chain = eigenlayer_v1_12()
    named = named_externals(MAINNET)
    implementation = "0x" + chain.storage(named["eigen_pod_manager"], EIP1967_IMPLEMENTATION_SLOT).hex()
    create_pod = function_signature_to_4byte_selector("createPod()")
    chain._code[implementation.lower()] = chain.code(implementation).replace(create_pod, b"\xff" * 4)
    assert missing_functions(chain, "eigen_pod_manager", named["eigen_pod_manager"]) == ["createPod()"]
    with pytest.raises(
        DeployError, match=r"eigen_pod_manager at .* lacks 1 of the functions .*createPod\(\)"
    ):
        check_interfaces(chain, external_contracts(chain, MAINNET))


def test_the_real_selectors_are_read_through_the_proxy_not_from_it():
    chain = eigenlayer_v1_12()
    address = named_externals(MAINNET)["eigen_pod_manager"]
    real = {bytes.fromhex(s[2:]) for s in EIGENLAYER["EigenPodManager"]["function"].values()}
    get_pod = function_signature_to_4byte_selector("getPod(address)")
    implementation = "0x" + chain.storage(address, EIP1967_IMPLEMENTATION_SLOT).hex()
    assert get_pod in real and get_pod in chain.code(implementation)
    assert get_pod not in chain.code(address)


def test_the_networks_file_is_what_boa_env_reads():
    table = boa_env.networks()
    assert table["mainnet"]["external"] == named_externals(MAINNET)


# ------------------------------------------------------------------ against a node with mainnet's chain id


@pytest.fixture(scope="module")
def mainnet_node():
    """A fresh anvil node that says it is mainnet (chain id 1): none of mainnet's systems is there."""
    with running_anvil("--chain-id", str(MAINNET)) as node:
        yield node


def dry_run(node, manifest_dir, capsys) -> tuple[int, str]:
    status = cli.main(
        ["deploy", "--network", node.url, "--manifest-dir", str(manifest_dir), "--dry-run"]
        + ["--from", node.deployer.address]
    )
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.mark.anvil
@pytest.mark.ignore_isolation
def test_a_public_chain_is_refused_a_stand_in_then_served_by_its_own_systems(
    mainnet_node, tmp_path, capsys, restore_env
):
    before = mainnet_node.sent_by(mainnet_node.deployer.address)
    status, out = dry_run(mainnet_node, tmp_path, capsys)
    assert status == cli.EXIT_REFUSED and "refusing to deploy a stand-in in its place" in out, out
    # the systems appear at mainnet's addresses (here: code that answers as they are expected to)
    chain = Chain(mainnet_node.url)
    for role, address in {**SYSTEM_ROLES, **named_externals(MAINNET)}.items():
        if not chain.code(address):
            EthereumRPC(mainnet_node.url).fetch("anvil_setCode", [address, "0x" + stand_in_code(role).hex()])
    status, out = dry_run(mainnet_node, tmp_path, capsys)
    assert status == cli.EXIT_OK, out
    for role in [*SYSTEM_ROLES, *NAMED_ROLES]:
        assert f"deploy {role} " not in out and role in out.split("system", 1)[1].split("\n", 1)[0]
    # nor the EigenLayer stand-ins that exist only beside the others, nor any call on them
    for role in EIGENLAYER_STAND_IN_ONLY:
        assert f"deploy {role} " not in out and f"call {role}." not in out
    assert "call eigen_pod_manager." not in out and "deploy manager" in out
    assert mainnet_node.sent_by(mainnet_node.deployer.address) == before  # nothing was sent
