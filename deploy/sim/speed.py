"""Performance substitutes for the executable spec (Fulu, mainnet preset) and its SSZ library.

Each one computes exactly what the function it replaces computes, in the style of the pyspec's own caches
(`cache_this`); they are installed on import (for every user of the spec module in the process) and proven
equal to the spec by tests/beacon/test_spec_conformance.py, which runs its reference inside `exact_spec()`
(every substitute off, the spec and remerkleable as shipped).

- remerkleable: a container's field table computed once per class (the library rebuilds it on every field
  access); `isinstance` against its views answered nominally first (the `Protocol` check walks the MRO on
  every call; a nominal instance passes it anyway); tree walks and path rebuilds with shifts instead of a
  bit generator and nested closures.
- the registry (effective balance, slashed, activation, exit and withdrawable epochs, credentials,
  eligibility) read once per version of its tree (`registry`), and from it in plain integers: active,
  eligible and participating indices, total balances, inactivity scores, rewards and penalties, the
  withdrawal sweep and the application of withdrawals.
- epoch steps that change nothing in most epochs (registry updates, slashings, pending deposits, effective
  balances): a plain-integer look decides whether the spec's function has work; if so, it runs.
- `process_slot`: the state and block roots written straight into the state's tree (two leaves on their
  paths; the state root is the tree's cached root, re-hashed only along the changed paths).
- `compute_proposer_index`: plain integers; with up to 256 indices a seed's 90 rounds are hashed once for
  all its draws (Fulu's lookahead draws 32 proposers an epoch: 180 hashes each, most of what is left).
- `get_expected_withdrawals`: asked twice per block (payload, then `process_withdrawals`), computed once.
- the shuffled index and permutation in plain integers, and iteration of the `slashings` vector read
  from its chunks (zero subtrees skipped).

The spec's integers are uint64 and raise on overflow; the substitutes' plain integers do not (no balance or
reward of a test network comes near 2**64).
"""

from __future__ import annotations

import contextlib
import hashlib
import struct
from collections.abc import Iterator
from typing import _ProtocolMeta  # type: ignore[attr-defined]

from eth_consensus_specs.fulu import mainnet as spec
from remerkleable.complex import Container
from remerkleable.core import ViewMeta
from remerkleable.tree import NavigationError, Node, PairNode, RebindableNode, RootNode, get_depth, zero_node

SLOTS_PER_HISTORICAL_ROOT = int(spec.SLOTS_PER_HISTORICAL_ROOT)
SHUFFLE_ROUND_COUNT = int(spec.SHUFFLE_ROUND_COUNT)
MAX_EFFECTIVE_BALANCE_ELECTRA = int(spec.MAX_EFFECTIVE_BALANCE_ELECTRA)
MAX_RANDOM_VALUE = 2**16 - 1  # compute_proposer_index's (Electra)
FAR_FUTURE_EPOCH = int(spec.FAR_FUTURE_EPOCH)
SMALL_REGISTRY = 256  # up to this many indices, one source chunk a round: its hashes serve every draw


# ============================================================================ remerkleable


_CONTAINER_FIELDS = Container.fields.__func__  # type: ignore[attr-defined]
_CONTAINER_ELEM = Container.item_elem_cls.__func__  # type: ignore[attr-defined]
_CONTAINER_DEPTH = Container.tree_depth.__func__  # type: ignore[attr-defined]
_PROTOCOL_INSTANCECHECK = _ProtocolMeta.__instancecheck__
_fields: dict[type, dict] = {}
_elems: dict[type, tuple] = {}
_depths: dict[type, int] = {}


def container_fields(cls) -> dict:
    """`Container.fields()`: the bases' fields, then the class's own annotations (computed once a class)."""
    fields = _fields.get(cls)
    if fields is None:
        fields = _fields[cls] = _CONTAINER_FIELDS(cls)
    return dict(fields)


def container_elem_cls(cls, i: int):
    elems = _elems.get(cls)
    if elems is None:
        elems = _elems[cls] = tuple(container_fields(cls).values())
    return elems[i]


def container_depth(cls) -> int:
    depth = _depths.get(cls)
    if depth is None:
        depth = _depths[cls] = get_depth(len(container_fields(cls)))
    return depth


