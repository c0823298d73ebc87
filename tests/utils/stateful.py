"""The base of every hypothesis state machine over the contracts, and the one fuzzing profile.

    class AuctionMachine(StatefulBase):
        auction = None                       # filled in by run() (fixtures) or a class attribute

        @rule(...)
        def bid(self, ...): ...

    def test_auction(protocol):              # with fixtures
        AuctionMachine.run(auction=protocol.auction)

    TestRewards = RewardsMachine.TestCase    # without fixtures (twocrypto-ng style)

Each run of a machine (one hypothesis example) starts inside a `boa.env.anchor()` and is rolled back at
`teardown`, so every example starts from the same chain state. The profile is short in CI and long with
`BYZ_LONG_FUZZ=1` (200 examples of 60 steps); a machine may ask for more or fewer steps with the class
attributes `examples` and `steps` (CI profile only).
"""

from __future__ import annotations

import os

import boa
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

LONG = os.environ.get("BYZ_LONG_FUZZ") == "1"


def stateful_settings(short_examples: int = 15, short_steps: int = 25) -> settings:
    """Settings of a state machine: `short_*` in CI, thousands of steps with BYZ_LONG_FUZZ=1."""
    return settings(
        max_examples=200 if LONG else short_examples,
        stateful_step_count=60 if LONG else short_steps,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


class StatefulBase(RuleBasedStateMachine):
    """A RuleBasedStateMachine whose every run is rolled back, with the project's hypothesis profile."""

    examples = 15
    steps = 25

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.TestCase.settings = stateful_settings(cls.examples, cls.steps)

    def __init__(self):
        super().__init__()
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()

    def teardown(self):
        """Roll the chain back to where this run started (override and call super() to add checks)."""
        self._anchor.__exit__(None, None, None)

    @classmethod
    def settings(cls) -> settings:
        """The hypothesis settings of this machine."""
        return stateful_settings(cls.examples, cls.steps)

    @classmethod
    def run(cls, **attributes) -> None:
        """Set `attributes` (contracts, accounts from fixtures) on the class and run it as a test."""
        for name, value in attributes.items():
            setattr(cls, name, value)
        run_state_machine_as_test(cls, settings=cls.settings())


__all__ = ["LONG", "StatefulBase", "stateful_settings"]
