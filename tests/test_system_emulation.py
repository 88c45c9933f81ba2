"""`given.system`: the browser itself reports the chosen computer, before the page's first script runs."""

from __future__ import annotations

import pytest
from browser_world import BrowserWorld

from harness import ScenarioInputError
from harness.faults import system
from harness.scenario.loader import parse_scenario
from harness.scenario.model import World

pytestmark = pytest.mark.browser

REPORT = """() => ({
  ua: navigator.userAgent,
  cores: navigator.hardwareConcurrency,
  mobile: navigator.userAgentData ? navigator.userAgentData.mobile : null,
  platform: navigator.userAgentData ? navigator.userAgentData.platform : null,
})"""


def test_macos_with_one_core(world: BrowserWorld) -> None:
    page, _ = world.page(World(system={"os": "macos", "cpu_cores": 1}))
    report = page.evaluate(REPORT)
    assert "Macintosh; Intel Mac OS X" in report["ua"]
    assert report["cores"] == 1
    assert report["mobile"] is False
    # The override outlives a navigation (it is the browser's setting, not a page script).
    page.reload()
    assert page.evaluate(REPORT)["cores"] == 1


def test_android_is_a_mobile_browser(world: BrowserWorld) -> None:
    page, _ = world.page(World(system={"os": "android"}))
    report = page.evaluate(REPORT)
    assert "Android" in report["ua"] and "Mobile" in report["ua"]
    assert report["mobile"] is True and report["platform"] == "Android"
    assert page.evaluate("() => navigator.maxTouchPoints") > 0


def test_without_system_the_browser_reports_itself(world: BrowserWorld) -> None:
    page, _ = world.page(World())
    report = page.evaluate(REPORT)
    assert "Linux" in report["ua"] and report["mobile"] is False
    assert report["cores"] >= 1


@pytest.mark.parametrize("browser", ["chromium", "firefox"])
@pytest.mark.parametrize("os", ["windows", "macos", "linux", "chromeos", "android", "ios"])
def test_user_agent_names_the_system_and_the_browser_version(os: str, browser: str) -> None:
    ua = system.user_agent(os, browser, "156.0.8078.108")
    assert ua.startswith("Mozilla/5.0 (")
    assert "156.0" in ua
    assert ("Mobile" in ua) == (os in system.MOBILE)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("system: {os: beos}", "unknown system.os 'beos'"),
        ("system: {cpu_cores: 0}", "system.cpu_cores is a number of cores, 1 to 128"),
        ("system: {gpu: none}", "'gpu'"),
    ],
)
def test_bad_system_is_one_clear_message(given: str, message: str) -> None:
    with pytest.raises(ScenarioInputError) as caught:
        parse_scenario(f"name: x\ngiven:\n  {given}\nsteps:\n  - open: {{}}\n", "x.yaml")
    assert message in str(caught.value)
