"""StrategyModule: proxy initialisation (its EigenPod created, the manager its proof submitter), staking by
the manager, the NFT holder's actions, and the EigenLayer v1.12 steps (restake, checkpoints, the withdrawal
queue) on synthetic EigenLayer-format proofs (tests/staker/restaking.py)."""

from __future__ import annotations

import boa
import pytest

from deploy.keys import eigen_pod_withdrawal_credentials
from deploy.protocol import deployer_for
from tests.eigenlayer.beacon import GWEI, pubkey_hash
from tests.staker.conftest import (
    ETH,
    PRE_DEPOSIT,
    as_args,
    deposit_data,
    emitted_by,
    event_names,
    events,
    mock_deployer,
    module_at,
)
from tests.staker.proofs import posted_proof, validator_fields
from tests.staker.restaking import (
    ACTIVATION_EPOCH,
    BEACON_CHAIN_ETH,
    NO_SALT,
    NO_SIGNATURE,
    POD_STATUS_ACTIVE,
    POD_STATUS_WITHDRAWN,
    ZERO,
    checkpoint,
    cluster_chain,
    next_block,
    pod_of,
    post,
    queued_withdrawal,
    restake,
    restake_args,
    sweep,
    wait_withdrawal_delay,
)
from tests.utils.constants import c
from tests.utils.errors import reverts_with_error
from tests.utils.seats import seats_of

DAY = 86_400
EPOCH = c.SECONDS_PER_EPOCH


@pytest.fixture(scope="module")
def proxy_deployer():
    return mock_deployer("ProxyDeployer").deploy()


@pytest.fixture(scope="module")
def fresh_module(proxy_deployer, module_implementation):
    """A new, uninitialised proxy of the StrategyModule implementation."""

    def make(salt=b"\x00" * 32):
        return module_at(proxy_deployer.deploy(module_implementation.address, salt))

    return make


@pytest.fixture(scope="module")
def eigen_operator(delegation_manager, operators):
    op = operators[7]
    with boa.env.prank(op):
        delegation_manager.registerAsOperator(ZERO, 0, "https://operator.example/metadata.json")
    return op


@pytest.fixture(scope="module")
def restaked_module(confirmed_module, protocol):
    """A confirmed cluster whose validator (32 ETH, active since ACTIVATION_EPOCH) is restaked through its
    module: returns (cluster id, module, staker, chain, validator index)."""

    def run():
        cluster_id, module, staker = confirmed_module()
        pubkey = bytes(protocol.manager.validator_pubkey(cluster_id))
        chain, index = cluster_chain(pubkey, module.eigen_pod())
        restake(protocol, module, chain, index)
        return cluster_id, module, staker, chain, index

    return run


# ---------------------------------------------------------------- initialisation


def implementation_args(protocol) -> list:
    roles = ("manager", "byz_nft", "auction", "staker_rewards", "eigen_pod_manager", "delegation_manager")
    return [getattr(protocol, r).address for r in roles] + [
        protocol.withdrawal_requests.address,
        protocol.rewards_coordinator.address,
    ]


def test_implementation_immutables(module_implementation, protocol):
    """Every proxy reads the protocol's addresses from the implementation's code (immutables)."""
    names = ("manager", "byz_nft", "auction", "staker_rewards", "eigen_pod_manager", "delegation_manager")
    extra = ("withdrawal_requests", "rewards_coordinator")
    for name, address in zip((*names, *extra), implementation_args(protocol), strict=True):
        assert getattr(module_implementation, name)() == address


@pytest.mark.parametrize(
    "position,what",
    list(
        enumerate(
            [
                "manager",
                "byz nft",
                "auction",
                "staker rewards",
                "eigen pod manager",
                "delegation manager",
                "withdrawal requests",
                "rewards coordinator",
            ]
        )
    ),
)
def test_constructor_rejects_addresses_without_code(protocol, outsider, position, what):
    args = implementation_args(protocol)
    args[position] = outsider
    with boa.reverts(f"strategy_module: {what} has no code"):
        deployer_for("strategy_module_implementation").deploy(*args)


def test_implementation_can_never_be_initialized(module_implementation, manager):
    assert module_implementation.initialized()
    with boa.env.prank(manager.address), boa.reverts("strategy_module: already initialized"):
        module_implementation.initialize(42)
    with boa.reverts("strategy_module: not initialized"):
        module_implementation.cluster_id()


def test_initialize_only_manager(fresh_module, outsider):
    module = fresh_module()
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the manager"):
        module.initialize(42)
    assert not module.initialized()


