# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title RewardsCoordinator
@custom:contract-name RewardsCoordinator
@license MIT
@notice Stand-in for EigenLayer v1.12's RewardsCoordinator, the claims
        side: the rewards updater posts distribution roots (keccak Merkle
        roots of earner leaves, each the root of that earner's token
        leaves), and an earner, or the claimer it set, claims its
        cumulative earnings per token, paid in ERC-20 by this contract.
        Names, tuples, events and custom errors are EigenLayer's
        (EIGENLAYER.md §2.7; EL src/contracts/core/RewardsCoordinator.sol).
@dev Kept from EigenLayer: `processClaim`'s checks in order (root
     disabled, not activated, array lengths, earner proof, token proofs,
     caller, earnings) and errors; leaves `keccak256(uint8 salt ‖ address ‖
     bytes32/uint256)` with salts 0 (earner) and 1 (token); the keccak
     Merkle of `Merkle.verifyInclusionKeccak` (root ≠ 0 or `EmptyRoot()`,
     empty proof ⇒ leaf == root, length a multiple of 32 or
     `InvalidProofLength()`, index fully consumed or `InvalidIndex()`); an
     index beyond the proof's tree (`InvalidEarnerLeafIndex()`,
     `InvalidTokenLeafIndex()`); a root index out of range panics 0x32 as
     Solidity's array access does; the `SafeERC20` transfer.
     Deviations: no rewards submissions (`create*RewardsSubmission`), no
     operator splits, no fee, no PermissionController
     (`setClaimerFor(address earner, address claimer)` is absent: Vyper
     cannot overload it, and it needs operator/AVS checks); claims are
     bounded (constants.EL_MAX_*); one pauser (el_pausable), `paused()`
     absent; `owner` is fixed (no ownership transfer).
