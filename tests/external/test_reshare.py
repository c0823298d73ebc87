"""deploy/reshare.py: a threshold key reshared to a new set of holders keeps its group key, its new shares
pass the share check and sign the deposit, old shares do not mix with new ones, and every corrupted message
is refused naming its dealer. Points are checked with py_ecc (`keys.bls.SkToPk`, `combine_public_shares`),
not with the arkworks arithmetic under test."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy import keys
from deploy.reshare import Dealing, complete_resharing, deal, reshare, verify_sub_share
from tests.utils.stateful import fuzz_examples

CREDENTIALS = b"\x01" + bytes(11) + bytes.fromhex("e0c5cea4d3869f156717c66e188ae81c80914a6e")
SEED = "resharing ceremony"
SECRET = keys.secret_key_from_seed(SEED)
r = keys.curve_order
LEAVER = 4  # the operator of seat 4 leaves; a newcomer takes share index 4
STAYERS = (1, 2, 3)


@pytest.fixture(scope="module")
def old() -> keys.ThresholdKey:
    return keys.generate_threshold_key(4, 3, seed=SEED)


@pytest.fixture(scope="module")
def new(old) -> keys.ThresholdKey:
    """Seat 4 changes hands: the three stayers deal, the newcomer receives share index 4."""
    return reshare(old, [1, 2, 3, 4], 3, seed="round 1", dealers=STAYERS)


def secret_of(shares: dict) -> int:
    """The secret the given secret shares interpolate to at 0."""
    weights = keys.lagrange_coefficients(shares)
    return sum(weights[i] * s for i, s in shares.items()) % r


def old_dealings(old, new_indices, new_threshold, dealers=STAYERS, seed="round 1") -> list[Dealing]:
    return [deal(i, old.secret_shares[i], new_indices, new_threshold, seed) for i in dealers]


def complete(old, dealings, new_indices=(1, 2, 3, 4), new_threshold=3) -> keys.ThresholdKey:
    return complete_resharing(
        old.distributed_public_key, old.public_shares, old.threshold, dealings, new_indices, new_threshold
    )


# ------------------------------------------------------------------------------------------ the new key


def test_group_key_is_unchanged_and_new_shares_are_new(old, new):
    assert new.distributed_public_key == old.distributed_public_key
    assert new.threshold == 3 and sorted(new.secret_shares) == [1, 2, 3, 4]
    assert keys.verify_public_shares(new.distributed_public_key, new.public_share_list(), 3)
    for j, share in new.secret_shares.items():
        assert new.public_shares[j] == keys.bls.SkToPk(share)  # the commitments gave the right point
        assert share != old.secret_shares[j]  # a fresh polynomial: nobody keeps its old share
    for subset in ([1, 2, 3], [2, 3, 4], [1, 3, 4]):
        assert secret_of({j: new.secret_shares[j] for j in subset}) == SECRET
    assert secret_of({j: new.secret_shares[j] for j in (1, 4)}) != SECRET  # below the threshold


@pytest.mark.parametrize("position", range(4))
def test_a_set_mixing_old_and_new_shares_is_refused(old, new, position):
    """The leaver's share (or a stayer's old one) is no point of the new polynomial: any set holding one
    fails the share check ClusterKeys makes, and its secrets do not give the key."""
    mixed = new.public_share_list()
    mixed[position] = old.public_share_list()[position]
    assert not keys.verify_public_shares(old.distributed_public_key, mixed, 3)
    index = position + 1
    others = [j for j in new.secret_shares if j != index][:2]
    shares = {index: old.secret_shares[index]} | {j: new.secret_shares[j] for j in others}
    assert secret_of(shares) != SECRET


def test_the_new_holders_sign_the_deposit_of_the_unchanged_key(old, new):
    """Three new holders, the newcomer among them, sign the pre-deposit of the same validator; BLS is
    deterministic, so it is the very deposit the dealt key signs."""
    d = keys.sign_deposit_threshold(new, [2, 3, 4], CREDENTIALS)
    assert keys.verify_deposit_data(d)
    assert d == keys.make_deposit_data(CREDENTIALS, seed=SEED)


def test_the_leavers_old_partial_signature_spoils_the_signature(old, new):
    """The leaver still holds its old share; signing with it in place of the newcomer gives no signature
    of the key."""
    d = keys.make_deposit_data(CREDENTIALS, seed=SEED)
    signing_root = keys.compute_signing_root(
        bytes.fromhex(d["deposit_message_root"]), keys.compute_deposit_domain(d["fork_version"])
    )
    partials = {j: keys.partial_sign(new.secret_shares[j], signing_root) for j in (2, 3)}
    partials[LEAVER] = keys.partial_sign(old.secret_shares[LEAVER], signing_root)
    assert keys.combine_signatures(partials).hex() != d["signature"]
    partials[LEAVER] = keys.partial_sign(new.secret_shares[LEAVER], signing_root)
    assert keys.combine_signatures(partials).hex() == d["signature"]


def test_the_shares_of_t_old_holders_are_enough(old, new):
    """The leaver's secret share is not needed, nor even known: a key carrying the stayers' shares only
    deals the same round as naming the stayers."""
    stayers_only = replace(old, secret_shares={i: old.secret_shares[i] for i in STAYERS})
    assert reshare(stayers_only, [1, 2, 3, 4], 3, seed="round 1") == new


def test_resharing_twice_in_a_row(old, new):
    """The newcomer's key grows to five holders (threshold 4), dealt by four holders of the first round;
    the key is still the same and the first round's shares do not mix with the second's."""
    second = reshare(new, range(1, 6), 4, seed="round 2", dealers=[1, 2, 3, 4])
    assert second.distributed_public_key == old.distributed_public_key
    assert keys.verify_public_shares(second.distributed_public_key, second.public_share_list(), 4)
    assert secret_of({j: second.secret_shares[j] for j in (2, 3, 4, 5)}) == SECRET
    mixed = dict(second.public_shares)
    mixed[1] = new.public_shares[1]
    assert not keys.verify_public_shares(second.distributed_public_key, mixed, 4)


@pytest.mark.parametrize(
    "new_indices, new_threshold, dealers",
    [
        ([1, 2, 3, 4, 5], 4, [1, 2, 3]),  # a seat added: ceil(2 * 5 / 3) = 4
        ([1, 2, 3], 2, [1, 2, 4]),  # a seat removed (the holder of 3 leaves; 4 takes index 3)
        ([1, 2, 3, 4], 3, [1, 2, 3, 4]),  # everybody deals (more than t dealers)
        ([1, 2, 3, 4, 5, 6, 7], 5, [2, 3, 4]),
    ],
)
def test_growing_and_shrinking_sets(old, new_indices, new_threshold, dealers):
    key = reshare(old, new_indices, new_threshold, seed="resize", dealers=dealers)
    assert key.distributed_public_key == old.distributed_public_key
    assert keys.verify_public_shares(key.distributed_public_key, key.public_share_list(), new_threshold)
    assert secret_of({j: key.secret_shares[j] for j in new_indices[-new_threshold:]}) == SECRET


def test_without_a_seed_each_round_is_fresh(old):
    """A real round draws its polynomials from `secrets`: two rounds give different shares of one key."""
    first, second = (reshare(old, [1, 2, 3, 4], 3, dealers=STAYERS) for _ in range(2))
    assert first.secret_shares != second.secret_shares
    assert secret_of(first.secret_shares) == secret_of(second.secret_shares) == SECRET


def test_a_receiver_checks_its_own_sub_share(old):
    dealing = old_dealings(old, [1, 2, 3, 4], 3)[1]
    assert verify_sub_share(dealing, 4, old.public_shares[2], 3) == dealing.sub_shares[4]
    bad = replace(dealing, sub_shares={**dealing.sub_shares, 4: (dealing.sub_shares[4] + 1) % r})
    with pytest.raises(
        keys.ThresholdKeyError, match="dealer 2's sub-share for new holder 4 fails the Feldman"
    ):
        verify_sub_share(bad, 4, old.public_shares[2], 3)
    assert verify_sub_share(bad, 3, old.public_shares[2].hex(), 3) == dealing.sub_shares[3]  # others are fine


# ------------------------------------------------------------------------------------------ errors


def test_too_few_old_holders(old):
    with pytest.raises(keys.ThresholdKeyError, match=r"at least 3 old holders \(the old threshold\), got 2"):
        reshare(old, [1, 2, 3, 4], 3, seed="x", dealers=[1, 2])
    with pytest.raises(keys.ThresholdKeyError, match="at least 3 old holders"):
        complete(old, old_dealings(old, [1, 2, 3, 4], 3, dealers=[3, 4]))
    holders_of_two = replace(old, secret_shares={i: old.secret_shares[i] for i in (1, 2)})
    with pytest.raises(keys.ThresholdKeyError, match="at least 3 old holders"):
        reshare(holders_of_two, [1, 2, 3, 4], 3, seed="x")


@pytest.mark.parametrize(
    "new_indices, reason",
    [
        ([1, 2, 2, 4], r"duplicate new share index \[2\]"),
        ([0, 1, 2, 3], "new share index 0 is not in"),
        ([1, 2, -3, 4], "new share index -3 is not in"),
        ([1, 2, 3, r], "is not in"),
        ([1, 2, "3", 4], "new share index must be an integer"),
        ([1, 2, True, 4], "new share index must be an integer"),
    ],
)
def test_bad_new_indices(old, new_indices, reason):
    with pytest.raises(keys.ThresholdKeyError, match=reason):
        reshare(old, new_indices, 3, seed="x", dealers=STAYERS)
    with pytest.raises(keys.ThresholdKeyError, match=reason):
        complete(old, old_dealings(old, [1, 2, 3, 4], 3), new_indices=new_indices)


@pytest.mark.parametrize("new_threshold", [0, 5, -1, 2.0, None])
def test_bad_new_threshold(old, new_threshold):
    with pytest.raises(keys.ThresholdKeyError, match=r"the new threshold must be in 1 \.\. 4"):
        reshare(old, [1, 2, 3, 4], new_threshold, seed="x", dealers=STAYERS)


def test_too_many_new_holders(old):
    with pytest.raises(keys.ThresholdKeyError, match=f"at most {keys.MAX_OPERATORS} holders"):
        reshare(old, range(1, keys.MAX_OPERATORS + 2), 3, seed="x", dealers=STAYERS)


def test_bad_dealers(old):
    with pytest.raises(keys.ThresholdKeyError, match="dealer 9 holds no share of the old key"):
        reshare(old, [1, 2, 3, 4], 3, seed="x", dealers=[1, 2, 9])
    with pytest.raises(keys.ThresholdKeyError, match=r"duplicate dealer index \[2\]"):
        reshare(old, [1, 2, 3, 4], 3, seed="x", dealers=[1, 2, 2])
    stranger = deal(9, 12345, [1, 2, 3, 4], 3, seed="x")
    with pytest.raises(keys.ThresholdKeyError, match=r"dealers \[9\] hold no share of the old key"):
        complete(old, [*old_dealings(old, [1, 2, 3, 4], 3), stranger])
    with pytest.raises(keys.ThresholdKeyError, match="dealer 2's secret share is not in 1 .. r - 1"):
        deal(2, 0, [1, 2, 3, 4], 3)


@pytest.mark.parametrize("dealer_position", range(3))
@pytest.mark.parametrize("receiver", [1, 4])
def test_a_corrupted_sub_share_names_its_dealer(old, dealer_position, receiver):
    dealings = old_dealings(old, [1, 2, 3, 4], 3)
    dealing = dealings[dealer_position]
    dealings[dealer_position] = replace(
        dealing, sub_shares={**dealing.sub_shares, receiver: (dealing.sub_shares[receiver] - 7) % r}
    )
    dealer = STAYERS[dealer_position]
    message = f"dealer {dealer}'s sub-share for new holder {receiver} fails the Feldman check"
    with pytest.raises(keys.ThresholdKeyError, match=message):
        complete(old, dealings)


def test_a_corrupted_commitment_or_a_missing_sub_share_names_its_dealer(old):
    honest = old_dealings(old, [1, 2, 3, 4], 3)

    def with_dealer_2(**changes):
        return [honest[0], replace(honest[1], **changes), honest[2]]

    commitments = list(honest[1].commitments)
    commitments[2] = honest[0].commitments[2]  # a valid point, the wrong one: every receiver's check fails
    with pytest.raises(
        keys.ThresholdKeyError, match="dealer 2's sub-share for new holder 1 fails the Feldman"
    ):
        complete(old, with_dealer_2(commitments=tuple(commitments)))
    with pytest.raises(keys.ThresholdKeyError, match="dealer 2's commitment 1 is not a point of G1"):
        complete(old, with_dealer_2(commitments=(commitments[0], bytes(48), commitments[2])))
    with pytest.raises(
        keys.ThresholdKeyError, match="dealer 2 committed to 4 coefficients, a threshold of 3"
    ):
        complete(old, with_dealer_2(commitments=(*commitments, commitments[0])))
    sub_shares = dict(honest[1].sub_shares)
    del sub_shares[3]
    with pytest.raises(keys.ThresholdKeyError, match="dealer 2 sent no sub-share to new holder 3"):
        complete(old, with_dealer_2(sub_shares=sub_shares))
    with pytest.raises(keys.ThresholdKeyError, match="dealer 2's sub-share for new holder 3 is not a scalar"):
        complete(old, with_dealer_2(sub_shares={**sub_shares, 3: r}))


def test_a_dealer_resharing_another_secret_is_refused(old):
    """A consistent dealing of a secret other than the dealer's share passes the Feldman checks; its first
    commitment is then not the dealer's registered public share."""
    dealings = old_dealings(old, [1, 2, 3, 4], 3)
    dealings[1] = deal(2, old.secret_shares[2] + 1, [1, 2, 3, 4], 3, seed="round 1")
    with pytest.raises(
        keys.ThresholdKeyError, match="dealer 2's first commitment is not its registered public"
    ):
        complete(old, dealings)