def test_initialize_sets_the_cluster(fresh_module, manager, protocol):
    module = fresh_module()
    assert not protocol.eigen_pod_manager.hasPod(module.address)
    with boa.env.prank(manager.address):
        module.initialize(42)
    logs = module.get_logs()
    pod = protocol.eigen_pod_manager.getPod(module.address)
    assert events(logs, "Initialized") == [{"manager": manager.address, "cluster_id": 42}]
    assert module.initialized()
    assert module.cluster_id() == 42
    # a proxy's storage holds only its cluster: the addresses are the implementation's immutables
    assert module.manager() == manager.address
    assert module.withdrawal_requests() == protocol.withdrawal_requests.address
    assert module.status() == c.CLUSTER_UNKNOWN  # cluster 42 is unknown to the manager
    assert not module.is_staked()
    # the pod is created at initialisation, owned by the module, the manager its proof submitter
    assert events(logs, "PodCreated") == [
        {"cluster_id": 42, "eigen_pod": pod, "proof_submitter": manager.address}
    ]
    assert "PodDeployed" in event_names(logs)
    assert module.has_eigen_pod() and protocol.eigen_pod_manager.hasPod(module.address)
    assert module.eigen_pod() == pod
    assert boa.env.get_code(pod) != b""
    assert pod_of(module).podOwner() == module.address
    assert pod_of(module).proofSubmitter() == manager.address


def test_initialize_only_once(staked_module, manager):
    _, module, _ = staked_module()
    with boa.env.prank(manager.address), boa.reverts("strategy_module: already initialized"):
        module.initialize(7)


def test_owner_of_uninitialized_module_reverts(fresh_module):
    with boa.reverts("strategy_module: not initialized"):
        fresh_module().owner()


# ---------------------------------------------------------------- deposits (manager only)


