"""Platform capabilities removed before the page's scripts run (WebAssembly, navigator.mediaDevices)."""

from __future__ import annotations


def removed(platform: dict[str, bool]) -> dict[str, bool]:
    return {name: False for name, present in platform.items() if not present}
