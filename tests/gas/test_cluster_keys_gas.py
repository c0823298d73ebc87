"""Receipt-exact gas of the winners' key registration (ClusterKeys) at every cluster size, against issue #19's
targets: the signature check at most 250 000, the share check at most 40 000 per share.

    .venv/bin/pytest tests/gas/test_cluster_keys_gas.py -s     # prints the table

ClusterKeys runs against the manager-and-Auction stand-in (tests/staker/mocks/ClusterKeysStandIn.vy), so
every size 4..7 is measured without an auction; the registration rows of the real protocol (n = 4) are in
tests/gas/staker_rows.py. The checks are measured on the BLS harness with the library functions ClusterKeys
calls: the signature check is `_verify_deposit` (a whole transaction: 21 000 and the calldata included);
the share check is `_shares_agree_batched` plus the exact-threshold interpolation of t - 1 shares (one
transaction's 21 000 counted), plus ClusterKeys' comparison of each share with its registered hash (a cold
SLOAD and a keccak256, `HASH_CHECK_PER_SHARE`).
"""

from __future__ import annotations

from pathlib import Path

import boa
import pytest

from deploy.gas import measure
from deploy.keys import cluster_registration, threshold_of
from deploy.protocol import deployer_for
from deploy.tables import format_table
from tests.lib.test_bls import deposit_args, holesky_deposit
from tests.staker.conftest import mock_deployer

pytestmark = pytest.mark.gas

SIGNATURE_TARGET = 250_000
PER_SHARE_TARGET = 40_000
# a cold SLOAD (2 100), keccak256 of 128 bytes (~ 60) and the loop's bookkeeping
HASH_CHECK_PER_SHARE = 2_300
CREDENTIALS = b"\x01" + bytes(11) + b"\x5a" * 20
HOLESKY = bytes.fromhex("01017000")
HARNESS = Path(__file__).resolve().parents[1] / "lib" / "BlsHarness.vy"


def rows() -> tuple[int, list[tuple]]:
    """The signature check's gas, and (n, t, register_share gas, register_deposit_data gas, share check
    per share) for n = 4..7."""
    lib = boa.load(str(HARNESS))
    valid, signature_gas = measure(lib.verify_deposit, *deposit_args(holesky_deposit()))
    assert valid is True
    out = []
    for n in range(4, 8):
        t = threshold_of(n)
        winners = [boa.env.generate_address(f"gas winner {i}") for i in range(n)]
        stand_in = mock_deployer("ClusterKeysStandIn").deploy(winners, CREDENTIALS)
        keys = deployer_for("cluster_keys").deploy(stand_in.address, 0x01017000)
        reg = cluster_registration(CREDENTIALS, n, seed=f"gas {n}", fork_version=HOLESKY)
        seats = stand_in.seats(0)
        share_gas = []
        for winner, (share, point) in zip(winners, reg.shares, strict=True):
            _, gas = measure(keys.register_share, 0, seats, share, point, sender=winner)
            share_gas.append(gas)
        _, deposit_gas = measure(keys.register_deposit_data, 0, seats, *reg.deposit_args, sender=winners[0])
        assert stand_in.registered()
        points, key = reg.deposit_args[4], reg.deposit_args[1]
        agree, batched = measure(lib.shares_agree_batched, points, t, key)
        below, exact = measure(lib.interpolate_g1, points[: t - 1], list(range(1, t)), 0)
        assert agree is True and below != key
        per_share = (batched + exact - 21_000) // n + HASH_CHECK_PER_SHARE
        out.append((n, t, share_gas[0], deposit_gas, per_share))
    return signature_gas, out


@pytest.mark.ignore_isolation
def test_gas_of_the_registration_is_within_the_targets():
    # transaction boundaries invalidate anchors: measure in a throw-away environment of its own
    with boa.swap_env(boa.Env()):
        signature_gas, table = rows()
    header = ["n", "t", "register_share", "register_deposit_data", "share check per share"]
    print(f"\nsignature check (verify_deposit transaction): {signature_gas:,}")
    print(format_table(header, [list(r) for r in table]))
    assert signature_gas <= SIGNATURE_TARGET
    for *_, per_share in table:
        assert per_share <= PER_SHARE_TARGET
