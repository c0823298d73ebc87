# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title EigenPodManager
@custom:contract-name EigenPodManager
@license MIT
@notice Stand-in for EigenLayer's EigenPodManager: deploys one EigenPod per
        owner at a predictable address and stakes validators whose
        withdrawal credentials point at the owner's pod.
@dev Pods are EIP-1167 minimal proxies to `eigen_pod_implementation`,
     deployed with CREATE2 and salt = the owner's address as bytes32, so
     `get_pod(owner)` is known before the pod exists (like EigenLayer's
     `getPod`). Unlike EigenLayer's `EigenPod.stake` (exactly 32 ETH), a stake
     is any deposit of at least 1 ETH: the 1 ETH pre-deposit and its top-up.
     Restaking: pods prove their validators against EIP-4788 block roots
     (`beacon_roots`) and report balance changes here
     (`record_beacon_chain_eth_balance_update`); `shares(pod_owner)` is the
     owner's restaked beacon-chain ETH in wei, and the DelegationManager is
     told of every change so an operator's delegated shares follow.
     `verify_validator_fields` is the proof verifier (docs/protocol.md §9).
     Wiring: the DelegationManager is deployed after this contract (it reads
     `shares`), and the deployer sets it here once (`set_delegation_manager`);
     until then no shares can change.
