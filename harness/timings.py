"""How long each scenario took when it last ran on this machine, kept in the per-user cache
(`$XDG_CACHE_HOME/zoom-videosdk-harness/timings.json`), so that with `-n` the longest start first: a long scenario
started last keeps one worker busy while the others idle. A scenario never run here is estimated from its shape.
A missing or unreadable file only means no history; nothing here ever fails a run."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def timings_file() -> Path:
    override = os.environ.get("HARNESS_TIMINGS_FILE")  # a test's runs keep theirs apart
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "zoom-videosdk-harness" / "timings.json"


def load(path: Path | None = None) -> dict[str, float]:
    try:
        raw = json.loads((path or timings_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {str(k): float(v) for k, v in raw.items() if isinstance(v, int | float) and v >= 0}


def record(measured: dict[str, float], path: Path | None = None) -> None:
    """Merge the durations just measured into the file (written whole, atomically)."""
    if not measured:
        return
    target = path or timings_file()
    merged = {**load(target), **{k: round(v, 3) for k, v in measured.items()}}
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".timings-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(merged, out, indent=0, sort_keys=True)
        os.replace(temporary, target)


def longest_first(
    items: Sequence[T],
    key: Callable[[T], str],
    estimate: Callable[[T], float],
    group: Callable[[T], str] | None = None,
) -> list[T]:
    """The items by known (else estimated) duration, longest first; equal ones keep their order.

    With `group`, the items of one group stay together, in their own order, and the groups go longest (in sum)
    first: pytest tears a module's fixtures down whenever the next item is from another module, so a module
    spread over the run would set its fixtures up again for each of its items."""
    known = load()

    def duration(item: T) -> float:
        return known.get(key(item), estimate(item))

    if group is None:
        return sorted(items, key=lambda item: -duration(item))
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(group(item), []).append(item)
    ordered = sorted(groups.values(), key=lambda members: -sum(duration(item) for item in members))
    return [item for members in ordered for item in members]
