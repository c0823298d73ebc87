"""The contracts' constants for tests: `c.BOND`, `c.MAX_BATCH` ... read from the compiled
`contracts/lib/constants.vy` (deploy/constants.py), never re-declared in a test."""

from deploy.constants import c

ETH = c.WAD
DAY = c.SECONDS_PER_DAY

__all__ = ["DAY", "ETH", "c"]
