"""The double as a drop-in for @zoom/videosdk: the same named exports and enum values as the installed
package, and a React + Vite app written for the package that builds and runs on the double by an alias."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fixture_apps import BuildUnavailable, build
from real_packages import package

from harness.paths import web_dir
from harness.pool import BrowserPool
from harness.sdk_packages import PACKAGE_DIR_ENV

DOUBLE = web_dir() / "double"
ROOT = Path(__file__).resolve().parents[1]
EXTRACT = ROOT / "scripts" / "extract_enums.mjs"
SNAPSHOT = DOUBLE / "test" / "package-exports.json"
node = shutil.which("node")
# A string only the real package's bundle holds: its presence means the alias did not apply.
REAL_SDK_MARKER = "InputMicDetector"

needs_node = pytest.mark.skipif(node is None, reason="node is not installed")


def run(
    args: list[str], cwd: Path, timeout: float, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    quiet = {"npm_config_update_notifier": "false", "npm_config_fund": "false", "npm_config_audit": "false"}
    env = {**os.environ, **quiet, **(extra or {})}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def double_exports() -> dict[str, Any]:
    """The double's module as data: export names, every enum as a plain object, ZoomVideo.VERSION."""
    script = (
        f"import({json.dumps((DOUBLE / 'index.js').as_uri())}).then(m => {{"
        "  const enums = {};"
        "  for (const [k, v] of Object.entries(m)) if (k !== 'default') enums[k] = { ...v };"
        "  console.log(JSON.stringify({ exports: Object.keys(m).sort(), version: m.default.VERSION, enums }));"
        "});"
    )
    done = run([node or "node", "--input-type=module", "-e", script], ROOT, 60)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def extract(mode: str) -> subprocess.CompletedProcess[str]:
    """scripts/extract_enums.mjs on the pinned package, told where it is as the Python side tells every script."""
    return run([node or "node", str(EXTRACT), mode], ROOT, 120, {PACKAGE_DIR_ENV: str(package("real"))})


def package_exports() -> dict[str, Any]:
    done = extract("--print")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def member_differences(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    missing = {key: theirs[key] for key in theirs if key not in ours}
    extra = {key: ours[key] for key in ours if key not in theirs}
    changed = {key: (ours[key], theirs[key]) for key in theirs if key in ours and ours[key] != theirs[key]}
    return f"missing {missing}, extra {extra}, (double, package) {changed}"


@needs_node
def test_double_has_the_named_exports_and_enum_values_of_the_installed_package() -> None:
    package = package_exports()
    double = double_exports()
    names = set(package["exports"]) - {"default"}
    assert set(double["exports"]) - {"default"} == names, (
        f"missing {sorted(names - set(double['exports']))}, extra {sorted(set(double['exports']) - names)}"
    )
    assert "default" in double["exports"]
    assert double["version"] == package["default"]["VERSION"]
    differing = {
        name: member_differences(double["enums"][name], members)
        for name, members in package["enums"].items()
        if double["enums"][name] != members
    }
    assert not differing, "\n".join(f"{name}: {diff}" for name, diff in differing.items())


@needs_node
def test_committed_snapshot_and_enums_module_are_up_to_date() -> None:
    done = extract("--check")
    assert done.returncode == 0, done.stderr + done.stdout


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def built_app(tmp_path: Path) -> Path:
    """harness/web/dropin-app after `npm ci`, a type check and `vite build` beside a copy of the double: the build
    tests/fixture_apps.py keeps (app mode's tests play the catalog on it), copied here with the double's lib/."""
    try:
        cached = build("dropin-app")
    except BuildUnavailable as why:
        pytest.skip(f"the drop-in app cannot be built here: {why}")
    bundle = "".join(path.read_text(encoding="utf-8") for path in (cached / "assets").glob("*.js"))
    assert REAL_SDK_MARKER not in bundle, (
        "the real @zoom/videosdk was bundled: the alias in vite.config.js did not apply"
    )
    dist = tmp_path / "dist"
    shutil.copytree(cached, dist)
    # What init() loads from `${location.origin}/lib`, as Zoom's sample serves the package's lib/ there.
    shutil.copytree(DOUBLE / "lib", dist / "lib")
    return dist


@pytest.fixture
def served(built_app: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(built_app)))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_sample_style_app_builds_and_runs_on_the_double(pool: BrowserPool, served: str) -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["enums"]
    context = pool.get("chromium", ()).new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{served}/index.html")
        page.wait_for_selector("[data-init]:not([data-init='pending'])", timeout=15_000)
        assert page.get_attribute("[data-init]", "data-init") == "ok", page.text_content("#client")
        assert page.get_attribute("[data-singleton]", "data-singleton") == "true"
        rows = page.eval_on_selector_all(
            "#enums tr", "rows => rows.map(r => [r.dataset.name, r.dataset.type, r.querySelector('td').textContent])"
        )
    finally:
        context.close()
    assert not errors, errors
    assert len(rows) >= 30
    wrong = []
    for name, kind, text in rows:
        enum, member = name.split(".")
        value = expected[enum][member]
        if (kind, text) != (type(value).__name__.replace("str", "string").replace("int", "number"), str(value)):
            wrong.append(f"{name}: rendered {kind} {text!r}, package has {value!r}")
    assert not wrong, "\n".join(wrong)
