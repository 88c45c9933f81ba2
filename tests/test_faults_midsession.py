"""Mid-session faults and the rest of the `given` vocabulary, each checked on a plain page with no SDK:
what the browser itself now does."""

from __future__ import annotations

from typing import Any

import pytest
from browser_world import CAPTURE, INPUTS, BrowserWorld
from playwright.sync_api import Page

from harness.faults import apply_fault
from harness.scenario.model import HttpFault, NetworkConditions, SessionAction, WebSocketClose, World
from harness.service.server import SessionService
from harness.service.tokens import mint_token

pytestmark = pytest.mark.browser

LIVE_CAPTURE = """async kind => {
    window.log = [];
    const stream = await navigator.mediaDevices.getUserMedia({[kind]: true});
    window.track = stream.getTracks()[0];
    track.addEventListener('ended', () => log.push('ended'));
    navigator.mediaDevices.addEventListener('devicechange', () => log.push('devicechange'));
    return track.readyState;
}"""

OPEN_SESSION_SOCKET = """async token => {
    const answer = await (await fetch('/wc/lsdk', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({topic: 'net', signature: token, userName: 'alice'})})).json();
    window.inbox = []; window.closes = [];
    const ws = new WebSocket(`${answer.result.rwg}?joinToken=${answer.result.joinToken}`);
    window.ws = ws;
    ws.onclose = e => window.closes.push([e.code, e.reason]);
    // The join answer comes in frames, `joined`, `roster`, then the back end's voice-translator languages (or one
    // `join-failed`): wait past them.
    await new Promise(ok => ws.onmessage = e => {
        const frame = JSON.parse(e.data);
        if (frame.evt === 'join-failed' || frame.feature === 'voicetranslator') ok();
    });
    ws.onmessage = e => window.inbox.push(JSON.parse(e.data));
    return ws.readyState;
}"""

# Sends a ping and races its pong against a timer; says which came first.
PONG_VS_TIMER = """ms => new Promise(done => {
    const before = window.inbox.length;
    setTimeout(() => done('timer'), ms);
    const check = setInterval(() => { if (window.inbox.length > before) { clearInterval(check); done('pong'); } }, 5);
    window.ws.send(JSON.stringify({evt: 'ping', seq: 1}));
})"""


def session_socket(page: Page, service: SessionService) -> None:
    creds = service.new_credentials()
    assert page.evaluate(OPEN_SESSION_SOCKET, mint_token(creds.key, creds.secret, "net", 1)) == 1


def permission_state(page: Page, kind: str) -> Any:
    return page.evaluate("kind => navigator.permissions.query({name: kind}).then(s => s.state)", kind)


def test_permission_revoked_mid_session_ends_capture_and_reports_denied(world: BrowserWorld) -> None:
    page, participant = world.page(World(), full=True)  # the shell cannot refuse
    assert page.evaluate(LIVE_CAPTURE, "video") == "live"
    page.evaluate("() => navigator.permissions.query({name: 'camera'}).then(s => s.onchange = () => log.push(s.state))")
    apply_fault(participant, World(permissions={"camera": "denied"}), world.env())
    page.wait_for_function("() => log.includes('ended')", timeout=5000)
    assert permission_state(page, "camera") == "denied"
    assert "denied" in page.evaluate("() => log")
    assert page.evaluate(CAPTURE, "video") == "NotAllowedError: Permission denied"
    apply_fault(participant, World(permissions={"camera": "granted"}), world.env())
    assert permission_state(page, "camera") == "granted"
    assert page.evaluate(CAPTURE, "video") == "ok"


def test_prompt_dismissed_mid_session_answers_the_next_request(world: BrowserWorld) -> None:
    page, participant = world.page(World())
    apply_fault(participant, World(permissions={"microphone": "prompt-dismissed"}), world.env())
    assert page.evaluate(CAPTURE, "audio") == "NotAllowedError: Permission dismissed"
    assert page.evaluate(CAPTURE, "video") == "ok"


