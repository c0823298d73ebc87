# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title DepositContract
@custom:contract-name DepositContract
@license MIT
@notice The beacon-chain deposit contract (phase 0), ported from the official
        Vyper contract (`deposit_contract.v.py`, ethereum/consensus-specs
        v0.12) to Vyper 0.4, with the checks of the deployed Solidity version
        (whole gwei, amount fits in 64 bits).
@dev Deposits are appended to an incremental Merkle tree of depth 32 whose
     leaves are the SSZ `hash_tree_root(DepositData)`; `get_deposit_root()`
     mixes in the deposit count exactly like the deployed contract. ETH sent
     here is locked forever: the contract never sends ETH and makes no calls.
     The SSZ hashing (`DepositData` root, little-endian uint64) is the shared
     `contracts/lib/ssz.vy` module, also used by the StrategyModuleManager.
"""

from ..interfaces.external import IDepositContract
from ..lib import ssz

implements: IDepositContract

DEPOSIT_CONTRACT_TREE_DEPTH: constant(uint256) = 32
# 2**DEPOSIT_CONTRACT_TREE_DEPTH - 1: keeps the tree from overflowing
MAX_DEPOSIT_COUNT: constant(uint256) = 4294967295
MIN_DEPOSIT_AMOUNT: constant(uint256) = 1000000000  # gwei (1 ETH)
WEI_PER_GWEI: constant(uint256) = 10**9

# Left branch of the incremental Merkle tree at each height.
branch: bytes32[DEPOSIT_CONTRACT_TREE_DEPTH]
# Number of deposits so far (`get_deposit_count` returns it little endian).
deposit_count: uint256
# Roots of empty subtrees: zero_hashes[h] is the root of 2**h zero leaves.
zero_hashes: bytes32[DEPOSIT_CONTRACT_TREE_DEPTH]


event DepositEvent:
    pubkey: Bytes[48]
    withdrawal_credentials: Bytes[32]
    amount: Bytes[8]
    signature: Bytes[96]
    index: Bytes[8]


@deploy
def __init__():
    """
    @notice Precomputes the roots of empty subtrees.
    """
    for i: uint256 in range(DEPOSIT_CONTRACT_TREE_DEPTH - 1):
        self.zero_hashes[i + 1] = sha256(
            concat(self.zero_hashes[i], self.zero_hashes[i])
        )


@external
@view
def get_deposit_root() -> bytes32:
    """
    @notice Returns the root of the deposit tree, mixed in with the count.
    @return bytes32 sha256(tree root ‖ count as 8-byte little endian ‖ 24 zero bytes).
    """
    node: bytes32 = empty(bytes32)
    count: uint256 = self.deposit_count
    size: uint256 = count
    for height: uint256 in range(DEPOSIT_CONTRACT_TREE_DEPTH):
        if size & 1 == 1:
            node = sha256(concat(self.branch[height], node))
        else:
            node = sha256(concat(node, self.zero_hashes[height]))
        size = size >> 1
    return sha256(
        concat(
            node,
            ssz._to_little_endian_64(convert(count, uint64)),
            empty(bytes24),
        )
    )


@external
@view
def get_deposit_count() -> Bytes[8]:
    """
    @notice Returns the number of deposits made so far.
    @return Bytes[8] The count as 8-byte little endian (as the deployed contract).
    """
    return ssz._to_little_endian_64(convert(self.deposit_count, uint64))


@external
@payable
def deposit(
    pubkey: Bytes[48],
    withdrawal_credentials: Bytes[32],
    signature: Bytes[96],
    deposit_data_root: bytes32,
):
    """
    @notice Submits a validator deposit; `msg.value` is the amount.
    @dev Reverts unless the lengths are exact, the amount is at least 1 ETH,
         a whole number of gwei and fits in 64 bits (in gwei), and
         `deposit_data_root` equals the SSZ `hash_tree_root(DepositData)` of
         the arguments. The signature itself is not verified here (the beacon
         chain does that).
    @param pubkey The BLS12-381 public key (48 bytes).
    @param withdrawal_credentials The withdrawal credentials (32 bytes).
    @param signature The BLS12-381 signature of the deposit message (96 bytes).
    @param deposit_data_root The SSZ hash tree root of the DepositData, a
           guard against malformed input.
    """
    count: uint256 = self.deposit_count
    assert count < MAX_DEPOSIT_COUNT, "deposit_contract: merkle tree full"

    assert (
        len(pubkey) == ssz.PUBKEY_LENGTH
    ), "deposit_contract: bad pubkey length"
    assert (
        len(withdrawal_credentials) == ssz.WITHDRAWAL_CREDENTIALS_LENGTH
    ), "deposit_contract: bad withdrawal_credentials length"
    assert (
        len(signature) == ssz.SIGNATURE_LENGTH
    ), "deposit_contract: bad signature length"

    assert (
        msg.value >= MIN_DEPOSIT_AMOUNT * WEI_PER_GWEI
    ), "deposit_contract: deposit value too low"
    assert (
        msg.value % WEI_PER_GWEI == 0
    ), "deposit_contract: deposit value not multiple of gwei"
    deposit_amount: uint256 = msg.value // WEI_PER_GWEI
    assert deposit_amount <= convert(
        max_value(uint64), uint256
    ), "deposit_contract: deposit value too high"
    amount_gwei: uint64 = convert(deposit_amount, uint64)

    # hash_tree_root(DepositData(pubkey, withdrawal_credentials, amount, signature))
    node: bytes32 = ssz._deposit_data_root(
        pubkey, withdrawal_credentials, amount_gwei, signature
    )
    assert (
        node == deposit_data_root
    ), "deposit_contract: deposit_data_root mismatch"

    log DepositEvent(
        pubkey=pubkey,
        withdrawal_credentials=withdrawal_credentials,
        amount=ssz._to_little_endian_64(amount_gwei),
        signature=signature,
        index=ssz._to_little_endian_64(convert(count, uint64)),
    )

    # Insert the leaf: update the single branch node that changes.
    count += 1
    self.deposit_count = count
    size: uint256 = count
    for height: uint256 in range(DEPOSIT_CONTRACT_TREE_DEPTH):
        if size & 1 == 1:
            self.branch[height] = node
            return
        node = sha256(concat(self.branch[height], node))
        size = size >> 1
    # Unreachable: count < 2**32 always ends the loop with a `return`.
    raise "deposit_contract: unreachable"
