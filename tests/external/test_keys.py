"""deploy/keys.py: SSZ roots, signatures, the real Holesky vector, tampering, and generated data on-chain."""

from __future__ import annotations

from hashlib import sha256

import boa
import pytest

from deploy import keys
from tests.external.helpers import ETH
from tests.utils.constants import c

GWEI = 10**9
WC = "01" + "00" * 11 + "e0c5cea4d3869f156717c66e188ae81c80914a6e"


@pytest.fixture(scope="module")
def generated() -> dict:
    return keys.make_deposit_data(WC)


def flip(hex_str: str) -> str:
    """The same hex string with the last bit of its last byte flipped."""
    raw = bytearray(bytes.fromhex(hex_str))
    raw[-1] ^= 1
    return raw.hex()


def test_holesky_vector_roots(holesky_deposit):
    d = holesky_deposit
    message_root = keys.deposit_message_root(d["pubkey"], d["withdrawal_credentials"], d["amount"])
    data_root = keys.deposit_data_root(d["pubkey"], d["withdrawal_credentials"], d["amount"], d["signature"])
    assert message_root.hex() == d["deposit_message_root"]
    assert data_root.hex() == d["deposit_data_root"]


def test_holesky_vector_verifies(holesky_deposit):
    assert keys.verify_deposit_data(holesky_deposit)
    keys.require_valid_deposit_data(holesky_deposit)


def test_deposit_domain_of_holesky():
    domain = keys.compute_deposit_domain("01017000")
    assert domain[:4] == bytes.fromhex("03000000")
    assert domain == keys.compute_deposit_domain(bytes.fromhex("01017000"))
    assert len(domain) == 32
    assert domain != keys.compute_deposit_domain("00000000")


@pytest.mark.parametrize(
    "field, reason",
    [
        ("pubkey", "deposit_message_root does not match"),
        ("withdrawal_credentials", "deposit_message_root does not match"),
        ("signature", "deposit_data_root does not match"),
        ("deposit_message_root", "deposit_message_root does not match"),
        ("deposit_data_root", "deposit_data_root does not match"),
    ],
)
def test_tampered_field_rejected(holesky_deposit, field, reason):
    d = dict(holesky_deposit, **{field: flip(holesky_deposit[field])})
    assert not keys.verify_deposit_data(d)
    with pytest.raises(keys.DepositDataError, match=reason):
        keys.require_valid_deposit_data(d)


def test_tampered_amount_rejected(holesky_deposit):
    d = dict(holesky_deposit, amount=holesky_deposit["amount"] - 1)
    assert not keys.verify_deposit_data(d)
    with pytest.raises(keys.DepositDataError, match="deposit_message_root does not match"):
        keys.require_valid_deposit_data(d)


@pytest.mark.parametrize("field", ["pubkey", "withdrawal_credentials", "amount", "signature"])
def test_consistent_roots_but_bad_signature_rejected(holesky_deposit, field):
    """Tamper a field and recompute both roots: only the BLS check can catch it."""
    d = dict(holesky_deposit)
    if field == "amount":
        d["amount"] = d["amount"] - 1
    elif field == "pubkey":
        # another valid public key, so the failure is the signature, not the key's encoding
        d["pubkey"] = keys.make_deposit_data(WC)["pubkey"]
    else:
        d[field] = flip(d[field])
    d["deposit_message_root"] = keys.deposit_message_root(
        d["pubkey"], d["withdrawal_credentials"], d["amount"]
    ).hex()
    d["deposit_data_root"] = keys.deposit_data_root(
        d["pubkey"], d["withdrawal_credentials"], d["amount"], d["signature"]
    ).hex()
    with pytest.raises(keys.DepositDataError, match="BLS signature does not verify"):
        keys.require_valid_deposit_data(d)


def test_tampered_fork_version_rejected(holesky_deposit):
    d = dict(holesky_deposit, fork_version="00000000", network_name="mainnet")
    with pytest.raises(keys.DepositDataError, match="BLS signature does not verify"):
        keys.require_valid_deposit_data(d)
    assert not keys.verify_deposit_data(dict(holesky_deposit, fork_version="00000000"))


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"pubkey": "00" * 47}, "pubkey must be 48 bytes"),
        ({"signature": "zz"}, "signature is not hex"),
        ({"amount": "32000000000"}, "amount must be an integer"),
        ({"amount": 10**9 - 1}, "amount must be an integer of at least"),
        ({"network_name": "mainnet"}, "network_name 'mainnet' does not match"),
    ],
)
def test_malformed_entries_rejected(holesky_deposit, changes, reason):
    with pytest.raises(keys.DepositDataError, match=reason):
        keys.require_valid_deposit_data(dict(holesky_deposit, **changes))


def test_missing_field_rejected(holesky_deposit):
    d = dict(holesky_deposit)
    del d["signature"]
    with pytest.raises(keys.DepositDataError, match="missing field 'signature'"):
        keys.require_valid_deposit_data(d)
    assert not keys.verify_deposit_data(d)


