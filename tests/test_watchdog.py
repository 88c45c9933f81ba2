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


HANGS = """
from playwright.sync_api import sync_playwright
from harness.pool import BrowserPool


def test_a_promise_that_never_settles():
    with sync_playwright() as playwright:
        pool = BrowserPool(playwright, None, headless=True)
        try:
            page = pool.get("chromium", ()).new_page()
            page.evaluate("() => new Promise(() => {})")  # as a getDisplayMedia nobody answers
        finally:
            pool.close()
            print("the browser is closed")


def test_the_next_test_runs():
    pass
"""


def test_a_test_whose_page_never_answers_fails_and_the_suite_goes_on(pytester: pytest.Pytester) -> None:
    """The suite's own tests are bounded too (pyproject.toml: pytest-timeout, 300 s per test, here 4 s): a page
    promise that never settles fails that test (its teardown runs), and the next test runs."""
    pytester.makepyfile(test_hangs=HANGS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--timeout", "4", timeout=120)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            '*page.evaluate("() => new Promise(() => {})")*',  # where it hung: the page, not the launch
            "*Failed: Timeout (>4.0s) from pytest-timeout*",
            "*Captured stdout call*",
            "the browser is closed",
            "*1 failed, 1 passed*",
        ]
    )
