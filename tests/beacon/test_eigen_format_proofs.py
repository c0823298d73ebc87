"""EigenLayer v1.12's proof arguments from the spec beacon chain (deploy/sim/eigen_proofs.py, issue #15).

Every argument the chain produces is checked by the module's pure-Python verifier of EigenLayer's rules
against the root the chain posted to BeaconRoots (read back from the contract), and refused with any byte
changed; the verifier itself is judged on EigenLayer's real Deneb test data and a real mainnet Electra
proof; the spec's own Deneb `BeaconState` gives the DENEB shapes.
"""

import json
from hashlib import sha256
from pathlib import Path

import boa
import pytest
from eth_consensus_specs.deneb import mainnet as deneb
from remerkleable.complex import ComplexView

from deploy import keys
from deploy.sim import eigen_proofs as ep
from deploy.sim.beacon import SECONDS_PER_EPOCH, spec
from deploy.sim.eigen_proofs import DENEB, PECTRA, ProofError
from deploy.sim.system_calls import read_beacon_root
from tests.beacon.conftest import deposit_data, deposit_direct, stake
from tests.beacon.proofs import h
from tests.utils.spec_chain import next_blocks, wait_for

VECTORS = Path(__file__).resolve().parents[1] / "data" / "vectors"
GWEI = 10**9
COUNT = 6  # after the network's 4 validators: two balance chunks, every offset of the first one


def flipped(data: bytes, position: int) -> bytes:
    raw = bytearray(data)
    raw[position] ^= 0x01 << (position % 8)
    return bytes(raw)


def every_flip(value):
    """Every variant of a nested argument (tuples, lists, bytes, ints) with one byte of one `bytes` leaf
    changed; ints (timestamps, indices) are left alone."""
    if isinstance(value, bytes):
        for i in range(len(value)):
            yield flipped(value, i)
    elif isinstance(value, tuple | list):
        for k, item in enumerate(value):
            for changed in every_flip(item):
                parts = list(value)
                parts[k] = changed
                yield type(value)(parts)


def refused(verify) -> bool:
    try:
        verify()
    except ProofError:
        return True
    return False


def deposit_gwei(suite, sender: str, seed: str, gwei: int) -> bytes:
    """A deposit of `gwei` to the staker's pod credentials straight to the deposit contract."""
    credentials = keys.eigen_pod_withdrawal_credentials(suite.eigen_pod_manager.getPod(sender))
    pubkey, signature, root = deposit_data(credentials, seed, gwei)
    with boa.env.prank(sender):
        suite.deposit_contract.deposit(pubkey, credentials, signature, root, value=gwei * GWEI)
    return pubkey


def amount(i: int) -> int:
    """Validator i's deposit: below 32 ETH (never activated, never swept), every balance distinct."""
    return 31 * 10**9 + 1_000_003 * i + i


@pytest.fixture
def pubkeys(suite, staker):
    return [deposit_gwei(suite, staker, f"eigen{i}", amount(i)) for i in range(COUNT)]


def in_registry(chain, pubkeys) -> int:
    """Until every deposit is in the registry (finalized, then the churn); the last posted timestamp."""
    return wait_for(chain, lambda: all(map(chain.has_validator, pubkeys)), "the deposits", epochs=16)


@pytest.fixture
def posted(chain, pubkeys):
    """The chain once the deposits are in its registry: the chain, last timestamp and posted root."""
    timestamp = in_registry(chain, pubkeys)
    return chain, timestamp, read_beacon_root(chain.beacon_roots, timestamp)


def indices_of(chain, pubkeys) -> list[int]:
    indices = [chain.index_of[pk] for pk in pubkeys]
    assert indices == list(range(indices[0], indices[0] + len(pubkeys)))  # after the network's own
    return indices


# ------------------------------------------------------------------ shapes and verification


