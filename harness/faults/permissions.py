"""Permissions through the browser's own permission handling: a granted permission is granted to the
context; a denied one is not, so Chromium answers getUserMedia with its real NotAllowedError."""

from __future__ import annotations

from playwright.sync_api import BrowserContext

BROWSER_PERMISSION = {"camera": "camera", "microphone": "microphone"}
# States Chromium has no switch for; the media world script answers them (see devices.py).
SCRIPTED = ("prompt-dismissed", "denied-by-system")


def granted(permissions: dict[str, str]) -> list[str]:
    """Permissions to grant at context creation; kinds not named default to granted."""
    result = []
    for kind, name in BROWSER_PERMISSION.items():
        if permissions.get(kind, "granted") != "denied":
            result.append(name)
    return result


def change(context: BrowserContext, permissions: dict[str, str], current: dict[str, str]) -> dict[str, str]:
    """Grant or revoke mid-session; returns the new full permission state."""
    merged = {**current, **permissions}
    context.clear_permissions()
    grants = granted(merged)
    if grants:
        context.grant_permissions(grants)
    return merged
