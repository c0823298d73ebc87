"""The chain's own systems a deployment uses: never a stand-in where the chain has the real one.

The protocol calls four systems it does not deploy on a real chain: the beacon deposit contract, EigenLayer
(its EigenPodManager, the EigenPod beacon, its DelegationManager), EIP-4788's beacon-roots contract and
EIP-7002's withdrawal-request contract. Which addresses a chain uses is decided here, before anything is sent:

- a development chain (`DEV_CHAIN_IDS`) gets the stand-ins, driven by the beacon-chain model;
- a chain that networks.toml names (`[networks.NAME.external]`, matched by chain id) gets its real addresses,
  each of which must hold code, and the EIP-4788 / EIP-7002 system contracts at their EIPs' addresses;
- any other chain is refused unless `--deploy-stand-ins` says, by its name, what it will do.

Each real address must then answer the functions the protocol calls on it (the `.vyi` interface the protocol
compiles against): its code, or its implementation's behind an EIP-1967 proxy or a beacon, must carry every
selector. A mismatch is refused by name before anything is sent: a deployment that would compile against one
interface and call another would take stakers' ETH into calls that revert.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from eth_utils import function_abi_to_4byte_selector

import boa_env
from deploy.network.chain import Chain, DeployError
from deploy.network.inputs import DEV_CHAIN_IDS
from deploy.predeploys import BEACON_ROOTS_ADDRESS, WITHDRAWAL_REQUESTS_ADDRESS

INTERFACES_DIR = Path(__file__).resolve().parents[2] / "contracts" / "interfaces" / "external"

# Roles a chain's networks.toml entry names (`[networks.NAME.external]`), with the interface the protocol
# calls each through and what it is.
NAMED_ROLES: dict[str, tuple[str, str]] = {
    "deposit_contract": ("IDepositContract.vyi", "the beacon deposit contract"),
    "eigen_pod_manager": ("eigenlayer/IEigenPodManager.vyi", "EigenLayer's EigenPodManager"),
    "eigen_pod_implementation": ("eigenlayer/IEigenPod.vyi", "EigenLayer's EigenPod beacon"),
    "delegation_manager": ("eigenlayer/IDelegationManager.vyi", "EigenLayer's DelegationManager"),
    "rewards_coordinator": ("eigenlayer/IRewardsCoordinator.vyi", "EigenLayer's RewardsCoordinator"),
}
# Parts of EigenLayer the protocol never calls: their stand-ins exist only beside the other EigenLayer
# stand-ins (the DelegationManager stand-in needs an AllocationManager), so a chain with the real EigenLayer
# never gets them.
EIGENLAYER_STAND_IN_ONLY = ("allocation_manager",)
# The system contracts every post-Pectra chain has at the same address (called raw: no selectors).
SYSTEM_ROLES: dict[str, str] = {
    "beacon_roots": BEACON_ROOTS_ADDRESS,
    "withdrawal_requests": WITHDRAWAL_REQUESTS_ADDRESS,
}
STAND_INS_FLAG = "--deploy-stand-ins"
# EIP-1967: the implementation slot of a proxy, keccak256("eip1967.proxy.implementation") - 1.
EIP1967_IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC


def named_externals(chain_id: int, path: Path | None = None) -> dict[str, str] | None:
    """The `external` table of the networks.toml entry with chain id `chain_id` (None when no entry names
    one). An entry that names some roles but not all is refused: a half-real deployment is never made."""
    for name, entry in boa_env.networks(path).items():
        if entry.get("chain_id") == chain_id and "external" in entry:
            table = entry["external"]
            missing = sorted(set(NAMED_ROLES) - set(table))
            if missing:
                raise DeployError(f"networks.toml [networks.{name}.external] lacks {', '.join(missing)}")
            return {role: table[role] for role in NAMED_ROLES}
    return None


def external_contracts(chain: Chain, chain_id: int, stand_ins: bool = False) -> dict[str, str]:
    """Role -> address of every external system the chain provides (the rest are stand-ins to deploy).

    DeployError (nothing sent) when a named address holds no code, when an unknown public chain comes
    without `--deploy-stand-ins`, or when that flag is given for a chain whose real systems are named."""
    if chain_id in DEV_CHAIN_IDS:
        return {}
    named = named_externals(chain_id)
    if named is None:
        if not stand_ins:
            raise DeployError(
                f"chain id {chain_id} is not a development chain and networks.toml names no deposit contract "
                f"or EigenLayer for it: add them under [networks.NAME.external], or pass {STAND_INS_FLAG} to "
                "deploy stand-ins of both (a test chain only: their ETH never reaches a real validator)"
            )
        return {role: address for role, address in SYSTEM_ROLES.items() if chain.code(address)}
    if stand_ins:
        raise DeployError(
            f"{STAND_INS_FLAG} refused: networks.toml names chain id {chain_id}'s real deposit contract and "
            "EigenLayer, and a stand-in is never deployed where the chain has the real system"
        )
    externals = {**SYSTEM_ROLES, **named}
    for role, address in externals.items():
        if not chain.code(address):
            raise DeployError(
                f"chain id {chain_id} has no code at {address}, its {role}: refusing to deploy a stand-in "
                "in its place; nothing was sent"
            )
    return externals


@cache
def interface_functions(filename: str) -> tuple[tuple[str, bytes], ...]:
    """(signature, selector) of every function of an interface in contracts/interfaces/external."""
    from vyper.compiler import compile_code
    from vyper.compiler.input_bundle import FilesystemInputBundle

    path = INTERFACES_DIR / filename
    root = INTERFACES_DIR.parents[2]
    out = compile_code(
        path.read_text(),
        contract_path=str(path.relative_to(root)),
        input_bundle=FilesystemInputBundle([root]),
        output_formats=["abi"],
    )
    return tuple(
        (f"{e['name']}({','.join(i['type'] for i in e['inputs'])})", function_abi_to_4byte_selector(e))
        for e in out["abi"]
        if e["type"] == "function"
    )


def implementation_of(chain: Chain, address: str) -> str:
    """The code that answers calls to `address`: an EIP-1967 proxy's implementation, a beacon's
    `implementation()`, or `address` itself."""
    slot = chain.storage(address, EIP1967_IMPLEMENTATION_SLOT)
    if slot:
        return "0x" + slot[-20:].hex()
    try:
        target = chain.view(address, "implementation", "address")
    except Exception:  # no such view: not a beacon
        return address
    return target if chain.code(target) else address


def missing_functions(chain: Chain, role: str, address: str) -> list[str]:
    """The functions the protocol calls on `role` that the code at `address` does not carry."""
    if role not in NAMED_ROLES:
        return []
    code = chain.code(implementation_of(chain, address))
    # @dev A dispatcher pushes a selector with leading zero bytes by a shorter PUSH: look for what is left.
    return [
        sig
        for sig, selector in interface_functions(NAMED_ROLES[role][0])
        if selector.lstrip(b"\0") not in code
    ]


def check_interfaces(chain: Chain, externals: dict[str, str]) -> None:
    """DeployError naming the first external system that lacks functions the protocol calls."""
    for role, address in externals.items():
        missing = missing_functions(chain, role, address)
        if missing:
            shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
            raise DeployError(
                f"{role} at {address} ({NAMED_ROLES[role][1]}) lacks {len(missing)} of the functions the "
                f"protocol calls ({shown}): not the system the protocol was built for; nothing was sent"
            )
