"""Deploy and wire the whole Byzantine suite on the current titanoboa network.

    from deploy.protocol import deploy_protocol
    protocol = deploy_protocol()            # defaults of docs/protocol.md §8
    protocol.auction.bid([1000], [100], value=...)

Order: the external stand-ins first (beacon deposit contract, EigenLayer, splits), then the operator side
(Escrow, Auction), the staker side (ByzNft, StakerRewards, StrategyModule implementation, manager), and last
the one-time wiring calls that close the cycles (Escrow <-> Auction <-> manager <-> StakerRewards, ByzNft).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import boa
from boa.util.eip5202 import generate_blueprint_bytecode

from deploy.seats import cluster_seats

# titanoboa warns each time it casts a minimal proxy (StrategyModule, EigenPod, Split) to its
# implementation: the proxy's runtime code is not the implementation's, by design. Filtered once here, for
# every script, test and Python session that uses the suite.
warnings.filterwarnings("ignore", message="casted bytecode does not match", category=UserWarning)

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"

DEFAULT_CONFIG = {
    "expected_daily_return": 3_243_835_616_438_356,  # 3.7 % a year on 32 ETH, per day
    "max_discount_rate": 1500,
    "min_duration": 30,
    "max_duration": 3650,
    "cluster_size": 4,
    "pending_cluster_ttl": 30
    * 86_400,  # seconds after settlement from which anyone may dissolve a pending cluster
    # the beacon chain's genesis time (proven epochs -> timestamps); 0: the deployment block's timestamp,
    # for a local chain whose beacon chain (deploy/sim/beacon.py) starts with the deployment
    "beacon_genesis_time": 0,
    # the genesis fork version whose deposit domain ClusterKeys checks deposit signatures under (as a number:
    # mainnet 0x00000000, Holesky 0x01017000, Hoodi 0x10000910, Sepolia 0x90000069); the local chain signs
    # like deploy/keys.py's default, Holesky
    "genesis_fork_version": 0x01017000,
    # EigenLayer (stand-ins only): the timestamp up to which proofs use the Deneb layout (the local beacon
    # chain is Fulu from genesis, so every later proof is Pectra-shaped), and the withdrawal queue's delay
    # in blocks (mainnet's 100 800, about 14 days)
    "pectra_fork_timestamp": 1,
    "min_withdrawal_delay_blocks": 100_800,
}

# Source of every deployed contract, by role (relative to contracts/).
SOURCES = {
    "beacon_roots": "external/BeaconRoots.vy",
    "withdrawal_requests": "external/WithdrawalRequests.vy",
    "deposit_contract": "external/DepositContract.vy",
    # EigenLayer v1.12's stand-ins. The pod's role deploys a blueprint: the EigenPodManager creates the
    # implementation from it (whose immutables name the manager); handles on pods use the same source.
    "eigen_pod_implementation": "external/eigenlayer/EigenPod.vy",
    "eigen_pod_manager": "external/eigenlayer/EigenPodManager.vy",
    "allocation_manager": "external/eigenlayer/AllocationManager.vy",
    "delegation_manager": "external/eigenlayer/DelegationManager.vy",
    "rewards_coordinator": "external/eigenlayer/RewardsCoordinator.vy",
    "split_implementation": "external/Split.vy",
    "split_factory": "external/SplitFactory.vy",
    "escrow": "operator/Escrow.vy",
    "auction": "operator/Auction.vy",
    "byz_nft": "staker/ByzNft.vy",
    "staker_rewards": "staker/StakerRewards.vy",
    "strategy_module_implementation": "staker/StrategyModule.vy",
    "manager": "staker/StrategyModuleManager.vy",
    "cluster_keys": "staker/ClusterKeys.vy",
    "seat_rotation": "staker/SeatRotation.vy",
}


@dataclass
class Protocol:
    """Handles of every deployed contract, the configuration and the owner."""

    auction: object
    escrow: object
    staker_rewards: object
    manager: object
    cluster_keys: object
    seat_rotation: object
    byz_nft: object
    deposit_contract: object
    eigen_pod_manager: object
    allocation_manager: object
    delegation_manager: object
    rewards_coordinator: object
    split_factory: object
    beacon_roots: object
    withdrawal_requests: object
    config: dict
    owner: str
    # implementations behind the proxies (kept for verification and reports)
    implementations: dict = field(default_factory=dict)

    def contracts(self) -> dict:
        """Every deployed contract by role, implementations included."""
        named = {name: getattr(self, name) for name in SOURCES if hasattr(self, name)}
        return {**named, **self.implementations}

    def seats(self, cluster_id: int) -> list:
        """The cluster's seats, as every operation on it takes them (`deploy.seats.cluster_seats`: rebuilt
        from the Auction's `ClusterSettled` and StakerRewards' `SeatRenewed`, checked against the
        commitment StakerRewards keeps)."""
        return cluster_seats(self.staker_rewards, cluster_id)

    def operators(self, cluster_id: int) -> list[str]:
        """The cluster's winners, in ranking order."""
        return [seat.operator for seat in self.seats(cluster_id)]

    def register_cluster_keys(
        self, cluster_id: int, seed: bytes | str, registrar: str | None = None, **keys_options
    ) -> dict:
        """The key ceremony of a pre-created cluster in one call, registered by its winners: a t-of-n key from
        `seed` (`deploy.keys.generate_threshold_key`, t = `ClusterKeys.threshold_of(n)`) signs the deposit
        message the registration needs (the cluster's withdrawal credentials, the 1 ETH pre-deposit,
        docs/protocol.md §9); each winner registers its public key share from its own address, then
        `registrar` (default: the first winner) the group key and the signature, which ClusterKeys checks
        and hands to the manager. `keys_options` go to `sign_deposit_threshold` (`fork_version`, default the
        deployment's). Returns the deposit-data entry (the key is `secret_key_from_seed(seed)`, as
        `make_deposit_data` makes it, and so is the combined signature)."""
        from deploy.keys import cluster_registration

        seats = self.seats(cluster_id)
        operators = [seat.operator for seat in seats]
        keys_options.setdefault("fork_version", self.config["genesis_fork_version"].to_bytes(4, "big"))
        reg = cluster_registration(
            bytes(self.manager.withdrawal_credentials(cluster_id)), len(operators), seed=seed, **keys_options
        )
        for operator, (share, point) in zip(operators, reg.shares, strict=True):
            self.cluster_keys.register_share(cluster_id, seats, share, point, sender=operator)
        registrar = registrar or operators[0]
        self.cluster_keys.register_deposit_data(cluster_id, seats, *reg.deposit_args, sender=registrar)
        return dict(reg.deposit_data)


