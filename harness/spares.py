"""Browser contexts kept between scenarios, each with its one page, for the next participant of the same layout.

A fresh context costs a participant most of its CPU (measured with bare Playwright on the headless shell: a fresh
context and page each, 0.63 to 0.67 CPU-s a participant from page to join and leave; the same page navigated
again, 0.33 to 0.37: Chromium keeps its renderer process). So a participant whose context nothing but its page
changed hands the context back when its run passed, and the next participant with the same layout (the same
browser, context options, init scripts and permissions) gets it instead of a fresh one.

What the next run gets is what a fresh context would give it, but for the renderer process and the HTTP cache:
the old document is unloaded (its sockets close, its tracks end, its participant leaves the session), every kind
of storage of the page's origin is cleared (cookies, local and session storage, IndexedDB, caches, service
workers), and the context still has exactly the permissions and init scripts the layout names, no route, no
DevTools override, online. Which participants may be kept is the runner's (`ScenarioRun.reuse_key`);
`HARNESS_REUSE_CONTEXTS=off` gives every participant a fresh context.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Hashable

from playwright.sync_api import BrowserContext, Error, Page

REUSE_ENV_VAR = "HARNESS_REUSE_CONTEXTS"
KEPT_PER_LAYOUT = 3  # the most participants any catalog scenario of one layout has
TIDY_WITHIN_MS = 3000  # unloading the old document; a page slower than that is closed instead

Spare = tuple[BrowserContext, Page]


def reuse_enabled() -> bool:
    return os.environ.get(REUSE_ENV_VAR, "").strip().lower() not in ("off", "0", "no", "false")


class SpareContexts:
    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = reuse_enabled() if enabled is None else enabled
        self.kept: dict[Hashable, list[Spare]] = {}
        self.reused = 0  # how many participants got a kept context (the tests read it)

    def take(self, layout: Hashable) -> Spare | None:
        """A kept context of this layout, still alive, or None."""
        spares = self.kept.get(layout, [])
        while spares:
            context, page = spares.pop()
            if _alive(context, page):
                self.reused += 1
                return context, page
            _close(context)
        return None

    def keep(self, layout: Hashable, context: BrowserContext, page: Page, origin: str) -> bool:
        """Tidy the context (see the module's text) and keep it; False (the caller closes it) when it is not the
        context of one open page any more, cannot be tidied, or enough of its layout are kept."""
        spares = self.kept.setdefault(layout, [])
        if not self.enabled or len(spares) >= KEPT_PER_LAYOUT or page.is_closed() or context.pages != [page]:
            return False
        try:
            page.goto("about:blank", timeout=TIDY_WITHIN_MS)
            context.clear_cookies()  # every host's, beside the origin's storage below
            session = context.new_cdp_session(page)
            try:
                session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
            finally:
                session.detach()
        except Error:
            return False
        spares.append((context, page))
        return True

    def close(self) -> None:
        for spares in self.kept.values():
            for context, _ in spares:
                _close(context)
        self.kept.clear()


def _alive(context: BrowserContext, page: Page) -> bool:
    """Whether the kept page still answers: its renderer may have been ended meanwhile (a hung page's watchdog ends
    every page process of the harness's browsers). A page on about:blank runs no script, so this cannot hang."""
    if page.is_closed() or context.browser is None or not context.browser.is_connected():
        return False
    try:
        return page.evaluate("() => true") is True
    except Error:
        return False


def _close(context: BrowserContext) -> None:
    with contextlib.suppress(Error):
        context.close()
