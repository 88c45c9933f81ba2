"""The last bound on a scenario: a page whose script never yields blocks every Playwright call into it,
and no Playwright timeout covers `evaluate`. When a run outlives its timeout by a grace period, the
watchdog ends the browser's page (renderer) processes under this test process, so the blocked call fails
with "Target crashed" and the run fails with its artifacts instead of stalling the suite.

Linux only (it reads /proc); elsewhere it does nothing and says so in `supported`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

PROC = Path("/proc")
# How page processes of each browser say what they are on their command line.
PAGE_PROCESS_MARKERS = ("--type=renderer", "-isForBrowser")
supported = PROC.is_dir()


class Watchdog:
    def __init__(self, seconds: float, on_fire: Callable[[], object]) -> None:
        self.fired = False
        self._on_fire = on_fire
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        self._on_fire()

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()


def end_page_processes(root: int | None = None) -> int:
    """SIGKILL every page process descended from `root` (default: this process); returns how many."""
    if not supported:
        return 0
    root = os.getpid() if root is None else root
    killed = 0
    for pid in _descendants(root):
        if any(marker in _cmdline(pid) for marker in PAGE_PROCESS_MARKERS):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
                killed += 1
    return killed


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        parent = _parent(entry)
        if parent is not None:
            children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _parent(entry: Path) -> int | None:
    try:
        stat = (entry / "stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: the fields we want follow the last ')'.
    fields = stat[stat.rfind(")") + 2 :].split()
    return int(fields[1]) if len(fields) > 1 else None


def _cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
