"""The DelegationManager's share maths against a Python model of EigenLayer's SlashingLib, to the wei.

Hypothesis runs one delegated staker through deposits, beacon-chain losses (lower BCSF), operator slashes
(lower max magnitude), queued withdrawals and completions (as ETH or as shares) in any order; after every
step the withdrawable shares, deposit shares, deposit scaling factor, operator shares, burnable shares and
ETH paid equal the model's.
"""

from __future__ import annotations

import boa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eigenlayer.delegation.conftest import (
    BEACON,
    DELAY,
    MOCKS,
    NO_SIG,
    WAD,
    ZERO,
    mine,
    queued,
    withdrawal_root,
)
from tests.utils.errors import reverts_with_error
from tests.utils.share_maths import div_wad, mul_wad, scaling, slashed, updated_dsf, withdrawable
from tests.utils.stateful import fuzz_examples

GWEI = 10**9


@pytest.fixture(scope="module")
def harness():
    return boa.load(str(MOCKS / "SlashingLibHarness.vy"))


class Model:
    def __init__(self):
        self.deposit = self.dsf = self.op_shares = self.burnable = self.paid = 0
        self.bcsf = WAD
        self.mags: list[tuple[int, int]] = []  # (block, magnitude)
        self.queue: list[tuple[tuple, int, int]] = []  # (withdrawal, scaled, start)

    def mag(self, block: int | None = None) -> int:
        value = WAD
        for key, m in self.mags:
            if block is None or key <= block:
                value = m
        return value

    def factor(self) -> int:
        return mul_wad(self.mag(), self.bcsf)


step = st.one_of(
    st.tuples(st.just("deposit"), st.integers(1, 64 * 10**9)),
    st.tuples(st.just("lose"), st.integers(1, 10_000)),
    st.tuples(st.just("slash"), st.integers(1, 10**18)),
    st.tuples(st.just("queue"), st.integers(0, 10_000)),
    st.tuples(st.just("complete"), st.integers(0, 7), st.booleans()),
    st.tuples(st.just("mine"), st.integers(1, 2 * DELAY)),
)


@settings(
    max_examples=fuzz_examples(ci=50, full=200), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(steps=st.lists(step, min_size=1, max_size=20))
def test_share_maths_match_slashing_lib(dm, epm, am, operator, staker, steps):
    with boa.env.prank(staker):
        dm.delegateTo(operator, NO_SIG, b"\x00" * 32)
    m = Model()
    for op, *args in steps:
        block = boa.env.evm.patch.block_number
        if op == "deposit":
            amount = args[0] * GWEI
            if m.factor() == 0:
                with reverts_with_error("FullySlashed()"):
                    epm.deposit(staker, amount)
                continue
            m.dsf = updated_dsf(m.dsf, m.deposit, amount, m.factor())
            m.deposit += amount
            m.op_shares += amount
            epm.deposit(staker, amount)
        elif op == "lose":
            if m.deposit == 0:
                continue
            loss = m.deposit * args[0] // 10_000
            new = m.bcsf * (m.deposit - loss) // m.deposit
            decrease = withdrawable(m.deposit, m.dsf, mul_wad(m.mag(), m.bcsf - new))
            if decrease > m.op_shares:
                continue  # would underflow in EigenLayer too
            m.op_shares -= decrease
            m.bcsf = new
            epm.lose(staker, m.deposit, loss)
        elif op == "slash":
            prev = m.mag()
            new = prev - -(-prev * args[0] // WAD)
            if prev == 0:
                continue
            in_window = sum(scaled for _, scaled, start in m.queue if start >= block - DELAY)
            from_operator = slashed(m.op_shares, prev, new)
            total = from_operator + slashed(mul_wad(in_window, prev), prev, new)
            assert am.slash(operator, BEACON, new) == total
            m.op_shares -= from_operator
            m.burnable += total
            m.mags.append((block, new))
        elif op == "queue":
            shares = m.deposit * args[0] // 10_000
            out = withdrawable(shares, m.dsf, m.factor())
            if out > m.op_shares:
                continue
            scaled = mul_wad(shares, scaling(m.dsf))
            root, w = queued(dm, staker, shares)
            assert list(w[6]) == [scaled] and withdrawal_root(w) == root
            m.op_shares -= out
            m.deposit -= shares
            if m.deposit == 0:
                m.dsf = 0
            m.queue.append((w, scaled, block))
        elif op == "complete":
            if not m.queue:
                continue
            index, as_tokens = args[0] % len(m.queue), args[1]
            w, scaled, start = m.queue[index]
            if block <= start + DELAY:
                mine(start + DELAY + 1 - block)
            shares = mul_wad(scaled, mul_wad(m.mag(start + DELAY), m.bcsf))
            if not as_tokens and shares and m.factor() == 0:
                with boa.env.prank(staker), reverts_with_error("FullySlashed()"):
                    dm.completeQueuedWithdrawal(w, [ZERO], False)
                continue
            with boa.env.prank(staker):
                dm.completeQueuedWithdrawal(w, [ZERO], as_tokens)
            m.queue.pop(index)
            if shares and as_tokens:
                m.paid += shares // GWEI * GWEI
            elif shares:
                m.dsf = updated_dsf(m.dsf, m.deposit, shares, m.factor())
                m.deposit += shares
                m.op_shares += shares
        else:
            mine(args[0])
        assert dm.getWithdrawableShares(staker, [BEACON]) == (
            [withdrawable(m.deposit, m.dsf, m.factor())],
            [m.deposit],
        )
        assert dm.depositScalingFactor(staker, BEACON) == scaling(m.dsf)
        assert dm.operatorShares(operator, BEACON) == m.op_shares
        assert epm.burnableETHShares() == m.burnable
        assert epm.paid(staker) == m.paid
        assert epm.beaconChainSlashingFactor(staker) == m.bcsf


@settings(max_examples=50, deadline=None)
@given(
    x=st.integers(0, 2**200),
    y=st.integers(1, 2**100),
    prev=st.integers(0, 2**100),
    added=st.integers(1, 2**100),
    stored=st.integers(0, 2**80),
)
def test_library_matches_slashing_lib(harness, x, y, prev, added, stored):
    assert harness.mul_wad(x, y) == mul_wad(x, y)
    if div_wad(x, y) >= 2**256:  # OpenZeppelin's mulDiv reverts when the quotient does not fit, as snekmate's
        with boa.reverts("math: mul_div overflow"):
            harness.div_wad(x, y)
    else:
        assert harness.div_wad(x, y) == div_wad(x, y)
    expected = updated_dsf(stored, prev, added, y)
    if expected == 0:
        with reverts_with_error("InvalidDepositScalingFactor()"):
            harness.updated_scaling_factor(stored, prev, added, y)
    else:
        assert harness.updated_scaling_factor(stored, prev, added, y) == expected
    assert harness.calc_slashed_amount(x, y + x % 7, y) == slashed(x, y + x % 7, y)
