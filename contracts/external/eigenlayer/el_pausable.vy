# pragma version ~=0.4.3
"""
@title EigenLayer pause bitmap
@custom:contract-name el_pausable
@license MIT
@notice EigenLayer's `Pausable` (src/contracts/permissions/Pausable.sol) for
        the AllocationManager and RewardsCoordinator stand-ins: a `uint256`
        bitmap, `paused(uint8 index)` is bit `index`, a paused function
        reverts `CurrentlyPaused()`.
@dev Simplified: one `pauserRegistry` address is itself the pauser and the
     unpauser (EigenLayer asks a PauserRegistry contract); `paused()` (the
     whole bitmap) is not exposed, since Vyper cannot overload `paused` with
     a different return type. `pause` and `unpause` keep EigenLayer's checks
     and events.
"""

# The address that may pause and unpause (EigenLayer: a PauserRegistry).
pauserRegistry: public(address)

# The bitmap: bit i set = function group i paused.
_paused: uint256


event Paused:
    account: indexed(address)
    newPausedStatus: uint256


event Unpaused:
    account: indexed(address)
    newPausedStatus: uint256


@deploy
def __init__(pauser: address, initial_paused_status: uint256):
    """
    @dev Sets the pauser and the initial bitmap.
    @param pauser The pauser and unpauser.
    @param initial_paused_status The initial bitmap.
    """
    self.pauserRegistry = pauser
    self._paused = initial_paused_status


@external
@view
def paused(index: uint8) -> bool:
    """
    @notice Whether the function group `index` is paused.
    @param index The bit of the bitmap.
    @return bool True when paused.
    """
    return self._is_paused(index)


@external
def pause(newPausedStatus: uint256):
    """
    @notice Pauses more function groups (never unpauses one).
    @dev The pauser only (`OnlyPauser()`); every set bit must stay set
         (`InvalidNewPausedStatus()`).
    @param newPausedStatus The new bitmap.
    """
    if msg.sender != self.pauserRegistry:
        raw_revert(method_id("OnlyPauser()", output_type=Bytes[4]))
    current: uint256 = self._paused
    if current & newPausedStatus != current:
        raw_revert(method_id("InvalidNewPausedStatus()", output_type=Bytes[4]))
    self._paused = newPausedStatus
    log Paused(account=msg.sender, newPausedStatus=newPausedStatus)


@external
def unpause(newPausedStatus: uint256):
    """
    @notice Unpauses function groups (never pauses one).
    @dev The unpauser only (`OnlyUnpauser()`); every clear bit must stay
         clear (`InvalidNewPausedStatus()`).
    @param newPausedStatus The new bitmap.
    """
    if msg.sender != self.pauserRegistry:
        raw_revert(method_id("OnlyUnpauser()", output_type=Bytes[4]))
    current: uint256 = self._paused
    if (~current) & (~newPausedStatus) != ~current:
        raw_revert(method_id("InvalidNewPausedStatus()", output_type=Bytes[4]))
    self._paused = newPausedStatus
    log Unpaused(account=msg.sender, newPausedStatus=newPausedStatus)


@internal
@view
def _is_paused(index: uint8) -> bool:
    """
    @dev Bit `index` of the bitmap.
    @param index The bit.
    @return bool True when set.
    """
    return (self._paused >> convert(index, uint256)) & 1 == 1


@internal
@view
def _require_not_paused(index: uint8):
    """
    @dev EigenLayer's `onlyWhenNotPaused(index)`: reverts `CurrentlyPaused()`.
    @param index The bit.
    """
    if self._is_paused(index):
        raw_revert(method_id("CurrentlyPaused()", output_type=Bytes[4]))
