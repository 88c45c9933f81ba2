"""Each fault is a real browser condition: checked on a plain page with no SDK at all."""

from __future__ import annotations

import time
from typing import Any

import pytest
from browser_world import CAPTURE, INPUTS, BrowserWorld
from playwright.sync_api import Error as PlaywrightError

from harness.faults.media_world import update_media_world
from harness.scenario.model import World
from harness.service.server import SessionService
from harness.service.tokens import mint_token

pytestmark = pytest.mark.browser


def test_normal_world_captures_both(world: BrowserWorld) -> None:
    page, _ = world.page(World())
    assert page.evaluate(CAPTURE, "video") == "ok"
    assert page.evaluate(CAPTURE, "audio") == "ok"


def test_camera_denied_is_chromiums_own_refusal(world: BrowserWorld) -> None:
    page, _ = world.page(World(permissions={"camera": "denied"}))
    assert page.evaluate(CAPTURE, "video") == "NotAllowedError: Permission denied"
    assert page.evaluate(CAPTURE, "audio") == "ok"
    assert page.evaluate("() => navigator.permissions.query({name: 'camera'}).then(s => s.state)") == "denied"


def test_microphone_absent_while_camera_present(world: BrowserWorld) -> None:
    page, _ = world.page(World(devices={"microphone": "absent"}))
    assert page.evaluate(CAPTURE, "audio") == "NotFoundError: Requested device not found"
    assert page.evaluate(CAPTURE, "video") == "ok"
    assert "audioinput" not in page.evaluate(INPUTS) and "videoinput" in page.evaluate(INPUTS)


def test_unlisted_camera_captures_but_is_left_out_of_the_list(world: BrowserWorld) -> None:
    page, _ = world.page(World(devices={"camera": "unlisted"}))
    assert page.evaluate(CAPTURE, "video") == "ok"
    assert "videoinput" not in page.evaluate(INPUTS) and "audioinput" in page.evaluate(INPUTS)


DROP_AS_STARTED = """async () => {
    const ids = async () => (await navigator.mediaDevices.enumerateDevices())
        .filter(d => d.kind === 'videoinput').map(d => d.deviceId);
    const before = await ids();
    const changed = new Promise(resolve => navigator.mediaDevices.addEventListener('devicechange', resolve, {once: true}));
    const stream = await navigator.mediaDevices.getUserMedia({video: {deviceId: {exact: before[1]}}});
    const track = stream.getVideoTracks()[0];
    const ended = new Promise(resolve => track.addEventListener('ended', resolve, {once: true}));
    const atResolve = await ids();
    await Promise.all([changed, ended]);
    return {before: before.length, started: track.getSettings().deviceId === before[1],
            listed: atResolve.includes(before[1]), others: atResolve.length, state: track.readyState};
}"""


def test_camera_that_drops_when_started_leaves_the_list_before_the_page_hears(world: BrowserWorld) -> None:
    page, participant = world.page(World(devices={"camera": "drops-when-started"}, device_counts={"camera": 2}))
    seen = page.evaluate(DROP_AS_STARTED)
    assert seen == {"before": 2, "started": True, "listed": False, "others": 1, "state": "ended"}
    update_media_world(participant, {"camera": {"device": "present"}})
    assert page.evaluate(INPUTS).count("videoinput") == 2, "plugged back in, it is listed again"
    assert page.evaluate(CAPTURE, "video") == "ok"


def test_camera_absent_uses_chromiums_device_count(world: BrowserWorld) -> None:
    page, _ = world.page(World(devices={"camera": "absent"}))
    assert page.evaluate(CAPTURE, "video") == "NotFoundError: Requested device not found"
    assert page.evaluate(CAPTURE, "audio") == "ok"


@pytest.mark.parametrize(
    ("world_spec", "kind", "expected"),
    [
        (World(devices={"microphone": "busy"}), "audio", "NotReadableError: Device in use"),
        (World(permissions={"microphone": "prompt-dismissed"}), "audio", "NotAllowedError: Permission dismissed"),
        (World(permissions={"camera": "denied-by-system"}), "video", "NotAllowedError: Permission denied by system"),
    ],
)
def test_scripted_media_conditions_use_chromiums_exact_exceptions(
    world: BrowserWorld, world_spec: World, kind: str, expected: str
) -> None:
    page, _ = world.page(world_spec)
    assert page.evaluate(CAPTURE, kind) == expected


def test_platform_capabilities_removed_before_page_scripts(world: BrowserWorld) -> None:
    page, _ = world.page(World(platform={"webassembly": False, "media_devices": False}))
    assert page.evaluate("() => [typeof WebAssembly, 'mediaDevices' in navigator]") == ["undefined", False]


def test_webgl_removed_in_the_browser(world: BrowserWorld) -> None:
    webgl = "() => [!!document.createElement('canvas').getContext('webgl'), typeof WebGLRenderingContext]"
    page, _ = world.page(World())
    assert page.evaluate(webgl) == [True, "function"], "this headless Chromium has a software WebGL by default"
    page, _ = world.page(World(platform={"webgl": False}))
    assert page.evaluate(webgl)[0] is False


SHARED_MEMORY = """sizes => sizes.map(([initial, maximum]) => {
    try { return new WebAssembly.Memory({initial, maximum, shared: true}).buffer.byteLength; }
    catch (error) { return `${error.name}: ${error.message}`; }
})"""


