"""The screen picker worlds on a plain page with no SDK: what getDisplayMedia itself now does.

Measured on Debian's Chromium 156, headless: with no flag the picker never answers; the fake picker flag
picks a fake screen ("screen:-3:0", a 1280x720 monitor) but also allows every camera and microphone prompt;
`--use-fake-ui-for-media-stream=deny` refuses with NotAllowedError "Permission denied" (the answer the
media world script gives for a cancelled picker, here checked against Chromium's own)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from browser_world import CAPTURE, BrowserWorld
from playwright.sync_api import Page

from harness.faults import apply_fault, devices, media_world, plan_world, prepare_context
from harness.faults.network import NetworkController
from harness.participant import ParticipantPage
from harness.pool import BrowserPool
from harness.scenario.model import World
from harness.service.server import SessionService

pytestmark = pytest.mark.browser

# Shares the screen; answers the exception as "Name: message", or the track as the page sees it.
SHARE = """async options => {
    try {
        const stream = await navigator.mediaDevices.getDisplayMedia(options || {video: true});
        window.shared = stream;
        window.log = [];
        const track = stream.getVideoTracks()[0];
        track.addEventListener('ended', () => log.push('ended'));
        const {displaySurface, width, height} = track.getSettings();
        return {label: track.label, displaySurface, width, height, audio: stream.getAudioTracks().length};
    } catch (error) {
        return `${error.name}: ${error.message}`;
    }
}"""

# Whether getDisplayMedia settles within `ms` (a picker nobody answers never does).
SETTLES_WITHIN = """ms => Promise.race([
    navigator.mediaDevices.getDisplayMedia({video: true}).then(() => 'shared', e => e.name),
    new Promise(done => setTimeout(() => done('no answer'), ms)),
])"""


class ScreenWorld:
    """A plain page in a context prepared for a world that names the screen picker."""

    def __init__(self, world: BrowserWorld, pool: BrowserPool) -> None:
        self.world, self.pool = world, pool
        self.opened: list[ParticipantPage] = []

    def page(self, given: World) -> tuple[Page, ParticipantPage]:
        plan = plan_world(given)
        # The fake picker flag follows the screen permission (devices.launch_args).
        args = devices.launch_args(given.devices, given.device_counts, given.device_files, given.permissions)
        plan = dataclasses.replace(plan, launch_args=tuple(args))
        context = self.pool.get("chromium", plan.launch_args).new_context(permissions=list(plan.permissions))
        participant = ParticipantPage("me", "host", context, NetworkController(context, None), {}, plan)
        self.opened.append(participant)
        prepare_context(participant, plan, "/double/lib")
        page = participant.new_page()
        page.goto(f"{self.world.service.base_url}/pages/blank.html")
        return page, participant


@pytest.fixture
def screens(world: BrowserWorld, pool: BrowserPool) -> Iterator[ScreenWorld]:
    maker = ScreenWorld(world, pool)
    yield maker
    for participant in maker.opened:
        participant.close()


def test_without_an_answer_the_picker_stays_open(world: BrowserWorld) -> None:
    page, _ = world.page(World(), full=True)  # the full Chromium's picker (the shell's fake one always answers)
    assert page.evaluate(SETTLES_WITHIN, 1500) == "no answer"


def test_a_person_who_shares_gets_chromiums_fake_screen(screens: ScreenWorld) -> None:
    page, _ = screens.page(World(permissions={"screen": "granted"}))
    assert page.evaluate(SHARE) == {
        "label": "screen:-3:0",
        "displaySurface": "monitor",
        "width": 1280,
        "height": 720,
        "audio": 0,
    }
    assert page.evaluate(SHARE, {"video": True, "audio": True})["audio"] == 1


def test_a_cancelled_picker_is_chromiums_own_refusal(
    screens: ScreenWorld, pool: BrowserPool, service: SessionService
) -> None:
    page, _ = screens.page(World(permissions={"screen": "denied"}))
    scripted = page.evaluate(SHARE)
    # Chromium itself, told to refuse every prompt, says the same.
    browser = pool.get("chromium", (devices.FAKE_DEVICES, f"{media_world.FAKE_PICKER}=deny"))
    context = browser.new_context()
    try:
        own = context.new_page()
        own.goto(f"{service.base_url}/pages/blank.html")
        assert scripted == own.evaluate(SHARE) == "NotAllowedError: Permission denied"
    finally:
        context.close()
    assert page.evaluate(CAPTURE, "video") == "ok"  # the camera is not touched


def test_screen_recording_refused_by_the_system(screens: ScreenWorld) -> None:
    page, _ = screens.page(World(permissions={"screen": "denied-by-system"}))
    assert page.evaluate(SHARE) == "NotAllowedError: Permission denied by system"


def test_camera_denial_holds_next_to_a_shared_screen(screens: ScreenWorld) -> None:
    page, _ = screens.page(World(permissions={"screen": "granted", "camera": "denied"}))
    assert media_world.FAKE_PICKER in screens.opened[-1].plan.launch_args
    assert page.evaluate(CAPTURE, "video") == "NotAllowedError: Permission denied"
    assert page.evaluate("() => navigator.permissions.query({name: 'camera'}).then(s => s.state)") == "denied"
    assert page.evaluate(CAPTURE, "audio") == "ok"
    assert page.evaluate(SHARE)["label"] == "screen:-3:0"


def test_camera_revoked_mid_session_next_to_a_shared_screen(screens: ScreenWorld, world: BrowserWorld) -> None:
    page, participant = screens.page(World(permissions={"screen": "granted"}))
    assert page.evaluate(CAPTURE, "video") == "ok"
    apply_fault(participant, World(permissions={"camera": "denied"}), world.env())
    assert page.evaluate(CAPTURE, "video") == "NotAllowedError: Permission denied"
    apply_fault(participant, World(permissions={"camera": "granted"}), world.env())
    assert page.evaluate(CAPTURE, "video") == "ok"


def test_stop_sharing_from_the_browser_ends_the_shared_tracks(screens: ScreenWorld, world: BrowserWorld) -> None:
    page, participant = screens.page(World(permissions={"screen": "granted"}))
    page.evaluate(SHARE, {"video": True, "audio": True})
    assert page.evaluate(CAPTURE, "video") == "ok"
    page.evaluate("() => navigator.mediaDevices.getUserMedia({video: true}).then(s => window.camera = s)")
    apply_fault(participant, World(devices={"screen": "stopped"}), world.env())
    page.wait_for_function("() => log.includes('ended')", timeout=5000)
    assert page.evaluate("() => shared.getTracks().map(t => t.readyState)") == ["ended", "ended"]
    assert page.evaluate("() => camera.getTracks()[0].readyState") == "live"
    # The next share is picked again.
    assert page.evaluate(SHARE)["label"] == "screen:-3:0"


# Shows the share in a <video> as the SDK does; says whether `loadedmetadata` came within `ms`.
FIRST_FRAME_WITHIN = """async ms => {
    const video = document.createElement('video');
    video.muted = true;
    const loaded = new Promise(done => video.addEventListener('loadedmetadata', () => done('loadedmetadata')));
    video.srcObject = shared;
    video.play().catch(() => {});
    return Promise.race([loaded, new Promise(done => setTimeout(() => done('no frame'), ms))]);
}"""


def test_a_frozen_window_delivers_no_frame(screens: ScreenWorld, world: BrowserWorld) -> None:
    page, participant = screens.page(World(permissions={"screen": "granted"}))
    page.evaluate(SHARE)
    assert page.evaluate(FIRST_FRAME_WITHIN, 3000) == "loadedmetadata"
    apply_fault(participant, World(devices={"screen": "frozen"}), world.env())
    shared = page.evaluate(SHARE, {"video": True, "audio": True})
    assert shared["audio"] == 1
    assert page.evaluate("() => shared.getVideoTracks()[0].readyState") == "live"
    assert page.evaluate(FIRST_FRAME_WITHIN, 3000) == "no frame"
    # "Stop sharing" still ends it.
    apply_fault(participant, World(devices={"screen": "stopped"}), world.env())
    page.wait_for_function("() => log.includes('ended')", timeout=5000)


def test_no_get_display_media_stays_missing_under_the_screen_world(screens: ScreenWorld) -> None:
    page, _ = screens.page(World(permissions={"screen": "granted"}, platform={"get_display_media": False}))
    assert page.evaluate("() => 'getDisplayMedia' in navigator.mediaDevices") is False
