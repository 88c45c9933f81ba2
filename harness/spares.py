"""Browser contexts kept between scenarios, each with its one page, for the next participant of the same layout.

A fresh context costs a participant most of its CPU (measured with bare Playwright on the headless shell: a fresh
context and page each, 0.63 to 0.67 CPU-s a participant from page to join and leave; the same page navigated
again, 0.33 to 0.37: Chromium keeps its renderer process). So a participant whose context nothing but its page
changed hands the context back when its run passed, and the next participant with the same layout (the same
browser, context options, probe and permissions) gets it instead of a fresh one.

What the next run gets is what a fresh context would give it, but for the renderer process and the HTTP cache:
the old document is unloaded (its sockets close, its tracks end, its participant leaves the session), every kind
of storage of the page's origin is cleared (cookies, local and session storage, IndexedDB, caches, service
workers), and the context still has exactly the permissions and probe the layout names, no route, no
DevTools override, online. Which participants may be kept is the runner's (`ScenarioRun.reuse_layout`);
`HARNESS_REUSE_CONTEXTS=off` gives every participant a fresh context.

The world's own init scripts (the media world's answers, removed platform features, the shell's guard) are not
part of the layout: a kept context carries the ones its last participant had, and `take` swaps them for the next
participant's when they differ (Playwright removes a closed init script from the context and its page), so a
participant whose world is one of a kind still gets a kept context.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Hashable
from typing import Protocol

from playwright.sync_api import BrowserContext, CDPSession, Error, Page

from harness.watchdog import Watchdog, end_page_processes

REUSE_ENV_VAR = "HARNESS_REUSE_CONTEXTS"
KEPT_PER_LAYOUT = 3  # the most participants any catalog scenario of one layout has
KEPT_IN_ALL = 8  # idle renderers a process keeps at most; the least recently kept is closed first
TIDY_WITHIN_MS = 3000  # unloading the old document; a page slower than that is closed instead
TIDY_WITHIN_S = 10.0  # the whole tidying: past it the watchdog ends the pages, and the context is closed


class Removable(Protocol):
    def close(self) -> None:
        """What `add_init_script` returns (Playwright's Disposable): closing it removes the script."""


# The world's init scripts in a context, in the order they were added: each source with what removes it.
Scripts = tuple[tuple[str, Removable], ...]
Spare = tuple[BrowserContext, Page, Scripts]


def reuse_enabled() -> bool:
    return os.environ.get(REUSE_ENV_VAR, "").strip().lower() not in ("off", "0", "no", "false")


class SpareContexts:
    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = reuse_enabled() if enabled is None else enabled
        # With their layouts and world scripts, the least recently kept first.
        self.kept: list[tuple[Hashable, BrowserContext, Page, Scripts]] = []
        self.reused = 0  # how many participants got a kept context (the tests read it)
        # Per kept page, kept with it while it serves participants: the DevTools session that clears its origin's
        # storage (attached once, not for each tidying), and that the page stays subscribed to console messages
        # (a participant's listener coming and going would subscribe and unsubscribe it each time).
        self.sessions: weakref.WeakKeyDictionary[Page, CDPSession] = weakref.WeakKeyDictionary()

    def take(self, layout: Hashable, *, scripts: tuple[str, ...]) -> Spare | None:
        """The most recently kept context of this layout that is still alive, with these world scripts in place
        (one that has them already if any, else one whose scripts are swapped), or None."""
        while True:
            found = [index for index, kept in enumerate(self.kept) if kept[0] == layout]
            if not found:
                return None
            same = [index for index in found if _sources(self.kept[index][3]) == scripts]
            _, context, page, installed = self.kept.pop((same or found)[-1])
            if _alive(context, page):
                try:
                    installed = _swapped(context, installed, scripts)
                except Error:
                    _close(context)
                    continue
                self.reused += 1
                return context, page, installed
            _close(context)

    def keep(self, layout: Hashable, context: BrowserContext, page: Page, origin: str, scripts: Scripts) -> bool:
        """Tidy the context (see the module's text) and keep it; False (the caller closes it) when it is not the
        context of one open page any more, cannot be tidied in time, or enough of its layout are kept."""
        if not self.enabled or page.is_closed() or context.pages != [page]:
            return False
        if sum(1 for kept in self.kept if kept[0] == layout) >= KEPT_PER_LAYOUT:
            return False
        watchdog = Watchdog(TIDY_WITHIN_S, end_page_processes)
        try:
            with watchdog:
                page.goto("about:blank", timeout=TIDY_WITHIN_MS)
                context.clear_cookies()  # every host's, beside the origin's storage below
                if page not in self.sessions:
                    self.sessions[page] = context.new_cdp_session(page)
                    page.on("console", _ignored)
                self.sessions[page].send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        except Error:
            return False
        if watchdog.fired:
            return False
        self.kept.append((layout, context, page, scripts))
        while len(self.kept) > KEPT_IN_ALL:
            _close(self.kept.pop(0)[1])
        return True

    def close(self) -> None:
        for _, context, _, _ in self.kept:
            _close(context)
        self.kept.clear()


def _sources(scripts: Scripts) -> tuple[str, ...]:
    return tuple(source for source, _ in scripts)


def _swapped(context: BrowserContext, installed: Scripts, wanted: tuple[str, ...]) -> Scripts:
    """The context with the wanted world scripts instead of the installed ones (all replaced, so their order is
    the wanted one: after the layout's own, the probe)."""
    if _sources(installed) == wanted:
        return installed
    for _, script in installed:
        script.close()
    return tuple((source, context.add_init_script(source)) for source in wanted)


def _alive(context: BrowserContext, page: Page) -> bool:
    """Whether the kept page still answers: its renderer may have been ended meanwhile (a hung page's watchdog ends
    every page process of the harness's browsers). Asked under the run's watchdog (the runner takes a context
    while it starts its participants); a page on about:blank runs only the init scripts in its context."""
    if page.is_closed() or context.browser is None or not context.browser.is_connected():
        return False
    try:
        return page.evaluate("() => true") is True
    except Error:
        return False


def _ignored(_: object) -> None:
    """A kept page's own console listener: the participant's (participant.py) comes and goes over it."""


def _close(context: BrowserContext) -> None:
    with contextlib.suppress(Error):
        context.close()