_PLAIN = frozenset((int, bool, bytes, str, list, tuple, dict, type(None)))  # no instance attributes
_plain_checks: dict[tuple[type, type], bool] = {}


def view_instancecheck(cls, instance) -> bool:
    """`isinstance(x, SomeView)`: a nominal instance passes the Protocol check too, so answer it first; the
    structural answer for a plain value depends on its type only, so it is kept per type."""
    if type.__instancecheck__(cls, instance):
        return True
    kind = type(instance)
    if kind not in _PLAIN:
        return _PROTOCOL_INSTANCECHECK(cls, instance)
    answer = _plain_checks.get((cls, kind))
    if answer is None:
        answer = _plain_checks[(cls, kind)] = _PROTOCOL_INSTANCECHECK(cls, instance)
    return answer


_NODE_GETTER = Node.getter
_NODE_SETTER = RebindableNode.setter


def node_getter(self, target):
    """`Node.getter`: the subtree at `target`, walked with shifts (the library runs a bit generator)."""
    if target < 1:
        raise NavigationError
    node = self
    for d in range(int(target).bit_length() - 2, -1, -1):
        node = node.get_right() if (target >> d) & 1 else node.get_left()
    return node


def node_setter(self, target, expand: bool = False):
    """`RebindableNode.setter`: a link that puts a node at `target` (the library's, when it must expand)."""
    if expand or target < 4:
        return _NODE_SETTER(self, target, expand)
    target = int(target)
    return lambda leaf: set_node(self, target, leaf)


# ================================================================================ shuffling


def _permutation(n: int, seed: bytes) -> list[int]:
    indices = list(range(n))
    sha256 = hashlib.sha256
    for r in range(SHUFFLE_ROUND_COUNT):
        round_bytes = r.to_bytes(1, "little")
        pivot = int.from_bytes(sha256(seed + round_bytes).digest()[:8], "little") % n
        sources: dict[int, bytes] = {}
        for i, index in enumerate(indices):
            flip = (pivot + n - index) % n
            position = max(index, flip)
            bucket = position >> 8
            source = sources.get(bucket)
            if source is None:
                source = sources[bucket] = sha256(seed + round_bytes + bucket.to_bytes(4, "little")).digest()
            if (source[(position & 255) >> 3] >> (position & 7)) & 1:
                indices[i] = flip
    return indices


def shuffled_permutation(index_count, seed) -> list:
    """The spec's `compute_shuffled_permutation` (swap-or-not, SHUFFLE_ROUND_COUNT rounds) in plain ints."""
    return [spec.Uint64(i) for i in _permutation(int(index_count), bytes(seed))]


_DRAWS = spec.LRU(size=256)  # (index_count, seed) -> indices drawn so far


def shuffled_index(index, index_count, seed):
    """The spec's `compute_shuffled_index`: for the first draws of a seed, phase 0's round-by-round form
    (cheaper than a whole permutation when a few indices of each seed are drawn); from the third on, the
    seed's cached permutation (the sync committee draws hundreds)."""
    assert index < index_count
    key = (int(index_count), bytes(seed))
    draws = _DRAWS[key] + 1 if key in _DRAWS else 1
    _DRAWS[key] = draws
    if draws > 2:
        return spec.compute_shuffled_permutation(index_count, seed)[index]
    i, n, seed = int(index), int(index_count), bytes(seed)
    for r in range(SHUFFLE_ROUND_COUNT):
        round_bytes = r.to_bytes(1, "little")
        pivot = int.from_bytes(hashlib.sha256(seed + round_bytes).digest()[:8], "little") % n
        flip = (pivot + n - i) % n
        position = max(i, flip)
        source = hashlib.sha256(seed + round_bytes + (position >> 8).to_bytes(4, "little")).digest()
        if (source[(position & 255) >> 3] >> (position & 7)) & 1:
            i = flip
    return spec.Uint64(i)


_ROUND_BYTES = [r.to_bytes(1, "little") for r in range(SHUFFLE_ROUND_COUNT)]
_ROUND_SOURCES = [round_bytes + bytes(4) for round_bytes in _ROUND_BYTES]  # the first source chunk


