# pragma version ~=0.4.3
"""
@title SszHarness
@custom:contract-name SszHarness
@license MIT
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
    @param pubkey The validator's BLS public key (48 bytes).
    @param withdrawal_credentials The withdrawal credentials (32 bytes).
    @param amount_gwei The deposit in gwei.
    @param signature The BLS signature (96 bytes).
    @return bytes32 The `DepositData` hash tree root.
    """
    return ssz._deposit_data_root(
        pubkey, withdrawal_credentials, amount_gwei, signature
    )


@external
@pure
def to_little_endian_64(x64: uint64) -> Bytes[8]:
    """
    @notice Returns `ssz._to_little_endian_64(x64)`.
    @param x64 The number.
    @return Bytes[8] Its 8 little-endian bytes.
    """
    return ssz._to_little_endian_64(x64)
