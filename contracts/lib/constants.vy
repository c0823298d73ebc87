# pragma version ~=0.4.3
"""
@title Protocol constants
@custom:contract-name constants
@license MIT
@notice The one home of every number the contracts, the `.vyi` interfaces
        and the tests share (`from ..lib import constants as c`). Tests read
        these values from this compiled module instead of re-declaring them.
"""

# ---------------------------------------------------------------- money

# @dev The bond floor: the least an operator that is not whitelisted locks
# with every bid (a whitelisted one may lock none). Bidders may lock more, up
# to MAX_BOND, in multiples of BOND_UNIT; each BOND_UNIT above BOND raises the
# bid's score by BOND_SCORE_BPS basis points (docs/protocol.md §2).
BOND: constant(uint256) = 10**18
BOND_UNIT: constant(uint256) = 10**17
MAX_BOND: constant(uint256) = 8 * 10**18
# @dev Score gain per BOND_UNIT of bond above BOND, in basis points of the
# score: +1 % per extra ETH, so +7 % at MAX_BOND.
BOND_SCORE_BPS: constant(uint256) = 10
# @dev What a staker sends: one validator's full deposit.
STAKE_AMOUNT: constant(uint256) = 32 * 10**18
# @dev The pre-deposit made before the credentials are proven (docs/protocol.md §9).
PRE_DEPOSIT_AMOUNT: constant(uint256) = 10**18
WEI_PER_GWEI: constant(uint256) = 10**9
SECONDS_PER_DAY: constant(uint256) = 86_400

# ---------------------------------------------------------------- pricing

BPS: constant(uint256) = 10_000
RAY: constant(uint256) = 10**27
WAD: constant(uint256) = 10**18
# @dev 1.001 at RAY precision: the per-day growth of a bid's score.
DAILY_SCORE_GROWTH: constant(uint256) = 1001 * 10**24
# @dev Bounds that keep every daily VC price below 2**56 (the bid word's
# field: R / n with n >= 4), every bid price below 2**72, every score below
# 2**115 and `rpow` free of overflow. 2.5 * 10**17 wei a day is 0.25 ETH a
# day on 32 ETH, about 285 % a year: far above any real return.
MAX_DURATION_CAP: constant(uint256) = 36_500
MAX_DAILY_RETURN: constant(uint256) = 25 * 10**16

# ---------------------------------------------------------------- auction shape

# @dev Bids in one `bid` call.
MAX_BATCH: constant(uint256) = 32
MIN_CLUSTER_SIZE: constant(uint256) = 4
MAX_CLUSTER_SIZE: constant(uint256) = 7
# @dev A cluster of n operators signs with any t = ceil(2n / 3) of its key
# shares (Obol's threshold; ClusterKeys.threshold_of): t = (n * NUMERATOR +
# DENOMINATOR - 1) // DENOMINATOR.
THRESHOLD_NUMERATOR: constant(uint256) = 2
THRESHOLD_DENOMINATOR: constant(uint256) = 3
# @dev Largest `k` of `top_bids(k)`.
MAX_TOP: constant(uint256) = 256
# @dev Clusters `pre_create_clusters` makes in one call.
MAX_PRE_CREATE: constant(uint256) = 16
# @dev Most operators a promotion the operator did not ask for (a winner's
# or a withdrawn best bid's successor) or a `rejoin` walks past; further
# away, the operator is parked, and cannot win until it rejoins
# (docs/protocol.md §3 has the rules, and the figures behind 4).
PROMOTION_WALK: constant(uint256) = 4
# @dev Gas that covers any settlement (the Auction, the Escrow's release and
# StakerRewards' records) whatever the book holds: what a deposit forwards
# to its pre-creation (tests/operator/test_parking.py measures the worst).
SETTLEMENT_GAS: constant(uint256) = 1_500_000

# ---------------------------------------------------------------- statuses
# Every status a contract reports lives here, named `<KIND>_<STATUS>`; the
# codecs pack them, and Python reads them by prefix (deploy/constants.py).

# @dev Bid statuses (`Auction.get_bid(id).status`).
BID_NONE: constant(uint256) = 0
BID_PENDING: constant(uint256) = 1
BID_WON: constant(uint256) = 2
BID_WITHDRAWN: constant(uint256) = 3

# @dev Cluster statuses (`StrategyModuleManager.cluster_status`).
# Not pre-created by this manager.
CLUSTER_UNKNOWN: constant(uint256) = 0
# Pre-created by a settlement, no staker yet (deposit data or not).
CLUSTER_PENDING: constant(uint256) = 1
# A staker paid 32 ETH: 1 ETH pre-deposited, 31 ETH held until a proof.
CLUSTER_PRE_DEPOSITED: constant(uint256) = 2
# Credentials proven: the other 31 ETH deposited, the stream started. Stays
# staked until the validator's exit is proven, whatever its stream's state.
CLUSTER_STAKED: constant(uint256) = 3
# A front-run was proven: the staker got the 31 ETH and the bonds back.
CLUSTER_FAILED: constant(uint256) = 4
# Dissolved before any staker came: prices and bonds back to the operators.
CLUSTER_DISSOLVED: constant(uint256) = 5
# The validator's exit was proven (its exit epoch is set): the stream ended
# at that epoch, the bonds unlocked; the principal comes home through the pod.
CLUSTER_EXITED: constant(uint256) = 6
# No proof came within the time-out: the staker took its 31 ETH back.
CLUSTER_RECLAIMED: constant(uint256) = 7
# The validator was proven slashed while staked (its exit is set too): the
# stream ended, every winner's bond and the unserved credits went to the
# holder (pull); the principal comes home through the pod as after an exit.
CLUSTER_SLASHED: constant(uint256) = 8

