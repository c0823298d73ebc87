"""The staker flow end to end on the real suite (deploy/protocol.py):

bids from 8 operators -> pre-create -> predict addresses -> key ceremony (deploy/keys.py) -> register ->
stake 32 ETH -> everything sits where `predict_addresses` said (the pod created with the module, the manager
its proof submitter), the beacon deposit carries the pod's credentials -> confirmation -> restake through
EigenLayer v1.12 once the validator is activated -> delegation carries the shares to an operator -> an NFT
sale moves control of the module -> the buyer undelegates (EigenLayer queues the shares' withdrawal) -> a
second staker gets the next cluster (pre-created by the first deposit) -> no cluster ready -> clear revert,
and a deposit still succeeds when the next auction cannot run.
"""

from __future__ import annotations

import boa

from deploy.constants import c
from deploy.keys import make_deposit_data, verify_deposit_data
from tests.staker.conftest import (
    ETH,
    PRE_DEPOSIT,
    STAKE,
    TOP_UP,
    event_names,
    events,
    module_at,
)
from tests.staker.proofs import posted_proof, validator_fields
from tests.staker.restaking import (
    BEACON_CHAIN_ETH,
    NO_SALT,
    NO_SIGNATURE,
    ZERO,
    cluster_chain,
    pod_of,
    queued_withdrawal,
    restake,
)
from tests.utils.seats import operators_of, seats_of

DAY = 86_400


def _ceremony(manager, cluster_id, seed):
    """What the operators do off-chain: keys for the cluster's withdrawal credentials."""
    module, pod, split = manager.predict_addresses(cluster_id, seats_of(manager, cluster_id))
    credentials = bytes(manager.withdrawal_credentials(cluster_id))
    assert credentials == b"\x01" + b"\x00" * 11 + bytes.fromhex(pod[2:])
    d = make_deposit_data(credentials, seed=seed)  # signed for the pre-deposit
    assert verify_deposit_data(d)
    assert d["withdrawal_credentials"] == credentials.hex()
    return d, (module, pod, split)


