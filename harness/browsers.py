"""Finding a browser: an explicit setting, then a Playwright-managed Chromium, then the system's."""

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
        + f" and {', '.join(SYSTEM_CHROMIUM)} on PATH. Run `make setup` (installs one), or set "
        + f"{ENV_VAR}=/path/to/chromium"
    )


def _is_executable(path: str) -> bool:
    candidate = Path(path)
    return candidate.is_file() and os.access(candidate, os.X_OK)
