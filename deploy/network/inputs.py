"""Every input of a deployment, checked before anything is sent: configuration, addresses, settings.

The configuration rules are the Auction constructor's own checks (and the manager's), with the bounds read
from contracts/lib/constants.vy, so a value refused here is one the contracts would refuse after several
contracts had already been deployed.
"""

from __future__ import annotations

from collections.abc import Callable

from eth_utils import is_checksum_address, is_hex_address, to_checksum_address

from deploy.constants import c
from deploy.network.chain import DeployError
from deploy.protocol import DEFAULT_CONFIG, check_config

DAY = c.SECONDS_PER_DAY
ZERO_ADDRESS = "0x" + "00" * 20

# key -> (unit, check(value, whole config) -> problem or None)
Rule = tuple[str, Callable[[int, dict], str | None]]


def _between(low: int, high: int, unit: str = "") -> Callable[[int, dict], str | None]:
    suffix = f" {unit}" if unit else ""
    return lambda v, _: None if low <= v <= high else f"must be between {low:,} and {high:,}{suffix}"


def _min_duration(v: int, cfg: dict) -> str | None:
    if v < 1:
        return "must be at least 1 day"
    if v > cfg["max_duration"]:
        return f"must not exceed max_duration ({cfg['max_duration']} days)"
    return None


RULES: dict[str, Rule] = {
    "cluster_size": ("operators", _between(c.MIN_CLUSTER_SIZE, c.MAX_CLUSTER_SIZE, "operators")),
    "expected_daily_return": ("wei per day", _between(1, c.MAX_DAILY_RETURN, "wei per day")),
    "max_discount_rate": ("bps", _between(0, c.BPS - 1, "basis points")),
    "min_duration": ("days", _min_duration),
    "max_duration": ("days", _between(1, c.MAX_DURATION_CAP, "days")),
    "pending_cluster_ttl": ("seconds", _between(DAY, 3650 * DAY, "seconds (1 day to 10 years)")),
    # the beacon chain's genesis time (0: the deployment block's, for a local chain and its beacon model)
    "beacon_genesis_time": ("timestamp", _between(0, 2**64 - 1, "(0: the deployment block's timestamp)")),
    # the deposit domain's fork version ClusterKeys checks deposit signatures under (4 bytes as a number)
    "genesis_fork_version": ("fork version", _between(0, 2**32 - 1, "(4 bytes)")),
    # EigenLayer's stand-ins only (a chain with the real EigenLayer has its own values)
    "pectra_fork_timestamp": ("timestamp", _between(1, 2**64 - 1, "(0 would refuse every proof)")),
    "min_withdrawal_delay_blocks": ("blocks", _between(1, 2**32 - 1, "blocks")),
}


def validate_config(overrides: dict) -> dict:
    """DEFAULT_CONFIG with `overrides`, every value checked; DeployError names the first bad one."""
    unknown = sorted(set(overrides) - set(DEFAULT_CONFIG))
    if unknown:
        raise DeployError(f"unknown configuration key {unknown[0]!r}; known: {', '.join(DEFAULT_CONFIG)}")
    cfg = check_config(overrides)
    for key, value in cfg.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise DeployError(f"configuration {key}={value!r} must be an integer")
        if value < 0:
            raise DeployError(f"configuration {key}={value} must not be negative")
        unit, rule = RULES.get(key, ("", lambda v, _: None))
        problem = rule(value, cfg)
        if problem:
            raise DeployError(f"configuration {key}={value}: {problem}")
    r, d, n = cfg["expected_daily_return"], cfg["max_discount_rate"], cfg["cluster_size"]
    if r * (c.BPS - d) < n * c.BPS:
        raise DeployError(
            f"configuration expected_daily_return={r} is too small: at max_discount_rate={d} a validation "
            f"credit of a {n}-operator cluster would cost 0 wei"
        )
    return cfg


