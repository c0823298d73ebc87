# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title EigenPod
@custom:contract-name EigenPod
@license MIT
@notice Stand-in for EigenLayer's EigenPod: the contract a staker's validators
        withdraw to (its address is in their 0x01 withdrawal credentials). It
        receives beacon-chain withdrawals and rewards, and pays them out to its
        owner. It restakes its validators: a proof against an EIP-4788 beacon
        block root that a validator has this pod's credentials credits the
        validator's effective balance as the owner's shares in the
        EigenPodManager (which delegation carries to an operator); balance
        updates and the validator's exit are proven the same way. As the
        address in the credentials, it is also the one that can ask the
        EIP-7002 contract for the validator's exit.
@dev Used through EIP-1167 minimal proxies that `EigenPodManager` deploys with
     CREATE2 (salt = the owner's address as bytes32). A proxy starts with
     empty storage; `initialize` proves its caller is the deploying manager by
     recomputing the proxy's own CREATE2 address from (caller, owner,
     implementation), so no one else can initialize a pod, and the
     implementation itself can never be initialized. The implementation's
     address is an immutable, which proxies read from the implementation's
     code.
     Proofs (`beacon_proofs.ValidatorProof`, docs/protocol.md §9) are permissionless
     (anyone may submit them, as the data is authenticated by the beacon
     block root); each validator is restaked once and its exit proven once.
     A validator's record (index, restaked balance, last proof timestamp,
     status) is one packed word (`validator_codec`) keyed by its pubkey root
     `sha256(pubkey ‖ 16 zero bytes)`.
