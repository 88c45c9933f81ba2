"""Durations as scenarios write them: 250ms, 5s, 2m."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^(-?\d+(?:\.\d+)?)(ms|s|m|h)$")
_FACTORS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """Seconds for a duration string; raises ValueError with the accepted forms."""
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(f"bad duration {text!r}: write a number and a unit, e.g. 250ms, 5s, 2m")
    return float(match.group(1)) * _FACTORS[match.group(2)]


def format_duration(seconds: float) -> str:
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    return f"{seconds:g}s"