def test_old_public_shares_of_another_key_are_refused(old):
    other = keys.generate_threshold_key(4, 3, seed="another key")
    with pytest.raises(keys.ThresholdKeyError, match="public shares do not interpolate to the group key"):
        complete_resharing(
            other.distributed_public_key,
            old.public_shares,
            3,
            old_dealings(old, [1, 2, 3, 4], 3),
            [1, 2, 3, 4],
            3,
        )


# ------------------------------------------------------------------------------------------ properties


@st.composite
def rotations(draw):
    """An old t-of-n key's holders and a new set: a leaver replaced by a newcomer at its index, a seat added
    or a seat removed, with any new threshold and any set of dealers among the stayers."""
    n = draw(st.integers(1, 5))
    t = draw(st.integers(1, n))
    leaver = draw(st.integers(1, n))
    kind = draw(st.sampled_from(["replace", "grow", "shrink"] if n > 1 else ["replace", "grow"]))
    size = {"replace": n, "grow": n + 1, "shrink": n - 1}[kind]
    new_threshold = draw(st.integers(1, size))
    stayers = [i for i in range(1, n + 1) if i != leaver]
    dealers = draw(st.lists(st.sampled_from(stayers), unique=True)) if stayers else []
    return n, t, list(range(1, size + 1)), new_threshold, dealers


