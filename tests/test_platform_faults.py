"""Platform keys the browser itself removes (launch flags, prefs), and the gesture-free page they may need."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from harness.errors import HarnessError
from harness.faults import firefox, plan_world
from harness.faults.network import NetworkController
from harness.faults.plan import routes_sockets, unsupported
from harness.scenario.model import WebSocketClose, World


def test_webgl_is_a_launch_flag_and_a_pref_not_a_page_script() -> None:
    world = World(platform={"webgl": False, "webassembly": False})
    chromium = plan_world(world)
    assert "--disable-3d-apis" in chromium.launch_args
    assert all("webgl" not in script for script in chromium.init_scripts), "platform.js leaves WebGL alone"
    assert any('"webassembly": false' in script for script in chromium.init_scripts)
    assert plan_world(world, browser="firefox").firefox_prefs["webgl.disabled"] is True
    assert "--disable-3d-apis" not in plan_world(World()).launch_args


def test_large_wasm_memory_false_is_v8s_page_limit_in_chromium_only() -> None:
    plan = plan_world(World(platform={"large_wasm_memory": False}))
    assert "--js-flags=--wasm-max-mem-pages=1023" in plan.launch_args
    assert all("large_wasm_memory" not in script for script in plan.init_scripts), "not a page script"
    assert not any(arg.startswith("--js-flags") for arg in plan_world(World()).launch_args)
    assert "pref" in (firefox.unsupported(World(platform={"large_wasm_memory": False}), mid_session=False) or "")


def test_page_cross_origin_isolated_is_planned() -> None:
    assert plan_world(World(page="cross-origin-isolated")).isolated
    assert not plan_world(World(page="plain")).isolated
    assert not plan_world(World()).isolated


def test_autoplay_false_sets_chromiums_policy_and_a_gesture_free_page() -> None:
    plan = plan_world(World(platform={"autoplay": False}))
    assert "--autoplay-policy=document-user-activation-required" in plan.launch_args
    assert plan.gesture_free
    assert not plan_world(World(platform={"autoplay": True})).gesture_free
    assert not plan_world(World()).gesture_free


def test_audio_output_false_is_firefoxs_null_audio_backend_and_chromium_skips_it() -> None:
    world = World(platform={"audio_output": False})
    assert plan_world(world, browser="firefox").firefox_prefs["media.cubeb.force_null_context"] is True
    assert all("audio_output" not in script for script in plan_world(world).init_scripts), "not a page script"
    assert unsupported("firefox", world, mid_session=False) is None
    reason = unsupported("chromium", world, mid_session=False)
    assert reason is not None and "fake output" in reason
    assert unsupported("chromium", World(platform={"audio_output": True}), mid_session=False) is None
    assert "media.cubeb.force_null_context" not in plan_world(World(), browser="firefox").firefox_prefs


CATALOG = Path(__file__).resolve().parents[1] / "harness" / "scenarios"


@pytest.mark.browser
def test_104_comes_from_a_context_that_never_runs_and_not_from_a_running_one(pytester: pytest.Pytester) -> None:
    """The catalog's 104 on Firefox with no audio output; the same call on Chromium, whose AudioContext runs (a
    capturing page may play audio), gives no 104 however long the clock runs."""
    text = (CATALOG / "browser-without-audio-output.yaml").read_text()
    control = text.replace("name: browser-without-audio-output", "name: audio-output-present")
    control = control.replace("browsers: [firefox]", "browsers: [chromium]").replace(
        "platform: {audio_output: false}\n", ""
    )
    start, end = control.index("  - advance_clock: 1s"), control.index("  - advance_clock: 29s")
    control = control[:start] + control[end:].replace("advance_clock: 29s", "advance_clock: 60s")
    # The clock has run a minute by then: a 104 would be there already, so the real wait for it is short.
    step = "  - wait_for_event:\n      name: active-media-failed\n"
    control = control.replace(step, step.replace("  - ", "  - within: 2s\n    "))
    (pytester.path / "control.yaml").write_text(control)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--scenario-dir", str(pytester.path), "--output", str(pytester.path / "out"),
        "--browser", "firefox", "--browser", "chromium",
        "--scenario", "browser-without-audio-output", "--scenario", "audio-output-present", timeout=240,
    )  # fmt: skip
    result.assert_outcomes(passed=1, failed=1, skipped=2)
    result.stdout.fnmatch_lines(["*audio-output-present*wait_for_event active-media-failed*", "*events: none*"])


def test_firefox_skips_autoplay_false() -> None:
    reason = firefox.unsupported(World(platform={"autoplay": False}), mid_session=False)
    assert reason is not None and "gesture" in reason
    assert firefox.unsupported(World(platform={"webgl": False}), mid_session=False) is None


def test_sockets_are_routed_only_for_a_scenario_that_cuts_or_closes_them() -> None:
    close = WebSocketClose(url="**/wc/media/**", code=1006)
    assert routes_sockets(World(network="offline"), [])
    assert routes_sockets(World(), [World(permissions={"camera": "denied"}), World(network="offline")])
    assert routes_sockets(World(), [World(websocket=close)])
    assert not routes_sockets(World(), [World(network="online"), World(firewall={"media": "blocked"})])
    assert not routes_sockets(World(platform={"autoplay": False}), [])


class NoContext:
    def route_web_socket(self, *args: Any) -> None:
        raise AssertionError("a gesture-free page's sockets must not be routed")


def test_unrouted_sockets_refuse_the_faults_that_need_routing() -> None:
    network = NetworkController(cast(Any, NoContext()), route_sockets=False)
    close = WebSocketClose(url="**/wc/media/**", code=1006)
    for act in (lambda: network.close_sockets(close), lambda: network.close_next(close)):
        with pytest.raises(HarnessError, match="autoplay: false"):
            act()
    with pytest.raises(HarnessError, match="network: offline"):
        network.set_state("offline")