@cache
def deployer_for(role: str):
    """The compiled (once per process) deployer of a role's contract."""
    return boa.load_partial(str(CONTRACTS / SOURCES[role]))


def deploy(role: str, *args, **kwargs):
    """Deploy a fresh instance of a role's contract."""
    return deployer_for(role).deploy(*args, **kwargs)


def at(role: str, address):
    """A handle on an existing contract of `role` at `address` (no bytecode-mismatch warning).

    Minimal proxies (StrategyModules, EigenPods, splits) carry the proxy's code, not the implementation's,
    so titanoboa's cast-check would warn on every one of them.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="casted bytecode does not match")
        return deployer_for(role).at(address)


@dataclass(frozen=True)
class Blueprint:
    """An ERC-5202 blueprint deployed from a role's code: its address, and what a gas report reads."""

    address: str
    compiler_data: object
    initcode: bytes
    _computation: object = None


class AsBlueprint:
    """A role's deployer whose `deploy` deploys its code as an ERC-5202 blueprint (no constructor runs;
    the contract that creates instances from it passes their constructor arguments)."""

    def __init__(self, deployer):
        self._deployer = deployer

    def deploy(self) -> Blueprint:
        initcode = generate_blueprint_bytecode(self._deployer.compiler_data.bytecode)
        address, computation = boa.env.deploy(bytecode=initcode)
        if computation is not None and computation.is_error:
            raise computation.error
        return Blueprint(str(address), self._deployer.compiler_data, initcode, computation)

    def __getattr__(self, name):
        return getattr(self._deployer, name)


