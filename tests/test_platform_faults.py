"""Platform keys the browser itself removes (launch flags, prefs), and the gesture-free page they may need."""

from __future__ import annotations

from typing import Any, cast

import pytest

from harness.errors import HarnessError
from harness.faults import firefox, plan_world
from harness.faults.network import NetworkController
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


def test_firefox_skips_autoplay_false() -> None:
    reason = firefox.unsupported(World(platform={"autoplay": False}), mid_session=False)
    assert reason is not None and "gesture" in reason
    assert firefox.unsupported(World(platform={"webgl": False}), mid_session=False) is None


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
