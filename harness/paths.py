"""Where the harness finds what it carries (the scenario catalog, the double, the sample apps) and the real SDK.

What the harness carries is found through the installed package (`importlib.resources`), never through a
source checkout's layout, so a wheel installed in someone else's project works the same as a clone.
"""

from __future__ import annotations

import json
import os
from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files("harness")))
# A source checkout: the repository around the package (only the real SDK's npm install still lives there).
REPO_ROOT = PACKAGE.parent


def web_dir() -> Path:
    """What the harness serves to browsers: `double/`, `app/` (the sample app), `dropin-app/`, `pages/`."""
    return PACKAGE / "web"


def scenarios_dir() -> Path:
    """The packaged scenario catalog."""
    return PACKAGE / "scenarios"


def fixtures_dir() -> Path:
    """Where `npm ci` installs the pinned real @zoom/videosdk (`HARNESS_FIXTURES` overrides)."""
    override = os.environ.get("HARNESS_FIXTURES")
    return Path(override) if override else REPO_ROOT / "fixtures"


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
