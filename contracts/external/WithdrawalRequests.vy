# pragma version ~=0.4.3
"""
@title WithdrawalRequests
@custom:contract-name WithdrawalRequests
@license MIT
@notice Stand-in for the EIP-7002 withdrawal request contract
        (`0x00000961Ef480Eb55e80D19ad83579A64c007002` on real networks): the
        address in a validator's 0x01 withdrawal credentials asks the beacon
        chain for a full exit or a partial withdrawal, paying a fee that rises
        exponentially with the queue's excess.
@dev No ABI functions: like the real predeploy, everything goes through the
     raw calldata of `__default__` (EIP-7002's algorithm, step by step):
     - empty calldata (any caller but the system address): returns the
       current fee, 32 bytes big-endian (`fake_exponential(1, excess, 17)`);
     - 56 bytes `pubkey (48) ‖ amount in gwei (big-endian uint64; 0 = full
       exit)` with `msg.value >= fee`: appends a request (source =
       `msg.sender`) to the queue and counts it for this block; returns
       nothing; the whole `msg.value` is kept (burnt), as in EIP-7002;
     - any other length reverts;
     - the system address `0xfffffffffffffffffffffffffffffffffffffffe` (at the
       end of each block): dequeues up to 16 requests and returns them
       concatenated, 76 bytes each `source (20) ‖ pubkey (48) ‖ amount (8,
       big-endian)`; then the excess becomes `max(0, excess + count - 2)` and
       the block's count 0.
     Vyper callers, the same code as for the real predeploy:
         fee: uint256 = convert(raw_call(WITHDRAWAL_REQUESTS, b"",
                                max_outsize=32, is_static_call=True), uint256)
         raw_call(WITHDRAWAL_REQUESTS, concat(pubkey, convert(amount, bytes8)),
                  value=fee)
     Deviations that no caller can rely on: reverts carry a reason string (the
     real bytecode reverts with empty returndata) and the excess starts at 0
     (the state right after the fork's first system call, not the pre-fork
     inhibitor); `fake_exponential` reverts when the fee no longer fits in 256
     bits (excess above 2 892, a fee of about 2**232 wei), where the real bytecode would wrap.
"""

# @dev EIP-7002 configuration
SYSTEM_ADDRESS: constant(address) = 0xffffFFFfFFffffffffffffffFfFFFfffFFFfFFfE
MAX_WITHDRAWAL_REQUESTS_PER_BLOCK: constant(uint256) = 16
TARGET_WITHDRAWAL_REQUESTS_PER_BLOCK: constant(uint256) = 2
MIN_WITHDRAWAL_REQUEST_FEE: constant(uint256) = 1
WITHDRAWAL_REQUEST_FEE_UPDATE_FRACTION: constant(uint256) = 17
EXCESS_INHIBITOR: constant(uint256) = max_value(uint256)
# @dev 48-byte pubkey + 8-byte amount
REQUEST_INPUT_LENGTH: constant(uint256) = 56
# @dev 20-byte source + 48-byte pubkey + 8-byte amount
REQUEST_OUTPUT_LENGTH: constant(uint256) = 76
MAX_OUTPUT: constant(uint256) = 1216  # 16 * 76
# @dev Iterations of `fake_exponential` before the fee overflows 256 bits anyway.
MAX_FEE_ITERATIONS: constant(uint256) = 1024


# One queued request, in the three storage words EIP-7002 uses.
struct QueuedRequest:
    source: address
    pubkey_head: bytes32  # pubkey[0:32]
    pubkey_tail_amount: bytes32  # pubkey[32:48] ‖ amount (8 bytes, big endian) ‖ 8 zero bytes


# EIP-7002 slots 0..3 and the queue from slot 4 on. No public getters: an ABI
# selector would capture 56-byte requests whose pubkey starts with it (tests
# read these through titanoboa's `_storage`).
excess_withdrawal_requests: uint256
withdrawal_request_count: uint256
queue_head: uint256
queue_tail: uint256
_queue: HashMap[uint256, QueuedRequest]


event WithdrawalRequestAdded:
    source: indexed(address)
    pubkey: Bytes[48]
    amount_gwei: uint64
    fee_paid: uint256


event WithdrawalRequestsDequeued:
    count: uint256
    new_excess: uint256