"""

from ..lib import minimal_proxy
from ..lib import beacon_proofs
from ..lib import validator_codec as vc
from ..interfaces.external import IEigenPod
from ..interfaces.external import IEigenPodManager

implements: IEigenPod

WEI_PER_GWEI: constant(uint256) = 10**9

_IMPLEMENTATION: immutable(address)

# The staker (in this suite: its StrategyModule) that may withdraw.
pod_owner: public(address)
# The manager that deployed and initialized this pod.
eigen_pod_manager: public(address)
# pubkey root => packed validator_codec.ValidatorInfo
_validators: HashMap[bytes32, uint256]


event PodInitialized:
    pod_owner: indexed(address)
    eigen_pod_manager: indexed(address)


event EthReceived:
    sender: indexed(address)
    amount: uint256


event Withdrawn:
    recipient: indexed(address)
    amount: uint256


event ValidatorRestaked:
    pubkey_root: indexed(bytes32)
    validator_index: uint64
    effective_balance_gwei: uint64
    beacon_timestamp: uint64


event ValidatorBalanceUpdated:
    pubkey_root: indexed(bytes32)
    validator_index: uint64
    old_balance_gwei: uint64
    new_balance_gwei: uint64
    beacon_timestamp: uint64


event ValidatorExited:
    pubkey_root: indexed(bytes32)
    validator_index: uint64
    exit_epoch: uint64
    removed_balance_gwei: uint64
    beacon_timestamp: uint64


event WithdrawalRequested:
    pubkey: Bytes[48]
    amount_gwei: uint64
    fee: uint256


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
    assert self.eigen_pod_manager == empty(
        address
    ), "eigen_pod: already initialized"
    assert owner != empty(address), "eigen_pod: zero owner"
    assert (
        minimal_proxy._predict_address(
            _IMPLEMENTATION, convert(owner, bytes32), msg.sender
        )
        == self
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


@external
def verify_withdrawal_credentials(
    beacon_timestamp: uint64, proof: beacon_proofs.ValidatorProof
):
    """
    @notice Restakes a validator: proves, against the EIP-4788 block root of
            `beacon_timestamp`, that it has this pod's withdrawal credentials
            and is not exiting, and credits its effective balance (gwei to
            wei) as shares of the pod owner in the EigenPodManager. Anyone
            may call it; each validator once.
    @param beacon_timestamp The timestamp whose parent beacon block root
           (BeaconRoots) the proof is against.
    @param proof The validator proof (docs/protocol.md §9).
    """
    fields: bytes32[8] = proof.validator_fields
    pubkey_root: bytes32 = fields[beacon_proofs.PUBKEY_FIELD]
    info: vc.ValidatorInfo = vc._unpack(self._validators[pubkey_root])
    assert (
        info.status == vc.STATUS_INACTIVE
    ), "eigen_pod: validator already restaked"
    self._verify(beacon_timestamp, proof)
    assert (
        beacon_proofs._withdrawal_credentials(fields) == self._credentials()
    ), "eigen_pod: wrong withdrawal credentials"
    assert (
        beacon_proofs._exit_epoch(fields) == beacon_proofs.FAR_FUTURE_EPOCH
    ), "eigen_pod: validator is exiting"
    balance: uint64 = beacon_proofs._effective_balance_gwei(fields)
    self._validators[pubkey_root] = vc._pack(
        vc.ValidatorInfo(
            validator_index=convert(proof.validator_index, uint256),
            restaked_balance_gwei=convert(balance, uint256),
            last_timestamp=convert(beacon_timestamp, uint256),
            status=vc.STATUS_ACTIVE,
        )
    )
    log ValidatorRestaked(
        pubkey_root=pubkey_root,
        validator_index=proof.validator_index,
        effective_balance_gwei=balance,
        beacon_timestamp=beacon_timestamp,
    )
    extcall IEigenPodManager(
        self.eigen_pod_manager
    ).record_beacon_chain_eth_balance_update(
        self.pod_owner,
        convert(convert(balance, uint256) * WEI_PER_GWEI, int256),
    )


@external
def verify_balance_update(
    beacon_timestamp: uint64, proof: beacon_proofs.ValidatorProof
):
    """
    @notice Re-proves a restaked validator's effective balance (e.g. after a
            top-up, rewards or a penalty) and moves the owner's shares by
            the difference. Anyone may call it, with a proof newer than the
            validator's last one.
    @param beacon_timestamp The timestamp of the block root the proof is against.
    @param proof The validator proof (same validator index as restaked).
    """
    fields: bytes32[8] = proof.validator_fields
    pubkey_root: bytes32 = fields[beacon_proofs.PUBKEY_FIELD]
    info: vc.ValidatorInfo = vc._unpack(self._validators[pubkey_root])
    assert info.status == vc.STATUS_ACTIVE, "eigen_pod: validator not active"
    assert info.validator_index == convert(
        proof.validator_index, uint256
    ), "eigen_pod: wrong validator index"
    assert (
        convert(beacon_timestamp, uint256) > info.last_timestamp
    ), "eigen_pod: proof not newer"
    self._verify(beacon_timestamp, proof)
    assert (
        beacon_proofs._exit_epoch(fields) == beacon_proofs.FAR_FUTURE_EPOCH
    ), "eigen_pod: validator is exiting"
    old_balance: uint256 = info.restaked_balance_gwei
    new_balance: uint256 = convert(
        beacon_proofs._effective_balance_gwei(fields), uint256
    )
    info.restaked_balance_gwei = new_balance
    info.last_timestamp = convert(beacon_timestamp, uint256)
    self._validators[pubkey_root] = vc._pack(info)
    log ValidatorBalanceUpdated(
        pubkey_root=pubkey_root,
        validator_index=proof.validator_index,
        old_balance_gwei=convert(old_balance, uint64),
        new_balance_gwei=convert(new_balance, uint64),
        beacon_timestamp=beacon_timestamp,
    )
    if new_balance != old_balance:
        extcall IEigenPodManager(
            self.eigen_pod_manager
        ).record_beacon_chain_eth_balance_update(
            self.pod_owner,
            (convert(new_balance, int256) - convert(old_balance, int256))
            * convert(WEI_PER_GWEI, int256),
        )


@external
def verify_exit(beacon_timestamp: uint64, proof: beacon_proofs.ValidatorProof):
    """
    @notice Proves that a restaked validator's exit has been initiated (its
            exit epoch is set): its restaked balance stops counting as the
            owner's shares (and the delegated operator's). Anyone may call
            it; once per validator. The ETH itself arrives later as a plain
            balance increase of this pod (`withdraw` pays it out).
    @param beacon_timestamp The timestamp of the block root the proof is against.
    @param proof The validator proof (same validator index as restaked).
    """
    fields: bytes32[8] = proof.validator_fields
    pubkey_root: bytes32 = fields[beacon_proofs.PUBKEY_FIELD]
    info: vc.ValidatorInfo = vc._unpack(self._validators[pubkey_root])
    assert info.status == vc.STATUS_ACTIVE, "eigen_pod: validator not active"
    assert info.validator_index == convert(
        proof.validator_index, uint256
    ), "eigen_pod: wrong validator index"
    self._verify(beacon_timestamp, proof)
    exit_epoch: uint64 = beacon_proofs._exit_epoch(fields)
    assert (
        exit_epoch != beacon_proofs.FAR_FUTURE_EPOCH
    ), "eigen_pod: validator not exiting"
    removed: uint256 = info.restaked_balance_gwei
    info.restaked_balance_gwei = 0
    info.last_timestamp = max(
        info.last_timestamp, convert(beacon_timestamp, uint256)
    )
    info.status = vc.STATUS_WITHDRAWN
    self._validators[pubkey_root] = vc._pack(info)
    log ValidatorExited(
        pubkey_root=pubkey_root,
        validator_index=proof.validator_index,
        exit_epoch=exit_epoch,
        removed_balance_gwei=convert(removed, uint64),
        beacon_timestamp=beacon_timestamp,
    )
    if removed != 0:
        extcall IEigenPodManager(
            self.eigen_pod_manager
        ).record_beacon_chain_eth_balance_update(
            self.pod_owner, -convert(removed * WEI_PER_GWEI, int256)
        )


@external
@payable
def request_withdrawal(pubkey: Bytes[48], amount_gwei: uint64) -> uint256:
    """
    @notice Asks the EIP-7002 contract for a withdrawal of one of this pod's
            validators: `amount_gwei` = 0 is a full exit. The pod is the
            request's source, as the beacon chain requires (the address in
            the validator's credentials). Pays the current fee out of
            `msg.value` and returns the rest to the caller.
    @dev Pod owner only. The fee is constant within a block (EIP-7002 updates
         it at the end of the block).
    @param pubkey The validator's BLS public key (48 bytes).
    @param amount_gwei The amount to withdraw in gwei (0: full exit).
    @return uint256 The fee paid (wei).
    """
    assert (
        msg.sender == self.pod_owner
    ), "eigen_pod: caller is not the pod owner"
    assert len(pubkey) == 48, "eigen_pod: pubkey must be 48 bytes"
    requests: address = staticcall IEigenPodManager(
        self.eigen_pod_manager
    ).withdrawal_requests()
    fee: uint256 = convert(
        raw_call(requests, b"", max_outsize=32, is_static_call=True), uint256
    )
    assert msg.value >= fee, "eigen_pod: fee too low"
    log WithdrawalRequested(pubkey=pubkey, amount_gwei=amount_gwei, fee=fee)
    raw_call(requests, concat(pubkey, convert(amount_gwei, bytes8)), value=fee)
    if msg.value > fee:
        raw_call(msg.sender, b"", value=msg.value - fee)
    return fee


@external
@view
def validator_info(pubkey_root: bytes32) -> vc.ValidatorInfo:
    """
    @notice A validator's record in this pod.
    @param pubkey_root sha256(pubkey ‖ 16 zero bytes).
    @return ValidatorInfo index, restaked balance (gwei), last proof timestamp, status (0 inactive, 1 active, 2 withdrawn).
    """
    return vc._unpack(self._validators[pubkey_root])


@external
@view
def validator_status(pubkey_root: bytes32) -> uint256:
    """
    @notice A validator's status in this pod.
    @param pubkey_root sha256(pubkey ‖ 16 zero bytes).
    @return uint256 0 inactive (never restaked), 1 active, 2 withdrawn (exit proven).
    """
    return vc._unpack(self._validators[pubkey_root]).status


@internal
@view
def _credentials() -> bytes32:
    """
    @dev 0x01 ‖ 11 zero bytes ‖ this pod's address.
    @return bytes32 The credentials.
    """
    return convert(
        concat(x"01", empty(bytes11), convert(self, bytes20)), bytes32
    )


@internal
@view
def _verify(beacon_timestamp: uint64, proof: beacon_proofs.ValidatorProof):
    """
    @dev Reverts unless `proof` checks against the EIP-4788 root of `beacon_timestamp`.
    @param beacon_timestamp The timestamp to read the root of.
    @param proof The validator proof.
    """
    beacon_roots: address = staticcall IEigenPodManager(
        self.eigen_pod_manager
    ).beacon_roots()
    ok: bool = False
    out: Bytes[32] = b""
    ok, out = raw_call(
        beacon_roots,
        abi_encode(convert(beacon_timestamp, uint256)),
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    assert ok and len(out) == 32, "eigen_pod: unknown beacon root"
    assert beacon_proofs._verify_at(
        convert(out, bytes32), convert(beacon_timestamp, uint256), proof
    ), "eigen_pod: invalid proof"
