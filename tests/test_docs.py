"""The catalog and coverage tables in docs/ are generated from the scenario files and kept in step."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

from harness.catalog import codes
from harness.coverage import coverage, load_catalog, media_failed_coverage

ROOT = Path(__file__).resolve().parents[1]


def test_docs_tables_are_in_step_with_the_scenarios() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_docs.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_coverage_json_shape() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "harness.cli", "coverage", "--format", "json"], capture_output=True, text=True
    )
    rows = json.loads(result.stdout)
    assert {tuple(sorted(row)) for row in rows} == {("code", "constant", "reason", "scenarios", "space", "status")}
    assert {row["status"] for row in rows} <= {"covered", "unreachable", "missing"}
    assert {row["space"] for row in rows} == {"videosdk", "active-media-failed"}
    camera = next(row for row in rows if row["code"] == 6100 and row["space"] == "videosdk")
    assert camera["status"] == "covered" and "camera-denied" in camera["scenarios"]
    media = [row for row in rows if row["space"] == "active-media-failed"]
    assert all(row["status"] != "missing" for row in media), "every active-media-failed code is covered or unreachable"
    revoked = next(row for row in rows if row["code"] == 203 and row["space"] == "active-media-failed")
    assert (
        revoked["constant"] == "CameraPermissionReset" and "camera-permission-revoked-mid-call" in revoked["scenarios"]
    )


def test_a_wait_inside_a_together_group_covers_its_code() -> None:
    scenarios = [s for s in load_catalog(ROOT / "harness" / "scenarios") if s.name == "shared-window-delivers-nothing"]
    [step] = [step for step in scenarios[0].steps if step.action == "together"]
    assert any(inner.action == "wait_for_event" for inner in step.params), "the scenario still waits in its group"
    row = next(row for row in media_failed_coverage(scenarios) if row.code == 301)
    assert (row.status, row.scenarios) == ("covered", ["shared-window-delivers-nothing"])


def test_every_unreachable_code_says_why_and_every_listed_code_is_real() -> None:
    scenarios = load_catalog(ROOT / "harness" / "scenarios")
    rows = coverage(scenarios) + media_failed_coverage(scenarios)
    assert all(row.reason for row in rows if row.status == "unreachable")
    assert all(row.scenarios for row in rows if row.status == "covered")


def test_every_listed_code_is_asserted_by_a_step() -> None:
    """A scenario's `codes` are what it reproduces: each must be expected by one of its steps (or, for a
    code the app itself meets and shows, by an allow_errors entry next to an expect_text)."""
    unasserted = []
    for scenario in load_catalog(ROOT / "harness" / "scenarios"):
        asserted = {
            code
            for pattern in [call.expect_error for step in scenario.steps for call in step.calls() if call.expect_error]
            + list(scenario.allow_errors)
            for code in (pattern.error_codes or ())
        }
        unasserted += [f"{scenario.name}: {code}" for code in scenario.codes if code not in asserted]
    assert not unasserted, unasserted


def test_architecture_names_every_module() -> None:
    """ARCHITECTURE.md's layer table is the map of the package: every module must be on it."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "harness").rglob("*.py"))
        if path.stem != "__init__" and f"`{path.stem}" not in text
    ]
    assert not missing, f"ARCHITECTURE.md does not name: {missing}"


def test_the_catalog_json_says_what_the_import_script_would_write() -> None:
    """The TSV the catalog was imported from is not kept, so both are patched by hand: they must agree on the codes
    2.5.0 makes unreachable and on the runtime notes (what the docs say, what 2.5.0 does) `harness explain` prints."""
    spec = importlib.util.spec_from_file_location("import_catalog", ROOT / "scripts" / "import_catalog.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    catalog = codes()
    for code, reason in script.MEASURED_UNREACHABLE.items():
        assert catalog[code].unreachable == reason, code
    assert {code for code, entry in catalog.items() if entry.runtime} == set(script.RUNTIME_NOTES)
    for code, note in script.RUNTIME_NOTES.items():
        assert catalog[code].runtime == note and set(note) == {"docs", "runtime", "evidence"}, code
    assert catalog[5003].unreachable and "5002" in catalog[5003].runtime["runtime"]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def test_every_relative_link_in_the_docs_names_a_file_and_a_heading_that_exist() -> None:
    root = Path(__file__).resolve().parents[1]
    pages = [root / "README.md", root / "ARCHITECTURE.md", *sorted((root / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # a URL
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{page.name}: {target} (no such file)")
            elif anchor and file.suffix == ".md":
                headings = re.findall(r"^#+ (.+)$", file.read_text(encoding="utf-8"), flags=re.M)
                if anchor not in {_slug(h) for h in headings}:
                    broken.append(f"{page.name}: {target} (no such heading)")
    assert broken == []
