"""DepositContract: the beacon deposit contract's checks, SSZ root, incremental Merkle tree and event."""

from __future__ import annotations

from hashlib import sha256

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy import keys
from tests.external.helpers import ETH

GWEI = 10**9
DEPTH = 32
EMPTY_DEPOSIT_ROOT = "d70a234731285c6804c2a4f56711ddb8c82c99740f207854891028af34e27e5e"


def _sha(data: bytes) -> bytes:
    return sha256(data).digest()


def expected_deposit_root(leaves: list[bytes]) -> bytes:
    """Merkleize all leaves at once (depth 32, zero-padded), then mix in the count: no incremental trick."""
    zero = b"\x00" * 32
    layer = list(leaves)
    for _ in range(DEPTH):
        if len(layer) % 2:
            layer.append(zero)
        layer = [_sha(layer[i] + layer[i + 1]) for i in range(0, len(layer), 2)]
        zero = _sha(zero + zero)
    node = layer[0] if layer else zero
    return _sha(node + len(leaves).to_bytes(8, "little") + b"\x00" * 24)


def args_of(d: dict) -> tuple[bytes, bytes, bytes, bytes]:
    return (
        bytes.fromhex(d["pubkey"]),
        bytes.fromhex(d["withdrawal_credentials"]),
        bytes.fromhex(d["signature"]),
        bytes.fromhex(d["deposit_data_root"]),
    )


def test_empty_tree(deposit_contract):
    assert deposit_contract.get_deposit_root().hex() == EMPTY_DEPOSIT_ROOT
    assert expected_deposit_root([]).hex() == EMPTY_DEPOSIT_ROOT
    assert deposit_contract.get_deposit_count() == b"\x00" * 8


def test_real_holesky_deposit(deposit_contract, holesky_deposit, staker):
    pubkey, wc, signature, root = args_of(holesky_deposit)
    amount = holesky_deposit["amount"] * GWEI
    assert amount == 32 * ETH
    with boa.env.prank(staker):
        deposit_contract.deposit(pubkey, wc, signature, root, value=amount)
    (event,) = deposit_contract.get_logs()
    assert type(event).__name__ == "DepositEvent"
    assert event.pubkey == pubkey
    assert event.withdrawal_credentials == wc
    assert event.amount == holesky_deposit["amount"].to_bytes(8, "little")
    assert event.signature == signature
    assert event.index == b"\x00" * 8
    assert deposit_contract.get_deposit_count() == (1).to_bytes(8, "little")
    assert deposit_contract.get_deposit_root() == expected_deposit_root([root])
    assert boa.env.get_balance(deposit_contract.address) == amount


def test_second_deposit_index(deposit_contract, holesky_deposit, staker):
    pubkey, wc, signature, root = args_of(holesky_deposit)
    with boa.env.prank(staker):
        deposit_contract.deposit(pubkey, wc, signature, root, value=32 * ETH)
        deposit_contract.deposit(pubkey, wc, signature, root, value=32 * ETH)
        (event,) = deposit_contract.get_logs()
    assert event.index == (1).to_bytes(8, "little")
    assert deposit_contract.get_deposit_root() == expected_deposit_root([root, root])


@pytest.mark.parametrize(
    "field, index",
    [("pubkey", 0), ("withdrawal_credentials", 1), ("signature", 2), ("deposit_data_root", 3)],
)
def test_tampered_field_changes_root(deposit_contract, holesky_deposit, staker, field, index):
    args = list(args_of(holesky_deposit))
    tampered = bytearray(args[index])
    tampered[-1] ^= 1
    args[index] = bytes(tampered)
    with boa.env.prank(staker), boa.reverts("deposit_contract: deposit_data_root mismatch"):
        deposit_contract.deposit(*args, value=32 * ETH)


def test_amount_is_part_of_root(deposit_contract, holesky_deposit, staker):
    # a valid root for 32 ETH does not match a 31 ETH deposit
    with boa.env.prank(staker), boa.reverts("deposit_contract: deposit_data_root mismatch"):
        deposit_contract.deposit(*args_of(holesky_deposit), value=31 * ETH)


