"""Network faults, per participant.

Measured in Chromium: `context.set_offline(True)` fails new requests and new WebSockets, but a WebSocket
already open stays open (no close, no error; what was sent meanwhile arrives once back online), so an SDK
never notices the loss. Every page WebSocket is therefore routed through Playwright from the start, and going
offline also cuts each open socket on both sides, as a real network loss would (the page sees 1006, the
server sees the socket close).

Latency, jitter and black holes act on bytes in flight, which needs the participant's traffic to run through
a network path of ours (`shaper.NetworkPath`); `http` faults answer or fail requests per URL glob, as a
proxy, a gateway or a DNS failure would.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from functools import lru_cache

from playwright.sync_api import BrowserContext, Error, Route, WebSocketRoute

from harness.errors import HarnessError
from harness.faults.shaper import NetworkPath
from harness.scenario.model import HttpFault, NetworkConditions, WebSocketClose

ABNORMAL_CLOSURE = 1006
ONLINE_WITHIN_S = 1.0  # how long `network: online` waits for a page's request to get through again

# Measured in Chromium: `set_offline(False)` returns before the browser's network stack is back; a request the
# page sends within the next ~50 ms can still fail with ERR_INTERNET_DISCONNECTED. A HEAD that reaches the service
# shows the stack is online again (any answer will do; a fault that refuses it only costs the bounded wait).
_REACHES = """url => fetch(url, {method: 'HEAD', mode: 'no-cors', cache: 'no-store'}).then(() => true, () => false)"""


class NetworkController:
    def __init__(
        self,
        context: BrowserContext,
        path: NetworkPath | None = None,
        ports: dict[str, int] | None = None,
        *,
        route_sockets: bool = True,
        check_url: str = "",
    ) -> None:
        self.context = context
        self.check_url = check_url  # a URL of the session service the pages can reach once online
        self.path = path
        self.ports = dict(ports or {})  # firewall targets -> the service's port for them (e.g. media)
        self.firewall: dict[str, str] = {}
        self.open: list[tuple[WebSocketRoute, WebSocketRoute]] = []
        self.offline = False
        self.http_routes: dict[str, Callable[[Route], None]] = {}
        self.armed: list[WebSocketClose] = []  # `at: next-connection` closes still waiting for their socket
        # Measured in Chromium: a routed socket's page side is driven by Playwright's evaluate, which counts as a
        # user gesture, so a page nobody may have interacted with (`platform: {autoplay: false}`) is not routed.
        self.routed = route_sockets
        if route_sockets:
            context.route_web_socket("**", self._route)

    @property
    def untouched(self) -> bool:
        """Whether the context is as Playwright made it: no route, network path, firewall or offline state."""
        return self.path is None and not (
            self.routed or self.http_routes or self.firewall or self.offline or self.armed
        )

    def _need_routing(self, what: str) -> None:
        if not self.routed:
            # The runner routes every participant whose scenario cuts or closes sockets (plan.routes_sockets),
            # unless nobody may have clicked its page.
            raise HarnessError(
                f"{what} acts on the page's WebSockets through Playwright, which counts as a click on the page: "
                "it cannot be combined with `platform: {autoplay: false}`"
            )

    def _route(self, page_side: WebSocketRoute) -> None:
        # No on_close handlers: Playwright 1.64's client fails (KeyError 'code') when a context closes
        # under a routed socket that has one. Pairs already closed are skipped when a fault acts.
        server_side = page_side.connect_to_server()
        armed = next((fault for fault in self.armed if glob_matches(fault.url, page_side.url)), None)
        if armed is None:
            self.open.append((page_side, server_side))
            return
        self.armed.remove(armed)

        # Measured in Chromium: the page has seen `open`; the server's first frame never reaches it, the close does.
        def cut(message: str | bytes) -> None:
            with contextlib.suppress(Error):
                page_side.close(code=armed.code, reason=armed.reason)
            with contextlib.suppress(Error):
                server_side.close(code=armed.code, reason=armed.reason)

        server_side.on_message(cut)

    def _forget(self, pair: tuple[WebSocketRoute, WebSocketRoute]) -> None:
        if pair in self.open:
            self.open.remove(pair)

    def set_state(self, state: str) -> None:
        if state == "offline":
            self._need_routing("network: offline")
            self.context.set_offline(True)
            self.offline = True
            if self.path is not None:
                self.path.cut(stay_down=True)
            self.cut_sockets()
        elif state == "online":
            self.context.set_offline(False)
            self.offline = False
            if self.path is not None:
                self.path.restore()
            self.wait_until_online()
        elif state == "blackhole":
            self.shaped_path("network: blackhole").set_blackhole(True)

    def wait_until_online(self) -> None:
        """Bounded: until a request from each page gets through, or ONLINE_WITHIN_S has passed."""
        if not self.check_url or not self.routed:
            return  # an unrouted page may be one nobody clicked, and an evaluate counts as a click
        deadline = time.monotonic() + ONLINE_WITHIN_S
        for page in list(self.context.pages):
            while not page.is_closed():
                try:
                    if page.evaluate(_REACHES, self.check_url) or time.monotonic() > deadline:
                        break
                except Error:
                    break  # a page that navigated or closed meanwhile: nothing to wait for
                time.sleep(0.02)

    def set_conditions(self, conditions: NetworkConditions) -> None:
        self.shaped_path("network conditions").set_conditions(conditions.latency, conditions.jitter)

    def set_firewall(self, rules: dict[str, str]) -> None:
        """Block or open firewall targets (the media servers) on the participant's network path."""
        self.firewall.update(rules)
        missing = [target for target in self.firewall if target not in self.ports]
        if missing:
            raise HarnessError(f"firewall: this session service has no {missing[0]} server to block")
        blocked = {self.ports[target] for target, state in self.firewall.items() if state == "blocked"}
        self.shaped_path("firewall").block_ports(blocked)

    def shaped_path(self, what: str) -> NetworkPath:
        if self.path is None:  # the runner gives a path to every participant whose scenario shapes traffic
            raise HarnessError(f"{what} needs the participant's traffic to run through the harness's network path")
        return self.path

    def cut_sockets(self) -> None:
        for page_side, server_side in list(self.open):
            # Either side may already be closed by the other; that is the outcome we want anyway.
            with contextlib.suppress(Error):
                page_side.close(code=ABNORMAL_CLOSURE)
            with contextlib.suppress(Error):
                server_side.close()
        self.open.clear()

    def close_sockets(self, fault: WebSocketClose) -> int:
        """Close matching open sockets with the fault's code on both ends; returns how many."""
        self._need_routing("a websocket fault")
        matched = [pair for pair in self.open if glob_matches(fault.url, pair[0].url)]
        for page_side, server_side in matched:
            with contextlib.suppress(Error):
                page_side.close(code=fault.code, reason=fault.reason)
            with contextlib.suppress(Error):
                server_side.close(code=fault.code, reason=fault.reason)
            self._forget((page_side, server_side))
        return len(matched)

    def close_next(self, fault: WebSocketClose) -> None:
        """The next matching socket the page opens is closed with the fault's code as the server's first frame
        reaches it (before the page sees that frame): a connection that drops while it is being set up."""
        self._need_routing("a websocket fault")
        self.armed.append(fault)

    def apply_http(self, fault: HttpFault) -> None:
        previous = self.http_routes.pop(fault.url, None)
        if previous is not None:
            self.context.unroute(fault.url, previous)
        if fault.restore:
            return
        handler = _http_handler(fault)
        self.http_routes[fault.url] = handler
        self.context.route(fault.url, handler)


def _http_handler(fault: HttpFault) -> Callable[[Route], None]:
    if fault.abort is not None:
        reason = fault.abort

        def abort(route: Route) -> None:
            route.abort(reason)

        return abort
    status, body = fault.status or 500, fault.body

    def answer(route: Route) -> None:
        route.fulfill(status=status, body=body if body is not None else f"{status} (http fault by the harness)")

    return answer


def glob_matches(pattern: str, url: str) -> bool:
    """Playwright's URL glob: `**` matches anything, `*` anything but '/'; the rest is literal."""
    return _glob_regex(pattern).fullmatch(url) is not None


@lru_cache(maxsize=64)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**", index):
            parts.append(".*")
            index += 2
        elif pattern[index] == "*":
            parts.append("[^/]*")
            index += 1
        else:
            parts.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(parts))
