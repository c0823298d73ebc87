# pragma version ~=0.4.3
"""
@title Escrow ledger codec
@custom:contract-name ledger_codec
@license MIT
@notice Packs the Escrow's per-bid ledger: three bids share one storage
        word, so that two bids in three never pay for a fresh slot there.
@dev Entry (85 bits, entry i of word `bid_id // 3` at bit 85 * (bid_id % 3)):
     held wei (84) | bond locked (1). 2**84 wei is about 19 million ETH, far
     above any bid's price plus bond (prices stay below 2**77 wei).
"""


struct Entry:
    held: uint256
    locked: bool


ENTRIES_PER_WORD: constant(uint256) = 3
ENTRY_BITS: constant(uint256) = 85
ENTRY_MASK: constant(uint256) = 2**85 - 1
HELD_BITS: constant(uint256) = 84


@internal
@pure
def slot(bid_id: uint256) -> uint256:
    """
    @dev The ledger word holding a bid's entry.
    @param bid_id The bid.
    @return uint256 The key of its word.
    """
    return bid_id // ENTRIES_PER_WORD


@internal
@pure
def get_entry(word: uint256, bid_id: uint256) -> Entry:
    """
    @dev A bid's entry from its (shared) word.
    @param word The word of `slot(bid_id)`.
    @param bid_id The bid.
    @return Entry The entry.
    """
    entry: uint256 = (
        word >> (ENTRY_BITS * (bid_id % ENTRIES_PER_WORD))
    ) & ENTRY_MASK
    return Entry(
        held=entry & (2**HELD_BITS - 1), locked=entry >> HELD_BITS == 1
    )


@internal
@pure
def set_entry(word: uint256, bid_id: uint256, entry: Entry) -> uint256:
    """
    @dev A word with one bid's entry replaced; reverts if `held` does not fit.
    @param word The word of `slot(bid_id)`.
    @param bid_id The bid.
    @param entry The new entry.
    @return uint256 The new word.
    """
    assert entry.held >> HELD_BITS == 0, "ledger_codec: amount too large"
    packed: uint256 = entry.held
    if entry.locked:
        packed |= 1 << HELD_BITS
    offset: uint256 = ENTRY_BITS * (bid_id % ENTRIES_PER_WORD)
    return (word & ~(ENTRY_MASK << offset)) | (packed << offset)