def test_generated_data_has_holesky_format(generated, holesky_deposit):
    assert list(generated) == list(holesky_deposit)
    for field, value in holesky_deposit.items():
        assert type(generated[field]) is type(value)
        if isinstance(value, str):
            assert len(generated[field]) == len(value)
            assert not generated[field].startswith("0x")
    assert generated["withdrawal_credentials"] == WC
    assert generated["amount"] == keys.pre_deposit_gwei() == c.PRE_DEPOSIT_AMOUNT // GWEI  # by default
    assert generated["fork_version"] == "01017000"
    assert generated["network_name"] == "holesky"
    assert keys.verify_deposit_data(generated)


def test_generation_is_deterministic_per_seed(generated):
    assert keys.make_deposit_data(WC) == generated
    other = keys.make_deposit_data(WC, seed=b"another seed of at least thirty-two bytes")
    assert other["pubkey"] != generated["pubkey"]
    assert keys.verify_deposit_data(other)


def test_generation_other_fork_and_amount():
    d = keys.make_deposit_data(bytes.fromhex(WC), fork_version=bytes(4), amount_gwei=32 * 10**9)
    assert d["fork_version"] == "00000000"
    assert d["network_name"] == "mainnet"
    assert d["amount"] == 32 * 10**9
    assert keys.verify_deposit_data(d)
    # a signature for one fork is not valid on another
    assert not keys.verify_deposit_data(dict(d, fork_version="01017000", network_name="holesky"))


def test_short_seeds_are_stretched():
    assert keys.secret_key_from_seed(b"short") == keys.secret_key_from_seed(sha256(b"short").digest())
    assert keys.secret_key_from_seed("short") == keys.secret_key_from_seed(b"short")
    assert keys.secret_key_from_seed(b"short") != keys.secret_key_from_seed(b"shorter")
    assert keys.verify_deposit_data(keys.make_deposit_data(WC, seed=b"short"))


def test_generation_rejects_bad_input():
    with pytest.raises(keys.DepositDataError, match="withdrawal_credentials must be 32 bytes"):
        keys.make_deposit_data("01")
    with pytest.raises(keys.DepositDataError, match="amount must be at least"):
        keys.make_deposit_data(WC, amount_gwei=10**9 - 1)


def test_generated_data_passes_deposit_contract(deposit_contract, generated, staker):
    keys.require_valid_deposit_data(generated)
    with boa.env.prank(staker):
        deposit_contract.deposit(
            bytes.fromhex(generated["pubkey"]),
            bytes.fromhex(generated["withdrawal_credentials"]),
            bytes.fromhex(generated["signature"]),
            bytes.fromhex(generated["deposit_data_root"]),
            value=generated["amount"] * GWEI,
        )
    assert deposit_contract.get_deposit_count() == (1).to_bytes(8, "little")


@pytest.mark.filterwarnings("ignore:casted bytecode does not match")  # titanoboa on the new pod proxy
def test_generated_data_stakes_through_eigen_pod_manager(eigen_pod_manager, deposit_contract, staker):
    """EigenLayer v1.12's own path: `EigenPodManager.stake` deploys the staker's pod at the address `getPod`
    predicted and deposits exactly 32 ETH with its 0x01 credentials."""
    pod = eigen_pod_manager.getPod(staker)
    assert not eigen_pod_manager.hasPod(staker)
    credentials = keys.eigen_pod_withdrawal_credentials(pod)
    assert credentials.hex() == "01" + "00" * 11 + pod.lower().removeprefix("0x")
    d = keys.make_deposit_data(credentials, amount_gwei=keys.MAX_EFFECTIVE_BALANCE_GWEI)  # a whole validator
    keys.require_valid_deposit_data(d)
    with boa.env.prank(staker):
        eigen_pod_manager.stake(
            bytes.fromhex(d["pubkey"]),
            bytes.fromhex(d["signature"]),
            bytes.fromhex(d["deposit_data_root"]),
            value=32 * ETH,
        )
    (deposit,) = [log for log in eigen_pod_manager.get_logs() if type(log).__name__ == "DepositEvent"]
    assert deposit.withdrawal_credentials == credentials
    assert eigen_pod_manager.hasPod(staker)
    assert eigen_pod_manager.getPod(staker) == pod
    assert boa.env.get_balance(deposit_contract.address) == 32 * ETH
    assert boa.env.get_balance(pod) == 0


@pytest.mark.parametrize("secret", [1, 2**64 + 7, keys.curve_order - 1, keys.secret_key_from_seed("x")])
@pytest.mark.parametrize("message", [b"", bytes(32), b"\xff" * 32, b"byzantine"])
def test_partial_sign_is_the_ciphersuite_signature(secret, message):
    # arkworks computes what py_ecc's proof-of-possession ciphersuite (the beacon chain's) signs
    assert keys.partial_sign(secret, message) == keys.bls.Sign(secret, message)


@pytest.mark.parametrize("secret", [0, keys.curve_order])
def test_partial_sign_refuses_a_secret_outside_the_field(secret):
    with pytest.raises(keys.ThresholdKeyError, match="a secret share is in 1 .. r - 1"):
        keys.partial_sign(secret, bytes(32))
