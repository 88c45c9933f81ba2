"""The SDK double's JavaScript: its own node tests, and its UMD form loading as a classic script."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.catalog import codes
from harness.paths import web_dir
from harness.sdk_packages import PACKAGE_DIR_ENV, package_dir, pinned
from harness.service.bundle import BundleError, build_umd, cached_umd

DOUBLE = web_dir() / "double"
node = shutil.which("node")
needs_node = pytest.mark.skipif(node is None, reason="node is not installed")


@needs_node
def test_node_tests_of_the_double_pass() -> None:
    """typings-surface.test.js reads the pinned package where the Python side says it is (skips without it)."""
    folder = package_dir(pinned().version)
    env = {**os.environ, PACKAGE_DIR_ENV: str(folder)} if folder else dict(os.environ)
    run = subprocess.run(
        [node or "node", "--test", "test/"], cwd=DOUBLE, capture_output=True, text=True, timeout=120, env=env
    )
    assert run.returncode == 0, failures(run.stdout) + run.stderr[-2000:]
    assert "# fail 0" in run.stdout


def failures(tap: str) -> str:
    """The failed subtests of a TAP report, each with the lines of its diagnosis (the report's tail otherwise)."""
    lines = tap.splitlines()
    found = []
    for index, line in enumerate(lines):
        if line.lstrip().startswith("not ok") and "# SKIP" not in line:
            found.append("\n".join(lines[index : index + 25]))
    return "\n\n".join(found) if found else tap[-3000:]


@needs_node
def test_umd_form_exposes_the_same_module_as_the_es_module(tmp_path: Path) -> None:
    bundle = tmp_path / "umd.js"
    bundle.write_text(build_umd(DOUBLE), encoding="utf-8")
    script = (
        "globalThis.location = {origin: 'http://x', protocol: 'http:'};"
        f"const umd = require({json.dumps(str(bundle))});"
        f"import({json.dumps((DOUBLE / 'index.js').as_uri())}).then(esm => {{"
        "  const same = Object.keys(esm).sort().join() === Object.keys(umd).sort().join();"
        "  console.log(JSON.stringify({same, version: umd.default.VERSION, code: umd.ExceptionCode.VIDEO_CAMERA_TAKEN,"
        "    singleton: umd.default.createClient() === umd.default.createClient()}));"
        "});"
    )
    run = subprocess.run([node or "node", "-e", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {
        "same": True,
        "version": "2.5.0",
        "code": 6103,
        "singleton": True,
    }


def test_bundler_refuses_forms_it_does_not_understand(tmp_path: Path) -> None:
    (tmp_path / "index.js").write_text("export * from './other.js';\n", encoding="utf-8")
    with pytest.raises(BundleError, match=r"index.js:1: unsupported export form"):
        build_umd(tmp_path)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@needs_node
def test_bundler_follows_relative_imports_across_folders(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "index.js": "import { greeting } from './src/client/a.js';\nexport { greeting };\n",
            "src/client/a.js": (
                "import { name } from '../core/b.js';\n"
                "import data from '../../data.json' with { type: 'json' };\n"
                "export const greeting = `${data.word} ${name}`;\n"
            ),
            "src/core/b.js": "export const name = 'core';\n",
            "data.json": '{"word": "hello"}\n',
        },
    )
    bundle = tmp_path / "umd.js"
    bundle.write_text(build_umd(tmp_path), encoding="utf-8")
    script = f"console.log(require({json.dumps(str(bundle))}).greeting);"
    run = subprocess.run([node or "node", "-e", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "hello core"


def test_the_served_bundle_is_built_again_only_when_a_module_changed(tmp_path: Path) -> None:
    _write(
        tmp_path, {"index.js": "import { b } from './src/b.js';\nexport { b };\n", "src/b.js": "export const b = 1;\n"}
    )
    first = cached_umd(tmp_path)
    assert cached_umd(tmp_path) is first, "nothing changed: the same text, not built again"
    (tmp_path / "src" / "b.js").write_text("export const b = 22;\n", encoding="utf-8")
    changed = cached_umd(tmp_path)
    assert "b = 22" in changed and changed == build_umd(tmp_path)


def test_bundler_refuses_import_cycles_and_imports_outside_its_folder(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "index.js": "import { a } from './src/a.js';\nexport { a };\n",
            "src/a.js": "import { b } from './b.js';\nexport const a = 1;\n",
            "src/b.js": "import { a } from './a.js';\nexport const b = a;\n",
        },
    )
    with pytest.raises(BundleError, match=r"import cycle: src/a.js -> src/b.js -> src/a.js"):
        build_umd(tmp_path)
    (tmp_path / "index.js").write_text("import { x } from '../elsewhere.js';\nexport { x };\n", encoding="utf-8")
    with pytest.raises(BundleError, match=r"index.js:1: import outside the bundled folder: ../elsewhere.js"):
        build_umd(tmp_path)


def test_catalog_has_every_reference_code_once() -> None:
    table = codes()
    assert table[6010].constant == "AUDIO_CAPTURE_FAILED"
    assert table[7105].constant == "CMD_RATE_LIMIT"
    assert table[6013].unreachable and "Safari" in table[6013].unreachable
    assert len(table) >= 190


@needs_node
def test_the_double_the_node_stub_and_the_service_agree_on_the_back_ends_request_kinds() -> None:
    # The service decides each kind (backend.REQUESTS); the node tests' stand-in answers the same kinds
    # (test/support/backend-stub.js), and the double asks for every one of them and for nothing else.
    from harness.service.backend import REQUESTS

    script = (
        f"import({json.dumps((DOUBLE / 'test' / 'support' / 'backend-stub.js').as_uri())})"
        ".then(m => console.log(JSON.stringify(Object.keys(m.REQUESTS).sort())));"
    )
    run = subprocess.run([node or "node", "-e", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == sorted(REQUESTS)
    prefixes = "|".join(sorted({kind.split(".")[0] for kind in REQUESTS}))
    literal = re.compile(rf"'((?:{prefixes})\.[a-z]+(?:-[a-z]+)*)'")
    asked = {kind for path in (DOUBLE / "src").rglob("*.js") for kind in literal.findall(path.read_text("utf-8"))}
    assert asked == set(REQUESTS)
