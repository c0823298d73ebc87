"""The consensus-spec model (deploy/sim/beacon.py) against the executable specs themselves.

The reference runs the spec alone (`exact_spec()`: no performance substitute), one slot at a time with
`process_slots`, a block at each epoch's first slot and at the slot after each event; the model runs the same
events with its substitutes, many slots per `process_slots` call, however the calls are split. Both start
from a state at epoch 509, so the network's validators may exit (SHARD_COMMITTEE_PERIOD is 256 epochs) and the
runs cross epoch 512, where the sync committees rotate and the roots of the last 8192 slots are summarized.
"""

from __future__ import annotations

import os
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deploy import keys
from deploy.sim.beacon import (
    NETWORK_VALIDATORS,
    SLOTS_PER_EPOCH,
    ChainCore,
    advance,
    apply_block,
    deposit_fork_version,
    genesis_state,
    spec,
)
from deploy.sim.speed import exact_spec, packed_uint64s, shuffled_index, shuffled_permutation

FORK = bytes.fromhex(keys.HOLESKY_FORK_VERSION)
START_EPOCH = 509
START = START_EPOCH * SLOTS_PER_EPOCH
GWEI = 10**9


def long_run(test):
    """Marked slow, and run only with the project's long-run switch (the default command runs `slow`)."""
    skip = pytest.mark.skipif(os.environ.get("BYZ_LONG_FUZZ") != "1", reason="long run: BYZ_LONG_FUZZ=1")
    return pytest.mark.slow(skip(test))


CREDENTIALS = b"\x01" + bytes(11) + bytes.fromhex("aa" * 20)
OWNER = bytes.fromhex("aa" * 20)
X = bytes.fromhex(keys.make_deposit_data(CREDENTIALS, seed="conf-x", amount_gwei=32 * GWEI)["pubkey"])


@cache
def start_state():
    """Genesis moved to epoch 509, plus one 0x01 validator of 33 ETH active since genesis (`X`)."""
    state = genesis_state(1_700_000_000)
    state.validators.append(
        spec.Validator(
            pubkey=X,
            withdrawal_credentials=CREDENTIALS,
            effective_balance=32 * GWEI,
            activation_eligibility_epoch=0,
            activation_epoch=0,
            exit_epoch=spec.FAR_FUTURE_EPOCH,
            withdrawable_epoch=spec.FAR_FUTURE_EPOCH,
        )
    )
    state.balances.append(33 * GWEI)
    state.previous_epoch_participation.append(0)
    state.current_epoch_participation.append(0)
    state.inactivity_scores.append(0)
    state.slot = START
    return state


@cache
def deposit(seed: str, amount_gwei: int, index: int):
    d = keys.make_deposit_data(CREDENTIALS, seed=seed, amount_gwei=amount_gwei)
    return spec.DepositRequest(
        pubkey=bytes.fromhex(d["pubkey"]),
        withdrawal_credentials=CREDENTIALS,
        amount=amount_gwei,
        signature=bytes.fromhex(d["signature"]),
        index=index,
    )


def network_exit(state, k: int, wrong_source: bool = False):
    """A full-exit request for network validator `k` from its withdrawal address (or another)."""
    v = state.validators[k]
    source = bytes(20) if wrong_source else bytes(v.withdrawal_credentials)[12:]
    return spec.WithdrawalRequest(source_address=source, validator_pubkey=v.pubkey, amount=0)


def compound(pubkey: bytes = X):
    """0x01 -> 0x02: a consolidation request with source = target, from the withdrawal address."""
    return spec.ConsolidationRequest(source_address=OWNER, source_pubkey=pubkey, target_pubkey=pubkey)


def partial(amount_gwei: int, pubkey: bytes = X):
    return spec.WithdrawalRequest(source_address=OWNER, validator_pubkey=pubkey, amount=amount_gwei)


def core(events) -> ChainCore:
    c = ChainCore(int(start_state().genesis_time), FORK, state=start_state().copy())
    for seq, (slot, kind, payload) in enumerate(events):
        c.add_event(slot, kind, payload, seq=seq)
    return c


def reference(events, last: int):
    """The spec alone, slot by slot."""
    c = core(events)
    blocks = {s for s in range(START + 1, last + 1) if s % SLOTS_PER_EPOCH == 0}
    blocks |= {slot + 1 for slot, _, _ in events}
    with exact_spec(), deposit_fork_version(FORK):
        for slot in range(START + 1, last + 1):
            advance(c, slot)
            if slot in blocks and not apply_block(c) and any(e.slot <= slot for e in c._events):
                blocks.add(slot + 1)  # a missed slot: the events wait for the next one
    return c.state


