"""Deploy and wire the whole Byzantine suite on the current titanoboa network.

    from deploy.protocol import deploy_protocol
    protocol = deploy_protocol()            # defaults of PROTOCOL.md §8
    protocol.auction.bid([1000], [100], value=...)

Order: the external stand-ins first (beacon deposit contract, EigenLayer, splits), then the operator side
(Escrow, Auction), the staker side (ByzNft, StakerRewards, StrategyModule implementation, manager), and last
the one-time wiring calls that close the cycles (Escrow <-> Auction <-> manager <-> StakerRewards, ByzNft).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import boa

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"

DEFAULT_CONFIG = {
    "expected_daily_return": 3_243_835_616_438_356,  # 3.7 % a year on 32 ETH, per day
    "max_discount_rate": 1500,
    "min_duration": 30,
    "max_duration": 3650,
    "cluster_size": 4,
}

# Source of every deployed contract, by role (relative to contracts/).
SOURCES = {
    "deposit_contract": "external/DepositContract.vy",
    "eigen_pod_implementation": "external/EigenPod.vy",
    "eigen_pod_manager": "external/EigenPodManager.vy",
    "delegation_manager": "external/DelegationManager.vy",
    "split_implementation": "external/Split.vy",
    "split_factory": "external/SplitFactory.vy",
    "escrow": "operator/Escrow.vy",
    "auction": "operator/Auction.vy",
    "byz_nft": "staker/ByzNft.vy",
    "staker_rewards": "staker/StakerRewards.vy",
    "strategy_module_implementation": "staker/StrategyModule.vy",
    "manager": "staker/StrategyModuleManager.vy",
}


@dataclass
class Protocol:
    """Handles of every deployed contract, the configuration and the owner."""

    auction: object
    escrow: object
    staker_rewards: object
    manager: object
    byz_nft: object
    deposit_contract: object
    eigen_pod_manager: object
    delegation_manager: object
    split_factory: object
    config: dict
    owner: str
    # implementations behind the proxies (kept for verification and reports)
    implementations: dict = field(default_factory=dict)

    def contracts(self) -> dict:
        """Every deployed contract by role, implementations included."""
        named = {name: getattr(self, name) for name in SOURCES if hasattr(self, name)}
        return {**named, **self.implementations}


@cache
def deployer_for(role: str):
    """The compiled (once per process) deployer of a role's contract."""
    return boa.load_partial(str(CONTRACTS / SOURCES[role]))


def deploy(role: str, *args, **kwargs):
    return deployer_for(role).deploy(*args, **kwargs)


def deploy_protocol(owner: str | None = None, **config) -> Protocol:
    """Deploy and wire the whole suite; `owner` (default: the current sender) owns every admin role.

    `config` overrides any of DEFAULT_CONFIG's keys.
    """
    unknown = set(config) - set(DEFAULT_CONFIG)
    if unknown:
        raise TypeError(f"unknown configuration keys: {sorted(unknown)}")
    cfg = {**DEFAULT_CONFIG, **config}
    owner = str(owner or boa.env.eoa)
    with boa.env.prank(owner):
        deposit_contract = deploy("deposit_contract")
        eigen_pod_implementation = deploy("eigen_pod_implementation")
        eigen_pod_manager = deploy("eigen_pod_manager", deposit_contract, eigen_pod_implementation)
        delegation_manager = deploy("delegation_manager")
        split_implementation = deploy("split_implementation")
        split_factory = deploy("split_factory", split_implementation)

        escrow = deploy("escrow")
        auction = deploy(
            "auction",
            escrow,
            cfg["cluster_size"],
            cfg["expected_daily_return"],
            cfg["max_discount_rate"],
            cfg["min_duration"],
            cfg["max_duration"],
        )
        byz_nft = deploy("byz_nft")
        staker_rewards = deploy("staker_rewards", auction, escrow)
        strategy_module_implementation = deploy("strategy_module_implementation")
        manager = deploy(
            "manager",
            auction,
            staker_rewards,
            byz_nft,
            strategy_module_implementation,
            eigen_pod_manager,
            delegation_manager,
            split_factory,
        )

        escrow.initialize(auction, staker_rewards)
        auction.set_manager(manager)
        staker_rewards.set_manager(manager)
        byz_nft.set_manager(manager)

    return Protocol(
        auction=auction,
        escrow=escrow,
        staker_rewards=staker_rewards,
        manager=manager,
        byz_nft=byz_nft,
        deposit_contract=deposit_contract,
        eigen_pod_manager=eigen_pod_manager,
        delegation_manager=delegation_manager,
        split_factory=split_factory,
        config=cfg,
        owner=owner,
        implementations={
            "eigen_pod_implementation": eigen_pod_implementation,
            "split_implementation": split_implementation,
            "strategy_module_implementation": strategy_module_implementation,
        },
    )