@pytest.mark.parametrize(
    "index, length, reason",
    [
        (0, 47, "deposit_contract: bad pubkey length"),
        (1, 31, "deposit_contract: bad withdrawal_credentials length"),
        (2, 95, "deposit_contract: bad signature length"),
        (2, 0, "deposit_contract: bad signature length"),
    ],
)
def test_wrong_lengths(deposit_contract, holesky_deposit, staker, index, length, reason):
    args = list(args_of(holesky_deposit))
    args[index] = args[index][:length]
    with boa.env.prank(staker), boa.reverts(reason):
        deposit_contract.deposit(*args, value=32 * ETH)


def test_too_long_argument_is_rejected_by_abi_decoder(deposit_contract, holesky_deposit, staker):
    pubkey, wc, signature, root = args_of(holesky_deposit)
    with boa.env.prank(staker), boa.reverts():  # the ABI decoder rejects a 49-byte Bytes[48]
        deposit_contract.deposit(pubkey + b"\x00", wc, signature, root, value=32 * ETH)


@pytest.mark.parametrize("value", [0, GWEI, ETH - GWEI])
def test_amount_below_one_eth(deposit_contract, staker, value):
    d = keys.make_deposit_data("01" + "00" * 31)
    with boa.env.prank(staker), boa.reverts("deposit_contract: deposit value too low"):
        deposit_contract.deposit(*args_of(d), value=value)


def test_amount_not_whole_gwei(deposit_contract, holesky_deposit, staker):
    with boa.env.prank(staker), boa.reverts("deposit_contract: deposit value not multiple of gwei"):
        deposit_contract.deposit(*args_of(holesky_deposit), value=32 * ETH + 1)


def test_amount_over_uint64_gwei(deposit_contract, holesky_deposit, staker):
    value = 2**64 * GWEI
    boa.env.set_balance(staker, value)
    with boa.env.prank(staker), boa.reverts("deposit_contract: deposit value too high"):
        deposit_contract.deposit(*args_of(holesky_deposit), value=value)


def test_minimum_deposit_of_one_eth(deposit_contract, staker):
    pubkey, wc, signature = b"\x11" * 48, b"\x01" + b"\x00" * 31, b"\x22" * 96
    root = keys.deposit_data_root(pubkey, wc, 10**9, signature)
    with boa.env.prank(staker):
        deposit_contract.deposit(pubkey, wc, signature, root, value=ETH)
    assert deposit_contract.get_deposit_root() == expected_deposit_root([root])


deposits = st.lists(
    st.tuples(
        st.binary(min_size=48, max_size=48),
        st.binary(min_size=32, max_size=32),
        st.binary(min_size=96, max_size=96),
        st.integers(min_value=10**9, max_value=2048 * 10**9),
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=25, deadline=None)
@given(batch=deposits)
def test_deposit_root_matches_python_merkle_tree(deposit_contract, staker, batch):
    boa.env.set_balance(staker, sum(d[3] for d in batch) * GWEI)
    leaves = []
    for i, (pubkey, wc, signature, amount_gwei) in enumerate(batch):
        root = keys.deposit_data_root(pubkey, wc, amount_gwei, signature)
        with boa.env.prank(staker):
            deposit_contract.deposit(pubkey, wc, signature, root, value=amount_gwei * GWEI)
            (event,) = deposit_contract.get_logs()
        assert event.index == i.to_bytes(8, "little")
        assert event.amount == amount_gwei.to_bytes(8, "little")
        leaves.append(root)
        assert deposit_contract.get_deposit_root() == expected_deposit_root(leaves)
    assert deposit_contract.get_deposit_count() == len(batch).to_bytes(8, "little")


def test_tree_full(deposit_contract, holesky_deposit, staker):
    # storage layout: branch in slots 0..31, then deposit_count
    boa.env.set_storage(deposit_contract.address, DEPTH, 2**DEPTH - 1)
    assert deposit_contract.get_deposit_count() == (2**DEPTH - 1).to_bytes(8, "little")
    with boa.env.prank(staker), boa.reverts("deposit_contract: merkle tree full"):
        deposit_contract.deposit(*args_of(holesky_deposit), value=32 * ETH)