def test_stake_by_its_manager(fresh_module, manager, deposit_contract):
    module = fresh_module()
    with boa.env.prank(manager.address):
        module.initialize(42)
    pod = module.eigen_pod()
    d = deposit_data(eigen_pod_withdrawal_credentials(pod), b"fresh module key")
    boa.env.set_balance(manager.address, 100 * ETH)
    with boa.env.prank(manager.address):
        module.stake(*as_args(d), value=PRE_DEPOSIT)
    logs = module.get_logs()
    assert events(logs, "Staked") == [
        {"cluster_id": 42, "eigen_pod": pod, "pubkey": bytes.fromhex(d["pubkey"]), "amount": PRE_DEPOSIT}
    ]
    (deposit,) = events(logs, "DepositEvent")
    assert deposit["withdrawal_credentials"] == eigen_pod_withdrawal_credentials(pod)
    # straight to the deposit contract (EigenPod.stake takes exactly 32 ETH): nothing passes through the pod
    assert deposit["amount"] == (PRE_DEPOSIT // GWEI).to_bytes(8, "little")
    assert boa.env.get_balance(deposit_contract.address) == PRE_DEPOSIT
    assert boa.env.get_balance(pod) == 0
    assert boa.env.get_balance(module.address) == 0


def test_stake_only_manager(fresh_module, manager, stakers):
    module = fresh_module()
    with boa.env.prank(manager.address):
        module.initialize(42)
    with boa.env.prank(stakers[0]), boa.reverts("strategy_module: caller is not the manager"):
        module.stake(b"\x01" * 48, b"\x02" * 96, b"\x03" * 32, value=PRE_DEPOSIT)


def test_stake_below_one_eth_reverts(fresh_module, manager):
    module = fresh_module()
    boa.env.set_balance(manager.address, 100 * ETH)
    with boa.env.prank(manager.address):
        module.initialize(42)
        with boa.reverts("deposit_contract: deposit value too low"):
            module.stake(b"\x01" * 48, b"\x02" * 96, b"\x03" * 32, value=PRE_DEPOSIT - 1)


# ---------------------------------------------------------------- ownership follows the NFT


def test_owner_is_the_nft_holder(staked_module, byz_nft, stakers):
    cluster_id, module, staker = staked_module()
    assert module.owner() == staker == byz_nft.ownerOf(cluster_id)
    with boa.env.prank(staker):
        byz_nft.transferFrom(staker, stakers[1], cluster_id)
    assert module.owner() == stakers[1]


def test_previous_holder_loses_control(staked_module, byz_nft, stakers, eigen_operator):
    cluster_id, module, staker = staked_module()
    with boa.env.prank(staker):
        byz_nft.transferFrom(staker, stakers[1], cluster_id)
    with boa.env.prank(staker), boa.reverts("strategy_module: caller is not the owner"):
        module.delegate_to(eigen_operator, NO_SIGNATURE, NO_SALT)
    with boa.env.prank(stakers[1]):
        module.delegate_to(eigen_operator, NO_SIGNATURE, NO_SALT)
    assert module.delegated_to() == eigen_operator


# ---------------------------------------------------------------- delegation


def test_delegate_to(staked_module, eigen_operator, delegation_manager):
    cluster_id, module, staker = staked_module()
    assert not module.is_delegated()
    with boa.env.prank(staker):
        module.delegate_to(eigen_operator, NO_SIGNATURE, NO_SALT)
    assert events(module.get_logs(), "DelegatedTo") == [
        {"cluster_id": cluster_id, "operator": eigen_operator}
    ]
    assert module.is_delegated()
    assert module.delegated_to() == eigen_operator
    assert delegation_manager.delegatedTo(module.address) == eigen_operator
    # nothing restaked yet: the operator receives no shares
    assert delegation_manager.operatorShares(eigen_operator, BEACON_CHAIN_ETH) == 0


def test_delegate_to_only_owner(staked_module, eigen_operator, outsider, manager):
    _, module, _ = staked_module()
    for caller in (outsider, manager.address):
        with boa.env.prank(caller), boa.reverts("strategy_module: caller is not the owner"):
            module.delegate_to(eigen_operator, NO_SIGNATURE, NO_SALT)


def test_delegate_to_unregistered_operator_reverts(staked_module, outsider):
    _, module, staker = staked_module()
    with boa.env.prank(staker), reverts_with_error("OperatorNotRegistered()"):
        module.delegate_to(outsider, NO_SIGNATURE, NO_SALT)
    assert not module.is_delegated()


def test_undelegate(staked_module, eigen_operator):
    cluster_id, module, staker = staked_module()
    with boa.env.prank(staker):
        module.delegate_to(eigen_operator, NO_SIGNATURE, NO_SALT)
        module.undelegate()
    assert events(module.get_logs(), "Undelegated") == [
        {"cluster_id": cluster_id, "operator": eigen_operator}
    ]
    assert not module.is_delegated()
    assert module.delegated_to() == ZERO


def test_undelegate_only_owner(staked_module, eigen_operator, outsider):
    _, module, staker = staked_module()
    with boa.env.prank(staker):
        module.delegate_to(eigen_operator, NO_SIGNATURE, NO_SALT)
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.undelegate()


def test_undelegate_when_not_delegated_reverts(staked_module):
    _, module, staker = staked_module()
    with boa.env.prank(staker), reverts_with_error("NotActivelyDelegated()"):
        module.undelegate()


def test_delegation_carries_the_restaked_shares(
    restaked_module, eigen_operator, delegation_manager, protocol
):
    """Delegation moves the module's restaked shares to the operator; undelegating queues their withdrawal
    (EigenLayer's way), completed later like any queued withdrawal of the module."""
    cluster_id, module, staker, _, _ = restaked_module()
    shares = protocol.eigen_pod_manager.podOwnerDepositShares(module.address)
    assert shares == 32 * ETH
    with boa.env.prank(staker):
        module.delegate_to(eigen_operator, NO_SIGNATURE, NO_SALT)
    assert delegation_manager.operatorShares(eigen_operator, BEACON_CHAIN_ETH) == shares
    assert list(delegation_manager.getWithdrawableShares(module.address, [BEACON_CHAIN_ETH])[0]) == [shares]
    with boa.env.prank(staker):
        module.undelegate()
    assert events(module.get_logs(), "Undelegated") == [
        {"cluster_id": cluster_id, "operator": eigen_operator}
    ]
    assert delegation_manager.operatorShares(eigen_operator, BEACON_CHAIN_ETH) == 0
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module.address) == 0
    withdrawal = queued_withdrawal(protocol, module)
    assert withdrawal.staker == withdrawal.withdrawer == module.address
    assert withdrawal.delegatedTo == eigen_operator
    assert list(withdrawal.strategies) == [BEACON_CHAIN_ETH]


# ---------------------------------------------------------------- staker rewards