@dataclass(frozen=True)
class Step:
    """One transaction of the deployment: deploy `role`, or (with `method`) call `method` on it.

    `args` name other roles (`"@auction"`: that contract's address) or configuration keys
    (`"$cluster_size"`; `"$owner"` is the deploying owner). A `blueprint` deployment deploys the role's
    code as an ERC-5202 blueprint, for a contract that creates its instances from it. For a call,
    `done_when` names a view of `role` that returns `args[0]` once the call has been made, so that an
    interrupted deployment can be resumed and verified on chain.
    """

    role: str
    args: tuple = ()
    method: str | None = None
    done_when: str | None = None
    blueprint: bool = False

    @property
    def name(self) -> str:
        """`role` for a deployment, `role.method` for a call."""
        return self.role if self.method is None else f"{self.role}.{self.method}"

    @property
    def is_deploy(self) -> bool:
        """True for a deployment step."""
        return self.method is None


# The whole deployment, in order. The wiring calls at the end close the cycles.
PLAN: tuple[Step, ...] = (
    Step("beacon_roots"),
    Step("withdrawal_requests"),
    Step("deposit_contract"),
    Step("eigen_pod_implementation", blueprint=True),
    Step(
        "eigen_pod_manager",
        ("@deposit_contract", "@eigen_pod_implementation", "@beacon_roots", "@withdrawal_requests"),
    ),
    # AllocationManager(pauser, DEALLOCATION_DELAY, ALLOCATION_CONFIGURATION_DELAY): mainnet's delays
    Step("allocation_manager", ("$owner", 100_800, 126_000)),
    # DelegationManager(eigen pod manager, allocation manager, pauser, withdrawal delay, nothing paused)
    Step(
        "delegation_manager",
        ("@eigen_pod_manager", "@allocation_manager", "$owner", "$min_withdrawal_delay_blocks", 0),
    ),
    # RewardsCoordinator(owner, rewards updater, activation delay: mainnet's 7 days)
    Step("rewards_coordinator", ("$owner", "$owner", 604_800)),
    Step("split_implementation"),
    Step("split_factory", ("@split_implementation",)),
    Step("escrow"),
    Step(
        "auction",
        (
            "@escrow",
            "$cluster_size",
            "$expected_daily_return",
            "$max_discount_rate",
            "$min_duration",
            "$max_duration",
        ),
    ),
    Step("byz_nft"),
    Step("staker_rewards", ("@auction", "@escrow")),
    Step(
        "manager",
        (
            "@auction",
            "@staker_rewards",
            "@byz_nft",
            "@eigen_pod_manager",
            "@delegation_manager",
            "@split_factory",
            "@beacon_roots",
            "$pending_cluster_ttl",
            "$beacon_genesis_time",
        ),
    ),
    # The StrategyModule implementation names the manager in its immutables (shared by every proxy).
    Step(
        "strategy_module_implementation",
        (
            "@manager",
            "@byz_nft",
            "@auction",
            "@staker_rewards",
            "@eigen_pod_manager",
            "@delegation_manager",
            "@withdrawal_requests",
            "@rewards_coordinator",
        ),
    ),
    Step(
        "manager",
        ("@strategy_module_implementation",),
        method="set_strategy_module_implementation",
        done_when="strategy_module_implementation",
    ),
    # Where the winners register their clusters' keys, checked on chain; it names the manager.
    Step("cluster_keys", ("@manager", "$genesis_fork_version")),
    Step("manager", ("@cluster_keys",), method="set_cluster_keys", done_when="cluster_keys"),
    # Seats that rotate without an exit; it reads the manager's Auction, StakerRewards and Escrow, and the
    # Escrow names it (the Auction and StakerRewards ask the Escrow).
    Step("seat_rotation", ("@manager",)),
    Step(
        "escrow",
        ("@auction", "@staker_rewards", "@seat_rotation"),
        method="initialize",
        done_when="auction",
    ),
    Step("auction", ("@manager",), method="set_manager", done_when="manager"),
    Step("staker_rewards", ("@manager",), method="set_manager", done_when="manager"),
    Step("byz_nft", ("@manager",), method="set_manager", done_when="manager"),
    Step("byz_nft", ("@staker_rewards",), method="set_staker_rewards", done_when="staker_rewards"),
    Step(
        "eigen_pod_manager",
        ("@delegation_manager",),
        method="setDelegationManager",
        done_when="delegationManager",
    ),
    Step("allocation_manager", ("@delegation_manager",), method="setDelegation", done_when="delegation"),
    Step(
        "eigen_pod_manager",
        ("$owner",),
        method="setProofTimestampSetter",
        done_when="proofTimestampSetter",
    ),
    Step(
        "eigen_pod_manager",
        ("$pectra_fork_timestamp",),
        method="setPectraForkTimestamp",
        done_when="pectraForkTimestamp",
    ),
)

