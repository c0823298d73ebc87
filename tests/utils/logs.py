"""Reading decoded titanoboa logs in tests.

`contract.get_logs()` sees only the last call (a view call counts): read logs right after the call.
"""

from __future__ import annotations


def logs_named(contract, name: str) -> list:
    """The decoded logs of `contract`'s last call whose event is called `name`, in order."""
    return [log for log in contract.get_logs() if type(log).__name__ == name]


def event_names(logs) -> list[str]:
    """Names of decoded titanoboa logs, in order."""
    return [type(log).__name__ for log in logs]


def events(logs, name: str) -> list[dict]:
    """Fields (without the emitting `address`) of the logs named `name`, in order."""
    out = []
    for log in logs:
        if type(log).__name__ == name:
            fields = log._asdict()
            fields.pop("address")
            out.append(fields)
    return out


def emitted_by(logs, address) -> list:
    """The logs emitted by the contract at `address`."""
    return [log for log in logs if str(log.address).lower() == str(address).lower()]


__all__ = ["emitted_by", "event_names", "events", "logs_named"]