def test_camera_unplugged_mid_session(world: BrowserWorld) -> None:
    page, participant = world.page(World())
    assert page.evaluate(LIVE_CAPTURE, "video") == "live"
    apply_fault(participant, World(devices={"camera": "unplugged"}), world.env())
    page.wait_for_function("() => log.includes('devicechange')", timeout=5000)
    assert page.evaluate("() => [track.readyState, log.includes('ended')]") == ["ended", True]
    assert "videoinput" not in page.evaluate(INPUTS)
    assert page.evaluate(CAPTURE, "video") == "NotFoundError: Requested device not found"
    apply_fault(participant, World(devices={"camera": "present"}), world.env())
    assert "videoinput" in page.evaluate(INPUTS)
    assert page.evaluate(CAPTURE, "video") == "ok"


@pytest.mark.parametrize(("kind", "input_kind"), [("camera", "videoinput"), ("microphone", "audioinput")])
def test_device_stops_mid_session_ends_capture_and_stays_listed(
    world: BrowserWorld, kind: str, input_kind: str
) -> None:
    page, participant = world.page(World())
    track_kind = "video" if kind == "camera" else "audio"
    assert page.evaluate(LIVE_CAPTURE, track_kind) == "live"
    apply_fault(participant, World(devices={kind: "stops"}), world.env())
    page.wait_for_function("() => log.includes('ended')", timeout=5000)
    assert page.evaluate("() => [track.readyState, log.includes('devicechange')]") == ["ended", False]
    assert input_kind in page.evaluate(INPUTS)
    assert page.evaluate(CAPTURE, track_kind) == "ok"


# A live capture that logs what its track reports: `mute`, `unmute`, `ended`.
WATCHED_CAPTURE = """async kind => {
    window.log = [];
    const stream = await navigator.mediaDevices.getUserMedia({[kind]: true});
    window.track = stream.getTracks()[0];
    for (const name of ['mute', 'unmute', 'ended']) track.addEventListener(name, () => log.push(name));
    return track.muted;
}"""


@pytest.mark.parametrize(("kind", "state"), [("camera", "frozen"), ("microphone", "muted-by-system")])
def test_device_muted_by_the_system_mid_session_mutes_live_tracks(world: BrowserWorld, kind: str, state: str) -> None:
    page, participant = world.page(World())
    track_kind = "video" if kind == "camera" else "audio"
    assert page.evaluate(WATCHED_CAPTURE, track_kind) is False
    apply_fault(participant, World(devices={kind: state}), world.env())
    assert page.evaluate("() => [track.muted, track.readyState, log]") == [True, "live", ["mute"]]
    # A capture meanwhile is handed out muted, without a `mute` event (it never was unmuted).
    assert page.evaluate(WATCHED_CAPTURE, track_kind) is True
    assert page.evaluate("() => log") == []
    apply_fault(participant, World(devices={kind: "present"}), world.env())
    # Both live tracks (the first capture's and the muted one's) unmute.
    assert page.evaluate("() => [track.muted, log]") == [False, ["unmute", "unmute"]]
    assert page.evaluate(WATCHED_CAPTURE, track_kind) is False


# Frames of a clone of the captured camera track over `ms` of real time, and what the track says of its device.
CAMERA_FRAMES = """async ms => {
    if (!window.camera) window.camera = (await navigator.mediaDevices.getUserMedia({video: true})).getVideoTracks()[0];
    const reader = new MediaStreamTrackProcessor({track: camera.clone()}).readable.getReader();
    let frames = 0;
    const reading = (async () => { for (;;) { const {value, done} = await reader.read(); if (done) return; frames += 1; value.close(); } })();
    await new Promise(resolve => setTimeout(resolve, ms));
    reader.cancel();
    return {frames, state: camera.readyState, muted: camera.muted, device: camera.getSettings().deviceId,
            label: camera.label};
}"""


