"""Fixtures for the staker-side tests (StrategyModuleManager, StrategyModule, ByzNft, ssz).

The whole suite is deployed once per test module by `tests/conftest.py` (`protocol`); titanoboa rolls the
chain back after every test and every hypothesis example. The helpers here drive the staker flow: bids,
pre-creation, the key ceremony (deploy/keys.py) and deposits.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

import boa
import pytest

from deploy.constants import Constants, c, read_constants
from deploy.hints import pre_create_with_hints
from deploy.keys import make_deposit_data
from deploy.protocol import deployer_for
from tests.utils.seats import seats_of

ETH = 10**18
STAKE = c.STAKE_AMOUNT
PRE_DEPOSIT = c.PRE_DEPOSIT_AMOUNT
TOP_UP = STAKE - PRE_DEPOSIT
MOCKS = Path(__file__).resolve().parent / "mocks"
ROOT = Path(__file__).resolve().parents[2]

# The cluster codec's widths, read from the compiled module (contracts/lib/cluster_state.vy); the statuses
# themselves are `c.CLUSTER_*` (contracts/lib/constants.vy).
cs = Constants(read_constants(ROOT / "contracts" / "lib" / "cluster_state.vy"))

# titanoboa warns when it wraps a minimal proxy (its runtime code is not the implementation's).
warnings.filterwarnings("ignore", message="casted bytecode does not match")


@functools.cache
def mock_deployer(name: str):
    return boa.load_partial(str(MOCKS / f"{name}.vy"))


@functools.cache
def deposit_data(withdrawal_credentials: bytes, seed: bytes) -> dict:
    """The key ceremony for the 1 ETH pre-deposit (cached: the module-scoped deployment makes credentials
    repeat across tests)."""
    return make_deposit_data(withdrawal_credentials, seed=seed)


def seed_for(cluster_id: int, attempt: int = 0) -> bytes:
    return b"byzantine staker test cluster %d/%d" % (cluster_id, attempt)


def as_args(d: dict) -> tuple[bytes, bytes, bytes]:
    return bytes.fromhex(d["pubkey"]), bytes.fromhex(d["signature"]), bytes.fromhex(d["deposit_data_root"])


def module_at(address):
    """A titanoboa handle on a StrategyModule (proxy) at `address`."""
    return deployer_for("strategy_module_implementation").at(str(address))


def bid_for_clusters(auction, operators, clusters: int) -> None:
    """Enough bids for `clusters` clusters of 4: each operator bids its share at discount 1 000, with
    durations distinct across operators and bids (a strict ranking)."""
    n = (clusters * 4 + len(operators) - 1) // len(operators)
    for i, op in enumerate(operators):
        durations = [100 + 7 * i + 50 * j for j in range(n)]
        due = auction.price_to_pay(op, [1000] * n, durations)
        with boa.env.prank(op):
            auction.bid([1000] * n, durations, value=due)


@pytest.fixture(scope="module")
def bid_round(auction):
    """Every operator in `operators` places one bid (distinct durations, so the ranking is strict), with
    the bond floor, or `bonds[i]` for operator i (docs/protocol.md §2: a larger bond raises the score)."""

    def place(operators, discount_rate=1000, base_duration=100, bonds=None):
        ids = []
        for i, op in enumerate(operators):
            duration = base_duration + i
            chosen = [] if bonds is None else [bonds[i]]
            due = auction.price_to_pay(op, [discount_rate], [duration], chosen)
            with boa.env.prank(op):
                ids.append(auction.bid([discount_rate], [duration], [], chosen, value=due)[0])
        return ids

    return place


@pytest.fixture(scope="module")
def pre_create(auction, manager, owner):
    """The owner pre-creates `count` clusters with deploy/hints.py's optional courtesies (parked operators
    rejoined, the mirror's settlement hints), so that the winners are the plain ranking's."""

    def run(count=1):
        return pre_create_with_hints(auction, manager, count, owner)

    return run


@pytest.fixture(scope="module")
def register(protocol):
    """Run the key ceremony for `cluster_id` with its withdrawal credentials and have its winners register
    it in ClusterKeys (each share from its winner, then the group key and the signature)."""

    def run(cluster_id, attempt=0):
        return protocol.register_cluster_keys(cluster_id, seed_for(cluster_id, attempt))

    return run


@pytest.fixture(scope="module")
def stake(manager):
    def run(staker, value=STAKE):
        with boa.env.prank(staker):
            return manager.create_strategy_module_and_stake(value=value)

    return run


@pytest.fixture(scope="module")
def ready_cluster(operators, bid_round, pre_create, register):
    """Bids from 4 operators, one pre-created cluster with registered deposit data; returns its id."""

    def run():
        bid_round(operators[:4])
        (cluster_id,) = pre_create(1)
        register(cluster_id)
        return cluster_id

    return run


@pytest.fixture(scope="module")
def staked_module(ready_cluster, stake, stakers, manager, staker_rewards):
    """A cluster after the staker's deposit (1 ETH pre-deposited), with its reward stream started as the
    manager starts it at `confirm_stake` (module-level tests need the stream, not the beacon-chain proof;
    tests/staker/test_two_phase.py covers the real confirmation). Returns (cluster id, module, staker)."""

    def run(staker=None):
        staker = staker or stakers[0]
        cluster_id = ready_cluster()
        module = module_at(stake(staker))
        with boa.env.prank(manager.address):
            staker_rewards.start_stream(cluster_id, seats_of(staker_rewards, cluster_id))
        return cluster_id, module, staker

    return run


@pytest.fixture(autouse=True)
def _quiet_proxy_warnings():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="casted bytecode does not match")
        yield


# The log helpers live in tests/utils/logs.py (re-exported here for this folder's tests).
from tests.utils.logs import emitted_by, event_names, events  # noqa: E402, F401


@pytest.fixture(scope="module")
def confirmed_module(ready_cluster, stake, stakers, manager, protocol):
    """A cluster through both phases (a synthetic proof of the pod's credentials, tests/staker/proofs.py):
    returns (cluster id, module, staker)."""
    from tests.staker.proofs import posted_proof, validator_fields

    def run(staker=None):
        staker = staker or stakers[0]
        cluster_id = ready_cluster()
        module = module_at(stake(staker))
        fields = validator_fields(
            bytes(manager.validator_pubkey(cluster_id)), bytes(manager.withdrawal_credentials(cluster_id))
        )
        manager.confirm_stake(
            cluster_id, seats_of(manager, cluster_id), *posted_proof(protocol.beacon_roots, fields)
        )
        return cluster_id, module, staker

    return run
