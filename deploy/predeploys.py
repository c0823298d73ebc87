"""The real networks' system addresses: light enough for the real-network tool to import (no model)."""

SYSTEM_ADDRESS = "0xfffffffffffffffffffffffffffffffffffffffe"
BEACON_ROOTS_ADDRESS = "0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02"  # EIP-4788
WITHDRAWAL_REQUESTS_ADDRESS = "0x00000961Ef480Eb55e80D19ad83579A64c007002"  # EIP-7002