"""

from ethereum.ercs import IERC20

from ...interfaces.external.eigenlayer import IRewardsCoordinator
from ...lib import constants as c
from . import el_pausable

implements: IRewardsCoordinator

initializes: el_pausable

exports: (
    el_pausable.paused,
    el_pausable.pause,
    el_pausable.unpause,
    el_pausable.pauserRegistry,
)

# Leaf salts (RewardsCoordinatorStorage.sol EARNER_LEAF_SALT, TOKEN_LEAF_SALT).
_EARNER_LEAF_SALT: constant(bytes1) = 0x00
_TOKEN_LEAF_SALT: constant(bytes1) = 0x01

# May set the activation delay and the rewards updater.
owner: public(address)
# May submit and disable distribution roots.
rewardsUpdater: public(address)
# Seconds between a root's submission and its first claim.
activationDelay: public(uint32)
# The calculation end of the last submitted root.
currRewardsCalculationEndTimestamp: public(uint32)
# earner => the address allowed to claim for it (0: the earner)
claimerFor: public(HashMap[address, address])
# earner => token => claimed so far
cumulativeClaimed: public(HashMap[address, HashMap[address, uint256]])

_roots: HashMap[uint256, IRewardsCoordinator.DistributionRoot]
_roots_length: uint256


event DistributionRootSubmitted:
    rootIndex: indexed(uint32)
    root: indexed(bytes32)
    rewardsCalculationEndTimestamp: indexed(uint32)
    activatedAt: uint32


event DistributionRootDisabled:
    rootIndex: indexed(uint32)


event ClaimerForSet:
    earner: indexed(address)
    oldClaimer: indexed(address)
    claimer: indexed(address)


event RewardsClaimed:
    root: bytes32
    earner: indexed(address)
    claimer: indexed(address)
    recipient: indexed(address)
    token: address
    claimedAmount: uint256


event ActivationDelaySet:
    oldActivationDelay: uint32
    newActivationDelay: uint32


event RewardsUpdaterSet:
    oldRewardsUpdater: indexed(address)
    newRewardsUpdater: indexed(address)


@deploy
def __init__(
    owner_: address, rewards_updater: address, activation_delay: uint32
):
    """
    @dev EigenLayer's `initialize` (the owner is also the pauser).
    @param owner_ The owner and pauser.
    @param rewards_updater The root submitter.
    @param activation_delay Seconds before a root can be claimed against.
    """
    el_pausable.__init__(owner_, 0)
    self.owner = owner_
    self._set_rewards_updater(rewards_updater)
    self._set_activation_delay(activation_delay)


@external
def submitRoot(root: bytes32, rewardsCalculationEndTimestamp: uint32):
    """
    @notice Posts a distribution root, claimable from
            `block.timestamp + activationDelay`.
    @dev Not paused (flag 3); the rewards updater (`UnauthorizedCaller`);
         the end timestamp must be after the last root's
         (`NewRootMustBeForNewCalculatedPeriod`) and in the past
         (`RewardsEndTimestampNotElapsed`). Emits `DistributionRootSubmitted`.
    @param root The Merkle root of the earner tree.
    @param rewardsCalculationEndTimestamp The end of the period it covers.
    """
    el_pausable._require_not_paused(c.EL_PAUSED_SUBMIT_DISABLE_ROOTS)
    self._only_rewards_updater()
    if (
        rewardsCalculationEndTimestamp
        <= self.currRewardsCalculationEndTimestamp
    ):
        raw_revert(
            method_id(
                "NewRootMustBeForNewCalculatedPeriod()", output_type=Bytes[4]
            )
        )
    if convert(rewardsCalculationEndTimestamp, uint256) >= block.timestamp:
        raw_revert(
            method_id("RewardsEndTimestampNotElapsed()", output_type=Bytes[4])
        )
    index: uint256 = self._roots_length
    activated_at: uint32 = (
        convert(block.timestamp, uint32) + self.activationDelay
    )
    self._roots[index] = IRewardsCoordinator.DistributionRoot(
        root=root,
        rewardsCalculationEndTimestamp=rewardsCalculationEndTimestamp,
        activatedAt=activated_at,
        disabled=False,
    )
    self._roots_length = index + 1
    self.currRewardsCalculationEndTimestamp = rewardsCalculationEndTimestamp
    log DistributionRootSubmitted(
        rootIndex=convert(index, uint32),
        root=root,
        rewardsCalculationEndTimestamp=rewardsCalculationEndTimestamp,
        activatedAt=activated_at,
    )


@external
def disableRoot(rootIndex: uint32):
    """
    @notice Disables a root before it activates.
    @dev Not paused (flag 3); the rewards updater (`UnauthorizedCaller`);
         `InvalidRootIndex`, `RootDisabled`, `RootAlreadyActivated`. Emits
         `DistributionRootDisabled`.
    @param rootIndex The root's index.
    """
    el_pausable._require_not_paused(c.EL_PAUSED_SUBMIT_DISABLE_ROOTS)
    self._only_rewards_updater()
    index: uint256 = convert(rootIndex, uint256)
    if index >= self._roots_length:
        raw_revert(method_id("InvalidRootIndex()", output_type=Bytes[4]))
    if self._roots[index].disabled:
        raw_revert(method_id("RootDisabled()", output_type=Bytes[4]))
    if block.timestamp >= convert(self._roots[index].activatedAt, uint256):
        raw_revert(method_id("RootAlreadyActivated()", output_type=Bytes[4]))
    self._roots[index].disabled = True
    log DistributionRootDisabled(rootIndex=rootIndex)


@external
def setClaimerFor(claimer: address):
    """
    @notice Lets `claimer` claim the caller's rewards (0: only the caller).
    @dev Any address, for itself. Emits `ClaimerForSet(earner, old, new)`.
    @param claimer The claimer.
    """
    old: address = self.claimerFor[msg.sender]
    self.claimerFor[msg.sender] = claimer
    log ClaimerForSet(earner=msg.sender, oldClaimer=old, claimer=claimer)


@external
def setActivationDelay(_activationDelay: uint32):
    """
    @notice Sets the delay of roots submitted from now on.
    @dev The owner. Emits `ActivationDelaySet(old, new)`.
    @param _activationDelay Seconds.
    """
    self._only_owner()
    self._set_activation_delay(_activationDelay)


@external
def setRewardsUpdater(_rewardsUpdater: address):
    """
    @notice Sets the root submitter.
    @dev The owner. Emits `RewardsUpdaterSet(old, new)`.
    @param _rewardsUpdater The new rewards updater.
    """
    self._only_owner()
    self._set_rewards_updater(_rewardsUpdater)


@external
def processClaim(
    claim: IRewardsCoordinator.RewardsMerkleClaim, recipient: address
):
    """
    @notice Pays `recipient`, per token of the claim, the earner's
            cumulative earnings minus what it already claimed.
    @dev Not paused (flag 2); non-reentrant. Checks in EigenLayer's order:
         root index in range (panic 0x32), `RootDisabled`, `RootNotActivated`,
         `InputArrayLengthMismatch`, earner proof (`InvalidEarnerLeafIndex`,
         `InvalidClaimProof`), token proofs (`InvalidTokenLeafIndex`,
         `InvalidClaimProof`), caller is the claimer (`UnauthorizedCaller`),
         per token `EarningsNotGreaterThanClaimed`. Emits `RewardsClaimed`
         per token.
    @param claim The claim and its proofs.
    @param recipient The address paid.
    """
    el_pausable._require_not_paused(c.EL_PAUSED_PROCESS_CLAIM)
    self._process_claim(claim, recipient)


@external
def processClaims(
    claims: DynArray[IRewardsCoordinator.RewardsMerkleClaim, c.EL_MAX_CLAIMS],
    recipient: address,
):
    """
    @notice `processClaim` for each claim, in order.
    @dev Not paused (flag 2); any failing claim reverts them all.
    @param claims The claims.
    @param recipient The address paid.
    """
    el_pausable._require_not_paused(c.EL_PAUSED_PROCESS_CLAIM)
    for claim: IRewardsCoordinator.RewardsMerkleClaim in claims:
        self._process_claim(claim, recipient)


@external
@view
def checkClaim(claim: IRewardsCoordinator.RewardsMerkleClaim) -> bool:
    """
    @notice Checks the claim's root and proofs, not its caller or amounts.
    @param claim The claim.
    @return bool True; reverts with the first failing check.
    """
    self._check_claim(claim, self._root_at(convert(claim.rootIndex, uint256)))
    return True


@external
@pure
def calculateEarnerLeafHash(
    leaf: IRewardsCoordinator.EarnerTreeMerkleLeaf,
) -> bytes32:
    """
    @notice `keccak256(abi.encodePacked(uint8(0), earner, earnerTokenRoot))`.
    @param leaf The earner leaf.
    @return bytes32 The leaf hash.
    """
    return self._earner_leaf_hash(leaf)


@external
@pure
def calculateTokenLeafHash(
    leaf: IRewardsCoordinator.TokenTreeMerkleLeaf,
) -> bytes32:
    """
    @notice `keccak256(abi.encodePacked(uint8(1), token, cumulativeEarnings))`.
    @param leaf The token leaf.
    @return bytes32 The leaf hash.
    """
    return self._token_leaf_hash(leaf)


@external
@view
def getDistributionRootsLength() -> uint256:
    """
    @notice How many roots were submitted.
    @return uint256 The count.
    """
    return self._roots_length


@external
@view
def getDistributionRootAtIndex(
    index: uint256,
) -> IRewardsCoordinator.DistributionRoot:
    """
    @notice A submitted root.
    @dev Out of range: panic 0x32.
    @param index The index.
    @return DistributionRoot root, rewardsCalculationEndTimestamp, activatedAt, disabled.
    """
    return self._root_at(index)


@external
@view
def getCurrentDistributionRoot() -> IRewardsCoordinator.DistributionRoot:
    """
    @notice The last submitted root (disabled or not, active or not).
    @dev None yet: panic 0x11, as Solidity's `length - 1` underflow.
    @return DistributionRoot The root.
    """
    length: uint256 = self._roots_length
    if length == 0:
        raw_revert(
            concat(
                method_id("Panic(uint256)", output_type=Bytes[4]),
                convert(17, bytes32),
            )
        )
    return self._roots[length - 1]


@internal
def _process_claim(
    claim: IRewardsCoordinator.RewardsMerkleClaim, recipient: address
):
    """
    @dev EigenLayer's `_processClaim`.
    @param claim The claim.
    @param recipient The address paid.
    """
    root: IRewardsCoordinator.DistributionRoot = self._root_at(
        convert(claim.rootIndex, uint256)
    )
    self._check_claim(claim, root)
    earner: address = claim.earnerLeaf.earner
    claimer: address = self.claimerFor[earner]
    if claimer == empty(address):
        claimer = earner
    if msg.sender != claimer:
        raw_revert(method_id("UnauthorizedCaller()", output_type=Bytes[4]))
    for leaf: IRewardsCoordinator.TokenTreeMerkleLeaf in claim.tokenLeaves:
        claimed: uint256 = self.cumulativeClaimed[earner][leaf.token]
        if leaf.cumulativeEarnings <= claimed:
            raw_revert(
                method_id(
                    "EarningsNotGreaterThanClaimed()", output_type=Bytes[4]
                )
            )
        amount: uint256 = leaf.cumulativeEarnings - claimed
        self.cumulativeClaimed[earner][leaf.token] = leaf.cumulativeEarnings
        success: bool = extcall IERC20(leaf.token).transfer(
            recipient, amount, default_return_value=True
        )
        assert success, "SafeERC20: ERC20 operation did not succeed"
        log RewardsClaimed(
            root=root.root,
            earner=earner,
            claimer=claimer,
            recipient=recipient,
            token=leaf.token,
            claimedAmount=amount,
        )


@internal
@view
def _check_claim(
    claim: IRewardsCoordinator.RewardsMerkleClaim,
    root: IRewardsCoordinator.DistributionRoot,
):
    """
    @dev EigenLayer's `_checkClaim`.
    @param claim The claim.
    @param root The root it claims against.
    """
    if root.disabled:
        raw_revert(method_id("RootDisabled()", output_type=Bytes[4]))
    if block.timestamp < convert(root.activatedAt, uint256):
        raw_revert(method_id("RootNotActivated()", output_type=Bytes[4]))
    if len(claim.tokenIndices) != len(claim.tokenTreeProofs):
        raw_revert(
            method_id("InputArrayLengthMismatch()", output_type=Bytes[4])
        )
    if len(claim.tokenTreeProofs) != len(claim.tokenLeaves):
        raw_revert(
            method_id("InputArrayLengthMismatch()", output_type=Bytes[4])
        )

    earner_index: uint256 = convert(claim.earnerIndex, uint256)
    if earner_index >= 1 << (len(claim.earnerTreeProof) // 32):
        raw_revert(method_id("InvalidEarnerLeafIndex()", output_type=Bytes[4]))
    if not self._verify_inclusion_keccak(
        claim.earnerTreeProof,
        root.root,
        self._earner_leaf_hash(claim.earnerLeaf),
        earner_index,
    ):
        raw_revert(method_id("InvalidClaimProof()", output_type=Bytes[4]))

    for i: uint256 in range(
        len(claim.tokenIndices), bound=c.EL_MAX_CLAIM_TOKENS
    ):
        token_index: uint256 = convert(claim.tokenIndices[i], uint256)
        if token_index >= 1 << (len(claim.tokenTreeProofs[i]) // 32):
            raw_revert(
                method_id("InvalidTokenLeafIndex()", output_type=Bytes[4])
            )
        if not self._verify_inclusion_keccak(
            claim.tokenTreeProofs[i],
            claim.earnerLeaf.earnerTokenRoot,
            self._token_leaf_hash(claim.tokenLeaves[i]),
            token_index,
        ):
            raw_revert(method_id("InvalidClaimProof()", output_type=Bytes[4]))


@internal
@view
def _root_at(index: uint256) -> IRewardsCoordinator.DistributionRoot:
    """
    @dev A stored root; out of range reverts Panic(0x32) like Solidity.
    @param index The index.
    @return DistributionRoot The root.
    """
    if index >= self._roots_length:
        raw_revert(
            concat(
                method_id("Panic(uint256)", output_type=Bytes[4]),
                convert(50, bytes32),
            )
        )
    return self._roots[index]


@internal
@pure
def _earner_leaf_hash(
    leaf: IRewardsCoordinator.EarnerTreeMerkleLeaf,
) -> bytes32:
    """
    @dev `keccak256(abi.encodePacked(EARNER_LEAF_SALT, earner, earnerTokenRoot))`.
    @param leaf The earner leaf.
    @return bytes32 The hash.
    """
    return keccak256(
        concat(
            _EARNER_LEAF_SALT,
            convert(leaf.earner, bytes20),
            leaf.earnerTokenRoot,
        )
    )


@internal
@pure
def _token_leaf_hash(leaf: IRewardsCoordinator.TokenTreeMerkleLeaf) -> bytes32:
    """
    @dev `keccak256(abi.encodePacked(TOKEN_LEAF_SALT, token, cumulativeEarnings))`.
    @param leaf The token leaf.
    @return bytes32 The hash.
    """
    return keccak256(
        concat(
            _TOKEN_LEAF_SALT,
            convert(leaf.token, bytes20),
            convert(leaf.cumulativeEarnings, bytes32),
        )
    )


@internal
@pure
def _verify_inclusion_keccak(
    proof: Bytes[c.EL_MAX_EARNER_PROOF],
    root: bytes32,
    leaf: bytes32,
    index: uint256,
) -> bool:
    """
    @dev EigenLayer's `Merkle.verifyInclusionKeccak`: `EmptyRoot()` for a
         zero root; an empty proof returns the leaf; `InvalidProofLength()`
         unless a multiple of 32 bytes; siblings walked bottom-up (even
         index: node on the left); `InvalidIndex()` unless the index is
         fully consumed.
    @param proof The siblings, 32 bytes each.
    @param root The expected root.
    @param leaf The leaf hash.
    @param index The leaf's index.
    @return bool True when the rebuilt root is `root`.
    """
    if root == empty(bytes32):
        raw_revert(method_id("EmptyRoot()", output_type=Bytes[4]))
    length: uint256 = len(proof)
    if length == 0:
        return leaf == root
    if length % 32 != 0:
        raw_revert(method_id("InvalidProofLength()", output_type=Bytes[4]))
    node: bytes32 = leaf
    position: uint256 = index
    for i: uint256 in range(length // 32, bound=c.EL_MAX_EARNER_PROOF // 32):
        sibling: bytes32 = extract32(proof, i * 32)
        if position % 2 == 0:
            node = keccak256(concat(node, sibling))
        else:
            node = keccak256(concat(sibling, node))
        position //= 2
    if position != 0:
        raw_revert(method_id("InvalidIndex()", output_type=Bytes[4]))
    return node == root


@internal
@view
def _only_rewards_updater():
    """
    @dev EigenLayer's `onlyRewardsUpdater` (`UnauthorizedCaller()`).
    """
    if msg.sender != self.rewardsUpdater:
        raw_revert(method_id("UnauthorizedCaller()", output_type=Bytes[4]))


@internal
@view
def _only_owner():
    """
    @dev OpenZeppelin's `onlyOwner` (its revert string).
    """
    assert msg.sender == self.owner, "Ownable: caller is not the owner"


@internal
def _set_activation_delay(delay: uint32):
    """
    @dev Sets the activation delay; emits `ActivationDelaySet`.
    @param delay Seconds.
    """
    log ActivationDelaySet(
        oldActivationDelay=self.activationDelay, newActivationDelay=delay
    )
    self.activationDelay = delay


@internal
def _set_rewards_updater(updater: address):
    """
    @dev Sets the rewards updater; emits `RewardsUpdaterSet`.
    @param updater The new rewards updater.
    """
    log RewardsUpdaterSet(
        oldRewardsUpdater=self.rewardsUpdater, newRewardsUpdater=updater
    )
    self.rewardsUpdater = updater
