"""`harness versions diff` and `--sdk real@X.Y.Z`: what changed between two versions, read from their files and
seen by running scenarios on both; the parts on published versions skip when the npm registry is unreachable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from real_packages import OLDER, PINNED, package

from harness.conformance import Observation
from harness.sdk_diff import codes_diff, enums, reasons_diff
from harness.sdk_packages import CACHE_ENV, REGISTRY_ENV
from harness.versions import diff_text, field_differences


def snapshot(codes: dict[str, int], reasons: list[dict[str, Any]]) -> dict[str, Any]:
    members: dict[str, Any] = {**codes, **{str(code): name for name, code in codes.items()}}
    return {"enums": {"ExceptionCode": members}, "typings_enums": {}, "typings_only_enums": [], "reasons": reasons}


def test_codes_added_removed_renamed_and_renumbered() -> None:
    old = {"A": 1, "B": 2, "C": 3, "D": 4}
    new = {"A": 1, "B2": 2, "C": 30, "E": 5}
    assert codes_diff(old, new) == {
        "added": [{"name": "E", "code": 5}],
        "removed": [{"name": "D", "code": 4}],
        "renamed": [{"code": 2, "from": "B", "to": "B2"}],
        "renumbered": [{"name": "C", "from": 3, "to": 30}],
    }


def test_enums_keep_the_declared_side_of_a_two_way_mapping() -> None:
    runtime = {"Quality": {"Low": 0, "High": 1, "0": "Low", "1": "High"}, "Reason": {"a": "b", "b": "a"}}
    snap = {"enums": runtime, "typings_enums": {"Reason": {"a": "b"}}, "typings_only_enums": []}
    assert enums(snap) == {"Quality": {"Low": 0, "High": 1}, "Reason": {"a": "b"}}


def test_reasons_reworded_recoded_added_and_removed() -> None:
    a = snapshot(
        {"TOO_LONG": 7103, "STATE": 6205, "OTHER": 1},
        [
            {"reason": "Text exceeds the max length(512).", "type": "INVALID_PARAMETERS", "errorCode": "TOO_LONG"},
            {"reason": "Not sharing", "type": "INVALID_OPERATION", "errorCode": "STATE"},
            {"reason": "Gone for good", "type": "INVALID_OPERATION", "errorCode": "OTHER"},
        ],
    )
    b = snapshot(
        {"TOO_LONG": 7103, "STATE": 6205, "OTHER": 1},
        [
            {"reason": "Text exceeds the max length(1024).", "type": "INVALID_PARAMETERS", "errorCode": "TOO_LONG"},
            {"reason": "Not sharing", "type": "INVALID_PARAMETERS", "errorCode": "STATE"},
            {"reason": "Brand new", "type": None, "errorCode": None},
        ],
    )
    found = reasons_diff(a, b)
    assert found["changed"] == [
        {
            "type": "INVALID_PARAMETERS",
            "errorCode": 7103,
            "from": "Text exceeds the max length(512).",
            "to": "Text exceeds the max length(1024).",
        }
    ]
    assert found["recoded"] == [
        {
            "reason": "Not sharing",
            "from": [{"type": "INVALID_OPERATION", "errorCode": 6205}],
            "to": [{"type": "INVALID_PARAMETERS", "errorCode": 6205}],
        }
    ]
    assert [item["reason"] for item in found["added"]] == ["Brand new"]
    assert [item["reason"] for item in found["removed"]] == ["Gone for good"]


def test_scenario_differences_name_the_fields() -> None:
    call = ("me", 2, "client.join", "rejected", (("errorCode", 200), ("reason", "old words")))
    a = Observation("real@2.4.5", calls=[call], outcome="failed: expected reason 'new words'")
    b = Observation("real@2.5.0", calls=[(*call[:4], (("errorCode", 200), ("reason", "new words")))])
    b.events.append(("me", "connection-change", {"state": "Fail"}))
    assert field_differences(a, b) == [
        {"where": "outcome", "field": "outcome", "a": "failed: expected reason 'new words'", "b": "passed"},
        {"where": "call #1 [me] step 2 client.join", "field": "reason", "a": "old words", "b": "new words"},
        {"where": "event connection-change", "field": "payloads", "a": [], "b": [["me", {"state": "Fail"}]]},
    ]


def harness(*args: str, env: dict[str, str] | None = None, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.mark.browser
def test_diff_of_two_published_versions_has_its_three_parts() -> None:
    package(f"real@{OLDER}")
    package("real")
    done = harness("versions", "diff", OLDER, PINNED, "--format", "json", "--scenario", "join-topic-too-long")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["a"], report["b"]) == (OLDER, PINNED)
    assert {"name": "CMD_RATE_LIMIT", "code": 7105} in report["typings"]["exception_codes"]["added"]
    assert "Stream.updateShareViewQuality" in report["typings"]["methods"]["added"]
    assert "ShareViewQuality" in report["typings"]["enums"]["added"]
    reworded = {(item["errorCode"], item["from"], item["to"]) for item in report["reasons"]["changed"]}
    assert (7103, "Text exceeds the max length(512).", "Text exceeds the max length(1024).") in reworded
    assert report["scenarios"] == [{"name": "join-topic-too-long", "a": "passed", "b": "passed", "differences": []}]
    text = diff_text(report)
    for part in ("Typings", "Runtime reason strings:", "Scenarios on the real package, offline: 1 run on both"):
        assert part in text


@pytest.mark.browser
def test_conformance_against_another_version() -> None:
    package(f"real@{OLDER}")
    done = harness("conformance", "--sdk", f"real@{OLDER}", "--scenario", "join-empty-topic")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == f"1 scenarios valid for both SDKs, 0 with differences (real = {OLDER})"


def test_sdk_values_are_checked_by_pytest(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--sdk", "real@2.4", "--co")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*argument --sdk: expected double, real or real@X.Y.Z*"])


def test_an_unreachable_registry_is_one_usage_line(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(REGISTRY_ENV, "http://127.0.0.1:9/")
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--sdk", "real@2.4.5", "--scenario", "camera-denied"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.strip()]
    assert len(errors) == 1, result.stderr.str()
    assert errors[0].startswith(
        "ERROR: --sdk real@2.4.5: cannot install @zoom/videosdk 2.4.5: the npm registry http://127.0.0.1:9/ cannot be"
    )
    assert errors[0].endswith("; run once with the registry reachable")
    assert not (tmp_path / "cache" / "videosdk" / "2.4.5").exists()
