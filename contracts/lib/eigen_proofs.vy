# pragma version ~=0.4.3
"""
@title eigen_proofs
@custom:contract-name eigen_proofs
@license MIT
@notice EigenLayer v1.12's `BeaconChainProofs` and `Merkle` (sha256 part):
        the proof structs its EigenPod takes, and their verifiers
        (EIGENLAYER.md §3).
@dev Stateless module. The structs are the ABI tuples of EigenLayer's
     `BeaconChainProofs.StateRootProof`, `ValidatorProof`,
     `BalanceContainerProof` and `BalanceProof`: a `proof` is the sibling
     nodes concatenated bottom-up, 32 bytes each. The bounds are above the
     longest valid proof, so a wrong length reaches the verifier's
     `InvalidProofLength` rather than failing ABI decoding.
"""

# @dev EigenLayer's `BeaconChainProofs` constants.
BEACON_BLOCK_HEADER_TREE_HEIGHT: constant(uint256) = 3
DENEB_BEACON_STATE_TREE_HEIGHT: constant(uint256) = 5
PECTRA_BEACON_STATE_TREE_HEIGHT: constant(uint256) = 6
BALANCE_TREE_HEIGHT: constant(uint256) = 38
VALIDATOR_TREE_HEIGHT: constant(uint256) = 40
VALIDATOR_FIELDS_LENGTH: constant(uint256) = 8
# @dev ABI bounds (see @dev above)
MAX_VALIDATOR_FIELDS: constant(uint256) = 16
MAX_STATE_ROOT_PROOF: constant(uint256) = 128
MAX_VALIDATOR_PROOF: constant(uint256) = 1600
MAX_BALANCE_CONTAINER_PROOF: constant(uint256) = 320
MAX_BALANCE_PROOF: constant(uint256) = 1280
# @dev Bound of the DelegationManager's strategy arrays (beacon-chain ETH is
# the only strategy here); interfaces read it from this module.
MAX_STRATEGIES: constant(uint256) = 8


struct StateRootProof:
    beaconStateRoot: bytes32
    proof: Bytes[MAX_STATE_ROOT_PROOF]


struct ValidatorProof:
    validatorFields: DynArray[bytes32, MAX_VALIDATOR_FIELDS]
    proof: Bytes[MAX_VALIDATOR_PROOF]


struct BalanceContainerProof:
    balanceContainerRoot: bytes32
    proof: Bytes[MAX_BALANCE_CONTAINER_PROOF]


struct BalanceProof:
    pubkeyHash: bytes32
    balanceRoot: bytes32
    proof: Bytes[MAX_BALANCE_PROOF]