def test_frozen_camera_relayed_delivers_no_frame_until_present(world: BrowserWorld) -> None:
    page, participant = world.page(World(), relayed=("camera",))
    flowing = page.evaluate(CAMERA_FRAMES, 1000)
    assert flowing["frames"] > 0 and flowing["device"] and flowing["label"], "the device's frames, settings, label"
    apply_fault(participant, World(devices={"camera": "frozen"}), world.env())
    page.wait_for_timeout(200)  # frames already on their way
    frozen = page.evaluate(CAMERA_FRAMES, 1000)
    assert (frozen["frames"], frozen["state"], frozen["muted"]) == (0, "live", True)
    assert frozen["device"] == flowing["device"]
    apply_fault(participant, World(devices={"camera": "present"}), world.env())
    assert page.evaluate(CAMERA_FRAMES, 1000)["frames"] > 0
    page.evaluate("() => camera.stop()")
    assert page.evaluate("() => camera.readyState") == "ended"


def test_microphone_muted_by_the_system_before_the_page_loads(world: BrowserWorld) -> None:
    page, _ = world.page(World(devices={"microphone": "muted-by-system"}))
    assert page.evaluate(WATCHED_CAPTURE, "audio") is True
    assert page.evaluate(WATCHED_CAPTURE, "video") is False


def test_device_taken_by_another_program_mid_session(world: BrowserWorld) -> None:
    page, participant = world.page(World())
    assert page.evaluate(CAPTURE, "video") == "ok"
    apply_fault(participant, World(devices={"camera": "busy"}), world.env())
    assert page.evaluate(CAPTURE, "video") == "NotReadableError: Device in use"


def test_two_cameras(world: BrowserWorld) -> None:
    page, _ = world.page(World(device_counts={"camera": 2}))
    assert page.evaluate(INPUTS).count("videoinput") == 2
    assert page.evaluate(CAPTURE, "video") == "ok"


@pytest.mark.parametrize(
    ("capability", "check"),
    [
        ("get_display_media", "() => 'getDisplayMedia' in navigator.mediaDevices"),
        ("worker", "() => typeof Worker !== 'undefined'"),
        ("audio_worklet", "() => 'audioWorklet' in AudioContext.prototype || typeof AudioWorkletNode !== 'undefined'"),
        ("media_capabilities", "() => 'mediaCapabilities' in navigator"),
        ("offscreen_canvas", "() => typeof OffscreenCanvas !== 'undefined'"),
    ],
)
def test_each_platform_capability_can_be_removed(world: BrowserWorld, capability: str, check: str) -> None:
    page, _ = world.page(World())
    present = page.evaluate(check)
    removed, _ = world.page(World(platform={capability: False}))
    assert (present, removed.evaluate(check)) == (True, False)


def test_http_fault_status_then_restore(world: BrowserWorld) -> None:
    page, participant = world.page(World(http=(HttpFault("**/wc/lsdk*", status=502),)))
    post = "() => fetch('/wc/lsdk', {method: 'POST', body: '{}'}).then(r => r.status, e => e.name)"
    assert page.evaluate(post) == 502
    apply_fault(participant, World(http=(HttpFault("**/wc/lsdk*", restore=True),)), world.env())
    assert page.evaluate(post) == 200


def test_http_fault_abort_is_a_network_error(world: BrowserWorld) -> None:
    page, participant = world.page(World())
    apply_fault(participant, World(http=(HttpFault("**/pages/**", abort="namenotresolved"),)), world.env())
    fetched = "() => fetch('/pages/blank.html?x=1').then(r => r.status, e => `${e.name}: ${e.message}`)"
    assert page.evaluate(fetched) == "TypeError: Failed to fetch"


def test_websocket_closed_with_a_code(world: BrowserWorld, service: SessionService) -> None:
    page, participant = world.page(World())
    session_socket(page, service)
    apply_fault(participant, World(websocket=WebSocketClose("**/instantsdk/**", 4000, "gone")), world.env())
    page.wait_for_function("() => window.closes.length > 0", timeout=5000)
    assert page.evaluate("() => window.closes") == [[4000, "gone"]]