@external
@payable
@raw_return
def __default__() -> Bytes[MAX_OUTPUT]:
    """
    @notice The EIP-7002 entry point: empty calldata reads the fee; 56 bytes
            `pubkey ‖ amount_gwei (big-endian uint64)` add a request paying at
            least the fee; the system address dequeues the block's requests.
    @dev The output is raw (not ABI-encoded).
    @return Bytes[1216] The fee (32 bytes, read), nothing (add), or the
            dequeued requests, 76 bytes each (system call).
    """
    if msg.sender == SYSTEM_ADDRESS:
        return self._process_block()
    if len(msg.data) == 0:
        assert msg.value == 0, "withdrawal_requests: fee read takes no value"
        return abi_encode(self._fee())
    assert (
        len(msg.data) == REQUEST_INPUT_LENGTH
    ), "withdrawal_requests: calldata must be 56 bytes"
    fee: uint256 = self._fee()
    assert msg.value >= fee, "withdrawal_requests: fee too low"
    self.withdrawal_request_count += 1
    tail: uint256 = self.queue_tail
    self._queue[tail] = QueuedRequest(
        source=msg.sender,
        pubkey_head=convert(slice(msg.data, 0, 32), bytes32),
        pubkey_tail_amount=convert(
            concat(slice(msg.data, 32, 24), empty(bytes8)), bytes32
        ),
    )
    self.queue_tail = tail + 1
    log WithdrawalRequestAdded(
        source=msg.sender,
        pubkey=slice(msg.data, 0, 48),
        amount_gwei=convert(convert(slice(msg.data, 48, 8), uint256), uint64),
        fee_paid=msg.value,
    )
    return b""


@internal
@view
def _fee() -> uint256:
    """
    @dev EIP-7002 `get_fee`: fake_exponential(MIN_FEE, excess, FRACTION).
    @return uint256 The fee in wei.
    """
    excess: uint256 = self.excess_withdrawal_requests
    assert excess != EXCESS_INHIBITOR, "withdrawal_requests: inhibited"
    return self._fake_exponential(
        MIN_WITHDRAWAL_REQUEST_FEE,
        excess,
        WITHDRAWAL_REQUEST_FEE_UPDATE_FRACTION,
    )


@internal
@pure
def _fake_exponential(
    factor: uint256, numerator: uint256, denominator: uint256
) -> uint256:
    """
    @dev factor * e ** (numerator / denominator), the Taylor series of EIP-4844.
    @param factor The factor.
    @param numerator The numerator.
    @param denominator The denominator.
    @return uint256 The approximation, rounded down.
    """
    output: uint256 = 0
    numerator_accum: uint256 = factor * denominator
    for i: uint256 in range(1, MAX_FEE_ITERATIONS + 1):
        if numerator_accum == 0:
            return output // denominator
        output += numerator_accum
        numerator_accum = (numerator_accum * numerator) // (denominator * i)
    assert numerator_accum == 0, "withdrawal_requests: fee out of range"
    return output // denominator


@internal
def _process_block() -> Bytes[MAX_OUTPUT]:
    """
    @dev EIP-7002's end-of-block system call: dequeue_withdrawal_requests,
         update_excess_withdrawal_requests, reset_withdrawal_requests_count.
    @return Bytes[1216] The dequeued requests, 76 bytes each.
    """
    head: uint256 = self.queue_head
    tail: uint256 = self.queue_tail
    count: uint256 = min(tail - head, MAX_WITHDRAWAL_REQUESTS_PER_BLOCK)
    out: Bytes[MAX_OUTPUT] = b""
    for i: uint256 in range(MAX_WITHDRAWAL_REQUESTS_PER_BLOCK):
        if i == count:
            break
        request: QueuedRequest = self._queue[head + i]
        # at most 15 requests before this one: the downcast never reverts
        grown: Bytes[MAX_OUTPUT + REQUEST_OUTPUT_LENGTH] = concat(
            out,
            convert(request.source, bytes20),
            request.pubkey_head,
            slice(request.pubkey_tail_amount, 0, 24),
        )
        out = convert(grown, Bytes[MAX_OUTPUT])
    new_head: uint256 = head + count
    if new_head == tail:
        self.queue_head = 0
        self.queue_tail = 0
    else:
        self.queue_head = new_head
    previous_excess: uint256 = self.excess_withdrawal_requests
    if previous_excess == EXCESS_INHIBITOR:
        previous_excess = 0
    new_excess: uint256 = 0
    if (
        previous_excess + self.withdrawal_request_count
        > TARGET_WITHDRAWAL_REQUESTS_PER_BLOCK
    ):
        new_excess = (
            previous_excess
            + self.withdrawal_request_count
            - TARGET_WITHDRAWAL_REQUESTS_PER_BLOCK
        )
    self.excess_withdrawal_requests = new_excess
    self.withdrawal_request_count = 0
    log WithdrawalRequestsDequeued(count=count, new_excess=new_excess)
    return out