def test_claim_rewards_pays_the_holder(staked_module, staker_rewards):
    cluster_id, module, staker = staked_module()
    boa.env.time_travel(seconds=10 * DAY)
    expected = staker_rewards.claimable(cluster_id)
    assert expected > 0
    assert module.claimable_rewards() == expected
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        paid = module.claim_rewards()
    assert events(module.get_logs(), "RewardsClaimed")[-1] == {
        "cluster_id": cluster_id,
        "receiver": staker,
        "amount": expected,
    }
    assert paid == expected
    assert boa.env.get_balance(staker) == before + expected
    assert module.claimable_rewards() == 0


def test_claim_rewards_after_nft_sale_pays_the_buyer(staked_module, byz_nft, staker_rewards, stakers):
    """What accrued before the sale is credited to the seller; the buyer earns from the sale on."""
    cluster_id, module, staker = staked_module()
    boa.env.time_travel(seconds=5 * DAY)
    accrued = module.claimable_rewards()
    with boa.env.prank(staker):
        byz_nft.transferFrom(staker, stakers[1], cluster_id)
    assert staker_rewards.credit_of(staker) == accrued > 0
    assert module.claimable_rewards() == 0
    boa.env.time_travel(seconds=DAY)
    before = boa.env.get_balance(stakers[1])
    with boa.env.prank(stakers[1]):
        paid = module.claim_rewards()
    assert paid > 0
    assert boa.env.get_balance(stakers[1]) == before + paid


def test_claim_rewards_only_owner(staked_module, outsider):
    _, module, _ = staked_module()
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.claim_rewards()


# ---------------------------------------------------------------- ETH held by the module


def test_receives_eth(staked_module, outsider):
    _, module, _ = staked_module()
    computation = boa.env.raw_call(module.address, sender=outsider, value=ETH)
    assert boa.env.get_balance(module.address) == ETH
    assert events(module.get_logs(computation), "EtherReceived") == [{"sender": outsider, "amount": ETH}]


def test_withdraw_without_stipend(staked_module, outsider, manager):
    cluster_id, module, staker = staked_module()
    boa.env.raw_call(module.address, sender=outsider, value=3 * ETH)
    # a receiver whose fallback writes storage needs more than 2300 gas
    receiver = mock_deployer("ContractStaker").deploy(manager.address, 0)
    with boa.env.prank(staker):
        module.withdraw(2 * ETH, receiver.address)
    assert events(module.get_logs(), "Withdrawn") == [
        {"cluster_id": cluster_id, "receiver": receiver.address, "amount": 2 * ETH}
    ]
    assert receiver.received() == 2 * ETH
    assert boa.env.get_balance(module.address) == ETH


def test_withdraw_only_owner(staked_module, outsider):
    _, module, _ = staked_module()
    boa.env.raw_call(module.address, sender=outsider, value=ETH)
    with boa.env.prank(outsider), boa.reverts("strategy_module: caller is not the owner"):
        module.withdraw(ETH, outsider)


def test_withdraw_checks(staked_module, outsider):
    _, module, staker = staked_module()
    boa.env.raw_call(module.address, sender=outsider, value=ETH)
    with boa.env.prank(staker):
        with boa.reverts("strategy_module: zero receiver"):
            module.withdraw(1, ZERO)
        with boa.reverts("strategy_module: amount exceeds balance"):
            module.withdraw(ETH + 1, staker)


# ---------------------------------------------------------------- EigenLayer: restake


def test_restake(confirmed_module, protocol, outsider):
    """Anyone restakes the cluster's validator once it has an activation epoch: the pod verifies its
    credentials, the effective balance becomes the module's shares, and the activation epoch is recorded."""
    cluster_id, module, _ = confirmed_module()
    pubkey = bytes(protocol.manager.validator_pubkey(cluster_id))
    chain, index = cluster_chain(pubkey, module.eigen_pod())
    pod = pod_of(module)  # a handle first: titanoboa decodes the logs of the contracts it knows
    # the confirmation restaked nothing
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module.address) == 0
    assert module.activation_epoch() == 0
    args = restake_args(protocol, chain, index)
    timestamp = args[0]
    with boa.env.prank(outsider):
        module.restake(*args)
    logs = module.get_logs()
    assert events(logs, "Restaked") == [
        {
            "cluster_id": cluster_id,
            "caller": outsider,
            "validator_index": index,
            "beacon_timestamp": timestamp,
        }
    ]
    assert events(logs, "ActivationProven") == [
        {"cluster_id": cluster_id, "activation_epoch": ACTIVATION_EPOCH, "beacon_timestamp": timestamp}
    ]
    assert "ValidatorRestaked" in event_names(logs)
    assert pod.validatorStatus(pubkey_hash(pubkey)) == POD_STATUS_ACTIVE
    assert pod.activeValidatorCount() == 1
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module.address) == 32 * ETH
    assert module.activation_epoch() == ACTIVATION_EPOCH


