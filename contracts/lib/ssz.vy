# pragma version ~=0.4.3
"""
@title ssz
@custom:contract-name ssz
@license MIT
@notice SSZ `hash_tree_root` of a beacon-chain `DepositData` container, as the
        beacon deposit contract computes it, and the signing root of a
        `DepositMessage` under the deposit domain, as the consensus specs'
        `is_valid_deposit_signature` computes it.
@dev Stateless module: import it and call `ssz._deposit_data_root(...)` or
     `ssz._deposit_signing_root(...)` (no `uses:` / `initializes:` needed).
     deposit_data_root = sha256(
         sha256(pubkey_root ‖ withdrawal_credentials) ‖
         sha256(amount_le8 ‖ 24 zero bytes ‖ signature_root))
     with pubkey_root = sha256(pubkey ‖ 16 zero bytes) and
     signature_root = sha256(sha256(sig[0:64]) ‖ sha256(sig[64:96] ‖ 32 zero bytes));
     the amount is in gwei, serialised as 8 bytes little endian.
"""

PUBKEY_LENGTH: constant(uint256) = 48
WITHDRAWAL_CREDENTIALS_LENGTH: constant(uint256) = 32
SIGNATURE_LENGTH: constant(uint256) = 96
# The consensus specs' `DOMAIN_DEPOSIT` (a `DomainType`).
DOMAIN_DEPOSIT: constant(bytes4) = 0x03000000


@internal
@pure
def _to_little_endian_64(x64: uint64) -> Bytes[8]:
    """
    @dev Serialises a 64-bit integer as 8 bytes, little endian (SSZ `uint64`).
    @param x64 The integer.
    @return Bytes[8] Its little-endian encoding.
    """
    x: uint256 = convert(x64, uint256)
    reversed: uint256 = 0
    for _: uint256 in range(8):
        reversed = (reversed << 8) | (x & 255)
        x = x >> 8
    # `reversed` holds the 8 bytes in its low 64 bits: move them to the top.
    return slice(convert(reversed << 192, bytes32), 0, 8)


@internal
@pure
def _deposit_data_root(
    pubkey: Bytes[48],
    withdrawal_credentials: Bytes[32],
    amount_gwei: uint64,
    signature: Bytes[96],
) -> bytes32:
    """
    @dev Returns the SSZ `hash_tree_root` of `DepositData(pubkey,
         withdrawal_credentials, amount, signature)`.
    @notice Reverts unless the lengths are exactly 48, 32 and 96 bytes.
    @param pubkey The 48-byte BLS public key.
    @param withdrawal_credentials The 32-byte withdrawal credentials.
    @param amount_gwei The deposit amount in gwei.
    @param signature The 96-byte BLS signature over the deposit message.
    @return bytes32 The deposit data root.
    """
    assert len(pubkey) == PUBKEY_LENGTH, "ssz: pubkey must be 48 bytes"
    assert (
        len(withdrawal_credentials) == WITHDRAWAL_CREDENTIALS_LENGTH
    ), "ssz: credentials must be 32 bytes"
    assert len(signature) == SIGNATURE_LENGTH, "ssz: signature must be 96 bytes"
    pubkey_root: bytes32 = sha256(concat(pubkey, empty(bytes16)))
    signature_root: bytes32 = sha256(
        concat(
            sha256(slice(signature, 0, 64)),
            sha256(concat(slice(signature, 64, 32), empty(bytes32))),
        )
    )
    return sha256(
        concat(
            sha256(concat(pubkey_root, withdrawal_credentials)),
            sha256(
                concat(
                    self._to_little_endian_64(amount_gwei),
                    empty(bytes24),
                    signature_root,
                )
            ),
        )
    )


@internal
@pure
def _deposit_message_root(
    pubkey: Bytes[48], withdrawal_credentials: Bytes[32], amount_gwei: uint64
) -> bytes32:
    """
    @dev Returns the SSZ `hash_tree_root` of `DepositMessage(pubkey,
         withdrawal_credentials, amount)`: three chunks padded to four, so
         the same left node as `DepositData` and `sha256(amount_le8 ‖ 56 zero
         bytes)` on the right.
    @notice Reverts unless the lengths are exactly 48 and 32 bytes.
    @param pubkey The 48-byte BLS public key.
    @param withdrawal_credentials The 32-byte withdrawal credentials.
    @param amount_gwei The deposit amount in gwei.
    @return bytes32 The deposit message root.
    """
    return sha256(
        concat(
            self._pubkey_credentials_node(pubkey, withdrawal_credentials),
            sha256(
                concat(
                    self._to_little_endian_64(amount_gwei),
                    empty(bytes24),
                    empty(bytes32),
                )
            ),
        )
    )


@internal
@pure
def _deposit_domain(fork_version: bytes4) -> bytes32:
    """
    @dev Returns the consensus specs' `compute_domain(DOMAIN_DEPOSIT,
         fork_version)`: `0x03000000 ‖ fork_data_root[:28]` with
         `fork_data_root = hash_tree_root(ForkData(fork_version, 0))`. The
         genesis validators root is zero for deposits, so that a deposit is
         valid on every chain of the same fork version.
    @param fork_version The 4-byte genesis fork version of the network.
    @return bytes32 The deposit domain.
    """
    fork_data_root: bytes32 = sha256(
        concat(fork_version, empty(bytes28), empty(bytes32))
    )
    return convert(
        concat(DOMAIN_DEPOSIT, slice(fork_data_root, 0, 28)), bytes32
    )


@internal
@pure
def _deposit_signing_root(
    pubkey: Bytes[48],
    withdrawal_credentials: Bytes[32],
    amount_gwei: uint64,
    fork_version: bytes4,
) -> bytes32:
    """
    @dev Returns `hash_tree_root(SigningData(deposit_message_root, domain))`
         = `sha256(deposit_message_root ‖ deposit_domain)`: the 32-byte
         message a deposit signature signs.
    @notice Reverts unless the lengths are exactly 48 and 32 bytes.
    @param pubkey The 48-byte BLS public key.
    @param withdrawal_credentials The 32-byte withdrawal credentials.
    @param amount_gwei The deposit amount in gwei.
    @param fork_version The 4-byte genesis fork version of the network.
    @return bytes32 The signing root.
    """
    return sha256(
        concat(
            self._deposit_message_root(
                pubkey, withdrawal_credentials, amount_gwei
            ),
            self._deposit_domain(fork_version),
        )
    )


@internal
@pure
def _pubkey_credentials_node(
    pubkey: Bytes[48], withdrawal_credentials: Bytes[32]
) -> bytes32:
    """
    @dev Returns `sha256(pubkey_root ‖ withdrawal_credentials)`, the left
         node shared by `DepositData` and `DepositMessage`, with
         `pubkey_root = sha256(pubkey ‖ 16 zero bytes)`. `_deposit_data_root`
         computes the same node inline and is left as it was, so that the
         deployed contracts using it keep their bytecode, gas and documented
         revert order.
    @notice Reverts unless the lengths are exactly 48 and 32 bytes.
    @param pubkey The 48-byte BLS public key.
    @param withdrawal_credentials The 32-byte withdrawal credentials.
    @return bytes32 The node.
    """
    assert len(pubkey) == PUBKEY_LENGTH, "ssz: pubkey must be 48 bytes"
    assert (
        len(withdrawal_credentials) == WITHDRAWAL_CREDENTIALS_LENGTH
    ), "ssz: credentials must be 32 bytes"
    pubkey_root: bytes32 = sha256(concat(pubkey, empty(bytes16)))
    return sha256(concat(pubkey_root, withdrawal_credentials))
