"""The RewardsCoordinator stand-in (EigenLayer v1.12, EIGENLAYER.md §2.7): roots, claimers, and claims
proven against a keccak Merkle tree built here in Python (several earners, several tokens), claimed twice
(the second claim pays only the difference), with every check of `processClaim` in order."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import boa
import pytest
from eth_utils import keccak, to_canonical_address

from tests.utils.actors import actor
from tests.utils.constants import c
from tests.utils.errors import error_selector, reverts_with_error
from tests.utils.logs import events

ROOT = Path(__file__).resolve().parents[2]
ACTIVATION_DELAY = 3600
ZERO32 = b"\x00" * 32


# ---------------------------------------------------------------- the Merkle trees, in Python


def earner_leaf(earner: str, token_root: bytes) -> bytes:
    return keccak(b"\x00" + to_canonical_address(earner) + token_root)


def token_leaf(token: str, cumulative: int) -> bytes:
    return keccak(b"\x01" + to_canonical_address(token) + cumulative.to_bytes(32, "big"))


def tree(leaves: list[bytes]) -> list[list[bytes]]:
    """Layers bottom-up, padded with zero leaves to a power of two (EigenLayer's `merkleizeKeccak`)."""
    size = 1
    while size < len(leaves):
        size *= 2
    layers = [leaves + [ZERO32] * (size - len(leaves))]
    while len(layers[-1]) > 1:
        below = layers[-1]
        layers.append([keccak(below[i] + below[i + 1]) for i in range(0, len(below), 2)])
    return layers


def proof(layers: list[list[bytes]], index: int) -> bytes:
    out = b""
    for layer in layers[:-1]:
        out += layer[index ^ 1]
        index //= 2
    return out


class Distribution:
    """earner -> {token: cumulative earnings}: the earner tree and each earner's token tree."""

    def __init__(self, earnings: dict[str, dict[str, int]]):
        self.earners = list(earnings)
        self.tokens = {e: list(t.items()) for e, t in earnings.items()}
        self.token_trees = {e: tree([token_leaf(t, a) for t, a in self.tokens[e]]) for e in self.earners}
        self.token_roots = {e: self.token_trees[e][-1][0] for e in self.earners}
        self.earner_tree = tree([earner_leaf(e, self.token_roots[e]) for e in self.earners])
        self.root = self.earner_tree[-1][0]

    def claim(self, root_index: int, earner: str, tokens: list[str] | None = None) -> tuple:
        pairs = self.tokens[earner]
        picks = [i for i, (t, _) in enumerate(pairs) if tokens is None or t in tokens]
        return (
            root_index,
            self.earners.index(earner),
            proof(self.earner_tree, self.earners.index(earner)),
            (earner, self.token_roots[earner]),
            picks,
            [proof(self.token_trees[earner], i) for i in picks],
            [pairs[i] for i in picks],
        )


def with_field(claim: tuple, index: int, value) -> tuple:
    return claim[:index] + (value,) + claim[index + 1 :]


@contextmanager
def reverts_with_panic(code: int):
    with boa.reverts():
        try:
            yield
        except boa.BoaError as exc:
            data = bytes(exc.call_trace.output or b"")
            assert data == error_selector("Panic(uint256)") + code.to_bytes(32, "big"), data.hex()
            raise


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def rc_owner():
    return actor("owner", label="rc-owner")


@pytest.fixture(scope="module")
def updater():
    return actor("owner", label="rc-updater")


@pytest.fixture(scope="module")
def earners():
    return [actor("staker", label=f"rc-earner-{i}") for i in range(3)]


@pytest.fixture(scope="module")
def claimer():
    return actor("non_owner", label="rc-claimer")


@pytest.fixture(scope="module")
def recipient():
    return actor("non_owner", label="rc-recipient")


@pytest.fixture(scope="module")
def rc(rc_owner, updater):
    return boa.load(
        str(ROOT / "contracts/external/eigenlayer/RewardsCoordinator.vy"), rc_owner, updater, ACTIVATION_DELAY
    )


@pytest.fixture(scope="module")
def tokens(rc):
    out = []
    for name in ("Alpha", "Beta"):
        token = boa.load(str(ROOT / "tests/eigenlayer/contracts/RcRewardToken.vy"), name, name[:3].upper())
        token.mint(rc.address, 10**24)
        out.append(token)
    return out


@pytest.fixture(scope="module")
def first(earners, tokens):
    a, b = (t.address for t in tokens)
    return Distribution({earners[0]: {a: 100, b: 50}, earners[1]: {a: 30}, earners[2]: {b: 7}})


@pytest.fixture(scope="module")
def second(earners, tokens):
    a, b = (t.address for t in tokens)
    return Distribution({earners[0]: {a: 160, b: 50}, earners[1]: {a: 45}, earners[2]: {b: 9}})


def submit(rc, updater, distribution) -> int:
    """Posts the distribution's root for the period ending a second ago; returns its index."""
    end = boa.env.evm.patch.timestamp - 1
    if end <= rc.currRewardsCalculationEndTimestamp():
        boa.env.time_travel(seconds=rc.currRewardsCalculationEndTimestamp() - end + 1)
        end = boa.env.evm.patch.timestamp - 1
    rc.submitRoot(distribution.root, end, sender=updater)
    return rc.getDistributionRootsLength() - 1


def activate():
    boa.env.time_travel(seconds=ACTIVATION_DELAY)


# ---------------------------------------------------------------- roots


def test_wiring(rc, rc_owner, updater):
    assert rc.owner() == rc_owner
    assert rc.rewardsUpdater() == updater
    assert rc.activationDelay() == ACTIVATION_DELAY
    assert rc.pauserRegistry() == rc_owner
    assert rc.getDistributionRootsLength() == 0
    with reverts_with_panic(0x11):
        rc.getCurrentDistributionRoot()


def test_submit_root(rc, updater, first):
    now = boa.env.evm.patch.timestamp
    rc.submitRoot(first.root, now - 10, sender=updater)
    assert events(rc.get_logs(), "DistributionRootSubmitted") == [
        {
            "rootIndex": 0,
            "root": first.root,
            "rewardsCalculationEndTimestamp": now - 10,
            "activatedAt": now + ACTIVATION_DELAY,
        }
    ]
    expected = (first.root, now - 10, now + ACTIVATION_DELAY, False)
    assert rc.getDistributionRootsLength() == 1
    assert rc.getDistributionRootAtIndex(0) == expected
    assert rc.getCurrentDistributionRoot() == expected
    assert rc.currRewardsCalculationEndTimestamp() == now - 10
    with reverts_with_panic(0x32):
        rc.getDistributionRootAtIndex(1)


def test_submit_root_errors_in_order(rc, rc_owner, updater, first):
    now = boa.env.evm.patch.timestamp
    with reverts_with_error("UnauthorizedCaller()"):
        rc.submitRoot(first.root, now - 1, sender=rc_owner)
    with reverts_with_error("RewardsEndTimestampNotElapsed()"):
        rc.submitRoot(first.root, now, sender=updater)
    rc.submitRoot(first.root, now - 5, sender=updater)
    with reverts_with_error("NewRootMustBeForNewCalculatedPeriod()"):
        rc.submitRoot(first.root, now - 5, sender=updater)
    rc.pause(1 << c.EL_PAUSED_SUBMIT_DISABLE_ROOTS, sender=rc_owner)
    assert rc.paused(c.EL_PAUSED_SUBMIT_DISABLE_ROOTS)
    with reverts_with_error("CurrentlyPaused()"):
        rc.submitRoot(first.root, now - 1, sender=updater)
    with reverts_with_error("CurrentlyPaused()"):
        rc.disableRoot(0, sender=updater)


def test_disable_root(rc, rc_owner, updater, first, earners):
    index = submit(rc, updater, first)
    with reverts_with_error("UnauthorizedCaller()"):
        rc.disableRoot(index, sender=rc_owner)
    with reverts_with_error("InvalidRootIndex()"):
        rc.disableRoot(index + 1, sender=updater)
    rc.disableRoot(index, sender=updater)
    assert events(rc.get_logs(), "DistributionRootDisabled") == [{"rootIndex": index}]
    assert rc.getDistributionRootAtIndex(index)[3] is True
    with reverts_with_error("RootDisabled()"):
        rc.disableRoot(index, sender=updater)
    activate()
    with reverts_with_error("RootDisabled()"):
        rc.processClaim(first.claim(index, earners[1]), earners[1], sender=earners[1])
    later = submit(rc, updater, first)
    activate()
    with reverts_with_error("RootAlreadyActivated()"):
        rc.disableRoot(later, sender=updater)


def test_owner_settings(rc, rc_owner, updater, claimer):
    with boa.reverts("Ownable: caller is not the owner"):
        rc.setActivationDelay(1, sender=updater)
    rc.setActivationDelay(60, sender=rc_owner)
    assert events(rc.get_logs(), "ActivationDelaySet") == [
        {"oldActivationDelay": ACTIVATION_DELAY, "newActivationDelay": 60}
    ]
    with boa.reverts("Ownable: caller is not the owner"):
        rc.setRewardsUpdater(claimer, sender=updater)
    rc.setRewardsUpdater(claimer, sender=rc_owner)
    assert events(rc.get_logs(), "RewardsUpdaterSet") == [
        {"oldRewardsUpdater": updater, "newRewardsUpdater": claimer}
    ]
    assert rc.rewardsUpdater() == claimer


# ---------------------------------------------------------------- claimers and leaves


def test_set_claimer_for(rc, earners, claimer):
    earner = earners[0]
    assert rc.claimerFor(earner) == "0x" + "00" * 20
    rc.setClaimerFor(claimer, sender=earner)
    assert events(rc.get_logs(), "ClaimerForSet") == [
        {"earner": earner, "oldClaimer": "0x" + "00" * 20, "claimer": claimer}
    ]
    rc.setClaimerFor(earners[1], sender=earner)
    assert events(rc.get_logs(), "ClaimerForSet") == [
        {"earner": earner, "oldClaimer": claimer, "claimer": earners[1]}
    ]
    assert rc.claimerFor(earner) == earners[1]


def test_leaf_hashes_match_python(rc, tokens, earners):
    root = keccak(b"token root")
    assert rc.calculateEarnerLeafHash((earners[0], root)) == earner_leaf(earners[0], root)
    assert rc.calculateTokenLeafHash((tokens[0].address, 12345)) == token_leaf(tokens[0].address, 12345)


# ---------------------------------------------------------------- claims


def test_claims_by_the_claimer_twice_pay_the_difference(
    rc, updater, tokens, earners, claimer, recipient, first, second
):
    a, b = tokens
    earner = earners[0]
    rc.setClaimerFor(claimer, sender=earner)
    index = submit(rc, updater, first)
    claim = first.claim(index, earner)
    with reverts_with_error("RootNotActivated()"):
        rc.processClaim(claim, recipient, sender=claimer)
    activate()
    assert rc.checkClaim(claim) is True
    with reverts_with_error("UnauthorizedCaller()"):
        rc.processClaim(claim, recipient, sender=earner)  # a claimer is set: not the earner any more
    rc.processClaim(claim, recipient, sender=claimer)
    assert events(rc.get_logs(), "RewardsClaimed") == [
        {
            "root": first.root,
            "earner": earner,
            "claimer": claimer,
            "recipient": recipient,
            "token": token.address,
            "claimedAmount": amount,
        }
        for token, amount in ((a, 100), (b, 50))
    ]
    assert (a.balanceOf(recipient), b.balanceOf(recipient)) == (100, 50)
    assert (rc.cumulativeClaimed(earner, a.address), rc.cumulativeClaimed(earner, b.address)) == (100, 50)
    with reverts_with_error("EarningsNotGreaterThanClaimed()"):
        rc.processClaim(claim, recipient, sender=claimer)

    later = submit(rc, updater, second)
    activate()
    with reverts_with_error("EarningsNotGreaterThanClaimed()"):
        rc.processClaim(second.claim(later, earner), recipient, sender=claimer)  # B did not grow
    rc.processClaim(second.claim(later, earner, [a.address]), recipient, sender=claimer)
    assert [e["claimedAmount"] for e in events(rc.get_logs(), "RewardsClaimed")] == [60]
    assert a.balanceOf(recipient) == 160
    assert rc.cumulativeClaimed(earner, a.address) == 160
    # the old root still proves, but pays nothing more
    with reverts_with_error("EarningsNotGreaterThanClaimed()"):
        rc.processClaim(first.claim(index, earner, [a.address]), recipient, sender=claimer)


def test_process_claims_for_several_earners(rc, updater, tokens, earners, claimer, recipient, first, second):
    a, b = tokens
    for earner in earners[1:]:
        rc.setClaimerFor(claimer, sender=earner)
    index = submit(rc, updater, first)
    activate()
    claims = [first.claim(index, earners[1]), first.claim(index, earners[2])]
    rc.processClaims(claims, recipient, sender=claimer)
    assert [(e["earner"], e["claimedAmount"]) for e in events(rc.get_logs(), "RewardsClaimed")] == [
        (earners[1], 30),
        (earners[2], 7),
    ]
    later = submit(rc, updater, second)
    activate()
    rc.processClaims(
        [second.claim(later, earners[1]), second.claim(later, earners[2])], recipient, sender=claimer
    )
    assert (a.balanceOf(recipient), b.balanceOf(recipient)) == (45, 9)
    assert rc.cumulativeClaimed(earners[1], a.address) == 45
    assert rc.cumulativeClaimed(earners[2], b.address) == 9


def test_an_earner_without_claimer_claims_itself(rc, updater, tokens, earners, first):
    index = submit(rc, updater, first)
    activate()
    earner = earners[1]
    with reverts_with_error("UnauthorizedCaller()"):
        rc.processClaim(first.claim(index, earner), earner, sender=earners[0])
    rc.processClaim(first.claim(index, earner), earner, sender=earner)
    assert tokens[0].balanceOf(earner) == 30


def test_claim_errors_in_order(rc, rc_owner, updater, tokens, earners, first):
    index = submit(rc, updater, first)
    activate()
    earner = earners[0]
    good = first.claim(index, earner)
    with reverts_with_panic(0x32):
        rc.processClaim(with_field(good, 0, index + 1), earner, sender=earner)
    with reverts_with_panic(0x32):
        rc.checkClaim(with_field(good, 0, index + 1))
    # array lengths: indices vs proofs, then proofs vs leaves
    with reverts_with_error("InputArrayLengthMismatch()"):
        rc.processClaim(with_field(good, 4, [0]), earner, sender=earner)
    with reverts_with_error("InputArrayLengthMismatch()"):
        rc.processClaim(with_field(good, 6, good[6][:1]), earner, sender=earner)
    # earner proof: the index must fit the proof's depth (2 levels: 0..3), then the proof must hold
    with reverts_with_error("InvalidEarnerLeafIndex()"):
        rc.processClaim(with_field(good, 1, 4), earner, sender=earner)
    with reverts_with_error("InvalidClaimProof()"):
        rc.processClaim(with_field(good, 1, 1), earner, sender=earner)
    with reverts_with_error("InvalidClaimProof()"):
        rc.processClaim(with_field(good, 3, (earners[1], good[3][1])), earner, sender=earner)
    with reverts_with_error("InvalidProofLength()"):
        rc.processClaim(with_field(good, 2, good[2] + b"\x00"), earner, sender=earner)
    # token proofs: the index must fit (1 level: 0..1), then the proof must hold
    with reverts_with_error("InvalidTokenLeafIndex()"):
        rc.processClaim(with_field(good, 4, [0, 2]), earner, sender=earner)
    with reverts_with_error("InvalidClaimProof()"):
        rc.processClaim(with_field(good, 4, [1, 0]), earner, sender=earner)
    inflated = [good[6][0], (good[6][1][0], 10**20)]
    with reverts_with_error("InvalidClaimProof()"):
        rc.processClaim(with_field(good, 6, inflated), earner, sender=earner)
    with reverts_with_error("InvalidClaimProof()"):
        rc.checkClaim(with_field(good, 6, inflated))
    # proofs pass, the caller does not
    with reverts_with_error("UnauthorizedCaller()"):
        rc.processClaim(good, earner, sender=earners[1])
    rc.pause(1 << c.EL_PAUSED_PROCESS_CLAIM, sender=rc_owner)
    with reverts_with_error("CurrentlyPaused()"):
        rc.processClaim(good, earner, sender=earner)
    with reverts_with_error("CurrentlyPaused()"):
        rc.processClaims([good], earner, sender=earner)


def test_single_leaf_trees_use_empty_proofs(rc, updater, tokens, earners):
    """One earner with one token: both proofs are empty, each leaf must equal its root, index 0 only."""
    a = tokens[0]
    only = Distribution({earners[2]: {a.address: 11}})
    assert only.root == earner_leaf(earners[2], token_leaf(a.address, 11))
    index = submit(rc, updater, only)
    activate()
    claim = only.claim(index, earners[2])
    assert claim[2] == b"" and claim[5] == [b""]
    with reverts_with_error("InvalidEarnerLeafIndex()"):
        rc.checkClaim(with_field(claim, 1, 1))
    with reverts_with_error("InvalidTokenLeafIndex()"):
        rc.checkClaim(with_field(claim, 4, [1]))
    rc.processClaim(claim, earners[2], sender=earners[2])
    assert a.balanceOf(earners[2]) == 11


def test_zero_root_reverts_empty_root(rc, updater, earners):
    boa.env.time_travel(seconds=1)
    rc.submitRoot(ZERO32, boa.env.evm.patch.timestamp - 1, sender=updater)
    activate()
    claim = (rc.getDistributionRootsLength() - 1, 0, b"", (earners[0], ZERO32), [], [], [])
    with reverts_with_error("EmptyRoot()"):
        rc.checkClaim(claim)


def test_a_token_returning_false_reverts_the_claim(rc, updater, earners):
    """`safeTransfer`: a token whose `transfer` returns false fails the claim, and nothing is recorded."""
    bad = boa.load(str(ROOT / "tests/eigenlayer/contracts/RcFalseToken.vy"))
    only = Distribution({earners[0]: {bad.address: 5}})
    index = submit(rc, updater, only)
    activate()
    with boa.reverts("SafeERC20: ERC20 operation did not succeed"):
        rc.processClaim(only.claim(index, earners[0]), earners[0], sender=earners[0])
    assert rc.cumulativeClaimed(earners[0], bad.address) == 0
