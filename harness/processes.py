"""Nothing a run starts outlives it.

The process that runs scenarios (pytest, each pytest-xdist worker, `harness run`) makes itself a child subreaper
(Linux: `prctl(PR_SET_CHILD_SUBREAPER)`), so what its children leave behind is re-parented to it instead of to
init: the crash handlers every Chromium launch double-forks, a browser server's driver and browser, a browser
whose driver died. At the end of the run, also after Ctrl+C or SIGTERM, every child still there is ended (SIGTERM,
then SIGKILL after a short grace) and reaped. Elsewhere than Linux this does nothing.

Only the first caller in a process owns the cleanup, so a pytest run inside a test (pytester, in-process) never
ends the processes of the run around it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
GRACE_SECONDS = 3.0
_owner: list[object] = []


def adopt_orphans(owner: object) -> bool:
    """Become the subreaper of everything this process starts, once per process; True for the owner."""
    if _owner or not sys.platform.startswith("linux"):
        return False
    _owner.append(owner)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)  # a cancelled CI job cleans up as after Ctrl+C
    return True


def owns(owner: object) -> bool:
    return bool(_owner) and _owner[0] is owner


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def children(pid: int | None = None) -> list[int]:
    """The live (not zombie) children of `pid` (default: this process)."""
    parent = pid or os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after its last ')'.
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == parent and state != "Z":
            found.append(int(entry.name))
    return found


def end_children(grace: float = GRACE_SECONDS) -> list[int]:
    """End every child of this process (SIGTERM, then SIGKILL after `grace` seconds), and those their ending
    re-parents to it; the pids ended."""
    if not sys.platform.startswith("linux"):
        return []
    ended: set[int] = set()
    for signum in (signal.SIGTERM, signal.SIGKILL):
        deadline = time.monotonic() + grace
        pause = 0.005  # most children end within milliseconds of SIGTERM: look again soon, then less often
        while (alive := children()) and time.monotonic() < deadline:
            for pid in alive:
                if signum == signal.SIGKILL or pid not in ended:
                    _signal(pid, signum)
                ended.add(pid)
            _reap()
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
    _reap()
    return sorted(ended)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signum)


def _reap() -> None:
    """Collect the exit status of every child that has ended, so none stays a zombie."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
