# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title EigenPod
@custom:contract-name EigenPod
@license MIT
@notice Stand-in for EigenLayer v1.12's EigenPod (EIGENLAYER.md §2.2): the
        withdrawal-credential target of a pod owner's validators. It
        restakes them by proof (`verifyWithdrawalCredentials`), checkpoints
        their balances and the ETH in the pod (`startCheckpoint`,
        `verifyCheckpointProofs`, `verifyStaleBalance`), sends EIP-7002
        requests, and pays checkpointed ETH out on the EigenPodManager's
        order. Names, argument tuples, events and custom errors (in
        EigenLayer's check order) are EigenLayer's.
@dev Used through EIP-1167 minimal proxies the EigenPodManager deploys with
     CREATE2 (EigenLayer: BeaconProxies); the implementation's immutables
     are read by every proxy. On real chains the 4788 / 7002 addresses are
     fixed predeploys; here they are immutables, because in-process the
     project deploys their stand-ins at ordinary addresses.
     Deviations from EigenLayer: `validatorStatus(bytes)` is missing (Vyper
     has no overloading; `validatorStatus(bytes32)` is kept), and so are
     `requestConsolidation`, `getConsolidationRequestFee` (no EIP-7251
     stand-in exists) and `recoverTokens` (no ERC-20 here); pubkeys are
     `Bytes[48]`, so a longer one fails ABI decoding instead of reverting
     `InvalidPubKeyLength()`; the proof arrays are bounded (8 validators,
     `eigen_proofs` byte bounds).
"""

from ...lib import eigen_proofs
from ...lib import constants as c
from ...interfaces.external import IDepositContract
from ...interfaces.external.eigenlayer import IEigenPod
from ...interfaces.external.eigenlayer import IEigenPodManager

implements: IEigenPod

# @dev EigenLayer's VALIDATOR_STATUS.
STATUS_INACTIVE: constant(uint8) = 0
STATUS_ACTIVE: constant(uint8) = 1
STATUS_WITHDRAWN: constant(uint8) = 2
# @dev EigenLayer's EigenPodPausingConstants (flags of the EPM's bitmap).
PAUSED_EIGENPODS_VERIFY_CREDENTIALS: constant(uint8) = 2
PAUSED_START_CHECKPOINT: constant(uint8) = 6
PAUSED_EIGENPODS_VERIFY_CHECKPOINT_PROOFS: constant(uint8) = 7
PAUSED_VERIFY_STALE_BALANCE: constant(uint8) = 8
PAUSED_WITHDRAWAL_REQUESTS: constant(uint8) = 10
# @dev EIP-4788's HISTORY_BUFFER_LENGTH and the slot time it assumes.
BEACON_ROOTS_HISTORY_BUFFER_LENGTH: constant(uint256) = 8191
SECONDS_PER_SLOT: constant(uint256) = 12
# @dev Bounds of the batches (validators per call).
MAX_BATCH: constant(uint256) = 8

ethPOS: public(immutable(address))
eigenPodManager: public(immutable(address))
_BEACON_ROOTS: immutable(address)
_WITHDRAWAL_REQUESTS: immutable(address)

# The pod's owner (empty until initialized).
podOwner: public(reentrant(address))
# ETH in the pod already credited as shares (gwei): the withdrawable part.
_restaked_execution_layer_gwei: uint64
# pubkey hash => the validator's record
_validator_info: HashMap[bytes32, IEigenPod.ValidatorInfo]
# Pod-active validators.
activeValidatorCount: public(reentrant(uint256))
# The last finalised checkpoint's timestamp.
lastCheckpointTimestamp: public(reentrant(uint64))
# The open checkpoint's timestamp (0: none open).
currentCheckpointTimestamp: public(reentrant(uint64))
# checkpoint timestamp => balance (gwei) of validators proven exited in it
checkpointBalanceExitedGwei: public(reentrant(HashMap[uint64, uint64]))
# The open checkpoint (the last one when none is open).
_current_checkpoint: IEigenPod.Checkpoint
# May prove and request besides the owner.
proofSubmitter: public(reentrant(address))
# Set once by `initialize` (and in the implementation's constructor).
_initialized: bool


event Initialized:
    version: uint8


event EigenPodStaked:
    pubkeyHash: bytes32


event ProofSubmitterUpdated:
    prevProofSubmitter: address
    newProofSubmitter: address


event ValidatorRestaked:
    pubkeyHash: bytes32


event ValidatorBalanceUpdated:
    pubkeyHash: bytes32
    balanceTimestamp: uint64
    newValidatorBalanceGwei: uint64


event RestakedBeaconChainETHWithdrawn:
    recipient: indexed(address)
    amount: uint256


event NonBeaconChainETHReceived:
    amountReceived: uint256


event CheckpointCreated:
    checkpointTimestamp: indexed(uint64)
    beaconBlockRoot: indexed(bytes32)
    validatorCount: uint256


event CheckpointFinalized:
    checkpointTimestamp: indexed(uint64)
    totalShareDeltaWei: int256


event ValidatorCheckpointed:
    checkpointTimestamp: indexed(uint64)
    pubkeyHash: indexed(bytes32)


event ValidatorWithdrawn:
    checkpointTimestamp: indexed(uint64)
    pubkeyHash: indexed(bytes32)


event ExitRequested:
    validatorPubkeyHash: indexed(bytes32)


event WithdrawalRequested:
    validatorPubkeyHash: indexed(bytes32)
    withdrawalAmountGwei: uint64


@deploy
def __init__(
    ethPOS_: address,
    eigenPodManager_: address,
    beaconRoots: address,
    withdrawalRequests: address,
):
    """
    @notice Deploys the implementation the pods' proxies delegate to.
    @dev The implementation itself can never be initialized (EigenLayer's
         `_disableInitializers`); proxies start with empty storage.
    @param ethPOS_ The beacon deposit contract.
    @param eigenPodManager_ The EigenPodManager (the only caller of
           `initialize`, `stake` and `withdrawRestakedBeaconChainETH`).
    @param beaconRoots The EIP-4788 contract (a predeploy on real chains).
    @param withdrawalRequests The EIP-7002 contract (a predeploy on real chains).
    """
    ethPOS = ethPOS_
    eigenPodManager = eigenPodManager_
    _BEACON_ROOTS = beaconRoots
    _WITHDRAWAL_REQUESTS = withdrawalRequests
    self._initialized = True


@external
@payable
@reentrant
def __default__():
    """
    @notice EigenLayer's `receive()`: any ETH sent with a call is counted at
            the next checkpoint (beacon-chain withdrawals arrive without a
            call and emit nothing).
    """
    log NonBeaconChainETHReceived(amountReceived=msg.value)


@external
def initialize(owner: address):
    """
    @notice Sets the pod's owner; once, by the EigenPodManager.
    @dev Reverts `OnlyEigenPodManager()` for any other caller (EigenLayer
         relies on deploying and initializing in one transaction),
         `InputAddressZero()` for a zero owner.
    @param owner The pod owner.
    """
    self._only_eigen_pod_manager()
    assert (
        not self._initialized
    ), "Initializable: contract is already initialized"
    if owner == empty(address):
        raw_revert(method_id("InputAddressZero()", output_type=Bytes[4]))
    self._initialized = True
    self.podOwner = owner
    log Initialized(version=1)


@external
@payable
def stake(pubkey: Bytes[48], signature: Bytes[96], depositDataRoot: bytes32):
    """
    @notice Deposits exactly 32 ETH with this pod's 0x01 credentials.
    @dev EigenPodManager only; `MsgValueNot32ETH()` for any other amount.
    @param pubkey The validator's BLS public key.
    @param signature The deposit signature.
    @param depositDataRoot The deposit data root.
    """
    self._only_eigen_pod_manager()
    if msg.value != c.STAKE_AMOUNT:
        raw_revert(method_id("MsgValueNot32ETH()", output_type=Bytes[4]))
    extcall IDepositContract(ethPOS).deposit(
        pubkey,
        self._credentials(0x01),
        signature,
        depositDataRoot,
        value=c.STAKE_AMOUNT,
    )
    log EigenPodStaked(pubkeyHash=self._calc_pubkey_hash(pubkey))


@external
def verifyWithdrawalCredentials(
    beaconTimestamp: uint64,
    stateRootProof: eigen_proofs.StateRootProof,
    validatorIndices: DynArray[uint40, MAX_BATCH],
    validatorFieldsProofs: DynArray[
        Bytes[eigen_proofs.MAX_VALIDATOR_PROOF], MAX_BATCH
    ],
    validatorFields: DynArray[
        DynArray[bytes32, eigen_proofs.MAX_VALIDATOR_FIELDS], MAX_BATCH
    ],
):
    """
    @notice Restakes validators with this pod's 0x01/0x02 credentials and an
            activation epoch: credits their effective balances as shares.
    @dev Pod owner or proof submitter; not paused(2). Checks in EigenLayer's
         order (EIGENLAYER.md §2.2.1).
    @param beaconTimestamp The 4788 timestamp the proofs are against.
    @param stateRootProof The state root and its branch to the block root.
    @param validatorIndices The validators' indices.
    @param validatorFieldsProofs Each validator's branch to the state root.
    @param validatorFields Each validator's 8 fields.
    """
    self._only_owner_or_proof_submitter()
    self._only_when_not_paused(PAUSED_EIGENPODS_VERIFY_CREDENTIALS)
    count: uint256 = len(validatorIndices)
    if count != len(validatorFieldsProofs) or count != len(validatorFields):
        raw_revert(
            method_id("InputArrayLengthMismatch()", output_type=Bytes[4])
        )
    if beaconTimestamp <= self.currentCheckpointTimestamp:
        raw_revert(
            method_id("BeaconTimestampTooFarInPast()", output_type=Bytes[4])
        )
    if beaconTimestamp <= self.lastCheckpointTimestamp:
        raw_revert(
            method_id(
                "BeaconTimestampBeforeLatestCheckpoint()", output_type=Bytes[4]
            )
        )
    eigen_proofs._verify_state_root(
        self._get_parent_block_root(beaconTimestamp), stateRootProof
    )
    total_gwei: uint256 = 0
    for i: uint256 in range(MAX_BATCH):
        if i == count:
            break
        total_gwei += convert(
            self._verify_withdrawal_credentials(
                beaconTimestamp,
                stateRootProof.beaconStateRoot,
                validatorIndices[i],
                validatorFieldsProofs[i],
                validatorFields[i],
            ),
            uint256,
        )
    extcall IEigenPodManager(eigenPodManager).recordBeaconChainETHBalanceUpdate(
        self.podOwner, 0, convert(total_gwei * c.WEI_PER_GWEI, int256)
    )


@external
def startCheckpoint(revertIfNoBalance: bool):
    """
    @notice Starts a checkpoint of the pod's balance and active validators.
    @dev Pod owner or proof submitter; not paused(6).
    @param revertIfNoBalance Revert `NoBalanceToCheckpoint()` when no new
           ETH is in the pod.
    """
    self._only_owner_or_proof_submitter()
    self._only_when_not_paused(PAUSED_START_CHECKPOINT)
    self._start_checkpoint(revertIfNoBalance)


@external
def verifyCheckpointProofs(
    balanceContainerProof: eigen_proofs.BalanceContainerProof,
    proofs: DynArray[eigen_proofs.BalanceProof, MAX_BATCH],
):
    """
    @notice Proves active validators' current balances for the open
            checkpoint; finalises it with the last one.
    @dev Anyone; not paused(7). Validators not ACTIVE or already proven for
         this checkpoint are skipped silently.
    @param balanceContainerProof The balances root against the checkpoint's block root.
    @param proofs One balance proof per validator.
    """
    self._only_when_not_paused(PAUSED_EIGENPODS_VERIFY_CHECKPOINT_PROOFS)
    checkpoint_timestamp: uint64 = self.currentCheckpointTimestamp
    if checkpoint_timestamp == 0:
        raw_revert(method_id("NoActiveCheckpoint()", output_type=Bytes[4]))
    checkpoint: IEigenPod.Checkpoint = self._current_checkpoint
    eigen_proofs._verify_balance_container(
        self._get_proof_version(checkpoint_timestamp),
        checkpoint.beaconBlockRoot,
        balanceContainerProof,
    )
    exited_gwei: uint64 = 0
    for proof: eigen_proofs.BalanceProof in proofs:
        info: IEigenPod.ValidatorInfo = self._validator_info[proof.pubkeyHash]
        if info.status != STATUS_ACTIVE:
            continue
        if info.lastCheckpointedAt >= checkpoint_timestamp:
            continue
        prev_gwei: uint64 = info.restakedBalanceGwei
        new_gwei: uint64 = eigen_proofs._verify_validator_balance(
            balanceContainerProof.balanceContainerRoot,
            convert(info.validatorIndex, uint40),
            proof,
        )
        if new_gwei != prev_gwei:
            log ValidatorBalanceUpdated(
                pubkeyHash=proof.pubkeyHash,
                balanceTimestamp=checkpoint_timestamp,
                newValidatorBalanceGwei=new_gwei,
            )
        info.restakedBalanceGwei = new_gwei
        info.lastCheckpointedAt = checkpoint_timestamp
        if new_gwei == 0:
            self.activeValidatorCount -= 1
            info.status = STATUS_WITHDRAWN
            exited_gwei += prev_gwei
            log ValidatorWithdrawn(
                checkpointTimestamp=checkpoint_timestamp,
                pubkeyHash=proof.pubkeyHash,
            )
        checkpoint.proofsRemaining -= 1
        checkpoint.prevBeaconBalanceGwei += prev_gwei
        checkpoint.balanceDeltasGwei += convert(new_gwei, int64) - convert(
            prev_gwei, int64
        )
        self._validator_info[proof.pubkeyHash] = info
        log ValidatorCheckpointed(
            checkpointTimestamp=checkpoint_timestamp,
            pubkeyHash=proof.pubkeyHash,
        )
    self.checkpointBalanceExitedGwei[checkpoint_timestamp] += exited_gwei
    self._update_checkpoint(checkpoint)


@external
def verifyStaleBalance(
    beaconTimestamp: uint64,
    stateRootProof: eigen_proofs.StateRootProof,
    proof: eigen_proofs.ValidatorProof,
):
    """
    @notice Starts a checkpoint for a pod-active validator proven slashed.
    @dev Anyone; not paused(6) nor paused(8). The stored validator index is
         the one proven (EIGENLAYER.md §2.2.4).
    @param beaconTimestamp The 4788 timestamp the proof is against.
    @param stateRootProof The state root and its branch to the block root.
    @param proof The slashed validator's fields and branch.
    """
    self._only_when_not_paused(PAUSED_START_CHECKPOINT)
    self._only_when_not_paused(PAUSED_VERIFY_STALE_BALANCE)
    info: IEigenPod.ValidatorInfo = self._validator_info[
        eigen_proofs._get_pubkey_hash(proof.validatorFields)
    ]
    if beaconTimestamp <= info.lastCheckpointedAt:
        raw_revert(
            method_id("BeaconTimestampTooFarInPast()", output_type=Bytes[4])
        )
    if info.status != STATUS_ACTIVE:
        raw_revert(method_id("ValidatorNotActiveInPod()", output_type=Bytes[4]))
    if not eigen_proofs._is_validator_slashed(proof.validatorFields):
        raw_revert(
            method_id(
                "ValidatorNotSlashedOnBeaconChain()", output_type=Bytes[4]
            )
        )
    eigen_proofs._verify_state_root(
        self._get_parent_block_root(beaconTimestamp), stateRootProof
    )
    eigen_proofs._verify_validator_fields(
        self._get_proof_version(beaconTimestamp),
        stateRootProof.beaconStateRoot,
        proof.validatorFields,
        proof.proof,
        convert(info.validatorIndex, uint40),
    )
    self._start_checkpoint(False)


@external
@payable
def requestWithdrawal(
    requests: DynArray[IEigenPod.WithdrawalRequest, MAX_BATCH]
):
    """
    @notice Sends EIP-7002 requests for pod-active validators, paying the fee
            per request; the excess goes back to the caller.
    @dev Pod owner or proof submitter; not paused(10). `InsufficientFunds()`
         below fee * n, `ValidatorNotActiveInPod()`, `PredeployFailed()`.
    @param requests The requests (amountGwei 0: a full exit).
    """
    self._only_owner_or_proof_submitter()
    self._only_when_not_paused(PAUSED_WITHDRAWAL_REQUESTS)
    fee: uint256 = self._get_withdrawal_request_fee()
    total: uint256 = fee * len(requests)
    if msg.value < total:
        raw_revert(method_id("InsufficientFunds()", output_type=Bytes[4]))
    for request: IEigenPod.WithdrawalRequest in requests:
        pubkey_hash: bytes32 = self._calc_pubkey_hash(request.pubkey)
        if self._validator_info[pubkey_hash].status != STATUS_ACTIVE:
            raw_revert(
                method_id("ValidatorNotActiveInPod()", output_type=Bytes[4])
            )
        ok: bool = raw_call(
            _WITHDRAWAL_REQUESTS,
            concat(request.pubkey, convert(request.amountGwei, bytes8)),
            value=fee,
            revert_on_failure=False,
        )
        if not ok:
            raw_revert(method_id("PredeployFailed()", output_type=Bytes[4]))
        if request.amountGwei == 0:
            log ExitRequested(validatorPubkeyHash=pubkey_hash)
        else:
            log WithdrawalRequested(
                validatorPubkeyHash=pubkey_hash,
                withdrawalAmountGwei=request.amountGwei,
            )
    if msg.value > total:
        self._send_value(msg.sender, msg.value - total)


@external
def setProofSubmitter(newProofSubmitter: address):
    """
    @notice Sets the address that may prove and request besides the owner.
    @dev Pod owner (`OnlyEigenPodOwner()`); no pause check; 0 allowed.
    @param newProofSubmitter The new proof submitter (0: none).
    """
    if msg.sender != self.podOwner:
        raw_revert(method_id("OnlyEigenPodOwner()", output_type=Bytes[4]))
    log ProofSubmitterUpdated(
        prevProofSubmitter=self.proofSubmitter,
        newProofSubmitter=newProofSubmitter,
    )
    self.proofSubmitter = newProofSubmitter


@external
def withdrawRestakedBeaconChainETH(recipient: address, amount: uint256):
    """
    @notice Sends checkpointed ETH (floored to gwei) to `recipient`.
    @dev EigenPodManager only. `InsufficientWithdrawableBalance()` above the
         checkpointed ETH; the sub-gwei part of `amount` is dropped.
    @param recipient The receiver (all gas forwarded; it must accept ETH).
    @param amount The amount in wei.
    """
    self._only_eigen_pod_manager()
    amount_gwei: uint256 = amount // c.WEI_PER_GWEI
    if amount_gwei > convert(self._restaked_execution_layer_gwei, uint256):
        raw_revert(
            method_id("InsufficientWithdrawableBalance()", output_type=Bytes[4])
        )
    self._restaked_execution_layer_gwei -= convert(amount_gwei, uint64)
    amount_wei: uint256 = amount_gwei * c.WEI_PER_GWEI
    log RestakedBeaconChainETHWithdrawn(recipient=recipient, amount=amount_wei)
    self._send_value(recipient, amount_wei)


@external
@view
@reentrant
def getWithdrawalRequestFee() -> uint256:
    """
    @notice The EIP-7002 fee of one request now (`FeeQueryFailed()` if the
            contract does not answer with 32 bytes).
    @return uint256 The fee in wei.
    """
    return self._get_withdrawal_request_fee()


@external
@view
@reentrant
def getParentBlockRoot(timestamp: uint64) -> bytes32:
    """
    @notice The EIP-4788 root stored for `timestamp`.
    @dev `TimestampOutOfRange()` outside the 8191-slot window, Panic(0x11)
         for a future timestamp, `InvalidEIP4788Response()` when the
         contract has no root for it.
    @param timestamp An execution block's timestamp within the window.
    @return bytes32 The parent beacon block root.
    """
    return self._get_parent_block_root(timestamp)


@external
@view
@reentrant
def validatorPubkeyHashToInfo(
    validatorPubkeyHash: bytes32,
) -> IEigenPod.ValidatorInfo:
    """
    @notice A validator's record in the pod.
    @param validatorPubkeyHash sha256(pubkey ‖ 16 zero bytes).
    @return IEigenPod.ValidatorInfo The record.
    """
    return self._validator_info[validatorPubkeyHash]


@external
@view
@reentrant
def validatorPubkeyToInfo(
    validatorPubkey: Bytes[48],
) -> IEigenPod.ValidatorInfo:
    """
    @notice A validator's record in the pod, by pubkey.
    @dev `InvalidPubKeyLength()` unless 48 bytes.
    @param validatorPubkey The BLS public key.
    @return IEigenPod.ValidatorInfo The record.
    """
    return self._validator_info[self._calc_pubkey_hash(validatorPubkey)]


@external
@view
@reentrant
def validatorStatus(validatorPubkeyHash: bytes32) -> uint8:
    """
    @notice A validator's status in the pod (0 INACTIVE, 1 ACTIVE, 2 WITHDRAWN).
    @dev EigenLayer's `validatorStatus(bytes32)`; the `(bytes)` overload is
         missing (Vyper has no overloading).
    @param validatorPubkeyHash sha256(pubkey ‖ 16 zero bytes).
    @return uint8 The status.
    """
    return self._validator_info[validatorPubkeyHash].status


@external
@view
@reentrant
def withdrawableRestakedExecutionLayerGwei() -> uint64:
    """
    @notice Checkpointed ETH in the pod, withdrawable through the queue.
    @return uint64 The amount in gwei.
    """
    return self._restaked_execution_layer_gwei


@external
@view
@reentrant
def currentCheckpoint() -> IEigenPod.Checkpoint:
    """
    @notice The open checkpoint (the last one when none is open).
    @return IEigenPod.Checkpoint The checkpoint.
    """
    return self._current_checkpoint


@internal
def _verify_withdrawal_credentials(
    beacon_timestamp: uint64,
    beacon_state_root: bytes32,
    validator_index: uint40,
    proof: Bytes[eigen_proofs.MAX_VALIDATOR_PROOF],
    fields: DynArray[bytes32, eigen_proofs.MAX_VALIDATOR_FIELDS],
) -> uint64:
    """
    @dev One validator of `verifyWithdrawalCredentials` (EigenLayer's
         `_verifyWithdrawalCredentials`), in its check order.
    @param beacon_timestamp The 4788 timestamp.
    @param beacon_state_root The proven state root.
    @param validator_index The validator's index.
    @param proof Its branch to the state root.
    @param fields Its fields.
    @return uint64 Its effective balance (gwei), now restaked.
    """
    pubkey_hash: bytes32 = eigen_proofs._get_pubkey_hash(fields)
    if self._validator_info[pubkey_hash].status != STATUS_INACTIVE:
        raw_revert(
            method_id("CredentialsAlreadyVerified()", output_type=Bytes[4])
        )
    if (
        eigen_proofs._get_activation_epoch(fields)
        == eigen_proofs.FAR_FUTURE_EPOCH
    ):
        raw_revert(
            method_id("ValidatorInactiveOnBeaconChain()", output_type=Bytes[4])
        )
    if eigen_proofs._get_exit_epoch(fields) != eigen_proofs.FAR_FUTURE_EPOCH:
        raw_revert(
            method_id("ValidatorIsExitingBeaconChain()", output_type=Bytes[4])
        )
    credentials: bytes32 = eigen_proofs._get_withdrawal_credentials(fields)
    if credentials != convert(
        self._credentials(0x01), bytes32
    ) and credentials != convert(self._credentials(0x02), bytes32):
        raw_revert(
            method_id(
                "WithdrawalCredentialsNotForEigenPod()", output_type=Bytes[4]
            )
        )
    restaked_gwei: uint64 = eigen_proofs._get_effective_balance_gwei(fields)
    eigen_proofs._verify_validator_fields(
        self._get_proof_version(beacon_timestamp),
        beacon_state_root,
        fields,
        proof,
        validator_index,
    )
    self.activeValidatorCount += 1
    last_checkpointed_at: uint64 = self.currentCheckpointTimestamp
    if last_checkpointed_at == 0:
        last_checkpointed_at = self.lastCheckpointTimestamp
    self._validator_info[pubkey_hash] = IEigenPod.ValidatorInfo(
        validatorIndex=convert(validator_index, uint64),
        restakedBalanceGwei=restaked_gwei,
        lastCheckpointedAt=last_checkpointed_at,
        status=STATUS_ACTIVE,
    )
    self._current_checkpoint.prevBeaconBalanceGwei += restaked_gwei
    log ValidatorRestaked(pubkeyHash=pubkey_hash)
    log ValidatorBalanceUpdated(
        pubkeyHash=pubkey_hash,
        balanceTimestamp=last_checkpointed_at,
        newValidatorBalanceGwei=restaked_gwei,
    )
    return restaked_gwei


@internal
def _start_checkpoint(revert_if_no_balance: bool):
    """
    @dev EigenLayer's `_startCheckpoint` (EIGENLAYER.md §2.2.2).
    @param revert_if_no_balance Revert `NoBalanceToCheckpoint()` when no new ETH.
    """
    if self.currentCheckpointTimestamp != 0:
        raw_revert(method_id("CheckpointAlreadyActive()", output_type=Bytes[4]))
    now: uint64 = convert(block.timestamp, uint64)
    if self.lastCheckpointTimestamp == now:
        raw_revert(
            method_id(
                "CannotCheckpointTwiceInSingleBlock()", output_type=Bytes[4]
            )
        )
    pod_balance_gwei: uint64 = (
        convert(self.balance // c.WEI_PER_GWEI, uint64)
        - self._restaked_execution_layer_gwei
    )
    if revert_if_no_balance and pod_balance_gwei == 0:
        raw_revert(method_id("NoBalanceToCheckpoint()", output_type=Bytes[4]))
    checkpoint: IEigenPod.Checkpoint = IEigenPod.Checkpoint(
        beaconBlockRoot=self._get_parent_block_root(now),
        proofsRemaining=convert(self.activeValidatorCount, uint24),
        podBalanceGwei=pod_balance_gwei,
        balanceDeltasGwei=0,
        prevBeaconBalanceGwei=0,
    )
    self.currentCheckpointTimestamp = now
    self._update_checkpoint(checkpoint)
    log CheckpointCreated(
        checkpointTimestamp=now,
        beaconBlockRoot=checkpoint.beaconBlockRoot,
        validatorCount=convert(checkpoint.proofsRemaining, uint256),
    )


@internal
def _update_checkpoint(checkpoint: IEigenPod.Checkpoint):
    """
    @dev EigenLayer's `_updateCheckpoint`: stores the checkpoint; with no
         proof left, finalises it and reports the delta to the manager.
    @param checkpoint The checkpoint.
    """
    self._current_checkpoint = checkpoint
    if checkpoint.proofsRemaining != 0:
        return
    prev_restaked_gwei: uint64 = (
        self._restaked_execution_layer_gwei + checkpoint.prevBeaconBalanceGwei
    )
    delta_gwei: int64 = (
        convert(checkpoint.podBalanceGwei, int64) + checkpoint.balanceDeltasGwei
    )
    self._restaked_execution_layer_gwei += checkpoint.podBalanceGwei
    finalised: uint64 = self.currentCheckpointTimestamp
    self.lastCheckpointTimestamp = finalised
    self.currentCheckpointTimestamp = 0
    delta_wei: int256 = convert(delta_gwei, int256) * convert(
        c.WEI_PER_GWEI, int256
    )
    log CheckpointFinalized(
        checkpointTimestamp=finalised, totalShareDeltaWei=delta_wei
    )
    extcall IEigenPodManager(eigenPodManager).recordBeaconChainETHBalanceUpdate(
        self.podOwner,
        convert(prev_restaked_gwei, uint256) * c.WEI_PER_GWEI,
        delta_wei,
    )


@internal
@view
def _get_parent_block_root(timestamp: uint64) -> bytes32:
    """
    @dev EigenLayer's `getParentBlockRoot` (EIGENLAYER.md §3.6).
    @param timestamp The 4788 timestamp.
    @return bytes32 The parent beacon block root.
    """
    t: uint256 = convert(timestamp, uint256)
    if t > block.timestamp:
        # Solidity's checked subtraction: Panic(0x11)
        raw_revert(
            concat(
                method_id("Panic(uint256)", output_type=Bytes[4]),
                convert(17, bytes32),
            )
        )
    if (
        block.timestamp - t
        >= BEACON_ROOTS_HISTORY_BUFFER_LENGTH * SECONDS_PER_SLOT
    ):
        raw_revert(method_id("TimestampOutOfRange()", output_type=Bytes[4]))
    ok: bool = False
    out: Bytes[32] = b""
    ok, out = raw_call(
        _BEACON_ROOTS,
        abi_encode(t),
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    if not ok or len(out) == 0:
        raw_revert(method_id("InvalidEIP4788Response()", output_type=Bytes[4]))
    return convert(out, bytes32)


@internal
@view
def _get_withdrawal_request_fee() -> uint256:
    """
    @dev The EIP-7002 fee: a static call with empty calldata.
    @return uint256 The fee in wei.
    """
    ok: bool = False
    out: Bytes[32] = b""
    ok, out = raw_call(
        _WITHDRAWAL_REQUESTS,
        b"",
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    if not ok or len(out) != 32:
        raw_revert(method_id("FeeQueryFailed()", output_type=Bytes[4]))
    return convert(out, uint256)


@internal
@view
def _get_proof_version(timestamp: uint64) -> uint8:
    """
    @dev EigenLayer's `_getProofVersion`: DENEB up to the manager's
         `pectraForkTimestamp` (inclusive), PECTRA after;
         `ForkTimestampZero()` while it is unset.
    @param timestamp The 4788 timestamp of the proof.
    @return uint8 The proof version.
    """
    fork: uint64 = staticcall IEigenPodManager(
        eigenPodManager
    ).pectraForkTimestamp()
    if fork == 0:
        raw_revert(method_id("ForkTimestampZero()", output_type=Bytes[4]))
    if timestamp <= fork:
        return eigen_proofs.PROOF_VERSION_DENEB
    return eigen_proofs.PROOF_VERSION_PECTRA


@internal
@view
def _only_when_not_paused(index: uint8):
    """
    @dev `CurrentlyPaused()` when flag `index` of the manager's bitmap is set.
    @param index The flag.
    """
    if staticcall IEigenPodManager(eigenPodManager).paused(index):
        raw_revert(method_id("CurrentlyPaused()", output_type=Bytes[4]))


@internal
@view
def _only_eigen_pod_manager():
    """
    @dev `OnlyEigenPodManager()` for any other caller.
    """
    if msg.sender != eigenPodManager:
        raw_revert(method_id("OnlyEigenPodManager()", output_type=Bytes[4]))


@internal
@view
def _only_owner_or_proof_submitter():
    """
    @dev `OnlyEigenPodOwnerOrProofSubmitter()` for any other caller.
    """
    if msg.sender != self.podOwner and msg.sender != self.proofSubmitter:
        raw_revert(
            method_id(
                "OnlyEigenPodOwnerOrProofSubmitter()", output_type=Bytes[4]
            )
        )


@internal
@view
def _credentials(prefix: bytes1) -> Bytes[32]:
    """
    @dev `prefix ‖ 11 zero bytes ‖ this pod` (0x01 or 0x02 credentials).
    @param prefix The credentials' type byte.
    @return Bytes[32] The credentials.
    """
    return concat(prefix, empty(bytes11), convert(self, bytes20))


@internal
@pure
def _calc_pubkey_hash(pubkey: Bytes[48]) -> bytes32:
    """
    @dev sha256(pubkey ‖ 16 zero bytes); `InvalidPubKeyLength()` unless 48 bytes.
    @param pubkey The BLS public key.
    @return bytes32 The pubkey hash.
    """
    if len(pubkey) != 48:
        raw_revert(method_id("InvalidPubKeyLength()", output_type=Bytes[4]))
    return sha256(concat(pubkey, empty(bytes16)))


@internal
def _send_value(recipient: address, amount: uint256):
    """
    @dev OpenZeppelin's `Address.sendValue`: all gas, revert if refused.
    @param recipient The receiver.
    @param amount The amount in wei.
    """
    ok: bool = raw_call(recipient, b"", value=amount, revert_on_failure=False)
    assert ok, "Address: unable to send value, recipient may have reverted"
