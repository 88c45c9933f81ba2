"""Chromium's headless shell for scenarios whose permissions are all granted: which scenarios go there, where
the shell is found, and the guard that runs a scenario again on the full Chromium when a page asks the shell for
a screen it was not granted."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from harness.browsers import SHELL_ENV_VAR, FoundBrowser, find_headless_shell
from harness.errors import BrowserNotFound
from harness.light_browser import GUARD_SCRIPT, guard_script, needs_full_chromium
from harness.scenario.loader import load_scenario, parse_scenario
from harness.scenario.model import World

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "harness" / "scenarios"
SYSTEM = FoundBrowser("/usr/bin/chromium", "system Chromium")


def full(steps: str, given: str = "") -> bool:
    text = f"name: probe\nsummary: s\n{given}steps:\n" + textwrap.indent(textwrap.dedent(steps), "  ")
    return needs_full_chromium(parse_scenario(text, "probe.yaml"))


@pytest.mark.parametrize(
    ("name", "on_full"),
    [
        ("camera-denied", True),  # a refused camera: only the full Chromium refuses it
        ("mic-permission-dismissed", True),  # a dismissed prompt
        ("steer-camera-out-of-range", False),  # pan/tilt/zoom granted to the context, as on the full Chromium
        ("no-microphone", False),  # a missing device, everything granted
        ("share-started-twice", False),  # the screen granted: the full Chromium uses the same fake prompt
        ("removed-by-host", False),
    ],
)
def test_catalog_scenarios_are_told_apart(name: str, on_full: bool) -> None:
    assert needs_full_chromium(load_scenario(CATALOG / f"{name}.yaml")) is on_full


def test_a_permission_anywhere_sends_the_scenario_to_the_full_chromium() -> None:
    assert not full("- join: {topic: t}\n- call: stream.startVideo\n")
    assert not full("- join: {topic: t}\n", "given: {permissions: {camera: granted, microphone: granted}}\n")
    assert full("- join: {topic: t}\n", "given: {permissions: {microphone: denied}}\n")
    assert full("- join: {topic: t}\n- fault: {permissions: {camera: denied}}\n")  # revoked mid-session
    participants = "participants:\n  a: {role: host}\n  b: {role: attendee, given: {permissions: {camera: denied}}}\n"
    assert full("- join: {topic: t}\n", participants)


def test_the_guard_watches_the_screen_picker_unless_the_screen_is_granted() -> None:
    assert guard_script(World()) == GUARD_SCRIPT
    assert "getDisplayMedia" in GUARD_SCRIPT and "getUserMedia" not in GUARD_SCRIPT
    assert guard_script(World(permissions={"screen": "granted"})) is None


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
FORCED = """
import harness.runner as runner

original = runner.ScenarioRun.run

def run(self):
    try:
        original(self)
    finally:
        print(f"\\nRUN {self.scenario.name} light={self.light} asked={self.capture_asked}")

runner.ScenarioRun.run = run
runner.needs_full_chromium = lambda scenario: False  # every scenario to the shell first
"""


@pytest.mark.browser
@pytest.mark.skipif(SHELL is None, reason="no Chromium headless shell on this machine")
def test_the_rule_and_the_guard_hold_on_a_real_shell(pytester: pytest.Pytester) -> None:
    # Everything forced onto the shell. A refused screen picker: the guard notes getDisplayMedia and the 6200
    # comes from the full Chromium. A refused camera: the shell's fake prompt grants it, startVideo resolves and
    # the scenario fails, which is why such a scenario is never sent there. A host action: passes on the shell.
    pytester.makeconftest(FORCED)
    result = pytester.runpytest_subprocess(
        *("-p", "no:cacheprovider", "-s", "--scenario-dir", str(CATALOG), "--output", str(pytester.path / "out")),
        *("--scenario", "share-cancelled-by-user", "--scenario", "camera-denied", "--scenario", "removed-by-host"),
        timeout=120,
    )
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines_random(
        [
            "RUN share-cancelled-by-user light=False asked=getDisplayMedia",
            "RUN camera-denied light=True asked=None",
            "RUN removed-by-host light=True asked=None",
            "*expected a rejection with 6100 VIDEO_CAMERA_PERMISSION_DENIED*",
        ]
    )


class FakeChromium:
    def __init__(self) -> None:
        self.launches: list[dict[str, object]] = []

    def launch(self, **options: object) -> str:
        self.launches.append(options)
        return "browser"


def test_playwright_s_own_chromium_is_launched_as_its_full_build(monkeypatch: pytest.MonkeyPatch) -> None:
    # Headless and without a channel, Playwright would start its headless shell, which cannot capture as a
    # context's permissions say: the full build is asked for by channel, the shell only for the light runs.
    from harness.pool import BrowserPool

    fake = FakeChromium()
    pool = BrowserPool(type("P", (), {"chromium": fake})(), None, headless=True)  # type: ignore[arg-type]
    monkeypatch.setattr(pool, "found", lambda: FoundBrowser(None, "managed by Playwright"))
    monkeypatch.setattr(pool, "headless_shell", lambda: None)
    pool.get("chromium", ())
    assert fake.launches[-1]["channel"] == "chromium" and fake.launches[-1]["executable_path"] is None
    monkeypatch.setattr(pool, "found", lambda: SYSTEM)
    pool.get("chromium", ("--mute-audio",))
    assert fake.launches[-1]["channel"] is None and fake.launches[-1]["executable_path"] == SYSTEM.executable


def test_a_world_that_asks_for_the_fake_picker_shares_the_shell_of_one_that_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The shell always runs with the fake picker, so asking for it again must not launch a second shell.
    from harness.pool import BrowserPool

    class Connected(FakeChromium):
        def launch(self, **options: object) -> object:
            self.launches.append(options)
            return type("B", (), {"is_connected": lambda self: True})()

    fake = Connected()
    pool = BrowserPool(type("P", (), {"chromium": fake})(), None, headless=True)  # type: ignore[arg-type]
    monkeypatch.setattr(pool, "found", lambda: SYSTEM)
    monkeypatch.setattr(pool, "headless_shell", lambda: "/usr/lib/chromium/chromium-headless-shell")
    plain = pool.get("chromium", ("--use-fake-device-for-media-stream",), light=True)
    picker = pool.get("chromium", ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"), light=True)
    assert picker is plain and len(fake.launches) == 1
    args = fake.launches[0]["args"]
    assert isinstance(args, list) and args.count("--use-fake-ui-for-media-stream") == 1
    assert args[-1] == "--use-fake-ui-for-media-stream", "the shell's own flag last: Chromium keeps a flag's last value"
    pool.get("chromium", ("--use-fake-ui-for-media-stream",))  # a full Chromium keeps the picker it asks for
    assert "--use-fake-ui-for-media-stream" in fake.launches[-1]["args"]  # type: ignore[operator]
    full = pool.get("chromium", ("--use-fake-device-for-media-stream",))
    assert full is not plain and "--use-fake-ui-for-media-stream" not in fake.launches[-1]["args"]  # type: ignore[operator]