def model(events, last: int, calls=()):
    """The model: `run_until` at each slot of `calls`, then at `last`."""
    c = core(events)
    for slot in sorted(calls):
        c.run_until(slot)
    c.run_until(last)
    return c.state


def assert_same(a, b) -> None:
    assert [bytes(spec.hash_tree_root(v)) for v in a.validators] == [
        bytes(spec.hash_tree_root(v)) for v in b.validators
    ]
    assert list(map(int, a.balances)) == list(map(int, b.balances))
    assert bytes(spec.hash_tree_root(a)) == bytes(spec.hash_tree_root(b))


def scenario():
    """Two deposits (one with a bad signature), a top-up, an exit request, a wrong-source request,
    a slashing, half the network offline for two epochs then back, and X switched to 0x02 credentials
    then partially withdrawn (EIP-7002); X's excess over 32 ETH is swept before the switch."""
    s = start_state()
    good, bad = deposit("conf-a", 32 * GWEI, 0), deposit("conf-b", 32 * GWEI, 1)
    bad = bad.copy()
    bad.signature = deposit("conf-c", 32 * GWEI, 2).signature
    return [
        (START + 1, "deposit", good),
        (START + 3, "deposit", bad),
        (START + 40, "deposit", deposit("conf-a", 2 * GWEI, 3)),
        (START + 41, "withdrawal", network_exit(s, 3)),
        (START + 42, "withdrawal", network_exit(s, 2, wrong_source=True)),
        (START + 70, "slash", bytes(s.validators[1].pubkey)),
        (START + 75, "online", (bytes(s.validators[0].pubkey), False)),
        (START + 75, "online", (bytes(s.validators[2].pubkey), False)),
        (START + 140, "online", (bytes(s.validators[0].pubkey), True)),
        (START + 140, "online", (bytes(s.validators[2].pubkey), True)),
        (START + 33, "consolidation", compound()),
        (START + 150, "withdrawal", partial(GWEI // 2)),
    ]


def test_shuffle_substitute_equals_the_spec():
    for count in (1, 2, 5, 64, 300):
        for _ in range(3):
            seed = spec.Bytes32(os.urandom(32))
            expected = spec._compute_shuffled_permutation(spec.Uint64(count), seed)
            assert shuffled_permutation(spec.Uint64(count), seed) == list(expected)
            for index in {0, count // 2, count - 1}:
                assert shuffled_index(spec.Uint64(index), spec.Uint64(count), seed) == expected[index]


def test_model_equals_the_spec_slot_by_slot():
    """Seven epochs with deposits, requests, a slashing and an offline half: equal state roots."""
    events = scenario()
    last = START + 7 * SLOTS_PER_EPOCH
    expected = reference(events, last)
    got = model(events, last)
    assert_same(got, expected)
    validators = {bytes(v.pubkey): v for v in got.validators}
    assert bytes(deposit("conf-a", GWEI, 0).pubkey) in validators  # the valid deposit entered
    assert bytes(deposit("conf-b", GWEI, 1).pubkey) not in validators  # the bad signature did not
    assert got.validators[1].slashed and got.validators[3].exit_epoch < spec.FAR_FUTURE_EPOCH
    assert got.validators[2].exit_epoch == spec.FAR_FUTURE_EPOCH  # wrong source: ignored
    # epoch 512 passed: the slots' roots summarized, the next sync committee drawn anew
    assert len(got.historical_summaries) == len(start_state().historical_summaries) + 1
    assert spec.hash_tree_root(got.next_sync_committee) != spec.hash_tree_root(
        start_state().next_sync_committee
    )
    x = got.validators[4]
    assert bytes(x.withdrawal_credentials)[:1] == b"\x02"  # switched to compounding
    # the 0.5 ETH request, capped at the excess over 32 ETH left by the sweep, waits for its epoch
    (queued,) = got.pending_partial_withdrawals
    assert int(queued.validator_index) == 4 and 0 < int(queued.amount) < GWEI // 2
    while_offline = model(events, START + 140)
    participation = list(map(int, while_offline.previous_epoch_participation))
    assert participation[0] == participation[2] == 0 and participation[3] == 0b111  # offline: no attestations
    assert while_offline.finalized_checkpoint.epoch == START_EPOCH  # half the stake offline: no finality


def test_same_answer_however_often_it_is_called():
    events = scenario()
    last = START + 7 * SLOTS_PER_EPOCH
    once = model(events, last)
    every_epoch = model(events, last, calls=range(START + 1, last, SLOTS_PER_EPOCH))
    odd_slots = model(events, last, calls=(START + 2, START + 41, START + 77, START + 100, START + 190))
    assert_same(every_epoch, once)
    assert_same(odd_slots, once)


@st.composite
def sequences(draw):
    events, deposits = [], []
    for _ in range(draw(st.integers(1, 5))):
        slot = START + draw(st.integers(0, 3 * SLOTS_PER_EPOCH))
        kind = draw(
            st.sampled_from(["deposit", "topup", "exit", "offline", "online", "slash", "compound", "partial"])
        )
        k = draw(st.integers(0, NETWORK_VALIDATORS - 1))
        pubkey = bytes(start_state().validators[k].pubkey)
        if kind == "deposit":
            amount = draw(st.sampled_from([1, 32])) * GWEI
            deposits.append(deposit(f"hyp-{len(deposits) % 3}", amount, len(deposits)))
            events.append((slot, "deposit", deposits[-1]))
        elif kind == "topup":
            events.append((slot, "deposit", deposit(f"hyp-{k % 3}", GWEI, 99)))
        elif kind == "exit":
            events.append((slot, "withdrawal", network_exit(start_state(), k, draw(st.booleans()))))
        elif kind == "compound":
            events.append((slot, "consolidation", compound()))
        elif kind == "partial":
            events.append((slot, "withdrawal", partial(draw(st.sampled_from([0, GWEI // 4, 2 * GWEI])))))
        elif kind == "slash":
            events.append((slot, "slash", pubkey))
        else:
            events.append((slot, "online", (pubkey, kind == "online")))
    return events


@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(events=sequences(), split=st.lists(st.integers(START + 1, START + 5 * SLOTS_PER_EPOCH), max_size=3))
def test_drawn_sequences_match_the_spec(events, split):
    last = START + 5 * SLOTS_PER_EPOCH
    assert_same(model(events, last, calls=split), reference(events, last))


@long_run
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=sequences(), split=st.lists(st.integers(START + 1, START + 8 * SLOTS_PER_EPOCH), max_size=4))
def test_drawn_sequences_match_the_spec_long(events, split):
    last = START + 8 * SLOTS_PER_EPOCH
    assert_same(model(events, last, calls=split), reference(events, last))


def substitute_cases():
    """States the substitutes must read as the spec does: mid-scenario (two network validators offline, one
    slashed, a deposit pending, an exit under way), at its end, and in an inactivity leak (half the stake
    offline for nine epochs: scores and inactivity penalties)."""
    events = scenario()
    s = start_state()
    leak = [(START + 1, "online", (bytes(s.validators[k].pubkey), False)) for k in (0, 2)]
    return [
        model(events, START + 100),
        model(events, START + 140),
        model(events, START + 7 * SLOTS_PER_EPOCH),
        model(leak, START + 9 * SLOTS_PER_EPOCH),
    ]


def epoch_functions(state) -> tuple:
    """What the substituted readers return for `state`, as plain values."""
    previous, current = spec.get_previous_epoch(state), spec.get_current_epoch(state)
    participating = [
        sorted(map(int, spec.get_unslashed_participating_indices(state, flag, epoch)))
        for flag in range(3)
        for epoch in (previous, current)
    ]
    indices = spec.get_active_validator_indices(state, current)
    return (
        [int(i) for i in spec.get_active_validator_indices(state, previous)],
        [int(i) for i in spec.get_eligible_validator_indices(state)],
        participating,
        int(spec.get_total_balance(state, set(indices))),
        [
            int(p)
            for p in spec.compute_proposer_indices(
                state, current + 1, spec.Bytes32(bytes(range(32))), indices
            )
        ],
        withdrawals(state),
        withdrawals(withdrawable(state)),
    )


def withdrawals(state) -> list:
    """The block's expected withdrawals (the sweep and the pending partial ones) as plain values."""
    expected = spec.get_expected_withdrawals(state)
    paid = [
        (int(w.index), int(w.validator_index), bytes(w.address), int(w.amount)) for w in expected.withdrawals
    ]
    return [
        paid,
        int(expected.processed_partial_withdrawals_count),
        int(expected.processed_sweep_withdrawals_count),
    ]


def withdrawable(state):
    """A copy of `state` where network validator 3 has exited and is withdrawable (a full withdrawal), the
    sweep starting past it (it wraps around)."""
    state = state.copy()
    epoch = spec.get_current_epoch(state)
    state.validators[3].exit_epoch = epoch - 1
    state.validators[3].withdrawable_epoch = epoch
    state.next_withdrawal_validator_index = len(state.validators) - 1
    return state


def pay_withdrawals(state) -> None:
    spec.apply_withdrawals(state, spec.get_expected_withdrawals(state).withdrawals)


def transitions(state) -> list[bytes]:
    """State roots after each substituted transition, each from a copy of `state`."""
    steps = (
        spec.process_inactivity_updates,
        spec.process_rewards_and_penalties,
        spec.process_registry_updates,
        spec.process_slashings,
        spec.process_pending_deposits,
        spec.process_effective_balance_updates,
        pay_withdrawals,
        spec.process_slot,
    )
    roots = []
    for step in steps:
        copy = state.copy()
        step(copy)
        roots.append(bytes(spec.hash_tree_root(copy)))
    return roots


def variants(state) -> list:
    """`state`, and copies where an epoch step that usually does nothing has something to do: a full
    withdrawal; the slashed validator half-way to withdrawable (its proportional penalty); a balance past
    the hysteresis (a new effective balance); a validator eligible for the activation queue, one whose
    eligibility is finalized (activation), one below the ejection balance (an exit); churn carried over
    with no deposit pending."""
    epoch = int(spec.get_current_epoch(state))
    slashed, moved, queued, activated, ejected, carried = (state.copy() for _ in range(6))
    slashed.validators[1].slashed = True
    slashed.validators[1].withdrawable_epoch = epoch + spec.EPOCHS_PER_SLASHINGS_VECTOR // 2
    slashed.slashings[epoch % spec.EPOCHS_PER_SLASHINGS_VECTOR] += 2048 * GWEI
    moved.balances[4] = 30 * GWEI
    queued.validators[2].activation_eligibility_epoch = spec.FAR_FUTURE_EPOCH
    activated.validators[3].activation_eligibility_epoch = activated.finalized_checkpoint.epoch
    activated.validators[3].activation_epoch = spec.FAR_FUTURE_EPOCH
    ejected.validators[4].effective_balance = spec.config.EJECTION_BALANCE
    carried.pending_deposits = []
    carried.deposit_balance_to_consume = GWEI
    return [state, withdrawable(state), slashed, moved, queued, activated, ejected, carried]


# (variant, step) pairs of `variants` x `transitions` where the step has something to do
BUSY = [(1, 6), (2, 3), (3, 5), (4, 2), (5, 2), (6, 2), (7, 4)]


@pytest.mark.parametrize("case", range(4))
def test_epoch_substitutes_equal_the_spec(case):
    """The plain-integer readers (active, eligible and participating indices, total balance, proposers,
    withdrawals) and transitions (inactivity scores, rewards and penalties, registry updates, slashings,
    pending deposits, effective balances, withdrawals, the slot's root caching) against the spec's own."""
    state = substitute_cases()[case]
    if case == 3:
        assert spec.is_in_inactivity_leak(state) and max(map(int, state.inactivity_scores)) > 0
    states = variants(state)
    fast_values, fast_roots = epoch_functions(state), [transitions(s) for s in states]
    with exact_spec():
        assert epoch_functions(state) == fast_values
        assert [transitions(s) for s in states] == fast_roots
    assert spec.process_slot.__module__ == "deploy.sim.speed"  # installed again on leaving

    # each variant's step had something to do: the state it leaves is not the variant itself
    def changed(variant: int, step: int) -> bool:
        return fast_roots[variant][step] != bytes(spec.hash_tree_root(states[variant]))

    assert all(changed(variant, step) for variant, step in BUSY)


def test_slashings_substitute_equals_the_spec():
    state = start_state().copy()
    for changes in ([], [(0, 5)], [(8191, 2**63), (17, 1), (18, 3)]):
        for index, value in changes:
            state.slashings[index] = value
        with exact_spec():
            expected = [int(x) for x in state.slashings]
        assert packed_uint64s(state.slashings) == expected
        assert list(iter(state.slashings)) == expected  # the installed substitute