# @dev Stream statuses (`StakerRewards.status(cluster_id)`).
STREAM_NONE: constant(uint256) = 0
STREAM_FUNDED: constant(uint256) = 1
STREAM_STREAMING: constant(uint256) = 2
STREAM_EXPIRED: constant(uint256) = 3
STREAM_ENDED: constant(uint256) = 4
STREAM_CANCELLED: constant(uint256) = 5
# Closed by a proven slashing while streaming: the unserved credits were
# forfeited to the holder (`credit_of`), not returned to the operators.
STREAM_SLASHED: constant(uint256) = 6

# ---------------------------------------------------------------- id widths

# @dev Bid ids are 40-bit (10^12 bids).
ID_BITS: constant(uint256) = 40
MAX_BID_ID: constant(uint256) = 2**40 - 1

# ---------------------------------------------------------------- EigenLayer AM / RC stand-ins

# @dev Pause flags (bits of the `paused(uint8)` bitmap) of EigenLayer's
# AllocationManager (AllocationManagerStorage.sol) and RewardsCoordinator
# (RewardsCoordinatorStorage.sol).
EL_PAUSED_MODIFY_ALLOCATIONS: constant(uint8) = 0
EL_PAUSED_OPERATOR_SLASHING: constant(uint8) = 1
EL_PAUSED_OPERATOR_SET_REGISTRATION_AND_DEREGISTRATION: constant(uint8) = 2
EL_PAUSED_PROCESS_CLAIM: constant(uint8) = 2
EL_PAUSED_SUBMIT_DISABLE_ROOTS: constant(uint8) = 3
# @dev Array bounds of the AllocationManager stand-in (EigenLayer's arrays are
# unbounded): strategies per set or call, operator sets per call, bytes of a
# slashing description or of registration data. The .vyi repeats them as
# literals (an interface cannot read a module's constant).
EL_MAX_STRATEGIES: constant(uint256) = 8
EL_MAX_OPERATOR_SETS: constant(uint256) = 8
EL_MAX_DESCRIPTION: constant(uint256) = 1024
# @dev Pending deallocations one `clearDeallocationQueue` / `modifyAllocations`
# completes per strategy (EigenLayer: up to 2**16 - 1).
EL_MAX_DEALLOCATION_CLEARS: constant(uint256) = 32
# @dev Steps of a magnitude-history binary search: histories up to 2**32 entries.
EL_MAX_HISTORY_SEARCH: constant(uint256) = 32
# @dev RewardsCoordinator claim bounds: an earner proof up to depth 32 (its
# index is a uint32), a token proof up to depth 16, 16 tokens per claim,
# 8 claims per `processClaims`.
EL_MAX_EARNER_PROOF: constant(uint256) = 1024
EL_MAX_TOKEN_PROOF: constant(uint256) = 512
EL_MAX_CLAIM_TOKENS: constant(uint256) = 16
EL_MAX_CLAIMS: constant(uint256) = 8

# ---------------------------------------------------------------- beacon chain

# @dev Seconds per beacon-chain epoch (32 slots of 12 seconds).
SECONDS_PER_EPOCH: constant(uint256) = 384
# @dev Epochs a validator must have been active before the beacon chain
# honours its exit (the consensus specs' SHARD_COMMITTEE_PERIOD).
SHARD_COMMITTEE_PERIOD: constant(uint256) = 256
# @dev An epoch that never comes: a validator's activation, exit and
# withdrawable epochs until they are scheduled (the consensus specs').
FAR_FUTURE_EPOCH: constant(uint64) = max_value(uint64)
# @dev The fork schedule of the protocol's own proofs (`beacon_proofs._verify_at`):
# a proof at a 4788 timestamp up to ELECTRA_FORK_TIME proves a Deneb state,
# up to GLOAS_FORK_TIME an Electra or Fulu one, later a Gloas (EIP-7688) one.
# Electra ran on every chain before any root the 4788 window still holds
# (0: from genesis, the beacon-chain model's too); Gloas is not scheduled on
# any chain yet (max: never), so its layout is refused until a release sets it.
ELECTRA_FORK_TIME: constant(uint256) = 0
GLOAS_FORK_TIME: constant(uint256) = max_value(uint256)

# @dev How long the operators of a cluster have to answer a loss charged at a
# checkpoint (docs/protocol.md §10 "A loss at a checkpoint"), from its report;
# afterwards anyone settles it to the holder.
CHALLENGE_WINDOW: constant(uint256) = 7 * 86_400

# @dev Seats that rotate without an exit (docs/protocol.md §10 "Seats that
# rotate"): anyone may rotate a seat whose end is at most ROTATION_NOTICE
# away (its operator may leave at any time); the new set of operators has
# RESHARE_TIMEOUT from the rotation to register its reshared key shares,
# after which the bonds of those who did not are forfeited to the holder.
ROTATION_NOTICE: constant(uint256) = 7 * 86_400
RESHARE_TIMEOUT: constant(uint256) = 7 * 86_400
# @dev A cluster's rotation (`SeatRotation.rotation(cluster_id).status`).
ROTATION_NONE: constant(uint256) = 0
ROTATION_OPEN: constant(uint256) = 1
ROTATION_RESHARED: constant(uint256) = 2
ROTATION_FAILED: constant(uint256) = 3

# ---------------------------------------------------------------- EigenLayer

# @dev EigenLayer's mainnet DelegationManager withdrawal delay in blocks
# (14 days; EIGENLAYER.md §2.3): the deploy default of the stand-in's
# `min_withdrawal_delay_blocks` (tests use small values).
EL_MIN_WITHDRAWAL_DELAY_BLOCKS: constant(uint256) = 100_800
