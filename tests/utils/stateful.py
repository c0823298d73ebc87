"""The base of every hypothesis state machine over the contracts, and its three fuzzing profiles.

    class AuctionMachine(StatefulBase):
        auction = None                       # filled in by run() (fixtures) or a class attribute
        examples, steps = 10, 25             # the `full` profile
        ci_examples, ci_steps = 2, 15        # the `ci` profile (the default test command)

        @rule(...)
        def bid(self, ...): ...

    def test_auction(protocol):              # with fixtures
        AuctionMachine.run(auction=protocol.auction)

Each run of a machine (one hypothesis example) starts inside a `boa.env.anchor()` and is rolled back at
`teardown`, so every example starts from the same chain state. Every invariant is checked after every
step in every profile; the profiles differ in how many examples of how many steps run:

- `ci` (default): `ci_examples` x `ci_steps`, derandomized (the same examples on every run), and the run
  fails unless every rule of the machine ran at least once: a smaller profile never skips a path;
- `full` (`BYZ_FUZZ=full`): `examples` x `steps`, random: the second test command of the README;
- `long` (`BYZ_FUZZ=long`, or `BYZ_LONG_FUZZ=1`): 200 examples of 60 steps, random.

A machine may override `settings()` (e.g. to derandomize its `full` profile too).

Derandomized means the same examples whatever else the run imports: hypothesis (since 6.131) also draws
from the literals of every local, non-test module the process has imported so far, so a `ci` run changed
with the modules an xdist worker happened to load before it and with any literal edited in `deploy/`
(a one-line edit there once left a machine's `ci` examples without a slashing). `ignore_local_constants`
(called on import) keeps that pool empty: the examples depend on the machine and its seed alone.
"""

from __future__ import annotations

import functools
import os
from collections import Counter

import boa
from hypothesis import HealthCheck, settings
from hypothesis.internal.conjecture import providers
from hypothesis.stateful import RULE_MARKER, RuleBasedStateMachine, run_state_machine_as_test

PROFILES = ("ci", "full", "long")
PROFILE = os.environ.get("BYZ_FUZZ") or ("long" if os.environ.get("BYZ_LONG_FUZZ") == "1" else "ci")
if PROFILE not in PROFILES:
    raise ValueError(f"BYZ_FUZZ={PROFILE!r}: expected one of {', '.join(PROFILES)}")
LONG = PROFILE == "long"


def stateful_settings(
    examples: int = 15, steps: int = 25, ci_examples: int | None = None, ci_steps: int | None = None
) -> settings:
    """Settings of a state machine in the current profile (see the module's docstring)."""
    if PROFILE == "ci":
        count, length = ci_examples or examples, ci_steps or steps
    elif PROFILE == "full":
        count, length = examples, steps
    else:
        count, length = 200, 60
    return settings(
        max_examples=count,
        stateful_step_count=length,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=PROFILE == "ci",
    )


def ignore_local_constants() -> None:
    """Hypothesis draws no literal from the project's own modules (see the module's docstring). An internal
    hook of hypothesis: `tests/test_hypothesis_pool.py` holds that it is in place and empty."""
    providers._get_local_constants = _no_local_constants


# hypothesis' own pool, which the hook hides (tests/test_hypothesis_pool.py reads it)
_hypothesis_local_constants = providers._get_local_constants
_EMPTY = providers.Constants()


def _no_local_constants():
    return _EMPTY


ignore_local_constants()


def fuzz_examples(ci: int, full: int) -> int:
    """`max_examples` of a plain `@given` test in the current profile: `ci` in the default test command,
    `full` in `BYZ_FUZZ=full`, four times `full` in `long`."""
    return {"ci": ci, "full": full, "long": 4 * full}[PROFILE]


def _counting(function, counts: Counter):
    """`function` (a rule), counting its calls by name in `counts`."""

    @functools.wraps(function)
    def rule_function(*args, **kwargs):
        counts[function.__name__] += 1
        return function(*args, **kwargs)

    rule_function._byz_counted = True
    return rule_function


class StatefulBase(RuleBasedStateMachine):
    """A RuleBasedStateMachine whose every run is rolled back, with the project's hypothesis profiles."""

    examples = 15
    steps = 25
    ci_examples: int | None = None  # None: as in `full`
    ci_steps: int | None = None
    rule_runs: Counter = Counter()  # rule name -> calls during the last `run` (per machine class)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.rule_runs = Counter()
        for name in dir(cls):
            rule = getattr(getattr(cls, name, None), RULE_MARKER, None)
            if rule is not None and not getattr(rule.function, "_byz_counted", False):
                rule.function = _counting(rule.function, cls.rule_runs)
        cls.TestCase.settings = cls.settings()

    def __init__(self):
        super().__init__()
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()

    def teardown(self):
        """Roll the chain back to where this run started (override and call super() to add checks)."""
        self._anchor.__exit__(None, None, None)

    @classmethod
    def settings(cls) -> settings:
        """The hypothesis settings of this machine in the current profile."""
        return stateful_settings(cls.examples, cls.steps, cls.ci_examples, cls.ci_steps)

    @classmethod
    def rule_names(cls) -> set[str]:
        """The names of the machine's rules."""
        names = set()
        for name in dir(cls):
            rule = getattr(getattr(cls, name, None), RULE_MARKER, None)
            if rule is not None:
                names.add(rule.function.__name__)
        return names

    @classmethod
    def run(cls, **attributes) -> None:
        """Set `attributes` (contracts, accounts from fixtures) on the class and run it as a test; in the
        `ci` profile, fail if a rule never ran."""
        for name, value in attributes.items():
            setattr(cls, name, value)
        for counts in {id(c.rule_runs): c.rule_runs for c in cls.__mro__ if "rule_runs" in vars(c)}.values():
            counts.clear()
        run_state_machine_as_test(cls, settings=cls.settings())
        ran = Counter()
        for klass in cls.__mro__:
            if "rule_runs" in vars(klass):
                ran.update(vars(klass)["rule_runs"])
        print(f"{cls.__name__} ({PROFILE} profile): " + ", ".join(f"{n} {ran[n]}" for n in sorted(ran)))
        if PROFILE == "ci":
            missing = sorted(cls.rule_names() - set(ran))
            assert not missing, (
                f"the ci profile of {cls.__name__} ({cls.settings().max_examples} examples x "
                f"{cls.settings().stateful_step_count} steps) never ran {', '.join(missing)}: raise "
                f"ci_examples or ci_steps"
            )


__all__ = ["LONG", "PROFILE", "StatefulBase", "fuzz_examples", "stateful_settings"]
