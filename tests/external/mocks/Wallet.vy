# pragma version ~=0.4.3
"""
@title Wallet
@custom:contract-name Wallet
@license MIT
@notice Test helper: a smart-contract account that executes calls and whose
        ETH receipt behaviour is programmable.
@dev Modes: 0 accepts and records the amount (an SSTORE, more than a 2300-gas
     stipend allows), 1 rejects, 2 burns all the gas it is given, 3 re-enters
     the sender with `reenter_data` and accepts only if that call succeeds.
"""

ACCEPT: constant(uint8) = 0
REJECT: constant(uint8) = 1
BURN_GAS: constant(uint8) = 2
REENTER: constant(uint8) = 3

mode: public(uint8)
received: public(uint256)
reenter_data: public(Bytes[256])
burnt: public(uint256)


event Received:
    sender: indexed(address)
    amount: uint256


@external
@payable
def __default__():
    """
    @notice Receives ETH according to `mode`.
    """
    if self.mode == REJECT:
        raise "wallet: rejected"
    if self.mode == BURN_GAS:
        for i: uint256 in range(1_000_000):
            self.burnt += 1
    if self.mode == REENTER:
        raw_call(msg.sender, self.reenter_data)
    self.received += msg.value
    log Received(sender=msg.sender, amount=msg.value)


@external
def set_mode(mode: uint8, reenter_data: Bytes[256]):
    """
    @notice Sets how the wallet receives ETH.
    @param mode One of ACCEPT, REJECT, BURN_GAS, REENTER.
    @param reenter_data The calldata sent back to the payer in REENTER mode.
    """
    self.mode = mode
    self.reenter_data = reenter_data


@external
@payable
def execute(target: address, data: Bytes[1024]) -> Bytes[1024]:
    """
    @notice Calls `target` with `data` and `msg.value`, bubbling up reverts.
    @param target The contract to call.
    @param data The calldata.
    @return Bytes[1024] The returned data.
    """
    return raw_call(target, data, value=msg.value, max_outsize=1024)
