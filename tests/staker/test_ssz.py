"""contracts/lib/ssz.vy: the SSZ deposit data root, against a real deposit and deploy/keys.py."""

from __future__ import annotations

import json
from pathlib import Path

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deploy.keys import deposit_data_root
from tests.staker.conftest import mock_deployer

# the real Holesky deposit-data file, copied into the repository (tests/data/ORIGIN.md)
HOLESKY = Path(__file__).resolve().parents[1] / "data" / "deposit-data-holesky.json"


@pytest.fixture(scope="module")
def ssz():
    return mock_deployer("SszHarness").deploy()


def _holesky() -> dict:
    data = json.loads(HOLESKY.read_text())
    return data[0] if isinstance(data, list) else data


@pytest.mark.skipif(not HOLESKY.exists(), reason="Holesky test vector not available")
def test_holesky_deposit_data_root(ssz):
    d = _holesky()
    root = ssz.deposit_data_root(
        bytes.fromhex(d["pubkey"]),
        bytes.fromhex(d["withdrawal_credentials"]),
        d["amount"],
        bytes.fromhex(d["signature"]),
    )
    assert root.hex() == d["deposit_data_root"]


@pytest.mark.parametrize("value", [0, 1, 0x0102030405060708, 32_000_000_000, 2**64 - 1])
def test_little_endian_64(ssz, value):
    assert ssz.to_little_endian_64(value) == value.to_bytes(8, "little")


@given(
    pubkey=st.binary(min_size=48, max_size=48),
    credentials=st.binary(min_size=32, max_size=32),
    amount=st.integers(min_value=0, max_value=2**64 - 1),
    signature=st.binary(min_size=96, max_size=96),
)
@settings(max_examples=40, deadline=None)
def test_matches_python_reference(ssz, pubkey, credentials, amount, signature):
    assert ssz.deposit_data_root(pubkey, credentials, amount, signature) == deposit_data_root(
        pubkey, credentials, amount, signature
    )


@pytest.mark.parametrize(
    "pubkey_len,credentials_len,signature_len,reason",
    [
        (47, 32, 96, "ssz: pubkey must be 48 bytes"),
        (48, 31, 96, "ssz: credentials must be 32 bytes"),
        (48, 32, 95, "ssz: signature must be 96 bytes"),
    ],
)
def test_rejects_wrong_lengths(ssz, pubkey_len, credentials_len, signature_len, reason):
    with boa.reverts(reason):
        ssz.deposit_data_root(b"\x01" * pubkey_len, b"\x02" * credentials_len, 1, b"\x03" * signature_len)