def _small_rounds(n: int, seed: bytes) -> list[tuple[int, int]]:
    """Each round's pivot and source bits when every position lies in the first 256 (one source chunk)."""
    sha256, number = hashlib.sha256, int.from_bytes
    pivots = [number(sha256(seed + r).digest()[:8], "little") % n for r in _ROUND_BYTES]
    sources = [number(sha256(seed + r).digest(), "little") for r in _ROUND_SOURCES]
    return list(zip(pivots, sources, strict=True))


def proposer_index(state, indices, seed):
    """The spec's `compute_proposer_index` (Electra: sampled by effective balance, 16-bit random values);
    with at most 256 indices, the rounds' hashes are shared by the seed's draws."""
    assert len(indices) > 0
    total, seed = len(indices), bytes(seed)
    rounds = _small_rounds(total, seed) if total <= SMALL_REGISTRY else None
    validators = registry(state)
    i, random_bytes = 0, b""
    while True:
        if rounds is not None:
            shuffled = i % total
            for pivot, source in rounds:
                flip = (pivot - shuffled) % total
                if (source >> (shuffled if shuffled > flip else flip)) & 1:
                    shuffled = flip
        else:
            shuffled = int(spec.compute_shuffled_index(spec.Uint64(i % total), spec.Uint64(total), seed))
        candidate = indices[shuffled]
        if i % 16 == 0:
            random_bytes = hashlib.sha256(seed + (i // 16).to_bytes(8, "little")).digest()
        offset = i % 16 * 2
        random_value = int.from_bytes(random_bytes[offset : offset + 2], "little")
        effective_balance = validators[int(candidate)][0]
        if effective_balance * MAX_RANDOM_VALUE >= MAX_EFFECTIVE_BALANCE_ELECTRA * random_value:
            return spec.ValidatorIndex(candidate)
        i += 1


# ================================================================================ slots


def _field_gindex(name: str) -> int:
    return int(spec.get_generalized_index(spec.BeaconState, name))


_STATE_ROOTS = _field_gindex("state_roots") << get_depth(SLOTS_PER_HISTORICAL_ROOT)
_BLOCK_ROOTS = _field_gindex("block_roots") << get_depth(SLOTS_PER_HISTORICAL_ROOT)
_HEADER = _field_gindex("latest_block_header")
_HEADER_STATE_ROOT = int(spec.get_generalized_index(spec.BeaconBlockHeader, "state_root"))


def set_node(node, gindex: int, leaf):
    """`node` with the subtree at `gindex` replaced by `leaf` (the nodes off the path are shared)."""
    depth = gindex.bit_length() - 1
    path = []
    for d in range(depth - 1, -1, -1):
        path.append(node)
        if node.is_leaf():
            raise NavigationError("a summarized subtree on the path")
        node = node.get_right() if (gindex >> d) & 1 else node.get_left()
    for d in range(depth):
        parent = path.pop()
        leaf = PairNode(parent.get_left(), leaf) if (gindex >> d) & 1 else PairNode(leaf, parent.get_right())
    return leaf


def process_slot(state) -> None:
    """The spec's `process_slot`: cache the state root and the block root of the slot in their vectors."""
    backing = state.get_backing()
    previous_state_root = backing.merkle_root()
    index = int(state.slot) % SLOTS_PER_HISTORICAL_ROOT
    try:
        backing = set_node(backing, _STATE_ROOTS | index, RootNode(previous_state_root))
        header = backing.getter(_HEADER)
        if header.getter(_HEADER_STATE_ROOT).merkle_root() == bytes(32):
            header = set_node(header, _HEADER_STATE_ROOT, RootNode(previous_state_root))
            backing = set_node(backing, _HEADER, header)
        backing = set_node(backing, _BLOCK_ROOTS | index, RootNode(header.merkle_root()))
    except NavigationError:  # not a full tree on a path: the spec's own view operations
        _ORIGINALS["process_slot"](state)
        return
    state.set_backing(backing)


# ===================================================================== epoch processing

_INCREMENT = int(spec.EFFECTIVE_BALANCE_INCREMENT)
_TARGET = int(spec.TIMELY_TARGET_FLAG_INDEX)
_HEAD = int(spec.TIMELY_HEAD_FLAG_INDEX)
_WEIGHTS = [int(w) for w in spec.PARTICIPATION_FLAG_WEIGHTS]
_VALIDATOR_LEAVES = (10, 11, 13, 14, 15)  # effective_balance, slashed, activation, exit, withdrawable epochs
_CREDENTIALS_LEAF, _ELIGIBILITY_LEAF = 9, 12
_registries: dict[int, tuple] = {}  # id(validators backing) -> (backing, registry)


def registry(state) -> list[tuple]:
    """Every validator's (effective_balance, slashed, activation_epoch, exit_epoch, withdrawable_epoch,
    withdrawal_credentials, activation_eligibility_epoch), read from the registry's tree once per version of
    it (a tree never changes: a new registry is a new root)."""
    validators = state.validators
    backing = validators.get_backing()
    hit = _registries.get(id(backing))
    if hit is not None and hit[0] is backing:
        return hit[1]
    out = []
    for i in range(len(validators)):
        node = backing.getter(validators.chunk_to_gindex(i))
        leaves = (node.getter(g).merkle_root() for g in _VALIDATOR_LEAVES)
        fields = tuple(int.from_bytes(leaf[:8], "little") for leaf in leaves)
        credentials = bytes(node.getter(_CREDENTIALS_LEAF).merkle_root())
        eligibility = int.from_bytes(node.getter(_ELIGIBILITY_LEAF).merkle_root()[:8], "little")
        out.append((*fields, credentials, eligibility))
    if len(_registries) >= 8:
        _registries.clear()
    _registries[id(backing)] = (backing, out)
    return out


def uint_list(view) -> list[int]:
    """A list of basic values (balances, flags, scores) as plain ints."""
    return [int(x) for x in view.readonly_iter()]


def active_validator_indices(state, epoch):
    """The spec's `get_active_validator_indices`."""
    epoch = int(epoch)
    return [spec.ValidatorIndex(i) for i, v in enumerate(registry(state)) if v[2] <= epoch < v[3]]


def eligible_validator_indices(state):
    """The spec's `get_eligible_validator_indices` (active in the previous epoch, or slashed and not yet
    withdrawable)."""
    previous = int(spec.get_previous_epoch(state))
    return [
        spec.ValidatorIndex(i)
        for i, v in enumerate(registry(state))
        if v[2] <= previous < v[3] or (v[1] and previous + 1 < v[4])
    ]


def total_balance(state, indices):
    """The spec's `get_total_balance` (at least one increment)."""
    effective = registry(state)
    return spec.Gwei(max(_INCREMENT, sum(effective[int(i)][0] for i in indices)))


def _participating(state, flag_index: int, epoch: int) -> set[int]:
    current = int(spec.get_current_epoch(state))
    assert epoch in (int(spec.get_previous_epoch(state)), current)
    view = state.current_epoch_participation if epoch == current else state.previous_epoch_participation
    flags = uint_list(view)
    active = (i for i, v in enumerate(registry(state)) if v[2] <= epoch < v[3] and not v[1])
    return {i for i in active if (flags[i] >> flag_index) & 1}


def unslashed_participating_indices(state, flag_index, epoch):
    """The spec's `get_unslashed_participating_indices`."""
    return {spec.ValidatorIndex(i) for i in _participating(state, int(flag_index), int(epoch))}


def inactivity_updates(state) -> None:
    """The spec's `process_inactivity_updates`."""
    if spec.get_current_epoch(state) == spec.GENESIS_EPOCH:
        return
    target = _participating(state, _TARGET, int(spec.get_previous_epoch(state)))
    leak = spec.is_in_inactivity_leak(state)
    bias, recovery = int(spec.config.INACTIVITY_SCORE_BIAS), int(spec.config.INACTIVITY_SCORE_RECOVERY_RATE)
    scores = state.inactivity_scores
    before = uint_list(scores)
    for index in map(int, eligible_validator_indices(state)):
        score = before[index]
        score = score - min(1, score) if index in target else score + bias
        if not leak:
            score -= min(recovery, score)
        if score != before[index]:
            scores[index] = score


def rewards_and_penalties(state) -> None:
    """The spec's `process_rewards_and_penalties`: the three flags' deltas and the inactivity penalties,
    applied in the spec's order (a penalty larger than the balance leaves zero)."""
    if spec.get_current_epoch(state) == spec.GENESIS_EPOCH:
        return
    effective = [v[0] for v in registry(state)]
    previous, current = int(spec.get_previous_epoch(state)), int(spec.get_current_epoch(state))
    active = [i for i, v in enumerate(registry(state)) if v[2] <= current < v[3]]
    total_active = max(_INCREMENT, sum(effective[i] for i in active))
    root = int(spec.integer_squareroot(spec.Gwei(total_active)))
    per_increment = _INCREMENT * int(spec.BASE_REWARD_FACTOR) // root
    active_increments = total_active // _INCREMENT
    eligible = [int(i) for i in eligible_validator_indices(state)]
    leak = spec.is_in_inactivity_leak(state)
    n, denominator = len(effective), int(spec.WEIGHT_DENOMINATOR)
    deltas = []
    for flag_index, weight in enumerate(_WEIGHTS):
        participating = _participating(state, flag_index, previous)
        increments = max(_INCREMENT, sum(effective[i] for i in participating)) // _INCREMENT
        rewards, penalties = [0] * n, [0] * n
        for i in eligible:
            base = effective[i] // _INCREMENT * per_increment
            if i in participating:
                if not leak:
                    rewards[i] += base * weight * increments // (active_increments * denominator)
            elif flag_index != _HEAD:
                penalties[i] += base * weight // denominator
        deltas.append((rewards, penalties))
    target = _participating(state, _TARGET, previous)
    scores = uint_list(state.inactivity_scores)
    quotient = int(spec.config.INACTIVITY_SCORE_BIAS) * int(spec.INACTIVITY_PENALTY_QUOTIENT_BELLATRIX)
    penalties = [0] * n
    for i in eligible:
        if i not in target:
            penalties[i] += effective[i] * scores[i] // quotient
    deltas.append(([0] * n, penalties))
    balances = state.balances
    before = uint_list(balances)
    after = list(before)
    for rewards, penalties in deltas:
        for i in range(n):
            after[i] += rewards[i]
            after[i] = 0 if penalties[i] > after[i] else after[i] - penalties[i]
    for i in range(n):
        if after[i] != before[i]:
            balances[i] = after[i]


# Epoch steps that change nothing in most epochs: a plain-integer look decides whether the spec's own function
# has anything to do (if it has, the spec's function runs; if not, running it would write nothing).


def registry_updates(state) -> None:
    """The spec's `process_registry_updates` when a validator enters the activation queue, is ejected or is
    activated; nothing otherwise."""
    current = int(spec.get_current_epoch(state))
    finalized = int(state.finalized_checkpoint.epoch)
    ejection = int(spec.config.EJECTION_BALANCE)
    for effective, _, activation, exit_epoch, _, _, eligibility in registry(state):
        if (
            (eligibility == FAR_FUTURE_EPOCH and effective >= _MIN_ACTIVATION_BALANCE)
            or (activation <= current < exit_epoch and effective <= ejection)
            or (eligibility <= finalized and activation == FAR_FUTURE_EPOCH)
        ):
            _ORIGINALS["process_registry_updates"](state)
            return


def effective_balance_updates(state) -> None:
    """The spec's `process_effective_balance_updates` when a balance crossed a hysteresis threshold."""
    increment = _INCREMENT // int(spec.HYSTERESIS_QUOTIENT)
    downward = increment * int(spec.HYSTERESIS_DOWNWARD_MULTIPLIER)
    upward = increment * int(spec.HYSTERESIS_UPWARD_MULTIPLIER)
    for (effective, *_), balance in zip(registry(state), uint_list(state.balances), strict=True):
        if balance + downward < effective or effective + upward < balance:
            _ORIGINALS["process_effective_balance_updates"](state)
            return


def slashings(state) -> None:
    """The spec's `process_slashings` when a slashed validator is half-way to its withdrawable epoch."""
    due = int(spec.get_current_epoch(state)) + int(spec.EPOCHS_PER_SLASHINGS_VECTOR) // 2
    if any(v[1] and v[4] == due for v in registry(state)):
        _ORIGINALS["process_slashings"](state)


def pending_deposits(state) -> None:
    """The spec's `process_pending_deposits` when deposits are pending; with none it only resets the churn
    carried over (`deposit_balance_to_consume`)."""
    if len(state.pending_deposits):
        _ORIGINALS["process_pending_deposits"](state)
    elif state.deposit_balance_to_consume != 0:
        state.deposit_balance_to_consume = 0


def apply_withdrawals(state, withdrawals) -> None:
    """The spec's `apply_withdrawals`: each withdrawal's `decrease_balance`, in order, written once."""
    balances = state.balances
    before = uint_list(balances)
    after = list(before)
    for w in withdrawals:
        i, amount = int(w.validator_index), int(w.amount)
        after[i] = 0 if amount > after[i] else after[i] - amount
    for i in {int(w.validator_index) for w in withdrawals}:
        if after[i] != before[i]:
            balances[i] = after[i]


# ============================================================================ withdrawals

_MAX_SWEEP = int(spec.MAX_VALIDATORS_PER_WITHDRAWALS_SWEEP)
_MAX_WITHDRAWALS = int(spec.MAX_WITHDRAWALS_PER_PAYLOAD)
_MIN_ACTIVATION_BALANCE = int(spec.MIN_ACTIVATION_BALANCE)
_EXECUTION_PREFIXES = (bytes(spec.ETH1_ADDRESS_WITHDRAWAL_PREFIX), bytes(spec.COMPOUNDING_WITHDRAWAL_PREFIX))


def validators_sweep_withdrawals(state, withdrawal_index, prior_withdrawals):
    """The spec's `get_validators_sweep_withdrawals`: from `next_withdrawal_validator_index`, the fully
    withdrawable balances and the excess over the maximum effective balance, net of earlier withdrawals."""
    epoch = int(spec.get_current_epoch(state))
    validators = registry(state)
    count = len(validators)
    assert len(prior_withdrawals) < _MAX_WITHDRAWALS
    balances = uint_list(state.balances)
    for w in prior_withdrawals:
        balances[int(w.validator_index)] -= int(w.amount)
    withdrawals, next_index, processed = [], int(withdrawal_index), 0
    index = int(state.next_withdrawal_validator_index)
    for _ in range(min(count, _MAX_SWEEP)):
        if len(prior_withdrawals) + len(withdrawals) >= _MAX_WITHDRAWALS:
            break
        effective, _, _, _, withdrawable, credentials, _ = validators[index]
        balance, prefix = balances[index], credentials[:1]
        max_effective = (
            MAX_EFFECTIVE_BALANCE_ELECTRA if prefix == _EXECUTION_PREFIXES[1] else _MIN_ACTIVATION_BALANCE
        )
        amount = 0
        if prefix in _EXECUTION_PREFIXES and withdrawable <= epoch and balance > 0:
            amount = balance
        elif prefix in _EXECUTION_PREFIXES and effective == max_effective and balance > max_effective:
            amount = balance - max_effective
        if amount:
            withdrawals.append(
                spec.Withdrawal(
                    index=next_index, validator_index=index, address=credentials[12:], amount=amount
                )
            )
            balances[index] -= amount
            next_index += 1
        index = (index + 1) % count
        processed += 1
    return withdrawals, spec.WithdrawalIndex(next_index), spec.Uint64(processed)


def _withdrawals_key(state) -> tuple:
    return (
        bytes(state.validators.get_backing().merkle_root()),
        bytes(state.balances.get_backing().merkle_root()),
        bytes(state.pending_partial_withdrawals.get_backing().merkle_root()),
        int(state.next_withdrawal_index),
        int(state.next_withdrawal_validator_index),
        int(spec.get_current_epoch(state)),
    )


# ============================================================================ slashings


def packed_uint64s(view) -> list[int]:
    """The values of a packed uint64 vector read from its tree's chunks (four a chunk), zero subtrees
    skipped: what iterating over it yields, as plain ints."""
    out: list[int] = []

    def walk(node, depth: int) -> None:
        if node.merkle_root() == zero_node(depth).merkle_root():
            out.extend([0] * (4 << depth))
        elif depth == 0:
            out.extend(struct.unpack("<4Q", node.merkle_root()))
        else:
            walk(node.get_left(), depth - 1)
            walk(node.get_right(), depth - 1)

    walk(view.get_backing(), view.tree_depth())
    return out[: len(view)]


# =========================================================================== installation


_SLASHINGS = spec.BeaconState.fields()["slashings"]


def slashings_iter(self):
    """Iteration of the `slashings` vector (`process_slashings` only sums it; it is mostly zeros)."""
    return iter(packed_uint64s(self))


_ORIGINALS = {
    "compute_shuffled_index": spec.compute_shuffled_index,
    "compute_shuffled_permutation": spec.compute_shuffled_permutation,
    "compute_proposer_index": spec.compute_proposer_index,
    "process_slot": spec.process_slot,
    "get_active_validator_indices": spec.get_active_validator_indices,
    "get_eligible_validator_indices": spec.get_eligible_validator_indices,
    "get_total_balance": spec.get_total_balance,
    "get_unslashed_participating_indices": spec.get_unslashed_participating_indices,
    "process_inactivity_updates": spec.process_inactivity_updates,
    "process_rewards_and_penalties": spec.process_rewards_and_penalties,
    "get_validators_sweep_withdrawals": spec.get_validators_sweep_withdrawals,
    "get_expected_withdrawals": spec.get_expected_withdrawals,
    "process_registry_updates": spec.process_registry_updates,
    "process_effective_balance_updates": spec.process_effective_balance_updates,
    "process_slashings": spec.process_slashings,
    "process_pending_deposits": spec.process_pending_deposits,
    "apply_withdrawals": spec.apply_withdrawals,
}
_FAST = {
    "compute_shuffled_index": shuffled_index,
    "compute_shuffled_permutation": spec.cache_this(
        lambda count, seed: (count, seed), shuffled_permutation, lru_size=256
    ),
    "compute_proposer_index": proposer_index,
    "process_slot": process_slot,
    "get_active_validator_indices": active_validator_indices,
    "get_eligible_validator_indices": eligible_validator_indices,
    "get_total_balance": total_balance,
    "get_unslashed_participating_indices": unslashed_participating_indices,
    "process_inactivity_updates": inactivity_updates,
    "process_rewards_and_penalties": rewards_and_penalties,
    "get_validators_sweep_withdrawals": validators_sweep_withdrawals,
    # a block asks twice (its payload, then `process_withdrawals`): the answer of the same inputs, once
    "get_expected_withdrawals": spec.cache_this(_withdrawals_key, spec.get_expected_withdrawals, lru_size=4),
    "process_registry_updates": registry_updates,
    "process_effective_balance_updates": effective_balance_updates,
    "process_slashings": slashings,
    "process_pending_deposits": pending_deposits,
    "apply_withdrawals": apply_withdrawals,
}
_LIBRARY_ORIGINALS = {
    "fields": (_CONTAINER_FIELDS, _CONTAINER_ELEM, _CONTAINER_DEPTH),
    "slashings_iter": _SLASHINGS.__iter__,
    "instancecheck": ViewMeta.__dict__.get("__instancecheck__"),
    "tree": (_NODE_GETTER, _NODE_SETTER),
}


def _install(fast: bool) -> None:
    for name, function in (_FAST if fast else _ORIGINALS).items():
        setattr(spec, name, function)
    fields, elem, depth = (
        (container_fields, container_elem_cls, container_depth) if fast else (_LIBRARY_ORIGINALS["fields"])
    )
    Container.fields = classmethod(fields)
    Container.item_elem_cls = classmethod(elem)
    Container.tree_depth = classmethod(depth)
    _SLASHINGS.__iter__ = slashings_iter if fast else _LIBRARY_ORIGINALS["slashings_iter"]
    Node.getter, RebindableNode.setter = (node_getter, node_setter) if fast else _LIBRARY_ORIGINALS["tree"]
    if fast:
        ViewMeta.__instancecheck__ = view_instancecheck
    elif _LIBRARY_ORIGINALS["instancecheck"] is None:
        del ViewMeta.__instancecheck__
    else:
        ViewMeta.__instancecheck__ = _LIBRARY_ORIGINALS["instancecheck"]


@contextlib.contextmanager
def exact_spec() -> Iterator[None]:
    """Run the spec's and remerkleable's own functions only (no substitutes) inside the block."""
    _install(False)
    try:
        yield
    finally:
        _install(True)


_install(True)
