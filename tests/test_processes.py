"""Nothing a run starts outlives it: after a run, and after a run interrupted by Ctrl+C or SIGTERM, no process it
started is left (browsers, their crash handlers, Playwright's driver, an orphan a conftest leaves behind). Each
run is marked by an environment variable every process it starts inherits, and /proc is searched for it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from harness.processes import children

CATALOG = Path(__file__).resolve().parents[1] / "harness" / "scenarios"
MARK = "HARNESS_PROCESS_TEST_MARK"
# A conftest that leaves a process behind the way Chromium's crash handler does: forked twice, its parent gone.
ORPHAN_CONFTEST = """
import subprocess
def pytest_sessionstart(session):
    subprocess.Popen(["sh", "-c", "sleep 600 & exit 0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).wait()
"""


def marked(mark: str) -> list[str]:
    """`pid command` of every live process whose environment carries the mark."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if f"{MARK}={mark}".encode() in environ.split(b"\0") and state != "Z":
            found.append(f"{entry.name} {command[:160]}")
    return found


def left_after(mark: str, seconds: float = 10.0) -> list[str]:
    deadline = time.monotonic() + seconds
    while (found := marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    mark = uuid.uuid4().hex
    (tmp_path / "conftest.py").write_text(ORPHAN_CONFTEST, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_XDIST", "PYTEST_ADDOPTS"))}
    env[MARK] = mark
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--scenario-dir", str(CATALOG), *args]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    return process, mark


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_end_children_ends_an_orphan_that_was_re_parented_to_the_run() -> None:
    """In a process of its own: it adopts, a child leaves a grandchild behind, and end_children ends it."""
    code = (
        "import subprocess, time\n"
        "from harness.processes import adopt_orphans, children, end_children\n"
        "assert adopt_orphans(object())\n"
        "subprocess.Popen(['sh', '-c', 'sleep 600 & exit 0']).wait()\n"
        "time.sleep(0.3)\n"
        "kids = children()\n"
        "import json; print(json.dumps([kids, end_children(), children()]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    kids, ended, after = json.loads(run.stdout)
    assert len(kids) == 1, run.stdout  # the orphaned sleep was re-parented to the process, not to init
    assert ended == kids and after == [], run.stdout


def test_children_of_this_process_are_listed_and_a_process_with_none_ends_nothing() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in children()
        assert children(child.pid) == []
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.pid not in children()
    done = subprocess.run(
        [sys.executable, "-c", "from harness.processes import end_children; print(end_children(0.1))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "[]", done.stderr


@pytest.mark.browser
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_nothing_a_finished_run_started_is_left(tmp_path: Path) -> None:
    process, mark = start(tmp_path, "--scenario", "camera-denied")
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output[-3000:]
    assert left_after(mark) == []


@pytest.mark.browser
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_nothing_an_interrupted_run_started_is_left(tmp_path: Path, signum: int) -> None:
    process, mark = start(tmp_path, "--scenario", "network-drop-not-recovered", "--scenario", "offline-mid-session")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("chrom" in line for line in marked(mark)):
            time.sleep(0.2)  # interrupted while a browser runs a scenario
        assert any("chrom" in line for line in marked(mark)), "no browser was started within 120 s"
        process.send_signal(signum)
        process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)
    assert left_after(mark) == []


def test_only_the_first_run_in_a_process_owns_the_cleanup() -> None:
    """The run around the tests owns the cleanup; a nested pytest (in-process) must not end its children."""
    from harness.processes import adopt_orphans, owns

    nested = object()
    assert adopt_orphans(nested) is False  # already owned by this process's own pytest run
    assert not owns(nested)


def test_playwrights_driver_keeps_its_compiled_code_in_the_user_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness.paths import cache_node_compilation

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("NODE_COMPILE_CACHE", raising=False)
    cache_node_compilation()
    start_driver = "from playwright.sync_api import sync_playwright\nwith sync_playwright():\n    pass"
    subprocess.run([sys.executable, "-c", start_driver], check=True, timeout=60)  # in a process of its own
    assert any((tmp_path / "zoom-videosdk-harness" / "node-compile-cache").rglob("*"))
    monkeypatch.setenv("NODE_COMPILE_CACHE", str(tmp_path / "theirs"))
    cache_node_compilation()
    assert os.environ["NODE_COMPILE_CACHE"] == str(tmp_path / "theirs")  # the user's own setting is kept
