"""Moved to tests/utils/stateful.py (this re-export stays until every state machine uses StatefulBase)."""

from tests.utils.stateful import LONG, stateful_settings

__all__ = ["LONG", "stateful_settings"]