def test_large_wasm_memory_refused_by_the_browser(world: BrowserWorld) -> None:
    sizes = [[1024, 32000], [1024, 16384], [1024, 8192], [17, 32000]]
    refused = "RangeError: WebAssembly.Memory(): could not allocate memory"
    page, _ = world.page(World())
    assert page.evaluate(SHARED_MEMORY, sizes) == [64 << 20, 64 << 20, 64 << 20, 17 << 16]
    page, _ = world.page(World(platform={"large_wasm_memory": False}))
    assert page.evaluate(SHARED_MEMORY, sizes) == [refused, refused, refused, 17 << 16], "smaller memories still work"


PLAYBACK = (
    "() => new Promise(done => { const context = new AudioContext(); "
    "setTimeout(() => done([context.state, navigator.userActivation.hasBeenActive]), 300); })"
)


def test_autoplay_blocked_until_the_person_interacts(world: BrowserWorld) -> None:
    _, participant = world.page(World(platform={"autoplay": False}))
    assert participant.plan.gesture_free
    assert participant.evaluate(PLAYBACK) == ["suspended", False], "the harness's own call is no user gesture"
    page, _ = world.page(World())
    assert page.evaluate(PLAYBACK) == ["running", True], "Playwright's evaluate counts as one"


def test_gesture_free_evaluate_reports_a_throw(world: BrowserWorld) -> None:
    _, participant = world.page(World(platform={"autoplay": False}))
    assert participant.evaluate("value => value.n + 1", {"n": 41}) == 42
    with pytest.raises(PlaywrightError, match="boom"):
        participant.evaluate("() => { throw new Error('boom'); }")


def test_assets_blocked_answer_404(world: BrowserWorld) -> None:
    page, _ = world.page(World(assets="blocked"))
    status = page.evaluate("() => fetch('/double/lib/js_media.min.js').then(r => r.status)")
    assert status == 404
    assert page.evaluate("() => fetch('/pages/blank.html').then(r => r.status)") == 200


def test_offline_cuts_open_sockets_on_both_sides(world: BrowserWorld, service: SessionService) -> None:
    page, participant = world.page(World())
    creds = service.new_credentials()
    token = mint_token(creds.key, creds.secret, "cut", 1)
    opened: Any = page.evaluate(
        """async token => {
            const answer = await (await fetch('/wc/lsdk', {method: 'POST', headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({topic: 'cut', signature: token, userName: 'alice'})})).json();
            window.closes = [];
            const ws = new WebSocket(`${answer.result.rwg}?joinToken=${answer.result.joinToken}`);
            ws.onclose = e => window.closes.push(e.code);
            return new Promise(ok => ws.onmessage = e => ok(JSON.parse(e.data).evt));
        }""",
        token,
    )
    assert opened == "joined"
    participant.network.set_state("offline")
    page.wait_for_function("() => window.closes.length > 0", timeout=5000)
    assert page.evaluate("() => [navigator.onLine, window.closes]") == [False, [1006]]
    fresh = "() => fetch('/pages/blank.html?n=' + Math.random(), {cache: 'no-store'})"
    assert page.evaluate(fresh + ".then(() => 'ok', e => e.name)") == "TypeError"
    deadline = time.monotonic() + 5
    state: list[Any] = []
    while time.monotonic() < deadline and not state:
        state = [r for r in service.snapshot() if r["topic"] == "cut" and r["participants"][0]["isInFailover"]]
        page.wait_for_timeout(50)
    assert state, "the service saw the socket close, as a peer would on a real network loss"
    participant.network.set_state("online")
    assert page.evaluate(fresh + ".then(r => r.status)") == 200


SOCKET = """url => new Promise(done => {
  const socket = new WebSocket(url);
  socket.onopen = () => { socket.close(); done('open'); };
  socket.onclose = (event) => done(`closed ${event.code}`);
})"""


def test_firewall_refuses_the_media_server_and_nothing_else(world: BrowserWorld) -> None:
    page, participant = world.page(World(firewall={"media": "blocked"}))
    media = f"ws://127.0.0.1:{world.service.media_port}/wc/media/video"
    assert page.evaluate(SOCKET, media) == "closed 1006"
    # The page itself and its other requests still go through the same network path.
    assert page.evaluate("() => fetch('/pages/blank.html').then(r => r.status)") == 200
    assert participant.network.path is not None and participant.network.path.connections > 0
    participant.network.set_firewall({"media": "open"})
    assert page.evaluate(SOCKET, media) == "open"


PTZ = """() => navigator.mediaDevices.getUserMedia({video: true}).then(stream => {
  const track = stream.getVideoTracks()[0];
  const found = ['pan', 'tilt', 'zoom'].filter(name => name in track.getCapabilities());
  track.stop();
  return found;
})"""


def test_pan_tilt_zoom_permission_shows_chromiums_fake_camera_as_steerable(world: BrowserWorld) -> None:
    page, _ = world.page(World())
    assert page.evaluate(PTZ) == [], "without the permission a page sees a plain webcam"
    page, _ = world.page(World(permissions={"camera_pan_tilt_zoom": "granted"}))
    assert page.evaluate(PTZ) == ["pan", "tilt", "zoom"]
    query = "() => navigator.permissions.query({name: 'camera', panTiltZoom: true}).then(s => s.state)"
    assert page.evaluate(query) == "granted"
