"""Made-up deposit data and predicted proxy addresses, shared by the staker and external-contract tests.

    from tests.utils.deposits import accept_deposit, fake_deposit, create2_proxy_address
    accept_deposit(manager, cluster_id, *fake_deposit(manager, cluster_id, tag=0, label=b"fuzz"))

`fake_deposit` gives deposit data whose SSZ root is right for the cluster's withdrawal credentials and the
1 ETH pre-deposit, with a made-up key: the manager and the deposit contract check roots, not BLS signatures.
`accept_deposit` hands deposit data to the manager as ClusterKeys does once the winners' keys check
(`on_keys_registered`, sent from ClusterKeys' address), skipping the BLS checks: for tests of the manager's
own logic and of data the chain would refuse. The winners' real registration is
`Protocol.register_cluster_keys` (tests/staker/test_cluster_keys.py).
"""

from __future__ import annotations

from eth_utils import keccak, to_checksum_address

from deploy.keys import deposit_data_root
from tests.utils.constants import c

# Vyper's `create_minimal_proxy_to` init code around the 20-byte target (vyper.builtins.functions)
PROXY_PREFIX = bytes.fromhex("602d3d8160093d39f3363d3d373d3d3d363d73")
PROXY_SUFFIX = bytes.fromhex("5af43d82803e903d91602b57fd5bf3")


def fake_deposit(manager, cluster_id: int, tag: int = 0, label: bytes = b"pk") -> tuple[bytes, bytes, bytes]:
    """(pubkey, signature, deposit_data_root) for `cluster_id`: a made-up key, a correct 1 ETH root."""
    pubkey = keccak(label + b" pk %d/%d" % (cluster_id, tag)) + keccak(label)[:16]
    signature = (keccak(label + b" sig %d/%d" % (cluster_id, tag)) * 3)[:96]
    credentials = bytes(manager.withdrawal_credentials(cluster_id))
    amount_gwei = c.PRE_DEPOSIT_AMOUNT // c.WEI_PER_GWEI
    return pubkey, signature, deposit_data_root(pubkey, credentials, amount_gwei, signature)


def accept_deposit(manager, cluster_id: int, pubkey: bytes, signature: bytes, deposit_data_root: bytes):
    """The manager's `on_keys_registered`, called from its ClusterKeys' address (no BLS checks)."""
    return manager.on_keys_registered(
        cluster_id, pubkey, signature, deposit_data_root, sender=str(manager.cluster_keys())
    )


def create2_proxy_address(deployer: str, salt: bytes, implementation: str) -> str:
    """CREATE2 address of `create_minimal_proxy_to(implementation, salt=salt)` executed by `deployer`."""
    init_code = PROXY_PREFIX + bytes.fromhex(str(implementation)[2:]) + PROXY_SUFFIX
    digest = keccak(b"\xff" + bytes.fromhex(str(deployer)[2:]) + salt + keccak(init_code))
    return to_checksum_address(digest[12:])


__all__ = ["PROXY_PREFIX", "PROXY_SUFFIX", "accept_deposit", "create2_proxy_address", "fake_deposit"]
