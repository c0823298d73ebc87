# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title EigenPodManager
@notice Stand-in for EigenLayer's EigenPodManager: deploys one EigenPod per
        owner at a predictable address and stakes validators whose
        withdrawal credentials point at the owner's pod.
@dev Pods are EIP-1167 minimal proxies to `eigen_pod_implementation`,
     deployed with CREATE2 and salt = the owner's address as bytes32, so
     `get_pod(owner)` is known before the pod exists (like EigenLayer's
     `getPod`). Unlike EigenLayer's `EigenPod.stake` (exactly 32 ETH), a stake
     is any deposit of at least 1 ETH: the 1 ETH pre-deposit and its top-up.
"""

from ..lib import minimal_proxy
from ..interfaces.external import IDepositContract
from ..interfaces.external import IEigenPod
from ..interfaces.external import IEigenPodManager

implements: IEigenPodManager

MIN_STAKE_AMOUNT: constant(uint256) = 10**18

_DEPOSIT_CONTRACT: immutable(IDepositContract)
_EIGEN_POD_IMPLEMENTATION: immutable(address)

# owner => its deployed pod (empty until deployed)
_owner_to_pod: HashMap[address, address]


event PodDeployed:
    eigen_pod: indexed(address)
    pod_owner: indexed(address)


event PodStaked:
    pod_owner: indexed(address)
    eigen_pod: indexed(address)
    pubkey: Bytes[48]
    amount: uint256


@deploy
def __init__(deposit_contract: address, eigen_pod_implementation: address):
    """
    @notice Wires the manager to the beacon deposit contract and the pod implementation.
    @param deposit_contract The beacon deposit contract.
    @param eigen_pod_implementation The EigenPod implementation the pods delegate to.
    """
    assert deposit_contract.is_contract, "eigen_pod_manager: deposit contract has no code"
    assert eigen_pod_implementation.is_contract, "eigen_pod_manager: implementation has no code"
    _DEPOSIT_CONTRACT = IDepositContract(deposit_contract)
    _EIGEN_POD_IMPLEMENTATION = eigen_pod_implementation


@external
def create_pod() -> address:
    """
    @notice Deploys the caller's EigenPod.
    @return address The new pod (equal to `get_pod(msg.sender)` beforehand).
    """
    assert self._owner_to_pod[msg.sender] == empty(address), "eigen_pod_manager: pod exists"
    return self._deploy_pod(msg.sender)


@external
@payable
def stake(pubkey: Bytes[48], signature: Bytes[96], deposit_data_root: bytes32):
    """
    @notice Deposits a 32 ETH validator whose withdrawal credentials are the
            caller's pod; deploys the pod on first use.
    @dev The deposit data must be signed over the credentials
         0x01 ‖ 11 zero bytes ‖ get_pod(msg.sender); the deposit contract
         checks `deposit_data_root`.
    @param pubkey The validator's BLS public key (48 bytes).
    @param signature The BLS signature of the deposit message (96 bytes).
    @param deposit_data_root The SSZ hash tree root of the DepositData.
    """
    # 1 ETH pre-deposits and their top-ups (PROTOCOL §9); the deposit contract checks the rest.
    assert msg.value >= MIN_STAKE_AMOUNT, "eigen_pod_manager: must stake at least 1 ether"
    pod: address = self._owner_to_pod[msg.sender]
    if pod == empty(address):
        pod = self._deploy_pod(msg.sender)
    credentials: Bytes[32] = concat(x"01", empty(bytes11), convert(pod, bytes20))
    log PodStaked(pod_owner=msg.sender, eigen_pod=pod, pubkey=pubkey, amount=msg.value)
    extcall _DEPOSIT_CONTRACT.deposit(
        pubkey, credentials, signature, deposit_data_root, value=msg.value
    )


@external
@view
def get_pod(owner: address) -> address:
    """
    @notice The owner's pod: deployed, or the address it will be deployed at.
    @param owner The pod owner.
    @return address The pod's address.
    """
    pod: address = self._owner_to_pod[owner]
    if pod == empty(address):
        return minimal_proxy._predict_address(
            _EIGEN_POD_IMPLEMENTATION, convert(owner, bytes32), self
        )
    return pod


@external
@view
def has_pod(owner: address) -> bool:
    """
    @notice Whether the owner's pod has been deployed.
    @param owner The pod owner.
    @return bool True once deployed.
    """
    return self._owner_to_pod[owner] != empty(address)


@external
@view
def deposit_contract() -> address:
    """
    @notice The beacon deposit contract stakes go to.
    @return address The deposit contract.
    """
    return _DEPOSIT_CONTRACT.address


@external
@view
def eigen_pod_implementation() -> address:
    """
    @notice The implementation the pods' minimal proxies delegate to.
    @return address The EigenPod implementation.
    """
    return _EIGEN_POD_IMPLEMENTATION


@internal
def _deploy_pod(owner: address) -> address:
    """
    @dev Deploys and initializes `owner`'s pod with CREATE2 (salt = owner).
    @param owner The pod owner.
    @return address The pod.
    """
    pod: address = create_minimal_proxy_to(_EIGEN_POD_IMPLEMENTATION, salt=convert(owner, bytes32))
    self._owner_to_pod[owner] = pod
    log PodDeployed(eigen_pod=pod, pod_owner=owner)
    extcall IEigenPod(pod).initialize(owner)
    return pod