# The beacon chains' genesis times (their genesis.ssz / the consensus clients' network configs), by the
# execution chain id: a proven epoch becomes a timestamp from it, so a wrong value would end streams and
# refunds at the wrong time. Development chains (DEV_CHAIN_IDS) run the beacon-chain model from the
# deployment block (0).
BEACON_GENESIS_TIMES = {
    1: 1606824023,  # mainnet, 2020-12-01 12:00:23 UTC
    11155111: 1655733600,  # sepolia, 2022-06-20 14:00:00 UTC
    17000: 1695902400,  # holesky, 2023-09-28 12:00:00 UTC
    560048: 1742213400,  # hoodi, 2025-03-17 12:10:00 UTC
}
DEV_CHAIN_IDS = (31337, 1337)  # anvil/hardhat, geth --dev: the beacon-chain model drives the stand-ins


def with_genesis_time(cfg: dict, chain_id: int) -> dict:
    """`cfg` with the beacon genesis time of the chain: 0 (the deployment block) stays on a development
    chain, a known public chain gets its own (a different value set by hand is refused), any other chain
    must be given one (`--set beacon_genesis_time=...`)."""
    given = cfg["beacon_genesis_time"]
    if chain_id in DEV_CHAIN_IDS:
        return cfg
    known = BEACON_GENESIS_TIMES.get(chain_id)
    if known is None:
        if given == 0:
            raise DeployError(
                f"chain id {chain_id} is not a development chain: set its beacon chain's genesis time "
                "(--set beacon_genesis_time=SECONDS)"
            )
        return cfg
    if given not in (0, known):
        raise DeployError(
            f"configuration beacon_genesis_time={given}: "
            f"chain id {chain_id}'s beacon chain started at {known}"
        )
    return {**cfg, "beacon_genesis_time": known}


# The beacon chains' genesis fork versions (the deposit domain of every deposit signature), by chain id.
GENESIS_FORK_VERSIONS = {
    1: 0x00000000,  # mainnet
    11155111: 0x90000069,  # sepolia
    17000: 0x01017000,  # holesky
    560048: 0x10000910,  # hoodi
}


def with_fork_version(cfg: dict, chain_id: int) -> dict:
    """`cfg` with the genesis fork version of a known public chain (ClusterKeys would otherwise refuse
    every real deposit signature); development and other chains keep the configured one."""
    known = GENESIS_FORK_VERSIONS.get(chain_id)
    return cfg if known is None else {**cfg, "genesis_fork_version": known}


def parse_settings(pairs: list[str]) -> dict:
    """`KEY=VALUE` pairs (`--set`) into configuration overrides; integers (`_` separators, `0x` allowed)."""
    cfg = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise DeployError(f"bad --set {pair!r}: write KEY=VALUE, e.g. --set min_duration=60")
        if key not in DEFAULT_CONFIG:
            raise DeployError(f"bad --set {pair!r}: unknown key {key!r}; known: {', '.join(DEFAULT_CONFIG)}")
        try:
            cfg[key] = int(value.strip(), 0)
        except ValueError:
            raise DeployError(f"bad --set {pair!r}: {value!r} is not an integer") from None
    return cfg


def validate_address(value: str, what: str) -> str:
    """A checksummed address; DeployError for anything else (bad hex, wrong checksum, the zero address)."""
    if not isinstance(value, str) or not is_hex_address(value):
        raise DeployError(f"{what} {value!r} is not an address (0x followed by 40 hex digits)")
    if value != value.lower() and value[2:] != value[2:].upper() and not is_checksum_address(value):
        raise DeployError(f"{what} {value} has a wrong checksum (mistyped?); expected mixed-case EIP-55")
    if int(value, 16) == 0:
        raise DeployError(f"{what} must not be the zero address")
    return to_checksum_address(value)


def validate_new_owner(value: str | None, deployer: str) -> str | None:
    """The `--owner` address (checked), or None; the deployer itself is refused (nothing to hand over)."""
    if value is None:
        return None
    owner = validate_address(value, "--owner")
    if owner.lower() == deployer.lower():
        raise DeployError(f"--owner {owner} is the deployer itself: drop --owner to keep it the owner")
    return owner
