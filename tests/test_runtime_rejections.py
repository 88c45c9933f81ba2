"""The table of every rejection the pinned runtime can make (harness/catalog/runtime-rejections.json): regenerated
from the installed package it is the committed file, and it agrees with the error-code catalog."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

import pytest
from real_packages import package

from harness.catalog import codes
from harness.paths import PACKAGE

REPO_ROOT = PACKAGE.parent
TABLE = PACKAGE / "catalog" / "runtime-rejections.json"
EXTRACT = REPO_ROOT / "scripts" / "extract_rejections.mjs"
PARSER = REPO_ROOT / "scripts" / "node_modules" / "acorn"
node = shutil.which("node")


def table() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(TABLE.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.skipif(node is None, reason="node is not installed")
@pytest.mark.skipif(not PARSER.is_dir(), reason="the scripts' parser is not installed: run `npm ci` in scripts/")
def test_regenerating_the_table_from_the_installed_package_gives_the_committed_file() -> None:
    done = subprocess.run(
        [node or "node", str(EXTRACT), "--check", "--package", str(package())],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr + done.stdout


def test_table_is_marked_generated_and_names_its_package() -> None:
    data = table()
    assert "GENERATED" in data["_generated"] and data["command"] in data["_generated"]
    assert data["package"] == "@zoom/videosdk"
    manifest = json.loads((package() / "package.json").read_text(encoding="utf-8"))
    assert data["version"] == manifest["version"]


def test_every_code_and_constant_of_the_table_is_the_catalogs() -> None:
    catalog = codes()
    wrong = [
        (entry["errorCode"], entry["code_constant"])
        for entry in table()["rejections"]
        if "code_constant" in entry
        and entry["errorCode"] in catalog
        and catalog[entry["errorCode"]].constant != entry["code_constant"]
    ]
    unknown = sorted(
        {
            entry["errorCode"]
            for entry in table()["rejections"]
            if entry.get("code_constant") and entry["errorCode"] not in catalog
        }
    )
    assert not wrong, f"(code, runtime constant) differing from the catalog: {wrong}"
    assert not unknown, f"codes the runtime writes as ExceptionCode members but the catalog lacks: {unknown}"


def test_every_template_regex_matches_its_own_pattern() -> None:
    for entry in table()["rejections"]:
        template = entry.get("template")
        if template is None:
            continue
        filled = re.sub(r"\{\d+\}", "x", template["pattern"]).replace("{{", "{").replace("}}", "}")
        assert re.fullmatch(template["regex"].removeprefix("^").removesuffix("$"), filled), template
