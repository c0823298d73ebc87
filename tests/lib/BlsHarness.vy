# pragma version ~=0.4.3
"""
@title BlsHarness
@custom:contract-name BlsHarness
@license MIT
@notice Test harness exposing `contracts/lib/bls.vy` (and the deposit
        signing root of `contracts/lib/ssz.vy`).
"""

from contracts.lib import bls
from contracts.lib import constants
from contracts.lib import ssz


@external
@view
def hash_to_g2(message: Bytes[256]) -> Bytes[256]:
    """
    @notice The library's hash to G2.
    @param message The message.
    @return Bytes[256] The point, uncompressed.
    """
    return bls._hash_to_g2(message)


@external
@view
def verify(
    pubkey: Bytes[128], message: Bytes[256], signature: Bytes[256]
) -> bool:
    """
    @notice The library's signature check.
    @param pubkey The public key, uncompressed.
    @param message The message.
    @param signature The signature, uncompressed.
    @return bool True if valid.
    """
    return bls._verify(pubkey, message, signature)


@external
@view
def verify_deposit(
    pubkey: Bytes[48],
    pubkey_point: Bytes[128],
    withdrawal_credentials: Bytes[32],
    amount_gwei: uint64,
    signature: Bytes[96],
    signature_point: Bytes[256],
    fork_version: bytes4,
) -> bool:
    """
    @notice The library's deposit signature check.
    @param pubkey The compressed public key.
    @param pubkey_point The public key, uncompressed.
    @param withdrawal_credentials The withdrawal credentials.
    @param amount_gwei The amount in gwei.
    @param signature The compressed signature.
    @param signature_point The signature, uncompressed.
    @param fork_version The fork version.
    @return bool True if valid.
    """
    return bls._verify_deposit(
        pubkey,
        pubkey_point,
        withdrawal_credentials,
        amount_gwei,
        signature,
        signature_point,
        fork_version,
    )


@external
@pure
def deposit_signing_root(
    pubkey: Bytes[48],
    withdrawal_credentials: Bytes[32],
    amount_gwei: uint64,
    fork_version: bytes4,
) -> bytes32:
    """
    @notice The deposit message's signing root.
    @param pubkey The compressed public key.
    @param withdrawal_credentials The withdrawal credentials.
    @param amount_gwei The amount in gwei.
    @param fork_version The fork version.
    @return bytes32 The signing root.
    """
    return ssz._deposit_signing_root(
        pubkey, withdrawal_credentials, amount_gwei, fork_version
    )


@external
@pure
def check_g1_encoding(point: Bytes[128], compressed: Bytes[48]):
    """
    @notice The library's G1 encoding check.
    @param point The point, uncompressed.
    @param compressed The compressed point.
    """
    bls._check_g1_encoding(point, compressed)


@external
@pure
def check_g2_encoding(point: Bytes[256], compressed: Bytes[96]):
    """
    @notice The library's G2 encoding check.
    @param point The point, uncompressed.
    @param compressed The compressed point.
    """
    bls._check_g2_encoding(point, compressed)


@external
@view
def interpolate_g1(
    shares: DynArray[Bytes[128], constants.MAX_CLUSTER_SIZE],
    indices: DynArray[uint256, constants.MAX_CLUSTER_SIZE],
    at: uint256,
) -> Bytes[128]:
    """
    @notice The library's interpolation in G1.
    @param shares The public shares, uncompressed.
    @param indices Their indices.
    @param at Where to evaluate.
    @return Bytes[128] The point, uncompressed.
    """
    return bls._interpolate_g1(shares, indices, at)


@external
@view
def shares_agree(
    shares: DynArray[Bytes[128], constants.MAX_CLUSTER_SIZE],
    threshold: uint256,
    group_key: Bytes[128],
) -> bool:
    """
    @notice The library's share check.
    @param shares The public shares of indices 1..n, uncompressed.
    @param threshold The threshold.
    @param group_key The group key, uncompressed.
    @return bool True if every threshold of the shares give the key.
    """
    return bls._shares_agree(shares, threshold, group_key)


@external
@view
def shares_agree_batched(
    shares: DynArray[Bytes[128], constants.MAX_CLUSTER_SIZE],
    threshold: uint256,
    group_key: Bytes[128],
) -> bool:
    """
    @notice The library's share check in one MSM (random weights).
    @param shares The public shares of indices 1..n, uncompressed.
    @param threshold The threshold.
    @param group_key The group key, uncompressed.
    @return bool True if every threshold of the shares give the key.
    """
    return bls._shares_agree_batched(shares, threshold, group_key)