@settings(max_examples=fuzz_examples(ci=25, full=100), deadline=None)
@given(rotation=rotations(), seed=st.binary(min_size=1, max_size=8), data=st.data())
def test_any_rotation_keeps_the_key(rotation, seed, data):
    n, t, new_indices, new_threshold, dealers = rotation
    old = keys.generate_threshold_key(n, t, seed=seed)
    if len(dealers) < t:
        with pytest.raises(keys.ThresholdKeyError, match=f"at least {t} old holders"):
            reshare(old, new_indices, new_threshold, seed=seed, dealers=dealers)
        return
    new = reshare(old, new_indices, new_threshold, seed=seed, dealers=dealers)
    assert new.distributed_public_key == old.distributed_public_key
    signers = data.draw(st.lists(st.sampled_from(new_indices), min_size=new_threshold, unique=True))
    assert secret_of({j: new.secret_shares[j] for j in signers}) == keys.secret_key_from_seed(seed)
    subset = signers[:new_threshold]
    assert keys.combine_public_shares({j: new.public_shares[j] for j in subset}) == old.distributed_public_key
    assert all(new.public_shares[j] == keys.bls.SkToPk(new.secret_shares[j]) for j in subset)
    if new_threshold > 1:
        assert secret_of({j: new.secret_shares[j] for j in subset[1:]}) != keys.secret_key_from_seed(seed)
    # an old share in place of a new one (the leaver's, or a stayer's kept share) gives another key
    swapped = data.draw(st.sampled_from([j for j in subset if j in old.public_shares] or [None]))
    if swapped is not None and new_threshold > 1:
        mixed = {j: new.public_shares[j] for j in subset} | {swapped: old.public_shares[swapped]}
        assert keys.combine_public_shares(mixed) != old.distributed_public_key


@settings(max_examples=fuzz_examples(ci=25, full=100), deadline=None)
@given(rotation=rotations(), data=st.data())
def test_any_corrupted_sub_share_is_refused_naming_its_dealer(rotation, data):
    n, t, new_indices, new_threshold, dealers = rotation
    if len(dealers) < t:
        dealers = list(range(1, t + 1))  # the leaver deals before leaving
    old = keys.generate_threshold_key(n, t, seed="corruption")
    dealings = old_dealings(old, new_indices, new_threshold, dealers=dealers, seed="corruption")
    position = data.draw(st.integers(0, len(dealings) - 1))
    receiver = data.draw(st.sampled_from(new_indices))
    delta = data.draw(st.integers(1, r - 1))
    dealing = dealings[position]
    dealings[position] = replace(
        dealing, sub_shares={**dealing.sub_shares, receiver: (dealing.sub_shares[receiver] + delta) % r}
    )
    message = f"dealer {dealing.dealer}'s sub-share for new holder {receiver} fails the Feldman check"
    with pytest.raises(keys.ThresholdKeyError, match=message):
        complete(old, dealings, new_indices, new_threshold)
