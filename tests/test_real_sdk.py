"""The real @zoom/videosdk package in the sample app (`?sdk=real`), offline, when `npm ci` installed it in fixtures/."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from harness.faults.scripts import browser_script
from harness.paths import REPO_ROOT, real_sdk_dir, real_sdk_version, scenarios_dir
from harness.pool import BrowserPool
from harness.runner import SDK_EVENTS
from harness.scenario.sdk_surface import TARGETS
from harness.service.server import SessionService

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        real_sdk_dir() is None,
        reason="the real @zoom/videosdk package is not installed: run `npm ci` in fixtures/ (needs node and npm)",
    ),
]
PINNED = json.loads((REPO_ROOT / "fixtures" / "package.json").read_text(encoding="utf-8"))["dependencies"][
    "@zoom/videosdk"
]
ALL = {"audio": True, "video": True, "screen": True}
NONE = {"audio": False, "video": False, "screen": False}
OpenApp = Callable[..., Page]


@pytest.fixture
def open_app(pool: BrowserPool, service: SessionService) -> Iterator[OpenApp]:
    """Opens the sample app on the real SDK, after the given classic scripts (name -> config)."""
    contexts: list[BrowserContext] = []

    def opener(**scripts: Any) -> Page:
        context = pool.get("chromium", ()).new_context()
        contexts.append(context)
        for name, config in scripts.items():
            context.add_init_script(browser_script(f"{name}.js", config))
        page = context.new_page()
        page.goto(f"{service.base_url}/app/index.html?sdk=real")
        page.wait_for_selector("body[data-ready]", state="attached")
        return page

    yield opener
    for context in contexts:
        context.close()


def test_the_installed_package_is_the_pinned_version() -> None:
    assert real_sdk_version() == PINNED, f"fixtures/node_modules holds {real_sdk_version()}: run `npm ci` in fixtures/"


def test_the_app_loads_the_real_umd(open_app: OpenApp) -> None:
    page = open_app()
    assert page.get_attribute("body", "data-ready") == "1", page.text_content("#error")
    assert page.text_content("#sdk-kind") == "real"
    assert page.evaluate("() => WebVideoSDK.default.VERSION") == PINNED
    assert page.evaluate("() => window.zmClient === WebVideoSDK.default.createClient()"), "the client is a singleton"


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ({}, ALL),
        ({"webassembly": False}, NONE),
        ({"worker": False}, NONE),
        ({"media_capabilities": False}, {**ALL, "video": False}),
        ({"get_display_media": False}, {**ALL, "screen": False}),
    ],
    ids=["everything", "no-webassembly", "no-worker", "no-media-capabilities", "no-getdisplaymedia"],
)
def test_check_system_requirements_reads_the_platform(
    open_app: OpenApp, platform: dict[str, bool], expected: dict[str, bool]
) -> None:
    page = open_app(platform=platform)
    assert page.evaluate("() => WebVideoSDK.default.checkSystemRequirements()") == expected


def test_check_system_requirements_throws_without_media_devices(open_app: OpenApp) -> None:
    """What a plain-http LAN origin gives: a raw TypeError, not an answer (the app must check isSecureContext)."""
    page = open_app(platform={"media_devices": False})
    thrown = page.evaluate(
        "() => { try { WebVideoSDK.default.checkSystemRequirements(); return null; }"
        " catch (error) { return `${error.name}: ${error.message}`; } }"
    )
    assert thrown == "TypeError: Cannot use 'in' operator to search for 'getDisplayMedia' in undefined"


PROBE = {
    "events": list(SDK_EVENTS),
    "methods": {target: list(names) for target, names in TARGETS.items()},
    "clientExpression": "window.zmClient",
    "clientSource": "probe",
}


def test_the_probe_adopts_the_client_as_the_app_creates_it(open_app: OpenApp) -> None:
    page = open_app(probe=PROBE)
    kinds = page.evaluate("() => window.__harness.drain().map(record => record.kind)")
    assert "client" in kinds, "no client record before any harness call"


def test_the_probe_records_the_apps_preview_calls_and_steps_reach_its_track(open_app: OpenApp) -> None:
    """The package's namespace is a class with static methods, its tracks class instances: the app's own calls
    to both are recorded, and `localVideoTrack` is the track the app made last."""
    page = open_app(probe=PROBE)
    page.evaluate("() => { window.appTrack = WebVideoSDK.default.createLocalVideoTrack('app-camera'); }")
    page.evaluate("() => window.__harness.start(1, 'localVideoTrack.stop', [])")
    page.wait_for_function("() => window.__harness.result(1)")
    assert page.evaluate("() => window.__harness.result(1)")["error"]["message"] == "VideoNotStartedError"
    calls = page.evaluate("() => window.__harness.drain().filter(record => record.kind !== 'client')")
    made = [(c["kind"], c["target"], c["method"], c["step"]) for c in calls]
    assert ("call", "ZoomVideo", "createLocalVideoTrack", None) in made, made
    assert ("settle", "localVideoTrack", "stop", 1) in made, made
    assert page.evaluate("() => window.appTrack.deviceId") == "app-camera"


BOTH = ("media-before-join", "join-topic-too-long", "assets-blocked")


def test_scenarios_marked_for_both_sdks_pass_on_the_real_one(pytester: pytest.Pytester) -> None:
    names = [arg for name in (*BOTH, "camera-denied") for arg in ("--scenario", name)]
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "-v",
        "-rs",
        "--scenario-dir",
        str(scenarios_dir()),
        "--output",
        str(pytester.path / "out"),
        "--sdk",
        "real",
        *names,
        timeout=240,
    )
    result.assert_outcomes(passed=len(BOTH), skipped=1)
    result.stdout.fnmatch_lines_random(
        [*(f"*{name}?chromium? PASSED*" for name in BOTH), "*camera-denied*needs Zoom*ZOOM_VIDEO_SDK_KEY*"]
    )
    init = next((pytester.path / "out").glob("*assets-blocked*")) / "events.jsonl"
    assert "/sdk/real/lib" in init.read_text(), "init was given the real package's dependent assets"
