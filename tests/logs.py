"""Reading decoded titanoboa logs in tests.

`contract.get_logs()` sees only the last call (a view call counts): read logs right after the call.
"""


def logs_named(contract, name: str) -> list:
    """The decoded logs of the last call whose event is called `name`, in order."""
    return [log for log in contract.get_logs() if type(log).__name__ == name]
