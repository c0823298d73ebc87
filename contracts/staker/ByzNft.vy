# pragma version ~=0.4.3
"""
@title ByzNft
@custom:contract-name ByzNft
@license MIT
@notice ERC-721 (with metadata, enumeration and ERC-4494 permits) whose token
        `n` conveys ownership of the Byzantine StrategyModule of cluster `n`:
        `StrategyModule.owner()` is `ownerOf(n)`, so transferring or selling
        the token transfers or sells the module. Tokens are minted only by the
        StrategyModuleManager, with token id == cluster id; they are never
        burnt. Transfers and approvals follow the ERC-721 standard.
@dev Built on snekmate's `erc721` module. Its auto-increment `safe_mint`,
     minter role (`set_minter`, `is_minter`) and `burn` are not exported:
     the only way to mint is `mint`, callable by the manager set once by the
     owner with `set_manager`. Ownership uses snekmate's `ownable_2step`.
     Sales (docs/protocol.md §10): every transfer (`transferFrom`,
     `safeTransferFrom`; not the mint) calls
     `StakerRewards.on_transfer(token_id, from, to)` once the owner has
     wired StakerRewards with `set_staker_rewards` (the deployment does it;
     before that, transfers notify nobody).
"""

from ethereum.ercs import IERC165
from ethereum.ercs import IERC721

from ..interfaces import IByzNft
from ..interfaces import IStakerRewards
from ..interfaces import IStrategyModuleManager

implements: IERC165
implements: IERC721
implements: IByzNft

from snekmate.auth import ownable
from snekmate.auth import ownable_2step
from snekmate.tokens import erc721

initializes: ownable
initializes: ownable_2step[ownable := ownable]
initializes: erc721[ownable := ownable]

# @dev Deliberately not exported: erc721's `safe_mint`, `set_minter`,
# `is_minter` and `burn` (only the manager mints, through `mint`; tokens are
# never burnt), its `transferFrom`, `safeTransferFrom` and `tokenURI` (this
# contract defines its own), and the one-step `transfer_ownership` and
# `renounce_ownership` of erc721 and ownable (ownable_2step's are exported).
exports: (
    ownable.owner,
    ownable_2step.pending_owner,
    ownable_2step.transfer_ownership,
    ownable_2step.accept_ownership,
    ownable_2step.renounce_ownership,
    erc721.supportsInterface,
    erc721.balanceOf,
    erc721.ownerOf,
    erc721.getApproved,
    erc721.approve,
    erc721.setApprovalForAll,
    erc721.isApprovedForAll,
    # `transferFrom` and `safeTransferFrom` are this contract's own: the
    # standard ones plus the `StakerRewards.on_transfer` notification.
    erc721.name,
    erc721.symbol,
    erc721.totalSupply,
    erc721.tokenByIndex,
    erc721.tokenOfOwnerByIndex,
    erc721.permit,
    erc721.nonces,
    erc721.DOMAIN_SEPARATOR,
    erc721.eip712Domain,
)

NAME: constant(String[25]) = "Byzantine StrategyModule"
SYMBOL: constant(String[5]) = "BYZ"
EIP712_VERSION: constant(String[20]) = "1"
_HEX_DIGITS: constant(Bytes[16]) = b"0123456789abcdef"


# @notice The StrategyModuleManager, the only minter (set once by the owner).
manager: public(address)
# @notice StakerRewards, notified of every transfer (set once by the owner).
staker_rewards: public(address)


event ManagerSet:
    manager: indexed(address)


event StakerRewardsSet:
    staker_rewards: indexed(address)


event ByzNftMinted:
    owner: indexed(address)
    token_id: indexed(uint256)


@deploy
def __init__():
    """
    @notice Deploys the collection; the deployer becomes the owner, who must
            call `set_manager` once.
    """
    ownable.__init__()
    ownable_2step.__init__()
    erc721.__init__(NAME, SYMBOL, "", NAME, EIP712_VERSION)


@external
def set_manager(new_manager: address):
    """
    @notice Sets the StrategyModuleManager, the only account allowed to mint.
    @dev Owner only; one time only.
    @param new_manager The StrategyModuleManager's address.
    """
    ownable._check_owner()
    assert self.manager == empty(address), "byz_nft: manager already set"
    assert new_manager != empty(address), "byz_nft: manager is the zero address"
    self.manager = new_manager
    log ManagerSet(manager=new_manager)


@external
def set_staker_rewards(new_staker_rewards: address):
    """
    @notice Sets StakerRewards, which every transfer notifies.
    @dev Owner only; one time only.
    @param new_staker_rewards StakerRewards' address.
    """
    ownable._check_owner()
    assert self.staker_rewards == empty(
        address
    ), "byz_nft: staker rewards already set"
    assert new_staker_rewards != empty(
        address
    ), "byz_nft: staker rewards is the zero address"
    self.staker_rewards = new_staker_rewards
    log StakerRewardsSet(staker_rewards=new_staker_rewards)


