"""Chromium's headless shell for scenarios that capture nothing: which scenarios go there, where the shell is
found, and the guard that runs a scenario again on the full Chromium when a page asks to capture."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from harness.browsers import SHELL_ENV_VAR, FoundBrowser, find_headless_shell
from harness.errors import BrowserNotFound
from harness.light_browser import _call_may_capture, may_capture
from harness.scenario.loader import load_scenario, parse_scenario

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "harness" / "scenarios"
SYSTEM = FoundBrowser("/usr/bin/chromium", "system Chromium")


def scenario(steps: str, participants: str = "") -> bool:
    text = f"name: probe\nsummary: s\n{participants}steps:\n" + textwrap.indent(textwrap.dedent(steps), "  ")
    return may_capture(parse_scenario(text, "probe.yaml"))


@pytest.mark.parametrize(
    ("name", "captures"),
    [
        ("camera-denied", True),  # stream.startVideo
        ("no-microphone", True),  # a device world
        ("preview-camera-denied", True),  # the preview API
        ("removed-by-host", False),  # joins and a host action
        ("chat-public-only-private-message", False),
    ],
)
def test_catalog_scenarios_are_told_apart(name: str, captures: bool) -> None:
    assert may_capture(load_scenario(CATALOG / f"{name}.yaml")) is captures


def test_every_way_in_to_a_capture_counts() -> None:
    assert not scenario("- join: {topic: t}\n- call: chat.sendToAll\n  args: [hi]\n")
    assert scenario("- join: {topic: t}\n- click: '#start-video'\n")  # the app's own buttons
    assert scenario("- join: {topic: t}\n- together:\n  - call: stream.startAudio\n  - call: client.leave\n")
    assert scenario("- join: {topic: t}\n- fault: {devices: {camera: unplugged}}\n")
    assert scenario("- call: ZoomVideo.createLocalAudioTrack\n")  # the preview API
    assert not _call_may_capture("rtms.startRealTimeMediaStreams")
    assert _call_may_capture("whiteboard.shareCameraView")  # a future method named after media
    given = "given: {permissions: {camera: denied}}\n"
    assert scenario("- join: {topic: t}\n", given)


def test_the_shell_is_found_beside_a_system_chromium_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shell = tmp_path / "chromium-headless-shell"
    shell.write_text("#!/bin/sh\n")
    shell.chmod(0o755)
    monkeypatch.delenv(SHELL_ENV_VAR, raising=False)
    monkeypatch.setattr("harness.browsers.SHELL_PATHS", (str(shell),))
    assert find_headless_shell(SYSTEM) == str(shell)
    assert find_headless_shell(FoundBrowser("/opt/c/chrome", "set by --browser-executable")) is None
    monkeypatch.setenv(SHELL_ENV_VAR, "off")
    assert find_headless_shell(SYSTEM) is None
    monkeypatch.setenv(SHELL_ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(BrowserNotFound, match=f"{SHELL_ENV_VAR} names .*nowhere.*not an executable"):
        find_headless_shell(SYSTEM)


SHELL = find_headless_shell(SYSTEM) if os.path.exists(SYSTEM.executable or "") else None
REPORT = """
import harness.runner as runner

original = runner.ScenarioRun.run

def run(self):
    try:
        original(self)
    finally:
        print(f"\\nRUN {self.scenario.name} light={self.light} asked={self.capture_asked}")

runner.ScenarioRun.run = run
"""


@pytest.mark.browser
@pytest.mark.skipif(SHELL is None, reason="no Chromium headless shell on this machine")
def test_a_capture_on_the_shell_runs_the_scenario_again_on_full_chromium(pytester: pytest.Pytester) -> None:
    # Told that nothing captures, camera-denied goes to the shell, where startVideo would give NotSupportedError
    # and startAudio 6010: the guard notes getUserMedia, and the result comes from the full Chromium.
    pytester.makeconftest(REPORT + "\nrunner.may_capture = lambda scenario: False\n")
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "-s",
        "--scenario-dir",
        str(CATALOG),
        "--output",
        str(pytester.path / "out"),
        "--scenario",
        "camera-denied",
        "--scenario",
        "removed-by-host",
        timeout=120,
    )
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines_random(
        ["RUN camera-denied light=False asked=getUserMedia", "RUN removed-by-host light=True asked=None"]
    )