def test_credential_proof_args_verify_against_the_posted_root(posted, pubkeys):
    chain, timestamp, root = posted
    assert root == chain.last_block_root
    args = chain.credential_proof_args(pubkeys)
    beacon_timestamp, (state_root, header_proof), indices, proofs, fields = args
    assert beacon_timestamp == timestamp and indices == indices_of(chain, pubkeys)
    assert len(header_proof) == 96 and all(len(p) == 47 * 32 for p in proofs)
    assert ep.verify_credential_proof_args(root, args, PECTRA) == fields
    state, header = chain.block_at(timestamp)
    assert state_root == bytes(state.hash_tree_root()) == bytes(header.state_root)
    for pk, f in zip(pubkeys, fields, strict=True):
        v = chain.validator(pk)
        assert f[0] == ep.pubkey_hash(pk) and f[1] == v.withdrawal_credentials
        assert ep.field_uint64(f[2]) == v.effective_balance == 31 * GWEI
        assert ep.field_uint64(f[5]) == v.activation_epoch and ep.field_uint64(f[6]) == v.exit_epoch
    # the DENEB shapes refuse them; so do other validators' indices
    with pytest.raises(ProofError, match="InvalidProofLength"):
        ep.verify_credential_proof_args(root, args, DENEB)
    swapped = (args[0], args[1], [indices[1], indices[0]] + indices[2:], args[3], args[4])
    with pytest.raises(ProofError, match="InvalidProof"):
        ep.verify_credential_proof_args(root, swapped, PECTRA)
    # the same as the module functions on the last posted block, and timestamp=None is that block
    assert args == chain.credential_proof_args(pubkeys, timestamp)
    assert args == ep.credential_proof_args(state, header, timestamp, indices)


def test_credential_proof_args_with_any_byte_changed_are_refused(posted, pubkeys):
    chain, _, root = posted
    args = chain.credential_proof_args(pubkeys[:2])
    count = 0
    for changed in every_flip(args):
        count += 1
        assert refused(lambda changed=changed: ep.verify_credential_proof_args(root, changed, PECTRA))
    assert count == 32 + 96 + 2 * (47 * 32 + 8 * 32)
    assert refused(lambda: ep.verify_credential_proof_args(flipped(root, 31), args, PECTRA))


def test_stale_balance_args_verify_and_any_byte_changed_is_refused(posted, pubkeys):
    chain, timestamp, root = posted
    index = chain.index_of[pubkeys[3]]
    args = chain.stale_balance_args(pubkeys[3])
    assert args[0] == timestamp and len(args[2][1]) == 47 * 32
    assert ep.verify_stale_balance_args(root, args, index, PECTRA) == ep.validator_fields(chain.state, index)
    with pytest.raises(ProofError, match="InvalidProof"):
        ep.verify_stale_balance_args(root, args, index - 1, PECTRA)  # the pod's stored index is used
    for changed in every_flip(args):
        assert refused(lambda changed=changed: ep.verify_stale_balance_args(root, changed, index, PECTRA))