def test_restake_keeps_an_activation_epoch_already_proven(confirmed_module, protocol):
    cluster_id, module, _ = confirmed_module()
    pubkey = bytes(protocol.manager.validator_pubkey(cluster_id))
    credentials = bytes(protocol.manager.withdrawal_credentials(cluster_id))
    fields = validator_fields(pubkey, credentials, balance_gwei=32 * GWEI, activation_epoch=7)
    module.prove_activation(*posted_proof(protocol.beacon_roots, fields, salt=b"activation"))
    assert module.activation_epoch() == 7
    chain, index = cluster_chain(pubkey, module.eigen_pod(), activation_epoch=ACTIVATION_EPOCH)
    restake(protocol, module, chain, index)
    assert "Restaked" in event_names(module.get_logs())
    assert "ActivationProven" not in event_names(module.get_logs())
    assert module.activation_epoch() == 7
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module.address) == 32 * ETH


def test_restake_of_a_cluster_not_staked_reverts(staked_module, protocol, manager):
    """Before `confirm_stake` (the 31 ETH not yet in) the module refuses to restake."""
    cluster_id, module, _ = staked_module()
    pubkey = bytes(manager.validator_pubkey(cluster_id))
    chain, index = cluster_chain(pubkey, module.eigen_pod())
    with boa.reverts("strategy_module: cluster not staked"):
        module.restake(*restake_args(protocol, chain, index))


def test_restake_with_another_validators_proof_reverts(confirmed_module, protocol):
    cluster_id, module, _ = confirmed_module()
    pubkey = bytes(protocol.manager.validator_pubkey(cluster_id))
    chain, index = cluster_chain(pubkey, module.eigen_pod())
    with boa.reverts("strategy_module: proof is for another validator"):
        module.restake(*restake_args(protocol, chain, 0))  # a foreign validator of the same state
    timestamp, state_root_proof, _, proof, fields = restake_args(protocol, chain, index)
    with boa.reverts("strategy_module: proof is for another validator"):
        module.restake(timestamp, state_root_proof, index, proof, fields[:5])  # too few fields
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module.address) == 0


@pytest.mark.parametrize(
    "fields,error",
    [
        ({"activation_epoch": 2**64 - 1}, "ValidatorInactiveOnBeaconChain()"),  # the 1 ETH validator
        ({"exit_epoch": 500}, "ValidatorIsExitingBeaconChain()"),
        ({"prefix": 0}, "WithdrawalCredentialsNotForEigenPod()"),
    ],
)
def test_restake_keeps_eigenlayers_checks(confirmed_module, protocol, fields, error):
    cluster_id, module, _ = confirmed_module()
    pubkey = bytes(protocol.manager.validator_pubkey(cluster_id))
    chain, index = cluster_chain(pubkey, module.eigen_pod(), **fields)
    with reverts_with_error(error):
        module.restake(*restake_args(protocol, chain, index))
    assert module.activation_epoch() == 0


def test_restake_twice_or_with_a_bad_proof_reverts(confirmed_module, protocol):
    cluster_id, module, _ = confirmed_module()
    pubkey = bytes(protocol.manager.validator_pubkey(cluster_id))
    chain, index = cluster_chain(pubkey, module.eigen_pod())
    timestamp, state_root_proof, _, proof, fields = restake_args(protocol, chain, index)
    with reverts_with_error("InvalidProof()"):
        module.restake(timestamp, state_root_proof, index + 1, proof, fields)
    restake(protocol, module, chain, index)
    with reverts_with_error("CredentialsAlreadyVerified()"):
        module.restake(*restake_args(protocol, chain, index))


# ---------------------------------------------------------------- EigenLayer: checkpoints


