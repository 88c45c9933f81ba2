"""Where the project's non-Python parts live (the sample app, the double, the real SDK package)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def fixtures_dir() -> Path:
    override = os.environ.get("HARNESS_FIXTURES")
    return Path(override) if override else REPO_ROOT / "fixtures"


def scenarios_dir() -> Path:
    return REPO_ROOT / "scenarios"


def real_sdk_dir() -> Path | None:
    """`dist/` of the real @zoom/videosdk package when `npm ci` has installed it under fixtures/."""
    dist = fixtures_dir() / "node_modules" / "@zoom" / "videosdk" / "dist"
    return dist if dist.is_dir() else None
