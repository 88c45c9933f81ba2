"""The harness as a dependency of someone else's project: a wheel built from the sources, installed into a fresh
virtual environment outside the repository, used from an empty folder. An audit hook in that environment
records every file or folder under the repository that the installed harness opens; there must be none.

The wheel's dependencies come from the machine's pip configuration (and pip's cache); the environment is made
without pip of its own and filled by this interpreter's pip (`pip --python`), which keeps the setup short.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from harness.paths import scenarios_dir

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[1]
INSTALL_TIMEOUT_S = 600
RUN_TIMEOUT_S = 300
# Tracked files of the package that an installed harness does not need: the double's own tests.
NOT_SHIPPED = re.compile(r"^harness/web/double/test/")
# Installed into the fresh environment (a .pth line runs it at start-up): every open of a path under the
# repository, by any Python process of that environment, is appended to the log.
GUARD = """
import os, sys
_REPO = {repo!r}
_LOG = {log!r}
def _hook(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if path == _REPO or path.startswith(_REPO + os.sep):
            with open(_LOG, "a") as log:
                log.write(f"{{event}} {{path}}\\n")
sys.addaudithook(_hook)
"""


class Installed:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.venv = root / "venv"
        self.project = root / "project"  # the user's empty project folder
        self.log = root / "repo-opens.log"

    def run(self, *args: str, timeout: float = RUN_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTEST_ADDOPTS") and not key.startswith("PYTEST_XDIST")
        }
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        command = [str(self.venv / "bin" / args[0]), *args[1:]]
        return subprocess.run(command, cwd=self.project, env=env, capture_output=True, text=True, timeout=timeout)

    def repo_opens(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []


def tracked_sources(destination: Path) -> None:
    """The sources as a clone has them (tracked files and new ones not ignored), so no build output leaks in."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file() or source.is_symlink():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                os.symlink(os.readlink(source), target)
            else:
                shutil.copy2(source, target)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the sources to build from are listed with git ls-files")
    root = tmp_path_factory.mktemp("wheel")
    tracked_sources(root / "src")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root), str(root / "src")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (found,) = root.glob("*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    env = Installed(tmp_path_factory.mktemp("user"))
    env.project.mkdir()
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env.venv)], check=True, timeout=120)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(env.venv / "bin" / "python"), "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    purelib = subprocess.run(
        [str(env.venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "repo_guard.py").write_text(GUARD.format(repo=str(REPO), log=str(env.log)), encoding="utf-8")
    (Path(purelib) / "repo_guard.pth").write_text("import repo_guard\n", encoding="utf-8")
    # The guard works: an open under the repository is logged (then the log starts empty).
    probe = "import harness, pathlib; print(harness.__file__); pathlib.Path({!r}).read_bytes()".format(
        str(REPO / "README.md")
    )
    shown = env.run("python", "-c", probe)
    assert shown.returncode == 0, shown.stderr
    assert Path(shown.stdout.strip()).is_relative_to(env.venv), "the harness imported is not the installed one"
    assert env.repo_opens() == [f"open {REPO / 'README.md'}"]
    env.log.unlink()
    return env


def test_the_wheel_holds_everything_the_package_tracks(wheel: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "harness"], cwd=REPO, capture_output=True, text=True, check=True)
    tracked = {
        name
        for name in listed.stdout.splitlines()
        if not NOT_SHIPPED.match(name) and (REPO / name).exists() and "__pycache__" not in name
    }
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        catalog = archive.read("harness/web/double/exception-codes.json")
    assert sorted(tracked - names) == []
    assert catalog == (REPO / "harness" / "catalog" / "exception-codes.json").read_bytes(), "the link is a copy"
    assert "harness/sdk_scripts/package_snapshot.mjs" in names
    assert "harness/catalog/videosdk-pin.json" in names


def test_pytest_runs_a_catalog_scenario_by_name_from_an_empty_folder(installed: Installed) -> None:
    done = installed.run("pytest", "-p", "no:cacheprovider", "--scenario", "camera-denied")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert re.search(r"\b1 passed\b", done.stdout), done.stdout[-2000:]
    assert installed.repo_opens() == []


def test_harness_lists_the_catalog_and_its_coverage(installed: Installed) -> None:
    listing = installed.run("harness", "list")
    assert listing.returncode == 0, listing.stderr
    names = [line.split()[0] for line in listing.stdout.splitlines()]
    assert sorted(names) == sorted(path.stem for path in scenarios_dir().glob("*.yaml"))
    assert "(invalid)" not in listing.stdout
    coverage = installed.run("harness", "coverage", "--format", "json")
    rows = json.loads(coverage.stdout)
    assert any(row["code"] == 6100 and "camera-denied" in row["scenarios"] for row in rows), coverage.stdout[:500]
    assert installed.repo_opens() == []


def test_double_path_is_the_installed_entry_and_its_catalog_resolves_there(installed: Installed) -> None:
    entry = Path(installed.run("harness", "double", "--path").stdout.strip())
    types = Path(installed.run("harness", "double", "--types").stdout.strip())
    assert entry.is_file() and entry.is_relative_to(installed.venv), entry
    assert types.name == "index.d.ts" and types.parent == entry.parent
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the double's module cannot be imported outside a browser")
    script = (
        f"import({json.dumps(entry.as_uri())}).then(m => console.log(m.ExceptionCode.VIDEO_CAMERA_PERMISSION_DENIED))"
    )
    imported = subprocess.run(
        [node, "--input-type=module", "-e", script], cwd=installed.project, capture_output=True, text=True, timeout=60
    )
    assert imported.stdout.strip() == "6100", imported.stderr
    umd = installed.run("harness", "double", "--umd").stdout
    assert "WebVideoSDK" in umd


def test_app_mode_on_a_small_app_built_with_the_printed_alias(installed: Installed) -> None:
    npm, npx = shutil.which("npm"), shutil.which("npx")
    if npm is None or npx is None:
        pytest.skip("npm is not installed: the small app cannot be built")
    double = installed.run("harness", "double", "--path").stdout.strip()
    app = installed.project / "app"
    source = Path(double).parents[1] / "dropin-app"  # the installed package's drop-in app, as a user would copy it
    shutil.copytree(source, app, ignore=shutil.ignore_patterns("node_modules", "dist"))
    (app / "vite.config.js").write_text(
        "import { defineConfig } from 'vite';\nimport react from '@vitejs/plugin-react';\n"
        f"export default defineConfig({{ plugins: [react()], resolve: {{ alias: [{{ find: /^@zoom\\/videosdk$/, "
        f"replacement: {json.dumps(double)} }}] }} }});\n",
        encoding="utf-8",
    )
    fetched = subprocess.run([npm, "ci", "--prefer-offline"], cwd=app, capture_output=True, text=True, timeout=600)
    if fetched.returncode != 0 and re.search(r"ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network", fetched.stderr):
        pytest.skip(f"the npm registry is unreachable: {fetched.stderr.strip().splitlines()[-1]}")
    assert fetched.returncode == 0, fetched.stderr[-2000:]
    built = subprocess.run([npx, "--no", "--", "vite", "build"], cwd=app, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    # The drop-in app reads its session from the URL and asks its back end (POST /api/signature) for the JWT.
    query = "topic={topic}&name={name}&password={password}&role={role}"
    done = installed.run(
        "pytest", "-p", "no:cacheprovider", "--app", str(app / "dist"), "--app-query", query,
        "--app-token-url", "**/api/signature", "--scenario", "camera-denied",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert installed.repo_opens() == []
