# pragma version ~=0.4.3
"""
@title loss_codec: a StrategyModule's packed loss charge
@custom:contract-name loss_codec
@license MIT
@notice One struct and one pack/unpack pair for the word of a
        StrategyModule's loss charges (docs/protocol.md §10 "A loss at a
        checkpoint"): everything `report_loss`, `answer_loss` and
        `settle_loss` read and write, so that a report writes one word
        (its first, one fresh slot instead of four) and the module itself
        never shifts or masks. `pack_charge` checks that each field fits its
        width and reverts ("loss_codec: <field> out of range") otherwise;
        `unpack_charge` is the exact inverse of `pack_charge` on every
        packable value.

        `Charge` (field: bits, low bits first): charged_gwei 40 |
        pending_gwei 40 | checkpoint 40 | reported_at 40 | reserved 96.
        The wei the settled charges took from the bonds (`charged` in
        `IStrategyModule.LossCharge`) is the module's own word, written
        by settlements only, so that a report or an answer never reads it.

        Widths, from what the protocol can produce:
        - a loss is the 32 ETH a validator was staked with less its
          restaked balance (`StrategyModule._loss_reading`), at most
          `STAKE_AMOUNT` in gwei, 32e9 < 2**35: the charged and pending
          losses get 40 bits (about 1 100 ETH);
        - timestamps (a checkpoint's, a report's block time) < 2**40 s
          (the year 36 812), as in stream_codec;
        - the wei set aside for a pending charge is at most its rise above
          the charged loss, (pending - charged) gwei * 10**9 <= 32e18 <
          2**65: 96 bits (7.9e10 ETH), stream_codec's width of amounts.
@dev Stateless: constants, a struct and `@internal @pure` functions only,
     so a contract uses it with a plain `from ..lib import loss_codec`
     (no `initializes`). A zero word is the empty charge (nothing charged,
     nothing pending).
"""

GWEI_BITS: constant(uint256) = 40
TIME_BITS: constant(uint256) = 40
AMOUNT_BITS: constant(uint256) = 96

GWEI_MASK: constant(uint256) = 2**GWEI_BITS - 1
TIME_MASK: constant(uint256) = 2**TIME_BITS - 1
AMOUNT_MASK: constant(uint256) = 2**AMOUNT_BITS - 1

_PENDING_AT: constant(uint256) = GWEI_BITS
_CHECKPOINT_AT: constant(uint256) = 2 * GWEI_BITS
_REPORTED_AT: constant(uint256) = 2 * GWEI_BITS + TIME_BITS
_RESERVED_AT: constant(uint256) = 2 * GWEI_BITS + 2 * TIME_BITS


struct Charge:
    charged_gwei: uint256  # the loss charged so far (the mark reports must exceed)
    pending_gwei: uint256  # the pending charge's loss (0: none pending)
    checkpoint: uint256  # the pending charge's checkpoint timestamp
    reported_at: uint256  # when it was reported (it settles a window later)
    reserved: uint256  # the wei set aside from the bonds for it


@internal
@pure
def pack_charge(x: Charge) -> uint256:
    """
    @dev Packs a `Charge` word.
    @param x The charge.
    @return uint256 The packed word.
    """
    assert x.charged_gwei <= GWEI_MASK, "loss_codec: charged_gwei out of range"
    assert x.pending_gwei <= GWEI_MASK, "loss_codec: pending_gwei out of range"
    assert x.checkpoint <= TIME_MASK, "loss_codec: checkpoint out of range"
    assert x.reported_at <= TIME_MASK, "loss_codec: reported_at out of range"
    assert x.reserved <= AMOUNT_MASK, "loss_codec: reserved out of range"
    return (
        x.charged_gwei
        | (x.pending_gwei << _PENDING_AT)
        | (x.checkpoint << _CHECKPOINT_AT)
        | (x.reported_at << _REPORTED_AT)
        | (x.reserved << _RESERVED_AT)
    )


@internal
@pure
def unpack_charge(word: uint256) -> Charge:
    """
    @dev Unpacks a `Charge` word.
    @param word The packed word.
    @return Charge The charge.
    """
    return Charge(
        charged_gwei=word & GWEI_MASK,
        pending_gwei=(word >> _PENDING_AT) & GWEI_MASK,
        checkpoint=(word >> _CHECKPOINT_AT) & TIME_MASK,
        reported_at=(word >> _REPORTED_AT) & TIME_MASK,
        reserved=word >> _RESERVED_AT,
    )
