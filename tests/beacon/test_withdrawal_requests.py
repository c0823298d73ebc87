"""WithdrawalRequests: EIP-7002's fee, queue and end-of-block system call, against the EIP's algorithm."""

from __future__ import annotations

import boa
import pytest
from eth.exceptions import Revert
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy.sim.system_calls import (
    SYSTEM_ADDRESS,
    dequeue_withdrawal_requests,
    request_withdrawal,
    revert_reason,
    withdrawal_request_fee,
)

MAX_PER_BLOCK = 16
TARGET_PER_BLOCK = 2
# Largest excess whose fee computation fits in 256 bits (the fee is then about 2**232 wei).
MAX_EXCESS = 2_892

# A caller written exactly as for the real predeploy: read the fee, then request with it.
EXITER = """
# pragma version ~=0.4.3
@external
@payable
def exit(withdrawal_requests: address, pubkey: Bytes[48], amount: uint64):
    fee: uint256 = convert(
        raw_call(withdrawal_requests, b"", max_outsize=32, is_static_call=True), uint256
    )
    raw_call(withdrawal_requests, concat(pubkey, convert(amount, bytes8)), value=fee)
    send(msg.sender, msg.value - fee)

@external
@payable
def __default__():
    pass
"""


def fake_exponential(factor: int, numerator: int, denominator: int) -> int:
    """EIP-4844 / EIP-7002 reference."""
    i, output, accum = 1, 0, factor * denominator
    while accum > 0:
        output += accum
        accum = (accum * numerator) // (denominator * i)
        i += 1
    return output // denominator


class Eip7002Model:
    """The EIP's pseudo-code: excess, per-block count, FIFO queue."""

    def __init__(self):
        self.excess = 0
        self.count = 0
        self.queue: list[tuple[str, bytes, int]] = []

    def fee(self) -> int:
        return fake_exponential(1, self.excess, 17)

    def add(self, source: str, pubkey: bytes, amount: int):
        self.count += 1
        self.queue.append((source, pubkey, amount))

    def end_block(self) -> list:
        out, self.queue = self.queue[:MAX_PER_BLOCK], self.queue[MAX_PER_BLOCK:]
        self.excess = max(0, self.excess + self.count - TARGET_PER_BLOCK)
        self.count = 0
        return out


def raw_reason(fn, *args, **kwargs) -> str:
    with pytest.raises(Revert) as info:
        fn(*args, **kwargs)
    return revert_reason(info.value)


def pubkey_of(i: int) -> bytes:
    return bytes([i % 256]) * 47 + bytes([0xA5])


def storage(contract, name: str) -> int:
    return getattr(contract._storage, name).get()


def test_initial_fee_is_the_minimum(withdrawal_requests):
    assert withdrawal_request_fee(withdrawal_requests) == 1
    assert storage(withdrawal_requests, "excess_withdrawal_requests") == 0


def test_add_request_and_dequeue(withdrawal_requests, staker):
    pubkey = pubkey_of(7)
    computation = boa.env.raw_call(
        withdrawal_requests.address, sender=staker, value=5, data=pubkey + (123).to_bytes(8, "big")
    )
    assert bytes(computation.output) == b""
    assert len(computation.get_log_entries()) == 1  # WithdrawalRequestAdded
    assert boa.env.get_balance(withdrawal_requests.address) == 5  # the whole value is kept (burnt)
    assert storage(withdrawal_requests, "withdrawal_request_count") == 1
    assert dequeue_withdrawal_requests(withdrawal_requests) == [(staker, pubkey, 123)]
    assert storage(withdrawal_requests, "queue_head") == 0 and storage(withdrawal_requests, "queue_tail") == 0
    assert storage(withdrawal_requests, "withdrawal_request_count") == 0
    assert dequeue_withdrawal_requests(withdrawal_requests) == []


def test_full_exit_is_amount_zero(withdrawal_requests, staker):
    request_withdrawal(withdrawal_requests, pubkey_of(1), 0, sender=staker)
    assert dequeue_withdrawal_requests(withdrawal_requests) == [(staker, pubkey_of(1), 0)]


@pytest.mark.parametrize("length", [1, 32, 48, 55, 57, 64])
def test_wrong_input_length_reverts(withdrawal_requests, staker, length):
    reason = raw_reason(
        boa.env.raw_call, withdrawal_requests.address, sender=staker, value=1, data=b"\x01" * length
    )
    assert reason == "withdrawal_requests: calldata must be 56 bytes"
    assert storage(withdrawal_requests, "queue_tail") == 0


def test_fee_too_low_reverts(withdrawal_requests, staker):
    reason = raw_reason(request_withdrawal, withdrawal_requests, pubkey_of(2), 0, sender=staker, value=0)
    assert reason == "withdrawal_requests: fee too low"
    assert storage(withdrawal_requests, "queue_tail") == 0


