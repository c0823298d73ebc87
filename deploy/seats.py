"""A cluster's seats off chain: rebuilt from its one settlement event and its renewals (issue #14).

StakerRewards keeps one word per cluster: its status and the hash of its seats
(`keccak256(abi_encode(seats))`, the top 248 bits; `StakerRewards.commitment(cluster_id)`). Every later
operation on the cluster takes the seats back as calldata and is refused ("staker_rewards: seats do not
match") unless they hash to it. The seats are public: the Auction's `ClusterSettled(cluster_id, seats)`
carries them at settlement, StakerRewards' `SeatRenewed(cluster_id, index, seat, ...)` each renewed seat, and
its `SeatRotated(cluster_id, index, leaver, seats, ...)` every seat after a rotation (docs/protocol.md §10).

    from deploy.seats import cluster_seats
    seats = cluster_seats(protocol.staker_rewards, cluster_id)    # or protocol.seats(cluster_id)
    protocol.manager.confirm_stake(cluster_id, seats, timestamp, proof)

Where the events come from:
- on titanoboa's in-process EVM (and a local fork of a network), every call's logs are recorded by a hook on
  `boa.environment.Env.execute_code`, installed when this module is imported (only the two events above are
  kept). titanoboa rolls state back (tests, `boa.env.anchor()`) without rolling logs back, so several
  histories of one cluster id may have been recorded: each version of the seats they give is a candidate,
  and the one that hashes to StakerRewards' commitment is the cluster's;
- on a JSON-RPC network, `eth_getLogs` on the Auction and StakerRewards, checked against the commitment the
  same way.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import boa
from boa.environment import Env
from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address


class Seat(NamedTuple):
    """A winner's seat (contracts/lib/seat_types.vy): what every operation on a cluster needs about it."""

    bid_id: int
    operator: str
    vc: int  # daily VC price, wei per day
    days: int  # days paid, counted from the stream start (the bid's duration, plus renewals)


SEAT_TYPE = "(uint256,address,uint256,uint256)"
CLUSTER_SETTLED = int.from_bytes(keccak(f"ClusterSettled(uint256,{SEAT_TYPE}[])".encode()), "big")
SEAT_RENEWED = int.from_bytes(
    keccak(f"SeatRenewed(uint256,uint256,{SEAT_TYPE},uint256,uint256,uint256,uint256)".encode()), "big"
)
SEAT_ROTATED = int.from_bytes(
    keccak(
        f"SeatRotated(uint256,uint256,{SEAT_TYPE},{SEAT_TYPE}[],uint256,uint256,uint256,uint256,uint256,uint256)".encode()
    ),
    "big",
)
SEAT_ROTATED_DATA = [SEAT_TYPE, f"{SEAT_TYPE}[]"] + ["uint256"] * 6
_WATCHED = frozenset({CLUSTER_SETTLED, SEAT_RENEWED, SEAT_ROTATED})


def seats_hash(seats: list[Seat]) -> bytes:
    """The hash StakerRewards commits to: `keccak256(abi_encode(seats))` with its low byte zeroed."""
    digest = keccak(encode([f"{SEAT_TYPE}[]"], [[tuple(s) for s in seats]]))
    return digest[:31] + b"\x00"


def as_seat(value: Any) -> Seat:
    """A `Seat` from a decoded struct (titanoboa's named tuple, or a plain tuple)."""
    bid_id, operator, vc, days = tuple(value)
    return Seat(int(bid_id), to_checksum_address(str(operator)), int(vc), int(days))


# ---------------------------------------------------------------------------- in-process log recording

# (emitter, topics, data) of every ClusterSettled and SeatRenewed an in-process call emitted, in order
_recorded: list[tuple[str, tuple[int, ...], bytes]] = []


def _record(computation: Any) -> None:
    if computation is None or computation.is_error:
        return
    for _, address, topics, data in computation.get_raw_log_entries():
        if topics and topics[0] in _WATCHED:
            _recorded.append((to_checksum_address(address), tuple(topics), bytes(data)))


