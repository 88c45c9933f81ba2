"""--connect: scenarios on a browser served by `playwright launch-server` on this machine give the same
results as a plain run, and a world the server was not launched for skips, naming the missing flag."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.browsers import CHROMIUM_ARGS

pytestmark = pytest.mark.browser
CATALOG = Path(__file__).resolve().parents[1] / "harness" / "scenarios"
NAMES = ("camera-denied", "no-camera", "offline-mid-session", "guest-loses-network")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config = tmp_path_factory.mktemp("server") / "launch.json"
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream"]
    config.write_text(json.dumps({"executablePath": "/usr/bin/chromium", "headless": True, "args": args, "port": 0}))
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("this test starts Debian's /usr/bin/chromium as the remote browser")
    process = subprocess.Popen(
        [sys.executable, "-m", "playwright", "launch-server", "--browser", "chromium", "--config", str(config)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its driver and browser in a group of their own, ended together below
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    endpoint = ""
    while time.monotonic() < deadline and not endpoint.startswith("ws://"):
        endpoint = process.stdout.readline().strip()
    try:
        assert endpoint.startswith("ws://"), "playwright launch-server printed no endpoint within 30s"
        yield endpoint
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def test_a_remote_browser_gives_the_plain_results_and_names_a_missing_flag(
    pytester: pytest.Pytester, server: str
) -> None:
    """The plain results are the catalog's own: these scenarios pass run locally (the catalog, in this suite)."""
    args = [arg for name in NAMES for arg in ("--scenario", name)]
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-rs", "-v", "--scenario-dir", str(CATALOG), *args, "--connect", server, timeout=240
    )  # fmt: skip
    lines = [line for line in result.stdout.lines if "::" in line and ("PASSED" in line or "SKIPPED" in line)]
    remote = {line.split("::")[1].split(" ")[0]: ("PASSED" if "PASSED" in line else "SKIPPED") for line in lines}
    plain = {f"{name}[chromium]": "PASSED" for name in NAMES}
    # The server has one fake camera: the no-camera world cannot happen there, and the run says so.
    assert remote == {**plain, "no-camera[chromium]": "SKIPPED"}
    result.stdout.fnmatch_lines(["*was not launched for this world*--use-fake-device-for-media-stream=device-count=0*"])
