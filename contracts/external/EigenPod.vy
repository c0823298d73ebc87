# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title EigenPod
@notice Stand-in for EigenLayer's EigenPod: the contract a staker's validators
        withdraw to (its address is in their 0x01 withdrawal credentials). It
        receives beacon-chain withdrawals and rewards, and pays them out to its
        owner.
@dev Used through EIP-1167 minimal proxies that `EigenPodManager` deploys with
     CREATE2 (salt = the owner's address as bytes32). A proxy starts with
     empty storage; `initialize` proves its caller is the deploying manager by
     recomputing the proxy's own CREATE2 address from (caller, owner,
     implementation), so no one else can initialize a pod, and the
     implementation itself can never be initialized. The implementation's
     address is an immutable, which proxies read from the implementation's
     code.
"""

from ..lib import minimal_proxy
from ..interfaces.external import IEigenPod

implements: IEigenPod

_IMPLEMENTATION: immutable(address)

# The staker (in this suite: its StrategyModule) that may withdraw.
pod_owner: public(address)
# The manager that deployed and initialized this pod.
eigen_pod_manager: public(address)


event PodInitialized:
    pod_owner: indexed(address)
    eigen_pod_manager: indexed(address)


event EthReceived:
    sender: indexed(address)
    amount: uint256


event Withdrawn:
    recipient: indexed(address)
    amount: uint256


@deploy
def __init__():
    """
    @notice Deploys the implementation the pods' proxies delegate to.
    """
    _IMPLEMENTATION = self


@external
@payable
def __default__():
    """
    @notice Receives beacon-chain withdrawals, rewards and any other ETH.
    """
    log EthReceived(sender=msg.sender, amount=msg.value)


@external
def initialize(owner: address):
    """
    @notice Sets the pod's owner; once, by the manager that deployed the pod.
    @dev Reverts unless `self` is the CREATE2 address of a minimal proxy to
         this implementation deployed by `msg.sender` with salt `owner`.
    @param owner The pod owner.
    """
    assert self.eigen_pod_manager == empty(address), "eigen_pod: already initialized"
    assert owner != empty(address), "eigen_pod: zero owner"
    assert (
        minimal_proxy._predict_address(_IMPLEMENTATION, convert(owner, bytes32), msg.sender) == self
    ), "eigen_pod: caller is not the manager"
    self.pod_owner = owner
    self.eigen_pod_manager = msg.sender
    log PodInitialized(pod_owner=owner, eigen_pod_manager=msg.sender)


@external
def withdraw(amount: uint256):
    """
    @notice Sends `amount` wei of the pod's balance to its owner.
    @dev Only the pod owner; the owner receives all remaining gas (no stipend).
    @param amount The amount in wei.
    """
    owner: address = self.pod_owner
    assert msg.sender == owner, "eigen_pod: caller is not the pod owner"
    assert amount <= self.balance, "eigen_pod: amount exceeds balance"
    log Withdrawn(recipient=owner, amount=amount)
    raw_call(owner, b"", value=amount)


@external
@view
def withdrawal_credentials() -> Bytes[32]:
    """
    @notice The withdrawal credentials of this pod's validators.
    @return Bytes[32] 0x01 ‖ 11 zero bytes ‖ this pod's address.
    """
    return concat(x"01", empty(bytes11), convert(self, bytes20))


@external
@view
def implementation() -> address:
    """
    @notice The implementation contract the pods delegate to.
    @return address The implementation's address.
    """
    return _IMPLEMENTATION