def test_checkpoint_proof_args_verify_and_read_the_chains_balances(posted, pubkeys):
    chain, timestamp, root = posted
    indices = indices_of(chain, pubkeys)
    container, proofs = args = chain.checkpoint_proof_args(timestamp, pubkeys)
    assert container[0] == bytes(chain.state.balances.hash_tree_root()) and len(container[1]) == 9 * 32
    assert all(len(p[2]) == 1248 for p in proofs)
    balances = ep.verify_checkpoint_proof_args(root, args, indices, PECTRA)
    expected = [chain.validator(pk).balance for pk in pubkeys]
    assert balances == expected == [amount(i) for i in range(COUNT)]  # never active: as deposited
    chunks = {}
    for i, (pk, p) in enumerate(zip(pubkeys, proofs, strict=True)):
        assert p[0] == sha256(pk + bytes(16)).digest()
        assert chunks.setdefault(indices[i] // 4, p[1]) == p[1]  # four balances a chunk
        assert ep.balance_at_index(p[1], indices[i]) == expected[i]
    assert len(chunks) == 2
    with pytest.raises(ProofError, match="InvalidProofLength"):
        ep.verify_checkpoint_proof_args(root, args, indices, DENEB)
    with pytest.raises(ProofError, match="InvalidProof"):  # a chunk proven at another chunk's index
        ep.verify_checkpoint_proof_args(root, (container, proofs[:1]), [indices[0] + 4], PECTRA)
    # a balance of the same chunk at another offset reads another validator's balance
    assert indices[0] % 4 == 0
    assert ep.verify_checkpoint_proof_args(root, (container, proofs[:1]), [indices[1]], PECTRA) == [
        expected[1]
    ]
    # timestamp None is the last posted block
    assert chain.checkpoint_proof_args(None, pubkeys) == args


def test_checkpoint_proof_args_with_any_byte_changed_are_refused(posted, pubkeys):
    chain, timestamp, root = posted
    container, proofs = chain.checkpoint_proof_args(timestamp, pubkeys[:2])
    indices = indices_of(chain, pubkeys[:2])
    for changed in every_flip(container):
        assert refused(lambda c=changed: ep.verify_checkpoint_proof_args(root, (c, proofs), indices))
    for k, (pubkey_hash, chunk, branch) in enumerate(proofs):
        # the pubkey hash is the pod's storage key, not part of the proof: only chunk and branch count
        for changed in every_flip((chunk, branch)):
            variant = list(proofs)
            variant[k] = (pubkey_hash, *changed)
            assert refused(lambda v=variant: ep.verify_checkpoint_proof_args(root, (container, v), indices))


def test_checkpoint_of_an_older_block_still_verifies_after_later_blocks(chain, suite, staker, pubkeys):
    first = in_registry(chain, pubkeys)
    indices = indices_of(chain, pubkeys)
    first_balances = [chain.validator(pk).balance for pk in pubkeys]
    args = chain.checkpoint_proof_args(first, pubkeys)
    # later blocks: top-ups (validator 1 over 32.25 ETH: effective 32, activated, rewards, the sweep;
    # validator 4 under it: the hysteresis keeps it at 31 effective), a new validator, many epochs
    deposit_gwei(suite, staker, "eigen1", 2 * 10**9)
    deposit_gwei(suite, staker, "eigen4", 10**9)
    credentials = keys.eigen_pod_withdrawal_credentials(suite.eigen_pod_manager.getPod(staker))
    late = deposit_direct(suite, staker, credentials, seed="eigen-late", eth=32)
    last = wait_for(chain, lambda: chain.validator(pubkeys[1]).withdrawn > 0, "a sweep", epochs=24)
    now = [chain.validator(pk).balance for pk in pubkeys]
    assert now[1] == 32 * GWEI and now[4] == first_balances[4] + GWEI and chain.has_validator(late)
    first_root = read_beacon_root(suite.beacon_roots, first)
    assert first_root != chain.last_block_root
    assert chain.checkpoint_proof_args(first, pubkeys) == args
    assert ep.verify_checkpoint_proof_args(first_root, args, indices) == first_balances
    with pytest.raises(ProofError, match="InvalidProof"):
        ep.verify_checkpoint_proof_args(chain.last_block_root, args, indices)
    # every kept block since proves against its own posted root
    for timestamp in [t for t in chain._history.timestamps() if t >= first]:
        state, header = chain.block_at(timestamp)
        block_root = read_beacon_root(suite.beacon_roots, timestamp)
        assert bytes(header.hash_tree_root()) == block_root
        ep.verify_credential_proof_args(block_root, chain.credential_proof_args(pubkeys[:1], timestamp))
    # the late validator is in the last block only
    with pytest.raises(KeyError):
        chain.credential_proof_args([late], first)
    ep.verify_credential_proof_args(chain.last_block_root, chain.credential_proof_args([late], last))
    with pytest.raises(LookupError):
        chain.block_at(first + 1)


def test_the_eigenlayer_shape_and_the_projects_validator_proof_prove_the_same_leaf(posted, pubkeys):
    chain, timestamp, root = posted
    for i, pk in enumerate(pubkeys):
        state_root, header_branch, index, fields, branch = chain.validator_proof(pk)
        (_, (sr, header_proof), indices, proofs, eigen_fields) = chain.credential_proof_args([pk])
        assert (sr, indices, eigen_fields) == (state_root, [index], [fields])
        assert index == chain.index_of[pk] == indices_of(chain, pubkeys)[i]
        assert header_proof == b"".join(header_branch) and proofs[0] == b"".join(branch)
        leaf = bytes(chain.state.validators[index].hash_tree_root())
        assert ep.merkleize_sha256(fields) == leaf
        ep.verify_validator_fields(PECTRA, state_root, fields, proofs[0], index)


# ------------------------------------------------------------------ the history's bounds


def test_block_history_keeps_the_4788_window_and_at_most_max_blocks(chain):
    history = ep.BlockHistory(max_blocks=3, window=100)
    with pytest.raises(LookupError):
        history.at()
    header = spec.BeaconBlockHeader()
    for t in (10, 20, 30):
        history.record(t, state_with(t), header)
    history.record(20, state_with(21), header)  # a second post at one timestamp replaces the first
    assert history.timestamps() == [10, 30, 20] and int(history.at(20)[0].genesis_time) == 21
    history.record(40, state_with(40), header)  # over max_blocks: the oldest goes
    assert history.timestamps() == [30, 20, 40]
    history.record(130, state_with(130), header)  # 30 is 100 s old: out of the window
    assert history.timestamps() == [40, 130] and history.last_timestamp == 130
    assert int(history.at()[0].genesis_time) == 130
    # the chain's defaults: EigenPod's window and one block per BeaconRoots slot
    assert (chain._history.max_blocks, chain._history.window) == (8191, 8191 * 12)


def test_kept_blocks_share_their_unchanged_subtrees(suite, staker, posted, pubkeys):
    chain, first, root = posted
    deposit_gwei(suite, staker, "eigen-extra", 10**9)  # a deposit request: a block in the next slot
    second = next_blocks(chain)
    (a, _), (b, _) = chain.block_at(first), chain.block_at(second)
    assert a.hash_tree_root() != b.hash_tree_root() and len(b.pending_deposits) == len(a.pending_deposits) + 1
    # the history keeps one copy of what did not change: every composite field with an unchanged root
    unchanged = [
        name
        for name in spec.BeaconState.fields()
        if isinstance(getattr(a, name), ComplexView)
        and getattr(a, name).hash_tree_root() == getattr(b, name).hash_tree_root()
    ]
    assert {"validators", "randao_mixes", "historical_summaries"} <= set(unchanged)
    assert all(getattr(b, name).get_backing() is getattr(a, name).get_backing() for name in unchanged)
    assert bytes(b.hash_tree_root()) == bytes(chain.header.state_root)
    indices = indices_of(chain, pubkeys)
    for t, block_root in ((first, root), (second, chain.last_block_root)):
        args = chain.checkpoint_proof_args(t, pubkeys)
        assert ep.verify_checkpoint_proof_args(block_root, args, indices) == [amount(i) for i in range(COUNT)]


def test_share_subtrees_keeps_every_root():
    old = spec.BeaconState(genesis_time=1, balances=[1, 2, 3, 4, 5])
    new = spec.BeaconState(genesis_time=1, balances=[1, 2, 3, 4, 6], slot=9)
    shared = ep.share_subtrees(new.get_backing(), old.get_backing())
    view = spec.BeaconState.view_from_backing(shared)
    assert view.hash_tree_root() == new.hash_tree_root() and int(view.slot) == 9
    assert list(view.balances) == [1, 2, 3, 4, 6]
    assert view.validators.get_backing() is old.validators.get_backing()
    assert view.balances.get_backing() is not old.balances.get_backing()
    assert ep.share_subtrees(old.get_backing(), old.get_backing()) is old.get_backing()


def state_with(genesis_time: int):
    return spec.BeaconState(genesis_time=genesis_time)


def test_kept_states_do_not_follow_later_changes(posted, pubkeys):
    chain, timestamp, root = posted
    state, _ = chain.block_at(timestamp)
    indices = indices_of(chain, pubkeys)
    chain.state.balances[indices[0]] = 1  # a caller changing the chain's live state
    assert (
        int(chain.block_at(timestamp)[0].balances[indices[0]]) == int(state.balances[indices[0]]) == amount(0)
    )
    ep.verify_checkpoint_proof_args(root, chain.checkpoint_proof_args(timestamp, pubkeys), indices)


# ------------------------------------------------------------------ the Deneb shapes


def test_the_specs_deneb_state_gives_the_deneb_shapes():
    """The spec's own Deneb `BeaconState` (28 fields: a tree of 32 leaves, height 5; `validators` and
    `balances` at 11 and 12)."""
    validators = [
        deneb.Validator(
            pubkey=bytes([i + 1]) * 48,
            withdrawal_credentials=b"\x01" + bytes(11) + bytes([i]) * 20,
            effective_balance=32 * GWEI,
            activation_epoch=i,
            exit_epoch=2**64 - 1,
        )
        for i in range(5)
    ]
    balances = [32 * GWEI + 1000 * i + 7 for i in range(5)]
    state = deneb.BeaconState(genesis_time=1, slot=5, validators=validators, balances=balances)
    assert len(deneb.BeaconState.fields()) == 28
    header = deneb.BeaconBlockHeader(
        slot=5, proposer_index=2, state_root=state.hash_tree_root(), body_root=b"\x07" * 32
    )
    root = bytes(header.hash_tree_root())
    assert ep.state_height(state) == 5 and ep.proof_version(state) == DENEB
    args = ep.credential_proof_args(state, header, 1234, [0, 4])
    assert all(len(p) == 46 * 32 for p in args[3])
    ep.verify_credential_proof_args(root, args, DENEB)
    with pytest.raises(ProofError, match="InvalidProofLength"):
        ep.verify_credential_proof_args(root, args, PECTRA)
    container, proofs = cp = ep.checkpoint_proof_args(state, header, range(5))
    assert len(container[1]) == 8 * 32
    assert ep.verify_checkpoint_proof_args(root, cp, list(range(5)), DENEB) == balances
    with pytest.raises(ProofError, match="InvalidProofLength"):
        ep.verify_checkpoint_proof_args(root, cp, list(range(5)), PECTRA)
    stale = ep.stale_balance_args(state, header, 1234, 2)
    ep.verify_stale_balance_args(root, stale, 2, DENEB)
    for changed in every_flip(stale):
        assert refused(lambda c=changed: ep.verify_stale_balance_args(root, c, 2, DENEB))


def test_builders_refuse_what_eigenlayer_cannot_prove(posted):
    chain, _, _ = posted
    state, header = chain.block_at()
    assert ep.proof_version(state) == PECTRA
    with pytest.raises(IndexError):
        ep.validator_fields_proof(state, len(state.validators))
    with pytest.raises(ValueError, match="state_root"):
        ep.state_root_proof(state, spec.BeaconBlockHeader())
    with pytest.raises(ValueError, match="fields 11 / 12"):
        ep.state_height(header)


# ------------------------------------------------------------------ the verifier on real data


def test_the_merkle_primitive_rules():
    leaf, sibling = b"\x01" * 32, b"\x02" * 32
    root = sha256(sibling + leaf).digest()
    assert ep.verify_inclusion_sha256(sibling, root, leaf, 1)
    assert not ep.verify_inclusion_sha256(sibling, root, leaf, 0)
    for proof, root_, index, error in (
        (sibling, bytes(32), 1, "EmptyRoot"),
        (b"", root, 0, "InvalidProofLength"),
        (sibling + b"\x00", root, 1, "InvalidProofLength"),
        (sibling, root, 3, "InvalidIndex"),  # the index must be consumed by the siblings
    ):
        with pytest.raises(ProofError, match=error):
            ep.verify_inclusion_sha256(proof, root_, leaf, index)
    with pytest.raises(ProofError, match="NotEnoughLeaves"):
        ep.merkleize_sha256([leaf])
    with pytest.raises(ProofError, match="LeavesNotPowerOfTwo"):
        ep.merkleize_sha256([leaf] * 7)
    with pytest.raises(ProofError, match="InvalidValidatorFieldsLength"):
        ep.verify_validator_fields(PECTRA, root, [leaf] * 7, b"\x00" * 47 * 32, 0)


def joined(items: list[str]) -> bytes:
    return b"".join(h(x) for x in items)


def eigenlayer_file(path: Path) -> dict:
    d = json.loads(path.read_text())
    # the withdrawal files' JSON index is 0 while their proof is for their withdrawal's validator
    index = (
        ep.field_uint64(h(d["WithdrawalFields"][1])) if "WithdrawalFields" in d else int(d["validatorIndex"])
    )
    return d | {"index": index}


DENEB_FILES = sorted((VECTORS / "eigenlayer-contracts").glob("*.json"))


@pytest.mark.parametrize("path", DENEB_FILES, ids=lambda p: p.stem)
def test_eigenlayers_deneb_vectors_verify_in_the_deneb_shapes(path):
    d = eigenlayer_file(path)
    block_root = h(d["latestBlockHeaderRoot"])
    srp = (h(d["beaconStateRoot"]), joined(d["StateRootAgainstLatestBlockHeaderProof"]))
    branch = joined(d.get("WithdrawalCredentialProof") or d["ValidatorProof"])
    fields = [h(x) for x in d["ValidatorFields"]]
    args = (0, srp, [d["index"]], [branch], [fields])
    assert ep.verify_credential_proof_args(block_root, args, DENEB) == [fields]
    with pytest.raises(ProofError, match="InvalidProofLength"):
        ep.verify_credential_proof_args(block_root, args, PECTRA)
    if "ValidatorBalanceProof" not in d:
        return
    # the old balance proof (39 balance + 5 state siblings, to the state root), re-shaped into a
    # BalanceContainerProof (5 state + 3 header siblings, to the block root) and a BalanceProof
    old = [h(x) for x in d["ValidatorBalanceProof"]]
    assert len(old) == 44
    chunk = h(d["balanceRoot"])
    node, index = chunk, d["index"] // 4
    for sibling in old[:39]:
        node = sha256(node + sibling if index % 2 == 0 else sibling + node).digest()
        index //= 2
    container = (node, b"".join(old[39:]) + srp[1])
    balance = (fields[0], chunk, b"".join(old[:39]))
    [gwei] = ep.verify_checkpoint_proof_args(block_root, (container, [balance]), [d["index"]], DENEB)
    assert gwei == ep.balance_at_index(chunk, d["index"])
    assert (gwei == 0) == path.stem.endswith("exited")  # the exited validator's balance was swept
    for changed in every_flip(container):
        assert refused(
            lambda c=changed: ep.verify_checkpoint_proof_args(block_root, (c, [balance]), [d["index"]], DENEB)
        )


def test_the_mainnet_electra_vector_verifies_in_the_pectra_shapes():
    d = json.loads(
        (VECTORS / "derived" / "rocketpool_mainnet_electra_slot11821055_validator1060378.json").read_text()
    )
    e = d["eigenPodFormat"]
    srp = (h(e["stateRootProof"]["beaconStateRoot"]), joined(e["stateRootProof"]["proof"]))
    args = (
        e["beaconTimestamp"],
        srp,
        [int(i) for i in e["validatorIndices"]],
        [joined(p) for p in e["validatorFieldsProofs"]],
        [[h(x) for x in f] for f in e["validatorFields"]],
    )
    block_root = h(d["blockRoot"])
    [fields] = ep.verify_credential_proof_args(block_root, args, PECTRA)
    assert ep.field_uint64(fields[2]) == 32 * GWEI
    with pytest.raises(ProofError, match="InvalidProofLength"):
        ep.verify_credential_proof_args(block_root, args, DENEB)


# ------------------------------------------------------------------ through the EigenPodManager, a slashing


def test_the_chains_blocks_give_pectra_shaped_proofs(suite, chain, staker):
    pubkey = stake(suite, staker, seed="eigen-spec")
    first = in_registry(chain, [pubkey])
    index = chain.index_of[pubkey]
    pubkeys = [*chain.network_pubkeys, pubkey]
    indices = list(range(index + 1))
    first_root = read_beacon_root(suite.beacon_roots, first)
    state, header = chain.block_at(first)
    assert len(spec.BeaconState.fields()) == 38 and ep.proof_version(state) == PECTRA
    assert bytes(header.hash_tree_root()) == first_root == chain.last_block_root
    credentials = chain.credential_proof_args([pubkey], first)
    [fields] = ep.verify_credential_proof_args(first_root, credentials)
    assert fields[0] == ep.pubkey_hash(pubkey) and ep.field_uint64(fields[2]) == 32 * GWEI
    assert b"".join(chain.validator_proof(pubkey)[4]) == credentials[3][0]  # the project's own shape
    checkpoint = chain.checkpoint_proof_args(first, pubkeys)
    first_balances = [int(state.balances[i]) for i in indices]
    assert ep.verify_checkpoint_proof_args(first_root, checkpoint, indices) == first_balances
    # the chain's own balance proofs are the same nodes in the project's order
    container_root, branch = chain.balance_container_proof()
    assert (container_root, b"".join(branch)) == checkpoint[0]
    assert chain.balance_proof(pubkey)[:2] == checkpoint[1][index][:2]
    # a slashing (of an active network validator), epochs later: the stale-balance proof shows it; the
    # older checkpoint still verifies against its own root
    victim = chain.network_pubkeys[3]
    chain.slash(victim)
    boa.env.time_travel(seconds=2 * SECONDS_PER_EPOCH)
    later = chain.process()
    stale = chain.stale_balance_args(victim)
    assert stale[0] == later
    # the slashed validator's proposal slot is missed: the spec state moved on past the posted block,
    # whose post-state the history keeps (the block's header names it)
    later_state, later_header = chain.block_at(later)
    assert int(later_state.slot) == int(later_header.slot) < int(chain.state.slot)
    assert bytes(later_header.hash_tree_root()) == chain.last_block_root
    slashed_fields = ep.verify_stale_balance_args(chain.last_block_root, stale, 3)
    assert slashed_fields[3] == (1).to_bytes(32, "little")
    assert ep.validator_fields(state, 3)[3] == bytes(32)  # not slashed in the first block
    assert int(chain.state.balances[3]) < first_balances[3]
    assert chain.checkpoint_proof_args(first, pubkeys) == checkpoint
    assert ep.verify_checkpoint_proof_args(first_root, checkpoint, indices) == first_balances
    with pytest.raises(ProofError, match="InvalidProof"):
        ep.verify_checkpoint_proof_args(chain.last_block_root, checkpoint, indices)
    for changed in every_flip(stale[1:]):
        assert refused(lambda c=changed: ep.verify_stale_balance_args(chain.last_block_root, (later, *c), 3))
