"""Run the project's command-line tools as a user would (`python -m ...` from the repository root)."""

from __future__ import annotations

import os
import subprocess
import sys

from deploy.protocol import ROOT


def run_cli(
    module: str, *args: str, env: dict | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run `python -m <module> args...` from the project root; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env or {**os.environ},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
