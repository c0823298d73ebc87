# pragma version ~=0.4.3
"""
@title DelegationManager
@custom:contract-name DelegationManager
@license MIT
@notice Stand-in for EigenLayer's DelegationManager: operators register,
        stakers delegate their restaked stake to one operator at a time and
        may be undelegated by themselves or by their operator.
@dev As in EigenLayer, registering as an operator delegates the operator to
     itself, so an operator can neither delegate elsewhere nor be
     undelegated. No ETH moves here.
     Shares: `operator_shares(operator)` is the sum of the EigenPodManager
     shares (restaked beacon-chain ETH, wei) of the stakers delegated to it.
     A delegation moves the staker's current shares to the operator, an
     undelegation takes them back, and the EigenPodManager reports every later
     change of a staker's shares (`increase_delegated_shares` /
     `decrease_delegated_shares`).
"""

from ..interfaces.external import IDelegationManager
from ..interfaces.external import IEigenPodManager

implements: IDelegationManager

_EIGEN_POD_MANAGER: immutable(IEigenPodManager)

# operator => shares delegated to it (wei)
operator_shares: public(HashMap[address, uint256])

# staker => operator it is delegated to (empty when not delegated)
delegated_to: public(HashMap[address, address])
# operator => whether it is registered
is_operator: public(HashMap[address, bool])
# operator => its metadata URI (as last registered or updated)
operator_metadata_uri: public(HashMap[address, String[256]])


event OperatorRegistered:
    operator: indexed(address)


event OperatorMetadataURIUpdated:
    operator: indexed(address)
    metadata_uri: String[256]


event StakerDelegated:
    staker: indexed(address)
    operator: indexed(address)


event StakerUndelegated:
    staker: indexed(address)
    operator: indexed(address)
    caller: indexed(address)


event OperatorSharesIncreased:
    operator: indexed(address)
    staker: indexed(address)
    shares: uint256


event OperatorSharesDecreased:
    operator: indexed(address)
    staker: indexed(address)
    shares: uint256


@deploy
def __init__(eigen_pod_manager: address):
    """
    @notice Wires the delegation manager to the EigenPodManager whose shares it follows.
    @param eigen_pod_manager The EigenPodManager.
    """
    assert (
        eigen_pod_manager.is_contract
    ), "delegation_manager: eigen pod manager has no code"
    _EIGEN_POD_MANAGER = IEigenPodManager(eigen_pod_manager)


@external
def register_as_operator(metadata_uri: String[256]):
    """
    @notice Registers the caller as an operator (delegated to itself).
    @param metadata_uri A URI describing the operator.
    """
    assert not self.is_operator[
        msg.sender
    ], "delegation_manager: already an operator"
    assert self.delegated_to[msg.sender] == empty(
        address
    ), "delegation_manager: staker already delegated"
    self.is_operator[msg.sender] = True
    self.delegated_to[msg.sender] = msg.sender
    self.operator_metadata_uri[msg.sender] = metadata_uri
    log OperatorRegistered(operator=msg.sender)
    log OperatorMetadataURIUpdated(
        operator=msg.sender, metadata_uri=metadata_uri
    )
    log StakerDelegated(staker=msg.sender, operator=msg.sender)
    self._move_to(msg.sender, msg.sender)


@external
def update_operator_metadata_uri(metadata_uri: String[256]):
    """
    @notice Updates the caller's operator metadata URI.
    @param metadata_uri The new URI.
    """
    assert self.is_operator[msg.sender], "delegation_manager: not an operator"
    self.operator_metadata_uri[msg.sender] = metadata_uri
    log OperatorMetadataURIUpdated(
        operator=msg.sender, metadata_uri=metadata_uri
    )


@external
def delegate_to(operator: address):
    """
    @notice Delegates the caller's stake to a registered operator.
    @param operator The operator.
    """
    assert self.is_operator[
        operator
    ], "delegation_manager: operator not registered"
    assert self.delegated_to[msg.sender] == empty(
        address
    ), "delegation_manager: staker already delegated"
    self.delegated_to[msg.sender] = operator
    log StakerDelegated(staker=msg.sender, operator=operator)
    self._move_to(msg.sender, operator)


@external
def undelegate(staker: address):
    """
    @notice Ends a staker's delegation; called by the staker or its operator.
    @param staker The staker to undelegate.
    """
    operator: address = self.delegated_to[staker]
    assert operator != empty(
        address
    ), "delegation_manager: staker not delegated"
    assert not self.is_operator[
        staker
    ], "delegation_manager: operators cannot be undelegated"
    assert (
        msg.sender == staker or msg.sender == operator
    ), "delegation_manager: caller cannot undelegate staker"
    self.delegated_to[staker] = empty(address)
    log StakerUndelegated(staker=staker, operator=operator, caller=msg.sender)
    shares: uint256 = staticcall _EIGEN_POD_MANAGER.shares(staker)
    if shares != 0:
        self.operator_shares[operator] -= shares
        log OperatorSharesDecreased(
            operator=operator, staker=staker, shares=shares
        )


@external
@view
def is_delegated(staker: address) -> bool:
    """
    @notice Whether a staker (or operator) is delegated.
    @param staker The staker.
    @return bool True when delegated.
    """
    return self.delegated_to[staker] != empty(address)


@external
def increase_delegated_shares(staker: address, shares: uint256):
    """
    @notice Adds a staker's new shares to its operator's (nothing when not delegated).
    @dev EigenPodManager only, after it credited `shares` to `staker`.
    @param staker The staker whose shares grew.
    @param shares The increase (wei).
    """
    assert (
        msg.sender == _EIGEN_POD_MANAGER.address
    ), "delegation_manager: caller is not the eigen pod manager"
    operator: address = self.delegated_to[staker]
    if operator != empty(address):
        self.operator_shares[operator] += shares
        log OperatorSharesIncreased(
            operator=operator, staker=staker, shares=shares
        )


@external
def decrease_delegated_shares(staker: address, shares: uint256):
    """
    @notice Removes a staker's lost shares from its operator's (nothing when not delegated).
    @dev EigenPodManager only, after it removed `shares` from `staker`.
    @param staker The staker whose shares shrank.
    @param shares The decrease (wei).
    """
    assert (
        msg.sender == _EIGEN_POD_MANAGER.address
    ), "delegation_manager: caller is not the eigen pod manager"
    operator: address = self.delegated_to[staker]
    if operator != empty(address):
        self.operator_shares[operator] -= shares
        log OperatorSharesDecreased(
            operator=operator, staker=staker, shares=shares
        )


@external
@view
def eigen_pod_manager() -> address:
    """
    @notice The EigenPodManager whose shares this contract follows.
    @return address The EigenPodManager.
    """
    return _EIGEN_POD_MANAGER.address


@internal
def _move_to(staker: address, operator: address):
    """
    @dev Adds the staker's current shares to the operator's.
    @param staker The staker just delegated.
    @param operator Its operator.
    """
    shares: uint256 = staticcall _EIGEN_POD_MANAGER.shares(staker)
    if shares != 0:
        self.operator_shares[operator] += shares
        log OperatorSharesIncreased(
            operator=operator, staker=staker, shares=shares
        )
