"""The real @zoom/videosdk package in the sample app (`?sdk=real`, `?sdk=real@X.Y.Z`), offline, from the
per-user package cache (installed on demand; skipped when the npm registry cannot be reached to install it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page
from real_packages import OLDER, PINNED, package

from harness.faults.scripts import browser_script
from harness.paths import scenarios_dir
from harness.pool import BrowserPool
from harness.runner import SDK_EVENTS
from harness.scenario.sdk_surface import TARGETS
from harness.sdk_packages import installed_version
from harness.service.server import SessionService

pytestmark = [pytest.mark.browser]
ALL = {"audio": True, "video": True, "screen": True}
NONE = {"audio": False, "video": False, "screen": False}
OpenApp = Callable[..., Page]


@pytest.fixture
def open_app(pool: BrowserPool, service: SessionService) -> Iterator[OpenApp]:
    """Opens the sample app on the real SDK (`sdk`: real or real@X.Y.Z; or "double"), after the given classic scripts."""
    contexts: list[BrowserContext] = []

    def opener(sdk: str = "real", **scripts: Any) -> Page:
        if sdk != "double":
            package(sdk)
        context = pool.get("chromium", ()).new_context()
        contexts.append(context)
        for name, config in scripts.items():
            context.add_init_script(browser_script(f"{name}.js", config))
        page = context.new_page()
        page.goto(f"{service.base_url}/app/index.html?sdk={sdk}")
        page.wait_for_selector("body[data-ready]", state="attached")
        return page

    yield opener
    for context in contexts:
        context.close()


def test_the_installed_package_is_the_pinned_version() -> None:
    folder = package("real")
    assert installed_version(folder) == PINNED, f"{folder} holds {installed_version(folder)}"


@pytest.mark.parametrize("sdk", ["real", f"real@{OLDER}"])
def test_the_app_loads_the_real_umd_of_the_version_asked_for(open_app: OpenApp, sdk: str) -> None:
    page = open_app(sdk)
    assert page.get_attribute("body", "data-ready") == "1", page.text_content("#error")
    assert page.text_content("#sdk-kind") == sdk
    assert page.evaluate("() => WebVideoSDK.default.VERSION") == (PINNED if sdk == "real" else OLDER)
    assert page.evaluate("() => window.zmClient === WebVideoSDK.default.createClient()"), "the client is a singleton"


def test_a_version_not_installed_is_not_served(service: SessionService, open_app: OpenApp) -> None:
    page = open_app()
    status = page.evaluate("url => fetch(url).then(r => r.status)", f"{service.base_url}/sdk/real@0.0.1/index.umd.js")
    outside = page.evaluate("url => fetch(url).then(r => r.status)", f"{service.base_url}/sdk/real/..%2fpackage.json")
    assert (status, outside) == (404, 404)


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


# One method of each guard kind, as the 2.5.0 runtime decorates them: the in-session guard first ([cm, ...]), the
# host-or-manager check first ([pm, cm]), the host check first ([hm, cm], or [hm] alone), the target first. Before
# any join the guard's status is not joined, and role checks find no own record: the same answers as while a
# failover has reset the session (docs/fidelity.md, "Connection and reconnect").
GUARDED_BEFORE_JOIN = """async assets => {
    const client = window.zmClient;
    await client.init('en-US', assets, {patchJsMedia: true});
    const stream = client.getMediaStream();
    const subsession = client.getSubsessionClient();
    const calls = {
        'stream.startVideo': () => stream.startVideo(),
        'stream.switchSpeaker': () => stream.switchSpeaker('x'),
        'stream.subscribeAudioStatisticData': () => stream.subscribeAudioStatisticData(),
        'stream.muteAllAudio': () => stream.muteAllAudio(),
        'client.removeUser': () => client.removeUser(1),
        'client.leave(true)': () => client.leave(true),
        'client.makeHost': () => client.makeHost(1),
        'livestream.startLiveStream': () => client.getLiveStreamClient().startLiveStream('a', 'b', 'c'),
        'chat.sendToAll': () => client.getChatClient().sendToAll('hi'),
        'chat.setPrivilege': () => client.getChatClient().setPrivilege(1),
        'subsession.joinSubsession': () => subsession.joinSubsession('x'),
        'subsession.broadcast': () => subsession.broadcast('x'),
        'subsession.startBroadcastVoice': () => subsession.startBroadcastVoice(),
        'whiteboard.startWhiteboardScreen': () => client.getWhiteboardClient().startWhiteboardScreen(document.body),
    };
    const out = {};
    for (const [name, call] of Object.entries(calls)) {
        out[name] = await call().then(
            value => ({resolved: value}),
            error => ({plainObject: Object.getPrototypeOf(error) === Object.prototype, ...error}));
    }
    return out;
}"""


def test_the_guard_before_a_join_answers_and_rejects_as_the_real_sdk(
    open_app: OpenApp, service: SessionService
) -> None:
    answers = {
        sdk: open_app(sdk=sdk).evaluate(GUARDED_BEFORE_JOIN, f"{service.base_url}{assets}")
        for sdk, assets in (("real", "/sdk/real/lib"), ("double", "/double/lib"))
    }
    assert answers["double"] == answers["real"]
    real = answers["real"]
    assert all(answer["plainObject"] for answer in real.values()), "rejections are plain objects, not Errors"
    closed = {"plainObject": True, "type": "IMPROPER_MEETING_STATE", "reason": "closed", "errorCode": 5002}
    assert real["stream.startVideo"] == real["chat.sendToAll"] == real["subsession.joinSubsession"] == closed
    assert real["stream.muteAllAudio"]["errorCode"] == real["subsession.broadcast"]["errorCode"] == 5006
    assert real["client.leave(true)"]["errorCode"] == real["subsession.startBroadcastVoice"]["errorCode"] == 5007
    assert real["client.makeHost"] == {"plainObject": True, "type": "INVALID_PARAMETERS", "reason": "no matching user"}


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
    """The pinned version and an older one, in one run (--sdk is repeatable): each its own variant."""
    sdks = ("real", f"real@{OLDER}")
    for sdk in sdks:
        package(sdk)
    names = [arg for name in (*BOTH, "camera-denied") for arg in ("--scenario", name)]
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-v", "-rs", "--scenario-dir", str(scenarios_dir()),
        "--output", str(pytester.path / "out"), *(arg for sdk in sdks for arg in ("--sdk", sdk)), *names,
        timeout=240,
    )  # fmt: skip
    result.assert_outcomes(passed=len(BOTH) * len(sdks), skipped=len(sdks))
    result.stdout.fnmatch_lines_random(
        [
            *(f"*{name}?chromium-{sdk}? PASSED*" for name in BOTH for sdk in sdks),
            "*camera-denied*needs Zoom*ZOOM_VIDEO_SDK_KEY*",
        ]
    )
    for sdk in sdks:
        [init] = (pytester.path / "out").glob(f"*assets-blocked-chromium-{sdk.replace('@', '-')}")
        assert f"/sdk/{sdk}/lib" in (init / "events.jsonl").read_text(), f"init was given {sdk}'s dependent assets"
