"""Where the project's non-Python parts live (the sample app, the double, the real SDK package)."""

from __future__ import annotations

import json
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


def real_sdk_version() -> str | None:
    """The installed @zoom/videosdk version (fixtures/package.json pins the one the lock installs)."""
    dist = real_sdk_dir()
    if dist is None:
        return None
    try:
        manifest = json.loads((dist.parent / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = manifest.get("version")
    return version if isinstance(version, str) else None
