"""A page whose script never yields must not stall the suite: the watchdog ends its renderer."""

from __future__ import annotations

import pytest
from browser_world import BrowserWorld
from playwright.sync_api import Error

from harness import watchdog
from harness.scenario.model import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not watchdog.supported, reason="the watchdog reads /proc (Linux only)"),
]


def test_a_hung_page_is_ended_and_the_blocked_call_fails(world: BrowserWorld) -> None:
    page, _ = world.page(World())
    killed: list[int] = []
    ending = watchdog.Watchdog(1.0, lambda: killed.append(watchdog.end_page_processes()))
    with ending as dog, pytest.raises(Error, match=r"crash|closed"):
        page.evaluate("() => { while (true) {} }")
    assert dog.fired and killed and killed[0] >= 1


def test_a_watchdog_that_is_not_needed_does_nothing() -> None:
    fired: list[bool] = []
    with watchdog.Watchdog(30.0, lambda: fired.append(True)) as dog:
        pass
    assert not dog.fired and not fired
