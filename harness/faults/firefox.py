"""The same worlds on Firefox (stock Firefox ESR through WebDriver BiDi), which takes prefs, not flags.

Measured on Firefox ESR 153 (see ARCHITECTURE.md): a denial is a browser-wide pref (2 = block), a missing
device is a loopback device name that does not exist, and Firefox answers both with its own exceptions.
What Firefox cannot produce is named here, so the run skips with that reason instead of passing on a
world that did not happen.
"""

from __future__ import annotations

from harness.browsers import PrefValue
from harness.scenario.model import SYSTEM_MUTED, World

PERMISSION_PREF = {"camera": "permissions.default.camera", "microphone": "permissions.default.microphone"}
MISSING_DEVICE_PREF = {"camera": "media.video_loopback_dev", "microphone": "media.audio_loopback_dev"}
BLOCK = 2
# Firefox's own words where media_world.js must answer for it (an unplugged device).
MESSAGES = {"notFound": "The object can not be found here."}


def prefs(world: World) -> dict[str, PrefValue]:
    result: dict[str, PrefValue] = {}
    for kind, state in world.permissions.items():
        if state == "denied" and kind in PERMISSION_PREF:
            result[PERMISSION_PREF[kind]] = BLOCK
    for kind, state in world.devices.items():
        if state == "absent":
            result[MISSING_DEVICE_PREF[kind]] = "no-such-device"
    return result


def unsupported(world: World, *, mid_session: bool) -> str | None:
    """Why Firefox cannot produce this world (or this fault), or None when it can."""
    if "camera_pan_tilt_zoom" in world.permissions:
        return "Firefox has no pan/tilt/zoom camera control (getSupportedConstraints lists no pan, tilt or zoom)"
    if "screen" in world.permissions or "screen" in world.devices:
        return (
            "the screen picker (getDisplayMedia) is produced with Chromium's fake picker flag; Firefox's picker "
            "has no such switch and its answers have not been measured here"
        )
    scripted = [state for state in world.permissions.values() if state in ("prompt-dismissed", "denied-by-system")]
    if scripted:
        return (
            f"Firefox refuses every capture with one NotAllowedError; {scripted[0]!r} is a distinction only "
            "Chromium makes"
        )
    if mid_session and world.permissions:
        return "Firefox offers no way to change a camera or microphone permission mid-session (no CDP; BiDi refuses)"
    if mid_session and "unplugged" in world.devices.values():
        return (
            "Firefox's fake devices cannot be unplugged, and it does not deliver a scripted 'ended' to a capture track"
        )
    if mid_session and "stops" in world.devices.values():
        return "Firefox's fake devices cannot be stopped, and it does not deliver a scripted 'ended' to a capture track"
    if any(state in SYSTEM_MUTED for state in world.devices.values()):
        return "a capture track the system mutes is made by the media world script, measured in Chromium only"
    if "busy" in world.devices.values():
        return "the exception Firefox raises for a device held by another program has not been measured here"
    if any(count > 1 for count in world.device_counts.values()):
        return "Firefox's fake devices are one camera and one microphone"
    if world.device_files:
        return "Firefox cannot play a file as its fake camera or microphone"
    if world.platform.get("autoplay") is False:
        return (
            "the harness calls into the page without a user gesture through Chromium's DevTools protocol; "
            "whether Firefox's WebDriver BiDi calls count as one has not been measured here"
        )
    if world.platform.get("large_wasm_memory") is False:
        return "Firefox has no pref that limits a WebAssembly memory's size (Chromium's V8 flag makes it)"
    return None
