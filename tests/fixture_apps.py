"""The fixture apps of app mode, built as a user builds theirs: `npm ci` from the registry, a type check against
the package's typings, `vite build` with @zoom/videosdk aliased to the double.

Builds happen in a cache folder outside the package tree (`$XDG_CACHE_HOME/zoom-videosdk-harness/fixture-apps`,
or `HARNESS_FIXTURE_APPS`), one folder per content hash of the app and the double, so a second run reuses the
build and an edit of either rebuilds. Run `python tests/fixture_apps.py sample-app` to print a build folder
(for `pytest --app <folder>`).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from harness.paths import web_dir

APPS = ("sample-app", "dropin-app")
NPM_CI_TIMEOUT_S = 300
BUILD_TIMEOUT_S = 180
# npm's words for "the registry cannot be reached", as opposed to a broken package.json or lockfile.
OFFLINE = re.compile(
    r"ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|fetch failed"
)
SKIPPED_PARTS = {"node_modules", "dist", "test"}


class BuildUnavailable(Exception):
    """The machine cannot build the app (no npm, or the registry is out of reach): tests skip."""


def cache_root() -> Path:
    override = os.environ.get("HARNESS_FIXTURE_APPS")
    if override:
        return Path(override)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "zoom-videosdk-harness" / "fixture-apps"


def sources(folder: Path) -> list[Path]:
    return sorted(
        path for path in folder.rglob("*") if path.is_file() and not SKIPPED_PARTS & set(path.relative_to(folder).parts)
    )


def content_key(app: str) -> str:
    digest = hashlib.sha256()
    for folder in (web_dir() / app, web_dir() / "double"):
        for path in sources(folder):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def run(args: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "npm_config_update_notifier": "false", "npm_config_fund": "false", "npm_config_audit": "false"}
    try:
        return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise BuildUnavailable(f"`{' '.join(args)}` took more than {timeout:.0f} s") from None


def build(app: str) -> Path:
    """The app's build folder (holding index.html), built now or found in the cache."""
    if app not in APPS:
        raise ValueError(f"unknown fixture app {app!r}; expected one of {', '.join(APPS)}")
    final = cache_root() / f"{app}-{content_key(app)}"
    dist = final / app / "dist"
    if (dist / "index.html").is_file():
        return dist
    npm, npx = shutil.which("npm"), shutil.which("npx")
    if npm is None or npx is None:
        raise BuildUnavailable("npm is not installed: the fixture apps cannot be built")
    cache_root().mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{app}-", dir=cache_root()))
    try:
        shutil.copytree(web_dir() / app, work / app, ignore=shutil.ignore_patterns("node_modules", "dist"))
        # symlinks=False: the double's exception-codes.json is a link into harness/, copied as its file.
        shutil.copytree(web_dir() / "double", work / "double", ignore=shutil.ignore_patterns("test"))
        installed = run([npm, "ci", "--prefer-offline"], work / app, NPM_CI_TIMEOUT_S)
        if installed.returncode != 0 and OFFLINE.search(installed.stderr):
            raise BuildUnavailable(f"the npm registry is unreachable: {installed.stderr.strip().splitlines()[-1]}")
        if installed.returncode != 0:
            raise RuntimeError(f"npm ci of {app} failed:\n{installed.stderr[-3000:]}")
        typed = run([npx, "--no", "--", "tsc", "--noEmit", "-p", "."], work / app, BUILD_TIMEOUT_S)
        if typed.returncode != 0:
            raise RuntimeError(f"{app} does not type-check against @zoom/videosdk's typings:\n{typed.stdout[-3000:]}")
        built = run([npx, "--no", "--", "vite", "build"], work / app, BUILD_TIMEOUT_S)
        if built.returncode != 0:
            raise RuntimeError(f"vite build of {app} failed:\n{built.stdout[-2000:]}{built.stderr[-2000:]}")
        try:
            work.rename(final)
        except OSError:
            if not (dist / "index.html").is_file():  # not another process that finished the same build first
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return dist


if __name__ == "__main__":
    try:
        print(build(sys.argv[1] if len(sys.argv) > 1 else "sample-app"))
    except (BuildUnavailable, RuntimeError, ValueError) as error:
        print(f"fixture_apps: {error}", file=sys.stderr)
        sys.exit(1)