@external
@payable
def transferFrom(owner: address, to: address, token_id: uint256):
    """
    @notice Transfers token `token_id` from `owner` to `to` (ERC-721), and
            tells StakerRewards, which credits `owner` with what the
            cluster accrued until now.
    @dev The caller must be the owner or approved. Payable in its
         signature as in EIP-721, but refuses any value: ETH sent with a
         transfer would be stuck here.
    @param owner The current owner.
    @param to The receiver.
    @param token_id The token (cluster) id.
    """
    assert msg.value == 0, "byz_nft: transfers take no ether"
    assert erc721._is_approved_or_owner(
        msg.sender, token_id
    ), "erc721: caller is not token owner or approved"
    erc721._transfer(owner, to, token_id)
    self._notify(token_id, owner, to)


@external
@payable
def safeTransferFrom(
    owner: address, to: address, token_id: uint256, data: Bytes[1_024] = b""
):
    """
    @notice Safely transfers token `token_id` from `owner` to `to`
            (ERC-721: a contract receiver must accept it), and tells
            StakerRewards, which credits `owner` with what the cluster
            accrued until now.
    @dev The caller must be the owner or approved. Effects and the
         StakerRewards notification happen before the receiver hook.
         Payable in its signature as in EIP-721, but refuses any value: ETH
         sent with a transfer would be stuck here.
    @param owner The current owner.
    @param to The receiver.
    @param token_id The token (cluster) id.
    @param data Data passed to the receiver's `onERC721Received`.
    """
    assert msg.value == 0, "byz_nft: transfers take no ether"
    assert erc721._is_approved_or_owner(
        msg.sender, token_id
    ), "erc721: caller is not token owner or approved"
    erc721._transfer(owner, to, token_id)
    self._notify(token_id, owner, to)
    assert erc721._check_on_erc721_received(
        owner, to, token_id, data
    ), "erc721: transfer to non-IERC721Receiver implementer"


@external
def mint(to: address, token_id: uint256):
    """
    @notice Mints token `token_id` (== cluster id) to `to`.
    @dev Manager only. Uses the safe-mint path: a contract recipient must
         implement `onERC721Received`. Reverts if the token exists.
    @param to The staker receiving the token.
    @param token_id The cluster id.
    """
    assert msg.sender == self.manager, "byz_nft: caller is not the manager"
    # Effects (in `_mint`) happen before the receiver hook is called.
    erc721._safe_mint(to, token_id, b"")
    log ByzNftMinted(owner=to, token_id=token_id)


@external
@view
def exists(token_id: uint256) -> bool:
    """
    @notice Whether token `token_id` has been minted.
    @param token_id The token (cluster) id.
    @return bool True once minted (tokens are never burnt).
    """
    return erc721._exists(token_id)


@external
@view
def tokenURI(token_id: uint256) -> String[512]:
    """
    @notice Metadata of token `token_id` as a `data:` URI holding JSON: its
            name, a description, and the cluster id and StrategyModule address
            as attributes.
    @dev Reverts for a token that does not exist.
    @param token_id The token (cluster) id.
    @return String The token URI.
    """
    erc721._require_minted(token_id)
    module: address = staticcall IStrategyModuleManager(
        self.manager
    ).strategy_module_of(token_id)
    id_str: String[78] = uint2str(token_id)
    return concat(
        'data:application/json;utf8,{"name":"Byzantine DV #',
        id_str,
        '","description":"Ownership of the Byzantine StrategyModule of DV cluster ',
        id_str,
        '","attributes":[{"trait_type":"cluster_id","value":"',
        id_str,
        '"},{"trait_type":"strategy_module","value":"',
        self._to_hex_string(module),
        '"}]}',
    )


@internal
def _notify(token_id: uint256, seller: address, buyer: address):
    """
    @dev Tells StakerRewards about a transfer (if it is wired).
    @param token_id The token (cluster) id.
    @param seller The previous owner.
    @param buyer The new owner.
    """
    if self.staker_rewards != empty(address):
        extcall IStakerRewards(self.staker_rewards).on_transfer(
            token_id, seller, buyer
        )


@internal
@pure
def _to_hex_string(addr: address) -> String[42]:
    """
    @dev Lower-case `0x`-prefixed hexadecimal form of `addr`.
    @param addr The address.
    @return String The 42-character string.
    """
    x: uint256 = convert(addr, uint256)
    # 40 ASCII characters: the first 32 go into `hi`, the last 8 into `lo`.
    hi: uint256 = 0
    lo: uint256 = 0
    for i: uint256 in range(40):
        nibble: uint256 = (x >> (4 * (39 - i))) & 15
        char: uint256 = convert(
            convert(slice(_HEX_DIGITS, nibble, 1), bytes1), uint256
        )
        if i < 32:
            hi = (hi << 8) | char
        else:
            lo = (lo << 8) | char
    digits: Bytes[40] = concat(
        convert(hi, bytes32), slice(convert(lo << 192, bytes32), 0, 8)
    )
    return concat("0x", convert(digits, String[40]))
