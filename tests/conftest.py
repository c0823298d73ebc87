"""Shared fixtures: role-named actors and one deployment of the whole suite per test module.

titanoboa's pytest plugin rolls the chain back after every test (and every hypothesis example), so the
module-scoped deployment is compiled and deployed once and every test starts from the same state.
Helpers that are not fixtures live in tests/utils/ (constants, deployers, actors, logs, state machines).
"""

from __future__ import annotations

from pathlib import Path

import boa
import pytest
from boa.environment import Env

from deploy import fast_bls
from deploy.protocol import deploy_protocol
from tests.utils import compile_once, fast_coverage
from tests.utils.actors import actor, actors
from tests.utils.stateful import StatefulBase

fast_coverage.install()
compile_once.install()  # each contract compiled, unpickled and source-mapped once per process
fast_bls.install()  # EIP-2537 by arkworks: same gas and results as py-evm's, 2 s less a pairing

TESTS = Path(__file__).resolve().parent
# The longest modules (state machines, module setups, real-node deployments, gas books), longest first, by
# the `--durations` of a full run: collected first so that the two xdist workers (loadscope, see
# pytest_configure) start them early (the two longest on different workers) and finish together.
# Order only; every test runs.
HEAVY = (
    "deploy/test_lifecycle.py",  # the main job on the spec beacon chain: ~2.5 min of CPU
    "staker/test_safe_deposits_stateful.py",
    "staker/test_restaked_life_stateful.py",
    "staker/test_strategy_module.py",
    "staker/test_manager.py",
    "gas/test_gas_snapshot.py",
    "deploy/test_network.py",
    "staker/test_stateful.py",
    "staker/test_bonds_stateful.py",  # two clusters on the spec chain: ~20 s of CPU past the deployment
    "staker/test_rotation_spec_chain.py",  # a validator staked on the spec chain, a seat rotated: ~20 s
    "beacon/test_restaking_stateful.py",
    "operator/test_parking.py",
    "rewards/test_rewards_stateful.py",
    "eigenlayer/delegation/test_delegation_manager_model.py",
    "beacon/test_spec_conformance.py",
    "staker/test_beacon_flow.py",
    "beacon/test_restaking.py",
    "operator/test_auction_stateful.py",
)


def pytest_configure(config):
    """With `-n`, xdist's plain `load` distribution becomes `loadscope`: a module's tests run on one worker,
    so its module fixtures (deployments, books, a node) are built once, not once per worker. xdist would
    then reorder the modules by their number of tests, most first, which sent the state machines (one test
    each, the longest of all) last: the collection order (HEAVY first) is kept instead."""
    if getattr(config.option, "dist", "no") == "load":
        config.option.dist = "loadscope"
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    """Tests under tests/gas measure gas (receipt-exact, deterministic): they run without coverage (the
    `gas` marker). Modules with a state machine get the `stateful` marker. The heavy modules go first."""
    for item in items:
        if item.path.is_relative_to(TESTS / "gas"):
            item.add_marker(pytest.mark.gas)
        module = getattr(item, "module", None)
        machines = [v for v in vars(module).values() if isinstance(v, type)] if module else []
        if any(issubclass(v, StatefulBase) and v is not StatefulBase for v in machines):
            item.add_marker(pytest.mark.stateful)
    rank = {TESTS / name: i for i, name in enumerate(HEAVY)}
    items.sort(key=lambda item: rank.get(item.path, len(HEAVY)))


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    """Once pytest-cov has started coverage.py (in each xdist worker): the contracts' lines go straight into
    its data and its tracer stays paused, so no Python call is traced (tests/utils/fast_coverage.py)."""
    controller = _coverage_controller(session.config)
    if controller is not None and controller.cov is not None:
        fast_coverage.record_directly(controller.cov)


