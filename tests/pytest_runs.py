"""A pytest process that a module's tests share: started once by a module-scoped fixture (pytester's own runs
are one per test), in a folder of its own, with its own timings file and none of the caller's pytest options."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_pytest(folder: Path, *args: str, timeout: float = 300) -> str:
    """The run's output (stdout, then stderr); no traceback may be in it."""
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    env["HARNESS_TIMINGS_FILE"] = str(folder / "timings.json")
    env["PY_COLORS"] = "0"  # plain text to match, as pytester's runs have
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=folder, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output[-6000:]
    return output
