# pragma version ~=0.4.3
"""
@title BeaconRoots
@custom:contract-name BeaconRoots
@license MIT
@notice Stand-in for the EIP-4788 beacon block root contract
        (`0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02` on real networks): an
        8191-slot ring buffer of (timestamp, parent beacon block root).
@dev The contract has no ABI functions: like the real predeploy, everything
     goes through the raw calldata of `__default__`.
     - Write: a call from the system address
       `0xfffffffffffffffffffffffffffffffffffffffe` stores its 32 bytes of
       calldata as the root of `block.timestamp` (slot `block.timestamp %
       8191` of both buffers).
     - Read: any other caller sends exactly 32 bytes of calldata, the
       timestamp (big-endian uint256), and gets the 32-byte root back raw.
       A length other than 32, a zero timestamp, or a timestamp that is
       unknown or has been overwritten in the ring buffer reverts.
     Callers (Vyper) should read it exactly as they would read the real
     predeploy:
         ok: bool = False
         out: Bytes[32] = b""
         ok, out = raw_call(BEACON_ROOTS, abi_encode(timestamp),
                            max_outsize=32, is_static_call=True,
                            revert_on_failure=False)
         assert ok and len(out) == 32, "caller: unknown beacon root"
     (`abi_encode(uint256)` is the 32-byte big-endian timestamp.) Deviations
     from the real bytecode, none of which a caller can rely on: the read
     path reverts with a reason string (the real one reverts with empty
     returndata), and the contract does not accept ETH.
"""

# @dev EIP-4788 HISTORY_BUFFER_LENGTH
HISTORY_BUFFER_LENGTH: constant(uint256) = 8191
# @dev The EIP-4788 / EIP-7002 system address that writes the roots.
SYSTEM_ADDRESS: constant(address) = 0xffffFFFfFFffffffffffffffFfFFFfffFFFfFFfE

# ring buffer of the timestamps, and of the roots (slot = timestamp % 8191)
_timestamps: uint256[HISTORY_BUFFER_LENGTH]
_roots: bytes32[HISTORY_BUFFER_LENGTH]


event BeaconRootStored:
    timestamp: indexed(uint256)
    root: bytes32


@external
@raw_return
def __default__() -> Bytes[32]:
    """
    @notice The EIP-4788 entry point: the system address writes the root of
            the current timestamp (32 bytes of calldata = the root); anyone
            else reads (32 bytes of calldata = the timestamp).
    @dev The output is raw (not ABI-encoded): the 32-byte root on a read,
         nothing on a write.
    @return Bytes[32] The root stored for the timestamp (read); empty (write).
    """
    if msg.sender == SYSTEM_ADDRESS:
        # the system call always carries the 32-byte parent beacon block root
        assert len(msg.data) == 32, "beacon_roots: root must be 32 bytes"
        root: bytes32 = convert(slice(msg.data, 0, 32), bytes32)
        index: uint256 = block.timestamp % HISTORY_BUFFER_LENGTH
        self._timestamps[index] = block.timestamp
        self._roots[index] = root
        log BeaconRootStored(timestamp=block.timestamp, root=root)
        return b""
    assert len(msg.data) == 32, "beacon_roots: calldata must be 32 bytes"
    timestamp: uint256 = convert(slice(msg.data, 0, 32), uint256)
    assert timestamp != 0, "beacon_roots: zero timestamp"
    index: uint256 = timestamp % HISTORY_BUFFER_LENGTH
    assert (
        self._timestamps[index] == timestamp
    ), "beacon_roots: unknown timestamp"
    return abi_encode(self._roots[index])