def _coverage_controller(config):
    plugin = config.pluginmanager.getplugin("_cov")
    return getattr(plugin, "cov_controller", None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with _coverage_paused(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with _coverage_paused(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with _coverage_paused(item):
        return (yield)


class _coverage_paused:
    """Around a `gas` test's setup, call and teardown (module fixtures included): coverage.py and
    titanoboa's coverage tracing stopped. Gas figures do not depend on it; the time does (about 3x)."""

    def __init__(self, item):
        controller = _coverage_controller(item.config)
        self.controller = controller if item.get_closest_marker("gas") and controller else None

    def __enter__(self):
        if self.controller is not None and self.controller.started:
            self.tracing = Env._coverage_enabled
            # with the tracer already paused (fast_coverage.record_directly), titanoboa's reports are all
            self.python = not fast_coverage.tracer_paused()
            if self.python:
                self.controller.pause()
            Env._coverage_enabled = False
        else:
            self.controller = None

    def __exit__(self, *exc):
        if self.controller is not None:
            Env._coverage_enabled = self.tracing
            if self.python:
                self.controller.resume()


# The clock every module starts at (py-evm's genesis takes the wall clock): any fixed second will do.
START_TIMESTAMP = 1_800_000_000


@pytest.fixture(scope="module", autouse=True)
def _same_start_in_every_module(request):
    """Every module starts at the same second and draws the same fresh addresses (`boa.env.generate_address`,
    the actors), whichever xdist worker runs it, whatever ran there before and whenever the run started.
    Addresses order bids, seats and holders, and the clock decides epochs, expiries and time-outs, so
    without this a derandomized state machine played different runs in different schedules and on
    different days, and its every-rule guard failed in one and passed in another. (titanoboa's plugin rolls
    every fixture back, the clock included, so each module starts from the same chain state.)"""
    boa.env.set_random_seed(f"byzantine-vyper:{request.module.__name__}")
    boa.env.evm.patch.timestamp = START_TIMESTAMP
    # titanoboa keeps every SSTORE slot (by address) and keccak preimage it has seen, to print a contract's
    # storage with an error. Addresses now repeat from module to module, so another module's contract at
    # the same address would lend its slots to this one's dump, and decoding them as this contract's
    # mappings fails (`'StructT' object has no attribute 'key_type'`) inside `boa.reverts`: start clean.
    boa.env.sha3_trace = {}
    boa.env.sstore_trace = {}


@pytest.fixture(scope="module")
def owner():
    """Deploys and owns the suite."""
    return actor("owner")


@pytest.fixture(scope="module")
def operators():
    """Eight node operators with plenty of ETH."""
    return actors("operator", 8)


@pytest.fixture(scope="module")
def operator(operators):
    """The first of `operators`."""
    return operators[0]


@pytest.fixture(scope="module")
def stakers():
    """Four stakers with 1 000 ETH each."""
    return actors("staker", 4)


@pytest.fixture(scope="module")
def staker(stakers):
    """The first of `stakers`."""
    return stakers[0]


@pytest.fixture(scope="module")
def non_owner():
    """An account with no role anywhere: every access check must refuse it."""
    return actor("non_owner")


@pytest.fixture(scope="module")
def outsider(non_owner):
    """Older name of `non_owner` (kept while tests migrate)."""
    return non_owner


@pytest.fixture(scope="module")
def protocol(owner):
    """The whole suite, deployed and wired by deploy/protocol.py, owned by `owner`."""
    return deploy_protocol(owner=owner)


@pytest.fixture(scope="module")
def auction(protocol):
    return protocol.auction


@pytest.fixture(scope="module")
def escrow(protocol):
    return protocol.escrow


@pytest.fixture(scope="module")
def staker_rewards(protocol):
    return protocol.staker_rewards


@pytest.fixture(scope="module")
def manager(protocol):
    return protocol.manager


@pytest.fixture(scope="module")
def byz_nft(protocol):
    return protocol.byz_nft


@pytest.fixture(scope="module")
def deposit_contract(protocol):
    return protocol.deposit_contract


@pytest.fixture(scope="module")
def eigen_pod_manager(protocol):
    return protocol.eigen_pod_manager


@pytest.fixture(scope="module")
def delegation_manager(protocol):
    return protocol.delegation_manager


@pytest.fixture(scope="module")
def split_factory(protocol):
    return protocol.split_factory


@pytest.fixture(scope="module")
def module_implementation(protocol):
    return protocol.implementations["strategy_module_implementation"]


@pytest.fixture(scope="module")
def config(protocol):
    return protocol.config


@pytest.fixture(scope="module")
def place_bid(auction):
    """Place one bid as `operator`, paying exactly what is due; returns the bid id."""

    def place(operator, discount_rate, duration, hint=None):
        due = auction.price_to_pay(operator, [discount_rate], [duration])
        hints = [] if hint is None else [hint]
        with boa.env.prank(operator):
            return auction.bid([discount_rate], [duration], hints, value=due)[0]

    return place


@pytest.fixture(scope="module")
def settle(auction, manager):
    """Run one settlement as the StrategyModuleManager would; returns the cluster id."""

    def run():
        with boa.env.prank(manager.address):
            return auction.settle_cluster()

    return run
