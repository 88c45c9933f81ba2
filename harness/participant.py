"""One participant of a scenario run: its own browser context, page, network and probe records.

Faults act on it through `faults.target.FaultTarget`, which it satisfies.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from playwright.sync_api import BrowserContext, CDPSession, ConsoleMessage, Error, Page

from harness.faults.context_plan import ContextPlan
from harness.faults.network import NetworkController

if TYPE_CHECKING:
    from harness.spares import Scripts

PAGE_CRASHED = "the page crashed"  # the page error a crash leaves (hand_back reads it)
FIREFOX_SOCKET_FAILURE = "Firefox can\u2019t establish a connection to the server at ws"


@dataclass
class AppPage:
    """App mode: the participant's page on the user's app, which inits and joins by itself."""

    url: str = ""
    values: dict[str, str] = field(default_factory=dict)  # the query values of the join it was opened for
    records_from: int = 0  # the records of the page's current load begin here
    errors_from: int = 0  # and its uncaught errors here
    state: str = "closed"  # closed | initialised (its init was checked, its join is next) | joined
    token_requests: int = 0  # requests answered through --app-token-url
    requests: list[str] = field(default_factory=list)  # the page's fetch/XHR URLs, for messages


@dataclass
class ParticipantPage:
    name: str
    role: str
    context: BrowserContext
    network: NetworkController
    permissions: dict[str, str]
    plan: ContextPlan
    clock_start: float = field(default_factory=time.time)
    page: Page | None = None
    opened: bool = False
    initialised: bool = False
    records: list[dict[str, Any]] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    event_cursor: int = 0
    display_name: str = ""
    devtools: CDPSession | None = None  # kept open: Chromium drops permission overrides on detach
    app: AppPage | None = None  # app mode only
    spare_page: Page | None = None  # the page of a kept context (harness/spares.py), used by the first new_page
    layout: Hashable | None = None  # what its context is made of, when a kept one may serve it (harness/spares.py)
    scripts: Scripts = ()  # the world's init scripts in its context, which a kept context swaps (harness/spares.py)
    drained: bool = False  # the last round trip into the page brought the probe's new records along

    def new_page(self) -> Page:
        page, self.spare_page = self.spare_page or self.context.new_page(), None
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("crash", self._on_crash)
        self.page = page
        return page

    def hand_back(self) -> Page | None:
        """The participant's page, its listeners removed, when nothing but the page changed its context: no
        DevTools session (it may hold overrides), no route or network state, no crash; else None. `SpareContexts.keep`
        then checks that the page is still open and the context's only one."""
        page = self.page or self.spare_page
        if page is None or self.devtools is not None or PAGE_CRASHED in self.page_errors or not self.network.untouched:
            return None
        if page is self.page:
            page.remove_listener("console", self._on_console)
            page.remove_listener("pageerror", self._on_page_error)
            page.remove_listener("crash", self._on_crash)
        return page

    def cdp(self) -> CDPSession:
        """The page's DevTools session, opened once and kept: Chromium drops its overrides on detach."""
        assert self.page is not None
        if self.devtools is None:
            self.devtools = self.context.new_cdp_session(self.page)
        return self.devtools

    def emulate(self, commands: list[tuple[str, dict[str, Any]]]) -> None:
        """Send CDP emulation commands (e.g. the core count) before the page loads."""
        for method, params in commands:
            self.cdp().send(method, params)

    def _on_page_error(self, error: Error) -> None:
        # Firefox reports a WebSocket that cannot connect as a nameless page error; no script threw it, and
        # the page hears of it through the socket's own events, so it is console output, not an error.
        if not error.name and error.message.startswith(FIREFOX_SOCKET_FAILURE):
            self.console.append(f"[error] {error.message}")
            return
        self.page_errors.append(f"{error.name}: {error.message}")

    def _on_crash(self, _: Page) -> None:
        self.page_errors.append(PAGE_CRASHED)

    def _on_console(self, message: ConsoleMessage) -> None:
        self.console.append(f"[{message.type}] {message.text}")

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        """`page.evaluate` of a function expression; without a user gesture when the world says the person never
        interacted with the page (`platform: {autoplay: false}`): Playwright's own evaluate runs every function as
        a user gesture in Chromium (CDP `userGesture: true`), which gives the page the activation a click does."""
        assert self.page is not None
        self.drained = False
        if not self.plan.gesture_free:
            return self.page.evaluate(expression, arg)
        answer = self.cdp().send(
            "Runtime.evaluate",
            {
                "expression": f"({expression})({json.dumps(arg)})",
                "awaitPromise": True,
                "returnByValue": True,
                "userGesture": False,
            },
        )
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            raise Error(str(details.get("exception", {}).get("description") or details.get("text")))
        return answer["result"].get("value")

    def evaluate_in_document(self, expression: str, arg: Any = None, *, draining: bool = False) -> Any:
        """`evaluate` (`evaluate_draining` with `draining`), or None when the document went away meanwhile (a
        navigation): the next call asks the next document. A page that closed (or crashed) still raises."""
        try:
            return self.evaluate_draining(expression, arg) if draining else self.evaluate(expression, arg)
        except Error:
            if self.page is None or self.page.is_closed():
                raise
            return None

    def evaluate_draining(self, expression: str, arg: Any = None) -> Any:
        """`evaluate`, with the probe's new records brought along in the same round trip (as `drain`)."""
        value, fresh = self.evaluate(
            f"async (arg) => [await ({expression})(arg), window.__harness ? window.__harness.drain() : []]", arg
        )
        self._add(fresh)
        return value

    def drain(self) -> None:
        """Fetch the probe's new records into Python (a checkpoint)."""
        if self.page is None or self.page.is_closed():
            return
        try:
            fresh = self.evaluate("() => window.__harness ? window.__harness.drain() : []")
        except Error:
            return
        self._add(fresh)

    def refresh(self) -> None:
        """`drain`, unless the last round trip into the page brought the records along already."""
        if not self.drained:
            self.drain()

    def _add(self, fresh: list[dict[str, Any]]) -> None:
        for item in fresh:
            item["participant"] = self.name
        self.records.extend(fresh)
        self.drained = True

    def sdk_errors(self) -> list[dict[str, Any]]:
        """Settlements of SDK calls that rejected or threw, whoever made the call."""
        return [r for r in self.records if r["kind"] == "settle" and r["status"] in ("rejected", "threw")]

    def events(self) -> list[dict[str, Any]]:
        return [r for r in self.records if r["kind"] == "event"]

    def close(self) -> None:
        with contextlib.suppress(Error):
            self.context.close()
        if self.network.path is not None:
            self.network.path.close()