def test_start_checkpoint_credits_the_pods_new_eth(restaked_module, protocol, outsider):
    """Anyone starts a checkpoint through the module; the balance proofs go straight to the pod (anyone):
    consensus rewards swept to the pod become deposit shares."""
    cluster_id, module, _, chain, index = restaked_module()
    pod = pod_of(module)
    boa.env.set_balance(pod.address, ETH)  # a partial withdrawal: 1 ETH of consensus rewards
    snap = chain.snapshot()
    timestamp = post(protocol, snap)
    with boa.env.prank(outsider):
        module.start_checkpoint()
    logs = module.get_logs()
    assert events(logs, "CheckpointStarted") == [{"cluster_id": cluster_id, "caller": outsider}]
    assert "CheckpointCreated" in event_names(logs)
    assert pod.currentCheckpointTimestamp() == timestamp
    with boa.env.prank(outsider):
        pod.verifyCheckpointProofs(snap.balance_container_proof(), [snap.balance_proof(index)])
    assert "CheckpointFinalized" in event_names(pod.get_logs())
    assert pod.currentCheckpointTimestamp() == 0
    assert pod.lastCheckpointTimestamp() == timestamp
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module.address) == 33 * ETH
    assert pod.withdrawableRestakedExecutionLayerGwei() == GWEI


def test_checkpoint_losses_lower_the_slashing_factor_not_the_shares(restaked_module, protocol):
    _, module, _, chain, index = restaked_module()
    chain.set(index, balance_gwei=31 * GWEI, effective_balance=31 * GWEI)
    checkpoint(protocol, module, chain, [index])
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module.address) == 32 * ETH
    assert protocol.eigen_pod_manager.beaconChainSlashingFactor(module.address) < ETH


def test_start_checkpoint_keeps_eigenlayers_checks(restaked_module, staked_module, protocol):
    _, module, _, chain, _ = restaked_module()
    post(protocol, chain.snapshot())
    module.start_checkpoint()
    with reverts_with_error("CheckpointAlreadyActive()"):  # the restaked validator is still to prove
        module.start_checkpoint()
    _, empty_module, _ = staked_module()
    empty_module.start_checkpoint()  # no validator: the checkpoint ends at once
    assert pod_of(empty_module).lastCheckpointTimestamp() == boa.env.timestamp
    with reverts_with_error("CannotCheckpointTwiceInSingleBlock()"):
        empty_module.start_checkpoint()


# ---------------------------------------------------------------- EigenLayer: the pod's proof submitter


def test_set_proof_submitter(staked_module, manager, outsider, protocol):
    """The manager submits the pod's proofs until the holder names another submitter."""
    cluster_id, module, staker = staked_module()
    pod = pod_of(module)
    next_block(protocol)
    with boa.env.prank(manager.address):  # the manager may act on the pod directly
        pod.startCheckpoint(False)
    with boa.env.prank(outsider), reverts_with_error("OnlyEigenPodOwnerOrProofSubmitter()"):
        pod.startCheckpoint(False)
    next_block(protocol)
    with boa.env.prank(staker):
        module.set_proof_submitter(outsider)
    logs = module.get_logs()
    assert events(logs, "ProofSubmitterSet") == [{"cluster_id": cluster_id, "proof_submitter": outsider}]
    assert "ProofSubmitterUpdated" in event_names(logs)
    assert pod.proofSubmitter() == outsider
    with boa.env.prank(manager.address), reverts_with_error("OnlyEigenPodOwnerOrProofSubmitter()"):
        pod.startCheckpoint(False)
    with boa.env.prank(outsider):
        pod.startCheckpoint(False)
    # the zero address leaves only the module (the pod's owner)
    next_block(protocol)
    with boa.env.prank(staker):
        module.set_proof_submitter(ZERO)
    assert pod.proofSubmitter() == ZERO
    with boa.env.prank(outsider), reverts_with_error("OnlyEigenPodOwnerOrProofSubmitter()"):
        pod.startCheckpoint(False)
    module.start_checkpoint()


def test_set_proof_submitter_only_owner(staked_module, manager, outsider):
    _, module, _ = staked_module()
    for caller in (outsider, manager.address):
        with boa.env.prank(caller), boa.reverts("strategy_module: caller is not the owner"):
            module.set_proof_submitter(caller)
    assert pod_of(module).proofSubmitter() == manager.address


