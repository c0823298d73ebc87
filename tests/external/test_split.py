"""SplitFactory + Split: predictable addresses, validation, distribution maths, failed payments, pulls."""

from __future__ import annotations

import boa
import pytest
from eth_abi import encode
from eth_utils import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.external.helpers import ETH, at, create2_proxy_address

pytestmark = pytest.mark.filterwarnings("ignore:casted bytecode does not match")

BPS = 10_000
ACCEPT, REJECT, BURN_GAS, REENTER = 0, 1, 2, 3
SALT = b"\x42" * 32
ZERO = "0x" + "00" * 20


def model(amount: int, allocations: list[int], incentive_bps: int) -> tuple[list[int], int]:
    """Expected shares of a distribution of `amount`, and the caller's incentive."""
    incentive = amount * incentive_bps // BPS
    rest = amount - incentive
    total = sum(allocations)
    shares = [rest * a // total for a in allocations[:-1]]
    shares.append(rest - sum(shares))
    return shares, incentive


def split_salt(recipients, allocations, incentive_bps, salt) -> bytes:
    return keccak(
        encode(
            ["address[]", "uint256[]", "uint256", "bytes32"], [recipients, allocations, incentive_bps, salt]
        )
    )


@pytest.fixture(scope="module")
def split_of(split_deployer):
    return lambda address: at(split_deployer, address)


@pytest.fixture(scope="module")
def wallets(wallet_deployer):
    """Sixteen contract recipients whose receive behaviour tests can switch."""
    return [wallet_deployer.deploy() for _ in range(16)]


@pytest.fixture(scope="module")
def make_split(split_factory, split_of):
    def make(recipients, allocations, incentive_bps=100, salt=SALT):
        return split_of(split_factory.create_split(recipients, allocations, incentive_bps, salt))

    return make


@pytest.fixture(scope="module")
def outsider_caller():
    """A keeper calling `distribute()`, starting with no ETH."""
    return boa.env.generate_address("keeper")


@pytest.fixture
def three(operator, second_operator, third_operator, make_split):
    return make_split([operator, second_operator, third_operator], [1, 2, 3], 100)


def test_predicted_address_is_deployed_address(
    split_factory, split_implementation, operator, second_operator, split_of
):
    recipients, allocations = [operator, second_operator], [30, 70]
    predicted = split_factory.predict_split_address(recipients, allocations, 250, SALT)
    expected = create2_proxy_address(
        split_factory.address, split_salt(recipients, allocations, 250, SALT), split_implementation.address
    )
    assert predicted == expected
    assert boa.env.get_code(predicted) == b""
    split = split_factory.create_split(recipients, allocations, 250, SALT)
    assert split == predicted
    (init_event, created) = split_factory.get_logs()
    assert type(created).__name__ == "SplitCreated"
    assert created.split == split and created.creator == boa.env.eoa
    assert list(created.recipients) == recipients and list(created.allocations) == allocations
    assert created.distribution_incentive_bps == 250 and created.salt == SALT
    assert (
        type(init_event).__name__ == "SplitInitialized" and init_event.split_factory == split_factory.address
    )

    s = split_of(split)
    assert s.recipients() == recipients
    assert s.allocations() == allocations
    assert s.total_allocation() == 100
    assert s.distribution_incentive_bps() == 250
    assert s.split_factory() == split_factory.address
    assert s.implementation() == split_implementation.address
    assert split_factory.split_implementation() == split_implementation.address


def test_address_commits_to_every_parameter(split_factory, operator, second_operator):
    base = ([operator, second_operator], [1, 2], 100, SALT)
    variants = [
        ([second_operator, operator], [1, 2], 100, SALT),
        ([operator, second_operator], [1, 3], 100, SALT),
        ([operator, second_operator], [1, 2], 101, SALT),
        ([operator, second_operator], [1, 2], 100, b"\x43" * 32),
    ]
    addresses = {split_factory.predict_split_address(*p) for p in [base, *variants]}
    assert len(addresses) == 5


def test_create_twice_reverts(split_factory, operator, second_operator):
    split_factory.create_split([operator, second_operator], [1, 2], 100, SALT)
    with boa.reverts("split_factory: split exists"):
        split_factory.create_split([operator, second_operator], [1, 2], 100, SALT)
    # another salt makes another split
    split_factory.create_split([operator, second_operator], [1, 2], 100, b"\x01" * 32)


def test_factory_needs_an_implementation():
    with boa.reverts("split_factory: implementation has no code"):
        boa.load("contracts/external/SplitFactory.vy", boa.env.generate_address())


@pytest.mark.parametrize(
    "recipients, allocations, incentive, reason",
    [
        ([], [], 0, "split: no recipients"),
        (["a", "b"], [1], 0, "split: length mismatch"),
        (["a"], [1, 2], 0, "split: length mismatch"),
        (["a", ZERO], [1, 1], 0, "split: zero address recipient"),
        (["a", "b"], [1, 0], 0, "split: zero allocation"),
        (["a", "b"], [1, 1], 1001, "split: incentive too high"),
        (["a", "b"], [2**127, 2**127], 0, "split: allocations too large"),
    ],
)
def test_invalid_parameters(
    split_factory, operator, second_operator, recipients, allocations, incentive, reason
):
    recipients = [{"a": operator, "b": second_operator}.get(r, r) for r in recipients]
    with boa.reverts(reason):
        split_factory.predict_split_address(recipients, allocations, incentive, SALT)
    with boa.reverts(reason):
        split_factory.create_split(recipients, allocations, incentive, SALT)


def test_limits_are_inclusive(make_split, wallets):
    recipients = [w.address for w in wallets]
    split = make_split(recipients, [1] * 15 + [2**128 - 1 - 15], 1000)
    assert len(split.recipients()) == 16
    with boa.reverts():  # the ABI decoder refuses a 17th recipient
        make_split([*recipients, recipients[0]], [1] * 17, 0)


def test_initialize_only_once(three, split_factory, operator):
    with boa.env.prank(split_factory.address), boa.reverts("split: already initialized"):
        three.initialize([operator], [1], 0, SALT)


def test_implementation_cannot_be_initialized(split_implementation, operator):
    with boa.reverts("split: caller is not the factory"):
        split_implementation.initialize([operator], [1], 0, SALT)


def test_only_factory_with_matching_parameters_initializes(
    split_implementation, operator, second_operator, split_of, proxy_deployer
):
    """A proxy is initializable only by its deployer and only with the parameters its salt commits to."""
    deployer = proxy_deployer
    proxy = split_of(deployer.make(split_implementation.address, split_salt([operator], [1], 0, SALT)))
    with boa.env.prank(second_operator), boa.reverts("split: caller is not the factory"):
        proxy.initialize([operator], [1], 0, SALT)
    with boa.env.prank(deployer.address), boa.reverts("split: caller is not the factory"):
        proxy.initialize([second_operator], [1], 0, SALT)
    with boa.env.prank(deployer.address):
        proxy.initialize([operator], [1], 0, SALT)
    assert proxy.recipients() == [operator]


def test_receive_emits(three, second_operator):
    computation = boa.env.raw_call(three.address, sender=second_operator, value=ETH)
    (event,) = three.get_logs(computation)
    assert type(event).__name__ == "EthReceived" and event.sender == second_operator and event.amount == ETH


def test_distribute(three, operator, second_operator, third_operator, outsider_caller):
    amount = 6 * ETH + 7
    boa.env.set_balance(three.address, amount)
    before = [boa.env.get_balance(a) for a in (operator, second_operator, third_operator, outsider_caller)]
    with boa.env.prank(outsider_caller):
        three.distribute()
        logs = three.get_logs()
    shares, incentive = model(amount, [1, 2, 3], 100)
    assert incentive == amount // 100
    after = [boa.env.get_balance(a) for a in (operator, second_operator, third_operator, outsider_caller)]
    assert [a - b for a, b in zip(after, before, strict=True)] == [*shares, incentive]
    assert boa.env.get_balance(three.address) == 0
    assert type(logs[0]).__name__ == "Distributed"
    assert (logs[0].caller, logs[0].amount, logs[0].incentive) == (outsider_caller, amount, incentive)
    sent = [(e.recipient, e.amount) for e in logs[1:]]
    assert sent == [
        (operator, shares[0]),
        (second_operator, shares[1]),
        (third_operator, shares[2]),
        (outsider_caller, incentive),
    ]


def test_distribute_nothing_reverts(three, split_implementation):
    with boa.reverts("split: nothing to distribute"):
        three.distribute()
    boa.env.set_balance(split_implementation.address, ETH)
    with boa.reverts("split: not initialized"):
        split_implementation.distribute()


def test_rounding_remainder_goes_to_last(make_split, operator, second_operator, third_operator):
    split = make_split([operator, second_operator, third_operator], [1, 1, 1], 0)
    boa.env.set_balance(split.address, 10)
    before = boa.env.get_balance(third_operator)
    split.distribute()
    assert boa.env.get_balance(third_operator) - before == 4  # 3 + 3 + 4
    assert boa.env.get_balance(split.address) == 0


def test_prefunded_split(split_factory, split_of, operator, second_operator):
    """Rewards sent to the predicted address before deployment are distributed once it exists."""
    predicted = split_factory.predict_split_address([operator, second_operator], [1, 1], 0, SALT)
    boa.env.set_balance(predicted, 2 * ETH)
    split = split_of(split_factory.create_split([operator, second_operator], [1, 1], 0, SALT))
    assert split.undistributed() == 2 * ETH
    before = boa.env.get_balance(operator)
    split.distribute()
    assert boa.env.get_balance(operator) - before == ETH


@pytest.mark.parametrize("mode", [REJECT, BURN_GAS, REENTER])
def test_failed_payment_is_credited_not_blocking(make_split, wallets, operator, second_operator, mode):
    bad = wallets[0]
    split = make_split([operator, bad.address, second_operator], [1, 1, 1], 0)
    bad.set_mode(mode, split.distribute.prepare_calldata())
    boa.env.set_balance(split.address, 3 * ETH)
    before = [boa.env.get_balance(operator), boa.env.get_balance(second_operator)]
    split.distribute()
    logs = split.get_logs()
    assert [boa.env.get_balance(operator) - before[0], boa.env.get_balance(second_operator) - before[1]] == [
        ETH,
        ETH,
    ]
    credited = [e for e in logs if type(e).__name__ == "PaymentCredited"]
    assert [(e.recipient, e.amount) for e in credited] == [(bad.address, ETH)]
    assert split.withdrawable(bad.address) == ETH
    assert split.total_withdrawable() == ETH
    assert split.undistributed() == 0
    assert boa.env.get_balance(split.address) == ETH
    with boa.reverts("split: nothing to distribute"):
        split.distribute()

    # the credited recipient pulls its payment once it accepts ETH
    bad.set_mode(ACCEPT, b"")
    bad.execute(split.address, split.withdraw.prepare_calldata())
    (event,) = [e for e in bad.get_logs() if type(e).__name__ == "Withdrawn"]
    assert (event.recipient, event.amount) == (bad.address, ETH)
    assert bad.received() == ETH
    assert split.withdrawable(bad.address) == 0
    assert split.total_withdrawable() == 0
    assert boa.env.get_balance(split.address) == 0


def test_credited_funds_are_not_redistributed(make_split, wallets, operator):
    bad = wallets[0]
    split = make_split([operator, bad.address], [1, 1], 0)
    bad.set_mode(REJECT, b"")
    boa.env.set_balance(split.address, 2 * ETH)
    split.distribute()
    with boa.reverts("split: nothing to distribute"):
        split.distribute()
    boa.env.set_balance(split.address, boa.env.get_balance(split.address) + 4 * ETH)
    assert split.undistributed() == 4 * ETH
    split.distribute()
    assert split.withdrawable(bad.address) == 3 * ETH
    assert boa.env.get_balance(split.address) == 3 * ETH


def test_contract_recipient_gets_more_than_a_stipend(make_split, wallets, operator):
    good = wallets[1]
    split = make_split([operator, good.address], [1, 1], 0)
    boa.env.set_balance(split.address, 2 * ETH)
    split.distribute()
    assert good.received() == ETH  # its receive writes storage
    assert split.withdrawable(good.address) == 0


def test_incentive_to_rejecting_caller_is_credited(three, wallets):
    keeper = wallets[2]
    keeper.set_mode(REJECT, b"")
    boa.env.set_balance(three.address, 100 * ETH)
    keeper.execute(three.address, three.distribute.prepare_calldata())
    assert three.withdrawable(keeper.address) == ETH
    assert boa.env.get_balance(three.address) == ETH


def test_withdraw_nothing_reverts(three, operator):
    with boa.env.prank(operator), boa.reverts("split: nothing to withdraw"):
        three.withdraw()


def test_withdraw_reverts_while_recipient_rejects(make_split, wallets, operator):
    bad = wallets[0]
    split = make_split([operator, bad.address], [1, 1], 0)
    bad.set_mode(REJECT, b"")
    boa.env.set_balance(split.address, 2 * ETH)
    split.distribute()
    with boa.reverts("wallet: rejected"):
        bad.execute(split.address, split.withdraw.prepare_calldata())
    assert split.withdrawable(bad.address) == ETH


@settings(max_examples=25, deadline=None)
@given(
    allocations=st.lists(st.integers(min_value=1, max_value=10**24), min_size=1, max_size=16),
    modes=st.lists(st.sampled_from([ACCEPT, ACCEPT, REJECT, BURN_GAS]), min_size=16, max_size=16),
    incentive_bps=st.integers(min_value=0, max_value=1000),
    amounts=st.lists(st.integers(min_value=1, max_value=10**24), min_size=1, max_size=3),
)
def test_distribution_matches_model_and_conserves(
    split_factory, split_of, wallets, outsider_caller, allocations, modes, incentive_bps, amounts
):
    n = len(allocations)
    recipients = [w.address for w in wallets[:n]]
    for wallet, mode in zip(wallets[:n], modes, strict=False):
        if mode != ACCEPT:
            wallet.set_mode(mode, b"")
    split = split_of(split_factory.create_split(recipients, allocations, incentive_bps, SALT))
    expected = [0] * n
    expected_incentive = 0
    for amount in amounts:
        boa.env.set_balance(split.address, boa.env.get_balance(split.address) + amount)
        assert split.undistributed() == amount
        with boa.env.prank(outsider_caller):
            split.distribute()
        shares, incentive = model(amount, allocations, incentive_bps)
        expected = [e + s for e, s in zip(expected, shares, strict=True)]
        expected_incentive += incentive
        # conservation: the balance is exactly what is credited, nothing is left undistributed
        assert split.undistributed() == 0
        assert boa.env.get_balance(split.address) == split.total_withdrawable()
    credited = 0
    for wallet, mode, share in zip(wallets[:n], modes, expected, strict=False):
        if mode == ACCEPT:
            assert wallet.received() == share
            assert split.withdrawable(wallet.address) == 0
        else:
            assert wallet.received() == 0
            assert split.withdrawable(wallet.address) == share
            credited += share
    assert split.total_withdrawable() == credited
    assert boa.env.get_balance(outsider_caller) == expected_incentive
    assert sum(expected) + expected_incentive == sum(amounts)

    # every credited recipient can pull: the split ends empty
    for wallet, mode in zip(wallets[:n], modes, strict=False):
        if mode != ACCEPT and split.withdrawable(wallet.address) > 0:
            wallet.set_mode(ACCEPT, b"")
            wallet.execute(split.address, split.withdraw.prepare_calldata())
    assert boa.env.get_balance(split.address) == 0
    assert split.total_withdrawable() == 0
    assert [w.received() for w in wallets[:n]] == expected


def test_a_recipient_that_never_accepts_eth_withdraws_to_another_address(make_split, wallets, operator):
    bad = wallets[0]
    split = make_split([operator, bad.address], [1, 1], 0)
    bad.set_mode(REJECT, b"")
    boa.env.set_balance(split.address, 2 * ETH)
    split.distribute()
    receiver = boa.env.generate_address("receiver")
    with boa.env.prank(bad.address), boa.reverts("split: zero receiver"):
        split.withdraw("0x" + "00" * 20)
    bad.execute(split.address, split.withdraw.prepare_calldata(receiver))
    assert boa.env.get_balance(receiver) == ETH
    assert split.withdrawable(bad.address) == 0 and split.total_withdrawable() == 0
