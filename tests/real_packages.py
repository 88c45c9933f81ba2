"""The real @zoom/videosdk for tests: the pinned version and others from the per-user package cache, installed
on demand; a test that needs one skips, saying so, when the npm registry cannot be reached to install it."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import HarnessError
from harness.sdk_packages import RegistryUnreachable, ensure, pinned

PINNED = pinned().version
OLDER = "2.4.5"  # a published version before the pinned one, with real differences (`harness versions diff`)


def package(spec: str = "real") -> Path:
    """The installed package folder of `spec` (installed first if missing); skips when the registry is unreachable."""
    try:
        return ensure(spec)
    except RegistryUnreachable as error:
        pytest.skip(f"needs the npm registry: {error}")
    except HarnessError as error:
        pytest.fail(str(error))


def dist(spec: str = "real") -> Path:
    return package(spec) / "dist"
