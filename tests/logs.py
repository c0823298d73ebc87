"""Moved to tests/utils/logs.py (this re-export stays until every test imports from there)."""

from tests.utils.logs import logs_named

__all__ = ["logs_named"]