def test_full_staker_flow(protocol, owner, operators, stakers, outsider):
    auction, manager, byz_nft = protocol.auction, protocol.manager, protocol.byz_nft
    deposit_contract, delegation_manager = protocol.deposit_contract, protocol.delegation_manager

    # 1. eight operators bid (two clusters' worth)
    for i, op in enumerate(operators):
        rates, durations = [500 + 50 * i], [60 + 10 * i]
        due = auction.price_to_pay(op, rates, durations)
        with boa.env.prank(op):
            auction.bid(rates, durations, value=due)
    assert auction.num_operators_in_auction() == 8

    # 2. the owner pre-creates one cluster
    with boa.env.prank(owner):
        assert manager.pre_create_clusters(1) == [0]
    assert manager.num_pending_clusters() == 1
    assert len(seats_of(manager, 0)) == 4  # the settlement's one event carries the cluster's seats

    # 3. key ceremony for the predicted addresses, then registration
    d0, (module0, pod0, split0) = _ceremony(manager, 0, b"integration cluster 0")
    # each winner registers its key share, then one the group key and signature (checked on chain)
    assert protocol.register_cluster_keys(0, b"integration cluster 0") == d0
    assert manager.next_cluster_to_stake() == (True, 0)

    # 4. the first staker deposits 32 ETH
    staker = stakers[0]
    root_before = deposit_contract.get_deposit_root()
    with boa.env.prank(staker):
        module_address = manager.create_strategy_module_and_stake(value=STAKE)
    logs = manager.get_logs()
    assert module_address == module0 == manager.strategy_module_of(0)
    assert byz_nft.ownerOf(0) == staker
    module = module_at(module_address)
    assert module.owner() == staker
    assert module.eigen_pod() == pod0
    assert protocol.eigen_pod_manager.getPod(module_address) == pod0
    assert protocol.eigen_pod_manager.hasPod(module_address)
    assert pod_of(module).podOwner() == module_address
    assert pod_of(module).proofSubmitter() == manager.address
    assert boa.env.get_code(pod0) != b""
    assert boa.env.get_code(split0) == b""  # the fee recipient's address; deployed when there are fees
    assert manager.predict_addresses(0, seats_of(manager, 0))[2] == split0

    # the beacon pre-deposit: 1 ETH with the pod's credentials and the ceremony's key; 31 ETH stay here
    (deposit,) = events(logs, "DepositEvent")
    assert deposit["pubkey"].hex() == d0["pubkey"]
    assert deposit["withdrawal_credentials"] == b"\x01" + b"\x00" * 11 + bytes.fromhex(pod0[2:])
    assert deposit["signature"].hex() == d0["signature"]
    assert deposit["amount"] == (PRE_DEPOSIT // 10**9).to_bytes(8, "little")
    assert deposit_contract.get_deposit_count() == (1).to_bytes(8, "little")
    assert deposit_contract.get_deposit_root() != root_before
    assert boa.env.get_balance(deposit_contract.address) == PRE_DEPOSIT
    assert boa.env.get_balance(manager.address) == TOP_UP

    # the stream waits for the proof; the next cluster was pre-created from the remaining bids
    assert "StreamStarted" not in event_names(logs)
    assert [e["cluster_id"] for e in events(logs, "ClusterPreCreated")] == [1]
    assert manager.cluster_status(0) == c.CLUSTER_PRE_DEPOSITED
    assert manager.cluster_status(1) == c.CLUSTER_PENDING
    # anyone proves the validator's credentials (a synthetic proof here; test_beacon_flow.py uses the
    # beacon-chain model): the 31 ETH follow, the stream starts
    timestamp, proof = posted_proof(
        protocol.beacon_roots,
        validator_fields(bytes.fromhex(d0["pubkey"]), bytes(manager.withdrawal_credentials(0))),
    )
    with boa.env.prank(outsider):
        manager.confirm_stake(0, seats_of(manager, 0), timestamp, proof)
    assert "StreamStarted" in event_names(manager.get_logs())
    assert manager.cluster_status(0) == c.CLUSTER_STAKED
    assert boa.env.get_balance(deposit_contract.address) == STAKE
    assert boa.env.get_balance(manager.address) == 0
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module_address) == 0  # not restaked yet
    # once the beacon chain has activated the validator, anyone restakes it through the module
    chain, index = cluster_chain(bytes.fromhex(d0["pubkey"]), pod0)
    restake(protocol, module, chain, index, sender=outsider)
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module_address) == STAKE

    # 5. the split pays the cluster's operators equally (fee recipient of the validator)
    boa.env.raw_call(split0, sender=outsider, value=ETH)
    with boa.env.prank(outsider):
        assert manager.deploy_split(0, seats_of(manager, 0)) == split0
    winners = operators_of(manager, 0)
    balances = [boa.env.get_balance(op) for op in winners]
    split_contract = boa.load_partial("contracts/external/Split.vy").at(split0)
    with boa.env.prank(outsider):
        split_contract.distribute()
    gains = [
        boa.env.get_balance(op) - b + split_contract.withdrawable(op)
        for op, b in zip(winners, balances, strict=True)
    ]
    assert len(set(gains)) == 1 and gains[0] > 0

    # 6. delegation through EigenLayer carries the restaked shares to the operator
    eigen_operator = operators[0]
    with boa.env.prank(eigen_operator):
        delegation_manager.registerAsOperator(ZERO, 0, "ipfs://operator-0")
    with boa.env.prank(staker):
        module.delegate_to(eigen_operator, NO_SIGNATURE, NO_SALT)
    assert module.is_delegated()
    assert delegation_manager.delegatedTo(module_address) == eigen_operator
    assert delegation_manager.operatorShares(eigen_operator, BEACON_CHAIN_ETH) == STAKE

    # 7. rewards accrue to the holder; selling the NFT sells the module
    boa.env.time_travel(seconds=3 * DAY)
    buyer = stakers[1]
    with boa.env.prank(staker):
        byz_nft.safeTransferFrom(staker, buyer, 0)
    assert module.owner() == buyer
    with boa.env.prank(staker), boa.reverts("strategy_module: caller is not the owner"):
        module.undelegate()
    # what accrued before the sale is the seller's; the buyer earns from the sale on
    assert protocol.staker_rewards.credit_of(staker) > 0
    boa.env.time_travel(seconds=DAY)
    before = boa.env.get_balance(buyer)
    with boa.env.prank(buyer):
        paid = module.claim_rewards()
        module.undelegate()
    assert paid > 0 and boa.env.get_balance(buyer) == before + paid
    assert not module.is_delegated()
    # EigenLayer queued the withdrawal of every share, the module its withdrawer
    assert delegation_manager.operatorShares(eigen_operator, BEACON_CHAIN_ETH) == 0
    withdrawal = queued_withdrawal(protocol, module)
    assert withdrawal.withdrawer == module_address and list(withdrawal.scaledShares) == [STAKE]

    # 8. a second staker gets the next cluster (pre-created by the first deposit)
    with boa.env.prank(stakers[2]), boa.reverts("strategy_module_manager: no cluster ready"):
        manager.create_strategy_module_and_stake(value=STAKE)
    d1, (module1, pod1, split1) = _ceremony(manager, 1, b"integration cluster 1")
    assert protocol.register_cluster_keys(1, b"integration cluster 1") == d1
    assert not auction.can_settle()  # every operator's bid is used: the next auction cannot run
    with boa.env.prank(stakers[2]):
        second = manager.create_strategy_module_and_stake(value=STAKE)
    logs = manager.get_logs()
    assert second == module1 != module_address
    assert byz_nft.ownerOf(1) == stakers[2]
    assert module_at(second).eigen_pod() == pod1 != pod0
    assert events(logs, "ClusterPreCreationSkipped") == [{"settlement_attempted": False}]
    (deposit,) = events(logs, "DepositEvent")
    assert deposit["withdrawal_credentials"] == b"\x01" + b"\x00" * 11 + bytes.fromhex(pod1[2:])
    assert deposit_contract.get_deposit_count() == (3).to_bytes(8, "little")

    # 9. nothing is ready any more
    assert manager.num_pending_clusters() == 0
    with boa.env.prank(stakers[3]), boa.reverts("strategy_module_manager: no cluster ready"):
        manager.create_strategy_module_and_stake(value=STAKE)
    assert manager.num_staked_clusters() == 2 == byz_nft.totalSupply()
