"""Media devices. Chromium's fake-device flag gives a camera and a microphone; `device-count=0` is a
real "no camera". What Chromium has no flag for (no microphone, a busy device, a dismissed prompt, a
system-level denial) is produced by a script installed before the page loads that makes
`navigator.mediaDevices` answer with Chromium's exact DOMExceptions."""

from __future__ import annotations

from typing import Any

from harness.faults.permissions import SCRIPTED

FAKE_DEVICES = "--use-fake-device-for-media-stream"
NO_CAMERA = "--use-fake-device-for-media-stream=device-count=0"


def launch_args(devices: dict[str, str]) -> list[str]:
    return [NO_CAMERA if devices.get("camera") == "absent" else FAKE_DEVICES]


def media_world(devices: dict[str, str], permissions: dict[str, str]) -> dict[str, Any]:
    """Configuration of the media world script: only what the browser cannot do by itself."""
    config: dict[str, Any] = {}
    for kind in ("camera", "microphone"):
        entry: dict[str, str] = {}
        device = devices.get(kind, "present")
        # The flag already removes the camera; the script removes the microphone and marks busy devices.
        if device == "busy" or (device == "absent" and kind == "microphone"):
            entry["device"] = device
        if permissions.get(kind) in SCRIPTED:
            entry["permission"] = permissions[kind]
        config[kind] = entry
    return config
