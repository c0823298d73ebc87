# pragma version ~=0.4.3
"""
@title SszHarness
@notice Test harness exposing `contracts/lib/ssz.vy`.
"""

from contracts.lib import ssz


@external
@pure
def deposit_data_root(
    pubkey: Bytes[48],
    withdrawal_credentials: Bytes[32],
    amount_gwei: uint64,
    signature: Bytes[96],
) -> bytes32:
    """
    @notice Returns `ssz._deposit_data_root(...)`.
    """
    return ssz._deposit_data_root(
        pubkey, withdrawal_credentials, amount_gwei, signature
    )


@external
@pure
def to_little_endian_64(x64: uint64) -> Bytes[8]:
    """
    @notice Returns `ssz._to_little_endian_64(x64)`.
    """
    return ssz._to_little_endian_64(x64)