"""

from ..lib import minimal_proxy
from ..lib import beacon_proofs
from ..interfaces.external import IDelegationManager
from ..interfaces.external import IDepositContract
from ..interfaces.external import IEigenPod
from ..interfaces.external import IEigenPodManager

implements: IEigenPodManager

MIN_STAKE_AMOUNT: constant(uint256) = 10**18

_DEPOSIT_CONTRACT: immutable(IDepositContract)
_EIGEN_POD_IMPLEMENTATION: immutable(address)
_BEACON_ROOTS: immutable(address)
_WITHDRAWAL_REQUESTS: immutable(address)
_DEPLOYER: immutable(address)

# The DelegationManager told of every share change (set once by the deployer).
delegation_manager: public(address)
# pod owner => restaked beacon-chain ETH (wei) proven by its pod
shares: public(HashMap[address, uint256])

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


event DelegationManagerSet:
    delegation_manager: indexed(address)


event PodSharesUpdated:
    pod_owner: indexed(address)
    eigen_pod: indexed(address)
    delta_wei: int256
    shares: uint256


@deploy
def __init__(
    deposit_contract: address,
    eigen_pod_implementation: address,
    beacon_roots: address,
    withdrawal_requests: address,
):
    """
    @notice Wires the manager to the beacon deposit contract, the pod
            implementation and the EIP-4788 / EIP-7002 system contracts.
    @param deposit_contract The beacon deposit contract.
    @param eigen_pod_implementation The EigenPod implementation the pods delegate to.
    @param beacon_roots The EIP-4788 beacon block root contract.
    @param withdrawal_requests The EIP-7002 withdrawal request contract.
    """
    assert (
        deposit_contract.is_contract
    ), "eigen_pod_manager: deposit contract has no code"
    assert (
        eigen_pod_implementation.is_contract
    ), "eigen_pod_manager: implementation has no code"
    assert (
        beacon_roots.is_contract
    ), "eigen_pod_manager: beacon roots has no code"
    assert (
        withdrawal_requests.is_contract
    ), "eigen_pod_manager: withdrawal requests has no code"
    _DEPOSIT_CONTRACT = IDepositContract(deposit_contract)
    _EIGEN_POD_IMPLEMENTATION = eigen_pod_implementation
    _BEACON_ROOTS = beacon_roots
    _WITHDRAWAL_REQUESTS = withdrawal_requests
    _DEPLOYER = msg.sender


@external
def set_delegation_manager(delegation_manager: address):
    """
    @notice Sets the DelegationManager that follows the shares; once, by the deployer.
    @param delegation_manager A DelegationManager whose `eigen_pod_manager()` is this contract.
    """
    assert (
        msg.sender == _DEPLOYER
    ), "eigen_pod_manager: caller is not the deployer"
    assert self.delegation_manager == empty(
        address
    ), "eigen_pod_manager: delegation manager already set"
    assert (
        delegation_manager.is_contract
    ), "eigen_pod_manager: delegation manager has no code"
    assert (
        staticcall IDelegationManager(delegation_manager).eigen_pod_manager()
        == self
    ), "eigen_pod_manager: delegation manager is not wired to this manager"
    self.delegation_manager = delegation_manager
    log DelegationManagerSet(delegation_manager=delegation_manager)


@external
def record_beacon_chain_eth_balance_update(
    pod_owner: address, delta_wei: int256
):
    """
    @notice Moves a pod owner's shares by a proven balance change, and the
            shares delegated to its operator with them.
    @dev Only the owner's own pod (deployed by this manager).
    @param pod_owner The pod's owner.
    @param delta_wei The change in wei (positive: restaked; negative: exited or lost).
    """
    pod: address = self._owner_to_pod[pod_owner]
    assert (
        pod != empty(address) and msg.sender == pod
    ), "eigen_pod_manager: caller is not the owner's pod"
    delegation: address = self.delegation_manager
    assert delegation != empty(
        address
    ), "eigen_pod_manager: delegation manager not set"
    new_shares: uint256 = 0
    if delta_wei >= 0:
        new_shares = self.shares[pod_owner] + convert(delta_wei, uint256)
    else:
        new_shares = self.shares[pod_owner] - convert(-delta_wei, uint256)
    self.shares[pod_owner] = new_shares
    log PodSharesUpdated(
        pod_owner=pod_owner,
        eigen_pod=pod,
        delta_wei=delta_wei,
        shares=new_shares,
    )
    if delta_wei > 0:
        extcall IDelegationManager(delegation).increase_delegated_shares(
            pod_owner, convert(delta_wei, uint256)
        )
    elif delta_wei < 0:
        extcall IDelegationManager(delegation).decrease_delegated_shares(
            pod_owner, convert(-delta_wei, uint256)
        )


@external
@view
def verify_validator_fields(
    block_root: bytes32, proof: beacon_proofs.ValidatorProof
) -> bool:
    """
    @notice Whether `proof` proves its validator's fields under `block_root`,
            a root of now: the state root at index 3 of the block header
            (3 nodes), the validator at its index of the state's validators
            list in the layout the fork schedule gives this block's
            timestamp (47 nodes for Electra and Fulu).
    @param block_root A beacon block root (e.g. from BeaconRoots).
    @param proof The validator proof (docs/protocol.md §9).
    @return bool True when both branches check; False on any changed byte,
            wrong index or another layout's length (a branch longer than
            70 nodes does not ABI-decode and reverts).
    """
    return beacon_proofs._verify_at(block_root, block.timestamp, proof)


@external
@view
def beacon_roots() -> address:
    """
    @notice The EIP-4788 beacon block root contract the pods read.
    @return address BeaconRoots (the predeploy on real networks).
    """
    return _BEACON_ROOTS


@external
@view
def withdrawal_requests() -> address:
    """
    @notice The EIP-7002 withdrawal request contract the pods send exits to.
    @return address WithdrawalRequests (the predeploy on real networks).
    """
    return _WITHDRAWAL_REQUESTS


@external
def create_pod() -> address:
    """
    @notice Deploys the caller's EigenPod.
    @return address The new pod (equal to `get_pod(msg.sender)` beforehand).
    """
    assert self._owner_to_pod[msg.sender] == empty(
        address
    ), "eigen_pod_manager: pod exists"
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
    # 1 ETH pre-deposits and their top-ups (docs/protocol.md §9); the deposit contract checks the rest.
    assert (
        msg.value >= MIN_STAKE_AMOUNT
    ), "eigen_pod_manager: must stake at least 1 ether"
    pod: address = self._owner_to_pod[msg.sender]
    if pod == empty(address):
        pod = self._deploy_pod(msg.sender)
    credentials: Bytes[32] = concat(
        x"01", empty(bytes11), convert(pod, bytes20)
    )
    log PodStaked(
        pod_owner=msg.sender, eigen_pod=pod, pubkey=pubkey, amount=msg.value
    )
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
    pod: address = create_minimal_proxy_to(
        _EIGEN_POD_IMPLEMENTATION, salt=convert(owner, bytes32)
    )
    self._owner_to_pod[owner] = pod
    log PodDeployed(eigen_pod=pod, pod_owner=owner)
    extcall IEigenPod(pod).initialize(owner)
    return pod
