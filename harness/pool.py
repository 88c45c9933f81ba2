"""One browser per launch signature, shared by every scenario that needs the same flags (DESIGN-NOTES §5)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from playwright.sync_api import Browser, Error, Playwright

from harness.browsers import CHROMIUM_ARGS, FoundBrowser, find_chromium, managed_chromium
from harness.errors import BrowserNotFound, HarnessError


@dataclass(frozen=True, slots=True)
class LaunchSignature:
    browser: str
    args: tuple[str, ...]
    headless: bool


class BrowserPool:
    def __init__(self, playwright: Playwright, explicit_executable: str | None, headless: bool) -> None:
        self.playwright = playwright
        self.explicit = explicit_executable
        self.headless = headless
        self.browsers: dict[LaunchSignature, Browser] = {}
        self._found: FoundBrowser | None = None

    def found(self) -> FoundBrowser:
        if self._found is None:
            self._found = find_chromium(self.explicit, managed_chromium(self.playwright))
        return self._found

    def get(self, browser: str, extra_args: tuple[str, ...]) -> Browser:
        if browser != "chromium":
            raise HarnessError(f"browser {browser!r} is not supported yet by this harness version (chromium only)")
        signature = LaunchSignature(browser, tuple(sorted(set(extra_args))), self.headless)
        current = self.browsers.get(signature)
        if current is not None and current.is_connected():
            return current
        found = self.found()
        try:
            launched = self.playwright.chromium.launch(
                executable_path=found.executable,
                headless=self.headless,
                args=[*CHROMIUM_ARGS, *signature.args],
                timeout=30_000,
            )
        except Error as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            raise BrowserNotFound(f"could not start {found.describe()}: {first_line}") from None
        self.browsers[signature] = launched
        return launched

    def close(self) -> None:
        for browser in self.browsers.values():
            with contextlib.suppress(Error):
                browser.close()
        self.browsers.clear()