def test_fee_read_takes_no_value(withdrawal_requests, staker):
    reason = raw_reason(boa.env.raw_call, withdrawal_requests.address, sender=staker, value=1)
    assert reason == "withdrawal_requests: fee read takes no value"


def test_at_most_16_per_block_and_fee_rises(withdrawal_requests, staker):
    for i in range(20):
        request_withdrawal(withdrawal_requests, pubkey_of(i), i, sender=staker)
    first = dequeue_withdrawal_requests(withdrawal_requests)
    assert [r[2] for r in first] == list(range(16))
    assert storage(withdrawal_requests, "excess_withdrawal_requests") == 18
    assert withdrawal_request_fee(withdrawal_requests) == fake_exponential(1, 18, 17) == 2
    second = dequeue_withdrawal_requests(withdrawal_requests)
    assert [r[2] for r in second] == [16, 17, 18, 19]
    assert storage(withdrawal_requests, "excess_withdrawal_requests") == 16  # no new request: -2


def test_vyper_caller_pattern(withdrawal_requests, staker):
    exiter = boa.loads(EXITER)
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        exiter.exit(withdrawal_requests.address, pubkey_of(3), 0, value=10**15)
    assert boa.env.get_balance(staker) == before - 1  # paid exactly the fee
    assert dequeue_withdrawal_requests(withdrawal_requests) == [(exiter.address, pubkey_of(3), 0)]


@settings(max_examples=12, deadline=None)
@given(blocks=st.lists(st.integers(0, 24), min_size=1, max_size=12))
def test_matches_the_eip_algorithm(withdrawal_requests, staker, blocks):
    model = Eip7002Model()
    n = 0
    for requests in blocks:
        for _ in range(requests):
            assert withdrawal_request_fee(withdrawal_requests) == model.fee()
            request_withdrawal(withdrawal_requests, pubkey_of(n), n, sender=staker, value=model.fee())
            model.add(staker, pubkey_of(n), n)
            n += 1
        assert dequeue_withdrawal_requests(withdrawal_requests) == model.end_block()
        assert storage(withdrawal_requests, "excess_withdrawal_requests") == model.excess
    assert withdrawal_request_fee(withdrawal_requests) == model.fee()


@pytest.mark.parametrize("excess", [0, 1, 17, 100])
def test_excess_reached_through_requests(withdrawal_requests, staker, excess):
    # one block of `excess + 2` requests moves the excess from 0 to `excess`
    for _ in range(excess + TARGET_PER_BLOCK):
        request_withdrawal(withdrawal_requests, pubkey_of(0), 0, sender=staker)
    dequeue_withdrawal_requests(withdrawal_requests)
    assert storage(withdrawal_requests, "excess_withdrawal_requests") == excess
    assert withdrawal_request_fee(withdrawal_requests) == fake_exponential(1, excess, 17)


@settings(max_examples=40, deadline=None)
@given(excess=st.integers(0, MAX_EXCESS))
def test_fee_formula(withdrawal_requests, excess):
    # the excess lives in the first storage slot (EIP-7002 slot 0)
    boa.env.set_storage(withdrawal_requests.address, 0, excess)
    assert storage(withdrawal_requests, "excess_withdrawal_requests") == excess
    assert withdrawal_request_fee(withdrawal_requests) == fake_exponential(1, excess, 17)


def test_fee_beyond_256_bits_reverts(withdrawal_requests, staker):
    boa.env.set_storage(withdrawal_requests.address, 0, MAX_EXCESS + 1)
    assert raw_reason(withdrawal_request_fee, withdrawal_requests) == ""  # checked-arithmetic overflow
    reason = raw_reason(request_withdrawal, withdrawal_requests, pubkey_of(0), 0, sender=staker, value=1)
    assert reason == ""


def test_inhibitor_blocks_requests_until_the_system_call(withdrawal_requests, staker):
    boa.env.set_storage(withdrawal_requests.address, 0, 2**256 - 1)
    assert raw_reason(withdrawal_request_fee, withdrawal_requests) == "withdrawal_requests: inhibited"
    dequeue_withdrawal_requests(withdrawal_requests)  # the fork block's system call clears it
    assert withdrawal_request_fee(withdrawal_requests) == 1


def test_system_call_ignores_calldata(withdrawal_requests, staker):
    request_withdrawal(withdrawal_requests, pubkey_of(9), 9, sender=staker)
    out = boa.env.raw_call(withdrawal_requests.address, sender=SYSTEM_ADDRESS, data=b"\x01" * 56).output
    assert len(out) == 76 and bytes(out)[68:] == (9).to_bytes(8, "big")
