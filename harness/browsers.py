"""Finding a browser: an explicit setting, then a Playwright-managed one, then the system's (Chromium or Firefox)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error, Playwright

from harness.errors import BrowserNotFound

ENV_VAR = "HARNESS_BROWSER_EXECUTABLE"
SYSTEM_CHROMIUM = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SYSTEM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")

# Flags every Chromium gets here. Without the background-networking ones Chromium keeps dialling out on
# a closed network; the fake-device flag gives it a camera and microphone on a machine with none.
CHROMIUM_ARGS = (
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


SHELL_ENV_VAR = "HARNESS_HEADLESS_SHELL"
SHELL_NAMES = ("chromium-headless-shell",)
SHELL_PATHS = ("/usr/lib/chromium/chromium-headless-shell",)
# The shell has no permission prompt: it captures only with the fake one (harness/light_browser.py says when).
SHELL_ARGS = ("--use-fake-ui-for-media-stream",)

FIREFOX_ENV_VAR = "HARNESS_FIREFOX_EXECUTABLE"
SYSTEM_FIREFOX = ("firefox-esr", "firefox")
FIREFOX_SYSTEM_PATHS = ("/usr/bin/firefox-esr", "/usr/bin/firefox")
# Stock Firefox is driven through WebDriver BiDi; Playwright reaches it only through this channel.
FIREFOX_CHANNEL = "moz-firefox"
# A release build ignores the remote-settings server pref (firefox_base_prefs) unless this is set, and
# then polls firefox.settings.services.mozilla.com every few seconds.
FIREFOX_ENV = {"MOZ_REMOTE_SETTINGS_DEVTOOLS": "1"}

PrefValue = str | float | bool  # what Playwright's firefox_user_prefs takes


@dataclass(frozen=True, slots=True)
class FoundBrowser:
    executable: str | None  # None: let Playwright use the browser it manages
    source: str

    def describe(self) -> str:
        return f"{self.executable or 'Playwright-managed Chromium'} ({self.source})"


def managed_chromium(playwright: Playwright) -> str | None:
    """Where Playwright keeps its own Chromium (the file may not exist); None when it cannot say."""
    try:
        return playwright.chromium.executable_path
    except Error:
        return None


def find_chromium(explicit: str | None = None, playwright_path: str | None = None) -> FoundBrowser:
    """Apply the documented order; raise BrowserNotFound with what was tried and how to fix it."""
    setting = explicit or os.environ.get(ENV_VAR)
    if setting:
        where = "--browser-executable" if explicit else ENV_VAR
        if not _is_executable(setting):
            raise BrowserNotFound(f"{where} names {setting!r}, which is not an executable file")
        return FoundBrowser(setting, f"set by {where}")
    if playwright_path and _is_executable(playwright_path):
        return FoundBrowser(None, "managed by Playwright")
    for candidate in (*SYSTEM_PATHS, *filter(None, (shutil.which(name) for name in SYSTEM_CHROMIUM))):
        if _is_executable(candidate):
            return FoundBrowser(candidate, "system Chromium")
    raise BrowserNotFound(
        "no Chromium found: tried "
        + (f"Playwright's ({playwright_path}), " if playwright_path else "")
        + ", ".join(SYSTEM_PATHS)
        + f" and {', '.join(SYSTEM_CHROMIUM)} on PATH. Run `harness setup` (installs Playwright's Chromium; "
        + f"`make setup` in a clone), or set {ENV_VAR}=/path/to/chromium"
    )


def find_headless_shell(found: FoundBrowser) -> str | None:
    """Chromium's headless shell for scenarios with every permission granted (light_browser.py): the path in
    HARNESS_HEADLESS_SHELL (`off`: never), else one installed beside a system Chromium; None for a Chromium
    chosen explicitly or managed by Playwright, and when there is none."""
    setting = os.environ.get(SHELL_ENV_VAR, "")
    if setting == "off":
        return None
    if setting:
        if not _is_executable(setting):
            raise BrowserNotFound(f"{SHELL_ENV_VAR} names {setting!r}, which is not an executable file (or say off)")
        return setting
    if found.source != "system Chromium":
        return None
    candidates = (*SHELL_PATHS, *filter(None, (shutil.which(name) for name in SHELL_NAMES)))
    return next((candidate for candidate in candidates if _is_executable(candidate)), None)


def firefox_base_prefs() -> dict[str, PrefValue]:
    """Prefs every Firefox gets here; a scenario's own prefs (a denial, a missing device) go on top."""
    return {
        # One fake camera and one fake microphone ("Default Video Device", "Default Audio Device").
        "media.navigator.streams.fake": True,
        # Allow capture per kind, so a world can deny one kind with 2. Not
        # media.navigator.permission.disabled: it also overrides a denial.
        "permissions.default.camera": 1,
        "permissions.default.microphone": 1,
        # Without it Firefox never sends loopback traffic through a context's proxy (the network path).
        "network.proxy.allow_hijacking_localhost": True,
        # With FIREFOX_ENV: no remote-settings polling, the only background traffic seen in 4 idle minutes.
        "services.settings.server": "data:,#remote-settings-dummy/v1",
    }


def managed_firefox(playwright: Playwright) -> str | None:
    """Where Playwright keeps its own Firefox (the file may not exist); None when it cannot say."""
    try:
        return playwright.firefox.executable_path
    except Error:
        return None


def find_firefox(playwright_path: str | None = None) -> FoundBrowser:
    """HARNESS_FIREFOX_EXECUTABLE, then Playwright's Firefox, then the system's; else BrowserNotFound."""
    setting = os.environ.get(FIREFOX_ENV_VAR)
    if setting:
        if not _is_executable(setting):
            raise BrowserNotFound(f"{FIREFOX_ENV_VAR} names {setting!r}, which is not an executable file")
        return FoundBrowser(setting, f"set by {FIREFOX_ENV_VAR}")
    if playwright_path and _is_executable(playwright_path):
        return FoundBrowser(playwright_path, "managed by Playwright")
    for candidate in (*FIREFOX_SYSTEM_PATHS, *filter(None, (shutil.which(name) for name in SYSTEM_FIREFOX))):
        if _is_executable(candidate):
            return FoundBrowser(candidate, "system Firefox")
    raise BrowserNotFound(
        "no Firefox found: tried "
        + (f"Playwright's ({playwright_path}), " if playwright_path else "")
        + ", ".join(FIREFOX_SYSTEM_PATHS)
        + f" and {', '.join(SYSTEM_FIREFOX)} on PATH. Run `make setup` as root on Debian (installs firefox-esr), "
        + f"or set {FIREFOX_ENV_VAR}=/path/to/firefox"
    )


def _is_executable(path: str) -> bool:
    candidate = Path(path)
    return candidate.is_file() and os.access(candidate, os.X_OK)