# Roles whose contracts sit behind minimal proxies (kept in `Protocol.implementations`).
IMPLEMENTATIONS = ("eigen_pod_implementation", "split_implementation", "strategy_module_implementation")


def resolve_args(step: Step, contracts: dict, cfg: dict) -> list:
    """`step.args` with role references replaced by addresses and configuration keys by values."""
    out = []
    for arg in step.args:
        if isinstance(arg, str) and arg.startswith("@"):
            out.append(str(contracts[arg[1:]].address))
        elif isinstance(arg, str) and arg.startswith("$"):
            out.append(cfg[arg[1:]])
        else:
            out.append(arg)
    return out


def transact_plain(step: Step, fn, args: list):
    """Default transactor: deploy (`fn` is the role's deployer) or call (`fn` is the bound method)."""
    return fn.deploy(*args) if step.is_deploy else fn(*args)


def run_plan(
    cfg: dict,
    owner: str,
    transact=transact_plain,
    contracts: dict | None = None,
    done: set | frozenset = frozenset(),
) -> dict:
    """Execute `PLAN` as `owner`; returns every contract by role.

    `transact(step, fn, args)` performs each step (hook for gas measurement or receipt recording).
    `contracts` (role -> handle) are already deployed and `done` (step names) already called: both are
    skipped, which resumes an interrupted deployment.
    """
    contracts = dict(contracts or {})
    cfg = {**cfg, "owner": owner}
    with boa.env.prank(owner):
        for step in PLAN:
            args = resolve_args(step, contracts, cfg)
            if step.is_deploy and step.role not in contracts:
                deployer = AsBlueprint(deployer_for(step.role)) if step.blueprint else deployer_for(step.role)
                contracts[step.role] = transact(step, deployer, args)
            elif not step.is_deploy and step.name not in done:
                transact(step, getattr(contracts[step.role], step.method), args)
    return contracts


def check_config(config: dict) -> dict:
    """DEFAULT_CONFIG overridden by `config`; unknown keys raise TypeError."""
    unknown = set(config) - set(DEFAULT_CONFIG)
    if unknown:
        raise TypeError(f"unknown configuration keys: {sorted(unknown)}")
    return {**DEFAULT_CONFIG, **config}


def protocol_from(contracts: dict, cfg: dict, owner: str) -> Protocol:
    """Build the `Protocol` record from `run_plan`'s contracts."""
    main = {role: c for role, c in contracts.items() if role not in IMPLEMENTATIONS}
    impls = {role: contracts[role] for role in IMPLEMENTATIONS}
    return Protocol(**main, config=cfg, owner=owner, implementations=impls)


def deploy_protocol(
    owner: str | None = None,
    transact=transact_plain,
    beacon_roots: str | None = None,
    withdrawal_requests: str | None = None,
    **config,
) -> Protocol:
    """Deploy and wire the whole suite; `owner` (default: the current sender) owns every admin role.

    `config` overrides any of DEFAULT_CONFIG's keys. `transact` (see `run_plan`) may wrap each
    transaction, e.g. to measure its gas. `beacon_roots` / `withdrawal_requests`: addresses of existing
    EIP-4788 / EIP-7002 contracts (on a real network, `deploy.predeploys.BEACON_ROOTS_ADDRESS` and
    `WITHDRAWAL_REQUESTS_ADDRESS`); by default the stand-ins are deployed.
    """
    cfg = check_config(config)
    owner = str(owner or boa.env.eoa)
    existing = {
        role: at(role, address)
        for role, address in (("beacon_roots", beacon_roots), ("withdrawal_requests", withdrawal_requests))
        if address is not None
    }
    return protocol_from(run_plan(cfg, owner, transact, contracts=existing), cfg, owner)