def _install() -> None:
    """Wrap `Env.execute_code` (every in-process call) once, to record the seats' events."""
    original = Env.execute_code
    if getattr(original, "_byz_seats", False):
        return

    @functools.wraps(original)
    def execute_code(self, *args, **kwargs):
        computation = original(self, *args, **kwargs)
        _record(computation)
        return computation

    execute_code._byz_seats = True
    Env.execute_code = execute_code


_install()


# ---------------------------------------------------------------------------- sources


def _address(contract: Any) -> str:
    return to_checksum_address(str(getattr(contract, "address", contract)))


def _on_network() -> bool:
    """Whether calls go to a JSON-RPC node (titanoboa's `NetworkEnv`), not the in-process EVM."""
    from boa.network import NetworkEnv

    return isinstance(boa.env, NetworkEnv)


def _fetched(
    emitter: str, topic0: int | list[int], cluster_id: int
) -> list[tuple[str, tuple[int, ...], bytes]]:
    """`eth_getLogs`: the `topic0` events (one, or any of a list) of `emitter` for `cluster_id`, in the order
    the chain has them."""
    first = [f"0x{t:064x}" for t in topic0] if isinstance(topic0, list) else f"0x{topic0:064x}"
    found = boa.env._rpc.fetch(
        "eth_getLogs",
        [
            {
                "address": emitter,
                "fromBlock": "0x0",
                "toBlock": "latest",
                "topics": [first, f"0x{cluster_id:064x}"],
            }
        ],
    )
    found.sort(key=lambda log: (int(log["blockNumber"], 16), int(log["logIndex"], 16)))
    return [
        (emitter, tuple(int(t, 16) for t in log["topics"]), bytes.fromhex(log["data"][2:])) for log in found
    ]


def history(auction: Any, staker_rewards: Any, cluster_id: int) -> list[list[Seat]]:
    """Every version of the cluster's seats the events give: each settlement, and each renewal applied to
    each version whose seat it renews (in-process, rolled-back runs may have left several)."""
    auction_address, rewards_address = _address(auction), _address(staker_rewards)
    if _on_network():  # a cluster is settled once, before its renewals and rotations
        events = _fetched(auction_address, CLUSTER_SETTLED, cluster_id)
        events += _fetched(rewards_address, [SEAT_RENEWED, SEAT_ROTATED], cluster_id)
    else:  # one recorded stream, in emission order
        events = [
            (address, topics, data)
            for address, topics, data in _recorded
            if address in (auction_address, rewards_address) and len(topics) > 1 and topics[1] == cluster_id
        ]
    versions: list[list[Seat]] = []
    seen: set[tuple[Seat, ...]] = set()

    def add(version: list[Seat]) -> None:
        if tuple(version) not in seen:
            seen.add(tuple(version))
            versions.append(version)

    for address, topics, data in events:
        if address == auction_address and topics[0] == CLUSTER_SETTLED:
            (raw,) = decode([f"{SEAT_TYPE}[]"], data)
            add([as_seat(s) for s in raw])
        elif address == rewards_address and topics[0] == SEAT_RENEWED:
            index = topics[2]
            seat = as_seat(decode([SEAT_TYPE], data[: 4 * 32])[0])
            for version in list(versions):
                if index < len(version) and version[index].bid_id == seat.bid_id:
                    renewed = list(version)
                    renewed[index] = seat
                    add(renewed)
        elif address == rewards_address and topics[0] == SEAT_ROTATED:
            # a rotation carries every seat, their days counted from the handover
            decoded = decode(SEAT_ROTATED_DATA, data)
            add([as_seat(s) for s in decoded[1]])
    return versions


def cluster_seats(staker_rewards: Any, cluster_id: int) -> list[Seat]:
    """The cluster's current seats: the version of its events that hashes to StakerRewards' commitment.

    Raises `LookupError` for a cluster never settled, or whose events were not seen (in-process: emitted
    before this module was imported)."""
    committed = bytes(staker_rewards.commitment(cluster_id))
    auction = staker_rewards.AUCTION()
    for version in reversed(history(auction, staker_rewards, cluster_id)):
        if seats_hash(version) == committed:
            return version
    raise LookupError(f"no recorded seats of cluster {cluster_id} match StakerRewards' commitment")
