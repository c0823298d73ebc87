"""Shared test helpers (one home each; import them instead of copying):

- `tests.utils.constants`: `c` (every constant of contracts/lib/constants.vy, compiled), `ETH`, `DAY`.
- `tests.utils.deployers`: compiled deployers (`deployer_for(role)`, `load(path)` for test-only contracts).
- `tests.utils.actors`: role-named funded accounts (`owner`, `operator`, `staker`, `non_owner`).
- `tests.utils.logs`: decoded titanoboa logs (`logs_named`, `event_names`, `events`).
- `tests.utils.stateful`: `StatefulBase`, the base of every hypothesis state machine, and the profile.
- `tests.utils.cli`: `run_cli(module, *args)`, a project command run as a user runs it.
"""
