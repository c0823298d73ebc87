"""Hypothesis profiles for the stateful tests: short in CI, long with BYZ_LONG_FUZZ=1."""

import os

from hypothesis import HealthCheck, settings

LONG = os.environ.get("BYZ_LONG_FUZZ") == "1"


def stateful_settings(short_examples: int = 15, short_steps: int = 25) -> settings:
    """Settings for `run_state_machine_as_test`: thousands of steps in the long profile."""
    return settings(
        max_examples=200 if LONG else short_examples,
        stateful_step_count=60 if LONG else short_steps,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