def test_set_rewards_claimer(staked_module, protocol, outsider, manager):
    """The module (its pod's owner) is the earner of its EigenLayer rewards: the holder names their claimer
    in the RewardsCoordinator, and a buyer of the NFT names its own."""
    cluster_id, module, staker = staked_module()
    rc = protocol.rewards_coordinator
    assert rc.claimerFor(module.address) == ZERO
    for caller in (outsider, manager.address):
        with boa.env.prank(caller), boa.reverts("strategy_module: caller is not the owner"):
            module.set_rewards_claimer(caller)
    with boa.env.prank(staker):
        module.set_rewards_claimer(staker)
    logs = module.get_logs()
    assert events(logs, "RewardsClaimerSet") == [{"cluster_id": cluster_id, "claimer": staker}]
    assert "ClaimerForSet" in event_names(logs)
    assert rc.claimerFor(module.address) == staker
    protocol.byz_nft.transferFrom(staker, outsider, cluster_id, sender=staker)
    with boa.env.prank(staker), boa.reverts("strategy_module: caller is not the owner"):
        module.set_rewards_claimer(staker)
    with boa.env.prank(outsider):
        module.set_rewards_claimer(outsider)
    assert rc.claimerFor(module.address) == outsider


# ---------------------------------------------------------------- EigenLayer: the withdrawal queue


def test_queue_withdrawal(restaked_module, protocol):
    cluster_id, module, staker, _, _ = restaked_module()
    with boa.env.prank(staker):
        root = module.queue_withdrawal(10 * ETH)
    logs = module.get_logs()
    assert events(logs, "WithdrawalQueued") == [
        {"cluster_id": cluster_id, "withdrawal_root": root, "deposit_shares": 10 * ETH}
    ]
    assert "SlashingWithdrawalQueued" in event_names(logs)
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module.address) == 22 * ETH
    withdrawal = queued_withdrawal(protocol, module)
    assert protocol.delegation_manager.calculateWithdrawalRoot(withdrawal) == root
    assert withdrawal.staker == withdrawal.withdrawer == module.address
    assert list(withdrawal.strategies) == [BEACON_CHAIN_ETH]
    assert list(withdrawal.scaledShares) == [10 * ETH]


def test_queue_withdrawal_guards(restaked_module, manager, outsider, protocol):
    _, module, staker, _, _ = restaked_module()
    for caller in (outsider, manager.address):
        with boa.env.prank(caller), boa.reverts("strategy_module: caller is not the owner"):
            module.queue_withdrawal(ETH)
    with boa.env.prank(staker), reverts_with_error("SharesNegative()"):
        module.queue_withdrawal(32 * ETH + 1)
    assert protocol.eigen_pod_manager.podOwnerDepositShares(module.address) == 32 * ETH


def test_complete_withdrawal_brings_the_principal_home(restaked_module, protocol, outsider):
    """The exited principal: swept to the pod, checkpointed (the validator proven at 0 is WITHDRAWN), queued
    by the holder, completed by anyone after EigenLayer's delay as ETH to the module, then withdrawn."""
    cluster_id, module, staker, chain, index = restaked_module()
    pod = pod_of(module)
    # anyone proves the exit (project-format proof): the stream ends, the cluster is exited
    manager = protocol.manager
    exit_epoch = (boa.env.timestamp - manager.beacon_genesis_time()) // EPOCH + 5
    fields = validator_fields(
        bytes(manager.validator_pubkey(cluster_id)),
        bytes(manager.withdrawal_credentials(cluster_id)),
        balance_gwei=32 * GWEI,
        activation_epoch=ACTIVATION_EPOCH,
        exit_epoch=exit_epoch,
    )
    with boa.env.prank(outsider):
        module.prove_exit(
            seats_of(module, module.cluster_id()), *posted_proof(protocol.beacon_roots, fields, salt=b"exit")
        )
    assert manager.cluster_status(cluster_id) == c.CLUSTER_EXITED
    # the beacon chain sweeps the balance to the pod; the rest is EigenLayer's
    sweep(module, chain, index, 32 * ETH)
    checkpoint(protocol, module, chain, [index])
    assert pod.validatorStatus(pubkey_hash(bytes(protocol.manager.validator_pubkey(cluster_id)))) == (
        POD_STATUS_WITHDRAWN
    )
    assert pod.withdrawableRestakedExecutionLayerGwei() == 32 * GWEI
    shares = protocol.eigen_pod_manager.podOwnerDepositShares(module.address)
    assert shares == 32 * ETH
    with boa.env.prank(staker):
        root = module.queue_withdrawal(shares)
    withdrawal = queued_withdrawal(protocol, module)
    with boa.env.prank(outsider), reverts_with_error("WithdrawalDelayNotElapsed()"):
        module.complete_withdrawal(withdrawal)
    wait_withdrawal_delay(protocol)
    with boa.env.prank(outsider):  # anyone: the ETH only ever reaches the module
        module.complete_withdrawal(withdrawal)
    logs = module.get_logs()
    assert events(logs, "WithdrawalCompleted") == [
        {"cluster_id": cluster_id, "withdrawal_root": root, "amount": 32 * ETH}
    ]
    assert events(logs, "EtherReceived") == [{"sender": pod.address, "amount": 32 * ETH}]
    assert boa.env.get_balance(module.address) == 32 * ETH
    assert boa.env.get_balance(pod.address) == 0
    with reverts_with_error("WithdrawalNotQueued()"):
        module.complete_withdrawal(withdrawal)
    before = boa.env.get_balance(staker)
    with boa.env.prank(staker):
        module.withdraw(32 * ETH, staker)
    assert boa.env.get_balance(staker) == before + 32 * ETH


