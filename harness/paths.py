"""Where the harness finds what it carries: the scenario catalog, the double, the sample apps, its node scripts.

Everything is found through the installed package (`importlib.resources`), never through a source checkout's
layout, so a wheel installed in someone else's project works the same as a clone. The real @zoom/videosdk is
not carried: `sdk_packages.py` installs it on demand into a per-user cache.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files("harness")))

# The query that asks the service for the sample app's page cross-origin isolated (`page: cross-origin-isolated`).
ISOLATED_QUERY = "isolated=1"


def web_dir() -> Path:
    """What the harness serves to browsers: `double/`, `app/` (the sample app), `dropin-app/`, `pages/`."""
    return PACKAGE / "web"


def scenarios_dir() -> Path:
    """The packaged scenario catalog."""
    return PACKAGE / "scenarios"


def double_entry() -> Path:
    """The double's ES module entry, for a bundler alias of `@zoom/videosdk`."""
    return web_dir() / "double" / "index.js"


def double_types() -> Path:
    """The double's typings shim (it re-exports the package's own typings)."""
    return web_dir() / "double" / "index.d.ts"


def sdk_scripts_dir() -> Path:
    """Node scripts that read an installed @zoom/videosdk (enums, typings, reason strings)."""
    return PACKAGE / "sdk_scripts"


def user_cache() -> Path:
    """The per-user cache folder: `$XDG_CACHE_HOME/zoom-videosdk-harness` (`~/.cache/...` without it)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "zoom-videosdk-harness"


def cache_node_compilation() -> None:
    """Node processes started from here on (Playwright's driver first) keep their compiled code in the user cache
    (`NODE_COMPILE_CACHE`, read by Node 22.1 and later): the driver then starts about 80 ms sooner. A value the
    user set is kept."""
    os.environ.setdefault("NODE_COMPILE_CACHE", str(user_cache() / "node-compile-cache"))
