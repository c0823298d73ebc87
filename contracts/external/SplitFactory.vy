# pragma version ~=0.4.3
"""
@title SplitFactory
@custom:contract-name SplitFactory
@license MIT
@notice Deploys `Split`s (0xSplits-like reward splitters) at addresses that
        commit to their parameters, so a split can be used, e.g. as a fee
        recipient, before it is deployed.
@dev Each split is an EIP-1167 minimal proxy to `split_implementation`,
     deployed with CREATE2 and salt
     keccak256(abi_encode(recipients, allocations, distribution_incentive_bps, salt)).
     The split validates its parameters when initialized. No ETH moves here.
"""

from ..lib import minimal_proxy
from ..lib import split_lib
from ..interfaces.external import ISplit
from ..interfaces.external import ISplitFactory

implements: ISplitFactory

_SPLIT_IMPLEMENTATION: immutable(address)


event SplitCreated:
    split: indexed(address)
    creator: indexed(address)
    recipients: DynArray[address, 16]
    allocations: DynArray[uint256, 16]
    distribution_incentive_bps: uint256
    salt: bytes32


@deploy
def __init__(split_implementation: address):
    """
    @notice Sets the implementation the splits delegate to.
    @param split_implementation A deployed `Split`.
    """
    assert (
        split_implementation.is_contract
    ), "split_factory: implementation has no code"
    _SPLIT_IMPLEMENTATION = split_implementation


@external
def create_split(
    recipients: DynArray[address, 16],
    allocations: DynArray[uint256, 16],
    distribution_incentive_bps: uint256,
    salt: bytes32,
) -> address:
    """
    @notice Deploys and initializes a split.
    @dev Reverts with the split's reason on invalid parameters, and if the
         same split (same parameters and salt) exists.
    @param recipients The recipients (1 to 16, no zero address; the last one
           also receives the rounding remainder).
    @param allocations Their allocations (> 0 each, same length).
    @param distribution_incentive_bps The share of each distribution paid to its caller (<= 1000 bps).
    @param salt Any value, to tell apart splits with the same parameters.
    @return address The split, equal to `predict_split_address(...)` beforehand.
    """
    create2_salt: bytes32 = split_lib._create2_salt(
        recipients, allocations, distribution_incentive_bps, salt
    )
    assert not minimal_proxy._predict_address(
        _SPLIT_IMPLEMENTATION, create2_salt, self
    ).is_contract, "split_factory: split exists"
    split: address = create_minimal_proxy_to(
        _SPLIT_IMPLEMENTATION, salt=create2_salt
    )
    extcall ISplit(split).initialize(
        recipients, allocations, distribution_incentive_bps, salt
    )
    log SplitCreated(
        split=split,
        creator=msg.sender,
        recipients=recipients,
        allocations=allocations,
        distribution_incentive_bps=distribution_incentive_bps,
        salt=salt,
    )
    return split


@external
@view
def predict_split_address(
    recipients: DynArray[address, 16],
    allocations: DynArray[uint256, 16],
    distribution_incentive_bps: uint256,
    salt: bytes32,
) -> address:
    """
    @notice The address `create_split` deploys these parameters to.
    @dev Reverts on parameters `create_split` would reject.
    @param recipients The recipients.
    @param allocations Their allocations.
    @param distribution_incentive_bps The caller's share in bps.
    @param salt The user salt.
    @return address The split's (future) address.
    """
    split_lib._validate(recipients, allocations, distribution_incentive_bps)
    return minimal_proxy._predict_address(
        _SPLIT_IMPLEMENTATION,
        split_lib._create2_salt(
            recipients, allocations, distribution_incentive_bps, salt
        ),
        self,
    )


@external
@view
def split_implementation() -> address:
    """
    @notice The implementation the splits' minimal proxies delegate to.
    @return address The Split implementation.
    """
    return _SPLIT_IMPLEMENTATION
