"""The computer a participant uses: its operating system (as the browser reports it) and its CPU cores.

The SDK reads both from the browser: the user agent (and, in Chromium, `navigator.userAgentData`) decides
what counts as macOS or a mobile browser, and `navigator.hardwareConcurrency` sets how many videos and
share views it will render. The browser is told to report that computer, the way Chrome DevTools' device
emulation does: the user agent through Playwright's context options, the core count through CDP in
Chromium and a pref in Firefox.
The capture devices, the network and the rest of the world stay what the scenario says.
"""

from __future__ import annotations

from typing import Any

from harness.browsers import PrefValue

# The platform token of each system's user agent, as the browsers write it (Chrome's reduced UA).
CHROME_PLATFORM = {
    "windows": "Windows NT 10.0; Win64; x64",
    "macos": "Macintosh; Intel Mac OS X 10_15_7",
    "linux": "X11; Linux x86_64",
    "chromeos": "X11; CrOS x86_64 14541.0.0",
    "android": "Linux; Android 10; K",
}
FIREFOX_PLATFORM = {
    "windows": "Windows NT 10.0; Win64; x64",
    "macos": "Macintosh; Intel Mac OS X 10.15",
    "linux": "X11; Linux x86_64",
    "chromeos": "X11; CrOS x86_64 14541.0.0",
    "android": "Android 10; Mobile",
}
MOBILE = ("android", "ios")


def major(version: str) -> str:
    return version.split(".", 1)[0] or "0"


def user_agent(os: str, browser: str, version: str) -> str:
    """The user agent string `browser` (at `version`) sends on `os`."""
    v = major(version)
    if os == "ios":  # Chrome and Firefox on iOS are WebKit underneath and say so
        app = f"CriOS/{v}.0.0.0" if browser == "chromium" else f"FxiOS/{v}.0"
        return (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            f"(KHTML, like Gecko) {app} Mobile/15E148 Safari/604.1"
        )
    if browser == "chromium":
        mobile = " Mobile" if os in MOBILE else ""
        return (
            f"Mozilla/5.0 ({CHROME_PLATFORM[os]}) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{v}.0.0.0{mobile} Safari/537.36"
        )
    gecko = f"{v}.0" if os == "android" else "20100101"
    return f"Mozilla/5.0 ({FIREFOX_PLATFORM[os]}; rv:{v}.0) Gecko/{gecko} Firefox/{v}.0"


def context_options(system: dict[str, Any], browser: str, version: str) -> dict[str, Any]:
    """Playwright context options: the user agent (both browsers), and mobile emulation (Chromium only)."""
    if "os" not in system:
        return {}
    os = system["os"]
    options: dict[str, Any] = {"user_agent": user_agent(os, browser, version)}
    if os in MOBILE and browser == "chromium":
        options.update(is_mobile=True, has_touch=True)
    return options


def prefs(system: dict[str, Any]) -> dict[str, PrefValue]:
    """Firefox prefs for the same computer (its core count; Chromium takes it through CDP)."""
    return {"dom.maxHardwareConcurrency": int(system["cpu_cores"])} if "cpu_cores" in system else {}


def cdp_commands(system: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """What a Chromium page needs before it loads (sent on a CDP session that lives as long as the page)."""
    if "cpu_cores" not in system:
        return []
    return [("Emulation.setHardwareConcurrencyOverride", {"hardwareConcurrency": int(system["cpu_cores"])})]
