"""The media world script (`browser_scripts/media_world.js`), installed before the page loads: it answers
for `navigator.mediaDevices` what Chromium has no switch for, with Chromium's exact DOMExceptions, and
changes mid-session when a device or a prompt's answer does. Devices and permissions both speak to it.
"""

from __future__ import annotations

from typing import Any

from harness.errors import HarnessError
from harness.faults.target import FaultTarget

# Chromium's fake picker: answers every capture prompt with "allow"; for getDisplayMedia it picks the fake
# screen. In a browser launched with it, a camera or microphone denial must come from the script.
FAKE_PICKER = "--use-fake-ui-for-media-stream"
# Permission states Chromium has no switch for; the script answers them.
SCRIPTED = ("prompt-dismissed", "denied-by-system")


def scripted_states(fake_picker: bool) -> tuple[str, ...]:
    """The permission states the script answers: with the fake picker, a plain denial too."""
    return (*SCRIPTED, "denied") if fake_picker else SCRIPTED


def update_media_world(participant: FaultTarget, update: dict[str, dict[str, Any]]) -> None:
    if participant.page is None:
        raise HarnessError("devices and prompts can change only once the page is open")
    participant.page.evaluate(
        "change => { if (!window.__harnessMediaWorld) throw new Error('media world script missing'); "
        "window.__harnessMediaWorld.update(change); }",
        update,
    )
