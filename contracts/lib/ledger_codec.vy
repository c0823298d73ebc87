# pragma version ~=0.4.3
"""
@title Escrow ledger codec
@custom:contract-name ledger_codec
@license MIT
@notice Packs the Escrow's per-bid ledger: three bids share one storage
        word, so that two bids in three never pay for a fresh slot there.
@dev Entry (85 bits, placed by `packing.slot_of`/`entry_shift`):
     held wei (84) | bond locked (1). 2**84 wei is about 19 million ETH, far
     above any bid's price plus bond (prices stay below 2**77 wei).
"""

from . import packing


struct Entry:
    held: uint256
    locked: bool


ENTRY_BITS: constant(uint256) = 85
HELD_BITS: constant(uint256) = 84
LOCKED: constant(uint256) = HELD_BITS
ENTRY_MASK: constant(uint256) = 2**ENTRY_BITS - 1
HELD_MASK: constant(uint256) = 2**HELD_BITS - 1


@internal
@pure
def unpack_entry(word: uint256, bid_id: uint256) -> Entry:
    """
    @dev A bid's entry from its (shared) word `packing.slot_of(bid_id)`.
    @param word The word.
    @param bid_id The bid.
    @return Entry The entry.
    """
    # `packing.entry_shift` written out: its width folds at compile time, and
    # every money movement reads and writes an entry (a call costs ~100 gas)
    entry: uint256 = (
        word >> (ENTRY_BITS * (bid_id % packing.ENTRIES_PER_WORD))
    ) & ENTRY_MASK
    return Entry(held=entry & HELD_MASK, locked=entry >> LOCKED == 1)


@internal
@pure
def pack_entry(word: uint256, bid_id: uint256, entry: Entry) -> uint256:
    """
    @dev A word with one bid's entry replaced; reverts if `held` does not fit.
    @param word The word of `packing.slot_of(bid_id)`.
    @param bid_id The bid.
    @param entry The new entry.
    @return uint256 The new word.
    """
    assert entry.held >> HELD_BITS == 0, "ledger_codec: amount too large"
    packed: uint256 = entry.held
    if entry.locked:
        packed |= 1 << LOCKED
    at: uint256 = ENTRY_BITS * (bid_id % packing.ENTRIES_PER_WORD)
    return (word & ~(ENTRY_MASK << at)) | (packed << at)
