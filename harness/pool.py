"""One browser per launch signature, shared by every scenario that needs the same flags.

Chromium is configured by command-line flags; Firefox (stock, through WebDriver BiDi) by prefs. Those are
all a scenario's world needs of the browser process: each participant gets a fresh context of the shared
browser, with its own permissions, routes, clock and network state, or one of the same layout that an earlier
participant's page alone changed, tidied (`spares`, kept here until the browsers close).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, replace
from importlib.metadata import version

from playwright.sync_api import Browser, Error, Playwright

from harness.browsers import (
    CHROMIUM_ARGS,
    FIREFOX_CHANNEL,
    FIREFOX_ENV,
    SHELL_ARGS,
    FoundBrowser,
    PrefValue,
    find_chromium,
    find_firefox,
    find_headless_shell,
    firefox_base_prefs,
    managed_chromium,
    managed_firefox,
)
from harness.errors import BrowserNotFound, HarnessError
from harness.spares import SpareContexts

Prefs = tuple[tuple[str, PrefValue], ...]


@dataclass(frozen=True, slots=True)
class LaunchSignature:
    browser: str
    args: tuple[str, ...]
    headless: bool
    prefs: Prefs = ()  # Firefox only: every pref it was launched with, sorted by name
    light: bool = False  # Chromium's headless shell (harness/light_browser.py)


class BrowserPool:
    def __init__(
        self,
        playwright: Playwright,
        explicit_executable: str | None,
        headless: bool,
        connect: str | None = None,
        probe_url: str = "",
    ) -> None:
        self.playwright = playwright
        self.explicit = explicit_executable
        self.headless = headless
        self.connect = connect  # a remote browser's WebSocket endpoint: used instead of launching
        self.probe_url = probe_url  # a loopback page of the session service, to check a remote browser
        self.remote: dict[str, Browser] = {}
        self.checked: set[LaunchSignature] = set()
        self.browsers: dict[LaunchSignature, Browser] = {}
        self._found: FoundBrowser | None = None
        self._found_firefox: FoundBrowser | None = None
        self._shell: tuple[str | None] | None = None  # found once: (path or None,)
        self.spares = SpareContexts()  # contexts kept between scenarios (harness/spares.py)

    def found(self) -> FoundBrowser:
        if self._found is None:
            self._found = find_chromium(self.explicit, managed_chromium(self.playwright))
        return self._found

    def found_firefox(self) -> FoundBrowser:
        if self._found_firefox is None:
            self._found_firefox = find_firefox(managed_firefox(self.playwright))
        return self._found_firefox

    def headless_shell(self) -> str | None:
        """The headless shell a scenario with every permission granted may run on; None for a headed or remote run."""
        if self.connect or not self.headless:
            return None
        if self._shell is None:
            self._shell = (find_headless_shell(self.found()),)
        return self._shell[0]

    def get(
        self,
        browser: str,
        extra_args: tuple[str, ...],
        firefox_prefs: dict[str, PrefValue] | None = None,
        light: bool = False,
    ) -> Browser:
        """The shared browser for these flags (Chromium) or these prefs on top of the base ones (Firefox);
        `light`: Chromium's headless shell, when there is one."""
        signature = self._signature(browser, extra_args, firefox_prefs)
        if light and browser == "chromium" and self.headless_shell():
            # The shell always gets its own flags (the fake picker) at launch, so a world that asks for them too
            # shares the same shell: they are no part of its signature.
            signature = replace(signature, light=True, args=tuple(a for a in signature.args if a not in SHELL_ARGS))
        if self.connect:
            return self._remote(browser, signature)
        current = self.browsers.get(signature)
        if current is not None and current.is_connected():
            return current
        launched = self._launch_firefox(signature) if browser == "firefox" else self._launch_chromium(signature)
        self.browsers[signature] = launched
        return launched

    def _remote(self, browser: str, signature: LaunchSignature) -> Browser:
        from harness import remote

        assert self.connect is not None
        current = self.remote.get(browser)
        if current is None or not current.is_connected():
            current = self.remote[browser] = remote.connect(self.playwright, browser, self.connect)
            self.checked.clear()
        if signature not in self.checked:
            needs = (
                remote.DeviceNeeds.of(signature.args)
                if browser == "chromium"
                else remote.DeviceNeeds.of_firefox(signature.prefs)
            )
            remote.check_devices(current, self.connect, needs, self.probe_url, browser)
            self.checked.add(signature)
        return current

    def _signature(
        self, browser: str, extra_args: tuple[str, ...], firefox_prefs: dict[str, PrefValue] | None
    ) -> LaunchSignature:
        args = tuple(sorted(set(extra_args)))
        if browser == "chromium":
            if firefox_prefs:
                raise HarnessError("Firefox prefs were given for a Chromium launch; Chromium takes flags")
            return LaunchSignature(browser, args, self.headless)
        if browser == "firefox":
            if args:
                # Firefox silently ignores Chromium's flags, so the world they describe would not happen.
                raise HarnessError(f"Firefox takes prefs, not Chromium flags: got {', '.join(args)}")
            prefs = {**firefox_base_prefs(), **(firefox_prefs or {})}
            return LaunchSignature(browser, (), self.headless, tuple(sorted(prefs.items())))
        raise HarnessError(f"browser {browser!r} is not supported by this harness (chromium or firefox)")

    def _launch_chromium(self, signature: LaunchSignature) -> Browser:
        found = self.found()
        # Playwright's own Chromium, headless, would be its headless shell, which cannot capture without the fake
        # prompt (light_browser.py): its full build is asked for by the "chromium" channel.
        channel = "chromium" if found.executable is None and not signature.light else None
        try:
            return self.playwright.chromium.launch(
                executable_path=self.headless_shell() if signature.light else found.executable,
                channel=channel,
                headless=self.headless,
                args=[*CHROMIUM_ARGS, *signature.args, *(SHELL_ARGS if signature.light else ())],
                timeout=30_000,
            )
        except Error as error:
            raise BrowserNotFound(f"could not start {found.describe()}: {_first_line(error)}") from None

    def _launch_firefox(self, signature: LaunchSignature) -> Browser:
        found = self.found_firefox()
        try:
            launched = self.playwright.firefox.launch(
                channel=FIREFOX_CHANNEL,
                executable_path=found.executable,
                headless=self.headless,
                firefox_user_prefs=dict(signature.prefs),
                env={**os.environ, **FIREFOX_ENV},
                timeout=60_000,
            )
        except Error as error:
            raise BrowserNotFound(f"could not start {found.describe()}: {_first_line(error)}") from None
        _check_bidi(launched, found)
        return launched

    def close(self) -> None:
        self.spares.close()
        for browser in [*self.browsers.values(), *self.remote.values()]:
            with contextlib.suppress(Error):
                browser.close()
        self.browsers.clear()


def _check_bidi(browser: Browser, found: FoundBrowser) -> None:
    """Fail at launch, not in the middle of a scenario, when this Playwright sends BiDi commands this
    Firefox lacks (Playwright 1.65 needs emulation.setMediaFeaturesOverride for every new context)."""
    try:
        browser.new_context().close()
    except Error as error:
        firefox = browser.version
        with contextlib.suppress(Error):
            browser.close()
        raise BrowserNotFound(
            f"Firefox {firefox} at {found.describe()} cannot be driven by Playwright {version('playwright')}: "
            f"{_first_line(error)}. Firefox ESR 153 works with playwright<1.65; or use a newer Firefox"
        ) from None


def _first_line(error: Error) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else repr(error)
