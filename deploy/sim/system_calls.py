"""The system calls both beacon-chain models make and tests use: EIP-4788's root posting, EIP-7002's
requests and their end-of-block dequeue (raw calls: they work with the stand-ins and, over JSON-RPC, with the
real predeploys), the beacon clock, and one hook on every titanoboa execution (the models follow the chain's
logs with it, as titanoboa keeps no log history).

    post_beacon_root(beacon_roots, root)          -> timestamp   (as the system address)
    read_beacon_root(beacon_roots, timestamp)     -> bytes32 root
    withdrawal_request_fee(withdrawal_requests)   -> wei
    request_withdrawal(withdrawal_requests, pubkey, amount_gwei, sender=..., value=None)
    dequeue_withdrawal_requests(withdrawal_requests) -> [(source, pubkey, amount_gwei)]  (system address)
"""

from collections.abc import Callable
from typing import Any

import boa
from eth_abi import decode as abi_decode
from eth_utils import to_checksum_address

from deploy.predeploys import (  # noqa: F401 (re-exported)
    BEACON_ROOTS_ADDRESS,
    SYSTEM_ADDRESS,
    WITHDRAWAL_REQUESTS_ADDRESS,
)

SECONDS_PER_SLOT = 12
SLOTS_PER_EPOCH = 32

HISTORY_BUFFER_LENGTH = 8191
REQUEST_OUTPUT_LENGTH = 76
ERROR_SELECTOR = bytes.fromhex("08c379a0")


def _address(contract) -> str:
    return str(getattr(contract, "address", contract))


def revert_reason(exc: BaseException) -> str:
    """The `Error(string)` reason of a revert raised by `boa.env.raw_call` ('' when there is none)."""
    data = exc.args[0] if exc.args else b""
    if isinstance(data, bytes | bytearray) and data[:4] == ERROR_SELECTOR:
        return abi_decode(["string"], bytes(data[4:]))[0]
    return ""


def post_beacon_root(beacon_roots, root: bytes) -> int:
    """Write `root` for the current timestamp as the EIP-4788 system call does; returns the timestamp."""
    if len(root) != 32:
        raise ValueError("a beacon block root is 32 bytes")
    boa.env.raw_call(_address(beacon_roots), sender=SYSTEM_ADDRESS, data=bytes(root))
    return boa.env.evm.patch.timestamp


def read_beacon_root(beacon_roots, timestamp: int) -> bytes:
    """The root stored for `timestamp` (raises the contract's revert when unknown)."""
    out = boa.env.raw_call(_address(beacon_roots), data=timestamp.to_bytes(32, "big")).output
    return bytes(out)


def withdrawal_request_fee(withdrawal_requests) -> int:
    """The current EIP-7002 fee in wei (empty calldata)."""
    return int.from_bytes(bytes(boa.env.raw_call(_address(withdrawal_requests)).output), "big")


def request_withdrawal(withdrawal_requests, pubkey: bytes, amount_gwei: int, sender=None, value=None) -> int:
    """Add an EIP-7002 request `pubkey ‖ amount (big-endian uint64)` paying `value` (default: the fee)."""
    if value is None:
        value = withdrawal_request_fee(withdrawal_requests)
    data = bytes(pubkey) + amount_gwei.to_bytes(8, "big")
    boa.env.raw_call(_address(withdrawal_requests), sender=sender, value=value, data=data)
    return value


def dequeue_withdrawal_requests(withdrawal_requests) -> list[tuple[str, bytes, int]]:
    """The end-of-block system call: up to 16 requests `(source, pubkey, amount_gwei)`, oldest first."""
    out = bytes(boa.env.raw_call(_address(withdrawal_requests), sender=SYSTEM_ADDRESS).output)
    requests = []
    for i in range(0, len(out), REQUEST_OUTPUT_LENGTH):
        chunk = out[i : i + REQUEST_OUTPUT_LENGTH]
        requests.append((to_checksum_address(chunk[:20]), chunk[20:68], int.from_bytes(chunk[68:76], "big")))
    return requests


# ====================================================================================== the consensus model
#


_CAPTURES: list[Callable[[Any], None]] = []  # on_every_execution's hooks, in order


def on_every_execution(capture: Callable[[Any], None]) -> None:
    """Call `capture(computation)` after every titanoboa execution from now on in this process (once per
    `capture`, however often it is registered): both beacon-chain models follow the chain's logs this way,
    as titanoboa keeps no log history. One wrapper of `Env.execute_code` serves every capture."""
    if capture in _CAPTURES:
        return
    _CAPTURES.append(capture)
    if len(_CAPTURES) > 1:
        return
    from boa.environment import Env

    original = Env.execute_code

    def execute_and_watch(self, *args, **kwargs):
        computation = original(self, *args, **kwargs)
        for hook in _CAPTURES:
            hook(computation)
        return computation

    Env.execute_code = execute_and_watch


class BeaconClock:
    """The beacon chain's time as the EVM's: `now` (titanoboa's block timestamp), and the `slot` and `epoch`
    since `genesis_time` (both beacon-chain models)."""

    genesis_time: int

    @property
    def now(self) -> int:
        return boa.env.evm.patch.timestamp

    @property
    def slot(self) -> int:
        return max(self.now - self.genesis_time, 0) // SECONDS_PER_SLOT

    @property
    def epoch(self) -> int:
        return self.slot // SLOTS_PER_EPOCH
