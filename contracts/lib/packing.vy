# pragma version ~=0.4.3
"""
@title Packing helpers
@custom:contract-name packing
@license MIT
@notice The one place that reads and writes a field of a packed word and
        places an entry in a three-per-word mapping; every codec
        (`book_codec`, `ledger_codec`) packs through it.
@dev Stateless: `@internal @pure` functions and constants only. A field is
     named by its offset `at` and its width `bits`; a three-per-word
     mapping keeps entry `i` in word `i // ENTRIES_PER_WORD`, at offset
     `entry_bits * (i % ENTRIES_PER_WORD)`, so that two ids in three never
     pay for a fresh storage word.
"""

ENTRIES_PER_WORD: constant(uint256) = 3


@internal
@pure
def field(word: uint256, at: uint256, bits: uint256) -> uint256:
    """
    @dev One field of a packed word.
    @param word The packed word.
    @param at The field's offset.
    @param bits The field's width.
    @return uint256 The field.
    """
    return (word >> at) & ((1 << bits) - 1)


@internal
@pure
def with_field(
    word: uint256, at: uint256, bits: uint256, new: uint256
) -> uint256:
    """
    @dev A packed word with one field replaced; reverts if the value does
         not fit its width.
    @param word The packed word.
    @param at The field's offset.
    @param bits The field's width.
    @param new The new value.
    @return uint256 The new word.
    """
    assert new >> bits == 0, "packing: field overflow"
    return (word & ~(((1 << bits) - 1) << at)) | (new << at)


@internal
@pure
def slot_of(entry_id: uint256) -> uint256:
    """
    @dev The word holding an entry of a three-per-word mapping.
    @param entry_id The entry's id (a bid id).
    @return uint256 The word's key.
    """
    return entry_id // ENTRIES_PER_WORD


@internal
@pure
def entry_shift(entry_id: uint256, entry_bits: uint256) -> uint256:
    """
    @dev Where an entry starts in its three-per-word word.
    @param entry_id The entry's id (a bid id).
    @param entry_bits The width of one entry.
    @return uint256 The entry's offset.
    """
    return entry_bits * (entry_id % ENTRIES_PER_WORD)