def test_complete_withdrawal_of_another_module_reverts(restaked_module, fresh_module, manager, protocol):
    _, module, staker, _, _ = restaked_module()
    with boa.env.prank(staker):
        module.queue_withdrawal(ETH)
    withdrawal = queued_withdrawal(protocol, module)
    wait_withdrawal_delay(protocol)
    other = fresh_module(b"\x01" * 32)
    with boa.env.prank(manager.address):
        other.initialize(42)
    with reverts_with_error("WithdrawerNotCaller()"):
        other.complete_withdrawal(withdrawal)


UNINITIALISED_CALLS = {
    "restake": lambda m: m.restake(0, (b"\x00" * 32, b""), 0, b"", [b"\x00" * 32] * 8),
    "start_checkpoint": lambda m: m.start_checkpoint(),
    "set_proof_submitter": lambda m: m.set_proof_submitter(ZERO),
    "queue_withdrawal": lambda m: m.queue_withdrawal(1),
    "complete_withdrawal": lambda m: m.complete_withdrawal((ZERO, ZERO, ZERO, 0, 0, [BEACON_CHAIN_ETH], [1])),
}


@pytest.mark.parametrize("name", sorted(UNINITIALISED_CALLS))
def test_eigenlayer_steps_of_an_uninitialized_module_revert(fresh_module, name):
    with boa.reverts("strategy_module: not initialized"):
        UNINITIALISED_CALLS[name](fresh_module())


# ---------------------------------------------------------------- views


def test_cluster_views(staked_module, auction, manager, eigen_pod_manager):
    cluster_id, module, _ = staked_module()
    assert module.cluster_id() == cluster_id
    assert module.manager() == manager.address
    assert not module.is_staked()  # proven only by confirm_stake
    assert module.has_eigen_pod()
    assert module.staker_rewards() == manager.staker_rewards()  # where its cluster's seats are committed
    assert (
        module.eigen_pod()
        == eigen_pod_manager.getPod(module.address)
        == manager.predict_addresses(cluster_id, seats_of(manager, cluster_id))[1]
    )


def test_event_names_of_a_full_session(confirmed_module, eigen_operator, protocol, outsider):
    """A holder's whole session on EigenLayer v1.12, each step named by the module's own event."""
    cluster_id, module, staker = confirmed_module()
    chain, index = cluster_chain(bytes(protocol.manager.validator_pubkey(cluster_id)), module.eigen_pod())
    pod = pod_of(module)
    seen = []

    def step(call, *args, sender=staker):
        call(*args, sender=sender)
        seen.extend(name for name in event_names(emitted_by(module.get_logs(), module.address)))

    step(module.restake, *restake_args(protocol, chain, index), sender=outsider)
    step(module.delegate_to, eigen_operator, NO_SIGNATURE, NO_SALT)
    boa.env.time_travel(seconds=DAY)
    step(module.claim_rewards)
    step(module.set_proof_submitter, outsider)
    boa.env.set_balance(pod.address, ETH)  # consensus rewards swept to the pod
    snap = chain.snapshot()
    post(protocol, snap)
    step(module.start_checkpoint, sender=outsider)
    pod.verifyCheckpointProofs(snap.balance_container_proof(), [snap.balance_proof(index)], sender=outsider)
    step(module.queue_withdrawal, ETH)
    wait_withdrawal_delay(protocol)
    step(module.complete_withdrawal, queued_withdrawal(protocol, module), sender=outsider)
    step(module.withdraw, ETH, staker)
    step(module.undelegate)
    assert seen == [
        "Restaked",
        "ActivationProven",
        "DelegatedTo",
        "RewardsClaimed",
        "ProofSubmitterSet",
        "CheckpointStarted",
        "WithdrawalQueued",
        "EtherReceived",
        "WithdrawalCompleted",
        "Withdrawn",
        "Undelegated",
    ]
