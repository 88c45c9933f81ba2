"""Firefox (stock, through WebDriver BiDi) can hold the browser worlds the harness builds on: checked on
a plain loopback page with no SDK at all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_world import CAPTURE, INPUTS
from playwright.sync_api import BrowserContext, Page, Playwright, WebSocketRoute

from harness.browsers import PrefValue, find_firefox, managed_firefox
from harness.errors import BrowserNotFound, HarnessError
from harness.pool import BrowserPool
from harness.service.server import SessionService
from harness.service.tokens import mint_token

pytestmark = pytest.mark.browser

# Firefox's own wording for a refused capture, whatever refused it (Chromium says "Permission denied").
FIREFOX_REFUSAL = (
    "NotAllowedError: The request is not allowed by the user agent or the platform in the current context."
)


@pytest.fixture(scope="module", autouse=True)
def firefox_installed(playwright: Playwright, pool: BrowserPool) -> None:
    try:
        find_firefox(managed_firefox(playwright))
    except BrowserNotFound as missing:
        pytest.skip(f"Firefox is not installed: {missing}")
    try:
        pool.get("firefox", ())
    except BrowserNotFound as unusable:  # e.g. Firefox ESR 153 with Playwright 1.65, which needs newer BiDi
        pytest.skip(f"Firefox is installed but cannot be used: {unusable}")


@pytest.fixture
def contexts() -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def firefox_context(
    pool: BrowserPool, opened: list[BrowserContext], prefs: dict[str, PrefValue] | None = None
) -> BrowserContext:
    context = pool.get("firefox", (), firefox_prefs=prefs).new_context()
    opened.append(context)
    return context


def blank_page(context: BrowserContext, service: SessionService) -> Page:
    page = context.new_page()
    page.goto(f"{service.base_url}/pages/blank.html")
    return page


def test_one_firefox_per_set_of_prefs(pool: BrowserPool) -> None:
    denied = pool.get("firefox", (), firefox_prefs={"permissions.default.camera": 2})
    assert pool.get("firefox", (), firefox_prefs={"permissions.default.camera": 2}) is denied
    assert pool.get("firefox", ()) is not denied
    assert pool.get("firefox", (), firefox_prefs={"permissions.default.camera": 1}) is pool.get("firefox", ())


def test_chromium_flags_are_refused_rather_than_silently_ignored(pool: BrowserPool) -> None:
    with pytest.raises(HarnessError, match="Firefox takes prefs, not Chromium flags: got --use-fake-device"):
        pool.get("firefox", ("--use-fake-device-for-media-stream=device-count=0",))


def test_fake_devices_capture_both(pool: BrowserPool, service: SessionService, contexts: list[BrowserContext]) -> None:
    page = blank_page(firefox_context(pool, contexts), service)
    assert page.evaluate(CAPTURE, "video") == "ok"
    assert page.evaluate(CAPTURE, "audio") == "ok"
    assert sorted(page.evaluate(INPUTS)) == ["audioinput", "videoinput"]


def test_camera_denied_by_prefs_is_firefoxs_own_refusal(
    pool: BrowserPool, service: SessionService, contexts: list[BrowserContext]
) -> None:
    page = blank_page(firefox_context(pool, contexts, {"permissions.default.camera": 2}), service)
    assert page.evaluate(CAPTURE, "video") == FIREFOX_REFUSAL
    assert page.evaluate(CAPTURE, "audio") == "ok"
    assert page.evaluate("() => navigator.permissions.query({name: 'camera'}).then(s => s.state)") == "denied"


def test_init_script_runs_before_page_scripts(
    pool: BrowserPool, service: SessionService, contexts: list[BrowserContext]
) -> None:
    context = firefox_context(pool, contexts)
    context.add_init_script("(() => { delete window.WebAssembly; delete Navigator.prototype.mediaDevices; })();")
    page_script = "<script>window.seen = [typeof WebAssembly, 'mediaDevices' in navigator];</script>"
    url = f"{service.base_url}/pages/init-order.html"  # answered by the route, from the loopback origin
    context.route(url, lambda route: route.fulfill(body=page_script, content_type="text/html"))
    page = context.new_page()
    page.goto(url)
    assert page.evaluate("window.seen") == ["undefined", False]


def test_websocket_close_code_reaches_the_page(
    pool: BrowserPool, service: SessionService, contexts: list[BrowserContext]
) -> None:
    context = firefox_context(pool, contexts)
    routed: list[WebSocketRoute] = []

    def forward(page_side: WebSocketRoute) -> None:
        page_side.connect_to_server()
        routed.append(page_side)

    context.route_web_socket("**", forward)
    page = blank_page(context, service)
    creds = service.new_credentials()
    token = mint_token(creds.key, creds.secret, "firefox-close", 1)
    opened: Any = page.evaluate(
        """async token => {
            const answer = await (await fetch('/wc/lsdk', {method: 'POST', headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({topic: 'firefox-close', signature: token, userName: 'fay'})})).json();
            window.closes = [];
            const ws = new WebSocket(`${answer.result.rwg}?joinToken=${answer.result.joinToken}`);
            ws.onclose = e => window.closes.push([e.code, e.reason]);
            return new Promise(ok => ws.onmessage = e => ok(JSON.parse(e.data).evt));
        }""",
        token,
    )
    assert opened == "joined", "frames from the real server reach the page through the route"
    routed[0].close(code=4000, reason="closed by the test")
    page.wait_for_function("() => window.closes.length > 0", timeout=5000)
    assert page.evaluate("window.closes") == [[4000, "closed by the test"]]