SOCKET_LOG = """async token => {
    const answer = await (await fetch('/wc/lsdk', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({topic: 'net', signature: token, userName: 'alice'})})).json();
    const log = [];
    const ws = new WebSocket(`${answer.result.rwg}?joinToken=${answer.result.joinToken}`);
    ws.onopen = () => log.push('open');
    ws.onmessage = e => log.push(JSON.parse(e.data).evt);
    return new Promise(done => { ws.onclose = e => done([...log, `close ${e.code}`]); setTimeout(() => done(log), 3000); });
}"""


def test_websocket_closed_at_the_next_connection_before_its_first_frame(
    world: BrowserWorld, service: SessionService
) -> None:
    page, participant = world.page(World())
    cut = WebSocketClose("**/instantsdk/**", 4000, "reset", at="next-connection")
    assert apply_fault(participant, World(websocket=cut), world.env()) == ["websocket"], "nothing open yet: armed"
    creds = service.new_credentials()
    assert page.evaluate(SOCKET_LOG, mint_token(creds.key, creds.secret, "net", 1)) == ["open", "close 4000"]
    # Only the next connection: the one after it is served as usual.
    assert page.evaluate(SOCKET_LOG, mint_token(creds.key, creds.secret, "net", 1))[:3] == ["open", "joined", "roster"]


def test_blackhole_holds_frames_without_closing(world: BrowserWorld, service: SessionService) -> None:
    page, participant = world.page(World(), shaped=True)
    session_socket(page, service)
    assert page.evaluate(PONG_VS_TIMER, 3000) == "pong"
    apply_fault(participant, World(network="blackhole"), world.env())
    assert page.evaluate(PONG_VS_TIMER, 800) == "timer"
    assert page.evaluate("() => [window.ws.readyState, window.closes.length, navigator.onLine]") == [1, 0, True]
    apply_fault(participant, World(network="online"), world.env())
    page.wait_for_function("() => window.inbox.length > 0", timeout=5000)
    assert page.evaluate("() => window.inbox[0].evt") == "pong"


def test_latency_delays_websocket_frames_and_http(world: BrowserWorld, service: SessionService) -> None:
    page, participant = world.page(World(), shaped=True)
    session_socket(page, service)
    apply_fault(participant, World(conditions=NetworkConditions(latency=0.4)), world.env())
    # A round trip now takes at least two one-way latencies: a 300ms timer fires before the pong.
    assert page.evaluate(PONG_VS_TIMER, 300) == "timer"
    page.wait_for_function("() => window.inbox.length > 0", timeout=5000)
    timed_fetch = """async () => { const t = performance.now();
        await fetch('/pages/blank.html?n=' + Math.random(), {cache: 'no-store'}); return performance.now() - t; }"""
    assert page.evaluate(timed_fetch) >= 400


def test_virtual_clock_runs_timers_only_when_advanced(world: BrowserWorld) -> None:
    page, participant = world.page(World(clock="virtual"))
    page.evaluate("() => { window.fired = []; setTimeout(() => fired.push('20s'), 20000); }")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.fired") == []
    participant.context.clock.run_for(20_000)
    assert page.evaluate("() => window.fired") == ["20s"]


def test_account_changes_reach_the_session_service(world: BrowserWorld, service: SessionService) -> None:
    """A session fault is the back end's own action: the service's state changes, the browser is untouched."""
    page, participant = world.page(World())
    env = world.env()
    creds_key = env.app_key
    token = mint_token(creds_key, service.state.credentials[creds_key].secret, "acct", 1)
    page.evaluate(OPEN_SESSION_SOCKET.replace("topic: 'net'", "topic: 'acct'"), token)
    apply_fault(participant, World(session=SessionAction(account={"max_participants": 1})), env)
    page.wait_for_function("() => window.inbox.some(m => m.evt === 'account-settings')", timeout=5000)
    settings = page.evaluate("() => window.inbox.find(m => m.evt === 'account-settings').settings")
    assert settings["max_participants"] == 1
