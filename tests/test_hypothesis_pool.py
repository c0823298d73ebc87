"""The state machines' `ci` examples depend on the machine and its seed alone (tests/utils/stateful.py).

Hypothesis draws from the literals of the local modules a process has imported; tests/utils/stateful.py
turns that pool off through an internal hook. These tests fail if hypothesis renames the hook (the
replacement would then be a dead attribute), and show what the hook hides: the project's literals.
"""

from __future__ import annotations

from hypothesis.internal.conjecture import providers

from tests.utils import stateful


def test_the_hook_is_in_place_and_empty():
    assert providers._get_local_constants is stateful._no_local_constants
    pool = providers._get_local_constants()
    assert len(pool) == 0 and not pool.set_for_type("integer")


def test_the_hidden_pool_holds_the_projects_literals():
    """Without the hook, hypothesis would draw from the literals of the deploy/ modules imported here."""
    import deploy.sim.lifecycle  # noqa: F401 (a local module full of literals)

    hidden = stateful._hypothesis_local_constants()
    assert len(hidden) > 0 and 86_400 in hidden.set_for_type("integer")
