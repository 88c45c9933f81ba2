"""Network faults. `set_offline` alone leaves open WebSockets alive (browser-facts.md), so every page
WebSocket is routed through Playwright from the start; going offline also cuts each open socket on
both sides, as a real network loss would (the page sees 1006, the server sees the socket close)."""

from __future__ import annotations

import contextlib

from playwright.sync_api import BrowserContext, Error, WebSocketRoute

ABNORMAL_CLOSURE = 1006


class NetworkController:
    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.open: list[tuple[WebSocketRoute, WebSocketRoute]] = []
        self.offline = False
        context.route_web_socket("**", self._route)

    def _route(self, page_side: WebSocketRoute) -> None:
        server_side = page_side.connect_to_server()
        pair = (page_side, server_side)
        self.open.append(pair)
        page_side.on_close(lambda *_: self._forget(pair))
        server_side.on_close(lambda *_: self._forget(pair))

    def _forget(self, pair: tuple[WebSocketRoute, WebSocketRoute]) -> None:
        if pair in self.open:
            self.open.remove(pair)

    def set_state(self, state: str) -> None:
        if state == "offline":
            self.context.set_offline(True)
            self.offline = True
            self.cut_sockets()
        elif state == "online":
            self.context.set_offline(False)
            self.offline = False

    def cut_sockets(self) -> None:
        for page_side, server_side in list(self.open):
            # Either side may already be closed by the other; that is the outcome we want anyway.
            with contextlib.suppress(Error):
                page_side.close(code=ABNORMAL_CLOSURE)
            with contextlib.suppress(Error):
                server_side.close()
        self.open.clear()
