"""docs/protocol.md §2: prices and scores to the wei, and the same validation in every view."""

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import model
from tests.utils.constants import c

R = 3_243_835_616_438_356

# (d, t, vc_price, bid_price, score): the check-value table of docs/protocol.md §2 (R as above, n = 4)
CHECK_VALUES = [
    (1000, 100, 729_863_013_698_630, 72_986_301_369_863_000, 806_583_073_624_143),
    (700, 100, 754_191_780_821_917, 75_419_178_082_191_700, 833_469_176_078_281),
    (900, 150, 737_972_602_739_725, 110_695_890_410_958_750, 857_337_580_166_460),
    (1200, 200, 713_643_835_616_438, 142_728_767_123_287_600, 871_559_446_929_509),
    (500, 30, 770_410_958_904_109, 23_112_328_767_123_270, 793_861_565_530_208),
    (1300, 30, 705_534_246_575_342, 21_166_027_397_260_260, 727_010_065_275_032),
]


@pytest.mark.parametrize("d,t,vc,price,score", CHECK_VALUES)
def test_check_values(auction, d, t, vc, price, score):
    assert auction.auction_config().expected_daily_return == R
    assert auction.vc_price(d) == vc
    assert auction.bid_price(d, t) == price
    assert auction.auction_score(d, t) == score


@pytest.mark.parametrize("d,t,vc,price,score", CHECK_VALUES)
def test_python_model_matches_check_values(d, t, vc, price, score):
    assert model.vc_price(R, 4, d) == vc
    assert model.bid_price(R, 4, d, t) == price
    assert model.score(R, 4, d, t) == score


@settings(max_examples=60, deadline=None)
@given(d=st.integers(0, 1500), t=st.integers(30, 3650))
def test_score_and_price_match_model_everywhere(auction, d, t):
    assert auction.bid_price(d, t) == model.bid_price(R, 4, d, t)
    assert auction.auction_score(d, t) == model.score(R, 4, d, t)


def test_bounds_are_inclusive(auction):
    assert auction.vc_price(0) == model.vc_price(R, 4, 0)
    assert auction.vc_price(1500) == model.vc_price(R, 4, 1500)
    assert auction.bid_price(1500, 30) == 30 * model.vc_price(R, 4, 1500)
    assert auction.bid_price(0, 3650) == 3650 * model.vc_price(R, 4, 0)


@pytest.mark.parametrize(
    "call,reason",
    [
        (lambda a: a.vc_price(1501), "auction: discount rate too high"),
        (lambda a: a.bid_price(1501, 100), "auction: discount rate too high"),
        (lambda a: a.bid_price(100, 29), "auction: duration out of range"),
        (lambda a: a.bid_price(100, 3651), "auction: duration out of range"),
        (lambda a: a.auction_score(1501, 100), "auction: discount rate too high"),
        (lambda a: a.auction_score(100, 3651), "auction: duration out of range"),
        (lambda a: a.insert_hint(100, 29), "auction: duration out of range"),
    ],
)
def test_views_validate(auction, call, reason):
    with boa.reverts(reason):
        call(auction)


def test_price_to_pay(auction, owner, operators):
    op = operators[0]
    expected = model.bid_price(R, 4, 1000, 100) + model.bid_price(R, 4, 500, 30) + 2 * model.BOND
    assert auction.price_to_pay(op, [1000, 500], [100, 30]) == expected
    with boa.env.prank(owner):
        auction.add_to_whitelist(op)
    assert auction.price_to_pay(op, [1000, 500], [100, 30]) == expected - 2 * model.BOND
    with boa.reverts("auction: length mismatch"):
        auction.price_to_pay(op, [1000, 500], [100])
    with boa.reverts("auction: empty batch"):
        auction.price_to_pay(op, [], [])
    with boa.reverts("auction: discount rate too high"):
        auction.price_to_pay(op, [1000, 1501], [100, 100])


def test_unchecked_rpow_bounds_hold_for_every_duration_up_to_the_cap():
    """bid_book's rpow multiplies without overflow checks: every product for every duration up to
    MAX_DURATION_CAP stays below 2**233, far from 2**256 (the spec's loop, run here in Python)."""
    ray, largest = model.RAY, 0
    for t in range(c.MAX_DURATION_CAP + 1):
        x, z, n = c.DAILY_SCORE_GROWTH, model.RAY if t % 2 == 0 else c.DAILY_SCORE_GROWTH, t // 2
        while n:
            largest = max(largest, x * x)
            x = (x * x + ray // 2) // ray
            if n % 2:
                largest = max(largest, z * x)
                z = (z * x + ray // 2) // ray
            n //= 2
        assert z == model.rpow(c.DAILY_SCORE_GROWTH, t)
    assert largest < 2**233


@pytest.mark.parametrize("t", [1, 2, 3, 1023, 1024, 4097, 36_499, 36_500])
def test_score_at_the_edges_of_the_unchecked_rpow(auction, owner, t):
    with boa.env.prank(owner):
        auction.set_auction_config(R, 1500, 1, c.MAX_DURATION_CAP)
    assert auction.auction_score(0, t) == model.score(R, 4, 0, t)
